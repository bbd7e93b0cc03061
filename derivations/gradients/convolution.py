"""Convolution and pooling layers and their gradients (note 002, §4).

Layout NCHW: x is (N, C_in, H, W), weights w are (C_out, C_in, kh, kw), a bias b is (C_out,);
as torch's, x may also be one unbatched image (C_in, H, W), and then so are dout and the result.
The stride s ≥ 1, zero padding P ≥ 0 and dilation d ≥ 1 are an integer, the same along both
axes, or a pair (along H, along W) as torch takes them, so
H' = ⌊(H + 2P − d(kh − 1) − 1)/s⌋ + 1 with each axis's own (for s = 1, P = 0, d = 1 the note's
H − kh + 1).

As in deep-learning libraries, conv2d is a cross-correlation,
out[n,o,i,j] = b[o] + Σ_{c,p,q} x̃[n,c,s·i+d·p,s·j+d·q] w[o,c,p,q], x̃ the padded input. Note
002's g[i] = Σₙ f[n]h[i − n] is a true convolution: the correlation with the kernel flipped
along each spatial axis, conv2d(x, w[..., ::-1, ::-1]).

Each layer is a matrix product with the windows of x̃ (a strided view, copied once into the
patch matrix by tensordot); loops run over kernel or window offsets, never over pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike

from ._claims import implements
from ._fast import fast
from ._torch_names import PADDING_MODE, torch_flags, torch_names
from ._validate import floats, integer, require_ndim, specials_quietly

__all__ = [
    "avg_pool2d",
    "avg_pool2d_grad",
    "conv1d_matrix",
    "conv2d",
    "conv2d_grad_bias",
    "conv2d_grad_input",
    "conv2d_grad_weight",
    "max_pool2d",
    "max_pool2d_grad",
]


# ----- Shared helpers -----


def _positive(value: int, name: str, least: int = 1) -> int:
    v = integer(value)
    if v is None or v < least:
        raise ValueError(f"{name} must be an integer ≥ {least}; got {value!r}")
    return v


Pair = tuple[int, int]  # a value along H, then along W


def _pair(value: int | tuple[int, ...], name: str, least: int = 1) -> Pair:
    """An integer for both axes, or a tuple or list of one or two (along H, along W), as
    torch's conv2d and pooling read their geometry; an integer NumPy array of those (a size
    computed from a shape) as its list, as torch takes it."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "iu" and value.ndim <= 1:
        value = value.tolist()
    if isinstance(value, tuple | list):
        if len(value) not in (1, 2):
            raise ValueError(f"{name} must be an integer or a pair of integers (along H, "
                             f"along W), as torch's; got {value!r}")
        h, w = (_positive(v, name, least) for v in (value * 2)[:2])
        return h, w
    v = _positive(value, name, least)
    return v, v


def _square(*pairs: Pair) -> tuple[int, ...] | None:
    """The one value of each pair when every pair is the same along both axes (what the fast
    path takes), else None."""
    return tuple(a for a, _ in pairs) if all(a == b for a, b in pairs) else None


def _shown(pair: Pair) -> int | Pair:
    return pair[0] if pair[0] == pair[1] else pair


def _out_size(n: int, k: int, s: int, pad: int = 0, dil: int = 1) -> int:
    return (n + 2 * pad - dil * (k - 1) - 1) // s + 1


def _check_shape4(name: str, shape: tuple[int, ...], what: str) -> tuple[int, ...]:
    """Four non-negative integers (a float such as 3.5 is refused, not truncated)."""
    try:
        dims = tuple(shape)
    except TypeError:
        raise ValueError(f"{name} must be a shape of 4 integers ({what}); got {shape!r}") from None
    if len(dims) != 4 or not all(integer(v) is not None and v >= 0 for v in dims):
        raise ValueError(f"{name} must be a shape of 4 integers ≥ 0 ({what}); got {shape!r}")
    return tuple(integer(v) for v in dims)


def _unbatched_shape(shape) -> bool:
    """Whether shape is torch's unbatched (C, H, W): three entries, not four."""
    try:
        return len(tuple(shape)) == 3
    except TypeError:
        return False  # _check_shape4 refuses it, naming it


def _require_unbatched(name: str, a: np.ndarray, what: str) -> None:
    """An unbatched call's other array is unbatched too (torch: one image throughout)."""
    require_ndim(name, a, 3, f"{what}, unbatched as the input (C, H, W)")


def _geometry(stride, dilation, groups: int) -> tuple[Pair, Pair, int]:
    """(stride, dilation) as pairs (along H, along W), and groups."""
    if np.ndim(stride) == 1 and (isinstance(stride, np.ndarray) or not all(
            integer(v) is not None for v in stride)):
        raise ValueError(  # torch's F.conv2d(input, weight, bias, stride, ...) order
            f"stride must be an integer ≥ 1 or a pair of them; got {type(stride).__name__} "
            f"{np.asarray(stride).ravel()[:4]}. The bias is the keyword argument bias= here: "
            "torch's conv2d takes it third"
        )
    return _pair(stride, "stride"), _pair(dilation, "dilation"), _positive(groups, "groups")


Pads = tuple[int, int, int, int]  # zeros added (above, below, left, right) of each channel


