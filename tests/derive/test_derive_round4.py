"""``derive`` on a fifth set of held-out questions (whole models, Gaussians, Jacobians of
vector-valued functions, Hessians, robustness): each test is a question that was slow,
missing or ugly; results are compared with central finite differences of independent NumPy
functions."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from finite_differences import hessian_fd, jacobian_fd

from verifier.claimfile import declare_symbols
from verifier.derive import derive, prove
from verifier.derive.slope import (
    OFFSETS,
    STEP,
    exact_slope,
    numeric_value,
    stencil_slope,
    transcendental_tree,
)

# ----- the re-check along a direction: exp(1/3) and kin in 150-digit arithmetic -----


def test_numeric_slope_agrees_with_the_exact_slope_far_below_the_threshold():
    t = sp.Symbol("t")
    e1, e2 = sp.exp(sp.Rational(1, 3)), sp.exp(sp.Rational(-2, 7))
    f = (e1 + 2 * t) / (e1 + e2 + 3 * t) + (t * e2 - 1) ** 2 / (1 + t**2 * e1)
    exact = exact_slope(f, t)
    assert abs(stencil_slope([f.subs(t, k * STEP) for k in OFFSETS]) - numeric_value(exact)) \
        < 1e-90


def test_a_rational_claim_keeps_the_exact_slope():
    from verifier.language import compile_expression, scope_of

    t = sp.Symbol("t")
    assert exact_slope((1 + t) / (2 - t**2), t) == sp.Rational(1, 2)
    decls = {d.name: d for d in declare_symbols("x: vector(n), A: matrix(n, n)", "t")}
    scope = scope_of(decls, "denominator", ())
    assert not transcendental_tree(compile_expression("x.T @ inv(A) @ x ** 3", scope).tree)
    assert transcendental_tree(compile_expression("sum(tanh(A @ x))", scope).tree)
    assert transcendental_tree(compile_expression("sum(x ** 0.5)", scope).tree)


def test_attention_output_loss_by_the_values_is_proved_in_seconds():
    # the exact re-check at sizes 3 ran SymPy's together/Poly over exp(…) constants for 22 s
    # (60 s and a timeout on a loaded machine); the proof itself takes a second
    d = derive("norm(softmax(Q @ K.T) @ V - G) ** 2 / 2", "V",
               "Q: matrix(n, d), K: matrix(m, d), V: matrix(m, e), G: matrix(n, e)")
    assert d.text == "softmax(Q @ K.T).T @ (softmax(Q @ K.T) @ V - G)"
    verdict = prove(d, timeout=12).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")


def test_the_check_along_a_direction_tells_a_right_gradient_from_a_wrong_one():
    from verifier.claimfile import one_liner
    from verifier.derive import differential
    from verifier.strategies.context import Context

    truth = "(1 - tanh(tanh(x)) ** 2) * (1 - tanh(x) ** 2)"
    slip = "(1 - tanh(tanh(x)) ** 2) * (1 - tanh(x))"
    seen = {}
    for rhs in (truth, slip):
        ctx = Context(one_liner("grad(sum(tanh(tanh(x))), x)", rhs, "x: vector(n)", [],
                                "denominator"))
        values, idx = ctx.sample_point({"n": 3}, 0.0, generic=True)
        seen[rhs] = differential._along(ctx, {"n": 3}, values, idx)
    assert seen == {truth: "agree", slip: "differ"}


def test_deeply_nested_element_wise_functions_are_proved_in_seconds():
    # tanh nested 8 deep: SymPy took 7 s to build tanh(…(t + 1/3)) and a minute to expand
    # it in the check along a direction; derive said 'NOT shown to hold (timeout)'
    expr = "sum(" + "tanh(" * 8 + "x" + ")" * 8 + ")"
    d = derive(expr, "x", "x: vector(n)")
    verdict = prove(d, timeout=60).verdict  # 40 s before; its time: benchmarks/derive_speed.py
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")


# ----- an independent NumPy reading of a derived formula, and finite differences -----


def _softmax(z, axis=None):
    axis = (0 if z.shape[1] == 1 else 1) if axis is None else axis
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _diag(v):
    return np.diag(v.ravel()) if v.shape[1] == 1 else np.diag(v).reshape(-1, 1)


SCOPE = {"softplus": lambda z: np.logaddexp(0, z), "cosh": np.cosh, "sinh": np.sinh,
         "diag": _diag, "exp": np.exp, "log": np.log, "tanh": np.tanh, "eye": np.eye,
         "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "softmax": _softmax, "kron": np.kron,
         "log_softmax": lambda z, axis=None: np.log(_softmax(z, axis)),
         "inv": np.linalg.inv, "det": np.linalg.det, "trace": np.trace, "sqrt": np.sqrt,
         "sum": lambda z, axis=None: z.sum() if axis is None else z.sum(axis=axis,
                                                                         keepdims=True),
         "ones": lambda r, c=1: np.ones((r, c)), "zeros": lambda r, c=1: np.zeros((r, c))}


def value(text: str, env: dict) -> np.ndarray:
    return np.atleast_2d(np.asarray(eval(text, {**SCOPE, **env}), dtype=float))  # noqa: S307


def _env(rng, n=3, m=4):
    return {"x": rng.standard_normal((n, 1)), "a": rng.standard_normal((m, 1)),
            "b": rng.standard_normal((m, 1)), "c": rng.standard_normal((m, 1)),
            "A": rng.standard_normal((m, n)), "B": rng.standard_normal((n, n)),
            "C": rng.standard_normal((n, m)), "D": rng.standard_normal((m, m)), "n": n, "m": m}


# ----- Jacobians: kron of columns, a matrix of x behind another factor -----

KRON = "x: vector(n), b: vector(m), A: matrix(m, n)"
JACOBIANS = [
    # derive said 'no closed matrix form of the jacobian (the Jacobian of Fn kron)'
    ("kron(x, x)", KRON, lambda x, e: np.kron(x, x)),
    ("kron(x, b)", KRON, lambda x, e: np.kron(x, e["b"])),
    ("kron(b, x)", KRON, lambda x, e: np.kron(e["b"], x)),
    ("kron(A @ x, tanh(x))", KRON, lambda x, e: np.kron(e["A"] @ x, np.tanh(x))),
    # derive said 'a matrix factor that depends on the variable behind another (a 3-D array)'
    ("(C * (B @ tanh(x @ a.T))) @ c", "x: vector(n), a: vector(m), c: vector(m), "
     "C: matrix(n, m), B: matrix(n, n)",
     lambda x, e: (e["C"] * (e["B"] @ np.tanh(x @ e["a"].T))) @ e["c"]),
    ("((B @ tanh(x @ a.T)) * tanh(x @ b.T)) @ c", "x: vector(n), a: vector(m), b: vector(m), "
     "c: vector(m), B: matrix(n, n)",
     lambda x, e: ((e["B"] @ np.tanh(x @ e["a"].T)) * np.tanh(x @ e["b"].T)) @ e["c"]),
    ("(C * (B @ exp(x @ a.T) @ D)) @ c", "x: vector(n), a: vector(m), c: vector(m), "
     "C: matrix(n, m), B: matrix(n, n), D: matrix(m, m)",
     lambda x, e: (e["C"] * (e["B"] @ np.exp(x @ e["a"].T) @ e["D"])) @ e["c"]),
]


@pytest.mark.parametrize(("expr", "symbols", "f"), JACOBIANS)
@pytest.mark.parametrize("layout", ["numerator", "denominator"])
def test_jacobian_has_a_closed_form_that_holds(expr, symbols, f, layout):
    d = derive(expr, "x", symbols, kind="jacobian", layout=layout)
    assert d.form == "closed"
    env = _env(np.random.default_rng(11))
    numeric = jacobian_fd(lambda x: f(x, env), env["x"])
    got = value(d.text, env)
    assert np.allclose(got if layout == "numerator" else got.T, numeric, atol=1e-6), d.text


@pytest.mark.parametrize(("expr", "symbols"), [(e, s) for e, s, _ in JACOBIANS[::3]])
def test_jacobian_is_proved(expr, symbols):
    verdict = prove(derive(expr, "x", symbols, kind="jacobian"), timeout=60).verdict
    assert verdict.status == "proved", verdict


def test_an_all_ones_outer_factor_meets_the_column_it_multiplies():
    # (M ∘ 𝟏cᵀ) b = M (c ∘ b): diag(((ones(n) @ c.T) * (B @ tanh(x @ a.T)) * …) @ b) was printed
    d = derive("((B @ tanh(x @ a.T)) * tanh(x @ b.T)) @ c", "x",
               "x: vector(n), a: vector(m), b: vector(m), c: vector(m), B: matrix(n, n)",
               kind="jacobian", layout="numerator")
    assert "ones(n) @" not in d.text, d.text


# ----- Hessians and gradients proved in general dimension (were at fixed sizes) -----


def test_hessian_of_a_two_layer_network_output_is_proved_in_general_dimension():
    # diag(2u) against 2 diag(u), and diag(1 − t) against diag(−t + 1): the words did not meet
    d = derive("v.T @ tanh(W2 @ tanh(W1 @ x))", "x",
               "x: vector(d), W1: matrix(h, d), W2: matrix(k, h), v: vector(k)", kind="hessian")
    verdict = prove(d, timeout=60).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")
    rng = np.random.default_rng(2)
    env = {"x": rng.standard_normal((3, 1)), "W1": rng.standard_normal((4, 3)),
           "W2": rng.standard_normal((2, 4)), "v": rng.standard_normal((2, 1))}
    numeric = hessian_fd(lambda x: (env["v"].T @ np.tanh(env["W2"] @ np.tanh(env["W1"] @ x)))
                         .item(), env["x"])
    assert np.allclose(value(d.text, env), numeric, atol=1e-5), d.text


def test_a_constant_by_a_scalar_is_proved_zero_in_general_dimension():
    d = derive("n * m", "s", "x: vector(n), y: vector(m), s: scalar")
    assert d.text == "0"
    verdict = prove(d, timeout=30).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")


# ----- errors that say what is wrong and what to write -----


def test_an_assumption_that_does_not_read_is_refused_by_derive_itself():
    # derive answered, then the claim it states failed to load: 'error in the catalogue:
    # assume in claim "derive": … syntax error' (or, at HEAD before 7bc0acc, 'undecided')
    from verifier.derive import DeriveError

    with pytest.raises(DeriveError, match=r'--assume "x very positive".*x positive'):
        derive("sum(x)", "x", "x: vector(n)", assume=["x very positive"])


@pytest.mark.parametrize(("expr", "says"), [
    ("sum(x) +", "operand is missing"),  # was only 'syntax error: invalid syntax'
    ("sum(x) @ sum(x) @", "operand is missing"),
    # × was refused as "invalid character '×' (U+00D7)" without a hint; the language reads it
    # as * since its round 18 (845b00e, papers' notation): ⊗ of two scalars is refused
    ("sum(x) ⊗ 2", "write"),
    ("∑(x)", "write"),
])
def test_a_malformed_expression_says_what_to_write(expr, says):
    from verifier.derive import DeriveError

    with pytest.raises(DeriveError, match=says):
        derive(expr, "x", "x: vector(n)")


def test_a_times_sign_reads_as_a_product():
    assert derive("sum(x) × 2", "x", "x: vector(n)").text == "2 * ones(n)"


# ----- a product over an index of positive factors -----

PRODS = [
    # with 'w positive' derive gave Πₖ w[k] / w[j], proved at fixed sizes only
    ("prod(w[i], i)", ("w positive",), lambda w: np.prod(w)),
    ("prod(w[i] ** 2, i)", ("w positive",), lambda w: np.prod(w ** 2)),
    ("prod(2 * w[i] + 1, i)", ("w positive",), lambda w: np.prod(2 * w + 1)),
    ("prod(exp(w[i]), i)", (), lambda w: np.prod(np.exp(w))),
    ("prod(sigmoid(w[i]), i)", (), lambda w: np.prod(1 / (1 + np.exp(-w)))),
]


@pytest.mark.parametrize(("expr", "assume", "f"), PRODS)
def test_product_of_positive_factors_is_proved_in_general_dimension(expr, assume, f):
    d = derive(expr, "w", "w: vector(n), i: index(n)", assume=assume)
    assert d.form == "closed", d.text
    verdict = prove(d, timeout=60).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential"), verdict
    w = np.random.default_rng(4).uniform(0.5, 2.0, (4, 1))
    numeric = jacobian_fd(lambda v: np.array([[f(v)]]), w).T
    assert np.allclose(value(d.text, {"w": w, "n": 4}), numeric, atol=1e-6), d.text


def test_product_of_factors_that_may_be_zero_is_not_rewritten_through_log():
    from verifier.derive import DeriveError

    with pytest.raises(DeriveError, match="may be 0"):
        derive("prod(w[i], i)", "w", "w: vector(n), i: index(n)")


# ----- --emit numpy -----


def test_emit_writes_f_that_holds_a_derivative_and_its_gradient():
    # a Hessian-vector product written as grad(f, x).T @ v: emit said 'f has no NumPy
    # spelling here (grad written with indices)'
    from verifier.derive.emit import numpy_module

    d = derive("grad(logsumexp(x), x).T @ v", "x", "x: vector(n), v: vector(n)")
    scope: dict = {}
    exec(numpy_module(d), scope)  # noqa: S102 - the module derive writes
    rng = np.random.default_rng(8)
    x, v = rng.standard_normal((4, 1)), rng.standard_normal((4, 1))
    s = _softmax(x)
    assert np.isclose(scope["f"](x, v), (s.T @ v).item())
    hessian = np.diag(s.ravel()) - s @ s.T  # ∇² logsumexp
    assert np.allclose(scope["grad_f"](x, v), hessian @ v)


# ----- forms: a sum kept as written still reads S⁻¹ for a symmetric S -----


def test_gaussian_log_likelihood_of_samples_by_the_covariance_reads_cleanly():
    # the whole sum costs more expanded, so it was kept raw: 'N det(S) S⁻ᵀ / det(S) − S⁻ᵀ(…)S⁻ᵀ'
    symbols = "mu: vector(n), S: matrix(n, n), X: matrix(N, n)"
    d = derive("trace((X - ones(N) @ mu.T) @ inv(S) @ (X - ones(N) @ mu.T).T) "
               "+ N * log(det(S))", "S", symbols, assume=["S positive definite"])
    assert "det" not in d.text and "inv(S).T" not in d.text, d.text
    rng = np.random.default_rng(6)
    b = rng.standard_normal((3, 3))
    env = {"mu": rng.standard_normal((3, 1)), "S": b @ b.T + 3 * np.eye(3),
           "X": rng.standard_normal((4, 3)), "n": 3, "N": 4}

    def f(s):
        c = env["X"] - np.ones((4, 1)) @ env["mu"].T
        return np.trace(c @ np.linalg.inv(s) @ c.T) + 4 * np.log(np.linalg.det(s))

    numeric = jacobian_fd(lambda s: np.array([[f(s.reshape(3, 3))]]), env["S"].reshape(-1, 1))
    assert np.allclose(value(d.text, env), numeric.reshape(3, 3), atol=1e-5), d.text


def test_a_softmax_sums_to_one_in_a_derived_form():
    # the entropy's Hessian printed '… + 4 − 2(log softmax(z)ᵀsoftmax(z)) − 3 sum(softmax(z))'
    d = derive("-sum(softmax(z) * log_softmax(z))", "z", "z: vector(k)", kind="hessian")
    assert "sum(softmax" not in d.text, d.text
    z = np.random.default_rng(9).standard_normal((4, 1))

    def entropy(v):
        s = _softmax(v)
        return -(s * np.log(s)).sum()

    assert np.allclose(value(d.text, {"z": z, "k": 4}), hessian_fd(entropy, z), atol=1e-5)
