"""Counterexamples as reported: values and both sides as text, and how they were certified."""

from __future__ import annotations

from typing import Any

import sympy as sp

from verifier.audit import PointResult
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
        difference=fmt(res.lhs - res.rhs, res.exact),
        exact=res.exact,
        sizes=dict(sizes),
        note=note,
    )


def how(res: PointResult) -> str:
    return ("exact rational residual" if res.exact
            else "certified: an interval enclosure of the difference excludes 0")
