"""The pytest plugin collects *.claims.toml files: one item per claim, readable failures."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

# imported here so pytester's per-test module snapshot keeps them (no re-import per run)
import sympy  # noqa: F401

import verifier.engine  # noqa: F401

pytest_plugins = ["pytester"]

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "quadratic.claims.toml"



def _plugin_args() -> list[str]:
    """Load the plugin by hand unless the installed pytest11 entry point already does
    (registering one module under two names is an error)."""
    installed = any(ep.value == "verifier.pytest_plugin" for ep in entry_points(group="pytest11"))
    return [] if installed else ["-p", "verifier.pytest_plugin"]


WRONG = """
[[claim]]
id = "quadratic-form"
symbols = { x = "vector(n)", A = "matrix(n, n)" }
lhs = "grad(x.T @ A @ x, x)"
rhs = "2 * A @ x"

[[claim]]
id = "fine"
symbols = { x = "vector(n)" }
lhs = "x + x"
rhs = "2 * x"
"""

MIXED = """
[[claim]]
id = "bad"
symbols = { x = "vector(n)", y = "vector(m)" }
lhs = "x @ y"
rhs = "x"

[[claim]]
id = "good"
lhs = "1 + 1"
rhs = "2"
"""


def test_plugin_runs_claims_files(pytester):
    pytester.makefile(".claims.toml", good=EXAMPLE.read_text(), wrong=WRONG, mixed=MIXED)
    pytester.makefile(".toml", pyproject_like="[tool.x]\na = 1\n")  # not a claims file
    # a file that is not TOML is a collection error, the other files still run (one pytester
    # run for both, round 18: a second run cost ~2 s of start-up)
    pytester.makefile(".claims.toml", broken="this is = not toml =")
    result = pytester.runpytest(*_plugin_args(), "-v", "--continue-on-collection-errors")
    # good: 7 pass; wrong: 1 pass, 1 not as expected; mixed: 1 pass, 1 bad claim; broken
    result.assert_outcomes(passed=9, failed=2, errors=1)
    result.stdout.fnmatch_lines_random([
        "*good.claims.toml::quadratic-form PASSED*",
        "*wrong.claims.toml::quadratic-form FAILED*",
        # the report of a claim that is not as expected
        "*verdict: conditional*",
        "*holds if A symmetric*",
        "*counterexample (exact*",
        "*lhs - rhs = *",
        "*expected: holds  (NOT MET)*",
        # a bad claim fails on its own, located; the file's other claims still run
        '*mixed.claims.toml:4:10 in claim "bad": shapes do not fit*',
        "*mixed.claims.toml::good PASSED*",
        "*broken.claims.toml:1:*not valid TOML*",
    ])
    assert "Traceback" not in result.stdout.str()
    assert "pyproject_like" not in result.stdout.str()
