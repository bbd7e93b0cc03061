"""The selftest's judge: counterexamples audited on their values, conditions checked at
sizes up to 6, verdicts compared with the ground truth.  The judge is what every soundness
number rests on, so it is tested on its own: it must accept a genuine counterexample and
reject one that breaks an assumption, sits where a side is undefined, or is rounding noise.
"""

from __future__ import annotations

import pytest

from verifier.selftest.cases import Case
from verifier.selftest.judge import audit, check_condition, judge, specs


def case(lhs: str, rhs: str, symbols: dict, assume=(), sides="differ", kind="",
         **extra) -> Case:
    table = {"symbols": symbols, "lhs": lhs, "rhs": rhs}
    if assume:
        table["assume"] = list(assume)
    if kind:
        table["kind"] = kind
    table.update(extra)
    return Case(id="t.case", generator="test", table=table, sides=sides)


def spec_of(c: Case):
    return specs(c)[0]


def cex(values: dict, sizes: dict | None = None) -> dict:
    return {"values": values, "sizes": sizes or {}}


# (A + B)² = A² + 2AB + B², false unless A and B commute
SQUARE = case("(A + B) @ (A + B)", "A @ A + 2 * (A @ B) + B @ B",
              {"A": "matrix(n, n)", "B": "matrix(n, n)"})
NILPOTENT = cex({"A": [["0", "1"], ["0", "0"]], "B": [["0", "0"], ["1", "0"]]}, {"n": 2})


# ----- a genuine counterexample is accepted -----


def test_a_genuine_counterexample_is_accepted():
    a = audit(spec_of(SQUARE), NILPOTENT)
    assert a.ok, a.reason
    assert "certified" in a.reason


def test_sizes_are_read_off_the_values_and_a_one_by_one_matrix_may_be_a_scalar():
    # det(x yᵀ) = 0 is false at n = 1 only; the engine may show 1×1 values as scalars
    c = case("det(x @ y.T)", "0", {"x": "vector(n)", "y": "vector(n)"})
    assert audit(spec_of(c), cex({"x": "2", "y": "3"})).ok
    assert audit(spec_of(c), cex({"x": [["2"]], "y": [["3"]]})).ok


def test_an_orthogonal_reflection_refutes_det_one():
    c = case("det(Q)", "1", {"Q": "matrix(2, 2)"}, ["Q orthogonal"])
    assert audit(spec_of(c), cex({"Q": [["-1", "0"], ["0", "1"]]})).ok


def test_a_difference_beside_a_huge_term_is_certified_at_a_higher_precision():
    # e^(200x) + 1 − e^(200x) = 1 at x = 1: 128 bits cannot see it, 512 can
    c = case("exp(200 * x) + 1", "exp(200 * x)", {"x": "scalar"}, ["x positive"])
    a = audit(spec_of(c), cex({"x": "1"}))
    assert a.ok and "512 bits" in a.reason


def test_a_tiny_exact_difference_is_certified():
    c = case("x * 1e-30", "0", {"x": "scalar"})
    assert audit(spec_of(c), cex({"x": "1"})).ok


# ----- a counterexample that breaks an assumption is rejected -----


@pytest.mark.parametrize("assume,value,broken", [
    (["Q orthogonal"], [["1", "1"], ["0", "1"]], "Q orthogonal"),
    (["Q symmetric", "Q orthogonal"], [["0", "-1"], ["1", "0"]], "Q symmetric"),
    (["Q orthogonal", "Q symmetric"], [["1", "2"], ["2", "1"]], "Q orthogonal"),
    (["Q positive definite"], [["1", "0"], ["0", "-1"]], "Q positive definite"),
    (["Q positive definite"], [["2", "1"], ["0", "2"]], "Q positive definite"),  # not symmetric
    (["Q diagonal", "Q skew-symmetric"], [["1", "0"], ["0", "0"]], "Q skew-symmetric"),
    (["Q invertible"], [["1", "2"], ["2", "4"]], "Q invertible"),
])
def test_a_matrix_that_breaks_an_assumption_is_rejected(assume, value, broken):
    c = case("det(Q)", "5", {"Q": "matrix(2, 2)"}, assume)
    a = audit(spec_of(c), cex({"Q": value}))
    assert not a.ok and f'violates "{broken}"' in a.reason


