"""verify(), one_liner() and the assertion helpers."""

from __future__ import annotations

import pytest

from verifier import Claim, Derivation, verify
from verifier.api import as_entry
from verifier.claimfile import one_liner
from verifier.language import ClaimInputError
from verifier.testing import assert_fails, assert_holds

QF = "x: vector(n), A: matrix(n, n)"


def test_verify_strings():
    r = verify("grad(x.T @ A @ x, x)", "2 * A @ x", symbols=QF)
    assert (r.verdict.status, r.verdict.condition) == ("conditional", "A symmetric")


def test_verify_with_assumption_and_mapping_symbols():
    r = verify("grad(x.T @ A @ x, x)", "2 * A @ x",
               symbols={"x": "vector(n)", "A": "matrix(n, n)"}, assume=["A symmetric"])
    assert r.verdict.status == "proved"


def test_verify_callables():
    r = verify(lambda s: (s.A @ s.B).T, lambda s: s.B.T @ s.A.T,
               symbols="A: matrix(n, m), B: matrix(m, k)")
    assert r.verdict.status == "proved"


def test_verify_a_claim_object_and_a_derivation_list():
    c = one_liner("x.T @ x", "norm(x) ** 2", "x: vector(n)")
    assert isinstance(c, Claim) and verify(c).verdict.holds
    r = verify(["(a + b).T", "a.T + b.T", "b.T + a.T"], symbols="a: vector(n), b: vector(n)")
    assert r.kind == "derivation" and r.verdict.holds and len(r.steps) == 2
    assert Derivation.__name__ == "Derivation"


def test_verify_in_a_worker_with_timeout():
    r = verify("A @ B", "B @ A", symbols="A: matrix(n, n), B: matrix(n, n)",
               kind="non-identity", isolate=True, timeout=30)
    assert r.verdict.status == "proved"


def test_verify_bad_input():
    with pytest.raises(ClaimInputError, match="shapes do not fit"):
        verify("x.T @ x.T", "x", symbols="x: vector(n)")  # x @ x: NumPy's xᵀx (round 14)
    with pytest.raises(ClaimInputError, match="needs both sides"):
        verify("x", symbols="x: vector(n)")


def test_one_liner_fields():
    c = one_liner("grad(x.T @ A @ x, x)", "2 * A @ x", QF, assume=["A symmetric"],
                  layout="numerator", expect="fails", id="qf")
    assert (c.id, c.layout, str(c.expect), c.assumptions[0].phrase()) == (
        "qf", "numerator", "fails", "A symmetric")
    # a top-level grad(f, X) makes a gradient claim: f and wrt instead of lhs
    assert (c.kind, c.f.text, c.wrt, c.rhs.text) == ("gradient", "x.T @ A @ x", "x", "2 * A @ x")
    assert "grad(x.T @ A @ x, x)" in c.fingerprint


def test_one_liner_errors_name_the_argument():
    with pytest.raises(ClaimInputError) as info:
        one_liner("x", "A @ z", QF)
    assert str(info.value).startswith('rhs, column 5 in claim "claim": unknown name "z"')
    with pytest.raises(ClaimInputError, match="symbols"):
        one_liner("x", "x", "x: vektor(n)")


def test_assert_holds_passes_and_fails_readably():
    assert_holds("(A @ B).T", "B.T @ A.T", symbols="A: matrix(n, m), B: matrix(m, k)")
    with pytest.raises(AssertionError) as info:
        assert_holds("grad(x.T @ A @ x, x)", "2 * A @ x", symbols=QF)
    msg = str(info.value)
    for part in ("verdict: conditional", "holds if A symmetric", "counterexample", "x = ",
                 "A = ", "lhs = ", "rhs = ", "lhs - rhs = "):
        assert part in msg, msg


def test_assert_fails():
    assert_fails("A @ B", "B @ A", symbols="A: matrix(n, n), B: matrix(n, n)")
    with pytest.raises(AssertionError, match="expected the claim to fail"):
        assert_fails("x + x", "2 * x", symbols="x: vector(n)")


def test_fingerprint_changes_with_the_text():
    a = one_liner("x + x", "2 * x", "x: vector(n)")
    b = one_liner("x + x", "2*x", "x: vector(n)")
    assert a.fingerprint != b.fingerprint


def test_print_result_is_a_readable_summary():
    r = verify("grad(x.T @ A @ x, x)", "2 * A @ x", symbols=QF, expect="fails")
    text = str(r)
    assert r.as_expected  # "fails" is met by a conditional verdict: false as stated
    for part in ("verdict: conditional", "holds if A symmetric", "counterexample", "x = ",
                 "expected: fails"):
        assert part in text, text
    assert ("reproduce: verifier.verify('grad(x.T @ A @ x, x)', '2 * A @ x', "
            "symbols='x: vector(n), A: matrix(n, n)', expect='fails', seed=0)") in text
    assert "Verdict(" not in text and "Counterexample(" not in text
    assert repr(r) == ("<Result claim: conditional (A symmetric), expected fails>")
    assert "the same verify(...) call with seed=0" in str(
        verify(lambda s: s.x, lambda s: 2 * s.x, symbols="x: vector(n)"))


