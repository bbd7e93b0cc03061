"""Mutation testing: mutants of proved claims must never be proved (``derivcheck selftest``).

The quick fixed-seed run mutates the linear-algebra claims (≥ 100 mutants); the full run
over the catalogue is ``benchmarks/mutation.py``.  The other tests pin the parts: a tree
mutation means the same thing in every instantiation, the independent judge tells an
equivalent mutant from a wrong one, and a deliberately unsound engine is caught.
"""

from __future__ import annotations

import pytest
from engine_claims import QUADRATIC_GENERAL, SUM_SQUARE, claim

import verifier.engine as engine
from derivations import catalogue
from verifier.cache import Cache
from verifier.selftest.equivalence import classify, condition_holds
from verifier.selftest.mutants import Mutation, candidates, mutant, sample
from verifier.selftest.run import run_mutants
from verifier.verdict import Verdict


def test_quick_mutation_run_has_no_unsound_verdict(tmp_path):
    entries = [e for e in catalogue()
               if e.topic == "linear_algebra" and e.expect.outcome == "holds"]
    report = run_mutants(entries, mutants=110, seed=0, jobs=2, timeout=20,
                      cache=Cache(tmp_path))
    print(report.table())
    assert len(report.cases) + report.not_judged >= 100
    assert report.unsound == [], report.details()
    assert report.false_refutations == [] and report.ill_formed_held == []
    assert report.originals_differing == []  # the judge confirms every proved original
    counted = report.counted
    assert len(counted) >= 90
    refuted = [c for c in counted if c.status == "refuted"]
    assert len(refuted) >= 0.95 * len(counted), report.details()


# (ABC)ᵀ = CᵀBᵀAᵀ, square: every tree operator applies
TRIPLE = claim("triple", symbols="A: matrix(n, n), B: matrix(n, n), C: matrix(n, n)",
               lhs=lambda s: (s.A @ s.B @ s.C).T, rhs=lambda s: s.C.T @ s.B.T @ s.A.T)


def test_a_tree_mutation_means_the_same_in_general_and_explicit_form():
    import sympy as sp

    from verifier.instantiate import explicit, general, side_values

    swap = Mutation(TRIPLE.id, "rhs", "swap_factors", (0, 0))
    assert swap in candidates(TRIPLE)
    m = mutant(TRIPLE, swap)
    g = side_values(general(m), m.rhs, m)
    assert str(g) == "B.T*C.T*A.T"
    inst = explicit(m, {"n": 2})
    want = inst.env.B.T @ inst.env.C.T @ inst.env.A.T
    assert sp.expand(side_values(inst, m.rhs, m) - want) == sp.zeros(2, 2)


def test_the_independent_judge_sets_equivalent_mutants_aside():
    # transposing a symmetric side changes nothing
    sym = claim("sym", symbols="M: matrix(n, n)", assume=["M symmetric"],
                lhs=lambda s: s.M @ s.M, rhs=lambda s: s.M @ s.M)
    assert classify(mutant(sym, Mutation(sym.id, "rhs", "transpose"))).status == "equivalent"
    wrong = classify(mutant(TRIPLE, Mutation(TRIPLE.id, "rhs", "swap_factors", (0, 0))))
    assert wrong.status == "differs" and wrong.witness is not None


def test_a_condition_is_checked_independently():
    # −(M + Mᵀ)a is the gradient of aᵀMa only when M is skew-symmetric (both sides 0)
    neg = mutant(QUADRATIC_GENERAL, Mutation(QUADRATIC_GENERAL.id, "rhs", "negate"))
    assert condition_holds(neg, "M skew-symmetric").status == "equivalent"
    assert condition_holds(neg, "M symmetric").status == "differs"


def test_the_sample_is_seeded_and_spread_over_operators():
    pool = {c.id: candidates(c) for c in (TRIPLE, SUM_SQUARE)}
    a, b = sample(pool, 12, seed=3), sample(pool, 12, seed=3)
    assert a == b and len(a) == 12
    assert len({m.op for m in a}) >= 6
    assert {m.target for m in a} == set(pool)


def _proves_everything(ctx):
    return Verdict("proved", "prove_anything")


def test_an_unsound_engine_is_caught(monkeypatch):
    monkeypatch.setattr(engine, "PIPELINE", (_proves_everything,))
    report = run_mutants([TRIPLE], mutants=6, seed=0, jobs=2, timeout=20)
    assert len(report.unsound) == len(report.counted) >= 4
    text = report.details()
    assert "UNSOUND test.triple.mut-" in text and "the sides differ: sizes" in text
    assert "UNSOUND" in report.table()


@pytest.mark.parametrize("op", ["negate", "double", "halve", "transpose"])
def test_value_mutations_are_refuted(op):
    m = mutant(TRIPLE, Mutation(TRIPLE.id, "rhs", op))
    assert engine.decide(m, engine.Options(conditions=False)).verdict.status == "refuted"
