"""``derive`` on a seventeenth set of held-out questions, as outsiders phrase them (a two-layer
network by each weight and bias, in batches, with a dropout mask; an optimizer step by the
learning rate, the momentum and eps; Jacobians of softmax with a temperature, layer norm,
x/√(‖x‖² + ε), swish by its β, GELU's erf form; regularisers: group lasso by rows and by
columns, ‖WᵀW − I‖², ‖W‖⁴_F, log det(WᵀW), smoothed total variation; log-likelihoods of
Student-t, von Mises, Laplace, negative binomial, beta, logistic and Gumbel, heteroscedastic
Gaussians; ranking losses: pairwise logistic, margin, ListNet with a temperature, BPR;
matrix functions: tr(X⁵), tr((XᵀX)³), log det(I + XᵀX), tr((YYᵀ)⁻¹), det(X)^p, GP evidence by
the noise; second derivatives in one variable with symbolic parameters; scalars inside
vectors: temperature, scale, margin, bias, label smoothing, an RBF width; Hessian-vector
products).  Every question was checked outside the suite first (central differences at two
points, the engine's verdict, times): all 204 agree with central differences and all are
proved (the ELU written with min since this round's fix; it was checked only).  The tests
below the table are what derive proved slowly or did not prove: derivatives through min and
max (ELU, clip, the pinball and Huber losses, leaky relu, ReLU6) and a polynomial's slope."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest
import sympy as sp
from test_derive_round6 import SCOPE, derived, point, truth, value
from test_derive_round15 import _at as _at_scalars
from test_derive_round15 import assert_agrees as agrees_at

from verifier.derive import prove

G, J, H = "gradient", "jacobian", "hessian"
D, NUM = "denominator", "numerator"
SCOPE.setdefault("min", lambda a, b=None: np.min(a) if b is None else np.minimum(a, b))


def _at(expr: str, symbols: str, assume: tuple, seed: int) -> dict:
    """Round 15's point, with a vector or matrix assumed in an interval drawn inside it
    entry by entry (round 6's ``point`` leaves it a standard normal draw)."""
    env = _at_scalars(expr, symbols, assume, seed)
    rng = np.random.default_rng(seed + 100)
    for a in assume:
        m = re.fullmatch(r"(\w+) in \(([-\d.]+), ([-\d.]+)\)", a)
        if m and np.ndim(env[m[1]]) > 0:
            lo, hi = float(m[2]), float(m[3])
            env[m[1]] = rng.uniform(lo + (hi - lo) / 10, hi - (hi - lo) / 10, env[m[1]].shape)
    return env


def assert_agrees(expr, wrt, symbols, kind, layout, assume, seeds=(1, 2)) -> None:
    """Round 15's check at this round's points."""
    agrees_at(expr, wrt, symbols, kind, layout, assume, seeds, at=_at)


# ----- the round's questions: each printed answer against central differences -----

NET = ('x: vector(d), W1: matrix(h, d), b1: vector(h), W2: matrix(C, h), b2: vector(C), '
       'y: vector(C), X: matrix(N, d), Y: matrix(N, C), M: matrix(N, h), v: vector(h), '
       'u: vector(C)')
OPT = ('X: matrix(N, d), w: vector(d), y: vector(N), g: vector(d), m: vector(d), lr: scalar, '
       'mu: vector(d), bt: scalar, ws: vector(d), s: vector(d), eps: scalar, lam: scalar')
JAC = ('x: vector(n), z: vector(n), W: matrix(m, n), b: vector(m), g: vector(n), bb: vector(n), '
       'eps: scalar, T: scalar, a: vector(n), A: matrix(n, n), c: scalar, p: vector(n), '
       'q: vector(n)')
REG = ('W: matrix(n, k), w: vector(n), D: matrix(m, n), L: matrix(n, n), lam: scalar, '
       'eps: scalar, c: scalar, X: matrix(N, n), y: vector(N), Wk: matrix(k, n), '
       'P: matrix(n, n)')
HVP = ('X: matrix(N, d), w: vector(d), v: vector(d), y: vector(N), x: vector(n), u: vector(n), '
       'A: matrix(n, n), Z: matrix(n, n), V: matrix(n, n)')
LIK = ('X: matrix(N, d), w: vector(d), y: vector(N), nu: scalar, s: scalar, k: scalar, '
       'mu: scalar, b: scalar, r: scalar, al: scalar, bt: scalar, p: vector(N), z: vector(N), '
       'th: vector(N), v: vector(d), s2: scalar')
RANK = ('Xp: matrix(N, d), Xn: matrix(N, d), w: vector(d), y: vector(n), sc: vector(n), '
        'Xs: matrix(n, d), mg: scalar, sg: scalar, T: scalar, u: vector(d), vi: vector(d), '
        'vj: vector(d), lam: scalar')
MATF = ('X: matrix(n, n), Y: matrix(n, m), A: matrix(n, n), B: matrix(n, n), a: vector(n), '
        'b: vector(n), S: matrix(n, n), t: scalar, pw: scalar, Z: matrix(m, n), K: matrix(n, n)')
SCP = 'x: scalar, a: scalar, b: scalar, c: scalar'
INS = ('z: vector(n), c: vector(n), T: scalar, s: scalar, X: matrix(N, d), w: vector(d), '
       'y: vector(N), mg: scalar, b0: scalar, yv: vector(n), e: scalar, a: scalar, '
       'gm: scalar, x1: vector(d), x2: vector(d), x: vector(n), lam: scalar, K: matrix(N, N), '
       'sn: scalar')

QUESTIONS = [
    # ----- two-layer networks: by each weight and bias -----
    ('norm(W2 @ relu(W1 @ x + b1) + b2 - y) ** 2 / 2', 'W1', NET, G, D, ()),
    ('norm(W2 @ relu(W1 @ x + b1) + b2 - y) ** 2 / 2', 'b1', NET, G, D, ()),
    ('norm(W2 @ relu(W1 @ x + b1) + b2 - y) ** 2 / 2', 'W2', NET, G, D, ()),
    ('norm(W2 @ relu(W1 @ x + b1) + b2 - y) ** 2 / 2', 'b2', NET, G, D, ()),
    ('norm(W2 @ relu(W1 @ x + b1) + b2 - y) ** 2 / 2', 'x', NET, G, D, ()),
    ('-y.T @ log_softmax(W2 @ tanh(W1 @ x + b1) + b2)', 'W1', NET, G, D, ('y sums to 1',)),
    ('-y.T @ log_softmax(W2 @ tanh(W1 @ x + b1) + b2)', 'b1', NET, G, D, ('y sums to 1',)),
    ('-y.T @ log_softmax(W2 @ tanh(W1 @ x + b1) + b2)', 'W2', NET, G, D, ('y sums to 1',)),
    ('-y.T @ log_softmax(W2 @ tanh(W1 @ x + b1) + b2)', 'b2', NET, G, D, ('y sums to 1',)),
    ('norm(tanh(X @ W1.T) @ W2.T - Y) ** 2 / 2', 'W1', NET, G, D, ()),
    ('norm(tanh(X @ W1.T) @ W2.T - Y) ** 2 / 2', 'W2', NET, G, D, ()),
    ('-sum(Y * log_softmax(sigmoid(X @ W1.T) @ W2.T, axis=1))', 'W2', NET, G, D, ()),
    ('-sum(Y * log_softmax(sigmoid(X @ W1.T) @ W2.T, axis=1))', 'W1', NET, G, D, ()),
    ('norm((M * relu(X @ W1.T)) @ v - Y @ u) ** 2 / 2', 'W1', NET, G, D, ()),
    ('u.T @ (W2 @ (W1 @ x) * sigmoid(W2 @ (W1 @ x)))', 'W1', NET, G, D, ()),
    ('sum(softplus(W2 @ softplus(W1 @ x)))', 'W1', NET, G, D, ()),
    ('norm(W2 @ relu(W1 @ x + b1) + b2 - y) ** 2 / 2', 'b2', NET, H, D, ()),
    ('-y.T @ log_softmax(W2 @ tanh(W1 @ x + b1) + b2)', 'b2', NET, H, D, ('y sums to 1',)),
    # ----- optimizer steps: by the learning rate and the momentum -----
    ('norm(X @ (w - lr * X.T @ (X @ w - y)) - y) ** 2 / 2', 'lr', OPT, G, D, ()),
    ('norm(X @ (w - lr * X.T @ (X @ w - y)) - y) ** 2 / 2', 'lr', OPT, H, D, ()),
    ('sum(log(1 + exp(-y * (X @ (w - lr * g)))))', 'lr', OPT, G, D, ()),
    ('sum(log(1 + exp(-y * (X @ (w - lr * g)))))', 'lr', OPT, H, D, ()),
    ('norm(w - lr * (bt * m + g) - ws) ** 2', 'lr', OPT, G, D, ()),
    ('norm(w - lr * (bt * m + g) - ws) ** 2', 'bt', OPT, G, D, ()),
    ('w - lr * m / (sqrt(s) + eps)', 'lr', OPT, J, NUM, ('s positive', 'eps positive')),
    ('w - lr * m / (sqrt(s) + eps)', 'eps', OPT, J, NUM, ('s positive', 'eps positive')),
    ('w - lr * (g + lam * w)', 'w', OPT, J, NUM, ()),
    ('norm(w - lr * g - ws) ** 2 / 2', 'w', OPT, G, D, ()),
    ('norm(X @ (w - lr * g) - y) ** 2 / 2', 'g', OPT, G, D, ()),
    ('norm(X @ (w - lr * X.T @ (X @ w - y)) - y) ** 2 / 2', 'w', OPT, G, D, ()),
    # ----- Jacobians of normalisations and activations -----
    ('softmax(z / T)', 'T', JAC, J, NUM, ('T positive',)),
    ('softmax(W @ x / T)', 'x', JAC, J, NUM, ('T positive',)),
    ('g * (x - mean(x)) / sqrt(var(x) + eps) + bb', 'x', JAC, J, NUM, ('eps positive',)),
    ('g * (x - mean(x)) / sqrt(var(x) + eps) + bb', 'g', JAC, J, NUM, ('eps positive',)),
    ('x / sqrt(norm(x) ** 2 + eps)', 'x', JAC, J, NUM, ('eps positive',)),
    ('W @ x / norm(W @ x)', 'x', JAC, J, NUM, ()),
    ('log_softmax(W @ x + b)', 'x', JAC, J, NUM, ()),
    ('z * sigmoid(z)', 'z', JAC, J, NUM, ()),
    ('x * sigmoid(c * x)', 'c', JAC, J, NUM, ()),
    ('tanh(W @ x + b)', 'b', JAC, J, NUM, ()),
    ('softmax(W @ x + b)', 'x', JAC, J, NUM, ()),
    ('x / sum(abs(x))', 'x', JAC, J, NUM, ()),
    ('x / (1 + norm(x) ** 2)', 'x', JAC, J, NUM, ()),
    ('x / (a.T @ x)', 'a', JAC, J, NUM, ()),
    ('exp(z) / sum(exp(z))', 'z', JAC, J, NUM, ()),
    ('z - logsumexp(z)', 'z', JAC, J, NUM, ()),
    ('sqrt(softmax(z))', 'z', JAC, J, NUM, ()),
    ('softmax(z) * (1 - softmax(z))', 'z', JAC, J, NUM, ()),
    ('x * (1 + erf(x / sqrt(2))) / 2', 'x', JAC, J, NUM, ()),
    ('relu(W @ x + b) ** 2', 'x', JAC, J, NUM, ()),
    ('p / sum(p)', 'p', JAC, J, NUM, ('p positive',)),
    ('(x - mean(x)) / norm(x - mean(x))', 'x', JAC, J, NUM, ()),
    ('softmax(log(p) + z)', 'z', JAC, J, NUM, ('p positive',)),
    ('softmax((log(p) + q) / T)', 'T', JAC, J, NUM, ('p positive', 'T positive')),
    # ----- regularisers -----
    ('sum(sqrt(sum(W ** 2, axis=1)))', 'W', REG, G, D, ()),
    ('sum(sqrt(sum(W ** 2, axis=0)))', 'W', REG, G, D, ()),
    ('trace((W.T @ W - eye(k)) @ (W.T @ W - eye(k)))', 'W', REG, G, D, ()),
    ('norm(Wk @ Wk.T - eye(k)) ** 2', 'Wk', REG, G, D, ()),
    ('sum(sqrt(W ** 2 + eps))', 'W', REG, G, D, ('eps positive',)),
    ('sum(sqrt((D @ w) ** 2 + eps))', 'w', REG, G, D, ('eps positive',)),
    ('sum(sqrt((D @ w) ** 2 + eps))', 'w', REG, H, D, ('eps positive',)),
    ('norm(D @ w) ** 2 / 2', 'w', REG, H, D, ()),
    ('trace(W.T @ L @ W)', 'W', REG, G, D, ()),
    ('log(det(W.T @ W))', 'W', REG, G, D, ()),
    ('sum(log(1 + w ** 2 / c))', 'w', REG, G, D, ('c positive',)),
    ('sum(log(1 + w ** 2 / c))', 'w', REG, H, D, ('c positive',)),
    ('norm(X @ w - y) ** 2 / 2 + lam * sum(sqrt(w ** 2 + eps))', 'w', REG, G, D,
     ('eps positive',)),
    ('norm(W) ** 4', 'W', REG, G, D, ()),
    ('norm(W.T @ P @ W) ** 2', 'W', REG, G, D, ()),
    ('lam * norm(w) ** 2 / 2 + (1 - lam) * norm(w)', 'w', REG, G, D, ()),
    ('norm(w) ** 2 / (1 + norm(w) ** 2)', 'w', REG, G, D, ()),
    ('sum(w ** 2 / (w ** 2 + eps))', 'w', REG, H, D, ('eps positive',)),
    # ----- log-likelihoods -----
    ('sum((nu + 1) / 2 * log(1 + (y - X @ w) ** 2 / (nu * s ** 2)))', 'w', LIK, G, D,
     ('nu positive', 's positive')),
    ('sum((nu + 1) / 2 * log(1 + (y - X @ w) ** 2 / (nu * s ** 2)))', 'w', LIK, H, D,
     ('nu positive', 's positive')),
    ('sum((nu + 1) / 2 * log(1 + (y - X @ w) ** 2 / (nu * s ** 2)))', 's', LIK, G, D,
     ('nu positive', 's positive')),
    ('sum((nu + 1) / 2 * log(1 + (y - X @ w) ** 2 / (nu * s ** 2)))', 'nu', LIK, G, D,
     ('nu positive', 's positive')),
    ('(nu + 1) / 2 * log(1 + (b - mu) ** 2 / nu)', 'mu', LIK, H, D, ('nu positive',)),
    ('-k * sum(cos(th - mu))', 'mu', LIK, G, D, ()),
    ('-k * sum(cos(th - mu))', 'mu', LIK, H, D, ()),
    ('-k * sum(cos(y - X @ w))', 'w', LIK, G, D, ()),
    ('-k * sum(cos(y - X @ w))', 'w', LIK, H, D, ()),
    ('sum(abs(y - X @ w)) / b + N * log(2 * b)', 'b', LIK, G, D, ('b positive',)),
    ('sum(abs(y - X @ w)) / b + N * log(2 * b)', 'w', LIK, G, D, ('b positive',)),
    ('sum(abs(y - X @ w)) / b + N * log(2 * b)', 'b', LIK, H, D, ('b positive',)),
    ('-sum(y * (X @ w) - (y + r) * log(exp(X @ w) + r))', 'w', LIK, G, D, ('r positive',)),
    ('-sum(y * (X @ w) - (y + r) * log(exp(X @ w) + r))', 'w', LIK, H, D, ('r positive',)),
    ('-sum(y * (X @ w) - (y + r) * log(exp(X @ w) + r))', 'r', LIK, G, D, ('r positive',)),
    ('-sum((al - 1) * log(p) + (bt - 1) * log(1 - p))', 'p', LIK, H, D, ('p in (0, 1)',)),
    ('-sum((al - 1) * log(sigmoid(z)) + (bt - 1) * log(1 - sigmoid(z)))', 'z', LIK, G, D, ()),
    ('-sum((al - 1) * log(sigmoid(z)) + (bt - 1) * log(1 - sigmoid(z)))', 'z', LIK, H, D, ()),
    ('-sum((al - 1) * log(p) + (bt - 1) * log(1 - p))', 'al', LIK, G, D, ('p in (0, 1)',)),
    ('sum((y - X @ w) ** 2) / (2 * s2) + N * log(s2) / 2', 's2', LIK, G, D, ('s2 positive',)),
    ('sum((y - X @ w) ** 2) / (2 * s2) + N * log(s2) / 2', 's2', LIK, H, D, ('s2 positive',)),
    ('sum((y - X @ w) ** 2 * exp(-(X @ v)) / 2 + X @ v / 2)', 'v', LIK, G, D, ()),
    ('sum((y - X @ w) ** 2 * exp(-(X @ v)) / 2 + X @ v / 2)', 'v', LIK, H, D, ()),
    ('sum(exp(-(y - X @ w) / b) + (y - X @ w) / b)', 'w', LIK, G, D, ('b positive',)),
    ('sum((y - X @ w) / s + 2 * log(1 + exp(-(y - X @ w) / s)))', 'w', LIK, G, D,
     ('s positive',)),
    ('sum(exp(X @ w) * y - X @ w)', 'w', LIK, H, D, ('y positive',)),
    ('-sum(k * log(y) - k * (X @ w) - y * exp(-(X @ w)) * k)', 'w', LIK, H, D,
     ('y positive', 'k positive')),
    # ----- ranking losses -----
    ('sum(log(1 + exp(-(Xp @ w - Xn @ w))))', 'w', RANK, G, D, ()),
    ('sum(log(1 + exp(-(Xp @ w - Xn @ w))))', 'w', RANK, H, D, ()),
    ('sum(log(1 + exp(-sg * (Xp - Xn) @ w)))', 'sg', RANK, G, D, ()),
    ('sum(relu(mg - (Xp - Xn) @ w))', 'w', RANK, G, D, ()),
    ('sum(relu(mg - (Xp - Xn) @ w))', 'mg', RANK, G, D, ()),
    ('-softmax(y).T @ log_softmax(Xs @ w)', 'w', RANK, G, D, ()),
    ('-softmax(y).T @ log_softmax(sc)', 'sc', RANK, H, D, ()),
    ('-softmax(y / T).T @ log_softmax(sc / T)', 'T', RANK, G, D, ('T positive',)),
    ('-log(sigmoid(u.T @ (vi - vj))) + lam * norm(u) ** 2', 'u', RANK, G, D, ()),
    ('-log(sigmoid(u.T @ (vi - vj))) + lam * norm(u) ** 2', 'vi', RANK, G, D, ()),
    ('-log(sigmoid(u.T @ (vi - vj)))', 'u', RANK, H, D, ()),
    ('sum(relu(mg - (Xp - Xn) @ w) ** 2)', 'w', RANK, H, D, ()),
    ('-y.T @ log_softmax(Xs @ w)', 'w', RANK, H, D, ('y sums to 1',)),
    # ----- matrix functions -----
    ('trace(X @ X @ X @ X @ X)', 'X', MATF, G, D, ()),
    ('trace(X.T @ X @ X.T @ X @ X.T @ X)', 'X', MATF, G, D, ()),
    ('log(det(eye(m) + Y.T @ Y))', 'Y', MATF, G, D, ()),
    ('trace(inv(Y @ Y.T))', 'Y', MATF, G, D, ()),
    ('norm(Y) ** 4', 'Y', MATF, G, D, ()),
    ('a.T @ inv(X + X.T) @ b', 'X', MATF, G, D, ()),
    ('det(X) ** 3', 'X', MATF, G, D, ()),
    ('exp(pw * log(det(S)))', 'S', MATF, G, D, ('S positive definite',)),
    ('log(det(S)) ** 2', 'S', MATF, G, D, ('S positive definite',)),
    ('trace(inv(X) @ A @ X @ B)', 'X', MATF, G, D, ()),
    ('trace(X @ A @ X.T @ B)', 'X', MATF, G, D, ()),
    ('trace(inv(eye(n) + Y @ Y.T))', 'Y', MATF, G, D, ()),
    ('log(det(Y @ Y.T))', 'Y', MATF, G, D, ()),
    ('norm(inv(X) @ a) ** 2', 'X', MATF, G, D, ()),
    ('det(eye(n) + t * A)', 't', MATF, H, D, ()),
    ('trace(inv(S + t * eye(n)))', 't', MATF, G, D, ('S positive definite', 't positive')),
    ('log(det(X)) - trace(S @ X)', 'X', MATF, G, D, ('X positive definite',)),
    ('a.T @ X @ X @ b', 'X', MATF, G, D, ()),
    ('sum(X @ X @ X)', 'X', MATF, G, D, ()),
    ('b.T @ inv(X) @ inv(X).T @ b', 'X', MATF, G, D, ()),
    ('trace(A @ inv(X) @ B @ inv(X))', 'X', MATF, G, D, ()),
    ('a.T @ inv(S) @ a / 2 + log(det(S)) / 2', 'S', MATF, G, D, ('S positive definite',)),
    ('trace(X @ X.T) ** 3', 'X', MATF, G, D, ()),
    ('det(X.T @ X)', 'X', MATF, G, D, ()),
    ('trace(inv(X @ X))', 'X', MATF, G, D, ()),
    ('norm(X @ X.T - A) ** 2', 'X', MATF, G, D, ()),
    ('log(det(K + t * eye(n)))', 't', MATF, H, D, ('K positive definite', 't positive')),
    ('a.T @ inv(K + t * eye(n)) @ a', 't', MATF, G, D, ('K positive definite', 't positive')),
    ('inv(X) @ a', 'a', MATF, J, NUM, ()),
    ('X @ X @ a', 'a', MATF, J, NUM, ()),
    # ----- scalar calculus with symbolic parameters (second derivatives) -----
    ('exp(-a * x ** 2)', 'x', SCP, H, D, ()),
    ('x ** 2 * exp(-b * x)', 'x', SCP, H, D, ()),
    ('log(a + b * x ** 2)', 'x', SCP, H, D, ('a positive', 'b positive')),
    ('sin(a * x + b) ** 2', 'x', SCP, H, D, ()),
    ('a * x / (b + x)', 'b', SCP, H, D, ('x positive', 'b positive')),
    ('1 / (1 + exp(-a * (x - b)))', 'a', SCP, H, D, ()),
    ('atan(a * x)', 'x', SCP, H, D, ()),
    ('sqrt(a ** 2 + x ** 2)', 'x', SCP, H, D, ('a positive',)),
    ('x * log(x / a)', 'x', SCP, H, D, ('x positive', 'a positive')),
    ('log(cosh(a * x))', 'x', SCP, H, D, ()),
    ('exp(a * x) * cos(b * x)', 'x', SCP, H, D, ()),
    ('tanh(a * x) / a', 'x', SCP, H, D, ('a positive',)),
    ('log(1 + a * exp(x))', 'x', SCP, H, D, ('a positive',)),
    ('erf(a * x)', 'x', SCP, H, D, ()),
    ('x * exp(-x / a)', 'a', SCP, H, D, ('a positive',)),
    ('x / sqrt(1 + a * x ** 2)', 'x', SCP, H, D, ('a positive',)),
    ('log(x) / x', 'x', SCP, H, D, ('x positive',)),
    ('cos(x) ** 2 - sin(x) ** 2', 'x', SCP, H, D, ()),
    ('exp(-1 / x)', 'x', SCP, H, D, ('x positive',)),
    ('x ** 3 / (1 + x ** 2)', 'x', SCP, H, D, ()),
    ('a * exp(-b * x) + c', 'b', SCP, H, D, ()),
    ('(x - a) ** 2 / (2 * b ** 2) + log(b)', 'b', SCP, H, D, ('b positive',)),
    ('exp(a * log(x)) * exp(-b * x)', 'x', SCP, G, D, ('x positive',)),
    ('relu(x) + a * (exp(min(x, 0)) - 1)', 'x', SCP, G, D, ()),
    ('relu(x) + a * (exp(min(x, 0)) - 1)', 'a', SCP, G, D, ()),
    ('sqrt(x ** 2 + a ** 2) - a', 'a', SCP, G, D, ('a positive',)),
    ('x * sigmoid(a * x)', 'a', SCP, H, D, ()),
    ('log(sigmoid(a * x + b))', 'b', SCP, H, D, ()),
    # ----- scalars inside vectors: temperature, scale, margin, bias -----
    ('logsumexp(z / T)', 'T', INS, H, D, ('T positive',)),
    ('T * logsumexp(z / T)', 'T', INS, H, D, ('T positive',)),
    ('softmax(z / T).T @ c', 'T', INS, H, D, ('T positive',)),
    ('-yv.T @ log_softmax(s * z)', 's', INS, H, D, ()),
    ('norm(s * (X @ w) - y) ** 2', 's', INS, G, D, ()),
    ('sum(relu(mg - y * (X @ w)))', 'mg', INS, G, D, ()),
    ('sum(log(1 + exp(mg - y * (X @ w))))', 'mg', INS, H, D, ()),
    ('norm(X @ w + b0 * ones(N) - y) ** 2', 'b0', INS, G, D, ()),
    ('sum(log(1 + exp(-y * (X @ w + b0))))', 'b0', INS, H, D, ()),
    ('-((1 - e) * yv + e / n).T @ log_softmax(z)', 'z', INS, G, D, ('yv sums to 1',)),
    ('-((1 - e) * yv + e / n).T @ log_softmax(z)', 'e', INS, G, D, ('yv sums to 1',)),
    ('sum(sigmoid(a * z + s))', 'a', INS, G, D, ()),
    ('norm(x - a * ones(n)) ** 2', 'a', INS, G, D, ()),
    ('sum(exp(-gm * (x - c) ** 2))', 'gm', INS, H, D, ()),
    ('exp(-gm * norm(x1 - x2) ** 2)', 'gm', INS, G, D, ()),
    ('exp(-gm * norm(x1 - x2) ** 2)', 'x1', INS, H, D, ()),
    ('(x1.T @ x2 + a) ** 3', 'x1', INS, G, D, ()),
    ('(x1.T @ x2 + a) ** 3', 'a', INS, G, D, ()),
    ('logsumexp(a * z) / a', 'a', INS, G, D, ('a positive',)),
    ('norm(X @ inv(X.T @ X + lam * eye(d)) @ X.T @ y - y) ** 2', 'lam', INS, G, D,
     ('lam positive',)),
    ('y.T @ inv(K + sn * eye(N)) @ y / 2 + log(det(K + sn * eye(N))) / 2', 'sn', INS, G, D,
     ('K positive definite', 'sn positive')),
    ('y.T @ inv(K + sn * eye(N)) @ y / 2 + log(det(K + sn * eye(N))) / 2', 'K', INS, G, D,
     ('K positive definite', 'sn positive')),
    ('sum(relu(1 - y * (X @ w) / s))', 's', INS, G, D, ('s positive',)),
    ('log(sum(exp(z / T))) - c.T @ z / T', 'T', INS, G, D, ('T positive',)),
]


@pytest.mark.parametrize("expr, wrt, symbols, kind, layout, assume", QUESTIONS)
def test_the_derivative_agrees_with_finite_differences(expr, wrt, symbols, kind, layout, assume):
    assert_agrees(expr, wrt, symbols, kind, layout, assume)


@pytest.mark.parametrize("expr, wrt, symbols, kind, layout, assume", QUESTIONS[5::12])
def test_the_derivative_is_proved(expr, wrt, symbols, kind, layout, assume):
    # every twelfth question (16; all 204 were proved outside the suite but the ELU written
    # with min, proved since this round's fix)
    verdict = prove(derived(expr, wrt, symbols, kind, layout, assume), timeout=20).verdict
    assert verdict.status == "proved", verdict


# ----- Hessian-vector products: a grad or hessian inside EXPR -----

HVP = ('X: matrix(N, d), w: vector(d), v: vector(d), y: vector(N), x: vector(n), u: vector(n), '
       'A: matrix(n, n), Z: matrix(n, n), V: matrix(n, n)')

# (EXPR, the inner derivative, the same by hand, its function, its variable, its kind): the
# answer is compared with central differences of EXPR with the inner derivative written by
# hand, and the hand form with central differences of its function (NumPy has no grad)
HVP_QUESTIONS = [
    ('v.T @ {}', 'grad(sum(log(1 + exp(X @ w))), w)', 'X.T @ sigmoid(X @ w)',
     'sum(log(1 + exp(X @ w)))', 'w', G),
    ('v.T @ {}', 'grad(norm(X @ w - y) ** 2 / 2, w)', 'X.T @ (X @ w - y)',
     'norm(X @ w - y) ** 2 / 2', 'w', G),
    ('u.T @ {}', 'grad(logsumexp(x), x)', 'softmax(x)', 'logsumexp(x)', 'x', G),
    ('u.T @ {}', 'grad(sum(softplus(A @ x)), x)', 'A.T @ sigmoid(A @ x)',
     'sum(softplus(A @ x))', 'x', G),
    ('sum(V * {})', 'grad(log(det(Z)), Z)', 'inv(Z).T', 'log(det(Z))', 'Z', G),
    ('u.T @ {}', 'grad(norm(x) ** 4, x)', '4 * norm(x) ** 2 * x', 'norm(x) ** 4', 'x', G),
    ('v.T @ {} @ v', 'hessian(sum(log(1 + exp(X @ w))), w)',
     'X.T @ diag(sigmoid(X @ w) * (1 - sigmoid(X @ w))) @ X', 'sum(log(1 + exp(X @ w)))', 'w', H),
    ('u.T @ {}', 'grad(x.T @ A @ x, x)', '(A + A.T) @ x', 'x.T @ A @ x', 'x', G),
    ('u.T @ {}', 'grad(sum(exp(A @ x)), x)', 'A.T @ exp(A @ x)', 'sum(exp(A @ x))', 'x', G),
    ('sum(V * {})', 'grad(trace(Z @ Z @ Z), Z)', '3 * (Z @ Z).T', 'trace(Z @ Z @ Z)', 'Z', G),
]


@pytest.mark.parametrize("outer, inner, by_hand, f, x, kind", HVP_QUESTIONS)
def test_a_hessian_vector_product_agrees_with_finite_differences(outer, inner, by_hand, f, x,
                                                                  kind):
    d = derived(outer.format(inner), x, HVP, G, D, ())
    for seed in (1, 2):
        env = point(HVP, (), seed=seed)
        assert np.allclose(value(by_hand, env), truth(f, x, env, kind, D), atol=1e-5)
        want = truth(outer.format(f"({by_hand})"), x, env, G, D)
        assert np.allclose(value(d.text, env), want, atol=1e-5 * (1 + np.abs(want).max())), d.text


# ----- min and max: proved by the differential, away from their kinks -----

ELU = "relu(x) + a * (exp(min(x, 0)) - 1)"
PINBALL = "sum(max(tau * (y - X @ w), (tau - 1) * (y - X @ w)))"
GLM = "X: matrix(N, d), w: vector(d), y: vector(N), tau: scalar"


@pytest.mark.parametrize("expr, wrt, symbols, assume, want", [
    # SymPy's derivative of min(x, 0) is 𝟙[x ≤ 0] (Piecewise((1, x <= 0), (0, True))); derive's
    # 𝟙[x < 0] differs from it only at the kink x = 0, where no derivative is claimed (as
    # d relu = 𝟙[a > 0] da, SymPy's DiracDelta read as 0), but the exact re-check took
    # x ≤ 0 and x < 0 for two comparisons and found the case x ≤ 0, not x < 0: checked only
    (ELU, "x", "x: scalar, a: scalar", (), "a * (x < 0) * exp(x) + (x > 0)"),
    ("sum(exp(min(x, 0)))", "x", "x: vector(n)", (), "(x < 0) * exp(x)"),
    # max's branch condition τ(y − Xw) − (τ − 1)(y − Xw) ≥ 0 is y − Xw > 0 away from the kink
    # (checked only after 44 s of proofs at fixed sizes)
    (PINBALL, "w", GLM, ("tau in (0, 1)",), "X.T @ ((1 - tau) * ones(N) - (y - X @ w > 0))"),
])
def test_a_gradient_through_min_or_max_is_proved_by_its_differential(expr, wrt, symbols, assume,
                                                                     want):
    d = derived(expr, wrt, symbols, G, D, assume)
    assert d.text == want, d.text
    assert_agrees(expr, wrt, symbols, G, D, assume)
    verdict = prove(d, timeout=20).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential"), verdict


@pytest.mark.parametrize("wrong", [
    "a * (x > 0) * exp(x) + (x > 0)",  # the branches swapped
    "(x < 0) * exp(x) + (x > 0)",  # the scale dropped
])
def test_a_wrong_gradient_through_min_is_not_proved(wrong):
    d = derived(ELU, "x", "x: scalar, a: scalar", G, D, ())
    assert prove(replace(d, text=wrong), timeout=10).verdict.status == "refuted"


@pytest.mark.parametrize("wrong", [
    "X.T @ ((1 - tau) * ones(N) - (y - X @ w < 0))",  # the indicator reversed
    "X.T @ (tau * ones(N) - (y - X @ w > 0))",  # τ for 1 − τ
])
def test_a_wrong_gradient_through_max_is_not_proved(wrong):
    d = derived(PINBALL, "w", GLM, G, D, ("tau in (0, 1)",))
    assert prove(replace(d, text=wrong), timeout=10).verdict.status == "refuted"


def test_a_case_split_reads_a_comparison_in_the_variable_away_from_its_kink():
    from verifier.derive.differential import _zero_in_every_case

    x, y = sp.symbols("x y", real=True)

    def step(c):
        return sp.Piecewise((1, c), (0, True))

    # x ≤ 0 and x < 0, x ≥ 0 and −x < 0, (1 − τ)u + τu > 0 and u > 0: one comparison each
    # away from the kink, in the variable x
    assert _zero_in_every_case(step(x <= 0) - step(x < 0), frozenset({x}))
    assert _zero_in_every_case(step(x >= 0) - step(-x < 0), frozenset({x}))
    tau = sp.Symbol("tau", real=True)
    u = y - 2 * x
    assert _zero_in_every_case(step(tau * u - (tau - 1) * u >= 0) - step(u > 0), frozenset({x}))
    # not where the comparison is not in the variable: y ≥ 1 and y > 1 differ at y = 1, a
    # point a binary y takes
    assert not _zero_in_every_case(step(y >= 1) - step(y > 1), frozenset({x}))
    assert not _zero_in_every_case(step(x <= 0) - step(x < 0))
    # and never where the branches differ off the kink
    assert not _zero_in_every_case(step(x <= 0) - step(x > 0), frozenset({x}))
    # nor where the two sides are equal on a region, not on a kink: x ≥ max(x, y) holds
    # wherever x ≥ y, x > max(x, y) nowhere; |x| ≥ x everywhere, |x| > x where x < 0
    assert not _zero_in_every_case(step(x >= sp.Max(x, y)) - step(x > sp.Max(x, y)),
                                   frozenset({x, y}))
    assert not _zero_in_every_case(step(sp.Abs(x) >= x) - step(sp.Abs(x) > x), frozenset({x}))
    # |x| ≤ c is a kink in x (two points): one comparison with |x| < c away from it
    c = sp.Symbol("c", positive=True)
    assert _zero_in_every_case(step(sp.Abs(x) <= c) - step(c - sp.Abs(x) > 0), frozenset({x}))


@pytest.mark.parametrize("expr, wrt, symbols, kind, layout, assume, want", [
    # clip(Xw, lo, hi) written with min and max: checked only after 17 s (five comparisons
    # per entry at n = 2, past the case split's four: lo − hi is shared by the samples)
    ("sum(min(max(X @ w, lo), hi))", "w", "X: matrix(N, d), w: vector(d), lo: scalar, "
     "hi: scalar", G, D, (), "X.T @ ((X @ w - hi < 0) * (X @ w - lo > 0))"),
    # the Huber loss written with min by r: checked only after 15 s (|r| under r > 0 is r,
    # and the slope along a direction through |x + tv| with a complex t held re and im)
    ("sum(min(abs(r), dl) ** 2 / 2 + dl * relu(abs(r) - dl))", "r", "r: vector(n), dl: scalar",
     G, D, ("dl positive",),
     "(abs(r) * (abs(r) - dl < 0) + dl * (abs(r) - dl > 0)) * ((r > 0) - (r < 0))"),
    # leaky relu as max(x, 0.01x): its constant 0.01 was decided apart from its branches
    ("sum(max(x, 0.01 * x))", "x", "x: vector(n)", G, D, (),
     "0.01 * ones(n) + 0.99 * (0.99 * x > 0)"),
    # Hessians and Jacobians through min and max: checked only (the re-check knew no kinks)
    ("max(x, 0) ** 2", "x", "x: scalar", H, D, (), "2 * (x > 0)"),
    (ELU, "x", "x: scalar, a: scalar", H, D, (), "a * (x < 0) * exp(x)"),
    ("min(relu(x), 6)", "x", "x: vector(n)", J, NUM, (), "diag((x > 0) * (x - 6 < 0))"),
])
def test_a_derivative_through_min_or_max_is_proved_in_each_case(expr, wrt, symbols, kind,
                                                                layout, assume, want):
    d = derived(expr, wrt, symbols, kind, layout, assume)
    assert d.text == want, d.text
    assert_agrees(expr, wrt, symbols, kind, layout, assume)
    verdict = prove(d, timeout=20).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential"), verdict


@pytest.mark.parametrize("expr, wrt, symbols, kind, layout, wrong", [
    ("sum(min(max(X @ w, lo), hi))", "w", "X: matrix(N, d), w: vector(d), lo: scalar, "
     "hi: scalar", G, D, "X.T @ (X @ w - lo > 0)"),  # the upper cut dropped
    ("max(x, 0) ** 2", "x", "x: scalar", H, D, "2 * (x < 0)"),
    ("min(relu(x), 6)", "x", "x: vector(n)", J, NUM, "diag((x > 0))"),  # off only past 6
])
def test_a_wrong_derivative_through_min_or_max_is_not_proved(expr, wrt, symbols, kind, layout,
                                                             wrong):
    d = derived(expr, wrt, symbols, kind, layout, ())
    assert prove(replace(d, text=wrong), timeout=10).verdict.status == "refuted"


# ----- the slope along a direction of a polynomial claim -----


def test_the_slope_of_a_polynomial_is_its_coefficient_of_t(monkeypatch):
    # tr((XᵀX)³)'s re-check along a direction brought f(X + tV), of degree 6 in t, over one
    # denominator with together() first: 2.6 s of the proof's CPU time, 1.1 s now
    import verifier.derive.slope as slope

    t = sp.Symbol("t", real=True)
    f = ((1 + 2 * t) ** 3 * (3 - t) ** 2 + (t + sp.Rational(1, 2)) ** 4).expand(deep=False)
    want = sp.diff(f, t).subs(t, 0)

    def no_together(*args, **kwargs):
        raise AssertionError("a polynomial went through together()")

    monkeypatch.setattr(slope.sp, "together", no_together)
    assert slope.exact_slope(f, t) == want
    monkeypatch.undo()
    g = f / (1 + t**2)  # a rational function still goes over one denominator
    assert slope.exact_slope(g, t) == sp.diff(g, t).subs(t, 0)
