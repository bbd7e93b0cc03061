"""An expected condition is met by a weaker one it implies, never by another or a stronger one."""

from __future__ import annotations

import pytest

from verifier.claim import Expect
from verifier.verdict import Verdict, as_expected


def _conditional(condition: str) -> Verdict:
    return Verdict(status="conditional", method="test", detail="", condition=condition)


@pytest.mark.parametrize("expected, found, met", [
    ("A positive definite", "A symmetric", True),
    ("A positive definite", "A positive definite", True),
    ("A diagonal", "A symmetric", True),
    ("Q orthogonal", "Q invertible", True),
    ("s positive", "s nonnegative", True),
    ("A symmetric", "A positive definite", False),  # stronger than expected
    ("A positive definite", "B symmetric", False),  # another symbol
    ("A diagonal", "A skew-symmetric", False),
    ("s nonnegative", "s positive", False),
    ("A positive definite", "numerator layout", False),
])
def test_expected_condition_is_met_by_what_it_implies(expected, found, met):
    assert as_expected(Expect("conditional", expected), _conditional(found)) is met
