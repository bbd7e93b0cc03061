"""``derive`` on a tenth set of held-out questions (weight normalisation by v and by g,
Rayleigh quotients, PCA reconstruction, Mahalanobis distances by the precision and the mean,
Gaussian mixtures by a mean and by the mixing logits, knowledge distillation, Gumbel-softmax,
triplet and contrastive losses away from the hinge, cosine similarity, dice and soft IoU,
LSTM and GRU cells by their weights, masked and multi-head attention, LoRA, Cholesky factors,
Kronecker quadratic forms, Jacobians of element-wise functions of affine maps in both
layouts, Hessians of softplus and log-sum-exp compositions, two-layer classifiers, Gaussian
likelihoods by the noise, matrix functions by a scalar, axis reductions, structured
variables): each result is compared with central differences of an independent NumPy
reading of EXPR (all 433 questions of the round were checked against torch autograd, and their
emitted NumPy, outside the suite); the tests below the table are questions derive got
wrong, slow, unreadable or only checked."""

from __future__ import annotations

import pytest
from test_derive_round6 import derived
from test_derive_round7 import assert_right

from verifier.derive import derive, prove

G, H, J = "gradient", "hessian", "jacobian"
D, NU = "denominator", "numerator"

# ----- the questions derive answers right (each derived in under 0.05 s) -----

S1 = ('v: vector(n), g: scalar, x: vector(n), r: scalar, gv: vector(m), V: matrix(m, n), '
      'X: matrix(N, n), y: vector(N), u: vector(m)')
S2 = 'x: vector(n), A: matrix(n, n), B: matrix(n, n), S: matrix(n, n)'
S3 = 'X: matrix(N, n), W: matrix(n, k), lam: scalar, A: matrix(n, k)'
S6 = 'a: vector(n), p: vector(n), q: vector(n), m: scalar, W: matrix(k, n), T: scalar'
S8 = 'L: matrix(n, n), x: vector(n), S: matrix(n, n), X: matrix(N, n), mu: vector(n)'
S9 = 'W: matrix(m, n), x: vector(n), b: vector(m), a: scalar'
S13 = ('Y: matrix(N, d), P: matrix(N, N), A: matrix(N, N), x: vector(n), Z: matrix(n, d), '
      'L: matrix(n, n), S: matrix(n, n), t: scalar')
S14 = 'Z: matrix(N, d), A: matrix(N, N)'
S15 = ('X: matrix(N, d), w: vector(d), y: vector(N), e: vector(N), s: scalar, '
      'mu: vector(d), S: matrix(d, d), t: scalar')
S16 = ('x: vector(n), A: matrix(n, n), B: matrix(n, n), b: vector(n), c: scalar, '
      'P: matrix(n, n), Q: matrix(n, n), u: vector(n), v: vector(n)')
S17 = ('X: matrix(n, n), A: matrix(n, n), B: matrix(n, n), C: matrix(n, n), S: matrix(n, '
      'n), Y: matrix(n, m), Z: matrix(m, n), k: scalar')
S18 = ('z: vector(n), a: scalar, y: vector(n), w: vector(n), x: vector(n), p: vector(n), '
      'q: vector(n)')
S19 = ('K: matrix(n, n), y: vector(n), s: scalar, L: matrix(n, n), A: matrix(n, n), '
      'l: scalar, D2: matrix(n, n)')
S20 = ('W: matrix(m, n), X: matrix(n, N), Y: matrix(m, N), M: matrix(m, N), L: matrix(N, '
      'N), lam: scalar')
S21 = ('X: matrix(N, d), R: matrix(N, d), g: vector(d), b: vector(d), eps: scalar, '
      'W: matrix(d, k), Y: matrix(N, k)')
S22 = ('X: matrix(n, n), A: matrix(n, n), S: matrix(n, n), Q: matrix(n, n), x: vector(n), '
      't: scalar, B: matrix(n, m), Dg: matrix(n, n)')
S23 = ('z: vector(n), lo: scalar, hi: scalar, x: vector(n), w: vector(n), W: matrix(n, n), '
      'a: vector(n), b: vector(n)')
S24 = 't: scalar, A: matrix(n, n), B: matrix(n, n), x: vector(n), u: vector(n), C: matrix(n, m)'

