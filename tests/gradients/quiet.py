"""What torch prints at IEEE special values: nothing. ∞ − ∞, 0 · ∞ and a square beyond the
dtype's range give NaN or ∞ in torch without a word; the library must not print NumPy's
RuntimeWarning for them either (it silences each such expression where its result is right)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np


@contextmanager
def quiet_as_torch() -> Iterator[None]:
    """Any floating-point warning inside is an error: on the calling thread through NumPy's
    error state, on the fast path's worker threads (whose error state is their own) through
    the warnings filter. Underflow stays ignored, as NumPy's default has it."""
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"), \
            warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        yield
