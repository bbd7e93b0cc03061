"""A sign assumed of an expression discharges the weaker requirements on the same expression:
"norm(x) positive" (or "norm(x) > 0") gives "norm(x) nonzero"; "s - t negative" gives
"s - t nonzero"; "nonzero" does not give "positive"."""

from __future__ import annotations

import pytest

from verifier.api import verify

SYMBOLS = {"x": "vector(n)", "s": "scalar", "t": "scalar"}


@pytest.mark.parametrize(("lhs", "assume", "wanted", "assumed"), [
    ("grad(norm(x), x)", "norm(x) positive", "norm(x) nonzero", True),
    ("grad(norm(x), x)", "norm(x) > 0", "norm(x) nonzero", True),
    ("1 / (s - t)", "s - t negative", "s - t nonzero", True),
    ("sqrt(s - t)", "s - t positive", "s - t nonnegative", True),
    ("log(s - t)", "s - t nonzero", "s - t positive", False),
])
def test_a_stronger_sign_discharges_a_weaker_one(lhs: str, assume: str, wanted: str,
                                                 assumed: bool) -> None:
    rhs = "x / norm(x)" if lhs.startswith("grad") else lhs
    v = verify(lhs, rhs, symbols=SYMBOLS, assume=[assume], timeout=10).verdict
    assert {r.condition: r.assumed for r in v.requires}[wanted] is assumed