QUESTIONS = [
    ('r * g * (v.T @ x) / norm(v)', 'g', S1, G, D, ()),
    ('g * v / norm(v)', 'g', S1, J, NU, ()),
    ('x.T @ A @ x / (x.T @ x)', 'A', S2, G, D, ()),
    ('trace(W.T @ X.T @ X @ W)', 'W', S3, G, D, ()),
    ('norm(X @ W) ** 2', 'W', S3, G, D, ()),
    ('norm(a - p) ** 2 - norm(a - q) ** 2 + m', 'q', S6, G, D, ()),
    ('log(det(L @ L.T))', 'L', S8, G, D, ('L positive definite',)),
    ('2 * sum(log(diag(L)))', 'L', S8, G, D, ('L positive definite',)),
    ('relu(W @ x + b)', 'x', S9, J, NU, ()),
    ('(W @ x + b) ** 2', 'b', S9, J, NU, ()),
    ('a * (W @ x + b)', 'a', S9, J, NU, ()),
    ('trace(Z.T @ L @ Z)', 'Z', S13, G, D, ()),
    ('trace(Z.T @ (diag(A @ ones(N)) - A) @ Z)', 'Z', S14, G, D, ('A symmetric',)),
    ('norm(X @ w - y) ** 2 / (2 * s) + N * log(s) / 2', 'w', S15, H, D, ('s positive',)),
    ('-sum(y * (X @ w) - exp(X @ w) * exp(t))', 't', S15, G, D, ()),
    ('N * log(det(S)) / 2 + trace(inv(S) @ X.T @ X) / 2', 'S', S15, G, D, ('S positive definite',)),
    ('trace(inv(S) @ X.T @ X)', 'S', S15, G, NU, ('S positive definite',)),
    ('log(det(X.T @ X + s * eye(d)))', 'X', S15, G, D, ('s positive',)),
    ('log(det(X.T @ X + s * eye(d)))', 's', S15, H, D, ('s positive',)),
    ('y.T @ X @ inv(X.T @ X + s * eye(d)) @ X.T @ y', 's', S15, G, D, ('s positive',)),
    ('(A @ x + b).T @ (A @ x + b)', 'x', S16, H, D, ()),
    ('x.T @ A @ B @ x', 'x', S16, G, D, ()),
    ('x.T @ A.T @ A @ x + b.T @ x + c', 'x', S16, G, D, ()),
    ('x.T @ A.T @ A @ x + b.T @ x + c', 'A', S16, G, D, ()),
    ('(u.T @ x) * (v.T @ x)', 'x', S16, H, D, ()),
    ('sqrt(x.T @ P @ x)', 'x', S16, G, NU, ('P positive definite',)),
    ('x.T @ inv(P) @ x', 'P', S16, G, D, ('P positive definite',)),
    ('x.T @ inv(P) @ x', 'x', S16, H, D, ('P positive definite',)),
    ('b.T @ inv(A) @ b', 'A', S16, G, NU, ()),
    ('u.T @ inv(A + v @ v.T) @ u', 'v', S16, G, D, ('A positive definite',)),
    ('norm(A @ x - b, ) ** 2', 'x', S16, G, D, ()),
    ('x.T @ (A - A.T) @ x', 'x', S16, G, D, ()),
    ('x.T @ Q @ x', 'x', S16, G, D, ('Q skew-symmetric',)),
    ('trace(A @ diag(x))', 'x', S16, G, D, ()),
    ('sum(diag(A) * x)', 'x', S16, G, D, ()),
    ('x.T @ diag(u) @ x', 'u', S16, G, D, ()),
    ('x.T @ diag(u) @ x', 'x', S16, H, D, ()),
    ('norm(diag(x) @ A) ** 2', 'x', S16, G, D, ()),
    ('log(det(diag(exp(x)) + A @ A.T))', 'x', S16, G, D, ()),
    ('trace(X @ X @ X)', 'X', S17, G, D, ()),
    ('trace(X.T @ A @ X @ B)', 'X', S17, G, D, ()),
    ('trace(inv(X) @ A @ inv(X) @ B)', 'X', S17, G, D, ()),
    ('det(X) ** 2', 'X', S17, G, D, ()),
    ('log(abs(det(X)))', 'X', S17, G, NU, ()),
    ('trace(S @ inv(X) @ S)', 'X', S17, G, D, ('S symmetric',)),
    ('norm(X @ Y - A @ Y) ** 2', 'X', S17, G, D, ()),
    ('norm(Z @ X - Z @ A) ** 2', 'X', S17, G, D, ()),
    ('trace(X @ X.T) ** 2', 'X', S17, G, D, ()),
    ('norm(X.T @ X - eye(n)) ** 2', 'X', S17, G, D, ()),
    ('sum(X * X.T)', 'X', S17, G, D, ()),
    ('sum(exp(X))', 'X', S17, G, D, ()),
    ('sum(log(X))', 'X', S17, G, D, ('X positive',)),
    ('trace(inv(eye(n) + k * X))', 'k', S17, G, D, ('X positive definite', 'k positive')),
    ('trace(inv(eye(n) + k * X))', 'k', S17, H, D, ('X positive definite', 'k positive')),
    ('det(A + k * B)', 'k', S17, G, D, ('A positive definite',)),
    ('X @ A @ X', 'k', S17, G, D, ()),
    ('exp(k * A) * B', 'k', S17, G, D, ()),
    ('exp(k * A) * B', 'k', S17, H, D, ()),
    ('sigmoid(k * A)', 'k', S17, G, D, ()),
    ('sum(z ** 3) / 3', 'z', S18, H, D, ()),
    ('sum(z * sigmoid(a * z))', 'a', S18, G, D, ()),
    ('sum(p * log(p / q))', 'q', S18, G, D, ('p positive', 'q positive')),
    ('-sum(y * log(softmax(z)))', 'z', S18, H, D, ('y sums to 1',)),
    ('y.T @ inv(K + s * eye(n)) @ y / 2 + log(det(K + s * eye(n))) / 2',
     'K', S19, G, D, ('K positive definite', 's positive')),
    ('y.T @ inv(L @ L.T + s * eye(n)) @ y', 'L', S19, G, D, ('s positive',)),
    ('log(det(L @ L.T + s * eye(n)))', 'L', S19, G, D, ('s positive',)),
    ('trace(inv(K) @ A)', 'K', S19, G, D, ('K positive definite',)),
    ('trace(W @ X @ L @ X.T @ W.T)', 'L', S20, G, D, ()),
    ('sum(M * log(1 + exp(-Y * (W @ X))))', 'W', S20, G, D, ()),
    ('sum(M * log(1 + exp(-Y * (W @ X))))', 'X', S20, G, NU, ()),
    ('sum(mean(X, axis=0) ** 2)', 'X', S21, G, D, ()),
    ('sum(logsumexp(X @ W, axis=1)) - sum(Y * (X @ W))', 'X', S21, G, D, ()),
    ('norm(X - ones(N) @ mean(X, axis=0)) ** 2', 'X', S21, G, D, ()),
    ('sum(sum(X ** 2, axis=1) ** 2)', 'X', S21, G, D, ()),
    ('sum(sqrt(sum(X ** 2, axis=1) + eps))', 'X', S21, G, D, ('eps positive',)),
    ('sum(log_softmax(X @ W, axis=1) * Y)', 'X', S21, G, D, ()),
    ('trace(A @ X)', 'X', S22, G, D, ('X symmetric',)),
    ('log(det(X))', 'X', S22, G, D, ('X positive definite',)),
    ('x.T @ X @ x', 'X', S22, G, D, ('X symmetric',)),
    ('trace(X @ X)', 'X', S22, G, D, ('X symmetric',)),
    ('trace(inv(X) @ S)', 'X', S22, G, D, ('X positive definite', 'S symmetric')),
    ('norm(Q @ x) ** 2', 'x', S22, G, D, ('Q orthogonal',)),
    ('x.T @ Q.T @ A @ Q @ x', 'x', S22, G, D, ('Q orthogonal',)),
    ('trace(Q.T @ A @ Q)', 'A', S22, G, D, ('Q orthogonal',)),
    ('x.T @ S @ x', 'x', S22, H, D, ('S skew-symmetric',)),
    ('log(det(S + t * A))', 't', S22, G, D, ('S positive definite', 'A symmetric')),
    ('norm(x, ) ** 3', 'x', S23, H, D, ()),
    ('relu(w.T @ x)', 'w', S23, H, D, ()),
    ('sum(relu(W @ x) ** 2)', 'W', S23, G, D, ()),
    ('inv(A + t * B)', 't', S24, G, D, ('A positive definite', 'B symmetric')),
    ('exp(t * A) * B', 't', S24, G, NU, ()),
    ('x.T @ inv(A + t * eye(n)) @ x', 't', S24, G, D, ('A positive definite', 't positive')),
    ('x.T @ inv(A + t * eye(n)) @ x', 't', S24, H, D, ('A positive definite', 't positive')),
    ('tanh(t * x)', 't', S24, J, NU, ()),
    ('tanh(t * x)', 't', S24, J, D, ()),
    ('C * t ** 2', 't', S24, G, D, ()),
    ('det(A + t * u @ u.T)', 't', S24, G, D, ('A positive definite',)),
    ('log(1 + t ** 2)', 't', S24, H, D, ()),
    ('sqrt(t)', 't', S24, H, D, ('t positive',)),
    ('t ** 3 - 3 * t', 't', S24, H, D, ()),
    ('softmax(t * x)', 't', S24, J, NU, ()),
]


