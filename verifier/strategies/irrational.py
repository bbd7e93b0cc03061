"""Counterexamples at irrational points: a claim that differs only where a switch's argument
vanishes, and it vanishes only at irrational values (x² − 2 at ±√2, x − π, sin x − 1 at
π/2 + 2kπ), agrees at every rational point, so sampling leaves it undecided:
(x² > 2) + (x² < 2) = 1, (x ≥ π)·(x ≤ π) = 0, 1[sin x ≥ 1] = 0.

Each such argument in one scalar parameter (the claim's other scalars held at a drawn
rational point) is solved exactly over the reals (SymPy's ``solveset``: finite sets of
closed forms, a few members of a periodic family), and the claim is evaluated at each root
by ``evaluate_point``, the audit's own predicate: the assumptions are checked on the values,
every comparison SymPy decides at the point is confirmed by a certified sign (a comparison
only rounding decides, at a root SymPy cannot simplify, makes the point "unknown", never a
counterexample), and the difference is certified.  A root SymPy writes only as CRootOf is
not tried."""

from __future__ import annotations

from typing import Any

import sympy as sp

from verifier.audit import PointResult, evaluate_point
from verifier.instantiate import Unsupported
from verifier.strategies.context import BUILD_ERRORS, VACUOUS, Context
from verifier.strategies.quick import kink_arguments

__all__ = ["at_irrational_switches"]

MAX_POINTS = 16  # roots tried per claim
PERIODS = (0, 1, -1)  # members of a periodic family of roots (k in 2kπ + π/2)


def at_irrational_switches(ctx: Context, sizes: dict[str, int]) -> PointResult | None:
    """The first irrational root of a switch's argument where the claim's sides differ
    (certified), or None."""
    try:
        values, idx = ctx.sample_point(sizes, 0.0, generic=True)
        built = ctx.build(sizes, idx, 0, partial=True)
    except (*VACUOUS, Unsupported, *BUILD_ERRORS):
        return None
    env = built.inst.env._values
    scalars = {env[d.name]: d.name for d in ctx.claim.symbols
               if d.kind == "scalar" and isinstance(env.get(d.name), sp.Symbol)}
    held = {s: sp.sympify(values[name]) for s, name in scalars.items() if name in values}
    tried = 0
    for arg in kink_arguments(built):
        for x in sorted(arg.free_symbols & set(scalars), key=str):
            here = arg.xreplace({s: v for s, v in held.items() if s != x})
            if here.free_symbols != {x}:
                continue  # an entry or an index left: not one parameter's switch
            for p in _irrational_roots(here, x):
                if tried >= MAX_POINTS:
                    return None
                tried += 1
                res = evaluate_point(ctx.claim, sizes, {**values, scalars[x]: p}, idx,
                                     deep=True)
                if res.differs:
                    return res
    return None


def _irrational_roots(e: Any, x: sp.Symbol) -> list:
    """Real roots of ``e`` in x, in closed form and not rational (the rational ones are
    the sampler's)."""
    try:  # sigmoid as exp: solveset knows no custom function
        found = sp.solveset(e.rewrite(sp.exp) if e.has(sp.Function) else e, x, sp.S.Reals)
    except (NotImplementedError, ValueError, TypeError):
        return []
    return [p for p in _members(found) if p.is_real is True and not p.is_Rational
            and not p.has(sp.CRootOf) and not p.free_symbols]


def _members(s: Any) -> list:
    """A few members of a solution set: its finite parts, and of a periodic family
    {f(k) : k integer} the members at k = 0, 1, −1; a set cut down (an intersection, a
    complement) by its first part's members (the audit checks each point)."""
    if isinstance(s, sp.FiniteSet):
        return list(s.args)
    if isinstance(s, sp.Union):
        return [p for part in s.args for p in _members(part)]
    if isinstance(s, sp.ImageSet) and s.base_sets == (sp.S.Integers,):
        return [s.lamda(sp.Integer(k)) for k in PERIODS]
    if isinstance(s, sp.Intersection | sp.Complement):
        return _members(s.args[0])
    return []
