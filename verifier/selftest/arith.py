"""The judge's numbers: exact rationals where possible, rigorous intervals elsewhere, duals for ∂.

A scalar is a ``Fraction`` (exact), an mpmath interval (``ctx.mpf``: an enclosure of the true
value, its width set by the precision), or a ``Dual`` (value, derivative) of either, for
forward-mode differentiation.  Nothing here uses SymPy or the engine.

Two exceptions say why a value cannot be used:

- ``Undefined``: the expression has no real value at this point (a singular inverse, a zero
  denominator, the log of a non-positive number, the square root of a negative one, the
  derivative of a kink).  A point where a side is undefined is never a counterexample.
- ``Uncertain``: at this precision an interval straddles the point where that is decided
  (a denominator enclosing 0, a log argument enclosing 0).  The caller may retry at a higher
  precision; if it stays uncertain, nothing is certified.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import isqrt
from typing import Any

from mpmath.ctx_iv import MPIntervalContext

__all__ = ["Arith", "Dual", "Uncertain", "Undefined", "is_exact"]


class Undefined(ArithmeticError):
    """No real value here (the message says why)."""


class Uncertain(ArithmeticError):
    """Not decidable at this precision."""


@dataclass(frozen=True)
class Dual:
    """v + d·ε with ε² = 0: a value and its derivative along one direction."""

    v: Any
    d: Any


def is_exact(x: Any) -> bool:
    if isinstance(x, Dual):
        return is_exact(x.v) and is_exact(x.d)
    return isinstance(x, Fraction)


def _exact_root(q: Fraction, k: int) -> Fraction | None:
    """The k-th root of q ≥ 0 when it is rational."""
    num, den = q.numerator, q.denominator
    a, b = _int_root(num, k), _int_root(den, k)
    return Fraction(a, b) if a is not None and b is not None else None


def _int_root(n: int, k: int) -> int | None:
    if k == 2:
        r = isqrt(n)
        return r if r * r == n else None
    r = round(n ** (1 / k)) if n < 1 << 1000 else None
    if r is None:
        return None
    for c in (r - 1, r, r + 1):
        if c >= 0 and c**k == n:
            return c
    return None


class Arith:
    """Scalar arithmetic at one interval precision (bits); exact where the inputs are."""

    def __init__(self, prec: int = 160):
        self.ctx = MPIntervalContext()
        self.ctx.prec = prec
        self.prec = prec

    # ----- conversions -----

    def iv(self, x: Any) -> Any:
        """An interval enclosing x (a Fraction or an interval)."""
        if isinstance(x, Fraction):
            if x.denominator == 1:
                return self.ctx.mpf(x.numerator)
            return self.ctx.mpf(x.numerator) / self.ctx.mpf(x.denominator)
        if isinstance(x, int):
            return self.ctx.mpf(x)
        return x

    def const(self, name: str) -> Any:
        if name == "pi":
            return self.ctx.pi
        raise KeyError(name)

    # ----- signs -----

    def sign(self, x: Any) -> int:
        """-1, 0 or 1; raises Uncertain when an interval straddles 0."""
        if isinstance(x, Dual):
            return self.sign(x.v)
        if isinstance(x, Fraction):
            return (x > 0) - (x < 0)
        lo, hi = x.a, x.b
        if lo > 0:
            return 1
        if hi < 0:
            return -1
        if lo == 0 and hi == 0:
            return 0
        raise Uncertain("a sign is not decided at this precision")

    def is_zero(self, x: Any) -> bool:
        """Certainly zero (exact 0, or a degenerate interval [0, 0])."""
        try:
            return self.sign(x) == 0
        except Uncertain:
            return False

    # ----- ring operations (any mix of Fraction, interval and Dual) -----

    def add(self, a: Any, b: Any) -> Any:
        if isinstance(a, Dual) or isinstance(b, Dual):
            a, b = self._dual(a), self._dual(b)
            return Dual(self.add(a.v, b.v), self.add(a.d, b.d))
        if isinstance(a, Fraction) and isinstance(b, Fraction):
            return a + b
        return self.iv(a) + self.iv(b)

    def neg(self, a: Any) -> Any:
        if isinstance(a, Dual):
            return Dual(self.neg(a.v), self.neg(a.d))
        return -a

    def sub(self, a: Any, b: Any) -> Any:
        return self.add(a, self.neg(b))

    def mul(self, a: Any, b: Any) -> Any:
        if isinstance(a, Dual) or isinstance(b, Dual):
            a, b = self._dual(a), self._dual(b)
            return Dual(self.mul(a.v, b.v), self.add(self.mul(a.v, b.d), self.mul(a.d, b.v)))
        if isinstance(a, Fraction) and isinstance(b, Fraction):
            return a * b
        if (isinstance(a, Fraction) and a == 0) or (isinstance(b, Fraction) and b == 0):
            return Fraction(0)  # 0 · anything finite is exactly 0
        return self.iv(a) * self.iv(b)

    def recip(self, a: Any) -> Any:
        if isinstance(a, Dual):
            r = self.recip(a.v)
            return Dual(r, self.neg(self.mul(a.d, self.mul(r, r))))
        if self.sign(a) == 0:
            raise Undefined("division by zero")
        return 1 / a

    def div(self, a: Any, b: Any) -> Any:
        return self.mul(a, self.recip(b))

    def _dual(self, x: Any) -> Dual:
        return x if isinstance(x, Dual) else Dual(x, Fraction(0))

    # ----- powers -----

    def pow(self, base: Any, k: Any) -> Any:
        """base ** k: k a constant (Fraction) or an integer-valued symbol; any other
        exponent only over a positive base (as the language admits them)."""
        if isinstance(k, Dual) and is_exact(k.d) and k.d == 0:
            k = k.v
        if not isinstance(k, Fraction):
            if self.sign(base) <= 0:
                raise Undefined("a symbolic power of a non-positive number")
            return self.exp(self.mul(k, self.log(base)))
        if isinstance(base, Dual):
            v = self.pow(base.v, k)
            if k == 0:
                return Dual(v, Fraction(0))
            if self.sign(base.v) == 0 and k < 1:
                if is_exact(base.d) and base.d == 0:
                    return Dual(v, Fraction(0))
                raise Undefined(f"x ** {k} has no derivative at 0")
            return Dual(v, self.mul(self.mul(k, self.pow(base.v, k - 1)), base.d))
        if k.denominator == 1:
            n = k.numerator
            if n >= 0:
                if isinstance(base, Fraction):
                    return base**n
                return self.iv(base) ** n
            if self.sign(base) == 0:
                raise Undefined("a negative power of zero")
            if isinstance(base, Fraction):
                return base**n
            return 1 / (self.iv(base) ** (-n))
        # a fractional exponent p/q: real only for a non-negative base
        s = self.sign(base)
        if s < 0:
            raise Undefined(f"a fractional power ({k}) of a negative number")
        if s == 0:
            if k < 0:
                raise Undefined("a negative power of zero")
            return Fraction(0)
        if isinstance(base, Fraction):
            root = _exact_root(base, k.denominator)
            if root is not None:
                return root**k.numerator
        return self.exp(self.mul(self.iv(k), self.log(base)))

    # ----- transcendental functions -----

    def exp(self, x: Any) -> Any:
        if isinstance(x, Dual):
            e = self.exp(x.v)
            return Dual(e, self.mul(e, x.d))
        if isinstance(x, Fraction) and x == 0:
            return Fraction(1)
        return self.ctx.exp(self.iv(x))

    def log(self, x: Any) -> Any:
        if isinstance(x, Dual):
            return Dual(self.log(x.v), self.div(x.d, x.v))
        if isinstance(x, Fraction):
            if x <= 0:
                raise Undefined(f"log of {'zero' if x == 0 else 'a negative number'}")
            if x == 1:
                return Fraction(0)
            return self.ctx.log(self.iv(x))
        if x.b <= 0:
            raise Undefined("log of a non-positive number")
        if x.a <= 0:
            raise Uncertain("log of an interval that encloses 0")
        return self.ctx.log(x)

    def sqrt(self, x: Any) -> Any:
        if isinstance(x, Dual):
            r = self.sqrt(x.v)
            if self.sign(r) == 0:
                if is_exact(x.d) and x.d == 0:
                    return Dual(r, Fraction(0))
                raise Undefined("sqrt has no derivative at 0")
            return Dual(r, self.div(x.d, self.mul(Fraction(2), r)))
        if isinstance(x, Fraction):
            if x < 0:
                raise Undefined("sqrt of a negative number")
            root = _exact_root(x, 2)
            if root is not None:
                return root
            return self.ctx.sqrt(self.iv(x))
        if x.b < 0:
            raise Undefined("sqrt of a negative number")
        if x.a < 0:
            raise Uncertain("sqrt of an interval that reaches below 0")
        return self.ctx.sqrt(x)

    def sigmoid(self, x: Any) -> Any:
        if isinstance(x, Dual):
            s = self.sigmoid(x.v)
            return Dual(s, self.mul(self.mul(s, self.sub(Fraction(1), s)), x.d))
        if isinstance(x, Fraction) and x == 0:
            return Fraction(1, 2)
        e = self.ctx.exp(-self.iv(x))
        return 1 / (1 + e)

    def tanh(self, x: Any) -> Any:
        if isinstance(x, Dual):
            t = self.tanh(x.v)
            return Dual(t, self.mul(self.sub(Fraction(1), self.mul(t, t)), x.d))
        if isinstance(x, Fraction) and x == 0:
            return Fraction(0)
        # tanh(x) = 1 − 2/(e^{2x} + 1): every operation is monotone, so this encloses it
        return 1 - 2 / (self.ctx.exp(2 * self.iv(x)) + 1)

    # ----- piecewise functions -----

    def _kink(self, x: Dual, what: str) -> None:
        """At a kink the derivative exists only along a zero direction."""
        if not (is_exact(x.d) and x.d == 0):
            raise Undefined(f"{what} has no derivative at its kink")

    def relu(self, x: Any) -> Any:
        if isinstance(x, Dual):
            s = self.sign(x.v)
            if s == 0:
                self._kink(x, "relu")
                return Dual(Fraction(0), Fraction(0))
            return x if s > 0 else Dual(Fraction(0), Fraction(0))
        if isinstance(x, Fraction):
            return max(x, Fraction(0))
        return self.ctx.mpf([max(0, x.a), max(0, x.b)])

    def abs(self, x: Any) -> Any:
        if isinstance(x, Dual):
            s = self.sign(x.v)
            if s == 0:
                self._kink(x, "abs")
                return Dual(Fraction(0), Fraction(0))
            return x if s > 0 else self.neg(x)
        if isinstance(x, Fraction):
            return abs(x)
        if x.a >= 0:
            return x
        if x.b <= 0:
            return -x
        return self.ctx.mpf([0, max(-x.a, x.b)])

    def leaky_relu(self, x: Any, a: Any) -> Any:
        if isinstance(x, Dual) or isinstance(a, Dual):
            xd = self._dual(x)
            s = self.sign(xd.v)
            if s > 0:
                return xd
            if s < 0:
                return self.mul(a, xd)
            if not (is_exact(xd.d) and xd.d == 0):
                # a kink unless the slope is 1
                if not (is_exact(a) and not isinstance(a, Dual) and a == 1):
                    raise Undefined("leaky_relu has no derivative at its kink")
            return self.mul(a, xd)
        s = None
        try:
            s = self.sign(x)
        except Uncertain:
            pass
        if s is not None:
            return x if s > 0 else self.mul(a, x)
        # x straddles 0: the hull of both branches on their halves
        lo, hi = x.a, x.b
        pos = self.ctx.mpf([0, hi])
        neg = self.iv(a) * self.ctx.mpf([lo, 0])
        return self.ctx.mpf([min(pos.a, neg.a), max(pos.b, neg.b)])

    def max(self, xs: list) -> Any:
        if any(isinstance(x, Dual) for x in xs):
            vals = [self._dual(x) for x in xs]
            for x in vals:  # the entry no other exceeds; a tie must agree in its derivative
                gaps = [self.sign(self.sub(x.v, y.v)) for y in vals]
                if min(gaps) >= 0:
                    tied = [y for y, g in zip(vals, gaps, strict=True) if g == 0]
                    if any(not (is_exact(y.d) and is_exact(x.d) and y.d == x.d) for y in tied):
                        raise Undefined("max has no derivative at a tie")
                    return x
            raise Uncertain("the largest entry is not decided at this precision")
        if all(isinstance(x, Fraction) for x in xs):
            return max(xs)
        ivs = [self.iv(x) for x in xs]
        return self.ctx.mpf([max(x.a for x in ivs), max(x.b for x in ivs)])
