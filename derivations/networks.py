"""Networks: note 001's two-layer ANN (sigmoid hidden layer, softmax output, cross-entropy),
note 003's backpropagation (chain rule, a two-layer ReLU network with squared loss and its
three lemmas), and note 002 §3's backward pass through a linear layer with its variance.

Conventions.  Note 001 writes a sample as a row: x is 1 × m (a batch X is N × m), W is m × b,
V is b × c, so ẑ = xW, z = σ(ẑ), q̂ = zV, q = softmax(q̂) are rows; the label y is an
``index(c)`` symbol (every class is a case of the fixed-size proof) and y_k its one-hot entry.
Note 003 writes columns: z = W⁽¹⁾x + b⁽¹⁾; it names three chain-rule lemmas without stating
them, so they, its network's gradients and a worked example are sourced "standard".  Where a
claim needs "∂J/∂u evaluated at the network's u" (δ = ∂J/∂z, ∂J/∂y), ``_grad_at`` takes that
derivative itself with a placeholder for u, so the lemma's right-hand side is not typed in by
hand (a derivative evaluated at an expression, which the claim language cannot write).
"""

from __future__ import annotations

import numpy as np

from derivations import note
from derivations.section import Section
from verifier import ops
from verifier.claim import make_claim, make_derivation

sc, hadamard = ops.sc, ops.hadamard

ANN = note("001", "ANN")
BACKPROP = note("003", "backpropegation")
DEEP = note("003", "deep learning")
VANISH = note("002", "Vanishing or Exploding Gradient")
OUTPUT = Section("standard", symbols="h: vector(k), y: vector(k)")

# The output layer's claims take the hidden activations z as given (∂L/∂V depends on x and W
# only through z), with c = 3 classes fixed in their declarations; the hidden layer's claims run
# the whole network.  L = −log q_y is built as −log_softmax(q̂)_y, the same function: its
# derivative is much smaller, which keeps exact evaluation fast.
OUT_SIZES = [{"b": 2}, {"b": 3}]
OUT_C_SIZES = [{"b": 2, "c": 3}, {"b": 3, "c": 2}]
# the claims in the claim language, c classes (the label y an index of any of them)
ANN_S = Section(ANN, symbols="z: matrix(1, b), V: matrix(b, c), y: index(c), x: matrix(1, m), "
                             "W: matrix(m, b), X: matrix(N, m), Z: matrix(N, b), Y: matrix(N, c)")
Z_ = "sigmoid(x @ W)"  # the hidden activations z = σ(xW) of one sample
ANN_SIZES = [{"m": 2, "b": 2, "c": 3}]
SUM_EQ = "sum(exp((z @ V)[0, h]), h)"  # Σₕ e^{q̂ₕ}
E_QY, E_QK = "exp((z @ V)[0, y])", "exp((z @ V)[0, k])"  # e^{q̂_y}, e^{q̂ₖ}


# ----- helpers (SymPy only inside, when a builder runs) -----


def _sp():
    import sympy

    return sympy


def _total(terms):
    terms = list(terms)
    out = terms[0]
    for t in terms[1:]:
        out = out + t
    return out


def _grad_at(fn, point, layout="denominator"):
    """∂fn(u)/∂u at u = point: differentiate at a placeholder, then substitute the point."""
    sp = _sp()
    if isinstance(point, sp.MatrixBase):
        ph = sp.Matrix(point.shape[0], point.shape[1], lambda i, j: sp.Dummy(f"u{i}{j}", real=True))
        g = ops.grad(fn(ph), ph, layout)
        return g.xreplace(dict(zip(list(ph), list(point), strict=True)))
    if isinstance(point, sp.MatrixExpr):
        ph = sp.MatrixSymbol("U_", *point.shape)
        g = ops.grad(fn(ph), ph, layout)
        return g.xreplace({ph: point})
    p = sp.Dummy("u", real=True)
    return sp.diff(fn(p), p).xreplace({p: point})


# note 001's ANN, one sample x (1 × m)


def _z(x, W):
    return ops.sigmoid(x @ W)


def _row_softmax(M):
    """softmax of each row (ops.softmax reads an N × 1 matrix as one column)."""
    return _sp().Matrix.vstack(*[ops.softmax(M[i, :]) for i in range(M.shape[0])])


def _other(s):
    """A class k ≠ y among c = 3: k = (y + 1 + j) mod 3 for j in {0, 1}."""
    return (int(s.y) + 1 + int(s.j)) % 3


def _out_q(z, V):
    """The output layer alone: q = softmax(zV) for given hidden activations z."""
    return _row_softmax(z @ V)


def _out_loss(z, V, y):
    return -ops.log_softmax(z @ V)[0, int(y)]


def _exp_qhat(s, k):
    return ops.exp((s.z @ s.V)[0, k])


def _exp_sum(s):
    return _total(_exp_qhat(s, h) for h in range(3))


def _onehot_row(y, c):
    return ops.onehot(y, c).T


def _batch_labels(s, n):
    return [int(s[f"y{i + 1}"]) for i in range(n)]


def _output_chain(s):
    """(∂L/∂q_y)·(∂q_y/∂q̂ₖ)·(∂q̂ₖ/∂vₛₖ) at entry (s, k), each factor differentiated on its own
    (q_y = qYᵀ, Y the label's one-hot row); each factor taken once."""
    q_y = sc(ops.softmax(s.z @ s.V) @ s.Y.T)
    dl_dq = _grad_at(lambda p: -ops.log(p), q_y)
    dq_du = _grad_at(lambda u: sc(ops.softmax(u) @ s.Y.T), s.z @ s.V)  # 1 × c
    if not (isinstance(s.c, int) or getattr(s.c, "is_Integer", False)):
        # symbolic c: one derivative with the class k left free
        return ops.from_entries(s.b, s.c, lambda j, k: dl_dq * dq_du[0, k] * _grad_at(
            lambda v: (s.z @ v)[0, k], s.V)[j, k])
    du_dv = [_grad_at(lambda v, k=k: (s.z @ v)[0, k], s.V) for k in range(int(s.c))]
    return ops.from_entries(s.b, s.c, lambda j, k: dl_dq * dq_du[0, k] * du_dv[int(k)][j, k])


def _fixed(n):
    return isinstance(n, int) or getattr(n, "is_Integer", False)


