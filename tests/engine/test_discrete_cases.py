"""Claims about finite sets of labels, decided from a few of their values.

A binary or one-hot vector/matrix has 2^entries (C^N) values; past the cases a proof
enumerates, the numeric check drew about twenty of them, so a claim false at one value was
"checked" ((Σ Y[:, 2] ≥ 7)·eˣ = 0 over one-hot 7×4 Y, false with every row in class 2;
det Y ≥ 3 over binary 4×4 Y, false at the few of determinant 3) or "proved-at-sizes"
((Σ y ≥ n)·1[n > 9] = 0, false at n = 10 and all ones; (t ≥ 50)·Σx = 0 with t in 1..n,
false at t = n = 50).  Now the extreme values (all 0, all 1, every row in one class, a
range at its ends) are tried at every size, every value is tried where there are at most
64, and past that the claim is not "checked".
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from verifier import verify

HOLDING = ("proved", "proved-at-sizes", "checked")


def _matrix(values, name):
    return [[Fraction(e) for e in row] for row in values[name]]


def test_all_ones_at_a_size_past_a_written_threshold():
    r = verify("(sum(y) >= n) * (n > 9)", "0", symbols="y: vector(n)", assume=["y binary"])
    assert r.verdict.status == "refuted", r.verdict
    y = _matrix(r.verdict.counterexample.values, "y")
    assert len(y) > 9 and all(row[0] == 1 for row in y)


def test_every_row_in_one_class():
    # 4^7 labellings; the first two classes would be the first and last of them
    r = verify("(sum(Y[:, 2]) >= 7) * exp(x)", "0", symbols="Y: matrix(7, 4), x: scalar",
               assume=["Y one-hot"], timeout=20)
    assert r.verdict.status in ("refuted", "conditional"), r.verdict
    y = _matrix(r.verdict.counterexample.values, "Y")
    assert all(row[2] == 1 for row in y)


def test_a_range_at_its_dimension_end():
    r = verify("(t >= 50) * sum(x)", "0", symbols="t: integer, x: vector(n)",
               assume=["t in 1..n"])
    assert r.verdict.status == "refuted", r.verdict
    assert int(r.verdict.counterexample.values["t"]) >= 50


def test_too_many_labellings_are_not_checked():
    # the binary 4×4 matrices of determinant 3 are few among 2^16; none is an extreme one
    r = verify("(det(Y) >= 3) * exp(x)", "0", symbols="Y: matrix(4, 4), x: scalar",
               assume=["Y binary"], timeout=40)
    assert r.verdict.status not in HOLDING, r.verdict


def test_an_integer_switch_and_a_narrow_window_at_once():
    r = verify("(t == 77) * (x > 1/3) * (x < 1/3 + 1e-30)", "0", symbols="t: integer, x: scalar",
               assume=["t in 1..100"])
    assert r.verdict.status == "refuted", r.verdict
    v = r.verdict.counterexample.values
    assert int(v["t"]) == 77
    assert Fraction(1, 3) < Fraction(v["x"]) < Fraction(1, 3) + Fraction(1, 10**30)


@pytest.mark.parametrize("lhs, rhs, assume, symbols", [
    ("sum(y * y)", "sum(y)", ["y binary"], "y: vector(n)"),  # y² = y on every labelling
    ("sum(Y, axis=1)", "ones(N, 1)", ["Y one-hot"], "Y: matrix(N, C)"),
])
def test_true_claims_on_labels_still_hold(lhs, rhs, assume, symbols):
    assert verify(lhs, rhs, symbols=symbols, assume=assume).verdict.status in HOLDING
