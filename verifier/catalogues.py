"""Where the verifier finds a catalogue of claims: the ``derivcheck.catalogues`` entry point.

A catalogue is a module (or any object) with ``catalogue()`` (every entry), ``get(id)``,
``TOPICS`` (topic names), ``NOTES`` (note prefix -> file name) and ``SECTIONS`` (note prefix
-> its headings in reading order).  derivcheck's own is ``derivations``, registered in
pyproject.toml; the engine and the reports never import it, so claim files and the Python
API work without any catalogue installed.
"""

from __future__ import annotations

import functools
from importlib.metadata import entry_points
from typing import Any

__all__ = ["CatalogueMissing", "default"]

GROUP = "derivcheck.catalogues"


class CatalogueMissing(LookupError):
    """No catalogue is registered under ``derivcheck.catalogues``."""


@functools.cache
def default() -> Any:
    """The registered catalogue (the first, by name, if there are several)."""
    found = sorted(entry_points(group=GROUP), key=lambda ep: ep.name)
    if not found:
        raise CatalogueMissing(
            f"no catalogue is registered (entry point group {GROUP!r}); install derivcheck "
            "with `pip install -e .`, or check claim files instead")
    return found[0].load()


def section_order(note: str) -> tuple[str, ...]:
    """A note's headings in reading order, or () without a catalogue that knows the note."""
    try:
        sections = default().SECTIONS
    except CatalogueMissing:
        return ()
    return tuple(sections.get(note.split("_", 1)[0], ())) if note.endswith(".txt") else ()


def lookup(entry_id: str) -> Any | None:
    """A catalogue entry by id, or None (no catalogue, or no such entry)."""
    try:
        return default().get(entry_id)
    except (CatalogueMissing, KeyError):
        return None
