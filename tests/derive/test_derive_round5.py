"""``derive`` on a sixth set of held-out questions (Matrix Cookbook chapter 2 one by one,
a matrix by a scalar, a vector inside diag(), grad inside f, structured symbols, errors):
each test is a question that was wrong, missing, slow or ugly; results are compared with
central finite differences of independent NumPy functions."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import numpy as np
import pytest

from verifier.derive import DeriveError, derivative_claim, derive, prove
from verifier.derive.emit import numpy_module


def _softmax(z, axis=None):
    axis = 1 if axis is None else axis
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _diag(v):
    return np.diag(v.ravel()) if v.shape[1] == 1 else np.diag(v).reshape(-1, 1)


SCOPE = {"softplus": lambda z: np.logaddexp(0, z), "cosh": np.cosh, "sinh": np.sinh,
         "diag": _diag, "exp": np.exp, "log": np.log, "tanh": np.tanh, "eye": np.eye,
         "softmax": _softmax, "inv": np.linalg.inv, "det": np.linalg.det, "trace": np.trace,
         "sqrt": np.sqrt, "abs": np.abs, "sum": np.sum,
         "ones": lambda r, c=1: np.ones((r, c))}


def value(text: str, env: dict) -> np.ndarray:
    """A derived formula (or f) read by NumPy, independently of derive."""
    return np.atleast_2d(np.asarray(eval(text, {**SCOPE, **env}), dtype=float))  # noqa: S307


def _fd_scalar(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """∂f/∂x of a scalar f, x's shape, by central differences."""
    g = np.zeros_like(x)
    for k in range(x.size):
        e = np.zeros_like(x)
        e.flat[k] = h
        g.flat[k] = (f(x + e) - f(x - e)) / (2 * h)
    return g


# ----- log |det X|: 1/u, not sign(u)/|u| -----


def test_log_abs_det_is_the_inverse_transpose_proved_in_general_dimension():
    # derive printed det(X) * ((det(X) > 0) - (det(X) < 0)) * inv(X).T / abs(det(X)),
    # checked numerically only (27 s): the re-check at n = 2 did not see sign(u) u = |u|
    d = derive("log(abs(det(X)))", "X", "X: matrix(n, n)")
    assert d.text == "inv(X).T"
    verdict = prove(d, timeout=20).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")


def test_a_wrong_log_abs_gradient_is_not_proved():
    # |u| = u sign(u) in the exact zero test must not make 1/|u| equal 1/u
    from dataclasses import replace

    d = derive("log(abs(det(X)))", "X", "X: matrix(n, n)")
    wrong = replace(d, text="inv(X).T * det(X) / abs(det(X)) * det(X) / abs(det(X)) "
                            "* det(X) / abs(det(X))")
    assert prove(wrong, timeout=20).verdict.status != "proved"


# ----- a matrix by a scalar: dF/dt, F's shape -----

BY_T = "A: matrix(n, n), B: matrix(n, n), X: matrix(n, m), t: scalar"


def _by_t_env(rng, n=3, m=2):
    return {"A": rng.standard_normal((n, n)) / 3 + np.eye(n),
            "B": rng.standard_normal((n, n)) / 3, "X": rng.standard_normal((n, m)),
            "t": 0.4, "n": n, "m": m}


@pytest.mark.parametrize("expr", [
    "inv(A + t * B)",
    "(A + t * B) @ (A + t * B)",
    "tanh(t * X) * X",
    "softmax(t * X)",
    "det(A + t * B) * inv(A + t * B)",
])
def test_a_matrix_by_a_scalar_is_its_entrywise_derivative(expr):
    # derive said 'the gradient needs a scalar-valued EXPR; ... is n×n'
    d = derive(expr, "t", BY_T)
    assert d.kind == "derivative" and d.form == "closed"
    env = _by_t_env(np.random.default_rng(3))
    h = 1e-6
    numeric = (value(expr, {**env, "t": env["t"] + h})
               - value(expr, {**env, "t": env["t"] - h})) / (2 * h)
    got = value(d.text, env)
    assert got.shape == numeric.shape and np.allclose(got, numeric, atol=1e-6), d.text


def test_a_matrix_by_a_scalar_is_proved_through_a_fresh_matrix():
    # the claim is grad(sum(C * F), t) = sum(C * dF/dt) for a fresh C (C and C1 are taken)
    d = derive("inv(A + t * B)", "t", BY_T + ", C: matrix(n, n), C1: matrix(n, n)")
    claim = derivative_claim(d)
    assert d.probe == "C2: matrix(n, n)"
    assert d.claim_text.startswith("grad(sum(C2 * (inv(A + t * B))), t) = sum(C2 * (")
    assert claim.kind == "gradient"
    verdict = prove(d, timeout=20).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")


