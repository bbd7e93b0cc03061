"""``derive`` on held-out questions (ML losses, index forms, Jacobians) that once gave a clear
error or no answer; each result is proved by the engine and compared with finite
differences where it is a closed form."""

from __future__ import annotations

import numpy as np

from verifier.derive import derive, prove


def _entry_value(d, env: dict, at: dict) -> float:
    """An index-form entry evaluated by NumPy: sum(e, k) over its declared range."""
    import ast

    ranges = {name.strip(): env[size.strip(" )")] for name, size in
              (part.split(": index(") for part in d.indices.split(", "))}

    def ev(t, scope):
        if isinstance(t, ast.Constant):
            return t.value
        if isinstance(t, ast.Name):
            return scope[t.id]
        if isinstance(t, ast.UnaryOp):
            return -ev(t.operand, scope)
        if isinstance(t, ast.BinOp):
            a, b = ev(t.left, scope), ev(t.right, scope)
            return {ast.Add: a + b, ast.Sub: a - b, ast.Mult: a * b,
                    ast.Div: a / b if b else 0.0}[type(t.op)]
        if isinstance(t, ast.Compare):
            return float(ev(t.left, scope) == ev(t.comparators[0], scope))
        if isinstance(t, ast.Subscript):
            keys = t.slice.elts if isinstance(t.slice, ast.Tuple) else [t.slice]
            return scope[t.value.id][tuple(ev(k, scope) for k in keys)]
        name = t.func.id
        if name == "sum":
            k = t.args[1].id
            return sum(ev(t.args[0], {**scope, k: v}) for v in range(ranges[k]))
        return {"exp": np.exp, "log": np.log}[name](ev(t.args[0], scope))

    return float(ev(ast.parse(d.text, mode="eval").body, {**env, **at}))


def test_summation_indices_over_different_ranges_get_different_names():
    # the canonical form named Σ over samples and Σ over features alike (l), and the claim
    # declared l once: "l ranges over 0..d-1 but X has N rows"
    d = derive("-sum(log(softmax(X @ W)[i, c]), i)", "W",
               "X: matrix(N, d), W: matrix(d, C), c: index(C), i: index(N)")
    assert prove(d, timeout=60).verdict.status == "proved"
    rng = np.random.default_rng(3)
    N, dd, C, c = 4, 2, 3, 1
    X, W = rng.standard_normal((N, dd)), rng.standard_normal((dd, C))

    def f(W):
        Z = X @ W
        return -np.sum(Z[:, c] - np.log(np.exp(Z).sum(axis=1)))

    env = {"X": X, "W": W, "N": N, "d": dd, "C": C, "c": c}
    h = 1e-6
    for j in range(dd):
        for k in range(C):
            E = np.zeros((dd, C))
            E[j, k] = h
            numeric = (f(W + E) - f(W - E)) / (2 * h)
            at = dict(zip((s.strip() for s in d.entry.strip("[]").split(",")), (j, k),
                          strict=True))
            assert abs(_entry_value(d, env, at) - numeric) < 1e-6
