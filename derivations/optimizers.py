"""Optimizers: gradient descent, mini-batch SGD, momentum, AdaGrad, RMSProp (EMA), Adam.

Note 002 §§1.2–2 (the EMA / RMSProp / Adam formulas sit under the note's heading "2 MLP")
and note 003 "deep learning".  A ``*_step`` claim is one step of a rule, written with vector
operations (⊙, element-wise √), against the same step written entry by entry.  Claims over
every step count t use an ``integer`` symbol t and are proved for all t: by ``rsolve`` (the
recurrence solved in closed form) or as an induction (a base case and a step, each a claim).
Each optimizer acts coordinate by coordinate, so the closed forms use a scalar gradient g.
"""

from __future__ import annotations

import numpy as np

from derivations import note
from derivations.probability import expectation
from verifier import ops
from verifier.claim import make_claim

sc, hadamard = ops.sc, ops.hadamard


def _entries(n, fn):
    """The column (fn(0), …, fn(n − 1)); fixed size only."""
    import sympy as sp

    if not isinstance(n, int | sp.Integer):
        raise ops.GeneralFormUnavailable("an entry-by-entry column of symbolic length")
    return sp.Matrix([fn(i) for i in range(int(n))])


def _map(x, fn):
    import sympy as sp

    if isinstance(x, sp.MatrixBase):
        return x.applyfunc(fn)
    if isinstance(x, sp.MatrixExpr):
        raise ops.GeneralFormUnavailable("element-wise function of a general-size vector")
    return fn(x)


def _div(a, b):
    """a ⊘ b, element-wise."""
    import sympy as sp

    return sp.Matrix(a.shape[0], a.shape[1], lambda i, j: a[i, j] / b[i, j])


def _sqrt(t):
    import sympy as sp

    return sp.sqrt(t)


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


# ----- squared-error cost of a linear model, for the note-003 step -----


def _cost(s):
    """J(θ) = (1/n) Σᵢ (y⁽ⁱ⁾ − θᵀx⁽ⁱ⁾)², samples as the rows of X."""
    r = s.y - s.X @ s.theta
    return sc(r.T @ r) / s.n


SRC_GD = note("002", "Gradient Descent")
SRC_ADA = note("002", "Adaptive learning rate")
SRC_MLP = note("002", "MLP")  # the note puts EMA, RMSProp and Adam under "2 MLP"
SRC_DL = note("003", "deep learning")

