"""Piecewise-linear zero test: a case split on the kinks' linear conditions.

A kinked expression (Piecewise, Abs, Max, Min, sign) whose every condition compares a linear
function of real symbols with 0 is identically 0 if it is 0 in every case: each assignment of
true/false to the conditions makes it a kink-free expression, which must expand to 0 unless
the case is empty.  Emptiness is decided exactly (Fourier-Motzkin elimination over the
rationals, with the symbols' signs from their assumptions); a case whose region forces an
equality g = 0 is decided after putting g = 0 in.  True only when shown zero.

Proposed by the language helper (round 8) for soft-thresholding, Huber's gradient as a clip
and PPO's clipped objective, which ``simplify`` gave up on after 10-16 s each.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import product
from typing import Any

import sympy as sp
from sympy.core.relational import Relational

from verifier.strategies.timing import StrategyTimeout

__all__ = ["linear_cases_zero"]

MAX_CONDITIONS = 8  # 2⁸ cases at most: cheap next to simplify
MAX_ROWS = 400      # Fourier-Motzkin grows quadratically per elimination: stop early
MAX_DEPTH = 4       # equalities forced in turn within one case

Row = tuple[dict[Any, Fraction], Fraction, bool]  # Σ cᵢxᵢ + c₀ > 0 (strict) or ≥ 0

_KINKS = (Relational, sp.Piecewise, sp.Abs, sp.Max, sp.Min, sp.sign, sp.Heaviside)
# written as Piecewise before the split; a condition already written as a Boolean (clip's
# ITE(x ≥ 0, x ≤ 2, True)) stays one: rewritten too, it became a Piecewise of truth values,
# which And refuses, so a nested clip was never split
_TO_PIECEWISE = (sp.Abs, sp.Max, sp.Min, sp.sign, sp.Heaviside)
MAX_SIGN_SPLITS = 2  # symbols of unfixed sign split into their signs: 3² sub-splits at most


def linear_cases_zero(e: Any, splits: int = MAX_SIGN_SPLITS) -> bool:
    """Is ``e`` shown identically 0 by a case split on its linear kink conditions?"""
    try:
        r = _abs_conditions_split(e).rewrite(_TO_PIECEWISE, sp.Piecewise)
        if sp.expand(r) == 0:  # the split conditions were the same ones written two ways
            return True
        return _cases_zero(r) or (splits > 0 and _zero_by_sign_of(r, splits))
    except StrategyTimeout:
        raise
    except Exception:  # noqa: BLE001 - not shown zero
        return False


def _zero_by_sign_of(r: Any, splits: int) -> bool:
    """0 in each sign case of a symbol whose unfixed sign keeps a condition non-linear:
    a·x ≥ a·y with a ≥ 0 is a = 0 or a > 0 (then x ≥ y), max(a·x, a·y) = a·max(x, y) in
    both; an unassumed a is also a < 0.  Every real value of the symbol is in one case."""
    s = _unsigned_factor(r)
    if s is None:
        return False
    pos = sp.Dummy(s.name, positive=True)
    cases = [sp.Integer(0)] if not s.is_nonzero else []
    if not s.is_nonpositive:
        cases.append(pos)
    if not s.is_nonnegative:
        cases.append(-pos)
    return all(linear_cases_zero(r.xreplace({s: c}), splits - 1) for c in cases)


def _unsigned_factor(r: Any) -> Any:
    """A real symbol of unfixed sign that multiplies a condition's difference which is not
    linear as written (a·(x − y) > 0), or None."""
    for c in sorted(r.atoms(Relational), key=sp.default_sort_key):
        g, _ = _as_positive(c)
        if g is None or _row(c) is not None:
            continue
        g = sp.factor_terms(sp.expand(g))
        for f in (g.args if isinstance(g, sp.Mul) else ()):
            if (isinstance(f, sp.Symbol) and f.is_real and f.is_positive is not True
                    and f.is_negative is not True):
                return f
    return None


def _cases_zero(r: Any) -> bool:
    conditions = sorted(r.atoms(Relational), key=sp.default_sort_key)
    if not conditions or not _plain_reals(r):
        return False
    rows = [_row(c) for c in conditions]
    if any(row is None for row in rows):
        return False
    # one case variable per half-space: c < d, c − d ≥ 0 and 2c ≥ 2d are one condition
    keyed = [_keyed(row) for row in rows]  # type: ignore[arg-type]
    halves = {_hashable(key): key for key, _ in keyed}  # in order of first appearance
    if len(halves) > MAX_CONDITIONS:
        return False
    signs = _sign_rows(r.free_symbols)
    for truth in product((True, False), repeat=len(halves)):
        value = dict(zip(halves, truth, strict=True))
        branch = r.xreplace({c: sp.true if value[_hashable(key)] == same else sp.false
                             for c, (key, same) in zip(conditions, keyed, strict=True)})
        if branch.has(*_KINKS):
            return False
        case = signs + [halves[h] if t else _negated(halves[h]) for h, t in value.items()]
        if not _zero_on(branch, case):
            return False
    return True


def _hashable(row: Row) -> tuple:
    coeffs, const, strict = row
    return tuple(sorted(coeffs.items(), key=lambda sc: sp.default_sort_key(sc[0]))), const, strict


def _keyed(row: Row) -> tuple[Row, bool]:
    """The half-space of ``row`` scaled so that its first coefficient is ±1, as a key and
    whether ``row`` is that key (True) or its negation (False)."""
    coeffs, const, strict = row
    if not coeffs:  # a constant condition: its own key
        return row, True
    first = coeffs[min(coeffs, key=sp.default_sort_key)]
    if first < 0:
        coeffs, const, strict = _negated(row)
        first = -first
        same = False
    else:
        same = True
    scaled = {s: c / first for s, c in coeffs.items()}
    return (scaled, const / first, strict), same


def _plain_reals(r: Any) -> bool:
    """Every free symbol a real Symbol, and nothing bound: a condition inside a sum
    (Σₖ 1[xₖ > 0] · Σₖ 1[xₖ < 0]) is not one truth value for the whole expression, and a
    bound k is the same SymPy symbol as a free k of the same name."""
    if not all(isinstance(s, sp.Symbol) and s.is_real for s in r.free_symbols):
        return False
    return not any(getattr(node, "bound_symbols", None) or isinstance(node, sp.Indexed)
                   for node in sp.preorder_traversal(r))


def _abs_conditions_split(e: Any) -> Any:
    """a·|u| + h > 0 (or ≥) as a disjunction (a > 0: |u| = max(u, −u)) or a conjunction
    (a < 0: min) of linear conditions, so that |s| < 1 is s < 1 ∧ −s < 1."""

    def split(c: Any) -> Any:
        g, op = _as_positive(c)
        if g is None:
            return c
        g = sp.expand(g)
        atoms = g.atoms(sp.Abs)
        if len(atoms) != 1:
            return c
        (a_u,) = atoms
        a = g.coeff(a_u)
        h = sp.expand(g - a * a_u)
        u = a_u.args[0]
        if not a.is_Rational or a == 0 or h.has(sp.Abs) or not u.is_extended_real:
            return c
        both = (op(a * u + h, 0), op(-a * u + h, 0))
        return sp.Or(*both) if a > 0 else sp.And(*both)

    return e.replace(lambda x: isinstance(x, Relational) and x.has(sp.Abs), split)


def _as_positive(c: Any) -> tuple[Any, Any]:
    """c as (g, op) with c ⟺ op(g, 0), op one of > and ≥; (None, None) for = and ≠."""
    if isinstance(c, sp.StrictGreaterThan | sp.GreaterThan):
        return c.lhs - c.rhs, type(c)
    if isinstance(c, sp.StrictLessThan):
        return c.rhs - c.lhs, sp.StrictGreaterThan
    if isinstance(c, sp.LessThan):
        return c.rhs - c.lhs, sp.GreaterThan
    return None, None


def _row(c: Any) -> Row | None:
    """c as a row: g > 0 or g ≥ 0 with g linear, rational coefficients; None otherwise."""
    g, op = _as_positive(c)
    if g is None:
        return None
    return _linear(sp.expand(_signed_part(g)), op is sp.StrictGreaterThan)


def _signed_part(g: Any) -> Any:
    """g without the factors whose sign the assumptions fix (A·(ρ − 1 − ε) with A > 0 has
    the sign of ρ − 1 − ε; a negative factor flips it).  A factor that may be 0 (A ≥ 0) or of
    either sign stays, and makes the condition non-linear."""
    g = sp.factor_terms(g)
    if not isinstance(g, sp.Mul):
        return g
    kept, sign = [], 1
    for f in g.args:
        if f.is_positive:
            continue
        if f.is_negative:
            sign = -sign
            continue
        kept.append(f)
    return sign * sp.Mul(*kept)


def _linear(g: Any, strict: bool) -> Row | None:
    syms = sorted(g.free_symbols, key=sp.default_sort_key)
    try:
        poly = sp.Poly(g, *syms) if syms else None
    except sp.PolynomialError:
        return None
    if poly is not None and poly.total_degree() > 1:
        return None
    coeffs: dict[Any, Fraction] = {}
    for s in syms:
        c = g.coeff(s)
        if not c.is_Rational:
            return None
        if c != 0:
            coeffs[s] = Fraction(int(c.p), int(c.q))
    const = g.xreplace({s: sp.Integer(0) for s in syms})
    if not const.is_Rational:
        return None
    return coeffs, Fraction(int(const.p), int(const.q)), strict


def _negated(row: Row) -> Row:
    """not (g > 0) is −g ≥ 0; not (g ≥ 0) is −g > 0."""
    coeffs, const, strict = row
    return {s: -c for s, c in coeffs.items()}, -const, not strict


def _sign_rows(symbols: Any) -> list[Row]:
    """The signs the symbols' assumptions give (t positive: t > 0)."""
    rows: list[Row] = []
    for s in symbols:
        if s.is_positive:
            rows.append(({s: Fraction(1)}, Fraction(0), True))
        elif s.is_nonnegative:
            rows.append(({s: Fraction(1)}, Fraction(0), False))
        elif s.is_negative:
            rows.append(({s: Fraction(-1)}, Fraction(0), True))
        elif s.is_nonpositive:
            rows.append(({s: Fraction(-1)}, Fraction(0), False))
    return rows