def test_rich_print_of_a_result_is_its_panel():
    from io import StringIO

    from rich.console import Console

    r = verify("(A @ B).T", "A.T @ B.T", symbols="A: matrix(n, n), B: matrix(n, n)")
    buf = StringIO()
    Console(file=buf, width=80).print(r)
    assert "╭─ claim" in buf.getvalue() and "verdict: conditional" in buf.getvalue()


def test_verify_of_a_catalogue_entry_names_its_correct_form():
    from derivations import get

    r = verify(get("matrix_calculus.quadratic_form_gradient"))
    assert r.corrected == "matrix_calculus.quadratic_form_gradient_general"
    assert "correct form: ∂(aᵀMa)/∂a = (M + Mᵀ)a" in str(r)


# ----- sizes and convention, as a claim file's keys (a README reader passes them to verify) -----


def test_verify_takes_sizes_as_a_claim_file_does():
    # true at n = 2 only (Cayley-Hamilton of a 2×2 matrix): the sizes decide it
    ch = ("A @ A - trace(A) * A + det(A) * eye(n)", "zeros(n, n)")
    assert verify(*ch, symbols="A: matrix(n, n)", sizes=[{"n": 2}]).verdict.holds
    assert not verify(*ch, symbols="A: matrix(n, n)", sizes=[{"n": 3}]).verdict.holds


def test_verify_sizes_for_callables_and_derivations():
    r = verify(lambda s: s.A @ s.A - s.A.trace() * s.A,
               lambda s: -s.A.det() * _eye(2),
               symbols="A: matrix(n, n)", sizes=[{"n": 2}])
    assert r.verdict.holds
    d = verify(["trace(A @ A)", "trace(A)**2 - 2 * det(A)"], symbols="A: matrix(n, n)",
               sizes=[{"n": 2}])
    assert d.verdict.holds


def _eye(n: int):
    import sympy as sp

    return sp.eye(n)


def test_verify_takes_the_convention():
    args = ("grad(trace(A @ S), S)", "A.T")
    kw = dict(symbols="S: matrix(n, n), A: matrix(n, n)", assume=["S symmetric"])
    assert verify(*args, convention="entry-wise", **kw).verdict.holds
    assert verify(*args, **kw).verdict.status == "undecided"


@pytest.mark.parametrize("kw,fragment", [
    (dict(sizes=[{"m": 2}]), 'sizes name "m", which is not a dimension of the claim'),
    (dict(sizes=[{"n": 40}]), "a size is an integer from 1 to 16"),
    (dict(sizes={"n": 2, "k": 1}), 'sizes name "k"'),
    (dict(convention="symmetric"), 'convention'),
])
def test_verify_refuses_bad_sizes_and_conventions(kw, fragment):
    with pytest.raises(ClaimInputError, match=fragment):
        verify("x.T @ x", "norm(x)**2", symbols="x: vector(n)", **kw)


def test_reproducing_call_keeps_sizes_and_convention():
    r = verify("x.T @ x", "norm(x)**2", symbols="x: vector(n)", sizes=[{"n": 2}],
               convention="entry-wise")
    assert "sizes=[{'n': 2}]" in r.command and "convention='entry-wise'" in r.command


def test_gradient_form_of_a_derivation_step():
    # a derivation's step grad(f, X) = G, given the form a [[claim]] from a file has: the
    # engine's patch would map Derivation.step_claims() through gradient_form
    from verifier.claimfile import gradient_form

    d = as_entry(["grad(logdet(A + t * B), t)", "trace(inv(A + t * B) @ B)"],
                 symbols="A: matrix(n, n), B: matrix(n, n), t: scalar",
                 assume=["A positive definite", "B positive definite", "t > 0"])
    step = d.step_claims()[0]
    assert step.kind == "identity"
    g = gradient_form(step)
    assert (g.kind, g.wrt, g.lhs, g.f.text) == ("gradient", "t", None, "log(det(A + t * B))")
    assert verify(g, timeout=20).verdict.status == "proved"
    plain = one_liner("x.T @ x", "norm(x) ** 2", "x: vector(n)")
    assert gradient_form(plain) is plain
    from_file = one_liner("grad(x.T @ x, x)", "2 * x", "x: vector(n)")
    assert from_file.kind == "gradient" and gradient_form(from_file) is from_file


def test_sizes_typed_on_a_command_line():
    from verifier.claimfile import sizes_from_text

    assert sizes_from_text(["n=2, m=3", "n = 3; m: 2"]) == [{"n": 2, "m": 3}, {"n": 3, "m": 2}]
    assert sizes_from_text(None) is None
    with pytest.raises(ClaimInputError, match='write name=size pairs such as "n=2, m=3"'):
        sizes_from_text(["n2"])
    c = one_liner("trace(A @ A)", "trace(A)**2 - 2 * det(A)", "A: matrix(n, n)",
                  sizes=sizes_from_text(["n=2"]))
    assert c.sizes == ((("n", 2),),) and verify(c).verdict.holds
