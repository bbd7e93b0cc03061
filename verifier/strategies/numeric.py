"""Strategy 6: numeric evidence.  It can check or refute, never prove.

Both sides are evaluated at random real points in 30-digit arithmetic; for a gradient
claim the right-hand side is also compared with central finite differences of f itself,
which does not trust SymPy's differentiation.  The worst relative error is reported.
"""

from __future__ import annotations

import mpmath
import sympy as sp

from verifier.instantiate import default_sizes
from verifier.strategies.base import BUILD_ERRORS, Built, Context, fmt
from verifier.verdict import Counterexample, Verdict

POINTS = 6
TOLERANCE = 1e-9  # relative; 30-digit evaluation leaves ~1e-25, FD with h=1e-10 ~1e-18
STEP = mpmath.mpf("1e-10")
DIGITS = 30


def _float_point(ctx: Context, built: Built) -> dict:
    point = {}
    for s, (kind, data) in built.inst.domains.items():
        if kind == "integer":
            point[s] = sp.Integer(ctx.rng.randint(1, 6))
            continue
        if kind == "interval":
            lo, hi, _, _ = data
            v = lo + (hi - lo) * ctx.rng.uniform(0.05, 0.95)
        else:
            v = ctx.rng.uniform(0.2, 2.0) * (1 if kind in ("positive", "nonneg") else
                                              ctx.rng.choice((-1, 1)))
            if kind == "negative":
                v = -abs(v)
        point[s] = sp.Float(v, DIGITS)
    return point


def _value(expr, point):
    v = sp.N(expr.xreplace(point), DIGITS)
    if not v.is_Number:
        raise ValueError("not a real number")
    return mpmath.mpf(str(v))


def _fd_gradient(ctx: Context, built: Built, point: dict):
    """Central differences of f w.r.t. the entries of the wrt variable (numerator: transposed)."""
    c = ctx.claim
    env = built.inst.env
    f = sp.Matrix([[c.f(env)]]) if not isinstance(c.f(env), sp.MatrixBase) else c.f(env)
    f = built.inst.apply(f[0, 0])
    x = env[c.wrt]
    xm = x if isinstance(x, sp.MatrixBase) else sp.Matrix([[x]])
    out = sp.zeros(*xm.shape)
    with mpmath.workdps(DIGITS):
        for i in range(xm.shape[0]):
            for j in range(xm.shape[1]):
                e = xm[i, j]
                base = point.get(e, sp.Float(0))
                plus = dict(point)
                minus = dict(point)
                plus[e] = base + sp.Float(STEP, DIGITS)
                minus[e] = base - sp.Float(STEP, DIGITS)
                out[i, j] = sp.Float((_value(f, plus) - _value(f, minus)) / (2 * STEP), DIGITS)
    return out.T if c.layout == "numerator" else out


def check_numeric(ctx: Context) -> Verdict | None:
    worst = 0.0
    used: list[dict[str, int]] = []
    for sizes in default_sizes(ctx.claim):
        for _ in range(POINTS):
            idx = ctx.random_index(sizes)
            try:
                built = ctx.build(sizes, idx)
            except BUILD_ERRORS:
                return None
            point = _float_point(ctx, built)
            try:
                with mpmath.workdps(DIGITS):
                    lhs = built.lhs.applyfunc(lambda e, p=point: sp.Float(_value(e, p), DIGITS))
                    rhs = built.rhs.applyfunc(lambda e, p=point: sp.Float(_value(e, p), DIGITS))
                    comparisons = [lhs]
                    if ctx.claim.kind == "gradient":
                        comparisons.append(_fd_gradient(ctx, built, point))
            except (ValueError, TypeError, ZeroDivisionError):
                continue  # undefined here (a pole, a log of a negative): try another point
            for got in comparisons:
                scale = max([1.0] + [abs(float(v)) for v in rhs])
                err = max(abs(float(a - b)) for a, b in zip(got, rhs, strict=True)) / scale
                if err > 1e-6:
                    values = {
                        k: fmt(v.xreplace(point) if hasattr(v, "xreplace") else v, False)
                        for k, v in built.inst.symbol_values().items()
                    }
                    cx = Counterexample(
                        values=values,
                        lhs=fmt(got, False),
                        rhs=fmt(rhs, False),
                        difference=fmt(got - rhs, False),
                        exact=False,
                        sizes=dict(sizes),
                        note="finite differences of f" if got is not lhs else "",
                    )
                    return Verdict(
                        "refuted",
                        "check_numeric",
                        detail=f"relative difference {err:.3g} at a random point",
                        counterexample=cx,
                        max_error=err,
                    )
                worst = max(worst, err)
        used.append(sizes)
    if not used or worst > TOLERANCE:
        return None
    fd = " and central finite differences of f" if ctx.claim.kind == "gradient" else ""
    return Verdict(
        "checked",
        "check_numeric",
        detail=f"agrees at {POINTS * len(used)} random points per side{fd}",
        max_error=worst,
        sizes=tuple(used),
    )
