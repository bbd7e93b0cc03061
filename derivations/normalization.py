"""Normalisation: batch normalisation and the variance argument for initialisation.

Note 002 §3 ("Vanishing or Exploding Gradient").  Batch statistics are over the N values of
one feature in a batch (x is that column), with the population variance (1/N), as in
training mode.  Variances of random sums are computed exactly with
``derivations.probability.expectation`` (independent entries, given moments; Python: the
language has no expectation).
"""

from __future__ import annotations

import numpy as np

from derivations import note
from derivations.probability import expectation
from derivations.section import Section
from verifier import ops


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


def _dot_variance(s, moments):
    """Var(Σᵢ wᵢxᵢ) under the given moments of the entries of w and x."""
    return _variance(_explicit(s.w).T @ _explicit(s.x), moments(s))


def _batchnorm_backward_args(v):
    """batchnorm_backward's arguments: dout as a column and the cache of the forward pass
    (x̂, γ and 1/σ) at the claim's x, γ, β, ε."""
    from derivations.gradients import batchnorm_forward

    _, cache = batchnorm_forward(v.x[:, None], np.array([v.gamma]), np.array([v.beta]), v.eps)
    return v.dout[:, None], cache


def _batchnorm_eval_backward_args(v):
    """batchnorm_backward's arguments after an eval-mode forward pass (running statistics
    rm, rv) at the claim's x, γ, β, ε: dout as a column and that pass's cache."""
    from derivations.gradients import batchnorm_forward

    _, cache = batchnorm_forward(v.x[:, None], np.array([v.gamma]), np.array([v.beta]), v.eps,
                                 running_mean=np.array([v.rm], float),
                                 running_var=np.array([v.rv], float), training=False)
    return v.dout[:, None], cache


def _layernorm_args(v):
    """layernorm_backward's arguments: dout as one row and the forward pass's cache."""
    from derivations.gradients import layernorm_forward

    _, cache = layernorm_forward(v.x[None], v.gamma, v.beta, v.eps)
    return v.dout[None], cache


SRC = note("002", "Vanishing or Exploding Gradient")
XHAT = "(x - mean(x)) / sqrt(var(x))"  # x̂ = (x − E x)/√var(x), over the batch
XHAT_EPS = "(x - mean(x)) / sqrt(var(x) + eps)"  # with ε under the root, as in practice

# ----- Note 002: Vanishing or Exploding Gradient — variance and initialisation -----
# "We want n_l Var(W_l) ∼ 1" rests on Var(Σᵢ₌₁ⁿ wᵢxᵢ) = n Var(w) Var(x) for independent,
# zero-mean wᵢ, xᵢ (the zero means go unstated)

INIT = Section(SRC, symbols="w: vector(n), x: vector(n), vw: scalar, vx: scalar, mw: scalar, "
                            "mx: scalar")
ZERO_MEANS = "w, x, vw, vx"

CLAIMS = (
    INIT.claim("init_forward_variance",
               lambda s: _dot_variance(s, lambda s: {**_zero_mean(s.w, s.vw),
                                                     **_zero_mean(s.x, s.vx)}),
               "n * vw * vx", uses=ZERO_MEANS, assume=["vw positive", "vx positive"],
               sizes=[{"n": 2}, {"n": 3}, {"n": 4}],
               title="Var(Σᵢ₌₁ⁿ wᵢxᵢ) = n Var(w) Var(x), wᵢ, xᵢ independent with mean 0"),
    # without the zero means the product rule fails: Var(wx) = VwVx + μw²Vx + μx²Vw
    INIT.claim("init_forward_variance_nonzero_mean",
               lambda s: _dot_variance(s, lambda s: {**_with_mean(s.w, s.mw, s.vw),
                                                     **_with_mean(s.x, s.mx, s.vx)}),
               "n * vw * vx", assume=["vw positive", "vx positive"],
               sizes=[{"n": 2}, {"n": 3}],
               title="Var(Σᵢ wᵢxᵢ) = n Var(w) Var(x) when the means μw, μx need not be 0",
               expect="fails", corrected="normalization.init_forward_variance_general_mean"),
    INIT.claim("init_forward_variance_general_mean",
               lambda s: _dot_variance(s, lambda s: {**_with_mean(s.w, s.mw, s.vw),
                                                     **_with_mean(s.x, s.mx, s.vx)}),
               "n * (vw * vx + mw ** 2 * vx + mx ** 2 * vw)", source="standard",
               assume=["vw positive", "vx positive"], sizes=[{"n": 2}, {"n": 3}],
               title="Var(Σᵢ₌₁ⁿ wᵢxᵢ) = n(VwVx + μw²Vx + μx²Vw), wᵢ, xᵢ independent"),
)

