"""The worker-process runner: timeouts, crashes and exceptions stay with their own claim."""

from __future__ import annotations

import os
import time

from engine_claims import QUADRATIC_GENERAL, QUADRATIC_NOTE, claim

from verifier.cache import Cache
from verifier.engine import Options, decide
from verifier.runner import run


def _sleeps(s):
    time.sleep(120)
    return s.x


def _dies(s):
    os._exit(3)


def _raises(s):
    raise RuntimeError("a builder bug")


HANGS = claim("hangs", symbols="x: vector(n)", lhs=lambda s: s.x, rhs=_sleeps)
DIES = claim("dies", symbols="x: vector(n)", lhs=lambda s: s.x, rhs=_dies)


def test_a_hanging_claim_times_out_while_the_others_finish():
    start = time.monotonic()
    results = run([QUADRATIC_GENERAL, HANGS, QUADRATIC_NOTE], Options(timeout=3, jobs=2))
    wall = time.monotonic() - start
    by_id = {r.id: r for r in results}
    assert by_id["test.hangs"].verdict.status == "timeout"
    assert by_id["test.quadratic_general"].verdict.status == "proved"
    assert by_id["test.quadratic_note"].verdict.status == "conditional"
    assert wall < 3 + 8  # the hung worker is ended, not waited for


def test_a_dying_worker_is_an_error_for_that_claim_alone():
    results = run([DIES, QUADRATIC_GENERAL], Options(timeout=20, jobs=2))
    by_id = {r.id: r for r in results}
    assert by_id["test.dies"].verdict.status == "error"
    assert "worker died" in by_id["test.dies"].verdict.detail
    assert by_id["test.quadratic_general"].verdict.status == "proved"


def test_results_keep_the_order_of_the_entries():
    entries = [QUADRATIC_NOTE, QUADRATIC_GENERAL]
    assert [r.id for r in run(entries, Options(jobs=2))] == [e.id for e in entries]


def test_the_cache_returns_what_was_computed(tmp_path):
    cache = Cache(tmp_path)
    first = run([QUADRATIC_NOTE], Options(jobs=1), cache=cache)[0]
    second = run([QUADRATIC_NOTE], Options(jobs=1), cache=cache)[0]
    assert not first.cached and second.cached
    assert second.verdict == first.verdict


def test_a_corrupted_cache_entry_is_recomputed(tmp_path):
    cache = Cache(tmp_path)
    run([QUADRATIC_GENERAL], Options(jobs=1), cache=cache)
    (path,) = tmp_path.rglob("*.pickle")
    path.write_bytes(b"garbage")
    again = run([QUADRATIC_GENERAL], Options(jobs=1), cache=cache)[0]
    assert not again.cached and again.verdict.status == "proved"
    assert any("unreadable cache entry" in n for n in cache.notes)


def test_the_cache_key_depends_on_the_seed(tmp_path):
    cache = Cache(tmp_path)
    assert cache.key(QUADRATIC_NOTE, Options(seed=1)) != cache.key(QUADRATIC_NOTE, Options(seed=2))


def test_the_cache_key_follows_the_implementation_package(tmp_path, monkeypatch):
    # an edited gradient function (or a helper beside it) must not reuse a cached "impl ✓"
    from types import SimpleNamespace

    from verifier import cache as cache_module

    pkg = tmp_path / "implpkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "impl.py").write_text("from .helper import h\ndef f(x):\n    return h(x)\n")
    (pkg / "helper.py").write_text("def h(x):\n    return 2 * x\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    entry = SimpleNamespace(implementation="implpkg.impl.f")
    before = cache_module._implementation_digest(entry)
    (pkg / "helper.py").write_text("def h(x):\n    return 3 * x\n")
    cache_module._package_digest.cache_clear()
    assert cache_module._implementation_digest(entry) != before
    assert cache_module._implementation_digest(SimpleNamespace()) == ""


DERIVATIONS = """
[[derivation]]
id = "late-slip"
symbols = { x = "vector(n)", A = "matrix(n, n)" }
steps = ["grad(x.T @ A @ x, x)", "(A + A.T) @ x", "2 * A @ x"]
expect = "holds if A symmetric"

[[derivation]]
id = "wrong-expansion"
symbols = { A = "matrix(n, n)", B = "matrix(n, n)" }
steps = ["(A + B) @ (A + B)", "A @ A + A @ B + B @ A + B @ B", "A @ A + 2 * A @ B + B @ B"]
expect = "fails"

[[derivation]]
id = "stated-step"
symbols = { A = "matrix(n, n)", B = "matrix(n, n)" }
steps = ["(A + B) @ (A + B)", "A @ A + 2 * A @ B + B @ B", "A @ A + A @ B + B @ A + B @ B"]
expect = "fails"
step_expect = { 1 = "holds" }
"""


def test_a_derivation_expected_to_fail_is_judged_as_a_whole(tmp_path):
    # a user records a known slip with the derivation's expectation alone; steps that fail as
    # the whole does are not held against it, a step with its own expectation still is
    from verifier.claimfile import load_claim_files

    path = tmp_path / "d.claims.toml"
    path.write_text(DERIVATIONS)
    entries, errors = load_claim_files([str(path)])
    assert not errors
    results = {e.id: decide(e, Options(timeout=60)) for e in entries}
    assert results["late-slip"].verdict.status == "conditional"
    assert results["late-slip"].as_expected
    assert results["wrong-expansion"].verdict.status in ("refuted", "conditional")
    assert results["wrong-expansion"].as_expected
    # step 1 of stated-step is declared to hold but fails: that is reported
    assert not results["stated-step"].as_expected
