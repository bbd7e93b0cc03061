"""Round 16: assumptions pasted from LaTeX, and two habits of typeset formulas.

* an assumption's LaTeX commands are read as their typeset characters (\\Sigma \\succ 0 is
  Σ ≻ 0, \\lambda \\ge 0, x \\neq 0, y \\in \\{0,1\\}^n, x_i > 0 \\; \\forall i, A^\\top = -A);
  before round 16 each was refused but \\lambda > 0, which was accepted as a condition on a
  symbol named "\\lambda" (none is declared) and so silently ignored.  A command left over is
  refused with what to write;
* a sign before a function's name, -\\log s (Python groups it (-log) s), is -log(s): it was
  refused ('"log" is a function; call it'); -log s u stays refused as log s u is;
* a closing parenthesis glued to a name is a product, (a + b)c and \\frac{1}{n}\\sum_i x_i
  (read as ((1) / (n))sum(...)): it was a syntax error."""

from __future__ import annotations

from functools import partial

import pytest
from readings import read, refusal

from verifier.claim import ClaimError
from verifier.claimfile import declare_symbols
from verifier.language import scope_of
from verifier.language.phrases import plain_assumption


@pytest.mark.parametrize(("written", "phrase"), [
    (r"\Sigma \succ 0", "Sigma positive definite"),
    (r"\lambda > 0", "lam positive"),  # was "\lambda positive": a name never declared
    (r"\lambda \ge 0", "lam nonnegative"),
    (r"\varepsilon > 0", "epsilon positive"),
    (r"x_i > 0 \; \forall i", "x positive"),
    (r"x_i > 0 \quad \forall i", "x positive"),
    (r"s \in (0, 1)", "s in (0, 1)"),
    (r"0 \le s \le 1", "s in [0, 1]"),
    (r"y \in \{0,1\}^n", "y binary"),
    (r"A = A^\top", "A symmetric"),
    (r"A^{\top} = -A", "A skew-symmetric"),
    (r"Q^\top Q = I_n", "Q orthogonal"),
    (r"\det(A) \neq 0", "det(A) nonzero"),
    (r"p_i \ge 0, \sum_i p_i = 1", "p sums to 1"),
])
def test_a_latex_assumption_is_read_as_its_phrase(written: str, phrase: str) -> None:
    assert plain_assumption(written) == phrase


@pytest.mark.parametrize(("written", "says"), [
    (r"s \in \mathbb{Q}", r"the LaTeX \mathbb is not read"),  # ℝ_{>0}: s positive (round 17)
    (r"\foo > 0", r"the LaTeX \foo is not read"),
])
def test_a_latex_command_left_in_an_assumption_is_refused(written: str, says: str) -> None:
    with pytest.raises(ClaimError) as info:
        plain_assumption(written)
    assert says in str(info.value)


SCOPE = scope_of(declare_symbols("s: scalar, t: scalar, u: scalar, A: matrix(n, n), "
                                 "x: vector(n), i: index(n)"))
_read = partial(read, scope=SCOPE)


@pytest.mark.parametrize(("written", "plain"), [
    (r"-\log s", "-log(s)"),
    ("-log s", "-log(s)"),
    (r"-\log \det(A)", "-log(det(A))"),
    (r"2 -\log s", "2 - log(s)"),
    ("(s + t)t", "(s + t) * t"),
    ("(s + t)sin(t)", "(s + t) * sin(t)"),
    (r"\frac{1}{n}\sum_i x_i^2", "1 / n * sum(x[i] ** 2, i)"),
])
def test_a_sign_before_a_function_and_a_glued_parenthesis_are_read(written: str,
                                                                   plain: str) -> None:
    assert _read(written) == _read(plain)


def test_a_signed_function_beside_two_operands_stays_refused() -> None:
    assert "log(s u) or log(s) u" in refusal(r"-\log s u", SCOPE)


# ----- Einstein's Σ left out in a derivation's step (an open item of round 15) -----

def test_an_einstein_step_in_a_derivation_is_refused() -> None:
    # (A x)_i = A_{ij} x_j: j free in the second step only means every j (refuted before)
    from verifier import verify
    from verifier.claimfile import entries_from_toml
    from verifier.language import ClaimInputError
    sym = "x: vector(n), A: matrix(n, n), i: index(n), j: index(n)"
    with pytest.raises(ClaimInputError) as info:
        verify(["(A x)_i", "A_{ij} x_j"], symbols=sym)
    assert "Einstein's convention" in str(info.value)
    table = {"derivation": [{"id": "d", "symbols": sym,
                             "steps": ["(A x)_i", "A_{ij} x_j", r"\sum_j A_{ij} x_j"]}]}
    entries, errors = entries_from_toml(table, "", "e.claims.toml")
    assert not entries and "step 2: j is repeated" in str(errors[0])
    # written with the sum, the chain is read
    entries, errors = entries_from_toml({"derivation": [{
        "id": "d", "symbols": sym, "steps": ["(A x)_i", r"\sum_j A_{ij} x_j"]}]}, "",
        "e.claims.toml")
    assert entries and not errors
