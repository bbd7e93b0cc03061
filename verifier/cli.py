"""``derivcheck``: verify the catalogue, check claims, list and show them.

Exit codes: 0 every verdict as expected; 1 some verdict is not; 2 bad input or usage;
130 interrupted (the partial report is still printed and written).
Heavy modules (SymPy, rich) load inside the commands, so ``--help`` answers at once.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence

EXIT_OK, EXIT_UNEXPECTED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """Bad input from the user: printed as one clear message, exit code 2."""


def _default_memory_limit(jobs: int) -> int:
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        total = 8 << 30
    return max(1 << 30, min(8 << 30, int(total * 0.75) // max(jobs, 1)))


def _run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("console", "json", "markdown", "html"), default="console",
                   help="report format (default: console)")
    p.add_argument("--output", "-o", metavar="FILE",
                   help="write the report to FILE (the console still gets the summary)")
    p.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                   help="worker processes (default: one per core)")
    p.add_argument("--timeout", type=float, default=60.0, metavar="S",
                   help="seconds per claim before it is stopped as 'timeout' (default: 60)")
    p.add_argument("--seed", type=int, default=0, metavar="N",
                   help="seed of the random points (default: 0); reports print it")
    p.add_argument("--no-cache", action="store_true", help="ignore and do not write the cache")
    p.add_argument("--cache-dir", metavar="DIR",
                   help="cache directory (default: $DERIVCHECK_CACHE or ~/.cache/derivcheck)")
    p.add_argument("--memory-limit", type=float, metavar="GIB",
                   help="address-space limit per worker in GiB (default: 3/4 of RAM / jobs, "
                        "at most 8)")
    p.add_argument("--no-conditions", action="store_true",
                   help="do not search for a condition when a claim is refuted")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="derivcheck",
        description="Prove, refute, or find the condition for the formulas of ML lecture notes.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    v = sub.add_parser("verify", help="verify every derivation of the catalogue and report")
    v.add_argument("--topic", action="append", metavar="T",
                   help="only this topic (repeatable), e.g. matrix_calculus")
    v.add_argument("--source", action="append", metavar="NOTE",
                   help="only claims from this note file (repeatable), e.g. "
                        "000_a52696e652c128e2.txt or 000")
    _run_options(v)

    c = sub.add_parser("check", help="check claims by id, or every claim in .toml claim files")
    c.add_argument("targets", nargs="+", metavar="ID|FILE.toml")
    _run_options(c)

    cl = sub.add_parser("claim", help="check one formula given on the command line")
    cl.add_argument("lhs")
    cl.add_argument("rhs")
    cl.add_argument("--symbols", required=True, help='e.g. "x: vector(n), A: matrix(n, n)"')
    cl.add_argument("--assume", action="append", default=[], metavar="TEXT",
                    help='an assumption, e.g. "A symmetric" (repeatable)')
    cl.add_argument("--layout", choices=("denominator", "numerator"), default="denominator")
    cl.add_argument("--expect", default=None, help='holds | fails | "holds if A symmetric"')
    _run_options(cl)

    ls = sub.add_parser("list", help="list the catalogue: ids, titles, sources")
    ls.add_argument("--topic", action="append", metavar="T")
    ls.add_argument("--source", action="append", metavar="NOTE")

    sh = sub.add_parser("show", help="show one claim: symbols, assumptions, both sides")
    sh.add_argument("id")

    st = sub.add_parser("selftest", help="mutation testing: are mutants of proved claims refuted?")
    st.add_argument("--mutants", type=int, default=600, metavar="N",
                    help="how many mutants to generate (default: 600)")
    st.add_argument("--seed", type=int, default=0, metavar="S",
                    help="seed of the sample of mutants and of the engine (default: 0)")
    st.add_argument("--jobs", "-j", type=int, default=0, metavar="J",
                    help="worker processes (default: one per core)")
    st.add_argument("--timeout", type=float, default=30.0, metavar="T",
                    help="seconds per mutant (default: 30)")
    st.add_argument("--topic", action="append", metavar="T",
                    help="mutate only this topic's claims (repeatable)")
    st.add_argument("--conditions", action="store_true",
                    help="search for a condition when a mutant is refuted (slower); each "
                         "condition found is then checked independently")
    st.add_argument("--no-cache", action="store_true",
                    help="decide the original claims afresh (mutants are never cached)")
    st.add_argument("--cache-dir", metavar="DIR", help="cache of the original claims' verdicts")
    return parser


# ----- selecting entries -----


def _select(topics: list[str] | None, sources: list[str] | None) -> list:
    from derivations import NOTES, TOPICS, catalogue

    entries = list(catalogue())
    if topics:
        unknown = [t for t in topics if t not in TOPICS]
        if unknown:
            raise UsageError(f"unknown topic {', '.join(unknown)}; topics: {', '.join(TOPICS)}")
        entries = [e for e in entries if e.topic in topics]
    if sources:
        wanted = set()
        for s in sources:
            name = NOTES.get(s, s)
            if name not in NOTES.values() and name != "standard":
                raise UsageError(
                    f"unknown note {s!r}; notes: {', '.join(NOTES.values())} (or their "
                    "prefixes 000…004, or 'standard')"
                )
            wanted.add(name)
        entries = [e for e in entries if (e.note or "standard") in wanted]
    return entries


def _targets(targets: Sequence[str]) -> tuple[list, list[str]]:
    """Claim ids and claim files; returns (entries, error messages)."""
    from derivations import get

    entries, errors, files = [], [], []
    for t in targets:
        if t.endswith(".toml") or os.path.sep in t or os.path.exists(t):
            files.append(t)
            continue
        try:
            entries.append(get(t))
        except KeyError as exc:
            errors.append(str(exc.args[0]))
    if files:
        try:
            from verifier.claimfile import load_claim_files
        except ImportError:
            errors.append("claim files are not supported by this build")
        else:
            loaded, file_errors = load_claim_files(files)
            entries.extend(loaded)
            errors.extend(e.render() if hasattr(e, "render") else str(e) for e in file_errors)
    return entries, errors


# ----- running -----


def _execute(entries: list, args, err_console, input_errors: Sequence[str] = ()) -> int:
    from verifier import __version__
    from verifier.cache import Cache
    from verifier.engine import Interrupted, Options, run
    from verifier.report import Run

    jobs = args.jobs or os.cpu_count() or 1
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.timeout <= 0:
        raise UsageError("--timeout must be positive")
    mem = int(args.memory_limit * (1 << 30)) if args.memory_limit else _default_memory_limit(jobs)
    opts = Options(seed=args.seed, timeout=args.timeout, jobs=jobs, memory_limit=mem,
                   conditions=not args.no_conditions)
    cache = None if args.no_cache else Cache(args.cache_dir)
    start = time.perf_counter()
    interrupted = False
    with _progress(err_console, len(entries), args.quiet) as advance:
        try:
            results = run(entries, opts, on_result=advance, cache=cache)
        except Interrupted as exc:
            results = [r for r in exc.results if r is not None]
            interrupted = True
    notes = tuple(cache.notes if cache else ()) + tuple(input_errors)
    report = Run(tuple(results), time.perf_counter() - start, __version__, interrupted, notes)
    _emit(report, args, err_console)
    if interrupted:
        return EXIT_INTERRUPTED
    if input_errors:
        return EXIT_BAD_INPUT
    return EXIT_OK if not report.unexpected else EXIT_UNEXPECTED


class _progress:
    """A progress bar on stderr while claims are decided (silent when not a terminal)."""

    def __init__(self, console, total: int, quiet: bool):
        self.console, self.total, self.quiet = console, total, quiet

    def __enter__(self):
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.progress = Progress(
            TextColumn("verifying"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=self.console, transient=True,
            disable=self.quiet or not self.console.is_terminal,
        )
        self.progress.__enter__()
        self.task = self.progress.add_task("", total=self.total)

        def advance(result) -> None:
            self.progress.update(self.task, advance=1, description=result.id)

        return advance

    def __exit__(self, *exc) -> None:
        self.progress.__exit__(*exc)


def _emit(report, args, err_console) -> None:
    from verifier.report import render
    from verifier.report.console import make_console, render_console, summary_line

    if args.output:
        text = render(report, args.format)
        _write_atomic(args.output, text)
        out = make_console()
        out.print(summary_line(report))
        out.print(f"report written to {args.output}")
    elif args.format == "console":
        render_console(report, make_console())
    else:
        sys.stdout.write(render(report, args.format))
        err_console.print(summary_line(report))


def _write_atomic(path: str, text: str) -> None:
    import tempfile

    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise UsageError(f"--output {path}: directory {directory} does not exist")
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".derivcheck-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


# ----- commands -----


def cmd_verify(args, err) -> int:
    entries = _select(args.topic, args.source)
    if not entries:
        raise UsageError("no claims match the given --topic / --source")
    return _execute(entries, args, err)


def cmd_check(args, err) -> int:
    entries, errors = _targets(args.targets)
    for e in errors:
        err.print(f"[bold red]error:[/] {e}", highlight=False)
    if not entries:
        return EXIT_BAD_INPUT
    return _execute(entries, args, err, errors)


def cmd_claim(args, err) -> int:
    try:
        from verifier.claimfile import one_liner
    except ImportError as exc:
        raise UsageError("one-line claims are not supported by this build") from exc
    from verifier.claim import ClaimError

    try:
        claim = one_liner(args.lhs, args.rhs, args.symbols, args.assume, args.layout, args.expect)
    except ClaimError as exc:
        raise UsageError(str(exc)) from exc
    return _execute([claim], args, err)


def cmd_list(args, err) -> int:
    from rich.table import Table

    from verifier.report.console import make_console

    entries = _select(args.topic, args.source)
    t = Table(expand=True)
    for col in ("id", "title", "source", "expect"):
        t.add_column(col, overflow="fold")
    for e in entries:
        t.add_row(e.id, e.title, e.source, str(e.expect))
    out = make_console()
    out.print(t)
    out.print(f"{len(entries)} entries")
    return EXIT_OK


def cmd_show(args, err) -> int:
    from rich.text import Text

    from derivations import get
    from verifier.report.console import make_console

    try:
        entry = get(args.id)
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from exc
    out = make_console()
    t = Text()
    t.append(f"{entry.id}\n", style="heading")
    t.append(f"{entry.title}\nsource: {entry.source}\nkind: {entry.kind}\n")
    t.append("symbols: " + ", ".join(repr(d) for d in entry.symbols) + "\n")
    if entry.assumptions:
        t.append("assume: " + ", ".join(str(a) for a in entry.assumptions) + "\n")
    t.append(f"expect: {entry.expect}\n")
    if getattr(entry, "implementation", None):
        t.append(f"implementation: {entry.implementation}\n")
    if entry.xfail:
        t.append(f"known limitation: {entry.xfail}\n")
    out.print(t)
    claims = entry.step_claims() if hasattr(entry, "step_claims") else (entry,)
    for k, c in enumerate(claims, start=1):
        if hasattr(entry, "step_claims"):
            out.print(f"step {k}:", style="heading")
        for label, text in (("lhs", _pretty_side(c, "lhs")), ("rhs", _pretty_side(c, "rhs"))):
            out.print(f"{label}:", style="heading")
            out.print(text)
    return EXIT_OK


def _pretty_side(c, label: str) -> str:
    """One side in Unicode: general form where it exists, else at the first fixed sizes."""
    import sympy as sp

    from verifier.engine import _as_written, display
    from verifier.instantiate import default_sizes, explicit, general

    def scalar(e):  # a 1×1 product reads as itself, not as its trace
        return e.replace(lambda x: isinstance(x, sp.Trace) and x.arg.shape == (1, 1),
                         lambda x: x.arg)

    for make in (lambda: general(c), lambda: explicit(c, default_sizes(c)[0])):
        try:
            with _as_written():
                env = make().env
                if label == "lhs" and c.kind == "gradient":
                    layout = "" if c.layout == "denominator" else " (numerator layout)"
                    f = sp.pretty(scalar(sp.sympify(c.f(env))), use_unicode=True)
                    return f"∂/∂{c.wrt}{layout} of\n{f}"
                side = c.lhs if label == "lhs" else c.rhs
                return sp.pretty(scalar(sp.sympify(side(env))), use_unicode=True)
        except Exception:  # noqa: BLE001 - fall back to the plain text
            continue
    return getattr(display(c), label)


def cmd_selftest(args, err) -> int:
    try:
        from verifier.selftest import main as selftest_main
    except ImportError as exc:
        raise UsageError("selftest is not available in this build") from exc
    return selftest_main(args)


COMMANDS = {
    "verify": cmd_verify,
    "check": cmd_check,
    "claim": cmd_claim,
    "list": cmd_list,
    "show": cmd_show,
    "selftest": cmd_selftest,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from verifier import __version__

        print(f"derivcheck {__version__}")
        return EXIT_OK
    if not args.command:
        parser.print_help()
        return EXIT_BAD_INPUT
    from rich.console import Console

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        return COMMANDS[args.command](args, err)
    except UsageError as exc:
        err.print(f"[bold red]error:[/] {exc}")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        err.print("interrupted")
        return EXIT_INTERRUPTED
    except Exception as exc:  # a malformed catalogue entry names itself
        from verifier.claim import ClaimError

        if isinstance(exc, ClaimError):
            err.print(f"[bold red]error in the catalogue:[/] {exc}")
            return EXIT_BAD_INPUT
        raise


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
