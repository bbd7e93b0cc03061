"""Claim files: users state formulas in TOML and the claim language, never in Python.

```toml
[[claim]]
id = "quadratic-form"
symbols = { x = "vector(n)", A = "matrix(n, n)" }
assume = ["A symmetric"]
lhs = "grad(x.T @ A @ x, x)"
rhs = "2 * A @ x"

[[derivation]]
id = "square-of-difference"
symbols = { a = "vector(n)", b = "vector(n)" }
steps = ["(a - b).T @ (a - b)", "a.T @ a - 2 * a.T @ b + b.T @ b"]
```

``load_claim_files`` returns the entries that load and one ``ClaimInputError`` per bad
entry (or bad file), each naming the file, the entry, the line and column.  A claim whose
lhs is ``grad(f, X)`` becomes a gradient claim, so the engine can also try the other layout.
"""

from __future__ import annotations

import json
import keyword
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from verifier.claim import (
    CONVENTIONS,
    KINDS,
    LAYOUTS,
    Assumption,
    Claim,
    ClaimError,
    Derivation,
    Entry,
    Expect,
    SymbolDecl,
    parse_assumption,
    parse_symbol,
    parse_symbols,
)
from verifier.language import (
    FUNCTIONS,
    ClaimInputError,
    CompiledExpr,
    compile_expression,
    one_dimensional_sides,
    one_dimensional_steps,
    scope_of,
    zero_as_shape,
    zeros_as_shapes,
)
from verifier.language.einstein import repeated_free_indices
from verifier.language.errors import did_you_mean
from verifier.language.evaluate import free_indices
from verifier.language.greek import ascii_name, greek_in_declarations
from verifier.language.latex import APPROXIMATE, DISTRIBUTED, PROPORTIONAL, aligned, aligned_step
from verifier.language.parser import CONSTANTS, Scope
from verifier.language.phrases import declared_fact, plain_assumption, vector_phrase
from verifier.language.printer import to_text
from verifier.language.semidefinite import factor_semidefinite
from verifier.language.sets import declarations_from_sets, kind_of_set
from verifier.language.tree import Call, Node, Symbol

__all__ = [
    "ClaimInputError",
    "declare_symbols",
    "load_claim_file",
    "load_claim_files",
    "one_liner",
    "plain_expectation",
]

LANGUAGE_VERSION = "1"  # part of every fingerprint: a change in meaning invalidates caches

ENTRY_KEYS = {
    "claim": ("id", "title", "source", "symbols", "assume", "lhs", "rhs", "layout", "expect",
              "kind", "sizes", "convention"),
    "derivation": ("id", "title", "source", "symbols", "assume", "steps", "layout", "expect",
                   "step_expect", "sizes"),
}
MAX_SIZE = 16  # explicit instantiations grow fast with size


# ----- where things are in the file -----

_HEADER = re.compile(r"^\s*\[\[\s*(claim|derivation)\s*\]\]")
_ANY_HEADER = re.compile(r"^\s*\[")


class _Locator:
    """Line and column of a key or string value in the TOML text (tomllib keeps none).

    Finds the n-th ``[[claim]]`` / ``[[derivation]]`` header, then ``key =`` inside that
    table, then the value's raw text after it.  A value written with escapes is not found
    verbatim; its errors then point at the key.
    """

    def __init__(self, text: str, path: str | None):
        self.text = text
        self.path = path
        self.lines = text.split("\n")
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.tables: dict[str, list[tuple[int, int]]] = {"claim": [], "derivation": []}
        headers = [i for i, line in enumerate(self.lines) if _ANY_HEADER.match(line)]
        for i in headers:
            m = _HEADER.match(self.lines[i])
            if m:
                end = next((j for j in headers if j > i), len(self.lines))
                self.tables[m.group(1)].append((i, end))

    def _table(self, kind: str, k: int) -> tuple[int, int] | None:
        tables = self.tables.get(kind, [])
        return tables[k] if k < len(tables) else None

    def header_line(self, kind: str, k: int) -> int | None:
        t = self._table(kind, k)
        return t[0] + 1 if t else None

    def key(self, kind: str, k: int, key: str) -> tuple[int, int] | None:
        """(0-based line, 0-based column of the value) of ``key = ...`` in the table."""
        t = self._table(kind, k)
        if t is None:
            return None
        k = re.escape(key)
        pat = re.compile(rf"^\s*(?:{k}|\"{k}\"|'{k}')\s*=\s*")
        for i in range(t[0] + 1, t[1]):
            m = pat.match(self.lines[i])
            if m:
                return i, m.end()
        return None

    def value(self, kind: str, k: int, key: str, value: str, after: int = 0) -> int | None:
        """Absolute offset of ``value``'s raw text after ``key``, or None."""
        at = self.key(kind, k, key)
        t = self._table(kind, k)
        if at is None or t is None or not value:
            return None
        start = max(self.starts[at[0]] + at[1], after)
        stop = self.starts[t[1]] if t[1] < len(self.starts) else len(self.text)
        idx = self.text.find(value, start, stop)
        return idx if idx >= 0 else None

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an absolute offset."""
        line = max(i for i, s in enumerate(self.starts) if s <= offset)
        return line + 1, offset - self.starts[line] + 1

    def source_line(self, line: int) -> str | None:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else None


@dataclass
class _Place:
    """Turns errors in one entry into located ClaimInputErrors."""

    loc: _Locator | None
    path: str | None
    kind: str
    k: int
    claim: str | None = None

    def at_key(self, key: str | None, message: str, on_key: bool = False) -> ClaimInputError:
        """Located at the key's value (or, ``on_key``, at the key itself)."""
        line = col = None
        if self.loc is not None:
            at = self.loc.key(self.kind, self.k, key) if key else None
            if at is not None:
                line, col = at[0] + 1, at[1] + 1
                if on_key:
                    text = self.loc.lines[at[0]]
                    col = len(text) - len(text.lstrip()) + 1
            else:
                line = self.loc.header_line(self.kind, self.k)
        return ClaimInputError(
            message,
            path=self.path,
            line=line,
            column=col,
            claim=self.claim,
            entry_kind=self.kind,
            field=None if self.loc is not None else key,
            source_line=self.loc.source_line(line) if self.loc and line else None,
        )

    def in_value(
        self, key: str, value: str, err: ClaimInputError, after: int = 0
    ) -> ClaimInputError:
        """An expression's error (positions within ``value``) moved to the file."""
        base = self.loc.value(self.kind, self.k, key, value, after) if self.loc else None
        if self.loc is None:
            return err.located(path=None, claim=self.claim, entry_kind=self.kind, field=key)
        if base is None or err.line is None:
            return self.at_key(key, err.message)
        lines = value.split("\n")
        within = sum(len(x) + 1 for x in lines[: err.line - 1]) + (err.column or 1) - 1
        line, col = self.loc.position(base + min(within, len(value)))
        return err.located(
            path=self.path, line=line, column=col, claim=self.claim, entry_kind=self.kind,
            field=None, source_line=self.loc.source_line(line),
        )

    def end_of(self, key: str, value: str, after: int = 0) -> int:
        base = self.loc.value(self.kind, self.k, key, value, after) if self.loc else None
        return base + len(value) if base is not None else after


