"""Round 8 of the torch cross-check: what the library still did differently from torch, each a
test that failed before its fix.

Every test runs on the three paths (reference, block-wise NumPy, compiled kernels forced at
every size: conftest.py). The truth is torch in float64 on the same values."""

from __future__ import annotations

import numpy as np
import pytest
from tolerances import torch_tolerance

import derivations.gradients as G

torch = pytest.importorskip("torch")
F = torch.nn.functional
DTYPES = [np.float32, np.float64]


def _leaf(a: np.ndarray | None):
    return None if a is None else torch.tensor(a.astype(np.float64), requires_grad=True)


def _grad(leaf):
    return None if leaf is None else leaf.grad


def _assert_as_torch(got, truth, dtype) -> None:
    """got is None where torch's gradient is None (no parameter), else torch's values."""
    if truth is None:
        assert got is None
        return
    assert got.dtype == dtype and got.shape == tuple(truth.shape)
    np.testing.assert_allclose(got, truth.detach().numpy(), **torch_tolerance(dtype))


# ----- affine-free norms: torch's weight=None / bias=None -----

AFFINE = [(False, False), (True, False), (False, True)]


@pytest.mark.parametrize("has_gamma, has_beta", AFFINE)
@pytest.mark.parametrize("dtype", DTYPES)
def test_batchnorm_without_affine_parameters_as_torch(has_gamma, has_beta, dtype, rng):
    """F.batch_norm(x, None, None, weight=None, bias=None, training=True) (BatchNorm's
    affine=False): before, gamma and beta were required and None was a TypeError."""
    X = (2 * rng.standard_normal((4, 3, 5)) + 1).astype(dtype)
    dout = rng.standard_normal(X.shape).astype(dtype)
    gamma = rng.standard_normal(3).astype(dtype) if has_gamma else None
    beta = rng.standard_normal(3).astype(dtype) if has_beta else None
    out, cache = G.batchnorm_forward(X, gamma, beta)
    grads = G.batchnorm_backward(dout, cache)
    tX, tg, tb = _leaf(X), _leaf(gamma), _leaf(beta)
    want = F.batch_norm(tX, None, None, tg, tb, training=True)
    want.backward(torch.tensor(dout.astype(np.float64)))
    for got, truth in zip((out, *grads), (want, tX.grad, _grad(tg), _grad(tb)), strict=True):
        _assert_as_torch(got, truth, dtype)


