"""The Markdown report on GitHub-style viewers: tables that stay tables, LaTeX that stays LaTeX."""

from __future__ import annotations

import re
from dataclasses import replace

from verifier.report import Run
from verifier.report.markdown import CELL_LATEX, render_markdown
from verifier.verdict import Counterexample, Result, StepResult
from verifier.verdict import Verdict as V

NOTE = "000_a52696e652c128e2.txt § Squared L2 Norm"


def _result(id_, lhs_latex, rhs_latex, **kw) -> Result:
    base = dict(id=id_, title=f"title of {id_}", source=NOTE, kind="identity",
                verdict=V("proved", "prove_general"), expected="holds", as_expected=True,
                seconds=0.25, seed=0, lhs_latex=lhs_latex, rhs_latex=rhs_latex)
    base.update(kw)
    return Result(**base)


CX = Counterexample(values={"M": [["0", "-3/2"], ["1", "0"]], "t": "0.5"}, lhs="1", rhs="None",
                    difference="2×1", exact=True)


def _rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| `")]


def _cells(row: str) -> list[str]:
    return re.split(r"(?<!\\)\|", row)[1:-1]  # split on unescaped bars only


def test_bars_never_break_a_row():
    norm = _result("norm", r"\left\|z\right\|^{2}", r"z^{T} z", title="‖z‖ | a title with | bars")
    det = _result("det", r"\left|A\right|", r"\det(A)")
    text = render_markdown(Run((norm, det), 1.0, "0.1.0"))
    for row in _rows(text):
        assert len(_cells(row)) == 6, row
    assert r"\left\Vert z\right\Vert" in text and r"\left\vert A\right\vert" in text
    assert r"\\vert" not in text  # the old replacement turned \| into a LaTeX line break


def test_short_formulas_in_cells_long_ones_below_giant_ones_omitted():
    short = _result("short", "a", "b")
    long = _result("long", "x_{1} + " * 20 + "x", "y")
    giant = _result("giant", "x + " * 1000 + "x", "y")
    text = render_markdown(Run((short, long, giant), 1.0, "0.1.0"))
    rows = {r.split("`")[1]: r for r in _rows(text)}
    assert "$a = b$" in rows["short"]
    assert "(formula below)" in rows["long"] and "$" not in rows["long"]
    assert "$" not in rows["giant"]
    for row in rows.values():
        assert all(len(m) <= CELL_LATEX for m in re.findall(r"\$([^$]*)\$", row))
    assert "<details><summary>Formulas too long for the table</summary>" in text
    assert "$$\n" + "x_{1} + " * 20 + "x = y\n$$" in text
    assert "x + x + x" not in text


def test_counterexample_values_as_latex():
    refuted = _result("bad", "a", "b", verdict=V("refuted", "refute_exact", counterexample=CX),
                      expected="fails")
    text = render_markdown(Run((refuted,), 1.0, "0.1.0"))
    assert r"$\begin{bmatrix} 0 & -\frac{3}{2} \\ 1 & 0 \end{bmatrix}$" in text
    assert "| t | $0.5$ |" in text and r"| rhs | $\text{—}$ |" in text
    assert r"$\text{2×1}$" in text
    assert "Reproduce: `derivcheck check bad --seed 0`" in text


def test_derivation_steps_name_the_first_failing_one():
    steps = (StepResult(1, V("proved", "p"), "holds", True, lhs_latex="a", rhs_latex="b"),
             StepResult(2, V("refuted", "r"), "holds", False, lhs_latex="b",
                        rhs_latex="c + " * 40 + "c"))
    chain = _result("chain", "", "", kind="derivation", steps=steps,
                    verdict=V("refuted", "r", detail="step 2"), expected="fails")
    text = render_markdown(Run((chain,), 1.0, "0.1.0"))
    assert "1. **proved**: $a = b$" in text
    assert "2. **refuted** ← first failing step" in text
    assert "   $$\n   b = c + c" in text


def test_markdown_specials_in_text_are_escaped():
    r = replace(_result("x", "a", "b"), title="∂f/∂x_i with *stars* and <b>tags</b>")
    row = _rows(render_markdown(Run((r,), 1.0, "0.1.0")))[0]
    assert r"x\_i with \*stars\* and \<b\>tags\</b\>" in row
