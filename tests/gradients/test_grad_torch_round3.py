"""Round 3 of the cross-check against torch (harness /tmp/xcheck3): calls a torch user writes
in torch's own argument order, and what torch refuses.

* clip_grad_norm(grads, max_norm, norm_type, error_if_nonfinite) as
  torch.nn.utils.clip_grad_norm_: the third positional argument was ε, so a norm type of 2
  (or ∞) was silently taken as ε = 2 (ε = ∞ zeroed every gradient);
* max_pool2d(x, k, s, 1): torch's fourth positional argument is padding; it was
  return_indices, so the call returned a (values, indices) pair (padding itself since
  round 4).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import derivations.gradients as G

torch = pytest.importorskip("torch")


def _torch_clip(grads, max_norm, norm_type, error_if_nonfinite=False):
    params = [torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.float64)) for g in grads]
    for p, g in zip(params, grads, strict=True):
        p.grad = torch.tensor(g)
    norm = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type, error_if_nonfinite)
    return float(norm), [p.grad.numpy() for p in params]


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.0, 0.5, math.inf])
@pytest.mark.parametrize("max_norm", [0.5, 1e6])  # clips, does not clip
def test_clip_grad_norm_takes_torchs_positional_norm_type(norm_type, max_norm, rng):
    raw = [rng.standard_normal((4, 3)), rng.standard_normal(5), rng.standard_normal(())]
    want_norm, want = _torch_clip(raw, max_norm, norm_type)
    ours = [g.copy() for g in raw]
    norm = G.clip_grad_norm(ours, max_norm, norm_type)
    assert norm == pytest.approx(want_norm, rel=1e-12)
    for g, w in zip(ours, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("norm_type", [1.0, math.inf])
@pytest.mark.parametrize("special", [np.nan, np.inf])
def test_clip_grad_norm_other_orders_at_nan_and_inf_as_torch(norm_type, special, rng):
    raw = [rng.standard_normal(4), rng.standard_normal(3)]
    raw[1][1] = special
    want_norm, want = _torch_clip(raw, 1.0, norm_type)
    ours = [g.copy() for g in raw]
    with np.errstate(invalid="ignore"):  # ∞ · 0
        norm = G.clip_grad_norm(ours, 1.0, norm_type)
    assert norm == pytest.approx(want_norm, nan_ok=True)
    for g, w in zip(ours, want, strict=True):
        np.testing.assert_array_equal(g, w)


@pytest.mark.parametrize("special", [np.nan, np.inf])
def test_clip_grad_norm_error_if_nonfinite_scales_nothing(special):
    grads = [np.array([1.0, special]), np.ones(3)]
    before = [g.copy() for g in grads]
    with pytest.raises(RuntimeError):
        _torch_clip([g.copy() for g in grads], 1.0, 2.0, True)
    with pytest.raises(ValueError, match="error_if_nonfinite"):
        G.clip_grad_norm(grads, 1.0, 2.0, True)
    for g, b in zip(grads, before, strict=True):
        np.testing.assert_array_equal(g, b)
    finite = [np.array([3.0, 4.0])]
    assert G.clip_grad_norm(finite, 1.0, 2.0, True) == 5.0  # a finite norm clips as usual
    np.testing.assert_allclose(finite[0], [0.6, 0.8], rtol=1e-6)


@pytest.mark.parametrize("norm_type", [math.nan, "fro"])  # 0, < 0: round 11, as torch
def test_clip_grad_norm_refuses_what_is_no_norm(norm_type):
    with pytest.raises(ValueError, match="norm_type"):
        G.clip_grad_norm([np.ones(3)], 1.0, norm_type)


def test_clip_grad_norm_eps_is_keyword_only():
    g = [np.array([3.0, 4.0])]
    assert G.clip_grad_norm(g, 1.0, eps=0.0) == 5.0
    np.testing.assert_allclose(g[0], [0.6, 0.8], rtol=1e-15)


def test_max_pool2d_reads_torchs_positional_padding(rng):
    x = rng.standard_normal((1, 2, 5, 5))
    # torch: kernel 3, stride 1, padding 1 (a TypeError in round 3, padding since round 4)
    want = torch.nn.functional.max_pool2d(torch.tensor(x), 3, 1, 1).numpy()
    np.testing.assert_array_equal(G.max_pool2d(x, 3, 1, 1), want)
    with pytest.raises(ValueError, match="return_indices"):
        G.max_pool2d(x, 2, return_indices=1)
    y, idx = G.max_pool2d(x, 2, return_indices=True)
    assert y.shape == idx.shape == (1, 2, 2, 2)


def test_kl_divergence_in_torchs_argument_order_is_refused_naming_it(rng):
    P = G.softmax(rng.standard_normal((4, 3)))
    log_Q = G.log_softmax(rng.standard_normal((4, 3)))
    torch.nn.functional.kl_div(torch.tensor(log_Q), torch.tensor(P), reduction="batchmean")
    for fn in (G.kl_divergence, G.kl_divergence_grad):
        with pytest.raises(ValueError, match=r"torch's kl_div\(input, target\) takes \(log_Q, P\)"):
            fn(log_Q, P)  # torch's order


@pytest.mark.parametrize("target", [
    np.array([0.0, 1.0, 2.0]),  # class indices as floats
    np.array([True, False, True]),
    np.eye(3, 4, dtype=bool),  # a boolean one-hot: torch wants floating probabilities
])
def test_cross_entropy_targets_torch_refuses_are_refused_naming_the_dtype(target):
    Z = np.zeros((3, 4))
    with pytest.raises(RuntimeError):
        torch.nn.functional.cross_entropy(torch.tensor(Z), torch.tensor(target))
    for fn in (G.cross_entropy, G.cross_entropy_grad):
        with pytest.raises(ValueError, match=f"dtype {target.dtype}"):
            fn(Z, target)
    # the forms torch accepts still work
    assert np.isfinite(G.cross_entropy(Z, np.array([0, 1, 2])))
    assert np.isfinite(G.cross_entropy(Z, np.full((3, 4), 0.25)))


def test_clip_grad_norm_infinity_norm_skips_an_empty_array(rng):
    grads = [rng.standard_normal(5), np.zeros(0), rng.standard_normal((2, 3))]
    want = max(np.abs(g).max() for g in grads if g.size)
    assert G.clip_grad_norm([g.copy() for g in grads], 1e9, math.inf) == want
