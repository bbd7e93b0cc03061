"""A refuted (or conditional) gradient claim shows the correct gradient, in the claim's layout,
beside its counterexample, in every format: the console panel, the notes summary and the
table, Markdown, HTML, JSON and ``str(result)``.

The engine attaches it (``Verdict.correct_gradient``): ``verifier.derive`` derives the
gradient of the claim's own f and the pipeline decides it before it is shown.
"""

from __future__ import annotations

import json
from dataclasses import replace

from verifier.claimfile import load_claim_file, one_liner
from verifier.engine import Options, decide
from verifier.report import Run, render
from verifier.report.console import render_console_text
from verifier.verdict import CorrectGradient, Counterexample, Result, Verdict

CX = Counterexample(values={"x": [["0"], ["1"]], "A": [["0", "0"], ["1", "0"]]},
                    lhs=[["1"], ["0"]], rhs=[["0"], ["0"]], difference=[["1"], ["0"]],
                    exact=True, sizes={"n": 2})
GRADIENT = CorrectGradient(text="(A + A.T) @ x", unicode="(A + Aᵀ)x",
                           latex="\\left(A + A^{\\top}\\right) x", evidence="proved", wrt="x")


def _synthetic() -> Run:
    v = Verdict("conditional", "refute_exact", detail="false in general", counterexample=CX,
                condition="A symmetric", condition_evidence="proved", correct_gradient=GRADIENT)
    r = Result(id="mc.quadratic", title="∂(xᵀAx)/∂x = 2Ax", source="standard",
               kind="gradient", verdict=v, expected="holds if A symmetric", as_expected=True,
               seconds=0.5, seed=0)
    return Run((r,), 1.0, "0.1.0")


def _squashed(text: str) -> str:
    """Without whitespace and borders: a cell wrapped over lines reads whole again."""
    return "".join(text.translate(str.maketrans("", "", "│┃")).split())


def _lines(text: str) -> list[str]:
    return [x.rstrip() for x in text.splitlines()]


def test_console_views_show_it_beside_the_counterexample():
    run = _synthetic()
    problems = _lines(render_console_text(run, width=100))
    at = next(i for i, x in enumerate(problems) if x.strip().startswith("counterexample:"))
    assert problems[at + 1] == \
        "    correct gradient: ∂f/∂x = (A + Aᵀ)x   [(A + A.T) @ x] (proved)"
    panel = _lines(render_console_text(run, width=100, view="panels"))
    at = next(i for i, x in enumerate(panel) if "lhs − rhs (exact)" in x)
    assert "│ correct gradient: ∂f/∂x = (A + Aᵀ)x   [(A + A.T) @ x] (proved)" in panel[at + 2]
    table = render_console_text(run, width=120, view="table")
    assert _squashed("correct gradient: ∂f/∂x = (A + Aᵀ)x") in _squashed(table)


def test_plain_markdown_html_and_json():
    run = _synthetic()
    r = run.results[0]
    text = str(r).splitlines()
    at = next(i for i, x in enumerate(text) if x.strip().startswith("lhs - rhs"))
    assert text[at + 1] == \
        "  correct gradient: ∂f/∂x = (A + Aᵀ)x (claim language: (A + A.T) @ x; proved)"
    md = render(run, "markdown")
    assert ("Correct gradient: $\\frac{\\partial f}{\\partial x} = \\left(A + A^{\\top}\\right)"
            " x$, in the claim language `(A + A.T) @ x` (proved).") in md
    assert "  - correct gradient: ∂f/∂x = (A + Aᵀ)x (`(A + A.T) @ x`; proved)" in md
    html = render(run, "html")
    assert ('<p class="correct correct-gradient">Correct gradient: <span class="formula" '
            'title="\\left(A + A^{\\top}\\right) x">∂f/∂x = (A + Aᵀ)x</span> '
            "<code>(A + A.T) @ x</code> (proved)</p>") in html
    assert '<div class="correct">Correct gradient: ∂f/∂x = (A + Aᵀ)x (proved)</div>' in html
    claim = json.loads(render(run, "json"))["claims"][0]
    assert claim["correct_gradient"] == {
        "text": "(A + A.T) @ x", "unicode": "(A + Aᵀ)x",
        "latex": "\\left(A + A^{\\top}\\right) x", "evidence": "proved",
        "layout": "denominator", "wrt": "x", "equation": "∂f/∂x = (A + Aᵀ)x"}


def test_nothing_is_added_to_a_claim_that_holds():
    r = replace(_synthetic().results[0], verdict=Verdict("proved", "prove_general"))
    assert "correct gradient" not in str(r)
    assert json.loads(render(Run((r,), 1.0, "0.1.0"), "json"))["claims"][0][
        "correct_gradient"] is None


# ----- from the engine -----


def test_the_engine_attaches_the_proved_gradient_to_a_refuted_claim():
    # ∂tr(AX)/∂X = A, as a slip: it is Aᵀ
    claim = one_liner("grad(trace(A @ X), X)", "A", "A: matrix(n, n), X: matrix(n, n)",
                      expect="fails")
    v = decide(claim, Options(timeout=30)).verdict
    assert v.status in ("refuted", "conditional")
    assert v.correct_gradient is not None
    assert (v.correct_gradient.unicode, v.correct_gradient.text) == ("Aᵀ", "A.T")
    assert v.correct_gradient.evidence == "proved"


def test_the_correct_gradient_keeps_the_claims_layout():
    # in numerator layout ∂(aᵀXb)/∂X is baᵀ; the claim writes the denominator one
    claim = one_liner("grad(a.T @ X @ b, X)", "a @ b.T", "a: vector(n), b: vector(n), "
                      "X: matrix(n, n)", layout="numerator", expect="fails")
    v = decide(claim, Options(timeout=30, conditions=False)).verdict
    assert v.status == "refuted"
    g = v.correct_gradient
    assert (g.unicode, g.layout, g.equation) == ("baᵀ", "numerator",
                                                  "∂f/∂X (numerator layout) = baᵀ")


def test_a_derivations_failing_gradient_step_gets_it(tmp_path):
    path = tmp_path / "steps.claims.toml"
    path.write_text('''
[[derivation]]
id = "logdet"
symbols = { X = "matrix(n, n)" }
steps = ["grad(log(det(X)), X)", "inv(X)"]
expect = "fails"
''', encoding="utf-8")
    (entry,), errors = load_claim_file(str(path))
    assert not errors
    r = decide(entry, Options(timeout=40, conditions=False))
    step = r.steps[0].verdict
    assert step.status == "refuted"
    assert step.correct_gradient is not None and step.correct_gradient.unicode == "X⁻ᵀ"
    assert "correct gradient: ∂f/∂X = X⁻ᵀ (claim language: inv(X).T; proved)" in str(r)
