"""The console report (rich).

Three views of a run:

- ``problems`` (``derivcheck verify``): what is wrong in the notes first.  Per note, named by
  its title and file name, each formula that is wrong or holds only under a condition the
  note does not state: the note's formula, the counterexample in a line or two, the correct
  form (from the linked corrected entry); then one summary line per note.
- ``table`` (``verify --all`` / ``--show VERDICTS``): every result (or those with the given
  verdicts), one row each, grouped by note.
- ``panels`` (``derivcheck check`` / ``claim``): one panel per result, in full detail.

All three end with the closing lines, which keep the notes (N wrong, M conditional, K correct)
apart from the verifier (every verdict as the catalogue expects, or which are not).  Every
text from a note, the catalogue or a user goes into a ``Text``, never through rich's markup
parser: ``Σᵢ [yᵢ log hᵢ + …]`` prints as written.  Nothing that names a verdict is ever
truncated: cells fold rather than end in "…", and the verdict column is as wide as the
longest verdict word.
"""

from __future__ import annotations

from io import StringIO

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.style import Style
from rich.table import Table
from rich.text import Text
from rich.theme import Theme

from verifier import verdict as verdict_module
from verifier.report import Run
from verifier.report.audit import NoteAudit, audit, correct_form, totals
from verifier.report.plain import clip, why_line
from verifier.verdict import VERDICTS, Result, Verdict, extra_facts, fact_text

__all__ = ["VIEWS", "claim_panel", "closing_lines", "gradient_text", "make_console",
           "render_console", "render_console_text", "results_table"]

VIEWS = ("problems", "table", "panels")

THEME = Theme(
    {
        "verdict.proved": "bold green",
        "verdict.proved-at-sizes": "green",
        "verdict.checked": "cyan",
        "verdict.refuted": "bold red",
        "verdict.conditional": "bold yellow",
        "verdict.undecided": "magenta",
        "verdict.timeout": "magenta",
        "verdict.error": "bold magenta",
        "unexpected": "bold red reverse",
        "muted": "dim",
        "heading": "bold",
        "note": "bold underline",
    }
)


class _Styles(dict):
    """The theme's styles as ``Style`` objects ("" is no style): renderables built with them
    look the same on any console, e.g. ``rich.print(result)`` without this theme."""

    def __missing__(self, name: str) -> Style:
        return THEME.styles.get(name, Style.null())


S = _Styles()

# the symbol is decoration (the word is the verdict); same symbols as the HTML badges
SYMBOLS = {
    "proved": "✓",
    "proved-at-sizes": "✓",
    "checked": "≈",
    "refuted": "✗",
    "conditional": "◐",
    "undecided": "?",
    "timeout": "⧗",
    "error": "!",
}
VERDICT_WIDTH = 2 + max(len(v) for v in VERDICTS)  # "✓ proved-at-sizes"


def make_console(file=None, width: int | None = None, color: bool | None = None) -> Console:
    """A console for reports: no markup parsing and no highlighting of user text."""
    return Console(file=file, width=width, theme=THEME, no_color=color is False,
                   force_terminal=color, highlight=False, markup=False)


def verdict_text(v: Verdict, symbol: bool = False) -> Text:
    t = Text(f"{SYMBOLS[v.status]} " if symbol else "", style=S[f"verdict.{v.status}"])
    t.append(v.status, style=S[f"verdict.{v.status}"])
    if v.holds and v.unstated:  # proved only where something the claim never says holds
        t.append(f" where {' and '.join(v.unstated)} (not assumed)", style=S["unexpected"])
    if v.condition:
        t.append(f" ({v.condition})", style=S["verdict.conditional"])
    return t


def _extra_lines(v: Verdict, style: str = "muted") -> list[Text]:
    """Fields of the verdict this module does not know by name (e.g. ``requires``)."""
    return [Text(f"{name.replace('_', ' ')}: {fact_text(value)}", style=S[style])
            for name, value in extra_facts(v)]


