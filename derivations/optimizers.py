"""Optimizers: gradient descent, mini-batch SGD, momentum, AdaGrad, RMSProp (EMA), Adam.

Note 002 §§1.2–2 (the EMA / RMSProp / Adam formulas sit under the note's heading "2 MLP")
and note 003 "deep learning".  A step claim takes the note's ∇f(xₜ) for a quadratic
f(x) = ½xᵀAx − bᵀx (A symmetric), so the engine differentiates and the library's step is
checked with g = Ax − b.  Claims over every step count t use an ``integer`` symbol t and are
proved for all t: by ``rsolve`` (the recurrence solved in closed form, Python: the language
solves no recurrence) or as an induction (a base case and a step, each a claim).  Each
optimizer acts coordinate by coordinate, so the closed forms use a scalar gradient g.
"""

from __future__ import annotations

import numpy as np

from derivations import note
from derivations.probability import expectation
from derivations.section import Section
from verifier import ops

GRAD = "derivations.gradients.optimizers"


def _entries(n, fn):
    """The column (fn(0), …, fn(n − 1)); fixed size only."""
    import sympy as sp

    if not isinstance(n, int | sp.Integer):
        raise ops.GeneralFormUnavailable("an entry-by-entry column of symbolic length")
    return sp.Matrix([fn(i) for i in range(int(n))])


def _solve(step, start=0):
    """The solution u(t) of u(t) = step(u(t − 1)), u(0) = start, from SymPy's rsolve.

    ``t`` is the positive integer symbol of the claim's environment (same name and flags).
    """
    import sympy as sp

    t = sp.Symbol("t", integer=True, positive=True)
    u = sp.Function("u")
    sol = sp.rsolve(u(t) - step(u(t - 1)), u(t), {u(0): start})
    if sol is None:
        raise ValueError("rsolve found no closed form")
    return sol


def _unroll(step, t, start=0):
    """u(t) by applying ``step`` t times from u(0) = start (t a concrete integer)."""
    u = start
    for k in range(1, t + 1):
        u = step(u, k)
    return u


def _grad_seq():
    import sympy as sp

    return sp.IndexedBase("g", real=True)


def _momentum_sum(rho, t):
    """Σ_{k=0}^{t} ρ^{t−k} gₖ with a symbolic upper limit."""
    import sympy as sp

    k = sp.Symbol("k", integer=True, nonnegative=True)
    return sp.Sum(rho ** (t - k) * _grad_seq()[k], (k, 0, t))


# ----- mini-batches, enumerated exactly -----


def _batches(n, b):
    from itertools import combinations

    return list(combinations(range(int(n)), b))


def _batch_mean_expectation(G):
    """For each batch size B = 1..N: the average over all C(N, B) batches of (1/B)Σ_{i∈I} Gᵢ."""
    import sympy as sp

    n = G.shape[0]
    blocks = []
    for b in range(1, n + 1):
        batches = _batches(n, b)
        acc = sp.zeros(1, G.shape[1])
        for batch in batches:
            acc += sum((G[i, :] for i in batch), sp.zeros(1, G.shape[1])) / b
        blocks.append(acc / len(batches))
    return sp.Matrix.vstack(*blocks)


def _full_mean_repeated(G):
    import sympy as sp

    n = G.shape[0]
    mean = sum((G[i, :] for i in range(n)), sp.zeros(1, G.shape[1])) / n
    return sp.Matrix.vstack(*[mean] * n)


def _batch_mean_variance(x):
    """For each B = 1..N: Var over uniformly drawn batches (no replacement) of the batch mean."""
    import sympy as sp

    n = x.shape[0]
    out = []
    for b in range(1, n + 1):
        means = [sp.Add(*[x[i] for i in batch]) / b for batch in _batches(n, b)]
        m1 = sp.Add(*means) / len(means)
        m2 = sp.Add(*[m**2 for m in means]) / len(means)
        out.append(m2 - m1**2)
    return sp.Matrix(out)


def _finite_population_variance(x):
    """(S²/B)·(N − B)/(N − 1) for B = 1..N, S² the population variance of the entries."""
    import sympy as sp

    n = x.shape[0]
    s2 = ops.var(x)
    return sp.Matrix([s2 / b * sp.Rational(n - b, n - 1) for b in range(1, n + 1)])


def _naive_variance(x):
    """σ²/B for B = 1..N, σ² the population variance: the i.i.d. formula."""
    import sympy as sp

    n = x.shape[0]
    s2 = ops.var(x)
    return sp.Matrix([s2 / b for b in range(1, n + 1)])


def _iid_moments(x, mu, v):
    """Each xᵢ independent with E xᵢ = μ, Var xᵢ = v."""
    return {x[i]: (mu, v + mu**2) for i in range(x.shape[0])}


def _sample_mean(x):
    return ops.mean(x)


def _sqrt(t):
    import sympy as sp

    return sp.sqrt(t)


SRC_GD = note("002", "Gradient Descent")
SRC_ADA = note("002", "Adaptive learning rate")
SRC_MLP = note("002", "MLP")  # the note puts EMA, RMSProp and Adam under "2 MLP"
SRC_DL = note("003", "deep learning")

F = "x.T @ A @ x / 2 - b.T @ x"  # the objective of the step claims, ∇f = Ax − b (A symmetric)
STEP = "x: vector(n), A: matrix(n, n), b: vector(n), v: vector(n), r: vector(n), alpha: scalar"


