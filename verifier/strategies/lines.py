"""Special points of a claim on commuting pairs, along lines that keep them commuting.

A symbolic build at a fixed size treats A and B as free (the commutation is checked on the
values) or parametrises a structure (LLᵀ, a diagonal), so a kink solved for one parameter
lands on a pair that does not commute, and the audit rejects it: (tr(AB) > 1/3)(tr(AB) <
1/2) = 0 with A and B commuting was "checked", though A = I, B = diag(1/5, 1/5) breaks it.
From a commuting pair (A₀, B₀) drawn by the sampler, A₀ + sI and sA₀ still commute with B₀
(and B₀ + sI, sB₀ with A₀): both sides are built from these values with s a symbol, every
kink argument is then a function of s alone, and its switches, the midpoints between them
(narrowest first) and points beside them give values to try.  Only values are produced:
the certified audit decides them.
"""

from __future__ import annotations

import sympy as sp

from verifier.claim import Claim
from verifier.instantiate import both_sides, concrete
from verifier.strategies.quick import Built, branch_roots, kink_arguments

__all__ = ["commuting_lines"]

FIXED = {"skew-symmetric", "orthogonal"}  # a shift or a scaling leaves these sets
LIMIT = 24  # values per line


def _candidates(ts: list) -> list:
    """The switches, the midpoints between consecutive ones (narrowest first) and points
    beside each switch."""
    ts = sorted(dict.fromkeys(ts))
    pairs = sorted(zip(ts, ts[1:], strict=False), key=lambda ab: ab[1] - ab[0])
    mids = [(a + b) / 2 for a, b in pairs]
    beside = [r + d * sp.Rational(1, 10**6) * max(1, abs(r)) for r in ts for d in (1, -1)]
    out: list = []
    for group in (mids, ts, beside):
        out += [t for t in group if t not in out]
    return out[:LIMIT]


def _line(claim: Claim, sizes: dict, values: dict, idx: dict, name: str, how: str) -> list:
    """The values of the claim's symbols at the switches along one line through ``values``."""
    s = sp.Dummy("s")
    m = values[name]
    moved = dict(values)
    moved[name] = m + s * sp.eye(m.rows) if how == "shift" else s * m
    wrt = frozenset({claim.wrt}) if claim.kind == "gradient" and claim.wrt else frozenset()
    try:
        inst, point = concrete(claim, sizes, moved, symbolic=wrt, index_values=idx)
        lhs, rhs = both_sides(inst, claim)  # a gradient: by the entries of wrt, then at point
        lhs, rhs = sp.sympify(lhs).xreplace(point), sp.sympify(rhs).xreplace(point)
    except (ValueError, TypeError, ArithmeticError, NotImplementedError, KeyError):
        return []
    built = Built(inst, sp.Matrix([lhs]) if not isinstance(lhs, sp.MatrixBase) else lhs,
                  sp.Matrix([rhs]) if not isinstance(rhs, sp.MatrixBase) else rhs)
    ts: list = []
    for arg in kink_arguments(built):
        if arg.free_symbols == {s}:
            ts += [t for t in branch_roots(sp.expand(arg), s) if t not in ts]
    return [{**values, name: moved[name].xreplace({s: t})} for t in _candidates(ts)]


def commuting_lines(claim: Claim, sizes: dict, values: dict, idx: dict) -> list[dict]:
    """Values on lines through the drawn commuting values that keep every commuting pair
    commuting, at the switches of the claim along them (a gradient's left side is taken
    by the entries of the symbol it differentiates by, then evaluated there)."""
    pairs = [a.names for a in claim.assumptions if a.kind == "commute"]
    if not pairs:
        return []
    out: list[dict] = []
    for name in dict.fromkeys(m for pair in pairs for m in pair):
        props = {a.kind for a in claim.assumptions if a.names == (name,)}
        if props & FIXED or not isinstance(values.get(name), sp.MatrixBase):
            continue
        for how in ("shift", "scale"):
            out += _line(claim, sizes, values, idx, name, how)
    return out
