"""Verdicts and results: plain frozen dataclasses of strings and numbers (picklable, cacheable)."""

from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, field, fields
from typing import Any

__all__ = [
    "CorrectGradient",
    "Counterexample",
    "Requirement",
    "ImplementationCheck",
    "Result",
    "Verdict",
    "VERDICTS",
    "as_expected",
    "extra_facts",
    "fact_text",
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

# set by verifier.report.console when it loads: a result's panel, for ``rich.print(result)``
RICH_PANEL: Any = None


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
class Requirement:
    """A condition for both sides to be defined, in the assumption vocabulary ("X.T @ X
    invertible", "var(x) nonzero"); ``assumed`` when the claim's assumptions imply it or it
    always holds (``why`` says which)."""

    condition: str
    assumed: bool
    why: str = ""

    def __str__(self) -> str:
        """"A invertible (not assumed)", "exp(x) nonzero (always holds)", "A invertible
        (assumed)": a reader of "requires: …" sees which conditions are open."""
        if not self.assumed:
            return f"{self.condition} (not assumed)"
        return f"{self.condition} ({'always holds' if self.why == 'always holds' else 'assumed'})"


@dataclass(frozen=True)
class CorrectGradient:
    """The gradient a refuted (or conditional) gradient claim should have stated, in the
    claim's layout: derived by ``verifier.derive`` and decided by the engine (``evidence``:
    proved, proved-at-sizes or checked; never shown without one)."""

    text: str  # in the claim language: (M + M.T) @ a
    unicode: str  # as a textbook prints it: (M + Mᵀ)a
    latex: str
    evidence: str
    layout: str = "denominator"
    wrt: str = ""

    @property
    def equation(self) -> str:
        """∂f/∂a = (M + Mᵀ)a, the layout named where it is not the default."""
        layout = " (numerator layout)" if self.layout == "numerator" else ""
        return f"∂f/∂{self.wrt}{layout} = {self.unicode}"

    @property
    def evidence_phrase(self) -> str:
        return {"proved": "proved", "proved-at-sizes": "proved at fixed sizes only",
                "checked": "checked numerically only"}.get(self.evidence, self.evidence)

    def __str__(self) -> str:
        return f"{self.equation}   [{self.text}] ({self.evidence_phrase})"


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
    requires: tuple[Requirement, ...] = ()  # where both sides are defined
    # a refuted or conditional gradient claim: the gradient it should have stated
    correct_gradient: CorrectGradient | None = None

    def __post_init__(self) -> None:
        if self.status not in VERDICTS:
            raise ValueError(f"unknown verdict {self.status!r}")

    @property
    def holds(self) -> bool:
        return self.status in HOLDING

    @property
    def unstated(self) -> tuple[str, ...]:
        """The definedness conditions the claim relies on but does not assume."""
        return tuple(r.condition for r in self.requires if not r.assumed)

    @property
    def phrase(self) -> str:
        """The verdict with the conditions it holds under, e.g. "proved where a invertible
        (not assumed)"; a verdict that holds only where its sides exist says so."""
        if self.holds and self.unstated:
            return f"{self.status} where {' and '.join(self.unstated)} (not assumed)"
        return self.status


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
    corrected: str = ""  # id of the entry that states this formula correctly (as-written ones)
    corrected_title: str = ""  # that entry's title: the correct form, in the note's words
    command: str = ""  # the command that reproduces it, when ``check ID`` cannot (one-liners)

    @property
    def reproduce(self) -> str:
        """The command that decides this entry again with the same random points."""
        if self.command:
            return self.command
        if self.source == "python" and not self.origin:
            return f"the same verify(...) call with seed={self.seed}"
        target = self.origin.rsplit(":", 1)[0] if self.origin else self.id
        return f"derivcheck check {target} --seed {self.seed}"

    def __str__(self) -> str:
        """A readable account: verdict, expectation, counterexample, condition, reproduce."""
        from verifier.account import describe

        return describe(self)

    def __repr__(self) -> str:
        v = self.verdict
        cond = f" ({v.condition})" if v.condition else ""
        mark = "" if self.as_expected else ", NOT as expected"
        return f"<Result {self.id}: {v.status}{cond}, expected {self.expected}{mark}>"

    def __rich__(self):
        """``rich.print(result)``: the console report's panel of this result, once the
        report is loaded (it registers itself here), else the plain account."""
        return RICH_PANEL(self) if RICH_PANEL is not None else str(self)

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
            "requires": _jsonable(list(v.requires)),
            "counterexample": asdict(v.counterexample) if v.counterexample else None,
            "correct_gradient": _gradient_dict(v.correct_gradient),
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
                    "correct_gradient": _gradient_dict(s.verdict.correct_gradient),
                    "lhs": s.lhs,
                    "rhs": s.rhs,
                    "lhs_latex": s.lhs_latex,
                    "rhs_latex": s.rhs_latex,
                    "lhs_mathml": s.lhs_mathml,
                    "rhs_mathml": s.rhs_mathml,
                } | {name: _jsonable(value) for name, value in extra_facts(s.verdict)}
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
            "corrected": self.corrected or None,
            "corrected_title": self.corrected_title or None,
        } | {name: _jsonable(value) for name, value in extra_facts(v) + extra_facts(self)
             if name not in ("id", "verdict", "steps")}


