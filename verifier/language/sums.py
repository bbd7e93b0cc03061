"""Sums and products with an index as papers write them: ``\\sum_{i=1}^{n} x_i y_i``,
``\\sum_j A_{ij} x_j``, ``Σ_i``, ``∑_{i=1}^n``, ``Σᵢ``, ``sum_{i=1}^n``, ``\\prod_i``, ``Π_i``,
read as the language's ``sum(e, i)`` / ``prod(e, i)``; ``\\sum_{j \\ne i} e`` (every j but i)
as ``sum((j != i) * e, j)`` and ``\\prod_{j \\ne i} e`` as ``prod((j != i) * e + (j == i), j)``.

The summand is what a paper's Σ covers: the product that follows, up to a ``+`` or ``-``, a
closing bracket, a comma, a comparison or the end (``Σ_i x_i y_i + c`` is
``sum(x[i] * y[i], i) + c``).  What has no one reading is refused, with what to write:

* the index after that ``+``/``-`` (``Σ_i x_i + y_i``: is y_i summed?);
* an index not declared ``index(n)``, or bounds other than the whole range (1..n as a paper
  counts, 0..n-1 as the language counts, or none);
* bounds 1..n with the index used as a number in the summand (``Σ_{i=1}^n i x_i``): the
  language's i counts from 0, so its value would be one less than the paper's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from verifier.claim import SymbolDecl
from verifier.language.errors import ClaimInputError
from verifier.language.subscripts import Edit

__all__ = ["sum_edit"]

_LETTERS = {"ᵢ": "i", "ⱼ": "j", "ₖ": "k", "ₗ": "l", "ₘ": "m", "ₙ": "n", "ₜ": "t"}
_OPERATOR = re.compile(
    r"(?P<op>\\sum|\\prod|Σ|∑|Π|∏|(?<![\w.\\])sum|(?<![\w.\\])prod)\s*"
    r"(?:_\s*(?:\{\s*(?P<var>[A-Za-z]\w*)\s*(?:=\s*(?P<lo>[^{}^]+?)"
    r"|(?:\\neq?(?![A-Za-z])|≠|!=)\s*(?P<other>[A-Za-z]\w*))?\s*\}"
    r"|\{\s*(?P<pair>[A-Za-z]\w*\s*,\s*[A-Za-z]\w*)\s*\}"
    r"|(?P<plain>[A-Za-z])(?!\w))"
    rf"|(?P<uni>[{''.join(_LETTERS)}]))"
    r"(?:\s*\^\s*(?:\{\s*(?P<hi>[^{}]+?)\s*\}|(?P<hi1>\w+)))?")
_OPENING, _CLOSING = "([{", ")]}"
# LaTeX's comparisons end a summand as <= does (\sum_i x_i^2 \ge ...: not summed over)
_COMPARISON = re.compile(r"\\(?:geq?|leq?|neq?|[lg]t|geqslant|leqslant|approx|equiv)(?![A-Za-z])")
_OPERAND_END = re.compile(r"[\w)\]}'ᵀ²³‖|!]")


def sum_edit(text: str, symbols: Mapping[str, SymbolDecl]) -> Edit | None:
    """The first Σ over an index in ``text`` as ``sum((summand), i)`` (an edit of the text),
    None if there is none; raises ``ClaimInputError`` where the reading is not one."""
    m = _OPERATOR.search(text)
    if m is None:
        return None
    if m.group("pair"):  # \sum_{i,j} e: \sum_i \sum_j e
        first, second = (v.strip() for v in m.group("pair").split(","))
        op = m.group("op")
        return (m.start(), m.end(), f"{op}_{{{first}}} {op}_{{{second}}} ")
    var = m.group("var") or m.group("plain") or _LETTERS.get(m.group("uni") or "", "")
    op = m.group("op")
    fn = "prod" if "prod" in op or op in "Π∏" else "sum"
    written = text[m.start():m.end()].strip()
    decl = symbols.get(var)
    if decl is None or decl.kind != "index":
        raise _error(text, m.start(), f"{written}: {var} is not declared index(n); declare "
                                      f"{var}: index(n) and write {fn}(e, {var})")
    extent = str(decl.dims[0])
    lo = (m.group("lo") or "").replace(" ", "")
    hi = (m.group("hi") or m.group("hi1") or "").replace(" ", "")
    one_based = lo == "1"
    whole = (not lo and not hi) or (one_based and hi == extent) or \
        (lo == "0" and hi in (f"{extent}-1", _minus_one(extent)))
    if not whole:
        raise _error(text, m.start(), f"{written} is not over the whole range of {var} "
                                      f"(1..{extent} as a paper counts, 0..{extent}-1 as the "
                                      f"language does); a part of a range is not in the "
                                      f"language: multiply the summand by a comparison, "
                                      f"{fn}((i < k) * e, {var})" if fn == "sum" else
                     f"{written} is not over the whole range of {var}")
    other = m.group("other")
    if other is not None and not (other in symbols and symbols[other].kind == "index"
                                  and str(symbols[other].dims[0]) == extent and other != var):
        raise _error(text, m.start(), f"{written}: {other} is not an index over {var}'s range; "
                                      f"write {fn}((({var} != k) * e), {var}) with k declared "
                                      f"index({extent})")
    start = m.end()
    end, stop = _summand_end(text, start)
    summand = text[start:end].strip()
    if not summand:
        raise _error(text, m.start(), f"{written} has no summand; write {fn}(e, {var})")
    if stop in "+-" and _free_after(text, end, var):
        raise _error(text, end, f"{written} {summand} {stop} ...: is what follows the "
                                f"{stop} summed too? write {fn}(({summand} {stop} ...), "
                                f"{var}) or ({fn}({summand}, {var})) {stop} ...")
    if fn == "prod":
        _no_constant_divisor(text, m.start(), written, summand, var)
    if lo != "0" and _as_number(summand, var):  # 1..n, or no bounds: from 1 in a paper
        raise _error(text, m.start(), f"{written}: {var} counts from 1 in a paper and from "
                                      f"0 in the language, and the summand uses {var} as a "
                                      f"number; write {fn}(e, {var}) with {var} + 1 where the "
                                      f"paper has {var} (or the bounds {var}=0 to "
                                      f"{extent}-1)")
    if other is not None:  # \sum_{j \ne i} e: every j but i, the comparison a mask (round 17)
        if fn == "prod":  # the factor at j = i is 1
            return (m.start(), end, f"prod((({var} != {other}) * ({summand}) + ({var} == "
                                    f"{other})), {var})")
        return (m.start(), end, f"sum((({var} != {other}) * ({summand})), {var})")
    return (m.start(), end, f"{fn}(({summand}), {var})")


def _no_constant_divisor(text: str, at: int, written: str, summand: str, var: str) -> None:
    """\\prod_i x_i / c: ∏(x_i / c) = (∏ x_i) / cⁿ as the summand's extent reads it, or
    (∏ x_i) / c as a reader may mean: refused where a divisor does not depend on i (round
    18); x_i / y_i divides inside, the only reading."""
    depth, cut = 0, []
    for k, ch in enumerate(summand):
        depth += ch in _OPENING
        depth -= ch in _CLOSING
        if ch == "/" and depth == 0:
            cut.append(k)
    for k in cut:
        divisor = summand[k + 1:]
        nxt = next((c for c in cut if c > k), None)
        divisor = summand[k + 1:nxt] if nxt is not None else divisor
        if not re.search(rf"(?<![A-Za-z]){re.escape(var)}(?![A-Za-z])", divisor):
            head, tail = summand[:k].strip(), divisor.strip()
            raise _error(text, at, f"{written} {summand}: is {tail} inside the product "
                                   f"(prod({head} / {tail}, {var}), divided at every factor) "
                                   f"or after it (prod({head}, {var}) / {tail})? write the one "
                                   "meant")


def _minus_one(extent: str) -> str:
    return str(int(extent) - 1) if extent.isdigit() else f"{extent}-1"


def _summand_end(text: str, start: int) -> tuple[int, str]:
    """Where the summand starting at ``start`` ends, and the character that ends it."""
    depth = 0
    k = start
    while k < len(text):
        ch = text[k]
        if ch in _OPENING:
            depth += 1
        elif ch in _CLOSING:
            if depth == 0:
                return k, ch
            depth -= 1
        elif depth == 0 and (ch in ",=<>#\n≤≥≠⩽⩾≦≧" or (ch == "!" and text[k + 1:k + 2] == "=")
                             or _COMPARISON.match(text, k)):
            return k, ch
        elif depth == 0 and ch in "+-" and _after_operand(text, start, k):
            return k, ch
        k += 1
    return k, ""


def _after_operand(text: str, start: int, k: int) -> bool:
    """Is the + or - at ``k`` binary (an operand of the summand stands before it)?"""
    before = text[start:k].rstrip()
    if not before:
        return False
    if before.endswith(("e", "E")) and re.search(r"\d[eE]$", before):  # 1e-3
        return False
    return bool(_OPERAND_END.match(before[-1]))


def _free_after(text: str, end: int, var: str) -> bool:
    """Does ``var`` stand after the summand, before another Σ over it?"""
    rest = text[end:]
    nxt = next((m for m in _OPERATOR.finditer(rest)
                if var in (m.group("var"), m.group("plain"),
                           _LETTERS.get(m.group("uni") or ""))), None)
    segment = rest[:nxt.start()] if nxt else rest
    return re.search(rf"(?<![\w\\]){re.escape(var)}(?!\w)|[_{{,]\s*{re.escape(var)}\b",
                     segment) is not None


def _as_number(summand: str, var: str) -> bool:
    """Is ``var`` used in ``summand`` other than as a key ([i], [i, j], _i, _{ij})?"""
    keys = re.sub(r"\[[^\[\]]*\]|_\{[^{}]*\}|_\w+", "", summand)
    return re.search(rf"(?<![\w\\]){re.escape(var)}(?!\w)", keys) is not None


def _error(text: str, index: int, message: str) -> ClaimInputError:
    before = text[:index]
    line = before.count("\n") + 1
    return ClaimInputError(message, line=line, column=index - (before.rfind("\n") + 1) + 1)
