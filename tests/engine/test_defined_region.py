"""prove_where_defined: a scalar identity that holds wherever both sides are defined, proved
with each symbol given the sign its definedness requires (log x: x > 0, √x: x ≥ 0, 1/x: x ≠ 0).
Before, SymPy kept log(xy) whole (x could be negative) and these were only "checked" by
sampling. Wrong neighbours stay refuted; a claim defined nowhere (log(−x) = log x) is never
proved; a requirement on a product (x·y > 0) gives no sign to its factors."""

from __future__ import annotations

import pytest

from verifier.api import verify

SYMBOLS = {"x": "scalar", "y": "scalar", "k": "integer", "p": "scalar"}

PROVED = [
    "log(x**2) = 2*log(x)",
    "log(x*y) = log(x) + log(y)",
    "log(x/y) = log(x) - log(y)",
    "sqrt(x*y) = sqrt(x)*sqrt(y)",
    "log(sqrt(x)) = log(x)/2",
    "log(1/x) = -log(x)",
    "log(x**k) = k*log(x)",
    "log(x) = log(abs(x))",
    "1/x + 1/y = (x + y)/(x*y)",
    "log(x*y) = log(x) + log(y) + (x < 0)",
]

NOT_PROVED = [
    ("log(x) + log(y) = log(x*y) + 1", ("refuted",)),
    ("log(x*y) = log(x)*log(y)", ("refuted",)),
    ("sqrt(x*y) = sqrt(x)*sqrt(y) + 1", ("refuted",)),
    ("sqrt(x**2) = x", ("conditional",)),
    ("log(-x) = log(x)", ("undecided",)),  # defined nowhere
    ("log(x*y) = log(x) + log(y) + (x > 0)", ("refuted",)),
]


@pytest.mark.parametrize("claim", PROVED)
def test_proved_where_both_sides_are_defined(claim: str) -> None:
    verdict = verify(claim, symbols=SYMBOLS, timeout=60).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_where_defined"), verdict
    assert any(not r.assumed for r in verdict.requires), verdict.requires


@pytest.mark.parametrize(("claim", "allowed"), NOT_PROVED)
def test_wrong_or_undefined_claims_are_not_proved(claim: str, allowed: tuple) -> None:
    verdict = verify(claim, symbols=SYMBOLS, timeout=60).verdict
    assert verdict.status in allowed, verdict


def test_a_product_requirement_gives_its_factors_no_sign() -> None:
    """log(xy) = log|x| + log|y| needs xy > 0, |x| > 0, |y| > 0: no bare symbol's sign (x and
    y may both be negative), so not this strategy's."""
    verdict = verify("log(x*y) = log(abs(x)) + log(abs(y))", symbols=SYMBOLS,
                     timeout=60).verdict
    assert verdict.method != "prove_where_defined", verdict
    assert verdict.status != "refuted", verdict
