"""Linear algebra: transpose rules, matrix equations, squared norms.

Each entry's comment gives the formula as the note writes it; each side is one line of the
claim language (README, "Your own claims"), the section's symbols declared once above it.
"""

from __future__ import annotations

from derivations import note
from derivations.section import Section

# ----- Note 000: Matrix Transpose -----

T0 = Section(note("000", "Matrix Transpose"),
             symbols="a: matrix(n, m), b: matrix(m, k), c: matrix(k, p)")

CLAIMS = (
    # (a + b)ᵀ = aᵀ + bᵀ
    T0.claim("transpose_of_sum", "(a + b).T", "a.T + b.T", symbols="b: matrix(n, m)",
             title="(a + b)ᵀ = aᵀ + bᵀ"),
    # (ab)ᵀ = bᵀaᵀ
    T0.claim("transpose_of_product", "(a @ b).T", "b.T @ a.T", title="(ab)ᵀ = bᵀaᵀ"),
    # (abc)ᵀ = cᵀbᵀaᵀ
    T0.claim("transpose_of_triple_product", "(a @ b @ c).T", "c.T @ b.T @ a.T",
             title="(abc)ᵀ = cᵀbᵀaᵀ"),
    # the tempting wrong order: (ab)ᵀ = aᵀbᵀ (square, so the shapes fit)
    T0.claim("transpose_of_product_same_order", "(a @ b).T", "a.T @ b.T",
             symbols="a: matrix(n, n), b: matrix(n, n)", source="standard",
             title="(ab)ᵀ = aᵀbᵀ, the order not reversed (a common slip)",
             expect="holds if a and b commute", corrected="linear_algebra.transpose_of_product"),
)

# ----- Note 000: Matrix Equation -----

EQ = Section(note("000", "Matrix Equation"),
             symbols="a: matrix(n, n), b: matrix(n, m), y: vector(m)")

CLAIMS += (
    # ax = by  →  x = a⁻¹by: the solution satisfies the equation when a is invertible
    EQ.claim("matrix_equation_solution", "a @ (inv(a) @ b @ y)", "b @ y",
             title="x = a⁻¹by solves ax = by, as the note writes it (a invertible left unsaid)",
             corrected="linear_algebra.matrix_equation_solution_invertible"),
    EQ.claim("matrix_equation_solution_invertible", "a @ (inv(a) @ b @ y)", "b @ y",
             assume=["a invertible"], title="x = a⁻¹by solves ax = by for an invertible a"),
    # the other order, x = b y a⁻¹, does not even have the right shape
    EQ.claim("matrix_equation_solution_wrong_side", "a @ (b @ y @ inv(a))", "b @ y",
             symbols="b: matrix(n, n), y: matrix(n, n)", assume=["a invertible"],
             source="standard", title="x = by·a⁻¹ (inverse on the wrong side) solves ax = by",
             expect="fails", corrected="linear_algebra.matrix_equation_solution_invertible"),
)

# ----- Note 000: Squared L2 Norm -----

NORM = Section(note("000", "Squared L2 Norm"), symbols="z: vector(d), a: vector(d), b: vector(d)")

CLAIMS += (
    # ‖z‖₂² = (√(z₁² + … + z_d²))² = z₁² + … + z_d² = zᵀz
    NORM.derivation("squared_norm_chain",
                    ["norm(z) ** 2", "sqrt(sum(z ** 2)) ** 2", "sum(z ** 2)", "z.T @ z"],
                    title="‖z‖₂² = (√(Σ zᵢ²))² = Σ zᵢ² = zᵀz"),
    # aᵀb is a scalar, so aᵀb = (aᵀb)ᵀ = bᵀa
    NORM.derivation("inner_product_symmetry", ["a.T @ b", "(a.T @ b).T", "b.T @ a"],
                    title="aᵀb = (aᵀb)ᵀ = bᵀa"),
    # ‖a − b‖₂² = (a − b)ᵀ(a − b) = aᵀa − aᵀb − bᵀa + bᵀb = aᵀa − (aᵀb)ᵀ − bᵀa + bᵀb
    #          = aᵀa − bᵀa − bᵀa + bᵀb = aᵀa − 2bᵀa + bᵀb = aᵀa − 2aᵀb + bᵀb = ‖b − a‖₂²
    NORM.derivation(
        "squared_distance_chain",
        [
            "norm(a - b) ** 2",
            "(a - b).T @ (a - b)",
            "a.T @ a - a.T @ b - b.T @ a + b.T @ b",
            "a.T @ a - (a.T @ b).T - b.T @ a + b.T @ b",
            "a.T @ a - b.T @ a - b.T @ a + b.T @ b",
            "a.T @ a - 2 * b.T @ a + b.T @ b",
            "a.T @ a - 2 * a.T @ b + b.T @ b",
            "norm(b - a) ** 2",
        ],
        title="‖a − b‖₂² expanded step by step",
    ),
)