def test_a_wrong_matrix_derivative_by_a_scalar_is_not_proved():
    from dataclasses import replace

    d = derive("inv(A + t * B)", "t", BY_T)
    wrong = replace(d, text="-inv(A + t * B) @ inv(A + t * B) @ B")
    assert prove(wrong, timeout=20).verdict.status not in ("proved", "proved-at-sizes")


def test_a_matrix_by_a_scalar_is_emitted_as_numpy(tmp_path):
    d = derive("inv(A + t * B)", "t", BY_T)
    path = tmp_path / "by_t.py"
    path.write_text(numpy_module(d, "test"))
    spec = importlib.util.spec_from_file_location("by_t", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    env = _by_t_env(np.random.default_rng(5))
    args = {k: env[k] for k in ("A", "B", "X", "t")}
    h = 1e-6
    numeric = (mod.f(**{**args, "t": 0.4 + h}) - mod.f(**{**args, "t": 0.4 - h})) / (2 * h)
    assert np.allclose(mod.d_f(**args), numeric, atol=1e-6)
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          str(path)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-500:]


def test_a_matrix_of_kronecker_size_by_a_scalar_says_what_to_write():
    with pytest.raises(DeriveError, match=r"EXPR\[i, j\]"):
        derive("kron(A, t * B)", "t", BY_T)


def test_a_scalar_frobenius_product_by_a_scalar_is_proved_in_general_dimension():
    # tr(((1 − t²) ∘ t)ᵀX) and tr(tᵀX) − tr((t³)ᵀX) were unrelated atoms: the differential
    # did not cancel, and the claim was proved at fixed sizes only
    d = derive("norm(tanh(t * X)) ** 2", "t", BY_T)
    verdict = prove(d, timeout=20).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")
    env = _by_t_env(np.random.default_rng(8))
    numeric = _fd_scalar(lambda t: float(np.sum(np.tanh(t * env["X"]) ** 2)),
                         np.array(env["t"]))
    assert np.allclose(value(d.text, env), numeric, atol=1e-6)


# ----- a vector inside diag(): the diagonal as a column, not diag(matrix) -----

DG = "d: vector(n), A: matrix(n, n), x: vector(n), y: vector(n), X: matrix(m, n), s: vector(m)"


@pytest.mark.parametrize(("expr", "wrt", "want", "f"), [
    ("trace(A @ diag(d))", "d", "diag(A)", lambda d, e: np.trace(e["A"] @ np.diag(d.ravel()))),
    ("x.T @ diag(d) @ x", "d", "x ** 2",
     lambda d, e: (e["x"].T @ np.diag(d.ravel()) @ e["x"]).item()),
    ("x.T @ inv(diag(d)) @ x", "d", "-(x ** 2 / d ** 2)",
     lambda d, e: (e["x"].T @ np.diag(1 / d.ravel()) @ e["x"]).item()),
    ("norm(A @ diag(d) @ x - y) ** 2", "d", "2 * ((A.T @ (A @ (d * x) - y)) * x)",
     lambda d, e: np.sum((e["A"] @ (d * e["x"]) - e["y"]) ** 2)),
    ("norm(diag(s) @ X @ x) ** 2", "s", "2 * ((X @ x) ** 2 * s)",
     lambda s, e: np.sum((s * (e["X"] @ e["x"])) ** 2)),
    ("trace(diag(d) @ diag(d))", "d", "2 * d", lambda d, e: np.sum(d ** 2)),
])
def test_a_vector_inside_diag_gives_a_column_form(expr, wrt, want, f):
    # derive printed diag(A.T), diag(x @ x.T), diag(-inv(diag(d)) @ x @ x.T @ inv(diag(d))),
    # 2 * diag(A.T @ (A @ (d * x) - y) @ x.T), 2 * diag(diag(d)) ...
    d = derive(expr, wrt, DG, assume=["d positive"])
    assert d.text == want
    rng = np.random.default_rng(2)
    env = {"d": rng.uniform(0.5, 2, (3, 1)), "A": rng.standard_normal((3, 3)),
           "x": rng.standard_normal((3, 1)), "y": rng.standard_normal((3, 1)),
           "X": rng.standard_normal((4, 3)), "s": rng.standard_normal((4, 1)), "n": 3, "m": 4}
    numeric = _fd_scalar(lambda v: f(v, env), env[wrt])
    assert np.allclose(value(d.text, env), numeric, atol=1e-6)


