"""Special points of a claim on commuting pairs, along lines that keep them commuting.

A symbolic build at a fixed size treats A and B as free (the commutation is checked on the
values), so a kink solved for one entry lands on a pair that does not commute, and the
audit rejects it: (tr(AB) > 1/3)(tr(AB) < 1/2) = 0 with A and B commuting was "checked",
though A = I, B = diag(1/5, 1/5) breaks it.  From a commuting pair (A₀, B₀) drawn by the
sampler, A₀ + sI and sA₀ still commute with B₀ (and B₀ + sI, sB₀ with A₀); every kink
argument along such a line is a function of s alone, solved for its switches, and the
switches, the midpoints between them (narrowest first) and points beside them are tried.
Only points are produced: the certified audit decides them.
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from verifier.claim import Claim
from verifier.strategies.quick import Built, branch_roots, kink_arguments

__all__ = ["commuting_lines"]

FIXED = {"skew-symmetric", "orthogonal"}  # a shift or a scaling leaves these sets
LIMIT = 24  # points per drawn pair


def _entries(env: dict, values: dict) -> dict:
    """Each parameter symbol of the build at its drawn value."""
    out: dict = {}
    for name, sym in env.items():
        v = values.get(name)
        if v is None:
            continue
        if isinstance(sym, sp.MatrixBase) and isinstance(v, sp.MatrixBase):
            if sym.shape == v.shape:
                out.update({e: v[i, j] for (i, j), e in _cells(sym) if e.is_Symbol})
        elif isinstance(sym, sp.Symbol):
            out[sym] = v
    return out


def _cells(m: sp.MatrixBase):
    return (((i, j), m[i, j]) for i in range(m.rows) for j in range(m.cols))


def _moved(sym_m: sp.MatrixBase, v: sp.MatrixBase, s: Any, how: str) -> dict:
    """The entries of M₀ + sI (``shift``) or sM₀ (``scale``) by M's symbols."""
    out = {}
    for (i, j), e in _cells(sym_m):
        if e.is_Symbol:
            out[e] = v[i, j] + s * int(i == j) if how == "shift" else s * v[i, j]
    return out


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
    return out


def commuting_lines(built: Built, claim: Claim, values: dict) -> list[dict]:
    """Points (by the build's parameters) on lines through the drawn commuting pair
    ``values`` that keep every commuting pair commuting, at the switches of the claim."""
    pairs = [a.names for a in claim.assumptions if a.kind == "commute"]
    if not pairs:
        return []
    env = built.inst.env._values
    doms = built.inst.domains
    base = _entries(env, values)
    if not set(doms) <= set(base):
        return []
    args = kink_arguments(built)
    s = sp.Dummy("s")
    out: list[dict] = []
    for name in dict.fromkeys(m for pair in pairs for m in pair):
        props = {a.kind for a in claim.assumptions if a.names == (name,)}
        if props & FIXED or not isinstance(env.get(name), sp.MatrixBase):
            continue
        for how in ("shift", "scale"):
            at = {**base, **_moved(env[name], values[name], s, how)}
            ts: list = []
            for arg in args:
                ts += branch_roots(sp.expand(arg.xreplace(at)), s)
            for t in _candidates(ts):
                out.append({k: sp.sympify(at[k]).xreplace({s: t}) for k in doms})
                if len(out) >= LIMIT * len(pairs) * 2:
                    return out
    return out