def _pads(padding: int | str | tuple[int, ...], w_shape: tuple[int, ...], s: Pair,
          dil: Pair) -> Pads:
    """padding as torch reads it: an integer P on every side, a pair (P along H, above and
    below; P along W, left and right), 'valid' (none), or 'same' (stride 1 only): d(k − 1)
    zeros per axis, the odd one below / right, so that H' = H and W' = W."""
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0, 0, 0)
        if padding != "same":
            raise ValueError(f"padding must be an integer ≥ 0, a pair of them, 'valid' or "
                             f"'same'; got {padding!r}")
        if s != (1, 1):  # torch: "padding='same' is not supported for strided convolutions"
            raise ValueError(f"padding='same' needs stride 1 (as torch's); got stride "
                             f"{_shown(s)}")
        th, tw = (d * (k - 1) for d, k in zip(dil, w_shape[2:], strict=True))
        return (th // 2, th - th // 2, tw // 2, tw - tw // 2)
    ph, pw = _pair(padding, "padding", 0)
    return (ph, ph, pw, pw)


def _pad_uneven(x: np.ndarray, pads: Pads) -> tuple[np.ndarray, int]:
    """(x, P) when the four pads are one P; else (x zero-padded explicitly, 0)."""
    if len(set(pads)) == 1:
        return x, pads[0]
    top, bottom, left, right = pads
    return np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right))), 0


def _groups(x_shape, w_shape, groups: int) -> tuple[int, int]:
    """(input, output) channels per group; w holds C_in/groups input channels (torch)."""
    c, o, c_w = x_shape[1], w_shape[0], w_shape[1]
    if o == 0:  # torch: "expected weight to be at least 1 at dimension 0"
        raise ValueError(f"w has shape {tuple(w_shape)}: no output channel (torch's conv2d "
                         "and its gradients refuse a weight with C_out = 0)")
    if 0 in tuple(x_shape)[2:] and x_shape[0] and c:  # padding would give it entries
        raise ValueError(f"x has shape {tuple(x_shape)}: no row or column, which torch's "
                         "conv2d takes only in an empty batch or without channels ('Only zero "
                         "batch or zero channel inputs are supported')")
    # (one group: a wrong C_in is _conv_sizes's error, which names C_in)
    if groups > 1 and (c % groups or o % groups or c_w != c // groups):
        raise ValueError(
            f"x has shape {tuple(x_shape)} and w has shape {tuple(w_shape)} with groups = "
            f"{groups}; expected C_in and C_out divisible by groups and w.shape[1] = "
            f"C_in/groups = {c / groups:g}"
        )
    return c // groups, o // groups


def _conv_sizes(x_shape, w_shape, s: Pair, pad: int, dil: Pair,
                given: str | None = None) -> tuple[int, int]:
    """(H', W'); `given` describes the call as its caller made it (x before an uneven padding
    was added, the padding as passed), for the errors."""
    n, c, h, w = x_shape
    o, c_w, kh, kw = w_shape
    if c_w != c:
        raise ValueError(
            f"x has shape {x_shape} but w has shape {w_shape}; "
            f"expected w with C_in = {c} (w.shape[1])"
        )
    span_h, span_w = dil[0] * (kh - 1) + 1, dil[1] * (kw - 1) + 1
    if span_h > h + 2 * pad or span_w > w + 2 * pad:
        raise ValueError(
            f"{given or f'x has shape {x_shape} but w has shape {w_shape}'}; the kernel "
            f"({kh} × {kw}, dilation {_shown(dil)}) must fit in the input with its padding "
            f"({h + 2 * pad} × {w + 2 * pad} padded)"
        )
    return _out_size(h, kh, s[0], pad, dil[0]), _out_size(w, kw, s[1], pad, dil[1])


def _pad(x: np.ndarray, pad: int) -> np.ndarray:
    return np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad))) if pad else x


def _windows(xp: np.ndarray, kh: int, kw: int, s: Pair, dil: Pair, ho: int,
             wo: int) -> np.ndarray:
    """(N, C, H', W', kh, kw) view: [n, c, i, j, p, q] = xp[n, c, s·i + d·p, s·j + d·q] (s and d
    each axis's own)."""
    span = (dil[0] * (kh - 1) + 1, dil[1] * (kw - 1) + 1)
    view = sliding_window_view(xp, span, axis=(2, 3))[:, :, ::s[0], ::s[1], ::dil[0], ::dil[1]]
    return view[:, :, :ho, :wo]


def _given(x_shape, w_shape, s: Pair, padding, dil: Pair, groups: int) -> str:
    """The call's geometry as its caller gave it, for an error message."""
    grouped = f", groups {groups}" if groups > 1 else ""
    return (f"x has shape {tuple(x_shape)} and w has shape {tuple(w_shape)} (stride "
            f"{_shown(s)}, padding {padding!r}, dilation {_shown(dil)}{grouped})")


