"""What a run says about the notes, kept apart from what it says about the verifier.

A reader auditing notes asks "what is wrong in my notes?": per note, the formulas that are
wrong (refuted), those that hold only under a condition the note does not state
(conditional), and how many are correct.  The verifier's own question, "is every verdict the
one the catalogue expects?", is a different one; every report answers both, separately.

The catalogue also holds entries the notes never wrote: the corrected form of each wrong
formula (linked by ``corrected=``).  A corrected form of a note's own wrong formula is not
counted as one of that note's correct formulas.
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier.report import Run, group_results
from verifier.report.notes import note_label, note_title
from verifier.verdict import HOLDING, Result

__all__ = ["NoteAudit", "Totals", "audit", "correct_form", "link_corrections", "totals"]

WRONG, CONDITIONAL = "refuted", "conditional"
UNDECIDED = ("undecided", "timeout", "error")


def needs_condition(r: Result) -> bool:
    """False as stated but true under a condition, or true only where something the formula
    never says holds (an inverse that must exist, a denominator that must not vanish)."""
    v = r.verdict
    return v.status == CONDITIONAL or (v.status in HOLDING and bool(v.unstated))


@dataclass(frozen=True)
class NoteAudit:
    """One group of results (a note, the standard results, a claim file) as an audit."""

    note: str  # the group key: a note's file name, "standard", a claim file
    title: str | None  # the note's own title, when the note text was found
    results: tuple[Result, ...]
    wrong: tuple[Result, ...]
    conditional: tuple[Result, ...]
    correct: tuple[Result, ...]  # holding, and not a corrected form added for this note
    corrections: tuple[Result, ...]  # holding corrected forms of this note's wrong formulas
    undecided: tuple[Result, ...]  # undecided, timeout, error: nothing known about the note

    @property
    def label(self) -> str:
        return note_label(self.note)

    @property
    def is_note(self) -> bool:
        return self.note.endswith(".txt")

    @property
    def problems(self) -> tuple[Result, ...]:
        """Wrong and conditional formulas, in the note's order."""
        return tuple(r for r in self.results
                     if r.verdict.status == WRONG or needs_condition(r))

    def summary(self) -> str:
        """"3 wrong, 2 need a condition, 25 correct" (and what else there is)."""
        n = len(self.conditional)
        parts = [f"{len(self.wrong)} wrong",
                 f"{n} {'needs' if n == 1 else 'need'} a condition",
                 f"{len(self.correct)} correct"]
        if self.undecided:
            parts.append(f"{len(self.undecided)} undecided")
        if self.corrections:
            parts.append(f"{len(self.corrections)} corrected "
                         f"form{'' if len(self.corrections) == 1 else 's'} added")
        return ", ".join(parts)


@dataclass(frozen=True)
class Totals:
    """Counts over the notes (or over claim files when the run has no note)."""

    subject: str  # "the notes" | "the claims"
    wrong: int
    conditional: int
    correct: int
    undecided: int
    other: tuple[NoteAudit, ...]  # groups counted apart (standard results beside notes)
    corrections: int


def audit(run: Run) -> list[NoteAudit]:
    """Every group of the run, in reading order, as an audit."""
    groups = [(note, [r for _, rs in sections for r in rs])
              for note, sections in group_results(run.results)]
    # a corrected form "belongs" to the note whose wrong formula it corrects
    corrects: dict[str, set[str]] = {}
    for note, results in groups:
        for r in results:
            if r.corrected and (r.verdict.status == WRONG or needs_condition(r)):
                corrects.setdefault(r.corrected, set()).add(note)
    out = []
    for note, results in groups:
        holding = [r for r in results
                   if r.verdict.status in HOLDING and not needs_condition(r)]
        added = tuple(r for r in holding if note in corrects.get(r.id, ()))
        out.append(NoteAudit(
            note=note,
            title=note_title(note) if note.endswith(".txt") else None,
            results=tuple(results),
            wrong=tuple(r for r in results if r.verdict.status == WRONG),
            conditional=tuple(r for r in results if needs_condition(r)),
            correct=tuple(r for r in holding if r not in added),
            corrections=added,
            undecided=tuple(r for r in results if r.verdict.status in UNDECIDED),
        ))
    return out


def totals(audits: list[NoteAudit]) -> Totals:
    notes = [a for a in audits if a.is_note]
    counted = notes or audits
    return Totals(
        subject="the notes" if notes else "the claims",
        wrong=sum(len(a.wrong) for a in counted),
        conditional=sum(len(a.conditional) for a in counted),
        correct=sum(len(a.correct) for a in counted),
        undecided=sum(len(a.undecided) for a in counted),
        other=tuple(a for a in audits if a not in counted),
        corrections=sum(len(a.corrections) for a in counted),
    )


def correct_form(run: Run, r: Result) -> tuple[str, str | None] | None:
    """The correct form of an as-written result: (title of the linked corrected entry, its
    verdict in this run or ``None`` when the run did not decide it)."""
    if not r.corrected:
        return None
    other = next((x for x in run.results if x.id == r.corrected), None)
    title = other.title if other is not None else r.corrected_title
    if not title:
        return None
    return title, other.verdict.status if other is not None else None


def link_corrections(results, entries) -> list[Result]:
    """Results with ``corrected`` / ``corrected_title`` set from their entries' ``corrected=``
    links (the engine decides claims; which entry corrects which is the catalogue's fact)."""
    from dataclasses import replace

    by_id = {e.id: e for e in entries}
    out = []
    for r in results:
        entry = by_id.get(r.id)
        target = getattr(entry, "corrected", None) if entry is not None else None
        if not target or r.corrected_title:
            out.append(r)
            continue
        other = by_id.get(target)
        if other is None:
            from verifier.catalogues import lookup

            other = lookup(target)
        out.append(replace(r, corrected=target, corrected_title=other.title if other else ""))
    return out
