"""Batch and layer norm keep X and its statistics for the backward pass, not x̂ (as torch does):
x̂ recomputed is the forward's, the backward refuses an X changed in place since the forward
call, and hard but valid inputs raise no false alarm. Every test runs on each path
(conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

import derivations.gradients as G

# (forward, backward, the axis its statistics run along: 0 per column, 1 per row)
NORMS = {
    "batchnorm": (G.batchnorm_forward, G.batchnorm_backward, 0),
    "layernorm": (G.layernorm_forward, G.layernorm_backward, 1),
}


def _float64_norm(X, gamma, up, eps: float, axis: int):
    """(x̂, dX, dγ, dβ) in float64 by the textbook formulas, statistics along axis."""
    X, gamma, up = (a.astype(np.float64) for a in (X, gamma, up))
    mu, var = X.mean(axis, keepdims=True), X.var(axis, keepdims=True)
    inv = 1 / np.sqrt(var + eps)
    xhat = (X - mu) * inv
    g = up * gamma
    dX = inv * (g - g.mean(axis, keepdims=True) - xhat * (g * xhat).mean(axis, keepdims=True))
    return xhat, dX, (up * xhat).sum(0), up.sum(0)


def _hard_lines(rng: np.random.Generator, axis: int) -> dict[str, np.ndarray]:
    """Valid inputs whose statistics are hard to keep precise, each with its lines (the rows
    or columns normalised) along the last axis; transposed for batch norm."""
    d = 300
    outlier = np.zeros((4, d))
    outlier[:, 7] = 1e6
    cases = {
        "offset 1e4, sigma 3": 1e4 + 3 * rng.standard_normal((8, d)),
        "offset 1e5, sigma 0.5": 1e5 + 0.5 * rng.standard_normal((8, d)),
        "constant": np.full((5, d), 2.5),
        "sigma far below eps": 1e-6 * rng.standard_normal((6, d)),
        "one outlier": outlier,
        "heavy tails": rng.standard_cauchy((8, d)),
        "one value each": rng.standard_normal((9, 1)),
        "long": rng.standard_normal((3, 40_000)),
    }
    return {name: np.ascontiguousarray(X.T) if axis == 0 else X for name, X in cases.items()}


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_caches_xhat_is_the_forwards(norm, dtype, rng):
    forward, _, axis = NORMS[norm]
    X = (3 + 2 * rng.standard_normal((40, 70))).astype(dtype)
    gamma, beta = rng.standard_normal(70).astype(dtype), rng.standard_normal(70).astype(dtype)
    out, cache = forward(X, gamma, beta)
    want, *_ = _float64_norm(X, gamma, np.zeros_like(X), 1e-5, axis)
    tol = 1e-5 if dtype == np.float32 else 1e-12
    assert cache.xhat.dtype == dtype
    np.testing.assert_allclose(cache.xhat, want, atol=tol)
    np.testing.assert_allclose(out, gamma * want + beta, atol=10 * tol)
    assert cache.X is X  # no copy: what the cache saves over keeping x̂


def _shift_line(axis: int, k: int, by: float) -> Callable[[np.ndarray], None]:
    def change(X: np.ndarray) -> None:
        line = X[:, k] if axis == 0 else X[k]
        line += by

    return change


def _scale_line(axis: int, k: int) -> Callable[[np.ndarray], None]:
    def change(X: np.ndarray) -> None:
        line = X[:, k] if axis == 0 else X[k]
        line *= 1.2

    return change


CHANGES = {
    "zeroed": lambda axis: lambda X: X.__setitem__(..., 0),  # a buffer reused for the next batch
    "line shifted by sigma/4": lambda axis: _shift_line(axis, 3, 0.5),
    "line scaled": lambda axis: _scale_line(axis, 5),
    "one entry": lambda axis: lambda X: X.__setitem__((7, 2), X[7, 2] + 40),
    "all shifted": lambda axis: lambda X: X.__iadd__(1),
}


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_backward_refuses_X_changed_in_place(change, norm, dtype, rng):
    forward, backward, axis = NORMS[norm]
    X = (1 + 2 * rng.standard_normal((12, 50))).astype(dtype)
    up = rng.standard_normal((12, 50)).astype(dtype)
    _, cache = forward(X, np.ones(50, dtype), np.zeros(50, dtype))
    CHANGES[change](axis)(X)
    with pytest.raises(ValueError, match=f"changed in place after {forward.__name__}"):
        backward(up, cache)


@pytest.mark.parametrize("norm", NORMS)
def test_a_copy_given_to_forward_may_be_changed(norm, rng):
    forward, backward, _ = NORMS[norm]
    X = rng.standard_normal((12, 50))
    up = rng.standard_normal((12, 50))
    _, cache = forward(X.copy(), np.ones(50), np.zeros(50))
    want = backward(up, cache)
    X[...] = 0
    for got, w in zip(backward(up, cache), want, strict=True):
        np.testing.assert_array_equal(got, w)


@pytest.mark.parametrize("eps", [1e-5, 1.0])
@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_hard_valid_inputs_raise_no_false_alarm(dtype, norm, eps, rng):
    forward, backward, axis = NORMS[norm]
    for name, X64 in _hard_lines(rng, axis).items():
        X = X64.astype(dtype)
        n, d = X.shape
        gamma = (1 + 0.1 * rng.standard_normal(d)).astype(dtype)
        up = rng.standard_normal(X.shape).astype(dtype)
        _, cache = forward(X, gamma, np.zeros(d, dtype), eps=eps)
        dX, dgamma, dbeta = backward(up, cache)
        _, want_dX, want_dgamma, want_dbeta = _float64_norm(X, gamma, up, eps, axis)
        scale = np.sqrt(np.abs(want_dX).max() ** 2 + 1)  # the inputs span many scales
        tol = 3e-3 if dtype == np.float32 else 1e-9
        assert np.abs(dX - want_dX).max() <= tol * scale, name
        assert np.abs(dgamma - want_dgamma).max() <= tol * np.sqrt(n) * 10, name
        np.testing.assert_allclose(dbeta, want_dbeta, rtol=tol, atol=tol * np.sqrt(n),
                                   err_msg=name)


@pytest.mark.parametrize("norm", NORMS)
def test_nan_or_inf_gives_nan_not_an_error(norm, rng):
    forward, backward, axis = NORMS[norm]
    X = rng.standard_normal((40, 40))
    X[1, 3], X[4, 0] = np.nan, np.inf
    with np.errstate(invalid="ignore"):
        _, cache = forward(X, np.ones(40), np.zeros(40))
        dX, _, _ = backward(rng.standard_normal((40, 40)), cache)
    bad = [3, 0] if axis == 0 else [1, 4]
    good = np.setdiff1d(np.arange(40), bad)
    lines = dX.T if axis == 0 else dX
    assert np.isnan(lines[bad]).all() and np.isfinite(lines[good]).all()


@pytest.mark.parametrize("norm", NORMS)
def test_float32_lines_whose_squares_overflow(norm, rng):
    # σ ≈ 1e20 in float32: (x − μ)² overflows float32, so it is squared in float64 as σ² is
    # summed; σ² = ∞ gave x̂ = 0, out = β, and a backward that took X to have changed in place.
    # X strided: the reference runs on every path (tests/gradients/test_grad_fast_found.py
    # has the compiled layer norm)
    forward, backward, axis = NORMS[norm]
    X64 = rng.standard_normal((6, 5)) * 1e20
    X = np.repeat(X64.astype(np.float32), 2, axis=1)[:, ::2]
    gamma, up = 1 + 0.1 * rng.standard_normal(5), rng.standard_normal((6, 5))
    out, cache = forward(X, gamma.astype(np.float32), np.zeros(5, np.float32))
    dX, dgamma, dbeta = backward(up.astype(np.float32), cache)
    xhat, want_dX, want_dgamma, want_dbeta = _float64_norm(X, gamma, up, 1e-5, axis)
    np.testing.assert_allclose(out, gamma * xhat, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(dX, want_dX, rtol=1e-4, atol=1e-24)
    np.testing.assert_allclose(dgamma, want_dgamma, rtol=1e-4, atol=1e-5)
