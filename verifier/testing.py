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

from verifier.account import describe
from verifier.verdict import Result

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
