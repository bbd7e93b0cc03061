"""A section of the catalogue: one source, symbols declared once, each claim one line a side.

```python
S = Section(note("000", "Matrix Calculus"), symbols="a: vector(n), M: matrix(n, n)")
CLAIMS = (
    # ∂(aᵀMa)/∂a = 2Ma
    S.claim("quadratic_form_gradient", "grad(a.T @ M @ a, a)", "2 * M @ a",
            title="∂(aᵀMa)/∂a = 2Ma, as the note writes it", expect="holds if M symmetric"),
)
```

A side is text in the claim language (``verifier.language``: parsed, never executed) or, where
the language cannot say it, a Python builder (a callable of the claim's environment).  A claim
whose lhs is ``grad(f, X)`` becomes a gradient claim, as in a claim file, so the engine can also
try the other layout.  Each claim declares only the section's symbols its text sides and
assumptions name (in the section's order); a claim with a Python builder declares all of them,
or those named by ``uses=``.  ``symbols=`` on a claim adds declarations or overrides the
section's (``x: matrix(1, m)`` where the section's x is a column).  Ids are prefixed with the
topic, the name of the module that creates the section (``derivations.matrix_calculus``).

The result is an ordinary ``Claim`` or ``Derivation``, the same as ``make_claim`` /
``make_derivation`` build; importing this module imports no SymPy.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

from verifier.claim import (
    HOLDS,
    Assumption,
    Claim,
    ClaimError,
    Derivation,
    Expect,
    SymbolDecl,
    parse_assumption,
    parse_symbols,
)
from verifier.language import (
    ClaimInputError,
    CompiledExpr,
    compile_expression,
    scope_of,
    to_text,
)
from verifier.language.tree import Call, DimValue, Symbol, walk

__all__ = ["Section"]

Side = str | Callable[[Any], Any]
_SCOPE_TAKES_ASSUMPTIONS = "assumptions" in inspect.signature(scope_of).parameters
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Section:
    """The claims of one section of a source: ``source`` (``note(...)`` or ``"standard"``) and
    the symbols its claims share, declared once as ``"a: vector(n), M: matrix(n, n)"``."""

    def __init__(self, source: str, symbols: str = "", *, topic: str | None = None):
        self.source = source
        self.symbols = parse_symbols(symbols) if symbols.strip() else ()
        if topic is None:  # the module that creates the section: derivations.<topic>
            caller = sys._getframe(1).f_globals.get("__name__", "")
            topic = caller.rpartition(".")[2] if caller.startswith("derivations.") else ""
        self.topic = topic

    def __repr__(self) -> str:
        return f"Section({self.source!r}, {len(self.symbols)} symbols)"

    # ----- entries -----

    def claim(
        self,
        id: str,
        lhs: Side,
        rhs: Side,
        *,
        title: str,
        expect: str | Expect = HOLDS,
        assume: Sequence[str] = (),
        sizes: list[dict[str, int]] | None = None,
        layout: str = "denominator",
        kind: str | None = None,
        wrt: str | None = None,
        symbols: str = "",
        uses: str | None = None,
        source: str | None = None,
        **fields: Any,
    ) -> Claim:
        """One claim ``lhs = rhs`` (``kind="non-identity"``: lhs ≠ rhs in general).  With
        ``wrt=``, a Python ``lhs`` is the scalar function f of the gradient claim
        ``grad(f, wrt) = rhs``.  ``fields`` are the other ``Claim`` fields (``corrected``,
        ``implementation``, ``impl_args``, ``note_text``, ``xfail``)."""
        cid = self._id(id)
        decls = self._decls(cid, symbols)
        assumed = tuple(parse_assumption(a, cid) for a in assume)
        lhs_b, rhs_b = (self._side(cid, s, decls, layout, assumed) for s in (lhs, rhs))
        chosen = self._chosen(cid, decls, (lhs_b, rhs_b), assume, uses)
        common = self._common(cid, chosen, title, expect, assume, sizes, source)
        top = lhs_b.tree if isinstance(lhs_b, CompiledExpr) else None
        if wrt is not None:  # a Python f of grad(f, wrt)
            if isinstance(lhs_b, CompiledExpr):
                raise ClaimError(cid, 'wrt= goes with a Python f; in the language write grad(f, x)')
            return _make(cid, lambda: Claim(kind="gradient", f=lhs_b, wrt=wrt, rhs=rhs_b,
                                            layout=layout, **common, **fields))
        if kind in (None, "gradient") and isinstance(top, Call) and top.fn == "grad":
            f_node, x_node = top.args
            assert isinstance(x_node, Symbol)
            f = CompiledExpr(to_text(f_node), f_node, layout)
            return _make(cid, lambda: Claim(kind="gradient", f=f, wrt=x_node.name, rhs=rhs_b,
                                            layout=layout, **common, **fields))
        return _make(cid, lambda: Claim(kind=kind or "identity", lhs=lhs_b, rhs=rhs_b,
                                        layout=layout, **common, **fields))

    def derivation(
        self,
        id: str,
        steps: Sequence[Side],
        *,
        title: str,
        expect: str | Expect = HOLDS,
        step_expect: dict[int, str] | None = None,
        assume: Sequence[str] = (),
        sizes: list[dict[str, int]] | None = None,
        symbols: str = "",
        uses: str | None = None,
        source: str | None = None,
        **fields: Any,
    ) -> Derivation:
        """A chain of expressions, each adjacent pair a step decided on its own;
        ``step_expect`` maps 1-based step numbers to expectations."""
        cid = self._id(id)
        decls = self._decls(cid, symbols)
        assumed = tuple(parse_assumption(a, cid) for a in assume)
        built = tuple(self._side(cid, s, decls, "denominator", assumed) for s in steps)
        chosen = self._chosen(cid, decls, built, assume, uses)
        common = self._common(cid, chosen, title, expect, assume, sizes, source)
        per_step = tuple(
            (k, Expect.parse(v, cid)) for k, v in sorted((step_expect or {}).items())
        )
        return _make(cid, lambda: Derivation(steps=built, step_expect=per_step, **common,
                                             **fields))

    # ----- the parts -----

    def _id(self, id: str) -> str:
        return id if "." in id or not self.topic else f"{self.topic}.{id}"

    def _decls(self, cid: str, extra: str) -> dict[str, SymbolDecl]:
        decls = {d.name: d for d in self.symbols}
        if extra.strip():
            for d in parse_symbols(extra, cid):
                decls[d.name] = d  # adds, or overrides the section's declaration
        return decls

    def _side(self, cid: str, side: Side, decls: dict[str, SymbolDecl], layout: str,
              assumed: tuple[Assumption, ...]):
        if not isinstance(side, str):
            if not callable(side):
                raise ClaimError(cid, f"a side is text or a builder, not {side!r}")
            return side
        # the assumptions tell the language which symbols are integer-valued (y binary)
        scope = (scope_of(decls, layout, assumed) if _SCOPE_TAKES_ASSUMPTIONS
                 else scope_of(decls, layout))
        try:
            return compile_expression(side, scope)
        except ClaimInputError as err:
            raise ClaimError(cid, f'"{side}": {err}') from None

    def _chosen(self, cid, decls, sides, assume, uses) -> tuple[SymbolDecl, ...]:
        """The declarations the claim uses, in the section's order."""
        if uses is not None:  # names, or declarations ("x: scalar, t: integer")
            names = ({d.name for d in parse_symbols(uses, cid)} if ":" in uses
                     else set(_NAME.findall(uses)))
        elif any(not isinstance(s, CompiledExpr) for s in sides):
            return tuple(decls.values())  # a builder may use any of them
        else:
            names = set()
            dims: set[str] = set()
            for s in sides:
                for node in walk(s.tree):
                    if isinstance(node, Symbol):
                        names.add(node.name)
                    elif isinstance(node, DimValue):
                        dims.add(node.name)
            for a in assume:  # "X.T @ X invertible", "A and B commute": every name in it
                names.update(n for n in _NAME.findall(a) if n in decls)
            have = {x for n in names if n in decls for x in decls[n].dims}
            for dim in sorted(dims - have):  # a dimension used as a number needs a symbol
                names.add(next(d.name for d in decls.values() if dim in d.dims))
        unknown = sorted(names - set(decls))
        if unknown:
            raise ClaimError(cid, f"uses undeclared symbol(s) {', '.join(unknown)}")
        return tuple(d for d in decls.values() if d.name in names)

    def _common(self, cid, chosen, title, expect, assume, sizes, source) -> dict[str, Any]:
        return {
            "id": cid,
            "title": title,
            "source": self.source if source is None else source,
            "symbols": chosen,
            "assumptions": tuple(parse_assumption(a, cid) for a in assume),
            "expect": Expect.parse(expect, cid) if isinstance(expect, str) else expect,
            "sizes": tuple(tuple(sorted(s.items())) for s in sizes) if sizes else None,
        }


def _make(cid: str, build: Callable[[], Any]) -> Any:
    try:
        return build()
    except ClaimError:
        raise
    except (TypeError, ValueError) as exc:
        raise ClaimError(cid, str(exc)) from None