def _hidden_chain(s):
    """Σₖ (∂L/∂q_y)(∂q_y/∂q̂ₖ)(∂q̂ₖ/∂zₛ)(∂zₛ/∂ẑₛ)(∂ẑₛ/∂wᵢₛ) at entry (i, s), each factor
    differentiated on its own at the network's values (q_y = qYᵀ); each factor taken once at
    fixed sizes."""
    zhat = s.x @ s.W
    z = ops.sigmoid(zhat)
    dl_dq = _grad_at(lambda p: -ops.log(p), sc(ops.softmax(z @ s.V) @ s.Y.T))
    dq_du = _grad_at(lambda u: sc(ops.softmax(u) @ s.Y.T), z @ s.V)  # 1 × c

    def du_dz(k):
        return _grad_at(lambda zz: (zz @ s.V)[0, k], z)

    def dz_dzhat(j):
        return _grad_at(lambda t: ops.sigmoid(t), zhat[0, j])

    def dzhat_dw(j):
        return _grad_at(lambda w: (s.x @ w)[0, j], s.W)

    if _fixed(s.b) and _fixed(s.c):  # explicit: every factor once
        per_k = [du_dz(k) for k in range(int(s.c))]
        per_j = [(dz_dzhat(j), dzhat_dw(j)) for j in range(int(s.b))]
        du_dz, dz_dzhat, dzhat_dw = (lambda k: per_k[int(k)], lambda j: per_j[int(j)][0],
                                     lambda j: per_j[int(j)][1])
    return ops.from_entries(s.m, s.b, lambda i, j: ops.sum_over(s.c, lambda k: (
        dl_dq * dq_du[0, k] * du_dz(k)[0, j] * dz_dzhat(j) * dzhat_dw(j)[i, j])))


# note 003's ReLU network, one sample x (column)


def _relu_h(W2, a, b2):
    return W2 @ a + b2


def _half_sq(y, h):
    """J = ½‖y − h‖² (the note's ½(y − h)², h and y of any length)."""
    r = y - h
    return sc(r.T @ r) / 2


def _relu_net_J(s):
    return _half_sq(s.y, _relu_h(s.W2, ops.relu(s.W1 @ s.x + s.b1), s.b2))


def _delta1(s):
    """δ⁽¹⁾ = ∂J/∂z at z = W⁽¹⁾x + b⁽¹⁾, taken by the engine (not by the lemmas)."""
    return _grad_at(lambda z: _half_sq(s.y, _relu_h(s.W2, ops.relu(z), s.b2)), s.W1 @ s.x + s.b1)


def _relu_net_h(s):
    return _relu_h(s.W2, ops.relu(s.W1 @ s.x + s.b1), s.b2)


# note 003's chain-rule instance


def _chain_g(theta):
    return ops.matrix([theta[0] * theta[1] + theta[2], ops.exp(theta[0]) - theta[1] ** 2])


def _chain_J(g):
    return ops.log(1 + g[0] ** 2) * g[1] + g[0] * g[1]


def _forward_example():
    """(z, a, h, J) of note 003's network at fixed numbers, stacked in one column."""
    m = ops.matrix
    x, W1, b1 = m([2, 1]), m([[1, -2], [-1, 1]]), m([1, -1])
    W2, b2, y = m([[3, 5]]), m([-1]), m([5])
    z = W1 @ x + b1
    a = ops.relu(z)
    h = W2 @ a + b2
    J = _half_sq(y, h)
    return _sp().Matrix.vstack(z, a, h, m([J]))


def _backward_example(s):
    """∂J/∂W⁽²⁾ and ∂J/∂W⁽¹⁾ by differentiating J, at the example's numbers."""
    m = ops.matrix
    x, b1, b2, y = m([2, 1]), m([1, -1]), m([-1]), m([5])
    J = _half_sq(y, _relu_h(s.W2, ops.relu(s.W1 @ x + b1), b2))
    point = dict(zip(list(s.W1) + list(s.W2), [1, -2, -1, 1, 3, 5], strict=True))
    g2 = ops.grad(J, s.W2).xreplace(point)
    g1 = ops.grad(J, s.W1).xreplace(point)
    return m([g2[0, 0], g2[0, 1], g1[0, 0], g1[0, 1], g1[1, 0], g1[1, 1]])


# note 002's linear layer y = Wx with J(y) = ½‖y − t‖²


def _lin_J(s, y):
    return _half_sq(s.t, y)


def _two_layer_grad(s):
    """∂J/∂xⱼ = Σₖ (W₁)ₖⱼ Σᵢ (W₂)ᵢₖ gᵢ, w1 = column j of W₁."""
    return _total(s.w1[k] * _total(s.W2[i, k] * s.g[i] for i in range(s.n2)) for k in range(s.n1))


def _two_layer_variances(s):
    out = {s.w1[k]: s.s_1 for k in range(s.n1)}
    out.update({e: s.s_2 for e in s.W2})
    out.update({s.g[i]: s.s_g for i in range(s.n2)})
    return out


# expectations of polynomials in independent zero-mean random variables


def _expect(expr, variances):
    """E[expr] for independent zero-mean variables with the given variances (powers ≤ 2)."""
    sp = _sp()
    rvs = list(variances)
    poly = sp.Poly(sp.expand(expr), *rvs)
    out = sp.Integer(0)
    for powers, coeff in poly.terms():
        term = coeff
        for v, p in zip(rvs, powers, strict=True):
            if p == 1:
                term = 0
                break
            if p == 2:
                term *= variances[v]
            elif p > 2:
                raise ValueError("moments above the second are not modelled")
        out += term
    return out


def _var(expr, variances):
    return _expect(expr**2, variances) - _expect(expr, variances) ** 2


