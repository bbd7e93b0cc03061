"""Every public function of the gradient library against PyTorch: forward values by torch's own
functions (torch.nn.functional, aten), gradients by autograd of torch's forward, optimizer
steps by torch.optim (parameters and state after each of 6 steps), clipping by
torch.nn.utils.clip_grad_norm_.

The truth is torch in float64 on the very values our function receives (a float32 input is
rounded to float32 first), so a float32 result is held to float32 accuracy: within RTOL of the
result's scale, with the input's dtype and the truth's shape, NaN and ±inf where the truth has
them. Where an input is ill-conditioned for float32 (saturated sigmoids, logits in the
hundreds), a float32 result may be as far from the truth as twice torch's own float32 result.

Inputs come as float32 and float64, in four memory layouts (C, Fortran, strided a[:, ::2],
reversed a[::-1]), small and large (≥ 32768 elements, the compiled kernels' threshold), with
batch size 1, and at extremes (logits ±1000, ties, a masked −∞ class, kinks, ±0, 1e±20, ±inf,
NaN), also spread through a large input ("extreme large") so that the kernels' vector loops
see them. The kernel_path fixture (conftest.py) runs each test on the reference, on block-wise
NumPy and on the compiled kernels (forced at every size); strided and reversed inputs, which
no fast path takes, run on the reference only.

Conventions that differ from torch on purpose, as the docstrings say, compared as documented:
* softplus is log(1 + e^z) at every z (torch's is z above its threshold 20, with derivative
  1), so the truth here is torch.logaddexp(z, 0);
* at NaN: relu_grad 0, leaky_relu_grad a, elu_grad NaN, l1_grad NaN, hinge_grad 0 (torch: 1,
  a, 1, 0, −y/N) (test_step_derivatives_at_nan, test_loss_derivatives_at_nan);
* hinge_grad takes the subgradient 0 at the kink y s = 1, as torch's relu(1 − y s) does;
* adam_step / adamw_step with an infinite gradient entry keep mₜ = ±∞, as their formula
  gives; torch's lerp makes it NaN from the second step (the parameter is NaN in both);
* an empty batch is a ValueError where a mean over it would be taken (torch gives NaN);
  where torch returns an empty result, ours does too (test_empty_like_torch).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from layouts import LAYOUTS, as_layout
from quiet import quiet_as_torch

import derivations.gradients as G

torch = pytest.importorskip("torch")
F = torch.nn.functional

FLOATS = [np.float32, np.float64]
RTOL = {np.float32: 1e-5, np.float64: 1e-11}
H = np.float64  # a hyper-parameter given as a NumPy scalar must not promote float32 data


# ----- Inputs, layouts, comparison -----


def _tensor(a, dtype=torch.float64) -> torch.Tensor:
    """A tensor of dtype (with grad) of a float array, int64 of an integer one."""
    a = np.asarray(a)
    if a.dtype.kind in "iub":
        return torch.from_numpy(a.astype(np.int64))
    return torch.tensor(a.astype(np.float64), dtype=dtype, requires_grad=True)


def _numpy(t) -> np.ndarray:
    return t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)


def _close(got, want, dtype, what: str = "", torch_same=None) -> None:
    """got has dtype (int64 for indices) and want's shape, NaN and ±inf where want has them,
    and the rest within RTOL of want's scale (its largest finite magnitude).

    torch_same: torch's own result in got's dtype (float32). Where the input is ill-conditioned
    for that dtype (saturated sigmoids, huge logits), ours may be as far from the truth as torch's
    own float32 result is, twice over; where torch's float32 result is NaN and the truth is not
    (an intermediate overflow, z³ at z = 1e20), ours is not compared."""
    got, want = _numpy(got), _numpy(want)
    assert got.shape == want.shape, f"{what}: shape {got.shape}, expected {want.shape}"
    if want.dtype.kind == "i":
        assert got.dtype == np.int64, f"{what}: dtype {got.dtype}, expected int64"
        np.testing.assert_array_equal(got, want, err_msg=what)
        return
    assert got.dtype == dtype, f"{what}: dtype {got.dtype}, expected {np.dtype(dtype)}"
    rtol = RTOL[dtype]
    scale = np.abs(want[np.isfinite(want)]).max(initial=0.0)
    atol = rtol * scale
    if torch_same is not None:
        same = _numpy(torch_same).astype(np.float64)
        both = np.isfinite(same) & np.isfinite(want)
        atol = max(atol, 2 * np.abs(same[both] - want[both]).max(initial=0.0))
        compared = ~(np.isnan(same) & ~np.isnan(want))
        got, want = got[compared], want[compared]
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, err_msg=what)


def _grad(out: torch.Tensor, wrt: list[torch.Tensor], upstream=None) -> list[torch.Tensor]:
    """∂(Σ upstream ⊙ out)/∂wrt by autograd (upstream: ones by default)."""
    if upstream is None:
        upstream = torch.ones_like(out)
    return list(torch.autograd.grad(out, wrt, upstream, allow_unused=True))


# ----- The table: each case's inputs, our outputs and torch's -----


# "extreme large": the extremes spread through an input large enough for the compiled kernels'
# vector loops (a small input may only reach their scalar tails)
VARIANTS = ("small", "large", "batch1", "extreme", "extreme large")


@dataclass(frozen=True)
class Case:
    inputs: Callable  # (rng, variant) -> dict of NumPy arrays (float64 values, int labels)
    ours: Callable  # (**arrays) -> tuple of our outputs
    torch: Callable  # (**float64 tensors) -> tuple of torch's outputs, in the same order
    variants: tuple[str, ...] = VARIANTS


EXTREME_Z = [0.0, -0.0, 1e-30, -1e-30, 1e-8, -1e-8, 0.5, -0.5, 1.0, -1.0, 3.0, -3.0,
             0.46875 * 2**0.5, -0.46875 * 2**0.5, 4 * 2**0.5, -4 * 2**0.5, 12.0, -12.0,
             19.9, 20.1, -20.1, 30.0, -30.0, 40.0, -40.0, 87.0, -87.0, 100.0, -100.0,
             700.0, -700.0, 1000.0, -1000.0, 1e20, -1e20, np.inf, -np.inf]


def _z(rng, variant):
    if variant == "extreme":
        z = np.resize(np.array(EXTREME_Z), 8 * 6).reshape(8, 6)
        z[-1, -1] = np.nan
        return {"z": z}
    shape = {"small": (37, 23), "large": (256, 160), "batch1": (1, 23),
             "extreme large": (256, 160)}[variant]
    z = rng.standard_normal(shape) * 4
    z.flat[::17] = 0.0  # kinks
    if variant == "extreme large":
        spots = rng.choice(z.size, 20 * len(EXTREME_Z), replace=False)
        z.flat[spots] = np.resize(np.array(EXTREME_Z), spots.size)
        z.flat[spots[:7]] = np.nan
    return {"z": z}


def _z_finite(rng, variant):
    """As _z without NaN (the step derivatives' NaN convention is tested on its own)."""
    out = _z(rng, variant)
    out["z"] = np.nan_to_num(out["z"], nan=0.0, posinf=np.inf, neginf=-np.inf)
    return out


def _logits(rng, variant, c=11):
    n = {"small": 37, "large": 4096, "batch1": 1, "extreme": 8, "extreme large": 4096}[variant]
    c = 10 if "large" in variant else c
    Z = rng.standard_normal((n, c)) * 3
    labels = rng.integers(0, c, n)
    if variant.startswith("extreme"):
        rows = slice(None) if variant == "extreme" else slice(None, None, 3)
        Z[rows, :3] = [1000.0, -1000.0, 1000.0]  # a tie at the top, far from the rest
        Z[1::5] = 0.0  # all equal
        Z[2::7, 5] = -1e4
        Z[3::11, 6] = -np.inf  # a masked class
        labels[:3] = [1, 4, 0]  # the far-below class, a uniform row, a winning class
        labels[3::11] = 7
    up = rng.standard_normal((n, c))
    return {"Z": Z, "labels": labels, "up": up}


def _logits_3d(rng, variant):
    """N × C × 2: the logits and their negatives along a trailing axis (softmax along axis 1)."""
    Z = _logits(rng, variant)["Z"]
    Z = np.stack([Z, -Z], axis=2)
    return {"Z": Z, "up": rng.standard_normal(Z.shape)}


def _regression(rng, variant, y_kind="real"):
    n, d = {"small": (37, 7), "large": (6000, 7), "batch1": (1, 7), "extreme": (9, 4),
            "extreme large": (6000, 7)}[variant]
    X = rng.standard_normal((n, d))
    theta = rng.standard_normal(d)
    if variant.startswith("extreme"):
        X *= 300  # logits Xθ in the hundreds to thousands
        theta[1] = 0.0  # the lasso's kink
    if y_kind == "binary":
        y = (rng.random(n) < 0.5).astype(np.float64)
    elif y_kind == "prob":
        y = rng.random(n)
    else:
        y = rng.standard_normal(n)
    return {"X": X, "y": y, "theta": theta}


def _pair(rng, variant):
    shape = {"small": (23, 19), "large": (256, 160), "batch1": (1, 19), "extreme": (4, 6),
             "extreme large": (256, 162)}[variant]
    pred, target = rng.standard_normal(shape) * 2, rng.standard_normal(shape)
    if variant.startswith("extreme"):
        pred[::2] = target[::2]
        pred[::4] += [0.7, -0.7, 1.0, -1.0, 1e3, -1e3] * (shape[1] // 6)  # Huber's kinks
        pred[1::4] += [0.0, 1e-30, -1e-30, 1e20, -1e20, 0.5] * (shape[1] // 6)
    return {"pred": pred, "target": target}


def _mlp(rng, variant):
    n, d, h, c = {"small": (37, 6, 9, 4), "large": (2048, 16, 20, 5),
                  "batch1": (1, 6, 9, 4), "extreme": (5, 3, 4, 3),
                  "extreme large": (2048, 16, 20, 5)}[variant]
    # extremes: saturated sigmoids, logits in the hundreds
    scale = 40.0 if variant.startswith("extreme") else 1.0
    return {"X": rng.standard_normal((n, d)) * scale, "W": rng.standard_normal((d, h)),
            "V": rng.standard_normal((h, c)) * scale, "labels": rng.integers(0, c, n),
            "y": rng.standard_normal(n), "Y": rng.standard_normal((n, c)),
            "W1": rng.standard_normal((h, d)), "b1": rng.standard_normal(h),
            "W2": rng.standard_normal((c, h)), "b2": rng.standard_normal(c),
            "W2_1": rng.standard_normal((1, h)), "b2_1": rng.standard_normal(1)}


def _images(rng, variant):
    shape = {"small": (2, 3, 9, 8), "large": (2, 4, 64, 64), "batch1": (1, 3, 9, 8),
             "extreme": (1, 2, 6, 6), "extreme large": (2, 4, 64, 64)}[variant]
    x = rng.standard_normal(shape)
    if variant == "extreme":
        x[0, 0, :2, :2] = 1.0  # a tie in one window
        x[0, 0, 4:, :2] = -np.inf  # a window of −∞ only
        x[0, 1, 2:4, :2] = [[1e30, -1e30], [-np.inf, 2.0]]
        x[0, 1, 4:, 4:] = [[np.nan, 5.0], [np.nan, 1.0]]  # NaN wins a max, the last NaN's index
    if variant == "extreme large":
        x = np.round(x)  # ties everywhere
        x.flat[rng.choice(x.size, 50, replace=False)] = np.nan
        x.flat[rng.choice(x.size, 50, replace=False)] = -np.inf
    return {"x": x}


def _norm(rng, variant):
    n, d = {"small": (37, 13), "large": (2048, 20), "batch1": (1, 13), "extreme": (6, 5),
            "extreme large": (2048, 20)}[variant]
    X = 5 + 3 * rng.standard_normal((n, d))
    if variant.startswith("extreme"):
        X[:, 0] = 7.0  # a constant feature: σ² = 0, x̂ = 0
        X[:, 1] *= 1e4
        X[:, 2] += 1e4  # a mean far from 0 beside a small spread
    return {"X": X, "gamma": rng.standard_normal(d), "beta": rng.standard_normal(d),
            "up": rng.standard_normal((n, d))}


def _kl(rng, variant):
    out = _logits(rng, variant)
    P = np.asarray(torch.softmax(torch.tensor(rng.standard_normal(out["Z"].shape)) * 2, 1))
    P[0, :2] = [0.0, P[0, 0] + P[0, 1]]  # 0 · log 0 = 0
    return {"P": P, "log_Q": np.asarray(torch.log_softmax(torch.tensor(out["Z"]), 1))}


def _margins(rng, variant):
    n = {"small": 37, "large": 40000, "batch1": 1, "extreme": 6, "extreme large": 40002}[variant]
    s = rng.standard_normal(n) * 2
    y = np.where(rng.random(n) < 0.5, -1.0, 1.0)
    if variant.startswith("extreme"):  # at the kink y s = 1 from both sides, far out
        s = np.resize([1.0, -1.0, 0.0, 1e3, -1e3, 1 - 1e-7], n)
        y = np.resize([1.0, -1, 1, -1, -1, 1], n)
    return {"s": s, "y": y}


def _dropout(rng, variant):
    out = _z_finite(rng, variant)
    shape = out["z"].shape
    return {**out, "mask": rng.random(shape) < 0.7, "up": rng.standard_normal(shape)}


def _gmm(rng, variant):
    n, d, k = {"small": (37, 3, 4), "large": (12000, 3, 2), "batch1": (1, 3, 4),
               "extreme": (5, 2, 3)}[variant]
    A = rng.standard_normal((k, d, d))
    cov = A @ A.transpose(0, 2, 1) + 0.5 * np.eye(d)
    w = rng.random(k) + 0.1
    X = rng.standard_normal((n, d)) * (30 if variant == "extreme" else 2)
    return {"X": X, "weights": w / w.sum(), "means": rng.standard_normal((k, d)), "cov": cov}


def _softmax_regression(rng, variant):
    n, d, c = {"small": (37, 6, 4), "large": (4096, 10, 8), "batch1": (1, 6, 4),
               "extreme": (5, 3, 3), "extreme large": (4096, 10, 8)}[variant]
    scale = 300.0 if variant.startswith("extreme") else 1.0
    return {"X": rng.standard_normal((n, d)) * scale, "W": rng.standard_normal((d, c)),
            "labels": rng.integers(0, c, n)}


def _conv1d_inputs(rng, variant):
    n, k = {"small": (20, 4), "large": (300, 7), "batch1": (5, 5), "extreme": (3, 3)}[variant]
    return {"h": rng.standard_normal(k), "f": rng.standard_normal(n)}


POOLS = [(2, None), (3, 2), (3, 1)]  # (size, stride): tiling, overlapping, stride 1


def _pool_inputs(rng, variant):
    x = _images(rng, variant)["x"]
    ups = {}
    for k, s in POOLS:
        s = k if s is None else s
        shape = (*x.shape[:2], (x.shape[2] - k) // s + 1, (x.shape[3] - k) // s + 1)
        ups[f"up{k}{s}"] = rng.standard_normal(shape)
    return {"x": x, **ups}


# ----- torch's side of the composite cases -----


def _gmm_torch(X, weights, means, cov):
    mvn = torch.distributions.MultivariateNormal(means, covariance_matrix=cov)
    a = torch.log(weights) + mvn.log_prob(X[:, None, :])  # log φⱼ + log 𝒩(xᵢ | μⱼ, Σⱼ)
    return torch.logsumexp(a, 1).sum(), torch.softmax(a, 1)


def _perceptron_torch(X, y, theta):
    u = X @ theta
    return ((u >= 0).to(u.dtype) - y) @ u  # (h − y)ᵀu; h = 1[u ≥ 0] carries no gradient


def _half_mse(h, y):
    return ((h - y) ** 2).sum() / (2 * h.shape[0])


def _two_layer_torch(X, W, V, labels):
    Z = torch.sigmoid(X @ W)
    logits = Z @ V
    loss = F.cross_entropy(logits, labels)
    return (Z, torch.softmax(logits, 1), loss, *_grad(loss, [W, V]))


def _relu_net_torch(X, y, W1, b1, W2, b2):
    Z = X @ W1.T + b1
    A = torch.relu(Z)
    H = A @ W2.T + b2
    H = H[:, 0] if y.ndim == 1 else H
    loss = _half_mse(H, y)
    return (Z, A, H, loss, *_grad(loss, [W1, b1, W2, b2]))


def _linear_lemmas_ours(X, W1, Y, W2):
    a = np.maximum(X @ W1.T, 0)  # an activation a feeding z = W₂a + b
    return (G.linear_weight_grad(Y, a), G.linear_input_grad(W2, Y),
            G.linear_weight_grad(Y[0], a[0]), G.linear_input_grad(W2, Y[0]))


def _linear_lemmas_torch(X, W1, Y, W2):
    a = torch.relu(X @ W1.T).detach().requires_grad_()
    a0 = a[0].detach().requires_grad_()
    # upstream δ = Y: ∂/∂W₂ and ∂/∂a of Σ δ ⊙ (a W₂ᵀ), for the batch and for one sample
    return (*_grad(F.linear(a, W2), [W2, a], Y), *_grad(F.linear(a0, W2), [W2, a0], Y[0]))


def _norm_ours(forward, backward, X, gamma, beta, up):
    out, cache = forward(X, gamma, beta)
    stats = (cache.mean, cache.inv_std) if forward is G.batchnorm_forward else (cache.inv_std,)
    return (out, *stats, *backward(up, cache))


def _norm_torch(X, gamma, beta, up, batch):
    if batch:  # aten's op: F.batch_norm refuses N = 1, where σ² = 0 and x̂ = 0 are well defined
        out, mean, inv_std = torch.ops.aten.native_batch_norm(X, gamma, beta, None, None, True,
                                                              0.1, 1e-5)
        stats = (mean, inv_std)
    else:
        out, _, inv_std = torch.ops.aten.native_layer_norm(X, [X.shape[1]], gamma, beta, 1e-5)
        stats = (inv_std,)
    return (out, *stats, *_grad(out, [X, gamma, beta], up))


def _conv1d_torch(h, f):
    """np.convolve(f, h, "valid") = the correlation with the flipped kernel."""
    return F.conv1d(f[None, None], h.flip(0)[None, None])[0, 0]


def _pools_ours(pool, pool_grad, x, ups, by_value: bool):
    out = []
    for k, s in POOLS:
        up = ups[f"up{k}{k if s is None else s}"]
        out += [pool(x, k, s), pool_grad(up, x if by_value else x.shape, k, s)]
        if pool is G.max_pool2d:
            y, idx = pool(x, k, s, return_indices=True)
            out += [y, idx, pool_grad(up, x, k, s, indices=idx)]
    return tuple(out)


def _pools_torch(pool, x, ups):
    out = []
    for k, s in POOLS:
        up = ups[f"up{k}{k if s is None else s}"]
        y = pool(x, k, s)
        out += [y, *_grad(y, [x], up)]
        if pool is F.max_pool2d:
            y, idx = pool(x, k, s, return_indices=True)
            out += [y, idx, *_grad(y, [x], up)]
    return tuple(out)


def _activation(ours_f, ours_grad, torch_f, inputs=_z) -> Case:
    """f and f' elementwise; torch's f' is autograd of Σ f(z)."""
    def ours(z):
        return (() if ours_f is None else (ours_f(z),)) + (ours_grad(z),)

    def theirs(z):
        y = torch_f(z)
        return (() if ours_f is None else (y,)) + tuple(_grad(y, [z]))

    return Case(inputs, ours, theirs)


def _loss_and_grad(ours_loss, ours_grad, torch_loss, wrt: str, inputs, **case) -> Case:
    """A scalar loss and its gradient with respect to the argument `wrt`."""
    def theirs(**t):
        loss = torch_loss(**t)
        return (loss, *_grad(loss, [t[wrt]]))

    return Case(inputs, lambda **a: (ours_loss(**a), ours_grad(**a)), theirs, **case)


CASES: dict[str, Case] = {
    # ----- activations: f and f' -----
    "sigmoid": _activation(G.sigmoid, G.sigmoid_grad, torch.sigmoid),
    "tanh_grad": _activation(None, G.tanh_grad, torch.tanh),
    "relu": _activation(G.relu, G.relu_grad, torch.relu, _z_finite),
    "leaky_relu": _activation(lambda z: G.leaky_relu(z, H(0.07)),
                              lambda z: G.leaky_relu_grad(z, H(0.07)),
                              lambda z: F.leaky_relu(z, 0.07), _z_finite),
    "elu": _activation(lambda z: G.elu(z, H(0.7)), lambda z: G.elu_grad(z, H(0.7)),
                       lambda z: F.elu(z, 0.7), _z_finite),
    "gelu": _activation(G.gelu, G.gelu_grad, F.gelu),
    "gelu(tanh)": _activation(lambda z: G.gelu(z, "tanh"), lambda z: G.gelu_grad(z, "tanh"),
                              lambda z: F.gelu(z, approximate="tanh")),
    "silu": _activation(G.silu, G.silu_grad, F.silu),
    # torch's softplus is z itself above its threshold 20: the exact log(1 + eᶻ) is logaddexp
    "softplus": _activation(G.softplus, G.softplus_grad,
                            lambda z: torch.logaddexp(z, torch.zeros_like(z))),
    "relu_backward": Case(
        _dropout, lambda z, up, mask: (G.relu_backward(up, z),),
        lambda z, up, mask: _grad(torch.relu(z), [z], up)),
    "dropout": Case(
        _dropout,
        lambda z, up, mask: (G.dropout(z, mask, H(0.3)), G.dropout_grad(up, mask, H(0.3))),
        lambda z, up, mask: (z * mask / 0.7,
                             torch.ops.aten.native_dropout_backward(up, mask.bool(), 1 / 0.7))),
    # ----- softmax and its VJPs -----
    "softmax": Case(
        _logits,
        lambda Z, labels, up: (G.softmax(Z), G.softmax(Z, axis=0), G.log_softmax(Z),
                               G.log_softmax(Z, axis=0)),
        lambda Z, labels, up: (F.softmax(Z, 1), F.softmax(Z, 0), F.log_softmax(Z, 1),
                               F.log_softmax(Z, 0))),
    "softmax_vjp": Case(
        _logits,
        lambda Z, labels, up: (G.softmax_vjp(up, G.softmax(Z)),
                               G.softmax_vjp(up, G.softmax(Z, 0), axis=0)),
        lambda Z, labels, up: (*_grad(F.softmax(Z, 1), [Z], up),
                               *_grad(F.softmax(Z, 0), [Z], up))),
    "log_softmax_vjp": Case(
        _logits,
        lambda Z, labels, up: (G.log_softmax_vjp(up, G.log_softmax(Z)),
                               G.log_softmax_vjp(up, G.log_softmax(Z, 0), axis=0)),
        lambda Z, labels, up: (*_grad(F.log_softmax(Z, 1), [Z], up),
                               *_grad(F.log_softmax(Z, 0), [Z], up))),
    "softmax(3-D)": Case(
        _logits_3d,
        lambda Z, up: (G.softmax(Z, 1), G.log_softmax(Z, 1), G.softmax_vjp(up, G.softmax(Z, 1), 1),
                       G.log_softmax_vjp(up, G.log_softmax(Z, 1), 1)),
        lambda Z, up: (F.softmax(Z, 1), F.log_softmax(Z, 1), *_grad(F.softmax(Z, 1), [Z], up),
                       *_grad(F.log_softmax(Z, 1), [Z], up))),
    # ----- classification losses -----
    "softmax_cross_entropy": _loss_and_grad(
        lambda Z, labels, up: G.softmax_cross_entropy(Z, labels),
        lambda Z, labels, up: G.softmax_cross_entropy_grad(Z, labels),
        lambda Z, labels, up: F.cross_entropy(Z, labels), "Z", _logits),
    "cross_entropy": _loss_and_grad(
        lambda Z, labels, up: G.cross_entropy(Z, labels),
        lambda Z, labels, up: G.cross_entropy_grad(Z, labels),
        lambda Z, labels, up: F.cross_entropy(Z, labels), "Z", _logits),
    "kl_divergence": _loss_and_grad(
        G.kl_divergence, G.kl_divergence_grad,
        lambda P, log_Q: F.kl_div(log_Q, P, reduction="batchmean"), "log_Q", _kl),
    "hinge": _loss_and_grad(
        lambda s, y: G.hinge_loss(s, y), lambda s, y: G.hinge_grad(s, y),
        lambda s, y: torch.relu(1 - y * s).mean(), "s", _margins),
    "logistic": _loss_and_grad(
        G.logistic_loss, G.logistic_grad,
        lambda X, y, theta: F.binary_cross_entropy_with_logits(X @ theta, y), "theta",
        lambda rng, v: _regression(rng, v, "binary")),
    "logistic_mse": _loss_and_grad(
        G.logistic_mse_loss, G.logistic_mse_grad,
        lambda X, y, theta: _half_mse(torch.sigmoid(X @ theta), y), "theta",
        lambda rng, v: _regression(rng, v, "prob")),
    "perceptron": _loss_and_grad(
        G.perceptron_loss, G.perceptron_grad, _perceptron_torch, "theta",
        lambda rng, v: _regression(rng, v, "binary")),
    "softmax_regression": _loss_and_grad(
        G.softmax_regression_loss, G.softmax_regression_grad,
        lambda X, W, labels: F.cross_entropy(X @ W, labels), "W", _softmax_regression),
    # ----- regression -----
    "linear_regression": _loss_and_grad(
        G.linear_regression_loss, G.linear_regression_grad,
        lambda X, y, theta: F.mse_loss(X @ theta, y), "theta", _regression),
    "ridge": _loss_and_grad(
        lambda X, y, theta: G.ridge_loss(X, y, theta, H(0.3)),
        lambda X, y, theta: G.ridge_grad(X, y, theta, H(0.3)),
        lambda X, y, theta: _half_mse(X @ theta, y) + 0.3 * theta @ theta, "theta", _regression),
    "lasso": _loss_and_grad(
        lambda X, y, theta: G.lasso_loss(X, y, theta, H(0.3)),
        lambda X, y, theta: G.lasso_subgrad(X, y, theta, H(0.3)),
        lambda X, y, theta: _half_mse(X @ theta, y) + 0.3 * theta.abs().sum(), "theta",
        _regression),
    "normal_equation": Case(
        _regression,
        lambda X, y, theta: (G.normal_equation(X, y),),
        lambda X, y, theta: (torch.linalg.lstsq(X, y[:, None], driver="gelsd").solution[:, 0],),
        variants=("small", "large", "extreme")),
    "huber": _loss_and_grad(
        lambda pred, target: G.huber_loss(pred, target, H(0.7)),
        lambda pred, target: G.huber_grad(pred, target, H(0.7)),
        lambda pred, target: F.huber_loss(pred, target, delta=0.7), "pred", _pair),
    "huber(δ = 1)": _loss_and_grad(
        G.huber_loss, G.huber_grad, lambda pred, target: F.huber_loss(pred, target), "pred",
        _pair),
    "l1": _loss_and_grad(G.l1_loss, G.l1_grad, lambda pred, target: F.l1_loss(pred, target),
                         "pred", _pair),
    # ----- networks -----
    "two_layer": Case(
        _mlp,
        lambda X, W, V, labels, **_: (*G.two_layer_forward(X, W, V, labels),
                                      *G.two_layer_grads(X, W, V, labels)),
        lambda X, W, V, labels, **_: _two_layer_torch(X, W, V, labels)),
    "relu_net": Case(
        _mlp,
        lambda X, Y, W1, b1, W2, b2, **_: (*G.relu_net_forward(X, Y, W1, b1, W2, b2),
                                           *G.relu_net_grads(X, Y, W1, b1, W2, b2)),
        lambda X, Y, W1, b1, W2, b2, **_: _relu_net_torch(X, Y, W1, b1, W2, b2)),
    "relu_net(1-D y)": Case(
        _mlp,
        lambda X, y, W1, b1, W2_1, b2_1, **_: (*G.relu_net_forward(X, y, W1, b1, W2_1, b2_1),
                                               *G.relu_net_grads(X, y, W1, b1, W2_1, b2_1)),
        lambda X, y, W1, b1, W2_1, b2_1, **_: _relu_net_torch(X, y, W1, b1, W2_1, b2_1)),
    "linear_lemmas": Case(
        _mlp,
        lambda X, W1, Y, W2, **_: _linear_lemmas_ours(X, W1, Y, W2),
        lambda X, W1, Y, W2, **_: _linear_lemmas_torch(X, W1, Y, W2)),
    # ----- mixtures -----
    "gmm": Case(
        _gmm,
        lambda X, weights, means, cov: (G.gmm_log_likelihood(X, weights, means, cov),
                                        G.gmm_responsibilities(X, weights, means, cov)),
        _gmm_torch, variants=("small", "large", "batch1", "extreme")),
    # ----- normalisation -----
    "batchnorm": Case(
        _norm,
        lambda X, gamma, beta, up: _norm_ours(G.batchnorm_forward, G.batchnorm_backward,
                                              X, gamma, beta, up),
        lambda X, gamma, beta, up: _norm_torch(X, gamma, beta, up, batch=True)),
    "layernorm": Case(
        _norm,
        lambda X, gamma, beta, up: _norm_ours(G.layernorm_forward, G.layernorm_backward,
                                              X, gamma, beta, up),
        lambda X, gamma, beta, up: _norm_torch(X, gamma, beta, up, batch=False)),
    # ----- convolution matrix and pooling (conv2d has its own test below) -----
    "conv1d_matrix": Case(
        _conv1d_inputs,
        lambda h, f: (G.conv1d_matrix(h, f.shape[0]), G.conv1d_matrix(h, f.shape[0]) @ f),
        lambda h, f: (torch.autograd.functional.jacobian(lambda v: _conv1d_torch(h, v), f),
                      _conv1d_torch(h, f)),
        variants=("small", "large", "batch1", "extreme")),
    "avg_pool2d": Case(
        _pool_inputs,
        lambda x, **ups: _pools_ours(G.avg_pool2d, G.avg_pool2d_grad, x, ups, by_value=False),
        lambda x, **ups: _pools_torch(F.avg_pool2d, x, ups)),
    "max_pool2d": Case(
        _pool_inputs,
        lambda x, **ups: _pools_ours(G.max_pool2d, G.max_pool2d_grad, x, ups, by_value=True),
        lambda x, **ups: _pools_torch(F.max_pool2d, x, ups)),
}



_TORCH: dict[tuple, tuple[np.ndarray, ...]] = {}  # torch's results by (key, torch dtype)


def _torch_results(key: tuple, theirs: Callable, arrays: dict, dtype) -> tuple[np.ndarray, ...]:
    """theirs(**arrays as tensors of dtype), as NumPy arrays, once per key: the same values in
    another layout, or on another kernel path, have the same results."""
    if (key, dtype) not in _TORCH:
        out = theirs(**{k: _tensor(v, dtype) for k, v in arrays.items()})
        _TORCH[key, dtype] = tuple(_numpy(t) for t in out)
    return _TORCH[key, dtype]


def _compare(key: tuple, got: tuple, theirs: Callable, arrays: dict, dtype) -> None:
    """Our outputs against theirs(**arrays as float64 tensors), output by output; a float32
    mismatch is judged again against torch's own float32 error (see _close). key: what fixes
    the values of arrays (the case, its variant, dtype, options), not their layout."""
    name = key[0]
    want = _torch_results(key, theirs, arrays, torch.float64)
    assert len(got) == len(want), f"{name}: {len(got)} outputs, torch has {len(want)}"
    try:
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            _close(g, w, dtype, f"{name} output {i}")
    except AssertionError:
        if dtype != np.float32:
            raise
        same = _torch_results(key, theirs, arrays, torch.float32)
        for i, (g, w, t) in enumerate(zip(got, want, same, strict=True)):
            _close(g, w, dtype, f"{name} output {i}", t)


def _prepared(raw: dict, dtype, layout: str) -> dict:
    """The values our function sees: floats rounded to dtype, in the layout under test."""
    return {k: as_layout(v.astype(dtype) if v.dtype.kind == "f" else v, layout)
            for k, v in raw.items()}


def _only_reference_sees(layout: str, kernel_path: str, variant: str = "") -> None:
    """A fast path takes C-contiguous arrays (a few copy a Fortran-ordered one first): strided
    and reversed inputs run on the reference path only, and so does a Fortran-ordered one on
    block-wise NumPy; the compiled kernels see it when it is large."""
    if kernel_path == "reference" or layout == "C":
        return
    if not (kernel_path == "compiled" and layout == "Fortran" and variant == "large"):
        pytest.skip(f"a {layout} input takes the reference path")


CASE_PARAMS = [
    pytest.param(name, variant, layout, id=f"{name}-{variant}-{layout}")
    for name, case in CASES.items()
    for variant in case.variants
    for layout in {"small": LAYOUTS, "large": ["C", "Fortran"], "extreme large": ["C"]}.get(
        variant, ["C", "strided"])
]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize(("name", "variant", "layout"), CASE_PARAMS)
def test_against_torch(name, variant, layout, dtype, rng, kernel_path):
    _only_reference_sees(layout, kernel_path, variant)
    case = CASES[name]
    arrays = _prepared(case.inputs(rng, variant), dtype, layout)
    with quiet_as_torch():  # inf − inf and the like at the extremes: NaN, silently as torch
        got = case.ours(**arrays)
    _compare((name, variant, dtype), got, case.torch, arrays, dtype)


# ----- conv2d: padding, stride, dilation, bias -----

CONV_GEOMETRIES = [  # (stride, padding, dilation, bias, kernel kh × kw)
    (1, 0, 1, False, (3, 3)), (1, 1, 1, True, (3, 3)), (2, 1, 1, True, (3, 3)),
    (1, 2, 2, False, (3, 3)), (2, 0, 2, True, (3, 3)),
    (3, 4, 1, True, (3, 3)),  # padding beyond kernel − 1
    (1, 1, 1, True, (2, 3)), (2, 1, 1, False, (3, 1)),  # kernels that are not square
]


@pytest.mark.parametrize("geometry", CONV_GEOMETRIES, ids=lambda g: "s{}p{}d{}{}k{}x{}".format(
    *g[:3], "b" if g[3] else "", *g[4]))
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize(("variant", "layout"), [("small", layout) for layout in LAYOUTS]
                         + [("large", "C"), ("large", "Fortran"), ("batch1", "C")])
def test_conv2d(variant, layout, dtype, geometry, rng, kernel_path):
    _only_reference_sees(layout, kernel_path, variant)
    s, p, d, with_bias, (kh, kw) = geometry
    x = _images(rng, variant)["x"]
    w = rng.standard_normal((5, x.shape[1], kh, kw))
    ho, wo = ((n + 2 * p - d * (k - 1) - 1) // s + 1
              for n, k in zip(x.shape[2:], (kh, kw), strict=True))
    raw = {"x": x, "w": w, "b": rng.standard_normal(5),
           "up": rng.standard_normal((x.shape[0], 5, ho, wo))}
    a = _prepared(raw, dtype, layout)
    b = a["b"] if with_bias else None
    got = (G.conv2d(a["x"], a["w"], s, p, d, b),
           G.conv2d_grad_input(a["up"], a["w"], a["x"].shape, s, p, d),
           G.conv2d_grad_weight(a["x"], a["up"], a["w"].shape, s, p, d),
           G.conv2d_grad_bias(a["up"]))

    def theirs(x, w, b, up):
        out = F.conv2d(x, w, b, stride=s, padding=p, dilation=d)  # b's gradient with or without
        return (F.conv2d(x, w, b if with_bias else None, stride=s, padding=p, dilation=d),
                *_grad(out, [x, w, b], up))

    _compare(("conv2d", variant, dtype, geometry), got, theirs, a, dtype)


# ----- cross-entropy: class weights, label smoothing, ignore_index, soft targets -----

TARGETS = ["labels", "ignore -100", "ignore class 2", "probabilities"]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("smoothing", [0.0, 0.3])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize(("variant", "layout"), [("small", "C"), ("small", "strided"),
                                                 ("large", "C"), ("extreme", "C")])
def test_cross_entropy_options(variant, layout, dtype, weighted, smoothing, target, rng,
                               kernel_path):
    _only_reference_sees(layout, kernel_path)
    raw = _logits(rng, variant)
    n, c = raw["Z"].shape
    ignore = 2 if target == "ignore class 2" else -100
    labels = raw["labels"]
    if target == "ignore -100":
        labels[1::3] = -100
    raw = {"Z": raw["Z"], "w": rng.random(c) + 0.5}
    if target == "probabilities":
        raw["target"] = np.asarray(torch.softmax(torch.tensor(rng.standard_normal((n, c))), 1))
    else:
        raw["target"] = labels
    a = _prepared(raw, dtype, layout)
    w = a["w"] if weighted else None
    got = (G.cross_entropy(a["Z"], a["target"], w, ignore, smoothing),
           G.cross_entropy_grad(a["Z"], a["target"], w, ignore, smoothing))

    def theirs(Z, w, target):
        loss = F.cross_entropy(Z, target, w.detach() if weighted else None, ignore_index=ignore,
                               label_smoothing=smoothing)
        return (loss, *_grad(loss, [Z]))

    _compare(("cross_entropy", variant, dtype, weighted, smoothing, target), got, theirs, a,
             dtype)


# ----- optimizers: several steps of torch.optim, parameters and state -----

# name: (our step(params, grad, *state, t), how many state arrays, torch's optimizer, the keys
# of its state in the same order). Some hyper-parameters are NumPy float64 scalars: float32
# parameters must stay float32.
OPTIMIZERS = {
    "sgd": (lambda p, g, t: G.sgd_step(p, g, H(0.1)), 0,
            lambda ps: torch.optim.SGD(ps, lr=0.1), ()),
    "momentum": (lambda p, g, v, t: G.momentum_step(p, g, v, H(0.1), H(0.9)), 1,
                 lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9), ("momentum_buffer",)),
    "nesterov": (lambda p, g, v, t: G.sgd_nesterov_step(p, g, v, 0.1, 0.9, H(0.01)), 1,
                 lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True,
                                            weight_decay=0.01), ("momentum_buffer",)),
    "adagrad": (lambda p, g, r, t: G.adagrad_step(p, g, r, 0.1), 1,
                lambda ps: torch.optim.Adagrad(ps, lr=0.1), ("sum",)),
    "rmsprop": (lambda p, g, r, t: G.rmsprop_step(p, g, r, 0.01, beta=H(0.9999)), 1,
                lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.9999), ("square_avg",)),
    "adam": (lambda p, g, m, v, t: G.adam_step(p, g, m, v, t, lr=0.01, beta2=H(0.9999)), 2,
             lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.9, 0.9999)),
             ("exp_avg", "exp_avg_sq")),
    "adamw": (lambda p, g, m, v, t: G.adamw_step(p, g, m, v, t, lr=H(0.01),
                                                 weight_decay=H(0.1)), 2,
              lambda ps: torch.optim.AdamW(ps, lr=0.01, weight_decay=0.1),
              ("exp_avg", "exp_avg_sq")),
}
STEPS = 6


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize(("size", "layout"), [("small", layout) for layout in LAYOUTS]
                         + [("large", "C"), ("one", "C")])
