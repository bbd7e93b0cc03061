"""Strategy 6: numeric evidence.  It can check or refute, never prove.

Both sides are rebuilt at concrete rational points (``verifier.audit.evaluate_point``: every
assumption checked on the values, every definedness condition, the difference certified by
interval arithmetic at a precision that follows the magnitudes).  Half of the points are
ordinary small values, half lean on the special ones (0, ±1, 10^±k up to 10^±30, larger
integers, the ends of an interval), where claims that hold "almost everywhere" fail.  Two
sides agree at a point only when |lhs − rhs| ≤ 1e-30 is certified, an absolute test, so a
difference of 1 never passes, however large the values.  A gradient's left side is SymPy's
derivative of f entry by entry at a fixed size, which the element-wise evaluation trusts.
"""

from __future__ import annotations

from verifier.audit import evaluate_point
from verifier.domains import CommutePlan, Contradictory, commute_plan, sign_filtered_finite
from verifier.instantiate import Unsupported, default_sizes, switch_beyond
from verifier.strategies.context import BUILD_ERRORS, VACUOUS, Context
from verifier.strategies.counterexample import how, make_counterexample
from verifier.strategies.irrational import at_irrational_switches
from verifier.strategies.quick import irrational_switch, thin_switch
from verifier.verdict import Verdict

POINTS = 10  # per size: half ordinary, half leaning on special values
NEEDED = 4  # agreeing points a size needs to count
SPECIAL = 0.6
DEEP = 3  # agreeing points per size re-compared at the highest precision
REDRAWS = 8  # draws of an ordinary point until both sides are defined there
# binary and one-hot vectors/matrices: a claim about a finite set can differ at one value
# alone (det Y ≥ 3 among the 2¹⁶ binary 4×4 matrices, "checked" from 20 of them), so
# "checked" tries each value, and stands down past this many
ENUMERATED = 64


def agreeing_points(ctx: Context, sizes: dict, points: int = POINTS):
    """(the agreeing points as (values, index values), a certified counterexample or None)
    at one size."""
    agreed: list[tuple[dict, dict]] = []
    for k in range(points):
        ordinary = k < points // 2
        # an ordinary point where a side is undefined is drawn again: √a·√b = √(ab) is
        # defined on a quarter of the plane, and whether 4 of 5 draws met it depended on
        # the seed ("checked" at one, "undecided" at the next)
        for _ in range(REDRAWS if ordinary else 1):
            try:
                values, idx = ctx.sample_point(sizes, 0.0 if ordinary else SPECIAL,
                                               generic=ordinary)
            except Contradictory as exc:
                ctx.note(str(exc))
                return [], None
            res = evaluate_point(ctx.claim, sizes, values, idx)
            if res.status != "undefined":
                break
        if res.differs:
            return agreed, res
        if res.status == "agree":
            agreed.append((values, idx))
    return agreed, differing_extreme(ctx, sizes)


def differing_extreme(ctx: Context, sizes: dict):
    """The first extreme point (all-ones labels, an integer range at its end: never drawn at
    random) where the sides differ, else None."""
    return _first_differing(ctx, sizes, ctx.extreme_points)


def _first_differing(ctx: Context, sizes: dict, points):
    """The first of ``points(sizes)`` where the sides differ (None if none, or if the
    assumptions leave no such point)."""
    try:
        found = points(sizes)
    except Contradictory:
        found = []
    for values, idx in found:
        res = evaluate_point(ctx.claim, sizes, values, idx)
        if res.differs:
            return res
    return None


def _refuted(cx, sizes: dict) -> Verdict:
    return Verdict("refuted", "check_numeric", detail=how(cx),
                   counterexample=make_counterexample(cx.values or {}, sizes, cx))


def _unreached_switch(ctx: Context, sizes: dict) -> tuple[bool, str] | None:
    """(at irrational points?, why) agreement at the points tried says nothing of some switch
    of the claim: a kink argument that switches only at irrational points, or only where
    several parameters are tied at once (None if there is none)."""
    try:
        built = ctx.build(sizes, ctx.random_index(sizes), 0, partial=True)
    except (*VACUOUS, Unsupported, *BUILD_ERRORS):
        return None
    if (switch := irrational_switch(ctx.rng, built)) is not None:
        # "may": a transcendental switch is not solved, and may not vanish at all
        return True, (f"{switch} may vanish at irrational values only, which no rational "
                      "point reaches")
    if (switch := thin_switch(ctx.rng, built)) is not None:
        return False, (f"{switch} = 0 only where several parameters are tied at once (as "
                       "A² = 0 ties a nilpotent A's entries), which no point moved along one "
                       "parameter reaches")
    return None


def _points(ctx: Context) -> int:
    """Twice the points where commuting pairs are sampled from three families (B = p(A),
    A = cI, A with a repeated eigenvalue) of which a claim may fail on one alone."""
    plan = commute_plan(ctx.claim)
    return 2 * POINTS if (not isinstance(plan, CommutePlan) or bool(plan.gap)) else POINTS


def check_numeric(ctx: Context) -> Verdict | None:
    if finite := sign_filtered_finite(ctx.claim):
        ctx.note(f"{', '.join(finite)}: orthogonal with entries of one sign (signed "
                 "permutations), which the sampler reaches at a few points at most")
        return None
    if (far := switch_beyond(ctx.claim)) is not None:
        ctx.note(f"a comparison of sizes switches at {far}, past every size tried")
        return None
    used: list[dict[str, int]] = []
    total = 0
    points = _points(ctx)
    for sizes in default_sizes(ctx.claim):
        agreed, cx = agreeing_points(ctx, sizes, points)
        if cx is not None:
            return _refuted(cx, sizes)
        # agreement to 1e-30 is not equality: x/(x + e^-1000) = 1 differs by 10^-434
        # everywhere, so a "checked" verdict confirms its points at the highest precision
        for values, idx in agreed[:DEEP]:
            res = evaluate_point(ctx.claim, sizes, values, idx, deep=True)
            if res.differs:
                return _refuted(res, sizes)
        if len(agreed) >= NEEDED:
            labels, cases = ctx.labellings(sizes)
            if labels and cases > ENUMERATED:
                ctx.note(f"{cases} values of {', '.join(labels)} at {sizes}: too many to try "
                         "each, and agreement at some says nothing of the others")
                return None
            res = _first_differing(ctx, sizes, ctx.every_labelling) if labels else None
            if res is not None:
                return _refuted(res, sizes)
            used.append(sizes)
            total += len(agreed)
    if not used:
        return None
    found = _unreached_switch(ctx, used[0])
    if found is not None:
        irrational, unreached = found
        # where a switch sits only at irrational values, its exact roots may differ:
        # (x² > 2) + (x² < 2) = 1 at ±√2, (x ≥ π)(x ≤ π) = 0 at π
        if irrational and (res := at_irrational_switches(ctx, used[0])) is not None:
            return Verdict("refuted", "check_numeric",
                           detail=f"at an irrational root of a switch ({unreached}): "
                           f"{how(res)}",
                           counterexample=make_counterexample(res.values or {}, used[0], res))
        ctx.note(f"agrees at every point tried, but {unreached} (a claim can differ there)")
        return None
    return Verdict(
        "checked",
        "check_numeric",
        detail=f"agrees at {total} certified points ({points} per size, half of them at "
        "special values: 0, ±1, 10^±k, large integers); no proof",
        max_error=0.0,
        sizes=tuple(used),
    )
