"""The fast path of the gradient library: the same formulas, tuned for speed.

What it speeds up. The reference functions of ``derivations.gradients`` make one pass over
memory per NumPy operation, on one core. For large inputs this package computes the same
result in fewer passes, on every core:

* compiled kernels (numba; ``_numba_kernels.py``): each optimizer step (Nesterov SGD and
  AdamW too), the derivative of every activation (GELU's Φ by the rational approximations
  of ``_special.py``), softmax rows and the softmax / log-softmax VJPs, batch-norm passes,
  layer norm a row at a time, linear / ridge / lasso / logistic gradient (one read of X),
  max-pool argmax and scatter and avg-pool gradient in one multi-threaded pass, the zero rows
  and scattered entries of the NLL gradient on every thread; the two
  networks' gradients do everything between their two large matrix products in one pass
  over the hidden rows (``networks.py``), on the library's own Python threads so that no
  OpenMP worker spins into the next product (``_compiled.between_products``);
* convolutions and both their gradients on 512-bit register tiles written as LLVM vector
  IR (``_numba_conv.py``, helpers in ``_numba_vector.py``): no patch matrix, no BLAS call;
  a stride or a dilation through the phase planes of the padded input;
* without numba, block-wise NumPy (``_blocks.py``): elementwise formulas and softmax rows
  run over L2-sized blocks on a thread pool, one pass over memory instead of one per ufunc;
  with or without numba, the same for the Huber, smooth L1, L1 and hinge gradients and for the
  cross-entropy gradient's pass after its softmax rows (class weights, label smoothing and
  ignored rows without an N × C target matrix).

When it runs. Every public function validates its arguments, then calls
``fast(name, *args)`` once; a fast implementation returns its result, or ``None`` when it
does not apply (input too small, not C-contiguous, an unsupported dtype or option), and the
reference formula runs. ``DERIVCHECK_KERNELS`` chooses: ``auto`` (default: numba when it
imports, else block-wise NumPy), ``numba`` (fail with an error when numba is missing),
``numpy`` (block-wise NumPy, never compile), ``reference`` (no fast path at all). Compiled
kernels apply to C-contiguous float32 / float64 inputs of at least ``MIN_SIZE`` elements
(``_compiled.py``); a process forked after the kernels ran uses NumPy (OpenMP's pool does
not survive ``fork``). Nothing here is imported until the first call of ``fast``; numba is
imported when a first large input reaches a kernel.

Contract. A fast implementation returns what the reference returns, to rounding: the same
shapes, dtypes and special values (NaN propagation, ±inf, no overflow at logits of ±1000),
and it never writes to its caller's arrays unless the public function's contract says so
(optimizer steps, an explicit ``out=``).

How it is tested. ``tests/gradients/conftest.py`` runs every test of the library three
times: on the reference (``reference``), on block-wise NumPy (``numpy``) and on the kernels
forced at every size (``compiled``), each against the same proven forms and finite
differences. ``test_grad_fast.py`` and ``test_grad_blocks.py`` cover what those comparisons
cannot see: the vector exponential against ``np.exp``, the block runner, the thread
hand-off, fork safety, the cache of compiled kernels, and the tiles' edge cases.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

__all__ = ["fast", "mode"]

# the modules holding fast implementations, one per topic of the library
_TOPICS = ("activations", "classification", "regression", "networks", "normalization",
           "optimizers", "convolution")

_table: dict[str, Callable[..., Any]] | None = None


def mode() -> str:
    """The value of DERIVCHECK_KERNELS, validated (see the module docstring)."""
    from ._compiled import mode as read

    return read()


def _implementations() -> dict[str, Callable[..., Any]]:
    global _table
    if _table is None:
        table = {}
        for topic in _TOPICS:
            module = importlib.import_module(f"{__name__}.{topic}")
            table.update({name: getattr(module, name) for name in module.__all__})
        _table = table
    return _table


def fast(name: str, *args: Any, **kwargs: Any) -> Any:
    """The fast implementation of the library function `name` at these (validated)
    arguments, or None when there is none that applies: then the caller's reference runs."""
    if mode() == "reference":
        return None
    return _implementations()[name](*args, **kwargs)
