"""Fused, multi-threaded loops compiled by numba (imported only through _compiled.py).

Each kernel does in one pass over memory, on all cores, what the reference does in
one pass per ufunc. Every kernel computes the reference's formula (every test in
tests/gradients/ runs on both) and is generic
over float32 / float64: constants are made with ``a.dtype.type`` under a new
name (rebinding an argument to another type makes numba unify both to float64,
and the loop stops vectorising: measured 10× slower), so float32 stays float32.

The loops are compiled with fused multiply-add contraction only. Reassociation
is confined to the dot-product helper _dot, which LLVM inlines with its own
flags (the vector-IR sums of _numba_vector.py add their lanes pairwise): let
loose on the exp below it would undo its two-step range reduction (measured:
2e-14 relative error instead of 2e-16). No kernel assumes "no NaNs / no
infinities", so those propagate as in NumPy.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numba import njit, prange, types
from numba.extending import overload

from .. import _special
from ._numba_conv import conv_applies as conv_applies  # re-exported: kernels() hands out
from ._numba_conv import conv_forward as conv_forward  # this module's names
from ._numba_conv import conv_forward_phases as conv_forward_phases
from ._numba_conv import conv_grad_input as conv_grad_input
from ._numba_conv import conv_grad_input_phases as conv_grad_input_phases
from ._numba_conv import conv_grad_weight as conv_grad_weight
from ._numba_conv import conv_grad_weight_phases as conv_grad_weight_phases
from ._numba_conv import conv_weight_applies as conv_weight_applies
from ._numba_vector import (
    EXP_SHIFT32,
    EXP_SHIFT64,
    RANK_ROWS,
    exp_shifted_vectors,
    gelu_grad_vectors_of,
    log_softmax_vjp_vectors,
    max_vectors,
    part_range,
    prefetch,
    rank_update,
    square_sum_vectors,
    sum_vectors,
)

_FLAGS = {"contract"}
_jit = njit(cache=True, nogil=True, fastmath=_FLAGS)
_pjit = njit(cache=True, nogil=True, fastmath=_FLAGS, parallel=True)
# for loops that divide: NumPy's rules (x/0 is ±inf or NaN) instead of a ZeroDivisionError
# check per division, which keeps a loop from vectorising
_epjit = njit(cache=True, nogil=True, fastmath=_FLAGS, parallel=True, error_model="numpy")


# A row's sums (softmax's Σ e^{z − max}, the VJPs' ⟨g, s⟩ and Σ g) add ROW_CHUNK entries at a
# time in the row's dtype, then the chunks in float64: one float32 sum over a row of 2·10⁶
# entries was 1e-4 off (the reference, NumPy's pairwise sum, 2e-8), a chunk's is ~1e-7
ROW_CHUNK = 4096


@njit(cache=True, nogil=True, fastmath=_FLAGS)
def _row_max(a):
    """max(a): 512-bit vectors (_numba_vector), then the tail. NaNs are skipped; a NaN in a
    softmax row still makes that row NaN through its exponential (an all-NaN row gives −inf,
    and so a NaN row too)."""
    done, m = max_vectors(a)
    for k in range(done, a.size):
        m = a[k] if a[k] > m else m
    return m


@njit(cache=True, nogil=True, fastmath={"reassoc", "contract", "nsz"})
def _dot(a, b):
    """⟨a, b⟩: ROW_CHUNK products at a time in a's dtype, the chunks added in float64."""
    total = 0.0
    for lo in range(0, a.size, ROW_CHUNK):
        total += _chunk_dot(a[lo:lo + ROW_CHUNK], b[lo:lo + ROW_CHUNK])
    return a.dtype.type(total)


@njit(cache=True, nogil=True, fastmath={"reassoc", "contract", "nsz"})
def _chunk_dot(a, b):
    # a loop over a whole (sliced) array: bounds LLVM vectorises, as it did not min(lo + k, n)
    part = a.dtype.type(0)
    for j in range(a.size):
        part += a[j] * b[j]
    return part


# ----- exp of a non-positive argument, vectorisable -----
# numba calls libm's scalar exp, which does not vectorise (~4× slower than NumPy's SIMD exp).
# Every exponent in this library is ≤ 0 (e^{−|z|}, e^{z − max}), so a Cody–Waite reduction
# x = k·ln2 + r, |r| ≤ ln2/2, a Taylor polynomial for e^r and 2^k built from its bits suffice.
# k comes from the "shifter" trick: t = x·log2(e) + 1.5·2^m (m = mantissa bits) holds
# round(x·log2 e) in its low bits, so k = t − shifter and 2^{k+64} = bits(t) + const shifted
# into the exponent, no floor and no conversion. The result is p·2^{k+64}·2^{−64}: the first
# product is exact and normal, the second rounds once, so subnormal results come out right.
# Measured: max relative error 7.6e-8 (float32, within 1 ulp) and 2.2e-16 (float64);
# tests/gradients/test_grad_fast.py holds it to 2 and 4 machine epsilons.


def exp_nonpos(x):  # pragma: no cover - replaced by the overload inside compiled code
    return np.exp(x)


def _exp32(x):
    xc = max(x, np.float32(-104.0))  # below e^-104 the float32 result rounds to 0
    t = xc * np.float32(1.4426950408889634) + np.float32(12582912.0)  # 1.5·2^23
    k = t - np.float32(12582912.0)
    r = xc - k * np.float32(0.693145751953125)
    r = r - k * np.float32(1.428606765330187e-06)
    p = np.float32(1 / 5040)
    p = p * r + np.float32(1 / 720)
    p = p * r + np.float32(1 / 120)
    p = p * r + np.float32(1 / 24)
    p = p * r + np.float32(1 / 6)
    p = p * r + np.float32(0.5)
    p = p * r + np.float32(1.0)
    p = p * r + np.float32(1.0)
    scale = np.int32((np.float32(t).view(np.int32) + np.int32(EXP_SHIFT32)) << 23).view(np.float32)
    res = p * scale * np.float32(2.0**-64)
    return res if x == x else x  # NaN in, NaN out


