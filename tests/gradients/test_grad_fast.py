"""The compiled kernels' own pieces: the vectorised exp, NaN handling, and when they apply.

Every public function is already run through the kernels by the kernel_path fixture
(conftest.py); these tests cover what those comparisons cannot see.
"""

from __future__ import annotations

import importlib.util
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import derivations.gradients as G
from derivations.gradients._fast import _blocks, _compiled

HAVE_NUMBA = importlib.util.find_spec("numba") is not None
needs_numba = pytest.mark.skipif(not HAVE_NUMBA, reason="numba is not installed")


def _kernels():
    from derivations.gradients._fast import _numba_kernels

    return _numba_kernels


EXPS = ["exp_nonpos_array", "exp_nonpos_vectors"]  # numba's loop, the 512-bit vector IR


@pytest.mark.one_path
@needs_numba
@pytest.mark.parametrize("exp", EXPS)
@pytest.mark.parametrize(
    ("dtype", "max_rel"),
    [(np.float32, 2 * np.finfo(np.float32).eps), (np.float64, 4 * np.finfo(np.float64).eps)],
)
def test_exp_matches_numpy_within_a_few_ulp(exp, dtype, max_rel, rng):
    x = -np.concatenate([np.abs(rng.standard_normal(20_000)) * s for s in (1e-3, 1, 30, 300)])
    x = x.astype(dtype)
    got = np.empty_like(x)
    getattr(_kernels(), exp)(x, got)
    want = np.exp(x.astype(np.float64))
    normal = want > np.finfo(dtype).tiny
    rel = np.abs(got[normal] - want[normal]) / want[normal]
    assert rel.max() <= max_rel
    # below the normal range: still within one subnormal step of the true value
    assert np.all(np.abs(got[~normal] - want[~normal]) <= np.finfo(dtype).smallest_subnormal)


