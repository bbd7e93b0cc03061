"""The claim language: NumPy-flavoured formulas, parsed by a whitelist and never executed.

``compile_expression(text, symbols)`` checks ``text`` (syntax, names, shapes, sizes) and
returns a builder for the engine; ``ClaimInputError`` says what is wrong and where.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from verifier.claim import DISCRETE, Assumption, SymbolDecl
from verifier.language.errors import ClaimInputError, did_you_mean
from verifier.language.evaluate import CompiledExpr, evaluate
from verifier.language.functions import FUNCTIONS
from verifier.language.parser import LIMITS, Limits, Scope, parse_expression
from verifier.language.printer import to_text

__all__ = [
    "FUNCTIONS",
    "LIMITS",
    "ClaimInputError",
    "CompiledExpr",
    "Limits",
    "Scope",
    "compile_expression",
    "did_you_mean",
    "evaluate",
    "parse_expression",
    "scope_of",
    "to_text",
]


def scope_of(
    symbols: Iterable[SymbolDecl] | Mapping[str, SymbolDecl],
    layout: str = "denominator",
    assumptions: Iterable[Assumption] = (),
) -> Scope:
    """What names mean in a claim; ``assumptions`` tell which symbols take integer values
    (``y binary``, ``Y one-hot``, ``t in 1..T``), so that ``h ** y[i]`` and ``y[i] == 0``
    are accepted."""
    decls = dict(symbols) if isinstance(symbols, Mapping) else {d.name: d for d in symbols}
    integer = frozenset(a.names[0] for a in assumptions
                        if not a.compound and (a.kind in DISCRETE or a.kind == "range"))
    return Scope(decls, layout, integer)


def compile_expression(
    text: str,
    symbols: Iterable[SymbolDecl] | Scope,
    layout: str = "denominator",
    assumptions: Iterable[Assumption] = (),
) -> CompiledExpr:
    """Parse and check ``text`` against the declared symbols (and the assumptions that make
    some of them integer-valued); return its builder."""
    scope = symbols if isinstance(symbols, Scope) else scope_of(symbols, layout, assumptions)
    return CompiledExpr(text, parse_expression(text, scope), scope.layout)