def _torch_trajectory(name: str, p0: np.ndarray, grads: list[np.ndarray]) -> list[tuple]:
    """torch.optim's (parameters, *state) after each step, in float64, once per optimizer and
    values (cached under the same key as _compare's results)."""
    key = ("optimizer", name, p0.dtype, p0.shape)
    if (key, torch.float64) not in _TORCH:
        _, _, make, state_names = OPTIMIZERS[name]
        theirs = torch.nn.Parameter(torch.tensor(p0.astype(np.float64)))
        opt = make([theirs])
        trajectory = []
        for g in grads:
            theirs.grad = torch.tensor(g.astype(np.float64))
            opt.step()
            state = opt.state[theirs]
            trajectory.append(tuple(_numpy(t).copy() for t in
                                    (theirs, *(state[k] for k in state_names))))
        _TORCH[key, torch.float64] = trajectory
    return _TORCH[key, torch.float64]


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize(("size", "layout"), [("small", layout) for layout in LAYOUTS]
                         + [("large", "C"), ("one", "C")])
def test_optimizer_steps(name, dtype, size, layout, rng, kernel_path):
    _only_reference_sees(layout, kernel_path)
    ours_step, n_state, _, state_names = OPTIMIZERS[name]
    shape = {"small": (40, 25), "large": (256, 160), "one": (1,)}[size]
    p0 = rng.standard_normal(shape).astype(dtype)
    grads = [rng.standard_normal(shape) * 3 for _ in range(STEPS)]
    for g in grads:
        g.flat[::7] = 0.0  # entries that do not move this step
    grads = [g.astype(dtype) for g in grads]
    params = as_layout(p0, layout)
    state = [as_layout(np.zeros(shape, dtype), layout) for _ in range(n_state)]
    for t, (g, want) in enumerate(zip(grads, _torch_trajectory(name, p0, grads), strict=True), 1):
        ours_step(params, as_layout(g, layout), *state, t)
        _close(params, want[0], dtype, what=f"{name} params after step {t}")
        for ours, theirs, key in zip(state, want[1:], state_names, strict=True):
            _close(ours, theirs, dtype, what=f"{name} {key} after step {t}")
    if name == "adam":  # m̂ and v̂ as torch's step uses them
        m_hat, v_hat = G.adam_bias_corrected(*state, STEPS, 0.9, 0.9999)
        _close(m_hat, want[1] / (1 - 0.9**STEPS), dtype, what="m̂")
        _close(v_hat, want[2] / (1 - 0.9999**STEPS), dtype, what="v̂")


