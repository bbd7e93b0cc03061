"""`derivcheck claim` as people type it: one argument 'LHS = RHS', --sizes, --json."""

from __future__ import annotations

import json

import pytest

from verifier import cli


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["claim", *argv, "--no-cache", "--quiet", "--jobs", "1"])
    out, err = capsys.readouterr()
    return code, out, err


def test_one_argument_with_one_equals_sign_is_both_sides(capsys):
    code, out, _ = _run(capsys, "grad(x.T @ x, x) = 2 * x", "--symbols", "x: vector(n)",
                        "--json")
    assert code == 0
    (result,) = json.loads(out)["claims"]
    assert result["verdict"] == "proved"
    assert result["title"] == "grad(x.T @ x, x) = 2 * x"


@pytest.mark.parametrize(
    "text", ["grad(x.T @ x, x)", "= x", "x == y == z", "(x == y)"]
)
def test_one_argument_without_one_equals_sign_says_the_right_side_is_missing(capsys, text):
    code, _, err = _run(capsys, text, "--symbols", "x: vector(n), y: vector(n), z: vector(n)")
    assert code == 2
    assert "the right side is missing" in err
    assert "LHS = RHS" in err


@pytest.mark.parametrize(("text", "verdict"), [
    ("np.allclose(x.T @ y, y.T @ x)", "proved"), ("assert x.T @ y == y.T @ x", "proved"),
    ("np.allclose(x.T @ y, x.T @ x)", "refuted")])
def test_one_argument_as_code_asserts_it_is_read_as_verify_reads_it(capsys, text, verdict):
    """np.allclose(A, B) and assert A == B were refused by the command ('the right side is
    missing') though verify() read them."""
    code, out, err = _run(capsys, text, "--symbols", "x: vector(n), y: vector(n)")
    assert code != 2, err
    assert f"verdict: {verdict}" in out


@pytest.mark.parametrize(("text", "verdict"), [
    ("x.T @ (y + z) = x.T @ y + x.T @ z = y.T @ x + z.T @ x", "proved"),
    ("x = y = z", "refuted")])
def test_a_chain_is_decided_as_a_derivation(capsys, text, verdict):
    """'A = B = C' is a derivation, each step on its own, as verify() reads it (the command
    refused it)."""
    code, out, err = _run(capsys, text, "--symbols", "x: vector(n), y: vector(n), z: vector(n)")
    assert code != 2, err
    assert f"verdict: {verdict}" in out
    assert "step" in out


@pytest.mark.parametrize(("text", "verdict"), [
    ("x.T @ x >= 0", "proved"), ("norm(x + y) <= norm(x) + norm(y)", "proved"),
    ("x.T @ y > 0", "refuted"), ("norm(x) ≤ 1", "refuted")])
def test_an_inequality_typed_alone_is_claimed_as_its_indicator(capsys, text, verdict):
    """It was refused with the indicator to write; it is that claim, (text) = 1."""
    code, out, err = _run(capsys, text, "--symbols", "x: vector(n), y: vector(n)")
    assert code != 2, err
    assert f"verdict: {verdict}" in out


@pytest.mark.parametrize(
    "text, verdict",
    [
        ("grad(x.T @ x, x) == 2 * x", "proved"),  # '==' typed for the claim's equality
        ("x[i] * (i == j) == x[j] * (i == j)", "proved"),  # comparisons inside brackets
        ("mean(X, axis=0) = sum(X, axis=0) / m", "proved"),  # keyword '=' inside brackets
        ("sum(X, axis=0) = sum(X, axis=1)", "refuted"),
    ],
)
def test_one_argument_splits_at_its_equality_outside_brackets(capsys, text, verdict):
    code, out, _ = _run(capsys, text, "--symbols",
                        "x: vector(n), X: matrix(m, n), i: index(n), j: index(n)",
                        "--json")
    (result,) = json.loads(out)["claims"]
    assert result["verdict"] == verdict
    assert code == (0 if verdict == "proved" else 1)


def test_sizes_decide_the_claim_at_those_sizes_and_reproduce(capsys):
    # xᵀx = (Σx)² holds at n = 1 only
    argv = ["x.T @ x", "sum(x)**2", "--symbols", "x: vector(n)", "--json"]
    code, out, _ = _run(capsys, *argv, "--sizes", "n=1")
    assert code == 0
    (result,) = json.loads(out)["claims"]
    assert result["verdict"] == "proved-at-sizes"
    assert "--sizes n=1" in result["reproduce"]
    code, out, _ = _run(capsys, *argv, "--sizes", "n=1", "--sizes", "n=2")
    assert code == 1
    assert json.loads(out)["claims"][0]["verdict"] == "refuted"


def test_sizes_that_are_no_assignments_are_bad_input(capsys):
    code, _, err = _run(capsys, "x.T @ x", "sum(x**2)", "--symbols", "x: vector(n)",
                        "--sizes", "two")
    assert code == 2
    assert "name=size" in err
