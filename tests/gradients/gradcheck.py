"""The one finite-difference checker every gradient test uses.

Tolerances follow torch.autograd.gradcheck: central differences with step
eps = 1e-6 in float64, and each entry must satisfy
|analytic − numeric| ≤ atol + rtol·|numeric| with atol = 1e-5, rtol = 1e-3.
The truncation error of a central difference is O(eps²·f''') and the rounding
error O(ε_machine·|f|/eps) ≈ 1e-10·|f|, both far below these bounds for the
smooth, O(1)-scaled losses used here.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

EPS = 1e-6
ATOL = 1e-5
RTOL = 1e-3


def numerical_grad(loss: Callable[[np.ndarray], float], x: np.ndarray, eps: float = EPS):
    """Central differences (f(x + eps·eₖ) − f(x − eps·eₖ)) / (2 eps), entry by entry."""
    x = np.array(x, dtype=np.float64)
    grad = np.empty_like(x)
    for k in np.ndindex(x.shape):
        orig = x[k]
        x[k] = orig + eps
        up = float(loss(x.copy()))
        x[k] = orig - eps
        down = float(loss(x.copy()))
        x[k] = orig
        grad[k] = (up - down) / (2 * eps)
    return grad


def check_grad(
    loss: Callable[[np.ndarray], float],
    x: np.ndarray,
    analytic: np.ndarray,
    *,
    eps: float = EPS,
    atol: float = ATOL,
    rtol: float = RTOL,
) -> None:
    """Assert that analytic is the gradient of loss at x (see the module docstring)."""
    analytic = np.asarray(analytic, dtype=np.float64)
    numeric = numerical_grad(loss, x, eps)
    assert analytic.shape == numeric.shape, (analytic.shape, numeric.shape)
    err = np.abs(analytic - numeric)
    bound = atol + rtol * np.abs(numeric)
    if not np.all(err <= bound):
        k = np.unravel_index(np.argmax(err - bound), err.shape)
        raise AssertionError(
            f"gradient mismatch at index {k}: analytic {analytic[k]!r}, numeric "
            f"{numeric[k]!r}, |diff| {err[k]:.3e} > bound {bound[k]:.3e}"
        )
