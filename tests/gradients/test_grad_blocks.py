"""The block runner behind the elementwise kernels: every element exactly once."""

from __future__ import annotations

import numpy as np
import pytest

import derivations.gradients as G
from derivations.gradients._fast import _blocks


@pytest.mark.parametrize("n", [0, 1, 63, 64, 65, 1000])
def test_blocks_cover_every_element_once(n, monkeypatch):
    monkeypatch.setattr(_blocks, "BLOCK", 64)
    monkeypatch.setattr(_blocks, "_MIN_PARALLEL", 0)  # use the worker threads
    counts = np.zeros(n, int)
    sizes = []

    def kernel(lo, hi, scratch):
        assert scratch.shape == (hi - lo,)
        counts[lo:hi] += 1
        sizes.append(hi - lo)

    _blocks.blockwise(kernel, n, np.float32)
    np.testing.assert_array_equal(counts, 1)
    assert all(s <= 64 for s in sizes)


def test_threaded_elementwise_results_match_serial(monkeypatch, rng):
    z = rng.standard_normal((37, 29)) * 10
    serial = [G.sigmoid(z), G.sigmoid_grad(z), G.tanh_grad(z)]
    monkeypatch.setattr(_blocks, "BLOCK", 50)
    monkeypatch.setattr(_blocks, "_MIN_PARALLEL", 0)
    for a, b in zip(serial, [G.sigmoid(z), G.sigmoid_grad(z), G.tanh_grad(z)], strict=True):
        np.testing.assert_array_equal(a, b)
    # non-contiguous input is handled (copied), output has the input's shape
    np.testing.assert_array_equal(G.sigmoid(z.T), serial[0].T)


def test_threaded_row_kernels_match_serial(monkeypatch, rng):
    Z, lab = rng.standard_normal((41, 7)) * 5, rng.integers(0, 7, 41)
    serial = [G.softmax(Z), G.softmax_cross_entropy_grad(Z, lab)]
    monkeypatch.setattr(_blocks, "BLOCK", 20)  # 2 rows of 7 per block
    monkeypatch.setattr(_blocks, "_MIN_PARALLEL", 0)
    threaded = [G.softmax(Z), G.softmax_cross_entropy_grad(Z, lab)]
    for a, b in zip(serial, threaded, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(serial[0].sum(axis=1), 1)
    assert G.softmax(np.zeros((0, 3))).shape == (0, 3)
