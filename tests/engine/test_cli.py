"""CLI exit codes, the JSON schema, the console views, and what each command promises: help that
lists the language, reproduce lines that reproduce, files others can read, text never read as
markup."""

from __future__ import annotations

import json
import os
import re
import stat
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

def test_console_report_of_a_refuted_claim():
    r = replace(decide(SLIP, Options(conditions=False)), seconds=0.25)
    text = render_console_text(Run((r,), 1.5, "0.1.0"), width=80)
    lines = [x.rstrip() for x in text.splitlines()]
    assert "  ✗ wrong  test.transpose_slip" in lines
    assert "    (AB)ᵀ = AᵀBᵀ" in lines
    assert any(x.startswith("    counterexample: at n=") for x in lines)
    assert lines[-2:] == ["The claims: 1 wrong, 0 conditional, 0 correct",
                          "The verifier: the verdict is as expected · 1 entry · 1 refuted · 1.5 s"]
    panel = render_console_text(Run((r,), 1.5, "0.1.0"), width=80, view="panels")
    assert "reproduce: derivcheck check test.transpose_slip --seed 0" in panel


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


# ----- views -----


def test_verify_all_and_show_give_tables(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "200")
    general = replace(QUADRATIC_NOTE, id="test.quadratic_general", expect=SLIP.expect.parse(
        "holds"), rhs=lambda s: (s.M + s.M.T) @ s.a)
    monkeypatch.setattr(derivations, "catalogue", lambda: (QUADRATIC_NOTE, general))
    run = ["verify", "--no-cache", "--jobs", "1", "--quiet"]
    assert cli.main([*run, "--all"]) == 0
    out = capsys.readouterr().out
    assert "◐ conditional" in out and "✓ proved" in out
    assert "test.quadratic_note ·" in out and "test.quadratic_general ·" in out
    assert cli.main([*run, "--show", "conditional,refuted"]) == 0
    out = capsys.readouterr().out
    assert "test.quadratic_note ·" in out and "test.quadratic_general" not in out
    assert cli.main(run) == 0  # the default: the conditional formula, then the closing lines
    out = capsys.readouterr().out
    assert "◐ conditional  test.quadratic_note" in out and "test.quadratic_general" not in out
    assert "The claims: 0 wrong, 1 conditional, 1 correct" in out


def test_show_rejects_unknown_verdicts():
    p = derivcheck("verify", "--show", "refuted,wrongish")
    assert p.returncode == 2 and "unknown verdict wrongish" in p.stderr
    assert "proved-at-sizes" in p.stderr


# ----- expect "fails" is met by a conditional verdict -----

QF = "x: vector(n), A: matrix(n, n)"


def test_expect_fails_is_met_by_conditional(tmp_path, capsys):
    from verifier.claim import Expect
    from verifier.verdict import Verdict, as_expected

    conditional = Verdict("conditional", "refute_exact", condition="A symmetric")
    assert as_expected(Expect.parse("fails"), conditional)
    assert as_expected(Expect.parse("fails"), Verdict("refuted", "refute_exact"))
    assert not as_expected(Expect.parse("fails"), Verdict("proved", "prove_general"))
    args = ["--no-cache", "--jobs", "1", "--quiet"]
    assert cli.main(["claim", "grad(x.T @ A @ x, x)", "2 * A @ x", "--symbols", QF,
                     "--expect", "fails", *args]) == 0
    f = tmp_path / "q.claims.toml"
    f.write_text('[[claim]]\nid = "qf"\nsymbols = { x = "vector(n)", A = "matrix(n, n)" }\n'
                 'lhs = "grad(x.T @ A @ x, x)"\nrhs = "2 * A @ x"\nexpect = "fails"\n')
    assert cli.main(["check", str(f), *args]) == 0
    assert "conditional" in capsys.readouterr().out


# ----- reproduce lines -----


def test_reproduce_line_of_a_one_liner_reproduces_it(tmp_path):
    import shlex

    lhs, rhs = "grad(x.T @ A @ x, x)", "2 * A @ x"
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    args = ["--no-cache", "--jobs", "1", "--quiet", "--format", "json"]
    assert cli.main(["claim", lhs, rhs, "--symbols", QF, "--assume", "A invertible",
                     "--expect", "holds if A symmetric", "--seed", "3", *args,
                     "--output", str(first)]) == 0
    claim = json.loads(first.read_text())["claims"][0]
    command = shlex.split(claim["reproduce"])
    assert command[:4] == ["derivcheck", "claim", lhs, rhs]
    assert command[-2:] == ["--seed", "3"] and "--assume" in command
    assert cli.main([*command[1:], *args, "--output", str(second)]) == 0
    again = json.loads(second.read_text())["claims"][0]
    assert (again["verdict"], again["condition"], again["counterexample"]) == (
        claim["verdict"], claim["condition"], claim["counterexample"])
    assert again["reproduce"] == claim["reproduce"]


