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
DOTS = ("·", "⋅")  # a middle dot, a dot operator: scaling, or the inner product of two vectors
KRONECKER = "⊗"
TIMES = "×"  # a product of scalars; of vectors the cross product, of matrices @ or *? refused
SQUARE = "superscript power"  # the kind of a piece that was ² or ³ (or ^2, ^{3})
POWER_OR_TRANSPOSE = "superscript T"  # ^T where T is declared: Kᵀ of a matrix, s^T of a scalar
INVERSE = "superscript inverse"  # ⁻¹, ^{-1}, ^-1: the inverse of a matrix, 1/s of a scalar
ROOT, EXPONENTIAL = "√", "e^"  # √A and e^{A} of a square matrix: matrix functions in maths
# after an operand: ^2, ^{2}, ^-1, ^{-1}, ^T, ^{T} (⊤ and ᵀ arrive as .T: ^.T, ^{.T})
# the inverse transposed, A^{-T}, A^{-ᵀ} (read as A^{-.T}), A⁻ᵀ (T a letter only if undeclared)
_INVERSE_T = re.compile(r"\^\s*\{\s*-\s*(?:\.T|(?P<letter>T))\s*\}|⁻(?:\.T|(?P<letter2>T))")
_CARET = re.compile(r"\^\s*(?:\{\s*(?P<b>-1|\d+|T|\.T)\s*\}|(?P<n>-1(?![\d.])|\d+)"
                    r"|(?P<neg>-\d+)(?![\d.])|(?P<t>T|\.T)(?![\d_.])"
                    r"|\{\s*(?P<expr>[^{}]+?)\s*\}|\((?P<paren>[^()]+)\)|(?P<name>[A-Za-z_]\w*))")
# since round 15 also ^t, ^{t}, ^{k+1}: a power (γ^k, β₁^t); ^{(i)} is refused (a sample)
# √x, √2, √d_k, √x[i] (a name or a number, and its subscript); √(…) is sqrt(…)
_ROOT_ARG = re.compile(r"\s*([A-Za-z_]\w*(?:\[[^\[\]]*\])?|\d+(?:\.\d+)?)")
# e^{…}, e^(…), e^x, e^-x: exp where e is not a declared name
_E_POWER = re.compile(r"e\s*\^\s*(?:(?P<brace>\{)|(?P<paren>\()"
                      r"|(?P<token>-?[A-Za-z_]\w*|-?\d+(?:\.\d+)?))")
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
    inverses: frozenset[int] = frozenset()  # each ``**`` that was ⁻¹ or ^{-1}: inv of a matrix
    dots: frozenset[int] = frozenset()  # each ``%`` that was a · (a product or an inner one)
    krons: frozenset[int] = frozenset()  # each ``%`` that was a ⊗ (a Kronecker product)
    transposes: frozenset[int] = frozenset()  # each ``** T`` that was ^T with T declared
    times: frozenset[int] = frozenset()  # each ``%`` that was a × (scalars only: round 18)

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
    wrapped: bool = False  # an opening | glued to a function's name, log|x|: log(abs(x))


