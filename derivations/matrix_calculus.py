"""Matrix calculus: gradients of forms, the gradient as a column, layouts, the Jacobian."""

from __future__ import annotations

from derivations import note
from verifier import ops
from verifier.claim import make_claim

sc = ops.sc

CLAIMS = (
    # ----- Note 000: Matrix Calculus -----
    # ∂/∂a (aᵀb) = b
    make_claim(
        "matrix_calculus.inner_product_gradient",
        title="∂(aᵀb)/∂a = b",
        source=note("000", "Matrix Calculus"),
        symbols="a: vector(n), b: vector(n)",
        kind="gradient",
        f=lambda s: sc(s.a.T @ s.b),
        wrt="a",
        rhs=lambda s: s.b,
    ),
    # ∂/∂a (aᵀMa) = 2Ma — true only for a symmetric M
    make_claim(
        "matrix_calculus.quadratic_form_gradient",
        title="∂(aᵀMa)/∂a = 2Ma, as the note writes it",
        source=note("000", "Matrix Calculus"),
        symbols="a: vector(n), M: matrix(n, n)",
        kind="gradient",
        f=lambda s: sc(s.a.T @ s.M @ s.a),
        wrt="a",
        rhs=lambda s: 2 * s.M @ s.a,
        expect="holds if M symmetric",
        note_text="∂/∂a (aᵀMa) = 2Ma",
    ),
    # corrected: ∂/∂a (aᵀMa) = (M + Mᵀ)a
    make_claim(
        "matrix_calculus.quadratic_form_gradient_general",
        title="∂(aᵀMa)/∂a = (M + Mᵀ)a, for any square M",
        source=note("000", "Matrix Calculus"),
        symbols="a: vector(n), M: matrix(n, n)",
        kind="gradient",
        f=lambda s: sc(s.a.T @ s.M @ s.a),
        wrt="a",
        rhs=lambda s: (s.M + s.M.T) @ s.a,
    ),
    # ----- Note 000: Gradients -----
    # ∇ₓf(x) = [∂f/∂x₁, …, ∂f/∂x_d]ᵀ, a column: for f = xᵀx the gradient is the column 2x
    make_claim(
        "matrix_calculus.gradient_is_column",
        title="∇ₓ f is the column of partials [∂f/∂x₁, …, ∂f/∂x_d]ᵀ (f = xᵀx: 2x, d×1)",
        source=note("000", "Gradients"),
        symbols="x: vector(d)",
        kind="gradient",
        f=lambda s: sc(s.x.T @ s.x),
        wrt="x",
        rhs=lambda s: 2 * s.x,
    ),
    # the row [∂f/∂x₁, …, ∂f/∂x_d] is the numerator-layout form, not the note's column
    make_claim(
        "matrix_calculus.gradient_as_row",
        title="∇ₓ(xᵀx) written as the row 2xᵀ (the note insists on a column)",
        source=note("000", "Gradients"),
        symbols="x: vector(d)",
        kind="gradient",
        f=lambda s: sc(s.x.T @ s.x),
        wrt="x",
        rhs=lambda s: 2 * s.x.T,
        expect="holds if numerator layout",
    ),
    # −∇f is a descent direction: f(x − t∇f) = f(x) − t‖∇f‖² + O(t²) for f = xᵀAx + bᵀx
    make_claim(
        "matrix_calculus.steepest_descent_first_order",
        title="d/dt f(x − t∇f)|ₜ₌₀ = −‖∇f‖² (so −∇f decreases f), f = xᵀAx + bᵀx",
        source=note("000", "Gradients"),
        symbols="x: vector(d), A: matrix(d, d), b: vector(d), t: scalar",
        lhs=lambda s: _descent_slope(s),
        rhs=lambda s: -sc(_grad_quadratic(s).T @ _grad_quadratic(s)),
    ),
)


def _grad_quadratic(s):
    return (s.A + s.A.T) @ s.x + s.b


def _descent_slope(s):
    import sympy as sp

    g = _grad_quadratic(s)
    y = s.x - s.t * g
    f = sc(y.T @ s.A @ y + s.b.T @ y)
    return sp.diff(f, s.t).subs(s.t, 0)
