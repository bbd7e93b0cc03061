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
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    head = (f"derive speed, {time.strftime('%Y-%m-%d')}, Python {platform.python_version()}, "
            f"{os.cpu_count()} cores, load average {load:.1f}\n\n")
    Path(args.output).write_text(head + "\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
