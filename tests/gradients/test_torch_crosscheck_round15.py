"""Round 15 of the torch cross-check: what rounds 9–14 did not try. The gradient with respect
to every input of a layer at once (conv2d's x, w and b; layer norm's and batch norm's X, γ and
β; a linear layer's input, weight and bias; an attention block's Q, K and V) against one call of
torch.autograd.grad; composed chains (linear → layer norm → GELU → cross-entropy, conv2d →
batch norm → ReLU → pooling → linear → MSE) whose chain of our VJPs must be torch's autograd of
the composition, under each reduction with upstream gradients that are not ones; results that
never alias an input (a returned gradient written to changes no input, cache or state) and the
optimizers' documented in-place update, as torch.optim's; an optimizer fed one gradient array
object at every step, its copies, or a read-only 0-strided view; 200 float32 steps against
torch's drift from the float64 trajectory; float32 entries near 1e38 through every function
(quietly, as torch). The truth is torch in float64 on the same values (its own dtype where its
rounding is the point), on the three kernel paths (round 12's _paths).

What it found, each test failing before its change:
- batch norm with a scale γ/√(σ² + ε) that is not finite (eval mode with ε = 0 over a zero
  running variance, or an infinite γ in either mode) gave ±∞ at every x ≠ μ where torch's
  folded x·s + (β − μs) is NaN at x and μ of one sign (∞ − ∞) and everywhere at μ = 0
  (0 · ∞); eval's ∂L/∂γ was NaN wherever one x = μ, torch's Σ dout ⊙ (x − μ) · ∞ only where
  that sum is 0 (test_eval_batch_norm_with_an_infinite_scale_as_torch,
  test_training_batch_norm_with_an_infinite_gamma_as_torch);
- round 14's open class, NumPy's overflow RuntimeWarning where torch's ±∞ is silent, in 14
  more calls on float32 entries (or hyper-parameters) near 1e38: the linear, ridge and lasso
  losses (r²), softmax_cross_entropy and the two-layer net's mean loss, BCE with logits and
  its gradient under weights, the weighted mse/l1 reductions, max_pool2d_grad of overlapping
  windows, the norms' affine step with γ and β near the top, batch norm's running
  statistics, AdamW's decay 1 − αλ, adam_bias_corrected (β near 1)
  (test_float32_near_the_top_of_the_range_quietly; round 14's 13 are quiet too).

Fixed in the fast path: the block-wise and compiled softmax_regression_grad, and the compiled
relu_net_grads and two_layer_grads, printed 'overflow encountered in matmul' at float32
entries near 1e38 (test_float32_near_the_top_quietly_on_every_path).

Open in the fast path (_fast/, the lead's; strict xfail so that a fix shows):
- the compiled batchnorm_forward's mean of the channel (−0, 0, 0, −0, 1, −1) is 3e-17, not 0,
  so an infinite γ there gives −∞ where torch's is NaN
  (test_training_batch_norm_with_an_infinite_gamma_compiled_open).

Fixed outside this room: binary_cross_entropy and its gradient took a target outside [0, 1]
(2, NaN, ±∞, 1 + 1e-7, −1e-30), which F.binary_cross_entropy refuses; they refuse it now,
and the catalogue claims bce_probabilities_loss and _gradient assume y in [0, 1]
(test_bce_target_outside_zero_one_refused_as_torch).

Tried and found right (no change): the gradients of every input at once, the two chains
under 'mean', 'sum' and 'none' with upstream gradients of mixed sign and zeros, results that
are new writeable arrays (42 calls whose result could be an input or a view of one), the
optimizers with a reused gradient buffer, copies or a 0-strided view, their state arrays
against torch.optim's state tensors at every step, 200 float32 steps of ten optimizers
within 4 times torch's own drift from float64, higher-rank inputs (5-D batch norm, layer
norm over three axes, K-dimensional soft cross-entropy, 4-D softmax VJPs along any axis).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from quiet import quiet_as_torch

import derivations.gradients as G

torch = pytest.importorskip("torch")
from test_torch_crosscheck_round12 import (  # noqa: E402
    _agree,
    _kernels_restored,  # noqa: F401  (autouse: the kernel path restored after each test)
    _layout,
    _one_torch_thread,  # noqa: F401  (autouse: torch on one thread in this module too)
    _paths,
    _t,
)
from test_torch_crosscheck_round14 import _same_specials  # noqa: E402

F = torch.nn.functional

pytestmark = pytest.mark.one_path  # each test runs the kernel paths itself (_paths)
DTYPES = [np.float32, np.float64]
LAYOUTS = ["C", "F", "strided", "reversed"]


def _grads(y: torch.Tensor, inputs: list[torch.Tensor], upstream: np.ndarray) -> tuple:
    """torch's gradients of y with respect to every one of inputs at once (one backward)."""
    return torch.autograd.grad(y, inputs, _t(upstream))


def _leaves(*arrays: np.ndarray) -> list[torch.Tensor]:
    """Float64 tensors that require their gradient, one per array."""
    return [_t(a).requires_grad_(True) for a in arrays]


def _near(got, want, dtype, rtol32: float = 2e-4, scale: float | None = None) -> None:
    """A chain's result: each VJP of a float32 chain rounds once more, so float32 gets rtol32;
    float64 1e-10. atol relative to scale, by default the largest |want| (a chain's gradient
    that is 0 in exact arithmetic, as a bias before batch norm, is rounding of the chain's
    scale: pass the largest of all its gradients)."""
    got = np.asarray(got)
    want = np.asarray(want.detach() if hasattr(want, "detach") else want, dtype=np.float64)
    assert got.dtype == dtype and got.shape == want.shape
    rtol = rtol32 if dtype == np.float32 else 1e-10
    if scale is None:
        scale = float(np.abs(want).max()) if want.size else 0.0
    np.testing.assert_allclose(got.astype(np.float64), want, rtol=rtol,
                               atol=max(1e-30, rtol * scale / 4))


# ----- Every input's gradient at once -----

# (x's shape, w's shape, stride, padding, dilation, groups)
CONV_CASES = [
    ((2, 3, 6, 5), (4, 3, 3, 2), 1, 0, 1, 1),
    ((1, 2, 7, 7), (3, 2, 3, 3), 2, 1, 1, 1),
    ((2, 2, 6, 8), (2, 2, 2, 3), (1, 2), (2, 0), (2, 1), 1),
    ((2, 4, 5, 5), (6, 2, 3, 3), 1, "same", 1, 2),
    ((1, 3, 4, 4), (3, 1, 2, 2), 1, "valid", 1, 3),
    ((3, 5, 5), (2, 3, 3, 3), 1, 1, 1, 1),  # unbatched
    ((1, 1, 1, 1), (2, 1, 1, 1), 1, 0, 1, 1),  # one pixel
    ((3, 2, 4, 4), (2, 2, 4, 4), 1, 0, 1, 1),  # the kernel covers the image
]


@pytest.mark.parametrize("case", range(len(CONV_CASES)))
@pytest.mark.parametrize("dtype", DTYPES)
def test_conv2d_gradients_of_x_w_and_b_at_once(case, dtype):
    """conv2d's ∂/∂x, ∂/∂w and ∂/∂b for one upstream gradient, against one torch backward;
    x, w, b and the upstream gradient each in another layout, read-only."""
    shape, w_shape, stride, padding, dilation, groups = CONV_CASES[case]
    r = np.random.default_rng(1500 + case)
    x = r.standard_normal(shape).astype(dtype)
    w = r.standard_normal(w_shape).astype(dtype)
    b = r.standard_normal(w_shape[0]).astype(dtype)
    xt, wt, bt = _leaves(x, w, b)
    y = F.conv2d(xt, wt, bt, stride, padding, dilation, groups)
    up = r.standard_normal(tuple(y.shape)).astype(dtype)
    dx, dw, db = _grads(y, [xt, wt, bt], up)
    lay = LAYOUTS[case % 4]
    xs, ws, bs, ups = (_layout(x, lay), _layout(w, LAYOUTS[(case + 1) % 4]),
                       _layout(b, LAYOUTS[(case + 2) % 4]), _layout(up, LAYOUTS[(case + 3) % 4]))
    for _ in _paths():
        with quiet_as_torch():
            _agree(G.conv2d(xs, ws, stride, padding, dilation, bias=bs, groups=groups), y, dtype)
            _agree(G.conv2d_grad_input(ups, ws, x.shape, stride, padding, dilation, groups),
                   dx, dtype)
            _agree(G.conv2d_grad_weight(xs, ups, w.shape, stride, padding, dilation, groups),
                   dw, dtype)
            _agree(G.conv2d_grad_bias(ups), db, dtype)


