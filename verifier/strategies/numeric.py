"""Strategy 6: numeric evidence.  It can check or refute, never prove.

Both sides are evaluated at random real points in 30-digit arithmetic; for a gradient
claim the right-hand side is also compared with central finite differences of f itself,
which does not trust SymPy's differentiation.  The worst relative error is reported.
"""

from __future__ import annotations

import mpmath
import sympy as sp

from verifier.instantiate import default_sizes
from verifier.strategies.base import (
    _MP_FUNCTIONS,
    BUILD_ERRORS,
    Built,
    Context,
    _mpmath_printer,
    compile_mp,
    fmt,
    real_value,
)
from verifier.verdict import Counterexample, Verdict

POINTS = 6
TOLERANCE = 1e-9  # relative; 30-digit evaluation leaves ~1e-25, FD with h=1e-10 ~1e-18
REFUTE_ABOVE = 1e-6  # a relative difference this large at a random point is no rounding
STEP = mpmath.mpf("1e-10")
DIGITS = 30


def _float_point(ctx: Context, syms: list, built: Built) -> list:
    return [mpmath.mpf(real_value(ctx.rng, built.inst.domains[s])) for s in syms]


def _f_compiled(ctx: Context, built: Built, syms: list):
    """f (the scalar of a gradient claim) as an mpmath function, and the wrt entries' slots."""
    c = ctx.claim
    env = built.inst.env
    f = c.f(env)  # type: ignore[misc]
    f = f[0, 0] if isinstance(f, sp.MatrixBase) else f
    f = built.inst.apply(f)
    fn = sp.lambdify(syms, f, modules=[_MP_FUNCTIONS, "mpmath"], printer=_mpmath_printer())
    x = env[c.wrt]  # type: ignore[index]
    xm = x if isinstance(x, sp.MatrixBase) else sp.Matrix([[x]])
    slots = [[syms.index(xm[i, j]) for j in range(xm.shape[1])] for i in range(xm.shape[0])]
    return fn, slots


def _fd(fn, slots, point, layout: str) -> list:
    """Central differences of f w.r.t. each entry of the wrt variable (numerator: transposed)."""
    rows = []
    for row in slots:
        out = []
        for k in row:
            plus, minus = list(point), list(point)
            plus[k] += STEP
            minus[k] -= STEP
            out.append((fn(*plus) - fn(*minus)) / (2 * STEP))
        rows.append(out)
    if layout == "numerator":
        rows = [list(r) for r in zip(*rows, strict=True)]
    return [v for r in rows for v in r]


def check_numeric(ctx: Context) -> Verdict | None:
    worst = 0.0
    used: list[dict[str, int]] = []
    for sizes in default_sizes(ctx.claim):
        evaluated = 0
        for _ in range(POINTS):
            idx = ctx.random_index(sizes)
            try:
                built = ctx.build(sizes, idx)
            except BUILD_ERRORS:
                return None
            syms, fn = compile_mp(built)
            if fn is None:
                return None
            fd = _f_compiled(ctx, built, syms) if ctx.claim.kind == "gradient" else None
            point = _float_point(ctx, syms, built)
            with mpmath.workdps(DIGITS):
                try:
                    lhs, rhs = fn(*point)
                    candidates = [("", [mpmath.mpmathify(v) for v in lhs])]
                    if fd is not None:
                        candidates.append(("finite differences of f",
                                           _fd(fd[0], fd[1], point, ctx.claim.layout)))
                    rhs = [mpmath.mpmathify(v) for v in rhs]
                except (ValueError, TypeError, ZeroDivisionError, OverflowError):
                    continue  # undefined here (a pole, a log of a negative): another point
                if not all(isinstance(v, mpmath.mpf) for _, g in candidates for v in g + rhs):
                    continue  # complex values: not a real point
                evaluated += 1
                scale = max([mpmath.mpf(1)] + [abs(v) for v in rhs])
                for note, got in candidates:
                    err = float(max(abs(a - b) for a, b in zip(got, rhs, strict=True)) / scale)
                    if err > REFUTE_ABOVE:
                        return _refuted(ctx, built, syms, point, got, rhs, sizes, note, err)
                    worst = max(worst, err)
        if evaluated:
            used.append(sizes)
    if not used or worst > TOLERANCE:
        return None
    fd_text = " and central finite differences of f" if ctx.claim.kind == "gradient" else ""
    return Verdict(
        "checked",
        "check_numeric",
        detail=f"agrees at {POINTS} random points per size{fd_text} (30 digits)",
        max_error=worst,
        sizes=tuple(used),
    )


def _refuted(ctx, built, syms, point, got, rhs, sizes, note, err) -> Verdict:
    subs = {s: sp.Float(str(v), 20) for s, v in zip(syms, point, strict=True)}
    values = {
        k: fmt(v.xreplace(subs) if hasattr(v, "xreplace") else v, False)
        for k, v in built.inst.symbol_values().items()
    }
    shape = built.rhs.shape
    g = sp.Matrix(shape[0], shape[1], [sp.Float(str(v), 20) for v in got])
    r = sp.Matrix(shape[0], shape[1], [sp.Float(str(v), 20) for v in rhs])
    cx = Counterexample(values=values, lhs=fmt(g, False), rhs=fmt(r, False),
                        difference=fmt(g - r, False), exact=False, sizes=dict(sizes), note=note)
    return Verdict("refuted", "check_numeric",
                   detail=f"relative difference {err:.3g} at a random point",
                   counterexample=cx, max_error=err)
