"""First-order optimizer steps (note 002, §§1.2–2), updating arrays in place.

Every step writes the new parameters into ``params`` and the new optimizer
state into the state arrays it is given, and returns them (the same objects).
``grad`` is ∇f(xₜ) at the current parameters, shaped like ``params``.
State arrays start at zero. Hyper-parameter defaults follow PyTorch.

Large contiguous arrays run one compiled loop on all cores when numba is
installed (_compiled.py); otherwise they are processed in cache-sized blocks
on all cores (_blocks.py). Either way a step makes one pass over memory and
allocates no full-size temporaries.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._blocks import blockwise
from ._compiled import kernels
from ._validate import check_state

__all__ = [
    "adagrad_step",
    "adam_bias_corrected",
    "adam_step",
    "momentum_step",
    "rmsprop_step",
    "sgd_step",
]


def _grad(grad: object, params: np.ndarray) -> np.ndarray:
    g = np.asarray(grad)
    if g.shape != params.shape:
        raise ValueError(
            f"params has shape {params.shape} but grad has shape {g.shape}; "
            f"expected grad of shape {params.shape}"
        )
    if g.dtype.kind not in "fiu":
        raise ValueError(f"grad must be a real numeric array; got dtype {g.dtype}")
    return g.astype(params.dtype, copy=False)


def _compiled_step(name: str, arrays: list[np.ndarray], *scalars: float) -> bool:
    """Run the compiled step `name` on the flattened arrays; False when it does not apply."""
    k = kernels(*arrays)
    if k is None:
        return False
    getattr(k, name)(*(a.reshape(-1) for a in arrays), *scalars)
    return True


def _run(kernel: Callable[..., None], arrays: list[np.ndarray]) -> None:
    """Apply kernel(*arrays, scratch) block by block when all arrays are contiguous."""
    first = arrays[0]
    if all(a.flags.c_contiguous for a in arrays):
        flat = [a.reshape(-1) for a in arrays]  # views, since contiguous
        blockwise(
            lambda lo, hi, buf: kernel(*(f[lo:hi] for f in flat), buf), first.size, first.dtype
        )
    else:
        kernel(*arrays, np.empty_like(first))


# ----- Plain and momentum SGD -----


def sgd_step(params: np.ndarray, grad: np.ndarray, lr: float) -> np.ndarray:
    """xₜ₊₁ = xₜ − α∇f(xₜ), in place.

    Claims: optimizers.sgd_step
    """
    params = check_state("params", params, params)
    g = _grad(grad, params)
    lr = float(lr)  # a Python float keeps float32 arithmetic in float32

    def kernel(p, g, buf):
        np.multiply(g, lr, out=buf)
        p -= buf

    if not _compiled_step("sgd_step", [params, g], lr):
        _run(kernel, [params, g])
    return params


def momentum_step(
    params: np.ndarray, grad: np.ndarray, velocity: np.ndarray, lr: float, rho: float = 0.9
) -> tuple[np.ndarray, np.ndarray]:
    """vₜ₊₁ = ρvₜ + ∇f(xₜ); xₜ₊₁ = xₜ − αvₜ₊₁ (note 002), in place. Same as torch SGD(momentum=ρ).

    Claims: optimizers.momentum_step
    """
    params = check_state("params", params, params)
    velocity = check_state("velocity", velocity, params)
    g = _grad(grad, params)
    lr, rho = float(lr), float(rho)

    def kernel(p, g, v, buf):
        v *= rho
        v += g
        np.multiply(v, lr, out=buf)
        p -= buf

    if not _compiled_step("momentum_step", [params, g, velocity], lr, rho):
        _run(kernel, [params, g, velocity])
    return params, velocity


# ----- Adaptive learning rates -----


def adagrad_step(
    params: np.ndarray, grad: np.ndarray, sum_sq: np.ndarray, lr: float, eps: float = 1e-10
) -> tuple[np.ndarray, np.ndarray]:
    """rₜ = rₜ₋₁ + g ⊙ g;  xₜ₊₁ = xₜ − α g / (√rₜ + ε), in place (g = ∇f(xₜ)).

    This is the standard AdaGrad (and torch.optim.Adagrad). Note 002 writes
    α/√(rₜ + ε): ε inside the root. The two agree to first order in ε when
    rₜ ≫ ε and differ when rₜ ≈ 0 (step α g/√ε vs α g/ε).

    Claims: optimizers.adagrad_step, optimizers.adagrad_step_nonnegative_accumulator
    """
    params = check_state("params", params, params)
    sum_sq = check_state("sum_sq", sum_sq, params)
    g = _grad(grad, params)
    lr, eps = float(lr), float(eps)

    def kernel(p, g, r, buf):
        np.multiply(g, g, out=buf)
        r += buf
        np.sqrt(r, out=buf)
        buf += eps
        np.divide(g, buf, out=buf)
        buf *= lr
        p -= buf

    if not _compiled_step("adagrad_step", [params, g, sum_sq], lr, eps):
        _run(kernel, [params, g, sum_sq])
    return params, sum_sq


def rmsprop_step(
    params: np.ndarray,
    grad: np.ndarray,
    sq_avg: np.ndarray,
    lr: float,
    beta: float = 0.99,
    eps: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray]:
    """rₜ = βrₜ₋₁ + (1 − β) g ⊙ g;  xₜ₊₁ = xₜ − α g / (√rₜ + ε), in place.

    Standard RMSProp (torch.optim.RMSprop with alpha=β). Note 002 writes
    √(rₜ + β) in the denominator, a typo: β is the decay rate, not a
    stabiliser (with β = 0.99 it would cap every step near α|g|).

    Claims: optimizers.rmsprop_step, optimizers.rmsprop_step_nonnegative_average
    """
    params = check_state("params", params, params)
    sq_avg = check_state("sq_avg", sq_avg, params)
    g = _grad(grad, params)
    lr, beta, eps = float(lr), float(beta), float(eps)

    def kernel(p, g, r, buf):
        r *= beta
        np.multiply(g, g, out=buf)
        buf *= 1 - beta
        r += buf
        np.sqrt(r, out=buf)
        buf += eps
        np.divide(g, buf, out=buf)
        buf *= lr
        p -= buf

    if not _compiled_step("rmsprop_step", [params, g, sq_avg], lr, beta, eps):
        _run(kernel, [params, g, sq_avg])
    return params, sq_avg


def adam_bias_corrected(
    m: np.ndarray, v: np.ndarray, t: int, beta1: float = 0.9, beta2: float = 0.999
) -> tuple[np.ndarray, np.ndarray]:
    """m̂ₜ = mₜ/(1 − β₁ᵗ), v̂ₜ = vₜ/(1 − β₂ᵗ) (new arrays). With a constant gradient g
    and zero initial moments, m̂ₜ = g and v̂ₜ = g ⊙ g for every t ≥ 1.

    Claims: optimizers.adam_bias_correction
    """
    t = _step_count(t)
    return m / (1 - beta1**t), v / (1 - beta2**t)


def _step_count(t: int) -> int:
    if isinstance(t, bool) or not isinstance(t, int | np.integer) or t < 1:
        raise ValueError(f"t is the 1-based step count and must be an integer ≥ 1; got {t!r}")
    return int(t)


def adam_step(
    params: np.ndarray,
    grad: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    t: int,
    lr: float = 1e-3,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Adam (Kingma & Ba), step t = 1, 2, …, in place on params, m and v:

    mₜ = β₁mₜ₋₁ + (1 − β₁)g;   vₜ = β₂vₜ₋₁ + (1 − β₂)g ⊙ g;
    m̂ₜ = mₜ/(1 − β₁ᵗ);   v̂ₜ = vₜ/(1 − β₂ᵗ);   xₜ₊₁ = xₜ − α m̂ₜ/(√v̂ₜ + ε).

    Note 002 writes β₁ᵗ and β₂ᵗ (powers) in the moment updates, where the
    decay rates are the constants β₁, β₂, names the corrected second moment Eₜ
    but then uses rₜ, and puts ε inside the square root. Here ε is added after
    the root, as in the paper and torch.optim.Adam.

    Claims: optimizers.adam_bias_correction, optimizers.adam_step_constant_gradient
    """
    t = _step_count(t)
    params = check_state("params", params, params)
    m = check_state("m", m, params)
    v = check_state("v", v, params)
    g = _grad(grad, params)
    step = float(lr) / (1 - float(beta1) ** t)
    beta1, beta2, eps = float(beta1), float(beta2), float(eps)
    inv_sqrt_bc2 = float(1 - beta2**t) ** -0.5

    def kernel(p, g, m, v, buf):
        m *= beta1
        np.multiply(g, 1 - beta1, out=buf)
        m += buf
        v *= beta2
        np.multiply(g, g, out=buf)
        buf *= 1 - beta2
        v += buf
        np.sqrt(v, out=buf)
        buf *= inv_sqrt_bc2  # √v̂ₜ
        buf += eps
        np.divide(m, buf, out=buf)
        buf *= step
        p -= buf

    if not _compiled_step("adam_step", [params, g, m, v], beta1, beta2, step, inv_sqrt_bc2, eps):
        _run(kernel, [params, g, m, v])
    return params, m, v
