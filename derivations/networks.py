"""Networks: note 001's two-layer ANN (sigmoid hidden layer, softmax output, cross-entropy),
note 003's backpropagation (chain rule, a two-layer ReLU network with squared loss and its
three lemmas), and note 002 §3's backward pass through a linear layer with its variance.

Conventions.  Note 001 writes a sample as a row: x is 1 × m (a batch X is N × m), W is m × b,
V is b × c, so ẑ = xW, z = σ(ẑ), q̂ = zV, q = softmax(q̂) are rows; the label y is an
``index(c)`` symbol (every class is a case of the fixed-size proof) and y_k its one-hot entry.
Note 003 writes columns: z = W⁽¹⁾x + b⁽¹⁾.  Where a claim needs "∂J/∂u evaluated at the
network's u" (δ = ∂J/∂z, ∂J/∂y), ``_grad_at`` takes that derivative itself with a placeholder
for u, so the lemma's right-hand side is not typed in by hand.
"""

from __future__ import annotations

from derivations import note
from verifier import ops
from verifier.claim import make_claim, make_derivation

sc, hadamard = ops.sc, ops.hadamard

ANN = note("001", "ANN")
BACKPROP = note("003", "backpropegation")
DEEP = note("003", "deep learning")
VANISH = note("002", "Vanishing or Exploding Gradient")

# The output layer's claims take the hidden activations z as given (∂L/∂V depends on x and W
# only through z), with c = 3 classes fixed in their declarations; the hidden layer's claims run
# the whole network.  L = −log q_y is built as −log_softmax(q̂)_y, the same function: its
# derivative is much smaller, which keeps exact evaluation fast.
OUT_SIZES = [{"b": 2}, {"b": 3}]
ANN_SIZES = [{"m": 2, "b": 2, "c": 3}]


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
        ph = sp.Matrix(
            point.shape[0], point.shape[1], lambda i, j: sp.Dummy(f"u{i}{j}", real=True)
        )
        g = ops.grad(fn(ph), ph, layout)
        return g.xreplace(dict(zip(list(ph), list(point))))
    if isinstance(point, sp.MatrixExpr):
        ph = sp.MatrixSymbol("U_", *point.shape)
        g = ops.grad(fn(ph), ph, layout)
        return g.xreplace({ph: point})
    p = sp.Dummy("u", real=True)
    return sp.diff(fn(p), p).xreplace({p: point})


# note 001's ANN, one sample x (1 × m)


def _z(x, W):
    return ops.sigmoid(x @ W)


def _qhat(x, W, V):
    return _z(x, W) @ V


def _row_softmax(M):
    """softmax of each row (ops.softmax reads an N × 1 matrix as one column)."""
    return _sp().Matrix.vstack(*[ops.softmax(M[i, :]) for i in range(M.shape[0])])


def _q(x, W, V):
    return _row_softmax(_qhat(x, W, V))


def _loss(x, W, V, y):
    """L = −log q_y, computed as −log_softmax(q̂)_y (the same function, a smaller derivative)."""
    return -ops.log_softmax(_qhat(x, W, V))[0, int(y)]


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


def _softmax_at(u, k):
    """softmax(u)_k for a row u."""
    return ops.softmax(u)[0, k]