def gradient_text(v: Verdict) -> Text | None:
    """The correct gradient of a refuted or conditional gradient claim, beside its
    counterexample: ∂f/∂a = (M + Mᵀ)a  [(M + M.T) @ a] (proved)."""
    g = v.correct_gradient
    if g is None:
        return None
    t = Text("correct gradient: ", style=S["verdict.proved"])
    t.append(g.equation)
    t.append(f"   [{g.text}] ({g.evidence_phrase})", style=S["muted"])
    return t


def _budget(console: Console, indent: int, lines: int = 2) -> int:
    """Characters that fit in about ``lines`` lines of a block indented by ``indent``."""
    return max(60, (console.width - indent) * lines - 8)


# ----- problems: what is wrong in the notes -----

_INDENT = 4  # body lines of a problem sit under its title


def problem_entry(run: Run, r: Result, console: Console) -> RenderableType:
    """One wrong or conditional formula: verdict, id and section; then the note's formula,
    why it is false as stated, the condition, the correct form."""
    v = r.verdict
    head = Text()
    shown = v.status if v.status in ("refuted", "conditional") else "conditional"
    head.append(f"{SYMBOLS[shown]} {'wrong' if v.status == 'refuted' else 'conditional'}",
                style=S[f"verdict.{shown}"])
    head.append("  ")
    head.append(r.id, style=S["heading"])
    section = r.source.split(" § ", 1)[1] if " § " in r.source else ""
    if section:
        head.append(f"  § {section}", style=S["muted"])
    if not r.as_expected:
        head.append(f"  ≠ expected ({r.expected})", style=S["unexpected"])
    body: list[Text] = [Text(r.title)]  # the note's formula, as the catalogue states it
    if v.holds:  # true, but only where the note's unstated conditions hold
        t = Text(f"{v.status} where ", style=S[f"verdict.{v.status}"])
        t.append(" and ".join(v.unstated), style=S["verdict.conditional"])
        t.append(" (the note does not say so)", style=S["muted"])
        body.append(t)
    else:
        label = "counterexample: " if v.counterexample is not None and not r.steps else "why: "
        why = Text(label, style=S["muted"])
        why.append(why_line(r, _budget(console, _INDENT) - len(label)))
        body.append(why)
        gradient = gradient_text(v)
        if gradient is not None:
            body.append(gradient)
    if v.condition:
        cond = Text(f"holds if {v.condition}", style=S["verdict.conditional"])
        if v.condition_evidence:
            cond.append(f" ({v.condition_evidence})", style=S["muted"])
        body.append(cond)
    body += _extra_lines(v)
    form = correct_form(run, r)
    if form is not None:
        title, status = form
        t = Text("correct: ", style=S["verdict.proved"])
        t.append(title)
        if status:
            t.append(f" ({status})", style=S["muted"])
        body.append(t)
    return Group(Padding(head, (0, 0, 0, 2)), Padding(Group(*body), (0, 0, 0, _INDENT)))


def note_heading(a: NoteAudit) -> Text:
    t = Text()
    if a.title:
        t.append(a.title, style=S["note"])
        t.append(f"  {a.note}", style=S["muted"])
    else:
        t.append(a.label, style=S["note"])
    return t


def notes_table(audits: list[NoteAudit]) -> Table:
    """One line per note: title, file, and how many formulas are wrong, conditional, correct."""
    undecided = any(a.undecided for a in audits)
    t = Table(box=None, padding=(0, 1, 0, 0), pad_edge=False,
              title=Text("Per note", style=S["heading"]),
              title_justify="left", show_edge=False)
    t.add_column("note", overflow="fold", ratio=1)
    t.add_column("file", overflow="fold", style=S["muted"],
                 min_width=min(28, max((len(a.note) for a in audits if a.is_note), default=4)))
    for name in ("wrong", "conditional", "correct") + (("undecided",) if undecided else ()):
        t.add_column(name, justify="right", no_wrap=True, min_width=len(name))
    for a in audits:
        if a.is_note:
            name, file = Text(a.title or "(untitled)"), Text(a.note)
        elif a.note == "standard":
            name, file = Text("standard results"), Text("not from a note")
        else:
            name, file = Text(a.label), Text("")
        row = [name, file,
               Text(str(len(a.wrong)), style=S["verdict.refuted"] if a.wrong else S[""]),
               Text(str(len(a.conditional)),
                    style=S["verdict.conditional"] if a.conditional else S[""]),
               Text(str(len(a.correct)))]
        if undecided:
            row.append(Text(str(len(a.undecided))))
        t.add_row(*row)
    return t


