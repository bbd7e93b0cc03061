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
        impl_args=("X", "y", "th"),
    ),
    # gradient = 0  ⇔  X̃ᵀX̃θ = X̃ᵀy  ⇒  θ = (X̃ᵀX̃)⁻¹X̃ᵀy: that θ zeroes the gradient
    make_claim(
        "regression.normal_equation",
        title="θ = (XᵀX)⁻¹Xᵀy solves XᵀXθ = Xᵀy (needs XᵀX invertible: X of full column rank)",
        source=note("000", "Linear Regression"),
        symbols="X: matrix(N, d), y: vector(N)",
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
    ),
    # the tempting shortcut θ = X⁻¹y only exists for a square X; with N > d the shapes fail
    make_claim(
        "regression.normal_equation_transpose_slip",
        title="θ = (XᵀX)⁻¹Xy (transpose dropped) solves XᵀXθ = Xᵀy, square X",
        source="standard",
        symbols="X: matrix(d, d), y: vector(d)",
        lhs=lambda s: s.X.T @ s.X @ (ops.inv(s.X.T @ s.X) @ s.X @ s.y),
        rhs=lambda s: s.X.T @ s.y,
        expect="holds if X symmetric",
    ),
)
