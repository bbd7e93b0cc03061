"""The claim model: symbols with shapes, assumptions, expectations, claims and derivations.

Nothing here imports SymPy: a catalogue of claims can be listed without paying for it.
A side of a claim is a *builder*: a callable that takes an environment (see
``verifier.instantiate``) and returns a SymPy expression.  The same builder is
instantiated with matrix symbols of symbolic size (general proofs), with explicit
matrices of scalar symbols at concrete sizes (element-wise proofs) and from there
with exact rational values (refutations).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

__all__ = [
    "ASSUMPTION_PHRASES",
    "DISCRETE",
    "Assumption",
    "Builder",
    "Claim",
    "ClaimError",
    "Derivation",
    "Env",
    "Expect",
    "SymbolDecl",
    "HOLDS",
    "FAILS",
    "exact_decimal",
    "exact_ends",
    "holds_if",
    "parse_assumption",
    "parse_symbols",
]

Builder = Callable[[Any], Any]  # called with an ``Env``
Dim = str | int

KINDS = ("identity", "gradient", "non-identity")
LAYOUTS = ("denominator", "numerator")
# how a claim may state that it differentiates by a symbol confined to a set (X symmetric,
# p sums to 1): "entry-wise", the partial derivatives of the expression as written, entries
# independent, evaluated on the set. Unstated (""), a verdict that depends on it stands down
CONVENTIONS = ("entry-wise",)
SYMBOL_KINDS = ("scalar", "integer", "vector", "matrix", "index")


class ClaimError(ValueError):
    """A malformed catalogue entry or claim file; the message names the entry and the fix."""

    def __init__(self, claim_id: str | None, message: str):
        self.claim_id = claim_id
        self.message = message
        super().__init__(f'claim "{claim_id}": {message}' if claim_id else message)


# ----- Symbols -----


@dataclass(frozen=True)
class SymbolDecl:
    """A declared symbol: ``scalar``, ``integer`` (a positive integer such as a step count t),
    ``vector(n)`` (a column), ``matrix(n, m)`` or ``index(C)``.

    ``dims`` holds dimension names or fixed sizes; equal names mean equal sizes.
    For an index symbol (an integer class label in 0..C-1) ``dims`` is ``(C,)``.
    """

    name: str
    kind: str
    dims: tuple[Dim, ...] = ()

    @property
    def shape(self) -> tuple[Dim, Dim]:
        if self.kind == "vector":
            return (self.dims[0], 1)
        if self.kind == "matrix":
            return (self.dims[0], self.dims[1])
        return (1, 1)

    @property
    def is_square(self) -> bool:
        return self.kind == "matrix" and self.dims[0] == self.dims[1]

    def spec(self) -> str:
        if self.kind in ("scalar", "integer"):
            return self.kind
        return f"{self.kind}({', '.join(str(d) for d in self.dims)})"

    def __repr__(self) -> str:
        return f"{self.name}: {self.spec()}"


_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SPEC = re.compile(r"^\s*(scalar|integer|vector|matrix|index)\s*(?:\(([^()]*)\))?\s*$")


def _parse_dim(text: str, claim_id: str | None, name: str) -> Dim:
    text = text.strip()
    if text.isdigit() and int(text) > 0:
        if int(text) > 64:
            raise ClaimError(claim_id, f"symbol {name}: size {text} is too large (at most 64)")
        return int(text)
    if _IDENT.match(text):
        return text
    raise ClaimError(
        claim_id,
        f'symbol {name}: dimension "{text}" is neither a name nor a positive integer',
    )


def parse_symbol(name: str, spec: str, claim_id: str | None = None) -> SymbolDecl:
    """Parse one declaration such as ``vector(n)``; raise ``ClaimError`` saying what is accepted."""
    if not _IDENT.match(name) or name.startswith("_"):
        greek = any("\u0370" <= ch <= "\u03ff" for ch in name)
        hint = "; spell a Greek letter out: alpha, beta, lam, sigma, theta, ..." if greek else ""
        raise ClaimError(claim_id, f'"{name}" is not a valid symbol name{hint}')
    m = _SPEC.match(spec)
    if not m:
        raise ClaimError(
            claim_id,
            f'symbol {name}: unknown kind "{spec.strip()}"; expected scalar, integer, vector(n), '
            "matrix(n, m) or index(C)",
        )
    kind, args = m.group(1), m.group(2)
    dims = tuple(_parse_dim(a, claim_id, name) for a in args.split(",")) if args else ()
    wanted = {"scalar": 0, "integer": 0, "vector": 1, "matrix": 2, "index": 1}[kind]
    if len(dims) != wanted:
        raise ClaimError(
            claim_id, f"symbol {name}: {kind} takes {wanted} dimension(s), got {len(dims)}"
        )
    return SymbolDecl(name, kind, dims)


def parse_symbols(text: str, claim_id: str | None = None) -> tuple[SymbolDecl, ...]:
    """Parse ``"a: vector(n), M: matrix(n, n), s: scalar"`` into declarations (a semicolon
    separates them too: ``"a: vector(n); M: matrix(n, n)"``, as people write a list)."""
    decls: list[SymbolDecl] = []
    # split on commas and semicolons that are not inside parentheses
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if ch in ",;" and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    for part in parts:
        if ":" not in part:
            raise ClaimError(claim_id, f'symbol declaration "{part.strip()}" needs "name: kind"')
        name, spec = part.split(":", 1)
        decls.append(parse_symbol(name.strip(), spec, claim_id))
    names = [d.name for d in decls]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ClaimError(claim_id, f"symbol(s) declared twice: {', '.join(sorted(dup))}")
    return tuple(decls)


# ----- Assumptions -----

MATRIX_PROPERTIES = (
    "symmetric",
    "skew-symmetric",
    "diagonal",
    "orthogonal",
    "positive definite",
    "invertible",
)
SCALAR_PROPERTIES = ("positive", "negative", "nonnegative", "nonzero")
# the symbol kinds a sign or an interval may be assumed of (of each entry, for a matrix)
ENTRYWISE = ("scalar", "vector", "matrix")
# what may be assumed of an expression (its entries, for a matrix; invertible: a square one)
COMPOUND_PROPERTIES = ("invertible", "positive", "negative", "nonnegative", "nonzero")
# entries from a finite set: binary (each entry 0 or 1), one-hot (a vector with one 1 and
# 0s elsewhere; each row of a matrix so)
DISCRETE = ("binary", "one-hot")
# every assumption phrase with example names, and what it means (claim --help, README, the
# error for an unknown phrase)
ASSUMPTION_PHRASES: tuple[tuple[str, str], ...] = (
    *((f"X {p}", "a square matrix") for p in MATRIX_PROPERTIES),
    ("A and B commute", "AB = BA"),
    *((f"s {p}", "a scalar; of a vector or a matrix, every entry") for p in SCALAR_PROPERTIES),
    ("s in (0, 1)", "an interval (of every entry, for a vector or a matrix); [0, 1], (0, 1], "
                    "[0, 1) too"),
    ("p sums to 1", "a probability vector: non-negative entries summing to 1"),
    ("y binary", "every entry 0 or 1; also written y in {0, 1}"),
    ("Y one-hot", "a vector: one entry 1, the others 0; a matrix: each row so"),
    ("t in 1..T", "an integer from 1 to T; each end an integer or a dimension name"),
    ("X.T @ X invertible", "an expression with a property above; also var(x) nonzero, ..."),
)


@dataclass(frozen=True)
class Assumption:
    """A condition on the claim's own symbols, in the assumption vocabulary.

    kinds: the matrix properties above, ``commute`` (two names), the scalar signs,
    ``interval`` (low, high, open-low, open-high), ``sums to 1`` (a vector with non-negative
    entries summing to 1), ``binary`` and ``one-hot`` (``DISCRETE``), and ``range`` (an
    integer from ``bounds[0]`` to ``bounds[1]``, each an integer or a dimension name).
    """

    kind: str
    names: tuple[str, ...]
    interval: tuple[float, float, bool, bool] | None = None
    compound: bool = False  # names[0] is an expression in the claim language ("X.T @ X")
    bounds: tuple[int | str, int | str] | None = None  # range: t in 1..T
    # an interval's ends exactly as written (``interval`` holds their nearest floats, which
    # may differ from them: 0.10000000000000000001 is 0.1 as a float, 1e400 is inf)
    ends: tuple[Fraction, Fraction] | None = None

    def phrase(self) -> str:
        if self.kind == "commute":
            return f"{self.names[0]} and {self.names[1]} commute"
        if self.kind == "range":
            lo, hi = self.bounds  # type: ignore[misc]
            return f"{self.names[0]} in {lo}..{hi}"
        if self.kind == "interval":
            _, _, open_lo, open_hi = self.interval  # type: ignore[misc]
            lo, hi = exact_ends(self)
            return (
                f"{self.names[0]} in {'(' if open_lo else '['}{exact_decimal(lo)}, "
                f"{exact_decimal(hi)}{')' if open_hi else ']'}"
            )
        return f"{self.names[0]} {self.kind}"

    def __str__(self) -> str:
        return self.phrase()


def exact_ends(a: Assumption) -> tuple[Fraction, Fraction]:
    """An interval's ends as exact rationals: as written, not as their nearest floats."""
    if a.ends is not None:
        return a.ends
    lo, hi, _, _ = a.interval  # type: ignore[misc]
    return Fraction(str(lo)), Fraction(str(hi))


