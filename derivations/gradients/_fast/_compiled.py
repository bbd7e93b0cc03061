"""Whether the compiled kernels (numba, optional) apply, and how they are loaded and run.

With numba installed (``pip install 'derivcheck[fast]'``) the fast path runs the kernels of
_numba_kernels.py on large C-contiguous inputs; ``DERIVCHECK_KERNELS`` chooses (see this
package's front page).
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import os
import sys
import threading
import warnings
from collections.abc import Callable
from pathlib import Path
from types import ModuleType, SimpleNamespace

import numpy as np

from ._blocks import run_spans, workers

MIN_SIZE = 1 << 15  # elements; below this, NumPy is as fast and nothing is compiled
_INLINED = ("../_special.py",)  # library files whose constants the kernels compile in
_MODES = ("auto", "numpy", "numba", "reference")

_loaded: ModuleType | SimpleNamespace | None = None
_loaded_pid: int | None = None
_failed = False


def mode() -> str:
    value = os.environ.get("DERIVCHECK_KERNELS", "auto").strip().lower() or "auto"
    if value not in _MODES:
        raise ValueError(
            f"DERIVCHECK_KERNELS={value!r} is not one of {', '.join(_MODES)}; "
            "unset it or choose one of those"
        )
    return value


def _serialised(module: ModuleType, layer: str) -> ModuleType | SimpleNamespace:
    """The kernels as they are, or behind one lock when numba's threading layer is
    "workqueue" (no OpenMP or TBB on the machine): that layer aborts the whole process
    when two threads launch parallel kernels at once."""
    if layer != "workqueue":
        return module
    lock = threading.Lock()

    def locked(fn):
        @functools.wraps(fn)
        def call(*args):
            with lock:
                return fn(*args)

        return call

    return SimpleNamespace(
        **{
            name: locked(value) if callable(value) else value
            for name, value in vars(module).items()
            if not name.startswith("__")
        }
    )


def _quiet_compiles() -> None:
    """Compile each kernel (of _numba_kernels and the _numba_* modules it imports) with numba's
    NumbaIRAssumptionWarning ignored (quiet_compile)."""
    from numba.core.dispatcher import Dispatcher

    compiled = [m for name, m in list(sys.modules.items())
                if name.startswith(f"{__package__}._numba")]  # the kernels and their helpers
    for kernel in [v for m in compiled for v in vars(m).values()]:
        if isinstance(kernel, Dispatcher):
            quiet_compile(kernel)


def quiet_compile(kernel) -> None:
    """Have numba compile `kernel` (a Dispatcher) with NumbaIRAssumptionWarning ignored.

    numba's SSA pass emits it ("variable '…_vphi…' is not in scope", "This warning came from
    an internal pedantic check") when it compiles a conditional expression or a loop inside
    an inline="always" function on Python 3.11 (numba issues #7802, #9489: the IR is
    technically invalid, the compiled code right). The kernels compile on their first call
    with a new signature (a cold cache, or a read-only array), so a user's first large
    gelu_grad printed four of them where torch prints nothing, and raised under
    warnings-as-errors. The filter is set around the compilation only (numba's dispatcher
    calls _compile_for_args on a signature it has not compiled), so it holds even inside a
    caller's catch_warnings, and a call that compiles nothing pays nothing."""
    from numba.core.errors import NumbaIRAssumptionWarning

    if getattr(kernel, "_quiet_compiles", False):
        return
    compile_for_args = kernel._compile_for_args

    @functools.wraps(compile_for_args)
    def quietly(*args, **kwargs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NumbaIRAssumptionWarning)
            return compile_for_args(*args, **kwargs)

    kernel._compile_for_args = quietly
    kernel._quiet_compiles = True


