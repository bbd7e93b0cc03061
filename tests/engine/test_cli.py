"""CLI exit codes, the JSON schema, and the console text of a refuted claim."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest
from engine_claims import QUADRATIC_NOTE, claim

import derivations
from verifier import cli
from verifier.engine import Options, decide
from verifier.report import Run
from verifier.report.console import render_console_text

# (AB)ᵀ = AᵀBᵀ: refuted with a shrunk exact counterexample (seed 0)
SLIP = claim("transpose_slip", title="(AB)ᵀ = AᵀBᵀ", symbols="A: matrix(n, n), B: matrix(n, n)",
             lhs=lambda s: (s.A @ s.B).T, rhs=lambda s: s.A.T @ s.B.T, expect="fails")

EXPECTED_CONSOLE = (
    'standard                                                                        \n'
    '┏━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━┳━━━━━━━━┓\n'
    '┃ id                 ┃ claim              ┃ verdict    ┃ method       ┃      s ┃\n'
    '┡━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━╇━━━━━━━━┩\n'
    '│ test.transpose_sli │ (AB)ᵀ = AᵀBᵀ       │ refuted    │ refute_exact │   0.25 │\n'
    '│ p                  │                    │            │              │        │\n'
    '└────────────────────┴────────────────────┴────────────┴──────────────┴────────┘\n'
    '╭─ test.transpose_slip ────────────────────────────────────────────────────────╮\n'
    '│ (AB)ᵀ = AᵀBᵀ                                                                 │\n'
    '│ standard                                                                     │\n'
    '│ (A*B).T = A.T*B.T                                                            │\n'
    '│ verdict: refuted   expected: fails   method: refute_exact   0.25 s           │\n'
    '│ exact rational residual                                                      │\n'
    '│                                                                              │\n'
    '│ counterexample at n=2:                                                       │\n'
    '│  A                  [ 0  0 ]                                                 │\n'
    '│                     [ 0  1 ]                                                 │\n'
    '│  B                  [ 0  0 ]                                                 │\n'
    '│                     [ 1  0 ]                                                 │\n'
    '│  lhs                [ 0  1 ]                                                 │\n'
    '│                     [ 0  0 ]                                                 │\n'
    '│  rhs                [ 0  0 ]                                                 │\n'
    '│                     [ 0  0 ]                                                 │\n'
    '│  lhs − rhs (exact)  [ 0  1 ]                                                 │\n'
    '│                     [ 0  0 ]                                                 │\n'
    '│ reproduce: derivcheck check test.transpose_slip --seed 0                     │\n'
    '╰──────────────────────────────────────────────────────────────────────────────╯\n'
    'standard: 1 entry, 1 wrong, 0 conditional\n'
    '  wrong: test.transpose_slip — (AB)ᵀ = AᵀBᵀ\n'
    '1 entry, 1 as expected · 1 refuted · 1.5 s\n'
)
# rich pads each line to the width; the text above is exact, trailing spaces included


def test_console_report_of_a_refuted_claim_is_exact():
    r = replace(decide(SLIP, Options(conditions=False)), seconds=0.25)
    assert render_console_text(Run((r,), 1.5, "0.1.0"), width=80) == EXPECTED_CONSOLE


def derivcheck(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "verifier", *args], capture_output=True,
                          text=True, timeout=timeout)


def test_help_exits_zero():
    p = derivcheck("--help")
    assert p.returncode == 0 and "verify" in p.stdout


def test_unknown_claim_id_is_bad_input_with_a_suggestion():
    p = derivcheck("check", "matrix_calculus.quadratic_form_gradiant", "--no-cache")
    assert p.returncode == 2
    assert "did you mean matrix_calculus.quadratic_form_gradient" in p.stderr
    assert "Traceback" not in p.stderr


def test_unknown_topic_is_bad_input():
    p = derivcheck("verify", "--topic", "astrology")
    assert p.returncode == 2 and "unknown topic astrology" in p.stderr


def test_json_report_schema(tmp_path):
    out = tmp_path / "report.json"
    p = derivcheck("verify", "--topic", "linear_algebra", "--format", "json", "--output", str(out),
                   "--no-cache", "--jobs", "2")
    assert p.returncode == 0, p.stdout + p.stderr
    data = json.loads(out.read_text())
    assert set(data) >= {"version", "claims", "summary"}
    assert set(data["summary"]) >= {"counts", "wall_seconds", "total", "as_expected"}
    keys = {"id", "title", "source", "kind", "verdict", "method", "expected", "as_expected",
            "condition", "counterexample", "max_error", "sizes", "seconds", "steps"}
    verdicts = {"proved", "proved-at-sizes", "checked", "refuted", "conditional", "undecided",
                "timeout", "error"}
    for c in data["claims"]:
        assert keys <= set(c)
        assert c["verdict"] in verdicts
        assert c["id"].startswith("linear_algebra.")
    conditional = [c for c in data["claims"] if c["verdict"] == "conditional"]
    assert conditional and all(c["condition"] for c in conditional)
    refuted = [c for c in data["claims"] if c["verdict"] == "refuted"]
    assert refuted and all({"values", "lhs", "rhs", "difference", "exact"}
                           <= set(c["counterexample"]) for c in refuted)


def test_exit_one_when_a_verdict_is_not_as_expected(monkeypatch, capsys):
    wrong_expectation = replace(QUADRATIC_NOTE, expect=SLIP.expect.parse("holds"))
    monkeypatch.setattr(derivations, "catalogue", lambda: (wrong_expectation,))
    code = cli.main(["verify", "--no-cache", "--jobs", "1", "--quiet"])
    assert code == 1
    assert "not as expected" in capsys.readouterr().out


def test_exit_zero_when_every_verdict_is_as_expected(monkeypatch, capsys):
    slip = replace(SLIP, expect=SLIP.expect.parse("holds if A and B commute"))
    monkeypatch.setattr(derivations, "catalogue", lambda: (QUADRATIC_NOTE, slip))
    assert cli.main(["verify", "--no-cache", "--jobs", "1", "--quiet"]) == 0


@pytest.mark.parametrize("fmt", ["markdown", "json"])
def test_report_formats_render(fmt, monkeypatch, capsys):
    monkeypatch.setattr(derivations, "catalogue", lambda: (QUADRATIC_NOTE,))
    assert cli.main(["verify", "--no-cache", "--jobs", "1", "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "test.quadratic_note" in out and "M symmetric" in out
