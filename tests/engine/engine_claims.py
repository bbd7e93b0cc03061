"""Small claims the engine tests share: true ones, false ones, and the SymPy traps."""

from __future__ import annotations

from verifier import ops
from verifier.claim import make_claim

sc = ops.sc


def claim(id: str, **kw):
    kw.setdefault("title", id)
    kw.setdefault("source", "standard")
    return make_claim(f"test.{id}", **kw)


# ∂(aᵀMa)/∂a = (M + Mᵀ)a
QUADRATIC_GENERAL = claim(
    "quadratic_general", symbols="a: vector(n), M: matrix(n, n)", kind="gradient",
    f=lambda s: sc(s.a.T @ s.M @ s.a), wrt="a", rhs=lambda s: (s.M + s.M.T) @ s.a,
)
# ∂(aᵀMa)/∂a = 2Ma: only for a symmetric M
QUADRATIC_NOTE = claim(
    "quadratic_note", symbols="a: vector(n), M: matrix(n, n)", kind="gradient",
    f=lambda s: sc(s.a.T @ s.M @ s.a), wrt="a", rhs=lambda s: 2 * s.M @ s.a,
    expect="holds if M symmetric",
)
# σ'(z) = σ(z)(1 − σ(z)), element-wise: no general form (element-wise functions)
SIGMOID_GRAD = claim(
    "sigmoid_grad", symbols="z: vector(n)", kind="gradient",
    f=lambda s: ops.sum_(ops.sigmoid(s.z)), wrt="z",
    rhs=lambda s: ops.hadamard(ops.sigmoid(s.z), ops.ones(s.n) - ops.sigmoid(s.z)),
)
# Σ(xᵢ + yᵢ)² = Σxᵢ² + 2Σxᵢyᵢ + Σyᵢ², for every N
SUM_SQUARE = claim(
    "sum_square", symbols="x: vector(N), y: vector(N)",
    lhs=lambda s: ops.sum_over(s.N, lambda i: (ops.entry(s.x, i) + ops.entry(s.y, i)) ** 2),
    rhs=lambda s: ops.sum_over(s.N, lambda i: ops.entry(s.x, i) ** 2)
    + 2 * ops.sum_over(s.N, lambda i: ops.entry(s.x, i) * ops.entry(s.y, i))
    + ops.sum_over(s.N, lambda i: ops.entry(s.y, i) ** 2),
)

# ----- false claims that must never be proved or checked -----

FALSE_CLAIMS = [
    # missing transpose: ∂(aᵀXb)/∂X = baᵀ (true: abᵀ)
    claim("missing_transpose", symbols="a: vector(n), X: matrix(n, m), b: vector(m)",
          kind="gradient", f=lambda s: sc(s.a.T @ s.X @ s.b), wrt="X",
          rhs=lambda s: s.b @ s.a.T, expect="fails"),
    # missing factor 2: ∂(xᵀx)/∂x = x
    claim("missing_factor_two", symbols="x: vector(n)", kind="gradient",
          f=lambda s: sc(s.x.T @ s.x), wrt="x", rhs=lambda s: s.x, expect="fails"),
    # swapped product: (AB)ᵀ = AᵀBᵀ
    claim("swapped_product", symbols="A: matrix(n, n), B: matrix(n, n)",
          lhs=lambda s: (s.A @ s.B).T, rhs=lambda s: s.A.T @ s.B.T, expect="fails"),
    # X⁻¹ for X⁻ᵀ: ∂ log det X / ∂X = X⁻¹
    claim("inverse_for_inverse_transpose", symbols="X: matrix(n, n)", kind="gradient",
          f=lambda s: ops.log(ops.det(s.X)), wrt="X", rhs=lambda s: ops.inv(s.X),
          expect="fails"),
    # sign flip: ∂‖y − Xθ‖²/∂θ = 2Xᵀ(y − Xθ)
    claim("sign_flip", symbols="X: matrix(N, d), y: vector(N), th: vector(d)", kind="gradient",
          f=lambda s: sc((s.y - s.X @ s.th).T @ (s.y - s.X @ s.th)), wrt="th",
          rhs=lambda s: 2 * s.X.T @ (s.y - s.X @ s.th), expect="fails"),
    # halved: ∂ tr(AXB)/∂X = AᵀBᵀ/2
    claim("halved", symbols="A: matrix(n, n), X: matrix(n, n), B: matrix(n, n)",
          kind="gradient", f=lambda s: ops.trace(s.A @ s.X @ s.B), wrt="X",
          rhs=lambda s: s.A.T @ s.B.T / 2, expect="fails"),
]

# ----- SymPy 1.14 returns a wrong 0 for these derivatives (DESIGN.md) -----

TRAPS_TRUE = [
    # ∂ log det X / ∂X = X⁻ᵀ
    claim("trap_logdet", symbols="X: matrix(n, n)", kind="gradient",
          f=lambda s: ops.log(ops.det(s.X)), wrt="X", rhs=lambda s: ops.inv(s.X).T,
          sizes=[{"n": 2}, {"n": 3}]),
    # ∂ exp(tr X) / ∂X = exp(tr X)·I
    claim("trap_exp_trace", symbols="X: matrix(n, n)", kind="gradient",
          f=lambda s: ops.exp(ops.trace(s.X)), wrt="X",
          rhs=lambda s: ops.exp(ops.trace(s.X)) * ops.eye(s.n)),
    # ∂ (aᵀXb) / ∂X = abᵀ, written with an element access
    claim("trap_bilinear_entry", symbols="a: vector(n), X: matrix(n, m), b: vector(m)",
          kind="gradient", f=lambda s: (s.a.T @ s.X @ s.b)[0, 0], wrt="X",
          rhs=lambda s: s.a @ s.b.T),
]
# the wrong zeros themselves, claimed: each must be refuted
TRAPS_ZERO = [
    claim("trap_logdet_zero", symbols="X: matrix(n, n)", kind="gradient",
          f=lambda s: ops.log(ops.det(s.X)), wrt="X", rhs=lambda s: ops.zeros(s.n, s.n),
          expect="fails"),
    claim("trap_exp_trace_zero", symbols="X: matrix(n, n)", kind="gradient",
          f=lambda s: ops.exp(ops.trace(s.X)), wrt="X", rhs=lambda s: ops.zeros(s.n, s.n),
          expect="fails"),
    claim("trap_bilinear_entry_zero", symbols="a: vector(n), X: matrix(n, m), b: vector(m)",
          kind="gradient", f=lambda s: (s.a.T @ s.X @ s.b)[0, 0], wrt="X",
          rhs=lambda s: ops.zeros(s.n, s.m), expect="fails"),
]