def _check_dout(dout: np.ndarray, x_shape, w_shape, s: Pair, pad: int, dil: Pair,
                given: str) -> None:
    ho, wo = _conv_sizes(x_shape, w_shape, s, pad, dil, given)
    expected = (x_shape[0], w_shape[0], ho, wo)
    if x_shape[1] == 0 and dout.shape == (x_shape[0], 0, ho, wo):
        return  # torch's conv2d of no input channel is (N, 0, H', W'): its upstream gradient
    if dout.shape != expected:
        raise ValueError(f"{given} but dout has shape {dout.shape}; expected dout of shape "
                         f"{expected}")


# ----- Convolution -----


@implements(
    "convolution.conv_output_size",
    "convolution.conv_output_size_stride",
    "convolution.conv_layer_output_shape_valid",
    "convolution.conv2d_padded_dilated_strided",
    "convolution.conv2d_same_padding",
    "convolution.conv2d_groups_as_block_diagonal",
    "convolution.conv2d_per_axis_geometry",
)
@torch_names(input="x", weight="w")
@torch_flags(padding_mode=PADDING_MODE)
def conv2d(
    x: ArrayLike,
    w: ArrayLike,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] | str = 0,
    dilation: int | tuple[int, int] = 1,
    bias: ArrayLike | None = None,
    groups: int = 1,
) -> np.ndarray:
    """out[n,o,i,j] = b[o] + Σ_{c,p,q} x̃[n,c,s·i+d·p,s·j+d·q] w[o,c,p,q], x̃ = x zero-padded by P;
    shape (N, C_out, H', W') with H' = ⌊(H + 2P − d(kh − 1) − 1)/s⌋ + 1 (see the module doc).

    stride, padding and dilation: an integer, or a pair (along H, along W) as torch's.
    padding: an integer P, a pair, or 'valid' (P = 0) or 'same' (stride 1; d(k − 1) zeros per
    axis, the odd one below and right, as torch). groups: as torch's, the channels split into
    groups blocks, w of shape (C_out, C_in/groups, kh, kw), output block g the convolution of
    input block g with w's block g alone. The argument order is not torch's: bias is a
    keyword argument (torch's conv2d(input, weight, bias, stride, padding, dilation, groups)).
    An input of no channel (C_in = 0) gives torch's empty (N, 0, H', W'), the bias dropped; a
    weight of no output channel is refused, as torch's."""
    x, w, *b = floats(x=x, w=w, **({} if bias is None else {"bias": bias}))
    if x.ndim == 3:  # torch's unbatched (C_in, H, W): one image, out (C_out, H', W')
        return conv2d(x[None], w, stride, padding, dilation, b[0] if b else None, groups)[0]
    s, dil, groups = _geometry(stride, dilation, groups)
    require_ndim("x", x, 4, "N, C_in, H, W (or C_in, H, W unbatched)")
    require_ndim("w", w, 4, "C_out, C_in, kh, kw")
    cg, og = _groups(x.shape, w.shape, groups)
    given = _given(x.shape, w.shape, s, padding, dil, groups)
    x, pad = _pad_uneven(x, _pads(padding, w.shape, s, dil))
    _conv_sizes((x.shape[0], cg, *x.shape[2:]), w.shape, s, pad, dil, given)
    b = b[0] if b else None
    if b is not None and b.shape != (w.shape[0],):
        raise ValueError(f"w has {w.shape[0]} output channels but bias has shape {b.shape}")
    if cg == 0:  # torch's convolution of no input channel: empty, (N, 0, H', W'), no bias
        ho, wo = _conv_sizes((x.shape[0], 0, *x.shape[2:]), w.shape, s, pad, dil, given)
        return np.zeros((x.shape[0], 0, ho, wo), np.result_type(x, w, *([] if b is None else [b])))
    blocks = [_conv2d(x[:, g * cg : (g + 1) * cg], w[g * og : (g + 1) * og],
                      None if b is None else b[g * og : (g + 1) * og], s, pad, dil)
              for g in range(groups)]
    return blocks[0] if groups == 1 else np.concatenate(blocks, axis=1)


def _conv2d(x: np.ndarray, w: np.ndarray, b: np.ndarray | None, s: Pair, pad: int,
            dil: Pair) -> np.ndarray:
    """conv2d of one group, shapes checked (the fast path takes one stride and dilation)."""
    if (square := _square(s, dil)) and (out := fast("conv2d", x, w, b, square[0], pad,
                                                     square[1])) is not None:
        return out
    ho, wo = _conv_sizes(x.shape, w.shape, s, pad, dil)
    windows = _windows(_pad(x, pad), *w.shape[2:], s, dil, ho, wo)
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        out = np.tensordot(windows, w, axes=([1, 4, 5], [1, 2, 3]))  # (N, H', W', C_out)
    if b is not None:
        with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
            out += b
    return np.ascontiguousarray(out.transpose(0, 3, 1, 2))


