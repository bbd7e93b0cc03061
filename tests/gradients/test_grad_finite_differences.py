"""Every gradient function against central finite differences of its loss (float64).

One declarative table, one parametrised test: each case builds (loss of one
argument, the point, the library's analytic gradient at that point).
Non-smooth losses (lasso, perceptron, ReLU, max pooling) are sampled away
from their kinks; each such case asserts its margin so the check stays valid.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from gradcheck import check_grad

import derivations.gradients as G

CASES: dict[str, Callable] = {}


def case(fn: Callable) -> Callable:
    CASES[fn.__name__] = fn
    return fn


def _xy(rng, n=7, d=4):
    return rng.standard_normal((n, d)), rng.standard_normal(n), rng.standard_normal(d)


# ----- regression -----


@case
def linear_regression(rng):
    X, y, th = _xy(rng)
    return (lambda t: G.linear_regression_loss(X, y, t)), th, G.linear_regression_grad(X, y, th)


@case
def ridge(rng):
    X, y, th = _xy(rng)
    return (lambda t: G.ridge_loss(X, y, t, 0.3)), th, G.ridge_grad(X, y, th, 0.3)


@case
def lasso(rng):
    X, y, th = _xy(rng)
    th = np.where(np.abs(th) < 0.1, 0.5, th)  # away from the kink of |θⱼ|
    return (lambda t: G.lasso_loss(X, y, t, 0.3)), th, G.lasso_subgrad(X, y, th, 0.3)


# ----- classification -----


@case
def logistic_cross_entropy(rng):
    X, y, th = _xy(rng)
    y = (y > 0).astype(float)
    return (lambda t: G.logistic_loss(X, y, t)), th, G.logistic_grad(X, y, th)


@case
def logistic_mse(rng):
    X, y, th = _xy(rng)
    y = (y > 0).astype(float)
    return (lambda t: G.logistic_mse_loss(X, y, t)), th, G.logistic_mse_grad(X, y, th)


@case
def perceptron(rng):
    X, y, th = _xy(rng, n=12)
    y = (y > 0).astype(float)
    assert np.abs(X @ th).min() > 1e-3  # no sample on the decision boundary
    return (lambda t: G.perceptron_loss(X, y, t)), th, G.perceptron_grad(X, y, th)


@case
def softmax_cross_entropy(rng):
    Z, lab = rng.standard_normal((6, 5)), rng.integers(0, 5, 6)
    return (lambda z: G.softmax_cross_entropy(z, lab)), Z, G.softmax_cross_entropy_grad(Z, lab)


@case
def softmax_regression(rng):
    X, W, lab = rng.standard_normal((6, 4)), rng.standard_normal((4, 3)), rng.integers(0, 3, 6)
    return (
        (lambda w: G.softmax_regression_loss(X, w, lab)),
        W,
        G.softmax_regression_grad(X, W, lab),
    )


# ----- networks -----


def _two_layer(rng):
    X, W, V = rng.standard_normal((6, 4)), rng.standard_normal((4, 5)), rng.standard_normal((5, 3))
    return X, W, V, rng.integers(0, 3, 6)


@case
def two_layer_wrt_W(rng):
    X, W, V, lab = _two_layer(rng)
    return (lambda w: G.two_layer_forward(X, w, V, lab).loss), W, G.two_layer_grads(X, W, V, lab)[0]


@case
def two_layer_wrt_V(rng):
    X, W, V, lab = _two_layer(rng)
    return (lambda v: G.two_layer_forward(X, W, v, lab).loss), V, G.two_layer_grads(X, W, V, lab)[1]


def _relu_net(rng, k):
    X = rng.standard_normal((6, 4))
    params = [rng.standard_normal((5, 4)), rng.standard_normal(5)]
    params += [rng.standard_normal((k, 5)), rng.standard_normal(k)]
    y = rng.standard_normal(6) if k == 1 else rng.standard_normal((6, k))
    Z = X @ params[0].T + params[1]
    assert np.abs(Z).min() > 1e-4  # away from the ReLU kink
    return X, y, params


def _relu_net_case(which: int, k: int):
    def build(rng):
        X, y, params = _relu_net(rng, k)

        def loss(p):
            args = list(params)
            args[which] = p
            return G.relu_net_forward(X, y, *args).loss

        return loss, params[which], G.relu_net_grads(X, y, *params)[which]

    build.__name__ = f"relu_net_{['W1', 'b1', 'W2', 'b2'][which]}_k{k}"
    return build


for _which in range(4):
    for _k in (1, 3):
        case(_relu_net_case(_which, _k))


@case
def linear_weight_lemma(rng):
    # J = Σᵢ δᵢᵀ(W aᵢ) is linear in W with ∂J/∂(W aᵢ) = δᵢ, so ∂J/∂W = Σᵢ δᵢ aᵢᵀ.
    delta, A, W = (
        rng.standard_normal((5, 3)),
        rng.standard_normal((5, 4)),
        rng.standard_normal((3, 4)),
    )
    return (lambda w: np.sum(delta * (A @ w.T))), W, G.linear_weight_grad(delta, A)


@case
def linear_input_lemma(rng):
    delta, A, W = (
        rng.standard_normal((5, 3)),
        rng.standard_normal((5, 4)),
        rng.standard_normal((3, 4)),
    )
    return (lambda a: np.sum(delta * (a @ W.T))), A, G.linear_input_grad(W, delta)


@case
def relu_lemma(rng):
    z, up = rng.standard_normal((4, 5)), rng.standard_normal((4, 5))
    return (lambda v: np.sum(up * G.relu(v))), z, G.relu_backward(up, z)


# ----- activations (the elementwise derivative is the gradient of Σ f(z)) -----


def _activation_case(name, f, df):
    def build(rng):
        z = rng.standard_normal((3, 4)) * 3
        z = np.where(np.abs(z) < 1e-3, 0.5, z)
        return (lambda v: np.sum(f(v))), z, df(z)

    build.__name__ = name
    return build


case(_activation_case("sigmoid_derivative", G.sigmoid, G.sigmoid_grad))
case(_activation_case("tanh_derivative", np.tanh, G.tanh_grad))
case(_activation_case("relu_derivative", G.relu, G.relu_grad))
case(
    _activation_case(
        "leaky_relu_derivative", lambda v: G.leaky_relu(v, 0.2), lambda v: G.leaky_relu_grad(v, 0.2)
    )
)


# ----- batch normalisation: L = Σ Gᵢⱼ outᵢⱼ -----


def _bn_case(which: str):
    def build(rng):
        X, gamma, beta = rng.standard_normal((6, 3)), rng.standard_normal(3), rng.standard_normal(3)
        up = rng.standard_normal((6, 3))
        args = {"X": X, "gamma": gamma, "beta": beta}

        def loss(p):
            a = dict(args, **{which: p})
            return np.sum(up * G.batchnorm_forward(a["X"], a["gamma"], a["beta"])[0])

        _, cache = G.batchnorm_forward(X, gamma, beta)
        grads = dict(zip(("X", "gamma", "beta"), G.batchnorm_backward(up, cache), strict=True))
        return loss, args[which], grads[which]

    build.__name__ = f"batchnorm_wrt_{which}"
    return build


for _which in ("X", "gamma", "beta"):
    case(_bn_case(_which))


# ----- convolution and pooling: L = Σ G ⊙ layer(x) -----


def _conv_case(wrt: str, stride: int):
    def build(rng):
        x, w = rng.standard_normal((2, 3, 6, 7)), rng.standard_normal((4, 3, 3, 2))
        up = rng.standard_normal(G.conv2d(x, w, stride).shape)
        if wrt == "x":
            return (
                (lambda v: np.sum(up * G.conv2d(v, w, stride))),
                x,
                G.conv2d_grad_input(up, w, x.shape, stride),
            )
        return (
            (lambda v: np.sum(up * G.conv2d(x, v, stride))),
            w,
            G.conv2d_grad_weight(x, up, w.shape, stride),
        )

    build.__name__ = f"conv2d_wrt_{wrt}_stride{stride}"
    return build


for _wrt in ("x", "w"):
    for _s in (1, 2):
        case(_conv_case(_wrt, _s))


def _pool_case(kind: str, size: int, stride: int | None):
    def build(rng):
        # a permutation of well-separated values: every window has a unique max
        x = rng.permutation(2 * 2 * 5 * 6).reshape(2, 2, 5, 6) * 0.1
        pool = G.max_pool2d if kind == "max" else G.avg_pool2d
        up = rng.standard_normal(pool(x, size, stride).shape)
        if kind == "max":
            grad = G.max_pool2d_grad(up, x, size, stride)
        else:
            grad = G.avg_pool2d_grad(up, x.shape, size, stride)
        return (lambda v: np.sum(up * pool(v, size, stride))), x, grad

    build.__name__ = f"{kind}_pool_size{size}_stride{stride}"
    return build


for _kind in ("max", "avg"):
    for _size, _stride in ((2, None), (3, 1), (2, 3)):
        case(_pool_case(_kind, _size, _stride))


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradient_matches_finite_differences(name, rng):
    loss, x0, analytic = CASES[name](rng)
    check_grad(loss, x0, analytic)


def test_checker_rejects_a_wrong_gradient(rng):
    # the checker itself must be able to fail: halve a correct gradient
    loss, x0, analytic = CASES["linear_regression"](rng)
    with pytest.raises(AssertionError, match="gradient mismatch"):
        check_grad(loss, x0, analytic / 2)
