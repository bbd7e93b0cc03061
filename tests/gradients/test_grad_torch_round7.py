"""Round 7 of the torch cross-check: torch's arguments the library refused or ignored, each a
test that failed before its fix.

Every test runs on the three paths (reference, block-wise NumPy, compiled kernels forced at
every size: conftest.py). The truth is torch in float64 on the same values."""

from __future__ import annotations

import numpy as np
import pytest
from layouts import as_layout
from tolerances import torch_tolerance

import derivations.gradients as G

torch = pytest.importorskip("torch")
F = torch.nn.functional
DTYPES = [np.float32, np.float64]


def _leaves(*arrays: np.ndarray):
    return [torch.tensor(a.astype(np.float64), requires_grad=True) for a in arrays]


# ----- batch norm's running statistics: training-mode update and eval mode -----

BATCHNORM_SHAPES = [(5, 3), (2, 3, 4), (1, 2, 3, 2)]


@pytest.mark.parametrize("shape", BATCHNORM_SHAPES, ids=str)
@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("dtype", DTYPES)
def test_batchnorm_running_statistics_as_torch(shape, training, dtype, rng):
    c = shape[1]
    X = (3 * rng.standard_normal(shape) + 2).astype(dtype)
    gamma, beta, mean = (rng.standard_normal(c).astype(dtype) for _ in range(3))
    var = (rng.random(c) + 0.5).astype(dtype)
    dout = rng.standard_normal(shape).astype(dtype)
    running_mean, running_var = mean.copy(), var.copy()
    out, cache = G.batchnorm_forward(as_layout(X, "Fortran"), gamma, beta, 1e-5,
                                     running_mean=running_mean, running_var=running_var,
                                     training=training, momentum=0.3)
    dX, dgamma, dbeta = G.batchnorm_backward(dout, cache)
    tX, tg, tb = _leaves(X, gamma, beta)
    t_mean, t_var = torch.tensor(mean.astype(np.float64)), torch.tensor(var.astype(np.float64))
    want = F.batch_norm(tX, t_mean, t_var, tg, tb, training=training, momentum=0.3, eps=1e-5)
    want.backward(torch.tensor(dout.astype(np.float64)))
    tol = torch_tolerance(dtype)
    for got, truth in ((out, want.detach()), (dX, tX.grad), (dgamma, tg.grad),
                       (dbeta, tb.grad), (running_mean, t_mean), (running_var, t_var)):
        assert got.dtype == dtype and got.shape == tuple(truth.shape)
        np.testing.assert_allclose(got, truth.numpy(), **tol)


def test_batchnorm_takes_torchs_default_mode_from_the_running_statistics(rng):
    """torch's F.batch_norm defaults to training=False: given running statistics, the
    forward normalises by them and leaves them alone."""
    X = rng.standard_normal((4, 2))
    mean, var = np.array([1.0, -1.0]), np.array([4.0, 0.25])
    out, _ = G.batchnorm_forward(X, np.ones(2), np.zeros(2), running_mean=mean,
                                 running_var=var)
    np.testing.assert_allclose(out, (X - [1.0, -1.0]) / np.sqrt(np.array([4.0, 0.25]) + 1e-5))
    assert mean.tolist() == [1.0, -1.0] and var.tolist() == [4.0, 0.25]


@pytest.mark.parametrize("kwargs, words", [
    ({"training": False}, "running_mean and running_var"),
    ({"running_mean": np.zeros(2), "training": True}, "both"),
    ({"running_mean": np.zeros(3), "running_var": np.ones(3)}, "(2,)"),
    ({"running_mean": [0.0, 0.0], "running_var": np.ones(2)}, "NumPy array"),
    ({"running_mean": np.zeros(2), "running_var": np.ones(2), "training": 1}, "True or False"),
])
def test_batchnorm_running_statistics_refused_naming_the_argument(kwargs, words, rng):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        G.batchnorm_forward(rng.standard_normal((4, 2)), np.ones(2), np.zeros(2), **kwargs)


def test_batchnorm_eval_mode_reads_frozen_running_statistics(rng):
    mean, var = np.zeros(2), np.ones(2)
    mean.flags.writeable = var.flags.writeable = False
    X = rng.standard_normal((3, 2))
    out, _ = G.batchnorm_forward(X, np.ones(2), np.zeros(2), running_mean=mean,
                                 running_var=var, training=False)
    np.testing.assert_allclose(out, X / np.sqrt(1 + 1e-5))
    with pytest.raises(ValueError, match="running_mean must be writeable"):
        G.batchnorm_forward(X, np.ones(2), np.zeros(2), running_mean=mean, running_var=var,
                            training=True)


