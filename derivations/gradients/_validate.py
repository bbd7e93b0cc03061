"""Shared argument checks: every public function validates before computing.

Errors are ``ValueError`` whose message names the argument, its shape and what
was expected, so a caller can fix the call without reading the source.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = [
    "as_array",
    "reduced",
    "check_X_y_theta",
    "check_disjoint",
    "check_labels",
    "check_same_shape",
    "check_state",
    "floats",
    "grad_output_for",
    "hyper",
    "integer",
    "nan_quietly",
    "specials_quietly",
    "upstream_quietly",
    "require_ndim",
    "require_samples",
    "reduction_of",
]

REDUCTIONS = ("mean", "sum", "none")


def reduction_of(reduction: Any) -> str:
    """torch's reduction argument: 'mean' (the default everywhere here), 'sum' or 'none'."""
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none' (as torch's); got "
                         f"{reduction!r}")
    return reduction


def grad_output_for(reduction: str, grad_output: np.ndarray | None, shape: tuple[int, ...],
                    name: str) -> None:
    """A gradient of losses per sample (reduction='none') is a vector-Jacobian product: it
    needs the upstream gradient ∂L/∂(losses), of the losses' shape; the other reductions give
    a scalar and take none."""
    if reduction == "none":
        if grad_output is None:
            raise ValueError(
                f"reduction='none' gives one loss per {name}, so its gradient needs "
                f"grad_output, the upstream gradient of shape {shape} (what torch's "
                "loss.backward(grad_output) takes)"
            )
        if grad_output.shape != shape:
            raise ValueError(f"grad_output has shape {grad_output.shape}; expected {shape}, "
                             f"one entry per {name}")
    elif grad_output is not None:
        raise ValueError(f"grad_output is for reduction='none'; reduction={reduction!r} gives "
                         "a scalar loss (scale the gradient by its upstream gradient instead)")



def upstream_quietly() -> np.errstate:
    """NumPy's error state for u ⊙ ∂ℓ, a vector-Jacobian product with the upstream gradient u
    of losses per entry: an infinite or NaN u against a zero derivative (or an infinite
    derivative against u = 0) is NaN, a product beyond the range ±∞, as torch's, silently."""
    return np.errstate(invalid="ignore", over="ignore")


def nan_quietly() -> np.errstate:
    """NumPy's error state for an expression whose NaN is the right result: ∞ − ∞, 0 · ∞ or a
    NaN reduced, from an infinite or NaN input, where torch returns the same NaN and prints
    nothing. Put it around that expression only, never a whole function: elsewhere an
    invalid operation may still signal a mistake."""
    return np.errstate(invalid="ignore")


def specials_quietly() -> np.errstate:
    """nan_quietly, and a sum or product beyond the dtype's range (finite float32 entries near
    1e38 whose dot product, window sum or scaled step passes 3.4e38): ±∞, as torch's, silently.
    For the expressions whose every IEEE special result is torch's."""
    return np.errstate(invalid="ignore", over="ignore")


def _no_half(name: str, dtype: np.dtype) -> None:
    # float16 cannot hold these formulas' constants: Adam's ε = 1e-8 rounds to 0 (so 0/0 at
    # a zero gradient), a batch of 2¹¹ ones already sums to float16's last exact integer
    if dtype == np.float16:
        raise ValueError(
            f"{name} is float16, which is not supported (its constants underflow: Adam's "
            "eps = 1e-8 becomes 0); convert it with .astype(np.float32)"
        )


def _as_numeric(name: str, a: Any) -> np.ndarray:
    arr = np.asarray(a)
    if arr.dtype.kind not in "fiub":
        raise ValueError(f"{name} must be a real numeric array; got dtype {arr.dtype}")
    _no_half(name, arr.dtype)
    return arr


def not_boolean(name: str, a: Any, function: str) -> np.ndarray:
    """a as an array (converted once: the caller's floats() then takes it as it is), refused
    when it is boolean: torch refuses a bool tensor in relu ('Boolean inputs not supported'),
    the other activations and softmax, and 0/1 read from a mask is most often a mistake.
    Integers stay taken (as float64; the README's dtype rule), and sigmoid and tanh, which
    torch computes on a bool tensor, are not refused."""
    arr = np.asarray(a)
    if arr.dtype == np.bool_:
        raise ValueError(
            f"{name} is boolean, which {function} does not take (torch refuses a bool tensor "
            f"there too); convert it with .astype(np.float32) if 0 and 1 are meant"
        )
    return arr


def as_rows(a: np.ndarray) -> np.ndarray:
    """a of shape (…, k) as (rows, k): the row count is given, as reshape(-1, k) cannot infer
    it when k = 0 (torch returns empty results there)."""
    return a.reshape(math.prod(a.shape[:-1]), a.shape[-1])


def as_array(result: Any) -> np.ndarray:
    """result as an ndarray (the same object when it is one): NumPy's ufuncs turn a 0-d input
    into a scalar, where the library returns a 0-d array, as its fast path and torch do."""
    return np.asarray(result)


def reduced(losses: np.ndarray, reduction: str) -> np.floating | np.ndarray:
    """Per-entry losses under torch's reduction: 'none' (as they are), 'mean' or 'sum'."""
    if reduction == "none":
        return as_array(losses)
    # a sum beyond the dtype's range is ±∞, and one of +∞ and −∞ losses NaN, as torch's
    with np.errstate(over="ignore", invalid="ignore"):
        return np.mean(losses) if reduction == "mean" else np.sum(losses)


