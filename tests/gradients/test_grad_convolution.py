"""Convolution and pooling against direct sums, np.convolve and tie conventions."""

from __future__ import annotations

import numpy as np
import pytest

import derivations.gradients as G

CONV_CASES = [  # x shape, w shape, stride
    ((1, 1, 3, 3), (1, 1, 3, 3), 1),
    ((2, 3, 5, 6), (4, 3, 2, 3), 1),
    ((2, 2, 7, 7), (3, 2, 3, 3), 2),
    ((1, 2, 6, 5), (2, 2, 1, 2), 3),
    # rows of ≥ 8 float64 outputs reach the compiled tiles (8 lanes): an overlapping last run,
    # C_out not a multiple of the tiles' 8 and 4 channels, a 1 × 1 kernel, an exact run
    ((2, 3, 5, 20), (5, 3, 2, 3), 1),
    ((1, 2, 4, 9), (17, 2, 2, 2), 1),
    ((3, 1, 3, 16), (2, 1, 1, 1), 1),
    # C_in a multiple of 8: the weight gradient puts input channels in the lanes (any width);
    # 2 × 2 = 4 kernel offsets and 9 output channels leave partial tiles of 3 and 8
    ((2, 8, 4, 5), (9, 8, 2, 2), 1),
    ((1, 16, 3, 9), (3, 16, 1, 3), 1),
    # strides with output rows of ≥ 8 float64 values (and x rows of ≥ 8 per phase) reach the
    # compiled phase-plane tiles; 3 × 2 and 1 × 3 kernels, strides 2 and 3
    ((2, 3, 6, 40), (5, 3, 3, 2), 2),
    ((1, 2, 7, 52), (9, 2, 1, 3), 3),
]


_DIRECT_SUMS: dict[tuple, object] = {}


def _once_per_values(fn):
    """fn's result computed once per process for the same argument values (arrays by their
    bytes, shape and dtype): the direct sums below are the common truth of the three kernel
    paths, which run each test on the same data; each call gets its own copy."""
    def cached(*args):
        key = (fn.__name__,) + tuple((a.tobytes(), a.shape, a.dtype.str)
                                     if isinstance(a, np.ndarray) else a for a in args)
        if key not in _DIRECT_SUMS:
            _DIRECT_SUMS[key] = fn(*args)
        result = _DIRECT_SUMS[key]
        return tuple(r.copy() for r in result) if isinstance(result, tuple) else result.copy()
    return cached


@_once_per_values
def ref_conv(x, w, s, pad=0, dil=1):
    """Direct sums over a zero-padded copy, output pixel by output pixel."""
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    ho, wo = (h - dil * (kh - 1) - 1) // s + 1, (wd - dil * (kw - 1) - 1) // s + 1
    out = np.zeros((n, o, ho, wo))
    for a in range(n):
        for b in range(o):
            for i in range(ho):
                for j in range(wo):
                    out[a, b, i, j] = sum(
                        x[a, ci, s * i + dil * p, s * j + dil * q] * w[b, ci, p, q]
                        for ci in range(c)
                        for p in range(kh)
                        for q in range(kw)
                    )
    return out


@_once_per_values
def ref_conv_grads(x, w, up, s, pad=0, dil=1):
    """Each output entry scatters dout·w into the (padded) inputs and dout·x into the weights."""
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp, dw = np.zeros(xp.shape), np.zeros(w.shape)
    _, _, kh, kw = w.shape
    for a, b, i, j in np.ndindex(up.shape):
        rows = slice(s * i, s * i + dil * (kh - 1) + 1, dil)
        cols = slice(s * j, s * j + dil * (kw - 1) + 1, dil)
        dxp[a, :, rows, cols] += up[a, b, i, j] * w[b]
        dw[b] += up[a, b, i, j] * xp[a, :, rows, cols]
    return dxp[:, :, pad : pad + x.shape[2], pad : pad + x.shape[3]], dw


