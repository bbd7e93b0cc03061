"""Convolution and pooling layers and their gradients (note 002, §4).

Layout NCHW: x is (N, C_in, H, W), weights w are (C_out, C_in, kh, kw). No
padding ("valid"); the stride s ≥ 1 is the same along both axes, so
H' = ⌊(H − kh)/s⌋ + 1 (for s = 1 the note's H − kh + 1).

As in deep-learning libraries, conv2d is a cross-correlation,
out[n,o,i,j] = Σ_{c,p,q} x[n,c,s·i+p,s·j+q] w[o,c,p,q]. Note 002's
g[i] = Σₙ f[n]h[i − n] is a true convolution: the correlation with the kernel
flipped along each spatial axis, conv2d(x, w[..., ::-1, ::-1]).

Implementation: each layer is a matrix product with the (C·kh·kw) × (N·H'·W')
patch matrix, whose rows are copies of x shifted by a kernel offset (a loop over
kh·kw, never over pixels). For stride 1 the shift is a plain offset into x laid
out as C × (N·H·W) (channels first, batch folded in): the product is computed at
every pixel, and the kw − 1 columns and kh − 1 rows where the kernel would cross
an edge are dropped. It runs over cache-sized column chunks, so the patch matrix
is never materialised whole.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._compiled import kernels
from ._validate import floats, require_ndim

__all__ = [
    "avg_pool2d",
    "avg_pool2d_grad",
    "conv1d_matrix",
    "conv2d",
    "conv2d_grad_input",
    "conv2d_grad_weight",
    "max_pool2d",
    "max_pool2d_grad",
]


# ----- Shared helpers -----


def _stride(stride: int, name: str = "stride") -> int:
    if isinstance(stride, bool) or not isinstance(stride, int | np.integer) or stride < 1:
        raise ValueError(f"{name} must be an integer ≥ 1; got {stride!r}")
    return int(stride)


def _out_size(n: int, k: int, s: int) -> int:
    return (n - k) // s + 1


def _window(i: int, j: int, ho: int, wo: int, s: int) -> tuple[slice, ...]:
    """The input pixels seen by kernel offset (i, j) at every output position."""
    return (
        slice(None),
        slice(None),
        slice(i, i + s * (ho - 1) + 1, s),
        slice(j, j + s * (wo - 1) + 1, s),
    )


def _check_shape4(name: str, shape: tuple[int, ...], what: str) -> tuple[int, ...]:
    shape = tuple(int(v) for v in shape)
    if len(shape) != 4:
        raise ValueError(f"{name} must be 4-D ({what}); got shape {shape}")
    return shape


def _conv_sizes(x_shape, w_shape, s: int) -> tuple[int, int]:
    n, c, h, w = x_shape
    o, c_w, kh, kw = w_shape
    if c_w != c:
        raise ValueError(
            f"x has shape {x_shape} but w has shape {w_shape}; "
            f"expected w with C_in = {c} (w.shape[1])"
        )
    if kh > h or kw > w:
        raise ValueError(
            f"x has shape {x_shape} but w has shape {w_shape}; the kernel "
            f"({kh} × {kw}) must fit in the input ({h} × {w}) without padding"
        )
    return _out_size(h, kh, s), _out_size(w, kw, s)


def _patches(x: np.ndarray, kh: int, kw: int, s: int, ho: int, wo: int) -> np.ndarray:
    """(C·kh·kw, N·H'·W') patch matrix: [(c,p,q), (n,i,j)] = x[n, c, s·i+p, s·j+q].

    Channels-first rows and a batch folded into the columns make each layer one
    large matrix product instead of N small ones.
    """
    n, c = x.shape[:2]
    cols = np.empty((c, kh, kw, n, ho, wo), x.dtype)
    xt = x.transpose(1, 0, 2, 3)  # (C, N, H, W) view
    for p in range(kh):
        for q in range(kw):
            cols[:, p, q] = xt[_window(p, q, ho, wo, s)]
    return cols.reshape(c * kh * kw, n * ho * wo)


CHUNK = 4096  # patch-matrix columns per product: (C·kh·kw) × CHUNK floats stay in L2


def _flat(a: np.ndarray) -> np.ndarray:
    """(N, C, H, W) → (C, N·H·W), contiguous: one copy, after which a kernel offset (p, q)
    is the plain shift p·W + q along the columns."""
    return np.ascontiguousarray(a.transpose(1, 0, 2, 3)).reshape(a.shape[1], -1)


def _flat_grad(dout: np.ndarray, x_shape) -> np.ndarray:
    """dout (N, O, H', W') placed on the input grid, zero where no output is: (O, N·H·W)."""
    n, o = dout.shape[:2]
    h, w = x_shape[2:]
    grid = np.zeros((o, n, h, w), dout.dtype)
    grid[:, :, : dout.shape[2], : dout.shape[3]] = dout.transpose(1, 0, 2, 3)
    return grid.reshape(o, -1)


def _shift_chunks(x_shape, kh: int, kw: int):
    """(lo, hi, offsets) for the column chunks of the stride-1 product over the flat grid.

    Column j of the product is the output at flat pixel j; it reads pixels j + p·W + q,
    so columns stop kh−1 rows and kw−1 columns before the end of the grid.
    """
    n, _, h, w = x_shape
    cols = n * h * w - (kh - 1) * w - (kw - 1)
    offsets = [p * w + q for p in range(kh) for q in range(kw)]
    return [(lo, min(lo + CHUNK, cols), offsets) for lo in range(0, cols, CHUNK)]


def _patch_chunks(x: np.ndarray, kh: int, kw: int):
    """(lo, hi, patch-matrix columns lo:hi as (C·kh·kw) × (hi − lo)) for the stride-1 product,
    chunk by chunk, each gathered into one reused buffer."""
    flat = _flat(x)
    buf = np.empty((x.shape[1], kh * kw, CHUNK), x.dtype)
    for lo, hi, offsets in _shift_chunks(x.shape, kh, kw):
        b = buf[:, :, : hi - lo]
        for t, off in enumerate(offsets):
            b[:, t] = flat[:, lo + off : hi + off]
        yield lo, hi, b.reshape(-1, hi - lo)


def _from_grid(grid: np.ndarray, n: int, h: int, w: int, ho: int, wo: int) -> np.ndarray:
    """(K, N·H·W) on the input grid → (N, K, ho, wo), contiguous."""
    k = grid.shape[0]
    return np.ascontiguousarray(grid.reshape(k, n, h, w)[:, :, :ho, :wo].transpose(1, 0, 2, 3))


def _to_channels_first(dout: np.ndarray) -> np.ndarray:
    """(N, C_out, H', W') → (C_out, N·H'·W'), contiguous."""
    o = dout.shape[1]
    return np.ascontiguousarray(dout.transpose(1, 0, 2, 3)).reshape(o, -1)


# ----- Convolution -----


def conv2d(x: ArrayLike, w: ArrayLike, stride: int = 1) -> np.ndarray:
    """out[n,o,i,j] = Σ_{c,p,q} x[n,c,s·i+p,s·j+q] w[o,c,p,q]; shape (N, C_out, H', W').

    A valid cross-correlation (see the module docstring for the flipped-kernel
    relation to note 002's convolution); H' = ⌊(H − kh)/s⌋ + 1.

    Claims: convolution.conv_output_size, convolution.conv_output_size_stride,
    convolution.conv_layer_output_shape_valid
    """
    x, w = floats(x=x, w=w)
    s = _stride(stride)
    require_ndim("x", x, 4, "N, C_in, H, W")
    require_ndim("w", w, 4, "C_out, C_in, kh, kw")
    ho, wo = _conv_sizes(x.shape, w.shape, s)
    o, _, kh, kw = w.shape
    wm = w.reshape(o, -1)
    if s == 1:
        k = kernels(x, w)
        if k is not None and k.conv_applies(wo, x.dtype):
            return k.conv_forward(x, w)
        n, _, h, width = x.shape
        grid = np.empty((o, n * h * width), x.dtype)  # columns past the last chunk: dropped
        for lo, hi, patches in _patch_chunks(x, kh, kw):
            np.matmul(wm, patches, out=grid[:, lo:hi])
        return _from_grid(grid, x.shape[0], *x.shape[2:], ho, wo)
    # (N·H'·W', C_out): OpenBLAS runs this orientation (long M, short N = C_out) ~1.3–2× faster
    # than the (C_out, N·H'·W') one, where the short side is M
    out = _patches(x, kh, kw, s, ho, wo).T @ wm.T
    return np.ascontiguousarray(out.reshape(x.shape[0], ho, wo, o).transpose(0, 3, 1, 2))


def _check_dout(dout: np.ndarray, x_shape, w_shape, s: int) -> None:
    ho, wo = _conv_sizes(x_shape, w_shape, s)
    expected = (x_shape[0], w_shape[0], ho, wo)
    if dout.shape != expected:
        raise ValueError(
            f"x has shape {x_shape} and w has shape {w_shape} (stride {s}) but dout has "
            f"shape {dout.shape}; expected dout of shape {expected}"
        )


def conv2d_grad_input(
    dout: ArrayLike, w: ArrayLike, x_shape: tuple[int, ...], stride: int = 1
) -> np.ndarray:
    """∂L/∂x[n,c,h,v] = Σ_{o,i,j: s·i+p=h, s·j+q=v} dout[n,o,i,j] w[o,c,p,q]; shape x_shape.

    For stride 1 this is the full correlation of dout with the flipped kernel.

    Claims: convolution.conv_input_gradient_full_convolution,
    convolution.conv_input_gradient_full_convolution_2d
    """
    dout, w = floats(dout=dout, w=w)
    s = _stride(stride)
    x_shape = _check_shape4("x_shape", x_shape, "N, C_in, H, W")
    require_ndim("w", w, 4, "C_out, C_in, kh, kw")
    _check_dout(dout, x_shape, w.shape, s)
    n, c = x_shape[:2]
    o, _, kh, kw = w.shape
    ho, wo = dout.shape[2:]
    if s == 1:  # scatter each chunk of patch-matrix gradients back along the same shifts
        k = kernels(dout, w)
        if k is not None and k.conv_applies(x_shape[3], dout.dtype):
            return k.conv_grad_input(dout, w)
        d = _flat_grad(dout, x_shape)
        wt = np.ascontiguousarray(w.reshape(o, -1).T)  # (K, C_out)
        dflat = np.zeros((c, d.shape[1]), d.dtype)
        dcols = np.empty((c * kh * kw, CHUNK), d.dtype)
        for lo, hi, offsets in _shift_chunks(x_shape, kh, kw):
            part = np.matmul(wt, d[:, lo:hi], out=dcols[:, : hi - lo]).reshape(c, kh * kw, -1)
            for t, off in enumerate(offsets):
                dflat[:, lo + off : hi + off] += part[:, t]
        return _from_grid(dflat, n, *x_shape[2:], *x_shape[2:])
    dcols = w.reshape(o, -1).T @ _to_channels_first(dout)  # (K, N·H'·W')
    dcols = dcols.reshape(c, kh, kw, n, ho, wo)
    dx = np.zeros((c, n, *x_shape[2:]), dcols.dtype)  # channels first, like dcols
    for p in range(kh):
        for q in range(kw):
            dx[_window(p, q, ho, wo, s)] += dcols[:, p, q]
    return np.ascontiguousarray(dx.transpose(1, 0, 2, 3))


def conv2d_grad_weight(
    x: ArrayLike, dout: ArrayLike, w_shape: tuple[int, ...], stride: int = 1
) -> np.ndarray:
    """∂L/∂w[o,c,p,q] = Σ_{n,i,j} x[n,c,s·i+p,s·j+q] dout[n,o,i,j]; shape w_shape.

    A valid correlation of the input with the output gradient (note 002:
    ∂L/∂Wˡ = input ⋆_valid ∂L/∂output), summed over the batch.

    Claims: convolution.conv_weight_gradient_valid_correlation
    """
    x, dout = floats(x=x, dout=dout)
    s = _stride(stride)
    require_ndim("x", x, 4, "N, C_in, H, W")
    w_shape = _check_shape4("w_shape", w_shape, "C_out, C_in, kh, kw")
    _check_dout(dout, x.shape, w_shape, s)
    _, _, kh, kw = w_shape
    ho, wo = dout.shape[2:]
    if s == 1:  # Σ over chunks of dout-on-the-grid times the chunk's patch matrix
        k = kernels(x, dout)
        if k is not None and k.conv_weight_applies(x.shape[1], wo, x.dtype):
            return k.conv_grad_weight(dout, x, kh, kw)
        d = _flat_grad(dout, x.shape)
        dw = np.zeros((w_shape[0], x.shape[1] * kh * kw), x.dtype)
        for lo, hi, patches in _patch_chunks(x, kh, kw):
            dw += d[:, lo:hi] @ patches.T
        return dw.reshape(w_shape)
    cols = _patches(x, kh, kw, s, ho, wo)  # (K, N·H'·W')
    return (_to_channels_first(dout) @ cols.T).reshape(w_shape)


def conv1d_matrix(h: ArrayLike, n: int) -> np.ndarray:
    """The banded (n − k + 1) × n matrix T with T @ f == np.convolve(f, h, 'valid').

    g[i] = Σₘ f[m] h[i + k − 1 − m] (note 002's g[i] = Σₙ f[n]h[i − n], indices
    shifted to the valid range), so row i holds the flipped kernel in columns
    i … i + k − 1: T[i, i + j] = h[k − 1 − j]. Requires n ≥ k = len(h).

    Claims: convolution.conv1d_banded_matrix, convolution.conv1d_banded_matrix_is_jacobian
    """
    (h,) = floats(h=h)
    require_ndim("h", h, 1, "a 1-D kernel")
    k = h.shape[0]
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < k or k == 0:
        raise ValueError(f"h has shape {h.shape} but n = {n!r}; expected an integer n ≥ len(h) ≥ 1")
    rows = n - k + 1
    T = np.zeros((rows, n), h.dtype)
    i = np.arange(rows)[:, None]
    T[i, i + np.arange(k)] = h[::-1]
    return T


# ----- Pooling -----


def _pool_setup(x_shape, size: int, stride: int | None) -> tuple[int, int, int, int]:
    k = _stride(size, "size")
    s = k if stride is None else _stride(stride)
    h, w = x_shape[2:]
    if k > h or k > w:
        raise ValueError(
            f"x has shape {tuple(x_shape)} but the pooling window is {k} × {k}; "
            "the window must fit in the input (no padding)"
        )
    return k, s, _out_size(h, k, s), _out_size(w, k, s)


def max_pool2d(
    x: ArrayLike, size: int = 2, stride: int | None = None, return_indices: bool = False
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """y[n,c,i,j] = max_{0≤p,q<size} x[n,c,s·i+p,s·j+q]; stride s defaults to size.

    With return_indices, also returns where each maximum was (int64, shaped like y): the
    flat index h·W + v of x[n,c,h,v] within its channel, the first maximum in row-major
    window order on ties, as torch's max_pool2d(return_indices=True). Passing them to
    max_pool2d_grad saves it finding the maxima again.

    Claims: convolution.max_pool_gradient, convolution.max_pool_running_maximum
    """
    (x,) = floats(x=x)
    require_ndim("x", x, 4, "N, C, H, W")
    k, s, ho, wo = _pool_setup(x.shape, size, stride)
    if not return_indices:
        return _max_pool(x, k, s, ho, wo)
    out = np.empty((*x.shape[:2], ho, wo), x.dtype)
    idx = np.empty(out.shape, np.int64)
    compiled = kernels(x)
    if compiled is not None:
        compiled.max_pool_argmax(x, k, s, out, idx)
        return out, idx
    width = x.shape[3]
    out[...] = x[_window(0, 0, ho, wo, s)]
    corner = s * (np.arange(ho)[:, None] * width + np.arange(wo))  # index of offset (0, 0)
    idx[...] = corner
    better = np.empty(out.shape, bool)
    for p in range(k):
        for q in range(k):
            if p or q:
                v = x[_window(p, q, ho, wo, s)]
                np.greater(v, out, out=better)  # strictly: ties keep the first maximum
                np.copyto(out, v, where=better)
                np.copyto(idx, corner + (p * width + q), where=better)
    return out, idx


def _max_pool(x: np.ndarray, k: int, s: int, ho: int, wo: int) -> np.ndarray:
    out = x[_window(0, 0, ho, wo, s)].copy()
    for p in range(k):
        for q in range(k):
            if p or q:
                np.maximum(out, x[_window(p, q, ho, wo, s)], out=out)
    return out


def max_pool2d_grad(
    dout: ArrayLike,
    x: ArrayLike,
    size: int = 2,
    stride: int | None = None,
    indices: ArrayLike | None = None,
) -> np.ndarray:
    """∂L/∂x: each dout[n,c,i,j] goes to the argmax of its window, zero elsewhere.

    Ties go to the first maximum in row-major window order (smallest p, then q),
    so exactly one input per window receives the gradient. With overlapping
    windows (stride < size) an input receives the sum over the windows it wins.
    indices, from max_pool2d(..., return_indices=True) on this x, skips finding
    the maxima again: the gradient is then one scatter.

    Claims: convolution.max_pool_gradient, convolution.max_pool_layer_gradient
    """
    dout, x = floats(dout=dout, x=x)
    require_ndim("x", x, 4, "N, C, H, W")
    k, s, ho, wo = _pool_setup(x.shape, size, stride)
    _check_pool_dout(dout, x.shape, ho, wo)
    if indices is not None:
        return _scatter_to_indices(dout, x.shape, _check_indices(indices, dout.shape))
    if kernels(x, dout) is not None:  # compiled: locate the maxima, then one scatter
        _, where = max_pool2d(x, k, s, return_indices=True)
        return _scatter_to_indices(dout, x.shape, where)
    dx = _pool_dx(x.shape, x.dtype, k, s, ho, wo)
    out = _max_pool(x, k, s, ho, wo)
    free = np.ones(out.shape, bool)  # windows whose argmax is not yet assigned
    hit = np.empty(out.shape, bool)
    share = np.empty(out.shape, x.dtype)  # preallocated: no temporaries in the loop
    for p in range(k):
        for q in range(k):
            win = _window(p, q, ho, wo, s)
            np.equal(x[win], out, out=hit)
            hit &= free
            free ^= hit  # hit ⊆ free, so this is free &= ~hit without the ~hit temporary
            np.multiply(dout, hit, out=share)
            _scatter(dx, win, share, k, s)
    return dx


def _check_indices(indices: ArrayLike, dout_shape) -> np.ndarray:
    idx = np.asarray(indices)
    if idx.shape != dout_shape or idx.dtype.kind not in "iu":
        raise ValueError(
            f"indices has shape {idx.shape} and dtype {idx.dtype}; expected integers of "
            f"shape {dout_shape} (dout's), as max_pool2d(x, return_indices=True) returns"
        )
    return idx


def _index_range_error(idx: np.ndarray, x_shape) -> ValueError:
    return ValueError(
        f"indices must lie in [0, {x_shape[2] * x_shape[3]}) (flat positions in a "
        f"{x_shape[2]} × {x_shape[3]} channel); got values from {idx.min()} to {idx.max()}"
    )


def _scatter_to_indices(dout: np.ndarray, x_shape, idx: np.ndarray) -> np.ndarray:
    """dx with dout added at the given flat positions of each channel."""
    planes = x_shape[0] * x_shape[1]
    compiled = kernels(dout)
    if compiled is not None and idx.flags.c_contiguous:
        dx = np.empty(x_shape, dout.dtype)  # zeroed by the kernel
        flat = [a.reshape(planes, -1) for a in (dout, idx, dx)]
        if compiled.scatter_add_planes(*flat):  # checked in the same pass
            raise _index_range_error(idx, x_shape)
        return dx
    if idx.size and (idx.min() < 0 or idx.max() >= x_shape[2] * x_shape[3]):
        raise _index_range_error(idx, x_shape)
    dx = np.zeros(x_shape, dout.dtype)
    rows = np.arange(planes)[:, None]
    np.add.at(dx.reshape(planes, -1), (rows, idx.reshape(planes, -1)), dout.reshape(planes, -1))
    return dx


def _pool_dx(x_shape, dtype, k: int, s: int, ho: int, wo: int) -> np.ndarray:
    """The gradient buffer; uninitialised when the windows tile x exactly (all written)."""
    tiles = s == k and ho * k == x_shape[2] and wo * k == x_shape[3]
    return np.empty(x_shape, dtype) if tiles else np.zeros(x_shape, dtype)


def _scatter(dx: np.ndarray, win: tuple[slice, ...], share: np.ndarray, k: int, s: int) -> None:
    # disjoint windows (s ≥ k): a plain store, skipping the read of an accumulate
    if s < k:
        dx[win] += share
    else:
        dx[win] = share


def _check_pool_dout(dout: np.ndarray, x_shape, ho: int, wo: int) -> None:
    expected = (*x_shape[:2], ho, wo)
    if dout.shape != expected:
        raise ValueError(
            f"x has shape {tuple(x_shape)} but dout has shape {dout.shape}; "
            f"expected dout of shape {expected}"
        )


def avg_pool2d(x: ArrayLike, size: int = 2, stride: int | None = None) -> np.ndarray:
    """y[n,c,i,j] = (1/size²) Σ_{0≤p,q<size} x[n,c,s·i+p,s·j+q]; stride s defaults to size.

    Claims: convolution.avg_pool_gradient, convolution.avg_pool_strided_correlation
    """
    (x,) = floats(x=x)
    require_ndim("x", x, 4, "N, C, H, W")
    k, s, ho, wo = _pool_setup(x.shape, size, stride)
    out = x[_window(0, 0, ho, wo, s)].copy()
    for p in range(k):
        for q in range(k):
            if p or q:
                out += x[_window(p, q, ho, wo, s)]
    out *= 1 / (k * k)
    return out


def avg_pool2d_grad(
    dout: ArrayLike, x_shape: tuple[int, ...], size: int = 2, stride: int | None = None
) -> np.ndarray:
    """∂L/∂x[n,c,h,v] = (1/size²) Σ over the windows containing (h, v) of dout; shape x_shape.

    Claims: convolution.avg_pool_gradient
    """
    (dout,) = floats(dout=dout)
    x_shape = _check_shape4("x_shape", x_shape, "N, C, H, W")
    k, s, ho, wo = _pool_setup(x_shape, size, stride)
    _check_pool_dout(dout, x_shape, ho, wo)
    compiled = kernels(dout)
    if compiled is not None:  # one pass, on every core
        planes = x_shape[0] * x_shape[1]
        dx = np.empty(x_shape, dout.dtype)  # zeroed by the kernel
        compiled.avg_pool_spread(
            dout.reshape(planes, ho, wo), k, s, dx.reshape(planes, *x_shape[2:])
        )
        return dx
    share = dout * (1 / (k * k))
    dx = _pool_dx(x_shape, dout.dtype, k, s, ho, wo)
    for p in range(k):
        for q in range(k):
            _scatter(dx, _window(p, q, ho, wo, s), share, k, s)
    return dx
