"""Malformed entries raise one error class that names the entry and says what to fix."""

from __future__ import annotations

import pytest

from verifier.claim import ClaimError, Expect, make_claim, parse_assumption, parse_symbols
from verifier.engine import decide


def test_symbols_parse_with_shared_dimensions():
    decls = parse_symbols("a: vector(n), M: matrix(n, n), s: scalar, y: index(C)")
    assert [d.shape for d in decls] == [("n", 1), ("n", "n"), (1, 1), (1, 1)]


@pytest.mark.parametrize(
    "text, message",
    [
        ("a: tensor(n)", 'unknown kind "tensor(n)"'),
        ("a: vector(n, m)", "vector takes 1 dimension"),
        ("a vector(n)", 'needs "name: kind"'),
        ("a: vector(0)", "neither a name nor a positive integer"),
        ("a: scalar, a: scalar", "declared twice"),
    ],
)
def test_bad_symbols_name_the_problem(text, message):
    with pytest.raises(ClaimError, match="claim \"x\"") as info:
        parse_symbols(text, "x")
    assert message in str(info.value)


def test_unknown_assumption_lists_what_is_accepted():
    with pytest.raises(ClaimError) as info:
        parse_assumption("M symetric", "x")
    assert "unknown assumption" in str(info.value) and "M symmetric" in str(info.value)


def test_assumption_on_an_undeclared_symbol():
    with pytest.raises(ClaimError, match="undeclared symbol B"):
        make_claim("x", title="", source="", symbols="A: matrix(n, n)", assume=["B symmetric"],
                   lhs=lambda s: s.A, rhs=lambda s: s.A)


def test_symmetric_needs_a_square_matrix():
    with pytest.raises(ClaimError, match="square matrix"):
        make_claim("x", title="", source="", symbols="A: matrix(n, m)", assume=["A symmetric"],
                   lhs=lambda s: s.A, rhs=lambda s: s.A)


def test_gradient_needs_f_and_wrt():
    with pytest.raises(ClaimError, match="needs f="):
        make_claim("x", title="", source="", symbols="A: matrix(n, m)", kind="gradient",
                   rhs=lambda s: s.A)


def test_shapes_that_cannot_fit_are_an_error_naming_the_claim():
    c = make_claim("bad.shapes", title="", source="", symbols="A: matrix(n, m), y: vector(n)",
                   lhs=lambda s: s.A @ s.y, rhs=lambda s: s.y)
    r = decide(c)
    assert r.verdict.status == "error"
    assert 'claim "bad.shapes"' in r.verdict.detail and "cannot be built" in r.verdict.detail


def test_expectations_parse():
    assert Expect.parse("holds if M symmetric").condition == "M symmetric"
    assert Expect.parse("holds if numerator layout").condition == "numerator layout"
    with pytest.raises(ClaimError):
        Expect.parse("sometimes")