@implements("convolution.conv2d_bias_gradient")
def conv2d_grad_bias(dout: ArrayLike) -> np.ndarray:
    """∂L/∂b[o] = Σ_{n,i,j} dout[n,o,i,j]; dout of an unbatched conv2d is (C_out, H', W')."""
    (dout,) = floats(dout=dout)
    if dout.ndim == 3:
        dout = dout[None]
    require_ndim("dout", dout, 4, "N, C_out, H', W' (or C_out, H', W' unbatched)")
    n, o, h, w = dout.shape
    # each channel's pixels summed by one matrix-vector product (BLAS, on every core; NumPy's
    # sum over axes (0, 2, 3) runs 3–4× slower), then the batch in float64 (NumPy sums down
    # a column one row at a time: float32 lost 5e-6 over 5·10⁵ images of 1 × 1 pixels)
    with specials_quietly():  # +∞ and −∞ in one channel: NaN; a sum past the range: ±∞, as torch's
        per_image = dout.reshape(n * o, h * w) @ np.ones(h * w, dout.dtype)
        return per_image.reshape(n, o).sum(axis=0, dtype=np.float64).astype(dout.dtype)


@implements(
    "convolution.conv_input_gradient_full_convolution",
    "convolution.conv_input_gradient_full_convolution_2d",
    "convolution.conv2d_padded_input_gradient",
    "convolution.conv2d_per_axis_input_gradient",
)
@torch_flags(padding_mode=PADDING_MODE)
def conv2d_grad_input(
    dout: ArrayLike,
    w: ArrayLike,
    x_shape: tuple[int, ...],
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] | str = 0,
    dilation: int | tuple[int, int] = 1,
    groups: int = 1,
) -> np.ndarray:
    """∂L/∂x[n,c,h,v] = Σ_{o,i,j,p,q: s·i+d·p = h+P, s·j+d·q = v+P} dout[n,o,i,j] w[o,c,p,q];
    shape x_shape. For s = d = 1, P = 0, the full correlation of dout with the flipped kernel.
    stride, padding, dilation and groups as conv2d's (a group's input channels get its output
    channels' share). An unbatched x_shape (C_in, H, W) takes dout (C_out, H', W'), as torch's
    unbatched conv2d."""
    dout, w = floats(dout=dout, w=w)
    if _unbatched_shape(x_shape):
        _require_unbatched("dout", dout, "C_out, H', W'")
        return conv2d_grad_input(dout[None], w, (1, *x_shape), stride, padding, dilation,
                                 groups)[0]
    s, dil, groups = _geometry(stride, dilation, groups)
    x_shape = _check_shape4("x_shape", x_shape, "N, C_in, H, W (or C_in, H, W unbatched)")
    require_ndim("w", w, 4, "C_out, C_in, kh, kw")
    cg, og = _groups(x_shape, w.shape, groups)
    top, bottom, left, right = pads = _pads(padding, w.shape, s, dil)
    n, c, h, width = x_shape
    pad = pads[0] if len(set(pads)) == 1 else 0
    padded = (n, cg, h + top + bottom - 2 * pad, width + left + right - 2 * pad)
    _check_dout(dout, padded, (w.shape[0], *w.shape[1:]), s, pad, dil,
                _given(x_shape, w.shape, s, padding, dil, groups))
    if cg == 0:  # no input channel: ∂L/∂x is empty (torch's, whichever dout it was given)
        return np.zeros(x_shape, np.result_type(dout, w))
    blocks = [_conv2d_grad_input(dout[:, g * og : (g + 1) * og], w[g * og : (g + 1) * og],
                                 padded, s, pad, dil) for g in range(groups)]
    dx = blocks[0] if groups == 1 else np.concatenate(blocks, axis=1)
    if len(set(pads)) == 1:
        return dx
    return np.ascontiguousarray(dx[:, :, top : top + h, left : left + width])


def _conv2d_grad_input(dout: np.ndarray, w: np.ndarray, x_shape, s: Pair, pad: int,
                       dil: Pair) -> np.ndarray:
    """conv2d_grad_input of one group, shapes checked."""
    if (square := _square(s, dil)) and (out := fast("conv2d_grad_input", dout, w, x_shape,
                                                     square[0], pad, square[1])) is not None:
        return out
    n, c, h, width = x_shape
    kh, kw = w.shape[2:]
    ho, wo = dout.shape[2:]
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        cols = np.tensordot(dout, w, axes=([1], [0]))  # (N, H', W', C_in, kh, kw)
        dxp = np.zeros((n, c, h + 2 * pad, width + 2 * pad), cols.dtype)
        for p in range(kh):  # each kernel offset's share lands on its window of the input
            for q in range(kw):
                rows = slice(dil[0] * p, dil[0] * p + s[0] * (ho - 1) + 1, s[0])
                columns = slice(dil[1] * q, dil[1] * q + s[1] * (wo - 1) + 1, s[1])
                dxp[:, :, rows, columns] += cols[..., p, q].transpose(0, 3, 1, 2)
    return np.ascontiguousarray(dxp[:, :, pad : pad + h, pad : pad + width])


