"""The console report: what is wrong in the notes first, exact text, any width from 80 up.

Rendered with ``Console(file=StringIO(), width=...)``; a line's trailing padding is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from io import StringIO

import pytest
from report_notes import NOTE_TITLES
from rich.cells import cell_len

from derivations import NOTES, catalogue
from verifier.report import Run
from verifier.report.console import (
    SYMBOLS,
    claim_panel,
    make_console,
    render_console,
    render_console_text,
)
from verifier.verdict import VERDICTS, Counterexample, Result, StepResult
from verifier.verdict import Verdict as V

N0, N1 = NOTES["000"], NOTES["001"]
CX = Counterexample(values={"a": [["0"], ["1"]], "M": [["0", "0"], ["1", "0"]]},
                    lhs=[["1"], ["0"]], rhs=[["0"], ["0"]], difference=[["1"], ["0"]],
                    exact=True, sizes={"n": 2})
SHAPES = "shapes differ at sizes {'N': 2, 'm': 2}: lhs is 2×1, rhs is 2×2"


def _r(id_, status, source, **kw) -> Result:
    verdict = kw.pop("verdict", None) or V(status, "prove_general")
    base = dict(id=id_, title=f"title of {id_}", source=source, kind="identity",
                verdict=verdict, expected="holds", as_expected=True, seconds=0.5, seed=0)
    base.update(kw)
    return Result(**base)


def synthetic() -> Run:
    """Note 000: a conditional formula and its correct form, a correct one; note 001: a
    derivation failing on shapes at step 2 (its correct form proved), and a correct one."""
    return Run((
        _r("mc.quadratic", "conditional", f"{N0} § Matrix Calculus",
           title="∂(aᵀMa)/∂a = 2Ma, as the note writes it", expected="holds if M symmetric",
           verdict=V("conditional", "refute_exact", detail="false in general",
                     counterexample=CX, condition="M symmetric", condition_evidence="proved"),
           corrected="mc.quadratic_general",
           corrected_title="∂(aᵀMa)/∂a = (M + Mᵀ)a, for any square M"),
        _r("mc.quadratic_general", "proved", f"{N0} § Matrix Calculus",
           title="∂(aᵀMa)/∂a = (M + Mᵀ)a, for any square M"),
        _r("la.transpose", "proved", f"{N0} § Matrix Transpose", title="(ab)ᵀ = bᵀaᵀ"),
        _r("cl.chain", "refuted", f"{N1} § logistic regression (cross entropy)",
           kind="derivation", expected="fails", title="∂log L/∂θ step by step",
           verdict=V("refuted", "check_shapes", detail=f"step 2 (refuted): {SHAPES}",
                     counterexample=Counterexample({}, None, None, None, True, note=SHAPES)),
           steps=(StepResult(1, V("proved", "prove_general"), "holds", True, "a", "b"),
                  StepResult(2, V("refuted", "check_shapes", detail=SHAPES,
                                  counterexample=Counterexample({}, None, None, None, True,
                                                                note=SHAPES)),
                             "holds", True, "", "")),
           corrected="cl.matrix", corrected_title="∂/∂θ Σᵢ [yᵢ log hᵢ + …] = Xᵀ(y − σ(Xθ))"),
        _r("cl.matrix", "proved-at-sizes", f"{N1} § logistic regression (cross entropy)",
           title="∂/∂θ Σᵢ [yᵢ log hᵢ + …] = Xᵀ(y − σ(Xθ))"),
        _r("cl.perceptron", "proved-at-sizes", f"{N1} § perceptron",
           title="∂/∂θ Σᵢ(1[xᶦθ ≥ 0] − yᶦ)xᶦθ = Xᵀ(h − y)"),
    ), 21.0, "0.1.0")


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


EXPECTED_PROBLEMS_80 = f"""\
Formulas that are wrong, or hold only under a condition the note does not state
(every verdict: --all):

