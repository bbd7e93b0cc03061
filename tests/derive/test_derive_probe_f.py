"""``derive`` on held-out ML questions (a third set): each test is a question that once had
no answer, a wrong one or an unhelpful error."""

from __future__ import annotations

import numpy as np
import pytest

from verifier.derive import derive, prove


def test_product_of_entries_assumed_positive_has_an_index_form():
    # ∂Πᵢ xᵢ/∂x_j = Πₖ xₖ / x_j for x positive: the index form's positivity test did not
    # see "x positive" on a vector in general dimension (a MatrixSymbol's entries carry no
    # assumptions) and derive said "a product of factors that may be 0"
    # (since round 4 a closed form, Πᵢ xᵢ = exp Σᵢ log xᵢ for positive factors, proved in
    # general dimension; the index form was proved at fixed sizes only)
    d = derive("prod(x[i], i)", "x", "x: vector(n), i: index(n)", assume=["x positive"])
    assert d.form == "closed" and d.text == "exp(sum(log(x))) / x"
    assert prove(d, timeout=60).verdict.holds
    # log Πᵢ xᵢ = Σᵢ log xᵢ: 1/x
    d = derive("log(prod(x[i], i))", "x", "x: vector(n), i: index(n)", assume=["x positive"])
    assert prove(d, timeout=60).verdict.holds
    x = np.array([[0.5], [2.0], [3.0]])
    assert np.allclose(eval(d.text, {"x": x, "ones": lambda n: np.ones((n, 1)), "n": 3}),  # noqa: S307
                       1 / x)