# ----- Note 002: Vanishing or Exploding Gradient — batch normalisation -----
# x̂ᵢ = (xᵢ − E xᵢ)/√var(xᵢ), normalising a feature across the samples of a batch

BN = Section(SRC, symbols="x: vector(N), eps: scalar, a: scalar, b: scalar")

CLAIMS += (
    # over a batch the normalised values have mean 0 …
    BN.claim("batchnorm_mean_zero", f"mean({XHAT})", "0",
             title="mean of x̂ = (x − mean x)/√var x over a batch is 0"),
    # … and (population) variance 1
    BN.claim("batchnorm_unit_variance", f"var({XHAT})", "1",
             title="population variance of x̂ = (x − mean x)/√var x over a batch is 1"),
    # in practice ε is added under the root; then the variance is not exactly 1 …
    BN.claim("batchnorm_unit_variance_with_eps", f"var({XHAT_EPS})", "1", source="standard",
             assume=["eps positive"], sizes=[{"N": 2}, {"N": 3}],
             title="population variance of (x − mean x)/√(var x + ε) is 1", expect="fails",
             corrected="normalization.batchnorm_variance_with_eps"),
    # … it is var/(var + ε)
    BN.claim("batchnorm_variance_with_eps", f"var({XHAT_EPS})", "var(x) / (var(x) + eps)",
             source="standard", assume=["eps positive"],
             title="population variance of (x − mean x)/√(var x + ε) is var x/(var x + ε)"),
    # x̂ does not change when the batch is rescaled and shifted (a > 0)
    BN.claim("batchnorm_affine_invariance", "(a * x + b - mean(a * x + b)) / sqrt(var(a * x + b))",
             XHAT, source="standard", assume=["a positive", "var(x) nonzero"],
             title="normalising a·x + b (a > 0) gives the same x̂ as normalising x"),
)

# ----- Standard: batch norm's backward pass, per-feature statistics, layer norm -----
# y = γx̂ + β, x̂ = (x − μ)/√(σ² + ε), loss L with ∂L/∂y = dout:
# ∂L/∂x = (γ/(Nσ))(N·dout − Σdout − x̂ Σ(dout ⊙ x̂)),  σ = √(σ² + ε)

LIB = Section("standard", symbols="x: vector(N), dout: vector(N), gamma: scalar, beta: scalar, "
                                  "eps: scalar, X: matrix(N, D)")
ROW = "x: vector(D), dout: vector(D), gamma: vector(D), beta: vector(D)"
COLUMN_MEAN = "ones(N, 1) @ mean(X, axis=0)"  # each column's mean, repeated down the column

