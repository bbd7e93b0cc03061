"""Classification functions against loop references; stability at logits of ±1000."""

from __future__ import annotations

import math

import numpy as np
import pytest

import derivations.gradients as G

SIZES = [(1, 1), (4, 2), (9, 3)]
FLOATS = [np.float32, np.float64]


def ref_sigmoid(t: float) -> float:
    return 1 / (1 + math.exp(-t))


def ref_softmax_row(z):
    e = [math.exp(v) for v in z]
    return [v / sum(e) for v in e]


# ----- sigmoid and logistic regression -----


def test_sigmoid_matches_formula(rng):
    z = rng.uniform(-30, 30, 50)
    np.testing.assert_allclose(G.sigmoid(z), [ref_sigmoid(t) for t in z], rtol=1e-14)
    # 1 − σ(z) = σ(−z)   note 002 §1.1
    np.testing.assert_allclose(1 - G.sigmoid(z), G.sigmoid(-z), atol=1e-15)


@pytest.mark.parametrize("dtype", FLOATS)
def test_sigmoid_extremes(dtype):
    z = np.array([-1000, -100, -20, 0, 20, 100, 1000], dtype)
    s = G.sigmoid(z)
    assert s.dtype == dtype and np.all(np.isfinite(s)) and np.all((s >= 0) & (s <= 1))
    assert s[0] == 0 and s[-1] == 1 and s[3] == 0.5
    # relative accuracy for small values (no 1 − σ(−z) cancellation)
    np.testing.assert_allclose(s[2], math.exp(-20) / (1 + math.exp(-20)), rtol=1e-6)