def _softmax_rows(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _lse_rows(z: np.ndarray) -> np.ndarray:
    m = z.max(axis=1, keepdims=True)
    return m + np.log(np.exp(z - m).sum(axis=1, keepdims=True))


LSE_JACOBIANS = [
    # y = logsumexp(A(x), axis=1), A built from x: "the Jacobian of Fn logsumexp_rows"
    ("logsumexp(x @ a.T, axis=1)", lambda x, a, B: _lse_rows(x @ a.T)),
    ("logsumexp(x @ a.T, axis=0).T", lambda x, a, B: _lse_rows(a @ x.T)),
    ("logsumexp(diag(x) @ B + 2 * B, axis=1)", lambda x, a, B: _lse_rows(x * B + 2 * B)),
    ("logsumexp(B.T @ diag(x), axis=0).T", lambda x, a, B: _lse_rows(x * B)),
    ("logsumexp(exp(x @ a.T) * B, axis=1)", lambda x, a, B: _lse_rows(np.exp(x @ a.T) * B)),
    ("logsumexp(x @ ones(m).T + B, axis=1)", lambda x, a, B: _lse_rows(x + B)),
]


@pytest.mark.parametrize(("expr", "f"), LSE_JACOBIANS)
def test_jacobian_of_logsumexp_along_an_axis(expr, f):
    d = derive(expr, "x", "a: vector(m), x: vector(n), B: matrix(n, m)", kind="jacobian",
               layout="numerator")
    assert d.form == "closed"
    assert prove(d, timeout=60).verdict.holds
    rng = np.random.default_rng(7)
    n, m = 3, 4
    x, a, B = rng.standard_normal((n, 1)), rng.standard_normal((m, 1)), rng.standard_normal((n, m))

    def diag(v):
        return np.diag(v.ravel()) if v.shape[1] == 1 else np.diag(v).reshape(-1, 1)

    scope = {"diag": diag, "exp": np.exp, "eye": np.eye, "softmax": _softmax_rows,
             "ones": lambda r, c=1: np.ones((r, c)), "x": x, "a": a, "B": B, "n": n, "m": m}
    analytic = np.asarray(eval(d.text, scope), dtype=float)  # noqa: S307 - the derived formula
    h = 1e-6
    numeric = np.array([((f(x + h * e, a, B) - f(x - h * e, a, B)) / (2 * h)).ravel()
                        for e in np.eye(n)[:, :, None]]).T
    assert np.allclose(analytic, numeric, atol=1e-6), (d.text, analytic, numeric)


def test_symbolic_exponent_error_writes_the_exp_log_form():
    # x ** a of a base not known positive is not in the language; the error gives the form
    # derive differentiates. With x positive it is read as that form (lead18)
    from verifier.derive import DeriveError

    with pytest.raises(DeriveError, match=r"exp\(\(a \+ 1\) \* log\(x\)\)"):
        derive("sum(x ** (a + 1))", "x", "x: vector(n), a: scalar")
    for expr in ("sum(exp((a + 1) * log(x)))", "sum(x ** (a + 1))"):
        d = derive(expr, "x", "x: vector(n), a: scalar", assume=["x positive"])
        assert prove(d, timeout=60).verdict.holds


MATRIX_FACTOR_JACOBIANS = [
    # y = L F(A(x)) c, F element-wise or softmax along rows: "a 3-D array" before
    ("tanh(x @ a.T) @ c", lambda x, a, c, B, C: np.tanh(x @ a.T) @ c),
    ("softmax(x @ a.T) @ c", lambda x, a, c, B, C: _softmax_rows(x @ a.T) @ c),
    ("B @ exp(diag(x) @ C) @ c", lambda x, a, c, B, C: B @ np.exp(x * C) @ c),
    # a fixed Hadamard factor beside it (the Hessian of Σ b ∘ logsumexp(xaᵀ, axis=1))
    ("(C * softmax(x @ a.T)) @ c", lambda x, a, c, B, C: (C * _softmax_rows(x @ a.T)) @ c),
    ("(C * tanh(x @ a.T)) @ c", lambda x, a, c, B, C: (C * np.tanh(x @ a.T)) @ c),
]


@pytest.mark.parametrize(("expr", "f"), MATRIX_FACTOR_JACOBIANS)
def test_jacobian_through_a_function_of_a_matrix_applied_to_a_column(expr, f):
    d = derive(expr, "x", "a: vector(m), x: vector(n), c: vector(m), B: matrix(k, n), "
               "C: matrix(n, m)", kind="jacobian", layout="numerator")
    assert d.form == "closed"
    assert prove(d, timeout=60).verdict.holds
    rng = np.random.default_rng(11)
    n, m, k = 3, 4, 2
    x, a, c = (rng.standard_normal((s, 1)) for s in (n, m, m))
    B, C = rng.standard_normal((k, n)), rng.standard_normal((n, m))

    def diag(v):
        return np.diag(v.ravel()) if v.shape[1] == 1 else np.diag(v).reshape(-1, 1)

    scope = {"diag": diag, "exp": np.exp, "tanh": np.tanh, "eye": np.eye,
             "softmax": _softmax_rows, "ones": lambda r, c=1: np.ones((r, c)),
             "x": x, "a": a, "c": c, "B": B, "C": C, "n": n, "m": m, "k": k}
    analytic = np.asarray(eval(d.text, scope), dtype=float)  # noqa: S307 - the derived formula
    h = 1e-6
    numeric = np.array([((f(x + h * e, a, c, B, C) - f(x - h * e, a, c, B, C)) / (2 * h))
                        .ravel() for e in np.eye(n)[:, :, None]]).T
    assert np.allclose(analytic, numeric, atol=1e-6), (d.text, analytic, numeric)


def test_differential_of_diag_proves_a_jacobian_through_a_diagonal():
    # d diag(a) = diag(da): with no differential rule for diag, prove_differential stood
    # down and inv(A + diag(x)) @ b with A positive definite took 75 s to be proved at
    # fixed sizes only (derive's 60 s: 'checked numerically only')
    d = derive("inv(A + diag(x)) @ b", "x", "A: matrix(n, n), b: vector(n), x: vector(n)",
               kind="jacobian", assume=["A positive definite"])
    assert d.text == "-diag(inv(A + diag(x)) @ b) @ inv(A + diag(x))"
    verdict = prove(d, timeout=20).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")


ATTENTION = ("X: matrix(n, d), Wq: matrix(d, k), Wk: matrix(d, k), Wv: matrix(d, p), "
             "G: matrix(n, p)")


def test_attention_projection_gradient_is_proved_by_its_differential():
    # the softmax of each row had no differential rule, so prove_differential stood down and
    # the index prover ran out of time: derive said 'NOT shown to hold (undecided)' in 53 s
    d = derive("sum(G * (softmax(X @ Wq @ (X @ Wk).T) @ X @ Wv))", "Wq", ATTENTION)
    verdict = prove(d, timeout=30).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")


ROW_SOFTMAX_CLAIMS = [
    # (f, by, G, symbols, holds): df[V] = ⟨G, V⟩ read through the coefficient of V
    ("sum(G * (softmax(Q @ K.T) @ V))", "K",
     "((G @ V.T - ((G @ V.T) * softmax(Q @ K.T)) @ ones(m, m)) * softmax(Q @ K.T)).T @ Q",
     "Q: matrix(n, k), K: matrix(m, k), V: matrix(m, p), G: matrix(n, p)", True),
    ("sum(G * (softmax(Q @ K.T) @ V))", "K",
     "((G @ V.T - (G @ V.T) @ ones(m, m)) * softmax(Q @ K.T)).T @ Q",
     "Q: matrix(n, k), K: matrix(m, k), V: matrix(m, p), G: matrix(n, p)", False),
    ("sum(G * (softmax(Q @ K.T) @ V))", "Q", "(G @ V.T * softmax(Q @ K.T)) @ K",
     "Q: matrix(n, k), K: matrix(m, k), V: matrix(m, p), G: matrix(n, p)", False),
    ("sum(logsumexp(X @ W, axis=1))", "W", "X.T @ softmax(X @ W)",
     "X: matrix(N, d), W: matrix(d, C)", True),
    ("sum(logsumexp(X @ W, axis=1))", "W", "X.T @ softmax(X @ W, axis=0)",
     "X: matrix(N, d), W: matrix(d, C)", False),
    ("sum(G * softmax(S, axis=0))", "S",
     "(G - ones(n, n) @ (G * softmax(S, axis=0))) * softmax(S, axis=0)",
     "S: matrix(n, m), G: matrix(n, m)", True),
    ("sum(G * softmax(S, axis=0))", "S",
     "(G - (G * softmax(S, axis=0)) @ ones(m, m)) * softmax(S, axis=0)",
     "S: matrix(n, m), G: matrix(n, m)", False),
    ("-sum(Y * log_softmax(X @ W))", "W", "X.T @ (softmax(X @ W) * (Y @ ones(C, C)) - Y)",
     "X: matrix(N, d), W: matrix(d, C), Y: matrix(N, C)", True),
    ("-sum(Y * log_softmax(X @ W))", "W", "X.T @ (softmax(X @ W) - Y)",
     "X: matrix(N, d), W: matrix(d, C), Y: matrix(N, C)", False),
]


@pytest.mark.parametrize(("f", "by", "g", "symbols", "holds"), ROW_SOFTMAX_CLAIMS)
def test_differential_of_softmax_along_an_axis(f, by, g, symbols, holds):
    from verifier.claimfile import one_liner
    from verifier.derive.differential import prove_differential
    from verifier.strategies.context import Context

    claim = one_liner(f"grad({f}, {by})", g, symbols, [], "denominator", id="probe")
    verdict = prove_differential(Context(claim, budget=60))
    assert (verdict is not None and verdict.status == "proved") == holds


def test_gradient_of_an_elementwise_max_of_two_products_is_proved():
    # ∇ₓ Σ max(Ax, Bx) = (A − B)ᵀ 1[Ax − Bx > 0] + Bᵀ1: the kink's pattern was written with
    # the claim's summation index and the step's argument with the canonical one, so the
    # two never matched; the engine then fell to fixed sizes and failed ('recursion too
    # deep', verdict error)
    # (the index prover alone: since round 17 the engine's differential proves it first, in
    # 0.4 s, where its case split had spent 10 s before the index prover ran)
    from verifier.derive import derivative_claim
    from verifier.strategies.context import Context
    from verifier.strategies.indexed import prove_index_form

    d = derive("sum(max(A @ x, B @ x))", "x", "A: matrix(m, n), B: matrix(m, n), x: vector(n)")
    assert d.text == "(A.T - B.T) @ (A @ x - B @ x > 0) + B.T @ ones(m)"
    verdict = prove_index_form(Context(derivative_claim(d), budget=30))
    assert (verdict.status, verdict.method) == ("proved", "prove_index_form")
    verdict = prove(d, timeout=30).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential")


def test_index_form_with_a_structured_matrix_names_only_the_claims_symbols():
    # ½ Σᵢⱼ Aᵢⱼ xᵢ xⱼ with A symmetric: the index form was built on A = S_A + S_Aᵀ and its
    # lifted form named S_A ('unknown name "S_A"'); now Ax
    symbols = "A: matrix(n, n), x: vector(n), i: index(n), j: index(n)"
    expr = "sum(sum(A[i, j] * x[i] * x[j], j), i) / 2"
    for fact in ("A symmetric", "A positive definite"):
        d = derive(expr, "x", symbols, assume=[fact])
        assert d.text == "A @ x"
        assert prove(d, timeout=60).verdict.holds


def test_hessian_with_a_hadamard_product_is_proved_by_its_second_differential():
    # ∇²ₓ bᵀ(A + diag(x))⁻¹b = 2(Mbbᵀ M) ∘ M, M = (A + diag(x))⁻¹: uᵀHv holds u and v
    # inside a Hadamard product, which the canonical traces did not meet ('checked
    # numerically only' in 49 s); the coefficients of u and v are compared instead
    from verifier.claimfile import one_liner
    from verifier.derive.differential import prove_differential
    from verifier.strategies.context import Context

    symbols = "A: matrix(n, n), b: vector(n), x: vector(n)"
    good = "2 * ((inv(A + diag(x)) @ b @ b.T @ inv(A + diag(x))) * inv(A + diag(x)))"
    # (u uᵀ) ∘ M = diag(u) M diag(u): derive writes the Hadamard product with an outer
    # product as the sandwich
    sandwich = ("2 * diag(inv(A + diag(x)) @ b) @ inv(A + diag(x)) @ "
                "diag(inv(A + diag(x)) @ b)")
    d = derive("b.T @ inv(A + diag(x)) @ b", "x", symbols, kind="hessian",
               assume=["A positive definite"])
    assert d.text == sandwich
    for h, holds in ((good, True), (sandwich, True), (good.replace("2 * ", "", 1), False),
                     (good.replace(") * inv", ") @ inv"), False),
                     (sandwich.replace("diag(inv(A + diag(x)) @ b) @ inv", "inv", 1), False)):
        claim = one_liner("hessian(b.T @ inv(A + diag(x)) @ b, x)", h, symbols,
                          ["A positive definite"], "denominator", id="probe")
        verdict = prove_differential(Context(claim, budget=60))
        assert (verdict is not None and verdict.status == "proved") == holds, h


def test_index_form_writes_a_shifted_entry_as_a_sum_with_a_delta():
    # Σⱼ x[j] (j == i + t) contracts to x[i + t], which the language cannot read (no index
    # arithmetic): the form named x[k + l] and derive said 'error in the catalogue: an
    # index is an integer from 0 or a symbol'; now Σᵣ (r == k + l) x[r]
    conv = "sum((sum(sum(w[t] * x[j] * (j == i + t), j), t) - y[i]) ** 2, i)"
    symbols = "x: vector(n), w: vector(q), y: vector(m), i: index(m), t: index(q), j: index(n)"
    for by in ("w", "x"):
        d = derive(conv, by, symbols)
        assert d.form == "index"
        assert "[k + l]" not in d.text and "[k - l]" not in d.text
        assert prove(d, timeout=60).verdict.holds
    d = derive("sum(sum(sum(A[i, j] * B[j, l] * (l == i + 1), l), j), i)", "A",
               "A: matrix(n, m), B: matrix(m, n), i: index(n), j: index(m), l: index(n)")
    assert prove(d, timeout=60).verdict.status == "proved"


def test_index_arithmetic_error_says_what_to_write():
    from verifier.derive import DeriveError

    with pytest.raises(DeriveError, match="arithmetic on indices"):
        derive("sum((sum(w[t] * x[i + t], t) - y[i]) ** 2, i)", "w",
               "x: vector(n), w: vector(q), y: vector(m), i: index(m), t: index(q)")
