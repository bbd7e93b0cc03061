"""The slope d/dt f(t) at t = 0 of one exact SymPy expression, for the re-check of
``prove_differential`` along a direction.

Where f is a rational function of t with rational coefficients, the slope is exact (one-variable
polynomial arithmetic).  Where f also holds exp, log or a root of constants (a softmax at
n = 3), exact polynomial arithmetic runs over SymPy's EX domain, where ``together`` and
``Poly`` took 20 to 110 s for an attention loss; there the slope is evaluated in 150-digit
arithmetic by a five-point stencil with step 10⁻⁴⁰ (truncation error of order 10⁻¹⁶⁰ times the
fifth derivative, rounding of order 10⁻¹¹⁰) from f's exact values at the four points, as is
⟨G, V⟩ beside it, and ``_along`` compares the two at 10⁻⁴⁵, the threshold it already used for
a gap that is not a rational number.
"""

from __future__ import annotations

import mpmath
import sympy as sp

DIGITS = 150
STEP_EXPONENT = -40


def transcendental(f: sp.Expr) -> bool:
    """f holds a function application or a non-integer power (exp(1/3), sqrt(2)): exact
    polynomial arithmetic in t would run over SymPy's slow EX domain."""
    if f.atoms(sp.Function):
        return True
    return any(not p.exp.is_Integer for p in f.atoms(sp.Pow))


def exact_slope(f: sp.Expr, t: sp.Symbol) -> sp.Expr:
    """d/dt f at t = 0, exactly; a rational function of t as p/q first (one-variable
    polynomial arithmetic, far cheaper than differentiating the unexpanded expression)."""
    if f.is_rational_function(t):
        # no cancel: a gcd of the big exact coefficients ran for minutes; p'q − pq' over q²
        # at 0 needs only q(0) ≠ 0
        p, q = (sp.Poly(x, t) for x in sp.fraction(sp.together(f)))
        p0, q0 = p.eval(0), q.eval(0)
        if q0 == 0:
            raise ValueError("undefined at t = 0")
        return (p.diff(t).eval(0) * q0 - p0 * q.diff(t).eval(0)) / q0**2
    return sp.diff(f, t).subs(t, 0)


STEP = sp.Rational(1, 10**40)
OFFSETS = (2, 1, -1, -2)  # the points t = kh of the stencil


def stencil_slope(at: list[sp.Expr]) -> mpmath.mpf:
    """d/dt f at t = 0 from f's exact values at t = 2h, h, −h, −2h (h = STEP), each in
    DIGITS-digit arithmetic: (−f(2h) + 8f(h) − 8f(−h) + f(−2h)) / 12h.  The points are built
    exactly, so an element-wise function of a symbolic t (tanh nested 8 deep: 7 s to build,
    a minute to expand) is never formed."""
    values = [numeric_value(e) for e in at]
    with mpmath.workdps(DIGITS):
        h = mpmath.mpf(STEP.p) / STEP.q
        return (-values[0] + 8 * values[1] - 8 * values[2] + values[3]) / (12 * h)


def numeric_value(e: sp.Expr) -> mpmath.mpf:
    """An exact constant expression in DIGITS-digit arithmetic (common parts computed once)."""
    fn = sp.lambdify((), e, modules="mpmath", cse=True)
    with mpmath.workdps(DIGITS):
        v = fn()
        if isinstance(v, mpmath.mpc):
            if v.imag != 0:
                raise ValueError("not real")
            v = v.real
        if not mpmath.isfinite(v):
            raise ValueError("not finite")
        return mpmath.mpf(v)
