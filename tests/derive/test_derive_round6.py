"""``derive`` on a seventh set of held-out questions (by symmetric, skew and other structured
matrices, a matrix several times and transposed, Frobenius norms, inverses and powers, log
det of A + XᵀX, Mahalanobis distances, Gaussian likelihoods, neural layers, attention,
losses, Hessians and Jacobians, scalars inside matrix expressions, kron and vec, numerator
layout, refusals): each result is compared with central finite differences of an
independent NumPy reading of EXPR; the tests below the table are questions derive got
wrong, slow or unreadable."""

from __future__ import annotations

import functools
import math
import types

import numpy as np
import pytest
import sympy as sp
from finite_differences import hessian_fd, jacobian_fd

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


SCOPE = {"softplus": lambda z: np.logaddexp(0, z), "cosh": np.cosh, "sinh": np.sinh,
         "log": np.log, "exp": np.exp, "sqrt": np.sqrt, "abs": np.abs, "tanh": np.tanh,
         "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "relu": lambda z: np.maximum(z, 0),
         "inv": np.linalg.inv, "det": np.linalg.det, "trace": np.trace, "eye": np.eye,
         "softmax": _softmax, "log_softmax": lambda z, axis=None: np.log(_softmax(z, axis)),
         "logsumexp": _logsumexp, "sum": _keep(np.sum), "mean": _keep(np.mean),
         "var": _keep(np.var), "norm": lambda a: np.sqrt(np.sum(np.asarray(a) ** 2)),
         "diag": _diag, "kron": np.kron, "vec": lambda a: a.reshape(-1, 1, order="F"),
         "ones": lambda r, c=1: np.ones((r, c)), "zeros": lambda r, c=1: np.zeros((r, c)),
         "onehot": lambda c, k: np.eye(k)[:, [c]],
         "logdet": lambda a: np.log(np.linalg.det(a)),
         "sin": np.sin, "cos": np.cos, "tan": np.tan, "atan": np.arctan, "sign": np.sign,
         "erf": np.vectorize(math.erf, otypes=[float]), "pi": np.pi}


@functools.cache
def derived(expr: str, wrt: str, symbols: str, kind: str, layout: str,
            assume: tuple[str, ...]):
    """derive's answer to one question, derived once for every test that asks it (the table
    is checked against finite differences and proved: two tests, one derivation)."""
    return derive(expr, wrt, symbols, kind=kind, layout=layout, assume=assume)


def emitted(expr: str, wrt: str, symbols: str, kind: str = "gradient",
            assume: tuple[str, ...] = ()) -> types.ModuleType:
    """The NumPy module `derive --emit numpy` writes for one question, imported."""
    from verifier.derive.emit import numpy_module

    module = types.ModuleType("emitted")
    code = numpy_module(derived(expr, wrt, symbols, kind, "denominator", tuple(assume)), "x")
    exec(compile(code, "emitted", "exec"), module.__dict__)  # noqa: S102
    return module


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
    if "sums to 1" in facts:
        return rng.dirichlet(np.ones(shape[0])).reshape(shape)
    if "one-hot" in facts:
        return np.eye(shape[1])[rng.integers(0, shape[1], shape[0])]
    if "positive" in facts:
        return rng.uniform(0.3, 1.5, shape)
    if shape[0] == shape[1] and kind == "matrix":
        return np.eye(shape[0]) + 0.3 * rng.standard_normal(shape)
    return rng.standard_normal(shape)


def point(symbols: str, assume: tuple[str, ...], seed: int = 1, expr: str = "") -> dict:
    """Values satisfying the assumptions (where ``expr`` is given: one where it is finite,
    the unassumed values shrunk towards 0, so log(c − Mx) with c positive is defined)."""
    rng = np.random.default_rng(seed)
    for shrink in (1.0, 0.1, 0.01):
        env: dict = {}
        for name, (kind, dims) in _declared(symbols).items():
            facts = [a.split(" ", 1)[1] for a in assume if a.split(" ", 1)[0] == name]
            if kind == "index":
                env[name] = int(rng.integers(0, SIZES[dims[0]]))
            else:
                env[name] = _draw(kind, dims, facts, rng)
                if not facts and kind == "vector":
                    env[name] = env[name] * shrink
            env.update({d: SIZES[d] for d in dims if d in SIZES and d not in env})
        with np.errstate(all="ignore"):
            if not expr or np.all(np.isfinite(value(expr, env))):
                return env
    raise AssertionError(f"no point where {expr} is defined")


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
    verdict = prove(d, timeout=30).verdict  # its time: benchmarks/derive_speed.py
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")
    assert "along random directions at all sizes 3" in verdict.detail


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
    # the gradient reads in the textbook's form: test_derive_round7.py, batch normalisation
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


@pytest.mark.parametrize("expr, want", [
    # the KL divergence to N(0, I) by the standard deviations: the residual held diag(2) of
    # a scalar's shape beside −2I, read as 2 added to every entry: proved at sizes only
    ("sum(s ** 2 + m ** 2 - 1 - log(s ** 2)) / 2", "eye(n) + diag(1 / s ** 2)"),
    ("sum(s ** 2 - log(s))", "2 * eye(n) + diag(1 / s ** 2)"),
])
def test_a_hessian_with_a_constant_diagonal_part_is_proved(expr, want):
    from dataclasses import replace

    symbols, assume = "m: vector(n), s: vector(n)", ("s positive",)
    d = derive(expr, "s", symbols, kind="hessian", assume=assume)
    assert d.text == want
    env = point(symbols, assume)
    assert np.allclose(value(d.text, env), truth(expr, "s", env, "hessian", "denominator"),
                       atol=1e-4)
    verdict = prove(d, timeout=30).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")
    wrong = replace(d, text=want.replace("eye(n)", "ones(n, n)"))  # c·𝟏𝟏ᵀ, not cI
    assert prove(wrong, timeout=30).verdict.status == "refuted"


# ----- the table: questions derive answers right (checked here against central differences) -----

SYMBOLS = {
    'S0': 'X: matrix(n, n), A: matrix(n, n), B: matrix(n, n), x: vector(n), y: vector(n)',
    'S1': ('X: matrix(n, m), A: matrix(n, n), B: matrix(m, m), C: matrix(m, n), a: vector(n), '
          'b: vector(m)'),
    'S2': 'X: matrix(n, m), A: matrix(k, n), B: matrix(m, d), C: matrix(k, d), Y: matrix(n, m)',
    'S3': 'U: matrix(n, k), V: matrix(m, k), M: matrix(n, m), W: matrix(n, m), lam: scalar',
    'S4': 'X: matrix(N, d), A: matrix(d, d), lam: scalar, u: vector(d)',
    'S5': 'X: matrix(n, m), A: matrix(m, m), S: matrix(n, n), lam: scalar',
    'S6': 'A: matrix(n, n), x: vector(n), B: matrix(n, n), t: scalar',
    'S7': ('x: vector(n), A: matrix(n, n), D: matrix(n, n), S: matrix(n, n), mu: vector(n), '
          'w: vector(n), P: matrix(n, n)'),
    'S8': 'x: vector(n), mu: vector(n), S: matrix(n, n), L: matrix(n, n), P: matrix(n, n)',
    'S9': ('x: vector(n), mu: vector(n), S: matrix(n, n), P: matrix(n, n), X: matrix(N, n), '
          'L: matrix(n, n)'),
    'S10': 'x: vector(n), mu: vector(n), s: vector(n), v: scalar',
    'S11': ('W: matrix(h, n), x: vector(n), b: vector(h), u: vector(h), V: matrix(h, n), '
          'g: vector(n), c: vector(n), eps: scalar, y: vector(h)'),
    'S12': 'x: vector(n), g: vector(n), c: vector(n), eps: scalar, r: vector(n)',
    'S13': 'Q: matrix(n, d), K: matrix(m, d), V: matrix(m, k), G: matrix(n, k), T: scalar',
    'S14': 'X: matrix(N, n), W: matrix(n, h), b: vector(h), Y: matrix(N, h), w: vector(h)',
    'S15': 'W: matrix(h, h), U: matrix(h, n), h0: vector(h), x: vector(n), u: vector(h)',
    'S16': ('z: vector(C), y: vector(C), p: vector(C), q: vector(C), T: scalar, c: index(C), '
          'lam: scalar'),
    'S17': ('X: matrix(N, d), w: vector(d), y: vector(N), x: vector(d), t: scalar, lam: scalar, '
          'b: scalar'),
    'S18': 'm1: vector(n), m2: vector(n), S1: matrix(n, n), S2: matrix(n, n)',
    'S19': 'm: vector(n), s: vector(n), lv: vector(n)',
    'S20': ('x: vector(n), A: matrix(n, n), b: vector(n), a: vector(n), M: matrix(m, n), '
          'c: vector(m), S: matrix(n, n)'),
    'S21': ('x: vector(n), z: vector(n), A: matrix(m, n), a: vector(n), t: scalar, eps: scalar, '
          'B: matrix(n, n), b: vector(n)'),
    'S22': ('X: matrix(n, m), A: matrix(k, n), B: matrix(m, d), W: matrix(m, d), Y: matrix(n, d), '
          'C: matrix(k, d)'),
    'S23': ('X: matrix(N, d), w: vector(d), y: vector(N), lam: scalar, A: matrix(d, d), '
          'z: vector(d), T: scalar, a: scalar, g: scalar, x: vector(d), v: vector(d), '
          's: scalar, K: matrix(N, N), u: vector(N)'),
    'S24': ('X: matrix(n, m), A: matrix(m, m), B: matrix(n, n), C: matrix(n, m), x: vector(n), '
          'y: vector(m), P: matrix(k, n), Q: matrix(m, d)'),
    'S25': ('A: matrix(n, n), x: vector(n), X: matrix(n, m), y: vector(m), t: scalar, '
          'i: index(n), c: index(n), Y: matrix(n, m)'),
    'S26': ('X: matrix(n, n), A: matrix(n, n), B: matrix(n, n), x: vector(n), y: vector(n), '
          'D: matrix(n, n)'),
    'S27': ('X: matrix(N, n), G: matrix(N, n), eps: scalar, g: vector(n), W: matrix(n, m), '
          'Y: matrix(N, m), lam: scalar'),
    'S28': ('z: vector(C), y: vector(C), c: index(C), s: scalar, K: matrix(C, d), q: vector(d), '
          'T: scalar'),
    'S29': ('A: matrix(m, n), x: vector(n), b: vector(m), L: matrix(k, n), lam: scalar, '
          'X: matrix(N, n), w: vector(n), y: vector(N)'),
    'S30': 'x: vector(n), a: vector(n), A: matrix(n, n), t: scalar, W: matrix(m, n), u: vector(m)',
    'S31': 'X: matrix(n, n), A: matrix(n, n), B: matrix(n, n), C: matrix(n, n), x: vector(n)',
    'S32': 'A: matrix(n, n), B: matrix(n, n), t: scalar, x: vector(n), X: matrix(n, m)',
}

