"""Fast convolution and pooling: compiled tiles for convolutions (a stride or a dilation
through phase planes), compiled passes for pooling (_numba_conv.py, _numba_kernels.py)."""

from __future__ import annotations

import numpy as np

from ._compiled import kernels

__all__ = [
    "avg_pool2d_grad",
    "conv2d",
    "conv2d_grad_input",
    "conv2d_grad_weight",
    "max_pool2d",
    "max_pool2d_grad",
    "max_pool2d_scatter",
]


def _finite(w: np.ndarray) -> bool:
    """Whether every weight is finite (a sum that overflows says no too: the reference then
    runs, only slower). The tiles skip the taps that meet zero padding and multiply the
    zeros around dout by the kernel; with an infinite or NaN weight, 0 · w would be NaN in
    the first case and is not in the reference's second: only finite weights give the
    reference's result."""
    return bool(np.isfinite(w.sum()))


def conv2d(x, w, bias, stride: int, padding: int, dilation: int):
    k = kernels(x, w)
    if k is None or not _finite(w):
        return None
    _, _, kh, kw = w.shape
    wo = (x.shape[3] + 2 * padding - dilation * (kw - 1) - 1) // stride + 1
    if not k.conv_applies(wo, x.dtype):
        return None
    if stride == dilation == 1:
        return k.conv_forward(x, w, padding, padding, bias)
    return k.conv_forward_phases(x, w, stride, padding, dilation, bias)


def conv2d_grad_input(dout, w, x_shape, stride: int, padding: int, dilation: int):
    """Stride 1, dilation 1: the full correlation of dout with the flipped kernel, cropped by
    the padding (the forward tile over dout padded by kernel size − 1 − padding); otherwise
    phase by phase of x (_numba_conv.conv_grad_input_phases)."""
    _, _, kh, kw = w.shape
    k = kernels(dout, w)
    if k is None or not _finite(w):
        return None
    if stride == dilation == 1 and padding <= min(kh, kw) - 1:
        if not k.conv_applies(x_shape[3], dout.dtype):
            return None
        flipped = np.ascontiguousarray(w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3))
        return k.conv_forward(dout, flipped, kh - 1 - padding, kw - 1 - padding)
    if not k.conv_applies(x_shape[3] // stride, dout.dtype):  # the narrowest phase's rows
        return None
    return k.conv_grad_input_phases(dout, w, x_shape, stride, padding, dilation)


def conv2d_grad_weight(x, dout, w_shape, stride: int, padding: int, dilation: int):
    k = kernels(x, dout)
    if k is None:
        return None
    if stride == dilation == 1:
        if not k.conv_weight_applies(x.shape[1], dout.shape[3], x.dtype):
            return None
        return k.conv_grad_weight(dout, x, w_shape[2], w_shape[3], padding)
    if not k.conv_applies(dout.shape[3], x.dtype):
        return None
    return k.conv_grad_weight_phases(dout, x, w_shape[2], w_shape[3], stride, padding, dilation)


def max_pool2d(x, k: int, s: int, ho: int, wo: int, return_indices: bool):
    """(out, indices) in one compiled pass; without indices NumPy's running maximum is as fast."""
    compiled = kernels(x)
    if compiled is None or not return_indices:
        return None
    out = np.empty((*x.shape[:2], ho, wo), x.dtype)
    idx = np.empty(out.shape, np.int64)
    compiled.max_pool_argmax(x, k, s, out, idx)
    return out, idx


def max_pool2d_scatter(dout, x_shape, idx):
    """dx with dout added at the flat positions idx of each channel; None when the kernels
    do not apply or an index is out of range (the reference then names it)."""
    compiled = kernels(dout)
    if compiled is None or not idx.flags.c_contiguous:
        return None
    planes = x_shape[0] * x_shape[1]
    dx = np.empty(x_shape, dout.dtype)  # zeroed by the kernel
    # each plane's length spelled out: with no planes (an empty batch) -1 is ambiguous
    flat = [a.reshape(planes, a.shape[2] * a.shape[3]) for a in (dout, idx, dx)]
    return None if compiled.scatter_add_planes(*flat) else dx


def max_pool2d_grad(dout, x, k: int, s: int, ho: int, wo: int):
    """Locate the maxima, then one scatter."""
    found = max_pool2d(x, k, s, ho, wo, True) if kernels(dout) is not None else None
    return None if found is None else max_pool2d_scatter(dout, x.shape, found[1])


def avg_pool2d_grad(dout, x_shape, k: int, s: int):
    compiled = kernels(dout)
    if compiled is None:
        return None
    planes = x_shape[0] * x_shape[1]
    ho, wo = dout.shape[2:]
    dx = np.empty(x_shape, dout.dtype)  # zeroed by the kernel
    compiled.avg_pool_spread(dout.reshape(planes, ho, wo), k, s, dx.reshape(planes, *x_shape[2:]))
    return dx
