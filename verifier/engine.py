"""The only control flow across strategies: decide one claim or derivation.

``decide_claim`` runs the strategies in order (shapes, refutation, general proofs, proofs at
sizes, numeric evidence), then the larger sizes for a verdict that rests on fixed ones, the
condition search when a claim is refuted, and a final audit of every counterexample.  Its
time is split in phases so that a slow proof never costs the evidence: proofs stop at 60 %
of the claim's time, numeric evidence and the larger sizes at 85 %, and the best verdict so
far is reported as progress (``verifier.pool`` keeps it if the worker is ended).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import sympy as sp

from verifier.audit import audit
from verifier.claim import Claim, ClaimError, Derivation, Entry
from verifier.convention import convention_verdict
from verifier.definedness import requirements
from verifier.domains import Contradictory, entry_domain, scalar_domain
from verifier.strategies import PIPELINE, PROOFS
from verifier.strategies.conditions import candidates
from verifier.strategies.context import Context
from verifier.strategies.degenerate import both_sides_vanish, says_a_side_vanishes
from verifier.strategies.exact import refute_exact
from verifier.strategies.general import build_general
from verifier.strategies.larger import describe, refute_at_larger_sizes
from verifier.strategies.shapes import check_shapes
from verifier.strategies.timing import StrategyTimeout, clock, time_limit
from verifier.sympy_adjust import held_long_powers
from verifier.verdict import HOLDING, ImplementationCheck, Requirement, Result, StepResult, Verdict
from verifier.verdict import as_expected as matches

__all__ = ["Options", "decide", "decide_claim"]


@dataclass(frozen=True)
class Options:
    seed: int = 0
    timeout: float = 60.0  # seconds per entry, wall clock, enforced by ending the worker
    jobs: int = 0  # 0: one per core
    memory_limit: int | None = None  # bytes of address space per worker
    conditions: bool = True  # search for a condition when a claim is refuted

    @property
    def strategy_budget(self) -> float:
        return max(2.0, self.timeout / 3)


Strategy = Callable[[Context], Verdict | None]
Progress = Callable[[Any], None]

# strategies that gather evidence rather than proofs: they run in the time kept for them
EVIDENCE = ("refute_special", "check_numeric")


@dataclass(frozen=True)
class Phases:
    """When each phase of one claim must end (CPU seconds, ``timing.clock``)."""

    proofs: float  # refutation and proofs
    evidence: float  # numeric evidence, larger sizes, conditions; then the result is sent

    @staticmethod
    def starting(timeout: float) -> Phases:
        now = clock()
        return Phases(now + 0.6 * timeout, now + 0.85 * timeout)

    def until(self, strategy: Strategy) -> float:
        return self.evidence if strategy.__name__ in EVIDENCE else self.proofs


def _attempt(strategy: Strategy, ctx: Context, budget: float) -> Verdict | None:
    """Run one strategy. Bad input (a ``ClaimError``) is an ``error`` verdict that names it;
    a failure of the strategy itself (a recursion, out of memory, a bug) is kept in
    ``ctx.failures`` and noted, and the next strategy may still decide (each is sound alone)."""
    name = strategy.__name__
    try:
        with time_limit(budget):
            return strategy(ctx)
    except StrategyTimeout:
        ctx.notes.append(f"{name} ran out of its {budget:.0f} s")
        ctx.unfinished.append(name)
        return None
    except ClaimError as exc:
        return Verdict("error", name, detail=str(exc))
    except RecursionError:
        why = "recursion too deep (expression too large)"
    except MemoryError:
        why = "out of memory"
    except Exception as exc:  # noqa: BLE001 - a strategy bug must not end the run
        why = f"{type(exc).__name__}: {exc}"
    ctx.failures.append(Verdict("error", name, detail=why))
    ctx.notes.append(f"{name} failed: {why}")
    return None


def _decide_once(claim: Claim, opts: Options, pipeline: Sequence[Strategy],
                 phases: Phases, started: float, ctx: Context | None = None) -> Verdict:
    """The first strategy that decides; a proof that runs out of time leaves the evidence
    strategies their own time, and their verdict says which proof did not finish."""
    ctx = ctx or Context(claim, seed=opts.seed, budget=opts.strategy_budget)
    for strategy in pipeline:
        budget = min(opts.strategy_budget, phases.until(strategy) - clock())
        if budget < 0.2:
            ctx.note(f"no time left for {strategy.__name__}")
            ctx.unfinished.append(strategy.__name__)
            continue
        verdict = _attempt(strategy, ctx, budget)
        if verdict is not None:
            if verdict.holds and ctx.unfinished and verdict.status != "proved":
                spent = clock() - started
                verdict = replace(verdict, detail=f"{verdict.detail}; proof not finished in "
                                  f"{spent:.0f} s ({', '.join(ctx.unfinished)})")
            return verdict
    if ctx.failures:  # nothing decided, and a strategy failed: the verifier's own error
        first = ctx.failures[0]
        return replace(first, detail="; ".join(ctx.notes))
    detail = "; ".join(ctx.notes) or "no strategy could prove or refute it"
    return Verdict("undecided", "engine", detail=detail)


def _larger_sizes(claim: Claim, verdict: Verdict, opts: Options, deadline: float,
                  require_larger: bool = False) -> Verdict:
    """A verdict resting on fixed sizes is followed by certified points at sizes up to 6.
    ``require_larger`` (a condition's evidence): without a point agreeing at a larger size,
    the verdict is ``undecided`` (a claim refuted at n = 4 is not mended by a condition
    checked at n = 2, 3 only)."""
    if verdict.status not in ("proved-at-sizes", "checked") or not claim.dims or claim.sizes:
        return verdict
    ctx = Context(claim, seed=opts.seed, budget=opts.strategy_budget)
    budget = min(opts.strategy_budget, deadline - clock())
    if budget < 0.2:
        detail = f"{verdict.detail}; larger sizes not checked (no time left)"
        if require_larger:  # evidence for a condition: the fixed sizes alone are not enough
            return Verdict("undecided", verdict.method, detail=detail)
        return replace(verdict, detail=detail)
    found: list = []

    def refute_larger_sizes(ctx: Context) -> Verdict | None:
        refutation, agreed = refute_at_larger_sizes(ctx)
        found.append(agreed)
        return refutation

    refutation = _attempt(refute_larger_sizes, ctx, budget)
    if refutation is not None and refutation.status == "refuted":
        return refutation
    if not found or not found[0]:
        detail = (f"{verdict.detail}; larger sizes not checked "
                  f"({'; '.join(ctx.notes) or 'no defined point found'})")
        if require_larger:  # evidence for a condition: the fixed sizes alone are not enough
            return Verdict("undecided", verdict.method, detail=detail)
        return replace(verdict, detail=detail)
    return replace(verdict, detail=f"{verdict.detail}; no counterexample at larger sizes "
                   f"({describe(found[0])})")


def _decide_checked(claim: Claim, opts: Options, pipeline: Sequence[Strategy],
                    phases: Phases, started: float,
                    progress: Callable[[Verdict], None] | None = None,
                    ctx: Context | None = None, require_larger: bool = False) -> Verdict:
    """The pipeline, then the larger sizes for a verdict that rests on fixed sizes."""
    verdict = _decide_once(claim, opts, pipeline, phases, started, ctx)
    if progress is not None and verdict.holds:
        progress(replace(verdict, detail=f"{verdict.detail}; larger sizes not finished"))
    return _larger_sizes(claim, verdict, opts, phases.evidence, require_larger)


def _condition_phrase(phrase: str, evidence: Verdict) -> str:
    if evidence.status == "proved":
        return f"under {phrase}: proved"
    if evidence.status == "proved-at-sizes":
        return f"under {phrase}: proved at fixed sizes only, not in general"
    return f"under {phrase}: checked numerically only, not proved"


def _search_condition(
    claim: Claim, refutation: Verdict, opts: Options, phases: Phases
) -> Verdict:
    """The weakest standard condition under which the claim holds, with its evidence.

    A candidate must survive a refutation search under it, then be proved or checked, and
    a fixed-size result is followed by the larger sizes: a condition that makes the claim
    hold at n = 2, 3 but not 4 is no condition.  Stops at ``deadline`` so that the
    refutation itself is never lost to the timeout; no condition is better than a wrong one.
    """
    shapes_only = refutation.method == "check_shapes"
    deadline = phases.evidence
    degenerate: list[str] = []  # conditions under which both sides are 0: not offered
    for phrase, transform in candidates(claim):
        if shapes_only and not phrase.endswith("layout"):
            continue  # an assumption on values cannot change a shape; only a layout can
        if clock() > deadline:
            break
        try:
            cand = transform(claim)
        except ClaimError:
            continue
        if _still_refuted(cand, refutation):
            continue  # the counterexample satisfies the condition: it cannot make the claim hold
        ctx = Context(cand, seed=opts.seed, budget=opts.strategy_budget)
        # only a layout can change a shape; for the rest a quick exact refutation suffices
        quick = (check_shapes, refute_exact) if phrase.endswith("layout") else (refute_exact,)
        budget = min(opts.strategy_budget, deadline - clock())
        if budget < 0.2 or any(_attempt(s, ctx, budget) for s in quick):
            continue  # still refuted (or broken, or out of time) under this condition
        under = convention_verdict(cand, _decide_checked(
            cand, opts, PROOFS, Phases(deadline, deadline), clock(),
            require_larger=True))
        if under.holds and both_sides_vanish(cand, opts.seed) and not says_a_side_vanishes(
                claim, opts.seed):
            degenerate.append(phrase)
            continue
        if under.holds:
            return replace(
                refutation,
                status="conditional",
                condition=phrase,
                condition_evidence=under.status,
                detail=f"false in general ({refutation.detail}); "
                f"{_condition_phrase(phrase, under)} by {under.method} ({under.detail})",
                max_error=under.max_error,
                sizes=under.sizes,
            )
    if degenerate:
        return replace(refutation, detail=f"{refutation.detail}; not offered: holds if "
                       f"{' or '.join(degenerate)}, where both sides are 0")
    return refutation


def _still_refuted(cand: Claim, refutation: Verdict) -> bool:
    """Is the refutation's own counterexample one of the claim under the condition too?  A
    condition the assumptions already imply (symmetric, of a matrix assumed positive
    definite) leaves the claim as it was: "holds if A symmetric" was offered for a window in
    tr(A) with A positive definite, the counterexample symmetric itself."""
    cx = refutation.counterexample
    if cx is None or not cx.values or not cand.symbols:
        return False
    try:
        return audit(cand, cx).differs
    except Exception:  # noqa: BLE001 - a point that cannot be re-read under it is no answer
        return False


def _contradiction(claim: Claim) -> str | None:
    """Why no value satisfies the claim's assumptions on some scalar (or on the entries of a
    vector or matrix), if that is so."""
    try:
        for d in claim.symbols:
            if d.kind in ("scalar", "integer"):
                scalar_domain(claim, d.name)
            elif d.kind in ("vector", "matrix"):
                entry_domain(claim, d.name)
    except Contradictory as exc:
        return str(exc)
    return None


def _audited(claim: Claim, verdict: Verdict) -> Verdict:
    """The final, independent audit of a reported counterexample: rebuilt from its printed
    values, every assumption holds there, both sides are defined, the difference is
    certified.  A counterexample that fails it is withdrawn (never shown)."""
    cx = verdict.counterexample
    if verdict.status not in ("refuted", "conditional") or cx is None or not cx.values:
        return verdict  # a shape refutation: the shapes are the counterexample
    if not claim.symbols or all(d.kind == "index" for d in claim.symbols):
        return verdict
    result = audit(claim, cx)
    if result.differs:
        return verdict
    return Verdict("undecided", "engine",
                   detail=f"a counterexample from {verdict.method} failed the final audit "
                   f"({result.status}: {result.reason}); no verdict")


def decide_claim(claim: Claim, opts: Options = Options(),
                 progress: Callable[[Verdict], None] | None = None,
                 require_larger: bool = False) -> Verdict:
    """Decide one claim within its time (``opts.timeout``), reporting the best verdict so
    far through ``progress``; ``require_larger``: a verdict on fixed sizes counts only with
    a larger size checked (the evidence for a condition)."""
    with held_long_powers():  # x ** a at a point x = 10¹²: no exact 10¹²**10¹²
        return _in_claim_terms(claim, _decide_claim(claim, opts, progress, require_larger))


def _semidefinite_factors(claim: Claim) -> dict[str, str]:
    """{A_factor: A} for each "A positive semidefinite" the language read as A = F Fᵀ
    (language/semidefinite.py): a square A_factor declared, A itself not."""
    names = {d.name for d in claim.symbols}
    return {d.name: d.name[: -len("_factor")] for d in claim.symbols
            if d.name.endswith("_factor") and d.kind == "matrix" and d.is_square
            and d.name[: -len("_factor")] not in names}


def _in_claim_terms(claim: Claim, verdict: Verdict) -> Verdict:
    """A verdict about A = F Fᵀ told in the claim's own symbols: the counterexample also
    gives A (it gave only F, and a reader checks A ⪰ 0 and the claim at A), and a condition
    on F ("A_factor orthogonal", i.e. A = I) is no condition a claim can state: the claim is
    refuted, as it is false."""
    factors = _semidefinite_factors(claim)
    if not factors:
        return verdict
    cx = verdict.counterexample
    if cx is not None and any(f in cx.values for f in factors):
        values: dict[str, Any] = {}
        for k, v in cx.values.items():
            if k in factors and isinstance(v, list):
                f = sp.Matrix([[sp.Rational(e) for e in row] for row in v])
                values[factors[k]] = [[str(e) for e in row] for row in (f * f.T).tolist()]
            elif k in factors and isinstance(v, str):  # a 1×1 factor, shown as a number
                values[factors[k]] = str(sp.Rational(v) ** 2)
            values[k] = v
        shown = ", ".join(f"{a} = {f} @ {f}.T" for f, a in factors.items() if f in cx.values)
        cx = replace(cx, values=values, note="; ".join(n for n in (cx.note, shown) if n))
        verdict = replace(verdict, counterexample=cx)
    cond = verdict.condition or ""
    if verdict.status == "conditional" and any(re.search(rf"\b{f}\b", cond) for f in factors):
        verdict = replace(verdict, status="refuted", condition=None, condition_evidence=None,
                          detail=f"{verdict.detail} (a condition on a factor, {cond}, is "
                          "not one a claim can state)")
    return verdict


def _decide_claim(claim: Claim, opts: Options, progress: Callable[[Verdict], None] | None,
                  require_larger: bool) -> Verdict:
    start = clock()
    phases = Phases.starting(opts.timeout)
    why = _contradiction(claim)
    if why:
        return Verdict("undecided", "engine",
                       detail=f"the assumptions contradict each other: {why}")
    ctx = Context(claim, seed=opts.seed, budget=opts.strategy_budget)
    # no early verdict where the final one may still change it: a non-identity is inverted,
    # a derivative by a structured symbol waits for the convention check
    inner = None if claim.kind == "non-identity" or _convention_pending(claim) else progress
    verdict = _audited(claim, _decide_checked(claim, opts, PIPELINE, phases, start, inner, ctx,
                                              require_larger))
    needs = _requires(claim, ctx)
    if inner is not None:
        inner = (lambda v: progress(replace(v, requires=needs)))
    if claim.kind == "non-identity":
        return replace(_invert(convention_verdict(claim, verdict)), requires=needs)
    if verdict.status == "refuted" and opts.conditions:
        if inner is not None:
            inner(replace(verdict, detail=f"{verdict.detail}; condition search not finished"))
        # the search may use what is left of the claim's time, less a margin to report in
        verdict = _audited(claim, _search_condition(claim, verdict, opts, phases))
    verdict = convention_verdict(claim, verdict)
    verdict = _with_correct_gradient(claim, verdict, opts, start)
    return replace(verdict, requires=needs)


def _convention_pending(claim: Claim) -> bool:
    from verifier.convention import structured_derivatives

    try:
        return bool(structured_derivatives(claim))
    except Exception:  # noqa: BLE001 - no small build: the convention check keeps the verdict
        return False


def _with_correct_gradient(claim: Claim, verdict: Verdict, opts: Options,
                           start: float) -> Verdict:
    """A refuted or conditional gradient claim gets the gradient it should have stated
    (``verifier.derive``), in its layout, decided by the pipeline in what is left of its time
    (at most a third of it); without a decided one, nothing is added."""
    if verdict.status not in ("refuted", "conditional"):
        return verdict
    budget = min(0.9 * opts.timeout - (clock() - start), max(5.0, opts.timeout / 3))
    if budget < 1:
        return verdict
    from verifier.derive import correct_gradient

    def decide(fixed: Claim, seconds: float) -> Verdict:
        now = clock()
        return convention_verdict(fixed, _decide_checked(
            fixed, replace(opts, timeout=seconds, conditions=False),
            PIPELINE, Phases.starting(seconds), now))

    try:
        found = correct_gradient(claim, budget, decide)
    except Exception:  # noqa: BLE001 - the verdict stands without it
        return verdict
    return replace(verdict, correct_gradient=found) if found is not None else verdict


def _requires(claim: Claim, ctx: Context) -> tuple:
    """Where both sides are defined (``verifier.definedness``), from a build the strategies
    made already: the general one, else an explicit one; nothing if it cannot tell."""
    # Each build is tried in turn: a general build that fails (SymPy's matrix derivative of
    # trace(inv(X) @ inv(X)) recurses without end) must not leave a proof without the
    # conditions it relies on ("X invertible"), so the explicit builds are asked next.
    try:
        built = build_general(ctx)
        if built is not None and ctx.general_requirements is not None:
            return requirements(claim, (ctx.general_requirements, built[0]))
    except Exception:  # noqa: BLE001 - no general form: an explicit build names the same
        pass
    try:
        explicit_build = ctx.any_build()
        if explicit_build is not None:
            return requirements(claim, (list(explicit_build.records), explicit_build.inst))
    except Exception:  # noqa: BLE001 - try a fresh build
        pass
    try:
        return requirements(claim)
    except Exception:  # noqa: BLE001 - a side that cannot be built says so in its verdict
        return (Requirement("both sides defined (the conditions could not be determined)",
                            False, "not determined"),)


def _invert(v: Verdict) -> Verdict:
    """A non-identity is proved by a witness where the sides differ, refuted only by a
    proof that they are equal (agreement at some sizes or points is no such proof)."""
    if v.status == "refuted":
        return replace(v, status="proved", detail=f"witness: the sides differ ({v.detail})")
    if v.status == "proved":
        return Verdict("refuted", v.method, detail=f"the two sides are equal: {v.detail}")
    if v.holds:
        return Verdict("undecided", v.method,
                       detail=f"the sides agreed ({v.status}: {v.detail}), but only a proof "
                       "that they are equal for all sizes and values refutes a non-identity")
    return v


# ----- entries: claims and derivations -----

_STRENGTH = {"proved": 0, "proved-at-sizes": 1, "checked": 2}


def _check_implementation(claim: Claim, opts: Options) -> ImplementationCheck | None:
    if not claim.implementation:
        return None
    from verifier.implementation import compare

    try:
        return compare(claim, seed=opts.seed)
    except Exception as exc:  # noqa: BLE001 - a broken implementation is a finding, not a crash
        detail = f"{type(exc).__name__}: {exc}"
        return ImplementationCheck(claim.implementation, False, None, detail)


def _result(entry: Entry, verdict: Verdict, opts: Options, start: float,
            impl: ImplementationCheck | None = None, steps: tuple = ()) -> Result:
    return Result(
        id=entry.id,
        title=entry.title,
        source=entry.source,
        kind=entry.kind,
        verdict=verdict,
        expected=str(entry.expect),
        as_expected=matches(entry.expect, verdict) and (impl is None or impl.matches)
        and all(s.as_expected for s in steps),
        seconds=time.perf_counter() - start,
        seed=opts.seed,
        steps=steps,
        implementation=impl,
        xfail=entry.xfail,
        origin=entry.origin,
        corrected=getattr(entry, "corrected", None) or "",
    )


def decide(entry: Entry, opts: Options = Options(), progress: Progress | None = None) -> Result:
    """Decide one claim or derivation, in this process.  ``progress`` receives a provisional
    ``Result`` whenever the evidence so far is worth keeping should the time run out."""
    start = time.perf_counter()
    if isinstance(entry, Derivation):
        return _decide_derivation(entry, opts, start)
    sink = (lambda v: progress(_result(entry, v, opts, start))) if progress else None
    verdict = decide_claim(entry, opts, sink)
    impl = _check_implementation(entry, opts) if verdict.status in HOLDING else None
    return _result(entry, verdict, opts, start, impl)


def _derivation_verdict(d: Derivation, steps: list[StepResult], failing: list[StepResult],
                        opts: Options) -> Verdict:
    """The first failing step decides, unless its condition also makes every other failing
    step hold; then the derivation holds under that condition, with its weakest evidence."""
    first = failing[0]
    v = first.verdict
    if v.status != "conditional" or not v.condition:
        return replace(v, detail=f"step {first.index} ({v.status}): {v.detail}")
    evidence = [v.condition_evidence or "checked"]
    claims = _step_claims(d)
    for s in failing[1:]:
        if s.verdict.status == "conditional" and s.verdict.condition == v.condition:
            evidence.append(s.verdict.condition_evidence or "checked")
            continue
        under = _under_condition(claims[s.index - 1], v.condition, opts)
        if under is None or not under.holds:
            return replace(v, status="refuted", condition=None, condition_evidence=None,
                           detail=f"step {first.index} holds only if {v.condition}, but step "
                           f"{s.index} is {s.verdict.status} even then")
        evidence.append(under.status)
    weakest = max(evidence, key=lambda e: _STRENGTH.get(e, 2))
    return replace(v, condition_evidence=weakest,
                   detail=f"step {first.index} ({v.status}): {v.detail}"
                   + (f"; the {len(failing) - 1} other failing step(s) hold under it too"
                      if len(failing) > 1 else ""))


def _step_claims(d: Derivation) -> tuple[Claim, ...]:
    """The steps as claims; a step grad(f, X) = G as the gradient claim a [[claim]] of that
    form is (differentiated by the engine, in general dimension where it can: as a plain
    identity grad(logdet(A + tB), t) = tr((A + tB)⁻¹B) took 20-40 s to be checked)."""
    from verifier.claimfile import gradient_form

    return tuple(gradient_form(c) for c in d.step_claims())


def _under_condition(step: Claim, condition: str, opts: Options) -> Verdict | None:
    """A step decided with a condition added (an assumption or the other layout)."""
    from verifier.claim import parse_assumption

    try:
        cand = (replace(step, layout=condition.split()[0]) if condition.endswith(" layout")
                else step.with_assumption(parse_assumption(condition, step.id)))
    except (ClaimError, TypeError):
        return None
    return decide_claim(cand, replace(opts, conditions=False), require_larger=True)


def _decide_derivation(d: Derivation, opts: Options, start: float) -> Result:
    """Every step decided on its own, each with an equal share of the time left."""
    steps: list[StepResult] = []
    claims = _step_claims(d)
    begun = clock()
    # A derivation expected to hold expects every step to hold.  One expected to fail (or to
    # hold under a condition) judges only the steps given an expectation of their own: the
    # others may fail as the whole does, and its verdict carries the expectation.
    stated = dict(d.step_expect)
    for k, step in enumerate(claims, start=1):
        left = opts.timeout - (clock() - begun)
        share = replace(opts, timeout=max(1.0, left / (len(claims) - k + 1)))
        v = decide_claim(step, share)
        if d.expect.outcome == "holds" or k in stated:
            steps.append(StepResult(k, v, str(step.expect), matches(step.expect, v)))
        else:
            steps.append(StepResult(k, v, f"as the derivation ({d.expect})", True))
    failing = [s for s in steps if not s.verdict.holds]
    if not failing:
        weakest = max(steps, key=lambda s: _STRENGTH[s.verdict.status]).verdict
        sizes = next((s.verdict.sizes for s in steps if s.verdict.sizes), None)
        verdict = Verdict(
            weakest.status,
            "steps",
            detail=f"all {len(steps)} steps hold (weakest: {weakest.status})",
            sizes=sizes,
        )
    else:
        verdict = _derivation_verdict(d, steps, failing, opts)
    needs = tuple(dict.fromkeys(r for s in steps for r in s.verdict.requires))
    return _result(d, replace(verdict, requires=needs), opts, start, steps=tuple(steps))
