"""Round 15: assumptions as notes write them on entries and sets, read as the vocabulary's
phrases.  Before round 15 each was refused as an unknown assumption (or two conditions in
one string): p_i > 0 for all i, all p_i > 0, x_i ≠ 0 ∀i, p_i ≥ 0 and Σ_i p_i = 1,
p ≥ 0 and 1ᵀp = 1, y ∈ {0, 1}^n, Q^\\top Q = I_n, and a closing remark in words
(ε > 0 (small)).  x_i ≠ 0 for every i keeps every entry (not "x is not the zero vector")."""

from __future__ import annotations

import pytest

from verifier import verify
from verifier.claimfile import declare_symbols
from verifier.language.phrases import plain_assumption, vector_phrase

DECLS = declare_symbols("x: vector(n), p: vector(n), y: vector(n), Q: matrix(n, n), "
                        "ε: scalar, s: scalar")


def _phrase(text: str) -> str:
    return vector_phrase(text, DECLS) or plain_assumption(text)


@pytest.mark.parametrize(("written", "phrase"), [
    ("p_i > 0 for all i", plain_assumption("p > 0")),
    ("all p_i > 0", plain_assumption("p > 0")),
    ("p_i ≥ 0 ∀i", plain_assumption("p >= 0")),
    ("p_{i} >= 0 for each i", plain_assumption("p >= 0")),
    ("x_i ≠ 0 for every i", plain_assumption("x != 0 elementwise")),
    ("p_i ≥ 0 and Σ_i p_i = 1", "p sums to 1"), (r"p_i >= 0, \sum_i p_i = 1", "p sums to 1"),
    ("p ≥ 0 and 1ᵀp = 1", "p sums to 1"), ("y ∈ {0,1}^n", plain_assumption("y binary")),
    (r"Q^\top Q = I_n", "Q orthogonal"), ("QᵀQ = I_{n}", "Q orthogonal"),
    ("ε > 0 (small)", plain_assumption("epsilon > 0")),
    ("Q ≻ 0 (positive definite)", "Q positive definite"),
])
def test_a_condition_on_entries_or_a_set_reads_as_the_vocabulary(written: str,
                                                                 phrase: str) -> None:
    assert _phrase(written) == phrase


@pytest.mark.parametrize(("written", "phrase"), [("Q @ Q.T = eye(n)", "Q orthogonal"),
                                                ("x != zeros(n)", "norm(x) nonzero")])
def test_a_call_at_the_end_is_no_remark(written: str, phrase: str) -> None:
    assert _phrase(written) == phrase  # eye(n), zeros(n): not a remark in parentheses


def test_every_entry_nonzero_written_on_entries_is_every_entry() -> None:
    # x / x = 1 entry by entry needs every entry nonzero: assumed as written, proved
    result = verify("x / x", "ones(n)", symbols="x: vector(n)",
                    assume=["x_i ≠ 0 for every i"], timeout=20)
    assert result.verdict.status == "proved"
    assert all(r.assumed for r in result.verdict.requires)
