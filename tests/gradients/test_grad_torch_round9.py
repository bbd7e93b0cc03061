"""Round 9 of the torch cross-check: what the library still did differently from torch, each a
test that failed before its fix.

Every test runs on the three paths (reference, block-wise NumPy, compiled kernels forced at
every size: conftest.py). The truth is torch in float64 on the same values."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from quiet import quiet_as_torch
from tolerances import torch_tolerance

import derivations.gradients as G
from derivations.gradients._fast import _blocks

torch = pytest.importorskip("torch")
F = torch.nn.functional
DTYPES = [np.float32, np.float64]
INF, NAN = np.inf, np.nan


def _t(a: np.ndarray, grad: bool = False, dtype=np.float64):
    return torch.tensor(np.asarray(a, dtype), requires_grad=grad)


def _assert_as_torch(got: np.ndarray, truth, dtype) -> None:
    truth = truth.detach().numpy() if hasattr(truth, "detach") else np.asarray(truth)
    assert got.dtype == dtype and got.shape == truth.shape
    np.testing.assert_allclose(got, truth, **torch_tolerance(dtype))  # NaN where torch's


# ----- no RuntimeWarning where torch prints none -----

# (name, ours(a, b), torch's(a, b)): a and b hold ±∞, NaN, ±1000 and 0 (N × 4, C = 4 classes)
SPECIALS: list[tuple[str, Callable, Callable]] = [
    ("softmax axis 0", lambda a, b: G.softmax(a, 0), lambda a, b: torch.softmax(a, 0)),
    ("log_softmax", lambda a, b: G.log_softmax(a), lambda a, b: torch.log_softmax(a, -1)),
    ("softmax_vjp", lambda a, b: G.softmax_vjp(b, G.softmax(np.nan_to_num(a))),
     lambda a, b: _vjp(torch.softmax, torch.nan_to_num(a), b)),
    ("log_softmax_vjp", lambda a, b: G.log_softmax_vjp(b, G.log_softmax(np.nan_to_num(a))),
     lambda a, b: _vjp(torch.log_softmax, torch.nan_to_num(a), b)),
    ("cross_entropy", lambda a, b: G.cross_entropy(a, np.arange(len(a)) % 4, reduction="none"),
     lambda a, b: F.cross_entropy(a, torch.arange(len(a)) % 4, reduction="none")),
    ("nll_loss sum", lambda a, b: G.nll_loss(a, np.arange(len(a)) % 4, reduction="sum"),
     lambda a, b: F.nll_loss(a, torch.arange(len(a)) % 4, reduction="sum")),
    ("mse_loss", lambda a, b: G.mse_loss(a, b, "none"),
     lambda a, b: F.mse_loss(a, b, reduction="none")),
    ("l1_grad", lambda a, b: G.l1_grad(a, b, "sum"), None),  # NaN at NaN (documented)
    ("huber_loss", lambda a, b: G.huber_loss(a, b, 1.0, "none"),
     lambda a, b: F.huber_loss(a, b, reduction="none")),
    ("smooth_l1_grad", lambda a, b: G.smooth_l1_grad(a, b, 0.5, "sum"),
     lambda a, b: _grad_of(lambda x: F.smooth_l1_loss(x, b, reduction="sum", beta=0.5), a)),
    ("kl_divergence", lambda a, b: G.kl_divergence(np.abs(a), -np.abs(b), reduction="none"),
     lambda a, b: F.kl_div(-b.abs(), a.abs(), reduction="none")),
    ("gelu", lambda a, b: G.gelu(a), lambda a, b: F.gelu(a)),
    ("gelu_grad tanh", lambda a, b: G.gelu_grad(a, "tanh"),
     lambda a, b: _grad_of(lambda x: F.gelu(x, approximate="tanh").sum(), a)),
    ("silu_grad", lambda a, b: G.silu_grad(a), lambda a, b: _grad_of(lambda x: F.silu(x).sum(), a)),
    ("dropout", lambda a, b: G.dropout(a, np.arange(a.size).reshape(a.shape) % 2, 0.5),
     lambda a, b: a * (torch.arange(a.numel()).reshape(a.shape) % 2) * 2),
    ("layernorm", lambda a, b: G.layernorm_backward(b, G.layernorm_forward(a)[1])[0],
     lambda a, b: _grad_of(lambda x: (F.layer_norm(x, (4,)) * b).sum(), a)),
    ("batchnorm", lambda a, b: G.batchnorm_backward(b, G.batchnorm_forward(a)[1])[0],
     lambda a, b: _grad_of(lambda x: (F.batch_norm(x, None, None, training=True) * b).sum(), a)),
    ("avg_pool2d", lambda a, b: G.avg_pool2d(a.reshape(1, 1, -1, 4), 2),
     lambda a, b: F.avg_pool2d(a.reshape(1, 1, -1, 4), 2)),
    ("conv2d", lambda a, b: G.conv2d(a.reshape(1, 1, -1, 4), np.ones((1, 1, 2, 2), a.dtype)),
     lambda a, b: F.conv2d(a.reshape(1, 1, -1, 4), torch.ones((1, 1, 2, 2), dtype=a.dtype))),
]


def _vjp(f, z, g):
    z = z.detach().requires_grad_(True)
    f(z, -1).backward(g)
    return z.grad


def _grad_of(loss, z):
    z = z.detach().requires_grad_(True)
    loss(z).backward()
    return z.grad


def _specials(dtype) -> tuple[np.ndarray, np.ndarray]:
    """Two 8 × 4 arrays whose rows mix ±∞, NaN, ±1000 and 0 (a row of +∞ and −∞ too)."""
    a = np.array([[INF, 0, 1, 2], [-INF, -INF, -INF, -INF], [INF, -INF, 0, 3], [NAN, 0, 1, 2],
                  [1000, -1000, 0, 1], [INF, INF, 1, -1], [0.5, -0.5, 2, 1], [-INF, 3, 1, 0]])
    b = np.array([[INF, 1, -INF, 0], [INF, 0, -1, 2], [INF, -INF, 1, 0], [0, NAN, 1, 2],
                  [-1000, 1000, 1, 0], [INF, 2, INF, -1], [1, 2, 3, 4], [2, -INF, 0, 1]])
    return a.astype(dtype), b.astype(dtype)


@pytest.mark.parametrize("name, ours, theirs", SPECIALS, ids=[s[0] for s in SPECIALS])
@pytest.mark.parametrize("dtype", DTYPES)
def test_no_runtime_warning_at_infinities_where_torch_prints_none(name, ours, theirs, dtype):
    """∞ − ∞, 0 · ∞ and a NaN reduced give NaN in torch without a word; NumPy printed
    "RuntimeWarning: invalid value encountered in subtract" (and the like) for each. The
    values stay torch's."""
    a, b = _specials(dtype)
    with quiet_as_torch():
        got = ours(a, b)
    if theirs is not None:
        _assert_as_torch(np.asarray(got), theirs(_t(a), _t(b)), dtype)