@pytest.mark.parametrize("x_shape,w_shape,s", CONV_CASES)
@pytest.mark.parametrize("pad,dil", [(0, 1), (1, 1), (2, 1), (0, 2), (1, 2)])
def test_conv2d_and_grads_match_direct_sums(x_shape, w_shape, s, pad, dil, rng):
    kh, kw = w_shape[2:]
    if dil * (kh - 1) + 1 > x_shape[2] + 2 * pad or dil * (kw - 1) + 1 > x_shape[3] + 2 * pad:
        pytest.skip("the dilated kernel does not fit")
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    b = rng.standard_normal(w_shape[0])
    out = G.conv2d(x, w, s, pad, dil)
    np.testing.assert_allclose(out, ref_conv(x, w, s, pad, dil), atol=1e-12)
    np.testing.assert_allclose(
        G.conv2d(x, w, s, pad, dil, bias=b), out + b[:, None, None], atol=1e-12
    )
    up = rng.standard_normal(out.shape)
    dx, dw = ref_conv_grads(x, w, up, s, pad, dil)
    np.testing.assert_allclose(G.conv2d_grad_input(up, w, x_shape, s, pad, dil), dx, atol=1e-12)
    np.testing.assert_allclose(G.conv2d_grad_weight(x, up, w_shape, s, pad, dil), dw, atol=1e-12)
    np.testing.assert_allclose(G.conv2d_grad_bias(up), up.sum(axis=(0, 2, 3)), atol=1e-12)


@pytest.mark.parametrize(
    "x_shape,w_shape",
    [
        ((2, 3, 6, 21), (18, 3, 3, 2)),
        ((1, 5, 4, 40), (3, 5, 2, 5)),
        ((2, 2, 3, 16), (7, 2, 1, 1)),
        ((2, 32, 4, 18), (5, 32, 3, 3)),  # 32 input channels: two runs of 16 lanes
    ],
)
def test_float32_rows_of_sixteen_and_more(x_shape, w_shape, rng):
    # float32 tiles hold 16 lanes: rows of 20, 36 and 16 outputs, against float64 sums
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    out = ref_conv(x, w, 1)
    up = rng.standard_normal(out.shape)
    x32, w32, up32 = (a.astype(np.float32) for a in (x, w, up))
    got = [
        G.conv2d(x32, w32),
        G.conv2d_grad_input(up32, w32, x_shape),
        G.conv2d_grad_weight(x32, up32, w_shape),
    ]
    want = [out, G.conv2d_grad_input(up, w, x_shape), G.conv2d_grad_weight(x, up, w_shape)]
    for g, r in zip(got, want, strict=True):
        assert g.dtype == np.float32
        np.testing.assert_allclose(g, r, rtol=2e-5, atol=2e-5 * np.abs(r).max())


@pytest.mark.parametrize(
    "x_shape,w_shape,s,pad,dil",
    [
        ((2, 16, 9, 32), (32, 16, 3, 3), 2, 2, 2),  # the benchmark's layer, fewer rows
        ((2, 3, 8, 70), (9, 3, 3, 2), 2, 1, 1),
        ((1, 4, 7, 52), (5, 4, 2, 3), 3, 2, 2),
        ((2, 2, 9, 40), (3, 2, 3, 3), 1, 2, 3),
    ],
)
def test_float32_strided_and_dilated(x_shape, w_shape, s, pad, dil, rng):
    # the phase planes' tiles in float32 (16 lanes), against float64 direct sums
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    b = rng.standard_normal(w_shape[0])
    out = ref_conv(x, w, s, pad, dil) + b[:, None, None]
    up = rng.standard_normal(out.shape)
    dx, dw = ref_conv_grads(x, w, up, s, pad, dil)
    x32, w32, b32, up32 = (a.astype(np.float32) for a in (x, w, b, up))
    got = [
        G.conv2d(x32, w32, s, pad, dil, bias=b32),
        G.conv2d_grad_input(up32, w32, x_shape, s, pad, dil),
        G.conv2d_grad_weight(x32, up32, w_shape, s, pad, dil),
    ]
    for g, r in zip(got, [out, dx, dw], strict=True):
        assert g.dtype == np.float32
        np.testing.assert_allclose(g, r, rtol=2e-5, atol=2e-5 * np.abs(r).max())


def test_bias_gradient_of_many_float32_images(rng):
    # ∂L/∂b sums N·H'·W' entries per channel: the batch is summed in float64, so 4·10⁵
    # images of one pixel keep float32's precision (float32 down the batch lost 5e-6)
    dout = (rng.standard_normal((400_000, 2, 1, 1)) + 3).astype(np.float32)
    got = G.conv2d_grad_bias(dout)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, dout.sum(axis=(0, 2, 3), dtype=np.float64), rtol=1e-6)


def test_infinite_input_in_an_overlapping_run_gives_infinite_weight_gradient():
    # the last run of a row overlaps the one before; its repeated lanes are masked, not
    # multiplied by zero (0 · inf would turn the true ±inf gradient into NaN)
    x = np.ones((1, 1, 1, 20))
    # float64 runs of 8 over the 19-wide output row: 0–7, 8–15 and 11–18, whose lanes 11–15
    # repeat the run before; output 12 reads x[12] (q = 0) and x[13] (q = 1)
    x[0, 0, 0, 12] = np.inf
    up = np.ones((1, 1, 1, 19))
    dw = G.conv2d_grad_weight(x, up, (1, 1, 1, 2))
    assert np.all(np.isposinf(dw))


