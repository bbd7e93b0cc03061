"""Round 12 of the torch cross-check: every public function against torch (autograd,
torch.optim over 12 steps with state, torch.distributions, torch.linalg) in the classes the
earlier rounds left out: inputs of every rank torch takes (0-d, 1-D, batch of 1, extra leading
axes), the four memory layouts and read-only inputs (never written, never changed), values at
the edges of the dtype (±3e38 in float32, 1e200 in float64, subnormals, ±∞, NaN), every
reduction, and optimizer hyper-parameters at their edges. Each test runs on the three kernel
paths (conftest.kernel_path).

What it found, each test failing before its change:
- momentum_step with momentum 0 and dampening ≠ 0 stepped by (1 − τ)g; torch's SGD without
  momentum keeps no buffer and steps by g (test_sgd_without_momentum_ignores_dampening);
- centered RMSprop with alpha = 0 (zero variance) divided by ε where torch divides by the root
  of g²'s rounding error, or gets NaN: torch subtracts ḡ² in one fused multiply-add
  (test_centered_rmsprop_with_alpha_zero);
- batchnorm_forward took ε ≤ 0 in training and ε < 0 with running statistics, which
  F.batch_norm refuses (test_batchnorm_eps_refused_as_torch);
- mse_grad's mean was 2r/n with 2r rounded first: ∞ at |r| > max/2 where torch's r·(2/n) is
  finite (test_mse_grad_mean_near_the_top_of_the_range);
- softplus with |β| > 1 gave ∞ where βz overflows, for z itself (test_softplus_far_out);
- RuntimeWarnings where torch prints nothing: a finite difference, product or sum beyond the
  dtype's range (test_no_runtime_warning_at_overflow).
"""

from __future__ import annotations

import importlib.util
import math
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np
import pytest
from quiet import quiet_as_torch

import derivations.gradients as G
from derivations.gradients._fast import _compiled

torch = pytest.importorskip("torch")
F = torch.nn.functional
aten = torch.ops.aten

# Each test computes torch's reference once and the library's result on every kernel path
# itself (_paths), so it runs once, not once per path of conftest.kernel_path.
pytestmark = pytest.mark.one_path
PATHS = ["reference", "numpy"] + (["numba"] if importlib.util.find_spec("numba") else [])

DTYPES = [np.float32, np.float64]
LAYOUTS = ["C", "F", "strided", "reversed"]


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread() -> Iterator[None]:
    """torch on one thread: its tiny calls here took 13 ms each on two busy cores (thread
    hand-offs), 0.8 ms on one. The previous setting is restored for the other modules."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _layout(a: np.ndarray, layout: str) -> np.ndarray:
    """a's values in the layout, read-only (the library must never write an input)."""
    if a.ndim == 0 or layout == "C":
        out = a.copy()
    elif layout == "F":
        out = np.asfortranarray(a)
    elif layout == "strided":
        holder = np.zeros((*a.shape[:-1], 2 * a.shape[-1]), a.dtype)
        holder[..., ::2] = a
        out = holder[..., ::2]
    else:
        out = np.ascontiguousarray(a[..., ::-1])[..., ::-1]
    out.flags.writeable = False
    return out


def _paths() -> Iterator[str]:
    """Each kernel path in turn, as conftest.kernel_path sets them (the compiled kernels at
    every size); the setting before is restored when the loop ends."""
    saved_mode, saved_min = os.environ.get("DERIVCHECK_KERNELS"), _compiled.MIN_SIZE
    try:
        for path in PATHS:
            os.environ["DERIVCHECK_KERNELS"] = path
            _compiled.MIN_SIZE = 0 if path == "numba" else saved_min
            yield path
    finally:
        _compiled.MIN_SIZE = saved_min
        if saved_mode is None:
            os.environ.pop("DERIVCHECK_KERNELS", None)
        else:
            os.environ["DERIVCHECK_KERNELS"] = saved_mode


@pytest.fixture(autouse=True)
def _kernels_restored():
    """The kernel path _paths sets is put back even when a test fails mid-loop (the loop's own
    finally runs only when its generator is collected); later cross-checks import it."""
    before, min_size = os.environ.get("DERIVCHECK_KERNELS"), _compiled.MIN_SIZE
    yield
    _compiled.MIN_SIZE = min_size
    if before is None:
        os.environ.pop("DERIVCHECK_KERNELS", None)
    else:
        os.environ["DERIVCHECK_KERNELS"] = before


@contextmanager
def _unchanged(*arrays: np.ndarray) -> Iterator[None]:
    """The arrays hold the same values after the block (inputs are not mutated)."""
    before = [a.copy() for a in arrays]
    yield
    for a, b in zip(arrays, before, strict=True):
        np.testing.assert_array_equal(a, b)


def _t(a) -> torch.Tensor:
    """a as a float64 tensor (integer labels stay integers): torch's float64 result is the
    reference, also for float32 input, so torch's own float32 rounding is not the yardstick."""
    a = np.asarray(a)
    return torch.tensor(a.astype(np.float64) if a.dtype.kind == "f" else a)


def _agree(got, want, dtype, entrywise: bool = False, floor: float = 1e-30) -> None:
    """got has dtype and agrees with torch's float64 want: to rtol, and to atol relative to
    the largest finite |want| (a float32 difference that cancels to 0 where torch's float64
    keeps 1e-11 is rounding) or to floor; entrywise: to rtol at every entry, tiny ones too."""
    got, want = np.asarray(got), np.asarray(want.detach() if hasattr(want, "detach") else want)
    assert got.dtype == dtype, f"dtype {got.dtype}, expected {np.dtype(dtype)}"
    assert got.shape == want.shape
    want = want.astype(np.float64)
    rtol = 2e-5 if dtype == np.float32 else 1e-11
    finite = np.abs(want[np.isfinite(want)])
    scale = 0.0 if entrywise or not finite.size else float(finite.max())
    np.testing.assert_allclose(got.astype(np.float64), want, rtol=rtol,
                               atol=max(floor, rtol * scale / 4))


def _vjp(f: Callable, x: np.ndarray, upstream: np.ndarray | None = None, *rest) -> tuple:
    """torch's f(x, *rest) and its vector-Jacobian product with upstream (ones by default)."""
    xt = _t(x).requires_grad_(True)
    y = f(xt, *rest)
    (g,) = torch.autograd.grad(y, xt, torch.ones_like(y) if upstream is None else _t(upstream))
    return y.detach(), g


# ----- Found and fixed -----