@pytest.mark.one_path
@needs_numba
@pytest.mark.parametrize("exp", EXPS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_exp_edge_values(exp, dtype):
    # 7 copies: 42 values, so full vectors of 8 or 16 lanes and a scalar tail both see them
    x = np.tile(np.array([0.0, -0.0, -np.inf, np.nan, -1e4, -1e-30], dtype), 7)
    got = np.empty_like(x).reshape(7, 6)
    getattr(_kernels(), exp)(x, got.reshape(-1))
    assert np.all(got[:, :2] == 1) and np.all(got[:, 2] == 0) and np.isnan(got[:, 3]).all()
    assert np.all(got[:, 4] == 0) and np.all(got[:, 5] == 1)


@pytest.mark.one_path
@needs_numba
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_log_softmax_vjp_kernel_reports_each_row_with_a_positive_entry(dtype, rng):
    # 37 columns: two or four full vectors and a scalar tail; one row a case
    L = -np.abs(rng.standard_normal((6, 37))).astype(dtype) - 0.5
    G_ = rng.standard_normal(L.shape).astype(dtype)
    L[1, 3] = 0.25  # positive in a vector
    L[2, 36] = 0.25  # positive in the tail
    L[3, 5] = np.nan  # NaN in a vector: stays NaN, the row is not "positive"
    L[4, 35] = np.nan  # NaN in the tail
    L[5, :] = 0.0  # the largest log-probability
    out = np.full_like(L, 7.0)
    bad = _kernels().log_softmax_vjp_rows(G_, L, out, 2)
    assert bad == 2
    finished = [0, 3, 4, 5]
    with np.errstate(invalid="ignore"):
        want = G_ - np.exp(L.astype(np.float64)) * G_.astype(np.float64).sum(1, keepdims=True)
    np.testing.assert_allclose(out[finished], want[finished], rtol=1e-5, atol=1e-5)
    assert np.isnan(out[3, 5]) and np.isnan(out[4, 35]) and np.isnan(out).sum() == 2


@pytest.mark.one_path
@needs_numba
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gelu_grad_kernel_matches_the_reference(dtype, rng, monkeypatch):
    # float32 runs on 512-bit vectors in chunks, each with a scalar tail; edges in both parts
    z = (rng.standard_normal(3 * 4096 + 37) * 4).astype(dtype)
    edges = np.array([0.0, -0.0, np.nan, np.inf, -np.inf, 30, -30, 1e-30, -6, 6], dtype)
    z[:10] = z[-10:] = z[5000:5010] = edges
    out = np.empty_like(z)
    _kernels().gelu_grad(z, out)
    monkeypatch.setenv("DERIVCHECK_KERNELS", "reference")
    with np.errstate(invalid="ignore", over="ignore"):
        want = G.gelu_grad(z)
    np.testing.assert_array_equal(np.isnan(out), np.isnan(want))
    finite = ~np.isnan(want)
    np.testing.assert_allclose(out[finite], want[finite], rtol=0, atol=2 * np.finfo(dtype).eps)


@pytest.mark.parametrize("fn", [G.sigmoid, G.sigmoid_grad, G.tanh_grad, G.softmax])
def test_nan_propagates(fn, kernel_path):
    z = np.zeros((3, 50))
    z[1, 7] = np.nan
    out = fn(z)
    assert np.isnan(out[1, 7])
    assert np.isfinite(np.delete(out, 1, axis=0)).all()
    if fn is G.softmax:  # a NaN logit poisons its own row only
        assert np.isnan(out[1]).all()


@pytest.mark.one_path
def test_mode_is_validated(monkeypatch):
    monkeypatch.setenv("DERIVCHECK_KERNELS", "fastest")
    with pytest.raises(ValueError, match="DERIVCHECK_KERNELS='fastest'.*auto, numpy, numba"):
        _compiled.mode()


@pytest.mark.one_path
def test_kernels_apply_only_to_large_contiguous_floats(monkeypatch):
    monkeypatch.setenv("DERIVCHECK_KERNELS", "auto")
    monkeypatch.setattr(_compiled, "MIN_SIZE", 100)
    big = np.ones(200)
    assert _compiled.kernels(np.ones(10)) is None  # too small to be worth it
    assert _compiled.kernels(big[::2]) is None  # not contiguous
    assert _compiled.kernels(big, big.astype(np.float32)) is None  # mixed dtypes
    assert _compiled.kernels(big.astype(np.float16)) is None
    assert (_compiled.kernels(big) is not None) == HAVE_NUMBA
    monkeypatch.setenv("DERIVCHECK_KERNELS", "numpy")
    assert _compiled.kernels(big) is None


@pytest.mark.one_path
@needs_numba
def test_passes_between_products_leave_the_callers_threads_alone(monkeypatch, rng):
    # the passes run on the blocks pool, each of its threads cut to one numba thread; the
    # caller's numba thread count must not change, and the spans must add up to the batch
    import numba

    monkeypatch.setenv("DERIVCHECK_KERNELS", "numba")
    monkeypatch.setattr(_compiled, "MIN_SIZE", 0)
    monkeypatch.setattr("derivations.gradients._fast._blocks.workers", lambda: 3)
    before = numba.get_num_threads()
    X, W = rng.standard_normal((37, 6)), rng.standard_normal((6, 9))
    V, lab = rng.standard_normal((9, 4)), rng.integers(0, 4, 37)
    cuts = _blocks.spans(37)
    assert len(cuts) == 3 and cuts[0][0] == 0 and cuts[-1][1] == 37
    assert all(a[1] == b[0] for a, b in zip(cuts, cuts[1:], strict=False))
    got = G.two_layer_grads(X, W, V, lab)
    monkeypatch.setenv("DERIVCHECK_KERNELS", "numpy")
    want = G.two_layer_grads(X, W, V, lab)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-15)
    assert numba.get_num_threads() == before


