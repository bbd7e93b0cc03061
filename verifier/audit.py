"""The one predicate: what do the two sides of a claim do at one concrete point?

``evaluate_point`` builds both sides from rational values given for every symbol (nothing
is trusted from the parametrisation that produced them) and answers

- ``violates``: the values break one of the claim's own assumptions (checked on the values);
- ``undefined``: a side has no value there (singular inverse, division by zero, log of a
  non-positive number, square root of a negative one, a derivative at a kink);
- ``differ``: both sides are defined and certainly differ (exactly, or an interval
  enclosure of the difference excludes 0 — ``verifier.certify``);
- ``agree``: both sides are defined and certainly agree (exactly, or to 1e-30 absolute);
- ``unknown``: none of these could be certified.

A counterexample is a point where the answer is ``differ``: every search, every shrink step,
every condition check and the engine's final audit ask this same function.
"""

from __future__ import annotations

import functools
import zlib
from dataclasses import dataclass
from typing import Any

import sympy as sp

from verifier import ops
from verifier.certify import UndefinedValue, compare_matrices, exact_real, sign
from verifier.claim import Claim
from verifier.domains import violated
from verifier.instantiate import (
    both_sides,
    concrete,
    explicit,
    refutation_sizes,
)

__all__ = [
    "PointResult",
    "audit",
    "differentiated",
    "evaluate_point",
    "parse_values",
    "sequence_value",
]

# a side that cannot be built at a size is malformed there, not false
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


@dataclass(frozen=True)
class PointResult:
    status: str  # differ | agree | undefined | violates | unknown
    reason: str = ""
    lhs: sp.Matrix | None = None
    rhs: sp.Matrix | None = None
    exact: bool = False
    values: dict | None = None  # the point itself (declared symbol -> rational value)
    sizes: dict | None = None

    @property
    def differs(self) -> bool:
        return self.status == "differ"


def as_matrix(x: Any) -> sp.Matrix:
    if isinstance(x, sp.MatrixBase):
        return sp.Matrix(x)
    if isinstance(x, sp.MatrixExpr):
        return sp.Matrix(x.as_explicit())
    return sp.Matrix([[x]])


def sequence_value(x: Any) -> sp.Rational:
    """A fixed small rational for an entry gₖ of a sequence (stable across runs)."""
    v = zlib.crc32(sp.srepr(x).encode()) % 13
    return sp.Rational(v - 6, 1) if v != 6 else sp.Rational(1, 2)


def _expand_sequences(m: sp.Matrix) -> sp.Matrix:
    """Finite sums over a sequence gₖ (at a concrete t): expand, give every gₖ a value."""
    if not m.has(sp.Sum, sp.Indexed, sp.Product):
        return m
    m = m.doit()
    seq = {x: sequence_value(x) for x in m.atoms(sp.Indexed)}
    return m.xreplace(seq)


@dataclass(frozen=True)
class SmallBuild:
    """The claim built once from symbols at its smallest buildable size: what it
    differentiates by, what it required of its operands (``ops.Requirement``), both sides."""

    sizes: dict
    instance: Any
    lhs: Any
    rhs: Any
    differentiated: frozenset[str]
    requirements: tuple


@functools.lru_cache(maxsize=512)
def small_build(claim: Claim) -> SmallBuild | None:
    names = {claim.wrt} if claim.kind == "gradient" and claim.wrt else set()
    for sizes in refutation_sizes(claim):
        seen: set = set()
        reqs: list = []
        token = ops.VARIABLES.set(seen)
        token_r = ops.REQUIREMENTS.set(reqs)
        try:
            inst = explicit(claim, sizes, partial=True)
            lhs, rhs = both_sides(inst, claim)
        except Exception:  # noqa: BLE001 - not buildable at this size: try the next
            continue
        finally:
            ops.VARIABLES.reset(token)
            ops.REQUIREMENTS.reset(token_r)
        for d in claim.symbols:
            v = inst.env._values.get(d.name)
            entries = list(v) if isinstance(v, sp.MatrixBase) else [v]
            if any(e in seen for e in entries):
                names.add(d.name)
        return SmallBuild(sizes, inst, as_matrix(lhs), as_matrix(rhs),
                          frozenset(n for n in names if n), tuple(reqs))
    return None


