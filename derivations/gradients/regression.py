"""Linear, ridge and lasso regression (notes 001, 002, 004).

Conventions: X is N × d with samples as rows, theta has length d, y length N.
Losses are means over samples.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._compiled import row_pass_grad
from ._validate import check_X_y_theta, floats

__all__ = [
    "lasso_loss",
    "lasso_subgrad",
    "linear_regression_grad",
    "linear_regression_loss",
    "normal_equation",
    "ridge_grad",
    "ridge_loss",
]


def _prepare(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> list[np.ndarray]:
    X, y, theta = floats(X=X, y=y, theta=theta)
    check_X_y_theta(X, y, theta)
    return [X, y, theta]


def _normal_grad(X: np.ndarray, y: np.ndarray, theta: np.ndarray, scale: float) -> np.ndarray:
    """scale · Xᵀ(Xθ − y): one compiled pass over X when numba applies, else two BLAS passes."""
    g = row_pass_grad("LINEAR", X, y, theta, scale)
    if g is not None:
        return g
    r = _residual(X, y, theta)
    r *= scale  # scale the N-vector, not the d-vector after a full pass
    return X.T @ r


def _residual(X: np.ndarray, y: np.ndarray, theta: np.ndarray) -> np.ndarray:
    r = X @ theta
    r -= y
    return r


# ----- Least squares -----


def linear_regression_loss(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> np.floating:
    """L(θ) = (1/N)‖Xθ − y‖², the mean squared residual.

    Claims: regression.linear_regression_gradient, regression.linear_regression_loss
    """
    X, y, theta = _prepare(X, y, theta)
    r = _residual(X, y, theta)
    return (r @ r) / X.shape[0]


def linear_regression_grad(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> np.ndarray:
    """∇θ L = (2/N) Xᵀ(Xθ − y) for L = (1/N)‖Xθ − y‖²; shape (d,).

    Note 001 writes L = ½(h − y)² with gradient xᵀ(h − y): the same direction,
    scaled by 1/2 and without the mean.

    Claims: regression.linear_regression_gradient
    """
    X, y, theta = _prepare(X, y, theta)
    return _normal_grad(X, y, theta, 2 / X.shape[0])


def normal_equation(X: ArrayLike, y: ArrayLike) -> np.ndarray:
    """θ* = argmin ‖Xθ − y‖², solving XᵀXθ = Xᵀy by least squares (SVD, no inverse).

    When X is rank deficient the minimiser is not unique; this returns the
    minimum-norm one, θ* = X⁺y (X⁺ the Moore–Penrose pseudo-inverse). It equals
    (XᵀX)⁻¹Xᵀy whenever X has full column rank.

    Claims: regression.normal_equation, regression.normal_equation_solution
    """
    X, y = floats(X=X, y=y)
    check_X_y_theta(X, y, None)
    return np.linalg.lstsq(X, y, rcond=None)[0]


# ----- Regularised regression -----


def ridge_loss(X: ArrayLike, y: ArrayLike, theta: ArrayLike, lam: float) -> np.floating:
    """L(θ) = (1/(2N))‖Xθ − y‖² + λ‖θ‖²₂ (squared 2-norm penalty).

    Note 002 writes the ridge penalty as C(ω) = ‖ω‖₂; the usual ridge penalty,
    used here, is the squared norm ‖ω‖²₂ (the unsquared norm is not smooth at 0).

    Claims: regression.ridge_gradient, regression.ridge_loss
    """
    X, y, theta = _prepare(X, y, theta)
    r = _residual(X, y, theta)
    return (r @ r) / (2 * X.shape[0]) + lam * (theta @ theta)


def ridge_grad(X: ArrayLike, y: ArrayLike, theta: ArrayLike, lam: float) -> np.ndarray:
    """∇θ L = (1/N)Xᵀ(Xθ − y) + 2λθ for L = (1/(2N))‖Xθ − y‖² + λ‖θ‖²₂.

    See ridge_loss for why the penalty is squared (note 002 writes ‖ω‖₂).

    Claims: regression.ridge_gradient
    """
    X, y, theta = _prepare(X, y, theta)
    g = _normal_grad(X, y, theta, 1 / X.shape[0])
    g += (2 * lam) * theta
    return g


def lasso_loss(X: ArrayLike, y: ArrayLike, theta: ArrayLike, lam: float) -> np.floating:
    """L(θ) = (1/(2N))‖Xθ − y‖² + λ‖θ‖₁ (note 002, eq. 1.1 with C = ‖ω‖₁).

    Claims: regression.lasso_subgradient, regression.lasso_loss
    """
    X, y, theta = _prepare(X, y, theta)
    r = _residual(X, y, theta)
    return (r @ r) / (2 * X.shape[0]) + lam * np.abs(theta).sum()


def lasso_subgrad(X: ArrayLike, y: ArrayLike, theta: ArrayLike, lam: float) -> np.ndarray:
    """A subgradient (1/N)Xᵀ(Xθ − y) + λ·sign(θ) of the lasso loss (see lasso_loss).

    sign(0) = 0 is used, a valid choice since ∂|x| at 0 is [−1, 1] (note 002);
    where no θⱼ is 0 this is the gradient.

    Claims: regression.lasso_subgradient
    """
    X, y, theta = _prepare(X, y, theta)
    g = _normal_grad(X, y, theta, 1 / X.shape[0])
    g += lam * np.sign(theta)
    return g