def _gradient_dict(g: CorrectGradient | None) -> dict[str, Any] | None:
    """The JSON form: text (claim language), unicode, latex, evidence, layout, wrt."""
    return None if g is None else asdict(g) | {"equation": g.equation}


def as_expected(expect, verdict: Verdict) -> bool:
    """Does a verdict match the catalogue's expectation (holds / fails / holds if C)?

    ``fails`` is met by ``refuted`` and by ``conditional``: a claim that holds only under a
    condition is false as stated (``verifier.testing.assert_fails`` agrees).
    """
    if expect.outcome == "holds":
        return verdict.holds
    if expect.outcome == "fails":
        return verdict.status in ("refuted", "conditional")
    return verdict.status == "conditional" and (
        verdict.condition == expect.condition
        or implies(expect.condition or "", verdict.condition or ""))


# what a property of one symbol implies of it (positive definite is symmetric positive
# definite here): a claim that holds under the weaker condition found holds under the
# expected, stronger one too, so "holds if A positive definite" is met by "holds if A symmetric"
_IMPLIED = {
    "positive definite": ("symmetric", "invertible"),
    "diagonal": ("symmetric",),
    "orthogonal": ("invertible",),
    "positive": ("nonnegative", "nonzero"),
    "negative": ("nonzero",),
}


def implies(stronger: str, weaker: str) -> bool:
    """Does the condition "X p" imply "X q" (one symbol, one property each)?"""
    name, _, prop = stronger.partition(" ")
    other, _, found = weaker.partition(" ")
    return bool(name) and name == other and found in _IMPLIED.get(prop, ())


# ----- fields added later (e.g. definedness conditions), shown by every report -----

_KNOWN_FIELDS = {
    Verdict: frozenset(("status", "method", "detail", "counterexample", "condition",
                        "condition_evidence", "max_error", "sizes", "correct_gradient")),
    Result: frozenset(("id", "title", "source", "kind", "verdict", "expected", "as_expected",
                       "seconds", "seed", "steps", "implementation", "xfail", "cached", "lhs",
                       "rhs", "lhs_latex", "rhs_latex", "origin", "lhs_mathml", "rhs_mathml",
                       "corrected", "corrected_title", "command")),
}


def extra_facts(obj: Verdict | Result) -> list[tuple[str, Any]]:
    """Fields of a verdict (or result) that no renderer knows by name, with a value.

    Reports show them generically ("requires: A invertible"), so a field added to ``Verdict``
    or ``Result`` reaches the user before any renderer learns its name.
    """
    known = next((k for cls, k in _KNOWN_FIELDS.items() if isinstance(obj, cls)), frozenset())
    out = []
    for f in fields(obj):
        if f.name in known:
            continue
        value = getattr(obj, f.name)
        if f.default is not MISSING:
            default = f.default
        elif f.default_factory is not MISSING:
            default = f.default_factory()
        else:
            default = None
        try:
            unset = value is None or value is default or bool(value == default)
        except Exception:  # noqa: BLE001 - a value without a plain truth (an array): show it
            unset = False
        if not unset and value not in ("", (), []):
            out.append((f.name, value))
    return out


def fact_text(value: Any) -> str:
    """A generic field's value as one line of text (lists joined by "; ")."""
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(fact_text(x) for x in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {fact_text(x)}" for k, x in value.items())
    return str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(x) for x in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(x) for k, x in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    try:
        return _jsonable(asdict(value))
    except TypeError:
        return str(value)
