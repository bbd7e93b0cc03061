"""A result as plain text: verdict, expectation, counterexample, condition, reproduce.

``str(result)`` and the failure messages of ``verifier.testing`` read like this; the console
report renders the same facts with rich.
"""

from __future__ import annotations

from typing import Any

from verifier.verdict import (
    CorrectGradient,
    Counterexample,
    Result,
    StepResult,
    Verdict,
    extra_facts,
    fact_text,
)

__all__ = ["correct_gradient_line", "describe", "inline_value"]


def describe(result: Result) -> str:
    """The verdict, expectation, counterexample and condition of a result, as plain text."""
    out = [f"{result.kind} {result.id!r}: {result.title}"]
    if result.lhs or result.rhs:
        out.append(f"  lhs: {result.lhs}")
        out.append(f"  rhs: {result.rhs}")
    # a derivation's counterexample is its failing step's: shown once, under the step
    out += _verdict_lines(result.verdict, "  ", counterexample=not result.steps)
    out.append(f"  expected: {result.expected}" + ("" if result.as_expected else "  (NOT MET)"))
    for step in result.steps:
        out += _step_lines(step)
    if result.corrected_title:
        out.append(f"  correct form: {result.corrected_title} ({result.corrected})")
    if result.implementation is not None:
        impl = result.implementation
        out.append(f"  implementation {impl.path} "
                   + ("matches" if impl.matches else f"does not match: {impl.detail}"))
    out += [f"  {name.replace('_', ' ')}: {fact_text(value)}" for name, value in
            extra_facts(result)]
    out.append(f"  reproduce: {result.reproduce}")
    return "\n".join(out)


def _verdict_lines(v: Verdict, indent: str, counterexample: bool = True) -> list[str]:
    out = [f"{indent}verdict: {v.phrase} (by {v.method})"]
    if v.condition:
        how = f" ({v.condition_evidence})" if v.condition_evidence else ""
        out.append(f"{indent}holds if {v.condition}{how}")
    if v.detail:
        out.append(f"{indent}detail: {v.detail}")
    out += [f"{indent}{name.replace('_', ' ')}: {fact_text(value)}"
            for name, value in extra_facts(v)]
    if v.max_error is not None:
        out.append(f"{indent}max error: {v.max_error:.3g}")
    if v.counterexample is not None and counterexample:
        out += _counterexample_lines(v.counterexample, indent)
    if v.correct_gradient is not None and counterexample:
        out.append(f"{indent}correct gradient: {correct_gradient_line(v.correct_gradient)}")
    return out


def correct_gradient_line(g: CorrectGradient) -> str:
    """∂f/∂a = (M + Mᵀ)a (claim language: (M + M.T) @ a; proved)."""
    return f"{g.equation} (claim language: {g.text}; {g.evidence_phrase})"


def _step_lines(step: StepResult) -> list[str]:
    mark = "ok" if step.as_expected else "NOT AS EXPECTED"
    out = [f"  step {step.index}: {step.lhs} = {step.rhs}  [{step.verdict.status}; "
           f"expected {step.expected}; {mark}]"]
    if not step.as_expected or not step.verdict.holds:
        out += _verdict_lines(step.verdict, "    ")
    return out


def _counterexample_lines(c: Counterexample, indent: str) -> list[str]:
    where = ", ".join(f"{k} = {v}" for k, v in c.sizes.items())
    kind = "exact" if c.exact else "numeric"
    out = [f"{indent}counterexample ({kind}{', at ' + where if where else ''}):"]
    if c.note:
        out.append(f"{indent}  {c.note}")
    for name, value in c.values.items():
        out.append(f"{indent}  {name} = {_value(value)}")
    out.append(f"{indent}  lhs = {_value(c.lhs)}")
    out.append(f"{indent}  rhs = {_value(c.rhs)}")
    out.append(f"{indent}  lhs - rhs = {_value(c.difference)}")
    return out


def _value(v: Any) -> str:
    """Nested lists of entries as ``[[1, 0], [2, 3]]``, a column as ``[1, 0]ᵀ``."""
    return inline_value(v)


def inline_value(v: Any) -> str:
    """A value on one line: a column as ``[1, 0]ᵀ``, a matrix as ``[[1, 0], [2, 3]]``, a 1×1
    matrix as its entry, a scalar as is."""
    if isinstance(v, list):
        if v and all(isinstance(r, list) and len(r) == 1 for r in v) and len(v) > 1:
            return "[" + ", ".join(str(r[0]) for r in v) + "]ᵀ"
        if len(v) == 1 and isinstance(v[0], list) and len(v[0]) == 1:
            return str(v[0][0])
        return "[" + ", ".join(inline_value(r) if isinstance(r, list) else str(r) for r in v) + "]"
    return str(v)
