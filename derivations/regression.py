"""Regression: the empirical risk, linear regression, its gradient and the normal equation, the
squared loss of notes 001 and 003, lasso, ridge and subgradients (note 002).

Each entry's comment gives the formula as the note writes it; sides are one line of the claim
language.  Sums over samples are written as sums of entries (``sum((X @ th - y) ** 2)``),
which the engine proves element-wise at fixed sizes.
"""

from __future__ import annotations

from derivations import note
from derivations.section import Section
from verifier import ops

GRAD = "derivations.gradients.regression"

# ----- Note 000: Notations -----

NOTATIONS = Section(note("000", "Notations"), symbols="yhat: vector(N), y: vector(N)")

CLAIMS = (
    # J(θ) = (1/N) Σᵢ L(ŷᵢ, yᵢ) with L(ŷ, y) = (ŷ − y)²  equals the mean squared error ‖ŷ − y‖²/N
    NOTATIONS.claim("empirical_risk_squared_loss", "sum((yhat - y) ** 2) / N",
                    "norm(yhat - y) ** 2 / N",
                    title="ERM with L(ŷ, y) = (ŷ − y)²: J = (1/N) Σ L(ŷᵢ, yᵢ) = ‖ŷ − y‖²/N"),
)

# ----- Note 000: Linear Regression -----

LR = Section(note("000", "Linear Regression"),
             symbols="X: matrix(N, d), y: vector(N), th: vector(d), w: vector(d), b: scalar")

CLAIMS += (
    # ŷᵢ = b + xᵢw = x̃ᵢθ  (x̃ᵢ = [1, xᵢ], θ = [b; w])
    LR.claim("prediction_with_intercept", "b + X @ w",
             "block([[ones(N, 1), X]]) @ block([[b], [w]])",
             title="b + Xw = X̃θ with X̃ = [1 | X] and θ = [b; w]"),
    # J(θ) = (1/N)Σ(yᵢ − x̃ᵢθ)² = (1/N)‖y − X̃θ‖² = (1/N)(yᵀy − 2(X̃θ)ᵀy + (X̃θ)ᵀX̃θ)
    #      = (1/N)(yᵀy − 2θᵀX̃ᵀy + θᵀX̃ᵀX̃θ)
    LR.derivation(
        "linear_regression_loss_chain",
        [
            "sum((y - X @ th) ** 2) / N",
            "norm(y - X @ th) ** 2 / N",
            "(y.T @ y - 2 * (X @ th).T @ y + (X @ th).T @ X @ th) / N",
            "(y.T @ y - 2 * th.T @ X.T @ y + th.T @ X.T @ X @ th) / N",
        ],
        title="J(θ) from the sum of squared residuals to the quadratic form in θ",
    ),
    # ∇θ J(θ) = (1/N)(−2X̃ᵀy + 2X̃ᵀX̃θ)
    LR.claim("linear_regression_gradient", "grad((y - X @ th).T @ (y - X @ th) / N, th)",
             "(-2 * X.T @ y + 2 * X.T @ X @ th) / N",
             title="∇θ (1/N)‖y − Xθ‖² = (1/N)(−2Xᵀy + 2XᵀXθ)",
             implementation=f"{GRAD}.linear_regression_grad",
             impl_args=lambda v: (v.X, v.y, v.th)),
    # gradient = 0  ⇔  X̃ᵀX̃θ = X̃ᵀy  ⇒  θ = (X̃ᵀX̃)⁻¹X̃ᵀy: that θ zeroes the gradient
    LR.claim("normal_equation", "X.T @ X @ (inv(X.T @ X) @ X.T @ y)", "X.T @ y",
             sizes=[{"N": 3, "d": 2}, {"N": 4, "d": 2}],
             title="θ = (XᵀX)⁻¹Xᵀy solves XᵀXθ = Xᵀy, as the note writes it (XᵀX invertible "
             "unsaid)", corrected="regression.normal_equation_full_rank"),
    LR.claim("normal_equation_full_rank", "X.T @ X @ (inv(X.T @ X) @ X.T @ y)", "X.T @ y",
             assume=["X.T @ X invertible"], sizes=[{"N": 3, "d": 2}, {"N": 4, "d": 2}],
             title="θ = (XᵀX)⁻¹Xᵀy solves XᵀXθ = Xᵀy when XᵀX is invertible (X of full column "
             "rank)"),
    LR.claim("normal_equation_zero_gradient",
             "(-2 * X.T @ y + 2 * X.T @ X @ inv(X.T @ X) @ X.T @ y) / N", "zeros(d)",
             sizes=[{"N": 3, "d": 2}, {"N": 4, "d": 2}],
             title="the gradient (1/N)(−2Xᵀy + 2XᵀXθ) vanishes at θ = (XᵀX)⁻¹Xᵀy",
             corrected="regression.normal_equation_full_rank"),
    # the tempting shortcut θ = X⁻¹y only exists for a square X; with N > d the shapes fail
    LR.claim("normal_equation_transpose_slip", "X.T @ X @ (inv(X.T @ X) @ X @ y)", "X.T @ y",
             symbols="X: matrix(d, d), y: vector(d)", assume=["X.T @ X invertible"],
             source="standard", title="θ = (XᵀX)⁻¹Xy (transpose dropped) solves XᵀXθ = Xᵀy, "
             "square X", expect="holds if X symmetric",
             corrected="regression.normal_equation_full_rank"),
)

