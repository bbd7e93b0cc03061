"""How far a verdict can be trusted: the soundness self-test, with the run's circumstances.

With ``--cases 0`` (the default) the mutant mode alone: decides every catalogue entry
(cached), mutates each proved claim and derivation step (flip a sign, scale by 2 or 1/2,
transpose, add or replace a symbol, swap two factors, drop or add a transpose, an inverse
made a transpose, drop a term), sets aside mutants that an independent 40-digit evaluation
finds equivalent, and counts how the engine judges the rest.  With ``--cases N`` the whole
``derivcheck selftest``: N generated adversarial cases as well, judged independently.
Prints the run's header (date, machine, load, commit, command) and the table; exit 1 on
any unsound verdict.

    PYTHONPATH=. python benchmarks/mutation.py [--mutants 700] [--seed 0] [--jobs 2]
        [--timeout 30] [--conditions] [--output benchmarks/results/mutation.txt]
    PYTHONPATH=. python benchmarks/mutation.py --cases 840 --mutants 200 --timeout 20 \
        --output benchmarks/results/selftest.txt

Never run by the tests (tests/engine/test_selftest.py and tests/selftest/ run seeded subsets).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
import time


def _header(argv: list[str], jobs: int) -> list[str]:
    import sympy

    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=False).stdout.strip()
    except OSError:
        commit = "?"
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return [
        "# benchmarks/mutation.py results",
        f"# command: PYTHONPATH=. python benchmarks/mutation.py {' '.join(argv)}".rstrip(),
        f"# date: {datetime.datetime.now().isoformat(timespec='seconds')}",
        f"# machine: {cpu}, nproc {os.cpu_count()}, jobs {jobs}; "
        f"load average at start {os.getloadavg()[0]:.2f} (shared with other processes)",
        f"# python {platform.python_version()}, sympy {sympy.__version__}, commit {commit}",
    ]


def _memory_limit(jobs: int) -> int:
    """¾ of RAM over the jobs, at most 8 GiB each (as derivcheck's own default)."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return max(1 << 30, min(8 << 30, int(total * 0.75) // max(jobs, 1)))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--mutants", type=int, default=700)
    p.add_argument("--cases", type=int, default=0,
                   help="generated adversarial cases as well (derivcheck selftest --cases)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--jobs", type=int, default=0)
    p.add_argument("--timeout", type=float, default=30.0)
    p.add_argument("--conditions", action="store_true",
                   help="search for conditions on refuted mutants (checked independently)")
    p.add_argument("--topic", action="append")
    p.add_argument("--cache-dir")
    p.add_argument("--output", help="also write the results to this file")
    args = p.parse_args(argv)

    from derivations import catalogue
    from verifier.cache import Cache
    from verifier.selftest.run import Settings, run_selftest

    jobs = args.jobs or os.cpu_count() or 1
    entries = [e for e in catalogue() if not args.topic or e.topic in args.topic]
    lines = _header(argv, jobs)
    start = time.perf_counter()
    settings = Settings(seed=args.seed, cases=args.cases, mutants=args.mutants, jobs=jobs,
                        timeout=args.timeout, conditions=args.conditions,
                        memory_limit=_memory_limit(jobs))
    report = run_selftest(settings, entries, Cache(args.cache_dir),
                          log=lambda msg: print(msg, file=sys.stderr, flush=True))
    if args.cases == 0 and report.mutants is not None:
        report = report.mutants  # the mutant mode's own, fuller table
    lines.append(f"# load average at the end {os.getloadavg()[0]:.2f}; "
                 f"total {time.perf_counter() - start:.0f} s")
    lines += ["", report.table()]
    per_template = getattr(report, "per_template", lambda: "")()
    if per_template:
        lines.append(per_template)
    details = report.details()
    if details:
        lines += ["", details]
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
