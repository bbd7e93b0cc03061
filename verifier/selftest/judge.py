"""The independent judge: is the engine's verdict on a generated case sound?

It reads only the JSON form of a result (``Result.to_dict()``) and the case's claim text,
and uses none of the engine's strategies or instantiations: the claim is parsed by the
language's parser and evaluated by ``selftest.evaluate`` (exact rationals, else intervals).

- **A counterexample** (of ``refuted`` or ``conditional``, or the witness of a proved
  non-identity) is audited on its own values: every symbol has a value of its declared
  shape, every assumption holds on those values exactly, both sides are defined there, and
  the difference is certified nonzero: exactly, or by interval arithmetic whose precision
  is raised (128 to 8192 bits) until the sign of the difference is decided.
- **A condition** is checked at sizes 1 to 6: random points satisfying the claim's
  assumptions *and* the condition (``admissible.sample``), at which the sides must not
  certifiably differ; a condition no point satisfies is rejected.  That the claim is false
  without it is what the audited counterexample shows.
- **Any verdict** is compared with the case's ground truth (``cases.sound_statuses``).

A derivation is judged step by step and as a whole (a condition must make *every* step
hold).  An audited counterexample on a case whose ground truth says the sides are equal is
a *harness* error: the generator or the judge is wrong, and the run says so.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from verifier.claim import (
    MATRIX_PROPERTIES,
    SCALAR_PROPERTIES,
    Assumption,
    ClaimError,
    SymbolDecl,
    parse_assumption,
    parse_symbol,
)
from verifier.language import ClaimInputError
from verifier.language.parser import Scope, parse_expression
from verifier.language.tree import Call, Node, Symbol
from verifier.selftest.admissible import Contradiction, sample, violations
from verifier.selftest.arith import Arith, Uncertain, Undefined
from verifier.selftest.cases import HOLDING, Case, sound_statuses
from verifier.selftest.evaluate import Mat, Point, evaluate

__all__ = ["Audit", "Judgement", "Spec", "audit", "check_condition", "compare", "judge",
           "specs"]

PRECISIONS = (128, 512, 2048, 8192)  # bits; raised until the sign of a difference is decided
MAX_SIZE = 6  # conditions are checked at every size up to this
POINTS_PER_SIZE = 2


# ----- the claim as the judge reads it -----


@dataclass(frozen=True)
class Spec:
    """One claim (or derivation step) parsed: declarations, assumptions, both sides."""

    decls: tuple[SymbolDecl, ...]
    assumptions: tuple[Assumption, ...]
    lhs_text: str
    rhs_text: str
    layout: str = "denominator"

    @property
    def scope(self) -> Scope:
        return Scope({d.name: d for d in self.decls}, self.layout)

    @property
    def lhs(self) -> Node:
        return _parse(self.lhs_text, self.scope)

    @property
    def rhs(self) -> Node:
        return _parse(self.rhs_text, self.scope)

    @property
    def used(self) -> set[str]:
        return _symbols_in(self.lhs) | _symbols_in(self.rhs)

    @property
    def dims(self) -> list[str]:
        seen: dict[str, None] = {}
        for d in self.decls:
            for x in d.dims:
                if isinstance(x, str):
                    seen.setdefault(x)
        return list(seen)


_PARSED: dict[tuple[str, Any], Node] = {}


def _parse(text: str, scope: Scope) -> Node:
    key = (text, tuple(sorted((k, repr(v)) for k, v in scope.symbols.items())), scope.layout)
    if key not in _PARSED:
        _PARSED[key] = parse_expression(text, scope)
    return _PARSED[key]


def _symbols_in(node: Node) -> set[str]:
    out: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Symbol):
            out.add(n.name)
        for v in vars(n).values():
            if isinstance(v, Node):
                stack.append(v)
            elif isinstance(v, tuple):
                stack.extend(x for x in v if isinstance(x, Node))
        if isinstance(n, Call):
            stack.extend(n.args)
    return out


def specs(case: Case) -> list[Spec]:
    """The case's claim, or one spec per step of its derivation."""
    t = case.table
    decls = tuple(parse_symbol(k, v) for k, v in t["symbols"].items())
    assumptions = tuple(parse_assumption(a) for a in t.get("assume", []))
    layout = t.get("layout", "denominator")
    if "steps" in t:
        s = t["steps"]
        return [Spec(decls, assumptions, s[k], s[k + 1], layout) for k in range(len(s) - 1)]
    return [Spec(decls, assumptions, t["lhs"], t["rhs"], layout)]


