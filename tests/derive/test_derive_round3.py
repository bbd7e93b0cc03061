"""``derive`` on a fourth set of held-out questions: each test is a question that had no
answer (a clear error where one exists), was proved at fixed sizes only where the
differential proves it in general dimension, or took most of derive's time; every result is
compared with central finite differences of an independent NumPy function."""

from __future__ import annotations

import numpy as np
import pytest
from finite_differences import hessian_fd, jacobian_fd

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


SCOPE = {"softplus": lambda z: np.logaddexp(0, z), "cosh": np.cosh, "sinh": np.sinh,
         "diag": _diag, "exp": np.exp, "log": np.log, "tanh": np.tanh, "eye": np.eye,
         "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "softmax": _softmax,
         "log_softmax": lambda z, axis=None: np.log(_softmax(z, axis)),
         "logsumexp": _logsumexp, "inv": np.linalg.inv, "det": np.linalg.det,
         "trace": np.trace, "sum": lambda z, axis=None: z.sum() if axis is None
         else z.sum(axis=axis, keepdims=True), "sqrt": np.sqrt,
         "norm": lambda z: np.sqrt((z * z).sum()),
         "ones": lambda r, c=1: np.ones((r, c)), "zeros": lambda r, c=1: np.zeros((r, c))}


def value(text: str, env: dict) -> np.ndarray:
    return np.atleast_2d(np.asarray(eval(text, {**SCOPE, **env}), dtype=float))  # noqa: S307


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
    # after 52 s (its time: benchmarks/derive_speed.py)
    d = derive("log(det(X.T @ diag(exp(x)) @ X))", "x", "x: vector(n), X: matrix(n, d)",
               kind="hessian")
    verdict = prove(d, timeout=60).verdict
    assert verdict.status == "proved"


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


# ----- by a scalar: a 1×1 result, and third derivatives -----


def test_gradient_by_a_scalar_that_reads_as_a_1x1_product_is_proved_in_general():
    # ∂(xᵀ(A + tB)x)/∂t = xᵀBx, a 1×1 product: prove_differential stood down on its shape
    # (1×1 against a scalar) and the engine proved it at fixed sizes only
    d = derive("x.T @ (A + t * B) @ x", "t", "A: matrix(n, n), B: matrix(n, n), x: vector(n), "
               "t: scalar")
    assert d.text == "x.T @ B @ x"
    verdict = prove(d, timeout=60).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")


@pytest.mark.parametrize(("expr", "symbols", "third"), [
    # d³/dt³ log det(A + tI) = 2 tr(M³), d³/dt³ xᵀMx = −6 xᵀM⁴x, M = (A + tI)⁻¹: the
    # directional re-check cannot move t inside hessian(…, t), so derive said 'checked
    # numerically only' after 49 s and 54 s; the claim is now re-checked exactly at n = 3
    ("hessian(log(det(A + t * eye(n))), t)", "A: matrix(n, n), t: scalar",
     lambda t, A, x: 2 * np.trace(np.linalg.matrix_power(np.linalg.inv(A + t * np.eye(3)), 3))),
    ("hessian(x.T @ inv(A + t * eye(n)) @ x, t)", "A: matrix(n, n), x: vector(n), t: scalar",
     lambda t, A, x: (-6 * x.T @ np.linalg.matrix_power(np.linalg.inv(A + t * np.eye(3)), 4)
                      @ x).item()),
])
def test_third_derivative_by_a_scalar_is_proved_quickly(expr, symbols, third):
    d = derive(expr, "t", symbols, assume=["A positive definite"])
    verdict = prove(d, timeout=60).verdict  # its time: benchmarks/derive_speed.py
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")
    rng = np.random.default_rng(2)
    b = rng.standard_normal((3, 3))
    env = {"A": b @ b.T + np.eye(3), "x": rng.standard_normal((3, 1)), "t": 0.7, "n": 3}
    assert np.allclose(value(d.text, env), third(env["t"], env["A"], env["x"]), rtol=1e-8)


