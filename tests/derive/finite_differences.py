"""Central differences for the derive tests' own ground truth (independent of derive)."""

from __future__ import annotations

import numpy as np


def jacobian_fd(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """∂f/∂x (numerator layout: rows f's entries) by central differences."""
    cols = [((f(x + h * e) - f(x - h * e)) / (2 * h)).ravel() for e in np.eye(x.size)[:, :, None]]
    return np.array(cols).T


def hessian_fd(f, x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """∂²f/∂xᵢ∂xⱼ of a scalar f by the four-point central stencil."""
    n = x.size
    basis = np.eye(n)[:, :, None] * h
    return np.array([[(f(x + basis[i] + basis[j]) - f(x + basis[i] - basis[j])
                       - f(x - basis[i] + basis[j]) + f(x - basis[i] - basis[j])) / (4 * h * h)
                      for j in range(n)] for i in range(n)])