def _g(v):
    """∇f = Ax − b at the claim's values: the gradient the library's step is given."""
    return v.A @ v.x - v.b


# ----- Note 002: Gradient Descent -----

GD = Section(SRC_GD, symbols=STEP + ", rho: scalar, X: matrix(N, d), y: vector(N), "
                                    "theta: vector(d), G: matrix(N, d), g: scalar")
SQUARED = "sum((X @ theta - y) ** 2) / (2 * N)"  # (1/N)Σᵢ ½(θᵀxᵢ − yᵢ)²

CLAIMS = (
    # J(θ) = (1/N) Σᵢ Jᵢ(θ),  "Jᵢ(θ) L(f_θ(yᵢ), xᵢ)": the "=" is missing and the arguments are
    # swapped (f_θ applied to the label, the loss compared with the input).  With a linear model
    # f_θ(x) = θᵀx and the squared loss, the swapped reading (1/N)Σᵢ ½‖θyᵢ − xᵢ‖² is another
    # function
    GD.claim("empirical_loss_as_written", "norm(theta @ y.T - X.T) ** 2 / (2 * N)", SQUARED,
             title="Jᵢ = L(f_θ(yᵢ), xᵢ) as written (arguments swapped) equals L(f_θ(xᵢ), yᵢ)",
             expect="fails", corrected="optimizers.empirical_loss_gradient"),
    # the corrected empirical loss and its gradient: ∇(1/N)Σ½(θᵀxᵢ − yᵢ)² = (1/N)Xᵀ(Xθ − y)
    GD.claim("empirical_loss_gradient",
             "grad((X @ theta - y).T @ (X @ theta - y) / (2 * N), theta)",
             "X.T @ (X @ theta - y) / N",
             title="∇_θ (1/N)Σᵢ ½(θᵀxᵢ − yᵢ)² = (1/N) Σᵢ ∇Jᵢ = (1/N) Xᵀ(Xθ − y)"),
    # SGD: xₜ₊₁ = xₜ − α∇f(xₜ)
    GD.claim("sgd_step", f"x - alpha * grad({F}, x)", "x - alpha * (A @ x - b)",
             assume=["A symmetric", "alpha nonnegative"],
             title="SGD step xₜ₊₁ = xₜ − α∇f(xₜ) for f = ½xᵀAx − bᵀx: x − α(Ax − b)",
             implementation=f"{GRAD}.sgd_step", impl_args=lambda v: (v.x, _g(v), v.alpha)),
    # θₖ₊₁ = θₖ − η (1/B) Σ_{i∈I_B} ∇Jᵢ(θₖ): the mini-batch gradient is unbiased: over the
    # C(N, B) equally likely batches its mean is (1/N)Σᵢ∇Jᵢ = ∇J (every B = 1..N).
    # Python: an average over every batch of B rows.
    GD.claim("minibatch_gradient_unbiased", lambda s: _batch_mean_expectation(s.G),
             lambda s: _full_mean_repeated(s.G), uses="G",
             sizes=[{"N": 3, "d": 2}, {"N": 4, "d": 1}],
             title="E over uniform batches of (1/B)Σ_{i∈I_B}∇Jᵢ = (1/N)Σᵢ∇Jᵢ, each B = 1..N "
             "(rows of G are the ∇Jᵢ)"),
)

# "(x₁ + ⋯ + x_N)/N has the same mean μ but less variance σ²/N" (x₁ … x_N i.i.d.).
# Python: expectations over independent random variables.
SAMPLE = Section(SRC_GD, symbols="x: vector(N), mu: scalar, v: scalar")

CLAIMS += (
    SAMPLE.claim("sample_mean_unbiased",
                 lambda s: expectation(_sample_mean(s.x), _iid_moments(s.x, s.mu, s.v)), "mu",
                 uses="x, mu, v", assume=["v positive"], sizes=[{"N": 2}, {"N": 3}, {"N": 4}],
                 title="E[(x₁ + ⋯ + x_N)/N] = μ for i.i.d. xᵢ with mean μ"),
    SAMPLE.claim("sample_mean_variance",
                 lambda s: (expectation(_sample_mean(s.x) ** 2, _iid_moments(s.x, s.mu, s.v))
                            - expectation(_sample_mean(s.x), _iid_moments(s.x, s.mu, s.v)) ** 2),
                 "v / N", uses="x, mu, v", assume=["v positive"],
                 sizes=[{"N": 2}, {"N": 3}, {"N": 4}],
                 title="Var[(x₁ + ⋯ + x_N)/N] = σ²/N for i.i.d. xᵢ with variance σ²"),
    # a mini-batch is drawn *without replacement* from N fixed values: the i.i.d. σ²/B does
    # not apply to it …
    SAMPLE.claim("minibatch_variance_iid_formula", lambda s: _batch_mean_variance(s.x),
                 lambda s: _naive_variance(s.x), uses="x", sizes=[{"N": 3}, {"N": 4}],
                 title="Var over uniform batches of the batch mean = σ²/B (the i.i.d. formula, "
                 "applied to sampling without replacement), each B = 1..N",
                 expect="fails", corrected="optimizers.minibatch_variance"),
    # … the finite-population correction (N − B)/(N − 1) is exact (0 at B = N: no randomness)
    SAMPLE.claim("minibatch_variance", lambda s: _batch_mean_variance(s.x),
                 lambda s: _finite_population_variance(s.x), uses="x", source="standard",
                 sizes=[{"N": 3}, {"N": 4}],
                 title="Var over uniform batches of the batch mean = (σ²/B)(N − B)/(N − 1), each "
                 "B = 1..N"),
)

