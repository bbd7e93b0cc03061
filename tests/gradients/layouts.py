"""The memory layouts every gradient test feeds the library: the same values as a C-contiguous,
Fortran, strided (a[..., ::2] of a wider array) or reversed (a[::-1] of a flipped copy) array."""

from __future__ import annotations

import numpy as np

LAYOUTS = ["C", "Fortran", "strided", "reversed"]


def as_layout(a: np.ndarray, layout: str) -> np.ndarray:
    if layout == "C" or a.ndim == 0:
        return np.ascontiguousarray(a)
    if layout == "Fortran":
        return np.asfortranarray(a)
    if layout == "strided":
        holder = np.zeros((*a.shape[:-1], 2 * a.shape[-1]), a.dtype)
        holder[..., ::2] = a
        return holder[..., ::2]
    return np.ascontiguousarray(a[::-1])[::-1]
