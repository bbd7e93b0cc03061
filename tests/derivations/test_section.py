"""derivations.section: a section's claims are the same Claim objects make_claim builds."""

from __future__ import annotations

import pytest

from derivations import note
from derivations.section import Section
from verifier.claim import ClaimError, make_claim
from verifier.engine import decide
from verifier.language import CompiledExpr

S = Section(note("000", "Matrix Calculus"), symbols="a: vector(n), M: matrix(n, n), b: vector(n)",
            topic="matrix_calculus")


def test_a_gradient_claim_is_the_one_make_claim_builds():
    # ∂(aᵀMa)/∂a = 2Ma
    c = S.claim("quadratic", "grad(a.T @ M @ a, a)", "2 * M @ a", title="t",
                expect="holds if M symmetric", corrected="matrix_calculus.other")
    ref = make_claim("matrix_calculus.quadratic", title="t", source=S.source,
                     symbols="a: vector(n), M: matrix(n, n)", kind="gradient",
                     f=lambda s: s.a.T @ s.M @ s.a, wrt="a", rhs=lambda s: 2 * s.M @ s.a,
                     expect="holds if M symmetric", corrected="matrix_calculus.other")
    for field in ("id", "title", "source", "symbols", "kind", "wrt", "layout", "assumptions",
                  "expect", "corrected"):
        assert getattr(c, field) == getattr(ref, field), field
    assert isinstance(c.f, CompiledExpr) and c.f.text == "a.T @ M @ a"
    assert decide(c).verdict.status == decide(ref).verdict.status == "conditional"


def test_a_claim_declares_the_symbols_its_sides_and_assumptions_name():
    c = S.claim("inner", "a.T @ b", "b.T @ a", title="aᵀb = bᵀa")
    assert [d.name for d in c.symbols] == ["a", "b"]
    d = S.claim("sym", "M.T", "M", assume=["M symmetric"], title="Mᵀ = M")
    assert [x.name for x in d.symbols] == ["M"]


def test_a_claim_may_override_a_declaration_and_name_its_own_source():
    c = S.claim("row", "a.T @ M", "M.T @ a", symbols="a: matrix(n, 1)", source="standard",
                title="t", kind="non-identity")
    assert repr(c.symbols[0]) == "a: matrix(n, 1)" and c.source == "standard"


def test_a_python_builder_declares_every_symbol_unless_told():
    c = S.claim("py", lambda s: s.a, "a", title="t")
    assert [d.name for d in c.symbols] == ["a", "M", "b"]
    told = S.claim("py2", lambda s: s.a, "a", title="t", uses="a")
    assert [d.name for d in told.symbols] == ["a"]


def test_a_derivation_keeps_its_steps_and_step_expectations():
    d = S.derivation("chain", ["a.T @ b", "(a.T @ b).T", "2 * b.T @ a"], title="t",
                     step_expect={2: "fails"}, expect="fails")
    assert d.id == "matrix_calculus.chain" and len(d.steps) == 3
    assert [str(e) for _, e in d.step_expect] == ["fails"]


def test_errors_name_the_entry():
    with pytest.raises(ClaimError, match="matrix_calculus.bad"):
        S.claim("bad", "M @ a.T", "a", title="t")  # shapes do not fit (a @ M is NumPy's aᵀM)
    with pytest.raises(ClaimError, match="matrix_calculus.undeclared"):
        S.claim("undeclared", "q", "a", title="t")