def _render_problems(run: Run, console: Console, audits: list[NoteAudit]) -> None:
    if any(a.problems for a in audits):
        console.print(Text("Formulas that are wrong, or hold only under a condition the note "
                           "does not state (every verdict: --all):", style=S["muted"]))
        console.print()
    else:
        console.print(Text("No formula is wrong or conditional (every verdict: --all).",
                           style=S["muted"]))
    for a in audits:
        problems = a.problems
        odd = [r for r in a.results if r not in problems and not r.as_expected]
        if not problems and not odd:
            continue
        console.print(note_heading(a))
        for r in problems:
            console.print(problem_entry(run, r, console))
        for r in odd:  # not about the note: the verifier did not do what the catalogue expects
            console.print(_unexpected_entry(r, console))
        console.print()
    console.print(notes_table(audits))


def _unexpected_entry(r: Result, console: Console) -> RenderableType:
    head = Text()
    head.append_text(verdict_text(r.verdict, symbol=True))
    head.append("  ")
    head.append(r.id, style=S["heading"])
    head.append(f"  ≠ expected ({r.expected})", style=S["unexpected"])
    body = [Text(r.title)]
    if r.verdict.detail:
        body.append(Text(clip(r.verdict.detail, _budget(console, _INDENT)), style=S["muted"]))
    gradient = gradient_text(r.verdict)
    if gradient is not None:
        body.append(gradient)
    body += _extra_lines(r.verdict)
    return Group(Padding(head, (0, 0, 0, 2)), Padding(Group(*body), (0, 0, 0, _INDENT)))


# ----- table: every result, or those with some verdicts -----


def results_table(title: Text | str, results: list[Result]) -> Table:
    """Verdict | claim: the verdict word never shrinks; the claim cell holds the title, then
    the id, method, time, condition and expectation on a muted line."""
    t = Table(title=title if isinstance(title, Text) else Text(title), title_justify="left",
              expand=True)
    t.add_column("verdict", min_width=VERDICT_WIDTH, no_wrap=True)
    t.add_column("claim", overflow="fold", ratio=1)
    for r in results:
        v = r.verdict
        claim = Text(r.title)
        meta = Text(f"\n{r.id} · {v.method} · "
                    f"{'cached' if r.cached else f'{r.seconds:.2f} s'}", style=S["muted"])
        claim.append_text(meta)
        if v.condition:
            claim.append(f" · holds if {v.condition}", style=S["verdict.conditional"])
        if not r.as_expected:
            claim.append(f" · ≠ expected ({r.expected})", style=S["unexpected"])
        if r.implementation is not None:
            i = r.implementation
            err = f" {i.max_error:.0e}" if i.max_error is not None else ""
            claim.append(f" · impl ✓{err}" if i.matches else f" · impl ✗{err}",
                         style=S["muted"] if i.matches else "unexpected")
        if v.correct_gradient is not None:
            claim.append(f" · correct gradient: {v.correct_gradient.equation}",
                         style=S["verdict.proved"])
        for name, value in extra_facts(v):
            claim.append(f" · {name.replace('_', ' ')}: {fact_text(value)}", style=S["muted"])
        t.add_row(Text(f"{SYMBOLS[v.status]} {v.status}", style=S[f"verdict.{v.status}"]), claim)
    return t


def _render_table(run: Run, console: Console, audits: list[NoteAudit],
                  show: set[str] | None) -> None:
    for a in audits:
        results = [r for r in a.results if show is None or r.verdict.status in show]
        if results:
            console.print(results_table(note_heading(a), results))
    console.print(notes_table(audits))


# ----- panels: one result in full detail -----


def _value(x) -> str:
    """A matrix as rows of aligned text, a scalar as is."""
    if isinstance(x, list):
        cells = [[str(c) for c in row] for row in x]
        width = max((len(c) for row in cells for c in row), default=0)
        return "\n".join("[ " + "  ".join(c.rjust(width) for c in row) + " ]" for row in cells)
    return str(x)


