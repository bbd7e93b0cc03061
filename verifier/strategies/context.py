"""One claim being decided: its seed, its builds, the points seen so far.

Every strategy receives the same ``Context``: it caches the explicit builds (by size, index
values and structure component), keeps the random generator, collects notes, and answers
"is the claim defined somewhere here?" (``witness``) for the proof strategies.
"""

from __future__ import annotations

import itertools
import random
import zlib
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from verifier import ops
from verifier.audit import BUILD_ERRORS as _BUILD_ERRORS
from verifier.audit import PointResult, as_matrix, evaluate_point
from verifier.certify import UndefinedValue, sign
from verifier.claim import Claim
from verifier.domains import (
    Contradictory,
    box_corners,
    discrete_count,
    discrete_symbols,
    discrete_value,
    entry_domain,
    extreme_cases,
    matrix_properties,
    sample_values,
    scalar_domain,
    signed_permutations,
    violated,
)
from verifier.instantiate import (
    Unsupported,
    both_sides,
    component_count,
    explicit,
    refutation_sizes,
)
from verifier.strategies.quick import NONSMOOTH, Built, atoms_of, evaluate, random_point

__all__ = ["BUILD_ERRORS", "VACUOUS", "Context", "size_key"]

# Errors that mean "this instantiation cannot be built", not "the engine is broken".
BUILD_ERRORS = _BUILD_ERRORS
# Errors that mean "no point of this instantiation is admissible or defined".
VACUOUS = (ops.Undefined, Contradictory)


def size_key(sizes: dict[str, int]) -> tuple:
    return tuple(sorted(sizes.items()))


MAX_INDEX_CASES = 256


def _free_indices(claim: Claim) -> frozenset[str] | None:
    """The index symbols used outside the sums that bind them, if every side is written in
    the claim language (None otherwise: a Python builder may use any index)."""
    sides = [claim.rhs, claim.f if claim.kind == "gradient" else claim.lhs]
    found: frozenset[str] = frozenset()
    for side in sides:
        free = getattr(side, "free_indices", None)
        if not isinstance(free, frozenset):
            return None
        found |= free
    return found


