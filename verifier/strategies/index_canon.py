"""The canonical form of a scalar index expression, so that equal expressions meet.

An index expression is a SymPy expression over matrix entries ``X[i, j]`` (``MatrixElement``
of a ``MatrixSymbol``), Kronecker deltas, sums ``Sum(e, (k, lo, hi))`` over integer indices,
and ordinary functions (exp, log, σ, √, Piecewise …) of those.  Free indices (an entry (a, b)
of a matrix side, a class label y) and summation indices each have a range.

``canonical`` rewrites bottom up; every rule is an equality for every size and every value
of the free indices:

- **distribute**: a summand is expanded into monomials (products; inside function arguments
  too), and Σₖ (f + g) = Σₖ f + Σₖ g.
- **pull out**: a factor without k leaves Σₖ; a summation index no factor uses counts its
  range, Σₖ c = (hi − lo + 1)·c.
- **contract deltas**: Σₖ δ(k, e)·f(k) = f(e) when e lies in k's range for every value of
  its own indices (checked from the ranges; otherwise the delta stays).
- **factor**: Σ_{k,l} f(k) g(l) = (Σₖ f(k))(Σₗ g(l)): a multiple sum is split into the
  groups of indices that share a factor, so a product of sums and the double sum meet.
- **rename**: the summation indices of each sum get canonical names ``ι<level>_<r>``, the
  level above every name bound inside it (no capture), ``r`` chosen by the least printed
  form over the permutations (by a signature beyond four indices).
- **free deltas**: in a term with δ(p, q) of free indices, q is replaced by p elsewhere in
  the term (the term is 0 unless p = q); δ² = δ.
- **assumptions**: an entry of a binary vector, or of a one-hot matrix, equals its own
  powers; Σₖ p[k] = 1 for a probability vector, Σₖ Y[i, k] = 1 for one-hot rows.
- **derivatives**: ``IndexDiff(f, X[a, b])`` is evaluated by the rules of ``differentiate``
  (each one logged, so the strategy can re-check it element-wise).

Each rule shrinks the expression or renames it, so the rewriting ends.  What is left is a
polynomial (a rational function) in canonical atoms; ``atomize`` replaces each sum and each
entry by a symbol so that the zero test works on a small expression.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from verifier import ops

__all__ = ["Canonicaliser", "IndexFormUnavailable", "atomize", "differentiate", "to_index"]

_CANON = re.compile(r"^ι(\d+)_(\d+)$")
_PERMUTE_UP_TO = 4  # summation indices of one sum tried in every order


class IndexFormUnavailable(Exception):
    """This expression has no index form here (an opaque matrix function of the variable)."""


def _index_diff() -> type:
    return ops.index_diff_class()


# ----- from matrix expressions to index form -----


def to_index(e: Any, evaluate: Callable[[Any], Any] | None = None) -> Any:
    """A scalar expression with traces of 1×1 (or square) matrix expressions, written entry
    by entry: tr M = M[0, 0] for a 1×1 M, Σₖ M[k, k] otherwise.  ``evaluate`` turns each
    ``IndexDiff`` into its value (innermost first)."""
    if isinstance(e, sp.Trace):
        m = e.arg
        if m.shape == (1, 1):
            return to_index(m[0, 0], evaluate)
        k = sp.Dummy("k", integer=True)
        return sp.Sum(to_index(m[k, k], evaluate), (k, 0, m.shape[0] - 1))
    if isinstance(e, _index_diff()):
        f = to_index(e.f, evaluate)
        node = _index_diff()(f, e.variable)
        return evaluate(node) if evaluate is not None else node
    if isinstance(e, MatrixElement):
        parent = e.parent
        if not isinstance(parent, sp.MatrixSymbol):
            value = parent[e.i, e.j]
            if not isinstance(value, MatrixElement) or value.parent != parent:
                return to_index(value, evaluate)
        return e
    if isinstance(e, sp.MatrixExpr):
        raise IndexFormUnavailable(f"a matrix expression inside a scalar ({type(e).__name__})")
    if e.is_Atom or not e.args:
        return e
    args = [to_index(a, evaluate) for a in e.args]
    if all(a is b for a, b in zip(args, e.args, strict=True)):
        return e
    return e.func(*args)


# ----- derivatives in index form -----


def _depends(e: Any, v: Any) -> bool:
    if isinstance(v, MatrixElement):
        return e.has(v.parent)
    return e.has(v)


def differentiate(e: Any, v: Any) -> Any:
    """∂e/∂v of an index expression e (no traces, no ``IndexDiff``), by v an entry X[p, q] of
    a matrix symbol or a scalar symbol.  ∂X[i, j]/∂X[p, q] = δ(i, p)δ(j, q); sums, sums of
    products, powers and functions by the usual rules (a function by its own ``fdiff``)."""
    if not _depends(e, v):
        return sp.Integer(0)
    if e == v:
        return sp.Integer(1)
    if isinstance(e, MatrixElement):
        if isinstance(v, MatrixElement) and e.parent == v.parent:
            return sp.KroneckerDelta(e.i, v.i) * sp.KroneckerDelta(e.j, v.j)
        raise IndexFormUnavailable(f"the variable inside {e}")
    if isinstance(e, sp.Add):
        return sp.Add(*[differentiate(a, v) for a in e.args])
    if isinstance(e, sp.Mul):
        args = list(e.args)
        terms = []
        for k, a in enumerate(args):
            if _depends(a, v):
                terms.append(sp.Mul(*args[:k], differentiate(a, v), *args[k + 1:]))
        return sp.Add(*terms)
    if isinstance(e, sp.Pow):
        b, x = e.args
        if not _depends(x, v):
            return x * b ** (x - 1) * differentiate(b, v)
        if not _depends(b, v):
            return e * sp.log(b) * differentiate(x, v)
        return e * (differentiate(x, v) * sp.log(b) + x * differentiate(b, v) / b)
    if isinstance(e, sp.Sum):
        for limit in e.limits:
            if any(_depends(x, v) for x in limit[1:]):
                raise IndexFormUnavailable("a summation range depends on the variable")
        return sp.Sum(differentiate(e.function, v), *e.limits)
    if isinstance(e, sp.Piecewise):
        # the derivative away from the boundaries (kinks are requirements of their own)
        return sp.Piecewise(*[(differentiate(x, v), c) for x, c in e.args])
    if isinstance(e, sp.Function):
        out = []
        for k, a in enumerate(e.args, start=1):
            if not _depends(a, v):
                continue
            try:
                outer = e.fdiff(k)
            except (sp.ArgumentIndexError, NotImplementedError, TypeError) as exc:
                raise IndexFormUnavailable(f"no derivative rule for {e.func}") from exc
            if isinstance(outer, sp.Derivative) or outer.has(sp.Subs):
                raise IndexFormUnavailable(f"no derivative rule for {e.func}")
            out.append(outer * differentiate(a, v))
        return sp.Add(*out)
    raise IndexFormUnavailable(f"cannot differentiate {type(e).__name__} in index form")


# ----- ranges of integer index expressions -----


def _bounds(e: Any, ranges: dict) -> tuple[Any, Any] | None:
    """Least and greatest value of an integer expression linear in indices of known range
    (other symbols, the dimensions, are constants); None when it is not of that kind."""
    e = sp.expand(e)
    lo = hi = sp.Integer(0)
    rest = e
    for s in e.free_symbols & set(ranges):
        c = e.coeff(s)
        if not c.is_Integer or sp.expand(e - c * s).has(s):
            return None
        rest = rest - c * s
        slo, shi = ranges[s]
        lo += c * (slo if c > 0 else shi)
        hi += c * (shi if c > 0 else slo)
    rest = sp.expand(rest)
    return lo + rest, hi + rest


def _nonnegative(x: Any) -> bool:
    x = sp.expand(x)
    return x.is_nonnegative is True


def within(e: Any, rng: tuple[Any, Any], ranges: dict) -> bool:
    """Does e lie in rng = (lo, hi) for every value of its indices?"""
    b = _bounds(e, ranges)
    if b is None:
        return False
    return _nonnegative(b[0] - rng[0]) and _nonnegative(rng[1] - b[1])


# ----- the canonical form -----


def _level(e: Any) -> int:
    """One above the highest canonical level bound inside e (0 if none)."""
    top = -1
    for s in e.atoms(sp.Symbol):
        m = _CANON.match(s.name)
        if m:
            top = max(top, int(m.group(1)))
    return top + 1


def _canonical_name(level: int, r: int) -> sp.Symbol:
    return sp.Symbol(f"ι{level}_{r}", integer=True)


def _flatten_limits(limits) -> list[tuple[Any, Any, Any]]:
    return [(lim[0], lim[1], lim[2]) for lim in limits]


class Canonicaliser:
    """Rewrites index expressions to the canonical form above.

    ``ranges``: the range (lo, hi) of each free index; ``discrete``: symbols assumed
    ``binary`` or ``one-hot``; ``simplex``: vectors assumed to sum to 1; ``derivatives``
    collects every ``(f, v)`` whose derivative was taken (for the element-wise re-check).
    """

    def __init__(self, ranges: dict, discrete: dict | None = None, simplex: tuple = ()):
        self.ranges = dict(ranges)
        self.discrete = dict(discrete or {})
        self.simplex = tuple(simplex)
        self.derivatives: list[tuple[Any, Any]] = []

    # -- derivatives, taken and logged --

    def evaluate(self, node: Any) -> Any:
        self.derivatives.append((node.f, node.variable))
        return differentiate(node.f, node.variable)

    # -- entry point --

    def __call__(self, e: Any) -> Any:
        e = to_index(sp.sympify(e), self.evaluate)
        out = self.norm(e, dict(self.ranges))
        return self.free_deltas(out)

    # -- bottom-up normalisation --

    def norm(self, e: Any, env: dict) -> Any:
        if e.is_Atom:
            return e
        if isinstance(e, sp.Sum):
            limits = _flatten_limits(e.limits)
            inner = dict(env)
            for k, lo, hi in limits:
                inner[k] = (lo, hi)
            body = self.norm(e.function, inner)
            return self.sum_normal(body, limits, env)
        if isinstance(e, sp.KroneckerDelta):
            return sp.KroneckerDelta(self.norm(e.args[0], env), self.norm(e.args[1], env))
        if isinstance(e, MatrixElement):
            return e.func(e.parent, self.norm(e.i, env), self.norm(e.j, env))
        if isinstance(e, sp.Pow):
            b, x = self.norm(e.args[0], env), self.norm(e.args[1], env)
            if x.is_Integer and x > 0 and self._idempotent(b):
                return b
            return b**x
        args = [self.norm(a, env) for a in e.args]
        return e.func(*args)

    def _idempotent(self, b: Any) -> bool:
        """δ² = δ; an entry of a binary or one-hot symbol is 0 or 1."""
        if isinstance(b, sp.KroneckerDelta):
            return True
        return isinstance(b, MatrixElement) and b.parent in self.discrete

    def _expand(self, e: Any) -> Any:
        e = sp.expand(e, power_exp=False, power_base=False, log=False, multinomial=True,
                      mul=True, deep=True)
        # powers of idempotent factors created by the expansion
        return e.replace(lambda x: isinstance(x, sp.Pow) and x.exp.is_Integer and x.exp > 0
                         and self._idempotent(x.base), lambda x: x.base)

    def sum_normal(self, body: Any, limits: list, env: dict) -> Any:
        """Σ over ``limits`` of a normalised body, distributed, contracted, factored and
        renamed."""
        dummies = [k for k, _, _ in limits]
        rng = {k: (lo, hi) for k, lo, hi in limits}
        triangular = any(x.has(*dummies) for _, lo, hi in limits for x in (lo, hi))
        if triangular:  # ranges that depend on each other: renamed only
            return self.rename(sp.Sum(body, *limits))
        out = []
        for term in sp.Add.make_args(self._expand(body)):
            out.append(self.sum_term(term, dict(rng), env))
        return sp.Add(*out)

    def sum_term(self, term: Any, rng: dict, env: dict) -> Any:
        factors = list(sp.Mul.make_args(term))
        factors, rng = self.contract(factors, rng, env)
        scope = dict(env)
        scope.update(rng)
        coeff, dep = [], []
        for f in factors:
            (dep if f.has(*rng) else coeff).append(f)
        used = set().union(*[f.free_symbols for f in dep]) if dep else set()
        for k, (lo, hi) in rng.items():
            if k not in used:
                coeff.append(hi - lo + 1)
        # connected groups of summation indices (sharing a factor)
        parent = {k: k for k in rng if k in used}

        def find(k):
            while parent[k] != k:
                k = parent[k]
            return k

        for f in dep:
            ks = [k for k in parent if f.has(k)]
            for k in ks[1:]:
                parent[find(k)] = find(ks[0])
        groups: dict = {}
        for f in dep:
            root = find(next(k for k in parent if f.has(k)))
            groups.setdefault(root, []).append(f)
        sums = []
        for root, fs in groups.items():
            ks = [k for k in parent if find(k) == root]
            s = self.rename(sp.Sum(sp.Mul(*fs), *[(k, *rng[k]) for k in ks]))
            sums.append(self.assumed_sum(s, scope))
        return sp.Mul(*coeff, *sums)

    def contract(self, factors: list, rng: dict, env: dict) -> tuple[list, dict]:
        """Σₖ δ(k, e) f(k) = f(e) for e in k's range; repeated until no delta applies."""
        changed = True
        while changed:
            changed = False
            scope = dict(env)
            scope.update(rng)
            for idx, f in enumerate(factors):
                if not isinstance(f, sp.KroneckerDelta):
                    continue
                d = sp.expand(f.args[0] - f.args[1])
                for k in list(rng):
                    c = d.coeff(k)
                    if c not in (1, -1) or sp.expand(d - c * k).has(k):
                        continue
                    value = sp.expand(-(d - c * k) / c)
                    inner = {s: r for s, r in scope.items() if s != k}
                    if not within(value, rng[k], inner):
                        continue
                    rest = factors[:idx] + factors[idx + 1:]
                    del rng[k]
                    factors = [self.norm(g.xreplace({k: value}), {**env, **rng})
                               if g.has(k) else g for g in rest]
                    factors = [x for g in factors for x in sp.Mul.make_args(g)]
                    changed = True
                    break
                if changed:
                    break
        return factors, rng

    def assumed_sum(self, s: sp.Sum, scope: dict) -> Any:
        """Σₖ p[k] = 1 for a probability vector p; Σₖ Y[i, k] = 1 for one-hot rows of Y."""
        if len(s.limits) != 1:
            return s
        k, lo, hi = s.limits[0]
        f = s.function
        if not isinstance(f, MatrixElement) or lo != 0:
            return s
        p = f.parent
        rows, cols = p.shape
        if p in self.simplex and f.i == k and f.j == 0 and sp.expand(hi - (rows - 1)) == 0:
            return sp.Integer(1)
        if self.discrete.get(p) == "one-hot":
            if cols == 1 and f.i == k and sp.expand(hi - (rows - 1)) == 0:
                return sp.Integer(1)
            if f.j == k and not f.i.has(k) and sp.expand(hi - (cols - 1)) == 0:
                return sp.Integer(1)
        return s

    def rename(self, s: sp.Sum) -> sp.Sum:
        """Canonical names for the summation indices of one sum."""
        limits = _flatten_limits(s.limits)
        ks = [k for k, _, _ in limits]
        level = _level(s.function)
        names = [_canonical_name(level, r) for r in range(len(ks))]
        if len(ks) > _PERMUTE_UP_TO:
            ks = sorted(ks, key=lambda k: self._signature(s.function, k))
            orders = [tuple(ks)]
        else:
            orders = list(itertools.permutations(ks))
        best = None
        for order in orders:
            mapping = dict(zip(order, names, strict=True))
            lims = sorted(((mapping[k], lo.xreplace(mapping), hi.xreplace(mapping))
                           for k, lo, hi in limits), key=lambda t: t[0].name)
            cand = sp.Sum(s.function.xreplace(mapping), *lims)
            key = sp.srepr(cand)
            if best is None or key < best[0]:
                best = (key, cand)
        assert best is not None
        return best[1]

    @staticmethod
    def _signature(body: Any, k: Any) -> str:
        mark = sp.Symbol("□", integer=True)
        parts = sorted(sp.srepr(f.xreplace({k: mark})) for f in sp.Mul.make_args(body)
                       if f.has(k))
        return "|".join(parts)

    # -- deltas of free indices --

    def free_deltas(self, e: Any) -> Any:
        """In a term with δ(p, q) (p, q free), q is replaced by p elsewhere in the term."""
        out = []
        for term in sp.Add.make_args(self._expand(e)):
            for _ in range(8):
                deltas = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.KroneckerDelta)
                          and all(a.is_Symbol or a.is_Integer for a in f.args)]
                done = True
                for d in deltas:
                    p, q = sorted(d.args, key=sp.default_sort_key)
                    if q.is_Integer:
                        p, q = q, p
                    rest = sp.Mul(*[f for f in sp.Mul.make_args(term) if f is not d])
                    if not rest.has(q):
                        continue
                    new = self.norm(rest.xreplace({q: p}), dict(self.ranges)) * d
                    if new != term:
                        term, done = new, False
                        break
                if done:
                    break
            out.append(term)
        return sp.Add(*out)


# ----- atoms, for the zero test -----


def atomize(e: Any) -> tuple[Any, dict]:
    """Each sum and each matrix entry (outside sums) replaced by a real symbol, equal ones by
    the same symbol: a rational function of the atoms that is 0 is 0 for every value."""
    table: dict = {}

    def atom(x: Any) -> sp.Symbol:
        if x not in table:
            table[x] = sp.Symbol(f"α{len(table)}", real=True)
        return table[x]

    def walk(x: Any) -> Any:
        if isinstance(x, sp.Sum | MatrixElement):
            return atom(x)
        if x.is_Atom or not x.args:
            return x
        if isinstance(x, sp.KroneckerDelta):
            return x
        args = [walk(a) for a in x.args]
        return x.func(*args)

    return walk(e), table
