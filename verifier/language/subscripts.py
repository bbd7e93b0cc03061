"""Entries written as subscripts, as index notation writes them: ``x_i``, ``x_{i}``, ``xᵢ``,
``A_{ij}``, ``A_{i,j}``, ``Aᵢⱼ``, ``softmax(z)_i``, ``(Wx)_i``, ``log_probs_i``.

A subscript is read as an entry only where every key is a symbol declared ``index(n)`` (each
ranges over every entry, so counting from 1 in the paper and from 0 in the language name the
same entries) and the subscripted name is a declared vector (one key) or matrix (two keys),
or a parenthesised expression.  A number (``x_1``: the first entry, or x[1]?), one key of a
matrix (``W_i``: a row or a column?) and a name that is itself declared (``W_q``) are left
as written, for the parser to read or refuse with what to write.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from verifier.claim import SymbolDecl

__all__ = ["Edit", "apply_edits", "subscript_edits"]

Edit = tuple[int, int, str]  # replace text[start:end] with the string

_LETTERS = {"ᵢ": "i", "ⱼ": "j", "ₖ": "k", "ₗ": "l", "ₘ": "m", "ₙ": "n", "ₚ": "p", "ₜ": "t",
            "ₓ": "x", "ₐ": "a", "ₑ": "e", "ₒ": "o", "ₕ": "h", "ₛ": "s", "ᵣ": "r", "ᵤ": "u",
            "ᵥ": "v"}
_UNICODE = "".join(_LETTERS)
_SUBSCRIPT = re.compile(
    # 2x_i: after a number glued to it (round 18), as after a space
    r"(?:(?:(?<![\w\\.])|(?<=(?<![\w.])\d)|(?<=(?<![\w.])\d\d))"
    r"(?P<name>[A-Za-z](?:[A-Za-z0-9]|_(?=[A-Za-z0-9]))*?)|(?P<close>[)\]]))"
    r"(?:_\{\s*(?P<braced>[A-Za-z0-9]+(?:\s*,\s*[A-Za-z0-9]+)?)\s*\}"
    rf"|_(?P<plain>[A-Za-z0-9]+)(?![A-Za-z0-9_])|(?P<uni>[{_UNICODE}]+)(?![A-Za-z0-9_]))")


def subscript_edits(text: str, symbols: Mapping[str, SymbolDecl]) -> list[Edit]:
    """The subscripts in ``text`` that are entries, each as its edit (``x_i`` → ``x[i]``)."""
    indices = {name for name, d in symbols.items() if d.kind == "index"}
    edits: list[Edit] = []
    for m in _SUBSCRIPT.finditer(text):
        keys = _keys(m, indices)
        if keys is None:
            continue
        name = m.group("name")
        if name is not None:
            decl = symbols.get(name)
            written = text[m.start():m.end()]
            if written in symbols or decl is None or \
                    (decl.kind, len(keys)) not in (("vector", 1), ("matrix", 2)):
                continue
        elif len(keys) > 2:
            continue
        base_end = m.end("name") if name is not None else m.end("close")
        edits.append((base_end, m.end(), f"[{', '.join(keys)}]"))
    if "I" not in symbols:  # I_{n}: the identity's size in braces, read as I_n (the parser's)
        edits += [(m.start(), m.end(), f"I_{m.group(1)}")
                  for m in re.finditer(r"(?<![\w\\.])I_\{\s*(\w+)\s*\}", text)]
    return edits


def _keys(m: re.Match[str], indices: set[str]) -> list[str] | None:
    """The declared indices a subscript names (``ij``: i and j), or None."""
    if m.group("braced") is not None and "," in m.group("braced"):
        keys = [k.strip() for k in m.group("braced").split(",")]
        return keys if all(k in indices for k in keys) else None
    raw = m.group("braced") or m.group("plain") or \
        "".join(_LETTERS[ch] for ch in m.group("uni") or "")
    if raw in indices:
        return [raw]
    if len(raw) == 2 and all(ch in indices for ch in raw):
        return list(raw)
    return None


def apply_edits(text: str, edits: list[Edit]) -> tuple[str, tuple[int, ...]]:
    """``text`` with the (disjoint) edits made, and ``back[k]``: the index in ``text`` of
    character k of the result (each new character points at the start of what it replaced)."""
    out: list[str] = []
    back: list[int] = []
    last = 0
    for start, end, new in sorted(edits):
        out.append(text[last:start])
        back.extend(range(last, start))
        out.append(new)
        back.extend([start] * len(new))
        last = end
    out.append(text[last:])
    back.extend(range(last, len(text)))
    return "".join(out), tuple(back)
