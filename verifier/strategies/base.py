"""What every strategy shares: the per-claim context, time limits, zero tests, evaluation.

Contract: a strategy is ``decide(ctx) -> Verdict | None``; ``None`` means "cannot decide,
try the next".  The verb in its name says how strong its answer can be: ``prove_*`` may
only prove, ``check_*``/``refute_*`` may only check or refute.
"""

from __future__ import annotations

import contextlib
import random
import signal
import threading
import zlib
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import mpmath
import sympy as sp

from verifier.claim import Claim
from verifier.instantiate import Instance, explicit, side_values

__all__ = [
    "Built",
    "Context",
    "StrategyTimeout",
    "fmt",
    "is_zero",
    "time_limit",
]

# Errors that mean "this instantiation cannot be built", not "the engine is broken".
BUILD_ERRORS = (
    sp.ShapeError,
    sp.NonSquareMatrixError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    ZeroDivisionError,
    NotImplementedError,
)


class StrategyTimeout(Exception):
    """A strategy used up its share of the claim's time."""


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise StrategyTimeout after ``seconds`` (main thread only; elsewhere no limit)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _alarm(signum, frame):
        raise StrategyTimeout()

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def as_matrix(x: Any) -> sp.Matrix:
    if isinstance(x, sp.MatrixBase):
        return sp.Matrix(x)
    if isinstance(x, sp.MatrixExpr):
        return sp.Matrix(x.as_explicit())
    return sp.Matrix([[x]])


@dataclass
class Built:
    inst: Instance
    lhs: sp.Matrix
    rhs: sp.Matrix
    numeric: bool | None = None  # irrational values at rational points (set on first use)
    sequences: bool | None = None  # sums over a sequence gₖ of symbolic length
    exact_fn: tuple | None = None  # (base symbols, Fraction-arithmetic function) on first use
    compiled: tuple | None = None  # (base symbols, mpmath function), compiled on first use

    @property
    def residual(self) -> sp.Matrix:
        return self.lhs - self.rhs


NONSMOOTH = (sp.Piecewise, sp.Heaviside, sp.Abs, sp.sign, sp.Max, sp.Min)


@dataclass
class Context:
    """One claim being decided: its seed, its builds (cached by size and index values)."""

    claim: Claim
    seed: int = 0
    budget: float = 20.0  # seconds a single strategy may spend
    notes: list[str] = field(default_factory=list)
    _builds: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        salt = zlib.crc32(self.claim.id.encode())
        self.rng = random.Random(self.seed * 1_000_003 + salt)

    def build(self, sizes: dict[str, int], index_values: dict[str, int] | None = None) -> Built:
        """Both sides as explicit matrices at these sizes (raises on shapes that do not fit)."""
        key = (tuple(sorted(sizes.items())), tuple(sorted((index_values or {}).items())))
        if key not in self._builds:
            c = self.claim
            inst = explicit(c, sizes, index_values)
            if c.kind == "gradient":
                lhs = side_values(inst, None, c, gradient_lhs=True)
            else:
                lhs = side_values(inst, c.lhs, c)
            rhs = side_values(inst, c.rhs, c)
            self._builds[key] = Built(inst, as_matrix(lhs), as_matrix(rhs))
        return self._builds[key]

    def index_symbols(self) -> list[tuple[str, int]]:
        out = []
        for d in self.claim.symbols:
            if d.kind == "index":
                out.append((d.name, d.dims[0]))
        return out

    def index_assignments(self, sizes: dict[str, int], limit: int = 64) -> list[dict[str, int]]:
        """Every value of every index symbol (a case split), up to ``limit`` cases."""
        combos: list[dict[str, int]] = [{}]
        for name, dim in self.index_symbols():
            n = dim if isinstance(dim, int) else sizes[dim]
            combos = [dict(c, **{name: v}) for c in combos for v in range(n)]
        return combos[:limit]

    def random_index(self, sizes: dict[str, int]) -> dict[str, int]:
        out = {}
        for name, dim in self.index_symbols():
            n = dim if isinstance(dim, int) else sizes[dim]
            out[name] = self.rng.randrange(n)
        return out

    def nonsmooth(self, built: Built) -> bool:
        return any(m.has(*NONSMOOTH) for m in (built.lhs, built.rhs))


# ----- Zero tests (proofs) -----


def _zero_ladder(e: Any) -> bool:
    """True only when ``e`` is shown to be identically 0; False means "not shown"."""
    if e == 0:
        return True
    try:
        if sp.expand(e) == 0:
            return True
        if sp.cancel(sp.together(e)) == 0:
            return True
        if e.has(sp.Function):
            r = e.rewrite(sp.exp)
            if sp.cancel(sp.together(sp.expand(r))) == 0:
                return True
            if e.has(sp.Piecewise):
                r = sp.piecewise_fold(r)
            if sp.simplify(r) == 0:
                return True
        if e.has(sp.Piecewise, sp.Abs, sp.Max, sp.Min, sp.Heaviside, sp.sign):
            # one Piecewise with every kink explicit; if every branch is 0 the whole is 0,
            # whatever the conditions (sound, and far cheaper than simplifying them)
            r = sp.piecewise_fold(e.rewrite(sp.Piecewise))
            if isinstance(r, sp.Piecewise) and (
                all(_branch_zero(branch) for branch, _ in r.args) or _regions_zero(r)
            ):
                return True
            if sp.simplify(r) == 0:
                return True
        return sp.simplify(e) == 0
    except StrategyTimeout:
        raise
    except Exception:  # noqa: BLE001 - a failing simplifier only means "not shown zero"
        return False