# ----- loading -----


def load_claim_files(paths: Sequence[str]) -> tuple[list[Entry], list[ClaimInputError]]:
    """Every entry that loads from every file, and one error per bad entry or bad file."""
    entries: list[Entry] = []
    errors: list[ClaimInputError] = []
    seen: dict[str, str] = {}
    for path in paths:
        got, errs = load_claim_file(path)
        errors.extend(errs)
        for e in got:
            if e.id in seen:
                errors.append(
                    ClaimInputError(
                        f'id already used in {seen[e.id]}', path=path,
                        line=_line_of(e.origin), claim=e.id, entry_kind=_kind(e),
                    )
                )
                continue
            seen[e.id] = path
            entries.append(e)
    return entries, errors


def _line_of(origin: str) -> int | None:
    tail = origin.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else None


def _kind(e: Entry) -> str:
    return "derivation" if isinstance(e, Derivation) else "claim"


def load_claim_file(path: str) -> tuple[list[Entry], list[ClaimInputError]]:
    text, err = _read(path)
    if err is not None:
        return [], [err]
    assert text is not None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        line, col = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        return [], [ClaimInputError(f"not valid TOML: {msg}{_toml_hint(text, line, col, msg)}",
                                    path=path, line=line, column=col)]
    return entries_from_toml(data, text, path)


def _toml_hint(text: str, line: int | None, col: int | None, msg: str) -> str:
    """What to write for TOML mistakes a claim's author makes (a Greek key: symbols = { Σ = })."""
    lines = text.split("\n")
    if line is None or col is None or not 1 <= line <= len(lines):
        return ""
    at = lines[line - 1][col - 1:col]
    if "key" in msg and at and not at.isascii():
        return (f'; "{at}" cannot be a TOML key, nor a symbol name: symbol names are ASCII '
                "letters, digits and _ (write Sigma for Σ, alpha for α)")
    if "Unescaped '\\'" in msg:  # \sum, \left, \cdot pasted from LaTeX into "..."
        return ("; a backslash in a TOML \"...\" string starts an escape, and LaTeX is not "
                "read: write the formula in the claim language (sum(e, i), ( ), *, x.T)")
    return ""


def _read(path: str) -> tuple[str | None, ClaimInputError | None]:
    try:
        with open(path, "rb") as fh:
            raw = fh.read(2_000_001)
    except FileNotFoundError:
        return None, ClaimInputError("no such file", path=path)
    except IsADirectoryError:
        return None, ClaimInputError("is a directory, not a claim file", path=path)
    except OSError as exc:
        return None, ClaimInputError(f"cannot read the file: {exc.strerror or exc}", path=path)
    if len(raw) > 2_000_000:
        return None, ClaimInputError("the file is larger than 2 MB", path=path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, ClaimInputError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
            path=path, line=line, column=col,
        )
    return text.removeprefix("\ufeff"), None


def entries_from_toml(
    data: dict[str, Any], text: str, path: str
) -> tuple[list[Entry], list[ClaimInputError]]:
    loc = _Locator(text, path)
    entries: list[Entry] = []
    errors: list[ClaimInputError] = []
    for key in data:
        if key not in ENTRY_KEYS:
            errors.append(
                ClaimInputError(
                    f'unknown top-level key "{key}"{did_you_mean(key, ENTRY_KEYS)}; a claim '
                    "file holds [[claim]] and [[derivation]] tables",
                    path=path, line=_top_key_line(loc, key),
                )
            )
    ids: dict[str, int | None] = {}
    for kind in ENTRY_KEYS:
        tables = data.get(kind, [])
        if not isinstance(tables, list):
            errors.append(ClaimInputError(
                f'"{kind}" must be an array of tables: write [[{kind}]] above each one',
                path=path, line=_top_key_line(loc, kind),
            ))
            continue
        for k, table in enumerate(tables):
            place = _Place(loc, path, kind, k)
            try:
                if not isinstance(table, dict):
                    raise place.at_key(None, f"each [[{kind}]] must be a table")
                entry = _entry(kind, table, place)
            except ClaimInputError as err:
                errors.append(err)
                continue
            if entry.id in ids:
                errors.append(place.at_key(
                    "id", f"id already used by the {kind} at line {ids[entry.id]}"
                ))
                continue
            ids[entry.id] = loc.header_line(kind, k)
            entries.append(entry)
    if not data.get("claim") and not data.get("derivation") and not errors:
        errors.append(ClaimInputError(
            "no claims in the file; add [[claim]] tables with id, symbols, lhs and rhs "
            "(see examples/quadratic.claims.toml)",
            path=path,
        ))
    return entries, errors


def _top_key_line(loc: _Locator, key: str) -> int | None:
    pat = re.compile(r"^\s*(?:\[+\s*)?" + re.escape(key) + r"\b")
    for i, line in enumerate(loc.lines):
        if pat.match(line):
            return i + 1
    return None


# ----- one entry -----