CLAIMS = (
    # ----- Note 002: Gradient Descent -----
    # J(θ) = (1/N) Σᵢ Jᵢ(θ),  "Jᵢ(θ) L(f_θ(yᵢ), xᵢ)": the "=" is missing and the arguments are
    # swapped (f_θ applied to the label, the loss compared with the input).  With a linear model
    # f_θ(x) = θᵀx and the squared loss, the swapped reading ½‖θyᵢ − xᵢ‖² is another function.
    make_claim(
        "optimizers.empirical_loss_as_written",
        title="Jᵢ = L(f_θ(yᵢ), xᵢ) as written (arguments swapped) equals L(f_θ(xᵢ), yᵢ)",
        source=SRC_GD,
        symbols="X: matrix(N, d), y: vector(N), theta: vector(d)",
        lhs=lambda s: (
            sum(
                (
                    sc((s.theta * s.y[i] - s.X[i, :].T).T @ (s.theta * s.y[i] - s.X[i, :].T)) / 2
                    for i in range(s.N)
                ),
            )
            / s.N
        ),
        rhs=lambda s: sum((sc(s.X[i, :] @ s.theta) - s.y[i]) ** 2 / 2 for i in range(s.N)) / s.N,
        expect="fails",
        corrected="optimizers.empirical_loss_gradient",
    ),
    # the corrected empirical loss and its gradient: ∇(1/N)Σ½(θᵀxᵢ − yᵢ)² = (1/N)Xᵀ(Xθ − y)
    make_claim(
        "optimizers.empirical_loss_gradient",
        title="∇_θ (1/N)Σᵢ ½(θᵀxᵢ − yᵢ)² = (1/N) Σᵢ ∇Jᵢ = (1/N) Xᵀ(Xθ − y)",
        source=SRC_GD,
        symbols="X: matrix(N, d), y: vector(N), theta: vector(d)",
        kind="gradient",
        f=lambda s: sc((s.X @ s.theta - s.y).T @ (s.X @ s.theta - s.y)) / (2 * s.N),
        wrt="theta",
        rhs=lambda s: s.X.T @ (s.X @ s.theta - s.y) / s.N,
    ),
    # SGD: xₜ₊₁ = xₜ − α∇f(xₜ)
    make_claim(
        "optimizers.sgd_step",
        title="SGD step x − αg, entry by entry",
        source=SRC_GD,
        symbols="x: vector(n), g: vector(n), alpha: scalar",
        lhs=lambda s: s.x - s.alpha * s.g,
        rhs=lambda s: _entries(s.n, lambda i: s.x[i] - s.alpha * s.g[i]),
        implementation="derivations.gradients.optimizers.sgd_step",
        impl_args=lambda v: (v.x, v.g, v.alpha),
    ),
    # θₖ₊₁ = θₖ − η (1/B) Σ_{i∈I_B} ∇Jᵢ(θₖ): the mini-batch gradient is unbiased: over the
    # C(N, B) equally likely batches its mean is (1/N)Σᵢ∇Jᵢ = ∇J (every B = 1..N)
    make_claim(
        "optimizers.minibatch_gradient_unbiased",
        title="E over uniform batches of (1/B)Σ_{i∈I_B}∇Jᵢ = (1/N)Σᵢ∇Jᵢ, each B = 1..N "
        "(rows of G are the ∇Jᵢ)",
        source=SRC_GD,
        symbols="G: matrix(N, d)",
        lhs=lambda s: _batch_mean_expectation(s.G),
        rhs=lambda s: _full_mean_repeated(s.G),
        sizes=[{"N": 3, "d": 2}, {"N": 4, "d": 1}],
    ),
    # "(x₁ + ⋯ + x_N)/N has the same mean μ …" (x₁ … x_N i.i.d.)
    make_claim(
        "optimizers.sample_mean_unbiased",
        title="E[(x₁ + ⋯ + x_N)/N] = μ for i.i.d. xᵢ with mean μ",
        source=SRC_GD,
        symbols="x: vector(N), mu: scalar, v: scalar",
        assume=["v positive"],
        lhs=lambda s: expectation(_sample_mean(s.x), _iid_moments(s.x, s.mu, s.v)),
        rhs=lambda s: s.mu,
        sizes=[{"N": 2}, {"N": 3}, {"N": 4}],
    ),
    # "… but less variance σ²/N"
    make_claim(
        "optimizers.sample_mean_variance",
        title="Var[(x₁ + ⋯ + x_N)/N] = σ²/N for i.i.d. xᵢ with variance σ²",
        source=SRC_GD,
        symbols="x: vector(N), mu: scalar, v: scalar",
        assume=["v positive"],
        lhs=lambda s: (
            expectation(_sample_mean(s.x) ** 2, _iid_moments(s.x, s.mu, s.v))
            - expectation(_sample_mean(s.x), _iid_moments(s.x, s.mu, s.v)) ** 2
        ),
        rhs=lambda s: s.v / s.N,
        sizes=[{"N": 2}, {"N": 3}, {"N": 4}],
    ),
    # a mini-batch is drawn *without replacement* from N fixed values: the i.i.d. σ²/B does
    # not apply to it …
    make_claim(
        "optimizers.minibatch_variance_iid_formula",
        title="Var over uniform batches of the batch mean = σ²/B (the i.i.d. formula, "
        "applied to sampling without replacement), each B = 1..N",
        source=SRC_GD,
        symbols="x: vector(N)",
        lhs=lambda s: _batch_mean_variance(s.x),
        rhs=lambda s: _naive_variance(s.x),
        sizes=[{"N": 3}, {"N": 4}],
        expect="fails",
        corrected="optimizers.minibatch_variance",
    ),
    # … the finite-population correction (N − B)/(N − 1) is exact (0 at B = N: no randomness)
    make_claim(
        "optimizers.minibatch_variance",
        title="Var over uniform batches of the batch mean = (σ²/B)(N − B)/(N − 1), each B = 1..N",
        source="standard",
        symbols="x: vector(N)",
        lhs=lambda s: _batch_mean_variance(s.x),
        rhs=lambda s: _finite_population_variance(s.x),
        sizes=[{"N": 3}, {"N": 4}],
    ),
    # SGD + momentum: vₜ₊₁ = ρvₜ + ∇f(xₜ),  xₜ₊₁ = xₜ − αvₜ₊₁
    make_claim(
        "optimizers.momentum_step",
        title="momentum step: v' = ρv + g, x' = x − αv' equals x − α(ρv + g) entry by entry",
        source=SRC_GD,
        symbols="x: vector(n), g: vector(n), v: vector(n), alpha: scalar, rho: scalar",
        lhs=lambda s: s.x - s.alpha * (s.rho * s.v + s.g),
        rhs=lambda s: _entries(s.n, lambda i: s.x[i] - s.alpha * (s.rho * s.v[i] + s.g[i])),
        implementation="derivations.gradients.optimizers.momentum_step[0]",
        impl_args=lambda v: (v.x, v.g, v.v, v.alpha, v.rho),
    ),
    # the other common convention, u' = ρu − αg, x' = x + u', gives the same iterates
    # (u = −αv, α constant)
    make_claim(
        "optimizers.momentum_conventions_agree",
        title="x − α(ρv + g) = x + (ρu − αg) with u = −αv (the two momentum conventions)",
        source="standard",
        symbols="x: vector(n), g: vector(n), v: vector(n), alpha: scalar, rho: scalar",
        lhs=lambda s: s.x - s.alpha * (s.rho * s.v + s.g),
        rhs=lambda s: s.x + (s.rho * (-s.alpha * s.v) - s.alpha * s.g),
    ),
    # with a constant gradient g and v₀ = 0: vₜ = g(1 − ρᵗ)/(1 − ρ) for every t ≥ 1
    # base case t = 1: v₁ = ρ·0 + g
    make_claim(
        "optimizers.momentum_constant_gradient_base",
        title="v₁ = ρ·0 + g equals g(1 − ρ¹)/(1 − ρ) (induction base)",
        source=SRC_GD,
        symbols="g: scalar, rho: scalar",
        assume=["rho in (0, 1)"],
        lhs=lambda s: s.rho * 0 + s.g,
        rhs=lambda s: s.g * (1 - s.rho) / (1 - s.rho),
    ),
    # step: vₜ = g(1 − ρᵗ)/(1 − ρ) ⇒ ρvₜ + g = g(1 − ρᵗ⁺¹)/(1 − ρ), t symbolic
    make_claim(
        "optimizers.momentum_constant_gradient_step",
        title="ρ·g(1 − ρᵗ)/(1 − ρ) + g = g(1 − ρᵗ⁺¹)/(1 − ρ) for every integer t (induction step)",
        source=SRC_GD,
        symbols="g: scalar, rho: scalar, t: integer",
        assume=["rho in (0, 1)"],
        lhs=lambda s: s.rho * s.g * (1 - s.rho**s.t) / (1 - s.rho) + s.g,
        rhs=lambda s: s.g * (1 - s.rho ** (s.t + 1)) / (1 - s.rho),
    ),
    # the same closed form, the recurrence solved by rsolve
    make_claim(
        "optimizers.momentum_constant_gradient_closed_form",
        title="vₜ = ρvₜ₋₁ + g, v₀ = 0 solves to g(1 − ρᵗ)/(1 − ρ) for all t (rsolve)",
        source=SRC_GD,
        symbols="g: scalar, rho: scalar, t: integer",
        assume=["rho in (0, 1)"],
        lhs=lambda s: _solve(lambda u: s.rho * u + s.g).subs("t", s.t),
        rhs=lambda s: s.g * (1 - s.rho**s.t) / (1 - s.rho),
    ),
    # "accumulating the gradients of past steps": vₜ = Σ_{k<t} ρ^{t−1−k} gₖ (v₀ = 0), shown by
    # unrolling the recurrence for t = 1..4 with arbitrary gradients g₀ … g₃
    make_claim(
        "optimizers.momentum_accumulates_past_gradients",
        title="vₜ = Σ_{k=0}^{t−1} ρ^{t−1−k} gₖ for t = 1..4 (unrolled; arbitrary gradients)",
        source=SRC_GD,
        symbols="g: vector(T), rho: scalar",
        lhs=lambda s: _entries(s.T, lambda t: _unroll(lambda u, k: s.rho * u + s.g[k - 1], t + 1)),
        rhs=lambda s: _entries(s.T, lambda t: sum(s.rho ** (t - k) * s.g[k] for k in range(t + 1))),
        sizes=[{"T": 4}],
    ),
    # the same for every t, as an induction step on sums of symbolic length:
    # ρ·Σ_{k=0}^{t−1} ρ^{t−1−k}gₖ + gₜ = Σ_{k=0}^{t} ρ^{t−k}gₖ
    make_claim(
        "optimizers.momentum_accumulates_past_gradients_step",
        title="ρ Σ_{k<t} ρ^{t−1−k}gₖ + gₜ = Σ_{k≤t} ρ^{t−k}gₖ for every integer t (induction step)",
        source=SRC_GD,
        symbols="rho: scalar, t: integer",
        lhs=lambda s: s.rho * _momentum_sum(s.rho, s.t - 1) + _grad_seq()[s.t],
        rhs=lambda s: _momentum_sum(s.rho, s.t),
    ),
    # ----- Note 003: deep learning -----
    # J(θ) = (1/n) Σᵢ (y⁽ⁱ⁾ − h_θ(x⁽ⁱ⁾))², h_θ(x) = θᵀx:  ∇J = −(2/n) Xᵀ(y − Xθ)
    make_claim(
        "optimizers.dl_cost_gradient",
        title="∇_θ (1/n)Σᵢ(y⁽ⁱ⁾ − θᵀx⁽ⁱ⁾)² = −(2/n)Xᵀ(y − Xθ) (linear h_θ)",
        source=SRC_DL,
        symbols="X: matrix(n, d), y: vector(n), theta: vector(d)",
        kind="gradient",
        f=_cost,
        wrt="theta",
        rhs=lambda s: -2 * s.X.T @ (s.y - s.X @ s.theta) / s.n,
    ),
    # optimisation step θ := θ − α∇_θ J(θ)
    make_claim(
        "optimizers.dl_optimisation_step",
        title="θ − α∇J(θ) = θ + (2α/n)Xᵀ(y − Xθ)",
        source=SRC_DL,
        symbols="X: matrix(n, d), y: vector(n), theta: vector(d), alpha: scalar",
        lhs=lambda s: s.theta - s.alpha * ops.grad(_cost(s), s.theta),
        rhs=lambda s: s.theta + 2 * s.alpha * s.X.T @ (s.y - s.X @ s.theta) / s.n,
    ),
    # "batch gradient descent (where we scale learning rate by batch size …)": a step on the
    # batch-mean gradient with rate α is a step on the summed gradient with rate α/B
    make_claim(
        "optimizers.batch_learning_rate_scaling",
        title="θ − α·(1/B)Σ_{i≤B} gᵢ = θ − (α/B)·Σ_{i≤B} gᵢ (columns of G are the gᵢ)",
        source=SRC_DL,
        symbols="theta: vector(d), G: matrix(d, B), alpha: scalar",
        lhs=lambda s: s.theta - s.alpha * ((s.G @ ops.ones(s.B, 1)) / s.B),
        rhs=lambda s: s.theta - (s.alpha / s.B) * (s.G @ ops.ones(s.B, 1)),
    ),
    # ----- Note 002: Adaptive learning rate -----
    # AdaGrad: rₜ = rₜ₋₁ + g ⊙ g,  xₜ₊₁ = xₜ − α/√(rₜ + ε) ⊙ g  (ε inside the root)
    # the usual AdaGrad is xₜ₊₁ = xₜ − α g/(√rₜ + ε): a different rule
    make_claim(
        "optimizers.adagrad_eps_placement",
        title="α/√(r + ε) ⊙ g (note) ≠ α g/(√r + ε) (usual AdaGrad) in general",
        source=SRC_ADA,
        symbols="g: vector(n), r: vector(n), alpha: scalar, eps: scalar",
        assume=["alpha positive", "eps positive"],
        kind="non-identity",
        lhs=lambda s: _div(
            s.alpha * s.g, _map(s.r + hadamard(s.g, s.g) + s.eps * ops.ones(s.n), _sqrt)
        ),
        rhs=lambda s: _div(
            s.alpha * s.g, _map(s.r + hadamard(s.g, s.g), _sqrt) + s.eps * ops.ones(s.n)
        ),
    ),
    # one AdaGrad step, standard form, vector operations against entries
    make_claim(
        "optimizers.adagrad_step",
        title="AdaGrad step: r' = r + g ⊙ g, x' = x − α g ⊘ (√r' + ε), entry by entry",
        source=SRC_ADA,
        symbols="x: vector(n), g: vector(n), r: vector(n), alpha: scalar, eps: scalar",
        assume=["eps positive"],
        lhs=lambda s: (
            s.x - _div(s.alpha * s.g, _map(s.r + hadamard(s.g, s.g), _sqrt) + s.eps * ops.ones(s.n))
        ),
        rhs=lambda s: _entries(
            s.n, lambda i: s.x[i] - s.alpha * s.g[i] / (_sqrt(s.r[i] + s.g[i] ** 2) + s.eps)
        ),
    ),
    # the AdaGrad accumulator with a constant gradient grows linearly: rₜ = t g² (r₀ = 0),
    # so the step α|g|/√(t g²) = α/√t decays: "overly aggressive decay" (the note, §2)
    make_claim(
        "optimizers.adagrad_accumulator_closed_form",
        title="rₜ = rₜ₋₁ + g², r₀ = 0 solves to t g² for all t (rsolve), so steps shrink as 1/√t",
        source=SRC_ADA,
        symbols="g: scalar, t: integer",
        lhs=lambda s: _solve(lambda u: u + s.g**2).subs("t", s.t),
        rhs=lambda s: s.t * s.g**2,
    ),
    # ----- Note 002: MLP (EMA, RMSProp, Adam) -----
    # EMA / RMSProp as written: rₜ = βrₜ₋₁ + (1 − β)g ⊙ g,  xₜ₊₁ = xₜ − α/√(rₜ + β) ⊙ g
    # "+ β" is a typo for "+ ε" (β is the decay rate, e.g. 0.9, not a small stabiliser)
    make_claim(
        "optimizers.rmsprop_step_as_written",
        title="x − α/√(r' + β) ⊙ g (as written, β in the root) = x − α/√(r' + ε) ⊙ g",
        source=SRC_MLP,
        symbols="x: vector(n), g: vector(n), r: vector(n), alpha: scalar, beta: scalar, "
        "eps: scalar",
        assume=["alpha positive", "beta in (0, 1)", "eps positive"],
        lhs=lambda s: (
            s.x
            - _div(
                s.alpha * s.g,
                _map(
                    s.beta * s.r + (1 - s.beta) * hadamard(s.g, s.g) + s.beta * ops.ones(s.n), _sqrt
                ),
            )
        ),
        rhs=lambda s: (
            s.x
            - _div(
                s.alpha * s.g,
                _map(
                    s.beta * s.r + (1 - s.beta) * hadamard(s.g, s.g) + s.eps * ops.ones(s.n), _sqrt
                ),
            )
        ),
        expect="fails",
        corrected="optimizers.rmsprop_step",
    ),
    # corrected, standard form: r' = βr + (1 − β) g ⊙ g, x' = x − α g ⊘ (√r' + ε)
    make_claim(
        "optimizers.rmsprop_step",
        title="RMSProp step: r' = βr + (1 − β)g ⊙ g, x' = x − α g ⊘ (√r' + ε), entry by entry",
        source=SRC_MLP,
        symbols="x: vector(n), g: vector(n), r: vector(n), alpha: scalar, beta: scalar, "
        "eps: scalar",
        assume=["beta in (0, 1)", "eps positive"],
        lhs=lambda s: (
            s.x
            - _div(
                s.alpha * s.g,
                _map(s.beta * s.r + (1 - s.beta) * hadamard(s.g, s.g), _sqrt)
                + s.eps * ops.ones(s.n),
            )
        ),
        rhs=lambda s: _entries(
            s.n,
            lambda i: (
                s.x[i]
                - s.alpha * s.g[i] / (_sqrt(s.beta * s.r[i] + (1 - s.beta) * s.g[i] ** 2) + s.eps)
            ),
        ),
    ),
    # EMA with a constant gradient, r₀ = 0: rₜ = (1 − βᵗ)g² for every t ≥ 1 (base, step, rsolve)
    make_claim(
        "optimizers.ema_constant_gradient_base",
        title="r₁ = β·0 + (1 − β)g² equals (1 − β¹)g² (induction base)",
        source=SRC_MLP,
        symbols="g: scalar, beta: scalar",
        assume=["beta in (0, 1)"],
        lhs=lambda s: s.beta * 0 + (1 - s.beta) * s.g**2,
        rhs=lambda s: (1 - s.beta**1) * s.g**2,
    ),
    make_claim(
        "optimizers.ema_constant_gradient_step",
        title="β(1 − βᵗ)g² + (1 − β)g² = (1 − βᵗ⁺¹)g² for every integer t (induction step)",
        source=SRC_MLP,
        symbols="g: scalar, beta: scalar, t: integer",
        assume=["beta in (0, 1)"],
        lhs=lambda s: s.beta * (1 - s.beta**s.t) * s.g**2 + (1 - s.beta) * s.g**2,
        rhs=lambda s: (1 - s.beta ** (s.t + 1)) * s.g**2,
    ),
    make_claim(
        "optimizers.ema_constant_gradient_closed_form",
        title="rₜ = βrₜ₋₁ + (1 − β)g², r₀ = 0 solves to (1 − βᵗ)g² for all t (rsolve)",
        source=SRC_MLP,
        symbols="g: scalar, beta: scalar, t: integer",
        assume=["beta in (0, 1)"],
        lhs=lambda s: _solve(lambda u: s.beta * u + (1 - s.beta) * s.g**2).subs("t", s.t),
        rhs=lambda s: (1 - s.beta**s.t) * s.g**2,
    ),
    # Adam, standard: vₜ = β₁vₜ₋₁ + (1 − β₁)g, v₀ = 0, constant g: v̂ₜ = vₜ/(1 − β₁ᵗ) = g, all t
    make_claim(
        "optimizers.adam_bias_correction",
        title="vₜ = β₁vₜ₋₁ + (1 − β₁)g, v₀ = 0: v̂ₜ = vₜ/(1 − β₁ᵗ) = g for all t (rsolve)",
        source=SRC_MLP,
        symbols="g: scalar, beta1: scalar, t: integer",
        assume=["beta1 in (0, 1)"],
        lhs=lambda s: (
            _solve(lambda u: s.beta1 * u + (1 - s.beta1) * s.g).subs("t", s.t) / (1 - s.beta1**s.t)
        ),
        rhs=lambda s: s.g,
        implementation="derivations.gradients.optimizers.adam_bias_corrected[0]",
        impl_args=lambda v: (np.array([v.g * (1 - v.beta1 ** v.t)]), np.zeros(1), v.t, v.beta1),
    ),
    # … and the second moment: r̂ₜ = rₜ/(1 − β₂ᵗ) = g ⊙ g (the note's "Eₜ", read as rₜ)
    make_claim(
        "optimizers.adam_second_moment_bias_correction",
        title="rₜ = β₂rₜ₋₁ + (1 − β₂)g², r₀ = 0: rₜ/(1 − β₂ᵗ) = g² for all t (the note's Eₜ read "
        "as rₜ)",
        source=SRC_MLP,
        symbols="g: scalar, beta2: scalar, t: integer",
        assume=["beta2 in (0, 1)"],
        lhs=lambda s: (
            _solve(lambda u: s.beta2 * u + (1 - s.beta2) * s.g**2).subs("t", s.t)
            / (1 - s.beta2**s.t)
        ),
        rhs=lambda s: s.g**2,
    ),
    # Adam as written: vₜ = β₁ᵗvₜ₋₁ + (1 − β₁ᵗ)gₜ (powers β₁ᵗ where β₁ belongs): with a constant
    # gradient the bias-corrected v̂₂ = v₂/(1 − β₁²) is not g
    make_claim(
        "optimizers.adam_bias_correction_as_written",
        title="with vₜ = β₁ᵗvₜ₋₁ + (1 − β₁ᵗ)g (as written), v̂₂ = v₂/(1 − β₁²) = g",
        source=SRC_MLP,
        symbols="g: scalar, beta1: scalar",
        assume=["beta1 in (0, 1)"],
        lhs=lambda s: (
            _unroll(lambda u, k: s.beta1**k * u + (1 - s.beta1**k) * s.g, 2) / (1 - s.beta1**2)
        ),
        rhs=lambda s: s.g,
        expect="fails",
        corrected="optimizers.adam_bias_correction",
    ),
    # "vₜ = vₜ/(1 − β₁ᵗ)" overwrites the running average; the next step then averages the
    # corrected value: with the standard β₁ update and constant g, v̂₂ is not g
    make_claim(
        "optimizers.adam_bias_correction_in_place",
        title="overwriting vₜ by vₜ/(1 − β₁ᵗ) and continuing the recurrence still gives v̂₂ = g",
        source=SRC_MLP,
        symbols="g: scalar, beta1: scalar",
        assume=["beta1 in (0, 1)"],
        lhs=lambda s: _unroll(
            lambda u, k: (s.beta1 * u + (1 - s.beta1) * s.g) / (1 - s.beta1**k), 2
        ),
        rhs=lambda s: s.g,
        expect="fails",
        corrected="optimizers.adam_bias_correction",
    ),
    # xₜ₊₁ = xₜ − α/√(rₜ + ε) ⊙ vₜ with the corrected moments: with a constant gradient the
    # step is α g/√(g² + ε) for every t, whatever the decay rates
    make_claim(
        "optimizers.adam_constant_gradient_step",
        title="Adam step with bias-corrected moments and constant g: α v̂ₜ/√(r̂ₜ + ε) = "
        "αg/√(g² + ε) for all t",
        source=SRC_MLP,
        symbols="g: scalar, alpha: scalar, beta1: scalar, beta2: scalar, eps: scalar, t: integer",
        assume=["beta1 in (0, 1)", "beta2 in (0, 1)", "eps positive"],
        lhs=lambda s: (
            s.alpha
            * (
                _solve(lambda u: s.beta1 * u + (1 - s.beta1) * s.g).subs("t", s.t)
                / (1 - s.beta1**s.t)
            )
            / _sqrt(
                _solve(lambda u: s.beta2 * u + (1 - s.beta2) * s.g**2).subs("t", s.t)
                / (1 - s.beta2**s.t)
                + s.eps
            )
        ),
        rhs=lambda s: s.alpha * s.g / _sqrt(s.g**2 + s.eps),
    ),
)