def _branch_zero(branch: Any) -> bool:
    return sp.expand(branch) == 0 or sp.cancel(sp.together(branch)) == 0


def _regions_zero(r: sp.Piecewise) -> bool:
    """A Piecewise in one real variable is 0 if each branch is 0 on the region where it
    applies (its condition minus the earlier ones): empty regions are skipped, and a branch
    that applies at finitely many points is checked at those points."""
    syms = r.free_symbols
    if len(syms) != 1:
        return False
    (x,) = syms
    covered = sp.EmptySet
    for branch, cond in r.args:
        here = cond.as_set().intersect(sp.S.Reals)
        region = sp.Complement(here, covered)
        covered = sp.Union(covered, here)
        if region is sp.EmptySet or _branch_zero(branch):
            continue
        if isinstance(region, sp.FiniteSet) and all(
            sp.expand(branch.subs(x, p)) == 0 for p in region
        ):
            continue
        return False
    return True


def is_zero(e: Any) -> bool:
    if isinstance(e, sp.MatrixBase):
        return all(_zero_ladder(x) for x in e)
    return _zero_ladder(e)


# ----- Sampling and evaluation -----

_ANY = [sp.Integer(v) for v in (-3, -2, -1, 1, 2, 3)] + [sp.Rational(1, 2), sp.Rational(-3, 2)]
_POS = [sp.Integer(v) for v in (1, 2, 3)] + [sp.Rational(1, 2), sp.Rational(3, 2)]


def sample_value(rng: random.Random, domain: tuple) -> sp.Rational:
    kind, data = domain
    if kind == "positive" or kind == "nonneg":
        return rng.choice(_POS)
    if kind == "negative":
        return -rng.choice(_POS)
    if kind == "integer":
        return sp.Integer(rng.randint(1, 5))
    if kind == "simplex":  # n entries of a probability vector: n−1 of these sum below 1
        return sp.Rational(rng.randint(1, 6), 7 * data)
    if kind == "interval":
        lo, hi, _, _ = data
        k = rng.randint(1, 6)
        return sp.nsimplify(lo) + (sp.nsimplify(hi) - sp.nsimplify(lo)) * sp.Rational(k, 7)
    return rng.choice(_ANY)


def real_value(rng: random.Random, domain: tuple) -> float:
    """A random real in a symbol's domain, |v| in [0.2, 2] (away from the kinks at 0)."""
    kind, data = domain
    if kind == "integer":
        return float(rng.randint(1, 6))
    if kind == "interval":
        lo, hi, _, _ = data
        return lo + (hi - lo) * rng.uniform(0.05, 0.95)
    if kind == "simplex":
        return rng.uniform(0.05, 0.95) / data
    v = rng.uniform(0.2, 2.0)
    if kind == "negative":
        return -v
    return v if kind in ("positive", "nonneg") else v * rng.choice((-1, 1))


def shrink_candidates(domain: tuple, allow_zero: bool) -> list[sp.Rational]:
    kind, data = domain
    if kind in ("positive", "nonneg"):
        return [sp.Integer(1)]
    if kind == "negative":
        return [sp.Integer(-1)]
    if kind == "integer":
        return [sp.Integer(1), sp.Integer(2)]
    if kind == "simplex":
        return [sp.Rational(1, data + 1)]
    if kind == "interval":
        lo, hi, _, _ = data
        return [sp.nsimplify((lo + hi) / 2)]
    return ([sp.Integer(0)] if allow_zero else []) + [sp.Integer(1), sp.Integer(-1)]


@dataclass(frozen=True)
class Evaluation:
    """A residual evaluated at a point: exactly when rational, else to high precision."""

    defined: bool
    nonzero: bool
    exact: bool
    lhs: sp.Matrix | None = None
    rhs: sp.Matrix | None = None


def _finite(x: Any) -> bool:
    return x.is_finite is not False and not x.has(sp.zoo, sp.nan, sp.oo, -sp.oo)


DIGITS = 60  # working precision for transcendental residuals
THRESHOLD = mpmath.mpf("1e-30")  # relative; far above the error of a 60-digit evaluation
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


_MP_FUNCTIONS = {"sigmoid": _mp_sigmoid, "Heaviside": _mp_heaviside}


def compile_mp(built: Built):
    """Both sides as one mpmath function of the base symbols (cached on the build)."""
    if built.compiled is None:
        syms = sorted(built.inst.domains, key=str)
        try:
            fn = sp.lambdify(syms, [list(built.lhs), list(built.rhs)],
                             modules=[_MP_FUNCTIONS, "mpmath"], printer=_mpmath_printer())
        except Exception:  # noqa: BLE001 - an expression lambdify cannot print: use evalf
            fn = None
        built.compiled = (syms, fn)
    return built.compiled


