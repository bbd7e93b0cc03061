"""How long verification takes: ``--help``, note 000 and the whole catalogue, cold and cached;
the inverse identities of ``examples/inverse_identities.claims.toml``, claim by claim; and
what the index-form prover costs and saves (``--only index``).

    python benchmarks/verify_speed.py [--jobs N] [--repeat K] [--only catalogue|inverse|index]

``--only index`` runs a cold ``verify`` of the whole catalogue with and without
``prove_index_form`` in the pipeline (alternating, ``--repeat`` times) and prints the least
CPU seconds of the workers (user + sys, which a loaded machine inflates far less than wall
time), the least wall time and the verdict counts of each: the prover must save at least
what it costs (issue 19).

Each figure is the best of K wall-clock runs of the real command in a subprocess, with a
fresh cache directory for the cold runs.  Targets (issues 2 and 3, on 2 cores): --help
≤ 0.5 s; note 000 cold ≤ 10 s, cached ≤ 2 s; whole catalogue cold ≤ 30 s.  Issue 16: each
inverse identity proved in general dimension, and each of its one-term mutants refuted (or
conditional: false as stated), in ≤ 5 s (the seconds the engine spent on the claim, in one of
``--jobs`` workers, condition search included; best of K cold runs).  The figures are
printed, never asserted: the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

INVERSE = Path(__file__).resolve().parents[1] / "examples" / "inverse_identities.claims.toml"


def timed(args: list[str], env: dict) -> tuple[float, int]:
    start = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "verifier", *args], env=env,
                       capture_output=True, text=True)
    return time.perf_counter() - start, p.returncode


def best(args: list[str], env: dict, repeat: int, fresh_cache: bool) -> tuple[float, int]:
    times, code = [], 0
    for _ in range(repeat):
        if fresh_cache:
            env = dict(env, DERIVCHECK_CACHE=tempfile.mkdtemp(prefix="dc-bench-"))
        t, code = timed(args, env)
        times.append(t)
    return min(times), code


def inverse_identities(env: dict, jobs: list[str], repeat: int) -> None:
    """Seconds per claim of the inverse identities and their mutants (best of ``repeat``)."""
    best_of: dict[str, dict] = {}
    walls = []
    for _ in range(repeat):
        out = Path(tempfile.mkdtemp(prefix="dc-bench-")) / "inverse.json"
        cold = dict(env, DERIVCHECK_CACHE=tempfile.mkdtemp(prefix="dc-bench-"))
        wall, code = timed(["check", str(INVERSE), *jobs, "--format", "json", "-o", str(out)],
                           cold)
        walls.append(wall)
        if code not in (0, 1):
            print(f"note: the inverse identities' run exited {code}")
            return
        for r in json.loads(out.read_text())["claims"]:
            if r["id"] not in best_of or r["seconds"] < best_of[r["id"]]["seconds"]:
                best_of[r["id"]] = r
    rows = list(best_of.values())
    print(f"inverse identities ({INVERSE.name}): {len(rows)} claims, {min(walls):.2f} s wall "
          "for the whole file")
    print(f"{'claim':38s} {'verdict':30s} {'method':22s} {'seconds':>8s} {'target':>7s}")
    for r in rows:
        verdict = r["verdict"] + (f" ({r['condition']})" if r["condition"] else "")
        print(f"{r['id']:38s} {verdict:30s} {r['method']:22s} {r['seconds']:8.2f} {'≤ 5':>7s}")
    worst = max(rows, key=lambda r: r["seconds"])
    held = sum(r["as_expected"] for r in rows)
    print(f"{held} of {len(rows)} as expected; slowest {worst['id']} {worst['seconds']:.2f} s")
    print(json.dumps({r["id"]: round(r["seconds"], 3) for r in rows}))


WITHOUT_INDEX_FORM = (
    "import sys; from verifier import engine; "
    "engine.PIPELINE = tuple(s for s in engine.PIPELINE if s.__name__ != 'prove_index_form'); "
    "engine.PROOFS = tuple(s for s in engine.PROOFS if s.__name__ != 'prove_index_form'); "
    "from verifier.cli import main; sys.exit(main(sys.argv[1:]))"
)


def cpu_run(command: list[str], env: dict) -> tuple[float, float, dict]:
    """(CPU seconds of the run and its workers, wall seconds, verdict counts), cold."""
    import resource

    out = Path(tempfile.mkdtemp(prefix="dc-bench-")) / "verify.json"
    cold = dict(env, DERIVCHECK_CACHE=tempfile.mkdtemp(prefix="dc-bench-"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([*command, "-o", str(out)], env=cold, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, json.loads(out.read_text())["summary"]["counts"]


def index_form_cost(env: dict, jobs: list[str], repeat: int) -> None:
    """Whole-catalogue cold verify with and without prove_index_form, the two alternating
    ``repeat`` times: the least CPU and wall of each, and its verdict counts."""
    args = ["verify", "--no-cache", *jobs, "--format", "json"]
    rows = [("with prove_index_form", [sys.executable, "-m", "verifier", *args]),
            ("without prove_index_form", [sys.executable, "-c", WITHOUT_INDEX_FORM, *args])]
    print(f"index form, whole catalogue, cold — {time.strftime('%Y-%m-%d')}, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, best of {repeat}")
    results: dict[str, list] = {name: [] for name, _ in rows}
    for _ in range(repeat):
        for name, command in rows:
            results[name].append(cpu_run(command, env))
    print(f"{'run':28s} {'CPU s':>7s} {'wall s':>7s} {'proved':>7s} {'at sizes':>9s}")
    for name, runs in results.items():
        cpu, wall = min(r[0] for r in runs), min(r[1] for r in runs)
        counts = runs[0][2]
        print(f"{name:28s} {cpu:7.1f} {wall:7.1f} {counts.get('proved', 0):7d} "
              f"{counts.get('proved-at-sizes', 0):9d}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--only", choices=("catalogue", "inverse", "index"), default=None)
    a = ap.parse_args()
    env = dict(os.environ)
    jobs = ["--jobs", str(a.jobs), "--quiet"]
    if a.only == "index":
        index_form_cost(env, jobs, a.repeat)
        return
    if a.only != "catalogue":
        inverse_identities(env, jobs, a.repeat)
        if a.only == "inverse":
            return
    rows = []
    t, _ = best(["--help"], env, max(a.repeat, 3), False)
    rows.append(("derivcheck --help", t, 0.5))
    note000 = ["verify", "--source", "000", *jobs, "--format", "json", "-o", os.devnull]
    t, _ = best(note000, env, a.repeat, True)
    rows.append(("verify --source 000, cold", t, 10.0))
    cache = tempfile.mkdtemp(prefix="dc-bench-")
    warm = dict(env, DERIVCHECK_CACHE=cache)
    timed(note000, warm)
    t, _ = best(note000, warm, max(a.repeat, 3), False)
    rows.append(("verify --source 000, cached", t, 2.0))
    everything = ["verify", *jobs, "--format", "json", "-o", os.devnull]
    t, code = best(everything, env, a.repeat, True)
    rows.append(("verify (whole catalogue), cold", t, 30.0))
    timed(everything, warm)
    t, _ = best(everything, warm, max(a.repeat, 3), False)
    rows.append(("verify (whole catalogue), cached", t, None))

    from derivations import catalogue

    count = len(catalogue())
    print(f"derivcheck verify speed — {time.strftime('%Y-%m-%d')}, {platform.machine()}, "
          f"{os.cpu_count()} cores, jobs={a.jobs}, {count} catalogue entries, "
          f"load {os.getloadavg()[0]:.1f}")
    print(f"{'run':40s} {'seconds':>8s} {'target':>8s}")
    for name, secs, target in rows:
        tgt = f"≤ {target:g}" if target else ""
        print(f"{name:40s} {secs:8.2f} {tgt:>8s}")
    print(json.dumps({name: round(secs, 3) for name, secs, _ in rows}))
    if code not in (0, 1):
        print(f"note: the full run exited {code}")


if __name__ == "__main__":
    main()