CLAIMS += (
    # SGD + momentum: vₜ₊₁ = ρvₜ + ∇f(xₜ),  xₜ₊₁ = xₜ − αvₜ₊₁
    GD.claim("momentum_step", f"x - alpha * (rho * v + grad({F}, x))",
             "x - alpha * (rho * v + A @ x - b)",
             assume=["A symmetric", "alpha nonnegative", "rho nonnegative"],
             title="momentum step v' = ρv + ∇f(x), x' = x − αv' for f = ½xᵀAx − bᵀx: "
             "x − α(ρv + Ax − b)",
             implementation=f"{GRAD}.momentum_step[0]",
             impl_args=lambda v: (v.x, _g(v), v.v, v.alpha, v.rho)),
    # the other common convention, u' = ρu − αg, x' = x + u', gives the same iterates
    # (u = −αv, α constant)
    GD.claim("momentum_conventions_agree", "x - alpha * (rho * v + g)",
             "x + (rho * (-alpha * v) - alpha * g)", symbols="g: vector(n)", source="standard",
             title="x − α(ρv + g) = x + (ρu − αg) with u = −αv (the two momentum conventions)"),
    # with a constant gradient g and v₀ = 0: vₜ = g(1 − ρᵗ)/(1 − ρ) for every t ≥ 1
    # base case t = 1: v₁ = ρ·0 + g
    GD.claim("momentum_constant_gradient_base", "rho * 0 + g", "g * (1 - rho) / (1 - rho)",
             assume=["rho in (0, 1)"],
             title="v₁ = ρ·0 + g equals g(1 − ρ¹)/(1 − ρ) (induction base)"),
    # step: vₜ = g(1 − ρᵗ)/(1 − ρ) ⇒ ρvₜ + g = g(1 − ρᵗ⁺¹)/(1 − ρ), t symbolic
    GD.claim("momentum_constant_gradient_step", "rho * g * (1 - rho ** t) / (1 - rho) + g",
             "g * (1 - rho ** (t + 1)) / (1 - rho)", symbols="t: integer",
             assume=["rho in (0, 1)"],
             title="ρ·g(1 − ρᵗ)/(1 − ρ) + g = g(1 − ρᵗ⁺¹)/(1 − ρ) for every integer t (induction "
             "step)"),
    # the same closed form, the recurrence solved by rsolve
    GD.claim("momentum_constant_gradient_closed_form",
             lambda s: _solve(lambda u: s.rho * u + s.g).subs("t", s.t),
             "g * (1 - rho ** t) / (1 - rho)", symbols="t: integer", uses="g, rho, t",
             assume=["rho in (0, 1)"],
             title="vₜ = ρvₜ₋₁ + g, v₀ = 0 solves to g(1 − ρᵗ)/(1 − ρ) for all t (rsolve)"),
    # "accumulating the gradients of past steps": vₜ = Σ_{k<t} ρ^{t−1−k} gₖ (v₀ = 0), shown by
    # unrolling the recurrence for t = 1..4 with arbitrary gradients g₀ … g₃ (Python: unrolled)
    GD.claim("momentum_accumulates_past_gradients",
             lambda s: _entries(s.T, lambda t: _unroll(lambda u, k: s.rho * u + s.g[k - 1], t + 1)),
             lambda s: _entries(s.T, lambda t: sum(s.rho ** (t - k) * s.g[k]
                                                   for k in range(t + 1))),
             symbols="g: vector(T)", uses="g, rho", sizes=[{"T": 4}],
             title="vₜ = Σ_{k=0}^{t−1} ρ^{t−1−k} gₖ for t = 1..4 (unrolled; arbitrary gradients)"),
    # the same for every t, as an induction step on sums of symbolic length:
    # ρ·Σ_{k=0}^{t−1} ρ^{t−1−k}gₖ + gₜ = Σ_{k=0}^{t} ρ^{t−k}gₖ (Python: a sum up to the step t)
    GD.claim("momentum_accumulates_past_gradients_step",
             lambda s: s.rho * _momentum_sum(s.rho, s.t - 1) + _grad_seq()[s.t],
             lambda s: _momentum_sum(s.rho, s.t), symbols="t: integer", uses="rho, t",
             title="ρ Σ_{k<t} ρ^{t−1−k}gₖ + gₜ = Σ_{k≤t} ρ^{t−k}gₖ for every integer t (induction "
             "step)"),
)

# ----- Note 003: deep learning -----
# J(θ) = (1/n) Σᵢ (y⁽ⁱ⁾ − h_θ(x⁽ⁱ⁾))², θ := θ − α∇_θ J(θ); h_θ(x) = θᵀx

DL = Section(SRC_DL, symbols="X: matrix(n, d), y: vector(n), theta: vector(d), alpha: scalar")
COST = "(y - X @ theta).T @ (y - X @ theta) / n"

