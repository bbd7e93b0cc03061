"""``derive`` on a fourth set of held-out questions: each test is a question that had no
answer (a clear error where one exists), was proved at fixed sizes only where the
differential proves it in general dimension, or took most of derive's time; every result is
compared with central finite differences of an independent NumPy function."""

from __future__ import annotations

import numpy as np
import pytest

from verifier.derive import derive, prove

# ----- an independent NumPy reading of a derived formula, and finite differences -----


def _softmax(z, axis=None):
    axis = (0 if z.shape[1] == 1 else 1) if axis is None else axis
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _logsumexp(z, axis=None):
    if axis is None:
        m = z.max()
        return m + np.log(np.exp(z - m).sum())
    m = z.max(axis=axis, keepdims=True)
    return m + np.log(np.exp(z - m).sum(axis=axis, keepdims=True))


def _diag(v):
    return np.diag(v.ravel()) if v.shape[1] == 1 else np.diag(v).reshape(-1, 1)


SCOPE = {"diag": _diag, "exp": np.exp, "log": np.log, "tanh": np.tanh, "eye": np.eye,
         "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "softmax": _softmax,
         "log_softmax": lambda z, axis=None: np.log(_softmax(z, axis)),
         "logsumexp": _logsumexp, "inv": np.linalg.inv, "det": np.linalg.det,
         "trace": np.trace, "sum": lambda z, axis=None: z.sum() if axis is None
         else z.sum(axis=axis, keepdims=True), "sqrt": np.sqrt,
         "norm": lambda z: np.sqrt((z * z).sum()),
         "ones": lambda r, c=1: np.ones((r, c)), "zeros": lambda r, c=1: np.zeros((r, c))}


def value(text: str, env: dict) -> np.ndarray:
    return np.atleast_2d(np.asarray(eval(text, {**SCOPE, **env}), dtype=float))  # noqa: S307


