"""Invalid arguments the formulas cannot take: each is a ValueError naming the argument (as
torch refuses them too, where it has the argument), never an internal error (ZeroDivisionError,
a complex-cast UFuncTypeError, AttributeError) or a silently wrong result (δ < 0 reversing
Huber's clip, a shape 3.5 truncated to 3, ignore_index = 1.5 ignoring nothing)."""

from __future__ import annotations

import numpy as np
import pytest

import derivations.gradients as G

P, GRAD = np.zeros(5), np.ones(5)
X = np.random.default_rng(0).standard_normal((6, 3))
Z = np.random.default_rng(1).standard_normal((6, 4))
LABELS = np.array([0, 1, 2, 3, 0, 1])
X4, W4 = np.ones((2, 3, 6, 6)), np.ones((4, 3, 3, 3))
DOUT4 = np.ones((2, 4, 4, 4))


def _adam(**hyper):
    return lambda: G.adam_step(P.copy(), GRAD, np.zeros(5), np.zeros(5), 1, **hyper)


def _adamw(**hyper):
    return lambda: G.adamw_step(P.copy(), GRAD, np.zeros(5), np.zeros(5), 1, **hyper)


# name: (call, the argument its message must name)
INVALID = {
    # Adam's decay rates in [0, 1) (torch: "Invalid beta parameter"): β₁ = 1 divided by 1 − β₁ᵗ
    # = 0 (ZeroDivisionError), β₂ > 1 took the root of a negative (a complex UFuncTypeError)
    "adam beta1 = 1": (_adam(beta1=1.0), "beta1"),
    "adam beta2 > 1": (_adam(beta2=1.5), "beta2"),
    "adam beta1 < 0": (_adam(beta1=-0.1), "beta1"),
    "adam beta2 NaN": (_adam(beta2=float("nan")), "beta2"),
    "adamw beta1 = 1": (_adamw(beta1=1.0), "beta1"),
    "adam eps < 0": (_adam(eps=-1e-8), "eps"),
    "adamw eps < 0": (_adamw(eps=-1e-8), "eps"),
    "rmsprop eps < 0": (lambda: G.rmsprop_step(P.copy(), GRAD, np.zeros(5), 0.1, eps=-1.0), "eps"),
    "rmsprop beta < 0": (lambda: G.rmsprop_step(P.copy(), GRAD, np.zeros(5), 0.1, -0.5), "beta"),
    "adagrad eps < 0": (lambda: G.adagrad_step(P.copy(), GRAD, np.zeros(5), 0.1, -1.0), "eps"),
    "bias correction beta1 = 1": (
        lambda: G.adam_bias_corrected(np.ones(2), np.ones(2), 3, beta1=1.0), "beta1"),
    "bias correction m text": (
        lambda: G.adam_bias_corrected(np.array(["a"]), np.ones(1), 1), "m"),
    "bias correction shapes": (
        lambda: G.adam_bias_corrected(np.ones(2), np.ones(3), 1), "v"),
    "bias correction float16": (
        lambda: G.adam_bias_corrected(np.ones(2, np.float16), np.ones(2), 1), "m"),
    # Huber's δ > 0 (torch: "huber_loss does not support non-positive values for delta")
    "huber_grad delta < 0": (lambda: G.huber_grad(X, X + 1, -1.0), "delta"),
    "huber_loss delta = 0": (lambda: G.huber_loss(X, X + 1, 0.0), "delta"),
    "huber_grad delta NaN": (lambda: G.huber_grad(X, X + 1, float("nan")), "delta"),
    # an integer class index to ignore (torch's ignore_index is an int)
    "cross_entropy ignore_index 1.5": (
        lambda: G.cross_entropy(Z, LABELS, ignore_index=1.5), "ignore_index"),
    "cross_entropy_grad ignore_index None": (
        lambda: G.cross_entropy_grad(Z, LABELS, ignore_index=None), "ignore_index"),
    # a class to ignore with probability targets (torch: "ignore_index is not supported for
    # floating point target"; it was silently dropped)
    "cross_entropy probabilities ignore_index 0": (
        lambda: G.cross_entropy(Z, G.softmax(X @ np.ones((3, 4))), ignore_index=0),
        "ignore_index"),
    "cross_entropy_grad probabilities ignore_index 2": (
        lambda: G.cross_entropy_grad(Z, G.softmax(X @ np.ones((3, 4))), ignore_index=2),
        "ignore_index"),
    # the class indices are cross_entropy's argument `target` (the message said "labels")
    "cross_entropy target out of range": (
        lambda: G.cross_entropy(Z, np.array([0, 1, 2, 3, 4, 1])), "target"),
    "cross_entropy_grad target negative": (
        lambda: G.cross_entropy_grad(Z, np.array([0, 1, 2, 3, -1, 1])), "target"),
    # an integer axis of the array (a float axis ran on the block-wise path, failed elsewhere)
    "softmax axis 1.0": (lambda: G.softmax(Z, axis=1.0), "axis"),
    "softmax axis 2": (lambda: G.softmax(Z, axis=2), "axis"),
    "log_softmax axis -3": (lambda: G.log_softmax(Z, axis=-3), "axis"),
    "softmax_vjp axis 1.0": (lambda: G.softmax_vjp(Z, G.softmax(Z), axis=1.0), "axis"),
    "log_softmax_vjp axis 5": (lambda: G.log_softmax_vjp(Z, G.log_softmax(Z), axis=5), "axis"),
    # shapes of integers (3.5 was truncated to 3, None an internal TypeError)
    "conv2d_grad_weight w_shape 3.5": (
        lambda: G.conv2d_grad_weight(X4, DOUT4, (4, 3, 3.5, 3)), "w_shape"),
    "conv2d_grad_input x_shape None": (lambda: G.conv2d_grad_input(DOUT4, W4, None), "x_shape"),
    "conv2d_grad_input x_shape negative": (
        lambda: G.conv2d_grad_input(DOUT4, W4, (2, 3, -6, 6)), "x_shape"),
    "avg_pool2d_grad x_shape 2-D": (  # (3-D is torch's unbatched (C, H, W))
        lambda: G.avg_pool2d_grad(np.ones((2, 3, 3, 3)), (3, 6)), "x_shape"),
    # a least-squares fit of a non-finite X: LAPACK's SVD looped forever on ±inf and raised
    # "SVD did not converge" on NaN
    "normal_equation X with inf": (
        lambda: G.normal_equation(np.where(X > 1, np.inf, X), np.ones(6)), "X"),
    "normal_equation X with NaN": (
        lambda: G.normal_equation(np.where(X > 1, np.nan, X), np.ones(6)), "X"),
    # the forward's own cache (a str gave AttributeError, a layer-norm cache a broadcast error)
    "batchnorm_backward cache str": (lambda: G.batchnorm_backward(X, "cache"), "cache"),
    "batchnorm_backward layer-norm cache": (
        lambda: G.batchnorm_backward(X, G.layernorm_forward(X, np.ones(3), np.zeros(3))[1]),
        "cache"),
    "layernorm_backward batch-norm cache": (
        lambda: G.layernorm_backward(X, G.batchnorm_forward(X, np.ones(3), np.zeros(3))[1]),
        "cache"),
}


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_argument_is_a_value_error_naming_it(name):
    call, argument = INVALID[name]
    with pytest.raises(ValueError, match=rf"\b{argument}\b"):
        call()


