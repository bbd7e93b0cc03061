"""Round 14: a formula pasted from LaTeX is read where every command in it has one meaning in
the language (\\frac, \\sqrt, ^\\top, \\|·\\|, \\left( \\right), \\cdot, \\odot, \\otimes, \\log
and the other function names, \\operatorname{tr}, \\mathbf{x}, \\le, Greek letters spelled out);
the rest goes on through the same notation reader and parser as typeset text (√ of a square
matrix refused, · of two vectors an inner product).  Before, every LaTeX command was refused.
A command without one meaning (\\sum, \\mathbb{E}, \\nabla, \\sigma(…)) keeps the refusal, and a
reading that does not parse is refused with the LaTeX message and what it was read as."""

from __future__ import annotations

from functools import partial

import pytest
from readings import read, refusal

from verifier import verify
from verifier.claim import parse_symbols
from verifier.language import scope_of

SCOPE = scope_of(parse_symbols(
    "x: vector(n), y: vector(n), A: matrix(n, n), B: matrix(m, m), s: scalar, t: scalar, "
    "lam: scalar, alpha: scalar"))

_read = partial(read, scope=SCOPE)
_refusal = partial(refusal, scope=SCOPE)


@pytest.mark.parametrize(("written", "plain"), [
    (r"\frac{1}{2} * s", "1 / 2 * s"), (r"\frac{\exp(s)}{1 + \exp(s)}", "exp(s) / (1 + exp(s))"),
    (r"\dfrac{s}{t}", "s / t"), (r"\sqrt{s}", "sqrt(s)"), (r"\sqrt{\frac{s}{2}}", "sqrt(s / 2)"),
    (r"x^{\top} @ A @ x", "x.T @ A @ x"), (r"x^\top @ y", "x.T @ y"),
    (r"\left( s + t \right) * 2", "(s + t) * 2"), (r"x \cdot y", "x.T @ y"),
    (r"s \cdot t", "s * t"), (r"x \odot y", "x * y"), (r"A \otimes B", "kron(A, B)"),
    (r"\log(s) + \exp(t)", "log(s) + exp(t)"), (r"\operatorname{tr}(A @ A)", "trace(A @ A)"),
    (r"\mathrm{tr}(A)", "trace(A)"), (r"\mathbf{x}^\top @ \mathbf{y}", "x.T @ y"),
    (r"\|x - y\|_2^2", "norm(x - y) ** 2"), (r"s \le t", "s <= t"), (r"s \geq t", "s >= t"),
    (r"\lambda * s", "lam * s"), (r"\alpha \cdot s", "alpha * s"),
    (r"s * t  # the \sum of the paper", "s * t"),
])
def test_latex_with_one_meaning_is_read(written: str, plain: str) -> None:
    assert _read(written) == _read(plain)


@pytest.mark.parametrize(("written", "says"), [
    (r"\sum_i x_i", "i is not declared index(n)"),  # with i declared: read (round 15)
    (r"\mathbb{E}[x]", r"an expectation \mathbb{E} is not in the language"),
    (r"\sigma'(s)", "write sigmoid(x) for the logistic"),  # \sigma(s): sigmoid(s), round 17
    (r"\nabla f", r"LaTeX is not read (\nabla)"),
    (r"\frac{s}{t", r"LaTeX is not read (\frac)"),
    (r"\sqrt{A}", "of a square matrix is its matrix square root"),  # read, then refused
    (r"\mathbf{x} \mathbf{x}", "a n×1 beside a n×1 is no matrix product"),  # x^\top A x is
    # read since round 15 (juxtaposition)
])
def test_latex_without_one_meaning_is_refused(written: str, says: str) -> None:
    assert says in _refusal(written)


def test_a_latex_claim_is_decided() -> None:
    sym = "x: vector(n), A: matrix(n, n)"
    result = verify(r"grad(\frac{1}{2} * x^\top @ A @ x, x)", r"\frac{1}{2} * (A + A^\top) @ x",
                    symbols=sym)
    assert result.verdict.status == "proved"