CLAIMS = (
    # ----- Note 001: ANN -----
    # ẑ_s = Σᵢ xᵢwᵢₛ,  z_s = sigmoid(ẑ_s) = 1/(1 + e^{−Σᵢ xᵢwᵢₛ})
    make_derivation(
        "networks.ann_hidden_activation",
        title="z = σ(xW) = (1/(1 + e^{−ẑₛ}))ₛ = (1/(1 + e^{−Σᵢ xᵢwᵢₛ}))ₛ",
        source=ANN,
        symbols="x: matrix(1, m), W: matrix(m, b)",
        steps=[
            lambda s: _z(s.x, s.W),
            lambda s: ops.elementwise(s.x @ s.W, lambda t: 1 / (1 + ops.exp(-t))),
            lambda s: ops.from_entries(1, s.b, lambda _, j: 1 / (1 + ops.exp(
                -ops.sum_over(s.m, lambda i: s.x[0, i] * s.W[i, j])))),
        ],
        sizes=[{"m": 2, "b": 2}, {"m": 3, "b": 2}],
    ),
    # q̂_k = Σₛ z_s v_sk,  q_k = Softmax(q̂_k) = e^{q̂_k}/Σₕ e^{q̂ₕ} = e^{Σₛ zₛvₛₖ}/Σₕ e^{Σₛ zₛvₛₕ}
    make_derivation(
        "networks.ann_output_probability",
        title="q = softmax(zV) = (e^{q̂ₖ}/Σₕ e^{q̂ₕ})ₖ = (e^{Σₛ zₛvₛₖ}/Σₕ e^{Σₛ zₛvₛₕ})ₖ",
        source=ANN,
        symbols="z: matrix(1, b), V: matrix(b, c)",
        steps=[
            lambda s: ops.softmax(s.z @ s.V),
            lambda s: ops.from_entries(1, s.c, lambda _, k: (
                ops.exp((s.z @ s.V)[0, k])
                / ops.sum_over(s.c, lambda h: ops.exp((s.z @ s.V)[0, h]))
            )),
            lambda s: ops.from_entries(1, s.c, lambda _, k: (
                ops.exp(ops.sum_over(s.b, lambda j: s.z[0, j] * s.V[j, k]))
                / ops.sum_over(s.c, lambda h: ops.exp(ops.sum_over(
                    s.b, lambda j: s.z[0, j] * s.V[j, h])))
            )),
        ],
        sizes=[{"b": 2, "c": 3}],
    ),
    # L = −Σₖ 1{k = y} log q_k = −log q_y
    ANN_S.derivation(
        "ann_loss",
        ["-sum(onehot(y, c).T * log(softmax(z @ V)))", "-log_softmax(z @ V)[0, y]"],
        title="−Σₖ 1{k = y} log qₖ = −log q_y (every class y of any number c of classes)",
        sizes=OUT_C_SIZES,
    ),
    # ∂L/∂v_sk = ∂L/∂q_y · ∂q_y/∂q̂_k · ∂q̂_k/∂v_sk  (q̂_k is v_sk's only path to L)
    # (the label as a one-hot row Y, q_y = qYᵀ: a Python builder takes no class index)
    make_claim(
        "networks.ann_output_weight_chain_rule",
        title="∂L/∂vₛₖ = ∂L/∂q_y · ∂q_y/∂q̂ₖ · ∂q̂ₖ/∂vₛₖ, each factor differentiated on its own "
        "(L = −log q_y, q_y = qYᵀ with Y the label's one-hot row; any number c of classes)",
        source=ANN,
        symbols="z: matrix(1, b), V: matrix(b, c), Y: matrix(1, c)",
        assume=["Y one-hot"],
        kind="gradient",
        f=lambda s: -ops.log(sc(ops.softmax(s.z @ s.V) @ s.Y.T)),
        wrt="V",
        rhs=_output_chain,
        sizes=[{"b": 2, "c": 3}],
    ),
    # k = y:  −1/q_y · (e^{q̂_y}·Σₕe^{q̂ₕ} − e^{q̂_y}·e^{q̂_y})/(Σₕe^{q̂ₕ})² · z_s = (q_y − 1)z_s
    ANN_S.derivation(
        "ann_output_weight_gradient_true_class_chain",
        ["grad(-log_softmax(z @ V)[0, y], V)[s, y]",
         f"-1 / softmax(z @ V)[0, y] * ({E_QY} * {SUM_EQ} - {E_QY} * {E_QY}) / {SUM_EQ} ** 2 "
         "* z[0, s]",
         "(softmax(z @ V)[0, y] - 1) * z[0, s]"],
        symbols="h: index(c), s: index(b)", sizes=[{"b": 2, "c": 3}],
        title="entry (s, y) of ∂L/∂V (column k = y): −1/q_y·(e^{q̂_y}Σ − e^{q̂_y}e^{q̂_y})/Σ²·zₛ "
        "= (q_y − 1)zₛ (every y of any number c of classes)",
    ),
    # k ≠ y, as written: −1/q_y · (−e^{q̂_y}·e^{q̂_k}·z_s)/(Σₕe^{q̂ₕ})² · z_s = (q_k) z_s
    # (z_s = ∂q̂_k/∂v_sk appears twice: inside the quotient and after it)
    make_derivation(
        "networks.ann_output_weight_gradient_other_class_chain_note",
        title="column k ≠ y of ∂L/∂V as written: −1/q_y·(−e^{q̂_y}e^{q̂ₖ}zₛ)/Σ²·zₛ = qₖzₛ, "
        "with the stray second factor zₛ",
        source=ANN,
        symbols="z: matrix(1, b), V: matrix(b, 3), y: index(3), j: index(2)",
        steps=[
            lambda s: ops.grad(_out_loss(s.z, s.V, s.y), s.V)[:, _other(s)],
            lambda s: hadamard(
                -1
                / _out_q(s.z, s.V)[0, int(s.y)]
                * (-_exp_qhat(s, int(s.y)) * _exp_qhat(s, _other(s)) * s.z.T)
                / _exp_sum(s) ** 2,
                s.z.T,
            ),
            lambda s: _out_q(s.z, s.V)[0, _other(s)] * s.z.T,
        ],
        step_expect={1: "fails", 2: "fails"},
        expect="fails",
        corrected="networks.ann_output_weight_gradient_other_class_chain",
        sizes=OUT_SIZES,
    ),
    # corrected: −1/q_y · (−e^{q̂_y}·e^{q̂_k})/(Σₕe^{q̂ₕ})² · z_s = q_k z_s
    # (the case k ≠ y written as each side times 1[k ≠ y], every k)
    ANN_S.derivation(
        "ann_output_weight_gradient_other_class_chain",
        ["(k != y) * grad(-log_softmax(z @ V)[0, y], V)[s, k]",
         f"(k != y) * -1 / softmax(z @ V)[0, y] * (0 - {E_QY} * {E_QK}) / {SUM_EQ} ** 2 "
         "* z[0, s]",
         "(k != y) * softmax(z @ V)[0, k] * z[0, s]"],
        symbols="h: index(c), k: index(c), s: index(b)", sizes=[{"b": 2, "c": 3}],
        title="entry (s, k) of ∂L/∂V, column k ≠ y: −1/q_y·(−e^{q̂_y}e^{q̂ₖ})/Σ²·zₛ = qₖzₛ "
        "(zₛ once; every y and k ≠ y of any number c of classes)",
    ),
    # → (q_k − y_k) z_s  ↓  zᵀ(q − y)  (5, 3)
    ANN_S.claim(
        "ann_output_weight_gradient",
        "grad(-log_softmax(z @ V)[0, y], V)", "z.T @ (softmax(z @ V) - onehot(y, c).T)",
        title="∂L/∂vₛₖ = (qₖ − yₖ)zₛ, i.e. ∂L/∂V = zᵀ(q − y), b × c, one sample (y one-hot)",
        sizes=OUT_C_SIZES,
    ),
    # the note's shape "(5, 3)": with b = 5 hidden units and c = 3 classes zᵀ(q − y) is 5 × 3
    ANN_S.claim(
        "ann_output_weight_gradient_note_shape",
        "grad(-log_softmax(z @ V)[0, y], V)", "z.T @ (softmax(z @ V) - onehot(y, c).T)",
        title="at the note's sizes (b = 5 hidden, c = 3 classes) ∂L/∂V = zᵀ(q − y) is 5 × 3, "
        "V's shape",
        sizes=[{"b": 5, "c": 3}],
    ),
    # the batch mean, as the gradient library computes it: ∂L/∂V = (1/N) Zᵀ(Q − Y)
    ANN_S.claim(
        "ann_output_weight_gradient_matrix",
        "grad(-sum(Y * log_softmax(Z @ V)) / N, V)", "Z.T @ (softmax(Z @ V) - Y) / N",
        assume=["Y one-hot"],
        title="batch mean: ∂/∂V −(1/N)Σᵢ log Q_{i,yᵢ} = (1/N) Zᵀ(Q − Y), Z = σ(XW), Q = "
        "softmax(ZV), Y the one-hot rows of the labels",
        sizes=[{"N": 2, "b": 2, "c": 3}],
    ),
    # ∂L/∂w_is = (Σₖ) ∂L/∂q_y · ∂q_y/∂q̂_k · ∂q̂_k/∂z_s · ∂z_s/∂ẑ_s · ∂ẑ_s/∂w_is
    # (the label as a one-hot row Y, q_y = qYᵀ: a Python builder takes no class index)
    make_claim(
        "networks.ann_hidden_weight_chain_rule",
        title="∂L/∂wᵢₛ = Σₖ ∂L/∂q_y·∂q_y/∂q̂ₖ·∂q̂ₖ/∂zₛ·∂zₛ/∂ẑₛ·∂ẑₛ/∂wᵢₛ, each factor "
        "differentiated on its own (L = −log q_y, q_y = qYᵀ with Y the label's one-hot row; any "
        "numbers of inputs m, hidden units b and classes c)",
        source=ANN,
        symbols="x: matrix(1, m), W: matrix(m, b), V: matrix(b, c), Y: matrix(1, c)",
        assume=["Y one-hot"],
        kind="gradient",
        f=lambda s: -ops.log(sc(ops.softmax(_z(s.x, s.W) @ s.V) @ s.Y.T)),
        wrt="W",
        rhs=_hidden_chain,
        sizes=[{"m": 1, "b": 2, "c": 3}],
    ),
    # = Σₖ (q_k − y)·v_sk·z_s(1 − z_s)·x_i   (y is the label; the one-hot entry y_k is meant)
    ANN_S.claim(
        "ann_hidden_weight_gradient",
        f"grad(-log_softmax({Z_} @ V)[0, y], W)",
        f"x.T @ (((softmax({Z_} @ V) - onehot(y, c).T) @ V.T) * {Z_} * (1 - {Z_}))",
        title="∂L/∂wᵢₛ = Σₖ(qₖ − yₖ)vₛₖzₛ(1 − zₛ)xᵢ, yₖ = 1{k = y} (one sample): "
        "∂L/∂W = xᵀ(((q − y)Vᵀ) ⊙ z ⊙ (1 − z))",
        sizes=ANN_SIZES,
    ),
    # the note's shape table: q − y (n, 3), v (5, 3), z(1 − z) (n, 3), and under the formula
    # (z, n)·((n, z)·(z, z) × (n, z)).  At b = 5, c = 3 the factors that fit are xᵀ m×n,
    # (q − y) n×3, vᵀ 3×5, z(1 − z) n×5 (not (n, 3)), and the result is m×5, W's shape
    ANN_S.claim(
        "ann_hidden_weight_gradient_note_shapes",
        f"grad(-log_softmax({Z_} @ V)[0, y], W)",
        f"x.T @ (((softmax({Z_} @ V) - onehot(y, c).T) @ V.T) * {Z_} * (1 - {Z_}))",
        title="at the note's sizes (b = 5, c = 3): ∂L/∂W = xᵀ(((q − y)Vᵀ) ⊙ z(1 − z)) with "
        "(q − y) 1×3, Vᵀ 3×5, z(1 − z) 1×5, result m×5 (one sample)",
        sizes=[{"m": 1, "b": 5, "c": 3}],
    ),
    # xᵀ·((q − y)·vᵀ × z(1 − z)), shapes written (z, n)·((n, z)·(z, z) × (n, z)); the shapes that
    # fit are xᵀ m×N, (q − y) N×c, Vᵀ c×b, z(1 − z) N×b, giving m×b like W. Batch mean here.
    ANN_S.claim(
        "ann_hidden_weight_gradient_matrix",
        "grad(-sum(Y * log_softmax(sigmoid(X @ W) @ V)) / N, W)",
        "X.T @ (((softmax(sigmoid(X @ W) @ V) - Y) @ V.T) * sigmoid(X @ W) "
        "* (1 - sigmoid(X @ W))) / N",
        assume=["Y one-hot"],
        title="batch mean: ∂/∂W −(1/N)Σᵢ log Q_{i,yᵢ} = (1/N) Xᵀ(((Q − Y)Vᵀ) ⊙ Z ⊙ (1 − Z)), "
        "Y the one-hot rows of the labels",
        sizes=[{"N": 2, "m": 2, "b": 2, "c": 2}],
        implementation="derivations.gradients.networks.two_layer_grads[0]",
        impl_args=lambda v: (v.X, v.W, v.V, np.argmax(v.Y, axis=1)),
    ),
    # ----- Note 003: backpropegation -----
    # chain rule: J = J(g₁ … g_k), gᵢ = gᵢ(θ₁ … θ_p)  ⇒  ∂J/∂θᵢ = Σⱼ ∂J/∂gⱼ · ∂gⱼ/∂θᵢ
    # (an instance: k = 2, p = 3, J = log(1 + g₁²)·g₂ + g₁g₂, g₁ = θ₁θ₂ + θ₃, g₂ = e^{θ₁} − θ₂²)
    make_claim(
        "networks.chain_rule_instance",
        title="∂J/∂θᵢ = Σⱼ ∂J/∂gⱼ·∂gⱼ/∂θᵢ for J = log(1 + g₁²)g₂ + g₁g₂, g₁ = θ₁θ₂ + θ₃, "
        "g₂ = e^{θ₁} − θ₂²",
        source=BACKPROP,
        symbols="theta: vector(3)",
        kind="gradient",
        f=lambda s: _chain_J(_chain_g(s.theta)),
        wrt="theta",
        rhs=lambda s: _sp().Matrix(
            3,
            1,
            lambda i, _: _total(
                _grad_at(_chain_J, _chain_g(s.theta))[j]
                * ops.diff(_chain_g(s.theta)[j], s.theta[i])
                for j in range(2)
            ),
        ),
    ),
    # ----- Standard: the two-layer ReLU network of note 003 and the three lemmas it names -----
    # Note 003 defines z = W⁽¹⁾x + b⁽¹⁾, a = ReLU(z), h = W⁽²⁾a + b⁽²⁾, J = ½(y − h)², says
    # "compute ∂J/∂z⁽ᶠ⁾ by hand", then "lemma 3 below", "lemma 2 below", "lemma 1 below"; its
    # section "chain rule lemmas" is empty.  The lemmas and the worked example are ours.
    # A forward pass by hand (x = (2, 1), W⁽¹⁾ = [[1, −2], [−1, 1]], b⁽¹⁾ = (1, −1),
    # W⁽²⁾ = [3, 5], b⁽²⁾ = −1, y = 5)
    make_claim(
        "networks.relu_net_forward_values",
        title="forward pass by hand: z = (1, −2), a = (1, 0), h = 2, J = 9/2",
        source="standard",
        symbols="",
        lhs=lambda s: _forward_example(),
        rhs=lambda s: ops.matrix([1, -2, 1, 0, 2, _sp().Rational(9, 2)]),
    ),
    # the backward pass on the same numbers: δ⁽²⁾ = h − y = −3, ∂J/∂W⁽²⁾ = δ⁽²⁾aᵀ = (−3, 0),
    # ∂J/∂a = W⁽²⁾ᵀδ⁽²⁾ = (−9, −15), δ⁽¹⁾ = (−9, −15) ⊙ 1[z > 0] = (−9, 0),
    # ∂J/∂W⁽¹⁾ = δ⁽¹⁾xᵀ = [[−18, −9], [0, 0]]  — against the engine's derivatives of J
    make_claim(
        "networks.relu_net_backward_values",
        title="backward pass by the lemmas on the example: ∂J/∂W⁽²⁾ = (−3, 0), ∂J/∂W⁽¹⁾ = "
        "[[−18, −9], [0, 0]], equal to the derivatives of J",
        source="standard",
        symbols="W1: matrix(2, 2), W2: matrix(1, 2)",
        lhs=lambda s: _backward_example(s),
        rhs=lambda s: ops.matrix([-3, 0, -18, -9, 0, 0]),
    ),
    # ∂J/∂h "by hand": h − y (J = ½(y − h)²; here for an output h of any length k)
    OUTPUT.claim("relu_net_output_grad", "grad((y - h).T @ (y - h) / 2, h)", "h - y",
                 title="∂/∂h ½‖y − h‖² = h − y"),
    # lemma 1 on the last layer: ∂J/∂W⁽²⁾ = δ⁽²⁾aᵀ, δ⁽²⁾ = ∂J/∂h, on the whole network
    make_claim(
        "networks.relu_net_output_weight_gradient",
        title="lemma 1 (named by note 003, not stated), last layer: ∂J/∂W⁽²⁾ = δ⁽²⁾aᵀ, δ⁽²⁾ = "
        "∂J/∂h, a = ReLU(W⁽¹⁾x + b⁽¹⁾)",
        source="standard",
        symbols="x: vector(d), W1: matrix(n, d), b1: vector(n), W2: matrix(k, n), b2: vector(k), "
        "y: vector(k)",
        kind="gradient",
        f=_relu_net_J,
        wrt="W2",
        rhs=lambda s: (
            _grad_at(lambda h: _half_sq(s.y, h), _relu_net_h(s)) @ ops.relu(s.W1 @ s.x + s.b1).T
        ),
        sizes=[{"d": 2, "n": 2, "k": 1}, {"d": 2, "n": 3, "k": 2}],
    ),
    # lemma 1 on the first layer: ∂J/∂W⁽¹⁾ = δ⁽¹⁾xᵀ, δ⁽¹⁾ = ∂J/∂z (taken by the engine)
    make_claim(
        "networks.relu_net_weight_grad_lemma",
        title="lemma 1 (named by note 003, not stated): ∂J/∂W⁽¹⁾ = δ⁽¹⁾xᵀ with δ⁽¹⁾ = ∂J/∂z, "
        "z = W⁽¹⁾x + b⁽¹⁾, on the whole ReLU network",
        source="standard",
        symbols="x: vector(d), W1: matrix(n, d), b1: vector(n), W2: matrix(k, n), b2: vector(k), "
        "y: vector(k)",
        kind="gradient",
        f=_relu_net_J,
        wrt="W1",
        rhs=lambda s: _delta1(s) @ s.x.T,
        sizes=[{"d": 2, "n": 2, "k": 1}],  # the note's scalar output; n = 3, k = 2 takes ~15 s
        implementation="derivations.gradients.networks.linear_weight_grad",
        impl_args=lambda v: (
            (v.W2.T @ (v.W2 @ np.maximum(v.W1 @ v.x + v.b1, 0) + v.b2 - v.y))
            * (v.W1 @ v.x + v.b1 > 0),
            v.x,
        ),
    ),
    # lemma 3: ∂J/∂a = W⁽²⁾ᵀδ⁽²⁾, J as a function of the hidden activation a
    make_claim(
        "networks.relu_net_input_grad_lemma",
        title="lemma 3 (named by note 003, not stated): ∂J/∂a = W⁽²⁾ᵀδ⁽²⁾ with δ⁽²⁾ = ∂J/∂h, "
        "h = W⁽²⁾a + b⁽²⁾, J = ½‖y − h‖²",
        source="standard",
        symbols="a: vector(n), W2: matrix(k, n), b2: vector(k), y: vector(k)",
        kind="gradient",
        f=lambda s: _half_sq(s.y, _relu_h(s.W2, s.a, s.b2)),
        wrt="a",
        rhs=lambda s: s.W2.T @ _grad_at(lambda h: _half_sq(s.y, h), _relu_h(s.W2, s.a, s.b2)),
        implementation="derivations.gradients.networks.linear_input_grad",
        impl_args=lambda v: (v.W2, v.W2 @ v.a + v.b2 - v.y),
    ),
    # lemma 2: ∂J/∂z = ∂J/∂a ⊙ 1[z > 0], a = ReLU(z)
    make_claim(
        "networks.relu_net_relu_grad_lemma",
        title="lemma 2 (named by note 003, not stated): ∂J/∂z = ∂J/∂a ⊙ 1[z > 0], a = ReLU(z), "
        "J = ½‖y − W⁽²⁾a − b⁽²⁾‖² (away from z = 0)",
        source="standard",
        symbols="z: vector(n), W2: matrix(k, n), b2: vector(k), y: vector(k)",
        kind="gradient",
        f=lambda s: _half_sq(s.y, _relu_h(s.W2, ops.relu(s.z), s.b2)),
        wrt="z",
        rhs=lambda s: hadamard(
            _grad_at(lambda a: _half_sq(s.y, _relu_h(s.W2, a, s.b2)), ops.relu(s.z)),
            ops.indicator(s.z),
        ),
        sizes=[{"n": 2, "k": 1}, {"n": 3, "k": 2}],
        implementation="derivations.gradients.networks.relu_backward",
        impl_args=lambda v: (v.W2.T @ (v.W2 @ np.maximum(v.z, 0) + v.b2 - v.y), v.z),
    ),
    # the three lemmas composed, written out: ∂J/∂W⁽¹⁾ = [(W⁽²⁾ᵀ(h − y)) ⊙ 1[z > 0]] xᵀ
    make_claim(
        "networks.relu_net_first_layer_weight_gradient",
        title="∂J/∂W⁽¹⁾ = [(W⁽²⁾ᵀ(h − y)) ⊙ 1[z > 0]]xᵀ (lemmas 3, 2, 1 composed)",
        source="standard",
        symbols="x: vector(d), W1: matrix(n, d), b1: vector(n), W2: matrix(k, n), b2: vector(k), "
        "y: vector(k)",
        kind="gradient",
        f=_relu_net_J,
        wrt="W1",
        rhs=lambda s: (
            hadamard(s.W2.T @ (_relu_net_h(s) - s.y), ops.indicator(s.W1 @ s.x + s.b1)) @ s.x.T
        ),
        sizes=[{"d": 2, "n": 2, "k": 1}],  # the note's scalar output; n = 3, k = 2 takes ~15 s
        implementation="derivations.gradients.networks.relu_net_grads[W1]",
        impl_args=lambda v: (v.x[None], v.y[None], v.W1, v.b1, v.W2, v.b2),
    ),
    # and the biases: ∂J/∂b⁽¹⁾ = δ⁽¹⁾
    make_claim(
        "networks.relu_net_first_layer_bias_gradient",
        title="∂J/∂b⁽¹⁾ = δ⁽¹⁾ = (W⁽²⁾ᵀ(h − y)) ⊙ 1[z > 0]",
        source="standard",
        symbols="x: vector(d), W1: matrix(n, d), b1: vector(n), W2: matrix(k, n), b2: vector(k), "
        "y: vector(k)",
        kind="gradient",
        f=_relu_net_J,
        wrt="b1",
        rhs=lambda s: hadamard(s.W2.T @ (_relu_net_h(s) - s.y), ops.indicator(s.W1 @ s.x + s.b1)),
        sizes=[{"d": 2, "n": 2, "k": 1}],
    ),
    # ----- Note 003: deep learning -----
    # J⁽ⁱ⁾(θ) = (y⁽ⁱ⁾ − h_θ(x⁽ⁱ⁾))², J(θ) = (1/n) Σᵢ J⁽ⁱ⁾(θ): no ½ here, so ∂J⁽ⁱ⁾/∂h = 2(h − y),
    # not the backprop section's h − y; the cost's gradient for the last layer of the ReLU net:
    # ∂J/∂W⁽²⁾ = (2/n) Σᵢ (hᵢ − yᵢ) aᵢᵀ
    make_claim(
        "networks.deep_learning_cost_output_weight_gradient",
        title="∂/∂W⁽²⁾ (1/n)Σᵢ(yᵢ − hᵢ)² = (2/n)Σᵢ(hᵢ − yᵢ)aᵢᵀ for the ReLU net (n = 2 samples, "
        "scalar output; the factor 2 because this J has no ½)",
        source=DEEP,
        symbols="X: matrix(d, 2), W1: matrix(h, d), b1: vector(h), W2: matrix(1, h), "
        "b2: vector(1), y: matrix(1, 2)",
        kind="gradient",
        f=lambda s: (
            _total(
                (s.y[i] - sc(_relu_h(s.W2, ops.relu(s.W1 @ s.X[:, i] + s.b1), s.b2))) ** 2
                for i in range(2)
            )
            / 2
        ),
        wrt="W2",
        rhs=lambda s: _total(
            (sc(_relu_h(s.W2, ops.relu(s.W1 @ s.X[:, i] + s.b1), s.b2)) - s.y[i])
            * ops.relu(s.W1 @ s.X[:, i] + s.b1).T
            for i in range(2)
        ),
        sizes=[{"d": 2, "h": 2}],
    ),
    # ----- Note 002: Vanishing or Exploding Gradient -----
    # ∂J/∂x = ∂J/∂y · ∂y/∂x = ∂J/∂x · W   for y = Wx (row gradients, numerator layout)
    make_derivation(
        "networks.linear_layer_backprop_chain",
        title="∂J/∂x = ∂J/∂y·∂y/∂x = ∂J/∂x·W as written (y = Wx, W square so every side "
        "builds; J = ½‖y − t‖²): the last step fails",
        source=VANISH,
        symbols="W: matrix(n, n), x: vector(n), t: vector(n)",
        steps=[
            lambda s: ops.grad(_lin_J(s, s.W @ s.x), s.x, "numerator"),
            lambda s: (
                _grad_at(lambda y: _lin_J(s, y), s.W @ s.x, "numerator")
                @ ops.jacobian(s.W @ s.x, s.x)
            ),
            lambda s: ops.grad(_lin_J(s, s.W @ s.x), s.x, "numerator") @ s.W,
        ],
        step_expect={2: "fails"},
        expect="fails",
        corrected="networks.linear_layer_input_grad_numerator",
    ),
    # corrected, numerator layout (rows): ∂J/∂x = ∂J/∂y · W
    make_claim(
        "networks.linear_layer_input_grad_numerator",
        title="∂J/∂x = ∂J/∂y·W in numerator layout (row gradients), y = Wx, W n×p",
        source=VANISH,
        symbols="W: matrix(n, p), x: vector(p), t: vector(n)",
        kind="gradient",
        layout="numerator",
        f=lambda s: _lin_J(s, s.W @ s.x),
        wrt="x",
        rhs=lambda s: _grad_at(lambda y: _lin_J(s, y), s.W @ s.x, "numerator") @ s.W,
    ),
    # corrected, denominator layout (columns): ∂J/∂x = Wᵀ ∂J/∂y
    make_claim(
        "networks.linear_layer_input_grad_denominator",
        title="∂J/∂x = Wᵀ∂J/∂y in denominator layout (column gradients), y = Wx, W n×p",
        source=VANISH,
        symbols="W: matrix(n, p), x: vector(p), t: vector(n)",
        kind="gradient",
        f=lambda s: _lin_J(s, s.W @ s.x),
        wrt="x",
        rhs=lambda s: s.W.T @ _grad_at(lambda y: _lin_J(s, y), s.W @ s.x),
    ),
    # the usual slip: columns without the transpose, ∂J/∂x = W ∂J/∂y (square W)
    make_claim(
        "networks.linear_layer_input_grad_missing_transpose",
        title="∂J/∂x = W·∂J/∂y (columns, transpose dropped; W square)",
        source="standard",
        symbols="W: matrix(n, n), x: vector(n), t: vector(n)",
        kind="gradient",
        f=lambda s: _lin_J(s, s.W @ s.x),
        wrt="x",
        rhs=lambda s: s.W @ _grad_at(lambda y: _lin_J(s, y), s.W @ s.x),
        expect="holds if W symmetric",
        corrected="networks.linear_layer_input_grad_denominator",
    ),
    # Var(∂J/∂x) = n_l Var(W) Var(∂J/∂y), one layer: ∂J/∂xⱼ = Σᵢ Wᵢⱼ gᵢ with the n_l entries of
    # column j of W and of g = ∂J/∂y independent, zero-mean, variances s_w and s_g
    make_claim(
        "networks.backprop_variance_one_layer",
        title="Var(Σᵢ Wᵢⱼgᵢ) = n_l·Var(W)·Var(∂J/∂y), n_l = len(g), W and g independent, "
        "zero-mean (exact expectation algebra)",
        source=VANISH,
        symbols="w: vector(nl), g: vector(nl), s_w: scalar, s_g: scalar",
        assume=["s_w positive", "s_g positive"],
        lhs=lambda s: _var(
            _total(s.w[i] * s.g[i] for i in range(s.nl)),
            {**{s.w[i]: s.s_w for i in range(s.nl)}, **{s.g[i]: s.s_g for i in range(s.nl)}},
        ),
        rhs=lambda s: s.nl * s.s_w * s.s_g,
        sizes=[{"nl": 2}, {"nl": 3}],
    ),
    # cumulated over layers: Var(∂J/∂x) = Πₗ nₗVar(Wₗ) · Var(∂J/∂y) (two layers)
    make_claim(
        "networks.backprop_variance_two_layers",
        title="two layers, y = W₂W₁x: Var(∂J/∂xⱼ) = n₁Var(W₁)·n₂Var(W₂)·Var(∂J/∂y) "
        "(independent zero-mean entries)",
        source=VANISH,
        symbols="w1: vector(n1), W2: matrix(n2, n1), g: vector(n2), s_1: scalar, s_2: scalar, "
        "s_g: scalar",
        assume=["s_1 positive", "s_2 positive", "s_g positive"],
        lhs=lambda s: _var(_two_layer_grad(s), _two_layer_variances(s)),
        rhs=lambda s: s.n1 * s.s_1 * s.n2 * s.s_2 * s.s_g,
        sizes=[{"n1": 2, "n2": 2}, {"n1": 2, "n2": 3}],
    ),
    # as written: Var(∂J/∂x) = Πₗ nₗVar(Wₗ)Var(∂J/∂xₗ), with Var(∂J/∂xₗ) inside the product
    # (xₗ the output of layer l: ∂J/∂x₂ = g, ∂J/∂x₁ = W₂ᵀg)
    make_claim(
        "networks.backprop_variance_note_product",
        title="Var(∂J/∂x) = Πₗ nₗVar(Wₗ)Var(∂J/∂xₗ) as written, two layers, the per-layer "
        "gradient variance inside the product",
        source=VANISH,
        symbols="w1: vector(n1), W2: matrix(n2, n1), g: vector(n2), s_1: scalar, s_2: scalar, "
        "s_g: scalar",
        assume=["s_1 positive", "s_2 positive", "s_g positive"],
        lhs=lambda s: _var(_two_layer_grad(s), _two_layer_variances(s)),
        rhs=lambda s: (
            (
                s.n1
                * s.s_1
                * _var(_total(s.W2[i, 0] * s.g[i] for i in range(s.n2)), _two_layer_variances(s))
            )
            * (s.n2 * s.s_2 * s.s_g)
        ),
        expect="fails",
        corrected="networks.backprop_variance_two_layers",
        sizes=[{"n1": 2, "n2": 2}],
    ),
)