# ----- Note 001: linear regression -----
# h = xθ, L = ½(h − y)² (summed over the n rows: ½‖h − y‖²), ∂L/∂θ = xᵀ(h − y);
# x (n, m), θ (m, 1), y (n, 1)

LIN = Section(note("001", "linear regression"),
              symbols="X: matrix(N, m), th: vector(m), y: vector(N)")

CLAIMS += (
    LIN.claim("half_sse_gradient", "grad(sum((X @ th - y) ** 2) / 2, th)", "X.T @ (X @ th - y)",
              title="L = ½‖xθ − y‖² (the note's ½(h − y)² over n samples): ∂L/∂θ = xᵀ(h − y), "
              "θ m×1"),
    # the struck-out shape θ (1, m): the gradient laid out as a 1×m row (numerator layout)
    # is not xᵀ(h − y), an m×1 column
    LIN.claim("half_sse_gradient_theta_row_shape", "grad((X @ th - y).T @ (X @ th - y) / 2, th)",
              "X.T @ (X @ th - y)", kind="identity", layout="numerator",
              title="xᵀ(h − y) has the struck-out shape θ (1, m), i.e. equals the gradient laid "
              "out as a 1×m row", expect="fails", corrected="regression.half_sse_gradient",
              note_text="θ (1, m) struck out, θ (m, 1) written beside it"),
)

# ----- Note 002: Regression -----
# min (1/2N)‖Φω − y‖² + λC(ω), Lasso C = ‖ω‖₁, Ridge C = ‖ω‖₂; ∂f(x₀) = {g | f(x) ≥ f(x₀) +
# gᵀ(x − x₀)}; ∂|x| = 1 (x > 0), −1 (x < 0), [−1, 1] (x = 0).  A subgradient claim states the
# violation max(0, f(x₀) + g(x − x₀) − f(x)), 0 for every x exactly when g ∈ ∂f(x₀).

REG = Section(note("002", "Regression"),
              symbols="Phi: matrix(N, m), w: vector(m), y: vector(N), lam: scalar, "
                      "x: scalar, x0: scalar")
DATA = "(Phi @ w - y).T @ (Phi @ w - y) / (2 * N)"
DATA_GRAD = "Phi.T @ (Phi @ w - y) / N"


