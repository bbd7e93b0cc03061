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
