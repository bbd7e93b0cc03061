"""The only control flow across strategies: decide one entry, or run many in worker processes.

``decide`` runs the strategies in order (shapes, exact refutation, general proof, indexed
proof, fixed-size proof, numeric evidence) and, when a claim is refuted, the condition
search.  ``run`` gives each entry its own forked worker so that a hung SymPy call, a crash
or a memory blow-up ends that entry alone (``timeout`` / ``error``) and every other result
survives.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import resource
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from multiprocessing.connection import wait
from typing import Any

from verifier.audit import audit
from verifier.claim import Claim, ClaimError, Derivation, Entry
from verifier.domains import Contradictory, scalar_domain
from verifier.strategies import PIPELINE, PROOFS
from verifier.strategies.base import Context, StrategyTimeout, time_limit
from verifier.strategies.conditions import candidates
from verifier.strategies.exact import refute_exact
from verifier.strategies.larger import describe, refute_at_larger_sizes
from verifier.strategies.shapes import check_shapes
from verifier.verdict import HOLDING, ImplementationCheck, Result, StepResult, Verdict
from verifier.verdict import as_expected as matches

__all__ = ["Interrupted", "Options", "Outcome", "decide", "decide_claim", "run", "run_tasks"]


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


def _attempt(strategy: Strategy, ctx: Context, budget: float) -> Verdict | None:
    """Run one strategy; its exceptions become an ``error`` verdict that names it."""
    name = strategy.__name__
    try:
        with time_limit(budget):
            return strategy(ctx)
    except StrategyTimeout:
        ctx.notes.append(f"{name} ran out of its {budget:.0f} s")
        return None
    except ClaimError as exc:
        return Verdict("error", name, detail=str(exc))
    except RecursionError:
        return Verdict("error", name, detail="recursion too deep (expression too large)")
    except MemoryError:
        return Verdict("error", name, detail="out of memory")
    except Exception as exc:  # noqa: BLE001 - a strategy bug must not end the run
        return Verdict("error", name, detail=f"{type(exc).__name__}: {exc}")


def _decide_once(
    claim: Claim,
    opts: Options,
    pipeline: Sequence[Strategy],
    notes: list[str] | None = None,
    deadline: float | None = None,
) -> Verdict:
    ctx = Context(claim, seed=opts.seed, budget=opts.strategy_budget)
    for strategy in pipeline:
        budget = opts.strategy_budget
        if deadline is not None:
            budget = min(budget, deadline - time.monotonic())
            if budget < 0.2:
                ctx.notes.append(f"no time left for {strategy.__name__}")
                break
        verdict = _attempt(strategy, ctx, budget)
        if verdict is not None:
            return verdict
    if notes is not None:
        notes.extend(ctx.notes)
    detail = "; ".join(ctx.notes) or "no strategy could prove or refute it"
    return Verdict("undecided", "engine", detail=detail)


def _larger_sizes(claim: Claim, verdict: Verdict, opts: Options, deadline: float) -> Verdict:
    """A verdict resting on fixed sizes is followed by certified points at sizes up to 6."""
    if verdict.status not in ("proved-at-sizes", "checked") or not claim.dims or claim.sizes:
        return verdict
    ctx = Context(claim, seed=opts.seed, budget=opts.strategy_budget)
    budget = min(opts.strategy_budget, deadline - time.monotonic())
    if budget < 0.2:
        return replace(verdict, detail=f"{verdict.detail}; larger sizes not checked (no "
                       "time left)")
    found: list = []

    def larger(ctx: Context) -> Verdict | None:
        refutation, agreed = refute_at_larger_sizes(ctx)
        found.append(agreed)
        return refutation

    larger.__name__ = "refute_larger_sizes"
    refutation = _attempt(larger, ctx, budget)
    if refutation is not None and refutation.status == "refuted":
        return refutation
    if not found or not found[0]:
        return replace(verdict, detail=f"{verdict.detail}; larger sizes not checked "
                       f"({'; '.join(ctx.notes) or 'no defined point found'})")
    return replace(verdict, detail=f"{verdict.detail}; no counterexample at larger sizes "
                   f"({describe(found[0])})")


def _decide_checked(claim: Claim, opts: Options, pipeline: Sequence[Strategy],
                    deadline: float) -> Verdict:
    """The pipeline, then the larger sizes for a verdict that rests on fixed sizes."""
    verdict = _decide_once(claim, opts, pipeline, deadline=deadline)
    return _larger_sizes(claim, verdict, opts, deadline)


def _condition_phrase(phrase: str, evidence: Verdict) -> str:
    if evidence.status == "proved":
        return f"under {phrase}: proved"
    if evidence.status == "proved-at-sizes":
        return f"under {phrase}: proved at fixed sizes only, not in general"
    return f"under {phrase}: checked numerically only, not proved"


def _search_condition(
    claim: Claim, refutation: Verdict, opts: Options, deadline: float
) -> Verdict:
    """The weakest standard condition under which the claim holds, with its evidence.

    A candidate must survive a refutation search under it, then be proved or checked, and
    a fixed-size result is followed by the larger sizes: a condition that makes the claim
    hold at n = 2, 3 but not 4 is no condition.  Stops at ``deadline`` so that the
    refutation itself is never lost to the timeout; no condition is better than a wrong one.
    """
    shapes_only = refutation.method == "check_shapes"
    for phrase, transform in candidates(claim):
        if shapes_only and not phrase.endswith("layout"):
            continue  # an assumption on values cannot change a shape; only a layout can
        if time.monotonic() > deadline:
            break
        try:
            cand = transform(claim)
        except ClaimError:
            continue
        ctx = Context(cand, seed=opts.seed, budget=opts.strategy_budget)
        # only a layout can change a shape; for the rest a quick exact refutation suffices
        quick = (check_shapes, refute_exact) if phrase.endswith("layout") else (refute_exact,)
        budget = min(opts.strategy_budget, deadline - time.monotonic())
        if budget < 0.2 or any(_attempt(s, ctx, budget) for s in quick):
            continue  # still refuted (or broken, or out of time) under this condition
        under = _decide_checked(cand, opts, PROOFS, deadline)
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
    return refutation


def _contradiction(claim: Claim) -> str | None:
    """Why no value satisfies the claim's assumptions on some scalar, if that is so."""
    try:
        for d in claim.symbols:
            if d.kind in ("scalar", "integer"):
                scalar_domain(claim, d.name)
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