def _exp64(x):
    xc = max(x, -746.0)
    t = xc * 1.4426950408889634 + 6755399441055744.0  # 1.5·2^52
    k = t - 6755399441055744.0
    r = xc - k * 6.93147180369123816490e-01
    r = r - k * 1.90821492927058770002e-10
    p = 1 / 6227020800
    for c in (
        1 / 479001600,
        1 / 39916800,
        1 / 3628800,
        1 / 362880,
        1 / 40320,
        1 / 5040,
        1 / 720,
        1 / 120,
        1 / 24,
        1 / 6,
        0.5,
        1.0,
        1.0,
    ):
        p = p * r + c
    scale = np.int64((np.float64(t).view(np.int64) + np.int64(EXP_SHIFT64)) << 52).view(np.float64)
    res = p * scale * 2.0**-64
    return res if x == x else x


@overload(exp_nonpos, inline="always", fastmath=_FLAGS)
def _exp_nonpos_impl(x):
    if x == types.float32:
        return _exp32
    if x == types.float64:
        return _exp64
    return None


def use_one_thread() -> None:
    """Cut numba's pool to the calling thread, for parallel kernels launched from this
    thread only (numba keeps the setting per thread): see _compiled.between_products."""
    numba.set_num_threads(1)


def threading_layer() -> str:
    """The threading layer numba runs parallel loops on ("omp", "tbb" or "workqueue"),
    known only after a first parallel launch: a one-element one does it."""
    exp_nonpos_array(np.zeros(1), np.empty(1))
    return numba.threading_layer()


@_pjit
def exp_nonpos_array(x, out):
    """out = e^x for x ≤ 0 (the test hook for exp_nonpos)."""
    for i in prange(x.size):
        out[i] = exp_nonpos(x[i])


@_jit
def _exp_shifted(src, dst, shift):
    """dst = e^{src − shift} (src ≤ shift) and its sum: 512-bit vectors, then the tail, over
    chunks of ROW_CHUNK elements, each chunk's sum added in float64 (see ROW_CHUNK)."""
    total = 0.0
    for lo in range(0, src.size, ROW_CHUNK):
        hi = min(lo + ROW_CHUNK, src.size)
        s, d = src[lo:hi], dst[lo:hi]
        done, part = exp_shifted_vectors(s, d, shift)
        for j in range(done, hi - lo):
            d[j] = exp_nonpos(s[j] - shift)
            part += d[j]
        total += part
    return src.dtype.type(total)


@_jit
def exp_nonpos_vectors(x, out):
    """out = e^x for x ≤ 0 (the test hook for _numba_vector's vector exp)."""
    _exp_shifted(x, out, x.dtype.type(0))


# ----- activations -----


@njit(cache=True, nogil=True, fastmath=_FLAGS, inline="always")
def _sigmoid1(z, one):
    e = exp_nonpos(-abs(z))  # e^{−|z|} ≤ 1: nothing overflows
    d = one / (one + e)
    return d if z >= 0 else e * d


@_pjit
def sigmoid(z, out):
    """out = σ(z) = 1/(1 + e^{−|z|}) for z ≥ 0, e^{−|z|}/(1 + e^{−|z|}) otherwise."""
    one = z.dtype.type(1)
    for i in prange(z.size):
        out[i] = _sigmoid1(z[i], one)  # inlined in numba's IR: the loop then vectorises


@_pjit
def bell(z, out, rate, scale):
    """out = scale · e/(1 + e)² with e = e^{−rate·|z|}: σ' (rate 1), tanh' (rate 2, scale 4)."""
    one = z.dtype.type(1)
    rate_ = z.dtype.type(rate)
    scale_ = z.dtype.type(scale)
    for i in prange(z.size):
        e = exp_nonpos(-rate_ * abs(z[i]))
        d = one + e
        out[i] = scale_ * e / (d * d)


@_pjit
def step(z, out, below, above):
    """out = above where z > 0, else below (ReLU' for 0, 1; LeakyReLU' for a, 1)."""
    lo = z.dtype.type(below)
    hi = z.dtype.type(above)
    for i in prange(z.size):
        out[i] = hi if z[i] > 0 else lo


@_pjit
def times_sigmoid_slope(h, s):
    """h ⊙= s ⊙ (1 − s) in place, s = σ(·) (the sigmoid layer's backward step)."""
    one = h.dtype.type(1)
    for i in prange(h.size):
        h[i] *= s[i] * (one - s[i])


# ----- GELU, SiLU, ELU -----


@njit(cache=True, nogil=True, fastmath=_FLAGS, inline="always")
def _polynomial(coefficients, x):
    """c₀xⁿ + … + cₙ by Horner's rule (the coefficients a tuple of x's type)."""
    total = coefficients[0]
    for c in coefficients[1:]:
        total = total * x + c
    return total


def normal_cdf1(z, gauss):  # pragma: no cover - replaced by the overload inside compiled code
    """Φ(z) of one float32 or float64 value given gauss = e^{−z²/2}, in z's type
    (_special.normal_cdf's formula)."""
    raise NotImplementedError


def _normal_cdf_of(real):
    """normal_cdf1 in the arithmetic of `real` (np.float32 or np.float64), with Cody's
    rational approximations of erfc.

    float64: all three, each evaluated and the right one selected, so that the loop calling
    it stays branch-free and vectorises. float32: the middle one, C(u)/D(u) ≈ e^{u²}erfc(u),
    alone, at u ≤ 10: it is within 5e-12 of e^{u²}erfc(u) on [0, 0.47] and 3e-10 on [4, 10]
    (against mpmath), far below float32's 6e-8, and e^{−u²} is 0 in float32 past u = 9.4.
    One rational function instead of three: the float32 loop runs about twice as fast."""
    A, B, C, D, P, Q = (tuple(real(c) for c in cs) for cs in
                        (_special.A, _special.B, _special.C, _special.D, _special.P, _special.Q))
    near, far, root_half = real(_special.NEAR), real(_special.FAR), real(math.sqrt(0.5))
    inv_sqrt_pi, half, one, zero = real(_special.INV_SQRT_PI), real(0.5), real(1), real(0)
    ten = real(10)

    def normal_cdf64(z, gauss):
        u = abs(z) * root_half
        t = u * u
        v = one / t
        erfc_near = one - u * _polynomial(A, t) / _polynomial(B, t)
        erfc_mid = gauss * _polynomial(C, u) / _polynomial(D, u)
        erfc_far = gauss * (inv_sqrt_pi - v * _polynomial(P, v) / _polynomial(Q, v)) / u
        half_tail = half * (erfc_near if u <= near else erfc_mid if u <= far else erfc_far)
        return half_tail if z < zero else one - half_tail

    def normal_cdf32(z, gauss):
        u = min(abs(z) * root_half, ten)  # NaN stays NaN through gauss
        half_tail = half * gauss * _polynomial(C, u) / _polynomial(D, u)
        return half_tail if z < zero else one - half_tail

    return normal_cdf32 if real == np.float32 else normal_cdf64


