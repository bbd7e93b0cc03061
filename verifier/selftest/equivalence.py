"""The mutants' judge: do a mutant's two sides agree at random real points?

Mutants are built from catalogue claims, whose sides are Python builders, so this judge
builds them from explicit matrices of plain scalar symbols (``symbolic.py``) and evaluates
them at 40 significant digits at random points where every assumption holds on the values
(``admissible.sample``), with none of the engine's strategies or parametrisations.  A
mutant whose sides agree at every point tried is *equivalent* (e.g. transposing a
symmetric side) and set aside; one whose sides differ is *counted*, and then any holding
verdict on it is unsound.
``condition_holds`` checks a condition the engine names the same way.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, replace
from typing import Any

from verifier.claim import Claim, parse_assumption
from verifier.selftest.admissible import Contradiction, sample
from verifier.selftest.symbolic import explicit_env, size_sets, substitution

__all__ = ["Classification", "Witness", "classify", "condition_holds"]

DIGITS = 40
AGREE = 1e-28  # relative: 40-digit evaluation of an identity leaves far less
DIFFER = 1e-12  # relative: this far apart is no rounding
POINTS = 6  # agreeing points per size before a mutant counts as equivalent
# piecewise sides (ReLU, max, |x|, indicators) can agree on a whole region, e.g. 1[z > 0]
# and 0 for every z < 0: 6 points miss the other half with probability 1/64, 24 with ~1e-7
POINTS_PIECEWISE = 24
TRIES = 40  # random points per size before giving up on finding a defined one
# errors that mean "this side cannot be built at these sizes" (a swap of factors whose
# shapes no longer fit), not "the judge is broken"
BUILD_ERRORS = (ValueError, TypeError, IndexError, AttributeError, ZeroDivisionError,
                NotImplementedError)


@dataclass(frozen=True)
class Witness:
    """A point where the two sides differ: sizes, some of the values, the worst entry."""

    sizes: dict[str, int]
    values: dict[str, str]
    entry: tuple[int, int]
    lhs: str
    rhs: str
    note: str = ""

    def __str__(self) -> str:
        if self.note:
            return f"{self.note} at sizes {self.sizes}"
        vals = ", ".join(f"{k}={v}" for k, v in list(self.values.items())[:8])
        more = " …" if len(self.values) > 8 else ""
        return (f"sizes {self.sizes}; {vals}{more}; entry {self.entry}: "
                f"lhs {self.lhs} vs rhs {self.rhs}")


@dataclass(frozen=True)
class Classification:
    status: str  # "differs" | "equivalent" | "ill-formed" | "unevaluable"
    witness: Witness | None = None
    detail: str = ""


def _gradient(env, claim: Claim) -> Any:
    """∂f/∂X entry by entry (X's shape; numerator layout: transposed)."""
    import sympy as sp

    f = claim.f(env)  # type: ignore[misc]
    if isinstance(f, sp.MatrixBase):
        f = f[0, 0]
    x = env[claim.wrt]  # type: ignore[index]
    if isinstance(x, sp.MatrixBase):
        g = sp.Matrix(x.shape[0], x.shape[1], lambda i, j: sp.diff(f, x[i, j]))
        return g.T if claim.layout == "numerator" else g
    return sp.diff(f, x)


def _as_matrix(x: Any):
    import sympy as sp

    if isinstance(x, sp.MatrixBase):
        return sp.Matrix(x)
    if isinstance(x, sp.MatrixExpr):
        return sp.Matrix(x.as_explicit())
    return sp.Matrix([[x]])


def _numbers(m) -> list | None:
    """The entries as real 40-digit numbers, or None where one is undefined or complex."""
    out = []
    for t in m:
        v = t.evalf(DIGITS)
        if not (v.is_Number and v.is_finite and v.is_real):
            return None
        out.append(v)
    return out


INDEX_COMBINATIONS = 27  # class labels: every combination up to this many, else a sample


def _index_assignments(claim: Claim, sizes: dict[str, int], rng: random.Random) -> list[dict]:
    """Values of the index symbols (class labels) to try: the sides may differ for one only."""
    import itertools

    names = [d.name for d in claim.symbols if d.kind == "index"]
    ranges = [range(d.dims[0] if isinstance(d.dims[0], int) else sizes[d.dims[0]])
              for d in claim.symbols if d.kind == "index"]
    combos = list(itertools.product(*ranges))
    if len(combos) > INDEX_COMBINATIONS:
        combos = rng.sample(combos, INDEX_COMBINATIONS)
    return [dict(zip(names, c, strict=True)) for c in combos]


def classify(claim: Claim, seed: int = 0) -> Classification:
    """Do the two sides of ``claim`` agree at random real points (its assumptions hold)?"""
    rng = random.Random(seed * 7919 + zlib.crc32(claim.id.encode()))
    agreed = 0
    for sizes in size_sets(claim):
        assignments = _index_assignments(claim, sizes, rng)
        for idx in assignments:
            found, good = _judge_at(claim, sizes, idx, rng, few=len(assignments) > 1)
            if found is not None:
                return found
            agreed += good
    if agreed == 0:
        return Classification("unevaluable", detail="no point where both sides are defined")
    return Classification("equivalent", detail=f"the sides agree at {agreed} random points")


def _at_random_point(claim: Claim, lm, rm, env, sizes: dict, rng: random.Random):
    """Both sides at a random admissible point (every assumption holds on its values, see
    ``admissible.sample``); then finite sums over a sequence gₖ (an IndexedBase, e.g.
    gradients over steps t) are expanded and every gₖ drawn.  None: no admissible point."""
    import sympy as sp

    try:
        # moderate values only: a fixed 40-digit evaluation of 1 − σ(3·10⁵) is all rounding
        sampled = sample(claim.symbols, claim.assumptions, sizes, rng, special=0.1, far=0.0,
                         int_max=9)
    except Contradiction:
        return None
    if sampled is None:
        return None
    point = substitution(claim, env, sampled)
    lx, rx = lm.xreplace(point), rm.xreplace(point)
    indexed = set().union(*(m.atoms(sp.Indexed) for m in (lx, rx)))
    if indexed:
        lx, rx = lx.doit(), rx.doit()
        for g in sorted(set().union(*(m.atoms(sp.Indexed) for m in (lx, rx))), key=str):
            point[g] = sp.Rational(rng.randint(-9, 9), rng.randint(1, 5))
        lx, rx = lx.xreplace(point), rx.xreplace(point)
    return point, lx, rx


def _judge_at(claim: Claim, sizes: dict, idx: dict, rng: random.Random, few: bool):
    """(a verdict if the sides differ or do not build, else None; agreeing points)."""
    import sympy as sp

    nonsmooth = (sp.Piecewise, sp.Heaviside, sp.Abs, sp.sign, sp.Max, sp.Min)
    env = explicit_env(claim, sizes, idx)
    try:
        lhs = _gradient(env, claim) if claim.kind == "gradient" else claim.lhs(env)
        lm, rm = _as_matrix(lhs), _as_matrix(claim.rhs(env))
    except BUILD_ERRORS as exc:  # e.g. swapped factors whose shapes no longer fit
        detail = f"a side cannot be built at {sizes} ({type(exc).__name__}: {exc})"
        return Classification("ill-formed", detail=detail), 0
    if lm.shape != rm.shape:
        note = f"shapes differ: lhs {lm.shape[0]}×{lm.shape[1]}, rhs " \
               f"{rm.shape[0]}×{rm.shape[1]}"
        return Classification("differs", Witness(sizes, {}, (0, 0), "", "", note)), 0
    piecewise = any(m.has(*nonsmooth) for m in (lm, rm))
    wanted = POINTS_PIECEWISE if piecewise else POINTS
    if few:  # many label combinations share the work
        wanted = max(2, wanted // 4)
    good = 0
    for _ in range(TRIES):
        drawn = _at_random_point(claim, lm, rm, env, sizes, rng)
        if drawn is None:
            break
        point, lx, rx = drawn
        lv, rv = _numbers(lx), _numbers(rx)
        if lv is None or rv is None:
            continue
        scale = max([sp.Float(1)] + [abs(v) for v in lv + rv])
        gaps = [abs(a - b) / scale for a, b in zip(lv, rv, strict=True)]
        worst = max(range(len(gaps)), key=lambda k: gaps[k]) if gaps else 0
        if gaps and gaps[worst] > DIFFER:
            values = {k: str(v) for k, v in idx.items()}
            values.update({str(s): sp.sstr(v) for s, v in point.items()})
            return Classification("differs", Witness(
                sizes, values, divmod(worst, lm.shape[1]),
                sp.sstr(lv[worst].evalf(12)), sp.sstr(rv[worst].evalf(12)))), good
        if gaps and gaps[worst] > AGREE:
            continue  # neither clearly equal nor clearly apart: another point
        good += 1
        if good >= wanted:
            break
    return None, good


def condition_holds(claim: Claim, condition: str, seed: int = 0) -> Classification:
    """Independently: do the sides agree when ``condition`` is imposed?"""
    if condition.endswith(" layout"):
        cond = replace(claim, layout=condition.split()[0])
    else:
        cond = claim.with_assumption(parse_assumption(condition, claim.id))
    return classify(cond, seed)
