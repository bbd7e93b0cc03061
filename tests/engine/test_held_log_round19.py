"""A long power exp(k·log q) at a point must stay cheap through every later SymPy step.

ops.exp used to leave it an unevaluated exp, which |e|, e·e, √e and comparisons rebuild and
evaluate to the exact q**k in one C call no time limit interrupts: x**x >= 7/10 (false at
x = 1/e) hung for minutes past a 10 s budget at the special point x = 10¹². Its logs are held
now (ops.held_log). Each check runs in a forked process so that a hang fails, not stalls."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable
from typing import Any

import pytest
import sympy as sp

from verifier import certify, ops

BIG = sp.Integer(10**12)
NEAR_ONE = sp.Rational(10**12 - 1, 10**12)


def _run(fn: Callable[[], Any], q: Any) -> None:
    q.put(fn())


def _within(seconds: float, fn: Callable[[], Any]) -> Any:
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_run, args=(fn, q))
    p.start()
    p.join(seconds)
    if p.is_alive():
        p.kill()
        p.join()
        pytest.fail(f"did not finish in {seconds} s")
    return q.get(timeout=5)


def _huge() -> Any:
    return ops.exp(BIG * ops.log(BIG))  # 10¹² ** 10¹²


def _near_one() -> Any:
    return ops.exp(NEAR_ONE * ops.log(NEAR_ONE))  # q ** q, just below 1


@pytest.mark.parametrize(("build", "expected"), [
    (lambda: ops.compare(_huge(), sp.Rational(7, 10), ">="), 1),
    (lambda: ops.compare(_near_one(), 1, ">="), 0),
    (lambda: ops.compare(_near_one(), sp.Rational(7, 10), ">"), 1),
    (lambda: certify.sign(ops.abs_(_huge() - 1) - _huge() * _huge()), -1),
    (lambda: certify.sign(ops.sqrt(_huge()) - BIG), 1),
    (lambda: certify.sign(ops.maximum(_near_one(), 1) - 1), 0),
])
def test_operations_on_a_long_power_finish_with_the_right_value(build, expected):
    assert _within(20, build) == expected


def test_the_held_log_is_the_same_number():
    value = ops.exp(sp.Integer(10**6) * sp.log(3))
    assert abs(sp.N(sp.log(value) / sp.log(3), 30) - 10**6) < 1e-20
    assert str(ops.exp(NEAR_ONE * sp.log(NEAR_ONE))).count("log(999999999999/1000000000000)") == 1


X = sp.Symbol("x", positive=True)
EULER = sp.exp(X * sp.log(1 + 1 / X))  # (1 + 1/x) ** x as the language reads it


def _euler_at_big_x() -> int | None:
    from verifier.sympy_adjust import held_long_powers

    with held_long_powers():  # a strategy substitutes points into the claim's own form
        value = EULER.xreplace({X: BIG})
        return certify.sign(sp.E - value)


def test_a_point_substituted_into_a_real_power_stays_cheap():
    # (1 + 1/x) ** x < e for every x > 0; at 10¹² it is e - 1.4e-12
    assert _within(20, _euler_at_big_x) == 1


def test_outside_the_block_sympy_is_its_own():
    assert sp.exp(2 * sp.log(sp.Integer(5000))) == 5000**2
    assert sp.exp.eval(sp.Integer(5000) * sp.log(sp.Integer(3))) is not None


def test_a_real_power_claim_with_points_at_ten_to_the_twelve_comes_back():
    def verdict() -> str:
        from verifier.api import verify

        symbols = {name: "scalar" for name in ("x", "y", "a", "b", "t", "p", "u", "v")}
        return verify("(1 + 1/x)**x <= exp(1)", symbols=symbols, assume=["x positive"],
                      timeout=3).verdict.status

    # true ((1 + 1/x) ** x increases to e): "refuted" would be unsound
    assert _within(60, verdict) in ("proved", "checked", "undecided")


def _powers_of_numbers() -> tuple:
    from verifier.sympy_adjust import held_long_powers

    with held_long_powers():
        half = sp.Rational(1, 2) ** BIG
        odd = sp.Integer(-2) ** (BIG + 1)
        root = sp.Integer(2) ** (1 / BIG)
        return (certify.sign(1 - half), certify.sign(half), certify.sign(odd),
                certify.sign(root - 1), sp.Integer(2) ** 10, sp.sqrt(sp.Integer(4)))


def test_a_number_to_a_long_power_stays_cheap_and_keeps_its_sign():
    assert _within(20, _powers_of_numbers) == (1, 1, -1, 1, 1024, 2)


def test_a_claim_on_a_power_of_a_number_comes_back():
    def verdict() -> str:
        from verifier.api import verify

        return verify("(1/2)**a <= 1", symbols={"a": "scalar", "x": "scalar", "y": "scalar"},
                      assume=["a nonnegative"], timeout=3).verdict.status

    # true (2^-a <= 1 for a >= 0); the point a = 10¹² made SymPy compute 2**(10**12)
    assert _within(60, verdict) in ("proved", "checked", "undecided")


def test_exp_of_a_plain_log_is_still_its_argument():
    from verifier.sympy_adjust import held_long_powers

    q = sp.Rational(10**12 + 1, 7)
    with held_long_powers():
        assert sp.exp(sp.log(q)) == q
