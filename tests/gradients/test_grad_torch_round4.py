"""Round 4 of the cross-check against torch: the arguments a torch user passes.

Each test compares values and gradients with torch.autograd in float64 (the truth), for
float32 and float64 inputs in every memory layout, with a random upstream gradient, and runs
on the three kernel paths (conftest). Before round 4 each of these arguments was refused
(TypeError or ValueError) or read differently.
"""

from __future__ import annotations

import numpy as np
import pytest
from layouts import LAYOUTS, as_layout

import derivations.gradients as G

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same'")
F = torch.nn.functional

DTYPES = [np.float32, np.float64]


def _tol(dtype) -> dict[str, float]:
    return {"rtol": 2e-5, "atol": 2e-5} if dtype == np.float32 else {"rtol": 1e-11, "atol": 1e-12}


def _close(ours: np.ndarray, want, dtype) -> None:
    want = want.detach().numpy() if hasattr(want, "detach") else np.asarray(want)
    assert ours.dtype == dtype, (ours.dtype, dtype)
    assert ours.shape == want.shape, (ours.shape, want.shape)
    scale = max(float(np.max(np.abs(want), initial=0)), 1.0)
    np.testing.assert_allclose(ours, want, rtol=_tol(dtype)["rtol"],
                               atol=_tol(dtype)["atol"] * scale)


def _leaf(a: np.ndarray):
    return torch.tensor(np.asarray(a, np.float64), requires_grad=True)


# ----- clip_grad_norm: norm_type as a string -----


