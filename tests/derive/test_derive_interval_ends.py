"""derive reads an interval assumption's lower end as written: the float of -1e-400 is -0.0,
and (-0.0, 1) open read x as positive (facts used to drop |x| and to take logs)."""

from __future__ import annotations

import pytest

from verifier.claim import parse_assumption
from verifier.derive.expr import facts_of


@pytest.mark.parametrize("text,positive", [
    ("x in (-1e-400, 1)", False),
    ("x in (1e-400, 1)", True),
    ("x in (0, 1)", True),
    ("x in [0, 1)", False),
])
def test_positivity_from_an_interval_uses_its_exact_lower_end(text, positive):
    assert ("x" in facts_of([parse_assumption(text)]).positive) is positive
