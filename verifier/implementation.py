"""Does a NumPy implementation compute what the proven claim says?

The claim's right-hand side is evaluated at random real points (float64) and compared with
the function named by ``claim.implementation``, called with the claim's symbols in
``impl_args`` order: a vector as a 1-D array, a matrix as a 2-D array, a scalar as a float,
an index as an int.  ``module.function[key]`` selects one output of a function that returns
a tuple (integer key) or a dict.
"""

from __future__ import annotations

import importlib
import random
import re

import numpy as np
import sympy as sp

from verifier.claim import Claim
from verifier.instantiate import default_sizes
from verifier.strategies.base import Context
from verifier.verdict import ImplementationCheck

RTOL = 1e-9  # float64 implementation against a 30-digit evaluation of the proven form
POINTS = 3

_PATH = re.compile(r"^([\w.]+?)(?:\[(\w+)\])?$")


def resolve(path: str):
    """``package.module.function[key]`` -> (function, key or None)."""
    m = _PATH.match(path)
    if not m:
        raise ValueError(f"bad implementation path {path!r}")
    module, _, name = m.group(1).rpartition(".")
    fn = getattr(importlib.import_module(module), name)
    key = m.group(2)
    return fn, (int(key) if key is not None and key.isdigit() else key)


def _to_numpy(value, decl_kind: str):
    if decl_kind == "index":
        return int(value)
    if isinstance(value, sp.MatrixBase):
        arr = np.array(value.tolist(), dtype=np.float64)
        return arr[:, 0] if decl_kind == "vector" else arr
    return float(value)


def compare(claim: Claim, seed: int = 0) -> ImplementationCheck:
    fn, key = resolve(claim.implementation)  # type: ignore[arg-type]
    names = claim.impl_args or tuple(d.name for d in claim.symbols)
    kinds = {d.name: d.kind for d in claim.symbols}
    ctx = Context(claim, seed=seed)
    rng = random.Random(seed)
    worst = 0.0
    for sizes in default_sizes(claim):
        for _ in range(POINTS):
            built = ctx.build(sizes, ctx.random_index(sizes))
            point = {}
            for sym, (kind, data) in built.inst.domains.items():
                v = rng.uniform(0.2, 1.5)
                if kind == "interval":
                    lo, hi, _, _ = data
                    v = lo + (hi - lo) * rng.uniform(0.05, 0.95)
                elif kind == "integer":
                    v = rng.randint(1, 5)
                elif kind not in ("positive", "nonneg"):
                    v *= rng.choice((-1, 1)) if kind == "any" else -1
                point[sym] = sp.Float(v, 30)
            values = built.inst.symbol_values()
            args = [_to_numpy(values[n].xreplace(point) if hasattr(values[n], "xreplace")
                              else values[n], kinds[n]) for n in names]
            got = fn(*args)
            if key is not None:
                got = got[key]
            want = np.array(sp.N(built.rhs.xreplace(point), 30).tolist(), dtype=np.float64)
            got = np.asarray(got, dtype=np.float64)
            if got.size != want.size:
                return ImplementationCheck(
                    claim.implementation, False, None,  # type: ignore[arg-type]
                    f"returned shape {got.shape}, the claim's side is {want.shape}",
                )
            got = got.reshape(want.shape)
            scale = max(1.0, float(np.max(np.abs(want))))
            worst = max(worst, float(np.max(np.abs(got - want))) / scale)
    ok = worst <= RTOL
    detail = f"max relative error {worst:.2e} at {POINTS} random points per size"
    return ImplementationCheck(claim.implementation, ok, worst, detail)  # type: ignore[arg-type]
