"""norm(x, p) as np.linalg.norm reads it, and ⟨x, y⟩ as the inner product: both were refused
(probes of outsiders' claims: 'norm(x, 1) >= norm(x, 2)', '‖x‖² = ⟨x, x⟩')."""

from __future__ import annotations

from functools import partial

import pytest
from readings import read, refusal

from verifier.claimfile import declare_symbols
from verifier.language import scope_of

SCOPE = scope_of(declare_symbols("x: vector(n), y: vector(n), A: matrix(n, n), "
                                 "B: matrix(n, n), s: scalar"))
_read = partial(read, scope=SCOPE)
_refusal = partial(refusal, scope=SCOPE)


@pytest.mark.parametrize(("text", "reading"), [
    ("norm(x, 1)", "sum(abs(x))"),
    ("norm(x, 2)", "norm(x)"),
    ("norm(x, inf)", "max(abs(x))"),
    ("norm(x, ord=1)", "sum(abs(x))"),
    ("norm(x, p=2)", "norm(x)"),
    ("norm(A, 'fro')", "norm(A)"),
    ("norm(x, 1) >= norm(x, 2)", "sum(abs(x)) >= norm(x)"),
    ("⟨x, y⟩", "x.T @ y"),
    ("⟨x, A @ y⟩ + 1", "x.T @ (A @ y) + 1"),
    ("‖x‖² - ⟨x, x⟩", "norm(x) ** 2 - x.T @ x"),
])
def test_read(text: str, reading: str) -> None:
    assert _read(text) == reading


@pytest.mark.parametrize(("text", "says"), [
    ("norm(A, 2)", "induced norm"),  # spectral: not in the language
    ("norm(A, 1)", "induced norm"),
    ("norm(x, 3)", "the order 3 is not read"),
    ("norm(x, axis=0)", "along an axis"),
    ("⟨A, B⟩", "sum(A * B)"),  # dot of matrices: NumPy's product or Frobenius's
    ("⟨x, y", "invalid character"),
])
def test_refused_with_what_to_write(text: str, says: str) -> None:
    assert says in _refusal(text)