# ----- one point -----


@dataclass(frozen=True)
class Comparison:
    status: str  # "differ" | "equal" | "undefined" | "uncertain"
    detail: str = ""


def compare(spec: Spec, point: Point) -> Comparison:
    """Both sides at the point: certified different, exactly equal, undefined, or neither."""
    last = "no precision decided it"
    for prec in PRECISIONS:
        ar = Arith(prec)
        try:
            values = _resolve(point, ar)
            lhs = evaluate(spec.lhs, values, ar, spec.layout)
            rhs = evaluate(spec.rhs, values, ar, spec.layout)
        except Undefined as exc:
            return Comparison("undefined", str(exc))
        except Uncertain as exc:
            last = str(exc)
            continue
        lm = lhs if isinstance(lhs, Mat) else Mat([[lhs]])
        rm = rhs if isinstance(rhs, Mat) else Mat([[rhs]])
        if lm.shape != rm.shape:
            return Comparison("differ", f"shapes differ: {lm.shape} and {rm.shape}")
        pending = False
        for k, (a, b) in enumerate(zip(lm.entries(), rm.entries(), strict=True)):
            try:
                s = ar.sign(ar.sub(a, b))
            except Uncertain:
                pending = True
                continue
            if s != 0:
                i, j = divmod(k, lm.shape[1])
                return Comparison("differ", f"entry ({i}, {j}): lhs {_show(a)}, rhs "
                                  f"{_show(b)} ({prec} bits)")
        if not pending:
            return Comparison("equal", "exactly equal")
        last = f"the difference encloses 0 at {prec} bits"
    return Comparison("uncertain", last)


def _show(x: Any) -> str:
    if isinstance(x, Fraction):
        s = str(x)
        return s if len(s) < 40 else f"{float(x):.6g}"
    try:
        return f"{float(x.mid):.6g}"
    except (AttributeError, TypeError, ValueError):
        return str(x)[:40]


class _Inexact:
    """A value the counterexample gives as an irrational expression: an interval per
    precision, from SymPy's evaluation to more digits than the precision needs."""

    def __init__(self, expr: Any):
        self.expr = expr

    def at(self, ar: Arith) -> Any:
        import sympy as sp

        digits = int(ar.prec * 0.302) + 10
        v = sp.N(self.expr, digits)
        text = sp.sstr(v, full_prec=True)
        mid = ar.ctx.mpf(text)
        err = abs(mid) * ar.ctx.mpf(10) ** (-(digits - 5)) + ar.ctx.mpf(10) ** (-(digits - 5))
        return ar.ctx.mpf([(mid - err).a, (mid + err).b])


def _resolve(point: Point, ar: Arith) -> Point:
    def one(x: Any) -> Any:
        return x.at(ar) if isinstance(x, _Inexact) else x

    if not any(isinstance(x, _Inexact) or (isinstance(x, Mat) and any(
            isinstance(e, _Inexact) for e in x.entries())) for x in point.values.values()):
        return point
    return Point({k: v.map(one) if isinstance(v, Mat) else one(v)
                  for k, v in point.values.items()}, point.sizes)


# ----- reading a counterexample -----


def _scalar(text: Any) -> Any:
    if isinstance(text, int | Fraction):
        return Fraction(text)
    t = str(text).strip()
    try:
        return Fraction(t)
    except (ValueError, ZeroDivisionError):
        pass
    import sympy as sp

    try:
        e = sp.sympify(t, rational=True)
    except (sp.SympifyError, SyntaxError, TypeError, ValueError) as exc:
        raise ValueError(f"cannot read the value {t!r}") from exc
    if e.free_symbols or not e.is_number:
        raise ValueError(f"the value {t!r} is not a number")
    if e.is_Rational:
        return Fraction(int(e.p), int(e.q))
    if e.is_real is False or e.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ValueError(f"the value {t!r} is not a finite real number")
    return _Inexact(e)


def _value(v: Any, decl: SymbolDecl | None) -> Any:
    if isinstance(v, list):
        rows = [r if isinstance(r, list) else [r] for r in v]
        return Mat([[_scalar(x) for x in r] for r in rows])
    x = _scalar(v)
    if decl is not None and decl.kind in ("vector", "matrix"):
        return Mat([[x]])  # a 1×1 matrix may be shown as its one entry
    return x