def _entry(kind: str, table: dict[str, Any], place: _Place) -> Entry:
    allowed = ENTRY_KEYS[kind]
    cid = table.get("id")
    if not isinstance(cid, str) or not cid.strip():
        line = place.loc.header_line(kind, place.k) if place.loc else None
        raise place.at_key("id" if "id" in table else None,
                           f'the {kind} {"at line " + str(line) + " " if line else ""}needs '
                           'an id = "..." (letters, digits, _ - .)')
    place.claim = cid
    for key in table:
        if key not in allowed:
            raise place.at_key(
                key,
                f'unknown key "{key}"{_key_hint(key, allowed, table[key])}; a [[{kind}]] takes '
                + ", ".join(allowed),
                on_key=True,
            )
    if not re.match(r"^[A-Za-z0-9_.\-]+$", cid):
        raise place.at_key("id", "an id is letters, digits, '_', '-' and '.'")
    symbols = _symbols(table.get("symbols", {}), place)
    layout = _choice(table, "layout", LAYOUTS, "denominator", place)
    symbols, table = _semidefinite(table, symbols, layout, place)  # A ⪰ 0 as A = F Fᵀ
    assumptions = tuple(_assumptions(table.get("assume", []), place, symbols))
    scope = scope_of(symbols, layout, assumptions)
    expect = _expect(table, place, symbols)
    _check_conditions(assumptions, expect, scope, place)
    sizes = _sizes(table.get("sizes"), symbols, place)
    fingerprint = json.dumps(
        {"language": LANGUAGE_VERSION, kind: table}, sort_keys=True, default=str
    )
    origin = ""
    if place.loc is not None:
        origin = f"{place.path}:{place.loc.header_line(kind, place.k)}"
    common = dict(
        id=cid,
        source=_string(table, "source", place, default=place.path or "command line"),
        symbols=symbols,
        assumptions=assumptions,
        expect=expect,
        sizes=sizes,
        fingerprint=fingerprint,
        origin=origin,
    )
    entry = (_claim if kind == "claim" else _derivation)(table, place, scope, common)
    _check_expected_condition(entry, place)
    return entry


def _semidefinite(table: dict[str, Any], symbols: tuple[SymbolDecl, ...], layout: str,
                  place: _Place) -> tuple[tuple[SymbolDecl, ...], dict[str, Any]]:
    """The table with "A positive semidefinite" read by a declared factor (A = F Fᵀ, see
    language/semidefinite.py); unchanged when no assumption says so."""
    assume = table.get("assume", [])
    items = [assume] if isinstance(assume, str) else assume
    if not isinstance(items, list) or not all(isinstance(a, str) for a in items):
        return symbols, table  # _assumptions reports it
    texts = {k: table[k] for k in ("lhs", "rhs", "steps") if isinstance(table.get(k), str)
             or (isinstance(table.get(k), list) and all(isinstance(t, str) for t in table[k]))}
    expects = [table.get("expect")] + list(dict(table.get("step_expect") or {}).values()) \
        if isinstance(table.get("step_expect") or {}, dict) else [table.get("expect")]
    conditions = [c for c in expects if isinstance(c, str)]
    try:
        done = factor_semidefinite(symbols, items, texts, conditions,
                                   lambda decls: scope_of(decls, layout), equation_sides,
                                   place.claim)
    except ClaimError as err:
        raise place.at_key("assume", err.message) from None
    if done is None:
        return symbols, table
    symbols, assumed, written = done
    return symbols, {**table, "assume": assumed, **written}


def _check_expected_condition(entry: Entry, place: _Place) -> None:
    """The condition of "holds if C" (of the entry, or of a step) gets the check the same
    phrase gets in assume: "x symmetric" of a vector, "A and W commute" of a non-square W
    could never be met."""
    expects = [("expect", entry.expect)] + [
        ("step_expect", e) for _, e in getattr(entry, "step_expect", ())]
    for key, expect in expects:
        cond = expect.condition if expect.outcome == "conditional" else None
        if not cond or cond.endswith(" layout"):
            continue
        extra = parse_assumption(cond, place.claim)
        if extra.compound:
            continue  # an expression: _check_conditions compiled it
        try:
            replace(entry, assumptions=(*entry.assumptions, extra))  # validated as built
        except ClaimError as err:
            raise place.at_key(key, err.message) from None


# \sum_{i \ne j} e (Σ_{i≠j}): read as the sum over every i but j, which is what it means where
# j is free on both sides; with j free on one side only it is papers' sum over the pairs i ≠ j
_SUM_BUT = re.compile(r"(?P<op>\\sum|Σ|∑|\\prod|Π|∏)\s*_\s*\{\s*([A-Za-z]\w*)\s*"
                      r"(?:\\neq?(?![A-Za-z])|≠|!=)\s*([A-Za-z]\w*)\s*\}")


def _pair_sum(side: CompiledExpr, other: CompiledExpr) -> str | None:
    """The message refusing a \\sum_{i \\ne j} of ``side`` whose j is not free in ``other``
    (every i but one j, for each j, or the sum over the pairs i ≠ j?), or None."""
    free, own = free_indices(other.tree), free_indices(side.tree)
    for m in _SUM_BUT.finditer(re.sub(r"#[^\n]*", "", side.text)):
        i, j = m.group(2), m.group(3)
        if j in own and j not in free:  # (\sum_j \sum_{i \ne j}: j bound, the pairs)
            op = "prod" if m.group("op") in ("\\prod", "Π", "∏") else "sum"
            return (f"{m.group(0)} with {j} free on this side only: every {i} but one {j}, "
                    f"for each {j}, or the {op} over the pairs {i} ≠ {j} (as papers mean "
                    f"it)? write \\{op}_{{{j}}} \\{op}_{{{i} \\ne {j}}} ... for the pairs, "
                    f"or the claim with {j} on both sides")
    return None


def einstein_steps(steps: list[CompiledExpr]) -> None:
    """A derivation's steps, each beside the next, get the check a claim's sides get: an
    index repeated in a product of one step and free there only is Einstein's Σ left out
    (before round 16 such a step was read as 'for every value' and refuted)."""
    for k, (a, b) in enumerate(zip(steps, steps[1:], strict=False), start=1):
        for n, side, other in ((k, a, b), (k + 1, b, a)):
            pairs = _pair_sum(side, other)
            if pairs is not None:
                raise ClaimInputError(f"step {n}: {pairs}")
            summed = sorted(repeated_free_indices(side.tree) - free_indices(other.tree))
            if summed:
                j = summed[0]
                raise ClaimInputError(
                    f"step {n}: {j} is repeated in a product of {side.text!r} and free there "
                    f"only (not in step {k + 1 if n == k else k}): a free index means every "
                    f"value of it; for the sum over {j} (Einstein's convention) write "
                    f"sum(..., {j}) or \\sum_{j} ...")


def _no_einstein(lhs: CompiledExpr, rhs: CompiledExpr, place: _Place) -> None:
    """Refuse an index repeated in a product of one side, free there and not on the other
    (Einstein's implicit Σ, which the language would read as 'for every value')."""
    for key, side, other in (("lhs", lhs, rhs), ("rhs", rhs, lhs)):
        pairs = _pair_sum(side, other)
        if pairs is not None:
            raise place.at_key(key, pairs)
        summed = sorted(repeated_free_indices(side.tree) - free_indices(other.tree))
        if summed:
            j = summed[0]
            raise place.at_key(key, f"{j} is repeated in a product of {side.text!r} and free "
                                    f"there only: a free index means every value of it; for "
                                    f"the sum over {j} (Einstein's convention) write "
                                    f"sum(..., {j}) or \\sum_{j} ...")


