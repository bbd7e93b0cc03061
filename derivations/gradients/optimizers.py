"""First-order optimizer steps (note 002, §§1.2–2; AdamW, Nesterov momentum, weight decay and
clipping as in PyTorch), updating arrays in place.

Every step writes the new parameters into ``params`` and the new optimizer state into the
state arrays it is given, and returns them (the same objects). ``grad`` is ∇f(xₜ) at the
current parameters, shaped like ``params``, an array of params' dtype (torch refuses a
gradient of another dtype; a list of numbers is taken in params' dtype), and an in-place step
keeps the parameters' dtype (the state arrays must have it too). State arrays start at zero,
and no two arrays of a step may share memory. Hyper-parameter defaults follow PyTorch, and so
do their bounds: what torch.optim refuses (a negative learning rate, momentum or weight decay,
Nesterov momentum without momentum) is a ValueError naming the argument.
"""

from __future__ import annotations

import math

import numpy as np

from ._claims import implements
from ._fast import fast
from ._torch_names import (
    INITIAL_ACCUMULATOR,
    NESTEROV,
    OPTIMIZER_FLAGS,
    SGD_WITHOUT_MOMENTUM,
    torch_flags,
    torch_names,
)
from ._validate import (
    as_array,
    check_disjoint,
    check_same_shape,
    check_state,
    floats,
    hyper,
    integer,
    nan_quietly,
    specials_quietly,
)