# ----- textbook forms: σ for a softplus's derivative, decimals as written -----

SP = "x: vector(n), u: vector(n), W: matrix(m, n)"


def _sp_env(rng, n=3, m=2):
    return {"x": rng.standard_normal((n, 1)), "u": rng.standard_normal((n, 1)),
            "W": rng.standard_normal((m, n)), "n": n, "m": m,
            "sigmoid": lambda z: 1 / (1 + np.exp(-z))}


@pytest.mark.parametrize(("expr", "kind", "want", "f"), [
    # mish: derive printed exp(x) * x * (1 - tanh(...) ** 2) / (exp(x) + 1) + ...
    ("sum(x * tanh(log(1 + exp(x))))", "gradient",
     "x * sigmoid(x) * (1 - tanh(softplus(x)) ** 2) + tanh(softplus(x))",
     lambda x, e: np.sum(x * np.tanh(np.log1p(np.exp(x))))),
    ("sum(log(exp(x) + 1))", "gradient", "sigmoid(x)", lambda x, e: np.sum(np.log1p(np.exp(x)))),
    # a grad inside f: derive printed exp(x) * u / (exp(x) + 1) ** 2
    ("grad(sum(log(1 + exp(x))), x).T @ u", "gradient", "u * sigmoid(x) * (1 - sigmoid(x))",
     lambda x, e: (e["sigmoid"](x).T @ e["u"]).item()),
    ("log(1 + exp(W @ x))", "jacobian", "diag(sigmoid(W @ x)) @ W",
     lambda x, e: np.log1p(np.exp(e["W"] @ x))),
])
def test_a_softplus_derivative_reads_as_a_sigmoid(expr, kind, want, f):
    d = derive(expr, "x", SP, kind=kind, layout="numerator" if kind == "jacobian" else
               "denominator")
    assert d.text == want
    env = _sp_env(np.random.default_rng(4))
    if kind == "jacobian":
        h, x = 1e-6, env["x"]
        numeric = np.hstack([(f(x + h * e, env) - f(x - h * e, env)) / (2 * h)
                             for e in np.eye(x.size)[:, :, None]])
    else:
        numeric = _fd_scalar(lambda x: f(x, env), env["x"])
    assert np.allclose(value(d.text, env), numeric, atol=1e-6)
    assert prove(d, timeout=20).verdict.status == "proved"


def test_decimal_constants_print_as_written():
    # derive printed 851 * x / 500 for 1.702 and 997355701/1250000000 for 0.7978845608
    d = derive("sum(x * sigmoid(1.702 * x))", "x", SP)
    assert "1.702 * x" in d.text and "851" not in d.text
    gelu = derive("sum(x * (1 + tanh(0.7978845608 * (x + 0.044715 * x ** 3))) / 2)", "x", SP)
    assert "0.7978845608" in gelu.text and "0.044715" in gelu.text
    assert "1250000000" not in gelu.text + gelu.latex
    env = _sp_env(np.random.default_rng(6))
    numeric = _fd_scalar(lambda x: np.sum(x * (1 + np.tanh(0.7978845608 * (
        x + 0.044715 * x ** 3))) / 2), env["x"])
    assert np.allclose(value(gelu.text, env), numeric, atol=1e-6)
    # small denominators stay fractions
    assert derive("sum(x ** 2) / 4", "x", SP).text == "x / 2"
    assert derive("sum(x ** 2) * 0.375", "x", SP).text == "3 * x / 4"


def test_the_jacobian_of_a_row_is_the_jacobian_of_its_entries():
    # grad(f, x) in numerator layout is a row: derive said 'the Jacobian needs a scalar or
    # column EXPR; grad(sum(exp(x)), x) is 1×n'
    d = derive("grad(logsumexp(x), x)", "x", SP, kind="jacobian", layout="numerator")
    assert d.text == "diag(softmax(x)) - softmax(x) @ softmax(x).T"
    assert d.claim_text.startswith("jacobian((grad(logsumexp(x), x)).T, x) = ")
    assert prove(d, timeout=20).verdict.status == "proved"


