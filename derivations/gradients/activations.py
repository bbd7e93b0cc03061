"""Activation functions and their elementwise derivatives (note 002, §3; GELU, SiLU, ELU and
softplus as in PyTorch).

Each ``*_grad`` returns the elementwise derivative f'(z) (same shape and dtype as z); multiply
it by an upstream gradient for backpropagation. At a kink the one-sided derivative from the
left is used: ReLU'(0) = 0 and LeakyReLU'(0) = a, the notes' "otherwise" branch (z ≤ 0).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from ._claims import implements
from ._fast import fast
from ._special import normal_cdf
from ._torch_names import INPLACE, torch_flags, torch_names
from ._validate import as_array, floats, hyper, nan_quietly, not_boolean

__all__ = [
    "elu",
    "elu_grad",
    "gelu",
    "gelu_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "relu",
    "relu_grad",
    "sigmoid_grad",
    "silu",
    "silu_grad",
    "softplus",
    "softplus_grad",
    "tanh_grad",
]


def stable_sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = e^{min(z, 0)}/(1 + e^{−|z|}): neither exponent is positive, so nothing overflows,
    and for very negative z the result keeps full relative precision (no 1 − σ cancellation)."""
    return np.exp(np.minimum(z, 0)) / (1 + np.exp(-np.abs(z)))


# ----- Sigmoid and tanh -----


@implements("activations.sigmoid_derivative", "activations.sigmoid_derivative_elementwise")
def sigmoid_grad(z: ArrayLike) -> np.ndarray:
    """σ'(z) = σ(z)(1 − σ(z)), computed as e/(1 + e)² with e = e^{−|z|}.

    Equal since σ(z)(1 − σ(z)) = σ(z)σ(−z) is even in z; no overflow and no cancellation for
    large |z|.
    """
    (z,) = floats(z=z)
    if (out := fast("sigmoid_grad", z)) is not None:
        return out
    e = np.exp(-np.abs(z))
    return as_array(e / (1 + e) ** 2)


@implements("activations.tanh_derivative", "activations.tanh_derivative_elementwise")
def tanh_grad(z: ArrayLike) -> np.ndarray:
    """tanh'(z) = 1 − tanh²(z), computed as 4e/(1 + e)² with e = e^{−2|z|}.

    Equal since tanh z = 2σ(2z) − 1 gives 1 − tanh² z = 4σ(2z)σ(−2z); this form keeps full
    relative precision in the tails, where 1 − tanh² cancels.
    """
    (z,) = floats(z=z)
    with np.errstate(over="ignore"):  # 2|z| beyond the range (|z| > max/2): e = 0, right
        if (out := fast("tanh_grad", z)) is not None:
            return out
        e = np.exp(-2 * np.abs(z))
    return as_array(4 * e / (1 + e) ** 2)


# ----- ReLU and LeakyReLU -----


@implements("activations.relu_derivative", "activations.relu_via_abs")
@torch_names(input="z")
@torch_flags(inplace=INPLACE)
def relu(z: ArrayLike) -> np.ndarray:
    """ReLU(z) = z if z > 0 else 0."""
    (z,) = floats(z=not_boolean("z", z, "relu"))
    return as_array(np.maximum(z, 0))


@implements("activations.relu_derivative", "activations.relu_derivative_elementwise")
def relu_grad(z: ArrayLike) -> np.ndarray:
    """ReLU'(z) = 1[z > 0] (0 at z = 0 by convention, and at NaN, where torch's gives 1)."""
    (z,) = floats(z=not_boolean("z", z, "relu_grad"))
    if (out := fast("relu_grad", z)) is not None:
        return out
    return as_array(z > 0).astype(z.dtype)


@implements("activations.leaky_relu_derivative", "activations.leaky_relu_via_abs")
@torch_names(input="z")
@torch_flags(inplace=INPLACE)
def leaky_relu(z: ArrayLike, negative_slope: float = 0.01) -> np.ndarray:
    """LeakyReLU(z) = z if z > 0 else a·z, a = negative_slope (torch's name for it)."""
    (z,) = floats(z=not_boolean("z", z, "leaky_relu"))
    a = hyper("negative_slope", negative_slope)
    # a·z beyond the range for |a| > 1: ±∞; an infinite slope at z = 0: NaN; as torch's
    with np.errstate(over="ignore", invalid="ignore"):
        return np.where(z > 0, z, a * z)


