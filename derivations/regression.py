"""Regression: the empirical risk, linear regression, its gradient and the normal equation."""

from __future__ import annotations

from derivations import note
from verifier import ops
from verifier.claim import make_claim, make_derivation

sc = ops.sc


def _with_ones(s):
    """X̃ = [1 | X]: a leading column of ones for the intercept."""
    return ops.matrix([[1] + [s.X[i, j] for j in range(s.X.shape[1])] for i in range(s.N)])


def _theta(s):
    """θ = [b; w]."""
    return ops.matrix([s.b] + [s.w[j] for j in range(s.d)])


def _sum_sq_residuals(s):
    return sum((s.y[i] - sc(s.X[i, :] @ s.th)) ** 2 for i in range(s.N))


CLAIMS = (
    # ----- Note 000: Notations -----
    # J(θ) = (1/N) Σᵢ L(ŷᵢ, yᵢ) with L(ŷ, y) = (ŷ − y)²  equals the mean squared error ‖ŷ − y‖²/N
    make_claim(
        "regression.empirical_risk_squared_loss",
        title="ERM with L(ŷ, y) = (ŷ − y)²: J = (1/N) Σ L(ŷᵢ, yᵢ) = ‖ŷ − y‖²/N",
        source=note("000", "Notations"),
        symbols="yhat: vector(N), y: vector(N)",
        lhs=lambda s: sum((s.yhat[i] - s.y[i]) ** 2 for i in range(s.N)) / s.N,
        rhs=lambda s: ops.norm(s.yhat - s.y) ** 2 / s.N,
    ),
    # ----- Note 000: Linear Regression -----
    # ŷᵢ = b + xᵢw = x̃ᵢθ  (x̃ᵢ = [1, xᵢ], θ = [b; w])
    make_claim(
        "regression.prediction_with_intercept",
        title="b + Xw = X̃θ with X̃ = [1 | X] and θ = [b; w]",
        source=note("000", "Linear Regression"),
        symbols="X: matrix(N, d), w: vector(d), b: scalar",
        lhs=lambda s: s.b * ops.ones(s.N, 1) + s.X @ s.w,
        rhs=lambda s: _with_ones(s) @ _theta(s),
    ),
    # J(θ) = (1/N)Σ(yᵢ − x̃ᵢθ)² = (1/N)‖y − X̃θ‖² = (1/N)(yᵀy − 2(X̃θ)ᵀy + (X̃θ)ᵀX̃θ)
    #      = (1/N)(yᵀy − 2θᵀX̃ᵀy + θᵀX̃ᵀX̃θ)
    make_derivation(
        "regression.linear_regression_loss_chain",
        title="J(θ) from the sum of squared residuals to the quadratic form in θ",
        source=note("000", "Linear Regression"),
        symbols="X: matrix(N, d), y: vector(N), th: vector(d)",
        steps=[
            lambda s: _sum_sq_residuals(s) / s.N,
            lambda s: ops.norm(s.y - s.X @ s.th) ** 2 / s.N,
            lambda s: sc(s.y.T @ s.y - 2 * (s.X @ s.th).T @ s.y + (s.X @ s.th).T @ s.X @ s.th)
            / s.N,
            lambda s: sc(s.y.T @ s.y - 2 * s.th.T @ s.X.T @ s.y + s.th.T @ s.X.T @ s.X @ s.th)
            / s.N,
        ],
    ),
    # ∇θ J(θ) = (1/N)(−2X̃ᵀy + 2X̃ᵀX̃θ)
    make_claim(
        "regression.linear_regression_gradient",
        title="∇θ (1/N)‖y − Xθ‖² = (1/N)(−2Xᵀy + 2XᵀXθ)",
        source=note("000", "Linear Regression"),
        symbols="X: matrix(N, d), y: vector(N), th: vector(d)",
        kind="gradient",
        f=lambda s: sc((s.y - s.X @ s.th).T @ (s.y - s.X @ s.th)) / s.N,
        wrt="th",
        rhs=lambda s: (-2 * s.X.T @ s.y + 2 * s.X.T @ s.X @ s.th) / s.N,
        implementation="derivations.gradients.regression.linear_regression_grad",
        impl_args=lambda v: (v.X, v.y, v.th),
    ),
    # gradient = 0  ⇔  X̃ᵀX̃θ = X̃ᵀy  ⇒  θ = (X̃ᵀX̃)⁻¹X̃ᵀy: that θ zeroes the gradient
    make_claim(
        "regression.normal_equation",
        title="θ = (XᵀX)⁻¹Xᵀy solves XᵀXθ = Xᵀy, as the note writes it (XᵀX invertible unsaid)",
        source=note("000", "Linear Regression"),
        symbols="X: matrix(N, d), y: vector(N)",
        lhs=lambda s: s.X.T @ s.X @ (ops.inv(s.X.T @ s.X) @ s.X.T @ s.y),
        rhs=lambda s: s.X.T @ s.y,
        sizes=[{"N": 3, "d": 2}, {"N": 4, "d": 2}],
        corrected="regression.normal_equation_full_rank",
    ),
    make_claim(
        "regression.normal_equation_full_rank",
        title="θ = (XᵀX)⁻¹Xᵀy solves XᵀXθ = Xᵀy when XᵀX is invertible (X of full column rank)",
        source=note("000", "Linear Regression"),
        symbols="X: matrix(N, d), y: vector(N)",
        assume=["X.T @ X invertible"],
        lhs=lambda s: s.X.T @ s.X @ (ops.inv(s.X.T @ s.X) @ s.X.T @ s.y),
        rhs=lambda s: s.X.T @ s.y,
        sizes=[{"N": 3, "d": 2}, {"N": 4, "d": 2}],
    ),
    make_claim(
        "regression.normal_equation_zero_gradient",
        title="the gradient (1/N)(−2Xᵀy + 2XᵀXθ) vanishes at θ = (XᵀX)⁻¹Xᵀy",
        source=note("000", "Linear Regression"),
        symbols="X: matrix(N, d), y: vector(N)",
        lhs=lambda s: (-2 * s.X.T @ s.y + 2 * s.X.T @ s.X @ ops.inv(s.X.T @ s.X) @ s.X.T @ s.y)
        / s.N,
        rhs=lambda s: ops.zeros(s.d, 1),
        sizes=[{"N": 3, "d": 2}, {"N": 4, "d": 2}],
        corrected="regression.normal_equation_full_rank",
    ),
    # the tempting shortcut θ = X⁻¹y only exists for a square X; with N > d the shapes fail
    make_claim(
        "regression.normal_equation_transpose_slip",
        title="θ = (XᵀX)⁻¹Xy (transpose dropped) solves XᵀXθ = Xᵀy, square X",
        source="standard",
        symbols="X: matrix(d, d), y: vector(d)",
        assume=["X.T @ X invertible"],
        lhs=lambda s: s.X.T @ s.X @ (ops.inv(s.X.T @ s.X) @ s.X @ s.y),
        rhs=lambda s: s.X.T @ s.y,
        expect="holds if X symmetric",
        corrected="regression.normal_equation_full_rank",
    ),
)