def exact_decimal(q: Fraction) -> str:
    """A rational as a literal that reads back to it exactly: a decimal where it terminates
    (1/2 as 0.5, 5e-31), else the ratio in lowest terms (1/3)."""
    d = q.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d != 1:  # a ratio written p/q whose decimal does not terminate (1/3)
        return str(q)
    scale = 0
    while (q * 10**scale).denominator != 1:
        scale += 1
    digits = int(q * 10**scale)
    while digits and digits % 10 == 0:
        digits, scale = digits // 10, scale - 1
    if -20 <= scale <= 0:
        return str(digits * 10**-scale)
    if 0 < scale <= 20:
        return _point(digits, scale)
    return f"{digits}e{-scale}"


def _point(digits: int, scale: int) -> str:
    sign, text = ("-" if digits < 0 else ""), str(abs(digits)).rjust(scale + 1, "0")
    return f"{sign}{text[:-scale]}.{text[-scale:]}"


def _nearest_float(q: Fraction) -> float:
    try:
        return float(q)
    except OverflowError:  # 1e400
        return math.inf if q > 0 else -math.inf


_END = r"[-+0-9.eE/]+"  # a decimal, or a ratio p/q read exactly (1/3)
_INTERVAL = re.compile(rf"^(\w+)\s+in\s+([\(\[])\s*({_END})\s*,\s*({_END})\s*([\)\]])$")