CLAIMS += (
    DL.claim("dl_cost_gradient", f"grad({COST}, theta)", "-2 * X.T @ (y - X @ theta) / n",
             title="∇_θ (1/n)Σᵢ(y⁽ⁱ⁾ − θᵀx⁽ⁱ⁾)² = −(2/n)Xᵀ(y − Xθ) (linear h_θ)"),
    # optimisation step θ := θ − α∇_θ J(θ)
    DL.claim("dl_optimisation_step", f"theta - alpha * grad({COST}, theta)",
             "theta + 2 * alpha * X.T @ (y - X @ theta) / n",
             title="θ − α∇J(θ) = θ + (2α/n)Xᵀ(y − Xθ)"),
    # "batch gradient descent (where we scale learning rate by batch size …)": a step on the
    # batch-mean gradient with rate α is a step on the summed gradient with rate α/B
    DL.claim("batch_learning_rate_scaling", "theta - alpha * ((G @ ones(B, 1)) / B)",
             "theta - (alpha / B) * (G @ ones(B, 1))", symbols="G: matrix(d, B)",
             title="θ − α·(1/B)Σ_{i≤B} gᵢ = θ − (α/B)·Σ_{i≤B} gᵢ (columns of G are the gᵢ)"),
)

# ----- Note 002: Adaptive learning rate -----
# AdaGrad: rₜ = rₜ₋₁ + ∇f(xₜ) ⊙ ∇f(xₜ),  xₜ₊₁ = xₜ − α/√(rₜ + ε) ⊙ ∇f(xₜ)  (ε inside the root)

ADA = Section(SRC_ADA, symbols=STEP + ", g: vector(n), eps: scalar")
# the adaptive methods act coordinate by coordinate: one coordinate x of f = ½ax² − bx
COORDINATE = "x: scalar, a: scalar, b: scalar, r: scalar"
F1 = "a * x ** 2 / 2 - b * x"

CLAIMS += (
    # the usual AdaGrad is xₜ₊₁ = xₜ − α g/(√rₜ + ε): a different rule (r = q ⊙ q ≥ 0, an
    # accumulator of squares)
    ADA.claim("adagrad_eps_placement", "alpha * g / sqrt(q * q + g * g + eps)",
              "alpha * g / (sqrt(q * q + g * g) + eps)", kind="non-identity",
              symbols="q: vector(n)", assume=["alpha positive", "eps positive"],
              title="α/√(r + ε) ⊙ g (note) ≠ α g/(√r + ε) (usual AdaGrad) in general"),
    # one AdaGrad step, standard form (ε after the root), on one coordinate of
    # f = ½ax² − bx: r' = r + f'(x)², x' = x − αf'(x)/(√r' + ε)
    ADA.claim("adagrad_step", f"x - alpha * grad({F1}, x) / (sqrt(r + grad({F1}, x) ** 2) + eps)",
              "x - alpha * (a * x - b) / (sqrt(r + (a * x - b) ** 2) + eps)",
              symbols=COORDINATE, assume=["eps positive", "r nonnegative"],
              title="AdaGrad step r' = r + ∇f ⊙ ∇f, x' = x − α∇f ⊘ (√r' + ε), one coordinate of "
              "f = ½ax² − bx"),
    # the AdaGrad accumulator with a constant gradient grows linearly: rₜ = t g² (r₀ = 0),
    # so the step α|g|/√(t g²) = α/√t decays: "overly aggressive decay" (the note, §2)
    ADA.claim("adagrad_accumulator_closed_form",
              lambda s: _solve(lambda u: u + s.g**2).subs("t", s.t), "t * g ** 2",
              symbols="g: scalar, t: integer", uses="g, t",
              title="rₜ = rₜ₋₁ + g², r₀ = 0 solves to t g² for all t (rsolve), so steps shrink as "
              "1/√t"),
)

# ----- Note 002: MLP (EMA, RMSProp, Adam) -----
# EMA / RMSProp as written: rₜ = βrₜ₋₁ + (1 − β)g ⊙ g,  xₜ₊₁ = xₜ − α/√(rₜ + β) ⊙ g
# "+ β" is a typo for "+ ε" (β is the decay rate, e.g. 0.9, not a small stabiliser)

MLP = Section(SRC_MLP, symbols=STEP + ", g: vector(n), beta: scalar, eps: scalar")
EMA = "beta * r + (1 - beta) * g * g"

CLAIMS += (
    MLP.claim("rmsprop_step_as_written", f"x - alpha * g / sqrt({EMA} + beta)",
              f"x - alpha * g / sqrt({EMA} + eps)",
              assume=["alpha positive", "beta in (0, 1)", "eps positive"],
              title="x − α/√(r' + β) ⊙ g (as written, β in the root) = x − α/√(r' + ε) ⊙ g",
              expect="fails", corrected="optimizers.rmsprop_step"),
    # corrected, standard form on one coordinate of f = ½ax² − bx: r' = βr + (1 − β)f'(x)²,
    # x' = x − αf'(x)/(√r' + ε)
    MLP.claim("rmsprop_step",
              f"x - alpha * grad({F1}, x) / (sqrt(beta * r + (1 - beta) * grad({F1}, x) ** 2) "
              "+ eps)",
              "x - alpha * (a * x - b) / (sqrt(beta * r + (1 - beta) * (a * x - b) ** 2) + eps)",
              symbols=COORDINATE, assume=["beta in (0, 1)", "eps positive", "r nonnegative"],
              title="RMSProp step r' = βr + (1 − β)∇f ⊙ ∇f, x' = x − α∇f ⊘ (√r' + ε), one "
              "coordinate of f = ½ax² − bx"),
)

ONE = Section(SRC_MLP, symbols="g: scalar, beta: scalar, beta1: scalar, beta2: scalar, "
                               "alpha: scalar, eps: scalar, t: integer")