CLAIMS += (
    # where no ωᵢ is 0 the lasso objective is differentiable, with gradient
    # Φᵀ(Φω − y)/N + λ·sign(ω), sign(ω) = 1[ω > 0] − 1[ω < 0]
    REG.claim("lasso_subgradient", f"grad({DATA} + lam * sum(abs(w)), w)",
              f"{DATA_GRAD} + lam * ((w > 0) - (w < 0))",
              title="(1/2N)‖Φω − y‖² + λ‖ω‖₁: gradient Φᵀ(Φω − y)/N + λ·sign(ω) (ω with no "
              "zero entry; a subgradient everywhere)",
              implementation=f"{GRAD}.lasso_subgrad", impl_args=lambda v: (v.Phi, v.y, v.w, v.lam)),
    # for a smooth convex f the gradient is a subgradient; f = ‖x‖²:
    # f(x) − f(x₀) − 2x₀ᵀ(x − x₀) = ‖x − x₀‖² ≥ 0
    REG.claim("subgradient_of_smooth_convex", "x.T @ x - x0.T @ x0 - 2 * x0.T @ (x - x0)",
              "(x - x0).T @ (x - x0)", symbols="x: vector(n), x0: vector(n)",
              title="g = ∇f(x₀) = 2x₀ satisfies f(x) ≥ f(x₀) + gᵀ(x − x₀) for f = ‖x‖²: "
              "the gap is ‖x − x₀‖²"),
    # ∂|x| = 1 for x > 0: max(0, |x₀| + 1·(x − x₀) − |x|) = 0 for every x
    REG.claim("abs_subgradient_positive", "relu(abs(x0) + (x - x0) - abs(x))", "0",
              assume=["x0 positive"],
              title="x₀ > 0: g = 1 is a subgradient of |x| (the violation max(0, |x₀| + g(x − x₀) "
              "− |x|) is 0 for every x)"),
    # … and only 1: g = 1/2 violates the inequality at x₀ > 0 (so ∂|x| there is {1})
    REG.claim("abs_subgradient_positive_other_slope", "relu(abs(x0) + (x - x0) / 2 - abs(x))", "0",
              assume=["x0 positive"],
              title="x₀ > 0: g = 1/2 is a subgradient of |x| (it is not: ∂|x₀| = {1})",
              expect="fails", corrected="regression.abs_subgradient_positive"),
    # ∂|x| = −1 for x < 0
    REG.claim("abs_subgradient_negative", "relu(abs(x0) - (x - x0) - abs(x))", "0",
              assume=["x0 negative"],
              title="x₀ < 0: g = −1 is a subgradient of |x| (violation 0 for every x)"),
    # ∂|x| = [−1, 1] at x = 0: g = −1, −1/2, 1/2, 1 all satisfy |x| ≥ |0| + g·x
    REG.claim("abs_subgradient_at_zero",
              "block([[relu(-x - abs(x))], [relu(-x / 2 - abs(x))], [relu(x / 2 - abs(x))], "
              "[relu(x - abs(x))]])", "zeros(4)",
              title="x₀ = 0: g ∈ {−1, −½, ½, 1} ⊂ [−1, 1] each satisfy |x| ≥ |0| + g·x for every "
              "x"),
    # … and nothing outside [−1, 1]: g = 2 fails (x = 1: 1 ≥ 2 is false)
    REG.claim("abs_subgradient_at_zero_outside", "relu(2 * x - abs(x))", "0",
              title="x₀ = 0: g = 2 satisfies |x| ≥ |0| + g·x for every x (it does not: [−1, 1] "
              "is all)", expect="fails", corrected="regression.abs_subgradient_at_zero"),
    # Ridge, usual penalty ‖ω‖₂²: ∇ = Φᵀ(Φω − y)/N + 2λω
    REG.claim("ridge_gradient", f"grad({DATA} + lam * w.T @ w, w)", f"{DATA_GRAD} + 2 * lam * w",
              title="(1/2N)‖Φω − y‖² + λ‖ω‖₂² (the usual ridge penalty): ∇ = Φᵀ(Φω − y)/N + 2λω",
              implementation=f"{GRAD}.ridge_grad", impl_args=lambda v: (v.Phi, v.y, v.w, v.lam)),
    # Ridge as the note writes it, C = ‖ω‖₂ (not squared): ∇ = Φᵀ(Φω − y)/N + λω/‖ω‖₂ (ω ≠ 0)
    REG.claim("ridge_unsquared_norm_gradient", f"grad({DATA} + lam * norm(w), w)",
              f"{DATA_GRAD} + lam * w / norm(w)", assume=["norm(w) nonzero"],
              title="C = ‖ω‖₂ as the note writes it: ∇ = Φᵀ(Φω − y)/N + λω/‖ω‖₂ (ω ≠ 0)"),
    # with the note's C = ‖ω‖₂ the ridge gradient Φᵀ(Φω − y)/N + 2λω is not the gradient:
    # "Ridge regression: C = ‖ω‖₂" is not ridge regression (which squares the norm)
    REG.claim("ridge_as_written_standard_gradient", f"grad({DATA} + lam * norm(w), w)",
              f"{DATA_GRAD} + 2 * lam * w",
              title="C = ‖ω‖₂ (as written) has the ridge gradient Φᵀ(Φω − y)/N + 2λω",
              expect="fails", corrected="regression.ridge_unsquared_norm_gradient"),
)