def read_point(spec: Spec, values: dict[str, Any], sizes: dict[str, int]) -> Point:
    """The counterexample's values and sizes; a missing size is read off a value's shape."""
    decls = {d.name: d for d in spec.decls}
    vals = {k: _value(v, decls.get(k)) for k, v in values.items()}
    sz = {k: int(v) for k, v in (sizes or {}).items()}
    for d in spec.decls:
        v = vals.get(d.name)
        if isinstance(v, Mat) and d.kind in ("vector", "matrix"):
            for dim, got in zip(d.shape, v.shape, strict=True):
                if isinstance(dim, str) and dim not in sz:
                    sz[dim] = got
    return Point(vals, sz)


@dataclass(frozen=True)
class Audit:
    ok: bool
    reason: str


def audit(spec: Spec, cex: dict[str, Any] | None) -> Audit:
    """Is this a genuine counterexample of the claim?  (See the module docstring.)"""
    if not cex:
        return Audit(False, "no counterexample is shown")
    try:
        point = read_point(spec, cex.get("values") or {}, cex.get("sizes") or {})
    except ValueError as exc:
        return Audit(False, str(exc))
    for d in spec.decls:
        if d.name in point.values:
            continue
        assumed = any(d.name in a.names for a in spec.assumptions)
        if d.name in spec.used or assumed:
            return Audit(False, f"no value for {d.name}")
    for dim in spec.dims:
        if dim not in point.sizes:
            return Audit(False, f"no size for the dimension {dim}")
    if any(v < 1 for v in point.sizes.values()):
        return Audit(False, f"a size below 1: {point.sizes}")
    bad = violations(spec.decls, spec.assumptions, point)
    if bad:
        return Audit(False, "; ".join(bad))
    c = compare(spec, point)
    if c.status == "differ":
        return Audit(True, f"certified: {c.detail}")
    if c.status == "undefined":
        return Audit(False, f"a side is undefined there ({c.detail})")
    if c.status == "equal":
        return Audit(False, "the sides are equal there")
    return Audit(False, f"the difference is not certified ({c.detail})")


# ----- conditions -----


@dataclass(frozen=True)
class ConditionCheck:
    ok: bool | None  # None: the judge cannot sample under it
    reason: str


def _condition_specs(base: Sequence[Spec], condition: str) -> list[Spec] | str:
    """The specs with the condition imposed, or why the condition is not one."""
    if condition in ("numerator layout", "denominator layout"):
        layout = condition.split()[0]
        out = [replace(s, layout=layout) for s in base]
        try:
            for s in out:
                s.lhs, s.rhs  # noqa: B018 - parsing checks the shapes under the layout
        except ClaimInputError as exc:
            return f"under {condition} the claim does not parse: {exc}"
        return out
    try:
        a = parse_assumption(condition)
    except ClaimError as exc:
        return f"not an assumption: {exc}"
    decls = {d.name: d for d in base[0].decls}
    for name in a.names:
        if name not in decls:
            return f"the condition names {name}, which the claim does not declare"
    d = decls[a.names[0]]
    if a.kind in MATRIX_PROPERTIES and not d.is_square:
        return f"{a.kind} needs a square matrix; {d!r}"
    if a.kind in SCALAR_PROPERTIES + ("interval",) and d.kind not in ("scalar", "vector"):
        return f"{a.kind} needs a scalar or a vector (every entry); {d!r}"
    if a.kind == "commute" and not (d.is_square and decls[a.names[1]].dims == d.dims):
        return "commute needs two square matrices of one size"
    return [replace(s, assumptions=s.assumptions + (a,)) for s in base]


def size_plan(spec: Spec, rng: random.Random, max_size: int = MAX_SIZE) -> list[dict]:
    dims = spec.dims
    if not dims:
        return [{}]
    plan = [dict.fromkeys(dims, k) for k in range(1, max_size + 1)]
    for _ in range(2 * len(dims) + 2 if len(dims) > 1 else 0):
        plan.append({d: rng.randint(1, max_size) for d in dims})
    out: list[dict] = []
    for p in plan:
        if p not in out:
            out.append(p)
    return out


