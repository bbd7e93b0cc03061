"""Optimizer steps: hand-unrolled references, in-place updates, Adam's bias correction."""

from __future__ import annotations

import math

import numpy as np
import pytest

import derivations.gradients as G
from derivations.gradients._fast import _blocks

STEPS = 4
LR = 0.1


def grads_for(rng, shape, steps=STEPS):
    return [rng.standard_normal(shape) for _ in range(steps)]


def unrolled(kind: str, x0: list[float], grads: list[np.ndarray]) -> list[float]:
    """The notes' update rules (with the standard corrections), entry by entry in Python."""
    x, s1, s2 = list(x0), [0.0] * len(x0), [0.0] * len(x0)
    for t, g in enumerate(grads, start=1):
        for i, gi in enumerate(g.ravel().tolist()):
            if kind == "sgd":
                x[i] -= LR * gi
            elif kind == "momentum":
                s1[i] = 0.9 * s1[i] + gi
                x[i] -= LR * s1[i]
            elif kind == "adagrad":
                s1[i] += gi * gi
                x[i] -= LR * gi / (math.sqrt(s1[i]) + 1e-10)
            elif kind == "rmsprop":
                s1[i] = 0.99 * s1[i] + 0.01 * gi * gi
                x[i] -= LR * gi / (math.sqrt(s1[i]) + 1e-8)
            elif kind == "adam":
                s1[i] = 0.9 * s1[i] + 0.1 * gi
                s2[i] = 0.999 * s2[i] + 0.001 * gi * gi
                mhat, vhat = s1[i] / (1 - 0.9**t), s2[i] / (1 - 0.999**t)
                x[i] -= LR * mhat / (math.sqrt(vhat) + 1e-8)
    return x


def run(kind: str, params: np.ndarray, grads: list[np.ndarray]):
    state = [np.zeros_like(params) for _ in range(2 if kind == "adam" else 1)]
    for t, g in enumerate(grads, start=1):
        if kind == "sgd":
            out = G.sgd_step(params, g, LR)
            assert out is params
        else:
            if kind == "momentum":
                out = G.momentum_step(params, g, state[0], LR)
            elif kind == "adagrad":
                out = G.adagrad_step(params, g, state[0], LR)
            elif kind == "rmsprop":
                out = G.rmsprop_step(params, g, state[0], LR)
            else:
                out = G.adam_step(params, g, state[0], state[1], t, lr=LR)
            assert out[0] is params and all(a is b for a, b in zip(out[1:], state, strict=True))
    return state


