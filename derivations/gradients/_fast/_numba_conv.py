"""Convolution kernels built from explicit 512-bit vector operations.

The products OpenBLAS runs for a convolution are too skinny for its kernels
(C_out = 32 rows: 46–76 GFLOP/s here, against ~190 for a square product), and
numba's own loops keep a product's accumulators in memory. The tiles below emit
vector IR through _numba_vector.py instead: one 512-bit register per accumulator,
one operand broadcast, the other one vector load. L = 64 bytes / itemsize lanes.

All tiles read the input through a list of kernel offsets p·W + q, so the patch
matrix is never built (a kernel offset is a plain shift of the flat input).
The forward tile and the first weight tile put L consecutive pixels of one row in
the lanes; a row of W' outputs is covered by ⌈W'/L⌉ runs, the last shifted back to
end at the row's end (the forward tile writes the overlap twice, with the same
values; the weight tile masks it out), so rows must be at least L wide. The second
weight tile puts L input channels in the lanes (C_in a multiple of L, any width).
convolution.py asks conv_applies / conv_weight_applies which one runs.

A stride s or a dilation d makes the pixels of a run s apart in x. Split each padded
channel into its s² phase planes, P_ab[i', j'] = x̃[s·i' + a, s·j' + b] (_fill; only the
planes some kernel offset reads are stored), and
x̃[s·i + d·p, s·j + d·q] is P_ab[i + ⌊dp/s⌋, j + ⌊dq/s⌋] with a = dp mod s, b = dq mod s:
consecutive again. The same tiles then read one input row per (channel, kernel offset),
each at its own shift of its own plane (conv_forward_phases, conv_grad_weight_phases);
the input gradient is computed for one phase of x at a time, where it is a stride-1
correlation of dout with the kernel offsets of that phase (conv_grad_input_phases).
"""

from __future__ import annotations

from functools import lru_cache

import numba
import numpy as np
from llvmlite import ir
from numba import njit, prange, types
from numba.core import cgutils
from numba.extending import intrinsic

from ._numba_vector import Vectors, contiguous, data, i64, lanes, part_range, size, splat

FORWARD_CHANNELS, FORWARD_RUNS = 8, 3  # a forward tile: 8 output channels × 3 pixel runs
WEIGHT_OUT, WEIGHT_ROWS = 4, 4  # a weight tile: 4 output channels × 4 patch rows, 16 sums
CHANNEL_OUT, CHANNEL_TAPS = 8, 3  # a channel-lane weight tile: 8 output channels × 3 offsets


def _pointers(context, builder, base, offsets_ty, offsets, count: int) -> list:
    """base + offsets[i] for i < count, as element pointers."""
    at = data(context, builder, offsets_ty, offsets)
    return [builder.gep(base, [builder.load(builder.gep(at, [i64(i)]))]) for i in range(count)]


def _zeros(builder, v, rows: int, cols: int) -> list[list]:
    """rows × cols vector accumulators (allocas, which LLVM keeps in registers)."""
    return [
        [cgutils.alloca_once_value(builder, v.const(0.0)) for _ in range(cols)] for _ in range(rows)
    ]


def _add_to(builder, v, at, acc: list[list]) -> None:
    """at[i·L : (i+1)·L] += the i-th accumulator, row by row."""
    for i, slot in enumerate(slot for slots in acc for slot in slots):
        ptr = builder.gep(at, [i64(i * v.width)])
        v.store(builder.fadd(v.load(ptr), builder.load(slot)), ptr)


def _forward_tile_of(runs: int):
    """The forward tile intrinsic for `runs` runs of pixels (FORWARD_RUNS, or fewer for the
    last runs of a task: a tile of 3 would recompute 2 or 1 runs already written, which was
    1/8 of the work where a task has 16 runs)."""

    @intrinsic
    def tile(typingctx, x, x_runs, x_at, w, w_at, out, out_runs, out_at, taps, t_lo, t_hi):
        return _forward_tile_typed(runs, x, x_runs, x_at, w, w_at, out, out_runs, out_at, taps,
                                   t_lo, t_hi)

    return tile