def drop_stale_caches(package: Path = Path(__file__).parent) -> bool:
    """Delete numba's cached kernels of this package when any _numba_*.py file changed;
    True when it deleted.

    numba checks only the file that defines a cached function, but the kernels inline code
    from the other _numba_*.py files too (the vector IR of _numba_vector.py), and constants
    from _INLINED (the coefficients of _special.py): edit one of those alone and numba would
    keep running the old code. A digest of all of them, kept beside the cache, catches that.
    An installed copy whose __pycache__ is read-only has its cache in numba's user directory
    instead; reinstalling rewrites every file, which numba sees.
    """
    cache = package / "__pycache__"
    marker = cache / "derivcheck-kernels.sha256"
    inlined = [p for p in (package / name for name in _INLINED) if p.exists()]
    sources = sorted(package.glob("_numba_*.py")) + inlined
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()
    try:
        if marker.read_text() == digest:
            return False
    except OSError:
        pass
    try:
        for stale in cache.glob("_numba_*.nb[ci]"):
            stale.unlink(missing_ok=True)
        cache.mkdir(exist_ok=True)
        marker.write_text(digest)
    except OSError:  # read-only: numba is not writing here either
        return False
    return True


def _load() -> ModuleType | SimpleNamespace | None:
    global _loaded, _loaded_pid, _failed
    if _loaded is not None:
        # a forked child must not enter the parent's OpenMP thread pool (it would hang)
        return _loaded if os.getpid() == _loaded_pid else None
    if _failed:
        return None
    try:
        drop_stale_caches()
        module = importlib.import_module(f"{__package__}._numba_kernels")
        _quiet_compiles()
        _loaded = _serialised(module, module.threading_layer())
    except ImportError as error:
        _failed = True
        if mode() == "numba":
            raise ImportError(
                "DERIVCHECK_KERNELS=numba but numba does not import "
                f"({error}); install it with pip install 'derivcheck[fast]'"
            ) from error
        return None
    _loaded_pid = os.getpid()
    return _loaded


def kernels(*arrays: np.ndarray, size: int | None = None) -> ModuleType | SimpleNamespace | None:
    """The compiled kernels when they apply to these arrays, else None.

    They apply when numba is enabled and importable, the arrays are C-contiguous, share one
    float dtype (float32 or float64), and the work is large: `size` elements (default: the
    first array's size).
    """
    if mode() in ("numpy", "reference") or (arrays[0].size if size is None else size) < MIN_SIZE:
        return None
    dtype = arrays[0].dtype
    if dtype not in (np.float32, np.float64):
        return None
    if any(a.dtype != dtype or not a.flags.c_contiguous for a in arrays):
        return None
    return _load()


def between_products(
    k: ModuleType | SimpleNamespace,
    call: Callable[[int, int, int], object],
    cuts: list[tuple[int, int]],
) -> None:
    """Run call(i, lo, hi) for each span i of `cuts` (from _blocks.spans, which the caller
    also sizes its per-span outputs by) on the blocks pool's Python threads, each launching
    the compiled kernels on itself alone.

    For a pass between two OpenBLAS products. numba's own pool costs more than it gains
    there: OpenBLAS's worker still spins after the first product, and GNU OpenMP's worker
    would spin after the pass, into the second product, while Python threads wait on a futex.
    """

    def run(i: int, lo: int, hi: int) -> None:
        k.use_one_thread()  # the pool's thread: the caller's own setting is left alone
        call(i, lo, hi)

    if len(cuts) == 1:
        call(0, *cuts[0])
    else:
        run_spans(run, cuts)


def chunks(n: int) -> int:
    """Row chunks for a column reduction: a few per thread, for load balance."""
    return max(1, min(n, 4 * workers()))


def row_pass_grad(
    kind: str, X: np.ndarray, y: np.ndarray, theta: np.ndarray, scale: float
) -> np.ndarray | None:
    """scale · Σᵢ rᵢ xᵢ for the residual `kind` ("LINEAR", "LOGISTIC", "LOGISTIC_MSE") of
    _numba_kernels.glm_grad, reading each row of X once; None when the kernels do not apply."""
    k = kernels(X, y, theta)
    if k is None:
        return None
    return k.glm_grad(X, y, theta, getattr(k, kind), scale, chunks(X.shape[0]))
