"""Certified arithmetic: is a closed-form number certainly nonzero, positive, equal to another?

Every number here is a SymPy expression without free symbols (a side of a claim at a rational
point: ``exp(3/2) - log(7)``, a determinant, a 40-digit rational).  Rationals are compared
exactly.  Anything else is enclosed in an interval (``mpmath.iv``: outward rounding, so the
true value is inside) at a precision that grows until the answer is certain or a cap is
reached; then the answer is "unknown", never a guess.  This is what lets a counterexample be
trusted whatever the magnitudes (1e-30 or e^200): a difference is reported only when its
enclosure excludes 0, and two sides agree only when the enclosure of their difference lies
inside ``[-AGREE, AGREE]`` (absolute, so a difference of 1 can never pass as agreement).

Functions without an interval version in mpmath but monotone (erf, tanh, atan, sinh) are
enclosed from their endpoints, computed 40 bits past the working precision and widened.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import mpmath
import sympy as sp

__all__ = [
    "AGREE",
    "interval_sign",
    "Comparison",
    "Uncertain",
    "UndefinedValue",
    "compare",
    "compare_matrices",
    "enclose",
    "estimate",
    "exact_real",
    "sign",
    "sign_or_none",
]

AGREE = mpmath.mpf("1e-30")  # two sides agree at a point when |lhs − rhs| ≤ this, certified
PRECISIONS = (128, 320, 800, 2000, 4500)  # bits; the last is ~1350 digits (values to e^3000)


class Uncertain(Exception):
    """The enclosure is too wide to decide (at this precision)."""


class UndefinedValue(Exception):
    """The expression has no real value here (log of a non-positive number, 1/0, …)."""


@functools.cache
def _iv():
    return mpmath.iv


def _point(x: Any) -> Any:
    iv = _iv()
    return iv.mpf(x)


# An end of an enclosure as an mpf holding its exact value: mpmath.mpf(raw) rounds to the
# working precision (53 bits by default), which moves the end inward and let ``_meet`` return
# a point enclosure 1e-16 off the value: tanh(2) = (e⁴ − 1)/(e⁴ + 1) was "certified" to differ
def _lo(x) -> mpmath.mpf:
    return mpmath.mp.make_mpf(x._mpi_[0])


def _hi(x) -> mpmath.mpf:
    return mpmath.mp.make_mpf(x._mpi_[1])


def _monotone(fn, x, increasing: bool = True):
    """f([a, b]) for a monotone f, from its endpoints at extra precision, widened by 2 ulp."""
    iv = _iv()
    with mpmath.workprec(iv.prec + 40):
        fa, fb = fn(_lo(x)), fn(_hi(x))
        if not increasing:
            fa, fb = fb, fa
        eps = mpmath.ldexp(1, -iv.prec + 2)
        a = fa - abs(fa) * eps - mpmath.ldexp(1, -iv.prec * 2)
        b = fb + abs(fb) * eps + mpmath.ldexp(1, -iv.prec * 2)
    return iv.mpf([a, b])


_HUGE = mpmath.mpf(2) ** 64  # past it, 1 − tanh(x) < 2e^(−2⁶⁵), below any precision used


def _tanh(x):
    """tanh([a, b]); past ±2⁶⁴ the enclosure [1 − 2^(−prec/2), 1] (and its mirror), which
    holds there: mpmath's tanh of e^(x² + 8) at x = 10³⁰ raised OverflowError (its
    argument's exponent has 10⁶⁰ bits), and the claim was an ``error``."""
    iv = _iv()
    with mpmath.workprec(iv.prec + 8):  # 1 − 2^(−prec/2) exactly (at 53 bits it is 1)
        near = 1 - mpmath.ldexp(1, -(iv.prec // 2))
    if _lo(x) > _HUGE:
        return iv.mpf([near, 1])
    if _hi(x) < -_HUGE:
        return iv.mpf([-1, -near])
    return _monotone(mpmath.tanh, x)


def _atanh(x):
    """atanh([a, b]) inside (−1, 1); an enclosure reaching ±1 is no answer (the value may
    still exist: the interval is only too wide)."""
    if _lo(x) <= -1 or _hi(x) >= 1:
        raise Uncertain("the argument of atanh is too close to ±1")
    return _monotone(mpmath.atanh, x)


def _tan(x):
    """tan([a, b]) as sin/cos, with a cosine certainly away from 0 (a root of atan(x) = c is
    tan c)."""
    iv = _iv()
    c = iv.cos(x)
    if interval_sign(c) is None:
        raise Uncertain("the cosine under tan is too close to 0")
    return iv.sin(x) / c


def interval_sign(x) -> int | None:
    """+1 / -1 when the interval excludes 0; 0 for the point 0; None when it straddles 0."""
    lo, hi = _lo(x), _hi(x)
    if lo > 0:
        return 1
    if hi < 0:
        return -1
    if lo == 0 and hi == 0:
        return 0
    return None


# An enclosure this narrow around 0 is worth an exact test: no interval ever excludes 0 from
# an exact zero written in two ways (x² + x − 1 at the golden root, atanh(1/2) − log(3)/2),
# so the comparisons at an irrational switch point were "unknown" and such claims undecided
_NARROW = mpmath.mpf(2) ** -100
_EXACT_OPS = 400  # a larger number is not simplified (the test would take too long)
# nor one with a function of a huge argument: tanh(10⁶)² − 1 is −4e^(−2·10⁶) to an enclosure,
# and simplify's nsimplify computed log 2 to hundreds of thousands of digits (> 170 s)
_HUGE_ARGUMENT = 10**4
# nor one with an exponent (or a function argument) whose denominator is long: exp(p/q) with
# q = 5·10⁵⁰ (a point of refute_special) made simplify's gcd work in exp(1/q) with exponents
# near 10⁵⁰, and minimal_polynomial(2^(1/q)) has degree q; one such integer operation holds
# the interpreter, so no strategy budget ended it
_LONG_DENOMINATOR = 10**4


@functools.lru_cache(maxsize=512)
def _exactly_zero(d: Any) -> bool:
    """Is the closed-form number ``d`` exactly 0, shown exactly: an algebraic number by its
    minimal polynomial, another by SymPy's simplification (of it and of its log and exp
    forms) to the integer 0.  False when not shown."""
    # a Float is rounded arithmetic to SymPy (1.0 + 1e-30 − 1 is 0 to it): never shown 0
    if d.free_symbols or d.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I, sp.Float) \
            or sp.count_ops(d) > _EXACT_OPS:
        return False
    if any(n.q > _LONG_DENOMINATOR for n in _exponent_rationals(d)):
        return False
    if all(a.is_Rational for a in d.atoms(sp.Number)) and not d.atoms(sp.Function, sp.Symbol) \
            and d.atoms(sp.NumberSymbol) == set():
        try:
            return sp.minimal_polynomial(d, sp.Dummy("z")).is_Symbol
        except (NotImplementedError, ValueError):
            return False
    if any(abs(n) > _HUGE_ARGUMENT for f in d.atoms(sp.Function, sp.exp)
           for n in f.atoms(sp.Rational)):
        return False
    for form in (d, d.rewrite(sp.log), d.rewrite(sp.exp)):
        try:
            if sp.simplify(form) is sp.S.Zero:
                return True
        except (NotImplementedError, ValueError, TypeError, RecursionError):
            continue
    return False


def _exponent_rationals(d: Any) -> set:
    """The rationals in d's exponents and in its functions' arguments."""
    inside = [p.exp for p in d.atoms(sp.Pow)] + [a for f in d.atoms(sp.Function, sp.exp)
                                                 for a in f.args]
    return {n for e in inside for n in sp.sympify(e).atoms(sp.Rational)}


def _sign_or_zero(x, d: Any) -> int | None:
    """The sign of the enclosure ``x`` of ``d``, or 0 when it straddles 0 narrowly and ``d``
    is exactly 0."""
    s = interval_sign(x)
    if s is None and _hi(x) - _lo(x) < _NARROW and _exactly_zero(sp.sympify(d)):
        return 0
    return s


def _relational(rel: Any, memo: dict) -> bool:
    """The truth of a comparison or a boolean combination of them, certified."""
    if rel is sp.true or rel is True:
        return True
    if rel is sp.false or rel is False:
        return False
    if isinstance(rel, sp.And):
        return all(_relational(a, memo) for a in rel.args)
    if isinstance(rel, sp.Or):
        return any(_relational(a, memo) for a in rel.args)
    if isinstance(rel, sp.Not):
        return not _relational(rel.args[0], memo)
    if isinstance(rel, sp.core.relational.Relational):
        d = rel.lhs - rel.rhs
        s = _sign_or_zero(_enc(d, memo), d)
        if s is None:
            raise Uncertain(f"cannot decide {rel}")
        return {
            "==": s == 0, "!=": s != 0, ">": s > 0, "<": s < 0, ">=": s >= 0, "<=": s <= 0,
        }[rel.rel_op]
    raise Uncertain(f"unsupported condition {type(rel).__name__}")


def _pow(base, e: Any, memo: dict):
    iv = _iv()
    b = _enc(base, memo)
    if e.is_Integer:
        k = int(e)
        if k < 0:
            s = interval_sign(b)
            if s == 0:
                raise UndefinedValue(f"division by zero ({base})")
            if s is None:
                raise Uncertain("a denominator is too close to 0")
            return 1 / (b ** (-k))
        return b**k
    s = interval_sign(b)
    if s == 0:
        if e.is_positive:
            return iv.mpf(0)
        raise UndefinedValue(f"0 to the power {e}")
    if s is None:
        raise Uncertain("a base of a fractional power is too close to 0")
    if s < 0:
        if e.is_Rational and e.q % 2 == 1:  # odd root of a negative number is real
            mag = iv.exp(iv.log(-b) * _enc(e, memo))
            return -mag if e.p % 2 else mag
        raise UndefinedValue(f"fractional power of a negative number ({base})")
    if e == sp.S.Half:
        return iv.sqrt(b)
    return iv.exp(iv.log(b) * _enc(e, memo))


def _log(arg, memo):
    iv = _iv()
    x = _enc(arg, memo)
    s = interval_sign(x)
    if s is None:
        raise Uncertain("the argument of a log is too close to 0")
    if s <= 0:
        raise UndefinedValue(f"log of a non-positive number ({arg})")
    return iv.log(x)


def _sigmoid(x):
    iv = _iv()
    return 1 / (1 + iv.exp(-x)) if _lo(x) >= 0 else iv.exp(x) / (1 + iv.exp(x))


def _max_min(args, memo, take_max: bool):
    iv = _iv()
    vals = [_enc(a, memo) for a in args]
    pick = max if take_max else min
    return iv.mpf([pick(_lo(v) for v in vals), pick(_hi(v) for v in vals)])


def _piecewise(expr, memo):
    for value, cond in expr.args:
        if _relational(cond, memo):
            return _enc(value, memo)
    raise UndefinedValue("no branch of a piecewise function applies")


def _heaviside(expr, memo):
    iv = _iv()
    s = _sign_or_zero(_enc(expr.args[0], memo), expr.args[0])
    if s is None:
        raise Uncertain("the argument of a step is too close to 0")
    if s == 0:
        if len(expr.args) < 2 or expr.args[1] is sp.nan:
            raise UndefinedValue("Heaviside(0) without a value at 0")
        return _enc(expr.args[1], memo)
    return iv.mpf(1 if s > 0 else 0)


def _sign_fn(expr, memo):
    iv = _iv()
    s = _sign_or_zero(_enc(expr.args[0], memo), expr.args[0])
    if s is None:
        raise Uncertain("the argument of sign is too close to 0")
    return iv.mpf(s)


def _function(expr, memo):
    iv = _iv()
    name = type(expr).__name__
    if name == "sigmoid":
        return _sigmoid(_enc(expr.args[0], memo))
    unary = {
        "exp": iv.exp, "cos": iv.cos, "sin": iv.sin, "Abs": abs,
        "tanh": _tanh,
        "erf": lambda x: _monotone(mpmath.erf, x),
        "atan": lambda x: _monotone(mpmath.atan, x),
        "sinh": lambda x: _monotone(mpmath.sinh, x),
        "cosh": lambda x: (iv.exp(x) + iv.exp(-x)) / 2,
        "erfc": lambda x: _monotone(mpmath.erfc, x, increasing=False),
        "atanh": _atanh,
        "tan": _tan,
    }
    if name in unary and len(expr.args) == 1:
        return unary[name](_enc(expr.args[0], memo))
    if name in ("log", "held_log") and len(expr.args) == 1:  # held_log: ops._exp1
        return _log(expr.args[0], memo)
    if name == "Max":
        return _max_min(expr.args, memo, True)
    if name == "Min":
        return _max_min(expr.args, memo, False)
    if name == "Heaviside":
        return _heaviside(expr, memo)
    if name == "sign":
        return _sign_fn(expr, memo)
    raise Uncertain(f"no certified evaluation of {name}")


def _enc(expr: Any, memo: dict):
    """The enclosure of ``expr`` at the current ``iv.prec``."""
    iv = _iv()
    hit = memo.get(expr)
    if hit is not None:
        return hit
    if expr.is_Integer:
        out = iv.mpf(int(expr))
    elif expr.is_Rational:
        out = iv.mpf(int(expr.p)) / iv.mpf(int(expr.q))
    elif expr.is_Float:
        out = iv.mpf(mpmath.mpf(expr._mpf_))  # the Float's exact binary value
    elif expr is sp.pi:
        out = iv.pi
    elif expr is sp.E:
        out = iv.e
    elif expr in (sp.zoo, sp.nan, sp.oo, -sp.oo) or expr is sp.I:
        raise UndefinedValue(f"{expr} is not a real number")
    elif expr.is_Add:
        out = iv.mpf(0)
        for a in expr.args:
            out = out + _enc(a, memo)
    elif expr.is_Mul:
        out = iv.mpf(1)
        for a in expr.args:
            out = out * _enc(a, memo)
    elif expr.is_Pow:
        out = _pow(expr.base, expr.exp, memo)
    elif isinstance(expr, sp.Piecewise):
        out = _piecewise(expr, memo)
    elif isinstance(expr, sp.Function):
        out = _function(expr, memo)
    elif expr.is_Boolean:
        out = iv.mpf(1 if _relational(expr, memo) else 0)
    else:
        raise Uncertain(f"no certified evaluation of {type(expr).__name__}")
    memo[expr] = out
    return out


def enclose(expr: Any, prec: int = 128):
    """An interval that certainly contains the value of ``expr`` (no free symbols)."""
    iv = _iv()
    expr = sp.sympify(expr)
    if expr.free_symbols:
        raise Uncertain(f"free symbols left: {sorted(map(str, expr.free_symbols))}")
    old = iv.prec
    iv.prec = prec
    try:
        return _enc(expr, {})
    except (ValueError, ZeroDivisionError, mpmath.libmp.libmpf.ComplexResult) as exc:
        raise UndefinedValue(str(exc)) from exc
    except (OverflowError, MemoryError) as exc:  # a value too large for mpmath: no answer
        raise Uncertain(f"too large to enclose: {exc}") from exc
    finally:
        iv.prec = old


def sign(expr: Any) -> int | None:
    """The certified sign of a closed-form number: 1, -1, 0, or None (cannot tell).

    Raises ``UndefinedValue`` when the number does not exist (log of a negative, 1/0)."""
    expr = sp.sympify(expr)
    if expr.is_Rational:
        return 1 if expr > 0 else (-1 if expr < 0 else 0)
    for prec in PRECISIONS:
        try:
            s = _sign_or_zero(enclose(expr, prec), expr)
        except Uncertain:
            continue
        if s is not None:
            return s
    return None


def sign_or_none(expr: Any) -> int | None:
    """``sign``, and None also where the number does not exist or is no number (SymPy's own
    is_positive rounds, and calls log σ(1000) ≥ 0)."""
    try:
        return sign(expr)
    except (UndefinedValue, TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Comparison:
    """``differ``: |a − b| certainly > 0; ``agree``: |a − b| ≤ AGREE certainly; else
    ``unknown``.  ``exact`` when both were rationals; ``difference`` a lower bound on
    |a − b| when they differ (or the exact difference)."""

    status: str
    exact: bool = False
    difference: Any = None
    detail: str = ""


def compare(a: Any, b: Any, deep: bool = False) -> Comparison:
    """Certified comparison of two closed-form numbers (raises ``UndefinedValue``).

    ``deep``: agreement to 1e-30 is not the end; the precision is raised to the last step,
    and a difference certified there (e^-1000, 10^-434) is a difference.  A verdict that
    rests on agreement alone (``checked``) and the final audit ask for it."""
    a, b = sp.sympify(a), sp.sympify(b)
    for v in (a, b):
        if v.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I):
            raise UndefinedValue(f"{v} is not a real number")
    if a.is_Rational and b.is_Rational:
        d = a - b
        return Comparison("agree" if d == 0 else "differ", True, d)
    d = a - b
    if d == 0:
        return Comparison("agree", True, sp.Integer(0))
    last, agreed = "", False
    for prec in PRECISIONS:
        try:
            x = enclose(d, prec)
            enclose(a, prec), enclose(b, prec)  # each side must exist on its own, too
        except Uncertain as exc:
            last = str(exc)
            continue
        if (differ := _certified_differ(x)) is not None:
            return differ
        if -AGREE <= _lo(x) and _hi(x) <= AGREE:
            agreed = True
            if not deep:
                return Comparison("agree", False, sp.Integer(0))
    if deep and agreed:
        return (_combined(d) or _mean_value(d)
                or Comparison("agree", False, sp.Integer(0)))
    return Comparison("unknown", False, None, last or "too close to call at 1350 digits")


def _combined(d: Any) -> Comparison | None:
    """The difference written over one denominator (σ and tanh as exponentials): 1 − σ(t)
    is e^(−t)/(1 + e^(−t)), which an interval certifies nonzero at any t, where the
    subtraction of two enclosures of 1 loses it (t = 10^6: 10^-434294).  None: no better."""
    if sp.count_ops(d) > 400:
        return None
    try:
        e = sp.together(d.rewrite(sp.exp))
    except (TypeError, ValueError, RecursionError):
        return None
    if e == d:
        return None
    for prec in PRECISIONS[:2]:
        try:
            x = enclose(e, prec)
        except (Uncertain, UndefinedValue):
            return None
        if (differ := _certified_differ(x)) is not None:
            return differ
    return None


# smooth functions f for which f(a) − f(b) = f′(ξ)(a − b), ξ between a and b
_SMOOTH = ("exp", "log", "sigmoid", "tanh", "atan", "sinh", "cosh", "erf", "sin", "cos")


def _paired(term: Any) -> tuple[Any, Any, Any] | None:
    """``(c, key, a)`` when ``term`` is c·f(a) with c a number and f smooth (``key`` names f:
    a function's name, or the exponent of a power a^k); None otherwise."""
    c, rest = term.as_coeff_Mul()
    if rest.is_Pow:
        return c, ("pow", rest.exp), rest.base
    if isinstance(rest, sp.Function) and len(rest.args) == 1 \
            and type(rest).__name__ in _SMOOTH:
        return c, type(rest), rest.args[0]
    return None


def _slope(key: Any, y: Any) -> Any:
    """f′(y) for the f that ``key`` names."""
    if isinstance(key, tuple):
        return key[1] * y ** (key[1] - 1)
    return sp.diff(key(y), y)


def _constant_as(key: Any, r: Any) -> tuple[Any, Any, Any] | None:
    """A rational term r written as r·f(u) with f(u) = 1: u = 1 for a power, e for log,
    0 for exp; None for other f."""
    if isinstance(key, tuple):
        return r, key, sp.Integer(1)
    if key is sp.log:
        return r, key, sp.E
    if key is sp.exp:
        return r, key, sp.Integer(0)
    return None


def _rescaled(key: Any, lam: Any, b: Any, memo: dict) -> Any:
    """b′ with λ·f(b) = f(b′) for the f that ``key`` names (λ > 0 a number), or None:
    log: b^λ; exp: b + log λ; a power y^k: λ^(1/k)·b (b > 0); others only λ = 1."""
    if lam == 1:
        return b
    if key is sp.log and lam.is_Rational:
        return b**lam
    if not (lam.is_number and lam.is_positive):
        return None
    if key is sp.exp:
        return b + sp.log(lam)
    if isinstance(key, tuple) and interval_sign(_enc(b, memo)) == 1:
        return lam ** (1 / key[1]) * b
    return None


# f(u) = 0: a lone term c·f(a) is c·(f(a) − f(u))
_ZERO_AT = {sp.log: sp.Integer(1), sp.tanh: sp.Integer(0), sp.atan: sp.Integer(0),
            sp.sinh: sp.Integer(0), sp.erf: sp.Integer(0), sp.sin: sp.Integer(0)}


def _meet(x: Any, y: Any) -> Any:
    """The intersection of two enclosures of one number (disjoint ones: a fault, never a
    certificate)."""
    lo, hi = max(_lo(x), _lo(y)), min(_hi(x), _hi(y))
    if lo > hi:
        raise Uncertain("two enclosures of one number are disjoint")
    return _iv().mpf([lo, hi])


def _by_mean_value(c: Any, key: Any, a: Any, b: Any, memo: dict, depth: int):
    """c·(f(a) − f(b)) enclosed as c·f′([a, b])·(a − b)."""
    iv = _iv()
    ea, eb = _enc(a, memo), _enc(b, memo)
    hull = iv.mpf([min(_lo(ea), _lo(eb)), max(_hi(ea), _hi(eb))])
    y = sp.Dummy("xi")
    inner = dict(memo)
    inner[y] = hull
    slope = _enc(_slope(key, y), inner)
    return _enc(c, memo) * slope * _enc_difference(a - b, memo, depth + 1)


def _complemented(terms: list) -> list:
    """c·σ(t) − c written as −c·σ(−t), c·tanh(t) ∓ c as ∓2c/(1 + e^(±2t)): the same numbers without
    the subtraction from 1 that loses e^-10^6 (log σ(10^6) is −e^-10^6, not 0)."""
    terms = list(terms)
    for i, t in enumerate(terms):
        c, core = t.as_coeff_Mul()
        name = type(core).__name__
        if name not in ("sigmoid", "tanh") or len(core.args) != 1:
            continue
        for j, r in enumerate(terms):
            if j == i or not r.is_Rational or r == 0:
                continue
            if name == "sigmoid" and r == -c:
                new = -c * type(core)(-core.args[0])
            elif name == "tanh" and abs(r) == abs(c):
                sgn = -1 if r == -c else 1  # tanh t − 1 = −2/(1 + e^(2t)), + 1: 2/(1 + e^(−2t))
                new = 2 * sgn * c / (1 + sp.exp(-2 * sgn * core.args[0]))
            else:
                continue
            return [new] + [u for k, u in enumerate(terms) if k not in (i, j)]
    return terms


def _enc_difference(d: Any, memo: dict, depth: int = 0):
    """An enclosure of the sum ``d`` in which each pair of terms c·f(a) + c′·f(b) (f smooth,
    the same f; c′·f(b) written as −c·f(b′)) is enclosed as c·f′([a, b′])·(a − b′), with
    a − b′ formed symbolically (the common part cancels: (x + e^-N) − x is e^-N) and
    itself enclosed by this rule; a lone c·f(a) with f(u) = 0 is c·(f(a) − f(u)).  The
    mean value theorem makes each an enclosure (intersected with the plain one); it keeps a
    difference of e^-10^6 that the enclosures of f(a) and f(b) lose (log(x + e^-10^6) −
    log(x))."""
    iv = _iv()
    if depth > 4:
        return _enc(d, memo)
    terms = _complemented(list(d.args) if d.is_Add else [d])
    parsed = [_paired(t) for t in terms]
    out, used = iv.mpf(0), set()
    for i, pi in enumerate(parsed):
        if i in used or pi is None:
            continue
        for j in range(len(terms)):
            pj = parsed[j] if j != i else None
            if pj is None and j != i and terms[j].is_Rational:
                pj = _constant_as(pi[1], terms[j])
            if j in used or pj is None or pi[1] != pj[1]:
                continue
            (c, key, a), b = pi, pj[2]
            b = _rescaled(key, -pj[0] / c, b, memo)
            if b is None:
                continue
            pair = _enc(terms[i] + terms[j], memo)
            out = out + _meet(pair, _by_mean_value(c, key, a, b, memo, depth))
            used.update((i, j))
            break
    for i, t in enumerate(terms):
        if i in used:
            continue
        x = _enc(t, memo)
        if parsed[i] is not None and parsed[i][1] in _ZERO_AT:
            c, key, a = parsed[i]
            x = _meet(x, _by_mean_value(c, key, a, _ZERO_AT[key], memo, depth))
        out = out + x
    return out


def _mean_value(d: Any) -> Comparison | None:
    """``differ`` when pairing f(a) − f(b) by the mean value theorem certifies the
    difference nonzero (see ``_enc_difference``); None otherwise."""
    iv = _iv()
    if sp.count_ops(d) > 400:
        return None
    for prec in PRECISIONS[:3]:
        old = iv.prec
        iv.prec = prec
        try:
            x = _enc_difference(d, {})
        except (Uncertain, UndefinedValue, ValueError, ZeroDivisionError,
                mpmath.libmp.libmpf.ComplexResult):
            return None
        finally:
            iv.prec = old
        if (differ := _certified_differ(x)) is not None:
            return differ
    return None


def estimate(d: Any, digits: int = 10) -> Any:
    """The value of the closed-form number ``d`` to ``digits`` digits, from an enclosure
    narrow enough (relative width below 10^-digits; the mean-value pairing of
    ``_enc_difference`` where plain enclosures lose a tiny difference); None otherwise."""
    iv = _iv()
    d = sp.sympify(d)
    if d.free_symbols or sp.count_ops(d) > 400:
        return None
    for prec in PRECISIONS[:3]:
        old = iv.prec
        iv.prec = prec
        try:
            for how in (_enc, _enc_difference):
                x = how(d, {})
                lo, hi = _lo(x), _hi(x)
                mid = (lo + hi) / 2
                if lo == hi or (mid != 0 and abs(hi - lo) <= abs(mid) * mpmath.mpf(10) ** -digits):
                    return sp.Float(mid, digits)
        except (Uncertain, UndefinedValue, ValueError, ZeroDivisionError,
                mpmath.libmp.libmpf.ComplexResult):
            return None
        finally:
            iv.prec = old
    return None


def _certified_differ(x: Any) -> Comparison | None:
    """``differ`` with the enclosure's end nearest 0 (signed) when the enclosure ``x`` of a
    difference excludes 0, else None."""
    s = interval_sign(x)
    if s is None or s == 0:
        return None
    return Comparison("differ", False, sp.Float(min(abs(_lo(x)), abs(_hi(x))), 20) * s)


def compare_matrices(lhs: Any, rhs: Any, deep: bool = False) -> Comparison:
    """Entry by entry: ``differ`` if some entry differs, ``agree`` if all agree."""
    status, exact, worst, detail = "agree", True, None, ""
    for a, b in zip(lhs, rhs, strict=True):
        c = compare(a, b, deep)
        if c.status == "differ":
            return Comparison("differ", c.exact, c.difference)
        if c.status == "unknown":
            status, detail = "unknown", c.detail
        exact = exact and c.exact
        worst = c.difference if worst is None else worst
    return Comparison(status, exact, worst, detail)


def exact_real(v: Any) -> bool:
    """Whether v is an exact real number: a rational or a closed form (√2, π/2), no symbol,
    no float, not infinite (a root of a switch that only irrational points reach, as the
    audit reads it back and a domain decides it)."""
    return bool(v.is_number and v.is_real is True and not v.has(sp.Float, sp.zoo, sp.nan,
                                                                  sp.oo, -sp.oo))