# (EXPR, --wrt, symbols, kind, layout, assumptions, fast); fast: derived in < 0.05 s on a loaded
# machine and proved in < 0.5 s (those are proved here too; the rest under -m slow)
TABLE = [
    ('trace(A @ X)', 'X', 'S0', 'gradient', 'denominator', ('X symmetric',), 'S'),
    ('trace(A @ X)', 'X', 'S0', 'gradient', 'numerator', ('X symmetric',), 'P'),
    ('trace(X @ A @ X)', 'X', 'S0', 'gradient', 'denominator', ('X symmetric',), 'P'),
    ('x.T @ X @ x', 'X', 'S0', 'gradient', 'denominator', ('X symmetric',), 'P'),
    ('x.T @ X @ x', 'X', 'S0', 'gradient', 'numerator', ('X symmetric',), 'P'),
    ('x.T @ X @ y', 'X', 'S0', 'gradient', 'denominator', ('X symmetric',), 'P'),
    ('log(det(X))', 'X', 'S0',
     'gradient', 'denominator', ('X symmetric', 'X positive definite'), 'P'),
    ('det(X)', 'X', 'S0', 'gradient', 'denominator', ('X symmetric',), 'P'),
    ('trace(inv(X) @ A)', 'X', 'S0', 'gradient', 'denominator', ('X symmetric',), 'F'),
    ('x.T @ inv(X) @ x', 'X', 'S0', 'gradient', 'denominator', ('X symmetric',), 'F'),
    ('x.T @ inv(X) @ x', 'X', 'S0', 'gradient', 'numerator', ('X symmetric',), 'P'),
    ('norm(X - A) ** 2', 'X', 'S0', 'gradient', 'denominator', ('X symmetric',), 'P'),
    ('trace(X @ X)', 'X', 'S0', 'gradient', 'denominator', ('X symmetric',), 'P'),
    ('trace(X.T @ A @ X)', 'X', 'S0', 'gradient', 'denominator', ('X symmetric',), 'P'),
    ('sum(X)', 'X', 'S0', 'gradient', 'denominator', ('X symmetric',), 'P'),
    ('trace(X)', 'X', 'S0', 'gradient', 'denominator', ('X symmetric',), 'P'),
    ('trace(A @ X)', 'X', 'S0', 'gradient', 'denominator', ('X positive definite',), 'P'),
    ('trace(A @ X)', 'X', 'S0', 'gradient', 'numerator', ('X positive definite',), 'P'),
    ('trace(X @ A @ X)', 'X', 'S0', 'gradient', 'denominator', ('X positive definite',), 'P'),
    ('x.T @ X @ x', 'X', 'S0', 'gradient', 'denominator', ('X positive definite',), 'P'),
    ('x.T @ X @ x', 'X', 'S0', 'gradient', 'numerator', ('X positive definite',), 'P'),
    ('x.T @ X @ y', 'X', 'S0', 'gradient', 'denominator', ('X positive definite',), 'P'),
    ('log(det(X))', 'X', 'S0', 'gradient', 'denominator', ('X positive definite',), 'P'),
    ('det(X)', 'X', 'S0', 'gradient', 'denominator', ('X positive definite',), 'P'),
    ('trace(inv(X) @ A)', 'X', 'S0', 'gradient', 'denominator', ('X positive definite',), 'F'),
    ('x.T @ inv(X) @ x', 'X', 'S0', 'gradient', 'denominator', ('X positive definite',), 'P'),
    ('x.T @ inv(X) @ x', 'X', 'S0', 'gradient', 'numerator', ('X positive definite',), 'P'),
    ('norm(X - A) ** 2', 'X', 'S0', 'gradient', 'denominator', ('X positive definite',), 'P'),
    ('trace(X @ X)', 'X', 'S0', 'gradient', 'denominator', ('X positive definite',), 'P'),
    ('trace(X.T @ A @ X)', 'X', 'S0', 'gradient', 'denominator', ('X positive definite',), 'P'),
    ('sum(X)', 'X', 'S0', 'gradient', 'denominator', ('X positive definite',), 'P'),
    ('trace(X)', 'X', 'S0', 'gradient', 'denominator', ('X positive definite',), 'P'),
    ('log(det(X)) - trace(A @ X)', 'X', 'S0',
     'gradient', 'denominator', ('X positive definite', 'A positive definite'), 'P'),
    ('log(det(X)) + trace(inv(X) @ A)', 'X', 'S0',
     'gradient', 'denominator', ('X positive definite', 'A positive definite'), 'P'),
    ('trace(A @ X)', 'X', 'S0', 'gradient', 'denominator', ('X diagonal',), 'P'),
    ('x.T @ X @ y', 'X', 'S0', 'gradient', 'denominator', ('X diagonal',), 'P'),
    ('trace(A @ X)', 'X', 'S0', 'gradient', 'denominator', ('X skew-symmetric',), 'P'),
    ('x.T @ X @ x', 'X', 'S0', 'gradient', 'denominator', ('X skew-symmetric',), 'P'),
    ('trace(A @ X)', 'X', 'S0', 'gradient', 'denominator', ('X orthogonal',), 'P'),
    ('norm(X @ x - y) ** 2', 'X', 'S0', 'gradient', 'denominator', ('X orthogonal',), 'P'),
    ('x.T @ A @ x', 'x', 'S0', 'gradient', 'denominator', ('A skew-symmetric',), 'P'),
    ('x.T @ A @ x', 'x', 'S0', 'hessian', 'denominator', ('A skew-symmetric',), 'P'),
    ('x.T @ A @ x', 'A', 'S0', 'gradient', 'denominator', ('A symmetric',), 'P'),
    ('trace(A @ X @ A)', 'X', 'S0', 'gradient', 'denominator', ('A symmetric', 'X symmetric'), 'P'),
    ('trace(inv(X) @ A @ inv(X) @ A)', 'X', 'S0',
     'gradient', 'denominator', ('X positive definite', 'A symmetric'), 'F'),
    ('trace(X @ B @ X.T @ A)', 'X', 'S1', 'gradient', 'denominator', (), 'F'),
    ('trace(X @ B @ X.T @ A)', 'X', 'S1', 'gradient', 'numerator', (), 'F'),
    ('trace(X.T @ A @ X @ B)', 'X', 'S1', 'gradient', 'denominator', (), 'F'),
    ('trace(X @ X.T @ X @ X.T)', 'X', 'S1', 'gradient', 'denominator', (), 'F'),
    ('trace(X.T @ X @ X.T @ X)', 'X', 'S1', 'gradient', 'denominator', (), 'F'),
    ('norm(X.T @ X - eye(m)) ** 2', 'X', 'S1', 'gradient', 'denominator', (), 'S'),
    ('norm(X.T @ X - eye(m)) ** 2', 'X', 'S1', 'gradient', 'numerator', (), 'S'),
    ('norm(X @ X.T - A) ** 2', 'X', 'S1', 'gradient', 'denominator', (), 'S'),
    ('sum(X @ X.T)', 'X', 'S1', 'gradient', 'denominator', (), 'F'),
    ('a.T @ X @ X.T @ X @ b', 'X', 'S1', 'gradient', 'denominator', (), 'F'),
    ('a.T @ X @ X.T @ X @ b', 'X', 'S1', 'gradient', 'numerator', (), 'S'),
    ('trace(C @ X)', 'X', 'S1', 'gradient', 'denominator', (), 'P'),
    ('trace(C @ X @ C @ X)', 'X', 'S1', 'gradient', 'denominator', (), 'F'),
    ('trace(C @ X @ C @ X)', 'X', 'S1', 'gradient', 'numerator', (), 'F'),
    ('trace(X @ C @ X @ C)', 'X', 'S1', 'gradient', 'denominator', (), 'F'),
    ('trace(X.T @ A @ X) * trace(C @ X)', 'X', 'S1', 'gradient', 'denominator', (), 'S'),
    ('a.T @ X @ b * a.T @ X @ b', 'X', 'S1', 'gradient', 'denominator', (), 'F'),
    ('(a.T @ X @ b) ** 3', 'X', 'S1', 'gradient', 'denominator', (), 'P'),
    ('trace(X @ C) ** 2', 'X', 'S1', 'gradient', 'denominator', (), 'P'),
    ('sum(X * X)', 'X', 'S1', 'gradient', 'denominator', (), 'P'),
    ('sum(X * (A @ X))', 'X', 'S1', 'gradient', 'denominator', (), 'F'),
    ('sum((X @ B) * X)', 'X', 'S1', 'gradient', 'denominator', (), 'P'),
    ('trace((X @ X.T + A) @ (X @ X.T + A))', 'X', 'S1', 'gradient', 'denominator', (), 'F'),
    ('a.T @ (X @ X.T) @ (X @ X.T) @ a', 'X', 'S1', 'gradient', 'denominator', (), 'F'),
    ('trace(X @ X @ X)', 'X', 'S0', 'gradient', 'denominator', (), 'F'),
    ('trace(X @ X.T @ X)', 'X', 'S0', 'gradient', 'denominator', (), 'F'),
    ('trace(A @ X @ B @ X)', 'X', 'S0', 'gradient', 'denominator', (), 'F'),
    ('trace((X + X.T) @ A)', 'X', 'S0', 'gradient', 'denominator', (), 'P'),
    ('norm(X @ X - A) ** 2', 'X', 'S0', 'gradient', 'denominator', (), 'S'),
    ('trace(X @ X.T @ A @ X)', 'X', 'S0', 'gradient', 'denominator', (), 'F'),
    ('x.T @ X @ X @ x', 'X', 'S0', 'gradient', 'denominator', (), 'P'),
    ('x.T @ X.T @ X @ y', 'X', 'S0', 'gradient', 'denominator', (), 'P'),
    ('sum(X @ X)', 'X', 'S0', 'gradient', 'denominator', (), 'P'),
    ('trace(X @ A @ X.T @ B @ X)', 'X', 'S0', 'gradient', 'denominator', (), 'F'),
    ('norm(X) ** 2', 'X', 'S2', 'gradient', 'denominator', (), 'P'),
    ('norm(X)', 'X', 'S2', 'gradient', 'denominator', (), 'P'),
    ('norm(X)', 'X', 'S2', 'gradient', 'numerator', (), 'P'),
    ('norm(A @ X @ B - C) ** 2', 'X', 'S2', 'gradient', 'denominator', (), 'F'),
    ('norm(A @ X @ B - C) ** 2', 'X', 'S2', 'gradient', 'numerator', (), 'S'),
    ('norm(X - Y)', 'X', 'S2', 'gradient', 'denominator', (), 'P'),
    ('norm(X - Y)', 'Y', 'S2', 'gradient', 'denominator', (), 'P'),
    ('norm(X) ** 4', 'X', 'S2', 'gradient', 'denominator', (), 'P'),
    ('1 / norm(X)', 'X', 'S2', 'gradient', 'denominator', (), 'P'),
    ('sqrt(norm(X) ** 2 + 1)', 'X', 'S2', 'gradient', 'denominator', (), 'P'),
    ('norm(A @ X) ** 2', 'X', 'S2', 'gradient', 'denominator', (), 'P'),
    ('norm(A @ X)', 'X', 'S2', 'gradient', 'denominator', (), 'P'),
    ('norm(X @ B) ** 2 / 2', 'X', 'S2', 'gradient', 'denominator', (), 'P'),
    ('norm(A @ X @ B - C)', 'X', 'S2', 'gradient', 'denominator', (), 'S'),
    ('log(norm(X) ** 2)', 'X', 'S2', 'gradient', 'denominator', (), 'P'),
    ('norm(X / norm(X) - Y) ** 2', 'X', 'S2', 'gradient', 'denominator', (), 'S'),
    ('norm(X * Y) ** 2', 'X', 'S2', 'gradient', 'denominator', (), 'P'),
    ('norm(U @ V.T - M) ** 2', 'U', 'S3', 'gradient', 'denominator', (), 'F'),
    ('norm(U @ V.T - M) ** 2', 'V', 'S3', 'gradient', 'denominator', (), 'P'),
    ('norm(W * (U @ V.T - M)) ** 2 / 2', 'U', 'S3', 'gradient', 'denominator', (), 'F'),
    ('norm(W * (U @ V.T - M)) ** 2 / 2', 'V', 'S3', 'gradient', 'denominator', (), 'F'),
    ('norm(U @ V.T - M) ** 2 + lam * (norm(U) ** 2 + norm(V) ** 2)', 'U', 'S3',
     'gradient', 'denominator', ('lam positive',), 'S'),
    ('norm(U @ V.T - M) ** 2 + lam * (norm(U) ** 2 + norm(V) ** 2)', 'lam', 'S3',
     'gradient', 'denominator', ('lam positive',), 'P'),
    ('norm(U @ V.T - M)', 'V', 'S3', 'gradient', 'denominator', (), 'S'),
    ('trace(inv(X))', 'X', 'S0', 'gradient', 'denominator', (), 'P'),
    ('trace(inv(X) @ inv(X))', 'X', 'S0', 'gradient', 'denominator', (), 'F'),
    ('trace(inv(X) @ A @ inv(X) @ B)', 'X', 'S0', 'gradient', 'denominator', (), 'S'),
    ('trace(inv(X) @ A @ inv(X) @ B)', 'X', 'S0', 'gradient', 'numerator', (), 'S'),
    ('trace(X @ X @ X @ X)', 'X', 'S0', 'gradient', 'denominator', (), 'F'),
    ('trace(inv(X @ X))', 'X', 'S0', 'gradient', 'denominator', (), 'F'),
    ('trace(inv(A + X))', 'X', 'S0', 'gradient', 'denominator', (), 'F'),
    ('trace(inv(X.T @ X))', 'X', 'S0', 'gradient', 'denominator', (), 'F'),
    ('trace(inv(X.T @ X))', 'X', 'S0', 'gradient', 'numerator', (), 'F'),
    ('trace(A @ inv(X) @ B)', 'X', 'S0', 'gradient', 'denominator', (), 'F'),
    ('det(inv(X))', 'X', 'S0', 'gradient', 'denominator', (), 'F'),
    ('log(det(inv(X)))', 'X', 'S0', 'gradient', 'denominator', (), 'P'),
    ('trace(inv(X) @ A @ X)', 'X', 'S0', 'gradient', 'denominator', (), 'F'),
    ('x.T @ inv(X) @ inv(X) @ y', 'X', 'S0', 'gradient', 'denominator', (), 'S'),
    ('x.T @ inv(X) @ inv(X) @ y', 'X', 'S0', 'gradient', 'numerator', (), 'S'),
    ('trace(inv(X).T @ A)', 'X', 'S0', 'gradient', 'denominator', (), 'P'),
    ('trace(inv(X.T) @ A)', 'X', 'S0', 'gradient', 'denominator', (), 'F'),
    ('sum(inv(X))', 'X', 'S0', 'gradient', 'denominator', (), 'P'),
    ('trace(inv(X) ** 2)', 'X', 'S0', 'gradient', 'denominator', (), 'P'),
    ('norm(inv(X)) ** 2', 'X', 'S0', 'gradient', 'denominator', (), 'P'),
    ('trace(inv(eye(n) + X))', 'X', 'S0', 'gradient', 'denominator', (), 'P'),
    ('trace(inv(X) @ A @ X @ B)', 'X', 'S0', 'gradient', 'denominator', (), 'F'),
    ('x.T @ inv(X @ A @ X.T) @ x', 'X', 'S0', 'gradient', 'denominator', (), 'S'),
    ('trace(inv(X.T @ X + lam * eye(d)))', 'X', 'S4',
     'gradient', 'denominator', ('lam positive',), 'F'),
    ('u.T @ inv(X.T @ X + lam * eye(d)) @ u', 'X', 'S4',
     'gradient', 'denominator', ('lam positive',), 'S'),
    ('u.T @ inv(X.T @ X + lam * eye(d)) @ u', 'lam', 'S4',
     'gradient', 'denominator', ('lam positive',), 'F'),
    ('trace(inv(X.T @ X) @ A)', 'X', 'S4', 'gradient', 'denominator', (), 'S'),
    ('log(det(A + X.T @ X))', 'X', 'S5', 'gradient', 'denominator', ('A positive definite',), 'F'),
    ('log(det(A + X.T @ X))', 'X', 'S5', 'gradient', 'numerator', ('A positive definite',), 'P'),
    ('log(det(X @ X.T))', 'X', 'S5', 'gradient', 'denominator', (), 'P'),
    ('log(det(X @ X.T))', 'X', 'S5', 'gradient', 'numerator', (), 'P'),
    ('log(det(eye(n) + X @ X.T))', 'X', 'S5', 'gradient', 'denominator', (), 'P'),
    ('log(det(eye(m) + X.T @ X))', 'X', 'S5', 'gradient', 'denominator', (), 'P'),
    ('log(det(X @ A @ X.T))', 'X', 'S5', 'gradient', 'denominator', ('A positive definite',), 'F'),
    ('log(det(S + lam * eye(n)))', 'lam', 'S5',
     'gradient', 'denominator', ('S positive definite', 'lam positive'), 'P'),
    ('log(det(S + lam * eye(n)))', 'S', 'S5',
     'gradient', 'denominator', ('S positive definite', 'lam positive'), 'P'),
    ('log(det(S + lam * eye(n)))', 'lam', 'S5',
     'hessian', 'denominator', ('S positive definite', 'lam positive'), 'P'),
    ('log(det(X @ X.T + lam * eye(n)))', 'X', 'S5',
     'gradient', 'denominator', ('lam positive',), 'P'),
    ('log(det(S @ S))', 'S', 'S5', 'gradient', 'denominator', ('S positive definite',), 'P'),
    ('log(det(S.T @ S))', 'S', 'S5', 'gradient', 'denominator', (), 'P'),
    ('log(det(S) ** 2)', 'S', 'S5', 'gradient', 'denominator', (), 'P'),
    ('log(abs(det(S)))', 'S', 'S5', 'gradient', 'numerator', (), 'P'),
    ('logdet(S)', 'S', 'S5', 'gradient', 'denominator', ('S positive definite',), 'P'),
    ('log(det(A + X.T @ S @ X))', 'X', 'S5',
     'gradient', 'denominator', ('A positive definite', 'S positive definite'), 'F'),
    ('log(det(A + X.T @ S @ X))', 'S', 'S5',
     'gradient', 'denominator', ('A positive definite', 'S positive definite'), 'F'),
    ('log(det(A + diag(x)))', 'x', 'S6',
     'gradient', 'denominator', ('A positive definite', 'x positive'), 'P'),
    ('log(det(A + diag(x)))', 'x', 'S6',
     'hessian', 'denominator', ('A positive definite', 'x positive'), 'P'),
    ('log(det(A + t * B))', 't', 'S6', 'hessian', 'denominator', ('A positive definite',), 'P'),
    ('log(det(A + x @ x.T))', 'x', 'S6', 'gradient', 'denominator', ('A positive definite',), 'F'),
    ('log(det(A + x @ x.T))', 'x', 'S6', 'hessian', 'denominator', ('A positive definite',), 'S'),
    ('x.T @ D @ x', 'x', 'S7', 'gradient', 'denominator', ('D diagonal',), 'P'),
    ('x.T @ D @ x', 'x', 'S7', 'hessian', 'denominator', ('D diagonal',), 'P'),
    ('x.T @ S @ x', 'x', 'S7', 'hessian', 'denominator', ('S symmetric',), 'P'),
    ('x.T @ S @ x / 2 - mu.T @ x', 'x', 'S7',
     'gradient', 'denominator', ('S positive definite',), 'P'),
    ('x.T @ inv(S) @ x', 'x', 'S7', 'gradient', 'denominator', ('S positive definite',), 'P'),
    ('x.T @ inv(S) @ x', 'x', 'S7', 'hessian', 'denominator', ('S positive definite',), 'P'),
    ('x.T @ A.T @ A @ x', 'x', 'S7', 'hessian', 'denominator', (), 'P'),
    ('x.T @ A.T @ A @ x', 'A', 'S7', 'gradient', 'denominator', (), 'F'),
    ('x.T @ diag(w) @ x', 'w', 'S7', 'gradient', 'denominator', (), 'P'),
    ('x.T @ diag(w) @ x', 'x', 'S7', 'gradient', 'denominator', (), 'P'),
    ('x.T @ diag(w) @ x', 'x', 'S7', 'hessian', 'denominator', (), 'P'),
    ('(x - mu).T @ P @ (x - mu)', 'mu', 'S7',
     'gradient', 'denominator', ('P positive definite',), 'P'),
    ('(x - mu).T @ P @ (x - mu)', 'mu', 'S7',
     'gradient', 'numerator', ('P positive definite',), 'S'),
    ('(x - mu).T @ P @ (x - mu)', 'P', 'S7',
     'gradient', 'denominator', ('P positive definite',), 'P'),
    ('(x - mu).T @ P @ (x - mu)', 'mu', 'S7',
     'hessian', 'denominator', ('P positive definite',), 'P'),
    ('x.T @ A @ x', 'x', 'S7', 'gradient', 'denominator', ('A orthogonal',), 'P'),
    ('x.T @ (A + A.T) @ x / 2', 'x', 'S7', 'gradient', 'denominator', (), 'P'),
    ('x.T @ A @ x + w.T @ x', 'x', 'S7', 'hessian', 'denominator', (), 'P'),
    ('(x.T @ A @ x) ** 2', 'x', 'S7', 'gradient', 'denominator', (), 'S'),
    ('(x.T @ A @ x) ** 2', 'x', 'S7', 'hessian', 'denominator', (), 'S'),
    ('x.T @ D @ x', 'D', 'S7', 'gradient', 'denominator', ('D diagonal',), 'P'),
    ('x.T @ (A @ D @ A.T) @ x', 'D', 'S7', 'gradient', 'denominator', ('D diagonal',), 'P'),
    ('x.T @ A @ w', 'A', 'S7', 'gradient', 'numerator', (), 'P'),
    ('sqrt(x.T @ S @ x)', 'x', 'S7', 'gradient', 'denominator', ('S positive definite',), 'P'),
    ('sqrt(x.T @ S @ x)', 'x', 'S7', 'hessian', 'denominator', ('S positive definite',), 'S'),
    ('sqrt((x - mu).T @ inv(S) @ (x - mu))', 'x', 'S8',
     'gradient', 'denominator', ('S positive definite',), 'S'),
    ('(x - mu).T @ inv(S) @ (x - mu)', 'x', 'S8',
     'gradient', 'denominator', ('S positive definite',), 'F'),
    ('sqrt((x - mu).T @ inv(S) @ (x - mu))', 'mu', 'S8',
     'gradient', 'denominator', ('S positive definite',), 'S'),
    ('(x - mu).T @ inv(S) @ (x - mu)', 'mu', 'S8',
     'gradient', 'denominator', ('S positive definite',), 'P'),
    ('sqrt((x - mu).T @ inv(S) @ (x - mu))', 'S', 'S8',
     'gradient', 'denominator', ('S positive definite',), 'S'),
    ('(x - mu).T @ inv(S) @ (x - mu)', 'S', 'S8',
     'gradient', 'denominator', ('S positive definite',), 'S'),
    ('(x - mu).T @ inv(S) @ (x - mu)', 'S', 'S8',
     'gradient', 'numerator', ('S positive definite',), 'S'),
    ('(x - mu).T @ inv(L @ L.T) @ (x - mu)', 'L', 'S8', 'gradient', 'denominator', (), 'S'),
    ('(x - mu).T @ inv(L @ L.T) @ (x - mu)', 'x', 'S8', 'gradient', 'denominator', (), 'P'),
    ('norm(inv(L) @ (x - mu)) ** 2', 'L', 'S8', 'gradient', 'denominator', (), 'S'),
    ('norm(L.T @ (x - mu))', 'x', 'S8', 'gradient', 'denominator', (), 'S'),
    ('(x - mu).T @ P @ (x - mu)', 'x', 'S8',
     'hessian', 'denominator', ('P positive definite',), 'P'),
    ('sqrt((x - mu).T @ inv(S) @ (x - mu))', 'x', 'S8',
     'hessian', 'denominator', ('S positive definite',), 'S'),
    ('log(det(S)) / 2 + (x - mu).T @ inv(S) @ (x - mu) / 2', 'mu', 'S9',
     'gradient', 'denominator', ('S positive definite',), 'P'),
    ('log(det(S)) / 2 + (x - mu).T @ inv(S) @ (x - mu) / 2', 'mu', 'S9',
     'gradient', 'numerator', ('S positive definite',), 'P'),
    ('log(det(S)) / 2 + (x - mu).T @ inv(S) @ (x - mu) / 2', 'S', 'S9',
     'gradient', 'denominator', ('S positive definite',), 'S'),
    ('log(det(S)) / 2 + (x - mu).T @ inv(S) @ (x - mu) / 2', 'S', 'S9',
     'gradient', 'numerator', ('S positive definite',), 'S'),
    ('log(det(S)) / 2 + (x - mu).T @ inv(S) @ (x - mu) / 2', 'x', 'S9',
     'gradient', 'denominator', ('S positive definite',), 'P'),
    ('log(det(S)) / 2 + (x - mu).T @ inv(S) @ (x - mu) / 2', 'mu', 'S9',
     'hessian', 'denominator', ('S positive definite',), 'P'),
    ('log(det(P)) / 2 - (x - mu).T @ P @ (x - mu) / 2', 'P', 'S9',
     'gradient', 'denominator', ('P positive definite',), 'S'),
    ('log(det(P)) / 2 - (x - mu).T @ P @ (x - mu) / 2', 'mu', 'S9',
     'gradient', 'denominator', ('P positive definite',), 'P'),
    ('log(det(P)) / 2 - (x - mu).T @ P @ (x - mu) / 2', 'x', 'S9',
     'hessian', 'denominator', ('P positive definite',), 'P'),
    ('N * log(det(S)) / 2 + trace(inv(S) @ (X - ones(N) @ mu.T).T @ (X - ones(N) @'
     ' mu.T)) / 2', 'mu', 'S9',
     'gradient', 'denominator', ('S positive definite',), 'F'),
    ('N * log(det(S)) / 2 + trace(inv(S) @ (X - ones(N) @ mu.T).T @ (X - ones(N) @'
     ' mu.T)) / 2', 'S', 'S9',
     'gradient', 'denominator', ('S positive definite',), 'S'),
    ('-N * log(det(P)) / 2 + trace((X - ones(N) @ mu.T) @ P @ (X - ones(N) @ mu.T).T)'
     ' / 2', 'P', 'S9',
     'gradient', 'denominator', ('P positive definite',), 'S'),
    ('-N * log(det(P)) / 2 + trace((X - ones(N) @ mu.T) @ P @ (X - ones(N) @ mu.T).T)'
     ' / 2', 'mu', 'S9',
     'gradient', 'denominator', ('P positive definite',), 'F'),
    ('-N * log(det(P)) / 2 + trace((X - ones(N) @ mu.T) @ P @ (X - ones(N) @ mu.T).T)'
     ' / 2', 'mu', 'S9',
     'hessian', 'denominator', ('P positive definite',), 'P'),
    ('log(det(L @ L.T)) / 2 + (x - mu).T @ inv(L @ L.T) @ (x - mu) / 2', 'L', 'S9',
     'gradient', 'denominator', (), 'S'),
    ('sum(log(diag(L) ** 2)) / 2 + norm(inv(L) @ (x - mu)) ** 2 / 2', 'L', 'S9',
     'gradient', 'denominator', (), 'S'),
    ('sum((X @ P - ones(N) @ mu.T) ** 2)', 'mu', 'S9', 'gradient', 'denominator', (), 'P'),
    ('sum(log(s)) + sum((x - mu) ** 2 / (2 * s ** 2))', 's', 'S10',
     'gradient', 'denominator', ('s positive',), 'S'),
    ('sum(log(s)) + sum((x - mu) ** 2 / (2 * s ** 2))', 'mu', 'S10',
     'gradient', 'denominator', ('s positive',), 'P'),
    ('sum(log(s)) + sum((x - mu) ** 2 / (2 * s ** 2))', 's', 'S10',
     'hessian', 'denominator', ('s positive',), 'S'),
    ('n * log(v) / 2 + norm(x - mu) ** 2 / (2 * v)', 'v', 'S10',
     'gradient', 'denominator', ('v positive',), 'S'),
    ('n * log(v) / 2 + norm(x - mu) ** 2 / (2 * v)', 'v', 'S10',
     'hessian', 'denominator', ('v positive',), 'S'),
    ('sigmoid(W @ x + b)', 'x', 'S11', 'jacobian', 'denominator', (), 'S'),
    ('sigmoid(W @ x + b)', 'x', 'S11', 'jacobian', 'numerator', (), 'P'),
    ('sigmoid(W @ x + b)', 'b', 'S11', 'jacobian', 'denominator', (), 'S'),
    ('u.T @ sigmoid(W @ x + b)', 'W', 'S11', 'gradient', 'denominator', (), 'S'),
    ('u.T @ sigmoid(W @ x + b)', 'W', 'S11', 'gradient', 'numerator', (), 'S'),
    ('u.T @ sigmoid(W @ x + b)', 'b', 'S11', 'gradient', 'denominator', (), 'S'),
    ('u.T @ sigmoid(W @ x + b)', 'x', 'S11', 'hessian', 'denominator', (), 'S'),
    ('tanh(W @ x + b)', 'x', 'S11', 'jacobian', 'denominator', (), 'S'),
    ('tanh(W @ x + b)', 'x', 'S11', 'jacobian', 'numerator', (), 'S'),
    ('tanh(W @ x + b)', 'b', 'S11', 'jacobian', 'denominator', (), 'S'),
    ('u.T @ tanh(W @ x + b)', 'W', 'S11', 'gradient', 'denominator', (), 'P'),
    ('u.T @ tanh(W @ x + b)', 'W', 'S11', 'gradient', 'numerator', (), 'S'),
    ('u.T @ tanh(W @ x + b)', 'b', 'S11', 'gradient', 'denominator', (), 'P'),
    ('u.T @ tanh(W @ x + b)', 'x', 'S11', 'hessian', 'denominator', (), 'S'),
    ('relu(W @ x + b)', 'x', 'S11', 'jacobian', 'denominator', (), 'P'),
    ('softmax(W @ x)', 'x', 'S11', 'jacobian', 'denominator', (), 'P'),
    ('softmax(W @ x)', 'x', 'S11', 'jacobian', 'numerator', (), 'P'),
    ('softmax(W @ x + b)', 'b', 'S11', 'jacobian', 'denominator', (), 'P'),
    ('log_softmax(W @ x)', 'x', 'S11', 'jacobian', 'denominator', (), 'P'),
    ('(W @ x) * sigmoid(V @ x)', 'x', 'S11', 'jacobian', 'denominator', (), 'S'),
    ('u.T @ ((W @ x) * sigmoid(V @ x))', 'W', 'S11', 'gradient', 'denominator', (), 'P'),
    ('u.T @ ((W @ x) * sigmoid(V @ x))', 'V', 'S11', 'gradient', 'denominator', (), 'S'),
    ('x * sigmoid(x)', 'x', 'S11', 'jacobian', 'denominator', (), 'S'),
    ('log(1 + exp(x))', 'x', 'S11', 'jacobian', 'denominator', (), 'P'),
    ('x + tanh(V.T @ tanh(V @ x))', 'x', 'S11', 'jacobian', 'denominator', (), 'S'),
    ('norm(sigmoid(W @ x + b) - y) ** 2 / 2', 'W', 'S11', 'gradient', 'denominator', (), 'S'),
    ('norm(sigmoid(W @ x + b) - y) ** 2 / 2', 'b', 'S11', 'gradient', 'denominator', (), 'S'),
    ('norm(tanh(W @ x) - y) ** 2', 'x', 'S11', 'hessian', 'denominator', (), 'S'),
    ('(x - mean(x)) / sqrt(var(x) + eps)', 'x', 'S12',
     'jacobian', 'denominator', ('eps positive',), 'S'),
    ('(x - mean(x)) / sqrt(var(x) + eps)', 'x', 'S12',
     'jacobian', 'numerator', ('eps positive',), 'S'),
    ('r.T @ ((x - mean(x)) / sqrt(var(x) + eps))', 'x', 'S12',
     'gradient', 'denominator', ('eps positive',), 'S'),
    ('r.T @ (g * (x - mean(x)) / sqrt(var(x) + eps) + c)', 'g', 'S12',
     'gradient', 'denominator', ('eps positive',), 'S'),
    ('r.T @ (g * (x - mean(x)) / sqrt(var(x) + eps) + c)', 'c', 'S12',
     'gradient', 'denominator', ('eps positive',), 'P'),
    ('r.T @ (g * (x - mean(x)) / sqrt(var(x) + eps) + c)', 'eps', 'S12',
     'gradient', 'denominator', ('eps positive',), 'S'),
    ('x - mean(x)', 'x', 'S12', 'jacobian', 'denominator', (), 'S'),
    ('(x - mean(x)) / sqrt(mean((x - mean(x)) ** 2) + eps)', 'x', 'S12',
     'jacobian', 'denominator', ('eps positive',), 'S'),
    ('x / sqrt(mean(x ** 2) + eps)', 'x', 'S12', 'jacobian', 'denominator', ('eps positive',), 'S'),
    ('r.T @ (g * x / sqrt(mean(x ** 2) + eps))', 'g', 'S12',
     'gradient', 'denominator', ('eps positive',), 'S'),
    ('sum(G * (softmax(Q @ K.T / sqrt(d)) @ V))', 'Q', 'S13', 'gradient', 'denominator', (), 'S'),
    ('norm(softmax(Q @ K.T / sqrt(d)) @ V - G) ** 2 / 2', 'Q', 'S13',
     'gradient', 'denominator', (), 'S'),
    ('sum(G * (softmax(Q @ K.T / sqrt(d)) @ V))', 'K', 'S13', 'gradient', 'denominator', (), 'S'),
    ('sum(G * (softmax(Q @ K.T / sqrt(d)) @ V))', 'K', 'S13', 'gradient', 'numerator', (), 'S'),
    ('norm(softmax(Q @ K.T / sqrt(d)) @ V - G) ** 2 / 2', 'K', 'S13',
     'gradient', 'denominator', (), 'S'),
    ('sum(G * (softmax(Q @ K.T / sqrt(d)) @ V))', 'V', 'S13', 'gradient', 'denominator', (), 'F'),
    ('norm(softmax(Q @ K.T / sqrt(d)) @ V - G) ** 2 / 2', 'V', 'S13',
     'gradient', 'denominator', (), 'F'),
    ('sum(G * (softmax(Q @ K.T / T) @ V))', 'T', 'S13',
     'gradient', 'denominator', ('T positive',), 'S'),
    ('sum(softmax(Q @ K.T / sqrt(d)))', 'Q', 'S13', 'gradient', 'denominator', (), 'F'),
    ('sum(log(softmax(Q @ K.T / sqrt(d))) * (ones(n, k) @ V.T))', 'Q', 'S13',
     'gradient', 'denominator', (), 'S'),
    ('sum(sigmoid(X @ W + ones(N) @ b.T) * Y)', 'W', 'S14', 'gradient', 'denominator', (), 'S'),
    ('sum(sigmoid(X @ W + ones(N) @ b.T) * Y)', 'W', 'S14', 'gradient', 'numerator', (), 'S'),
    ('sum(sigmoid(X @ W + ones(N) @ b.T) * Y)', 'b', 'S14', 'gradient', 'denominator', (), 'S'),
    ('norm(tanh(X @ W) - Y) ** 2 / 2', 'W', 'S14', 'gradient', 'denominator', (), 'S'),
    ('norm(relu(X @ W) @ w) ** 2 / 2', 'W', 'S14', 'gradient', 'denominator', (), 'F'),
    ('-sum(Y * log_softmax(X @ W))', 'W', 'S14', 'gradient', 'denominator', ('Y one-hot',), 'F'),
    ('-sum(Y * log_softmax(X @ W))', 'W', 'S14', 'gradient', 'denominator', (), 'P'),
    ('-sum(Y * log(softmax(X @ W + ones(N) @ b.T)))', 'b', 'S14',
     'gradient', 'denominator', (), 'F'),
    ('sum(logsumexp(X @ W, axis=1))', 'W', 'S14', 'gradient', 'denominator', (), 'P'),
    ('u.T @ tanh(W @ h0 + U @ x)', 'W', 'S15', 'gradient', 'denominator', (), 'S'),
    ('u.T @ tanh(W @ tanh(W @ h0 + U @ x) + U @ x)', 'W', 'S15',
     'gradient', 'denominator', (), 'S'),
    ('u.T @ tanh(W @ tanh(W @ h0 + U @ x) + U @ x)', 'U', 'S15',
     'gradient', 'denominator', (), 'S'),
    ('tanh(W @ h0 + U @ x)', 'h0', 'S15', 'jacobian', 'denominator', (), 'S'),
    ('tanh(W @ tanh(W @ h0 + U @ x) + U @ x)', 'h0', 'S15', 'jacobian', 'denominator', (), 'S'),
    ('-y.T @ log(softmax(z))', 'z', 'S16', 'gradient', 'denominator', (), 'P'),
    ('-y.T @ log(softmax(z))', 'z', 'S16', 'gradient', 'numerator', (), 'P'),
    ('-y.T @ log(softmax(z))', 'z', 'S16', 'hessian', 'denominator', ('y sums to 1',), 'F'),
    ('-y.T @ log(softmax(z))', 'z', 'S16', 'hessian', 'denominator', (), 'F'),
    ('-y.T @ log_softmax(z / T)', 'z', 'S16',
     'gradient', 'denominator', ('y sums to 1', 'T positive'), 'S'),
    ('-y.T @ log_softmax(z / T)', 'T', 'S16',
     'gradient', 'denominator', ('y sums to 1', 'T positive'), 'P'),
    ('-log(softmax(z)[c])', 'z', 'S16', 'gradient', 'denominator', (), 'P'),
    ('logsumexp(z) - z[c]', 'z', 'S16', 'hessian', 'denominator', (), 'F'),
    ('-(1 - lam) * log(softmax(z)[c]) - lam * mean(log_softmax(z))', 'z', 'S16',
     'gradient', 'denominator', ('lam in (0, 1)',), 'S'),
    ('sum(p * log(p / q))', 'q', 'S16',
     'gradient', 'denominator', ('p positive', 'q positive'), 'P'),
    ('sum(p * log(p / q))', 'p', 'S16',
     'gradient', 'denominator', ('p positive', 'q positive'), 'P'),
    ('sum(p * log(p / q))', 'p', 'S16',
     'hessian', 'denominator', ('p positive', 'q positive'), 'S'),
    ('sum(p * (log(p) - log_softmax(z)))', 'z', 'S16',
     'gradient', 'denominator', ('p sums to 1', 'p positive'), 'P'),
    ('sum(softmax(z) * (log_softmax(z) - log(p)))', 'z', 'S16',
     'gradient', 'denominator', ('p positive',), 'S'),
    ('-sum(p * log(p))', 'p', 'S16', 'hessian', 'denominator', ('p positive',), 'S'),
    ('-sum(softmax(z) * log_softmax(z))', 'z', 'S16', 'gradient', 'denominator', (), 'P'),
    ('norm(softmax(z) - y) ** 2', 'z', 'S16', 'gradient', 'denominator', (), 'S'),
    ('1 - softmax(z)[c]', 'z', 'S16', 'gradient', 'denominator', (), 'S'),
    ('sum(log(1 + exp(-y * (X @ w))))', 'w', 'S17',
     'gradient', 'denominator', ('y positive',), 'P'),
    ('sum(log(1 + exp(-y * (X @ w))))', 'w', 'S17', 'gradient', 'numerator', ('y positive',), 'P'),
    ('sum(log(1 + exp(-y * (X @ w))))', 'w', 'S17', 'hessian', 'denominator', (), 'S'),
    ('log(1 + exp(-t * (w.T @ x)))', 'w', 'S17', 'gradient', 'denominator', (), 'P'),
    ('log(1 + exp(-t * (w.T @ x)))', 'w', 'S17', 'hessian', 'denominator', (), 'S'),
    ('sum(log(1 + exp(X @ w)) - y * (X @ w))', 'w', 'S17', 'hessian', 'denominator', (), 'S'),
    ('sum(log(1 + exp(X @ w + b)) - y * (X @ w + b))', 'b', 'S17',
     'gradient', 'denominator', (), 'P'),
    ('-sum(y * log(sigmoid(X @ w)) + (1 - y) * log(sigmoid(-(X @ w))))', 'w', 'S17',
     'gradient', 'denominator', ('y binary',), 'S'),
    ('sum(exp(X @ w) - y * (X @ w))', 'w', 'S17', 'gradient', 'denominator', (), 'S'),
    ('sum(exp(X @ w) - y * (X @ w))', 'w', 'S17', 'hessian', 'denominator', (), 'P'),
    ('sum(sqrt(1 + (X @ w - y) ** 2) - 1)', 'w', 'S17', 'gradient', 'denominator', (), 'S'),
    ('sum(sqrt(1 + (X @ w - y) ** 2) - 1)', 'w', 'S17', 'hessian', 'denominator', (), 'S'),
    ('sum(log((exp(X @ w - y) + exp(y - X @ w)) / 2))', 'w', 'S17',
     'gradient', 'denominator', (), 'S'),
    ('sum(log((exp(X @ w - y) + exp(y - X @ w)) / 2))', 'w', 'S17',
     'hessian', 'denominator', (), 'S'),
    ('mean((X @ w - y) ** 2)', 'w', 'S17', 'gradient', 'denominator', (), 'S'),
    ('mean((X @ w - y) ** 2)', 'w', 'S17', 'gradient', 'numerator', (), 'S'),
    ('mean((X @ w - y) ** 2)', 'w', 'S17', 'hessian', 'denominator', (), 'S'),
    ('norm(X @ w - y) ** 2 / 2 + lam * norm(w) ** 2 / 2 + t * sum(sqrt(w ** 2 + 1))', 'w', 'S17',
     'gradient', 'denominator', ('lam positive', 't positive'), 'S'),
    ('(X @ w - y).T @ diag(y) @ (X @ w - y)', 'w', 'S17',
     'gradient', 'denominator', ('y positive',), 'S'),
    ('w.T @ x / (norm(w) * norm(x))', 'w', 'S17', 'gradient', 'denominator', (), 'S'),
    ('w.T @ x / (norm(w) * norm(x))', 'w', 'S17', 'hessian', 'denominator', (), 'S'),
    ('sum(relu(1 - y * (X @ w)) ** 2)', 'w', 'S17', 'gradient', 'denominator', (), 'S'),
    ('sum(sigmoid(X @ w) * (1 - sigmoid(X @ w)))', 'w', 'S17', 'gradient', 'denominator', (), 'S'),
    ('norm(X @ w - y)', 'w', 'S17', 'gradient', 'denominator', (), 'S'),
    ('norm(X @ w - y)', 'w', 'S17', 'hessian', 'denominator', (), 'S'),
    ('(trace(inv(S2) @ S1) + (m2 - m1).T @ inv(S2) @ (m2 - m1) - n + log(det(S2) /'
     ' det(S1))) / 2', 'm1', 'S18',
     'gradient', 'denominator', ('S1 positive definite', 'S2 positive definite'), 'F'),
    ('(trace(inv(S2) @ S1) + (m2 - m1).T @ inv(S2) @ (m2 - m1) - n + log(det(S2) /'
     ' det(S1))) / 2', 'm2', 'S18',
     'gradient', 'denominator', ('S1 positive definite', 'S2 positive definite'), 'P'),
    ('(trace(inv(S2) @ S1) + (m2 - m1).T @ inv(S2) @ (m2 - m1) - n + log(det(S2) /'
     ' det(S1))) / 2', 'S1', 'S18',
     'gradient', 'denominator', ('S1 positive definite', 'S2 positive definite'), 'P'),
    ('(trace(inv(S2) @ S1) + (m2 - m1).T @ inv(S2) @ (m2 - m1) - n + log(det(S2) /'
     ' det(S1))) / 2', 'S2', 'S18',
     'gradient', 'denominator', ('S1 positive definite', 'S2 positive definite'), 'S'),
    ('(trace(inv(S2) @ S1) + (m2 - m1).T @ inv(S2) @ (m2 - m1) - n + log(det(S2) /'
     ' det(S1))) / 2', 'm1', 'S18',
     'hessian', 'denominator', ('S1 positive definite', 'S2 positive definite'), 'P'),
    ('(trace(S1) + m1.T @ m1 - n - log(det(S1))) / 2', 'S1', 'S18',
     'gradient', 'denominator', ('S1 positive definite',), 'P'),
    ('(trace(S1) + m1.T @ m1 - n - log(det(S1))) / 2', 'm1', 'S18',
     'gradient', 'denominator', ('S1 positive definite',), 'P'),
    ('sum(s ** 2 + m ** 2 - 1 - log(s ** 2)) / 2', 's', 'S19',
     'gradient', 'denominator', ('s positive',), 'P'),
    ('sum(exp(lv) + m ** 2 - 1 - lv) / 2', 'lv', 'S19', 'gradient', 'denominator', (), 'S'),
    ('sum(exp(lv) + m ** 2 - 1 - lv) / 2', 'lv', 'S19', 'hessian', 'denominator', (), 'P'),
    ('sum(s ** 2 + m ** 2 - 1 - log(s ** 2)) / 2', 's', 'S19',
     'hessian', 'denominator', ('s positive',), 'P'),
    ('logsumexp(x)', 'x', 'S20', 'hessian', 'denominator', (), 'P'),
    ('logsumexp(A @ x)', 'x', 'S20', 'hessian', 'denominator', (), 'P'),
    ('logsumexp(M @ x + c)', 'x', 'S20', 'hessian', 'denominator', (), 'F'),
    ('norm(x)', 'x', 'S20', 'hessian', 'denominator', (), 'P'),
    ('norm(x) ** 2', 'x', 'S20', 'hessian', 'denominator', (), 'P'),
    ('norm(x) ** 3', 'x', 'S20', 'hessian', 'denominator', (), 'P'),
    ('sqrt(1 + norm(x) ** 2)', 'x', 'S20', 'hessian', 'denominator', (), 'S'),
    ('x.T @ A @ x / (x.T @ x)', 'x', 'S20', 'gradient', 'denominator', (), 'S'),
    ('x.T @ A @ x / (x.T @ x)', 'x', 'S20', 'gradient', 'denominator', ('A symmetric',), 'S'),
    ('x.T @ A @ x / (x.T @ x)', 'x', 'S20', 'hessian', 'denominator', ('A symmetric',), 'S'),
    ('log(x.T @ S @ x)', 'x', 'S20', 'hessian', 'denominator', ('S positive definite',), 'S'),
    ('exp(a.T @ x)', 'x', 'S20', 'hessian', 'denominator', (), 'P'),
    ('sum(exp(x))', 'x', 'S20', 'hessian', 'denominator', (), 'P'),
    ('-sum(log(x))', 'x', 'S20', 'hessian', 'denominator', ('x positive',), 'F'),
    ('-sum(log(c - M @ x))', 'x', 'S20', 'gradient', 'denominator', ('c positive',), 'P'),
    ('-sum(log(c - M @ x))', 'x', 'S20', 'hessian', 'denominator', ('c positive',), 'P'),
    ('x.T @ inv(A) @ x', 'x', 'S20', 'hessian', 'denominator', (), 'P'),
    ('sum(sigmoid(x))', 'x', 'S20', 'hessian', 'denominator', (), 'S'),
    ('sum(log(1 + exp(M @ x)))', 'x', 'S20', 'hessian', 'denominator', (), 'F'),
    ('norm(M @ x - c) ** 2 / 2', 'x', 'S20', 'hessian', 'denominator', (), 'P'),
    ('(a.T @ x) * (b.T @ x)', 'x', 'S20', 'hessian', 'denominator', (), 'P'),
    ('(a.T @ x) / (b.T @ x)', 'x', 'S20',
     'hessian', 'denominator', ('a positive', 'b positive', 'x positive'), 'S'),
    ('sum(x ** 4) / 4', 'x', 'S20', 'hessian', 'denominator', (), 'P'),
    ('sum(tanh(x)) * sum(x)', 'x', 'S20', 'hessian', 'denominator', (), 'S'),
    ('log(sum(exp(x)))', 'x', 'S20', 'hessian', 'denominator', (), 'S'),
    ('logsumexp(x) * logsumexp(x)', 'x', 'S20', 'hessian', 'denominator', (), 'S'),
    ('x.T @ diag(exp(x)) @ x', 'x', 'S20', 'hessian', 'denominator', (), 'S'),
    ('norm(x - a) * norm(x - b)', 'x', 'S20', 'hessian', 'denominator', (), 'S'),
    ('softmax(z)', 'z', 'S21', 'jacobian', 'denominator', (), 'P'),
    ('softmax(z)', 'z', 'S21', 'jacobian', 'numerator', (), 'P'),
    ('softmax(z / t)', 'z', 'S21', 'jacobian', 'denominator', ('t positive',), 'S'),
    ('softmax(z / t)', 't', 'S21', 'jacobian', 'denominator', ('t positive',), 'S'),
    ('log_softmax(z)', 'z', 'S21', 'jacobian', 'denominator', (), 'P'),
    ('log_softmax(z)', 'z', 'S21', 'jacobian', 'numerator', (), 'P'),
    ('x / norm(x)', 'x', 'S21', 'jacobian', 'denominator', (), 'S'),
    ('x / norm(x)', 'x', 'S21', 'jacobian', 'numerator', (), 'P'),
    ('x / sqrt(x.T @ x + eps)', 'x', 'S21', 'jacobian', 'denominator', ('eps positive',), 'S'),
    ('A @ x / norm(A @ x)', 'x', 'S21', 'jacobian', 'denominator', (), 'S'),
    ('A @ tanh(x)', 'x', 'S21', 'jacobian', 'denominator', (), 'S'),
    ('A @ tanh(x)', 'x', 'S21', 'jacobian', 'numerator', (), 'S'),
    ('x * a', 'x', 'S21', 'jacobian', 'denominator', (), 'P'),
    ('x * x', 'x', 'S21', 'jacobian', 'denominator', (), 'P'),
    ('exp(x) / sum(exp(x))', 'x', 'S21', 'jacobian', 'denominator', (), 'S'),
    ('sigmoid(x)', 'x', 'S21', 'jacobian', 'denominator', (), 'P'),
    ('(x.T @ x) * x', 'x', 'S21', 'jacobian', 'denominator', (), 'P'),
    ('norm(x) * x', 'x', 'S21', 'jacobian', 'denominator', (), 'P'),
    ('inv(B + diag(x)) @ b', 'x', 'S21',
     'jacobian', 'denominator', ('B positive definite', 'x positive'), 'P'),
    ('A @ x / (a.T @ x)', 'x', 'S21', 'jacobian', 'denominator', ('a positive', 'x positive'), 'S'),
    ('kron(x, a)', 'x', 'S21', 'jacobian', 'denominator', (), 'P'),
    ('kron(x, x)', 'x', 'S21', 'jacobian', 'denominator', (), 'P'),
    ('x ** 3', 'x', 'S21', 'jacobian', 'denominator', (), 'P'),
    ('relu(x) - relu(-x)', 'x', 'S21', 'jacobian', 'denominator', (), 'P'),
    ('B @ x + (a.T @ x) * b', 'x', 'S21', 'jacobian', 'denominator', (), 'P'),
    ('(a.T @ x) * (b.T @ x) * a', 'x', 'S21', 'jacobian', 'denominator', (), 'P'),
    ('exp(t * x)', 't', 'S21', 'jacobian', 'denominator', (), 'P'),
    ('softmax(A.T @ softmax(A @ x))', 'x', 'S21', 'jacobian', 'denominator', (), 'S'),
    ('x / sum(x)', 'x', 'S21', 'jacobian', 'denominator', ('x positive',), 'P'),
    ('log(x / sum(x))', 'x', 'S21', 'jacobian', 'denominator', ('x positive',), 'P'),
    ('sqrt(x)', 'x', 'S21', 'jacobian', 'denominator', ('x positive',), 'P'),
    ('inv(B) @ x', 'x', 'S21', 'jacobian', 'denominator', (), 'P'),
    ('x - (a.T @ x) * a / (a.T @ a)', 'x', 'S21', 'jacobian', 'denominator', (), 'P'),
    ('t * x', 'x', 'S21', 'jacobian', 'denominator', (), 'P'),
    ('sum(exp(A @ X @ B))', 'X', 'S22', 'gradient', 'denominator', (), 'F'),
    ('sum(exp(A @ X @ B))', 'X', 'S22', 'gradient', 'numerator', (), 'P'),
    ('sum(tanh(X @ W))', 'W', 'S22', 'gradient', 'denominator', (), 'P'),
    ('sum(log(1 + exp(X @ W)))', 'W', 'S22', 'gradient', 'denominator', (), 'P'),
    ('sum((X @ W) ** 2)', 'W', 'S22', 'gradient', 'denominator', (), 'P'),
    ('sum(sigmoid(X @ W) * Y)', 'W', 'S22', 'gradient', 'denominator', (), 'P'),
    ('sum(sigmoid(X @ W) * Y)', 'W', 'S22', 'gradient', 'numerator', (), 'P'),
    ('norm(relu(X @ W)) ** 2', 'W', 'S22', 'gradient', 'denominator', (), 'P'),
    ('sum(exp(X) @ B)', 'X', 'S22', 'gradient', 'denominator', (), 'P'),
    ('sum(C * exp(A @ X @ B))', 'X', 'S22', 'gradient', 'denominator', (), 'P'),
    ('sum(Y * log(sigmoid(X @ W)))', 'W', 'S22', 'gradient', 'denominator', (), 'P'),
    ('sum(tanh(X @ W) * tanh(X @ W))', 'X', 'S22', 'gradient', 'denominator', (), 'S'),
    ('sum(exp(X @ W) / sum(exp(X @ W)))', 'W', 'S22', 'gradient', 'denominator', (), 'P'),
    ('sum(sqrt(1 + (X @ W) ** 2))', 'W', 'S22', 'gradient', 'denominator', (), 'P'),
    ('norm(exp(A @ X) - 1) ** 2', 'X', 'S22', 'gradient', 'denominator', (), 'P'),
    ('trace(A @ tanh(X) @ B @ C.T)', 'X', 'S22', 'gradient', 'denominator', (), 'P'),
    ('sum(X @ W * (X @ W))', 'X', 'S22', 'gradient', 'denominator', (), 'P'),
    ('exp(sum(X @ W))', 'W', 'S22', 'gradient', 'denominator', (), 'P'),
    ('log(sum(exp(X @ W)))', 'W', 'S22', 'gradient', 'denominator', (), 'P'),
    ('sum(log(sigmoid(A @ X)))', 'X', 'S22', 'gradient', 'denominator', (), 'P'),
    ('norm(X @ w - y) ** 2 + lam * norm(w) ** 2', 'lam', 'S23', 'gradient', 'denominator', (), 'P'),
    ('log(det(A + lam * eye(d)))', 'lam', 'S23',
     'gradient', 'denominator', ('A positive definite', 'lam positive'), 'P'),
    ('z.T @ inv(A + lam * eye(d)) @ z', 'lam', 'S23',
     'gradient', 'denominator', ('A positive definite', 'lam positive'), 'P'),
    ('z.T @ inv(A + lam * eye(d)) @ z', 'lam', 'S23',
     'hessian', 'denominator', ('A positive definite', 'lam positive'), 'F'),
    ('logsumexp(z / T)', 'T', 'S23', 'gradient', 'denominator', ('T positive',), 'P'),
    ('T * logsumexp(z / T)', 'T', 'S23', 'gradient', 'denominator', ('T positive',), 'S'),
    ('T * logsumexp(z / T)', 'T', 'S23', 'hessian', 'denominator', ('T positive',), 'S'),
    ('sum(sigmoid(a * (X @ w)))', 'a', 'S23', 'gradient', 'denominator', (), 'P'),
    ('exp(-g * norm(x - v) ** 2)', 'g', 'S23', 'gradient', 'denominator', (), 'P'),
    ('exp(-g * norm(x - v) ** 2)', 'x', 'S23', 'gradient', 'denominator', (), 'P'),
    ('exp(-g * norm(x - v) ** 2)', 'x', 'S23', 'hessian', 'denominator', (), 'S'),
    ('u.T @ inv(K + s * eye(N)) @ u / 2 + log(det(K + s * eye(N))) / 2', 's', 'S23',
     'gradient', 'denominator', ('K positive definite', 's positive'), 'P'),
    ('u.T @ inv(K + s * eye(N)) @ u / 2 + log(det(K + s * eye(N))) / 2', 'K', 'S23',
     'gradient', 'denominator', ('K positive definite', 's positive'), 'P'),
    ('(w - a * z).T @ A @ (w - a * z)', 'a', 'S23', 'gradient', 'denominator', (), 'P'),
    ('(w - a * z).T @ A @ (w - a * z)', 'a', 'S23', 'hessian', 'denominator', (), 'P'),
    ('norm(X @ (w - a * z) - y) ** 2 / 2', 'a', 'S23', 'gradient', 'denominator', (), 'P'),
    ('-y.T @ log_softmax(T * (X @ w))', 'T', 'S23', 'gradient', 'denominator', (), 'P'),
    ('trace(inv(A + lam * eye(d)) @ A)', 'lam', 'S23',
     'gradient', 'denominator', ('A positive definite', 'lam positive'), 'P'),
    ('sum(log(1 + exp(-a * y)))', 'a', 'S23', 'gradient', 'denominator', (), 'P'),
    ('norm(X @ w - y) ** 2 / (2 * s) + N * log(s) / 2', 's', 'S23',
     'gradient', 'denominator', ('s positive',), 'S'),
    ('det(A + lam * eye(d))', 'lam', 'S23', 'gradient', 'denominator', (), 'P'),
    ('det(A + lam * eye(d))', 'lam', 'S23', 'hessian', 'denominator', (), 'P'),
    ('vec(X).T @ kron(A, B) @ vec(X)', 'X', 'S24', 'gradient', 'denominator', (), 'P'),
    ('norm(kron(A, B) @ vec(X) - vec(C)) ** 2', 'X', 'S24', 'gradient', 'denominator', (), 'P'),
    ('norm(kron(Q.T, P) @ vec(X)) ** 2', 'X', 'S24', 'gradient', 'denominator', (), 'P'),
    ('vec(C).T @ vec(X)', 'X', 'S24', 'gradient', 'denominator', (), 'P'),
    ('trace(kron(A, X.T @ B @ X))', 'X', 'S24', 'gradient', 'denominator', (), 'P'),
    ('sum(kron(X, C))', 'X', 'S24', 'gradient', 'denominator', (), 'P'),
    ('norm(kron(X, C)) ** 2', 'X', 'S24', 'gradient', 'denominator', (), 'P'),
    ('kron(x, y)', 'x', 'S24', 'jacobian', 'denominator', (), 'P'),
    ('kron(x, y)', 'y', 'S24', 'jacobian', 'denominator', (), 'P'),
    ('kron(B, A) @ kron(x, y)', 'x', 'S24', 'jacobian', 'denominator', (), 'P'),
    ('kron(x, y).T @ kron(x, y)', 'x', 'S24', 'gradient', 'denominator', (), 'P'),
    ('vec(x @ y.T).T @ vec(C)', 'x', 'S24', 'gradient', 'denominator', (), 'P'),
    ('vec(X) .T @ vec(X)', 'X', 'S24', 'gradient', 'denominator', (), 'P'),
    ('X.T @ x', 'x', 'S25', 'jacobian', 'denominator', (), 'P'),
    ('x.T @ A @ x', 'y', 'S25', 'gradient', 'denominator', (), 'P'),
    ('trace(A)', 'X', 'S25', 'gradient', 'denominator', (), 'P'),
    ('sum(x)', 't', 'S25', 'gradient', 'denominator', (), 'P'),
    ('A @ x', 'y', 'S25', 'jacobian', 'denominator', (), 'P'),
    ('x.T @ A @ x', 'X', 'S25', 'gradient', 'numerator', (), 'P'),
    ('x.T @ x', 'y', 'S25', 'hessian', 'denominator', (), 'P'),
    ('trace(X @ X @ X)', 'X', 'S26', 'gradient', 'denominator', ('X symmetric',), 'S'),
    ('trace(A @ X @ B @ X)', 'X', 'S26', 'gradient', 'numerator', ('X symmetric',), 'P'),
    ('log(det(X)) * trace(X)', 'X', 'S26',
     'gradient', 'denominator', ('X symmetric', 'X positive definite'), 'P'),
    ('sum(log(diag(X)))', 'X', 'S26',
     'gradient', 'denominator', ('X symmetric', 'X positive definite'), 'P'),
    ('norm(X @ A) ** 2', 'X', 'S26', 'gradient', 'denominator', ('X symmetric',), 'P'),
    ('trace(inv(X) @ inv(X))', 'X', 'S26', 'gradient', 'denominator', ('X symmetric',), 'P'),
    ('trace(X @ X @ X)', 'X', 'S26', 'gradient', 'denominator', ('X positive definite',), 'P'),
    ('trace(A @ X @ B @ X)', 'X', 'S26', 'gradient', 'numerator', ('X positive definite',), 'P'),
    ('log(det(X)) * trace(X)', 'X', 'S26',
     'gradient', 'denominator', ('X positive definite',), 'P'),
    ('sum(log(diag(X)))', 'X', 'S26', 'gradient', 'denominator', ('X positive definite',), 'P'),
    ('norm(X @ A) ** 2', 'X', 'S26', 'gradient', 'denominator', ('X positive definite',), 'P'),
    ('trace(inv(X) @ inv(X))', 'X', 'S26',
     'gradient', 'denominator', ('X positive definite',), 'P'),
    ('trace(X @ X @ X)', 'X', 'S26', 'gradient', 'denominator', ('X diagonal',), 'P'),
    ('trace(A @ X @ B @ X)', 'X', 'S26', 'gradient', 'numerator', ('X diagonal',), 'P'),
    ('log(det(X)) * trace(X)', 'X', 'S26', 'gradient', 'denominator', ('X diagonal',), 'P'),
    ('sum(log(diag(X)))', 'X', 'S26', 'gradient', 'denominator', ('X diagonal',), 'P'),
    ('norm(X @ A) ** 2', 'X', 'S26', 'gradient', 'denominator', ('X diagonal',), 'P'),
    ('trace(inv(X) @ inv(X))', 'X', 'S26', 'gradient', 'denominator', ('X diagonal',), 'P'),
    ('trace(D @ A)', 'D', 'S26', 'gradient', 'denominator', ('D diagonal',), 'P'),
    ('log(det(D))', 'D', 'S26',
     'gradient', 'denominator', ('D diagonal', 'D positive definite'), 'P'),
    ('x.T @ inv(D) @ x', 'D', 'S26',
     'gradient', 'denominator', ('D diagonal', 'D positive definite'), 'P'),
    ('sum(G * ((X - mean(X, axis=0)) / sqrt(var(X, axis=0) + eps)))', 'X', 'S27',
     'gradient', 'denominator', ('eps positive',), 'S'),
    ('sum(G * (X - mean(X, axis=0)))', 'X', 'S27', 'gradient', 'denominator', (), 'P'),
    ('sum(var(X, axis=0))', 'X', 'S27', 'gradient', 'denominator', (), 'P'),
    ('sum(G * (X / sqrt(mean(X ** 2, axis=1) + eps)))', 'X', 'S27',
     'gradient', 'denominator', ('eps positive',), 'S'),
    ('-sum(Y * log_softmax(X @ W)) + lam * norm(W) ** 2 / 2', 'W', 'S27',
     'gradient', 'denominator', ('lam positive',), 'F'),
    ('-sum(Y * log_softmax(X @ W)) + lam * norm(W) ** 2 / 2', 'lam', 'S27',
     'gradient', 'denominator', ('lam positive',), 'P'),
    ('sum(logsumexp(X @ W, axis=1)) - sum(Y * (X @ W))', 'W', 'S27',
     'gradient', 'denominator', (), 'P'),
    ('norm(X - X @ W @ W.T) ** 2', 'W', 'S27', 'gradient', 'denominator', (), 'S'),
    ('trace(W.T @ X.T @ X @ W)', 'W', 'S27', 'gradient', 'denominator', (), 'P'),
    ('-sum(y * (1 - softmax(z)) ** 2 * log(softmax(z)))', 'z', 'S28',
     'gradient', 'denominator', (), 'S'),
    ('-log(softmax(s * (K @ q))[c])', 'q', 'S28', 'gradient', 'denominator', ('s positive',), 'F'),
    ('-log(softmax(s * (K @ q))[c])', 'K', 'S28', 'gradient', 'denominator', ('s positive',), 'F'),
    ('-log(softmax(s * (K @ q))[c])', 's', 'S28', 'gradient', 'denominator', ('s positive',), 'P'),
    ('-log(softmax(K @ q / norm(q))[c])', 'q', 'S28', 'gradient', 'denominator', (), 'S'),
    ('T * logsumexp(z / T)', 'z', 'S28', 'hessian', 'denominator', ('T positive',), 'P'),
    ('T * logsumexp(z / T)', 'z', 'S28', 'gradient', 'denominator', ('T positive',), 'P'),
    ('-y.T @ log_softmax(z) + s * norm(z) ** 2', 'z', 'S28',
     'hessian', 'denominator', ('y sums to 1',), 'P'),
    ('sum(softmax(z) * y)', 'z', 'S28', 'hessian', 'denominator', (), 'S'),
    ('log(y.T @ softmax(z))', 'z', 'S28', 'gradient', 'denominator', ('y positive',), 'S'),
    ('log(y.T @ softmax(z))', 'z', 'S28', 'hessian', 'denominator', ('y positive',), 'S'),
    ('norm(A @ x - b) ** 2 + lam * norm(L @ x) ** 2', 'x', 'S29',
     'hessian', 'denominator', ('lam positive',), 'P'),
    ('norm(A @ x - b) ** 2 + lam * norm(L @ x) ** 2', 'x', 'S29',
     'gradient', 'denominator', ('lam positive',), 'P'),
    ('norm(A @ x - b) ** 2 + lam * norm(L @ x) ** 2', 'L', 'S29',
     'gradient', 'denominator', ('lam positive',), 'P'),
    ('sum(log(1 + exp(-y * (X @ w)))) + lam * w.T @ w / 2', 'w', 'S29',
     'hessian', 'denominator', ('lam positive',), 'S'),
    ('sum(log(1 + exp(-y * (X @ w)))) + lam * w.T @ w / 2', 'w', 'S29',
     'gradient', 'denominator', ('lam positive',), 'P'),
    ('norm(A @ x - b) ** 2 / (2 * lam) + norm(x) ** 2', 'lam', 'S29',
     'hessian', 'denominator', ('lam positive',), 'P'),
    ('sum(sqrt(x ** 2 + lam))', 'x', 'S29', 'hessian', 'denominator', ('lam positive',), 'S'),
    ('sum(sqrt(x ** 2 + lam))', 'lam', 'S29', 'gradient', 'denominator', ('lam positive',), 'P'),
    ('x / norm(x)', 'x', 'S30', 'jacobian', 'numerator', (), 'P'),
    ('a.T @ x / norm(x)', 'x', 'S30', 'hessian', 'denominator', (), 'S'),
    ('norm(x / norm(x) - a) ** 2', 'x', 'S30', 'gradient', 'denominator', (), 'S'),
    ('u.T @ W @ x / norm(W @ x)', 'W', 'S30', 'gradient', 'denominator', (), 'S'),
    ('norm(W @ x) / norm(x)', 'x', 'S30', 'gradient', 'denominator', (), 'S'),
    ('norm(W @ x) / norm(x)', 'W', 'S30', 'gradient', 'denominator', (), 'P'),
    ('(x / norm(x)).T @ A @ (x / norm(x))', 'x', 'S30', 'gradient', 'denominator', (), 'S'),
    ('exp(t * x) / sum(exp(t * x))', 'x', 'S30', 'jacobian', 'denominator', (), 'S'),
    ('softmax(t * x)', 't', 'S30', 'jacobian', 'denominator', (), 'P'),
    ('x * norm(x) ** 2', 'x', 'S30', 'jacobian', 'numerator', (), 'P'),
    ('trace(X @ X @ X @ X @ X)', 'X', 'S31', 'gradient', 'denominator', (), 'F'),
    ('trace(inv(A @ X) @ B)', 'X', 'S31', 'gradient', 'numerator', (), 'P'),
    ('trace(inv(X @ A @ X))', 'X', 'S31', 'gradient', 'denominator', (), 'F'),
    ('x.T @ inv(X) @ A @ inv(X) @ x', 'X', 'S31', 'gradient', 'denominator', (), 'F'),
    ('det(A @ X) * trace(X)', 'X', 'S31', 'gradient', 'denominator', (), 'P'),
    ('det(X) ** 2', 'X', 'S31', 'gradient', 'denominator', (), 'P'),
    ('log(det(X @ X))', 'X', 'S31', 'gradient', 'denominator', (), 'P'),
    ('trace(X @ inv(A + X))', 'X', 'S31', 'gradient', 'denominator', (), 'P'),
    ('trace(inv(X) @ A) * det(X)', 'X', 'S31', 'gradient', 'denominator', (), 'P'),
    ('norm(inv(X) @ A - B) ** 2', 'X', 'S31', 'gradient', 'denominator', (), 'F'),
    ('trace((X - A) @ (X - A).T)', 'X', 'S31', 'gradient', 'denominator', (), 'P'),
    ('trace((X @ A - B).T @ (X @ A - B))', 'X', 'S31', 'gradient', 'denominator', (), 'P'),
    ('sum(inv(X) * A)', 'X', 'S31', 'gradient', 'denominator', (), 'P'),
    ('sum(exp(X) * A)', 'X', 'S31', 'gradient', 'denominator', (), 'P'),
    ('sum(X @ A * B)', 'X', 'S31', 'gradient', 'denominator', (), 'P'),
    ('trace(A @ X.T @ X)', 'X', 'S31', 'gradient', 'denominator', (), 'P'),
    ('x.T @ (X + X.T) @ x', 'X', 'S31', 'gradient', 'denominator', (), 'P'),
    ('trace(X @ A) * trace(X @ B)', 'X', 'S31', 'gradient', 'numerator', (), 'P'),
    ('log(trace(X @ X.T))', 'X', 'S31', 'gradient', 'denominator', (), 'P'),
    ('sqrt(trace(X.T @ A @ X))', 'X', 'S31',
     'gradient', 'denominator', ('A positive definite',), 'P'),
    ('trace(inv(A + t * B))', 't', 'S32', 'hessian', 'denominator', ('A positive definite',), 'F'),
    ('x.T @ inv(A + t * B) @ x', 't', 'S32',
     'gradient', 'denominator', ('A positive definite',), 'P'),
    ('(A + t * B) @ x', 't', 'S32', 'jacobian', 'denominator', (), 'P'),
    ('exp(t * A) @ x', 't', 'S32', 'jacobian', 'denominator', (), 'P'),
    ('norm(tanh(t * X)) ** 2', 't', 'S32', 'hessian', 'denominator', (), 'S'),
    ('log(det(A + t * (B @ B.T)))', 't', 'S32',
     'gradient', 'denominator', ('A positive definite',), 'P'),
    ('sum(log(1 + exp(t * X)))', 't', 'S32', 'hessian', 'denominator', (), 'P'),
]