def test_bounds_admit_the_edges_torch_admits():
    # β = 0 and ε = 0 are valid (torch.optim accepts them); a 0-d softmax is the one entry 1
    p, m, v = np.ones(3), np.zeros(3), np.zeros(3)
    G.adam_step(p, np.ones(3), m, v, 1, beta1=0.0, beta2=0.0, eps=0.0)
    np.testing.assert_allclose(p, 1 - 1e-3)
    G.rmsprop_step(np.ones(3), np.ones(3), np.zeros(3), 0.1, beta=0.0, eps=0.0)
    # lr = 0, momentum 0 and weight decay 0 are valid too (Nesterov needs momentum > 0)
    p = np.ones(3)
    G.momentum_step(p, np.ones(3), np.zeros(3), 0.0, 0.0)
    G.sgd_nesterov_step(p, np.ones(3), np.zeros(3), 0.0, 1e-9, 0.0)
    G.adamw_step(p, np.ones(3), np.zeros(3), np.zeros(3), 1, lr=0.0, weight_decay=0.0)
    np.testing.assert_array_equal(p, 1)
    # a negative ignore_index with probability targets is accepted, as torch accepts it (no
    # class can have it)
    P = G.softmax(Z[:, ::-1])
    assert G.cross_entropy(Z, P, ignore_index=-1) == G.cross_entropy(Z, P)
    assert G.softmax(np.float32(3.0)) == 1 and G.softmax(np.zeros(4), axis=np.int64(-1)).sum() == 1
