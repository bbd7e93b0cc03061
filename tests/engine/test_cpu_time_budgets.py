"""A claim's phases and its strategies' budgets count CPU time, not the wall clock, so a
verdict does not depend on how busy the machine is.

On the wall clock, a run of the test suite beside other work (load average 12 on 2 cores)
ended claims that are proved in seconds on a quiet machine as "undecided" or "checked":
prove_at_sizes "ran out of its 7 s", a rotation by π was not reached, a Hessian by a scalar
was not proved.  The wall clock still bounds a claim as a whole (the worker is ended at
``--timeout``: tests/engine/test_engine_run.py).
"""

from __future__ import annotations

import threading
import time
import types

import numpy as np
import pytest

import verifier.engine as engine
from verifier import verify
from verifier.strategies.timing import StrategyTimeout, clock, time_limit


def test_a_strategy_waiting_without_computing_is_not_out_of_its_time():
    # the machine busy with other processes: this one waits, its CPU time does not advance
    with time_limit(0.3):
        time.sleep(0.6)


def test_a_strategy_computing_past_its_budget_is_stopped():
    start = clock()
    with pytest.raises(StrategyTimeout):
        with time_limit(0.3):
            while True:
                pass
    assert clock() - start < 3  # stopped near its 0.3 s, not left to run


def test_a_claim_is_proved_while_the_wall_clock_runs_a_thousand_times_fast(monkeypatch):
    start = time.monotonic()
    busy = types.SimpleNamespace(monotonic=lambda: start + 1000 * (time.monotonic() - start),
                                 perf_counter=time.perf_counter, time=time.time,
                                 process_time=time.process_time, thread_time=time.thread_time)
    monkeypatch.setattr(engine, "time", busy)
    r = verify("x.T @ (A + A.T) @ x", "2 * x.T @ A @ x", symbols="x: vector(n), A: matrix(n, n)",
               timeout=20)
    assert r.verdict.status == "proved", r.verdict


def test_threads_spinning_beside_the_claim_do_not_spend_its_budget():
    # OpenBLAS and numba threads spin after a product: the process's CPU time ran 1.5 times
    # the deciding thread's, and under `pytest -n 2` a false claim decided after the gradient
    # tests was "checked" (refute_special out of its time) where it is refuted
    stop = threading.Event()
    a = np.ones((256, 256))

    def spin() -> None:  # a product releases the GIL: CPU time of the process, not the thread
        while not stop.is_set():
            a @ a

    spinner = threading.Thread(target=spin, daemon=True)
    spinner.start()
    try:
        with time_limit(0.3):
            start = time.perf_counter()
            while time.perf_counter() - start < 0.2:  # 0.2 s of this thread's own work
                pass
    finally:
        stop.set()
        spinner.join()