__all__ = [
    "adagrad_step",
    "adam_bias_corrected",
    "adam_step",
    "adamw_step",
    "clip_grad_norm",
    "momentum_step",
    "rmsprop_step",
    "sgd_nesterov_step",
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
    if isinstance(grad, np.ndarray | np.generic) and g.dtype != params.dtype:
        # torch: "attempting to assign a gradient with dtype 'double' to a tensor with
        # grad_dtype 'Float'"; a float64 gradient rounded into float32 parameters hides a
        # mixed-precision mistake
        raise ValueError(f"grad has dtype {g.dtype} but params {params.dtype}; torch.optim "
                         "takes a gradient of the parameters' dtype only (cast it with "
                         f".astype(np.{params.dtype}) if rounding it is meant)")
    return g.astype(params.dtype, copy=False)


def _arrays(params: np.ndarray, grad: object, **state: np.ndarray) -> tuple[np.ndarray, ...]:
    """(params, grad as params' dtype, *state), validated: shapes, dtypes, writeable, disjoint."""
    params = check_state("params", params, params)
    checked = {name: check_state(name, a, params) for name, a in state.items()}
    g = _grad(grad, params)
    check_disjoint(params=params, **checked, grad=g)
    return (params, g, *checked.values())


def _betas(beta1: float, beta2: float) -> tuple[float, float]:
    """Adam's decay rates, each in [0, 1) (torch.optim.Adam's check): β = 1 would divide by
    1 − βᵗ = 0."""
    return hyper("beta1", beta1, at_least=0, below=1), hyper("beta2", beta2, at_least=0, below=1)


def _lr(lr: float) -> float:
    """The learning rate, ≥ 0 (torch.optim's "Invalid learning rate")."""
    return hyper("lr", lr, at_least=0)


def _decay(weight_decay: float) -> float:
    """The weight decay λ ≥ 0 (torch.optim's "Invalid weight_decay value")."""
    return hyper("weight_decay", weight_decay, at_least=0)


def _sgd_bound(name: str, value: float, *, positive: bool = False) -> float:
    """A hyper-parameter of torch.optim.SGD (lr, momentum, weight_decay), which checks only
    value < 0 (momentum ≤ 0 with Nesterov): NaN passes there, and makes the parameters NaN
    as IEEE arithmetic does, as a NaN gradient would; the adaptive optimizers refuse it, as
    torch's do."""
    v = hyper(name, value)
    if v < 0 or (positive and v <= 0):
        raise ValueError(f"{name} must be {'> 0' if positive else '≥ 0'}; got {v!r}")
    return v


def _flag(name: str, value: object) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise ValueError(f"{name} must be True or False; got {value!r}")
    return bool(value)


def _direction(g: np.ndarray, params: np.ndarray, weight_decay: float,
               maximize: bool, *, sgd: bool = False) -> np.ndarray:
    """The gradient torch.optim steps along: −g if maximize (ascent), then plus λx (L2 weight
    decay, λ = weight_decay ≥ 0), in that order, as torch's. g itself when neither applies
    (a new array otherwise: grad is never written). sgd: λ checked as torch.optim.SGD checks
    it (_sgd_bound: NaN passes)."""
    if _flag("maximize", maximize):
        g = -g
    if _sgd_bound("weight_decay", weight_decay) if sgd else _decay(weight_decay):
        g = _plus_decay(g, params, weight_decay)
    return g


def _plus_decay(g: np.ndarray, params: np.ndarray, decay: float) -> np.ndarray:
    """g + λx rounded once, as torch's grad.add(param, alpha=λ), a fused multiply-add on the
    CPU (λ in the data's dtype). Two roundings move g by an ulp, which centered RMSprop with
    alpha = 0 turns into another step or NaN (its variance is g²'s rounding error). Float32
    data in float64, where λx is exact; float64 by Dekker's product λx = p + e and Knuth's
    sum. Where that is not finite (an infinite g or x, a product beyond the range) the plain
    g + λx is taken, whose ∞ and NaN are torch's."""
    with nan_quietly(), np.errstate(over="ignore"):
        if params.dtype == np.float32:
            wide = g.astype(np.float64) + float(np.float32(decay)) * params.astype(np.float64)
            return wide.astype(np.float32)
        product = decay * params
        total = g + product
        back = total - g
        sum_error = (g - (total - back)) + (product - back)  # g + p = total + sum_error
        out = total + (sum_error + _product_error(decay, params, product))
        return np.where(np.isfinite(out), out, g + product)


def _quotient_quietly() -> np.errstate:
    """NumPy's error state for an adaptive step g/(√r + ε), whose IEEE results are torch's,
    printed by neither: ∞/∞ and ∞ − ∞ after an infinite gradient (NaN); with ε = 0 and r = 0
    (a gradient of 0, or one whose square underflows, 1e-30 in float32) g/0 = ±∞ and 0/0 =
    NaN; a quotient beyond the dtype's range (r subnormal) ±∞."""
    return np.errstate(invalid="ignore", divide="ignore", over="ignore")


def _step_count(t: int) -> int:
    step = integer(t)
    if step is None or step < 1:
        raise ValueError(f"t is the 1-based step count and must be an integer ≥ 1; got {t!r}")
    return step


# ----- Plain and momentum SGD -----


@implements("optimizers.sgd_step", "optimizers.sgd_step_maximize_weight_decay")
@torch_flags(**OPTIMIZER_FLAGS, **SGD_WITHOUT_MOMENTUM)
def sgd_step(
    params: np.ndarray,
    grad: np.ndarray,
    lr: float,
    *,
    weight_decay: float = 0.0,
    maximize: bool = False,
    dampening: float = 0.0,
) -> np.ndarray:
    """xₜ₊₁ = xₜ − α∇f(xₜ), in place; torch.optim.SGD without momentum. weight_decay λ and
    maximize as torch's: the step is along ∓∇f(xₜ) + λxₜ. dampening: any real number,
    which changes nothing, as torch.optim.SGD(momentum=0, dampening=τ) takes it (τ damps a
    momentum buffer, which SGD without momentum does not keep)."""
    hyper("dampening", dampening)  # torch takes any number, and ignores it here
    params, g = _arrays(params, grad)
    lr, g = _sgd_bound("lr", lr), _direction(g, params, weight_decay, maximize, sgd=True)
    if fast("sgd_step", params, g, lr) is None:
        with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
            params -= lr * g
    return params


@implements("optimizers.momentum_step", "optimizers.momentum_step_dampening")
@torch_names(momentum="rho")
@torch_flags(**OPTIMIZER_FLAGS)
def momentum_step(
    params: np.ndarray,
    grad: np.ndarray,
    velocity: np.ndarray,
    lr: float,
    rho: float = 0.9,
    *,
    weight_decay: float = 0.0,
    maximize: bool = False,
    dampening: float = 0.0,
    t: int | None = None,
    nesterov: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """vₜ₊₁ = ρvₜ + ∇f(xₜ); xₜ₊₁ = xₜ − αvₜ₊₁ (note 002), in place; torch's SGD(momentum=ρ),
    weight_decay λ and maximize as torch's (∓∇f(xₜ) + λxₜ in place of ∇f(xₜ)).

    dampening τ, as torch's: its first step sets v₁ = g undamped, later ones vₜ₊₁ = ρvₜ +
    (1 − τ)g. A step from a zero velocity cannot tell the first step from a later one, so
    τ ≠ 0 needs t, the 1-based step count (torch keeps it); with τ = 0 both are the formula
    above and t is optional. With ρ = 0 τ changes nothing (torch's SGD without momentum
    steps along g itself), and v is g. nesterov=True, as torch's SGD(nesterov=True), is
    sgd_nesterov_step (dampening 0, ρ > 0). With t = 1 the velocity is set to g, not read, as
    torch's first step; so a momentum ρ = ∞ or NaN, which torch.optim.SGD takes (its check
    is ρ < 0), needs t too (ρ·0 is NaN there). lr, ρ and λ NaN are taken, as torch's SGD
    takes them, and make the parameters NaN."""
    if _flag("nesterov", nesterov):
        return sgd_nesterov_step(params, grad, velocity, lr, rho, weight_decay,
                                 maximize=maximize, dampening=dampening)
    params, g, velocity = _arrays(params, grad, velocity=velocity)
    lr, rho = _sgd_bound("lr", lr), _sgd_bound("rho", rho)  # torch: "Invalid momentum value"
    tau = hyper("dampening", dampening)  # torch takes any number
    if rho == 0:  # torch's SGD(momentum=0) keeps no buffer, so dampening has nothing to damp
        tau = 0.0
    if t is not None:
        t = _step_count(t)
    elif tau or not math.isfinite(rho):
        raise ValueError(f"{'dampening' if tau else f'momentum {rho}'} needs t, the 1-based "
                         "step count (torch's first step sets v = g, undamped, where "
                         "ρ·0 + (1 − τ)g differs); pass t=1 on the first step, t=2 on the "
                         "next, …")
    g = _direction(g, params, weight_decay, maximize, sgd=True)
    if t == 1 and rho != 0:  # torch's first step: v₁ = g, the velocity not read (ρ·0 would
        velocity[...] = g  # be NaN for ρ = ∞ or NaN)
        with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
            params -= lr * velocity
        return params, velocity
    if tau:
        g = g * (1 - tau)  # a new array: grad is never written
    if fast("momentum_step", params, g, velocity, lr, rho) is None:
        # ∞ − ∞ (and 0 · ∞): NaN, and ρv beyond the range: ±∞, as torch's, silently
        with nan_quietly(), np.errstate(over="ignore"):
            velocity *= rho
            velocity += g
            params -= lr * velocity
    return params, velocity


@implements("optimizers.sgd_nesterov_weight_decay_step")
@torch_names(momentum="rho")
@torch_flags(**OPTIMIZER_FLAGS, nesterov=NESTEROV)
def sgd_nesterov_step(
    params: np.ndarray,
    grad: np.ndarray,
    velocity: np.ndarray,
    lr: float,
    rho: float = 0.9,
    weight_decay: float = 0.0,
    *,
    maximize: bool = False,
    dampening: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """SGD with Nesterov momentum and (L2) weight decay, in place, as torch.optim.SGD(momentum=ρ,
    nesterov=True, weight_decay=λ) after its first step:

    g = ∇f(xₜ) + λxₜ;  vₜ₊₁ = ρvₜ + g;  xₜ₊₁ = xₜ − α(g + ρvₜ₊₁).

    (torch's first step sets v₁ = g, which is this with v₀ = 0.) ρ > 0: torch refuses Nesterov
    momentum without momentum. maximize: −∇f(xₜ) in place of ∇f(xₜ), as torch's. dampening
    must be 0, as torch.optim.SGD requires with nesterov=True.
    """
    if hyper("dampening", dampening) != 0:
        raise ValueError(f"dampening must be 0 with Nesterov momentum (torch.optim.SGD: "
                         f"'Nesterov momentum requires a momentum and zero dampening'); got "
                         f"{dampening!r}; use momentum_step for damped momentum")
    params, g, velocity = _arrays(params, grad, velocity=velocity)
    lr, rho = _sgd_bound("lr", lr), _sgd_bound("rho", rho, positive=True)
    decay = _sgd_bound("weight_decay", weight_decay)
    g = _direction(g, params, 0.0, maximize)
    if fast("sgd_nesterov_step", params, g, velocity, lr, rho, decay) is None:
        # ∞ − ∞ (and 0 · ∞): NaN, and ρv beyond the range: ±∞, as torch's, silently
        with nan_quietly(), np.errstate(over="ignore"):
            # no decay term at λ = 0, as torch's: 0 · x is NaN at an infinite parameter
            g = g + decay * params if decay else g.copy()  # a new array: grad is not written
            velocity *= rho
            velocity += g
            g += rho * velocity  # g + ρvₜ₊₁, in g's own buffer
            params -= lr * g
    return params, velocity


# ----- Adaptive learning rates -----


@implements("optimizers.adagrad_step", "optimizers.adagrad_step_nonnegative_accumulator",
            "optimizers.adagrad_step_lr_decay")
@torch_flags(**OPTIMIZER_FLAGS, initial_accumulator_value=INITIAL_ACCUMULATOR)
def adagrad_step(
    params: np.ndarray,
    grad: np.ndarray,
    sum_sq: np.ndarray,
    lr: float,
    eps: float = 1e-10,
    *,
    weight_decay: float = 0.0,
    lr_decay: float = 0.0,
    t: int | None = None,
    maximize: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """rₜ = rₜ₋₁ + g ⊙ g;  xₜ₊₁ = xₜ − α g / (√rₜ + ε), in place (g = ∇f(xₜ)).

    torch.optim.Adagrad's options: weight_decay λ and maximize (g = ∓∇f(xₜ) + λxₜ), lr_decay
    η (α/(1 + (t − 1)η) at step t = 1, 2, …, so t is required with η > 0), and
    initial_accumulator_value, which is r₀: fill sum_sq with it before the first step.

    This is the standard AdaGrad (and torch.optim.Adagrad). Note 002 writes α/√(rₜ + ε): ε
    inside the root. The two agree to first order in ε when rₜ ≫ ε and differ when rₜ ≈ 0
    (step α g/√ε vs α g/ε).
    """
    params, g, sum_sq = _arrays(params, grad, sum_sq=sum_sq)
    lr, eps = _lr(lr), hyper("eps", eps, at_least=0)
    if decay := hyper("lr_decay", lr_decay, at_least=0):  # torch: "Invalid lr_decay value"
        if t is None:
            raise ValueError("lr_decay > 0 needs t, the 1-based step count (torch keeps it)")
        lr /= 1 + (_step_count(t) - 1) * decay
    elif t is not None:
        _step_count(t)
    g = _direction(g, params, weight_decay, maximize)
    if fast("adagrad_step", params, g, sum_sq, lr, eps) is None:
        with np.errstate(over="ignore"):  # |g| beyond √max: the sum is ∞, as torch's
            sum_sq += g * g
        with _quotient_quietly():
            params -= lr * g / (np.sqrt(sum_sq) + eps)
    return params, sum_sq


@implements("optimizers.rmsprop_step", "optimizers.rmsprop_step_nonnegative_average",
            "optimizers.rmsprop_step_centered_momentum")
@torch_names(alpha="beta")
@torch_flags(**OPTIMIZER_FLAGS)
def rmsprop_step(
    params: np.ndarray,
    grad: np.ndarray,
    sq_avg: np.ndarray,
    lr: float,
    beta: float = 0.99,
    eps: float = 1e-8,
    *,
    weight_decay: float = 0.0,
    maximize: bool = False,
    momentum: float = 0.0,
    momentum_buffer: np.ndarray | None = None,
    centered: bool = False,
    grad_avg: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """rₜ = βrₜ₋₁ + (1 − β) g ⊙ g;  xₜ₊₁ = xₜ − α g / (√rₜ + ε), in place.

    torch.optim.RMSprop's options: weight_decay λ and maximize (g = ∓∇f(xₜ) + λxₜ);
    centered, with its state grad_avg (zeros at first): ḡₜ = βḡₜ₋₁ + (1 − β)g and the
    denominator √(rₜ − ḡₜ²) + ε; momentum μ > 0, with its state momentum_buffer (zeros at
    first): bₜ = μbₜ₋₁ + g/(denominator), xₜ₊₁ = xₜ − αbₜ. The state arrays are updated in
    place; the function returns (params, sq_avg) either way.

    Standard RMSProp (torch.optim.RMSprop with alpha=β). Note 002 writes √(rₜ + β) in the
    denominator, a typo: β is the decay rate, not a stabiliser (with β = 0.99 it would cap
    every step near α|g|). 1 − β is computed in float64 before it meets float32 data, and
    (1 − β)g before it is multiplied by g again (as torch), so a float32 gradient above
    √(float32 max) ≈ 1.8e19 does not make rₜ infinite (and the step 0).
    """
    mu = hyper("momentum", momentum, at_least=0)  # torch: "Invalid momentum value"
    extra = {"momentum_buffer": _optional_state(mu > 0, "momentum_buffer", momentum_buffer,
                                                "momentum > 0"),
             "grad_avg": _optional_state(_flag("centered", centered), "grad_avg", grad_avg,
                                         "centered=True")}
    params, g, sq_avg, *_ = _arrays(params, grad, sq_avg=sq_avg,
                                    **{k: a for k, a in extra.items() if a is not None})
    lr, beta, eps = _lr(lr), hyper("beta", beta, at_least=0), hyper("eps", eps, at_least=0)
    g = _direction(g, params, weight_decay, maximize)
    plain = mu == 0 and not centered
    if plain and fast("rmsprop_step", params, g, sq_avg, lr, beta, eps) is not None:
        return params, sq_avg
    # |g| beyond √max: r = ∞, as torch's, silently; 0 · ∞ (β = 1, or a β below the dtype's
    # smallest subnormal, against an infinite g or r): NaN, as torch's, silently
    with np.errstate(over="ignore", invalid="ignore"):
        sq_avg *= beta
        sq_avg += (1 - beta) * g * g  # ((1 − β)g)g, as torch's addcmul: g² may overflow
    if centered:
        avg = extra["grad_avg"]
        with nan_quietly():  # 0 · ∞ as above
            avg *= beta
            avg += (1 - beta) * g
        with nan_quietly():  # a zero variance less the ulp of g²: √ of a negative, NaN as torch's
            denom = np.sqrt(_minus_square(sq_avg, avg))
    else:
        denom = np.sqrt(sq_avg)
    denom += eps
    with _quotient_quietly():
        if mu > 0:
            buf = extra["momentum_buffer"]
            buf *= mu
            buf += g / denom
            params -= lr * buf
        else:
            params -= lr * g / denom
    return params, sq_avg


def _minus_square(r: np.ndarray, a: np.ndarray) -> np.ndarray:
    """r − a ⊙ a as torch's addcmul(r, a, a, value=−1), a fused multiply-add on the CPU: a² is
    not rounded on its own there. Where the variance is 0 (RMSprop with alpha = 0, r = fl(g²)
    and a = g) torch's result is the rounding error of g², ±1 ulp, and r − fl(a²) is 0: so
    a² is carried exactly, in float64 for float32 data (a float32's square is exact there)
    and as Dekker's product fl(a²) + e for float64. r = ∞ stays ∞ where a² alone overflows
    (r − a² in two steps gave ∞ − ∞ = NaN, and a NaN parameter where torch's does not move)."""
    with np.errstate(over="ignore", invalid="ignore"):
        if r.dtype == np.float32:
            wide = a.astype(np.float64)
            out = (r.astype(np.float64) - wide * wide).astype(np.float32)
        else:
            square = a * a
            out = (r - square) - _square_error(a, square)
            out = np.where(np.isfinite(out), out, r - square)
    return np.where(np.isposinf(r) & np.isfinite(a), r, out)


def _split(a):
    """a = hi + lo exactly, each half of 26 bits (Dekker's split, 2²⁷ + 1)."""
    c = 134217729.0 * a
    hi = c - (c - a)
    return hi, a - hi


def _square_error(a: np.ndarray, square: np.ndarray) -> np.ndarray:
    """e with a² = fl(a²) + e exactly (Dekker's product)."""
    hi, lo = _split(a)
    return ((hi * hi - square) + 2 * hi * lo) + lo * lo


def _product_error(a: float, b: np.ndarray, product: np.ndarray) -> np.ndarray:
    """e with a·b = fl(a·b) + e exactly (Dekker's product)."""
    (ah, al), (bh, bl) = _split(a), _split(b)
    return ((ah * bh - product) + ah * bl + al * bh) + al * bl


def _optional_state(wanted: bool, name: str, a: np.ndarray | None,
                    option: str) -> np.ndarray | None:
    """A state array an option needs (None when the option is off), checked with the rest."""
    if wanted and a is None:
        raise ValueError(f"{option} needs {name}, the state array it updates in place "
                         "(zeros before the first step)")
    if not wanted and a is not None:
        raise ValueError(f"{name} is given but {option} is not set; set it (as torch.optim's "
                         "option) or leave the array out")
    return a


@implements("optimizers.adam_bias_correction")
def adam_bias_corrected(
    m: np.ndarray, v: np.ndarray, t: int, beta1: float = 0.9, beta2: float = 0.999
) -> tuple[np.ndarray, np.ndarray]:
    """m̂ₜ = mₜ/(1 − β₁ᵗ), v̂ₜ = vₜ/(1 − β₂ᵗ) (new arrays). With a constant gradient g and zero
    initial moments, m̂ₜ = g and v̂ₜ = g ⊙ g for every t ≥ 1."""
    t = _step_count(t)
    beta1, beta2 = _betas(beta1, beta2)
    m, v = floats(m=m, v=v)
    check_same_shape("v", v, "m", m)
    with np.errstate(over="ignore"):  # β near 1: a quotient past the range is ±∞, as torch's
        return as_array(m / (1 - beta1**t)), as_array(v / (1 - beta2**t))


def _adam_moments(g, m, v, t: int, lr: float, beta1: float, beta2: float, eps: float,
                  max_v: np.ndarray | None = None):
    """The moment updates and x's step direction α m̂ₜ/(√v̂ₜ + ε), moments in place; with
    max_v (AMSGrad), v̂ₜ from max_v = max(max_v, vₜ), updated in place, instead of vₜ."""
    # |g| beyond √max: v = ∞, as torch's, silently; 0 · ∞ (a β below the dtype's smallest
    # subnormal, which rounds to 0 there, against an infinite moment): NaN, as torch's
    with np.errstate(over="ignore", invalid="ignore"):
        m *= beta1
        m += (1 - beta1) * g
        v *= beta2
        v += (1 - beta2) * g * g  # ((1 − β₂)g)g, as torch's addcmul: g² alone overflows float32
    if max_v is not None:
        v = np.maximum(max_v, v, out=max_v)  # NaN propagates, as torch.maximum's
    step = lr / (1 - beta1**t)
    with _quotient_quietly():
        return step * m / (np.sqrt(v) * (1 - beta2**t) ** -0.5 + eps)


@implements("optimizers.adam_bias_correction", "optimizers.adam_step_constant_gradient")
@torch_names(betas=("beta1", "beta2"))
@torch_flags(**OPTIMIZER_FLAGS)
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
    *,
    weight_decay: float = 0.0,
    amsgrad: bool = False,
    max_v: np.ndarray | None = None,
    maximize: bool = False,
    decoupled_weight_decay: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Adam (Kingma & Ba), step t = 1, 2, …, in place on params, m and v:

    mₜ = β₁mₜ₋₁ + (1 − β₁)g;   vₜ = β₂vₜ₋₁ + (1 − β₂)g ⊙ g;
    m̂ₜ = mₜ/(1 − β₁ᵗ);   v̂ₜ = vₜ/(1 − β₂ᵗ);   xₜ₊₁ = xₜ − α m̂ₜ/(√v̂ₜ + ε).

    Note 002 writes β₁ᵗ and β₂ᵗ (powers) in the moment updates, where the decay rates are the
    constants β₁, β₂, names the corrected second moment Eₜ but then uses rₜ, and puts ε inside
    the square root. Here ε is added after the root, as in the paper and torch.optim.Adam.

    (1 − β₂)g ⊙ g is computed as ((1 − β₂)g) ⊙ g, as torch's addcmul: a float32 gradient
    above √(float32 max) ≈ 1.8e19 keeps vₜ finite (g ⊙ g first would make it ∞, the step 0).

    An infinite gradient entry makes mₜ ±∞ by this formula; torch computes mₜ as a lerp,
    mₜ₋₁ + (1 − β₁)(g − mₜ₋₁), which gives NaN from the second such step (∞ − ∞). The
    parameter is NaN either way.

    torch.optim.Adam's options: weight_decay λ (L2: g = ∇f(xₜ) + λxₜ; decoupled decay is
    adamw_step), maximize (−∇f(xₜ) first), amsgrad with its state max_v (zeros at first):
    max_v = max(max_v, vₜ) and v̂ₜ = max_v/(1 − β₂ᵗ), in place. decoupled_weight_decay=True
    (torch.optim.Adam's, 2.6 on) makes the decay decoupled: the step is adamw_step's.
    """
    if _flag("decoupled_weight_decay", decoupled_weight_decay):
        return adamw_step(params, grad, m, v, t, lr, beta1, beta2, eps, weight_decay,
                          amsgrad=amsgrad, max_v=max_v, maximize=maximize)
    t = _step_count(t)
    max_v = _optional_state(_flag("amsgrad", amsgrad), "max_v", max_v, "amsgrad=True")
    params, g, m, v, *_ = _arrays(params, grad, m=m, v=v,
                                  **({} if max_v is None else {"max_v": max_v}))
    lr, (beta1, beta2), eps = _lr(lr), _betas(beta1, beta2), hyper("eps", eps, at_least=0)
    g = _direction(g, params, weight_decay, maximize)
    step, inv_sqrt_bc2 = lr / (1 - beta1**t), (1 - beta2**t) ** -0.5
    if max_v is not None or fast("adam_step", params, g, m, v, step, beta1, beta2,
                                 inv_sqrt_bc2, eps) is None:
        params -= _adam_moments(g, m, v, t, lr, beta1, beta2, eps, max_v)
    return params, m, v


@implements("optimizers.adamw_step_decoupled")
@torch_names(betas=("beta1", "beta2"))
@torch_flags(**OPTIMIZER_FLAGS)
def adamw_step(
    params: np.ndarray,
    grad: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    t: int,
    lr: float = 1e-3,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    weight_decay: float = 1e-2,
    *,
    amsgrad: bool = False,
    max_v: np.ndarray | None = None,
    maximize: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """AdamW (Loshchilov & Hutter; torch.optim.AdamW), in place: the weight decay is decoupled
    from the gradient, xₜ₊₁ = (1 − αλ)xₜ − α m̂ₜ/(√v̂ₜ + ε), moments as in adam_step;
    amsgrad (with max_v) and maximize as adam_step's."""
    t = _step_count(t)
    max_v = _optional_state(_flag("amsgrad", amsgrad), "max_v", max_v, "amsgrad=True")
    params, g, m, v, *_ = _arrays(params, grad, m=m, v=v,
                                  **({} if max_v is None else {"max_v": max_v}))
    lr, (beta1, beta2), eps = _lr(lr), _betas(beta1, beta2), hyper("eps", eps, at_least=0)
    keep = 1 - lr * _decay(weight_decay)
    g = _direction(g, params, 0.0, maximize)
    step, inv_sqrt_bc2 = lr / (1 - beta1**t), (1 - beta2**t) ** -0.5
    if max_v is not None or fast("adam_step", params, g, m, v, step, beta1, beta2,
                                 inv_sqrt_bc2, eps, keep) is None:
        with specials_quietly():  # a decay 1 − αλ past the dtype's range: ±∞, as torch's
            params *= keep
        params -= _adam_moments(g, m, v, t, lr, beta1, beta2, eps, max_v)
    return params, m, v


# ----- Gradient clipping -----


SQUARES_BLOCK = 1 << 14  # entries a dot product sums in the array's own precision


def _sum_of_squares(g: np.ndarray) -> float:
    """Σ g²: dot products (BLAS) over blocks of SQUARES_BLOCK entries in g's dtype, added in
    float64, so a float32 sum rounds like a sum of 2¹⁴ terms (relative error near 1e-6), not
    like one of all the entries."""
    flat = g.ravel()
    blocks = (flat[i : i + SQUARES_BLOCK] for i in range(0, flat.size, SQUARES_BLOCK))
    with np.errstate(over="ignore", under="ignore"):  # checked below
        total = sum(float(np.dot(b, b)) for b in blocks)
    if math.isfinite(total) and (total > 1e-20 or not flat.any()):
        return total
    # a float32 square overflowed (|g| ≳ 2e19) or underflowed (|g| ≲ 1e-19), or g holds NaN
    with np.errstate(over="ignore"):  # beyond float64's range: ∞, as torch's norm
        return float(np.square(flat, dtype=np.float64).sum())


def _p_norm_power(arrays: list[np.ndarray], p: float, scale: float) -> float:
    """Σ over all arrays of Σ (|g|/scale)^p, in float64 (scale: the largest |g| for p > 0, the
    smallest for p < 0, so no power overflows or underflows to 0 before the sum)."""
    return sum(float(np.sum((np.abs(g, dtype=np.float64) / scale) ** p)) for g in arrays)


def _arrays_with_a_nonzero(arrays: list[np.ndarray]) -> float:
    """torch's total norm of order 0: the 0-"norm" (count of nonzeros) of the per-array counts
    of nonzero entries, i.e. how many arrays hold an entry ≠ 0 (a NaN is ≠ 0, as in torch)."""
    return float(sum(bool(np.any(g != 0)) for g in arrays))


def _negative_order_norm(arrays: list[np.ndarray], p: float) -> float:
    """(Σ |g|^p)^(1/p) for p < 0 (−∞: the smallest |entry|), in float64: 0 if any entry is 0,
    an infinite entry adds 0, NaN if any entry is NaN; scaled by the smallest |entry| so
    that every power lies in [0, 1] and the sum in [1, n]. An empty array adds nothing."""
    if any(np.isnan(g).any() for g in arrays):
        return math.nan
    smallest = min((float(np.min(np.abs(g))) for g in arrays if g.size), default=math.inf)
    if p == -math.inf or smallest in (0, math.inf):
        return smallest
    with np.errstate(over="ignore"):  # |g|/smallest = ∞ (smallest subnormal): its power is 0
        return smallest * _p_norm_power(arrays, p, smallest) ** (1 / p)


def _global_norm(arrays: list[np.ndarray], p: float) -> float:
    """‖(g₁, …, gₖ)‖_p over every entry of every array, in float64 (torch's norm of the
    per-array norms, which is the same number for p ≠ 0); NaN if any entry is NaN. p = 0
    is torch's count of the arrays holding a nonzero entry (see clip_grad_norm)."""
    if p == 2:
        return math.sqrt(sum(_sum_of_squares(g) for g in arrays))
    if p == 0:
        return _arrays_with_a_nonzero(arrays)
    if p < 0:
        return _negative_order_norm(arrays, p)
    with np.errstate(invalid="ignore"):
        largest = max(float(np.max(np.abs(g), initial=0)) for g in arrays)
    if any(np.isnan(g).any() for g in arrays):
        return math.nan
    if p == math.inf or largest in (0, math.inf):
        return largest
    return largest * _p_norm_power(arrays, p, largest) ** (1 / p)


def _norm_order(norm_type: object) -> object:
    """A string such as 'inf' or '2' read as torch reads it, float(norm_type); other values
    are left to hyper's check."""
    if not isinstance(norm_type, str):
        return norm_type
    try:
        return float(norm_type)
    except ValueError:
        raise ValueError(
            f"norm_type must be a number, math.inf or a string float() reads ('inf'); got "
            f"{norm_type!r} (torch's clip_grad_norm_ refuses it too)"
        ) from None


def _gradient_list(grads: object) -> list:
    """The gradients to clip as a list, taken as torch's clip_grad_norm_ takes its parameters:
    one array, or any iterable of them (a list, a tuple, a generator; empty: none)."""
    if isinstance(grads, np.ndarray):
        return [grads]
    if isinstance(grads, str | bytes) or not hasattr(grads, "__iter__"):
        raise ValueError(f"grads must be an array or an iterable of arrays (each clipped in "
                         f"place); got {type(grads).__name__}")
    return list(grads)


@implements("optimizers.clip_by_global_norm")
@torch_names(parameters="grads")
@torch_flags(foreach=OPTIMIZER_FLAGS["foreach"])
def clip_grad_norm(
    grads: list[np.ndarray],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    *,
    eps: float = 1e-6,
) -> float | np.floating:
    """Scale every gradient in place by min(1, c/(‖g‖ + ε)), ‖g‖ the global p-norm over all
    the arrays, p = norm_type (2, the Euclidean norm, by default; any p > 0 or math.inf, the
    largest |entry|; a string is read by float(), as torch: 'inf' is ∞), as
    torch.nn.utils.clip_grad_norm_(grads, max_norm, norm_type, error_if_nonfinite) in the same
    argument order; returns ‖g‖ before clipping, a NumPy scalar of the gradients' dtype (their
    promotion: float32 for float32 gradients, as torch's total_norm tensor).

    torch also takes the orders that are no norms, and so does this: p < 0 is (Σ|g|^p)^(1/p)
    over every entry (0 if any entry is 0; −math.inf, or '-inf': the smallest |entry|), and
    p = 0 is what torch computes, the norm of the per-array norms ‖(‖g₁‖₀, …, ‖gₖ‖₀)‖₀: the
    number of arrays holding an entry ≠ 0 (NaN included), not the count of nonzero entries.

    As torch's: a NaN norm (a NaN in any gradient) scales every gradient by NaN, and an
    infinite one by 0 (so its infinite entries become NaN); with error_if_nonfinite such a
    norm is an error instead (ValueError here, RuntimeError in torch) and nothing is
    scaled. ε (keyword only: torch fixes it at 1e-6) keeps c/‖g‖ finite at a zero norm.
    The norm is summed in float64: float32 gradients near 1e19 and above have their finite
    norm here, where torch's float32 sum of squares overflows to ∞ and zeroes them all. An
    empty array adds nothing to any norm (torch's ∞-norm refuses one). grads may be one array
    or any iterable of arrays, as torch's parameters; none at all have the norm 0. A None in
    the iterable is skipped, as torch skips a parameter whose .grad is None."""
    max_norm, eps = hyper("max_norm", max_norm), hyper("eps", eps)
    p = hyper("norm_type", _norm_order(norm_type))
    if math.isnan(p):
        raise ValueError("norm_type must be a number or ±inf; got nan")
    if not isinstance(error_if_nonfinite, bool | np.bool_):
        raise ValueError(f"error_if_nonfinite must be True or False; got {error_if_nonfinite!r}")
    given = {f"grads[{i}]": g for i, g in enumerate(_gradient_list(grads)) if g is not None}
    if not given:  # torch: a norm of 0 over no gradients, nothing to scale
        return 0.0
    arrays = [check_state(name, g, g) for name, g in given.items()]
    check_disjoint(**given)
    norm = _global_norm(arrays, p)
    if error_if_nonfinite and not math.isfinite(norm):
        raise ValueError(
            f"the total norm of order {p} of the gradients is {norm}, so they cannot be "
            "clipped (error_if_nonfinite=True); nothing was scaled"
        )
    scale = max_norm / (norm + eps) if norm + eps else math.inf
    if not scale >= 1:  # NaN too: min(1, NaN) is NaN, as torch's clamp has it
        with nan_quietly():  # an infinite entry times the scale 0: NaN, as torch's
            for g in arrays:
                g *= scale
    # the float64 sum rounded once to the gradients' dtype (beyond float32's range: ∞, as
    # torch's float32 norm, silently)
    with np.errstate(over="ignore"):
        return np.result_type(*arrays).type(norm)
