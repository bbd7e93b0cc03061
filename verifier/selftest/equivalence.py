"""``derivcheck selftest``: how far is "proved" to be trusted?  Mutation testing.

Every catalogue claim (and derivation step) that the engine proves is mutated the way people
slip (``verifier.mutation``); every mutant is judged twice:

1. by an *independent* evaluation: both sides at random real points, 40 significant digits
   (SymPy's ``evalf`` on the explicit matrices; gradients by entry-wise differentiation of
   the scalar f), none of the engine's strategies.  A mutant whose sides agree is
   *equivalent* (e.g. transposing a symmetric side) and is set aside, not counted;
2. by the engine, in forked workers (``engine.run``).

A non-equivalent mutant reported proved, proved-at-sizes or checked is **unsound**; so is a
conditional verdict whose condition, checked the same independent way, does not make the
sides agree.  An equivalent mutant that the engine refutes is a *false refutation*.
Both make the exit code 1.
"""

from __future__ import annotations

import random
import sys
import time
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from verifier.claim import Claim, Derivation, parse_assumption
from verifier.mutation import Mutation, candidates, mutant, sample

__all__ = ["Classification", "Report", "classify", "main", "selftest"]

DIGITS = 40
AGREE = 1e-28  # relative: 40-digit evaluation of an identity leaves far less
DIFFER = 1e-12  # relative: this far apart is no rounding
POINTS = 6  # agreeing points per size before a mutant counts as equivalent
# piecewise sides (ReLU, max, |x|, indicators) can agree on a whole region, e.g. 1[z > 0]
# and 0 for every z < 0: 6 points miss the other half with probability 1/64, 24 with ~1e-7
POINTS_PIECEWISE = 24
TRIES = 40  # random points per size before giving up on finding a defined one
HOLDING = ("proved", "proved-at-sizes", "checked")


# ----- the independent judge -----


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


def _sample(rng: random.Random, domain: tuple) -> Any:
    import sympy as sp

    kind, data = domain
    if kind == "integer":
        return sp.Integer(rng.randint(1, 6))
    if kind == "interval":
        lo, hi, _, _ = data
        v = lo + (hi - lo) * rng.uniform(0.05, 0.95)
    else:
        v = rng.uniform(0.3, 2.0)
        if kind == "negative":
            v = -v
        elif kind not in ("positive", "nonneg"):
            v *= rng.choice((-1, 1))
    return sp.Float(repr(v), DIGITS + 5)


def _gradient(inst, claim: Claim) -> Any:
    """∂f/∂X entry by entry (X's shape; numerator layout: transposed), then the structure."""
    import sympy as sp

    env = inst.env
    f = claim.f(env)  # type: ignore[misc]
    if isinstance(f, sp.MatrixBase):
        f = f[0, 0]
    x = env[claim.wrt]  # type: ignore[index]
    if isinstance(x, sp.MatrixBase):
        g = sp.Matrix(x.shape[0], x.shape[1], lambda i, j: sp.diff(f, x[i, j]))
        g = g.T if claim.layout == "numerator" else g
    else:
        g = sp.diff(f, x)
    return inst.apply(g)


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
    from verifier.instantiate import default_sizes

    rng = random.Random(seed * 7919 + zlib.crc32(claim.id.encode()))
    agreed = 0
    for sizes in default_sizes(claim):
        assignments = _index_assignments(claim, sizes, rng)
        for idx in assignments:
            found, good = _judge_at(claim, sizes, idx, rng, few=len(assignments) > 1)
            if found is not None:
                return found
            agreed += good
    if agreed == 0:
        return Classification("unevaluable", detail="no point where both sides are defined")
    return Classification("equivalent", detail=f"the sides agree at {agreed} random points")


