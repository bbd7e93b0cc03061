"""Checked tree back to text in the language, with the fewest parentheses that keep its meaning.

``parse(to_text(tree))`` gives a tree equal to ``tree`` (the round-trip property tests
check this); inserted 1×1-to-scalar conversions are not written, the parser re-inserts them.
"""

from __future__ import annotations

from fractions import Fraction

from verifier.language.shapes import ONE
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
)

__all__ = ["to_text"]

# Python's precedence: comparisons < + - < * / @ < unary - < ** < .T, x[i], calls and atoms
_PREC = {"cmp": 0, "+": 1, "-": 1, "*": 2, "/": 2, "@": 2, "unary": 3, "**": 4, "atom": 5}


def to_text(node: Node) -> str:
    return _text(node)[0]


def _number(v: Fraction) -> str:
    if v.denominator == 1:
        return str(v.numerator)
    # a decimal literal's value has a denominator 2^a 5^b: print it exactly as a decimal
    den, k = v.denominator, 0
    while den % 10 == 0 or den % 2 == 0 or den % 5 == 0:
        if den % 10 == 0:
            den //= 10
        elif den % 2 == 0:
            den //= 2
        else:
            den //= 5
        k += 1
    if den != 1:
        raise ValueError(f"{v} is not a decimal")
    digits = str(v.numerator * 10**k // v.denominator).rjust(k + 1, "0")
    return f"{digits[:-k]}.{digits[-k:]}"


def _text(node: Node) -> tuple[str, int]:
    if isinstance(node, Number):
        return _number(node.value), _PREC["atom"]
    if isinstance(node, Symbol | DimValue | Constant):
        return node.name, _PREC["atom"]
    if isinstance(node, ToScalar):
        return _text(node.arg)
    if isinstance(node, Transpose):
        inner = _wrap(node.arg, _PREC["atom"])
        if isinstance(node.arg, Number):
            inner = f"({inner})"  # "2.T" would read as the float "2." followed by T
        return f"{inner}.T", _PREC["atom"]
    if isinstance(node, Call):
        args = [to_text(a) for a in node.args]
        if node.axis is not None:
            args.append(f"axis={node.axis}")
        return f"{node.fn}({', '.join(args)})", _PREC["atom"]
    if isinstance(node, Subscript):
        inner = _wrap(node.arg, _PREC["atom"])
        if isinstance(node.arg, Number):
            inner = f"({inner})"
        return f"{inner}[{_keys(node)}]", _PREC["atom"]
    if isinstance(node, Compare):
        # comparisons chain in Python (a < b < c): both operands sit above comparison level
        left = _wrap(node.left, _PREC["cmp"] + 1)
        right = _wrap(node.right, _PREC["cmp"] + 1)
        return f"{left} {node.op} {right}", _PREC["cmp"]
    if isinstance(node, Grid):
        rows = ", ".join("[" + ", ".join(to_text(b) for b in row) + "]" for row in node.rows)
        return f"[{rows}]", _PREC["atom"]
    if isinstance(node, Unary):
        # -x ** 2 is -(x ** 2) in Python, so a power needs no parentheses under a sign
        return f"{node.op}{_wrap(node.arg, _PREC['unary'])}", _PREC["unary"]
    if isinstance(node, Binary):
        p = _PREC[node.op]
        if node.op == "**":  # right-associative; the exponent may carry a sign: x ** -1
            left = _wrap(node.left, p + 1)
            right = _wrap(node.right, _PREC["unary"])
        else:  # left-associative
            left = _wrap(node.left, p)
            right = _wrap(node.right, p + 1)
        return f"{left} {node.op} {right}", p
    raise TypeError(f"not a language node: {node!r}")


def _keys(node: Subscript) -> str:
    """x[i] for a vector's entry, else W[i, j], W[i, :], W[:, j]."""
    shape = node.arg.shape
    r, c = ("" if k is None else to_text(k) for k in node.keys)
    zero_r = isinstance(node.keys[0], Number) and node.keys[0].value == 0
    zero_c = isinstance(node.keys[1], Number) and node.keys[1].value == 0
    if shape.is_column and zero_c:
        return r or ":"
    if shape.rows == ONE and zero_r and not shape.is_column:
        return c or ":"
    return f"{r or ':'}, {c or ':'}"


def _wrap(node: Node, needed: int) -> str:
    text, prec = _text(node)
    return text if prec >= needed else f"({text})"
