"""``derive`` on a twentieth set of held-out questions, as outsiders phrase them (recurrent
cells: an RNN step by its bias, input weights and state, a leaky integrator by its rate, IndRNN,
an LSTM peephole and output gate, a PyTorch-style GRU candidate r ∘ (U h) by U_r, U_n and h,
an LSTM cell's Jacobians; attention: additive (Bahdanau) scores by v, W and the query,
multi-query with a shared K, self-attention by W_k and W_v, a key bias, a softmax Jacobian by
the query, logsumexp pooling with an inverse temperature; VAE: KL to a non-standard prior by
σ, μ and σ₀, β-VAE by β, a Bernoulli decoder through the reparametrisation; policy
gradients: REINFORCE by the weights and the state, the entropy bonus and its Hessian, Gaussian
policies by the mean and log-std, a PPO ratio, KL to a reference policy; GP evidence by the
kernel scale and by a factor L; weight normalisation by v and g; orthogonality penalties
‖WWᵀ − I‖², ‖WᵀW − D‖², off-diagonal decorrelation, a directional second derivative; InfoNCE
with cosine similarity by the anchor and T, its Hessian; triplet losses without squares and
soft-margin; focal loss by p and by γ, Dice with smoothing, Tversky by α, weighted BCE;
Jacobians of W x/‖W x‖-style maps, log_softmax, softmax(z) ∘ z; log|det A|, tr(B A⁻¹ C),
tr(AᵀBA), tr(AᵀBAC), log det(AᵀBA), tr(A⁻¹BA⁻¹), det(A) tr(A⁻¹B), ‖A⁻¹‖², a projection
yᵀA(AᵀA)⁻¹Aᵀy; Hessians of cross-entropy by an input and a bias, weighted logistic, softplus²,
softmax MSE, entropy, Cauchy with a scale, exponential loss; word2vec negative sampling,
GloVe, factorisation machines; GLU, SwiGLU, highway layers, an RBM's free energy, WGAN-GP and
Jacobian penalties (grad and jacobian inside EXPR), modern Hopfield, Mish's Hessian; mixup by
λ, a two-Gaussian mixture by its weight, logit adjustment, free energy by T).  Every question
was checked outside the suite first (central differences of the NumPy reading of EXPR at two
points, the engine's verdict, times): all 164 agree with central differences and all 164 are
proved (at most 11 s each, self-attention by W_k; the others under 4 s).  The tests below
the table are this round's fixes."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from test_derive_round6 import SCOPE, SIZES, derived, truth, value
from test_derive_round16 import _at, assert_agrees

from verifier.derive import prove

G, J, H = "gradient", "jacobian", "hessian"
D, NUM = "denominator", "numerator"
for _dim, _size in {"a": 2, "r": 2, "A": 3}.items():
    SIZES.setdefault(_dim, _size)
SCOPE.setdefault("silu", lambda z: z / (1 + np.exp(-z)))

RNN = ('W: matrix(h, h), U: matrix(h, d), b: vector(h), hp: vector(h), x: vector(d), g: vector(h), '
       'y: vector(h), Wy: matrix(C, h), yc: vector(C), al: scalar, w: vector(h), c: vector(h), '
       'Wf: matrix(h, d), Uf: matrix(h, h), pf: vector(h), Wo: matrix(h, d), Uo: matrix(h, h), '
       'Wn: matrix(h, d), Un: matrix(h, h), Ur: matrix(h, h), Wr: matrix(h, d), Wi: matrix(h, d), '
       'Wc: matrix(h, d)')
GRU_C = 'g.T @ tanh(Wn @ x + sigmoid(Wr @ x + Ur @ hp) * (Un @ hp))'
LEAK = 'g.T @ ((1 - al) * hp + al * tanh(W @ hp + U @ x))'
ATT = ('Q: matrix(m, d), K: matrix(k, d), V: matrix(k, h), Gm: matrix(m, h), q: vector(d), '
       'g: vector(h), X: matrix(k, d), Wq: matrix(d, d), Wk: matrix(d, d), Wv: matrix(d, h), '
       'Wa: matrix(a, d), Ua: matrix(a, d), va: vector(a), T: scalar, bk: vector(k), '
       'Q1: matrix(m, d), Q2: matrix(m, d), G1: matrix(m, h), G2: matrix(m, h), Gx: matrix(k, h)')
ADD = 'g.T @ V.T @ softmax(tanh(K @ Ua.T + ones(k) @ (Wa @ q).T) @ va)'
SELF = 'sum(Gx * (softmax(X @ Wq @ (X @ Wk).T / sqrt(d)) @ X @ Wv))'
MQA = 'sum(G1 * (softmax(Q1 @ K.T) @ V)) + sum(G2 * (softmax(Q2 @ K.T) @ V))'
VAE = ('mu: vector(n), lv: vector(n), ls: vector(n), e: vector(n), W: matrix(m, n), y: vector(m), '
       's: vector(n), m0: scalar, s0: scalar, bt: scalar')
REC = 'norm(W @ (mu + exp(lv / 2) * e) - y) ** 2 / 2'
KLS = 'sum(log(s0 / s) + (s ** 2 + (mu - m0) ** 2) / (2 * s0 ** 2) - 1 / 2)'
BVAE = ('norm(W @ (mu + exp(lv / 2) * e) - y) ** 2 / 2 + bt * sum(exp(lv) + mu ** 2 - 1 - lv) / 2')
BERN = ('-sum(y * log(sigmoid(W @ (mu + exp(ls) * e))) + (1 - y) * log(1 - sigmoid(W @ (mu + '
        'exp(ls) * e))))')
PG = ('th: vector(A), th0: vector(A), y: vector(A), W: matrix(A, d), s: vector(d), R: scalar, '
      'a: vector(n), mu: vector(n), ls: vector(n), Wm: matrix(n, d), lo: scalar, adv: scalar, '
      'bt: scalar')
GPOL = '-sum((a - mu) ** 2 / (2 * exp(2 * ls)) + ls)'
GPW = '-norm((a - Wm @ s) / exp(ls)) ** 2 / 2 - sum(ls)'
GP = 'K: matrix(N, N), y: vector(N), s: scalar, s2: scalar, L: matrix(N, N), lam: scalar'
GPE = 'y.T @ inv(s * K + s2 * eye(N)) @ y / 2 + log(det(s * K + s2 * eye(N))) / 2'
GPA = ('K positive definite', 's positive', 's2 positive')
WN = ('v: vector(n), g: scalar, x: vector(n), y: scalar, V: matrix(m, n), u: vector(m), '
      'gs: vector(m), X: matrix(N, n), t: vector(N)')
ORT = ('W: matrix(n, k), D: matrix(k, k), V: matrix(n, k), t: scalar, lam: scalar')
CON = ('q: vector(d), kp: vector(d), Kn: matrix(k, d), T: scalar, an: vector(d), po: vector(d), '
       'ne: vector(d), mg: scalar, A: matrix(N, d), P: matrix(N, d), Ng: matrix(N, d), '
       'u: vector(d), v: vector(d)')
NCE_COS = ('-q.T @ kp / (T * norm(q)) + log(exp(q.T @ kp / (T * norm(q))) + '
           'sum(exp(Kn @ q / (T * norm(q)))))')
NCE = '-q.T @ kp / T + log(exp(q.T @ kp / T) + sum(exp(Kn @ q / T)))'
SEG = ('p: vector(N), y: vector(N), z: vector(N), gm: scalar, al: scalar, pw: scalar')
FOC = '-sum(y * exp(gm * log(1 - p)) * log(p))'
P01 = ('p in (0, 1)', 'gm positive')
JAC = ('x: vector(n), W: matrix(m, n), b: vector(m), z: vector(m), r: scalar, T: scalar, '
       'c: vector(m), eps: scalar')
MAT = ('A: matrix(n, n), B: matrix(n, n), C: matrix(n, n), x: vector(n), X: matrix(n, m), '
       't: scalar, y: vector(n)')
HS = ('z: vector(C), y: vector(C), W: matrix(C, d), x: vector(d), b: vector(C), X: matrix(N, d), '
      'w: vector(d), yn: vector(N), c: scalar, eps: scalar, v: vector(d), A: matrix(C, d), '
      'u: vector(d)')
NLP = ('u: vector(d), v: vector(d), Kn: matrix(k, d), U: matrix(N, r), V: matrix(M, r), '
       'bu: vector(N), bv: vector(M), L: matrix(N, M), F: matrix(N, M), w0: scalar, w: vector(n), '
       'x: vector(n), Vf: matrix(n, r)')
FM = 'w0 + w.T @ x + (norm(Vf.T @ x) ** 2 - sum((Vf ** 2).T @ (x ** 2))) / 2'
GLOVE = 'sum(F * (U @ V.T + bu @ ones(M).T + ones(N) @ bv.T - L) ** 2)'
LAY = ('x: vector(d), W: matrix(h, d), V: matrix(h, d), W2: matrix(m, h), u: vector(m), '
       'g: vector(h), Wt: matrix(d, d), Wh: matrix(d, d), gd: vector(d), b: vector(h), '
       'c: vector(d), bt: scalar')
SWIGLU = 'u.T @ (W2 @ (silu(W @ x) * (V @ x)))'
HWY = 'sigmoid(Wt @ x) * tanh(Wh @ x) + (1 - sigmoid(Wt @ x)) * x'
MISC = ('x: vector(n), A: matrix(n, n), B: matrix(n, n), y: vector(n), z: vector(n), s: scalar, '
        'X: matrix(N, n), q: vector(n), bt: scalar, P: matrix(N, M), Cm: matrix(N, M), '
        'eps: scalar, '
        'lm: scalar, xa: vector(d), xb: vector(d), ya: vector(C), yb: vector(C), Wc: matrix(C, d), '
        'pi1: scalar, m1: scalar, m2: scalar, pr: vector(C), tau: scalar, zc: vector(C), '
        'yy: vector(C), T: scalar')
MIX = ('-(lm * ya + (1 - lm) * yb).T @ log_softmax(Wc @ (lm * xa + (1 - lm) * xb))')
GMM2 = 'sum(log(pi1 * exp(-(x - m1) ** 2 / 2) + (1 - pi1) * exp(-(x - m2) ** 2 / 2)))'

QUESTIONS = [
    # ----- recurrent cells -----
    ('g.T @ relu(W @ hp + U @ x + b)', 'U', RNN, G, D, ()),
    ('norm(tanh(W @ hp + U @ x + b)) ** 2 / 2', 'b', RNN, H, D, ()),
    ('g.T @ sigmoid(W @ hp + U @ x + b)', 'hp', RNN, H, D, ()),
    ('tanh(W @ hp + U @ x + b)', 'b', RNN, J, NUM, ()),
    ('norm(Wy @ tanh(W @ hp + U @ x) - yc) ** 2 / 2', 'W', RNN, G, D, ()),
    ('norm(Wy @ tanh(W @ hp + U @ x) - yc) ** 2 / 2', 'Wy', RNN, G, D, ()),
    (LEAK, 'al', RNN, G, D, ()),
    (LEAK, 'W', RNN, G, D, ()),
    ('(1 - al) * hp + al * tanh(W @ hp + U @ x)', 'hp', RNN, J, NUM, ()),
    ('g.T @ relu(w * hp + U @ x + b)', 'w', RNN, G, D, ()),
    ('g.T @ tanh(W @ tanh(W @ hp + b) + b)', 'b', RNN, G, D, ()),
    ('g.T @ (sigmoid(Wf @ x + pf * c) * c)', 'pf', RNN, G, D, ()),
    ('g.T @ (sigmoid(Wo @ x + Uo @ hp) * tanh(c))', 'Uo', RNN, G, D, ()),
    ('g.T @ (sigmoid(Wo @ x + Uo @ hp) * tanh(c))', 'hp', RNN, G, D, ()),
    (GRU_C, 'Ur', RNN, G, D, ()),
    (GRU_C, 'Un', RNN, G, D, ()),
    (GRU_C, 'hp', RNN, G, D, ()),
    ('sigmoid(Wf @ x) * c + sigmoid(Wi @ x) * tanh(Wc @ x)', 'x', RNN, J, NUM, ()),
    ('sigmoid(Wf @ x) * c + sigmoid(Wi @ x) * tanh(Wc @ x)', 'c', RNN, J, NUM, ()),
    ('-yc.T @ log_softmax(Wy @ tanh(W @ hp + U @ x + b))', 'b', RNN, G, D, ('yc sums to 1',)),
    # ----- attention -----
    (ADD, 'va', ATT, G, D, ()),
    (ADD, 'Wa', ATT, G, D, ()),
    (ADD, 'q', ATT, G, D, ()),
    (MQA, 'K', ATT, G, D, ()),
    (MQA, 'V', ATT, G, D, ()),
    (SELF, 'Wv', ATT, G, D, ()),
    (SELF, 'Wk', ATT, G, D, ()),
    ('g.T @ V.T @ softmax(K @ q + bk)', 'bk', ATT, G, D, ()),
    ('g.T @ V.T @ softmax(K @ q + bk)', 'bk', ATT, H, D, ()),
    ('softmax(K @ q / sqrt(d))', 'q', ATT, J, NUM, ()),
    ('V.T @ softmax(K @ q + bk)', 'bk', ATT, J, NUM, ()),
    ('logsumexp(T * K @ q) / T', 'q', ATT, G, D, ('T positive',)),
    ('logsumexp(T * K @ q) / T', 'T', ATT, G, D, ('T positive',)),
    # ----- VAE -----
    (REC, 'mu', VAE, H, D, ()),
    (KLS, 's', VAE, G, D, ('s positive', 's0 positive')),
    (KLS, 'mu', VAE, G, D, ('s positive', 's0 positive')),
    (KLS, 's0', VAE, G, D, ('s positive', 's0 positive')),
    (KLS, 's', VAE, H, D, ('s positive', 's0 positive')),
    (BVAE, 'lv', VAE, G, D, ()),
    (BVAE, 'bt', VAE, G, D, ()),
    (BERN, 'ls', VAE, G, D, ()),
    (BERN, 'mu', VAE, G, D, ()),
    # ----- policy gradients -----
    ('-R * y.T @ log_softmax(W @ s)', 'W', PG, G, D, ('y sums to 1',)),
    ('-R * y.T @ log_softmax(W @ s)', 's', PG, G, D, ('y sums to 1',)),
    ('softmax(th).T @ log_softmax(th)', 'th', PG, G, D, ()),
    ('softmax(th).T @ log_softmax(th)', 'th', PG, H, D, ()),
    (GPOL, 'mu', PG, G, D, ()),
    (GPOL, 'ls', PG, G, D, ()),
    (GPOL, 'ls', PG, H, D, ()),
    (GPW, 'Wm', PG, G, D, ()),
    (GPW, 'ls', PG, G, D, ()),
    (GPW, 's', PG, H, D, ()),
    ('exp(y.T @ log_softmax(th) - lo) * adv', 'th', PG, G, D, ('y sums to 1',)),
    ('softmax(th).T @ (log_softmax(th) - log_softmax(th0))', 'th', PG, G, D, ()),
    ('softmax(th).T @ (log_softmax(th) - log_softmax(th0))', 'th0', PG, G, D, ()),
    ('-R * y.T @ log_softmax(W @ s) - bt * softmax(W @ s).T @ log_softmax(W @ s)',
     'W', PG, G, D, ('y sums to 1',)),
    # ----- Gaussian processes -----
    (GPE, 's', GP, G, D, GPA),
    (GPE, 's', GP, H, D, GPA),
    ('y.T @ inv(L @ L.T + s2 * eye(N)) @ y / 2 + log(det(L @ L.T + s2 * eye(N))) / 2',
     'L', GP, G, D, ('s2 positive',)),
    ('y.T @ inv(K + lam * eye(N)) @ y', 'lam', GP, H, D, ('K positive definite', 'lam positive')),
    ('log(det(s * K + s2 * eye(N)))', 's2', GP, H, D, GPA),
    # ----- weight normalisation -----
    ('g * v.T @ x / norm(v)', 'v', WN, G, D, ()),
    ('g * v.T @ x / norm(v)', 'g', WN, G, D, ()),
    ('(g * v.T @ x / norm(v) - y) ** 2 / 2', 'v', WN, G, D, ()),
    ('(g * v.T @ x / norm(v) - y) ** 2 / 2', 'g', WN, H, D, ()),
    ('g * v / norm(v)', 'v', WN, J, NUM, ()),
    ('norm(X @ (g * v / norm(v)) - t) ** 2 / 2', 'g', WN, H, D, ()),
    # ----- orthogonality penalties -----
    ('norm(W @ W.T - eye(n)) ** 2', 'W', ORT, G, D, ()),
    ('norm(W.T @ W - D) ** 2', 'W', ORT, G, D, ('D diagonal',)),
    ('norm(W.T @ W * (1 - eye(k))) ** 2', 'W', ORT, G, D, ()),
    ('norm((W + t * V).T @ (W + t * V) - eye(k)) ** 2', 't', ORT, H, D, ()),
    ('lam * norm(W.T @ W - eye(k)) ** 2 / 4', 'lam', ORT, G, D, ()),
    ('trace(W.T @ W) - log(det(W.T @ W))', 'W', ORT, G, D, ()),
    # ----- contrastive, triplet -----
    (NCE_COS, 'q', CON, G, D, ('T positive',)),
    (NCE_COS, 'T', CON, G, D, ('T positive',)),
    (NCE, 'Kn', CON, G, D, ('T positive',)),
    ('relu(norm(an - po) - norm(an - ne) + mg)', 'po', CON, G, D, ()),
    ('softplus(norm(an - po) - norm(an - ne))', 'an', CON, G, D, ()),
    ('sum(relu(mg + sum((A - P) ** 2, axis=1) - sum((A - Ng) ** 2, axis=1)))', 'A', CON, G, D, ()),
    ('-log(sigmoid(u.T @ v / T))', 'u', CON, H, D, ('T positive',)),
    # ----- focal, Dice -----
    (FOC, 'p', SEG, G, D, P01),
    (FOC, 'gm', SEG, G, D, P01),
    (FOC, 'gm', SEG, H, D, P01),
    ('1 - (2 * sum(p * y) + 1) / (sum(p) + sum(y) + 1)', 'p', SEG, H, D,
     ('p positive', 'y positive')),
    ('1 - sum(p * y) / (sum(p * y) + al * sum(p * (1 - y)) + (1 - al) * sum((1 - p) * y))',
     'al', SEG, G, D, ('p in (0, 1)', 'y in (0, 1)', 'al in (0, 1)')),
    # ----- Jacobians -----
    ('r * x / norm(x)', 'x', JAC, J, D, ()),
    ('softmax(z) * z', 'z', JAC, J, NUM, ()),
    ('log(1 + norm(x) ** 2)', 'x', JAC, H, D, ()),
    ('tanh(W @ x) / norm(x)', 'x', JAC, J, NUM, ()),
    # ----- traces and determinants -----
    ('log(abs(det(A)))', 'A', MAT, G, D, ()),
    ('trace(B @ inv(A) @ C)', 'A', MAT, G, D, ()),
    ('trace(A.T @ B @ A)', 'A', MAT, G, D, ()),
    ('trace(A.T @ B @ A @ C)', 'A', MAT, G, D, ()),
    ('log(det(A.T @ B @ A))', 'A', MAT, G, D, ('B positive definite',)),
    ('trace(inv(A) @ B @ inv(A))', 'A', MAT, G, D, ()),
    ('det(A) * trace(inv(A) @ B)', 'A', MAT, G, D, ()),
    ('log(det(A @ A.T + B))', 'A', MAT, G, D, ('B positive definite',)),
    ('trace(inv(A + B) @ C)', 'B', MAT, G, D, ('A positive definite', 'B positive definite')),
    ('trace(A @ A.T @ B) / trace(A @ A.T)', 'A', MAT, G, D, ()),
    ('norm(inv(A)) ** 2', 'A', MAT, G, D, ()),
    ('trace(inv(A) @ B)', 'B', MAT, G, D, ()),
    ('trace(X.T @ A @ X @ X.T @ B @ X)', 'X', MAT, G, D, ()),
    ('x.T @ inv(A) @ x', 'A', MAT, G, D, ()),
    ('log(det(A)) - trace(B @ A)', 'A', MAT, G, D, ('A positive definite',)),
    ('inv(A + t * B) @ x', 't', MAT, J, NUM, ('A positive definite', 'B positive definite')),
    ('det(A @ inv(B))', 'B', MAT, G, D, ()),
    ('trace(A @ A @ B)', 'A', MAT, G, D, ()),
    ('y.T @ A @ inv(A.T @ A) @ A.T @ y', 'A', MAT, G, D, ()),
    # ----- second derivatives of losses -----
    ('-y.T @ log_softmax(W @ x)', 'x', HS, H, D, ('y sums to 1',)),
    ('-y.T @ log_softmax(W @ x + b)', 'b', HS, H, D, ('y sums to 1',)),
    ('sum(c * softplus(-yn * (X @ w)))', 'w', HS, H, D, ('c positive',)),
    ('sum(softplus(X @ w) ** 2)', 'w', HS, H, D, ()),
    ('-softmax(z).T @ log_softmax(z)', 'z', HS, H, D, ()),
    ('logsumexp(W @ x + b)', 'b', HS, H, D, ()),
    ('sum(log(1 + (X @ w - yn) ** 2 / c ** 2))', 'w', HS, H, D, ('c positive',)),
    ('sum(log(sigmoid(X @ w)))', 'w', HS, H, D, ()),
    ('softmax(z).T @ y', 'z', HS, H, D, ()),
    ('sum(exp(-yn * (X @ w)))', 'w', HS, H, D, ()),
    ('norm(sigmoid(X @ w) - yn) ** 2 / 2', 'w', HS, H, D, ()),
    ('norm(X @ w - yn) ** 2 / 2 + eps * sum(sqrt(w ** 2 + c))', 'w', HS, H, D,
     ('eps positive', 'c positive')),
    # ----- embeddings, factorisation machines -----
    ('-log(sigmoid(u.T @ v)) - sum(log(sigmoid(-Kn @ v)))', 'v', NLP, G, D, ()),
    ('-log(sigmoid(u.T @ v)) - sum(log(sigmoid(-Kn @ v)))', 'Kn', NLP, G, D, ()),
    ('-log(sigmoid(u.T @ v)) - sum(log(sigmoid(-Kn @ v)))', 'v', NLP, H, D, ()),
    (GLOVE, 'U', NLP, G, D, ('F positive',)),
    (GLOVE, 'bu', NLP, G, D, ('F positive',)),
    (FM, 'Vf', NLP, G, D, ()),
    (FM, 'x', NLP, G, D, ()),
    (FM, 'x', NLP, H, D, ()),
    # ----- layers: GLU, SwiGLU, highway, RBM, WGAN-GP, Jacobian penalty -----
    ('u.T @ (W2 @ ((W @ x) * sigmoid(V @ x)))', 'V', LAY, G, D, ()),
    (SWIGLU, 'W', LAY, G, D, ()),
    (SWIGLU, 'V', LAY, G, D, ()),
    (SWIGLU, 'x', LAY, G, D, ()),
    ('gd.T @ (' + HWY + ')', 'Wt', LAY, G, D, ()),
    (HWY, 'x', LAY, J, NUM, ()),
    ('-c.T @ x - sum(softplus(W @ x + b))', 'W', LAY, G, D, ()),
    ('-c.T @ x - sum(softplus(W @ x + b))', 'x', LAY, H, D, ()),
    ('(norm(W.T @ g) - 1) ** 2', 'W', LAY, G, D, ()),
    ('logsumexp(bt * W @ x) / bt', 'x', LAY, G, D, ('bt positive',)),
    ('logsumexp(bt * W @ x) / bt', 'x', LAY, H, D, ('bt positive',)),
    ('sum(x * tanh(softplus(x)))', 'x', LAY, H, D, ()),
    ('sum(x / (1 + exp(-bt * x)))', 'bt', LAY, H, D, ()),
    ('sum(log(sigmoid(x)))', 'x', LAY, H, D, ()),
    # ----- miscellany -----
    ('norm(X - X @ q @ q.T / (q.T @ q)) ** 2', 'q', MISC, G, D, ()),
    (MIX, 'lm', MISC, G, D, ('ya sums to 1', 'yb sums to 1')),
    (MIX, 'lm', MISC, H, D, ('ya sums to 1', 'yb sums to 1')),
    (GMM2, 'pi1', MISC, G, D, ('pi1 in (0, 1)',)),
    (GMM2, 'm1', MISC, G, D, ('pi1 in (0, 1)',)),
    ('-yy.T @ log_softmax(zc + tau * log(pr))', 'tau', MISC, G, D, ('yy sums to 1', 'pr positive')),
    ('-yy.T @ log_softmax(zc + tau * log(pr))', 'zc', MISC, G, D, ('yy sums to 1', 'pr positive')),
    ('-yy.T @ log_softmax(zc / T)', 'T', MISC, H, D, ('yy sums to 1', 'T positive')),
    ('-T * logsumexp(zc / T)', 'zc', MISC, G, D, ('T positive',)),
    ('-T * logsumexp(zc / T)', 'T', MISC, G, D, ('T positive',)),
    ('exp(-norm(x - z) ** 2 / (2 * s ** 2))', 'x', MISC, H, D, ('s positive',)),
    ('sum(exp(-sum((X - ones(N) @ z.T) ** 2, axis=1) / 2))', 'z', MISC, G, D, ()),
    ('-trace(A) + norm(A @ (x - z)) ** 2 / 2', 'A', MISC, G, D, ()),
]


# verified outside the suite, left out of the table for the time budget (each derived in
# about 1 s): the Hessians of softplus(g vᵀx/‖v‖) by v (307 characters), of InfoNCE by the
# anchor, −qᵀk₊/T + log(exp(qᵀk₊/T) + Σ exp(K₋q/T)) (361), and of the soft-margin triplet
# softplus(‖a − p‖² − ‖a − n‖²) by n (150); all three agree with central differences and are
# proved; so are the focal loss of both classes with γ = 2 by p, the Hessian of
# ‖softmax(z) − y‖²/2 by z (254 characters) and the gradient of the Dice loss of σ(z) by z


@pytest.mark.parametrize("expr, wrt, symbols, kind, layout, assume", QUESTIONS)
def test_the_derivative_agrees_with_finite_differences(expr, wrt, symbols, kind, layout, assume):
    assert_agrees(expr, wrt, symbols, kind, layout, assume)


PROVED = [("norm(Wy @ tanh(W @ hp + U @ x) - yc) ** 2 / 2", "W", G),
          ("-sum((a - mu) ** 2 / (2 * exp(2 * ls)) + ls)", "ls", G),
          ("-log(sigmoid(u.T @ v)) - sum(log(sigmoid(-Kn @ v)))", "Kn", G)]


@pytest.mark.parametrize("expr, wrt, symbols, kind, layout, assume",
                         [q for q in QUESTIONS if (q[0], q[1], q[3]) in PROVED])
def test_the_derivative_is_proved(expr, wrt, symbols, kind, layout, assume):
    # three questions, each proved in under 0.4 s (all 164 were proved outside the suite; the
    # off-diagonal penalty's proof is in the zero-one test below)
    verdict = prove(derived(expr, wrt, symbols, kind, layout, assume), timeout=10).verdict
    assert verdict.status == "proved", verdict


# ----- a derivative inside EXPR, against an independent NumPy reading of it -----


def _tanh_critic_penalty(W, g, x, **_):
    # (‖∇ₓ gᵀtanh(Wx)‖ − 1)², ∇ₓ = Wᵀ(g ∘ (1 − tanh²(Wx)))
    return (np.linalg.norm(W.T @ (g * (1 - np.tanh(W @ x) ** 2))) - 1) ** 2


def _jacobian_penalty(W, x, **_):
    # ‖diag(1 − tanh²(Wx)) W‖²_F
    return np.sum(((1 - np.tanh(W @ x) ** 2) * W) ** 2)


def _cross_entropy_directional(A, u, y, W, **_):
    # ⟨∇_A(−yᵀ log softmax(Au)), W⟩ with Σy = 1: ⟨(softmax(Au) − y)uᵀ, W⟩
    z = A @ u
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    return np.sum(((p - y) @ u.T) * W)


READINGS = [
    ("(norm(grad(g.T @ tanh(W @ x), x)) - 1) ** 2", "W", LAY, (), _tanh_critic_penalty),
    ("norm(jacobian(tanh(W @ x), x)) ** 2", "W", LAY, (), _jacobian_penalty),
    ("sum(grad(-y.T @ log_softmax(A @ u), A) * W)", "A", HS, ("y sums to 1",),
     _cross_entropy_directional),
]


@pytest.mark.parametrize("expr, wrt, symbols, assume, reading", READINGS)
def test_a_derivative_inside_expr_agrees_with_its_reading(expr, wrt, symbols, assume, reading):
    d = derived(expr, wrt, symbols, G, D, assume)
    for seed in (1, 2):
        env = {k: np.asarray(v) for k, v in _at("", symbols, assume, seed).items()}
        x0 = env[wrt]
        want = np.zeros_like(x0)
        for k in range(x0.size):
            e = np.zeros_like(x0)
            e.flat[k] = 1e-6
            step = reading(**{**env, wrt: x0 + e}) - reading(**{**env, wrt: x0 - e})
            want.flat[k] = step / 2e-6
        got = value(d.text, env)
        assert np.allclose(got, want, atol=1e-5 * (1 + np.abs(want).max())), d.text


# ----- this round's fixes -----


HUBER = "sum(min(abs(r), dl) ** 2 / 2 + dl * relu(abs(r) - dl))"


@pytest.mark.parametrize("expr, symbols, assume, want", [
    # diag((dl - abs(r) > 0) * ((r > 0) - (r < 0)) ** 2) before: 0 at r = 0, where the loss
    # is r²/2 and its second derivative 1
    (HUBER, "r: vector(n), dl: scalar", ("dl positive",), "diag((dl - abs(r) > 0))"),
    # diag(((x > 0) - (x < 0)) ** 2 / (abs(x) ** 2 + 1) ** (3/2)): 0 at x = 0, not 1
    ("sum(sqrt(abs(x) ** 2 + 1))", "x: vector(n)", (), "diag(1 / (abs(x) ** 2 + 1) ** (3/2))"),
    # 2 * diag(((x > 0) - (x < 0)) ** 2) before
    ("sum(abs(x) ** 2)", "x: vector(n)", (), "2 * eye(n)"),
    ("sum(abs(x) ** 3)", "x: vector(n)", (), "6 * diag(abs(x))"),
])
def test_a_squared_sign_reads_one_and_the_hessian_is_right_at_zero(expr, symbols, assume, want):
    d = derived(expr, symbols.split(":")[0], symbols, H, D, assume)
    assert d.text == want, d.text
    verdict = prove(d, timeout=10).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_differential"), verdict
    # at a point with an entry exactly 0 (not a kink of these functions): central differences
    name = symbols.split(":")[0]
    env = {name: np.array([[0.0], [0.4], [-1.3]]), "dl": 1.0, "n": 3}
    hessian = truth(expr, name, env, H, D)
    # (|x|³: the stencil's error at 0 is O(h), 4e-4 at h = 1e-4; a wrong value there is 1)
    assert np.allclose(value(d.text, env), hessian, atol=1e-3), (d.text, hessian)


def test_a_wrong_hessian_through_a_squared_sign_is_still_refuted():
    d = derived(HUBER, "r", "r: vector(n), dl: scalar", H, D, ("dl positive",))
    for wrong in ("diag(abs(r) - dl > 0)", "diag((dl - abs(r) > 0) * (r > 0))", "eye(n)"):
        assert prove(replace(d, text=wrong), timeout=10).verdict.status == "refuted", wrong


@pytest.mark.parametrize("expr, want", [
    # 4 * W @ ((W.T @ W) * (1 - eye(k)) ** 2) before: (1 − I)'s entries are 0 or 1
    ("norm(W.T @ W * (1 - eye(k))) ** 2", "4 * W @ ((W.T @ W) * (1 - eye(k)))"),
])
def test_a_power_of_a_zero_one_matrix_is_itself(expr, want):
    symbols = "W: matrix(n, k)"
    d = derived(expr, "W", symbols, G, D, ())
    assert d.text == want, d.text
    assert_agrees(expr, "W", symbols, G, D, ())
    assert prove(d, timeout=10).verdict.status == "proved"
    wrong = want.replace("4 *", "2 *")
    assert prove(replace(d, text=wrong), timeout=10).verdict.status == "refuted"
