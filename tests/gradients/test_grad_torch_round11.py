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
