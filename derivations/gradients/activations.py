"""Activation functions and their elementwise derivatives (note 002, §3).

Each ``*_grad`` returns the elementwise derivative f'(z) (same shape and dtype
as z); multiply it by an upstream gradient for backpropagation.
At the kink z = 0 the one-sided derivative from the left is used: ReLU'(0) = 0
and LeakyReLU'(0) = a, matching the notes' "otherwise" branch (z ≤ 0).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._blocks import blockwise
from ._compiled import kernels
from ._validate import floats

__all__ = [
    "leaky_relu",
    "leaky_relu_grad",
    "relu",
    "relu_grad",
    "sigmoid_grad",
    "tanh_grad",
]


def _bell(z: np.ndarray, rate: float, scale: float = 1.0) -> np.ndarray:
    """scale · e/(1 + e)² with e = exp(−rate·|z|): one compiled loop, or block by block."""
    zf = np.ascontiguousarray(z).reshape(-1)
    out = np.empty(z.shape, z.dtype)
    of = out.reshape(-1)
    k = kernels(zf)
    if k is not None:
        k.bell(zf, of, rate, scale)
        return out

    def kernel(lo: int, hi: int, den: np.ndarray) -> None:
        o = of[lo:hi]
        np.abs(zf[lo:hi], out=o)
        o *= -rate
        np.exp(o, out=o)
        np.add(o, 1, out=den)
        np.square(den, out=den)
        if scale != 1.0:
            o *= scale
        o /= den

    blockwise(kernel, zf.size, z.dtype)
    return out


def _step(z: np.ndarray, below: float, above: float) -> np.ndarray:
    """above where z > 0, else below (NaN counts as not > 0); one compiled pass if it applies."""
    k = kernels(z)
    if k is not None:
        out = np.empty(z.shape, z.dtype)
        k.step(z.reshape(-1), out.reshape(-1), below, above)
        return out
    if below == 0.0 and above == 1.0:
        return (z > 0).astype(z.dtype)
    return np.where(z > 0, z.dtype.type(above), z.dtype.type(below))


def sigmoid_grad(z: ArrayLike) -> np.ndarray:
    """σ'(z) = σ(z)(1 − σ(z)), computed as e/(1 + e)² with e = e^{−|z|}.

    Equal since σ(z)(1 − σ(z)) = σ(z)σ(−z) is even in z; no overflow and no
    cancellation for large |z|.

    Claims: activations.sigmoid_derivative, activations.sigmoid_derivative_elementwise
    """
    (z,) = floats(z=z)
    return _bell(z, 1.0)


def tanh_grad(z: ArrayLike) -> np.ndarray:
    """tanh'(z) = 1 − tanh²(z), computed as 4e/(1 + e)² with e = e^{−2|z|}.

    Equal since tanh z = 2σ(2z) − 1 gives 1 − tanh² z = 4σ(2z)σ(−2z); this form
    keeps full relative precision in the tails, where 1 − tanh² cancels.

    Claims: activations.tanh_derivative, activations.tanh_derivative_elementwise
    """
    (z,) = floats(z=z)
    return _bell(z, 2.0, 4.0)


def relu(z: ArrayLike) -> np.ndarray:
    """ReLU(z) = z if z > 0 else 0.

    Claims: activations.relu_derivative, activations.relu_via_abs
    """
    (z,) = floats(z=z)
    return np.maximum(z, 0)


def relu_grad(z: ArrayLike) -> np.ndarray:
    """ReLU'(z) = 1[z > 0] (0 at z = 0 by convention).

    Claims: activations.relu_derivative, activations.relu_derivative_elementwise
    """
    (z,) = floats(z=z)
    return _step(z, 0.0, 1.0)


def leaky_relu(z: ArrayLike, a: float = 0.01) -> np.ndarray:
    """LeakyReLU(z) = z if z > 0 else a·z.

    Claims: activations.leaky_relu_derivative, activations.leaky_relu_via_abs
    """
    (z,) = floats(z=z)
    return np.where(z > 0, z, a * z)


def leaky_relu_grad(z: ArrayLike, a: float = 0.01) -> np.ndarray:
    """LeakyReLU'(z) = 1 if z > 0 else a (a at z = 0 by convention).

    Claims: activations.leaky_relu_derivative, activations.leaky_relu_derivative_elementwise
    """
    (z,) = floats(z=z)
    return _step(z, float(a), 1.0)
