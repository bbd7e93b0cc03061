"""``derivcheck derive``: the command, and its report as text, LaTeX or JSON.

The derivative comes from ``verifier.derive`` and is shown with the engine's verdict on the
claim that states it (``grad(EXPR, X) = RESULT``): "proved" only when the engine proved it,
otherwise the evidence it has (proved at fixed sizes, checked numerically) or why not.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from typing import Any

__all__ = ["add_parser", "command", "derive_json", "derive_latex", "derive_text", "evidence"]

EPILOG = """\
EXPR is written in the claim language (derivcheck claim --help lists its functions and the
assumption phrases). The result is proved before it is printed: derive states it as the claim
grad(EXPR, X) = RESULT (jacobian(...) or hessian(...) with --jacobian / --hessian) and decides
it with the engine. "proved" means the engine proved it in general dimension; otherwise the
report says what the evidence is (proved at fixed sizes only, checked numerically only) or
that there is none. Where a result holds only where something is invertible or positive, the
report says so.

layouts: --layout denominator (the default) gives the gradient X's shape (∂f/∂X_ij at [i, j])
and the Jacobian of y (m) by x (n) as n×m; numerator gives their transposes (the Jacobian
m×n, J[i, j] = ∂y_i/∂x_j). The Hessian is n×n, H[i, j] = ∂²f/∂x_i∂x_j, in either.

forms: a closed matrix form (AᵀBᵀ, (A + Aᵀ)x, 2Xᵀ(Xθ − y), Xᵀ(σ(Xw) − y)) where the
rules reach; otherwise derive says which operation has no matrix-form rule.

--emit numpy writes a module with the function (f), its derivative (grad_f, jacobian_f or
hessian_f, --name changes f) and a pytest test comparing the derivative with central finite
differences of f at inputs that satisfy the assumptions: pytest FILE runs it.

exit codes: 0 the result holds (proved, proved at sizes or checked: the report says which),
1 it could not be shown to hold, 2 bad input.

examples:
  derivcheck derive "log(det(X))" --wrt X --symbols "X: matrix(n, n)"
  derivcheck derive "x.T @ A @ x" --wrt x --symbols "x: vector(n), A: matrix(n, n)"
  derivcheck derive "x.T @ A @ x" --wrt x --symbols "x: vector(n), A: matrix(n, n)" \\
      --assume "A symmetric" --hessian
  derivcheck derive "-y.T @ log_softmax(z)" --wrt z --symbols "z: vector(C), y: vector(C)" \\
      --assume "y sums to 1" --format latex
  derivcheck derive "norm(X @ w - y) ** 2 / 2" --wrt w \\
      --symbols "X: matrix(N, d), w: vector(d), y: vector(N)" --emit numpy --output lsq.py