def test_batchnorm_unbiased_running_variance_needs_two_values(rng):
    mean, var = np.zeros(2), np.ones(2)
    with pytest.raises(ValueError, match="more than one value per channel"):
        G.batchnorm_forward(rng.standard_normal((1, 2)), np.ones(2), np.zeros(2),
                            running_mean=mean, running_var=var, training=True)
    assert mean.tolist() == [0.0, 0.0] and var.tolist() == [1.0, 1.0]


# ----- layer norm over several trailing axes (torch's normalized_shape as a tuple) -----

LAYERNORM_CASES = [((4, 3, 5), (3, 5)), ((3, 5), (3, 5)), ((2, 2, 3, 4), (2, 3, 4))]


@pytest.mark.parametrize("shape, normalized", LAYERNORM_CASES, ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
def test_layernorm_over_trailing_axes_as_torch(shape, normalized, dtype, rng):
    X = rng.standard_normal(shape).astype(dtype)
    gamma, beta = (rng.standard_normal(normalized).astype(dtype) for _ in range(2))
    dout = rng.standard_normal(shape).astype(dtype)
    out, cache = G.layernorm_forward(as_layout(X, "reversed"), gamma, beta)
    dX, dgamma, dbeta = G.layernorm_backward(dout, cache)
    tX, tg, tb = _leaves(X, gamma, beta)
    want = F.layer_norm(tX, normalized, tg, tb)
    want.backward(torch.tensor(dout.astype(np.float64)))
    tol = torch_tolerance(dtype)
    for got, truth in ((out, want.detach()), (dX, tX.grad), (dgamma, tg.grad), (dbeta, tb.grad)):
        assert got.dtype == dtype and got.shape == tuple(truth.shape)
        np.testing.assert_allclose(got, truth.numpy(), **tol)


def test_layernorm_trailing_axes_must_end_x(rng):
    with pytest.raises(ValueError, match="normalized shape"):
        G.layernorm_forward(rng.standard_normal((4, 5, 3)), np.ones((3, 5)), np.zeros((3, 5)))


# ----- torch.optim's flags: Adam's decoupled_weight_decay, SGD's nesterov -----

OPTIMIZER_CASES = [  # (torch optimizer, its options, the library's step, state names)
    (torch.optim.Adam, {"weight_decay": 0.3, "decoupled_weight_decay": True, "amsgrad": True},
     lambda p, g, s, t, lr: G.adam_step(p, g, s["exp_avg"], s["exp_avg_sq"], t, lr,
                                        weight_decay=0.3, decoupled_weight_decay=True,
                                        amsgrad=True, max_v=s["max_exp_avg_sq"]),
     ("exp_avg", "exp_avg_sq", "max_exp_avg_sq")),
    (torch.optim.SGD, {"momentum": 0.9, "nesterov": True, "weight_decay": 0.05,
                       "maximize": True},
     lambda p, g, s, t, lr: G.momentum_step(p, g, s["momentum_buffer"], lr, 0.9,
                                            weight_decay=0.05, maximize=True, nesterov=True),
     ("momentum_buffer",)),
]


@pytest.mark.parametrize("case", OPTIMIZER_CASES, ids=lambda c: c[0].__name__)
@pytest.mark.parametrize("dtype", DTYPES)
def test_optimizer_flags_over_six_steps_as_torch(case, dtype, rng):
    optimizer, options, step, names = case
    params = rng.standard_normal((3, 4)).astype(dtype)
    leaf = torch.nn.Parameter(torch.tensor(params.astype(np.float64)))
    torch_opt = optimizer([leaf], lr=0.1, **options)
    state = {name: np.zeros_like(params) for name in names}
    for t, lr in enumerate([0.1, 0.05, 0.2, 0.01, 0.1, 0.3], start=1):
        grad = (rng.standard_normal(params.shape) * 10 ** (t % 2)).astype(dtype)
        torch_opt.param_groups[0]["lr"] = lr
        leaf.grad = torch.tensor(grad.astype(np.float64))
        torch_opt.step()
        step(params, grad, state, t, lr)
    tol = torch_tolerance(dtype)
    np.testing.assert_allclose(params, leaf.detach().numpy(), **tol)
    for name in names:
        assert state[name].dtype == dtype
        np.testing.assert_allclose(state[name], torch_opt.state[leaf][name].numpy(), **tol)


@pytest.mark.parametrize("step", [
    lambda p, g, v: G.sgd_nesterov_step(p, g, v, 0.1, 0.9, dampening=0.1),
    lambda p, g, v: G.momentum_step(p, g, v, 0.1, 0.9, dampening=0.1, t=1, nesterov=True),
])
def test_nesterov_with_dampening_refused_as_torch(step, rng):
    params, grad, velocity = (rng.standard_normal(3) for _ in range(3))
    kept = params.copy()
    with pytest.raises(ValueError, match="dampening must be 0 with Nesterov"):
        step(params, grad, velocity)
    assert np.array_equal(params, kept)


# ----- torch 2.13's elementwise weight of mse_loss, l1_loss and huber_loss -----

WEIGHTED_LOSSES = [  # (loss, gradient, torch's loss, extra arguments)
    (G.mse_loss, G.mse_grad, F.mse_loss, {}),
    (G.l1_loss, G.l1_grad, F.l1_loss, {}),
    (G.huber_loss, G.huber_grad, F.huber_loss, {"delta": 0.7}),  # 'mean': mean of w·loss
]


@pytest.mark.parametrize("case", WEIGHTED_LOSSES, ids=lambda c: c[0].__name__)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_weighted_elementwise_losses_as_torch(case, reduction, dtype, rng, kernel_path):
    if kernel_path != "reference":
        pytest.skip("a weighted loss runs its 'none' form, which no fast path computes")
    loss, grad, torch_loss, extra = case
    pred = (2 * rng.standard_normal((3, 4))).astype(dtype)
    target = rng.standard_normal((3, 4)).astype(dtype)
    weight = rng.integers(0, 4, (3, 4))  # integer: keeps float32 float32
    tx, = _leaves(pred)
    want = torch_loss(tx, torch.tensor(target.astype(np.float64)), reduction=reduction,
                      weight=torch.tensor(weight.astype(np.float64)), **extra)
    upstream = rng.standard_normal((3, 4)).astype(dtype) if reduction == "none" else None
    want.backward(None if upstream is None else torch.tensor(upstream.astype(np.float64)))
    got = loss(as_layout(pred, "strided"), target, reduction=reduction, weight=weight, **extra)
    g = grad(pred, target, reduction=reduction, grad_output=upstream, weight=weight, **extra)
    tol = torch_tolerance(dtype)
    for a, truth in ((got, want.detach()), (g, tx.grad)):
        assert np.asarray(a).dtype == dtype and np.shape(a) == tuple(truth.shape)
        np.testing.assert_allclose(a, truth.numpy(), **tol)


def test_loss_weight_of_another_shape_refused_naming_it(rng):
    pred, target = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    for call in (G.mse_loss, G.l1_grad, G.huber_loss):
        with pytest.raises(ValueError, match="weight has shape"):
            call(pred, target, weight=np.ones(3))


@pytest.mark.one_path
@pytest.mark.parametrize("call", [G.mse_loss, G.l1_loss, G.huber_loss, G.mse_grad,
                                  G.l1_grad, G.huber_grad], ids=lambda f: f.__name__)
def test_weighted_loss_refuses_an_unknown_reduction(call, rng):
    # the weighted losses summed under any reduction but 'none' and 'mean' ('avg' gave Σ wℓ)
    pred, target = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    with pytest.raises(ValueError, match="reduction must be"):
        call(pred, target, reduction="avg", weight=np.ones((2, 3)))


# ----- clip_grad_norm_'s parameters: one array, any iterable, none -----


@pytest.mark.parametrize("form", ["one array", "generator", "tuple"])
def test_clip_grad_norm_takes_what_torch_takes(form, rng, kernel_path):
    if kernel_path != "reference":
        pytest.skip("clip_grad_norm has no fast path")
    grads = [rng.standard_normal((3, 4)) * 5]
    if form != "one array":
        grads.append(rng.standard_normal(7) * 5)
    leaves = [torch.nn.Parameter(torch.tensor(g)) for g in grads]
    for leaf, g in zip(leaves, grads, strict=True):
        leaf.grad = torch.tensor(g)
    want = torch.nn.utils.clip_grad_norm_(leaves[0] if form == "one array" else leaves, 1.0)
    given = {"one array": grads[0], "generator": (g for g in grads), "tuple": tuple(grads)}[form]
    assert G.clip_grad_norm(given, 1.0) == pytest.approx(float(want), rel=1e-12)
    for g, leaf in zip(grads, leaves, strict=True):
        np.testing.assert_allclose(g, leaf.grad.numpy(), rtol=1e-12)


def test_clip_grad_norm_of_no_gradients_is_zero():
    assert G.clip_grad_norm([], 1.0) == float(torch.nn.utils.clip_grad_norm_([], 1.0)) == 0.0
    with pytest.raises(ValueError, match="iterable of arrays"):
        G.clip_grad_norm(3.0, 1.0)
