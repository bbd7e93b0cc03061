"""A probability vector said as papers say it: "p probability vector", "p in the simplex",
"p on the probability simplex" are "p sums to 1" (non-negative entries summing to 1)."""

from __future__ import annotations

import pytest

from verifier.api import verify

SYMBOLS = {"p": "vector(n)", "q": "vector(n)"}


@pytest.mark.parametrize("words", ["p probability vector", "p in simplex",
                                   "p is in the simplex", "p on the probability simplex"])
def test_simplex_words_are_a_probability_vector(words: str) -> None:
    claim = "sum(p * log(p / q)) >= 0"  # Gibbs: true for probability vectors only
    v = verify(claim, symbols=SYMBOLS, assume=[words, "q sums to 1", "p > 0", "q > 0"],
               timeout=10).verdict
    assert v.status == "proved", v.detail
