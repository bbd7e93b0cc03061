"""Discrepancies of the fast path (derivations/gradients/_fast/) found by a cross-check against
torch and the reference formulas: a strict xfail while the kernels differ, a plain test once
they are fixed (each names the fast path it covers)."""

from __future__ import annotations

import numpy as np
import pytest

import derivations.gradients as G


def _fast_only(kernel_path: str) -> None:
    if kernel_path == "reference":
        pytest.skip("a fast-path discrepancy: the reference is tested in test_grad_optimizers.py")


@pytest.mark.parametrize("kind", ["adam", "adamw", "rmsprop"])
def test_float32_gradient_whose_square_overflows(kind, kernel_path):
    """The fast steps (block-wise NumPy and the compiled adam_step / rmsprop_step) computed
    g·g before (1 − β): a float32 gradient above 1.8e19 made v infinite and the step 0
    (torch and the reference: ((1 − β)g)g, finite)."""
    _fast_only(kernel_path)
    g = np.array([1e20, -3e19, 2.5e19, 1.0, -2.0], np.float32)
    params, m, v = np.ones(5, np.float32), np.zeros(5, np.float32), np.zeros(5, np.float32)
    with np.errstate(over="ignore"):
        if kind == "rmsprop":
            G.rmsprop_step(params, g, v, 0.01)
        else:
            (G.adam_step if kind == "adam" else G.adamw_step)(params, g, m, v, 1, lr=0.01)
    assert np.isfinite(v).all()
    # the first step moves every entry by about lr (Adam: exactly lr·sign(g) up to ε)
    assert np.all(np.abs(params - 1) > 0.005)


@pytest.mark.parametrize("width", [5, 100])  # the scalar tail alone; 512-bit vectors too
def test_layernorm_float32_rows_whose_squares_overflow(width, kernel_path, rng):
    """The compiled layernorm_forward squared x − μ in float32: rows with σ ≈ 1e20 got σ² = ∞,
    x̂ = 0, out = β, and layernorm_backward then reported X as changed in place (the
    reference squares in float64)."""
    if kernel_path != "compiled":
        pytest.skip("the compiled layer norm kernel only")
    X = (rng.standard_normal((6, width)) * 1e20).astype(np.float32)
    gamma, beta = np.ones(width, np.float32), np.zeros(width, np.float32)
    out, cache = G.layernorm_forward(X, gamma, beta)
    X64 = X.astype(np.float64)
    xhat = (X64 - X64.mean(1, keepdims=True)) / X64.std(1, keepdims=True)
    np.testing.assert_allclose(out, xhat, rtol=1e-5, atol=1e-5)
    G.layernorm_backward(np.ones((6, width), np.float32), cache)  # no false "X changed"


def test_relu_net_nan_input_shows_in_every_first_layer_gradient(kernel_path):
    """Fixed, was: the compiled relu_net_grads takes δ₁ = 0 where a pre-activation is NaN
    (1[z > 0]); torch's threshold_backward and the reference pass ∂J/∂a on there, so a NaN
    input shows in ∂J/∂W₁ and ∂J/∂b₁."""
    if kernel_path != "compiled":
        pytest.skip("the compiled relu_net_grads only")
    X = np.array([[np.nan, 0.5], [-1.0, 0.25], [2.0, 1.0]])
    W1, b1 = np.array([[1.0, 0.0], [-1.0, 0.0]]), np.zeros(2)
    with np.errstate(invalid="ignore"):
        got = G.relu_net_grads(X, np.ones(3), W1, b1, np.array([[0.5, -2.0]]), np.array([0.1]))
    assert np.isnan(got.W1).all() and np.isnan(got.b1).all()


def test_batchnorm_mean_of_a_column_with_infinity(kernel_path, rng):
    """Fixed, was: the compiled batchnorm_forward merges block moments (∞ − ∞): a column
    holding +∞ gets mean NaN, where the reference and torch's native_batch_norm give +∞."""
    if kernel_path != "compiled":
        pytest.skip("the compiled batch norm kernel only")
    X = rng.standard_normal((6, 3))
    X[2, 1] = np.inf
    with np.errstate(invalid="ignore"):
        _, cache = G.batchnorm_forward(X, np.ones(3), np.zeros(3))
    assert cache.mean[1] == np.inf


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_conv2d_infinite_weight_with_padding(dtype, kernel_path, rng, monkeypatch):
    """Fixed, was: the compiled conv2d and conv2d_grad_input skip the taps that fall in the
    zero padding: with an infinite weight, torch and the reference give 0 · ∞ = NaN at the
    border outputs the compiled conv2d leaves ±∞ (59 NaN against 19 here), and the compiled
    input gradient has NaN where torch and the reference have none."""
    if kernel_path != "compiled":
        pytest.skip("the compiled convolution only")
    x = rng.standard_normal((1, 2, 20, 40)).astype(dtype)
    w = rng.standard_normal((8, 2, 3, 3)).astype(dtype)
    w[0, 0, 0, 0] = np.inf
    up = rng.standard_normal((1, 8, 20, 40)).astype(dtype)
    with np.errstate(all="ignore"):
        got = (G.conv2d(x, w, 1, 1), G.conv2d_grad_input(up, w, x.shape, 1, 1))
        monkeypatch.setenv("DERIVCHECK_KERNELS", "reference")
        want = (G.conv2d(x, w, 1, 1), G.conv2d_grad_input(up, w, x.shape, 1, 1))
    for g, r in zip(got, want, strict=True):
        np.testing.assert_array_equal(np.isnan(g), np.isnan(r))


