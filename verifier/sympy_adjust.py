"""The one place where derivcheck adjusts SymPy, and only inside ``adjusted()``.

A matrix of symbolic size has no finite iteration, yet ``for t in a`` over a ``MatrixSymbol``
of size n indexes a[0], a[1], … forever (SymPy never raises IndexError for a symbolic
size).  While a claim's side is built, iterating over such a matrix raises
``GeneralFormUnavailable`` instead, so the general strategy steps aside.  Outside the block
SymPy is untouched, so other SymPy users in the process see its own behaviour.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import sympy as sp

__all__ = ["adjusted"]

_lock = threading.RLock()
_depth = 0


def _iter_matrix_expr(self):
    from verifier.ops import GeneralFormUnavailable

    rows, cols = self.shape
    if not (sp.sympify(rows).is_Integer and sp.sympify(cols).is_Integer):
        raise GeneralFormUnavailable("iterating over a matrix of symbolic size")
    for i in range(int(rows)):
        for j in range(int(cols)):
            yield self[i, j]


@contextlib.contextmanager
def adjusted() -> Iterator[None]:
    """Within the block, iterating over a matrix of symbolic size fails fast (re-entrant)."""
    global _depth
    with _lock:
        if _depth == 0:
            saved = sp.MatrixExpr.__dict__.get("__iter__")
            sp.MatrixExpr.__iter__ = _iter_matrix_expr  # type: ignore[attr-defined]
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                if saved is None:
                    del sp.MatrixExpr.__iter__
                else:
                    sp.MatrixExpr.__iter__ = saved  # type: ignore[attr-defined]