def read_notation(text: str, declared: frozenset[str] = frozenset()) -> Notation:
    """Read ‖·‖ (``||·||`` where the text has no single bar), ⊙, superscripts (², ³, ⁻¹, and
    as plain text ^2, ^{-1}, ^T), √ and e^{…} (``declared``: the claim's names, which keep
    their meaning: e^s of a declared e, x^T of a declared T are not read); positions of the
    errors raised are in ``text``."""
    if not any(mark in text for mark in (*BARS, HADAMARD, "|", *_SUPERSCRIPT_DIGITS, "^", "√",
                                         "⁻", *DOTS, KRONECKER, TIMES, "⟨")):
        return Notation(text, (), {}, frozenset(), frozenset())
    prose_free = _without_comments(text)
    double_bars = "||" in text and "|" not in prose_free.replace("||", "")
    # |s| (abs) where the text has no ASCII ||, which two single bars could also be (‖ is
    # another character: |x · y| ≤ ‖x‖ ‖y‖ is read, a | closing only a |, a ‖ only a ‖)
    single_bars = "|" in prose_free and "||" not in prose_free \
        and "\\" not in prose_free  # \| is LaTeX
    angles = prose_free.count("⟨") == prose_free.count("⟩")  # else the parser says what
    pieces: list[_Piece] = []
    open_bars: list[int] = []  # indices into pieces of the opening bars
    singles: set[int] = set()  # those of them that are a single | (abs)
    closers: set[int] = set()  # indices in text of the brackets that close an e^{…}
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "#":  # a comment is prose: copied as it is
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            pieces.extend(_Piece(c, i + k) for k, c in enumerate(text[i:end]))
            i = end
            continue
        if ch in "⟨⟩" and angles:  # ⟨x, y⟩: dot(x, y) (of matrices refused, as dot is)
            glue = " " if ch == "⟨" and _ends_operand(pieces) else ""  # 2⟨x, y⟩: a product
            pieces.append(_Piece(glue + "dot(" if ch == "⟨" else ")", i))
            i += 1
            continue
        width = 2 if double_bars and text.startswith("||", i) else \
            1 if ch in BARS or (single_bars and ch == "|") else 0
        if width:
            single = width == 1 and ch == "|"
            if open_bars and _ends_operand(pieces) and (open_bars[-1] in singles) == single:
                i = _close(text, i, width, pieces, open_bars.pop(), absolute=single)
            else:
                # lam‖w‖², 2‖x‖: kept apart, so the parser says a product needs * or @
                glued = _ends_operand(pieces) and pieces[-1].text.strip() != ""
                open_bars.append(len(pieces))
                if single:
                    singles.add(len(pieces))
                if glued and ch == "|" and _last_word(pieces) in _CALLED_ON_BARS:
                    pieces.append(_Piece("(", i, wrapped=True))  # log|x|: log(abs(x))
                else:
                    pieces.append(_Piece(" " if glued else "", i))
                i += width
            continue
        if _after_superscript(pieces) and (
                ch in _SUPERSCRIPT_DIGITS or text.startswith("⁻¹", i)
                or ch == "^" and _CARET.match(text, i)):
            # A^{-1}^2, x²³: ** would group them from the right (A ** (-1 ** 2))
            raise _error(text, i, "two superscripts in a row are not read: group the first, "
                                  "(A^{-1})^2, or write the power with ** and inv(A)")
        if ch in _SUPERSCRIPT_DIGITS and _ends_operand(pieces):  # s², (xᵀw)², x³
            pieces.append(_Piece(f" ** {_SUPERSCRIPT_DIGITS[ch]}", i, kind=SQUARE))
            i += 1
            continue
        if text.startswith("⁻¹", i) and _ends_operand(pieces):  # A⁻¹, s⁻¹ (A⁻¹ᵀ: -1 .T)
            pieces.append(_Piece(" ** -1 ", i, kind=INVERSE))
            i += 2
            continue
        m = _INVERSE_T.match(text, i) if ch in "^⁻" and _ends_operand(pieces) else None
        if m and not ((m.group("letter") or m.group("letter2")) and "T" in declared):  # A⁻ᵀ
            pieces.append(_Piece(" ** -1 ", i, kind=INVERSE))
            pieces.append(_Piece(".T", i))
            i = m.end()
            continue
        m = _CARET.match(text, i) if ch == "^" and _ends_operand(pieces) else None
        if m and m.group("paren"):  # p^(1 - y): a power by the parenthesised exponent
            inner = m.group("paren").strip()
            if inner == "T":
                pieces.append(_Piece(".T", i))
            else:
                pieces.append(_Piece(f" ** ({inner})", i,
                                     kind=INVERSE if inner == "-1" else SQUARE))
            i = m.end()
            continue
        if m and (m.group("expr") or m.group("name")) \
                and re.search(r"[\t\r\f\b\v]", m.group()):  # x^\top turned by a TOML "..."
            m = None  # string into ^, a tab and "op": left for the LaTeX refusal
        if m and (m.group("expr") or m.group("name") or m.group("neg")):  # γ^k, β^{t}: a power
            power = m.group("expr") or m.group("name") or m.group("neg")  # s^-2 (round 18)
            if re.fullmatch(r"[(\[]\s*\w+\s*[)\]]", power):  # x^{(i)}, W^{[l]}: sample, layer
                raise _error(text, i, f"a superscript in brackets, ^{{{power}}}, names a "
                                      "sample, a step or a layer in ML notes, not a power: "
                                      "declare one symbol per layer (W1, W2) or write the "
                                      f"row X[{power[1:-1].strip()}, :] or the entry x[i] "
                                      f"for a sample, ** {power} for a power")
            pieces.append(_Piece(f" ** ({power})" if m.group("expr") or m.group("neg")
                                 else f" ** {power}", i, kind=SQUARE))
            i = m.end()
            continue
        if m:  # x^2, A^{-1}, x^T as plain text writes superscripts
            power = m.group("b") or m.group("n") or m.group("t")
            if power in ("T", ".T"):
                if "T" in declared and power == "T":
                    # K^T with T declared (a sequence length): a transpose of a matrix, a
                    # power of a scalar; the parser tells them apart by the base's shape
                    pieces.append(_Piece(" ** T", i, kind=POWER_OR_TRANSPOSE))
                    i = m.end()
                    continue
                pieces.append(_Piece(".T", i))
            else:
                # a space after -1: A⁻¹ᵀ as A ** -1 .T, the transpose read by the parser
                pieces.append(_Piece(f" ** {power}" + (" " if power == "-1" else ""), i,
                                     kind=INVERSE if power == "-1" else SQUARE))
            i = m.end()
            continue
        if ch == "√":  # √x, √(x + 1), √d_k; glued after an operand (2√s) kept apart, so the
            glue = " " if _ends_operand(pieces) else ""  # parser says a product needs *
            m = _ROOT_ARG.match(text, i + 1)
            if text[i + 1:].lstrip().startswith("("):
                pieces.append(_Piece(glue + "sqrt", i, kind=ROOT))
                i += 1
                continue
            if m:
                pieces.append(_Piece(glue + "sqrt(", i, kind=ROOT))
                pieces.extend(_Piece(c, m.start(1) + k) for k, c in enumerate(m.group(1)))
                pieces.append(_Piece(")", m.end(1) - 1))
                i = m.end()
                continue
        # after an operand only with a space between (s e^{-s}, juxtaposed: round 16)
        m = _E_POWER.match(text, i) if ch == "e" and "e" not in declared \
            and not (_ends_operand(pieces) and not text[i - 1].isspace()) \
            and not (i and (text[i - 1].isalnum() or text[i - 1] in "_.")) else None
        if m:  # e^{-s}, e^(x), e^x: exp(…)
            token = m.group("token") or ""
            if re.fullmatch(r"-?\d+(?:\.\d+)?", token) and re.match(r"[A-Za-z_(]",
                                                                       text[m.end():]):
                # e^2s, e^-2s: e^{2s} as plain text means, e² s as LaTeX typesets (round 18)
                rest = re.match(r"[A-Za-z_]\w*|\(", text[m.end():]).group()  # type: ignore
                rest = "(...)" if rest == "(" else rest
                raise _error(text, i, f"e^{token}{rest}: is {rest} in the exponent? write "
                                      f"e^{{{token}{rest}}} (exp({token} * {rest})) or "
                                      f"e^{{{token}}} {rest} (exp({token}) * {rest})")
            if m.group("token"):
                pieces.append(_Piece("exp(", i, kind=EXPONENTIAL))
                pieces.extend(_Piece(c, m.start("token") + k)
                              for k, c in enumerate(m.group("token")))
                pieces.append(_Piece(")", m.end() - 1))
                i = m.end()
                continue
            close = _matching(text, m.end() - 1)
            if close is not None:  # what is inside is read on (e^{s^2 / 2})
                pieces.append(_Piece("exp(", i, kind=EXPONENTIAL))
                closers.add(close)
                i = m.end()
                continue
        if i in closers:  # the closing bracket of e^{…}
            pieces.append(_Piece(")", i))
            i += 1
            continue
        pieces.append(_Piece("%" if ch in (HADAMARD, KRONECKER, TIMES, *DOTS) else ch, i))
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
    inverses: set[int] = set()
    transposes: set[int] = set()
    dots: set[int] = set()
    krons: set[int] = set()
    times: set[int] = set()
    for p in pieces:
        if p.text == "%" and text[p.origin] == TIMES:
            times.add(len(back))
        if p.text == "%" and text[p.origin] in DOTS:
            dots.add(len(back))
        if p.text == "%" and text[p.origin] == KRONECKER:
            krons.add(len(back))
        if p.kind == SQUARE:
            powers.add(len(back) + 1)  # the first * of " ** 2"
        elif p.kind == INVERSE:
            inverses.add(len(back) + 1)
        elif p.kind == POWER_OR_TRANSPOSE:
            transposes.add(len(back) + 1)
        elif p.kind is not None:
            # where the call starts (after "(" of log|x|)
            norms[len(back) + len(p.text) - len(p.text.lstrip()) + p.wrapped] = p.kind
        if p.text == "%" and text[p.origin] == HADAMARD:
            hadamard.add(len(back))
        out.append(p.text)
        back.extend([p.origin] * len(p.text))
    return Notation("".join(out), tuple(back), norms, frozenset(hadamard), frozenset(powers),
                    frozenset(inverses), frozenset(dots), frozenset(krons),
                    frozenset(transposes), frozenset(times))


