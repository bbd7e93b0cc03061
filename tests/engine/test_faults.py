"""Fault injection: whatever one claim does to its worker, the others' verdicts survive.

One run holds two good claims beside claims that make a strategy raise, segfault, call
os._exit, raise MemoryError, allocate 20 GB, and never return.  Each bad one ends as
``error`` or ``timeout`` for itself alone; the run ends within the timeout + a few seconds.
"""

from __future__ import annotations

import faulthandler
import json
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from engine_claims import QUADRATIC_GENERAL, QUADRATIC_NOTE, claim

import verifier.engine as engine
from verifier.cache import FORMAT
from verifier.engine import Options
from verifier.pool import run_tasks
from verifier.runner import run
from verifier.strategies.timing import clock
from verifier.verdict import Result

TIMEOUT = 6.0


def _segfault(s):
    faulthandler.disable()  # pytest's handler would print the worker's stack; just die
    os.kill(os.getpid(), signal.SIGSEGV)


def _exits(s):
    os._exit(7)


def _memory_error(s):
    raise MemoryError


def _allocates_20_gb(s):
    # touched 64 MiB at a time, as a runaway expansion would: without the limit this
    # would really take 20 GB
    chunks = [b"x" * (64 << 20) for _ in range(320)]
    return s.x * len(chunks)


def _hangs(s):
    time.sleep(3600)


def _bad(name, builder):
    return claim(name, symbols="x: vector(n)", lhs=lambda s: s.x, rhs=builder)


VICTIM = _bad("strategy_victim", lambda s: s.x)  # true; only the injected strategy fails it
SEGFAULT = _bad("segfault", _segfault)
EXITS = _bad("exits", _exits)
MEMORY_ERROR = _bad("memory_error", _memory_error)
ALLOCATES = _bad("allocates", _allocates_20_gb)
HANGS = _bad("hangs_forever", _hangs)


def _raising_strategy(ctx):
    """Test-only: a strategy with a bug that shows for one claim."""
    if ctx.claim.id == VICTIM.id:
        raise RuntimeError("injected strategy bug")
    return None


def _address_space() -> int:
    with open("/proc/self/status") as fh:
        kb = next(int(ln.split()[1]) for ln in fh if ln.startswith("VmSize:"))
    return kb * 1024


@pytest.fixture
def raising_pipeline(monkeypatch):
    # workers are forked, so they inherit the patched pipeline; production has no hook
    monkeypatch.setattr(engine, "PIPELINE", (_raising_strategy, *engine.PIPELINE))


def test_every_fault_stays_with_its_own_claim(raising_pipeline):
    entries = [QUADRATIC_GENERAL, VICTIM, SEGFAULT, EXITS, MEMORY_ERROR, ALLOCATES, HANGS,
               QUADRATIC_NOTE]
    limit = _address_space() + (384 << 20)  # 384 MiB above what a forked worker starts with
    start = time.monotonic()
    results = run(entries, Options(timeout=TIMEOUT, jobs=2, memory_limit=limit))
    wall = time.monotonic() - start
    by_id = {r.id: r.verdict for r in results}
    assert [r.id for r in results] == [e.id for e in entries]

    assert by_id["test.quadratic_general"].status == "proved"
    assert by_id["test.quadratic_note"].status == "conditional"
    assert by_id["test.quadratic_note"].condition == "M symmetric"

    # one strategy's bug does not end its claim: the next strategy decides it
    assert by_id[VICTIM.id].status == "proved", by_id[VICTIM.id]
    assert by_id[SEGFAULT.id].status == "error"
    assert "SIGSEGV" in by_id[SEGFAULT.id].detail
    assert by_id[EXITS.id].status == "error"
    assert "exit code 7" in by_id[EXITS.id].detail
    assert by_id[MEMORY_ERROR.id].status == "error"
    assert "out of memory" in by_id[MEMORY_ERROR.id].detail
    # under heavy load (2 cores at a load of 23) the nine strategies' allocations up to the
    # limit outlast the 6 s: then it is that claim's timeout, still its own; the memory
    # limit itself is the next test's
    allocates = by_id[ALLOCATES.id]
    assert allocates.status == "timeout" or (
        allocates.status == "error" and "out of memory" in allocates.detail), allocates
    assert by_id[HANGS.id].status == "timeout"
    print(f"8 entries, 6 faulty, timeout {TIMEOUT:g} s: wall {wall:.2f} s")
    # the hung worker (an hour's sleep) is ended at its deadline, not waited for: at worst
    # every claim runs to its limit one after another (a loaded machine), far below an hour
    assert wall < len(entries) * TIMEOUT + 10


