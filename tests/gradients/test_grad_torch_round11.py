"""Round 11 of the torch cross-check: kinks, ties and edges, and the orders torch's
clip_grad_norm_ takes that are no norms.

clip_grad_norm refused norm_type 0 and p < 0 (−∞ included), which torch accepts: its total
norm is the p-norm of the per-array p-norms, which for p < 0 is (Σ|g|^p)^(1/p) over every
entry (0 as soon as one entry is 0; −∞: the smallest |entry|) and for p = 0 the number of
arrays holding an entry ≠ 0 (NaN counts), not the number of nonzero entries. Each test of
these orders failed before (ValueError: norm_type must be > 0)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import derivations.gradients as G

pytestmark = pytest.mark.one_path  # clip_grad_norm has no fast path

torch = pytest.importorskip("torch")

ORDERS = [0.0, -1.0, -2.0, -0.5, -math.inf, "-inf", "0"]


def _torch_clip(grads: list[np.ndarray], max_norm: float, norm_type) -> tuple[float, list]:
    """torch's norm and clipped gradients, in float64 whatever the gradients' dtype."""
    params = [torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.float64)) for g in grads]
    for p, g in zip(params, grads, strict=True):
        p.grad = torch.tensor(g.astype(np.float64))
    norm = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type)
    return float(norm), [p.grad.numpy() for p in params]


def _gradients(kind: str, dtype) -> list[np.ndarray]:
    r = np.random.default_rng(11)
    grads = [r.standard_normal((3, 4)), r.standard_normal(5), r.standard_normal(7)]
    if kind == "a zero entry":
        grads[1][2] = 0
    elif kind == "a zero array":
        grads[2][:] = 0
    elif kind == "an infinite entry":
        grads[0][1, 1] = -math.inf
    elif kind == "a NaN entry":
        grads[1][0] = math.nan
    elif kind == "all zero":
        grads = [np.zeros_like(g) for g in grads]
    elif kind == "one array":
        grads = grads[:1]
    return [g.astype(dtype) for g in grads]


KINDS = ["random", "a zero entry", "a zero array", "an infinite entry", "a NaN entry",
         "all zero", "one array"]


@pytest.mark.parametrize("norm_type", ORDERS)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_clip_grad_norm_orders_that_are_no_norms_as_torch(norm_type, kind, dtype):
    raw = _gradients(kind, dtype)
    for max_norm in (0.5, 1e6):  # clips, does not clip
        want_norm, want = _torch_clip(raw, max_norm, norm_type)
        ours = [g.copy() for g in raw]
        with np.errstate(invalid="ignore"):  # ∞ · 0 where torch's NaN is too
            norm = G.clip_grad_norm(ours, max_norm, norm_type)
        assert norm == pytest.approx(want_norm, rel=1e-12, nan_ok=True)
        for g, w in zip(ours, want, strict=True):
            assert g.dtype == dtype
            np.testing.assert_allclose(g, w, rtol=1e-6 if dtype == np.float32 else 1e-12)


def test_order_zero_counts_arrays_not_entries():
    """torch's p = 0 is ‖(‖g₁‖₀, ‖g₂‖₀)‖₀ = 2 here, where the entries' count is 4."""
    grads = [np.array([3.0, 0.0, -4.0]), np.array([1.0, 2.0]), np.zeros(2)]
    assert _torch_clip(grads, 1.0, 0)[0] == 2.0
    assert G.clip_grad_norm(grads, 1.0, 0) == 2.0
    np.testing.assert_allclose(grads[0], np.array([3.0, 0.0, -4.0]) / (2 + 1e-6), rtol=1e-15)


def test_order_zero_with_nan_is_finite_so_error_if_nonfinite_passes():
    """A NaN is ≠ 0: torch counts its array, the norm is finite, nothing is refused."""
    grads = [np.array([math.nan, 1.0]), np.array([2.0])]
    assert G.clip_grad_norm(grads, 10.0, 0, True) == 2.0
    assert math.isnan(grads[0][0]) and grads[1][0] == 2.0  # scale min(1, 10/2) = 1


@pytest.mark.parametrize("norm_type", [-1.0, -math.inf])
def test_negative_orders_of_a_nan_are_refused_with_error_if_nonfinite(norm_type):
    grads = [np.array([math.nan, 1.0]), np.array([2.0])]
    with pytest.raises(ValueError, match="error_if_nonfinite"):
        G.clip_grad_norm(grads, 1.0, norm_type, True)


def test_negative_order_keeps_its_precision_at_extreme_magnitudes():
    """Scaled by the smallest |entry|: no power of 1e-200 or 1e200 over- or underflows."""
    grads = [np.array([1e-200, 2e-200]), np.array([1e200])]
    want = 1e-200 / math.sqrt(1 + 0.25)  # (Σ g⁻²)^(−1/2), the 1e200 term adds 1e-800
    assert G.clip_grad_norm(grads, 1.0, -2.0) == pytest.approx(want, rel=1e-14)


# ----- batchnorm_forward in F.batch_norm's positional order -----


def test_batchnorm_forward_names_torchs_order_when_an_array_lands_on_eps():
    """F.batch_norm(x, running_mean, running_var, weight) ported positionally puts weight on
    ε: refused naming torch's order (it said only 'eps must be a real number'). Three
    positional arrays cannot be told from (X, γ, β) and stay documented."""
    x = np.random.default_rng(0).standard_normal((4, 3))
    with pytest.raises(ValueError, match=r"F\.batch_norm takes \(input, running_mean"):
        G.batchnorm_forward(x, np.zeros(3), np.ones(3), np.ones(3))
    out, _ = G.batchnorm_forward(x, None, None, np.array(1e-3))  # a 0-d ε is a number
    assert out.dtype == np.float64


# ----- torch's keyword for the tensor argument: input= (and clip_grad_norm_'s parameters=) ---

F = torch.nn.functional
_R = np.random.default_rng(11)
_Z = _R.standard_normal((4, 5))
_T = _R.integers(0, 5, 4)
_IMG = _R.standard_normal((1, 2, 6, 6))
_W = _R.standard_normal((3, 2, 3, 3))
_P = np.exp(_Z[::-1]) / np.exp(_Z[::-1]).sum(axis=1, keepdims=True)
_LQ = _Z - np.log(np.exp(_Z).sum(axis=1, keepdims=True))
_S = 1 / (1 + np.exp(-_Z))
_Y = (_Z > 0) * 1.0


def _t(a: np.ndarray):
    return torch.tensor(a)


# (what, the library called with torch's keywords, torch's call with the same keywords)
BY_KEYWORD = [
    ("relu", lambda: G.relu(input=_Z), lambda: F.relu(input=_t(_Z))),
    ("leaky_relu", lambda: G.leaky_relu(input=_Z, negative_slope=0.2),
     lambda: F.leaky_relu(input=_t(_Z), negative_slope=0.2)),
    ("elu", lambda: G.elu(input=_Z, alpha=2.0), lambda: F.elu(input=_t(_Z), alpha=2.0)),
    ("gelu", lambda: G.gelu(input=_Z, approximate="tanh"),
     lambda: F.gelu(input=_t(_Z), approximate="tanh")),
    ("silu", lambda: G.silu(input=_Z), lambda: F.silu(input=_t(_Z))),
    ("softplus", lambda: G.softplus(input=_Z, beta=2.0, threshold=1.0),
     lambda: F.softplus(input=_t(_Z), beta=2.0, threshold=1.0)),
    ("softmax", lambda: G.softmax(input=_Z, dim=0), lambda: F.softmax(input=_t(_Z), dim=0)),
    ("log_softmax", lambda: G.log_softmax(input=_Z, dim=1),
     lambda: F.log_softmax(input=_t(_Z), dim=1)),
    ("cross_entropy", lambda: G.cross_entropy(input=_Z, target=_T, label_smoothing=0.1),
     lambda: F.cross_entropy(input=_t(_Z), target=_t(_T), label_smoothing=0.1)),
    ("nll_loss", lambda: G.nll_loss(input=_LQ, target=_T),
     lambda: F.nll_loss(input=_t(_LQ), target=_t(_T))),
    ("binary_cross_entropy_with_logits",
     lambda: G.binary_cross_entropy_with_logits(input=_Z, target=_Y),
     lambda: F.binary_cross_entropy_with_logits(input=_t(_Z), target=_t(_Y))),
    ("binary_cross_entropy", lambda: G.binary_cross_entropy(input=_S, target=_Y),
     lambda: F.binary_cross_entropy(input=_t(_S), target=_t(_Y))),
    ("mse_loss", lambda: G.mse_loss(input=_Z, target=_P), lambda: F.mse_loss(input=_t(_Z),
                                                                            target=_t(_P))),
    ("l1_loss", lambda: G.l1_loss(input=_Z, target=_P), lambda: F.l1_loss(input=_t(_Z),
                                                                         target=_t(_P))),
    ("huber_loss", lambda: G.huber_loss(input=_Z, target=_P, delta=0.3),
     lambda: F.huber_loss(input=_t(_Z), target=_t(_P), delta=0.3)),
    ("smooth_l1_loss", lambda: G.smooth_l1_loss(input=_Z, target=_P, beta=0.3),
     lambda: F.smooth_l1_loss(input=_t(_Z), target=_t(_P), beta=0.3)),
    ("kl_div", lambda: G.kl_divergence(input=_LQ, target=_P, reduction="batchmean"),
     lambda: F.kl_div(input=_t(_LQ), target=_t(_P), reduction="batchmean")),
    ("conv2d", lambda: G.conv2d(input=_IMG, weight=_W, padding=1),
     lambda: F.conv2d(input=_t(_IMG), weight=_t(_W), padding=1)),
    ("max_pool2d", lambda: G.max_pool2d(input=_IMG, kernel_size=2),
     lambda: F.max_pool2d(input=_t(_IMG), kernel_size=2)),
    ("avg_pool2d", lambda: G.avg_pool2d(input=_IMG, kernel_size=2),
     lambda: F.avg_pool2d(input=_t(_IMG), kernel_size=2)),
    ("batch_norm", lambda: G.batchnorm_forward(input=_Z)[0],
     lambda: F.batch_norm(input=_t(_Z), running_mean=None, running_var=None, training=True)),
    ("layer_norm", lambda: G.layernorm_forward(input=_Z)[0],
     lambda: F.layer_norm(input=_t(_Z), normalized_shape=(5,))),
]


@pytest.mark.parametrize(("what", "ours", "theirs"), BY_KEYWORD, ids=[c[0] for c in BY_KEYWORD])
def test_torchs_input_keyword_ports(what, ours, theirs):
    """Each failed before: TypeError, unexpected keyword argument 'input' (or 'target' for
    kl_divergence, whose target is P, or 'weight' for conv2d's kernel)."""
    np.testing.assert_allclose(ours(), theirs().numpy(), rtol=1e-12, atol=1e-14)


def test_clip_grad_norm_takes_torchs_parameters_keyword():
    raw = np.array([3.0, 4.0])
    grads = [raw.copy()]
    leaf = torch.nn.Parameter(torch.zeros(2, dtype=torch.float64))
    leaf.grad = torch.tensor(raw)
    want = torch.nn.utils.clip_grad_norm_(parameters=[leaf], max_norm=1.0)
    assert G.clip_grad_norm(parameters=grads, max_norm=1.0) == float(want)
    np.testing.assert_allclose(grads[0], leaf.grad.numpy(), rtol=1e-15)


def test_input_and_the_librarys_name_together_are_a_typeerror():
    with pytest.raises(TypeError, match="'input'"):
        G.relu(_Z, input=_Z)
    with pytest.raises(TypeError, match="'target'"):
        G.kl_divergence(_P, _LQ, target=_P)
