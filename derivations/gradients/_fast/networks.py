"""Fast network gradients: everything between the two large matrix products in one compiled
pass over the hidden rows, run on the library's own threads (_compiled.between_products)."""

from __future__ import annotations

import numpy as np

from .._validate import specials_quietly
from ._blocks import spans
from ._compiled import between_products, kernels

__all__ = ["relu_net_grads", "two_layer_grads"]


def two_layer_grads(
    X: np.ndarray, W: np.ndarray, V: np.ndarray, labels: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """A = XW, then one pass turns A into ((Q − Y)Vᵀ) ⊙ Z ⊙ (1 − Z) in place while summing
    Zᵀ(Q − Y)/N per span; the sigmoid, logits, softmax and both small products happen there."""
    VT = np.ascontiguousarray(V.T)
    k = kernels(VT, size=X.shape[0] * W.shape[1])  # A = XW: C-contiguous, X's dtype
    if k is None:
        return None
    with specials_quietly():  # a ±∞ in X, a product beyond the range: as torch's
        A = X @ W
    lab64 = np.ascontiguousarray(labels, np.int64)
    cuts = spans(len(A))
    parts = np.zeros((len(cuts), *VT.shape))  # float64: sums over up to a million rows

    def span(i: int, lo: int, hi: int) -> None:
        k.two_layer_hidden(A[lo:hi], VT, lab64[lo:hi], parts[i : i + 1], len(A))

    between_products(k, span, cuts)
    with specials_quietly():
        return X.T @ A, parts.sum(axis=0).T.astype(A.dtype)


def relu_net_grads(X, y, W1, b1, W2, b2) -> tuple[np.ndarray, ...] | None:
    """Z = XW₁ᵀ, then one pass turns Z into δ₁ in place while summing δ₂ᵀA, Σδ₁ and Σδ₂ per
    span: (dW₁, db₁, dW₂, db₂)."""
    W2c = np.ascontiguousarray(W2)
    Y = np.ascontiguousarray(y.reshape(len(X), -1))
    k = kernels(b1, W2c, b2, Y, size=X.shape[0] * W1.shape[0])  # Z = XW₁ᵀ: C-contiguous
    if k is None:
        return None
    with specials_quietly():  # a ±∞ in X, a product beyond the range: as torch's
        Z = X @ W1.T
    cuts = spans(len(Z))
    # float64: sums over up to a million rows (the kernel sums blocks in Z's dtype)
    acc_w2, acc_b1, acc_b2 = (np.zeros((len(cuts), *shape)) for shape in
                              (W2.shape, b1.shape, b2.shape))

    def span(i: int, lo: int, hi: int) -> None:
        one = slice(i, i + 1)
        k.relu_hidden(
            Z[lo:hi], b1, W2c, b2, Y[lo:hi], acc_w2[one], acc_b1[one], acc_b2[one], len(Z)
        )

    between_products(k, span, cuts)
    dtype = Z.dtype
    with specials_quietly():  # the float64 sums cast back may pass float32's range too
        return (Z.T @ X, acc_b1.sum(axis=0).astype(dtype), acc_w2.sum(axis=0).astype(dtype),
                acc_b2.sum(axis=0).astype(dtype))
