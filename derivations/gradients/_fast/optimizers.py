"""Fast optimizer steps: one compiled loop on every core, or NumPy block by block.

Either way a step makes one pass over memory and allocates no full-size temporary. Every
(1 − β) is computed in float64 before it meets float32 data, as in the reference.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._blocks import blockwise
from ._compiled import kernels

__all__ = [
    "adagrad_step",
    "adam_step",
    "momentum_step",
    "rmsprop_step",
    "sgd_nesterov_step",
    "sgd_step",
]


def _step(name: str, kernel: Callable[..., None], arrays: list[np.ndarray], *scalars: float,
          scratch: int = 1):
    """The compiled step `name`, else `kernel` block by block (with `scratch` block-sized
    buffers); True when either ran (both need C-contiguous arrays; otherwise the reference
    runs)."""
    if not all(a.flags.c_contiguous for a in arrays):
        return None
    flat = [a.reshape(-1) for a in arrays]  # views, since contiguous
    k = kernels(*arrays)
    if k is not None:
        getattr(k, name)(*flat, *scalars)
        return True
    # ∞ − ∞ and ∞/∞ from an infinite parameter or gradient give NaN, a square beyond the
    # dtype's range ∞, and g/0 at ε = 0 ±∞, without NumPy's warning, as the reference (and
    # torch) do
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        blockwise(lambda lo, hi, *bufs: kernel(*(f[lo:hi] for f in flat), *bufs),
                  flat[0].size, flat[0].dtype, n_scratch=scratch)
    return True


def sgd_step(params, grad, lr: float):
    def kernel(p, g, buf):
        np.multiply(g, lr, out=buf)
        p -= buf

    return _step("sgd_step", kernel, [params, grad], lr)


def momentum_step(params, grad, velocity, lr: float, rho: float):
    def kernel(p, g, v, buf):
        v *= rho
        v += g
        np.multiply(v, lr, out=buf)
        p -= buf

    return _step("momentum_step", kernel, [params, grad, velocity], lr, rho)


def sgd_nesterov_step(params, grad, velocity, lr: float, rho: float, decay: float):
    def kernel(p, g, v, g_total, buf):
        if decay:  # g + λx; without decay no λx term, as torch (0 · ∞ at an infinite x)
            np.multiply(p, decay, out=g_total)
            g_total += g
            g = g_total
        v *= rho
        v += g
        np.multiply(v, rho, out=buf)
        buf += g
        buf *= lr
        p -= buf

    return _step("sgd_nesterov_step", kernel, [params, grad, velocity], lr, rho, decay,
                 scratch=2)


def adagrad_step(params, grad, sum_sq, lr: float, eps: float):
    def kernel(p, g, r, buf):
        np.multiply(g, g, out=buf)
        r += buf
        np.sqrt(r, out=buf)
        buf += eps
        np.divide(g, buf, out=buf)
        buf *= lr
        p -= buf

    return _step("adagrad_step", kernel, [params, grad, sum_sq], lr, eps)


def rmsprop_step(params, grad, sq_avg, lr: float, beta: float, eps: float):
    rest = 1 - beta  # Python floats: float64, rounded once when it meets the data

    def kernel(p, g, r, buf):
        r *= beta
        np.multiply(g, rest, out=buf)  # ((1 − β)g)g: g² overflows above 1.8e19 in float32
        buf *= g
        r += buf
        np.sqrt(r, out=buf)
        buf += eps
        np.divide(g, buf, out=buf)
        buf *= lr
        p -= buf

    return _step("rmsprop_step", kernel, [params, grad, sq_avg], lr, beta, rest, eps)


def adam_step(params, grad, m, v, step: float, beta1: float, beta2: float,
              inv_sqrt_bc2: float, eps: float, keep: float = 1.0):
    """step = α/(1 − β₁ᵗ), inv_sqrt_bc2 = 1/√(1 − β₂ᵗ); the parameters are first multiplied
    by keep (AdamW's 1 − αλ)."""
    rest1, rest2 = 1 - beta1, 1 - beta2

    def kernel(p, g, m, v, buf):
        if keep != 1.0:
            p *= keep
        m *= beta1
        np.multiply(g, rest1, out=buf)
        m += buf
        v *= beta2
        np.multiply(g, rest2, out=buf)  # ((1 − β₂)g)g, as in rmsprop_step
        buf *= g
        v += buf
        np.sqrt(v, out=buf)
        buf *= inv_sqrt_bc2  # √v̂ₜ
        buf += eps
        np.divide(m, buf, out=buf)
        buf *= step
        p -= buf

    return _step("adam_step", kernel, [params, grad, m, v], beta1, rest1, beta2, rest2, step,
                 inv_sqrt_bc2, eps, keep)
