"""``prove_differential``: gradient claims proved by their differential, df(X)[V] = tr(GᵀV).

It must prove the identities SymPy's matrix derivatives get wrong or are slow to re-check
(log det X, inverses), and never prove a false claim: each true identity is mutated the way
people slip (a transpose dropped, a sign flipped, a factor halved, an inverse for a
transpose) and the strategy must not call the mutant proved.
"""

from __future__ import annotations

import pytest

from verifier.claimfile import one_liner
from verifier.derive.differential import prove_differential
from verifier.strategies.context import Context

TRUE = [
    # ∂log det X/∂X = X⁻ᵀ
    ("grad(log(det(X)), X)", "inv(X).T", "X: matrix(n, n)", ()),
    # ∂det X/∂X = det(X) X⁻ᵀ
    ("grad(det(X), X)", "det(X) * inv(X).T", "X: matrix(n, n)", ()),
    # ∂tr(AX⁻¹B)/∂X = −(X⁻¹BAX⁻¹)ᵀ                      Cookbook (63)
    ("grad(trace(A @ inv(X) @ B), X)", "-(inv(X) @ B @ A @ inv(X)).T",
     "A: matrix(n, n), B: matrix(n, n), X: matrix(n, n)", ()),
    # ∂(aᵀX⁻¹b)/∂X = −X⁻ᵀabᵀX⁻ᵀ
    ("grad(a.T @ inv(X) @ b, X)", "-inv(X).T @ a @ b.T @ inv(X).T",
     "a: vector(n), b: vector(n), X: matrix(n, n)", ()),
    # ∂log det(XᵀX)/∂X = 2X(XᵀX)⁻¹ for a tall X
    ("grad(log(det(X.T @ X)), X)", "2 * X @ inv(X.T @ X)", "X: matrix(n, m)", ()),
    # ∂(xᵀAx)/∂x = 2Ax for a symmetric A
    ("grad(x.T @ A @ x, x)", "2 * A @ x", "x: vector(n), A: matrix(n, n)", ("A symmetric",)),
    # numerator layout: ∂(aᵀXb)/∂X = baᵀ
    ("grad(a.T @ X @ b, X)", "b @ a.T", "a: vector(n), b: vector(m), X: matrix(n, m)", ()),
]

MUTANTS = [
    ("grad(log(det(X)), X)", "inv(X)", "X: matrix(n, n)", ()),  # transpose dropped
    ("grad(log(det(X)), X)", "X.T", "X: matrix(n, n)", ()),  # inverse → transpose
    ("grad(det(X), X)", "-det(X) * inv(X).T", "X: matrix(n, n)", ()),  # sign
    ("grad(trace(A @ inv(X) @ B), X)", "-(inv(X) @ A @ B @ inv(X)).T",
     "A: matrix(n, n), B: matrix(n, n), X: matrix(n, n)", ()),  # factors swapped
    ("grad(x.T @ A @ x, x)", "2 * A @ x", "x: vector(n), A: matrix(n, n)", ()),  # needs Aᵀ = A
    ("grad(norm(A @ x - b) ** 2, x)", "A.T @ (A @ x - b)",
     "A: matrix(m, n), x: vector(n), b: vector(m)", ()),  # halved
    ("grad(log(det(X.T @ X)), X)", "2 * inv(X.T @ X) @ X.T", "X: matrix(n, n)", ()),  # layout
]


def _claim(lhs, rhs, symbols, assume, layout="denominator"):
    return one_liner(lhs, rhs, symbols, list(assume), layout)


@pytest.mark.parametrize("lhs, rhs, symbols, assume", TRUE, ids=[t[0] for t in TRUE])
def test_proves_true_gradients(lhs, rhs, symbols, assume):
    layout = "numerator" if rhs == "b @ a.T" else "denominator"
    verdict = prove_differential(Context(_claim(lhs, rhs, symbols, assume, layout)))
    assert verdict is not None and verdict.status == "proved", verdict


@pytest.mark.parametrize("lhs, rhs, symbols, assume", MUTANTS,
                         ids=[f"{t[0]} = {t[1]}" for t in MUTANTS])
def test_never_proves_a_mutant(lhs, rhs, symbols, assume):
    verdict = prove_differential(Context(_claim(lhs, rhs, symbols, assume)))
    assert verdict is None or verdict.status == "refuted", verdict


def test_stands_down_outside_its_reach():
    # an identity, an operation without a differential rule: not for this strategy
    assert prove_differential(Context(_claim("(A @ B).T", "B.T @ A.T",
                                             "A: matrix(n, n), B: matrix(n, n)", ()))) is None
    assert prove_differential(Context(_claim(
        "grad(det(kron(A, X)), X)", "n * det(A) ** m * det(X) ** n * inv(X).T",
        "A: matrix(n, n), X: matrix(m, m)", ()))) is None


