"""Conventions a cross-check against PyTorch's defaults found missing, each pinned without torch
(test_grad_torch_semantics.py compares the same conventions with torch itself, where it is
installed; the expected values here were computed once with torch 2.13 in float64):

* one dtype rule: the result has NumPy's promotion of the floating array arguments (class
  weights, probability targets, a bias, an upstream gradient and Adam's two moments included);
  integer arrays do not widen it;
* a 0-d input gives a 0-d array on every path (the fast path's answer, and torch's 0-d
  tensor), not a NumPy scalar;
* dropout at p = 1 is x · 0 and its gradient g · 0, as torch's;
* a sum over an empty batch is 0 (the perceptron), not a ValueError;
* a normalisation's cache keeps the γ of its forward call;
* float32 losses keep torch's accuracy over millions of rows (pairwise sums, not a dot
  product's few long partial sums);
* what torch.optim refuses (a negative learning rate, momentum or weight decay, Nesterov
  momentum without momentum) is a ValueError naming the argument (the catalogue's optimizer
  claims assume those hyper-parameters nonnegative).
"""

from __future__ import annotations

import numpy as np
import pytest

import derivations.gradients as G

F32, F64 = np.float32, np.float64


def _rand(rng, *shape, dtype=F32):
    return rng.standard_normal(shape).astype(dtype)


# ----- the result dtype: NumPy's promotion of the floating array arguments -----


def _norm_backward(forward, backward, rng, dout_dtype):
    X = 3 + _rand(rng, 6, 4)
    _, cache = forward(X, np.ones(4, F32), np.zeros(4, F32))
    return backward(_rand(rng, 6, 4, dtype=dout_dtype), cache)


# name: (call(rng, the second argument's dtype) -> result, whose float arrays must have dtype
# float64 when that argument is float64 and float32 when it is float32 or an integer)
PROMOTING = {
    # class weights and probability targets were cast to Z's dtype
    "cross_entropy weight": lambda r, dt: G.cross_entropy(
        _rand(r, 5, 3), np.array([0, 1, 2, 1, 0]), (1 + r.random(3)).astype(dt)),
    "cross_entropy_grad weight": lambda r, dt: G.cross_entropy_grad(
        _rand(r, 5, 3), np.array([0, 1, 2, 1, 0]), (1 + r.random(3)).astype(dt)),
    "cross_entropy_grad probabilities": lambda r, dt: G.cross_entropy_grad(
        _rand(r, 5, 3), np.full((5, 3), 1 / 3, dt), label_smoothing=0.1),
    # a bias was cast to x's dtype
    "conv2d bias": lambda r, dt: G.conv2d(_rand(r, 2, 3, 5, 5), _rand(r, 4, 3, 3, 3), 1, 1, 1,
                                          np.arange(4).astype(dt)),
    # the two moments were converted one by one: (float32, float64) out
    "adam_bias_corrected": lambda r, dt: G.adam_bias_corrected(_rand(r, 4), r.random(4).astype(dt),
                                                               3),
    # a float64 upstream gradient of a float32 forward was cast down to float32
    "batchnorm_backward": lambda r, dt: _norm_backward(G.batchnorm_forward, G.batchnorm_backward,
                                                       r, dt),
    "layernorm_backward": lambda r, dt: _norm_backward(G.layernorm_forward, G.layernorm_backward,
                                                       r, dt),
    # as these did already
    "relu_backward": lambda r, dt: G.relu_backward((10 * r.random((3, 4))).astype(dt),
                                                   _rand(r, 3, 4)),
    "softmax_vjp": lambda r, dt: G.softmax_vjp((10 * r.random((3, 4))).astype(dt),
                                               G.softmax(_rand(r, 3, 4))),
    "conv2d_grad_input": lambda r, dt: G.conv2d_grad_input((10 * r.random((1, 2, 3, 3))).astype(dt),
                                                           _rand(r, 2, 1, 2, 2), (1, 1, 4, 4)),
    "linear_regression_grad": lambda r, dt: G.linear_regression_grad(
        _rand(r, 5, 2), (10 * r.random(5)).astype(dt), _rand(r, 2)),
}


@pytest.mark.parametrize(("name", "second"), [
    pytest.param(name, second, id=f"{name}-{np.dtype(second)}")
    for name in sorted(PROMOTING) for second in (F64, F32, np.int64)
    if not (second == np.int64 and "probabilities" in name)  # integer targets are classes
])
def test_result_dtype_is_the_promotion_of_the_float_arguments(name, second, rng):
    result = PROMOTING[name](rng, second)
    floats = [a for a in (result if isinstance(result, tuple) else (result,))
              if np.asarray(a).dtype.kind == "f" and np.size(a)]
    want = F64 if second == F64 else F32
    assert floats and all(np.asarray(a).dtype == want for a in floats), (
        name, [np.asarray(a).dtype for a in floats])