def _batch_labels(s, n):
    return [int(s[f"y{i + 1}"]) for i in range(n)]


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
    return _grad_at(
        lambda z: _half_sq(s.y, _relu_h(s.W2, ops.relu(z), s.b2)), s.W1 @ s.x + s.b1
    )


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
            lambda s: (s.x @ s.W).applyfunc(lambda t: 1 / (1 + ops.exp(-t))),
            lambda s: _sp().Matrix(
                1,
                s.b,
                lambda _, j: 1 / (1 + ops.exp(-_total(s.x[i] * s.W[i, j] for i in range(s.m)))),
            ),
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
            lambda s: _sp().Matrix(
                1,
                s.c,
                lambda _, k: ops.exp((s.z @ s.V)[k])
                / _total(ops.exp((s.z @ s.V)[h]) for h in range(s.c)),
            ),
            lambda s: _sp().Matrix(
                1,
                s.c,
                lambda _, k: ops.exp(_total(s.z[j] * s.V[j, k] for j in range(s.b)))
                / _total(
                    ops.exp(_total(s.z[j] * s.V[j, h] for j in range(s.b))) for h in range(s.c)
                ),
            ),
        ],
        sizes=[{"b": 2, "c": 3}],
    ),
    # L = −Σₖ 1{k = y} log q_k = −log q_y
    make_derivation(
        "networks.ann_loss",
        title="−Σₖ 1{k = y} log qₖ = −log q_y (every class y of c = 3)",
        source=ANN,
        symbols="z: matrix(1, b), V: matrix(b, 3), y: index(3)",
        steps=[
            lambda s: -_total(
                (1 if k == int(s.y) else 0) * ops.log(_out_q(s.z, s.V)[0, k]) for k in range(3)
            ),
            lambda s: _out_loss(s.z, s.V, s.y),
        ],
        sizes=OUT_SIZES,
    ),
    # ∂L/∂v_sk = ∂L/∂q_y · ∂q_y/∂q̂_k · ∂q̂_k/∂v_sk  (q̂_k is v_sk's only path to L)
    make_claim(
        "networks.ann_output_weight_chain_rule",
        title="∂L/∂vₛₖ = ∂L/∂q_y · ∂q_y/∂q̂ₖ · ∂q̂ₖ/∂vₛₖ, each factor differentiated on its own "
        "(every y of c = 3)",
        source=ANN,
        symbols="z: matrix(1, b), V: matrix(b, 3), y: index(3)",
        kind="gradient",
        f=lambda s: _out_loss(s.z, s.V, s.y),
        wrt="V",
        rhs=lambda s: _sp().Matrix(
            s.b,
            3,
            lambda j, k: _grad_at(lambda p: -ops.log(p), _out_q(s.z, s.V)[0, int(s.y)])
            * _grad_at(lambda u: _softmax_at(u, int(s.y)), (s.z @ s.V))[0, k]
            * _grad_at(lambda v: (s.z @ v)[0, k], s.V)[j, k],
        ),
        sizes=[{"b": 2}],
    ),
    # k = y:  −1/q_y · (e^{q̂_y}·Σₕe^{q̂ₕ} − e^{q̂_y}·e^{q̂_y})/(Σₕe^{q̂ₕ})² · z_s = (q_y − 1)z_s
    make_derivation(
        "networks.ann_output_weight_gradient_true_class_chain",
        title="column k = y of ∂L/∂V: −1/q_y·(e^{q̂_y}Σ − e^{q̂_y}e^{q̂_y})/Σ²·zₛ = (q_y − 1)zₛ",
        source=ANN,
        symbols="z: matrix(1, b), V: matrix(b, 3), y: index(3)",
        steps=[
            lambda s: ops.grad(_out_loss(s.z, s.V, s.y), s.V)[:, int(s.y)],
            lambda s: -1
            / _out_q(s.z, s.V)[0, int(s.y)]
            * (_exp_qhat(s, int(s.y)) * _exp_sum(s) - _exp_qhat(s, int(s.y)) ** 2)
            / _exp_sum(s) ** 2
            * s.z.T,
            lambda s: (_out_q(s.z, s.V)[0, int(s.y)] - 1) * s.z.T,
        ],
        sizes=[{"b": 2}],
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
        sizes=OUT_SIZES,
    ),
    # corrected: −1/q_y · (−e^{q̂_y}·e^{q̂_k})/(Σₕe^{q̂ₕ})² · z_s = q_k z_s
    make_derivation(
        "networks.ann_output_weight_gradient_other_class_chain",
        title="column k ≠ y of ∂L/∂V: −1/q_y·(−e^{q̂_y}e^{q̂ₖ})/Σ²·zₛ = qₖzₛ (zₛ once)",
        source=ANN,
        symbols="z: matrix(1, b), V: matrix(b, 3), y: index(3), j: index(2)",
        steps=[
            lambda s: ops.grad(_out_loss(s.z, s.V, s.y), s.V)[:, _other(s)],
            lambda s: -1
            / _out_q(s.z, s.V)[0, int(s.y)]
            * (-_exp_qhat(s, int(s.y)) * _exp_qhat(s, _other(s)))
            / _exp_sum(s) ** 2
            * s.z.T,
            lambda s: _out_q(s.z, s.V)[0, _other(s)] * s.z.T,
        ],
        sizes=OUT_SIZES,
    ),
    # → (q_k − y_k) z_s  ↓  zᵀ(q − y)  (5, 3)
    make_claim(
        "networks.ann_output_weight_gradient",
        title="∂L/∂vₛₖ = (qₖ − yₖ)zₛ, i.e. ∂L/∂V = zᵀ(q − y), b × c, one sample (y one-hot)",
        source=ANN,
        symbols="z: matrix(1, b), V: matrix(b, 3), y: index(3)",
        kind="gradient",
        f=lambda s: _out_loss(s.z, s.V, s.y),
        wrt="V",
        rhs=lambda s: s.z.T @ (_out_q(s.z, s.V) - _onehot_row(s.y, 3)),
        sizes=OUT_SIZES,
    ),
    # the batch mean, as the gradient library computes it: ∂L/∂V = (1/N) Zᵀ(Q − Y)
    make_claim(
        "networks.ann_output_weight_gradient_matrix",
        title="batch mean: ∂/∂V −(1/N)Σᵢ log Q_{i,yᵢ} = (1/N) Zᵀ(Q − Y), Z = σ(XW), Q = "
        "softmax(ZV) (N = 2, c = 3, every labelling)",
        source=ANN,
        symbols="Z: matrix(2, b), V: matrix(b, 3), y1: index(3), y2: index(3)",
        kind="gradient",
        f=lambda s: _total(_out_loss(s.Z[i, :], s.V, yi) for i, yi in enumerate(_batch_labels(s, 2)))
        / 2,
        wrt="V",
        rhs=lambda s: s.Z.T
        @ (
            _out_q(s.Z, s.V)
            - _sp().Matrix.vstack(*[_onehot_row(yi, 3) for yi in _batch_labels(s, 2)])
        )
        / 2,
        sizes=[{"b": 2}],
    ),
    # ∂L/∂w_is = (Σₖ) ∂L/∂q_y · ∂q_y/∂q̂_k · ∂q̂_k/∂z_s · ∂z_s/∂ẑ_s · ∂ẑ_s/∂w_is
    make_claim(
        "networks.ann_hidden_weight_chain_rule",
        title="∂L/∂wᵢₛ = Σₖ ∂L/∂q_y·∂q_y/∂q̂ₖ·∂q̂ₖ/∂zₛ·∂zₛ/∂ẑₛ·∂ẑₛ/∂wᵢₛ, each factor "
        "differentiated on its own (every y of c = 3)",
        source=ANN,
        symbols="x: matrix(1, m), W: matrix(m, b), V: matrix(b, c), y: index(c)",
        kind="gradient",
        f=lambda s: _loss(s.x, s.W, s.V, s.y),
        wrt="W",
        rhs=lambda s: _sp().Matrix(
            s.m,
            s.b,
            lambda i, j: _total(
                _grad_at(lambda p: -ops.log(p), _q(s.x, s.W, s.V)[0, int(s.y)])
                * _grad_at(lambda u: _softmax_at(u, int(s.y)), _qhat(s.x, s.W, s.V))[0, k]
                * _grad_at(lambda z: (z @ s.V)[0, k], _z(s.x, s.W))[0, j]
                * _grad_at(lambda t: ops.sigmoid(t), (s.x @ s.W)[0, j])
                * _grad_at(lambda w: (s.x @ w)[0, j], s.W)[i, j]
                for k in range(s.c)
            ),
        ),
        sizes=[{"m": 1, "b": 2, "c": 3}],
    ),
    # = Σₖ (q_k − y)·v_sk·z_s(1 − z_s)·x_i   (y is the label; the one-hot entry y_k is meant)
    make_claim(
        "networks.ann_hidden_weight_gradient_note",
        title="∂L/∂wᵢₛ = Σₖ(qₖ − y)vₛₖzₛ(1 − zₛ)xᵢ as written, y the class label (0-based)",
        source=ANN,
        symbols="x: matrix(1, m), W: matrix(m, b), V: matrix(b, c), y: index(c)",
        kind="gradient",
        f=lambda s: _loss(s.x, s.W, s.V, s.y),
        wrt="W",
        rhs=lambda s: _sp().Matrix(
            s.m,
            s.b,
            lambda i, j: _total(
                (_q(s.x, s.W, s.V)[0, k] - s.y)
                * s.V[j, k]
                * _z(s.x, s.W)[0, j]
                * (1 - _z(s.x, s.W)[0, j])
                * s.x[0, i]
                for k in range(s.c)
            ),
        ),
        expect="fails",
        sizes=ANN_SIZES,
    ),
    # corrected: Σₖ (q_k − y_k)·v_sk·z_s(1 − z_s)·x_i
    make_claim(
        "networks.ann_hidden_weight_gradient",
        title="∂L/∂wᵢₛ = Σₖ(qₖ − yₖ)vₛₖzₛ(1 − zₛ)xᵢ, yₖ = 1{k = y} (one sample)",
        source=ANN,
        symbols="x: matrix(1, m), W: matrix(m, b), V: matrix(b, c), y: index(c)",
        kind="gradient",
        f=lambda s: _loss(s.x, s.W, s.V, s.y),
        wrt="W",
        rhs=lambda s: _sp().Matrix(
            s.m,
            s.b,
            lambda i, j: _total(
                (_q(s.x, s.W, s.V)[0, k] - (1 if k == int(s.y) else 0))
                * s.V[j, k]
                * _z(s.x, s.W)[0, j]
                * (1 - _z(s.x, s.W)[0, j])
                * s.x[0, i]
                for k in range(s.c)
            ),
        ),
        sizes=ANN_SIZES,
    ),
    # xᵀ·((q − y)·vᵀ × z(1 − z)), shapes written (z, n)·((n, z)·(z, z) × (n, z)); the shapes that
    # fit are xᵀ m×N, (q − y) N×c, Vᵀ c×b, z(1 − z) N×b, giving m×b like W. Batch mean here.
    make_claim(
        "networks.ann_hidden_weight_gradient_matrix",
        title="batch mean: ∂/∂W −(1/N)Σᵢ log Q_{i,yᵢ} = (1/N) Xᵀ(((Q − Y)Vᵀ) ⊙ Z ⊙ (1 − Z)) "
        "(N = 2, c = 2, every labelling)",
        source=ANN,
        symbols="X: matrix(2, m), W: matrix(m, b), V: matrix(b, c), y1: index(c), y2: index(c)",
        kind="gradient",
        f=lambda s: _total(_loss(s.X[i, :], s.W, s.V, yi) for i, yi in enumerate(_batch_labels(s, 2)))
        / 2,
        wrt="W",
        rhs=lambda s: s.X.T
        @ hadamard(
            hadamard(
                (
                    _q(s.X, s.W, s.V)
                    - _sp().Matrix.vstack(*[_onehot_row(yi, s.c) for yi in _batch_labels(s, 2)])
                )
                @ s.V.T,
                _z(s.X, s.W),
            ),
            ops.ones(2, s.b) - _z(s.X, s.W),
        )
        / 2,
        sizes=[{"m": 2, "b": 2, "c": 2}],  # c = 3: 9 label cases, ~15 s
    ),
)