@dataclass
class Context:
    """One claim being decided: its seed, its builds (cached by size, index values and
    component), and the defined points seen so far (witnesses that it is not vacuous)."""

    claim: Claim
    seed: int = 0
    budget: float = 20.0  # seconds a single strategy may spend
    notes: list[str] = field(default_factory=list)
    _builds: dict = field(default_factory=dict)
    # size -> (sizes, values, index values) of points where both sides are defined
    candidates: dict = field(default_factory=dict)
    witnessed: dict = field(default_factory=dict)  # size -> PointResult that agreed
    unfinished: list[str] = field(default_factory=list)  # strategies that ran out of time
    # strategies that failed (a SymPy recursion, a bug): their error verdicts, in order; the
    # pipeline goes on, and reports the first only if nothing else decides
    failures: list = field(default_factory=list)
    # the general-dimension build, shared by the general strategies (False: none exists),
    # and what it required of its operands (for the definedness conditions)
    general_built: Any = None
    general_requirements: list | None = None
    # builds of one case (index values, labelling, component) whose residual a proof at a
    # size could not show to be 0: where a claim false at one case of many fails
    suspects: list = field(default_factory=list)

    def __post_init__(self) -> None:
        salt = zlib.crc32(self.claim.id.encode())
        self.rng = random.Random(self.seed * 1_000_003 + salt)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def build(
        self,
        sizes: dict[str, int],
        index_values: dict[str, int] | None = None,
        component: int = 0,
        partial: bool = False,
    ) -> Built:
        """Both sides as explicit matrices at these sizes (raises on shapes that do not fit,
        ``Unsupported`` without ``partial``, ``ops.Undefined`` when a side is undefined at
        every point of this component)."""
        key = (size_key(sizes), tuple(sorted((index_values or {}).items())), component,
               partial)
        if key not in self._builds:
            c = self.claim
            log: list = []
            token = ops.REQUIREMENTS.set(log)
            try:
                inst = explicit(c, sizes, index_values, component, partial)
                lhs, rhs = both_sides(inst, c)
                reqs = tuple((r.kind, inst.apply(sp.sympify(r.det if r.kind == "invertible"
                                                            else r.value)))
                             for r in log if r.kind not in ("kink", "unique max"))
                self._builds[key] = Built(
                    inst, as_matrix(lhs), as_matrix(rhs), requirements=reqs,
                    records=tuple(r for r in log if r.kind not in ("kink", "unique max")))
            except (*VACUOUS, Unsupported) as exc:
                self._builds[key] = exc
            finally:
                ops.REQUIREMENTS.reset(token)
        out = self._builds[key]
        if isinstance(out, Exception):
            raise out
        return out

    def components(self, sizes: dict[str, int], partial: bool = False) -> int:
        return component_count(self.claim, sizes, partial)

    def any_build(self) -> Built | None:
        """A build this context already made (the first), if any."""
        return next((b for b in self._builds.values() if isinstance(b, Built)), None)

    def index_symbols(self) -> list[tuple[str, int]]:
        """The index symbols whose value matters: every one, except those a claim written in
        the language only sums over (sum(e, i) binds i; its value outside is unused)."""
        free = _free_indices(self.claim)
        out = []
        for d in self.claim.symbols:
            if d.kind == "index" and (free is None or d.name in free):
                out.append((d.name, d.dims[0]))
        return out

    def index_assignments(self, sizes: dict[str, int],
                          limit: int = MAX_INDEX_CASES) -> list[dict[str, int]]:
        """Every value of every index symbol (a case split).  More than ``limit`` cases raise
        ``Unsupported``: a proof at these sizes must cover every case or stand down."""
        combos: list[dict[str, int]] = [{}]
        for name, dim in self.index_symbols():
            n = dim if isinstance(dim, int) else sizes[dim]
            combos = [dict(c, **{name: v}) for c in combos for v in range(n)]
            if len(combos) > limit:
                raise Unsupported(f"more than {limit} index cases at {sizes}")
        return combos

    def random_index(self, sizes: dict[str, int]) -> dict[str, int]:
        out = {}
        for name, dim in self.index_symbols():
            n = dim if isinstance(dim, int) else sizes[dim]
            out[name] = self.rng.randrange(n)
        return out

    def last_index(self, sizes: dict[str, int]) -> dict[str, int]:
        return {name: (dim if isinstance(dim, int) else sizes[dim]) - 1
                for name, dim in self.index_symbols()}

    def nonsmooth(self, built: Built) -> bool:
        return bool(atoms_of((*built.lhs, *built.rhs), tuple(NONSMOOTH)))

    # ----- concrete points -----

    def values_at(self, built: Built, point: dict) -> dict[str, Any]:
        """The declared symbols' concrete values at a point of the parameters."""
        out = {}
        for name, v in built.inst.symbol_values().items():
            out[name] = v.xreplace(point) if hasattr(v, "xreplace") else v
        return out

    def audit_point(self, built: Built, point: dict) -> PointResult:
        """The one predicate (``verifier.audit.evaluate_point``) at a parameter point."""
        values = self.values_at(built, point)
        result = evaluate_point(self.claim, built.inst.sizes, values, built.inst.index_values)
        if result.status == "agree":
            self.witnessed.setdefault(size_key(built.inst.sizes), result)
        return result

    def remember(self, built: Built, point: dict) -> None:
        """A point where the quick evaluation found both sides defined (not yet audited)."""
        key = size_key(built.inst.sizes)
        self.candidates.setdefault(key, (built, point))

    def extreme_points(self, sizes: dict[str, int], limit: int = 8) -> list[tuple[dict, dict]]:
        """Points with every binary or one-hot vector/matrix symbol at one of its extreme
        values (all 0, all 1, one class for every row) and every integer range at an end,
        the rest drawn: at a size with more labellings than are enumerated
        ((Σ y ≥ n)·1[n > 9] = 0 at n = 10) a random one is never the extreme one, nor is
        t = 50 among t in 1..n at n = 50."""
        names, choices = [], []
        for n, kind in discrete_symbols(self.claim).items():
            if self.claim.decls[n].kind not in ("scalar", "integer"):
                cases = [discrete_value(self.claim, n, sizes, k)
                         for k in extreme_cases(self.claim, n, sizes)]
            elif kind == "range":  # t in 1..n: (t >= 50) matters at t = n = 50 alone
                dom = scalar_domain(self.claim, n, sizes)
                cases = [sp.Integer(int(e)) for e in (dom.hi, dom.lo)
                         if e is not None and dom.contains(sp.Integer(int(e)))]
            else:
                continue
            if cases:
                names.append(n)
                choices.append(cases)
        out = []
        if names:
            for combo in itertools.islice(itertools.product(*choices), limit):
                values, idx = self.sample_point(sizes, 0.0, generic=True)
                values.update(zip(names, combo, strict=True))
                out.append((values, idx))
        return out + self._permutation_points(sizes) + self._corner_points(sizes)

    def _corner_points(self, sizes: dict[str, int]) -> list[tuple[dict, dict]]:
        """Points with every vector or matrix whose entries lie in a closed bounded
        interval at a vertex of its box (the rest drawn)."""
        boxes = []
        discrete = discrete_symbols(self.claim)
        simplex = {a.names[0] for a in self.claim.assumptions if a.kind == "sums to 1"}
        for d in self.claim.symbols:
            if d.kind not in ("vector", "matrix") or d.name in discrete or d.name in simplex:
                continue
            r, c = (x if isinstance(x, int) else sizes[x] for x in d.shape)
            corners = box_corners(entry_domain(self.claim, d.name), r * c, self.rng)
            if corners:
                boxes.append((d.name, r, c, corners))
        out = []
        for k in range(max((len(b[3]) for b in boxes), default=0)):
            values, idx = self.sample_point(sizes, 0.0, generic=True)
            for name, r, c, corners in boxes:
                entries = corners[k % len(corners)]
                values[name] = sp.Matrix(r, c, lambda i, j, e=entries, w=c: e[i * w + j])
            out.append((values, idx))
        return out

    def _permutation_points(self, sizes: dict[str, int]) -> list[tuple[dict, dict]]:
        """Points with one orthogonal matrix at a signed permutation of its structure (the
        rest drawn): rational Cayley parameters never reach a swap in a symmetric
        component, where a comparison on its entries can switch."""
        out = []
        for d in self.claim.symbols:
            if not d.is_square:
                continue
            n = sizes[d.dims[0]] if isinstance(d.dims[0], str) else d.dims[0]
            for perm in signed_permutations(matrix_properties(self.claim, d.name), n,
                                            self.rng):
                values, idx = self.sample_point(sizes, 0.0, generic=True)
                values[d.name] = perm
                out.append((values, idx))
        return out

    def labellings(self, sizes: dict[str, int]) -> tuple[list[str], int]:
        """The binary and one-hot vector/matrix symbols and how many joint values they have
        at these sizes."""
        names = [n for n in discrete_symbols(self.claim)
                 if self.claim.decls[n].kind not in ("scalar", "integer")]
        total = 1
        for n in names:
            total *= discrete_count(self.claim, n, sizes)
        return names, total

    def every_labelling(self, sizes: dict[str, int]) -> list[tuple[dict, dict]]:
        """A point per joint value of the binary and one-hot vector/matrix symbols (the rest
        drawn)."""
        names, _ = self.labellings(sizes)
        counts = [range(discrete_count(self.claim, n, sizes)) for n in names]
        out = []
        for combo in itertools.product(*counts):
            values, idx = self.sample_point(sizes, 0.0, generic=True)
            for n, k in zip(names, combo, strict=True):
                values[n] = discrete_value(self.claim, n, sizes, k)
            out.append((values, idx))
        return out

    def sample_point(self, sizes: dict[str, int], special: float,
                     generic: bool = False, last_index: bool = False) -> tuple[dict, dict]:
        """Concrete values for every symbol at these sizes, drawn directly (no build);
        ``last_index``: every free index at its last value (the one a smaller size lacks)."""
        idx = self.last_index(sizes) if last_index else self.random_index(sizes)
        values = sample_values(self.claim, sizes, idx, self.rng, special, generic)
        if last_index:  # an integer t in 1..T at T too: (t != 12) differs at T = 12 alone
            for name, kind in discrete_symbols(self.claim).items():
                if kind == "range" and self.claim.decls[name].kind in ("scalar", "integer"):
                    top = discrete_count(self.claim, name, sizes)
                    value = discrete_value(self.claim, name, sizes, top - 1) if top else None
                    if value is not None:
                        values[name] = value
        return values, idx

    def defined_at(self, built: Built, point: dict) -> bool:
        """Is the symbolic build defined at this point, certainly?  Its values are finite
        and real, every recorded requirement holds (determinants nonzero, logarithms of
        positive numbers, …) and the assumptions hold on the values."""
        if not evaluate(built, point).defined:
            return False
        for kind, expr in built.requirements:
            value = expr.xreplace(point)
            if value.free_symbols:
                continue  # about a builder's own formal variable; the sides decide
            try:
                sgn = sign(value)
            except UndefinedValue:
                return False
            if sgn is None or (sgn == 0 and kind in ("nonzero", "invertible", "positive")) \
                    or sgn < 0 and kind in ("positive", "nonnegative"):
                return False
        return not violated(self.claim, self.values_at(built, point))

    def witness(self, sizes: dict[str, int], tries: int = 10) -> PointResult | None:
        """A point at these sizes where the claim's symbolic build (the one a proof at these
        sizes covers) is certainly defined and the assumptions hold on the values."""
        key = size_key(sizes)
        if key in self.witnessed:
            return self.witnessed[key]
        seen = self.candidates.get(key)
        trials: list[tuple[Built, dict]] = [seen] if seen else []
        for k in range(tries):
            try:
                count = self.components(sizes, partial=True)
                built = self.build(sizes, self.random_index(sizes),
                                   k % count if count else 0, partial=True)
            except (*VACUOUS, Unsupported, *BUILD_ERRORS):
                continue
            trials.append((built, random_point(self.rng, built, 0.0 if k < tries // 2 else 0.3,
                                               generic=k < tries // 2)))
        for built, point in trials:
            if not built.inst.partial and self.defined_at(built, point):
                r = PointResult("agree", "the sides are defined here",
                                values=self.values_at(built, point), sizes=dict(sizes))
                self.witnessed[key] = r
                return r
        return None

    def witness_any(self) -> PointResult | None:
        """A defined point at any of the small sizes (a general proof is not vacuous)."""
        for sizes in refutation_sizes(self.claim):
            r = self.witness(sizes)
            if r is not None:
                return r
        return None
