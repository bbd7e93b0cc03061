"""What a claim's assumptions allow, symbol by symbol: domains, structures, checks on values.

All assumptions on one symbol hold at once.  A scalar's sign and interval assumptions are
intersected into one ``Domain`` (empty: the assumptions contradict each other).  A square
matrix's properties are looked up as a *set* in ``STRUCTURES``: each entry parametrises
exactly that set of matrices, or a dense part of every connected component of it, so a proof
over the parametrisation is a proof over the set:

    {}                          free entries
    symmetric                   M[j, i] = M[i, j]
    skew-symmetric              M[j, i] = -M[i, j], zero diagonal
    diagonal (+ symmetric)      off-diagonal entries 0
    positive definite (+ sym)   L Lᵀ, L lower triangular with a positive diagonal (onto)
    orthogonal                  D·C(K), C the Cayley transform of a skew K, D one of the
                                2ⁿ diagonal sign matrices: onto (Liebeck & Osborne 1991);
                                D = I and diag(−1, 1, …) alone are dense in both components
                                (det +1 and −1) but miss −I (n = 2) and every rotation by π
    symmetric orthogonal        R Dₖ Rᵀ, R = D·C(K), Dₖ with k entries −1: one per k = 0..n
    diagonal orthogonal         diag(±1): 2ⁿ points
    skew orthogonal             R J Rᵀ (n even), R = D·C(K) as for orthogonal

A claim continuous in a matrix (no comparison or kink) is proved over the ``dense`` first
components alone: a dense part of each component suffices by continuity.  A comparison can
switch on the part they miss ((tr Q > −2) = 1 with Q orthogonal 2×2 fails at −I alone), so
a claim with one is proved over every component.
    diagonal positive definite  diag(positive)
    orthogonal positive def.    I
    symmetric skew, diag skew   0

A set that is not in the table has no known parametrisation: proofs stand down, and
refutation samples the largest known subset and keeps only points whose values satisfy
every assumption (``holds``).  ``invertible`` is a check on values (det ≠ 0), not a
structure.  ``holds`` is the one place that decides whether concrete values satisfy an
assumption; it never trusts the construction that produced them.

Discrete assumptions have finitely many values per symbol: ``y binary`` (each entry 0 or 1;
a scalar's domain is the integers in [0, 1]) and ``Y one-hot`` (a vector with one entry 1;
each row of a matrix so).  ``discrete_count`` and ``discrete_value`` enumerate them, so that
the explicit instantiation makes each value a component and a proof at a size covers all.
``t in 1..T`` is an integer range whose ends may be dimensions (resolved at given sizes); its
values are enumerated the same way when there are at most ``RANGE_CASES`` of them.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy as sp

from verifier.claim import DISCRETE, Assumption, Claim, exact_ends

__all__ = [
    "ANY",
    "box_corners",
    "BINARY",
    "Contradictory",
    "one_signed",
    "sign_filtered_finite",
    "Domain",
    "STRUCTURES",
    "Structure",
    "discrete_count",
    "discrete_symbols",
    "discrete_value",
    "entry_domain",
    "entry_name",
    "holds",
    "matrix_properties",
    "scalar_domain",
    "signed_permutations",
    "spread_simplex",
    "structure_for",
]


class Contradictory(Exception):
    """No value satisfies the assumptions on a symbol (e.g. ``s positive`` and ``s < -1``)."""


# ----- scalar domains -----


@dataclass(frozen=True)
class Domain:
    """A set of reals: an interval (``None`` ends are infinite), minus 0 when ``nonzero``;
    ``integer``: its integers; ``simplex``: an entry of a probability vector of length n."""

    lo: Fraction | None = None
    hi: Fraction | None = None
    open_lo: bool = True
    open_hi: bool = True
    nonzero: bool = False
    integer: bool = False
    simplex: int = 0

    @property
    def kind(self) -> str:
        """A short name, for messages and for the sampler's special cases."""
        if self.simplex:
            return "simplex"
        if self.integer:
            return "integer"
        if self.lo is not None and self.lo >= 0 and (self.lo > 0 or self.open_lo):
            return "positive"
        if self.hi is not None and self.hi <= 0 and (self.hi < 0 or self.open_hi):
            return "negative"
        if self.lo == 0 and not self.open_lo and self.hi is None:
            return "nonneg"
        if self.lo is None and self.hi is None:
            return "any"
        return "interval"

    def contains(self, v: Any) -> bool:
        v = sp.sympify(v)
        if not v.is_Rational:
            return self._contains_real(v)
        q = Fraction(int(v.p), int(v.q))
        if self.integer and q.denominator != 1:
            return False
        if self.nonzero and q == 0:
            return False
        if self.lo is not None and (q < self.lo or (self.open_lo and q == self.lo)):
            return False
        if self.hi is not None and (q > self.hi or (self.open_hi and q == self.hi)):
            return False
        if self.simplex and not 0 <= q <= 1:
            return False
        return True

    def _contains_real(self, v: Any) -> bool:
        """An exact real in closed form (√2, π/2: a root of a switch), by certified signs of
        its distances to the ends; False when a sign cannot be certified, and for an integer
        domain (a closed form that is an integer is not told from one that is not)."""
        from verifier.certify import UndefinedValue, exact_real, sign

        if self.integer or not exact_real(v):
            return False
        try:
            to = {end: sign(v - sp.Rational(end.numerator, end.denominator))
                  for end in (self.lo, self.hi, Fraction(0), Fraction(1)) if end is not None}
        except (UndefinedValue, TypeError, ValueError):
            return False
        if None in to.values():
            return False
        if self.nonzero and to[Fraction(0)] == 0:
            return False
        if self.lo is not None and (to[self.lo] < 0 or (self.open_lo and to[self.lo] == 0)):
            return False
        if self.hi is not None and (to[self.hi] > 0 or (self.open_hi and to[self.hi] == 0)):
            return False
        return not self.simplex or (to[Fraction(0)] >= 0 and to[Fraction(1)] <= 0)

    def intersect(self, other: Domain) -> Domain:
        lo, open_lo = self.lo, self.open_lo
        if other.lo is not None and (lo is None or other.lo > lo or
                                     (other.lo == lo and other.open_lo)):
            lo, open_lo = other.lo, other.open_lo
        hi, open_hi = self.hi, self.open_hi
        if other.hi is not None and (hi is None or other.hi < hi or
                                     (other.hi == hi and other.open_hi)):
            hi, open_hi = other.hi, other.open_hi
        out = Domain(lo, hi, open_lo, open_hi, self.nonzero or other.nonzero,
                     self.integer or other.integer, self.simplex or other.simplex)
        if out.empty:
            raise Contradictory(f"{self.describe()} and {other.describe()}")
        return out

    @property
    def empty(self) -> bool:
        lo, hi = self.lo, self.hi
        if self.integer:
            lo = None if lo is None else Fraction(int(lo) + (1 if self.open_lo or lo != int(lo)
                                                             else 0))
            hi = None if hi is None else Fraction(int(hi) - (1 if self.open_hi and hi == int(hi)
                                                             else 0))
            if lo is not None and hi is not None and lo > hi:
                return True
            return False
        if lo is None or hi is None:
            return False
        if lo > hi:
            return True
        if lo == hi:
            return self.open_lo or self.open_hi or (self.nonzero and lo == 0)
        return False

    def flags(self) -> dict[str, bool]:
        """SymPy assumptions implied by this domain (only ones that certainly hold)."""
        out: dict[str, bool] = {"real": True}
        if self.integer:
            out["integer"] = True
        if self.lo is not None and (self.lo > 0 or (self.lo == 0 and self.open_lo)):
            out["positive"] = True
        elif self.lo is not None and self.lo >= 0:
            out["nonnegative"] = True
        if self.hi is not None and (self.hi < 0 or (self.hi == 0 and self.open_hi)):
            out["negative"] = True
        elif self.hi is not None and self.hi <= 0:
            out["nonpositive"] = True
        if self.nonzero and "positive" not in out and "negative" not in out:
            out["nonzero"] = True
        return out

    def specials(self) -> list[sp.Rational]:
        """The special points of this domain: 0, ±1, 10^±k, large integers, its ends."""
        if self.simplex:  # every free entry at once: the uniform vector, then a vertex
            # (equality cases: max p > 1/n, ‖p‖² > 1/n and entropy < log n fail at 1/n only)
            return [sp.Rational(1, self.simplex), sp.Integer(0)]
        if self.integer:
            lo, hi = _integer_ends(self)
            pool = [Fraction(v) for v in (lo, lo + 1, 7, 10, 23)]
            if hi is not None:
                pool += [Fraction(hi), Fraction(hi - 1)]
        else:
            pool = SPECIAL_VALUES + _edges(self)
        out = [sp.Rational(v.numerator, v.denominator) for v in dict.fromkeys(pool)]
        return [v for v in out if self.contains(v)]

    def describe(self) -> str:
        kind = self.kind
        # a bounded interval is "positive" to the sampler, not in a message: x in (0, 1) and
        # x in [1, 2] read "(positive and positive)"
        whole = (kind == "positive" and self.hi is None) or (kind == "negative" and self.lo is None)
        if kind in ("any", "nonneg", "integer", "simplex") or whole:
            return kind
        lo = "-∞" if self.lo is None else str(self.lo)
        hi = "∞" if self.hi is None else str(self.hi)
        return f"{'(' if self.open_lo else '['}{lo}, {hi}{')' if self.open_hi else ']'}"


