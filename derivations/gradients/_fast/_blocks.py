"""Run an elementwise kernel over cache-sized blocks, spread over the CPU's cores.

NumPy ufuncs make one full pass over memory per operation and use one core.
A kernel of k operations applied block by block instead keeps each block in
L2 between operations (one pass over memory in total), and since ufuncs
release the GIL, worker threads run blocks on all cores at once.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

BLOCK = 1 << 16  # elements per block: the 4–6 blocks of a kernel fit in a 2 MiB L2
_MIN_PARALLEL = 1 << 17  # below this, thread hand-off costs more than it saves

_pool: ThreadPoolExecutor | None = None


def workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _get_pool() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(workers(), thread_name_prefix="derivcheck-blocks")
    return _pool


def blockwise(
    kernel: Callable[..., None],
    n: int,
    dtype: np.dtype,
    n_scratch: int = 1,
    item_size: int = 1,
) -> None:
    """Call kernel(lo, hi, *scratch) for consecutive blocks [lo, hi) covering [0, n).

    The kernel runs in NumPy's error state of the caller (a worker thread has its own,
    the default, otherwise): an np.errstate around the call covers every block, set once
    per span rather than by the kernel at each block (a few µs each, hundreds of blocks).
    Each worker thread owns n_scratch scratch arrays of length ≥ hi − lo. The
    kernel must only write the items lo:hi of its outputs (blocks are
    disjoint, so workers never touch the same memory). An item may be a row
    of item_size elements; a block then holds about BLOCK elements.
    """
    block = max(1, BLOCK // item_size)  # BLOCK read at call time so tests can shrink it

    errors = np.geterr()

    def run(start: int, stop: int) -> None:
        scratch = [np.empty(block, dtype) for _ in range(n_scratch)]
        with np.errstate(**errors):  # the caller's, once per span (see _in_callers_errstate)
            for lo in range(start, stop, block):
                hi = min(lo + block, stop)
                kernel(lo, hi, *(s[: hi - lo] for s in scratch))

    threads = workers() if n * item_size >= _MIN_PARALLEL else 1
    if threads == 1 or n <= block:
        run(0, n)
        return
    # one contiguous span per worker, cut on block boundaries
    per = -(-n // threads // block) * block
    spans = [(lo, min(lo + per, n)) for lo in range(0, n, per)]
    for future in [_get_pool().submit(run, lo, hi) for lo, hi in spans]:
        future.result()


def spans(n: int) -> list[tuple[int, int]]:
    """[0, n) cut into one contiguous span per worker thread (fewer when n is smaller)."""
    parts = max(1, min(n, workers()))
    return [(p * n // parts, (p + 1) * n // parts) for p in range(parts)]


def run_spans(call: Callable[[int, int, int], None], cuts: list[tuple[int, int]]) -> None:
    """call(i, lo, hi) for each span i of `cuts`, on the pool's threads; returns when all
    are done (and re-raises the first error)."""
    errors = np.geterr()

    def run(i: int, lo: int, hi: int) -> None:
        with np.errstate(**errors):
            call(i, lo, hi)

    futures = [_get_pool().submit(run, i, lo, hi) for i, (lo, hi) in enumerate(cuts)]
    for future in futures:
        future.result()
