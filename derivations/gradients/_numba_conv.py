"""Stride-1 convolution kernels built from explicit 512-bit vector operations.

numba's auto-vectoriser follows LLVM's preference for 256-bit vectors on AVX-512
machines, and keeps a matrix product's accumulators in memory; the products that
OpenBLAS runs for a convolution are too skinny for its kernels (C_out = 32 rows:
46–76 GFLOP/s against ~190 for a square product). The two tiles below are written
as LLVM vector IR instead (``<16 x float>``, ``<8 x double>``): one register per
accumulator, the weights broadcast, each vector fed by one unaligned load. On a
machine without AVX-512, LLVM splits the same IR into narrower instructions; the
result is the same, only slower.

Both tiles read the input through a list of kernel offsets p·W + q, so the patch
matrix is never built (the "shifted views" formulation of convolution.py, fused).
A tile covers L consecutive outputs of one row, L = 64 bytes / itemsize; a row of
W' outputs is covered by ⌈W'/L⌉ tiles, the last shifted back to end at the row's
end (the forward tile writes the overlap twice, with the same values; the weight
tile masks it out). So rows must be at least L wide; convolution.py checks that.
"""

from __future__ import annotations

import numba
import numpy as np
from llvmlite import ir
from numba import njit, prange, types
from numba.core import cgutils
from numba.extending import intrinsic

BYTES = 64  # one AVX-512 register
FORWARD_CHANNELS = 16  # output channels per forward tile: 16 accumulators + 1 input vector
WEIGHT_OUT, WEIGHT_ROWS = 4, 4  # a weight tile: 4 output channels × 4 patch rows, 16 sums


def lanes(itemsize: int) -> int:
    return BYTES // itemsize


