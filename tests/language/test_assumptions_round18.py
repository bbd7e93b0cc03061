"""Round 18: assumptions as papers write them.  Each was refused before (seen at the parent):
|s| < 1 ('unknown assumption'), \\lvert s \\rvert < 1 ('the LaTeX \\lvert is not read'),
∀i, x_i > 0 with the quantifier first ('joins two conditions', with a wrong rewrite), s ∈ ℝ₊
('unknown assumption'), A^{-1} exists ('unknown assumption'); WᵀW = I of a non-square W was
refused as 'assumption "W orthogonal" needs a square matrix', a word the writer did not use.
Decided and kept: s >= 1, a > 1 stay refused with the exact reparametrisation (s = 1 + u, u
nonnegative), as the vocabulary compares with 0 or states an interval."""

from __future__ import annotations

import pytest

from verifier.api import verify
from verifier.claim import ClaimError
from verifier.claimfile import declare_symbols
from verifier.language.phrases import plain_assumption, vector_phrase

SYMBOLS = declare_symbols("s: scalar, x: vector(n), A: matrix(n, n), W: matrix(n, m), "
                          "Q: matrix(n, n), i: index(n)")
NAMES = frozenset(d.name for d in SYMBOLS)


def _phrase(text: str) -> str:
    return vector_phrase(text, SYMBOLS) or plain_assumption(text, None, NAMES)


@pytest.mark.parametrize(("written", "phrase"), [
    ("|s| < 1", "s in (-1, 1)"), ("|s| <= 1/2", "s in [-0.5, 0.5]"), ("|s| ≤ 1", "s in [-1, 1]"),
    (r"\lvert s \rvert < 1", "s in (-1, 1)"), (r"\left| s \right| < 2", "s in (-2, 2)"),
    (r"\forall i, x_i > 0", "x positive"), (r"\forall i: x_i > 0", "x positive"),
    ("for all i, x_i > 0", "x positive"), ("∀i: x_i ≥ 0", "x nonnegative"),
    # every entry, as the quantifier after it says (not 'norm(x) nonzero', the vector)
    (r"\forall i, x_i \neq 0", "x nonzero"), ("for every i: x_i != 0", "x nonzero"),
    ("s ∈ ℝ₊", "s nonnegative"), ("s ∈ ℝ₊₊", "s positive"),
    ("A^{-1} exists", "A invertible"), ("A⁻¹ exists", "A invertible"),
    (r"Q^\top Q = I", "Q orthogonal"),
])
def test_assumptions_as_papers_write_them_are_read(written: str, phrase: str) -> None:
    assert _phrase(written) == phrase


@pytest.mark.parametrize(("written", "says"), [
    ("|x| < 1", 'write "-1 < x < 1" for every entry'),
    (r"W^\top W = I", "its columns (or rows) are orthonormal, which the vocabulary has no word"),
    ("W.T @ W = eye(m)", "not square"),
    ("s >= 1", "write s as 1 + u"), ("s > 1", "write s as 1 + u"),
])
def test_assumptions_without_a_word_are_refused_with_what_to_write(written: str,
                                                                   says: str) -> None:
    with pytest.raises(ClaimError) as info:
        verify("s", "s", symbols="s: scalar, x: vector(n), W: matrix(n, m)", assume=[written],
               timeout=10)
    assert says in str(info.value)


def test_an_absolute_bound_decides_a_claim_that_needs_it() -> None:
    # |s| < 1 gives s > -1: max(s, -1) = s; it does not give s > 1 (max(s, 1) = s is false)
    def status(rhs: str, assume: str) -> str:
        return verify(f"max(s, {rhs})", "s", symbols="s: scalar", assume=[assume],
                      timeout=10).verdict.status
    assert status("-1", "|s| < 1") == "proved"
    assert status("1", "|s| < 1") == "refuted"