def test_weight_gradient_is_valid_correlation_of_input_with_dout(rng):
    # note 002: ∂L/∂W = input ⋆_valid ∂L/∂output, i.e. conv2d with the batch as channels
    x, w = rng.standard_normal((3, 2, 6, 6)), rng.standard_normal((4, 2, 3, 3))
    up = rng.standard_normal((3, 4, 4, 4))
    as_conv = G.conv2d(x.transpose(1, 0, 2, 3), up.transpose(1, 0, 2, 3))  # (C_in, C_out, kh, kw)
    np.testing.assert_allclose(
        G.conv2d_grad_weight(x, up, w.shape), as_conv.transpose(1, 0, 2, 3), atol=1e-12
    )


def test_true_convolution_is_correlation_with_flipped_kernel(rng):
    # note 002's g[i] = Σₙ f[n]h[i − n] is np.convolve; conv2d correlates
    f, h = rng.standard_normal(9), rng.standard_normal(4)
    out = G.conv2d(f[None, None, None, :], h[::-1][None, None, None, :])
    np.testing.assert_allclose(out[0, 0, 0], np.convolve(f, h, "valid"), atol=1e-12)


@pytest.mark.parametrize("k,n", [(1, 1), (1, 5), (3, 3), (3, 8), (4, 10)])
def test_conv1d_matrix_is_banded_np_convolve(k, n, rng):
    h, f = rng.standard_normal(k), rng.standard_normal(n)
    T = G.conv1d_matrix(h, n)
    assert T.shape == (n - k + 1, n)
    np.testing.assert_allclose(T @ f, np.convolve(f, h, "valid"), atol=1e-12)
    rows, cols = np.indices(T.shape)
    assert np.all(T[(cols < rows) | (cols >= rows + k)] == 0)  # zero outside the band
    assert G.conv1d_matrix(h.astype(np.float32), n).dtype == np.float32


def ref_pool(x, size, s, reduce):
    n, c, h, w = x.shape
    ho, wo = (h - size) // s + 1, (w - size) // s + 1
    out = np.zeros((n, c, ho, wo))
    for idx in np.ndindex(out.shape):
        a, b, i, j = idx
        out[idx] = reduce(x[a, b, s * i : s * i + size, s * j : s * j + size])
    return out


POOL_CASES = [
    ((1, 1, 4, 4), 2, None),
    ((2, 3, 5, 7), 2, None),
    ((2, 2, 6, 6), 3, 1),
    ((1, 2, 7, 5), 2, 3),
]


@pytest.mark.parametrize("shape,size,stride", POOL_CASES)
def test_pooling_matches_loops(shape, size, stride, rng):
    x = rng.standard_normal(shape)
    s = size if stride is None else stride
    np.testing.assert_allclose(G.max_pool2d(x, size, stride), ref_pool(x, size, s, np.max))
    np.testing.assert_allclose(G.avg_pool2d(x, size, stride), ref_pool(x, size, s, np.mean))
    up = rng.standard_normal(G.max_pool2d(x, size, stride).shape)
    dmax, davg = np.zeros(shape), np.zeros(shape)
    for idx in np.ndindex(up.shape):
        a, b, i, j = idx
        win = x[a, b, s * i : s * i + size, s * j : s * j + size]
        p, q = np.unravel_index(np.argmax(win), win.shape)  # first maximum
        dmax[a, b, s * i + p, s * j + q] += up[idx]
        davg[a, b, s * i : s * i + size, s * j : s * j + size] += up[idx] / size**2
    np.testing.assert_allclose(G.max_pool2d_grad(up, x, size, stride), dmax)
    np.testing.assert_allclose(G.avg_pool2d_grad(up, x.shape, size, stride), davg)
    # the saved-indices path: the same maxima, located once, then a scatter
    y, where = G.max_pool2d(x, size, stride, return_indices=True)
    np.testing.assert_array_equal(y, G.max_pool2d(x, size, stride))
    planes = x.reshape(shape[0] * shape[1], -1)
    np.testing.assert_array_equal(
        np.take_along_axis(planes, where.reshape(len(planes), -1), axis=1).reshape(y.shape), y
    )
    np.testing.assert_allclose(G.max_pool2d_grad(up, x, size, stride, indices=where), dmax)