# ----- Gradient library (derivations.gradients.networks): the functions' conventions -----
# Batches have samples as rows (X is N × m or N × d) and losses are means over the batch.


def _batch_relu_h(s, i):
    """hᵢ = W⁽²⁾ReLU(W⁽¹⁾xᵢ + b⁽¹⁾) + b⁽²⁾ for the sample in row i of X (scalar output)."""
    return sc(_relu_h(s.W2, ops.relu(s.W1 @ s.X[i, :].T + s.b1), s.b2))


def _batch_relu_a(s, i):
    return ops.relu(s.W1 @ s.X[i, :].T + s.b1)


def _batch_relu_J(s):
    """(1/N)Σᵢ ½(yᵢ − hᵢ)², the batch mean of note 003's J (a sum of any length N)."""
    return ops.sum_over(s.N, lambda i: (s.y[i, 0] - _batch_relu_h(s, i)) ** 2 / 2) / s.N


RELU_BATCH = (
    "X: matrix(N, d), y: vector(N), W1: matrix(h, d), b1: vector(h), W2: matrix(1, h), "
    "b2: vector(1)"
)

CLAIMS += (
    # note 001's loss over a batch, as the library reports it: the mean of −Σₖ 1{k = yᵢ} log qᵢₖ
    # equals (1/N)Σᵢ[log Σₖ e^{q̂ᵢₖ} − q̂ᵢ,yᵢ], q̂ = σ(XW)V (the form evaluated)
    ANN_S.claim(
        "ann_batch_loss",
        "-sum(Y * log(softmax(sigmoid(X @ W) @ V))) / N",
        "sum(logsumexp(sigmoid(X @ W) @ V, axis=1) - sum(Y * (sigmoid(X @ W) @ V), axis=1)) / N",
        assume=["Y one-hot"], source="standard",
        title="−(1/N)Σᵢ Σₖ 1{k = yᵢ} log qᵢₖ = (1/N)Σᵢ[log Σₖ e^{q̂ᵢₖ} − q̂ᵢ,yᵢ], q̂ = σ(XW)V, "
        "q = softmax(q̂), Y the one-hot rows of the labels",
        sizes=[{"N": 2, "m": 2, "b": 2, "c": 3}],
        implementation="derivations.gradients.networks.two_layer_forward[loss]",
        impl_args=lambda v: (v.X, v.W, v.V, np.argmax(v.Y, axis=1)),
    ),
    # note 003's network on a batch (rows xᵢ, scalar output): the mean loss (1/N)Σᵢ ½(yᵢ − hᵢ)²
    # is ‖y − H‖²/(2N) with H = ReLU(XW⁽¹⁾ᵀ + 𝟙b⁽¹⁾ᵀ)W⁽²⁾ᵀ + 𝟙b⁽²⁾
    make_claim(
        "networks.relu_net_batch_loss",
        title="(1/N)Σᵢ ½(yᵢ − hᵢ)² = ‖y − H‖²/(2N), H = ReLU(XW⁽¹⁾ᵀ + 𝟙b⁽¹⁾ᵀ)W⁽²⁾ᵀ + 𝟙b⁽²⁾ "
        "(rows of X are samples)",
        source="standard",
        symbols=RELU_BATCH,
        lhs=_batch_relu_J,
        rhs=lambda s: ops.norm(
            s.y
            - ops.relu(s.X @ s.W1.T + ops.ones(s.N) @ s.b1.T) @ s.W2.T
            - ops.ones(s.N) @ s.b2
        )
        ** 2
        / (2 * s.N),
        sizes=[{"N": 2, "d": 2, "h": 2}, {"N": 3, "d": 2, "h": 3}],
        implementation="derivations.gradients.networks.relu_net_forward[loss]",
        impl_args=lambda v: (v.X, v.y, v.W1, v.b1, v.W2, v.b2),
    ),
    # its gradient for the last layer is the batch mean of lemma 1: (1/N)Σᵢ (hᵢ − yᵢ)aᵢᵀ
    make_claim(
        "networks.relu_net_batch_output_weight_gradient",
        title="∂/∂W⁽²⁾ (1/N)Σᵢ ½(yᵢ − hᵢ)² = (1/N)Σᵢ(hᵢ − yᵢ)aᵢᵀ, aᵢ = ReLU(W⁽¹⁾xᵢ + b⁽¹⁾) "
        "(N = 2 rows, scalar output)",
        source="standard",
        symbols=RELU_BATCH,
        kind="gradient",
        f=_batch_relu_J,
        wrt="W2",
        rhs=lambda s: ops.from_entries(1, s.h, lambda _, j: ops.sum_over(
            s.N, lambda i: (_batch_relu_h(s, i) - s.y[i, 0]) * _batch_relu_a(s, i)[j, 0]) / s.N),
        sizes=[{"N": 2, "d": 2, "h": 2}],
        implementation="derivations.gradients.networks.relu_net_grads[W2]",
        impl_args=lambda v: (v.X, v.y, v.W1, v.b1, v.W2, v.b2),
    ),
)


