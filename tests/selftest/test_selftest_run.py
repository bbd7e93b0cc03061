"""``derivcheck selftest`` end to end: a seeded subset of every generator runs through the
engine and the judge, and must find no unsound verdict; a deliberately unsound engine is
caught; the command line reports a table, the unsound cases and the exit code.

The full default run (1,040 cases) is ``derivcheck selftest``; its numbers are in README.
"""

from __future__ import annotations

import pytest

import verifier.engine as engine
from verifier.selftest import Settings, run_selftest
from verifier.selftest.generators import GENERATORS
from verifier.verdict import Verdict

# 24 cases from each of the 7 generators, seed 0: under a minute on 2 cores
SUBSET = Settings(seed=0, cases=24 * len(GENERATORS), mutants=0, jobs=2, timeout=10)


def test_a_seeded_subset_of_every_generator_has_no_unsound_verdict():
    report = run_selftest(SUBSET)
    print(report.table())
    assert len(report.outcomes) >= 160
    assert {o.case.generator for o in report.outcomes} == set(GENERATORS)
    assert report.harness_errors == [], report.details()
    assert report.unsound == [], report.details()


def _proves_everything(ctx):
    return Verdict("proved", "prove_anything")


def _refutes_everything(ctx):
    from verifier.verdict import Counterexample

    return Verdict("refuted", "refute_anything", counterexample=Counterexample(
        values={}, lhs="0", rhs="1", difference="1", exact=True))


@pytest.mark.parametrize("fake", [_proves_everything, _refutes_everything])
def test_an_unsound_engine_is_caught(monkeypatch, fake):
    monkeypatch.setattr(engine, "PIPELINE", (fake,))
    # the condition search too (it ran the real proofs under every candidate after each
    # fake refutation, most of this test's time): the judge is what is tested here
    monkeypatch.setattr(engine, "PROOFS", (fake,))
    # and the quick refutation each candidate condition gets first (real work under every
    # candidate, after each fake refutation: two thirds of what was left)
    monkeypatch.setattr(engine, "refute_exact", fake)
    report = run_selftest(Settings(seed=1, cases=14, mutants=0, jobs=2, timeout=10))
    assert report.failed
    for o in report.outcomes:
        if fake is _refutes_everything:  # a refutation that shows no values is never sound
            assert o.unsound or o.status in ("undecided", "timeout", "error"), o.judgement
        elif o.case.kind != "non-identity":  # (a non-identity's proof is inverted)
            wrong = o.case.sides in ("differ", "undefined")
            assert o.unsound == wrong, (o.case.id, o.case.sides, o.status, o.judgement)
    assert len(report.unsound) >= len(report.outcomes) // 3
    assert "UNSOUND" in report.details() and "reproduce: derivcheck" in report.details()


def test_the_command_prints_the_table_and_exits_1_on_an_unsound_case(monkeypatch, capsys,
                                                                      tmp_path):
    from verifier.cli import main

    monkeypatch.setattr(engine, "PIPELINE", (_proves_everything,))
    saved = tmp_path / "unsound.claims.toml"
    code = main(["selftest", "--only", "sizes", "--cases", "6", "--mutants", "0",
                 "--jobs", "2", "--timeout", "10", "--seed", "2", "--save", str(saved)])
    out = capsys.readouterr().out
    assert code == 1
    assert out.splitlines()[0].split()[:3] == ["generator", "cases", "held"]
    assert "sizes" in out and "UNSOUND selftest.sizes." in out
    from verifier.claimfile import load_claim_files

    entries, errors = load_claim_files([str(saved)])
    assert entries and not errors


def test_bad_options_are_usage_errors(capsys):
    from verifier.cli import main

    assert main(["selftest", "--only", "nonsense"]) == 2
    assert "unknown generator nonsense" in capsys.readouterr().err
    assert main(["selftest", "--cases", "0", "--mutants", "0"]) == 2