_CALLED_ON_BARS = frozenset(("log", "exp", "sqrt"))  # log|x|, sqrt|x|: the call's argument


def _last_word(pieces: list[_Piece]) -> str:
    """The name the text so far ends with (log of "2 * log"), or ""."""
    text = "".join(p.text for p in pieces[-12:])
    m = re.search(r"([A-Za-z_]\w*)$", text)
    return m.group(1) if m else ""


def _after_superscript(pieces: list[_Piece]) -> bool:
    """Does the text so far end with a superscript read as ** (spaces aside)?"""
    for p in reversed(pieces):
        if p.text.isspace() or not p.text:
            continue
        return p.kind in (SQUARE, INVERSE, POWER_OR_TRANSPOSE)
    return False


def _matching(text: str, opening: int) -> int | None:
    """The index of the bracket closing the one at ``opening`` ({ or ( ), or None."""
    pair = {"{": "}", "(": ")"}[text[opening]]
    depth = 0
    for k in range(opening, len(text)):
        depth += (text[k] == text[opening]) - (text[k] == pair)
        if depth == 0:
            return k
    return None


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


def _close(text: str, i: int, width: int, pieces: list[_Piece], opener: int,
           absolute: bool = False) -> int:
    """The closing bar at ``i``: its subscript and power read, the call completed (``absolute``:
    |x|, abs); returns the index after what was read."""
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
    if absolute:
        if subscript:
            raise _error(text, i + width, f"|·|_{subscript} is not read: write abs(x) for |x| "
                                          f"and, of a vector, {NORM_SPELLINGS}")
        if not "".join(p.text for p in pieces[opener + 1:]).strip():
            raise _error(text, pieces[opener].origin, "an empty | |; write abs(x) for |x|")
        pieces[opener].text, pieces[opener].kind = pieces[opener].text + "abs(", "|·|"
        pieces.append(_Piece("))" if pieces[opener].wrapped else ")", i))
        if power is not None:
            pieces.append(_Piece(f" ** {power}", j - 1))
        return j
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
