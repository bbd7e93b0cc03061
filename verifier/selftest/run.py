"""Running a selftest: generate, decide with the engine, judge; and the mutant mode.

``run_selftest`` is the whole ``derivcheck selftest``: the generated cases of the chosen
generators go through the engine as a user's claim file would (``runner.run``, forked
workers, no cache, condition search on), each result is judged by ``judge.judge`` in
forked workers too, and the mutants of the catalogue's proved claims run as before
(``run_mutants``).  The catalogue entries are passed in by the caller (the command line
selects them); nothing here imports the command line or the catalogue.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from verifier.claim import Claim, Derivation
from verifier.selftest.equivalence import DIGITS, Classification, classify, condition_holds
from verifier.selftest.generators import GENERATORS, generate
from verifier.selftest.mutants import candidates, mutant, sample
from verifier.selftest.report import MutantCase, MutantReport, Outcome, Report

__all__ = ["Settings", "main", "run_generated", "run_mutants", "run_selftest"]

MUTANTS = "mutants"  # the name of the mutant mode among the generators (--only mutants)


@dataclass(frozen=True)
class Settings:
    """What ``derivcheck selftest`` runs; a bad value raises ValueError with the fix."""

    seed: int = 0
    cases: int = 840  # generated cases, split evenly over the chosen generators
    mutants: int = 200  # mutants of proved catalogue claims
    only: tuple[str, ...] = ()  # generator names (and "mutants"); empty: all
    jobs: int = 1
    timeout: float = 20.0  # seconds per case for the engine
    conditions: bool = False  # condition search on the mutants (generated cases: always)
    memory_limit: int | None = None
    save: str | None = None  # write the unsound cases here as a claim file

    def __post_init__(self) -> None:
        if self.jobs < 1 or self.timeout <= 0:
            raise ValueError("--jobs must be at least 1 and --timeout positive")
        if self.cases < 0 or self.mutants < 0:
            raise ValueError("--cases and --mutants must not be negative")
        known = (*GENERATORS, MUTANTS)
        unknown = [g for g in self.only if g not in known]
        if unknown:
            raise ValueError(f"unknown generator {', '.join(unknown)}; choose from "
                             f"{', '.join(known)}")
        if self.cases + self.mutants == 0:
            raise ValueError("nothing to run: --cases and --mutants are both 0")

    @property
    def generators(self) -> tuple[str, ...]:
        chosen = [g for g in GENERATORS if not self.only or g in self.only]
        return tuple(chosen) if self.cases else ()

    @property
    def wants_mutants(self) -> bool:
        return self.mutants > 0 and (not self.only or MUTANTS in self.only)

    @property
    def per_generator(self) -> int:
        g = self.generators
        return -(-self.cases // len(g)) if g else 0


Log = Callable[[str], None] | None


def run_generated(settings: Settings, log: Log = None) -> list[Outcome]:
    """Generate, decide (engine), judge (independently); one Outcome per case."""
    from verifier.engine import Options
    from verifier.pool import run_tasks
    from verifier.runner import run
    from verifier.selftest.judge import judge

    start = time.perf_counter()

    def say(msg: str) -> None:
        if log:
            log(f"[{time.perf_counter() - start:6.1f} s] {msg}")

    cases = generate(settings.generators, settings.per_generator, settings.seed)
    entries, loaded, errors = [], [], {}
    for k, c in enumerate(cases):
        try:
            entries.append(c.entry())
            loaded.append(k)
        except ValueError as exc:
            errors[k] = str(exc)
    say(f"{len(cases)} generated cases from {len(settings.generators)} generators; deciding "
        f"them with the engine (timeout {settings.timeout:g} s, {settings.jobs} jobs)")
    opts = Options(seed=settings.seed, timeout=settings.timeout, jobs=settings.jobs,
                   memory_limit=settings.memory_limit, conditions=True)
    results = run(entries, opts)
    dicts = {k: r.to_dict() for k, r in zip(loaded, results, strict=True)}
    say("judging every verdict independently")
    judged = run_tasks(lambda k: judge(cases[k], dicts[k], settings.seed), loaded,
                       jobs=settings.jobs, timeout=max(120.0, 4 * settings.timeout),
                       memory_limit=settings.memory_limit)
    judgements = {loaded[o.index]: o.value for o in judged if o.status == "ok"}
    say("done")
    return [Outcome(c, dicts.get(k), judgements.get(k), errors.get(k, ""))
            for k, c in enumerate(cases)]


def _targets(results: Sequence, entries: Sequence) -> list[Claim]:
    """Claims and derivation steps whose verdict is proved or proved-at-sizes."""
    out: list[Claim] = []
    for entry, res in zip(entries, results, strict=True):
        if isinstance(entry, Derivation):
            for step, sr in zip(entry.step_claims(), res.steps, strict=False):
                if sr.verdict.status in ("proved", "proved-at-sizes"):
                    out.append(step)
        elif entry.kind in ("identity", "gradient") and res.verdict.status in (
            "proved", "proved-at-sizes"):
            out.append(entry)
    return out


def _warm_up() -> None:
    """Load SymPy's lazily imported parts once here, not again in every forked worker."""
    from verifier.claim import make_claim
    from verifier.engine import Options, decide

    c = make_claim("selftest.warm_up", title="", source="standard", symbols="x: vector(n)",
                   lhs=lambda s: s.x.T @ s.x, rhs=lambda s: 2 * s.x.T @ s.x)
    decide(c, Options(conditions=False))
    classify(c)