# ----- clip_grad_norm_ -----


@pytest.mark.one_path  # clip_grad_norm has no fast path: every kernel path runs the same code
@pytest.mark.parametrize("fill", ["normal", "nan", "inf"])
@pytest.mark.parametrize("max_norm", [1.0, 1e6])  # clips, does not clip
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_clip_grad_norm(layout, dtype, max_norm, fill, rng, kernel_path):
    _only_reference_sees(layout, kernel_path)
    raw = [rng.standard_normal((40, 25)), rng.standard_normal(7), rng.standard_normal((256, 160))]
    if fill != "normal":
        raw[1][3] = np.nan if fill == "nan" else np.inf
    ours = [_prepared({"g": g}, dtype, layout)["g"] for g in raw]
    params = [torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.float64)) for g in ours]
    for p, g in zip(params, ours, strict=True):
        p.grad = torch.tensor(g.astype(np.float64))
    with np.errstate(invalid="ignore"):  # inf · 0
        norm = G.clip_grad_norm(ours, max_norm)
    want = torch.nn.utils.clip_grad_norm_(params, max_norm)
    assert isinstance(norm, np.floating) and norm.dtype == dtype  # torch's: the grads' dtype
    # float32 gradients: their squares summed to float32 accuracy
    assert norm == pytest.approx(float(want), rel=RTOL[dtype], nan_ok=True)
    for i, (g, p) in enumerate(zip(ours, params, strict=True)):
        _close(g, p.grad, dtype, what=f"grads[{i}]")