def _rows(proof: bool):
    params = []
    for k, row in enumerate(TABLE):
        expr, wrt, symbols, kind, layout, assume, speed = row
        slow = speed == "S" or (proof and (speed != "P" or k % 8))
        params.append(pytest.param(expr, wrt, SYMBOLS[symbols], kind, layout, assume,
                                   id=f"{k}-{kind}-{wrt}",
                                   marks=[pytest.mark.slow] if slow else []))
    return params


@pytest.mark.parametrize("expr, wrt, symbols, kind, layout, assume", _rows(proof=False))
def test_each_answer_is_the_entrywise_derivative(expr, wrt, symbols, kind, layout, assume):
    d = derived(expr, wrt, symbols, kind, layout, assume)
    assert d.form == "closed"
    for seed in (1, 2):
        env = point(symbols, assume, seed, expr)
        want = truth(expr, wrt, env, kind, layout)
        got = value(d.text, env)
        got = got.reshape(want.shape) if got.size == want.size == 1 else got
        assert np.all(np.isfinite(want)), expr
        scale = max(1.0, float(np.max(np.abs(want))))
        assert got.shape == want.shape and np.max(np.abs(got - want)) < 1e-4 * scale, d.text


@pytest.mark.parametrize("expr, wrt, symbols, kind, layout, assume", _rows(proof=True))
def test_each_answer_is_proved(expr, wrt, symbols, kind, layout, assume):
    d = derived(expr, wrt, symbols, kind, layout, assume)
    verdict = prove(d, timeout=60).verdict
    assert verdict.status == "proved", (d.text, verdict.detail)


