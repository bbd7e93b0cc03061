"""``derive``: the Matrix Cookbook's derivative identities and the ML losses of the notes.

One table, run by one parametrised test per question (the form printed, the time, the
round trip through the claim language) and, for the engine's verdict, one more.  Each entry
opens with the identity as the Cookbook or the notes state it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from verifier.derive import DeriveError, derivative_claim, derive, prove


@dataclass(frozen=True)
class Spec:
    id: str
    expr: str
    wrt: str
    symbols: str
    unicode: str  # the form a textbook prints
    text: str = ""  # the claim language (checked when given)
    assume: tuple[str, ...] = ()
    proved: bool = True  # the engine proves it in general dimension (else: holds at sizes)
    slow: bool = False  # the engine takes more than a few seconds


COOKBOOK = [
    # ----- traces -----
    # ∂tr(AX)/∂X = Aᵀ                                     Cookbook (100)
    Spec("trace_AX", "trace(A @ X)", "X", "A: matrix(m, n), X: matrix(n, m)", "Aᵀ", "A.T"),
    # ∂tr(AXB)/∂X = AᵀBᵀ                                  Cookbook (102)
    Spec("trace_AXB", "trace(A @ X @ B)", "X",
         "A: matrix(k, n), X: matrix(n, m), B: matrix(m, k)", "AᵀBᵀ", "A.T @ B.T"),
    # ∂tr(AXᵀB)/∂X = BA                                   Cookbook (103)
    Spec("trace_AXtB", "trace(A @ X.T @ B)", "X",
         "A: matrix(k, m), X: matrix(n, m), B: matrix(n, k)", "BA", "B @ A"),
    # ∂tr(XᵀAX)/∂X = (A + Aᵀ)X                            Cookbook (108)
    Spec("trace_XtAX", "trace(X.T @ A @ X)", "X", "A: matrix(n, n), X: matrix(n, m)",
         "(A + Aᵀ)X", "(A + A.T) @ X"),
    # ∂tr(XᵀX)/∂X = 2X                                    Cookbook (107)
    Spec("trace_XtX", "trace(X.T @ X)", "X", "X: matrix(n, m)", "2X", "2 * X"),
    # ∂tr(X²)/∂X = 2Xᵀ                                    Cookbook (106, k = 2)
    Spec("trace_XX", "trace(X @ X)", "X", "X: matrix(n, n)", "2Xᵀ", "2 * X.T"),
    # ∂tr(X⁻¹A)/∂X = −X⁻ᵀAᵀX⁻ᵀ                            Cookbook (124)
    Spec("trace_XinvA", "trace(inv(X) @ A)", "X", "A: matrix(n, n), X: matrix(n, n)",
         "−X⁻ᵀAᵀX⁻ᵀ", "-inv(X).T @ A.T @ inv(X).T"),
    # ----- determinants -----
    # ∂det X/∂X = det(X) X⁻ᵀ                              Cookbook (49)
    Spec("det_X", "det(X)", "X", "X: matrix(n, n)", "det(X)X⁻ᵀ", "det(X) * inv(X).T"),
    # ∂log det X/∂X = X⁻ᵀ                                 Cookbook (57)
    Spec("logdet_X", "log(det(X))", "X", "X: matrix(n, n)", "X⁻ᵀ", "inv(X).T"),
    # ∂det(AXB)/∂X = det(AXB) X⁻ᵀ                         Cookbook (51), square A, B
    Spec("det_AXB", "det(A @ X @ B)", "X",
         "A: matrix(n, n), X: matrix(n, n), B: matrix(n, n)", "det(AXB)X⁻ᵀ",
         "det(A @ X @ B) * inv(X).T"),
    # ----- inverses -----
    # ∂(aᵀX⁻¹b)/∂X = −X⁻ᵀabᵀX⁻ᵀ                           Cookbook (61)
    Spec("inverse_form", "a.T @ inv(X) @ b", "X", "a: vector(n), b: vector(n), X: matrix(n, n)",
         "−X⁻ᵀabᵀX⁻ᵀ", "-inv(X).T @ a @ b.T @ inv(X).T"),
    # ----- bilinear and quadratic forms -----
    # ∂(aᵀXb)/∂X = abᵀ                                    Cookbook (70)
    Spec("bilinear_X", "a.T @ X @ b", "X", "a: vector(n), b: vector(m), X: matrix(n, m)",
         "abᵀ", "a @ b.T"),
    # ∂(aᵀXᵀb)/∂X = baᵀ                                   Cookbook (71)
    Spec("bilinear_Xt", "a.T @ X.T @ b", "X", "a: vector(m), b: vector(n), X: matrix(n, m)",
         "baᵀ", "b @ a.T"),
    # ∂(xᵀAx)/∂x = (A + Aᵀ)x                              Cookbook (81)
    Spec("quadratic_x", "x.T @ A @ x", "x", "x: vector(n), A: matrix(n, n)", "(A + Aᵀ)x",
         "(A + A.T) @ x"),
    # ∂(xᵀAx)/∂x = 2Ax for a symmetric A
    Spec("quadratic_sym", "x.T @ A @ x", "x", "x: vector(n), A: matrix(n, n)", "2Ax",
         "2 * A @ x", assume=("A symmetric",)),
    # ∂(aᵀXᵀXb)/∂X = X(abᵀ + baᵀ)                         Cookbook (77)
    Spec("quadratic_XtX", "a.T @ X.T @ X @ b", "X", "a: vector(m), b: vector(m), X: matrix(n, m)",
         "X(abᵀ + baᵀ)", "X @ (a @ b.T + b @ a.T)"),
    # ∂(bᵀXᵀDXc)/∂X = DᵀXbcᵀ + DXcbᵀ                      Cookbook (82)
    Spec("quadratic_XtDX", "b.T @ X.T @ D @ X @ c", "X",
         "b: vector(m), c: vector(m), D: matrix(n, n), X: matrix(n, m)", "DXcbᵀ + DᵀXbcᵀ"),
    # ----- norms -----
    # ∂‖x‖²/∂x = 2x                                        Cookbook (131)
    Spec("norm_sq", "norm(x) ** 2", "x", "x: vector(n)", "2x", "2 * x"),
    # ∂‖x‖/∂x = x/‖x‖                                      Cookbook (129)
    Spec("norm", "norm(x)", "x", "x: vector(n)", "x/‖x‖", "x / norm(x)"),
    # ∂‖Ax − b‖²/∂x = 2Aᵀ(Ax − b)                          Cookbook (84, W = I)
    Spec("residual_sq", "norm(A @ x - b) ** 2", "x", "A: matrix(m, n), x: vector(n), "
         "b: vector(m)", "2Aᵀ(Ax − b)", "2 * A.T @ (A @ x - b)"),
    # ∂‖X‖²_F/∂X = 2X                                      Cookbook (145)
    Spec("frobenius_sq", "norm(X) ** 2", "X", "X: matrix(n, m)", "2X", "2 * X"),
    # ∂‖AX − B‖²_F/∂X = 2Aᵀ(AX − B)
    Spec("frobenius_residual", "norm(A @ X - B) ** 2", "X",
         "A: matrix(k, n), X: matrix(n, m), B: matrix(k, m)", "2Aᵀ(AX − B)",
         "2 * A.T @ (A @ X - B)"),
]

ML = [
    # least squares: ∂‖Xθ − y‖²/∂θ = 2Xᵀ(Xθ − y)
    Spec("least_squares", "(X @ theta - y).T @ (X @ theta - y)", "theta",
         "X: matrix(N, d), theta: vector(d), y: vector(N)", "2Xᵀ(Xθ − y)",
         "2 * X.T @ (X @ theta - y)"),
    # ridge: ∂(‖Xθ − y‖²/2N + λ‖θ‖²/2)/∂θ = Xᵀ(Xθ − y)/N + λθ
    Spec("ridge", "norm(X @ theta - y) ** 2 / (2 * N) + lam / 2 * norm(theta) ** 2", "theta",
         "X: matrix(N, d), theta: vector(d), y: vector(N), lam: scalar",
         "Xᵀ(Xθ − y)/N + λθ", "X.T @ (X @ theta - y) / N + lam * theta"),
    # logistic cross-entropy: ∂/∂w −Σ[y log σ(Xw) + (1 − y) log(1 − σ(Xw))] = Xᵀ(σ(Xw) − y)
    Spec("logistic_cross_entropy",
         "-sum(y * log(sigmoid(X @ w)) + (1 - y) * log(1 - sigmoid(X @ w)))", "w",
         "X: matrix(N, d), w: vector(d), y: vector(N)", "Xᵀ(σ(Xw) − y)",
         "X.T @ (sigmoid(X @ w) - y)"),
    # softmax cross-entropy of the logits: ∂(−yᵀ log softmax(z))/∂z = softmax(z) − y
    Spec("softmax_cross_entropy", "-y.T @ log_softmax(z)", "z", "z: vector(C), y: vector(C)",
         "softmax(z) − y", "softmax(z) - y", assume=("y sums to 1",)),
    # … and without Σy = 1 it is sum(y) softmax(z) − y
    Spec("softmax_cross_entropy_any_y", "-y.T @ log_softmax(z)", "z",
         "z: vector(C), y: vector(C)", "sum(y) softmax(z) − y"),
    # softmax regression: ∂(−yᵀ log softmax(Wx))/∂W = (softmax(Wx) − y)xᵀ
    Spec("softmax_regression", "-y.T @ log(softmax(W @ x))", "W",
         "W: matrix(C, d), x: vector(d), y: vector(C)", "(softmax(Wx) − y)xᵀ",
         "(softmax(W @ x) - y) @ x.T", assume=("y sums to 1",), slow=True),
    # MSE through a sigmoid: ∂(‖σ(Xw) − y‖²/2)/∂w = Xᵀ((σ(Xw) − y) ∘ σ(Xw) ∘ (1 − σ(Xw)))
    Spec("sigmoid_mse", "norm(sigmoid(X @ w) - y) ** 2 / 2", "w",
         "X: matrix(N, d), w: vector(d), y: vector(N)", "Xᵀ((σ(Xw) − y) ∘ σ(Xw) ∘ (1 − σ(Xw)))"),
    # two-layer network, output weights: ∂(‖W₂σ(W₁x) − y‖²/2)/∂W₂ = (W₂h − y)hᵀ, h = σ(W₁x)
    Spec("two_layer_output_weights", "norm(W2 @ sigmoid(W1 @ x) - y) ** 2 / 2", "W2",
         "W1: matrix(h, d), W2: matrix(k, h), x: vector(d), y: vector(k)",
         "(W₂σ(W₁x) − y)σ(W₁x)ᵀ", "(W2 @ sigmoid(W1 @ x) - y) @ sigmoid(W1 @ x).T",
         slow=True),
    # … and its hidden weights: ((W₂ᵀ(W₂h − y)) ∘ h ∘ (1 − h))xᵀ
    Spec("two_layer_hidden_weights", "norm(W2 @ sigmoid(W1 @ x) - y) ** 2 / 2", "W1",
         "W1: matrix(h, d), W2: matrix(k, h), x: vector(d), y: vector(k)",
         "(W₂ᵀ(W₂σ(W₁x) − y) ∘ σ(W₁x) ∘ (1 − σ(W₁x)))xᵀ", proved=False, slow=True),
]

SPECS = COOKBOOK + ML


def _params(specs, slow_marks: bool):
    return [pytest.param(s, id=s.id, marks=[pytest.mark.slow] if slow_marks and s.slow else [])
            for s in specs]


@pytest.fixture(scope="module", autouse=True)
def _warm():
    derive("x.T @ x", "x", "x: vector(n)")  # SymPy's first use is not the derivation's time


@pytest.mark.parametrize("spec", _params(SPECS, False))
def test_textbook_form(spec):
    # its speed (each under a second, warm) is measured in benchmarks/derive_speed.py
    d = derive(spec.expr, spec.wrt, spec.symbols, assume=spec.assume)
    assert d.form == "closed"
    assert d.unicode == spec.unicode
    if spec.text:
        assert d.text == spec.text
    derivative_claim(d)  # the result reads back as a claim of the language


@pytest.mark.parametrize("spec", _params(SPECS, True))
def test_engine_decides_the_result(spec):
    d = derive(spec.expr, spec.wrt, spec.symbols, assume=spec.assume)
    result = prove(d, timeout=40)
    assert result.verdict.holds, result.verdict
    if spec.proved:
        assert result.verdict.status == "proved", result.verdict


def test_numerator_layout_is_the_transpose():
    # ∂(aᵀXb)/∂X in numerator layout is baᵀ
    d = derive("a.T @ X @ b", "X", "a: vector(n), b: vector(m), X: matrix(n, m)",
               layout="numerator")
    assert d.unicode == "baᵀ"
    assert prove(d).verdict.status == "proved"


def test_bad_input_says_what_to_write():
    with pytest.raises(DeriveError, match="scalar-valued"):
        derive("A @ x", "x", "A: matrix(n, n), x: vector(n)")
    with pytest.raises(DeriveError, match="not a declared symbol"):
        derive("x.T @ x", "y", "x: vector(n)")
    with pytest.raises(DeriveError, match="EXPR"):
        derive("x.T @@ x", "x", "x: vector(n)")


# ----- expressions written with indices -----

INDEXED = [
    # ∂/∂x Σᵢ xᵢyᵢ = y
    ("sum(x[i] * y[i], i)", "x", "x: vector(n), y: vector(n), i: index(n)", "y"),
    # ∂/∂W Σᵢ Σⱼ Wᵢⱼ xⱼ yᵢ = yxᵀ
    ("sum(sum(W[i, j] * x[j], j) * y[i], i)", "W",
     "W: matrix(n, m), x: vector(m), y: vector(n), i: index(n), j: index(m)", "yxᵀ"),
    # least squares written with sums: Xᵀ(Xw − y)
    ("sum((sum(X[i, j] * w[j], j) - y[i]) ** 2, i) / 2", "w",
     "X: matrix(N, d), w: vector(d), y: vector(N), i: index(N), j: index(d)", "Xᵀ(Xw − y)"),
    # Σᵢⱼ Aᵢⱼ xᵢ xⱼ: (A + Aᵀ)x
    ("sum(sum(A[i, j] * x[i] * x[j], j), i)", "x",
     "A: matrix(n, n), x: vector(n), i: index(n), j: index(n)", "(A + Aᵀ)x"),
    # logistic loss with labels ±1, as the notes write it
    ("sum(log(1 + exp(-y[i] * sum(X[i, j] * w[j], j))), i)", "w",
     "X: matrix(N, d), w: vector(d), y: vector(N), i: index(N), j: index(d)",
     "−Xᵀ(y ⊘ (exp(Xw ∘ y) + 1))"),
]


@pytest.mark.parametrize("expr, wrt, symbols, unicode", INDEXED, ids=[x[0] for x in INDEXED])
def test_indexed_expressions_get_their_matrix_form(expr, wrt, symbols, unicode):
    d = derive(expr, wrt, symbols)
    assert (d.form, d.unicode) == ("closed", unicode)
    assert prove(d, timeout=40).verdict.status == "proved"


def test_index_form_where_no_matrix_form_is_found(monkeypatch):
    monkeypatch.setattr("verifier.derive.lift.lift", lambda *args: None)
    d = derive("sum(log(1 + exp(-y[i] * sum(X[i, j] * w[j], j))), i)", "w",
               "X: matrix(N, d), w: vector(d), y: vector(N), i: index(N), j: index(d)")
    assert (d.form, d.entry) == ("index", "[k]")
    assert d.text == "-sum(X[p, k] * y[p] / (1 + exp(y[p] * sum(X[p, l] * w[l], l))), p)"
    assert d.unicode == "−(Σₚ X[p, k] y[p] / (1 + exp(y[p] (Σₗ X[p, l] w[l]))))"
    assert d.claim_text.startswith("grad(sum(log(1 + exp(-y[i] * sum(X[i, j] * w[j], j))), i), "
                                   "w)[k] = ")
    assert prove(d, timeout=40).verdict.status == "proved"


def test_no_form_at_all_says_why():
    with pytest.raises(DeriveError, match="no closed matrix form"):
        derive("det(kron(A, X))", "X", "A: matrix(n, n), X: matrix(m, m)")


# ----- an assumption on the variable itself -----

STRUCTURED = [
    # the gradient is taken entry by entry and evaluated where the assumption holds, so
    # Sᵀ = S must not rewrite f before it is differentiated: ∂tr(SᵀA)/∂S = A, not Aᵀ
    ("trace(S.T @ A)", "S", "S: matrix(n, n), A: matrix(n, n)", ("S symmetric",), "A"),
    # Q⁻¹ = Qᵀ only after differentiating: −Q⁻ᵀAᵀQ⁻ᵀ = −QAᵀQ at an orthogonal Q
    ("trace(inv(Q) @ A)", "Q", "Q: matrix(n, n), A: matrix(n, n)", ("Q orthogonal",),
     "−QAᵀQ"),
    # Σp = 1 does not make ∂Σp/∂p zero
    ("sum(p)", "p", "p: vector(n)", ("p sums to 1",), "𝟏"),
]


@pytest.mark.parametrize("expr, wrt, symbols, assume, unicode", STRUCTURED,
                         ids=[x[0] for x in STRUCTURED])
def test_an_assumption_on_the_variable_applies_after_differentiating(expr, wrt, symbols,
                                                                      assume, unicode):
    d = derive(expr, wrt, symbols, assume=assume)
    assert d.unicode == unicode
    assert prove(d, timeout=40).verdict.status == "proved"


# ----- questions a reader asks that once tripped derive -----

ODD = [
    # a constant: the gradient is 0
    ("3", "x", "x: vector(n)", "0"),
    # cross-entropy against a one-hot label given as a class index: Σ onehot = 1
    ("-onehot(c, C).T @ log_softmax(W @ x)", "W", "W: matrix(C, d), x: vector(d), c: index(C)",
     "(softmax(Wx) − onehot(c))xᵀ"),
    # ∂ tr A/∂A written as Σ diag(A): the identity
    ("sum(diag(A))", "A", "A: matrix(n, n)", "I"),
    # a scalar variable
    ("s ** 3 + exp(s)", "s", "s: scalar", "3s² + exp(s)"),
]


@pytest.mark.parametrize("expr, wrt, symbols, unicode", ODD, ids=[x[0] for x in ODD])
def test_odd_questions(expr, wrt, symbols, unicode):
    d = derive(expr, wrt, symbols)
    assert d.unicode == unicode
    assert prove(d, timeout=40).verdict.holds
