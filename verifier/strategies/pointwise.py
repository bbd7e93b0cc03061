"""SymPy expressions evaluated at a point by walking them, without compiling them first.

The quick evaluation (``verifier.strategies.quick``) looks at a build at a few points only;
``lambdify`` spends most of that time printing the expression as source code, and repeats
every shared subexpression (a softmax denominator in each entry).  Walking the tree once per
point, with each distinct subexpression evaluated once, gives the same values: exact
``Fraction`` arithmetic for rational sides, mpmath at the caller's precision otherwise.

A node this walker does not know raises ``Unknown``; the caller then compiles as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import mpmath
import sympy as sp

__all__ = ["Unknown", "fraction_values", "mp_values"]


class Unknown(Exception):
    """A node the walker does not evaluate (the caller falls back to compiling)."""


def _heaviside(x, h0):
    return 1 if x > 0 else (0 if x < 0 else h0)


_RELATIONS: dict[type, Callable[[Any, Any], bool]] = {
    sp.StrictGreaterThan: lambda a, b: a > b,
    sp.GreaterThan: lambda a, b: a >= b,
    sp.StrictLessThan: lambda a, b: a < b,
    sp.LessThan: lambda a, b: a <= b,
    sp.Equality: lambda a, b: a == b,
    sp.Unequality: lambda a, b: a != b,
}


class _Walker:
    """One point: the values of the base symbols and a memo of every node seen."""

    def __init__(self, point: dict, number: Callable[[Any], Any], functions: dict):
        self.memo: dict = {}
        self.point = point
        self.number = number  # a SymPy Rational -> this arithmetic's number
        self.functions = functions  # function class name -> how to apply it

    def value(self, e: Any) -> Any:
        try:
            return self.memo[e]
        except KeyError:
            pass
        v = self._value(e)
        self.memo[e] = v
        return v

    def _value(self, e: Any) -> Any:
        if e.is_Rational:
            return self.number(e)
        if e.is_Symbol:
            try:
                return self.number(sp.Rational(self.point[e]))
            except KeyError:
                raise Unknown(f"no value for {e}") from None
        if e.is_Add:
            total = self.value(e.args[0])
            for a in e.args[1:]:
                total = total + self.value(a)
            return total
        if e.is_Mul:
            prod = self.value(e.args[0])
            for a in e.args[1:]:
                prod = prod * self.value(a)
            return prod
        if e.is_Pow:
            return self.power(self.value(e.base), e.exp)
        if isinstance(e, sp.Piecewise):
            for expr, cond in e.args:
                if self.truth(cond):
                    return self.value(expr)
            raise Unknown("no branch of a Piecewise holds")
        fn = self.functions.get(type(e).__name__)
        if fn is None:
            raise Unknown(type(e).__name__)
        return fn(*[self.value(a) for a in e.args])

    def power(self, base: Any, exp: Any) -> Any:
        raise NotImplementedError

    def truth(self, cond: Any) -> bool:
        if cond is sp.true:
            return True
        if cond is sp.false:
            return False
        rel = _RELATIONS.get(type(cond))
        if rel is not None:
            return bool(rel(self.value(cond.lhs), self.value(cond.rhs)))
        if isinstance(cond, sp.And):
            return all(self.truth(c) for c in cond.args)
        if isinstance(cond, sp.Or):
            return any(self.truth(c) for c in cond.args)
        if isinstance(cond, sp.Not):
            return not self.truth(cond.args[0])
        raise Unknown(type(cond).__name__)


class _Exact(_Walker):
    def power(self, base, exp):
        k = exp if exp.is_Number else self.value(exp)  # a symbolic exponent: its value
        if not (k.is_Integer if isinstance(k, sp.Basic) else Fraction(k).denominator == 1):
            raise Unknown("a non-integer power has no exact rational value")
        # as a Fraction: an int to a negative power would be a float; 0 ** -1 raises
        # ZeroDivisionError, as the compiled form does
        return Fraction(base) ** int(k)


class _Mp(_Walker):
    def power(self, base, exp):
        if exp.is_Integer:
            return base ** int(exp)
        if exp == sp.S.Half:
            return mpmath.sqrt(base)
        return base ** self.value(exp)


def _exact_number(r: Any) -> Fraction:
    return Fraction(int(r.p), int(r.q))


def _mp_number(r: Any) -> Any:
    return mpmath.mpf(int(r.p)) / int(r.q)


_EXACT_FUNCTIONS: dict[str, Callable] = {
    "Abs": abs,
    "Max": max,
    "Min": min,
    "sign": lambda x: (x > 0) - (x < 0),
    "Heaviside": lambda x, h0=Fraction(1, 2): _heaviside(x, h0),
}

# past this magnitude an exponential's argument gives up the point (a ValueError, as for a
# point the sides cannot be evaluated at): mpmath computes e^x with
# log₂|x| more bits of ln 2, and a nested exp at a special point (σ = e^{l}, l far from 0)
# reached arguments near 10^86858, 10 s per value (a GMM claim's 0.2 s became 20 s)
_MP_EXP_LIMIT = mpmath.mpf(2) ** 64


def _bounded(fn: Callable) -> Callable:
    def apply(x: Any) -> Any:
        if abs(x) > _MP_EXP_LIMIT:  # not Unknown: compiling would meet the same exp
            raise ValueError("an exponential of a number past 2^64 at this point")
        return fn(x)
    return apply


_MP_FUNCTIONS: dict[str, Callable] = {
    "Abs": abs,
    "Max": max,
    "Min": min,
    "sign": mpmath.sign,
    "Heaviside": lambda x, h0=None: mpmath.mpf(_heaviside(x, 0.5 if h0 is None else h0)),
    "exp": _bounded(mpmath.exp),
    "log": mpmath.log,
    "sigmoid": _bounded(lambda x: 1 / (1 + mpmath.exp(-x))),
    "tanh": _bounded(mpmath.tanh),
    "erf": mpmath.erf,
    "Pi": lambda: +mpmath.pi,
    "Exp1": lambda: +mpmath.e,
}


def _walk(walker: _Walker, exprs: Sequence[Any]) -> list:
    try:
        return [walker.value(e) for e in exprs]
    except RecursionError:
        raise Unknown("too deep") from None


def fraction_values(exprs: Sequence[Any], point: dict) -> list:
    """Exact values (int or Fraction) of rational expressions at a rational point; raises
    ``ZeroDivisionError`` where a side divides by zero, ``Unknown`` for anything else."""
    return _walk(_Exact(point, _exact_number, _EXACT_FUNCTIONS), exprs)


def mp_values(exprs: Sequence[Any], point: dict) -> list:
    """mpmath values at the current working precision (complex where a logarithm or root
    leaves the reals); raises ``ZeroDivisionError``, ``ValueError`` or ``Unknown``."""
    return _walk(_Mp(point, _mp_number, _MP_FUNCTIONS), exprs)