# ----- Notes 001–003 helpers -----


def _half_sse(s):
    """½(Xθ − y)ᵀ(Xθ − y), the note's ½(h − y)² summed over the samples."""
    r = s.X @ s.th - s.y
    return sc(r.T @ r) / 2


def _half_sse_entrywise(s):
    """½Σᵢ rᵢ², r = Xθ − y, written entry by entry (fixed size only).

    Used as the f of gradient claims instead of ``_half_sse``: in general form the engine's
    element-wise re-check of SymPy's derivative raises "Cannot convert symbols to int" when a
    dimension (N here) appears only in the shapes of matrices other than the variable.
    """
    r = s.X @ s.th - s.y
    return ops.sum_(ops.hadamard(r, r)) / 2


def _sse_sum(s):
    """Σᵢ (x⁽ⁱ⁾ᵀθ − y⁽ⁱ⁾)², x⁽ⁱ⁾ᵀ the i-th row of X."""
    return sum((sc(s.X[i, :] @ s.th) - s.y[i]) ** 2 for i in range(s.N))


def _data_term(s):
    """(1/2N)‖Φω − y‖²."""
    r = s.Phi @ s.w - s.y
    return sc(r.T @ r) / (2 * s.N)


def _data_gradient(s):
    """Φᵀ(Φω − y)/N."""
    return s.Phi.T @ (s.Phi @ s.w - s.y) / s.N