@pytest.mark.parametrize("kind, expr", [("hessian", "w.T @ A @ w"), ("jacobian", "A @ w")])
def test_a_column_declared_as_a_matrix_is_told_to_be_declared_a_vector(kind, expr):
    # 'w is matrix(n, 1) (for a matrix use the gradient)': w is a column
    with pytest.raises(DeriveError, match=r"declare it w: vector\(n\)"):
        derive(expr, "w", "w: matrix(n, 1), A: matrix(n, n)", kind=kind)


@pytest.mark.parametrize("wrt, kind, want", [
    # √(xᵀS⁻¹x + μᵀS⁻¹μ − 2μᵀS⁻¹x): the distance expanded where EXPR writes it whole
    ("x", "gradient", "inv(S) @ (x - mu) / sqrt((x - mu).T @ inv(S) @ (x - mu))"),
    ("mu", "gradient", "inv(S) @ (mu - x) / sqrt((x - mu).T @ inv(S) @ (x - mu))"),
    ("x", "hessian", "inv(S) / sqrt((x - mu).T @ inv(S) @ (x - mu)) - inv(S) @ (x - mu) @ "
     "(x - mu).T @ inv(S) / ((x - mu).T @ inv(S) @ (x - mu)) ** (3/2)"),
])
def test_a_mahalanobis_distance_reads_as_written(wrt, kind, want):
    expr = "sqrt((x - mu).T @ inv(S) @ (x - mu))"
    symbols, assume = "x: vector(n), mu: vector(n), S: matrix(n, n)", ("S positive definite",)
    d = derive(expr, wrt, symbols, kind=kind, assume=assume)
    assert d.text == want
    env = point(symbols, assume)
    assert np.allclose(value(d.text, env), truth(expr, wrt, env, kind, "denominator"),
                       atol=1e-4)


