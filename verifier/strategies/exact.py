"""Strategy 2: refutation at small rational points, certified, shrunk to readable values.

Random small integers and simple fractions, and now and then a special value (0, ±1, 10^±k,
larger integers, the ends of an interval), non-symmetric unless an assumption gives
structure (symmetric samples would hide a missing transpose).  Every structure's components
are sampled (an orthogonal matrix of det −1, not only rotations).  A point the quick
evaluation flags is a *candidate*; only the certified audit (``Context.audit_point``:
assumptions checked on the values, both sides defined, the difference certified) makes it a
counterexample, and every shrink step is audited the same way.

A claim whose symbolic build is slow (``builds_slowly``: inverses, determinants or block
matrices of matrix expressions, where a 3×3 build of nested adjugates can take minutes) is
searched at points built from their rational values instead: each point is the certified
audit itself (milliseconds), and so is each shrink step.
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from verifier.audit import PointResult, evaluate_point
from verifier.claim import Claim
from verifier.domains import ANY, Contradictory, scalar_domain, shrink_candidates
from verifier.instantiate import Unsupported, refutation_sizes
from verifier.language import CompiledExpr
from verifier.language.functions import KINKED as _KINKED
from verifier.language.tree import Call, Compare, walk
from verifier.strategies.context import BUILD_ERRORS, VACUOUS, Context, size_key
from verifier.strategies.counterexample import how, make_counterexample
from verifier.strategies.lines import commuting_lines
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
        found = _first_difference(ctx, built, special_points(ctx.rng, built))
        if found is not None:
            return found
    return None


def _first_difference(ctx: Context, built: Built, points):
    """The first of ``points`` the quick path flags and the audit confirms:
    (built, point, audit result), or None."""
    for point in points:
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
    return None


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
    def accepted(trial: dict) -> bool:
        return evaluate(built, trial).nonzero and ctx.audit_point(built, trial).differs

    out = _shrink_pass(ctx, built, point, accepted)
    if out == point:
        return point, res
    final = ctx.audit_point(built, out)
    return (out, final) if final.differs else (point, res)


def _shrink_pass(ctx: Context, built: Built, point: dict, differs) -> dict:
    for sym in sorted(point, key=str):
        dom = built.inst.domains[sym]
        for cand in shrink_candidates(dom) + rounded(point[sym], dom):
            if point[sym] == cand:
                break
            trial = dict(point)
            trial[sym] = cand
            if differs(trial):
                point = trial
                break
    return point


LONG_DENOMINATOR = 10**4  # a value past it is tried rounded
ROUNDING_DIGITS = 8


def rounded(v: Any, dom: Any) -> list[sp.Rational]:
    """A long rational's roundings in its domain, coarsest first: the integers beside it,
    then 1, 2, … significant digits, each down and up. A point found at a root of a switch
    (10⁻⁵⁰ from it) differs there by as little, invisible in double precision; x = −2 beside
    the root −1.8846… of x·σ(x) + 3σ(−3) − 2m·σ(m) shows the same failure plainly."""
    if not (isinstance(v, sp.Rational) and v.q > LONG_DENOMINATOR):
        return []
    out = [sp.floor(v), sp.ceiling(v)]
    if v != 0:
        top = sp.floor(sp.log(abs(v), 10))  # v's leading decimal place
        for d in range(1, ROUNDING_DIGITS + 1):
            unit = sp.Rational(10) ** (top + 1 - d)
            out += [sp.floor(v / unit) * unit, sp.ceiling(v / unit) * unit]
    return [c for c in dict.fromkeys(out) if c != v and dom.contains(c)]


def counterexample(ctx: Context, built: Built, point: dict, res: PointResult,
                   note: str = "") -> Counterexample:
    return make_counterexample(ctx.values_at(built, point), built.inst.sizes, res, note)


# ----- claims whose symbolic build is slow: points built from their values -----


def builds_slowly(claim: Claim) -> bool:
    """Sides in the claim language that invert, or take the determinant of, a matrix
    expression, or assemble a block matrix; that differentiate nothing and have no kinks
    or jumps (the special points at a kink are found on a symbolic build)."""
    sides = [claim.lhs, claim.rhs]
    if claim.kind == "gradient" or not all(isinstance(s, CompiledExpr) for s in sides):
        return False
    heavy = False
    for side in sides:
        for node in walk(side.tree):  # type: ignore[union-attr]
            if isinstance(node, Compare):
                return False
            if not isinstance(node, Call):
                continue
            if node.fn == "grad" or node.fn in _KINKED:
                return False
            if node.fn == "block" or (node.fn in ("inv", "det")
                                      and node.args[0].shape.is_matrix):
                heavy = True
    return heavy


def _search_direct(ctx: Context, points: int = POINTS_PER_SIZE):
    """Points drawn at every small size and audited directly; the first that differs, as
    (sizes, values, index values, audit result)."""
    for k, sizes in enumerate(refutation_sizes(ctx.claim)):
        # the all-ones size is nearly scalar: fewer points there, as the symbolic search
        for t in range(2 if k == 0 and ctx.claim.dims and not ctx.claim.sizes else points):
            res = None
            for r in range(RESAMPLES // 2):  # redraw until both sides are defined
                try:
                    values, idx = ctx.sample_point(sizes, SPECIAL if (t + r) % 2 else 0.0)
                except Contradictory as exc:
                    ctx.note(str(exc))
                    break
                res = evaluate_point(ctx.claim, sizes, values, idx)
                if res.status in ("agree", "differ"):
                    break
            if res is None:
                break
            if res.status == "agree":
                ctx.witnessed.setdefault(size_key(sizes), res)
            if res.differs:
                return sizes, values, idx, res
    return None


SHRINK_AUDITS = 16  # trials of a shrink from values: each is a full audit


def _shrink_direct(ctx: Context, sizes: dict, values: dict, idx: dict, res: PointResult
                   ) -> tuple[dict, PointResult]:
    """Simpler values, each trial audited (a structured matrix keeps a change only if the
    audit still finds its assumptions hold): a matrix at once to I or 0, else entry by entry
    toward 0 and ±1 (a scalar also toward 2 and ½); two passes, at most ``SHRINK_AUDITS``
    trials."""
    claim = ctx.claim
    left = SHRINK_AUDITS

    def differs(name: str, value: Any) -> PointResult | None:
        nonlocal left
        left -= 1
        r = evaluate_point(claim, sizes, dict(values, **{name: value}), idx)
        return r if r.differs else None

    for d in 2 * sorted(claim.symbols, key=lambda d: d.name):  # twice: values interact
        if d.kind == "index" or d.name not in values:
            continue
        v = values[d.name]
        if isinstance(v, sp.MatrixBase):
            simple = ([sp.eye(v.rows)] if v.rows == v.cols else []) + [sp.zeros(*v.shape)]
            slots = [(i, j) for i in range(v.rows) for j in range(v.cols)]
            cands = shrink_candidates(ANY)[:3 if len(slots) > 1 else None]  # 0, ±1 (2, ½)
        else:
            simple, slots = [], [None]
            cands = shrink_candidates(scalar_domain(claim, d.name))
        if any(v == m for m in simple):
            continue
        whole = None
        for m in simple:
            if left > 0 and (whole := differs(d.name, m)) is not None:
                values, res = dict(values, **{d.name: m}), whole
                break
        if whole is not None:
            continue
        for slot in slots:
            for cand in cands:
                current = values[d.name]
                if left <= 0 or (current[slot] if slot else current) == cand:
                    break
                trial_value = current.copy() if slot else cand
                if slot:
                    trial_value[slot] = cand
                r = differs(d.name, trial_value)
                if r is not None:
                    values, res = dict(values, **{d.name: trial_value}), r
                    break
    return values, res


# A refuted claim's shrunk point, for the condition search in the same process: the claim
# under a candidate condition (the same sides, one assumption more) tries it first, one audit
# instead of a search and a shrink per candidate (a point it finds itself is not shrunk).
# Only a claim with strictly more assumptions uses it, so a claim's own counterexample is
# always found afresh (reproducible by its seed); every use is audited.
_REFUTED: dict[tuple, list] = {}
_REFUTED_KEEP = 64


def _sides_key(claim: Claim) -> tuple:
    return (claim.id, claim.kind, claim.layout, repr(claim.symbols), repr(claim.lhs),
            repr(claim.rhs))


def _assumed(claim: Claim) -> frozenset[str]:
    return frozenset(a.phrase() for a in claim.assumptions)


def _candidate(claim: Claim) -> bool:
    """Is this the claim under a candidate condition (a version with fewer assumptions was
    refuted in this process)?  Its counterexample only decides the search, so it is not
    shrunk."""
    mine = _assumed(claim)
    return any(assumed < mine for assumed, *_ in _REFUTED.get(_sides_key(claim), ()))


def _known_point(ctx: Context):
    mine = _assumed(ctx.claim)
    for assumed, sizes, values, idx in _REFUTED.get(_sides_key(ctx.claim), ()):
        if assumed < mine:
            r = evaluate_point(ctx.claim, sizes, values, idx)
            if r.differs:
                return sizes, values, idx, r
    return None


def _remember(claim: Claim, sizes: dict, values: dict, idx: dict) -> None:
    if len(_REFUTED) >= _REFUTED_KEEP:
        _REFUTED.pop(next(iter(_REFUTED)))
    points = _REFUTED.setdefault(_sides_key(claim), [])
    points[:] = points[-3:] + [(_assumed(claim), sizes, values, idx)]


def _refute_direct(ctx: Context) -> Verdict | None:
    known = _known_point(ctx)
    if known is not None:
        sizes, values, _, res = known
        return Verdict("refuted", "refute_exact", detail=how(res),
                       counterexample=make_counterexample(values, sizes, res))
    found = _search_direct(ctx)
    if found is None:
        return None
    sizes, values, idx, res = found
    if not _candidate(ctx.claim):
        values, res = _shrink_direct(ctx, sizes, values, idx, res)
        _remember(ctx.claim, sizes, values, idx)
    cx = make_counterexample(values, sizes, res)
    return Verdict("refuted", "refute_exact", detail=how(res), counterexample=cx)


def _refuted(ctx: Context, found, method: str) -> Verdict | None:
    if found is None:
        return None
    built, point, res = found
    point, res = shrink(ctx, built, point, res)
    cx = counterexample(ctx, built, point, res)
    return Verdict("refuted", method, detail=how(res), counterexample=cx)


def refute_exact(ctx: Context) -> Verdict | None:
    """Random small rational points at the small sizes (cheap, and decisive for most false
    claims)."""
    if builds_slowly(ctx.claim):
        return _refute_direct(ctx)
    return _refuted(ctx, find_counterexample(ctx), "refute_exact")


def refute_special(ctx: Context) -> Verdict | None:
    """The special points (0, ±1, 10^±k, large integers, the ends of a domain) and the points
    at and near every kink, at one small size.  A proof covers them, so this runs only where
    no proof was found, before any numeric evidence is gathered."""
    if builds_slowly(ctx.claim):
        return None
    found = _search_suspects(ctx)
    if found is None:
        sizes_list = refutation_sizes(ctx.claim)
        # one small size (2 where there are dimensions: 1 is nearly scalar)
        first = sizes_list[min(1, len(sizes_list) - 1)]
        # commuting pairs first: cheap (built from values), and the symbolic special
        # points of three matrices can take the whole budget
        if any(a.kind == "commute" for a in ctx.claim.assumptions):
            v = _search_commuting(ctx, first)
            if v is not None:
                return v
        found = _search_special(ctx, first)
        # a window of a kinked claim may exist from the next size only: no symmetric 2×2
        # has trace 1/7 and det 1/3, a 3×3 has
        later = [s for s in sizes_list if s != first and sum(s.values()) > sum(first.values())]
        if found is None and later and has_kinks(ctx.claim):
            found = _search_special(ctx, later[0])
    return _refuted(ctx, found, "refute_special")


COMMUTING_DRAWS = 8  # commuting pairs drawn, each followed along its lines


def _search_commuting(ctx: Context, sizes: dict) -> Verdict | None:
    """The switches along lines through drawn commuting pairs (``lines.commuting_lines``),
    audited directly: the build's own special points do not commute."""
    for k in range(COMMUTING_DRAWS):
        try:
            values, idx = ctx.sample_point(sizes, 0.6 if k % 2 else 0.0, generic=not k % 2)
        except Contradictory:
            return None
        for vals in commuting_lines(ctx.claim, sizes, values, idx):
            res = evaluate_point(ctx.claim, sizes, vals, idx)
            if res.differs:
                return Verdict("refuted", "refute_special", detail=how(res),
                               counterexample=make_counterexample(vals, sizes, res))
    return None


