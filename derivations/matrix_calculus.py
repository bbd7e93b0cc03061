"""Matrix calculus: gradients of forms, the gradient as a column, layouts, the Jacobian.

Each entry's comment gives the formula as the note writes it; sides are one line of the claim
language.  A gradient ``grad(f, X)`` has X's shape in denominator layout (the default) and its
transpose in numerator layout; note 003's table mixes the two, so each of its formulas is
stated in the layout where it holds and, beside it, read in the other.
"""

from __future__ import annotations

from derivations import note
from derivations.section import Section
from verifier import ops

# ----- Note 000: Matrix Calculus -----

MC = Section(note("000", "Matrix Calculus"), symbols="a: vector(n), b: vector(n), M: matrix(n, n)")

CLAIMS = (
    # ∂/∂a (aᵀb) = b
    MC.claim("inner_product_gradient", "grad(a.T @ b, a)", "b", title="∂(aᵀb)/∂a = b"),
    # ∂/∂a (aᵀMa) = 2Ma — true only for a symmetric M
    MC.claim("quadratic_form_gradient", "grad(a.T @ M @ a, a)", "2 * M @ a",
             title="∂(aᵀMa)/∂a = 2Ma, as the note writes it", expect="holds if M symmetric",
             corrected="matrix_calculus.quadratic_form_gradient_general",
             note_text="∂/∂a (aᵀMa) = 2Ma"),
    # corrected: ∂/∂a (aᵀMa) = (M + Mᵀ)a
    MC.claim("quadratic_form_gradient_general", "grad(a.T @ M @ a, a)", "(M + M.T) @ a",
             title="∂(aᵀMa)/∂a = (M + Mᵀ)a, for any square M"),
)

# ----- Note 000: Gradients -----


def _sp():
    import sympy

    return sympy


def _descent_slope(s):
    """d/dt f(x − t∇f) at t = 0 for f = xᵀAx + bᵀx, ∇f = (A + Aᵀ)x + b: the derivative by t
    taken, then t = 0 put in (in index form for every size d)."""
    if isinstance(s.x, _sp().MatrixExpr) and not ops.INDEX_FORM.get():
        raise ops.GeneralFormUnavailable("a derivative at a point: index form only")
    g = (s.A + s.A.T) @ s.x + s.b
    y = s.x - s.t * g
    zero = _sp().Integer(0)
    return ops.grad(ops.entry_of(y.T @ s.A @ y + s.b.T @ y, zero, zero), s.t).xreplace({s.t: zero})


GR = Section(note("000", "Gradients"),
             symbols="x: vector(d), A: matrix(d, d), b: vector(d), t: scalar")

CLAIMS += (
    # ∇ₓf(x) = [∂f/∂x₁, …, ∂f/∂x_d]ᵀ, a column: for f = xᵀx the gradient is the column 2x
    GR.claim("gradient_is_column", "grad(x.T @ x, x)", "2 * x",
             title="∇ₓ f is the column of partials [∂f/∂x₁, …, ∂f/∂x_d]ᵀ (f = xᵀx: 2x, d×1)"),
    # the row [∂f/∂x₁, …, ∂f/∂x_d] is the numerator-layout form, not the note's column
    GR.claim("gradient_as_row", "grad(x.T @ x, x)", "2 * x.T",
             title="∇ₓ(xᵀx) written as the row 2xᵀ (the note insists on a column)",
             expect="holds if numerator layout", corrected="matrix_calculus.gradient_is_column"),
    # −∇f is a descent direction: f(x − t∇f) = f(x) − t‖∇f‖² + O(t²) for f = xᵀAx + bᵀx.
    # Python: the language cannot evaluate a derivative at t = 0.
    GR.claim("steepest_descent_first_order", _descent_slope,
             "-(((A + A.T) @ x + b).T @ ((A + A.T) @ x + b))",
             title="d/dt f(x − t∇f)|ₜ₌₀ = −‖∇f‖² (so −∇f decreases f), f = xᵀAx + bᵀx"),
)