@pytest.mark.parametrize("expr, wrt, symbols", [
    # the re-check stood down on any index symbol: 'proved at fixed sizes only'
    ("logsumexp(z) - z[c]", "z", "z: vector(C), c: index(C)"),
    ("-log(softmax(W @ x)[c])", "x", "W: matrix(C, n), x: vector(n), c: index(C)"),
])
def test_a_hessian_with_a_class_index_is_proved_for_every_class(expr, wrt, symbols):
    from dataclasses import replace

    d = derive(expr, wrt, symbols, kind="hessian")
    env = point(symbols, ())
    assert np.allclose(value(d.text, env), truth(expr, wrt, env, "hessian", "denominator"),
                       atol=1e-4)
    verdict = prove(d, timeout=30).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")
    extra = "onehot(c, C) @ onehot(c, C).T"  # wrong for one class only
    wrong = replace(d, text=f"{d.text} + " + (extra if wrt == "z" else f"W.T @ {extra} @ W"))
    assert prove(wrong, timeout=30).verdict.status == "refuted"


@pytest.mark.parametrize("expr, wrt, kind, want", [
    # a fixed position was index notation: ∂f/∂W[i, j] = δ(0, j) z[i], and no --emit numpy
    ("W[:, 0].T @ z", "W", "gradient", "z @ onehot(0, n).T"),
    ("W[0, :] @ x", "W", "gradient", "onehot(0, C) @ x.T"),
    ("x[2] ** 2", "x", "gradient", "2 * x[2] * onehot(2, n)"),
    ("z[0] * z[1]", "z", "hessian",
     "onehot(0, C) @ onehot(1, C).T + onehot(1, C) @ onehot(0, C).T"),
])
def test_an_entry_at_a_fixed_position_has_a_closed_form(expr, wrt, kind, want, tmp_path):
    import importlib.util

    from verifier.derive.emit import numpy_module

    symbols = "z: vector(C), W: matrix(C, n), x: vector(n)"
    d = derive(expr, wrt, symbols, kind=kind)
    assert (d.form, d.text) == ("closed", want)
    env = point(symbols, ())
    assert np.allclose(value(d.text, env), truth(expr, wrt, env, kind, "denominator"),
                       atol=1e-4)
    verdict = prove(d, timeout=30).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")
    path = tmp_path / "entry.py"
    path.write_text(numpy_module(d, "test"))
    spec = importlib.util.spec_from_file_location("entry", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    derivative = next(getattr(mod, k) for k in ("grad_f", "hessian_f") if hasattr(mod, k))
    args = {k: env[k] for k in ("z", "W", "x")}
    assert np.allclose(derivative(**args), value(d.text, env))


def test_the_json_report_says_the_expression_does_not_depend_on_the_variable():
    from verifier.report.derive import derive_json

    d = derive("x.T @ A @ x", "y", RF)
    out = derive_json(d, prove(d, timeout=30))
    assert out["result"]["text"] == "zeros(m)"
    assert out["note"] == "x.T @ A @ x does not depend on y"


@pytest.mark.parametrize("assume", [(), ("y binary",)])
def test_cross_entropy_written_with_the_sigmoid_of_a_negative_reads_sigma_minus_y(assume):
    # log σ(−Xw) for log(1 − σ(Xw)): derive printed Xᵀ((1 − σ(−Xw)) ∘ (1 − y) − (1 − σ(Xw)) ∘ y)
    expr = "-sum(y * log(sigmoid(X @ w)) + (1 - y) * log(sigmoid(-(X @ w))))"
    symbols = "X: matrix(N, d), w: vector(d), y: vector(N)"
    d = derive(expr, "w", symbols, assume=assume)
    assert d.text == "X.T @ (sigmoid(X @ w) - y)"
    env = point(symbols, ())
    assert np.allclose(value(d.text, env), truth(expr, "w", env, "gradient", "denominator"),
                       atol=1e-5)
    assert prove(d, timeout=30).verdict.status == "proved"


def test_a_block_matrix_without_a_form_is_refused_on_one_line():
    # the reason held SymPy's repr, 'Matrix([\n[A, B],\n[B, A]])[_k, _k]', over three lines
    with pytest.raises(DeriveError, match=r"block matrices.*each block's contribution") as err:
        derive("sum(block([[A, B], [B, A]]) @ block([[A, B], [B, A]]))", "A",
               "A: matrix(n, n), B: matrix(n, n)")
    assert "\n" not in str(err.value)


def assert_agrees_with_finite_differences(expr: str, wrt: str, symbols: str, kind: str,
                                          layout: str, assume: tuple) -> None:
    """derive's printed answer, read by NumPy, against central differences of EXPR at one
    point satisfying the assumptions (the later rounds' question tables)."""
    d = derived(expr, wrt, symbols, kind, layout, assume)
    env = point(symbols, assume, expr=expr)
    want = truth(expr, wrt, env, kind, layout)
    got = value(d.text, env)
    assert got.shape == want.shape and np.allclose(got, want, atol=1e-5), d.text
