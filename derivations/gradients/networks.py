"""Two small networks, the backprop lemmas (notes 001 and 003) and dropout.

Conventions: a batch X is N × d with samples as rows; losses are means over
the batch. Weight matrices are stored so that the batched forward pass is a
right multiplication for note 001's ANN (X @ W) and, as in note 003, a left
multiplication per sample for the ReLU net (z = W₁x + b₁, i.e. Z = X W₁ᵀ + b₁).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from ._claims import implements
from ._fast import fast
from ._validate import (
    as_array,
    as_rows,
    check_labels,
    floats,
    hyper,
    nan_quietly,
    require_ndim,
    require_samples,
    specials_quietly,
)
from .activations import stable_sigmoid
from .classification import _log_softmax, _one_hot, _softmax

__all__ = [
    "dropout",
    "dropout_grad",
    "ReluNetForward",
    "ReluNetGrads",
    "TwoLayerForward",
    "linear_input_grad",
    "linear_weight_grad",
    "relu_backward",
    "relu_net_forward",
    "relu_net_grads",
    "two_layer_forward",
    "two_layer_grads",
]


def _check_inner(a_name: str, a: np.ndarray, b_name: str, b: np.ndarray, b_axis: int) -> None:
    """a's last axis must match b's axis b_axis (a matrix product a·b or a·bᵀ)."""
    if a.shape[-1] != b.shape[b_axis]:
        raise ValueError(
            f"{a_name} has shape {a.shape} but {b_name} has shape {b.shape}; "
            f"expected {b_name}.shape[{b_axis}] == {a.shape[-1]}"
        )


# ----- Note 001: sigmoid hidden layer, softmax output -----


class TwoLayerForward(NamedTuple):
    Z: np.ndarray  # hidden activations σ(XW), N × b
    Q: np.ndarray  # class probabilities softmax(ZV), N × C
    loss: np.floating  # mean cross-entropy −(1/N) Σᵢ log Qᵢ,yᵢ


def _two_layer_check(X, W, V, labels):
    X, W, V = floats(X=X, W=W, V=V)
    require_ndim("X", X, 2, "samples as rows, N × m")
    require_ndim("W", W, 2, "m × b")
    require_ndim("V", V, 2, "b × C")
    _check_inner("X", X, "W", W, 0)
    _check_inner("W", W, "V", V, 0)
    require_samples("X", X)
    lab = check_labels(labels, X.shape[0], V.shape[1], "X")
    return X, W, V, lab


def _mean_nll(logits: np.ndarray, lab: np.ndarray) -> np.floating:
    with specials_quietly():  # a sum of losses past the range: ∞, as torch's
        return -np.mean(np.take_along_axis(_log_softmax(logits, 1), lab[:, None], axis=1))


@implements(
    "networks.ann_output_weight_gradient_matrix",
    "networks.ann_hidden_weight_gradient_matrix",
    "networks.ann_batch_loss",
)
def two_layer_forward(
    X: ArrayLike, W: ArrayLike, V: ArrayLike, labels: ArrayLike
) -> TwoLayerForward:
    """Note 001's ANN: Z = σ(XW), Q = softmax(ZV), loss = −(1/N) Σᵢ log Qᵢ,yᵢ.

    X is N × m, W is m × b, V is b × C, labels length N. No biases (as in the note).
    """
    X, W, V, lab = _two_layer_check(X, W, V, labels)
    # ∞ − ∞ and 0 · ∞ from an infinite input: NaN; a product or sum beyond the range: ±∞;
    # as torch's, silently
    with nan_quietly(), np.errstate(over="ignore"):
        Z = stable_sigmoid(X @ W)
        logits = Z @ V
    return TwoLayerForward(Z, _softmax(logits, 1), _mean_nll(logits, lab))


@implements(
    "networks.ann_output_weight_gradient_matrix", "networks.ann_hidden_weight_gradient_matrix"
)
def two_layer_grads(
    X: ArrayLike, W: ArrayLike, V: ArrayLike, labels: ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """(∂L/∂W, ∂L/∂V) for two_layer_forward's mean loss:

    ∂L/∂V = Zᵀ(Q − Y)/N,   ∂L/∂W = Xᵀ(((Q − Y)Vᵀ) ⊙ Z ⊙ (1 − Z))/N,

    with Y = one-hot(labels). Note 001 gives the per-sample forms zᵀ(q − y) and
    xᵀ((q − y)vᵀ × z(1 − z)).
    """
    X, W, V, lab = _two_layer_check(X, W, V, labels)
    if (out := fast("two_layer_grads", X, W, V, lab)) is not None:
        return out
    # ∞ − ∞ and 0 · ∞ from an infinite input: NaN; a product or sum beyond the range: ±∞;
    # as torch's, silently
    with nan_quietly(), np.errstate(over="ignore"):
        Z = stable_sigmoid(X @ W)
        D = (_softmax(Z @ V, 1) - _one_hot(lab, V.shape[1], X.dtype)) / X.shape[0]  # (Q − Y)/N
        dW = X.T @ ((D @ V.T) * Z * (1 - Z))
        return dW, Z.T @ D


# ----- Note 003: the chain-rule lemmas -----


@implements("networks.relu_net_weight_grad_lemma")
def linear_weight_grad(delta: ArrayLike, a: ArrayLike) -> np.ndarray:
    """Lemma 1: for z = W a + b, ∂J/∂W = δ aᵀ with δ = ∂J/∂z.

    One sample: δ (k,), a (h,) → (k, h). A batch: δ (N, k), a (N, h) →
    Σᵢ δᵢ aᵢᵀ = δᵀa, (k, h) (the batch-mean 1/N belongs in δ). Any leading axes (…, k) and
    (…, h), as torch's linear takes: the sum runs over all of them.
    """
    delta, a = floats(delta=delta, a=a)
    if not delta.ndim or delta.ndim != a.ndim or delta.shape[:-1] != a.shape[:-1]:
        raise ValueError(
            f"delta has shape {delta.shape} but a has shape {a.shape}; expected both "
            "1-D (one sample) or both (…, k) and (…, h) with the same leading axes (a batch)"
        )
    # ∞ − ∞ and 0 · ∞ from an infinite input: NaN; a product or sum beyond the range: ±∞;
    # as torch's, silently
    with nan_quietly(), np.errstate(over="ignore"):
        if delta.ndim == 1:
            return np.outer(delta, a)
        return as_rows(delta).T @ as_rows(a)


@implements("networks.relu_net_input_grad_lemma")
def linear_input_grad(W: ArrayLike, delta: ArrayLike) -> np.ndarray:
    """Lemma 3: for z = W a + b, ∂J/∂a = Wᵀδ with δ = ∂J/∂z.

    W (k, h); δ (k,) → (h,), or a batch δ (N, k) → δW, (N, h), or any (…, k) → (…, h), as
    torch's linear takes.
    """
    W, delta = floats(W=W, delta=delta)
    require_ndim("W", W, 2, "k × h")
    if not delta.ndim:
        raise ValueError(f"delta must be (k,) or (…, k); got shape {delta.shape}")
    _check_inner("delta", delta, "W", W, 0)
    # ∞ − ∞ and 0 · ∞ from an infinite input: NaN; a product or sum beyond the range: ±∞;
    # as torch's, silently
    with nan_quietly(), np.errstate(over="ignore"):
        return W.T @ delta if delta.ndim == 1 else delta @ W


@implements("networks.relu_net_relu_grad_lemma", "activations.relu_derivative")
def relu_backward(grad_a: ArrayLike, z: ArrayLike) -> np.ndarray:
    """Lemma 2: for a = ReLU(z), ∂J/∂z = ∂J/∂a ⊙ 1[z > 0] (0 at z = 0), selected as torch's
    threshold_backward does, not multiplied: exactly 0 where z ≤ 0, even when ∂J/∂a is ±∞ or
    NaN there (∞ · 0 would be NaN), and ∂J/∂a itself where z is NaN, so that a NaN forward
    shows in the gradient (relu_grad(NaN) is 0)."""
    grad_a, z = floats(grad_a=grad_a, z=z)
    if grad_a.shape != z.shape:
        raise ValueError(
            f"z has shape {z.shape} but grad_a has shape {grad_a.shape}; "
            f"expected grad_a of shape {z.shape}"
        )
    return np.where(z <= 0, grad_a.dtype.type(0), grad_a)


# ----- Note 003: ReLU hidden layer, squared loss -----


class ReluNetForward(NamedTuple):
    Z: np.ndarray  # pre-activations X W₁ᵀ + b₁, N × h
    A: np.ndarray  # ReLU(Z), N × h
    H: np.ndarray  # outputs A W₂ᵀ + b₂, N × k (or N when y is 1-D)
    loss: np.floating  # (1/N) Σᵢ ½‖yᵢ − hᵢ‖²


class ReluNetGrads(NamedTuple):
    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray


def _relu_net_check(X, y, W1, b1, W2, b2):
    X, y, W1, b1, W2, b2 = floats(X=X, y=y, W1=W1, b1=b1, W2=W2, b2=b2)
    require_ndim("X", X, 2, "samples as rows, N × d")
    require_ndim("W1", W1, 2, "h × d")
    require_ndim("W2", W2, 2, "k × h")
    _check_inner("X", X, "W1", W1, 1)
    _check_inner("W1ᵀ", W1.T, "W2", W2, 1)
    require_samples("X", X)
    if b1.shape != (W1.shape[0],):
        raise ValueError(
            f"W1 has shape {W1.shape} but b1 has shape {b1.shape}; "
            f"expected b1 of shape ({W1.shape[0]},)"
        )
    if b2.shape != (W2.shape[0],):
        raise ValueError(
            f"W2 has shape {W2.shape} but b2 has shape {b2.shape}; "
            f"expected b2 of shape ({W2.shape[0]},)"
        )
    expected = (X.shape[0],) if y.ndim == 1 and W2.shape[0] == 1 else (X.shape[0], W2.shape[0])
    if y.shape != expected:
        raise ValueError(
            f"X has shape {X.shape} and W2 has shape {W2.shape} but y has shape "
            f"{y.shape}; expected y of shape {expected}"
        )
    return X, y, W1, b1, W2, b2


def _relu_net(X, y, W1, b1, W2, b2) -> ReluNetForward:
    # ∞ − ∞ and 0 · ∞ from an infinite input: NaN; a product or sum beyond the range: ±∞;
    # as torch's, silently
    with nan_quietly(), np.errstate(over="ignore"):
        Z = X @ W1.T + b1
        A = np.maximum(Z, 0)
        H = A @ W2.T + b2
        if y.ndim == 1:
            H = H[:, 0]
        R = H - y
        # a pairwise sum: np.vdot(R, R) is 1e-6 off in float32 at 10⁷ rows
        return ReluNetForward(Z, A, H, np.sum(R * R) / (2 * X.shape[0]))


@implements(
    "networks.relu_net_weight_grad_lemma",
    "networks.relu_net_input_grad_lemma",
    "networks.relu_net_relu_grad_lemma",
    "networks.relu_net_batch_loss",
)
def relu_net_forward(
    X: ArrayLike, y: ArrayLike, W1: ArrayLike, b1: ArrayLike, W2: ArrayLike, b2: ArrayLike
) -> ReluNetForward:
    """Note 003's network on a batch: z = W₁x + b₁, a = ReLU(z), h = W₂a + b₂, J = ½‖y − h‖².

    X is N × d (rows are samples x), W₁ h × d, b₁ (h,), W₂ k × h, b₂ (k,),
    y N × k; with k = 1, y may be 1-D (N,), the note's scalar output. The loss
    is the batch mean (1/N) Σᵢ ½‖yᵢ − hᵢ‖².
    """
    return _relu_net(*_relu_net_check(X, y, W1, b1, W2, b2))


@implements(
    "networks.relu_net_weight_grad_lemma",
    "networks.relu_net_input_grad_lemma",
    "networks.relu_net_relu_grad_lemma",
    "networks.relu_net_first_layer_weight_gradient",
    "networks.relu_net_batch_output_weight_gradient",
)
def relu_net_grads(
    X: ArrayLike, y: ArrayLike, W1: ArrayLike, b1: ArrayLike, W2: ArrayLike, b2: ArrayLike
) -> ReluNetGrads:
    """Gradients of relu_net_forward's mean loss by note 003's backward pass:

    δ₂ = ∂J/∂h = (h − y)/N;  ∂J/∂W₂ = δ₂ᵀA (lemma 1);  ∂J/∂b₂ = Σᵢ δ₂ᵢ;
    ∂J/∂a = δ₂W₂ (lemma 3);  δ₁ = ∂J/∂a ⊙ 1[z > 0] (lemma 2, selected as relu_backward:
    0 where z ≤ 0 even when ∂J/∂a is ±∞ there, ∂J/∂a where z is NaN, as torch);
    ∂J/∂W₁ = δ₁ᵀX (lemma 1);  ∂J/∂b₁ = Σᵢ δ₁ᵢ.
    """
    X, y, W1, b1, W2, b2 = _relu_net_check(X, y, W1, b1, W2, b2)
    if (out := fast("relu_net_grads", X, y, W1, b1, W2, b2)) is not None:
        return ReluNetGrads(*out)
    fwd = _relu_net(X, y, W1, b1, W2, b2)
    # ∞ − ∞ and 0 · ∞ from an infinite input: NaN; a product or sum beyond the range: ±∞;
    # as torch's, silently
    with nan_quietly(), np.errstate(over="ignore"):
        d2 = ((fwd.H - y) / X.shape[0]).reshape(len(X), -1)
        d1 = np.where(fwd.Z <= 0, X.dtype.type(0), d2 @ W2)  # as relu_backward: no ∞ · 0
        # the bias gradients sum N rows: in float64, as NumPy sums down a column one row at a
        # time (float32 would lose 1e-5 of ∂J/∂b over 10⁵ rows)
        db1, db2 = (d.sum(axis=0, dtype=np.float64).astype(X.dtype) for d in (d1, d2))
        return ReluNetGrads(d1.T @ X, db1, d2.T @ fwd.A, db2)


# ----- Dropout -----


def _check_mask(x: np.ndarray, mask: ArrayLike, p: float) -> np.ndarray:
    m = np.asarray(mask)
    if m.shape != x.shape:
        raise ValueError(f"x has shape {x.shape} but mask has shape {m.shape}; expected {x.shape}")
    if m.dtype != bool and not np.all((m == 0) | (m == 1)):
        raise ValueError("mask must hold 0/1 (or booleans): 1 keeps an entry, 0 drops it")
    if not 0 <= p <= 1:
        raise ValueError(f"p is the probability of dropping an entry, in [0, 1]; got {p}")
    return m


def _keep_scale(p: float) -> float:
    """1/(1 − p), the scale of the entries kept; 0 at p = 1, where every entry is dropped
    (torch's dropout is then x · 0, its gradient g · 0)."""
    return 0.0 if p == 1 else 1 / (1 - p)


@implements("networks.dropout_forward", "networks.dropout_unbiased")
def dropout(x: ArrayLike, mask: ArrayLike, p: float) -> np.ndarray:
    """Inverted dropout with an explicit mask m (1 keeps, 0 drops; drawn by the caller with
    P(mᵢ = 0) = p): x ⊙ m / (1 − p), so that E[out] = x for p < 1; x · 0 at p = 1 (torch)."""
    (x,) = floats(x=x)
    p = hyper("p", p)
    m = _check_mask(x, mask, p)
    # a dropped ±∞ or NaN is NaN (· 0), a kept value beyond the range once scaled by 1/(1 − p)
    # ±∞, as torch's, silently
    with nan_quietly(), np.errstate(over="ignore"):
        return as_array(x * m.astype(x.dtype) * _keep_scale(p))


@implements("networks.dropout_gradient")
def dropout_grad(grad: ArrayLike, mask: ArrayLike, p: float) -> np.ndarray:
    """∂L/∂x = g ⊙ m / (1 − p) for the upstream gradient g = ∂L/∂out (same mask and p);
    g · 0 at p = 1."""
    (grad,) = floats(grad=grad)
    p = hyper("p", p)
    m = _check_mask(grad, mask, p)
    # a dropped ±∞ or NaN is NaN (· 0), a kept value beyond the range once scaled by 1/(1 − p)
    # ±∞, as torch's, silently
    with nan_quietly(), np.errstate(over="ignore"):
        return as_array(grad * m.astype(grad.dtype) * _keep_scale(p))
