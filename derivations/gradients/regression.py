"""Linear, ridge and lasso regression (notes 001, 002, 004) and the robust regression losses
(Huber and L1, as in PyTorch).

Conventions: X is N × d with samples as rows, theta has length d, y length N. Losses are means
over samples.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from ._claims import implements
from ._fast import fast
from ._torch_names import LEGACY_REDUCTION, torch_flags, torch_names
from ._validate import (
    as_array,
    check_X_y_theta,
    floats,
    grad_output_for,
    hyper,
    nan_quietly,
    reduced,
    reduction_of,
    require_samples,
    specials_quietly,
    upstream_quietly,
)

__all__ = [
    "huber_grad",
    "huber_loss",
    "l1_grad",
    "l1_loss",
    "lasso_loss",
    "lasso_subgrad",
    "linear_regression_grad",
    "linear_regression_loss",
    "mse_grad",
    "mse_loss",
    "normal_equation",
    "ridge_grad",
    "ridge_loss",
    "smooth_l1_grad",
    "smooth_l1_loss",
]


def _prepare(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> list[np.ndarray]:
    X, y, theta = floats(X=X, y=y, theta=theta)
    check_X_y_theta(X, y, theta)
    require_samples("X", X)
    return [X, y, theta]


# ----- Least squares -----


@implements("regression.linear_regression_gradient", "regression.linear_regression_loss")
def linear_regression_loss(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> np.floating:
    """L(θ) = (1/N)‖Xθ − y‖², the mean squared residual."""
    X, y, theta = _prepare(X, y, theta)
    # np.mean sums pairwise; r @ r in float32 keeps a dot product's few long partial sums and
    # is 3e-5 off at 10⁷ rows (np.mean and torch's mse_loss: 6e-8)
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        r = X @ theta - y
        return np.mean(r * r)


@implements("regression.linear_regression_gradient")
def linear_regression_grad(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> np.ndarray:
    """∇θ L = (2/N) Xᵀ(Xθ − y) for L = (1/N)‖Xθ − y‖²; shape (d,).

    Note 001 writes L = ½(h − y)² with gradient xᵀ(h − y): the same direction, scaled by 1/2
    and without the mean.
    """
    X, y, theta = _prepare(X, y, theta)
    if (out := fast("linear_regression_grad", X, y, theta)) is not None:
        return out
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        return X.T @ (X @ theta - y) * (2 / X.shape[0])


@implements("regression.normal_equation", "regression.normal_equation_solution")
def normal_equation(X: ArrayLike, y: ArrayLike) -> np.ndarray:
    """θ* = argmin ‖Xθ − y‖², solving XᵀXθ = Xᵀy by least squares (SVD, no inverse).

    When X is rank deficient the minimiser is not unique; this returns the minimum-norm one,
    θ* = X⁺y (X⁺ the Moore–Penrose pseudo-inverse). It equals (XᵀX)⁻¹Xᵀy whenever X has full
    column rank.
    """
    X, y = floats(X=X, y=y)
    check_X_y_theta(X, y, None)
    require_samples("X", X)
    # LAPACK's SVD never returns on an infinite entry (gelsd loops) and fails on NaN ("did not
    # converge"); torch's lstsq stops at an internal assert. A NaN in y gives NaN, as it should.
    if not np.isfinite(X).all():
        raise ValueError("X must be finite (the least-squares SVD is undefined with NaN or ±inf); "
                         f"got {np.isnan(X).sum()} NaN and {np.isinf(X).sum()} infinite entries")
    return np.linalg.lstsq(X, y, rcond=None)[0]


# ----- Regularised regression -----


@implements("regression.ridge_gradient", "regression.ridge_loss")
def ridge_loss(X: ArrayLike, y: ArrayLike, theta: ArrayLike, lam: float) -> np.floating:
    """L(θ) = (1/(2N))‖Xθ − y‖² + λ‖θ‖²₂ (squared 2-norm penalty).

    Note 002 writes the ridge penalty as C(ω) = ‖ω‖₂; the usual ridge penalty, used here, is
    the squared norm ‖ω‖²₂ (the unsquared norm is not smooth at 0).
    """
    X, y, theta = _prepare(X, y, theta)
    lam = hyper("lam", lam)
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        r = X @ theta - y
        return np.mean(r * r) / 2 + lam * (theta @ theta)  # pairwise (linear_regression_loss)


@implements("regression.ridge_gradient")
def ridge_grad(X: ArrayLike, y: ArrayLike, theta: ArrayLike, lam: float) -> np.ndarray:
    """∇θ L = (1/N)Xᵀ(Xθ − y) + 2λθ for L = (1/(2N))‖Xθ − y‖² + λ‖θ‖²₂.

    See ridge_loss for why the penalty is squared (note 002 writes ‖ω‖₂).
    """
    X, y, theta = _prepare(X, y, theta)
    lam = hyper("lam", lam)
    if (out := fast("ridge_grad", X, y, theta, lam)) is not None:
        return out
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        return X.T @ (X @ theta - y) / X.shape[0] + (2 * lam) * theta


@implements("regression.lasso_subgradient", "regression.lasso_loss")
def lasso_loss(X: ArrayLike, y: ArrayLike, theta: ArrayLike, lam: float) -> np.floating:
    """L(θ) = (1/(2N))‖Xθ − y‖² + λ‖θ‖₁ (note 002, eq. 1.1 with C = ‖ω‖₁)."""
    X, y, theta = _prepare(X, y, theta)
    lam = hyper("lam", lam)
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        r = X @ theta - y
        return np.mean(r * r) / 2 + lam * np.abs(theta).sum()  # pairwise, as linear_regression_loss


@implements("regression.lasso_subgradient")
def lasso_subgrad(X: ArrayLike, y: ArrayLike, theta: ArrayLike, lam: float) -> np.ndarray:
    """A subgradient (1/N)Xᵀ(Xθ − y) + λ·sign(θ) of the lasso loss (see lasso_loss).

    sign(0) = 0 is used, a valid choice since ∂|x| at 0 is [−1, 1] (note 002); where no θⱼ is
    0 this is the gradient.
    """
    X, y, theta = _prepare(X, y, theta)
    lam = hyper("lam", lam)
    if (out := fast("lasso_subgrad", X, y, theta, lam)) is not None:
        return out
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        return X.T @ (X @ theta - y) / X.shape[0] + lam * np.sign(theta)


# ----- Robust losses of a prediction -----


def _check_pair(pred: ArrayLike, target: ArrayLike, reduction: str = "mean",
                grad_output: ArrayLike | None = None, *,
                gradient: bool = False) -> tuple[np.ndarray, ...]:
    """(pred, target, grad_output or None) in one dtype, shapes checked; reduction as torch's
    (a mean over no entries is undefined; a sum is 0 and losses per entry are empty), and for
    a gradient, grad_output with 'none' only."""
    reduction = reduction_of(reduction)
    pred, target, *u = floats(pred=pred, target=target,
                              **({} if grad_output is None else {"grad_output": grad_output}))
    if pred.shape != target.shape:
        raise ValueError(
            f"pred has shape {pred.shape} but target has shape {target.shape}; expected "
            f"target of shape {pred.shape}{_broadcast_hint(pred.shape, target.shape)}"
        )
    _require_entries(pred, reduction)
    u = u[0] if u else None
    if gradient:
        grad_output_for(reduction, u, pred.shape, "entry")
    return pred, target, u


def _residual(pred: np.ndarray, target: np.ndarray) -> np.ndarray:
    """r = pred − target, a new array; NaN where both are the same infinity, and ±∞ where the
    difference of two finite numbers overflows (3e38 − (−3e38) in float32), as torch's."""
    with nan_quietly(), np.errstate(over="ignore"):
        return as_array(pred - target)