@overload(normal_cdf1, inline="always", fastmath=_FLAGS)
def _normal_cdf1_impl(z, gauss):
    if z == types.float32:
        return _normal_cdf_of(np.float32)
    if z == types.float64:
        return _normal_cdf_of(np.float64)
    return None


_gelu_grad_vectors = gelu_grad_vectors_of(_special.C, _special.D)
GELU_CHUNK = 4096  # elements a task of gelu_grad takes: 16 KiB of float32


@njit(cache=True, nogil=True, fastmath=_FLAGS, inline="always")
def _gelu_grad1(x, half, inv_sqrt_2pi):
    gauss = exp_nonpos(-half * x * x)
    return normal_cdf1(x, gauss) + x * gauss * inv_sqrt_2pi


@_epjit
def gelu_grad(z, out):
    """out = Φ(z) + z e^{−z²/2}/√(2π): float32 on 512-bit vectors in chunks of GELU_CHUNK
    elements (_numba_vector.gelu_grad_vectors_of), each chunk's tail element by element;
    float64 in numba's own loop (the vectors are float32 only)."""
    half = z.dtype.type(0.5)
    inv_sqrt_2pi = z.dtype.type(1 / math.sqrt(2 * math.pi))
    if z.itemsize != 4:  # float64
        for i in prange(z.size):
            out[i] = _gelu_grad1(z[i], half, inv_sqrt_2pi)
        return
    tasks = (z.size + GELU_CHUNK - 1) // GELU_CHUNK
    for t in prange(tasks):
        lo, hi = t * GELU_CHUNK, min(z.size, (t + 1) * GELU_CHUNK)
        zs, outs = z[lo:hi], out[lo:hi]
        for i in range(_gelu_grad_vectors(zs, outs), hi - lo):
            outs[i] = _gelu_grad1(zs[i], half, inv_sqrt_2pi)


@_epjit
def gelu_tanh_grad(z, out):
    """out = s(1 + 2z(1 − s)u') with s = σ(2u), u = √(2/π)(z + 0.044715 z³) and
    u' = √(2/π)(1 + 3·0.044715 z²) (the tanh approximation's constant, as torch's); s itself
    where s is 0 or 1 at a finite z, as the reference (0 · ∞ once 2zu' overflows)."""
    zero = z.dtype.type(0)
    one = z.dtype.type(1)
    two = z.dtype.type(2)
    slope = z.dtype.type(math.sqrt(2 / math.pi))
    cubic = z.dtype.type(0.044715)
    cubic3 = z.dtype.type(3 * 0.044715)
    for i in prange(z.size):
        x = z[i]
        t = x * x
        s = _sigmoid1(two * slope * x * (one + cubic * t), one)
        v = s * (one + two * x * (one - s) * (slope * (one + cubic3 * t)))
        out[i] = s if (s == zero or s == one) and not math.isinf(x) else v


@_epjit
def silu_grad(z, out):
    """out = σ(z)(1 + z(1 − σ(z)))."""
    one = z.dtype.type(1)
    for i in prange(z.size):
        x = z[i]
        s = _sigmoid1(x, one)
        out[i] = s * (one + x * (one - s))


@_epjit
def elu_grad(z, out, alpha):
    """out = 1 where z > 0, else α e^z (NaN stays NaN)."""
    one = z.dtype.type(1)
    zero = z.dtype.type(0)
    alpha_ = z.dtype.type(alpha)
    for i in prange(z.size):
        x = z[i]
        e = exp_nonpos(zero if x > zero else x)
        out[i] = one if x > zero else alpha_ * e


# ----- softmax -----


AHEAD = 2  # rows a row-by-row kernel prefetches ahead of the one it computes


@_pjit
def softmax_rows(Z, out, scale, labels, parts):
    """out[i] = e^{Z[i] − max Z[i]} / (scale · Σⱼ e^{Z[i,j] − max Z[i]}) for each row i, then
    out[i, labels[i]] −= 1/scale when labels is not empty (with scale = N: the cross-entropy
    gradient (softmax(Z) − Y)/N). out may be Z itself.

    Each part's rows run in order, row i + AHEAD prefetched while row i is computed (see
    _numba_vector.prefetch).
    """
    n, c = Z.shape
    one = Z.dtype.type(1)
    scale_ = Z.dtype.type(scale)
    inv_scale = one / scale_
    for p in prange(parts):
        lo, hi = part_range(n, parts, p)
        for i in range(lo, hi):
            if i + AHEAD < hi:
                prefetch(Z[i + AHEAD])
            z, o = Z[i], out[i]
            inv = one / (_exp_shifted(z, o, _row_max(z)) * scale_)
            for j in range(c):
                o[j] *= inv
            if labels.size:
                o[labels[i]] -= inv_scale


@_pjit
def softmax_vjp_rows(G, S, out, parts):
    """out[i] = S[i] ⊙ (G[i] − ⟨G[i], S[i]⟩) for each row i."""
    n, c = S.shape
    for p in prange(parts):
        lo, hi = part_range(n, parts, p)
        for i in range(lo, hi):
            g, s, o = G[i], S[i], out[i]
            d = _dot(g, s)
            for j in range(c):
                o[j] = s[j] * (g[j] - d)


@_pjit
def one_entry_rows(out, labels, values, parts):
    """out[i] = values[i] at column labels[i], 0 elsewhere: the zero fill and the scatter of
    nll_loss's gradient in one pass, on every thread (NumPy's fill of N × C zeros is one
    memset on one core; torch fills on every core)."""
    n, c = out.shape
    for p in prange(parts):
        lo, hi = part_range(n, parts, p)
        for i in range(lo, hi):
            row = out[i]
            for j in range(c):
                row[j] = 0
            row[labels[i]] = values[i]


