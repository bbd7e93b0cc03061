"""A probability vector said as papers say it: "p probability vector", "p in the simplex",
"p on the probability simplex" are "p sums to 1" (non-negative entries summing to 1)."""

from __future__ import annotations

import pytest

from verifier.api import verify
from verifier.language.phrases import plain_assumption

SYMBOLS = {"p": "vector(n)", "q": "vector(n)"}
WORDS = ["p probability vector", "p in simplex", "p is in the simplex",
         "p on the probability simplex"]


@pytest.mark.parametrize("words", WORDS)
def test_simplex_words_are_a_probability_vector(words: str) -> None:
    # the reading, for each wording (round 18: the engine ran once per wording, ~1.5 s each)
    assert plain_assumption(words) == plain_assumption("p sums to 1") == "p sums to 1"


def test_a_simplex_word_decides_gibbs_inequality() -> None:
    claim = "sum(p * log(p / q)) >= 0"  # Gibbs: true for probability vectors only
    v = verify(claim, symbols=SYMBOLS, assume=[WORDS[0], "q sums to 1", "p > 0", "q > 0"],
               timeout=10).verdict
    assert v.status == "proved", v.detail
