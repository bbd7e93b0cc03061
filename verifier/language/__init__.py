"""The claim language: NumPy-flavoured formulas, parsed by a whitelist and never executed.

``compile_expression(text, symbols)`` checks ``text`` (syntax, names, shapes, sizes) and
returns a builder for the engine; ``ClaimInputError`` says what is wrong and where.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from verifier.claim import DISCRETE, Assumption, SymbolDecl
from verifier.language.errors import ClaimInputError, did_you_mean
from verifier.language.evaluate import CompiledExpr, evaluate
from verifier.language.functions import FUNCTIONS
from verifier.language.parser import LIMITS, Limits, Scope, parse_expression
from verifier.language.printer import to_text
from verifier.language.shapes import ONE, Shape
from verifier.language.tree import Number, Transpose, Unary

__all__ = [
    "FUNCTIONS",
    "LIMITS",
    "ClaimInputError",
    "CompiledExpr",
    "Limits",
    "Scope",
    "compile_expression",
    "did_you_mean",
    "evaluate",
    "one_dimensional_sides",
    "one_dimensional_steps",
    "parse_expression",
    "scope_of",
    "to_text",
    "zero_as_shape",
    "zeros_as_shapes",
]


def scope_of(
    symbols: Iterable[SymbolDecl] | Mapping[str, SymbolDecl],
    layout: str = "denominator",
    assumptions: Iterable[Assumption] = (),
) -> Scope:
    """What names mean in a claim; ``assumptions`` tell which symbols take integer values
    (``y binary``, ``Y one-hot``, ``t in 1..T``), so that ``h ** y[i]`` and ``y[i] == 0``
    are accepted."""
    decls = dict(symbols) if isinstance(symbols, Mapping) else {d.name: d for d in symbols}
    integer = frozenset(a.names[0] for a in assumptions
                        if not a.compound and (a.kind in DISCRETE or a.kind == "range"))
    positive = frozenset(a.names[0] for a in assumptions if not a.compound and (
        a.kind == "positive" or (a.kind == "interval" and a.interval is not None
                                 and (a.interval[0] > 0 or (a.interval[0] == 0
                                                            and a.interval[2])))))
    intervals = tuple((a.names[0], *a.ends, *a.interval[2:]) for a in assumptions
                      if not a.compound and a.kind == "interval" and a.ends is not None
                      and a.interval is not None)
    nonnegative = frozenset(a.names[0] for a in assumptions if not a.compound and (
        a.kind == "nonnegative" or (a.kind == "interval" and a.interval is not None
                                    and a.interval[0] >= 0)))
    return Scope(decls, layout, integer, positive, intervals, nonnegative)


def compile_expression(
    text: str,
    symbols: Iterable[SymbolDecl] | Scope,
    layout: str = "denominator",
    assumptions: Iterable[Assumption] = (),
) -> CompiledExpr:
    """Parse and check ``text`` against the declared symbols (and the assumptions that make
    some of them integer-valued); return its builder."""
    scope = symbols if isinstance(symbols, Scope) else scope_of(symbols, layout, assumptions)
    return CompiledExpr(text, parse_expression(text, scope), scope.layout)


def zero_as_shape(side: CompiledExpr, other: Shape) -> CompiledExpr:
    """A side written as a number against a vector or a matrix, read as NumPy broadcasts it:
    L @ ones(n) = 0 and A - A = 0 mean every entry 0, P @ ones(n) = 1 every entry 1 (before,
    each was refuted by its shape).  A nonzero number against a matrix that is not a vector
    stays a scalar (refuted by the shapes): 1 there may mean I or 𝟏𝟏ᵀ."""
    tree = side.tree
    sign, number = ("-", tree.arg) if isinstance(tree, Unary) and tree.op == "-" else ("", tree)
    if not (isinstance(number, Number) and number.shape.is_scalar and other.is_matrix
            and not other.is_one_by_one):  # a 1×1 side is read as a scalar already
        return side
    if number.value != 0 and not (other.is_column or other.rows == ONE):
        return side
    spread = Number(other, number.pos, value=number.value)
    return CompiledExpr(side.text, Unary(other, tree.pos, op="-", arg=spread) if sign else spread,
                        side.layout)


# NumPy and PyTorch code, where every vector is 1-D (neither a row nor a column); not axis=,
# which the language's own sum, mean, logsumexp and softmax take
_NUMPY_CODE = re.compile(r"\b(?:np|numpy|torch|jnp|scipy|F)\.|\bdim\s*=|"
                         r"\.(?:sum|mean|var|std|max|min|reshape|dot|numpy)\(")


def one_dimensional_sides(lhs: CompiledExpr, rhs: CompiledExpr) -> tuple[CompiledExpr,
                                                                          CompiledExpr]:
    """A 1×m row against an m×1 column where a side is NumPy code (``X.mean(axis=0) ==
    np.ones(N) @ X / N``): both are the one 1-D array of NumPy, compared entry by entry, so
    the row is read as its column.  Written as maths (``grad(w.T @ x, w) = x.T``) a row
    against a column stays a shape mismatch (refuted)."""
    a, b = lhs.shape, rhs.shape
    if not (a.is_matrix and b.is_matrix and a == b.T and a != b and
            (a.is_column or b.is_column) and not a.is_one_by_one):
        return lhs, rhs
    if not (_NUMPY_CODE.search(lhs.text) or _NUMPY_CODE.search(rhs.text)):
        return lhs, rhs

    def column(side: CompiledExpr) -> CompiledExpr:
        if side.shape.is_column:
            return side
        t = side.tree
        return CompiledExpr(side.text, Transpose(t.shape.T, t.pos, t.degree, arg=t),
                            side.layout)
    return column(lhs), column(rhs)


def one_dimensional_steps(steps: list[CompiledExpr]) -> list[CompiledExpr]:
    """A derivation's steps read as ``one_dimensional_sides`` reads a claim's sides, each
    beside the next (X.mean(axis=0), then np.ones(N) @ X / N: one 1-D array of NumPy)."""
    out = list(steps)
    for k in range(len(out) - 1):
        out[k], out[k + 1] = one_dimensional_sides(out[k], out[k + 1])
    return out


def zeros_as_shapes(steps: list[CompiledExpr]) -> list[CompiledExpr]:
    """A derivation's step written as a number is read against a step beside it, as
    ``zero_as_shape`` reads a side."""
    out = list(steps)
    for k, step in enumerate(steps):
        for near in steps[max(k - 1, 0):k] + steps[k + 1:k + 2]:
            if out[k] is step:
                out[k] = zero_as_shape(step, near.shape)
    return out
