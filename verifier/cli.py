"""``derivcheck``: verify the catalogue, check claims, list and show them.

Exit codes: 0 every verdict as expected; 1 some verdict is not; 2 bad input or usage;
130 interrupted (the partial report is still printed and written).
Heavy modules (SymPy, rich) load inside the commands, so ``--help`` answers at once.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
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
    p.add_argument("--json", dest="format", action="store_const", const="json",
                   help="the same as --format json")
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


def _view_options(p: argparse.ArgumentParser, default: str) -> None:
    what = ("the formulas that are wrong or conditional, per note"
            if default == "problems" else "every claim in full")
    p.add_argument("--all", action="store_true",
                   help=f"a table of every verdict (default: {what})")
    p.add_argument("--show", metavar="VERDICTS", type=_verdict_list,
                   help="a table of the claims with these verdicts, comma-separated, e.g. "
                        "refuted,conditional (verdicts: " + ", ".join(_verdicts()) + ")")


def _verdicts() -> tuple[str, ...]:
    from verifier.verdict import VERDICTS

    return VERDICTS


def _verdict_list(text: str) -> frozenset[str]:
    wanted = {w.strip() for w in text.split(",") if w.strip()}
    unknown = sorted(wanted - set(_verdicts()))
    if unknown or not wanted:
        raise argparse.ArgumentTypeError(
            f"unknown verdict {', '.join(unknown) or repr(text)}; verdicts: "
            + ", ".join(_verdicts()))
    return frozenset(wanted)


def language_help() -> str:
    """The claim language's functions (from ``verifier.language.FUNCTIONS``) and assumption
    phrases (from the vocabulary of ``verifier.claim``), for ``claim --help``."""
    from verifier.claim import ASSUMPTION_PHRASES, SYMBOL_KINDS
    from verifier.language import FUNCTIONS
    from verifier.language.functions import ALIASES
    from verifier.language.parser import ACCEPTED_OPERATORS, CONSTANTS

    by_meaning: dict[str, list[str]] = {}
    for f in FUNCTIONS.values():
        call, _, meaning = f.signature.partition(": ")
        by_meaning.setdefault(meaning, []).append(call)
    functions = [", ".join(calls) + (f": {meaning}" if meaning else "")
                 for meaning, calls in by_meaning.items()]
    by_note: dict[str, list[str]] = {}
    for phrase, note in ASSUMPTION_PHRASES:
        by_note.setdefault(note, []).append(phrase)
    assumptions = [", ".join(phrases) for phrases in by_note.values()]
    meanings = [f"{phrases[-1]}: {note}" for note, phrases in by_note.items()
                if len(phrases) == 1]
    kinds = {"vector": "vector(n)", "matrix": "matrix(n, m)", "index": "index(n)"}
    lines = [
        "symbols (--symbols): name: kind, comma-separated; kinds:",
        "  " + ", ".join(kinds.get(k, k) for k in SYMBOL_KINDS)
        + " (equal dimension names, equal sizes; index(n): an integer 0..n-1, a free one "
        "means every value, sum(e, i) binds it)",
        "",
        "functions of the claim language:",
        *(f"  {line}" for line in functions),
        "  also read as the forms above: " + "; ".join(ALIASES.values()),
        f"  operators: {ACCEPTED_OPERATORS}; * / are element-wise (or by a scalar), @ the "
        "matrix product, a comparison is 1 where it holds and 0 elsewhere",
        "  indexing (0-based): x[i] an entry of a vector, W[i, j] of a matrix, W[i, :] a row "
        "(1×m), W[:, j] a column (n×1); i an integer or a declared index",
        "  constants: " + ", ".join(CONSTANTS) + "; numbers such as 2, 0.5, 1/2",
        "",
        "assumptions (--assume, repeatable), X, s, A, B, p, y, Y, t your symbols:",
        *(f"  {line}" for line in assumptions),
        "",
        "  where " + "\n        ".join(meanings),
        "",
        "expect (--expect): what you expect; the exit code is 1 when the verdict is not it",
        '  holds (default) | fails (met by refuted, and by conditional: false as stated)',
        '  | "holds if <assumption>" | "holds if numerator layout"',
        "",
        "example:",
        '  derivcheck claim "grad(x.T @ A @ x, x)" "2 * A @ x" '
        '--symbols "x: vector(n), A: matrix(n, n)"',
    ]
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    from verifier.claim import CONVENTIONS, LAYOUTS

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
    _view_options(v, "problems")
    _run_options(v)

    c = sub.add_parser(
        "check", help="check claims by id, or every claim in .toml claim files",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=claim_file_help(),
    )
    c.add_argument("targets", nargs="+", metavar="ID|FILE.toml")
    _view_options(c, "panels")
    _run_options(c)

    cl = sub.add_parser(
        "claim", help="check one formula given on the command line",
        description="Check LHS = RHS, two expressions in the claim language.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=language_help(),
    )
    cl.add_argument("lhs", help="left side, e.g. 'grad(x.T @ A @ x, x)'")
    cl.add_argument("rhs", nargs="?", default=None,
                    help="right side, e.g. '2 * A @ x' (or give one argument 'LHS = RHS')")
    cl.add_argument("--symbols", required=True, help='e.g. "x: vector(n), A: matrix(n, n)"')
    cl.add_argument("--assume", action="append", default=[], metavar="TEXT",
                    help='an assumption, e.g. "A symmetric" (repeatable; phrases below)')
    cl.add_argument("--layout", choices=LAYOUTS, default="denominator")
    cl.add_argument("--convention", choices=CONVENTIONS, default="",
                    help="a derivative by a symbol confined to a set (X symmetric, p sums to 1) "
                    "takes its entries as independent, evaluated on the set; unstated, a verdict "
                    "that depends on the convention is undecided")
    cl.add_argument("--expect", default=None,
                    help='holds | fails | "holds if A symmetric" (default: holds)')
    cl.add_argument("--sizes", action="append", metavar="n=2,m=3",
                    help="sizes at which to decide the claim element-wise, as a claim file's "
                         "sizes (repeatable: one set of sizes each)")
    _run_options(cl)

    from verifier.report.derive import add_parser as add_derive_parser

    add_derive_parser(sub)

    ls = sub.add_parser("list", help="list the catalogue: ids, titles, sources")
    ls.add_argument("--topic", action="append", metavar="T")
    ls.add_argument("--source", action="append", metavar="NOTE")

    sh = sub.add_parser("show", help="show one claim: symbols, assumptions, both sides")
    sh.add_argument("id")
    sh.add_argument("--full", action="store_true",
                    help="print sides written element-wise even when they fill screens")

    st = sub.add_parser("selftest", help="soundness harness: adversarial claims with known "
                        "truth and mutants of proved claims, every verdict judged independently")
    st.add_argument("--cases", type=int, default=840, metavar="N",
                    help="generated adversarial cases, split over the generators (default: 840)")
    st.add_argument("--mutants", type=int, default=200, metavar="N",
                    help="mutants of proved catalogue claims (default: 200)")
    st.add_argument("--only", action="append", metavar="GENERATOR",
                    help="run only this generator (repeatable): structures, domains, "
                         "undefined, magnitudes, sizes, nonidentities, derivations, mutants")
    st.add_argument("--seed", type=int, default=0, metavar="S",
                    help="seed of the generated cases, the mutants and the engine (default: 0)")
    st.add_argument("--jobs", "-j", type=int, default=0, metavar="J",
                    help="worker processes (default: one per core)")
    st.add_argument("--timeout", type=float, default=20.0, metavar="T",
                    help="seconds per case (default: 20)")
    st.add_argument("--save", metavar="FILE",
                    help="write the unsound generated cases to FILE as a claim file")
    st.add_argument("--topic", action="append", metavar="T",
                    help="mutate only this topic's claims (repeatable)")
    st.add_argument("--conditions", action="store_true",
                    help="search for a condition when a mutant is refuted (slower); each "
                         "condition found is then checked independently")
    st.add_argument("--no-cache", action="store_true",
                    help="decide the original claims afresh (mutants are never cached)")
    st.add_argument("--cache-dir", metavar="DIR", help="cache of the original claims' verdicts")
    return parser


def claim_file_help() -> str:
    """The claim-file format, for ``check --help`` (the README has the same)."""
    from verifier.claimfile import MAX_SIZE

    return f"""\
