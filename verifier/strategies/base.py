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
import time
import zlib
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from verifier import ops
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
        if e.has(sp.Piecewise):
            if sp.simplify(sp.piecewise_fold(e)) == 0:
                return True
        return sp.simplify(e) == 0
    except StrategyTimeout:
        raise
    except Exception:  # noqa: BLE001 - a failing simplifier only means "not shown zero"
        return False


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
    if kind == "interval":
        lo, hi, _, _ = data
        k = rng.randint(1, 6)
        return sp.nsimplify(lo) + (sp.nsimplify(hi) - sp.nsimplify(lo)) * sp.Rational(k, 7)
    return rng.choice(_ANY)


def shrink_candidates(domain: tuple, allow_zero: bool) -> list[sp.Rational]:
    kind, data = domain
    if kind in ("positive", "nonneg"):
        return [sp.Integer(1)]
    if kind == "negative":
        return [sp.Integer(-1)]
    if kind == "integer":
        return [sp.Integer(1), sp.Integer(2)]
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


DIGITS = 50  # working precision for transcendental residuals
THRESHOLD = sp.Float("1e-30", DIGITS)  # far above the error bound of a 50-digit evaluation


def evaluate(built: Built, point: dict) -> Evaluation:
    """Substitute a rational point into both sides; decide whether they differ there."""
    try:
        lhs = built.lhs.xreplace(point)
        rhs = built.rhs.xreplace(point)
    except (ZeroDivisionError, ValueError, TypeError):
        return Evaluation(False, False, True)
    exact = True
    nonzero = False
    for a, b in zip(lhs, rhs, strict=True):
        if not (_finite(a) and _finite(b)):
            return Evaluation(False, False, True)
        d = a - b
        if d.is_Rational:
            nonzero |= d != 0
            continue
        exact = False
        try:
            av, bv = sp.N(a, DIGITS), sp.N(b, DIGITS)
            dv = sp.N(d, DIGITS)
        except (TypeError, ValueError, ZeroDivisionError):
            return Evaluation(False, False, False)
        if not all(v.is_Number for v in (av, bv, dv)):
            # complex or unevaluable (e.g. log of a negative): not a real point
            return Evaluation(False, False, False)
        scale = max(sp.Float(1), abs(av), abs(bv))
        nonzero |= abs(dv) > THRESHOLD * scale
    return Evaluation(True, nonzero, exact, lhs, rhs)


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


def clock() -> float:
    return time.perf_counter()
