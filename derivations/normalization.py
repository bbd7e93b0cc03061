"""Normalisation: batch normalisation and the variance argument for initialisation.

Note 002 §3 ("Vanishing or Exploding Gradient").  Batch statistics are over the N values of
one feature in a batch (x is that column), with the population variance (1/N), as in
training mode.  Variances of random sums are computed exactly with
``derivations.probability.expectation`` (independent entries, given moments).
"""

from __future__ import annotations

import numpy as np

from derivations import note
from derivations.probability import expectation
from verifier import ops
from verifier.claim import make_claim

sc = ops.sc


def _normalise(x, eps=0):
    """x̂ = (x − mean x)/√(var x + ε), population variance."""
    import sympy as sp

    m = x if isinstance(x, sp.MatrixBase) else None
    if m is None:
        raise ops.GeneralFormUnavailable("batch statistics of a general-size vector")
    mu, v = ops.mean(m), ops.var(m)
    root = ops.sqrt(v + eps)
    return m.applyfunc(lambda t: ops.div(t - mu, root, "var(x)" if eps == 0 else "var(x) + eps"))


def _batchnorm_input_gradient(x, dout, gamma, eps):
    """(γ/(Nσ))(N·dout − Σdout − x̂ Σ(dout ⊙ x̂)), σ = √(var x + ε)."""
    import sympy as sp

    n = x.shape[0]
    xhat = _normalise(x, eps)
    sigma = sp.sqrt(ops.var(x) + eps)
    total = ops.sum_(dout)
    proj = ops.sum_(ops.hadamard(dout, xhat))
    return (gamma / (n * sigma)) * (n * dout - total * ops.ones(n) - proj * xhat)


def _zero_mean(vec, var):
    return {vec[i, j]: (0, var) for i in range(vec.shape[0]) for j in range(vec.shape[1])}


def _with_mean(vec, mean, var):
    return {
        vec[i, j]: (mean, var + mean**2) for i in range(vec.shape[0]) for j in range(vec.shape[1])
    }


def _variance(expr_vec, moments):
    """Var of each entry of a column of polynomials in independent variables."""
    return expr_vec.applyfunc(lambda e: expectation(e**2, moments) - expectation(e, moments) ** 2)


def _explicit(x):
    import sympy as sp

    if not isinstance(x, sp.MatrixBase):
        raise ops.GeneralFormUnavailable("moments of a general-size matrix")
    return x



def _batchnorm_backward_args(v):
    """batchnorm_backward's arguments: dout as a column and the cache of the forward pass
    (x̂, γ and 1/σ) at the claim's x, γ, β, ε."""
    from derivations.gradients import batchnorm_forward

    _, cache = batchnorm_forward(v.x[:, None], np.array([v.gamma]), np.array([v.beta]), v.eps)
    return v.dout[:, None], cache


SRC = note("002", "Vanishing or Exploding Gradient")

