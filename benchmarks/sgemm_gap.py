"""The sgemm gap behind softmax_regression_grad's row: Pᵀ @ X (1000 × 8192 by 8192 × 512,
float32) in NumPy's OpenBLAS against torch's MKL, and arrangements of the same product.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/sgemm_gap.py
    OPENBLAS_NUM_THREADS=1 env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
        python benchmarks/sgemm_gap.py

With the `mkl` wheel installed (pip install mkl; about 1 GB), the same product through MKL's
cblas_sgemm is measured too: the gap is the BLAS, not the call.

Ratios within one run are what counts; the machine is shared.
"""

from __future__ import annotations

import ctypes
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata

import numpy as np
import torch

N, D, C = 8192, 512, 1000


def best_ms(f: Callable[[], object], rounds: int = 7) -> float:
    f()
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - start)
    return best * 1e3


def mkl_product() -> Callable[[np.ndarray, np.ndarray], np.ndarray] | None:
    """Pᵀ @ X through MKL's cblas_sgemm (row major), or None without the `mkl` wheel."""
    try:
        files = metadata.distribution("mkl").files or []
    except metadata.PackageNotFoundError:
        return None
    found = [f for f in files if f.name.startswith("libmkl_rt.so")]
    if not found:
        return None
    lib = ctypes.CDLL(str(found[0].locate()))
    c_int, c_float, ptr = ctypes.c_int, ctypes.c_float, ctypes.c_void_p
    lib.cblas_sgemm.argtypes = [c_int] * 6 + [c_float, ptr, c_int, ptr, c_int, c_float, ptr, c_int]
    row_major, no_trans, trans = 101, 111, 112

    def pt_x(P: np.ndarray, X: np.ndarray) -> np.ndarray:
        (n, c), d = P.shape, X.shape[1]
        out = np.empty((c, d), np.float32)
        lib.cblas_sgemm(row_major, trans, no_trans, c, d, n, 1.0, P.ctypes.data, c,
                        X.ctypes.data, d, 0.0, out.ctypes.data, d)
        return out

    return pt_x


def main() -> None:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((N, D), dtype=np.float32)
    P = rng.standard_normal((N, C), dtype=np.float32)
    tX, tP = torch.from_numpy(X), torch.from_numpy(P)
    pool = ThreadPoolExecutor(2)

    def by_output_rows() -> np.ndarray:  # two threads, each half of Pᵀ's rows
        out, h = np.empty((C, D), np.float32), C // 2
        jobs = [pool.submit(np.matmul, P[:, :h].T, X, out=out[:h]),
                pool.submit(np.matmul, P[:, h:].T, X, out=out[h:])]
        for j in jobs:
            j.result()
        return out

    def by_inner_dimension() -> np.ndarray:  # two threads, each half of the N samples
        h = N // 2
        jobs = [pool.submit(lambda s: P[s].T @ X[s], s) for s in (slice(0, h), slice(h, N))]
        a, b = (j.result() for j in jobs)
        return a + b

    variants = {
        "numpy P.T @ X": lambda: P.T @ X,
        "torch P.T @ X": lambda: tP.T @ tX,
        "numpy X.T @ P (copy of X.T)": lambda: np.ascontiguousarray(X.T) @ P,
        "numpy P Fortran": lambda: np.asfortranarray(P).T @ X,
        "numpy by output rows": by_output_rows,
        "numpy by inner dimension": by_inner_dimension,
    }
    if (mkl := mkl_product()) is not None:
        assert np.allclose(mkl(P, X), P.T @ X, rtol=1e-3, atol=1e-2)
        variants["MKL cblas_sgemm P.T @ X"] = lambda: mkl(P, X)
    else:
        print("(no `mkl` wheel: MKL's cblas_sgemm not measured)")
    for _ in range(3):
        print("  ".join(f"{name} {best_ms(f):.1f} ms" for name, f in variants.items()))


if __name__ == "__main__":
    main()