@implements("activations.leaky_relu_derivative", "activations.leaky_relu_derivative_elementwise")
def leaky_relu_grad(z: ArrayLike, negative_slope: float = 0.01) -> np.ndarray:
    """LeakyReLU'(z) = 1 if z > 0 else a (a = negative_slope; a at z = 0 by convention)."""
    (z,) = floats(z=not_boolean("z", z, "leaky_relu_grad"))
    a = hyper("negative_slope", negative_slope)
    if (out := fast("leaky_relu_grad", z, a)) is not None:
        return out
    return np.where(z > 0, z.dtype.type(1), z.dtype.type(a))


# ----- GELU, SiLU, ELU, softplus -----

_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_GELU_CUBIC = 0.044715  # the tanh approximation's constant (Hendrycks & Gimpel; PyTorch)


def _check_approximate(approximate: str) -> str:
    if approximate not in ("none", "tanh"):
        raise ValueError(f"approximate must be 'none' (erf) or 'tanh'; got {approximate!r}")
    return approximate


@implements("activations.gelu_as_normal_cdf", "activations.gelu_tanh_as_sigmoid")
@torch_names(input="z")
def gelu(z: ArrayLike, approximate: str = "none") -> np.ndarray:
    """GELU(z) = z Φ(z), Φ the standard normal CDF, Φ(z) = ½(1 + erf(z/√2)) (approximate="none");
    or z · ½(1 + tanh(√(2/π)(z + 0.044715 z³))) = z σ(2√(2/π)(z + 0.044715 z³)) ("tanh")."""
    (z,) = floats(z=not_boolean("z", z, "gelu"))
    with np.errstate(over="ignore"), nan_quietly():  # z³ = ±∞ far out (σ saturates: right);
        # −∞ · 0 at z = −∞: NaN, as torch's
        if _check_approximate(approximate) == "tanh":
            return as_array(z * stable_sigmoid(2 * _SQRT_2_OVER_PI * (z + _GELU_CUBIC * z**3)))
        return as_array(z * normal_cdf(z))


@implements("activations.gelu_derivative", "activations.gelu_tanh_derivative")
def gelu_grad(z: ArrayLike, approximate: str = "none") -> np.ndarray:
    """GELU'(z) = Φ(z) + z φ(z), φ(z) = e^{−z²/2}/√(2π) (approximate="none"); for "tanh",
    with u = √(2/π)(z + 0.044715 z³) and s = σ(2u): s + z · 2s(1 − s) · u' = s(1 + 2z(1 − s)u'),
    where u' = √(2/π)(1 + 3·0.044715 z²); s itself where s is 0 or 1 at a finite z (2zu'
    may overflow there)."""
    (z,) = floats(z=not_boolean("z", z, "gelu_grad"))
    if (out := fast("gelu_grad", z, _check_approximate(approximate))) is not None:
        return out
    if approximate == "tanh":
        return as_array(_gelu_tanh_grad(z))
    with np.errstate(over="ignore"), nan_quietly():  # z² = ∞ (e^{−z²/2} = 0) far out;
        # ±∞ · 0 at z = ±∞: NaN, as torch's
        return as_array(normal_cdf(z) + z * np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi))


def _gelu_tanh_grad(z: np.ndarray) -> np.ndarray:
    """s(1 + 2z(1 − s)u') of gelu_grad's tanh form; s itself where s is 0 or 1 at a finite z.
    There the product is s exactly, but 2zu' overflows (|z| ≳ 1e13 in float32, 1e102 in
    float64) and 0 · ∞ gave NaN where torch's float64 (and its float32 below 0) has 0 or 1.
    z = ±∞ stays NaN, as torch's."""
    with np.errstate(over="ignore"), nan_quietly():
        t = z * z
        s = stable_sigmoid(2 * _SQRT_2_OVER_PI * z * (1 + _GELU_CUBIC * t))
        du = _SQRT_2_OVER_PI * (1 + 3 * _GELU_CUBIC * t)
        out = s * (1 + 2 * z * (1 - s) * du)
    return np.where(((s == 0) | (s == 1)) & np.isfinite(z), s, out)


@implements("activations.silu_as_written")
@torch_names(input="z")
@torch_flags(inplace=INPLACE)
def silu(z: ArrayLike) -> np.ndarray:
    """SiLU(z) = z σ(z) (also called swish)."""
    (z,) = floats(z=not_boolean("z", z, "silu"))
    with nan_quietly():  # −∞ · 0 at z = −∞: NaN, as torch's
        return as_array(z * stable_sigmoid(z))


