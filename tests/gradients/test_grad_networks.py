"""Note 001's ANN and note 003's ReLU network against per-sample loop references."""

from __future__ import annotations

import math

import numpy as np
import pytest

import derivations.gradients as G


def sig(t):
    return 1 / (1 + math.exp(-t))


# the wide cases reach the compiled pass's vector tiles: hidden widths past one vector plus a
# tail, and more rows than one block of 8 in some of the per-thread parts but not in others
@pytest.mark.parametrize(
    "n,m,b,c", [(1, 1, 1, 2), (3, 2, 4, 3), (5, 4, 3, 5), (19, 3, 21, 4), (100, 2, 17, 3)]
)
def test_two_layer_matches_note_001_per_sample(n, m, b, c, rng):
    X, W, V = rng.standard_normal((n, m)), rng.standard_normal((m, b)), rng.standard_normal((b, c))
    lab = rng.integers(0, c, n)
    dW, dV, loss = np.zeros((m, b)), np.zeros((b, c)), 0.0
    for i in range(n):
        z = [sig(sum(X[i, k] * W[k, s] for k in range(m))) for s in range(b)]
        qh = [sum(z[s] * V[s, k] for s in range(b)) for k in range(c)]
        q = [math.exp(v) / sum(math.exp(u) for u in qh) for v in qh]
        loss -= math.log(q[lab[i]]) / n
        err = [q[k] - (k == lab[i]) for k in range(c)]
        for s in range(b):
            for k in range(c):
                dV[s, k] += err[k] * z[s] / n  # ∂L/∂v_sk = (q_k − y_k) z_s
            back = sum(err[k] * V[s, k] for k in range(c)) * z[s] * (1 - z[s])
            for k in range(m):
                dW[k, s] += back * X[i, k] / n  # Σ_k (q_k − y_k) v_sk z_s(1 − z_s) x_i
    fwd = G.two_layer_forward(X, W, V, lab)
    assert np.isclose(fwd.loss, loss, rtol=1e-12)
    np.testing.assert_allclose(fwd.Q.sum(axis=1), 1)
    gW, gV = G.two_layer_grads(X, W, V, lab)
    np.testing.assert_allclose(gW, dW, atol=1e-14)
    np.testing.assert_allclose(gV, dV, atol=1e-14)


@pytest.mark.parametrize(
    "n,d,h,k", [(1, 1, 1, 1), (3, 2, 4, 1), (4, 3, 5, 2), (21, 3, 19, 2), (75, 2, 8, 1)]
)
def test_relu_net_matches_note_003_per_sample(n, d, h, k, rng):
    X, W1, b1 = rng.standard_normal((n, d)), rng.standard_normal((h, d)), rng.standard_normal(h)
    W2, b2, y = rng.standard_normal((k, h)), rng.standard_normal(k), rng.standard_normal((n, k))
    grads = [np.zeros_like(p) for p in (W1, b1, W2, b2)]
    loss = 0.0
    for i in range(n):
        z = [sum(W1[j, t] * X[i, t] for t in range(d)) + b1[j] for j in range(h)]
        a = [max(v, 0.0) for v in z]
        out = [sum(W2[r, j] * a[j] for j in range(h)) + b2[r] for r in range(k)]
        loss += sum(0.5 * (y[i, r] - out[r]) ** 2 for r in range(k)) / n
        d2 = [(out[r] - y[i, r]) / n for r in range(k)]
        da = [sum(W2[r, j] * d2[r] for r in range(k)) for j in range(h)]  # lemma 3: W₂ᵀδ
        d1 = [da[j] * (z[j] > 0) for j in range(h)]  # lemma 2
        for r in range(k):
            grads[3][r] += d2[r]
            for j in range(h):
                grads[2][r, j] += d2[r] * a[j]  # lemma 1: δ aᵀ
        for j in range(h):
            grads[1][j] += d1[j]
            for t in range(d):
                grads[0][j, t] += d1[j] * X[i, t]
    fwd = G.relu_net_forward(X, y, W1, b1, W2, b2)
    assert np.isclose(fwd.loss, loss, rtol=1e-12)
    for got, want in zip(G.relu_net_grads(X, y, W1, b1, W2, b2), grads, strict=True):
        np.testing.assert_allclose(got, want, atol=1e-14)
    if k == 1:  # the note's scalar output: y may be 1-D
        assert np.isclose(G.relu_net_forward(X, y[:, 0], W1, b1, W2, b2).loss, loss)
        for got, want in zip(G.relu_net_grads(X, y[:, 0], W1, b1, W2, b2), grads, strict=True):
            np.testing.assert_allclose(got, want, atol=1e-14)


