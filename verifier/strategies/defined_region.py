"""Strategy: a scalar identity proved on the region where its sides' symbols meet the
conditions for both sides to be defined.

A claim holds where both sides are defined. When a side is defined only where a scalar symbol
is positive (log x, x^(-1/2)), nonnegative (√x) or nonzero (1/x), every point where the claim
is defined has that sign, so the residual may be shown 0 with the symbol given the sign:
log(xy) = log x + log y for x, y positive, √(xy) = √x√y, log(x²) = 2 log x. Only conditions on
one symbol are used (x·y positive says nothing about each factor), and each is necessary
for definedness (ops.Requirement), so the region contains every defined point. Without it
SymPy keeps log(xy) whole (x could be negative) and such claims were only checked.

A condition on a linear function of one symbol bounds it: 1 − p > 0 says p < 1, −x ≥ 0 says
x ≤ 0. A symbol bounded on one side is written as its bound ± a fresh positive (or
nonnegative) symbol, one bounded on both as lo + (hi − lo)·u/(1 + u) for u > 0 (every point
of (lo, hi) once), its closed ends substituted separately: log(p/(1 − p)) = log p − log(1 − p)
is proved for p in (0, 1).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import sympy as sp

from verifier.audit import PointResult, evaluate_point
from verifier.strategies.context import Context
from verifier.strategies.general import build_general, unless_vacuous
from verifier.strategies.zero import is_zero
from verifier.verdict import Verdict

__all__ = ["prove_where_defined"]

# the signs a requirement may give its symbol
_SIGNS = ("nonzero", "nonnegative", "positive")
MAX_CASES = 8  # residuals tried per claim (closed ends of intervals, each substituted)


@dataclass(frozen=True)
class _End:
    """One end of a symbol's interval: the value and whether it is excluded."""

    value: sp.Rational
    strict: bool


@dataclass(frozen=True)
class _Interval:
    lo: _End | None
    hi: _End | None
    holes: frozenset  # values excluded (a nonzero requirement)


def _one_symbol_condition(r, free: set) -> tuple[sp.Symbol, str, sp.Rational, int] | None:
    """A requirement as (s, kind, c, slope sign) when it is kind(a·s + b) with rational a ≠ 0
    and b (c = −b/a the value where it vanishes) on one real symbol of the residual."""
    value, kind = sp.sympify(r.value), r.kind
    # |e| > 0 and e^(2k) > 0 say exactly that e ≠ 0 (of a real e), the latter only for
    # 2k ≠ 0: s^(2k − 2) is 1 at k = 1, defined at s = 0
    if kind == "positive" and (isinstance(value, sp.Abs) or (
            isinstance(value, sp.Pow) and value.exp.is_even and value.exp.is_nonzero)):
        value, kind = value.args[0], "nonzero"
    syms = value.free_symbols
    if len(syms) != 1:
        return None
    (s,) = syms
    if s not in free or s.is_real is not True:
        return None
    try:
        poly = sp.Poly(value, s)
    except sp.PolynomialError:
        return None
    if poly.degree() != 1:
        return None
    a, b = poly.all_coeffs()
    if not (a.is_Rational and b.is_Rational) or a == 0:
        return None
    return s, kind, -b / a, 1 if a > 0 else -1


def _tighter(old: _End | None, new: _End, lower: bool) -> _End:
    if old is None:
        return new
    if new.value == old.value:
        return _End(new.value, new.strict or old.strict)
    return new if (new.value > old.value) == lower else old


def _intervals(requirements: list, free: set) -> dict[sp.Symbol, _Interval]:
    """Each real scalar symbol of the residual that requirements bound: its interval (ends
    and excluded points); a requirement on anything else is left out (the region only
    grows, so it still holds every defined point)."""
    out: dict[sp.Symbol, _Interval] = {}
    for r in requirements:
        if r.kind not in _SIGNS or (found := _one_symbol_condition(r, free)) is None:
            continue
        s, kind, c, slope = found
        cur = out.get(s, _Interval(None, None, frozenset()))
        if kind == "nonzero":
            out[s] = _Interval(cur.lo, cur.hi, cur.holes | {c})
            continue
        end = _End(c, kind == "positive")
        if slope > 0:  # a·s + b > 0 with a > 0: s > c
            out[s] = _Interval(_tighter(cur.lo, end, True), cur.hi, cur.holes)
        else:
            out[s] = _Interval(cur.lo, _tighter(cur.hi, end, False), cur.holes)
    return {s: _closed_holes(i) for s, i in out.items()}


def _closed_holes(i: _Interval) -> _Interval:
    """An excluded point at a closed end makes it open."""
    lo = _End(i.lo.value, True) if i.lo and i.lo.value in i.holes else i.lo
    hi = _End(i.hi.value, True) if i.hi and i.hi.value in i.holes else i.hi
    return _Interval(lo, hi, i.holes)


