"""Inequalities in one real variable by monotonicity: e(x) ≥ 0 (> 0) on the domain D that the
variable's assumptions give (ℝ, x > 0, x ≥ 0, x < 0, x ≤ 0).

D is cut at anchor points (its finite ends and the zeros SymPy's solveset finds of e'); on each
piece e' ≥ 0 or e' ≤ 0 is certified by the nonnegative rules (this rule among them, one level
deeper), so e's least value on the piece is at one end: e there, or its limit at ±∞ (Gruntz's
algorithm, exp-log functions only). Any points would do as anchors: a wrong or missed zero of
e' only makes a piece's sign unprovable, never a proof wrong. Every step needs e continuous on
D: only sums, products, integer powers, exp, σ, tanh, atan, sinh, cosh, asinh, erf, sin, cos,
and logs, roots and quotients of parts positive on D by the rules are taken.

x − tanh x ≥ 0 for x ≥ 0, x log x ≥ x − 1 for x > 0 (pieces (0, 1] and [1, ∞), cut at the zero
of log x), log(1 + eˣ) > x (decreasing to its limit 0 at +∞), eˣ ≥ 1 + x + x²/2 for x ≥ 0.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

import sympy as sp
from sympy.series.gruntz import gruntz

from verifier.certify import sign_or_none

__all__ = ["attempts", "monotone"]

Prove = Callable[[Any, int, bool], bool]  # (e, depth, strict): e ≥ 0 (> 0) certified

MAX_OPS = 60  # a larger gap is left to the other rules (solveset and limits grow fast)
MAX_ANCHORS = 4
MAX_SOLVED_OPS = 25  # solveset on a larger derivative takes seconds
_CONTINUOUS = (sp.exp, sp.tanh, sp.atan, sp.sinh, sp.cosh, sp.asinh, sp.erf, sp.sin, sp.cos)
_EXP_LOG = (sp.exp, sp.log)  # the class Gruntz's algorithm decides limits in
_FAR = 100  # a limit at ±∞ must not be above e there (a check of the algorithm)


def monotone(e: Any, strict: bool, depth: int, prove: Prove) -> bool:
    """e ≥ 0 (> 0 when ``strict``) on its variable's domain, by monotonicity on pieces."""
    floor = _FLOOR.get()
    if depth < max(floor, 1):
        return False
    if floor < _TOP_FLOOR:  # inside a chain: its root decides when the allowance is spent
        return _monotone(sp.sympify(e), strict, depth, floor, prove)
    try:
        if depth > floor:  # the gap itself: an allowance of its own
            with attempts():
                return _monotone(sp.sympify(e), strict, depth, floor, prove)
        return _monotone(sp.sympify(e), strict, depth, floor, prove)
    except _Spent:  # not cached: the same gap may be decided with an allowance left
        return False


# The rules recurse into each other; this one solves and takes limits, so it runs on the gap
# and on the rewritings one level down (a case of max, a part), and then down its own chain
# of derivatives only: each level of the chain lowers the floor by one.
_TOP_FLOOR = 2
_FLOOR: ContextVar[int] = ContextVar("monotone_floor", default=_TOP_FLOOR)


# how many gaps one certificate may cut and solve (the other rules' rewritings multiply them),
# and the gap itself as many again
MAX_ATTEMPTS = 12
_ATTEMPTS: ContextVar[list[int]] = ContextVar("monotone_attempts", default=[0])  # noqa: B039


class _Spent(Exception):
    """The allowance is spent: raised, so that no cache keeps the "not shown"."""


@contextlib.contextmanager
def attempts() -> Iterator[None]:
    """Around one certificate: MAX_ATTEMPTS gaps may be tried by monotonicity in it."""
    token = _ATTEMPTS.set([MAX_ATTEMPTS])
    try:
        yield
    finally:
        _ATTEMPTS.reset(token)


@functools.lru_cache(maxsize=1024)
def _monotone(e: Any, strict: bool, depth: int, floor: int, prove: Prove) -> bool:
    if len(e.free_symbols) != 1 or sp.count_ops(e) > MAX_OPS:
        return False
    (x,) = e.free_symbols
    domain = _domain(x)
    if domain is None or not _continuous(e, prove):
        return False
    d = sp.diff(e, x)
    if d.has(sp.Derivative, sp.Subs):
        return False
    left = _ATTEMPTS.get()
    if left[0] <= 0:
        raise _Spent
    left[0] -= 1
    cuts = _cuts(d, x, domain)
    if cuts is None:
        return False
    token = _FLOOR.set(depth - 1)
    try:
        return all(_piece_holds(e, d, x, a, b, domain, strict, depth, prove)
                   for a, b in zip(cuts, cuts[1:], strict=False))
    finally:
        _FLOOR.reset(token)


def _domain(x: Any) -> sp.Interval | None:
    if x.is_real is not True:
        return None
    if x.is_positive:
        return sp.Interval.open(0, sp.oo)
    if x.is_nonnegative:
        return sp.Interval(0, sp.oo)
    if x.is_negative:
        return sp.Interval.open(-sp.oo, 0)
    if x.is_nonpositive:
        return sp.Interval(-sp.oo, 0)
    return sp.Interval(-sp.oo, sp.oo)


