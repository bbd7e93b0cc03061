"""Round 14: "x nonzero" in words, of a vector or a matrix, means what x != 0 means since round
13: not the zero vector (maths' "xᵀAx > 0 for every nonzero x").  Before, the words meant every
entry nonzero while x != 0 meant not the zero vector; the stronger reading let a claim false at
x = (1, 0) be proved.  The weaker reading never proves a claim false under either meaning; every
entry is "x nonzero elementwise", "x != 0 elementwise" or "x has nonzero entries"."""

from __future__ import annotations

import pytest

from verifier import verify
from verifier.api import as_entry
from verifier.claimfile import one_liner

SYMBOLS = "x: vector(n), A: matrix(n, m), s: scalar, i: index(n)"


@pytest.mark.parametrize(("written", "reading"), [
    ("x nonzero", "norm(x) nonzero"), ("x non-zero", "norm(x) nonzero"),
    ("x is nonzero", "norm(x) nonzero"), ("x is non-zero", "norm(x) nonzero"),
    ("A nonzero", "norm(A) nonzero"), ("if x nonzero.", "norm(x) nonzero"),
    ("x != 0", "norm(x) nonzero"),
    # every entry
    ("x nonzero elementwise", "x nonzero"), ("x nonzero entrywise", "x nonzero"),
    ("x has nonzero entries", "x nonzero"), ("x has no zero entries", "x nonzero"),
    ("all entries of x are nonzero", "x nonzero"), ("x != 0 elementwise", "x nonzero"),
    # a scalar, an expression: as before
    ("s nonzero", "s nonzero"), ("s is non-zero", "s nonzero"),
])
def test_nonzero_in_words_reads_as_its_symbol(written: str, reading: str) -> None:
    for entry in (one_liner("s * x", "x * s", SYMBOLS, assume=[written]),
                  as_entry("s * x", "x * s", symbols=SYMBOLS, assume=[written]),
                  as_entry(lambda c: c.x, lambda c: c.x, symbols=SYMBOLS, assume=[written])):
        assert [str(a) for a in entry.assumptions] == [reading]


def test_a_claim_false_at_a_nonzero_vector_with_a_zero_entry_is_not_proved() -> None:
    # |x₀ x₁ …| > 0 (diag(x) invertible) fails at the nonzero vector x = (1, 0): it was proved
    # under "x nonzero" before round 14
    claim = ("(abs(prod(x[i], i)) > 0)", "1")
    spec = dict(symbols="x: vector(n), i: index(n)")
    words = verify(*claim, **spec, assume=["x nonzero"]).verdict
    assert words.status in ("refuted", "conditional") and words.counterexample is not None
    entries = verify(*claim, **spec, assume=["x has nonzero entries"]).verdict
    assert entries.status in ("proved", "proved-at-sizes")


def test_an_expected_condition_in_words_is_read_the_same_way() -> None:
    claim = ("(abs(prod(x[i], i)) > 0)", "1")
    spec = dict(symbols="x: vector(n), i: index(n)")
    assert str(as_entry(*claim, **spec, expect="holds if x nonzero").expect) == \
        "holds if norm(x) nonzero"
    assert verify(*claim, **spec, expect="holds if x nonzero elementwise").as_expected
