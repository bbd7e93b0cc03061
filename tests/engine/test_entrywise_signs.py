"""Signs and intervals assumed of a vector or a matrix: of every entry ("p positive").

Before, "p positive" with p a vector was an input error, though it is how a probability or
a log argument is written. A sign narrows the entries where the entries are the symbol's own
(a free, symmetric or diagonal matrix, a vector); where a structure has other parameters
(orthogonal, positive definite, skew) the sign is only checked on the values, so a proof
never runs over a different set than the one assumed.
"""

from __future__ import annotations

import pytest
import sympy as sp
from test_soundness_classes import HOLDING, verdict

from verifier.claim import ClaimError
from verifier.claimfile import one_liner
from verifier.definedness import requirements
from verifier.domains import ANY, POSITIVE, entry_domain, holds
from verifier.engine import Options, decide


def test_a_sign_of_a_vector_or_matrix_is_accepted_and_an_index_still_is_not():
    one_liner("log(p)", "log(p)", "p: vector(n)", ["p positive"])
    one_liner("log(X)", "log(X)", "X: matrix(n, m)", ["X in (0, 1)"])
    with pytest.raises(ClaimError, match="scalar, a vector or a matrix"):
        one_liner("x[i]", "x[i]", "x: vector(n), i: index(n)", ["i positive"])


def test_the_sign_holds_of_every_entry():
    claim = one_liner("log(p)", "log(p)", "p: vector(n)", ["p positive"])
    (a,) = claim.assumptions
    assert holds(a, {"p": sp.Matrix([1, sp.Rational(1, 2)])}, claim)
    assert not holds(a, {"p": sp.Matrix([1, 0])}, claim)
    assert not holds(a, {"p": sp.Matrix([1, -2])}, claim)


def test_a_structure_whose_parameters_are_not_entries_keeps_them_free():
    # a Cayley parameter of an orthogonal Q is not an entry of Q: a positive parameter would
    # make a proof run over a different set of matrices than the orthogonal nonnegative ones
    orth = one_liner("Q", "Q", "Q: matrix(n, n)", ["Q orthogonal", "Q nonnegative"])
    assert entry_domain(orth, "Q") == ANY
    sym = one_liner("A", "A", "A: matrix(n, n)", ["A symmetric", "A positive"])
    assert entry_domain(sym, "A") == POSITIVE


def test_log_of_a_product_splits_for_positive_vectors():
    v = verdict("log(p * q)", "log(p) + log(q)", "p: vector(n), q: vector(n)",
                "p positive", "q positive")
    assert v.status in ("proved", "proved-at-sizes"), v


def test_kl_divergence_forms_agree_for_positive_vectors():
    v = verdict("sum(p * (log(p) - log(q)))", "sum(p * log(p / q))",
                "p: vector(n), q: vector(n)", "p positive", "q positive")
    assert v.status in HOLDING, v
    claim = one_liner("sum(p * (log(p) - log(q)))", "sum(p * log(p / q))",
                      "p: vector(n), q: vector(n)", ["p positive", "q positive"])
    found = {r.condition: r.assumed for r in requirements(claim)}
    # q / q entry by entry: read back as "q nonzero elementwise" ("q nonzero" of a vector is
    # "not the zero vector" since the language's round 14)
    assert found["p positive"] and found["q positive"] and found["q nonzero elementwise"], found


@pytest.mark.parametrize("assume, holds_", [
    ("x positive", True),
    ("x nonnegative", True),
    ("x nonzero", False),  # a negative entry breaks it; the counterexample must be nonzero
    ("x negative", False),
])
def test_abs_is_the_identity_exactly_on_nonnegative_entries(assume, holds_):
    v = verdict("abs(x)", "x", "x: vector(n)", assume, conditions=False)
    assert (v.status in HOLDING) is holds_, v
    if not holds_:
        assert v.status == "refuted"  # (verdict() re-audits its values against the sign)


def test_symmetric_with_positive_entries_is_sampled_and_proved_on_its_entries():
    v = verdict("trace(A)", "abs(trace(A))", "A: matrix(n, n)", "A symmetric", "A positive")
    assert v.status in ("proved", "proved-at-sizes"), v
    v = verdict("abs(A[0, 0] - A[1, 1])", "A[0, 0] - A[1, 1]", "A: matrix(2, 2)",
                "A symmetric", "A positive", conditions=False)
    assert v.status == "refuted", v


def test_orthogonal_nonnegative_is_a_permutation_and_the_refutation_respects_it():
    # the 2×2 orthogonal matrices with nonnegative entries: I and the swap; trace 2 fails for
    # the swap, and the counterexample must be it (verdict() checks the signs on the values)
    v = verdict("trace(Q)", "2", "Q: matrix(2, 2)", "Q orthogonal", "Q nonnegative",
                conditions=False)
    assert v.status == "refuted", v


def test_contradictory_entry_signs_are_named():
    claim = one_liner("x", "x", "x: vector(n)", ["x positive", "x negative"])
    v = decide(claim, Options(timeout=60)).verdict
    assert v.status == "undecided" and "contradict" in v.detail, v


def test_a_false_claim_under_entry_signs_is_not_proved():
    # positive entries do not make a matrix's determinant positive
    v = verdict("abs(det(A))", "det(A)", "A: matrix(2, 2)", "A positive", conditions=False)
    assert v.status == "refuted", v