def run_mutants(
    entries: Sequence,
    *,
    mutants: int = 600,
    seed: int = 0,
    jobs: int = 0,
    timeout: float = 30.0,
    conditions: bool = False,
    memory_limit: int | None = None,
    cache=None,
    log=None,
) -> MutantReport:
    """Decide the originals (cached), mutate the proved ones, judge every mutant twice."""
    from verifier.engine import Options
    from verifier.pool import run_tasks
    from verifier.runner import run

    start = time.perf_counter()

    def say(msg: str) -> None:
        if log:
            log(f"[{time.perf_counter() - start:6.1f} s] {msg}")

    base = Options(seed=0, timeout=60.0, jobs=jobs, memory_limit=memory_limit)
    say(f"deciding {len(entries)} catalogue entries (cached where possible)")
    originals = run(entries, base, cache=cache)
    targets = _targets(originals, entries)
    say(f"{len(targets)} claims and steps proved; listing their mutations")
    _warm_up()
    # the judge is calibrated on the originals: each proved claim must look equivalent
    listed = run_tasks(lambda t: (candidates(t), classify(t, seed)), targets, jobs=jobs,
                       timeout=120, memory_limit=memory_limit)
    pool = {targets[o.index].id: o.value[0] for o in listed if o.status == "ok" and o.value[0]}
    originals_judged = {targets[o.index].id: o.value[1] for o in listed if o.status == "ok"}
    by_id = {t.id: t for t in targets}
    chosen = sample(pool, mutants, seed)
    claims = [mutant(by_id[m.target], m) for m in chosen]
    say(f"{len(claims)} mutants; judging them independently ({DIGITS} digits)")
    judged = run_tasks(lambda c: classify(c, seed), claims, jobs=jobs,
                       timeout=max(60.0, 2 * timeout), memory_limit=memory_limit)
    verdicts: dict[int, Classification] = {
        o.index: o.value for o in judged if o.status == "ok"}
    to_run = [i for i in range(len(claims)) if i in verdicts
              and verdicts[i].status != "unevaluable"]
    say(f"deciding {len(to_run)} mutants with the engine (timeout {timeout:g} s)")
    opts = Options(seed=seed, timeout=timeout, jobs=jobs, memory_limit=memory_limit,
                   conditions=conditions)
    results = run([claims[i] for i in to_run], opts)
    decided = dict(zip(to_run, results, strict=True))
    engine_seconds = sum(r.seconds for r in results)
    cond_jobs = [i for i, r in decided.items()
                 if r.verdict.status == "conditional" and verdicts[i].status == "differs"]
    checked = run_tasks(
        lambda i: condition_holds(claims[i], decided[i].verdict.condition, seed), cond_jobs,
        jobs=jobs, timeout=max(60.0, 2 * timeout), memory_limit=memory_limit)
    cond_ok = {cond_jobs[o.index]: o.status == "ok" and o.value.status == "equivalent"
               for o in checked}
    report = MutantReport(targets=len(targets), conditions=conditions,
                          originals=originals_judged, engine_seconds=engine_seconds)
    for i, m in enumerate(chosen):
        if i not in verdicts:
            report.not_judged += 1
            continue
        r = decided.get(i)
        v = r.verdict if r is not None else None
        report.cases.append(MutantCase(
            m, verdicts[i],
            status=v.status if v else "",
            method=v.method if v else "",
            detail=v.detail if v else "",
            condition=v.condition if v else None,
            condition_ok=cond_ok.get(i),
        ))
    report.seconds = time.perf_counter() - start
    return report


def run_selftest(settings: Settings, entries: Sequence = (), cache=None,
                 log: Log = None) -> Report:
    """The generated cases and the mutants of ``entries``' proved claims, judged."""
    start = time.perf_counter()
    report = Report(seed=settings.seed, generators=settings.generators)
    if settings.generators:
        report.outcomes = run_generated(settings, log)
        report.timings["generated"] = time.perf_counter() - start
    if settings.wants_mutants and entries:
        t = time.perf_counter()
        report.mutants = run_mutants(
            entries, mutants=settings.mutants, seed=settings.seed, jobs=settings.jobs,
            timeout=settings.timeout, conditions=settings.conditions,
            memory_limit=settings.memory_limit, cache=cache, log=log)
        report.timings["mutants"] = time.perf_counter() - t
    report.seconds = time.perf_counter() - start
    return report


def save_unsound(report: Report, path: str) -> int:
    """Write every unsound generated case to a claim file; returns how many."""
    cases = [o.case for o in report.unsound]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f"# unsound verdicts of derivcheck selftest --seed {report.seed}\n")
        fh.write(f"# run: derivcheck check {path} --seed {report.seed}\n\n")
        fh.write("\n".join(c.toml() for c in cases))
    return len(cases)


def main(settings: Settings, entries: Sequence = (), cache=None) -> int:
    """The ``selftest`` command: the table, every unsound case; exit 1 on any."""
    report = run_selftest(settings, entries, cache,
                          log=lambda msg: print(msg, file=sys.stderr, flush=True))
    print(report.table())
    extra = report.per_template()
    if extra:
        print(extra)
    details = report.details()
    if details:
        print()
        print(details)
    if settings.save and report.unsound:
        n = save_unsound(report, settings.save)
        print(f"\n{n} unsound cases written to {settings.save}")
    return 1 if report.failed else 0