{NOTE_TITLES["000"]}  {N0}
  ◐ conditional  mc.quadratic  § Matrix Calculus
    ∂(aᵀMa)/∂a = 2Ma, as the note writes it
    counterexample: at n=2: a = [0, 1]ᵀ, M = [[0, 0], [1, 0]] gives lhs = [1,
    0]ᵀ, rhs = [0, 0]ᵀ
    holds if M symmetric (proved)
    correct: ∂(aᵀMa)/∂a = (M + Mᵀ)a, for any square M (proved)

{NOTE_TITLES["001"]}  {N1}
  ✗ wrong  cl.chain  § logistic regression (cross entropy)
    ∂log L/∂θ step by step
    why: step 2 of 2 fails: shapes differ at sizes {{'N': 2, 'm': 2}}: lhs is 2×1,
    rhs is 2×2
    correct: ∂/∂θ Σᵢ [yᵢ log hᵢ + …] = Xᵀ(y − σ(Xθ)) (proved-at-sizes)

Per note
note                        file                     wrong conditional correct
Formulas [of deep learning] {N0}     0           1       1
linear regression           {N1}     1           0       1
The notes: 1 wrong, 1 conditional, 2 correct (conditional: holds only under a
condition not stated); 2 corrected forms added by the catalogue not counted
The verifier: every verdict as the catalogue expects · 6 entries · 2 proved · 2
proved-at-sizes · 1 refuted · 1 conditional · 21.0 s"""
# the corrected forms (mc.quadratic_general, cl.matrix) are the catalogue's, not the notes':
# each note counts its own correct formulas only


def test_problems_first_exact_at_80_columns():
    assert lines(render_console_text(synthetic(), width=80)) == EXPECTED_PROBLEMS_80.split("\n")


def test_the_notes_and_the_verifier_are_kept_apart():
    run = synthetic()
    bad = replace(run.results[2], as_expected=False, expected="fails")
    text = render_console_text(replace(run, results=run.results[:2] + (bad,) + run.results[3:]))
    notes_line = next(x for x in lines(text) if x.startswith("The notes:"))
    assert "1 wrong, 1 conditional, 2 correct" in notes_line
    tail = text[text.index("The verifier:"):]
    assert "1 of 6 verdicts NOT as expected" in tail
    assert "not as expected: la.transpose (proved, expected fails)" in tail
    assert "as expected" not in notes_line


def test_table_view_all_and_filtered():
    run = synthetic()
    every = render_console_text(run, width=100, view="table")
    for r in run.results:
        assert r.title in every and r.id in every
    only = render_console_text(run, width=100, view="table", show={"refuted", "conditional"})
    assert "cl.chain" in only and "mc.quadratic " in only and "la.transpose" not in only


# ----- no verdict truncated, no title lost, at 80 and 160 columns -----


def catalogue_run() -> Run:
    """Every catalogue entry with a verdict a run could give it (every verdict word occurs),
    its counterexample long enough to clip, its correct form linked."""
    rows = []
    entries = catalogue()
    titles = {e.id: e.title for e in entries}
    cx = Counterexample({"X": [["-12345678/7"] * 4] * 4, "theta": [["1/3"]] * 4},
                        [["0.1234567890123"]] * 4, [["0"]] * 4, [["1"]] * 4, False,
                        {"N": 4, "m": 4})
    for k, e in enumerate(entries):
        expect = str(e.expect)
        if expect == "fails":
            v = V("refuted", "refute_exact", counterexample=cx)
        elif expect.startswith("holds if"):
            v = V("conditional", "refute_exact", counterexample=cx,
                  condition=e.expect.condition, condition_evidence="proved")
        else:
            v = V(("proved", "proved-at-sizes", "checked", "undecided", "timeout", "error")[k % 6]
                  if k % 5 == 0 else "proved", "prove_general", detail="detail text")
        rows.append(Result(e.id, e.title, e.source, e.kind, v, expect,
                           v.status not in ("undecided", "timeout", "error"), 0.5, 0,
                           corrected=e.corrected or "",
                           corrected_title=titles.get(e.corrected or "", "")))
    return Run(tuple(rows), 100.0, "0.1.0")


def _squashed(text: str) -> str:
    """Text without whitespace and table or panel borders: a title wrapped over the lines of
    a cell reads whole again."""
    return "".join(text.translate(str.maketrans("", "", "│┃")).split())


MARKUP = [e.title for e in catalogue() if any(c in e.title for c in "[]")]


def test_catalogue_has_titles_rich_would_read_as_markup():
    assert len(MARKUP) >= 30
    assert any("Σᵢ [yᵢ log hᵢ" in t for t in MARKUP) and any("1[xᶦθ ≥ 0]" in t for t in MARKUP)


@pytest.mark.parametrize("width", [80, 160])
@pytest.mark.parametrize("view", ["problems", "table"])
def test_no_verdict_truncated_no_title_lost(width, view):
    run = catalogue_run()
    buf = StringIO()
    render_console(run, make_console(file=buf, width=width, color=False), view=view)
    text = buf.getvalue()
    assert all(cell_len(line) <= width for line in text.splitlines())
    shown = [r for r in run.results
             if view == "table" or r.verdict.status in ("refuted", "conditional")
             or not r.as_expected]
    squashed = _squashed(text)
    for r in shown:  # every title whole, markup-sensitive characters included
        assert _squashed(r.title) in squashed, r.title
    if view == "table":
        for status in VERDICTS:  # one intact verdict cell per result
            n = sum(r.verdict.status == status for r in run.results)
            assert text.count(f"{SYMBOLS[status]} {status} ") == n, status
            assert n, status
    else:
        for status, word in (("refuted", "wrong"), ("conditional", "conditional")):
            n = sum(r.verdict.status == status for r in run.results)
            assert text.count(f"{SYMBOLS[status]} {word}  ") == n
    for word in VERDICTS:  # a verdict word is never cut: no "proved-at…", "condition…"
        for k in range(3, len(word)):
            assert f"{word[:k]}…" not in text, word[:k]
    for title in MARKUP:
        if view == "table":
            assert _squashed(title) in squashed


def test_the_panel_of_every_result_fits_80_columns():
    run = catalogue_run()
    buf = StringIO()
    render_console(run, make_console(file=buf, width=80, color=False), view="panels")
    text = buf.getvalue()
    assert all(cell_len(line) <= 80 for line in text.splitlines())
    for title in MARKUP:
        assert _squashed(title) in _squashed(text)


# ----- markup is text -----

HOSTILE = ["Σᵢ [yᵢ log hᵢ + (1 − yᵢ) log(1 − hᵢ)]", "1[xθ ≥ 0]", "[bold]not bold[/bold]",
           "[red]", "a [/] b", "\\[escaped]"]


@pytest.mark.parametrize("view", ["problems", "table", "panels"])
def test_markup_in_any_text_prints_verbatim(view):
    results = tuple(
        _r(f"h{k}", "refuted", f"{N0} § [Section]", title=title, expected="fails",
           verdict=V("refuted", "refute_exact", detail=f"detail {title}",
                     counterexample=Counterexample({"[x]": "[1]"}, "[2]", "[3]", "-1", True)),
           corrected_title=title, corrected="h0")
        for k, title in enumerate(HOSTILE))
    text = render_console_text(Run(results, 1.0, "0.1.0"), width=160, view=view)
    for title in HOSTILE:
        assert title in text, title


def test_note_titles_with_brackets_print_verbatim():
    text = render_console_text(synthetic(), width=100)
    assert NOTE_TITLES["000"] in text  # "Formulas [of deep learning]"


# ----- panels say each thing once -----


def test_panel_of_a_shape_mismatch_says_it_once():
    r = _r("sh", "refuted", "standard", expected="fails",
           verdict=V("refuted", "check_shapes", detail=SHAPES,
                     counterexample=Counterexample({}, None, None, None, True, note=SHAPES)))
    text = render_console_text(Run((r,), 1.0, "0.1.0"), width=100, view="panels")
    assert text.count("shapes differ") == 1


def test_panel_of_a_derivation_shows_each_counterexample_once_and_no_empty_step():
    run = synthetic()
    chain = run.results[3]
    text = render_console_text(Run((chain,), 1.0, "0.1.0"), width=100, view="panels")
    assert text.count("shapes differ") == 1
    assert "step 2: refuted" in text
    assert not [x for x in lines(text) if x.rstrip("│ ").endswith("→")]
    two_steps = replace(chain, verdict=V("refuted", "refute_exact", counterexample=CX),
                        steps=(StepResult(1, V("refuted", "refute_exact", counterexample=CX),
                                          "holds", True, "p", "q"),
                               StepResult(2, V("refuted", "refute_exact", counterexample=CX),
                                          "holds", True, "q", "r")))
    text = render_console_text(Run((two_steps,), 1.0, "0.1.0"), width=100, view="panels")
    assert text.count("lhs − rhs (exact)") == 2  # one per failing step, none for the chain
    assert "counterexample of step 1" in text and "counterexample of step 2" in text


def test_panel_exact():
    r = synthetic().results[0]
    buf = StringIO()
    make_console(file=buf, width=80, color=False).print(claim_panel(r))
    assert lines(buf.getvalue()) == [
        "╭─ mc.quadratic ───────────────────────────────────────────────────────────────╮",
        "│ ∂(aᵀMa)/∂a = 2Ma, as the note writes it                                      │",
        f"│ {N0} § Matrix Calculus".ljust(79) + "│",
        "│ verdict: conditional (M symmetric)   expected: holds if M symmetric          │",
        "│ method: refute_exact   0.50 s                                                │",
        "│ false in general                                                             │",
        "│ counterexample at n=2:                                                       │",
        "│  a                  [ 0 ]                                                    │",
        "│                     [ 1 ]                                                    │",
        "│  M                  [ 0  0 ]                                                 │",
        "│                     [ 1  0 ]                                                 │",
        "│  lhs                [ 1 ]                                                    │",
        "│                     [ 0 ]                                                    │",
        "│  rhs                [ 0 ]                                                    │",
        "│                     [ 0 ]                                                    │",
        "│  lhs − rhs (exact)  [ 1 ]                                                    │",
        "│                     [ 0 ]                                                    │",
        "│ holds if M symmetric (proved)                                                │",
        "│ correct: ∂(aᵀMa)/∂a = (M + Mᵀ)a, for any square M (mc.quadratic_general)     │",
        "│ reproduce: derivcheck check mc.quadratic --seed 0                            │",
        "╰──────────────────────────────────────────────────────────────────────────────╯",
    ]


# ----- fields the renderers do not know by name -----


@dataclass(frozen=True)
class LaterVerdict(V):
    """A verdict with a field added after the renderers were written."""

    caveats: tuple[str, ...] = field(default=())  # (``requires`` has since become a field)


def test_new_verdict_fields_are_shown_by_every_report():
    from verifier.report import render

    v = LaterVerdict("conditional", "refute_exact", counterexample=CX, condition="M symmetric",
                     condition_evidence="proved", caveats=("A invertible", "x ≠ 0"))
    r = replace(synthetic().results[0], verdict=v)
    run = Run((r,), 1.0, "0.1.0")
    for view in ("problems", "table", "panels"):
        text = render_console_text(run, view=view)
        assert _squashed("caveats: A invertible; x ≠ 0") in _squashed(text), view
    assert "caveats: A invertible; x ≠ 0" in str(r)
    assert '"caveats": [\n        "A invertible"' in render(run, "json")
    assert "caveats: A invertible; x ≠ 0" in render(run, "html")


def test_requirements_say_which_are_open():
    from verifier.verdict import Requirement

    v = V("proved", "prove_general", requires=(
        Requirement("2 * pi nonnegative", True, "always holds"),
        Requirement("A invertible", True, "assumed (A orthogonal)"),
        Requirement("var(x) nonzero", False, "not assumed")))
    r = replace(synthetic().results[0], verdict=v)
    text = _squashed(render_console_text(Run((r,), 1.0, "0.1.0"), view="panels"))
    assert _squashed("requires: 2 * pi nonnegative (always holds); A invertible (assumed); "
                     "var(x) nonzero (not assumed)") in text
