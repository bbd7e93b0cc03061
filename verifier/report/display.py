"""Both sides of a claim as the reports show them: plain text, LaTeX and MathML.

Sides are built as written (SymPy would print (A@B).T as BᵀAᵀ, a claim as its own
conclusion) and in general dimension where possible.  An element-wise side at a fixed size
is pages of entries: past ``DISPLAY_LIMIT`` characters the reports show the claim's title,
which states the formula.  ``present`` adds them to a result (cached by the claim's content
and this module's source, apart from the verdict).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from verifier.claim import Claim, Derivation, Entry
from verifier.verdict import Result

__all__ = ["DISPLAY_LIMIT", "Display", "as_written", "display", "present"]


@dataclass(frozen=True)
class Display:
    """Both sides of a claim as plain text and LaTeX, in general dimension where possible."""

    lhs: str = ""
    rhs: str = ""
    lhs_latex: str = ""
    rhs_latex: str = ""
    lhs_mathml: str = ""
    rhs_mathml: str = ""


# Element-wise sides at fixed sizes can run to pages; past this many characters a report
# shows the claim's title instead of typesetting them (and LaTeX/MathML are not computed).
DISPLAY_LIMIT = 600


def _clip(text: str) -> str:
    return text if len(text) <= DISPLAY_LIMIT else text[: DISPLAY_LIMIT - 1] + "…"


@contextlib.contextmanager
def as_written():
    """Build sides without SymPy's automatic rewriting of products and transposes.

    ``(A@B).T`` would print as BᵀAᵀ and ``a@inv(a)@b`` as b, so a claim would display as
    its own conclusion.  Only display uses this; strategies always see evaluated forms.
    """
    import sympy as sp

    m = sp.MatrixExpr
    saved = {k: m.__dict__[k] for k in ("T", "__matmul__", "__rmatmul__")}

    def product(*factors):
        flat = []
        for f in factors:
            flat.extend(f.args if isinstance(f, sp.MatMul) else (f,))
        return sp.MatMul(*flat, evaluate=False)

    m.T = property(lambda self: sp.Transpose(self))
    m.__matmul__ = lambda self, other: product(self, other)
    m.__rmatmul__ = lambda self, other: product(other, self)
    try:
        yield
    finally:
        for k, v in saved.items():
            setattr(m, k, v)


def display(claim: Claim, typeset: bool = True) -> Display:
    """Both sides in general form, as written; empty when the claim has no general form.

    An element-wise side at fixed size is pages of entries, slow to print and unreadable;
    reports then show the claim's title, which states the formula.  Without ``typeset``
    only the plain text is made (the console shows no LaTeX or MathML, which cost twice
    the text).
    """
    import sympy as sp

    from verifier.instantiate import general, side_values
    from verifier.report.html_math import expr_mathml, gradient_mathml

    try:
        with as_written():
            inst = general(claim)
            rhs = side_values(inst, claim.rhs, claim)
            f = claim.f(inst.env) if claim.kind == "gradient" else None  # type: ignore[misc]
            lhs = side_values(inst, claim.lhs, claim) if f is None else None
        rhs, lhs, f = (None if e is None else _powers_as_written(e) for e in (rhs, lhs, f))
        if f is not None:
            lhs_text = f"grad({sp.sstr(f)}, {claim.wrt})"
            small = typeset and len(lhs_text) <= DISPLAY_LIMIT
            lhs_tex = rf"\frac{{\partial}}{{\partial {claim.wrt}}}\left({sp.latex(f)}\right)" \
                if small else ""
            lhs_mml = gradient_mathml(f, claim.wrt) if small else ""
        else:
            lhs_text = sp.sstr(lhs)
            small = typeset and len(lhs_text) <= DISPLAY_LIMIT
            lhs_tex, lhs_mml = (sp.latex(lhs), expr_mathml(lhs)) if small else ("", "")
        rhs_text = sp.sstr(rhs)
        small = typeset and len(rhs_text) <= DISPLAY_LIMIT
        rhs_tex, rhs_mml = (sp.latex(rhs), expr_mathml(rhs)) if small else ("", "")
        return Display(_clip(lhs_text), _clip(rhs_text), lhs_tex, rhs_tex, lhs_mml, rhs_mml)
    except Exception:  # noqa: BLE001 - display only; the strategies report real errors
        return Display()


def _powers_as_written(e):
    """exp(a·log x), the language's reading of a real power x ** a (x positive), shown as
    x ** a again (unevaluated: an integer a is already a power)."""
    import sympy as sp

    def power(node):
        logs = [f for f in sp.Mul.make_args(node.args[0]) if isinstance(f, sp.log)]
        if len(logs) != 1:
            return node
        return sp.Pow(logs[0].args[0], sp.cancel(node.args[0] / logs[0]), evaluate=False)

    try:
        return e.replace(lambda n: isinstance(n, sp.exp) and n.args[0].has(sp.log), power)
    except Exception:  # noqa: BLE001 - display only: the side as built
        return e


@functools.cache
def _digest() -> str:
    """The source this presentation depends on: this module and the MathML printer."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for name in ("display.py", "html_math.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()


def _with(result, shown: Display):
    return replace(result, lhs=shown.lhs, rhs=shown.rhs, lhs_latex=shown.lhs_latex,
                   rhs_latex=shown.rhs_latex, lhs_mathml=shown.lhs_mathml,
                   rhs_mathml=shown.rhs_mathml)


def present(entry: Entry, result: Result, cache=None, typeset: bool = True) -> Result:
    """``result`` with both sides (and each derivation step's) as text and, with
    ``typeset``, as LaTeX and MathML."""
    full, text = f"display-{_digest()}", f"display-text-{_digest()}"
    cached = None
    if cache is not None:  # a typeset display serves a text-only request too
        cached = cache.load(full, entry)
        if cached is None and not typeset:
            cached = cache.load(text, entry)
    if cached is None:
        claims = entry.step_claims() if isinstance(entry, Derivation) else (entry,)
        cached = tuple(display(c, typeset) for c in claims)
        if cache is not None:
            cache.store(full if typeset else text, entry, cached)
    if isinstance(entry, Derivation):
        steps = tuple(_with(s, shown) for s, shown in zip(result.steps, cached, strict=False))
        return replace(result, steps=steps)
    return _with(result, cached[0])