# ----- Note 003: Normal Equation -----
# J(θ) = ½ Σᵢ (h(x⁽ⁱ⁾) − y⁽ⁱ⁾)² = (Xθ − y)ᵀ(Xθ − y), rows of X the x⁽ⁱ⁾ᵀ; then ∇J = 0

NE = Section(note("003", "Normal Equation"),
             symbols="X: matrix(N, d), th: vector(d), y: vector(N)")
SSE = "(X @ th - y).T @ (X @ th - y)"

CLAIMS += (
    # the ½ is lost
    NE.claim("normal_equation_cost_as_written", "sum((X @ th - y) ** 2) / 2", SSE,
             title="½Σᵢ(x⁽ⁱ⁾ᵀθ − y⁽ⁱ⁾)² = (Xθ − y)ᵀ(Xθ − y), as the note writes it", expect="fails",
             corrected="regression.normal_equation_cost"),
    NE.claim("normal_equation_cost", "sum((X @ th - y) ** 2) / 2", f"{SSE} / 2",
             title="½Σᵢ(x⁽ⁱ⁾ᵀθ − y⁽ⁱ⁾)² = ½(Xθ − y)ᵀ(Xθ − y) (rows of X are the x⁽ⁱ⁾ᵀ)"),
    # ∇J = XᵀXθ − Xᵀy for J = ½(Xθ − y)ᵀ(Xθ − y)
    NE.claim("normal_equation_cost_gradient", f"grad({SSE} / 2, th)", "X.T @ X @ th - X.T @ y",
             title="∇θ ½(Xθ − y)ᵀ(Xθ − y) = XᵀXθ − Xᵀy"),
    # with the note's J (no ½) the gradient is twice that
    NE.claim("normal_equation_cost_as_written_gradient", f"grad({SSE}, th)",
             "X.T @ X @ th - X.T @ y",
             title="∇θ (Xθ − y)ᵀ(Xθ − y) = XᵀXθ − Xᵀy (the note's J without ½; it is twice that)",
             expect="fails", corrected="regression.normal_equation_cost_gradient"),
    # setting ∇J = 0: XᵀXθ = Xᵀy, θ = (XᵀX)⁻¹Xᵀy (X of full column rank)
    NE.claim("normal_equation_cost_stationary_point",
             "X.T @ X @ (inv(X.T @ X) @ X.T @ y) - X.T @ y", "zeros(d)",
             assume=["X.T @ X invertible"],
             sizes=[{"N": 3, "d": 2}],  # symbolic 3×3 inverses make the refutation search slow
             title="XᵀXθ − Xᵀy = 0 at θ = (XᵀX)⁻¹Xᵀy (XᵀX invertible)"),
)

