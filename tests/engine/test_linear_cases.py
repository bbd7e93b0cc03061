"""The piecewise-linear zero test: a case split on the kinks' linear conditions, each case
decided exactly (Fourier-Motzkin).  Soft-thresholding, Huber's gradient as a clip and PPO's
clipped objective were only "checked" (simplify gave up after 10-16 s each).  Proposed by the
language helper (round 8); the attacks below (boundary lines, points, strictness, factors of
unfixed sign, conditions inside sums) are the engine helper's review (round 11)."""

from __future__ import annotations

import pytest
import sympy as sp

from verifier.api import as_entry
from verifier.engine import Options, decide
from verifier.instantiate import default_sizes
from verifier.strategies.context import Context
from verifier.strategies.linear_cases import linear_cases_zero

a, b, v, x, y, z = sp.symbols("a b v x y z", real=True)
t = sp.Symbol("t", positive=True)
t0 = sp.Symbol("t0", nonnegative=True)
k = sp.Symbol("k", integer=True)
n = sp.Symbol("n", integer=True, positive=True)


def _relu(e):
    return sp.Piecewise((e, e > 0), (0, True))


def _ind(c):
    return sp.Piecewise((1, c), (0, True))


def test_max_plus_min_is_the_sum():
    assert linear_cases_zero(sp.Max(a, b) + sp.Min(a, b) - a - b)


def test_a_kink_that_is_not_zero_is_not_shown_zero():
    assert not linear_cases_zero(sp.Abs(a) - a)
    assert not linear_cases_zero(sp.Max(a, b) - a)


def test_the_signs_of_the_assumptions_are_used():
    # v > t and −v > t cannot both hold when t > 0: the product of the two is 0
    assert linear_cases_zero(_relu(v - t) * _relu(-v - t))
    assert not linear_cases_zero(_relu(v - a) * _relu(-v - a))  # at a = −1, v = 0 it is 1
    # with t ≥ 0 only, v ≥ t and −v ≥ t meet at t = v = 0
    assert not linear_cases_zero(_ind(v >= t0) * _ind(-v >= t0))


def test_a_case_that_holds_only_on_its_boundary_line_is_decided_there():
    # relu(v − t) − relu(−v − t) = v − clip(v, −t, t): the cases v = ±t are lines
    clip = sp.Min(sp.Max(v, -t), t)
    assert linear_cases_zero(_relu(v - t) - _relu(-v - t) - (v - clip))
    assert not linear_cases_zero(_relu(v - t) - _relu(-v + t) - (v - clip))


def test_equalities_forced_in_turn_reach_a_point_and_no_further():
    # x ≥ y ≥ z ≥ x holds on the line x = y = z only: x − z vanishes there, x − z + 1 not
    cycle = _ind((x >= y) & (y >= z) & (z >= x))
    assert linear_cases_zero(cycle * (x - z))
    assert not linear_cases_zero(cycle * (x - z + 1))
    assert linear_cases_zero(_ind((x > y) & (y > z) & (z > x)))  # strict: empty
    assert not linear_cases_zero(_ind((x >= 0) & (x <= 0) & (y >= 0) & (y <= 0)))


def test_a_factor_whose_sign_is_not_fixed_keeps_the_condition_non_linear():
    # a·(x − 1) > 0 is x > 1 only for a > 0; for a ≥ 0 or any a it is not
    pos = sp.Symbol("p", positive=True)
    assert linear_cases_zero(_ind(pos * (x - 1) > 0) - _ind(x > 1))
    assert not linear_cases_zero(_ind(t0 * (x - 1) > 0) - _ind(x > 1))
    assert not linear_cases_zero(_ind(a * (x - 1) > 0) - _ind(x > 1))
    assert not linear_cases_zero(_ind(x**2 * (y - 1) > 0) - _ind(y > 1))  # false at x = 0


def test_one_half_space_written_several_ways_is_one_case():
    # c < d and 2c − 2d ≥ 0 are one condition and its negation: 10 written conditions are 5
    # case variables (the nested max(max(a, b), max(c, d)) the language builds writes each
    # pair twice, 12 conditions, and was only "checked" after 11 s)
    pairs = [(a, b), (b, x), (x, y), (y, z), (z, a)]
    e = sum(_ind(p < q) + _ind(2 * p - 2 * q >= 0) - 1 for p, q in pairs)
    assert linear_cases_zero(e)
    assert not linear_cases_zero(e + _ind(a - b > 0) - _ind(2 * a >= 2 * b))  # a = b: −1


def test_a_nonlinear_condition_is_left_to_the_rest_of_the_ladder():
    # 1[a² > 1] = 1[a > 1] + 1[a < −1] is 0, but a² > 1 is not a linear condition
    assert not linear_cases_zero(_ind(a**2 > 1) - _ind(a > 1) - _ind(a < -1))


def test_a_condition_inside_a_sum_is_not_one_case():
    # 1[k > a]·Σₖ 1[k < a]: the k inside the sum is bound, the same SymPy symbol as the
    # free k; split as one condition, the case k > a ∧ k < a was "empty" and the rest
    # Σ 0 − Σ 0, so this was "shown" 0 (it is 1 at k = 2, a = 1, n = 3)
    e = _ind(k > a) * sp.Sum(_ind(k < a), (k, 0, n - 1)) - _ind(k > a) * sp.Sum(0, (k, 0, n - 1))
    assert e.subs({k: 2, a: 1, n: 3}).doit() == 1
    assert not linear_cases_zero(e)