def test_the_entropy_hessian_is_proved_in_general_dimension_in_seconds():
    # the coefficient residual kept (s ∘ (ℓ + 1 − 2c))ᵀ beside (ℓ ∘ s)ᵀ and sᵀ, and a diag(0):
    # proved at fixed sizes only, after 20 s (its time: benchmarks/derive_speed.py)
    d = derive("-sum(softmax(z) * log_softmax(z))", "z", "z: vector(k)", kind="hessian")
    verdict = prove(d, timeout=30).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")
    z = np.random.default_rng(1).standard_normal((4, 1))

    def f(z):
        s = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
        return float(-(s * np.log(s)).sum())

    h = 1e-4
    basis = np.eye(4)[:, :, None] * h
    numeric = np.array([[(f(z + basis[i] + basis[j]) - f(z + basis[i] - basis[j])
                          - f(z - basis[i] + basis[j]) + f(z - basis[i] - basis[j])) / (4 * h * h)
                         for j in range(4)] for i in range(4)])
    env = {"z": z, "log_softmax": lambda v: np.log(_softmax(v, 0)),
           "softmax": lambda v: _softmax(v, 0)}
    assert np.allclose(value(d.text, env), numeric, atol=1e-5)


# ----- robustness: shared sub-trees print once; a row gradient from an index form -----


def test_a_deeply_nested_expression_prints_in_linear_time():
    # each level was printed about twice by the level above (2^depth): the gradient of
    # sum(tanh(A @ tanh(A @ ... + y) + y)) by y, six deep, spent 48 s of derive's 63 s in
    # cost()'s to_unicode, and derive timed out
    import time

    from verifier.derive.expr import Sym, add, fn, matmul
    from verifier.derive.printing import to_language, to_unicode
    from verifier.language.shapes import ONE, Shape, Size

    n = Size(1, ("n",))
    x = Sym(Shape(n, ONE), name="x", kind="vector")
    a = Sym(Shape(n, n), name="A", kind="matrix")
    e = x
    for _ in range(22):  # 0.14 s at depth 12 before, doubling with each level
        e = fn("tanh", add(matmul(a, e), x))
    start = time.perf_counter()
    printed = (to_unicode(e), to_language(e))
    assert time.perf_counter() - start < 1
    assert printed[1].count("tanh") == 22


def test_a_vector_gradient_from_an_index_form_is_a_row_in_numerator_layout():
    # derive gave the index form x[j] (numerator layout; the column x in denominator layout)
    d = derive("sum(x[i] * y[i], i)", "y", "x: vector(n), y: vector(n), i: index(n)",
               layout="numerator")
    assert (d.form, d.text) == ("closed", "x.T")
    assert prove(d, timeout=20).verdict.status == "proved"


# ----- forms: relu gates, powers of exp, constant terms, 0/1 powers -----

X1 = "x: vector(n), B: matrix(m, n), W: matrix(m, n), b: vector(m)"


def _x1_env(rng, n=3, m=4):
    return {"x": rng.standard_normal((n, 1)), "B": rng.standard_normal((m, n)),
            "W": rng.standard_normal((m, n)), "b": rng.standard_normal((m, 1)), "n": n, "m": m,
            "relu": lambda z: np.maximum(z, 0)}


@pytest.mark.parametrize(("expr", "wrt", "kind", "want", "f"), [
    # 2 * (relu(W @ x + b) * (W @ x + b > 0)): relu(z) ∘ 𝟙[z > 0] = relu(z)
    ("sum(relu(W @ x + b) ** 2)", "b", "gradient", "2 * relu(W @ x + b)",
     lambda v, e: np.sum(np.maximum(e["W"] @ e["x"] + v, 0) ** 2)),
    ("sum(relu(x) ** 3)", "x", "hessian", "6 * diag(relu(x))",
     lambda v, e: np.sum(np.maximum(v, 0) ** 3)),
    # 2 * B.T @ diag((B @ x > 0) ** 2) @ B: 𝟙[z > 0]² = 𝟙[z > 0]
    ("norm(relu(B @ x)) ** 2", "x", "hessian", "2 * B.T @ diag((B @ x > 0)) @ B",
     lambda v, e: np.sum(np.maximum(e["B"] @ v, 0) ** 2)),
    # (exp(x) / sqrt(exp(x))) / 2: (eᵃ)ᵏ = eᵏᵃ
    ("sum(sqrt(exp(x)) ** 2 / sqrt(exp(x)))", "x", "gradient", "exp(x / 2) / 2",
     lambda v, e: np.sum(np.exp(v / 2))),
    # (1039825266088960 * x + ...) / 72201776446800: a constant term is no symbol
    ("sum(x) / 3 + sum(x ** 2) * 0.1 + sum(x ** 3) / 3", "x", "gradient",
     "x / 5 + x ** 2 + ones(n) / 3",
     lambda v, e: np.sum(v) / 3 + np.sum(v ** 2) * 0.1 + np.sum(v ** 3) / 3),
])
def test_textbook_forms(expr, wrt, kind, want, f):
    d = derive(expr, wrt, X1, kind=kind)
    assert d.text == want
    env = _x1_env(np.random.default_rng(9))
    if kind == "hessian":
        h, x = 1e-4, env[wrt]
        basis = np.eye(x.size)[:, :, None] * h
        numeric = np.array([[(f(x + basis[i] + basis[j], env) - f(x + basis[i] - basis[j], env)
                              - f(x - basis[i] + basis[j], env)
                              + f(x - basis[i] - basis[j], env)) / (4 * h * h)
                             for j in range(x.size)] for i in range(x.size)])
        atol = 1e-4
    else:
        numeric, atol = _fd_scalar(lambda v: f(v, env), env[wrt]), 1e-6
    assert np.allclose(value(d.text, {**env, "ones": lambda r: np.ones((r, 1))}), numeric,
                       atol=atol)