@njit(cache=True, nogil=True, fastmath={"reassoc", "contract", "nsz"})
def _row_sum(a):
    """Σ a: ROW_CHUNK entries at a time in a's dtype, the chunks added in float64."""
    total = 0.0
    for lo in range(0, a.size, ROW_CHUNK):
        total += _chunk_sum(a[lo:lo + ROW_CHUNK])
    return a.dtype.type(total)


@njit(cache=True, nogil=True, fastmath={"reassoc", "contract", "nsz"})
def _chunk_sum(a):
    part = a.dtype.type(0)  # as _chunk_dot: a whole slice, vectorised
    for j in range(a.size):
        part += a[j]
    return part


@_pjit
def log_softmax_vjp_rows(G, L, out, parts):
    """out[i] = G[i] − e^{L[i]} Σⱼ G[i, j] for each row i whose L[i] ≤ 0 (log-probabilities;
    NaN stays NaN); returns how many rows had a positive entry (those rows are left
    unfinished: the caller falls back to NumPy)."""
    n, c = L.shape
    zero = L.dtype.type(0)
    bad = 0
    for p in prange(parts):
        lo, hi = part_range(n, parts, p)
        for i in range(lo, hi):
            g, l, o = G[i], L[i], out[i]
            total = _row_sum(g)
            done, largest = log_softmax_vjp_vectors(g, l, o, total)
            positive = largest > zero  # an entry beyond the compiled exp's domain
            for j in range(done, c):
                o[j] = g[j] - exp_nonpos(l[j]) * total
                positive |= l[j] > zero
            bad += positive
    return bad


# ----- regression and logistic regression: one pass over X -----

LINEAR, LOGISTIC, LOGISTIC_MSE = 0, 1, 2


@njit(cache=True, nogil=True, fastmath={"reassoc", "contract", "nsz"})
def _dot4(a0, a1, a2, a3, b):
    """(⟨a0, b⟩, ⟨a1, b⟩, ⟨a2, b⟩, ⟨a3, b⟩) in one sweep of b."""
    t0 = t1 = t2 = t3 = b.dtype.type(0)
    for j in range(b.size):
        bj = b[j]
        t0 += a0[j] * bj
        t1 += a1[j] * bj
        t2 += a2[j] * bj
        t3 += a3[j] * bj
    return t0, t1, t2, t3


@njit(cache=True, nogil=True, fastmath=_FLAGS)
def _residual(u, yi, kind, scale, one):
    """scale·rᵢ for uᵢ = xᵢᵀθ: uᵢ − yᵢ (LINEAR), σ(uᵢ) − yᵢ (LOGISTIC) or
    (σ(uᵢ) − yᵢ)σ(uᵢ)(1 − σ(uᵢ)) (LOGISTIC_MSE)."""
    if kind == 0:
        return (u - yi) * scale
    h = _sigmoid1(u, one)
    r = h - yi
    if kind == 2:
        r = r * h * (one - h)
    return r * scale


@_pjit
def glm_grad(X, y, theta, kind, scale, chunks):
    """Σᵢ rᵢ xᵢ · scale with uᵢ = xᵢᵀθ and rᵢ = uᵢ − yᵢ (LINEAR), σ(uᵢ) − yᵢ (LOGISTIC) or
    (σ(uᵢ) − yᵢ)σ(uᵢ)(1 − σ(uᵢ)) (LOGISTIC_MSE), reading each row of X once. Rows go four
    at a time: four dot products in one sweep of θ, then one update of the sum with all
    four (a row at a time, the sum's loads and stores and each dot's final reduction left
    the loop at half the memory bandwidth)."""
    n, d = X.shape
    one = X.dtype.type(1)
    scale_ = X.dtype.type(scale)
    partial = np.zeros((chunks, d), X.dtype)
    per = (n + chunks - 1) // chunks
    for c in prange(chunks):
        acc = partial[c]
        lo, hi = c * per, min(n, (c + 1) * per)
        i = lo
        while i + 4 <= hi:
            x0, x1, x2, x3 = X[i], X[i + 1], X[i + 2], X[i + 3]
            u0, u1, u2, u3 = _dot4(x0, x1, x2, x3, theta)
            r0 = _residual(u0, y[i], kind, scale_, one)
            r1 = _residual(u1, y[i + 1], kind, scale_, one)
            r2 = _residual(u2, y[i + 2], kind, scale_, one)
            r3 = _residual(u3, y[i + 3], kind, scale_, one)
            for j in range(d):
                acc[j] += r0 * x0[j] + r1 * x1[j] + r2 * x2[j] + r3 * x3[j]
            i += 4
        for k in range(i, hi):
            x = X[k]
            r = _residual(_dot(x, theta), y[k], kind, scale_, one)
            for j in range(d):
                acc[j] += r * x[j]
    out = np.zeros(d, X.dtype)
    for c in range(chunks):
        out += partial[c]
    return out


# ----- batch normalisation: column statistics over row chunks, one thread per chunk -----


@_jit
def _merge_moments(mean, m2, seen, mean_b, m2_b, n_b):
    """Merge the moments (mean_b, m2_b) of n_b more rows into (mean, m2) of `seen` rows, in
    place, in float64 (Chan, Golub and LeVeque's pairwise update); returns the new count."""
    total = seen + n_b
    w_new = n_b / total
    w_cross = seen * w_new
    for j in range(mean.size):
        delta = np.float64(mean_b[j]) - mean[j]
        if math.isfinite(delta):
            mean[j] += delta * w_new
        else:  # an infinite mean: ∞ − ∞ in delta would make it NaN, where np.mean gives ∞
            mean[j] = mean[j] * (1 - w_new) + np.float64(mean_b[j]) * w_new
        m2[j] += np.float64(m2_b[j])
        if seen:  # the first merge has no cross term: δ² = ∞ (|δ| > 1.3e154) times 0 is NaN
            m2[j] += delta * delta * w_cross
    return total