CLAIMS = (
    # ----- Note 002: Vanishing or Exploding Gradient — backpropagation through a layer -----
    # ----- Note 002: Vanishing or Exploding Gradient — variance and initialisation -----
    # "n_l Var(W_l) ≈ 1" rests on Var(Σᵢ₌₁ⁿ wᵢxᵢ) = n Var(w) Var(x) for independent,
    # zero-mean wᵢ, xᵢ (the zero means go unstated)
    make_claim(
        "normalization.init_forward_variance",
        title="Var(Σᵢ₌₁ⁿ wᵢxᵢ) = n Var(w) Var(x), wᵢ, xᵢ independent with mean 0",
        source=SRC,
        symbols="w: vector(n), x: vector(n), vw: scalar, vx: scalar",
        assume=["vw positive", "vx positive"],
        lhs=lambda s: _variance(
            _explicit(s.w).T @ _explicit(s.x),
            {**_zero_mean(s.w, s.vw), **_zero_mean(s.x, s.vx)},
        ),
        rhs=lambda s: s.n * s.vw * s.vx,
        sizes=[{"n": 2}, {"n": 3}, {"n": 4}],
    ),
    # without the zero means the product rule fails: Var(wx) = VwVx + μw²Vx + μx²Vw
    make_claim(
        "normalization.init_forward_variance_nonzero_mean",
        title="Var(Σᵢ wᵢxᵢ) = n Var(w) Var(x) when the means μw, μx need not be 0",
        source=SRC,
        symbols="w: vector(n), x: vector(n), vw: scalar, vx: scalar, mw: scalar, mx: scalar",
        assume=["vw positive", "vx positive"],
        lhs=lambda s: _variance(
            _explicit(s.w).T @ _explicit(s.x),
            {**_with_mean(s.w, s.mw, s.vw), **_with_mean(s.x, s.mx, s.vx)},
        ),
        rhs=lambda s: s.n * s.vw * s.vx,
        sizes=[{"n": 2}, {"n": 3}],
        expect="fails",
        corrected="normalization.init_forward_variance_general_mean",
    ),
    make_claim(
        "normalization.init_forward_variance_general_mean",
        title="Var(Σᵢ₌₁ⁿ wᵢxᵢ) = n(VwVx + μw²Vx + μx²Vw), wᵢ, xᵢ independent",
        source="standard",
        symbols="w: vector(n), x: vector(n), vw: scalar, vx: scalar, mw: scalar, mx: scalar",
        assume=["vw positive", "vx positive"],
        lhs=lambda s: _variance(
            _explicit(s.w).T @ _explicit(s.x),
            {**_with_mean(s.w, s.mw, s.vw), **_with_mean(s.x, s.mx, s.vx)},
        ),
        rhs=lambda s: s.n * (s.vw * s.vx + s.mw**2 * s.vx + s.mx**2 * s.vw),
        sizes=[{"n": 2}, {"n": 3}],
    ),
    # ----- Note 002: Vanishing or Exploding Gradient — batch normalisation -----
    # x̂ᵢ = (xᵢ − E xᵢ)/√var(xᵢ): over a batch the normalised values have mean 0 …
    make_claim(
        "normalization.batchnorm_mean_zero",
        title="mean of x̂ = (x − mean x)/√var x over a batch is 0",
        source=SRC,
        symbols="x: vector(N)",
        lhs=lambda s: ops.mean(_normalise(s.x)),
        rhs=lambda s: 0,
        sizes=[{"N": 2}, {"N": 3}, {"N": 4}],
    ),
    # … and (population) variance 1
    make_claim(
        "normalization.batchnorm_unit_variance",
        title="population variance of x̂ = (x − mean x)/√var x over a batch is 1",
        source=SRC,
        symbols="x: vector(N)",
        lhs=lambda s: ops.var(_normalise(s.x)),
        rhs=lambda s: 1,
        sizes=[{"N": 2}, {"N": 3}, {"N": 4}],
    ),
    # in practice ε is added under the root; then the variance is not exactly 1 …
    make_claim(
        "normalization.batchnorm_unit_variance_with_eps",
        title="population variance of (x − mean x)/√(var x + ε) is 1",
        source="standard",
        symbols="x: vector(N), eps: scalar",
        assume=["eps positive"],
        lhs=lambda s: ops.var(_normalise(s.x, s.eps)),
        rhs=lambda s: 1,
        sizes=[{"N": 2}, {"N": 3}],
        expect="fails",
        corrected="normalization.batchnorm_variance_with_eps",
    ),
    # … it is var/(var + ε)
    make_claim(
        "normalization.batchnorm_variance_with_eps",
        title="population variance of (x − mean x)/√(var x + ε) is var x/(var x + ε)",
        source="standard",
        symbols="x: vector(N), eps: scalar",
        assume=["eps positive"],
        lhs=lambda s: ops.var(_normalise(s.x, s.eps)),
        rhs=lambda s: ops.var(s.x) / (ops.var(s.x) + s.eps),
        sizes=[{"N": 2}, {"N": 3}],
    ),
    # x̂ does not change when the batch is rescaled and shifted (a > 0)
    make_claim(
        "normalization.batchnorm_affine_invariance",
        title="normalising a·x + b (a > 0) gives the same x̂ as normalising x",
        source="standard",
        symbols="x: vector(N), a: scalar, b: scalar",
        assume=["a positive", "var(x) nonzero"],
        lhs=lambda s: _normalise(s.a * s.x + s.b * ops.ones(s.N)),
        rhs=lambda s: _normalise(s.x),
        sizes=[{"N": 2}, {"N": 3}],
    ),
    # backward pass of y = γx̂ + β, x̂ = (x − μ)/√(σ² + ε), loss L with ∂L/∂y = dout:
    # ∂L/∂x = (γ/(Nσ))(N·dout − Σdout − x̂ Σ(dout ⊙ x̂)),  σ = √(σ² + ε)
    make_claim(
        "normalization.batchnorm_input_gradient",
        title="∇ₓ Σᵢ doutᵢ(γx̂ᵢ + β) = (γ/(Nσ))(N·dout − Σdout − x̂Σ(dout ⊙ x̂)), σ = √(var + ε)",
        source=SRC,
        symbols="x: vector(N), dout: vector(N), gamma: scalar, beta: scalar, eps: scalar",
        assume=["eps positive"],
        kind="gradient",
        f=lambda s: sc(s.dout.T @ (s.gamma * _normalise(s.x, s.eps) + s.beta * ops.ones(s.N))),
        wrt="x",
        rhs=lambda s: _batchnorm_input_gradient(s.x, s.dout, s.gamma, s.eps),
        sizes=[{"N": 2}, {"N": 3}],
        implementation="derivations.gradients.normalization.batchnorm_backward[0]",
        impl_args=_batchnorm_backward_args,
    ),
)