def _claim(table: dict, place: _Place, scope: Scope, common: dict) -> Claim:
    written = _one_sided(table, place, scope)  # lhs = "a = b" or lhs = "a <= b", no rhs
    for key in ("lhs", "rhs"):
        if key not in table and written is None:
            split = equation_sides(table.get("lhs")) if key == "rhs" else None
            if split is not None:
                steps = ", ".join(f'"{s}"' for s in split)
                raise place.at_key("lhs", "lhs holds a chain of equalities: write it as a "
                                          f"[[derivation]] with steps = [{steps}]")
            raise place.at_key(None, f'a claim needs {key} = "..." (an expression)')
    kind = _choice(table, "kind", KINDS, "identity", place)
    convention = _choice(table, "convention", CONVENTIONS, "", place) \
        if "convention" in table else ""
    if written is not None:
        lhs, rhs = written
    else:
        lhs = _expression(table, "lhs", place, scope)
        rhs = _expression(table, "rhs", place, scope)
    lhs, rhs = zero_as_shape(lhs, rhs.shape), zero_as_shape(rhs, lhs.shape)
    lhs, rhs = one_dimensional_sides(lhs, rhs)  # X.mean(axis=0) == np.ones(N) @ X / N
    _no_einstein(lhs, rhs, place)  # A_{ij} x_j = (A x)_i: a Σ left out, refused
    title = _string(table, "title", place, default=f"{lhs.text} = {rhs.text}")
    # kind = "gradient" is the identity grad(f, X) = G given its gradient form below
    fields: dict[str, Any] = dict(lhs=lhs, rhs=rhs,
                                  kind="identity" if kind == "gradient" else kind)
    if kind == "gradient" and not _gradient_parts(lhs):
        raise place.at_key("lhs", 'a kind = "gradient" claim has lhs = "grad(f, X)"')
    claim = _construct(place, lambda: Claim(title=title, layout=scope.layout,
                                            convention=convention, **fields, **common))
    return gradient_form(claim)


def _one_sided(table: dict, place: _Place, scope: Scope
               ) -> tuple[CompiledExpr, CompiledExpr] | None:
    """A claim written whole in lhs, without rhs, read as verify() and derivcheck claim read
    one string: "a = b" is its two sides, an inequality "a <= b" its indicator (= 1); None
    otherwise (a chain a = b = c is a derivation, refused by the caller)."""
    text = table.get("lhs")
    if "rhs" in table or not isinstance(text, str):
        return None
    try:
        sides = equation_sides(text)
    except ClaimInputError as err:  # "L := s + t", "s \approx t": located in the file
        raise place.in_value("lhs", text, err) from None
    if sides is not None and len(sides) == 2:
        compiled = []
        for side, within in ((sides[0], text.index(sides[0])), (sides[1], text.rindex(sides[1]))):
            base = place.loc.value(place.kind, place.k, "lhs", text) if place.loc else None
            try:
                compiled.append(compile_expression(side, scope))
            except ClaimInputError as err:
                raise place.in_value("lhs", side, err, after=(base or 0) + within) from None
        return compiled[0], compiled[1]
    if sides is None and is_inequality(text):
        return _expression(table, "lhs", place, scope), compile_expression("1", scope)
    return None


def _gradient_parts(side: Any) -> tuple[Node, str] | None:
    """(f, X) of a side written grad(f, X) in the claim language; None otherwise."""
    top = side.tree if isinstance(side, CompiledExpr) else None
    if isinstance(top, Call) and top.fn == "grad":
        f_node, x_node = top.args
        assert isinstance(x_node, Symbol)
        return f_node, x_node.name
    return None


def gradient_form(claim: Claim) -> Claim:
    """A claim whose lhs is grad(f, X) in the claim language, as the gradient claim the engine
    differentiates itself (in general dimension, by differentials; the other layout can be
    tried).  A claim file's [[claim]] is read so; a derivation's step can be given the same
    form (``Derivation.step_claims`` builds plain identities)."""
    parts = _gradient_parts(claim.lhs) if claim.kind in ("identity", "gradient") else None
    if parts is None:
        return claim
    f_node, wrt = parts
    layout = claim.lhs.layout  # type: ignore[union-attr]
    return replace(claim, kind="gradient", lhs=None, wrt=wrt,
                   f=CompiledExpr(to_text(f_node), f_node, layout))


def _derivation(table: dict, place: _Place, scope: Scope, common: dict) -> Derivation:
    steps = table.get("steps")
    if not isinstance(steps, list) or len(steps) < 2:
        raise place.at_key("steps", "steps is a list of at least two expressions")
    built: list[CompiledExpr] = []
    after = 0
    for n, text in enumerate(steps, start=1):
        text = _as_text(text)
        if not isinstance(text, str):
            raise place.at_key("steps", f"step {n} must be a string (an expression)")
        try:  # "&= b \\" as an aligned environment types a step (round 16): b
            built.append(compile_expression(aligned_step(text), scope))
        except ClaimInputError as err:
            raise place.in_value("steps", text, err, after) from None
        after = place.end_of("steps", text, after)
    built = one_dimensional_steps(zeros_as_shapes(built))  # NumPy's 1-D rows, as in a claim
    try:  # A_{ij} x_j = (A x)_i as a step: refused as in a claim (round 16)
        einstein_steps(built)
    except ClaimInputError as err:
        raise place.at_key("steps", err.message) from None
    step_expect = _step_expect(table.get("step_expect"), len(steps), place)
    title = _string(table, "title", place, default=" = ".join(s.text for s in built[:3])
                    + (" = ..." if len(built) > 3 else ""))
    return _construct(place, lambda: Derivation(
        title=title, steps=tuple(built), step_expect=step_expect, **common
    ))


def _construct(place: _Place, make: Callable[[], Entry]) -> Entry:
    try:
        return make()
    except ClaimInputError:
        raise
    except ClaimError as err:
        msg = err.message
        key = "assume" if "assumption" in msg else "sizes" if "sizes" in msg else None
        raise place.at_key(key, msg) from None


# ----- fields -----


def _string(table: dict, key: str, place: _Place, default: str) -> str:
    v = table.get(key, default)
    if not isinstance(v, str):
        raise place.at_key(key, f"{key} must be a string")
    return v


def _choice(table: dict, key: str, choices: Sequence[str], default: str, place: _Place) -> str:
    v = table.get(key, default)
    if v not in choices:
        raise place.at_key(
            key,
            f'{key} "{v}" is not accepted{did_you_mean(str(v), choices)}; use '
            + " or ".join(choices),
        )
    return v


