"""The lecture notes a report talks about: where they are and what each is called.

A claim's ``source`` names its note by file name (``000_a52696e652c128e2.txt § Gradients``);
people know a note by its title.  The title is read from the note's own text: the
front-matter ``title:``, else the first Markdown heading, else the first short line of
prose (org exports start with the export's file name, which is skipped).  Without the notes
(an installed copy far from ``../shared/notes``) reports fall back to the file name.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

__all__ = ["note_label", "note_title", "notes_dir", "title_of_text"]

_FRONT_TITLE = re.compile(r"""^title:\s*["']?(.*?)["']?\s*$""")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
_FILE_NAME = re.compile(r"^[\w.-]+\.(org|md|txt|tex|html?)$")
_MAX_TITLE = 60  # a longer first line is prose, not a title


def notes_dir() -> Path | None:
    """``$DERIVCHECK_NOTES``, else ``../shared/notes`` beside the project, else the working
    directory's ``../shared/notes`` or ``notes/``; ``None`` when none exists."""
    env = os.environ.get("DERIVCHECK_NOTES")
    candidates = [Path(env)] if env else []
    project = Path(__file__).resolve().parents[2]  # verifier/report/notes.py -> project root
    candidates += [project.parent / "shared" / "notes", Path.cwd().parent / "shared" / "notes",
                   Path.cwd() / "notes"]
    return next((p for p in candidates if p.is_dir()), None)


def _clean(text: str) -> str:
    """Strip Markdown emphasis and a leading section number ("1.2 Title", "**Contents**")."""
    text = re.sub(r"[*_`]{1,3}(.+?)[*_`]{1,3}", r"\1", text).strip()
    text = re.sub(r"^\d+(\.\d+)*\s+", "", text)
    return " ".join(text.split())


def title_of_text(text: str) -> str | None:
    """A note's title from its text (see the module docstring), or ``None``."""
    lines = text.splitlines()
    if lines and lines[0].strip() == "---":  # front matter
        for line in lines[1:]:
            if line.strip() == "---":
                break
            m = _FRONT_TITLE.match(line.strip())
            if m and m.group(1).strip():
                return _clean(m.group(1))
    for line in lines:
        m = _HEADING.match(line.strip())
        if m and _clean(m.group(1)):
            return _clean(m.group(1))
    prose = [t for t in (line.strip() for line in lines[:20]) if t]
    for t in prose:  # the first short line that is neither markup nor a sentence
        if (_FILE_NAME.match(t) or len(t) > _MAX_TITLE or re.search(r"[$。，,;；:：]", t)
                or t.endswith(".") or t.startswith(("<", "{", "\\", "|", "-"))):
            continue
        return _clean(t) or None
    return None


@functools.cache
def note_title(file_name: str) -> str | None:
    """The title of a note given by file name (``000_….txt``), or ``None`` if not found."""
    directory = notes_dir()
    if directory is None or not file_name.endswith(".txt") or "/" in file_name:
        return None
    path = directory / file_name
    try:
        return title_of_text(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None


def note_label(note: str) -> str:
    """How a report names a group of results: ``title (file name)`` for a note, else the
    group's own name ("standard", a claim file)."""
    if note == "standard":
        return "standard results (not from a note)"
    title = note_title(note) if note.endswith(".txt") else None
    return f"{title} ({note})" if title else note