def _sign(v):
    import sympy as sp

    return v.applyfunc(sp.sign)


def _abs(t):
    """|t| written as a Piecewise: SymPy proves the subgradient inequalities in this form
    (with Abs inside a Piecewise its simplifier does not reach 0)."""
    import sympy as sp

    return sp.Piecewise((t, t >= 0), (-t, True))


def _violation(fx, fx0, g, x, x0):
    """max(0, f(x₀) + g(x − x₀) − f(x)): zero for every x exactly when g ∈ ∂f(x₀)."""
    return ops.relu(fx0 + g * (x - x0) - fx)


def _abs_violation(g, x, x0):
    return _violation(_abs(x), _abs(x0), g, x, x0)


def _rational(p, q):
    import sympy as sp

    return sp.Rational(p, q)


def _square_model(s, i):
    """h_θ(x⁽ⁱ⁾) = (x⁽ⁱ⁾ᵀθ)², a model non-linear in θ."""
    return sc(s.X[i, :] @ s.th) ** 2


def _sigmoid_predictions(s):
    return ops.sigmoid(s.X @ s.th)


CLAIMS += (
    # ----- Note 001: linear regression -----
    # h = xθ, L = ½(h − y)² (summed over the n rows: ½‖h − y‖²), ∂L/∂θ = xᵀ(h − y);
    # x (n, m), θ (m, 1), y (n, 1)
    make_claim(
        "regression.half_sse_gradient",
        title="L = ½‖xθ − y‖² (the note's ½(h − y)² over n samples): ∂L/∂θ = xᵀ(h − y), θ m×1",
        source=note("001", "linear regression"),
        symbols="X: matrix(N, m), th: vector(m), y: vector(N)",
        kind="gradient",
        f=_half_sse_entrywise,
        wrt="th",
        rhs=lambda s: s.X.T @ (s.X @ s.th - s.y),
    ),
    # the struck-out shape θ (1, m): the gradient xᵀ(h − y) is m×1, so it cannot be laid out
    # as a 1×m θ (that is the numerator-layout row)
    make_claim(
        "regression.half_sse_gradient_theta_row_shape",
        title="xᵀ(h − y) has the struck-out shape θ (1, m), i.e. equals the gradient laid out "
        "as a 1×m row",
        source=note("001", "linear regression"),
        symbols="X: matrix(N, m), th: vector(m), y: vector(N)",
        lhs=lambda s: s.X.T @ (s.X @ s.th - s.y),
        rhs=lambda s: ops.grad(_half_sse(s), s.th, layout="numerator"),
        expect="fails",
        corrected="regression.half_sse_gradient",
        note_text="θ (1, m) struck out, θ (m, 1) written beside it",
    ),
    # ----- Note 002: Regression -----
    # min (1/2N)‖Φω − y‖² + λC(ω), Lasso C = ‖ω‖₁: where no ωᵢ is 0 the objective is
    # differentiable and its gradient is Φᵀ(Φω − y)/N + λ·sign(ω)
    make_claim(
        "regression.lasso_subgradient",
        title="(1/2N)‖Φω − y‖² + λ‖ω‖₁: gradient Φᵀ(Φω − y)/N + λ·sign(ω) (ω with no zero "
        "entry; a subgradient everywhere)",
        source=note("002", "Regression"),
        symbols="Phi: matrix(N, m), w: vector(m), y: vector(N), lam: scalar",
        kind="gradient",
        f=lambda s: _data_term(s) + s.lam * ops.sum_(ops.abs_(s.w)),
        wrt="w",
        rhs=lambda s: _data_gradient(s) + s.lam * _sign(s.w),
        implementation="derivations.gradients.regression.lasso_subgrad",
        impl_args=lambda v: (v.Phi, v.y, v.w, v.lam),
    ),
    # ∂f(x₀) = {g | f(x) ≥ f(x₀) + gᵀ(x − x₀)}: for a smooth convex f the gradient is one;
    # f = ‖x‖²: f(x) − f(x₀) − 2x₀ᵀ(x − x₀) = ‖x − x₀‖² ≥ 0
    make_claim(
        "regression.subgradient_of_smooth_convex",
        title="g = ∇f(x₀) = 2x₀ satisfies f(x) ≥ f(x₀) + gᵀ(x − x₀) for f = ‖x‖²: "
        "the gap is ‖x − x₀‖²",
        source=note("002", "Regression"),
        symbols="x: vector(n), x0: vector(n)",
        lhs=lambda s: sc(s.x.T @ s.x) - sc(s.x0.T @ s.x0) - sc(2 * s.x0.T @ (s.x - s.x0)),
        rhs=lambda s: sc((s.x - s.x0).T @ (s.x - s.x0)),
    ),
    # ∂|x| = 1 for x > 0: max(0, |x₀| + 1·(x − x₀) − |x|) = 0 for every x
    make_claim(
        "regression.abs_subgradient_positive",
        title="x₀ > 0: g = 1 is a subgradient of |x| (the violation max(0, |x₀| + g(x − x₀) − |x|) "
        "is 0 for every x)",
        source=note("002", "Regression"),
        symbols="x: scalar, x0: scalar",
        assume=["x0 positive"],
        lhs=lambda s: _abs_violation(1, s.x, s.x0),
        rhs=lambda s: 0,
    ),
    # … and only 1: g = 1/2 violates the inequality at x₀ > 0 (so ∂|x| there is {1})
    make_claim(
        "regression.abs_subgradient_positive_other_slope",
        title="x₀ > 0: g = 1/2 is a subgradient of |x| (it is not: ∂|x₀| = {1})",
        source=note("002", "Regression"),
        symbols="x: scalar, x0: scalar",
        assume=["x0 positive"],
        lhs=lambda s: _abs_violation(_rational(1, 2), s.x, s.x0),
        rhs=lambda s: 0,
        expect="fails",
        corrected="regression.abs_subgradient_positive",
    ),
    # ∂|x| = −1 for x < 0
    make_claim(
        "regression.abs_subgradient_negative",
        title="x₀ < 0: g = −1 is a subgradient of |x| (violation 0 for every x)",
        source=note("002", "Regression"),
        symbols="x: scalar, x0: scalar",
        assume=["x0 negative"],
        lhs=lambda s: _abs_violation(-1, s.x, s.x0),
        rhs=lambda s: 0,
    ),
    # ∂|x| = [−1, 1] at x = 0: g = −1, −1/2, 1/2, 1 all satisfy |x| ≥ |0| + g·x
    make_claim(
        "regression.abs_subgradient_at_zero",
        title="x₀ = 0: g ∈ {−1, −½, ½, 1} ⊂ [−1, 1] each satisfy |x| ≥ |0| + g·x for every x",
        source=note("002", "Regression"),
        symbols="x: scalar",
        lhs=lambda s: ops.matrix([_abs_violation(_rational(p, 2), s.x, 0) for p in (-2, -1, 1, 2)]),
        rhs=lambda s: ops.zeros(4, 1),
    ),
    # … and nothing outside [−1, 1]: g = 2 fails (x = 1: 1 ≥ 2 is false)
    make_claim(
        "regression.abs_subgradient_at_zero_outside",
        title="x₀ = 0: g = 2 satisfies |x| ≥ |0| + g·x for every x (it does not: [−1, 1] is all)",
        source=note("002", "Regression"),
        symbols="x: scalar",
        lhs=lambda s: _abs_violation(2, s.x, 0),
        rhs=lambda s: 0,
        expect="fails",
        corrected="regression.abs_subgradient_at_zero",
    ),
    # Ridge, usual penalty ‖ω‖₂²: ∇ = Φᵀ(Φω − y)/N + 2λω
    make_claim(
        "regression.ridge_gradient",
        title="(1/2N)‖Φω − y‖² + λ‖ω‖₂² (the usual ridge penalty): ∇ = Φᵀ(Φω − y)/N + 2λω",
        source=note("002", "Regression"),
        symbols="Phi: matrix(N, m), w: vector(m), y: vector(N), lam: scalar",
        kind="gradient",
        f=lambda s: _data_term(s) + s.lam * sc(s.w.T @ s.w),
        wrt="w",
        rhs=lambda s: _data_gradient(s) + 2 * s.lam * s.w,
        implementation="derivations.gradients.regression.ridge_grad",
        impl_args=lambda v: (v.Phi, v.y, v.w, v.lam),
    ),
    # Ridge as the note writes it, C = ‖ω‖₂ (not squared): ∇ = Φᵀ(Φω − y)/N + λω/‖ω‖₂ (ω ≠ 0)
    make_claim(
        "regression.ridge_unsquared_norm_gradient",
        title="C = ‖ω‖₂ as the note writes it: ∇ = Φᵀ(Φω − y)/N + λω/‖ω‖₂ (ω ≠ 0)",
        source=note("002", "Regression"),
        symbols="Phi: matrix(N, m), w: vector(m), y: vector(N), lam: scalar",
        kind="gradient",
        f=lambda s: _data_term(s) + s.lam * ops.norm(s.w),
        wrt="w",
        rhs=lambda s: _data_gradient(s) + s.lam * s.w / ops.norm(s.w),
    ),
    # with the note's C = ‖ω‖₂ the ridge gradient Φᵀ(Φω − y)/N + 2λω is not the gradient:
    # "Ridge regression: C = ‖ω‖₂" is not ridge regression (which squares the norm)
    make_claim(
        "regression.ridge_as_written_standard_gradient",
        title="C = ‖ω‖₂ (as written) has the ridge gradient Φᵀ(Φω − y)/N + 2λω",
        source=note("002", "Regression"),
        symbols="Phi: matrix(N, m), w: vector(m), y: vector(N), lam: scalar",
        kind="gradient",
        f=lambda s: _data_term(s) + s.lam * ops.norm(s.w),
        wrt="w",
        rhs=lambda s: _data_gradient(s) + 2 * s.lam * s.w,
        expect="fails",
        corrected="regression.ridge_unsquared_norm_gradient",
    ),
    # ----- Note 003: Normal Equation -----
    # J(θ) = ½ Σᵢ (h(x⁽ⁱ⁾) − y⁽ⁱ⁾)² = (Xθ − y)ᵀ(Xθ − y): the ½ is lost
    make_claim(
        "regression.normal_equation_cost_as_written",
        title="½Σᵢ(x⁽ⁱ⁾ᵀθ − y⁽ⁱ⁾)² = (Xθ − y)ᵀ(Xθ − y), as the note writes it",
        source=note("003", "Normal Equation"),
        symbols="X: matrix(N, d), th: vector(d), y: vector(N)",
        lhs=lambda s: _sse_sum(s) / 2,
        rhs=lambda s: sc((s.X @ s.th - s.y).T @ (s.X @ s.th - s.y)),
        expect="fails",
        corrected="regression.normal_equation_cost",
    ),
    make_claim(
        "regression.normal_equation_cost",
        title="½Σᵢ(x⁽ⁱ⁾ᵀθ − y⁽ⁱ⁾)² = ½(Xθ − y)ᵀ(Xθ − y) (rows of X are the x⁽ⁱ⁾ᵀ)",
        source=note("003", "Normal Equation"),
        symbols="X: matrix(N, d), th: vector(d), y: vector(N)",
        lhs=lambda s: _sse_sum(s) / 2,
        rhs=_half_sse,
    ),
    # ∇J = XᵀXθ − Xᵀy for J = ½(Xθ − y)ᵀ(Xθ − y)
    make_claim(
        "regression.normal_equation_cost_gradient",
        title="∇θ ½(Xθ − y)ᵀ(Xθ − y) = XᵀXθ − Xᵀy",
        source=note("003", "Normal Equation"),
        symbols="X: matrix(N, d), th: vector(d), y: vector(N)",
        kind="gradient",
        f=_half_sse_entrywise,
        wrt="th",
        rhs=lambda s: s.X.T @ s.X @ s.th - s.X.T @ s.y,
    ),
    # with the note's J (no ½) the gradient is twice that
    make_claim(
        "regression.normal_equation_cost_as_written_gradient",
        title="∇θ (Xθ − y)ᵀ(Xθ − y) = XᵀXθ − Xᵀy (the note's J without ½; it is twice that)",
        source=note("003", "Normal Equation"),
        symbols="X: matrix(N, d), th: vector(d), y: vector(N)",
        kind="gradient",
        f=lambda s: sc((s.X @ s.th - s.y).T @ (s.X @ s.th - s.y)),
        wrt="th",
        rhs=lambda s: s.X.T @ s.X @ s.th - s.X.T @ s.y,
        expect="fails",
        corrected="regression.normal_equation_cost_gradient",
    ),
    # setting ∇J = 0: XᵀXθ = Xᵀy, θ = (XᵀX)⁻¹Xᵀy (X of full column rank)
    make_claim(
        "regression.normal_equation_cost_stationary_point",
        title="XᵀXθ − Xᵀy = 0 at θ = (XᵀX)⁻¹Xᵀy (XᵀX invertible)",
        source=note("003", "Normal Equation"),
        symbols="X: matrix(N, d), y: vector(N)",
        assume=["X.T @ X invertible"],
        lhs=lambda s: s.X.T @ s.X @ (ops.inv(s.X.T @ s.X) @ s.X.T @ s.y) - s.X.T @ s.y,
        rhs=lambda s: ops.zeros(s.d, 1),
        sizes=[{"N": 3, "d": 2}],  # symbolic 3×3 inverses make the refutation search slow
    ),
    # ----- Note 003: deep learning -----
    # J⁽ⁱ⁾(θ) = (y⁽ⁱ⁾ − h_θ(x⁽ⁱ⁾))², J(θ) = (1/n)Σᵢ J⁽ⁱ⁾(θ): with a non-linear
    # h_θ(x) = σ(xᵀθ), J = (1/n)‖y − σ(Xθ)‖²
    make_claim(
        "regression.mean_loss",
        title="J = (1/n)Σᵢ(y⁽ⁱ⁾ − h_θ(x⁽ⁱ⁾))² = (1/n)‖y − h‖² for h_θ(x) = σ(xᵀθ)",
        source=note("003", "deep learning"),
        symbols="X: matrix(N, d), th: vector(d), y: vector(N)",
        lhs=lambda s: (
            sum((s.y[i] - ops.sigmoid(sc(s.X[i, :] @ s.th))) ** 2 for i in range(s.N)) / s.N
        ),
        rhs=lambda s: ops.norm(s.y - _sigmoid_predictions(s)) ** 2 / s.N,
    ),
    # ∇J = (1/n)Σᵢ ∇J⁽ⁱ⁾ (the mean of the per-sample gradients), for a concrete model that is
    # non-linear in θ, h_θ(x) = (xᵀθ)²: ∇J⁽ⁱ⁾ = −2(y⁽ⁱ⁾ − hᵢ)·2(x⁽ⁱ⁾ᵀθ)x⁽ⁱ⁾.  (A polynomial h
    # keeps every value rational; with σ the exact-refutation search spends ~4 s evaluating
    # an identically zero residual to 50 digits.)
    make_claim(
        "regression.mean_loss_gradient",
        title="∇θ (1/n)Σ J⁽ⁱ⁾ = (1/n)Σ ∇J⁽ⁱ⁾ = −(4/n)Σᵢ(y⁽ⁱ⁾ − hᵢ)(x⁽ⁱ⁾ᵀθ)x⁽ⁱ⁾ for h_θ(x) = (xᵀθ)²",
        source=note("003", "deep learning"),
        symbols="X: matrix(N, d), th: vector(d), y: vector(N)",
        kind="gradient",
        f=lambda s: sum((s.y[i] - _square_model(s, i)) ** 2 for i in range(s.N)) / s.N,
        wrt="th",
        rhs=lambda s: (
            sum(
                (
                    -2 * (s.y[i] - _square_model(s, i)) * 2 * sc(s.X[i, :] @ s.th) * s.X[i, :].T
                    for i in range(s.N)
                ),
                ops.zeros(s.d, 1),
            )
            / s.N
        ),
    ),
)


