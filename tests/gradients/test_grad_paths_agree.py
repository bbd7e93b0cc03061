"""The fast paths of the newer functions give the reference's results: float32 and float64, on
every memory layout the other tests use (C, Fortran, strided, reversed), with NaN and ±inf
where the function takes them.

The kernel_path fixture (conftest.py) runs each test on the reference, the block-wise NumPy
path and the compiled kernels (forced at every size); the reference is computed here with the
fast path off, so on the other two paths each test compares the two.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from layouts import LAYOUTS, as_layout

import derivations.gradients as G

FLOATS = [np.float32, np.float64]


def _reference(fn: Callable, *args, monkeypatch: pytest.MonkeyPatch):
    with monkeypatch.context() as mp:
        mp.setenv("DERIVCHECK_KERNELS", "reference")
        return fn(*args)


def _close(got, want, dtype) -> None:
    """Equal to a few units in the last place of the result's scale (the two paths round in
    different orders), NaN where the reference has NaN."""
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype == dtype and got.shape == want.shape
    eps = np.finfo(dtype).eps
    scale = np.nanmax(np.abs(np.where(np.isinf(want), 0, want)), initial=1.0)
    np.testing.assert_allclose(got, want, rtol=64 * eps, atol=64 * eps * scale)


def _activations(rng, dtype) -> np.ndarray:
    z = rng.standard_normal((37, 23)) * 4
    z[0, :12] = [0.0, -0.0, np.nan, np.inf, -np.inf, 40, -40, 1e-30, -1e-30, 0.5, -0.5, 3]
    z[1, :6] = [0.46875 * 2**0.5, -0.46875 * 2**0.5, 4 * 2**0.5, -4 * 2**0.5, -12, -30]
    return z.astype(dtype)


ELEMENTWISE = {
    "gelu_grad": G.gelu_grad,
    "gelu_grad(tanh)": lambda z: G.gelu_grad(z, "tanh"),
    "silu_grad": G.silu_grad,
    "elu_grad": lambda z: G.elu_grad(z, 0.7),
    "softplus_grad": G.softplus_grad,
}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_activation_derivatives(name, dtype, layout, rng, monkeypatch):
    fn = ELEMENTWISE[name]
    z = as_layout(_activations(rng, dtype), layout)
    with np.errstate(invalid="ignore", over="ignore"):  # inf · 0 at z = ±inf, as in torch
        want = _reference(fn, z, monkeypatch=monkeypatch)
        got = fn(z)
    _close(got, want, dtype)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", FLOATS)
def test_softmax_vjps(dtype, layout, rng, monkeypatch):
    Z = rng.standard_normal((29, 17)) * 3
    up = as_layout(rng.standard_normal(Z.shape).astype(dtype), layout)
    S = as_layout(G.softmax(Z).astype(dtype), layout)
    log_s = as_layout(G.log_softmax(Z).astype(dtype), layout)
    _close(G.softmax_vjp(up, S), _reference(G.softmax_vjp, up, S, monkeypatch=monkeypatch),
           dtype)
    _close(G.log_softmax_vjp(up, log_s),
           _reference(G.log_softmax_vjp, up, log_s, monkeypatch=monkeypatch), dtype)


def test_log_softmax_vjp_of_positive_logs(rng, monkeypatch):
    # not log-probabilities: the compiled exp takes arguments ≤ 0, so that path declines
    up, L = rng.standard_normal((6, 50)), rng.standard_normal((6, 50))
    L[3, 7] = np.nan
    with np.errstate(invalid="ignore"):
        got = G.log_softmax_vjp(up, L)
    want = _reference(G.log_softmax_vjp, up, L, monkeypatch=monkeypatch)
    _close(got, want, np.float64)
    assert np.isnan(got[3, 7]) and np.isnan(got).sum() == 1


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", FLOATS)
def test_layernorm(dtype, layout, rng, monkeypatch):
    X = as_layout((5 + 3 * rng.standard_normal((31, 40))).astype(dtype), layout)
    gamma, beta = rng.standard_normal(40).astype(dtype), rng.standard_normal(40).astype(dtype)
    up = as_layout(rng.standard_normal((31, 40)).astype(dtype), layout)
    out, cache = G.layernorm_forward(X, gamma, beta)
    want_out, want_cache = _reference(G.layernorm_forward, X, gamma, beta,
                                      monkeypatch=monkeypatch)
    _close(out, want_out, dtype)
    _close(cache.inv_std, want_cache.inv_std, dtype)
    for got, want in zip(G.layernorm_backward(up, cache),
                         _reference(G.layernorm_backward, up, want_cache,
                                    monkeypatch=monkeypatch), strict=True):
        _close(got, want, dtype)


def _vector_of(v: np.ndarray, layout: str) -> np.ndarray:
    """These values as a C-contiguous, strided or reversed vector."""
    if layout == "strided":
        holder = np.zeros(2 * v.size, v.dtype)
        holder[::2] = v
        return holder[::2]
    if layout == "reversed":
        return np.ascontiguousarray(v[::-1])[::-1]
    return v


def _vector(rng, dtype, layout, positive=False):
    v = rng.standard_normal(1000)
    v = np.abs(v) if positive else v
    return _vector_of(v.astype(dtype), layout)


STEPS = {
    "sgd_nesterov_step": (lambda a: G.sgd_nesterov_step(a[0], a[1], a[2], 0.1, 0.9, 1e-2), 3),
    "adam_step": (lambda a: G.adam_step(a[0], a[1], a[2], a[3], 3, lr=0.1), 4),
    "adamw_step": (lambda a: G.adamw_step(a[0], a[1], a[2], a[3], 3, lr=0.1), 4),
}


@pytest.mark.parametrize("layout", ["C", "strided", "reversed"])
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", sorted(STEPS))
def test_optimizer_steps(name, dtype, layout, rng, monkeypatch):
    step, count = STEPS[name]
    arrays = [_vector(rng, dtype, layout, positive=(i == 3)) for i in range(count)]
    copies = [a.copy() for a in arrays]
    for _ in range(3):  # a few steps, state and all
        step(arrays)
        _reference(step, copies, monkeypatch=monkeypatch)
    for got, want in zip(arrays, copies, strict=True):
        _close(got, want, dtype)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", FLOATS)
def test_conv2d_grad_bias(dtype, layout, rng, monkeypatch):
    up = rng.standard_normal((3, 5, 7, 9)).astype(dtype)
    up = as_layout(up, layout)
    _close(G.conv2d_grad_bias(up), _reference(G.conv2d_grad_bias, up, monkeypatch=monkeypatch),
           dtype)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.1, 1.0])
def test_cross_entropy_grad(smoothing, weighted, dtype, layout, rng, monkeypatch):
    Z = as_layout((rng.standard_normal((37, 11)) * 4).astype(dtype), layout)
    Z[2, 3] = 900  # a logit far out: no overflow
    labels = rng.integers(0, 11, 37)
    labels[::5] = -100  # ignored rows
    w = (rng.random(11) + 0.5).astype(dtype) if weighted else None  # float64 would promote Z
    args = (Z, labels, w, -100, smoothing)
    _close(G.cross_entropy_grad(*args),
           _reference(G.cross_entropy_grad, *args, monkeypatch=monkeypatch), dtype)
    P = G.softmax(rng.standard_normal(Z.shape)).astype(dtype)  # probability targets
    _close(G.cross_entropy_grad(Z, P, w, label_smoothing=smoothing),
           _reference(G.cross_entropy_grad, Z, P, w, -100, smoothing, monkeypatch=monkeypatch),
           dtype)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", FLOATS)
def test_huber_grad(dtype, layout, rng, monkeypatch):
    pred = as_layout((rng.standard_normal((23, 19)) * 2).astype(dtype), layout)
    target = as_layout(rng.standard_normal((23, 19)).astype(dtype), layout)
    pred[0, :4] = [np.nan, np.inf, -np.inf, 0.0]
    args = (pred, target, 0.7)
    _close(G.huber_grad(*args), _reference(G.huber_grad, *args, monkeypatch=monkeypatch), dtype)


@pytest.mark.parametrize("layout", ["C", "strided", "reversed"])
@pytest.mark.parametrize("dtype", FLOATS)
def test_hinge_grad(dtype, layout, rng, monkeypatch):
    scores = rng.standard_normal(1000) * 2
    scores[:5] = [1.0, -1.0, np.nan, np.inf, -np.inf]  # at the kink, NaN, ±inf
    y = np.where(rng.random(1000) < 0.5, -1.0, 1.0)
    y[:2] = [1.0, -1.0]
    scores, y = (_vector_of(a.astype(dtype), layout) for a in (scores, y))
    _close(G.hinge_grad(scores, y), _reference(G.hinge_grad, scores, y, monkeypatch=monkeypatch),
           dtype)