def _evaluate_mp(built: Built, point: dict) -> Evaluation:
    syms, fn = compile_mp(built)
    with mpmath.workdps(DIGITS):
        try:
            if fn is not None:
                lhs, rhs = fn(*[mpmath.mpf(sp.Rational(point[s]).p) / sp.Rational(point[s]).q
                                for s in syms])
            else:
                lhs = [sp.N(e.xreplace(point), DIGITS) for e in built.lhs]
                rhs = [sp.N(e.xreplace(point), DIGITS) for e in built.rhs]
                lhs = [mpmath.mpmathify(str(v)) for v in lhs]
                rhs = [mpmath.mpmathify(str(v)) for v in rhs]
        except (ZeroDivisionError, ValueError, TypeError, OverflowError):
            return Evaluation(False, False, False)
        nonzero = False
        for a, b in zip(lhs, rhs, strict=True):
            a, b = mpmath.mpmathify(a), mpmath.mpmathify(b)
            if not (isinstance(a, mpmath.mpf) and isinstance(b, mpmath.mpf)):
                return Evaluation(False, False, False)  # complex: not a real point
            if not (mpmath.isfinite(a) and mpmath.isfinite(b)):
                return Evaluation(False, False, False)
            scale = max(mpmath.mpf(1), abs(a), abs(b))
            nonzero |= abs(a - b) > THRESHOLD * scale
        shape = built.lhs.shape
        as_m = lambda vals: sp.Matrix(shape[0], shape[1],  # noqa: E731
                                      [sp.Float(str(v), 20) for v in vals])
        return Evaluation(True, nonzero, False, as_m(lhs), as_m(rhs))


def _sequence_value(x: Any) -> sp.Rational:
    """A fixed small rational for an entry gₖ of a sequence (stable across runs)."""
    v = zlib.crc32(sp.srepr(x).encode()) % 13
    return sp.Rational(v - 6, 1) if v != 6 else sp.Rational(1, 2)


def _evaluate_sequences(built: Built, point: dict) -> Evaluation:
    """Sides with sums over a sequence gₖ of symbolic length (claims over every step t):
    at the sampled t the sums are finite; expand them and give every gₖ a value."""
    try:
        sides = [m.xreplace(point).doit() for m in (built.lhs, built.rhs)]
        seq = {x: _sequence_value(x) for m in sides for x in m.atoms(sp.Indexed)}
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
        nonzero |= abs(dv) > sp.Float(THRESHOLD, DIGITS) * max(sp.Float(1), abs(av), abs(bv))
    return Evaluation(True, nonzero, exact, lhs, rhs)


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
    if built.exact_fn is None:
        syms = sorted(built.inst.domains, key=str)
        try:
            fn = sp.lambdify(syms, [list(built.lhs), list(built.rhs)],
                             modules=[_FRACTION_FUNCTIONS, "math"], printer=_fraction_printer())
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
    shape = built.lhs.shape
    as_m = lambda vals: sp.Matrix(shape[0], shape[1],  # noqa: E731
                                  [sp.Rational(v.numerator, v.denominator) if
                                   isinstance(v, Fraction) else sp.Integer(v) for v in vals])
    return Evaluation(True, nonzero, True, as_m(lhs), as_m(rhs))


def evaluate(built: Built, point: dict) -> Evaluation:
    """Substitute a rational point into both sides; decide whether they differ there."""
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
    return Evaluation(True, nonzero, True, lhs, rhs)


def off_kink(built: Built, point: dict, rng: random.Random) -> bool:
    """For a piecewise claim: do the sides still differ a hair away from this point?

    A difference only *at* a kink (a tie in a max, 0 in a ReLU) is a point where the
    derivative does not exist, not a counterexample to the formula.
    """
    nudged = {}
    for sym, v in point.items():
        kind = built.inst.domains[sym][0]
        if kind == "integer":
            nudged[sym] = v
        else:
            nudged[sym] = v + sp.Rational(rng.randint(1, 999), 10**6) * rng.choice((-1, 1))
    ev = evaluate(built, nudged)
    return ev.defined and ev.nonzero


# ----- Formatting values for reports -----


def fmt(x: Any, exact: bool = True) -> Any:
    """A value as text (scalar) or nested lists of text (matrix); 1×1 becomes a scalar."""
    if isinstance(x, sp.MatrixBase):
        if x.shape == (1, 1):
            return fmt(x[0, 0], exact)
        if x.shape[1] == 1:
            return [[fmt(x[i, 0], exact)] for i in range(x.shape[0])]
        return [[fmt(x[i, j], exact) for j in range(x.shape[1])] for i in range(x.shape[0])]
    if not exact:
        try:
            v = sp.N(x, 17)
            if v.is_Number:
                return f"{float(v):.10g}" if abs(v) > 1e-300 or v == 0 else sp.sstr(v)
        except (TypeError, ValueError):
            pass
    return sp.sstr(x)
