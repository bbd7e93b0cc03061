"""The JSON report: stable keys, documented in README.md ("JSON report")."""

from __future__ import annotations

import json

from verifier.report import Run

SCHEMA = 1


def _note(a) -> dict:
    return {
        "note": a.note,
        "title": a.title,
        "wrong": [r.id for r in a.wrong],
        "conditional": [r.id for r in a.conditional],
        "correct": len(a.correct),
        "corrected_forms": [r.id for r in a.corrections],
        "undecided": [r.id for r in a.undecided],
    }


def to_dict(run: Run) -> dict:
    """The run; ``notes`` answers "what is wrong in the notes" (per note: the ids of wrong and
    conditional formulas, how many are correct), ``summary`` the verifier's own question."""
    from verifier.report.audit import audit

    return {
        "version": run.version,
        "schema": SCHEMA,
        "interrupted": run.interrupted,
        "claims": [r.to_dict() for r in run.results],
        "notes": [_note(a) for a in audit(run)],
        "summary": {
            "total": len(run.results),
            "as_expected": len(run.results) - len(run.unexpected),
            "counts": run.counts,
            "wall_seconds": round(run.wall_seconds, 3),
        },
    }


def render_json(run: Run) -> str:
    return json.dumps(to_dict(run), indent=2, ensure_ascii=False) + "\n"
