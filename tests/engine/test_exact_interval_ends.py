"""An interval's ends are the numbers as written, not their nearest floats.

``0 < s < 0.10000000000000000001`` holds s = 1/10, which the float 0.1 as an open end left
out: ``(s < 0.1) = 1`` was "checked" though s = 1/10 refutes it; ``1e400`` as an end was the
float inf and the claim ended in ``error``; two ends within 1e-17 of each other were read
as one float and the claim refused as an empty interval.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from verifier.audit import audit
from verifier.claim import exact_ends, parse_assumption
from verifier.claimfile import one_liner
from verifier.engine import Options, decide


def _refuted(lhs: str, assume: str):
    claim = one_liner(lhs, "1", "s: scalar", [assume])
    v = decide(claim, Options(timeout=30, conditions=False)).verdict
    assert v.status == "refuted", v
    assert audit(claim, v.counterexample).differs
    return Fraction(str(v.counterexample.values["s"]))


def test_end_past_the_float_digits_is_in_the_interval():
    s = _refuted("(s < 0.1)", "0 < s < 0.10000000000000000001")
    assert Fraction(1, 10) <= s < Fraction("0.10000000000000000001")


def test_end_beyond_the_float_range_is_a_number():
    s = _refuted("(s < 1e30)", "0 < s < 1e400")
    assert Fraction(10**30) <= s < Fraction(10**400)


@pytest.mark.parametrize("text, lo, hi", [
    ("s in (0.1, 0.10000000000000000002)", "0.1", "0.10000000000000000002"),
    ("s in [-1e-400, 1e400)", "-1e-400", "1e400"),
    ("s in (0.7, 1]", "0.7", "1"),
])
def test_ends_are_exact_and_the_phrase_reads_back(text, lo, hi):
    a = parse_assumption(text)
    assert exact_ends(a) == (Fraction(lo), Fraction(hi))
    assert parse_assumption(a.phrase()) == a
