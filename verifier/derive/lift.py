"""From index form back to matrix form: the entry G[i, j] of a gradient as matrix products.

``lift(e, (i, j))`` returns a matrix expression M with M[i, j] = e, or None.  The rules, one
per form of ``e`` (each a plain identity of entries):

    X[i, j] → X,   X[j, i] → Xᵀ,   u[i] v[j] → uvᵀ,   f(e) → f(M) element-wise,
    Σₖ A[i, k] w[k] → Aw,   Σₖ A[i, k] B[k, j] → AB,   Σₖ a[k] b[k] → aᵀb,

a product of entries is an element-wise product, a sum a sum.  So an expression written with
indices gets a closed form where one exists (∂/∂W Σᵢⱼ Wᵢⱼ xⱼ yᵢ = yxᵀ); the engine proves the
result like any other.
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from verifier.derive.expr import (
    E,
    Eye,
    Ones,
    Sym,
    add,
    fn,
    had,
    matmul,
    mul,
    num,
    power,
    transpose,
)
from verifier.language.shapes import ONE, SCALAR, Shape, size_of

__all__ = ["lift"]


class _NoLift(Exception):
    pass


class _Lifter:
    def __init__(self, decls, sizes: dict):
        self.decls = decls  # name -> SymbolDecl
        self.sizes = dict(sizes)  # index symbol -> Size of its range

    def shape(self, idx: tuple) -> Shape:
        if not idx:
            return SCALAR
        rows = self.sizes[idx[0]]
        cols = self.sizes[idx[1]] if len(idx) > 1 else ONE
        return Shape(rows, cols)

    def symbol(self, name: str) -> E:
        d = self.decls.get(name)
        if d is None:
            raise _NoLift(f"unknown symbol {name}")
        if d.kind in ("scalar", "integer"):
            return Sym(SCALAR, name=name, kind=d.kind)
        if d.kind == "vector":
            return Sym(Shape(size_of(d.dims[0]), ONE), name=name, kind="vector")
        if d.kind == "matrix":
            return Sym(Shape(size_of(d.dims[0]), size_of(d.dims[1])), name=name, kind="matrix")
        raise _NoLift(f"{name} is an index")

    def lift(self, e, idx: tuple) -> E:
        """M with M[idx] = e (a scalar for no index, a column for one, a matrix for two)."""
        # a scalar sum, entry or function read as a scalar comes back here from scalar():
        # it is lifted by its form, not sent to scalar() again (which recursed without end)
        if not (e.free_symbols & set(idx)) and (
                idx or not isinstance(e, sp.Sum | MatrixElement | sp.Function)):
            s = self.scalar(e)
            return s if not idx else mul(s, Ones(self.shape(idx)))
        if isinstance(e, MatrixElement):
            return self.element(e, idx)
        if isinstance(e, sp.Add):
            return add(*[self.lift(t, idx) for t in e.args])
        if isinstance(e, sp.Mul):
            return self.product(list(e.args), idx)
        if isinstance(e, sp.Pow):
            if e.exp.free_symbols & set(idx):
                raise _NoLift("an exponent that depends on an index")
            if e.exp == sp.Rational(1, 2):
                return fn("sqrt", self.lift(e.base, idx))
            return power(self.lift(e.base, idx), self.scalar(e.exp))
        if isinstance(e, sp.exp):
            return fn("exp", self.lift(e.args[0], idx))
        if isinstance(e, sp.Function) and type(e).__name__ in ("log", "tanh", "sigmoid",
                                                                    "sin", "cos", "atan", "erf"):
            return fn(type(e).__name__, self.lift(e.args[0], idx))
        if isinstance(e, sp.Sum):
            return self.contraction(e, idx)
        if isinstance(e, sp.KroneckerDelta) and set(e.args) == set(idx) and len(idx) == 2:
            return Eye(self.shape(idx))
        raise _NoLift(f"{type(e).__name__}")

    def scalar(self, e) -> E:
        if e.free_symbols & set(self.sizes):
            raise _NoLift("an index where a scalar was expected")
        if isinstance(e, sp.Integer):
            return num(int(e))
        if isinstance(e, sp.Rational):
            from fractions import Fraction

            return num(Fraction(int(e.p), int(e.q)))
        if isinstance(e, sp.Symbol):
            if e.name in self.decls:
                return self.symbol(e.name)
            from verifier.derive.expr import Dim

            return Dim(SCALAR, name=e.name)
        if isinstance(e, sp.Add):
            return add(*[self.scalar(t) for t in e.args])
        if isinstance(e, sp.Mul):
            return mul(*[self.scalar(t) for t in e.args])
        if isinstance(e, sp.Pow):
            return power(self.scalar(e.base), self.scalar(e.exp))
        if isinstance(e, sp.Sum | MatrixElement | sp.Function):
            return self.lift(e, ())
        raise _NoLift(f"the scalar {type(e).__name__}")

    def element(self, e: MatrixElement, idx: tuple) -> E:
        m, a, b = e.args
        x = self.symbol(m.name)
        column = x.shape.cols == ONE
        if column:
            if b != 0:
                raise _NoLift("a column read at a column other than 0")
            at = (a,)
        else:
            at = (a, b)
        if len(idx) == 1:
            if at == idx:
                return x
            raise _NoLift("an entry that does not follow the index")
        i, j = idx
        if at == (i, j):
            return x
        if at == (j, i):
            return transpose(x)
        if at == (i,):  # u[i]: the same down each column
            return matmul(x, Ones(Shape(ONE, self.sizes[j])))
        if at == (j,):
            return matmul(Ones(Shape(self.sizes[i], ONE)), transpose(x))
        raise _NoLift("an entry at indices the result does not have")

    def product(self, factors: list, idx: tuple) -> E:
        if len(idx) < 2:
            return had(*[self.lift(f, idx) for f in factors])
        i, j = idx
        only_i = [f for f in factors if i in f.free_symbols and j not in f.free_symbols]
        only_j = [f for f in factors if j in f.free_symbols and i not in f.free_symbols]
        both = [f for f in factors if {i, j} <= f.free_symbols]
        neither = [f for f in factors if not ({i, j} & f.free_symbols)]
        parts = [self.lift(f, idx) for f in both]
        if only_i or only_j:
            u = had(*[self.lift(f, (i,)) for f in only_i]) if only_i else Ones(
                Shape(self.sizes[i], ONE))
            v = had(*[self.lift(f, (j,)) for f in only_j]) if only_j else Ones(
                Shape(self.sizes[j], ONE))
            parts.append(matmul(u, transpose(v)))
        scale = [self.scalar(f) for f in neither]
        return mul(*scale, had(*parts)) if parts else mul(*scale, Ones(self.shape(idx)))

    def contraction(self, e: sp.Sum, idx: tuple) -> E:
        body, limits = e.function, e.limits
        if len(limits) > 1:  # SymPy lists the innermost limit first: the outermost is last,
            body = sp.Sum(body, *limits[:-1])  # and the inner sum is a factor of its body
        return self.contract(body, limits[-1], idx)

    def contract(self, body, limit, idx: tuple) -> E:
        """Σₖ body over one index k (``limit``), as a matrix product."""
        k, lo, hi = limit
        if lo != 0:
            raise _NoLift("a sum that does not start at 0")
        top = sp.expand(hi + 1)
        self.sizes[k] = size_of(top.name if isinstance(top, sp.Symbol) else int(top))
        factors = list(sp.Mul.make_args(body))
        outside = [f for f in factors if k not in f.free_symbols]
        inside = [f for f in factors if k in f.free_symbols]
        free = set(idx)
        k_only = [f for f in inside if not (f.free_symbols & free)]
        with_free = [f for f in inside if f.free_symbols & free]
        w = had(*[self.lift(f, (k,)) for f in k_only]) if k_only else Ones(
            Shape(self.sizes[k], ONE))
        if not idx:
            if with_free:
                raise _NoLift("a free index in a scalar")
            total = fn("sum", w) if not k_only or len(k_only) != 2 else matmul(
                transpose(self.lift(k_only[0], (k,))), self.lift(k_only[1], (k,)))
        elif len(idx) == 1:
            (i,) = idx
            if not with_free:
                raise _NoLift("a sum independent of the index")
            m = had(*[self.lift(f, (i, k)) for f in with_free])
            total = matmul(m, w)
        else:
            i, j = idx
            left = [f for f in with_free if i in f.free_symbols and j not in f.free_symbols]
            right = [f for f in with_free if j in f.free_symbols and i not in f.free_symbols]
            if len(left) + len(right) != len(with_free) or not left or not right:
                raise _NoLift("a sum over three indices")
            a = had(*[self.lift(f, (i, k)) for f in left])
            b = had(*[self.lift(f, (k, j)) for f in right])
            if k_only:
                a = had(a, matmul(Ones(Shape(self.sizes[i], ONE)), transpose(w)))
            total = matmul(a, b)
        rest = self.lift(sp.Mul(*outside), idx) if outside else None
        return total if rest is None else (had(rest, total) if idx else mul(rest, total))


def _hoist(e):
    """Sums split one index at a time, innermost first, each over a sum of terms and with
    the factors that do not depend on its index moved out: Σₗ Σₚ X[l,k] X[l,p] w[p] becomes
    Σₚ w[p] (Σₗ X[l,k] X[l,p]), where the contractions show."""
    if isinstance(e, sp.Sum):
        out = _hoist(e.function)
        for limit in e.limits:  # innermost first
            out = _one_sum(out, limit)
        return out
    if e.args and not isinstance(e, MatrixElement):
        return e.func(*[_hoist(a) for a in e.args])
    return e


def _one_sum(body, limit):
    k = limit[0]
    if isinstance(body, sp.Add):
        return sp.Add(*[_one_sum(t, limit) for t in body.args])
    factors = sp.Mul.make_args(body)
    outside = [f for f in factors if k not in f.free_symbols]
    inside = [f for f in factors if k in f.free_symbols]
    if not inside:
        return sp.Mul(*outside) * (limit[2] - limit[1] + 1)
    return sp.Mul(*outside) * sp.Sum(sp.Mul(*inside), limit)


def lift(value, free: list, decls) -> E | None:
    """The entry ``value`` at the free indices ``free`` ([(index symbol, its range's
    Size)]) as a matrix expression, or None where a rule is missing."""
    lifter = _Lifter(decls, {s: size for s, size in free})
    idx = tuple(s for s, _ in free)
    try:
        return lifter.lift(_hoist(value), idx)
    except (_NoLift, KeyError, ValueError, TypeError):
        return None
