"""``derive`` on questions of a held-out kind (matrixcalculus.org style) that once gave a wrong
derivative, a traceback or no answer: each result is compared with central finite
differences of an independent NumPy form of f, and the engine's verdict on it is checked."""

from __future__ import annotations

import types

import numpy as np
import pytest

from verifier.derive import derive, prove
from verifier.derive.emit import numpy_module

SIZES = {"n": 3, "m": 4}


def _inputs(symbols: dict[str, tuple], rng) -> dict:
    out = {}
    for name, shape in symbols.items():
        if shape == ():
            out[name] = float(rng.uniform(0.5, 2.0))
        else:
            out[name] = rng.standard_normal(tuple(SIZES.get(s, s) for s in shape))
    return out


def _central(f, args: dict, wrt: str, h: float = 1e-6) -> np.ndarray:
    x0 = np.array(args[wrt], dtype=float)
    grad = np.zeros(x0.shape)
    for k in range(x0.size):
        up, down = x0.copy(), x0.copy()
        up.flat[k] += h
        down.flat[k] -= h
        grad.flat[k] = (f(**{**args, wrt: up}) - f(**{**args, wrt: down})) / (2 * h)
    return grad


def _gradient_function(d):
    module = types.ModuleType("derived")
    exec(numpy_module(d), module.__dict__)
    return module.grad_f


def assert_matches_differences(d, f, symbols: dict[str, tuple], wrt: str) -> None:
    grad = _gradient_function(d)
    rng = np.random.default_rng(7)
    for _ in range(3):
        args = _inputs(symbols, rng)
        numeric = _central(f, args, wrt)
        analytic = np.asarray(grad(**args), dtype=float).reshape(numeric.shape)
        assert np.allclose(analytic, numeric, rtol=1e-6, atol=1e-6), (d.text, analytic, numeric)


# ----- a scalar broadcast over a vector, summed: Σ(c𝟏) = n·c, not c -----

BROADCAST = [
    # Σ(x − mean(x))²: 2(x − mean(x)); was 2((−Σ(−Σx/n) − Σx)𝟏/n + x − Σx/n), off by (n−1)Σx/n
    ("sum((x - mean(x)) ** 2)", "x", "x: vector(n)", {"x": ("n", 1)},
     lambda x: float(np.sum((x - np.mean(x)) ** 2))),
    # ‖x − s(yᵀx)𝟏‖²
    ("norm(x - s * y.T @ x) ** 2", "x", "x: vector(n), y: vector(n), s: scalar",
     {"x": ("n", 1), "y": ("n", 1), "s": ()},
     lambda x, y, s: float(np.sum((x - s * (y.T @ x)) ** 2))),
    # a broadcast scalar inside a trace: tr(B − (xᵀx)) = tr B − n xᵀx
    ("trace(B - x.T @ x)", "x", "x: vector(n), B: matrix(n, n)", {"x": ("n", 1), "B": ("n", "n")},
     lambda x, B: float(np.trace(B - (x.T @ x)))),
]


@pytest.mark.parametrize("expr, wrt, symbols, shapes, f", BROADCAST, ids=[b[0] for b in BROADCAST])
def test_a_broadcast_scalar_is_summed_over_every_entry(expr, wrt, symbols, shapes, f):
    d = derive(expr, wrt, symbols)
    assert_matches_differences(d, f, shapes, wrt)
    assert prove(d, timeout=60).verdict.holds
