"""Issue 18's findings, each as a test that failed before its fix, and the kinds of test that
would have caught them: large-N float32 statistics on every path and memory layout, β close
to 1, NumPy-scalar hyper-parameters, empty batches, aliased state, float16, NaN in max-pool."""

from __future__ import annotations

import numpy as np
import pytest

import derivations.gradients as G
from derivations.gradients._fast import fast

# ----- float32 statistics accumulated in float64, every memory layout -----


def _layouts(a: np.ndarray) -> dict[str, np.ndarray]:
    """The same values as a C-contiguous, Fortran, strided and reversed array."""
    holder = np.empty((a.shape[0], 2 * a.shape[1]), a.dtype)
    holder[:, ::2] = a
    return {
        "C": np.ascontiguousarray(a),
        "Fortran": np.asfortranarray(a),
        "strided": holder[:, ::2],
        "reversed": np.ascontiguousarray(a[::-1])[::-1],
    }


@pytest.fixture(scope="module")
def large_batch() -> dict[str, np.ndarray]:
    """10⁶ float32 rows around 1000, an upstream gradient, and their float64 truths, built
    once for the 12 layout × path variants below (each runs the library on the same values)."""
    rng = np.random.default_rng(20250314)  # conftest's rng fixture: the same data as before
    X = (1000 + rng.standard_normal((1_000_000, 4))).astype(np.float32)
    dout = rng.standard_normal((1_000_000, 4)).astype(np.float32) + 10
    Xr = X.astype(np.float64)
    mean, var = Xr.mean(0), Xr.var(0)
    return {"X": X, "dout": dout, "mean": mean, "var": var,
            "out": (Xr - mean) / np.sqrt(var + 1e-5), "dbeta": dout.astype(np.float64).sum(0)}


def _no_fast_batchnorm(X: np.ndarray, dout: np.ndarray, gamma, beta) -> bool:
    """Whether neither batch-norm pass has a fast path for arrays of these layouts on the
    current kernel path (decided on their first 8 rows): batch norm's fast path is the
    compiled kernels alone, which take C-contiguous arrays, so the numpy path and the other
    layouts run the reference formula, the reference variant's computation."""
    mean = np.zeros((1, 4), np.float32)
    return (fast("batchnorm_forward", X[:8], gamma, beta, 1e-5) is None
            and fast("batchnorm_backward", dout[:8], X[:8], mean, mean, gamma, mean) is None)


@pytest.mark.parametrize("layout", ["C", "Fortran", "strided", "reversed"])
def test_batchnorm_float32_statistics_of_a_large_batch(layout, large_batch, kernel_path):
    # 10⁶ rows around 1000: summed in float32 the mean was off by 8.9 and the output by 1.08
    X = _layouts(large_batch["X"])[layout]
    gamma, beta = np.ones(4, np.float32), np.zeros(4, np.float32)
    dout = _layouts(large_batch["dout"])[layout]
    if kernel_path != "reference" and _no_fast_batchnorm(X, dout, gamma, beta):
        pytest.skip("no fast path takes these arrays: the reference variant runs this")
    out, cache = G.batchnorm_forward(X, gamma, beta)
    mean, var = large_batch["mean"], large_batch["var"]
    np.testing.assert_allclose(cache.mean, mean, rtol=1e-7)
    np.testing.assert_allclose(cache.inv_std, 1 / np.sqrt(var + 1e-5), rtol=1e-5)
    assert np.abs(out - large_batch["out"]).max() < 1e-4
    dX, dgamma, dbeta = G.batchnorm_backward(dout, cache)
    np.testing.assert_allclose(dbeta, large_batch["dbeta"], rtol=1e-6)
    assert dX.dtype == np.float32


def test_batchnorm_float32_error_at_torch_level(rng):
    # N = 2000: the output error was 1.4e-4, against torch's 6.4e-5
    X = (1000 + rng.standard_normal((2000, 8))).astype(np.float32)
    out, _ = G.batchnorm_forward(X, np.ones(8, np.float32), np.zeros(8, np.float32))
    Xr = X.astype(np.float64)
    assert np.abs(out - (Xr - Xr.mean(0)) / np.sqrt(Xr.var(0) + 1e-5)).max() < 6.4e-5


def test_layernorm_float32_statistics(rng):
    X = (1000 + rng.standard_normal((16, 100_000))).astype(np.float32)
    out, _ = G.layernorm_forward(X, np.ones(100_000, np.float32), np.zeros(100_000, np.float32))
    Xr = X.astype(np.float64)
    ref = (Xr - Xr.mean(1, keepdims=True)) / np.sqrt(Xr.var(1, keepdims=True) + 1e-5)
    assert out.dtype == np.float32 and np.abs(out - ref).max() < 1e-4


