"""The catalogue covers every note: each section heading that states a formula has a claim."""

from __future__ import annotations

from derivations import NOTES, SECTIONS, catalogue
from verifier.claim import section_of


def test_every_section_has_a_claim():
    covered = {(e.note, section_of(e.source)) for e in catalogue()}
    missing = [
        f"{NOTES[prefix]} § {section}"
        for prefix, sections in SECTIONS.items()
        for section in sections
        if (NOTES[prefix], section) not in covered
    ]
    assert not missing, f"sections without a claim: {missing}"


def test_sources_name_real_sections():
    known = {(NOTES[p], s) for p, ss in SECTIONS.items() for s in ss}
    for e in catalogue():
        if e.note:
            assert (e.note, section_of(e.source)) in known, f"{e.id}: unknown section {e.source}"


def test_the_catalogue_is_large_enough():
    assert len(catalogue()) >= 90
