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
        """Results grouped by note file (claims without a note under their source)."""
        from verifier.claim import note_of

        groups: dict[str, list[Result]] = {}
        for r in self.results:
            key = note_of(r.source) or r.source.split(" § ")[0] or "other"
            groups.setdefault(key, []).append(r)
        return groups


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