def test_an_absolute_value_in_a_condition_is_split():
    # 1[|a| < 1] = 1[−1 < a < 1]; 1[|a| ≤ 1] is not 1[−1 < a < 1] (a = ±1)
    inside = _ind(sp.Abs(a) < 1)
    assert linear_cases_zero(inside - _ind((a < 1) & (a > -1)))
    assert not linear_cases_zero(inside - _ind(a < 1))
    assert not linear_cases_zero(_ind(sp.Abs(a) <= 1) - _ind((a < 1) & (a > -1)))


SCALARS = "v: scalar, t: scalar, r: scalar, d: scalar, rho: scalar, eps: scalar, A: scalar"
PPO = ("eps in (0, 0.5)", "A < 0", "rho > 0")


def _status(lhs: str, rhs: str, assume=(), symbols: str = SCALARS) -> str:
    entry = as_entry(lhs, rhs, symbols=symbols, assume=assume)
    return decide(entry, Options(conditions=False, timeout=30)).verdict.status


@pytest.mark.parametrize(("lhs", "rhs", "assume"), [
    ("sign(v) * max(abs(v) - t, 0)", "relu(v - t) - relu(-v - t)", ["t > 0"]),
    ("grad((abs(r) <= d) * r**2 / 2 + (abs(r) > d) * d * (abs(r) - d / 2), r)",
     "clip(r, -d, d)", ["d > 0", "r != 0"]),
    ("min(rho * A, clip(rho, 1 - eps, 1 + eps) * A)", "max(rho, 1 - eps) * A", PPO),
    ("clip(v, -1, 1)", "relu(v + 1) - relu(v - 1) - 1", []),
])
def test_soft_thresholding_huber_ppo_and_clip_are_proved(lhs, rhs, assume):
    assert _status(lhs, rhs, assume) == "proved"


@pytest.mark.parametrize(("lhs", "rhs", "assume"), [
    ("relu(v - t) - relu(-v - t)", "v - clip(v, -t, t) + t", ["t > 0"]),
    ("min(rho * A, clip(rho, 1 - eps, 1 + eps) * A)", "min(rho, 1 - eps) * A", PPO),
    ("sign(v) * max(abs(v) - t, 0)", "relu(v - t) - relu(-v - t)", []),  # t < 0
])
def test_their_slips_are_still_refuted(lhs, rhs, assume):
    assert _status(lhs, rhs, assume) == "refuted"


def test_a_symbol_of_unfixed_sign_is_split_into_its_signs():
    # a ≥ 0 is a = 0 or a > 0: max(a·x, a·y) = a·max(x, y) in both (only "checked" before:
    # a·x ≥ a·y is not linear as written); an unassumed a is also a < 0, where it is a·min
    assert linear_cases_zero(sp.Max(t0 * x, t0 * y) - t0 * sp.Max(x, y))
    assert not linear_cases_zero(sp.Max(a * x, a * y) - a * sp.Max(x, y))  # a = −1, x = 0, y = 1
    by_sign = sp.Piecewise((a * sp.Max(x, y), a >= 0), (a * sp.Min(x, y), True))
    assert linear_cases_zero(sp.Max(a * x, a * y) - by_sign)
    # a ≠ 0 is a > 0 or a < 0: 1[a(x − 1) > 0] = 1[a·x > a]; not 1[x > 1] (a < 0)
    nz = sp.Symbol("c", real=True, nonzero=True)
    assert linear_cases_zero(_ind(nz * (x - 1) > 0) - _ind(nz * x > nz))
    assert not linear_cases_zero(_ind(nz * (x - 1) > 0) - _ind(x > 1))
    # 1[a·x ≥ 0]·1[a·x ≤ 0] is 1 at a = 0: the zero case counts
    assert not linear_cases_zero(_ind(t0 * x >= 0) * _ind(t0 * x <= 0))
    assert linear_cases_zero(_ind(t0 * x > 0) * _ind(t0 * x < 0))


def _built_residual(lhs: str, rhs: str, symbols: str):
    entry = as_entry(lhs, rhs, symbols=symbols)
    ctx = Context(entry)
    sizes = default_sizes(entry)[0]
    return ctx.build(sizes, ctx.random_index(sizes)).residual[0]


def test_a_nested_clip_is_split():
    # clip(clip(x, 0, 2), 1, 3) = clip(x, 1, 2): the language writes clip's conditions as
    # Booleans (ITE(x ≥ 0, x ≤ 2, True)), which the rewrite to Piecewise turned into a
    # Piecewise of truth values that And refuses, so it was never split ("checked")
    assert linear_cases_zero(_built_residual("clip(clip(x, 0, 2), 1, 3)", "clip(x, 1, 2)",
                                             "x: scalar"))
    assert not linear_cases_zero(_built_residual("clip(clip(x, 0, 2), 1, 3)", "clip(x, 1, 3)",
                                                 "x: scalar"))


@pytest.mark.parametrize(("lhs", "rhs", "assume", "symbols", "status"), [
    ("max(a * x, a * y)", "a * max(x, y)", ["a >= 0"], "a: scalar, x: scalar, y: scalar",
     "proved"),
    ("max(a * x, a * y)", "a * max(x, y)", [], "a: scalar, x: scalar, y: scalar", "refuted"),
    ("clip(clip(x, 0, 2), 1, 3)", "clip(x, 1, 2)", [], "x: scalar", "proved"),
])
def test_sign_splits_and_nested_clips_through_the_engine(lhs, rhs, assume, symbols, status):
    assert _status(lhs, rhs, assume, symbols) == status