def parse_assumption(text: str, claim_id: str | None = None) -> Assumption:
    """Parse an assumption in words: ``M symmetric``, ``A and B commute``, ``s in (0, 1)``."""
    t = " ".join(text.strip().split())
    m = re.match(r"^(\w+)\s+and\s+(\w+)\s+commute$", t)
    if m:
        return Assumption("commute", (m.group(1), m.group(2)))
    m = _INTERVAL.match(t)
    if m:
        try:
            lo, hi = Fraction(m.group(3)), Fraction(m.group(4))
        except ValueError:
            raise ClaimError(claim_id, f'assumption "{t}": an end is not a number') from None
        if not lo < hi:
            raise ClaimError(claim_id, f'assumption "{t}": empty interval')
        return Assumption("interval", (m.group(1),),
                          (_nearest_float(lo), _nearest_float(hi), m.group(2) == "(",
                           m.group(5) == ")"), ends=(lo, hi))
    m = re.match(r"^(\w+)\s+sums\s+to\s+1$", t)
    if m:
        return Assumption("sums to 1", (m.group(1),))
    m = re.match(r"^(\w+)\s+(?:is\s+)?(?:binary|in\s+\{\s*0\s*,\s*1\s*\})$", t)
    if m:
        return Assumption("binary", (m.group(1),))
    m = re.match(r"^(\w+)\s+(?:is\s+)?(?:one-hot|one hot|onehot)(?:\s+rows)?$", t)
    if m:
        return Assumption("one-hot", (m.group(1),))
    m = re.match(r"^(\w+)\s+in\s+(\w+)\s*\.\.\s*(\w+)$", t)
    if m:
        lo, hi = (int(b) if b.isdigit() else b for b in m.group(2, 3))
        for b in (lo, hi):
            if isinstance(b, str) and not _IDENT.match(b):
                raise ClaimError(claim_id, f'assumption "{t}": an end of an integer range is '
                                           f"an integer or a dimension name, not {b}")
        if isinstance(lo, int) and isinstance(hi, int) and lo > hi:
            raise ClaimError(claim_id, f'assumption "{t}": empty range')
        return Assumption("range", (m.group(1),), bounds=(lo, hi))
    m = re.match(r"^(.+?)\s+(?:is\s+)?(" + "|".join(COMPOUND_PROPERTIES) + r")$", t)
    if m and not _IDENT.match(m.group(1).strip()):
        # a condition on an expression, e.g. "X.T @ X invertible", "var(x) nonzero"
        return Assumption(m.group(2), (m.group(1).strip(),), compound=True)
    m = re.match(r"^(\w+)\s+(.+)$", t)
    if m:
        prop = m.group(2).replace("skew symmetric", "skew-symmetric").replace("is ", "")
        if prop in MATRIX_PROPERTIES or prop in SCALAR_PROPERTIES:
            return Assumption(prop, (m.group(1),))
    accepted = ", ".join(p for p, _ in ASSUMPTION_PHRASES)
    hint = ""
    if m:
        import difflib

        words = MATRIX_PROPERTIES + SCALAR_PROPERTIES + DISCRETE
        close = difflib.get_close_matches(m.group(2), words, 1)
        if close:
            hint = f'; did you mean "{m.group(1)} {close[0]}"?'
    raise ClaimError(claim_id, f'unknown assumption "{t}"{hint} (accepted: {accepted})')