@pytest.mark.parametrize("assume,value", [
    (["s positive", "s in (-1, 1)"], "-1/2"),
    (["s in (-1, 1)", "s positive"], "-1/2"),
    (["s positive", "s in (-1, 1)"], "3/2"),
    (["s in [0, 1)"], "1"),
    (["s nonzero"], "0"),
    (["s nonnegative"], "-1/1000"),
])
def test_a_scalar_outside_the_intersection_of_its_domains_is_rejected(assume, value):
    c = case("s", "s + 1", {"s": "scalar"}, assume)
    assert not audit(spec_of(c), cex({"s": value})).ok


def test_commuting_pairs_sums_to_one_integers_and_indices_are_checked_on_the_values():
    c = case("A @ B", "B @ A + eye(2)", {"A": "matrix(2, 2)", "B": "matrix(2, 2)"},
             ["A and B commute"])
    assert "commute" in audit(spec_of(c), NILPOTENT).reason
    p = case("sum(p)", "2", {"p": "vector(3)"}, ["p sums to 1"])
    assert audit(spec_of(p), cex({"p": [["1/2"], ["1/4"], ["1/4"]]})).ok
    assert not audit(spec_of(p), cex({"p": [["2"], ["-1/2"], ["-1/2"]]})).ok  # negative entries
    t = case("relu(t - 7)", "0", {"t": "integer"})
    assert audit(spec_of(t), cex({"t": "8"})).ok
    assert not audit(spec_of(t), cex({"t": "17/2"})).ok
    assert not audit(spec_of(t), cex({"t": "0"})).ok


def test_a_missing_value_or_a_wrong_shape_is_rejected():
    assert "no value for B" in audit(spec_of(SQUARE), cex({"A": [["0", "1"], ["0", "0"]]},
                                                          {"n": 2})).reason
    wrong = cex({"A": [["0", "1"]], "B": [["0", "0"], ["1", "0"]]}, {"n": 2})
    assert "should be 2×2" in audit(spec_of(SQUARE), wrong).reason
    assert not audit(spec_of(SQUARE), None).ok


# ----- a counterexample at an undefined point is rejected -----


@pytest.mark.parametrize("lhs,rhs,symbols,values", [
    ("inv(A)", "A", {"A": "matrix(2, 2)"}, {"A": [["1", "2"], ["2", "4"]]}),  # singular
    ("inv(zeros(3, 3))", "zeros(3, 3)", {"x": "scalar"}, {"x": "0"}),
    ("s / s", "2", {"s": "scalar"}, {"s": "0"}),  # 0/0
    ("log(s)", "0", {"s": "scalar"}, {"s": "-1"}),
    ("log(s)", "1", {"s": "scalar"}, {"s": "0"}),
    ("sqrt(s)", "1", {"s": "scalar"}, {"s": "-4"}),
    ("log(det(A))", "0", {"A": "matrix(2, 2)"}, {"A": [["-1", "0"], ["0", "2"]]}),
    ("grad(relu(w.T @ x), w)", "x", {"w": "vector(2)", "x": "vector(2)"},
     {"w": [["1"], ["-1"]], "x": [["1"], ["1"]]}),  # the kink of relu: no derivative
])
def test_a_counterexample_where_a_side_is_undefined_is_rejected(lhs, rhs, symbols, values):
    a = audit(spec_of(case(lhs, rhs, symbols)), cex(values))
    assert not a.ok and "undefined" in a.reason, a.reason


def test_the_zero_matrix_is_never_the_inverse_of_a_singular_matrix():
    # X wider than tall: XᵀX is singular, whatever SymPy's adjugate/det makes of it
    c = case("inv(X.T @ X) @ X.T @ y", "zeros(3, 1)", {"X": "matrix(2, 3)", "y": "vector(2)"})
    a = audit(spec_of(c), cex({"X": [["1", "0", "0"], ["0", "1", "0"]],
                               "y": [["1"], ["1"]]}))
    assert not a.ok and "singular" in a.reason


# ----- rounding noise is rejected -----


def test_a_rounding_noise_difference_is_rejected():
    # (x + 1e28) − 1e28 = x exactly; a 30-digit evaluation may see a difference of 1
    c = case("(x + 1e28) - 1e28", "x", {"x": "scalar"})
    a = audit(spec_of(c), cex({"x": "1"}))
    assert not a.ok and "equal" in a.reason


