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
        corrected="matrix_calculus.quadratic_form_gradient_general",
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
        corrected="matrix_calculus.gradient_is_column",
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


# ----- Note 003 helpers -----


def _row_function_column(s):
    """The row-vector function xᵀB (1×m) as the column (xᵀB)ᵀ = Bᵀx, to take its Jacobian."""
    return (s.x.T @ s.B).T


def _bilinear_index_gradient(s):
    """∂(Ax)ᵢ/∂A at a fixed size: the gradient of the i-th entry of Ax with respect to A."""
    return ops.grad((s.A @ s.x)[int(s.i), 0], s.A)


# ----- Note 004 helpers -----


def _y_nonlinear(s):
    """y = Ax + x ⊙ x, so ∂y₁/∂x₂ = A₁₂ differs from ∂y₂/∂x₂ = A₂₂ + 2x₂."""
    return s.A @ s.x + ops.hadamard(s.x, s.x)


def _jacobian_as_written(s):
    """The note's ∂y/∂x entry by entry: row i holds ∂yᵢ/∂xⱼ, except that the second row's
    second entry reads ∂y₁/∂x₂ (the note's index typo)."""
    import sympy as sp

    y, x = _y_nonlinear(s), s.x
    n = x.shape[0]
    return ops.matrix(
        [[sp.diff(y[0] if (i, j) == (1, 1) else y[i], x[j]) for j in range(n)] for i in range(n)]
    )


def _jacobian_entrywise(s):
    """∂y/∂x entry by entry, [∂yᵢ/∂xⱼ] (the corrected matrix)."""
    import sympy as sp

    y, x = _y_nonlinear(s), s.x
    n = x.shape[0]
    return ops.matrix([[sp.diff(y[i], x[j]) for j in range(n)] for i in range(n)])


def _y_of_scalar(s):
    return ops.exp(s.t) * s.a + s.t**2 * s.b


def _Y_of_scalar(s):
    return ops.exp(s.t) * s.A + s.t**2 * s.B


