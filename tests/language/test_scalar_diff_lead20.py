"""SymPy's diff(f, x) by a declared scalar x (and diff(f, x, 2), diff(f, x, x), Derivative):
read as grad(f, x) and hessian(f, x), which are these derivatives for a scalar. Before, every
diff was refused with "write grad(f, x)", though its meaning by a scalar is SymPy's own. By a
vector or a matrix diff has no one layout and stays refused."""

from __future__ import annotations

import pytest
from readings import read, refusal

from verifier.api import verify
from verifier.claimfile import declare_symbols
from verifier.language import scope_of

SCOPE = scope_of(declare_symbols("x: scalar, a: scalar, v: vector(n), A: matrix(n, n)"))


@pytest.mark.parametrize(("text", "meant"), [
    ("diff(x**3, x)", "grad(x**3, x)"),
    ("derivative(sin(x), x)", "grad(sin(x), x)"),
    ("Derivative(tanh(a * x), a)", "grad(tanh(a * x), a)"),
    ("diff(exp(x), x, 2)", "hessian(exp(x), x)"),
    ("diff(exp(x), x, x)", "hessian(exp(x), x)"),
    ("diff(exp(x), x, 1)", "grad(exp(x), x)"),
])
def test_diff_by_a_scalar_is_its_derivative(text: str, meant: str) -> None:
    assert read(text, SCOPE) == read(meant, SCOPE)


@pytest.mark.parametrize(("text", "named"), [
    ("diff(v.T @ v, v)", "declared scalar x only"),  # by a vector: a layout to choose
    ("diff(trace(A), A)", "declared scalar x only"),
    ("diff(x**4, x, 3)", "k = 1 or 2"),
    ("diff(x**4, x, a)", "k = 1 or 2"),
    ("diff(x**4)", "declared scalar x only"),
    ("diff(x**4, 2)", "declared scalar x only"),
])
def test_diff_by_anything_else_is_refused_with_what_to_write(text: str, named: str) -> None:
    message = refusal(text, SCOPE)
    assert named in message


@pytest.mark.parametrize(("lhs", "rhs", "status"), [
    ("diff(x**x, x)", "x**x * (log(x) + 1)", "proved"),
    ("diff(x**x, x)", "x * x**(x - 1)", "refuted"),  # the power rule misapplied
    ("diff(log(1 - sigmoid(x)), x)", "sigmoid(x)", "refuted"),  # the sign lost
    ("diff(sin(x), x, 2)", "-sin(x)", "proved"),
])
def test_diff_claims_are_decided(lhs: str, rhs: str, status: str) -> None:
    assume = ["x positive"] if "x**x" in lhs else []
    verdict = verify(lhs, rhs, symbols={"x": "scalar"}, assume=assume, timeout=10).verdict
    assert verdict.status == status