def has_kinks(claim: Claim, builders: bool = True) -> bool:
    """Comparisons or kinked functions in a side; a claim with a Python builder, whose kinks
    are unknown, answers ``builders`` (True: assumed kinked)."""
    sides = [s for s in (claim.lhs, claim.rhs, claim.f) if s is not None]
    if not all(isinstance(s, CompiledExpr) for s in sides):
        return builders
    for side in sides:
        for node in walk(side.tree):
            if isinstance(node, Compare) or (isinstance(node, Call) and node.fn in _KINKED):
                return True
    return False


SUSPECT_POINTS = 6


def _search_suspects(ctx: Context):
    """The cases where prove_at_sizes found a residual it could not show to be 0 (one value
    of the free indices, one labelling, one structure component): random and special points
    of that very case.  A claim false at one case of many (i = j = k = 2 of 27) is found
    here, where random cases miss it."""
    for built in ctx.suspects[:8]:
        if built.lhs.shape != built.rhs.shape:
            continue
        points = [random_point(ctx.rng, built, 0.3 if k % 2 else 0.0)
                  for k in range(SUSPECT_POINTS)]
        found = _first_difference(ctx, built,
                                  points + special_points(ctx.rng, built)[:SUSPECT_POINTS])
        if found is not None:
            return found
    return None


def replay(claim, cx: Counterexample):
    """Both sides of ``claim`` at a counterexample's values, recomputed from scratch
    (the certified audit's own evaluation, not the search's)."""
    from verifier.audit import audit

    r = audit(claim, cx)
    return r.lhs, r.rhs
