"""The quick evaluation: both sides built once from symbols at a size, then evaluated at many
points (exact ``Fraction`` arithmetic for rational sides, mpmath at a precision that follows
the magnitudes otherwise).  It only finds *candidates* and sorts out undefined points;
every verdict rests on the certified predicate (``verifier.audit``).
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import mpmath
import sympy as sp
from sympy.polys.polyerrors import BasePolynomialError

from verifier.audit import sequence_value
from verifier.domains import Domain, draw, spread_simplex
from verifier.instantiate import Instance
from verifier.strategies.pointwise import Unknown, fraction_values, mp_values
from verifier.strategies.slabs import crossed, slab_centres
from verifier.strategies.timing import Allowance, clock

__all__ = [
    "MP_FUNCTIONS",
    "NONSMOOTH",
    "Built",
    "Evaluation",
    "branch_roots",
    "compile_mp",
    "evaluate",
    "random_point",
    "real_value",
    "special_points",
]


@dataclass
class Built:
    inst: Instance
    lhs: sp.Matrix
    rhs: sp.Matrix
    numeric: bool | None = None  # irrational values at rational points (set on first use)
    sequences: bool | None = None  # sums over a sequence gₖ of symbolic length
    exact_fn: tuple | None = None  # (base symbols, Fraction-arithmetic function) on first use
    compiled: tuple | None = None  # (base symbols, mpmath function), compiled on first use
    walkable: bool = True  # False once the walker (``pointwise``) met a node it cannot read
    # (kind, expression) conditions for the sides to be defined, structure applied
    requirements: tuple = ()
    records: tuple = ()  # the same, as ops recorded them (operands named as the claim writes)

    @property
    def residual(self) -> sp.Matrix:
        return self.lhs - self.rhs


NONSMOOTH = (sp.Piecewise, sp.Heaviside, sp.Abs, sp.sign, sp.Max, sp.Min)


def random_point(rng: random.Random, built: Built, special: float, generic: bool = False
                 ) -> dict:
    point = {s: draw(dom, rng, special, generic) for s, dom in built.inst.domains.items()}
    for group in simplex_groups(built.inst):
        if rng.random() < 0.5:  # jointly, anywhere in the simplex (drawn one by one, every
            # free entry is below 1/n: (p₀ < 9/10) = 1 with p positive was "checked")
            point.update(zip(group, spread_simplex(len(group) + 1, rng), strict=False))
    return point


def simplex_groups(inst: Instance) -> list[list]:
    """The free entries of each probability vector (its last entry is 1 − their sum)."""
    out = []
    for expr in inst.structure.values():
        syms = sorted(getattr(expr, "free_symbols", ()), key=str)
        if (syms and all(inst.domains.get(x) is not None and inst.domains[x].simplex
                         for x in syms) and sp.expand(expr + sp.Add(*syms)) == 1):
            out.append(syms)
    return out


SPECIAL_LIMIT = 40  # special points tried per build by the quick path


# kink arguments looked into per build: past 12, twenty relus hid the 21st switch (a bump
# 10⁻³⁰ wide, and x² ≥ 2 against x² > 2), and the claim was "checked"; the points they
# give are capped by SPECIAL_LIMIT, so more only costs the (mostly linear) root solving
KINK_LIMIT = 64


def atoms_of(exprs: Any, types: tuple[type, ...]) -> set:
    """The subexpressions of the given types, each shared subexpression visited once.
    SymPy's ``atoms`` and ``has`` walk a tree, so an unexpanded determinant of a 7×7 Gram
    matrix (a million nodes over a few thousand distinct ones) took 11 s to find none."""
    seen: set = set()
    out: set = set()
    stack = [e for e in exprs if isinstance(e, sp.Basic)]
    while stack:
        e = stack.pop()
        if e in seen:
            continue
        seen.add(e)
        if isinstance(e, types):
            out.add(e)
        stack.extend(e.args)
    return out


_KINK_TYPES = (sp.Piecewise, sp.Abs, sp.sign, sp.Heaviside, sp.KroneckerDelta, sp.Max, sp.Min)


def kink_arguments(built: Built) -> list:
    """Expressions whose sign switches a branch: Piecewise conditions, |·|, max ties,
    steps.  Their zeros are where claims that hold "almost everywhere" tend to fail."""
    out: list = []
    for m in (built.lhs, built.rhs):
        found = atoms_of(m, _KINK_TYPES)
        for pw in (f for f in found if isinstance(f, sp.Piecewise)):
            for _, cond in pw.args:
                for rel in cond.atoms(sp.core.relational.Relational):
                    out.append(rel.lhs - rel.rhs)
        for f in (f for f in found if isinstance(f, sp.Abs | sp.sign | sp.Heaviside)):
            out.append(f.args[0])
        for f in (f for f in found if isinstance(f, sp.KroneckerDelta)):
            out.append(f.args[0] - f.args[1])  # i == j, t != 83: where it switches
        for f in (f for f in found if isinstance(f, sp.Max | sp.Min)):
            args = list(f.args)
            out.extend(a - b for i, a in enumerate(args) for b in args[i + 1:])
    return list(dict.fromkeys(e for e in out if e.free_symbols))[:KINK_LIMIT]


BOUNDARY_LIMIT = 16  # domain boundaries looked into per build (besides the kinks)


def boundary_arguments(built: Built) -> list:
    """Expressions whose zeros bound where a side is defined: the argument of a log or a
    square root, a denominator, a determinant to invert (the build's requirements).  A
    window between a boundary and a switch holds no nudged point of either:
    log(x − 1/3)·1[x < 1/3 + 10⁻³⁰] is defined and nonzero on (1/3, 1/3 + 10⁻³⁰) alone,
    and was "checked"."""
    kinks = set(kink_arguments(built))
    out = [e for _, e in built.requirements
           if getattr(e, "free_symbols", None) and e not in kinks]
    return list(dict.fromkeys(out))[:BOUNDARY_LIMIT]


def open_boundaries(built: Built) -> set:
    """The boundary arguments at whose zeros a side is undefined (a log's argument, a
    denominator, a determinant); a square root's is defined there (√(x − 1/3) + √(1/3 − x)
    = 1 is defined at x = 1/3 alone, and false there)."""
    return {e for kind, e in built.requirements if kind != "nonnegative"}


# the largest degree whose real roots are isolated exactly (a polynomial over the rationals);
# past it a switch is not looked into, and a claim that agrees everywhere is not "checked"
EXACT_DEGREE = 40


def _switch_poly(expr: Any, sym: Any) -> sp.Poly | None:
    """The polynomial in ``sym`` whose zeros are where ``expr`` switches sign: ``expr`` itself,
    or the numerator of a rational function (1/x − 3 switches at x = 1/3; its poles are
    where a side is undefined, no switch); None if it is neither."""
    try:
        return sp.Poly(sp.expand(expr), sym)
    except sp.PolynomialError:
        pass
    try:
        num, den = sp.fraction(sp.together(expr))
        if not den.has(sym):
            return None
        return sp.Poly(sp.expand(num), sym)
    except (sp.PolynomialError, TypeError, ValueError):
        return None


BRANCH_LIMIT = 16  # branch expressions of one kink argument tried for its switches
_BRANCHED = (sp.Abs, sp.Max, sp.Min, sp.Piecewise)


def _alternatives(f: Any) -> list:
    """The expressions that |u|, max, min or a Piecewise equals on each of its branches."""
    if isinstance(f, sp.Abs):
        return [f.args[0], -f.args[0]]
    if isinstance(f, sp.Piecewise):
        return [e for e, _ in f.args]
    return list(f.args)


def branches(expr: Any) -> tuple[list, bool]:
    """(expressions, complete): ``expr`` with each |u|, max, min and Piecewise replaced by
    one of its branches, innermost first; every zero of ``expr`` is a zero of one of them
    (|a − b| − 10⁻³⁰ switches at b ± 10⁻³⁰, z₀ − max(z) + 10⁻³⁰ at z₁ − 10⁻³⁰, where no
    polynomial root of the whole expression shows it).  ``complete`` is False when more
    than ``BRANCH_LIMIT`` would be needed (the list then holds those found so far)."""
    done: list = []
    todo = [expr]
    while todo:
        e = todo.pop()
        inner = [f for f in e.atoms(*_BRANCHED)
                 if not any(isinstance(g, _BRANCHED) for a in f.args
                            for g in sp.preorder_traversal(a))]
        if not inner:
            done.append(e)
            continue
        f = min(inner, key=sp.default_sort_key)
        todo.extend(e.xreplace({f: alt}) for alt in _alternatives(f))
        if len(done) + len(todo) > BRANCH_LIMIT:
            return list(dict.fromkeys(done + [t for t in todo if not t.atoms(*_BRANCHED)])), False
    return list(dict.fromkeys(done)), True


def branch_roots(expr: Any, sym: Any) -> list:
    """The rational approximations of the real zeros in ``sym`` of each branch of ``expr``
    (a superset of the zeros of ``expr``: only tried, never trusted)."""
    out: list = []
    for b in branches(expr)[0]:
        out += [r for r in _roots(b, sym) if r not in out]
    return out


def _exact(poly: sp.Poly) -> bool:
    return poly.domain.is_ZZ or poly.domain.is_QQ


def _roots(expr: Any, sym: Any) -> list:
    """Real roots of a polynomial (or a rational function's numerator) in ``sym``, as
    rationals (approximated; a rational root exactly: x³ ≥ 27/8 against x³ > 27/8 differs at
    3/2 alone): of any degree up to ``EXACT_DEGREE`` over the rationals ((7x − 2)(x⁶ + 1)
    switches at 2/7 alone), else of degree ≤ 6."""
    poly = _switch_poly(expr, sym)
    if poly is None or poly.degree() < 1:
        return []
    if poly.degree() > (EXACT_DEGREE if _exact(poly) else 6):
        return []
    try:
        found = poly.real_roots() if poly.degree() > 2 else sp.roots(poly, filter="R")
    except (NotImplementedError, BasePolynomialError, ValueError, ArithmeticError):
        return []  # SymPy 1.14 fails on some 60-digit rationals ("is not a prime factor")
    out = []
    for r in dict.fromkeys(found):
        # a Rational as it is: SymPy's nsimplify may turn one into radicals that agree to
        # 15 digits (nsimplify(-56869/16200) = -441·2^(25/62)·…/2000)
        r = r if r.is_Rational else _rational_near(r)
        out.append(r)
    return out


def _rational_near(r: Any) -> Any:
    """A rational within 10⁻⁴⁰ of the real number r, however large: 40 digits of e¹⁰⁰ ≈
    2.69·10⁴³ are 1118 away from it (log t > 100 was tried 1118 integers too early); nearer
    10⁻¹⁰ where SymPy's evaluation loses digits (atanh(1 − 10⁻³⁰)): a candidate point only."""
    size = sp.N(sp.log(abs(_finite_value(r, 15)), 10), 15) if r != 0 else 0
    digits = 40 + max(0, min(int(size) + 1, MAX_DIGITS + 10))  # past 10^1200: never evaluated
    return sp.Rational(str(_finite_value(r, digits)))


def _finite_value(r: Any, digits: int) -> Any:
    """r to at least ``digits`` digits as a finite Float. SymPy evaluates some functions at
    the working precision of their argument: atanh(1 − 10⁻³⁰) is oo to 15 digits (the
    argument rounds to 1) and 34.885… to 60, so more are asked for until the value is
    finite; ValueError when it never is."""
    for more in (0, 60, 400):
        value = sp.N(r, digits + more)
        if value.is_Number and value.is_finite:  # a Float, or 0 (which N keeps an Integer)
            return value
    raise ValueError(f"{r} has no finite real value to {digits + 400} digits")


def integer_switches(expr: Any, sym: Any, dom: Domain) -> list:
    """The integers at which ``expr`` (of an integer parameter, not a polynomial: 2ᵏ − 2⁴⁰)
    changes sign: its sign (in 60-digit floating point: these points are only tried, the
    audit decides them) at 1 … 64 (from the domain's low end) and at 2⁷ … 2⁶⁰ within the
    domain, each change between two of them narrowed down to consecutive integers by
    bisection."""
    lo = int(dom.lo) if dom.lo is not None else -64
    if dom.lo is not None and dom.lo != int(dom.lo):
        lo = int(dom.lo) + 1
    hi = int(dom.hi) if dom.hi is not None else 2 ** 400
    powers = list(range(7, 61)) + [int(61 * 1.1 ** k) for k in range(37)]  # up to 2⁴⁰⁰
    points = sorted({k for k in range(lo, lo + 65)} | {2 ** j for j in powers}
                    | ({-(2 ** j) for j in powers} if dom.lo is None else set()))
    points = [k for k in points if lo <= k <= hi and dom.contains(sp.Integer(k))]

    try:  # in floating point with 60 digits: 2ᵏ at k = 2⁶⁰ is never built exactly
        fn = sp.lambdify(sym, expr, modules="mpmath")
    except Exception:  # noqa: BLE001 - not a function SymPy can print: no switches known
        return []

    def sign_at(k: int) -> int | None:
        try:
            with mpmath.workdps(60):
                v = fn(mpmath.mpf(k))
                if isinstance(v, mpmath.mpc) or not mpmath.isfinite(v):
                    return None
                return 0 if v == 0 else (1 if v > 0 else -1)
        except (TypeError, ValueError, ZeroDivisionError, ArithmeticError, OverflowError):
            return None

    out: list = []
    signs = [sign_at(k) for k in points]
    for k, (a, sa) in enumerate(zip(points, signs, strict=True)):
        if sa == 0:
            out.append(sp.Integer(a))
        if k + 1 == len(points):
            break
        b, sb = points[k + 1], signs[k + 1]
        if sa is None or sb is None or sa == 0 or sb == 0 or sa == sb:
            continue
        while b - a > 1:  # the sign at a is sa, at b is sb: a change lies between
            mid = (a + b) // 2
            sm = sign_at(mid)
            if sm is None:
                break
            if sm == 0:
                a = b = mid
                break
            a, b = (mid, b) if sm == sa else (a, mid)
        out.append(sp.Integer(b))
    return list(dict.fromkeys(out))[:8]


def irrational_switch(rng: random.Random, built: Built) -> Any:
    """A kink argument (a comparison, |·|, a max) that vanishes only at irrational values of
    each of its parameters, the others held at a random rational point: x² − 3 switches
    (x² ≥ 3) against (x² > 3) at ±√3, which no rational point reaches, so agreement at every
    rational point tried is no evidence there.  None if every switch has a rational root."""
    doms = built.inst.domains
    drawn = random_point(rng, built, 0.0, generic=True)
    zero = {x: _nearest_zero(dom, drawn[x]) for x, dom in doms.items()}
    for arg in kink_arguments(built):
        syms = sorted(arg.free_symbols & set(doms), key=str)
        if syms and any(_far_integer_switch(arg, x, base, doms[x])
                        for x in syms if doms[x].integer for base in (zero, drawn)):
            return arg
        if not syms or any(doms[x].integer for x in syms):
            continue  # an integer parameter switches at integers, enumerated elsewhere
        if any(_irrational_only(arg, syms, base, doms) for base in (zero, drawn)):
            return arg
    return None


def thin_switch(rng: random.Random, built: Built) -> Any:
    """A polynomial kink argument that vanishes only where no one-parameter slice reaches
    (``_thin``), if any: ‖A²‖² at the nilpotent matrices."""
    doms = built.inst.domains
    drawn = random_point(rng, built, 0.0, generic=True)
    zero = {x: _nearest_zero(dom, drawn[x]) for x, dom in doms.items()}
    for arg in kink_arguments(built):
        syms = sorted(arg.free_symbols & set(doms), key=str)
        if syms and _thin(arg, syms, drawn, zero, doms):
            return arg
    return None


def sos_bases(arg: Any) -> list | None:
    """[b₁, …, bₖ] when ``arg`` is, as written, Σ cᵢ·bᵢ^(2mᵢ) with every cᵢ > 0 (or the
    square root of one, or such a sum times a positive number): it vanishes exactly where
    every bᵢ does.  [] when a positive constant term keeps it away from 0; None when it has
    no such form."""
    if arg.is_Pow and arg.exp.is_positive and arg.exp.is_Rational and not arg.exp.is_Integer:
        arg = arg.base  # √h = 0 where h = 0
    c, core = arg.as_coeff_Mul()
    if not c.is_positive:
        return None
    out: list = []
    constant = False
    for term in core.args if core.is_Add else (core,):
        k, t = term.as_coeff_Mul()
        if t == 1 and k.is_positive:
            constant = True  # a positive constant: never 0, if every other term is a square
            continue
        if not k.is_positive or not (t.is_Pow and t.exp.is_Integer and t.exp.is_even
                                     and t.exp > 0):
            return None
        out.append(t.base)
    return [] if constant else list(dict.fromkeys(out))


def _thin(arg: Any, syms: list, drawn: dict, zero: dict, doms: dict) -> bool:
    """Does the polynomial ``arg`` vanish somewhere that the slices (one parameter moved, the
    others held) do not reach?  No slice through the random point ``drawn`` meets a zero in
    the domain, none through ``zero`` crosses one (a root of odd multiplicity: a hypersurface
    the slices sample), and ``arg`` is not shown to be nonzero everywhere: ‖A²‖² > 0 is false
    at every nilpotent A (through 0 the slices only touch it), (a − 2)² + (b + 3)² > 0 at
    (2, −3) alone; agreement at points off such a set says nothing about it."""
    sos = sos_bases(arg)
    if sos == []:
        return False  # a positive constant plus squares: no zero at all
    if sos is not None:
        if _one_point(sos, syms):
            return False  # the squares' one common zero is solved for and tried (_sos_zeros)
        arg = sp.Add(*(b**2 for b in sos))  # the same zeros, with no root of the outer form
    if len(syms) < 2:
        return False  # one parameter: its slice is the whole line, and its roots are tried
    if any(doms[x].simplex or doms[x].integer for x in syms) or not arg.is_polynomial(*syms):
        return False  # not a polynomial: _irrational_only has looked at it
    varied = False
    for sym in syms:
        roots = _slice_roots(arg, sym, drawn, doms)
        if roots is None or roots:
            return False  # unread, or a slice through a generic point reaches a zero
        varied = varied or roots is not _CONSTANT
    if not varied:
        return False
    for sym in syms:
        roots = _slice_roots(arg, sym, zero, doms)
        if roots is None or (roots is not _CONSTANT and any(m % 2 for _, m in roots)):
            return False  # crossed: a zero set of one dimension less, met by the slices
    # no slice meets a zero: is there one at all?  det A − 2 on the box [−1, 1]⁴ has none,
    # and then the slices miss nothing
    found = _descends_to_zero(arg, syms, (drawn, zero), doms)
    return found is not None and not _at_a_box_vertex(arg, syms, found, doms)


def _at_a_box_vertex(arg: Any, syms: list, x: Any, doms: dict) -> bool:
    """Is the box vertex nearest to the zero found a zero too, exactly?  det A + 1 on [0, 1]⁴
    vanishes on two edges through the swap [[0, 1], [1, 0]], a vertex the ascents over the
    box reach (where the claim is tried)."""
    vertex = {}
    for sym, v in zip(syms, x, strict=True):
        lo, hi = doms[sym].lo, doms[sym].hi
        if lo is None or hi is None or not _finite_float(v):
            return False
        end = lo if abs(float(lo) - v) <= abs(float(hi) - v) else hi
        vertex[sym] = sp.Rational(end.numerator, end.denominator)
    return sp.expand(arg.xreplace(vertex)) == 0


def _finite_float(v: Any) -> bool:
    return v == v and abs(v) != float("inf")


DESCENT_STEPS = 200
DESCENT_STARTS = 4


def _descends_to_zero(arg: Any, syms: list, starts: tuple, doms: dict) -> Any:
    """Does Newton's step along the gradient of ``arg`` (x − g·∇g/|∇g|², held inside the
    domain's closed box) bring |g| near 0 from one of ``starts`` or a few seeded points?  A
    floating-point search that only tells a thin zero set (nilpotent matrices, one
    irrational point) from none: it never decides a verdict, it keeps "checked" from one.
    The point it reached (None: none near a zero); when it cannot run, a point of NaNs (a zero
    may be there)."""
    import numpy as np

    try:
        g = sp.lambdify([syms], arg, "numpy")
        grad = sp.lambdify([syms], [sp.diff(arg, x) for x in syms], "numpy")
    except Exception:  # noqa: BLE001 - an expression lambdify cannot print: assume a zero
        return np.full(len(syms), np.nan)
    lo = np.array([float(doms[x].lo) if doms[x].lo is not None else -np.inf for x in syms])
    hi = np.array([float(doms[x].hi) if doms[x].hi is not None else np.inf for x in syms])
    rng = random.Random(0)
    points = [np.array([float(p[x]) for x in syms]) for p in starts]
    points += [np.clip(np.array([rng.uniform(-3, 3) for _ in syms]), lo, hi)
               for _ in range(DESCENT_STARTS)]
    with np.errstate(all="ignore"):
        for x in points:
            scale = max(1.0, abs(float(g(x))))
            for _ in range(DESCENT_STEPS):
                value = float(g(x))
                if not np.isfinite(value):
                    break
                if abs(value) <= 1e-12 * scale:
                    return x
                slope = np.array(grad(x), dtype=float)
                norm = float(slope @ slope)
                if not np.isfinite(norm) or norm == 0.0:
                    break
                x = np.clip(x - value * slope / norm, lo, hi)
    return None


def _one_point(bases: list, syms: list) -> bool:
    """Do the affine ``bases`` vanish together at exactly one point, a rational one (a⁴ + b⁴
    at the origin)?  ``_solved_in_turn`` then reaches it from any base point; (√2, √3) it
    never reaches."""
    if not all(b.is_polynomial(*syms) and sp.Poly(b, *syms).total_degree() <= 1 for b in bases):
        return False
    solved = sp.linsolve(list(bases), syms)
    return len(solved) == 1 and all(v.is_Rational for v in next(iter(solved)))


_CONSTANT: list = []  # a slice along which the argument does not change (no roots of its own)


def _slice_roots(arg: Any, sym: Any, base: dict, doms: dict) -> list | None:
    """[(root, multiplicity)] of ``arg`` in ``sym`` inside its domain, the other parameters
    at ``base``; ``_CONSTANT`` when it does not vary along the slice; None when unread."""
    rest = {x: v for x, v in base.items() if x != sym}
    poly = _switch_poly(arg.xreplace(rest), sym)
    if poly is None:
        return None
    if poly.degree() < 1:
        return _CONSTANT
    exact = _exact(poly)
    if poly.degree() > (EXACT_DEGREE if exact else 6):
        return None
    try:
        found = poly.real_roots(multiple=False) if exact else list(
            sp.roots(poly, filter="R").items())
    except (NotImplementedError, BasePolynomialError, ValueError, ArithmeticError):
        return None
    out = []
    for r, m in found:
        near = r if r.is_Rational else sp.Rational(str(sp.N(r, 40)))
        if doms[sym].contains(near):
            out.append((r, m))
    return out


def _far_integer_switch(arg: Any, sym: Any, base: dict, dom: Domain) -> bool:
    """Can ``arg`` switch at an integer past every one tried?  Still transcendental in an
    integer parameter with no end (√t − 10⁶⁰, log log t − 10 once peeled): its switches
    are searched up to 2⁴⁰⁰ only, so agreement at the integers tried is no evidence."""
    if dom.lo is not None and dom.hi is not None:
        return False  # every integer of a bounded range is reached by the scan's bisection
    here = _peeled(arg.xreplace({x: v for x, v in base.items() if x != sym}), sym)
    if here is _NO_ROOT:
        return False
    if _transcendental_in(here, sym):
        return True
    # a switch past 10^1200 (log log t > 10 at t = e^(e^10)) is solved, but no point
    # there is evaluated by the quick path
    far = sp.Integer(10) ** MAX_DIGITS  # switches past it are found but never evaluated
    return any(abs(r) > far for r in branch_roots(here, sym))


def _solved_for(value: Any, name: str) -> Any:
    """g with f(g) = value for the invertible f named, or None when value is outside f's
    range (f(g) = value has no real solution)."""
    if name == "exp":
        return sp.log(value) if value.is_positive else None
    if name == "log":
        return sp.exp(value)
    if name == "sigmoid":
        return sp.log(value / (1 - value)) if value.is_positive and (1 - value).is_positive \
            else None
    if name == "tanh":
        return sp.atanh(value) if (1 - abs(value)).is_positive else None
    if name == "atan":
        return sp.tan(value) if (sp.pi / 2 - abs(value)).is_positive else None
    if name == "erf":
        return sp.erfinv(value) if (1 - abs(value)).is_positive else None
    return None


_NO_ROOT = object()


def _peeled(arg: Any, sym: Any) -> Any:
    """An expression with the zeros (in ``sym``) of ``arg`` = c·f(g) + d, f invertible (exp,
    log, σ, tanh, atan, erf, bᵍ for a number b > 0, √g and 1/√g where −d/c > 0):
    g − f⁻¹(−d/c), peeled again; ``_NO_ROOT`` when −d/c is outside f's range; ``arg`` itself
    when it has no such form.  exp(x) − 2
    switches at x = log 2, which no rational point reaches."""
    for _ in range(6):
        d, dep = arg.as_independent(sym, as_Add=True)
        c, core = dep.as_independent(sym, as_Add=False)
        if core.is_Mul and d == 0:  # eᵍ·h and σ(g)·h vanish where h does
            kept = [f for f in core.args if type(f).__name__ not in ("exp", "sigmoid")]
            if len(kept) < len(core.args):
                arg = c * sp.Mul(*kept)
                continue
        name = type(core).__name__
        if (core.is_Pow and core.base.is_number and core.base.is_positive
                and core.base != 1 and c != 0 and (d / c).is_number):
            # bᵍ = v at g = log v / log b (3ᵗ ≥ 2000 switches at t = 6.92)
            if not (-d / c).is_positive:
                return _NO_ROOT
            arg = core.exp - sp.log(-d / c) / sp.log(core.base)
            continue
        if (core.is_Pow and core.exp in (sp.S.Half, -sp.S.Half) and c != 0
                and (d / c).is_number):
            # √g = v > 0 at g = v² (‖p‖ ≤ 1 on the simplex switches at the vertices, p₁ = 0
            # or 1: it was taken for a switch at irrational values); v ≤ 0: not peeled
            if not (-d / c).is_positive:
                return arg
            arg = core.base - (-d / c) ** (1 / core.exp)
            continue
        if c == 0 or len(getattr(core, "args", ())) != 1 or name not in (
                "exp", "log", "sigmoid", "tanh", "atan", "erf") or not (d / c).is_number:
            return arg
        g = _solved_for(-d / c, name)
        if g is None:
            return _NO_ROOT
        arg = core.args[0] - g
    return arg


# the claim language's functions whose values at rational points are irrational (but 0)
_TRANSCENDENTAL = ("exp", "log", "sigmoid", "tanh", "sin", "cos", "atan", "erf")


def _transcendental_in(expr: Any, sym: Any) -> bool:
    """Does ``expr`` apply exp, log, σ, tanh, sin, cos, atan, erf or a fractional power to
    something in sym?  (sin x ≥ ½ against sin x > ½ differ at π/6 alone.)"""
    for f in sp.preorder_traversal(expr):
        if not (getattr(f, "free_symbols", set()) & {sym}):
            continue
        if type(f).__name__ in _TRANSCENDENTAL or (
                f.is_Pow and not f.exp.is_Integer):
            return True
    return False


def _irrational_only(arg: Any, syms: list, base: dict, doms: dict | None = None) -> bool:
    """Solved for each parameter in turn, the others at ``base``: a real root that is not
    rational, in the parameter's domain (x² − 3, and x − e: a constant such as e puts the
    switch at an irrational point too; exp(x) − 2: the switch of an invertible function is
    solved through its inverse; (7x − 2)(x² − 2): its rational root is tried, √2 is not
    reached).  A switch still transcendental in a parameter (eˣ + eʸ = 2: with x > 0 its
    points are all irrational), or of a degree past ``EXACT_DEGREE``, is never shown to
    reach only rational points: True."""
    found_real = False
    for sym in syms:
        rest = {x: v for x, v in base.items() if x != sym}
        if _exponentials_switch_at_zero_only(arg.xreplace(rest), sym) or (
                _logs_switch_at_zero_only(arg.xreplace(rest), sym)):
            continue  # cosh x − 1: its one switch, x = 0, is rational and tried
        here = _peeled(arg.xreplace(rest), sym)
        if here is _NO_ROOT:
            continue  # no real switch in this parameter here (log σ(x): σ(x) = 1 nowhere)
        if _transcendental_in(arg.xreplace(rest), sym):
            found_real = True  # switches somewhere we may not see: a rational one must be shown
        if here.atoms(*_BRANCHED):  # |a|³ − 2 is no polynomial; its branches ±a³ − 2 are
            if _branched_irrational(here, sym, doms):
                return True
            continue
        poly = _switch_poly(here, sym)
        if poly is None:
            if _transcendental_in(here, sym):
                return True
            return False  # not a polynomial: no claim about its roots
        if poly.degree() < 1:
            continue  # constant in this parameter here
        exact = _exact(poly)
        if exact and poly.degree() == 1:
            return False  # linear over the rationals: a rational root
        if poly.degree() > (EXACT_DEGREE if exact else 6):
            return True  # not looked into: it may switch only where no rational point is
        try:
            roots = poly.real_roots() if exact else (
                _linear_root(poly) if poly.degree() == 1 else list(sp.roots(poly, filter="R")))
        except (NotImplementedError, BasePolynomialError):
            return False
        except (ValueError, ArithmeticError):  # SymPy 1.14 on some 60-digit rationals
            return True  # not solved: it may switch where no rational point is
        if not exact and not roots:
            return False  # not solved: no claim about its roots
        inside = []
        for r in roots:
            near = r if r.is_Rational else sp.Rational(str(sp.N(r, 40)))
            if doms is not None and sym in doms and not doms[sym].contains(near):
                continue  # outside the parameter's domain: not a switch of the claim
            inside.append(r)
        if inside and all(r.is_Rational for r in inside):
            return False  # every switch in this parameter is tried (x·eʸ: at x = 0)
        if inside:
            # a rational root beside it is tried, but the claim may differ at this one:
            # (7x − 2)(x² − 2) switches at 2/7 and at √2, where 1[x > 1] lets it matter
            found_real = True
    return found_real


def _exponentials_switch_at_zero_only(expr: Any, sym: Any) -> bool:
    """Is ``expr`` a rational function with rational coefficients of terms e^(c·sym), c
    rational, whose every real zero is sym = 0?  With v = e^(sym/L) (L the common denominator
    of the c) it is one of v; a root v > 0 other than 1 is algebraic, so sym = L·log v is
    transcendental (Lindemann–Weierstrass): such a switch must be reported, one at v = 1 is
    at sym = 0.  cosh x − 1 = (v − 1)²/(2v): its only switch is x = 0."""
    exps = [f for f in expr.atoms(sp.exp) if f.has(sym)]
    if not exps:
        return False
    slopes = [sp.cancel(f.args[0] / sym) for f in exps]
    if not all(c.is_Rational and c != 0 for c in slopes):
        return False
    lcm = sp.ilcm(*(int(c.q) for c in slopes)) if len(slopes) > 1 else int(slopes[0].q)
    v = sp.Dummy("v", positive=True)
    laurent = expr.xreplace({f: v ** int(c * lcm) for f, c in zip(exps, slopes, strict=True)})
    if laurent.has(sym):
        return False  # sym outside every exponential too (sinh x − x)
    try:
        poly = sp.Poly(sp.fraction(sp.together(laurent))[0], v)
    except (sp.PolynomialError, TypeError, ValueError):
        return False
    if poly.degree() == 0 and not poly.is_zero:  # a nonzero constant: no zero at all (the
        return _nonzero_number(poly.as_expr())   # others' e^(1/3) makes it no rational one)
    if poly.is_zero or not _exact(poly) or poly.degree() > EXACT_DEGREE:
        return False
    try:
        roots = poly.real_roots()
    except (NotImplementedError, BasePolynomialError, ValueError, ArithmeticError):
        return False
    return all(r == 1 or not r.is_positive for r in roots)


def _nonzero_number(c: Any) -> bool:
    try:
        return c.is_number and abs(sp.N(c, 30)) > sp.Float("1e-20", 30)
    except (TypeError, ValueError, ArithmeticError):
        return False


def _logs_switch_at_zero_only(expr: Any, sym: Any) -> bool:
    """Is ``expr``, with a log in it, 0 only where e^expr = 1, a rational function of
    exponentials whose every real zero is sym = 0 (``_exponentials_switch_at_zero_only``)?
    exp is increasing, so ``expr`` and e^expr − 1 vanish at the same points: softplus(x) − x
    is log(1 + e⁻ˣ) after it, e^expr − 1 = e⁻ˣ, never 0 (it was "undecided")."""
    if not expr.has(sp.log):
        return False
    lifted = sp.expand(sp.exp(expr), power_exp=True, log=False)
    return not lifted.has(sp.log) and _exponentials_switch_at_zero_only(lifted - 1, sym)


def _linear_root(poly: sp.Poly) -> list:
    """The root of a linear polynomial with constant coefficients, if it is a real number:
    ``sp.roots(filter="R")`` drops x − erfinv(1/2), whose realness SymPy does not know."""
    a, b = poly.all_coeffs()
    root = -b / a
    value = sp.N(root, 30)
    return [root] if value.is_number and value.is_real and value.is_finite else []


def _vanishes(expr: Any, sym: Any, r: Any) -> bool:
    """Is the algebraic number ``r`` a zero of ``expr`` (to 50 digits; unknown: True)?"""
    try:
        v = sp.N(expr.xreplace({sym: r}), 50)
        return not v.is_number or abs(v) < sp.Float("1e-40", 50)
    except (TypeError, ValueError, ArithmeticError):
        return True


def _branched_irrational(here: Any, sym: Any, doms: dict | None) -> bool:
    """Has ``here`` (with |·|, max, min or Piecewise in it) an irrational zero in ``sym``,
    inside its domain: a zero of one of its branches that is a zero of ``here`` itself?
    A branch transcendental in ``sym`` or past ``EXACT_DEGREE`` may hide one: True."""
    for b in branches(here)[0]:
        b = _peeled(b, sym)
        if b is _NO_ROOT:
            continue
        poly = _switch_poly(b, sym)
        if poly is None:
            if _transcendental_in(b, sym):
                return True
            continue
        if poly.degree() < 1:
            continue
        exact = _exact(poly)
        if poly.degree() > (EXACT_DEGREE if exact else 6):
            return True
        try:
            roots = poly.real_roots() if exact else list(sp.roots(poly, filter="R"))
        except (NotImplementedError, BasePolynomialError, ValueError, ArithmeticError):
            return True  # not solved: it may switch where no rational point is
        for r in roots:
            if r.is_Rational:
                continue
            near = sp.Rational(str(sp.N(r, 40)))
            if doms is not None and sym in doms and not doms[sym].contains(near):
                continue
            if _vanishes(here, sym, r):
                return True
    return False


def special_points(rng: random.Random, built: Built) -> list[dict]:
    """Points the quick path should always try: every parameter at one special value (0,
    ±1, 10^±k, large integers), and points at and near the kinks of a piecewise claim
    (a kink's argument solved for one parameter, then nudged by 10^-3, 10^-6, 10^-12)."""
    doms = built.inst.domains
    base = random_point(rng, built, 0.0, generic=True)
    out: list[dict] = []
    specials = {s: dom.specials() for s, dom in doms.items()}
    for k in range(max((len(v) for v in specials.values()), default=0)):
        out.append({s: sp_[k] if k < len(sp_) else base[s] for s, sp_ in specials.items()})
    ident = _identity_point(built, base)
    if ident is not None:
        out.insert(min(len(out), 3), ident)
    kernel = _kernel_point(built, base)
    if kernel is not None:
        out.insert(min(len(out), 4), kernel)
    for zeroed in _one_symbol_zero_points(built, base):
        out.insert(min(len(out), 3), zeroed)
    for corner in _simplex_corners(built, base):
        out.insert(min(len(out), 3), corner)
    for corner in _box_ascents(built, base, rng):
        out.insert(min(len(out), 3), corner)
    # the others at 0 as well: x² + y² ≥ 25 switches at (5, 0), a rational point, where
    # every random y puts it at an irrational x
    zero = {s: _nearest_zero(dom, base[s]) for s, dom in doms.items()}
    at_kink: list[dict] = []  # the switch itself
    near_kink: list[dict] = []  # beside it
    roots_at: list[tuple[int, Any, Any]] = []  # (base, parameter, switch) of each real switch
    # every switch of one parameter (the others at one base point), of all kink arguments:
    # between two of them the claim may differ on an interval narrower than any nudge
    # ((x > 3/7 − 10⁻³⁰)·(x < 3/7 + 10⁻³⁰)), so the midpoints are tried too
    switches: dict[tuple[int, Any], set] = {}
    int_switches: dict[tuple[int, Any], list] = {}  # an integer parameter's, in its range
    boundaries = boundary_arguments(built)
    undefined_at = open_boundaries(built) & set(boundaries)
    bases = (base, zero, *_range_ends(doms, base))
    scans = 0  # transcendental switches bracketed numerically (each ~300 evaluations)
    for arg in kink_arguments(built) + boundaries:
        for k_at, sym, at in ((k_at, sym, at) for k_at, at in enumerate(bases)
                              for sym in sorted(arg.free_symbols & set(doms), key=str)[:3]):
            rest = {s: v for s, v in at.items() if s != sym}
            here = arg.xreplace(rest)
            found = branch_roots(here, sym)
            peeled = _peeled(here, sym) if not found else None
            if peeled is not None and peeled is not _NO_ROOT:
                found = branch_roots(peeled, sym)  # log t − 100 switches at t = e¹⁰⁰
            if not found and doms[sym].integer:
                found = integer_switches(here, sym, doms[sym])
            elif not found and scans < NUMERIC_SCANS and _transcendental_in(here, sym):
                scans += 1
                found = numeric_switches(here, sym, doms[sym])
            if not doms[sym].integer:
                switches.setdefault((k_at, sym), set()).update(found)
            for r in found:
                steps = (0, 1, 2) if doms[sym].integer else (
                    0, sp.Rational(1, 10**3), sp.Rational(1, 10**6), sp.Rational(1, 10**12))
                if doms[sym].integer:
                    r = sp.floor(r)
                    # the switch and the integers beside it ((t > 100) holds from 101,
                    # (s < 3) up to 2)
                    int_switches.setdefault((k_at, sym), []).extend(
                        q for q in (r, r + 1, r - 1) if doms[sym].contains(q))
                near = [r + sgn * eps for eps in steps for sgn in ((1,) if eps == 0 else (1, -1))]
                if not doms[sym].integer:
                    near[1:1] = _beside(r, doms[sym])
                for q in dict.fromkeys(near):
                    if doms[sym].contains(q) and not (q == r and arg in undefined_at):
                        (at_kink if q == r else near_kink).append({**at, sym: q})
                if (not doms[sym].integer and doms[sym].contains(r) and arg not in undefined_at
                        and _touches(here, sym, r)):
                    roots_at.append((k_at, sym, r))
    between = _between_switches(switches, bases, doms)
    boxes = _integer_boxes(int_switches, switches, bases, doms)
    # narrow slabs crossed at once: a parallelogram 10⁻³⁰ wide off the axes
    between[:0] = slab_centres(kink_arguments(built), doms, (base, zero))
    between[:0] = _crossings(rng, built, (base, zero), doms)
    # special values and kink points in turn, so that neither crowds out the other; the
    # kinks themselves, the midpoints (narrowest gap first) and the nudges in turn too:
    # 16 kinks of 8 relus in x and y filled the list before any midpoint
    # the integer boxes first (a few, and only with two integer parameters or more):
    # (t > 100)·(s < 3)·1[x ∈ (1/3, 1/2)] needs t = 101, s = 2 and x inside at once
    # real parameters past their switches at once take turns with the others (first, they
    # crowded the midpoints out)
    plain = _plain_bases(base, doms)
    joint_bases = (plain[0], base, bases[1], *plain[1:])
    joint, meets = _joint_zeros(built, joint_bases)
    # points in narrow windows where the quick evaluation already sees the sides apart go
    # first: after the boxes, orthants and joint zeros they were past SPECIAL_LIMIT
    apart, beside = _beside_crossings(built, _real_parameters(doms), joint_bases, meets)
    kinks = apart + boxes[:BOXES] + _orthants(built, base) + joint + beside + [
        p for group in itertools.zip_longest(
        at_kink, boxes[BOXES:], between, near_kink, _real_boxes(switches, bases, doms),
        _others_beside(roots_at, switches, bases, doms))
        for p in group if p is not None]
    mixed = [p for pair in itertools.zip_longest(out, kinks) for p in pair if p is not None]
    return mixed[:SPECIAL_LIMIT]


def _range_ends(doms: dict, base: dict) -> list[dict]:
    """Base points with every integer parameter of a bounded range at its top (and one at
    its bottom): t + s = 199 with t, s in 1..100 holds at (100, 99) alone, and solved for
    one parameter with the other drawn it never is."""
    ints = {s: dom for s, dom in doms.items() if dom.integer and dom.lo is not None
            and dom.hi is not None}
    if not ints:
        return []
    out = []
    for pick in (lambda d: d.hi if not d.open_hi else d.hi - 1,
                 lambda d: d.lo if not d.open_lo else d.lo + 1):
        at = dict(base)
        for s, dom in ints.items():
            v = sp.Integer(int(pick(dom)))
            if dom.contains(v):
                at[s] = v
        out.append(at)
    return out


def _integer_boxes(found: dict, switches: dict, bases: tuple, doms: dict) -> list[dict]:
    """Every integer parameter at a switch of its own at once ((t == 37)·(s == 91) with t,
    s in 1..100: each switch solved with the other parameter drawn is never the other's),
    each integer at its first switch and the integers beside it ((t > 100)·(s < 3) needs
    t = 101, s = 2), every other parameter at the midpoint of its narrowest gap between
    switches ((t == 77)·1[1/3 < x < 1/3 + 10⁻³⁰]) or, with one switch, on either side of it
    ((t > 40)·(b > 3)); at most 27 points per base."""
    out: list[dict] = []
    for k_at, at in enumerate(bases):
        mine = {sym: list(dict.fromkeys(rs))[:3] for (k, sym), rs in found.items() if k == k_at}
        if not mine:
            continue
        for (k, sym), roots in switches.items():
            ordered = sorted(dict.fromkeys(roots))
            gaps = sorted(zip(ordered, ordered[1:], strict=False), key=lambda ab: ab[1] - ab[0])
            mids = [(a + b) / 2 for a, b in gaps if doms[sym].contains((a + b) / 2)]
            if k == k_at and mids:
                mine[sym] = mids[:1]
            elif k == k_at and ordered:  # one switch: a point on either side of it
                # ((t > 40)·(b > 3) with b real needs t = 41 and b just past 3 at once)
                near = [ordered[0] + e for e in (SIDE_STEP, -SIDE_STEP)]
                mine[sym] = [q for q in near if doms[sym].contains(q)]
        if len(mine) < 2:
            continue
        syms = sorted(mine, key=str)
        for combo in itertools.islice(itertools.product(*(mine[s] for s in syms)), 27):
            p = {**at, **dict(zip(syms, combo, strict=True))}
            if p not in out:
                out.append(p)
    return out


TINY = sp.Rational(1, 10**40)
BOXES = 12  # integer boxes tried before the other kink points
SIDE_STEP = sp.Rational(1, 10**3)  # beside a real parameter's one switch, in an integer box


ORTHANT_ARGUMENTS = 4  # affine kink arguments given a sign each at once (16 patterns)


def _orthants(built: Built, base: dict) -> list[dict]:
    """Points where up to four affine kink arguments each have a chosen sign at once, just
    past their switches (each argument ±10⁻³, solved for the parameters, the rest at
    ``base``): (x > 3)·(y < −5)·(z > 7) = 0 and (x − y > 10⁶)·(y − z > 10⁶) = 0 were
    "checked", each switch being tried with the other parameters at one base point."""
    doms = built.inst.domains
    real = {s for s, d in doms.items() if not (d.integer or d.simplex)}
    args = [a for a in kink_arguments(built)
            if a.free_symbols and a.free_symbols <= real and _affine(a)][:ORTHANT_ARGUMENTS]
    if len(args) < 2:
        return []
    unknowns = sorted(set().union(*(a.free_symbols for a in args)), key=str)
    out: list[dict] = []
    for signs in itertools.product((1, -1), repeat=len(args)):
        solved = sp.linsolve([a - s * SIDE_STEP for a, s in zip(args, signs, strict=True)],
                             unknowns)
        for values in solved:
            at = {u: v.xreplace({w: base[w] for w in unknowns}) for u, v in
                  zip(unknowns, values, strict=True)}
            if all(v.is_Rational and doms[u].contains(v) for u, v in at.items()):
                out.append({**base, **at})
    return out


JOINT_ARGUMENTS = 6  # polynomial kink arguments whose pairs and triples are solved at once
JOINT_POINTS = 14  # points kept (first among the kinks: few, or they crowd the rest out)
JOINT_PER_GROUP = 7  # of one triple or pair of arguments: each offset once
JOINT_STEPS = 96  # systems solved, per build (as many as 0.5 s of CPU solved, quiet)
JOINT_SECONDS = 1.5  # the backstop, CPU time per build, for steps unusually slow
JOINT_ORDERS = 3  # variable preferences tried per group


def _joint_zeros(built: Built, bases: tuple) -> tuple[list[dict], tuple]:
    """Points where two or three polynomial kink arguments vanish at once, solved one after
    another for a variable each appears in linearly (the rest at a base point), so the point
    is rational: tr A = 0 and det A = 0 (a nilpotent 2×2), tr A = 1 and det A = 0 (an
    idempotent), tr A = 0 and det A = −1 (an involution); a quadratic left over is solved at a
    plain base (every parameter 1/2, 1 or −1) for a rational root.  (tr A == 0)(det A == 0)
    (A₀₁ > 1/3) = 0, written with ≥ and ≤, was "checked", and the idempotent one got "holds if
    A symmetric", false at [[1/2, 1/2], [1/2, 1/2]]: one argument at a time never met the
    other.  Also (group, point) for each point where a whole group vanishes."""
    doms = built.inst.domains
    real = _real_parameters(doms)
    args = [a for a in kink_arguments(built) if a.free_symbols and a.free_symbols <= real
            and a.is_polynomial(*a.free_symbols)]
    args = sorted(dict.fromkeys(args), key=str)[:JOINT_ARGUMENTS]  # a set's order varies
    out: list[dict] = _sos_zeros(built, bases, real)
    # steps, not seconds: with the machine shared, 0.5 s of the wall clock solved 3 points,
    # not 14, and 0.5 s of CPU fewer than 74, and a symmetric idempotent's [[1/2, 1/2],
    # [1/2, 1/2]] was missed ("checked")
    allowance = Allowance(JOINT_STEPS, JOINT_SECONDS)
    meets: list[tuple] = []  # (group, point) where every argument of the group vanishes
    for k in (3, 2):  # a triple first: a third argument just past its switch too
        for group in itertools.combinations(args, k):
            syms = sorted(set().union(*(g.free_symbols for g in group)), key=str)
            if len(syms) < k:
                continue  # a window's two ends in one parameter: the midpoints see to it
            mine: list[dict] = []
            # one argument just past its switch and the others at 0 (A₀₁ > 2 with tr A = 0
            # and det A = −1 needs A₀₁ = 2 + 10⁻³, not 2), then every one at 0
            offsets = [tuple(d if i == j else 0 for i in range(k))
                       for j in range(k) for d in (SIDE_STEP, -SIDE_STEP)] + [(0,) * k]
            for base, shift, offset in itertools.product(bases, range(JOINT_ORDERS), offsets):
                if len(mine) == JOINT_PER_GROUP or not allowance.take():
                    break
                moved = tuple(g - d for g, d in zip(group, offset, strict=True))
                for point in _solved_in_turn(moved, syms[shift:] + syms[:shift], base, doms):
                    if not any(offset) and len(meets) < JOINT_POINTS:
                        meets.append((group, point))
                    if point not in out and point not in mine:
                        mine.append(point)
            out += mine
            if len(out) >= JOINT_POINTS or allowance.spent:
                return out[:JOINT_POINTS], tuple(meets)
    return out, tuple(meets)


QUADRANT_POINTS = 8  # points beside crossings of two switches, after the joint zeros
QUADRANT_STEP = sp.Rational(1, 10**15)  # each switch's value there: far above 10⁻⁴⁰
QUADRANT_STEPS = 64  # crossings solved, per build
QUADRANT_SECONDS = 1.0  # the backstop, CPU time per build, for steps unusually slow
QUADRANT_ARGUMENTS = 8  # polynomial switches (a kink's branches among them) paired
TANGENCY_STEPS = 32  # tangencies solved, per build (an allowance of their own)
CENTRE_STEPS = 24  # simplices of affine switches whose centre is solved, per build
SCREEN_STEPS = 64  # window candidates evaluated to rank them, per build
SCREEN_SECONDS = 1.0  # the backstop of their evaluation


def _beside_crossings(built: Built, real: set, bases: tuple,
                      meets: tuple = ()) -> tuple[list[dict], list[dict]]:
    """Points in narrow windows between switches: beside a crossing of two switches (one in
    each sign combination of the pair), beside a tangency, at the centre of a simplex of
    affine switches, and beside a point where two or three switches vanish at once (``meets``:
    the joint zeros, each with its group).  (xy > 1)·(x + y < 2.0001) = 0 is false on a lens
    10⁻⁴ high whose tips are where xy = 1 meets x + y = 2.0001 (irrational); no parameter
    moved alone from a base point enters it, and it was "checked".

    Each kind of point has steps of its own (one CPU backstop for all), the pairs of
    switches take turns, one crossing each per round, and the candidates are ranked by the
    claim's value there (those where the sides differ first): taken in the order found, the
    crossings of a circle with the axes x = 0 and y = 0 filled
    every place before it met the line of (x² + y² > 2)(x + y < 2.00001)(x > 0)(y > 0)
    (xy > 0.99) = 0, and the tangency of (x² + y² < 1)(xy > 0.4999)(x + y > 1.4141) = 0 was
    never reached (both false, both undecided or "checked").  Returns (the points where the
    sides are apart, others), QUADRANT_POINTS in all."""
    doms = built.inst.domains
    source = _window_switches(built, real)
    polynomial = [b for b in source if b.is_polynomial(*b.free_symbols)]
    switches = sorted(polynomial, key=lambda b: (_affine(b), str(b)))[:QUADRANT_ARGUMENTS]
    smooth = switches + sorted((b for b in source if b not in polynomial), key=str)[:2]
    # each kind has steps of its own and all share one backstop of CPU time: with one each,
    # the tangencies of an orthogonal 3 × 3's switches (Newton's method on trigonometric
    # ones) took 1.35 s a build and refute_special ran out of time on (|det(Q + I)| > 0) = 1,
    # false at a rotation by π, which it refuted before
    until = clock() + QUADRANT_SECONDS
    kinds = [
        _crossing_points(switches, source, bases, doms, until),
        _tangency_points(smooth, bases, doms, until),
        # affine groups' corners are the orthants' and slabs' (here they crowded the slab
        # centres of a 10⁻³⁰ parallelogram past SPECIAL_LIMIT)
        [p for group, point in meets if not all(_affine(g) for g in group)
         for p in _corners(point, group, doms)],
        _simplex_centres([g for g in switches if _affine(g)], bases, doms, until),
        _meeting_corners(switches, bases, doms, until),
        _stationary_points(smooth, bases, doms, until),
    ]
    # the kinds take turns in the screening too: the crossings of every pair, seen from
    # every base, would otherwise use its allowance up before the corners where three
    # curved switches meet ((xy > 1)(yz > 1)(xz > 1)(x + y + z < 3.0001) = 0)
    unique: list[dict] = []
    for p in itertools.chain.from_iterable(itertools.zip_longest(*kinds)):
        if p is not None and p not in unique:
            unique.append(p)
    apart, rest = _screened(built, unique)
    return apart[:QUADRANT_POINTS], rest[:max(0, QUADRANT_POINTS - len(apart))]


STATIONARY_STEPS = 16  # points where a switch is stationary on two others, per build


def _stationary_points(switches: list, bases: tuple, doms: dict, until: float) -> list[dict]:
    """Points beside where a switch is stationary on the common zeros of two others, in each
    combination of the two's signs: (wx > 1)(yz > 1)(w + x + y + z < 4.0001) = 0 for
    positive parameters is false only near (1, 1, 1, 1), where w + x + y + z is least on
    wx = yz = 1, and was "checked" (one switch and a tangency of two never meet there)."""
    allowance = Allowance(STATIONARY_STEPS, until=until)
    out: list[dict] = []
    for target in switches:
        for pair in itertools.combinations([g for g in switches if g is not target], 2):
            if _one_switch(*pair):
                continue
            if all(_affine(g) for g in (target, *pair)):
                continue
            for base in bases:
                if not allowance.take():
                    return out
                point = _stationary_on(pair, target, base, doms)
                if point is not None:
                    out += [p for p in _corners(point, pair, doms) if p not in out]
    return out


def _stationary_on(constraints: tuple, target: Any, base: dict, doms: dict) -> dict | None:
    """A rational point within 10⁻⁴⁰ of where ∇target = Σ λᵢ∇gᵢ and every gᵢ = 0, found by
    Newton's method from ``base`` (40 digits), or None."""
    syms = sorted(set().union(target.free_symbols, *(g.free_symbols for g in constraints)),
                  key=str)
    if not len(constraints) < len(syms) <= TANGENCY_PARAMETERS or any(
            s not in base for s in syms):
        return None
    lams = [sp.Dummy(f"lam{i}") for i in range(len(constraints))]
    system = [sp.diff(target, s) - sum(lam * sp.diff(g, s) for lam, g in
                                       zip(lams, constraints, strict=True)) for s in syms]
    system += list(constraints)
    try:
        f = sp.lambdify([*syms, *lams], system, modules="mpmath")
        with mpmath.workdps(40):
            start = [mpmath.mpf(sp.Rational(base[s]).p) / sp.Rational(base[s]).q for s in syms]
            root = mpmath.findroot(lambda *v: f(*v), [*start, *([mpmath.mpf(1)] * len(lams))],
                                   tol=1e-30, maxsteps=50)
    except (ZeroDivisionError, ValueError, TypeError, ArithmeticError):  # no convergence
        return None
    values = list(root)[: len(syms)]
    if any(isinstance(v, mpmath.mpc) and abs(v.imag) > 1e-30 for v in values):
        return None
    point = {s: _rational_near(sp.Float(mpmath.re(v), 40)) for s, v in zip(syms, values,
                                                                        strict=True)}
    if not all(doms[s].contains(v) for s, v in point.items()):
        return None
    return {**base, **point}


def _real_parameters(doms: dict) -> set:
    return {s for s, d in doms.items() if not (d.integer or d.simplex)}


MEETING_STEPS = 24  # triples of switches solved for a common zero, per build


def _meeting_corners(switches: list, bases: tuple, doms: dict, until: float) -> list[dict]:
    """Points beside where three switches (a curved one among them) vanish at once, in each
    combination of their signs; the triples take turns, one base point each per round."""
    triples = [g for g in itertools.combinations(switches, 3)
               if not all(_affine(s) for s in g)
               and len(set().union(*(s.free_symbols for s in g))) >= 3]
    allowance = Allowance(MEETING_STEPS, until=until)
    out: list[dict] = []
    for base, shift in itertools.product(bases, range(JOINT_ORDERS)):
        for group in triples:
            if not allowance.take():
                return out
            syms = sorted(set().union(*(g.free_symbols for g in group)), key=str)
            order = syms[shift % len(syms):] + syms[:shift % len(syms)]
            for point in _solved_in_turn(group, order, base, doms):
                out += [p for p in _corners(point, group, doms) if p not in out]
    return out


def _window_switches(built: Built, real: set) -> dict:
    """Each smooth switch (a kink's branches among them): the kink argument it comes from.
    A switch f(g) − c with f invertible is peeled to g − f⁻¹(c) (exp(xy) > e switches where
    xy = 1), its irrational constants rounded to 40 digits (the points are candidates)."""
    source: dict = {}
    for a in kink_arguments(built):
        if not (a.free_symbols and a.free_symbols <= real):
            continue
        for b in branches(a)[0]:
            if not b.free_symbols or b.has(*NONSMOOTH):
                continue
            peeled = _peeled(b, sorted(b.free_symbols, key=str)[0])
            if peeled is not _NO_ROOT and peeled.free_symbols:
                b = _rounded_constants(peeled)
            source.setdefault(b, a)
    return source


def _rounded_constants(expr: Any) -> Any:
    """``expr`` with each irrational constant (log 2, e, π) replaced by a rational within
    10⁻⁴⁰ of it, so that a switch xy − log 2 is solved in rationals."""
    if expr.is_number:
        if expr.is_Rational or not expr.is_real:
            return expr
        try:
            return _rational_near(expr)
        except ValueError:  # kept as it is: the points made from it are only candidates
            return expr
    if not expr.args or expr.is_Symbol:
        return expr
    return expr.func(*(_rounded_constants(a) for a in expr.args))


def _crossing_points(switches: list, source: dict, bases: tuple, doms: dict,
                     until: float) -> list[dict]:
    """Points beside crossings of each pair of switches (a curved one among them), in the
    four sign combinations of the pair: the pairs take turns, one crossing each per round
    (so that every pair gets its turn within the allowance, and later rounds still reach
    the crossings seen from the other bases: (xᵀAx > 1)(Σx < 1) = 0 with x ≥ 0 is false
    beside the crossing seen from A = diag(4, 1, 1), and one crossing per pair left it
    "checked")."""
    allowance = Allowance(QUADRANT_STEPS, until=until)  # steps: the same on a busy machine
    turns = []
    for pair in itertools.combinations(switches, 2):
        if _one_switch(*pair):
            continue
        # the affine one solved first: x = 1.414 − y, then x² + y² = 1 is a quadratic in y
        group = tuple(sorted(pair, key=lambda g: not _affine(g)))
        syms = sorted(set().union(*(g.free_symbols for g in group)), key=str)
        if len(syms) < 2 or all(_affine(g) for g in group):
            continue  # two affine switches: their crossings are the slabs' and orthants'
        turns.append(_crossings_of(group, syms, bases, doms, source, allowance))
    out: list[dict] = []
    while turns and not allowance.spent:
        for turn in list(turns):
            found = next(turn, None)
            if found is None:
                turns.remove(turn)
            else:
                out += [p for p in found if p not in out]
    return out


def _crossings_of(group: tuple, syms: list, bases: tuple, doms: dict, source: dict,
                  allowance: Allowance) -> Iterator[list[dict]]:
    """The points beside each crossing of ``group`` found from the bases in turn, one
    crossing at a time."""
    for base, shift in itertools.product(bases, range(JOINT_ORDERS)):
        if not allowance.take():
            return
        order = syms[shift:] + syms[:shift]
        for point in _solved_in_turn(group, order, base, doms, approximate=True):
            if all(_nearly_zero(source[g], point) for g in group):  # a branch in force
                found = _quadrants(point, group, order, doms)
                if found:
                    yield found


def _one_switch(a: Any, b: Any) -> bool:
    """Are a and b one switch, as an |·|'s two branches g and −g are?  Every point of g = 0
    is a crossing and a tangency of the two: solving for one found nothing and took up to
    2.8 s (an orthogonal 3 × 3's |det(Q + I)|), which ran refute_special out of time."""
    return sp.expand(a + b) == 0 or sp.expand(a - b) == 0


def _tangency_points(switches: list, bases: tuple, doms: dict, until: float) -> list[dict]:
    """_beside_tangency's points for each ordered pair of switches, not both affine."""
    allowance = Allowance(TANGENCY_STEPS, until=until)
    out: list[dict] = []
    for pair in itertools.permutations(switches, 2):
        if _affine(pair[0]) and _affine(pair[1]) or _one_switch(*pair):
            continue  # parallel or crossing planes: no tangency
        for base in bases:
            if not allowance.take():
                return out
            out += [p for p in _beside_tangency(pair, base, doms) if p not in out]
    return out


CORNER_PARAMETERS = 8  # a point where switches meet is moved in up to this many parameters


def _corners(point: dict, group: tuple, doms: dict) -> list[dict]:
    """``point`` (where every switch of ``group`` vanishes) moved by the least step that
    gives the switches each combination of signs ±10⁻¹⁵ to first order: (xy > 1)(yz > 1)
    (xz > 1)(x + y + z < 3.0001) = 0 for positive x, y, z is false only near (1, 1, 1),
    where the three curved switches meet, and was "checked"."""
    syms = sorted(set().union(*(g.free_symbols for g in group)), key=str)
    if len(syms) > CORNER_PARAMETERS or any(s not in point for s in syms):
        return []
    jac = _rational_jacobian(group, syms, point)
    if jac is None or jac.rank() < len(group):
        return []
    step = jac.T * (jac * jac.T).inv()
    out = []
    for signs in itertools.product((1, -1), repeat=len(group)):
        d = step * sp.Matrix(signs) * QUADRANT_STEP
        p = {**point, **{s: point[s] + d[i] for i, s in enumerate(syms)}}
        if all(doms[s].contains(p[s]) for s in syms):
            out.append(p)
    return out


def _rational_jacobian(group: tuple, syms: list, point: dict) -> sp.Matrix | None:
    """The switches' Jacobian at ``point``, each entry exact or rounded to 40 digits."""
    try:
        rows = [[sp.diff(g, s).xreplace(point) for s in syms] for g in group]
        return sp.Matrix([[e if e.is_Rational else _rational_near(e) for e in row]
                          for row in rows])
    except (TypeError, ValueError, ArithmeticError):
        return None


def _simplex_centres(affine: list, bases: tuple, doms: dict, until: float) -> list[dict]:
    """The centres of simplices that k + 1 affine switches in k ≤ 6 parameters bound."""
    allowance = Allowance(CENTRE_STEPS, until=until)
    out: list[dict] = []
    for k in range(2, TANGENCY_PARAMETERS + 1):
        for group in itertools.combinations(affine, k + 1):
            if _linear_rank(group) != k:
                continue  # no simplex: nothing solved, no step counted
            if not bases or not allowance.take():
                return out
            point = _simplex_centre(group, k, bases[0], doms)
            if point is not None and point not in out:
                out.append(point)
    return out


def _screened(built: Built, points: list[dict]) -> tuple[list[dict], list[dict]]:
    """(the points where the quick evaluation finds the sides apart, the others): a
    window's point is one of many candidates (each is audited exactly either way)."""
    allowance = Allowance(SCREEN_STEPS, SCREEN_SECONDS)
    apart: list[dict] = []
    rest: list[dict] = []
    for p in points:
        if allowance.take() and _apart_at(built, p):
            apart.append(p)
        else:
            rest.append(p)
    return apart, rest


def _apart_at(built: Built, point: dict) -> bool:
    try:
        result = evaluate(built, point)
    except (ZeroDivisionError, ValueError, TypeError, ArithmeticError):
        return False
    return result.defined and result.nonzero


def _simplex_centre(group: tuple, k: int, base: dict, doms: dict) -> dict | None:
    """The centre of the simplex that k + 1 affine switches in k parameters bound (the mean
    of the points where k of them vanish), or None.  (x + y > 1)·(x − y > 0.99999)·(x < 1)
    = 0 is false only in a triangle 10⁻⁵ wide with rational corners, and was "checked": two
    switches at a time cross only at its corners, where a condition is an equality."""
    syms = sorted(set().union(*(g.free_symbols for g in group)), key=str)
    if any(s not in base for s in syms):
        return None
    # more parameters than k (x − y > 1/2, y − z > 1/2, x − z < 1.00001: a prism): the
    # others at ``base``, k of them solved for
    for solved_for in itertools.islice(itertools.combinations(syms, k), CENTRE_CHOICES):
        rest = {s: base[s] for s in syms if s not in solved_for}
        point = _centre_in(tuple(g.xreplace(rest) for g in group), list(solved_for), k, doms)
        if point is not None:
            return {**base, **point}
    return None


CENTRE_CHOICES = 4  # sets of k parameters a prism's simplex is solved in


def _centre_in(group: tuple, syms: list, k: int, doms: dict) -> dict | None:
    corners = []
    for face in itertools.combinations(group, k):
        solved = sp.solve(list(face), syms, dict=True)
        if len(solved) != 1 or set(solved[0]) != set(syms):
            return None  # parallel switches: no corner
        corners.append(solved[0])
    centre = {s: sum(c[s] for c in corners) / len(corners) for s in syms}
    if not all(v.is_Rational and doms[s].contains(v) for s, v in centre.items()):
        return None
    return centre


def _linear_rank(group: tuple) -> int:
    """The rank of the affine switches' linear parts (−1 past TANGENCY_PARAMETERS)."""
    syms = sorted(set().union(*(g.free_symbols for g in group)), key=str)
    if len(syms) > TANGENCY_PARAMETERS:
        return -1
    return sp.Matrix([[g.coeff(s) for s in syms] for g in group]).rank()


TANGENCY_PARAMETERS = 6  # the Lagrange system of a pair solved numerically up to this many


def _beside_tangency(pair: tuple, base: dict, doms: dict) -> list[dict]:
    """Points beside where g₂ is stationary on g₁ = 0 (∇g₂ = λ∇g₁), moved by ±10⁻¹⁵ along
    each gradient.  (xyz > 1)·(x + y + 2z < 3.78) = 0 for positive x, y, z is false on a lens
    around x = y = 2^(1/3), z = 2^(-2/3), where x + y + 2z = 3·2^(1/3) ≈ 3.77976 is least on
    xyz = 1: no slice through rational base values crosses it, and it was "checked".  The
    system is solved by Newton's method from ``base`` (40 digits); the points are only
    candidates: each is audited exactly as every other."""
    g1, g2 = pair
    syms = sorted(g1.free_symbols | g2.free_symbols, key=str)
    if not 2 <= len(syms) <= TANGENCY_PARAMETERS or any(s not in base for s in syms):
        return []
    lam = sp.Dummy("lam")
    grads = [[sp.diff(g, s) for s in syms] for g in (g1, g2)]
    system = [b - lam * a for a, b in zip(*grads, strict=True)] + [g1]
    try:
        f = sp.lambdify([*syms, lam], system, modules="mpmath")
        with mpmath.workdps(40):
            start = [mpmath.mpf(sp.Rational(base[s]).p) / sp.Rational(base[s]).q for s in syms]
            root = mpmath.findroot(lambda *v: f(*v), [*start, mpmath.mpf(1)], tol=1e-30,
                                   maxsteps=50)
    except (ZeroDivisionError, ValueError, TypeError, ArithmeticError):  # no convergence
        return []
    if any(isinstance(v, mpmath.mpc) and abs(v.imag) > 1e-30 for v in root):
        return []
    values = list(root)[: len(syms)]  # λ last, dropped
    point = {s: _rational_near(sp.Float(mpmath.re(v), 40))
             for s, v in zip(syms, values, strict=True)}
    out = []
    for grad in grads:
        at = [e.xreplace(point) for e in grad]
        norm2 = sum(e * e for e in at)
        if not all(e.is_Rational for e in at) or norm2 == 0:
            continue
        for sign in (1, -1):
            step = sign * QUADRANT_STEP / norm2
            p = {**base, **{s: point[s] + step * e for s, e in zip(syms, at, strict=True)}}
            if all(doms[s].contains(p[s]) for s in syms):
                out.append(p)
    return out


def _nearly_zero(arg: Any, point: dict) -> bool:
    try:
        return abs(sp.N(arg.xreplace(point), 30)) < sp.Float("1e-30", 30)
    except (TypeError, ValueError, ArithmeticError):
        return False


def _quadrants(point: dict, group: tuple, syms: list, doms: dict) -> list[dict]:
    """``point`` moved in two parameters so that the two switches of ``group`` take each
    pair of signs (±ε, ±ε) to first order; [] where their Jacobian there is singular."""
    for u, v in itertools.combinations(syms, 2):
        jac = sp.Matrix([[sp.diff(g, w) for w in (u, v)] for g in group]).xreplace(point)
        if not all(e.is_Rational for e in jac) or jac.det() == 0:
            continue
        inv = jac.inv()
        out = []
        for signs in itertools.product((1, -1), repeat=2):
            du, dv = inv @ sp.Matrix(signs) * QUADRANT_STEP
            p = {**point, u: point[u] + du, v: point[v] + dv}
            if doms[u].contains(p[u]) and doms[v].contains(p[v]):
                out.append(p)
        return out
    return []


SOS_BASES = 16  # squares of one sum solved at once (a 4×4 matrix square has 16 entries)
SOS_POINTS = 4  # points kept per sum of squares


def _sos_zeros(built: Built, bases: tuple, real: set) -> list[dict]:
    """Points where a kink argument written as a sum of squares vanishes: every square's
    base solved in turn (``_solved_in_turn``).  ‖A²‖² = 0 at a nilpotent A, reached by no
    parameter alone (each slice keeps the other squares positive)."""
    doms = built.inst.domains
    out: list[dict] = []
    for arg in kink_arguments(built):
        sos = sos_bases(arg)
        if not sos or len(sos) > SOS_BASES or not arg.free_symbols <= real:
            continue
        syms = sorted(arg.free_symbols, key=str)
        found: list[dict] = []
        for base, shift in itertools.product(bases, range(JOINT_ORDERS)):
            if len(found) >= SOS_POINTS:
                break
            for point in _solved_in_turn(tuple(sos), syms[shift:] + syms[:shift], base, doms):
                if point not in found and point not in out:
                    found.append(point)
        out += found[:SOS_POINTS]
    return out


def _plain_bases(base: dict, doms: dict) -> tuple:
    """``base`` with every parameter its domain admits at 1/2, then at 1, then at −1: a
    quadratic's rational roots are at such points (its discriminant a square)."""
    return tuple({s: (v if doms[s].contains(v) else base[s]) for s in base}
                 for v in (sp.Rational(1, 2), sp.Integer(1), sp.Integer(-1)))


def _solved_in_turn(group: tuple, order: list, base: dict, doms: dict,
                    approximate: bool = False) -> list[dict]:
    """Each argument of ``group`` solved for the first variable of ``order`` it is linear in
    (not yet solved for), or for a rational root of a quadratic (each root a point; with
    ``approximate``, the real roots of a polynomial of degree ≤ CROSSING_DEGREE to 40 digits
    where a quadratic has no rational one), the rest at
    ``base``.  Only points whose values are all rational and in their domains."""
    partial: list[dict] = [{}]
    for g0 in group:
        grown: list[dict] = []
        for solved in partial:
            # the numerator: a substituted solution can put a variable in a denominator
            g = sp.expand(sp.together(g0.xreplace(solved)).as_numer_denom()[0])
            free = [v for v in order if v not in solved]
            if g == 0:  # vanishes with those solved already: (A²)₁₀ once (A²)₀₀, (A²)₀₁ do
                grown.append(solved)
                continue
            var = next((v for v in free if _degree(g, v) == 1), None)
            if var is not None:
                coeff = g.coeff(var, 1)
                value = -(g - coeff * var) / coeff
                options = [(var, value)]
            else:  # a quadratic's rational roots (or any real ones) with the others at the base
                options = _rational_roots(g, free, base) or (
                    _real_roots_near(g, free, base) if approximate else [])
            for v, value in options:  # none: constant here, or unsolved (no point)
                grown.append({**{u: e.xreplace({v: value}) for u, e in solved.items()},
                              v: value})
        partial = grown
    out = []
    for solved in partial:
        rest = {v: base[v] for v in base if v not in solved}
        try:  # an approximated root's Rationals as they are: nsimplify may make radicals
            values = {v: e if approximate and (e := e0.xreplace(rest)).is_Rational
                      else sp.nsimplify(e0.xreplace(rest)) for v, e0 in solved.items()}
        except (ZeroDivisionError, TypeError):
            continue
        if values and all(v.is_Rational and doms[u].contains(v) for u, v in values.items()):
            out.append({**base, **values})
    return out


def _degree(g: Any, v: Any) -> int:
    """The degree of the polynomial g in v (−1: g is not one in v, or lacks v)."""
    if not g.has(v):
        return -1
    try:
        return int(sp.degree(g, v))
    except (sp.PolynomialError, BasePolynomialError, TypeError, ValueError):
        return -1


def _rational_roots(g: Any, free: list, base: dict) -> list[tuple]:
    """[(v, r)]: the rational zeros r of g in its first variable v of degree 2, every other
    free variable at ``base`` (a symmetric idempotent 2×2 with A₀₁ = ±1/2 has A₁₁ = 1/2)."""
    for v in (v for v in free if _degree(g, v) == 2):
        here = g.xreplace({u: base[u] for u in free if u != v and u in base})
        if here.free_symbols != {v}:
            continue
        roots = _rational_quadratic_roots(sp.Poly(here, v).all_coeffs())
        if roots:
            return [(v, r) for r in roots]
    return []


def _rational_quadratic_roots(coeffs: list) -> list:
    """The rational roots of a·v² + b·v + c, its discriminant's square root taken in
    integers: SymPy's roots factor it, which took seconds for 80-digit coefficients and
    raised ValueError ("… is not a prime factor of …") from its factor cache, which ended
    every special point of (wxyz > 1)(w + x + y + 2z < 4.7569) = 0 (false, "checked")."""
    if len(coeffs) != 3 or not all(c.is_Rational for c in coeffs):
        return []
    a, b, c = coeffs
    disc = b * b - 4 * a * c
    if disc < 0:
        return []
    num, den = int(disc.p), int(disc.q)
    root_num, root_den = math.isqrt(num), math.isqrt(den)
    if root_num * root_num != num or root_den * root_den != den:
        return []
    root = sp.Rational(root_num, root_den)
    return list(dict.fromkeys(((-b + root) / (2 * a), (-b - root) / (2 * a))))


CROSSING_DEGREE = 6  # a switch solved for its crossings up to this degree in one variable


def _real_roots_near(g: Any, free: list, base: dict) -> list[tuple]:
    """[(v, r)]: rationals within 10⁻⁴⁰ of the real zeros of g in its first variable v of
    degree 2 to CROSSING_DEGREE, every other free variable at ``base``.  Not only quadratics:
    xy² = 1 against x + 2y = 3.0001 is a cubic in y once x = 3.0001 − 2y is put in, and the
    lens between them (x = y = 1.00001) was "checked"."""
    for v in (v for v in free if 2 <= _degree(g, v) <= CROSSING_DEGREE):
        here = g.xreplace({u: base[u] for u in free if u != v and u in base})
        if here.free_symbols != {v}:
            continue
        try:
            roots = sp.Poly(here, v).real_roots()
        except (NotImplementedError, BasePolynomialError, ValueError, ArithmeticError):
            return []
        return [(v, _rational_near(r)) for r in dict.fromkeys(roots)]
    return []


REAL_BOX_PARAMETERS = 4  # real parameters put past their switches at once
REAL_BOX_POINTS = 16  # per base point


def _real_boxes(switches: dict, bases: tuple, doms: dict) -> list[dict]:
    """Every real parameter with switches of its own just beside its outermost ones at
    once (solved one parameter at a time, each switch was tried with the others at a base
    point): (x³ > 1000)·(y < −1000) = 0 was "checked", x at 10 ± 10⁻³ with y drawn, y at
    −1000 ± 10⁻³ with x drawn."""
    out: list[dict] = []
    for k_at, at in enumerate(bases[:2]):
        sides: dict = {}
        for (k, sym), roots in sorted(switches.items(), key=lambda kv: str(kv[0][1])):
            if k != k_at or not roots or len(sides) == REAL_BOX_PARAMETERS:
                continue
            ends = (min(roots), max(roots))
            near = [e + d for e in ends for d in (-SIDE_STEP, SIDE_STEP)]
            sides[sym] = [q for q in dict.fromkeys(near) if doms[sym].contains(q)]
        if len(sides) < 2:
            continue
        syms = list(sides)
        for combo in itertools.islice(itertools.product(*(sides[s] for s in syms)),
                                      REAL_BOX_POINTS):
            p = {**at, **dict(zip(syms, combo, strict=True))}
            if p not in out:
                out.append(p)
    return out


def _touches(here: Any, sym: Any, r: Any) -> bool:
    """Does ``here`` touch 0 at r without changing sign (x² at 0)?  Then no point beside r
    differs from r's neighbours, and only r itself shows where the claim switches."""
    signs = set()
    for q in (r - TOUCH_STEP, r + TOUCH_STEP):
        try:
            v = sp.N(here.xreplace({sym: q}), 30)
        except (TypeError, ValueError, ArithmeticError):
            return False
        if not (v.is_number and v.is_real) or v == 0:
            return False
        signs.add(v > 0)
    return len(signs) == 1


TOUCH_STEP = sp.Rational(1, 10**6)


def _others_beside(roots_at: list, switches: dict, bases: tuple, doms: dict) -> list[dict]:
    """A parameter at a switch where its kink argument touches 0 without changing sign,
    another just past its own outermost switches: 1[x²(y − 1) > 0] = 1[y > 1] fails at
    x = 0 with y > 1 only, and was "checked" at half the seeds: x = 0 was tried with y at
    its drawn value alone, y beside 1 with x drawn (never 0)."""
    out: list[dict] = []
    for k_at, sym, r in roots_at:
        for (k, other), roots in sorted(switches.items(), key=lambda kv: str(kv[0][1])):
            if k != k_at or other == sym or not roots:
                continue
            for q in (min(roots) - SIDE_STEP, max(roots) + SIDE_STEP):
                p = {**bases[k_at], sym: r, other: q}
                if doms[other].contains(q) and p not in out:
                    out.append(p)
            if len(out) >= BESIDE_POINTS:
                return out
    return out


BESIDE_POINTS = 16  # points with one parameter at a switch and another past its own


def _affine(arg: Any) -> bool:
    syms = sorted(arg.free_symbols, key=str)
    try:
        return arg.is_polynomial(*syms) and sp.Poly(arg, *syms).total_degree() <= 1
    except (sp.PolynomialError, BasePolynomialError):
        return False


def _nearest_zero(dom: Domain, fallback: Any) -> Any:
    """0, or a point of ``dom`` just beside 0 when 0 is an open end of it (a positive
    parameter at 10⁻⁴⁰): tr(D) ∈ (1/3, 1/2) with D diagonal and positive definite switches at
    d₀ = 1/3 − d₁, outside the domain for every d₁ drawn (≥ 1/2), and the claim was
    "checked"; ``fallback`` otherwise."""
    if dom.contains(sp.Integer(0)):
        return sp.Integer(0)
    for end, sgn in ((dom.lo, 1), (dom.hi, -1)):
        if end is not None and end == 0:
            for q in (sgn * TINY, sgn * sp.Rational(1, 10**6)):
                if dom.contains(q):
                    return q
    return fallback


def _crossings(rng: random.Random, built: Built, bases: tuple, doms: dict) -> list[dict]:
    """Narrow windows entered one after another (``slabs.crossed``) from each base point
    and from two more random ones: whether a parameter can reach a window depends on
    where the others are held."""
    args = kink_arguments(built)[:CROSSING_ARGS]
    syms = sorted({s for a in args for s in a.free_symbols
                   if s in doms and not doms[s].integer}, key=str)[:CROSSING_SYMS]
    if len(syms) < 2:
        return []
    starts = [*bases, *(random_point(rng, built, 0.0, generic=True) for _ in range(2))]
    out = []
    for at in starts:
        p = crossed(at, syms, args, doms, branch_roots)
        if p is not None and p not in out:
            out.append(p)
    return out


CROSSING_ARGS, CROSSING_SYMS = 16, 12  # kept small: each window is solved per parameter


def _between_switches(switches: dict, bases: tuple, doms: dict) -> list[dict]:
    """The midpoint of each pair of consecutive switches of one parameter (the others at
    their base point), and one point with every parameter at a midpoint of its own: a box
    (x, y) ∈ (a, b) × (c, d) of width 10⁻³⁰ holds no nudged point of its four sides."""
    found: list[tuple[Any, dict]] = []  # (the gap's width, the point)
    inner: dict[tuple[int, Any], list] = {}
    for (k_at, sym), roots in switches.items():
        ordered = sorted(dict.fromkeys(roots))
        # narrowest gap first: a random point lands in a wide one, never in one 10⁻³⁰ wide
        pairs = sorted(zip(ordered, ordered[1:], strict=False), key=lambda ab: ab[1] - ab[0])
        mids = [(b - a, (a + b) / 2) for a, b in pairs if doms[sym].contains((a + b) / 2)]
        inner[(k_at, sym)] = [q for _, q in mids]
        found += [(w, {**bases[k_at], sym: q}) for w, q in mids[:6]]
    found.sort(key=lambda wp: wp[0])
    out = [p for _, p in found]
    for k_at, at in enumerate(bases):
        mine = {sym: mids[0] for (k, sym), mids in inner.items() if k == k_at and mids}
        if len(mine) > 1:
            out.insert(min(len(out), 2), {**at, **mine})
    return out


def _simplex_corners(built: Built, base: dict) -> list[dict]:
    """Beside each vertex of every probability vector: one entry 1 − m·10⁻⁶ and the other
    free entries 10⁻⁶ (the last is then 10⁻⁶ too), or every free entry 10⁻⁶; with positive
    entries the vertices themselves are excluded, and (p₁ < 19/20) = 1 was "checked"."""
    eps = sp.Rational(1, 10**6)
    out = []
    for group in simplex_groups(built.inst):
        m = len(group)
        for k in range(m + 1):  # k = m: beside the last entry's vertex
            out.append({**base, **{s: 1 - m * eps if j == k else eps
                                   for j, s in enumerate(group)}})
    return out


BOX_ARGUMENTS = 4  # kink arguments whose extreme vertices are looked for
BOX_PASSES = 3  # coordinate passes of the ascent over the vertices
BOX_POINTS = 8  # vertices kept (special values and kinks keep their places)


def _box_ascents(built: Built, base: dict, rng: random.Random) -> list[dict]:
    """Vertices of the box of the parameters with closed bounded domains (entries in
    [0, 1] or [−1, 1]) where a kink argument is largest or smallest: from the vertex the
    signs of its gradient at ``base`` point to, and from a random one, a coordinate ascent
    (each parameter at the end where the argument is further out, the others fixed).  A
    linear argument is at its extreme there, a multilinear one (a determinant) at a local
    one: (Σᵢ (−1)ⁱxᵢ < 12) = 1 with x ∈ [−1, 1]¹² fails at one vertex of 4096, and the
    checkerboard sum of a 4×4 A ∈ [0, 1] reaches 8 at one of 65536; both were "checked"."""
    doms = built.inst.domains
    box = [s for s, d in doms.items() if d.lo is not None and d.hi is not None
           and not (d.open_lo or d.open_hi or d.integer or d.simplex) and d.lo < d.hi]
    if len(box) < 2:
        return []  # one parameter: its ends are among its special values already
    ends = {s: (sp.Rational(doms[s].lo), sp.Rational(doms[s].hi)) for s in box}
    rest = {s: v for s, v in base.items() if s not in ends}
    out = []
    for arg in kink_arguments(built)[:BOX_ARGUMENTS]:
        g = arg.xreplace(rest)
        if not g.free_symbols or not g.free_symbols <= set(box) or not g.is_polynomial(*box):
            continue
        for direction in (1, -1):
            slope = {s: sp.diff(g, s).xreplace(base) for s in g.free_symbols}
            start = {s: ends[s][1] if direction * slope.get(s, 0) > 0 else ends[s][0]
                     for s in box}
            for corner in (start, {s: rng.choice(ends[s]) for s in box}):
                point = {**base, **_ascend(g, corner, ends, direction)}
                if point not in out:
                    out.append(point)
    return out[:BOX_POINTS]


def _ascend(g: Any, corner: dict, ends: dict, direction: int) -> dict:
    """Coordinate ascent of direction·g over the vertices, from ``corner``."""
    here = dict(corner)
    for _ in range(BOX_PASSES):
        moved = False
        for s in g.free_symbols:
            low, high = (direction * g.xreplace({**here, s: e}) for e in ends[s])
            best = ends[s][1] if high > low else ends[s][0]
            if best != here[s] and max(low, high) > min(low, high):
                here[s], moved = best, True
        if not moved:
            break
    return here


def _identity_point(built: Built, base: dict) -> dict | None:
    """Every square matrix whose entries are parameters (free, symmetric, diagonal) at the
    identity: the equality case of many matrix inequalities (tr(AAᵀ) ≥ 2|det A| holds with
    equality at I), which no point with every parameter at one value reaches."""
    doms = built.inst.domains
    point, changed = dict(base), False
    for m in built.inst.env._values.values():
        if not isinstance(m, sp.MatrixBase) or m.rows != m.cols or m.rows < 2:
            continue
        for i in range(m.rows):
            for j in range(m.cols):
                e, v = m[i, j], sp.Integer(1 if i == j else 0)
                if e in doms and doms[e].contains(v):
                    point[e], changed = v, True
    return point if changed else None


def _kernel_point(built: Built, base: dict) -> dict | None:
    """Every square matrix at 𝟏vᵀ with v = (1, …, 1, 1 − n) and every vector at 𝟏: singular
    matrices with no zero entry, each vector in their kernel (and in vᵀ's). ‖Bx‖² > 0 for x ≠ 0
    and B without a zero entry fails at B = [[1, −1], [1, −1]], x = (1, 1), which neither the
    identity nor random entries (singular with probability 0) reach."""
    doms = built.inst.domains
    point, matrices = dict(base), False
    for m in built.inst.env._values.values():
        if not isinstance(m, sp.MatrixBase) or m.rows < 2:
            continue
        square = m.rows == m.cols
        if not (square or m.cols == 1):
            continue
        for i in range(m.rows):
            for j in range(m.cols):
                v = sp.Integer(1 - m.cols if square and j == m.cols - 1 else 1)
                e = m[i, j]
                if e in doms and doms[e].contains(v):
                    point[e] = v
                    matrices = matrices or square
    return point if matrices else None


def _one_symbol_zero_points(built: Built, base: dict) -> list[dict]:
    """For each matrix or vector of the claim, the point with its parameters at 0 (their
    nearest value to 0 in the domain) and every other at the base point: ‖Bx‖² > 0 for x ≠ 0
    fails at B = 0, which the point with every parameter 0 at once does not reach (x = 0
    breaks the assumption there)."""
    doms = built.inst.domains
    out = []
    for m in built.inst.env._values.values():
        if not isinstance(m, sp.MatrixBase) or m.rows * m.cols < 2:
            continue
        params = [e for e in m if e in doms]
        if params and len(params) < len(doms):
            out.append({**base, **{e: _nearest_zero(doms[e], base[e]) for e in params}})
    return out


# where a transcendental switch is looked for: 10^-k from each finite end (and 10^±k on an
# unbounded side), k up to SCAN_DECADES, and a few points across the middle
SCAN_DECADES = 400
SCAN_DIGITS = 60
NUMERIC_SCANS = 8  # per claim and size: a claim of 64 tanh kinks would scan for seconds


def numeric_switches(expr: Any, sym: Any, dom: Domain) -> list:
    """Rational points within 10^-50 (relative) of where a transcendental ``expr`` of one
    parameter changes sign: log s + log(1 − s) + 140 on (0, 1) switches near s = e^-140,
    which no special value reaches.  Sign changes are bracketed on a grid that crowds
    towards the domain's ends and bisected in 60-digit arithmetic; the points found are only
    candidates (every point is evaluated and audited as any other)."""
    if expr.free_symbols != {sym} or expr.has(sp.zoo, sp.nan):
        return []  # undefined here (log(p/q) at q = 0): no switch to bracket
    try:
        f = sp.lambdify(sym, expr, modules="mpmath")
    except (TypeError, ValueError, SyntaxError, KeyError):  # KeyError: a constant the
        return []  # printer has no name for
    with mpmath.workdps(SCAN_DIGITS):  # the ends too: 1/3 at 15 digits is not 1/3
        lo = None if dom.lo is None else mpmath.mpf(dom.lo.numerator) / dom.lo.denominator
        hi = None if dom.hi is None else mpmath.mpf(dom.hi.numerator) / dom.hi.denominator
        grid = sorted(set(_scan_grid(lo, hi)))
        signs = [_sign_at(f, x) for x in grid]
        out = []
        for (a, sa), (b, sb) in itertools.pairwise(zip(grid, signs, strict=True)):
            if sa and sb and sa != sb:
                root = _bisect(f, a, b, sa)
                if root is not None:
                    out.append(sp.Rational(mpmath.nstr(root, SCAN_DIGITS - 5, min_fixed=-1,
                                                       max_fixed=1)))
            if len(out) >= 4:
                break
    return [r for r in out if dom.contains(r)]


def _scan_grid(lo: Any, hi: Any) -> list:
    decades = [mpmath.mpf(10) ** -k for k in range(1, SCAN_DECADES + 1, 3)]
    if lo is not None and hi is not None:
        width = hi - lo
        return ([lo + width * d for d in decades] + [hi - width * d for d in decades]
                + [lo + width * k / 16 for k in range(1, 16)])
    mags = [mpmath.mpf(10) ** k for k in range(-SCAN_DECADES, SCAN_DECADES + 1, 3)]
    # and a plain grid of the first units: sin(x)/x ≥ −1/5 fails only on (4.1, 4.9), x log x ≥
    # −0.36 on (0.30, 0.44), both between two powers of ten
    mags += [mpmath.mpf(k) / 16 for k in range(1, 33)] + [mpmath.mpf(k) / 4 for k in range(9, 65)]
    if lo is None and hi is None:  # the whole line: ±10^±k, the plain grid, and 0
        return mags + [-m for m in mags] + [mpmath.mpf(0)]
    return [lo + m for m in mags] if lo is not None else [hi - m for m in mags]


def _value_at(f: Any, x: Any) -> Any:
    """f(x) if defined and finite there, else None."""
    try:
        v = f(x)
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        return None
    return v if isinstance(v, mpmath.mpf) and mpmath.isfinite(v) else None


def _sign_at(f: Any, x: Any) -> int:
    """The sign of f(x); 0 where f is 0 or undefined."""
    v = _value_at(f, x)
    return 0 if v is None or v == 0 else (1 if v > 0 else -1)


def _bisect(f: Any, a: Any, b: Any, sa: int) -> Any:
    """A point within 10^-50 of a sign change of f in [a, b] (geometric halving where the
    ends differ by orders of magnitude), None if f is undefined on the way."""
    for _ in range(400):
        geometric = a > 0 and b / a > 4 or b < 0 and a / b > 4
        m = (mpmath.sqrt(a * b) if a > 0 else -mpmath.sqrt(a * b)) if geometric else (a + b) / 2
        sm = _sign_at(f, m)
        if sm == 0:
            return m if _value_at(f, m) is not None else None
        if sm == sa:
            a = m
        else:
            b = m
        if abs(b - a) <= mpmath.mpf(10) ** -50 * max(abs(a), abs(b)):
            return (a + b) / 2
    return (a + b) / 2


def _beside(r: Any, dom: Domain) -> list:
    """Points on either side of a kink at r that a fixed nudge can miss: halfway to each
    end of the domain, and r(1 ± 10^-3).  relu(x − 10^-40) = x − 10^-40 for x > 0 fails on
    (0, 10^-40) only, where r − 10^-12 is outside the domain."""
    out = [r * (1 + sgn * sp.Rational(1, 1000)) for sgn in (1, -1)] if r != 0 else []
    for end in (dom.lo, dom.hi):
        if end is not None:
            out.append((r + sp.Rational(end.numerator, end.denominator)) / 2)
    return [q for q in out if q != r]


@dataclass(frozen=True)
class Evaluation:
    """Both sides at a point by the quick path: ``nonzero`` marks a *candidate* only."""

    defined: bool
    nonzero: bool
    exact: bool


def _finite(x: Any) -> bool:
    return x.is_finite is not False and not x.has(sp.zoo, sp.nan, sp.oo, -sp.oo)


DIGITS = 60  # starting precision of a transcendental residual; raised with the magnitudes
MAX_DIGITS = 1200  # values beyond 10^1200 (e^(10^30)) are skipped by the quick path
CANDIDATE = mpmath.mpf("1e-40")  # relative gap that makes a point worth a certified audit
_RATIONAL_FUNCTIONS = (sp.Max, sp.Min, sp.Abs, sp.sign, sp.Heaviside, sp.Piecewise)


def needs_numeric(m: sp.Matrix) -> bool:
    """Does evaluating at a rational point leave irrational values (exp, log, √, σ …)?"""
    for f in m.atoms(sp.Function):
        if not isinstance(f, _RATIONAL_FUNCTIONS):
            return True
    return any(not p.exp.is_Integer for p in m.atoms(sp.Pow))


def _mp_sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


def _mp_heaviside(x, h0=0.5):
    return mpmath.mpf(1) if x > 0 else (mpmath.mpf(0) if x < 0 else mpmath.mpf(h0))


def _mp_dirac(x, k=0):
    """DiracDelta (a second derivative of |·| or of a step): 0 away from 0, undefined at 0."""
    if x == 0:
        raise ValueError("DiracDelta at 0")
    return mpmath.mpf(0)


MP_FUNCTIONS = {"sigmoid": _mp_sigmoid, "Heaviside": _mp_heaviside, "DiracDelta": _mp_dirac}
# lambdify renders the whole expression into the function's docstring unless told not to:
# str() of a side at size 3 costs more than compiling it, and nobody reads that docstring
NO_DOCSTRING = -1


def compile_mp(built: Built):
    """Both sides as one mpmath function of the base symbols (cached on the build)."""
    if built.compiled is None:
        syms = sorted(built.inst.domains, key=str)
        try:
            fn = sp.lambdify(syms, [list(built.lhs), list(built.rhs)],
                             modules=[MP_FUNCTIONS, "mpmath"], printer=_mpmath_printer(),
                             docstring_limit=NO_DOCSTRING)
        except Exception:  # noqa: BLE001 - an expression lambdify cannot print: use evalf
            fn = None
        built.compiled = (syms, fn)
    return built.compiled


def _walked(built: Built, point: dict, values) -> tuple[list, list] | None:
    """Both sides' values by walking the trees (``pointwise``); None: compile instead."""
    if not built.walkable:
        return None
    try:
        found = values([*built.lhs, *built.rhs], point)
    except Unknown:
        built.walkable = False
        return None
    n = len(built.lhs)
    return found[:n], found[n:]


def _mp_sides(built: Built, point: dict, digits: int):
    with mpmath.workdps(digits):
        walked = _walked(built, point, mp_values)
    if walked is not None:
        return walked
    syms, fn = compile_mp(built)
    with mpmath.workdps(digits):
        if fn is not None:
            return fn(*[mpmath.mpf(sp.Rational(point[s]).p) / sp.Rational(point[s]).q
                        for s in syms])
        lhs = [sp.N(e.xreplace(point), digits) for e in built.lhs]
        rhs = [sp.N(e.xreplace(point), digits) for e in built.rhs]
        return ([mpmath.mpmathify(str(v)) for v in lhs], [mpmath.mpmathify(str(v)) for v in rhs])


def _evaluate_mp(built: Built, point: dict) -> Evaluation:
    digits = DIGITS
    for _ in range(2):  # a second pass at a precision that covers the magnitudes seen
        try:
            with mpmath.workdps(digits):
                lhs, rhs = _mp_sides(built, point, digits)
                pairs = [(mpmath.mpmathify(a), mpmath.mpmathify(b))
                         for a, b in zip(lhs, rhs, strict=True)]
        except (ZeroDivisionError, ValueError, TypeError, OverflowError):
            return Evaluation(False, False, False)
        if not all(isinstance(a, mpmath.mpf) and isinstance(b, mpmath.mpf) and
                   mpmath.isfinite(a) and mpmath.isfinite(b) for a, b in pairs):
            return Evaluation(False, False, False)  # complex or infinite: not a real point
        scale = max([mpmath.mpf(1)] + [max(abs(a), abs(b)) for a, b in pairs])
        magnitude = int(mpmath.log10(scale)) if scale > 1 else 0
        if magnitude + 50 <= digits:
            break
        if magnitude > MAX_DIGITS:
            return Evaluation(False, False, False)  # beyond any precision worth paying for
        digits = magnitude + 60
    with mpmath.workdps(digits):
        # above the rounding noise of this precision: worth a certified audit
        noise = mpmath.mpf(10) ** (15 - digits) * scale
        nonzero = any(abs(a - b) > noise for a, b in pairs)
    return Evaluation(True, nonzero, False)


def _evaluate_sequences(built: Built, point: dict) -> Evaluation:
    """Sides with sums over a sequence gₖ of symbolic length (claims over every step t):
    at the sampled t the sums are finite; expand them and give every gₖ a value."""
    try:
        sides = [m.xreplace(point).doit() for m in (built.lhs, built.rhs)]
        seq = {x: sequence_value(x) for m in sides for x in m.atoms(sp.Indexed)}
        lhs, rhs = (m.xreplace(seq) for m in sides)
    except (ZeroDivisionError, ValueError, TypeError):
        return Evaluation(False, False, True)
    nonzero, exact = False, True
    for a, b in zip(lhs, rhs, strict=True):
        if not (_finite(a) and _finite(b)) or a.free_symbols or b.free_symbols:
            return Evaluation(False, False, True)
        d = a - b
        if d.is_Rational:
            nonzero |= d != 0
            continue
        exact = False
        av, bv, dv = (sp.N(x, DIGITS) for x in (a, b, d))
        if not all(v.is_Number for v in (av, bv, dv)):
            return Evaluation(False, False, False)
        nonzero |= abs(dv) > sp.Float(CANDIDATE, DIGITS) * max(sp.Float(1), abs(av), abs(bv))
    return Evaluation(True, nonzero, exact)


def _heaviside(x, h0=Fraction(1, 2)):
    return 1 if x > 0 else (0 if x < 0 else h0)


def _sign(x):
    return (x > 0) - (x < 0)


_FRACTION_FUNCTIONS = {"Heaviside": _heaviside, "sign": _sign, "Max": max, "Min": min,
                       "Abs": abs, "Fraction": Fraction}


def _fraction_printer():
    from sympy.printing.pycode import PythonCodePrinter

    class FractionPrinter(PythonCodePrinter):
        """Rational constants as Fraction(p, q), not p/q (which Python makes a float)."""

        def _print_Rational(self, expr):
            return f"Fraction({expr.p}, {expr.q})"

        def _print_Half(self, expr):
            return "Fraction(1, 2)"

    # order "none": printing big sums unsorted is several times faster, and order is moot
    return FractionPrinter({"fully_qualified_modules": False, "inline": True,
                            "allow_unknown_functions": True, "user_functions": {},
                            "order": "none"})


def _mpmath_printer():
    from sympy.printing.pycode import MpmathPrinter

    return MpmathPrinter({"fully_qualified_modules": False, "inline": True,
                          "allow_unknown_functions": True, "user_functions": {},
                          "order": "none"})


def _evaluate_fractions(built: Built, point: dict) -> Evaluation | None:
    """Rational sides evaluated with Python's exact ``Fraction`` arithmetic: the same exact
    answer as substituting into the SymPy tree, many times faster.  ``None`` when the
    compiled form cannot be used (then the SymPy substitution decides)."""
    try:
        walked = _walked(built, point, fraction_values)
    except ZeroDivisionError:
        return Evaluation(False, False, True)
    if walked is not None:
        return Evaluation(True, any(a != b for a, b in zip(*walked, strict=True)), True)
    if built.exact_fn is None:
        syms = sorted(built.inst.domains, key=str)
        try:
            fn = sp.lambdify(syms, [list(built.lhs), list(built.rhs)],
                             modules=[_FRACTION_FUNCTIONS, "math"], printer=_fraction_printer(),
                             docstring_limit=NO_DOCSTRING)
        except Exception:  # noqa: BLE001 - anything lambdify cannot print: use xreplace
            fn = False
        built.exact_fn = (syms, fn)
    syms, fn = built.exact_fn
    if fn is False:
        return None
    try:
        args = [Fraction(int(sp.Rational(point[x]).p), int(sp.Rational(point[x]).q))
                for x in syms]
        lhs, rhs = fn(*args)
    except ZeroDivisionError:
        return Evaluation(False, False, True)
    except Exception:  # noqa: BLE001 - e.g. a float crept in: let SymPy decide
        return None
    if not all(isinstance(v, int | Fraction) for v in (*lhs, *rhs)):
        return None  # a float or an unevaluated object: not exact, let SymPy decide
    nonzero = any(a != b for a, b in zip(lhs, rhs, strict=True))
    return Evaluation(True, nonzero, True)


def evaluate(built: Built, point: dict) -> Evaluation:
    """Both sides at a rational point, quickly: a candidate to audit, never a verdict."""
    if built.sequences is None:
        built.sequences = any(m.has(sp.Sum, sp.Indexed) for m in (built.lhs, built.rhs))
    if built.sequences:
        return _evaluate_sequences(built, point)
    if built.numeric is None:
        built.numeric = needs_numeric(built.lhs) or needs_numeric(built.rhs)
    if built.numeric:
        return _evaluate_mp(built, point)
    fast = _evaluate_fractions(built, point)
    if fast is not None:
        return fast
    try:
        lhs = built.lhs.xreplace(point)
        rhs = built.rhs.xreplace(point)
    except (ZeroDivisionError, ValueError, TypeError):
        return Evaluation(False, False, True)
    nonzero = False
    for a, b in zip(lhs, rhs, strict=True):
        if not (_finite(a) and _finite(b)):
            return Evaluation(False, False, True)
        d = a - b
        if not d.is_Rational:  # e.g. a Piecewise left unevaluated: use the numeric path
            return _evaluate_mp(built, point)
        nonzero |= d != 0
    return Evaluation(True, nonzero, True)


def real_value(rng: random.Random, domain: Domain) -> float:
    """A random real in a symbol's domain, |v| in [0.2, 2] (the implementation check)."""
    if domain.simplex:
        return rng.uniform(0.05, 0.95) / domain.simplex
    if domain.integer:
        return float(rng.randint(int(domain.lo or 1), int(domain.lo or 1) + 5))
    if domain.lo is not None and domain.hi is not None:
        lo, hi = float(domain.lo), float(domain.hi)
        return lo + (hi - lo) * rng.uniform(0.05, 0.95)
    v = rng.uniform(0.2, 2.0)
    if domain.lo is not None:
        return float(domain.lo) + v
    if domain.hi is not None:
        return float(domain.hi) - v
    return v * rng.choice((-1, 1))
