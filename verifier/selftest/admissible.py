"""Which points a claim admits: its assumptions checked on concrete values, and a sampler.

``violations`` checks every assumption of a claim on a point, exactly (Fractions) where the
values are exact: ``M == Mᵀ``, ``QᵀQ == I``, positive definite by its leading principal
minors (and symmetric), ``AB == BA``, sign and interval conditions, a vector that sums to 1
with non-negative entries; and the kinds themselves (an ``integer`` is a positive integer,
an ``index(C)`` lies in 0..C−1, every value has its declared shape).

``sample`` draws a point that satisfies *all* assumptions at once, from constructions that
reach every component of each set (orthogonal: products of Householder reflections, both
signs of det; symmetric and orthogonal: V·diag(±1)·Vᵀ; skew and orthogonal: only at even
sizes; commuting pairs: B a polynomial in A, a power of A, or ±I), and checks the result
with ``violations`` before returning it.  It never relies on how the engine instantiates a
structure.  A set that no point satisfies (skew-symmetric and invertible at an odd size,
an empty interval) gives ``Contradiction``; one it cannot construct gives ``None``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from verifier.claim import Assumption, SymbolDecl, exact_ends
from verifier.selftest.arith import Arith, Uncertain
from verifier.selftest.evaluate import Mat, Point, det, matmul

__all__ = ["Contradiction", "decl_shape", "sample", "scalar_set", "violations"]


class Contradiction(Exception):
    """No point satisfies the assumptions (at these sizes)."""


def decl_shape(d: SymbolDecl, sizes: dict[str, int]) -> tuple[int, int]:
    r, c = d.shape
    return (r if isinstance(r, int) else sizes[r], c if isinstance(c, int) else sizes[c])


# ----- the predicates -----


def _zero(ar: Arith, x: Any) -> bool:
    """Certainly zero; raises Uncertain for an inexact value that might be."""
    s = ar.sign(x)
    return s == 0


def _mat_equal(ar: Arith, a: Mat, b: Mat) -> bool:
    return all(_zero(ar, ar.sub(x, y)) for x, y in zip(a.entries(), b.entries(), strict=True))


def _eye(n: int) -> Mat:
    return Mat([[Fraction(int(i == j)) for j in range(n)] for i in range(n)])


def _is_symmetric(ar: Arith, m: Mat) -> bool:
    return _mat_equal(ar, m, m.T)


def _positive_definite(ar: Arith, m: Mat) -> bool:
    if not _is_symmetric(ar, m):
        return False
    n = m.shape[0]
    for k in range(1, n + 1):
        minor = Mat([row[:k] for row in m.rows[:k]])
        if ar.sign(det(ar, minor)) <= 0:
            return False
    return True


def _scalar_holds(ar: Arith, a: Assumption, x: Any) -> bool:
    s = ar.sign(x)
    if a.kind == "positive":
        return s > 0
    if a.kind == "negative":
        return s < 0
    if a.kind == "nonnegative":
        return s >= 0
    if a.kind == "nonzero":
        return s != 0
    lo, hi, open_lo, open_hi = _bounds(a)
    s_lo, s_hi = ar.sign(ar.sub(x, lo)), ar.sign(ar.sub(hi, x))
    return (s_lo > 0 or (s_lo == 0 and not open_lo)) and (s_hi > 0 or (s_hi == 0 and not open_hi))


def _bounds(a: Assumption) -> tuple[Fraction, Fraction, bool, bool]:
    _, _, open_lo, open_hi = a.interval  # type: ignore[misc]
    lo, hi = exact_ends(a)
    return lo, hi, open_lo, open_hi


def holds(ar: Arith, a: Assumption, values: dict[str, Any]) -> bool:
    """Does one assumption hold on the values?  Raises Uncertain on inexact values."""
    v = values[a.names[0]]
    if a.kind in ("positive", "negative", "nonnegative", "nonzero", "interval"):
        if isinstance(v, Mat):  # of a vector or matrix: every entry
            return all(_scalar_holds(ar, a, e) for e in v.entries())
        return _scalar_holds(ar, a, v)
    if a.kind == "sums to 1":
        es = v.entries()
        total: Any = Fraction(0)
        for e in es:
            total = ar.add(total, e)
        return _zero(ar, ar.sub(total, Fraction(1))) and all(ar.sign(e) >= 0 for e in es)
    if a.kind == "commute":
        b = values[a.names[1]]
        return _mat_equal(ar, matmul(ar, v, b), matmul(ar, b, v))
    if a.kind == "symmetric":
        return _is_symmetric(ar, v)
    if a.kind == "skew-symmetric":
        return _mat_equal(ar, v, v.T.map(ar.neg))
    if a.kind == "diagonal":
        return all(_zero(ar, v.rows[i][j]) for i in range(v.shape[0])
                   for j in range(v.shape[1]) if i != j)
    if a.kind == "orthogonal":
        return _mat_equal(ar, matmul(ar, v.T, v), _eye(v.shape[0]))
    if a.kind == "positive definite":
        return _positive_definite(ar, v)
    if a.kind == "invertible":
        return ar.sign(det(ar, v)) != 0
    raise ValueError(f"unknown assumption kind {a.kind!r}")


def violations(
    decls: Sequence[SymbolDecl], assumptions: Sequence[Assumption], point: Point,
    ar: Arith | None = None,
) -> list[str]:
    """Every way the point is not admissible (empty: it is); inexact values that cannot be
    decided count as a violation ("not certified")."""
    ar = ar or Arith()
    out: list[str] = []
    for d in decls:
        if d.name not in point.values:
            continue
        v = point.values[d.name]
        if d.kind in ("scalar", "integer", "index"):
            if isinstance(v, Mat):
                out.append(f"{d.name} should be a scalar, got a {v.shape[0]}×{v.shape[1]} matrix")
                continue
            if d.kind == "integer" and not (isinstance(v, Fraction) and v.denominator == 1
                                           and v > 0):
                out.append(f"{d.name} is declared integer (a positive integer), got {v}")
            if d.kind == "index":
                c = d.dims[0] if isinstance(d.dims[0], int) else point.sizes.get(d.dims[0])
                if not (isinstance(v, Fraction) and v.denominator == 1 and c is not None
                        and 0 <= v < c):
                    out.append(f"{d.name} is an index in 0..{d.dims[0]}−1, got {v}")
            continue
        try:
            want = decl_shape(d, point.sizes)
        except KeyError as exc:
            out.append(f"no size for dimension {exc.args[0]}")
            continue
        if not isinstance(v, Mat) or v.shape != want:
            got = f"{v.shape[0]}×{v.shape[1]}" if isinstance(v, Mat) else "a scalar"
            out.append(f"{d.name} should be {want[0]}×{want[1]}, got {got}")
    if out:
        return out
    for a in assumptions:
        if any(n not in point.values for n in a.names):
            continue
        try:
            if not holds(ar, a, point.values):
                out.append(f'violates "{a.phrase()}"')
        except Uncertain:
            out.append(f'"{a.phrase()}" is not certified on these (inexact) values')
    return out


# ----- scalar domains -----


@dataclass(frozen=True)
class ScalarSet:
    """An interval (bounds None: unbounded) with 0 possibly removed."""

    lo: Fraction | None = None
    hi: Fraction | None = None
    open_lo: bool = True
    open_hi: bool = True
    nonzero: bool = False

    def contains(self, x: Fraction) -> bool:
        if self.nonzero and x == 0:
            return False
        if self.lo is not None and (x < self.lo or (x == self.lo and self.open_lo)):
            return False
        if self.hi is not None and (x > self.hi or (x == self.hi and self.open_hi)):
            return False
        return True

    def empty(self) -> bool:
        if self.lo is None or self.hi is None:
            return False
        if self.lo > self.hi:
            return True
        if self.lo == self.hi:
            return self.open_lo or self.open_hi or (self.nonzero and self.lo == 0)
        return False


def scalar_set(name: str, assumptions: Sequence[Assumption]) -> ScalarSet:
    """The intersection of every sign and interval assumption on one scalar."""
    s = ScalarSet()

    def lower(b: Fraction, open_: bool) -> None:
        nonlocal s
        if s.lo is None or b > s.lo or (b == s.lo and open_):
            s = ScalarSet(b, s.hi, open_, s.open_hi, s.nonzero)

    def upper(b: Fraction, open_: bool) -> None:
        nonlocal s
        if s.hi is None or b < s.hi or (b == s.hi and open_):
            s = ScalarSet(s.lo, b, s.open_lo, open_, s.nonzero)

    for a in assumptions:
        if a.names[0] != name:
            continue
        if a.kind == "positive":
            lower(Fraction(0), True)
        elif a.kind == "negative":
            upper(Fraction(0), True)
        elif a.kind == "nonnegative":
            lower(Fraction(0), False)
        elif a.kind == "nonzero":
            s = ScalarSet(s.lo, s.hi, s.open_lo, s.open_hi, True)
        elif a.kind == "interval":
            lo, hi, olo, ohi = _bounds(a)
            lower(lo, olo)
            upper(hi, ohi)
    return s


# ----- the sampler -----

SPECIAL = [Fraction(x) for x in ("0", "1", "-1", "1/2", "-1/2", "2", "-3", "1/1000", "-1/1000",
                                 "1000", "7", "-1/7", "10", "1/10")]


class _Draw:
    """Random rationals: mostly small and generic, sometimes special or far out."""

    def __init__(self, rng: random.Random, special: float = 0.25, far: float = 0.1,
                 int_max: int = 60):
        self.rng, self.special, self.far, self.int_max = rng, special, far, int_max

    def q(self) -> Fraction:
        r = self.rng.random()
        if r < self.special:
            return self.rng.choice(SPECIAL)
        if r < self.special + self.far:
            k = self.rng.randint(-6, 6)
            return Fraction(self.rng.choice((-1, 1)) * self.rng.randint(1, 9)) * Fraction(10) ** k
        return Fraction(self.rng.randint(-9, 9), self.rng.randint(1, 7)) or Fraction(
            self.rng.choice((-2, 3)), self.rng.randint(1, 5))

    def nonzero(self) -> Fraction:
        x = self.q()
        while x == 0:
            x = self.q()
        return x

    def positive(self) -> Fraction:
        return abs(self.nonzero())

    def in_set(self, s: ScalarSet) -> Fraction:
        if s.empty():
            raise Contradiction("an empty interval")
        for _ in range(200):
            x = self._in_set_once(s)
            if s.contains(x):
                return x
        raise Contradiction("no value found in the scalar's set")

    def _in_set_once(self, s: ScalarSet) -> Fraction:
        rng = self.rng
        if s.lo is None and s.hi is None:
            return self.q()
        if rng.random() < 0.15:  # the edges: a closed end itself, or a hair inside
            cands = []
            for b, op in ((s.lo, s.open_lo), (s.hi, s.open_hi)):
                if b is not None:
                    cands.append(b if not op else b + (Fraction(1, 10**6) if b == s.lo
                                                       else -Fraction(1, 10**6)))
            return rng.choice(cands)
        if s.lo is not None and s.hi is not None:
            t = Fraction(rng.randint(1, 999), 1000)
            if rng.random() < 0.3:
                t = rng.choice((Fraction(1, 10**4), Fraction(1, 2), 1 - Fraction(1, 10**4)))
            return s.lo + (s.hi - s.lo) * t
        x = self.positive()
        return s.lo + x if s.lo is not None else s.hi - x  # type: ignore[operator]

    def integer(self) -> Fraction:
        """Positive integers, half of them beyond 1..6 (a product (t−1)…(t−6) is 0 there)."""
        if self.int_max <= 6 or self.rng.random() < 0.5:
            return Fraction(self.rng.randint(1, min(6, self.int_max)))
        return Fraction(self.rng.randint(7, self.int_max))


def _rand_mat(draw: _Draw, r: int, c: int) -> Mat:
    return Mat([[draw.q() for _ in range(c)] for _ in range(r)])


def _householder(draw: _Draw, n: int) -> Mat:
    # small integer directions keep the entries' denominators small at n = 6
    v = [Fraction(draw.rng.randint(-3, 3)) for _ in range(n)]
    while all(x == 0 for x in v):
        v = [Fraction(draw.rng.randint(-3, 3)) for _ in range(n)]
    vv = sum(x * x for x in v)
    return Mat([[Fraction(int(i == j)) - 2 * v[i] * v[j] / vv for j in range(n)]
                for i in range(n)])


def _orthogonal(draw: _Draw, n: int, det_sign: int | None = None) -> Mat:
    """A product of Householder reflections (rational, exactly orthogonal); det = ±1, both."""
    ar = Arith()
    k = draw.rng.randint(0, n + 1)
    if det_sign is not None and (-1) ** k != det_sign:
        k += 1
    if draw.rng.random() < 0.2:  # a signed permutation: the special points of O(n)
        perm = list(range(n))
        draw.rng.shuffle(perm)
        q = Mat([[Fraction(draw.rng.choice((-1, 1))) if perm[i] == j else Fraction(0)
                  for j in range(n)] for i in range(n)])
        if det_sign is not None and det(ar, q) != det_sign:
            q = Mat([[-x for x in q.rows[0]]] + q.rows[1:])
        return q
    q = _eye(n)
    for _ in range(k):
        q = matmul(ar, q, _householder(draw, n))
    return q


def _diag(values: list[Fraction]) -> Mat:
    n = len(values)
    return Mat([[values[i] if i == j else Fraction(0) for j in range(n)] for i in range(n)])


def _conj(v: Mat, d: Mat) -> Mat:
    ar = Arith()
    return matmul(ar, matmul(ar, v, d), v.T)


def _involution(draw: _Draw, n: int) -> Mat:
    """A symmetric signed permutation matrix (disjoint swaps and fixed points, signs drawn):
    symmetric and orthogonal, and nonnegative when every sign is +1 (drawn half the time),
    which no conjugate of a random ±1 diagonal reaches."""
    rng = draw.rng
    order = list(range(n))
    rng.shuffle(order)
    plus = rng.random() < 0.5
    m = [[Fraction(0)] * n for _ in range(n)]
    while order:
        i = order.pop()
        sgn = Fraction(1 if plus else rng.choice((-1, 1)))
        if order and rng.random() < 0.7:
            j = order.pop()
            m[i][j] = m[j][i] = sgn
        else:
            m[i][i] = sgn
    return Mat(m)


def _structured(draw: _Draw, n: int, props: set[str]) -> Mat:
    """One n×n matrix with every property in ``props`` (the commuting pairs come later)."""
    rng = draw.rng
    if {"diagonal", "skew-symmetric"} <= props or {"symmetric", "skew-symmetric"} <= props:
        if props & {"orthogonal", "positive definite", "invertible"}:
            raise Contradiction("a zero matrix cannot be orthogonal, positive definite or "
                                "invertible")
        return Mat([[Fraction(0)] * n for _ in range(n)])
    if "orthogonal" in props:
        if "positive definite" in props:
            if "skew-symmetric" in props:
                raise Contradiction("skew-symmetric and positive definite")
            return _eye(n)
        if "diagonal" in props:
            return _diag([Fraction(rng.choice((-1, 1))) for _ in range(n)])
        if "symmetric" in props:
            if rng.random() < 0.25:  # a signed involution: the swaps [[0, 1], [1, 0]] ⊕ …
                return _involution(draw, n)
            return _conj(_orthogonal(draw, n), _diag([Fraction(rng.choice((-1, 1)))
                                                     for _ in range(n)]))
        if "skew-symmetric" in props:
            if n % 2:
                raise Contradiction("a skew-symmetric orthogonal matrix has even size")
            j = Mat([[Fraction(0)] * n for _ in range(n)])
            for k in range(0, n, 2):
                s = Fraction(rng.choice((-1, 1)))
                j.rows[k][k + 1], j.rows[k + 1][k] = s, -s
            return _conj(_orthogonal(draw, n), j)
        return _orthogonal(draw, n)
    if "skew-symmetric" in props:
        if "positive definite" in props:
            raise Contradiction("skew-symmetric and positive definite")
        if "invertible" in props and n % 2:
            raise Contradiction("a skew-symmetric matrix of odd size is singular")
        s = _rand_mat(draw, n, n)
        return Mat([[s.rows[i][j] - s.rows[j][i] for j in range(n)] for i in range(n)])
    if "positive definite" in props:
        if "diagonal" in props:
            return _diag([draw.positive() for _ in range(n)])
        low = Mat([[draw.positive() if i == j else (draw.q() if j < i else Fraction(0))
                    for j in range(n)] for i in range(n)])
        return matmul(Arith(), low, low.T)
    if "diagonal" in props:
        return _diag([draw.q() for _ in range(n)])
    if "symmetric" in props:
        s = _rand_mat(draw, n, n)
        return Mat([[s.rows[i][j] + s.rows[j][i] for j in range(n)] for i in range(n)])
    return _rand_mat(draw, n, n)


def _commuting_with(draw: _Draw, a: Mat) -> list[Mat]:
    """Candidates for B with AB = BA, generic first."""
    ar, rng = Arith(), draw.rng
    n = a.shape[0]
    a2 = matmul(ar, a, a)
    c0, c1, c2 = draw.q(), draw.nonzero(), draw.q() if rng.random() < 0.5 else Fraction(0)
    poly = Mat([[c0 * int(i == j) + c1 * a.rows[i][j] + c2 * a2.rows[i][j] for j in range(n)]
                for i in range(n)])
    sign = Fraction(rng.choice((-1, 1)))
    power = rng.choice((a, a2))
    return [poly, power.map(lambda t: sign * t), power, _eye(n).map(lambda t: sign * t),
            _eye(n)]


@dataclass(frozen=True)
class _Hub:
    """A hub P·(⊕ λᵢ I)·P⁻¹: its basis, the eigenspace sizes, and whether the first block is
    one Jordan block λI + N (a free hub only: no structure survives a general basis)."""

    p: Mat
    p_inv: Mat
    blocks: tuple[int, ...]
    jordan: bool = False


HUB_EIGENVALUES = (-2, -1, 1, 2, 3)
PLAIN = {"invertible"}  # properties a Jordan hub and its partners may have


def _partition(rng: random.Random, n: int, parts: int) -> tuple[int, ...]:
    """A random composition of n into ``parts`` positive sizes."""
    cuts = sorted(rng.sample(range(1, n), parts - 1))
    return tuple(b - a for a, b in zip([0, *cuts], [*cuts, n], strict=True))


def _unimodular(draw: _Draw, n: int) -> tuple[Mat, Mat]:
    """P = L U with small integer entries and unit diagonals (det 1), and P⁻¹, exactly."""
    rng, ar = draw.rng, Arith()
    low = Mat([[Fraction(1 if i == j else (rng.randint(-2, 2) if j < i else 0))
                for j in range(n)] for i in range(n)])
    up = Mat([[Fraction(1 if i == j else (rng.randint(-2, 2) if j > i else 0))
               for j in range(n)] for i in range(n)])
    return matmul(ar, low, up), matmul(ar, _unit_inverse(up, upper=True),
                                       _unit_inverse(low, upper=False))


def _unit_inverse(t: Mat, upper: bool) -> Mat:
    """The inverse of a unit triangular matrix, column by column by substitution."""
    n = t.shape[0]
    out = [[Fraction(0)] * n for _ in range(n)]
    order = range(n - 1, -1, -1) if upper else range(n)
    for c in range(n):
        for i in order:
            inner = range(i + 1, n) if upper else range(i)
            out[i][c] = Fraction(int(i == c)) - sum(t.rows[i][k] * out[k][c] for k in inner)
    return Mat(out)


def _hub_shape(rng: random.Random, n: int, props: set[str], free: bool
               ) -> tuple[tuple[int, ...], bool, list[Fraction]] | None:
    """Eigenspace sizes, Jordan or not, and one eigenvalue per block: cI (one block), two
    to n eigenspaces with one of at least two dimensions, or a Jordan block (free only)."""
    if "orthogonal" in props:
        values = [Fraction(v) for v in (-1, 1)]
    elif "positive definite" in props:
        values = [Fraction(v) for v in (1, 2, 3)]
    else:
        values = [Fraction(v) for v in HUB_EIGENVALUES]
    modes = ["scalar"] + (["split"] if n >= 3 else []) + (["jordan"] if free else [])
    mode = rng.choice(modes)
    if mode == "scalar":
        return (n,), False, [rng.choice(values)]
    if mode == "jordan":
        first = rng.randint(2, n)
        rest = _partition(rng, n - first, rng.randint(1, min(n - first, len(values) - 1))) \
            if n > first else ()
        blocks = (first, *rest)
    else:
        parts = rng.randint(2, min(n - 1, len(values)))
        blocks = _partition(rng, n, parts)
        while max(blocks) < 2:
            blocks = _partition(rng, n, parts)
    return blocks, mode == "jordan", rng.sample(values, len(blocks))


def _split_hubs(draw: _Draw, commutes, by_name, values) -> dict[str, _Hub]:
    """At a third of the points, each matrix that others commute with (not skew) is made a
    hub whose commutant is larger than its polynomials, as the engine's sampler draws
    them (``verifier.domains``): cI (every partner free), P diag(λ₁I, …, λₖI) P⁻¹ with
    eigenspaces of any sizes, one at least 2 (P orthogonal, a signed permutation where a
    diagonal matrix is involved), or, where no structure is assumed, a Jordan block
    P(λI + N ⊕ …)P⁻¹ with P unimodular.  Partners come from the commutant
    (``_in_commutant``).  Returns each hub."""
    rng = draw.rng
    out: dict[str, _Hub] = {}
    if rng.random() >= 1 / 3:
        return out
    for a in commutes:
        first = a.names[0]
        n = values[first].shape[0]
        props = by_name.get(first, set())
        if first in out or n < 2 or "skew-symmetric" in props:
            continue
        partners = [b.names[1] for b in commutes if b.names[0] == first]
        free = all(by_name.get(x, set()) <= PLAIN for x in [first, *partners])
        shape = _hub_shape(rng, n, props, free)
        if shape is None:
            continue
        blocks, jordan, lams = shape
        if jordan:
            p, p_inv = _unimodular(draw, n)
        elif any("diagonal" in by_name.get(x, set()) for x in [first, *partners]):
            perm = list(range(n))  # a signed permutation keeps diagonal matrices diagonal
            rng.shuffle(perm)
            p = Mat([[Fraction(rng.choice((-1, 1))) if perm[i] == j else Fraction(0)
                      for j in range(n)] for i in range(n)])
            p_inv = p.T
        else:
            p = _orthogonal(draw, n)
            p_inv = p.T
        hub = _Hub(p, p_inv, blocks, jordan)
        out[first] = hub
        d = _blocks([_diag([lam] * k) for lam, k in zip(lams, blocks, strict=True)])
        if jordan:  # λI + N on the first block
            for i in range(blocks[0] - 1):
                d.rows[i][i + 1] = Fraction(1)
        values[first] = _similar(hub, d)
    return out


def _blocks(parts: list[Mat]) -> Mat:
    n = sum(m.shape[0] for m in parts)
    out = Mat([[Fraction(0)] * n for _ in range(n)])
    at = 0
    for m in parts:
        k = m.shape[0]
        for i in range(k):
            for j in range(k):
                out.rows[at + i][at + j] = m.rows[i][j]
        at += k
    return out


def _similar(hub: _Hub, m: Mat) -> Mat:
    ar = Arith()
    return matmul(ar, matmul(ar, hub.p, m), hub.p_inv)


def _in_commutant(draw: _Draw, hub: _Hub, props: set[str]) -> Mat:
    """P(X₁ ⊕ … ⊕ Xₖ)P⁻¹, each Xᵢ in the structure ``props`` (on a Jordan block: an upper
    triangular Toeplitz matrix, a polynomial in N)."""
    parts = [_structured(draw, k, props) for k in hub.blocks]
    if hub.jordan:
        k = hub.blocks[0]
        coeffs = [draw.q() for _ in range(k)]
        parts[0] = Mat([[coeffs[j - i] if j >= i else Fraction(0) for j in range(k)]
                        for i in range(k)])
    return _similar(hub, _blocks(parts))


def sample(
    decls: Sequence[SymbolDecl], assumptions: Sequence[Assumption], sizes: dict[str, int],
    rng: random.Random, tries: int = 30, special: float = 0.25, far: float = 0.1,
    int_max: int = 60,
) -> Point | None:
    """A point satisfying every assumption (checked), or None; raises Contradiction when
    the assumptions cannot hold together at these sizes.  ``special``: how often a value is
    one of 0, ±1, ½, 1/1000, 1000, …; ``far``: how often one is ±d·10^k, |k| ≤ 6;
    integers run up to ``int_max``."""
    draw = _Draw(rng, special, far, int_max)
    by_name: dict[str, set[str]] = {}
    for a in assumptions:
        if a.kind not in ("commute", "sums to 1", "positive", "negative", "nonnegative",
                          "nonzero", "interval"):
            by_name.setdefault(a.names[0], set()).add(a.kind)
    commutes = [a for a in assumptions if a.kind == "commute"]
    contradiction = None
    for _ in range(tries):
        try:
            point = _sample_once(draw, decls, assumptions, sizes, by_name, commutes)
        except Contradiction as exc:
            contradiction = exc
            continue
        if not violations(decls, assumptions, point):
            return point
    if contradiction is not None:
        raise contradiction
    return None


_SIGNS = ("positive", "negative", "nonnegative", "nonzero", "interval")


def _sample_once(draw, decls, assumptions, sizes, by_name, commutes) -> Point:
    values: dict[str, Any] = {}
    derived = {a.names[1] for a in commutes}
    for d in decls:
        if d.kind == "scalar":
            values[d.name] = draw.in_set(scalar_set(d.name, assumptions))
        elif d.kind == "integer":
            values[d.name] = draw.integer()
        elif d.kind == "index":
            c = d.dims[0] if isinstance(d.dims[0], int) else sizes[d.dims[0]]
            values[d.name] = Fraction(draw.rng.randrange(c))
        else:
            r, c = decl_shape(d, sizes)
            if any(a.kind == "sums to 1" and a.names[0] == d.name for a in assumptions):
                w = [Fraction(draw.rng.randint(0 if draw.rng.random() < 0.2 else 1, 9))
                     for _ in range(r)]
                if sum(w) == 0:
                    w[0] = Fraction(1)
                values[d.name] = Mat([[x / sum(w)] for x in w])
            elif r == c and (d.name in by_name or d.name in derived):
                values[d.name] = _structured(draw, r, by_name.get(d.name, set()))
            elif any(a.names[0] == d.name for a in assumptions if a.kind in _SIGNS):
                entries = scalar_set(d.name, assumptions)  # every entry in the sign's set
                values[d.name] = Mat([[draw.in_set(entries) for _ in range(c)]
                                      for _ in range(r)])
            else:
                values[d.name] = _rand_mat(draw, r, c)
    split = _split_hubs(draw, commutes, by_name, values)
    for a in commutes:
        first, second = a.names
        props = by_name.get(second, set())
        cands = _commuting_with(draw, values[first])
        if first in split:
            cands.insert(0, _in_commutant(draw, split[first], props))
        if "diagonal" in props and "diagonal" not in by_name.get(first, set()):
            cands = [_eye(values[first].shape[0])]
        ar = Arith()
        for b in cands:
            trial = dict(values)
            trial[second] = b
            if all(holds(ar, x, trial) for x in assumptions
                   if x.names[0] == second and x.kind not in ("commute",)):
                values[second] = b
                break
    return Point(values, dict(sizes))