CLAIMS += (
    # EMA with a constant gradient, r₀ = 0: rₜ = (1 − βᵗ)g² for every t ≥ 1 (base, step, rsolve)
    ONE.claim("ema_constant_gradient_base", "beta * 0 + (1 - beta) * g ** 2",
              "(1 - beta ** 1) * g ** 2", assume=["beta in (0, 1)"],
              title="r₁ = β·0 + (1 − β)g² equals (1 − β¹)g² (induction base)"),
    ONE.claim("ema_constant_gradient_step", "beta * (1 - beta ** t) * g ** 2 + (1 - beta) * g ** 2",
              "(1 - beta ** (t + 1)) * g ** 2", assume=["beta in (0, 1)"],
              title="β(1 − βᵗ)g² + (1 − β)g² = (1 − βᵗ⁺¹)g² for every integer t (induction step)"),
    ONE.claim("ema_constant_gradient_closed_form",
              lambda s: _solve(lambda u: s.beta * u + (1 - s.beta) * s.g**2).subs("t", s.t),
              "(1 - beta ** t) * g ** 2", uses="g, beta, t", assume=["beta in (0, 1)"],
              title="rₜ = βrₜ₋₁ + (1 − β)g², r₀ = 0 solves to (1 − βᵗ)g² for all t (rsolve)"),
)


# Adam as note 002 writes it:
#   vₜ = β₁ᵗvₜ₋₁ + (1 − β₁ᵗ)gₜ,  rₜ = β₂ᵗrₜ₋₁ + (1 − β₂ᵗ)gₜ ⊙ gₜ
#   vₜ = vₜ/(1 − β₁ᵗ),  Eₜ = Eₜ/(1 − β₂ᵗ)
#   xₜ₊₁ = xₜ − α/√(rₜ + ε) ⊙ vₜ
# Three slips: powers β₁ᵗ, β₂ᵗ where the decay rates β₁, β₂ belong; the second moment
# corrected under the name Eₜ, so the update divides by the uncorrected rₜ; and vₜ overwritten
# by its corrected value.  Each is decided on its own with a constant gradient g (v₀ = r₀ = 0),
# where the standard Adam's corrected moments are exactly g and g².  Python: the moments are
# recurrences, unrolled to t = 2 or solved for every t by rsolve.


def _first_moment(s):
    """vₜ of the standard Adam, constant g: the recurrence solved for every t."""
    return _solve(lambda u: s.beta1 * u + (1 - s.beta1) * s.g).subs("t", s.t)


def _second_moment(s):
    return _solve(lambda u: s.beta2 * u + (1 - s.beta2) * s.g**2).subs("t", s.t)