@implements(
    "convolution.conv_weight_gradient_valid_correlation",
    "convolution.conv2d_padded_weight_gradient",
    "convolution.conv2d_per_axis_weight_gradient",
)
@torch_flags(padding_mode=PADDING_MODE)
def conv2d_grad_weight(
    x: ArrayLike,
    dout: ArrayLike,
    w_shape: tuple[int, ...],
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] | str = 0,
    dilation: int | tuple[int, int] = 1,
    groups: int = 1,
) -> np.ndarray:
    """∂L/∂w[o,c,p,q] = Σ_{n,i,j} x̃[n,c,s·i+d·p,s·j+d·q] dout[n,o,i,j]; shape w_shape.

    A valid correlation of the (padded) input with the output gradient (note 002:
    ∂L/∂Wˡ = input ⋆_valid ∂L/∂output), summed over the batch. stride, padding, dilation and
    groups as conv2d's (w_shape[1] = C_in/groups; block g correlates input block g with dout's).
    An unbatched x (C_in, H, W) takes dout (C_out, H', W'), as torch's unbatched conv2d.
    """
    x, dout = floats(x=x, dout=dout)
    if x.ndim == 3:
        _require_unbatched("dout", dout, "C_out, H', W'")
        return conv2d_grad_weight(x[None], dout[None], w_shape, stride, padding, dilation,
                                  groups)
    s, dil, groups = _geometry(stride, dilation, groups)
    require_ndim("x", x, 4, "N, C_in, H, W (or C_in, H, W unbatched)")
    w_shape = _check_shape4("w_shape", w_shape, "C_out, C_in, kh, kw")
    cg, og = _groups(x.shape, w_shape, groups)
    given = _given(x.shape, w_shape, s, padding, dil, groups)
    x, pad = _pad_uneven(x, _pads(padding, w_shape, s, dil))
    _check_dout(dout, (x.shape[0], cg, *x.shape[2:]), w_shape, s, pad, dil, given)
    if cg == 0:  # no input channel: ∂L/∂w is empty (torch's, whichever dout it was given)
        return np.zeros(w_shape, np.result_type(x, dout))
    blocks = [_conv2d_grad_weight(x[:, g * cg : (g + 1) * cg], dout[:, g * og : (g + 1) * og],
                                  (og, *w_shape[1:]), s, pad, dil) for g in range(groups)]
    return blocks[0] if groups == 1 else np.concatenate(blocks, axis=0)


def _conv2d_grad_weight(x: np.ndarray, dout: np.ndarray, w_shape, s: Pair, pad: int,
                        dil: Pair) -> np.ndarray:
    """conv2d_grad_weight of one group, shapes checked."""
    if (square := _square(s, dil)) and (out := fast("conv2d_grad_weight", x, dout, w_shape,
                                                     square[0], pad, square[1])) is not None:
        return out
    windows = _windows(_pad(x, pad), *w_shape[2:], s, dil, *dout.shape[2:])
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        return np.tensordot(dout, windows, axes=([0, 2, 3], [0, 2, 3]))  # (C_out, C_in, kh, kw)


@implements("convolution.conv1d_banded_matrix", "convolution.conv1d_banded_matrix_is_jacobian")
def conv1d_matrix(h: ArrayLike, n: int) -> np.ndarray:
    """The banded (n − k + 1) × n matrix T with T @ f == np.convolve(f, h, 'valid').

    g[i] = Σₘ f[m] h[i + k − 1 − m] (note 002's g[i] = Σₙ f[n]h[i − n], indices shifted to the
    valid range), so row i holds the flipped kernel in columns i … i + k − 1:
    T[i, i + j] = h[k − 1 − j]. Requires n ≥ k = len(h).
    """
    (h,) = floats(h=h)
    require_ndim("h", h, 1, "a 1-D kernel")
    k = h.shape[0]
    size = integer(n)
    if size is None or size < k or k == 0:
        raise ValueError(f"h has shape {h.shape} but n = {n!r}; expected an integer n ≥ len(h) ≥ 1")
    n = size
    rows = n - k + 1
    T = np.zeros((rows, n), h.dtype)
    i = np.arange(rows)[:, None]
    T[i, i + np.arange(k)] = h[::-1]
    return T


# ----- Pooling -----


@dataclass(frozen=True)
class _Pool:
    """A pooling layer's geometry as torch's, each a pair (along H, along W): window size k,
    stride s, padding P (0 ≤ 2P ≤ k), dilation d; the output size (ho, wo) (ceil_mode rounds
    up, keeping a last window only if it starts inside the input or the leading padding),
    and the padded input's extent: P rows above (columns left), and below (right) the rows
    (columns) the last window reaches beyond x, which is P or less, or more with ceil_mode."""

    k: Pair
    s: Pair
    pad: Pair
    dil: Pair
    ho: int
    wo: int
    below: int
    right: int

    @property
    def plain(self) -> bool:
        """No padding, dilation or ceil_mode window."""
        return (self.pad == (0, 0) and self.dil == (1, 1) and self.below <= 0
                and self.right <= 0)

    @property
    def square(self) -> tuple[int, int] | None:
        """(k, s) when plain with one window size and stride on both axes: what the fast
        path implements; else None."""
        return _square(self.k, self.s) if self.plain else None

    def offset(self, p: int, q: int) -> tuple[slice, ...]:
        """The padded input's pixels seen by window offset (p, q) at every output position."""
        (sh, sw), (dh, dw) = self.s, self.dil
        return (slice(None), slice(None), slice(dh * p, dh * p + sh * (self.ho - 1) + 1, sh),
                slice(dw * q, dw * q + sw * (self.wo - 1) + 1, sw))

    def offsets(self) -> list[tuple[int, int]]:
        """Every window offset (p, q), in row-major window order."""
        return [(p, q) for p in range(self.k[0]) for q in range(self.k[1])]

    def padded(self, x: np.ndarray, value: float) -> np.ndarray:
        """x with value around it (enough for every window), or x itself if none is needed."""
        widths = ((self.pad[0], max(self.below, 0)), (self.pad[1], max(self.right, 0)))
        if not any(a or b for a, b in widths):
            return x
        return np.pad(x, ((0, 0), (0, 0), *widths), constant_values=value)