def test_an_assumption_that_does_not_fit_its_symbol_is_refused_by_derive():
    # derivcheck derive printed 'error in the catalogue: assume in claim "derive": ...'
    with pytest.raises(DeriveError, match=r'--assume: assumption "x positive definite" needs a '
                                          r"square matrix"):
        derive("sum(x)", "x", "x: vector(n)", assume=["x positive definite"])


@pytest.mark.parametrize(("expr", "wrt", "kind", "says"), [
    # said '...; for a column use --jacobian', which is the first derivative
    ("B @ x", "x", "hessian", r"a 3-D array .* no claim states: ask for one entry, EXPR\[i\]"),
    ("hessian(sum(x ** 3), x)", "x", "hessian", r"a third derivative.*EXPR\[i, j\]"),
    ("inv(A + t * A.T)", "t", "jacobian", r"for dF/dt of a matrix F by the scalar t, leave "
                                          "out --jacobian"),
    ("A @ x @ x.T", "x", "jacobian", r"3-D array: ask for the gradient of one entry"),
])
def test_a_derivative_no_claim_can_state_says_what_to_ask(expr, wrt, kind, says):
    with pytest.raises(DeriveError, match=says):
        derive(expr, wrt, "x: vector(n), B: matrix(m, n), t: scalar, A: matrix(n, n)",
               kind=kind)


@pytest.mark.parametrize(("expr", "want", "f"), [
    # ((x - y) @ y.T + (y - x) @ x.T) / norm(x - y) ** 3 + eye(n) / norm(x - y)
    ("norm(x - y)", "eye(n) / norm(x - y) - (x - y) @ (x - y).T / norm(x - y) ** 3",
     lambda x, y: np.linalg.norm(x - y)),
    ("norm(x - y) ** 3", "3 * ((x - y) @ (x - y).T / norm(x - y) + norm(x - y) * eye(n))",
     lambda x, y: np.linalg.norm(x - y) ** 3),
])
def test_a_rank_one_sum_of_outer_products_is_one_outer_product(expr, want, f):
    d = derive(expr, "x", "x: vector(n), y: vector(n)", kind="hessian")
    assert d.text == want
    rng = np.random.default_rng(12)
    x, y = rng.standard_normal((3, 1)), rng.standard_normal((3, 1))
    h = 1e-4
    basis = np.eye(3)[:, :, None] * h
    numeric = np.array([[(f(x + basis[i] + basis[j], y) - f(x + basis[i] - basis[j], y)
                          - f(x - basis[i] + basis[j], y) + f(x - basis[i] - basis[j], y))
                         / (4 * h * h) for j in range(3)] for i in range(3)])
    env = {"x": x, "y": y, "n": 3, "norm": np.linalg.norm}
    assert np.allclose(value(d.text, env), numeric, atol=1e-5)
    assert prove(d, timeout=20).verdict.status == "proved"