def check_condition(base: Sequence[Spec], condition: str, seed: int = 0,
                    points: int = POINTS_PER_SIZE) -> ConditionCheck:
    """Does ``condition`` make every spec hold at sizes up to 6 (sampled, certified)?"""
    cond = _condition_specs(base, condition)
    if isinstance(cond, str):
        return ConditionCheck(False, cond)
    rng = random.Random(seed)
    checked = contradictions = unsampled = 0
    for k, spec in enumerate(cond, start=1):
        plan = size_plan(spec, rng)
        # a claim of fixed sizes has one size to look at: as many points there as the
        # sizes 1 to 6 would get (a swap among the symmetric orthogonal 2×2 matrices)
        per_size = points * (MAX_SIZE if len(plan) == 1 else 1)
        for sizes in plan:
            for _ in range(per_size):
                try:
                    point = sample(spec.decls, spec.assumptions, sizes, rng)
                except Contradiction:
                    contradictions += 1
                    break
                if point is None:
                    unsampled += 1
                    continue
                c = compare(spec, point)
                if c.status == "differ":
                    where = f"step {k}, " if len(cond) > 1 else ""
                    return ConditionCheck(False, f"under {condition} the sides still differ "
                                          f"({where}sizes {sizes}: {c.detail}; at "
                                          f"{_point_text(point)})")
                checked += c.status != "undefined"
    if checked:
        return ConditionCheck(True, f"no difference at {checked} admissible points, sizes "
                              f"up to {MAX_SIZE}")
    if contradictions and not unsampled:
        return ConditionCheck(False, f"{condition} contradicts the claim's assumptions: no "
                              "admissible point at sizes up to 6")
    return ConditionCheck(None, f"the judge found no point satisfying the assumptions and "
                          f"{condition}")


def _point_text(point: Point, limit: int = 6) -> str:
    parts = []
    for k, v in list(point.values.items())[:limit]:
        if isinstance(v, Mat):
            parts.append(f"{k}={[[str(x) for x in r] for r in v.rows]}")
        else:
            parts.append(f"{k}={v}")
    return ", ".join(parts)


# ----- a verdict against the ground truth -----


@dataclass(frozen=True)
class Judgement:
    """The judge's finding on one case: sound, unsound (why), harness error, unjudged."""

    case: str
    status: str  # the engine's verdict
    sound: bool
    reason: str = ""
    harness: str = ""  # ground truth contradicted by a certified counterexample
    unjudged: str = ""  # a part the judge could not decide
    method: str = ""
    detail: str = ""


def _verdict_of(claim_kind: str, sides: str, spec_list: Sequence[Spec], v: dict,
                seed: int) -> tuple[bool, str, str, str]:
    """(sound, reason, harness, unjudged) for one claim or step verdict."""
    status = v["verdict"]
    sound = status in sound_statuses(claim_kind, sides)
    reason = "" if sound else f"{_truth_words(claim_kind, sides)} reported {status}"
    harness = unjudged = ""
    cex = v.get("counterexample")
    needs_cex = (status in ("refuted", "conditional") and claim_kind != "non-identity") or (
        claim_kind == "non-identity" and status in HOLDING)
    if needs_cex:
        results = [audit(s, cex) for s in spec_list]
        good = next((a for a in results if a.ok), None)
        if good is None:
            why = results[0].reason if len(results) == 1 else "; ".join(
                f"step {k}: {a.reason}" for k, a in enumerate(results, start=1))
            sound, reason = False, (reason + "; " if reason else "") + \
                f"the counterexample is not genuine: {why}"
        elif sides in ("equal", "vacuous", "undefined") and claim_kind != "non-identity" or (
                claim_kind == "non-identity" and sides != "differ"):
            harness = f"ground truth says {sides}, but a counterexample is certified " \
                      f"({good.reason})"
    if status == "conditional" and sound:
        cond = v.get("condition") or ""
        met = _counterexample_meets(spec_list, cond, cex)
        check = check_condition(spec_list, cond, seed) if not met else None
        if met:
            sound, reason = False, f"condition '{cond}' does not make it hold: {met}"
        elif check.ok is False:
            sound, reason = False, f"condition '{cond}' does not make it hold: {check.reason}"
        elif check.ok is None:
            unjudged = check.reason
    return sound, reason, harness, unjudged