def test_lemmas_single_sample_and_batch(rng):
    delta, a, W = rng.standard_normal(3), rng.standard_normal(4), rng.standard_normal((3, 4))
    # lemma 1: ∂J/∂W = δ aᵀ;  lemma 3: ∂J/∂a = Wᵀ δ
    np.testing.assert_allclose(
        G.linear_weight_grad(delta, a), [[delta[i] * a[j] for j in range(4)] for i in range(3)]
    )
    np.testing.assert_allclose(
        G.linear_input_grad(W, delta), [sum(W[i, j] * delta[i] for i in range(3)) for j in range(4)]
    )
    D, A = rng.standard_normal((5, 3)), rng.standard_normal((5, 4))
    np.testing.assert_allclose(
        G.linear_weight_grad(D, A), sum(np.outer(D[i], A[i]) for i in range(5))
    )
    np.testing.assert_allclose(G.linear_input_grad(W, D), [W.T @ D[i] for i in range(5)])
    z = np.array([-1.0, 0.0, 2.0])
    np.testing.assert_array_equal(G.relu_backward(np.array([5.0, 6.0, 7.0]), z), [0, 0, 7])


def test_float32_stays_float32(rng):
    f = np.float32
    X, W, V = (rng.standard_normal(s).astype(f) for s in ((4, 3), (3, 5), (5, 2)))
    lab = np.array([0, 1, 1, 0])
    fwd = G.two_layer_forward(X, W, V, lab)
    assert {fwd.Z.dtype, fwd.Q.dtype, fwd.loss.dtype} == {np.dtype(f)}
    assert all(g.dtype == f for g in G.two_layer_grads(X, W, V, lab))
    W1, b1, W2, b2 = (rng.standard_normal(s).astype(f) for s in ((5, 3), (5,), (2, 5), (2,)))
    y = rng.standard_normal((4, 2)).astype(f)
    fwd2 = G.relu_net_forward(X, y, W1, b1, W2, b2)
    assert all(v.dtype == f for v in fwd2)
    assert all(g.dtype == f for g in G.relu_net_grads(X, y, W1, b1, W2, b2))
    d = rng.standard_normal((4, 2)).astype(f)
    assert G.linear_weight_grad(d, X).dtype == f
    assert G.linear_input_grad(W2, d).dtype == f
    assert G.relu_backward(X, X).dtype == f


def test_wide_hidden_layers_in_float32_match_float64(rng):
    # float32 vectors hold 16 lanes: a hidden width of 37 is two of them and a tail of 5
    X, W, V = (
        rng.standard_normal((30, 6)),
        rng.standard_normal((6, 37)),
        rng.standard_normal((37, 4)),
    )
    lab = rng.integers(0, 4, 30)
    W1, b1 = rng.standard_normal((37, 6)), rng.standard_normal(37)
    W2, b2, y = rng.standard_normal((3, 37)), rng.standard_normal(3), rng.standard_normal((30, 3))
    f32 = [a.astype(np.float32) for a in (X, W, V, W1, b1, W2, b2, y)]
    got = [*G.two_layer_grads(*f32[:3], lab), *G.relu_net_grads(f32[0], f32[7], *f32[3:7])]
    want = [*G.two_layer_grads(X, W, V, lab), *G.relu_net_grads(X, y, W1, b1, W2, b2)]
    for g, w in zip(got, want, strict=True):
        assert g.dtype == np.float32
        np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-5 * np.abs(w).max())


def test_two_layer_extreme_logits_finite():
    X = np.array([[1.0, -1.0]], np.float32)
    W = np.array([[50.0], [-50.0]], np.float32)  # z = σ(100) = 1
    V = np.array([[1000.0, -1000.0]], np.float32)
    loss = G.two_layer_forward(X, W, V, [1]).loss
    assert np.isfinite(loss) and np.isclose(loss, 2000)
    assert all(np.all(np.isfinite(g)) for g in G.two_layer_grads(X, W, V, [1]))


def test_shape_errors(rng):
    X = np.ones((4, 3))
    with pytest.raises(
        ValueError,
        match=r"X has shape \(4, 3\) but W has shape \(2, 5\); "
        r"expected W.shape\[0\] == 3",
    ):
        G.two_layer_grads(X, np.ones((2, 5)), np.ones((5, 2)), [0, 1, 1, 0])
    with pytest.raises(ValueError, match=r"W has shape \(3, 5\) but V has shape \(4, 2\)"):
        G.two_layer_forward(X, np.ones((3, 5)), np.ones((4, 2)), [0, 1, 1, 0])
    with pytest.raises(ValueError, match=r"X has shape \(4, 3\) but W1 has shape \(5, 2\)"):
        G.relu_net_grads(X, np.ones(4), np.ones((5, 2)), np.ones(5), np.ones((1, 5)), np.ones(1))
    with pytest.raises(ValueError, match=r"b1 has shape \(4,\); expected b1 of shape \(5,\)"):
        G.relu_net_forward(X, np.ones(4), np.ones((5, 3)), np.ones(4), np.ones((1, 5)), np.ones(1))
    with pytest.raises(ValueError, match=r"y has shape \(4,\); expected y of shape \(4, 2\)"):
        G.relu_net_forward(X, np.ones(4), np.ones((5, 3)), np.ones(5), np.ones((2, 5)), np.ones(2))
    with pytest.raises(ValueError, match=r"delta has shape \(3,\) but a has shape \(2, 4\)"):
        G.linear_weight_grad(np.ones(3), np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"expected W.shape\[0\] == 2"):
        G.linear_input_grad(np.ones((3, 4)), np.ones((5, 2)))
    with pytest.raises(ValueError, match=r"z has shape \(3,\) but grad_a has shape \(4,\)"):
        G.relu_backward(np.ones(4), np.ones(3))