def test_a_difference_that_no_precision_separates_from_zero_is_rejected():
    # e^(200x) + 1 − 1 = e^(200x): equal, and not exactly computable: never certified
    c = case("exp(200 * x) + 1 - 1", "exp(200 * x)", {"x": "scalar"})
    a = audit(spec_of(c), cex({"x": "1"}))
    assert not a.ok and "not certified" in a.reason


def test_a_gradient_with_a_huge_offset_has_no_difference():
    c = case("grad((w.T @ x) ** 2 + 1e28, w)", "2 * (w.T @ x) * x",
             {"w": "vector(2)", "x": "vector(2)"})
    a = audit(spec_of(c), cex({"w": [["3"], ["-1"]], "x": [["1/3"], ["7"]]}))
    assert not a.ok and "equal" in a.reason


# ----- conditions -----


def test_a_condition_true_only_at_small_sizes_is_rejected():
    # det(cA) = c² det A for A skew-symmetric: true at n = 1, 2, 3, false at 4
    c = case("det(c * A)", "c ** 2 * det(A)", {"A": "matrix(n, n)", "c": "scalar"})
    chk = check_condition(specs(c), "A skew-symmetric")
    assert chk.ok is False and "'n': 4" in chk.reason


def test_a_condition_that_makes_the_claim_hold_is_accepted():
    assert check_condition(specs(SQUARE), "A and B commute").ok is True
    q = case("grad(x.T @ M @ x, x)", "2 * M @ x", {"x": "vector(n)", "M": "matrix(n, n)"})
    assert check_condition(specs(q), "M symmetric").ok is True
    assert check_condition(specs(q), "M diagonal").ok is True
    assert check_condition(specs(q), "M orthogonal").ok is False


def test_a_condition_no_admissible_point_meets_is_rejected():
    c = case("Q", "zeros(3, 3)", {"Q": "matrix(3, 3)"}, ["Q orthogonal"])
    chk = check_condition(specs(c), "Q skew-symmetric")
    assert chk.ok is False and "contradicts" in chk.reason


def test_a_condition_on_an_undeclared_symbol_or_of_the_wrong_kind_is_rejected():
    assert check_condition(specs(SQUARE), "C symmetric").ok is False
    s = case("s", "abs(s)", {"s": "scalar"})
    assert check_condition(specs(s), "s symmetric").ok is False
    assert check_condition(specs(s), "s positive").ok is True


# ----- verdicts against the ground truth -----


def result(verdict: str, counterexample=None, condition=None, method="m", steps=None) -> dict:
    return {"verdict": verdict, "method": method, "detail": "", "counterexample": counterexample,
            "condition": condition, "steps": steps}


def test_a_holding_verdict_on_a_false_claim_is_unsound():
    j = judge(SQUARE, result("proved-at-sizes"))
    assert not j.sound and "a false claim reported proved-at-sizes" in j.reason


def test_a_refutation_with_a_genuine_counterexample_is_sound():
    assert judge(SQUARE, result("refuted", NILPOTENT)).sound


def test_a_refutation_of_a_true_claim_is_unsound_and_a_certified_one_is_a_harness_error():
    true = case("x * 2", "x + x", {"x": "scalar"}, sides="equal")
    j = judge(true, result("refuted", cex({"x": "1"})))
    assert not j.sound and not j.harness
    wrong_truth = case("x * 2", "x + 1", {"x": "scalar"}, sides="equal")
    assert judge(wrong_truth, result("refuted", cex({"x": "3"}))).harness


def test_only_inconclusive_verdicts_are_sound_on_a_claim_undefined_everywhere():
    c = case("inv(zeros(2, 2))", "zeros(2, 2)", {"x": "scalar"}, sides="undefined")
    for status in ("undecided", "timeout", "error"):
        assert judge(c, result(status)).sound
    for status in ("proved", "checked", "proved-at-sizes"):
        assert not judge(c, result(status)).sound


def test_a_conditional_verdict_is_judged_on_its_condition():
    assert judge(SQUARE, result("conditional", NILPOTENT, "A and B commute")).sound
    j = judge(SQUARE, result("conditional", NILPOTENT, "A symmetric"))
    assert not j.sound and "does not make it hold" in j.reason


