"""SymPy decides a comparison of two numbers at the precision its evalf first gives: to it
log σ(1000) < 0 is False (σ(1000) rounds to 1), so a side built at x = 1000 had its
comparison collapsed to 0 before any certified evaluation, and the true claim
(log_sigmoid(x) < 0) = 1 was "refuted" there with an "exact" residual.  A point where SymPy's
judgement of a comparison is not confirmed by the certified sign is no evidence."""

import pytest
import sympy as sp

from verifier.api import as_entry, verify
from verifier.audit import _judged_wrongly, evaluate_point
from verifier.ops import sigmoid

UNSOUND_FOR_TRUE = ("refuted", "conditional")


def _claim(lhs: str, rhs: str):
    return as_entry(lhs, rhs, symbols="x: scalar")


def test_a_comparison_sympy_rounds_is_no_counterexample():
    # log σ(1000) = −log(1 + e^−1000) ≈ −5·10^−435 < 0: the comparison holds
    res = evaluate_point(_claim("(log_sigmoid(x) < 0)", "1"), {}, {"x": sp.Integer(1000)})
    assert res.status != "differ", res


@pytest.mark.parametrize("lhs, rhs", [
    ("(log_sigmoid(x) < 0)", "1"),
    ("sign(log_sigmoid(x))", "-1"),  # was refuted at x = 1000 too
    ("heaviside(log_sigmoid(x), 0.5)", "0"),  # likewise
])
def test_log_sigmoid_is_negative_is_not_refuted(lhs, rhs):
    result = verify(lhs, rhs, symbols="x: scalar")
    assert result.verdict.status not in UNSOUND_FOR_TRUE, result.verdict


def test_a_transcendental_switch_with_no_root_is_checked():
    # log σ(x) = 0 would need σ(x) = 1, outside σ's range: no switch, and the claim is
    # "checked" (it was undecided, "switches at irrational values")
    result = verify("(log_sigmoid(x) < 0)", "1", symbols="x: scalar")
    assert result.verdict.status == "checked", result.verdict


def test_sympys_rounded_judgement_is_caught():
    tiny_negative = sp.log(sigmoid(sp.Integer(1000)))
    assert _judged_wrongly(tiny_negative)  # SymPy: log σ(1000) < 0 is False
    assert not _judged_wrongly(sp.log(2) - sp.Rational(1, 2))  # decided and right
    assert not _judged_wrongly(sp.Rational(-1, 10**500))  # a rational: compared exactly


def test_a_certified_comparison_is_still_evidence():
    # log σ(1) < 0 is decided right by SymPy and certified: the point is a counterexample
    # of the false claim (log_sigmoid(x) < -1) = 1
    res = evaluate_point(_claim("(log_sigmoid(x) < -1)", "1"), {}, {"x": sp.Integer(1)})
    assert res.status == "differ", res
