"""A vector with every entry of one strict sign is not the zero vector (prove_nonnegative).

Since 'x nonzero' of a vector means "not the zero vector" (the language's round 14), the
certificate ‖x‖²‖z‖² > 0 needed z in its nonzero facts; 'z positive' (every entry) did not
put it there, so the claim under z positive was undecided and round 15's adversarial
r15_nn_gram_two_spaces_product_strict ("holds if z positive") was refuted without its
condition. z nonnegative stays refuted (z = 0).
"""

from __future__ import annotations

import pytest

from verifier.api import verify

CLAIM = ("(norm(x)**2 * norm(z)**2 > 0)", "1")
SYMBOLS = "x: vector(n), z: vector(m)"


@pytest.mark.parametrize("sign", ["positive", "negative"])
def test_a_vector_of_one_strict_sign_makes_its_norm_positive(sign: str) -> None:
    verdict = verify(*CLAIM, symbols=SYMBOLS, assume=["x nonzero", f"z {sign}"],
                     timeout=60).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_nonnegative"), verdict


def test_nonnegative_entries_do_not() -> None:
    verdict = verify(*CLAIM, symbols=SYMBOLS, assume=["x nonzero", "z nonnegative"],
                     timeout=60).verdict
    assert verdict.status == "refuted", verdict


def test_without_it_the_condition_is_found() -> None:
    result = verify(*CLAIM, symbols=SYMBOLS, assume=["x nonzero"], expect="holds if z positive",
                    timeout=60)
    assert (result.verdict.status, result.verdict.condition) == ("conditional", "z positive")
    assert result.as_expected
