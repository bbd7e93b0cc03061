"""Counterexamples as reported: values and both sides as text, and how they were certified."""

from __future__ import annotations

from typing import Any

import sympy as sp

from verifier.audit import PointResult
from verifier.certify import estimate
from verifier.verdict import Counterexample

__all__ = ["fmt", "how", "make_counterexample"]


def fmt(x: Any, exact: bool = True) -> Any:
    """A value as text (scalar) or nested lists of text (matrix); 1×1 becomes a scalar."""
    if isinstance(x, sp.MatrixBase):
        if x.shape == (1, 1):
            return fmt(x[0, 0], exact)
        if x.shape[1] == 1:
            return [[fmt(x[i, 0], exact)] for i in range(x.shape[0])]
        return [[fmt(x[i, j], exact) for j in range(x.shape[1])] for i in range(x.shape[0])]
    if not exact:
        try:
            v = sp.N(x, 10)
            if v.is_Number:
                return sp.sstr(v)
        except (TypeError, ValueError):
            pass
    return sp.sstr(x)


def make_counterexample(values: dict, sizes: dict, res: PointResult,
                        note: str = "") -> Counterexample:
    """A counterexample as reported: the point's values and both sides, as text."""
    assert res.lhs is not None and res.rhs is not None
    return Counterexample(
        values={name: fmt(v) for name, v in values.items()},
        lhs=fmt(res.lhs, res.exact),
        rhs=fmt(res.rhs, res.exact),
        difference=fmt(res.lhs - res.rhs) if res.exact else _difference(res.lhs - res.rhs),
        exact=res.exact,
        sizes=dict(sizes),
        note=note,
    )


def _difference(d: Any) -> Any:
    """A certified but tiny difference as a number: plain evalf cancels 1/(1 + e^-1000) − 1
    to "0.e-155"; more working digits, or the difference over one denominator, show it."""
    if isinstance(d, sp.MatrixBase):
        return fmt(d.applyfunc(_difference_value), False)
    return fmt(_difference_value(d), False)


def _difference_value(e: Any) -> Any:
    # the certified enclosure first: evalf can print a wrong tiny difference with full
    # precision claimed (log(5/3 + e^-10^6) − log(5/3): 9.3e-156)
    if (v := estimate(e)) is not None:
        return v
    forms = (lambda: sp.N(e, 10), lambda: sp.N(e, 10, maxn=5000),
             lambda: sp.N(sp.together(e.rewrite(sp.exp)), 10))
    first = None
    for form in forms:
        try:
            v = form()
        except (TypeError, ValueError, RecursionError):
            continue
        first = v if first is None else first
        # evalf marks a result it could not resolve with its precision (0.e-155: 1 bit)
        if not isinstance(v, sp.Float) or v._prec >= 20:
            return v
    return first if first is not None else e


def how(res: PointResult) -> str:
    return ("exact rational residual" if res.exact
            else "certified: an interval enclosure of the difference excludes 0")