@_pjit
def _column_moments(X, block, count, mean, m2):
    """Per chunk c of rows: count[c], mean[c] and m2[c] = Σᵢ (xᵢ − mean)², all in float64, in
    one read of X: each block of `block` rows (sized to stay in L2) is summed, then its squared
    deviations from its own mean are summed (the two-pass formula, in cache), and the block
    is merged into the chunk's running moments by Chan et al.'s update."""
    n, d = X.shape
    chunks = mean.shape[0]
    per = (n + chunks - 1) // chunks
    for c in prange(chunks):
        s = np.empty(d)  # float64 sums: a block of float32 values near 1000 would lose 1e-3
        q = np.empty(d)
        mu, sq = mean[c], m2[c]
        seen = 0
        for b0 in range(c * per, min(n, (c + 1) * per), block):
            b1 = min(n, (c + 1) * per, b0 + block)
            s[:] = 0
            q[:] = 0
            for i in range(b0, b1):
                x = X[i]
                for j in range(d):
                    s[j] += x[j]
            inv_b = 1.0 / (b1 - b0)
            for j in range(d):
                s[j] *= inv_b
            for i in range(b0, b1):
                x = X[i]
                for j in range(d):
                    t = x[j] - s[j]
                    q[j] += t * t
            seen = _merge_moments(mu, sq, seen, s, q, b1 - b0)
        count[c] = seen


@_pjit
def _batchnorm_out(X, P, out):
    """out = x̂ ⊙ P[2] + P[3] with x̂ = ((X − P[0]) − P[4]) ⊙ P[1], row by row (P[0] + P[4] = μ,
    P[0] rounded to X's dtype: X − P[0] is exact near μ). The per-column constants share one
    array so that LLVM's alias checks stay few enough for it to vectorise the loop."""
    n, d = X.shape
    for i in prange(n):
        x, o = X[i], out[i]
        for j in range(d):
            o[j] = (((x[j] - P[0, j]) - P[4, j]) * P[1, j]) * P[2, j] + P[3, j]


@_jit
def batchnorm_forward(X, gamma, beta, eps, out, chunks, block):
    """out = γ ⊙ x̂ + β with x̂ = (X − μ)/√(σ² + ε) (biased σ², statistics in float64);
    returns (μ rounded to X's dtype, the rest of μ, 1/√(σ² + ε)) in X's dtype."""
    n, d = X.shape
    count = np.zeros(chunks, np.int64)
    means = np.zeros((chunks, d))
    m2s = np.zeros((chunks, d))
    _column_moments(X, block, count, means, m2s)
    mean, m2, seen = np.zeros(d), np.zeros(d), 0
    for c in range(chunks):  # merge the chunks' moments the same way
        if count[c]:
            seen = _merge_moments(mean, m2, seen, means[c], m2s[c], count[c])
    P = np.empty((5, d), X.dtype)
    P[0] = mean
    P[1] = 1.0 / np.sqrt(m2 / n + eps)
    P[2] = gamma
    P[3] = beta
    P[4] = mean - P[0]  # what rounding μ to X's dtype left out
    _batchnorm_out(X, P, out)
    return P[0].copy(), P[4].copy(), P[1].copy()


@_jit
def _flush(block, total):
    """total += block (float64), block = 0. Sums over many rows go in blocks of a few rows
    in the working dtype, then in float64: over a million float32 rows a float32 sum alone
    is off by ~1e-5, this way by ~1e-7, and a float64 read-modify-write per element (half
    the loop's speed) is paid once a block."""
    b, t = block.reshape(-1), total.reshape(-1)
    for j in range(b.size):
        t[j] += b[j]
        b[j] = 0


SUM_ROWS = 16  # rows summed in X's dtype before the float64 totals (as layer norm's dγ, dβ)


@_pjit
def _batchnorm_sums(X, G, C, part):
    """Over the rows of chunk c, in float64: part[c, 0] = Σᵢ gᵢ, part[c, 1] = Σᵢ gᵢ ⊙ x̂ᵢ,
    part[c, 2] = Σᵢ x̂ᵢ, part[c, 3] = Σᵢ x̂ᵢ², x̂ = ((X − C[0]) − C[1]) ⊙ C[2] recomputed.
    Each block of SUM_ROWS rows is summed in X's dtype, then added to the float64 totals: a
    float64 read-modify-write of four sums per element kept the loop at half its speed."""
    n, d = X.shape
    chunks = part.shape[0]
    per = (n + chunks - 1) // chunks
    for c in prange(chunks):
        block = np.zeros((4, d), X.dtype)
        b_g, b_gh, b_h, b_hh = block[0], block[1], block[2], block[3]
        hi = min(n, (c + 1) * per)
        for i0 in range(c * per, hi, SUM_ROWS):
            for i in range(i0, min(hi, i0 + SUM_ROWS)):
                x, g = X[i], G[i]
                for j in range(d):
                    h = ((x[j] - C[0, j]) - C[1, j]) * C[2, j]
                    gj = g[j]
                    b_g[j] += gj
                    b_gh[j] += gj * h
                    b_h[j] += h
                    b_hh[j] += h * h
            _flush(block, part[c])


@_pjit
def _batchnorm_dx(dout, X, P, dX):
    """dX = (dout − P[0] − x̂ ⊙ P[1]) ⊙ P[2], x̂ = ((X − P[3]) − P[4]) ⊙ P[5], row by row
    (constants packed as in _batchnorm_out)."""
    n, d = dout.shape
    for i in prange(n):
        g, x, o = dout[i], X[i], dX[i]
        for j in range(d):
            h = ((x[j] - P[3, j]) - P[4, j]) * P[5, j]
            o[j] = (g[j] - P[0, j] - h * P[1, j]) * P[2, j]