# ----- Gradient library: dropout with an explicit mask m ∈ {0, 1}ⁿ -----

GRAD = "derivations.gradients.networks"
DROPOUT = Section("standard", symbols="x: scalar, p: scalar")
MASK2 = "x: vector(2), m1: index(2), m2: index(2)"

CLAIMS += (
    # inverted dropout is unbiased: (1 − p)·x/(1 − p) + p·0 = x
    DROPOUT.claim("dropout_unbiased", "(1 - p) * x / (1 - p) + p * 0", "x", assume=["p in (0, 1)"],
                  title="E[m x/(1 − p)] = x for m ~ Bernoulli(1 − p): (1 − p)·x/(1 − p) + p·0 = x"),
    # inverted dropout is the diagonal linear map diag(m)/(1 − p): out = x ⊙ m/(1 − p), so its
    # Jacobian is that diagonal matrix and the backward pass applies the same mask.
    # (Python, the mask as index symbols m1, m2: the implementation check draws a binary vector
    # from one structure only, so "m binary" would test the library at a single mask.)
    DROPOUT.claim("dropout_forward", lambda s: ops.diag(_mask(s)) @ s.x / (1 - s.p),
                  lambda s: hadamard(s.x, _mask(s)) / (1 - s.p), symbols=MASK2,
                  assume=["p in (0, 1)"],
                  title="dropout(x; m, p) = diag(m)x/(1 − p) = x ⊙ m/(1 − p), m ∈ {0, 1}ⁿ: a "
                  "diagonal linear map (n = 2, every mask)",
                  implementation=f"{GRAD}.dropout",
                  impl_args=lambda v: (v.x, np.array([v.m1, v.m2]), v.p)),
    # ∇ₓ gᵀ(x ⊙ m/(1 − p)) = g ⊙ m/(1 − p)
    DROPOUT.claim("dropout_gradient", lambda s: ops.sc(s.g.T @ hadamard(s.x, _mask(s))) / (1 - s.p),
                  lambda s: hadamard(s.g, _mask(s)) / (1 - s.p), wrt="x",
                  symbols=MASK2 + ", g: vector(2)", assume=["p in (0, 1)"],
                  title="∇ₓ gᵀ(x ⊙ m/(1 − p)) = g ⊙ m/(1 − p) (n = 2, every mask)",
                  implementation=f"{GRAD}.dropout_grad",
                  impl_args=lambda v: (v.g, np.array([v.m1, v.m2]), v.p)),
)


def _mask(s):
    """The mask entries m1, m2 ∈ {0, 1} as a column."""
    return ops.matrix([[s.m1], [s.m2]])
