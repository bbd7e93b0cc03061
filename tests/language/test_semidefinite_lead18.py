""""A positive semidefinite" is read by a declared factor, A = A_factor @ A_factor.T, in claim
files and in verify(); what cannot be read so is refused with what to write (the claims
themselves: tests/claims/semidefinite_by_factor_lead18.claims.toml)."""

from __future__ import annotations

import pytest

from verifier.api import as_entry
from verifier.claim import ClaimError
from verifier.claimfile import entries_from_toml

SYMBOLS = {"x": "vector(n)", "A": "matrix(n, n)"}


def _texts(entry) -> tuple[str, str]:
    return entry.lhs.text, entry.rhs.text


@pytest.mark.parametrize("phrase", ["A positive semidefinite", "A psd", "A PSD", "A ⪰ 0", "A ≽ 0",
                                    r"A \succeq 0", "A is a positive semi-definite matrix"])
def test_each_spelling_is_read_by_the_factor(phrase):
    e = as_entry("x.T @ A @ x >= 0", symbols=SYMBOLS, assume=[phrase])
    assert "A_factor @ A_factor.T" in e.lhs.text
    assert {d.name for d in e.symbols} == {"x", "A_factor"}  # A itself is gone
    assert e.assumptions == ()


def test_sides_and_steps_are_rewritten_in_the_language_s_words():
    e = as_entry(r"x^\top A x", "x.T @ A.T @ x", symbols=SYMBOLS, assume=["A psd"])
    assert _texts(e) == ("x.T @ (A_factor @ A_factor.T) @ x",
                         "x.T @ (A_factor @ A_factor.T).T @ x")
    d = as_entry(["trace(A)", "trace(A.T)"], symbols={"A": "matrix(n, n)"}, assume=["A psd"])
    assert [s.text for s in d.steps] == ["trace((A_factor @ A_factor.T))",
                                         "trace((A_factor @ A_factor.T).T)"]


def test_assumptions_beside_it_are_said_of_the_factor_or_dropped():
    e = as_entry("x.T @ A @ x > 0", symbols=SYMBOLS,
                 assume=["A psd", "A invertible", "A symmetric", "x nonzero"])
    assert [(a.kind, a.names) for a in e.assumptions] == [("invertible", ("A_factor",)),
                                                          ("nonzero", ("norm(x)",))]


@pytest.mark.parametrize(("claim", "assume", "symbols", "says"), [
    ("x.T @ A @ x >= 0", ["A psd", "A diagonal"], SYMBOLS, "cannot be said of the factor"),
    ("grad(x.T @ A @ x, A)", ["A psd"], SYMBOLS, "derivative by a positive semidefinite"),
    ("x.T @ A @ y >= 0", ["A psd"], {"x": "vector(n)", "A": "matrix(n, m)", "y": "vector(m)"},
     "is square"),
    ("x.T @ A @ x >= 0", ["A psd"], {**SYMBOLS, "A_factor": "scalar"}, "declared already"),
])
def test_what_the_factor_cannot_say_is_refused(claim, assume, symbols, says):
    lhs, rhs = (claim, "x @ x.T") if claim.startswith("grad") else (claim, None)
    with pytest.raises(ClaimError, match=says):
        as_entry(lhs, rhs, symbols=symbols, assume=assume)


def test_a_condition_naming_the_matrix_is_refused_in_a_file():
    text = '''[[claim]]
id = "c"
symbols = { x = "vector(n)", A = "matrix(n, n)" }
lhs = "x.T @ A @ x > 0"
assume = ["A psd"]
expect = "holds if A invertible"
'''
    import tomllib
    entries, errors = entries_from_toml(tomllib.loads(text), text, "c.claims.toml")
    assert not entries and "names a positive semidefinite matrix" in str(errors[0])
    assert "line" in str(errors[0]) or errors[0].line is not None
