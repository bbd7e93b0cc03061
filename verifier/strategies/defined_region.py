"""Strategy: a scalar identity proved on the region where its sides' symbols meet the
conditions for both sides to be defined.

A claim holds where both sides are defined. When a side is defined only where a scalar symbol
is positive (log x, x^(-1/2)), nonnegative (√x) or nonzero (1/x), every point where the claim
is defined has that sign, so the residual may be shown 0 with the symbol given the sign:
log(xy) = log x + log y for x, y positive, √(xy) = √x√y, log(x²) = 2 log x. Only conditions on
a bare symbol are used (x·y positive says nothing about each factor), and each is necessary
for definedness (ops.Requirement), so the region contains every defined point. Without it
SymPy keeps log(xy) whole (x could be negative) and such claims were only checked.
"""

from __future__ import annotations

import sympy as sp

from verifier.strategies.context import Context
from verifier.strategies.general import build_general, unless_vacuous
from verifier.strategies.zero import is_zero
from verifier.verdict import Verdict

__all__ = ["prove_where_defined"]

# the signs a requirement may give its symbol
_SIGNS = ("nonzero", "nonnegative", "positive")


def _signed_symbols(requirements: list, free: set) -> dict[sp.Symbol, str]:
    """Each real scalar symbol of the residual that a requirement gives a sign, with the
    strongest sign (nonzero and nonnegative together: positive)."""
    signs: dict[sp.Symbol, set[str]] = {}
    for r in requirements:
        if r.kind not in _SIGNS:
            continue
        value, kind = r.value, r.kind
        # |s| > 0 and s^(2k) > 0 say exactly that s ≠ 0 (of a real s), the latter only for
        # 2k ≠ 0: s^(2k − 2) is 1 at k = 1, defined at s = 0
        if kind == "positive" and (isinstance(value, sp.Abs) or (
                isinstance(value, sp.Pow) and value.exp.is_even
                and value.exp.is_nonzero)):
            value, kind = value.args[0], "nonzero"
        if isinstance(value, sp.Symbol) and value in free:
            signs.setdefault(value, set()).add(kind)
    out = {}
    for s, kinds in signs.items():
        if s.is_real is not True:
            continue
        if "positive" in kinds or {"nonzero", "nonnegative"} <= kinds:
            out[s] = "positive"
        else:
            (out[s],) = kinds
    return out


def _signed(s: sp.Symbol, sign: str) -> sp.Symbol:
    """s as a real symbol of that sign, keeping only its integrality (its other signs are
    dropped: a proof over the larger set covers s's)."""
    kept = {k: v for k in ("integer", "rational") if (v := s.assumptions0.get(k)) is not None}
    return sp.Symbol(s.name, real=True, **{sign: True}, **kept)


def prove_where_defined(ctx: Context) -> Verdict | None:
    """A scalar claim whose residual is 0 once its symbols carry the signs definedness
    requires; None otherwise."""
    built = build_general(ctx)
    if built is None or ctx.general_requirements is None:
        return None
    _, lhs, rhs, log = built
    if log or any(isinstance(s, sp.MatrixExpr) for s in (lhs, rhs)):
        return None
    residual = sp.sympify(lhs - rhs)
    if residual.has(sp.MatrixExpr, sp.Sum, sp.Product):
        return None
    signs = _signed_symbols(ctx.general_requirements, residual.free_symbols)
    if not signs:
        return None
    residual = residual.xreplace({s: _signed(s, sign) for s, sign in signs.items()})
    if not is_zero(residual):
        return None
    named = ", ".join(f"{s} {sign}" for s, sign in sorted(signs.items(), key=lambda p: p[0].name))
    return unless_vacuous(ctx, Verdict(
        "proved",
        "prove_where_defined",
        detail=f"the residual simplifies to 0 where both sides are defined ({named} there)",
    ))
