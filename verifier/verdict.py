"""Verdicts and results: plain frozen dataclasses of strings and numbers (picklable, cacheable)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "Counterexample",
    "ImplementationCheck",
    "Result",
    "Verdict",
    "VERDICTS",
    "as_expected",
]

VERDICTS = (
    "proved",
    "proved-at-sizes",
    "checked",
    "refuted",
    "conditional",
    "undecided",
    "timeout",
    "error",
)
HOLDING = ("proved", "proved-at-sizes", "checked")


@dataclass(frozen=True)
class Counterexample:
    """A concrete point where the two sides differ.

    ``values`` maps each symbol to its value as text (a scalar) or nested lists of text
    (a matrix, row by row); ``exact`` says whether the residual was computed exactly.
    """

    values: dict[str, Any]
    lhs: Any
    rhs: Any
    difference: Any
    exact: bool
    sizes: dict[str, int] = field(default_factory=dict)
    note: str = ""  # e.g. "shapes differ: lhs is 3×1, rhs is 1×3"


@dataclass(frozen=True)
class Verdict:
    status: str
    method: str
    detail: str = ""
    counterexample: Counterexample | None = None
    condition: str | None = None
    condition_evidence: str | None = None  # verdict under the condition: proved / checked …
    max_error: float | None = None
    sizes: tuple[dict[str, int], ...] | None = None

    def __post_init__(self) -> None:
        if self.status not in VERDICTS:
            raise ValueError(f"unknown verdict {self.status!r}")

    @property
    def holds(self) -> bool:
        return self.status in HOLDING


@dataclass(frozen=True)
class ImplementationCheck:
    path: str
    matches: bool
    max_error: float | None
    detail: str = ""


@dataclass(frozen=True)
class StepResult:
    index: int
    verdict: Verdict
    expected: str
    as_expected: bool
    lhs: str = ""
    rhs: str = ""
    lhs_latex: str = ""
    rhs_latex: str = ""
    lhs_mathml: str = ""  # presentation MathML, "" when the side is too large to typeset
    rhs_mathml: str = ""


@dataclass(frozen=True)
class Result:
    id: str
    title: str
    source: str
    kind: str
    verdict: Verdict
    expected: str
    as_expected: bool
    seconds: float
    seed: int
    steps: tuple[StepResult, ...] = ()
    implementation: ImplementationCheck | None = None
    xfail: str | None = None
    cached: bool = False
    lhs: str = ""
    rhs: str = ""
    lhs_latex: str = ""
    rhs_latex: str = ""
    origin: str = ""  # "file:line" for a claim from a claim file
    lhs_mathml: str = ""  # presentation MathML, "" when the side is too large to typeset
    rhs_mathml: str = ""

    @property
    def reproduce(self) -> str:
        """The command that decides this entry again with the same random points."""
        target = self.origin.rsplit(":", 1)[0] if self.origin else self.id
        return f"derivcheck check {target} --seed {self.seed}"

    def to_dict(self) -> dict[str, Any]:
        v = self.verdict
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "kind": self.kind,
            "verdict": v.status,
            "method": v.method,
            "detail": v.detail,
            "expected": self.expected,
            "as_expected": self.as_expected,
            "condition": v.condition,
            "condition_evidence": v.condition_evidence,
            "counterexample": asdict(v.counterexample) if v.counterexample else None,
            "max_error": v.max_error,
            "sizes": list(v.sizes) if v.sizes else None,
            "seconds": round(self.seconds, 4),
            "seed": self.seed,
            "steps": [
                {
                    "index": s.index,
                    "verdict": s.verdict.status,
                    "method": s.verdict.method,
                    "expected": s.expected,
                    "as_expected": s.as_expected,
                    "condition": s.verdict.condition,
                    "counterexample": asdict(s.verdict.counterexample)
                    if s.verdict.counterexample
                    else None,
                    "lhs": s.lhs,
                    "rhs": s.rhs,
                    "lhs_latex": s.lhs_latex,
                    "rhs_latex": s.rhs_latex,
                    "lhs_mathml": s.lhs_mathml,
                    "rhs_mathml": s.rhs_mathml,
                }
                for s in self.steps
            ]
            or None,
            "implementation": asdict(self.implementation) if self.implementation else None,
            "xfail": self.xfail,
            "lhs": self.lhs,
            "rhs": self.rhs,
            "lhs_latex": self.lhs_latex,
            "rhs_latex": self.rhs_latex,
            "origin": self.origin or None,
            "reproduce": self.reproduce,
            "lhs_mathml": self.lhs_mathml,
            "rhs_mathml": self.rhs_mathml,
        }


def as_expected(expect, verdict: Verdict) -> bool:
    """Does a verdict match the catalogue's expectation (holds / fails / holds if C)?"""
    if expect.outcome == "holds":
        return verdict.holds
    if expect.outcome == "fails":
        return verdict.status == "refuted"
    return verdict.status == "conditional" and verdict.condition == expect.condition