# ----- empty batches and empty class axes, where torch returns empty results -----

EMPTY = {
    "softmax, no classes": (lambda x: (G.softmax(x), G.log_softmax(x)),
                            lambda x: (F.softmax(x, 1), F.log_softmax(x, 1)), (3, 0)),
    "conv2d, no images": (
        lambda x: (G.conv2d(x, np.ones((3, 2, 3, 3), x.dtype)),
                   G.conv2d_grad_input(np.zeros((0, 3, 3, 3), x.dtype),
                                       np.ones((3, 2, 3, 3), x.dtype), x.shape),
                   G.conv2d_grad_weight(x, np.zeros((0, 3, 3, 3), x.dtype), (3, 2, 3, 3)),
                   G.conv2d_grad_bias(np.zeros((0, 3, 3, 3), x.dtype))),
        lambda x: (out := F.conv2d(x, w := torch.ones((3, 2, 3, 3), dtype=x.dtype,
                                                      requires_grad=True),
                                   b := torch.zeros(3, dtype=x.dtype, requires_grad=True)),
                   *_grad(out, [x, w, b])),
        (0, 2, 5, 5)),
    "pooling, no images": (
        lambda x: (G.max_pool2d(x, 2), G.max_pool2d_grad(np.zeros((0, 2, 2, 2), x.dtype), x, 2),
                   G.avg_pool2d(x, 2), G.avg_pool2d_grad(np.zeros((0, 2, 2, 2), x.dtype),
                                                         x.shape, 2)),
        lambda x: (y := F.max_pool2d(x, 2), *_grad(y, [x]), a := F.avg_pool2d(x, 2),
                   *_grad(a, [x])),
        (0, 2, 4, 4)),
}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", sorted(EMPTY))
def test_empty_like_torch(name, dtype):
    ours, theirs, shape = EMPTY[name]
    x = np.zeros(shape, dtype)
    with np.errstate(all="raise"):  # no warning either
        got = ours(x)
    _compare((name, dtype), got, theirs, {"x": x}, dtype)


