"""x ** a with a real exponent: read as exp(a * log(x)) where x > 0 is assumed (or the base is
positive by its form); refused otherwise, since (-1) ** 1 is real and exp(a log x) would drop
such points."""

from __future__ import annotations

import pytest

from verifier.api import as_entry, verify
from verifier.language import ClaimInputError, to_text

S = {"x": "scalar", "a": "scalar", "b": "scalar", "y": "scalar", "v": "vector(n)"}


@pytest.mark.parametrize(("lhs", "assume", "reading"), [
    ("x ** a", ["x > 0"], "exp(a * log(x))"),
    ("x ** a", ["x in (0, 1)"], "exp(a * log(x))"),
    ("(x ** a) ** b", ["x > 0"], "exp(b * log(exp(a * log(x))))"),
    ("exp(y) ** a", [], "exp(a * log(exp(y)))"),
    ("v ** a", ["v > 0"], "exp(a * log(v))"),
    ("(1 - sigmoid(y)) ** a", [], "exp(a * log(1 - sigmoid(y)))"),  # focal loss, symbolic γ
    ("x ** a", ["x in (0, 1)"], "exp(a * log(x))"),
])
def test_a_real_power_of_a_positive_base_is_read(lhs, assume, reading):
    assert to_text(as_entry(lhs, "1", symbols=S, assume=assume).lhs.tree) == reading


@pytest.mark.parametrize(("lhs", "assume"), [
    ("x ** a", []), ("x ** a", ["x >= 0"]), ("(-2) ** a", []), ("(x - y) ** a", ["x > 0"]),
    ("v ** a", []), ("(0.5 - sigmoid(y)) ** a", []),
])
def test_without_a_positive_base_it_is_refused(lhs, assume):
    with pytest.raises(ClaimInputError, match="symbolic exponent"):
        as_entry(lhs, "1", symbols=S, assume=assume)


@pytest.mark.parametrize(("lhs", "rhs", "holds"), [
    ("(x ** a) ** b", "x ** (a * b)", True),
    ("x ** a * x ** b", "x ** (a + b)", True),
    ("(x ** a) ** b", "x ** (a + b)", False),
    ("x ** a", "x ** b", False),
])
def test_power_rules_are_decided(lhs, rhs, holds):
    v = verify(lhs, rhs, symbols=S, assume=["x > 0"], timeout=10).verdict
    assert v.status in (("proved", "proved-at-sizes") if holds else ("refuted", "conditional"))