@pytest.mark.parametrize("expr, wrt, symbols, kind, layout, assume",
                         [pytest.param(*row, id=f"{k}-{row[3]}-{row[1]}")
                          for k, row in enumerate(QUESTIONS)])
def test_each_answer_is_the_entrywise_derivative(expr, wrt, symbols, kind, layout, assume):
    d = derived(expr, wrt, symbols, kind, layout, assume)
    assert d.form == "closed"
    assert_right(d, expr, symbols, assume)


# ----- an entry of an expression reads as an entry -----

MIX = "x: vector(n), m1: vector(n), m2: vector(n), a: vector(C), W: matrix(C, n), c: index(C)"
GMM = ("log(softmax(a)[0] * exp(-norm(x - m1) ** 2 / 2) + softmax(a)[1] * exp(-norm(x - m2) "
       "** 2 / 2))")


@pytest.mark.parametrize("expr, wrt, entries", [
    # printed onehot(0, C).T @ softmax(a) (an entry of a declared vector only read as x[i])
    (GMM, "m1", ("softmax(a)[0]", "softmax(a)[1]")),
    # onehot(c, C).T @ W @ x: three factors, the entry (W @ x)[c]
    ("(W @ x)[c] ** 2", "x", ("(W @ x)[c]",)),
    # log_softmax(W @ s).T @ onehot(c, C): the one-hot on the right of a transposed function
    ("exp(log_softmax(W @ x)[c] - norm(x) ** 2)", "x", ("log_softmax(W @ x)[c]",)),
])
def test_an_entry_of_an_expression_prints_as_an_entry(expr, wrt, entries):
    d = derive(expr, wrt, MIX)
    for raw in ("onehot(0, C).T @", "onehot(1, C).T @", "onehot(c, C).T @", ").T @ onehot("):
        assert raw not in d.text, d.text
    for entry in entries:
        assert entry in d.text, d.text
    assert_right(d, expr, MIX, ())