CLAIMS += (
    # Adam, standard: vₜ = β₁vₜ₋₁ + (1 − β₁)g, v₀ = 0, constant g: v̂ₜ = vₜ/(1 − β₁ᵗ) = g, all t
    ONE.claim("adam_bias_correction", lambda s: _first_moment(s) / (1 - s.beta1**s.t), "g",
              uses="g, beta1, t", assume=["beta1 in (0, 1)"],
              title="vₜ = β₁vₜ₋₁ + (1 − β₁)g, v₀ = 0: v̂ₜ = vₜ/(1 − β₁ᵗ) = g for all t (rsolve)",
              implementation=f"{GRAD}.adam_bias_corrected[0]",
              impl_args=lambda v: (np.array([v.g * (1 - v.beta1 ** v.t)]), np.zeros(1), v.t,
                                   v.beta1)),
    # … and the second moment: r̂ₜ = rₜ/(1 − β₂ᵗ) = g ⊙ g (the note's "Eₜ", read as rₜ)
    ONE.claim("adam_second_moment_bias_correction",
              lambda s: _second_moment(s) / (1 - s.beta2**s.t), "g ** 2",
              uses="g, beta2, t", assume=["beta2 in (0, 1)"],
              title="rₜ = β₂rₜ₋₁ + (1 − β₂)g², r₀ = 0: rₜ/(1 − β₂ᵗ) = g² for all t (the note's Eₜ "
              "read as rₜ)"),
    # as written, vₜ = β₁ᵗvₜ₋₁ + (1 − β₁ᵗ)gₜ: the bias-corrected v̂₂ = v₂/(1 − β₁²) is not g
    ONE.claim("adam_bias_correction_as_written",
              lambda s: (_unroll(lambda u, k: s.beta1**k * u + (1 - s.beta1**k) * s.g, 2)
                         / (1 - s.beta1**2)),
              "g", uses="g, beta1", assume=["beta1 in (0, 1)"],
              title="with vₜ = β₁ᵗvₜ₋₁ + (1 − β₁ᵗ)g (as written), v̂₂ = v₂/(1 − β₁²) = g",
              expect="fails", corrected="optimizers.adam_bias_correction"),
    # as written, rₜ = β₂ᵗrₜ₋₁ + (1 − β₂ᵗ)gₜ ⊙ gₜ: the corrected r̂₂ = r₂/(1 − β₂²) is not g²
    ONE.claim("adam_second_moment_as_written",
              lambda s: (_unroll(lambda u, k: s.beta2**k * u + (1 - s.beta2**k) * s.g**2, 2)
                         / (1 - s.beta2**2)),
              "g ** 2", uses="g, beta2", assume=["beta2 in (0, 1)"],
              title="with rₜ = β₂ᵗrₜ₋₁ + (1 − β₂ᵗ)g ⊙ g (as written), r̂₂ = r₂/(1 − β₂²) = g ⊙ g",
              expect="fails", corrected="optimizers.adam_second_moment_bias_correction"),
    # "vₜ = vₜ/(1 − β₁ᵗ)" overwrites the running average; the next step then averages the
    # corrected value: with the standard β₁ update and constant g, v̂₂ is not g
    ONE.claim("adam_bias_correction_in_place",
              lambda s: _unroll(lambda u, k: (s.beta1 * u + (1 - s.beta1) * s.g)
                                / (1 - s.beta1**k), 2),
              "g", uses="g, beta1", assume=["beta1 in (0, 1)"],
              title="overwriting vₜ by vₜ/(1 − β₁ᵗ) and continuing the recurrence still gives "
              "v̂₂ = g", expect="fails", corrected="optimizers.adam_bias_correction"),
    # xₜ₊₁ = xₜ − α/√(rₜ + ε) ⊙ vₜ with the corrected moments: with a constant gradient the
    # step is α g/√(g² + ε) for every t, whatever the decay rates
    ONE.claim("adam_constant_gradient_step",
              lambda s: (s.alpha * (_first_moment(s) / (1 - s.beta1**s.t))
                         / _sqrt(_second_moment(s) / (1 - s.beta2**s.t) + s.eps)),
              "alpha * g / sqrt(g ** 2 + eps)", uses="g, alpha, beta1, beta2, eps, t",
              assume=["beta1 in (0, 1)", "beta2 in (0, 1)", "eps positive"],
              title="Adam step with bias-corrected moments and constant g: α v̂ₜ/√(r̂ₜ + ε) = "
              "αg/√(g² + ε) for all t"),
    # the update as written divides by the uncorrected rₜ (the correction went to "Eₜ"): with a
    # constant gradient its second step α v̂₂/√(r₂ + ε) is not αg/√(g² + ε) (r₂ = (1 − β₂²)g²)
    ONE.claim("adam_update_uncorrected_second_moment",
              lambda s: (s.alpha * _unroll(lambda u, k: s.beta1 * u + (1 - s.beta1) * s.g, 2)
                         / (1 - s.beta1**2)
                         / _sqrt(_unroll(lambda u, k: s.beta2 * u + (1 - s.beta2) * s.g**2, 2)
                                 + s.eps)),
              "alpha * g / sqrt(g ** 2 + eps)", uses="g, alpha, beta1, beta2, eps",
              assume=["beta1 in (0, 1)", "beta2 in (0, 1)", "eps positive"],
              title="Adam's update as written, xₜ₊₁ = xₜ − α/√(rₜ + ε) ⊙ v̂ₜ with the uncorrected "
              "rₜ: the second step is αg/√(g² + ε) for a constant g", expect="fails",
              corrected="optimizers.adam_constant_gradient_step"),
    # all of it as written (β₁ᵗ, β₂ᵗ, vₜ overwritten, rₜ uncorrected), step t = 2
    ONE.claim("adam_step_as_written",
              lambda s: (s.alpha * _unroll(lambda u, k: (s.beta1**k * u + (1 - s.beta1**k) * s.g)
                                           / (1 - s.beta1**k), 2)
                         / _sqrt(_unroll(lambda u, k: s.beta2**k * u
                                         + (1 - s.beta2**k) * s.g**2, 2) + s.eps)),
              "alpha * g / sqrt(g ** 2 + eps)", uses="g, alpha, beta1, beta2, eps",
              assume=["beta1 in (0, 1)", "beta2 in (0, 1)", "eps positive"],
              title="Adam exactly as written (β₁ᵗ, β₂ᵗ, vₜ overwritten, rₜ uncorrected), constant "
              "g: the second step is αg/√(g² + ε)", expect="fails",
              corrected="optimizers.adam_constant_gradient_step"),
)

# ----- Gradient library (derivations.gradients.optimizers): the functions' conventions -----
# The steps are stated on state the optimizer can hold: an accumulator of squares is written
# r = q ⊙ q (so √ stays real at every sampled point), Adam's moments after t − 1 steps of a
# constant gradient in their closed form.  ε is added after the root, as in the library.

LIB = Section("standard", symbols="x: vector(n), g: vector(n), q: vector(n), m: vector(n), "
                                  "v: vector(n), alpha: scalar, beta: scalar, beta1: scalar, "
                                  "beta2: scalar, rho: scalar, lam: scalar, eps: scalar, "
                                  "t: integer")
# the preconditioners D⁻¹ after the step, diagonal
ADAGRAD_P = "diag(1 / (sqrt(q * q + g * g) + eps))"
RMSPROP_P = "diag(1 / (sqrt(beta * q * q + (1 - beta) * g * g) + eps))"
# m̂ₜ/(√v̂ₜ + ε) from the moments m and v = q² of step t − 1
ADAM_DIRECTION = ("(beta1 * m + (1 - beta1) * g) / (1 - beta1 ** t) / "
                  "(sqrt((beta2 * q * q + (1 - beta2) * g * g) / (1 - beta2 ** t)) + eps)")
# Adam's step t from mₜ₋₁ = (1 − β₁ᵗ⁻¹)g, vₜ₋₁ = (1 − β₂ᵗ⁻¹)g ⊙ g
ADAM_STEP_T = ("x - alpha * ((beta1 * (1 - beta1 ** (t - 1)) * g + (1 - beta1) * g) "
               "/ (1 - beta1 ** t)) / (sqrt((beta2 * (1 - beta2 ** (t - 1)) * g * g "
               "+ (1 - beta2) * g * g) / (1 - beta2 ** t)) + eps)")