@pytest.mark.parametrize("n,d", SIZES)
def test_logistic_matches_loops(n, d, rng):
    X, th = rng.standard_normal((n, d)), rng.standard_normal(d)
    y = rng.integers(0, 2, n).astype(float)
    h = [ref_sigmoid(sum(X[i, k] * th[k] for k in range(d))) for i in range(n)]
    bce = -sum(y[i] * math.log(h[i]) + (1 - y[i]) * math.log(1 - h[i]) for i in range(n)) / n
    assert np.isclose(G.logistic_loss(X, y, th), bce, rtol=1e-12)
    grad = [sum((h[i] - y[i]) * X[i, j] for i in range(n)) / n for j in range(d)]
    np.testing.assert_allclose(G.logistic_grad(X, y, th), grad, rtol=1e-12)
    mse = sum((h[i] - y[i]) ** 2 for i in range(n)) / (2 * n)
    assert np.isclose(G.logistic_mse_loss(X, y, th), mse, rtol=1e-12)
    # note 001: xᵀ[(h − y) h (1 − h)], here averaged
    mgrad = [
        sum((h[i] - y[i]) * h[i] * (1 - h[i]) * X[i, j] for i in range(n)) / n for j in range(d)
    ]
    np.testing.assert_allclose(G.logistic_mse_grad(X, y, th), mgrad, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("dtype", FLOATS)
def test_logistic_loss_extremes(dtype):
    # logits u = ±1000: each wrong-side sample costs exactly |u|, right-side ones 0
    X = np.array([[1000.0], [-1000.0], [1000.0], [-1000.0]], dtype)
    y = np.array([0, 1, 1, 0], dtype)
    th = np.ones(1, dtype)
    loss = G.logistic_loss(X, y, th)
    assert loss.dtype == dtype and np.isclose(loss, 500.0)
    for fn in (G.logistic_grad, G.logistic_mse_grad):
        g = fn(X, y, th)
        assert g.dtype == dtype and np.all(np.isfinite(g))
    np.testing.assert_allclose(G.logistic_grad(X, y, th), [(1000 + 1000) / 4])


# ----- perceptron (note 001) -----


@pytest.mark.parametrize("n,d", SIZES + [(30, 4)])
def test_perceptron_matches_note_sets(n, d, rng):
    X, th = rng.standard_normal((n, d)), rng.standard_normal(d)
    y = rng.integers(0, 2, n).astype(float)
    u = X @ th
    m0 = [i for i in range(n) if y[i] == 0 and u[i] >= 0]  # class 0 predicted 1
    m1 = [i for i in range(n) if y[i] == 1 and u[i] < 0]  # class 1 predicted 0
    # L = Σ_{x∈M₀} xᵀθ − Σ_{x∈M₁} xᵀθ
    assert np.isclose(G.perceptron_loss(X, y, th), sum(u[i] for i in m0) - sum(u[i] for i in m1))
    grad = [sum(X[i, j] for i in m0) - sum(X[i, j] for i in m1) for j in range(d)]
    np.testing.assert_allclose(G.perceptron_grad(X, y, th), grad, atol=1e-12)
    assert G.perceptron_loss(X, y, th) >= 0


def test_perceptron_zero_when_all_correct(rng):
    X, th = rng.standard_normal((10, 3)), rng.standard_normal(3)
    y = (X @ th >= 0).astype(float)
    assert G.perceptron_loss(X, y, th) == 0
    np.testing.assert_array_equal(G.perceptron_grad(X, y, th), 0)


# ----- softmax -----


@pytest.mark.parametrize("n,c", [(1, 1), (3, 2), (5, 4)])
def test_softmax_family_matches_loops(n, c, rng):
    Z, lab = rng.standard_normal((n, c)) * 3, rng.integers(0, c, n)
    S = [ref_softmax_row(Z[i]) for i in range(n)]
    np.testing.assert_allclose(G.softmax(Z), S, rtol=1e-13)
    np.testing.assert_allclose(G.softmax(Z.T, axis=0), np.array(S).T, rtol=1e-13)
    np.testing.assert_allclose(G.log_softmax(Z), np.log(S), rtol=1e-12, atol=1e-14)
    ce = -sum(math.log(S[i][lab[i]]) for i in range(n)) / n
    assert np.isclose(G.softmax_cross_entropy(Z, lab), ce, rtol=1e-12)
    grad = [[(S[i][k] - (k == lab[i])) / n for k in range(c)] for i in range(n)]
    np.testing.assert_allclose(G.softmax_cross_entropy_grad(Z, lab), grad, atol=1e-15)


@pytest.mark.parametrize("n,d,c", [(1, 1, 2), (4, 3, 2), (6, 2, 5)])
def test_softmax_regression_matches_note_001(n, d, c, rng):
    X, W, lab = rng.standard_normal((n, d)), rng.standard_normal((d, c)), rng.integers(0, c, n)
    # note 001: ∂ log L/∂θᵥ = Σᵢ xᵢ (1{yᵢ = v} − S(xᵢθᵥ)); our mean loss gradient is −1/N of it
    ref = np.zeros((d, c))
    for i in range(n):
        S = ref_softmax_row([sum(X[i, k] * W[k, v] for k in range(d)) for v in range(c)])
        for v in range(c):
            ref[:, v] -= X[i] * ((lab[i] == v) - S[v]) / n
    np.testing.assert_allclose(G.softmax_regression_grad(X, W, lab), ref, atol=1e-14)


@pytest.mark.parametrize("dtype", FLOATS)
def test_softmax_rows_many_rows(dtype, rng):
    # enough rows that each thread's part prefetches rows ahead; 37 classes leave a scalar
    # tail after the vectors; the caller's logits are never overwritten (only XW is)
    n, d, c = 203, 5, 37
    X, W = rng.standard_normal((n, d)).astype(dtype), rng.standard_normal((d, c)).astype(dtype)
    lab = rng.integers(0, c, n)
    Z = X @ W
    Z_before = Z.copy()
    S = np.exp(Z - Z.max(axis=1, keepdims=True), dtype=np.float64)
    S /= S.sum(axis=1, keepdims=True)
    D = S.copy()
    D[np.arange(n), lab] -= 1
    D /= n
    tol = {"rtol": 1e-5, "atol": 1e-7} if dtype == np.float32 else {"rtol": 1e-12, "atol": 1e-15}
    np.testing.assert_allclose(G.softmax(Z), S, **tol)
    np.testing.assert_allclose(G.softmax_cross_entropy_grad(Z, lab), D, **tol)
    np.testing.assert_array_equal(Z, Z_before)
    got = G.softmax_regression_grad(X, W, lab)
    assert got.dtype == dtype
    np.testing.assert_allclose(got, X.T.astype(np.float64) @ D, **tol)


@pytest.mark.parametrize("dtype", FLOATS)
def test_softmax_extremes(dtype):
    Z = np.array([[1000, -1000, 0], [-1000, -1000, -1000], [1000, 1000, -1000]], dtype)
    lab = np.array([1, 2, 0])
    S = G.softmax(Z)
    assert S.dtype == dtype and np.all(np.isfinite(S))
    np.testing.assert_allclose(S, [[1, 0, 0], [1 / 3] * 3, [0.5, 0.5, 0]], atol=1e-7)
    L = G.log_softmax(Z)
    assert L.dtype == dtype and np.all(np.isfinite(L))
    assert L[0, 1] == -2000 and np.isclose(L[1, 0], -math.log(3))
    ce = G.softmax_cross_entropy(Z, lab)
    assert ce.dtype == dtype and np.isclose(ce, (2000 + math.log(3) + math.log(2)) / 3, rtol=1e-6)
    g = G.softmax_cross_entropy_grad(Z, lab)
    assert g.dtype == dtype and np.all(np.isfinite(g))
    np.testing.assert_allclose(g.sum(axis=1), 0, atol=1e-7)


def test_label_errors():
    Z = np.zeros((3, 4))
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 4\).*\[0, 4\]"):
        G.softmax_cross_entropy(Z, [0, 1, 4])
    with pytest.raises(ValueError, match="labels must be integer class indices; got dtype float64"):
        G.softmax_cross_entropy_grad(Z, np.array([0.0, 1.0, 2.0]))
    with pytest.raises(ValueError, match=r"Z has 3 rows but labels has shape \(2,\)"):
        G.softmax_cross_entropy_grad(Z, [0, 1])
    with pytest.raises(ValueError, match=r"Z must be 2-D .*got shape \(4,\)"):
        G.softmax_cross_entropy(np.zeros(4), [0])


def test_softmax_regression_shape_error():
    with pytest.raises(
        ValueError,
        match=r"X has shape \(5, 3\) but W has shape \(4, 2\); "
        r"expected W with 3 rows",
    ):
        G.softmax_regression_grad(np.ones((5, 3)), np.ones((4, 2)), np.zeros(5, int))


def test_logistic_shape_error():
    with pytest.raises(ValueError, match=r"expected theta of length 3"):
        G.logistic_grad(np.ones((5, 3)), np.ones(5), np.ones(4))
    with pytest.raises(ValueError, match=r"expected y of length 5"):
        G.perceptron_grad(np.ones((5, 3)), np.ones(6), np.ones(3))