def decide_claim(claim: Claim, opts: Options = Options()) -> Verdict:
    start = time.monotonic()
    deadline = start + 0.75 * opts.timeout
    why = _contradiction(claim)
    if why:
        return Verdict("undecided", "engine",
                       detail=f"the assumptions contradict each other: {why}")
    verdict = _audited(claim, _decide_checked(claim, opts, PIPELINE, deadline))
    if claim.kind == "non-identity":
        return _invert(verdict)
    if verdict.status == "refuted" and opts.conditions:
        # the search may use what is left of the claim's time, less a margin to report in
        verdict = _audited(claim, _search_condition(claim, verdict, opts, deadline))
    return verdict


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


@dataclass(frozen=True)
class Display:
    """Both sides of a claim as plain text and LaTeX, in general dimension where possible."""

    lhs: str = ""
    rhs: str = ""
    lhs_latex: str = ""
    rhs_latex: str = ""
    lhs_mathml: str = ""
    rhs_mathml: str = ""


# Element-wise sides at fixed sizes can run to pages; past this many characters a report
# shows the claim's title instead of typesetting them (and LaTeX/MathML are not computed).
DISPLAY_LIMIT = 600


def _clip(text: str) -> str:
    return text if len(text) <= DISPLAY_LIMIT else text[: DISPLAY_LIMIT - 1] + "…"


@contextlib.contextmanager
def _as_written():
    """Build sides without SymPy's automatic rewriting of products and transposes.

    ``(A@B).T`` would print as BᵀAᵀ and ``a@inv(a)@b`` as b, so a claim would display as
    its own conclusion.  Only display uses this; strategies always see evaluated forms.
    """
    import sympy as sp

    m = sp.MatrixExpr
    saved = {k: m.__dict__[k] for k in ("T", "__matmul__", "__rmatmul__")}

    def product(*factors):
        flat = []
        for f in factors:
            flat.extend(f.args if isinstance(f, sp.MatMul) else (f,))
        return sp.MatMul(*flat, evaluate=False)

    m.T = property(lambda self: sp.Transpose(self))
    m.__matmul__ = lambda self, other: product(self, other)
    m.__rmatmul__ = lambda self, other: product(other, self)
    try:
        yield
    finally:
        for k, v in saved.items():
            setattr(m, k, v)


