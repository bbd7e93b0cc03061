"""Linear algebra: transpose rules, matrix equations, squared norms.

Each entry's comment gives the formula as the note writes it.  Sides are builders: ``s`` is
the claim's environment (``s.a`` a symbol, ``s.n`` a dimension used as a number).
"""

from __future__ import annotations

from derivations import note
from verifier import ops
from verifier.claim import make_claim, make_derivation

sc, norm = ops.sc, ops.norm

# ----- Note 000: Matrix Transpose -----

CLAIMS = (
    # (a + b)ᵀ = aᵀ + bᵀ
    make_claim(
        "linear_algebra.transpose_of_sum",
        title="(a + b)ᵀ = aᵀ + bᵀ",
        source=note("000", "Matrix Transpose"),
        symbols="a: matrix(n, m), b: matrix(n, m)",
        lhs=lambda s: (s.a + s.b).T,
        rhs=lambda s: s.a.T + s.b.T,
    ),
    # (ab)ᵀ = bᵀaᵀ
    make_claim(
        "linear_algebra.transpose_of_product",
        title="(ab)ᵀ = bᵀaᵀ",
        source=note("000", "Matrix Transpose"),
        symbols="a: matrix(n, m), b: matrix(m, k)",
        lhs=lambda s: (s.a @ s.b).T,
        rhs=lambda s: s.b.T @ s.a.T,
    ),
    # (abc)ᵀ = cᵀbᵀaᵀ
    make_claim(
        "linear_algebra.transpose_of_triple_product",
        title="(abc)ᵀ = cᵀbᵀaᵀ",
        source=note("000", "Matrix Transpose"),
        symbols="a: matrix(n, m), b: matrix(m, k), c: matrix(k, p)",
        lhs=lambda s: (s.a @ s.b @ s.c).T,
        rhs=lambda s: s.c.T @ s.b.T @ s.a.T,
    ),
    # the tempting wrong order: (ab)ᵀ = aᵀbᵀ (square, so the shapes fit)
    make_claim(
        "linear_algebra.transpose_of_product_same_order",
        title="(ab)ᵀ = aᵀbᵀ, the order not reversed (a common slip)",
        source="standard",
        symbols="a: matrix(n, n), b: matrix(n, n)",
        lhs=lambda s: (s.a @ s.b).T,
        rhs=lambda s: s.a.T @ s.b.T,
        expect="holds if a and b commute",
        corrected="linear_algebra.transpose_of_product",
    ),
    # ----- Note 000: Matrix Equation -----
    # ax = by  →  x = a⁻¹by: the solution satisfies the equation when a is invertible
    make_claim(
        "linear_algebra.matrix_equation_solution",
        title="x = a⁻¹by solves ax = by, as the note writes it (a invertible left unsaid)",
        source=note("000", "Matrix Equation"),
        symbols="a: matrix(n, n), b: matrix(n, m), y: vector(m)",
        lhs=lambda s: s.a @ (ops.inv(s.a) @ s.b @ s.y),
        rhs=lambda s: s.b @ s.y,
        corrected="linear_algebra.matrix_equation_solution_invertible",
    ),
    make_claim(
        "linear_algebra.matrix_equation_solution_invertible",
        title="x = a⁻¹by solves ax = by for an invertible a",
        source=note("000", "Matrix Equation"),
        symbols="a: matrix(n, n), b: matrix(n, m), y: vector(m)",
        assume=["a invertible"],
        lhs=lambda s: s.a @ (ops.inv(s.a) @ s.b @ s.y),
        rhs=lambda s: s.b @ s.y,
    ),
    # the other order, x = b y a⁻¹, does not even have the right shape
    make_claim(
        "linear_algebra.matrix_equation_solution_wrong_side",
        title="x = by·a⁻¹ (inverse on the wrong side) solves ax = by",
        source="standard",
        symbols="a: matrix(n, n), b: matrix(n, n), y: matrix(n, n)",
        assume=["a invertible"],
        lhs=lambda s: s.a @ (s.b @ s.y @ ops.inv(s.a)),
        rhs=lambda s: s.b @ s.y,
        expect="fails",
        corrected="linear_algebra.matrix_equation_solution_invertible",
    ),
    # ----- Note 000: Squared L2 Norm -----
    # ‖z‖₂² = (√(z₁² + … + z_d²))² = z₁² + … + z_d² = zᵀz
    make_derivation(
        "linear_algebra.squared_norm_chain",
        title="‖z‖₂² = (√(Σ zᵢ²))² = Σ zᵢ² = zᵀz",
        source=note("000", "Squared L2 Norm"),
        symbols="z: vector(d)",
        steps=[
            lambda s: norm(s.z) ** 2,
            lambda s: ops.sqrt(sum(s.z[i] ** 2 for i in range(s.d))) ** 2,
            lambda s: sum(s.z[i] ** 2 for i in range(s.d)),
            lambda s: sc(s.z.T @ s.z),
        ],
    ),
    # aᵀb is a scalar, so aᵀb = (aᵀb)ᵀ = bᵀa
    make_derivation(
        "linear_algebra.inner_product_symmetry",
        title="aᵀb = (aᵀb)ᵀ = bᵀa",
        source=note("000", "Squared L2 Norm"),
        symbols="a: vector(d), b: vector(d)",
        steps=[
            lambda s: s.a.T @ s.b,
            lambda s: (s.a.T @ s.b).T,
            lambda s: s.b.T @ s.a,
        ],
    ),
    # ‖a − b‖₂² = (a − b)ᵀ(a − b) = … = aᵀa − 2aᵀb + bᵀb = ‖b − a‖₂²
    make_derivation(
        "linear_algebra.squared_distance_chain",
        title="‖a − b‖₂² expanded step by step",
        source=note("000", "Squared L2 Norm"),
        symbols="a: vector(d), b: vector(d)",
        steps=[
            lambda s: norm(s.a - s.b) ** 2,
            lambda s: sc((s.a - s.b).T @ (s.a - s.b)),
            lambda s: sc(s.a.T @ s.a - s.a.T @ s.b - s.b.T @ s.a + s.b.T @ s.b),
            lambda s: sc(s.a.T @ s.a - (s.a.T @ s.b).T - s.b.T @ s.a + s.b.T @ s.b),
            lambda s: sc(s.a.T @ s.a - s.b.T @ s.a - s.b.T @ s.a + s.b.T @ s.b),
            lambda s: sc(s.a.T @ s.a - 2 * s.b.T @ s.a + s.b.T @ s.b),
            lambda s: sc(s.a.T @ s.a - 2 * s.a.T @ s.b + s.b.T @ s.b),
            lambda s: norm(s.b - s.a) ** 2,
        ],
    ),
    # ----- Note 003: Transpose Rules -----
    # (AB)ᵀ = BᵀAᵀ
    make_claim(
        "linear_algebra.transpose_of_matrix_product",
        title="(AB)ᵀ = BᵀAᵀ",
        source=note("003", "Transpose Rules"),
        symbols="A: matrix(n, m), B: matrix(m, k)",
        lhs=lambda s: (s.A @ s.B).T,
        rhs=lambda s: s.B.T @ s.A.T,
    ),
    # (aᵀBc)ᵀ = cᵀBᵀa
    make_claim(
        "linear_algebra.transpose_of_bilinear_form",
        title="(aᵀBc)ᵀ = cᵀBᵀa",
        source=note("003", "Transpose Rules"),
        symbols="a: vector(n), B: matrix(n, m), c: vector(m)",
        lhs=lambda s: (s.a.T @ s.B @ s.c).T,
        rhs=lambda s: s.c.T @ s.B.T @ s.a,
    ),
    # a scalar is its own transpose, so also aᵀBc = cᵀBᵀa (what the rule is used for)
    make_claim(
        "linear_algebra.bilinear_form_equals_its_transpose",
        title="aᵀBc = cᵀBᵀa (a 1×1 form equals its transpose)",
        source=note("003", "Transpose Rules"),
        symbols="a: vector(n), B: matrix(n, m), c: vector(m)",
        lhs=lambda s: s.a.T @ s.B @ s.c,
        rhs=lambda s: s.c.T @ s.B.T @ s.a,
    ),
    # aᵀb = bᵀa
    make_claim(
        "linear_algebra.inner_product_commutes",
        title="aᵀb = bᵀa",
        source=note("003", "Transpose Rules"),
        symbols="a: vector(n), b: vector(n)",
        lhs=lambda s: s.a.T @ s.b,
        rhs=lambda s: s.b.T @ s.a,
    ),
    # (A + B)C = AC + BC
    make_claim(
        "linear_algebra.right_distributivity",
        title="(A + B)C = AC + BC",
        source=note("003", "Transpose Rules"),
        symbols="A: matrix(n, m), B: matrix(n, m), C: matrix(m, k)",
        lhs=lambda s: (s.A + s.B) @ s.C,
        rhs=lambda s: s.A @ s.C + s.B @ s.C,
    ),
    # the slip of multiplying on the wrong side: C(A + B) = AC + BC (square, so shapes fit)
    make_claim(
        "linear_algebra.distributivity_wrong_side",
        title="C(A + B) = AC + BC (C moved to the other side)",
        source="standard",
        symbols="A: matrix(n, n), B: matrix(n, n), C: matrix(n, n)",
        lhs=lambda s: s.C @ (s.A + s.B),
        rhs=lambda s: s.A @ s.C + s.B @ s.C,
        expect="fails",
        corrected="linear_algebra.right_distributivity",
    ),
    # (a + b)ᵀC = aᵀC + bᵀC
    make_claim(
        "linear_algebra.transposed_sum_times_matrix",
        title="(a + b)ᵀC = aᵀC + bᵀC",
        source=note("003", "Transpose Rules"),
        symbols="a: vector(n), b: vector(n), C: matrix(n, m)",
        lhs=lambda s: (s.a + s.b).T @ s.C,
        rhs=lambda s: s.a.T @ s.C + s.b.T @ s.C,
    ),
    # AB ≠ BA (in general; square so both products exist)
    make_claim(
        "linear_algebra.matrix_product_not_commutative",
        title="AB ≠ BA in general (square A, B)",
        source=note("003", "Transpose Rules"),
        symbols="A: matrix(n, n), B: matrix(n, n)",
        kind="non-identity",
        lhs=lambda s: s.A @ s.B,
        rhs=lambda s: s.B @ s.A,
    ),
    # ----- Note 004: 符号规定 (notation) -----
    # 𝐚 = [a₁ a₂ ⋯ aₙ]ᵀ: a vector is a column, the transpose of the row of its entries
    make_claim(
        "linear_algebra.vector_is_transposed_row",
        title="𝐚 = [a₁ a₂ ⋯ aₙ]ᵀ: a vector is the column of its entries",
        source=note("004", "符号规定"),
        symbols="a: vector(n)",
        lhs=lambda s: ops.matrix([[s.a[i] for i in range(s.n)]]).T,
        rhs=lambda s: s.a,
    ),
    # 𝐀 = [𝐚₁ 𝐚₂ ⋯ 𝐚ₙ]: a matrix is its columns side by side, 𝐀 = Σⱼ 𝐚ⱼ eⱼᵀ
    make_claim(
        "linear_algebra.matrix_from_columns",
        title="𝐀 = [𝐚₁ ⋯ 𝐚ₙ] (columns side by side) = Σⱼ 𝐚ⱼ eⱼᵀ, m_ij its entry i of column j",
        source=note("004", "符号规定"),
        symbols="A: matrix(m, n)",
        lhs=lambda s: sum(
            (s.A[:, j] @ ops.onehot(j, s.n).T for j in range(s.n)), ops.zeros(s.m, s.n)
        ),
        rhs=lambda s: s.A,
    ),
)