def _counterexample_meets(spec_list: Sequence[Spec], condition: str, cex: Any) -> str:
    """Why the verdict's own counterexample is one of the claim under the condition too
    (then the condition cannot make it hold: "holds if A symmetric" for a window in tr A
    with A positive definite, which random points under it never enter), or ""."""
    cond = _condition_specs(spec_list, condition)
    if isinstance(cond, str) or not cex or not cex.get("values"):
        return ""
    for k, spec in enumerate(cond, start=1):
        a = audit(spec, cex)
        if a.ok:
            where = f" (step {k})" if len(cond) > 1 else ""
            return f"the counterexample satisfies it and still differs{where}: {a.reason}"
    return ""


def _truth_words(kind: str, sides: str) -> str:
    if kind == "non-identity":
        return {"equal": "a false non-identity (the sides are equal)",
                "differ": "a true non-identity",
                "undefined": "a non-identity undefined everywhere",
                "vacuous": "a vacuous non-identity"}[sides]
    return {"equal": "a true claim", "differ": "a false claim",
            "undefined": "a claim undefined at every admissible point",
            "vacuous": "a vacuous claim (contradictory assumptions)"}[sides]


def _step_of(detail: str) -> int | None:
    m = re.match(r"step (\d+)", detail or "")
    return int(m.group(1)) if m else None


def judge(case: Case, result: dict[str, Any], seed: int = 0) -> Judgement:
    """Judge the engine's result (``Result.to_dict()``) on a generated case."""
    status = result["verdict"]
    base = dict(case=case.id, status=status, method=result.get("method") or "",
                detail=(result.get("detail") or "")[:300])
    try:
        spec_list = specs(case)
    except (ClaimError, ClaimInputError) as exc:
        return Judgement(sound=False, harness=f"the judge cannot read the case: {exc}", **base)
    if not case.is_derivation:
        sound, reason, harness, unjudged = _verdict_of(case.kind, case.sides, spec_list,
                                                       result, seed)
        return Judgement(sound=sound, reason=reason, harness=harness, unjudged=unjudged,
                         **base)
    problems, harnesses, unjudged_all = [], [], []
    steps = result.get("steps") or []
    for k, (spec, sides) in enumerate(zip(spec_list, case.step_sides, strict=True), start=1):
        sv = steps[k - 1] if k - 1 < len(steps) else None
        if sv is None:
            continue
        sound, reason, harness, unjudged = _verdict_of("identity", sides, [spec], sv, seed)
        if not sound:
            problems.append(f"step {k}: {reason}")
        if harness:
            harnesses.append(f"step {k}: {harness}")
        if unjudged:
            unjudged_all.append(f"step {k}: {unjudged}")
    # the chain as a whole: a counterexample of the step it names; a condition for all steps
    named = _step_of(result.get("detail") or "")
    scope = [spec_list[named - 1]] if named and named <= len(spec_list) else spec_list
    sound, reason, harness, unjudged = _verdict_of("identity", case.sides, scope, result, seed)
    if status == "conditional" and sound:
        check = check_condition(spec_list, result.get("condition") or "", seed)
        if check.ok is False:
            sound, reason = False, f"condition '{result.get('condition')}' does not make " \
                f"every step hold: {check.reason}"
    if not sound:
        problems.insert(0, f"the chain: {reason}")
    if harness:
        harnesses.append(f"the chain: {harness}")
    if unjudged:
        unjudged_all.append(unjudged)
    return Judgement(sound=not problems, reason="; ".join(problems),
                     harness="; ".join(harnesses), unjudged="; ".join(unjudged_all), **base)


def find_witness(spec: Spec, seed: int = 0, points: int = 4) -> Point | None:
    """A point where the sides certifiably differ, by sampling (the tests use it to confirm
    a generator's "differ")."""
    rng = random.Random(seed)
    for sizes in size_plan(spec, rng):
        for _ in range(points):
            try:
                point = sample(spec.decls, spec.assumptions, sizes, rng)
            except Contradiction:
                break
            if point is not None and compare(spec, point).status == "differ":
                return point
    return None


def witness_values(point: Point) -> dict[str, Any]:
    """A point in the counterexample format (values as text, matrices as rows)."""
    out: dict[str, Any] = {}
    for k, v in point.values.items():
        out[k] = [[str(x) for x in r] for r in v.rows] if isinstance(v, Mat) else str(v)
    return {"values": out, "sizes": dict(point.sizes)}