STEPS: dict[str, tuple[Callable, Callable, int]] = {  # ours(p, g, states), torch.optim, states
    "sgd": (lambda p, g, s: G.sgd_step(p, g, 0.1, weight_decay=0.1),
            lambda q: torch.optim.SGD(q, lr=0.1, weight_decay=0.1), 0),
    "momentum": (lambda p, g, s: G.momentum_step(p, g, s[0], 0.1),
                 lambda q: torch.optim.SGD(q, lr=0.1, momentum=0.9), 1),
    "nesterov": (lambda p, g, s: G.sgd_nesterov_step(p, g, s[0], 0.1, 0.9, 0.1),
                 lambda q: torch.optim.SGD(q, lr=0.1, momentum=0.9, nesterov=True,
                                           weight_decay=0.1), 1),
    "adagrad": (lambda p, g, s: G.adagrad_step(p, g, s[0], 0.1),
                lambda q: torch.optim.Adagrad(q, lr=0.1), 1),
    "rmsprop": (lambda p, g, s: G.rmsprop_step(p, g, s[0], 0.1),
                lambda q: torch.optim.RMSprop(q, lr=0.1), 1),
    "rmsprop centered": (lambda p, g, s: G.rmsprop_step(p, g, s[0], 0.1, centered=True,
                                                        grad_avg=s[1], momentum=0.5,
                                                        momentum_buffer=s[2]),
                         lambda q: torch.optim.RMSprop(q, lr=0.1, centered=True, momentum=0.5),
                         3),
    "adam": (lambda p, g, s: G.adam_step(p, g, s[0], s[1], 1),
             lambda q: torch.optim.Adam(q), 2),
}


