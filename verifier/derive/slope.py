"""The slope d/dt f(t) at t = 0 of one exact SymPy expression, for the re-check of
``prove_differential`` along a direction.

Where the claim is a rational function (no exp, log, tanh, softmax, sqrt, norm, …), the slope
is exact (one-variable polynomial arithmetic).  Otherwise exact arithmetic builds trees of
exp(1/3)-like atoms: ``together`` and ``Poly`` over SymPy's EX domain took 20 to 110 s for an
attention loss, and tanh nested 8 deep of a symbolic t took 7 s to build and a minute to
expand.  There every symbol's value is a 150-digit Float (each operation is evaluated as it is
built) and the slope is a five-point stencil with step 10⁻⁴⁰ (truncation error of order
10⁻¹⁶⁰ times the fifth derivative, rounding of order 10⁻¹¹⁰), ⟨G, V⟩ beside it at 150
digits, and ``_along`` compares the two at 10⁻⁴⁵, the threshold it already used for a gap that
is not a rational number; a gap above 10⁻²⁰ goes to the certified audit as before.
"""

from __future__ import annotations

import mpmath
import sympy as sp

DIGITS = 150
STEP_EXPONENT = -40


def exact_slope(f: sp.Expr, t: sp.Symbol) -> sp.Expr:
    """d/dt f at t = 0, exactly; a rational function of t as p/q first (one-variable
    polynomial arithmetic, far cheaper than differentiating the unexpanded expression)."""
    if f.is_polynomial(t):
        # the coefficient of t: together() over the unexpanded tree (tr((XᵀX)³) along a
        # direction, degree 6 in t) took 4 times as long as expanding it as a polynomial
        return sp.Poly(f, t).coeff_monomial(t)
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
    """A constant in DIGITS-digit arithmetic (a Float built at DIGITS digits, or an exact
    constant evaluated so)."""
    exact = {a: sp.N(a, DIGITS) for a in e.atoms(sp.Pow, sp.Function)
             if a.is_number and not a.has(sp.Float)}  # sqrt(3) from a size: a Float too,
    if exact:  # so rebuilding evaluates the tree bottom-up (N's adaptive Add is slow)
        e = e.xreplace(exact)
    v = e if isinstance(e, sp.Float) else sp.N(e, DIGITS)
    if not v.is_number:
        raise ValueError("not a number")
    re, im = v.as_real_imag()
    if im != 0 and abs(im) > sp.Float(10) ** (-DIGITS // 2):
        raise ValueError("not real")
    with mpmath.workdps(DIGITS):
        out = mpmath.mpf(sp.Float(re, DIGITS)._mpf_)
        if not mpmath.isfinite(out):
            raise ValueError("not finite")
        return out


def high_precision(value):
    """A symbol's exact value as DIGITS-digit Floats: every operation on it is then evaluated
    as it is built (exp(1/3) is a number, not an atom, and no tree grows)."""
    if isinstance(value, sp.MatrixBase):
        return value.applyfunc(lambda z: sp.N(z, DIGITS))
    if isinstance(value, sp.Basic) and value.is_number:
        return sp.N(value, DIGITS)
    return value


TRANSCENDENTAL = frozenset({"exp", "log", "tanh", "sigmoid", "sin", "cos", "atan", "erf",
                            "softmax", "log_softmax",
                            "logsumexp", "sqrt", "norm", "var"})


def transcendental_tree(tree) -> bool:
    """The claim-language tree calls a function whose values at rational points are not
    rational (exp, log, tanh, softmax, sqrt, norm, …) or raises to a fractional power."""
    stack = [tree]
    while stack:
        n = stack.pop()
        kind = type(n).__name__
        if kind == "Call" and n.fn in TRANSCENDENTAL:
            return True
        if kind == "Binary" and n.op == "**" and type(n.right).__name__ == "Number" \
                and n.right.value.denominator != 1:
            return True
        if kind == "Constant":
            return True
        for name in ("arg", "left", "right"):
            child = getattr(n, name, None)
            if child is not None and hasattr(child, "shape"):
                stack.append(child)
        stack.extend(c for c in getattr(n, "args", ()) or () if hasattr(c, "shape"))
    return False
