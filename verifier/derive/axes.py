"""Means and variances along an axis, read back as EXPR writes them.

The rules read mean(X, axis=1) as X𝟏/d and var(X, axis=1) as the mean of the centred
squares, so a layer norm's gradient printed X @ ones(d, d) / d and
((X - X @ ones(d, d) / d) * (X - X @ ones(d, d) / d)) @ ones(d) / d.  Here A𝟏/k is
mean(A, axis=1) (𝟏ᵀA/k: axis=0), A𝟏𝟏ᵀ/k is mean(A, axis=1)𝟏ᵀ, and the mean of
(A − mean(A)𝟏ᵀ)∘(A − mean(A)𝟏ᵀ) is var(A, axis=1): identities, entry by entry.  Only for
matrices with more than one row and column (a column's 𝟏ᵀx/n is mean(x), readable.means')."""

from __future__ import annotations

import numpy as np

from verifier.derive.expr import (
    Add,
    Dim,
    E,
    Fn,
    Had,
    MatMul,
    Mul,
    Num,
    Ones,
    Pow,
    Sym,
    T,
    is_scalar,
    leaves,
    matmul,
    mul,
    size_expr,
)
from verifier.derive.simplify import map_children
from verifier.language.shapes import ONE, Shape, Size

__all__ = ["axis_statistics", "broadcast_core"]


def axis_statistics(e: E) -> E:
    """``e`` with its means and variances along an axis as mean_rows/mean_cols and
    var_rows/var_cols (printed mean(A, axis=1), var(A, axis=0), ...), and the other
    spellings of such a variance in it as that variance."""
    return _variances_met(_statistics(e))


def _statistics(e: E) -> E:
    e = map_children(e, _statistics)
    if isinstance(e, Mul):
        e = _mean(e)
    if isinstance(e, Fn) and e.name in ("mean_rows", "mean_cols"):
        return _variance(e)
    return e


def _is_ones_column(f: E) -> bool:
    return isinstance(f, Ones) and f.shape.cols == ONE


def _is_ones_row(f: E) -> bool:
    return (isinstance(f, Ones) and f.shape.rows == ONE) or (
        isinstance(f, T) and isinstance(f.arg, Ones) and f.arg.shape.cols == ONE)


def _proper(shape: Shape) -> bool:
    return shape.rows != ONE and shape.cols != ONE


def _mean(e: Mul) -> E:
    """A scalar multiple of A𝟏/k, A𝟏𝟏ᵀ/k, 𝟏ᵀA/k or 𝟏𝟏ᵀA/k read as a mean along an axis."""
    m = e.factors[-1]
    if not isinstance(m, MatMul) or len(m.factors) < 2:
        return e
    scalars = list(e.factors[:-1])
    for i, s in enumerate(scalars):
        if not (isinstance(s, Pow) and isinstance(s.exp, Num) and s.exp.value == -1):
            continue
        fs = list(m.factors)
        # 𝟏𝟏ᵀ (two factors) spreads as one 𝟏 (k×m) does: A𝟏𝟏ᵀ/k = mean(A, axis=1)𝟏ᵀ
        spread_after = len(fs) > 2 and _is_ones_column(fs[-2]) and _is_ones_row(fs[-1])
        spread_before = len(fs) > 2 and _is_ones_column(fs[0]) and _is_ones_row(fs[1])
        last, first = fs[-1], fs[0]
        if (spread_after or isinstance(last, Ones)) and not isinstance(first, Ones):
            a = matmul(*fs[:-2 if spread_after else -1])
            if _proper(a.shape) and size_expr(a.shape.cols) == s.base:
                core: E = Fn(Shape(a.shape.rows, ONE), name="mean_rows", args=(a,))
                if last.shape.cols != ONE:
                    core = matmul(core, Ones(Shape(ONE, last.shape.cols)))
                return mul(*scalars[:i], *scalars[i + 1:], core)
        if (spread_before or isinstance(first, Ones) or _is_ones_row(first)) \
                and not isinstance(last, Ones):
            b = matmul(*fs[2 if spread_before else 1:])
            if _proper(b.shape) and size_expr(b.shape.rows) == s.base:
                core = Fn(Shape(ONE, b.shape.cols), name="mean_cols", args=(b,))
                if first.shape.rows != ONE:
                    core = matmul(Ones(Shape(first.shape.rows, ONE)), core)
                return mul(*scalars[:i], *scalars[i + 1:], core)
    return e


def _centred(d: E, rows: bool) -> E | None:
    """A where ``d`` is A − mean(A, axis)𝟏ᵀ (rows) or A − 𝟏 mean(A, axis=0) (columns)."""
    if not (isinstance(d, Add) and len(d.terms) == 2):
        return None
    for a, other in (d.terms, d.terms[::-1]):
        if not (isinstance(other, Mul) and len(other.factors) == 2
                and isinstance(other.factors[0], Num) and other.factors[0].value == -1):
            continue
        b = other.factors[1]
        if not (isinstance(b, MatMul) and len(b.factors) == 2):
            continue
        stat, ones = (b.factors[0], b.factors[1]) if rows else (b.factors[1], b.factors[0])
        name = "mean_rows" if rows else "mean_cols"
        if isinstance(ones, Ones) and isinstance(stat, Fn) and stat.name == name \
                and stat.args[0] == a:
            return a
    return None


