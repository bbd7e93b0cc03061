"""A claim may state how it differentiates by a symbol confined to a set: convention =
"entry-wise" (the entries independent, evaluated on the set; the matrix-cookbook convention,
and what ``derivcheck derive`` computes). Unstated, a verdict that depends on it stands down."""

from __future__ import annotations

import tomllib

from verifier.claimfile import entries_from_toml, one_liner
from verifier.engine import Options, decide

OPTS = Options(timeout=60, conditions=False)
SYM = ("trace(S.T @ A)", "S: matrix(n, n), A: matrix(n, n)", ["S symmetric"])


def _decide(rhs: str, convention: str = ""):
    f, symbols, assume = SYM
    claim = one_liner(f"grad({f}, S)", rhs, symbols, assume, convention=convention)
    return decide(claim, OPTS).verdict


def test_unstated_the_entrywise_gradient_by_a_symmetric_matrix_stands_down():
    assert _decide("A").status == "undecided"


def test_stated_the_entrywise_gradient_is_proved_and_says_so():
    v = _decide("A", "entry-wise")
    assert v.status == "proved", v
    assert "entry-wise" in v.detail and "(G + Gᵀ)/2" in v.detail


def test_stated_a_wrong_entrywise_gradient_is_still_refuted_with_the_correct_one():
    v = _decide("A.T", "entry-wise")
    assert v.status == "refuted", v
    # the gradient to state instead follows the claim's convention: offered when stated
    assert v.correct_gradient is not None and v.correct_gradient.text == "A", v


def test_a_claim_file_states_it_and_a_wrong_value_is_an_input_error():
    text = '''
[[claim]]
id = "c"
symbols = { S = "matrix(n, n)", A = "matrix(n, n)" }
assume = ["S symmetric"]
lhs = "grad(trace(S.T @ A), S)"
rhs = "A"
convention = "entry-wise"
'''
    (claim,), errors = entries_from_toml(tomllib.loads(text), text, "t.claims.toml")
    assert claim.convention == "entry-wise" and not errors
    bad = text.replace('"entry-wise"', '"projected"')
    entries, errors = entries_from_toml(tomllib.loads(bad), bad, "t.claims.toml")
    assert not entries and "convention" in str(errors[0]) and errors[0].line == 8, errors
