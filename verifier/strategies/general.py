"""Strategies 3 and 4: proofs in general dimension.

``prove_general`` works with matrix symbols of symbolic size: expand the residual, push
transposes in, and put every scalar (1×1) term in a canonical form (a trace is invariant
under cyclic rotation and transposition), then ask whether the terms cancel.  Every matrix
derivative SymPy took on the way is re-checked element-wise at two fixed sizes, because
SymPy 1.14 silently returns 0 for some (``(a.T*X*b)[0,0].diff(X)``, ``log(det X)``).

``prove_indexed`` handles claims over N samples / C classes / step t written with sums of
symbolic length: it combines sums with equal limits and proves the summand is 0.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import sympy as sp
from sympy.matrices.expressions.kronecker import combine_kronecker

from verifier import ops
from verifier.instantiate import both_sides, derivative_log, general
from verifier.strategies.context import BUILD_ERRORS, Context
from verifier.strategies.zero import is_zero
from verifier.verdict import Verdict

if TYPE_CHECKING:
    from verifier.audit import PointResult

RECHECK_SIZES = (2, 3)


def build_general(ctx: Context):
    """Both sides in general dimension (built once per context), or None where the claim
    has no general form."""
    if ctx.general_built is not None:
        return ctx.general_built or None
    c = ctx.claim
    reqs: list = []
    token = ops.REQUIREMENTS.set(reqs)
    try:
        inst = general(c)
        with derivative_log() as log:
            lhs, rhs = both_sides(inst, c)
    except (ops.GeneralFormUnavailable, ops.Undefined, RecursionError, *BUILD_ERRORS):
        # RecursionError: SymPy's matrix derivative of some products of inverses
        # (trace(inv(X) @ inv(X))) recurses without end; such a claim has no general form
        ctx.general_built = False
        return None
    finally:
        ops.REQUIREMENTS.reset(token)
    ctx.general_built = (inst, lhs, rhs, log)
    ctx.general_requirements = [r for r in reqs if r.kind not in ("kink", "unique max")]
    return ctx.general_built


def _is_mat(x: Any) -> bool:
    return isinstance(x, sp.MatrixExpr)


def _as_general(x: Any, shape) -> Any:
    """Scalars beside 1×1 matrices: compare as matrices via s·I₁."""
    if _is_mat(x):
        return x
    if shape == (1, 1):
        return x * sp.Identity(1)
    return None


# ----- canonical forms of scalar (trace) terms -----


def _factors(m: Any) -> list:
    if isinstance(m, sp.MatMul):
        return [a for a in m.args if _is_mat(a)]
    return [m]


def canonical_trace(tr: sp.Trace) -> Any:
    inner = sp.expand(tr.arg.doit())
    if inner == 0 or isinstance(inner, sp.ZeroMatrix):
        return sp.Integer(0)
    if isinstance(inner, sp.MatAdd):
        return sp.Add(*[canonical_trace(sp.Trace(t)) for t in inner.args])
    coeff = sp.Integer(1)
    if isinstance(inner, sp.MatMul):
        scalars = [a for a in inner.args if not _is_mat(a)]
        coeff = sp.Mul(*scalars)
    fs = _factors(inner)
    transposed = [sp.Transpose(f).doit() for f in reversed(fs)]
    best = None
    for seq in (fs, transposed):
        for k in range(len(seq)):
            rot = seq[k:] + seq[:k]
            key = sp.srepr(sp.MatMul(*rot)) if len(rot) > 1 else sp.srepr(rot[0])
            if best is None or key < best[0]:
                best = (key, rot)
    assert best is not None
    rot = best[1]
    return coeff * sp.Trace(sp.MatMul(*rot) if len(rot) > 1 else rot[0])


MAX_TERMS = 256  # products of sums distributed by hand up to this many terms


def distribute(e: Any) -> Any:
    """Products of sums of matrices multiplied out, (A + B)² as A² + AB + BA + B² (SymPy's
    expand leaves a power of a sum alone, and folds (A + B)(A + B) back into one)."""
    if isinstance(e, sp.MatAdd):
        return sp.MatAdd(*[distribute(a) for a in e.args]).doit()
    if isinstance(e, sp.MatPow) and e.exp.is_Integer and 1 < e.exp <= 8 \
            and isinstance(e.base, sp.MatAdd):
        factors = [e.base] * int(e.exp)
    elif isinstance(e, sp.MatMul):
        factors = list(e.args)
    else:
        return e
    terms = [list(d.args) if isinstance(d, sp.MatAdd) else [d]
             for d in map(distribute, factors)]
    if not 1 < math.prod(map(len, terms)) <= MAX_TERMS:
        return e
    return sp.MatAdd(*[sp.MatMul(*combo).doit() for combo in itertools.product(*terms)]
                     ).doit()


def _combined_kronecker(expr: Any) -> Any:
    """(A ⊗ B)(C ⊗ D) = AC ⊗ BD for factors of matching shapes, product by product (SymPy's
    combine_kronecker applied to a whole sum fails in 1.14: MatAdd + list), and each factor's
    sums distributed ((A + C) ⊗ B = A ⊗ B + C ⊗ B)."""
    for _ in range(2):  # a product of sums is distributed first, then combined
        if _is_mat(expr):
            expr = expr.expand(kroneckerproduct=True)
        expr = expr.replace(lambda e: isinstance(e, sp.MatMul) and e.has(sp.KroneckerProduct),
                            combine_kronecker).doit()
    return expr


def _canonical(expr: Any) -> Any:
    expr = expr.doit()
    if expr.has(sp.KroneckerProduct):
        expr = _combined_kronecker(expr)
    if _is_mat(expr) and expr.has(sp.MatPow, sp.MatMul):
        expr = distribute(expr)
    expr = sp.expand(expr)
    if expr == 0 or isinstance(expr, sp.ZeroMatrix):
        return sp.Integer(0)
    if _is_mat(expr) and expr.shape == (1, 1):
        # a 1×1 matrix expression: reason about it as the scalar trace of each term
        terms = expr.args if isinstance(expr, sp.MatAdd) else (expr,)
        expr = sp.Add(*[canonical_trace(sp.Trace(t)) for t in terms])
    return sp.expand(expr.replace(lambda e: isinstance(e, sp.Trace), canonical_trace))


def _general_zero(residual: Any) -> bool:
    r = _canonical(residual)
    if r == 0 or isinstance(r, sp.ZeroMatrix):
        return True
    if _is_mat(r):
        if isinstance(r, sp.MatAdd):
            r2 = sp.MatAdd(*r.args).doit()
            return r2 == 0 or isinstance(r2, sp.ZeroMatrix)
        return False
    if r.has(sp.MatrixExpr):
        return False
    return is_zero(r)


# ----- element-wise re-check of matrix derivatives -----


def _explicit_map(expr_list: list, dims: set, n: int) -> dict:
    mapping: dict = {}
    for e in expr_list:
        for ms in e.atoms(sp.MatrixSymbol):
            if ms in mapping:
                continue
            r, c = (int(x.subs({d: n for d in dims})) for x in ms.shape)
            mapping[ms] = sp.ImmutableMatrix(
                r, c, lambda i, j, ms=ms: sp.Symbol(f"{ms.name}_{i}_{j}", real=True)
            )
    return mapping


def _dims_of(exprs: list) -> set:
    """The symbolic sizes: every integer symbol in the shapes of the matrix symbols involved."""
    dims: set = set()
    for e in exprs:
        for ms in sp.sympify(e).atoms(sp.MatrixSymbol):
            for n in ms.shape:
                dims |= {s for s in sp.sympify(n).free_symbols if s.is_integer}
    return dims


def _explicit(e: Any) -> Any:
    """Constant matrices (ones, zeros, identity) of a now-concrete size as explicit entries."""
    e = e.replace(
        lambda m: isinstance(m, sp.OneMatrix | sp.ZeroMatrix | sp.Identity),
        lambda m: sp.ImmutableMatrix(m.as_explicit()),
    )
    return e.doit()


def recheck_derivatives(log: list) -> bool:
    for f, x, d in log:
        dims = _dims_of([f, x, d])
        for n in RECHECK_SIZES:
            mapping = _explicit_map([f, x, d], dims, n)
            sub = {s: n for s in dims}
            fe = _explicit(f.xreplace(mapping).subs(sub))
            xe = sp.Matrix(x.xreplace(mapping).subs(sub))
            de = _explicit(d.xreplace(mapping).subs(sub))
            de = sp.Matrix(de.as_explicit()) if _is_mat(de) else sp.Matrix(de)
            if isinstance(fe, sp.MatrixBase):
                fe = fe[0, 0]
            want = xe.applyfunc(lambda e, fe=fe: sp.diff(fe, e))
            if de.shape != want.shape or not is_zero(de - want):
                return False
    return True


def prove_general(ctx: Context) -> Verdict | None:
    try:
        return _prove_general(ctx)
    except sp.matrices.exceptions.NonInvertibleMatrixError:
        ctx.note("prove_general: a side inverts a matrix that is singular in general")
        return None


def _prove_general(ctx: Context) -> Verdict | None:
    built = build_general(ctx)
    if built is None:
        return None
    _, lhs, rhs, log = built
    # a 1×1 matrix beside a scalar: compare as scalars (the trace of the 1×1 side)
    if _is_mat(lhs) != _is_mat(rhs):
        mat = lhs if _is_mat(lhs) else rhs
        if mat.shape == (1, 1):
            lhs, rhs = (sp.Trace(x) if _is_mat(x) else x for x in (lhs, rhs))
    if _is_mat(lhs) or _is_mat(rhs):
        shape = (lhs if _is_mat(lhs) else rhs).shape
        a, b = _as_general(lhs, shape), _as_general(rhs, shape)
        if a is None or b is None or a.shape != b.shape:
            return None
        residual = a - b
    else:
        if not any(sp.sympify(x).has(sp.MatrixExpr) for x in (lhs, rhs)):
            # purely scalar: left to prove_indexed / prove_at_sizes (a trace of I_n is not:
            # tr I = n was only proved at sizes)
            return None
        residual = sp.sympify(lhs - rhs)
    if residual.has(sp.Product):
        # a product over a symbolic range: matrix algebra has no rule for it, and SymPy's
        # simplification spent the whole budget on a likelihood (log Πᵢ … = Σᵢ log …);
        # the index form reads it
        ctx.note("prove_general: a product over an index is left to the index form")
        return None
    if not _general_zero(residual):
        return None
    try:
        rechecked = recheck_derivatives(log)
    except (NotImplementedError, TypeError, ValueError) as exc:
        ctx.notes.append(f"a matrix derivative could not be re-checked element-wise ({exc})")
        return None
    if not rechecked:
        ctx.notes.append("a SymPy matrix derivative failed its element-wise re-check")
        return None
    detail = "matrix-expression residual cancels in general dimension"
    if log:
        detail += f"; {len(log)} matrix derivative(s) re-checked element-wise at n=2,3"
    return unless_vacuous(ctx, Verdict("proved", "prove_general", detail=detail))


def unless_vacuous(ctx: Context, proof: Verdict,
                   fallback: Callable[[], PointResult | None] | None = None) -> Verdict | None:
    """A proof counts only if the claim is defined somewhere: a certified point where the
    assumptions hold and both sides exist.  A certified difference there refutes instead.
    ``fallback``: a point of the proof's own to try when the drawn points find none (the
    drawn points can miss a narrow region: p in (0, 1), x = 1 alone)."""
    seen = ctx.witness_any()
    if seen is None and fallback is not None:
        seen = fallback()
    if seen is None:
        ctx.note(f"{proof.method}: the residual cancels, but no point was found where both "
                 "sides are defined and the assumptions hold")
        return None
    if seen.differs:
        from verifier.strategies.counterexample import how, make_counterexample

        return Verdict("refuted", proof.method, detail=how(seen),
                       counterexample=make_counterexample(seen.values or {}, seen.sizes or {},
                                                          seen,
                                                          "found while checking that the "
                                                          "claim is defined"))
    return proof


# ----- sums of symbolic length -----


def _peel_sums(expr: Any) -> Any:
    """Align sums whose upper limits differ by a constant: Σ_{k=a}^{b} f = Σ_{k=a}^{b-1} f + f(b).

    Valid for every integer b under SymPy's (Karr's) convention for empty ranges, so the
    rewrite is sound; it lets Σ_{k=0}^{t} be compared with ρ·Σ_{k=0}^{t-1} + g(t).
    """
    for _ in range(8):
        sums = list(expr.atoms(sp.Sum))
        uppers = [s.limits[0][2] for s in sums if len(s.limits) == 1]
        changed = False
        for s in sums:
            if len(s.limits) != 1:
                continue
            k, a, b = s.limits[0]
            if any((b - u).is_Integer and b - u > 0 for u in uppers):
                peeled = sp.Sum(s.function, (k, a, b - 1)) + s.function.subs(k, b)
                expr = expr.xreplace({s: peeled})
                changed = True
        if not changed:
            break
    return expr


def _split_sums(expr: Any) -> tuple[Any, dict]:
    rest, sums = sp.Integer(0), {}
    for term in sp.Add.make_args(sp.expand(_peel_sums(expr))):
        found = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.Sum)]
        if len(found) == 1:
            s = found[0]
            coeff = term / s
            limits = s.limits
            var = limits[0][0]
            if var in coeff.free_symbols:
                rest += term
                continue
            sums[limits] = sums.get(limits, 0) + coeff * s.function
        else:
            rest += term
    return rest, sums


def prove_indexed(ctx: Context) -> Verdict | None:
    built = build_general(ctx)
    if built is None:
        return None
    _, lhs, rhs, _ = built
    if _is_mat(lhs) or _is_mat(rhs):
        return None
    residual = lhs - rhs
    if not residual.has(sp.Sum) or residual.has(sp.Product):
        return None  # no sum to combine; a product over an index: the index form's
    residual = residual.doit(deep=False) if residual.has(sp.Derivative) else residual
    rest, sums = _split_sums(residual)
    if not is_zero(rest):
        return None
    for summand in sums.values():
        if not is_zero(summand):
            return None
    return unless_vacuous(ctx, Verdict(
        "proved",
        "prove_indexed",
        detail="sums of symbolic length combined; the summand simplifies to 0",
    ))