def test_max_pool_ties_go_to_first_maximum():
    x = np.zeros((1, 1, 4, 4))
    x[0, 0, 2:, 2:] = [[1.0, 3.0], [3.0, 3.0]]
    up = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    dx = G.max_pool2d_grad(up, x, 2)
    expected = np.zeros((4, 4))
    expected[0, 0], expected[0, 2], expected[2, 0], expected[2, 3] = 1, 2, 3, 4
    np.testing.assert_array_equal(dx[0, 0], expected)
    assert dx.sum() == up.sum()  # exactly one input per window
    _, where = G.max_pool2d(x, 2, return_indices=True)
    np.testing.assert_array_equal(where[0, 0], [[0, 2], [8, 11]])  # h·W + v, first maximum
    np.testing.assert_array_equal(G.max_pool2d_grad(up, x, 2, indices=where)[0, 0], expected)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtypes_and_extremes(dtype, rng):
    x = (rng.standard_normal((2, 2, 6, 6)) * 1000).astype(dtype)
    w = rng.standard_normal((3, 2, 3, 3)).astype(dtype)
    out = G.conv2d(x, w)
    up = np.ones_like(out)
    results = [
        out,
        G.conv2d_grad_input(up, w, x.shape),
        G.conv2d_grad_weight(x, up, w.shape),
        G.max_pool2d(x),
        G.avg_pool2d(x),
        G.max_pool2d_grad(np.ones((2, 2, 3, 3), dtype), x),
        G.avg_pool2d_grad(np.ones((2, 2, 3, 3), dtype), x.shape),
    ]
    for r in results:
        assert r.dtype == dtype and np.all(np.isfinite(r))


def test_errors():
    x = np.ones((2, 3, 5, 5))
    with pytest.raises(
        ValueError,
        match=r"x has shape \(2, 3, 5, 5\) but w has shape "
        r"\(4, 2, 3, 3\); expected w with C_in = 3",
    ):
        G.conv2d(x, np.ones((4, 2, 3, 3)))
    with pytest.raises(ValueError, match=r"the kernel \(6 × 3, dilation 1\) must fit in the input"):
        G.conv2d(x, np.ones((4, 3, 6, 3)))
    with pytest.raises(ValueError, match=r"stride must be an integer ≥ 1; got 0"):
        G.conv2d(x, np.ones((4, 3, 3, 3)), stride=0)
    with pytest.raises(ValueError, match=r"x must be 4-D \(N, C_in, H, W .*\); got shape \(5, 5\)"):
        G.conv2d(x[0, 0], np.ones((4, 3, 3, 3)))  # (x[0], (C, H, W), is torch's unbatched)
    with pytest.raises(
        ValueError,
        match=r"dout has shape \(2, 4, 2, 2\); expected dout of shape "
        r"\(2, 4, 3, 3\)",
    ):
        G.conv2d_grad_input(np.ones((2, 4, 2, 2)), np.ones((4, 3, 3, 3)), x.shape)
    with pytest.raises(
        ValueError,
        match=r"dout has shape \(2, 4, 3, 3\); expected dout of shape "
        r"\(2, 4, 2, 2\)",
    ):
        G.conv2d_grad_weight(x, np.ones((2, 4, 3, 3)), (4, 3, 3, 3), stride=2)
    with pytest.raises(ValueError, match=r"pooling window is 6 × 6"):
        G.max_pool2d(x, 6)
    with pytest.raises(
        ValueError,
        match=r"dout has shape \(2, 3, 3, 3\); expected dout of shape "
        r"\(2, 3, 2, 2\)",
    ):
        G.max_pool2d_grad(np.ones((2, 3, 3, 3)), x)
    up = np.ones((2, 3, 2, 2))
    with pytest.raises(ValueError, match=r"indices has shape \(2, 3\) and dtype int64"):
        G.max_pool2d_grad(up, x, indices=np.zeros((2, 3), np.int64))
    with pytest.raises(ValueError, match=r"expected integers of shape \(2, 3, 2, 2\)"):
        G.max_pool2d_grad(up, x, indices=np.zeros((2, 3, 2, 2)))
    with pytest.raises(ValueError, match=r"indices must lie in \[0, 25\).*from 25 to 25"):
        G.max_pool2d_grad(up, x, indices=np.full((2, 3, 2, 2), 25))
    with pytest.raises(ValueError, match=r"expected an integer n ≥ len\(h\) ≥ 1"):
        G.conv1d_matrix(np.ones(4), 3)
