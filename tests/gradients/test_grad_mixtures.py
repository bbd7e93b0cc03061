"""Gaussian mixtures against the density formula with det and inverse; validation."""

from __future__ import annotations

import math

import numpy as np
import pytest

import derivations.gradients as G


def random_mixture(rng, k, d):
    A = rng.standard_normal((k, d, d))
    cov = A @ A.transpose(0, 2, 1) + d * np.eye(d)
    w = rng.random(k) + 0.1
    return w / w.sum(), rng.standard_normal((k, d)), cov


def ref_density(x, mu, cov):
    d = len(x)
    diff = x - mu
    quad = diff @ np.linalg.inv(cov) @ diff
    return math.exp(-0.5 * quad) / math.sqrt((2 * math.pi) ** d * np.linalg.det(cov))


@pytest.mark.parametrize("n,k,d", [(1, 1, 1), (4, 2, 2), (7, 3, 3)])
def test_matches_density_formula(n, k, d, rng):
    X = rng.standard_normal((n, d))
    w, mu, cov = random_mixture(rng, k, d)
    joint = np.array(
        [[w[j] * ref_density(X[i], mu[j], cov[j]) for j in range(k)] for i in range(n)]
    )
    ll = sum(math.log(joint[i].sum()) for i in range(n))
    assert np.isclose(G.gmm_log_likelihood(X, w, mu, cov), ll, rtol=1e-12)
    R = G.gmm_responsibilities(X, w, mu, cov)
    np.testing.assert_allclose(R, joint / joint.sum(axis=1, keepdims=True), rtol=1e-10)
    np.testing.assert_allclose(R.sum(axis=1), 1, rtol=1e-14)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_far_points_are_finite(dtype):
    # densities e^{−500000} underflow; the log-space computation must not
    X = np.array([[1000.0, -1000.0]], dtype)
    w = np.array([0.5, 0.5], dtype)
    mu = np.array([[0.0, 0.0], [1.0, 1.0]], dtype)
    cov = np.stack([np.eye(2), np.eye(2)]).astype(dtype)
    ll = G.gmm_log_likelihood(X, w, mu, cov)
    R = G.gmm_responsibilities(X, w, mu, cov)
    assert ll.dtype == dtype and R.dtype == dtype
    assert np.isfinite(ll) and np.all(np.isfinite(R))
    # ½‖x − μ₁‖² = 10⁶ and ½‖x − μ₂‖² = 10⁶ + 1: only the difference matters
    expected = math.log(0.5) - math.log(2 * math.pi) - 1e6 + math.log(1 + math.exp(-1))
    rtol = 1e-7 if dtype == np.float32 else 1e-14
    assert np.isclose(ll, expected, rtol=rtol, atol=0)
    r0 = 1 / (1 + math.exp(-1))
    np.testing.assert_allclose(R[0], [r0, 1 - r0], rtol=100 * rtol)


def test_zero_weight_component_drops_out(rng):
    X = rng.standard_normal((5, 2))
    w, mu, cov = np.array([1.0, 0.0]), rng.standard_normal((2, 2)), np.stack([np.eye(2)] * 2)
    R = G.gmm_responsibilities(X, w, mu, cov)
    np.testing.assert_array_equal(R[:, 1], 0)
    single = G.gmm_log_likelihood(X, np.ones(1), mu[:1], cov[:1])
    assert np.isclose(G.gmm_log_likelihood(X, w, mu, cov), single)


def test_validation():
    X, mu, cov = np.zeros((3, 2)), np.zeros((2, 2)), np.stack([np.eye(2)] * 2)
    with pytest.raises(ValueError, match=r"weights must sum to 1 .*got sum 0.9"):
        G.gmm_log_likelihood(X, np.array([0.5, 0.4]), mu, cov)
    with pytest.raises(ValueError, match=r"weights must be non-negative; got min -0.5"):
        G.gmm_responsibilities(X, np.array([1.5, -0.5]), mu, cov)
    with pytest.raises(ValueError, match=r"expected means of shape \(2, 2\)"):
        G.gmm_log_likelihood(X, np.array([0.5, 0.5]), np.zeros((2, 3)), cov)
    with pytest.raises(ValueError, match=r"expected covariances of shape \(2, 2, 2\)"):
        G.gmm_log_likelihood(X, np.array([0.5, 0.5]), mu, np.stack([np.eye(3)] * 2))
    bad = cov.copy()
    bad[1] = [[1.0, 2.0], [2.0, 1.0]]
    with pytest.raises(ValueError, match=r"covariances\[1\] is not positive definite"):
        G.gmm_log_likelihood(X, np.array([0.5, 0.5]), mu, bad)
