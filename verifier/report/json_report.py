"""The JSON report: stable keys, documented in README.md ("JSON report")."""

from __future__ import annotations

import json

from verifier.report import Run

SCHEMA = 1


def to_dict(run: Run) -> dict:
    return {
        "version": run.version,
        "schema": SCHEMA,
        "interrupted": run.interrupted,
        "claims": [r.to_dict() for r in run.results],
        "summary": {
            "total": len(run.results),
            "as_expected": len(run.results) - len(run.unexpected),
            "counts": run.counts,
            "wall_seconds": round(run.wall_seconds, 3),
        },
    }


def render_json(run: Run) -> str:
    return json.dumps(to_dict(run), indent=2, ensure_ascii=False) + "\n"
