"""Definedness conditions (``verifier.definedness``): each condition for both sides to be
defined, in the assumption vocabulary, and whether the claim's assumptions imply it."""

from __future__ import annotations

import pytest

from verifier.claimfile import one_liner
from verifier.definedness import requirements


def _conditions(lhs: str, rhs: str, symbols: str, assume: tuple = ()) -> dict[str, bool]:
    return {r.condition: r.assumed for r in requirements(one_liner(lhs, rhs, symbols,
                                                                   list(assume)))}


@pytest.mark.parametrize("assume, assumed", [
    ((), False),
    (("A invertible",), True),
    (("A positive definite",), True),
    (("A orthogonal",), True),
    (("A symmetric",), False),  # symmetric matrices can be singular
])
def test_an_inverse_needs_its_argument_invertible(assume, assumed):
    assert _conditions("inv(A) @ A", "eye(n)", "A: matrix(n, n)", assume) == {
        "A invertible": assumed}


@pytest.mark.parametrize("assume, assumed", [
    ((), False),
    (("X invertible",), False),  # det X ≠ 0, but not > 0
    (("X positive definite",), True),  # every eigenvalue > 0
])
def test_log_det_needs_a_positive_determinant(assume, assumed):
    found = _conditions("log(det(X))", "log(det(X.T))", "X: matrix(n, n)", assume)
    assert found["det(X) positive"] is assumed, found


@pytest.mark.parametrize("assume, assumed", [
    (("A invertible", "B invertible"), True),  # a product of invertible matrices is
    (("A orthogonal", "B positive definite"), True),
    (("A invertible",), False),  # B may be singular
    ((), False),
])
def test_a_product_of_invertible_square_factors_is_invertible(assume, assumed):
    found = _conditions("inv(A @ B.T)", "inv(B.T) @ inv(A)", "A: matrix(n, n), B: matrix(n, n)",
                        assume)
    assert found["A @ B.T invertible"] is assumed, found


def test_a_nonsquare_product_is_not_made_invertible_by_its_factors():
    # X is n × m: XᵀX is invertible only when X has full column rank, which nothing says
    found = _conditions("inv(X.T @ X) @ X.T @ X", "eye(m)", "X: matrix(n, m)")
    assert found == {"X.T @ X invertible": False}


@pytest.mark.parametrize("assume, assumed", [
    (("det(X) positive",), True),
    (("det(X) nonzero",), True),
    (("det(X) nonnegative",), False),  # det X = 0 is allowed
    (("trace(X) positive",), False),
])
def test_a_nonzero_determinant_makes_a_matrix_invertible(assume, assumed):
    found = _conditions("inv(X) @ X", "eye(n)", "X: matrix(n, n)", assume)
    assert found["X invertible"] is assumed, found


def test_compound_subjects_are_named_as_the_claim_writes_them():
    found = _conditions("inv(X.T @ X) @ X.T @ X", "eye(m)", "X: matrix(n, m)")
    assert found == {"X.T @ X invertible": False}
    found = _conditions("inv(X.T @ X) @ X.T @ X", "eye(m)", "X: matrix(n, m)",
                        ("X.T @ X invertible",))
    assert found == {"X.T @ X invertible": True}


def test_scalar_domains_imply_what_they_contain():
    assert _conditions("log(s)", "log(s)", "s: scalar") == {"s positive": False}
    assert _conditions("log(s)", "log(s)", "s: scalar", ("s positive",)) == {"s positive": True}
    assert _conditions("log(s)", "log(s)", "s: scalar", ("s in (0, 1)",)) == {
        "s positive": True}
    # an interval that reaches 0 does not make 1/s defined
    assert _conditions("1 / s", "1 / s", "s: scalar", ("s nonnegative",)) == {
        "s nonzero": False}


def test_what_always_holds_is_not_asked_of_the_reader():
    assert all(_conditions("log(exp(x.T @ x) + 1)", "log(1 + exp(x.T @ x))",
                           "x: vector(n)").values())
    assert all(_conditions("log(sigmoid(s))", "-log(1 + exp(-s))", "s: scalar").values())


def test_a_number_or_a_size_is_not_listed_as_a_condition():
    # "/ 2" and "/ n" (a size is a positive integer) hold always: listing them is noise
    assert _conditions("grad((y - w.T @ x)**2 / 2, w)", "(w.T @ x - y) * x",
                       "w: vector(n), x: vector(n), y: scalar") == {}
    assert _conditions("x / (2 * n)", "x / n / 2", "x: vector(n)") == {}
    # n − 1 is 0 at n = 1: still a condition, and not assumed
    assert _conditions("x / (n - 1)", "x / (n - 1)", "x: vector(n)") == {
        "n - 1 nonzero": False}


@pytest.mark.parametrize("assume, assumed", [(["x positive"], True),
                                             (["x in (0, 1)"], True), ([], False)])
def test_an_entry_is_nonzero_by_its_symbols_assumptions(assume, assumed):
    # x[j] in a denominator: "x positive" assumes it for every entry ("where x[j] nonzero
    # (not assumed)" was printed under "x positive")
    c = one_liner("prod(x[k], k) / x[j]", "prod(x[k], k) / x[j]",
                  "x: vector(n), j: index(n), k: index(n)", assume=assume)
    (r,) = [r for r in requirements(c) if r.condition == "x[j] nonzero"]
    assert r.assumed is assumed
