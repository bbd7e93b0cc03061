"""A requirement entry by entry reads back as the claim language reads it.

x / x of a vector needs every entry nonzero. It was listed as "x nonzero", which the language
reads as "not the zero vector" since its round 14, so a user copying the requirement into
their assumptions assumed less than needed. It is "x nonzero elementwise" now; "x nonzero"
(not the zero vector) does not assume it, "x nonzero elementwise" does. A scalar keeps
"s nonzero".
"""

from __future__ import annotations

import pytest

from verifier.api import verify

SYMBOLS = "x: vector(n), s: scalar"


@pytest.mark.parametrize(("assume", "assumed"), [
    ([], False), (["x nonzero"], False), (["x nonzero elementwise"], True)])
def test_a_vector_divided_entry_by_entry_requires_every_entry_nonzero(assume, assumed):
    verdict = verify("x / x", "ones(n)", symbols=SYMBOLS, assume=assume, timeout=30).verdict
    found = {r.condition: r.assumed for r in verdict.requires}
    assert found == {"x nonzero elementwise": assumed}, verdict.requires


def test_a_scalar_keeps_its_phrase():
    verdict = verify("s / s", "1", symbols=SYMBOLS, timeout=30).verdict
    assert [(r.condition, r.assumed) for r in verdict.requires] == [("s nonzero", False)]


@pytest.mark.parametrize(("assume", "assumed"), [
    ([], False), (["x - y nonzero elementwise"], True)])
def test_an_expression_divided_entry_by_entry_requires_every_entry_nonzero(assume, assumed):
    # x − y is no declared symbol: its shape is read in the claim's scope ("x - y nonzero"
    # was printed, which reads as "not the zero vector")
    verdict = verify("(x * y) / (x - y)", "(y * x) / (x - y)", symbols="x: vector(n), "
                     "y: vector(n)", assume=assume, timeout=30).verdict
    found = {r.condition: r.assumed for r in verdict.requires}
    assert found == {"x - y nonzero elementwise": assumed}, verdict.requires


def test_a_scalar_expression_and_an_inner_product_keep_their_phrase():
    verdict = verify("1 / (x.T @ y + s)", "1 / (y.T @ x + s)", symbols="x: vector(n), "
                     "y: vector(n), s: scalar", timeout=30).verdict
    assert all(not r.condition.endswith("elementwise") for r in verdict.requires), \
        verdict.requires
