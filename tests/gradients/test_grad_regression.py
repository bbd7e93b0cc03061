"""Regression gradients against loop references, the normal equation, shape errors."""

from __future__ import annotations

import numpy as np
import pytest

import derivations.gradients as G

SIZES = [(1, 1), (3, 2), (7, 4), (10, 3)]


def ref_residuals(X, y, th):
    n, d = X.shape
    return [sum(X[i, k] * th[k] for k in range(d)) - y[i] for i in range(n)]


def ref_data_grad(X, y, th, scale):
    # scale · Σᵢ rᵢ xᵢⱼ, written out entry by entry
    r = ref_residuals(X, y, th)
    return np.array([scale * sum(r[i] * X[i, j] for i in range(len(r))) for j in range(X.shape[1])])


@pytest.mark.parametrize("n,d", SIZES)
def test_linear_regression_matches_loops(n, d, rng):
    X, y, th = rng.standard_normal((n, d)), rng.standard_normal(n), rng.standard_normal(d)
    r = ref_residuals(X, y, th)
    # L = (1/N)‖Xθ − y‖², ∇L = (2/N)Xᵀ(Xθ − y)
    assert np.isclose(G.linear_regression_loss(X, y, th), sum(v * v for v in r) / n)
    np.testing.assert_allclose(G.linear_regression_grad(X, y, th), ref_data_grad(X, y, th, 2 / n))


@pytest.mark.parametrize("n,d", SIZES)
def test_ridge_and_lasso_match_loops(n, d, rng):
    X, y, th = rng.standard_normal((n, d)), rng.standard_normal(n), rng.standard_normal(d)
    th[0] = 0.0  # sign(0) = 0 for the lasso subgradient
    lam = 0.7
    data = ref_data_grad(X, y, th, 1 / n)
    np.testing.assert_allclose(G.ridge_grad(X, y, th, lam), data + 2 * lam * th)
    signs = np.array([1.0 if t > 0 else -1.0 if t < 0 else 0.0 for t in th])
    np.testing.assert_allclose(G.lasso_subgrad(X, y, th, lam), data + lam * signs)
    r = ref_residuals(X, y, th)
    sq = sum(v * v for v in r) / (2 * n)
    assert np.isclose(G.ridge_loss(X, y, th, lam), sq + lam * sum(t * t for t in th))
    assert np.isclose(G.lasso_loss(X, y, th, lam), sq + lam * sum(abs(t) for t in th))


def test_lasso_subgradient_inequality_at_zero(rng):
    # g ∈ ∂L(θ) iff L(θ') ≥ L(θ) + gᵀ(θ' − θ) for all θ' (note 002's definition)
    X, y = rng.standard_normal((8, 3)), rng.standard_normal(8)
    th = np.array([0.0, 1.5, 0.0])
    g = G.lasso_subgrad(X, y, th, 2.0)
    base = G.lasso_loss(X, y, th, 2.0)
    for _ in range(200):
        other = th + rng.standard_normal(3) * rng.choice([1e-3, 1.0, 10.0])
        assert G.lasso_loss(X, y, other, 2.0) >= base + g @ (other - th) - 1e-12


@pytest.mark.parametrize("n,d", [(5, 3), (20, 6)])
def test_normal_equation_full_rank(n, d, rng):
    X, y = rng.standard_normal((n, d)), rng.standard_normal(n)
    theta = G.normal_equation(X, y)
    np.testing.assert_allclose(theta, np.linalg.solve(X.T @ X, X.T @ y), rtol=1e-10)
    np.testing.assert_allclose(G.linear_regression_grad(X, y, theta), 0, atol=1e-12)


def test_normal_equation_rank_deficient_is_minimum_norm(rng):
    A = rng.standard_normal((9, 2))
    X = np.column_stack([A[:, 0], A[:, 0], A[:, 1]])  # duplicated column: rank 2
    y = rng.standard_normal(9)
    theta = G.normal_equation(X, y)
    np.testing.assert_allclose(theta, np.linalg.pinv(X) @ y, atol=1e-12)
    assert np.isclose(theta[0], theta[1])  # orthogonal to the null space (1, −1, 0)
    np.testing.assert_allclose(G.linear_regression_grad(X, y, theta), 0, atol=1e-12)


def test_float32_stays_float32(rng):
    X, y, th = (
        a.astype(np.float32)
        for a in (rng.standard_normal((6, 3)), rng.standard_normal(6), rng.standard_normal(3))
    )
    for out in (
        G.linear_regression_loss(X, y, th),
        G.linear_regression_grad(X, y, th),
        G.ridge_grad(X, y, th, 0.1),
        G.lasso_subgrad(X, y, th, 0.1),
        G.ridge_loss(X, y, th, 0.1),
        G.lasso_loss(X, y, th, 0.1),
        G.normal_equation(X, y),
    ):
        assert out.dtype == np.float32


@pytest.mark.parametrize(
    "X_shape,y_shape,theta_shape,message",
    [
        (
            (5, 3),
            (5,),
            (4,),
            "X has shape (5, 3) but theta has shape (4,); expected theta of length 3",
        ),
        ((5, 3), (4,), (3,), "X has shape (5, 3) but y has shape (4,); expected y of length 5"),
        ((5, 3), (5,), (3, 1), "theta has shape (3, 1)"),
        ((5,), (5,), (3,), "X must be 2-D"),
    ],
)
def test_shape_errors(X_shape, y_shape, theta_shape, message):
    X, y, th = np.ones(X_shape), np.ones(y_shape), np.ones(theta_shape)
    for fn in (G.linear_regression_grad, G.linear_regression_loss):
        with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
            fn(X, y, th)
    with pytest.raises(ValueError, match="theta|y has|X must"):
        G.ridge_grad(X, y, th, 0.1)


def test_normal_equation_shape_error():
    with pytest.raises(ValueError, match=r"y has shape \(4,\); expected y of length 5"):
        G.normal_equation(np.ones((5, 2)), np.ones(4))