def hyper(
    name: str,
    value: Any,
    at_least: float | None = None,
    above: float | None = None,
    below: float | None = None,
) -> float:
    """A hyper-parameter as a Python float, so that it keeps float32 data in float32 (a NumPy
    float64 scalar would promote the result to float64). Bounds where the formula needs them
    (torch.optim's own checks): value ≥ at_least, value > above, value < below; NaN fails any
    bound."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        if not (isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "fiu"):
            raise ValueError(f"{name} must be a real number; got {value!r}")
    v = float(value)
    for ok, bound in ((at_least is None or v >= at_least, f"≥ {at_least}"),
                      (above is None or v > above, f"> {above}"),
                      (below is None or v < below, f"< {below}")):
        if not ok:
            raise ValueError(f"{name} must be {bound}; got {v!r}")
    return v


def integer(value: Any) -> int | None:
    """value as a Python int where torch takes an int (a class index, a step, a size): an int
    or a NumPy integer, not a bool, or a 0-d integer array (torch takes a 0-d integer tensor
    there); None for anything else (the caller's error names the argument)."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iu":
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        return None
    return int(value)


def require_samples(name: str, a: np.ndarray) -> None:
    """At least one sample (row): a mean over an empty batch is undefined."""
    if a.shape[0] == 0:
        raise ValueError(f"{name} has no samples (shape {a.shape}); a batch needs at least one row")


def check_disjoint(**arrays: np.ndarray) -> None:
    """No two of the arrays share memory (the first ones are updated in place: an alias would
    make the result depend on the order of the updates)."""
    items = list(arrays.items())
    for i, (name, a) in enumerate(items):
        for other, b in items[i + 1 :]:
            if np.shares_memory(a, b):
                raise ValueError(
                    f"{name} and {other} share memory; pass separate arrays (each state array "
                    "is updated in place)"
                )


def floats(**arrays: Any) -> list[np.ndarray]:
    """Convert keyword arrays to one common floating dtype, in order.

    The dtype comes from the floating inputs only (float32 stays float32 even
    when y or labels are integers); all-integer input becomes float64.
    """
    arrs = [_as_numeric(name, a) for name, a in arrays.items()]
    float_dtypes = [a.dtype for a in arrs if a.dtype.kind == "f"]
    dtype = np.result_type(*float_dtypes) if float_dtypes else np.dtype(np.float64)
    return [a.astype(dtype, copy=False) for a in arrs]


def require_ndim(name: str, a: np.ndarray, ndim: int, what: str = "") -> None:
    if a.ndim != ndim:
        hint = f" ({what})" if what else ""
        raise ValueError(f"{name} must be {ndim}-D{hint}; got shape {a.shape}")


def check_X_y_theta(X: np.ndarray, y: np.ndarray | None, theta: np.ndarray | None) -> None:
    """X (N, d), y (N,), theta (d,); None skips that check."""
    require_ndim("X", X, 2, "samples as rows, N × d")
    n, d = X.shape
    if theta is not None and (theta.ndim != 1 or theta.shape[0] != d):
        raise ValueError(
            f"X has shape {X.shape} but theta has shape {theta.shape}; expected theta of length {d}"
        )
    if y is not None and (y.ndim != 1 or y.shape[0] != n):
        raise ValueError(
            f"X has shape {X.shape} but y has shape {y.shape}; expected y of length {n}"
        )


def check_labels(
    labels: Any, n: int, n_classes: int, rows_name: str = "Z", name: str = "labels"
) -> np.ndarray:
    """Integer class indices, shape (n,), values in [0, n_classes); errors name the argument
    `name`."""
    lab = np.asarray(labels)
    if lab.dtype.kind not in "iu":
        raise ValueError(f"{name} must be integer class indices; got dtype {lab.dtype}")
    if lab.ndim != 1 or lab.shape[0] != n:
        raise ValueError(
            f"{rows_name} has {n} rows but {name} has shape {lab.shape}; "
            f"expected {name} of length {n}"
        )
    if n and (lab.min() < 0 or lab.max() >= n_classes):
        raise ValueError(
            f"{name} must lie in [0, {n_classes}) for {n_classes} classes; "
            f"got values in [{lab.min()}, {lab.max()}]"
        )
    return lab


def check_same_shape(name: str, a: np.ndarray, ref_name: str, ref: np.ndarray) -> None:
    if a.shape != ref.shape:
        raise ValueError(
            f"{ref_name} has shape {ref.shape} but {name} has shape {a.shape}; "
            f"expected {name} of shape {ref.shape}"
        )


def check_state(name: str, a: Any, params: np.ndarray) -> np.ndarray:
    """An array updated in place: a writeable float ndarray shaped like params."""
    if not isinstance(a, np.ndarray):
        raise ValueError(
            f"{name} must be a NumPy array (it is updated in place); got {type(a).__name__}"
        )
    if a.dtype.kind != "f":
        raise ValueError(f"{name} must be a floating array; got dtype {a.dtype}")
    _no_half(name, a.dtype)
    if not a.flags.writeable:
        raise ValueError(f"{name} must be writeable (it is updated in place)")
    if a is not params:
        check_same_shape(name, a, "params", params)
        if a.dtype != params.dtype:
            raise ValueError(
                f"params has dtype {params.dtype} but {name} has dtype {a.dtype}; "
                "state arrays must match the parameters' dtype"
            )
    return a
