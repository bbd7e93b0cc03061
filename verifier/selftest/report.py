"""What a selftest run found: a table per generator, every unsound case with its command.

``Report`` joins the generated cases (``Outcome``: the case, the engine's result as JSON,
the judge's finding) and the mutant mode (``MutantReport``).  The run fails (exit 1) on any
unsound verdict, on a harness error (a certified counterexample against a case's ground
truth, or a generated claim that does not load), and on the mutant mode's own failures.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from verifier.selftest.cases import HOLDING, Case
from verifier.selftest.equivalence import Classification
from verifier.selftest.judge import Judgement
from verifier.selftest.mutants import Mutation

__all__ = ["MutantCase", "MutantReport", "Outcome", "Report"]


# ----- generated cases -----


@dataclass(frozen=True)
class Outcome:
    """One generated case: the engine's result (``Result.to_dict()``) and the judgement."""

    case: Case
    result: dict[str, Any] | None
    judgement: Judgement | None
    load_error: str = ""

    @property
    def status(self) -> str:
        return self.result["verdict"] if self.result else "not run"

    @property
    def unsound(self) -> bool:
        return self.judgement is not None and not self.judgement.sound

    @property
    def harness(self) -> str:
        if self.load_error:
            return f"the generated claim does not load: {self.load_error}"
        return self.judgement.harness if self.judgement else ""

    @property
    def unjudged(self) -> str:
        if self.result is not None and self.judgement is None:
            return "the judge did not finish"
        return self.judgement.unjudged if self.judgement else ""


COLUMNS = ("cases", "held", "refuted", "conditional", "inconclusive", "UNSOUND", "unjudged",
           "engine s")


def _bucket(status: str) -> str:
    if status in HOLDING:
        return "held"
    if status in ("refuted", "conditional"):
        return status
    return "inconclusive"


# ----- the mutant mode -----


@dataclass(frozen=True)
class MutantCase:
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
class MutantReport:
    """The mutant mode: proved catalogue claims mutated, each mutant judged twice."""

    targets: int = 0
    cases: list[MutantCase] = field(default_factory=list)
    not_judged: int = 0  # the independent evaluation timed out or failed
    seconds: float = 0.0
    conditions: bool = False
    originals: dict[str, Classification] = field(default_factory=dict)
    engine_seconds: float = 0.0  # the engine's own time on the mutants, summed

    @property
    def originals_differing(self) -> list[str]:
        """Proved originals that the independent judge finds false: an unsound proof in the
        catalogue itself, or a judge that cannot evaluate the claim faithfully."""
        return sorted(k for k, v in self.originals.items() if v.status == "differs")

    def _of(self, judged: str) -> list[MutantCase]:
        return [c for c in self.cases if c.judged.status == judged]

    @property
    def counted(self) -> list[MutantCase]:
        return self._of("differs")

    @property
    def unsound(self) -> list[MutantCase]:
        return [c for c in self.cases if c.unsound]

    @property
    def ill_formed_held(self) -> list[MutantCase]:
        """Ill-formed mutants the engine nevertheless called true."""
        return [c for c in self._of("ill-formed") if c.status in HOLDING + ("conditional",)]

    @property
    def false_refutations(self) -> list[MutantCase]:
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