# ----- Gradient library (derivations.gradients.normalization): the functions' conventions -----


def _column_stats_form(X, gamma, beta, eps):
    """γⱼ(xᵢⱼ − μⱼ)/√(E[x²]ⱼ − μⱼ² + ε) + βⱼ: the variance as mean of squares minus squared
    mean, per feature (column)."""
    import sympy as sp

    n, d = X.shape

    def entry(i, j):
        col = X[:, j]
        mu = ops.mean(col)
        var = ops.mean(ops.hadamard(col, col)) - mu**2
        return gamma[j] * (X[i, j] - mu) / sp.sqrt(var + eps) + beta[j]

    return sp.Matrix(n, d, entry)


def _batchnorm_columns(X, gamma, beta, eps):
    """γ ⊙ x̂ + β with x̂ normalised column by column (the per-feature batch statistics)."""
    import sympy as sp

    cols = [gamma[j] * _normalise(X[:, j], eps) + beta[j] * ops.ones(X.shape[0])
            for j in range(X.shape[1])]
    return sp.Matrix.hstack(*cols)


CLAIMS += (
    # training-mode batch norm of an N × D batch, statistics per feature (column):
    # γⱼ(xᵢⱼ − μⱼ)/√(E[x²]ⱼ − μⱼ² + ε) + βⱼ = γⱼx̂ᵢⱼ + βⱼ, x̂ = (x − μ)/√(σ² + ε), σ² = (1/N)Σ(x − μ)²
    make_claim(
        "normalization.batchnorm_forward_columns",
        title="per-feature batch norm: γ(x − μ)/√(E[x²] − μ² + ε) + β = γx̂ + β, x̂ = "
        "(x − μ)/√(σ² + ε), σ² the population variance of each column",
        source="standard",
        symbols="X: matrix(N, D), gamma: vector(D), beta: vector(D), eps: scalar",
        assume=["eps positive"],
        lhs=lambda s: _column_stats_form(s.X, s.gamma, s.beta, s.eps),
        rhs=lambda s: _batchnorm_columns(s.X, s.gamma, s.beta, s.eps),
        sizes=[{"N": 2, "D": 2}, {"N": 3, "D": 2}],
        implementation="derivations.gradients.normalization.batchnorm_forward[0]",
        impl_args=lambda v: (v.X, v.gamma, v.beta, v.eps),
    ),
)


