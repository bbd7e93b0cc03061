"""Fast regression gradients: one compiled pass over the rows of X instead of two products."""

from __future__ import annotations

import numpy as np

from ._compiled import row_pass_grad

__all__ = ["linear_regression_grad", "ridge_grad", "lasso_subgrad"]


def linear_regression_grad(X: np.ndarray, y: np.ndarray, theta: np.ndarray) -> np.ndarray | None:
    return row_pass_grad("LINEAR", X, y, theta, 2 / X.shape[0])


def ridge_grad(X: np.ndarray, y: np.ndarray, theta: np.ndarray, lam: float) -> np.ndarray | None:
    g = row_pass_grad("LINEAR", X, y, theta, 1 / X.shape[0])
    if g is not None:
        g += (2 * lam) * theta
    return g


def lasso_subgrad(X: np.ndarray, y: np.ndarray, theta: np.ndarray, lam: float) -> np.ndarray | None:
    g = row_pass_grad("LINEAR", X, y, theta, 1 / X.shape[0])
    if g is not None:
        g += lam * np.sign(theta)
    return g