# ----- a fast subset of the held-out set (families the last round did not cover) -----

SCOPE.update({
    "mean": lambda z, axis=None: z.mean() if axis is None else z.mean(axis=axis, keepdims=True),
    "var": lambda z: ((z - z.mean()) ** 2).mean(),
    "abs": np.abs,
})

REGRESSION = [
    # (f, by, symbols, kind, layout, assumptions): f is read by the same NumPy scope
    ("trace(A @ inv(X) @ B)", "X", "X: matrix(n, n), A: matrix(n, n), B: matrix(n, n)",
     "gradient", "denominator", ()),
    ("log(det(X @ X.T))", "X", "X: matrix(n, n)", "gradient", "numerator", ()),
    ("trace(X @ A @ X @ B)", "X", "X: matrix(n, n), A: matrix(n, n), B: matrix(n, n)",
     "gradient", "numerator", ()),
    ("norm(X.T @ X - A) ** 2", "X", "X: matrix(n, n), A: matrix(n, n)", "gradient",
     "denominator", ()),
    ("det(X) * trace(X)", "X", "X: matrix(n, n)", "gradient", "denominator", ()),
    ("u.T @ inv(X @ X.T) @ u", "X", "X: matrix(n, d), u: vector(n)", "gradient",
     "denominator", ()),
    ("sum(G * log_softmax(Z, axis=0))", "Z", "Z: matrix(n, m), G: matrix(n, m)", "gradient",
     "denominator", ()),
    ("sum(logsumexp(X @ W, axis=0))", "W", "X: matrix(n, d), W: matrix(d, m)", "gradient",
     "denominator", ()),
    ("-sum(softmax(Z, axis=1) * log_softmax(Z, axis=1))", "Z", "Z: matrix(n, m)", "gradient",
     "denominator", ()),
    ("logsumexp(x / t) * t", "x", "x: vector(n), t: scalar", "gradient", "denominator",
     ("t positive",)),
    ("sum(c * (g * (x - mean(x)) / sqrt(var(x) + eps) + b))", "x",
     "x: vector(n), g: vector(n), b: vector(n), c: vector(n), eps: scalar", "gradient",
     "denominator", ("eps positive",)),
    ("sum(G * (X - ones(N) @ mean(X, axis=0)))", "X", "X: matrix(N, d), G: matrix(N, d)",
     "gradient", "denominator", ()),
    ("sum(c * 0.5 * x * (1 + tanh(0.7978845608 * (x + 0.044715 * x ** 3))))", "x",
     "x: vector(n), c: vector(n)", "gradient", "denominator", ()),
    ("sum(c * x * tanh(log(1 + exp(x))))", "x", "x: vector(n), c: vector(n)", "gradient",
     "denominator", ()),
    ("v.T @ log(1 + exp(W @ x))", "W", "x: vector(n), W: matrix(m, n), v: vector(m)",
     "gradient", "denominator", ()),
    ("sum(x * sigmoid(x))", "x", "x: vector(n)", "hessian", "denominator", ()),
    ("tanh(W @ x) * sigmoid(W @ x)", "x", "x: vector(n), W: matrix(m, n)", "jacobian",
     "numerator", ()),
    ("sum(log(exp(X @ w - y) + exp(y - X @ w)))", "w", "X: matrix(N, d), w: vector(d), "
     "y: vector(N)", "gradient", "denominator", ()),
    ("log(det(A + t * B))", "t", "A: matrix(n, n), B: matrix(n, n), t: scalar", "hessian",
     "denominator", ("A positive definite", "B positive definite", "t positive")),
    ("sum(softmax(t * x) * b)", "t", "x: vector(n), b: vector(n), t: scalar", "gradient",
     "denominator", ()),
    ("norm(X.T @ u - v) ** 2", "X", "X: matrix(n, m), u: vector(n), v: vector(m)",
     "gradient", "numerator", ()),
    ("x / norm(x)", "x", "x: vector(n)", "jacobian", "denominator", ()),
    ("sum((X @ w - mean(X @ w)) ** 2)", "w", "X: matrix(n, m), w: vector(m)", "gradient",
     "denominator", ()),
    ("log(det(S)) + x.T @ inv(S) @ x", "S", "S: matrix(n, n), x: vector(n)", "gradient",
     "denominator", ("S positive definite",)),
    ("x.T @ S @ x / (x.T @ x)", "x", "S: matrix(n, n), x: vector(n)", "gradient",
     "denominator", ("S symmetric",)),
]