def display(claim: Claim) -> Display:
    """Both sides in general form, as written; empty when the claim has no general form.

    An element-wise side at fixed size is pages of entries, slow to print and unreadable;
    reports then show the claim's title, which states the formula.
    """
    import sympy as sp

    from verifier.instantiate import general, side_values
    from verifier.report.html_math import expr_mathml, gradient_mathml

    try:
        with _as_written():
            inst = general(claim)
            rhs = side_values(inst, claim.rhs, claim)
            f = claim.f(inst.env) if claim.kind == "gradient" else None  # type: ignore[misc]
            lhs = side_values(inst, claim.lhs, claim) if f is None else None
        if f is not None:
            lhs_text = f"grad({sp.sstr(f)}, {claim.wrt})"
            small = len(lhs_text) <= DISPLAY_LIMIT
            lhs_tex = rf"\frac{{\partial}}{{\partial {claim.wrt}}}\left({sp.latex(f)}\right)" \
                if small else ""
            lhs_mml = gradient_mathml(f, claim.wrt) if small else ""
        else:
            lhs_text = sp.sstr(lhs)
            small = len(lhs_text) <= DISPLAY_LIMIT
            lhs_tex, lhs_mml = (sp.latex(lhs), expr_mathml(lhs)) if small else ("", "")
        rhs_text = sp.sstr(rhs)
        small = len(rhs_text) <= DISPLAY_LIMIT
        rhs_tex, rhs_mml = (sp.latex(rhs), expr_mathml(rhs)) if small else ("", "")
        return Display(_clip(lhs_text), _clip(rhs_text), lhs_tex, rhs_tex, lhs_mml, rhs_mml)
    except Exception:  # noqa: BLE001 - display only; the strategies report real errors
        return Display()


def _check_implementation(claim: Claim, opts: Options) -> ImplementationCheck | None:
    if not claim.implementation:
        return None
    from verifier.implementation import compare

    try:
        return compare(claim, seed=opts.seed)
    except Exception as exc:  # noqa: BLE001 - a broken implementation is a finding, not a crash
        detail = f"{type(exc).__name__}: {exc}"
        return ImplementationCheck(claim.implementation, False, None, detail)


def decide(entry: Entry, opts: Options = Options()) -> Result:
    """Decide one claim or derivation, in this process."""
    start = time.perf_counter()
    if isinstance(entry, Derivation):
        return _decide_derivation(entry, opts, start)
    verdict = decide_claim(entry, opts)
    shown = display(entry)
    impl = _check_implementation(entry, opts) if verdict.status in HOLDING else None
    return Result(
        id=entry.id,
        title=entry.title,
        source=entry.source,
        kind=entry.kind,
        verdict=verdict,
        expected=str(entry.expect),
        as_expected=matches(entry.expect, verdict) and (impl is None or impl.matches),
        seconds=time.perf_counter() - start,
        seed=opts.seed,
        implementation=impl,
        xfail=entry.xfail,
        lhs=shown.lhs,
        rhs=shown.rhs,
        lhs_latex=shown.lhs_latex,
        rhs_latex=shown.rhs_latex,
        origin=entry.origin,
        lhs_mathml=shown.lhs_mathml,
        rhs_mathml=shown.rhs_mathml,
    )


def _derivation_verdict(d: Derivation, steps: list[StepResult], failing: list[StepResult],
                        opts: Options) -> Verdict:
    """The first failing step decides, unless its condition also makes every other failing
    step hold; then the derivation holds under that condition, with its weakest evidence."""
    first = failing[0]
    v = first.verdict
    if v.status != "conditional" or not v.condition:
        return replace(v, detail=f"step {first.index} ({v.status}): {v.detail}")
    evidence = [v.condition_evidence or "checked"]
    claims = d.step_claims()
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


def _under_condition(step: Claim, condition: str, opts: Options) -> Verdict | None:
    """A step decided with a condition added (an assumption or the other layout)."""
    from verifier.claim import parse_assumption

    try:
        cand = (replace(step, layout=condition.split()[0]) if condition.endswith(" layout")
                else step.with_assumption(parse_assumption(condition, step.id)))
    except (ClaimError, TypeError):
        return None
    return decide_claim(cand, replace(opts, conditions=False))