@implements("activations.silu_derivative")
def silu_grad(z: ArrayLike) -> np.ndarray:
    """SiLU'(z) = σ(z)(1 + z(1 − σ(z)))."""
    (z,) = floats(z=not_boolean("z", z, "silu_grad"))
    if (out := fast("silu_grad", z)) is not None:
        return out
    s = stable_sigmoid(z)
    with nan_quietly():  # ∞ · 0 at z = ±∞: NaN, as torch's
        return as_array(s * (1 + z * (1 - s)))


@implements("activations.elu_via_relu")
@torch_names(input="z")
@torch_flags(inplace=INPLACE)
def elu(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    """ELU(z) = z if z ≥ 0 else α(e^z − 1) (computed with expm1: accurate near 0). z at z = ±0
    itself, as torch's: ±0 whatever α, also α = ±∞ (where α(e^0 − 1) would be NaN)."""
    (z,) = floats(z=not_boolean("z", z, "elu"))
    alpha = hyper("alpha", alpha)
    with nan_quietly():  # α = ±∞ times e^z − 1 = 0 where z ≥ 0 (not kept there)
        return np.where(z >= 0, z, alpha * np.expm1(np.minimum(z, 0)))


@implements("activations.elu_derivative")
def elu_grad(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    """ELU'(z) = 1 if z > 0 else α e^z (α at z = 0 by the left-hand convention; NaN at NaN,
    where torch's elu_backward, testing z ≤ 0, passes the upstream gradient on unchanged)."""
    (z,) = floats(z=not_boolean("z", z, "elu_grad"))
    alpha = hyper("alpha", alpha)
    if (out := fast("elu_grad", z, alpha)) is not None:
        return out
    with nan_quietly():  # α = ±∞ times e^−∞ = 0: NaN, as torch's
        return np.where(z > 0, z.dtype.type(1), alpha * np.exp(np.minimum(z, 0)))


def _softplus_args(beta: float, threshold: float | None) -> tuple[float, float]:
    """(β, the threshold on βz, ∞ for none). β = 0 is taken, as torch takes it: softplus is
    then log 2/β = ±∞ (the sign of β's zero; its limit as β → 0±) and its derivative σ(0) = ½,
    except where 0 · z > threshold (z itself, derivative 1), as torch's."""
    beta = hyper("beta", beta)
    return beta, math.inf if threshold is None else hyper("threshold", threshold)


@implements("activations.softplus_as_log_sigmoid", "activations.softplus_beta_stable")
@torch_names(input="z")
def softplus(z: ArrayLike, beta: float = 1.0, threshold: float | None = None) -> np.ndarray:
    """softplus(z) = (1/β) log(1 + e^{βz}), computed as max(βz, 0)/β + log1p(e^{−|βz|})/β (no
    overflow; the first term is z or 0); β = beta, 1 by default, as
    torch.nn.functional.softplus(z, beta) (β = 0: ±∞, see _softplus_args).

    threshold: None (the default) keeps this formula at every z. torch's own default, 20,
    returns z itself where βz > 20, which differs from the formula by e^{−βz}/β < 2.1e-9/β;
    pass threshold=20 (or any number) for torch's result."""
    (z,) = floats(z=not_boolean("z", z, "softplus"))
    beta, threshold = _softplus_args(beta, threshold)
    # βz beyond the range for |β| > 1: ±∞, e^{−∞} = 0; a β that is 0 (or 0 in float32, below
    # its subnormals) divides by 0: ±∞, and makes 0 · ±∞ = NaN at z = ±∞, as torch's
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        bz = beta * z
        # max(βz, 0)/β is z where βz > 0: z itself, also where βz overflows (∞/β was ∞)
        out = np.where(bz > 0, z, 0) + np.log1p(np.exp(-np.abs(bz))) / beta
    return as_array(np.where(bz > threshold, z, out) if threshold < math.inf else out)


@implements("activations.softplus_derivative", "activations.softplus_beta_derivative")
def softplus_grad(z: ArrayLike, beta: float = 1.0, threshold: float | None = None) -> np.ndarray:
    """softplus'(z) = σ(βz); 1 where βz > threshold if one is given (as softplus; torch's
    softplus has derivative 1 above its threshold, βz > 20 by default)."""
    (z,) = floats(z=not_boolean("z", z, "softplus_grad"))
    beta, threshold = _softplus_args(beta, threshold)
    if beta == 1 and threshold == math.inf and (out := fast("sigmoid", z)) is not None:
        return out
    # βz beyond the range for |β| > 1: ±∞, σ = 1 or 0; β = 0 at z = ±∞: NaN, as torch's
    with np.errstate(over="ignore", invalid="ignore"):
        bz = beta * z
    s = stable_sigmoid(bz)
    return as_array(np.where(bz > threshold, z.dtype.type(1), s) if threshold < math.inf else s)
