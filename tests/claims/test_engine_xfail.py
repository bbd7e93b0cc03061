"""Realistic claims the engine does not decide as it should (yet): strict xfails, each with its
truth and why.  The truth of each was decided by hand and re-checked with NumPy (finite
differences for the Jacobian, 10⁵ random points for the inequalities).  None is a false claim
proved or a true one refuted: they are undecided, or a condition other than the one expected.
When the engine learns one, its xfail fails: move the claim to a *.claims.toml file here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from verifier import verify


@dataclass(frozen=True)
class Case:
    id: str
    lhs: str
    rhs: str
    symbols: str
    truth: str  # what the verdict should meet: holds | fails | holds if <condition>
    reason: str  # what the engine answers instead, and why that is short of it
    assume: tuple[str, ...] = ()
    timeout: float = 10.0
    slow: bool = False
    name: str = ""  # the claim's id for the engine, where the verdict depends on it


CASES = [
    # ----- inequalities that hold strictly: the indicator never switches -----
    # Jensen: log((1/n) Σ eˣ) ≥ mean(x)
    Case("jensen_lse_mean", "(logsumexp(x) - log(n) >= mean(x))", "1", "x: vector(n)", "holds",
         "undecided: equality at x = c·1 (rational points reach it)"),
    # (lse_ge_max and neg_entropy_nonpositive are proved since prove_index_inequality: moved
    # to inequalities_over_sums_lead14.claims.toml)
    # ‖x‖₂ ≤ ‖x‖₁
    Case("norm_le_l1", "(norm(x) <= sum(abs(x)))", "1", "x: vector(n)", "holds",
         "undecided: equality on the axes (rational points), strict elsewhere"),
    # σ(s) > 0.99 exactly where s > log 99 (σ is increasing; σ(log 99) = 99/100); the same
    # with the rounded threshold 4.6 is refuted, in the window (4.595, 4.6]
    Case("sigmoid_99_threshold_exact", "(sigmoid(s) > 0.99)", "(s > log(99))", "s: scalar",
         "holds", "undecided: both indicators switch at the irrational point log 99 and the "
         "engine cannot show they switch together"),
    # ----- round 4 -----
    # gradient clipping by norm leaves a norm of min(‖g‖, c) (NumPy: 10⁵ random g, c)
    Case("clip_by_norm_keeps_min", "norm(g * min(1, c / norm(g)))", "min(norm(g), c)",
         "g: vector(n), c: scalar", "holds",
         "undecided: 'c/sqrt(g_1**2 + g_2**2) - 1 = 0 at irrational values, which no rational "
         "point reaches'; both branches agree on either side of ‖g‖ = c, and at it",
         assume=("c > 0", "g != 0")),
    # ----- round 10 -----
    # DP-SGD's per-example clipping factor min(1, C/‖g‖) = C/max(‖g‖, C) (Abadi et al. 2016;
    # NumPy: 10⁵ random g, C > 0): both sides switch at ‖g‖ = C, an irrational point
    Case("dpsgd_clip_factor_as_ratio", "min(1, c / norm(g))", "c / max(norm(g), c)",
         "g: vector(d), c: scalar", "holds",
         "undecided: 'c/sqrt(g_1**2 + g_2**2) - 1 = 0 at irrational values, which no rational "
         "point reaches'; the two sides agree on either side of ‖g‖ = c and at it",
         assume=("c > 0", "g != 0"), timeout=5),
    # ----- round 16 -----
    # tanh(log 3 / 2) = 1/2 and atan(tan 1) = 1 exactly, both increasing: the strict
    # indicators switch together (their non-strict neighbours are refuted at the tie since
    # round 16, irrational_ties_conditions_integers_round16.claims.toml)
    Case("tanh_half_threshold_exact", "(tanh(x) > 1/2)", "(x > log(3)/2)", "x: scalar", "holds",
         "undecided: both indicators switch at the irrational point log(3)/2 and the engine "
         "cannot show they switch together", timeout=10),
    Case("atan_one_threshold_exact", "(atan(x) > 1)", "(x > tan(1))", "x: scalar", "holds",
         "undecided: both switch at tan 1, an irrational point", timeout=10),
    # (round 6's sin_above_minus_099 and sin_ge_vs_gt_half are refuted since 67db781, at the
    # irrational points asin(99/100) + π and π/6: moved to irrational_switches_round13.claims.toml)
]


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(strict=True, reason=c.reason)]
                  + ([pytest.mark.slow] if c.slow else [])) for c in CASES],
)
def test_engine_decides_realistic_claim(case: Case):
    expect = None if case.truth == "holds" else case.truth
    result = verify(case.lhs, case.rhs, symbols=case.symbols, assume=case.assume,
                    expect=expect, timeout=case.timeout, id=case.name or case.id)
    assert result.as_expected, result.verdict


# ----- round 11: true claims the engine only 'checks' (as expected, but no proof) -----
# The derivative of max(x, 0) is 1[x > 0] away from x = 0, where it has none (as relu's, which
# is proved): ops.maximum's Piecewise((x, x ≥ 0), (0, True)) differentiates to 1[x ≥ 0], and
# prove_at_sizes compares that condition with the claim's literally although the two differ only
# on the kink set it registers.  The straight-through gradient of clip(x, -1, 1) is 'checked' for
# the same reason.  Truth: by hand, and torch autograd at 10⁴ random x (none at the kink).
PROOF_CASES = [
    # (grad_max_at_zero_is_strict_step, grad(max(x, 0), x) = (x > 0), is proved by
    # prove_differential since the derive room's gradients through max away from the kink:
    # moved to adversarial_sums_grams_nonzero_round17.claims.toml)
    # ----- round 13: checked, as expected, where a proof is within reach -----
    # t² ≠ 2 for every integer t (√2 is irrational); read since round 13 (a power of an integer
    # is an integer), 'checked' at integer points: no strategy solves t² = 2 over the integers
    Case("integer_square_never_two", "(t**2 != 2)", "1", "t: integer", "holds",
         "checked at integer points, no proof (1 − KroneckerDelta(t², 2) is not reduced to 1)",
         timeout=10),
    # min-SNR-γ weighting for ε-prediction (Hang et al. 2023): min(r, γ)/r = min(1, γ/r), r > 0
    Case("min_snr_weight_eps_form", "min(r, g) / r", "min(1, g / r)", "r: scalar, g: scalar",
         "holds", "checked, no proof (both sides switch at r = g; which strategy stops short "
         "was not traced)", assume=("r > 0", "g > 0"), timeout=10),
    # the stable softplus: log(1 + eˣ) = max(x, 0) + log(1 + e^{−|x|}) for every real x
    Case("softplus_stable_form", "softplus(x)", "relu(x) + log(1 + exp(-abs(x)))", "x: scalar",
         "holds", "checked, no proof (on each side of x = 0 an identity of logs; which strategy "
         "stops short was not traced)", timeout=10),
]


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, id=c.id, marks=pytest.mark.xfail(strict=True, reason=c.reason))
     for c in PROOF_CASES],
)
def test_engine_proves_realistic_claim(case: Case):
    result = verify(case.lhs, case.rhs, symbols=case.symbols, assume=case.assume,
                    timeout=case.timeout, id=case.name or case.id)
    assert result.as_expected and result.verdict.status in ("proved", "proved-at-sizes"), \
        result.verdict
