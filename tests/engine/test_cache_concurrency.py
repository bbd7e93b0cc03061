"""The cache under stress: two runs writing it at once, and entries that are not whole.

Entries are written to a temporary file and renamed, so concurrent writers of the same key
leave one whole entry; a truncated, garbled or old-format entry is ignored, noted and
recomputed, never a crash.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from engine_claims import QUADRATIC_GENERAL

from verifier.cache import FORMAT, Cache
from verifier.engine import Options
from verifier.runner import run
from verifier.verdict import Result

ROOT = Path(__file__).resolve().parents[2]


def _verify(*extra: str) -> subprocess.Popen:
    # no condition search: the same entries and code paths in a fifth of the time
    cmd = [sys.executable, "-m", "verifier", "verify", "--topic", "linear_algebra",
           "--no-conditions", "--format", "json", "-q", *extra]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _claims(out: bytes) -> dict[str, dict]:
    """Each claim's report minus what legitimately differs between runs: its time."""
    data = json.loads(out)
    assert data["interrupted"] is False
    return {c["id"]: {k: v for k, v in c.items() if k != "seconds"} for c in data["claims"]}


def _verdict_files(cache):
    return [p for p in cache.rglob("*") if p.is_file() and "extra" not in p.parts]


def test_two_runs_at_once_leave_a_valid_cache(tmp_path):
    cache = tmp_path / "cache"
    both = [_verify("--cache-dir", str(cache), "--jobs", "1") for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in both]
    for p, (_, err) in zip(both, outs, strict=True):
        assert p.returncode in (0, 1), err.decode()  # 1: a conditional entry is refuted

    assert all(p.suffix == ".pickle" for p in cache.rglob("*") if p.is_file())  # no temp
    files = _verdict_files(cache)  # beside them, under extra/: the sides as reports show them
    for path in files:
        fmt, result = pickle.loads(path.read_bytes())
        assert fmt == FORMAT and isinstance(result, Result)
    assert len(files) == len(_claims(outs[0][0]))
    written = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in files}

    third = _verify("--cache-dir", str(cache), "--jobs", "2")
    fresh = _verify("--no-cache", "--jobs", "2")
    (out3, err3), (out_fresh, err_fresh) = third.communicate(300), fresh.communicate(300)
    assert {third.returncode, fresh.returncode} <= {0, 1}, (err3 + err_fresh).decode()
    # fully cached: nothing was recomputed, so no entry was rewritten
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in files} == written
    assert _claims(out3) == _claims(out_fresh) == _claims(outs[0][0]) == _claims(outs[1][0])


# ----- entries that are not whole -----


def _old_format(result: Result) -> bytes:
    return pickle.dumps((FORMAT - 1, result))


def _other_claim(result: Result) -> bytes:
    from dataclasses import replace

    return pickle.dumps((FORMAT, replace(result, id="test.someone_else")))


CORRUPTIONS = {
    "truncated": lambda data, result: data[: len(data) // 2],
    "empty": lambda data, result: b"",
    "garbage": lambda data, result: b"\x80\x04garbage that is no pickle",
    "old format": lambda data, result: _old_format(result),
    "not a result": lambda data, result: pickle.dumps((FORMAT, {"verdict": "proved"})),
    "another claim's": lambda data, result: _other_claim(result),
    "missing class": lambda data, result: data.replace(b"verifier.verdict", b"verifier.gone00"),
}


@pytest.fixture(scope="module")
def computed(tmp_path_factory):
    directory = tmp_path_factory.mktemp("cache")
    (result,) = run([QUADRATIC_GENERAL], Options(jobs=1), cache=Cache(directory))
    (path,) = directory.rglob("*.pickle")
    return directory, path, path.read_bytes(), result


@pytest.mark.parametrize("how", sorted(CORRUPTIONS))
def test_a_broken_cache_entry_is_noted_and_recomputed(computed, how):
    directory, path, data, first = computed
    path.write_bytes(CORRUPTIONS[how](data, first))
    cache = Cache(directory)
    assert cache.get(QUADRATIC_GENERAL, Options()) is None
    assert any("unreadable cache entry" in n for n in cache.notes)
    cache.put(QUADRATIC_GENERAL, Options(), first)  # what run() does after recomputing
    again = Cache(directory).get(QUADRATIC_GENERAL, Options())
    assert again is not None and again.verdict == first.verdict


def test_a_run_over_a_broken_entry_recomputes_it(computed):
    directory, path, data, first = computed
    path.write_bytes(data[:10])
    cache = Cache(directory)
    (again,) = run([QUADRATIC_GENERAL], Options(jobs=1), cache=cache)
    assert not again.cached and again.verdict == first.verdict
    assert any("unreadable cache entry" in n for n in cache.notes)
    assert Cache(directory).get(QUADRATIC_GENERAL, Options()).cached  # rewritten whole