ANY = Domain()
POSITIVE = Domain(lo=Fraction(0))
INTEGER = Domain(lo=Fraction(1), open_lo=False, integer=True)
BINARY = Domain(lo=Fraction(0), hi=Fraction(1), open_lo=False, open_hi=False, integer=True)


def _integer_ends(dom: Domain) -> tuple[int, int | None]:
    """The smallest and largest integer of an integer domain (None: no largest)."""
    import math

    hi = None
    if dom.hi is not None:
        hi = math.floor(dom.hi)
        if dom.open_hi and hi == dom.hi:
            hi -= 1
    if dom.lo is not None:
        lo = math.ceil(dom.lo)
        if dom.open_lo and lo == dom.lo:
            lo += 1
    else:
        lo = hi - 6 if hi is not None else 1
    return lo, hi


def _range_domain(a: Assumption, sizes: dict[str, int] | None) -> Domain:
    """t in lo..hi: the integers from lo to hi; an end that is a dimension takes its size, or
    is left open when the sizes are not known (a wider set: never wrongly narrower)."""
    ends: list[Fraction | None] = []
    for b in a.bounds or (None, None):
        if isinstance(b, int):
            ends.append(Fraction(b))
        elif sizes is not None and b in sizes:
            ends.append(Fraction(sizes[b]))
        else:
            ends.append(None)
    return Domain(ends[0], ends[1], open_lo=False, open_hi=False, integer=True)

_SIGN_DOMAINS = {
    "positive": POSITIVE,
    "negative": Domain(hi=Fraction(0)),
    "nonnegative": Domain(lo=Fraction(0), open_lo=False),
    "nonzero": Domain(nonzero=True),
}


def _interval_domain(a: Assumption) -> Domain:
    _, _, open_lo, open_hi = a.interval  # type: ignore[misc]
    lo, hi = exact_ends(a)  # as written: 0.10000000000000000001 is not the float 0.1
    return Domain(lo, hi, open_lo, open_hi)


def scalar_domain(claim: Claim, name: str, sizes: dict[str, int] | None = None) -> Domain:
    """The intersection of every sign, interval, range and binary assumption on a scalar (or
    integer).  ``sizes`` resolves a range's dimension ends (without them they are open)."""
    decl = claim.decls[name]
    dom = INTEGER if decl.kind == "integer" else ANY
    for a in claim.assumptions:
        if a.names[0] != name or a.compound:
            continue
        if a.kind in _SIGN_DOMAINS:
            part = _SIGN_DOMAINS[a.kind]
        elif a.kind == "interval":
            part = _interval_domain(a)
        elif a.kind == "range":
            part = _range_domain(a, sizes)
        elif a.kind == "binary":
            part = BINARY
        else:
            continue
        try:
            dom = dom.intersect(part)
        except Contradictory as exc:
            raise Contradictory(f"no value of {name} satisfies every assumption on it "
                                f"({exc})") from None
    return dom


def entry_domain(claim: Claim, name: str) -> Domain:
    """The domain of each entry of a vector or matrix: its sign and interval assumptions
    ("p positive"), where nothing else shapes its entries; else ANY (the audit still checks
    the signs on every point). Most structures' parameters are not entries (a Cayley
    parameter of an orthogonal Q, a Cholesky factor's), so a sign must never narrow them;
    a symmetric or diagonal matrix's parameters are its own entries. A discrete, a
    probability or a commuting symbol has its own values."""
    shaped = ("sums to 1", "commute", "skew-symmetric", "orthogonal", "positive definite",
              *DISCRETE)
    if any(name in a.names and a.kind in shaped for a in claim.assumptions if not a.compound):
        return ANY
    return scalar_domain(claim, name)


# assumptions that leave a symbol's entries non-negative (or of one sign)
_ONE_SIGNED = ("binary", "one-hot", "sums to 1")


def one_signed(claim: Claim, name: str) -> bool:
    """Are the entries of ``name`` assumed all ≥ 0 or all ≤ 0 (binary, one-hot, a sign, an
    interval on one side of 0)?"""
    if any(a.kind in _ONE_SIGNED and name in a.names for a in claim.assumptions):
        return True
    try:
        dom = scalar_domain(claim, name)
    except (Contradictory, KeyError):
        return False
    return (dom.lo is not None and dom.lo >= 0) or (dom.hi is not None and dom.hi <= 0)


def sign_filtered_finite(claim: Claim) -> list[str]:
    """Matrices assumed orthogonal (not diagonal) with one-signed entries: a finite set of
    signed permutation matrices that the orthogonal parametrisation reaches at a few points
    at most (the sign is only checked on the values), so agreement there is no evidence."""
    discrete = discrete_symbols(claim)  # binary, one-hot: enumerated, not parametrised
    return [d.name for d in claim.symbols if d.is_square and d.name not in discrete
            and {"orthogonal"} <= matrix_properties(claim, d.name)
            and "diagonal" not in matrix_properties(claim, d.name)
            and one_signed(claim, d.name)]


# ----- matrix structures -----


def matrix_properties(claim: Claim, name: str) -> frozenset[str]:
    """The structural properties assumed of a matrix (``invertible`` is checked on values)."""
    return frozenset(a.kind for a in claim.assumptions
                     if a.names[0] == name and a.kind in STRUCTURAL)


STRUCTURAL = ("symmetric", "skew-symmetric", "diagonal", "orthogonal", "positive definite")

Params = dict  # parameter symbol -> Domain
Draw = Callable[[Domain], sp.Rational]


def entry_name(prefix: str, i: int, j: int | None = None) -> str:
    """The name of entry (i, j) (0-based) of a matrix, or i of a vector (j None): X_12, x_3.
    Past the ninth row or column the numbers are parted (X_1_11): run together, entries
    (0, 10) and (10, 0) of an 11×11 matrix were both X_111, one symbol, and a claim true only
    for such a matrix was proved at its size."""
    if j is None:
        return f"{prefix}_{i + 1}"
    return f"{prefix}_{i + 1}{j + 1}" if i < 9 and j < 9 else f"{prefix}_{i + 1}_{j + 1}"


def _entry(prefix: str, i: int, j: int, **flags) -> sp.Symbol:
    return sp.Symbol(entry_name(prefix, i, j), real=True, **flags)


def _skew(prefix: str, n: int) -> tuple[sp.Matrix, Params]:
    k = sp.zeros(n, n)
    params: Params = {}
    for i in range(n):
        for j in range(i + 1, n):
            s = _entry(prefix, i, j)
            k[i, j], k[j, i] = s, -s
            params[s] = ANY
    return k, params


def _cayley(k: sp.Matrix) -> sp.Matrix:
    """(I − K)(I + K)⁻¹: orthogonal with det +1 for every skew K (I + K is invertible)."""
    n = k.shape[0]
    a = sp.eye(n) + k
    inv = a.adjugate(method="berkowitz") / a.det(method="berkowitz")
    return ((sp.eye(n) - k) * inv).applyfunc(sp.cancel)


def _reflect(n: int, count: int) -> sp.Matrix:
    """diag(−1 … −1, 1 … 1) with ``count`` entries −1."""
    return sp.diag(*([-1] * count + [1] * (n - count)))


def _orthogonal_component(prefix: str, n: int, comp: int) -> tuple[sp.Matrix, Params]:
    """D·C(K), D the diagonal sign matrix whose −1s are the bits of ``comp`` (0: I, 1:
    diag(−1, 1, …)): every orthogonal matrix is one of these (Liebeck & Osborne, "The
    generation of all rational orthogonal matrices", Amer. Math. Monthly 98, 1991)."""
    k, params = _skew(prefix, n)
    return _diag_signs(n, comp) * _cayley(k), params