def test_relu_backward_selects_rather_than_multiplies():
    # ∂J/∂z = 0 where z ≤ 0, else ∂J/∂a (torch's threshold_backward): an upstream ±∞ or NaN
    # where z ≤ 0 does not become NaN (∞ · 0), and a NaN z passes ∂J/∂a on, as torch
    for dtype in (np.float32, np.float64):
        z = np.array([-1.0, 0.0, -0.0, np.nan, np.nan, 2.0, 3.0], dtype)
        up = np.array([np.inf, np.nan, -np.inf, 4.0, np.nan, np.inf, np.nan], dtype)
        with np.errstate(all="raise"):
            out = G.relu_backward(up, z)
        assert out.dtype == dtype
        np.testing.assert_array_equal(out, np.array([0, 0, 0, 4, np.nan, np.inf, np.nan], dtype))


def test_relu_net_bias_gradients_of_many_float32_rows(rng):
    # ∂J/∂b₁ and ∂J/∂b₂ sum N rows of δ: accumulated in float64 they keep float32's precision
    # (NumPy sums down a column one row at a time; in float32 the error grew to 1.5e-5 at
    # N = 2.5·10⁵, torch's float32 gives 5e-8). b1 strided: the reference runs on every path.
    n = 250_000
    X = rng.standard_normal((n, 2)) + 3
    y = rng.standard_normal((n, 2)) + 10  # residuals of one sign: the sums do not cancel
    W1, W2 = rng.standard_normal((3, 2)), rng.standard_normal((2, 3))
    b1, b2 = np.array([5.0, 6.0, 7.0]), rng.standard_normal(2)
    want = G.relu_net_grads(X, y, W1, b1, W2, b2)
    f32 = [a.astype(np.float32) for a in (X, y, W1, b1, W2, b2)]
    f32[3] = np.repeat(f32[3], 2)[::2]
    got = G.relu_net_grads(*f32)
    for name in ("b1", "b2"):
        g, w = getattr(got, name), getattr(want, name)
        assert g.dtype == np.float32
        np.testing.assert_allclose(g, w, rtol=1e-6, atol=1e-6 * np.abs(w).max(), err_msg=name)


def test_relu_net_inactive_units_ignore_an_infinite_residual():
    # row 0 has y = ∞, so δ₂ = −∞ there; hidden unit 1 is inactive in row 0 (z = −1), so its
    # gradients take nothing from row 0 (torch's threshold_backward gives 0 there, ∞ · 0 gave
    # NaN): they equal the gradients with any finite y in row 0. b1 strided: the reference
    # runs on every path.
    X = np.array([[1.0, 0.5], [-1.0, 0.25], [2.0, 1.0]])
    W1, b1 = np.array([[1.0, 0.0], [-1.0, 0.0]]), np.repeat([0.0, 0.0], 2)[::2]
    W2, b2 = np.array([[0.5, -2.0]]), np.array([0.1])
    y = np.array([np.inf, 1.0, -1.0])
    with np.errstate(invalid="ignore"):
        got = G.relu_net_grads(X, y, W1, b1, W2, b2)
    finite = G.relu_net_grads(X, np.array([3.0, 1.0, -1.0]), W1, b1, W2, b2)
    np.testing.assert_array_equal(got.W1[1], finite.W1[1])
    assert got.b1[1] == finite.b1[1]
    assert np.isinf(got.W1[0, 0]) and np.isinf(got.b1[0])  # unit 0 is active in row 0


def test_relu_net_nan_input_shows_in_every_first_layer_gradient():
    # a NaN input makes every pre-activation of its row NaN; δ₁ passes ∂J/∂a there (as torch),
    # so the NaN shows in ∂J/∂W₁ and ∂J/∂b₁ instead of being masked to 0
    X = np.array([[np.nan, 0.5], [-1.0, 0.25], [2.0, 1.0]])
    W1, b1 = np.array([[1.0, 0.0], [-1.0, 0.0]]), np.repeat([0.0, 0.0], 2)[::2]
    with np.errstate(invalid="ignore"):
        got = G.relu_net_grads(X, np.ones(3), W1, b1, np.array([[0.5, -2.0]]), np.array([0.1]))
    assert np.isnan(got.W1).all() and np.isnan(got.b1).all()