def _data_term_entrywise(s):
    """(1/2N)Σᵢ(φᵢω − yᵢ)², sample by sample."""
    return sum((sc(s.Phi[i, :] @ s.w) - s.y[i]) ** 2 for i in range(s.N)) / (2 * s.N)


CLAIMS += (
    # ----- Gradient library (derivations.gradients.regression): the functions' conventions -----
    # (1/N)Σᵢ(xᵢᵀθ − yᵢ)² = (1/N)‖Xθ − y‖²: the mean, not the sum, of the squared residuals
    make_claim(
        "regression.linear_regression_loss",
        title="(1/N)Σᵢ(xᵢᵀθ − yᵢ)² = (1/N)‖Xθ − y‖² (mean squared residual, rows of X samples)",
        source="standard",
        symbols="X: matrix(N, d), y: vector(N), th: vector(d)",
        lhs=lambda s: _sse_sum(s) / s.N,
        rhs=lambda s: ops.norm(s.X @ s.th - s.y) ** 2 / s.N,
        implementation="derivations.gradients.regression.linear_regression_loss",
        impl_args=lambda v: (v.X, v.y, v.th),
    ),
    # one Newton step from any θ lands on the normal-equation solution:
    # θ − (XᵀX)⁻¹(XᵀXθ − Xᵀy) = (XᵀX)⁻¹Xᵀy  (X of full column rank)
    make_claim(
        "regression.normal_equation_solution",
        title="θ − (XᵀX)⁻¹(XᵀXθ − Xᵀy) = (XᵀX)⁻¹Xᵀy: a Newton step from any θ reaches the "
        "least-squares solution",
        source="standard",
        symbols="X: matrix(N, d), y: vector(N), th: vector(d)",
        assume=["X.T @ X invertible"],
        lhs=lambda s: s.th - ops.inv(s.X.T @ s.X) @ (s.X.T @ s.X @ s.th - s.X.T @ s.y),
        rhs=lambda s: ops.inv(s.X.T @ s.X) @ s.X.T @ s.y,
        sizes=[{"N": 3, "d": 2}, {"N": 4, "d": 2}],
        implementation="derivations.gradients.regression.normal_equation",
        impl_args=lambda v: (v.X, v.y),
    ),
    # ridge loss (1/2N)Σᵢ(φᵢω − yᵢ)² + λΣⱼωⱼ² = (1/2N)‖Φω − y‖² + λ‖ω‖₂² (squared penalty)
    make_claim(
        "regression.ridge_loss",
        title="(1/2N)Σᵢ(φᵢω − yᵢ)² + λΣⱼωⱼ² = (1/2N)‖Φω − y‖² + λ‖ω‖₂²",
        source="standard",
        symbols="Phi: matrix(N, m), w: vector(m), y: vector(N), lam: scalar",
        lhs=lambda s: _data_term_entrywise(s) + s.lam * sum(s.w[j] ** 2 for j in range(s.m)),
        rhs=lambda s: _data_term(s) + s.lam * ops.norm(s.w) ** 2,
        implementation="derivations.gradients.regression.ridge_loss",
        impl_args=lambda v: (v.Phi, v.y, v.w, v.lam),
    ),
    # lasso loss (1/2N)Σᵢ(φᵢω − yᵢ)² + λΣⱼ|ωⱼ| = (1/2N)‖Φω − y‖² + λ‖ω‖₁
    make_claim(
        "regression.lasso_loss",
        title="(1/2N)Σᵢ(φᵢω − yᵢ)² + λΣⱼ|ωⱼ| = (1/2N)‖Φω − y‖² + λ‖ω‖₁",
        source="standard",
        symbols="Phi: matrix(N, m), w: vector(m), y: vector(N), lam: scalar",
        lhs=lambda s: _data_term_entrywise(s) + s.lam * sum(_abs(s.w[j]) for j in range(s.m)),
        rhs=lambda s: _data_term(s) + s.lam * ops.sum_(ops.abs_(s.w)),
        implementation="derivations.gradients.regression.lasso_loss",
        impl_args=lambda v: (v.Phi, v.y, v.w, v.lam),
    ),
)


