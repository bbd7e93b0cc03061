"""Fast convolution and pooling: compiled tiles for stride-1 convolutions, compiled passes
for pooling (_numba_conv.py, _numba_kernels.py)."""

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


def _tiles_apply(stride: int, dilation: int) -> bool:
    return stride == 1 and dilation == 1


def conv2d(x, w, bias, stride: int, padding: int, dilation: int):
    if not _tiles_apply(stride, dilation):
        return None
    k = kernels(x, w)
    wo = x.shape[3] + 2 * padding - w.shape[3] + 1
    if k is None or not k.conv_applies(wo, x.dtype):
        return None
    out = k.conv_forward(x, w, padding, padding)
    if bias is not None:
        out += bias[:, None, None]
    return out


def conv2d_grad_input(dout, w, x_shape, stride: int, padding: int, dilation: int):
    """The full correlation of dout with the flipped kernel, cropped by the padding: the
    forward tile over dout padded by kernel size − 1 − padding."""
    _, _, kh, kw = w.shape
    if not _tiles_apply(stride, dilation) or padding > min(kh, kw) - 1:
        return None
    k = kernels(dout, w)
    if k is None or not k.conv_applies(x_shape[3], dout.dtype):
        return None
    flipped = np.ascontiguousarray(w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3))
    return k.conv_forward(dout, flipped, kh - 1 - padding, kw - 1 - padding)


def conv2d_grad_weight(x, dout, w_shape, stride: int, padding: int, dilation: int):
    if not _tiles_apply(stride, dilation):
        return None
    k = kernels(x, dout)
    if k is None or not k.conv_weight_applies(x.shape[1], dout.shape[3], x.dtype):
        return None
    if padding:
        x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    return k.conv_grad_weight(dout, x, w_shape[2], w_shape[3])


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
    flat = [a.reshape(planes, -1) for a in (dout, idx, dx)]
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
