"""Shapes written as sets, as papers declare symbols: ``x ∈ ℝ^n``, ``X ∈ ℝ^{n×d}``,
``W ∈ R^{m \\times n}``, ``s ∈ ℝ``; in a declaration (``"x ∈ R^n, A ∈ R^{n×n}"``, or
``{ x = "ℝ^n" }``) and as an assumption that restates one.  Only the reals: ``{0, 1}^n``,
``ℤ``, ``ℕ`` and the like keep the refusals that say what to declare."""

from __future__ import annotations

import re

__all__ = ["declarations_from_sets", "kind_of_set", "membership"]

_REALS = r"(?:ℝ|R|\\mathbb\s*\{\s*R\s*\}|\\R|\\reals)"
_TIMES = r"(?:×|\\times|\*|,|\s+x\s+|x(?=\s*\w+\s*\}))"
_SET = re.compile(
    rf"{_REALS}\s*(?:\^\s*(?:\{{\s*(?P<r>\w+?)\s*{_TIMES}\s*(?P<c>\w+)\s*\}}"
    rf"|\(\s*(?P<r2>\w+)\s*{_TIMES}\s*(?P<c2>\w+)\s*\)"
    rf"|\{{\s*(?P<v>\w+)\s*\}}|(?P<v2>\w+)))?")
_MEMBER = re.compile(rf"(?P<name>[A-Za-z_]\w*)\s*(?:∈|\\in\b|\bin\b)\s*(?P<set>{_REALS}.*)")
_KIND = re.compile(rf"(?P<name>[A-Za-z_]\w*)\s*:\s*(?P<set>{_REALS}.*)")


def kind_of_set(text: str) -> str | None:
    """The kind a set of reals written in ``text`` declares (``ℝ^{n×d}``: matrix(n, d)),
    or None."""
    m = _SET.fullmatch(text.strip())
    if m is None:
        return None
    rows, cols = m.group("r") or m.group("r2"), m.group("c") or m.group("c2")
    if rows and cols == "1":  # ℝ^{n×1}: a column
        return f"vector({rows})"
    if rows:
        return f"matrix({rows}, {cols})"
    length = m.group("v") or m.group("v2")
    return f"vector({length})" if length else "scalar"


def membership(text: str) -> tuple[str, str] | None:
    """``x ∈ ℝ^n`` (or ``x: ℝ^n``) as (x, vector(n)); None for any other text."""
    m = _MEMBER.fullmatch(text.strip()) or _KIND.fullmatch(text.strip())
    if m is None:
        return None
    kind = kind_of_set(m.group("set"))
    return (m.group("name"), kind) if kind else None


def declarations_from_sets(text: str) -> str:
    """A declaration text with each ``x ∈ ℝ^n`` written ``x: vector(n)`` (the others as they
    are); declarations split at commas and semicolons outside brackets."""
    pieces, depth, start = [], 0, 0
    for k, ch in enumerate(text):
        depth += (ch in "([{") - (ch in ")]}")
        if depth == 0 and ch in ",;":
            pieces.append(text[start:k])
            start = k + 1
    pieces.append(text[start:])
    if not any(membership(p) for p in pieces):
        return text
    out = []
    for piece in pieces:
        read = membership(piece)
        out.append(f"{read[0]}: {read[1]}" if read else piece.strip())
    return ", ".join(out)
