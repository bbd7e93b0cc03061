"""Round 6 of the torch cross-check: what it found, each a test that failed before its fix.

Every test runs on the three paths (reference, block-wise NumPy, compiled kernels forced at
every size: conftest.py)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from layouts import as_layout
from tolerances import torch_tolerance

import derivations.gradients as G

torch = pytest.importorskip("torch")
F = torch.nn.functional
DTYPES = [np.float32, np.float64]
REDUCTIONS = ["mean", "sum", "none"]


def _central_difference(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += h
        down[i] -= h
        grad[i] = (f(up) - f(down)) / (2 * h)
    return grad


# ----- conv2d and pooling of one unbatched image (C, H, W), as torch's -----

CONV_UNBATCHED = [  # (x shape, w shape, stride, padding, dilation, groups)
    ((3, 7, 8), (4, 3, 3, 2), 1, 0, 1, 1),
    ((2, 9, 9), (2, 2, 3, 3), 2, 1, 2, 1),  # equal pairs: the fast path's case
    ((4, 6, 7), (2, 2, 2, 3), (1, 2), "same", 1, 2)[:3] + ("valid", 1, 2),
    ((2, 5, 6), (3, 2, 2, 2), 1, "same", (2, 1), 1),
]


@pytest.mark.parametrize("case", CONV_UNBATCHED, ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
def test_conv2d_of_an_unbatched_image_as_torch(case, dtype, rng):
    x_shape, w_shape, s, p, d, groups = case
    x = rng.standard_normal(x_shape).astype(dtype)
    w = rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(w_shape[0]).astype(dtype)
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    want = F.conv2d(tx, tw, tb, s, p, d, groups)
    dout = rng.standard_normal(tuple(want.shape)).astype(dtype)
    want.backward(torch.tensor(dout))
    tol = torch_tolerance(dtype)
    out = G.conv2d(x, w, s, p, d, bias=b, groups=groups)
    assert out.shape == tuple(want.shape) and out.dtype == dtype
    np.testing.assert_allclose(out, want.detach().numpy(), **tol)
    np.testing.assert_allclose(G.conv2d_grad_input(dout, w, x_shape, s, p, d, groups),
                               tx.grad, **tol)
    np.testing.assert_allclose(G.conv2d_grad_weight(x, dout, w_shape, s, p, d, groups),
                               tw.grad, **tol)
    np.testing.assert_allclose(G.conv2d_grad_bias(dout), tb.grad, **tol)


POOL_UNBATCHED = [  # (size, stride, padding, dilation, ceil_mode)
    (2, None, 0, 1, False),
    ((3, 2), (1, 2), (1, 0), 1, True),
    (3, 2, 1, 2, False),
]


@pytest.mark.parametrize("case", POOL_UNBATCHED, ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
def test_pooling_of_an_unbatched_image_as_torch(case, dtype, rng):
    k, s, p, d, ceil = case
    x = rng.standard_normal((3, 9, 8)).astype(dtype)
    tx = torch.tensor(x, requires_grad=True)
    want, want_idx = F.max_pool2d(tx, k, s, p, d, ceil, return_indices=True)
    dout = rng.standard_normal(tuple(want.shape)).astype(dtype)
    want.backward(torch.tensor(dout))
    y, idx = G.max_pool2d(x, k, s, p, d, ceil, return_indices=True)
    np.testing.assert_array_equal(y, want.detach().numpy())
    np.testing.assert_array_equal(idx, want_idx.numpy())
    np.testing.assert_array_equal(G.max_pool2d(x, k, s, p, d, ceil), y)
    for indices in (None, idx):
        dx = G.max_pool2d_grad(dout, x, k, s, indices, padding=p, dilation=d, ceil_mode=ceil)
        np.testing.assert_allclose(dx, tx.grad, **torch_tolerance(dtype))
    if d != 1:
        return
    tx = torch.tensor(x, requires_grad=True)
    want = F.avg_pool2d(tx, k, s, p, ceil, count_include_pad=False)
    want.backward(torch.tensor(dout))
    np.testing.assert_allclose(G.avg_pool2d(x, k, s, p, ceil, False), want.detach().numpy(),
                               **torch_tolerance(dtype))
    np.testing.assert_allclose(G.avg_pool2d_grad(dout, x.shape, k, s, p, ceil, False), tx.grad,
                               **torch_tolerance(dtype))


@pytest.mark.parametrize("call,match", [
    (lambda: G.conv2d_grad_input(np.ones((1, 1, 2, 2)), np.ones((1, 1, 2, 2)), (1, 3, 3)),
     "dout must be 3-D"),
    (lambda: G.conv2d_grad_weight(np.ones((1, 3, 3)), np.ones((1, 1, 2, 2)), (1, 1, 2, 2)),
     "dout must be 3-D"),
    (lambda: G.max_pool2d_grad(np.ones((1, 1, 1, 1)), np.ones((1, 2, 2))), "dout must be 3-D"),
    (lambda: G.max_pool2d_grad(np.ones((1, 1, 1)), np.ones((1, 2, 2)),
                               indices=np.zeros((1, 1, 1, 1), int)), "indices must be 3-D"),
    (lambda: G.avg_pool2d_grad(np.ones((1, 1, 1, 1)), (1, 2, 2)), "dout must be 3-D"),
    (lambda: G.conv2d(np.ones((2, 3)), np.ones((1, 1, 2, 2))), "x must be 4-D"),
])
def test_unbatched_pooling_and_conv_refuse_mixed_batching(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ----- cross_entropy and nll_loss of K-dimensional logits (N, C, d₁, …, d_K), as torch's -----

KDIM_SHAPES = [(2, 3, 4), (2, 4, 3, 2), (1, 1, 2, 1, 3)]
CE_OPTIONS = [  # (soft targets, class weights, ignore_index, label_smoothing)
    (False, False, -100, 0.0),
    (False, True, 1, 0.0),
    (False, True, -100, 0.3),
    (False, False, 0, 0.1),
    (True, False, -100, 0.0),
    (True, True, -100, 0.2),
]


def _kdim_case(shape, soft: bool, weighted: bool, dtype, rng):
    n, c, *d = shape
    Z = (rng.standard_normal(shape) * 3).astype(dtype)
    if soft:
        target = rng.dirichlet(np.ones(c), (n, *d)).astype(dtype)
        target = np.moveaxis(target, -1, 1)
    else:
        target = rng.integers(0, c, (n, *d))
    w = rng.uniform(0.2, 2, c).astype(dtype) if weighted else None
    return Z, target, w


@pytest.mark.parametrize("shape", KDIM_SHAPES, ids=str)
@pytest.mark.parametrize("options", CE_OPTIONS, ids=str)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropy_of_k_dimensional_logits_as_torch(shape, options, reduction, dtype, rng):
    soft, weighted, ignore, eps = options
    if shape[1] == 1 and ignore == 0 and reduction == "mean":
        pytest.skip("every target ignored: the mean is a ValueError here (torch's NaN)")
    Z, target, w = _kdim_case(shape, soft, weighted, dtype, rng)
    Z = as_layout(Z, "Fortran")
    if not soft:
        target.flat[-1] = ignore if ignore >= 0 else target.flat[-1]
    tz = torch.tensor(np.ascontiguousarray(Z), requires_grad=True)
    want = F.cross_entropy(tz, torch.tensor(target), None if w is None else torch.tensor(w),
                           ignore_index=ignore, reduction=reduction, label_smoothing=eps)
    u = rng.standard_normal(tuple(want.shape)).astype(dtype) if reduction == "none" else None
    want.backward(None if u is None else torch.tensor(u))
    loss = G.cross_entropy(Z, target, w, ignore, eps, reduction)
    grad = G.cross_entropy_grad(Z, target, w, ignore, eps, reduction, u)
    assert np.shape(loss) == tuple(want.shape) and grad.shape == Z.shape
    assert np.asarray(loss).dtype == grad.dtype == dtype
    np.testing.assert_allclose(loss, want.detach().numpy(), **torch_tolerance(dtype))
    np.testing.assert_allclose(grad, tz.grad, **torch_tolerance(dtype))


@pytest.mark.parametrize("shape", KDIM_SHAPES, ids=str)
@pytest.mark.parametrize("weighted,ignore", [(False, -100), (True, 2), (True, -100)])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_nll_loss_of_k_dimensional_input_as_torch(shape, weighted, ignore, reduction, dtype,
                                                  rng):
    L, target, w = _kdim_case(shape, False, weighted, dtype, rng)
    target.flat[0] = ignore if ignore >= 0 else target.flat[0]
    tl = torch.tensor(L, requires_grad=True)
    want = F.nll_loss(tl, torch.tensor(target), None if w is None else torch.tensor(w),
                      ignore_index=ignore, reduction=reduction)
    u = rng.standard_normal(tuple(want.shape)).astype(dtype) if reduction == "none" else None
    want.backward(None if u is None else torch.tensor(u))
    loss = G.nll_loss(L, target, w, ignore, reduction)
    grad = G.nll_loss_grad(L, target, w, ignore, reduction, u)
    assert np.shape(loss) == tuple(want.shape) and grad.shape == L.shape
    np.testing.assert_allclose(loss, want.detach().numpy(), **torch_tolerance(dtype))
    np.testing.assert_allclose(grad, tl.grad, **torch_tolerance(dtype))


def test_k_dimensional_cross_entropy_gradient_by_finite_differences(rng):
    Z, target, w = _kdim_case((2, 3, 2, 2), False, True, np.float64, rng)
    target[0, 1, 1] = -100
    np.testing.assert_allclose(
        G.cross_entropy_grad(Z, target, w, label_smoothing=0.1),
        _central_difference(lambda v: G.cross_entropy(v, target, w, label_smoothing=0.1), Z),
        rtol=1e-6, atol=1e-9)
    P = np.moveaxis(rng.dirichlet(np.ones(3), (2, 2, 2)), -1, 1)
    np.testing.assert_allclose(G.cross_entropy_grad(Z, P),
                               _central_difference(lambda v: G.cross_entropy(v, P), Z),
                               rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("call,match", [
    (lambda: G.cross_entropy(np.zeros((2, 3, 4)), np.zeros((2, 3), int)), r"\(2, 4\)"),
    (lambda: G.cross_entropy(np.zeros((2, 3, 4)), np.zeros((2, 4))), "probabilities of shape"),
    (lambda: G.cross_entropy_grad(np.zeros((2, 3, 4)), np.zeros((2, 4), int), reduction="none",
                                  grad_output=np.ones(8)), "grad_output has shape"),
    (lambda: G.nll_loss(np.zeros((2, 3, 4)), np.zeros((2, 3, 4))), "integer class indices"),
])
def test_k_dimensional_refusals_name_the_shapes(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ----- kl_divergence of any shape (torch's kl_div is entry by entry) -----

KL_SHAPES = [(), (6,), (2, 3, 4), (2, 1, 3, 2)]


@pytest.mark.parametrize("shape", KL_SHAPES, ids=str)
@pytest.mark.parametrize("reduction", ["batchmean", "mean", "sum", "none"])
@pytest.mark.parametrize("log_target", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
def test_kl_divergence_of_any_shape_as_torch(shape, reduction, log_target, dtype, rng):
    P = rng.uniform(0.01, 1, shape).astype(dtype)
    log_Q = np.log(rng.uniform(0.01, 1, shape)).astype(dtype)
    target = np.log(P) if log_target else P
    tq = torch.tensor(log_Q, requires_grad=True)
    with warnings.catch_warnings():  # torch: 'mean' is not the KL divergence
        warnings.simplefilter("ignore", UserWarning)
        want = F.kl_div(tq, torch.tensor(target), reduction=reduction, log_target=log_target)
    u = rng.standard_normal(shape).astype(dtype) if reduction == "none" else None
    want.backward(None if u is None else torch.tensor(u))
    loss = G.kl_divergence(target, log_Q, reduction=reduction, log_target=log_target)
    grad = G.kl_divergence_grad(target, log_Q, reduction=reduction, log_target=log_target,
                                grad_output=u)
    assert np.shape(loss) == tuple(want.shape) and grad.shape == shape
    np.testing.assert_allclose(loss, want.detach().numpy(), **torch_tolerance(dtype))
    np.testing.assert_allclose(grad, tq.grad, **torch_tolerance(dtype))


def test_kl_divergence_mean_of_no_entries_is_refused():
    with pytest.raises(ValueError, match="empty"):
        G.kl_divergence(np.zeros((3, 0)), np.zeros((3, 0)), reduction="mean")
    assert G.kl_divergence(np.zeros((3, 0)), np.zeros((3, 0))) == 0  # batchmean: 0/3, as torch


# ----- binary_cross_entropy_with_logits_grad block by block (its fast path, new this round) -----

BCE_BROADCASTS = [  # (z shape, weight shape, pos_weight shape)
    ((37, 5), None, (5,)),
    ((37, 5), (37, 1), (1, 5)),
    ((37, 5), (5,), (37, 5)),
    ((6, 4, 3), (4, 1), (3,)),
    ((53,), None, (1,)),
    ((1, 9), (9,), None),
]


@pytest.mark.parametrize("shapes", BCE_BROADCASTS, ids=str)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_bce_with_logits_grad_in_blocks_as_torch(shapes, reduction, dtype, rng, monkeypatch):
    from derivations.gradients._fast import _blocks

    monkeypatch.setattr(_blocks, "BLOCK", 16)  # many blocks, on the worker threads
    monkeypatch.setattr(_blocks, "_MIN_PARALLEL", 0)
    z_shape, w_shape, q_shape = shapes
    z = (rng.standard_normal(z_shape) * 30).astype(dtype)
    z.reshape(-1)[:3] = [1000, -1000, 0]
    y = rng.random(z_shape).astype(dtype)
    w = None if w_shape is None else rng.uniform(0.1, 2, w_shape).astype(dtype)
    q = None if q_shape is None else rng.uniform(0.1, 3, q_shape).astype(dtype)
    tz = torch.tensor(z, requires_grad=True)
    want = F.binary_cross_entropy_with_logits(
        tz, torch.tensor(y), None if w is None else torch.tensor(w), reduction=reduction,
        pos_weight=None if q is None else torch.tensor(q))
    u = rng.standard_normal(z_shape).astype(dtype) if reduction == "none" else None
    want.backward(None if u is None else torch.tensor(u))
    inputs = [a for a in (z, y, w, q, u) if a is not None]
    before = [a.copy() for a in inputs]
    grad = G.binary_cross_entropy_with_logits_grad(z, y, w, reduction=reduction, pos_weight=q,
                                                   grad_output=u)
    assert grad.dtype == dtype and grad.shape == z_shape
    np.testing.assert_allclose(grad, tz.grad, **torch_tolerance(dtype))
    for a, b in zip(inputs, before, strict=True):  # no input written
        np.testing.assert_array_equal(a, b)


# ----- layer norm over the last axis of any (…, D), batch norm per channel of (N, C, d₁, …) -----

NORM_SHAPES = [(7,), (2, 3, 5), (2, 2, 3, 4)]


@pytest.mark.parametrize("shape", NORM_SHAPES, ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", ["C", "Fortran", "reversed"])
def test_layer_norm_of_any_leading_axes_as_torch(shape, dtype, layout, rng):
    X = as_layout((rng.standard_normal(shape) * 3 + 2).astype(dtype), layout)
    d = shape[-1]
    gamma, beta = rng.standard_normal(d).astype(dtype), rng.standard_normal(d).astype(dtype)
    u = rng.standard_normal(shape).astype(dtype)
    tx, tg, tb = (torch.tensor(np.ascontiguousarray(a), requires_grad=True)
                  for a in (X, gamma, beta))
    want = F.layer_norm(tx, (d,), tg, tb, 1e-5)
    want.backward(torch.tensor(u))
    out, cache = G.layernorm_forward(X, gamma, beta)
    dX, dgamma, dbeta = G.layernorm_backward(u, cache)
    tol = {"rtol": 1e-4, "atol": 1e-4} if dtype == np.float32 else torch_tolerance(dtype)
    assert out.shape == dX.shape == shape
    for ours, theirs in ((out, want.detach()), (dX, tx.grad), (dgamma, tg.grad),
                         (dbeta, tb.grad)):
        np.testing.assert_allclose(ours, theirs, **tol)


@pytest.mark.parametrize("shape", [(3, 2, 5), (2, 3, 4, 3)], ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
def test_batch_norm_per_channel_as_torch(shape, dtype, rng):
    X = (rng.standard_normal(shape) * 3 + 2).astype(dtype)
    c = shape[1]
    gamma, beta = rng.standard_normal(c).astype(dtype), rng.standard_normal(c).astype(dtype)
    u = rng.standard_normal(shape).astype(dtype)
    tx, tg, tb = (torch.tensor(a, requires_grad=True) for a in (X, gamma, beta))
    want = F.batch_norm(tx, None, None, tg, tb, training=True, eps=1e-5)
    want.backward(torch.tensor(u))
    out, cache = G.batchnorm_forward(X, gamma, beta)
    dX, dgamma, dbeta = G.batchnorm_backward(u, cache)
    tol = {"rtol": 1e-4, "atol": 1e-4} if dtype == np.float32 else torch_tolerance(dtype)
    assert out.shape == dX.shape == shape and out.flags.c_contiguous
    for ours, theirs in ((out, want.detach()), (dX, tx.grad), (dgamma, tg.grad),
                         (dbeta, tb.grad)):
        np.testing.assert_allclose(ours, theirs, **tol)


def test_norm_backward_of_another_shape_is_refused():
    _, cache = G.layernorm_forward(np.ones((2, 3, 4)) * np.arange(4), np.ones(4), np.zeros(4))
    with pytest.raises(ValueError, match=r"forward input had shape \(2, 3, 4\)"):
        G.layernorm_backward(np.ones((3, 2, 4)), cache)
    _, cache = G.batchnorm_forward(np.arange(24.0).reshape(2, 3, 4), np.ones(3), np.zeros(3))
    with pytest.raises(ValueError, match=r"forward input had shape \(2, 3, 4\)"):
        G.batchnorm_backward(np.ones((6, 4)), cache)


# ----- the linear layer's gradients of inputs (…, h) with any leading axes, as torch's -----


@pytest.mark.parametrize("lead", [(2, 3), (1, 2, 2)], ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
def test_linear_gradients_of_any_leading_axes_as_torch(lead, dtype, rng):
    a = rng.standard_normal((*lead, 5)).astype(dtype)
    W = rng.standard_normal((4, 5)).astype(dtype)
    delta = rng.standard_normal((*lead, 4)).astype(dtype)
    ta, tw = torch.tensor(a, requires_grad=True), torch.tensor(W, requires_grad=True)
    F.linear(ta, tw).backward(torch.tensor(delta))
    np.testing.assert_allclose(G.linear_weight_grad(delta, a), tw.grad, **torch_tolerance(dtype))
    np.testing.assert_allclose(G.linear_input_grad(W, delta), ta.grad, **torch_tolerance(dtype))
    with pytest.raises(ValueError, match="same leading axes"):
        G.linear_weight_grad(delta, a[:, :1])