# ----- Note 003: deep learning -----
# J⁽ⁱ⁾(θ) = (y⁽ⁱ⁾ − h_θ(x⁽ⁱ⁾))², J(θ) = (1/n)Σᵢ J⁽ⁱ⁾(θ)

DL = Section(note("003", "deep learning"), symbols="X: matrix(N, d), th: vector(d), y: vector(N)")

CLAIMS += (
    # with a non-linear h_θ(x) = σ(xᵀθ): J = (1/n)‖y − σ(Xθ)‖²
    DL.claim("mean_loss", "sum((y - sigmoid(X @ th)) ** 2) / N",
             "norm(y - sigmoid(X @ th)) ** 2 / N",
             title="J = (1/n)Σᵢ(y⁽ⁱ⁾ − h_θ(x⁽ⁱ⁾))² = (1/n)‖y − h‖² for h_θ(x) = σ(xᵀθ)"),
    # ∇J = (1/n)Σᵢ ∇J⁽ⁱ⁾ (the mean of the per-sample gradients), for a concrete model that is
    # non-linear in θ, h_θ(x) = (xᵀθ)²: ∇J⁽ⁱ⁾ = −2(y⁽ⁱ⁾ − hᵢ)·2(x⁽ⁱ⁾ᵀθ)x⁽ⁱ⁾.  (A polynomial h
    # keeps every value rational; with σ the exact-refutation search spends ~4 s evaluating
    # an identically zero residual to 50 digits.)
    DL.claim("mean_loss_gradient", "grad(sum((y - (X @ th) ** 2) ** 2) / N, th)",
             "-4 * X.T @ ((y - (X @ th) ** 2) * (X @ th)) / N",
             title="∇θ (1/n)Σ J⁽ⁱ⁾ = (1/n)Σ ∇J⁽ⁱ⁾ = −(4/n)Σᵢ(y⁽ⁱ⁾ − hᵢ)(x⁽ⁱ⁾ᵀθ)x⁽ⁱ⁾ for "
             "h_θ(x) = (xᵀθ)²"),
)

# ----- Gradient library (derivations.gradients.regression): the functions' conventions -----
# Each loss the library computes, against the expanded quadratic the notes work with.

LIB = Section("standard", symbols="X: matrix(N, d), y: vector(N), th: vector(d), "
                                  "Phi: matrix(N, m), w: vector(m), lam: scalar")
QUADRATIC = "(y.T @ y - 2 * w.T @ Phi.T @ y + w.T @ Phi.T @ Phi @ w) / (2 * N)"

