"""Round 15: symbols declared as papers declare them, x ∈ ℝ^n, X ∈ ℝ^{n×d}, W ∈ R^{m \\times n},
s ∈ ℝ, x: R^n (in a string, a list or a table), and an assumption "x ∈ ℝ^n" that says what
the declaration says.  Before round 15 each was refused with the kind to write ('symbol
declaration "x ∈ R^n" needs "name: kind"; write "x: vector(n)"', 'unknown assumption "x in
R^n"').  Only the reals are read: a set of integers keeps its refusal."""

from __future__ import annotations

import pytest

from verifier import verify
from verifier.claim import ClaimError
from verifier.claimfile import declare_symbols


def _kinds(spec) -> dict[str, str]:
    return {d.name: f"{d.kind}{tuple(d.dims) if d.dims else ''}"
            for d in declare_symbols(spec)}


@pytest.mark.parametrize(("spec", "kinds"), [
    ("x ∈ R^n, A ∈ R^{n×n}", {"x": "vector('n',)", "A": "matrix('n', 'n')"}),
    ("X ∈ ℝ^{n×d}; y ∈ ℝ^n; s ∈ ℝ",
     {"X": "matrix('n', 'd')", "y": "vector('n',)", "s": "scalar"}),
    (r"W \in \mathbb{R}^{m \times n}", {"W": "matrix('m', 'n')"}),
    ("x in R^d", {"x": "vector('d',)"}), ("A ∈ R^(n x m)", {"A": "matrix('n', 'm')"}),
    ("A ∈ R^{n, m}", {"A": "matrix('n', 'm')"}), ("b ∈ ℝ^{n×1}", {"b": "vector('n',)"}),
    ("x: R^n, A: ℝ^{n×n}", {"x": "vector('n',)", "A": "matrix('n', 'n')"}),
    ({"x": "R^n", "A": "ℝ^{n×n}"}, {"x": "vector('n',)", "A": "matrix('n', 'n')"}),
    ("μ ∈ ℝ^d, Σ ∈ ℝ^{d×d}", {"mu": "vector('d',)", "Sigma": "matrix('d', 'd')"}),
])
def test_a_set_of_reals_declares_a_shape(spec, kinds: dict[str, str]) -> None:
    assert _kinds(spec) == kinds


@pytest.mark.parametrize("spec", ["x ∈ Z^n", "x ∈ {0, 1}^n", "x ∈ ℕ"])
def test_a_set_other_than_the_reals_stays_refused(spec: str) -> None:
    with pytest.raises(ClaimError):
        declare_symbols(spec)


def test_an_assumption_that_restates_a_declaration_is_dropped() -> None:
    result = verify("x.T @ A @ x", "x.T @ A.T @ x", symbols="x: vector(n), A: matrix(n, n)",
                    assume=["x ∈ ℝ^n", "A ∈ ℝ^{n×n}"], timeout=20)
    assert result.verdict.status == "proved"


def test_an_assumption_that_contradicts_a_declaration_is_refused() -> None:
    with pytest.raises(ClaimError) as info:
        verify("x.T @ x", "x.T @ x", symbols="x: vector(n)", assume=["x ∈ ℝ^m"])
    assert "x is declared vector(n), the assumption says vector(m)" in str(info.value)


# ----- the identity as papers write it: I_n, I_{n}, and I where one size fits -----

@pytest.mark.parametrize(("spec", "written", "plain"), [
    ("A ∈ ℝ^{n×n}", "I_n - A", "eye(n) - A"), ("A ∈ ℝ^{n×n}", "I_{n} - A", "eye(n) - A"),
    ("A ∈ ℝ^{n×n}, η ∈ ℝ, x ∈ ℝ^n", "(I - η A) x", "(eye(n) - eta * A) @ x"),
    ("Q ∈ ℝ^{n×n}", "Q^T Q - I", "Q.T @ Q - eye(n)"), ("x ∈ ℝ^n", "I_3", "eye(3)"),
])
def test_the_identity_is_read_where_its_size_is_one(spec: str, written: str,
                                                    plain: str) -> None:
    from readings import read

    from verifier.language import scope_of
    scope = scope_of(declare_symbols(spec))
    assert read(written, scope) == read(plain, scope)


@pytest.mark.parametrize(("spec", "written"), [
    ("A ∈ ℝ^{n×n}, B ∈ ℝ^{m×m}", "I - A"),  # two sizes of square matrix: which I?
    ("x ∈ ℝ^n", "I"),  # no square matrix: no size
])
def test_a_bare_identity_without_one_size_is_refused(spec: str, written: str) -> None:
    from readings import refusal

    from verifier.language import scope_of
    assert "write eye(n) for an identity matrix" in refusal(written,
                                                            scope_of(declare_symbols(spec)))