# keys people write for the ones a claim file has
_KEY_SYNONYMS = {
    "assumptions": "assume", "assuming": "assume", "given": "assume", "conditions": "assume",
    "where": "assume", "expected": "expect", "expectation": "expect", "result": "expect",
    "variables": "symbols", "vars": "symbols", "shapes": "symbols", "decls": "symbols",
    "size": "sizes", "dims": "sizes", "name": "id", "left": "lhs", "right": "rhs",
    "expr": "lhs", "claim": "lhs", "description": "title", "ref": "source",
    "reference": "source", "equation": "lhs", "formula": "lhs", "statement": "lhs",
    "identity": "lhs",
}


_ONE_EQUALS = re.compile(r"(?<![=<>!])=(?!=)")


def is_inequality(text: Any) -> bool:
    """Is ``text`` an inequality, a comparison outside brackets (‖x + y‖ ≤ ‖x‖ + ‖y‖), which
    is claimed as its indicator ((…) = 1)?  (x >= 0) * x is an expression."""
    if not isinstance(text, str):
        return False
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch in "([{") - (ch in ")]}")
        if depth == 0 and (ch in "<>≤≥" or _LATEX_ORDER.match(text, i)):
            return True
    return False


_LATEX_ORDER = re.compile(r"\\(?:le|leq|ge|geq|lt|gt)(?![A-Za-z])")  # \le pasted from LaTeX


def equation_sides(text: Any) -> tuple[str, ...] | None:
    """The sides of "A = B" (or a chain "A = B = C") written as one side: the '=' outside
    brackets that are no part of ==, <=, >= or != (a comparison is an expression).  Without
    one, a claim as code asserts it: "A == B" (one == outside brackets: equal everywhere is
    the same claim as its indicator being 1), np.allclose(A, B), torch.allclose(A, B)
    (exact equality is claimed: it implies every tolerance), a leading "assert"."""
    if not isinstance(text, str):
        return None
    text = aligned(text)  # a &= b \\ &= c, typeset for an aligned environment (round 16)
    _no_relation_but_equality(text)
    depth, at = 0, []
    for i, ch in enumerate(text):
        depth += (ch in "([{") - (ch in ")]}")
        if depth == 0 and _ONE_EQUALS.match(text, i):
            at.append(i)
    if not at:
        return _asserted(text)
    cuts = [-1, *at, len(text)]
    sides = tuple(text[a + 1:b].strip() for a, b in zip(cuts, cuts[1:], strict=False))
    return sides if all(sides) else None


# relations that are no equality, each with what to write (round 17: "L := s + t" was a
# syntax error at column 3, "s \\approx t" a claim with its right side missing)
_OTHER_RELATIONS = (
    (re.compile(r":=|=:|≔|≕|\\coloneqq|\\eqqcolon|\\triangleq|≜|\\stackrel\s*\{\s*\\text\s*\{\s*def"),
     "a definition (:=) is not a claim: substitute what it defines into the claim, or "
     "claim the equality with = if it is one to check"),
    (re.compile(r"≈|\\approx(?![A-Za-z])|≃|\\simeq(?![A-Za-z])"), APPROXIMATE),
    (re.compile(r"∝|\\propto(?![A-Za-z])"), PROPORTIONAL),
    (re.compile(r"∼|\\sim(?![A-Za-z])"), DISTRIBUTED),
)


def _no_relation_but_equality(text: str) -> None:
    """Refuse a one-line claim joined by a relation other than = (a definition, ≈, ∝)."""
    prose_free = re.sub(r"#[^\n]*", "", text)
    for pattern, message in _OTHER_RELATIONS:
        m = pattern.search(prose_free)
        if m is not None:
            before = prose_free[:m.start()]
            raise ClaimInputError(message, line=before.count("\n") + 1,
                                  column=m.start() - (before.rfind("\n") + 1) + 1)


_CLOSE = re.compile(r"(?:assert\s+)?(?:np|numpy|jnp|torch)\.(?:testing\.)?(?:allclose|isclose|"
                    r"equal|array_equal|assert_allclose|assert_array_almost_equal|"
                    r"assert_almost_equal|assert_close)\((?P<args>.*)\)\s*", re.DOTALL)


def _asserted(text: str) -> tuple[str, str] | None:
    """(A, B) of "A == B", "assert A == B" or np.allclose(A, B, atol=...); None otherwise."""
    t = text.strip()
    m = _CLOSE.fullmatch(t)
    if m:
        args = _top_level_split(m.group("args"), ",")
        if len(args) >= 2 and all(args[:2]) and all("=" in a for a in args[2:]):
            return args[0], args[1]
        return None
    t = t[len("assert "):].strip() if t.startswith("assert ") else t
    depth, at = 0, []
    for i, ch in enumerate(t):
        depth += (ch in "([{") - (ch in ")]}")
        if depth == 0 and t.startswith("==", i):
            at.append(i)
    if len(at) != 1:
        return None
    left, right = t[:at[0]].strip(), t[at[0] + 2:].strip()
    return (left, right) if left and right else None


def _top_level_split(text: str, sep: str) -> list[str]:
    depth, parts, start = 0, [], 0
    for i, ch in enumerate(text):
        depth += (ch in "([{") - (ch in ")]}")
        if depth == 0 and ch == sep:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return parts


# keys of the other kind of table: a [[claim]] has lhs and rhs, a [[derivation]] steps
_OTHER_TABLE = {"steps": "steps belong to a [[derivation]] table",
                "step_expect": "step_expect belongs to a [[derivation]] table",
                "lhs": "lhs and rhs belong to a [[claim]] table",
                "rhs": "lhs and rhs belong to a [[claim]] table"}


def _key_hint(key: str, allowed: Sequence[str], value: Any = None) -> str:
    if key in _OTHER_TABLE:
        return f"; {_OTHER_TABLE[key]}"
    target = _KEY_SYNONYMS.get(key.lower())
    try:
        sides = equation_sides(value)
    except ClaimInputError:  # a definition or ≈ under another key: its key is the error
        sides = None
    if target == "lhs" and "rhs" in allowed and sides is not None and len(sides) == 2:
        # claim = "x.T @ x = sum(x ** 2)": the equation split into the keys it needs
        return f'; write the two sides as lhs = "{sides[0]}" and rhs = "{sides[1]}"'
    if target == "lhs" and "rhs" in allowed and is_inequality(value):
        # claim = "a <= b": its indicator is 1
        return f'; write lhs = "{value.strip()}" (an inequality alone in lhs is claimed as its ' \
               'indicator)'
    if target in allowed:
        return f'; write "{target}"'
    return did_you_mean(key, allowed)