CLAIMS += (
    # AdaGrad is a gradient step preconditioned by D = diag(√(r + g ⊙ g) + ε), r = q ⊙ q:
    # x − αD⁻¹g = x − α g ⊘ (√(r + g ⊙ g) + ε)
    LIB.claim("adagrad_step_nonnegative_accumulator", f"x - alpha * {ADAGRAD_P} @ g",
              "x - alpha * g / (sqrt(q * q + g * g) + eps)",
              assume=["eps positive", "alpha nonnegative"],
              title="AdaGrad as a preconditioned step: x − αD⁻¹g, D = diag(√(r + g ⊙ g) + ε), "
              "r = q ⊙ q ≥ 0, is x − α g ⊘ (√(r + g ⊙ g) + ε)",
              implementation=f"{GRAD}.adagrad_step[0]",
              impl_args=lambda v: (v.x, v.g, v.q * v.q, v.alpha, v.eps)),
    # RMSProp likewise, D = diag(√(βr + (1 − β)g ⊙ g) + ε)
    LIB.claim("rmsprop_step_nonnegative_average", f"x - alpha * {RMSPROP_P} @ g",
              "x - alpha * g / (sqrt(beta * q * q + (1 - beta) * g * g) + eps)",
              assume=["beta in (0, 1)", "eps positive", "alpha nonnegative"],
              title="RMSProp as a preconditioned step: x − αD⁻¹g, D = diag(√(βr + (1 − β)g ⊙ g) "
              "+ ε), r = q ⊙ q ≥ 0, is x − α g ⊘ (√(βr + (1 − β)g ⊙ g) + ε)",
              implementation=f"{GRAD}.rmsprop_step[0]",
              impl_args=lambda v: (v.x, v.g, v.q * v.q, v.alpha, v.beta, v.eps)),
    # Adam, ε after the root (paper, PyTorch): with a constant gradient g and the moments of
    # t − 1 steps, step t moves x by α g ⊘ (|g| + ε), whatever t, β₁, β₂
    LIB.claim("adam_step_constant_gradient", ADAM_STEP_T, "x - alpha * g / (abs(g) + eps)",
              assume=["beta1 in (0, 1)", "beta2 in (0, 1)", "eps positive", "alpha nonnegative"],
              sizes=[{"n": 1}, {"n": 2}],
              title="Adam step t from mₜ₋₁ = (1 − β₁ᵗ⁻¹)g, vₜ₋₁ = (1 − β₂ᵗ⁻¹)g ⊙ g: "
              "x − α m̂ₜ ⊘ (√v̂ₜ + ε) = x − α g ⊘ (|g| + ε) for all t",
              implementation=f"{GRAD}.adam_step[0]",
              # the moments after t − 1 steps of the constant gradient g
              impl_args=lambda v: (v.x, v.g, v.g * (1 - v.beta1 ** (v.t - 1)),
                                   v.g * v.g * (1 - v.beta2 ** (v.t - 1)), v.t, v.alpha,
                                   v.beta1, v.beta2, v.eps)),
    # torch's SGD(momentum=ρ, nesterov=True, weight_decay=λ): d = g + λx, b = ρv + d,
    # x' = x − α(d + ρb) = x − α((1 + ρ)(g + λx) + ρ²v)
    LIB.claim("sgd_nesterov_weight_decay_step",
              "x - alpha * ((g + lam * x) + rho * (rho * v + g + lam * x))",
              "x - alpha * ((1 + rho) * (g + lam * x) + rho ** 2 * v)",
              title="d = g + λx, b = ρv + d: x − α(d + ρb) = x − α((1 + ρ)(g + λx) + ρ²v) "
              "(Nesterov momentum with L2 weight decay)",
              assume=["alpha nonnegative", "rho positive", "lam nonnegative"],
              implementation=f"{GRAD}.sgd_nesterov_step[0]",
              impl_args=lambda v: (v.x, v.g, v.v, v.alpha, v.rho, v.lam)),
    # AdamW: the decay multiplies x, outside the adaptive step: x' = (1 − αλ)x − α m̂/(√v̂ + ε)
    LIB.claim("adamw_step_decoupled", f"x - alpha * lam * x - alpha * {ADAM_DIRECTION}",
              f"(1 - alpha * lam) * x - alpha * {ADAM_DIRECTION}",
              assume=["beta1 in (0, 1)", "beta2 in (0, 1)", "eps positive", "alpha nonnegative",
                      "lam nonnegative"],
              sizes=[{"n": 1}, {"n": 2}],
              title="AdamW: x − αλx − α m̂ₜ/(√v̂ₜ + ε) = (1 − αλ)x − α m̂ₜ/(√v̂ₜ + ε), mₜ = β₁m + "
              "(1 − β₁)g, vₜ = β₂q² + (1 − β₂)g², entry by entry",
              implementation=f"{GRAD}.adamw_step[0]",
              impl_args=lambda v: (v.x, v.g, v.m, v.q * v.q, v.t, v.alpha, v.beta1, v.beta2,
                                   v.eps, v.lam)),
)

CLIP = Section("standard", symbols="g1: vector(n), g2: vector(m)")