def _check_assumption(a: Assumption, decls: dict[str, SymbolDecl], claim_id: str) -> None:
    if a.compound:
        return  # an expression: checked against the symbols when it is compiled
    for n in a.names:
        if n not in decls:
            raise ClaimError(claim_id, f'assumption "{a}" names undeclared symbol {n}')
    d = decls[a.names[0]]
    if a.kind in MATRIX_PROPERTIES and not d.is_square:
        raise ClaimError(claim_id, f'assumption "{a}" needs a square matrix; {d!r}')
    if a.kind == "commute":
        d2 = decls[a.names[1]]
        if not (d.is_square and d2.is_square and d.dims == d2.dims):
            raise ClaimError(claim_id, f'assumption "{a}" needs two square matrices of one size')
    if a.kind in SCALAR_PROPERTIES + ("interval",) and d.kind not in ENTRYWISE:
        raise ClaimError(claim_id, f'assumption "{a}" needs a scalar, a vector or a matrix '
                                   f"(every entry); {d!r}")
    if a.kind == "sums to 1" and d.kind != "vector":
        raise ClaimError(claim_id, f'assumption "{a}" needs a vector; {d!r}')
    if a.kind == "binary" and d.kind not in ("scalar", "vector", "matrix"):
        raise ClaimError(claim_id, f'assumption "{a}" needs a scalar, a vector or a matrix; '
                                   f"{d!r} (an integer symbol is positive, an index a class)")
    if a.kind == "one-hot" and d.kind not in ("vector", "matrix"):
        raise ClaimError(claim_id, f'assumption "{a}" needs a vector or a matrix (its rows); '
                                   f"{d!r}")
    if a.kind == "range":
        if d.kind not in ("scalar", "integer"):
            raise ClaimError(claim_id, f'assumption "{a}" needs a scalar or integer symbol; '
                                       f"{d!r}")
        dims = {x for e in decls.values() for x in e.dims if isinstance(x, str)}
        for b in a.bounds or ():
            if isinstance(b, str) and b not in dims:
                raise ClaimError(claim_id, f'assumption "{a}": {b} is not a dimension of the '
                                           "claim's symbols (an end is an integer or one of: "
                                           f"{', '.join(sorted(dims)) or 'none'})")


# ----- Expectations -----


@dataclass(frozen=True)
class Expect:
    """What the catalogue author expects: ``holds``, ``fails`` or ``holds if <condition>``."""

    outcome: str  # "holds" | "fails" | "conditional"
    condition: str | None = None

    def __str__(self) -> str:
        return f"holds if {self.condition}" if self.outcome == "conditional" else self.outcome

    @staticmethod
    def parse(text: str, claim_id: str | None = None) -> Expect:
        t = " ".join(text.strip().split())
        if t in ("holds", "fails"):
            return Expect(t)
        if t.startswith("holds if "):
            cond = t[len("holds if ") :]
            if cond != "numerator layout" and cond != "denominator layout":
                cond = parse_assumption(cond, claim_id).phrase()
            return Expect("conditional", cond)
        raise ClaimError(claim_id, f'expect "{t}": use holds, fails or "holds if <condition>"')


HOLDS = Expect("holds")
FAILS = Expect("fails")


def holds_if(condition: str) -> Expect:
    return Expect.parse(f"holds if {condition}")


# ----- Claims -----