@_jit
def batchnorm_backward(dout, X, mean, rest, gamma, inv_std, dX, chunks):
    """dβ = Σᵢ doutᵢ, dγ = Σᵢ doutᵢ ⊙ x̂ᵢ (sums in float64), dX = γ/√(σ² + ε) ⊙
    (dout − dβ/N − x̂ ⊙ dγ/N), x̂ recomputed from X; returns (dγ, dβ, each column's mean of x̂
    and of x̂², in float64)."""
    n, d = X.shape
    C = np.empty((3, d), X.dtype)
    C[0], C[1], C[2] = mean, rest, inv_std
    part = np.zeros((chunks, 4, d))
    _batchnorm_sums(X, dout, C, part)
    sums = part.sum(axis=0)
    dbeta, dgamma = sums[0], sums[1]
    P = np.empty((6, d), X.dtype)
    P[0] = dbeta / n
    P[1] = dgamma / n
    P[2] = gamma * inv_std
    P[3], P[4], P[5] = mean, rest, inv_std
    _batchnorm_dx(dout, X, P, dX)
    return dgamma.astype(X.dtype), dbeta.astype(X.dtype), sums[2] / n, sums[3] / n


# ----- layer normalisation: one row at a time, statistics in float64 -----


@njit(cache=True, nogil=True, fastmath=_FLAGS)
def _sum64(a, shift):
    """Σ (a − shift), each difference in a's dtype, accumulated in float64 (512-bit vectors,
    then the tail)."""
    done, total = sum_vectors(a, shift)
    for j in range(done, a.size):
        total += np.float64(a[j] - shift)
    return total


@njit(cache=True, nogil=True, fastmath=_FLAGS)
def _square_sum64(a, m):
    """Σ (a − m)², each difference in a's dtype, squared and accumulated in float64 (a
    float32 square overflows above 1.8e19)."""
    done, total = square_sum_vectors(a, m)
    for j in range(done, a.size):
        t = np.float64(a[j] - m)
        total += t * t
    return total


@njit(cache=True, nogil=True, fastmath={"reassoc", "contract", "nsz"})
def _layernorm_row_sums(gamma, g, h):
    """(Σ γ ⊙ g, Σ γ ⊙ g ⊙ h, Σ h, Σ h²) in one sweep, in h's dtype. x̂ comes in computed:
    with reassociation allowed here, ((x − m) − rest) could become x − (m + rest), which
    loses the low bits that the two-part subtraction keeps."""
    s_g = s_gh = s_h = s_hh = h.dtype.type(0)
    for j in range(h.size):
        gg = gamma[j] * g[j]
        hj = h[j]
        s_g += gg
        s_gh += gg * hj
        s_h += hj
        s_hh += hj * hj
    return s_g, s_gh, s_h, s_hh


@_pjit
def layernorm_forward(X, gamma, beta, eps, out, mean, rest, inv_std):
    """Per row i: μ = mean, σ² = mean (x − μ)² (in float64, μ rounded to X's dtype first),
    inv_std[i] = 1/√(σ² + ε), x̂ = ((x − m) − (μ − m))·inv_std[i] with m = μ rounded (x − m
    is exact near μ) and out = γ ⊙ x̂ + β; keeps m and μ − m in mean[i] and rest[i]."""
    n, d = X.shape
    for i in prange(n):
        if i + AHEAD < n:  # prange gives each thread a run of rows: the next ones are its own
            prefetch(X[i + AHEAD])
        x, o = X[i], out[i]
        mu = _sum64(x, X.dtype.type(0)) / d
        if x.itemsize == 8:  # float64's sum rounds: refined once by the mean of x − μ, so a
            # constant row's x − μ is 0 (±1 ulp made x̂ = −4.7e-6 at 1e8 + 0.1; torch's 0)
            mu += _sum64(x, X.dtype.type(mu)) / d
        m = X.dtype.type(mu)
        s = X.dtype.type(mu - m)
        r = X.dtype.type(1.0 / np.sqrt(_square_sum64(x, m) / d + eps))
        mean[i, 0], rest[i, 0], inv_std[i, 0] = m, s, r
        for j in range(d):
            o[j] = gamma[j] * (((x[j] - m) - s) * r) + beta[j]


_LN_BLOCK = 16  # rows whose dγ, dβ are summed in X's dtype before they join the float64 sums


@_pjit
def _layernorm_rows(dout, X, mean, rest, gamma, inv_std, dX, moments, part, block, rows):
    n, d = X.shape
    chunks = part.shape[0]
    per = (n + chunks - 1) // chunks
    inv_d = X.dtype.type(1.0 / d)
    for c in prange(chunks):
        s1, s2, h = part[c, 0], part[c, 1], rows[c]
        # the block's sums: packed in one array, so that the loop below writes through two
        # pointers, not three, and LLVM still vectorises it (measured: 0.29 → 0.13 ns per
        # element, float64 sums in that loop cost the rest)
        b = block[c]
        lo, hi = c * per, min(n, (c + 1) * per)
        for i in range(lo, hi):
            if i + AHEAD < hi:
                prefetch(dout[i + AHEAD])
                prefetch(X[i + AHEAD])
            g, x, o = dout[i], X[i], dX[i]
            m, s, r = mean[i, 0], rest[i, 0], inv_std[i, 0]
            for j in range(d):
                h[j] = ((x[j] - m) - s) * r
            s_g, s_gh, s_h, s_hh = _layernorm_row_sums(gamma, g, h)
            mean_g, mean_gh = s_g * inv_d, s_gh * inv_d
            moments[i, 0], moments[i, 1] = np.float64(s_h) / d, np.float64(s_hh) / d
            for j in range(d):
                gj = g[j]
                hj = h[j]
                b[j] += gj
                b[d + j] += gj * hj
                o[j] = (gamma[j] * gj - mean_g - hj * mean_gh) * r
            if (i - lo) % _LN_BLOCK == _LN_BLOCK - 1 or i == hi - 1:
                for j in range(d):
                    s1[j] += np.float64(b[j])
                    s2[j] += np.float64(b[d + j])
                    b[j] = 0
                    b[d + j] = 0


@_jit
def layernorm_backward(dout, X, mean, rest, gamma, inv_std, dX, moments, chunks):
    """dX = inv_std ⊙ (ĝ − mean(ĝ) − x̂ ⊙ mean(ĝ ⊙ x̂)) per row, ĝ = γ ⊙ dout, x̂ recomputed
    from X, in one pass over the rows, which also sums dγ = Σᵢ doutᵢ ⊙ x̂ᵢ and dβ = Σᵢ doutᵢ
    per chunk of rows (in X's dtype over blocks of _LN_BLOCK rows, then in float64) and
    writes each row's mean of x̂ and of x̂² into moments (N × 2, float64); returns (dγ, dβ) in
    X's dtype."""
    d = X.shape[1]
    part = np.zeros((chunks, 2, d))
    block = np.zeros((chunks, 2 * d), X.dtype)
    rows = np.empty((chunks, d), X.dtype)  # each chunk's x̂ row, in L1
    _layernorm_rows(dout, X, mean, rest, gamma, inv_std, dX, moments, part, block, rows)
    sums = part.sum(axis=0)
    return sums[1].astype(X.dtype), sums[0].astype(X.dtype)


