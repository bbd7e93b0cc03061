"""Round 5 of the torch cross-check: what it found, each a test that failed before its fix.

Every test runs on the three paths (reference, block-wise NumPy, compiled kernels forced at
every size: conftest.py)."""

from __future__ import annotations

import numpy as np
import pytest

import derivations.gradients as G

# ----- float32 rows of millions of entries: the row sums -----

WIDE = 1 << 21  # one row: the compiled kernels summed it in float32 lanes (1e-4 off)


def _wide_row(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    z = (rng.standard_normal((1, WIDE)) * 5).astype(np.float32)
    g = rng.standard_normal((1, WIDE)).astype(np.float32)
    return z, g


def _relative(ours: np.ndarray, exact: np.ndarray) -> float:
    return float(np.max(np.abs(ours - exact)) / np.max(np.abs(exact)))


def test_softmax_and_its_vjps_of_a_wide_float32_row_as_float64(rng):
    z, g = _wide_row(rng)
    z64, g64 = z.astype(np.float64), g.astype(np.float64)
    e = np.exp(z64 - z64.max())
    s64 = e / e.sum()
    log_s64 = z64 - z64.max() - np.log(e.sum())
    s, log_s = G.softmax(z), G.log_softmax(z)
    assert s.dtype == log_s.dtype == np.float32
    assert _relative(s, s64) < 2e-6  # torch's float32: 8e-5 to 1e-4
    assert _relative(log_s, log_s64) < 2e-6
    # the VJPs of the float64 forward outputs rounded to float32: only their own sums count
    s32, log_s32 = s64.astype(np.float32), log_s64.astype(np.float32)
    exact = s32 * (g64 - (g64 * s32).sum())
    assert _relative(G.softmax_vjp(g, s32), exact) < 2e-6
    exact = g64 - np.exp(log_s32.astype(np.float64)) * g64.sum()
    assert _relative(G.log_softmax_vjp(g, log_s32), exact) < 2e-6


def test_cross_entropy_grad_of_a_wide_float32_row_as_float64(rng):
    z, _ = _wide_row(rng)
    z64 = z.astype(np.float64)
    e = np.exp(z64 - z64.max())
    exact = e / e.sum()
    exact[0, 7] -= 1
    assert _relative(G.cross_entropy_grad(z, np.array([7])), exact) < 2e-6


# ----- conv2d and pooling: a stride, padding, dilation or window per axis, as torch's -----

torch = pytest.importorskip("torch")
F = torch.nn.functional
DTYPES = [np.float32, np.float64]

CONV_PAIRS = [  # (x shape, w shape, stride, padding, dilation)
    ((1, 1, 5, 7), (1, 1, 2, 3), (2, 1), 0, 1),
    ((2, 3, 9, 8), (2, 3, 3, 2), 1, (1, 0), 1),
    ((2, 3, 9, 8), (2, 3, 3, 2), 1, 0, (2, 1)),
    ((2, 3, 9, 8), (4, 3, 3, 2), (1, 3), (2, 1), (1, 2)),
    ((1, 2, 6, 6), (2, 2, 2, 2), [2], (1,), [1, 1]),  # one-element lists, as torch expands them
    ((1, 2, 7, 9), (3, 2, 3, 3), (2, 2), (1, 1), (2, 2)),  # equal pairs: the fast path's case
    ((1, 2, 7, 9), (3, 2, 3, 3), 1, (0, 2), 1),
    ((1, 2, 7, 9), (3, 2, 2, 3), 1, "same", (2, 1)),
]


def _tolerance(dtype) -> dict:
    return {"rtol": 1e-4, "atol": 1e-4} if dtype == np.float32 else {"rtol": 1e-10, "atol": 1e-10}


@pytest.mark.parametrize("case", CONV_PAIRS, ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
def test_conv2d_pairs_as_torch(case, dtype, rng):
    x_shape, w_shape, s, p, d = case
    x = rng.standard_normal(x_shape).astype(dtype)
    w = rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(w_shape[0]).astype(dtype)
    tx, tw = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    want = F.conv2d(tx, tw, torch.tensor(b), s, p, d)
    dout = rng.standard_normal(tuple(want.shape)).astype(dtype)
    want.backward(torch.tensor(dout))
    tol = _tolerance(dtype)
    np.testing.assert_allclose(G.conv2d(x, w, s, p, d, bias=b), want.detach().numpy(), **tol)
    np.testing.assert_allclose(G.conv2d_grad_input(dout, w, x_shape, s, p, d), tx.grad, **tol)
    np.testing.assert_allclose(G.conv2d_grad_weight(x, dout, w_shape, s, p, d), tw.grad, **tol)


POOL_PAIRS = [  # (size, stride, padding, dilation, ceil_mode)
    ((2, 3), None, 0, 1, False),
    ((3, 2), (1, 2), (1, 0), 1, False),
    (2, (2, 1), 1, (2, 1), True),
    ((3, 4), (2, 3), (1, 2), (1, 2), True),
    ((2,), [], 0, 1, False),  # torch's one-element list, and its empty stride (= size)
    ((1, 3), 1, (0, 1), 1, True),
]


@pytest.mark.parametrize("case", POOL_PAIRS, ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
def test_max_pool2d_pairs_as_torch(case, dtype, rng):
    k, s, p, d, ceil = case
    x = rng.standard_normal((2, 3, 9, 8)).astype(dtype)
    tx = torch.tensor(x, requires_grad=True)
    want, want_idx = F.max_pool2d(tx, k, s, p, d, ceil, return_indices=True)
    dout = rng.standard_normal(tuple(want.shape)).astype(dtype)
    want.backward(torch.tensor(dout))
    y, idx = G.max_pool2d(x, k, s, p, d, ceil, return_indices=True)
    np.testing.assert_array_equal(y, want.detach().numpy())
    np.testing.assert_array_equal(idx, want_idx.numpy())
    np.testing.assert_array_equal(G.max_pool2d(x, k, s, p, d, ceil), y)
    for indices in (None, idx):
        dx = G.max_pool2d_grad(dout, x, k, s, indices, padding=p, dilation=d, ceil_mode=ceil)
        np.testing.assert_allclose(dx, tx.grad, **_tolerance(dtype))


@pytest.mark.parametrize("case", [c for c in POOL_PAIRS if c[3] == 1], ids=str)
@pytest.mark.parametrize("count_include_pad", [True, False])
@pytest.mark.parametrize("dtype", DTYPES)
def test_avg_pool2d_pairs_as_torch(case, count_include_pad, dtype, rng):
    k, s, p, _, ceil = case
    x = rng.standard_normal((2, 3, 9, 8)).astype(dtype)
    tx = torch.tensor(x, requires_grad=True)
    want = F.avg_pool2d(tx, k, s, p, ceil, count_include_pad)
    dout = rng.standard_normal(tuple(want.shape)).astype(dtype)
    want.backward(torch.tensor(dout))
    tol = _tolerance(dtype)
    np.testing.assert_allclose(G.avg_pool2d(x, k, s, p, ceil, count_include_pad),
                               want.detach().numpy(), **tol)
    np.testing.assert_allclose(G.avg_pool2d_grad(dout, x.shape, k, s, p, ceil, count_include_pad),
                               tx.grad, **tol)


@pytest.mark.parametrize("call,match", [
    (lambda x: G.conv2d(x, np.ones((1, 1, 2, 2)), (1, 1, 1)), "pair of integers"),
    (lambda x: G.conv2d(x, np.ones((1, 1, 2, 2)), (1, 0)), "stride must be an integer ≥ 1"),
    (lambda x: G.conv2d(x, np.ones((1, 1, 2, 2)), 1, (1, -1)), "padding must be"),
    (lambda x: G.conv2d(x, np.ones((1, 1, 2, 2)), [0.5, 0.5]), "bias is the keyword"),
    (lambda x: G.conv2d(x, np.ones((1, 1, 2, 2)), (2, 1), "same"), "'same' needs stride 1"),
    (lambda x: G.max_pool2d(x, (3, 2), 1, (2, 0)), "at most half"),
    (lambda x: G.avg_pool2d(x, (2, 2, 2)), "pair of integers"),
    (lambda x: G.max_pool2d(x, (6, 1)), "must fit"),
])
def test_pairs_torch_refuses_are_refused(call, match):
    with pytest.raises(ValueError, match=match):
        call(np.ones((1, 1, 5, 5)))