# ----- Gradient library: Huber and L1 losses of a prediction (as in PyTorch) -----
# One entry: the losses are means over the entries, so each entry's gradient is this over n.

GRAD = "derivations.gradients.regression"


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


CLAIMS += (
    # Huber(r) = c(r − c/2), c = clip(r, −δ, δ): one formula for both branches
    make_claim(
        "regression.huber_via_clip",
        title="Huber_δ(r) (½r² if |r| ≤ δ, else δ(|r| − ½δ)) = c(r − c/2), c = clip(r, −δ, δ), "
        "r = p − t",
        source="standard",
        symbols="p: scalar, t: scalar, delta: scalar",
        assume=["delta positive"],
        lhs=lambda s: _huber_written(s.p - s.t, s.delta),
        rhs=lambda s: _clip(s.p - s.t, s.delta) * (s.p - s.t - _clip(s.p - s.t, s.delta) / 2),
        implementation=f"{GRAD}.huber_loss",
    ),
    # d/dp Huber_δ(p − t) = clip(p − t, −δ, δ)
    make_claim(
        "regression.huber_gradient",
        title="d/dp Huber_δ(p − t) = clip(p − t, −δ, δ) (away from |p − t| = δ)",
        source="standard",
        symbols="p: scalar, t: scalar, delta: scalar",
        assume=["delta positive"],
        lhs=lambda s: ops.diff(_huber_written(s.p - s.t, s.delta), s.p),
        rhs=lambda s: _clip(s.p - s.t, s.delta),
        implementation=f"{GRAD}.huber_grad",
    ),
    # |p − t| = sign(p − t)(p − t)
    make_claim(
        "regression.l1_via_sign",
        title="|p − t| = sign(p − t)·(p − t)",
        source="standard",
        symbols="p: scalar, t: scalar",
        lhs=lambda s: _abs_gt(s.p - s.t),
        rhs=lambda s: (2 * ops.indicator(s.p - s.t) - 1) * (s.p - s.t),
        implementation=f"{GRAD}.l1_loss",
    ),
    # d/dp |p − t| = sign(p − t)
    make_claim(
        "regression.l1_gradient",
        title="d/dp |p − t| = sign(p − t) (away from p = t)",
        source="standard",
        symbols="p: scalar, t: scalar",
        lhs=lambda s: ops.diff(_abs_gt(s.p - s.t), s.p),
        rhs=lambda s: 2 * ops.indicator(s.p - s.t) - 1,
        implementation=f"{GRAD}.l1_grad",
    ),
)
