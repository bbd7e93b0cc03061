"""The checked expression tree: what the parser produces, the evaluator runs and the printer prints.

Every node carries its static shape.  Positions (``pos``: 1-based line and column in the
expression text) and the size bound ``degree`` are left out of equality, so a printed and
re-parsed expression compares equal to the original.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from verifier.language.shapes import SCALAR, Shape

__all__ = [
    "Binary",
    "Call",
    "Compare",
    "Constant",
    "DimValue",
    "Grid",
    "Node",
    "Number",
    "Subscript",
    "Symbol",
    "ToScalar",
    "Transpose",
    "Unary",
    "children",
    "walk",
]

Pos = tuple[int, int]


@dataclass(frozen=True)
class Node:
    shape: Shape
    pos: Pos = field(default=(1, 1), compare=False, repr=False)
    # the product of the constant exponents nested in this node: bounds how large a
    # constant the evaluator can build ((10**30)**64)**64 ...)
    degree: int = field(default=1, compare=False, repr=False)


@dataclass(frozen=True)
class Number(Node):
    """A non-negative exact number (a decimal literal is its exact rational value)."""

    value: Fraction = Fraction(0)


@dataclass(frozen=True)
class Symbol(Node):
    """A declared symbol; ``kind`` as declared (scalar, integer, vector, matrix, index)."""

    name: str = ""
    kind: str = "scalar"
    extent: str | int | None = None  # an index's range 0..extent-1 (a dimension or a size)


@dataclass(frozen=True)
class DimValue(Node):
    """A dimension name used as a number (``x / n``, ``eye(n)``)."""

    name: str = ""


@dataclass(frozen=True)
class Constant(Node):
    """A named constant (``pi``)."""

    name: str = ""


@dataclass(frozen=True)
class Unary(Node):
    op: str = "-"  # "-" | "+"
    arg: Node = field(default_factory=lambda: Number(SCALAR))


@dataclass(frozen=True)
class Binary(Node):
    op: str = "+"  # + - * / ** @
    left: Node = field(default_factory=lambda: Number(SCALAR))
    right: Node = field(default_factory=lambda: Number(SCALAR))


@dataclass(frozen=True)
class Transpose(Node):
    arg: Node = field(default_factory=lambda: Number(SCALAR))


@dataclass(frozen=True)
class Call(Node):
    fn: str = ""
    args: tuple[Node, ...] = ()
    axis: int | None = None  # softmax(Z, axis=0): the keyword, where the function takes one


@dataclass(frozen=True)
class Subscript(Node):
    """``x[i]``, ``W[i, j]``, ``W[i, :]``, ``W[:, j]``: ``keys`` holds one node per position
    (an integer ``Number`` or an index ``Symbol``), ``None`` for a whole row or column (``:``).
    ``x[i]`` of a vector is written with one key; the parser stores two (``x[i, 0]``, or
    ``r[0, i]`` for a row), so every Subscript has a row key and a column key."""

    arg: Node = field(default_factory=lambda: Number(SCALAR))
    keys: tuple[Node | None, ...] = ()


@dataclass(frozen=True)
class Compare(Node):
    """``a > b`` as 1 where it holds and 0 elsewhere, element-wise (``==``, ``!=`` only between
    integer-valued operands: indices, labels, integer literals).  ``discrete``: both operands
    are integer-valued, so the indicator has no kink where they meet."""

    op: str = ">"  # > >= < <= == !=
    left: Node = field(default_factory=lambda: Number(SCALAR))
    right: Node = field(default_factory=lambda: Number(SCALAR))
    discrete: bool = False


@dataclass(frozen=True)
class Grid(Node):
    """The rows of blocks written [[A, B], [C, D]] (only as the argument of ``block``); its
    shape is the assembled matrix's."""

    rows: tuple[tuple[Node, ...], ...] = ()


@dataclass(frozen=True)
class ToScalar(Node):
    """A 1×1 matrix read as a scalar (inserted by the parser, never written by the user)."""

    arg: Node = field(default_factory=lambda: Number(SCALAR))


def children(node: Node) -> tuple[Node, ...]:
    """The nodes directly below ``node`` (a subscript's keys after its operand)."""
    if isinstance(node, Unary | Transpose | ToScalar):
        return (node.arg,)
    if isinstance(node, Subscript):
        return (node.arg, *(k for k in node.keys if k is not None))
    if isinstance(node, Binary | Compare):
        return (node.left, node.right)
    if isinstance(node, Call):
        return tuple(node.args)
    if isinstance(node, Grid):
        return tuple(b for row in node.rows for b in row)
    return ()


def walk(node: Node):
    """Every node of a tree, the root first."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(children(n))