@dataclass(frozen=True)
class Claim:
    """One claimed formula: ``lhs == rhs`` (identity), ``grad(f, wrt) == rhs`` (gradient) or
    ``lhs != rhs in general`` (non-identity, decided by a concrete witness)."""

    id: str
    title: str
    source: str
    symbols: tuple[SymbolDecl, ...]
    rhs: Builder
    lhs: Builder | None = None
    f: Builder | None = None  # gradient claims: the scalar function
    wrt: str | None = None
    kind: str = "identity"
    layout: str = "denominator"
    assumptions: tuple[Assumption, ...] = ()
    expect: Expect = HOLDS
    implementation: str | None = None
    impl_args: Callable[[Any], tuple] | None = None  # claim values → implementation arguments
    impl_kwargs: Callable[[Any], dict] | None = None  # … and its keyword arguments (flags)
    sizes: tuple[tuple[tuple[str, int], ...], ...] | None = None
    xfail: str | None = None  # why the engine cannot decide this yet; shown in reports
    note_text: str = ""  # what the note writes, verbatim or paraphrased
    fingerprint: str = ""  # extra content for the cache key (e.g. claim-file text)
    origin: str = ""  # file (and line) the claim came from, for error messages
    # id of the entry that states this formula correctly (set on an as-written entry that
    # is wrong or needs a condition); reports show that entry's title as "correct"
    corrected: str | None = None
    convention: str = ""  # CONVENTIONS: a derivative by a structured symbol

    def __post_init__(self) -> None:
        validate(self)

    @property
    def decls(self) -> dict[str, SymbolDecl]:
        return {d.name: d for d in self.symbols}

    @property
    def dims(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for d in self.symbols:
            for x in d.dims:
                if isinstance(x, str):
                    seen.setdefault(x)
        return tuple(seen)

    @property
    def topic(self) -> str:
        return self.id.split(".", 1)[0] if "." in self.id else ""

    @property
    def note(self) -> str:
        """The note file name this claim comes from ("" for standard claims)."""
        return note_of(self.source)

    def with_assumption(self, extra: Assumption) -> Claim:
        return replace(self, assumptions=self.assumptions + (extra,))

    def __repr__(self) -> str:
        return f"Claim({self.id!r})"


@dataclass(frozen=True)
class Derivation:
    """An ordered chain of expressions; every adjacent pair is a step decided on its own."""

    id: str
    title: str
    source: str
    symbols: tuple[SymbolDecl, ...]
    steps: tuple[Builder, ...]
    assumptions: tuple[Assumption, ...] = ()
    expect: Expect = HOLDS
    # expectation per step where it differs from "holds" (1-based step numbers)
    step_expect: tuple[tuple[int, Expect], ...] = ()
    sizes: tuple[tuple[tuple[str, int], ...], ...] | None = None
    xfail: str | None = None
    note_text: str = ""
    fingerprint: str = ""
    origin: str = ""
    corrected: str | None = None  # as on Claim: the id of the entry that states it correctly

    def __post_init__(self) -> None:
        if len(self.steps) < 2:
            raise ClaimError(self.id, "a derivation needs at least two expressions")
        for claim in self.step_claims():
            validate(claim)

    kind = "derivation"

    @property
    def decls(self) -> dict[str, SymbolDecl]:
        return {d.name: d for d in self.symbols}

    @property
    def topic(self) -> str:
        return self.id.split(".", 1)[0] if "." in self.id else ""

    @property
    def note(self) -> str:
        return note_of(self.source)

    def step_claims(self) -> tuple[Claim, ...]:
        expects = dict(self.step_expect)
        return tuple(
            Claim(
                id=f"{self.id}#{k}",
                title=f"step {k}",
                source=self.source,
                symbols=self.symbols,
                lhs=self.steps[k - 1],
                rhs=self.steps[k],
                assumptions=self.assumptions,
                expect=expects.get(k, HOLDS),
                sizes=self.sizes,
                fingerprint=self.fingerprint,
                origin=self.origin,
            )
            for k in range(1, len(self.steps))
        )

    def __repr__(self) -> str:
        return f"Derivation({self.id!r})"


Entry = Claim | Derivation


def note_of(source: str) -> str:
    """``"000_x.txt § Matrix Calculus"`` -> ``"000_x.txt"``; ``"standard"`` -> ``""``."""
    head = source.split(" § ", 1)[0].strip()
    return head if head.endswith(".txt") else ""


def section_of(source: str) -> str:
    return source.split(" § ", 1)[1].strip() if " § " in source else ""


def validate(c: Claim) -> None:
    """Check what can be checked without SymPy; raise ``ClaimError`` naming the entry."""
    if not c.id or not re.match(r"^[A-Za-z0-9_.#\-]+$", c.id):
        raise ClaimError(c.id, "an id is letters, digits, '_', '-' and '.'")
    if c.kind not in KINDS:
        raise ClaimError(c.id, f'unknown kind "{c.kind}"; expected one of {", ".join(KINDS)}')
    if c.layout not in LAYOUTS:
        raise ClaimError(c.id, f'unknown layout "{c.layout}"; expected denominator or numerator')
    if c.convention and c.convention not in CONVENTIONS:
        raise ClaimError(c.id, f'unknown convention "{c.convention}"; expected "entry-wise" '
                               "(or none)")
    decls = c.decls
    if len(decls) != len(c.symbols):
        raise ClaimError(c.id, "a symbol is declared twice")
    if c.kind == "gradient":
        if c.f is None or c.wrt is None:
            raise ClaimError(c.id, "a gradient claim needs f= (the scalar function) and wrt=")
        if c.wrt not in decls:
            raise ClaimError(c.id, f"wrt={c.wrt!r} is not a declared symbol")
        if decls[c.wrt].kind == "index":
            raise ClaimError(c.id, "cannot differentiate with respect to an index")
    elif c.lhs is None:
        raise ClaimError(c.id, "an identity needs lhs= (or kind='gradient' with f= and wrt=)")
    for a in c.assumptions:
        if not isinstance(a, Assumption):
            raise ClaimError(c.id, f"assumption {a!r} is not an Assumption; use parse_assumption")
        _check_assumption(a, decls, c.id)
    if c.expect.outcome == "conditional" and c.kind == "non-identity":
        raise ClaimError(c.id, "a non-identity cannot hold under a condition")
    if c.sizes:
        for sz in c.sizes:
            unknown = {k for k, _ in sz} - set(c.dims)
            if unknown:
                raise ClaimError(c.id, f"sizes name unknown dimension(s) {sorted(unknown)}")


def _compact(
    id: str,
    symbols: str | tuple[SymbolDecl, ...],
    assume: tuple[str, ...] | list[str],
    expect: str | Expect,
    sizes: list[dict[str, int]] | None,
) -> dict[str, Any]:
    """The fields the catalogue spells as strings, parsed (errors name the entry)."""
    return {
        "id": id,
        "symbols": parse_symbols(symbols, id) if isinstance(symbols, str) else symbols,
        "assumptions": tuple(parse_assumption(a, id) for a in assume),
        "expect": Expect.parse(expect, id) if isinstance(expect, str) else expect,
        "sizes": tuple(tuple(sorted(s.items())) for s in sizes) if sizes else None,
    }


def make_claim(
    id: str,
    *,
    symbols: str | tuple[SymbolDecl, ...],
    assume: tuple[str, ...] | list[str] = (),
    expect: str | Expect = HOLDS,
    sizes: list[dict[str, int]] | None = None,
    **fields: Any,
) -> Claim:
    """Build a claim from the catalogue's compact spelling (strings for symbols and assumptions)."""
    return Claim(**_compact(id, symbols, assume, expect, sizes), **fields)


def make_derivation(
    id: str,
    *,
    symbols: str | tuple[SymbolDecl, ...],
    steps: list[Builder] | tuple[Builder, ...],
    assume: tuple[str, ...] | list[str] = (),
    expect: str | Expect = HOLDS,
    step_expect: dict[int, str] | None = None,
    sizes: list[dict[str, int]] | None = None,
    **fields: Any,
) -> Derivation:
    """A derivation in the same spelling; ``step_expect`` maps 1-based steps to expectations."""
    return Derivation(
        **_compact(id, symbols, assume, expect, sizes),
        steps=tuple(steps),
        step_expect=tuple(
            (k, Expect.parse(v, id)) for k, v in sorted((step_expect or {}).items())
        ),
        **fields,
    )


class Env:
    """What a builder sees: ``s.M``, ``s["M"]``, dimension names as integers (``s.n``)."""

    def __init__(self, values: dict[str, Any], dims: dict[str, Any], mode: str = "explicit"):
        self._values = values
        self._dims = dims
        self.mode = mode  # "general" | "explicit" | "concrete"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self._values:
            return self._values[name]
        if name in self._dims:
            return self._dims[name]
        raise AttributeError(f"no symbol or dimension named {name!r}")

    def __getitem__(self, name: str) -> Any:
        return self.__getattr__(name)