def _forward_tile_typed(runs, x, x_runs, x_at, w, w_at, out, out_runs, out_at, taps, t_lo, t_hi):
    """One forward tile, 8 output channels × `runs` (≤ 3) runs of L pixels, run r starting at
    x_runs[r] in x and out_runs[r] in out: for c < 8, r < runs, l < L,
    out[out_runs[r] + out_at[c] + l] = Σ_i Σ_{t_lo ≤ t < t_hi} w[w_at + (i·T + t)·8 + c]
        · x[x_runs[r] + x_at[i] + taps[t] + l],
    T = len(taps); the caller may leave out taps that only meet zero padding.

    Per input channel and tap, 3 vector loads and 8 broadcasts feed 24 multiply-adds in 24
    accumulators, where a 16-channel × 1-run tile needs 17 loads for 16 (and two loads a
    cycle would bind it).
    x_at holds each input channel's offset, out_at each output channel's (a padding channel
    repeats the last real one, whose weights it also has: the same values, written twice by
    the same thread).
    """
    if not contiguous(x, x_runs, x_at, w, out, out_runs, out_at, taps):
        return None
    sig = types.void(x, x_runs, x_at, w, w_at, out, out_runs, out_at, taps, t_lo, t_hi)

    def codegen(context, builder, signature, args):
        x_ty, x_runs_ty, x_at_ty, w_ty, _, out_ty, out_runs_ty, out_at_ty, taps_ty, _, _ = (
            signature.args
        )
        xv, x_runsv, x_atv, wv, w_atv, outv, out_runsv, out_atv, tapsv, t_lov, t_hiv = args
        v = Vectors.of(context, builder, x_ty.dtype)
        xp, outp = data(context, builder, x_ty, xv), data(context, builder, out_ty, outv)
        x_runs = _pointers(context, builder, xp, x_runs_ty, x_runsv, runs)
        out_runs = _pointers(context, builder, outp, out_runs_ty, out_runsv, runs)
        wp = builder.gep(data(context, builder, w_ty, wv), [w_atv])
        x_atp = data(context, builder, x_at_ty, x_atv)
        tapp = data(context, builder, taps_ty, tapsv)
        out_atp = data(context, builder, out_at_ty, out_atv)
        n_in = size(context, builder, x_at_ty, x_atv)
        n_taps = size(context, builder, taps_ty, tapsv)
        acc = _zeros(builder, v, FORWARD_CHANNELS, runs)
        w_step = builder.mul(n_taps, i64(FORWARD_CHANNELS))
        with cgutils.for_range(builder, n_in) as channel:
            x_in = builder.load(builder.gep(x_atp, [channel.index]))
            w_in = builder.gep(wp, [builder.mul(channel.index, w_step)])
            with cgutils.for_range_slice(builder, t_lov, t_hiv, i64(1)) as (tap, _):
                x_tap = builder.add(x_in, builder.load(builder.gep(tapp, [tap])))
                pixels = [v.load(builder.gep(run, [x_tap])) for run in x_runs]
                w_t = builder.gep(w_in, [builder.mul(tap, i64(FORWARD_CHANNELS))])
                for c, slots in enumerate(acc):
                    weight = v.broadcast(builder.gep(w_t, [i64(c)]))
                    for run_pixels, slot in zip(pixels, slots, strict=True):
                        builder.store(v.fma(weight, run_pixels, builder.load(slot)), slot)
        for c, slots in enumerate(acc):
            at = builder.load(builder.gep(out_atp, [i64(c)]))
            for run, slot in zip(out_runs, slots, strict=True):
                v.store(builder.load(slot), builder.gep(run, [at]))
        return context.get_dummy_value()

    return sig, codegen


_forward_tile = _forward_tile_of(FORWARD_RUNS)
_forward_tile_2 = _forward_tile_of(2)
_forward_tile_1 = _forward_tile_of(1)