def sgd_trajectory(p0: np.ndarray, grads: np.ndarray, **options) -> list[torch.Tensor]:
    """torch.optim.SGD(**options)'s parameters after each gradient of grads, from p0."""
    q = torch.nn.Parameter(_t(p0))
    opt = torch.optim.SGD([q], **options)
    trajectory = []
    for g in grads:
        q.grad = _t(g)
        opt.step()
        trajectory.append(q.detach().clone())
    return trajectory


@pytest.mark.parametrize("dampening, weight_decay, maximize", [(0.5, 0.0, False),
                                                               (-0.5, 0.3, True)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_sgd_without_momentum_ignores_dampening(dampening, weight_decay, maximize, dtype):
    """torch.optim.SGD(momentum=0, dampening=τ) steps by g: dampening acts on a momentum buffer
    it does not keep. momentum_step(ρ=0, dampening=τ) stepped by (1 − τ)g from the 2nd step."""
    r = np.random.default_rng(0)
    p0, grads = r.standard_normal(5).astype(dtype), r.standard_normal((12, 5)).astype(dtype)
    trajectory = sgd_trajectory(p0, grads, lr=0.1, momentum=0, dampening=dampening,
                                weight_decay=weight_decay, maximize=maximize)
    for _ in _paths():
        params, velocity = p0.copy(), np.zeros_like(p0)
        for t, (g, want) in enumerate(zip(grads, trajectory, strict=True), 1):
            G.momentum_step(params, g, velocity, 0.1, 0.0, weight_decay=weight_decay,
                            maximize=maximize, dampening=dampening, t=t)
            _agree(params, want, dtype)


@pytest.mark.parametrize("momentum", [0.0, 0.7])
@pytest.mark.parametrize("dtype", DTYPES)
def test_centered_rmsprop_with_alpha_zero(momentum, dtype):
    """alpha = 0: r = g², ḡ = g and the variance r − ḡ² is 0 in exact arithmetic; torch's
    addcmul subtracts ḡ² unrounded, leaving g²'s rounding error (its root, or NaN where it is
    negative). r − fl(ḡ²) was exactly 0, a step of g/ε: 1e7 where torch's is 1e3 or NaN."""
    r = np.random.default_rng(1)
    p0, grads = r.standard_normal(40).astype(dtype), r.standard_normal((12, 40)).astype(dtype)
    q = torch.nn.Parameter(torch.tensor(p0))  # in p0's dtype: the rounding error is the point
    opt = torch.optim.RMSprop([q], lr=0.1, alpha=0.0, centered=True, momentum=momentum)
    trajectory = []
    for g in grads:
        q.grad = torch.tensor(g)
        opt.step()
        trajectory.append(q.detach().numpy().copy())
    for _ in _paths():
        params, sq, avg, buf = (p0.copy(), np.zeros_like(p0), np.zeros_like(p0),
                                np.zeros_like(p0))
        extra = {"momentum_buffer": buf} if momentum else {}
        for g, want in zip(grads, trajectory, strict=True):
            with quiet_as_torch():  # √ of a negative: NaN, silently, as torch's
                G.rmsprop_step(params, g, sq, 0.1, 0.0, centered=True, grad_avg=avg,
                               momentum=momentum, **extra)
            np.testing.assert_array_equal(np.isnan(params), np.isnan(want))
            np.testing.assert_allclose(params, want, rtol=1e-3 if dtype == np.float32 else 1e-9)


@pytest.mark.parametrize("eps, training, refused", [
    (0.0, True, True), (-1e-5, True, True), (-1e-5, False, True), (0.0, False, False)])
def test_batchnorm_eps_refused_as_torch(eps, training, refused):
    """F.batch_norm: 'eps must be positive during training', 'must be non-negative' with
    running statistics. ε = 0 divided a constant column by σ = 0; a negative ε made NaN."""
    x = np.random.default_rng(2).standard_normal((4, 3))
    stats = {} if training else {"running_mean": np.zeros(3), "running_var": np.ones(3)}
    call = [F.batch_norm, _t(x), _t(stats["running_mean"]) if stats else None,
            _t(stats["running_var"]) if stats else None]
    if refused:
        with pytest.raises(ValueError, match="eps"):
            call[0](*call[1:], training=training, eps=eps)
        with pytest.raises(ValueError, match="eps must be"):
            G.batchnorm_forward(x, None, None, eps, training=training, **stats)
    else:
        out, _ = G.batchnorm_forward(x, None, None, eps, training=training, **stats)
        _agree(out, call[0](*call[1:], training=training, eps=eps), np.float64)


@pytest.mark.parametrize("dtype, big", [(np.float32, 3e38), (np.float64, 1.7e308)])
def test_mse_grad_mean_near_the_top_of_the_range(dtype, big):
    """torch's mse backward is r · (2/n) in one factor; 2r first overflowed to ±∞."""
    pred = np.array([big, -big, 1.0, 0.5], dtype)
    target = np.array([0.0, 0.0, 2.0, np.inf], dtype)
    _, want = _vjp(lambda x: F.mse_loss(x, torch.tensor(target)), pred.astype(dtype))
    for _ in _paths():
        with quiet_as_torch():
            got = G.mse_grad(pred, target)
        assert np.isfinite(got[:2]).all()
        np.testing.assert_allclose(got, want.numpy().astype(dtype), rtol=1e-6)


@pytest.mark.parametrize("beta", [2.0, -2.0, 1e30])
@pytest.mark.parametrize("dtype", DTYPES)
def test_softplus_far_out(beta, dtype):
    """softplus(z) → max(βz, 0)/β = z or 0 far out; (βz)/β was ∞ where βz overflows. torch's
    default threshold returns z there."""
    z = np.array([np.finfo(dtype).max / 1.5, -np.finfo(dtype).max / 1.5, 3.0, -3.0], dtype)
    want = F.softplus(torch.tensor(z), beta, threshold=20).numpy()
    for _ in _paths():
        with quiet_as_torch():
            got = G.softplus(z, beta)
            grad = G.softplus_grad(z, beta)
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-30)
        assert grad.dtype == dtype and np.isfinite(grad).all()


_F32_TOP, _F64_TOP = np.float32(3e38), 1e200

# (name, the call at an array of huge finite values): each printed a RuntimeWarning before
OVERFLOWS: list[tuple[str, Callable[[np.ndarray], object]]] = [
    ("leaky_relu slope 2", lambda a: G.leaky_relu(a, 2.0)),
    ("leaky_relu slope -3", lambda a: G.leaky_relu(a, -3.0)),
    ("softplus beta 2", lambda a: G.softplus(a, 2.0)),
    ("softplus threshold", lambda a: G.softplus(a, 2.0, 20.0)),
    ("softplus_grad beta 2", lambda a: G.softplus_grad(a, 2.0, 20.0)),
    ("tanh_grad", G.tanh_grad),
    ("mse_loss", lambda a: G.mse_loss(a, -a, "sum")),
    ("mse_grad sum", lambda a: G.mse_grad(a, -a, "sum")),
    ("l1_loss", lambda a: G.l1_loss(a, -a)),
    ("l1_grad", lambda a: G.l1_grad(a, -a)),
    ("huber_loss", lambda a: G.huber_loss(a, -a)),
    ("huber_loss large delta", lambda a: G.huber_loss(a, a / 4, float(a.flat[0]) / 2)),
    ("huber_grad", lambda a: G.huber_grad(a, -a)),
    ("smooth_l1_loss", lambda a: G.smooth_l1_loss(a, a / 4)),
    ("smooth_l1_grad", lambda a: G.smooth_l1_grad(a, -a)),
    ("kl_divergence", lambda a: G.kl_divergence(np.abs(a), -np.abs(a), reduction="sum")),
    ("kl_divergence log_target", lambda a: G.kl_divergence(
        np.log(np.abs(a)) * 1e3, a, log_target=True)),
    ("kl_divergence_grad log_target", lambda a: G.kl_divergence_grad(
        np.log(np.abs(a)) * 1e3, a, log_target=True)),
]


@pytest.mark.parametrize("name, call", OVERFLOWS, ids=[o[0] for o in OVERFLOWS])
@pytest.mark.parametrize("dtype", DTYPES)
def test_no_runtime_warning_at_overflow(name, call, dtype):
    """A result beyond the dtype's range is ±∞ in torch, without a word."""
    top = _F32_TOP if dtype == np.float32 else _F64_TOP
    a = np.array([[top, -top, 1.0], [top, 2.0, -top]], dtype)
    for _ in _paths():
        with quiet_as_torch():
            out = call(a)
        assert np.asarray(out).dtype == dtype


# ----- Activations: special values, every layout, 0-d to 3-D -----

with np.errstate(over="ignore"):
    _SPECIAL = {dtype: np.array(
        [0.0, -0.0, 1e30, -1e30, 1e-30, -1e-30, 1e-45, -1e-45, 5e-324, np.inf, -np.inf, np.nan,
         88.7, -88.7, 700.0, -700.0, 20.0, -20.0, 6.0, -6.0, 1.0, -1.0, 0.5, -0.5], dtype)
        for dtype in DTYPES}

# (name, ours, its derivative, torch's function)
ACTIVATIONS = [
    ("relu", G.relu, G.relu_grad, torch.relu),
    ("leaky_relu 0.2", lambda z: G.leaky_relu(z, negative_slope=0.2),
     lambda z: G.leaky_relu_grad(z, 0.2), lambda t: F.leaky_relu(t, 0.2)),
    ("leaky_relu -0.3", lambda z: G.leaky_relu(z, -0.3), lambda z: G.leaky_relu_grad(z, -0.3),
     lambda t: F.leaky_relu(t, -0.3)),
    ("elu 0.5", lambda z: G.elu(z, 0.5), lambda z: G.elu_grad(z, 0.5), lambda t: F.elu(t, 0.5)),
    ("elu 0", lambda z: G.elu(z, 0.0), lambda z: G.elu_grad(z, 0.0), lambda t: F.elu(t, 0.0)),
    ("gelu", G.gelu, G.gelu_grad, F.gelu),
    ("gelu tanh", lambda z: G.gelu(z, approximate="tanh"), lambda z: G.gelu_grad(z, "tanh"),
     lambda t: F.gelu(t, approximate="tanh")),
    ("silu", G.silu, G.silu_grad, F.silu),
    ("softplus 2, 5", lambda z: G.softplus(z, 2.0, 5.0), lambda z: G.softplus_grad(z, 2.0, 5.0),
     lambda t: F.softplus(t, 2.0, 5.0)),
    # torch's threshold 20 keeps z far out (without one its e^{βz} overflows to −∞); it differs
    # from the formula by e^{−βz}/β, 0 in float64 at the βz = 88.7 and up of _SPECIAL
    ("softplus -1", lambda z: G.softplus(z, beta=-1.0), lambda z: G.softplus_grad(z, -1.0),
     lambda t: F.softplus(t, -1.0)),
    ("sigmoid", G.sigmoid, G.sigmoid_grad, torch.sigmoid),
    ("tanh", None, G.tanh_grad, torch.tanh),
]


def _finite_tails(name: str, z: np.ndarray) -> np.ndarray:
    """torch's float64 is the less accurate one in some tails: gelu(−6) is 1.3e-10 off, its
    Φ(z) + zφ(z) at z = −20 0.25 % off by cancellation, gelu(−20) −0.0 where ours is −5.5e-88;
    its tanh'(20) = 1 − tanh²(20) and σ'(88.7) = σ(1 − σ) are 0 where ours are 1.7e-17 and
    3e-39. Those are compared at |z| ≤ 5 and ±∞, the finite tails replaced by 0."""
    if name.startswith(("gelu", "tanh", "sigmoid")):
        return np.where(np.isfinite(z) & (np.abs(z) > 5), 0.0, z).astype(z.dtype)
    return z


@pytest.mark.parametrize("shape, layout", [((24,), "strided"), ((4, 6), "F"),
                                           ((2, 3, 4), "reversed")])
@pytest.mark.parametrize("dtype", DTYPES)
def test_activations_at_special_values(shape, layout, dtype):
    for name, ours, derivative, theirs in ACTIVATIONS:
        z = _finite_tails(name, _SPECIAL[dtype]).reshape(shape)
        zz = _layout(z, layout)
        value, grad = _vjp(theirs, z)
        value, grad = value.numpy().astype(dtype), grad.numpy().astype(dtype)
        if name == "relu":  # relu_grad(NaN) is 0 where torch passes 1 (documented)
            grad = np.where(np.isnan(z), 0, grad).astype(dtype)
        for _ in _paths():
            for zin in (z, zz):  # C-contiguous (the fast path's) and the layout
                with quiet_as_torch(), _unchanged(zin):
                    if ours is not None:
                        _agree(ours(zin), value, dtype, entrywise=True)
                    if derivative is not None:
                        _agree(derivative(zin), grad, dtype, entrywise=True)
    want = _vjp(torch.relu, z)[1].numpy().astype(dtype)
    for _ in _paths():
        with quiet_as_torch():  # relu_backward passes the upstream gradient at NaN, as torch's
            _agree(G.relu_backward(np.ones_like(z), _layout(z, layout)), want, dtype)


@pytest.mark.parametrize("value", [0.5, -2.0, np.float32(3.0), np.float64(-0.25)])
def test_activations_of_a_number_are_0d(value):
    dtype = np.float32 if isinstance(value, np.float32) else np.float64
    for name, ours, derivative, theirs in ACTIVATIONS:
        want, grad = _vjp(theirs, np.asarray(value))
        for _ in _paths():
            for f, ref in ((ours, want), (derivative, grad)):
                if f is not None:
                    got = f(value)
                    assert np.shape(got) == (), name
                    _agree(got, ref.numpy().astype(dtype), dtype)


# ----- Pointwise losses: every reduction, rank and layout -----

REDUCTIONS = ["mean", "sum", "none"]
LOSS_SHAPES = [(), (7,), (1, 3), (2, 3, 4)]

# (name, ours(x, y, reduction), ours' gradient(x, y, reduction, u), torch's(x, y, reduction),
#  the inputs: x, y from two normal samples)
POINTWISE = [
    ("mse", G.mse_loss, lambda x, y, red, u: G.mse_grad(x, y, red, u),
     lambda x, y, red: F.mse_loss(x, y, reduction=red), lambda a, b: (a, b)),
    ("l1", G.l1_loss, lambda x, y, red, u: G.l1_grad(x, y, red, u),
     lambda x, y, red: F.l1_loss(x, y, reduction=red), lambda a, b: (a, b)),
    ("huber 0.5", lambda x, y, red: G.huber_loss(x, y, 0.5, red),
     lambda x, y, red, u: G.huber_grad(x, y, 0.5, red, u),
     lambda x, y, red: F.huber_loss(x, y, reduction=red, delta=0.5), lambda a, b: (a, b)),
    ("smooth_l1 2", lambda x, y, red: G.smooth_l1_loss(x, y, 2.0, red),
     lambda x, y, red, u: G.smooth_l1_grad(x, y, 2.0, red, u),
     lambda x, y, red: F.smooth_l1_loss(x, y, reduction=red, beta=2.0), lambda a, b: (a, b)),
    ("smooth_l1 0", lambda x, y, red: G.smooth_l1_loss(x, y, 0.0, red),
     lambda x, y, red, u: G.smooth_l1_grad(x, y, 0.0, red, u),
     lambda x, y, red: F.smooth_l1_loss(x, y, reduction=red, beta=0.0), lambda a, b: (a, b)),
    ("bce", lambda x, y, red: G.binary_cross_entropy(x, y, reduction=red),
     lambda x, y, red, u: G.binary_cross_entropy_grad(x, y, reduction=red, grad_output=u),
     lambda x, y, red: F.binary_cross_entropy(x, y, reduction=red),
     lambda a, b: (1 / (1 + np.exp(-a)), 1 / (1 + np.exp(-3 * b)))),
    ("bce with logits", lambda x, y, red: G.binary_cross_entropy_with_logits(x, y, reduction=red),
     lambda x, y, red, u: G.binary_cross_entropy_with_logits_grad(x, y, reduction=red,
                                                                  grad_output=u),
     lambda x, y, red: F.binary_cross_entropy_with_logits(x, y, reduction=red),
     lambda a, b: (30 * a, (b > 0).astype(b.dtype))),
    ("kl", lambda q, p, red: G.kl_divergence(p, q, reduction=red),
     lambda q, p, red, u: G.kl_divergence_grad(p, q, reduction=red, grad_output=u),
     lambda q, p, red: F.kl_div(q, p, reduction=red), lambda a, b: (-np.abs(a), np.abs(b))),
    ("kl log_target", lambda q, p, red: G.kl_divergence(p, q, reduction=red, log_target=True),
     lambda q, p, red, u: G.kl_divergence_grad(p, q, reduction=red, log_target=True,
                                               grad_output=u),
     lambda q, p, red: F.kl_div(q, p, reduction=red, log_target=True),
     lambda a, b: (-np.abs(a), -np.abs(b))),
]


@pytest.mark.filterwarnings("ignore:reduction. 'mean' divides")  # torch's kl_div notice
@pytest.mark.parametrize("shape", LOSS_SHAPES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_pointwise_losses_every_reduction_and_rank(shape, dtype):
    r = np.random.default_rng(12)
    a, b, u = (np.asarray(r.standard_normal(shape), dtype) for _ in range(3))
    layout = LAYOUTS[len(shape)]  # a different layout at each rank
    for _name, ours, ours_grad, theirs, inputs in POINTWISE:
        x, y = (np.asarray(v, dtype) for v in inputs(a, b))
        xx, yy = _layout(x, layout), _layout(y, layout)
        for red in REDUCTIONS:
            upstream = u if red == "none" else None
            want, grad = _vjp(lambda t, f=theirs, y=y, red=red: f(t, _t(y), red), x, upstream)
            for _ in _paths():
                for xin, yin in ((x, y), (xx, yy)):  # C-contiguous (the fast path's) and not
                    with quiet_as_torch():
                        _agree(ours(xin, yin, red), want, dtype)
                        _agree(ours_grad(xin, yin, red, upstream), grad, dtype)


# ----- Cross-entropy and NLL: spatial axes, soft targets, every option -----

CE_SHAPES = [(1, 4), (4,), (2, 4, 3, 2)]


@pytest.mark.parametrize("shape", CE_SHAPES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropy_and_nll_every_option(shape, dtype):
    r = np.random.default_rng(13)
    classes = 1 if len(shape) > 1 else 0
    C = shape[classes]
    Z = (3 * r.standard_normal(shape)).astype(dtype)
    label_shape = shape[:1] + shape[2:] if classes else ()
    hard = np.asarray(r.integers(0, C, label_shape))
    if hard.size > 1:
        hard.flat[-1] = 2  # an ignored position (ignore_index=2 below), not all of them
    soft = r.random(shape).astype(dtype)
    soft /= soft.sum(axis=classes, keepdims=True)
    weight = (r.random(C) + 0.2).astype(dtype)
    ZZ = _layout(Z, "F" if Z.ndim > 1 else "reversed")
    for red in REDUCTIONS:
        u = r.standard_normal(label_shape).astype(dtype) if red == "none" else None
        for target, options in ((hard, {"ignore_index": 2, "label_smoothing": 0.2}),
                                (hard, {"weight": weight, "ignore_index": 2}),
                                (soft, {"weight": weight, "label_smoothing": 0.1})):
            torch_options = {k: (_t(v) if k == "weight" else v) for k, v in options.items()}
            want, grad = _vjp(lambda t, tg=target, o=torch_options, red=red:
                              F.cross_entropy(t, _t(tg), reduction=red, **o), Z, u)
            for _, Zin in zip(_paths(), (Z, ZZ, Z), strict=False):
                with quiet_as_torch(), _unchanged(target):
                    _agree(G.cross_entropy(Zin, target, reduction=red, **options), want, dtype)
                    _agree(G.cross_entropy_grad(Zin, target, reduction=red, grad_output=u,
                                                **options), grad, dtype)
        log_probs = torch.log_softmax(_t(Z), classes).numpy().astype(dtype)
        want, grad = _vjp(lambda t, red=red: F.nll_loss(t, _t(hard), _t(weight), ignore_index=2,
                                                         reduction=red), log_probs, u)
        for _ in _paths():
            with quiet_as_torch():
                _agree(G.nll_loss(log_probs, hard, weight, 2, red), want, dtype)
                _agree(G.nll_loss_grad(log_probs, hard, weight, 2, red, u), grad, dtype)


# ----- Softmax and log-softmax: every axis, layout and rank -----


@pytest.mark.parametrize("shape", [(5,), (1, 4), (2, 1, 3, 2)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_family_every_axis(shape, dtype):
    r = np.random.default_rng(14)
    Z, g = (r.standard_normal(shape) * 4).astype(dtype), r.standard_normal(shape).astype(dtype)
    Z.flat[0] = 1e30 if dtype == np.float64 else 3e38  # far out, not +∞
    for axis in range(-len(shape), len(shape)):
        layout = LAYOUTS[axis % 4]
        ZZ, gg = _layout(Z, layout), _layout(g, layout)
        s, ls = torch.softmax(_t(Z), axis), torch.log_softmax(_t(Z), axis)
        # floor: the VJP's g − Σ s ⊙ g cancels, to float32's ulp of |g| ≈ 1
        floor = 1e-6 if dtype == np.float32 else 1e-14
        for _ in _paths():
            with quiet_as_torch():
                ours_s, ours_ls = G.softmax(ZZ, dim=axis), G.log_softmax(ZZ, axis)
                _agree(ours_s, s, dtype)
                _agree(ours_ls, ls, dtype)
                # torch's backward of the same (rounded) outputs: the VJP's own error
                _agree(G.softmax_vjp(gg, ours_s, axis), aten._softmax_backward_data(
                    _t(g), _t(ours_s), axis, torch.float64), dtype, floor=floor)
                _agree(G.log_softmax_vjp(gg, ours_ls, dim=axis),
                       aten._log_softmax_backward_data(_t(g), _t(ours_ls), axis,
                                                       torch.float64), dtype, floor=floor)


# ----- Batch norm and layer norm: images, sequences, running statistics, no affine -----


@pytest.mark.parametrize("shape", [(1, 3), (4, 3, 2), (6, 2, 1, 1)])
@pytest.mark.parametrize("mode", ["batch", "running", "eval"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_batchnorm_every_rank_and_mode(shape, mode, dtype):
    if mode == "running" and shape[0] * math.prod(shape[2:]) == 1:
        pytest.skip("one value per channel: the unbiased variance is refused, as torch's")
    r = np.random.default_rng(15)
    C = shape[1]
    X = (2 * r.standard_normal(shape) + 1).astype(dtype)
    dout = r.standard_normal(shape).astype(dtype)
    for affine in (True, False):
        gamma, beta = (r.standard_normal(C).astype(dtype) if affine else None for _ in "gb")
        rm, rv = r.standard_normal(C).astype(dtype), (r.random(C) + 0.5).astype(dtype)
        rmt, rvt = _t(rm), _t(rv)
        leaves = [_t(X).requires_grad_(True)] + ([_t(gamma).requires_grad_(True),
                                                  _t(beta).requires_grad_(True)] if affine else [])
        weights = leaves[1:] or [None, None]
        training = mode != "eval"
        if mode == "batch":  # aten's: F.batch_norm refuses one value per channel in training
            y = aten.native_batch_norm(leaves[0], *weights, None, None, True, 0.1, 1e-5)[0]
        else:
            y = F.batch_norm(leaves[0], rmt, rvt, *weights, training=training, momentum=0.3,
                             eps=1e-3)
        grads = torch.autograd.grad(y, leaves, _t(dout))
        # floor: one value per channel has x̂ = 0 exactly here, torch's rounding noise there
        floor = 1e-6 if dtype == np.float32 else 1e-12
        for _, layout in zip(_paths(), ("F", "C", "strided"), strict=False):
            if mode == "batch":
                out, cache = G.batchnorm_forward(_layout(X, layout), gamma, beta)
            else:
                ours_rm, ours_rv = rm.copy(), rv.copy()
                out, cache = G.batchnorm_forward(_layout(X, layout), gamma, beta, 1e-3,
                                                 running_mean=ours_rm, running_var=ours_rv,
                                                 training=training, momentum=0.3)
                _agree(ours_rm, rmt, dtype)
                _agree(ours_rv, rvt, dtype)
            got = G.batchnorm_backward(_layout(dout, "C" if layout == "C" else "reversed"),
                                       cache)
            _agree(out, y, dtype, floor=floor)
            _agree(got[0], grads[0], dtype, floor=floor)
            if affine:
                _agree(got[1], grads[1], dtype, floor=floor)
                _agree(got[2], grads[2], dtype)
            else:
                assert got[1] is None and got[2] is None


@pytest.mark.parametrize("shape, normalized_shape", [
    ((2, 3, 4), None), ((2, 3, 4), (3, 4)), ((4,), None), ((1, 1), None)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_layernorm_every_rank(shape, normalized_shape, dtype):
    r = np.random.default_rng(16)
    X = (3 * r.standard_normal(shape)).astype(dtype)
    dout = r.standard_normal(shape).astype(dtype)
    ns = ((shape[-1],) if normalized_shape is None else
          (normalized_shape,) if isinstance(normalized_shape, int) else normalized_shape)
    keyword = {} if normalized_shape is None else {"normalized_shape": normalized_shape}
    for affine in (True, False):
        gamma, beta = (r.standard_normal(ns).astype(dtype) if affine else None for _ in "gb")
        leaves = [_t(X).requires_grad_(True)] + ([_t(gamma).requires_grad_(True),
                                                  _t(beta).requires_grad_(True)] if affine else [])
        y = F.layer_norm(leaves[0], ns, *(leaves[1:] or [None, None]), 1e-5)
        grads = torch.autograd.grad(y, leaves, _t(dout))
        # as batch norm's: a row of one value has x̂ = 0; the compiled float32 kernel leaves
        # 1e-6 of rounding there (torch's float32 6e-5), documented in round 11
        floor = 1e-5 if dtype == np.float32 else 1e-12
        for _, layout in zip(_paths(), ("reversed", "C", "C"), strict=False):
            with quiet_as_torch():
                out, cache = G.layernorm_forward(_layout(X, layout), gamma, beta, **keyword)
                got = G.layernorm_backward(_layout(dout, "F" if layout != "C" else "C"), cache)
            _agree(out, y, dtype, floor=floor)
            for ours, theirs in zip(got, grads, strict=False):
                _agree(ours, theirs, dtype, floor=floor)


# ----- Optimizers: 12 steps against torch.optim, hyper-parameters at their edges -----

STEPS = 12
# (name, torch.optim factory, our step(params, grad, state, t), number of state arrays)
OPTIMIZERS: list[tuple[str, Callable, Callable, int]] = [
    ("sgd lr 0, decay, maximize",
     lambda q: torch.optim.SGD(q, lr=0.0, weight_decay=0.3, maximize=True),
     lambda p, g, s, t: G.sgd_step(p, g, 0.0, weight_decay=0.3, maximize=True), 0),
    ("momentum 1, dampening 0.5",
     lambda q: torch.optim.SGD(q, lr=0.01, momentum=1.0, dampening=0.5, weight_decay=0.1),
     lambda p, g, s, t: G.momentum_step(p, g, s[0], 0.01, momentum=1.0, dampening=0.5,
                                        weight_decay=0.1, t=t), 1),
    ("nesterov, decay, maximize",
     lambda q: torch.optim.SGD(q, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.3,
                               maximize=True),
     lambda p, g, s, t: G.momentum_step(p, g, s[0], 0.1, 0.9, nesterov=True, weight_decay=0.3,
                                        maximize=True), 1),
    ("nesterov lr 0", lambda q: torch.optim.SGD(q, lr=0.0, momentum=0.5, nesterov=True),
     lambda p, g, s, t: G.sgd_nesterov_step(p, g, s[0], 0.0, 0.5), 1),
    ("adagrad eps 0, lr_decay, decay, maximize",
     lambda q: torch.optim.Adagrad(q, lr=0.1, lr_decay=0.5, weight_decay=0.3, eps=0.0,
                                   maximize=True),
     lambda p, g, s, t: G.adagrad_step(p, g, s[0], 0.1, 0.0, lr_decay=0.5, weight_decay=0.3,
                                       t=t, maximize=True), 1),
    ("rmsprop alpha 0",
     lambda q: torch.optim.RMSprop(q, lr=0.01, alpha=0.0, weight_decay=0.3),
     lambda p, g, s, t: G.rmsprop_step(p, g, s[0], 0.01, alpha=0.0, weight_decay=0.3), 1),
    ("rmsprop centered, momentum, maximize",
     lambda q: torch.optim.RMSprop(q, lr=0.01, alpha=0.5, centered=True, momentum=0.7,
                                   maximize=True),
     lambda p, g, s, t: G.rmsprop_step(p, g, s[0], 0.01, 0.5, centered=True, grad_avg=s[1],
                                       momentum=0.7, momentum_buffer=s[2], maximize=True), 3),
    ("adam betas 0 0, amsgrad, decay, maximize",
     lambda q: torch.optim.Adam(q, lr=0.1, betas=(0.0, 0.0), weight_decay=0.3, amsgrad=True,
                                maximize=True),
     lambda p, g, s, t: G.adam_step(p, g, s[0], s[1], t, 0.1, betas=(0.0, 0.0),
                                    weight_decay=0.3, amsgrad=True, max_v=s[2],
                                    maximize=True), 3),
    ("adam eps 0, beta2 0.99999",
     lambda q: torch.optim.Adam(q, lr=0.1, betas=(0.9, 0.99999), eps=0.0),
     lambda p, g, s, t: G.adam_step(p, g, s[0], s[1], t, 0.1, 0.9, 0.99999, 0.0), 2),
    ("adam decoupled",
     lambda q: torch.optim.Adam(q, lr=0.1, weight_decay=0.3, decoupled_weight_decay=True),
     lambda p, g, s, t: G.adam_step(p, g, s[0], s[1], t, 0.1, weight_decay=0.3,
                                    decoupled_weight_decay=True), 2),
    ("adamw lr 0, amsgrad, maximize",
     lambda q: torch.optim.AdamW(q, lr=0.0, amsgrad=True, maximize=True),
     lambda p, g, s, t: G.adamw_step(p, g, s[0], s[1], t, 0.0, amsgrad=True, max_v=s[2],
                                     maximize=True), 3),
    ("adamw betas 0 0.999",
     lambda q: torch.optim.AdamW(q, lr=0.1, betas=(0.0, 0.999), weight_decay=0.5),
     lambda p, g, s, t: G.adamw_step(p, g, s[0], s[1], t, 0.1, 0.0, 0.999,
                                     weight_decay=0.5), 2),
]


def _writable_view(a: np.ndarray, layout: str) -> np.ndarray:
    view = _layout(a, layout)
    view.flags.writeable = True  # its holder is writeable: a view in the layout, written through
    return view


@pytest.mark.parametrize("name, make, step, n_state, layout",
                         [(*o, LAYOUTS[i % 4]) for i, o in enumerate(OPTIMIZERS)],
                         ids=[o[0] for o in OPTIMIZERS])
@pytest.mark.parametrize("dtype", DTYPES)
def test_optimizers_over_twelve_steps(name, make, step, n_state, layout, dtype):
    """Parameters and state in a layout (each optimizer its own, updated in place through the
    view), the gradient read-only; torch in the same dtype, so that both round alike."""
    r = np.random.default_rng(17)
    p0 = r.standard_normal((3, 4)).astype(dtype)
    grads = (3 * r.standard_normal((STEPS, 3, 4))).astype(dtype)
    q = torch.nn.Parameter(torch.tensor(p0))
    opt = make([q])
    trajectory = []
    for g in grads:
        q.grad = torch.tensor(g)
        opt.step()
        trajectory.append(q.detach().numpy().copy())
    tol = {"rtol": 1e-5, "atol": 1e-6} if dtype == np.float32 else {"rtol": 1e-12, "atol": 1e-14}
    for _ in _paths():
        for lay in {"C", layout}:  # C-contiguous (the fast path's) and the optimizer's own
            params = _writable_view(p0, lay)
            state = [_writable_view(np.zeros_like(p0), lay) for _ in range(n_state)]
            for t, (g, want) in enumerate(zip(grads, trajectory, strict=True), 1):
                gg = _layout(g, lay)
                with quiet_as_torch(), _unchanged(gg):
                    step(params, gg, state, t)
                assert params.dtype == dtype
                np.testing.assert_allclose(params, want, **tol)


@pytest.mark.parametrize("dtype", DTYPES)
def test_adam_bias_corrected_and_clip_grad_norm(dtype):
    r = np.random.default_rng(18)
    m, v = r.standard_normal((3, 2)).astype(dtype), np.abs(r.standard_normal((3, 2))).astype(dtype)
    for t, betas in ((1, (0.9, 0.999)), (1000, (0.0, 0.0)), (7, (0.5, 0.99999))):
        got = G.adam_bias_corrected(_layout(m, "F"), _layout(v, "strided"), t, *betas)
        _agree(got[0], _t(m) / (1 - torch.tensor(betas[0], dtype=torch.float64) ** t), dtype)
        _agree(got[1], _t(v) / (1 - torch.tensor(betas[1], dtype=torch.float64) ** t), dtype)
    grads = [r.standard_normal((3, 4)).astype(dtype), r.standard_normal(5).astype(dtype)]
    params = [torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.float64)) for g in grads]
    for p, g in zip(params, grads, strict=True):
        p.grad = _t(g)
    want = torch.nn.utils.clip_grad_norm_(params, 0.5, 3.0)
    ours = [g.copy() for g in grads]
    assert G.clip_grad_norm(ours, max_norm=0.5, norm_type=3.0) == pytest.approx(float(want))
    for got, p in zip(ours, params, strict=True):
        _agree(got, p.grad, dtype)


# ----- Layers, regressions and networks: the formulas through autograd -----


@pytest.mark.parametrize("lead", [(), (1,), (5,), (2, 3)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_linear_relu_and_dropout_with_leading_axes(lead, dtype):
    r = np.random.default_rng(19)
    W = r.standard_normal((3, 4)).astype(dtype)
    a = r.standard_normal((*lead, 4)).astype(dtype)
    delta = r.standard_normal((*lead, 3)).astype(dtype)
    Wt, at = _t(W).requires_grad_(True), _t(a).requires_grad_(True)
    dW, da = torch.autograd.grad(F.linear(at, Wt), [Wt, at], _t(delta))
    mask = r.random(a.shape) > 0.4
    kept = {p: _t(a) * _t(mask.astype(dtype)) * (0.0 if p == 1 else 1 / (1 - p))
            for p in (0.0, 0.4, 1.0)}
    for _ in _paths():
        _agree(G.linear_weight_grad(_layout(delta, "reversed"), _layout(a, "strided")), dW,
               dtype)
        _agree(G.linear_weight_grad(delta, a), dW, dtype)
        _agree(G.linear_input_grad(_layout(W, "F"), _layout(delta, "strided")), da, dtype)
        _agree(G.linear_input_grad(W, delta), da, dtype)
        for p, want in kept.items():
            for m in (mask, mask.astype(np.int64), mask.astype(dtype)):
                _agree(G.dropout(_layout(a, "reversed"), m, p), want, dtype)
                _agree(G.dropout_grad(_layout(a, "C"), m, p), want, dtype)


@pytest.mark.parametrize("N, d", [(6, 3), (1, 2)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_regression_and_classification_losses_through_autograd(N, d, dtype):
    r = np.random.default_rng(20)
    X, theta = r.standard_normal((N, d)).astype(dtype), r.standard_normal(d).astype(dtype)
    y = r.standard_normal(N).astype(dtype)
    y01 = (r.random(N) > 0.5).astype(dtype)
    XF = _layout(X, "F")
    # (ours(X, y, θ), gradient, torch's loss of (X, y, θ), y)
    cases = [
        (G.linear_regression_loss, G.linear_regression_grad,
         lambda X, y, th: ((X @ th - y) ** 2).mean(), y),
        (lambda *a: G.ridge_loss(*a, 0.7), lambda *a: G.ridge_grad(*a, 0.7),
         lambda X, y, th: ((X @ th - y) ** 2).mean() / 2 + 0.7 * (th ** 2).sum(), y),
        (lambda *a: G.lasso_loss(*a, 0.7), lambda *a: G.lasso_subgrad(*a, 0.7),
         lambda X, y, th: ((X @ th - y) ** 2).mean() / 2 + 0.7 * th.abs().sum(), y),
        (G.logistic_loss, G.logistic_grad,
         lambda X, y, th: F.binary_cross_entropy_with_logits(X @ th, y), y01),
        (G.logistic_mse_loss, G.logistic_mse_grad,
         lambda X, y, th: ((torch.sigmoid(X @ th) - y) ** 2).mean() / 2, y01),
        (G.perceptron_loss, G.perceptron_grad,
         lambda X, y, th: (((X @ th >= 0).double() - y) * (X @ th)).sum(), y01),
    ]
    wants = [_vjp(lambda th, f=theirs, tg=target: f(_t(X), _t(tg), th), theta)
             for _, _, theirs, target in cases]
    s, ypm = 2 * X[:, 0], np.where(y01 > 0, 1, -1).astype(dtype)
    hinge = _vjp(lambda t: torch.relu(1 - _t(ypm) * t).mean(), s)
    W, labels = r.standard_normal((d, 4)).astype(dtype), r.integers(0, 4, N)
    regression = _vjp(lambda w: F.cross_entropy(_t(X) @ w, _t(labels)), W)
    Z = (5 * r.standard_normal((N, 4))).astype(dtype)
    entropy = _vjp(lambda z: F.cross_entropy(z, _t(labels)), Z)
    solution = (torch.linalg.pinv(_t(X)) @ _t(y)).numpy()
    for _ in _paths():
        for (ours, ours_grad, _, target), (loss, grad) in zip(cases, wants, strict=True):
            with quiet_as_torch():
                _agree(ours(XF, _layout(target, "reversed"), theta), loss, dtype)
                _agree(ours(X, target, theta), loss, dtype)
                _agree(ours_grad(XF, target, _layout(theta, "strided")), grad, dtype)
                _agree(ours_grad(X, target, theta), grad, dtype)
        _agree(G.hinge_loss(s, ypm), hinge[0], dtype)
        _agree(G.hinge_grad(s, ypm), hinge[1], dtype)
        _agree(G.softmax_regression_loss(XF, W, labels), regression[0], dtype)
        _agree(G.softmax_regression_grad(X, _layout(W, "F"), labels), regression[1], dtype)
        _agree(G.softmax_regression_grad(X, W, labels), regression[1], dtype)
        _agree(G.softmax_cross_entropy(_layout(Z, "strided"), labels), entropy[0], dtype)
        _agree(G.softmax_cross_entropy_grad(Z, labels), entropy[1], dtype)
        np.testing.assert_allclose(G.normal_equation(XF, y), solution,
                                   rtol=1e-3 if dtype == np.float32 else 1e-9)


@pytest.mark.parametrize("N", [1, 6])
@pytest.mark.parametrize("dtype", DTYPES)
def test_networks_through_autograd(N, dtype):
    r = np.random.default_rng(21)
    d, h, k, C = 3, 5, 2, 4
    X, Y = r.standard_normal((N, d)).astype(dtype), r.standard_normal((N, k)).astype(dtype)
    W1, b1 = r.standard_normal((h, d)).astype(dtype), r.standard_normal(h).astype(dtype)
    W2, b2 = r.standard_normal((k, h)).astype(dtype), r.standard_normal(k).astype(dtype)
    leaves = [_t(a).requires_grad_(True) for a in (W1, b1, W2, b2)]
    out = torch.relu(_t(X) @ leaves[0].T + leaves[1]) @ leaves[2].T + leaves[3]
    J = 0.5 * ((_t(Y) - out) ** 2).sum(1).mean()
    grads = torch.autograd.grad(J, leaves)
    for _ in _paths():
        with quiet_as_torch():
            _agree(G.relu_net_forward(_layout(X, "F"), Y, W1, b1, W2, b2).loss, J, dtype)
            for ours, theirs in zip(G.relu_net_grads(X, Y, _layout(W1, "strided"), b1, W2, b2),
                                    grads, strict=True):
                _agree(ours, theirs, dtype)
            for ours, theirs in zip(G.relu_net_grads(X, Y, W1, b1, W2, b2), grads, strict=True):
                _agree(ours, theirs, dtype)
    W, V = r.standard_normal((d, h)).astype(dtype), r.standard_normal((h, C)).astype(dtype)
    labels = r.integers(0, C, N)
    leaves = [_t(W).requires_grad_(True), _t(V).requires_grad_(True)]
    L = F.cross_entropy(torch.sigmoid(_t(X) @ leaves[0]) @ leaves[1], _t(labels))
    grads = torch.autograd.grad(L, leaves)
    for _ in _paths():
        with quiet_as_torch():
            _agree(G.two_layer_forward(X, _layout(W, "reversed"), V, labels).loss, L, dtype)
            for XX in (_layout(X, "F"), X):
                for ours, theirs in zip(G.two_layer_grads(XX, W, V, labels), grads,
                                        strict=True):
                    _agree(ours, theirs, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_gaussian_mixture_against_torch_distributions(dtype):
    r = np.random.default_rng(22)
    X = r.standard_normal((6, 2)).astype(dtype)
    w = r.random(3)
    w = (w / w.sum()).astype(dtype)
    mu = r.standard_normal((3, 2)).astype(dtype)
    A = r.standard_normal((3, 2, 2))
    cov = (A @ A.transpose(0, 2, 1) + np.eye(2)).astype(dtype)
    normal = torch.distributions.MultivariateNormal(_t(mu), _t(cov))
    joint = normal.log_prob(_t(X)[:, None, :]) + torch.log(_t(w))
    for _ in _paths():
        with quiet_as_torch():
            _agree(G.gmm_log_likelihood(_layout(X, "F"), w, mu, cov),
                   torch.logsumexp(joint, 1).sum().numpy().astype(dtype), dtype)
            _agree(G.gmm_responsibilities(X, _layout(w, "reversed"), _layout(mu, "strided"),
                                          cov), torch.softmax(joint, 1).numpy().astype(dtype),
                   dtype)


# ----- Convolution and pooling: layouts and a batch of 1 -----


@pytest.mark.parametrize("dtype", DTYPES)
def test_convolution_and_pooling_layouts(dtype):
    r = np.random.default_rng(23)
    x = r.standard_normal((1, 2, 7, 6)).astype(dtype)
    w = r.standard_normal((4, 2, 3, 2)).astype(dtype)
    b = r.standard_normal(4).astype(dtype)
    xt, wt = _t(x).requires_grad_(True), _t(w).requires_grad_(True)
    y = F.conv2d(xt, wt, _t(b), stride=(2, 1), padding=1, dilation=(1, 2))
    dout = r.standard_normal(tuple(y.shape)).astype(dtype)
    dx, dw = torch.autograd.grad(y, [xt, wt], _t(dout))
    options = {"stride": (2, 1), "padding": 1, "dilation": (1, 2)}
    for _, lay in zip(_paths(), ("F", "C", "reversed"), strict=False):
        with quiet_as_torch():
            _agree(G.conv2d(_layout(x, lay), _layout(w, lay), bias=b, **options), y, dtype)
            _agree(G.conv2d_grad_input(_layout(dout, lay), w, x.shape, **options), dx, dtype)
            _agree(G.conv2d_grad_weight(x, _layout(dout, lay), w.shape, **options), dw, dtype)
            _agree(G.conv2d_grad_bias(_layout(dout, lay)), _t(dout).sum((0, 2, 3)), dtype)
    for pool, grad, theirs in (
            (G.max_pool2d, lambda d, x: G.max_pool2d_grad(d, x, 3, 2, padding=1),
             lambda t: F.max_pool2d(t, 3, 2, 1)),
            (G.avg_pool2d, lambda d, x: G.avg_pool2d_grad(d, x.shape, 3, 2, 1),
             lambda t: F.avg_pool2d(t, 3, 2, 1))):
        want = theirs(_t(x))
        up = r.standard_normal(tuple(want.shape)).astype(dtype)
        _, dx = _vjp(theirs, x, up)
        for _, lay in zip(_paths(), ("strided", "C", "F"), strict=False):
            with quiet_as_torch():
                _agree(pool(_layout(x, lay), 3, 2, 1), want, dtype)
                _agree(grad(_layout(up, lay), _layout(x, lay)), dx, dtype)
