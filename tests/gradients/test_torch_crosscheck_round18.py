"""Round 18 of the torch cross-check: classes rounds 9–17 did not try. Empty axes other than
the batch (layer norm over zero features, pooling of zero channels, rows or columns, conv2d
of zero input or output channels); an optimizer gradient of another dtype than its
parameters; the subgradients at the kinks' exact points (ReLU, LeakyReLU and ELU at ±0, L1 at
a zero residual, Huber at |r| = δ, SmoothL1 at |r| = β) under every reduction; label smoothing
at its ends 0 and 1 with class weights and an ignored row; ignore_index on every class;
upstream gradients that are
0-strided broadcasts or reversed views, through every VJP; normalisation of one feature or
one sample. The truth is torch in float64 on the same values (torch.autograd, aten), on the
three kernel paths (round 12's _paths).

What it found, each test failing before its change:
- layernorm_forward refused X with no features ('X has no features'), where torch's
  layer_norm over (0,) or (d, 0) returns the empty output and empty gradients; the library
  now returns them (empty, in X's dtype, γ and β gradients of the normalized shape)
  (test_layer_norm_over_zero_features_as_torch; last round's strict xfail);
- max_pool2d, avg_pool2d and their gradients took an input with zero channels ((1, 0, 4, 4),
  unbatched (0, 4, 4)) and returned empty results; torch refuses every empty axis but the
  batch ('Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size'); refused now
  (test_pooling_of_an_empty_channel_axis_refused_as_torch);
- conv2d of zero input channels returned (N, C_out, H', W') of zeros (plus the bias); torch's
  is the empty (N, 0, H', W') and its gradients of x and w empty: the library now returns
  torch's shapes and takes that empty upstream gradient in conv2d_grad_input and
  conv2d_grad_weight (test_conv2d_of_zero_input_channels_as_torch). A weight with no output
  channel (C_out = 0), which torch refuses ('expected weight to be at least 1 at dimension
  0'), was taken; refused now (test_conv2d_of_no_output_channel_refused_as_torch);
- conv2d took an input with no row or column (1, 2, 4, 0) with padding 1 as zeros of
  (1, 3, 6, 2); torch refuses it unless the batch or the channels are empty too
  (test_conv2d_of_no_row_or_column_as_torch);
- batch norm of no channel with spatial axes (2, 0, 3), linear_weight_grad of no input
  feature and the K-dimensional cross-entropy's rows reshaped by (−1, 0), which raised
  'cannot reshape array of size 0'; torch returns the empty results (as_rows now counts the
  rows) (test_batch_norm_of_no_channel_with_spatial_axes_as_torch,
  test_linear_gradients_of_no_input_feature_as_torch);
- cross-entropy of no class with probability targets raised ZeroDivisionError (ε/C); now
  torch's −0 losses for 'none' and 'sum', and a ValueError for 'mean' (torch's NaN there is
  numel/C = 0/0) (test_cross_entropy_of_no_class_with_probability_targets);
- every optimizer step took a gradient of another dtype (float64 into float32 parameters,
  float32 into float64, int64) and rounded it into the parameters' dtype; torch refuses
  assigning such a .grad ('The gradient must match the tensor's grad_dtype'), and the
  library now refuses it naming both dtypes (test_optimizer_gradient_of_another_dtype_refused).

Tried and found right (no change): every subgradient at its kink's exact point (ReLU 0 at
±0, LeakyReLU its slope, ELU α at ±0, L1 0 at r = 0, Huber and SmoothL1 ±1 at |r| = δ, β:
torch's branch), label smoothing 0 and 1 with weights, ignore_index and every reduction,
ignore_index on each class in turn and on values no target has (cross-entropy and NLL),
the optimizers at edge hyper-parameters with maximize and 0-d array hyper-parameters,
0-strided and reversed upstream gradients through 15 VJPs, layer norm of one feature (x̂ = 0,
∂L/∂X = 0), batch norm of one sample per channel in eval mode and of one sample with a
spatial extent in training.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from quiet import quiet_as_torch

import derivations.gradients as G

torch = pytest.importorskip("torch")
from test_torch_crosscheck_round12 import (  # noqa: E402
    _agree,
    _kernels_restored,  # noqa: F401  (autouse: the kernel path restored after each test)
    _one_torch_thread,  # noqa: F401  (autouse: torch on one thread in this module too)
    _paths,
    _t,
)
from test_torch_crosscheck_round15 import _grads, _leaves  # noqa: E402
from test_torch_crosscheck_round17 import _specials_as, _vjp_t  # noqa: E402

F = torch.nn.functional
O = torch.optim

pytestmark = pytest.mark.one_path  # each test runs the kernel paths itself (_paths)
DTYPES = [np.float32, np.float64]
TORCH_DTYPE = {np.float32: torch.float32, np.float64: torch.float64}


def _empty_like_torch(got, want: torch.Tensor, dtype) -> None:
    """An empty result: torch's shape, the input's dtype."""
    got = np.asarray(got)
    assert got.dtype == dtype and got.shape == tuple(want.shape), (got.shape, want.shape)
    assert got.size == 0


# ----- Found and fixed: layer norm over zero features -----

# (X's shape, the normalized shape): no feature at all, or no row
LAYER_NORM_EMPTY = [((2, 0), (0,)), ((2, 3, 0), (3, 0)), ((0, 0), (0,)), ((0,), (0,)),
                    ((3, 0, 2), (2,))]


@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("case", range(len(LAYER_NORM_EMPTY)))
@pytest.mark.parametrize("dtype", DTYPES)
def test_layer_norm_over_zero_features_as_torch(dtype, case, affine):
    """torch's layer_norm over an empty normalized shape, or of no row, is the empty output;
    its gradients of X, γ and β are empty (γ's and β's of the normalized shape)."""
    shape, normalized = LAYER_NORM_EMPTY[case]
    x = np.zeros(shape, dtype)
    gamma, beta = (np.ones(normalized, dtype), np.zeros(normalized, dtype)) if affine else (
        None, None)
    leaves = _leaves(x, *(() if gamma is None else (gamma, beta)))
    y = F.layer_norm(leaves[0], normalized, *leaves[1:])
    want = torch.autograd.grad(y, leaves, torch.ones_like(y), allow_unused=True)
    for _ in _paths():
        with quiet_as_torch():
            out, cache = G.layernorm_forward(x, gamma, beta, normalized_shape=normalized)
            got = G.layernorm_backward(np.ones(shape, dtype), cache)
        _empty_like_torch(out, y, dtype)
        assert (got[1] is None) == (not affine) and (got[2] is None) == (not affine)
        for g, w in zip([g for g in got if g is not None], want, strict=True):
            assert g.shape == tuple(w.shape) and g.dtype == dtype  # (3, 0, 2): γ's zeros
            np.testing.assert_array_equal(g, w.numpy())


# ----- Found and fixed: pooling of an empty channel, row or column axis -----

POOL_CALLS: dict[str, tuple[Callable, Callable]] = {
    "max_pool2d": (lambda x: G.max_pool2d(x, 2),
                   lambda x: F.max_pool2d(torch.tensor(x), 2)),
    "avg_pool2d": (lambda x: G.avg_pool2d(x, 2),
                   lambda x: F.avg_pool2d(torch.tensor(x), 2)),
    "max_pool2d_grad": (
        lambda x: G.max_pool2d_grad(np.zeros((*x.shape[:-2], 2, 2)), x, 2),
        lambda x: torch.ops.aten.max_pool2d_with_indices_backward(
            torch.zeros(*x.shape[:-2], 2, 2, dtype=torch.float64), torch.tensor(x), [2, 2],
            [2, 2], [0, 0], [1, 1], False,
            torch.zeros(*x.shape[:-2], 2, 2, dtype=torch.long))),
    "avg_pool2d_grad": (
        lambda x: G.avg_pool2d_grad(np.zeros((*x.shape[:-2], 2, 2)), x.shape, 2),
        lambda x: torch.ops.aten.avg_pool2d_backward(
            torch.zeros(*x.shape[:-2], 2, 2, dtype=torch.float64), torch.tensor(x), [2, 2],
            [2, 2], [0, 0], False, True, None)),
}


@pytest.mark.parametrize("shape", [(1, 0, 4, 4), (3, 0, 4, 4), (0, 4, 4)])
@pytest.mark.parametrize("name", list(POOL_CALLS))
def test_pooling_of_an_empty_channel_axis_refused_as_torch(name, shape):
    """torch's pooling takes an empty batch only: zero channels (batched or not) are refused
    in the forward and the backward; the library returned empty results."""
    ours, theirs = POOL_CALLS[name]
    x = np.zeros(shape)
    with pytest.raises(RuntimeError, match="optional 0 dim batch size"):
        theirs(x)
    for _ in _paths():
        with pytest.raises(ValueError, match="no empty channel, row or column axis"):
            ours(x)


@pytest.mark.parametrize("name", list(POOL_CALLS))
def test_pooling_of_an_empty_batch_still_taken_as_torch(name):
    """The empty batch (0, C, H, W) stays taken, torch's empty result."""
    ours, theirs = POOL_CALLS[name]
    x = np.zeros((0, 2, 4, 4))
    want = theirs(x)
    for _ in _paths():
        _empty_like_torch(ours(x), want, np.float64)


