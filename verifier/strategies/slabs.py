"""Narrow slabs between parallel linear switches, crossed all at once.

(a − b > 1/3)(a − b < 1/3 + 10⁻³⁰)(b > 1/5)(b < 1/5 + 10⁻³⁰) is nonzero on a parallelogram
10⁻³⁰ wide that no point solved for one parameter (the others at a base point) enters: the
midpoint between the switches of a − b puts b anywhere.  Two switches with the same linear
part (up to a factor) bound a slab; the centres of the narrowest slabs, as many as are
independent, are solved together as a linear system, the remaining parameters at a base
point.  Only points are produced: the certified audit decides them.
"""

from __future__ import annotations

from typing import Any

import sympy as sp

__all__ = ["slab_centres"]

MAX_PLANES = 8  # independent slabs crossed at once (a point per base)


def _linear(arg: Any, doms: dict) -> tuple[tuple, Any] | None:
    """(normalised linear part, constant) of a switch L(x) + c with rational coefficients,
    L's first coefficient 1; None for anything else."""
    syms = sorted(arg.free_symbols, key=str)
    if not syms or any(s not in doms or doms[s].integer for s in syms):
        return None
    try:
        poly = sp.Poly(arg, *syms)
    except sp.PolynomialError:
        return None
    if poly.total_degree() != 1 or not (poly.domain.is_ZZ or poly.domain.is_QQ):
        return None
    coeffs = [(s, poly.coeff_monomial(s)) for s in syms]
    coeffs = [(s, c) for s, c in coeffs if c != 0]
    lead = coeffs[0][1]
    return tuple((s, c / lead) for s, c in coeffs), poly.coeff_monomial(1) / lead


def _planes(args: list, doms: dict) -> list[tuple[Any, tuple, Any]]:
    """(width, linear part L, value m) of the plane L(x) = m through the middle of the
    narrowest slab of each family of parallel switches, narrowest first."""
    families: dict[tuple, set] = {}
    for arg in args:
        found = _linear(arg, doms)
        if found is not None:
            families.setdefault(found[0], set()).add(found[1])
    out = []
    for part, consts in families.items():
        cs = sorted(consts)
        if len(cs) < 2:
            continue
        width, a, b = min(((b - a, a, b) for a, b in zip(cs, cs[1:], strict=False)),
                          key=lambda t: t[0])
        out.append((width, part, -(a + b) / 2))  # L(x) + c = 0 at L(x) = −c
    out.sort(key=lambda t: t[0])
    return out


def slab_centres(args: list, doms: dict, bases: tuple) -> list[dict]:
    """A point in the crossing of the narrowest independent slabs, for each base point (the
    parameters no chosen slab fixes keep their base values); points outside a parameter's
    domain are dropped."""
    planes = _planes(args, doms)
    if not planes:
        return []
    chosen: list[tuple[tuple, Any]] = []
    rows: list[list] = []
    unknowns = sorted({s for _, part, _ in planes for s, _ in part}, key=str)
    for _, part, m in planes:
        coeff = dict(part)
        row = [coeff.get(s, 0) for s in unknowns]
        if sp.Matrix(rows + [row]).rank() > len(rows):
            rows.append(row)
            chosen.append((part, m))
        if len(chosen) >= MAX_PLANES:
            break
    eqs = [sum(c * s for s, c in part) - m for part, m in chosen]
    solved = sp.linsolve(eqs, unknowns)
    if not solved:
        return []
    general = dict(zip(unknowns, next(iter(solved)), strict=True))
    out: list[dict] = []
    for base in bases:
        free = {s: base[s] for s in unknowns if s in base}
        point = dict(base)
        for s, e in general.items():
            point[s] = sp.sympify(e).xreplace(free)
        if all(sp.sympify(v).is_Rational and doms[s].contains(v)
               for s, v in point.items() if s in unknowns):
            out.append(point)
    return out


ROUNDS = 3  # passes over the parameters when crossing curved windows
NARROW = sp.Rational(1, 10**9)  # a window: two switches this close relative to their place


def windows(args: list) -> list[tuple[Any, Any, Any]]:
    """(g, lo, hi): switches g − lo and g − hi of one non-constant part g, consecutive and
    narrow (ab − 1/3 and ab − 1/3 − 10⁻³⁰: the window 1/3 < ab < 1/3 + 10⁻³⁰)."""
    families: dict[Any, set] = {}
    for arg in args:
        const, g = arg.as_coeff_Add()
        if const.is_Rational and g.free_symbols:
            families.setdefault(g, set()).add(-const)
    out = []
    for g, values in families.items():
        vs = sorted(values)
        for lo, hi in zip(vs, vs[1:], strict=False):
            if hi - lo <= NARROW * max(1, abs(lo), abs(hi)):
                out.append((g, lo, hi))
    return out


def _inside(g: Any, lo: Any, hi: Any, point: dict) -> bool:
    v = g.xreplace(point)
    return bool(v.is_Rational and lo < v < hi)


def _pieces(g: Any, lo: Any, hi: Any, sym: Any, point: dict, roots) -> list[tuple]:
    """The intervals of ``sym`` (the others at ``point``) on which lo < g < hi."""
    rest = {s: v for s, v in point.items() if s != sym}
    here = g.xreplace(rest)
    found = sorted(set(roots(here - lo, sym)) | set(roots(here - hi, sym)))
    return [(a, b) for a, b in zip(found, found[1:], strict=False)
            if _inside(here, lo, hi, {sym: (a + b) / 2})]


def crossed(point: dict, syms: list, args: list, doms: dict, roots) -> dict | None:
    """Curved windows entered one after another, fewest parameters first, each by a
    parameter no earlier window holds: (b > 1/5)(b < 1/5 + 10⁻³⁰) by b, then
    (ab > 1/3)(ab < 1/3 + 10⁻³⁰) by a; a window with no such parameter by one whose move
    leaves the earlier windows entered.  The point reached, or None if nothing moved."""
    wins = sorted((w for w in windows(args) if w[0].free_symbols & set(syms)),
                  key=lambda w: (len(w[0].free_symbols), sp.default_sort_key(w[0])))
    p, moved, used = dict(point), False, set()
    done: list[tuple] = []
    for w in wins:
        own = sorted(w[0].free_symbols & set(syms), key=str)
        fresh = [s for s in own if s not in used]
        for sym in fresh + [s for s in own if s in used]:
            q = _into(w, sym, p, doms, roots, done)
            if q is not None:
                p[sym], moved = q, moved or q != p[sym]
                used.add(sym)
                break
        done.append(w)
    return p if moved else None


def _into(w: tuple, sym: Any, p: dict, doms: dict, roots, done: list) -> Any:
    """A value of ``sym`` (the others at ``p``) inside window ``w`` that keeps every window
    of ``done`` that ``p`` is in; None if there is none."""
    if _inside(*w, p):
        return p[sym]
    held = [d for d in done if _inside(*d, p)]
    for a, b in _pieces(*w, sym, p, roots):
        q = (a + b) / 2
        if doms[sym].contains(q) and all(_inside(*d, {**p, sym: q}) for d in held):
            return q
    return None