# (X's shape, γ's shape = normalized_shape)
LAYERNORM_CASES = [((4, 6), (6,)), ((2, 3, 6), (6,)), ((2, 3, 4), (3, 4)), ((1, 5), (5,)),
                   ((6,), (6,)), ((2, 1, 3, 2), (3, 2))]
AFFINE = {"both": (True, True), "gamma only": (True, False), "beta only": (False, True),
          "neither": (False, False)}


@pytest.mark.parametrize("case", range(len(LAYERNORM_CASES)))
@pytest.mark.parametrize("affine", list(AFFINE))
@pytest.mark.parametrize("dtype", DTYPES)
def test_layer_norm_gradients_of_x_gamma_and_beta_at_once(case, affine, dtype):
    """A batch of sequences, a normalized shape of two axes, a batch of one, one vector;
    γ and β given or None (torch's weight=None / bias=None: no gradient)."""
    shape, norm_shape = LAYERNORM_CASES[case]
    with_gamma, with_beta = AFFINE[affine]
    r = np.random.default_rng(1510 + case)
    X = (r.standard_normal(shape) * 3 + 1).astype(dtype)
    gamma = r.standard_normal(norm_shape).astype(dtype) if with_gamma else None
    beta = r.standard_normal(norm_shape).astype(dtype) if with_beta else None
    leaves = _leaves(X, *(p for p in (gamma, beta) if p is not None))
    tg = leaves[1] if with_gamma else None
    tb = leaves[-1] if with_beta else None
    y = F.layer_norm(leaves[0], norm_shape, tg, tb, 1e-5)
    up = r.standard_normal(shape).astype(dtype)
    want = list(_grads(y, leaves, up))
    wants = [want.pop(0), want.pop(0) if with_gamma else None, want.pop(0) if with_beta else None]
    for _ in _paths():
        with quiet_as_torch():
            out, cache = G.layernorm_forward(_layout(X, "F"), gamma, beta, 1e-5,
                                             normalized_shape=norm_shape)
            got = G.layernorm_backward(_layout(up, "reversed"), cache)
        _agree(out, y, dtype)
        for ours, theirs in zip(got, wants, strict=True):
            assert (ours is None) == (theirs is None)
            if theirs is not None:
                _agree(ours, theirs, dtype)


BATCHNORM_SHAPES = [(5, 4), (3, 4, 2, 2), (2, 3, 5), (1, 2, 3, 1)]