# ----- Found and fixed: conv2d of zero input channels, or of no output channel -----

# (x's shape, w's shape, conv2d's keywords): torch's result has no channel at all
CONV_NO_INPUT = [((1, 0, 4, 4), (3, 0, 2, 2), {}),
                 ((2, 0, 5, 5), (4, 0, 3, 3), {"padding": 1}),
                 ((1, 0, 5, 6), (3, 0, 2, 2), {"stride": 2}),
                 ((1, 0, 5, 5), (3, 0, 3, 3), {"padding": "same"}),
                 ((1, 0, 4, 4), (4, 0, 2, 2), {"groups": 2}),
                 ((0, 4, 4), (3, 0, 2, 2), {"dilation": 2}),
                 ((0, 0, 4, 4), (3, 0, 2, 2), {})]


@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("case", range(len(CONV_NO_INPUT)))
@pytest.mark.parametrize("dtype", DTYPES)
def test_conv2d_of_zero_input_channels_as_torch(dtype, case, bias):
    """torch's conv2d of an input with no channel is an empty (N, 0, H', W') (unbatched
    (0, H', W')), the bias dropped; its gradients of x and w are empty, of x's and w's
    shapes. The library gave (N, C_out, H', W') zeros (plus the bias)."""
    x_shape, w_shape, kw = CONV_NO_INPUT[case]
    x, w = np.zeros(x_shape, dtype), np.zeros(w_shape, dtype)
    b = np.ones(w_shape[0], dtype) if bias else None
    leaves = _leaves(x, w)
    y = F.conv2d(*leaves, None if b is None else _t(b), **kw)
    dx, dw = torch.autograd.grad(y, leaves, torch.ones_like(y))
    geometry = {k: v for k, v in kw.items() if k != "groups"}
    groups = kw.get("groups", 1)
    up = np.ones(tuple(y.shape), dtype)
    for _ in _paths():
        _empty_like_torch(G.conv2d(x, w, bias=b, **kw), y, dtype)
        _empty_like_torch(G.conv2d_grad_input(up, w, x_shape, groups=groups, **geometry), dx,
                          dtype)
        _empty_like_torch(G.conv2d_grad_weight(x, up, w_shape, groups=groups, **geometry), dw,
                          dtype)