# ----- β close to 1 -----


@pytest.mark.parametrize("beta", [0.999, 0.9999, 0.99999])
@pytest.mark.parametrize("kind", ["rmsprop", "adam", "adamw"])
def test_decay_close_to_one_in_float32(beta, kind, rng):
    # 1 − β rounded after β: the second moment was off by 1.7e-4 (0.9999) and 1.4e-3 (0.99999)
    g = rng.standard_normal(50_000).astype(np.float32)
    p, s1, s2 = (np.zeros(50_000, np.float32) for _ in range(3))
    if kind == "rmsprop":
        G.rmsprop_step(p, g, s1, 1e-3, beta=beta)
        v = s1
    else:
        step = G.adam_step if kind == "adam" else G.adamw_step
        step(p, g, s1, s2, 1, beta2=beta)
        v = s2
    want = (1 - beta) * g.astype(np.float64) ** 2
    np.testing.assert_allclose(v, want, rtol=1e-6)


# ----- NumPy-scalar hyper-parameters keep float32 in float32 -----

F64 = np.float64


def _f32(rng, *shape):
    return rng.standard_normal(shape).astype(np.float32)


SCALAR_CALLS = {
    "ridge_loss": lambda r: G.ridge_loss(_f32(r, 5, 3), _f32(r, 5), _f32(r, 3), F64(0.1)),
    "ridge_grad": lambda r: G.ridge_grad(_f32(r, 5, 3), _f32(r, 5), _f32(r, 3), F64(0.1)),
    "lasso_subgrad": lambda r: G.lasso_subgrad(_f32(r, 5, 3), _f32(r, 5), _f32(r, 3), F64(0.1)),
    "leaky_relu": lambda r: G.leaky_relu(_f32(r, 7), F64(0.1)),
    "leaky_relu_grad": lambda r: G.leaky_relu_grad(_f32(r, 7), F64(0.1)),
    "elu": lambda r: G.elu(_f32(r, 7), F64(0.5)),
    "elu_grad": lambda r: G.elu_grad(_f32(r, 7), F64(0.5)),
    "huber_loss": lambda r: G.huber_loss(_f32(r, 7), _f32(r, 7), F64(0.5)),
    "huber_grad": lambda r: G.huber_grad(_f32(r, 7), _f32(r, 7), F64(0.5)),
    "dropout": lambda r: G.dropout(_f32(r, 7), np.ones(7, bool), F64(0.5)),
    "adam_bias_corrected": lambda r: G.adam_bias_corrected(_f32(r, 4), _f32(r, 4) ** 2, 2,
                                                           F64(0.9), F64(0.99)),
    "cross_entropy": lambda r: G.cross_entropy(_f32(r, 4, 3), np.array([0, 1, 2, 1]),
                                               label_smoothing=F64(0.1)),
    "batchnorm_forward": lambda r: G.batchnorm_forward(_f32(r, 5, 3), _f32(r, 3), _f32(r, 3),
                                                       F64(1e-3))[0],
    "sgd_step": lambda r: G.sgd_step(_f32(r, 4), _f32(r, 4), F64(0.1)),
    "momentum_step": lambda r: G.momentum_step(_f32(r, 4), _f32(r, 4), _f32(r, 4), F64(0.1),
                                               F64(0.9))[0],
    "rmsprop_step": lambda r: G.rmsprop_step(_f32(r, 4), _f32(r, 4), _f32(r, 4) ** 2, F64(0.1),
                                             F64(0.9))[0],
    "adam_step": lambda r: G.adam_step(_f32(r, 4), _f32(r, 4), _f32(r, 4), _f32(r, 4) ** 2, 2,
                                       F64(0.1), F64(0.9), F64(0.99), F64(1e-6))[0],
}


@pytest.mark.parametrize("name", sorted(SCALAR_CALLS))
def test_numpy_scalar_hyper_parameters_keep_float32(name, rng):
    out = SCALAR_CALLS[name](rng)
    assert np.asarray(out).dtype == np.float32, (name, np.asarray(out).dtype)


# ----- empty batches, aliased state, float16 -----