# ----- Note 003: Transpose Rules -----

TR = Section(note("003", "Transpose Rules"),
             symbols="A: matrix(n, m), B: matrix(m, k), C: matrix(m, k), "
                     "a: vector(n), b: vector(n), c: vector(m)")

CLAIMS += (
    # (AB)ᵀ = BᵀAᵀ
    TR.claim("transpose_of_matrix_product", "(A @ B).T", "B.T @ A.T", title="(AB)ᵀ = BᵀAᵀ"),
    # (aᵀBc)ᵀ = cᵀBᵀa
    TR.claim("transpose_of_bilinear_form", "(a.T @ B @ c).T", "c.T @ B.T @ a",
             symbols="B: matrix(n, m)", title="(aᵀBc)ᵀ = cᵀBᵀa"),
    # a scalar is its own transpose, so also aᵀBc = cᵀBᵀa (what the rule is used for)
    TR.claim("bilinear_form_equals_its_transpose", "a.T @ B @ c", "c.T @ B.T @ a",
             symbols="B: matrix(n, m)", title="aᵀBc = cᵀBᵀa (a 1×1 form equals its transpose)"),
    # aᵀb = bᵀa
    TR.claim("inner_product_commutes", "a.T @ b", "b.T @ a", title="aᵀb = bᵀa"),
    # (A + B)C = AC + BC
    TR.claim("right_distributivity", "(A + B) @ C", "A @ C + B @ C",
             symbols="B: matrix(n, m)", title="(A + B)C = AC + BC"),
    # the slip of multiplying on the wrong side: C(A + B) = AC + BC (square, so shapes fit)
    TR.claim("distributivity_wrong_side", "C @ (A + B)", "A @ C + B @ C",
             symbols="A: matrix(n, n), B: matrix(n, n), C: matrix(n, n)", source="standard",
             title="C(A + B) = AC + BC (C moved to the other side)", expect="fails",
             corrected="linear_algebra.right_distributivity"),
    # (a + b)ᵀC = aᵀC + bᵀC
    TR.claim("transposed_sum_times_matrix", "(a + b).T @ C", "a.T @ C + b.T @ C",
             symbols="C: matrix(n, m)", title="(a + b)ᵀC = aᵀC + bᵀC"),
    # AB ≠ BA (in general; square so both products exist)
    TR.claim("matrix_product_not_commutative", "A @ B", "B @ A", kind="non-identity",
             symbols="A: matrix(n, n), B: matrix(n, n)", title="AB ≠ BA in general (square A, B)"),
)

# ----- Note 004: 符号规定 (notation) -----
# 𝐀 = [𝐚₁ 𝐚₂ ⋯ 𝐚ₙ]: a matrix is its columns side by side, 𝐀 = Σⱼ 𝐚ⱼ eⱼᵀ

NOTATION = Section(note("004", "符号规定"), symbols="A: matrix(m, n), j: index(n)")

CLAIMS += (
    NOTATION.claim(
        "matrix_from_columns", "sum(A[:, j] @ onehot(j, n).T, j)", "A",
        title="𝐀 = [𝐚₁ ⋯ 𝐚ₙ] (columns side by side) = Σⱼ 𝐚ⱼ eⱼᵀ, m_ij its entry i of column j",
    ),
)