# ----- Note 003: Derivative (the table: scalar column, vector column) -----
# The vector column is in denominator layout (a column gradient, B for xᵀB); each formula is
# also read in numerator layout, where it fails.

DER = Section(note("003", "Derivative"), symbols="x: vector(n), B: matrix(n, m), b: vector(n)")
SCALARS = "x: scalar, b: scalar"

CLAIMS += (
    # scalar column: bx → b
    DER.claim("scalar_linear_derivative", "grad(b * x, x)", "b", symbols=SCALARS,
              title="d(bx)/dx = b (scalar x, b)",
              note_text="bx → b (the row appears twice in the table)"),
    # x² → 2x
    DER.claim("scalar_square_derivative", "grad(x ** 2, x)", "2 * x", symbols="x: scalar",
              title="d(x²)/dx = 2x"),
    # bx² → 2bx
    DER.claim("scalar_scaled_square_derivative", "grad(b * x ** 2, x)", "2 * b * x",
              symbols=SCALARS, title="d(bx²)/dx = 2bx"),
    # vector column: xᵀB → B.  xᵀB is a 1×m row: its derivative by x (n) is a matrix; in
    # denominator layout ([i, j] = ∂(xᵀB)ⱼ/∂xᵢ, n×m) it is B
    DER.claim("row_vector_function_derivative", "jacobian((x.T @ B).T, x)", "B",
              title="∂(xᵀB)/∂x = B in denominator layout (n×m, [i, j] = ∂(xᵀB)ⱼ/∂xᵢ)"),
    # … and B is wrong in numerator layout (the Jacobian, m×n): there it is Bᵀ
    DER.claim("row_vector_function_derivative_numerator", "jacobian((x.T @ B).T, x)", "B",
              layout="numerator",
              title="∂(xᵀB)/∂x = B read in numerator layout (the Jacobian, m×n)", expect="fails",
              corrected="matrix_calculus.row_vector_function_jacobian"),
    DER.claim("row_vector_function_jacobian", "jacobian((x.T @ B).T, x)", "B.T", layout="numerator",
              title="∂(xᵀB)/∂x = Bᵀ in numerator layout (the Jacobian, m×n)"),
    # xᵀb → b
    DER.claim("linear_form_gradient", "grad(x.T @ b, x)", "b",
              title="∂(xᵀb)/∂x = b in denominator layout (a column, x's shape)"),
    DER.claim("linear_form_gradient_numerator", "grad(x.T @ b, x)", "b", layout="numerator",
              title="∂(xᵀb)/∂x = b read in numerator layout (there it is the row bᵀ)",
              expect="holds if denominator layout",
              corrected="matrix_calculus.linear_form_gradient"),
    # xᵀx → 2x
    DER.claim("squared_norm_gradient", "grad(x.T @ x, x)", "2 * x",
              title="∂(xᵀx)/∂x = 2x in denominator layout"),
    DER.claim("squared_norm_gradient_numerator", "grad(x.T @ x, x)", "2 * x", layout="numerator",
              title="∂(xᵀx)/∂x = 2x read in numerator layout (there it is the row 2xᵀ)",
              expect="holds if denominator layout",
              corrected="matrix_calculus.squared_norm_gradient"),
    # xᵀBx → 2Bx: only for a symmetric B
    DER.claim("quadratic_form_gradient_table", "grad(x.T @ B @ x, x)", "2 * B @ x",
              symbols="B: matrix(n, n)", title="∂(xᵀBx)/∂x = 2Bx, as the table writes it "
              "(denominator layout)", expect="holds if B symmetric",
              corrected="matrix_calculus.quadratic_form_gradient_table_general",
              note_text="xᵀBx → 2Bx"),
    DER.claim("quadratic_form_gradient_table_general", "grad(x.T @ B @ x, x)", "(B + B.T) @ x",
              symbols="B: matrix(n, n)",
              title="∂(xᵀBx)/∂x = (B + Bᵀ)x for any square B (denominator layout)"),
    # read in numerator layout 2Bx has the wrong shape as well as needing a symmetric B
    DER.claim("quadratic_form_gradient_table_numerator", "grad(x.T @ B @ x, x)", "2 * B @ x",
              symbols="B: matrix(n, n)", layout="numerator",
              title="∂(xᵀBx)/∂x = 2Bx read in numerator layout (there it is the row xᵀ(B + Bᵀ))",
              expect="fails", corrected="matrix_calculus.quadratic_form_gradient_table_general"),
)

