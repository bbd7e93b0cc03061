"""Formulas as presentation MathML, the subset (MathML Core) that browsers render natively.

Two sources: SymPy expressions (the two sides of a claim, computed once in the engine and
stored in the result) and the engine's value strings (counterexample entries such as
``"-3/2"``), which are typeset here without SymPy so that rendering a report stays cheap.
"""

from __future__ import annotations

import html
import re
from html.entities import html5
from typing import Any

__all__ = [
    "MAX_TYPESET_CHARS",
    "expr_mathml",
    "gradient_mathml",
    "math",
    "name_mathml",
    "value_mathml",
]

# A side longer than this (in SymPy's text form) is not typeset: fixed-size element-wise
# expansions run to hundreds of terms and read no better as a wall of MathML than as text.
MAX_TYPESET_CHARS = 900

_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}


def _plain_entities(markup: str) -> str:
    """Named and numeric entities as characters (SymPy writes ``&InvisibleTimes;`` and
    ``&#x1D7D8`` without its semicolon), keeping the five that XML needs; ASCII minus as −."""

    def named(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in _XML_ENTITIES:
            return m.group(0)
        return html5.get(name + ";", m.group(0))

    def numeric(m: re.Match[str]) -> str:
        code = int(m.group(2), 16) if m.group(1) else int(m.group(2))
        char = chr(code)
        return html.escape(char) if char in "&<>\"'" else char

    markup = re.sub(r"&#(x?)([0-9A-Fa-f]+);?", numeric, markup)
    markup = re.sub(r"&([A-Za-z][A-Za-z0-9]*);", named, markup)
    return markup.replace("<mo>-</mo>", "<mo>−</mo>")  # a minus sign, not a hyphen


def _printer():
    """SymPy's presentation printer with the few forms it gets wrong for a browser."""
    from sympy.printing.mathml import MathMLPresentationPrinter

    class Printer(MathMLPresentationPrinter):
        def _print_Transpose(self, expr):
            # SymPy writes the T as an <mo>, which a browser spaces like an operator
            sup = super()._print_Transpose(expr)
            t = self.dom.createElement("mi")
            t.setAttribute("mathvariant", "normal")
            t.appendChild(self.dom.createTextNode("T"))
            sup.replaceChild(t, sup.lastChild)
            return sup

        def _print_Piecewise(self, expr):
            # SymPy 1.14 has no presentation form: it prints "piecewise((...))"
            table = self.dom.createElement("mtable")
            for value, cond in expr.args:
                tr = self.dom.createElement("mtr")
                for part in (value, cond):
                    td = self.dom.createElement("mtd")
                    td.setAttribute("style", "text-align: left")
                    if part is cond:
                        word = self.dom.createElement("mtext")
                        text = "otherwise" if cond == True else "if "  # noqa: E712 - SymPy true
                        word.appendChild(self.dom.createTextNode(text))
                        td.appendChild(word)
                        if cond != True:  # noqa: E712
                            td.appendChild(self._print(cond))
                    else:
                        td.appendChild(self._print(part))
                    tr.appendChild(td)
                table.appendChild(tr)
            row = self.dom.createElement("mrow")
            brace = self.dom.createElement("mo")
            brace.appendChild(self.dom.createTextNode("{"))
            row.appendChild(brace)
            row.appendChild(table)
            return row

        def _print_sigmoid(self, expr):
            row = self.dom.createElement("mrow")
            sigma = self.dom.createElement("mi")
            sigma.appendChild(self.dom.createTextNode("σ"))
            row.appendChild(sigma)
            row.appendChild(self._paren_comma_separated(*expr.args))
            return row

    return Printer({"mat_delim": "["})


def _scalar_traces(expr: Any) -> Any:
    """tr(aᵀMa) as aᵀMa: the engine wraps 1×1 products in a trace; the notes write scalars."""
    from sympy import Trace

    if not hasattr(expr, "replace"):
        return expr
    return expr.replace(
        lambda e: isinstance(e, Trace) and getattr(e.arg, "shape", None) == (1, 1),
        lambda e: e.arg,
    )


def expr_mathml(expr: Any) -> str:
    """The inner MathML of a SymPy expression (no ``<math>`` wrapper), or "" if too large."""
    import sympy as sp

    if len(sp.sstr(expr)) > MAX_TYPESET_CHARS:
        return ""
    try:
        return _plain_entities(_printer().doprint(_scalar_traces(expr)))
    except Exception:  # noqa: BLE001 - display only: the report falls back to the text form
        return ""


def gradient_mathml(f: Any, wrt: str) -> str:
    """∂/∂X (f), the left side of a gradient claim as the note writes it."""
    import sympy as sp

    body = expr_mathml(f)
    if not body:
        return ""
    var = expr_mathml(sp.Symbol(wrt))
    return (
        '<mrow><mfrac><mo rspace="0">∂</mo><mrow><mo rspace="0">∂</mo>'
        f"{var}</mrow></mfrac><mrow><mo>(</mo>{body}<mo>)</mo></mrow></mrow>"
    )


def math(inner: str, *, block: bool = False) -> str:
    """A ``<math>`` element around inner MathML (screen readers read MathML itself)."""
    attrs = ' display="block"' if block else ""
    return f"<math{attrs}>{inner}</math>"


# ----- engine value strings: "3", "-3/2", "0.25", "1.5e-7", nested lists of them -----

_INT = re.compile(r"^[+-]?\d+$")
_FRACTION = re.compile(r"^([+-]?)(\d+)/(\d+)$")
_DECIMAL = re.compile(r"^([+-]?\d*\.?\d+)(?:[eE]([+-]?\d+))?$")


def _number(text: str) -> str:
    text = text.strip()
    if _INT.match(text):
        return f"<mn>{text.lstrip('+')}</mn>" if not text.startswith("-") else (
            f"<mrow><mo>−</mo><mn>{text[1:]}</mn></mrow>"
        )
    m = _FRACTION.match(text)
    if m:
        frac = f"<mfrac><mn>{m.group(2)}</mn><mn>{m.group(3)}</mn></mfrac>"
        return f"<mrow><mo>−</mo>{frac}</mrow>" if m.group(1) == "-" else frac
    m = _DECIMAL.match(text)
    if m:
        mantissa, exponent = m.group(1), m.group(2)
        sign = "<mo>−</mo>" if mantissa.startswith("-") else ""
        mant = f"<mn>{mantissa.lstrip('+-')}</mn>"
        if exponent is None:
            return f"<mrow>{sign}{mant}</mrow>" if sign else mant
        exp = int(exponent)
        power = f"<msup><mn>10</mn><mn>{exp}</mn></msup>" if exp >= 0 else (
            f"<msup><mn>10</mn><mrow><mo>−</mo><mn>{-exp}</mn></mrow></msup>"
        )
        return f"<mrow>{sign}{mant}<mo>×</mo>{power}</mrow>"
    return f"<mtext>{html.escape(text)}</mtext>"


COLUMN_ROWS = 3  # a column vector longer than this is shown as a transposed row


def value_mathml(value: Any) -> str:
    """A scalar, or rows of values as a bracketed ``mtable`` (a long column as a row ᵀ)."""
    if isinstance(value, list | tuple):
        rows = [row if isinstance(row, list | tuple) else [row] for row in value]
        if len(rows) > COLUMN_ROWS and all(len(row) == 1 for row in rows):
            # a long column reads better, and takes a line, as a transposed row
            row = value_mathml([[row[0] for row in rows]])
            return f'<msup>{row}<mi mathvariant="normal">T</mi></msup>'
        body = "".join(
            "<mtr>" + "".join(f"<mtd>{_number(str(x))}</mtd>" for x in row) + "</mtr>"
            for row in rows
        )
        return f"<mrow><mo>[</mo><mtable>{body}</mtable><mo>]</mo></mrow>"
    return _number(str(value))


def name_mathml(name: str) -> str:
    """A symbol name as the engine prints it (``W1``, ``x_i``, ``alpha``) in MathML."""
    import sympy as sp

    m = re.match(r"^([A-Za-z]+?)_?(\d+)$", name)
    symbol = sp.Symbol(f"{m.group(1)}_{m.group(2)}" if m else name)
    return _plain_entities(_printer().doprint(symbol))
