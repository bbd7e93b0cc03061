"""The one place where derivcheck adjusts SymPy, and only inside ``adjusted()`` (or
``lenient_indices()``).

A matrix of symbolic size has no finite iteration, yet ``for t in a`` over a ``MatrixSymbol``
of size n indexes a[0], a[1], … forever (SymPy never raises IndexError for a symbolic
size).  While a claim's side is built, iterating over such a matrix raises
``GeneralFormUnavailable`` instead, so the general strategy steps aside.  Outside the block
SymPy is untouched, so other SymPy users in the process see its own behaviour.

``lenient_indices()``: every ``MatrixElement`` SymPy builds (``xreplace``, a Lambda applied,
a sum renamed) checks its indices with symbolic inequalities (0 ≤ i < n under assumptions),
which took a third of the index-form prover's time.  Inside the block an entry of a symbolic
size is accepted as built, and an integer index is still checked against an integer size.  An
entry outside its matrix then stays a formal symbol; the fixed-size builds that every proof
also needs (its witness) raise as before.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import sympy as sp

__all__ = ["adjusted", "lenient_indices"]

_lock = threading.RLock()


class _ScopedPatch:
    """A method of ``sp.MatrixExpr`` replaced while any block using it is open (re-entrant,
    across threads: the first block in installs it, the last one out restores SymPy's)."""

    def __init__(self, name: str, replacement) -> None:
        self.name, self.replacement = name, replacement
        self.depth = 0
        self.saved = None

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        with _lock:
            if self.depth == 0:
                self.saved = sp.MatrixExpr.__dict__.get(self.name)
                setattr(sp.MatrixExpr, self.name, self.replacement)
            self.depth += 1
        try:
            yield
        finally:
            with _lock:
                self.depth -= 1
                if self.depth == 0:
                    if self.saved is None:
                        delattr(sp.MatrixExpr, self.name)
                    else:
                        setattr(sp.MatrixExpr, self.name, self.saved)


def _iter_matrix_expr(self):
    from verifier.ops import GeneralFormUnavailable

    rows, cols = self.shape
    if not (sp.sympify(rows).is_Integer and sp.sympify(cols).is_Integer):
        raise GeneralFormUnavailable("iterating over a matrix of symbolic size")
    for i in range(int(rows)):
        for j in range(int(cols)):
            yield self[i, j]


def _lenient_valid_index(self, i, j):
    for idx, n in ((i, self.rows), (j, self.cols)):
        if not isinstance(idx, int | sp.Expr):
            return False
        idx, n = sp.sympify(idx), sp.sympify(n)
        if idx.is_Integer and n.is_Integer and not -n <= idx < n:
            return False
    return True


_adjusted = _ScopedPatch("__iter__", _iter_matrix_expr)
_lenient = _ScopedPatch("valid_index", _lenient_valid_index)


def adjusted() -> contextlib.AbstractContextManager[None]:
    """Within the block, iterating over a matrix of symbolic size fails fast (re-entrant)."""
    return _adjusted()


def lenient_indices() -> contextlib.AbstractContextManager[None]:
    """Within the block, a matrix entry's symbolic indices are not checked against its
    symbolic size (re-entrant)."""
    return _lenient()