# ----- Note 003: Products -----
# ∂AB/∂A = Bᵀ, ∂AB/∂B = Aᵀ: the derivative of the n×k matrix AB by the n×m matrix A has
# nk·nm entries (a 4-index object; on vec(·) the Jacobian Bᵀ ⊗ Iₙ), so "Bᵀ" (k×m) is
# ill-typed.  The reading that makes the formulas right is the gradient of the scalar tr(AB).
# Python for the derivatives of vec(AB): the language's Jacobian is by a declared vector, not
# by vec(A).


def _vec_jacobian(wrt):
    return lambda s: ops.jacobian(ops.vec(s.A @ s.B), ops.vec(getattr(s, wrt)))


PR = Section(note("003", "Products"), symbols="A: matrix(n, m), B: matrix(m, n), x: vector(m)")
RECT = "B: matrix(m, k)"

CLAIMS += (
    # ∂AB/∂A = Bᵀ as written: ill-typed, the shapes differ
    PR.claim("matrix_product_derivative_as_written", _vec_jacobian("A"), "B.T", symbols=RECT,
             uses="A, B", title="∂AB/∂A = Bᵀ as written: ill-typed (the derivative of AB by A, "
             "on vec, is nk × nm; Bᵀ is k × m)", expect="fails",
             corrected="matrix_calculus.matrix_product_derivative_wrt_first"),
    PR.claim("matrix_product_derivative_wrt_first", _vec_jacobian("A"), "kron(B.T, eye(n))",
             symbols=RECT, uses="A, B",
             title="∂vec(AB)/∂vec(A) = Bᵀ ⊗ Iₙ (numerator layout): the derivative ∂AB/∂A itself"),
    # ∂AB/∂B = Aᵀ as written: ill-typed as well
    PR.claim("matrix_product_derivative_wrt_second_as_written", _vec_jacobian("B"), "A.T",
             symbols=RECT, uses="A, B", title="∂AB/∂B = Aᵀ as written: ill-typed (the derivative "
             "of AB by B, on vec, is nk × mk; Aᵀ is m × n)", expect="fails",
             corrected="matrix_calculus.matrix_product_derivative_wrt_second"),
    PR.claim("matrix_product_derivative_wrt_second", _vec_jacobian("B"), "kron(eye(k), A)",
             symbols=RECT, uses="A, B",
             title="∂vec(AB)/∂vec(B) = I_k ⊗ A (numerator layout): the derivative ∂AB/∂B itself"),
    # the scalar reading: ∂tr(AB)/∂A = Bᵀ (denominator layout)
    PR.claim("trace_product_gradient_wrt_first", "grad(trace(A @ B), A)", "B.T",
             title="∂tr(AB)/∂A = Bᵀ (reading of ∂AB/∂A = Bᵀ; denominator layout)"),
    # ∂AB/∂B = Aᵀ  →  ∂tr(AB)/∂B = Aᵀ
    PR.claim("trace_product_gradient_wrt_second", "grad(trace(A @ B), B)", "A.T",
             title="∂tr(AB)/∂B = Aᵀ (reading of ∂AB/∂B = Aᵀ; denominator layout)"),
    # the table's Bᵀ is a layout choice: in numerator layout ∂tr(AB)/∂A = B
    PR.claim("trace_product_gradient_numerator", "grad(trace(A @ B), A)", "B.T",
             layout="numerator", title="∂tr(AB)/∂A = Bᵀ taken in numerator layout (there it is B)",
             expect="holds if denominator layout",
             corrected="matrix_calculus.trace_product_gradient_wrt_first"),
    PR.claim("trace_product_gradient_wrt_second_numerator", "grad(trace(A @ B), B)", "A.T",
             layout="numerator", title="∂tr(AB)/∂B = Aᵀ taken in numerator layout (there it is A)",
             expect="holds if denominator layout",
             corrected="matrix_calculus.trace_product_gradient_wrt_second"),
    # ∂Ax/∂A = xᵀ: with an upstream u, the precise statement is ∂(uᵀAx)/∂A = u xᵀ
    PR.claim("bilinear_form_gradient_wrt_matrix", "grad(u.T @ A @ x, A)", "u @ x.T",
             symbols="u: vector(n)",
             title="∂(uᵀAx)/∂A = u xᵀ (precise reading of ∂Ax/∂A = xᵀ; denominator layout)"),
    # … x uᵀ in numerator layout
    PR.claim("bilinear_form_gradient_wrt_matrix_numerator", "grad(u.T @ A @ x, A)", "x @ u.T",
             symbols="u: vector(n)", layout="numerator",
             title="∂(uᵀAx)/∂A = x uᵀ in numerator layout (A's transposed shape)"),
    # the note's xᵀ drops the u: as a gradient of a scalar uᵀAx it has the wrong shape
    PR.claim("bilinear_form_gradient_as_written", "grad(u.T @ A @ x, A)", "x.T",
             symbols="u: vector(n)", title="∂(uᵀAx)/∂A = xᵀ, as the note writes ∂Ax/∂A",
             expect="fails", corrected="matrix_calculus.bilinear_form_gradient_wrt_matrix"),
    # the shorthand reading that makes xᵀ right: ∂(Ax)ᵢ/∂A is xᵀ in row i, zero elsewhere
    # (i.e. ∂(Ax)ᵢ/∂Aᵢⱼ = xⱼ), for every i
    PR.claim("matrix_vector_product_entry_gradient", "grad((A @ x)[i], A)", "onehot(i, n) @ x.T",
             symbols="i: index(n)",
             title="∂(Ax)ᵢ/∂A = eᵢxᵀ: row i is xᵀ (the shorthand ∂(Ax)ᵢ/∂Aᵢⱼ = xⱼ)"),
    # ∂Ax/∂x = A: the Jacobian, numerator layout
    PR.claim("linear_map_jacobian", "jacobian(A @ x, x)", "A", layout="numerator",
             title="∂(Ax)/∂x = A (numerator layout: the Jacobian [∂(Ax)ᵢ/∂xⱼ])"),
    # … in denominator layout it is Aᵀ, and A is wrong there
    PR.claim("linear_map_jacobian_denominator", "jacobian(A @ x, x)", "A",
             title="∂(Ax)/∂x = A read in denominator layout (there it is Aᵀ)", expect="fails",
             corrected="matrix_calculus.linear_map_jacobian_denominator_transposed"),
    PR.claim("linear_map_jacobian_denominator_transposed", "jacobian(A @ x, x)", "A.T",
             title="∂(Ax)/∂x = Aᵀ in denominator layout"),
)