def _simplex_entries(claim: Claim, inst) -> dict:
    """Free entries of a vector that sums to 1, each drawn from (0, 1/n): a probability
    vector (its last entry, 1 − the rest, stays positive, so its logarithm is real)."""
    out = {}
    for a in claim.assumptions:
        if a.kind == "sums to 1":
            v = inst.env[a.names[0]]
            for e in list(v)[:-1]:
                out[e] = len(v)
    return out


def _at_random_point(lm, rm, inst, simplex: dict, rng: random.Random):
    """Both sides at a random point: plain symbols first; then finite sums over a sequence
    gₖ (an IndexedBase, e.g. gradients over steps t) are expanded and every gₖ drawn."""
    import sympy as sp

    both = (lm, rm)
    indexed = set().union(*(m.atoms(sp.Indexed) for m in both))
    labels = {i.base.label for i in indexed}
    plain = sorted((x for m in both for x in m.free_symbols
                    if isinstance(x, sp.Symbol) and x not in labels), key=str)
    point = {}
    for x in plain:
        if x in simplex:
            point[x] = sp.Float(repr(rng.uniform(0.05, 0.95) / simplex[x]), DIGITS + 5)
        else:
            point[x] = _sample(rng, inst.domains.get(x, ("any", None)))
    lx, rx = lm.xreplace(point), rm.xreplace(point)
    if indexed:
        lx, rx = lx.doit(), rx.doit()
        for g in sorted(set().union(*(m.atoms(sp.Indexed) for m in (lx, rx))), key=str):
            point[g] = _sample(rng, ("any", None))
        lx, rx = lx.xreplace(point), rx.xreplace(point)
    return point, lx, rx


