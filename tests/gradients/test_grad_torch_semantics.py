"""What each documented argument means, against torch's own functions (skipped without torch;
test_grad_semantics.py and test_grad_arguments.py pin the same conventions without it):

* cross-entropy over every combination of class weights (some 0), ignore_index (rows of
  −100, a class that occurs, one that does not), label smoothing (0, 0.1, 1) and class-index
  or probability targets, at N and C down to 1: the same loss and gradient as
  F.cross_entropy, and a ValueError wherever torch raises or has no mean (NaN);
* the edges torch.optim accepts (lr = 0, momentum 0, ε = 0, β = 0) give its trajectory; what
  it refuses is a ValueError naming the argument;
* dropout at p = 1, and the subgradient torch's autograd takes at each kink.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import derivations.gradients as G

torch = pytest.importorskip("torch")
F = torch.nn.functional


def _t(a, grad: bool = False) -> torch.Tensor:
    a = np.asarray(a)
    if a.dtype.kind in "iub":
        return torch.from_numpy(a.astype(np.int64))
    return torch.tensor(a.astype(np.float64), requires_grad=grad)


def _close(got, want) -> None:
    want = want.detach().numpy() if isinstance(want, torch.Tensor) else np.asarray(want)
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-13)


# ----- cross-entropy: weights × ignore_index × label smoothing × targets -----


def _cross_entropy_case(rng, n, c, weight, ignore, target):
    labels = rng.integers(0, c, n)
    ignore_index = -100
    if ignore == "rows of -100":
        labels[1::3] = -100
    elif ignore == "a class":
        ignore_index = c - 1
    elif ignore == "an absent class":
        ignore_index = c + 5
    w = None if weight == "none" else rng.random(c) + 0.5
    if weight == "one zero":
        w[0] = 0.0
    if target == "probabilities":
        t = rng.random((n, c)) + 0.1
        return w, ignore_index, t / t.sum(axis=1, keepdims=True)
    return w, ignore_index, labels


@pytest.mark.parametrize("target", ["indices", "probabilities"])
@pytest.mark.parametrize("ignore", ["rows of -100", "a class", "an absent class"])
@pytest.mark.parametrize("weight", ["none", "random", "one zero"])
@pytest.mark.parametrize(("n", "c"), [(1, 1), (1, 3), (7, 1), (7, 2), (7, 5)])
def test_cross_entropy_options_as_torch(n, c, weight, ignore, target, rng):
    Z = rng.standard_normal((n, c)) * 2
    w, ignore_index, tgt = _cross_entropy_case(rng, n, c, weight, ignore, target)
    for smoothing in (0.0, 0.1, 1.0):
        Zt = _t(Z, grad=True)
        try:
            loss = F.cross_entropy(Zt, _t(tgt), None if w is None else _t(w),
                                   ignore_index=ignore_index, label_smoothing=smoothing)
        except RuntimeError:  # e.g. "ignore_index is not supported for floating point target"
            loss = None
        if loss is None or not torch.isfinite(loss):  # refused, or no row counts (0/0)
            for fn in (G.cross_entropy, G.cross_entropy_grad):
                with pytest.raises(ValueError, match="ignore_index|no row counts"):
                    fn(Z, tgt, w, ignore_index, smoothing)
            continue
        (grad,) = torch.autograd.grad(loss, Zt)
        _close(G.cross_entropy(Z, tgt, w, ignore_index, smoothing), loss)
        _close(G.cross_entropy_grad(Z, tgt, w, ignore_index, smoothing), grad)


# ----- optimizers: what torch.optim refuses, and the edges it accepts -----

P0 = np.array([0.5, -1.0, 2.0, 0.0])
REFUSED = [  # (our step, torch's optimizer, the argument both name)
    (lambda: G.sgd_step(P0.copy(), P0, -0.1), lambda p: torch.optim.SGD(p, lr=-0.1), "lr"),
    (lambda: G.momentum_step(P0.copy(), P0, np.zeros(4), 0.1, -0.5),
     lambda p: torch.optim.SGD(p, lr=0.1, momentum=-0.5), "rho"),
    (lambda: G.sgd_nesterov_step(P0.copy(), P0, np.zeros(4), 0.1, 0.0),
     lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.0, nesterov=True), "rho"),
    (lambda: G.sgd_nesterov_step(P0.copy(), P0, np.zeros(4), 0.1, 0.9, -1e-2),
     lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=-1e-2),
     "weight_decay"),
    (lambda: G.adagrad_step(P0.copy(), P0, np.zeros(4), -0.1),
     lambda p: torch.optim.Adagrad(p, lr=-0.1), "lr"),
    (lambda: G.rmsprop_step(P0.copy(), P0, np.zeros(4), -0.1),
     lambda p: torch.optim.RMSprop(p, lr=-0.1), "lr"),
    (lambda: G.adam_step(P0.copy(), P0, np.zeros(4), np.zeros(4), 1, lr=-1e-3),
     lambda p: torch.optim.Adam(p, lr=-1e-3), "lr"),
    (lambda: G.adamw_step(P0.copy(), P0, np.zeros(4), np.zeros(4), 1, weight_decay=-1e-2),
     lambda p: torch.optim.AdamW(p, weight_decay=-1e-2), "weight_decay"),
]


@pytest.mark.parametrize(("ours", "theirs", "name"), REFUSED,
                         ids=["sgd lr", "momentum", "nesterov momentum 0", "nesterov decay",
                              "adagrad lr", "rmsprop lr", "adam lr", "adamw decay"])
def test_what_torch_optim_refuses_is_refused(ours, theirs, name):
    with pytest.raises(ValueError):
        theirs([torch.nn.Parameter(torch.zeros(4))])
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        ours()


EDGES = {  # our step(params, grad, state, t) and torch's optimizer, at the edges torch accepts
    "sgd lr 0": (lambda p, g, s, t: G.sgd_step(p, g, 0.0), 0,
                 lambda ps: torch.optim.SGD(ps, lr=0.0)),
    "momentum 0": (lambda p, g, s, t: G.momentum_step(p, g, *s, 0.1, 0.0), 1,
                   lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.0)),
    "nesterov with decay": (lambda p, g, s, t: G.sgd_nesterov_step(p, g, *s, 0.1, 0.5, 0.1), 1,
                            lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.5, nesterov=True,
                                                       weight_decay=0.1)),
    "adagrad eps 0": (lambda p, g, s, t: G.adagrad_step(p, g, *s, 0.1, 0.0), 1,
                      lambda ps: torch.optim.Adagrad(ps, lr=0.1, eps=0.0)),
    "rmsprop beta 0": (lambda p, g, s, t: G.rmsprop_step(p, g, *s, 0.01, 0.0, 0.1), 1,
                       lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.0, eps=0.1)),
    "adam betas 0": (lambda p, g, s, t: G.adam_step(p, g, *s, t, 0.01, 0.0, 0.0, 0.1), 2,
                     lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.0, 0.0), eps=0.1)),
    "adamw lr 0": (lambda p, g, s, t: G.adamw_step(p, g, *s, t, 0.0, weight_decay=0.5), 2,
                   lambda ps: torch.optim.AdamW(ps, lr=0.0, weight_decay=0.5)),
}


@pytest.mark.parametrize("name", sorted(EDGES))
def test_optimizer_edges_as_torch(name, rng):
    ours, n_state, make = EDGES[name]
    params, state = rng.standard_normal(6), [np.zeros(6) for _ in range(n_state)]
    theirs = torch.nn.Parameter(_t(params))
    optimizer = make([theirs])
    for t in range(1, 5):
        g = rng.standard_normal(6)
        if t > 1:  # an entry that does not move this step (ε = 0: not 0/0 at the first)
            g[t] = 0.0
        ours(params, g, state, t)
        theirs.grad = _t(g)
        optimizer.step()
        _close(params, theirs)


# ----- dropout at p = 1 and the kinks -----


def test_dropout_at_p_one_as_torch(rng):
    x, up = rng.standard_normal(9), rng.standard_normal(9)
    xt = _t(x, grad=True)
    out = F.dropout(xt, p=1.0)
    (grad,) = torch.autograd.grad(out, xt, _t(up))
    mask = np.zeros(9, bool)
    np.testing.assert_array_equal(G.dropout(x, mask, 1.0), out.detach().numpy())
    np.testing.assert_array_equal(G.dropout_grad(up, mask, 1.0), grad.numpy())


def _autograd(f, *arrays, wrt: int = 0):
    ts = [_t(a, grad=i == wrt) for i, a in enumerate(arrays)]
    out = f(*ts)
    return out, torch.autograd.grad(out.sum(), ts[wrt])[0]


Z_KINKS = np.array([0.0, -0.0, 1e-300, -1e-300, 0.5, -0.5, 3.0, -3.0])
R_KINKS = np.array([0.0, 0.7, -0.7, 0.7 + 1e-15, 2.0, -2.0, 0.3, -0.0])  # Huber's δ = 0.7
KINKS = {  # name: (ours -> (value, derivative), torch's function, inputs)
    "relu at 0": (lambda z: (G.relu(z), G.relu_grad(z)), torch.relu, (Z_KINKS,)),
    "leaky_relu at 0": (lambda z: (G.leaky_relu(z, 0.2), G.leaky_relu_grad(z, 0.2)),
                        lambda z: F.leaky_relu(z, 0.2), (Z_KINKS,)),
    "elu at 0": (lambda z: (G.elu(z, 1.5), G.elu_grad(z, 1.5)), lambda z: F.elu(z, 1.5),
                 (Z_KINKS,)),
    "huber at ±δ": (lambda r, t: (G.huber_loss(r, t, 0.7), G.huber_grad(r, t, 0.7)),
                    lambda r, t: F.huber_loss(r, t, delta=0.7), (R_KINKS, np.zeros(8))),
    "l1 at 0": (lambda r, t: (G.l1_loss(r, t), G.l1_grad(r, t)), F.l1_loss,
                (R_KINKS, np.zeros(8))),
    "hinge at the margin": (
        lambda s, y: (G.hinge_loss(s, y), G.hinge_grad(s, y)),
        lambda s, y: torch.relu(1 - y * s).mean(),
        (np.array([1.0, -1.0, 0.5, 1.0, 3.0]), np.array([1.0, -1.0, 1.0, -1.0, 1.0]))),
}


@pytest.mark.parametrize("name", sorted(KINKS))
def test_subgradient_at_kinks_as_autograd(name):
    ours, theirs, inputs = KINKS[name]
    want_value, want_grad = _autograd(theirs, *inputs)
    value, grad = ours(*inputs)
    _close(value, want_value)
    _close(grad, want_grad)


@pytest.mark.parametrize(("size", "stride"), [(2, None), (2, 1), (3, 2)])
def test_max_pool_ties_as_autograd(size, stride, rng):
    x = rng.integers(0, 2, (2, 2, 6, 6)).astype(float)  # ties in nearly every window
    up = rng.standard_normal(G.max_pool2d(x, size, stride).shape)
    xt = _t(x, grad=True)
    out = F.max_pool2d(xt, size, stride)
    (grad,) = torch.autograd.grad(out, xt, _t(up))
    _close(G.max_pool2d_grad(up, x, size, stride), grad)


@pytest.mark.parametrize(("N", "d"), list(itertools.product([1, 5], [1, 3])))
def test_lasso_subgradient_at_zero_as_autograd(N, d, rng):
    X, y = rng.standard_normal((N, d)), rng.standard_normal(N)
    theta = np.zeros(d)
    theta[0] = 1.0
    loss, grad = _autograd(
        lambda th, X, y: ((X @ th - y) ** 2).sum() / (2 * N) + 0.3 * th.abs().sum(), theta, X, y)
    _close(G.lasso_loss(X, y, theta, 0.3), loss)
    _close(G.lasso_subgrad(X, y, theta, 0.3), grad)