def _pool_size(n: int, k: int, s: int, pad: int, dil: int, ceil_mode: bool) -> int:
    """torch's pooling_output_shape."""
    span = n + 2 * pad - dil * (k - 1) - 1
    out = (span + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= n + pad:  # a last window starting in the trailing pad
        out -= 1
    return out


def _pool_setup(x_shape, size, stride, padding=0, dilation=1, ceil_mode: bool = False) -> _Pool:
    """The geometry of torch's pooling arguments: each an integer or a pair (along H, along
    W); stride None (or torch's empty list) is the window size."""
    k = _pair(size, "size")
    s = k if stride is None or (isinstance(stride, list | tuple) and not stride) else _pair(
        stride, "stride")
    pad, dil = _pair(padding, "padding", 0), _pair(dilation, "dilation")
    if not isinstance(ceil_mode, bool | np.bool_):
        raise ValueError(f"ceil_mode must be True or False; got {ceil_mode!r}")
    if 0 in tuple(x_shape)[1:]:  # torch: "3D or 4D tensor with optional 0 dim batch size"
        raise ValueError(f"x has shape {tuple(x_shape)} (N, C, H, W; unbatched as N = 1): "
                         "torch's pooling takes an empty batch (N = 0) but no empty channel, "
                         "row or column axis")
    # torch: "pad should be at most half of effective kernel size"
    if any(2 * p > n for p, n in zip(pad, k, strict=True)):
        raise ValueError(f"padding must be at most half the window size {_shown(k)} along "
                         f"each axis; got {_shown(pad)}")
    ho, wo = (_pool_size(n, ki, si, pi, di, bool(ceil_mode))
              for n, ki, si, pi, di in zip(x_shape[2:], k, s, pad, dil, strict=True))
    if ho < 1 or wo < 1:
        raise ValueError(
            f"x has shape {tuple(x_shape)} but the pooling window is {k[0]} × {k[1]} "
            f"(dilation {_shown(dil)}); the window must fit in the input with padding "
            f"{_shown(pad)}"
        )
    extent = [(m - 1) * si + di * (ki - 1) + 1 - n - pi
              for m, n, ki, si, pi, di in zip((ho, wo), x_shape[2:], k, s, pad, dil,
                                                  strict=True)]
    return _Pool(k, s, pad, dil, ho, wo, *extent)


def _argmax_windows(x: np.ndarray, g: _Pool):
    """(max, flat index h·W + v of the max in x) of each window: the first maximum in row-major
    window order; a NaN wins over any number, the last NaN over earlier ones (as torch).
    Padding takes no part: a window's first input pixel starts it (so -∞ everywhere gives
    the first pixel's index, as torch's). A window of padding alone (a dilation stepping over
    x) has the maximum −∞, as torch's, and the index −1: it has no pixel (torch's index there
    points outside the window, and its backward writes the gradient to a wrong pixel or past
    the channel's end), so its gradient goes nowhere."""
    width = x.shape[3]
    xp = g.padded(x, -np.inf)
    real = g.padded(np.ones((1, 1, *x.shape[2:]), bool), False)[0, 0]
    rows = np.arange(g.ho)[:, None] * g.s[0] - g.pad[0]  # input row, column of offset (0, 0)
    cols = np.arange(g.wo) * g.s[1] - g.pad[1]
    out = idx = valid = None
    for p, q in g.offsets():
        v = xp[g.offset(p, q)]
        v_real = real[g.offset(p, q)[2:]]
        here = (rows + g.dil[0] * p) * width + cols + g.dil[1] * q
        if out is None:
            out, idx, valid = v.copy(), np.broadcast_to(here, v.shape).astype(np.int64), v_real
            continue
        better = v_real & ((v > out) | np.isnan(v) | ~valid)  # ties keep the first
        out = np.where(better, v, out)
        idx = np.where(better, here, idx)
        valid = valid | v_real
    return out, np.where(valid, idx, -1)


@implements("convolution.max_pool_gradient", "convolution.max_pool_running_maximum")
@torch_names(input="x", kernel_size="size")
def max_pool2d(
    x: ArrayLike,
    size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1,
    ceil_mode: bool = False,
    *,
    return_indices: bool = False,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """y[n,c,i,j] = max_{0≤p,q<size} x̃[n,c,s·i+d·p,s·j+d·q]; stride s defaults to size; x̃ is x
    with −∞ around it, P = padding rows and columns (2P ≤ size), d = dilation, and ceil_mode
    rounds the output size up (a last window may hang over the input's end), all as torch's
    max_pool2d, in its argument order; size, stride, padding and dilation are each an integer
    or a pair (along H, along W), as torch's. A NaN in a window makes its maximum NaN.

    With return_indices (True or False, keyword only as in round 3), also returns where each
    maximum was (int64, shaped like y): the flat index h·W + v of x[n,c,h,v] within its
    channel, never a padding position, the first maximum in row-major window order on ties and
    the last NaN if there is one, as torch's max_pool2d(return_indices=True); −1 for a window
    of padding alone (its maximum −∞), which a dilation larger than the input can make, where
    torch's index points outside the window. Passing them
    to max_pool2d_grad saves it finding the maxima again. An unbatched x (C, H, W) gives
    (C, H', W') results, as torch's.
    """
    (x,) = floats(x=x)
    if x.ndim == 3:
        out = max_pool2d(x[None], size, stride, padding, dilation, ceil_mode,
                         return_indices=return_indices)
        return (out[0][0], out[1][0]) if isinstance(out, tuple) else out[0]
    require_ndim("x", x, 4, "N, C, H, W (or C, H, W unbatched)")
    g = _pool_setup(x.shape, size, stride, padding, dilation, ceil_mode)
    if not isinstance(return_indices, bool | np.bool_):
        raise ValueError(f"return_indices must be True or False; got {return_indices!r}")
    return_indices = bool(return_indices)
    if g.square and (out := fast("max_pool2d", x, *g.square, g.ho, g.wo,
                                 return_indices)) is not None:
        return out
    if not return_indices:  # np.maximum propagates NaN, as the indices' rule does
        xp = g.padded(x, -np.inf)
        out = xp[g.offset(0, 0)].copy()
        for p, q in g.offsets():
            np.maximum(out, xp[g.offset(p, q)], out=out)
        return out
    return _argmax_windows(x, g)


def _check_pool_dout(dout: np.ndarray, x_shape, g: _Pool) -> None:
    expected = (*x_shape[:2], g.ho, g.wo)
    if dout.shape != expected:
        raise ValueError(
            f"x has shape {tuple(x_shape)} but dout has shape {dout.shape}; "
            f"expected dout of shape {expected}"
        )


def _check_indices(indices: ArrayLike, dout_shape) -> np.ndarray:
    idx = np.asarray(indices)
    if idx.shape != dout_shape or idx.dtype.kind not in "iu":
        raise ValueError(
            f"indices has shape {idx.shape} and dtype {idx.dtype}; expected integers of "
            f"shape {dout_shape} (dout's), as max_pool2d(x, return_indices=True) returns"
        )
    return idx


def _scatter_to_indices(dout: np.ndarray, x_shape, idx: np.ndarray) -> np.ndarray:
    """dx with dout added at the given flat positions of each channel; −1 is a window of
    padding alone (max_pool2d's index for it), whose gradient goes nowhere."""
    plane = x_shape[2] * x_shape[3]
    if idx.size and (idx.min() < -1 or idx.max() >= plane):
        raise ValueError(
            f"indices must lie in [0, {plane}) (flat positions in a {x_shape[2]} × "
            f"{x_shape[3]} channel), or be −1 for a window of padding alone; got values "
            f"from {idx.min()} to {idx.max()}"
        )
    planes = x_shape[0] * x_shape[1]
    # one more column per plane takes the −1 entries (padding-only windows), then is dropped
    dx = np.zeros((planes, plane + 1), dout.dtype)
    windows = dout.shape[2] * dout.shape[3]  # not -1: an empty batch has no planes to divide
    with specials_quietly():  # overlapping windows' sum past the range: ±∞, as torch's
        np.add.at(dx, (np.arange(planes)[:, None], idx.reshape(planes, windows)),
                  dout.reshape(planes, windows))
    return dx[:, :plane].reshape(x_shape)


@implements("convolution.max_pool_gradient", "convolution.max_pool_layer_gradient")
@torch_names(kernel_size="size")
def max_pool2d_grad(
    dout: ArrayLike,
    x: ArrayLike,
    size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    indices: ArrayLike | None = None,
    *,
    padding: int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1,
    ceil_mode: bool = False,
) -> np.ndarray:
    """∂L/∂x: each dout[n,c,i,j] goes to the argmax of its window (as max_pool2d's indices:
    the first maximum on ties, the last NaN, never padding; a window of padding alone sends
    its dout nowhere, as its maximum −∞ does not depend on x), zero elsewhere. With overlapping
    windows (stride < size) an input receives the sum over the windows it wins. indices, from
    max_pool2d(..., return_indices=True) on this x, skips finding the maxima again: the
    gradient is then one scatter. padding, dilation and ceil_mode as max_pool2d's (keyword
    only: the fifth argument is indices). An unbatched x (C, H, W) takes dout and indices of
    shape (C, H', W').
    """
    dout, x = floats(dout=dout, x=x)
    if x.ndim == 3:
        _require_unbatched("dout", dout, "C, H', W'")
        if indices is not None:
            indices = np.asarray(indices)
            _require_unbatched("indices", indices, "C, H', W'")
            indices = indices[None]
        return max_pool2d_grad(dout[None], x[None], size, stride, indices, padding=padding,
                               dilation=dilation, ceil_mode=ceil_mode)[0]
    require_ndim("x", x, 4, "N, C, H, W (or C, H, W unbatched)")
    g = _pool_setup(x.shape, size, stride, padding, dilation, ceil_mode)
    _check_pool_dout(dout, x.shape, g)
    if indices is not None:
        idx = _check_indices(indices, dout.shape)
        if (out := fast("max_pool2d_scatter", dout, x.shape, idx)) is not None:
            return out
        return _scatter_to_indices(dout, x.shape, idx)
    if g.square and (out := fast("max_pool2d_grad", dout, x, *g.square, g.ho,
                                 g.wo)) is not None:
        return out
    return _scatter_to_indices(dout, x.shape, _argmax_windows(x, g)[1])


def _avg_divisor(x_shape, g: _Pool, count_include_pad: bool,
                 divisor_override: int | None) -> float | np.ndarray:
    """What each window's sum is divided by, as torch's avg_pool2d: divisor_override if given;
    else the window's pixels within the padded input (count_include_pad; not the ones a
    ceil_mode window hangs beyond it) or within x alone. A number, or an (ho, wo) array."""
    if divisor_override is not None:
        d = integer(divisor_override)
        if d is None or d == 0:  # torch's
            raise ValueError(f"divisor_override must be a non-zero integer; got "
                             f"{divisor_override!r}")
        return float(d)
    if not isinstance(count_include_pad, bool | np.bool_):
        raise ValueError(f"count_include_pad must be True or False; got {count_include_pad!r}")
    if g.plain:
        return float(g.k[0] * g.k[1])
    counts = []
    for m, n, k, s, pad in zip((g.ho, g.wo), x_shape[2:], g.k, g.s, g.pad,
                                  strict=True):
        start = np.arange(m) * s - pad
        end = start + k
        if count_include_pad:
            counts.append(np.minimum(end, n + pad) - start)
        else:
            counts.append(np.minimum(end, n) - np.maximum(start, 0))
    return np.outer(*counts).astype(np.float64)


@implements("convolution.avg_pool_gradient", "convolution.avg_pool_strided_correlation",
            "convolution.avg_pool_per_axis_window")
@torch_names(input="x", kernel_size="size")
def avg_pool2d(
    x: ArrayLike,
    size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: int | tuple[int, int] = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> np.ndarray:
    """y[n,c,i,j] = (1/D) Σ_{0≤p,q<size} x̃[n,c,s·i+p,s·j+q]; stride s defaults to size, x̃ is x
    zero-padded by P = padding (2P ≤ size), D = size² away from the edges. As torch's
    avg_pool2d, in its argument order: ceil_mode rounds the output size up; at an edge D counts
    the window's pixels inside the padded input (count_include_pad, the default) or inside x
    alone; divisor_override, a non-zero integer, replaces D everywhere. size, stride and
    padding are each an integer or a pair (along H, along W), as torch's (D = kh·kw). An
    unbatched x (C, H, W) gives (C, H', W'), as torch's."""
    (x,) = floats(x=x)
    if x.ndim == 3:
        return avg_pool2d(x[None], size, stride, padding, ceil_mode, count_include_pad,
                          divisor_override)[0]
    require_ndim("x", x, 4, "N, C, H, W (or C, H, W unbatched)")
    g = _pool_setup(x.shape, size, stride, padding, 1, ceil_mode)
    divisor = _avg_divisor(x.shape, g, count_include_pad, divisor_override)
    xp = g.padded(x, 0)
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        total = sum(xp[g.offset(p, q)] for p, q in g.offsets())
    return (total / np.asarray(divisor)).astype(x.dtype, copy=False)


@implements("convolution.avg_pool_gradient")
@torch_names(kernel_size="size")
def avg_pool2d_grad(
    dout: ArrayLike,
    x_shape: tuple[int, ...],
    size: int | tuple[int, int] = 2,
    stride: int | tuple[int, int] | None = None,
    padding: int | tuple[int, int] = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> np.ndarray:
    """∂L/∂x[n,c,h,v] = Σ over the windows containing (h, v) of dout/D (D each window's divisor,
    as avg_pool2d's, same arguments); shape x_shape. An unbatched x_shape (C, H, W) takes dout
    (C, H', W')."""
    (dout,) = floats(dout=dout)
    if _unbatched_shape(x_shape):
        _require_unbatched("dout", dout, "C, H', W'")
        return avg_pool2d_grad(dout[None], (1, *x_shape), size, stride, padding, ceil_mode,
                               count_include_pad, divisor_override)[0]
    x_shape = _check_shape4("x_shape", x_shape, "N, C, H, W (or C, H, W unbatched)")
    g = _pool_setup(x_shape, size, stride, padding, 1, ceil_mode)
    divisor = _avg_divisor(x_shape, g, count_include_pad, divisor_override)
    _check_pool_dout(dout, x_shape, g)
    usual = g.square and divisor == g.k[0] * g.k[1]  # (a number when plain)
    if usual and (out := fast("avg_pool2d_grad", dout, x_shape, *g.square)) is not None:
        return out
    share = (dout / np.asarray(divisor)).astype(dout.dtype, copy=False)
    h, w = x_shape[2:]
    dxp = g.padded(np.zeros(x_shape, dout.dtype), 0)  # a new array either way
    for p, q in g.offsets():
        dxp[g.offset(p, q)] += share
    (top, left) = g.pad
    return np.ascontiguousarray(dxp[:, :, top : top + h, left : left + w])