def test_conv2d_grad_input_nan_weight_reaches_only_its_pixels(kernel_path, rng):
    """Fixed, was: the compiled conv2d_grad_input multiplies the zeros around dout by the
    kernel (0 · NaN = NaN): with no padding and a NaN at w[0, 0, 0, 0], x's pixels (0, 16)
    and (0, 17) that tap never reaches get NaN; torch and the reference leave them finite."""
    if kernel_path != "compiled":
        pytest.skip("the compiled convolution only")
    w = rng.standard_normal((8, 1, 3, 3))
    w[0, 0, 0, 0] = np.nan
    up = rng.standard_normal((1, 8, 1, 16))  # x is 3 × 18: one output row of 16
    with np.errstate(invalid="ignore"):
        dx = G.conv2d_grad_input(up, w, (1, 1, 3, 18))
    # tap (0, 0) reaches x[0, v] for v = j + 0, j < 16: only row 0, columns 0…15
    want = np.zeros((3, 18), bool)
    want[0, :16] = True
    np.testing.assert_array_equal(np.isnan(dx[0, 0]), want)


# ----- float32 sums over a million rows (the network gradients' per-span accumulators) -----

MILLION = 1_000_000


def _relative_error(got: np.ndarray, want: np.ndarray) -> float:
    return float(np.abs(got - want).max() / np.abs(want).max())


def _float64_truth(fn, arrays, monkeypatch):
    """fn on the float32 values in float64, by the reference formulas."""
    with monkeypatch.context() as mp:
        mp.setenv("DERIVCHECK_KERNELS", "reference")
        return fn(*(a.astype(np.float64) if a.dtype == np.float32 else a for a in arrays))


# the compiled two_layer_grads summed Zᵀ(Q − Y)/N over each span's rows in float32: ∂L/∂V
# was 7e-5 off at 10⁶ rows (the reference 7e-7, torch's float32 autograd 4e-7)
def test_two_layer_output_weight_gradient_of_a_million_rows(kernel_path, rng, monkeypatch):
    if kernel_path != "compiled":
        pytest.skip("the compiled two_layer_grads only")
    arrays = (rng.standard_normal((MILLION, 8)).astype(np.float32),
              rng.standard_normal((8, 6)).astype(np.float32),
              rng.standard_normal((6, 3)).astype(np.float32), rng.integers(0, 3, MILLION))
    _, dV = G.two_layer_grads(*arrays)
    _, want = _float64_truth(G.two_layer_grads, arrays, monkeypatch)
    assert _relative_error(dV, want) < 1e-5


# the compiled relu_net_grads summed ∂J/∂b₁, ∂J/∂W₂ and ∂J/∂b₂ over each span's rows in
# float32: 4e-6 to 9e-6 off at 10⁶ rows (the reference, which sums the biases in float64,
# 3e-8 to 7e-7; torch's float32 autograd 5e-8 to 6e-7). One test for the three outputs (it
# was one per output: on two xdist workers the 10⁶-row call and its truth ran twice)
def test_relu_net_gradients_of_a_million_rows(kernel_path, monkeypatch):
    if kernel_path != "compiled":
        pytest.skip("the compiled relu_net_grads only")
    got, want = _relu_net_million_rows(monkeypatch)
    errors = {name: _relative_error(getattr(got, name), getattr(want, name))
              for name in ("b1", "W2", "b2")}
    assert all(e < 2e-6 for e in errors.values()), errors


def _relu_net_million_rows(monkeypatch) -> tuple:
    """(relu_net_grads on the compiled path, its float64 truth) at 10⁶ float32 rows."""
    rng = np.random.default_rng(20250314)  # conftest's rng fixture: the same data as before
    X = rng.standard_normal((MILLION, 8)).astype(np.float32)
    W1, b1, W2, b2 = (rng.standard_normal(shape).astype(np.float32)
                      for shape in [(6, 8), (6,), (2, 6), (2,)])
    arrays = (X, rng.standard_normal((MILLION, 2)).astype(np.float32), W1, b1, W2, b2 + 5)
    return G.relu_net_grads(*arrays), _float64_truth(G.relu_net_grads, arrays, monkeypatch)