@pytest.mark.parametrize("size", ["small", "threads"])
@pytest.mark.parametrize("name", STEPS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_optimizer_step_quiet_at_infinities_and_huge_gradients(name, dtype, size, monkeypatch,
                                                              kernel_path):
    """An infinite parameter or gradient, or a gradient whose square overflows, gives torch's
    NaN or ∞ without NumPy's warning (it printed "overflow encountered in multiply" and
    "invalid value encountered in subtract"); also on the block-wise path's worker threads
    (size "threads": blocks shrunk so that 4 blocks run on the pool), where the caller's
    error state does not reach. The truth here is torch in the parameters' dtype: the huge
    gradient's square overflows float32 in torch's float32 step too."""
    if size == "threads" and kernel_path != "numpy":
        pytest.skip("only the block-wise NumPy path runs blocks on worker threads")
    ours, optimizer, states = STEPS[name]
    big = np.finfo(dtype).max / 8
    p = np.array([1, INF, -INF, NAN, 1, 2, INF, 0.5], dtype)
    g = np.array([INF, INF, 1, 1, big, -big, -INF, 0], dtype)
    if size == "threads":
        monkeypatch.setattr(_blocks, "BLOCK", 8)
        monkeypatch.setattr(_blocks, "_MIN_PARALLEL", 8)
        p, g = np.tile(p, 4), np.tile(g, 4)
    leaf = _t(p, grad=True, dtype=dtype)
    leaf.grad = _t(g, dtype=dtype)
    optimizer([leaf]).step()
    s = [np.zeros_like(p) for _ in range(states)]
    with quiet_as_torch():
        ours(p, g, s)
    _assert_as_torch(p, leaf, dtype)


@pytest.mark.one_path  # clip_grad_norm has no fast path
@pytest.mark.parametrize("norm_type", [2.0, 1.0, INF])
@pytest.mark.parametrize("dtype", DTYPES)
def test_clip_grad_norm_quiet_at_an_infinite_gradient(norm_type, dtype):
    """An infinite norm scales every gradient by 0, so an infinite entry becomes NaN, as
    torch's, without "invalid value encountered in multiply"."""
    g = np.array([1, INF, -2, 0.5], dtype)
    leaf = _t(g, grad=True)
    leaf.grad = _t(g)
    want = torch.nn.utils.clip_grad_norm_([leaf], 1.0, norm_type)
    with quiet_as_torch():
        norm = G.clip_grad_norm([g], 1.0, norm_type)
    assert norm == want.item()
    _assert_as_torch(g, leaf.grad, dtype)


# ----- GELU's tanh form far out: s, not 0 · ∞ -----


def test_gelu_tanh_grad_far_out_is_0_or_1_as_torch():
    """gelu_grad(z, 'tanh') = s(1 + 2z(1 − s)u'): where s = σ(2u) is 0 or 1 the product is s,
    but 2zu' overflows at |z| ≳ 1e13 (float32) or 1e102 (float64), and 0 · ∞ gave NaN where
    torch's float64 gives 0 (below) or 1 (above). ±∞ stays NaN, as torch's."""
    for dtype, z in ((np.float32, [-1e19, -1e20, -3e38, 1e20, 3e38, 1e13, -1e13, INF, -INF]),
                     (np.float64, [-1e150, 1e150, -1e110, 1e110, INF, -INF])):
        z = np.array(z, dtype)
        truth = _grad_of(lambda x: F.gelu(x, approximate="tanh").sum(), _t(z))
        _assert_as_torch(G.gelu_grad(z, "tanh"), truth, dtype)


# ----- clip_grad_norm: a None among the gradients -----


@pytest.mark.one_path  # clip_grad_norm has no fast path
@pytest.mark.parametrize("norm_type", [2.0, 1.0, INF])
def test_clip_grad_norm_skips_a_none_as_torch_skips_a_parameter_without_grad(norm_type, rng):
    """torch.nn.utils.clip_grad_norm_ skips a parameter whose .grad is None; a None among the
    gradients was refused ("grads[1] must be a NumPy array")."""
    grads = [rng.standard_normal((3, 4)), None, rng.standard_normal(5)]
    leaves = [_t(np.zeros(2), grad=True) if g is None else _t(g, grad=True) for g in grads]
    for leaf, g in zip(leaves, grads, strict=True):
        leaf.grad = None if g is None else _t(g)
    want = torch.nn.utils.clip_grad_norm_(leaves, 1.5, norm_type)
    assert G.clip_grad_norm(grads, 1.5, norm_type) == pytest.approx(want.item(), rel=1e-12)
    for g, leaf in zip(grads, leaves, strict=True):
        if g is not None:
            _assert_as_torch(g, leaf.grad, np.float64)
    assert G.clip_grad_norm([None], 1.0) == 0.0  # no gradient at all: torch's norm 0
    with pytest.raises(ValueError, match=r"grads\[2\] must be a NumPy array"):
        G.clip_grad_norm([np.ones(2), None, [1.0]], 1.0)  # a list is named by its place


# ----- batch norm's momentum=None -----


def test_batchnorm_momentum_none_refused_with_the_equivalent(rng):
    """nn.BatchNorm's momentum=None is a cumulative average, which needs the batch count;
    F.batch_norm refuses None, and so does this, but the message said only "must be a real
    number". It now names the equivalent, momentum = 1/t on batch t, checked here against
    nn.BatchNorm1d(momentum=None) over three batches."""
    running_mean, running_var = np.zeros(3), np.ones(3)
    module = torch.nn.BatchNorm1d(3, momentum=None).double()
    for t in (1, 2, 3):
        X = t * rng.standard_normal((5, 3)) + t
        module(_t(X))
        G.batchnorm_forward(X, running_mean=running_mean, running_var=running_var,
                            training=True, momentum=1 / t)
    _assert_as_torch(running_mean, module.running_mean, np.float64)
    _assert_as_torch(running_var, module.running_var, np.float64)
    with pytest.raises(ValueError, match=r"momentum=1/t"):
        G.batchnorm_forward(X, running_mean=running_mean, running_var=running_var,
                            training=True, momentum=None)
