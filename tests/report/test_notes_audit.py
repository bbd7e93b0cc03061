"""Note titles from the note text, the corrected-form links of the catalogue, and the audit
counts (per note: wrong, conditional, correct; corrected forms apart)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_notes import NOTE_TITLES

from derivations import NOTES, catalogue
from verifier.report import Run, render
from verifier.report.audit import audit, link_corrections, totals
from verifier.report.notes import note_label, note_title, title_of_text
from verifier.verdict import Result
from verifier.verdict import Verdict as V

# ----- titles -----


@pytest.mark.parametrize(("text", "title"), [
    ('---\ntitle: "深度学习公式"\nweight: 30\n---\n# Notations\n', "深度学习公式"),
    ("\n\n### linear regression\n\n$$h = x$$\n", "linear regression"),
    ("# Deep Learning\n\nInstructor: …\n", "Deep Learning"),
    ("## 1.2 **Gradient** descent\n", "Gradient descent"),
    ("_index.org\n\nbackpropegation\n\nLast edited: October 10, 2025\n", "backpropegation"),
    ("Reference: 吴恩达机器学习课程,斯坦福大学2014(吴恩达)机器学习教程中文笔记;"
     "LaTeX使用在线LaTeX公式编辑器\n本文作为自己的备忘录,主要记录一些经典的ML算法,实时更新。$\\LaTeX$\n线性代数/矩阵论\n符号规定\n",
     "线性代数/矩阵论"),
    ("$$x$$\n\\begin{equation}\n", None),
])
def test_title_of_a_note_text(text, title):
    assert title_of_text(text) == title


def test_titles_come_from_the_notes_found_through_the_environment():
    assert note_title(NOTES["000"]) == NOTE_TITLES["000"]
    assert note_label(NOTES["002"]) == f"{NOTE_TITLES['002']} ({NOTES['002']})"
    assert note_label("standard") == "standard results (not from a note)"
    assert note_title("999_missing.txt") is None and note_label("999_missing.txt") == (
        "999_missing.txt")


REAL_NOTES = Path(__file__).resolve().parents[3] / "shared" / "notes"


@pytest.mark.skipif(not REAL_NOTES.is_dir(), reason="the lecture notes are not beside the project")
def test_every_real_note_has_a_title():
    titles = {p: title_of_text((REAL_NOTES / name).read_text(encoding="utf-8"))
              for p, name in NOTES.items()}
    assert titles == {"000": "深度学习公式", "001": "linear regression", "002": "Deep Learning",
                      "003": "backpropegation", "004": "线性代数/矩阵论"}


# ----- the corrected-form links -----


def test_every_wrong_or_conditional_entry_links_a_correct_form_that_holds():
    byid = {e.id: e for e in catalogue()}
    for e in catalogue():
        if str(e.expect) != "holds":  # as written: false, or true only under a condition
            assert e.corrected, f"{e.id} names no corrected entry"
        if e.corrected:
            target = byid[e.corrected]
            assert str(target.expect) == "holds" and target.id != e.id, e.id
            assert not target.corrected, f"{target.id} is a correct form, it corrects nothing"


def test_link_corrections_sets_id_and_title():
    wrong = next(e for e in catalogue() if e.corrected)
    r = Result(wrong.id, wrong.title, wrong.source, wrong.kind, V("refuted", "x"), "fails",
               True, 0.1, 0)
    (linked,) = link_corrections([r], [wrong])  # the corrected entry is not in the run
    assert linked.corrected == wrong.corrected
    assert linked.corrected_title == next(e.title for e in catalogue() if e.id == wrong.corrected)


# ----- the audit -----


def _r(id_, status, note, **kw) -> Result:
    return Result(id_, f"title {id_}", f"{NOTES[note]} § S" if note else "standard",
                  "identity", V(status, "m"), "holds", True, 0.1, 0, **kw)


def test_a_correct_form_counts_for_the_note_it_corrects_not_as_a_correct_formula():
    run = Run((
        _r("w", "refuted", "000", corrected="fix"),
        _r("fix", "proved", "000"),
        _r("ok", "proved-at-sizes", "000"),
        _r("slip", "conditional", "", corrected="own"),  # a standard slip …
        _r("own", "proved", "001"),  # … corrected by a formula note 001 itself states
        _r("open", "timeout", "001"),
    ), 1.0, "0.1.0")
    a000, a001, standard = audit(run)
    assert ([r.id for r in a000.wrong], [r.id for r in a000.correct],
            [r.id for r in a000.corrections]) == (["w"], ["ok"], ["fix"])
    assert [r.id for r in a001.correct] == ["own"] and [r.id for r in a001.undecided] == ["open"]
    assert standard.note == "standard" and [r.id for r in standard.conditional] == ["slip"]
    tot = totals([a000, a001, standard])
    assert (tot.subject, tot.wrong, tot.conditional, tot.correct, tot.undecided,
            tot.corrections) == ("the notes", 1, 0, 2, 1, 1)
    assert tot.other == (standard,)
    data = json.loads(render(run, "json"))["notes"]
    assert data[0] == {"note": NOTES["000"], "title": NOTE_TITLES["000"], "wrong": ["w"],
                       "conditional": [], "correct": 1, "corrected_forms": ["fix"],
                       "undecided": []}


def test_html_summary_leads_with_the_notes():
    run = Run((_r("w", "refuted", "000", corrected="fix", corrected_title="title fix"),
               _r("fix", "proved", "000")), 1.0, "0.1.0")
    page = render(run, "html")
    audit_at, verifier_at = page.index("What is wrong in the notes"), page.index("The verifier")
    assert audit_at < verifier_at < page.index('<section class="note"')
    lead = page[audit_at:verifier_at]
    assert "<strong class=\"n-refuted\">1 wrong</strong>" in lead and NOTE_TITLES["000"] in lead
    assert 'href="#w"' in lead and 'Correct: <a href="#fix">title fix</a> (proved)' in lead
    assert "Every verdict is the one the catalogue expects" in page[verifier_at:]


def test_markdown_leads_with_the_notes():
    run = Run((_r("w", "refuted", "000", corrected="fix", corrected_title="title fix"),
               _r("fix", "proved", "000")), 1.0, "0.1.0")
    text = render(run, "markdown")
    assert text.index("## What is wrong in the notes") < text.index("## The verifier")
    assert "- **wrong**: title w (`w`)" in text and "  - correct: title fix (proved)" in text
