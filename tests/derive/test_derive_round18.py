"""``derive`` on a nineteenth set of held-out questions, as outsiders phrase them
(normalisation layers: batch norm by X with a gain, RMS over the batch, layer norm per row by
its gain, shift and input, RMSNorm by its gain and input, layer norm of Wx as a Jacobian;
residual blocks x + V tanh(Ux) and x + V relu(Ux); MLPs with SiLU, softplus and GELU (erf
form); softmax and log-softmax Jacobians as matrices; label smoothing by z, by its α and with a
temperature; CosFace by the cosines, the margin and the scale; ArcFace through acos and its
expanded cos(θ + m); Circle loss; a multi-class margin; distillation with a student and a
teacher temperature; CLIP with two temperatures; KL between full-covariance Gaussians by each
mean and covariance and by a Cholesky factor; diagonal Wasserstein-2; Mahalanobis distances
by the matrix and by a factor; Gaussian log-likelihoods by Σ, μ and the precision; matrix
factorisation with balance and nuclear-style penalties, NMF's KL and Itakura–Saito losses;
lasso and elastic net away from the kinks, ridge Hessians and by λ, weighted logistic, Poisson
with an offset, inverse-Gaussian, probit and negative binomial GLMs; one-step-unrolled losses
by the learning rate and the weights; directional second derivatives (Hessian-vector products
as d²/dt²); d/dt of tr((A + tB)⁻¹), xᵀ(A + tB)⁻¹x, det(A + tB), log|det(A + tB)|; real
powers x ** a by a and by x, Box–Cox, x ** x, x ** (1/x)).  Every question was checked outside
the suite first (central differences of the NumPy reading of EXPR at two points, the engine's
verdict, times): all agree with central differences and all are proved.  Not in the table:
what the language refuses (mean(x ** p) ** (1 / p), (sum(x ** 2) + 1) ** a,
x ** a * (1 - x) ** b with x in (0, 1), log(x) ** a with x in (2, 5), x ** x of a vector:
bases positive by a form the language does not read, or a vector exponent; the exp-log
spellings of three of them are in the table).  The tests below the table are this round's
fixes."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from test_derive_round6 import SCOPE, SIZES, derived, value
from test_derive_round16 import assert_agrees

from verifier.derive import prove

G, J, H = "gradient", "jacobian", "hessian"
D, NUM = "denominator", "numerator"
SIZES.setdefault("M", 4)
SCOPE.setdefault("silu", lambda z: z / (1 + np.exp(-z)))
SCOPE.setdefault("acos", np.arccos)
SCOPE.setdefault("Phi", lambda z: (1 + SCOPE["erf"](z / np.sqrt(2))) / 2)

EPS = ('eps positive',)
NM = ('X: matrix(N, d), G: matrix(N, d), g: vector(d), bt: vector(d), x: vector(d), '
      'r: vector(d), u: vector(d), v: vector(d), eps: scalar, W: matrix(d, d), y: vector(d)')
BN_G = 'sum(G * ((X - mean(X, axis=0)) / sqrt(var(X, axis=0) + eps) * g.T + bt.T))'
LN_R = 'sum(G * ((X - mean(X, axis=1)) / sqrt(var(X, axis=1) + eps) * g.T + bt.T))'
RMS = 'norm(g * x / sqrt(mean(x ** 2) + eps) - y) ** 2 / 2'
GRP = ('r.T @ ((u - (sum(u) + sum(v)) / (2 * d)) / sqrt((norm(u - (sum(u) + sum(v)) / (2 * d)) '
       '** 2 + norm(v - (sum(u) + sum(v)) / (2 * d)) ** 2) / (2 * d) + eps))')
MLP = ('x: vector(n), W: matrix(m, n), b: vector(m), u: vector(m), W1: matrix(h, n), '
       'W2: matrix(m, h), y: vector(m), V: matrix(n, h), U: matrix(h, n), c: vector(n)')
GELU = '(W @ x) * (1 + erf(W @ x / sqrt(2))) / 2'
CLS = ('z: vector(C), y: vector(C), al: scalar, T: scalar, T1: scalar, T2: scalar, s: scalar, '
       'mg: scalar, c: vector(C), zs: vector(C), zt: vector(C), gm: scalar, sn: vector(k), '
       'sp: vector(k), W: matrix(C, d), x: vector(d)')
CLIP = ('Z: matrix(N, d), P: matrix(N, d), T1: scalar, T2: scalar')
GS = ('m1: vector(n), m2: vector(n), S1: matrix(n, n), S2: matrix(n, n), x: vector(n), '
      'mu: vector(n), S: matrix(n, n), P: matrix(n, n), A: matrix(n, n), X: matrix(N, n), '
      'v1: vector(n), v2: vector(n), L: matrix(n, n)')
KLF = ('(trace(inv(S2) @ S1) + (m2 - m1).T @ inv(S2) @ (m2 - m1) - n + log(det(S2)) - '
       'log(det(S1))) / 2')
PD12 = ('S1 positive definite', 'S2 positive definite')
NLL = '-log(det(S)) / 2 - (x - mu).T @ inv(S) @ (x - mu) / 2'
BNLL = ('N * log(det(S)) / 2 + trace(inv(S) @ (X - ones(N) @ mu.T).T @ (X - ones(N) @ mu.T)) / 2')
W2D = 'norm(m1 - m2) ** 2 + sum(v1 + v2 - 2 * sqrt(v1 * v2))'
MF = ('R: matrix(N, M), U: matrix(N, k), V: matrix(M, k), lam: scalar, Mk: matrix(N, M)')
RG = ('X: matrix(N, d), w: vector(d), y: vector(N), lam: scalar, al: scalar, W: matrix(d, C), '
      'Y: matrix(N, C), c: vector(N), lr: scalar, v: vector(d), t: scalar, Xv: matrix(k, d), '
      'yv: vector(k)')
TM = 'A: matrix(n, n), B: matrix(n, n), x: vector(n), t: scalar, C: matrix(n, n)'
PDA = ('A positive definite', 'B symmetric')
PW = 'x: vector(n), w: vector(n), y: vector(n), a: scalar, s: scalar, p: scalar, lam: scalar'
XX = 'x: scalar, a: scalar, y: scalar'

QUESTIONS = [
    # ----- normalisation layers -----
    (BN_G, 'X', NM, G, D, EPS),
    ('sum(G * (X / sqrt(mean(X ** 2, axis=0) + eps)))', 'X', NM, G, D, EPS),
    ('sum(G * (X - mean(X, axis=0)) * g.T)', 'X', NM, G, D, ()),
    (LN_R, 'g', NM, G, D, EPS),
    (LN_R, 'bt', NM, G, D, EPS),
    (LN_R, 'X', NM, G, D, EPS),
    (RMS, 'x', NM, G, D, EPS),
    (RMS, 'g', NM, G, D, EPS),
    (RMS, 'g', NM, H, D, EPS),
    ('g * x / sqrt(mean(x ** 2) + eps) + bt', 'g', NM, J, NUM, EPS),
    ('(W @ x - mean(W @ x)) / sqrt(var(W @ x) + eps)', 'x', NM, J, NUM, EPS),
    ('r.T @ ((W @ x - mean(W @ x)) / sqrt(var(W @ x) + eps))', 'W', NM, G, D, EPS),
    ('u.T @ W @ ((x - mean(x)) / sqrt(var(x) + eps))', 'x', NM, G, D, EPS),
    ('x + W @ (x / sqrt(mean(x ** 2) + eps))', 'x', NM, J, NUM, EPS),
    ('norm((x - mean(x)) / sqrt(var(x) + eps) - y) ** 2 / 2', 'x', NM, G, D, EPS),
    ('sum(G * (X / sqrt(mean(X ** 2, axis=1) + eps) * g.T))', 'g', NM, G, D, EPS),
    # ----- residual blocks, MLPs (SiLU, softplus, GELU), softmax Jacobians -----
    ('u.T @ (W2 @ relu(W1 @ x))', 'W1', MLP, G, D, ()),
    ('c.T @ (x + V @ relu(U @ x))', 'U', MLP, G, D, ()),
    ('c.T @ (x + V @ relu(U @ x))', 'V', MLP, G, D, ()),
    ('c.T @ (x + V @ tanh(U @ x))', 'x', MLP, G, D, ()),
    ('x + V @ tanh(U @ x)', 'x', MLP, J, NUM, ()),
    ('norm(x + V @ tanh(U @ x) - c) ** 2 / 2', 'U', MLP, G, D, ()),
    ('x + V @ softplus(U @ x)', 'x', MLP, J, NUM, ()),
    ('u.T @ silu(W @ x)', 'W', MLP, G, D, ()),
    ('u.T @ silu(W @ x)', 'x', MLP, G, D, ()),
    ('u.T @ silu(W @ x)', 'x', MLP, H, D, ()),
    ('u.T @ (W2 @ silu(W1 @ x))', 'W1', MLP, G, D, ()),
    ('silu(W @ x + b)', 'b', MLP, J, NUM, ()),
    ('u.T @ softplus(W @ x + b)', 'W', MLP, G, D, ()),
    ('u.T @ softplus(W @ x + b)', 'b', MLP, G, D, ()),
    ('u.T @ softplus(W @ x + b)', 'x', MLP, H, D, ()),
    ('norm(W2 @ softplus(W1 @ x) - y) ** 2 / 2', 'W1', MLP, G, D, ()),
    ('norm(W2 @ softplus(W1 @ x) - y) ** 2 / 2', 'W2', MLP, G, D, ()),
    ('u.T @ ((W @ x) * (1 + erf(W @ x / sqrt(2))) / 2)', 'W', MLP, G, D, ()),
    ('u.T @ ((W @ x) * (1 + erf(W @ x / sqrt(2))) / 2)', 'x', MLP, G, D, ()),
    ('norm(W @ x + b - y) ** 2 / 2 + sum(softplus(W @ x + b))', 'b', MLP, H, D, ()),
    ('softmax(W @ x) * u', 'x', MLP, J, NUM, ()),
    ('log_softmax(c)', 'c', MLP, J, NUM, ()),
    ('W.T @ softmax(W @ x)', 'x', MLP, J, NUM, ()),
    ('u.T @ tanh(W2 @ tanh(W1 @ x))', 'W1', MLP, G, D, ()),
    ('sum(softplus(W @ x))', 'x', MLP, H, D, ()),
    ('u.T @ (W2 @ softplus(W1 @ x))', 'x', MLP, H, D, ()),
    # ----- classification: smoothing, temperatures, margins, distillation -----
    ('-((1 - al) * y + al / C).T @ log_softmax(z)', 'z', CLS, G, D, ('y sums to 1',)),
    ('-((1 - al) * y + al / C).T @ log_softmax(z)', 'z', CLS, H, D, ('y sums to 1',)),
    ('-((1 - al) * y + al / C).T @ log_softmax(z)', 'al', CLS, G, D, ('y sums to 1',)),
    ('-((1 - al) * y + al / C).T @ log_softmax(z / T)',
     'T', CLS, G, D, ('y sums to 1', 'T positive')),
    ('-((1 - al) * y + al / C).T @ log_softmax(W @ x)', 'W', CLS, G, D, ('y sums to 1',)),
    ('-y.T @ log_softmax(W @ x / T)', 'x', CLS, G, D, ('y sums to 1', 'T positive')),
    ('-y.T @ log_softmax(s * (c - mg * y))', 'c', CLS, G, D, ('y sums to 1',)),
    ('-y.T @ log_softmax(s * (c - mg * y))', 'mg', CLS, G, D, ('y sums to 1',)),
    ('-y.T @ log_softmax(s * (c - mg * y))', 's', CLS, G, D, ('y sums to 1',)),
    ('-y.T @ log_softmax(s * (c - mg * y))', 's', CLS, H, D, ('y sums to 1',)),
    ('-y.T @ log_softmax(s * (W @ x / norm(x) - mg * y))', 'W', CLS, G, D, ('y sums to 1',)),
    ('-y.T @ log_softmax(s * cos(acos(c) + mg * y))',
     'c', CLS, G, D, ('y sums to 1', 'c in (-1, 1)')),
    ('-y.T @ log_softmax(s * cos(acos(c) + mg * y))',
     'mg', CLS, G, D, ('y sums to 1', 'c in (-1, 1)')),
    ('-y.T @ log_softmax(s * (c * cos(mg) - sqrt(1 - c ** 2) * sin(mg) * y + c * (1 - y)))',
     'c', CLS, G, D, ('y sums to 1', 'c in (-1, 1)')),
    ('log(1 + sum(exp(gm * (sn - mg))) * sum(exp(-gm * (sp - 1 + mg))))', 'sn', CLS, G, D, ()),
    ('log(1 + sum(exp(gm * (sn - mg))) * sum(exp(-gm * (sp - 1 + mg))))', 'sp', CLS, G, D, ()),
    ('log(1 + sum(exp(gm * (sn - mg))) * sum(exp(-gm * (sp - 1 + mg))))', 'gm', CLS, G, D, ()),
    ('log(1 + sum(exp(gm * (sn - mg))) * sum(exp(-gm * (sp - 1 + mg))))', 'sn', CLS, H, D, ()),
    ('softplus(logsumexp(gm * (sn + mg) * (sn - mg)) + logsumexp(-gm * (1 + mg - sp) * (sp - '
     '1 + mg)))',
     'sp', CLS, G, D, ()),
    ('sum(relu(mg + z - y.T @ z))', 'z', CLS, G, D, ('y sums to 1',)),
    ('logsumexp(z + mg * (1 - y)) - y.T @ z', 'z', CLS, G, D, ('y sums to 1',)),
    ('logsumexp(z + mg * (1 - y)) - y.T @ z', 'z', CLS, H, D, ('y sums to 1',)),
    ('-softmax(zt / T2).T @ log_softmax(zs / T1)', 'zs', CLS, G, D, ('T1 positive', 'T2 positive')),
    ('-softmax(zt / T2).T @ log_softmax(zs / T1)', 'zt', CLS, G, D, ('T1 positive', 'T2 positive')),
    ('-softmax(zt / T2).T @ log_softmax(zs / T1)', 'T1', CLS, G, D, ('T1 positive', 'T2 positive')),
    ('-softmax(zt / T2).T @ log_softmax(zs / T1)', 'T2', CLS, G, D, ('T1 positive', 'T2 positive')),
    ('T ** 2 * softmax(zt / T).T @ (log_softmax(zt / T) - log_softmax(zs / T))',
     'zs', CLS, G, D, ('T positive',)),
    ('T ** 2 * softmax(zt / T).T @ (log_softmax(zt / T) - log_softmax(zs / T))',
     'T', CLS, G, D, ('T positive',)),
    ('-softmax(zt / T2).T @ log_softmax(zs / T1)', 'zs', CLS, H, D, ('T1 positive', 'T2 positive')),
    ('-y.T @ (exp(gm * log(1 - softmax(z))) * log_softmax(z))',
     'z', CLS, G, D, ('y sums to 1', 'gm positive')),
    ('softmax(z).T @ c + T * softmax(z).T @ log_softmax(z)', 'z', CLS, G, D, ('T positive',)),
    ('softmax(z).T @ c + T * softmax(z).T @ log_softmax(z)', 'T', CLS, G, D, ('T positive',)),
    # ----- CLIP-style contrastive loss with two temperatures -----
    ('-trace(log_softmax(Z @ P.T / T1)) - trace(log_softmax(P @ Z.T / T2))',
     'Z', CLIP, G, D, ('T1 positive', 'T2 positive')),
    ('-trace(log_softmax(Z @ P.T / T1)) - trace(log_softmax(P @ Z.T / T2))',
     'T1', CLIP, G, D, ('T1 positive', 'T2 positive')),
    ('-trace(log_softmax(Z @ P.T / T1)) - trace(log_softmax(P @ Z.T / T2))',
     'T2', CLIP, H, D, ('T1 positive', 'T2 positive')),
    ('-trace(log_softmax(Z @ P.T / T1, axis=0))', 'P', CLIP, G, D, ('T1 positive',)),
    # ----- Gaussians: KL (full covariance), W2 (diagonal), Mahalanobis, log-likelihood -----
    (KLF, 'm1', GS, G, D, PD12),
    (KLF, 'm2', GS, G, D, PD12),
    (KLF, 'S1', GS, G, D, PD12),
    (KLF, 'S2', GS, G, D, PD12),
    (KLF, 'm1', GS, H, D, PD12),
    ('(trace(inv(S2) @ L @ L.T) + m1.T @ inv(S2) @ m1 - n + log(det(S2)) - log(det(L @ L.T))) / 2',
     'L', GS, G, D, ('S2 positive definite',)),
    ('(trace(L @ L.T) + m1.T @ m1 - n - log(det(L @ L.T))) / 2', 'L', GS, G, D, ()),
    (W2D, 'v1', GS, G, D, ('v1 positive', 'v2 positive')),
    (W2D, 'v1', GS, H, D, ('v1 positive', 'v2 positive')),
    (W2D, 'm1', GS, G, D, ('v1 positive', 'v2 positive')),
    ('norm(m1 - m2) ** 2 + norm(sqrt(v1) - sqrt(v2)) ** 2',
     'v2', GS, G, D, ('v1 positive', 'v2 positive')),
    ('sqrt((x - mu).T @ S @ (x - mu))', 'S', GS, G, D, ('S positive definite',)),
    ('sqrt((x - mu).T @ S @ (x - mu))', 'mu', GS, G, D, ('S positive definite',)),
    ('trace((X - ones(N) @ mu.T) @ A @ (X - ones(N) @ mu.T).T)', 'A', GS, G, D, ()),
    ('trace((X - ones(N) @ mu.T) @ A @ (X - ones(N) @ mu.T).T)', 'mu', GS, G, D, ()),
    ('(x - mu).T @ L @ L.T @ (x - mu)', 'L', GS, G, D, ()),
    (NLL, 'S', GS, G, D, ('S positive definite',)),
    (NLL, 'mu', GS, G, D, ('S positive definite',)),
    (NLL, 'x', GS, H, D, ('S positive definite',)),
    (BNLL, 'mu', GS, G, D, ('S positive definite',)),
    (NLL, 'S', GS, G, D, ('S symmetric',)),
    ('sqrt((x - mu).T @ L @ L.T @ (x - mu))', 'L', GS, G, D, ()),
    # ----- matrix factorisation and low-rank penalties -----
    ('norm(R - U @ V.T) ** 2', 'U', MF, G, D, ()),
    ('norm(R - U @ V.T) ** 2', 'V', MF, G, D, ()),
    ('norm(R - U @ V.T) ** 2 + lam * norm(U @ V.T) ** 2', 'U', MF, G, D, ()),
    ('norm(R - U @ V.T) ** 2 / 2 + lam * norm(U.T @ U - V.T @ V) ** 2 / 4', 'U', MF, G, D, ()),
    ('norm(R - U @ V.T) ** 2 / 2 + lam * norm(U.T @ U - V.T @ V) ** 2 / 4', 'V', MF, G, D, ()),
    ('sum(R * log(R / (U @ V.T)) - R + U @ V.T)',
     'V', MF, G, D, ('R positive', 'U positive', 'V positive')),
    ('sum(R / (U @ V.T) - log(R / (U @ V.T)) - 1)',
     'U', MF, G, D, ('R positive', 'U positive', 'V positive')),
    ('norm(Mk * (R - U @ V.T)) ** 2 / 2 + lam * trace(U.T @ U)', 'U', MF, G, D, ()),
    ('norm(R - U @ U.T @ R) ** 2', 'U', MF, G, D, ()),
    ('trace(U.T @ R @ V) - lam * norm(U) ** 2 * norm(V) ** 2 / 2', 'V', MF, G, D, ()),
    # ----- penalised regression, GLM Hessians, unrolled steps, directional derivatives -----
    ('norm(X @ w - y) ** 2 / 2 + lam * sum(abs(w))', 'w', RG, G, D, ()),
    ('norm(X @ w - y) ** 2 / (2 * N) + lam * (al * sum(abs(w)) + (1 - al) * norm(w) ** 2 / 2)',
     'w', RG, G, D, ()),
    ('norm(X @ w - y) ** 2 / (2 * N) + lam * (al * sum(abs(w)) + (1 - al) * norm(w) ** 2 / 2)',
     'w', RG, H, D, ()),
    ('norm(X @ w - y) ** 2 + lam * norm(w) ** 2', 'w', RG, H, D, ()),
    ('norm(X @ W - Y) ** 2 + lam * norm(W) ** 2', 'W', RG, G, D, ()),
    ('norm(y - X @ inv(X.T @ X + lam * eye(d)) @ X.T @ y) ** 2',
     'lam', RG, G, D, ('lam positive',)),
    ('sum(c * (softplus(X @ w) - y * (X @ w)))', 'w', RG, H, D, ('c positive',)),
    ('sum(softplus(X @ w) - y * (X @ w)) + lam * norm(w) ** 2 / 2', 'w', RG, H, D, ()),
    ('sum(y / (X @ w) + log(X @ w))', 'w', RG, G, D, ('y positive', 'X positive', 'w positive')),
    ('-sum(y * log(Phi(X @ w)) + (1 - y) * log(1 - Phi(X @ w)))', 'w', RG, G, D, ('y in (0, 1)',)),
    ('sum((y + al) * softplus(X @ w) - y * (X @ w))', 'w', RG, H, D, ('y positive', 'al positive')),
    ('sum(log(1 + (X @ w - y) ** 2))', 'w', RG, H, D, ()),
    ('norm(Xv @ (w - lr * X.T @ (X @ w - y)) - yv) ** 2 / 2', 'w', RG, G, D, ()),
    ('norm(Xv @ (w - lr * X.T @ (X @ w - y)) - yv) ** 2 / 2', 'lr', RG, H, D, ()),
    ('sum(softplus(Xv @ (w - lr * X.T @ (sigmoid(X @ w) - y))))', 'lr', RG, H, D, ()),
    ('sum(softplus(X @ (w + t * v)))', 't', RG, H, D, ()),
    ('logsumexp(X @ (w + t * v))', 't', RG, H, D, ()),
    ('norm(X @ (w + t * v) - y) ** 2', 't', RG, H, D, ()),
    ('sum(softplus(X @ (w + t * v)))', 't', RG, G, D, ()),
    ('sum(exp(X @ w + c) - y * (X @ w + c))', 'w', RG, H, D, ()),
    ('sum((y + al) * log(1 + exp(X @ w) / al) - y * (X @ w))',
     'w', RG, G, D, ('y positive', 'al positive')),
    ('norm(X @ (w - lr * v) - y) ** 2', 'lr', RG, H, D, ()),
    ('sum(softplus(X @ (w - lr * X.T @ sigmoid(X @ w))))', 'lr', RG, G, D, ()),
    ('log(det(X.T @ X + lam * eye(d)))', 'lam', RG, H, D, ('lam positive',)),
    ('norm(tanh(X @ (w + t * v))) ** 2', 't', RG, G, D, ()),
    # ----- a scalar parameter inside a matrix -----
    ('trace(inv(A + t * B))', 't', TM, G, D, PDA),
    ('x.T @ inv(A + t * B) @ x', 't', TM, H, D, PDA),
    ('det(A + t * B)', 't', TM, H, D, ()),
    ('log(det(A + t * B)) - trace(C @ inv(A + t * B))', 't', TM, G, D, PDA),
    ('trace((A + t * B) @ (A + t * B) @ (A + t * B))', 't', TM, H, D, ()),
    ('norm(inv(A + t * B) @ x) ** 2', 't', TM, G, D, PDA),
    ('log(det(A + t * B @ B.T))', 't', TM, G, D, ('A positive definite',)),
    ('log(det(eye(n) + t * A))', 't', TM, H, D, ('A positive definite',)),
    ('trace(inv(eye(n) + t * A) @ C)', 't', TM, G, D, ('A positive definite',)),
    ('trace(inv(A + t * B) @ C)', 't', TM, H, D, PDA),
    ('log(abs(det(A + t * B)))', 't', TM, H, D, ()),
    ('norm(A + t * B) ** 2', 't', TM, H, D, ()),
    # ----- real powers of a positive vector -----
    ('sum(x ** a)', 'a', PW, G, D, ('x positive',)),
    ('sum(x ** a)', 'a', PW, H, D, ('x positive',)),
    ('sum(x ** a)', 'x', PW, G, D, ('x positive',)),
    ('sum(x ** a)', 'x', PW, H, D, ('x positive',)),
    ('sum(w * x ** a)', 'a', PW, H, D, ('x positive',)),
    ('norm(x ** a - y) ** 2', 'a', PW, G, D, ('x positive',)),
    ('x ** a', 'x', PW, J, NUM, ('x positive',)),
    ('sum((x ** lam - 1) / lam)', 'lam', PW, G, D, ('x positive', 'lam positive')),
    ('sum(x ** s) / s', 's', PW, G, D, ('x positive', 's positive')),
    ('sum(w ** 2 * x ** (2 * a))', 'a', PW, G, D, ('x positive',)),
    ('sum(x ** 2.5)', 'x', PW, H, D, ('x positive',)),
    ('sum(x ** a * log(x))', 'a', PW, G, D, ('x positive',)),
    ('sum(w * x ** a)', 'x', PW, G, D, ('x positive',)),
    ('exp(a * log(sum(x ** 2) + 1))', 'a', PW, H, D, ()),
    ('exp(a * log(norm(x) ** 2 + 1))', 'x', PW, G, D, ()),
    # ----- real powers in one variable -----
    ('x ** x', 'x', XX, G, D, ('x positive',)),
    ('x ** (1 / x)', 'x', XX, G, D, ('x positive',)),
    ('x ** (1 / x)', 'x', XX, H, D, ('x positive',)),
    ('x ** (x ** 2)', 'x', XX, G, D, ('x positive',)),
    ('(1 + x) ** a', 'a', XX, H, D, ('x positive',)),
    ('y ** a * x ** (1 - a)', 'a', XX, H, D, ('x positive', 'y positive')),
    ('x ** sin(x)', 'x', XX, G, D, ('x positive',)),
    ('exp(a * log(x) + y * log(1 - x))', 'x', XX, G, D, ('x in (0, 1)',)),
    ('x ** (a + 1) / (a + 1)', 'a', XX, G, D, ('x positive', 'a positive')),
    ('exp(a * log(x))', 'x', XX, H, D, ('x positive',)),
]


@pytest.mark.parametrize("expr, wrt, symbols, kind, layout, assume", QUESTIONS)
def test_the_derivative_agrees_with_finite_differences(expr, wrt, symbols, kind, layout, assume):
    assert_agrees(expr, wrt, symbols, kind, layout, assume)


@pytest.mark.parametrize("expr, wrt, symbols, kind, layout, assume",
                         [QUESTIONS[i] for i in (2, 28, 48, 83, 137)])
def test_the_derivative_is_proved(expr, wrt, symbols, kind, layout, assume):
    # five questions, each proved in under 0.2 s (all 172 were proved outside the suite, in
    # at most 4.5 s; the suite's time budget leaves room for a few)
    verdict = prove(derived(expr, wrt, symbols, kind, layout, assume), timeout=10).verdict
    assert verdict.status == "proved", verdict


# ----- this round's fixes -----


POWERS = [
    # the language reads x ** a as exp(a log x); its derivative printed that way:
    # a * (exp(a * log(x)) / x), a * (a - 1) * diag(exp(a * log(x)) / x ** 2)
    ("sum(x ** a)", "x", PW, G, ("x positive",), "a * x ** (a - 1)"),
    ("sum(x ** a)", "x", PW, H, ("x positive",), "a * (a - 1) * diag(x ** (a - 2))"),
    ("sum(x ** a)", "a", PW, G, ("x positive",), "(x ** a).T @ log(x)"),
    ("x ** a", "x", XX, H, ("x positive",), "a * (a - 1) * x ** (a - 2)"),
    ("x ** x", "x", XX, G, ("x positive",), "(log(x) + 1) * x ** x"),
    # an exponent in the base's own symbol is not merged: x^(1/x)/x², not x^(1/x − 2)
    ("x ** (1 / x)", "x", XX, G, ("x positive",), "(1 - log(x)) * x ** (1 / x) / x ** 2"),
    ("y ** a * x ** (1 - a)", "a", XX, H, ("x positive", "y positive"),
     "(log(y) - log(x)) ** 2 * y ** a * x ** (1 - a)"),
    # log(x) ** a reads back: the language takes log(x) positive from x in (2, 5) (lead19)
    ("exp(a * log(log(x)))", "x", XX, G, ("x in (2, 5)",), "log(x) ** (a - 1) * a / x"),
]


@pytest.mark.parametrize("expr, wrt, symbols, kind, assume, want", POWERS)
def test_a_real_power_prints_as_a_power(expr, wrt, symbols, kind, assume, want):
    d = derived(expr, wrt, symbols, kind, D, assume)
    assert d.text == want, d.text
    assert_agrees(expr, wrt, symbols, kind, D, assume)


@pytest.mark.parametrize("expr, wrt, symbols, kind, assume, want",
                         [POWERS[i] for i in (0, 1, 4)])
def test_a_real_power_is_proved(expr, wrt, symbols, kind, assume, want):
    # each of the eight in under 0.6 s outside the suite; three here for the time budget
    verdict = prove(derived(expr, wrt, symbols, kind, D, assume), timeout=10).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential"), verdict


def test_a_wrong_power_is_refuted():
    d = derived("sum(x ** a)", "x", PW, G, D, ("x positive",))
    for wrong in ("a * x ** a", "x ** (a - 1)"):
        assert prove(replace(d, text=wrong), timeout=10).verdict.status == "refuted", wrong


HUBER = "sum(min(abs(r), dl) ** 2 / 2 + dl * relu(abs(r) - dl))"
HUBER_SYMBOLS = "r: vector(n), dl: scalar"


def test_the_huber_hessian_written_with_min_is_proved():
    # checked only before: the residual held 𝟙[|r| − δ < 0] − 𝟙[δ − |r| > 0] (one comparison
    # spelt twice), and the re-check along directions drew |r₃| = δ = 4, a kink, where the
    # slope differs from any Hessian
    d = derived(HUBER, "r", HUBER_SYMBOLS, H, D, ("dl positive",))
    # diag((dl - abs(r) > 0) * ((r > 0) - (r < 0)) ** 2) until round 19: 0 at r = 0
    assert d.text == "diag((dl - abs(r) > 0))", d.text
    verdict = prove(d, timeout=10).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential"), verdict
    for wrong in ("diag(abs(r) - dl > 0)", "diag((dl - abs(r) > 0) * (r > 0))"):
        assert prove(replace(d, text=wrong), timeout=10).verdict.status == "refuted", wrong


def test_a_point_on_a_kink_is_told_from_one_beside_it():
    import sympy as sp

    from verifier.derive.differential import _at_a_kink

    tree = derived(HUBER, "r", HUBER_SYMBOLS, H, D, ("dl positive",)).tree
    r = sp.Matrix([sp.Rational(1, 2), 2, 4])
    assert _at_a_kink(tree, D, {"r": r, "dl": 4})  # |r₃| = δ
    assert _at_a_kink(tree, D, {"r": sp.Matrix([0, 2, 5]), "dl": 4})  # r₁ = 0, inside |·|
    assert not _at_a_kink(tree, D, {"r": r, "dl": 3})


@pytest.mark.parametrize("expr, want", [
    # X @ ones(d, d) / d and ((X - X @ ones(d, d) / d) * (X - X @ ones(d, d) / d)) @ ones(d) / d
    # before: 138 characters
    (LN_R, "(G * (X - mean(X, axis=1)) / sqrt(var(X, axis=1) + eps)).T @ ones(N)"),
    ("sum(G * (X / sqrt(mean(X ** 2, axis=1) + eps) * g.T))",
     "(G * X / sqrt(mean(X ** 2, axis=1) + eps)).T @ ones(N)"),
])
def test_a_mean_or_variance_along_an_axis_prints_as_written(expr, want):
    d = derived(expr, "g", NM, G, D, EPS)
    assert d.text == want, d.text
    verdict = prove(d, timeout=10).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential"), verdict
    wrong = want.replace("sqrt(", "(")
    assert prove(replace(d, text=wrong), timeout=10).verdict.status == "refuted"


@pytest.mark.parametrize("expr, longest", [
    # 477, 505 and 435 characters before: ones(N) @ ones(N).T @ X / N four times and the
    # variance also as (ones(N).T @ ((ones(N, N) @ X) ** 2 / N ** 2 + X ** 2) - ...) / N
    ("sum(G * ((X - mean(X, axis=0)) / sqrt(var(X, axis=0) + eps)))", 210),
    (BN_G, 240),
    (LN_R, 210),
])
def test_normalisation_by_its_input_reads_its_statistics(expr, longest):
    d = derived(expr, "X", NM, G, D, EPS)
    axis = 1 if "axis=1" in expr else 0
    assert len(d.text) <= longest and "ones(N) @ ones(N).T" not in d.text, d.text
    assert f"sqrt(var(X, axis={axis}) + eps)" in d.text and "** 2 /" not in d.text, d.text
    assert_agrees(expr, "X", NM, G, D, EPS)


def test_a_variance_is_met_only_where_it_agrees_at_every_size():
    from verifier.derive.axes import _variances_met
    from verifier.derive.expr import Dim, Fn, Sym, add, fn, had, mul, neg, num
    from verifier.language.shapes import ONE, Shape, Size

    n, d_ = Size(1, ("N",)), Size(1, ("d",))
    x = Sym(Shape(n, d_), name="X", kind="matrix")
    var = Fn(Shape(ONE, d_), name="var_cols", args=(x,))
    mean = Fn(Shape(ONE, d_), name="mean_cols", args=(x,))
    # mean(X²) − mean(X)², the variance spelt otherwise; (N − 2) times it agrees at N = 3 only
    spelt = add(Fn(Shape(ONE, d_), name="mean_cols", args=(had(x, x),)), neg(had(mean, mean)))
    assert _variances_met(add(var, fn("sqrt", spelt))) == add(var, fn("sqrt", var))
    n_2 = add(Dim(Shape(None, None), name="N"), num(-2))
    assert _variances_met(add(var, fn("sqrt", mul(n_2, spelt)))) == \
        add(var, fn("sqrt", mul(n_2, var)))


def test_elu_now_read_by_the_language_is_derived_and_proved():
    # refused before the language's round 18 (round 10's refusal table said what to write)
    d = derived("elu(x)", "x", "x: vector(n)", J, NUM, ())
    assert d.text == "diag(exp(x) * (x <= 0) + (x > 0))", d.text
    assert prove(d, timeout=10).verdict.status == "proved"
    env = {"x": np.array([[-1.5], [0.7], [-0.2]])}
    x = env["x"].ravel()
    assert np.allclose(np.diag(np.where(x > 0, 1.0, np.exp(x))),
                       value(d.text, env))