@pytest.mark.one_path
@needs_numba
def test_forked_child_uses_numpy(monkeypatch):
    # GNU OpenMP's thread pool does not survive fork(): a child that entered it would hang
    monkeypatch.setenv("DERIVCHECK_KERNELS", "numba")
    monkeypatch.setattr(_compiled, "MIN_SIZE", 0)
    assert _compiled.kernels(np.ones(4)) is not None
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.write(write, b"1" if _compiled.kernels(np.ones(4)) is None else b"0")
        os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 1) == b"1"


@pytest.mark.one_path
@needs_numba
def test_workqueue_layer_serialises_launches():
    # numba's fallback layer aborts the process on concurrent launches: the kernels go
    # behind one lock there, and stay as they are on OpenMP / TBB
    module = _kernels()
    assert _compiled._serialised(module, "omp") is module
    guarded = _compiled._serialised(module, "workqueue")
    assert guarded.LINEAR == module.LINEAR
    x = -np.arange(40_000, dtype=np.float64) / 1000
    outs = [np.empty_like(x) for _ in range(8)]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda o: guarded.exp_nonpos_array(x, o), outs))
    for out in outs:
        np.testing.assert_allclose(out, np.exp(x), rtol=1e-15)


_TWINS = {  # the public function and the relative tolerance between its two paths
    "sigmoid": (G.sigmoid, 4),
    "sigmoid_grad": (G.sigmoid_grad, 8),
    "tanh_grad": (G.tanh_grad, 8),
    "relu_grad": (G.relu_grad, 0),
    "softmax": (G.softmax, 8),
}


@pytest.mark.one_path
@needs_numba
@pytest.mark.parametrize("name", sorted(_TWINS))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_compiled_and_numpy_paths_agree(name, data):
    # the twin formulas, at random shapes and values up to ±1e4 (exp far in its tails)
    fn, ulps = _TWINS[name]
    dtype = data.draw(st.sampled_from([np.float32, np.float64]))
    rows, cols = data.draw(st.integers(1, 6)), data.draw(st.integers(1, 40))
    values = st.floats(-1e4, 1e4, allow_nan=False, width=32 if dtype == np.float32 else 64)
    z = np.array(data.draw(st.lists(values, min_size=rows * cols, max_size=rows * cols)), dtype)
    z = z.reshape(rows, cols)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DERIVCHECK_KERNELS", "numpy")
        want = fn(z)
        mp.setenv("DERIVCHECK_KERNELS", "numba")
        mp.setattr(_compiled, "MIN_SIZE", 0)
        got = fn(z)
    assert got.dtype == want.dtype == dtype
    eps = np.finfo(dtype).eps
    tiny = np.finfo(dtype).smallest_normal
    np.testing.assert_allclose(got, want, rtol=max(ulps, 1) * eps, atol=tiny)


@pytest.mark.one_path
def test_cached_kernels_are_dropped_when_any_kernel_source_changes(tmp_path):
    # numba re-checks only the defining file; a change to a helper module must drop them all
    (tmp_path / "_numba_a.py").write_text("A = 1\n")
    (tmp_path / "_numba_b.py").write_text("B = 1\n")
    cache = tmp_path / "__pycache__"
    cache.mkdir()
    stale = [cache / "_numba_a.f-10.py311.nbi", cache / "_numba_a.f-10.py311.1.nbc"]
    other = cache / "unrelated.cpython-311.pyc"
    for f in [*stale, other]:
        f.write_bytes(b"x")
    assert _compiled.drop_stale_caches(tmp_path)  # no digest yet: dropped
    assert not any(f.exists() for f in stale) and other.exists()
    for f in stale:
        f.write_bytes(b"x")
    assert not _compiled.drop_stale_caches(tmp_path)  # nothing changed: kept
    assert all(f.exists() for f in stale)
    (tmp_path / "_numba_b.py").write_text("B = 2\n")  # only the helper changed
    assert _compiled.drop_stale_caches(tmp_path)
    assert not any(f.exists() for f in stale)