KINDS = ["sgd", "momentum", "adagrad", "rmsprop", "adam"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("shape", [(1,), (3, 4)])
def test_matches_hand_unrolled_reference(kind, shape, rng):
    params = rng.standard_normal(shape)
    x0 = params.ravel().tolist()
    grads = grads_for(rng, shape)
    state = run(kind, params, grads)
    np.testing.assert_allclose(params.ravel(), unrolled(kind, x0, grads), rtol=1e-12)
    assert not np.allclose(params.ravel(), x0)  # the array itself changed
    assert all(np.any(s != 0) for s in state if kind != "sgd")


@pytest.mark.parametrize("kind", KINDS)
def test_chunked_and_strided_paths_agree(kind, rng, monkeypatch):
    # many small blocks on worker threads (with a ragged last block), and a
    # non-contiguous view (the whole-array fallback) must give the same values
    monkeypatch.setattr(_blocks, "BLOCK", 64)
    monkeypatch.setattr(_blocks, "_MIN_PARALLEL", 0)
    base = rng.standard_normal((30, 11))
    grads = grads_for(rng, base.shape)
    contiguous = base.copy()
    run(kind, contiguous, grads)
    holder = np.zeros((11, 30))
    strided = holder.T  # (30, 11), not C-contiguous
    strided[...] = base
    run(kind, strided, grads)
    # with numba the contiguous array runs the compiled loop, whose fused multiply-adds
    # round differently from NumPy's separate ufuncs (seen: 1.2e-14 after cancellation)
    np.testing.assert_allclose(holder.T, contiguous, rtol=1e-13)
    x0 = base.ravel().tolist()
    np.testing.assert_allclose(contiguous.ravel(), unrolled(kind, x0, grads), rtol=1e-12)


@pytest.mark.parametrize("kind", KINDS)
def test_float32_stays_float32(kind, rng):
    params = rng.standard_normal(50).astype(np.float32)
    grads = [g.astype(np.float32) for g in grads_for(rng, 50)]
    ref = params.astype(np.float64)
    state = run(kind, params, grads)
    assert params.dtype == np.float32 and all(s.dtype == np.float32 for s in state)
    run(kind, ref, [g.astype(np.float64) for g in grads])
    np.testing.assert_allclose(params, ref, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("t_max", [1, 5, 50])
def test_adam_bias_correction_constant_gradient(t_max, rng):
    # with g constant and zero initial moments, m̂ₜ = g and v̂ₜ = g ⊙ g at every t
    g = rng.standard_normal(6)
    params, m, v = np.zeros(6), np.zeros(6), np.zeros(6)
    for t in range(1, t_max + 1):
        G.adam_step(params, g, m, v, t)
        mhat, vhat = G.adam_bias_corrected(m, v, t)
        np.testing.assert_allclose(mhat, g, rtol=1e-12)
        np.testing.assert_allclose(vhat, g * g, rtol=1e-12)
        # so every step moves each parameter by lr·g/(|g| + ε) ≈ lr·sign(g)
    np.testing.assert_allclose(params, -1e-3 * t_max * np.sign(g), rtol=1e-6)


def test_adam_without_bias_correction_would_differ(rng):
    # the raw moments are biased toward 0 at small t: m₁ = (1 − β₁)g ≠ g
    g = rng.standard_normal(4)
    params, m, v = np.zeros(4), np.zeros(4), np.zeros(4)
    G.adam_step(params, g, m, v, 1)
    np.testing.assert_allclose(m, 0.1 * g)
    np.testing.assert_allclose(v, 0.001 * g * g)


@pytest.mark.parametrize("kind", ["adam", "adamw", "rmsprop"])
def test_float32_gradient_whose_square_overflows(kind):
    # (1 − β)g ⊙ g is ((1 − β)g) ⊙ g, as torch's addcmul: g = 1e20 squares to ∞ in float32,
    # (1 − β₂)g² = 1e37 does not, so the second moment stays finite and the parameter moves
    # by about lr (g ⊙ g first gave v = ∞ and a step of 0). Strided arrays: the reference runs
    # on every kernel path (the fast paths take C-contiguous arrays only).
    g = np.array([1e20, -3e19, 2.5e19, 1.0, -2.0])

    def run_steps(dtype):
        holders = [np.zeros((5, 2), dtype) for _ in range(3)]
        params, m, v = (h[:, 0] for h in holders)
        params += 1
        for t in (1, 2, 3):
            if kind == "rmsprop":
                G.rmsprop_step(params, g.astype(dtype), v, 0.01)
            else:
                step = G.adam_step if kind == "adam" else G.adamw_step
                step(params, g.astype(dtype), m, v, t, lr=0.01)
        return params, v

    with np.errstate(over="raise"):
        params32, v32 = run_steps(np.float32)
    params64, v64 = run_steps(np.float64)
    assert np.isfinite(v32).all()
    np.testing.assert_allclose(v32, v64, rtol=1e-6)
    np.testing.assert_allclose(params32, params64, rtol=1e-6)


def test_errors():
    p = np.zeros(3)
    with pytest.raises(ValueError, match=r"params has shape \(3,\) but grad has shape \(4,\)"):
        G.sgd_step(p, np.zeros(4), 0.1)
    with pytest.raises(ValueError, match=r"params has shape \(3,\) but velocity has shape \(2,\)"):
        G.momentum_step(p, np.zeros(3), np.zeros(2), 0.1)
    with pytest.raises(ValueError, match="params has dtype float64 but m has dtype float32"):
        G.adam_step(p, np.zeros(3), np.zeros(3, np.float32), np.zeros(3), 1)
    with pytest.raises(ValueError, match="params must be a NumPy array .*got list"):
        G.sgd_step([0.0, 1.0], [1.0, 1.0], 0.1)
    with pytest.raises(ValueError, match="t is the 1-based step count .* got 0"):
        G.adam_step(p, np.zeros(3), np.zeros(3), np.zeros(3), 0)
    frozen = np.zeros(3)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="sum_sq must be writeable"):
        G.adagrad_step(p, np.zeros(3), frozen, 0.1)


# ‖g‖ = √(Σ g²) over every array; float32 squares summed to within ~1e-6 of exact
@pytest.mark.parametrize("fill", ["normal", "constant", "huge", "tiny", "zero", "nan"])
def test_clip_grad_norm_float32_accuracy(fill, rng):
    size = 3 * (1 << 14) + 123  # whole blocks and a tail
    values = {
        "normal": rng.standard_normal(size),
        "constant": np.full(size, 0.1),
        "huge": rng.standard_normal(size) * 1e25,  # float32 squares overflow
        "tiny": rng.standard_normal(size) * 1e-25,  # float32 squares underflow
        "zero": np.zeros(size),
        "nan": np.where(np.arange(size) == 7, np.nan, 1.0),
    }[fill]
    grads = [values[:1000].astype(np.float32), values[1000:].astype(np.float32)]
    exact = np.sqrt(sum(np.square(g, dtype=np.float64).sum() for g in grads))
    norm = G.clip_grad_norm([g.copy() for g in grads], np.inf)
    if fill == "nan":
        assert np.isnan(norm)
    else:
        assert norm == pytest.approx(exact, rel=1e-6, abs=0)
