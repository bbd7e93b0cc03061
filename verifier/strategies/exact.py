"""Strategy 2: refutation at small rational points, certified, shrunk to readable values.

Random small integers and simple fractions, and now and then a special value (0, ±1, 10^±k,
larger integers, the ends of an interval), non-symmetric unless an assumption gives
structure (symmetric samples would hide a missing transpose).  Every structure's components
are sampled (an orthogonal matrix of det −1, not only rotations).  A point the quick
evaluation flags is a *candidate*; only the certified audit (``Context.audit_point``:
assumptions checked on the values, both sides defined, the difference certified) makes it a
counterexample, and every shrink step is audited the same way.
"""

from __future__ import annotations

from verifier.audit import PointResult
from verifier.domains import shrink_candidates
from verifier.instantiate import Unsupported, refutation_sizes
from verifier.strategies.context import BUILD_ERRORS, VACUOUS, Context
from verifier.strategies.counterexample import how, make_counterexample
from verifier.strategies.quick import (
    Built,
    Evaluation,
    evaluate,
    random_point,
    special_points,
)
from verifier.verdict import Counterexample, Verdict

POINTS_PER_SIZE = 4
RESAMPLES = 12
SPECIAL = 0.25  # share of sampled values taken from the special points


def _search_size(ctx: Context, sizes: dict, tries: int):
    """Up to ``tries`` random builds at one size; the first audited counterexample."""
    try:
        count = ctx.components(sizes, partial=True)
    except Unsupported as exc:
        ctx.note(str(exc))
        return None
    if count == 0:
        ctx.note(f"no value satisfies the assumptions at sizes {sizes}")
        return None
    for t in range(tries):
        idx = ctx.random_index(sizes)
        comp = t % count if t < count else ctx.rng.randrange(count)
        try:
            built = ctx.build(sizes, idx, comp, partial=True)
        except VACUOUS:
            continue
        except BUILD_ERRORS:
            return None
        if built.lhs.shape != built.rhs.shape:
            return None
        ev: Evaluation | None = None
        for k in range(RESAMPLES):
            point = random_point(ctx.rng, built, SPECIAL if (t + k) % 2 else 0.0)
            ev = evaluate(built, point)
            if ev.defined:
                break
        if ev is None or not ev.defined:
            continue
        if not ev.nonzero:
            ctx.remember(built, point)
            continue
        res = ctx.audit_point(built, point)
        if res.differs:
            return built, point, res
    return None


def _search_special(ctx: Context, sizes: dict):
    """The special points of every component at one size (quick path, then the audit)."""
    try:
        count = ctx.components(sizes, partial=True)
    except Unsupported:
        return None
    for comp in range(min(count, 8)):
        try:
            built = ctx.build(sizes, ctx.random_index(sizes), comp, partial=True)
        except (*VACUOUS, *BUILD_ERRORS):
            continue
        if built.lhs.shape != built.rhs.shape:
            return None
        for point in special_points(ctx.rng, built):
            ev = evaluate(built, point)
            if not (ev.defined and ev.nonzero):
                continue
            res = ctx.audit_point(built, point)
            if res.differs:
                return built, point, res
    return None


def find_counterexample(ctx: Context, points: int = POINTS_PER_SIZE):
    """Search small sizes first; return (built, point, audit result) or None.

    The all-ones size gets fewer points (it is nearly scalar), the larger sizes ``points``.
    """
    sizes_list = refutation_sizes(ctx.claim)
    for k, sizes in enumerate(sizes_list):
        if not ctx.claim.dims:
            tries = 2 * points  # one size only: more points, half of them special
        else:
            tries = 2 if k == 0 and not ctx.claim.sizes else points
        found = _search_size(ctx, sizes, tries)
        if found is not None:
            return found
    # special points at one small size (2 where there are dimensions: 1 is nearly scalar)
    found = _search_special(ctx, sizes_list[min(1, len(sizes_list) - 1)])
    return found


def shrink(ctx: Context, built: Built, point: dict, res: PointResult
           ) -> tuple[dict, PointResult]:
    """Greedily replace values by simpler ones (0, 1, −1, …) while the sides still differ.

    The pass runs on the quick evaluation and its result is then audited; if the audit
    rejects it, the pass is redone with every step audited, so a shrunk point is always one
    the predicate accepts."""
    quick = _shrink_pass(ctx, built, point, lambda trial: evaluate(built, trial).nonzero)
    if quick != point:
        final = ctx.audit_point(built, quick)
        if final.differs:
            return quick, final
    audited: dict = {}

    def accepted(trial: dict) -> bool:
        if not evaluate(built, trial).nonzero:
            return False
        audited["last"] = ctx.audit_point(built, trial)
        return audited["last"].differs

    out = _shrink_pass(ctx, built, point, accepted)
    return (out, audited["last"]) if out != point else (point, res)


def _shrink_pass(ctx: Context, built: Built, point: dict, differs) -> dict:
    for sym in sorted(point, key=str):
        for cand in shrink_candidates(built.inst.domains[sym]):
            if point[sym] == cand:
                break
            trial = dict(point)
            trial[sym] = cand
            if differs(trial):
                point = trial
                break
    return point


def counterexample(ctx: Context, built: Built, point: dict, res: PointResult,
                   note: str = "") -> Counterexample:
    return make_counterexample(ctx.values_at(built, point), built.inst.sizes, res, note)


def refute_exact(ctx: Context) -> Verdict | None:
    found = find_counterexample(ctx)
    if found is None:
        return None
    built, point, res = found
    point, res = shrink(ctx, built, point, res)
    cx = counterexample(ctx, built, point, res)
    return Verdict("refuted", "refute_exact", detail=how(res), counterexample=cx)


def replay(claim, cx: Counterexample):
    """Both sides of ``claim`` at a counterexample's values, recomputed from scratch
    (the certified audit's own evaluation, not the search's)."""
    from verifier.audit import audit

    r = audit(claim, cx)
    return r.lhs, r.rhs