def test_an_entry_of_a_vector_prints_as_the_entry(tmp_path):
    # 2 * s * (onehot(i, n).T @ y) for the derivative of y[i] * s ** 2 by s
    d = derive("y[i] * x[i] * s ** 2", "s", "y: vector(n), x: vector(n), s: scalar, i: index(n)")
    assert (d.text, d.latex) == ("2 * s * y[i] * x[i]", "2 s y_{i} x_{i}")
    assert prove(d, timeout=20).verdict.status == "proved"
    y, x = np.array([[1.0], [-2.0], [0.5]]), np.array([[3.0], [1.5], [-1.0]])
    assert np.isclose(eval(d.text, {"y": y, "x": x, "s": 0.7, "i": 1}).item(),  # noqa: S307
                      2 * 0.7 * (-2.0) * 1.5)
    # the emitted NumPy module still computes it (its printer keeps the product)
    path = tmp_path / "entry.py"
    path.write_text(numpy_module(d, "test"))
    spec = importlib.util.spec_from_file_location("entry", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert np.isclose(float(np.asarray(mod.grad_f(y=y, x=x, s=0.7, i=1)).reshape(())),
                      2 * 0.7 * (-2.0) * 1.5)


def test_a_sigmoid_hessian_is_re_checked_as_a_rational_function_of_exp():
    # with σ in the derived form, the exact re-check at sizes 2 and 3 sent every entry to
    # the slow zero test (σ an atom beside exp(z)/(exp(z) + 1)²): 16 s, a timeout under load
    # (its time: benchmarks/derive_speed.py)
    d = derive("sum(log(1 + exp(B @ x)))", "x", "x: vector(n), B: matrix(m, n)",
               kind="hessian")
    assert d.text == "B.T @ diag(sigmoid(B @ x) * (1 - sigmoid(B @ x))) @ B"
    verdict = prove(d, timeout=30).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")


def test_a_product_with_a_determinant_by_a_scalar_is_proved_in_general_dimension():
    # the residual kept inv(A + tB)(tr(B inv) I − B inv) ∘ C beside its expanded terms, and
    # inv(A + tB) and inv(tB + A) as two atoms: checked numerically only, after 52 s
    d = derive("det(A + t * B) * inv(A + t * B)", "t", BY_T)
    verdict = prove(d, timeout=30).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")
    env = _by_t_env(np.random.default_rng(13))
    h = 1e-6
    expr = "det(A + t * B) * inv(A + t * B)"
    numeric = (value(expr, {**env, "t": env["t"] + h})
               - value(expr, {**env, "t": env["t"] - h})) / (2 * h)
    assert np.allclose(value(d.text, env), numeric, atol=1e-6)


def test_the_second_derivative_of_a_matrix_by_a_scalar(tmp_path):
    # derive said 'the hessian needs a scalar-valued EXPR; ... no matrix form or claim'
    d = derive("inv(A + t * B)", "t", BY_T, kind="hessian")
    assert d.kind == "second derivative"
    assert d.claim_text.startswith("hessian(sum(C * (inv(A + t * B))), t) = sum(C * (")
    env = _by_t_env(np.random.default_rng(14))
    h, expr = 1e-4, "inv(A + t * B)"
    numeric = (value(expr, {**env, "t": env["t"] + h}) - 2 * value(expr, env)
               + value(expr, {**env, "t": env["t"] - h})) / h**2
    assert np.allclose(value(d.text, env), numeric, atol=1e-5)
    verdict = prove(d, timeout=30).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")
    from dataclasses import replace

    wrong = replace(d, text="inv(A + t * B) @ B @ inv(A + t * B) @ B @ inv(A + t * B)")
    assert prove(wrong, timeout=30).verdict.status not in ("proved", "proved-at-sizes")
    # the emitted file's own test, run in this process (test_a_matrix_by_a_scalar_is_emitted
    # _as_numpy runs one such file under pytest in a fresh interpreter: 2-3 s of start-up)
    path = tmp_path / "second.py"
    path.write_text(numpy_module(d, "test"))
    spec = importlib.util.spec_from_file_location("second", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    tests = [v for k, v in vars(mod).items() if k.startswith("test_") and callable(v)]
    assert tests
    for test in tests:
        test()


def test_the_second_derivative_of_a_determinant_product_is_proved_in_general_dimension():
    # the residual held sum(M ∘ C) beside tr(CᵀM'): checked numerically only, after 45 s
    d = derive("det(A + t * B) * inv(A + t * B)", "t", BY_T, kind="hessian")
    verdict = prove(d, timeout=30).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")
    env = _by_t_env(np.random.default_rng(15))
    h, expr = 1e-4, "det(A + t * B) * inv(A + t * B)"
    numeric = (value(expr, {**env, "t": env["t"] + h}) - 2 * value(expr, env)
               + value(expr, {**env, "t": env["t"] - h})) / h**2
    assert np.allclose(value(d.text, env), numeric, atol=1e-5)
