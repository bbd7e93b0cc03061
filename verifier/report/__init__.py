"""Reports of a run: console (rich), JSON, Markdown; one module per format."""

from __future__ import annotations

from dataclasses import dataclass, field

from verifier.verdict import VERDICTS, Result

__all__ = ["Run", "FORMATS"]

FORMATS = ("console", "json", "markdown", "html")


@dataclass(frozen=True)
class Run:
    """What a report shows: the results, in catalogue order, and facts about the run."""

    results: tuple[Result, ...]
    wall_seconds: float
    version: str
    interrupted: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def counts(self) -> dict[str, int]:
        out = {v: 0 for v in VERDICTS}
        for r in self.results:
            out[r.verdict.status] += 1
        return out

    @property
    def unexpected(self) -> list[Result]:
        return [r for r in self.results if not r.as_expected]

    def by_note(self) -> dict[str, list[Result]]:
        """Results by note: notes 000…004, then "standard", then claim files; within a note
        by section in the note's own order."""
        return {note: [r for _, rs in sections for r in rs]
                for note, sections in group_results(self.results)}


def _note_key(r: Result) -> str:
    from verifier.claim import note_of

    return note_of(r.source) or r.source.split(" § ")[0].strip() or "other"


def _section_order(note: str) -> tuple[str, ...]:
    from verifier.catalogues import section_order

    return section_order(note)


def group_results(results) -> list[tuple[str, list[tuple[str, list[Result]]]]]:
    """[(note, [(section, results)])] in reading order; claim files keep their own order."""
    from verifier.claim import section_of

    notes: dict[str, dict[str, list[Result]]] = {}
    for r in results:
        notes.setdefault(_note_key(r), {}).setdefault(section_of(r.source), []).append(r)

    def note_order(key: str) -> tuple[int, str]:
        if key.endswith(".txt"):
            return (0, key)
        return (1, "") if key == "standard" else (2, "")

    out = []
    for key in sorted(notes, key=note_order):  # stable: claim files in order of appearance
        order = _section_order(key)
        rank = {s: i for i, s in enumerate(order)}
        sections = sorted(notes[key].items(), key=lambda kv: rank.get(kv[0], len(order)))
        out.append((key, sections))
    return out


def render(run: Run, fmt: str) -> str:
    """The report as text (console format is rendered without colour)."""
    if fmt == "json":
        from verifier.report.json_report import render_json

        return render_json(run)
    if fmt == "markdown":
        from verifier.report.markdown import render_markdown

        return render_markdown(run)
    if fmt == "html":
        from verifier.report.html import render_html

        return render_html(run)
    from verifier.report.console import render_console_text

    return render_console_text(run)