# ----- report files -----


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_report_files_get_the_mode_of_a_new_file(tmp_path, umask, mode):
    text = "report\n"
    old = os.umask(umask)
    try:
        cli._write_atomic(str(tmp_path / "r.html"), text)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "r.html").stat().st_mode) == mode
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".derivcheck-")]


def test_report_file_replaced_keeps_its_mode(tmp_path, monkeypatch):
    monkeypatch.setattr(derivations, "catalogue", lambda: (SLIP,))
    out = tmp_path / "report.json"
    out.write_text("old")
    out.chmod(0o640)
    assert cli.main(["verify", "--no-cache", "--jobs", "1", "--quiet", "--format", "json",
                     "--output", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640 and "test.transpose_slip" in out.read_text()


# ----- help -----


def _help(*command: str) -> str:
    p = derivcheck(*command, "--help")
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_claim_help_lists_every_function_and_assumption_phrase():
    from verifier.claim import MATRIX_PROPERTIES, SCALAR_PROPERTIES, parse_assumption
    from verifier.language import FUNCTIONS

    text = _help("claim")
    for name in FUNCTIONS:
        assert f"{name}(" in text, name
    for prop in MATRIX_PROPERTIES:
        assert f"X {prop}" in text, prop
    for prop in SCALAR_PROPERTIES:
        assert f"s {prop}" in text, prop
    assumptions = text.split("assumptions (--assume", 1)[1].split("\n\n", 1)[0]
    phrases = [p.strip() for line in assumptions.splitlines()[1:]  # commas outside (…)
               for p in re.split(r", (?![^()]*\))", line.replace(" (or [0, 1], …)", ""))]
    phrases = [p for p in phrases if p]
    assert len(phrases) >= len(MATRIX_PROPERTIES) + len(SCALAR_PROPERTIES) + 3
    for phrase in phrases:  # every phrase the help shows is one the parser accepts
        parse_assumption(phrase)
    assert "fails (met by refuted, and by conditional" in text


def test_check_help_documents_claim_files_and_sizes(tmp_path):
    from verifier.claimfile import load_claim_file

    text = _help("check")
    assert "sizes = [{ n = 2 }, { n = 3 }]" in text and "sizes: the concrete sizes" in text
    toml = "\n".join(line[2:] for line in text.split("tables:\n", 1)[1].split("\n\nsizes:")[0]
                     .splitlines())
    f = tmp_path / "help.claims.toml"
    f.write_text(toml)
    entries, errors = load_claim_file(str(f))
    assert not errors and [e.id for e in entries] == ["quadratic-form", "square-of-difference"]
    assert entries[0].sizes == ((("n", 2),), (("n", 3),))


# ----- markup is text, in every command -----


def test_list_and_show_print_brackets_verbatim(monkeypatch, capsys):
    from derivations import catalogue

    monkeypatch.setenv("COLUMNS", "1000")  # every title on one line of its cell
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    bracketed = [e.title for e in catalogue() if "[" in e.title]
    assert bracketed and all(t in out for t in bracketed)
    assert cli.main(["show", "classification.logistic_log_likelihood"]) == 0
    assert "Σᵢ [yᵢ log hᵢ + (1 − yᵢ) log(1 − hᵢ)]" in capsys.readouterr().out


def test_errors_print_brackets_verbatim(capsys):
    assert cli.main(["check", "no.such[red]claim[/red]"]) == 2
    assert "no.such[red]claim[/red]" in capsys.readouterr().err


def test_show_of_an_elementwise_claim_fits_a_screen(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "100")
    assert cli.main(["show", "classification.logistic_mse_gradient"]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) < 30 and "not shown" in out and "--full" in out
    assert "∂/∂θ (1/2N) Σᵢ (σ(xᶦθ) − yᵢ)²" in out  # the title states it
    assert cli.main(["show", "classification.logistic_mse_gradient", "--full"]) == 0
    assert len(capsys.readouterr().out.splitlines()) > 30


def test_an_expression_that_starts_with_a_minus_is_not_an_option():
    short = cli._short_options(cli.build_parser())
    args = ["claim", "-x.T @ y", "-(y.T @ x)", "--symbols", "x: vector(n), y: vector(n)",
            "-o/tmp/r.json", "-j", "1", "--seed", "-1", "-h * x"]
    assert cli.expressions_as_positionals(args, short) == [
        "claim", " -x.T @ y", " -(y.T @ x)", "--symbols", "x: vector(n), y: vector(n)",
        "-o/tmp/r.json", "-j", "1", "--seed", "-1", " -h * x"]
    # after "--" everything is left as written
    assert cli.expressions_as_positionals(["--", "-(x)"], short) == ["--", "-(x)"]
    p = derivcheck("derive", "-log(softmax(z)[c])", "--wrt", "z", "--symbols",
                   "z: vector(C), c: index(C)")
    assert p.returncode == 0, p.stderr
    assert "softmax(z) − onehot(c)" in p.stdout
