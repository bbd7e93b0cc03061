"""A look before the certificates of prove_nonnegative: a point where the gap is negative (0
when it must be positive) ends the search for a certificate of e ≥ 0 (> 0) at once, as no
sound rule can show it.  The rules recurse (a slope's sign on a piece, each case of |·|, the
sign of a sum's terms) and try both signs of many such parts: one of the two fails at some
small point, and its search ran to exhaustion (solveset, limits) before; 1 − tanh(t)² < 0
took seconds to be given up.

Only a speed-up: it never shows anything, it only skips a search that cannot succeed.  The
point must satisfy every SymPy assumption of every variable (a positive Dummy gets only
positive values, an integer only integers), and the value must be a certified real number
there (an undefined value, 0·∞ or a complex root, says nothing).
"""

from __future__ import annotations

import functools
from typing import Any

import sympy as sp

from verifier.certify import Uncertain, UndefinedValue, enclose, interval_sign

__all__ = ["fails_somewhere", "has_assumptions"]

_VALUES = tuple(sp.Rational(v) for v in ("0", "1", "-1", "2", "-2", "1/2", "-1/2", "3", "-7/3"))
MAX_VARIABLES = 4


@functools.lru_cache(maxsize=4096)
def fails_somewhere(e: Any, strict: bool) -> bool:
    """e < 0 (e ≤ 0 when ``strict``), certified, at a point its variables' assumptions allow."""
    syms = sorted(e.free_symbols, key=str)
    if not syms or len(syms) > MAX_VARIABLES or not all(type(s) in (sp.Symbol, sp.Dummy)
                                                        for s in syms):
        return False
    for shift in range(len(_VALUES)):  # variable i takes value (i + shift) mod the list
        point = {s: _VALUES[(i + shift) % len(_VALUES)] for i, s in enumerate(syms)}
        if all(_allowed(s, v) for s, v in point.items()) and _fails_at(e, point, strict):
            return True
    return False


def _allowed(s: Any, v: Any) -> bool:
    return s.is_real is True and has_assumptions(s, v)


def has_assumptions(s: Any, v: Any) -> bool:
    """v has every property SymPy's assumptions give s (real, positive, integer, ...)."""
    for fact, holds in s.assumptions0.items():
        if holds is None:
            continue
        has = getattr(v, f"is_{fact}", None)
        if has is None or has != holds:
            return False
    return True


def _fails_at(e: Any, point: dict, strict: bool) -> bool:
    try:
        value = e.xreplace(point)
        if value.free_symbols or value.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I):
            return False
        if value.is_Rational:
            return value < 0 or (strict and value == 0)
        return interval_sign(enclose(value, 128)) == -1
    except (Uncertain, UndefinedValue, TypeError, ValueError, ZeroDivisionError,
            ArithmeticError, RecursionError):
        return False
