"""Explicit matrices of plain scalar symbols: where the mutant mode builds catalogue claims.

A catalogue claim's sides are Python builders that take an environment (``s.A``, ``s["A"]``,
``s.n``, ``s.mode``).  Here every symbol is unconstrained (a matrix of ``A_11``, ``A_12``, …;
a scalar ``s``); the assumptions are met afterwards by the *values* put in for them
(``admissible.sample``), never by a parametrisation, so this shares nothing with how the
engine instantiates structures.
"""

from __future__ import annotations

from typing import Any

from verifier.claim import Claim, Env
from verifier.selftest.evaluate import Mat, Point

__all__ = ["Env", "explicit_env", "size_sets", "substitution"]


def size_sets(claim: Claim) -> list[dict[str, int]]:
    """The claim's own sizes, else two assignments with distinct sizes for distinct dims."""
    if claim.sizes:
        return [dict(s) for s in claim.sizes]
    dims = claim.dims
    if not dims:
        return [{}]
    first = {d: (2, 3, 4)[k % 3] for k, d in enumerate(dims)}
    second = {d: (3, 2)[k % 2] for k, d in enumerate(dims)}
    return [first, second] if first != second else [first]


def explicit_env(claim: Claim, sizes: dict[str, int],
                 index_values: dict[str, int] | None = None) -> Env:
    import sympy as sp

    index_values = index_values or {}
    values: dict[str, Any] = {}
    for d in claim.symbols:
        if d.kind == "scalar":
            values[d.name] = sp.Symbol(d.name, real=True)
        elif d.kind == "integer":
            values[d.name] = sp.Symbol(d.name, integer=True, positive=True)
        elif d.kind == "index":
            values[d.name] = sp.Integer(index_values.get(d.name, 0))
        else:
            r, c = (x if isinstance(x, int) else sizes[x] for x in d.shape)
            if d.kind == "vector":
                values[d.name] = sp.Matrix(
                    r, 1, lambda i, _, n=d.name: sp.Symbol(f"{n}_{i + 1}", real=True))
            else:
                values[d.name] = sp.Matrix(
                    r, c, lambda i, j, n=d.name: sp.Symbol(f"{n}_{i + 1}{j + 1}", real=True))
    return Env(values, {k: sp.Integer(v) for k, v in sizes.items()})


def substitution(claim: Claim, env: Env, point: Point) -> dict[Any, Any]:
    """{symbol: exact value} putting the point's values into the environment's symbols."""
    import sympy as sp

    rule: dict[Any, Any] = {}
    for d in claim.symbols:
        if d.kind == "index" or d.name not in point.values:
            continue
        sym, v = env[d.name], point.values[d.name]
        if isinstance(v, Mat):
            for s, x in zip(list(sym), v.entries(), strict=True):
                rule[s] = sp.Rational(x.numerator, x.denominator)
        else:
            rule[sym] = sp.Rational(v.numerator, v.denominator)
    return rule