def _continuous(e: Any, prove: Prove) -> bool:
    """Built only from parts continuous where the variable's assumptions put it."""
    if e.is_number:
        return e.is_real is True and e.is_finite is True
    if e.is_Symbol:
        return True
    if isinstance(e, sp.Add | sp.Mul):
        return all(_continuous(a, prove) for a in e.args)
    if isinstance(e, sp.Pow):
        if not (e.exp.is_number and e.exp.is_real) or not _continuous(e.base, prove):
            return False
        if e.exp.is_integer and e.exp.is_nonnegative:
            return True
        return prove(e.base, 1, True)  # a root, a quotient: of a base positive on D
    if isinstance(e, sp.log):
        return _continuous(e.args[0], prove) and prove(e.args[0], 1, True)
    if isinstance(e, _CONTINUOUS) or type(e).__name__ == "sigmoid":
        return _continuous(e.args[0], prove)
    return False


@functools.lru_cache(maxsize=256)
def _cuts(d: Any, x: Any, domain: sp.Interval) -> list | None:
    """D's ends (±∞ included) with the zeros of d found inside, in increasing order."""
    if sp.count_ops(d) > MAX_SOLVED_OPS:
        return [domain.start, domain.end]  # no cut inside: sound, if less often provable
    try:
        zeros = sp.solveset(d, x, domain)
    except (NotImplementedError, ValueError, TypeError):
        zeros = sp.S.EmptySet
    inner = list(zeros) if isinstance(zeros, sp.FiniteSet) else []
    # a zero solveset leaves unsolved (x − sin x, sinh x − x, eˣ − 1 − x − x²/2: a
    # ConditionSet) is still an anchor where d vanishes exactly: 0, inside D
    if not isinstance(zeros, sp.FiniteSet) and domain.start < 0 < domain.end \
            and sign_or_none(d.subs(x, 0)) == 0:
        inner.append(sp.Integer(0))
    if len(inner) > MAX_ANCHORS or not all(z.is_number and z.is_real for z in inner):
        return None
    points = [domain.start, *inner, domain.end]
    try:
        points = sorted(set(points), key=lambda p: float(p.evalf(30)) if p.is_finite else p)
    except TypeError:
        return None
    for p, q in zip(points, points[1:], strict=False):  # certified: each cut above the one before
        if p.is_finite and q.is_finite and sign_or_none(q - p) != 1:
            return None
    return points


def _piece_holds(e: Any, d: Any, x: Any, a: Any, b: Any, domain: sp.Interval, strict: bool,
                 depth: int, prove: Prove) -> bool:
    """e ≥ 0 (> 0) on D's points of [a, b]: e monotone on (a, b), its least value at an end."""
    t = sp.Dummy("t", positive=True)
    if a.is_finite and b.is_finite:
        inside = a + (b - a) / (1 + t)  # t > 0 runs over (a, b)
    elif a.is_finite:
        inside = a + t
    elif b.is_finite:
        inside = b - t
    else:
        inside = x  # D = ℝ: x real, nothing assumed
    slope = d.subs(x, inside)
    for sign_, end in ((1, a), (-1, b)):  # increasing: least at a; decreasing: least at b
        if not _certified(sign_ * slope, False, depth, prove):
            continue
        least = _value_at(e, x, end)
        s = sign_or_none(least) if least is not None else None
        if s == 1 or (s == 0 and not strict):
            return True
        # 0 at an end outside D (open, or infinite), e strictly monotone inside: e > 0
        if s == 0 and not _inside(end, domain) and _certified(sign_ * slope, True, depth,
                                                               prove):
            return True
    return False


def _inside(point: Any, domain: sp.Interval) -> bool:
    try:
        return bool(domain.contains(point))
    except TypeError:  # not decided: inside, so that e there must be > 0 itself
        return True


def _certified(e: Any, strict: bool, depth: int, prove: Prove) -> bool:
    """e ≥ 0 (> 0) by the rules: e itself, rewritten, or its numerator over a positive
    denominator (√(t + 4)/2 − 1 where 1/(2√(t + 4)) − 1/(t + 4) has no rule)."""
    numerator, denominator = sp.fraction(sp.together(e))
    forms = [e, sp.cancel(e), sp.expand_log(e, force=False)]
    if denominator != 1 and prove(denominator, 0, True):
        forms.append(sp.expand(numerator))
    return any(prove(f, depth - 1, strict) for f in dict.fromkeys(forms))


def _value_at(e: Any, x: Any, end: Any) -> Any:
    """e at a finite end (continuous there where it is defined, its parts being continuous
    wherever defined: an undefined value has no certified sign), or its limit at an infinite
    one; None when not known."""
    return e.subs(x, end) if end.is_finite else _limit(e, x, end)


def _limit(e: Any, x: Any, end: Any) -> Any:
    """The limit of e at ±∞, where e decreases towards it (so e is above it everywhere)."""
    y = sp.Dummy("y", positive=True)
    f = e.subs(x, y if end == sp.oo else -y).rewrite(sp.exp)
    if any(not isinstance(g, _EXP_LOG) for g in f.atoms(sp.Function)):
        return None
    try:
        value = gruntz(f, y, sp.oo)
    except (NotImplementedError, ValueError, TypeError, RecursionError):
        return None
    if not (value.is_number and value.is_real and value.is_finite):
        return None
    # the algorithm's answer checked: e decreases towards it, so e far out is not below it
    return value if sign_or_none(f.subs(y, _FAR) - value) in (0, 1) else None