@intrinsic
def _weight_tile(typingctx, dout, d_at, x, x_at, rows, d_row, x_row, runs, part, part_at):
    """One weight tile: for 4 output channels o and 4 patch rows k (an input channel and a
    kernel offset), part[part_at + (o·4 + k)·L + l] += Σ dout[d_at[o] + …] · x[x_at[k] + …],
    lane l of the sum over `rows` rows of one image and the pixel runs in each.

    runs = (start₀, …, start_R): R − 1 full runs, then one run that may overlap the one
    before it (its first R-th entry lanes are masked out): runs[-1] holds that overlap.
    """
    if not contiguous(dout, d_at, x, x_at, runs, part):
        return None
    sig = types.void(dout, d_at, x, x_at, rows, d_row, x_row, runs, part, part_at)

    def codegen(context, builder, signature, args):
        d_ty, d_at_ty, x_ty, x_at_ty, _, _, _, runs_ty, part_ty, _ = signature.args
        dv, d_atv, xv, x_atv, rowsv, d_rowv, x_rowv, runsv, partv, part_atv = args
        v = Vectors.of(context, builder, x_ty.dtype)
        runsp = data(context, builder, runs_ty, runsv)
        n_runs = builder.sub(size(context, builder, runs_ty, runsv), i64(1))
        overlap = builder.load(builder.gep(runsp, [n_runs]))
        dp = data(context, builder, d_ty, dv)
        xp = data(context, builder, x_ty, xv)
        d_rows = _pointers(context, builder, dp, d_at_ty, d_atv, WEIGHT_OUT)
        x_rows = _pointers(context, builder, xp, x_at_ty, x_atv, WEIGHT_ROWS)
        acc = _zeros(builder, v, WEIGHT_OUT, WEIGHT_ROWS)
        lane = ir.Constant(ir.VectorType(ir.IntType(64), v.width), list(range(v.width)))
        keep = builder.icmp_signed(">=", lane, splat(builder, overlap, v.width))

        def run(d_at_pixel, x_at_pixel, masked: bool) -> None:
            pixels = [v.load(builder.gep(row, [x_at_pixel])) for row in x_rows]
            for d_row, slots in zip(d_rows, acc, strict=True):
                grad = v.load(builder.gep(d_row, [d_at_pixel]))
                for pixel, slot in zip(pixels, slots, strict=True):
                    total = v.fma(grad, pixel, builder.load(slot))
                    if masked:  # lanes counted by the run before keep their sums (a masked FMA)
                        total = builder.select(keep, total, builder.load(slot))
                    builder.store(total, slot)

        with cgutils.for_range(builder, rowsv) as row:
            d_row_at = builder.mul(row.index, d_rowv)
            x_row_at = builder.mul(row.index, x_rowv)
            with cgutils.for_range(builder, builder.sub(n_runs, i64(1))) as r:
                start = builder.load(builder.gep(runsp, [r.index]))
                run(builder.add(d_row_at, start), builder.add(x_row_at, start), masked=False)
            start = builder.load(builder.gep(runsp, [builder.sub(n_runs, i64(1))]))
            run(builder.add(d_row_at, start), builder.add(x_row_at, start), masked=True)
        _add_to(builder, v, builder.gep(data(context, builder, part_ty, partv), [part_atv]), acc)
        return context.get_dummy_value()

    return sig, codegen


@intrinsic
def _weight_tile_channels(typingctx, dout, d_at, xs, x_at, ho, wo, x_row, x_pixel, part, part_at):
    """One weight tile with input channels in the lanes: for 8 output channels o and 3 kernel
    offsets t, part[part_at + (o·3 + t)·L + l] += Σ_{i<ho, j<wo} dout[d_at[o] + i·wo + j] ·
    xs[x_at[t] + i·x_row + j·x_pixel + l], with xs one image laid out H × W × C (so
    x_pixel = C, x_row = W·C) and x_at[t] = (p·W + q)·C + the first channel of the tile.

    Every vector load is a whole run of channels (aligned when C·itemsize is a multiple of
    64 and xs is aligned); the output-gradient values are broadcast. No lane is wasted and
    no sum crosses lanes.
    """
    if not contiguous(dout, d_at, xs, x_at, part):
        return None
    sig = types.void(dout, d_at, xs, x_at, ho, wo, x_row, x_pixel, part, part_at)

    def codegen(context, builder, signature, args):
        d_ty, d_at_ty, x_ty, x_at_ty, _, _, _, _, part_ty, _ = signature.args
        dv, d_atv, xv, x_atv, hov, wov, x_rowv, x_pixelv, partv, part_atv = args
        v = Vectors.of(context, builder, x_ty.dtype)
        dp = data(context, builder, d_ty, dv)
        xp = data(context, builder, x_ty, xv)
        d_planes = _pointers(context, builder, dp, d_at_ty, d_atv, CHANNEL_OUT)
        x_taps = _pointers(context, builder, xp, x_at_ty, x_atv, CHANNEL_TAPS)
        acc = _zeros(builder, v, CHANNEL_OUT, CHANNEL_TAPS)
        with cgutils.for_range(builder, hov) as row:
            d_row = builder.mul(row.index, wov)
            x_row_at = builder.mul(row.index, x_rowv)
            with cgutils.for_range(builder, wov) as col:
                d_at_pixel = builder.add(d_row, col.index)
                x_at_pixel = builder.add(x_row_at, builder.mul(col.index, x_pixelv))
                pixels = [v.load(builder.gep(tap, [x_at_pixel])) for tap in x_taps]
                for plane, slots in zip(d_planes, acc, strict=True):
                    grad = v.broadcast(builder.gep(plane, [d_at_pixel]))
                    for pixel, slot in zip(pixels, slots, strict=True):
                        builder.store(v.fma(grad, pixel, builder.load(slot)), slot)
        _add_to(builder, v, builder.gep(data(context, builder, part_ty, partv), [part_atv]), acc)
        return context.get_dummy_value()

    return sig, codegen


# ----- Drivers -----


@njit(cache=True, nogil=True)
def _channel_offsets(at, base, first, last, plane):
    """at[i] = base + min(first + i, last)·plane: the planes of a tile's channels, a padding
    channel past `last` repeating the last real one."""
    for i in range(at.size):
        at[i] = base + min(first + i, last) * plane