def _counterexample_table(v: Verdict) -> Table | None:
    cx = v.counterexample
    if cx is None or not cx.values:
        return None
    t = Table(show_header=False, box=None, padding=(0, 1))
    t.add_column(style=S["heading"], no_wrap=True)
    t.add_column(overflow="fold")
    for name, val in cx.values.items():
        t.add_row(Text(name), Text(_value(val)))
    exact = "exact" if cx.exact else "numeric"
    t.add_row(Text("lhs"), Text(_value(cx.lhs)))
    t.add_row(Text("rhs"), Text(_value(cx.rhs)))
    t.add_row(Text(f"lhs − rhs ({exact})"), Text(_value(cx.difference)))
    return t


def _said(text: str, already: list[str]) -> bool:
    return bool(text) and any(text in s for s in already)


def _counterexample_parts(v: Verdict, already: list[str], label: str) -> list:
    """The counterexample of ``v``: its note unless already said, then its values."""
    cx = v.counterexample
    parts: list = []
    if cx is None:
        return parts
    if cx.note and not _said(cx.note, already):
        parts.append(Text(cx.note))
        already.append(cx.note)
    table = _counterexample_table(v)
    if table is not None:
        sizes = ", ".join(f"{k}={n}" for k, n in cx.sizes.items())
        parts.append(Text(label + (f" at {sizes}" if sizes else "") + ":"))
        parts.append(table)
    return parts


def claim_panel(r: Result) -> Panel:
    """One result in full: title, source, both sides, verdict, why, counterexample (of the
    claim, or of each failing step), condition, correct form, implementation, reproduce."""
    v = r.verdict
    parts: list = []
    said: list[str] = []  # texts already shown: nothing is printed twice
    head = Text()
    head.append(r.title + "\n", style=S["heading"])
    head.append(r.source + "\n", style=S["muted"])
    if r.lhs or r.rhs:
        op = " ≠ " if r.kind == "non-identity" else " = "
        head.append(f"{clip(r.lhs, 160)}{op}{clip(r.rhs, 160)}\n")
    head.append("verdict: ")
    head.append_text(verdict_text(v))
    head.append(f"   expected: {r.expected}\nmethod: {v.method}   "
                f"{'cached' if r.cached else f'{r.seconds:.2f} s'}")
    if not r.as_expected:
        head.append("\nnot as expected", style=S["unexpected"])
    if v.detail:
        head.append("\n" + v.detail, style=S["muted"])
        said.append(v.detail)
    parts.append(head)
    parts += _extra_lines(v)
    if not r.steps:  # a derivation shows each failing step's own counterexample below
        witness = r.kind == "non-identity" and v.status == "proved"
        parts += _counterexample_parts(v, said, "witness" if witness else "counterexample")
        gradient = gradient_text(v)
        if gradient is not None:
            parts.append(gradient)
    for s in r.steps:
        if s.verdict.holds and s.as_expected:
            continue
        line = Text(f"step {s.index}: ")
        line.append_text(verdict_text(s.verdict))
        if s.lhs or s.rhs:
            line.append(f"  {clip(s.lhs, 70)}  →  {clip(s.rhs, 70)}", style=S["muted"])
        if not s.as_expected:
            line.append(f"  ≠ expected ({s.expected})", style=S["unexpected"])
        parts.append(line)
        if s.verdict.detail and not _said(s.verdict.detail, said):
            parts.append(Text(s.verdict.detail, style=S["muted"]))
            said.append(s.verdict.detail)
        parts += _extra_lines(s.verdict)
        parts += _counterexample_parts(s.verdict, said, f"counterexample of step {s.index}")
        gradient = gradient_text(s.verdict)
        if gradient is not None:
            parts.append(gradient)
    if v.condition:
        evidence = f" ({v.condition_evidence})" if v.condition_evidence else ""
        parts.append(Text(f"holds if {v.condition}{evidence}", style=S["verdict.conditional"]))
    if r.corrected_title:
        t = Text("correct: ", style=S["verdict.proved"])
        t.append(r.corrected_title)
        t.append(f" ({r.corrected})", style=S["muted"])
        parts.append(t)
    if r.implementation is not None:
        i = r.implementation
        parts.append(Text(f"implementation {i.path}: {'matches' if i.matches else 'DIFFERS'}"
                          f" ({i.detail})"))
    for name, value in extra_facts(r):
        parts.append(Text(f"{name.replace('_', ' ')}: {fact_text(value)}", style=S["muted"]))
    if r.xfail:
        parts.append(Text(f"known limitation: {r.xfail}", style=S["muted"]))
    parts.append(Text(f"reproduce: {r.reproduce}", style=S["muted"]))
    return Panel(Group(*parts), title=Text(r.id), title_align="left", expand=True)