CLAIMS += (
    LIB.claim("batchnorm_input_gradient", f"grad(dout.T @ (gamma * {XHAT_EPS} + beta), x)",
              f"gamma / (N * sqrt(var(x) + eps)) * (N * dout - sum(dout) - {XHAT_EPS} "
              f"* sum(dout * {XHAT_EPS}))",
              assume=["eps positive"], sizes=[{"N": 2}, {"N": 3}],
              title="∇ₓ Σᵢ doutᵢ(γx̂ᵢ + β) = (γ/(Nσ))(N·dout − Σdout − x̂Σ(dout ⊙ x̂)), "
              "σ = √(var + ε)",
              implementation="derivations.gradients.normalization.batchnorm_backward[0]",
              impl_args=_batchnorm_backward_args),
    # eval-mode batch norm: x̂ = (x − r_μ)/√(r_σ² + ε) with fixed running statistics r_μ,
    # r_σ², an affine map of x, so ∂L/∂x = γ·dout/√(r_σ² + ε) (torch's training=False)
    LIB.claim("batchnorm_eval_input_gradient",
              "grad(dout.T @ (gamma * (x - rm) / sqrt(rv + eps) + beta), x)",
              "gamma * dout / sqrt(rv + eps)", symbols="rm: scalar, rv: scalar",
              assume=["eps positive", "rv positive"], sizes=[{"N": 2}, {"N": 3}],
              title="eval-mode batch norm (running statistics r_μ, r_σ² fixed): ∇ₓ Σᵢ "
              "doutᵢ(γ(xᵢ − r_μ)/√(r_σ² + ε) + β) = γ·dout/√(r_σ² + ε)",
              implementation="derivations.gradients.normalization.batchnorm_backward[0]",
              impl_args=_batchnorm_eval_backward_args),
    # training-mode batch norm of an N × D batch, statistics per feature (column):
    # γⱼ(xᵢⱼ − μⱼ)/√(E[x²]ⱼ − μⱼ² + ε) + βⱼ = γⱼx̂ᵢⱼ + βⱼ, x̂ = (x − μ)/√(σ² + ε), σ² = (1/N)Σ(x − μ)²
    LIB.claim("batchnorm_forward_columns",
              f"(X - {COLUMN_MEAN}) / sqrt(ones(N, 1) @ (mean(X ** 2, axis=0) "
              "- mean(X, axis=0) ** 2) + eps) * (ones(N, 1) @ gamma.T) + ones(N, 1) @ beta.T",
              f"(X - {COLUMN_MEAN}) / sqrt(ones(N, 1) @ mean((X - {COLUMN_MEAN}) ** 2, axis=0) "
              "+ eps) * (ones(N, 1) @ gamma.T) + ones(N, 1) @ beta.T",
              symbols="gamma: vector(D), beta: vector(D)", assume=["eps positive"],
              sizes=[{"N": 2, "D": 2}, {"N": 3, "D": 2}],
              title="per-feature batch norm: γ(x − μ)/√(E[x²] − μ² + ε) + β = γx̂ + β, x̂ = "
              "(x − μ)/√(σ² + ε), σ² the population variance of each column",
              implementation="derivations.gradients.normalization.batchnorm_forward[0]",
              impl_args=lambda v: (v.X, v.gamma, v.beta, v.eps)),
    # layer norm of one sample x (D features): γ ⊙ (x − μ)/√(E[x²] − μ² + ε) + β = γ ⊙ x̂ + β
    LIB.claim("layernorm_forward_row",
              "gamma * (x - mean(x)) / sqrt(mean(x * x) - mean(x) ** 2 + eps) + beta",
              f"gamma * {XHAT_EPS} + beta", symbols=ROW, assume=["eps positive"],
              sizes=[{"D": 2}, {"D": 3}],
              title="layer norm of a row: γ ⊙ (x − μ)/√(E[x²] − μ² + ε) + β = γ ⊙ x̂ + β, "
              "statistics over the row's features",
              implementation="derivations.gradients.normalization.layernorm_forward[0]",
              impl_args=lambda v: (v.x[None], v.gamma, v.beta, v.eps)),
    # ∇ₓ Σ doutᵢ(γᵢx̂ᵢ + βᵢ) = (1/σ)(ĝ − mean ĝ − x̂ mean(ĝ ⊙ x̂)), ĝ = γ ⊙ dout
    LIB.claim("layernorm_input_gradient", f"grad(dout.T @ (gamma * {XHAT_EPS} + beta), x)",
              f"(gamma * dout - mean(gamma * dout) - {XHAT_EPS} * mean(gamma * dout * {XHAT_EPS}))"
              " / sqrt(var(x) + eps)",
              symbols=ROW, assume=["eps positive"], sizes=[{"D": 2}, {"D": 3}],
              title="∇ₓ doutᵀ(γ ⊙ x̂ + β) = (ĝ − mean ĝ − x̂·mean(ĝ ⊙ x̂))/σ, ĝ = γ ⊙ dout, x̂ and σ "
              "over the row",
              implementation="derivations.gradients.normalization.layernorm_backward[0]",
              impl_args=_layernorm_args),
)
