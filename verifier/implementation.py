"""Does a NumPy implementation compute what the proven claim says?

The claim's right-hand side is evaluated at random real points (30 digits, then float64) at
each of the claim's sizes (its fixed ``sizes``, else two small assignments), ``POINTS`` points
per size, and compared with the function named by ``claim.implementation``.

Arguments.  ``claim.impl_args`` is a function, written beside the claim in the catalogue,
that takes the claim's values at one point and returns the implementation's positional
arguments: ``lambda v: (v.X, v.y, v.theta)``.  ``v`` has one attribute per symbol (a vector
as a 1-D array, a matrix as a 2-D array, a scalar as a float, an index or integer symbol as
an int) and one per dimension name (an int at this size).  Without it, every symbol is
passed in declaration order.  ``claim.impl_kwargs`` likewise returns keyword arguments, for a
flag the claim is about (``lambda v: {"amsgrad": True, "max_v": v.w * v.w}``).  No text is
evaluated: the adapters are ordinary code that
linters and tests see.

Output.  ``module.function[key]`` selects one output: an integer indexes a tuple, a name
indexes a dict or reads a NamedTuple field.  The output is compared entry by entry with the
side after flattening both in row-major order, so a 1-D result matches a column and an
NCHW (1, 1, H, W) result an H × W matrix; a different number of entries is a mismatch.

Tolerance.  The error at a point is max |got − want| / max(1, max |want|), the relative
error for large values and the absolute error for values below 1; the implementation
matches when the worst error over all points and sizes is at most ``RTOL`` = 1e-9, far
above float64 rounding in these small computations (~1e-15) and far below any formula
mistake (a factor 1.01 is an error of 1e-2).  A non-finite output never matches.
"""

from __future__ import annotations

import importlib
import random
import re
from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from verifier.audit import as_matrix
from verifier.claim import Claim
from verifier.instantiate import default_sizes, explicit, side_values
from verifier.strategies.context import Context
from verifier.strategies.pointwise import Unknown, mp_values
from verifier.strategies.quick import real_value
from verifier.verdict import ImplementationCheck

__all__ = ["POINTS", "RTOL", "compare", "resolve"]

RTOL = 1e-9  # float64 implementation against a 30-digit evaluation of the proven form
POINTS = 3

_PATH = re.compile(r"^([\w.]+?)(?:\[(\w+)\])?$")


def resolve(path: str) -> tuple[Callable[..., Any], int | str | None]:
    """``package.module.function[key]`` -> (function, key or None)."""
    m = _PATH.match(path)
    if not m:
        raise ValueError(f"bad implementation path {path!r}")
    module, _, name = m.group(1).rpartition(".")
    fn = getattr(importlib.import_module(module), name)
    key = m.group(2)
    return fn, (int(key) if key is not None and key.isdigit() else key)


def _select(out: Any, key: int | str | None) -> Any:
    if key is None:
        return out
    if isinstance(key, str) and not isinstance(out, Mapping):
        return getattr(out, key)  # a NamedTuple field
    return out[key]


def _to_numpy(value: Any, decl_kind: str) -> Any:
    if decl_kind in ("index", "integer"):
        return int(value)
    if isinstance(value, sp.MatrixBase):
        arr = np.array(value.tolist(), dtype=np.float64)
        return arr[:, 0] if decl_kind == "vector" else arr
    return float(value)


def _sample(domains: dict[Any, tuple], rng: random.Random) -> dict[Any, sp.Float]:
    """A random real point in each symbol's domain (the engine's own sampler)."""
    return {sym: sp.Float(real_value(rng, dom), 30) for sym, dom in domains.items()}


def _at(v: Any, point: dict) -> Any:
    """``v`` (a value, a matrix or a number) at the point, to 30 digits: the tree walked at
    the point (``pointwise``), else SymPy's own substitution."""
    if not hasattr(v, "xreplace"):
        return v
    entries = list(v) if isinstance(v, sp.MatrixBase) else [v]
    try:
        with mpmath.workdps(30):
            found = mp_values(entries, point)
    except (Unknown, ArithmeticError, ValueError, TypeError):
        found = None
    if found is None or not all(isinstance(x, mpmath.mpf) for x in found):
        return sp.N(v.xreplace(point), 30)  # complex or unknown: as SymPy evaluates it
    numbers = [sp.Float(x, 30) for x in found]
    return sp.Matrix(v.shape[0], v.shape[1], numbers) if isinstance(v, sp.MatrixBase) \
        else numbers[0]


def compare(claim: Claim, seed: int = 0) -> ImplementationCheck:
    """Compare ``claim.implementation`` with the claim's right-hand side (see the module doc)."""
    path: str = claim.implementation  # type: ignore[assignment]
    fn, key = resolve(path)
    arguments = claim.impl_args or (lambda v: tuple(getattr(v, d.name) for d in claim.symbols))
    keywords = claim.impl_kwargs or (lambda v: {})
    kinds = {d.name: d.kind for d in claim.symbols}
    ctx = Context(claim, seed=seed)
    rng = random.Random(seed)
    worst = 0.0
    built: dict = {}  # one build per size and index values: points only change the values
    for sizes in default_sizes(claim):
        for _ in range(POINTS):
            index = ctx.random_index(sizes)
            at_size = (tuple(sorted(sizes.items())), tuple(sorted(index.items())))
            if at_size not in built:
                # the right-hand side only: the gradient of a gradient claim is not needed
                inst = explicit(claim, sizes, index)
                built[at_size] = inst, as_matrix(side_values(inst, claim.rhs, claim))
            inst, rhs = built[at_size]
            point = _sample(inst.domains, rng)
            values = inst.symbol_values()
            at = SimpleNamespace(**sizes)
            for name, kind in kinds.items():
                v = values[name]
                setattr(at, name, _to_numpy(_at(v, point), kind))
            got = np.asarray(_select(fn(*arguments(at), **keywords(at)), key), dtype=np.float64)
            want = np.array(_at(rhs, point).tolist(), dtype=np.float64)
            if got.size != want.size:
                return ImplementationCheck(
                    path, False, None, f"returned shape {got.shape}, the claim's side is "
                    f"{want.shape} (sizes {sizes})",
                )
            if not np.all(np.isfinite(got)):
                return ImplementationCheck(path, False, None, f"non-finite output at sizes {sizes}")
            got = got.reshape(want.shape)
            scale = max(1.0, float(np.max(np.abs(want))))
            worst = max(worst, float(np.max(np.abs(got - want))) / scale)
    ok = worst <= RTOL
    detail = (f"max relative error {worst:.2e} (tolerance {RTOL:.0e}) at {POINTS} random "
              "points per size")
    return ImplementationCheck(path, ok, worst, detail)
