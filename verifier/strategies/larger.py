"""After a verdict that rests on fixed sizes: look for a counterexample at larger ones.

A polynomial in n can vanish at n = 1, 2, 3 (``(n−1)(n−2)(n−3)·Σx = 0``, Newton's identity
for e₄), so ``proved-at-sizes`` and ``checked`` are followed by certified random points at
every size up to 6 (values drawn directly, sides built from them: no symbolic expansion).
Any counterexample there refutes the claim; otherwise the sizes tried are named.

A gradient claim is screened along a random rational direction v first: the directional
derivative d/dt f(x + tv) at t = 0 is one derivative instead of one per entry, and it equals
⟨∇f, v⟩, so it differs from ⟨rhs, v⟩ whenever a random v sees the gradients differ.  Only a
point the screen flags is evaluated in full, by the certified audit.
"""

from __future__ import annotations

import mpmath
import sympy as sp

from verifier import ops
from verifier.audit import (
    BUILD_ERRORS,
    PointResult,
    as_matrix,
    evaluate_point,
    symbolic_names,
)
from verifier.certify import UndefinedValue
from verifier.domains import CommutePlan, Contradictory, commute_plan
from verifier.instantiate import Unsupported, concrete, default_sizes, larger_sizes, side_values
from verifier.strategies.context import VACUOUS, Context
from verifier.strategies.counterexample import how, make_counterexample
from verifier.strategies.exact import builds_slowly, has_kinks
from verifier.strategies.numeric import differing_extreme
from verifier.strategies.quick import MP_FUNCTIONS, NO_DOCSTRING, evaluate, special_points
from verifier.strategies.timing import clock
from verifier.verdict import Verdict

TRIES = 3  # points per larger size until one is defined


def describe(sizes: list[dict[str, int]]) -> str:
    return "; ".join(", ".join(f"{k}={v}" for k, v in s.items()) for s in sizes)


def _directional(ctx: Context, sizes: dict, values: dict, idx: dict) -> str:
    """``agree`` / ``differ`` (a candidate) / ``unknown`` for a gradient claim along a
    random direction."""
    claim = ctx.claim
    if symbolic_names(claim) != frozenset({claim.wrt}):
        return "unknown"
    x0 = sp.Matrix(values[claim.wrt]) if isinstance(values[claim.wrt], sp.MatrixBase) \
        else sp.Matrix([[values[claim.wrt]]])
    v = sp.Matrix(*x0.shape, lambda i, j: sp.Rational(ctx.rng.randint(-9, 9) or 1,
                                                         ctx.rng.randint(1, 4)))
    t = sp.Symbol("_t", real=True)
    moved = dict(values)
    moved[claim.wrt] = x0 + t * v if x0.shape != (1, 1) or isinstance(
        values[claim.wrt], sp.MatrixBase) else x0[0, 0] + t * v[0, 0]
    try:
        inst, _ = concrete(claim, sizes, moved, frozenset(), idx)
        f = ops.sc(claim.f(inst.env))  # type: ignore[misc]
        if isinstance(f, sp.MatrixBase) or f.has(sp.nan, sp.zoo):
            return "unknown"
        inst2, _ = concrete(claim, sizes, values, frozenset(), idx)
        rhs = as_matrix(side_values(inst2, claim.rhs, claim))
        if claim.layout == "numerator":
            rhs = rhs.T
        if rhs.shape != v.shape:
            return "unknown"
        along = sum(rhs[i, j] * v[i, j] for i in range(v.shape[0]) for j in range(v.shape[1]))
        return _slope_matches(f, t, along)
    except (ops.Undefined, ops.NotAVariable, UndefinedValue, *BUILD_ERRORS):
        return "unknown"


def _slope_matches(f, t, along) -> str:
    """Does d/dt f at t = 0 (numerically, at 50 digits with extrapolation) match ``along``?
    A screen only: a mismatch sends the point to the certified audit, and a match is
    recorded as "no counterexample found", never as a proof."""
    fn = sp.lambdify(t, f, modules=[MP_FUNCTIONS, "mpmath"], docstring_limit=NO_DOCSTRING)
    with mpmath.workdps(50):
        try:
            slope = mpmath.diff(lambda u: mpmath.re(fn(u)), 0)
            target = mpmath.mpf(sp.N(along, 50))
        except (ValueError, TypeError, ZeroDivisionError, OverflowError):
            return "unknown"
        if not (mpmath.isfinite(slope) and mpmath.isfinite(target)):
            return "unknown"
        scale = max(mpmath.mpf(1), abs(target))
        return "agree" if abs(slope - target) <= mpmath.mpf("1e-25") * scale else "differ"