def differentiated(claim: Claim) -> frozenset[str]:
    b = small_build(claim)
    if b is not None:
        return b.differentiated
    return frozenset({claim.wrt}) if claim.kind == "gradient" and claim.wrt else frozenset()


def _language_only(claim: Claim) -> bool:
    """Are all of the claim's sides written in the claim language (so point-wise)?"""
    from verifier.language.evaluate import CompiledExpr

    sides = [claim.rhs, claim.f if claim.kind == "gradient" else claim.lhs]
    return all(isinstance(b, CompiledExpr) for b in sides)


@functools.lru_cache(maxsize=512)
def symbolic_names(claim: Claim) -> frozenset[str]:
    """The symbols to keep symbolic when a side is built at a point.

    The claim language only differentiates by symbols, so everything else can be given its
    value before building, which is fast at any size.  A Python builder may also use its
    symbols formally (an expectation over them, a recurrence solved in them): there the
    build from values must agree with the symbolic build at a sample point, or every symbol
    stays symbolic."""
    import random

    from verifier.domains import draw

    every = frozenset(d.name for d in claim.symbols if d.kind != "index")
    b = small_build(claim)
    if b is None:
        return every
    if _language_only(claim):
        return b.differentiated
    rng = random.Random(0)
    for _ in range(3):
        point = {s: draw(dom, rng, generic=True) for s, dom in b.instance.domains.items()}
        same = _same_at(claim, b.sizes, b.instance, point, b.lhs, b.rhs, b.differentiated)
        if same is not None:
            return b.differentiated if same else every
    return every


def _same_at(claim, sizes, inst, point, lhs, rhs, symbolic) -> bool | None:
    """Do the symbolic build and the build from values agree at this point?"""
    sym = (_expand_sequences(lhs.xreplace(point)), _expand_sequences(rhs.xreplace(point)))
    if any(e.free_symbols or e.has(sp.zoo, sp.nan) for m in sym for e in m):
        return None
    values = {k: (v.xreplace(point) if hasattr(v, "xreplace") else v)
              for k, v in inst.symbol_values().items()}
    try:
        quick = _sides_at(claim, sizes, values, inst.index_values, symbolic)
    except Exception:  # noqa: BLE001 - a builder that needs its symbols symbolic
        return False
    if quick is None:
        return False
    try:
        return all(compare_matrices(a, b).status == "agree" for a, b in zip(quick, sym,
                                                                            strict=True))
    except UndefinedValue:
        return None


def _sides_at(claim: Claim, sizes, values, idx, symbolic):
    """Both sides with the values substituted (None when a side is not a number there)."""
    lhs, rhs, _, point = _build(claim, sizes, values, idx, symbolic)
    if lhs.shape != rhs.shape:
        return None
    lhs, rhs = _expand_sequences(lhs.xreplace(point)), _expand_sequences(rhs.xreplace(point))
    if any(e.free_symbols or e.has(sp.zoo, sp.nan) for e in (*lhs, *rhs)):
        return None
    return lhs, rhs


def _build(claim: Claim, sizes, values, index_values, symbolic):
    inst, point = concrete(claim, sizes, values, symbolic, index_values)
    reqs: list = []
    token_r = ops.REQUIREMENTS.set(reqs)
    token_v = ops.VARIABLES.set(set())
    try:
        lhs, rhs = both_sides(inst, claim)
    finally:
        ops.REQUIREMENTS.reset(token_r)
        ops.VARIABLES.reset(token_v)
    return as_matrix(lhs), as_matrix(rhs), reqs, point


