"""How long ``derive`` takes on the Matrix Cookbook's identities and the notes' ML losses.

For each entry of ``tests/derive/test_derive.py``: the time to derive and simplify (warm:
SymPy already imported), the time for the engine to decide the result, and its verdict.
Writes a Markdown table (``--output``, default ``benchmarks/results/derive_speed.txt``).

    python benchmarks/derive_speed.py
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "derive"))

from test_derive import SPECS  # noqa: E402

from verifier.derive import derive, prove  # noqa: E402

# Questions whose proof a past round made fast (tests/derive checks their verdicts; the time
# is measured here, never asserted in a test): (question, wrt, symbols, kind, assume, seconds
# the fix brought it under on a quiet machine).
PAST_FIXES = (
    ("log(det(X.T @ diag(exp(x)) @ X))", "x", "x: vector(n), X: matrix(n, d)", "hessian", (),
     20),
    ("hessian(log(det(A + t * eye(n))), t)", "t", "A: matrix(n, n), t: scalar", "gradient",
     ("A positive definite",), 15),
    ("hessian(x.T @ inv(A + t * eye(n)) @ x, t)", "t", "A: matrix(n, n), x: vector(n), "
     "t: scalar", "gradient", ("A positive definite",), 15),
    ("sum(softmax(Q @ K.T) @ V)", "V", "Q: matrix(m, n), K: matrix(k, n), V: matrix(k, h)",
     "gradient", (), 20),
    ("sum(sqrt(1 + (X @ w - y) ** 2) - 1)", "w", "X: matrix(N, d), w: vector(d), y: vector(N)",
     "hessian", (), 10),
    ("sqrt((x - mu).T @ inv(S) @ (x - mu))", "x", "x: vector(n), mu: vector(n), "
     "S: matrix(n, n)", "hessian", ("S positive definite",), 10),
    ("norm(X @ w - y)", "w", "X: matrix(N, d), w: vector(d), y: vector(N)", "hessian", (), 10),
    ("sum(" + "tanh(" * 8 + "x" + ")" * 8 + ")", "x", "x: vector(n)", "gradient", (), 20),
    ("-sum(softmax(z) * log_softmax(z))", "z", "z: vector(k)", "hessian", (), 10),
    ("sum(log(1 + exp(B @ x)))", "x", "x: vector(n), B: matrix(m, n)", "hessian", (), 8),
    ("r.T @ (g * (x - mean(x)) / sqrt(mean((x - mean(x)) ** 2) + eps) + b)", "x",
     "x: vector(N), r: vector(N), g: scalar, b: scalar, eps: scalar", "gradient",
     ("eps positive",), 10),
    # check_shapes reads the static shapes of a gradient through inv (d87079a): 30 s -> 6-12 s
    ("trace(P - P @ H.T @ inv(H @ P @ H.T + R) @ H @ P)", "R",
     "P: matrix(n, n), H: matrix(m, n), R: matrix(m, m)", "gradient",
     ("P positive definite", "R positive definite"), 15),
    # round 15: the exact re-check sums a fraction part by part (Geman–McClure: checked only
    # after 26 s, proved in 0.8 s) and splits cases sample by sample (11 s -> 0.4 s)
    ("sum((X @ w - y) ** 2 / ((X @ w - y) ** 2 + c ** 2))", "w",
     "X: matrix(N, d), w: vector(d), y: vector(N), c: scalar", "hessian", ("c positive",), 3),
    ("sum(relu(abs(X @ w - y) - c) ** 2)", "w",
     "X: matrix(N, d), w: vector(d), y: vector(N), c: scalar", "hessian", ("c positive",), 3),
    # round 16: a polynomial's slope along a direction is its coefficient of t (2.6 s -> 1.1 s,
    # load 11); clip and the Huber loss written with min proved in each case (checked only
    # after 17 s and 15 s)
    ("trace(X.T @ X @ X.T @ X @ X.T @ X)", "X", "X: matrix(n, m)", "gradient", (), 2),
    ("sum(min(max(X @ w, lo), hi))", "w", "X: matrix(N, d), w: vector(d), lo: scalar, "
     "hi: scalar", "gradient", (), 3),
    ("sum(min(abs(r), dl) ** 2 / 2 + dl * relu(abs(r) - dl))", "r", "r: vector(n), dl: scalar",
     "gradient", ("dl positive",), 3),
)


def past_fixes(timeout: float) -> list[str]:
    """One row per PAST_FIXES question: derive and proof time against the fix's bound."""
    rows = ["| question | kind | derive + prove (s) | bound (s) | ratio | verdict |",
            "|---|---|---|---|---|---|"]
    for expr, wrt, symbols, kind, assume, bound in PAST_FIXES:
        start = time.perf_counter()
        d = derive(expr, wrt, symbols, kind=kind, assume=assume)
        v = prove(d, timeout=timeout).verdict
        took = time.perf_counter() - start
        rows.append(f"| `{expr}` by {wrt} | {kind} | {took:.2f} | {bound} | "
                    f"{took / bound:.2f} | {v.status} ({v.method}) |")
        print(rows[-1], flush=True)
    return rows


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--output", default=str(ROOT / "benchmarks/results/derive_speed.txt"))
    p.add_argument("--timeout", type=float, default=60)
    args = p.parse_args()
    derive("x.T @ x", "x", "x: vector(n)")  # warm SymPy
    rows = ["| identity | result | derive (s) | prove (s) | verdict (method) |",
            "|---|---|---|---|---|"]
    for s in SPECS:
        start = time.perf_counter()
        d = derive(s.expr, s.wrt, s.symbols, assume=s.assume)
        took = time.perf_counter() - start
        start = time.perf_counter()
        v = prove(d, timeout=args.timeout).verdict
        proof = time.perf_counter() - start
        expr = f"∂/∂{s.wrt} {s.expr}" + (f" ({', '.join(s.assume)})" if s.assume else "")
        rows.append(f"| `{expr}` | {d.unicode} | {took:.3f} | {proof:.2f} | "
                    f"{v.status} ({v.method}) |")
        print(rows[-1], flush=True)
    rows += ["", "Questions a past round made fast (ratio: time over the bound the fix reached):",
             ""] + past_fixes(args.timeout)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    head = (f"derive speed, {time.strftime('%Y-%m-%d')}, Python {platform.python_version()}, "
            f"{os.cpu_count()} cores, load average {load:.1f}\n\n")
    Path(args.output).write_text(head + "\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
