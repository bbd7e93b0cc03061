"""vec and kron rewritten away where an identity removes them, so reverse mode (which has no
rule for either: their adjoints need a reshape the claim language cannot write) reaches the
matrices inside.

    kron(P, Q) @ vec(X) = vec(Q X Pᵀ)        vec(P)ᵀ vec(Q) = tr(PᵀQ)
    kron(P, Q) kron(R, S) = kron(PR, QS)     tr kron(P, Q) = tr P · tr Q
    sum kron(P, Q) = sum P · sum Q           ‖kron(P, Q)‖ = ‖P‖ ‖Q‖
    kron(P, Q)ᵀ = kron(Pᵀ, Qᵀ)
    sum vec(X) = sum X, ‖vec(X)‖ = ‖X‖, logsumexp(vec(X)) = logsumexp(X)
    vec(X) + vec(Y) = vec(X + Y), vec(X) ∘ vec(Y) = vec(X ∘ Y), f(vec(X)) = vec(f(X))

Each is the same function of the symbols, so the derivative is of the expression as written
(and the engine proves it against that expression).  They apply inside ``rewriting()``
(derive, prove_differential); elsewhere ``from_tree`` reads an expression as written (the
report shows EXPR, emit writes f).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from verifier.derive.expr import (
    ELEMENTWISE,
    Add,
    E,
    Fn,
    Had,
    MatMul,
    Mul,
    Pow,
    T,
    add,
    fn,
    had,
    is_scalar,
    matmul,
    mul,
    power,
    transpose,
)
from verifier.language.shapes import ONE, Shape

__all__ = ["entrywise", "kron_transpose", "product", "reduce", "rewriting"]

_ON: ContextVar[bool] = ContextVar("vecrules_on", default=False)


@contextmanager
def rewriting() -> Iterator[None]:
    """The identities apply to expressions read in this block."""
    token = _ON.set(True)
    try:
        yield
    finally:
        _ON.reset(token)


def _vec_of(inner: E, rows) -> E:
    return inner if is_scalar(inner) or inner.shape.is_one_by_one else Fn(
        Shape(rows, ONE), name="vec", args=(inner,))


def _kron_of(p: E, q: E, shape: Shape) -> E:
    if (is_scalar(p) or p.shape.is_one_by_one) and (is_scalar(q) or q.shape.is_one_by_one):
        return mul(p, q)
    return Fn(shape, name="kron", args=(p, q))


def _is(e: E, name: str) -> bool:
    return isinstance(e, Fn) and e.name == name


def _fits(x: E, p: E, q: E, t: bool = False) -> bool:
    """X is the matrix that kron(P, Q) (kron(P, Q)ᵀ when t) maps by vec: Q.cols × P.cols.
    The language only checks that the lengths agree (n·m = m·n)."""
    p, q = (transpose(p), transpose(q)) if t else (p, q)
    return x.shape == Shape(q.shape.cols, p.shape.cols)


def _pair(a: E, b: E, rows, cols) -> E | None:
    """One rewrite of the adjacent factors a b (a rows×k, b k×cols), or None."""
    if _is(a, "kron") and _is(b, "vec") and _fits(b.args[0], *a.args):
        p, q = a.args  # kron(P, Q) vec(X) = vec(Q X Pᵀ)
        return _vec_of(matmul(q, b.args[0], transpose(p)), rows)
    if isinstance(a, T) and _is(a.arg, "kron") and _is(b, "vec") \
            and _fits(b.args[0], *a.arg.args, t=True):
        p, q = a.arg.args  # kron(Pᵀ, Qᵀ) vec(X)
        return _vec_of(matmul(transpose(q), b.args[0], p), rows)
    if isinstance(a, T) and _is(a.arg, "vec"):
        y = a.arg.args[0]
        if _is(b, "vec") and y.shape == b.args[0].shape:  # vec(P)ᵀ vec(Q) = tr(PᵀQ)
            return fn("trace", matmul(transpose(y), b.args[0]))
        if _is(b, "kron") and _fits(y, *b.args, t=True):  # vec(Y)ᵀ kron(P, Q) = vec(QᵀYP)ᵀ
            p, q = b.args
            return transpose(_vec_of(matmul(transpose(q), y, p), cols))
        if isinstance(b, T) and _is(b.arg, "kron") and _fits(y, *b.arg.args):
            p, q = b.arg.args  # vec(Y)ᵀ kron(P, Q)ᵀ = vec(Q Y Pᵀ)ᵀ
            return transpose(_vec_of(matmul(q, y, transpose(p)), cols))
    if _is(a, "kron") and not _is(b, "vec") and not _is(b, "kron"):
        p, q = a.args  # a column factor is kron(R, 1) or kron(1, R)'s partner:
        if q.shape.is_column and p.shape.cols == b.shape.rows:  # kron(P, q) R = kron(PR, q)
            return _kron_of(matmul(p, b), q, Shape(rows, cols))
        if p.shape.is_column and q.shape.cols == b.shape.rows:  # kron(p, Q) R = kron(p, QR)
            return _kron_of(p, matmul(q, b), Shape(rows, cols))
    if _is(a, "kron") and _is(b, "kron"):  # the mixed-product property, where it fits
        (p, q), (r, s) = a.args, b.args
        if p.shape.cols == r.shape.rows and q.shape.cols == s.shape.rows:
            return _kron_of(matmul(p, r), matmul(q, s), Shape(rows, cols))
    return None


def product(e: E) -> E:
    """A matrix product with the identities above applied to adjacent factors."""
    if not (_ON.get() and isinstance(e, MatMul)):
        return e
    factors = list(e.factors)
    changed = True
    while changed:
        changed = False
        for i in range(len(factors) - 1):
            a, b = factors[i], factors[i + 1]
            new = _pair(a, b, a.shape.rows, b.shape.cols)
            if new is not None:
                factors[i:i + 2] = [new]
                changed = True
                break
    return matmul(*factors) if len(factors) != len(e.factors) else e


def reduce(name: str, a: E) -> E | None:
    """trace, sum, norm or logsumexp of a kron or a vec as the scalars it is, or None.
    (det kron(P, Q) = det(P)^q det(Q)^p is left to the user, in the hint: the engine cannot
    decide a claim that holds the determinant of a symbolic kron within any time limit.)"""
    if not _ON.get():
        return None
    if _is(a, "kron") and name in ("trace", "sum", "norm"):
        p, q = a.args
        if name == "trace" and not (p.shape.is_square and q.shape.is_square):
            return None
        return mul(fn(name, p), fn(name, q))
    if _is(a, "vec") and name in ("sum", "norm", "logsumexp"):
        return fn(name, a.args[0])
    return None


def kron_transpose(e: E) -> E:
    """kron(P, Q)ᵀ = kron(Pᵀ, Qᵀ), so the mixed-product property meets it."""
    if _ON.get() and isinstance(e, T) and _is(e.arg, "kron"):
        p, q = e.arg.args
        return Fn(e.shape, name="kron", args=(transpose(p), transpose(q)))
    return e


def _inside(e: E) -> E | None:
    """X where e is vec(X) written entry-wise (sums, products, element-wise functions of
    vecs of one shape, scalars broadcast), else None."""
    if is_scalar(e):
        return e
    if _is(e, "vec"):
        return e.args[0]
    if isinstance(e, Fn) and e.name in ELEMENTWISE:
        a = _inside(e.args[0])
        return fn(e.name, a) if a is not None else None
    if isinstance(e, Pow) and is_scalar(e.exp):
        a = _inside(e.base)
        return power(a, e.exp) if a is not None else None
    parts = e.terms if isinstance(e, Add) else e.factors if isinstance(e, Had | Mul) else None
    if parts is None:
        return None
    inner = [_inside(t) for t in parts]
    shapes = {t.shape for t in inner if t is not None and not is_scalar(t)}
    if any(t is None for t in inner) or len(shapes) != 1:
        return None
    return add(*inner) if isinstance(e, Add) else had(*inner) if isinstance(e, Had) else \
        mul(*inner)


def entrywise(e: E) -> E:
    """An entry-wise combination of vecs as the vec of the combination (vec(X) − vec(Y) =
    vec(X − Y)), so norm, sum and the products above can remove the vec."""
    if not _ON.get() or is_scalar(e) or _is(e, "vec") or not e.shape.is_column:
        return e
    inner = _inside(e)
    return _vec_of(inner, e.shape.rows) if inner is not None else e