CLAIMS += (
    # (1/N)‖Xθ − y‖² = (1/N)(yᵀy − 2θᵀXᵀy + θᵀXᵀXθ): the mean, not the sum, of the squared
    # residuals, expanded as note 000 does
    LIB.claim("linear_regression_loss", "(y.T @ y - 2 * th.T @ X.T @ y + th.T @ X.T @ X @ th) / N",
              "norm(X @ th - y) ** 2 / N",
              title="(1/N)(yᵀy − 2θᵀXᵀy + θᵀXᵀXθ) = (1/N)‖Xθ − y‖² (mean squared residual, rows "
              "of X samples)",
              implementation=f"{GRAD}.linear_regression_loss",
              impl_args=lambda v: (v.X, v.y, v.th)),
    # one Newton step from any θ lands on the normal-equation solution:
    # θ − (XᵀX)⁻¹(XᵀXθ − Xᵀy) = (XᵀX)⁻¹Xᵀy  (X of full column rank)
    LIB.claim("normal_equation_solution", "th - inv(X.T @ X) @ (X.T @ X @ th - X.T @ y)",
              "inv(X.T @ X) @ X.T @ y", assume=["X.T @ X invertible"],
              sizes=[{"N": 3, "d": 2}, {"N": 4, "d": 2}],
              title="θ − (XᵀX)⁻¹(XᵀXθ − Xᵀy) = (XᵀX)⁻¹Xᵀy: a Newton step from any θ reaches the "
              "least-squares solution",
              implementation=f"{GRAD}.normal_equation", impl_args=lambda v: (v.X, v.y)),
    # ridge loss (1/2N)(yᵀy − 2ωᵀΦᵀy + ωᵀΦᵀΦω) + λωᵀω = (1/2N)‖Φω − y‖² + λ‖ω‖₂²
    LIB.claim("ridge_loss",
              f"{QUADRATIC} + lam * w.T @ w",
              "norm(Phi @ w - y) ** 2 / (2 * N) + lam * norm(w) ** 2",
              title="(1/2N)(yᵀy − 2ωᵀΦᵀy + ωᵀΦᵀΦω) + λωᵀω = (1/2N)‖Φω − y‖² + λ‖ω‖₂²",
              implementation=f"{GRAD}.ridge_loss", impl_args=lambda v: (v.Phi, v.y, v.w, v.lam)),
    # lasso loss (1/2N)(yᵀy − 2ωᵀΦᵀy + ωᵀΦᵀΦω) + λΣⱼ|ωⱼ| = (1/2N)‖Φω − y‖² + λ‖ω‖₁
    LIB.claim("lasso_loss",
              f"{QUADRATIC} + lam * sum(abs(w))",
              "norm(Phi @ w - y) ** 2 / (2 * N) + lam * sum(abs(w))",
              title="(1/2N)(yᵀy − 2ωᵀΦᵀy + ωᵀΦᵀΦω) + λΣⱼ|ωⱼ| = (1/2N)‖Φω − y‖² + λ‖ω‖₁",
              implementation=f"{GRAD}.lasso_loss", impl_args=lambda v: (v.Phi, v.y, v.w, v.lam)),
)


# ----- Gradient library: Huber and L1 losses of a prediction (as in PyTorch) -----
# One entry: the losses are means over the entries, so each entry's gradient is this over n.
# Python: Huber's branches and clip(r, −δ, δ) are Piecewise functions, and sign(r) an
# indicator, none of which the language has.


def _clip(t, delta):
    """clip(t, −δ, δ) as a Piecewise."""
    import sympy as sp

    return sp.Piecewise((-delta, t < -delta), (delta, t > delta), (t, True))


def _huber_written(t, delta):
    """½t² where |t| ≤ δ, δ(|t| − ½δ) elsewhere (torch's definition), branch by branch."""
    import sympy as sp

    return sp.Piecewise((delta * (-t - delta / 2), t < -delta),
                        (delta * (t - delta / 2), t > delta), (t**2 / 2, True))


def _abs_gt(t):
    """|t| as a Piecewise on the condition t > 0 (as the indicator 1[t > 0] is written)."""
    import sympy as sp

    return sp.Piecewise((t, t > 0), (-t, True))


def _sign(t):
    """sign(t) = 2·1[t > 0] − 1 (away from 0)."""
    return 2 * ops.indicator(t) - 1


ROBUST = Section("standard", symbols="p: scalar, t: scalar, delta: scalar")

CLAIMS += (
    # Huber(r) = c(r − c/2), c = clip(r, −δ, δ): one formula for both branches
    ROBUST.claim("huber_via_clip", lambda s: _huber_written(s.p - s.t, s.delta),
                 lambda s: _clip(s.p - s.t, s.delta) * (s.p - s.t - _clip(s.p - s.t, s.delta) / 2),
                 assume=["delta positive"],
                 title="Huber_δ(r) (½r² if |r| ≤ δ, else δ(|r| − ½δ)) = c(r − c/2), c = clip(r, "
                 "−δ, δ), r = p − t", implementation=f"{GRAD}.huber_loss"),
    # d/dp Huber_δ(p − t) = clip(p − t, −δ, δ)
    ROBUST.claim("huber_gradient", lambda s: ops.diff(_huber_written(s.p - s.t, s.delta), s.p),
                 lambda s: _clip(s.p - s.t, s.delta), assume=["delta positive"],
                 title="d/dp Huber_δ(p − t) = clip(p − t, −δ, δ) (away from |p − t| = δ)",
                 implementation=f"{GRAD}.huber_grad"),
    # |p − t| = sign(p − t)(p − t)
    ROBUST.claim("l1_via_sign", lambda s: _abs_gt(s.p - s.t),
                 lambda s: _sign(s.p - s.t) * (s.p - s.t), uses="p, t",
                 title="|p − t| = sign(p − t)·(p − t)", implementation=f"{GRAD}.l1_loss"),
    # d/dp |p − t| = sign(p − t)
    ROBUST.claim("l1_gradient", lambda s: ops.diff(_abs_gt(s.p - s.t), s.p),
                 lambda s: _sign(s.p - s.t), uses="p, t",
                 title="d/dp |p − t| = sign(p − t) (away from p = t)",
                 implementation=f"{GRAD}.l1_grad"),
)