def _vector_ops(context, builder, dtype):
    """(vector type, load, store, broadcast, fma) for `dtype`'s 64-byte vectors."""
    fty = context.get_value_type(dtype)
    width = lanes(dtype.bitwidth // 8)
    vty = ir.VectorType(fty, width)
    fma_fn = cgutils.get_or_insert_function(
        builder.module, ir.FunctionType(vty, [vty] * 3), f"llvm.fma.v{width}f{dtype.bitwidth}"
    )
    align = dtype.bitwidth // 8
    undef = ir.Constant(vty, ir.Undefined)
    zeros32 = ir.Constant(ir.VectorType(ir.IntType(32), width), [0] * width)

    def load(ptr):
        value = builder.load(builder.bitcast(ptr, vty.as_pointer()))
        value.align = align
        return value

    def store(value, ptr):
        builder.store(value, builder.bitcast(ptr, vty.as_pointer())).align = align

    def broadcast(ptr):
        one = builder.insert_element(undef, builder.load(ptr), ir.Constant(ir.IntType(32), 0))
        return builder.shuffle_vector(one, undef, zeros32)

    def fma(a, b, c):
        return builder.call(fma_fn, [a, b, c])

    return vty, load, store, broadcast, fma


def _data(context, builder, ty, value):
    return context.make_array(ty)(context, builder, value).data


def _const(value: int) -> ir.Constant:
    return ir.Constant(ir.IntType(64), value)


@intrinsic
def _forward_tile(typingctx, x, x_base, x_at, w, w_at, out, out_base, out_at, taps):
    """One forward tile, 16 output channels × L pixels of one row: for c < 16, l < L,
    out[out_base + out_at[c] + l] =
        Σ_i Σ_t w[w_at + (i·T + t)·16 + c] · x[x_base + x_at[i] + taps[t] + l].

    x_at holds each input channel's offset, out_at each output channel's (a padding channel
    repeats the last real one, whose weights it also has: the same values, written twice by
    the same thread).
    """
    sig = types.void(x, x_base, x_at, w, w_at, out, out_base, out_at, taps)

    def codegen(context, builder, signature, args):
        x_ty, _, x_at_ty, w_ty, _, out_ty, _, out_at_ty, taps_ty = signature.args
        xv, x_basev, x_atv, wv, w_atv, outv, out_basev, out_atv, tapsv = args
        vty, load, store, broadcast, fma = _vector_ops(context, builder, x_ty.dtype)
        xp = builder.gep(_data(context, builder, x_ty, xv), [x_basev])
        outp = builder.gep(_data(context, builder, out_ty, outv), [out_basev])
        wp = builder.gep(_data(context, builder, w_ty, wv), [w_atv])
        x_atp = _data(context, builder, x_at_ty, x_atv)
        tapp = _data(context, builder, taps_ty, tapsv)
        out_atp = _data(context, builder, out_at_ty, out_atv)
        n_in = context.make_array(x_at_ty)(context, builder, x_atv).nitems
        n_taps = context.make_array(taps_ty)(context, builder, tapsv).nitems
        acc = [
            cgutils.alloca_once_value(builder, ir.Constant(vty, None))
            for _ in range(FORWARD_CHANNELS)
        ]
        w_step = builder.mul(n_taps, _const(FORWARD_CHANNELS))
        with cgutils.for_range(builder, n_in) as channel:
            x_in = builder.gep(xp, [builder.load(builder.gep(x_atp, [channel.index]))])
            w_in = builder.gep(wp, [builder.mul(channel.index, w_step)])
            with cgutils.for_range(builder, n_taps) as tap:
                pixels = load(builder.gep(x_in, [builder.load(builder.gep(tapp, [tap.index]))]))
                w_t = builder.gep(w_in, [builder.mul(tap.index, _const(FORWARD_CHANNELS))])
                for c, slot in enumerate(acc):
                    weight = broadcast(builder.gep(w_t, [_const(c)]))
                    builder.store(fma(weight, pixels, builder.load(slot)), slot)
        for c, slot in enumerate(acc):
            at = builder.load(builder.gep(out_atp, [_const(c)]))
            store(builder.load(slot), builder.gep(outp, [at]))
        return context.get_dummy_value()

    return sig, codegen


@intrinsic
def _weight_tile(typingctx, dout, d_at, x, x_at, rows, d_row, x_row, runs, part, part_at):
    """One weight tile: for 4 output channels o and 4 patch rows k (an input channel and a
    kernel offset), part[part_at + (o·4 + k)·L + l] += Σ dout[d_at[o] + …] · x[x_at[k] + …],
    lane l of the sum over `rows` rows of one image and the pixel runs in each.

    runs = (start₀, …, start_R): R − 1 full runs, then one run that may overlap the one
    before it (its first R-th entry lanes are masked out): runs[-1] holds that overlap.
    """
    sig = types.void(dout, d_at, x, x_at, rows, d_row, x_row, runs, part, part_at)

    def codegen(context, builder, signature, args):
        d_ty, d_at_ty, x_ty, x_at_ty, _, _, _, runs_ty, part_ty, _ = signature.args
        dv, d_atv, xv, x_atv, rowsv, d_rowv, x_rowv, runsv, partv, part_atv = args
        vty, load, store, _, fma = _vector_ops(context, builder, x_ty.dtype)
        width = vty.count
        d_atp = _data(context, builder, d_at_ty, d_atv)
        x_atp = _data(context, builder, x_at_ty, x_atv)
        runsp = _data(context, builder, runs_ty, runsv)
        n_runs = builder.sub(context.make_array(runs_ty)(context, builder, runsv).nitems, _const(1))
        overlap = builder.load(builder.gep(runsp, [n_runs]))
        dp = _data(context, builder, d_ty, dv)
        xp = _data(context, builder, x_ty, xv)
        d_rows = [
            builder.gep(dp, [builder.load(builder.gep(d_atp, [_const(o)]))])
            for o in range(WEIGHT_OUT)
        ]
        x_rows = [
            builder.gep(xp, [builder.load(builder.gep(x_atp, [_const(k)]))])
            for k in range(WEIGHT_ROWS)
        ]
        acc = [
            [cgutils.alloca_once_value(builder, ir.Constant(vty, None)) for _ in x_rows]
            for _ in d_rows
        ]
        lane = ir.Constant(ir.VectorType(ir.IntType(64), width), list(range(width)))
        keep = builder.icmp_signed(">=", lane, _splat(builder, overlap, width))

        def run(d_at_pixel, x_at_pixel, masked: bool) -> None:
            pixels = [load(builder.gep(row, [x_at_pixel])) for row in x_rows]
            for d_row, slots in zip(d_rows, acc, strict=True):
                grad = load(builder.gep(d_row, [d_at_pixel]))
                for pixel, slot in zip(pixels, slots, strict=True):
                    total = fma(grad, pixel, builder.load(slot))
                    if masked:  # lanes counted by the run before keep their sums (a masked FMA)
                        total = builder.select(keep, total, builder.load(slot))
                    builder.store(total, slot)

        with cgutils.for_range(builder, rowsv) as row:
            d_row_at = builder.mul(row.index, d_rowv)
            x_row_at = builder.mul(row.index, x_rowv)
            with cgutils.for_range(builder, builder.sub(n_runs, _const(1))) as r:
                start = builder.load(builder.gep(runsp, [r.index]))
                run(builder.add(d_row_at, start), builder.add(x_row_at, start), masked=False)
            start = builder.load(builder.gep(runsp, [builder.sub(n_runs, _const(1))]))
            run(builder.add(d_row_at, start), builder.add(x_row_at, start), masked=True)
        pp = builder.gep(_data(context, builder, part_ty, partv), [part_atv])
        for i, slot in enumerate(slot for slots in acc for slot in slots):
            at = builder.gep(pp, [_const(i * width)])
            store(builder.fadd(load(at), builder.load(slot)), at)
        return context.get_dummy_value()

    return sig, codegen


def _splat(builder, value, width: int):
    vty = ir.VectorType(value.type, width)
    undef = ir.Constant(vty, ir.Undefined)
    one = builder.insert_element(undef, value, ir.Constant(ir.IntType(32), 0))
    return builder.shuffle_vector(
        one, undef, ir.Constant(ir.VectorType(ir.IntType(32), width), [0] * width)
    )


# ----- Drivers -----


@njit(cache=True, nogil=True, parallel=True)
def _forward(x, pad_h, pad_w, w_tiles, taps, starts, out, row_parts):
    """The forward tiles over x zero-padded by (pad_h, pad_w) on each side; a task is one
    image, one block of 16 output channels and one part of the output rows. Each task pads
    its image into its own buffer (L2-sized), so padding costs no pass over memory."""
    n_img, c_in = x.shape[0], x.shape[1]
    h, w = x.shape[2] + 2 * pad_h, x.shape[3] + 2 * pad_w
    c_out, ho, wo = out.shape[1], out.shape[2], out.shape[3]
    blocks = w_tiles.shape[0]
    w_flat, out_flat = w_tiles.reshape(-1), out.reshape(-1)
    x_at = np.arange(c_in) * (h * w)
    w_block = c_in * taps.size * FORWARD_CHANNELS
    for task in prange(n_img * blocks * row_parts):
        n, rest = task // (blocks * row_parts), task % (blocks * row_parts)
        b, part = rest // row_parts, rest % row_parts
        if pad_h == 0 and pad_w == 0:
            image = x[n].reshape(-1)
        else:
            padded = np.zeros((c_in, h, w), x.dtype)
            padded[:, pad_h : h - pad_h, pad_w : w - pad_w] = x[n]
            image = padded.reshape(-1)
        out_at = np.empty(FORWARD_CHANNELS, np.int64)
        for c in range(FORWARD_CHANNELS):
            out_at[c] = min(b * FORWARD_CHANNELS + c, c_out - 1) * (ho * wo)
        for i in range(part * ho // row_parts, (part + 1) * ho // row_parts):
            for j in starts:
                _forward_tile(
                    image,
                    i * w + j,
                    x_at,
                    w_flat,
                    b * w_block,
                    out_flat,
                    n * c_out * ho * wo + i * wo + j,
                    out_at,
                    taps,
                )


@njit(cache=True, nogil=True, parallel=True)
def _weight(dout, x, taps, runs, parts):
    n_img, c_out, ho, wo = dout.shape
    c_in, h, w = x.shape[1], x.shape[2], x.shape[3]
    n_parts, o_blocks, k_blocks = parts.shape[0], parts.shape[1], parts.shape[2]
    n_taps = taps.size
    d_flat, x_flat = dout.reshape(-1), x.reshape(-1)
    for part in prange(n_parts):
        part_flat = parts[part].reshape(-1)
        d_at = np.empty(WEIGHT_OUT, np.int64)
        x_at = np.empty(WEIGHT_ROWS, np.int64)
        tile_size = WEIGHT_OUT * WEIGHT_ROWS * parts.shape[5]
        for n in range(part * n_img // n_parts, (part + 1) * n_img // n_parts):
            for ob in range(o_blocks):
                for o in range(WEIGHT_OUT):
                    d_at[o] = (n * c_out + min(ob * WEIGHT_OUT + o, c_out - 1)) * (ho * wo)
                for kb in range(k_blocks):
                    for k in range(WEIGHT_ROWS):
                        row = min(kb * WEIGHT_ROWS + k, c_in * n_taps - 1)
                        x_at[k] = (n * c_in + row // n_taps) * (h * w) + taps[row % n_taps]
                    _weight_tile(
                        d_flat,
                        d_at,
                        x_flat,
                        x_at,
                        ho,
                        wo,
                        w,
                        runs,
                        part_flat,
                        (ob * k_blocks + kb) * tile_size,
                    )


def conv_applies(out_width: int, dtype: np.dtype) -> bool:
    """Whether a stride-1 layer with output rows `out_width` wide can run here."""
    return out_width >= lanes(np.dtype(dtype).itemsize)


def _starts(width: int, run: int) -> list[int]:
    """Run starts covering 0..width: full runs, the last one shifted back to end at width."""
    starts = list(range(0, width - run + 1, run))
    if starts[-1] + run < width:
        starts.append(width - run)
    return starts


def _taps(kh: int, kw: int, w: int) -> np.ndarray:
    return np.array([p * w + q for p in range(kh) for q in range(kw)], np.int64)


def conv_forward(x: np.ndarray, w: np.ndarray, pad_h: int = 0, pad_w: int = 0) -> np.ndarray:
    """Stride-1 cross-correlation of x zero-padded by (pad_h, pad_w) on each side,
    (N, C_out, H + 2·pad_h − kh + 1, W + 2·pad_w − kw + 1)."""
    n, c_in, h, width = x.shape
    c_out, _, kh, kw = w.shape
    h, width = h + 2 * pad_h, width + 2 * pad_w
    ho, wo = h - kh + 1, width - kw + 1
    blocks = -(-c_out // FORWARD_CHANNELS)
    rows = np.minimum(np.arange(blocks * FORWARD_CHANNELS), c_out - 1)
    # (block, C_in, tap, channel): a tile's 16 weights for one (input channel, tap) side by side
    w_tiles = w.reshape(c_out, c_in, kh * kw)[rows].reshape(blocks, FORWARD_CHANNELS, c_in, -1)
    w_tiles = np.ascontiguousarray(w_tiles.transpose(0, 2, 3, 1))
    out = np.empty((n, c_out, ho, wo), x.dtype)
    starts = np.array(_starts(wo, lanes(x.itemsize)), np.int64)
    tasks = n * blocks
    row_parts = max(1, min(ho, -(-4 * numba.get_num_threads() // tasks)))
    _forward(x, pad_h, pad_w, w_tiles, _taps(kh, kw, width), starts, out, row_parts)
    return out


def conv_grad_weight(dout: np.ndarray, x: np.ndarray, kh: int, kw: int) -> np.ndarray:
    """Σ_{n,i,j} dout[n,o,i,j] x[n,c,i+p,j+q], shape (C_out, C_in, kh, kw)."""
    n, c_out, ho, wo = dout.shape
    c_in = x.shape[1]
    run = lanes(x.itemsize)
    starts = _starts(wo, run)
    overlap = starts[-2] + run - starts[-1] if len(starts) > 1 else 0
    runs = np.array([*starts, overlap], np.int64)
    o_blocks = -(-c_out // WEIGHT_OUT)
    k_blocks = -(-(c_in * kh * kw) // WEIGHT_ROWS)
    n_parts = max(1, min(n, numba.get_num_threads()))
    parts = np.zeros((n_parts, o_blocks, k_blocks, WEIGHT_OUT, WEIGHT_ROWS, run), x.dtype)
    _weight(dout, x, _taps(kh, kw, x.shape[3]), runs, parts)
    # summed lane by lane in float64 would change float32 results; NumPy's pairwise sum is fine
    total = parts.sum(axis=(0, 5)).transpose(0, 2, 1, 3).reshape(o_blocks * WEIGHT_OUT, -1)
    return np.ascontiguousarray(total[:c_out, : c_in * kh * kw]).reshape(c_out, c_in, kh, kw)


def conv_grad_input(dout: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Σ_{o,p,q} dout[n,o,h−p,v−q] w[o,c,p,q]: the forward tile over dout padded by the
    kernel size − 1, with the kernel flipped and its channel axes swapped."""
    _, _, kh, kw = w.shape
    flipped = np.ascontiguousarray(w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3))
    return conv_forward(dout, flipped, kh - 1, kw - 1)
