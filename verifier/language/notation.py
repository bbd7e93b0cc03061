"""Notations of papers read as the language's own: ‖x‖ (and ``||x||``), ⊙, and x².

``‖e‖``, ``‖e‖₂`` and ``‖e‖_F`` become ``norm(e)``, ``‖e‖_1`` ``sum(abs(e))``, ``‖e‖_∞``
``max(abs(e))``; a power written after the bars (``‖e‖²``, ``‖e‖^2``, ``‖e‖_2^2``) becomes
``** k``.  The parser keeps which call each one became (``norms``): ``‖A‖``, ``‖A‖₂``,
``‖A‖₁`` and ``‖A‖_∞`` of a matrix are induced norms in most texts (the spectral norm, the
largest column or row sum), not the entry-wise ones, and are refused there once shapes are
known.  ``a ⊙ b`` becomes ``a % b``: ``%`` parses with ``*``'s precedence and is no operator of
the language, so the parser can tell a Hadamard product (``hadamard``) from a ``%`` the user
typed, and refuse ``a ⊙ B @ c`` (NumPy's precedence and the paper's may differ there).
``s²``, ``(xᵀw)²``, ``x³`` after an operand become ``** 2``, ``** 3``: element-wise, as ``**``
(Adam's g², a scalar's s²); refused by the parser for a matrix, where A² is A @ A in maths.

Positions: ``back[k]`` is the index in the text given of character k of the text returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifier.language.errors import ClaimInputError

__all__ = ["BAR", "BARS", "HADAMARD", "Notation", "read_notation"]

BAR = "‖"
BARS = (BAR, "∥")  # ∥ (PARALLEL TO) is how a PDF's \| often pastes
HADAMARD = "⊙"
SQUARE = "superscript power"  # the kind of a piece that was ² or ³
_SUBSCRIPT_DIGITS = {"₁": "1", "₂": "2"}
_SUPERSCRIPT_DIGITS = {"²": "2", "³": "3"}
# after the closing bar: _2, _{2}, _F, _fro, _1, _∞, _inf, ₂; ^2, ^{2}, ^{-1}, ² (** is left)
_SUBSCRIPT = re.compile(r"_(?:\{\s*([^{}\s]*)\s*\}|(inf|fro|[0-9A-Za-z∞*]))|([₁₂])")
_POWER = re.compile(r"\s*\^\s*(?:\{\s*(-?\d+)\s*\}|(-?\d+))|([²³])")
_DIVERGENCE = re.compile(r"\w\s*\(\s*[^()‖|]+?\s*(?:‖|\|\|)\s*[^()‖|]+?\)")
_NORM_CALLS = {"": "norm(", "2": "norm(", "F": "norm(", "fro": "norm(",
               "1": "sum(abs(", "∞": "max(abs(", "inf": "max(abs("}
NORM_SPELLINGS = ("‖x‖ (or ‖x‖_2) is norm(x), ‖x‖_1 is sum(abs(x)), ‖x‖_∞ is max(abs(x)), "
                  "‖A‖_F is norm(A)")


@dataclass(frozen=True)
class Notation:
    """The text with ‖·‖ and ⊙ read; ``norms``: index of each call that a ‖·‖ became → what
    was written (``"‖·‖"``, ``"‖·‖_2"``, ``"‖·‖_1"``, ``"‖·‖_∞"``, ``"‖·‖_F"``);
    ``hadamard``: index of each ``%`` that was a ⊙; ``superscripts``: index of each ``**``
    that was a ² or ³ after an operand (A² of a matrix is A @ A in maths: refused there)."""

    text: str
    back: tuple[int, ...]
    norms: dict[int, str]
    hadamard: frozenset[int]
    superscripts: frozenset[int] = frozenset()

    def origin(self, index: int) -> int:
        """The index in the text given of character ``index`` of ``text``."""
        if not self.back:
            return index
        if index < len(self.back):
            return self.back[max(index, 0)]
        return self.back[-1] + 1 + index - len(self.back)  # past the end: the end


@dataclass
class _Piece:
    text: str
    origin: int
    kind: str | None = None  # for the opening piece of a norm: what was written


def read_notation(text: str) -> Notation:
    """Read ‖·‖ (``||·||`` where the text has no single bar) and ⊙; positions of the errors
    raised are in ``text``."""
    if not any(mark in text for mark in (*BARS, HADAMARD, "||", *_SUPERSCRIPT_DIGITS)):
        return Notation(text, (), {}, frozenset(), frozenset())
    double_bars = "||" in text and "|" not in _without_comments(text).replace("||", "")
    pieces: list[_Piece] = []
    open_bars: list[int] = []  # indices into pieces of the opening bars
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "#":  # a comment is prose: copied as it is
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            pieces.extend(_Piece(c, i + k) for k, c in enumerate(text[i:end]))
            i = end
            continue
        width = 2 if double_bars and text.startswith("||", i) else 1 if ch in BARS else 0
        if width:
            if open_bars and _ends_operand(pieces):
                i = _close(text, i, width, pieces, open_bars.pop())
            else:
                # lam‖w‖², 2‖x‖: kept apart, so the parser says a product needs * or @
                glued = _ends_operand(pieces) and pieces[-1].text.strip() != ""
                open_bars.append(len(pieces))
                pieces.append(_Piece(" " if glued else "", i))
                i += width
            continue
        if ch in _SUPERSCRIPT_DIGITS and _ends_operand(pieces):  # s², (xᵀw)², x³
            pieces.append(_Piece(f" ** {_SUPERSCRIPT_DIGITS[ch]}", i, kind=SQUARE))
            i += 1
            continue
        pieces.append(_Piece("%" if ch == HADAMARD else ch, i))
        i += 1
    if open_bars:
        at = pieces[open_bars[-1]].origin
        if _DIVERGENCE.search(text):  # KL(p ‖ q): a bar between two arguments
            raise _error(text, at, "a divergence D(p ‖ q) is not in the language: write "
                                   "sum(p * log(p / q)) for KL(p ‖ q) (p, q probabilities)")
        raise _error(text, at, "a ‖ (or ||) is not closed: write norm(x) for ‖x‖, "
                               "abs(x) for |x|")
    out: list[str] = []
    back: list[int] = []
    norms: dict[int, str] = {}
    hadamard: set[int] = set()
    powers: set[int] = set()
    for p in pieces:
        if p.kind == SQUARE:
            powers.add(len(back) + 1)  # the first * of " ** 2"
        elif p.kind is not None:
            norms[len(back) + len(p.text) - len(p.text.lstrip())] = p.kind
        if p.text == "%" and text[p.origin] == HADAMARD:
            hadamard.add(len(back))
        out.append(p.text)
        back.extend([p.origin] * len(p.text))
    return Notation("".join(out), tuple(back), norms, frozenset(hadamard), frozenset(powers))


def _without_comments(text: str) -> str:
    return re.sub(r"#[^\n]*", "", text)


def _ends_operand(pieces: list[_Piece]) -> bool:
    """Does the text so far end an operand (x, f(x), x[i], x.T), so a bar here closes?"""
    for p in reversed(pieces):
        if p.text.isspace() or not p.text:
            continue
        last = p.text[-1]
        return last.isalnum() or last in "_)]ᵀ⊤."
    return False


def _close(text: str, i: int, width: int, pieces: list[_Piece], opener: int) -> int:
    """The closing bar at ``i``: its subscript and power read, the call completed; returns
    the index after what was read."""
    j = i + width
    subscript, power = None, None
    for _ in range(2):  # ‖x‖_2^2 and ‖x‖^2_2
        m = _SUBSCRIPT.match(text, j) if subscript is None else None
        if m:
            subscript = next(g for g in m.groups() if g is not None)
            subscript = _SUBSCRIPT_DIGITS.get(subscript, subscript)
            j = m.end()
            continue
        m = _POWER.match(text, j) if power is None else None
        if m:
            power = next(g for g in m.groups() if g is not None)
            power = _SUPERSCRIPT_DIGITS.get(power, power)
            j = m.end()
            continue
        break
    subscript = subscript or ""
    if subscript not in _NORM_CALLS:
        raise _error(text, i + width, f"‖·‖_{subscript} is not in the language; "
                                      f"{NORM_SPELLINGS}")
    if not "".join(p.text for p in pieces[opener + 1:]).strip():
        raise _error(text, pieces[opener].origin, f"an empty ‖ ‖; {NORM_SPELLINGS}")
    call = _NORM_CALLS[subscript]
    written = {"": "‖·‖", "fro": "‖·‖_F", "inf": "‖·‖_∞"}.get(subscript, f"‖·‖_{subscript}")
    pieces[opener].text, pieces[opener].kind = pieces[opener].text + call, written
    pieces.append(_Piece(")" * call.count("("), i))
    if power is not None:
        pieces.append(_Piece(f" ** {power}", j - 1))
    return j


def _error(text: str, index: int, message: str) -> ClaimInputError:
    before = text[:index]
    line = before.count("\n") + 1
    return ClaimInputError(message, line=line, column=index - (before.rfind("\n") + 1) + 1)