def test_non_identities_need_a_witness_to_be_proved_and_equal_sides_to_be_refuted():
    ne = case("A @ B", "B @ A", {"A": "matrix(n, n)", "B": "matrix(n, n)"},
              kind="non-identity")
    assert judge(ne, result("proved", NILPOTENT)).sound
    assert not judge(ne, result("proved")).sound  # no witness shown
    assert not judge(ne, result("refuted")).sound  # the sides do differ
    same = case("(A @ B).T", "B.T @ A.T", {"A": "matrix(n, n)", "B": "matrix(n, n)"},
                sides="equal", kind="non-identity")
    assert judge(same, result("refuted")).sound
    assert not judge(same, result("proved", NILPOTENT)).sound


def test_a_derivation_condition_must_make_every_step_hold():
    # step 1 needs A symmetric, step 2 needs B symmetric
    steps = ["x.T @ A @ y + x.T @ B @ y", "y.T @ A @ x + x.T @ B @ y",
             "y.T @ A @ x + y.T @ B @ x"]
    d = Case(id="t.chain", generator="test", sides="differ", step_sides=("differ", "differ"),
             table={"symbols": {"x": "vector(n)", "y": "vector(n)", "A": "matrix(n, n)",
                                "B": "matrix(n, n)"}, "steps": steps})
    w = cex({"x": [["1"], ["0"]], "y": [["0"], ["1"]], "A": [["0", "1"], ["0", "0"]],
             "B": [["0", "0"], ["0", "0"]]}, {"n": 2})
    step_results = [{"verdict": "conditional", "counterexample": w, "condition": "A symmetric"},
                    {"verdict": "refuted", "counterexample": cex(
                        {"x": [["1"], ["0"]], "y": [["0"], ["1"]], "A": [["0", "0"], ["0", "0"]],
                         "B": [["0", "1"], ["0", "0"]]}, {"n": 2}), "condition": None}]
    chain = {"verdict": "conditional", "method": "m", "detail": "step 1 (conditional): …",
             "counterexample": w, "condition": "A symmetric", "steps": step_results}
    j = judge(d, chain)
    assert not j.sound and "every step" in j.reason
    chain["verdict"], chain["condition"] = "refuted", None
    assert judge(d, chain).sound


def test_a_condition_its_own_counterexample_meets_is_unsound():
    # (tr A ∈ (1/3, 1/3 + 10⁻³⁰)) = 0 with A positive definite: the engine offered "holds if
    # A symmetric", implied by the assumption; random points under it never enter the
    # window, but the verdict's counterexample is symmetric and differs
    window = case("(trace(A) > 1/3) * (trace(A) < 1/3 + 1e-30)", "0", {"A": "matrix(2, 2)"},
                  ["A positive definite"])
    third = "50000000000000000000000000000001/300000000000000000000000000000000"
    point = cex({"A": [[third, "0"], ["0", third]]})
    assert audit(spec_of(window), point).ok
    j = judge(window, result("conditional", point, "A symmetric"))
    assert not j.sound and "counterexample satisfies it" in j.reason
    # a condition the counterexample violates is judged as before
    assert "counterexample satisfies it" not in judge(
        SQUARE, result("conditional", NILPOTENT, "A symmetric")).reason


def test_a_sign_on_every_entry_of_a_vector_is_a_condition_the_judge_reads():
    # √(x²) = x exactly where every entry of x is ≥ 0; not where they are ≤ 0
    c = case("sqrt(x ** 2)", "x", {"x": "vector(n)"})
    point = cex({"x": [["-1"], ["2"]]}, {"n": 2})
    assert audit(spec_of(c), point).ok
    assert judge(c, result("conditional", point, "x nonnegative")).sound
    j = judge(c, result("conditional", point, "x negative"))
    assert not j.sound and "does not make it hold" in j.reason


def test_orthogonal_is_no_condition_for_a_nonnegative_symmetric_trace():
    # the swap [[0, 1], [1, 0]] is symmetric, nonnegative and orthogonal, with trace 0
    c = case("(trace(M) >= 2)", "1", {"M": "matrix(2, 2)"}, ["M symmetric", "M nonnegative"])
    zero = cex({"M": [["0", "0"], ["0", "0"]]})
    assert audit(spec_of(c), zero).ok
    j = judge(c, result("conditional", zero, "M orthogonal"))
    assert not j.sound and "does not make it hold" in j.reason