def _cover(s: sp.Symbol, i: _Interval) -> list[sp.Expr] | None:
    """Expressions that between them take every value of the interval (None: empty)."""
    keep = {k: v for k in ("integer", "rational") if (v := s.assumptions0.get(k)) is not None}
    lo, hi = i.lo, i.hi
    if lo is None and hi is None:
        if 0 in i.holes:  # the other excluded points are left in (the region only grows)
            return [sp.Symbol(s.name, real=True, nonzero=True, **keep)]
        if len(i.holes) == 1:  # s ≠ c: s = c + u for a real u ≠ 0
            (c,) = i.holes
            return [c + sp.Dummy(s.name, nonzero=True, real=True)]
        return [s]  # several points excluded: prove on the whole line
    if lo is not None and hi is None:
        if lo.value == 0:  # s > 0 or s ≥ 0: s itself with that sign, integrality kept
            return [sp.Symbol(s.name, real=True, **{_sign(lo): True}, **keep)]
        return [lo.value + sp.Dummy(s.name, **{_sign(lo): True})]
    if hi is not None and lo is None:
        return [hi.value - sp.Dummy(s.name, **{_sign(hi): True})]
    if lo.value > hi.value or (lo.value == hi.value and (lo.strict or hi.strict)):
        return None
    if lo.value == hi.value:
        return [lo.value]
    u = sp.Dummy(s.name, positive=True)
    inside = lo.value + (hi.value - lo.value) * u / (1 + u)
    return [inside] + [e.value for e in (lo, hi) if not e.strict]


def _sign(end: _End) -> str:
    return "positive" if end.strict else "nonnegative"


def _describe(s: sp.Symbol, i: _Interval) -> str:
    if i.lo is None and i.hi is None:
        if 0 in i.holes or len(i.holes) != 1:
            return f"{s} nonzero" if 0 in i.holes else f"{s} real"
        return f"{s} ≠ {next(iter(i.holes))}"
    if i.hi is None and i.lo.value == 0:
        return f"{s} {_sign(i.lo)}"
    if i.lo is not None and i.hi is not None and i.lo.value == i.hi.value:
        return f"{s} = {i.lo.value}"
    left = "(-oo" if i.lo is None else ("(" if i.lo.strict else "[") + str(i.lo.value)
    right = "oo)" if i.hi is None else str(i.hi.value) + (")" if i.hi.strict else "]")
    return f"{s} in {left}, {right}"


def prove_where_defined(ctx: Context) -> Verdict | None:
    """A scalar claim whose residual is 0 once its symbols range over the intervals that
    definedness requires; None otherwise."""
    built = build_general(ctx)
    if built is None or ctx.general_requirements is None:
        return None
    _, lhs, rhs, log = built
    if log or any(isinstance(s, sp.MatrixExpr) for s in (lhs, rhs)):
        return None
    residual = sp.sympify(lhs - rhs)
    if residual.has(sp.MatrixExpr, sp.Sum, sp.Product):
        return None
    intervals = {s: i for s, i in _intervals(ctx.general_requirements,
                                             residual.free_symbols).items()
                 if _cover(s, i) != [s]}
    if not intervals:
        return None
    covers = {s: _cover(s, i) for s, i in intervals.items()}
    if any(c is None for c in covers.values()):
        return None  # defined nowhere: not this strategy's
    cases = list(itertools.product(*covers.values()))
    if len(cases) > MAX_CASES:
        return None
    for values in cases:
        if not is_zero(residual.xreplace(dict(zip(covers, values, strict=True)))):
            return None
    named = ", ".join(_describe(s, intervals[s]) for s in sorted(intervals, key=lambda s: s.name))
    return unless_vacuous(ctx, Verdict(
        "proved",
        "prove_where_defined",
        detail=f"the residual simplifies to 0 where both sides are defined ({named} there)",
    ), lambda: _witness_inside(ctx, intervals))


def _inside(i: _Interval) -> sp.Rational:
    """A point of the (nonempty) interval off its excluded points: its middle, or one past
    its one end, or failing that another of a few such points."""
    lo, hi = i.lo, i.hi
    if lo is not None and hi is not None:
        if lo.value == hi.value:
            return lo.value
        tries = [lo.value + (hi.value - lo.value) * sp.Rational(k, 7) for k in (3, 2, 4, 1)]
    elif lo is not None:
        tries = [lo.value + k for k in (1, 2, 3)]
    elif hi is not None:
        tries = [hi.value - k for k in (1, 2, 3)]
    else:
        tries = [sp.Integer(k) for k in (1, 2, 3)]
    return next((p for p in tries if p not in i.holes), tries[0])


def _witness_inside(ctx: Context, intervals: dict[sp.Symbol, _Interval]) -> PointResult | None:
    """The claim at a point inside every interval (the other scalars 1): a defined point or
    a difference, certified; None when it is neither."""
    names = {s.name: i for s, i in intervals.items()}
    values = {}
    for d in ctx.claim.symbols:
        if d.kind not in ("scalar", "integer"):
            return None
        values[d.name] = str(_inside(names[d.name])) if d.name in names else "1"
    res = evaluate_point(ctx.claim, {}, values, deep=True)
    return res if res.status in ("agree", "differ") else None
