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

``held_long_powers()``: ``exp(k·log q)`` of numbers evaluates to the exact ``q**k``, one C
call that no time limit interrupts.  A real power ``x ** a`` is ``exp(a·log x)``, and every
point substituted into it (``xreplace``) builds that: (1 + 1/x) ** x ≤ e hung for minutes past
a 10 s budget at x = 10¹².  Inside the block such an exp with a long rational stays exp (the
same number; ``certify`` encloses it).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import sympy as sp

__all__ = ["adjusted", "held_long_powers", "lenient_indices"]

_lock = threading.RLock()


class _ScopedPatch:
    """A method of ``owner`` (``sp.MatrixExpr``) replaced while any block using it is open
    (re-entrant, across threads: the first block in installs it, the last one out restores
    SymPy's)."""

    def __init__(self, name: str, replacement, owner: type = sp.MatrixExpr) -> None:
        self.name, self.replacement, self.owner = name, replacement, owner
        self.depth = 0
        self.saved = None

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        with _lock:
            if self.depth == 0:
                self.saved = self.owner.__dict__.get(self.name)
                setattr(self.owner, self.name, self.replacement)
            self.depth += 1
        try:
            yield
        finally:
            with _lock:
                self.depth -= 1
                if self.depth == 0:
                    if self.saved is None:
                        delattr(self.owner, self.name)
                    else:
                        setattr(self.owner, self.name, self.saved)


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


# a rational longer than this in exp(k·log q) of numbers: q**k is not evaluated (ops.exp)
LONG_POWER = 4096
_exp_eval = sp.exp.eval.__func__  # SymPy's own


def _long_power(arg) -> bool:
    return bool(arg.is_number and arg.has(sp.log) and any(
        abs(r.p) > LONG_POWER or r.q > LONG_POWER for r in arg.atoms(sp.Rational)))


def _held_exp_eval(cls, arg):
    if not arg.is_Atom and _long_power(arg):
        return None  # exp(arg) as it stands
    return _exp_eval(cls, arg)


_adjusted = _ScopedPatch("__iter__", _iter_matrix_expr)
_held = _ScopedPatch("eval", classmethod(_held_exp_eval), sp.exp)
_lenient = _ScopedPatch("valid_index", _lenient_valid_index)


def adjusted() -> contextlib.AbstractContextManager[None]:
    """Within the block, iterating over a matrix of symbolic size fails fast (re-entrant)."""
    return _adjusted()


def lenient_indices() -> contextlib.AbstractContextManager[None]:
    """Within the block, a matrix entry's symbolic indices are not checked against its
    symbolic size (re-entrant)."""
    return _lenient()


def held_long_powers() -> contextlib.AbstractContextManager[None]:
    """Within the block, exp(k·log q) of numbers with a long rational stays exp (re-entrant)."""
    return _held()