def _requirement_broken(req: ops.Requirement, point: dict, kinks: bool) -> str | None:
    """Why this requirement fails at the point (None: it holds, certainly)."""
    if req.kind in ("kink", "unique max") and not req.kinked():
        return None  # outside every derivative, or in no variable differentiated by
    if req.kind == "unique max":
        if not kinks:
            return None
        vals = [sp.sympify(v).xreplace(point) for v in req.value]
        if any(v.free_symbols for v in vals):
            return None
        top = vals[0]
        for v in vals[1:]:
            s = sign(v - top)
            if s is None:
                return "a tie in a max cannot be ruled out"
            if s > 0:
                top = v
        ties = sum(1 for v in vals if sign(v - top) != -1)
        return "a tie in a max (no derivative there)" if ties > 1 else None
    if req.kind == "kink" and not kinks:
        return None
    target = req.det if req.kind == "invertible" else req.value
    if target is None or isinstance(target, sp.MatrixExpr):
        return None  # a general-form requirement: the explicit build checks its own
    target = sp.sympify(target).xreplace(point) if point else sp.sympify(target)
    if target.free_symbols:
        return None  # about a builder's own formal variable, not this point: the sides decide
    s = sign(target)
    if s is None:
        return f"cannot tell whether a {req.what} argument is {req.kind}"
    if req.kind in ("nonzero", "invertible") and s == 0:
        return "the inverse of a singular matrix" if req.kind == "invertible" else \
            f"division by zero ({req.what})"
    if req.kind == "kink" and s == 0:
        return f"a kink of {req.what} (no derivative there)"
    if req.kind == "positive" and s <= 0:
        return f"{req.what} of a non-positive number"
    if req.kind == "nonnegative" and s < 0:
        return f"{req.what} of a negative number"
    return None


# SymPy decides a comparison of numbers (and picks a max or min) at the first precision its
# evalf gives, not by a certified sign: log σ(1000) < 0 is False to it (σ(1000) rounds to 1),
# so a side built at x = 1000 had its comparison collapsed to 0 before any certified
# evaluation, and a true claim was "refuted" with an "exact" residual
_RELATIONS = ((sp.StrictGreaterThan, lambda s: s > 0), (sp.GreaterThan, lambda s: s >= 0),
              (sp.StrictLessThan, lambda s: s < 0), (sp.LessThan, lambda s: s <= 0))


def _judged_wrongly(value: Any) -> bool:
    """Does SymPy decide some comparison of the number ``value`` with 0 that its certified
    sign does not confirm?  (A rational is compared exactly: never.)"""
    if not isinstance(value, sp.Basic) or value.free_symbols or value.is_Rational:
        return False
    try:
        s = sign(value)
    except UndefinedValue:
        return False  # the side is undefined here: the build or the comparison says so
    for relation, holds in _RELATIONS:
        try:
            judged = relation(value, 0)
        except (TypeError, ValueError, RecursionError):
            continue  # SymPy leaves it undecided: the certified evaluation decides it
        if judged in (sp.true, sp.false) and (s is None or bool(judged) != holds(s)):
            return True
    return False


def _misjudged(req: ops.Requirement, point: dict) -> str | None:
    """Why the build at this point cannot be trusted: a comparison, max or min whose
    argument SymPy judged by rounding (None: every such judgement is certified)."""
    if req.kind == "kink":
        values = [req.value]
    elif req.kind == "unique max":
        entries = list(req.value)  # sp.Max picks its entry by SymPy's comparisons too
        values = [a - b for i, a in enumerate(entries) for b in entries[i + 1:]]
    else:
        return None
    for v in values:
        if isinstance(v, sp.MatrixExpr):
            continue
        v = sp.sympify(v).xreplace(point) if point else sp.sympify(v)
        if _judged_wrongly(v):
            return (f"SymPy compares {req.what or 'a'} argument {v} with 0 by rounding, "
                    "and its certified sign does not confirm it")
    return None