CLAIMS += (
    # the global norm of several gradients is the norm of their concatenation
    CLIP.claim("clip_by_global_norm", "norm(block([[g1], [g2]]))",
               "sqrt(norm(g1) ** 2 + norm(g2) ** 2)", sizes=[{"n": 2, "m": 3}],
               title="‖(g₁, g₂)‖ = √(‖g₁‖² + ‖g₂‖²): the global norm clip_grad_norm scales by "
               "min(1, c/(‖g‖ + ε))",
               implementation=f"{GRAD}.clip_grad_norm",
               impl_args=lambda v: ([v.g1.copy(), v.g2.copy()], 1e300)),
)

# ----- Gradient library: torch.optim's flags (maximize, weight_decay, lr_decay, centered,
# momentum), each as the step the library takes with it.  amsgrad has no entry: its
# √max(w², vₜ) is only 'checked' (SymPy cannot split the root of a maximum) -----

FLAGS = Section("standard", symbols="x: vector(n), g: vector(n), q: vector(n), b: vector(n), "
                                    "c: scalar, alpha: scalar, beta: scalar, mu: scalar, "
                                    "lam: scalar, eta: scalar, eps: scalar, t: integer")
# RMSprop centered: r = βq² + (1 − β)g², ḡ = βa + (1 − β)g with a = c·q, |c| < 1, so that
# r − ḡ² ≥ 0 (Jensen: ḡ² ≤ βc²q² + (1 − β)g² ≤ r), as for any state torch can reach
R_CENTERED = "beta * q * q + (1 - beta) * g * g - (beta * c * q + (1 - beta) * g) ** 2"

CLAIMS += (
    # maximize negates the gradient, then L2 weight decay adds λx (torch's order):
    # x − α(−g + λx) = (1 − αλ)x + αg
    FLAGS.claim("sgd_step_maximize_weight_decay", "x - alpha * (-g + lam * x)",
                "(1 - alpha * lam) * x + alpha * g",
                assume=["alpha nonnegative", "lam nonnegative"],
                title="SGD(maximize=True, weight_decay=λ): x − α(−g + λx) = (1 − αλ)x + αg",
                implementation=f"{GRAD}.sgd_step",
                impl_args=lambda v: (v.x, v.g, v.alpha),
                impl_kwargs=lambda v: {"weight_decay": v.lam, "maximize": True}),
    # Adagrad's lr_decay η: step t uses α/(1 + (t − 1)η)
    FLAGS.claim("adagrad_step_lr_decay",
                "x - alpha / (1 + (t - 1) * eta) * diag(1 / (sqrt(q * q + g * g) + eps)) @ g",
                "x - alpha * g / ((1 + (t - 1) * eta) * (sqrt(q * q + g * g) + eps))",
                assume=["t in 1..1000", "eta nonnegative", "eps positive", "alpha nonnegative"],
                title="Adagrad(lr_decay=η), step t: x − α/(1 + (t − 1)η) · D⁻¹g, D = "
                "diag(√(q² + g²) + ε), is x − αg ⊘ ((1 + (t − 1)η)(√(q² + g²) + ε))",
                implementation=f"{GRAD}.adagrad_step[0]",
                impl_args=lambda v: (v.x, v.g, v.q * v.q, v.alpha, v.eps),
                impl_kwargs=lambda v: {"lr_decay": v.eta, "t": v.t}),
    # RMSprop(centered=True, momentum=μ): b' = μb + g ⊘ (√(r − ḡ²) + ε), x' = x − αb'
    FLAGS.claim("rmsprop_step_centered_momentum",
                f"x - alpha * (mu * b + diag(1 / (sqrt({R_CENTERED}) + eps)) @ g)",
                f"x - alpha * mu * b - alpha * g / (sqrt({R_CENTERED}) + eps)",
                assume=["beta in (0, 1)", "c in (-1, 1)", "eps positive", "alpha nonnegative",
                        "mu nonnegative"],
                sizes=[{"n": 1}, {"n": 2}],
                title="RMSprop(centered=True, momentum=μ): x − α(μb + D⁻¹g), D = diag(√(r − ḡ²) "
                "+ ε), r = βq² + (1 − β)g², ḡ = βa + (1 − β)g, is x − αμb − αg ⊘ (√(r − ḡ²) + ε)",
                implementation=f"{GRAD}.rmsprop_step[0]",
                impl_args=lambda v: (v.x, v.g, v.q * v.q, v.alpha, v.beta, v.eps),
                impl_kwargs=lambda v: {"centered": True, "grad_avg": v.c * v.q, "momentum": v.mu,
                                       "momentum_buffer": v.b.copy()}),
)

# torch's SGD(momentum=μ, dampening=τ): the first step sets v₁ = g undamped (the velocity b
# not read), every later one v' = μb + (1 − τ)g; then x' = x − αv'
CLAIMS += (
    FLAGS.claim("momentum_step_dampening", "x - alpha * (mu * b + (1 - c) * g)",
                "x - alpha * mu * b - alpha * g + alpha * c * g",
                assume=["alpha nonnegative", "mu nonnegative"],
                title="SGD(momentum=μ, dampening=τ) after its first step: x − α(μb + (1 − τ)g) = "
                "x − αμb − αg + ατg (τ = c; the first step is x − αg, v₁ = g)",
                implementation=f"{GRAD}.momentum_step[0]",
                impl_args=lambda v: (v.x, v.g, v.b.copy(), v.alpha, v.mu),
                impl_kwargs=lambda v: {"dampening": v.c, "t": 2}),
)