CLAIMS += (
    # ----- Note 003: Derivative -----
    # scalar column: bx → b
    make_claim(
        "matrix_calculus.scalar_linear_derivative",
        title="d(bx)/dx = b (scalar x, b)",
        source=note("003", "Derivative"),
        symbols="x: scalar, b: scalar",
        kind="gradient",
        f=lambda s: s.b * s.x,
        wrt="x",
        rhs=lambda s: s.b,
        note_text="bx → b (the row appears twice in the table)",
    ),
    # x² → 2x
    make_claim(
        "matrix_calculus.scalar_square_derivative",
        title="d(x²)/dx = 2x",
        source=note("003", "Derivative"),
        symbols="x: scalar",
        kind="gradient",
        f=lambda s: s.x**2,
        wrt="x",
        rhs=lambda s: 2 * s.x,
    ),
    # bx² → 2bx
    make_claim(
        "matrix_calculus.scalar_scaled_square_derivative",
        title="d(bx²)/dx = 2bx",
        source=note("003", "Derivative"),
        symbols="x: scalar, b: scalar",
        kind="gradient",
        f=lambda s: s.b * s.x**2,
        wrt="x",
        rhs=lambda s: 2 * s.b * s.x,
    ),
    # vector column: xᵀB → B.  xᵀB is a 1×m row: its derivative by x (n) is a matrix; in
    # denominator layout ([i, j] = ∂(xᵀB)ⱼ/∂xᵢ, n×m) it is B
    make_claim(
        "matrix_calculus.row_vector_function_derivative",
        title="∂(xᵀB)/∂x = B in denominator layout (n×m, [i, j] = ∂(xᵀB)ⱼ/∂xᵢ)",
        source=note("003", "Derivative"),
        symbols="x: vector(n), B: matrix(n, m)",
        lhs=lambda s: ops.jacobian(_row_function_column(s), s.x, layout="denominator"),
        rhs=lambda s: s.B,
    ),
    # … and B is wrong in numerator layout (the Jacobian, m×n): there it is Bᵀ
    make_claim(
        "matrix_calculus.row_vector_function_derivative_numerator",
        title="∂(xᵀB)/∂x = B read in numerator layout (the Jacobian, m×n)",
        source=note("003", "Derivative"),
        symbols="x: vector(n), B: matrix(n, m)",
        lhs=lambda s: ops.jacobian(_row_function_column(s), s.x, layout="numerator"),
        rhs=lambda s: s.B,
        expect="fails",
        corrected="matrix_calculus.row_vector_function_jacobian",
    ),
    make_claim(
        "matrix_calculus.row_vector_function_jacobian",
        title="∂(xᵀB)/∂x = Bᵀ in numerator layout (the Jacobian, m×n)",
        source=note("003", "Derivative"),
        symbols="x: vector(n), B: matrix(n, m)",
        lhs=lambda s: ops.jacobian(_row_function_column(s), s.x, layout="numerator"),
        rhs=lambda s: s.B.T,
    ),
    # xᵀb → b
    make_claim(
        "matrix_calculus.linear_form_gradient",
        title="∂(xᵀb)/∂x = b",
        source=note("003", "Derivative"),
        symbols="x: vector(n), b: vector(n)",
        kind="gradient",
        f=lambda s: sc(s.x.T @ s.b),
        wrt="x",
        rhs=lambda s: s.b,
    ),
    # xᵀx → 2x
    make_claim(
        "matrix_calculus.squared_norm_gradient",
        title="∂(xᵀx)/∂x = 2x",
        source=note("003", "Derivative"),
        symbols="x: vector(n)",
        kind="gradient",
        f=lambda s: sc(s.x.T @ s.x),
        wrt="x",
        rhs=lambda s: 2 * s.x,
    ),
    # xᵀBx → 2Bx: only for a symmetric B
    make_claim(
        "matrix_calculus.quadratic_form_gradient_table",
        title="∂(xᵀBx)/∂x = 2Bx, as the table writes it",
        source=note("003", "Derivative"),
        symbols="x: vector(n), B: matrix(n, n)",
        kind="gradient",
        f=lambda s: sc(s.x.T @ s.B @ s.x),
        wrt="x",
        rhs=lambda s: 2 * s.B @ s.x,
        expect="holds if B symmetric",
        corrected="matrix_calculus.quadratic_form_gradient_table_general",
        note_text="xᵀBx → 2Bx",
    ),
    make_claim(
        "matrix_calculus.quadratic_form_gradient_table_general",
        title="∂(xᵀBx)/∂x = (B + Bᵀ)x for any square B",
        source=note("003", "Derivative"),
        symbols="x: vector(n), B: matrix(n, n)",
        kind="gradient",
        f=lambda s: sc(s.x.T @ s.B @ s.x),
        wrt="x",
        rhs=lambda s: (s.B + s.B.T) @ s.x,
    ),
    # ----- Note 003: Products -----
    # ∂AB/∂A = Bᵀ: the derivative of a matrix by a matrix is a 4-index object; the precise
    # reading is the gradient of the scalar tr(AB): ∂tr(AB)/∂A = Bᵀ (denominator layout)
    make_claim(
        "matrix_calculus.trace_product_gradient_wrt_first",
        title="∂tr(AB)/∂A = Bᵀ (reading of ∂AB/∂A = Bᵀ; denominator layout)",
        source=note("003", "Products"),
        symbols="A: matrix(n, m), B: matrix(m, n)",
        kind="gradient",
        f=lambda s: ops.trace(s.A @ s.B),
        wrt="A",
        rhs=lambda s: s.B.T,
    ),
    # ∂AB/∂B = Aᵀ  →  ∂tr(AB)/∂B = Aᵀ
    make_claim(
        "matrix_calculus.trace_product_gradient_wrt_second",
        title="∂tr(AB)/∂B = Aᵀ (reading of ∂AB/∂B = Aᵀ; denominator layout)",
        source=note("003", "Products"),
        symbols="A: matrix(n, m), B: matrix(m, n)",
        kind="gradient",
        f=lambda s: ops.trace(s.A @ s.B),
        wrt="B",
        rhs=lambda s: s.A.T,
    ),
    # the table's Bᵀ is a layout choice: in numerator layout ∂tr(AB)/∂A = B
    make_claim(
        "matrix_calculus.trace_product_gradient_numerator",
        title="∂tr(AB)/∂A = Bᵀ taken in numerator layout (there it is B)",
        source=note("003", "Products"),
        symbols="A: matrix(n, m), B: matrix(m, n)",
        kind="gradient",
        f=lambda s: ops.trace(s.A @ s.B),
        wrt="A",
        rhs=lambda s: s.B.T,
        layout="numerator",
        expect="holds if denominator layout",
        corrected="matrix_calculus.trace_product_gradient_wrt_first",
    ),
    # ∂Ax/∂A = xᵀ: with an upstream u, the precise statement is ∂(uᵀAx)/∂A = u xᵀ
    make_claim(
        "matrix_calculus.bilinear_form_gradient_wrt_matrix",
        title="∂(uᵀAx)/∂A = u xᵀ (precise reading of ∂Ax/∂A = xᵀ)",
        source=note("003", "Products"),
        symbols="u: vector(n), A: matrix(n, m), x: vector(m)",
        kind="gradient",
        f=lambda s: sc(s.u.T @ s.A @ s.x),
        wrt="A",
        rhs=lambda s: s.u @ s.x.T,
    ),
    # the note's xᵀ drops the u: as a gradient of a scalar uᵀAx it has the wrong shape
    make_claim(
        "matrix_calculus.bilinear_form_gradient_as_written",
        title="∂(uᵀAx)/∂A = xᵀ, as the note writes ∂Ax/∂A",
        source=note("003", "Products"),
        symbols="u: vector(n), A: matrix(n, m), x: vector(m)",
        kind="gradient",
        f=lambda s: sc(s.u.T @ s.A @ s.x),
        wrt="A",
        rhs=lambda s: s.x.T,
        expect="fails",
        corrected="matrix_calculus.bilinear_form_gradient_wrt_matrix",
    ),
    # the shorthand reading that makes xᵀ right: ∂(Ax)ᵢ/∂A is xᵀ in row i, zero elsewhere
    # (i.e. ∂(Ax)ᵢ/∂Aᵢⱼ = xⱼ); every i is checked
    make_claim(
        "matrix_calculus.matrix_vector_product_entry_gradient",
        title="∂(Ax)ᵢ/∂A = eᵢxᵀ: row i is xᵀ (the shorthand ∂(Ax)ᵢ/∂Aᵢⱼ = xⱼ)",
        source=note("003", "Products"),
        symbols="A: matrix(n, m), x: vector(m), i: index(n)",
        lhs=_bilinear_index_gradient,
        rhs=lambda s: ops.onehot(s.i, s.n) @ s.x.T,
    ),
    # ∂Ax/∂x = A: the Jacobian, numerator layout
    make_claim(
        "matrix_calculus.linear_map_jacobian",
        title="∂(Ax)/∂x = A (numerator layout: the Jacobian [∂(Ax)ᵢ/∂xⱼ])",
        source=note("003", "Products"),
        symbols="A: matrix(n, m), x: vector(m)",
        lhs=lambda s: ops.jacobian(s.A @ s.x, s.x),
        rhs=lambda s: s.A,
    ),
    # … in denominator layout it is Aᵀ, and A is wrong there
    make_claim(
        "matrix_calculus.linear_map_jacobian_denominator",
        title="∂(Ax)/∂x = A read in denominator layout (there it is Aᵀ)",
        source=note("003", "Products"),
        symbols="A: matrix(n, m), x: vector(m)",
        lhs=lambda s: ops.jacobian(s.A @ s.x, s.x, layout="denominator"),
        rhs=lambda s: s.A,
        expect="fails",
        corrected="matrix_calculus.linear_map_jacobian_denominator_transposed",
    ),
    make_claim(
        "matrix_calculus.linear_map_jacobian_denominator_transposed",
        title="∂(Ax)/∂x = Aᵀ in denominator layout",
        source=note("003", "Products"),
        symbols="A: matrix(n, m), x: vector(m)",
        lhs=lambda s: ops.jacobian(s.A @ s.x, s.x, layout="denominator"),
        rhs=lambda s: s.A.T,
    ),
    # ----- Note 004: 微分形式 (forms of the derivative, numerator layout) -----
    # ∂y/∂𝐱 = [∂y/∂x₁ ∂y/∂x₂ … ∂y/∂xₙ], a 1×n row: for y = xᵀAx it is xᵀ(A + Aᵀ)
    make_claim(
        "matrix_calculus.scalar_by_vector_numerator_row",
        title="numerator layout: ∂y/∂x is the 1×n row; for y = xᵀAx, ∂y/∂x = xᵀ(A + Aᵀ)",
        source=note("004", "微分形式"),
        symbols="x: vector(n), A: matrix(n, n)",
        kind="gradient",
        f=lambda s: sc(s.x.T @ s.A @ s.x),
        wrt="x",
        rhs=lambda s: s.x.T @ (s.A + s.A.T),
        layout="numerator",
    ),
    # ∂𝐲/∂x = [∂y₁/∂x … ∂y_m/∂x]ᵀ, m×1: for y(t) = eᵗa + t²b it is eᵗa + 2tb
    make_claim(
        "matrix_calculus.vector_by_scalar_column",
        title="∂y/∂t is the m×1 column [∂yᵢ/∂t]; for y = eᵗa + t²b it is eᵗa + 2tb",
        source=note("004", "微分形式"),
        symbols="a: vector(m), b: vector(m), t: scalar",
        lhs=lambda s: ops.diff(_y_of_scalar(s), s.t),
        rhs=lambda s: ops.exp(s.t) * s.a + 2 * s.t * s.b,
    ),
    # ∂𝐲/∂𝐱 is m×n with entries ∂yᵢ/∂xⱼ: for y = B tanh(x), B·diag(1 − tanh²x)
    make_claim(
        "matrix_calculus.jacobian_numerator_shape",
        title="∂y/∂x is m×n, [i, j] = ∂yᵢ/∂xⱼ; for y = B tanh(x) it is B·diag(1 − tanh²(x))",
        source=note("004", "微分形式"),
        symbols="B: matrix(m, n), x: vector(n)",
        lhs=lambda s: ops.jacobian(s.B @ ops.tanh(s.x), s.x),
        rhs=lambda s: s.B @ ops.diag(ops.ones(s.n, 1) - ops.hadamard(ops.tanh(s.x), ops.tanh(s.x))),
    ),
    # the note's matrix entry by entry: row 2 reads ∂y₂/∂x₁, ∂y₁/∂x₂, …, ∂y₂/∂xₙ (typo in the
    # second entry); for y = Ax + x ⊙ x the Jacobian is A + 2·diag(x)
    make_claim(
        "matrix_calculus.jacobian_as_written",
        title="the note's ∂y/∂x matrix as written (row 2, column 2 reads ∂y₁/∂x₂) "
        "equals the Jacobian A + 2·diag(x) of y = Ax + x ⊙ x",
        source=note("004", "微分形式"),
        symbols="A: matrix(n, n), x: vector(n)",
        lhs=_jacobian_as_written,
        rhs=lambda s: s.A + 2 * ops.diag(s.x),
        expect="fails",
        corrected="matrix_calculus.jacobian_entrywise",
        note_text="∂y₂/∂x₁ & ∂y₁/∂x₂ & ⋯ & ∂y₂/∂xₙ (second row)",
    ),
    # corrected: [∂yᵢ/∂xⱼ] in every entry
    make_claim(
        "matrix_calculus.jacobian_entrywise",
        title="∂y/∂x = [∂yᵢ/∂xⱼ] (row 2, column 2 corrected to ∂y₂/∂x₂) = A + 2·diag(x) "
        "for y = Ax + x ⊙ x",
        source=note("004", "微分形式"),
        symbols="A: matrix(n, n), x: vector(n)",
        lhs=_jacobian_entrywise,
        rhs=lambda s: s.A + 2 * ops.diag(s.x),
    ),
    # ∂𝐘/∂x: every entry of Y differentiated, the same shape as Y: Y = eᵗA + t²B
    make_claim(
        "matrix_calculus.matrix_by_scalar_elementwise",
        title="∂Y/∂t is element-wise, Y's shape (n×m); for Y = eᵗA + t²B it is eᵗA + 2tB",
        source=note("004", "微分形式"),
        symbols="A: matrix(n, m), B: matrix(n, m), t: scalar",
        lhs=lambda s: ops.diff(_Y_of_scalar(s), s.t),
        rhs=lambda s: ops.exp(s.t) * s.A + 2 * s.t * s.B,
    ),
    # ∂y/∂𝐗 "differs from X's shape by a transpose" (numerator layout): X m×n → n×m;
    # for y = tr(AX) (A n×m) it is A
    make_claim(
        "matrix_calculus.scalar_by_matrix_numerator_transposed",
        title="numerator layout: ∂y/∂X is n×m for an m×n X; for y = tr(AX) it is A",
        source=note("004", "微分形式"),
        symbols="A: matrix(n, m), X: matrix(m, n)",
        kind="gradient",
        f=lambda s: ops.trace(s.A @ s.X),
        wrt="X",
        rhs=lambda s: s.A,
        layout="numerator",
    ),
    # with X's own shape (Aᵀ, m×n) the derivative is the denominator-layout one
    make_claim(
        "matrix_calculus.scalar_by_matrix_numerator_same_shape",
        title="numerator layout: ∂tr(AX)/∂X = Aᵀ (X's own shape)",
        source=note("004", "微分形式"),
        symbols="A: matrix(n, m), X: matrix(m, n)",
        kind="gradient",
        f=lambda s: ops.trace(s.A @ s.X),
        wrt="X",
        rhs=lambda s: s.A.T,
        layout="numerator",
        expect="holds if denominator layout",
        corrected="matrix_calculus.scalar_by_matrix_numerator_transposed",
    ),
)
