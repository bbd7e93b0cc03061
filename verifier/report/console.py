"""The console report (rich): a table per note, a panel per refuted or conditional claim."""

from __future__ import annotations

from io import StringIO

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.theme import Theme

from verifier.report import Run
from verifier.verdict import Result, Verdict

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
    }
)


def make_console(file=None, width: int | None = None, color: bool | None = None) -> Console:
    return Console(file=file, width=width, theme=THEME, no_color=color is False,
                   force_terminal=color, highlight=False)


def verdict_text(v: Verdict) -> Text:
    t = Text(v.status, style=f"verdict.{v.status}")
    if v.condition:
        t.append(f" ({v.condition})", style="verdict.conditional")
    return t


def _value(x) -> str:
    """A matrix as rows of aligned text, a scalar as is."""
    if isinstance(x, list):
        cells = [[str(c) for c in row] for row in x]
        width = max(len(c) for row in cells for c in row)
        return "\n".join("[ " + "  ".join(c.rjust(width) for c in row) + " ]" for row in cells)
    return str(x)


def _short(text: str, limit: int = 160) -> str:
    """Element-wise sides can be pages long; the title already says what they are."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _counterexample_table(v: Verdict) -> Table | None:
    cx = v.counterexample
    if cx is None or not cx.values:
        return None
    t = Table(show_header=False, box=None, padding=(0, 1))
    t.add_column(style="heading")
    t.add_column()
    for name, val in cx.values.items():
        t.add_row(name, _value(val))
    exact = "exact" if cx.exact else "numeric"
    t.add_row("lhs", _value(cx.lhs))
    t.add_row("rhs", _value(cx.rhs))
    t.add_row(f"lhs − rhs ({exact})", _value(cx.difference))
    return t


def claim_panel(r: Result) -> Panel:
    v = r.verdict
    parts: list = []
    head = Text()
    head.append(r.title + "\n", style="heading")
    head.append(r.source + "\n", style="muted")
    if r.lhs or r.rhs:
        op = " ≠ " if r.kind == "non-identity" else " = "
        head.append(f"{_short(r.lhs)}{op}{_short(r.rhs)}\n")
    head.append("verdict: ")
    head.append_text(verdict_text(v))
    head.append(f"   expected: {r.expected}   method: {v.method}   {r.seconds:.2f} s\n")
    if not r.as_expected:
        head.append("not as expected\n", style="unexpected")
    if v.detail:
        head.append(v.detail + "\n", style="muted")
    parts.append(head)
    cx = v.counterexample
    if cx is not None and cx.note:
        parts.append(Text(cx.note))
    table = _counterexample_table(v)
    if table is not None:
        sizes = ", ".join(f"{k}={n}" for k, n in cx.sizes.items()) if cx else ""
        parts.append(Text("counterexample" + (f" at {sizes}" if sizes else "") + ":"))
        parts.append(table)
    for s in r.steps:
        if not s.verdict.holds or not s.as_expected:
            line = Text(f"step {s.index}: ")
            line.append_text(verdict_text(s.verdict))
            line.append(f"  {_short(s.lhs, 70)}  →  {_short(s.rhs, 70)}", style="muted")
            parts.append(line)
            st = _counterexample_table(s.verdict)
            if st is not None:
                parts.append(st)
    if v.condition:
        parts.append(Text(f"holds if {v.condition} ({v.condition_evidence})",
                          style="verdict.conditional"))
    if r.implementation is not None:
        i = r.implementation
        parts.append(Text(f"implementation {i.path}: {'matches' if i.matches else 'DIFFERS'}"
                          f" ({i.detail})"))
    if r.xfail:
        parts.append(Text(f"known limitation: {r.xfail}", style="muted"))
    parts.append(Text(f"reproduce: {r.reproduce}", style="muted"))
    return Panel(Group(*parts), title=r.id, title_align="left", expand=True)


def results_table(title: str, results: list[Result]) -> Table:
    t = Table(title=title, title_justify="left", expand=True)
    t.add_column("id", overflow="fold", ratio=3)
    t.add_column("claim", overflow="fold", ratio=3)
    t.add_column("verdict", ratio=2)
    t.add_column("method", no_wrap=True)
    t.add_column("s", justify="right", width=6)
    for r in results:
        verdict = verdict_text(r.verdict)
        if not r.as_expected:
            verdict.append(" ≠ expected", style="unexpected")
        if r.implementation is not None:
            i = r.implementation
            err = f" {i.max_error:.0e}" if i.max_error is not None else ""
            verdict.append(f" impl ✓{err}" if i.matches else f" impl ✗{err}",
                           style="" if i.matches else "unexpected")
        t.add_row(r.id, r.title, verdict, r.verdict.method,
                  "cached" if r.cached else f"{r.seconds:.2f}")
    return t


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s" if not word.endswith("y") \
        else f"{n} {word[:-1]}ies"


def note_summary(note: str, results: list[Result]) -> Text:
    """Per note: how many lines are wrong, which, and the conditions found."""
    wrong = [r for r in results if r.verdict.status == "refuted"]
    conditional = [r for r in results if r.verdict.status == "conditional"]
    t = Text(f"{note}: {_plural(len(results), 'entry')}, ")
    t.append(f"{len(wrong)} wrong", style="verdict.refuted" if wrong else "")
    t.append(", ")
    t.append(f"{len(conditional)} conditional", style="verdict.conditional" if conditional else "")
    for r in wrong:
        t.append(f"\n  wrong: {r.id} — {r.title}", style="verdict.refuted")
    for r in conditional:
        t.append(f"\n  holds only if {r.verdict.condition}: {r.id} — {r.title}",
                 style="verdict.conditional")
    return t


def render_console(run: Run, console: Console, *, details: bool = True) -> None:
    groups = run.by_note()
    for note, results in groups.items():
        console.print(results_table(note, results))
    if details:
        for r in run.results:
            if r.verdict.status in ("refuted", "conditional", "error", "timeout") \
                    or not r.as_expected:
                console.print(claim_panel(r))
    for note, results in groups.items():
        console.print(note_summary(note, results))
    for n in run.notes:
        console.print(Text(n, style="muted"))
    console.print(summary_line(run))


def summary_line(run: Run) -> Text:
    t = Text()
    if run.interrupted:
        t.append("INTERRUPTED: partial report. ", style="unexpected")
    ok = len(run.results) - len(run.unexpected)
    t.append(f"{_plural(len(run.results), 'entry')}, {ok} as expected", style="heading")
    for status, n in run.counts.items():
        if n:
            t.append(" · ")
            t.append(f"{n} {status}", style=f"verdict.{status}")
    t.append(f" · {run.wall_seconds:.1f} s")
    if run.unexpected:
        t.append(f"\n{len(run.unexpected)} not as expected: ", style="unexpected")
        t.append(", ".join(r.id for r in run.unexpected))
    return t


def render_console_text(run: Run, width: int = 110) -> str:
    buf = StringIO()
    render_console(run, make_console(file=buf, width=width, color=False))
    return buf.getvalue()