def evaluate_point(
    claim: Claim,
    sizes: dict[str, int],
    values: dict[str, Any],
    index_values: dict[str, int] | None = None,
    deep: bool = False,
) -> PointResult:
    """Both sides at concrete rational values, built from scratch (see the module doc);
    ``deep``: agreement is confirmed at the highest precision (``certify.compare``)."""
    broken = violated(claim, values)
    if broken:
        return PointResult("violates", "the values break: " + ", ".join(broken))
    symbolic = symbolic_names(claim)
    try:
        lhs, rhs, reqs, point = _build(claim, sizes, values, index_values, symbolic)
    except ops.Undefined as exc:
        return PointResult("undefined", str(exc))
    except UndefinedValue as exc:
        return PointResult("undefined", str(exc))
    except ops.NotAVariable as exc:
        return PointResult("unknown", str(exc))
    except BUILD_ERRORS as exc:
        return PointResult("unknown", f"a side cannot be built here: {exc}")
    except RecursionError:
        return PointResult("unknown", "SymPy recursed without end building a side here")
    if lhs.shape != rhs.shape:
        return PointResult("unknown", "the sides have different shapes")
    kinks = bool(differentiated(claim))  # a derivative does not exist at a kink
    try:
        for req in reqs:
            why = _requirement_broken(req, point, kinks)
            if why:
                return PointResult("undefined", why)
            why = _misjudged(req, point)
            if why:
                return PointResult("unknown", why)
        if point:
            lhs, rhs = lhs.xreplace(point), rhs.xreplace(point)
        lhs, rhs = _expand_sequences(lhs), _expand_sequences(rhs)
        if any(e.free_symbols for e in (*lhs, *rhs)):
            return PointResult("unknown", "a side still has free symbols at the point")
        c = compare_matrices(lhs, rhs, deep)
    except UndefinedValue as exc:
        return PointResult("undefined", str(exc))
    except RecursionError:  # SymPy on a piecewise side at the point: no verdict here
        return PointResult("unknown", "SymPy recursed without end evaluating a side here")
    return PointResult(c.status, c.detail, lhs, rhs, c.exact, dict(values), dict(sizes))


# ----- counterexamples as reported -----


def _rational(text: Any) -> Any:
    """A printed value back to a number: a rational, or an exact real in closed form (√2, π/2:
    a root of a switch that only irrational points reach, ``strategies.irrational``)."""
    try:
        return sp.Rational(str(text))
    except (TypeError, ValueError):
        pass
    v = sp.sympify(str(text), rational=True)
    if not exact_real(v):
        raise ValueError(f"the value {text!r} is not an exact real number")
    return v


def parse_values(claim: Claim, values: dict[str, Any]) -> dict[str, Any]:
    """A counterexample's values (text, rows of text) back to rationals and matrices."""
    out: dict[str, Any] = {}
    for d in claim.symbols:
        if d.name not in values:
            continue
        v = values[d.name]
        if d.kind in ("vector", "matrix"):
            rows = v if isinstance(v, list) else [[v]]
            out[d.name] = sp.Matrix([[_rational(x) for x in row] for row in rows])
        else:
            out[d.name] = _rational(v)
    return out


def audit(claim: Claim, cx: Any) -> PointResult:
    """Re-decide a reported counterexample from its printed values alone."""
    try:
        values = parse_values(claim, cx.values)
    except (TypeError, ValueError, sp.SympifyError) as exc:
        return PointResult("unknown", f"the values cannot be read back: {exc}")
    missing = [d.name for d in claim.symbols if d.name not in values]
    if missing:
        return PointResult("unknown", f"no value for {', '.join(missing)}")
    idx = {d.name: int(values[d.name]) for d in claim.symbols if d.kind == "index"}
    return evaluate_point(claim, dict(cx.sizes), values, idx, deep=True)
