"""The Markdown report: a table per note, formulas as $…$ LaTeX, details of every failure.

Written for GitHub-style viewers: table cells hold only short formulas (a long one moves to
the details under the table as display math), no ``|`` reaches a cell unescaped (LaTeX bars
become ``\\vert``), and element-wise expansions too long to read are left to the JSON report.
"""

from __future__ import annotations

import re

from verifier.report import Run
from verifier.verdict import Result, StepResult

CELL_LATEX = 90  # characters of LaTeX (both sides) that still read well inside a table cell
SHOWN_LATEX = 1500  # beyond this a side is an element-wise expansion: not shown at all

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#])")


def _text(text: str) -> str:
    """Plain text for a table cell: no Markdown markup, no cell breaks."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("|", r"\|").replace("\n", " ")


def _tex(latex: str) -> str:
    """LaTeX safe in a table cell and in ``$…$``: bars as \\Vert / \\vert, one line."""
    latex = latex.replace(r"\|", r"\Vert ").replace("|", r"\vert ")
    return " ".join(latex.split())


def _equation(lhs: str, rhs: str, kind: str = "identity") -> str:
    """``lhs = rhs`` in LaTeX, or "" when a side is missing or far too long to read."""
    if not (lhs and rhs) or len(lhs) > SHOWN_LATEX or len(rhs) > SHOWN_LATEX:
        return ""
    op = r"\neq" if kind == "non-identity" else "="
    return f"{_tex(lhs)} {op} {_tex(rhs)}"


def _too_long(r: Result | StepResult) -> int:
    return max(len(r.lhs_latex), len(r.rhs_latex)) if (r.lhs_latex or r.rhs_latex) else 0


_FRACTION = re.compile(r"^([+-]?)(\d+)/(\d+)$")
_NUMBER = re.compile(r"^[+-]?\d*\.?\d+(?:[eE][+-]?\d+)?$")


def _scalar_tex(x: object) -> str:
    s = str(x).strip()
    if s == "None":
        return r"\text{—}"
    m = _FRACTION.match(s)
    if m:
        return f"{'-' if m.group(1) == '-' else ''}\\frac{{{m.group(2)}}}{{{m.group(3)}}}"
    if _NUMBER.match(s):
        mant, _, exp = s.lower().partition("e")
        return f"{mant} \\times 10^{{{int(exp)}}}" if exp else mant
    return rf"\text{{{s}}}"


def _value(v) -> str:
    if isinstance(v, list):
        rows = [row if isinstance(row, list) else [row] for row in v]
        body = r" \\ ".join(" & ".join(_scalar_tex(x) for x in row) for row in rows)
        return rf"$\begin{{bmatrix}} {body} \end{{bmatrix}}$"
    return f"${_scalar_tex(v)}$"


def _claim_cell(r: Result) -> str:
    eq = _equation(r.lhs_latex, r.rhs_latex, r.kind)
    if eq and len(eq) <= CELL_LATEX:
        return f"{_text(r.title)} ${eq}$"
    if eq:
        return f"{_text(r.title)} (formula below)"
    return _text(r.title)


def _formula_block(r: Result | StepResult, kind: str = "identity") -> list[str]:
    eq = _equation(r.lhs_latex, r.rhs_latex, kind)
    if eq:
        return ["$$", eq, "$$", ""]
    if _too_long(r) > SHOWN_LATEX:
        return [f"*(element-wise expansion of {_too_long(r):,} characters of LaTeX: "
                "not shown; see the JSON report)*", ""]
    return []


def _steps(r: Result) -> list[str]:
    out = []
    first_fail = next((s.index for s in r.steps if not s.verdict.holds), None)
    for s in r.steps:
        cond = f" ({s.verdict.condition})" if s.verdict.condition else ""
        flag = " ← first failing step" if s.index == first_fail else ""
        eq = _equation(s.lhs_latex, s.rhs_latex)
        short = eq and len(eq) <= CELL_LATEX
        inline = f": ${eq}$" if short else ""
        out.append(f"{s.index}. **{s.verdict.status}**{cond}{flag}{inline}")
        if eq and not short:  # display math inside the list item
            out += ["", "   $$", f"   {eq}", "   $$", ""]
    return out + [""]


def _counterexample(cx) -> list[str]:
    out = []
    if cx.note:
        out += [_text(cx.note), ""]
    if cx.values:
        out += ["| symbol | value |", "|---|---|"]
        out += [f"| {_text(k)} | {_value(x)} |" for k, x in cx.values.items()]
        out += [f"| lhs | {_value(cx.lhs)} |", f"| rhs | {_value(cx.rhs)} |",
                f"| lhs − rhs | {_value(cx.difference)} |", ""]
    return out


def _correct_gradient(v) -> list[str]:
    """The gradient a refuted or conditional gradient claim should state, as display math
    with its claim-language text and evidence."""
    g = v.correct_gradient
    if g is None:
        return []
    layout = " (numerator layout)" if g.layout == "numerator" else ""
    return [f"Correct gradient{layout}: $\\frac{{\\partial f}}{{\\partial {g.wrt}}} = "
            f"{g.latex}$, in the claim language `{g.text}` ({_text(g.evidence_phrase)}).", ""]


def _details(r: Result) -> list[str]:
    v = r.verdict
    out = [f"### `{r.id}`: {v.status}", "", f"{_text(r.title)}", ""]
    out += _formula_block(r, r.kind)
    if v.detail:
        out += [_text(v.detail), ""]
    if r.steps:
        out += _steps(r)
    cx = v.counterexample
    if cx is not None:
        out += _counterexample(cx)
    out += _correct_gradient(v)
    if v.condition:
        out += [f"Holds if **{_text(v.condition)}** ({v.condition_evidence}).", ""]
    out += [f"Reproduce: `{r.reproduce}`", ""]
    return out


def _audit(run: Run) -> list[str]:
    """What is wrong in the notes: the totals, a row per note, each wrong or conditional
    formula with why and its correct form."""
    from verifier.report.audit import audit, correct_form, totals
    from verifier.report.plain import why_line

    audits = audit(run)
    tot = totals(audits)
    out = ["## What is wrong in the notes", "",
           f"{tot.subject.capitalize()}: **{tot.wrong} wrong**, **{tot.conditional} conditional** "
           f"(hold only under a condition not stated), {tot.correct} correct"
           + (f", {tot.undecided} undecided" if tot.undecided else "")
           + (f"; {tot.corrections} corrected forms added by the catalogue not counted"
              if tot.corrections else "") + ".", ""]
    out += ["| note | file | wrong | conditional | correct |", "|---|---|---|---|---|"]
    for a in audits:
        name = a.title or ("standard results" if a.note == "standard" else a.note)
        file = a.note if a.is_note else ("not from a note" if a.note == "standard" else "")
        out.append(f"| {_text(name)} | {_text(file)} | {len(a.wrong)} | {len(a.conditional)} "
                   f"| {len(a.correct)} |")
    out.append("")
    for a in audits:
        if not a.problems:
            continue
        out += [f"### {_text(a.label)}", ""]
        for r in a.problems:
            v = r.verdict
            what = "wrong" if v.status == "refuted" else f"holds only if {v.condition}"
            out.append(f"- **{_text(what)}**: {_text(r.title)} (`{r.id}`)")
            out.append(f"  - why: {_text(why_line(r, 240))}")
            if v.correct_gradient is not None:
                g = v.correct_gradient
                out.append(f"  - correct gradient: {_text(g.equation)} (`{g.text}`; "
                           f"{_text(g.evidence_phrase)})")
            form = correct_form(run, r)
            if form is not None:
                out.append(f"  - correct: {_text(form[0])}"
                           + (f" ({_text(form[1])})" if form[1] else ""))
        out.append("")
    return out


def render_markdown(run: Run) -> str:
    from verifier.report.notes import note_label

    out = ["# derivcheck report", ""]
    if run.interrupted:
        out += ["**Interrupted**: this report holds only the entries that finished.", ""]
    out += _audit(run)
    c = run.counts
    summary = ", ".join(f"{k}: {v}" for k, v in c.items() if v)
    out += [
        "## The verifier",
        "",
        f"{len(run.results)} entries, {len(run.results) - len(run.unexpected)} as the "
        f"catalogue expects ({summary}); {run.wall_seconds:.1f} s; derivcheck {run.version}.",
        "",
    ]
    for note, results in run.by_note().items():
        out += [f"## {_text(note_label(note))}", "",
                "| id | claim | verdict | expected | method | s |", "|---|---|---|---|---|---|"]
        for r in results:
            mark = "" if r.as_expected else " ⚠"
            cond = f" ({r.verdict.condition})" if r.verdict.condition else ""
            verdict = _text(r.verdict.status + cond)
            out.append(
                f"| `{r.id}` | {_claim_cell(r)} | **{verdict}**{mark} | "
                f"{_text(r.expected)} | {_text(r.verdict.method)} | {r.seconds:.2f} |"
            )
        out.append("")
        shown = set()
        for r in results:
            if r.verdict.status not in ("refuted", "conditional") and r.as_expected:
                continue
            shown.add(r.id)
            out += _details(r)
        long = [r for r in results if r.id not in shown
                and len(_equation(r.lhs_latex, r.rhs_latex, r.kind)) > CELL_LATEX]
        if long:
            out += ["<details><summary>Formulas too long for the table</summary>", ""]
            for r in long:
                out += [f"**`{r.id}`**: {_text(r.title)}", ""] + _formula_block(r, r.kind)
            out += ["</details>", ""]
    return "\n".join(out) + "\n"
