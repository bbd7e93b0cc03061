"""Assertions for any test suite: ``assert_holds`` / ``assert_fails`` on formulas in the claim
language, with the verdict, the counterexample and the condition in the failure message.

    from verifier.testing import assert_holds

    def test_quadratic_form_gradient():
        assert_holds("grad(x.T @ A @ x, x)", "(A + A.T) @ x",
                     symbols="x: vector(n), A: matrix(n, n)")
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from verifier.verdict import (
    Counterexample,
    Result,
    StepResult,
    Verdict,
    extra_facts,
    fact_text,
)

__all__ = ["assert_fails", "assert_holds", "describe"]


def assert_holds(
    lhs: Any,
    rhs: Any = None,
    *,
    symbols: str | Mapping[str, str] | None = None,
    assume: Sequence[str] = (),
    layout: str = "denominator",
    seed: int = 0,
    timeout: float = 60.0,
) -> Result:
    """Fail unless the claim is proved (in general or at sizes) or numerically checked."""
    from verifier.api import verify

    result = verify(lhs, rhs, symbols=symbols, assume=assume, layout=layout, seed=seed,
                    timeout=timeout)
    if not result.verdict.holds:
        raise AssertionError("expected the claim to hold\n" + describe(result))
    return result


def assert_fails(
    lhs: Any,
    rhs: Any = None,
    *,
    symbols: str | Mapping[str, str] | None = None,
    assume: Sequence[str] = (),
    layout: str = "denominator",
    seed: int = 0,
    timeout: float = 60.0,
) -> Result:
    """Fail unless the claim is refuted by a counterexample (conditional counts as refuted)."""
    from verifier.api import verify

    result = verify(lhs, rhs, symbols=symbols, assume=assume, layout=layout, seed=seed,
                    timeout=timeout)
    if result.verdict.status not in ("refuted", "conditional"):
        raise AssertionError("expected the claim to fail\n" + describe(result))
    return result


# ----- a readable account of a result -----


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
    out = [f"{indent}verdict: {v.status} (by {v.method})"]
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
    return out


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
    from verifier.report.plain import inline_value

    return inline_value(v)