def _judge_at(claim: Claim, sizes: dict, idx: dict, rng: random.Random, few: bool):
    """(a verdict if the sides differ or do not build, else None; agreeing points)."""
    import sympy as sp

    from verifier.instantiate import explicit, side_values
    from verifier.strategies.base import BUILD_ERRORS, NONSMOOTH

    inst = explicit(claim, sizes, idx)
    try:
        lhs = _gradient(inst, claim) if claim.kind == "gradient" else side_values(
            inst, claim.lhs, claim)
        lm, rm = _as_matrix(lhs), _as_matrix(side_values(inst, claim.rhs, claim))
    except BUILD_ERRORS as exc:  # e.g. swapped factors whose shapes no longer fit
        detail = f"a side cannot be built at {sizes} ({type(exc).__name__}: {exc})"
        return Classification("ill-formed", detail=detail), 0
    if lm.shape != rm.shape:
        note = f"shapes differ: lhs {lm.shape[0]}×{lm.shape[1]}, rhs " \
               f"{rm.shape[0]}×{rm.shape[1]}"
        return Classification("differs", Witness(sizes, {}, (0, 0), "", "", note)), 0
    piecewise = any(m.has(*NONSMOOTH) for m in (lm, rm))
    wanted = POINTS_PIECEWISE if piecewise else POINTS
    if few:  # many label combinations share the work
        wanted = max(2, wanted // 4)
    good = 0
    simplex = _simplex_entries(claim, inst)
    for _ in range(TRIES):
        point, lx, rx = _at_random_point(lm, rm, inst, simplex, rng)
        lv, rv = _numbers(lx), _numbers(rx)
        if lv is None or rv is None:
            continue
        scale = max([sp.Float(1)] + [abs(v) for v in lv + rv])
        gaps = [abs(a - b) / scale for a, b in zip(lv, rv, strict=True)]
        worst = max(range(len(gaps)), key=lambda k: gaps[k]) if gaps else 0
        if gaps and gaps[worst] > DIFFER:
            values = {k: str(v) for k, v in idx.items()}
            values.update({str(s): sp.sstr(v.evalf(8)) for s, v in point.items()})
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


# ----- the run -----


@dataclass(frozen=True)
class Case:
    """One mutant: what was done, the independent judgement, the engine's verdict."""

    mutation: Mutation
    judged: Classification
    status: str = ""
    method: str = ""
    detail: str = ""
    condition: str | None = None
    condition_ok: bool | None = None

    @property
    def unsound(self) -> bool:
        if self.judged.status != "differs":
            return False
        return self.status in HOLDING or (self.status == "conditional" and not self.condition_ok)


@dataclass
class Report:
    targets: int = 0
    cases: list[Case] = field(default_factory=list)
    not_judged: int = 0  # the independent evaluation timed out or failed
    seconds: float = 0.0
    conditions: bool = False
    originals: dict[str, Classification] = field(default_factory=dict)

    @property
    def originals_differing(self) -> list[str]:
        """Proved originals that the independent judge finds false: an unsound proof in the
        catalogue itself, or a judge that cannot evaluate the claim faithfully."""
        return sorted(k for k, v in self.originals.items() if v.status == "differs")

    def _of(self, judged: str) -> list[Case]:
        return [c for c in self.cases if c.judged.status == judged]

    @property
    def counted(self) -> list[Case]:
        return self._of("differs")

    @property
    def unsound(self) -> list[Case]:
        return [c for c in self.cases if c.unsound]

    @property
    def ill_formed_held(self) -> list[Case]:
        """Ill-formed mutants the engine nevertheless called true."""
        return [c for c in self._of("ill-formed") if c.status in HOLDING + ("conditional",)]

    @property
    def false_refutations(self) -> list[Case]:
        return [c for c in self._of("equivalent") if c.status in ("refuted", "conditional")]

    @property
    def failed(self) -> bool:
        return bool(self.unsound or self.false_refutations or self.ill_formed_held
                    or self.originals_differing)

    def counts(self) -> dict[str, int]:
        n = Counter()
        for c in self.counted:
            if c.unsound:
                n["unsound"] += 1
            elif c.status in ("refuted", "conditional"):
                n[c.status] += 1
            else:
                n["undecided"] += 1
        return n

    def table(self) -> str:
        n = self.counts()
        total = len(self.counted)
        pct = (lambda k: f"{100 * k / total:5.1f}%") if total else (lambda k: "    -")
        agree = sum(v.status == "equivalent" for v in self.originals.values())
        rows = [
            ("claims and steps mutated (proved originals)", self.targets, ""),
            ("  originals the independent judge confirms", agree, ""),
            ("  originals the independent judge finds false", len(self.originals_differing), ""),
            ("mutants generated", len(self.cases) + self.not_judged, ""),
            ("  equivalent (set aside)", len(self._of("equivalent")), ""),
            ("  ill-formed: a side does not build (set aside)", len(self._of("ill-formed")), ""),
            ("  not evaluable independently (set aside)",
             len(self._of("unevaluable")) + self.not_judged, ""),
            ("non-equivalent mutants (counted)", total, ""),
            ("  refuted", n["refuted"], pct(n["refuted"])),
            ("  conditional, condition checked", n["conditional"], pct(n["conditional"])),
            ("  undecided / timeout / error", n["undecided"], pct(n["undecided"])),
            ("  UNSOUND (proved, checked or wrong condition)", n["unsound"], pct(n["unsound"])),
            ("correct verdicts (refuted + checked conditional)",
             n["refuted"] + n["conditional"], pct(n["refuted"] + n["conditional"])),
            ("equivalent mutants refuted (false refutation)", len(self.false_refutations), ""),
            ("ill-formed mutants reported true", len(self.ill_formed_held), ""),
        ]
        width = max(len(r[0]) for r in rows)
        lines = [f"{label:<{width}}  {value:>5}  {p}".rstrip() for label, value, p in rows]
        lines.append(f"condition search: {'on' if self.conditions else 'off'}; "
                     f"wall time {self.seconds:.0f} s")
        by_op = Counter(c.mutation.op for c in self.counted)
        refuted_by_op = Counter(c.mutation.op for c in self.counted
                                if c.status in ("refuted", "conditional") and not c.unsound)
        lines.append("per operator (refuted or correct condition / counted): " + ", ".join(
            f"{op} {refuted_by_op[op]}/{k}" for op, k in sorted(by_op.items())))
        methods = Counter(c.method for c in self.counted if c.status == "refuted")
        lines.append("refuted by: " + ", ".join(f"{m} {k}" for m, k in methods.most_common()))
        return "\n".join(lines)

    def details(self) -> str:
        out = []
        for c in self.unsound:
            out.append(
                f"UNSOUND {c.mutation.id}\n  operator: {c.mutation.describe()}\n"
                f"  verdict: {c.status} by {c.method}"
                + (f" (condition: {c.condition})" if c.condition else "")
                + f"\n  engine: {c.detail}\n  the sides differ: {c.judged.witness}"
            )
        for k in self.originals_differing:
            out.append(f"PROVED ORIGINAL DIFFERS {k}: {self.originals[k].witness}")
        for c in self.ill_formed_held:
            out.append(f"ILL-FORMED BUT {c.status.upper()} {c.mutation.id}: {c.judged.detail}")
        for c in self.false_refutations:
            out.append(
                f"FALSE REFUTATION {c.mutation.id}\n  operator: {c.mutation.describe()}\n"
                f"  verdict: {c.status} by {c.method}: {c.detail}\n"
                f"  independently: {c.judged.detail}"
            )
        undecided = [c for c in self.counted if c.status not in
                     ("refuted", "conditional") and not c.unsound]
        for c in undecided:
            out.append(f"undecided {c.mutation.id}: {c.status} by {c.method}: {c.detail[:160]}")
        return "\n".join(out)


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


def selftest(
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
) -> Report:
    """Decide the originals (cached), mutate the proved ones, judge every mutant twice."""
    from verifier.engine import Options, run, run_tasks

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
    cond_jobs = [i for i, r in decided.items()
                 if r.verdict.status == "conditional" and verdicts[i].status == "differs"]
    checked = run_tasks(
        lambda i: condition_holds(claims[i], decided[i].verdict.condition, seed), cond_jobs,
        jobs=jobs, timeout=max(60.0, 2 * timeout), memory_limit=memory_limit)
    cond_ok = {cond_jobs[o.index]: o.status == "ok" and o.value.status == "equivalent"
               for o in checked}
    report = Report(targets=len(targets), conditions=conditions,
                    originals=originals_judged)
    for i, m in enumerate(chosen):
        if i not in verdicts:
            report.not_judged += 1
            continue
        r = decided.get(i)
        v = r.verdict if r is not None else None
        report.cases.append(Case(
            m, verdicts[i],
            status=v.status if v else "",
            method=v.method if v else "",
            detail=v.detail if v else "",
            condition=v.condition if v else None,
            condition_ok=cond_ok.get(i),
        ))
    report.seconds = time.perf_counter() - start
    return report


def main(args) -> int:
    """The ``selftest`` command: print the table (and every unsound case); exit 1 on one."""
    import os

    from verifier.cache import Cache
    from verifier.cli import UsageError, _default_memory_limit, _select

    jobs = args.jobs or os.cpu_count() or 1
    if jobs < 1 or args.timeout <= 0 or args.mutants < 1:
        raise UsageError("--jobs and --mutants must be at least 1, --timeout positive")
    entries = _select(getattr(args, "topic", None), None)
    cache = None if getattr(args, "no_cache", False) else Cache(getattr(args, "cache_dir", None))
    report = selftest(
        entries, mutants=args.mutants, seed=args.seed, jobs=jobs, timeout=args.timeout,
        conditions=getattr(args, "conditions", False),
        memory_limit=_default_memory_limit(jobs),
        cache=cache, log=lambda msg: print(msg, file=sys.stderr, flush=True),
    )
    print(report.table())
    extra = report.details()
    if extra:
        print()
        print(extra)
    return 1 if report.failed else 0
