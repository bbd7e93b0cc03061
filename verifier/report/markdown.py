"""The Markdown report: a table per note, formulas as $…$ LaTeX, details of every failure."""

from __future__ import annotations

from verifier.report import Run
from verifier.verdict import Result


def _cell(text: str) -> str:
    return text.replace("|", r"\|").replace("\n", " ")


def _formula(r: Result) -> str:
    if r.lhs_latex and r.rhs_latex:
        op = r"\neq" if r.kind == "non-identity" else "="
        return f"${r.lhs_latex} {op} {r.rhs_latex}$".replace("|", r"\vert ")
    return ""


def _value(v) -> str:
    if isinstance(v, list):
        rows = " \\\\ ".join(" & ".join(str(x) for x in row) for row in v)
        return rf"$\begin{{bmatrix}} {rows} \end{{bmatrix}}$"
    return f"`{v}`"


def render_markdown(run: Run) -> str:
    out = ["# derivcheck report", ""]
    c = run.counts
    summary = ", ".join(f"{k}: {v}" for k, v in c.items() if v)
    out += [
        f"{len(run.results)} entries, {len(run.results) - len(run.unexpected)} as expected "
        f"({summary}); {run.wall_seconds:.1f} s; derivcheck {run.version}.",
        "",
    ]
    if run.interrupted:
        out += ["**Interrupted**: this report holds only the entries that finished.", ""]
    for note, results in run.by_note().items():
        out += [f"## {note}", "", "| id | claim | verdict | expected | method | s |",
                "|---|---|---|---|---|---|"]
        for r in results:
            mark = "" if r.as_expected else " ⚠"
            cond = f" ({r.verdict.condition})" if r.verdict.condition else ""
            verdict = r.verdict.status + cond
            out.append(
                f"| `{r.id}` | {_cell(r.title)} {_cell(_formula(r))} | **{verdict}**{mark} | "
                f"{r.expected} | {r.verdict.method} | {r.seconds:.2f} |"
            )
        out.append("")
        for r in results:
            v = r.verdict
            if v.status not in ("refuted", "conditional") and r.as_expected:
                continue
            out += [f"### `{r.id}`: {v.status}", "", _cell(v.detail), ""]
            cx = v.counterexample
            if cx is not None:
                if cx.note:
                    out += [cx.note, ""]
                if cx.values:
                    out += ["| symbol | value |", "|---|---|"]
                    out += [f"| {k} | {_value(x)} |" for k, x in cx.values.items()]
                    out += [f"| lhs | {_value(cx.lhs)} |", f"| rhs | {_value(cx.rhs)} |",
                            f"| lhs − rhs | {_value(cx.difference)} |", ""]
            if v.condition:
                out += [f"Holds if **{v.condition}** ({v.condition_evidence}).", ""]
            out += [f"Reproduce: `{r.reproduce}`", ""]
    return "\n".join(out) + "\n"