# ----- Gradient library: squared error and smooth L1 (as in PyTorch) -----
# mse_loss over a vector of predictions; smooth L1 of one entry (the means divide by n),
# written branch by branch as torch defines it (Python: the branches are Piecewise).

SQUARED = Section("standard", symbols="p: vector(N), t: vector(N)")

CLAIMS += (
    # (1/N)‖p − t‖² = (1/N)Σᵢ (pᵢ − tᵢ)², torch's mse_loss
    SQUARED.claim("mse_via_sum_of_squares", "norm(p - t) ** 2 / N", "sum((p - t) ** 2) / N",
                  title="(1/N)‖p − t‖² = (1/N)Σᵢ (pᵢ − tᵢ)² (torch's mse_loss, mean)",
                  implementation=f"{GRAD}.mse_loss", impl_args=lambda v: (v.p, v.t)),
    # ∇_p (1/N)‖p − t‖² = 2(p − t)/N
    SQUARED.claim("mse_gradient", "grad(norm(p - t) ** 2 / N, p)", "2 * (p - t) / N",
                  title="∇_p (1/N)‖p − t‖² = 2(p − t)/N",
                  implementation=f"{GRAD}.mse_grad", impl_args=lambda v: (v.p, v.t)),
)


def _smooth_l1_written(t, beta):
    """½t²/β where |t| < β, |t| − ½β elsewhere (torch's smooth_l1_loss), branch by branch."""
    import sympy as sp

    # (torch's branch test is |t| < β; at |t| = β both branches are β/2, so the conditions
    # are written as Huber's are)
    return sp.Piecewise((-t - beta / 2, t < -beta), (t - beta / 2, t > beta),
                        (t**2 / (2 * beta), True))


SMOOTH = Section("standard", symbols="p: scalar, t: scalar, beta: scalar")

CLAIMS += (
    # smooth_l1_β(r) = Huber_β(r)/β: the same kink, scaled
    SMOOTH.claim("smooth_l1_as_scaled_huber", lambda s: _smooth_l1_written(s.p - s.t, s.beta),
                 lambda s: _huber_written(s.p - s.t, s.beta) / s.beta,
                 assume=["beta positive"],
                 title="smooth_l1_β(r) (½r²/β if |r| < β, else |r| − ½β) = Huber_β(r)/β, "
                 "r = p − t", implementation=f"{GRAD}.smooth_l1_loss",
                 impl_args=lambda v: (v.p, v.t, v.beta)),
    # d/dp smooth_l1_β(p − t) = clip(p − t, −β, β)/β
    SMOOTH.claim("smooth_l1_gradient",
                 lambda s: ops.diff(_smooth_l1_written(s.p - s.t, s.beta), s.p),
                 lambda s: _clip(s.p - s.t, s.beta) / s.beta, assume=["beta positive"],
                 title="d/dp smooth_l1_β(p − t) = clip(p − t, −β, β)/β (away from |p − t| = β)",
                 implementation=f"{GRAD}.smooth_l1_grad",
                 impl_args=lambda v: (v.p, v.t, v.beta)),
)