def test_promoted_backward_equals_the_float64_one(rng):
    # a float64 upstream gradient of a float32 forward: the float32 statistics in float64
    X = 3 + _rand(rng, 7, 5)
    gamma = _rand(rng, 5)
    up = rng.standard_normal((7, 5))
    for forward, backward in ((G.batchnorm_forward, G.batchnorm_backward),
                              (G.layernorm_forward, G.layernorm_backward)):
        _, cache = forward(X, gamma, np.zeros(5, F32))
        _, cache64 = forward(X.astype(F64), gamma.astype(F64), np.zeros(5))
        for got, want in zip(backward(up, cache), backward(up, cache64), strict=True):
            assert got.dtype == F64
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5 * np.abs(want).max())


# ----- a 0-d input gives a 0-d array -----

Z0 = np.asarray(0.75)
ZERO_D = {  # a second argument in z's own dtype (z · 0)
    "sigmoid": lambda z: G.sigmoid(z),
    "sigmoid_grad": lambda z: G.sigmoid_grad(z),
    "tanh_grad": lambda z: G.tanh_grad(z),
    "relu": lambda z: G.relu(z),
    "relu_grad": lambda z: G.relu_grad(z),
    "leaky_relu_grad": lambda z: G.leaky_relu_grad(z),
    "gelu": lambda z: G.gelu(z),
    "gelu_grad": lambda z: G.gelu_grad(z),
    "gelu_grad(tanh)": lambda z: G.gelu_grad(z, "tanh"),
    "silu": lambda z: G.silu(z),
    "silu_grad": lambda z: G.silu_grad(z),
    "elu_grad": lambda z: G.elu_grad(z),
    "softplus": lambda z: G.softplus(z),
    "softplus_grad": lambda z: G.softplus_grad(z),
    "huber_grad": lambda z: G.huber_grad(z, z * 0),
    "l1_grad": lambda z: G.l1_grad(z, z * 0),
    "relu_backward": lambda z: G.relu_backward(z, z),
    "dropout": lambda z: G.dropout(z, True, 0.5),
    "dropout_grad": lambda z: G.dropout_grad(z, 1, 0.5),
    "softmax": lambda z: G.softmax(z),
    "log_softmax": lambda z: G.log_softmax(z),
    "softmax_vjp": lambda z: G.softmax_vjp(z, z * 0 + 1),
    "log_softmax_vjp": lambda z: G.log_softmax_vjp(z, z * 0),
    "adam_bias_corrected": lambda z: G.adam_bias_corrected(z, z, 2),
}


@pytest.mark.parametrize("form", ["0-d float64", "0-d float32", "Python float", "Python int"])
@pytest.mark.parametrize("name", sorted(ZERO_D))
def test_zero_d_input_gives_a_zero_d_array(name, form):
    # the reference returned NumPy scalars here, the fast path (block-wise or compiled) 0-d
    # arrays: now every path returns what torch does for a 0-d tensor
    z = {"0-d float64": Z0, "0-d float32": Z0.astype(F32), "Python float": 0.75,
         "Python int": 1}[form]
    result = ZERO_D[name](z)
    for out in result if isinstance(result, tuple) else (result,):
        assert isinstance(out, np.ndarray) and out.shape == (), (name, type(out))
        assert out.dtype == (F32 if form == "0-d float32" else F64)


# ----- dropout with p = 1 -----


def test_dropout_drops_everything_at_p_one():
    # torch: F.dropout(x, p=1.0) is x · 0 (−0 for negative x), its gradient g · 0; this was a
    # ValueError ("in [0, 1)")
    x = np.array([[-1.5, 2.0], [0.0, 3.0]])
    out = G.dropout(x, np.zeros((2, 2), bool), 1.0)
    np.testing.assert_array_equal(out, np.zeros((2, 2)))
    np.testing.assert_array_equal(np.signbit(out), [[True, False], [False, False]])
    np.testing.assert_array_equal(G.dropout_grad(np.full((2, 2), 4.0, F32), np.zeros((2, 2)), 1),
                                  np.zeros((2, 2), F32))
    with pytest.raises(ValueError, match=r"\bp\b"):
        G.dropout(x, np.ones((2, 2)), 1.0 + 1e-9)


# ----- an empty batch: a sum over it is 0 -----


def test_perceptron_of_an_empty_batch_is_zero():
    # the perceptron loss is a sum over samples (note 001): over none it is 0 and so is its
    # gradient (torch: 0 and zeros); a mean's ValueError was raised
    X, y, theta = np.zeros((0, 3), F32), np.zeros(0, F32), np.ones(3, F32)
    loss, grad = G.perceptron_loss(X, y, theta), G.perceptron_grad(X, y, theta)
    assert loss == 0 and np.asarray(loss).dtype == F32
    np.testing.assert_array_equal(grad, np.zeros(3, F32))
    assert grad.dtype == F32


# ----- a normalisation's cache and the γ of its forward call -----


@pytest.mark.parametrize("norm", ["batchnorm", "layernorm"])
def test_cache_keeps_the_forward_gamma(norm, rng):
    # the cache referred to the caller's γ: a step on γ between the forward and the backward
    # call changed ∂L/∂X (torch refuses such a change to a saved tensor; the backward here
    # differentiates the forward that was computed)
    forward, backward = getattr(G, f"{norm}_forward"), getattr(G, f"{norm}_backward")
    X, gamma, up = rng.standard_normal((8, 5)), rng.standard_normal(5), rng.standard_normal((8, 5))
    _, cache = forward(X, gamma, np.zeros(5))
    want = backward(up, cache)
    gamma *= 3.0
    for got, expected in zip(backward(up, cache), want, strict=True):
        np.testing.assert_array_equal(got, expected)