# ----- Gradient library (derivations.gradients.optimizers): the functions' conventions -----
# The steps are stated on state the optimizer can hold: an accumulator of squares is written
# r = q ⊙ q (so √ stays real at every sampled point), Adam's moments after t − 1 steps of a
# constant gradient in their closed form.  ε is added after the root, as in the library.

GRAD = "derivations.gradients.optimizers"


def _abs(t):
    import sympy as sp

    return sp.Abs(t)


def _step_t(s, i):
    """Adam's step t on coordinate i from mₜ₋₁ = (1 − β₁ᵗ⁻¹)gᵢ, vₜ₋₁ = (1 − β₂ᵗ⁻¹)gᵢ²."""
    g, b1, b2, t = s.g[i], s.beta1, s.beta2, s.t
    m = b1 * (1 - b1 ** (t - 1)) * g + (1 - b1) * g
    v = b2 * (1 - b2 ** (t - 1)) * g**2 + (1 - b2) * g**2
    return s.x[i] - s.alpha * (m / (1 - b1**t)) / (_sqrt(v / (1 - b2**t)) + s.eps)


CLAIMS += (
    # AdaGrad on an accumulator r = q ⊙ q: x' = x − α g ⊘ (√(r + g ⊙ g) + ε)
    make_claim(
        "optimizers.adagrad_step_nonnegative_accumulator",
        title="AdaGrad step with r = q ⊙ q ≥ 0: x − α g ⊘ (√(r + g ⊙ g) + ε), entry by entry",
        source="standard",
        symbols="x: vector(n), g: vector(n), q: vector(n), alpha: scalar, eps: scalar",
        assume=["eps positive"],
        lhs=lambda s: (
            s.x
            - _div(
                s.alpha * s.g,
                _map(hadamard(s.q, s.q) + hadamard(s.g, s.g), _sqrt) + s.eps * ops.ones(s.n),
            )
        ),
        rhs=lambda s: _entries(
            s.n,
            lambda i: s.x[i] - s.alpha * s.g[i] / (_sqrt(s.q[i] ** 2 + s.g[i] ** 2) + s.eps),
        ),
        implementation=f"{GRAD}.adagrad_step[0]",
        impl_args=lambda v: (v.x, v.g, v.q * v.q, v.alpha, v.eps),
    ),
    # RMSProp on r = q ⊙ q: x' = x − α g ⊘ (√(βr + (1 − β)g ⊙ g) + ε)
    make_claim(
        "optimizers.rmsprop_step_nonnegative_average",
        title="RMSProp step with r = q ⊙ q ≥ 0: x − α g ⊘ (√(βr + (1 − β)g ⊙ g) + ε), entry by "
        "entry",
        source="standard",
        symbols="x: vector(n), g: vector(n), q: vector(n), alpha: scalar, beta: scalar, "
        "eps: scalar",
        assume=["beta in (0, 1)", "eps positive"],
        lhs=lambda s: (
            s.x
            - _div(
                s.alpha * s.g,
                _map(s.beta * hadamard(s.q, s.q) + (1 - s.beta) * hadamard(s.g, s.g), _sqrt)
                + s.eps * ops.ones(s.n),
            )
        ),
        rhs=lambda s: _entries(
            s.n,
            lambda i: (
                s.x[i]
                - s.alpha
                * s.g[i]
                / (_sqrt(s.beta * s.q[i] ** 2 + (1 - s.beta) * s.g[i] ** 2) + s.eps)
            ),
        ),
        implementation=f"{GRAD}.rmsprop_step[0]",
        impl_args=lambda v: (v.x, v.g, v.q * v.q, v.alpha, v.beta, v.eps),
    ),
    # Adam, ε after the root (paper, PyTorch): with a constant gradient g and the moments of
    # t − 1 steps, step t moves x by α g ⊘ (|g| + ε), whatever t, β₁, β₂
    make_claim(
        "optimizers.adam_step_constant_gradient",
        title="Adam step t from mₜ₋₁ = (1 − β₁ᵗ⁻¹)g, vₜ₋₁ = (1 − β₂ᵗ⁻¹)g ⊙ g: "
        "x − α m̂ₜ ⊘ (√v̂ₜ + ε) = x − α g ⊘ (|g| + ε) for all t",
        source="standard",
        symbols="x: vector(n), g: vector(n), alpha: scalar, beta1: scalar, beta2: scalar, "
        "eps: scalar, t: integer",
        assume=["beta1 in (0, 1)", "beta2 in (0, 1)", "eps positive"],
        lhs=lambda s: _entries(s.n, lambda i: _step_t(s, i)),
        rhs=lambda s: _entries(s.n, lambda i: s.x[i] - s.alpha * s.g[i] / (_abs(s.g[i]) + s.eps)),
        sizes=[{"n": 1}, {"n": 2}],
        implementation=f"{GRAD}.adam_step[0]",
        # the moments after t − 1 steps of the constant gradient g
        impl_args=lambda v: (
            v.x,
            v.g,
            v.g * (1 - v.beta1 ** (v.t - 1)),
            v.g * v.g * (1 - v.beta2 ** (v.t - 1)),
            v.t,
            v.alpha,
            v.beta1,
            v.beta2,
            v.eps,
        ),
    ),
)