def _broadcast_hint(pred: tuple[int, ...], target: tuple[int, ...]) -> str:
    """Why shapes that broadcast are still refused: torch's losses broadcast them with a
    warning that it "will likely lead to incorrect results" ((N,) against (N, 1) is N × N
    losses), and the gradient of pred would be a sum over the broadcast axes."""
    try:
        np.broadcast_shapes(pred, target)
    except ValueError:
        return ""
    return (". torch broadcasts the two with a warning that this will likely give incorrect "
            "results; here they must match: pass np.broadcast_to(target, pred.shape) to "
            "mean it")


def _scale(grad: np.ndarray, reduction: str, u: np.ndarray | None) -> np.ndarray:
    """The gradient of the sum of losses, made the one of the reduction: / n for a mean, ⊙ the
    upstream gradient u for losses per entry (a new array or grad itself, in place)."""
    if reduction == "mean":
        grad /= grad.size  # in place: one array fewer to allocate
    elif reduction == "none":
        with upstream_quietly():
            grad *= u
    return grad


def _weighted_args(pred: ArrayLike, target: ArrayLike,
                   weight: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pred, target, weight) in one dtype: torch's elementwise loss weight (2.13: mse_loss,
    l1_loss, huber_loss) has pred's shape ("Weights and input must have the same size"); a
    floating one takes part in the result's dtype as any floating argument, an integer one
    does not widen it."""
    pred, target, w = floats(pred=pred, target=target, weight=weight)
    if w.shape != pred.shape:
        raise ValueError(f"weight has shape {w.shape}; expected pred's shape {pred.shape} "
                         "(torch: weights and input must have the same size)")
    return pred, target, w


def _require_entries(pred: np.ndarray, reduction: str) -> None:
    if pred.size == 0 and reduction == "mean":
        raise ValueError(f"pred is empty (shape {pred.shape}); the mean is undefined")


def _weighted_loss(losses: np.ndarray, w: np.ndarray, reduction: str,
                   mean_by_weight: bool) -> np.floating | np.ndarray:
    """w ⊙ losses under reduction; 'mean' is Σ wℓ / Σ w (torch's mse_loss and l1_loss) or the
    plain mean of wℓ (torch's huber_loss), as mean_by_weight says."""
    reduction = reduction_of(reduction)
    _require_entries(losses, reduction)
    with specials_quietly():  # a weighted loss past the range: ±∞, as torch's
        wl = losses * w
    if reduction == "mean" and mean_by_weight:
        # Σ w = 0: NaN or ±inf; a sum past the range: ±∞; as torch's
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            return np.sum(wl) / np.sum(w)
    return reduced(wl, reduction)


def _weighted_upstream(pred: np.ndarray, w: np.ndarray, reduction: str, u: ArrayLike | None,
                       mean_by_weight: bool) -> np.ndarray:
    """The upstream gradient of the per-entry losses that a weighted reduction amounts to:
    u ⊙ w ('none'), w ('sum'), w/Σ w or w/n ('mean', as _weighted_loss)."""
    reduction = reduction_of(reduction)
    _require_entries(pred, reduction)
    if reduction == "none":
        if u is None:
            grad_output_for(reduction, None, pred.shape, "entry")  # raises, naming it
        with upstream_quietly():
            return w * np.asarray(u)
    if u is not None:
        grad_output_for(reduction, np.asarray(u), pred.shape, "entry")  # raises
    if reduction == "sum":
        return w
    # Σ w = 0 or past the range (0, NaN or ±∞ entries), as torch's
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        return w / (np.sum(w) if mean_by_weight else w.dtype.type(w.size))


def _in_dtype(value: float, dtype: np.dtype) -> np.floating:
    """A hyper-parameter as the data's dtype, as torch's kernels take it (scalar_t): a float64
    beyond float32's range is ∞ there, silently, and one below its subnormals 0."""
    with np.errstate(over="ignore", under="ignore"):
        return dtype.type(value)


def _delta(delta: object) -> float:
    if isinstance(delta, str):  # torch's huber_loss(input, target, reduction, delta) order
        raise ValueError(f"delta must be a real number; got {delta!r}. torch's huber_loss "
                         "takes reduction third; here it is the fourth argument (reduction=)")
    return hyper("delta", delta, above=0)  # torch refuses δ ≤ 0 too


@implements("regression.huber_via_clip")
@torch_names(input="pred")
def huber_loss(pred: ArrayLike, target: ArrayLike, delta: float = 1.0,
               reduction: str = "mean", *,
               weight: ArrayLike | None = None) -> np.floating | np.ndarray:
    """L = mean over entries of ½r² where |r| ≤ δ, δ(|r| − ½δ) elsewhere; r = pred − target
    (torch.nn.functional.huber_loss); δ > 0. reduction as torch's: 'mean', 'sum' or 'none'
    (the losses per entry). weight (pred's shape), as torch 2.13's: the losses times weight,
    then reduced ('mean': the plain mean of the weighted losses, as torch's huber_loss)."""
    if weight is not None:
        pred, target, w = _weighted_args(pred, target, weight)
        return _weighted_loss(huber_loss(pred, target, delta, "none"), w, reduction, False)
    pred, target, _ = _check_pair(pred, target, reduction)
    delta = _in_dtype(_delta(delta), pred.dtype)
    r = _residual(pred, target)
    a = np.abs(r)
    # r² = ∞ only where |r| > δ, whose branch is kept, and δ(|r| − δ/2) beyond the range where
    # it is: ∞, as torch's; δ = ∞ makes |r| − δ/2 NaN at |r| = ∞, where ½r² = ∞ is kept
    with np.errstate(over="ignore", invalid="ignore"):
        half_square = 0.5 * r * r
        linear = delta * (a - 0.5 * delta)
    # |r| < δ as torch's (the same value at |r| = δ, but for δ = |r| = ∞: NaN, as torch's)
    return reduced(np.where(a < delta, half_square, linear), reduction)


@implements("regression.huber_gradient")
def huber_grad(pred: ArrayLike, target: ArrayLike, delta: float = 1.0, reduction: str = "mean",
               grad_output: ArrayLike | None = None, *,
               weight: ArrayLike | None = None) -> np.ndarray:
    """∂L/∂pred = clip(r, −δ, δ)/n, n the number of entries; clip(r, −δ, δ) for 'sum'; for
    'none', the vector-Jacobian product with grad_output u (pred's shape, required):
    u ⊙ clip(r, −δ, δ), as loss.backward(u) in torch. weight as huber_loss's."""
    if weight is not None:
        pred, target, w = _weighted_args(pred, target, weight)
        up = _weighted_upstream(pred, w, reduction, grad_output, False)
        return huber_grad(pred, target, delta, "none", up)
    pred, target, u = _check_pair(pred, target, reduction, grad_output, gradient=True)
    d = _in_dtype(_delta(delta), pred.dtype)
    # the fast path gets δ as the dtype has it, as a Python float (no cast warning there)
    if reduction == "mean" and (out := fast("huber_grad", pred, target, float(d))) is not None:
        return out
    return _scale(as_array(np.clip(_residual(pred, target), -d, d)), reduction, u)


@implements("regression.l1_via_sign")
@torch_names(input="pred")
@torch_flags(**LEGACY_REDUCTION)
def l1_loss(pred: ArrayLike, target: ArrayLike, reduction: str = "mean", *,
            weight: ArrayLike | None = None) -> np.floating | np.ndarray:
    """L = mean over entries of |pred − target|; reduction as torch's ('sum', 'none').
    weight (pred's shape), as torch 2.13's: the losses times weight, 'mean' being
    Σ w|r| / Σ w."""
    if weight is not None:
        pred, target, w = _weighted_args(pred, target, weight)
        return _weighted_loss(l1_loss(pred, target, "none"), w, reduction, True)
    pred, target, _ = _check_pair(pred, target, reduction)
    return reduced(np.abs(_residual(pred, target)), reduction)


@implements("regression.l1_gradient")
@torch_flags(**LEGACY_REDUCTION)
def l1_grad(pred: ArrayLike, target: ArrayLike, reduction: str = "mean",
            grad_output: ArrayLike | None = None, *,
            weight: ArrayLike | None = None) -> np.ndarray:
    """∂L/∂pred = sign(pred − target)/n (0 where they are equal, as torch; NaN where either is
    NaN, where torch's sign gives 0); reduction and grad_output as huber_grad's, weight as
    l1_loss's."""
    if weight is not None:
        pred, target, w = _weighted_args(pred, target, weight)
        up = _weighted_upstream(pred, w, reduction, grad_output, True)
        return l1_grad(pred, target, "none", up)
    pred, target, u = _check_pair(pred, target, reduction, grad_output, gradient=True)
    if reduction == "mean" and (out := fast("l1_grad", pred, target)) is not None:
        return out
    return _scale(as_array(np.sign(_residual(pred, target))), reduction, u)


# ----- Squared error and smooth L1 (as in PyTorch) -----


@implements("regression.mse_via_sum_of_squares")
@torch_names(input="pred")
@torch_flags(**LEGACY_REDUCTION)
def mse_loss(pred: ArrayLike, target: ArrayLike, reduction: str = "mean", *,
             weight: ArrayLike | None = None) -> np.floating | np.ndarray:
    """L = mean over entries of (pred − target)², torch.nn.functional.mse_loss; reduction as
    torch's: 'mean', 'sum' or 'none' (the squared errors per entry). weight (pred's shape), as
    torch 2.13's: the squared errors times weight, 'mean' being Σ w r² / Σ w."""
    if weight is not None:
        pred, target, w = _weighted_args(pred, target, weight)
        return _weighted_loss(mse_loss(pred, target, "none"), w, reduction, True)
    pred, target, _ = _check_pair(pred, target, reduction)
    r = _residual(pred, target)
    with np.errstate(over="ignore"):  # r² (and its sum) beyond the dtype's range: ∞, as torch's
        return reduced(r * r, reduction)  # np.mean / np.sum add pairwise


@implements("regression.mse_gradient")
@torch_flags(**LEGACY_REDUCTION)
def mse_grad(pred: ArrayLike, target: ArrayLike, reduction: str = "mean",
             grad_output: ArrayLike | None = None, *,
             weight: ArrayLike | None = None) -> np.ndarray:
    """∂L/∂pred = 2(pred − target)/n, n the number of entries; 2(pred − target) for 'sum'; for
    'none', the vector-Jacobian product u ⊙ 2(pred − target) with grad_output u (pred's shape,
    required), as loss.backward(u) in torch. weight as mse_loss's."""
    if weight is not None:
        pred, target, w = _weighted_args(pred, target, weight)
        up = _weighted_upstream(pred, w, reduction, grad_output, True)
        return mse_grad(pred, target, "none", up)
    pred, target, u = _check_pair(pred, target, reduction, grad_output, gradient=True)
    grad = as_array(_residual(pred, target))
    if reduction == "mean":  # r · (2/n), as torch's one factor: 2r overflows at |r| > max/2
        with np.errstate(over="ignore"):  # n = 1: 2r beyond the range is ±∞, as torch's
            grad *= 2 / grad.size
        return grad
    with np.errstate(over="ignore"):  # 2r (and u ⊙ 2r) beyond the range: ±∞, as torch's
        grad *= 2
        return _scale(grad, reduction, u)


def _beta(beta: object) -> float:
    if isinstance(beta, str):  # torch's smooth_l1_loss(input, target, ..., reduction, beta)
        raise ValueError(f"beta must be a real number; got {beta!r}. The reduction is the "
                         "keyword argument reduction=")
    return hyper("beta", beta, at_least=0)  # torch refuses β < 0; β = 0 is the L1 loss


@implements("regression.smooth_l1_as_scaled_huber")
@torch_names(input="pred")
@torch_flags(**LEGACY_REDUCTION)
def smooth_l1_loss(pred: ArrayLike, target: ArrayLike, beta: float = 1.0,
                   reduction: str = "mean") -> np.floating | np.ndarray:
    """L = mean over entries of ½r²/β where |r| < β, |r| − ½β elsewhere; r = pred − target
    (torch.nn.functional.smooth_l1_loss(pred, target, reduction=..., beta=...)), which is
    Huber_β(r)/β. β ≥ 0; β = 0 is the L1 loss, as torch's. reduction as huber_loss's."""
    pred, target, _ = _check_pair(pred, target, reduction)
    beta = _in_dtype(_beta(beta), pred.dtype)
    r = _residual(pred, target)
    a = np.abs(r)
    if beta == 0:  # also a β that is 0 in the dtype (below float32's subnormals), as torch's
        return reduced(a, reduction)
    # r²/(2β) = ∞ only where |r| ≥ β, whose branch is kept. In torch's order, ½r·r/β: with
    # (½/β)·r·r, a β whose ½/β overflows (β < 1.5e-39 in float32) made 0 · ∞ = NaN at r = 0
    # β = ∞: ∞/∞ and ∞ − ∞ at |r| = ∞ (NaN), as torch's
    with np.errstate(over="ignore", invalid="ignore"):
        half_square = 0.5 * r * r
        half_square /= beta
        return reduced(np.where(a < beta, half_square, a - 0.5 * beta), reduction)


@implements("regression.smooth_l1_gradient")
@torch_flags(**LEGACY_REDUCTION)
def smooth_l1_grad(pred: ArrayLike, target: ArrayLike, beta: float = 1.0,
                   reduction: str = "mean", grad_output: ArrayLike | None = None) -> np.ndarray:
    """∂L/∂pred = clip(r, −β, β)/β per entry (r/β inside the kink, sign(r) outside), over n for
    'mean'; the vector-Jacobian product with grad_output for 'none', as huber_grad's. β = 0:
    sign(r), 0 at r = 0 (torch's L1 gradient; NaN at NaN, as l1_grad)."""
    pred, target, u = _check_pair(pred, target, reduction, grad_output, gradient=True)
    b = _in_dtype(_beta(beta), pred.dtype)  # 0 for β below float32's subnormals: sign(r)
    if reduction == "mean" and b != 0 and math.isfinite(b) and (  # the fast path's β is finite
            out := fast("smooth_l1_grad", pred, target, float(b))) is not None:
        return out
    r = _residual(pred, target)
    if b == 0:
        return _scale(as_array(np.sign(r)), reduction, u)
    if math.isinf(b):  # r/∞ = ±0 inside, sign(r) at r = ±∞ (|r| < β fails), as torch's
        with nan_quietly():  # ∞/∞ where r = ±∞, not kept
            return _scale(as_array(np.where(np.isinf(r), np.sign(r), r / b)), reduction, u)
    np.clip(r, -b, b, out=r)  # in place: r is a new array; one pass and no temporary
    r /= b
    return _scale(r, reduction, u)
