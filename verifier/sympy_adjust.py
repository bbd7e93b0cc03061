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
a 10 s budget at x = 10¹².  Inside the block such an exp with a long rational stays exp, and
a number's power with a long exponent stays a power (the same numbers; ``certify`` encloses
them).
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator

import sympy as sp

__all__ = ["adjusted", "held_log", "held_long_powers", "lenient_indices", "long_power"]

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


# a rational longer than this in exp(k·log q) of numbers: q**k is not evaluated
LONG_POWER = 4096
_exp_eval = sp.exp.eval.__func__  # SymPy's own


def long_power(arg) -> bool:
    """A number with a log and a rational longer than LONG_POWER: exp of it would be an exact
    power q**k (ops.exp holds its logs; held_long_powers keeps it an exp)."""
    return bool(arg.is_number and arg.has(sp.log) and any(
        abs(r.p) > LONG_POWER or r.q > LONG_POWER for r in arg.atoms(sp.Rational)))


@functools.cache
def held_log():
    """The function log q of a positive number q that exp(k·log q) does not turn into q**k:
    the same number (evalf, certify), never a log instance for exp to recognise."""

    class held_log(sp.Function):  # noqa: N801 - reads like the maths
        nargs = 1

        def _eval_evalf(self, prec):
            return sp.log(self.args[0])._eval_evalf(prec)

        def _eval_is_extended_real(self):
            return self.args[0].is_positive

        def _eval_is_extended_positive(self):
            return (self.args[0] - 1).is_positive

        def _eval_is_extended_negative(self):
            return (self.args[0] - 1).is_negative if self.args[0].is_positive else None

        def _eval_is_zero(self):
            return (self.args[0] - 1).is_zero

        def _sympystr(self, printer):
            return f"log({printer._print(self.args[0])})"

    return held_log


def _held_exp_eval(cls, arg):
    if not arg.is_Atom and not isinstance(arg, sp.log) and long_power(arg):
        return None  # exp(arg) as it stands (exp(log q) = q is cheap: SymPy's own)
    return _exp_eval(cls, arg)


def _held_power(own):
    """A number's power with a long exponent (2 ** (10¹²), the point a = 10¹² of (1/2) ** a)
    stays a power: SymPy's own computes it exactly, as exp(k·log q) does."""
    def _eval_power(self, expt):
        if (isinstance(expt, sp.Rational) and abs(self) not in (0, 1)
                and (abs(expt.p) > LONG_POWER or expt.q > LONG_POWER)):
            # as exp(k·log|q|): an unevaluated power of a number sent Add.flatten through a
            # million powers at (1/2) ** a, a = 10¹²
            if self.is_positive:
                return sp.exp(expt * held_log()(self))
            if expt.is_Integer:
                return (-1) ** (expt % 2) * sp.exp(expt * held_log()(-self))
            return None
        return own(self, expt)

    return _eval_power


_adjusted = _ScopedPatch("__iter__", _iter_matrix_expr)
_held = _ScopedPatch("eval", classmethod(_held_exp_eval), sp.exp)
_held_rational = _ScopedPatch("_eval_power", _held_power(sp.Rational._eval_power), sp.Rational)
_held_integer = _ScopedPatch("_eval_power", _held_power(sp.Integer._eval_power), sp.Integer)
_lenient = _ScopedPatch("valid_index", _lenient_valid_index)


def adjusted() -> contextlib.AbstractContextManager[None]:
    """Within the block, iterating over a matrix of symbolic size fails fast (re-entrant)."""
    return _adjusted()


def lenient_indices() -> contextlib.AbstractContextManager[None]:
    """Within the block, a matrix entry's symbolic indices are not checked against its
    symbolic size (re-entrant)."""
    return _lenient()


@contextlib.contextmanager
def held_long_powers() -> Iterator[None]:
    """Within the block, exp(k·log q) of numbers with a long rational stays exp, and q ** k of
    a long k stays a power (re-entrant)."""
    with _held(), _held_rational(), _held_integer():
        yield