# ----- optimizer steps (flat arrays, in place) -----


@_pjit
def sgd_step(p, g, lr):
    lr_ = p.dtype.type(lr)
    for i in prange(p.size):
        p[i] -= lr_ * g[i]


@_pjit
def momentum_step(p, g, v, lr, rho):
    lr_ = p.dtype.type(lr)
    rho_ = p.dtype.type(rho)
    for i in prange(p.size):
        vi = rho_ * v[i] + g[i]
        v[i] = vi
        p[i] -= lr_ * vi


@_pjit
def adagrad_step(p, g, r, lr, eps):
    lr_ = p.dtype.type(lr)
    eps_ = p.dtype.type(eps)
    for i in prange(p.size):
        gi = g[i]
        ri = r[i] + gi * gi
        r[i] = ri
        p[i] -= lr_ * (gi / (np.sqrt(ri) + eps_))


@_pjit
def rmsprop_step(p, g, r, lr, beta, rest, eps):
    """rest = 1 − β, computed in float64 by the caller: 1 − round(β) in float32 would lose
    β's low bits (at β = 0.9999, a relative error of 1.7e-4 in the average's update)."""
    lr_ = p.dtype.type(lr)
    beta_ = p.dtype.type(beta)
    eps_ = p.dtype.type(eps)
    rest_ = p.dtype.type(rest)
    for i in prange(p.size):
        gi = g[i]
        ri = beta_ * r[i] + (rest_ * gi) * gi  # ((1 − β)g)g: g² overflows above 1.8e19
        r[i] = ri
        p[i] -= lr_ * (gi / (np.sqrt(ri) + eps_))


@_pjit
def sgd_nesterov_step(p, g, v, lr, rho, decay):
    lr_ = p.dtype.type(lr)
    rho_ = p.dtype.type(rho)
    decay_ = p.dtype.type(decay)
    if decay == 0:  # no λx term at all, as torch: 0 · ∞ would make an infinite parameter NaN
        for i in prange(p.size):
            gi = g[i]
            vi = rho_ * v[i] + gi
            v[i] = vi
            p[i] -= lr_ * (gi + rho_ * vi)
        return
    for i in prange(p.size):
        gi = g[i] + decay_ * p[i]
        vi = rho_ * v[i] + gi
        v[i] = vi
        p[i] -= lr_ * (gi + rho_ * vi)


@_pjit
def adam_step(p, g, m, v, beta1, rest1, beta2, rest2, step, inv_sqrt_bc2, eps, keep):
    """rest1 = 1 − β₁ and rest2 = 1 − β₂, computed in float64 by the caller (see rmsprop_step);
    p is multiplied by keep first (AdamW's decoupled weight decay, 1 − αλ; Adam's 1)."""
    b1 = p.dtype.type(beta1)
    c1 = p.dtype.type(rest1)
    b2 = p.dtype.type(beta2)
    c2_ = p.dtype.type(rest2)
    step_ = p.dtype.type(step)
    c2 = p.dtype.type(inv_sqrt_bc2)
    eps_ = p.dtype.type(eps)
    keep_ = p.dtype.type(keep)
    for i in prange(p.size):
        gi = g[i]
        mi = b1 * m[i] + c1 * gi
        vi = b2 * v[i] + (c2_ * gi) * gi  # ((1 − β₂)g)g, as rmsprop_step
        m[i] = mi
        v[i] = vi
        p[i] = keep_ * p[i] - step_ * (mi / (np.sqrt(vi) * c2 + eps_))


# ----- pooling -----


@_pjit
def max_pool_argmax(x, k, s, out, idx):
    """out = the max of each window, idx = its flat position h·W + v in the channel (first
    maximum in row-major window order; a NaN wins, the last one as in torch)."""
    nb, ch, h, w = x.shape
    ho, wo = out.shape[2], out.shape[3]
    for plane in prange(nb * ch):
        a, b = plane // ch, plane % ch
        xp = x[a, b]
        for i in range(ho):
            for j in range(wo):
                bp = s * i
                bq = s * j
                best = xp[bp, bq]
                for p in range(k):
                    for q in range(k):
                        v = xp[s * i + p, s * j + q]
                        if v > best or v != v:
                            best = v
                            bp = s * i + p
                            bq = s * j + q
                out[a, b, i, j] = best
                idx[a, b, i, j] = bp * w + bq


@_pjit
def scatter_add_planes(dout, idx, dx):
    """dx[c] = 0, then dx[c, idx[c, t]] += dout[c, t]; one thread per channel (rows here).
    Returns how many indices fell outside [0, dx.shape[1]) (those are skipped).

    Zeroing inside the kernel spreads the first touch of dx's pages over the threads."""
    bad = 0
    size = dx.shape[1]
    for plane in prange(dx.shape[0]):
        dp = dx[plane]
        dp[:] = 0
        ip = idx[plane]
        gp = dout[plane]
        for t in range(ip.size):
            k = ip[t]
            if 0 <= k < size:
                dp[k] += gp[t]
            else:
                bad += 1
    return bad


@_pjit
def avg_pool_spread(dout, k, s, dx):
    """dx[c] = Σ over the k × k windows (stride s) containing each pixel of dout[c]/k²; one
    thread per channel plane, zeroed in the kernel (first touch spread over the threads)."""
    ho, wo = dout.shape[1], dout.shape[2]
    share = dout.dtype.type(1) / dout.dtype.type(k * k)
    for plane in prange(dx.shape[0]):
        dp = dx[plane]
        dp[:] = 0
        gp = dout[plane]
        for i in range(ho):
            for p in range(k):
                row = dp[s * i + p]
                for j in range(wo):
                    g = gp[i, j] * share
                    for q in range(k):
                        row[s * j + q] += g