def test_a_failed_strategy_is_the_verdict_only_when_nothing_else_decides():
    v = engine._decide_once(VICTIM, Options(timeout=10), (_raising_strategy,),
                            engine.Phases.starting(10), clock())
    assert (v.status, v.method) == ("error", "_raising_strategy"), v
    assert "injected strategy bug" in v.detail


def test_the_memory_limit_ends_a_large_allocation():
    # "error (out of memory)" and not "timeout": the address-space limit ended every
    # strategy's allocation before the claim's 60 s; without it the 20 GB would be taken
    # (or the claim time out).  Its speed (1-2 s quiet, 20 s at a load of 23 on 2 cores)
    # is printed, not asserted
    limit = _address_space() + (384 << 20)
    start = time.monotonic()
    (result,) = run([ALLOCATES], Options(timeout=60, jobs=1, memory_limit=limit))
    took = time.monotonic() - start
    print(f"20 GB allocation under a {limit >> 20} MiB limit: {result.verdict.status} "
          f"({result.verdict.detail}) after {took:.2f} s")
    assert result.verdict.status == "error"
    assert "out of memory" in result.verdict.detail


def test_a_timeout_ends_close_to_its_deadline():
    start = time.monotonic()
    (out,) = run_tasks(lambda _: time.sleep(3600), [None], jobs=1, timeout=1.0)
    late = time.monotonic() - start - 1.0
    print(f"a 1 s timeout ended the worker {late:.2f} s after the limit")
    assert out.status == "timeout"
    assert late < 1.5  # polled every 0.2 s at most; then SIGKILL and join


def test_run_tasks_reports_values_errors_and_deaths_in_order():
    def work(k):
        if k == 1:
            raise ValueError("bad item")
        if k == 2:
            os._exit(4)
        return k * k

    outs = run_tasks(work, [0, 1, 2, 3], jobs=2, timeout=20)
    assert [(o.index, o.status) for o in outs] == [(0, "ok"), (1, "error"), (2, "error"),
                                                   (3, "ok")]
    assert [outs[0].value, outs[3].value] == [0, 9]
    assert "ValueError: bad item" in outs[1].detail
    assert "exit code 4" in outs[2].detail


def test_no_worker_is_left_behind():
    run_tasks(lambda k: k, list(range(6)), jobs=2, timeout=20)
    assert not [p for p in __import__("multiprocessing").active_children() if p.is_alive()]
    assert _zombies(os.getpid()) == []


def _zombies(ppid: int) -> list[int]:
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] == "Z" and int(fields[1]) == ppid:
            out.append(int(d))
    return out


# ----- Ctrl-C during `derivcheck verify` -----

ROOT = Path(__file__).resolve().parents[2]


def _group_members(pgid: int) -> list[int]:
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            out.append(int(d))
    return out


def _as_a_terminal_job() -> None:
    """In the child before exec: SIGINT delivered and at its default, as a shell starts a
    job; the test process's own disposition or mask (whatever ran in it before) is not
    inherited, since Python keeps an inherited SIG_IGN and never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@pytest.mark.parametrize("target", ["process group", "parent only"])
def test_ctrl_c_keeps_a_partial_report_and_a_valid_cache(tmp_path, target):
    report, cache = tmp_path / "report.json", tmp_path / "cache"
    cmd = [sys.executable, "-m", "verifier", "verify", "--topic", "linear_algebra",
           "--topic", "matrix_calculus", "--format", "json", "--output", str(report),
           "--cache-dir", str(cache), "--jobs", "2", "-q"]
    # its own session: the signal reaches this run alone, as Ctrl-C reaches a terminal's job
    proc = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True, preexec_fn=_as_a_terminal_job,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        while len([p for p in cache.rglob("*.pickle") if "extra" not in p.parts]) < 2:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no results within 90 s"
            time.sleep(0.05)
        sent = time.monotonic()
        if target == "process group":
            os.killpg(proc.pid, signal.SIGINT)
        else:
            os.kill(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=20)
        stopped = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, err.decode()
    print(f"stopped {stopped:.2f} s after SIGINT; {target}")
    assert stopped < 3.0

    data = json.loads(report.read_text())  # the partial report: readable, marked
    assert data["interrupted"] is True
    assert 2 <= len(data["claims"]) < 50
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".derivcheck-")]

    entries = [p for p in cache.rglob("*") if p.is_file()]
    assert all(p.suffix == ".pickle" for p in entries), entries  # no half-written temp file
    for p in (p for p in entries if "extra" not in p.parts):
        fmt, result = pickle.loads(p.read_bytes())
        assert fmt == FORMAT and isinstance(result, Result)
        assert result.verdict.status not in ("timeout", "error")
    assert _group_members(proc.pid) == []  # every worker is gone, none left a zombie
