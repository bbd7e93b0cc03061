"""The judge's reading of the claim language: a parsed expression at one concrete point.

The parser (``verifier.language.parser``) gives a checked tree; this module gives it a value
with ``arith.Arith``, exactly (Fractions) wherever the point and the operations allow, else
as a rigorous interval.  It shares nothing with the engine but the parser and the meaning
the README gives each function: NumPy-flavoured operators (``*`` between two matrices is
element-wise, a scalar broadcasts over ``+ - * /``, ``M ** k`` is element-wise), ``grad``
in denominator layout (X's shape) or numerator layout (its transpose), ``softmax`` over a
column or over each row of a matrix, ``var`` the population variance.

``grad(f, X)`` is forward-mode: f is evaluated once per entry of X with that entry a dual
number.  A kink (relu, abs, max at a tie) on the way has no derivative: ``Undefined``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from verifier.language.tree import (
    Binary,
    Call,
    Compare,
    Constant,
    DimValue,
    Node,
    Number,
    Symbol,
    ToScalar,
    Transpose,
    Unary,
)
from verifier.selftest.arith import Arith, Dual, Undefined, is_exact

__all__ = ["Mat", "Point", "evaluate", "det", "inverse", "matmul"]


class Mat:
    """A concrete matrix: a list of rows of scalars."""

    __slots__ = ("rows",)

    def __init__(self, rows: list[list[Any]]):
        self.rows = rows

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.rows), len(self.rows[0]) if self.rows else 0)

    @property
    def T(self) -> Mat:  # noqa: N802 - reads like the maths
        r, c = self.shape
        return Mat([[self.rows[i][j] for i in range(r)] for j in range(c)])

    def entries(self) -> list[Any]:
        return [x for row in self.rows for x in row]

    def map(self, fn: Callable[[Any], Any]) -> Mat:
        return Mat([[fn(x) for x in row] for row in self.rows])

    def __repr__(self) -> str:
        return f"Mat({self.rows!r})"


@dataclass
class Point:
    """Values of a claim's symbols (scalars, ``Mat``) and its dimension sizes."""

    values: dict[str, Any]
    sizes: dict[str, int] = field(default_factory=dict)


# ----- matrix algebra over any scalars Arith handles -----


def matmul(ar: Arith, a: Mat, b: Mat) -> Mat:
    (n, k), (k2, m) = a.shape, b.shape
    if k != k2:
        raise ValueError(f"shapes {a.shape} and {b.shape} do not fit")
    out = []
    for i in range(n):
        row = []
        for j in range(m):
            acc: Any = Fraction(0)
            for t in range(k):
                acc = ar.add(acc, ar.mul(a.rows[i][t], b.rows[t][j]))
            row.append(acc)
        out.append(row)
    return Mat(out)


def _all_fractions(m: Mat) -> bool:
    return all(isinstance(x, Fraction) for x in m.entries())


def _det_exact(rows: list[list[Fraction]]) -> Fraction:
    """Gaussian elimination over the rationals."""
    a = [list(r) for r in rows]
    n, sign, d = len(a), 1, Fraction(1)
    for c in range(n):
        p = next((r for r in range(c, n) if a[r][c] != 0), None)
        if p is None:
            return Fraction(0)
        if p != c:
            a[c], a[p] = a[p], a[c]
            sign = -sign
        d *= a[c][c]
        for r in range(c + 1, n):
            f = a[r][c] / a[c][c]
            if f:
                a[r] = [x - f * y for x, y in zip(a[r], a[c], strict=True)]
    return sign * d


