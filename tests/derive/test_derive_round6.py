"""``derive`` on a seventh set of held-out questions (by symmetric, skew and other structured
matrices, a matrix several times and transposed, Frobenius norms, inverses and powers, log
det of A + XᵀX, Mahalanobis distances, Gaussian likelihoods, neural layers, attention,
losses, Hessians and Jacobians, scalars inside matrix expressions, kron and vec, numerator
layout, refusals): each result is compared with central finite differences of an
independent NumPy reading of EXPR; the tests below the table are questions derive got
wrong, slow or unreadable."""

from __future__ import annotations

import time

import numpy as np
import pytest
import sympy as sp

from tests.derive.finite_differences import hessian_fd, jacobian_fd
from verifier.derive import DeriveError, derive, prove

# ----- an independent NumPy reading of the claim language -----


def _softmax(z, axis=None):
    axis = (0 if z.shape[1] == 1 else 1) if axis is None else axis
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _diag(v):
    return np.diagflat(v) if v.shape[1] == 1 else np.diag(v).reshape(-1, 1)


def _keep(reduce):
    def f(z, axis=None):
        z = np.asarray(z, dtype=float)
        return reduce(z) if axis is None else reduce(z, axis=axis, keepdims=True)
    return f


def _logsumexp(z, axis=None):
    m = z.max() if axis is None else z.max(axis=axis, keepdims=True)
    s = np.exp(z - m)
    return m + np.log(s.sum() if axis is None else s.sum(axis=axis, keepdims=True))


SCOPE = {"log": np.log, "exp": np.exp, "sqrt": np.sqrt, "abs": np.abs, "tanh": np.tanh,
         "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "relu": lambda z: np.maximum(z, 0),
         "inv": np.linalg.inv, "det": np.linalg.det, "trace": np.trace, "eye": np.eye,
         "softmax": _softmax, "log_softmax": lambda z, axis=None: np.log(_softmax(z, axis)),
         "logsumexp": _logsumexp, "sum": _keep(np.sum), "mean": _keep(np.mean),
         "var": _keep(np.var), "norm": lambda a: np.sqrt(np.sum(np.asarray(a) ** 2)),
         "diag": _diag, "kron": np.kron, "vec": lambda a: a.reshape(-1, 1, order="F"),
         "ones": lambda r, c=1: np.ones((r, c)), "zeros": lambda r, c=1: np.zeros((r, c)),
         "onehot": lambda c, k: np.eye(k)[:, [c]]}
SIZES = {"n": 3, "m": 4, "d": 2, "N": 5, "C": 4, "k": 3, "h": 4}


def value(text: str, env: dict) -> np.ndarray:
    """EXPR or a derived formula read by NumPy, independently of derive."""
    v = np.asarray(eval(text, {**SCOPE, **env}), dtype=float)  # noqa: S307
    return v.reshape(1, 1) if v.ndim == 0 else np.atleast_2d(v)