# ----- Note 004: 微分形式 (forms of the derivative, numerator layout) -----


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




FORMS = Section(note("004", "微分形式"), symbols="x: vector(n), A: matrix(n, n)")

CLAIMS += (
    # ∂y/∂𝐱 = [∂y/∂x₁ ∂y/∂x₂ … ∂y/∂xₙ], a 1×n row: for y = xᵀAx it is xᵀ(A + Aᵀ)
    FORMS.claim("scalar_by_vector_numerator_row", "grad(x.T @ A @ x, x)", "x.T @ (A + A.T)",
                layout="numerator",
                title="numerator layout: ∂y/∂x is the 1×n row; for y = xᵀAx, ∂y/∂x = xᵀ(A + Aᵀ)"),
    # ∂𝐲/∂x = [∂y₁/∂x … ∂y_m/∂x]ᵀ, m×1: for y(t) = eᵗa + t²b it is eᵗa + 2tb
    FORMS.claim("vector_by_scalar_column", "jacobian(exp(t) * a + t ** 2 * b, t)",
                "exp(t) * a + 2 * t * b", symbols="a: vector(m), b: vector(m), t: scalar",
                layout="numerator",
                title="∂y/∂t is the m×1 column [∂yᵢ/∂t]; for y = eᵗa + t²b it is eᵗa + 2tb"),
    # ∂𝐲/∂𝐱 is m×n with entries ∂yᵢ/∂xⱼ: for y = B tanh(x), B·diag(1 − tanh²x)
    FORMS.claim("jacobian_numerator_shape", "jacobian(B @ tanh(x), x)",
                "B @ diag(1 - tanh(x) ** 2)", symbols="B: matrix(m, n)", layout="numerator",
                title="∂y/∂x is m×n, [i, j] = ∂yᵢ/∂xⱼ; for y = B tanh(x) it is "
                "B·diag(1 − tanh²(x))"),
    # the note's matrix entry by entry: row 2 reads ∂y₂/∂x₁, ∂y₁/∂x₂, …, ∂y₂/∂xₙ (typo in the
    # second entry); for y = Ax + x ⊙ x the Jacobian is A + 2·diag(x).  Python: one entry of
    # the matrix differentiates another component, which no formula of the language says.
    FORMS.claim("jacobian_as_written", _jacobian_as_written, "A + 2 * diag(x)",
                title="the note's ∂y/∂x matrix as written (row 2, column 2 reads ∂y₁/∂x₂) "
                "equals the Jacobian A + 2·diag(x) of y = Ax + x ⊙ x", expect="fails",
                corrected="matrix_calculus.jacobian_entrywise",
                note_text="∂y₂/∂x₁ & ∂y₁/∂x₂ & ⋯ & ∂y₂/∂xₙ (second row)"),
    # corrected: [∂yᵢ/∂xⱼ] in every entry
    FORMS.claim("jacobian_entrywise", "jacobian(A @ x + x * x, x)", "A + 2 * diag(x)",
                layout="numerator",
                title="∂y/∂x = [∂yᵢ/∂xⱼ] (row 2, column 2 corrected to ∂y₂/∂x₂) = A + 2·diag(x) "
                "for y = Ax + x ⊙ x"),
    # ∂𝐘/∂x: every entry of Y differentiated, the same shape as Y: Y = eᵗA + t²B.
    # Python: no derivative of a matrix by a scalar in the language.
    FORMS.claim("matrix_by_scalar_elementwise",
                lambda s: ops.diff(ops.exp(s.t) * s.A + s.t**2 * s.B, s.t),
                "exp(t) * A + 2 * t * B",
                symbols="A: matrix(n, m), B: matrix(n, m), t: scalar", uses="A, B, t",
                title="∂Y/∂t is element-wise, Y's shape (n×m); for Y = eᵗA + t²B it is eᵗA + 2tB"),
    # ∂y/∂𝐗 "differs from X's shape by a transpose" (numerator layout): X m×n → n×m;
    # for y = tr(AX) (A n×m) it is A
    FORMS.claim("scalar_by_matrix_numerator_transposed", "grad(trace(A @ X), X)", "A",
                symbols="A: matrix(n, m), X: matrix(m, n)", layout="numerator",
                title="numerator layout: ∂y/∂X is n×m for an m×n X; for y = tr(AX) it is A"),
    # with X's own shape (Aᵀ, m×n) the derivative is the denominator-layout one
    FORMS.claim("scalar_by_matrix_numerator_same_shape", "grad(trace(A @ X), X)", "A.T",
                symbols="A: matrix(n, m), X: matrix(m, n)", layout="numerator",
                title="numerator layout: ∂tr(AX)/∂X = Aᵀ (X's own shape)",
                expect="holds if denominator layout",
                corrected="matrix_calculus.scalar_by_matrix_numerator_transposed"),
)
