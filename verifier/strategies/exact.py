"""Strategy 2: exact refutation at small rational points, shrunk to readable values.

Random small integers and simple fractions, non-symmetric unless an assumption gives
structure (symmetric samples would hide a missing transpose).  A rational residual is
exact; a transcendental one is evaluated to 50 digits and counts only far above its error
bound.  Only a concrete point refutes: a ``False`` from ``==`` never does.
"""

from __future__ import annotations

from verifier.instantiate import refutation_sizes
from verifier.strategies.base import (
    BUILD_ERRORS,
    Built,
    Context,
    Evaluation,
    as_matrix,
    evaluate,
    fmt,
    off_kink,
    sample_value,
    shrink_candidates,
)
from verifier.verdict import Counterexample, Verdict

POINTS_PER_SIZE = 3
RESAMPLES = 12


def _random_point(ctx: Context, built: Built) -> dict:
    return {s: sample_value(ctx.rng, dom) for s, dom in built.inst.domains.items()}


def find_counterexample(ctx: Context, points: int = POINTS_PER_SIZE):
    """Search small sizes first; return (built, point, evaluation) or None.

    The all-ones size gets fewer points (it is nearly scalar), the larger sizes ``points``.
    """
    for k, sizes in enumerate(refutation_sizes(ctx.claim)):
        tries = 2 if k == 0 and ctx.claim.dims and not ctx.claim.sizes else points
        for _ in range(tries):
            idx = ctx.random_index(sizes)
            try:
                built = ctx.build(sizes, idx)
            except BUILD_ERRORS:
                break
            if built.lhs.shape != built.rhs.shape:
                break
            for _ in range(RESAMPLES):
                point = _random_point(ctx, built)
                ev = evaluate(built, point)
                if ev.defined:
                    break
            else:
                continue
            if ev.nonzero and (not ctx.nonsmooth(built) or off_kink(built, point, ctx.rng)):
                return built, point, ev
    return None


def shrink(ctx: Context, built: Built, point: dict, ev: Evaluation) -> tuple[dict, Evaluation]:
    """Greedily replace values by 0, 1, -1 while the two sides still differ."""
    nonsmooth = ctx.nonsmooth(built)  # 0 and ties sit on the kinks of relu, |x|, max
    for sym in sorted(point, key=str):
        for cand in shrink_candidates(built.inst.domains[sym], not nonsmooth):
            if point[sym] == cand:
                break
            trial = dict(point)
            trial[sym] = cand
            tev = evaluate(built, trial)
            if tev.defined and tev.nonzero and (
                not nonsmooth or off_kink(built, trial, ctx.rng)
            ):
                point, ev = trial, tev
                break
    return point, ev


def counterexample(ctx: Context, built: Built, point: dict, ev: Evaluation) -> Counterexample:
    values = {}
    for name, val in built.inst.symbol_values().items():
        v = val.xreplace(point) if hasattr(val, "xreplace") else val
        values[name] = fmt(v)
    diff = (ev.lhs - ev.rhs).applyfunc(lambda t: t)
    return Counterexample(
        values=values,
        lhs=fmt(ev.lhs, ev.exact),
        rhs=fmt(ev.rhs, ev.exact),
        difference=fmt(diff, ev.exact),
        exact=ev.exact,
        sizes=dict(built.inst.sizes),
    )


def refute_exact(ctx: Context) -> Verdict | None:
    found = find_counterexample(ctx)
    if found is None:
        return None
    built, point, ev = found
    point, ev = shrink(ctx, built, point, ev)
    cx = counterexample(ctx, built, point, ev)
    how = "exact rational residual" if ev.exact else "50-digit residual far above its error"
    return Verdict("refuted", "refute_exact", detail=how, counterexample=cx)


def replay(claim, cx: Counterexample):
    """Both sides of ``claim`` at a counterexample's values, recomputed from scratch.

    Used to confirm a reported counterexample independently of the search that found it.
    Only unstructured symbols are replayed (a counterexample is reported for the claim
    without the condition, where every entry is free).
    """
    import sympy as sp

    from verifier.instantiate import explicit, side_values

    idx = {n: int(v) for n, v in cx.values.items() if claim.decls[n].kind == "index"}
    inst = explicit(claim, dict(cx.sizes), idx)
    point = {}
    for name, value in cx.values.items():
        v = inst.env[name]
        if isinstance(v, sp.MatrixBase):
            rows = value if isinstance(value, list) else [[value]]
            for i in range(v.shape[0]):
                for j in range(v.shape[1]):
                    point[v[i, j]] = sp.Rational(rows[i][j])
        elif isinstance(v, sp.Symbol):
            point[v] = sp.Rational(value)
    lhs = side_values(inst, None, claim, gradient_lhs=True) if claim.kind == "gradient" \
        else side_values(inst, claim.lhs, claim)
    rhs = side_values(inst, claim.rhs, claim)
    return as_matrix(lhs).xreplace(point), as_matrix(rhs).xreplace(point)