SCALAR = [
    # a derivative by a scalar s: df(s)[v] = (df/ds) v for a scalar direction v
    ("grad(log(det(X + s * eye(n))), s)", "trace(inv(s * eye(n) + X))",
     "X: matrix(n, n), s: scalar", ("s positive",)),
    ("grad(det(s * X), s)", "n * det(X) * s ** (n - 1)", "s: scalar, X: matrix(n, n)", ()),
    ("grad(norm(X - s) ** 2, s)", "-2 * sum(X - s)", "X: matrix(n, m), s: scalar", ()),
]


@pytest.mark.parametrize("lhs, rhs, symbols, assume", SCALAR, ids=[x[0] for x in SCALAR])
def test_proves_derivatives_by_a_scalar(lhs, rhs, symbols, assume):
    verdict = prove_differential(Context(_claim(lhs, rhs, symbols, assume)))
    assert verdict is not None and verdict.status == "proved", verdict


@pytest.mark.parametrize("lhs, rhs, symbols", [
    ("grad(det(s * X), s)", "det(X) * s ** (n - 1)", "s: scalar, X: matrix(n, n)"),
    ("grad(det(s * X), s)", "n * det(X) * s ** n", "s: scalar, X: matrix(n, n)"),
    ("grad(norm(X - s) ** 2, s)", "-2 * sum(X) + 2 * s", "X: matrix(n, m), s: scalar"),
    ("grad(log(det(X + s * eye(n))), s)", "trace(inv(X))", "X: matrix(n, n), s: scalar"),
])
def test_never_proves_a_wrong_derivative_by_a_scalar(lhs, rhs, symbols):
    verdict = prove_differential(Context(_claim(lhs, rhs, symbols, ())))
    assert verdict is None or verdict.status != "proved"


SECOND = [
    # ∇²(xᵀAx) = A + Aᵀ
    ("hessian(x.T @ A @ x, x)", "A + A.T", "x: vector(n), A: matrix(n, n)", "denominator"),
    # ∇²(‖Xw − y‖²/2) = XᵀX
    ("hessian(norm(X @ w - y) ** 2 / 2, w)", "X.T @ X",
     "X: matrix(N, d), w: vector(d), y: vector(N)", "denominator"),
    # ∂σ(Wx)/∂x = diag(σ′(Wx)) W, and its transpose in denominator layout
    ("jacobian(sigmoid(W @ x), x)", "diag(sigmoid(W @ x) * (1 - sigmoid(W @ x))) @ W",
     "W: matrix(m, n), x: vector(n)", "numerator"),
    ("jacobian(sigmoid(W @ x), x)", "W.T @ diag(sigmoid(W @ x) * (1 - sigmoid(W @ x)))",
     "W: matrix(m, n), x: vector(n)", "denominator"),
    # ∂softmax(z)/∂z = diag(s) − s sᵀ
    ("jacobian(softmax(z), z)", "diag(softmax(z)) - softmax(z) @ softmax(z).T",
     "z: vector(n)", "numerator"),
]


@pytest.mark.parametrize("lhs, rhs, symbols, layout", SECOND,
                         ids=[f"{t[0]} {t[3]}" for t in SECOND])
def test_proves_jacobians_and_hessians(lhs, rhs, symbols, layout):
    verdict = prove_differential(Context(_claim(lhs, rhs, symbols, (), layout)))
    assert verdict is not None and verdict.status == "proved", verdict


def test_never_proves_a_wrong_jacobian():
    # the layouts swapped: Wᵀ diag(σ′) claimed in numerator layout
    wrong = _claim("jacobian(sigmoid(W @ x), x)",
                   "W.T @ diag(sigmoid(W @ x) * (1 - sigmoid(W @ x)))",
                   "W: matrix(n, n), x: vector(n)", (), "numerator")
    verdict = prove_differential(Context(wrong))
    assert verdict is None or verdict.status == "refuted"
    # the Hessian of xᵀAx claimed as 2A (true only for a symmetric A)
    half = _claim("hessian(x.T @ A @ x, x)", "2 * A", "x: vector(n), A: matrix(n, n)", ())
    verdict = prove_differential(Context(half))
    assert verdict is None or verdict.status == "refuted"


def test_exact_slopes_are_compared_exactly():
    # SymPy's nsimplify turns some Rationals into radicals that agree to 15 digits
    # (nsimplify(-56869/16200) = -441·2^(25/62)·…/2000): the directional re-check once fed
    # it the exact slope tr(X⁻¹V) and called this true claim's directions different
    # (the claim's id, "claim", and seed 0 draw that X and V).
    import sympy as sp

    assert sp.nsimplify(sp.Rational(-56869, 16200)) != sp.Rational(-56869, 16200)
    claim = _claim("grad(log(det(X)), X)", "inv(X)", "X: matrix(n, n)", ("X positive definite",))
    verdict = prove_differential(Context(claim, seed=0))
    assert verdict is not None and verdict.status == "proved", verdict