def _declared(symbols: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    import re

    return {m[1]: (m[2], tuple(a.strip() for a in m[3].split(",")) if m[3] else ())
            for m in re.finditer(r"(\w+)\s*:\s*(\w+)(?:\(([^)]*)\))?", symbols)}


def _draw(kind: str, dims: tuple[str, ...], facts: list[str], rng) -> np.ndarray | float:
    """A value satisfying the assumptions (square matrices near I: inverses, log det)."""
    if kind == "scalar":
        return rng.uniform(0.3, 1.5) if "positive" in facts else rng.uniform(-1, 1)
    shape = (SIZES[dims[0]], 1 if kind == "vector" else SIZES[dims[1]])
    if "symmetric" in facts:
        b = rng.standard_normal(shape) * 0.4
        return b + b.T + np.eye(shape[0])
    if "positive definite" in facts:
        b = rng.standard_normal(shape) * 0.5
        return b @ b.T + np.eye(shape[0])
    if "skew-symmetric" in facts:
        b = rng.standard_normal(shape)
        return b - b.T
    if "orthogonal" in facts:
        return np.linalg.qr(rng.standard_normal(shape))[0]
    if "diagonal" in facts:
        return np.diag(rng.uniform(0.5, 1.5, shape[0]))
    if "positive" in facts:
        return rng.uniform(0.3, 1.5, shape)
    if "sums to 1" in facts:
        return rng.dirichlet(np.ones(shape[0])).reshape(shape)
    if shape[0] == shape[1] and kind == "matrix":
        return np.eye(shape[0]) + 0.3 * rng.standard_normal(shape)
    return rng.standard_normal(shape)


def point(symbols: str, assume: tuple[str, ...], seed: int = 1) -> dict:
    rng = np.random.default_rng(seed)
    env: dict = {}
    for name, (kind, dims) in _declared(symbols).items():
        facts = [a.split(" ", 1)[1] for a in assume if a.split(" ", 1)[0] == name]
        if kind == "index":
            env[name] = int(rng.integers(0, SIZES[dims[0]]))
        else:
            env[name] = _draw(kind, dims, facts, rng)
        env.update({d: SIZES[d] for d in dims if d in SIZES and d not in env})
    return env


def truth(expr: str, wrt: str, env: dict, kind: str, layout: str) -> np.ndarray:
    """The derivative by central differences, entries of ``wrt`` independent."""
    x = np.asarray(env[wrt], dtype=float)

    def f(xv):
        return value(expr, {**env, wrt: xv if x.ndim else float(np.ravel(xv)[0])})

    xs = x if x.ndim else x.reshape(1, 1)
    if kind == "hessian":
        return hessian_fd(lambda xv: f(xv).item(), xs)
    if kind == "jacobian":
        j = jacobian_fd(f, xs)
        return j.T if layout == "denominator" else j
    g = _gradient_fd(lambda xv: f(xv).item(), xs)  # ∂f/∂x_ij at [i, j]
    return g.T if layout == "numerator" else g


def _gradient_fd(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    g = np.zeros_like(x)
    for k in range(x.size):
        e = np.zeros_like(x)
        e.flat[k] = h
        g.flat[k] = (f(x + e) - f(x - e)) / (2 * h)
    return g


# ----- Hessians and Jacobians with square roots: proved in general dimension, in seconds -----


@pytest.mark.parametrize("expr, wrt, symbols, assume", [
    # the pseudo-Huber loss: proved at fixed sizes only after 20 s (the exact re-check at
    # n = 3 did not see sqrt(u)² = u)
    ("sum(sqrt(1 + (X @ w - y) ** 2) - 1)", "w", "X: matrix(N, d), w: vector(d), y: vector(N)",
     ()),
    # the Mahalanobis distance: proved at fixed sizes only after 16 s (the exact build at
    # n = 3 with inv(S) ran past the limit)
    ("sqrt((x - mu).T @ inv(S) @ (x - mu))", "x", "x: vector(n), mu: vector(n), S: matrix(n, n)",
     ("S positive definite",)),
    ("norm(X @ w - y)", "w", "X: matrix(N, d), w: vector(d), y: vector(N)", ()),
])
def test_a_hessian_with_square_roots_is_proved_in_seconds(expr, wrt, symbols, assume):
    d = derive(expr, wrt, symbols, kind="hessian", assume=assume)
    env = point(symbols, assume)
    assert np.allclose(value(d.text, env), truth(expr, wrt, env, "hessian", "denominator"),
                       atol=1e-5)
    start = time.perf_counter()
    verdict = prove(d, timeout=30).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")
    assert "along random directions at all sizes 3" in verdict.detail
    assert time.perf_counter() - start < 10


def test_the_fraction_test_uses_the_relation_of_a_root():
    from verifier.derive.differential import _fraction_zero

    # u^(3/2) and √u as two unrelated atoms, beside u expanded (SymPy merges u·√u only
    # where u is the same expression): not decided before, so the slow test ran
    x, y = sp.symbols("x y")
    u = (x + 1) ** 2 + y
    assert _fraction_zero(u ** sp.Rational(3, 2) - sp.expand(u) * sp.sqrt(u)) is True
    assert _fraction_zero(1 / sp.sqrt(u) - sp.sqrt(u) / sp.expand(u)) is True
    root = sp.sqrt(1 + sp.sqrt(x))
    assert _fraction_zero(root ** 3 - (1 + sp.sqrt(x)) * root) is True
    # not identities: never True (√(x²) is |x|)
    assert _fraction_zero(sp.sqrt(x**2) - x) is not True
    assert _fraction_zero(sp.sqrt(u) - x) is not True
    assert _fraction_zero(u ** sp.Rational(3, 2) - u * sp.sqrt(u) + 1) is not True


@pytest.mark.parametrize("layout", ["denominator", "numerator"])
def test_the_second_order_check_along_directions_tells_right_from_wrong(layout):
    from verifier.claimfile import one_liner
    from verifier.derive.differential import _along_second
    from verifier.strategies.context import Context

    q = "(x - mu).T @ inv(S) @ (x - mu)"
    right = f"inv(S) / sqrt({q}) - inv(S) @ (x - mu) @ (x - mu).T @ inv(S) / ({q}) ** (3/2)"
    numerator_j = "(diag(softmax(A @ x)) - softmax(A @ x) @ softmax(A @ x).T) @ A"
    cases = {
        (f"hessian(sqrt({q}), x)", right): "agree",
        (f"hessian(sqrt({q}), x)", right.replace("(3/2)", "(5/2)")): "differ",
        ("jacobian(softmax(A @ x), x)", numerator_j): "agree" if layout == "numerator"
        else "differ",
        ("jacobian(softmax(A @ x), x)", f"2 * {numerator_j}"): "differ",
    }
    for (lhs, rhs), want in cases.items():
        claim = one_liner(lhs, rhs, "x: vector(n), mu: vector(n), S: matrix(n, n), "
                          "A: matrix(n, n)", ["S positive definite"], layout, id="t")
        ctx = Context(claim, budget=60)
        values, idx = ctx.sample_point({"n": 3}, 0.0, generic=True)
        assert _along_second(ctx, claim.lhs.tree, {"n": 3}, values, idx) == want, (lhs, rhs)


# ----- a skew-symmetric matrix: Kᵀ = −K -----


@pytest.mark.parametrize("expr, wrt, kind, want", [
    # derive printed (A + A.T) @ x and A + A.T: 0 on skew-symmetric matrices, unsaid
    ("x.T @ A @ x", "x", "gradient", "zeros(n)"),
    ("x.T @ A @ x", "x", "hessian", "zeros(n, n)"),
    ("trace(A @ B)", "B", "gradient", "-A"),
    ("norm(A @ x) ** 2", "x", "gradient", "-2 * A @ A @ x"),
])
def test_a_skew_symmetric_matrix_reads_its_transpose_as_its_negative(expr, wrt, kind, want):
    symbols = "A: matrix(n, n), B: matrix(n, n), x: vector(n)"
    assume = ("A skew-symmetric",)
    d = derive(expr, wrt, symbols, kind=kind, assume=assume)
    assert d.text == want
    env = point(symbols, assume)
    assert np.allclose(value(d.text, env), truth(expr, wrt, env, kind, "denominator"),
                       atol=1e-5)
    verdict = prove(d, timeout=30).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")


# ----- readable forms -----


@pytest.mark.parametrize("expr, wrt, symbols", [
    # derive printed (softmax(QKᵀ/√d) ∘ (1 − 𝟏𝟏ᵀ))K/√d: a sum of softmax rows is constant
    ("sum(softmax(Q @ K.T / sqrt(d)))", "Q", "Q: matrix(n, d), K: matrix(m, d)"),
    ("sum(softmax(Z))", "Z", "Z: matrix(n, m)"),
    ("sum(softmax(Z, axis=0))", "Z", "Z: matrix(n, m)"),
])
def test_a_constant_sum_of_softmax_rows_has_a_zero_gradient(expr, wrt, symbols):
    d = derive(expr, wrt, symbols)
    assert d.text.startswith("zeros(")
    env = point(symbols, ())
    assert np.allclose(truth(expr, wrt, env, "gradient", "denominator"), 0, atol=1e-6)


@pytest.mark.parametrize("expr, wrt, symbols, layout, assume, want", [
    # 2B(BᵀXᵀAᵀ − Cᵀ)A: the numerator layout transposed the sum term by term
    ("norm(A @ X @ B - C) ** 2", "X", "X: matrix(n, m), A: matrix(k, n), B: matrix(m, d), "
     "C: matrix(k, d)", "numerator", (), "2 * B @ (A @ X @ B - C).T @ A"),
    ("mean((X @ w - y) ** 2)", "w", "X: matrix(N, d), w: vector(d), y: vector(N)",
     "numerator", (), "2 * (X @ w - y).T @ X / N"),
    ("(x - mu).T @ P @ (x - mu)", "mu", "x: vector(n), mu: vector(n), P: matrix(n, n)",
     "numerator", ("P positive definite",), "2 * (mu - x).T @ P"),
    ("-y.T @ log(softmax(z))", "z", "z: vector(C), y: vector(C)", "numerator", (),
     "(sum(y) * softmax(z) - y).T"),
    # S⁻¹(Xᵀ − μ𝟏ᵀ)(X − 𝟏μᵀ)S⁻¹: the scatter matrix of the centred data, half transposed
    ("N * log(det(S)) / 2 + trace(inv(S) @ (X - ones(N) @ mu.T).T @ (X - ones(N) @ mu.T)) / 2",
     "S", "X: matrix(N, n), mu: vector(n), S: matrix(n, n)", "denominator",
     ("S positive definite",),
     "N * inv(S) / 2 - inv(S) @ (X - ones(N) @ mu.T).T @ (X - ones(N) @ mu.T) @ inv(S) / 2"),
])
def test_a_sum_of_transposes_reads_as_a_transposed_sum(expr, wrt, symbols, layout, assume,
                                                       want):
    d = derive(expr, wrt, symbols, layout=layout, assume=assume)
    assert d.text == want
    env = point(symbols, assume)
    assert np.allclose(value(d.text, env), truth(expr, wrt, env, "gradient", layout),
                       atol=1e-5)
    verdict = prove(d, timeout=30).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")


def test_a_sum_is_not_transposed_where_its_terms_read_worse():
    # BXᵀA + BᵀXᵀAᵀ stays as it is (each term transposed would hold more transposes)
    d = derive("trace(X @ B @ X.T @ A)", "X", "X: matrix(n, m), A: matrix(n, n), "
               "B: matrix(m, m)", layout="numerator")
    assert d.text == "B @ X.T @ A + B.T @ X.T @ A.T"


@pytest.mark.parametrize("expr, wrt, kind", [
    # (x − sum(x)/n)(x − sum(x)/n)ᵀ/((√(var(x) + ε))²√(var(x) + ε)n): the layer norm
    ("(x - mean(x)) / sqrt(var(x) + eps)", "x", "jacobian"),
    ("x / sqrt(var(x) + eps)", "x", "jacobian"),
    ("r.T @ ((x - mean(x)) / sqrt(var(x) + eps))", "x", "gradient"),
])
def test_a_layer_norm_coefficient_reads_as_one_power(expr, wrt, kind):
    symbols = "x: vector(n), eps: scalar, r: vector(n)"
    assume = ("eps positive",)
    d = derive(expr, wrt, symbols, kind=kind, assume=assume)
    assert "(var(x) + eps) ** (3/2)" in d.text and "** 2" not in d.text, d.text
    env = point(symbols, assume)
    assert np.allclose(value(d.text, env), truth(expr, wrt, env, kind, "denominator"),
                       atol=1e-5)


def test_the_second_order_check_is_relative_to_the_size_of_the_values():
    # exp(−g‖x − v‖²) at g = −3 is about 10⁶⁴: an absolute threshold called the right
    # Hessian different and left it proved at fixed sizes only
    from verifier.claimfile import one_liner
    from verifier.derive.differential import _along_second
    from verifier.strategies.context import Context

    right = "2 * g * exp(-g * norm(x - v) ** 2) * (2 * g * (v - x) @ (v - x).T - eye(d))"
    claim = one_liner("hessian(exp(-g * norm(x - v) ** 2), x)", right,
                      "x: vector(d), v: vector(d), g: scalar", [], "denominator", id="t")
    ctx = Context(claim, budget=60)
    values, idx = ctx.sample_point({"d": 3}, 0.0, generic=True)
    values.update(x=sp.Matrix([-1, 4, -5]) / 2, v=sp.Matrix([-10, -12, 8]) / 4, g=-3)
    assert _along_second(ctx, claim.lhs.tree, {"d": 3}, values, idx) == "agree"
    d = derive("exp(-g * norm(x - v) ** 2)", "x", "x: vector(d), v: vector(d), g: scalar",
               kind="hessian")
    verdict = prove(d, timeout=30).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")


# ----- questions that must be refused, each saying why and what to ask instead -----

RF = ("A: matrix(n, n), x: vector(n), X: matrix(n, m), y: vector(m), t: scalar, "
      "i: index(n)")


@pytest.mark.parametrize("expr, wrt, kind, assume, says", [
    ("A @ x", "x", "gradient", (), r"scalar-valued.*--jacobian"),
    ("softmax(x)", "x", "gradient", (), r"scalar-valued.*--jacobian"),
    ("grad(x.T @ A @ x, x)", "x", "gradient", (), r"scalar-valued.*--jacobian"),
    ("x.T @ A @ x", "A", "hessian", (), r"column vector.*use the gradient"),
    ("A @ x", "x", "hessian", (), r"3-D array.*u\.T @ \(EXPR\).*--jacobian"),
    ("X @ y", "X", "jacobian", (), r"column vector.*use the gradient"),
    ("hessian(x.T @ A @ x, x)", "x", "jacobian", (), r"3-D array.*EXPR\[i, j\]"),
    ("x.T @ A @ x", "i", "gradient", (), r"cannot differentiate by i: index"),
    ("x.T @ A @ x", "z", "gradient", (), r"not a declared symbol \(declared: A, x"),
    ("x.T @ A @ x", "x.T", "gradient", (), r"--wrt x --layout numerator"),
    ("x.T @ A @ x", "A @ x", "gradient", (), r"declare a symbol for it"),
    ("x.T @ B @ x", "x", "gradient", (), r'unknown name "B"'),
    ("x.T @ X @ x", "x", "gradient", (), r"shapes do not fit"),
    ("det(X)", "X", "gradient", (), r"det needs a square matrix"),
    ("sum(x ** t)", "x", "gradient", (), r"exp\(t \* log\(x\)\)"),
    ("sum(x ∘ x)", "x", "gradient", (), r"a \* b"),
    ("‖x‖", "x", "gradient", (), r"norm\(x\)"),
    ("sum(x", "x", "gradient", (), r"never closed"),
    ("x.T @ x", "x", "gradient", ("x binary",), r"integer-valued.*drop the assumption"),
    ("x.T @ x", "x", "gradient", ("X symmetric",), r"square matrix"),
    ("x.T @ x", "x", "gradient", ("x positively",), r'did you mean "x positive"'),
    ("det(kron(A, A))", "A", "gradient", (), r"det\(A\) \*\* m \* det\(B\) \*\* n"),
])
def test_a_question_without_an_answer_is_refused_with_what_to_ask(expr, wrt, kind, assume,
                                                                    says):
    with pytest.raises(DeriveError, match=says):
        derive(expr, wrt, RF, kind=kind, assume=assume)


@pytest.mark.parametrize("expr, wrt, kind, layout, want", [
    # the variable is not in EXPR: the derivative is 0, in the variable's shape
    ("x.T @ A @ x", "y", "gradient", "denominator", "zeros(m)"),
    ("trace(A)", "X", "gradient", "denominator", "zeros(n, m)"),
    ("x.T @ A @ x", "X", "gradient", "numerator", "zeros(m, n)"),
    ("sum(x)", "t", "gradient", "denominator", "0"),
    ("A @ x", "y", "jacobian", "numerator", "zeros(n, m)"),
    ("x.T @ x", "y", "hessian", "denominator", "zeros(m, m)"),
])
def test_a_variable_not_in_the_expression_has_a_zero_derivative(expr, wrt, kind, layout,
                                                                 want):
    d = derive(expr, wrt, RF, kind=kind, layout=layout)
    assert d.text == want
    assert d.note == f"{expr} does not depend on {wrt}"  # said, not left to a bare 0
    assert prove(d, timeout=30).verdict.status == "proved"


def test_the_console_says_the_expression_does_not_depend_on_the_variable():
    import io

    from rich.console import Console

    from verifier.report.derive import derive_text

    d = derive("x.T @ A @ x", "y", RF)
    out = io.StringIO()
    derive_text(d, prove(d, timeout=30), Console(file=out, width=100))
    assert "x.T @ A @ x does not depend on y" in out.getvalue()