# ----- Gradient library: layer normalisation (one row, statistics over its features) -----


def _layernorm_input_gradient(x, dout, gamma, eps):
    """(1/σ)(ĝ − mean ĝ − x̂ mean(ĝ ⊙ x̂)), ĝ = γ ⊙ dout, σ = √(var x + ε)."""
    import sympy as sp

    n = x.shape[0]
    xhat = _normalise(x, eps)
    g = ops.hadamard(gamma, dout)
    return (g - ops.mean(g) * ops.ones(n) - ops.mean(ops.hadamard(g, xhat)) * xhat) / sp.sqrt(
        ops.var(x) + eps
    )


def _layernorm_args(v):
    """layernorm_backward's arguments: dout as one row and the forward pass's cache."""
    from derivations.gradients import layernorm_forward

    _, cache = layernorm_forward(v.x[None], v.gamma, v.beta, v.eps)
    return v.dout[None], cache


CLAIMS += (
    # layer norm of one sample x (D features): γ ⊙ (x − μ)/√(E[x²] − μ² + ε) + β = γ ⊙ x̂ + β
    make_claim(
        "normalization.layernorm_forward_row",
        title="layer norm of a row: γ ⊙ (x − μ)/√(E[x²] − μ² + ε) + β = γ ⊙ x̂ + β, statistics "
        "over the row's features",
        source="standard",
        symbols="x: vector(D), gamma: vector(D), beta: vector(D), eps: scalar",
        assume=["eps positive"],
        lhs=lambda s: ops.hadamard(
            s.gamma,
            s.x.applyfunc(lambda t: (t - ops.mean(s.x)) / _sqrt(
                ops.mean(ops.hadamard(s.x, s.x)) - ops.mean(s.x) ** 2 + s.eps)),
        ) + s.beta,
        rhs=lambda s: ops.hadamard(s.gamma, _normalise(s.x, s.eps)) + s.beta,
        sizes=[{"D": 2}, {"D": 3}],
        implementation="derivations.gradients.normalization.layernorm_forward[0]",
        impl_args=lambda v: (v.x[None], v.gamma, v.beta, v.eps),
    ),
    # ∇ₓ Σ doutᵢ(γᵢx̂ᵢ + βᵢ) = (1/σ)(ĝ − mean ĝ − x̂ mean(ĝ ⊙ x̂)), ĝ = γ ⊙ dout
    make_claim(
        "normalization.layernorm_input_gradient",
        title="∇ₓ doutᵀ(γ ⊙ x̂ + β) = (ĝ − mean ĝ − x̂·mean(ĝ ⊙ x̂))/σ, ĝ = γ ⊙ dout, x̂ and σ "
        "over the row",
        source="standard",
        symbols="x: vector(D), dout: vector(D), gamma: vector(D), beta: vector(D), eps: scalar",
        assume=["eps positive"],
        kind="gradient",
        f=lambda s: sc(s.dout.T @ (ops.hadamard(s.gamma, _normalise(s.x, s.eps)) + s.beta)),
        wrt="x",
        rhs=lambda s: _layernorm_input_gradient(s.x, s.dout, s.gamma, s.eps),
        sizes=[{"D": 2}, {"D": 3}],
        implementation="derivations.gradients.normalization.layernorm_backward[0]",
        impl_args=_layernorm_args,
    ),
)


def _sqrt(t):
    import sympy as sp

    return sp.sqrt(t)
