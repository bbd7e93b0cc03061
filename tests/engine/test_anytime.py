"""Anytime verdicts: a claim that runs out of time reports the strongest evidence it reached.

Proofs stop at 60 % of a claim's time so that numeric evidence keeps its own; a worker ended
at the hard limit still reports the last verdict it sent as progress, never a bare timeout.
"""

from __future__ import annotations

import signal
import time

from verifier import engine
from verifier.claimfile import one_liner
from verifier.engine import Options, Phases
from verifier.pool import progress, run_tasks
from verifier.runner import run
from verifier.strategies import check_numeric, prove_at_sizes
from verifier.strategies.timing import SIGNAL, clock

SIGMOID = one_liner("sigmoid(-z)", "1 - sigmoid(z)", "z: scalar")


def prove_slowly(ctx):
    """A proof strategy that never finishes in time (computing: budgets are CPU time)."""
    while True:
        pass


def test_a_proof_out_of_time_leaves_the_numeric_evidence_its_time():
    opts = Options(timeout=4)
    started = clock()
    verdict = engine._decide_once(SIGMOID, opts, (prove_slowly, check_numeric),
                                  Phases.starting(opts.timeout), started)
    assert verdict.status == "checked"
    assert "proof not finished" in verdict.detail and "prove_slowly" in verdict.detail
    assert clock() - started < opts.timeout  # the proof was stopped at its phase's end


def test_a_worker_ended_at_the_limit_keeps_its_last_progress():
    def work(item):
        progress(("evidence", item))
        time.sleep(3600)

    (out,) = run_tasks(work, ["x"], jobs=1, timeout=1.0)
    assert out.status == "timeout" and out.value == ("evidence", "x")


def test_a_stopped_claim_reports_its_evidence_not_a_bare_timeout(monkeypatch):
    # the larger-size check hangs past the hard limit (deaf to the strategy's own alarm, as a
    # long call into C code is) after the proof at sizes was reported as progress
    def hang(ctx):
        signal.pthread_sigmask(signal.SIG_BLOCK, {SIGNAL})
        time.sleep(3600)

    monkeypatch.setattr(engine, "refute_at_larger_sizes", hang)
    monkeypatch.setattr(engine, "PIPELINE", (prove_at_sizes, check_numeric))  # at sizes only
    claim = one_liner("sum(softmax(z))", "1", "z: vector(n)")
    (result,) = run([claim], Options(timeout=6, jobs=1))
    assert result.verdict.status == "proved-at-sizes"
    assert "stopped at the time limit" in result.verdict.detail