@pytest.mark.parametrize("norm_type", ["inf", "Inf", "2", "1.5"])
def test_clip_grad_norm_string_norm_type_as_torch(norm_type, rng):
    raw = [rng.standard_normal((3, 2)), rng.standard_normal(4)]
    params = [torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.float64)) for g in raw]
    for p, g in zip(params, raw, strict=True):
        p.grad = torch.tensor(g)
    want = float(torch.nn.utils.clip_grad_norm_(params, 0.5, norm_type))
    ours = [g.copy() for g in raw]
    assert G.clip_grad_norm(ours, 0.5, norm_type) == pytest.approx(want, rel=1e-12)
    for g, p in zip(ours, params, strict=True):
        np.testing.assert_allclose(g, p.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("norm_type", ["fro", "nuc", "nan"])  # "-inf", "0": round 11
def test_clip_grad_norm_string_that_is_no_norm_refused(norm_type):
    with pytest.raises(ValueError, match="norm_type"):
        G.clip_grad_norm([np.ones(3)], 1.0, norm_type)


# ----- conv2d: padding 'same' / 'valid', groups -----

CONV_CASES = [  # (C_in, C_out, kh, kw, stride, padding, dilation, groups)
    (2, 3, 3, 3, 1, "same", 1, 1),
    (2, 3, 2, 4, 1, "same", 1, 1),  # even kernels: the odd zero below / right
    (2, 2, 3, 2, 1, "same", 2, 1),
    (2, 3, 3, 3, 2, "valid", 1, 1),
    (4, 6, 3, 3, 1, 1, 1, 2),
    (4, 4, 3, 3, 2, 0, 1, 4),  # depthwise
    (6, 3, 2, 3, 1, "same", 2, 3),
    (4, 2, 3, 3, 2, 2, 2, 2),
]


@pytest.mark.parametrize("case", CONV_CASES, ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_conv2d_padding_strings_and_groups_as_torch(case, dtype, layout, rng):
    c_in, c_out, kh, kw, s, pad, dil, groups = case
    x = rng.standard_normal((2, c_in, 7, 6)).astype(dtype)
    w = rng.standard_normal((c_out, c_in // groups, kh, kw)).astype(dtype)
    b = rng.standard_normal(c_out).astype(dtype)
    tx, tw, tb = _leaf(x), _leaf(w), _leaf(b)
    want = F.conv2d(tx, tw, tb, stride=s, padding=pad, dilation=dil, groups=groups)
    dout = rng.standard_normal(tuple(want.shape)).astype(dtype)
    want.backward(torch.tensor(dout, dtype=torch.float64))
    X, W, B, D = (as_layout(a, layout) for a in (x, w, b, dout))
    out = G.conv2d(X, W, s, pad, dil, bias=B, groups=groups)
    _close(out, want, dtype)
    _close(G.conv2d_grad_input(D, W, x.shape, s, pad, dil, groups), tx.grad, dtype)
    _close(G.conv2d_grad_weight(X, D, w.shape, s, pad, dil, groups), tw.grad, dtype)
    _close(G.conv2d_grad_bias(D), tb.grad, dtype)


def test_conv2d_refusals_name_torch_argument():
    x, w = np.ones((1, 4, 5, 5)), np.ones((2, 2, 3, 3))
    with pytest.raises(ValueError, match="'same' needs stride 1"):
        G.conv2d(x, np.ones((2, 4, 3, 3)), 2, "same")
    with pytest.raises(ValueError, match="padding must be"):
        G.conv2d(x, np.ones((2, 4, 3, 3)), 1, "full")
    with pytest.raises(ValueError, match="groups"):
        G.conv2d(x, w, groups=3)
    with pytest.raises(ValueError, match="groups"):
        G.conv2d(x, np.ones((3, 2, 3, 3)), groups=2)  # C_out 3 not divisible by 2
    with pytest.raises(ValueError, match="bias is the keyword"):
        G.conv2d(x, np.ones((2, 4, 3, 3)), np.zeros(2))  # torch's conv2d(x, w, b)


# ----- Pooling: padding, dilation, ceil_mode, count_include_pad, divisor_override -----

MAX_CASES = [  # (size, stride, padding, dilation, ceil_mode)
    (3, 2, 1, 1, False),
    (3, 2, 1, 1, True),
    (2, 2, 0, 1, True),  # ceil_mode alone: a last window over the edge
    (2, 1, 1, 2, False),
    (3, 2, 1, 2, True),
    (4, 3, 2, 1, True),
    (2, None, 1, 1, False),
]


def _pool_input(rng, dtype, special: str) -> np.ndarray:
    x = rng.standard_normal((2, 3, 7, 6))
    if special == "ties":
        x = np.round(x)
    elif special == "specials":  # NaN, -inf (loses to padding's -inf? no: padding never wins)
        x.flat[rng.choice(x.size, 8, replace=False)] = -np.inf
        x.flat[rng.choice(x.size, 3, replace=False)] = np.nan
        x[0, 0] = -np.inf
    return x.astype(dtype)


@pytest.mark.parametrize("case", MAX_CASES, ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout,special", [("C", "none"), ("Fortran", "ties"),
                                            ("strided", "specials"), ("reversed", "none"),
                                            ("C", "specials")])
def test_max_pool2d_padding_dilation_ceil_mode_as_torch(case, dtype, layout, special, rng):
    k, s, pad, dil, ceil = case
    x = _pool_input(rng, dtype, special)
    tx = _leaf(x)
    want, want_idx = F.max_pool2d(tx, k, s, pad, dil, ceil, return_indices=True)
    dout = rng.standard_normal(tuple(want.shape)).astype(dtype)
    want.backward(torch.tensor(dout, dtype=torch.float64))
    X, D = as_layout(x, layout), as_layout(dout, layout)
    out, idx = G.max_pool2d(X, k, s, pad, dil, ceil, return_indices=True)
    np.testing.assert_array_equal(out, want.detach().numpy().astype(dtype))
    np.testing.assert_array_equal(idx, want_idx.numpy())
    np.testing.assert_array_equal(G.max_pool2d(X, k, s, pad, dil, ceil), out)
    grad_kw = {"padding": pad, "dilation": dil, "ceil_mode": ceil}
    want_dx = tx.grad.numpy()
    for dx in (G.max_pool2d_grad(D, X, k, s, **grad_kw),
               G.max_pool2d_grad(D, X, k, s, idx, **grad_kw)):
        with np.errstate(invalid="ignore"):
            _close(dx, want_dx, dtype)


AVG_CASES = [  # (size, stride, padding, ceil_mode, count_include_pad, divisor_override)
    (3, 2, 1, False, True, None),
    (3, 2, 1, False, False, None),
    (3, 2, 1, True, True, None),
    (3, 2, 1, True, False, None),
    (2, 2, 0, True, True, None),
    (2, 2, 0, True, False, None),
    (4, 3, 2, True, True, None),
    (3, 1, 1, False, True, 5),
    (2, None, 1, True, False, -3),
    (2, None, 0, False, True, 3),
]


@pytest.mark.parametrize("case", AVG_CASES, ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", ["C", "strided"])
def test_avg_pool2d_torch_options_as_torch(case, dtype, layout, rng):
    k, s, pad, ceil, cip, div = case
    x = rng.standard_normal((2, 3, 7, 6)).astype(dtype)
    tx = _leaf(x)
    want = F.avg_pool2d(tx, k, s, pad, ceil, cip, div)
    dout = rng.standard_normal(tuple(want.shape)).astype(dtype)
    want.backward(torch.tensor(dout, dtype=torch.float64))
    _close(G.avg_pool2d(as_layout(x, layout), k, s, pad, ceil, cip, div), want, dtype)
    dx = G.avg_pool2d_grad(as_layout(dout, layout), x.shape, k, s, pad, ceil, cip, div)
    _close(dx, tx.grad, dtype)


@pytest.mark.parametrize("call", [
    lambda x: G.max_pool2d(x, 3, 1, 2),  # torch: pad at most half the kernel size
    lambda x: G.avg_pool2d(x, 2, 1, 2),
    lambda x: G.avg_pool2d(x, 2, divisor_override=0),
    lambda x: G.max_pool2d(x, 6),
    lambda x: G.max_pool2d(x, 3, 1, 0, 3),  # dilated window larger than the input
    lambda x: G.avg_pool2d(x, 2, ceil_mode="yes"),
])
def test_pooling_refuses_what_torch_refuses(call):
    x = np.ones((1, 1, 5, 5))
    with pytest.raises(ValueError, match="padding|divisor_override|window|ceil_mode"):
        call(x)


# ----- Optimizers: torch.optim's flags -----


def _sgd(p, g, st, t, kw):
    return G.sgd_step(p, g, 0.1, **kw)


def _momentum(p, g, st, t, kw):
    return G.momentum_step(p, g, st[0], 0.1, 0.8, **kw)


def _nesterov(p, g, st, t, kw):
    return G.sgd_nesterov_step(p, g, st[0], 0.1, 0.8, kw.get("weight_decay", 0.0),
                               maximize=kw.get("maximize", False))


def _adagrad(p, g, st, t, kw):
    return G.adagrad_step(p, g, st[0], 0.1, 1e-10, t=t, **kw)


def _rmsprop(p, g, st, t, kw):
    extra = {}
    if kw.get("momentum"):
        extra["momentum_buffer"] = st[1]
    if kw.get("centered"):
        extra["grad_avg"] = st[2]
    return G.rmsprop_step(p, g, st[0], 0.01, 0.9, 1e-8, **kw, **extra)


def _adam(p, g, st, t, kw):
    extra = {"max_v": st[2]} if kw.get("amsgrad") else {}
    return G.adam_step(p, g, st[0], st[1], t, 0.01, 0.9, 0.99, 1e-8, **kw, **extra)


def _adamw(p, g, st, t, kw):
    extra = {"max_v": st[2]} if kw.get("amsgrad") else {}
    return G.adamw_step(p, g, st[0], st[1], t, 0.01, 0.9, 0.99, 1e-8, 0.05, **kw, **extra)


OPTIMIZERS = {  # ours, torch's class and fixed arguments, the flags to combine
    "sgd": (_sgd, torch.optim.SGD, {"lr": 0.1}),
    "momentum": (_momentum, torch.optim.SGD, {"lr": 0.1, "momentum": 0.8}),
    "nesterov": (_nesterov, torch.optim.SGD, {"lr": 0.1, "momentum": 0.8, "nesterov": True}),
    "adagrad": (_adagrad, torch.optim.Adagrad, {"lr": 0.1, "eps": 1e-10}),
    "rmsprop": (_rmsprop, torch.optim.RMSprop, {"lr": 0.01, "alpha": 0.9, "eps": 1e-8}),
    "adam": (_adam, torch.optim.Adam, {"lr": 0.01, "betas": (0.9, 0.99), "eps": 1e-8}),
    "adamw": (_adamw, torch.optim.AdamW, {"lr": 0.01, "betas": (0.9, 0.99), "eps": 1e-8,
                                          "weight_decay": 0.05}),
}

FLAGS = [  # (optimizer, our keyword arguments; torch's are the same names)
    *((name, {"maximize": True}) for name in OPTIMIZERS),
    *((name, {"weight_decay": 0.3}) for name in ("sgd", "momentum", "nesterov", "adagrad",
                                                 "rmsprop", "adam")),
    ("sgd", {"weight_decay": 0.3, "maximize": True}),
    ("adagrad", {"lr_decay": 0.2}),
    ("adagrad", {"lr_decay": 0.2, "weight_decay": 0.1, "maximize": True}),
    ("rmsprop", {"centered": True}),
    ("rmsprop", {"momentum": 0.7}),
    ("rmsprop", {"centered": True, "momentum": 0.7, "weight_decay": 0.1, "maximize": True}),
    ("adam", {"amsgrad": True}),
    ("adam", {"amsgrad": True, "weight_decay": 0.1, "maximize": True}),
    ("adamw", {"amsgrad": True}),
    ("adamw", {"amsgrad": True, "maximize": True}),
]


@pytest.mark.parametrize("name,kw", FLAGS, ids=lambda v: str(v))
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", ["C", "Fortran", "strided"])
def test_optimizer_flags_as_torch_optim_over_six_steps(name, kw, dtype, layout, rng,
                                                      kernel_path):
    if layout == "Fortran" and kernel_path != "reference":
        pytest.skip("Fortran-ordered parameters take the reference path (the fast steps need "
                    "C-contiguous arrays)")
    ours, cls, fixed = OPTIMIZERS[name]
    x0 = rng.standard_normal((3, 4))
    grads = [rng.standard_normal((3, 4)) * 10.0 ** rng.integers(-2, 2) for _ in range(6)]
    tp = torch.nn.Parameter(torch.tensor(x0))
    opt = cls([tp], **fixed, **kw)
    p = as_layout(x0.astype(dtype), layout) if layout != "strided" else x0.astype(dtype)
    if layout == "Fortran":
        p = np.asfortranarray(p)
    st = [np.zeros_like(p) for _ in range(3)]
    for t, g in enumerate(grads, start=1):
        tp.grad = torch.tensor(g)
        opt.step()
        ours(p, as_layout(g.astype(dtype), layout), st, t, kw)
    _close(p, tp, dtype)


def test_optimizer_flag_refusals():
    p, g = np.zeros(3), np.ones(3)
    with pytest.raises(ValueError, match="amsgrad=True needs max_v"):
        G.adam_step(p, g, np.zeros(3), np.zeros(3), 1, amsgrad=True)
    with pytest.raises(ValueError, match="max_v is given but amsgrad"):
        G.adamw_step(p, g, np.zeros(3), np.zeros(3), 1, max_v=np.zeros(3))
    with pytest.raises(ValueError, match="centered=True needs grad_avg"):
        G.rmsprop_step(p, g, np.zeros(3), 0.1, centered=True)
    with pytest.raises(ValueError, match="momentum > 0 needs momentum_buffer"):
        G.rmsprop_step(p, g, np.zeros(3), 0.1, momentum=0.5)
    with pytest.raises(ValueError, match="lr_decay > 0 needs t"):
        G.adagrad_step(p, g, np.zeros(3), 0.1, lr_decay=0.1)
    with pytest.raises(ValueError, match="maximize must be True or False"):
        G.sgd_step(p, g, 0.1, maximize="yes")
    with pytest.raises(ValueError, match="weight_decay must be"):
        G.momentum_step(p, g, np.zeros(3), 0.1, weight_decay=-1.0)
    with pytest.raises(ValueError, match="grad_avg and sq_avg share memory|share memory"):
        s = np.zeros(3)
        G.rmsprop_step(p, g, s, 0.1, centered=True, grad_avg=s)
    # torch's first step is undamped: dampening needs the step count (round 5 takes it)
    with pytest.raises(ValueError, match="dampening needs t"):
        G.momentum_step(p, g, np.zeros(3), 0.1, dampening=0.5)


# ----- Activations: softplus beta / threshold, leaky_relu negative_slope, elu alpha -----


def _activation_input(rng, dtype) -> np.ndarray:
    z = np.concatenate([rng.standard_normal(40) * 4, [0.0, -0.0, 19.9, 20.1, 30.0, -30.0,
                                                      5.0, 10.1, 700.0, -700.0]])
    return z.reshape(5, 10).astype(dtype)


def _against_autograd(ours, ours_grad, theirs, z, dtype, layout, rng):
    tz = _leaf(z)
    want = theirs(tz)
    up = rng.standard_normal(z.shape)
    want.backward(torch.tensor(up))
    Z = as_layout(z, layout)
    _close(ours(Z), want, dtype)
    _close((ours_grad(Z) * up.astype(dtype)).astype(dtype), tz.grad, dtype)


@pytest.mark.parametrize("beta", [1.0, 2.0, 0.5, -1.5])
@pytest.mark.parametrize("threshold", [20.0, 5.0, 0.0])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", ["C", "Fortran"])
def test_softplus_beta_threshold_as_torch(beta, threshold, dtype, layout, rng):
    z = _activation_input(rng, dtype)
    _against_autograd(lambda a: G.softplus(a, beta, threshold),
                      lambda a: G.softplus_grad(a, beta, threshold),
                      lambda t: F.softplus(t, beta, threshold), z, dtype, layout, rng)


@pytest.mark.parametrize("beta", [1.0, 3.0, -2.0])
@pytest.mark.parametrize("dtype", DTYPES)
def test_softplus_without_threshold_is_the_formula_everywhere(beta, dtype, rng):
    z = _activation_input(rng, dtype)
    z[np.abs(z) == 700] /= 7  # torch overflows: log1p(exp(3 · 700)) = ∞; ours is 700
    _against_autograd(lambda a: G.softplus(a, beta), lambda a: G.softplus_grad(a, beta),
                      lambda t: F.softplus(t, beta, threshold=1e9), z, dtype, "C", rng)
    # β = 0 was refused here until round 14; torch's ±∞ and ½ now (round 14's cross-check)


@pytest.mark.parametrize("slope", [0.01, 0.2, -0.5, 1.5])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_leaky_relu_negative_slope_keyword_as_torch(slope, dtype, layout, rng):
    z = _activation_input(rng, dtype)
    _against_autograd(lambda a: G.leaky_relu(a, negative_slope=slope),
                      lambda a: G.leaky_relu_grad(a, negative_slope=slope),
                      lambda t: F.leaky_relu(t, negative_slope=slope), z, dtype, layout, rng)


@pytest.mark.parametrize("alpha", [1.0, 0.3, 2.5])
@pytest.mark.parametrize("dtype", DTYPES)
def test_elu_alpha_keyword_as_torch(alpha, dtype, rng):
    z = _activation_input(rng, dtype)
    _against_autograd(lambda a: G.elu(a, alpha=alpha), lambda a: G.elu_grad(a, alpha=alpha),
                      lambda t: F.elu(t, alpha=alpha), z, dtype, "Fortran", rng)


@pytest.mark.parametrize("approximate", ["none", "tanh"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_gelu_approximate_keyword_as_torch(approximate, dtype, rng):
    z = _activation_input(rng, dtype)[:, :6] / 4  # the tails are round 3's (mpmath)
    _against_autograd(lambda a: G.gelu(a, approximate=approximate),
                      lambda a: G.gelu_grad(a, approximate=approximate),
                      lambda t: F.gelu(t, approximate=approximate), z, dtype, "strided", rng)
    with pytest.raises(ValueError, match="approximate"):
        G.gelu(z, approximate="erf")  # torch's name for it is 'none'


# ----- Losses: reduction='mean' | 'sum' | 'none' -----

REDUCTIONS = ["mean", "sum", "none"]

CE_OPTIONS = [  # (target kind, weight, ignore_index, label_smoothing)
    ("index", False, -100, 0.0),
    ("index", True, 2, 0.0),
    ("index", True, 1, 0.2),
    ("probs", False, -100, 0.1),
    ("probs", True, -100, 0.0),
]


@pytest.mark.parametrize("options", CE_OPTIONS, ids=str)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", ["C", "reversed"])
def test_cross_entropy_reductions_as_torch(options, reduction, dtype, layout, rng):
    kind, weighted, ignore, eps = options
    n, c = 7, 4
    Z = (rng.standard_normal((n, c)) * 3).astype(dtype)
    if kind == "index":
        target = rng.integers(0, c, n)
        target[[1, 4]] = ignore if ignore >= 0 else target[[1, 4]]
        t_target = torch.tensor(target)
    else:
        target = G.softmax(rng.standard_normal((n, c))).astype(dtype)
        t_target = torch.tensor(target.astype(np.float64))
    weight = rng.uniform(0.5, 2, c).astype(dtype) if weighted else None
    tZ = _leaf(Z)
    want = F.cross_entropy(tZ, t_target, None if weight is None else torch.tensor(
        weight.astype(np.float64)), ignore_index=ignore, reduction=reduction,
        label_smoothing=eps)
    up = rng.standard_normal(n) if reduction == "none" else None
    want.backward(torch.tensor(up) if up is not None else None)
    tgt = as_layout(target, layout)
    args = (as_layout(Z, layout), tgt, weight, ignore, eps, reduction)
    loss = G.cross_entropy(*args)
    assert np.asarray(loss).dtype == dtype
    _close(np.asarray(loss), want, dtype)
    grad_up = None if up is None else up.astype(dtype)
    _close(G.cross_entropy_grad(*args, grad_output=grad_up), tZ.grad, dtype)


def test_cross_entropy_sum_and_none_over_ignored_or_empty_rows_as_torch():
    Z, target = np.zeros((2, 3)), np.array([-100, -100])
    for reduction in ("sum", "none"):
        want = F.cross_entropy(torch.tensor(Z), torch.tensor(target), reduction=reduction)
        np.testing.assert_array_equal(G.cross_entropy(Z, target, reduction=reduction), want)
    empty = G.cross_entropy(np.zeros((0, 3)), np.zeros(0, int), reduction="none")
    assert empty.shape == (0,)
    assert G.cross_entropy(np.zeros((0, 3)), np.zeros(0, int), reduction="sum") == 0
    with pytest.raises(ValueError, match="no row counts"):
        G.cross_entropy(Z, target)  # the mean: torch's 0/0 = NaN, documented


@pytest.mark.parametrize("loss", ["huber", "l1"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_huber_l1_reductions_as_torch(loss, reduction, dtype, layout, rng):
    pred = (rng.standard_normal((5, 4)) * 2).astype(dtype)
    target = rng.standard_normal((5, 4)).astype(dtype)
    tp = _leaf(pred)
    if loss == "huber":
        want = F.huber_loss(tp, torch.tensor(target.astype(np.float64)), reduction=reduction,
                            delta=0.7)
        ours, ours_grad, extra = G.huber_loss, G.huber_grad, (0.7,)
    else:
        want = F.l1_loss(tp, torch.tensor(target.astype(np.float64)), reduction=reduction)
        ours, ours_grad, extra = G.l1_loss, G.l1_grad, ()
    up = rng.standard_normal(pred.shape) if reduction == "none" else None
    want.backward(torch.tensor(up) if up is not None else None)
    P, T = as_layout(pred, layout), as_layout(target, layout)
    _close(np.asarray(ours(P, T, *extra, reduction)), want, dtype)
    U = None if up is None else as_layout(up.astype(dtype), layout)
    _close(ours_grad(P, T, *extra, reduction, U), tp.grad, dtype)


def test_reduction_refusals():
    Z, y = np.zeros((2, 3)), np.array([0, 1])
    with pytest.raises(ValueError, match="reduction must be"):
        G.cross_entropy(Z, y, reduction="batchmean")
    with pytest.raises(ValueError, match="needs grad_output"):
        G.cross_entropy_grad(Z, y, reduction="none")
    with pytest.raises(ValueError, match="grad_output is for reduction='none'"):
        G.huber_grad(np.ones(3), np.zeros(3), 1.0, "sum", np.ones(3))
    with pytest.raises(ValueError, match="torch's huber_loss takes reduction third"):
        G.huber_loss(np.ones(3), np.zeros(3), "sum")  # torch's positional order
    with pytest.raises(ValueError, match=r"grad_output has shape \(2,\)"):
        G.l1_grad(np.ones(3), np.zeros(3), "none", np.ones(2))


def test_new_array_arguments_follow_the_library_dtype_rule(rng):
    """A floating argument widens the result (the package's rule): grad_output, a float64
    upstream of float32 losses, gives float64; an integer one does not."""
    Z = rng.standard_normal((4, 3)).astype(np.float32)
    y = np.array([0, 1, 2, 1])
    for u, want in ((np.ones(4), np.float64), (np.ones(4, np.float32), np.float32),
                    (np.ones(4, int), np.float32)):
        assert G.cross_entropy_grad(Z, y, reduction="none", grad_output=u).dtype == want
        assert G.huber_grad(Z[0], Z[1], 1.0, "none", u[:3]).dtype == want
        assert G.l1_grad(Z[0], Z[1], "none", u[:3]).dtype == want
    p = np.zeros(3, np.float32)
    with pytest.raises(ValueError, match="max_v.*dtype|dtype.*max_v"):
        G.adam_step(p, np.ones(3), np.zeros(3, np.float32), np.zeros(3, np.float32), 1,
                    amsgrad=True, max_v=np.zeros(3))