@njit(cache=True, nogil=True)
def _tap_range(i, pad_h, h_in, kh, kw):
    """The taps of output row i that meet a real input row (the others only meet padding);
    an empty range, within [0, kh·kw], for a row that meets padding alone."""
    t_lo = min(max(0, pad_h - i), kh) * kw
    return t_lo, max(t_lo, min(kh, pad_h + h_in - i) * kw)


@njit(cache=True, nogil=True)
def _fill(image, x, n, s, pad_h, pad_w, plane, width, slots):
    """Image n of x, zero-padded by (pad_h, pad_w), into the phase planes of `image`: pixel
    (r, v) of the padded channel c goes to row r // s, column v // s of plane
    (c·R + slots[r mod s])·C + slots[s + v mod s] (rows `width` long, `plane` elements a
    plane), where slots numbers the R row phases and C column phases a kernel offset reads
    (−1: not read, not copied; a dilation that is a multiple of the stride reads one phase
    in s²). With s = 1 that is the padded channel itself. Only real pixels are written: the
    padding stays as it was."""
    c_in, h_in, w_in = x.shape[1], x.shape[2], x.shape[3]
    if s == 1:
        for c in range(c_in):
            for i in range(h_in):
                at = c * plane + (i + pad_h) * width + pad_w
                image[at : at + w_in] = x[n, c, i]
        return
    n_rows, n_cols = slots[:s].max() + 1, slots[s:].max() + 1
    source = np.empty(w_in, np.int64)  # the columns of x that are read, and where they go
    column = np.empty(w_in, np.int64)  # within a plane's row
    count = 0
    for j in range(w_in):
        v = j + pad_w
        if slots[s + v % s] >= 0:
            source[count] = j
            column[count] = slots[s + v % s] * plane + v // s
            count += 1
    for c in range(c_in):
        for i in range(h_in):
            r = i + pad_h
            if slots[r % s] >= 0:
                at = (c * n_rows + slots[r % s]) * n_cols * plane + (r // s) * width
                row = x[n, c, i]
                for k in range(count):
                    image[at + column[k]] = row[source[k]]


@njit(cache=True, nogil=True, parallel=True)
def _forward(x, pad_h, pad_w, s, slots, plane, width, x_at, w_tiles, kh, taps, starts, out,
             bias, row_parts, n_parts):
    """The forward tiles over x zero-padded by (pad_h, pad_w) on each side. A task is one
    image, one block of 8 output channels and one part of the output rows; each of the
    n_parts threads takes a run of consecutive tasks and copies each of their images once
    into its own buffer (L2-sized, allocated once) by _fill, s² phase planes of `plane`
    elements per channel with rows `width` long: padding costs no pass over memory, and a
    plane of exactly 4 KiB (32 × 32 float32) is skewed so that a tile's channel rows do not
    all fall in one L1 set. x_at holds where each of the tile's input rows starts in that
    buffer (a channel's plane; for a stride or dilation, a channel's kernel offset in one of
    its phase planes), `taps` the offsets each input row is read at.

    The runs of the part's rows (`starts` in each) are taken three at a time, across row
    ends too; the last tile of a part has the one or two runs left. With kh > 0 (stride 1:
    the taps are a kh-row kernel over the channel planes) an output row near the top or
    bottom skips the kernel rows that fall in the padding (a full correlation's first and
    last rows: up to 2/3 of their work); a tile across rows takes the union of its rows'
    taps. bias, when not empty, is added to each task's rows while they are in cache."""
    n_img, c_in, h_in = x.shape[0], x.shape[1], x.shape[2]
    c_out, ho, wo = out.shape[1], out.shape[2], out.shape[3]
    blocks = w_tiles.shape[0]
    w_flat, out_flat = w_tiles.reshape(-1), out.reshape(-1)
    w_block = x_at.size * taps.size * FORWARD_CHANNELS
    kw = taps.size // kh if kh else 0
    per_row = starts.size
    tasks = n_img * blocks * row_parts
    for part in prange(n_parts):
        planes = c_in * (slots[:s].max() + 1) * (slots[s:].max() + 1)
        image = np.zeros(planes * plane, x.dtype)  # the border and the skew stay zero
        out_at = np.empty(FORWARD_CHANNELS, np.int64)
        x_runs = np.empty(FORWARD_RUNS, np.int64)
        out_runs = np.empty(FORWARD_RUNS, np.int64)
        held = -1
        first, last = part_range(tasks, n_parts, part)
        for task in range(first, last):
            n, rest = task // (blocks * row_parts), task % (blocks * row_parts)
            b, rows = rest // row_parts, rest % row_parts
            if n != held:
                _fill(image, x, n, s, pad_h, pad_w, plane, width, slots)
                held = n
            _channel_offsets(out_at, 0, b * FORWARD_CHANNELS, c_out - 1, ho * wo)
            lo, hi = part_range(ho, row_parts, rows)
            n_runs = (hi - lo) * per_row
            for r in range(0, n_runs, FORWARD_RUNS):
                t_lo, t_hi = (taps.size, 0) if kh else (0, taps.size)
                k_runs = min(FORWARD_RUNS, n_runs - r)
                for k in range(k_runs):
                    rk = r + k
                    i, j = lo + rk // per_row, starts[rk % per_row]
                    x_runs[k] = i * width + j
                    out_runs[k] = n * c_out * ho * wo + i * wo + j
                    if kh:
                        a_lo, a_hi = _tap_range(i, pad_h, h_in, kh, kw)
                        t_lo, t_hi = min(t_lo, a_lo), max(t_hi, a_hi)
                args = (image, x_runs, x_at, w_flat, b * w_block, out_flat, out_runs, out_at,
                        taps, t_lo, t_hi)
                if k_runs == FORWARD_RUNS:
                    _forward_tile(*args)
                elif k_runs == 2:
                    _forward_tile_2(*args)
                else:
                    _forward_tile_1(*args)
            if bias.size:
                for o in range(b * FORWARD_CHANNELS, min(c_out, (b + 1) * FORWARD_CHANNELS)):
                    rows_out = out[n, o, lo:hi]
                    rows_out += bias[o]


@njit(cache=True, nogil=True, parallel=True)
def _weight(dout, x, image, x_row, row_at, runs, parts):
    """The weight tiles: patch row k (an input channel and a kernel offset) of image n is read
    at n·image + row_at[k] + i·x_row + j of the flat x, for output pixel (i, j)."""
    n_img, c_out, ho, wo = dout.shape
    n_parts, o_blocks, k_blocks = parts.shape[0], parts.shape[1], parts.shape[2]
    d_flat, x_flat = dout.reshape(-1), x.reshape(-1)
    for part in prange(n_parts):
        part_flat = parts[part].reshape(-1)
        d_at = np.empty(WEIGHT_OUT, np.int64)
        x_at = np.empty(WEIGHT_ROWS, np.int64)
        tile_size = WEIGHT_OUT * WEIGHT_ROWS * parts.shape[5]
        lo, hi = part_range(n_img, n_parts, part)
        for n in range(lo, hi):
            for ob in range(o_blocks):
                _channel_offsets(d_at, n * c_out * ho * wo, ob * WEIGHT_OUT, c_out - 1, ho * wo)
                for kb in range(k_blocks):
                    for k in range(WEIGHT_ROWS):
                        x_at[k] = n * image + row_at[min(kb * WEIGHT_ROWS + k, row_at.size - 1)]
                    _weight_tile(
                        d_flat,
                        d_at,
                        x_flat,
                        x_at,
                        ho,
                        wo,
                        x_row,
                        runs,
                        part_flat,
                        (ob * k_blocks + kb) * tile_size,
                    )


@njit(cache=True, nogil=True, parallel=True)
def _phase_images(x, s, pad_h, pad_w, slots, plane, width, images):
    """images[n] = image n of x in phase planes (_fill), one image per task."""
    for n in prange(x.shape[0]):
        _fill(images[n], x, n, s, pad_h, pad_w, plane, width, slots)


@njit(cache=True, nogil=True, parallel=True)
def _weight_channels(dout, x, pad, taps, parts):
    """The channel-lane weight tiles, each part of the batch on one thread: its images are
    transposed one at a time to H × W × C, zero-padded by `pad` on each side, in an aligned,
    L2-sized buffer, then every tile (8 output channels × 3 offsets × one run of L channels)
    sweeps that image."""
    n_img, c_out, ho, wo = dout.shape
    c_in, h_in, w_in = x.shape[1], x.shape[2], x.shape[3]
    h, w = h_in + 2 * pad, w_in + 2 * pad
    n_parts, o_blocks, t_blocks, c_blocks = parts.shape[:4]
    width = parts.shape[6]
    tile_size = CHANNEL_OUT * CHANNEL_TAPS * width
    d_flat = dout.reshape(-1)
    for part in prange(n_parts):
        part_flat = parts[part].reshape(-1)
        raw = np.zeros(h * w * c_in + width, x.dtype)  # the border stays zero
        skip = (-(raw.ctypes.data // x.itemsize)) % width  # to a 64-byte boundary
        image = raw[skip : skip + h * w * c_in]
        d_at = np.empty(CHANNEL_OUT, np.int64)
        x_at = np.empty(CHANNEL_TAPS, np.int64)
        lo, hi = part_range(n_img, n_parts, part)
        for n in range(lo, hi):
            for c in range(c_in):
                for i in range(h_in):
                    for j in range(w_in):
                        image[((i + pad) * w + j + pad) * c_in + c] = x[n, c, i, j]
            for ob in range(o_blocks):
                _channel_offsets(d_at, n * c_out * ho * wo, ob * CHANNEL_OUT, c_out - 1, ho * wo)
                for tb in range(t_blocks):
                    for cb in range(c_blocks):
                        for t in range(CHANNEL_TAPS):
                            tap = taps[min(tb * CHANNEL_TAPS + t, taps.size - 1)]
                            x_at[t] = tap * c_in + cb * width
                        at = ((ob * t_blocks + tb) * c_blocks + cb) * tile_size
                        _weight_tile_channels(
                            d_flat, d_at, image, x_at, ho, wo, w * c_in, c_in, part_flat, at
                        )


def conv_applies(out_width: int, dtype: np.dtype) -> bool:
    """Whether a stride-1 layer with output rows `out_width` wide can run here."""
    return out_width >= lanes(np.dtype(dtype).itemsize)


def conv_weight_applies(in_channels: int, out_width: int, dtype: np.dtype) -> bool:
    """Whether a stride-1 weight gradient can run here: input channels fill whole vectors,
    or output rows are at least one vector wide."""
    return in_channels % lanes(np.dtype(dtype).itemsize) == 0 or conv_applies(out_width, dtype)


@lru_cache(maxsize=64)
def _run_starts(width: int, run: int) -> np.ndarray:
    """_starts as the int64 array the forward tiles read; one per geometry, shared: never
    written."""
    return np.array(_starts(width, run), np.int64)


def _starts(width: int, run: int) -> list[int]:
    """Run starts covering 0..width: full runs, the last one shifted back to end at width."""
    starts = list(range(0, width - run + 1, run))
    if starts[-1] + run < width:
        starts.append(width - run)
    return starts


def _plane(pixels: int, itemsize: int) -> int:
    """Elements per channel plane in a forward buffer: `pixels`, plus one vector when the
    plane's byte size lies within 256 bytes of a multiple of 4 KiB (L1 set aliasing)."""
    offset = pixels * itemsize % 4096
    return pixels + lanes(itemsize) if min(offset, 4096 - offset) < 256 else pixels


def _taps(kh: int, kw: int, w: int) -> np.ndarray:
    return np.array([p * w + q for p in range(kh) for q in range(kw)], np.int64)


def _tiles(w: np.ndarray) -> np.ndarray:
    """(C_out, rows, taps) weights as the forward tiles read them: (block, rows, taps,
    channel), a tile's 8 weights for one (row, tap) side by side; the last block padded with
    copies of the last channel."""
    c_out = w.shape[0]
    blocks = -(-c_out // FORWARD_CHANNELS)
    pick = np.minimum(np.arange(blocks * FORWARD_CHANNELS), c_out - 1)
    tiles = w[pick].reshape(blocks, FORWARD_CHANNELS, *w.shape[1:])
    return np.ascontiguousarray(tiles.transpose(0, 2, 3, 1))


def _run_forward(x, pad_h, pad_w, s, slots, plane, width, x_at, w, kh, taps, out,
                 bias=None) -> None:
    """_forward with its work split: enough row parts that every thread has a task."""
    n, c_out, ho, wo = out.shape
    blocks = -(-c_out // FORWARD_CHANNELS)
    starts = _run_starts(wo, lanes(x.itemsize))
    threads = numba.get_num_threads()
    row_parts = max(1, min(ho, -(-threads // (n * blocks))))
    parts = max(1, min(threads, n * blocks * row_parts))
    bias = np.empty(0, x.dtype) if bias is None else bias
    _forward(x, pad_h, pad_w, s, slots, plane, width, x_at, _tiles(w), kh, taps, starts, out,
             bias, row_parts, parts)


def conv_forward(
    x: np.ndarray, w: np.ndarray, pad_h: int = 0, pad_w: int = 0, bias: np.ndarray | None = None
) -> np.ndarray:
    """Stride-1 cross-correlation of x zero-padded by (pad_h, pad_w) on each side, plus bias
    per output channel when given, (N, C_out, H + 2·pad_h − kh + 1, W + 2·pad_w − kw + 1)."""
    n, c_in, h, width = x.shape
    c_out, _, kh, kw = w.shape
    h, width = h + 2 * pad_h, width + 2 * pad_w
    out = np.empty((n, c_out, h - kh + 1, width - kw + 1), x.dtype)
    plane = _plane(h * width, x.itemsize)
    x_at = np.arange(c_in, dtype=np.int64) * plane
    _run_forward(x, pad_h, pad_w, 1, _ONE_PHASE, plane, width, x_at,
                 w.reshape(c_out, c_in, kh * kw), kh, _taps(kh, kw, width), out, bias)
    return out


def _phase_size(n: int, pad: int, s: int) -> int:
    return -(-(n + 2 * pad) // s)


_ONE_PHASE = np.zeros(2, np.int64)  # stride 1: one phase of rows and one of columns


def _slots(s: int, dil: int, kh: int, kw: int) -> np.ndarray:
    """[the slot of each row phase a (0, 1, … for those a kernel offset reads, dp mod s = a;
    −1 for the others), then the same for the column phases (dq mod s)]."""
    slots = np.full(2 * s, -1, np.int64)
    for start, k in ((0, kh), (s, kw)):
        read = sorted({dil * p % s for p in range(k)})
        slots[[start + a for a in read]] = np.arange(len(read))
    return slots


@lru_cache(maxsize=64)
def _phase_plan(c_in: int, kh: int, kw: int, s: int, dil: int, plane: int, width: int):
    """(_slots, _phase_rows) of a geometry, computed once: about 25 µs of NumPy calls, 5% of a
    small strided convolution's time. The arrays are shared between calls: never written."""
    slots = _slots(s, dil, kh, kw)
    return slots, _phase_rows(c_in, kh, kw, s, dil, slots, plane, width)


def _phase_rows(c_in: int, kh: int, kw: int, s: int, dil: int, slots, plane: int, width: int):
    """Where patch row (c, p, q) starts in an image's phase planes (_fill): the plane of
    channel c, row phase dp mod s and column phase dq mod s, at row dp // s and column dq // s
    (d the dilation), so that x̃[s·i + dp, s·j + dq] is that start + i·width + j."""
    n_rows, n_cols = slots[:s].max() + 1, slots[s:].max() + 1
    c = np.arange(c_in)[:, None, None]
    p, q = dil * np.arange(kh)[None, :, None], dil * np.arange(kw)[None, None, :]
    at = ((c * n_rows + slots[p % s]) * n_cols + slots[s + q % s]) * plane
    return (at + (p // s) * width + q // s).reshape(-1).astype(np.int64)


def conv_forward_phases(
    x: np.ndarray, w: np.ndarray, s: int, pad: int, dil: int, bias: np.ndarray | None = None
) -> np.ndarray:
    """conv2d with stride s, padding and dilation d: the forward tiles over the s² phase planes
    of each padded channel, where the s·i + d·p of a stride and a dilation becomes a shift
    (_fill), with each (channel, kernel offset) an input row of the tile."""
    n, c_in, h, width = x.shape
    c_out, _, kh, kw = w.shape
    ho = (h + 2 * pad - dil * (kh - 1) - 1) // s + 1
    wo = (width + 2 * pad - dil * (kw - 1) - 1) // s + 1
    hp, wp = _phase_size(h, pad, s), _phase_size(width, pad, s)
    plane = _plane(hp * wp, x.itemsize)
    out = np.empty((n, c_out, ho, wo), x.dtype)
    slots, x_at = _phase_plan(c_in, kh, kw, s, dil, plane, wp)
    _run_forward(x, pad, pad, s, slots, plane, wp, x_at, w.reshape(c_out, -1, 1), 0,
                 np.zeros(1, np.int64), out, bias)
    return out


def conv_grad_input_phases(
    dout: np.ndarray, w: np.ndarray, x_shape: tuple[int, ...], s: int, pad: int, dil: int
) -> np.ndarray:
    """∂L/∂x of conv2d with stride s, padding and dilation d, one phase (a, b) of x̃'s rows and
    columns at a time: its pixels x̃[s·i' + a, s·j' + b] receive dout[i' − ⌊dp/s⌋, j' − ⌊dq/s⌋]
    through the kernel offsets with dp ≡ a, dq ≡ b (mod s) only, a stride-1 correlation of
    dout, which the forward tiles compute with each (output channel, offset) an input row;
    the phase's pixels inside the padding are not computed."""
    n, c_in, h, width = x_shape
    c_out, _, kh, kw = w.shape
    ho, wo = dout.shape[2:]
    top, left = dil * (kh - 1) // s, dil * (kw - 1) // s  # dout's zero border in the buffer
    hb = top + max(ho, _phase_size(h, pad, s))
    wb = left + max(wo, _phase_size(width, pad, s))
    plane = _plane(hb * wb, dout.itemsize)
    dx = np.empty(x_shape, dout.dtype)
    for a in range(s):
        first_row = (a - pad) % s  # x's first row in this phase, at phase row i0
        ps = [p for p in range(kh) if dil * p % s == a]
        for b in range(s):
            first_col = (b - pad) % s
            qs = [q for q in range(kw) if dil * q % s == b]
            target = dx[:, :, first_row::s, first_col::s]
            if not (ps and qs):
                target[...] = 0  # no kernel offset reaches these pixels
                continue
            i0, j0 = (first_row + pad - a) // s, (first_col + pad - b) // s
            o = np.arange(c_out)[:, None, None]
            e = np.array([dil * p // s for p in ps])[None, :, None]
            f = np.array([dil * q // s for q in qs])[None, None, :]
            x_at = (o * plane + (top - e + i0) * wb + (left - f + j0)).reshape(-1)
            sub = w[:, :, ps][:, :, :, qs].transpose(1, 0, 2, 3).reshape(c_in, -1, 1)
            out = np.empty(target.shape, dout.dtype)
            _run_forward(dout, top, left, 1, _ONE_PHASE, plane, wb, x_at.astype(np.int64),
                         sub, 0, np.zeros(1, np.int64), out)
            target[...] = out
    return dx


def conv_grad_weight(dout: np.ndarray, x: np.ndarray, kh: int, kw: int, pad: int = 0):
    """Σ_{n,i,j} dout[n,o,i,j] x̃[n,c,i+p,j+q], x̃ = x zero-padded by pad, shape
    (C_out, C_in, kh, kw)."""
    n, c_out, ho, wo = dout.shape
    c_in = x.shape[1]
    run = lanes(x.itemsize)
    n_parts = max(1, min(n, numba.get_num_threads()))
    if c_in % run == 0:  # input channels fill the lanes
        blocks = (-(-c_out // CHANNEL_OUT), -(-(kh * kw) // CHANNEL_TAPS), c_in // run)
        parts = np.zeros((n_parts, *blocks, CHANNEL_OUT, CHANNEL_TAPS, run), x.dtype)
        _weight_channels(dout, x, pad, _taps(kh, kw, x.shape[3] + 2 * pad), parts)
        # (ob, tb, cb, o, t, l) → (ob, o, cb, l, tb, t) = (C_out, C_in, taps), padding cropped
        total = parts.sum(axis=0).transpose(0, 3, 2, 5, 1, 4)
        total = total.reshape(blocks[0] * CHANNEL_OUT, c_in, -1)[:c_out, :, : kh * kw]
        return np.ascontiguousarray(total).reshape(c_out, c_in, kh, kw)
    if pad:
        x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    h, width = x.shape[2:]
    row_at = (np.arange(c_in)[:, None] * (h * width) + _taps(kh, kw, width)).reshape(-1)
    return _weight_rows(dout, x, c_in * h * width, width, row_at, (c_out, c_in, kh, kw))


def _weight_rows(dout, x, image: int, x_row: int, row_at: np.ndarray, w_shape) -> np.ndarray:
    """The weight tiles over the patch rows row_at (see _weight), summed into w_shape."""
    n, c_out, _, wo = dout.shape
    run = lanes(x.itemsize)
    n_parts = max(1, min(n, numba.get_num_threads()))
    starts = _starts(wo, run)
    overlap = starts[-2] + run - starts[-1] if len(starts) > 1 else 0
    runs = np.array([*starts, overlap], np.int64)
    o_blocks = -(-c_out // WEIGHT_OUT)
    k_blocks = -(-row_at.size // WEIGHT_ROWS)
    parts = np.zeros((n_parts, o_blocks, k_blocks, WEIGHT_OUT, WEIGHT_ROWS, run), x.dtype)
    _weight(dout, x, image, x_row, row_at.astype(np.int64), runs, parts)
    # (part, ob, kb, o, k, lane) → sum over parts and lanes → (ob, o, kb, k) = (C_out, K)
    total = parts.sum(axis=(0, 5)).transpose(0, 2, 1, 3).reshape(o_blocks * WEIGHT_OUT, -1)
    return np.ascontiguousarray(total[:c_out, : row_at.size]).reshape(w_shape)


def conv_grad_weight_phases(
    dout: np.ndarray, x: np.ndarray, kh: int, kw: int, s: int, pad: int, dil: int
) -> np.ndarray:
    """Σ_{n,i,j} dout[n,o,i,j] x̃[n,c,s·i+dp,s·j+dq] for a stride s, padding and dilation d:
    the weight tiles over x copied once into phase planes (_fill), where each patch row
    (c, p, q) is a shifted run of one plane."""
    n, c_in, h, width = x.shape
    hp, wp = _phase_size(h, pad, s), _phase_size(width, pad, s)
    slots, row_at = _phase_plan(c_in, kh, kw, s, dil, hp * wp, wp)
    image = c_in * (slots[:s].max() + 1) * (slots[s:].max() + 1) * hp * wp
    images = np.zeros((n, image), x.dtype)
    _phase_images(x, s, pad, pad, slots, hp * wp, wp, images)
    return _weight_rows(dout, images, image, wp, row_at, (dout.shape[1], c_in, kh, kw))


def conv_grad_input(dout: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Σ_{o,p,q} dout[n,o,h−p,v−q] w[o,c,p,q]: the forward tile over dout padded by the
    kernel size − 1, with the kernel flipped and its channel axes swapped."""
    _, _, kh, kw = w.shape
    flipped = np.ascontiguousarray(w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3))
    return conv_forward(dout, flipped, kh - 1, kw - 1)
