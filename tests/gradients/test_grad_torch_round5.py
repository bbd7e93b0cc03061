"""Round 5 of the torch cross-check: what it found, each a test that failed before its fix.

Every test runs on the three paths (reference, block-wise NumPy, compiled kernels forced at
every size: conftest.py)."""

from __future__ import annotations

import numpy as np
import pytest

import derivations.gradients as G

# ----- float32 rows of millions of entries: the row sums -----

WIDE = 1 << 21  # one row: the compiled kernels summed it in float32 lanes (1e-4 off)


def _wide_row(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    z = (rng.standard_normal((1, WIDE)) * 5).astype(np.float32)
    g = rng.standard_normal((1, WIDE)).astype(np.float32)
    return z, g


def _relative(ours: np.ndarray, exact: np.ndarray) -> float:
    return float(np.max(np.abs(ours - exact)) / np.max(np.abs(exact)))


def test_softmax_and_its_vjps_of_a_wide_float32_row_as_float64(rng):
    z, g = _wide_row(rng)
    z64, g64 = z.astype(np.float64), g.astype(np.float64)
    e = np.exp(z64 - z64.max())
    s64 = e / e.sum()
    log_s64 = z64 - z64.max() - np.log(e.sum())
    s, log_s = G.softmax(z), G.log_softmax(z)
    assert s.dtype == log_s.dtype == np.float32
    assert _relative(s, s64) < 2e-6  # torch's float32: 8e-5 to 1e-4
    assert _relative(log_s, log_s64) < 2e-6
    # the VJPs of the float64 forward outputs rounded to float32: only their own sums count
    s32, log_s32 = s64.astype(np.float32), log_s64.astype(np.float32)
    exact = s32 * (g64 - (g64 * s32).sum())
    assert _relative(G.softmax_vjp(g, s32), exact) < 2e-6
    exact = g64 - np.exp(log_s32.astype(np.float64)) * g64.sum()
    assert _relative(G.log_softmax_vjp(g, log_s32), exact) < 2e-6


def test_cross_entropy_grad_of_a_wide_float32_row_as_float64(rng):
    z, _ = _wide_row(rng)
    z64 = z.astype(np.float64)
    e = np.exp(z64 - z64.max())
    exact = e / e.sum()
    exact[0, 7] -= 1
    assert _relative(G.cross_entropy_grad(z, np.array([7])), exact) < 2e-6


# ----- conv2d and pooling: a stride, padding, dilation or window per axis, as torch's -----

torch = pytest.importorskip("torch")
F = torch.nn.functional
DTYPES = [np.float32, np.float64]

CONV_PAIRS = [  # (x shape, w shape, stride, padding, dilation)
    ((1, 1, 5, 7), (1, 1, 2, 3), (2, 1), 0, 1),
    ((2, 3, 9, 8), (2, 3, 3, 2), 1, (1, 0), 1),
    ((2, 3, 9, 8), (2, 3, 3, 2), 1, 0, (2, 1)),
    ((2, 3, 9, 8), (4, 3, 3, 2), (1, 3), (2, 1), (1, 2)),
    ((1, 2, 6, 6), (2, 2, 2, 2), [2], (1,), [1, 1]),  # one-element lists, as torch expands them
    ((1, 2, 7, 9), (3, 2, 3, 3), (2, 2), (1, 1), (2, 2)),  # equal pairs: the fast path's case
    ((1, 2, 7, 9), (3, 2, 3, 3), 1, (0, 2), 1),
    ((1, 2, 7, 9), (3, 2, 2, 3), 1, "same", (2, 1)),
]


def _tolerance(dtype) -> dict:
    return {"rtol": 1e-4, "atol": 1e-4} if dtype == np.float32 else {"rtol": 1e-10, "atol": 1e-10}


@pytest.mark.parametrize("case", CONV_PAIRS, ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
def test_conv2d_pairs_as_torch(case, dtype, rng):
    x_shape, w_shape, s, p, d = case
    x = rng.standard_normal(x_shape).astype(dtype)
    w = rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(w_shape[0]).astype(dtype)
    tx, tw = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    want = F.conv2d(tx, tw, torch.tensor(b), s, p, d)
    dout = rng.standard_normal(tuple(want.shape)).astype(dtype)
    want.backward(torch.tensor(dout))
    tol = _tolerance(dtype)
    np.testing.assert_allclose(G.conv2d(x, w, s, p, d, bias=b), want.detach().numpy(), **tol)
    np.testing.assert_allclose(G.conv2d_grad_input(dout, w, x_shape, s, p, d), tx.grad, **tol)
    np.testing.assert_allclose(G.conv2d_grad_weight(x, dout, w_shape, s, p, d), tw.grad, **tol)


POOL_PAIRS = [  # (size, stride, padding, dilation, ceil_mode)
    ((2, 3), None, 0, 1, False),
    ((3, 2), (1, 2), (1, 0), 1, False),
    (2, (2, 1), 1, (2, 1), True),
    ((3, 4), (2, 3), (1, 2), (1, 2), True),
    ((2,), [], 0, 1, False),  # torch's one-element list, and its empty stride (= size)
    ((1, 3), 1, (0, 1), 1, True),
]


@pytest.mark.parametrize("case", POOL_PAIRS, ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
def test_max_pool2d_pairs_as_torch(case, dtype, rng):
    k, s, p, d, ceil = case
    x = rng.standard_normal((2, 3, 9, 8)).astype(dtype)
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
        np.testing.assert_allclose(dx, tx.grad, **_tolerance(dtype))


@pytest.mark.parametrize("case", [c for c in POOL_PAIRS if c[3] == 1], ids=str)
@pytest.mark.parametrize("count_include_pad", [True, False])
@pytest.mark.parametrize("dtype", DTYPES)
def test_avg_pool2d_pairs_as_torch(case, count_include_pad, dtype, rng):
    k, s, p, _, ceil = case
    x = rng.standard_normal((2, 3, 9, 8)).astype(dtype)
    tx = torch.tensor(x, requires_grad=True)
    want = F.avg_pool2d(tx, k, s, p, ceil, count_include_pad)
    dout = rng.standard_normal(tuple(want.shape)).astype(dtype)
    want.backward(torch.tensor(dout))
    tol = _tolerance(dtype)
    np.testing.assert_allclose(G.avg_pool2d(x, k, s, p, ceil, count_include_pad),
                               want.detach().numpy(), **tol)
    np.testing.assert_allclose(G.avg_pool2d_grad(dout, x.shape, k, s, p, ceil, count_include_pad),
                               tx.grad, **tol)


@pytest.mark.parametrize("call,match", [
    (lambda x: G.conv2d(x, np.ones((1, 1, 2, 2)), (1, 1, 1)), "pair of integers"),
    (lambda x: G.conv2d(x, np.ones((1, 1, 2, 2)), (1, 0)), "stride must be an integer ≥ 1"),
    (lambda x: G.conv2d(x, np.ones((1, 1, 2, 2)), 1, (1, -1)), "padding must be"),
    (lambda x: G.conv2d(x, np.ones((1, 1, 2, 2)), [0.5, 0.5]), "bias is the keyword"),
    (lambda x: G.conv2d(x, np.ones((1, 1, 2, 2)), (2, 1), "same"), "'same' needs stride 1"),
    (lambda x: G.max_pool2d(x, (3, 2), 1, (2, 0)), "at most half"),
    (lambda x: G.avg_pool2d(x, (2, 2, 2)), "pair of integers"),
    (lambda x: G.max_pool2d(x, (6, 1)), "must fit"),
])
def test_pairs_torch_refuses_are_refused(call, match):
    with pytest.raises(ValueError, match=match):
        call(np.ones((1, 1, 5, 5)))


# ----- New losses, as torch's: mse_loss, smooth_l1_loss, binary_cross_entropy_with_logits -----

REDUCTIONS = ["mean", "sum", "none"]


def _torch_loss_and_grad(fn, x: np.ndarray, reduction: str, u: np.ndarray | None):
    tx = torch.tensor(np.ascontiguousarray(x), requires_grad=True)
    loss = fn(tx)
    (grad,) = torch.autograd.grad(loss, tx, None if u is None else torch.tensor(u))
    return loss.detach().numpy(), grad.numpy()


def _kinks(rng, dtype, n: int, beta: float) -> tuple[np.ndarray, np.ndarray]:
    """pred and target with pred − target at 0, ±β (the kinks), ±2β and random elsewhere."""
    pred = rng.standard_normal(n)
    target = pred.copy()
    target[:5] = pred[:5] - np.array([0.0, beta, -beta, 2 * beta, -2 * beta])
    return pred.astype(dtype), target.astype(dtype)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", ["C", "strided", "reversed"])
def test_mse_as_torch(reduction, dtype, layout, rng):
    from layouts import as_layout

    pred = as_layout(rng.standard_normal((4, 5)).astype(dtype), layout)
    target = rng.standard_normal((4, 5)).astype(dtype)
    u = rng.standard_normal((4, 5)).astype(dtype) if reduction == "none" else None
    want, want_grad = _torch_loss_and_grad(
        lambda t: F.mse_loss(t, torch.tensor(target), reduction=reduction), pred, reduction, u)
    tol = _tolerance(dtype)
    loss = G.mse_loss(pred, target, reduction)
    grad = G.mse_grad(pred, target, reduction, u)
    assert np.asarray(loss).dtype == grad.dtype == dtype
    np.testing.assert_allclose(loss, want, **tol)
    np.testing.assert_allclose(grad, want_grad, **tol)


@pytest.mark.parametrize("beta", [1.0, 0.3, 2.5, 0.0])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_smooth_l1_as_torch_at_and_between_the_kinks(beta, reduction, dtype, rng):
    pred, target = _kinks(rng, dtype, 9, beta)
    u = rng.standard_normal(9).astype(dtype) if reduction == "none" else None
    want, want_grad = _torch_loss_and_grad(
        lambda t: F.smooth_l1_loss(t, torch.tensor(target), reduction=reduction, beta=beta),
        pred, reduction, u)
    tol = _tolerance(dtype)
    loss = G.smooth_l1_loss(pred, target, beta, reduction)
    grad = G.smooth_l1_grad(pred, target, beta, reduction, u)
    assert np.asarray(loss).dtype == grad.dtype == dtype
    np.testing.assert_allclose(loss, want, **tol)
    np.testing.assert_allclose(grad, want_grad, **tol)


BCE_OPTIONS = [  # (weight shape, pos_weight shape) for z of shape (4, 3); None: not given
    (None, None),
    ((3,), None),
    (None, (3,)),
    ((4, 3), (3,)),
    ((4, 1), (1,)),
]


@pytest.mark.parametrize("options", BCE_OPTIONS, ids=str)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("scale", [1.0, 1000.0])  # logits of ±1000 too
def test_bce_with_logits_as_torch(options, reduction, dtype, scale, rng):
    w_shape, q_shape = options
    z = (rng.standard_normal((4, 3)) * scale).astype(dtype)
    y = rng.random((4, 3)).astype(dtype)
    y[0] = [0, 1, 0.5]
    w = None if w_shape is None else rng.uniform(0.1, 2, w_shape).astype(dtype)
    q = None if q_shape is None else rng.uniform(0.1, 3, q_shape).astype(dtype)
    u = rng.standard_normal((4, 3)).astype(dtype) if reduction == "none" else None
    want, want_grad = _torch_loss_and_grad(
        lambda t: F.binary_cross_entropy_with_logits(
            t, torch.tensor(y), None if w is None else torch.tensor(w), reduction=reduction,
            pos_weight=None if q is None else torch.tensor(q)), z, reduction, u)
    tol = _tolerance(dtype)
    loss = G.binary_cross_entropy_with_logits(z, y, w, reduction=reduction, pos_weight=q)
    grad = G.binary_cross_entropy_with_logits_grad(z, y, w, reduction=reduction, pos_weight=q,
                                                   grad_output=u)
    assert np.asarray(loss).dtype == grad.dtype == dtype
    np.testing.assert_allclose(loss, want, **tol)
    np.testing.assert_allclose(grad, want_grad, **tol)


def test_bce_with_logits_infinite_logits_as_torch():
    z = np.array([np.inf, np.inf, -np.inf, -np.inf, np.nan])
    y = np.array([0.0, 1.0, 0.0, 1.0, 1.0])
    q = np.array([3.0])
    tz = torch.tensor(z, requires_grad=True)
    want = F.binary_cross_entropy_with_logits(tz, torch.tensor(y), reduction="none",
                                              pos_weight=torch.tensor(q))
    (want_grad,) = torch.autograd.grad(want.sum(), tz)
    np.testing.assert_array_equal(
        G.binary_cross_entropy_with_logits(z, y, reduction="none", pos_weight=q),
        want.detach().numpy())
    np.testing.assert_array_equal(
        G.binary_cross_entropy_with_logits_grad(z, y, reduction="sum", pos_weight=q), want_grad)


def _central_difference(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = h
        grad[i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


@pytest.mark.parametrize("name", ["mse", "smooth_l1", "bce_with_logits"])
def test_new_loss_gradients_by_finite_differences(name, rng):
    x = rng.standard_normal((3, 4))
    t = rng.random((3, 4))
    w, q = rng.uniform(0.5, 2, 4), rng.uniform(0.5, 2, 4)
    loss, grad = {
        "mse": (lambda v: G.mse_loss(v, t), G.mse_grad),
        "smooth_l1": (lambda v: G.smooth_l1_loss(v, t, 0.7),
                      lambda v, t: G.smooth_l1_grad(v, t, 0.7)),
        "bce_with_logits": (
            lambda v: G.binary_cross_entropy_with_logits(v, t, w, pos_weight=q),
            lambda v, t: G.binary_cross_entropy_with_logits_grad(v, t, w, pos_weight=q)),
    }[name]
    np.testing.assert_allclose(grad(x, t), _central_difference(loss, x), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("call,match", [
    (lambda: G.smooth_l1_loss(np.ones(3), np.zeros(3), -1.0), "beta must be ≥ 0"),
    (lambda: G.smooth_l1_grad(np.ones(3), np.zeros(3), "sum"), "reduction="),
    (lambda: G.mse_loss(np.ones(0), np.ones(0)), "mean is undefined"),
    (lambda: G.mse_grad(np.ones(3), np.zeros(3), "none"), "grad_output"),
    (lambda: G.binary_cross_entropy_with_logits(np.ones((2, 3)), np.ones((2, 3)), np.ones(2)),
     "does not broadcast"),
    (lambda: G.binary_cross_entropy_with_logits(np.ones(0), np.ones(0)), "mean is undefined"),
    (lambda: G.binary_cross_entropy_with_logits(np.ones(3), np.ones(2)), "target of shape"),
    (lambda: G.binary_cross_entropy_with_logits(np.ones(3), np.ones(3), reduction="avg"),
     "reduction"),
])
def test_new_losses_refuse_clearly(call, match):
    with pytest.raises(ValueError, match=match):
        call()


NLL_OPTIONS = [  # (weight, ignore_index): rows 0 and 3 of the targets hold class 1
    (False, -100),
    (True, -100),
    (True, 1),
    (False, 1),
]


@pytest.mark.parametrize("options", NLL_OPTIONS, ids=str)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", ["C", "Fortran", "reversed"])
def test_nll_loss_as_torch(options, reduction, dtype, layout, rng):
    from layouts import as_layout

    weighted, ignore = options
    L = as_layout(G.log_softmax(rng.standard_normal((5, 4))).astype(dtype), layout)
    L[2, 0] = -np.inf  # a class of probability 0 other than the label: finite, as torch
    target = np.array([1, 3, 2, 1, 0])
    w = rng.uniform(0.1, 2, 4).astype(dtype) if weighted else None
    u = rng.standard_normal(5).astype(dtype) if reduction == "none" else None
    want, want_grad = _torch_loss_and_grad(
        lambda t: F.nll_loss(t, torch.tensor(target), None if w is None else torch.tensor(w),
                             ignore_index=ignore, reduction=reduction), L, reduction, u)
    tol = _tolerance(dtype)
    loss = G.nll_loss(L, target, w, ignore, reduction)
    grad = G.nll_loss_grad(L, target, w, ignore, reduction, u)
    assert np.asarray(loss).dtype == grad.dtype == dtype
    np.testing.assert_allclose(loss, want, **tol)
    np.testing.assert_allclose(grad, want_grad, **tol)


def test_nll_loss_of_log_softmax_is_cross_entropy(rng):
    Z = rng.standard_normal((6, 5))
    y, w = rng.integers(0, 5, 6), rng.uniform(0.5, 2, 5)
    np.testing.assert_allclose(G.nll_loss(G.log_softmax(Z), y, w), G.cross_entropy(Z, y, w),
                               rtol=1e-13)


def test_nll_loss_gradient_by_finite_differences(rng):
    L = rng.standard_normal((4, 3))
    y, w = np.array([0, 2, -100, 2]), rng.uniform(0.5, 2, 3)
    np.testing.assert_allclose(G.nll_loss_grad(L, y, w),
                               _central_difference(lambda v: G.nll_loss(v, y, w), L),
                               rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("call,match", [
    (lambda: G.nll_loss(np.zeros((2, 3)), np.zeros((2, 3))), "integer class indices"),
    (lambda: G.nll_loss(np.zeros((2, 3)), np.array([0.0, 1.0])), "integer class indices"),
    (lambda: G.nll_loss(np.zeros((2, 3)), np.array([-100, -100])), "no row counts"),
    (lambda: G.nll_loss(np.zeros((2, 3)), np.array([0, 3])), r"\[0, 3\)"),
    (lambda: G.nll_loss_grad(np.zeros((2, 3)), np.array([0, 1]), reduction="none"),
     "grad_output"),
])
def test_nll_loss_refuses_clearly(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ----- kl_divergence: torch's reductions and log_target -----

KL_REDUCTIONS = ["batchmean", "sum", "mean", "none"]


@pytest.mark.parametrize("reduction", KL_REDUCTIONS)
@pytest.mark.parametrize("log_target", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", ["C", "Fortran", "reversed"])
def test_kl_divergence_reductions_and_log_target_as_torch(reduction, log_target, dtype, layout,
                                                          rng):
    from layouts import as_layout

    P = rng.dirichlet(np.ones(4), 5)
    P[0, 1] = 0  # 0 · log 0 = 0 (a log target of −∞)
    P /= P.sum(axis=1, keepdims=True)
    log_Q = as_layout(G.log_softmax(rng.standard_normal((5, 4))).astype(dtype), layout)
    with np.errstate(divide="ignore"):
        target = (np.log(P) if log_target else P).astype(dtype)
    u = rng.standard_normal((5, 4)).astype(dtype) if reduction == "none" else None
    want, want_grad = _torch_loss_and_grad(
        lambda t: F.kl_div(t, torch.tensor(target), reduction=reduction, log_target=log_target),
        log_Q, reduction, u)
    tol = _tolerance(dtype)
    loss = G.kl_divergence(target, log_Q, reduction=reduction, log_target=log_target)
    grad = G.kl_divergence_grad(target, log_Q, reduction=reduction, log_target=log_target,
                                grad_output=u)
    assert np.asarray(loss).dtype == grad.dtype == dtype
    np.testing.assert_allclose(loss, want, **tol)
    np.testing.assert_allclose(grad, want_grad, **tol)


@pytest.mark.parametrize("call,match", [
    (lambda P, L: G.kl_divergence(P, L, reduction="avg"), "reduction must be one of"),
    (lambda P, L: G.kl_divergence(P, L, log_target=1), "log_target must be True or False"),
    (lambda P, L: G.kl_divergence(L, L), "log_target=True"),
    (lambda P, L: G.kl_divergence_grad(P, L, reduction="none"), "grad_output"),
    (lambda P, L: G.kl_divergence_grad(P, L, grad_output=P), "grad_output is for"),
    (lambda P, L: G.kl_divergence(P[:0], L[:0]), "no samples"),
])
def test_kl_divergence_options_refused_clearly(call, match):
    P = np.full((2, 3), 1 / 3)
    with pytest.raises(ValueError, match=match):
        call(P, np.log(P))


def test_kl_divergence_sum_and_none_of_an_empty_batch_as_torch():
    empty = np.zeros((0, 3))
    assert G.kl_divergence(empty, empty, reduction="sum") == 0
    assert G.kl_divergence(empty, empty, reduction="none").shape == (0, 3)


# ----- binary_cross_entropy of probabilities, with torch's clamps at p = 0 and 1 -----


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_binary_cross_entropy_as_torch_clamps_included(weighted, reduction, dtype, rng):
    p = rng.random((4, 3))
    p[0] = [0.0, 1.0, 1e-30]  # log 0 clamped to −100; p(1 − p) floored at 1e-12
    p[1] = [1.0, 0.0, 1 - 1e-7]
    p = p.astype(dtype)
    y = rng.random((4, 3)).astype(dtype)
    y[0], y[1] = [1, 0, 0.5], [1, 0, 1]
    w = rng.uniform(0.5, 2, 3).astype(dtype) if weighted else None
    u = rng.standard_normal((4, 3)).astype(dtype) if reduction == "none" else None
    want, want_grad = _torch_loss_and_grad(
        lambda t: F.binary_cross_entropy(t, torch.tensor(y), None if w is None else torch.tensor(w),
                                         reduction=reduction), p, reduction, u)
    tol = _tolerance(dtype)
    loss = G.binary_cross_entropy(p, y, w, reduction=reduction)
    grad = G.binary_cross_entropy_grad(p, y, w, reduction=reduction, grad_output=u)
    assert np.asarray(loss).dtype == grad.dtype == dtype
    np.testing.assert_allclose(loss, want, **tol)
    np.testing.assert_allclose(grad, want_grad, **tol)


def test_binary_cross_entropy_gradient_by_finite_differences(rng):
    p, y, w = rng.uniform(0.05, 0.95, (3, 4)), rng.random((3, 4)), rng.uniform(0.5, 2, 4)
    np.testing.assert_allclose(
        G.binary_cross_entropy_grad(p, y, w),
        _central_difference(lambda v: G.binary_cross_entropy(v, y, w), p, 1e-7),
        rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("bad", [1.5, -0.1, np.nan])
def test_binary_cross_entropy_refuses_what_is_no_probability(bad):
    p = np.array([0.5, bad])
    for fn in (G.binary_cross_entropy, G.binary_cross_entropy_grad):
        with pytest.raises(ValueError, match="must lie in \\[0, 1\\]"):
            fn(p, np.array([1.0, 0.0]))


# ----- momentum_step: torch's dampening, over six steps -----


@pytest.mark.parametrize("dampening", [0.5, 1.0, -0.3, 0.0])
@pytest.mark.parametrize("flags", [{}, {"weight_decay": 0.1, "maximize": True}], ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
def test_momentum_dampening_as_torch_optim_over_six_steps(dampening, flags, dtype, rng):
    p0 = rng.standard_normal(7).astype(dtype)
    grads = [rng.standard_normal(7).astype(dtype) for _ in range(6)]
    tp = torch.tensor(p0.copy(), requires_grad=True)
    opt = torch.optim.SGD([tp], lr=0.1, momentum=0.8, dampening=dampening, **flags)
    p, v = p0.copy(), np.full(7, np.nan, dtype)  # the first step does not read the velocity
    if dampening == 0:
        v[:] = 0
    for t, g in enumerate(grads, 1):
        tp.grad = torch.tensor(g)
        opt.step()
        G.momentum_step(p, g, v, 0.1, 0.8, dampening=dampening, t=t, **flags)
        np.testing.assert_allclose(p, tp.detach().numpy(), **_tolerance(dtype))
        np.testing.assert_allclose(v, opt.state[tp]["momentum_buffer"].numpy(), **_tolerance(dtype))


# ----- cross_entropy and nll_loss unbatched: logits (C,) with a 0-d target, as torch's -----


@pytest.mark.parametrize("soft", [False, True])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropy_unbatched_as_torch(soft, reduction, dtype, rng):
    z = rng.standard_normal(5).astype(dtype)
    target = rng.dirichlet(np.ones(5)).astype(dtype) if soft else np.array(3)
    w = rng.uniform(0.5, 2, 5).astype(dtype)
    u = np.asarray(rng.standard_normal(), dtype) if reduction == "none" else None
    want, want_grad = _torch_loss_and_grad(
        lambda t: F.cross_entropy(t, torch.tensor(target), torch.tensor(w), reduction=reduction,
                                  label_smoothing=0.2), z, reduction, u)
    tol = _tolerance(dtype)
    loss = G.cross_entropy(z, target, w, label_smoothing=0.2, reduction=reduction)
    grad = G.cross_entropy_grad(z, target, w, label_smoothing=0.2, reduction=reduction,
                                grad_output=u)
    assert np.shape(loss) == () and grad.shape == (5,)
    np.testing.assert_allclose(loss, want, **tol)
    np.testing.assert_allclose(grad, want_grad, **tol)
    if not soft:
        log_p = G.log_softmax(z)
        want, want_grad = _torch_loss_and_grad(
            lambda t: F.nll_loss(t, torch.tensor(target), torch.tensor(w), reduction=reduction),
            log_p, reduction, u)
        np.testing.assert_allclose(G.nll_loss(log_p, target, w, reduction=reduction), want, **tol)
        np.testing.assert_allclose(G.nll_loss_grad(log_p, target, w, reduction=reduction,
                                                   grad_output=u), want_grad, **tol)


def test_unbatched_cross_entropy_refusals():
    with pytest.raises(ValueError, match="grad_output must be 0-d"):
        G.cross_entropy_grad(np.zeros(3), np.array(1), reduction="none", grad_output=np.ones(1))
    with pytest.raises(ValueError, match="2-D"):  # a 1-D index target is no unbatched call
        G.cross_entropy(np.zeros(3), np.array([1]))
    with pytest.raises(ValueError, match="integer class indices"):
        G.nll_loss(np.zeros(3), np.full(3, 1 / 3))