a claim file (FILE.toml) holds [[claim]] and [[derivation]] tables:

  [[claim]]
  id = "quadratic-form"
  symbols = {{ x = "vector(n)", A = "matrix(n, n)" }}
  lhs = "grad(x.T @ A @ x, x)"
  rhs = "2 * A @ x"
  assume = ["A symmetric"]          # optional
  expect = "holds"                  # optional: holds | fails | "holds if ..."
  layout = "denominator"            # optional: or "numerator"
  kind = "identity"                 # optional: or "non-identity" (false in general)
  sizes = [{{ n = 2 }}, {{ n = 3 }}]    # optional: see below
  title = "..."                     # optional, and source = "..."

  [[derivation]]
  id = "square-of-difference"
  symbols = {{ a = "vector(n)", b = "vector(n)" }}
  steps = ["(a - b).T @ (a - b)", "a.T @ a - 2 * a.T @ b + b.T @ b"]
  step_expect = {{ 1 = "holds" }}     # optional: step k (expression k to k + 1)

sizes: the concrete sizes at which the claim is proved element-wise, checked numerically
and searched for counterexamples (a proof in general dimension does not use them). Each
table gives dimensions by name a size from 1 to {MAX_SIZE}. Without it the engine picks two
assignments, distinct sizes for distinct dimensions (e.g. n = 2, m = 3 and n = 3, m = 2).
Give sizes when a claim needs particular sizes (a 3-wide kernel) or the defaults expand too
far. Functions and assumption phrases: derivcheck claim --help.
"""


# ----- selecting entries -----


def _select(topics: list[str] | None, sources: list[str] | None) -> list:
    from verifier.catalogues import default

    cat = default()
    NOTES, TOPICS = cat.NOTES, cat.TOPICS  # noqa: N806 - the catalogue's constants
    entries = list(cat.catalogue())
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
    from verifier.catalogues import default

    get = default().get

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


def _execute(entries: list, args, err_console, input_errors: Sequence[str] = (),
             command: str = "") -> int:
    """Decide ``entries``, report, and return the exit code; ``command`` is what reproduces a
    claim that ``derivcheck check ID`` cannot find (a one-liner)."""
    from dataclasses import replace

    from verifier import __version__
    from verifier.cache import Cache
    from verifier.engine import Options
    from verifier.report import Run
    from verifier.report.audit import link_corrections
    from verifier.report.display import present
    from verifier.runner import Interrupted, run

    jobs = args.jobs or os.cpu_count() or 1
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.timeout <= 0:
        raise UsageError("--timeout must be positive")
    mem = int(args.memory_limit * (1 << 30)) if args.memory_limit else _default_memory_limit(jobs)
    opts = Options(seed=args.seed, timeout=args.timeout, jobs=jobs, memory_limit=mem,
                   conditions=not args.no_conditions)
    cache = None if args.no_cache else Cache(args.cache_dir)
    typeset = args.format != "console"  # LaTeX and MathML only where a report shows them
    start = time.perf_counter()
    interrupted = False
    with _progress(err_console, len(entries), args.quiet) as advance:
        try:
            results = run(entries, opts, on_result=advance, cache=cache,
                          present=lambda e, r: present(e, r, cache, typeset))
        except Interrupted as exc:
            results = [r for r in exc.results if r is not None]
            interrupted = True
    results = link_corrections(results, entries)
    if command:
        results = [replace(r, command=f"{command} --seed {r.seed}") for r in results]
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


def _view(args) -> tuple[str, frozenset[str] | None]:
    """The console view asked for: a table with --all / --show, else the command's own."""
    if getattr(args, "show", None):
        return "table", args.show
    if getattr(args, "all", False):
        return "table", None
    return ("problems" if args.command == "verify" else "panels"), None