def _draw(symbols: str, assume, rng, sizes) -> dict:
    import re

    env = dict(sizes)
    for name, _, inside in re.findall(r"(\w+): (\w+)(?:\(([^)]*)\))?", symbols):
        dims = inside.split(", ") if inside else []
        shape = (sizes[dims[0]], sizes[dims[1]] if len(dims) > 1 else 1) if dims else ()
        v = rng.standard_normal(shape) if shape else float(rng.standard_normal())
        if shape and shape[0] == shape[1] and shape[0] > 1:
            v = v * 0.5 + 1.5 * np.eye(shape[0])  # square: well conditioned, det > 0
        if f"{name} positive definite" in assume or f"{name} symmetric" in assume:
            v = v @ v.T + np.eye(shape[0])
        elif f"{name} positive" in assume:
            v = np.abs(v) + 0.5
        env[name] = v
    return env


@pytest.mark.parametrize(("f", "by", "symbols", "kind", "layout", "assume"), REGRESSION)
def test_held_out_question(f, by, symbols, kind, layout, assume):
    d = derive(f, by, symbols, kind=kind, layout=layout, assume=list(assume))
    assert prove(d, timeout=60).verdict.status == "proved", d.text
    rng = np.random.default_rng(17)
    for sizes in ({"n": 3, "m": 2, "d": 4, "N": 5}, {"n": 2, "m": 4, "d": 3, "N": 3}):
        env = _draw(symbols, assume, rng, sizes)
        x0 = np.atleast_2d(env[by])

        def at(x, env=env):
            return value(f, {**env, by: x if np.ndim(env[by]) else x.item()})

        if kind == "gradient":  # entry by entry, central differences
            want = np.zeros(x0.shape)
            for idx in np.ndindex(*x0.shape):
                step = np.zeros(x0.shape)
                step[idx] = 1e-6
                want[idx] = (at(x0 + step) - at(x0 - step)).item() / 2e-6
            want = want.T if layout == "numerator" else want
        elif kind == "jacobian":
            want = jacobian_fd(lambda x: at(x), x0)
            want = want.T if layout == "denominator" else want
        else:
            want = hessian_fd(lambda x: at(x).item(), x0)
        assert np.allclose(value(d.text, env), want, atol=1e-5, rtol=1e-5), (d.text, sizes)


@pytest.mark.parametrize(("f", "by", "symbols", "kind", "match"), [
    ("x.T @ y", "x", "x: vector(n), y: vector(m)", "gradient", "shapes do not fit"),
    ("sum(z)", "x", "x: vector(n)", "gradient", 'unknown name "z"'),
    ("x.T @ A @ x", "A @ x", "x: vector(n), A: matrix(n, n)", "gradient",
     "one declared symbol, not by an expression"),
    ("trace(A @ X)", "X.T", "X: matrix(n, n), A: matrix(n, n)", "gradient",
     "--wrt X --layout numerator"),
    ("sum(x)", "y", "x: vector(n)", "gradient", r"not a declared symbol \(declared: x\)"),
    ("sum(X)", "X", "X: matrix(n, m)", "hessian", "column vector"),
    ("x.T @ A @ x", "A", "x: vector(n), A: matrix(n, n)", "jacobian", "column vector"),
    ("trace(X)", "X", "X: matrix(n, m)", "gradient", "square"),
])
def test_malformed_question_gets_a_clear_error(f, by, symbols, kind, match):
    from verifier.derive import DeriveError

    with pytest.raises(DeriveError, match=match):
        derive(f, by, symbols, kind=kind)