# ----- the closing lines: the notes, then the verifier -----


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _audit_counts(t: Text, wrong: int, conditional: int, correct: int, undecided: int) -> None:
    t.append(f"{wrong} wrong", style=S["verdict.refuted"] if wrong else S[""])
    t.append(", ")
    t.append(f"{conditional} conditional",
             style=S["verdict.conditional"] if conditional else S[""])
    t.append(f", {correct} correct")
    if undecided:
        t.append(f", {undecided} undecided", style=S["verdict.undecided"])


def closing_lines(run: Run, audits: list[NoteAudit] | None = None) -> Text:
    """The notes (N wrong, M conditional, K correct), then the verifier (verdicts as the
    catalogue expects, or which are not), on lines of their own."""
    audits = audit(run) if audits is None else audits
    tot = totals(audits)
    t = Text()
    if run.interrupted:
        t.append("INTERRUPTED: partial report.\n", style=S["unexpected"])
    t.append(f"{tot.subject.capitalize()}: ", style=S["heading"])
    _audit_counts(t, tot.wrong, tot.conditional, tot.correct, tot.undecided)
    if tot.conditional:
        t.append(" (conditional: holds only under a condition not stated)", style=S["muted"])
    if tot.corrections:
        t.append(f"; {_plural(tot.corrections, 'corrected form')} added by the catalogue "
                 "not counted", style=S["muted"])
    for a in tot.other:  # standard results beside the notes
        t.append(f"\n{a.label[0].upper()}{a.label[1:]}: ", style=S["heading"])
        _audit_counts(t, len(a.wrong), len(a.conditional), len(a.correct), len(a.undecided))
    t.append("\nThe verifier: ", style=S["heading"])
    n, bad = len(run.results), run.unexpected
    catalogue = all(not r.origin and r.source not in ("command line", "python")
                    for r in run.results)
    if not bad:
        t.append("the verdict is as expected" if n == 1 else
                 "every verdict as the catalogue expects" if catalogue else
                 "every verdict as expected", style=S["verdict.proved"])
    else:
        t.append(f"{len(bad)} of {_plural(n, 'verdict')} NOT as expected", style=S["unexpected"])
    t.append(f" · {_plural(n, 'entry', 'entries')}")
    for status, k in run.counts.items():
        if k:
            t.append(" · ")
            t.append(f"{k} {status}", style=S[f"verdict.{status}"])
    t.append(f" · {run.wall_seconds:.1f} s")
    if bad:
        t.append("\nnot as expected: ", style=S["unexpected"])
        t.append(", ".join(f"{r.id} ({r.verdict.status}, expected {r.expected})" for r in bad))
    return t


# kept for callers that want the closing lines alone (``--output``)
summary_line = closing_lines


def render_console(run: Run, console: Console, *, view: str = "problems",
                   show: set[str] | None = None) -> None:
    """Print the report of ``run`` in one of ``VIEWS`` (``show``: verdicts for the table)."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; views: {', '.join(VIEWS)}")
    audits = audit(run)
    if view == "panels":
        for r in run.results:
            console.print(claim_panel(r))
    elif view == "table":
        _render_table(run, console, audits, show)
    else:
        _render_problems(run, console, audits)
    for n in run.notes:
        console.print(Text(n, style=S["muted"]))
    console.print(closing_lines(run, audits))


def render_console_text(run: Run, width: int = 100, **kw) -> str:
    """The console report as plain text (no colour) at ``width`` columns."""
    buf = StringIO()
    render_console(run, make_console(file=buf, width=width, color=False), **kw)
    return buf.getvalue()


verdict_module.RICH_PANEL = claim_panel  # rich.print(result) shows this panel