def _as_text(value: Any) -> Any:
    """A TOML number written as a side or a step (rhs = 0) is the expression of that number."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return repr(value)
    return value


def _expression(table: dict, key: str, place: _Place, scope: Scope) -> CompiledExpr:
    text = _as_text(table[key])
    if not isinstance(text, str):
        raise place.at_key(key, f'{key} must be a string such as "2 * A @ x"')
    try:
        return compile_expression(text, scope)
    except ClaimInputError as err:
        raise place.in_value(key, text, err) from None


def _symbols(value: Any, place: _Place) -> tuple[SymbolDecl, ...]:
    try:
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            value = ", ".join(value)  # ["x: vector(n)", "A: matrix(n, n)"]: one declaration each
        if isinstance(value, str):  # α: scalar declares alpha, β₁ beta_1 (greek.py)
            # x ∈ ℝ^n, X ∈ ℝ^{n×d} as papers declare them (sets.py)
            decls = parse_symbols(declarations_from_sets(greek_in_declarations(value)),
                                  place.claim)
        elif isinstance(value, dict):
            decls = []
            for name, spec in value.items():
                if not isinstance(spec, str):
                    raise ClaimError(place.claim, f'symbol {name}: write its kind as a string, '
                                     'e.g. "vector(n)"')
                decls.append(parse_symbol(ascii_name(name), kind_of_set(spec) or spec,
                                          place.claim))
            decls = tuple(decls)
        else:
            raise ClaimError(place.claim, 'symbols is a table such as '
                             '{ x = "vector(n)", A = "matrix(n, n)" }')
    except ClaimError as err:
        raise place.at_key("symbols", err.message + _kind_hint(err.message)) from None
    check_symbol_names(decls, lambda msg: place.at_key("symbols", msg))
    return tuple(decls)


# kinds people write for the language's five, and what to write instead
_STRUCTURES = r"symmetric|skew|spd|pd|psd|diagonal|diag|orthogonal|square|invertible|triangular"
_KIND_HINTS = (
    (r"real|float|number|r|ℝ|double", 'write "scalar"'),
    (r"int|nat|natural|long", 'write "integer" (a positive integer) or "index(n)" (0..n-1)'),
    (r"(?:int|integer|idx)\(\w+\)", 'write "index(n)" (an integer in 0..n-1)'),
    (r"(?:column|col|vec)\(\w+\)|r\^\{?\w+\}?|ℝ\^?\w+", 'write "vector(n)" (a column)'),
    (r"row\(\w+\)", 'declare "vector(n)" and write x.T, or "matrix(1, n)"'),
    (rf"(?:{_STRUCTURES})\(\w+\)|(?:{_STRUCTURES})matrix\(.*\)|matrix\(.*\)(?:{_STRUCTURES})",
     'declare "matrix(n, n)" and state the structure in assume, e.g. assume = ["A symmetric"]'),
    (r"mat\(.*\)", 'write "matrix(n, m)"'),
    (r"(?:scalar|real)?(?:>|>=|<|<=|!=)0|(?:positive|negative|nonnegative)(?:scalar|real)?",
     'declare "scalar" and state the sign in assume, e.g. assume = ["x > 0"]'),
    (r"(?:tensor|array)\(.*\)", "the language has scalars, vectors (columns) and matrices"),
    (r"(?:probability|prob|simplex|stochastic|distribution)(?:vector)?\(\w+\)",
     'declare "vector(n)" and assume = ["p sums to 1"] (non-negative entries summing to 1)'),
    (r"\(\w+,\w+\)", 'write "matrix(n, m)" (a kind names its shape: "vector(n)", "scalar")'),
)
# R^{n×m}, ℝ^{n x m}: a matrix (matched on the text as written: n x m needs its spaces)
_MATRIX_SPACE = re.compile(r"(?:R|ℝ)\s*\^\s*\{?\s*(\w+)\s*(?:×|\*|,|\s+x\s+)\s*(\w+)\s*\}?")
_PRODUCT_DIMENSION = re.compile(r'dimension "(\w+)\s*(?:×|\*|\s+x\s+)\s*(\w+)" is neither')


def _kind_hint(message: str) -> str:
    """A suggestion for an unknown symbol kind or a wrong number of dimensions."""
    m = re.search(r'symbol declaration "(\w+)\s*(?:∈|\bin\b)\s*([^"]*)" needs', message)
    if m:  # x ∈ R^n, as a paper declares it
        return _set_hint(m.group(1), m.group(2))
    m = re.search(r'symbol declaration "(\w+)" needs "name: kind"', message)
    if m:  # "x, y: vector(n)": one kind for two names, as prose declares them
        return ('; give each name its own kind, e.g. "x: vector(n), y: vector(n)" for '
                '"x, y: vector(n)"')
    m = re.search(r'symbol (\w+): unknown kind "([^"]*)"', message)
    glued = m and re.fullmatch(r"\s*(\w+(?:\([^)]*\))?)\s*[;\s]\s*(\w+)\s*:\s*(.*)",
                               m.group(2))
    if m and glued:  # "x: vector(n); A: matrix(n, n)" or a comma left out
        return (f'; separate declarations with commas: "{m.group(1)}: {glued.group(1)}, '
                f'{glued.group(2)}: {glued.group(3)}"')
    m = _PRODUCT_DIMENSION.search(message)
    if m:  # matrix(n x m), vector(n×m)
        return f'; write "matrix({m.group(1)}, {m.group(2)})" (dimensions are separated by a comma)'
    m = re.search(r'dimension "(\d+)\s*\.\.\s*(\w+)" is neither', message)
    if m:  # index(0..n)
        return f'; write "index({m.group(2)})" (an integer in 0..{m.group(2)}-1)'
    m = re.search(r'symbol (\w+): dimension "" is neither', message)
    if m:  # vector(n,), NumPy's shape tuple
        return "; a dimension is a name or a positive integer: write vector(n), matrix(n, m)"
    m = re.search(r'unknown kind "([^"]*)"', message)
    if m and (space := _MATRIX_SPACE.fullmatch(m.group(1).strip())):
        return f'; write "matrix({space.group(1)}, {space.group(2)})"'
    if m and (space := re.fullmatch(r"(?:R|ℝ)\s*\^\s*\{?\s*(\w+)\s*\}?", m.group(1).strip())):
        return f'; write "vector({space.group(1)})" (a column)'
    if m and (space := re.fullmatch(r"(?:R|ℝ)\s*\^\s*\(\s*(\w+)\s*(?:×|\*|,|x)\s*(\w+)\s*\)",
                                    m.group(1).strip())):  # R^(n x m)
        return f'; write "matrix({space.group(1)}, {space.group(2)})"'
    if m and (words := re.fullmatch(r"vector\s+(\w+)|(\w+)-vector", m.group(1).strip())):
        return f'; write "vector({words.group(1) or words.group(2)})"'  # vector n, n-vector
    if m:
        spec = m.group(1).strip()
        low = spec.lower().replace(" ", "")
        if low != spec.replace(" ", "") and re.fullmatch(r"(scalar|integer|vector|matrix|index)"
                                                         r"(\(.*\))?", low):
            return f'; kinds are lower case: "{low}"'
        if re.fullmatch(r"(vector|matrix|index)\[(.*)\]", low):
            return f'; write "{low.replace("[", "(").replace("]", ")")}"'
        if (bracket := re.fullmatch(r"(vector|matrix|index)\[.*", low)):  # matrix[n, m]
            example = {"vector": "vector(n)", "matrix": "matrix(n, m)", "index": "index(n)"}
            return f'; write the dimensions in parentheses, "{example[bracket.group(1)]}"'
        for pattern, hint in _KIND_HINTS:
            if re.fullmatch(pattern, low):
                return f"; {hint}"
        return ""
    if "vector takes 1 dimension" in message:
        return "; vector(n) is already an n×1 column"
    if "matrix takes 2 dimension" in message:
        return "; a square matrix is matrix(n, n)"
    if "index takes 1 dimension(s), got 0" in message:
        return '; write "index(n)": an integer in 0..n-1, with n the count it ranges over'
    return ""


def _set_hint(name: str, space: str) -> str:
    """x ∈ R^n as "x: vector(n)", A ∈ R^{n×m} as "A: matrix(n, m)", s ∈ R as "s: scalar"."""
    if space.count("{") != space.count("}") or space.count("(") != space.count(")"):
        return '; write "name: kind", e.g. "x: vector(n)", "A: matrix(n, m)"'  # cut at a comma
    t = " ".join(re.sub(r"[{}()]", " ", space).split())
    m = re.fullmatch(r"(?:R|ℝ)(?: ?\^? ?(\w+)(?: ?(?:×|\*|,| x ) ?(\w+))?)?", t)
    if not m:
        return '; write "name: kind", e.g. "x: vector(n)", "A: matrix(n, m)"'
    if m.group(2):
        kind = f"matrix({m.group(1)}, {m.group(2)})"
    else:
        kind = f"vector({m.group(1)})" if m.group(1) else "scalar"
    return f'; write "{name}: {kind}"'


def check_symbol_names(
    decls: Sequence[SymbolDecl], fail: Callable[[str], ClaimInputError]
) -> None:
    """Symbol and dimension names must not hide functions, constants or each other."""
    names = {d.name for d in decls}
    dims = {x for d in decls for x in d.dims if isinstance(x, str)}
    for n in sorted(names | dims):
        if n in FUNCTIONS or n in CONSTANTS:
            raise fail(f'"{n}" is a function or constant of the language; choose another name')
        if keyword.iskeyword(n):  # the text is parsed as Python: `lambda * s` cannot be read
            other = "lam" if n == "lambda" else f"{n}_"
            raise fail(f'"{n}" is a Python keyword, which an expression cannot use as a name; '
                       f"name the symbol {other}")
    both = sorted(names & dims)
    if both:
        raise fail(f'"{both[0]}" is both a symbol and a dimension name')


def _assumptions(value: Any, place: _Place, symbols: Sequence[SymbolDecl] = ()):
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise place.at_key("assume", 'assume is a list of strings such as ["A symmetric"]')
    for a in items:
        if not isinstance(a, str):
            raise place.at_key("assume", f"assumption {a!r} must be a string")
        try:
            # "t positive" of t: integer restates the declaration: dropped, not refused
            if declared_fact(a, symbols, place.claim):
                continue
            phrase = vector_phrase(a, symbols, place.claim) or plain_assumption(
                a, place.claim, frozenset(d.name for d in symbols))
            yield parse_assumption(phrase, place.claim)
        except ClaimError as err:
            raise place.at_key("assume", err.message) from None


def _expect(table: dict, place: _Place, symbols: Sequence[SymbolDecl] = ()) -> Expect:
    v = table.get("expect", "holds")
    if not isinstance(v, str):
        hint = ' (write "holds" for true, "fails" for false)' if isinstance(v, bool) else ""
        raise place.at_key("expect", 'expect is "holds", "fails" or "holds if <condition>"'
                           + hint)
    try:
        return Expect.parse(plain_expectation(v, place.claim, symbols), place.claim)
    except ClaimError as err:
        raise place.at_key("expect", err.message) from None


def _check_conditions(assumptions: Sequence[Assumption], expect: Expect, scope: Scope,
                      place: _Place) -> None:
    """An assumption on an expression (``X.T @ X invertible``) and the condition of a
    ``holds if`` name the claim's own symbols in expressions that parse: otherwise the
    assumption fails later as an error verdict, and the expectation can never be met."""
    items = [("assume", a) for a in assumptions if a.compound]
    if expect.outcome == "conditional" and not expect.condition.endswith(" layout"):
        cond = parse_assumption(expect.condition or "", place.claim)
        if not cond.compound:
            missing = [n for n in cond.names if n not in scope.symbols]
            if missing:
                declared = ", ".join(scope.symbols) or "none"
                raise place.at_key("expect", f'the condition "{cond}" names {missing[0]}, '
                                             "which is not a declared symbol of the claim; "
                                             "name one of its symbols "
                                             f"({declared}) or declare {missing[0]}")
        items.append(("expect", cond))
    for key, a in items:
        if not a.compound:
            continue
        try:
            compile_expression(a.names[0], scope)
        except ClaimInputError as err:
            raise place.at_key(key, f'in "{a}": {err.message}') from None


# words people write for an expectation, and the one to write (a verdict is not an
# expectation: "proved" is met by proved, proved-at-sizes and checked alike)
_EXPECT_WORDS = {
    **dict.fromkeys(("true", "hold", "proved", "valid", "correct", "pass", "passes", "ok",
                     "identity", "equal"), "holds"),
    **dict.fromkeys(("false", "fail", "refuted", "invalid", "wrong", "incorrect",
                     "counterexample", "not equal"), "fails"),
}


def plain_expectation(text: str, claim_id: str | None = None,
                      symbols: Sequence[SymbolDecl] = ()) -> str:
    """``holds if x > 0`` as ``holds if x positive``: the condition in the vocabulary, read
    as an assumption is (``symbols``: the claim's, for ``x != 0`` of a vector and the like).
    ``Holds``/``FAILS`` (and ``HOLDS IF``) are read in any case; other words get the one to
    write."""
    t = " ".join(text.split())
    words = t.split(" ", 2)
    if words[0].lower() in ("holds", "fails"):
        # "HOLDS IF ...", "Holds If ...": the words in any case, the condition as written
        words[:2] = [w.lower() for w in words[:2]]
        t = " ".join(words)
    low = t.lower()
    if low in _EXPECT_WORDS:
        meant = _EXPECT_WORDS[low]
        met = "refuted or conditional" if meant == "fails" else "proved, proved-at-sizes or checked"
        raise ClaimError(claim_id, f'expect "{t}": write "{meant}" (met by {met}); '
                                   'the others are "holds if <condition>"')
    if low == "conditional":
        raise ClaimError(claim_id, f'expect "{t}": write "holds if <condition>", such as '
                                   '"holds if A symmetric" (or "fails", which a conditional '
                                   "verdict meets)")
    m = re.fullmatch(r"holds (when|whenever|iff|only if|provided|given|under|for) (.+)", t)
    if m:
        cond = re.sub(r"^(symmetric|skew-symmetric|diagonal|orthogonal|invertible) (\w+)$",
                      r"\2 \1", m.group(2))  # "for symmetric A": the symbol first
        raise ClaimError(claim_id, f'expect "{t}": write "holds if {cond}" (the '
                                   "condition is one that makes the claim hold)")
    if t.startswith("holds if ") and t[9:] not in ("numerator layout", "denominator layout"):
        cond = t[9:]
        if declared_fact(cond, symbols, claim_id):
            raise ClaimError(claim_id, f'expect "{t}": {cond} is what the declaration of its '
                                       'symbol says already: write "holds"')
        return "holds if " + (vector_phrase(cond, symbols, claim_id)
                              or plain_assumption(cond, claim_id,
                                                  frozenset(d.name for d in symbols)))
    return t


def _sizes(value: Any, symbols: Sequence[SymbolDecl], place: _Place):
    if value is None:
        return None
    items = [value] if isinstance(value, dict) else value
    dims = {x for d in symbols for x in d.dims if isinstance(x, str)}
    out = []
    if not isinstance(items, list) or not items:
        raise place.at_key("sizes", "sizes is a list of tables such as [{ n = 2 }, { n = 3 }]")
    for sz in items:
        if not isinstance(sz, dict):
            raise place.at_key("sizes", "sizes is a list of tables such as [{ n = 2 }]")
        for name, v in sz.items():
            if name not in dims:
                raise place.at_key(
                    "sizes", f'sizes name "{name}", which is not a dimension of the claim'
                    f"{did_you_mean(name, dims)}"
                )
            if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= MAX_SIZE:
                raise place.at_key("sizes", f"a size is an integer from 1 to {MAX_SIZE}")
        out.append(tuple(sorted(sz.items())))
    return tuple(out)


def _step_expect(value: Any, n_steps: int, place: _Place):
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise place.at_key("step_expect", 'step_expect is a table such as { 2 = "fails" }')
    out = []
    for k, v in value.items():
        if not str(k).isdigit() or not 1 <= int(k) < n_steps:
            raise place.at_key(
                "step_expect", f"step {k}: steps are numbered 1 to {n_steps - 1} "
                "(step k goes from expression k to expression k + 1)"
            )
        if not isinstance(v, str):
            raise place.at_key("step_expect", f"step {k}: expect a string")
        try:
            out.append((int(k), Expect.parse(plain_expectation(v, place.claim), place.claim)))
        except ClaimError as err:
            raise place.at_key("step_expect", err.message) from None
    return tuple(sorted(out))


# ----- one claim from the command line -----


def declare_symbols(symbols: str, claim_id: str = "claim") -> tuple[SymbolDecl, ...]:
    """``"x: vector(n), A: matrix(n, n)"`` as declarations; raises ``ClaimInputError``."""
    return _symbols(symbols, _Place(None, None, "claim", 0, claim_id))


def one_liner(
    lhs: str,
    rhs: str,
    symbols: str,
    assume: Sequence[str] = (),
    layout: str = "denominator",
    expect: str | None = None,
    id: str = "claim",
    convention: str = "",
    sizes: Any = None,
) -> Claim:
    """One claim from strings (``derivcheck claim LHS RHS --symbols ...``).

    ``symbols`` reads ``"x: vector(n), A: matrix(n, n)"``; ``sizes`` is a claim file's
    ``[{"n": 2}, ...]``; raises ``ClaimInputError``.
    """
    table: dict[str, Any] = {"id": id, "symbols": symbols, "lhs": lhs, "rhs": rhs,
                              "assume": list(assume), "layout": layout}
    if expect is not None:
        table["expect"] = expect
    if convention:
        table["convention"] = convention
    if sizes is not None:
        table["sizes"] = sizes
    entry = _entry("claim", table, _Place(None, None, "claim", 0))
    assert isinstance(entry, Claim)
    return entry


def checked_sizes(value: Any, symbols: Sequence[SymbolDecl], claim_id: str = "claim"):
    """A claim file's ``sizes`` given elsewhere (the Python API), checked as the file's are."""
    return _sizes(value, symbols, _Place(None, None, "claim", 0, claim_id))


def sizes_from_text(texts: Sequence[str] | None) -> list[dict[str, int]] | None:
    """Sizes typed on a command line, one assignment a text: ["n=2, m=3", "n=3"] as a claim
    file's [{ n = 2, m = 3 }, { n = 3 }] (checked against the claim by one_liner)."""
    if not texts:
        return None
    out = []
    for text in texts:
        table: dict[str, int] = {}
        for part in filter(None, (p.strip() for p in re.split(r"[,;]", text))):
            m = re.fullmatch(r"([A-Za-z_]\w*)\s*[=:]\s*(\d+)", part)
            if not m:
                raise ClaimInputError(f'sizes "{text}": write name=size pairs such as '
                                      '"n=2, m=3" (one assignment a --sizes)')
            table[m.group(1)] = int(m.group(2))
        out.append(table)
    return out


def checked_convention(value: str, claim_id: str = "claim") -> str:
    """A claim file's ``convention`` given elsewhere: "" (unstated) or one of CONVENTIONS."""
    if value and value not in CONVENTIONS:
        raise ClaimInputError(
            f'convention is one of {", ".join(CONVENTIONS)} (or left out), not "{value}"',
            claim=claim_id,
        )
    return value