def _berkowitz_det(ar: Arith, rows: list[list[Any]]) -> Any:
    """Division-free determinant (Berkowitz): safe for intervals and dual numbers."""
    n = len(rows)
    if n == 0:
        return Fraction(1)
    p: list[Any] = [Fraction(1), ar.neg(rows[0][0])]  # det(xI − A₁) = x − a₁₁
    for i in range(1, n):
        # A_{i+1} = [[A_i, c], [r, a]]
        a_ii = rows[i][i]
        r = [rows[i][j] for j in range(i)]
        c = [rows[j][i] for j in range(i)]
        t: list[Any] = [Fraction(1), ar.neg(a_ii)]
        v = c
        for _ in range(i):  # −r A^k c for k = 0 .. i−1
            acc: Any = Fraction(0)
            for x, y in zip(r, v, strict=True):
                acc = ar.add(acc, ar.mul(x, y))
            t.append(ar.neg(acc))
            v = [_dot(ar, rows[j][:i], v) for j in range(i)]
        new = []
        for k in range(i + 2):
            acc = Fraction(0)
            for j in range(min(k, i) + 1):
                if k - j < len(t):
                    acc = ar.add(acc, ar.mul(t[k - j], p[j]))
            new.append(acc)
        p = new
    return p[n] if n % 2 == 0 else ar.neg(p[n])


def _dot(ar: Arith, xs: list, ys: list) -> Any:
    acc: Any = Fraction(0)
    for x, y in zip(xs, ys, strict=True):
        acc = ar.add(acc, ar.mul(x, y))
    return acc


def det(ar: Arith, m: Mat) -> Any:
    n, k = m.shape
    if n != k:
        raise ValueError("det of a non-square matrix")
    if _all_fractions(m):
        return _det_exact(m.rows)
    return _berkowitz_det(ar, m.rows)


def inverse(ar: Arith, m: Mat) -> Mat:
    """A⁻¹; ``Undefined`` when det A = 0, ``Uncertain`` when an interval det encloses 0."""
    n, k = m.shape
    if n != k:
        raise ValueError("inv of a non-square matrix")
    d = det(ar, m)
    if ar.sign(d) == 0:
        raise Undefined("inverse of a singular matrix")
    if _all_fractions(m):
        return Mat(_inverse_exact(m.rows))
    cof = []
    for i in range(n):
        row = []
        for j in range(n):
            minor = [[m.rows[r][c] for c in range(n) if c != i] for r in range(n) if r != j]
            cd = _berkowitz_det(ar, minor)
            row.append(cd if (i + j) % 2 == 0 else ar.neg(cd))
        cof.append(row)
    inv_d = ar.recip(d)
    return Mat([[ar.mul(x, inv_d) for x in row] for row in cof])


def _inverse_exact(rows: list[list[Fraction]]) -> list[list[Fraction]]:
    n = len(rows)
    a = [list(r) + [Fraction(int(i == j)) for j in range(n)] for i, r in enumerate(rows)]
    for c in range(n):
        p = next(r for r in range(c, n) if a[r][c] != 0)
        a[c], a[p] = a[p], a[c]
        piv = a[c][c]
        a[c] = [x / piv for x in a[c]]
        for r in range(n):
            if r != c and a[r][c] != 0:
                f = a[r][c]
                a[r] = [x - f * y for x, y in zip(a[r], a[c], strict=True)]
    return [row[n:] for row in a]


# ----- the evaluator -----


def evaluate(node: Node, point: Point, ar: Arith, layout: str = "denominator") -> Any:
    """The value of ``node`` at ``point``: a scalar or a ``Mat`` (raises Undefined/Uncertain)."""
    return _Eval(point, ar, layout).eval(node)