def _all_signs(n: int) -> int:
    return 2**n


def _two(n: int) -> int:
    return 2


def _concrete_skew(n: int, draw: Draw) -> sp.Matrix:
    k = sp.zeros(n, n)
    for i in range(n):
        for j in range(i + 1, n):
            v = draw(ANY)
            k[i, j], k[j, i] = v, -v
    return k


def _concrete_cayley(n: int, draw: Draw) -> sp.Matrix:
    k = _concrete_skew(n, draw)
    return (sp.eye(n) - k) * (sp.eye(n) + k).inv()


@dataclass(frozen=True)
class Structure:
    """A parametrisation of a set of n×n matrices, as ``components(n)`` pieces.

    ``symbolic(prefix, n, c)``: the matrix in new parameter symbols, and their domains.
    ``concrete(n, c, draw)``: a rational matrix of component c, parameters drawn by ``draw``.
    ``exact``: the pieces cover the set (or a dense part of each of its components).
    """

    name: str
    components: Callable[[int], int]
    symbolic: Callable[[str, int, int], tuple[sp.Matrix, Params]]
    concrete: Callable[[int, int, Draw], sp.Matrix]
    exact: bool = True
    # how many of the first components already cover a dense part of every connected
    # component of the set (None: all of them are needed)
    dense: Callable[[int], int] | None = None

    def needed(self, n: int, continuous: bool) -> int:
        """The components a proof must go through: the dense ones suffice for a claim
        continuous in this matrix, every one is needed where a comparison can switch."""
        count = self.components(n)
        return min(count, self.dense(n)) if continuous and self.dense is not None else count


def _one(n: int) -> int:
    return 1


def _free_sym(prefix: str, n: int, c: int) -> tuple[sp.Matrix, Params]:
    m = sp.Matrix(n, n, lambda i, j: _entry(prefix, i, j))
    return m, {e: ANY for e in m}


def _symmetric_sym(prefix: str, n: int, c: int) -> tuple[sp.Matrix, Params]:
    m = sp.Matrix(n, n, lambda i, j: _entry(prefix, min(i, j), max(i, j)))
    return m, {m[i, j]: ANY for i in range(n) for j in range(i, n)}


def _skew_sym(prefix: str, n: int, c: int) -> tuple[sp.Matrix, Params]:
    return _skew(prefix, n)


def _diagonal_sym(prefix: str, n: int, c: int, dom: Domain = ANY) -> tuple[sp.Matrix, Params]:
    flags = {"positive": True} if dom is POSITIVE else {}
    d = [_entry(prefix, i, i, **flags) for i in range(n)]
    return sp.diag(*d), {s: dom for s in d}


def _pd_sym(prefix: str, n: int, c: int) -> tuple[sp.Matrix, Params]:
    low = sp.zeros(n, n)
    params: Params = {}
    for i in range(n):
        for j in range(i + 1):
            s = _entry(prefix, i, j, **({"positive": True} if i == j else {}))
            low[i, j] = s
            params[s] = POSITIVE if i == j else ANY
    return low * low.T, params


