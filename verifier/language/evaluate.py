"""Checked tree to SymPy: a builder the engine calls with a general or an explicit environment.

Which operation a node becomes is decided by the *static* shapes of its children (from the
parser), never by the run-time values, so every instantiation of a claim (symbolic sizes,
concrete sizes, rational values) means the same thing.  Everything goes through
``verifier.ops``; an element-wise operation that has no general-dimension form raises
``ops.GeneralFormUnavailable`` and the engine moves on to the element-wise strategies.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from verifier import ops
from verifier.language.functions import BINDERS, FUNCTIONS, default_axis
from verifier.language.printer import to_text
from verifier.language.shapes import value_at
from verifier.language.tree import (
    Binary,
    Call,
    Compare,
    Constant,
    DimValue,
    Grid,
    Node,
    Number,
    Subscript,
    Symbol,
    ToScalar,
    Transpose,
    Unary,
    children,
)

__all__ = ["CompiledExpr", "evaluate", "free_indices"]


@functools.cache
def _sp():
    import sympy

    return sympy


@dataclass(frozen=True)
class CompiledExpr:
    """A claim side: ``build(env)`` returns the SymPy value; ``.text`` is what the user wrote.

    A 1×1 result is returned as a scalar (``ops.sc``), as the language reads it.
    """

    text: str
    tree: Node
    layout: str = "denominator"

    def __call__(self, env: Any) -> Any:
        # a side itself (not yet known: None) is outside every derivative
        with ops.differentiating(bool(ops.DIFFERENTIATING.get())):
            value = evaluate(self.tree, env, self.layout)
        return ops.sc(value) if self.tree.shape.is_one_by_one else value

    @property
    def shape(self):
        return self.tree.shape

    @property
    def free_indices(self) -> frozenset[str]:
        """The index symbols this side uses outside any sum(e, i) that binds them."""
        return free_indices(self.tree)

    def __repr__(self) -> str:
        return f"CompiledExpr({self.text!r})"


def evaluate(node: Node, env: Any, layout: str = "denominator") -> Any:
    sp = _sp()
    if isinstance(node, Number):
        v = node.value
        if node.shape.is_matrix:  # a side written as a number against a matrix (zero_as_shape)
            size = [value_at(d, env) for d in (node.shape.rows, node.shape.cols)]
            return _zero_matrix(*size) if v == 0 else _number(v) * ops.ones(*size)
        return sp.Integer(v.numerator) if v.denominator == 1 else sp.Rational(
            v.numerator, v.denominator
        )
    if isinstance(node, Symbol | DimValue):
        return env[node.name]
    if isinstance(node, Constant):
        return {"pi": sp.pi}[node.name]
    if isinstance(node, Unary):
        v = evaluate(node.arg, env, layout)
        return -v if node.op == "-" else v
    if isinstance(node, Transpose):
        v = evaluate(node.arg, env, layout)
        return v.T if node.arg.shape.is_matrix else v
    if isinstance(node, ToScalar):
        return ops.sc(evaluate(node.arg, env, layout))
    if isinstance(node, Binary):
        return _binary(node, evaluate(node.left, env, layout), evaluate(node.right, env, layout))
    if isinstance(node, Call):
        return _call(node, env, layout)
    if isinstance(node, Grid):
        return [[evaluate(b, env, layout) for b in row] for row in node.rows]
    if isinstance(node, Subscript):
        x = evaluate(node.arg, env, layout)
        r, c = (None if k is None else evaluate(k, env, layout) for k in node.keys)
        with ops.subject(to_text(node.arg)):
            return ops.subscript(x, r, c)
    if isinstance(node, Compare):
        a, b = evaluate(node.left, env, layout), evaluate(node.right, env, layout)
        return _as_shaped(node, ops.compare(a, b, node.op, node.discrete))
    raise TypeError(f"not a language node: {node!r}")


def _number(v: Any) -> Any:
    sp = _sp()
    return sp.Integer(v.numerator) if v.denominator == 1 else sp.Rational(v.numerator,
                                                                          v.denominator)


def _zero_matrix(rows: Any, cols: Any) -> Any:
    sp = _sp()
    if isinstance(rows, int | sp.Integer) and isinstance(cols, int | sp.Integer):
        return sp.zeros(int(rows), int(cols))
    return sp.ZeroMatrix(rows, cols)


class _Bound:
    """An environment with one index bound to a value (inside sum(e, i))."""

    def __init__(self, env: Any, name: str, value: Any):
        self._env, self._name, self._value = env, name, value
        self.mode = getattr(env, "mode", "")

    def __getitem__(self, name: str) -> Any:
        return self._value if name == self._name else self._env[name]


def _extent(index: Symbol, env: Any) -> Any:
    n = index.extent
    return _sp().Integer(n) if isinstance(n, int) else env[n]


def free_indices(node: Node) -> frozenset[str]:
    """Index symbols used outside the sums that bind them."""
    if isinstance(node, Symbol):
        return frozenset({node.name}) if node.kind == "index" else frozenset()
    if isinstance(node, Call) and node.fn in BINDERS and len(node.args) == 2:
        bound = node.args[1]
        assert isinstance(bound, Symbol)
        return free_indices(node.args[0]) - {bound.name}
    out: frozenset[str] = frozenset()
    for child in children(node):
        out |= free_indices(child)
    return out


def _binary(node: Binary, a: Any, b: Any) -> Any:
    op = node.op
    ma, mb = node.left.shape.is_matrix, node.right.shape.is_matrix
    if op == "@":
        return a @ b
    if op == "**":
        with ops.subject(to_text(node.left)):
            return _elementwise(a, lambda t: ops.power(t, b)) if ma else ops.power(a, b)
    if op in ("+", "-"):
        if ma == mb:
            return a + b if op == "+" else a - b
        return _broadcast_add(a, b, op) if ma else _broadcast_add(b, a, op, reverse=True)
    if op == "*":
        if ma and mb:
            return ops.hadamard(a, b)
        return a * b
    if op == "/":
        with ops.subject(to_text(node.right)):
            if ma and mb:
                return _elementwise2(a, b, ops.div)
            if mb:
                return _elementwise(b, lambda t: ops.div(a, t))
            return ops.div(a, b)
    raise TypeError(f"unknown operator {op}")


def _broadcast_add(m: Any, s: Any, op: str, reverse: bool = False) -> Any:
    """``m ± s`` (or ``s ± m``) with the scalar added to every entry, as NumPy broadcasts."""
    sp = _sp()
    if isinstance(m, sp.MatrixBase):
        if op == "+":
            return m.applyfunc(lambda t: t + s)
        return m.applyfunc(lambda t: s - t if reverse else t - s)
    full = s * ops.ones(*m.shape)
    if op == "+":
        return m + full
    return full - m if reverse else m - full


def _elementwise(m: Any, fn: Callable[[Any], Any]) -> Any:
    return ops.elementwise(m, fn)  # a general-size matrix: in index form only


def _elementwise2(a: Any, b: Any, fn: Callable[[Any, Any], Any]) -> Any:
    return ops.elementwise2(a, b, fn)


# ----- functions -----


_BOUND_MEANING = {"sum": ops.index_sum, "prod": ops.index_prod, "mean": ops.index_mean}
_ALONG = {"sum": ops.sum_along, "mean": ops.mean_along}


def _call(node: Call, env: Any, layout: str) -> Any:
    if node.fn in ("grad", "jacobian", "hessian"):
        x = evaluate(node.args[1], env, layout)
        with ops.differentiating(by=x):  # a kink of f in x leaves its derivative undefined
            f = evaluate(node.args[0], env, layout)
        if node.fn == "hessian":
            return FUNCTIONS["hessian"].meaning(f, x)
        return (ops.grad if node.fn == "grad" else ops.jacobian)(f, x, layout)
    if node.fn in BINDERS and len(node.args) == 2:
        body, index = node.args
        assert isinstance(index, Symbol)
        var = env[index.name]  # the index's own symbol in general dimension

        def term(value: Any) -> Any:
            return evaluate(body, _Bound(env, index.name, value), layout)

        return _BOUND_MEANING[node.fn](term, var, _extent(index, env))
    values = [evaluate(a, env, layout) for a in node.args]
    with ops.subject(to_text(node.args[0]) if node.args else ""):
        if node.fn in ("softmax", "log_softmax"):
            axis = node.axis if node.axis is not None else default_axis(node.args[0].shape)
            return FUNCTIONS[node.fn].meaning(values[0], axis)
        if node.axis is not None:
            meaning = _ALONG.get(node.fn, FUNCTIONS[node.fn].meaning)
            return meaning(values[0], node.axis)
        return _as_shaped(node, FUNCTIONS[node.fn].meaning(*values))


def _as_shaped(node: Node, value: Any) -> Any:
    """A 1 × 1 matrix where the node's shape is a matrix: two-argument element-wise operations
    (max(a, b), a > b) of two 1 × 1 values return a scalar, and at size 1 a vector's
    max(w, q) would then meet x / (...) as a scalar where a column is expected."""
    sp = _sp()
    if node.shape.is_matrix and not isinstance(value, (sp.MatrixBase, sp.MatrixExpr)):
        return sp.Matrix([[value]])
    return value
