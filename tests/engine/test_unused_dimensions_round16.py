"""Round 16 open item: a scalar identity declared beside a symbol with a dimension it does
not use (x, y: scalar; v: vector(n)) was "proved at sizes" only, though its sides are the
same at every size.  Now proved; a claim that names the dimension (n > 3) or such a symbol
is still judged at its sizes and beyond."""

from __future__ import annotations

from verifier.api import verify

SYMBOLS = "x: scalar, y: scalar, v: vector(n)"


def test_unused_vector_does_not_limit_the_proof() -> None:
    verdict = verify("(x + y)**2 = x**2 + 2*x*y + y**2", symbols=SYMBOLS, timeout=30).verdict
    assert verdict.status == "proved", verdict


def test_a_named_dimension_still_matters() -> None:
    verdict = verify("x * (n > 3) = 0", symbols=SYMBOLS, timeout=30).verdict
    assert verdict.status == "refuted", verdict
    assert verdict.counterexample is not None and verdict.counterexample.sizes["n"] >= 4


def test_wrong_neighbour_still_refuted() -> None:
    verdict = verify("(x + y)**2 = x**2 + x*y + y**2", symbols=SYMBOLS, timeout=30).verdict
    assert verdict.status == "refuted", verdict


def test_a_one_point_region_is_named_as_a_point() -> None:
    verdict = verify("sqrt(x - 1) + sqrt(1 - x) + sign(x) = 1", symbols="x: scalar",
                     timeout=30).verdict
    assert verdict.status == "proved" and "x = 1 there" in verdict.detail, verdict
