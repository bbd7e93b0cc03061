"""Products written by juxtaposition with a space, as papers write them: ``x^T A x``,
``W x + b``, ``1/2 x^T A x``, ``A_{ij} x_j``, ``2 (x + 1)``.

Tried only where the text does not parse as it stands: between two operands that a space
separates (a name, a number, or a closing bracket, then a name, a number or an opening
parenthesis), ``//`` is inserted, an operator the language does not otherwise have; the
parser reads it as the product the shapes allow (``*`` beside a scalar, ``@`` between
matrices whose sizes fit) and refuses the rest (two columns side by side; ``a / b c``).
A name followed by ``(`` is a call (``sigmoid (z)``) unless the name is a declared symbol.
Words of prose (``where``, ``if``, ``for``...) are never joined, so that a definition after a
formula keeps its own refusal.
"""

from __future__ import annotations

import io
import keyword
import re
import tokenize

__all__ = ["JUXTAPOSITION", "juxtaposed"]

JUXTAPOSITION = "//"
_PROSE = frozenset({"where", "with", "when", "given", "for", "if", "else", "and", "or", "not",
                    "in", "is", "assuming", "such", "that", "then"})
_SKIP = (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER,
         tokenize.COMMENT)  # a # comment is prose: never joined (nor across it: a new line)


def juxtaposed(text: str, symbols: frozenset[str]) -> tuple[str, list[int]] | None:
    """``text`` with ``//`` between operands that a space separates, and the indices (in
    ``text``) where each was inserted; None where there is none, or the text has a ``//``
    of its own or does not tokenize."""
    if JUXTAPOSITION in text or re.search(r"(?<!\w)d\w*\s*/\s*d\w", text):
        return None  # d/dx f, dL/dw g: a derivative, refused with grad(f, x) to write
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(text).readline)
                  if t.type not in _SKIP]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)

    def index(pos: tuple[int, int]) -> int:
        return starts[pos[0] - 1] + pos[1]

    inserted: list[int] = []
    for k, (left, right) in enumerate(zip(tokens, tokens[1:], strict=False)):
        # (a + b)c, \frac{1}{n}\sum_i: a product (not softmax(z)_i, softmax(z)ᵢ: subscripts)
        glued = left.string == ")" and _word(right) and right.string[0].isascii() \
            and right.string[0].isalpha()
        # 2s, 0.5x: a decimal number glued to a name (Python's "invalid decimal literal"), a
        # product in maths (round 18); 1e3, 2j, 0x1f are numbers and never reach here glued
        glued = glued or (left.type == tokenize.NUMBER and re.fullmatch(r"\d+(?:\.\d+)?",
                                                                        left.string) is not None
                          and _word(right) and right.string[0].isascii()
                          and not (k and tokens[k - 1].string == "/"))  # 1/2s: 1/(2s)?
        if left.end[0] != right.start[0] or (left.end[1] == right.start[1] and not glued):
            continue  # on different lines, or touching (f(x), x.T)
        if not (_ends_operand(left) and _starts_operand(right, left, tokens[k - 1] if k else None,
                                                         symbols)):
            continue
        inserted.append(index(left.end))
    if not inserted:
        return None
    out, last = [], 0
    for p in inserted:
        out.append(text[last:p])
        out.append(JUXTAPOSITION)
        last = p
    out.append(text[last:])
    return "".join(out), inserted


def _word(token: tokenize.TokenInfo) -> bool:
    return token.type == tokenize.NAME and not keyword.iskeyword(token.string) \
        and token.string.lower() not in _PROSE


def _ends_operand(token: tokenize.TokenInfo) -> bool:
    return _word(token) or token.type == tokenize.NUMBER or token.string in (")", "]")


def _starts_operand(token: tokenize.TokenInfo, left: tokenize.TokenInfo,
                    before: tokenize.TokenInfo | None, symbols: frozenset[str]) -> bool:
    if _word(token) or token.type == tokenize.NUMBER:
        return True
    if token.string != "(":
        return False
    if left.type == tokenize.NAME:  # x.T (…), A (…): a product; sigmoid (z): a call
        transpose = left.string == "T" and before is not None and before.string == "."
        return transpose or left.string in symbols
    return True  # 2 (x + 1), (a + b) (a - b), x[i] (…)