# ----- documented conventions where torch differs -----


def test_step_derivatives_at_nan():
    # the docstrings' formulas at NaN: 1[NaN > 0] = 0, a, α e^NaN = NaN (torch: 1, a, 1)
    z = np.array([np.nan, 0.0, -0.0, 1.0, -1.0])
    np.testing.assert_array_equal(G.relu_grad(z), [0, 0, 0, 1, 0])
    np.testing.assert_array_equal(G.leaky_relu_grad(z, 0.07), [0.07, 0.07, 0.07, 1, 0.07])
    np.testing.assert_allclose(G.elu_grad(z, 0.7), [np.nan, 0.7, 0.7, 1, 0.7 * np.exp(-1)],
                               rtol=1e-15)


def test_loss_derivatives_at_nan():
    # sign(NaN) = NaN (torch's sign gives 0); the hinge's 1[y s < 1] is 0 at NaN (torch's relu
    # passes −y/N); Huber's clip keeps NaN, as torch does
    pred, target = np.array([np.nan, 2.0, -2.0]), np.zeros(3)
    np.testing.assert_array_equal(G.l1_grad(pred, target), [np.nan, 1 / 3, -1 / 3])
    np.testing.assert_array_equal(G.hinge_grad(pred, np.ones(3)), [0, 0, -1 / 3])
    np.testing.assert_array_equal(G.huber_grad(pred, target), [np.nan, 1 / 3, -1 / 3])


@pytest.mark.parametrize("step", [G.adam_step, G.adamw_step])
def test_adam_moment_at_an_infinite_gradient(step):
    # mₜ = β₁mₜ₋₁ + (1 − β₁)g stays ±∞ (torch's lerp gives NaN from the second step); the
    # parameters are NaN in both, and the finite entries move as torch's
    p, m, v = np.ones(3), np.zeros(3), np.zeros(3)
    theirs = torch.nn.Parameter(torch.ones(3, dtype=torch.float64))
    opt = (torch.optim.Adam if step is G.adam_step else torch.optim.AdamW)([theirs], lr=0.1)
    g = np.array([np.inf, -np.inf, 2.0])
    with np.errstate(invalid="ignore"):
        for t in (1, 2):
            step(p, g, m, v, t, lr=0.1)
            theirs.grad = torch.tensor(g)
            opt.step()
    np.testing.assert_array_equal(m[:2], [np.inf, -np.inf])
    _close(p, theirs, np.float64, "params")
    _close(m[2:], opt.state[theirs]["exp_avg"][2:], np.float64, "finite m")