EMPTY = {
    "linear_regression_grad": lambda: G.linear_regression_grad(np.ones((0, 3)), np.ones(0),
                                                               np.ones(3)),
    "logistic_loss": lambda: G.logistic_loss(np.ones((0, 3)), np.ones(0), np.ones(3)),
    "softmax_cross_entropy": lambda: G.softmax_cross_entropy(np.ones((0, 3)),
                                                             np.zeros(0, int)),
    "relu_net_grads": lambda: G.relu_net_grads(np.ones((0, 2)), np.ones((0, 1)), np.ones((3, 2)),
                                               np.ones(3), np.ones((1, 3)), np.ones(1)),
    "cross_entropy": lambda: G.cross_entropy(np.ones((0, 3)), np.zeros(0, int)),
    "huber_loss": lambda: G.huber_loss(np.ones(0), np.ones(0)),
}


@pytest.mark.parametrize("name", sorted(EMPTY))
def test_empty_batch_is_a_value_error(name):
    with pytest.raises(ValueError, match="no samples|empty|at least one"):
        EMPTY[name]()


def test_empty_training_batch_norm_is_empty_as_torch():
    """Batch norm of no rows is no mean: torch's F.batch_norm(training=True) returns the empty
    output and zero ∂L/∂γ, ∂L/∂β (round 14; refused before, as the means above are)."""
    out, cache = G.batchnorm_forward(np.ones((0, 3)), np.ones(3), np.ones(3))
    assert out.shape == (0, 3)
    dX, dgamma, dbeta = G.batchnorm_backward(np.ones((0, 3)), cache)
    assert dX.shape == (0, 3)
    np.testing.assert_array_equal(dgamma, np.zeros(3))
    np.testing.assert_array_equal(dbeta, np.zeros(3))


def test_aliased_state_arrays_are_rejected():
    p, g = np.zeros(4), np.ones(4)
    with pytest.raises(ValueError, match="params and velocity share memory"):
        G.momentum_step(p, g, p, 0.1)
    m = np.zeros(4)
    with pytest.raises(ValueError, match="m and v share memory"):
        G.adam_step(p, g, m, m, 1)
    with pytest.raises(ValueError, match="params and grad share memory"):
        G.sgd_step(p, p, 0.1)
    buf = np.zeros(8)
    with pytest.raises(ValueError, match="share memory"):
        G.rmsprop_step(buf[:4], g, buf[2:6], 0.1)  # overlapping views


def test_float16_is_rejected_with_a_clear_error():
    with pytest.raises(ValueError, match=r"float16, which is not supported.*astype\(np.float32\)"):
        G.sigmoid(np.ones(3, np.float16))
    p = np.zeros(3, np.float16)
    with pytest.raises(ValueError, match="params is float16"):
        G.adam_step(p, np.ones(3, np.float16), p.copy(), p.copy(), 1)


# ----- NaN in a max-pool window, with and without indices, as torch -----


def test_max_pool_nan_propagates_the_same_way_with_and_without_indices():
    x = np.arange(16, dtype=np.float64).reshape(1, 1, 4, 4)
    x[0, 0, 0, 1] = np.nan
    x[0, 0, 1, 0] = np.nan  # two NaNs in the first window: the last one wins, as in torch
    out = G.max_pool2d(x, 2)
    out_i, idx = G.max_pool2d(x, 2, return_indices=True)
    assert np.isnan(out[0, 0, 0, 0]) and np.isnan(out_i[0, 0, 0, 0])
    np.testing.assert_array_equal(out[0, 0, 0, 1:], out_i[0, 0, 0, 1:])
    assert idx[0, 0, 0, 0] == 4  # position (1, 0)
    up = np.ones((1, 1, 2, 2))
    dx = G.max_pool2d_grad(up, x, 2)
    np.testing.assert_array_equal(dx, G.max_pool2d_grad(up, x, 2, indices=idx))
    assert dx[0, 0, 1, 0] == 1 and dx[0, 0, :2, :2].sum() == 1


def test_max_pool_nan_matches_torch(rng):
    torch = pytest.importorskip("torch")
    x = rng.standard_normal((2, 3, 6, 6))
    x[rng.random(x.shape) < 0.1] = np.nan
    out, idx = G.max_pool2d(x, 2, return_indices=True)
    t_out, t_idx = torch.nn.functional.max_pool2d(torch.from_numpy(x), 2, return_indices=True)
    np.testing.assert_array_equal(out, t_out.numpy())
    np.testing.assert_array_equal(idx, t_idx.numpy())


# ----- softmax leaves the caller's rows alone unless asked -----


def test_softmax_writes_to_z_only_through_out(rng):
    Z = rng.standard_normal((40, 9))
    before = Z.copy()
    S = G.softmax(Z)
    np.testing.assert_array_equal(Z, before)
    same = G.softmax(Z, out=Z)
    assert same is Z
    np.testing.assert_allclose(Z, S, rtol=1e-15)
