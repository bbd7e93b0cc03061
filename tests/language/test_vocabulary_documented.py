"""Every function of the language and every assumption phrase is documented: in the README's
tables and in ``derivcheck claim --help`` (which derives its lists from the parser's table and
the assumption vocabulary)."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.claim import ASSUMPTION_PHRASES, parse_assumption
from verifier.cli import language_help
from verifier.language import FUNCTIONS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_is_in_the_readme_and_the_help(name):
    assert f"`{name}(" in README or f"`{name}`" in README, name
    assert f"{name}(" in language_help(), name


@pytest.mark.parametrize("phrase", [p for p, _ in ASSUMPTION_PHRASES])
def test_every_assumption_phrase_parses_and_is_documented(phrase):
    parse_assumption(phrase)
    assert f"`{phrase}`" in README, phrase
    assert phrase in language_help(), phrase


def test_the_help_names_indexing_comparisons_and_axis():
    text = language_help()
    for fragment in ("W[i, :] a row", "W[:, j] a column", "comparisons (> >= < <=, == !=)",
                     "softmax(Z, axis=k)", "index(n)"):
        assert fragment in text, fragment