def _sym_orth_sym(prefix: str, n: int, c: int) -> tuple[sp.Matrix, Params]:
    """R Dₖ Rᵀ with k = c mod (n + 1) entries −1 and R = D·C(K), D's −1s the bits of
    c // (n + 1): D Dₖ D = Dₖ, so D only conjugates, and with every D it is onto."""
    k, params = _skew(prefix, n)
    r = _diag_signs(n, c // (n + 1)) * _cayley(k)
    return (r * _reflect(n, c % (n + 1)) * r.T).applyfunc(sp.cancel), params


def _sym_orth_conc(n: int, c: int, draw: Draw) -> sp.Matrix:
    r = _diag_signs(n, c // (n + 1)) * _concrete_cayley(n, draw)
    return r * _reflect(n, c % (n + 1)) * r.T


def _diag_orth_sym(prefix: str, n: int, c: int) -> tuple[sp.Matrix, Params]:
    return _diag_signs(n, c), {}


def _diag_signs(n: int, c: int) -> sp.Matrix:
    """Component c of the 2ⁿ diagonal orthogonal matrices: the bits of c are the −1s."""
    return sp.diag(*[-1 if (c >> i) & 1 else 1 for i in range(n)])


def _skew_orth_j(n: int) -> sp.Matrix:
    j = sp.zeros(n, n)
    for i in range(0, n, 2):
        j[i, i + 1], j[i + 1, i] = 1, -1
    return j


def _skew_orth_sym(prefix: str, n: int, c: int) -> tuple[sp.Matrix, Params]:
    if n % 2:  # no component (an odd skew matrix is singular); J would index past the end
        raise Contradictory(f"no {n}×{n} matrix is orthogonal and skew-symmetric")
    r, params = _orthogonal_component(prefix, n, c)
    return (r * _skew_orth_j(n) * r.T).applyfunc(sp.cancel), params


def _zero_sym(prefix: str, n: int, c: int) -> tuple[sp.Matrix, Params]:
    return sp.zeros(n, n), {}


def _identity_sym(prefix: str, n: int, c: int) -> tuple[sp.Matrix, Params]:
    return sp.eye(n), {}


def _free_conc(n: int, c: int, draw: Draw) -> sp.Matrix:
    return sp.Matrix(n, n, lambda i, j: draw(ANY))


def _symmetric_conc(n: int, c: int, draw: Draw) -> sp.Matrix:
    m = _free_conc(n, c, draw)
    return sp.Matrix(n, n, lambda i, j: m[min(i, j), max(i, j)])


def _pd_conc(n: int, c: int, draw: Draw) -> sp.Matrix:
    low = sp.Matrix(n, n, lambda i, j: draw(POSITIVE) if i == j else (draw(ANY) if j < i else 0))
    return low * low.T


STRUCTURES: dict[frozenset[str], Structure] = {}


def _register(props: tuple[str, ...], s: Structure) -> None:
    STRUCTURES[frozenset(props)] = s


_register((), Structure("free", _one, _free_sym, _free_conc))
_register(("symmetric",), Structure("symmetric", _one, _symmetric_sym, _symmetric_conc))
_register(("skew-symmetric",), Structure(
    "skew-symmetric", _one, _skew_sym, lambda n, c, draw: _concrete_skew(n, draw)))
for _props in (("diagonal",), ("diagonal", "symmetric")):
    _register(_props, Structure(
        "diagonal", _one, _diagonal_sym, lambda n, c, draw: sp.diag(*[draw(ANY) for _ in
                                                                      range(n)])))
for _props in (("positive definite",), ("positive definite", "symmetric")):
    _register(_props, Structure("positive definite", _one, _pd_sym, _pd_conc))
_register(("orthogonal",), Structure(
    "orthogonal", _all_signs, lambda p, n, c: _orthogonal_component(p, n, c),
    lambda n, c, draw: _diag_signs(n, c) * _concrete_cayley(n, draw), dense=_two))
_register(("orthogonal", "symmetric"), Structure(
    "symmetric orthogonal", lambda n: (n + 1) * 2**n, _sym_orth_sym, _sym_orth_conc,
    dense=lambda n: n + 1))
for _props in (("orthogonal", "diagonal"), ("orthogonal", "diagonal", "symmetric")):
    _register(_props, Structure("diagonal orthogonal", lambda n: 2**n, _diag_orth_sym,
                                lambda n, c, draw: _diag_signs(n, c)))


def _skew_orth_components(n: int) -> int:
    return 2**n if n % 2 == 0 else 0  # an odd skew matrix is singular: no orthogonal one


def _skew_orth_dense(n: int) -> int:
    return 2 if n % 2 == 0 else 0


_register(("orthogonal", "skew-symmetric"), Structure(
    "skew-symmetric orthogonal", _skew_orth_components, _skew_orth_sym,
    lambda n, c, draw: (lambda r: r * _skew_orth_j(n) * r.T)(
        _diag_signs(n, c) * _concrete_cayley(n, draw)), dense=_skew_orth_dense))
for _props in (("diagonal", "positive definite"),
               ("diagonal", "positive definite", "symmetric")):
    _register(_props, Structure(
        "diagonal positive definite", _one,
        lambda p, n, c: _diagonal_sym(p, n, c, POSITIVE),
        lambda n, c, draw: sp.diag(*[draw(POSITIVE) for _ in range(n)])))
for _extra in ((), ("symmetric",), ("diagonal",), ("diagonal", "symmetric")):
    _register(("orthogonal", "positive definite") + _extra, Structure(
        "identity", _one, _identity_sym, lambda n, c, draw: sp.eye(n)))
for _props in (("symmetric", "skew-symmetric"), ("diagonal", "skew-symmetric"),
               ("diagonal", "symmetric", "skew-symmetric")):
    _register(_props, Structure("zero", _one, _zero_sym, lambda n, c, draw: sp.zeros(n, n)))
for _props in (("positive definite", "skew-symmetric"),):
    # a skew matrix has xᵀMx = 0: never positive definite
    _register(_props, Structure("empty", lambda n: 0, _zero_sym,
                                lambda n, c, draw: sp.zeros(n, n)))


def structure_for(props: frozenset[str]) -> Structure | None:
    """The parametrisation of exactly this set of properties, or None if none is known."""
    return STRUCTURES.get(props)


def largest_known_subset(props: frozenset[str]) -> Structure:
    """For sampling only: a structure satisfying as many of ``props`` as is known."""
    for size in range(len(props), -1, -1):
        for sub in itertools.combinations(sorted(props), size):
            s = STRUCTURES.get(frozenset(sub))
            if s is not None:
                return s
    return STRUCTURES[frozenset()]


# ----- commuting pairs -----


@dataclass(frozen=True)
class CommutePlan:
    """Which matrices are polynomials in which: ``derived[B] = A`` means B = Σ cₖ Aᵏ."""

    derived: dict[str, str] = field(default_factory=dict)
    order: tuple[str, ...] = ()  # derived symbols, each after its source
    # why B = p(A) reaches only part of the set ("": it covers a dense part): then the plan
    # is for sampling only, and the sampler also tries c·I for a commuting symbol
    gap: str = ""


# what a polynomial in A inherits from A (so B's own assumptions are met)
_INHERITED = {"symmetric": {"symmetric"}, "diagonal": {"diagonal", "symmetric"}}


def commute_plan(claim: Claim) -> CommutePlan | str:
    """Orient each ``A and B commute`` so every symbol derives from at most one other.

    Returns the plan, or a reason why no known parametrisation covers these assumptions.
    Generic commuting pairs are dense: a matrix with distinct eigenvalues commutes exactly
    with the polynomials in it, and such matrices are dense.
    """
    derived: dict[str, str] = {}
    for a in claim.assumptions:
        if a.kind != "commute":
            continue
        x, y = a.names
        # a free A commuting with a skew B is drawn as p(B): B = p(A) skew is 0 for a
        # generic A, and the pairs A = p(B) (tr(AB) ≠ 0) were never drawn
        for b, src in sorted(((y, x), (x, y)), key=lambda o: _skew_copy(claim, *o)):
            if b not in derived and not _reaches(derived, src, b):
                derived[b] = src
                break
        else:
            return f"no known parametrisation of the commuting assumptions on {x} and {y}"
    order: list[str] = []
    for b in derived:
        chain = []
        while b in derived and b not in order and b not in chain:
            chain.append(b)
            b = derived[b]
        order.extend(reversed(chain))
    for b, src in derived.items():
        own = matrix_properties(claim, b)
        allowed: set[str] = set()
        for p in matrix_properties(claim, src):
            allowed |= _INHERITED.get(p, set())
        if not own <= allowed:
            return (f"no known parametrisation of {b} commuting with {src} and "
                    f"{', '.join(sorted(own - allowed))}")
    return CommutePlan(derived, tuple(dict.fromkeys(order)), _coverage_gap(claim, derived))


def _skew_copy(claim: Claim, b: str, src: str) -> bool:
    """Would ``b`` = p(``src``) be a skew matrix drawn as a polynomial in a matrix that is
    not skew (0 in general), where ``src`` = p(``b``) is not skew?"""
    return ("skew-symmetric" in matrix_properties(claim, b)
            and "skew-symmetric" not in matrix_properties(claim, src)
            and not matrix_properties(claim, src))


def _normal_props(claim: Claim, name: str) -> frozenset[str]:
    props = matrix_properties(claim, name)
    return props | {"symmetric"} if "diagonal" in props else props


def _coverage_gap(claim: Claim, derived: dict[str, str]) -> str:
    """Why the pairs (A, p(A)) are not dense in the set the commuting assumptions define, or
    "".  They are dense only for one pair of free matrices (the commuting variety is
    irreducible), of two symmetric ones (diagonalised together) or of two diagonal ones.
    A symbol in two pairs, or a structure on one side only, adds a component the
    polynomials miss: A = cI commutes with every B (A symmetric, B not; A ~ B ~ C with A, C
    free), and that component is larger than the generic one."""
    seen: dict[str, int] = {}
    for a in claim.assumptions:
        if a.kind == "commute":
            for x in a.names:
                seen[x] = seen.get(x, 0) + 1
    shared = sorted(x for x, k in seen.items() if k > 1)
    jump = _discontinuity(claim) if seen else ""
    if jump:
        return (f"the claim has {jump}: B = p(A) is dense in the commuting pairs, but a claim "
                f"that is not continuous may fail off it (A = cI commutes with any B)")
    if shared:
        return (f"{shared[0]} commutes with two matrices: B = p(A) misses "
                f"{shared[0]} = cI, which commutes with any")
    for b, src in derived.items():
        pb, pa = _normal_props(claim, b), _normal_props(claim, src)
        if pa != pb or pa not in (frozenset(), frozenset({"symmetric"}),
                                  frozenset({"diagonal", "symmetric"})):
            return (f"{src} and {b} commute with different or unparametrised structures: "
                    f"B = p(A) misses A = cI, which commutes with any B")
        try:
            signed = scalar_domain(claim, b) != ANY or scalar_domain(claim, src) != ANY
        except Contradictory:
            signed = True
        if signed:
            return f"signs of the entries of the commuting {src} and {b} are not parametrised"
    return ""


_DERIVATIVES = ("grad", "jacobian", "hessian")


def _discontinuity(claim: Claim) -> str:
    """What makes the claim's sides possibly discontinuous in the values ("" if nothing):
    a comparison of real values (1[a > b] jumps at a = b), the derivative of a function with
    a kink (relu, abs, max, min), or a side given as a Python builder, which cannot be
    read.  Agreement on a dense set proves nothing of such a claim elsewhere."""
    from verifier.language.evaluate import CompiledExpr
    from verifier.language.functions import KINKED as _KINKED
    from verifier.language.tree import Call, Compare, walk

    sides = [claim.lhs, claim.rhs, claim.f]
    for side in sides:
        if side is None:
            continue
        if not isinstance(side, CompiledExpr):
            return "a side given as a Python builder"
        for node in walk(side.tree):
            if isinstance(node, Compare) and not node.discrete:
                return "a comparison of real values"
            if isinstance(node, Call) and node.fn in _DERIVATIVES and any(
                    isinstance(m, Call) and m.fn in _KINKED
                    for a in node.args for m in walk(a)):
                return f"a derivative of a kink ({node.fn} of a kinked function)"
    if claim.kind == "gradient" and isinstance(claim.f, CompiledExpr) and any(
            isinstance(m, Call) and m.fn in _KINKED for m in walk(claim.f.tree)):
        return "a derivative of a kink"
    return ""


def spread_simplex(n: int, rng: random.Random) -> list[sp.Rational]:
    """A probability vector with positive entries, w / Σw for small integer weights, one of
    them often much heavier: the free entries are drawn below 1/n otherwise, so a claim
    false only where a free entry is near 1 ((p₀ < 9/10) = 1 with p positive) was
    "checked"."""
    w = [rng.randint(1, 9) for _ in range(n)]
    if rng.random() < 0.5:
        w[rng.randrange(n)] *= rng.choice((10, 100, 10**4))
    total = sum(w)
    return [sp.Rational(x, total) for x in w]


def signed_permutations(props: frozenset[str], n: int, rng: random.Random,
                        count: int = 4) -> list[sp.Matrix]:
    """Signed permutation matrices in the orthogonal set ``props`` names: the reversal
    (symmetric), a cyclic shift, then random ones of the structure.  No rational Cayley
    parameter reaches them in a symmetric or skew component ([[0, 1], [1, 0]] is R D₁ Rᵀ
    with R a rotation by π/4, tan(π/8) irrational), yet a comparison on entries switches
    there: (|Q₀₂| < 1) = 1 with Q symmetric orthogonal 3×3 (false at a swap) was
    "checked", and "holds if Q symmetric" was offered for (Q₀₀² + Q₁₁² > 0) = 1."""
    if "orthogonal" not in props or "positive definite" in props or "diagonal" in props:
        return []  # I, or the ±1 diagonals every component already is
    if "skew-symmetric" in props:
        return [] if n % 2 else [_skew_matching(n, rng) for _ in range(count)]
    reverse = sp.Matrix(n, n, lambda i, j: 1 if i + j == n - 1 else 0)
    if "symmetric" in props:
        return [reverse] + [_signed_involution(n, rng) for _ in range(count - 1)]
    shift = sp.Matrix(n, n, lambda i, j: 1 if j == (i + 1) % n else 0)
    out = [reverse, shift]
    for _ in range(count - 2):
        order = list(range(n))
        rng.shuffle(order)
        out.append(sp.Matrix(n, n, lambda i, j, o=order: rng.choice((-1, 1)) if j == o[i]
                             else 0))
    return out


# every vertex of a box up to this many (a 3×3 matrix: 512, about 1 s of exact evaluation),
# else this many drawn at random
CORNERS = 512
RANDOM_CORNERS = 32


def box_corners(dom: Domain, count: int, rng: random.Random) -> list[list[sp.Rational]]:
    """Vertices of the box dom^count (dom a closed bounded interval; none otherwise): each
    entry at one end.  A multilinear claim takes its extremes there and nowhere else in
    general: (det A < 2) = 1 for A 3×3 with entries in [0, 1] fails at three of the 512
    vertices alone (det = 2; 64 drawn missed them about half the time), (det A > −1) = 1 for
    2×2 at the swap alone; both were "checked", every special point having its entries all
    at one value."""
    if dom.lo is None or dom.hi is None or dom.open_lo or dom.open_hi or dom.lo == dom.hi:
        return []
    ends = (sp.Rational(dom.lo.numerator, dom.lo.denominator),
            sp.Rational(dom.hi.numerator, dom.hi.denominator))
    if count <= 30 and 2**count <= CORNERS:
        codes = range(2**count)
    else:
        codes = [rng.getrandbits(count) for _ in range(RANDOM_CORNERS)]
    return [[ends[(c >> k) & 1] for k in range(count)] for c in codes]


def _signed_involution(n: int, rng: random.Random) -> sp.Matrix:
    """A symmetric signed permutation: some pairs swapped (one sign a pair), ±1 elsewhere."""
    order = list(range(n))
    rng.shuffle(order)
    pairs = rng.randint(1, n // 2) if n > 1 else 0
    m = sp.zeros(n, n)
    for k in range(pairs):
        i, j, s = order[2 * k], order[2 * k + 1], rng.choice((-1, 1))
        m[i, j] = m[j, i] = s
    for i in order[2 * pairs:]:
        m[i, i] = rng.choice((-1, 1))
    return m


def _skew_matching(n: int, rng: random.Random) -> sp.Matrix:
    """A skew-symmetric signed permutation (n even): every index paired, m[j, i] = −m[i, j]."""
    order = list(range(n))
    rng.shuffle(order)
    m = sp.zeros(n, n)
    for k in range(n // 2):
        i, j, s = order[2 * k], order[2 * k + 1], rng.choice((-1, 1))
        m[i, j], m[j, i] = s, -s
    return m


def _origin(dom: Domain) -> sp.Rational:
    """Every parameter at 0 (an orthogonal structure's parameters are free)."""
    return sp.Integer(0)


def _scalar_identity(props: frozenset[str], n: int, rng: random.Random) -> sp.Matrix:
    """cI with c allowed by the structure (0 if skew, 1 if orthogonal or definite)."""
    if "skew-symmetric" in props:
        return sp.zeros(n, n)
    if props & {"orthogonal", "positive definite"}:
        return sp.eye(n)
    return rng.choice((-2, -1, 1, 2, 3)) * sp.eye(n)


def _identity_hubs(claim: Claim, plan: CommutePlan, rng: random.Random) -> tuple[set[str], bool]:
    """Where the plan misses a component (``plan.gap``), half of the points make one of the
    commuting matrices (the hub) a multiple of I or, at half of those (``split``), a matrix
    whose eigenspaces split the space in two or more (A = S diag(λ₁I_k₁, …, λᵣI_kᵣ) S⁻¹,
    commuting with S diag(X₁, …, Xᵣ) S⁻¹ for any blocks), or one with Jordan blocks
    (``_split_values``): components that B = p(A) misses, and a claim can fail on one
    alone."""
    if not plan.gap or rng.random() < 0.5:
        return set(), False
    return _hub(claim, rng)


def _hub(claim: Claim, rng: random.Random) -> tuple[set[str], bool]:
    """One commuting matrix to make cI (or, ``split``, give eigenspaces or Jordan blocks)."""
    names = sorted({x for a in claim.assumptions if a.kind == "commute" for x in a.names})
    # a matrix commuting with several others first: as cI (or split) it frees them all,
    # where a leaf as cI is a constant polynomial in its partner, a point already tried
    most = max(len(_partners(claim, x)) for x in names)
    best = [x for x in names if len(_partners(claim, x)) == most]
    # B = p(A) already covers B = cI (a constant polynomial): of a pair, A is the hub
    plan = commute_plan(claim)
    # (a skew source has no split and is 0 as cI: its free partner is the hub too)
    sources = [x for x in best if isinstance(plan, CommutePlan) and x not in plan.derived
               and "skew-symmetric" not in matrix_properties(claim, x)]
    hub = rng.choice(sources or best)
    return {hub}, rng.random() < 0.5


def _partners(claim: Claim, name: str) -> list[str]:
    """The symbols assumed to commute with ``name``."""
    out = []
    for a in claim.assumptions:
        if a.kind == "commute" and name in a.names:
            out.extend(x for x in a.names if x != name and x not in out)
    return out


def _block(props: frozenset[str], k: int, rng: random.Random, draw: Draw) -> sp.Matrix | None:
    """A k×k block with the structure ``props`` (None: no parametrisation)."""
    s = structure_for(props)
    if s is None or k == 0:
        return None if s is None else sp.zeros(0, 0)
    count = s.components(k)
    return s.concrete(k, rng.randrange(count), draw) if count else None


def _split_values(claim: Claim, hub: str, n: int, rng: random.Random,
                  draw: Draw, generic: bool = True) -> dict[str, sp.Matrix] | None:
    """A hub that is not cI, and each partner in its commutant, each with its own structure.

    The hub is S diag(λ₁I_k₁, …, λᵣI_kᵣ) S⁻¹ for a random split k₁ + … + kᵣ = n into r ≥ 2
    parts with distinct λs (r = n: distinct eigenvalues, the partners polynomials in it;
    2 < r < n: three or more eigenspaces, some repeated), each partner S diag(X₁, …, Xᵣ) S⁻¹
    with blocks of its own structure: S a signed permutation when a diagonal matrix is
    involved, else orthogonal (so symmetric, orthogonal, definite and skew blocks stay so).
    A hub with no structure (free or invertible) is, at a third of the points, not
    diagonalisable: P J P⁻¹ with Jordan blocks (J₂(λ) ⊕ λ: derogatory), each partner drawn
    from the whole commutant (solved exactly) where its structure is linear.  None where no
    such pair exists (a skew hub, a structure without a parametrisation).  ``generic``: r = n
    too (not where the partners are drawn as polynomials in the hub at other points)."""
    partners = _partners(claim, hub)
    hub_props = _normal_props(claim, hub)
    everyone = [hub_props] + [_normal_props(claim, p) for p in partners]
    if n < 2 or "skew-symmetric" in hub_props or not partners or any(
            claim.decls[p].dims[0] != claim.decls[hub].dims[0] for p in partners):
        return None
    if not hub_props and all(props <= _LINEAR for props in everyone[1:]) \
            and rng.random() < 1 / 3:
        found = _jordan_values(claim, hub, partners, n, rng, draw)
        if found is not None:
            return found
    if "orthogonal" in hub_props:
        pool: tuple = (1, -1)
    elif "positive definite" in hub_props:
        pool = (1, 2, 3, sp.Rational(1, 2), 5, sp.Rational(1, 3))
    elif _invertible(claim, hub):
        pool = (1, -1, 2, -2, 3, sp.Rational(1, 2), -3, 5)
    else:
        pool = (1, -1, 2, -2, 3, sp.Rational(1, 2), 0, -3)
    most = min(n if generic else n - 1, len(pool))
    if most < 2:
        return None
    parts = _composition(n, most, rng)
    lams = rng.sample(pool, len(parts))
    perm = list(range(n))
    rng.shuffle(perm)
    p = sp.Matrix(n, n, lambda i, j: (rng.choice((1, -1)) if perm[i] == j else 0))
    if any("diagonal" in props for props in everyone):
        s = p
    else:
        s = p * _concrete_cayley(n, draw)
    s_inv = s.T  # orthogonal either way
    out = {hub: s * sp.diag(*[lam for lam, k in zip(lams, parts, strict=True)
                              for _ in range(k)]) * s_inv}
    for name in partners:
        props = _normal_props(claim, name)
        for _ in range(4):  # an invertible partner: a singular draw is drawn again
            blocks = [_block(props, k, rng, draw) for k in parts]
            if any(b is None for b in blocks):
                return None
            if not _invertible(claim, name) or all(b.det() != 0 for b in blocks):
                break
        out[name] = s * sp.diag(*blocks) * s_inv
    return out


def _invertible(claim: Claim, name: str) -> bool:
    """Is the matrix ``name`` assumed invertible (checked on values, not parametrised)?"""
    return any(a.kind == "invertible" and a.names == (name,) and not a.compound
               for a in claim.assumptions)


# partner structures that are linear conditions on the entries (solved for exactly)
_LINEAR = frozenset({"symmetric", "skew-symmetric", "diagonal"})


def _composition(n: int, most: int, rng: random.Random) -> list[int]:
    """Block sizes k₁ + … + kᵣ = n, 2 ≤ r ≤ most, in a random order: r is drawn first (so
    that two, three, … and n eigenspaces are all frequent), then the cuts."""
    r = rng.randint(2, max(2, most))
    cuts = sorted(rng.sample(range(1, n), r - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, n], strict=True)]


def _jordan_values(claim: Claim, hub: str, partners: list[str], n: int, rng: random.Random,
                   draw: Draw) -> dict[str, sp.Matrix] | None:
    """A hub P J P⁻¹ with J in Jordan form, not diagonalisable (one block at least 2×2), and
    every partner a random element of its commutant that has the partner's (linear)
    structure, from an exact basis of the solutions of HB = BH."""
    from sympy.polys.matrices import DomainMatrix

    blocks = _composition(n, n, rng) if n > 2 else [2]
    if max(blocks) < 2:
        blocks[0:2] = [blocks[0] + blocks[1]]
    pool = [1, -1, 2, 3, sp.Rational(1, 2)] + ([] if _invertible(claim, hub) else [0])
    lams = [rng.choice(pool) for _ in blocks]
    if len(blocks) > 1 and rng.random() < 0.5:
        lams = [lams[0]] * len(blocks)  # one eigenvalue in several blocks: derogatory
    j = sp.zeros(n, n)
    at = 0
    for lam, k in zip(lams, blocks, strict=True):
        for i in range(k):
            j[at + i, at + i] = lam
            if i + 1 < k:
                j[at + i, at + i + 1] = 1
        at += k
    low = sp.Matrix(n, n, lambda r, c: 1 if r == c else (rng.randint(-2, 2) if r > c else 0))
    up = sp.Matrix(n, n, lambda r, c: 1 if r == c else (rng.randint(-2, 2) if r < c else 0))
    pm = low * up  # det 1: an exact inverse
    h = pm * j * pm.inv()
    out = {hub: h}
    for name in partners:
        props = _normal_props(claim, name)
        rows = []
        for r in range(n):
            for c in range(n):
                row = [sp.Integer(0)] * (n * n)
                for k in range(n):  # (HB − BH)[r, c] = Σₖ H[r, k] B[k, c] − B[r, k] H[k, c]
                    row[k * n + c] += h[r, k]
                    row[r * n + k] -= h[k, c]
                rows.append(row)
        for r in range(n):
            for c in range(n):
                if r == c and "skew-symmetric" not in props:
                    continue
                row = [sp.Integer(0)] * (n * n)
                if "diagonal" in props or (r == c):
                    row[r * n + c] = sp.Integer(1)
                elif r < c and "symmetric" in props:
                    row[r * n + c], row[c * n + r] = sp.Integer(1), sp.Integer(-1)
                elif r < c and "skew-symmetric" in props:
                    row[r * n + c], row[c * n + r] = sp.Integer(1), sp.Integer(1)
                else:
                    continue
                rows.append(row)
        basis = DomainMatrix.from_Matrix(sp.Matrix(rows)).to_field().nullspace().to_Matrix()
        if basis.rows == 0:
            return None
        vec = sp.zeros(1, n * n)
        for k in range(basis.rows):
            vec += draw(ANY) * basis[k, :]
        out[name] = sp.Matrix(n, n, list(vec))
    return out


def _reaches(derived: dict[str, str], start: str, target: str) -> bool:
    """Does following ``derived`` from ``start`` reach ``target``? (would make a cycle)"""
    seen = set()
    while start in derived and start not in seen:
        seen.add(start)
        start = derived[start]
        if start == target:
            return True
    return start == target


# ----- checks on concrete values -----


def _is_rational_matrix(m: Any) -> bool:
    return isinstance(m, sp.MatrixBase) and all(sp.sympify(e).is_Rational for e in m)


def _leading_minors_positive(m: sp.Matrix) -> bool:
    n = m.shape[0]
    return all(m[:k, :k].det(method="berkowitz") > 0 for k in range(1, n + 1))


_MATRIX_CHECKS: dict[str, Callable[[sp.Matrix], bool]] = {
    "symmetric": lambda m: m == m.T,
    "skew-symmetric": lambda m: m == -m.T,
    "diagonal": lambda m: all(m[i, j] == 0 for i in range(m.shape[0])
                              for j in range(m.shape[1]) if i != j),
    "orthogonal": lambda m: m.T * m == sp.eye(m.shape[0]),
    "positive definite": lambda m: m == m.T and _leading_minors_positive(m),
    "invertible": lambda m: m.det(method="berkowitz") != 0,
}


def _compound_holds(a: Assumption, values: dict[str, Any], claim: Claim) -> bool:
    """A condition on an expression ("X.T @ X invertible"): the expression built from the
    values, its determinant (invertible) or every entry (signs) certified."""
    from verifier.certify import UndefinedValue, sign
    from verifier.instantiate import concrete
    from verifier.language import ClaimInputError, compile_expression
    from verifier.ops import Undefined

    try:
        expr = compile_expression(a.names[0], claim.symbols, claim.layout, claim.assumptions)
        sizes = _sizes_of(claim, values)
        inst, _ = concrete(claim, sizes, values)
        v = expr(inst.env)
    except (ClaimInputError, Undefined, UndefinedValue, ValueError, TypeError, KeyError):
        return False
    try:
        if a.kind == "invertible":
            m = v if isinstance(v, sp.MatrixBase) else sp.Matrix([[v]])
            return m.shape[0] == m.shape[1] and sign(m.det(method="berkowitz")) not in (0, None)
        entries = list(v) if isinstance(v, sp.MatrixBase) else [v]
        signs = [sign(e) for e in entries]
    except UndefinedValue:
        return False
    if any(s is None for s in signs):
        return False
    test = {"positive": lambda s: s > 0, "negative": lambda s: s < 0,
            "nonnegative": lambda s: s >= 0, "nonzero": lambda s: s != 0}[a.kind]
    return all(test(s) for s in signs)


def _sizes_of(claim: Claim, values: dict[str, Any]) -> dict[str, int]:
    """The dimension sizes that the values' shapes give."""
    sizes: dict[str, int] = {}
    for d in claim.symbols:
        v = values.get(d.name)
        if isinstance(v, sp.MatrixBase):
            for dim, n in zip(d.shape, v.shape, strict=True):
                if isinstance(dim, str):
                    sizes[dim] = n
    return sizes


def _entries_rational(v: Any) -> list | None:
    """The entries of a rational scalar or matrix, else None."""
    if isinstance(v, sp.MatrixBase):
        return list(v) if _is_rational_matrix(v) else None
    v = sp.sympify(v)
    return [v] if v.is_Rational else None


def _binary_holds(v: Any) -> bool:
    entries = _entries_rational(v)
    return entries is not None and all(e in (0, 1) for e in entries)


def _one_hot_holds(v: Any, kind: str) -> bool:
    """A vector: exactly one entry 1, the others 0; a matrix: each row so."""
    if not (isinstance(v, sp.MatrixBase) and _binary_holds(v)):
        return False
    lines = [list(v)] if kind == "vector" else [list(v[i, :]) for i in range(v.rows)]
    return all(sum(line) == 1 for line in lines)


def holds(a: Assumption, values: dict[str, Any], claim: Claim) -> bool:
    """Does the assumption hold at these concrete values?  Exact; False when unsure."""
    if a.compound:
        return _compound_holds(a, values, claim)
    v = values.get(a.names[0])
    if v is None:
        return False
    if a.kind == "binary":
        return _binary_holds(v)
    if a.kind == "one-hot":
        return _one_hot_holds(v, claim.decls[a.names[0]].kind)
    if a.kind == "range":
        dom = _range_domain(a, _sizes_of(claim, values))
        if any(isinstance(b, str) and b not in _sizes_of(claim, values)
               for b in a.bounds or ()):
            return False  # an end whose size the values do not show: unsure
        return dom.contains(v)
    if a.kind in _MATRIX_CHECKS:
        return _is_rational_matrix(v) and _MATRIX_CHECKS[a.kind](v)
    if a.kind == "commute":
        w = values.get(a.names[1])
        return (_is_rational_matrix(v) and _is_rational_matrix(w) and v * w == w * v)
    if a.kind == "sums to 1":
        return (_is_rational_matrix(v) and sum(v) == 1 and all(e >= 0 for e in v))
    if a.kind in _SIGN_DOMAINS or a.kind == "interval":  # of every entry, for a matrix
        dom = _SIGN_DOMAINS[a.kind] if a.kind in _SIGN_DOMAINS else _interval_domain(a)
        entries = list(v) if isinstance(v, sp.MatrixBase) else [v]
        return all(dom.contains(e) for e in entries)
    return False


def violated(claim: Claim, values: dict[str, Any]) -> list[str]:
    """The claim's assumptions (and symbol kinds) that these values break."""
    out = [a.phrase() for a in claim.assumptions if not holds(a, values, claim)]
    for d in claim.symbols:
        v = values.get(d.name)
        if d.kind == "integer" and not INTEGER.contains(v):
            out.append(f"{d.name} a positive integer")
        if d.kind == "index":
            n = d.dims[0]
            if not (sp.sympify(v).is_Integer and 0 <= int(v) and
                    (not isinstance(n, int) or int(v) < n)):
                out.append(f"{d.name} an index")
    return out


# ----- sampling concrete rationals -----

_SMALL = [Fraction(v) for v in (1, -1, 2, -2, 3, -3)] + [
    Fraction(1, 2), Fraction(-1, 2), Fraction(3, 2), Fraction(-3, 2), Fraction(2, 3),
    Fraction(-5, 4)]
# the points where claims that hold "almost everywhere" fail, by kind, with their weights:
# 0 and ±1, tiny and huge magnitudes, integers beyond the small ones, the ends of a domain
_SPECIAL: tuple[tuple[float, list[Fraction]], ...] = (
    (0.3, [Fraction(0)]),
    (0.15, [Fraction(1), Fraction(-1)]),
    (0.15, [s * Fraction(1, 10**k) for k in (3, 6, 12, 30) for s in (1, -1)]
     + [Fraction(1, 10), Fraction(-1, 10)]),
    (0.15, [s * Fraction(10**k) for k in (3, 6, 12, 30) for s in (1, -1)]),
    (0.1, [Fraction(v) for v in (7, -7, 10, 37, -41, 100)]),
    (0.15, []),  # the ends of the domain (filled in per domain)
)


# generic values: no 0 or ±1, where polynomial identities hide their differences
_GENERIC = [Fraction(v) for v in (2, -2, 3, -3, 4)] + [
    Fraction(1, 2), Fraction(-1, 2), Fraction(3, 2), Fraction(-3, 2), Fraction(2, 3),
    Fraction(-5, 4), Fraction(5, 3), Fraction(-7, 3), Fraction(-5, 2)]
SPECIAL_VALUES = [Fraction(0), Fraction(1), Fraction(-1)] + [
    s * Fraction(1, 10**k) for k in (3, 6, 12, 30) for s in (1, -1)] + [
    s * Fraction(10**k) for k in (3, 30) for s in (1, -1)] + [Fraction(7), Fraction(100)]


def draw(dom: Domain, rng: random.Random, special: float = 0.0,
         generic: bool = False) -> sp.Rational:
    """A rational in ``dom``: small and readable, or with probability ``special`` one of
    the special points (0, ±1, 10^±k, larger integers, next to an end of the interval).
    ``generic``: avoid 0 and ±1 (evidence that two sides agree)."""
    if dom.simplex:
        return sp.Rational(rng.randint(1, 6), 7 * dom.simplex)
    if dom.integer:
        lo, hi = _integer_ends(dom)
        top = lo + 5 if hi is None else min(hi, lo + 5)
        if generic and (hi is None or hi >= lo + 2):
            return sp.Integer(rng.randint(lo + 1, lo + 6 if hi is None else min(hi, lo + 6)))
        if rng.random() < special:
            pool = [v for v in (lo, lo + 1, 7, 10, 23, 60, hi) if v is not None and
                    dom.contains(sp.Integer(v))]
            if pool:
                return sp.Integer(rng.choice(pool))
        return sp.Integer(rng.randint(lo, top))
    pool = (_GENERIC if generic else _SMALL) + _inner(dom)
    if rng.random() < special:
        weights = [w for w, _ in _SPECIAL]
        kind = rng.choices(range(len(_SPECIAL)), weights)[0]
        pool = _SPECIAL[kind][1] or _edges(dom)
    ok = [v for v in pool if dom.contains(sp.Rational(v.numerator, v.denominator))]
    if not ok:
        ok = [v for v in _SMALL + _inner(dom) + _edges(dom)
              if dom.contains(sp.Rational(v.numerator, v.denominator))]
    if not ok:
        raise Contradictory(f"no sample in {dom.describe()}")
    v = rng.choice(ok)
    return sp.Rational(v.numerator, v.denominator)


def _inner(dom: Domain) -> list[Fraction]:
    """Points strictly inside a bounded domain, or beside its one finite end."""
    lo, hi = dom.lo, dom.hi
    if lo is not None and hi is not None:
        return [lo + (hi - lo) * Fraction(k, 7) for k in range(1, 7)]
    if lo is not None:
        return [lo + Fraction(k, 2) for k in range(1, 6)]
    if hi is not None:
        return [hi - Fraction(k, 2) for k in range(1, 6)]
    return []


def _edges(dom: Domain) -> list[Fraction]:
    out: list[Fraction] = [Fraction(0), Fraction(1), Fraction(-1)]
    for k in (3, 12, 30):
        eps = Fraction(1, 10**k)
        if dom.lo is not None:
            out += [dom.lo, dom.lo + eps]
        if dom.hi is not None:
            out += [dom.hi, dom.hi - eps]
    if dom.lo is not None and dom.hi is not None:  # the centre: where x(1 − x) peaks
        out.append((dom.lo + dom.hi) / 2)
    return out


def shrink_candidates(dom: Domain) -> list[sp.Rational]:
    """Simpler values to try in place of a sampled one, simplest first."""
    if dom.simplex:
        return [sp.Rational(1, dom.simplex + 1)]
    cands = [Fraction(0), Fraction(1), Fraction(-1), Fraction(2), Fraction(1, 2)] + _inner(dom)
    return [sp.Rational(v.numerator, v.denominator) for v in dict.fromkeys(cands)
            if dom.contains(sp.Rational(v.numerator, v.denominator))]


def _square_size(claim: Claim, name: str, sizes: dict[str, int]) -> int:
    d = claim.decls[name].dims[0]
    return d if isinstance(d, int) else sizes[d]


def sample_values(
    claim: Claim,
    sizes: dict[str, int],
    index_values: dict[str, int],
    rng: random.Random,
    special: float = 0.0,
    generic: bool = False,
) -> dict[str, Any]:
    """Rational values for every symbol at these sizes, drawn to satisfy the assumptions
    where a parametrisation is known (then checked on the values by the audit anyway).

    Raises ``Contradictory`` when no value can satisfy them (an empty scalar domain, a
    structure with no matrix of this size)."""

    def pick(dom: Domain) -> sp.Rational:
        return draw(dom, rng, special, generic)

    plan = commute_plan(claim)
    derived = plan.derived if isinstance(plan, CommutePlan) else {}
    # pairs with no parametrisation (B orthogonal commuting with a skew Q; B symmetric
    # commuting with a free A; A commuting with B and C, which commute too): a hub at every
    # point, or no drawn pair would commute
    scalars, split = (_identity_hubs(claim, plan, rng) if isinstance(plan, CommutePlan)
                      else _hub(claim, rng))
    derived = {b: a for b, a in derived.items() if b not in scalars and a not in scalars}
    simplex = {a.names[0] for a in claim.assumptions if a.kind == "sums to 1"}
    discrete = discrete_symbols(claim)
    values: dict[str, Any] = {}
    for d in claim.symbols:
        if d.kind == "index":
            values[d.name] = sp.Integer(index_values.get(d.name, 0))
        elif d.kind in ("scalar", "integer"):
            values[d.name] = pick(scalar_domain(claim, d.name, sizes))
        elif d.name in discrete:  # (a discrete scalar is drawn from its domain above)
            count = discrete_count(claim, d.name, sizes)
            extremes = extreme_cases(claim, d.name, sizes)
            k = (rng.choice(extremes) if extremes and rng.random() < special / 2
                 else rng.randrange(count))
            values[d.name] = discrete_value(claim, d.name, sizes, k)
        elif d.name in derived:
            continue
        elif d.is_square:
            n = _square_size(claim, d.name, sizes)
            props = matrix_properties(claim, d.name)
            s = structure_for(props) or largest_known_subset(props)
            count = s.components(n)
            if count == 0:
                raise Contradictory(f"no {n}×{n} matrix is {' and '.join(sorted(props))}")
            entry = entry_domain(claim, d.name)  # ANY where the parameters are not entries
            draw_entry = pick if entry == ANY else lambda dom, e=entry: pick(dom.intersect(e))
            values[d.name] = s.concrete(n, rng.randrange(count), draw_entry)
            if special and rng.random() < special / 3:  # cI: an equality case of inequalities
                values[d.name] = _scalar_identity(props, n, rng)
                if "orthogonal" in props and count > 1 and rng.random() < 0.5:
                    # a component's origin: a signed diagonal D (−I, a half-turn diag(−1, −1,
                    # 1)), which no Cayley transform reaches and a comparison can switch at
                    values[d.name] = s.concrete(n, rng.randrange(count), _origin)
        else:
            r, c = (x if isinstance(x, int) else sizes[x] for x in d.shape)
            if d.name in simplex:
                head = [pick(Domain(simplex=r)) if rng.random() > special / 2 else sp.Integer(0)
                        for _ in range(r - 1)]
                if rng.random() < 0.5:  # anywhere in the simplex, not only a large last entry
                    head = spread_simplex(r, rng)[:-1]
                if rng.random() < special / 4:  # the uniform vector: an equality case
                    head = [sp.Rational(1, r)] * (r - 1)
                values[d.name] = sp.Matrix(head + [1 - sum(head)])
            else:
                entry = entry_domain(claim, d.name)
                values[d.name] = sp.Matrix(r, c, lambda i, j, e=entry: pick(e))
    for name in scalars:  # c·I commutes with every matrix
        n = values[name].shape[0]
        # the hub's partners drawn as polynomials in it (at other points) cover r = n
        polynomial = isinstance(plan, CommutePlan) and all(
            plan.derived.get(p) == name for p in _partners(claim, name))
        pair = _split_values(claim, name, n, rng, pick, not polynomial) if split else None
        if pair is not None:  # a repeated eigenvalue, not cI: its commutant is larger
            values.update(pair)
            derived = {b: a for b, a in derived.items() if b not in pair}
            continue
        values[name] = _scalar_identity(matrix_properties(claim, name), n, rng)
    if isinstance(plan, CommutePlan):
        for name in plan.order:
            if name in discrete or name not in derived:
                continue  # drawn from its finite set (points are checked by the audit)
            a = values[plan.derived[name]]
            n = a.shape[0]
            total, power = sp.zeros(n, n), sp.eye(n)
            for _ in range(n):
                total += pick(ANY) * power
                power = power * a
            values[name] = total
    return values


# ----- discrete symbols: binary and one-hot -----


def discrete_symbols(claim: Claim) -> dict[str, str]:
    """Symbols with finitely many values: name -> ``one-hot`` or ``binary`` (one-hot implies
    binary), or ``range`` (a scalar in an integer range, t in 1..T)."""
    out: dict[str, str] = {}
    for a in claim.assumptions:
        if a.compound:
            continue
        name = a.names[0]
        if a.kind in DISCRETE:
            out[name] = "one-hot" if "one-hot" in (out.get(name), a.kind) else "binary"
        elif a.kind == "range" and name not in out:
            out[name] = "range"
    return out


def discrete_exact(claim: Claim, name: str) -> bool:
    """Does enumerating the symbol's discrete values cover its admissible values?  It does
    (exactly, or a superset whose extra points the audit rejects: binary and symmetric, binary
    and summing to 1), unless the symbol commutes with another: a commuting partner is
    parametrised as a polynomial in it, which misses most partners of a degenerate value."""
    return not any(a.kind == "commute" and name in a.names for a in claim.assumptions)


# an integer range is enumerated up to this many values; a longer one stays one symbolic
# value (every integer and more: a proof over it covers the range)
RANGE_CASES = 32


def _scalar_values(claim: Claim, name: str, sizes: dict[str, int]) -> list[int] | None:
    """The values of a binary or integer-range scalar at these sizes (None: too many; none
    when its assumptions exclude every value here, as t in 2..T does at T = 1)."""
    try:
        dom = scalar_domain(claim, name, sizes)
    except Contradictory:
        return []
    lo, hi = _integer_ends(dom) if dom.integer else (0, None)
    if not dom.integer or dom.lo is None or hi is None or hi - lo + 1 > RANGE_CASES:
        return None
    return [v for v in range(lo, hi + 1) if dom.contains(sp.Integer(v))]


def _shape_at(claim: Claim, name: str, sizes: dict[str, int]) -> tuple[int, int]:
    d = claim.decls[name]
    r, c = (x if isinstance(x, int) else sizes[x] for x in d.shape)
    return r, c


def discrete_count(claim: Claim, name: str, sizes: dict[str, int]) -> int:
    """How many values the symbol has at these sizes: binary 2^(entries) (a scalar: those of
    0, 1 its other assumptions allow); one-hot: n for a vector, C^N for an N×C matrix."""
    d = claim.decls[name]
    if d.kind in ("scalar", "integer"):
        values = _scalar_values(claim, name, sizes)
        return 1 if values is None else len(values)
    r, c = _shape_at(claim, name, sizes)
    if discrete_symbols(claim)[name] == "binary":
        return 2 ** (r * c)
    return r if d.kind == "vector" else c**r


def extreme_cases(claim: Claim, name: str, sizes: dict[str, int]) -> list[int]:
    """The case numbers of a vector or matrix symbol's extreme values: binary all 0 and all
    1, a one-hot vector's first and last class, a one-hot matrix with every row in one
    class.  Among 2¹⁶ binary 4×4 matrices, (Σ Y ≥ 16) = 0 fails at all ones alone, and
    random cases never reached it: the claim was "checked"."""
    d = claim.decls[name]
    if d.kind in ("scalar", "integer"):
        return []
    r, c = _shape_at(claim, name, sizes)
    if discrete_symbols(claim)[name] == "binary":
        return [0, 2 ** (r * c) - 1]
    if d.kind == "vector":
        return [0, r - 1]
    return [k * sum(c**i for i in range(r)) for k in range(c)]


def discrete_value(claim: Claim, name: str, sizes: dict[str, int], k: int) -> Any:
    """Value number ``k`` (0 ≤ k < discrete_count) of a discrete symbol (None: a scalar whose
    range is too long to enumerate stays symbolic)."""
    d = claim.decls[name]
    if d.kind in ("scalar", "integer"):
        values = _scalar_values(claim, name, sizes)
        return None if values is None else sp.Integer(values[k])
    r, c = _shape_at(claim, name, sizes)
    if discrete_symbols(claim)[name] == "binary":
        return sp.Matrix(r, c, lambda i, j: (k >> (i * c + j)) & 1)
    if d.kind == "vector":
        return sp.Matrix(r, 1, lambda i, _: 1 if i == k else 0)
    hot = []
    for _ in range(r):  # the digits of k in base c: the hot column of each row
        hot.append(k % c)
        k //= c
    return sp.Matrix(r, c, lambda i, j: 1 if hot[i] == j else 0)