# ----- the whole run -----


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    mutants: MutantReport | None = None
    seconds: float = 0.0
    seed: int = 0
    generators: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def unsound(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.unsound]

    @property
    def harness_errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.harness]

    @property
    def total_cases(self) -> int:
        n = len(self.outcomes)
        if self.mutants is not None:
            n += len(self.mutants.cases) + self.mutants.not_judged
        return n

    @property
    def unsound_count(self) -> int:
        return len(self.unsound) + (len(self.mutants.unsound) if self.mutants else 0)

    @property
    def failed(self) -> bool:
        return bool(self.unsound or self.harness_errors
                    or (self.mutants is not None and self.mutants.failed))

    def rows(self) -> list[tuple[str, dict[str, int]]]:
        out = []
        for g in self.generators:
            mine = [o for o in self.outcomes if o.case.generator == g]
            n: Counter = Counter(cases=len(mine))
            for o in mine:
                n[_bucket(o.status)] += 1
                n["UNSOUND"] += o.unsound
                n["unjudged"] += bool(o.unjudged)
                n["engine s"] += round(o.result["seconds"]) if o.result else 0
            out.append((g, dict(n)))
        if self.mutants is not None:
            m = self.mutants
            n = Counter(cases=len(m.cases) + m.not_judged)
            for c in m.counted:
                n[_bucket(c.status)] += 1
                n["UNSOUND"] += c.unsound
            n["engine s"] = round(m.engine_seconds)
            n["UNSOUND"] += len(m.false_refutations) + len(m.ill_formed_held)
            n["unjudged"] += m.not_judged + len(m._of("unevaluable"))
            out.append(("mutants", dict(n)))
        return out

    def table(self) -> str:
        rows = self.rows()
        total: Counter = Counter()
        for _, n in rows:
            total.update(n)
        rows.append(("total", dict(total)))
        width = max(len(r[0]) for r in rows)
        head = f"{'generator':<{width}}  " + "  ".join(f"{c:>{max(5, len(c))}}" for c in COLUMNS)
        lines = [head, "-" * len(head)]
        for name, n in rows:
            lines.append(f"{name:<{width}}  " + "  ".join(
                f"{n.get(c, 0):>{max(5, len(c))}}" for c in COLUMNS))
        lines.append(
            f"seed {self.seed}; {self.total_cases} cases; {self.unsound_count} unsound; "
            f"wall time {self.seconds:.0f} s"
            + (" (" + ", ".join(f"{k} {v:.0f} s" for k, v in self.timings.items()) + ")"
               if self.timings else ""))
        if self.mutants is not None:
            m = self.mutants
            lines.append(f"mutants: {len(m.counted)} of {len(m.cases) + m.not_judged} differ "
                         f"from their proved original and are counted; "
                         f"{len(m._of('equivalent'))} equivalent and "
                         f"{len(m._of('ill-formed'))} ill-formed set aside")
        return "\n".join(lines)

    def per_template(self) -> str:
        """Unsound counts by generator and template (where the holes are)."""
        n: Counter = Counter((o.case.generator, o.case.template) for o in self.unsound)
        if not n:
            return ""
        return "unsound by template: " + ", ".join(
            f"{g}/{t} {k}" for (g, t), k in sorted(n.items()))

    def details(self, limit: int | None = None) -> str:
        out = []
        shown = self.unsound if limit is None else self.unsound[:limit]
        for o in shown:
            out.append(describe(o, self.seed))
        if limit is not None and len(self.unsound) > limit:
            out.append(f"... and {len(self.unsound) - limit} more unsound cases "
                       "(--save FILE writes them all)")
        for o in self.harness_errors:
            out.append(f"HARNESS ERROR {o.case.id}: {o.harness}\n{_indent(o.case.toml())}")
        if self.mutants is not None:
            extra = self.mutants.details()
            if extra:
                out.append(extra)
        return "\n".join(out)


def describe(o: Outcome, seed: int) -> str:
    """One unsound case: what it probes, the verdict, why it is unsound, how to reproduce."""
    c, j = o.case, o.judgement
    assert j is not None
    lines = [f"UNSOUND {c.id} ({c.generator}/{c.template}): {c.why}",
             f"  verdict: {j.status} by {j.method or '?'}" + (
                 f" (condition: {o.result.get('condition')})" if o.result and
                 o.result.get("condition") else ""),
             f"  why unsound: {j.reason}"]
    if j.detail:
        lines.append(f"  engine said: {j.detail[:240]}")
    lines.append(f"  reproduce: {c.command(seed)}")
    if c.is_derivation or c.kind == "non-identity":
        lines.append(_indent(c.toml()))
    return "\n".join(lines)


def _indent(text: str, pad: str = "    ") -> str:
    return "\n".join(pad + line for line in text.rstrip().split("\n"))