@pytest.mark.parametrize("shape", BATCHNORM_SHAPES)
@pytest.mark.parametrize("mode", ["train", "train with running", "eval"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_batch_norm_gradients_of_x_gamma_and_beta_at_once(shape, mode, dtype):
    """Training (batch statistics), training that updates running statistics, and eval mode
    (the running statistics as constants): ∂/∂X, ∂/∂γ and ∂/∂β against one torch backward,
    the running statistics' update against torch's."""
    r = np.random.default_rng(1520)
    X = (r.standard_normal(shape) * 2 - 1).astype(dtype)
    C = shape[1]
    gamma, beta = r.standard_normal(C).astype(dtype), r.standard_normal(C).astype(dtype)
    rm, rv = r.standard_normal(C).astype(dtype), (np.abs(r.standard_normal(C)) + 0.5).astype(dtype)
    running = mode != "train"
    training = mode != "eval"
    xt, gt, bt = _leaves(X, gamma, beta)
    trm, trv = _t(rm), _t(rv)
    y = F.batch_norm(xt, trm if running else None, trv if running else None, gt, bt,
                     training=training, momentum=0.3, eps=1e-5)
    up = r.standard_normal(shape).astype(dtype)
    wants = _grads(y, [xt, gt, bt], up)
    for _ in _paths():
        ours_rm, ours_rv = rm.copy(), rv.copy()
        stats = {"running_mean": ours_rm, "running_var": ours_rv} if running else {}
        with quiet_as_torch():
            out, cache = G.batchnorm_forward(_layout(X, "strided"), gamma, beta, 1e-5,
                                             training=training, momentum=0.3, **stats)
            got = G.batchnorm_backward(_layout(up, "F"), cache)
        _agree(out, y, dtype)
        for ours, theirs in zip(got, wants, strict=True):
            _agree(ours, theirs, dtype)
        if running:
            _agree(ours_rm, trm, dtype)
            _agree(ours_rv, trv, dtype)


@pytest.mark.parametrize("lead", [(), (1,), (5,), (2, 3)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_linear_layer_gradients_of_input_weight_and_bias_at_once(lead, dtype):
    """z = a Wᵀ + b with any leading axes (torch's F.linear): ∂/∂a = linear_input_grad(W, δ),
    ∂/∂W = linear_weight_grad(δ, a), ∂/∂b = δ summed over the leading axes."""
    r = np.random.default_rng(1530)
    a, W, b = (r.standard_normal((*lead, 4)).astype(dtype),
               r.standard_normal((3, 4)).astype(dtype), r.standard_normal(3).astype(dtype))
    at, Wt, bt = _leaves(a, W, b)
    y = F.linear(at, Wt, bt)
    delta = r.standard_normal(tuple(y.shape)).astype(dtype)
    da, dW, db = _grads(y, [at, Wt, bt], delta)
    for _ in _paths():
        with quiet_as_torch():
            _agree(G.linear_input_grad(_layout(W, "F"), _layout(delta, "reversed")), da, dtype)
            _agree(G.linear_weight_grad(_layout(delta, "strided"), _layout(a, "F")), dW, dtype)
        _agree(delta.reshape(-1, 3).sum(axis=0), db, dtype)


def _attention_grads(Q, K, V, dO, mask, axis: int) -> tuple[np.ndarray, ...]:
    """(O, ∂/∂Q, ∂/∂K, ∂/∂V) of O = softmax(QKᵀ/√d) V by the library's VJPs: the score
    products as linear layers (S = Q Kᵀ is F.linear(Q, K)), softmax_vjp between them.
    axis 0: the scores transposed (Sᵀ = K Qᵀ, softmax down its columns), the same block."""
    scale = 1 / math.sqrt(Q.shape[-1])
    S = (Q @ K.T) * Q.dtype.type(scale)
    S = np.where(mask, S, -np.inf)
    if axis == 0:
        P = G.softmax(np.ascontiguousarray(S.T), axis=0).T
    else:
        P = G.softmax(S, axis=-1)
    O = P @ V
    dP = G.linear_input_grad(V.T, dO)  # dO Vᵀ
    dV = G.linear_weight_grad(dO, P).T  # (dOᵀ P)ᵀ = Pᵀ dO
    if axis == 0:
        dS = G.softmax_vjp(np.ascontiguousarray(dP.T), np.ascontiguousarray(P.T), axis=0).T
    else:
        dS = G.softmax_vjp(dP, P, axis=-1)
    dS = dS * Q.dtype.type(scale)
    return O, G.linear_input_grad(K, dS), G.linear_weight_grad(dS, Q), dV


@pytest.mark.parametrize("sizes", [(3, 4, 2), (1, 5, 3), (4, 4, 8)])
@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("axis", [-1, 0])
@pytest.mark.parametrize("dtype", DTYPES)
def test_attention_gradients_of_q_k_and_v_at_once(sizes, masked, axis, dtype):
    """One attention head, a causal mask (−∞ scores, weight 0, gradient 0) or none, softmax
    along the last axis or, on the transposed scores, along axis 0."""
    nq, nk, d = sizes
    r = np.random.default_rng(1540 + nq)
    Q, K, V = (r.standard_normal((n, d)).astype(dtype) for n in (nq, nk, nk))
    mask = np.tril(np.ones((nq, nk), bool), k=nk - nq) if masked else np.ones((nq, nk), bool)
    Qt, Kt, Vt = _leaves(Q, K, V)
    S = (Qt @ Kt.T) / math.sqrt(d)
    S = S.masked_fill(torch.tensor(~mask), -math.inf)
    O = (torch.softmax(S.T, dim=0).T if axis == 0 else torch.softmax(S, dim=-1)) @ Vt
    dO = r.standard_normal((nq, d)).astype(dtype)
    wants = _grads(O, [Qt, Kt, Vt], dO)
    for _ in _paths():
        with quiet_as_torch():
            out, *got = _attention_grads(Q, K, V, dO, mask, axis)
        _near(out, O, dtype)
        for ours, theirs in zip(got, wants, strict=True):
            _near(ours, theirs, dtype)


# ----- Composed chains: our VJPs in sequence against torch's autograd of the composition -----


def _linear_norm_gelu_ce(X, W, b, gamma, beta, labels, approximate, options, upstream):
    """(loss, ∂/∂X, ∂/∂W, ∂/∂b, ∂/∂γ, ∂/∂β) of cross_entropy(gelu(layer_norm(X Wᵀ + b)))
    by the library's forward functions and VJPs."""
    Z = X @ W.T + b
    N, cache = G.layernorm_forward(Z, gamma, beta)
    A = G.gelu(N, approximate)
    loss = G.cross_entropy(A, labels, **options)
    if options["reduction"] == "none":
        dA = G.cross_entropy_grad(A, labels, grad_output=upstream, **options)
    else:
        dA = G.cross_entropy_grad(A, labels, **options) * A.dtype.type(upstream)
    dN = dA * G.gelu_grad(N, approximate)
    dZ, dgamma, dbeta = G.layernorm_backward(dN, cache)
    return (loss, G.linear_input_grad(W, dZ), G.linear_weight_grad(dZ, X), dZ.sum(axis=0),
            dgamma, dbeta)


CE_OPTIONS = {"plain": {}, "weighted, smoothed": {"label_smoothing": 0.2},
              "ignore_index": {"ignore_index": 1}}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("approximate", ["none", "tanh"])
@pytest.mark.parametrize("option", list(CE_OPTIONS))
@pytest.mark.parametrize("dtype", DTYPES)
def test_linear_layer_norm_gelu_cross_entropy_chain(reduction, approximate, option, dtype):
    """The chain's five parameter gradients and its input's, for an upstream gradient that is
    not one: −0.7 times a scalar loss, or mixed signs (and a 0) over the losses per row."""
    r = np.random.default_rng(1550)
    N, d_in, h = 5, 4, 6
    X, W = r.standard_normal((N, d_in)).astype(dtype), r.standard_normal((h, d_in)).astype(dtype)
    b, gamma, beta = (r.standard_normal(h).astype(dtype) for _ in range(3))
    labels = np.array([0, 1, 5, 1, 3])
    options = dict(CE_OPTIONS[option], reduction=reduction)
    if option == "weighted, smoothed":
        options["weight"] = np.abs(r.standard_normal(h)).astype(dtype) + 0.1
    upstream = (np.array([1.5, -2.0, 0.0, 0.3, -0.4], dtype) if reduction == "none"
                else -0.7)
    leaves = _leaves(X, W, b, gamma, beta)
    torch_options = {k: _t(v) if k == "weight" else v for k, v in options.items()}
    y = F.cross_entropy(F.gelu(F.layer_norm(F.linear(*leaves[:3]), (h,), *leaves[3:]),
                               approximate=approximate), _t(labels), **torch_options)
    wants = _grads(y, leaves, np.asarray(upstream, np.float64))
    for _ in _paths():
        with quiet_as_torch():
            loss, *got = _linear_norm_gelu_ce(X, W, b, gamma, beta, labels, approximate,
                                              options, upstream)
        _near(loss, y, dtype)
        for ours, theirs in zip(got, wants, strict=True):
            _near(ours, theirs, dtype)


def _conv_norm_pool_linear_mse(x, w, cb, gamma, beta, V, vb, target, pool: str):
    """(loss, ∂/∂ of x, w, conv bias, γ, β, V, linear bias) of
    mse(linear(flatten(pool(relu(batch_norm(conv2d(x))))))) by the library's VJPs."""
    Z = G.conv2d(x, w, 1, 1, bias=cb)
    Nz, cache = G.batchnorm_forward(Z, gamma, beta)
    A = G.relu(Nz)
    P = G.max_pool2d(A, 2) if pool == "max" else G.avg_pool2d(A, 2)
    flat = P.reshape(P.shape[0], -1)
    H = flat @ V.T + vb
    loss = G.mse_loss(H, target)
    dH = G.mse_grad(H, target)
    dflat = G.linear_input_grad(V, dH)
    dP = dflat.reshape(P.shape)
    dA = G.max_pool2d_grad(dP, A, 2) if pool == "max" else G.avg_pool2d_grad(dP, A.shape, 2)
    dNz = G.relu_backward(dA, Nz)
    dZ, dgamma, dbeta = G.batchnorm_backward(dNz, cache)
    return (loss, G.conv2d_grad_input(dZ, w, x.shape, 1, 1),
            G.conv2d_grad_weight(x, dZ, w.shape, 1, 1), G.conv2d_grad_bias(dZ), dgamma, dbeta,
            G.linear_weight_grad(dH, flat), dH.sum(axis=0))


@pytest.mark.parametrize("pool", ["max", "avg"])
@pytest.mark.parametrize("batch", [1, 3])
@pytest.mark.parametrize("dtype", DTYPES)
def test_conv_batch_norm_relu_pool_linear_mse_chain(pool, batch, dtype):
    """A small CNN's seven parameter gradients and its input's, through batch statistics
    (a batch of one has them over its pixels)."""
    r = np.random.default_rng(1560 + batch)
    x = r.standard_normal((batch, 2, 4, 4)).astype(dtype)
    w = r.standard_normal((3, 2, 3, 3)).astype(dtype)
    cb, gamma, beta = (r.standard_normal(3).astype(dtype) for _ in range(3))
    V, vb = r.standard_normal((2, 12)).astype(dtype), r.standard_normal(2).astype(dtype)
    target = r.standard_normal((batch, 2)).astype(dtype)
    leaves = _leaves(x, w, cb, gamma, beta, V, vb)
    Z = F.batch_norm(F.conv2d(leaves[0], leaves[1], leaves[2], 1, 1), None, None, leaves[3],
                     leaves[4], training=True)
    A = F.relu(Z)
    P = F.max_pool2d(A, 2) if pool == "max" else F.avg_pool2d(A, 2)
    y = F.mse_loss(F.linear(P.flatten(1), leaves[5], leaves[6]), _t(target))
    wants = _grads(y, leaves, np.float64(1.0))
    scale = max(float(g.abs().max()) for g in wants)
    assert float(wants[2].abs().max()) < 1e-12 * scale  # the conv bias cancels in batch norm
    for _ in _paths():
        with quiet_as_torch():
            loss, *got = _conv_norm_pool_linear_mse(x, w, cb, gamma, beta, V, vb, target, pool)
        _near(loss, y, dtype)
        for ours, theirs in zip(got, wants, strict=True):
            _near(ours, theirs, dtype, scale=scale)


# ----- Found and fixed: eval batch norm with a scale that is not finite -----

# (running_var, γ, ε): a zero running variance with ε = 0 (1/σ = ∞), an infinite γ, both
UNBOUNDED_SCALES = {
    "zero variance, eps 0": ([0.0, 0.0, 0.0, 1.0], [2.0, -1.0, 0.5, 1.5], 0.0),
    "infinite gamma": ([1.0, 0.5, 2.0, 1.0], [math.inf, -math.inf, 1.0, math.inf], 1e-5),
    "both": ([0.0, 1.0, 0.0, 0.0], [math.inf, 1.0, -2.0, 0.0], 0.0),
}


@pytest.mark.parametrize("case", list(UNBOUNDED_SCALES))
@pytest.mark.parametrize("shape", [(2, 4), (2, 4, 2, 1)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_eval_batch_norm_with_an_infinite_scale_as_torch(case, shape, dtype):
    """torch's eval batch norm is x·s + (β − μs) with s = γ/√(running_var + ε): where s = ±∞
    that is NaN at x and μ of one sign (∞ − ∞) and everywhere at μ = 0 (0 · ∞), ±∞ only where
    x and μ differ in sign. γx̂ + β gave ±∞ at every x ≠ μ. Its ∂L/∂γ is Σ dout ⊙ (x − μ)
    times 1/σ: 0 · ∞ = NaN only where that sum is 0, where Σ dout ⊙ x̂ made NaN of each
    0 · ∞ term. The mean's entries take each sign and 0 (μ = 0: NaN everywhere, as torch's)."""
    var, gamma = (np.array(v, dtype) for v in UNBOUNDED_SCALES[case][:2])
    eps = UNBOUNDED_SCALES[case][2]
    r = np.random.default_rng(1570)
    X = np.round(r.standard_normal(shape) * 2).astype(dtype)  # some x = μ exactly
    mean = np.array([1.0, 0.0, -1.0, 0.5], dtype)
    beta = np.array([0.1, 0.2, 0.3, 0.4], dtype)
    up = np.round(r.standard_normal(shape) * 2).astype(dtype)
    xt, gt, bt = _leaves(X, gamma, beta)
    y = F.batch_norm(xt, _t(mean), _t(var), gt, bt, training=False, eps=eps)
    wants = _grads(y, [xt, gt, bt], up)
    assert torch.isnan(y).any() and torch.isinf(y).any()  # both kinds occur
    for _ in _paths():
        with quiet_as_torch():
            out, cache = G.batchnorm_forward(X, gamma, beta, eps, running_mean=mean,
                                             running_var=var, training=False)
            got = G.batchnorm_backward(up, cache)
        _same_specials(out, y, dtype)
        for ours, theirs in zip(got, wants, strict=True):
            _same_specials(ours, theirs, dtype)


def _infinite_gamma_case(shape, dtype) -> tuple[np.ndarray, ...]:
    """(X, γ with ±∞ entries, β, an upstream gradient); X's integers make the 4-D case's
    first channel (−0, 0, 0, −0, 1, −1) of mean exactly 0."""
    r = np.random.default_rng(1571)
    X = np.round(r.standard_normal(shape) * 2).astype(dtype)
    gamma = np.array([math.inf, -math.inf, 0.5, math.inf], dtype)
    beta = np.array([0.1, 0.2, 0.3, 0.4], dtype)
    return X, gamma, beta, np.round(r.standard_normal(shape) * 2).astype(dtype)


@pytest.mark.parametrize("shape", [(3, 4), (3, 4, 2, 1)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_training_batch_norm_with_an_infinite_gamma_as_torch(shape, dtype):
    """Training mode folds the batch statistics the same way (x·s + (β − μs)): an infinite γ
    gave ±∞ at every x ≠ μ, torch's NaN where x and μ share a sign (everywhere where μ = 0,
    the first channel of the 4-D case); on the reference and block-wise paths (the fold
    follows the fast path's output too; the compiled one: the strict xfail below). The
    gradients as torch's."""
    X, gamma, beta, up = _infinite_gamma_case(shape, dtype)
    xt, gt, bt = _leaves(X, gamma, beta)
    y = F.batch_norm(xt, None, None, gt, bt, training=True)
    wants = _grads(y, [xt, gt, bt], up)
    for path in _paths():
        if path == "numba":
            continue
        with quiet_as_torch():
            out, cache = G.batchnorm_forward(X, gamma, beta)
            got = G.batchnorm_backward(up, cache)
        _same_specials(out, y, dtype)
        for ours, theirs in zip(got, wants, strict=True):
            _same_specials(ours, theirs, dtype)


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="_fast (the lead's): the compiled batchnorm_forward's mean of the "
                          "channel (-0, 0, 0, -0, 1, -1) is 3e-17, not 0 (torch's and the "
                          "other paths'), so an infinite gamma there gives -inf, not NaN")
@pytest.mark.parametrize("dtype", DTYPES)
def test_training_batch_norm_with_an_infinite_gamma_compiled_open(dtype):
    X, gamma, beta, _ = _infinite_gamma_case((3, 4, 2, 1), dtype)
    y = F.batch_norm(_t(X), None, None, _t(gamma), _t(beta), training=True)
    for path in _paths():
        if path == "numba":
            with quiet_as_torch():
                out, _ = G.batchnorm_forward(X, gamma, beta)
            _same_specials(out, y, dtype)


# ----- Float32 entries near 1e38 through every function, quietly (round 14's open class) -----


def _near_the_top_calls() -> dict[str, Callable]:
    """Calls on finite float32 entries of about ±1e38 (or hyper-parameters near the top) whose
    sums, products or casts pass float32's range: torch's ±∞ and NaN come silently. Round 14
    found 13 such calls printing NumPy's overflow RuntimeWarning; these are the rest of the
    library's functions, 19 of which printed it too (each named in the module docstring)."""
    big = np.float32(1e38)
    r = np.random.default_rng(1580)

    def huge(*shape):
        return (r.standard_normal(shape) * big).astype(np.float32)

    X, Z, P = huge(6, 3), huge(6, 4), np.abs(huge(6, 4))
    y, theta = np.array([0, 1, 1, 0, 1, 0], np.float32), np.ones(3, np.float32)
    labels, half = np.array([0, 1, 2, 3, 0, 1]), np.full((6, 4), 0.5, np.float32)
    heavy, heavier = np.full(4, 1e30, np.float32), np.full((6, 4), 1e30, np.float32)
    x4, w4, d4 = huge(1, 2, 5, 5), r.standard_normal((3, 2, 3, 3)).astype(np.float32), \
        huge(1, 3, 3, 3)
    W, V, W1, b1, W2, b2 = huge(3, 4), huge(4, 2), huge(4, 3), huge(4), huge(1, 4), huge(1)
    top = np.full(3, 3e38, np.float32)
    return {
        "linear_regression_loss": lambda: G.linear_regression_loss(X, y, theta),
        "ridge_loss": lambda: G.ridge_loss(X, y, theta, 1e30),
        "ridge_grad": lambda: G.ridge_grad(X, y, theta, 1e30),
        "lasso_loss": lambda: G.lasso_loss(X, y, theta, 1.0),
        "lasso_subgrad": lambda: G.lasso_subgrad(X, y, theta, 1.0),
        "logistic_grad": lambda: G.logistic_grad(X, y, theta),
        "logistic_mse_loss": lambda: G.logistic_mse_loss(X, y, theta),
        "logistic_mse_grad": lambda: G.logistic_mse_grad(X, y, theta),
        "perceptron_loss": lambda: G.perceptron_loss(X, y, theta),
        "hinge_loss": lambda: G.hinge_loss(Z[:, 0], 2 * y - 1),
        "softmax_regression_loss": lambda: G.softmax_regression_loss(X, W, labels),
        "softmax_cross_entropy": lambda: G.softmax_cross_entropy(Z, labels),
        "softmax_cross_entropy_grad": lambda: G.softmax_cross_entropy_grad(Z, labels),
        "mse_loss sum": lambda: G.mse_loss(Z, -Z, "sum"),
        "mse_grad sum": lambda: G.mse_grad(Z, -Z, "sum"),
        "mse weighted": lambda: (G.mse_loss(Z, -Z, weight=heavier),
                                 G.mse_grad(Z, -Z, weight=heavier)),
        "l1 weighted": lambda: (G.l1_loss(Z, -Z, "sum", weight=heavier),
                                G.l1_grad(Z, -Z, weight=heavier)),
        "huber": lambda: (G.huber_loss(Z, -Z, 1e38), G.huber_grad(Z, -Z, 1e38)),
        "smooth_l1": lambda: (G.smooth_l1_loss(Z, -Z, 1e38), G.smooth_l1_grad(Z, -Z, 1e38)),
        "bce with logits sum": lambda: G.binary_cross_entropy_with_logits(Z, half,
                                                                          reduction="sum"),
        "bce with logits weighted": lambda: G.binary_cross_entropy_with_logits(
            Z, half, heavy, pos_weight=heavy),
        "bce with logits grad weighted": lambda: G.binary_cross_entropy_with_logits_grad(
            Z, half, heavy, pos_weight=heavy),
        "bce weighted": lambda: (
            G.binary_cross_entropy(half, half, np.full(4, 1e38, np.float32), reduction="sum"),
            G.binary_cross_entropy_grad(half, half, np.full(4, 1e38, np.float32),
                                        reduction="sum")),
        "kl sum": lambda: (G.kl_divergence(P, Z, reduction="sum"),
                           G.kl_divergence_grad(P, Z, reduction="sum")),
        "kl log_target": lambda: (
            G.kl_divergence(Z, Z / 2, reduction="sum", log_target=True),
            G.kl_divergence_grad(P * np.float32(1e-37), Z, reduction="sum", log_target=True)),
        "cross_entropy_grad weighted": lambda: G.cross_entropy_grad(Z, labels, heavy,
                                                                    reduction="sum"),
        "cross_entropy weighted smoothed": lambda: G.cross_entropy(Z, labels, heavy,
                                                                   label_smoothing=0.3),
        "nll_loss weighted mean": lambda: (G.nll_loss(Z, labels, heavy),
                                           G.nll_loss_grad(Z, labels, heavy, reduction="sum")),
        "conv2d_grad_input": lambda: G.conv2d_grad_input(d4, w4, x4.shape),
        "conv2d_grad_weight": lambda: G.conv2d_grad_weight(x4, d4, w4.shape),
        "conv2d with a bias at the top": lambda: G.conv2d(x4, w4, bias=top),
        "avg_pool2d_grad": lambda: G.avg_pool2d_grad(np.full((1, 1, 2, 2), 3e38, np.float32),
                                                     (1, 1, 3, 3), 2, 1),
        "max_pool2d_grad of overlapping windows": lambda: G.max_pool2d_grad(
            np.full((1, 1, 3, 3), 3e38, np.float32), np.eye(4, dtype=np.float32)[None, None],
            2, 1),
        "layernorm_forward with gamma and beta at the top": lambda: G.layernorm_forward(
            X, top / 3, top),
        "batchnorm_forward with gamma and beta at the top": lambda: G.batchnorm_forward(
            X, top / 3, top),
        "batchnorm_forward's running statistics": lambda: G.batchnorm_forward(
            X, running_mean=top.copy(), running_var=top.copy(), training=True, momentum=0.5),
        "linear_weight_grad": lambda: G.linear_weight_grad(X, X),
        "linear_input_grad": lambda: G.linear_input_grad(huge(3, 3), X),
        "relu_net_forward": lambda: G.relu_net_forward(X, y, W1, b1, W2, b2),
        "two_layer_forward": lambda: G.two_layer_forward(X, W, V, y.astype(int)),
        "dropout": lambda: (G.dropout(Z, Z > 0, 0.5), G.dropout_grad(Z, Z > 0, 0.5)),
        "activation derivatives": lambda: (G.gelu_grad(Z), G.gelu_grad(Z, "tanh"),
                                           G.silu_grad(Z), G.sigmoid_grad(Z), G.tanh_grad(Z)),
        "activations with hyper-parameters at the top": lambda: (
            G.elu(Z, 1e38), G.elu_grad(Z, 1e38), G.leaky_relu(Z, 1e38),
            G.leaky_relu_grad(Z, 1e38), G.softplus(Z, 1e-38), G.softplus_grad(Z, 1e-38)),
        "momentum_step": lambda: G.momentum_step(X.copy(), X, X.copy(), 1e30, 0.9),
        "momentum_step decay": lambda: G.momentum_step(X.copy(), X, X.copy(), 0.1, 0.9,
                                                       weight_decay=1e30),
        "sgd_nesterov_step": lambda: G.sgd_nesterov_step(X.copy(), X, X.copy(), 1e30, 0.9,
                                                         1e30),
        "adam_step": lambda: G.adam_step(X.copy(), X, X.copy(), np.abs(X), 2, 1e30,
                                         weight_decay=1e30),
        "adam_step amsgrad": lambda: G.adam_step(X.copy(), X, X.copy(), np.abs(X), 2, 1.0,
                                                 amsgrad=True, max_v=np.abs(X)),
        "adamw_step": lambda: G.adamw_step(X.copy(), X, X.copy(), np.abs(X), 2, 1e30,
                                           weight_decay=1e30),
        "adagrad_step": lambda: G.adagrad_step(X.copy(), X, np.abs(X), 1e30,
                                               weight_decay=1e30),
        "rmsprop_step centered": lambda: G.rmsprop_step(
            X.copy(), X, np.abs(X), 1e30, centered=True, grad_avg=X.copy(), momentum=0.9,
            momentum_buffer=X.copy()),
        "clip_grad_norm": lambda: (G.clip_grad_norm([X.copy(), Z.copy()], 1e38),
                                   G.clip_grad_norm([X.copy(), Z.copy()], 1e38, math.inf)),
        "adam_bias_corrected": lambda: G.adam_bias_corrected(X, np.abs(X), 1, 0.9999999,
                                                             0.9999999),
        "softmax_vjp": lambda: (G.softmax_vjp(Z, np.abs(Z)),
                                G.log_softmax_vjp(Z, G.log_softmax(Z, 0), 0)),
    }


def _results(out) -> list[np.ndarray]:
    """The arrays of a call's result (tuples and named tuples flattened, caches left out)."""
    items = out if isinstance(out, tuple) else (out,)
    flat = []
    for item in items:
        flat.extend(_results(item) if isinstance(item, tuple) else [item])
    return [np.asarray(a) for a in flat if isinstance(a, np.ndarray | np.generic)]


@pytest.mark.parametrize("name", list(_near_the_top_calls()))
def test_float32_near_the_top_of_the_range_quietly(name):
    """No RuntimeWarning on any kernel path, and float32 results (torch's ±∞/NaN, silently)."""
    for _ in _paths():
        with quiet_as_torch():
            out = _near_the_top_calls()[name]()
        for a in _results(out):
            assert a.dtype == np.float32


def _fast_loud_calls() -> dict[str, Callable]:
    r = np.random.default_rng(1581)

    def huge(*shape):
        return (r.standard_normal(shape) * np.float32(1e38)).astype(np.float32)

    X, y = huge(6, 3), np.array([0, 1, 1, 0, 1, 0], np.float32)
    return {
        "softmax_regression_grad": lambda: G.softmax_regression_grad(
            X, huge(3, 4), np.array([0, 1, 2, 3, 0, 1])),
        "relu_net_grads": lambda: G.relu_net_grads(X, y, huge(4, 3), huge(4), huge(1, 4),
                                                   huge(1)),
        "two_layer_grads": lambda: G.two_layer_grads(X, huge(3, 4), huge(4, 2), y.astype(int)),
    }


@pytest.mark.parametrize("name", list(_fast_loud_calls()))
def test_float32_near_the_top_quietly_on_every_path(name):
    """The products of the fast path's softmax_regression_grad (block-wise and compiled) and
    compiled relu_net_grads and two_layer_grads printed 'overflow encountered in matmul' at
    float32 entries near 1e38, where torch's ±∞ is silent (strict xfail until fixed)."""
    for _ in _paths():
        with quiet_as_torch():
            _fast_loud_calls()[name]()


# ----- Results never alias an input; optimizers update in place, as torch.optim -----


def _aliasing_calls(dtype) -> dict[str, tuple[Callable, tuple]]:
    """name → (function, its array arguments): a call whose result could be an input itself
    (an identity case: slope 1, p = 0, a 1 × 1 window or kernel, a mask of ones, β₁ = β₂ = 0)
    or a view of one (a reshape, a transpose, a 0-d result)."""
    r = np.random.default_rng(1590)
    z, t, u = (r.standard_normal((4, 5)).astype(dtype) for _ in range(3))
    X, y, theta = (r.standard_normal((6, 3)).astype(dtype), r.standard_normal(6).astype(dtype),
                   r.standard_normal(3).astype(dtype))
    labels, ones = np.array([0, 1, 2, 3]), np.ones((4, 5), bool)
    x4 = r.standard_normal((2, 3, 4, 4)).astype(dtype)
    w11 = np.ones((3, 3, 1, 1), dtype) * np.eye(3, dtype=dtype)[:, :, None, None]
    p01 = 1 / (1 + np.exp(-z))
    return {
        "relu": (G.relu, (z,)), "leaky_relu slope 1": (lambda a: G.leaky_relu(a, 1.0), (z,)),
        "elu alpha 0": (lambda a: G.elu(a, 0.0), (z,)),
        "softplus past the threshold": (lambda a: G.softplus(a, 1.0, 0.0), (np.abs(z) + 1,)),
        "gelu": (G.gelu, (z,)), "silu": (G.silu, (z,)), "sigmoid": (G.sigmoid, (z,)),
        "softmax over one class": (G.softmax, (z[:, :1],)),
        "log_softmax": (G.log_softmax, (z,)),
        "softmax_vjp": (lambda g, a: G.softmax_vjp(g, G.softmax(a)), (u, z)),
        "log_softmax_vjp": (lambda g, a: G.log_softmax_vjp(g, G.log_softmax(a)), (u, z)),
        "relu_backward": (G.relu_backward, (u, np.abs(z) + 1)),
        "dropout p 0": (lambda a, m: G.dropout(a, m, 0.0), (z, ones)),
        "dropout_grad p 0": (lambda a, m: G.dropout_grad(a, m, 0.0), (u, ones)),
        "mse_grad none": (lambda a, b, g: G.mse_grad(a, b, "none", g), (z, t, u)),
        "l1_grad none": (lambda a, b, g: G.l1_grad(a, b, "none", g), (z, t, u)),
        "huber_grad none": (lambda a, b, g: G.huber_grad(a, b, 1e30, "none", g), (z, t, u)),
        "mse_loss none": (lambda a, b: G.mse_loss(a, b, "none"), (z, t)),
        "weighted mse_grad sum": (lambda a, b, w: G.mse_grad(a, b, "sum", weight=w),
                                  (z, t, np.abs(u))),
        "kl_divergence_grad none, log_target": (
            lambda a, b, g: G.kl_divergence_grad(a, b, reduction="none", log_target=True,
                                                 grad_output=g), (z, t, u)),
        "bce_with_logits_grad none": (
            lambda a, b, g: G.binary_cross_entropy_with_logits_grad(a, b, reduction="none",
                                                                   grad_output=g), (z, p01, u)),
        "bce_grad none": (lambda a, b, g: G.binary_cross_entropy_grad(
            a, b, reduction="none", grad_output=g), (p01, p01, u)),
        "cross_entropy_grad none": (lambda a, g: G.cross_entropy_grad(
            a, labels, reduction="none", grad_output=g), (z, u[:, 0].copy())),
        "nll_loss_grad of one row": (lambda a: G.nll_loss_grad(a, np.int64(2)), (z[0],)),
        "linear_input_grad": (G.linear_input_grad, (np.eye(4, dtype=dtype), z.T.copy())),
        "linear_weight_grad of one sample": (G.linear_weight_grad, (z[0], t[0])),
        "conv2d 1 × 1 identity kernel": (G.conv2d, (x4, w11)),
        "conv2d_grad_input 1 × 1": (lambda d, w: G.conv2d_grad_input(d, w, x4.shape),
                                    (x4, w11)),
        "conv2d_grad_bias of one pixel": (G.conv2d_grad_bias, (x4[:1, :, :1, :1],)),
        "max_pool2d 1 × 1": (lambda a: G.max_pool2d(a, 1, return_indices=True), (x4,)),
        "avg_pool2d 1 × 1": (lambda a: G.avg_pool2d(a, 1), (x4,)),
        "max_pool2d_grad 1 × 1": (lambda d, a: G.max_pool2d_grad(d, a, 1), (x4, x4)),
        "avg_pool2d_grad 1 × 1": (lambda d: G.avg_pool2d_grad(d, x4.shape, 1), (x4,)),
        "linear_regression_grad": (G.linear_regression_grad, (X, y, theta)),
        "ridge_grad lam 0": (lambda a, b, c: G.ridge_grad(a, b, c, 0.0), (X, y, theta)),
        "hinge_grad": (G.hinge_grad, (y, np.sign(y))),
        "adam_bias_corrected betas 0": (lambda m, v: G.adam_bias_corrected(m, v, 1, 0.0, 0.0),
                                        (z, np.abs(t))),
        "layernorm forward and backward": (
            lambda a, d: (G.layernorm_forward(a)[0],
                          G.layernorm_backward(d, G.layernorm_forward(a)[1])), (z, u)),
        "batchnorm forward and backward, eval": (
            lambda a, d, m, v: (G.batchnorm_forward(a, running_mean=m, running_var=v)[0],
                                G.batchnorm_backward(d, G.batchnorm_forward(
                                    a, np.ones(5, dtype), running_mean=m, running_var=v)[1])),
            (z, u, t[0], np.abs(t[1]) + 1)),
        "batchnorm of an empty batch": (lambda a: G.batchnorm_forward(a[:0])[0], (z,)),
        "gmm_responsibilities": (lambda a: G.gmm_responsibilities(
            a[:, :2], np.array([1.0], dtype), np.zeros((1, 2), dtype),
            np.eye(2, dtype=dtype)[None]), (z,)),
    }


@pytest.mark.parametrize("name", list(_aliasing_calls(np.float64)))
@pytest.mark.parametrize("dtype", DTYPES)
def test_results_are_new_writeable_arrays(name, dtype):
    """A returned array shares no memory with any argument, is writeable (torch's results
    are), and writing into it changes no argument."""
    for _ in _paths():
        f, args = _aliasing_calls(dtype)[name]
        before = [a.copy() for a in args]
        with quiet_as_torch():
            results = _results(f(*args))
        assert results
        for out in results:  # (a NumPy scalar result is here a new 0-d array)
            assert out.flags.writeable, f"{name}: a read-only result"
            assert not any(np.shares_memory(out, a) for a in args), f"{name}: aliases an input"
            out[...] = 7
        for a, b in zip(args, before, strict=True):
            np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("norm", ["layer", "batch"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_norm_gradients_do_not_change_when_an_output_or_a_gradient_is_written(norm, dtype):
    """The cache keeps X itself (documented, as torch's saved tensors) and its own γ: writing
    into the forward's output, into γ after the forward call, or into a first backward's
    gradients changes neither a second backward's results nor torch's."""
    r = np.random.default_rng(1591)
    X, up = r.standard_normal((5, 4)).astype(dtype), r.standard_normal((5, 4)).astype(dtype)
    gamma, beta = r.standard_normal(4).astype(dtype), r.standard_normal(4).astype(dtype)
    forward, backward = ((G.layernorm_forward, G.layernorm_backward) if norm == "layer"
                         else (G.batchnorm_forward, G.batchnorm_backward))
    leaves = _leaves(X, gamma, beta)
    y = (F.layer_norm(leaves[0], (4,), *leaves[1:]) if norm == "layer"
         else F.batch_norm(leaves[0], None, None, *leaves[1:], training=True))
    wants = _grads(y, leaves, up)
    for _ in _paths():
        g = gamma.copy()
        out, cache = forward(X, g, beta)
        out[...] = 0
        g[...] = 0
        first = backward(up, cache)
        for a in first:
            a[...] = 3
        for ours, theirs in zip(backward(up, cache), wants, strict=True):
            _agree(ours, theirs, dtype)


# (name, torch.optim factory, our step(params, grad, state, t), number of state arrays):
# the settings a training loop uses, each optimizer's options once
TYPICAL_OPTIMIZERS: list[tuple[str, Callable, Callable, int]] = [
    ("sgd", lambda q: torch.optim.SGD(q, lr=0.05, weight_decay=1e-3),
     lambda p, g, s, t: G.sgd_step(p, g, 0.05, weight_decay=1e-3), 0),
    ("momentum, dampening", lambda q: torch.optim.SGD(q, lr=0.05, momentum=0.9, dampening=0.1),
     lambda p, g, s, t: G.momentum_step(p, g, s[0], 0.05, 0.9, dampening=0.1, t=t), 1),
    ("nesterov, decay", lambda q: torch.optim.SGD(q, lr=0.05, momentum=0.9, nesterov=True,
                                                  weight_decay=1e-2),
     lambda p, g, s, t: G.sgd_nesterov_step(p, g, s[0], 0.05, 0.9, 1e-2), 1),
    ("adagrad, lr_decay", lambda q: torch.optim.Adagrad(q, lr=0.1, lr_decay=1e-3,
                                                        weight_decay=1e-3),
     lambda p, g, s, t: G.adagrad_step(p, g, s[0], 0.1, lr_decay=1e-3, weight_decay=1e-3,
                                       t=t), 1),
    ("rmsprop", lambda q: torch.optim.RMSprop(q, lr=1e-2),
     lambda p, g, s, t: G.rmsprop_step(p, g, s[0], 1e-2), 1),
    ("rmsprop centered, momentum", lambda q: torch.optim.RMSprop(q, lr=1e-2, centered=True,
                                                                 momentum=0.5),
     lambda p, g, s, t: G.rmsprop_step(p, g, s[0], 1e-2, centered=True, grad_avg=s[1],
                                       momentum=0.5, momentum_buffer=s[2]), 3),
    ("adam", lambda q: torch.optim.Adam(q, lr=1e-2),
     lambda p, g, s, t: G.adam_step(p, g, s[0], s[1], t, 1e-2), 2),
    ("adam amsgrad, decay", lambda q: torch.optim.Adam(q, lr=1e-2, amsgrad=True,
                                                       weight_decay=1e-2),
     lambda p, g, s, t: G.adam_step(p, g, s[0], s[1], t, 1e-2, weight_decay=1e-2,
                                    amsgrad=True, max_v=s[2]), 3),
    ("adamw", lambda q: torch.optim.AdamW(q, lr=1e-2, weight_decay=0.1),
     lambda p, g, s, t: G.adamw_step(p, g, s[0], s[1], t, 1e-2, weight_decay=0.1), 2),
    ("adam maximize", lambda q: torch.optim.Adam(q, lr=1e-2, maximize=True),
     lambda p, g, s, t: G.adam_step(p, g, s[0], s[1], t, 1e-2, maximize=True), 2),
]
OPTIMIZER_IDS = [o[0] for o in TYPICAL_OPTIMIZERS]


def _torch_run(make: Callable, p0: np.ndarray, grads: np.ndarray, dtype) -> np.ndarray:
    """torch.optim's parameters after each gradient, in dtype (a (steps, …) array)."""
    q = torch.nn.Parameter(torch.tensor(p0, dtype=torch.float32 if dtype == np.float32
                                        else torch.float64))
    opt = make([q])
    out = []
    for g in grads:
        q.grad = torch.tensor(g, dtype=q.dtype)
        opt.step()
        out.append(q.detach().numpy().astype(np.float64))
    return np.array(out)


@pytest.mark.parametrize("name, make, step, n_state", TYPICAL_OPTIMIZERS, ids=OPTIMIZER_IDS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_one_gradient_buffer_its_copies_or_a_broadcast_view(name, make, step, n_state, dtype):
    """A training loop that writes every gradient into one buffer (the same array object at
    each step), one that passes a fresh copy, and one whose gradient is a read-only 0-strided
    view (np.broadcast_to of one row): the same trajectory, torch's (in the data's dtype). A
    step returns params and its state themselves (the documented in-place update, as
    torch.optim's on the parameter); it keeps no reference to the gradient (the buffer
    written after the last step changes nothing)."""
    r = np.random.default_rng(1600)
    p0 = r.standard_normal((3, 4)).astype(dtype)
    rows = r.standard_normal((6, 1, 4)).astype(dtype)
    grads = np.broadcast_to(rows, (6, 3, 4))
    want = _torch_run(make, p0, grads, dtype)
    tol = {"rtol": 1e-5, "atol": 1e-6} if dtype == np.float32 else {"rtol": 1e-12,
                                                                    "atol": 1e-14}
    for _ in _paths():
        for feed in ("one buffer", "copies", "broadcast"):
            params, state = p0.copy(), [np.zeros_like(p0) for _ in range(n_state)]
            buffer = np.empty_like(p0)
            for t, g in enumerate(grads, 1):
                if feed == "one buffer":
                    buffer[...] = g
                    g = buffer
                elif feed == "copies":
                    g = g.copy()
                else:
                    assert g.strides[0] == 0 and not g.flags.writeable
                with quiet_as_torch():
                    got = step(params, g, state, t)
                returned = got if isinstance(got, tuple) else (got,)
                assert returned[0] is params
                assert all(any(a is s for s in state) for a in returned[1:])
                np.testing.assert_allclose(params, want[t - 1], **tol)
            after = [params.copy(), *(s.copy() for s in state)]
            buffer[...] = np.nan
            for a, b in zip([params, *state], after, strict=True):
                np.testing.assert_array_equal(a, b)


# the optimizers whose state carries rounding from step to step (plain SGD's does not)
LONG_RUNS = [o for o in TYPICAL_OPTIMIZERS if o[0] in ("momentum, dampening", "adagrad, lr_decay",
                                                      "rmsprop centered, momentum",
                                                      "adam amsgrad, decay", "adamw")]


@pytest.mark.parametrize("name, make, step, n_state", LONG_RUNS, ids=[o[0] for o in LONG_RUNS])
def test_two_hundred_float32_steps_drift_as_torchs(name, make, step, n_state):
    """200 float32 steps (a training run's scale of accumulated rounding): our parameters'
    distance from torch's float64 trajectory is at most 4 times torch's float32 one (plus
    float32's rounding of the parameters themselves), and stays float32."""
    r = np.random.default_rng(1610)
    p0 = r.standard_normal(32).astype(np.float32)
    grads = (r.standard_normal((200, 32)) * np.linspace(0.01, 10, 32)).astype(np.float32)
    exact = _torch_run(make, p0.astype(np.float64), grads.astype(np.float64), np.float64)
    torch32 = _torch_run(make, p0, grads, np.float32)
    torch_drift = np.abs(torch32 - exact).max(axis=1)
    scale = np.abs(exact).max(axis=1)
    for _ in _paths():
        params, state = p0.copy(), [np.zeros_like(p0) for _ in range(n_state)]
        for t, g in enumerate(grads, 1):
            with quiet_as_torch():
                step(params, g, state, t)
            drift = np.abs(params - exact[t - 1]).max()
            assert params.dtype == np.float32
            assert drift <= 4 * torch_drift[t - 1] + 2e-7 * scale[t - 1], (
                f"step {t}: drift {drift:.3g}, torch's {torch_drift[t - 1]:.3g}")


# ----- Found, not fixed here: a BCE target outside [0, 1] is taken -----


@pytest.mark.parametrize("bad", [2.0, -1e-30, 1.0000001, math.nan, math.inf])
@pytest.mark.parametrize("dtype", DTYPES)
def test_bce_target_outside_zero_one_refused_as_torch(bad, dtype):
    """F.binary_cross_entropy refuses a target outside [0, 1] (NaN too): 'all elements of
    target should be between 0 and 1'. binary_cross_entropy and its gradient took it and
    returned a number (a loss below 0 for y = 2). The bounds themselves, 0 and 1 (−0 too),
    are taken by both; BCE with logits takes any target, as torch's."""
    p = np.array([0.3, 0.5, 0.9], dtype)
    target = np.array([0.0, bad, 1.0], dtype)
    with pytest.raises(RuntimeError, match="target should be between 0 and 1"):
        F.binary_cross_entropy(_t(p), _t(target))
    refusal = r"target holds probabilities and must lie in \[0, 1\]"
    for _ in _paths():
        with pytest.raises(ValueError, match=refusal):
            G.binary_cross_entropy(p, target)
        with pytest.raises(ValueError, match=refusal):
            G.binary_cross_entropy_grad(p, target)
        edges = np.array([0.0, -0.0, 1.0], dtype)
        _agree(G.binary_cross_entropy(p, edges), F.binary_cross_entropy(_t(p), _t(edges)),
               dtype)
        if math.isfinite(bad):
            _agree(G.binary_cross_entropy_with_logits(p, target),
                   F.binary_cross_entropy_with_logits(_t(p), _t(target)), dtype)


# ----- Optimizer state against torch.optim's own state -----

# TYPICAL_OPTIMIZERS' names → torch's state keys, in the order of our state arrays
TORCH_STATE = {
    "sgd": (), "momentum, dampening": ("momentum_buffer",),
    "nesterov, decay": ("momentum_buffer",), "adagrad, lr_decay": ("sum",),
    "rmsprop": ("square_avg",),
    "rmsprop centered, momentum": ("square_avg", "grad_avg", "momentum_buffer"),
    "adam": ("exp_avg", "exp_avg_sq"), "adam amsgrad, decay": ("exp_avg", "exp_avg_sq",
                                                               "max_exp_avg_sq"),
    "adamw": ("exp_avg", "exp_avg_sq"), "adam maximize": ("exp_avg", "exp_avg_sq"),
}


@pytest.mark.parametrize("name, make, step, n_state", TYPICAL_OPTIMIZERS[1:],
                         ids=OPTIMIZER_IDS[1:])
@pytest.mark.parametrize("dtype", DTYPES)
def test_optimizer_state_is_torchs_state_at_every_step(name, make, step, n_state, dtype):
    """Not only the parameters: each state array (momentum buffer, Adagrad's sum, RMSprop's
    square and gradient averages, Adam's moments and amsgrad's maximum) equals the tensor
    torch.optim keeps under its name, after every one of 10 steps, in the data's dtype."""
    r = np.random.default_rng(1620)
    p0 = r.standard_normal((2, 3)).astype(dtype)
    grads = (r.standard_normal((10, 2, 3)) * 3).astype(dtype)
    q = torch.nn.Parameter(torch.tensor(p0))
    opt = make([q])
    wants = []
    for g in grads:
        q.grad = torch.tensor(g)
        opt.step()
        wants.append([opt.state[q][key].numpy().copy() for key in TORCH_STATE[name]])
    rtol = 2e-6 if dtype == np.float32 else 1e-13
    for _ in _paths():
        params, state = p0.copy(), [np.zeros_like(p0) for _ in range(n_state)]
        for t, (g, want) in enumerate(zip(grads, wants, strict=True), 1):
            with quiet_as_torch():
                step(params, g, state, t)
            for key, ours, theirs in zip(TORCH_STATE[name], state, want, strict=True):
                assert ours.dtype == dtype
                # an entry that cancels (a buffer of 0.02 among entries of 13) keeps the
                # rounding of the largest: atol relative to the array's scale
                np.testing.assert_allclose(ours, theirs, rtol=rtol,
                                           atol=rtol * float(np.abs(theirs).max()),
                                           err_msg=f"{key} at step {t}")


@pytest.mark.parametrize("initial", [0.0, 0.5, 3.0])
@pytest.mark.parametrize("dtype", DTYPES)
def test_adagrad_initial_accumulator_is_the_filled_sum(initial, dtype):
    """torch.optim.Adagrad(initial_accumulator_value=a) starts its 'sum' at a: the library's
    adagrad_step with sum_sq filled with a (its docstring) follows torch's parameters and
    sum; the keyword itself is refused saying so."""
    r = np.random.default_rng(1621)
    p0, grads = r.standard_normal(5).astype(dtype), r.standard_normal((6, 5)).astype(dtype)
    q = torch.nn.Parameter(torch.tensor(p0))
    opt = torch.optim.Adagrad([q], lr=0.1, initial_accumulator_value=initial)
    wants = []
    for g in grads:
        q.grad = torch.tensor(g)
        opt.step()
        wants.append((q.detach().numpy().copy(), opt.state[q]["sum"].numpy().copy()))
    tol = {"rtol": 2e-6, "atol": 1e-7} if dtype == np.float32 else {"rtol": 1e-13,
                                                                   "atol": 1e-15}
    for _ in _paths():
        params, total = p0.copy(), np.full_like(p0, initial)
        for g, (want_p, want_sum) in zip(grads, wants, strict=True):
            with quiet_as_torch():
                G.adagrad_step(params, g, total, 0.1)
            np.testing.assert_allclose(params, want_p, **tol)
            np.testing.assert_allclose(total, want_sum, **tol)
    if initial:  # torch's default 0 is taken; another value is refused, naming sum_sq
        with pytest.raises(ValueError, match="sum_sq"):
            G.adagrad_step(p0.copy(), grads[0], np.zeros_like(p0), 0.1,
                           initial_accumulator_value=initial)


# ----- Higher-rank inputs torch takes: every result and gradient -----


def _higher_rank_cases(dtype) -> dict[str, Callable[[], tuple[tuple, tuple]]]:
    """name → a call giving (our results, torch's) on inputs of a rank earlier rounds did not
    pair with these options."""
    r = np.random.default_rng(1630)

    def a(*shape, positive=False):
        v = r.standard_normal(shape)
        return (np.abs(v) + 0.1 if positive else v).astype(dtype)

    def batch_norm_5d():
        X, g, b = a(2, 3, 2, 2, 2), a(3), a(3)
        up, leaves = a(*X.shape), _leaves(X, g, b)
        y = F.batch_norm(leaves[0], None, None, *leaves[1:], training=True)
        out, cache = G.batchnorm_forward(X, g, b)
        return (out, *G.batchnorm_backward(up, cache)), (y, *_grads(y, leaves, up))

    def layer_norm_three_axes():
        X, g, b = a(2, 3, 4, 5), a(3, 4, 5), a(3, 4, 5)
        up, leaves = a(*X.shape), _leaves(X, g, b)
        y = F.layer_norm(leaves[0], (3, 4, 5), *leaves[1:])
        out, cache = G.layernorm_forward(X, g, b)
        return (out, *G.layernorm_backward(up, cache)), (y, *_grads(y, leaves, up))

    def kl_3d_batchmean():
        P, Q = a(2, 3, 4, positive=True), a(2, 3, 4)
        (qt,) = _leaves(Q)
        y = F.kl_div(qt, _t(P), reduction="batchmean")
        return (G.kl_divergence(P, Q), G.kl_divergence_grad(P, Q)), (y, *_grads(y, [qt], 1.0))

    def cross_entropy_k_dim_soft_smoothed():
        Z, T = a(2, 3, 2, 2), a(2, 3, 2, 2, positive=True)
        T = T / T.sum(axis=1, keepdims=True)
        (zt,) = _leaves(Z)
        y = F.cross_entropy(zt, _t(T), label_smoothing=0.1)
        return ((G.cross_entropy(Z, T, label_smoothing=0.1),
                 G.cross_entropy_grad(Z, T, label_smoothing=0.1)), (y, *_grads(y, [zt], 1.0)))

    def nll_k_dim_none():
        Z, labels, u = a(2, 3, 2, 2), r.integers(0, 3, (2, 2, 2)), a(2, 2, 2)
        (zt,) = _leaves(Z)
        y = F.nll_loss(zt, _t(labels), reduction="none")
        return ((G.nll_loss(Z, labels, reduction="none"),
                 G.nll_loss_grad(Z, labels, reduction="none", grad_output=u)),
                (y, *_grads(y, [zt], u)))

    def bce_logits_3d_pos_weight():
        z, target, pw = a(2, 3, 4), r.random((2, 3, 4)).astype(dtype), a(4, positive=True)
        (zt,) = _leaves(z)
        y = F.binary_cross_entropy_with_logits(zt, _t(target), pos_weight=_t(pw))
        return ((G.binary_cross_entropy_with_logits(z, target, pos_weight=pw),
                 G.binary_cross_entropy_with_logits_grad(z, target, pos_weight=pw)),
                (y, *_grads(y, [zt], 1.0)))

    def softmax_families_4d_axis(axis):
        def case():
            Z, g = a(2, 3, 4, 5), a(2, 3, 4, 5)
            (zt,) = _leaves(Z)
            s, log_s = torch.softmax(zt, axis), torch.log_softmax(zt, axis)
            ours_s, ours_log = G.softmax(Z, axis), G.log_softmax(Z, axis)
            return ((ours_s, G.softmax_vjp(g, ours_s, axis), ours_log,
                     G.log_softmax_vjp(g, ours_log, axis)),
                    (s, *_grads(s, [zt], g), log_s, *_grads(log_s, [zt], g)))
        return case

    def conv_unbatched_groups_strided():
        x, w, b = a(4, 5, 5), a(6, 2, 3, 3), a(6)
        leaves = _leaves(x, w, b)
        y = F.conv2d(*leaves, 2, 1, 1, 2)
        up = a(*y.shape)
        return ((G.conv2d(x, w, 2, 1, 1, bias=b, groups=2),
                 G.conv2d_grad_input(up, w, x.shape, 2, 1, 1, 2),
                 G.conv2d_grad_weight(x, up, w.shape, 2, 1, 1, 2), G.conv2d_grad_bias(up)),
                (y, *_grads(y, leaves, up)))

    def pools_unbatched_ceil():
        x = a(4, 5, 5)
        (xt,) = _leaves(x)
        y_max, y_avg = F.max_pool2d(xt, 3, 2, 1, 1, True), F.avg_pool2d(xt, 3, 2, 1, True, False)
        up = a(*y_max.shape)
        return ((G.max_pool2d(x, 3, 2, 1, 1, True),
                 G.max_pool2d_grad(up, x, 3, 2, padding=1, ceil_mode=True),
                 G.avg_pool2d(x, 3, 2, 1, True, False),
                 G.avg_pool2d_grad(up, x.shape, 3, 2, 1, True, False)),
                (y_max, *_grads(y_max, [xt], up), y_avg, *_grads(y_avg, [xt], up)))

    def two_layer_batch_of_one():
        X, W, V, labels = a(1, 3), a(3, 4), a(4, 2), np.array([1])
        leaves = _leaves(W, V)
        y = F.cross_entropy(torch.sigmoid(_t(X) @ leaves[0]) @ leaves[1], _t(labels))
        return (G.two_layer_grads(X, W, V, labels), _grads(y, leaves, 1.0))

    return {"batch norm 5-D": batch_norm_5d, "layer norm over three axes": layer_norm_three_axes,
            "KL 3-D batchmean": kl_3d_batchmean,
            "cross-entropy K-dim, soft, smoothed": cross_entropy_k_dim_soft_smoothed,
            "NLL K-dim, none": nll_k_dim_none, "BCE with logits 3-D, pos_weight":
            bce_logits_3d_pos_weight, **{f"softmax family 4-D, axis {ax}":
                                         softmax_families_4d_axis(ax) for ax in (0, 2, -3)},
            "conv2d unbatched, groups, stride": conv_unbatched_groups_strided,
            "pooling unbatched, ceil_mode": pools_unbatched_ceil,
            "two-layer net, batch of one": two_layer_batch_of_one}


@pytest.mark.parametrize("name", list(_higher_rank_cases(np.float64)))
@pytest.mark.parametrize("dtype", DTYPES)
def test_higher_rank_inputs_every_result_and_gradient(name, dtype):
    for _ in _paths():
        with quiet_as_torch():
            ours, theirs = _higher_rank_cases(dtype)[name]()
        for got, want in zip(ours, theirs, strict=True):
            _agree(got, want, dtype)
