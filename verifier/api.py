"""The Python API: ``verify`` a claim given as objects, as strings in the claim language, or as
SymPy-building callables.

    >>> from verifier import verify
    >>> verify("grad(x.T @ A @ x, x)", "2 * A @ x",
    ...        symbols="x: vector(n), A: matrix(n, n)").verdict.condition
    'A symmetric'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from verifier.claim import (
    Claim,
    ClaimError,
    Derivation,
    Entry,
    make_claim,
    make_derivation,
    parse_assumption,
)
from verifier.claimfile import (
    checked_convention,
    checked_sizes,
    declare_symbols,
    einstein_steps,
    equation_sides,
    is_inequality,
    one_liner,
    plain_expectation,
)
from verifier.language import (
    ClaimInputError,
    CompiledExpr,
    compile_expression,
    one_dimensional_steps,
    scope_of,
    zeros_as_shapes,
)
from verifier.language.latex import aligned_step
from verifier.language.phrases import declared_fact, plain_assumption, vector_phrase
from verifier.language.semidefinite import factor_semidefinite
from verifier.verdict import Result

__all__ = ["Claim", "ClaimInputError", "Derivation", "as_entry", "verify"]

Side = str | Callable[[Any], Any]
# a claim file's sizes: [{"n": 2}, {"n": 3}] (one table alone is read as a list of one)
Sizes = Sequence[Mapping[str, int]] | Mapping[str, int] | None


def verify(
    lhs: Entry | Side | Sequence[Side],
    rhs: Side | None = None,
    *,
    symbols: str | Mapping[str, str] | None = None,
    assume: Sequence[str] | str = (),
    layout: str = "denominator",
    kind: str = "identity",
    expect: str | None = None,
    sizes: Sizes = None,
    convention: str = "",
    seed: int = 0,
    timeout: float = 60.0,
    isolate: bool = False,
    id: str = "claim",
) -> Result:
    """Decide ``lhs = rhs`` and return the engine's ``Result`` (``.verdict``, ``.as_expected``).

    ``lhs`` is a ``Claim`` or ``Derivation`` (then nothing else is needed), a string in the
    claim language, a callable ``s -> SymPy`` (``s.x`` is symbol x), or a list of either
    (a derivation, ``rhs`` left out).  ``symbols`` reads ``"x: vector(n), A: matrix(n, n)"``
    or ``{"x": "vector(n)"}``; ``sizes`` and ``convention`` are a claim file's keys
    (``sizes=[{"n": 2}]``, ``convention="entry-wise"``).  The claim is decided in this
    process; ``isolate=True`` runs it in a worker process that is ended after ``timeout``
    seconds.
    """
    if isinstance(assume, str):  # one assumption, not its characters
        assume = [assume]
    entry = as_entry(
        lhs, rhs, symbols=symbols, assume=assume, layout=layout, kind=kind, expect=expect,
        sizes=sizes, convention=convention, id=id,
    )
    import verifier.report.console  # noqa: F401 - rich.print(result) shows its panel
    from verifier.engine import Options, decide
    from verifier.report.display import present
    from verifier.runner import run

    opts = Options(seed=seed, timeout=timeout, jobs=1)
    result = run([entry], opts)[0] if isolate else decide(entry, opts)
    result = present(entry, result)
    if getattr(entry, "corrected", None):  # a catalogue entry: name its correct form
        from verifier.report.audit import link_corrections

        result = link_corrections([result], [entry])[0]
    call = _call(lhs, rhs, symbols, assume, layout, kind, expect, seed, sizes, convention)
    if call:  # a claim from strings: the call that decides it again
        from dataclasses import replace

        result = replace(result, command=call)
    return result


def _call(lhs, rhs, symbols, assume, layout, kind, expect, seed, sizes=None,
          convention="") -> str:
    """``verify('…', '…', symbols='…', seed=0)`` for a claim given as strings, else ""."""
    derivation = isinstance(lhs, list | tuple)
    sides = list(lhs) if derivation else [lhs, rhs]
    if not all(isinstance(x, str) for x in sides):
        return ""
    args = [repr(sides)] if derivation else [repr(lhs), repr(rhs)]
    if symbols is not None:
        args.append(f"symbols={_symbol_text(symbols)!r}")
    for name, value, default in (("assume", list(assume), []), ("layout", layout, "denominator"),
                                 ("kind", kind, "identity"), ("expect", expect, None),
                                 ("sizes", sizes, None), ("convention", convention, "")):
        if value != default:
            args.append(f"{name}={value!r}")
    args.append(f"seed={seed}")
    return f"verifier.verify({', '.join(args)})"


def as_entry(
    lhs: Entry | Side | Sequence[Side],
    rhs: Side | None = None,
    *,
    symbols: str | Mapping[str, str] | None = None,
    assume: Sequence[str] = (),
    layout: str = "denominator",
    kind: str = "identity",
    expect: str | None = None,
    sizes: Sizes = None,
    convention: str = "",
    id: str = "claim",
) -> Entry:
    """The ``Claim`` or ``Derivation`` that ``verify`` decides (raises ``ClaimInputError``)."""
    if isinstance(lhs, Claim | Derivation):
        if rhs is not None:
            raise ClaimInputError("pass either a Claim/Derivation or two sides, not both")
        return lhs
    spec = _symbol_text(symbols)
    if isinstance(assume, str):  # assume="A symmetric": one assumption, not its characters
        assume = [assume]
    # "x > 0", "A symmetric positive definite": the vocabulary's phrases (strings are read so
    # by the claim-file loader too)
    # ... and one that restates a declaration ("t positive" of t: integer) is dropped, as there
    written = declare_symbols(spec, id) if assume or expect is not None else ()
    if assume and written:  # "A positive semidefinite": A = F Fᵀ, as a claim file reads it
        spec, assume, lhs, rhs = _semidefinite(written, list(assume), lhs, rhs, expect,
                                               layout, id, spec)
        written = declare_symbols(spec, id)
    # one_liner reads them as a claim file does: once, not twice
    as_written, expect_written = list(assume), expect
    names = frozenset(d.name for d in written)
    assume = [vector_phrase(a, written, id) or plain_assumption(a, id, names) for a in assume
              if not declared_fact(a, written, id)]
    expect = plain_expectation(expect, id, written) if expect is not None else None
    convention = checked_convention(convention, id)
    if sizes is not None:  # a tuple of dicts or a Mapping, as the file's list of tables
        sizes = dict(sizes) if isinstance(sizes, Mapping) else [dict(t) for t in sizes]
    if isinstance(lhs, list | tuple):
        if rhs is not None:
            raise ClaimInputError("a derivation is a list of steps; leave rhs out")
        return _derivation(list(lhs), spec, assume, layout, expect, id, sizes)
    if rhs is None and isinstance(lhs, str):  # verify("x.T @ x = norm(x) ** 2"), as the CLI
        sides = equation_sides(lhs)
        if sides is not None and len(sides) > 2:  # "a = b = c": a derivation, step by step
            return _derivation(list(sides), spec, assume, layout, expect, id, sizes)
        if sides is not None and len(sides) == 2:
            lhs, rhs = sides
        elif is_inequality(lhs):  # verify("x.T @ A @ x >= 0"): claimed as its indicator
            lhs, rhs = f"({lhs.strip()})", "1"
    if rhs is None:
        raise ClaimInputError("verify needs both sides: verify(lhs, rhs, symbols=...) (or one "
                              'string "lhs = rhs")')
    if isinstance(lhs, str) and isinstance(rhs, str) and kind == "identity":
        # the phrases as written: read twice, "x nonzero" (a vector: not the zero vector)
        # would become the vocabulary's "x nonzero" (every entry) and then norm(x) again
        return one_liner(lhs, rhs, spec, as_written, layout, expect_written, id, convention,
                         sizes)
    decls = declare_symbols(spec, id)
    return make_claim(
        id,
        title=f"{_label(lhs)} = {_label(rhs)}",
        source="python",
        symbols=decls,
        assume=list(assume),
        expect=expect or "holds",
        lhs=_side(lhs, decls, layout, "lhs", assume),
        rhs=_side(rhs, decls, layout, "rhs", assume),
        kind=kind,
        layout=layout,
        convention=convention,
        sizes=_sizes(sizes, decls, id),
    )


def _semidefinite(written, assume: list[str], lhs, rhs, expect, layout: str, id: str,
                  spec: str):
    """(spec, assume, lhs, rhs) with each positive semidefinite A read as A_factor @
    A_factor.T (language/semidefinite.py); unchanged where no assumption says so or a side is
    not a string."""
    texts = {"lhs": list(lhs) if isinstance(lhs, list | tuple) else lhs, "rhs": rhs}
    texts = {k: v for k, v in texts.items() if isinstance(v, str) or (
        isinstance(v, list) and all(isinstance(t, str) for t in v))}
    if not isinstance(lhs, str | list | tuple) or "lhs" not in texts:
        return spec, assume, lhs, rhs
    done = factor_semidefinite(written, assume, texts,
                               [expect] if isinstance(expect, str) else [],
                               lambda decls: scope_of(decls, layout), equation_sides, id)
    if done is None:
        return spec, assume, lhs, rhs
    decls, assume, texts = done
    return (", ".join(repr(d) for d in decls), assume, texts["lhs"], texts.get("rhs", rhs))


def _symbol_text(symbols: str | Mapping[str, str] | None) -> str:
    if symbols is None:
        return ""
    if isinstance(symbols, str):
        return symbols
    return ", ".join(f"{k}: {v}" for k, v in symbols.items())


def _side(side: Side, decls, layout: str, field: str, assume: Sequence[str] = ()):
    if isinstance(side, str):
        try:
            return compile_expression(side, scope_of(decls, layout, _assumptions(assume, decls)))
        except ClaimInputError as err:
            raise err.located(field=field) from None
    if callable(side):
        return side
    raise ClaimInputError(f"{field} must be a string in the claim language or a callable")


def _assumptions(assume: Sequence[str], decls=()) -> list:
    """The assumptions that parse (a bad one is reported when the claim is made)."""
    out, names = [], frozenset(d.name for d in decls)
    for a in assume:
        try:
            out.append(parse_assumption(plain_assumption(a, None, names)))
        except ClaimError:
            pass
    return out


def _label(side: Side) -> str:
    return side if isinstance(side, str) else getattr(side, "__name__", "builder")


def _derivation(steps: list[Side], spec: str, assume, layout: str, expect, id: str,
                sizes: Sizes = None) -> Derivation:
    decls = declare_symbols(spec, id)
    built = [_side(aligned_step(s), decls, layout, f"step {k}", assume)  # "&= b \\": b
             for k, s in enumerate(steps, start=1)]
    built = one_dimensional_steps(zeros_as_shapes(built)) \
        if all(isinstance(s, CompiledExpr) for s in built) else built  # NumPy's 1-D rows
    if all(isinstance(s, CompiledExpr) for s in built):
        einstein_steps(built)  # A_{ij} x_j = (A x)_i as a step: refused as in a claim
    return make_derivation(
        id,
        title=" = ".join(_label(s) for s in steps[:3]),
        source="python",
        symbols=decls,
        steps=built,
        assume=list(assume),
        expect=expect or "holds",
        sizes=_sizes(sizes, decls, id),
    )


def _sizes(sizes: Sizes, decls, id: str) -> list[dict[str, int]] | None:
    """The sizes checked as a claim file's, in make_claim's spelling (a list of dicts)."""
    if sizes is None:
        return None
    return [dict(t) for t in checked_sizes(sizes, decls, id)]
