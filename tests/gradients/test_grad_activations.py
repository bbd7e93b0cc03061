"""Activation derivatives against formulas; conventions at 0; extremes; dtypes."""

from __future__ import annotations

import math

import numpy as np
import pytest

import derivations.gradients as G

FLOATS = [np.float32, np.float64]


def test_against_formulas(rng):
    z = rng.uniform(-8, 8, 40)
    s = [1 / (1 + math.exp(-t)) for t in z]
    np.testing.assert_allclose(G.sigmoid_grad(z), [v * (1 - v) for v in s], rtol=1e-12)
    # 1 − tanh² = sech², the latter free of cancellation in the tails
    np.testing.assert_allclose(G.tanh_grad(z), [1 / math.cosh(t) ** 2 for t in z], rtol=1e-12)
    np.testing.assert_array_equal(G.relu(z), [t if t > 0 else 0 for t in z])
    np.testing.assert_array_equal(G.relu_grad(z), [1 if t > 0 else 0 for t in z])
    np.testing.assert_allclose(G.leaky_relu(z, 0.1), [t if t > 0 else 0.1 * t for t in z])
    np.testing.assert_array_equal(G.leaky_relu_grad(z, 0.1), [1 if t > 0 else 0.1 for t in z])


def test_conventions_at_zero():
    zero = np.zeros(1)
    assert G.relu_grad(zero)[0] == 0
    assert G.leaky_relu_grad(zero, 0.2)[0] == 0.2
    assert G.leaky_relu_grad(zero)[0] == 0.01  # default a
    assert G.sigmoid_grad(zero)[0] == 0.25 and G.tanh_grad(zero)[0] == 1


@pytest.mark.parametrize("dtype", FLOATS)
def test_extremes_and_dtypes(dtype):
    z = np.array([-1000, -50, 0, 50, 1000], dtype)
    for fn in (G.sigmoid_grad, G.tanh_grad, G.relu, G.relu_grad, G.leaky_relu, G.leaky_relu_grad):
        out = fn(z)
        assert out.dtype == dtype and out.shape == z.shape and np.all(np.isfinite(out)), fn
    assert G.sigmoid_grad(z)[0] == 0 and G.sigmoid_grad(z)[-1] == 0
    assert G.tanh_grad(z)[0] == 0 and G.tanh_grad(z)[-1] == 0
    # σ'(−50) ≈ e⁻⁵⁰ to full relative precision (computed as σ(z)σ(−z))
    np.testing.assert_allclose(G.sigmoid_grad(z)[1], math.exp(-50), rtol=1e-5)


def test_non_numeric_input_is_rejected():
    with pytest.raises(ValueError, match="z must be a real numeric array; got dtype <U1"):
        G.relu(np.array(["a"]))