CONV_NO_OUTPUT = {
    "conv2d": lambda x, w, d: G.conv2d(x, w),
    "conv2d_grad_input": lambda x, w, d: G.conv2d_grad_input(d, w, x.shape),
    "conv2d_grad_weight": lambda x, w, d: G.conv2d_grad_weight(x, d, w.shape),
}


@pytest.mark.parametrize("name", list(CONV_NO_OUTPUT))
def test_conv2d_of_no_output_channel_refused_as_torch(name):
    x, w, d = np.zeros((1, 2, 4, 4)), np.zeros((0, 2, 2, 2)), np.zeros((1, 0, 3, 3))
    with pytest.raises(RuntimeError, match="expected weight to be at least 1 at dimension 0"):
        F.conv2d(torch.tensor(x), torch.tensor(w))
    with pytest.raises(RuntimeError, match="at least 1 at dimension 0"):
        torch.nn.grad.conv2d_input(x.shape, torch.tensor(w), torch.tensor(d))
    for _ in _paths():
        with pytest.raises(ValueError, match="no output channel"):
            CONV_NO_OUTPUT[name](x, w, d)


@pytest.mark.parametrize("case", [((1, 2, 4, 0), 1, False), ((2, 4, 0), 1, False),
                                  ((1, 2, 0, 3), 2, False), ((0, 2, 0, 4), 1, True),
                                  ((1, 0, 0, 4), 1, True)])
def test_conv2d_of_no_row_or_column_as_torch(case):
    """An input with no row or column: torch refuses it unless the batch or the channels are
    empty too ('Only zero batch or zero channel inputs are supported'), where padding gives
    the output rows; the library took (1, 2, 4, 0) with padding 1 as zeros of (1, 3, 6, 2)."""
    x_shape, pad, taken = case
    x, w = np.zeros(x_shape), np.zeros((3, x_shape[-3], 1, 1))
    if not taken:
        with pytest.raises(RuntimeError):
            F.conv2d(torch.tensor(x), torch.tensor(w), padding=pad)
        for _ in _paths():
            with pytest.raises(ValueError, match="no row or column"):
                G.conv2d(x, w, padding=pad)
        return
    y = F.conv2d(torch.tensor(x), torch.tensor(w), padding=pad)
    for _ in _paths():
        _empty_like_torch(G.conv2d(x, w, padding=pad), y, np.float64)


# ----- Found and fixed: an optimizer gradient of another dtype -----

STEPS: dict[str, tuple[Callable, int]] = {  # name → (step(p, g, state), number of states)
    "sgd": (lambda p, g, s: G.sgd_step(p, g, 0.1), 0),
    "momentum": (lambda p, g, s: G.momentum_step(p, g, s[0], 0.1, 0.9), 1),
    "nesterov": (lambda p, g, s: G.sgd_nesterov_step(p, g, s[0], 0.1, 0.9), 1),
    "adagrad": (lambda p, g, s: G.adagrad_step(p, g, s[0], 0.1), 1),
    "rmsprop": (lambda p, g, s: G.rmsprop_step(p, g, s[0], 0.1), 1),
    "adam": (lambda p, g, s: G.adam_step(p, g, s[0], s[1], 1), 2),
    "adamw": (lambda p, g, s: G.adamw_step(p, g, s[0], s[1], 1), 2),
}
MIXES = {"float64 grad, float32 params": (np.float32, np.float64),
         "float32 grad, float64 params": (np.float64, np.float32),
         "int64 grad, float32 params": (np.float32, np.int64)}


@pytest.mark.parametrize("mix", list(MIXES))
@pytest.mark.parametrize("name", list(STEPS))
def test_optimizer_gradient_of_another_dtype_refused(name, mix):
    """torch refuses a .grad of another dtype than its parameter's; the library rounded it
    into the parameters' dtype. Refused now, naming both dtypes, nothing written; the same
    gradient in the parameters' dtype (and a list of numbers) is taken as before."""
    p_dtype, g_dtype = MIXES[mix]
    q = torch.nn.Parameter(torch.zeros(3, dtype=TORCH_DTYPE[p_dtype]))
    with pytest.raises(RuntimeError, match="must match the tensor's grad_dtype"):
        q.grad = torch.tensor(np.ones(3, g_dtype))
    step, n = STEPS[name]
    for _ in _paths():
        params, state = np.ones(3, p_dtype), [np.zeros(3, p_dtype) for _ in range(n)]
        with pytest.raises(ValueError, match=f"grad has dtype {np.dtype(g_dtype)} but params "
                                             f"{np.dtype(p_dtype)}"):
            step(params, np.full(3, 2, g_dtype), state)
        np.testing.assert_array_equal(params, 1)
        assert all(not s.any() for s in state)
        step(params, np.full(3, 2, p_dtype), state)
        step(params, [2, 2, 2], state)
        assert params.dtype == p_dtype and (params != 1).all()