# ----- Gradient library: Nesterov momentum with weight decay, AdamW, global-norm clipping -----

CLAIMS += (
    # torch's SGD(momentum=ρ, nesterov=True, weight_decay=λ): d = g + λx, b = ρv + d,
    # x' = x − α(d + ρb) = x − α((1 + ρ)(g + λx) + ρ²v)
    make_claim(
        "optimizers.sgd_nesterov_weight_decay_step",
        title="d = g + λx, b = ρv + d: x − α(d + ρb) = x − α((1 + ρ)(g + λx) + ρ²v) (Nesterov "
        "momentum with L2 weight decay)",
        source="standard",
        symbols="x: vector(n), g: vector(n), v: vector(n), alpha: scalar, rho: scalar, "
        "lam: scalar",
        lhs=lambda s: s.x - s.alpha * ((s.g + s.lam * s.x) + s.rho * (s.rho * s.v + s.g
                                                                      + s.lam * s.x)),
        rhs=lambda s: s.x - s.alpha * ((1 + s.rho) * (s.g + s.lam * s.x) + s.rho**2 * s.v),
        implementation=f"{GRAD}.sgd_nesterov_step[0]",
        impl_args=lambda v: (v.x, v.g, v.v, v.alpha, v.rho, v.lam),
    ),
    # AdamW: the decay multiplies x, outside the adaptive step: x' = (1 − αλ)x − α m̂/(√v̂ + ε)
    make_claim(
        "optimizers.adamw_step_decoupled",
        title="AdamW: x − αλx − α m̂ₜ/(√v̂ₜ + ε) = (1 − αλ)x − α m̂ₜ/(√v̂ₜ + ε), mₜ = β₁m + "
        "(1 − β₁)g, vₜ = β₂q² + (1 − β₂)g², entry by entry",
        source="standard",
        symbols="x: vector(n), g: vector(n), m: vector(n), q: vector(n), alpha: scalar, "
        "beta1: scalar, beta2: scalar, eps: scalar, lam: scalar, t: integer",
        assume=["beta1 in (0, 1)", "beta2 in (0, 1)", "eps positive"],
        lhs=lambda s: _entries(s.n, lambda i: s.x[i] - s.alpha * s.lam * s.x[i] - s.alpha
                               * _adam_direction(s, i)),
        rhs=lambda s: _entries(s.n, lambda i: (1 - s.alpha * s.lam) * s.x[i] - s.alpha
                               * _adam_direction(s, i)),
        sizes=[{"n": 1}, {"n": 2}],
        implementation=f"{GRAD}.adamw_step[0]",
        impl_args=lambda v: (v.x, v.g, v.m, v.q * v.q, v.t, v.alpha, v.beta1, v.beta2, v.eps,
                             v.lam),
    ),
    # the global norm of several gradients is the norm of their concatenation
    make_claim(
        "optimizers.clip_by_global_norm",
        title="‖(g₁, g₂)‖ = √(‖g₁‖² + ‖g₂‖²): the global norm clip_grad_norm scales by "
        "min(1, c/(‖g‖ + ε))",
        source="standard",
        symbols="g1: vector(n), g2: vector(m)",
        lhs=lambda s: _sqrt(ops.sum_(hadamard(_stack(s.g1, s.g2), _stack(s.g1, s.g2)))),
        rhs=lambda s: _sqrt(ops.sum_(hadamard(s.g1, s.g1)) + ops.sum_(hadamard(s.g2, s.g2))),
        sizes=[{"n": 2, "m": 3}],
        implementation=f"{GRAD}.clip_grad_norm",
        impl_args=lambda v: ([v.g1.copy(), v.g2.copy()], 1e300),
    ),
)


def _adam_direction(s, i):
    """m̂ₜ/(√v̂ₜ + ε) on coordinate i from the moments m and v = q² of step t − 1."""
    m = s.beta1 * s.m[i] + (1 - s.beta1) * s.g[i]
    v = s.beta2 * s.q[i] ** 2 + (1 - s.beta2) * s.g[i] ** 2
    return (m / (1 - s.beta1**s.t)) / (_sqrt(v / (1 - s.beta2**s.t)) + s.eps)


def _stack(a, b):
    import sympy as sp

    return sp.Matrix.vstack(a, b)