# ----- networks: everything between the two large products, one pass over the rows -----


FLUSH_ROWS = 8 * RANK_ROWS  # rows summed in the working dtype before the float64 total


@njit(cache=True, nogil=True, inline="always")
def _flush_due(i0, lo, hi):
    """Whether the RANK_ROWS rows from i0 end a block of FLUSH_ROWS rows of lo:hi, or lo:hi."""
    return (i0 - lo) % FLUSH_ROWS == FLUSH_ROWS - RANK_ROWS or i0 + RANK_ROWS >= hi


@_jit
def _rank_scratch(width, classes, dtype):
    """(U, G, D) for _rank_update: RANK_ROWS × width, RANK_ROWS × width, RANK_ROWS × classes."""
    U = np.zeros((RANK_ROWS, width), dtype)
    return U, np.empty_like(U), np.zeros((RANK_ROWS, classes), dtype)


@_jit
def _rank_update(U, D, M, acc, G, rows):
    """acc += DᵀU and G = DM over the first `rows` rows of U and D (U, G: RANK_ROWS × b;
    D: RANK_ROWS × C; M, acc: C × b): 512-bit register tiles (_numba_vector.rank_update),
    then the columns past the last full vector. Rows past `rows` are zeroed: they add nothing."""
    for r in range(rows, RANK_ROWS):
        U[r, :] = 0
        D[r, :] = 0
    done = rank_update(U, D, M, acc, G)
    for j in range(done, M.shape[1]):
        for r in range(U.shape[0]):
            G[r, j] = 0
        for k in range(M.shape[0]):
            for r in range(U.shape[0]):
                acc[k, j] += D[r, k] * U[r, j]
                G[r, j] += D[r, k] * M[k, j]


@_pjit
def two_layer_hidden(A, VT, labels, parts, n_total):
    """Note 001's network between XW and Xᵀ(·), RANK_ROWS rows at a time, in place.

    On entry A = XW; on exit A = ((Q − Y)Vᵀ) ⊙ Z ⊙ (1 − Z) with Z = σ(XW), Q = softmax(ZV)
    and Y = one-hot(labels); parts[p] (C × b, float64) gets Σ over its rows of
    (Q − Y)ᵢ/N ⊗ zᵢ, so Σₚ parts[p]ᵀ = Zᵀ(Q − Y)/N, N = n_total (A may be a span of the
    batch's rows). Each row of A is read once and written once.
    """
    n, b = A.shape
    c = VT.shape[0]
    one = A.dtype.type(1)
    inv_n = one / A.dtype.type(n_total)
    n_parts = parts.shape[0]
    for p in prange(n_parts):
        Z, G, D = _rank_scratch(b, c, A.dtype)
        block = np.zeros((c, b), A.dtype)
        lo, hi = part_range(n, n_parts, p)
        for i0 in range(lo, hi, RANK_ROWS):
            rows = min(RANK_ROWS, hi - i0)
            for r in range(rows):
                z, d = Z[r], D[r]
                a = A[i0 + r]
                for j in range(b):
                    z[j] = _sigmoid1(a[j], one)
                for k in range(c):
                    d[k] = _dot(z, VT[k])
                scale = inv_n / _exp_shifted(d, d, _row_max(d))  # softmax, its 1/N folded in
                for k in range(c):
                    d[k] *= scale
                d[labels[i0 + r]] -= inv_n
            _rank_update(Z, D, VT, block, G, rows)
            for r in range(rows):
                z, g = Z[r], G[r]
                a = A[i0 + r]
                for j in range(b):
                    a[j] = g[j] * z[j] * (one - z[j])
            if _flush_due(i0, lo, hi):
                _flush(block, parts[p])


@_pjit
def relu_hidden(Z, b1, W2, b2, Y, parts_w2, parts_b1, parts_b2, n_total):
    """Note 003's network between XW₁ᵀ and (·)ᵀX, RANK_ROWS rows at a time, in place.

    On entry Z = XW₁ᵀ; on exit Z = δ₁ = (δ₂W₂) ⊙ 1[Z + b₁ > 0] with a = ReLU(Z + b₁),
    h = W₂a + b₂ and δ₂ = (h − y)/N, N = n_total (Z may be a span of the batch's rows). Per
    part p (float64): parts_w2[p] += Σ δ₂ᵢ ⊗ aᵢ (k × h), parts_b1[p] += Σ δ₁ᵢ,
    parts_b2[p] += Σ δ₂ᵢ. Each row of Z is read once and written once.
    """
    n, width = Z.shape
    k_out = W2.shape[0]
    zero = Z.dtype.type(0)
    inv_n = Z.dtype.type(1) / Z.dtype.type(n_total)
    n_parts = parts_w2.shape[0]
    for p in prange(n_parts):
        acc_w2 = np.zeros((k_out, width), Z.dtype)
        acc_b1, acc_b2 = np.zeros(width, Z.dtype), np.zeros(k_out, Z.dtype)
        A, G, D = _rank_scratch(width, k_out, Z.dtype)
        lo, hi = part_range(n, n_parts, p)
        for i0 in range(lo, hi, RANK_ROWS):
            rows = min(RANK_ROWS, hi - i0)
            for r in range(rows):
                a, d = A[r], D[r]
                z = Z[i0 + r]
                for j in range(width):
                    t = z[j] + b1[j]
                    a[j] = zero if t <= 0 else t  # NaN stays NaN
                for k in range(k_out):
                    d[k] = (_dot(a, W2[k]) + b2[k] - Y[i0 + r, k]) * inv_n
                    acc_b2[k] += d[k]
            _rank_update(A, D, W2, acc_w2, G, rows)
            for r in range(rows):
                a, g = A[r], G[r]
                z = Z[i0 + r]
                for j in range(width):
                    # a ≤ 0 exactly where z + b₁ ≤ 0; a NaN a passes g (threshold_backward)
                    t = zero if a[j] <= 0 else g[j]
                    z[j] = t
                    acc_b1[j] += t
            if _flush_due(i0, lo, hi):
                _flush(acc_w2, parts_w2[p])
                _flush(acc_b1, parts_b1[p])
                _flush(acc_b2, parts_b2[p])