# ----- Found and fixed: batch norm, linear and cross-entropy over an empty axis -----

@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("shape", [(2, 0, 3), (1, 0, 2, 2)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_batch_norm_of_no_channel_with_spatial_axes_as_torch(dtype, shape, training):
    """(N, 0, d…) without affine parameters: torch's batch norm returns the empty output and
    an empty gradient; the library's rows-of-channels reshape (−1, 0) raised 'cannot reshape
    array of size 0'. (torch's with a γ of shape (0,) raises IndexError in select(): a crash
    in torch, not a refusal; the library takes it, ∂L/∂γ and ∂L/∂β empty.)"""
    x = np.zeros(shape, dtype)
    stats = {} if training else {"running_mean": np.zeros(0, dtype),
                                 "running_var": np.ones(0, dtype), "training": False}
    (leaf,) = _leaves(x)
    y = F.batch_norm(leaf, *((None, None) if training else (_t(stats["running_mean"]),
                                                            _t(stats["running_var"]))),
                     None, None, training)
    (want,) = torch.autograd.grad(y, leaf, torch.ones_like(y))
    for _ in _paths():
        for gamma, beta in [(None, None), (np.ones(0, dtype), np.zeros(0, dtype))]:
            out, cache = G.batchnorm_forward(x, gamma, beta, **stats)
            _empty_like_torch(out, y, dtype)
            dx, dgamma, dbeta = G.batchnorm_backward(np.ones(shape, dtype), cache)
            _empty_like_torch(dx, want, dtype)
            assert (dgamma is None) == (gamma is None) and (dbeta is None) == (beta is None)
            assert gamma is None or dgamma.shape == dbeta.shape == (0,)


@pytest.mark.parametrize("lead", [(4,), (2, 3)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_linear_gradients_of_no_input_feature_as_torch(dtype, lead):
    """a of shape (…, 0) (a linear layer of no input feature): ∂L/∂W is torch's empty (k, 0)
    and ∂L/∂a its empty (…, 0); linear_weight_grad's reshape (−1, 0) raised."""
    r = np.random.default_rng(1806)
    a, W = np.zeros((*lead, 0), dtype), np.zeros((3, 0), dtype)
    delta = r.standard_normal((*lead, 3)).astype(dtype)
    leaves = _leaves(a, W)
    y = leaves[0] @ leaves[1].T
    da, dW = _grads(y, leaves, delta)
    for _ in _paths():
        _empty_like_torch(G.linear_weight_grad(delta, a), dW, dtype)
        _empty_like_torch(G.linear_input_grad(W, delta), da, dtype)


@pytest.mark.parametrize("ls", [0.0, 0.2])
@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
def test_cross_entropy_of_no_class_with_probability_targets(reduction, ls):
    """Z of shape (2, 0) with probability targets (2, 0): torch's 'none' is (−0, −0) and
    'sum' −0 (gradient empty); its 'mean' is NaN (numel/C = 0/0), which the library refuses
    as it refuses every undefined mean. The library raised ZeroDivisionError (ε/C)."""
    z, p = np.zeros((2, 0)), np.zeros((2, 0))
    if reduction == "mean":
        assert np.isnan(F.cross_entropy(_t(z), _t(p), label_smoothing=ls).item())
        for _ in _paths():
            with pytest.raises(ValueError, match="no class"):
                G.cross_entropy(z, p, label_smoothing=ls)
            with pytest.raises(ValueError, match="no class"):
                G.cross_entropy_grad(z, p, label_smoothing=ls)
        return
    u = np.ones(2) if reduction == "none" else None
    y, g = _vjp_t(lambda a: F.cross_entropy(a, _t(p), reduction=reduction, label_smoothing=ls),
                  _t(z), _t(u) if u is not None else torch.tensor(1.0, dtype=torch.float64))
    for _ in _paths():
        np.testing.assert_array_equal(
            G.cross_entropy(z, p, reduction=reduction, label_smoothing=ls), y.numpy())
        _empty_like_torch(G.cross_entropy_grad(z, p, reduction=reduction, label_smoothing=ls,
                                               grad_output=u), g, np.float64)


# ----- Tried and found right: subgradients at the kinks' exact points -----

_AT_ZERO = np.array([0.0, -0.0, 1.0, -1.0, 2.0, -3.0, 0.0, 5.0])  # ±0 and integer values
_UP = np.array([1.0, -2.0, 0.5, 3.0, -1.0, 2.0, 4.0, -0.25])


def _elementwise_kinks() -> dict[str, tuple[Callable, Callable]]:
    """name → (ours(z, upstream), torch's function of z): each at its kink."""
    return {
        "relu_grad": (lambda z, u: G.relu_grad(z) * u, F.relu),
        "relu_backward": (lambda z, u: G.relu_backward(u, z), F.relu),
        "leaky_relu_grad 0.01": (lambda z, u: G.leaky_relu_grad(z) * u, F.leaky_relu),
        "leaky_relu_grad -0.5": (lambda z, u: G.leaky_relu_grad(z, -0.5) * u,
                                 lambda t: F.leaky_relu(t, -0.5)),
        "elu_grad 1": (lambda z, u: G.elu_grad(z) * u, F.elu),
        "elu_grad 0.5": (lambda z, u: G.elu_grad(z, 0.5) * u, lambda t: F.elu(t, 0.5)),
    }


_ELEMENTWISE = _elementwise_kinks()


@pytest.mark.parametrize("name", list(_ELEMENTWISE))
@pytest.mark.parametrize("dtype", DTYPES)
def test_activation_subgradients_at_zero_as_torch(dtype, name):
    """At z = ±0 torch's backward takes one branch: ReLU's 0, LeakyReLU's slope, ELU's α
    (its z ≤ 0 branch, α·eᶻ = α); the library's derivative is that branch, at both zeros."""
    ours, theirs = _ELEMENTWISE[name]
    z, u = _AT_ZERO.astype(dtype), _UP.astype(dtype)
    _, want = _vjp_t(theirs, _t(z), _t(u))
    for _ in _paths():
        _agree(ours(z, u), want, dtype, entrywise=True)


def _residual_kinks(dtype) -> tuple[np.ndarray, np.ndarray]:
    """pred and target whose residuals are 0, ±0.5, ±1, ±2 exactly (δ, β ∈ {0.5, 1})."""
    target = np.array([1.0, -2.0, 0.5, 3.0, 0.0, 0.25, -1.0, 2.0], dtype)
    r = np.array([0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0], dtype)
    return target + r, target


LOSS_KINKS: dict[str, tuple[Callable, Callable]] = {
    "l1": (lambda p, t, red, u: G.l1_grad(p, t, red, u),
           lambda a, t, red: F.l1_loss(a, t, reduction=red)),
    "huber 1": (lambda p, t, red, u: G.huber_grad(p, t, 1.0, red, u),
                lambda a, t, red: F.huber_loss(a, t, reduction=red, delta=1.0)),
    "huber 0.5": (lambda p, t, red, u: G.huber_grad(p, t, 0.5, red, u),
                  lambda a, t, red: F.huber_loss(a, t, reduction=red, delta=0.5)),
    "smooth_l1 1": (lambda p, t, red, u: G.smooth_l1_grad(p, t, 1.0, red, u),
                    lambda a, t, red: F.smooth_l1_loss(a, t, reduction=red, beta=1.0)),
    "smooth_l1 0.5": (lambda p, t, red, u: G.smooth_l1_grad(p, t, 0.5, red, u),
                      lambda a, t, red: F.smooth_l1_loss(a, t, reduction=red, beta=0.5)),
    "mse": (lambda p, t, red, u: G.mse_grad(p, t, red, u),
            lambda a, t, red: F.mse_loss(a, t, reduction=red)),
}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", list(LOSS_KINKS))
@pytest.mark.parametrize("dtype", DTYPES)
def test_loss_subgradients_at_their_kinks_as_torch(dtype, name, reduction):
    """Residuals at exactly 0 (±0), ±δ and ±β: torch's L1 gives sign(0) = 0, Huber and
    SmoothL1 the linear branch's ±1 (δ·sign, 1·sign) at |r| = δ, β, which equals the
    quadratic one there; the library's gradients are torch's under every reduction."""
    pred, target = _residual_kinks(dtype)
    u = _UP.astype(dtype) if reduction == "none" else None
    ours, theirs = LOSS_KINKS[name]
    _, want = _vjp_t(lambda a: theirs(a, _t(target), reduction), _t(pred),
                     _t(u) if u is not None else torch.tensor(1.0, dtype=torch.float64))
    for _ in _paths():
        _agree(ours(pred, target, reduction, u), want, dtype, entrywise=True)


# ----- Tried and found right: label smoothing at 0 and 1 -----

_LS_Z = np.array([[0.5, -1.0, 2.0, 0.0], [1.0, 0.0, -1.0, 3.0], [0.2, 0.3, 0.1, -0.4],
                  [0.0, 1.0, 2.0, 3.0], [-1.0, 3.0, 0.5, 0.5]])
_LS_T = np.array([0, 3, 2, -100, 1])


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("ls", [0.0, 1.0])
@pytest.mark.parametrize("dtype", DTYPES)
def test_label_smoothing_at_zero_and_one_as_torch(dtype, ls, reduction, weighted):
    """label_smoothing = 1 is the uniform target (the class index ignored but for its
    weight in the mean's denominator), 0 the plain loss; with class weights and an ignored
    row, under each reduction, loss and gradient as torch's."""
    z = _LS_Z.astype(dtype)
    w = np.array([1.0, 2.0, 0.5, 0.25], dtype) if weighted else None
    u = np.array([1.0, -2.0, 0.5, 3.0, 2.0], dtype) if reduction == "none" else None

    def loss_of(a):
        return F.cross_entropy(a, torch.tensor(_LS_T), weight=None if w is None else _t(w),
                               reduction=reduction, label_smoothing=ls)

    y, g = _vjp_t(loss_of, _t(z),
                  _t(u) if u is not None else torch.tensor(1.0, dtype=torch.float64))
    for _ in _paths():
        _agree(G.cross_entropy(z, _LS_T, w, label_smoothing=ls, reduction=reduction), y, dtype)
        _agree(G.cross_entropy_grad(z, _LS_T, w, label_smoothing=ls, reduction=reduction,
                                    grad_output=u), g, dtype)


_II_T = np.array([0, 3, 2, 1, 3, 0])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("ignore_index", [0, 1, 2, 3, -1, 7])
@pytest.mark.parametrize("loss", ["cross_entropy", "nll_loss"])
def test_ignore_index_on_every_class_as_torch(loss, ignore_index, reduction):
    """ignore_index set to each class in turn (its rows drop out of the loss, the weighted
    mean's denominator and the gradient), and to values no target has (−1, 7): loss and
    gradient with class weights as torch's."""
    z = np.vstack([_LS_Z, _LS_Z[:1] * 2])[:, :4]
    w = np.array([1.0, 2.0, 0.5, 0.25])
    u = np.array([1.0, -2.0, 0.5, 3.0, 2.0, -1.0]) if reduction == "none" else None
    theirs = F.cross_entropy if loss == "cross_entropy" else F.nll_loss
    y, g = _vjp_t(lambda a: theirs(a, torch.tensor(_II_T), _t(w), ignore_index=ignore_index,
                                   reduction=reduction), _t(z),
                  _t(u) if u is not None else torch.tensor(1.0, dtype=torch.float64))
    forward, backward = getattr(G, loss), getattr(G, f"{loss}_grad")
    for _ in _paths():
        _agree(forward(z, _II_T, w, ignore_index, reduction=reduction), y, np.float64)
        _agree(backward(z, _II_T, w, ignore_index, reduction=reduction, grad_output=u), g,
               np.float64)


# ----- Tried and found right: 0-strided and reversed upstream gradients -----

def _upstream(a: np.ndarray, kind: str) -> np.ndarray:
    """a's values as an upstream gradient: a read-only 0-strided broadcast of its first
    entry along axis 0 (every row the same, as the gradient of a sum), or a reversed view."""
    if kind == "broadcast":
        return np.broadcast_to(a[:1], a.shape)
    out = np.flip(np.ascontiguousarray(np.flip(a)))  # every axis's stride negative
    out.flags.writeable = False
    return out


def _vjp_cases(dtype) -> dict[str, tuple[Callable, Callable, tuple[int, ...]]]:
    """name → (ours(dout), torch's forward of one leaf, the output's shape), the leaf's
    values fixed in the closures."""
    r = np.random.default_rng(1800)
    z = r.standard_normal((4, 5)).astype(dtype)
    x4 = r.standard_normal((2, 3, 6, 6)).astype(dtype)
    w4 = r.standard_normal((4, 3, 3, 3)).astype(dtype)
    W = r.standard_normal((3, 5)).astype(dtype)
    mask = r.random((4, 5)) > 0.3
    labels = np.array([0, 4, 2, 1])
    s, log_s = G.softmax(z), G.log_softmax(z)
    cache_ln = G.layernorm_forward(z, np.abs(z[0]), z[1])[1]
    cache_bn = G.batchnorm_forward(x4, np.abs(w4[:, 0, 0, 0][:3]), w4[0, 0, 0])[1]
    zt, x4t, w4t, Wt = _t(z), _t(x4), _t(w4), _t(W)
    gamma_ln, beta_ln = _t(np.abs(z[0])), _t(z[1])
    gamma_bn, beta_bn = _t(np.abs(w4[:, 0, 0, 0][:3])), _t(w4[0, 0, 0])
    return {
        "softmax_vjp": (lambda d: G.softmax_vjp(d, s), lambda t: F.softmax(t, -1), zt),
        "log_softmax_vjp": (lambda d: G.log_softmax_vjp(d, log_s),
                            lambda t: F.log_softmax(t, -1), zt),
        "relu_backward": (lambda d: G.relu_backward(d, z), F.relu, zt),
        "dropout_grad": (lambda d: G.dropout_grad(d, mask, 0.3),
                         lambda t: t * _t(mask.astype(np.float64)) / 0.7, zt),
        "layernorm_backward": (lambda d: G.layernorm_backward(d, cache_ln)[0],
                               lambda t: F.layer_norm(t, (5,), gamma_ln, beta_ln), zt),
        "batchnorm_backward": (lambda d: G.batchnorm_backward(d, cache_bn)[0],
                               lambda t: F.batch_norm(t, None, None, gamma_bn, beta_bn, True),
                               x4t),
        "conv2d_grad_input": (lambda d: G.conv2d_grad_input(d, w4, x4.shape, 1, 1),
                              lambda t: F.conv2d(t, w4t, None, 1, 1), x4t),
        "conv2d_grad_weight": (lambda d: G.conv2d_grad_weight(x4, d, w4.shape, 2, 1),
                               lambda t: F.conv2d(x4t, t, None, 2, 1), w4t),
        "conv2d_grad_bias": (lambda d: G.conv2d_grad_bias(d),
                             lambda t: F.conv2d(x4t, w4t, t, 1, 0), _t(w4[:, 0, 0, 0])),
        "max_pool2d_grad": (lambda d: G.max_pool2d_grad(d, x4, 3, 2, padding=1),
                            lambda t: F.max_pool2d(t, 3, 2, 1), x4t),
        "avg_pool2d_grad": (lambda d: G.avg_pool2d_grad(d, x4.shape, 3, 2, 1, False, False),
                            lambda t: F.avg_pool2d(t, 3, 2, 1, False, False), x4t),
        "linear_input_grad": (lambda d: G.linear_input_grad(W, d), lambda t: t @ Wt.T, zt),
        "linear_weight_grad": (lambda d: G.linear_weight_grad(d, z), lambda t: zt @ t.T, Wt),
        "cross_entropy_grad none": (
            lambda d: G.cross_entropy_grad(z, labels, label_smoothing=0.1, reduction="none",
                                           grad_output=d),
            lambda t: F.cross_entropy(t, torch.tensor(labels), label_smoothing=0.1,
                                      reduction="none"), zt),
        "huber_grad none": (lambda d: G.huber_grad(z, s, 0.5, "none", d),
                            lambda t: F.huber_loss(t, _t(s), reduction="none", delta=0.5), zt),
    }


_VJPS = list(_vjp_cases(np.float64))


@pytest.mark.parametrize("kind", ["broadcast", "reversed"])
@pytest.mark.parametrize("name", _VJPS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_vjps_of_strided_upstream_gradients_as_torch(dtype, name, kind):
    """The upstream gradient as a read-only 0-strided broadcast (np.broadcast_to, what a
    sum's gradient is) or a reversed view, through every VJP: torch's on the same values,
    in dout's dtype, and dout never written."""
    ours, forward, leaf = _vjp_cases(dtype)[name]
    leaf = leaf.detach().clone().requires_grad_(True)
    y = forward(leaf)
    r = np.random.default_rng(1801)
    dout = _upstream(r.standard_normal(tuple(y.shape)).astype(dtype), kind)
    (want,) = torch.autograd.grad(y, leaf, _t(dout))
    before = dout.copy()
    for _ in _paths():
        _agree(ours(dout), want, dtype)
        np.testing.assert_array_equal(dout, before)


_WD = np.array(0.1)  # a 0-d float64 weight decay (it must not widen float32 parameters)
OPTIMIZER_EDGES: dict[str, tuple[Callable, Callable, int]] = {  # (torch's, ours, states)
    "sgd lr 0, maximize": (
        lambda q: O.SGD(q, lr=0.0, weight_decay=0.1, maximize=True),
        lambda p, g, s, t: G.sgd_step(p, g, 0.0, weight_decay=_WD, maximize=True), 0),
    "momentum 0, maximize": (
        lambda q: O.SGD(q, lr=0.1, momentum=0.0, weight_decay=0.1, maximize=True),
        lambda p, g, s, t: G.momentum_step(p, g, s[0], 0.1, 0.0, weight_decay=_WD,
                                           maximize=True, t=t), 1),
    "momentum 0-d, dampening numpy scalar": (
        lambda q: O.SGD(q, lr=0.1, momentum=0.9, dampening=0.5, weight_decay=0.1,
                        maximize=True),
        lambda p, g, s, t: G.momentum_step(p, g, s[0], 0.1, np.array(0.9), weight_decay=_WD,
                                           maximize=True, dampening=np.float32(0.5), t=t), 1),
    "nesterov, maximize": (
        lambda q: O.SGD(q, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1,
                        maximize=True),
        lambda p, g, s, t: G.sgd_nesterov_step(p, g, s[0], 0.1, 0.9, _WD, maximize=True), 1),
    "adam betas (0, 0), maximize": (
        lambda q: O.Adam(q, lr=0.1, betas=(0.0, 0.0), weight_decay=0.1, maximize=True),
        lambda p, g, s, t: G.adam_step(p, g, s[0], s[1], t, 0.1, 0.0, 0.0, weight_decay=_WD,
                                       maximize=True), 2),
    "adam lr 0, amsgrad": (
        lambda q: O.Adam(q, lr=0.0, amsgrad=True, weight_decay=0.1),
        lambda p, g, s, t: G.adam_step(p, g, s[0], s[1], t, 0.0, weight_decay=_WD,
                                       amsgrad=True, max_v=s[2]), 3),
    "adamw betas (0, 0), maximize": (
        lambda q: O.AdamW(q, lr=0.1, betas=(0.0, 0.0), weight_decay=0.1, maximize=True),
        lambda p, g, s, t: G.adamw_step(p, g, s[0], s[1], t, 0.1, 0.0, 0.0, 1e-8, _WD,
                                        maximize=True), 2),
    "adamw 0-d t and lr": (
        lambda q: O.AdamW(q, lr=0.05, weight_decay=0.5),
        lambda p, g, s, t: G.adamw_step(p, g, s[0], s[1], np.array(t), np.array(0.05),
                                        weight_decay=np.float64(0.5)), 2),
    "adagrad lr_decay 0-d, maximize": (
        lambda q: O.Adagrad(q, lr=0.1, lr_decay=0.5, weight_decay=0.1, maximize=True),
        lambda p, g, s, t: G.adagrad_step(p, g, s[0], 0.1, weight_decay=_WD,
                                          lr_decay=np.array(0.5), t=t, maximize=True), 1),
    "rmsprop alpha 0, maximize": (
        lambda q: O.RMSprop(q, lr=0.01, alpha=0.0, weight_decay=0.1, maximize=True),
        lambda p, g, s, t: G.rmsprop_step(p, g, s[0], 0.01, 0.0, weight_decay=_WD,
                                          maximize=True), 1),
    "rmsprop centered, momentum, maximize": (
        lambda q: O.RMSprop(q, lr=0.01, alpha=0.9, momentum=0.5, centered=True,
                            weight_decay=0.1, maximize=True),
        lambda p, g, s, t: G.rmsprop_step(p, g, s[0], 0.01, 0.9, weight_decay=_WD,
                                          maximize=True, momentum=0.5, momentum_buffer=s[1],
                                          centered=True, grad_avg=s[2]), 3),
}


@pytest.mark.parametrize("name", list(OPTIMIZER_EDGES))
@pytest.mark.parametrize("dtype", DTYPES)
def test_optimizer_edges_with_maximize_and_zero_d_hyper_parameters(dtype, name):
    """Edge hyper-parameters (lr = 0, momentum = 0, betas = (0, 0), alpha = 0) together with
    maximize and weight decay given as a 0-d float64 array (and t, lr, momentum as 0-d
    arrays or NumPy scalars): 6 steps as torch.optim's float64 run, parameters kept in
    their dtype."""
    make, step, n = OPTIMIZER_EDGES[name]
    r = np.random.default_rng(1805)
    p0, grads = r.standard_normal(6).astype(dtype), r.standard_normal((6, 6)).astype(dtype)
    q = torch.nn.Parameter(_t(p0))
    opt, want = make([q]), []
    for g in grads:
        q.grad = _t(g)
        opt.step()
        want.append(q.detach().clone())
    for _ in _paths():
        p, s = p0.copy(), [np.zeros_like(p0) for _ in range(n)]
        for t, (g, w) in enumerate(zip(grads, want, strict=True), 1):
            step(p, g, s, t)
            _agree(p, w, dtype)


# ----- Tried and found right: one feature, one sample -----

@pytest.mark.parametrize("dtype", DTYPES)
def test_layer_norm_of_one_feature_as_torch(dtype):
    """D = 1: x = μ, so x̂ = 0, out = β, ∂L/∂γ = 0 and ∂L/∂β = Σ dout exactly, and ∂L/∂X = 0
    up to the rounding of γ·dout − mean(γ·dout) times 1/√ε (316 here): torch's float64 and
    the library's are within a few ulps of that scale of 0 (x̂ is exactly 0 in the library,
    ~1e-14 in torch: the README's documented difference)."""
    r = np.random.default_rng(1802)
    x, g, b = (r.standard_normal(s).astype(dtype) for s in [(4, 1), (1,), (1,)])
    leaves = _leaves(x, g, b)
    y = F.layer_norm(leaves[0], (1,), leaves[1], leaves[2])
    up = r.standard_normal((4, 1)).astype(dtype)
    exact = (np.broadcast_to(b, (4, 1)), np.zeros((4, 1)), np.zeros(1), up.sum(0, dtype=float))
    dx_scale = float(np.abs(g * up).max()) / np.sqrt(1e-5)
    for theirs, value in zip((y, *_grads(y, leaves, up)), exact, strict=True):
        np.testing.assert_allclose(theirs.detach().numpy(), value, rtol=1e-12,
                                   atol=1e-14 * dx_scale)
    ulp = np.finfo(dtype).eps
    for _ in _paths():
        out, cache = G.layernorm_forward(x, g, b)
        got = (out, *G.layernorm_backward(up, cache))
        for i, (ours, value) in enumerate(zip(got, exact, strict=True)):
            assert ours.dtype == dtype
            np.testing.assert_allclose(ours, value, rtol=4 * ulp,
                                       atol=8 * ulp * dx_scale if i == 1 else 0)


@pytest.mark.parametrize("shape", [(1, 3), (1, 2, 3, 3)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_batch_norm_of_one_sample_in_eval_mode_as_torch(dtype, shape):
    """N = 1 with running statistics (eval): torch takes it; the affine map and its
    gradients of X, γ and β as torch's."""
    r = np.random.default_rng(1803)
    c = shape[1]
    x, g, b = r.standard_normal(shape).astype(dtype), *(r.standard_normal(c).astype(dtype)
                                                         for _ in range(2))
    mean, var = r.standard_normal(c).astype(dtype), r.uniform(0.5, 2, c).astype(dtype)
    leaves = _leaves(x, g, b)
    y = F.batch_norm(leaves[0], _t(mean), _t(var), leaves[1], leaves[2], False)
    up = r.standard_normal(shape).astype(dtype)
    want = _grads(y, leaves, up)
    for _ in _paths():
        out, cache = G.batchnorm_forward(x, g, b, running_mean=mean.copy(),
                                         running_var=var.copy(), training=False)
        _agree(out, y, dtype)
        for got, w in zip(G.batchnorm_backward(up, cache), want, strict=True):
            _agree(got, w, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_batch_norm_of_one_sample_with_a_spatial_extent_in_training(dtype):
    """N = 1, C = 2, 3 × 3: nine values per channel, which torch's training batch norm
    takes (it refuses one value per channel); the running statistics updated as torch's."""
    r = np.random.default_rng(1804)
    x, g, b = (r.standard_normal(s).astype(dtype) for s in [(1, 2, 3, 3), (2,), (2,)])
    rm, rv = torch.zeros(2, dtype=torch.float64), torch.ones(2, dtype=torch.float64)
    leaves = _leaves(x, g, b)
    y = F.batch_norm(leaves[0], rm, rv, leaves[1], leaves[2], True, 0.1)
    up = r.standard_normal((1, 2, 3, 3)).astype(dtype)
    want = _grads(y, leaves, up)
    with pytest.raises(ValueError, match="Expected more than 1 value per channel"):
        F.batch_norm(_t(x[:, :, :1, :1]), None, None, training=True)
    for _ in _paths():
        mean, var = np.zeros(2, dtype), np.ones(2, dtype)
        out, cache = G.batchnorm_forward(x, g, b, running_mean=mean, running_var=var,
                                         training=True)
        _agree(out, y, dtype)
        _agree(mean, rm, dtype)
        _agree(var, rv, dtype)
        for got, w in zip(G.batchnorm_backward(up, cache), want, strict=True):
            _agree(got, w, dtype)


def test_special_zero_upstream_keeps_specials_quiet():
    """A NaN at a kink with a zero upstream: torch's 0 · NaN propagates through relu's
    backward only at the NaN itself; so does the library's, silently."""
    z = np.array([np.nan, 0.0, -0.0, 1.0])
    u = np.array([0.0, np.inf, -np.inf, 0.0])
    _, want = _vjp_t(F.relu, _t(z), _t(u))
    for _ in _paths():
        with quiet_as_torch():
            got = G.relu_backward(u, z)
        _specials_as(got, want, np.float64)