def _emit(report, args, err_console) -> None:
    from rich.text import Text

    from verifier.report import render
    from verifier.report.console import closing_lines, make_console, render_console

    if args.output:
        text = render(report, args.format)
        _write_atomic(args.output, text)
        out = make_console()
        out.print(closing_lines(report))
        out.print(Text(f"report written to {args.output}"))
    elif args.format == "console":
        view, show = _view(args)
        render_console(report, make_console(), view=view, show=show)
    else:
        sys.stdout.write(render(report, args.format))
        err_console.print(closing_lines(report))


def _write_atomic(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file renamed over it, with the mode a
    new file gets (0666 less the umask, e.g. 0644), or the mode of the file it replaces."""
    import stat
    import tempfile

    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise UsageError(f"--output {path}: directory {directory} does not exist")
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".derivcheck-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, mode)  # mkstemp creates 0600: readable by its owner alone
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# ----- commands -----


def cmd_verify(args, err) -> int:
    entries = _select(args.topic, args.source)
    if not entries:
        raise UsageError("no claims match the given --topic / --source")
    return _execute(entries, args, err)


def _error(console, message: str, prefix: str = "error:") -> None:
    """An error line; the message is printed as written (no rich markup)."""
    from rich.text import Text

    line = Text(prefix, style="bold red")
    line.append(" " + message)
    console.print(line)


def cmd_check(args, err) -> int:
    entries, errors = _targets(args.targets)
    for e in errors:
        _error(err, e)
    if not entries:
        return EXIT_BAD_INPUT
    return _execute(entries, args, err, errors)


def claim_command(args) -> str:
    """The ``derivcheck claim ...`` command line that decides this one-liner again (the seed
    is added per result)."""
    import shlex

    sides = [args.lhs, args.rhs] if args.rhs else [args.lhs]  # a chain: its one argument
    parts = ["derivcheck", "claim", *sides, "--symbols", args.symbols]
    for a in args.assume:
        parts += ["--assume", a]
    if args.layout != "denominator":
        parts += ["--layout", args.layout]
    if args.expect is not None:
        parts += ["--expect", args.expect]
    if args.convention:
        parts += ["--convention", args.convention]
    for sizes in args.sizes or ():
        parts += ["--sizes", sizes]
    if args.no_conditions:
        parts.append("--no-conditions")
    return shlex.join(parts)


def _split_sides(args) -> list[str] | None:
    """``derivcheck claim "LHS = RHS"``: one argument is read as verify() reads one string
    (claimfile.equation_sides): its '=' outside brackets, or one '==' (a comparison alone is
    no claim: people type it for the claim's equality), np.allclose(A, B), assert A == B;
    a chain "A = B = C" is returned as the steps of a derivation; an inequality typed alone
    is claimed as its indicator. Anything else lacks its right side."""
    if args.rhs is not None:
        return None
    from verifier.claimfile import equation_sides, is_inequality

    text = args.lhs
    sides = equation_sides(text)
    if sides is not None and len(sides) > 2:
        return list(sides)
    if sides is not None:
        args.lhs, args.rhs = sides
    elif is_inequality(text):  # 'x.T @ A @ x >= 0': claimed as its indicator
        args.lhs, args.rhs = f"({text.strip()})", "1"
    else:
        raise UsageError("claim takes two expressions: derivcheck claim LHS RHS --symbols ... "
                         "(or one argument 'LHS = RHS'); the right side is missing")
    return None


def cmd_claim(args, err) -> int:
    try:
        from verifier.api import as_entry
        from verifier.claimfile import sizes_from_text
    except ImportError as exc:
        raise UsageError("one-line claims are not supported by this build") from exc
    from verifier.claim import ClaimError

    try:  # the split reads the relation too: 's \approx t' is a usage error, not a catalogue's
        chain = _split_sides(args)
        entry = as_entry(chain or args.lhs, None if chain else args.rhs, symbols=args.symbols,
                         assume=list(args.assume), layout=args.layout, expect=args.expect,
                         convention=args.convention, sizes=sizes_from_text(args.sizes))
    except ClaimError as exc:
        raise UsageError(str(exc)) from exc
    return _execute([entry], args, err, command=claim_command(args))


def cmd_list(args, err) -> int:
    from rich.table import Table
    from rich.text import Text

    from verifier.report.console import make_console
    from verifier.report.notes import note_label

    entries = _select(args.topic, args.source)
    t = Table(expand=True)
    t.add_column("id", overflow="fold", ratio=2)
    t.add_column("title", overflow="fold", ratio=3)
    t.add_column("source", overflow="fold", ratio=2)
    t.add_column("expect", overflow="fold", ratio=1)
    for e in entries:  # Text: a title such as "Σᵢ [yᵢ log hᵢ + …]" is not markup
        t.add_row(Text(e.id), Text(e.title), Text(e.source), Text(str(e.expect)))
    out = make_console()
    out.print(t)
    notes = sorted({e.note for e in entries if e.note})
    out.print(Text(f"{len(entries)} entries"
                   + (" from " + "; ".join(note_label(n) for n in notes) if notes else "")))
    return EXIT_OK


MAX_SHOWN_LINES = 12  # an element-wise side longer than this is described, not printed


def cmd_show(args, err) -> int:
    from rich.text import Text

    from verifier.catalogues import default
    from verifier.report.console import make_console
    from verifier.report.notes import note_title

    try:
        entry = default().get(args.id)
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from exc
    out = make_console()
    t = Text()
    t.append(f"{entry.id}\n", style="heading")
    t.append(f"{entry.title}\nsource: {entry.source}\n")
    if entry.note and note_title(entry.note):
        t.append(f"note: {note_title(entry.note)}\n")
    t.append(f"kind: {entry.kind}\n")
    t.append("symbols: " + ", ".join(repr(d) for d in entry.symbols) + "\n")
    if entry.assumptions:
        t.append("assume: " + ", ".join(str(a) for a in entry.assumptions) + "\n")
    t.append(f"expect: {entry.expect}\n")
    if getattr(entry, "corrected", None):
        t.append(f"correct form: {entry.corrected} ({default().get(entry.corrected).title})\n")
    if getattr(entry, "implementation", None):
        t.append(f"implementation: {entry.implementation}\n")
    if entry.xfail:
        t.append(f"known limitation: {entry.xfail}\n")
    out.print(t)
    claims = entry.step_claims() if hasattr(entry, "step_claims") else (entry,)
    for k, c in enumerate(claims, start=1):
        if hasattr(entry, "step_claims"):
            out.print(Text(f"step {k}:", style="heading"))
        for label in ("lhs", "rhs"):
            out.print(_side_block(c, label, out.width, args.full))
    return EXIT_OK


def _side_block(c, label: str, width: int, full: bool):
    """A side under its label; one written element-wise at fixed sizes and too large for a
    screen is described instead (the title states it; ``--full`` prints it)."""
    from rich.text import Text

    text, sizes = _pretty_side(c, label, width)
    lines = text.splitlines() or [""]
    head = Text(f"{label}:", style="heading")
    if sizes is not None:
        where = ", ".join(f"{k}={n}" for k, n in sizes.items())
        head.append(f" element-wise{' at ' + where if where else ''}", style="muted")
        too_big = len(lines) > MAX_SHOWN_LINES or max(len(x) for x in lines) > width
        if too_big and not full:
            head.append(f"\n({len(lines)} lines of up to {max(len(x) for x in lines)} "
                        "columns, not shown: the title states the formula; --full prints "
                        "it)", style="muted")
            return head
    head.append("\n" + text)
    return head


def _pretty_side(c, label: str, width: int = 80) -> tuple[str, dict[str, int] | None]:
    """One side in Unicode, and the sizes it was built at: the general form where it exists
    (sizes ``None``), else the form at the first fixed sizes."""
    try:
        import sympy as sp

        from verifier.instantiate import default_sizes, explicit, general
        from verifier.report.display import as_written as _as_written
        from verifier.report.display import display
    except ImportError:  # the engine is elsewhere in this build: the title says it
        return c.title, None

    def scalar(e):  # a 1×1 product reads as itself, not as its trace
        return e.replace(lambda x: isinstance(x, sp.Trace) and x.arg.shape == (1, 1),
                         lambda x: x.arg)

    def pretty(e) -> str:
        return sp.pretty(scalar(sp.sympify(e)), use_unicode=True, num_columns=width)

    sizes = default_sizes(c)[0]
    for make, at in ((lambda: general(c), None), (lambda: explicit(c, sizes), sizes)):
        try:
            with _as_written():
                env = make().env
                if label == "lhs" and c.kind == "gradient":
                    layout = "" if c.layout == "denominator" else " (numerator layout)"
                    return f"∂/∂{c.wrt}{layout} of\n{pretty(c.f(env))}", at
                side = c.lhs if label == "lhs" else c.rhs
                return pretty(side(env)), at
        except Exception:  # noqa: BLE001 - fall back to the plain text
            continue
    try:
        return getattr(display(c), label), None
    except Exception:  # noqa: BLE001
        return c.title, None


def cmd_selftest(args, err) -> int:
    from verifier.cache import Cache
    from verifier.selftest import Settings
    from verifier.selftest import main as selftest_main

    jobs = args.jobs or os.cpu_count() or 1
    try:
        settings = Settings(
            seed=args.seed, cases=args.cases, mutants=args.mutants, only=tuple(args.only or ()),
            jobs=jobs, timeout=args.timeout, conditions=args.conditions,
            memory_limit=_default_memory_limit(max(jobs, 1)), save=args.save)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    entries = _select(args.topic, None) if settings.wants_mutants else []
    cache = None if args.no_cache else Cache(args.cache_dir)
    return selftest_main(settings, entries, cache)


def cmd_derive(args, err) -> int:
    from verifier.report.derive import command

    return command(args, err, UsageError)


COMMANDS = {
    "verify": cmd_verify,
    "check": cmd_check,
    "claim": cmd_claim,
    "derive": cmd_derive,
    "list": cmd_list,
    "show": cmd_show,
    "selftest": cmd_selftest,
}


_EXPRESSION_MARKS = re.compile(r"[()\[\]@*/+.\s]")


def expressions_as_positionals(argv: Sequence[str], short: frozenset[str]) -> list[str]:
    """A leading space before each argument that starts with '-' but is an expression
    ("-log(softmax(z)[c])", "-x.T @ y"), which argparse would take for an option; the claim
    language ignores the space. An option never holds brackets, operators or spaces, and a
    short option with its value attached ("-o/tmp/r.json") is left alone."""
    out: list[str] = []
    for k, arg in enumerate(argv):
        if arg == "--":
            return out + list(argv[k:])
        attached = arg[:2] in short and not any(c.isspace() for c in arg)  # -o/tmp/r.json
        needs = arg.startswith("-") and not arg.startswith("--") and not attached \
            and _EXPRESSION_MARKS.search(arg) is not None
        out.append(f" {arg}" if needs else arg)
    return out


def _short_options(parser: argparse.ArgumentParser) -> frozenset[str]:
    found: set[str] = set()
    for p in [parser, *(a for action in parser._actions
                        if isinstance(action, argparse._SubParsersAction)
                        for a in action.choices.values())]:
        found |= {s for s in p._option_string_actions if len(s) == 2 and s[1] != "-"}
    return frozenset(found)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(expressions_as_positionals(
        sys.argv[1:] if argv is None else argv, _short_options(parser)))
    for name in ("lhs", "rhs", "expr"):  # the space expressions_as_positionals put there
        if isinstance(getattr(args, name, None), str):
            setattr(args, name, getattr(args, name).strip())
    if args.version:
        from verifier import __version__

        print(f"derivcheck {__version__}")
        return EXIT_OK
    if not args.command:
        parser.print_help()
        return EXIT_BAD_INPUT
    from rich.console import Console

    err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)
    try:
        return COMMANDS[args.command](args, err)
    except UsageError as exc:
        _error(err, str(exc))
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        err.print("interrupted")
        return EXIT_INTERRUPTED
    except Exception as exc:  # a malformed catalogue entry names itself
        from verifier.claim import ClaimError

        if isinstance(exc, ClaimError):
            _error(err, str(exc), "error in the catalogue:")
            return EXIT_BAD_INPUT
        raise


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
