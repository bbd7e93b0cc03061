"""Interval ends written as ratios are read exactly: 0 <= p <= 1/3 was refused (no exact
decimal), and a phrase with a non-terminating end looped forever in _decimal.  (p < 1/3) = 1
under 0 <= p <= 1/3 is refuted at p = 1/3."""

from fractions import Fraction

from verifier import verify
from verifier.claim import exact_ends, parse_assumption
from verifier.language.phrases import plain_assumption


def test_a_ratio_end_is_read_exactly():
    a = parse_assumption("p in [0, 1/3]")
    assert exact_ends(a) == (Fraction(0), Fraction(1, 3))
    assert a.phrase() == "p in [0, 1/3]"
    assert plain_assumption("0 <= p <= 1/3") == "p in [0, 1/3]"


def test_the_closed_ratio_end_is_a_counterexample():
    r = verify("(p < 1/3)", "1", symbols="p: scalar", assume=["0 <= p <= 1/3"], timeout=20)
    assert r.verdict.status == "refuted" and r.verdict.counterexample.values["p"] == "1/3"


def test_a_ratio_without_a_terminating_decimal_is_read_in_lowest_terms():
    assert plain_assumption("0 <= p <= 1.5/7") == "p in [0, 3/14]"
    assert exact_ends(parse_assumption("p in [0, 3/14]")) == (Fraction(0), Fraction(3, 14))