def _rational(q: Fraction) -> sp.Rational:
    return sp.Rational(q.numerator, q.denominator)


def _zero_on(branch: Any, case: list[Row], depth: int = 0) -> bool:
    """Is ``branch`` 0 wherever every row of ``case`` holds?"""
    if sp.expand(branch) == 0:
        return True
    feasible = _feasible(case)
    if feasible is False:
        return True  # an empty case
    if feasible is None or depth >= MAX_DEPTH:
        return False
    # the region is open in the subspace it spans unless a row is forced to equality
    for coeffs, const, strict in case:
        if strict or not coeffs:
            continue
        if _feasible([*case, (coeffs, const, True)]) is False:  # g ≥ 0 holds as g = 0
            x = min(coeffs, key=sp.default_sort_key)
            rest = sum((_rational(c) * s for s, c in coeffs.items() if s != x), sp.Integer(0))
            value = -(rest + _rational(const)) / _rational(coeffs[x])
            return _zero_on(branch.xreplace({x: value}),
                            _substituted(case, x, coeffs, const), depth + 1)
    return False  # not 0 as written on an open set of its subspace: not shown


def _substituted(case: list[Row], x: Any, gx: dict[Any, Fraction], g0: Fraction) -> list[Row]:
    """The rows with x = −(g0 + Σ_{s≠x} gₛ s) / gₓ put in."""
    a = gx[x]
    out: list[Row] = []
    for coeffs, const, strict in case:
        c = coeffs.get(x, Fraction(0))
        new = {s: v for s, v in coeffs.items() if s != x}
        for s, v in gx.items():
            if s != x:
                new[s] = new.get(s, Fraction(0)) - c * v / a
        out.append(({s: v for s, v in new.items() if v != 0}, const - c * g0 / a, strict))
    return out


def _feasible(rows: list[Row]) -> bool | None:
    """Exact Fourier-Motzkin: False when no real point satisfies every row, True when one
    does, None when the elimination grew too large to finish."""
    rows = list(rows)
    variables = {s for coeffs, _, _ in rows for s in coeffs}
    for x in sorted(variables, key=sp.default_sort_key):
        pos = [r for r in rows if r[0].get(x, 0) > 0]
        neg = [r for r in rows if r[0].get(x, 0) < 0]
        rest = [r for r in rows if r[0].get(x, 0) == 0]
        for (pc, p0, ps), (nc, n0, ns) in product(pos, neg):
            a, b = pc[x], -nc[x]  # a·x + P ≥ 0 and −b·x + N ≥ 0 give b·P + a·N ≥ 0
            coeffs = {s: b * pc.get(s, 0) + a * nc.get(s, 0) for s in (pc.keys() | nc.keys())
                      if s != x}
            rest.append(({s: v for s, v in coeffs.items() if v != 0}, b * p0 + a * n0,
                         ps or ns))
        rows = rest
        if len(rows) > MAX_ROWS:
            return None
    return all(const > 0 if strict else const >= 0 for _, const, strict in rows)
