"""512-bit vector operations written as LLVM IR, for numba intrinsics.

numba's auto-vectoriser follows LLVM's preference for 256-bit vectors on AVX-512
machines (so 8 float32 lanes, not 16), and keeps a matrix product's accumulators
in memory. An intrinsic that emits ``<16 x float>`` / ``<8 x double>`` IR itself
gets one 512-bit register per value, in that function only (the preference is a
process-wide LLVM option, not ours to change). On a machine without AVX-512 LLVM
splits the same IR into narrower instructions: same results, only slower.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

BYTES = 64  # one AVX-512 register
# bits(t) + EXP_SHIFT = k + bias + 64 for the exps' t = shifter + k (wrapping, as the
# exps' fixed-width integers do): 2^{k+64} once shifted into the exponent field
EXP_SHIFT32 = (127 + 64 - 0x4B400000 + 2**31) % 2**32 - 2**31
EXP_SHIFT64 = (1023 + 64 - 0x4338000000000000 + 2**63) % 2**64 - 2**63


@njit(cache=True, nogil=True)
def part_range(n, parts, p):
    """Rows lo:hi of part p when n rows are split into `parts` nearly equal parts (one per
    task of a kernel's parallel loop)."""
    return p * n // parts, (p + 1) * n // parts


def lanes(itemsize: int) -> int:
    return BYTES // itemsize


def i64(value: int) -> ir.Constant:
    return ir.Constant(ir.IntType(64), value)


def data(context, builder, ty, value):
    """The data pointer of the array `value` of numba type `ty`."""
    return context.make_array(ty)(context, builder, value).data


def size(context, builder, ty, value):
    return context.make_array(ty)(context, builder, value).nitems


def contiguous(*array_types) -> bool:
    """Whether every array is C-contiguous: the intrinsics index raw data pointers."""
    return all(isinstance(t, types.Array) and t.layout == "C" for t in array_types)


def splat(builder, value, width: int):
    """A vector of `width` copies of the scalar `value`."""
    vty = ir.VectorType(value.type, width)
    undef = ir.Constant(vty, ir.Undefined)
    one = builder.insert_element(undef, value, ir.Constant(ir.IntType(32), 0))
    zeros = ir.Constant(ir.VectorType(ir.IntType(32), width), [0] * width)
    return builder.shuffle_vector(one, undef, zeros)


@dataclass(frozen=True)
class Vectors:
    """Emitters for one dtype's 64-byte vectors inside one function being built."""

    builder: ir.IRBuilder
    scalar: ir.Type
    bits: int

    @classmethod
    def of(cls, context, builder, dtype) -> Vectors:
        return cls(builder, context.get_value_type(dtype), dtype.bitwidth)

    @property
    def width(self) -> int:
        return lanes(self.bits // 8)

    @property
    def type(self) -> ir.VectorType:
        return ir.VectorType(self.scalar, self.width)

    def const(self, value: float):
        return ir.Constant(self.type, [ir.Constant(self.scalar, value)] * self.width)

    def load(self, ptr):
        value = self.builder.load(self.builder.bitcast(ptr, self.type.as_pointer()))
        value.align = self.bits // 8  # unaligned: an element's alignment only
        return value

    def store(self, value, ptr) -> None:
        self.builder.store(value, self.builder.bitcast(ptr, self.type.as_pointer())).align = (
            self.bits // 8
        )

    def broadcast(self, ptr):
        return splat(self.builder, self.builder.load(ptr), self.width)

    def _intrinsic(self, name: str, arity: int):
        fnty = ir.FunctionType(self.type, [self.type] * arity)
        fn = f"llvm.{name}.v{self.width}f{self.bits}"
        return cgutils.get_or_insert_function(self.builder.module, fnty, fn)

    def fma(self, a, b, c):
        """a·b + c, rounded once."""
        return self.builder.call(self._intrinsic("fma", 3), [a, b, c])

    def maxnum(self, a, b):
        """Lane-wise max; a NaN lane takes the other operand (NaNs are skipped)."""
        return self.builder.call(self._intrinsic("maxnum", 2), [a, b])

    def minnum(self, a, b):
        """Lane-wise min; a NaN lane takes the other operand."""
        return self.builder.call(self._intrinsic("minnum", 2), [a, b])

    def abs(self, a):
        return self.builder.call(self._intrinsic("fabs", 1), [a])

    def polynomial(self, coefficients: tuple[float, ...], x):
        """c₀xⁿ + … + cₙ by Horner's rule, one fma a coefficient."""
        total = self.const(coefficients[0])
        for c in coefficients[1:]:
            total = self.fma(total, x, self.const(c))
        return total

    def exp_nonpos(self, x):
        """e^x for x ≤ 0, the vector twin of _numba_kernels._exp32 / _exp64 (same steps,
        same constants; see the comment above them)."""
        b = self.builder
        single = self.bits == 32
        floor_, ln2_hi, ln2_lo, shifter, offset, shift = (
            (-104.0, 0.693145751953125, 1.428606765330187e-06, 12582912.0, EXP_SHIFT32, 23)
            if single
            else (
                -746.0,
                6.93147180369123816490e-01,
                1.90821492927058770002e-10,
                6755399441055744.0,
                EXP_SHIFT64,
                52,
            )
        )
        degree = 7 if single else 13
        xc = self.maxnum(x, self.const(floor_))  # a NaN lane becomes floor_; restored below
        t = self.fma(xc, self.const(1.4426950408889634), self.const(shifter))
        k = b.fsub(t, self.const(shifter))
        r = self.fma(k, self.const(-ln2_hi), xc)
        r = self.fma(k, self.const(-ln2_lo), r)
        p = self.const(1 / math.factorial(degree))
        for n in range(degree - 1, -1, -1):
            p = self.fma(p, r, self.const(1 / math.factorial(n)))
        ity = ir.VectorType(ir.IntType(self.bits), self.width)

        def int_splat(value: int):
            return ir.Constant(ity, [ir.Constant(ir.IntType(self.bits), value)] * self.width)

        bits = b.add(b.bitcast(t, ity), int_splat(offset))
        scale = b.bitcast(b.shl(bits, int_splat(shift)), self.type)
        result = b.fmul(b.fmul(p, scale), self.const(2.0**-64))
        return b.select(b.fcmp_unordered("uno", x, x), x, result)

    def sum(self, v):
        """The sum of v's lanes, pairwise."""
        return self._reduce(v, self.builder.fadd)

    def max(self, v):
        """The largest of v's lanes (NaN lanes skipped unless all are NaN)."""
        return self._reduce(v, lambda a, b: self._scalar_maxnum(a, b))

    def _scalar_maxnum(self, a, b):
        fnty = ir.FunctionType(self.scalar, [self.scalar] * 2)
        fn = cgutils.get_or_insert_function(self.builder.module, fnty, f"llvm.maxnum.f{self.bits}")
        return self.builder.call(fn, [a, b])

    def _reduce(self, v, op):
        b = self.builder
        parts = [b.extract_element(v, ir.Constant(ir.IntType(32), i)) for i in range(self.width)]
        while len(parts) > 1:
            parts = [op(parts[i], parts[i + 1]) for i in range(0, len(parts), 2)]
        return parts[0]


@intrinsic
def exp_shifted_vectors(typingctx, src, dst, shift):
    """dst[j] = e^{src[j] − shift} for j < the largest multiple of L ≤ len(src) (src ≤ shift
    elementwise); returns that count and the sum of those exponentials, as (count, sum)."""
    if not contiguous(src, dst) or src.dtype != dst.dtype:
        return None
    sig = types.Tuple((types.intp, src.dtype))(src, dst, shift)

    def codegen(context, builder, signature, args):
        src_ty, dst_ty, _ = signature.args
        srcv, dstv, shiftv = args
        v = Vectors.of(context, builder, src_ty.dtype)
        src_p = data(context, builder, src_ty, srcv)
        dst_p = data(context, builder, dst_ty, dstv)
        n = size(context, builder, src_ty, srcv)
        count = builder.mul(builder.udiv(n, i64(v.width)), i64(v.width))
        shift_v = splat(builder, shiftv, v.width)
        total = cgutils.alloca_once_value(builder, v.const(0.0))
        with cgutils.for_range_slice(builder, i64(0), count, i64(v.width)) as (j, _):
            e = v.exp_nonpos(builder.fsub(v.load(builder.gep(src_p, [j])), shift_v))
            v.store(e, builder.gep(dst_p, [j]))
            builder.store(builder.fadd(builder.load(total), e), total)
        result = (count, v.sum(builder.load(total)))
        return context.make_tuple(builder, signature.return_type, result)

    return sig, codegen


@intrinsic
def log_softmax_vjp_vectors(typingctx, g, l, out, total):
    """out[j] = g[j] − e^{l[j]}·total for j < the largest multiple of L ≤ len(l) (l ≤ 0
    elementwise), in one pass: each vector of l read once for both its exponential and the
    check; returns (that count, the max of those l[j], NaNs skipped), so the caller can tell
    a row with a positive entry (not a log-probability) from a finished one."""
    if not contiguous(g, l, out) or not (g.dtype == l.dtype == out.dtype == total):
        return None
    sig = types.Tuple((types.intp, l.dtype))(g, l, out, total)

    def codegen(context, builder, signature, args):
        l_ty = signature.args[1]
        v = Vectors.of(context, builder, l_ty.dtype)
        g_p, l_p, out_p = (
            data(context, builder, t, a)
            for t, a in zip(signature.args[:3], args[:3], strict=True)
        )
        n = size(context, builder, l_ty, args[1])
        count = builder.mul(builder.udiv(n, i64(v.width)), i64(v.width))
        total_v = splat(builder, args[3], v.width)
        best = cgutils.alloca_once_value(builder, v.const(float("-inf")))
        with cgutils.for_range_slice(builder, i64(0), count, i64(v.width)) as (j, _):
            lx = v.load(builder.gep(l_p, [j]))
            builder.store(v.maxnum(builder.load(best), lx), best)
            e = builder.fmul(v.exp_nonpos(lx), total_v)
            v.store(builder.fsub(v.load(builder.gep(g_p, [j])), e), builder.gep(out_p, [j]))
        result = (count, v.max(builder.load(best)))
        return context.make_tuple(builder, signature.return_type, result)

    return sig, codegen


@intrinsic
def max_vectors(typingctx, src):
    """(count, m): m = the max of src[:count], count the largest multiple of L ≤ len(src) ≥ L;
    NaNs skipped. (0, −inf) when src is shorter than one vector."""
    if not contiguous(src):
        return None
    sig = types.Tuple((types.intp, src.dtype))(src)

    def codegen(context, builder, signature, args):
        (src_ty,) = signature.args
        v = Vectors.of(context, builder, src_ty.dtype)
        src_p = data(context, builder, src_ty, args[0])
        n = size(context, builder, src_ty, args[0])
        count = builder.mul(builder.udiv(n, i64(v.width)), i64(v.width))
        # four running maxima: one would wait on the latency of the one before
        unrolled = builder.mul(builder.udiv(n, i64(4 * v.width)), i64(4 * v.width))
        bests = [cgutils.alloca_once_value(builder, v.const(float("-inf"))) for _ in range(4)]
        with cgutils.for_range_slice(builder, i64(0), unrolled, i64(4 * v.width)) as (j, _):
            for u, best in enumerate(bests):
                at = builder.gep(src_p, [builder.add(j, i64(u * v.width))])
                builder.store(v.maxnum(builder.load(best), v.load(at)), best)
        best = bests[0]
        with cgutils.for_range_slice(builder, unrolled, count, i64(v.width)) as (j, _):
            builder.store(v.maxnum(builder.load(best), v.load(builder.gep(src_p, [j]))), best)
        for other in bests[1:]:
            builder.store(v.maxnum(builder.load(best), builder.load(other)), best)
        result = (count, v.max(builder.load(best)))
        return context.make_tuple(builder, signature.return_type, result)

    return sig, codegen


def _moment_vectors(square: bool):
    """An intrinsic f(src, shift) -> (count, Σ_{j<count} t_j in float64), t = src[j] − shift
    (squared if `square`), each difference in src's dtype, squared in float64 (a float32
    square overflows above 1.8e19); count is the largest multiple of 2L ≤ len(src). LLVM's
    own vectorisation of such loops converts 8 lanes at a time; here 16 are widened per
    load."""

    @intrinsic
    def moments(typingctx, src, shift):
        if not contiguous(src) or shift != src.dtype:
            return None
        sig = types.Tuple((types.intp, types.float64))(src, shift)

        def codegen(context, builder, signature, args):
            src_ty = signature.args[0]
            v = Vectors.of(context, builder, src_ty.dtype)
            src_p = data(context, builder, src_ty, args[0])
            n = size(context, builder, src_ty, args[0])
            step = 2 * v.width  # two accumulators: one would wait on the other's latency
            count = builder.mul(builder.udiv(n, i64(step)), i64(step))
            wide = ir.VectorType(ir.DoubleType(), v.width)
            zero = ir.Constant(wide, [ir.Constant(ir.DoubleType(), 0.0)] * v.width)
            totals = [cgutils.alloca_once_value(builder, zero) for _ in range(2)]
            shift_v = splat(builder, args[1], v.width)
            with cgutils.for_range_slice(builder, i64(0), count, i64(step)) as (j, _):
                for u, total in enumerate(totals):
                    at = builder.gep(src_p, [builder.add(j, i64(u * v.width))])
                    t = builder.fsub(v.load(at), shift_v)
                    if v.bits != 64:
                        t = builder.fpext(t, wide)
                    if square:
                        t = builder.fmul(t, t)
                    builder.store(builder.fadd(builder.load(total), t), total)
            both = builder.fadd(builder.load(totals[0]), builder.load(totals[1]))
            parts = [builder.extract_element(both, ir.Constant(ir.IntType(32), i))
                     for i in range(v.width)]
            while len(parts) > 1:
                parts = [builder.fadd(parts[i], parts[i + 1]) for i in range(0, len(parts), 2)]
            return context.make_tuple(builder, signature.return_type, (count, parts[0]))

        return sig, codegen

    return moments


sum_vectors = _moment_vectors(square=False)
square_sum_vectors = _moment_vectors(square=True)


RANK_ROWS = 8  # rows of U per rank_update call: 8 + 8 accumulator registers, 2 loads per k


@intrinsic
def rank_update(typingctx, U, D, M, acc, G):
    """acc += DᵀU and G = DM over the first ⌊b/L⌋·L columns; returns that column count.

    U, G are RANK_ROWS × b, D is RANK_ROWS × C, M and acc are C × b, all C-contiguous. For each
    run of L columns the 8 rows of U and of G stay in registers while k runs over the C rows
    of M and acc: one load of M, one load and store of acc, 16 FMAs with broadcast D[r, k].
    """
    if not contiguous(U, D, M, acc, G):
        return None
    sig = types.intp(U, D, M, acc, G)

    def codegen(context, builder, signature, args):
        u_ty, d_ty, m_ty, acc_ty, g_ty = signature.args
        uv, dv, mv, accv, gv = args
        v = Vectors.of(context, builder, u_ty.dtype)
        up, dp, mp, accp, gp = (
            data(context, builder, t, a) for t, a in zip(signature.args, args, strict=True)
        )
        shape = cgutils.unpack_tuple(builder, context.make_array(m_ty)(context, builder, mv).shape)
        classes, width = shape[0], shape[1]
        count = builder.mul(builder.udiv(width, i64(v.width)), i64(v.width))
        rows = range(RANK_ROWS)
        grads = [cgutils.alloca_once_value(builder, v.const(0.0)) for _ in rows]
        with cgutils.for_range_slice(builder, i64(0), count, i64(v.width)) as (j, _):
            us = [
                v.load(builder.gep(up, [builder.add(builder.mul(i64(r), width), j)])) for r in rows
            ]
            for slot in grads:
                builder.store(v.const(0.0), slot)
            with cgutils.for_range(builder, classes) as k:
                at = builder.add(builder.mul(k.index, width), j)
                m = v.load(builder.gep(mp, [at]))
                total = v.load(builder.gep(accp, [at]))
                for r, slot in zip(rows, grads, strict=True):
                    d = v.broadcast(
                        builder.gep(dp, [builder.add(builder.mul(i64(r), classes), k.index)])
                    )
                    total = v.fma(d, us[r], total)
                    builder.store(v.fma(d, m, builder.load(slot)), slot)
                v.store(total, builder.gep(accp, [at]))
            for r, slot in zip(rows, grads, strict=True):
                v.store(
                    builder.load(slot),
                    builder.gep(gp, [builder.add(builder.mul(i64(r), width), j)]),
                )
        return count

    return sig, codegen


@intrinsic
def prefetch(typingctx, src):
    """Ask for every 64-byte line of the contiguous array src to be brought into the cache
    (llvm.prefetch, a hint: no fault, no effect on results). The hardware streamer stops
    at each 4 KiB page, so a loop that moves to a new row every ~4 KiB prefetches the next."""
    if not contiguous(src):
        return None
    sig = types.void(src)

    def codegen(context, builder, signature, args):
        (src_ty,) = signature.args
        itemsize = src_ty.dtype.bitwidth // 8
        byte = ir.IntType(8).as_pointer()
        start = builder.bitcast(data(context, builder, src_ty, args[0]), byte)
        n_bytes = builder.mul(size(context, builder, src_ty, args[0]), i64(itemsize))
        i32 = ir.IntType(32)
        fnty = ir.FunctionType(ir.VoidType(), [byte, i32, i32, i32])
        fn = cgutils.get_or_insert_function(builder.module, fnty, "llvm.prefetch.p0i8")
        with cgutils.for_range_slice(builder, i64(0), n_bytes, i64(BYTES)) as (at, _):
            line = builder.gep(start, [at])
            builder.call(fn, [line, ir.Constant(i32, 0), ir.Constant(i32, 3), ir.Constant(i32, 1)])
        return context.get_dummy_value()

    return sig, codegen


def gelu_grad_vectors_of(numerator: tuple[float, ...], denominator: tuple[float, ...]):
    """An intrinsic f(z, out) -> count: out[j] = Φ(z[j]) + z[j]e^{−z[j]²/2}/√(2π) for j < the
    largest multiple of L ≤ len(z), float32 only (count 0 otherwise), with Φ(−|z|) =
    ½e^{−u²}C(u)/D(u), u = min(|z|/√2, 10), from the rational function C/D given (highest
    degree first): _numba_kernels.normal_cdf1's float32 formula on 16 lanes, where numba's
    own loop runs 8."""

    @intrinsic
    def gelu_grad_vectors(typingctx, z, out):
        if not contiguous(z, out) or z.dtype != out.dtype:
            return None
        sig = types.intp(z, out)

        def codegen(context, builder, signature, args):
            z_ty = signature.args[0]
            if z_ty.dtype != types.float32:
                return i64(0)
            v = Vectors.of(context, builder, z_ty.dtype)
            z_p, out_p = (data(context, builder, t, a)
                          for t, a in zip(signature.args, args, strict=True))
            n = size(context, builder, z_ty, args[0])
            count = builder.mul(builder.udiv(n, i64(v.width)), i64(v.width))

            with cgutils.for_range_slice(builder, i64(0), count, i64(v.width)) as (j, _):
                x = v.load(builder.gep(z_p, [j]))
                gauss = v.exp_nonpos(builder.fmul(builder.fmul(x, x), v.const(-0.5)))
                u = v.minnum(builder.fmul(v.abs(x), v.const(math.sqrt(0.5))), v.const(10.0))
                ratio = builder.fdiv(v.polynomial(numerator, u), v.polynomial(denominator, u))
                half_tail = builder.fmul(builder.fmul(v.const(0.5), gauss), ratio)
                cdf = builder.select(builder.fcmp_ordered("<", x, v.const(0.0)), half_tail,
                                     builder.fsub(v.const(1.0), half_tail))
                density = builder.fmul(builder.fmul(x, gauss),
                                       v.const(1 / math.sqrt(2 * math.pi)))
                v.store(builder.fadd(cdf, density), builder.gep(out_p, [j]))
            return count

        return sig, codegen

    return gelu_grad_vectors