class _Eval:
    def __init__(self, point: Point, ar: Arith, layout: str):
        self.point, self.ar, self.layout = point, ar, layout

    def eval(self, node: Node) -> Any:
        ar = self.ar
        if isinstance(node, Number):
            return Fraction(node.value)
        if isinstance(node, Symbol):
            return self.point.values[node.name]
        if isinstance(node, DimValue):
            return Fraction(self.point.sizes[node.name])
        if isinstance(node, Constant):
            return ar.const(node.name)
        if isinstance(node, Unary):
            v = self.eval(node.arg)
            if node.op == "+":
                return v
            return v.map(ar.neg) if isinstance(v, Mat) else ar.neg(v)
        if isinstance(node, Transpose):
            v = self.eval(node.arg)
            return v.T if isinstance(v, Mat) else v
        if isinstance(node, ToScalar):
            v = self.eval(node.arg)
            if isinstance(v, Mat):
                if v.shape != (1, 1):
                    raise ValueError(f"expected a 1×1 value, got {v.shape}")
                return v.rows[0][0]
            return v
        if isinstance(node, Binary):
            return self.binary(node)
        if isinstance(node, Call):
            return self.call(node)
        if isinstance(node, Compare):
            return self.compare(node)
        raise TypeError(f"not a language node: {node!r}")

    def compare(self, node: Compare) -> Any:
        """1 where the comparison holds, 0 elsewhere, element-wise; its sign certified
        (``Uncertain`` when an enclosure straddles the threshold)."""
        ar = self.ar
        holds = {">": lambda k: k > 0, ">=": lambda k: k >= 0, "<": lambda k: k < 0,
                 "<=": lambda k: k <= 0, "==": lambda k: k == 0, "!=": lambda k: k != 0}
        test = holds[node.op]

        def one(x: Any, y: Any) -> Fraction:
            return Fraction(int(test(ar.sign(ar.sub(x, y)))))

        return _pairwise(self.eval(node.left), self.eval(node.right), one, "comparison")

    # ----- operators: chosen by the static shapes, as the language defines them -----

    def binary(self, node: Binary) -> Any:
        ar = self.ar
        a, b = self.eval(node.left), self.eval(node.right)
        ma = isinstance(a, Mat)
        op = node.op
        if op == "@":
            return matmul(ar, a, b)
        if op == "**":
            return a.map(lambda t: ar.pow(t, b)) if ma else ar.pow(a, b)
        fn = {"+": ar.add, "-": ar.sub, "*": ar.mul, "/": ar.div}[op]
        return _pairwise(a, b, fn, f"element-wise {op}")

    # ----- functions -----

    def call(self, node: Call) -> Any:
        ar = self.ar
        fn = node.fn
        if fn == "grad":
            return self.grad(node.args[0], node.args[1])
        if fn in ("eye", "ones", "zeros"):
            sizes = [self.size(a) for a in node.args]
            n, m = (sizes[0], sizes[0]) if fn == "eye" else (sizes[0], sizes[1] if
                                                              len(sizes) > 1 else 1)
            if fn == "eye":
                return Mat([[Fraction(int(i == j)) for j in range(n)] for i in range(n)])
            v = Fraction(1 if fn == "ones" else 0)
            return Mat([[v] * m for _ in range(n)])
        if fn == "onehot":
            y, c = int(self.eval(node.args[0])), self.size(node.args[1])
            return Mat([[Fraction(int(i == y))] for i in range(c)])
        args = [self.eval(a) for a in node.args]
        x = args[0]
        unary = {"log": ar.log, "exp": ar.exp, "sqrt": ar.sqrt, "abs": ar.abs,
                 "tanh": ar.tanh, "sigmoid": ar.sigmoid, "relu": ar.relu}
        if fn in unary:
            f = unary[fn]
            return x.map(f) if isinstance(x, Mat) else f(x)
        if fn == "leaky_relu":
            a = args[1]
            return x.map(lambda t: ar.leaky_relu(t, a)) if isinstance(x, Mat) else \
                ar.leaky_relu(x, a)
        if fn == "inv":
            return inverse(ar, x) if isinstance(x, Mat) else ar.recip(x)
        if fn == "det":
            return det(ar, x) if isinstance(x, Mat) else x
        if fn == "trace":
            if not isinstance(x, Mat):
                return x
            acc: Any = Fraction(0)
            for i in range(x.shape[0]):
                acc = ar.add(acc, x.rows[i][i])
            return acc
        if fn in ("softmax", "log_softmax"):
            return self.softmax(x, log=fn == "log_softmax")
        m = x if isinstance(x, Mat) else Mat([[x]])
        if fn in ("sum", "mean", "var", "norm", "max"):
            es = m.entries()
            if fn == "max":
                return ar.max(es)
            total = _sum(ar, es)
            if fn == "sum":
                return total
            if fn == "norm":
                return ar.sqrt(_sum(ar, [ar.mul(t, t) for t in es]))
            mu = ar.div(total, Fraction(len(es)))
            if fn == "mean":
                return mu
            dev = [ar.sub(t, mu) for t in es]
            return ar.div(_sum(ar, [ar.mul(t, t) for t in dev]), Fraction(len(es)))
        if fn == "diag":
            r, c = m.shape
            if c == 1:
                return Mat([[m.rows[i][0] if i == j else Fraction(0) for j in range(r)]
                            for i in range(r)])
            return Mat([[m.rows[i][i]] for i in range(r)])
        if fn == "hadamard":
            b = args[1] if isinstance(args[1], Mat) else Mat([[args[1]]])
            return Mat([[ar.mul(s, t) for s, t in zip(ra, rb, strict=True)]
                        for ra, rb in zip(m.rows, b.rows, strict=True)])
        if fn == "kron":
            b = args[1] if isinstance(args[1], Mat) else Mat([[args[1]]])
            (p, q), (r, s) = m.shape, b.shape
            return Mat([[ar.mul(m.rows[i // r][j // s], b.rows[i % r][j % s])
                         for j in range(q * s)] for i in range(p * r)])
        if fn == "vec":
            r, c = m.shape
            return Mat([[m.rows[i][j]] for j in range(c) for i in range(r)])
        raise ValueError(f"the judge does not know the function {fn}")

    def size(self, node: Node) -> int:
        v = self.eval(node)
        if not (isinstance(v, Fraction) and v.denominator == 1 and v > 0):
            raise ValueError(f"a size must be a positive integer, got {v}")
        return int(v)

    def softmax(self, x: Any, log: bool) -> Mat:
        ar = self.ar
        m = x if isinstance(x, Mat) else Mat([[x]])
        if m.shape[1] != 1:
            rows = [self.softmax(Mat([[t] for t in row]), log).T.rows[0] for row in m.rows]
            return Mat(rows)
        es = [r[0] for r in m.rows]
        total = _sum(ar, [ar.exp(t) for t in es])
        if log:
            lse = ar.log(total)
            return Mat([[ar.sub(t, lse)] for t in es])
        return Mat([[ar.div(ar.exp(t), total)] for t in es])

    def grad(self, f_node: Node, x_node: Node) -> Any:
        """∂f/∂X entry by entry (forward mode); numerator layout transposes."""
        name = x_node.name  # type: ignore[attr-defined]
        x = self.point.values[name]

        def derivative(seeded: Any) -> Any:
            values = dict(self.point.values)
            values[name] = seeded
            sub = _Eval(Point(values, self.point.sizes), self.ar, self.layout)
            f = sub.eval(f_node)
            if isinstance(f, Mat):
                if f.shape != (1, 1):
                    raise ValueError("grad needs a scalar-valued f")
                f = f.rows[0][0]
            return f.d if isinstance(f, Dual) else Fraction(0)

        if not isinstance(x, Mat):
            if isinstance(x, Dual):
                raise ValueError("the judge does not take second derivatives")
            return derivative(Dual(x, Fraction(1)))
        r, c = x.shape
        out = []
        for i in range(r):
            row = []
            for j in range(c):
                seeded = Mat([[Dual(v, Fraction(int((a, b) == (i, j)))) for b, v in
                               enumerate(rr)] for a, rr in enumerate(x.rows)])
                row.append(derivative(seeded))
            out.append(row)
        g = Mat(out)
        return g.T if self.layout == "numerator" else g


def _sum(ar: Arith, xs: list) -> Any:
    acc: Any = Fraction(0)
    for x in xs:
        acc = ar.add(acc, x)
    return acc


def exact(value: Any) -> bool:
    """Is a value (scalar or Mat) exact rationals throughout?"""
    if isinstance(value, Mat):
        return all(is_exact(x) for x in value.entries())
    return is_exact(value)


def _pairwise(a: Any, b: Any, fn: Callable[[Any, Any], Any], what: str) -> Any:
    """fn entry by entry over two matrices of one shape, a scalar against each entry."""
    ma, mb = isinstance(a, Mat), isinstance(b, Mat)
    if ma and mb:
        if a.shape != b.shape:
            raise ValueError(f"{what} of {a.shape} and {b.shape}")
        return Mat([[fn(x, y) for x, y in zip(ra, rb, strict=True)]
                    for ra, rb in zip(a.rows, b.rows, strict=True)])
    if ma:
        return a.map(lambda t: fn(t, b))
    if mb:
        return b.map(lambda t: fn(a, t))
    return fn(a, b)
