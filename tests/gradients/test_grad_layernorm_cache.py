"""Layer norm's cache keeps X and each row's statistics, not x̂ (as torch does): x̂ recomputed
is the forward's, the backward refuses an X changed in place since the forward call, and
hard but valid inputs raise no false alarm. Every test runs on each path (conftest.py)."""

from __future__ import annotations

import numpy as np
import pytest

import derivations.gradients as G


def _float64_layernorm(X: np.ndarray, gamma: np.ndarray, up: np.ndarray, eps: float):
    """(x̂, dX, dγ, dβ) in float64 by the textbook formulas."""
    X, gamma, up = (a.astype(np.float64) for a in (X, gamma, up))
    mu, var = X.mean(1, keepdims=True), X.var(1, keepdims=True)
    inv = 1 / np.sqrt(var + eps)
    xhat = (X - mu) * inv
    g = up * gamma
    dX = inv * (g - g.mean(1, keepdims=True) - xhat * (g * xhat).mean(1, keepdims=True))
    return xhat, dX, (up * xhat).sum(0), up.sum(0)


def _hard_rows(rng: np.random.Generator) -> dict[str, np.ndarray]:
    d = 300
    outlier = np.zeros((4, d))
    outlier[:, 7] = 1e6
    return {
        "offset 1e4, sigma 3": 1e4 + 3 * rng.standard_normal((8, d)),
        "offset 1e5, sigma 0.5": 1e5 + 0.5 * rng.standard_normal((8, d)),
        "constant rows": np.full((5, d), 2.5),
        "sigma far below eps": 1e-6 * rng.standard_normal((6, d)),
        "one outlier per row": outlier,
        "heavy tails": rng.standard_cauchy((8, d)),
        "one feature": rng.standard_normal((9, 1)),
        "wide rows": rng.standard_normal((3, 40_000)),
    }


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_caches_xhat_is_the_forwards(dtype, rng):
    X = (3 + 2 * rng.standard_normal((40, 70))).astype(dtype)
    gamma, beta = rng.standard_normal(70).astype(dtype), rng.standard_normal(70).astype(dtype)
    out, cache = G.layernorm_forward(X, gamma, beta)
    want, *_ = _float64_layernorm(X, gamma, np.zeros_like(X), 1e-5)
    tol = 1e-5 if dtype == np.float32 else 1e-12
    assert cache.xhat.dtype == dtype
    np.testing.assert_allclose(cache.xhat, want, atol=tol)
    np.testing.assert_allclose(out, gamma * want + beta, atol=10 * tol)
    assert cache.X is X  # no copy: what the cache saves over keeping x̂


@pytest.mark.parametrize(
    "change",
    [
        lambda X: X.__setitem__(..., 0),  # the caller reuses its buffer for the next batch
        lambda X: X.__setitem__(3, X[3] + 0.5),  # one row shifted by σ/4
        lambda X: X.__setitem__(5, 1.2 * X[5]),  # one row scaled
        lambda X: X.__setitem__((7, 2), X[7, 2] + 40),  # one entry
        lambda X: X.__iadd__(1),  # all rows shifted
    ],
    ids=["zeroed", "row shifted", "row scaled", "one entry", "all shifted"],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_backward_refuses_X_changed_in_place(change, dtype, rng):
    X = (1 + 2 * rng.standard_normal((12, 50))).astype(dtype)
    up = rng.standard_normal((12, 50)).astype(dtype)
    _, cache = G.layernorm_forward(X, np.ones(50, dtype), np.zeros(50, dtype))
    change(X)
    with pytest.raises(ValueError, match="changed in place after layernorm_forward"):
        G.layernorm_backward(up, cache)


def test_a_copy_given_to_forward_may_be_changed(rng):
    X = rng.standard_normal((12, 50))
    up = rng.standard_normal((12, 50))
    _, cache = G.layernorm_forward(X.copy(), np.ones(50), np.zeros(50))
    want = G.layernorm_backward(up, cache)
    X[...] = 0
    for got, w in zip(G.layernorm_backward(up, cache), want, strict=True):
        np.testing.assert_array_equal(got, w)


@pytest.mark.parametrize("eps", [1e-5, 1.0])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_hard_valid_rows_raise_no_false_alarm(dtype, eps, rng):
    for name, X64 in _hard_rows(rng).items():
        X = X64.astype(dtype)
        d = X.shape[1]
        gamma = (1 + 0.1 * rng.standard_normal(d)).astype(dtype)
        up = rng.standard_normal(X.shape).astype(dtype)
        _, cache = G.layernorm_forward(X, gamma, np.zeros(d, dtype), eps=eps)
        dX, dgamma, dbeta = G.layernorm_backward(up, cache)
        _, want_dX, want_dgamma, want_dbeta = _float64_layernorm(X, gamma, up, eps)
        scale = np.sqrt(np.abs(want_dX).max() ** 2 + 1)  # the inputs span many scales
        tol = 3e-3 if dtype == np.float32 else 1e-9
        assert np.abs(dX - want_dX).max() <= tol * scale, name
        assert np.abs(dgamma - want_dgamma).max() <= tol * np.sqrt(X.shape[0]) * 10, name
        np.testing.assert_allclose(dbeta, want_dbeta, rtol=tol, atol=tol, err_msg=name)


def test_rows_of_nan_or_inf_give_nan_not_an_error(rng):
    X = rng.standard_normal((6, 40))
    X[1, 3], X[4, 0] = np.nan, np.inf
    with np.errstate(invalid="ignore"):
        _, cache = G.layernorm_forward(X, np.ones(40), np.zeros(40))
        dX, _, _ = G.layernorm_backward(rng.standard_normal((6, 40)), cache)
    assert np.isnan(dX[[1, 4]]).all() and np.isfinite(dX[[0, 2, 3, 5]]).all()