def _agreeing_needed(ctx: Context) -> int:
    """Defined points a larger size needs: two, or four where commuting pairs are drawn
    from several families (B = p(A), A = cI, a repeated eigenvalue) and a claim can fail
    on one alone."""
    plan = commute_plan(ctx.claim)
    # two: one point can agree by a coincidence of small rationals (a 4×4 skew M drawn with
    # Pfaffian 0 let det(βM) = β² det M pass at n = 4, and "holds if β nonnegative" was
    # offered)
    return 4 if (not isinstance(plan, CommutePlan) or bool(plan.gap)) else 2


def _at(ctx: Context, sizes: dict) -> PointResult | None:
    """A defined point at this size: its audit (``differ``, or ``agree`` once enough points
    agree), or None."""
    needed = _agreeing_needed(ctx)
    agreed: PointResult | None = None
    count = 0
    for k in range(TRIES * needed):
        try:  # generic values first: 0 and ±1 hide the differences of polynomial identities;
            # the first point puts every free index at its last value, new at this size
            values, idx = ctx.sample_point(sizes, 0.0 if k < 2 else 0.4, generic=k < 2,
                                           last_index=k == 0)
        except Contradictory as exc:
            ctx.note(str(exc))
            return None
        if ctx.claim.kind == "gradient" and _directional(ctx, sizes, values, idx) == "agree":
            res = PointResult("agree", "along a random direction", values=values, sizes=sizes)
            agreed, count = agreed or res, count + 1
            if count >= needed:
                return agreed
            continue
        res = evaluate_point(ctx.claim, sizes, values, idx)
        if res.status == "differ":
            return res
        if res.status == "agree":
            agreed, count = agreed or res, count + 1
            if count >= needed:
                break
    return differing_extreme(ctx, sizes) or agreed


def _beyond_proof_sizes(claim, sizes: dict[str, int]) -> bool:
    """Is some dimension larger here than at every proof size?  (Size 1 is tried too, but
    agreement there is no evidence past the proof sizes.)"""
    top = {d: max(s[d] for s in default_sizes(claim)) for d in sizes}
    return any(v > top[d] for d, v in sizes.items())


# CPU time for the special points of a kinked claim at the larger sizes: on the wall clock a
# busy machine tried fewer of them, and (x₀ ∈ (1/3, 1/2))·(x₁ ∈ (2/3, 3/4))·1[n > 3] = 0,
# refuted at n = 4 on a quiet machine, was "proved at sizes" on a busy one
SPECIAL_SECONDS = 4.0


def _special_at(ctx: Context, sizes: dict, deadline: float) -> PointResult | None:
    """A certified difference among the special points of a kinked claim at this size (its
    switches, the midpoints between them, nudges): (x₀ ∈ (1/3, 1/2))·1[n > 3] = 0 is 0 at
    the proof sizes and differs at n = 4 on a window no random point enters; it was
    "proved-at-sizes"."""
    # every free index at its last value: the one a smaller size lacks ((i > 5) matters at
    # i = 6 alone when n = 7)
    try:
        built = ctx.build(sizes, ctx.last_index(sizes), 0, partial=True)
    except (*VACUOUS, Unsupported, *BUILD_ERRORS):
        return None
    if built.lhs.shape != built.rhs.shape:
        return None
    for point in special_points(ctx.rng, built):
        if clock() > deadline:
            return None
        ev = evaluate(built, point)
        if ev.defined and ev.nonzero:
            res = ctx.audit_point(built, point)
            if res.differs:
                return res
    return None


def refute_at_larger_sizes(ctx: Context) -> tuple[Verdict | None, list[dict[str, int]]]:
    """(a refutation, or None; the larger sizes where a defined point agreed)."""
    agreed_at: list[dict[str, int]] = []
    # kinks read from the claim's text only: a Python builder's are unknown, and its larger
    # sizes can be large expressions ((AB)ᵀ with A, B commuting at n = 5: 9 s only to
    # list kink arguments), which ran the larger sizes out of time and lost a condition
    kinked = has_kinks(ctx.claim, builders=False) and not builds_slowly(ctx.claim)
    proof_sizes = default_sizes(ctx.claim)
    deadline = clock() + SPECIAL_SECONDS
    for sizes in larger_sizes(ctx.claim):
        res = _at(ctx, sizes)
        # every size the proofs did not cover, n = 1 among them ((x₀ ∈ (1/3, 1/2))·1[n < 2])
        if (kinked and (res is None or not res.differs) and clock() < deadline
                and sizes not in proof_sizes):
            res = _special_at(ctx, sizes, deadline) or res
        if res is None:
            continue
        if res.differs:
            detail = f"{how(res)}, at {describe([sizes])} (outside the sizes first tried)"
            return Verdict("refuted", "refute_larger_sizes", detail=detail,
                           counterexample=make_counterexample(res.values or {}, sizes, res)), \
                agreed_at
        if _beyond_proof_sizes(ctx.claim, sizes):
            agreed_at.append(sizes)
    return None, agreed_at