# ----- float32 losses over millions of rows -----

N_LARGE = 4_000_000  # rows: a float32 dot product is up to 8e-6 off on these losses


def _one_feature(rng):
    X = (3 + rng.standard_normal((N_LARGE, 1))).astype(F32)
    y = (0.5 * X[:, 0] + rng.standard_normal(N_LARGE)).astype(F32)
    return X, y, np.array([0.5], F32)


_ONE = np.ones((1, 1), F32)
LOSSES = {
    "linear_regression_loss": lambda X, y, t: G.linear_regression_loss(X, y, t),
    "ridge_loss": lambda X, y, t: G.ridge_loss(X, y, t, 0.1),
    "lasso_loss": lambda X, y, t: G.lasso_loss(X, y, t, 0.1),
    "logistic_mse_loss": lambda X, y, t: G.logistic_mse_loss(X, y, t),  # y: any real target
    "perceptron_loss": lambda X, y, t: G.perceptron_loss(X, (y < 0).astype(y.dtype), t),
    "relu_net_forward": lambda X, y, t: G.relu_net_forward(
        X, y, _ONE.astype(X.dtype), np.zeros(1, X.dtype), _ONE.astype(X.dtype),
        np.zeros(1, X.dtype)).loss,
}


@pytest.fixture(scope="module")
def one_feature_rows() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """_one_feature's 4·10⁶ rows, drawn once for the losses below (the same data as before)."""
    return _one_feature(np.random.default_rng(20250314))  # conftest's rng fixture's seed


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_float32_loss_of_millions_of_rows(name, one_feature_rows, kernel_path):
    if kernel_path != "reference":
        pytest.skip("no fast path computes these losses")
    X, y, theta = one_feature_rows
    loss = LOSSES[name](X, y, theta)
    truth = LOSSES[name](X.astype(F64), y.astype(F64), theta.astype(F64))
    assert np.asarray(loss).dtype == F32
    # torch's float32 mse_loss is within 1e-7 here; the dot products were 4e-7 to 8e-6 off
    assert abs(float(loss) / truth - 1) < 3e-7


# ----- what torch.optim refuses -----

P5, G5 = np.zeros(5), np.ones(5)


def _z5():
    return np.zeros(5)


# torch.optim's "Invalid learning rate", "Invalid momentum value", "Invalid weight_decay
# value" and "Nesterov momentum requires a momentum": each is accepted here (a negative rate
# climbs the loss, a negative decay grows the weights)
TORCH_OPTIM_REFUSES = {
    "sgd lr < 0": (lambda: G.sgd_step(P5.copy(), G5, -0.1), "lr"),
    "momentum lr < 0": (lambda: G.momentum_step(P5.copy(), G5, _z5(), -0.1), "lr"),
    "momentum rho < 0": (lambda: G.momentum_step(P5.copy(), G5, _z5(), 0.1, -0.5), "rho"),
    "nesterov lr < 0": (lambda: G.sgd_nesterov_step(P5.copy(), G5, _z5(), -0.1), "lr"),
    "nesterov rho = 0": (lambda: G.sgd_nesterov_step(P5.copy(), G5, _z5(), 0.1, 0.0), "rho"),
    "nesterov rho < 0": (lambda: G.sgd_nesterov_step(P5.copy(), G5, _z5(), 0.1, -0.9), "rho"),
    "nesterov weight_decay < 0": (
        lambda: G.sgd_nesterov_step(P5.copy(), G5, _z5(), 0.1, 0.9, -0.01), "weight_decay"),
    "adagrad lr < 0": (lambda: G.adagrad_step(P5.copy(), G5, _z5(), -0.1), "lr"),
    "rmsprop lr < 0": (lambda: G.rmsprop_step(P5.copy(), G5, _z5(), -0.1), "lr"),
    "adam lr < 0": (lambda: G.adam_step(P5.copy(), G5, _z5(), _z5(), 1, lr=-1e-3), "lr"),
    "adam lr NaN": (lambda: G.adam_step(P5.copy(), G5, _z5(), _z5(), 1, lr=float("nan")), "lr"),
    "adamw lr < 0": (lambda: G.adamw_step(P5.copy(), G5, _z5(), _z5(), 1, lr=-1e-3), "lr"),
    "adamw weight_decay < 0": (
        lambda: G.adamw_step(P5.copy(), G5, _z5(), _z5(), 1, weight_decay=-0.01), "weight_decay"),
}


@pytest.mark.parametrize("name", sorted(TORCH_OPTIM_REFUSES))
def test_what_torch_optim_refuses_is_a_value_error(name):
    call, argument = TORCH_OPTIM_REFUSES[name]
    with pytest.raises(ValueError, match=rf"\b{argument}\b"):
        call()