def _decide_derivation(d: Derivation, opts: Options, start: float) -> Result:
    steps: list[StepResult] = []
    for k, step in enumerate(d.step_claims(), start=1):
        v = decide_claim(step, opts)
        shown = display(step)
        steps.append(
            StepResult(
                k, v, str(step.expect), matches(step.expect, v),
                shown.lhs, shown.rhs, shown.lhs_latex, shown.rhs_latex,
                shown.lhs_mathml, shown.rhs_mathml,
            )
        )
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
    return Result(
        id=d.id,
        title=d.title,
        source=d.source,
        kind="derivation",
        verdict=verdict,
        expected=str(d.expect),
        as_expected=matches(d.expect, verdict) and all(s.as_expected for s in steps),
        seconds=time.perf_counter() - start,
        seed=opts.seed,
        steps=tuple(steps),
        xfail=d.xfail,
        origin=d.origin,
    )


# ----- running many entries in worker processes -----
#
# Forked workers, each given a small batch of tasks in turn: a hung SymPy call is ended at
# its task's deadline, a crash (segfault, os._exit, out of memory) takes only the task it
# was on, and the rest of that batch goes back to the queue.  Batches keep SymPy's caches
# warm across neighbouring claims (one fork per claim made a run ~1.5x slower).  Workers
# ignore SIGINT; the parent, on Ctrl-C, kills them, reaps them and raises ``Interrupted``
# with what finished.


@dataclass(frozen=True)
class Outcome:
    """How one task in a worker ended: ``ok`` (with its value), ``error`` or ``timeout``."""

    index: int
    status: str
    value: Any = None
    detail: str = ""
    seconds: float = 0.0


class Interrupted(Exception):
    """Ctrl-C during a run; ``results`` holds what finished (``None`` for the rest)."""

    def __init__(self, results: list):
        super().__init__("interrupted")
        self.results = results


