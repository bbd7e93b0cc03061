"""An assumption "A positive semidefinite" (A ⪰ 0, A psd) read by a factor: A = F Fᵀ.

Every F Fᵀ of a square F is positive semidefinite, and every positive semidefinite A is one
(its symmetric square root), so a claim for every positive semidefinite A is the same claim
for every square F. The engine needs no word for semidefinite then: its Gram rules prove
xᵀFFᵀx ≥ 0 and det(FFᵀ) ≥ 0, and a counterexample is a value of F, whose F Fᵀ satisfies the
assumption by construction. The factor is declared as ``A_factor`` (same shape as A).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from verifier.claim import ClaimError, SymbolDecl
from verifier.language.errors import ClaimInputError
from verifier.language.parser import Scope, parse_expression
from verifier.language.phrases import SemidefiniteAssumption, plain_assumption
from verifier.language.printer import to_text
from verifier.language.tree import Call, Symbol, walk

__all__ = ["factor_semidefinite", "factor_name"]

# other assumptions on A that F says as well: A invertible (or definite) iff F invertible;
# A symmetric always
_INVERTIBLE = r"(?:is\s+)?(?:invertible|nonsingular|non-singular|positive[\s-]definite|spd|pd)"
_SYMMETRIC = r"(?:is\s+)?symmetric"
# calls whose later arguments are variables of differentiation
_DERIVATIVES = ("grad", "hessian", "jacobian", "derivative", "diff")


def factor_name(name: str) -> str:
    return f"{name}_factor"


def semidefinite_subjects(assume: Sequence[str], symbols: Sequence[SymbolDecl],
                          claim_id: str | None) -> dict[str, SymbolDecl]:
    """The declared square matrices that an assumption calls positive semidefinite."""
    decls = {d.name: d for d in symbols}
    found: dict[str, SymbolDecl] = {}
    for a in assume:
        try:
            plain_assumption(a, claim_id)
        except SemidefiniteAssumption as psd:
            decl = decls.get(psd.name.strip())
            if decl is not None and decl.kind == "matrix" and not decl.is_square:
                raise ClaimError(claim_id, f'assumption "{a}": a positive semidefinite '
                                 f"matrix is square, and {decl!r} is not") from None
            if decl is None or not decl.is_square:
                raise  # not a declared matrix: the vocabulary's message stands
            found[decl.name] = decl
        except ClaimError:
            continue  # the loader reports it as before
    for name in found:
        if factor_name(name) in decls:
            raise ClaimError(claim_id, f'"{name} positive semidefinite" is read as {name} = '
                             f"{factor_name(name)} @ {factor_name(name)}.T, but "
                             f"{factor_name(name)} is declared already; rename it")
    return found


def factored_assumptions(assume: Sequence[str], subjects: dict[str, SymbolDecl],
                         claim_id: str | None) -> list[str]:
    """The assumptions with A = F Fᵀ: "A psd" dropped, "A symmetric" dropped (F Fᵀ is), "A
    invertible" / "A positive definite" as "F invertible"; any other one naming A refused."""
    out = []
    for a in assume:
        try:
            plain_assumption(a, claim_id)
        except SemidefiniteAssumption as psd:
            if psd.name.strip() in subjects:
                continue
        except ClaimError:
            pass
        named = _named_in(a, list(subjects))
        if not named:
            out.append(a)
            continue
        x = named[0]
        if re.fullmatch(rf"\s*{re.escape(x)}\s+{_SYMMETRIC}\s*", a, re.IGNORECASE):
            continue
        if re.fullmatch(rf"\s*{re.escape(x)}\s+{_INVERTIBLE}\s*", a, re.IGNORECASE):
            out.append(f"{factor_name(x)} invertible")
            continue
        raise ClaimError(claim_id, f'assumption "{a}" on {x}, which is positive semidefinite: '
                         f"{x} is read as {factor_name(x)} @ {factor_name(x)}.T, and this "
                         f"assumption cannot be said of the factor; state the claim for "
                         f"{x} positive definite, or with the factor written out")
    return out


def factored_text(text: str, scope: Scope, subjects: dict[str, SymbolDecl],
                  claim_id: str | None) -> str:
    """``text`` (one side, or an inequality) with each subject A written F @ F.T; the parse
    is the claim's own, printed back in the language's words (x^\\top A x: x.T @ A @ x)."""
    tree = parse_expression(text, scope)
    for node in walk(tree):
        if isinstance(node, Call) and node.fn in _DERIVATIVES and any(
            isinstance(arg, Symbol) and arg.name in subjects for arg in node.args[1:]
        ):
            raise ClaimError(claim_id, "a derivative by a positive semidefinite matrix is not "
                             "read (the assumption is read by a factor, A = F Fᵀ); "
                             "differentiate by a matrix without that assumption")
    printed = to_text(tree)
    for x in subjects:
        f = factor_name(x)
        printed = re.sub(_as_name(x), f"({f} @ {f}.T)", printed)
    return printed


def _named_in(text: str, names: Sequence[str]) -> list[str]:
    """The names that stand in ``text`` as names (not inside another name or after a dot)."""
    return [x for x in names if re.search(_as_name(x), text)]


def _as_name(x: str) -> str:
    """A pattern of x standing as a name: not inside another name, not an attribute."""
    return rf"(?<![\w.]){re.escape(x)}(?!\w)"


def factor_semidefinite(
    symbols: Sequence[SymbolDecl],
    assume: Sequence[str],
    texts: dict[str, str | list[str]],
    conditions: Sequence[str],
    scope_of: Callable[[Sequence[SymbolDecl]], Scope],
    split: Callable[[str], tuple[str, ...] | None],
    claim_id: str | None,
) -> tuple[tuple[SymbolDecl, ...], list[str], dict[str, str | list[str]]] | None:
    """The declarations, assumptions and expression texts (a side, a one-string claim "a = b"
    or "a <= b", a derivation's steps) with every positive semidefinite A written
    ``A_factor @ A_factor.T`` and A itself no longer declared (a text left naming it is then
    an error, never an unconstrained A). None when no assumption says semidefinite, or a text
    does not parse (the loader then reports it as before). ``conditions`` ("holds if ...")
    may not name A. Raises ClaimError where the assumption cannot be read so."""
    subjects = semidefinite_subjects(assume, symbols, claim_id)
    if not subjects:
        return None
    for c in conditions:
        if _named_in(c, list(subjects)):
            raise ClaimError(claim_id, f'the condition "{c}" names a positive semidefinite '
                             "matrix, which is read by a factor (A = F Fᵀ); state the "
                             "condition without it")
    factors = tuple(SymbolDecl(factor_name(x), "matrix", d.dims) for x, d in subjects.items())
    scope = scope_of(tuple(symbols) + factors)

    def one(text: str) -> str:
        sides = split(text)
        if sides is not None and len(sides) > 1:
            return " = ".join(factored_text(s, scope, subjects, claim_id) for s in sides)
        return factored_text(text, scope, subjects, claim_id)

    try:
        out = {k: [one(t) for t in v] if isinstance(v, list) else one(v)
               for k, v in texts.items()}
    except ClaimInputError:
        return None
    kept = tuple(d for d in symbols if d.name not in subjects) + factors
    return kept, factored_assumptions(assume, subjects, claim_id), out