def jacobian_fd(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """∂f/∂x (numerator layout: rows f's entries) by central differences."""
    cols = [((f(x + h * e) - f(x - h * e)) / (2 * h)).ravel() for e in np.eye(x.size)[:, :, None]]
    return np.array(cols).T


def hessian_fd(f, x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    n = x.size
    out = np.zeros((n, n))
    basis = np.eye(n)[:, :, None]
    for i in range(n):
        for j in range(n):
            ei, ej = h * basis[i], h * basis[j]
            out[i, j] = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) \
                / (4 * h * h)
    return out


# ----- Jacobians through Hadamard products of factors that depend on x -----

HAD = "x: vector(n), a: vector(m), b: vector(m), c: vector(m), C: matrix(n, m), D: matrix(n, m)"
HADAMARD_JACOBIANS = [
    # y = (F(x) ∘ G(x)) c with F, G matrices of x: derive said "a 3-D array"
    ("((x @ a.T) * tanh(x @ b.T)) @ c",
     lambda x, a, b, c, C, D: ((x @ a.T) * np.tanh(x @ b.T)) @ c),
    ("((x @ a.T) * (x @ b.T)) @ c", lambda x, a, b, c, C, D: ((x @ a.T) * (x @ b.T)) @ c),
    ("(softmax(x @ a.T) * tanh(x @ b.T)) @ c",
     lambda x, a, b, c, C, D: (_softmax(x @ a.T) * np.tanh(x @ b.T)) @ c),
    ("(exp(diag(x) @ C) * (diag(x) @ D)) @ c",
     lambda x, a, b, c, C, D: (np.exp(x * C) * (x * D)) @ c),
    ("sum((x @ a.T) * tanh(x @ b.T), axis=1)",
     lambda x, a, b, c, C, D: ((x @ a.T) * np.tanh(x @ b.T)).sum(axis=1, keepdims=True)),
    ("(C * (x @ a.T)) @ c", lambda x, a, b, c, C, D: (C * (x @ a.T)) @ c),
    ("(softmax(x @ a.T, axis=0) * (x @ b.T)) @ c",
     lambda x, a, b, c, C, D: (_softmax(x @ a.T, 0) * (x @ b.T)) @ c),
    ("(log_softmax(x @ a.T) * C) @ c",
     lambda x, a, b, c, C, D: (np.log(_softmax(x @ a.T)) * C) @ c),
]


@pytest.mark.parametrize(("expr", "f"), HADAMARD_JACOBIANS)
def test_jacobian_through_a_hadamard_product_of_two_factors_of_x(expr, f):
    d = derive(expr, "x", HAD, kind="jacobian", layout="numerator")
    assert d.form == "closed"
    assert prove(d, timeout=60).verdict.status == "proved"
    rng = np.random.default_rng(3)
    n, m = 3, 4
    env = {"x": rng.standard_normal((n, 1)), "a": rng.standard_normal((m, 1)),
           "b": rng.standard_normal((m, 1)), "c": rng.standard_normal((m, 1)),
           "C": rng.standard_normal((n, m)), "D": rng.standard_normal((n, m)), "n": n, "m": m}
    args = [env[k] for k in ("a", "b", "c", "C", "D")]
    numeric = jacobian_fd(lambda x: f(x, *args), env["x"])
    assert np.allclose(value(d.text, env), numeric, atol=1e-6), d.text


def test_hadamard_product_with_an_outer_product_reads_as_a_diagonal_sandwich():
    # (x aᵀ ∘ x bᵀ) c: M ∘ u vᵀ = diag(u) M diag(v), so the row sums read as products
    d = derive("((x @ a.T) * (x @ b.T)) @ c", "x", HAD, kind="jacobian", layout="numerator")
    assert "ones" not in d.text, d.text


# ----- Hessians proved in general dimension (were proved at fixed sizes only) -----

HESSIANS = [
    ("sum(softmax(x) * c)", "x: vector(n), c: vector(n)",
     lambda x, e: (_softmax(x) * e["c"]).sum()),
    ("sum(logsumexp(x @ a.T, axis=1))", "x: vector(n), a: vector(m)",
     lambda x, e: _logsumexp(x @ e["a"].T, 1).sum()),
    ("logsumexp(x @ a.T, axis=1).T @ b", "x: vector(n), a: vector(m), b: vector(n)",
     lambda x, e: (_logsumexp(x @ e["a"].T, 1).T @ e["b"]).item()),
    ("log(det(X.T @ diag(exp(x)) @ X))", "x: vector(n), X: matrix(n, m)",
     lambda x, e: np.log(np.linalg.det(e["X"].T @ (np.exp(x) * e["X"])))),
]


@pytest.mark.parametrize(("expr", "symbols", "f"), HESSIANS)
def test_hessian_is_proved_in_general_dimension(expr, symbols, f):
    d = derive(expr, "x", symbols, kind="hessian")
    verdict = prove(d, timeout=60).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")
    rng = np.random.default_rng(5)
    n, m = 4, 3
    env = {"x": rng.standard_normal((n, 1)), "a": rng.standard_normal((m, 1)),
           "b": rng.standard_normal((n, 1)), "c": rng.standard_normal((n, 1)),
           "X": rng.standard_normal((n, m)), "n": n, "m": m}
    numeric = hessian_fd(lambda x: f(x, env), env["x"])
    assert np.allclose(value(d.text, env), numeric, atol=1e-5), d.text


def test_hessian_of_softmax_weighted_sum_reads_without_an_all_ones_factor():
    # uᵀdiag(d) = (u ∘ d)ᵀ: diag(s)𝟏(…) was left in the form
    d = derive("sum(softmax(x) * c)", "x", "x: vector(n), c: vector(n)", kind="hessian")
    assert "ones" not in d.text, d.text


# ----- speed: the element-wise re-check of a second differential -----


def test_log_det_hessian_by_a_vector_is_proved_quickly():
    # ∇² log det(Xᵀ diag(eˣ) X): the re-check at n = 3 tested each entry with SymPy's
    # together and expand (35 s an entry); derive's 60 s gave 'proved at fixed sizes only'
    # after 52 s
    import time

    d = derive("log(det(X.T @ diag(exp(x)) @ X))", "x", "x: vector(n), X: matrix(n, d)",
               kind="hessian")
    start = time.perf_counter()
    verdict = prove(d, timeout=60).verdict
    assert verdict.status == "proved"
    assert time.perf_counter() - start < 20


def test_fraction_zero_test_is_sound():
    import sympy as sp

    from verifier.derive.differential import _fraction_zero

    a, b, c = sp.symbols("a b c")
    m = sp.Matrix([[a, b], [c, a + b]])
    inv = m.inv()
    assert _fraction_zero(sp.expand((m * inv)[0, 0] - 1)) is True
    assert _fraction_zero(inv[0, 1] * m.det() + b) is True
    assert _fraction_zero(inv[0, 0] - 1 / a) is False  # rational and nonzero
    # exp(a)·exp(b) is exp(a + b) in SymPy: both read as E_a E_b
    assert _fraction_zero(sp.exp(a + 2 * b) / (1 + sp.exp(a)) - sp.exp(a) * sp.exp(b) ** 2
                          / (1 + sp.exp(a))) is True
    # an identity hidden in a function is not decided here (the slower test decides)
    assert _fraction_zero(sp.tanh(a) - (sp.exp(2 * a) - 1) / (sp.exp(2 * a) + 1)) is None
    assert _fraction_zero(sp.sin(a) ** 2 + sp.cos(a) ** 2 - 1) is None
