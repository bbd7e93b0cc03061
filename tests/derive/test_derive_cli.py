"""``derivcheck derive``: the report in each format, the exit codes, the emitted NumPy module.

Every emitted module's own test (the derivative against central finite differences of the
function) is run: in this process for the whole table of ``test_derive``, and once through
pytest on the written file, as a user would.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import types

import pytest
from test_derive import SPECS

from verifier.derive import derive
from verifier.derive.emit import numpy_module


def derivcheck(*args: str) -> subprocess.CompletedProcess:
    """``derivcheck ARGS`` in this process (the claim is still decided in a worker): a new
    interpreter per call spent a second or two importing what this one holds; the entry
    point itself is run as a command once (test_the_command_runs_as_python_m_verifier)."""
    from verifier.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # --help, and argparse's own usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def test_the_command_runs_as_python_m_verifier():
    p = subprocess.run([sys.executable, "-m", "verifier", "derive", "x.T @ x", "--wrt", "x",
                        "--symbols", "x: vector(n)", "--format", "latex"],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[1] == ("\\frac{\\partial}{\\partial x} \\left(x^{\\top} x"
                                        "\\right) = 2 x")


LOGDET = ("log(det(X))", "--wrt", "X", "--symbols", "X: matrix(n, n)")


def test_text_report_states_the_result_and_its_proof():
    p = derivcheck("derive", *LOGDET)
    assert p.returncode == 0, p.stderr
    lines = [x.rstrip() for x in p.stdout.splitlines()]
    assert lines[0] == "f = log(det(X))    X: matrix(n, n)"
    assert lines[1] == "∂f/∂X = X⁻ᵀ"
    assert lines[2] == "  claim language  inv(X).T"
    assert lines[3] == "  LaTeX           X^{-\\top}"
    assert lines[4].startswith("✓ proved in general dimension where det(X) positive")
    assert "  grad(log(det(X)), X) = inv(X).T" in lines


def test_latex_report():
    p = derivcheck("derive", "x.T @ A @ x", "--wrt", "x", "--symbols",
                   "x: vector(n), A: matrix(n, n)", "--format", "latex")
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines() == [
        "% derivcheck derive: proved in general dimension (prove_differential), denominator "
        "layout",
        "\\frac{\\partial}{\\partial x} \\left(x^{\\top} A x\\right) = \\left(A + A^{\\top}"
        "\\right) x",
    ]


def test_json_report_has_every_field():
    p = derivcheck("derive", "-y.T @ log_softmax(z)", "--wrt", "z", "--symbols",
                   "z: vector(C), y: vector(C)", "--assume", "y sums to 1", "--format", "json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["result"] == {"text": "softmax(z) - y", "unicode": "softmax(z) − y",
                             "latex": "\\operatorname{softmax}\\left(z\\right) - y"}
    assert out["verdict"] == "proved"
    assert out["claim"] == "grad(-y.T @ log_softmax(z), z) = softmax(z) - y"
    assert out["assume"] == ["y sums to 1"] and out["layout"] == "denominator"
    assert set(out["seconds"]) == {"derive", "prove"}


def test_numerator_layout_and_hessian():
    p = derivcheck("derive", "a.T @ X @ b", "--wrt", "X", "--symbols",
                   "a: vector(n), b: vector(m), X: matrix(n, m)", "--layout", "numerator")
    assert p.returncode == 0 and "∂f/∂X (numerator layout) = baᵀ" in p.stdout
    p = derivcheck("derive", "x.T @ A @ x", "--wrt", "x", "--symbols",
                   "x: vector(n), A: matrix(n, n)", "--hessian")
    assert p.returncode == 0 and "∇²f (by x) = A + Aᵀ" in p.stdout
    # the engine's evidence, as it is: no "proved" it did not give
    assert "proved in general dimension" in p.stdout or "fixed sizes only" in p.stdout


def test_bad_input_exits_2_with_a_message():
    p = derivcheck("derive", "A @ x", "--wrt", "x", "--symbols", "A: matrix(n, n), x: vector(n)")
    assert p.returncode == 2
    assert "scalar-valued EXPR" in p.stderr and "Traceback" not in p.stderr
    p = derivcheck("derive", "x.T @ x", "--wrt", "x", "--symbols", "x: vector(n)",
                   "--output", "f.py")
    assert p.returncode == 2 and "--output goes with --emit" in p.stderr


def test_help_lists_the_options():
    p = derivcheck("derive", "--help")
    assert p.returncode == 0
    for option in ("--wrt", "--symbols", "--layout", "--jacobian", "--hessian", "--assume",
                   "--format", "--emit", "--output", "--name", "--timeout", "exit codes"):
        assert option in p.stdout


def test_emitted_module_passes_its_own_test(tmp_path):
    path = tmp_path / "logistic.py"
    p = derivcheck("derive", "-sum(y * log(sigmoid(X @ w)) + (1 - y) * log(1 - sigmoid(X @ w)))",
                   "--wrt", "w", "--symbols", "X: matrix(N, d), w: vector(d), y: vector(N)",
                   "--emit", "numpy", "--output", str(path), "--name", "loss")
    assert p.returncode == 0, p.stderr
    text = path.read_text()
    assert "def loss(X, w, y):" in text and "def grad_loss(X, w, y):" in text
    assert "∂loss/∂w = Xᵀ(σ(Xw) − y)" in text
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          str(path)], capture_output=True, text=True, timeout=120,
                         cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout


def test_emit_to_standard_output():
    p = derivcheck("derive", "x.T @ x", "--wrt", "x", "--symbols", "x: vector(n)", "--emit",
                   "numpy")
    assert p.returncode == 0
    assert p.stdout.startswith('"""Generated by ``derivcheck derive``')
    assert "2x: proved in general dimension" in p.stderr


def _run_module(source: str) -> None:
    module = types.ModuleType("emitted")
    exec(compile(source, "emitted", "exec"), module.__dict__)  # noqa: S102 - our own output
    tests = [v for k, v in module.__dict__.items() if k.startswith("test_")]
    assert len(tests) == 1
    tests[0]()


@pytest.mark.parametrize("spec", SPECS, ids=[s.id for s in SPECS])
def test_every_emitted_gradient_matches_finite_differences(spec):
    d = derive(spec.expr, spec.wrt, spec.symbols, assume=spec.assume)
    _run_module(numpy_module(d, "test"))


@pytest.mark.parametrize("expr, wrt, symbols, kind", [
    ("x.T @ A @ x", "x", "x: vector(n), A: matrix(n, n)", "hessian"),
    ("sigmoid(W @ x)", "x", "W: matrix(m, n), x: vector(n)", "jacobian"),
    ("-sum(y * log(sigmoid(X @ w)) + (1 - y) * log(1 - sigmoid(X @ w)))", "w",
     "X: matrix(N, d), w: vector(d), y: vector(N)", "hessian"),
])
def test_emitted_jacobians_and_hessians(expr, wrt, symbols, kind):
    for layout in ("denominator", "numerator"):
        _run_module(numpy_module(derive(expr, wrt, symbols, kind=kind, layout=layout)))