@pytest.mark.parametrize("has_gamma, has_beta", AFFINE)
@pytest.mark.parametrize("normalized", [(5,), (3, 5)], ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
def test_layernorm_without_affine_parameters_as_torch(has_gamma, has_beta, normalized, dtype,
                                                      rng):
    """F.layer_norm(x, normalized_shape, weight=None, bias=None) (LayerNorm's
    elementwise_affine=False): the axes come from normalized_shape."""
    X = (2 * rng.standard_normal((2, 3, 5)) - 1).astype(dtype)
    dout = rng.standard_normal(X.shape).astype(dtype)
    gamma = rng.standard_normal(normalized).astype(dtype) if has_gamma else None
    beta = rng.standard_normal(normalized).astype(dtype) if has_beta else None
    out, cache = G.layernorm_forward(X, gamma, beta, normalized_shape=normalized)
    grads = G.layernorm_backward(dout, cache)
    tX, tg, tb = _leaf(X), _leaf(gamma), _leaf(beta)
    want = F.layer_norm(tX, normalized, tg, tb)
    want.backward(torch.tensor(dout.astype(np.float64)))
    for got, truth in zip((out, *grads), (want, tX.grad, _grad(tg), _grad(tb)), strict=True):
        _assert_as_torch(got, truth, dtype)


def test_layernorm_without_affine_defaults_to_the_last_axis(rng):
    X = rng.standard_normal((4, 6))
    out, _ = G.layernorm_forward(X)
    want = (X - X.mean(1, keepdims=True)) / np.sqrt(X.var(1, keepdims=True) + 1e-5)
    np.testing.assert_allclose(out, want, rtol=1e-12)


@pytest.mark.parametrize("normalized, words", [
    ((4,), "expected normalized_shape"),  # gamma has shape (6,)
    ((), "non-empty tuple"),
    ("6", "int or a non-empty tuple"),
])
def test_layernorm_normalized_shape_refused_naming_it(normalized, words, rng):
    with pytest.raises(ValueError, match=words):
        G.layernorm_forward(rng.standard_normal((4, 6)), np.ones(6), None,
                            normalized_shape=normalized)


# ----- cross-entropy of one class with label smoothing -----


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropy_of_one_class_is_exactly_zero(reduction, dtype, rng):
    """C = 1: S = 1 and the loss is constant, so torch's gradient is exactly 0. The fast
    paths rounded aᵢ S − rᵢ(ε/C)w/norm − dᵢ term by term and left an ulp (2e-7 in float32)
    with label smoothing and class weights."""
    Z = rng.standard_normal((5, 1)).astype(dtype)
    grad_output = rng.standard_normal(5).astype(dtype) if reduction == "none" else None
    for smoothing in (0.1, 1 / 3, 0.9):
        grad = G.cross_entropy_grad(Z, np.zeros(5, int), np.array([2.7], dtype),
                                    label_smoothing=smoothing, reduction=reduction,
                                    grad_output=grad_output)
        assert grad.dtype == dtype and not grad.any()


# ----- targets that broadcast: refused with the reason, an explicit broadcast taken -----

PAIR_LOSSES = [
    ("mse", G.mse_loss, G.mse_grad, F.mse_loss),
    ("l1", G.l1_loss, G.l1_grad, F.l1_loss),
    ("huber", G.huber_loss, G.huber_grad, F.huber_loss),
    ("smooth_l1", G.smooth_l1_loss, G.smooth_l1_grad, F.smooth_l1_loss),
]


@pytest.mark.parametrize("name, loss, grad, _", PAIR_LOSSES, ids=[r[0] for r in PAIR_LOSSES])
def test_a_target_that_only_broadcasts_is_refused_saying_why(name, loss, grad, _, rng):
    """torch broadcasts pred (N,) against target (N, 1) to N × N losses, warning that this is
    likely wrong; refused here (decided: pred's shape is the losses' shape), and the message
    now says so and how to broadcast on purpose (it only said 'expected target of shape')."""
    for fn in (loss, grad):
        with pytest.raises(ValueError, match=r"np\.broadcast_to\(target, pred\.shape\)"):
            fn(rng.standard_normal(4), rng.standard_normal((4, 1)))


@pytest.mark.parametrize("name, loss, grad, theirs", PAIR_LOSSES, ids=[r[0] for r in PAIR_LOSSES])
@pytest.mark.parametrize("dtype", DTYPES)
def test_an_explicitly_broadcast_target_as_torch(name, loss, grad, theirs, dtype, rng):
    """np.broadcast_to(target, pred.shape) (stride 0) is taken on every path, as torch's
    target.expand(pred.shape)."""
    pred = (3 * rng.standard_normal((6, 5))).astype(dtype)
    row = rng.standard_normal(5).astype(dtype)
    target = np.broadcast_to(row, pred.shape)
    tp = _leaf(pred)
    want = theirs(tp, torch.tensor(row.astype(np.float64)).expand(6, 5))
    want.backward()
    _assert_as_torch(np.asarray(loss(pred, target)), want, dtype)
    _assert_as_torch(grad(pred, target), tp.grad, dtype)


# ----- centered RMSprop after a gradient whose square overflows -----


@pytest.mark.parametrize("dtype, huge", [(np.float32, 1e30), (np.float64, 1e300)])
def test_centered_rmsprop_after_an_overflowing_square_as_torch(dtype, huge, rng):
    """torch computes rₜ − ḡₜ² with addcmul, a fused multiply-add: r = ∞ stays ∞ where ḡ²
    alone overflows, so the step is 0 (g/∞). The reference formed ḡ² first: ∞ − ∞ = NaN, a
    NaN parameter where torch's stays finite."""
    p0 = rng.standard_normal(3).astype(dtype)
    grads = [np.array([huge, 0.5, -0.25], dtype)] + [rng.standard_normal(3).astype(dtype)
                                                      for _ in range(2)]
    tp = torch.tensor(p0, requires_grad=True)
    opt = torch.optim.RMSprop([tp], lr=0.1, alpha=0.9, eps=1e-6, centered=True)
    params, sq_avg, grad_avg = p0.copy(), np.zeros(3, dtype), np.zeros(3, dtype)
    for g in grads:
        tp.grad = torch.tensor(g)
        opt.step()
        G.rmsprop_step(params, g, sq_avg, 0.1, 0.9, 1e-6, centered=True, grad_avg=grad_avg)
    state = opt.state[tp]
    for got, truth in ((params, tp), (sq_avg, state["square_avg"]),
                       (grad_avg, state["grad_avg"])):
        np.testing.assert_allclose(got, truth.detach().numpy(), rtol=1e-5 if dtype == np.float32
                                   else 1e-12)