"""


def add_parser(sub) -> argparse.ArgumentParser:
    """The ``derive`` subcommand (argparse only: ``--help`` answers without SymPy)."""
    d = sub.add_parser(
        "derive", help="the gradient (Jacobian, Hessian) of an expression, in closed matrix "
        "form, proved before it is printed",
        description="The derivative of EXPR by --wrt, in closed matrix form, proved equal to "
        "the element-wise derivative by the engine before it is printed.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG)
    d.add_argument("expr", metavar="EXPR", help="a scalar expression (a column for "
                   "--jacobian), e.g. 'trace(X.T @ A @ X)'")
    d.add_argument("--wrt", required=True, metavar="X",
                   help="the declared symbol to differentiate by")
    d.add_argument("--symbols", required=True, help='e.g. "X: matrix(n, m), A: matrix(n, n)"')
    d.add_argument("--layout", choices=("denominator", "numerator"), default="denominator",
                   help="denominator (default): the gradient has X's shape; numerator: its "
                        "transpose")
    kind = d.add_mutually_exclusive_group()
    kind.add_argument("--jacobian", action="store_true",
                      help="the Jacobian of a column EXPR by a column X")
    kind.add_argument("--hessian", action="store_true",
                      help="the Hessian of a scalar EXPR by a column X")
    d.add_argument("--assume", action="append", default=[], metavar="TEXT",
                   help='an assumption, e.g. "A symmetric", "y sums to 1" (repeatable)')
    d.add_argument("--format", choices=("text", "latex", "json"), default="text",
                   help="text (default): the result in Unicode, the claim language and "
                        "LaTeX, with the proof; latex: an equation; json: every field")
    d.add_argument("--emit", choices=("numpy",),
                   help="write a NumPy function of the result and a finite-difference test")
    d.add_argument("--output", "-o", metavar="FILE",
                   help="with --emit: write the module to FILE (default: standard output)")
    d.add_argument("--name", default="f", metavar="NAME",
                   help="with --emit: the function's name (default f; its derivative "
                        "grad_f, jacobian_f or hessian_f)")
    d.add_argument("--timeout", type=float, default=60.0, metavar="S",
                   help="seconds for the engine to decide the result (default: 60)")
    d.add_argument("--seed", type=int, default=0, metavar="N",
                   help="seed of the engine's random points (default: 0)")
    return d


# ----- what the verdict says about the result -----


def evidence(v) -> str:
    """The verdict on the derived formula, in words that never overstate it."""
    where = (f" where {' and '.join(v.unstated)} (not assumed)"
             if getattr(v, "unstated", ()) else "")
    if v.status == "proved":
        return f"proved in general dimension{where}"
    if v.status == "proved-at-sizes":
        sizes = "; ".join(", ".join(f"{k}={n}" for k, n in s.items()) for s in v.sizes or ())
        return (f"proved at fixed sizes only ({sizes or 'its sizes'}), not in general"
                f"{where}")
    if v.status == "checked":
        return f"checked numerically only, NOT proved{where}"
    if v.status == "refuted":
        return "REFUTED: the derived formula is wrong (a bug in derive; please report it)"
    return f"NOT shown to hold ({v.status})"


def _expr_forms(d) -> tuple[str, str]:
    """EXPR as written (no assumption applied), in Unicode and LaTeX."""
    from verifier.derive.printing import to_latex, to_unicode
    from verifier.derive.readable import means
    from verifier.derive.rules import from_tree

    try:
        f = means(from_tree(d.tree))
        return to_unicode(f), to_latex(f)
    except Exception:  # noqa: BLE001 - an expression derive reads in index form only
        return d.expression, d.expression


def _head(d) -> tuple[str, str]:
    """The derivative's name: ∂f/∂X, ∂y/∂xᵀ … (Unicode) and its LaTeX, the variable spelled
    as the result spells it (∂f/∂τ and \\partial \\tau, not ∂f/∂tau beside a τ)."""
    from verifier.derive.printing import glyph, latex_glyph

    x, lx = glyph(d.wrt), latex_glyph(d.wrt)
    if d.kind == "hessian":
        return f"∇²f (by {x})", f"\\nabla^{{2}}_{{{lx}}}"
    if d.kind == "jacobian":
        return (f"∂y/∂{x}" + ("" if d.layout == "numerator" else " (denominator layout)"),
                f"\\frac{{\\partial}}{{\\partial {lx}}}")
    if d.kind == "derivative":  # a matrix F by a scalar: dF/dt, F's shape
        return f"dF/d{x}", f"\\frac{{d}}{{d {lx}}}"
    if d.kind == "second derivative":
        return f"d²F/d{x}²", f"\\frac{{d^{{2}}}}{{d {lx}^{{2}}}}"
    if d.form == "index":  # one entry: ∂f/∂X[i, j]
        entry = d.entry
        return (f"∂f/∂{x}{entry}" + (" (numerator layout)" if d.layout == "numerator" else ""),
                f"\\frac{{\\partial}}{{\\partial {lx}{entry}}}")
    return (f"∂f/∂{x}" + (" (numerator layout)" if d.layout == "numerator" else ""),
            f"\\frac{{\\partial}}{{\\partial {lx}}}")


def derive_text(d, result, console) -> None:
    """The result in Unicode, the claim language and LaTeX; the proof; the times."""
    from rich.text import Text

    from verifier.report.console import S

    v = result.verdict
    f_text, _ = _expr_forms(d)
    name, _ = _head(d)
    fname = {"jacobian": "y", "derivative": "F", "second derivative": "F"}.get(d.kind, "f")
    t = Text()
    t.append(f"{fname} = {f_text}", style=S["heading"])
    t.append(f"    {d.symbols}", style=S["muted"])
    if d.assume:
        t.append(f"; {', '.join(d.assume)}", style=S["muted"])
    t.append("\n")
    t.append(f"{name} = ", style=S["heading"])
    t.append(d.unicode + "\n", style=S["heading"])
    t.append(f"  claim language  {d.text}\n")
    t.append(f"  LaTeX           {d.latex}\n")
    if d.form == "index":
        t.append(f"  index form: no closed matrix form ({d.note}); indices {d.indices}\n",
                 style=S["muted"])
    elif d.note:  # a closed form's note: EXPR does not depend on the variable
        t.append(f"  {d.note}\n", style=S["muted"])
    mark = {"proved": "✓", "proved-at-sizes": "✓", "checked": "≈"}.get(v.status, "✗")
    t.append(f"{mark} {evidence(v)}", style=S[f"verdict.{v.status}"])
    t.append(f" by {v.method} in {result.seconds:.2f} s\n", style=S["muted"])
    t.append(f"  {d.claim_text}\n", style=S["muted"])
    if v.detail:
        t.append(f"  {v.detail}\n", style=S["muted"])
    if v.counterexample is not None:
        from verifier.report.plain import counterexample_line

        t.append(f"  counterexample: {counterexample_line(v.counterexample)}\n")
    t.append(f"derived in {d.seconds:.2f} s", style=S["muted"])
    console.print(t)


def derive_latex(d, result) -> str:
    _, f_latex = _expr_forms(d)
    _, head = _head(d)
    v = result.verdict
    layout = "" if d.kind in ("hessian", "derivative", "second derivative") else \
        f", {d.layout} layout"
    return (f"% derivcheck derive: {evidence(v)} ({v.method}){layout}\n"
            f"{head} \\left({f_latex}\\right) = {d.latex}\n")


def derive_json(d, result, emitted: str | None = None) -> dict[str, Any]:
    from dataclasses import asdict

    v = result.verdict
    f_text, f_latex = _expr_forms(d)
    return {
        "expression": d.expression,
        "expression_unicode": f_text,
        "expression_latex": f_latex,
        "wrt": d.wrt,
        "symbols": d.symbols,
        "assume": list(d.assume),
        "kind": d.kind,
        "layout": d.layout,
        "form": d.form,
        "result": {"text": d.text, "unicode": d.unicode, "latex": d.latex},
        "entry": d.entry or None,
        "indices": d.indices or None,
        "note": d.note or None,  # why the form is what it is; EXPR not depending on X
        "claim": d.claim_text,
        "verdict": v.status,
        "evidence": evidence(v),
        "method": v.method,
        "detail": v.detail,
        "requires": [asdict(r) for r in v.requires],
        "counterexample": asdict(v.counterexample) if v.counterexample else None,
        "seconds": {"derive": round(d.seconds, 4), "prove": round(result.seconds, 4)},
        "emitted": emitted,
    }


# ----- the command -----


def _write(path: str, text: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise ValueError(f"--output {path}: directory {directory} does not exist")
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".derivcheck-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def command(args, err, usage_error: type[Exception]) -> int:
    """Run ``derivcheck derive``; bad input raises ``usage_error`` (exit 2)."""
    from rich.text import Text

    from verifier.derive import DeriveError, derivative_claim, derive
    from verifier.engine import Options
    from verifier.report.console import make_console
    from verifier.runner import run

    if args.output and not args.emit:
        raise usage_error("--output goes with --emit numpy (the report goes to standard "
                          "output)")
    if args.timeout <= 0:
        raise usage_error("--timeout must be positive")
    kind = "jacobian" if args.jacobian else "hessian" if args.hessian else "gradient"
    try:
        d = derive(args.expr, args.wrt, args.symbols, kind=kind, layout=args.layout,
                   assume=args.assume)
    except DeriveError as exc:
        raise usage_error(str(exc)) from None
    # in a worker process, as verify decides a claim: the time limit is kept by ending the
    # worker (a SymPy call, such as the determinant of a symbolic kron, can outlast any
    # deadline the engine sets itself), and the evidence reached by then is the result
    options = Options(seed=args.seed, timeout=args.timeout, jobs=1, conditions=False)
    result = run([derivative_claim(d)], options)[0]
    v = result.verdict
    code = 0 if v.holds else 1
    emitted = None
    if args.emit:
        from verifier.derive.emit import numpy_module

        try:
            module = numpy_module(d, f"{evidence(v)}, by {v.method}", name=args.name,
                                  seed=args.seed)
        except ValueError as exc:
            raise usage_error(f"--emit numpy: {exc}") from None
        if args.output:
            try:
                _write(args.output, module)
            except (OSError, ValueError) as exc:
                raise usage_error(str(exc)) from None
            emitted = args.output
        else:  # the module alone on standard output, the verdict on standard error
            sys.stdout.write(module)
            line = Text(f"{d.unicode}: {evidence(v)} ({v.method})")
            err.print(line)
            return code
    if args.format == "json":
        sys.stdout.write(json.dumps(derive_json(d, result, emitted), indent=2,
                                    ensure_ascii=False) + "\n")
    elif args.format == "latex":
        sys.stdout.write(derive_latex(d, result))
    else:
        out = make_console()
        derive_text(d, result, out)
        if emitted:
            out.print(Text(f"NumPy module and its test written to {emitted} "
                           f"(pytest {emitted})"))
    return code
