"""A real power x ** a (read as exp(a·log x) for a positive x) is shown as written in the
reports' sides, not as the reading."""

from __future__ import annotations

import pytest

from verifier.api import verify

SYMBOLS = {"x": "scalar", "a": "scalar", "b": "scalar"}


@pytest.mark.parametrize(("lhs", "rhs", "shown"), [
    ("(x ** a) ** b", "x ** (a * b)", ("x**(a*b)", "x**(a*b)")),
    ("x ** a * x ** b", "x ** (a + b)", ("x**a*x**b", "x**(a + b)")),
])
def test_a_real_power_is_shown_as_a_power(lhs: str, rhs: str, shown: tuple[str, str]) -> None:
    r = verify(lhs, rhs, symbols=SYMBOLS, assume=["x > 0"], timeout=10)
    assert (r.lhs, r.rhs) == shown
    assert "log" not in r.lhs_latex + r.rhs_latex
    assert r.verdict.status == "proved"