def test_an_entry_is_printed_in_every_format():
    d = derive("(W @ x)[c] ** 2", "x", MIX)
    assert "(Wx)[c]" in d.unicode and "\\left(W x\\right)_{c}" in d.latex


# ----- Hessians through |·|: proved, not only checked -----

HU = ('X: matrix(N, d), w: vector(d), y: vector(N), dl: scalar, r: vector(N), lam: scalar, '
      'al: scalar')
HUBER = "sum((abs({r}) <= dl) * {r} ** 2 / 2 + (abs({r}) > dl) * dl * (abs({r}) - dl / 2))"
NET = ("norm(X @ w - y) ** 2 / (2 * N) + lam * (al * sum(abs(w)) + (1 - al) * norm(w) ** 2 "
       "/ 2)")
KINKED = ("dl positive", "lam positive", "al in (0, 1)")


@pytest.mark.parametrize("expr, wrt, want", [
    # 'checked numerically only': the differential had no rule for |·|, and the exact
    # re-check at n = 2 kept SymPy's DiracDelta (the derivative of sign at 0)
    (HUBER.format(r="r"), "r", "diag((abs(r) <= dl))"),
    # the exact build at n = 3 then ran past 36 s: a kinked claim is re-checked along
    # random directions, as a transcendental one is
    (HUBER.format(r="(X @ w - y)"), "w", "X.T @ diag((abs(X @ w - y) <= dl)) @ X"),
    (NET, "w", "lam * (1 - al) * eye(d) + X.T @ X / N"),
    ("norm(X @ w - y) ** 2 / 2 + lam * sum(abs(w))", "w", "X.T @ X"),
    ("sum(abs(r))", "r", "zeros(N, N)"),
])
def test_a_hessian_through_abs_is_proved_in_general_dimension(expr, wrt, want):
    d = derive(expr, wrt, HU, kind=H, assume=KINKED)
    assert d.text == want
    verdict = prove(d, timeout=60).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential"), verdict.detail


@pytest.mark.parametrize("lhs, rhs", [
    ("hessian(sum(abs(r)), r)", "eye(N)"),
    (f"hessian({HUBER.format(r='r')}, r)", "diag((abs(r) >= dl))"),
    (f"hessian({HUBER.format(r='(X @ w - y)')}, w)", "X.T @ X"),
    (f"hessian({NET}, w)", "lam * eye(d) + X.T @ X / N"),
    ("grad(sum(abs(r)), r)", "ones(N)"),
])
def test_a_wrong_hessian_through_abs_is_not_proved(lhs, rhs):
    from verifier.claimfile import one_liner
    from verifier.derive.differential import prove_differential
    from verifier.strategies.context import Context

    claim = one_liner(lhs, rhs, HU, KINKED, "denominator", id="kink")
    verdict = prove_differential(Context(claim, budget=60))
    assert verdict is None or verdict.status == "refuted", verdict