def _variance(m: Fn) -> E:
    """var(A, axis) where ``m`` is the mean along that axis of (A − its mean)²."""
    rows = m.name == "mean_rows"
    x = m.args[0]
    if isinstance(x, Had) and len(x.factors) == 2 and x.factors[0] == x.factors[1]:
        d = x.factors[0]
    elif isinstance(x, Pow) and isinstance(x.exp, Num) and x.exp.value == 2:
        d = x.base
    else:
        return m
    a = _centred(d, rows)
    if a is None:
        return m
    return Fn(m.shape, name="var_rows" if rows else "var_cols", args=(a,))


def broadcast_core(f: E) -> E | None:
    """c where ``f`` is c𝟏ᵀ (a column spread over columns) or 𝟏r (a row spread over rows),
    a scalar multiple or a power of one, with c (r) a mean or variance along an axis or a
    function of one: the language broadcasts c against a matrix of its rows (its columns)."""
    if isinstance(f, Mul) and not is_scalar(f.factors[-1]):
        core = broadcast_core(f.factors[-1])
        return None if core is None else Mul(core.shape, factors=(*f.factors[:-1], core))
    if isinstance(f, Pow):
        core = broadcast_core(f.base)
        return None if core is None else Pow(core.shape, base=core, exp=f.exp)
    if not (isinstance(f, MatMul) and len(f.factors) == 2):
        return None
    a, b = f.factors
    if isinstance(b, Ones) and b.shape.rows == ONE and a.shape.cols == ONE and _statistic(a):
        return a
    if isinstance(a, Ones) and a.shape.cols == ONE and b.shape.rows == ONE and _statistic(b):
        return b
    return None


def _statistic(e: E) -> bool:
    """``e`` holds a mean or variance along an axis (the spreads EXPR's broadcasts make)."""
    return any(isinstance(n, Fn) and n.name in ("mean_rows", "mean_cols", "var_rows",
                                                 "var_cols") for n in leaves(e))


# three draws, each at its own sizes (a polynomial in a size that vanishes at one size, (N − 3)
# var(X), must not pass for var(X))
_DRAWS = ((11, 3), (12, 5), (13, 7))


def _variances_met(e: E) -> E:
    """``e`` with each sub-expression of a variance's shape, in that variance's symbols
    only, that agrees with it at random values at three sets of sizes, as that variance:
    the simplifier expands var(X, axis=0) inside a derivative to
    (𝟏ᵀ((𝟏𝟏ᵀX)²/N² + X²) − 2((Xᵀ𝟏)²)ᵀ/N)/N beside the var(X, axis=0) it keeps elsewhere.
    A heuristic for the printed form only: derive prints this, reads it back, and the
    proof decides it."""
    variances = {n for n in leaves(e) if isinstance(n, Fn) and n.name in ("var_rows",
                                                                         "var_cols")}
    if not variances:
        return e
    draws = [_draw(e, seed, first) for seed, first in _DRAWS]
    wanted = {v: [_numeric(v, env) for env in draws] for v in variances}
    symbols = {v: _symbols(v) for v in variances}

    def met(n: E) -> E:
        n = map_children(n, met)
        for v, want in wanted.items():
            if n.shape != v.shape or n == v or _symbols(n) != symbols[v] or \
                    any(w is None for w in want):
                continue
            got = [_numeric(n, env) for env in draws]
            if all(g is not None and g.shape == w.shape and np.allclose(g, w, rtol=1e-9,
                                                                       atol=1e-12)
                   for g, w in zip(got, want, strict=True)):
                return v
        return n

    return met(e)


def _symbols(e: E) -> frozenset[str]:
    return frozenset(n.name for n in leaves(e) if isinstance(n, Sym))


def _size(size: Size | None, sizes: dict[str, int]) -> int:
    if size is None:
        return 1
    out = size.coef
    for name in size.names:
        out *= sizes[name]
    return int(out)


def _draw(e: E, seed: int, first: int) -> dict:
    """Sizes from ``first`` up (one per dimension name) and normal draws of every symbol."""
    names = sorted({name for n in leaves(e) for s in (n.shape.rows, n.shape.cols)
                    if isinstance(s, Size) for name in s.names}
                   | {n.name for n in leaves(e) if isinstance(n, Dim)})
    sizes = {name: first + k for k, name in enumerate(names)}
    rng = np.random.default_rng(seed)
    env: dict = {"np": np, **sizes}
    for n in leaves(e):
        if isinstance(n, Sym) and n.name not in env:
            env[n.name] = rng.uniform(0.5, 1.5) if n.shape.is_scalar else rng.standard_normal(
                (_size(n.shape.rows, sizes), _size(n.shape.cols, sizes)))
    return env


def _numeric(e: E, env: dict):
    """``e`` evaluated by NumPy at ``env``; None where it cannot be."""
    from verifier.derive.printing import Unprintable, to_numpy

    try:
        with np.errstate(all="ignore"):
            return np.asarray(eval(to_numpy(e), env), dtype=float)  # noqa: S307
    except (Unprintable, ArithmeticError, ValueError, TypeError, NameError, KeyError):
        return None