def _task_worker(fn: Callable[[Any], Any], items: list, memory_limit: int | None, conn) -> None:
    """Run each item in turn and send ``(status, value, detail)`` after each one."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    for item in items:
        try:
            payload = ("ok", fn(item), "")
        except MemoryError:
            payload = ("error", None, "out of memory in the worker")
        except BaseException as exc:  # noqa: BLE001 - report, never hang the parent
            payload = ("error", None, f"{type(exc).__name__}: {exc}")
        try:
            conn.send(payload)
        except MemoryError:
            conn.send(("error", None, "out of memory in the worker (sending the result)"))
        except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
            conn.send(("error", None, f"the result could not be sent back: {exc}"))
    conn.close()
    os._exit(0)


@dataclass
class _Running:
    batch: list[int]  # task indices, in the order the worker runs them
    proc: mp.process.BaseProcess
    conn: Any
    started: float  # when the current task (batch[0]) started

    @property
    def index(self) -> int:
        return self.batch[0]


def _died(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"worker died (signal {signal.Signals(-code).name})"
        except ValueError:
            pass
    return f"worker died (exit code {code})"


def run_tasks(
    fn: Callable[[Any], Any],
    items: Sequence[Any],
    *,
    jobs: int = 0,
    timeout: float = 60.0,
    memory_limit: int | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    batch: int = 64,
) -> list[Outcome]:
    """``fn(item)`` for every item in forked workers (``batch`` items each); outcomes in order.

    ``fn`` and the items reach the worker by fork (nothing is pickled on the way in); the
    values come back pickled.  ``timeout`` applies to each item.  Raises ``Interrupted``
    (with the outcomes so far) on Ctrl-C.
    """
    outcomes: list[Outcome | None] = [None] * len(items)
    jobs = jobs or os.cpu_count() or 1
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    ctx = mp.get_context("fork")
    running: list[_Running] = []
    queue = list(range(len(items) - 1, -1, -1))  # popped from the end: item order

    def start() -> None:
        # smaller batches towards the end keep both workers busy to the last item
        size = max(1, min(batch, len(queue) // (2 * jobs) or 1))
        indices = [queue.pop() for _ in range(min(size, len(queue)))]
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_task_worker,
                           args=(fn, [items[i] for i in indices], memory_limit, child),
                           daemon=True)
        # SIGINT is blocked across the fork: a Ctrl-C in that instant must reach the parent
        # (after the unblock), never a worker that has not yet set it to be ignored
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            proc.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
        child.close()
        running.append(_Running(indices, proc, parent, time.monotonic()))
        if on_start:
            on_start(indices[0])

    def record(r: _Running, status: str, value: Any, detail: str) -> None:
        """The current task of ``r`` ended; move on to its next one."""
        now = time.monotonic()
        i = r.batch.pop(0)
        out = Outcome(i, status, value, detail, now - r.started)
        outcomes[i] = out
        r.started = now
        if on_outcome:
            on_outcome(out)
        if r.batch and on_start:
            on_start(r.batch[0])

    def stop(r: _Running) -> None:
        """End a worker; tasks of its batch it never reached go back to the queue."""
        running.remove(r)
        _reap(r)
        queue.extend(reversed(r.batch))
        r.batch = []

    try:
        while queue or running:
            while queue and len(running) < jobs:
                start()
            deadline = min(r.started for r in running) + timeout
            pause = max(0.0, min(0.2, deadline - time.monotonic()))
            ready = wait([r.conn for r in running] + [r.proc.sentinel for r in running], pause)
            now = time.monotonic()
            for r in list(running):
                if r.conn in ready:
                    try:
                        while r.batch and r.conn.poll():
                            record(r, *r.conn.recv())
                    except (EOFError, OSError):
                        r.proc.join(1)
                        if r.batch:
                            record(r, "error", None, _died(r.proc.exitcode))
                        stop(r)
                        continue
                    if not r.batch:
                        stop(r)
                elif r.proc.sentinel in ready:
                    r.proc.join(1)
                    if r.batch:
                        record(r, "error", None, _died(r.proc.exitcode))
                    stop(r)
                elif now - r.started > timeout:
                    _kill(r)
                    record(r, "timeout", None, f"no answer within {timeout:g} s")
                    stop(r)
    except KeyboardInterrupt:
        for r in running:
            _kill(r)
        for r in running:
            _reap(r)
        raise Interrupted(list(outcomes)) from None
    return [o for o in outcomes if o is not None]


def _kill(r: _Running) -> None:
    if r.proc.is_alive():
        r.proc.kill()
    r.proc.join(1)


def _reap(r: _Running) -> None:
    """Join the worker (no zombie) and close its end of the pipe."""
    r.proc.join(2)
    if r.proc.is_alive():
        _kill(r)
    try:
        r.conn.close()
    except OSError:
        pass


def _failed(entry: Entry, status: str, detail: str, seconds: float, opts: Options) -> Result:
    v = Verdict(status, "engine", detail=detail)
    return Result(
        id=entry.id,
        title=entry.title,
        source=entry.source,
        kind=entry.kind,
        verdict=v,
        expected=str(entry.expect),
        as_expected=False,
        seconds=seconds,
        seed=opts.seed,
        xfail=entry.xfail,
        origin=entry.origin,
    )


def run(
    entries: Sequence[Entry],
    opts: Options = Options(),
    *,
    on_result: Callable[[Result], None] | None = None,
    on_start: Callable[[Entry], None] | None = None,
    cache=None,
) -> list[Result]:
    """Decide every entry in worker processes; results in the order of ``entries``.

    A worker that raises, dies or runs past ``opts.timeout`` gives an ``error`` or
    ``timeout`` result for its own entry; those are never cached.  On Ctrl-C, raises
    ``Interrupted`` whose ``results`` hold the finished entries (``None`` elsewhere).
    """
    results: list[Result | None] = [None] * len(entries)
    todo: list[int] = []

    def result_of(o: Outcome) -> Result:
        entry = entries[todo[o.index]]
        if o.status == "ok":
            return o.value
        return _failed(entry, o.status, o.detail, o.seconds, opts)

    def done(o: Outcome) -> None:
        i = todo[o.index]
        results[i] = result = result_of(o)
        if cache is not None and result.verdict.status not in ("timeout", "error"):
            cache.put(entries[i], opts, result)
        if on_result:
            on_result(result)

    try:
        for i, e in enumerate(entries):
            hit = cache.get(e, opts) if cache is not None else None
            if hit is None:
                todo.append(i)
                continue
            results[i] = hit
            if on_result:
                on_result(hit)
        run_tasks(
            lambda e: decide(e, opts), [entries[i] for i in todo],
            jobs=opts.jobs, timeout=opts.timeout, memory_limit=opts.memory_limit,
            on_outcome=done, on_start=(lambda k: on_start(entries[todo[k]])) if on_start else None,
        )
    except (Interrupted, KeyboardInterrupt):
        raise Interrupted(results) from None
    return [r for r in results if r is not None]
