"""The pytest plugin skips the condition search only where it cannot change an item's
outcome: a claim expected to fail passes as "refuted" and as "conditional" alike (the search
took ~17 s of CPU over tests/claims).  A claim expected to hold under a condition, one
expected to hold, and a derivation (its steps may expect conditions) keep it."""

from __future__ import annotations

import tomllib

import pytest

from verifier.claimfile import entries_from_toml
from verifier.engine import Options, decide
from verifier.pytest_plugin import _condition_matters

CLAIMS = """
[[claim]]
id = "no_transpose"
symbols = { A = "matrix(3, 3)", x = "vector(3)" }
lhs = "grad(x.T @ A @ x, x)"
rhs = "2 * A @ x"
expect = "EXPECT"
"""


def _claim(expect: str):
    text = CLAIMS.replace("EXPECT", expect)
    entries, errors = entries_from_toml(tomllib.loads(text), text, "t.claims.toml")
    assert not errors
    return entries[0]


@pytest.mark.parametrize("expect,searched", [
    ("fails", False), ("holds if A symmetric", True), ("holds", True)])
def test_the_search_is_skipped_only_for_claims_expected_to_fail(expect, searched):
    assert _condition_matters(_claim(expect)) is searched


def test_a_claim_expected_to_fail_is_as_expected_without_the_search():
    claim = _claim("fails")
    without = decide(claim, Options(jobs=1, conditions=False))
    assert without.verdict.status == "refuted" and without.as_expected
    assert decide(claim, Options(jobs=1)).verdict.condition == "A symmetric"
