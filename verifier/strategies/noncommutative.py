"""Strategy 3b: identities with inverses, determinants and 2×2 block matrices, proved in
general dimension by rewriting noncommutative polynomials.

A side becomes a sum of *words* (products of atoms) with commutative coefficients.  The
atoms are the matrix symbols, their transposes, and one inverse atom W_S = S⁻¹ for each
matrix S the claim inverts (S in normal form; transposes are pushed in, (S⁻¹)ᵀ = (Sᵀ)⁻¹).
A 1×1 sub-word (vᵀA⁻¹u) is a scalar and joins the coefficient; traces and determinants
become commutative symbols in a canonical form.  Coefficients are rational functions of
those symbols and of the claim's scalars, combined with ``sympy.cancel``.

Each inverse atom brings its defining relations S·W_S = I and W_S·S = I, with S = Σ cᵢsᵢ.
Each is oriented as a rewrite of its largest term (words ordered by length, then by atom):
sⱼ·W_S → (I − Σ_{i≠j} cᵢsᵢ·W_S)/cⱼ and W_S·sⱼ → (I − Σ_{i≠j} cᵢW_S·sᵢ)/cⱼ.  Every rewrite
replaces a word by smaller ones, so reduction terminates (it is also bounded in steps
and time).  The rules are not completed to a confluent system: a residual that does not
reduce to 0 proves nothing, and the strategy stands down.

A claim is proved when lhs − rhs reduces to 0, or when M·(lhs − rhs) or (lhs − rhs)·M
does, M the matrix of an inverse atom (invertible wherever the claim is defined, so the
step can be undone).  ``inv(M) = R`` with M a block matrix is proved by M·R = I, block by
block.  Some assumptions become rules instead of a parametrisation: Mᵀ = M (symmetric,
diagonal), QᵀQ = QQᵀ = I and (det Q)² = 1 (orthogonal), AB = BA (commuting, and diagonal
matrices of one size).

Soundness: every rewrite is an equality wherever the inverses involved exist, and every
division is by something nonzero wherever the claim is defined: a nonzero number, a
scalar whose assumptions exclude 0, a denominator the claim itself writes, the
coefficient of a matrix the claim inverts, or a factor of the determinant of an inverted
matrix.  So a residual that reduces to 0 is 0 at every point where both sides are
defined; the proof also needs a certified point where they are (``unless_vacuous``).  One
more divisor: a nonzero polynomial in real scalars free in an interval (its zero set is
nowhere dense, and sides with no jumps are continuous where defined).
Determinants use only rules valid at every size: det(XY) = det X det Y for square
factors of one size, det(cX) = cⁿ det X, det Xᵀ = det X, det X⁻¹ = 1/det X,
det(T + X) = det T det(I + T⁻¹X) for a part T invertible where the claim is defined,
Sylvester's det(I + UV) = det(I + VU) with a canonical form over its moves, and
det [[A, B], [C, D]] = det A det(D − CA⁻¹B) for A invertible where the claim is defined.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import sympy as sp

from verifier.claim import Claim
from verifier.domains import STRUCTURAL, Contradictory, scalar_domain
from verifier.strategies.context import Context
from verifier.strategies.general import build_general, recheck_derivatives, unless_vacuous
from verifier.strategies.timing import clock
from verifier.verdict import Verdict

__all__ = ["Algebra", "GiveUp", "Grid", "Poly", "prove_noncommutative"]

# CPU seconds this strategy may spend on one claim (it stands down after): on the wall clock a
# busy machine proved fewer claims, and a verdict changed with the load
TIME_LIMIT = 4.0
MAX_STEPS = 200_000  # rewrites per claim
MAX_STATES = 48  # forms of det(I + X) explored under Sylvester's moves
MAX_DEPTH = 24  # nested trace / determinant canonicalisations

Word = tuple[int, ...]


class GiveUp(Exception):
    """This claim is outside what the rewriting handles, or it did not finish in time."""


class Exhausted(GiveUp):
    """The rewriting ran out of steps or time."""


def _cancel(c: Any) -> Any:
    return sp.cancel(c) if isinstance(c, sp.Basic) and not c.is_Number else sp.sympify(c)


def _order(w: Word) -> tuple:
    """Words by length, then atom by atom: a well-order compatible with products."""
    return (len(w), w)


@dataclass
class Poly:
    """A rows × cols matrix: Σ coefficient · word; the empty word is the identity."""

    rows: Any
    cols: Any
    terms: dict[Word, Any] = field(default_factory=dict)

    def key(self) -> tuple:
        return (self.rows, self.cols, frozenset(self.terms.items()))

    def sort_key(self) -> tuple:
        """A total order used to pick canonical forms (deterministic within a run)."""
        return (len(self.terms), sorted((_order(w), sp.srepr(c)) for w, c in
                                        self.terms.items()), str(self.rows))

    @property
    def is_zero(self) -> bool:
        return not self.terms


@dataclass
class Grid:
    """A block matrix: heights × widths blocks, each a Poly."""

    heights: tuple
    widths: tuple
    blocks: list[list[Poly]]


@dataclass
class Atom:
    label: str
    rows: Any
    cols: Any
    transpose: int = -1
    inverse_of: Poly | None = None  # an inverse atom W_S: its matrix S
    symbol: str | None = None  # a matrix symbol (or its transpose): its name


class Algebra:
    """The atoms, rewrite rules and canonical scalars of one claim."""

    def __init__(self, deadline: float, symmetric: frozenset[str] = frozenset(),
                 orthogonal: frozenset[str] = frozenset(), continuous: frozenset = frozenset()):
        self.deadline = deadline
        # real scalars free to move in an interval: a nonzero polynomial in them vanishes
        # only on a nowhere-dense set, so dividing by it is undone by continuity
        self.continuous = continuous
        self.symmetric = symmetric  # Mᵀ = M: one atom, its own transpose
        self.orthogonal = orthogonal  # QᵀQ = QQᵀ = I: Q⁻¹ = Qᵀ
        self.unimodular: list = []  # det Q of an orthogonal Q: (det Q)² = 1
        self.steps = 0
        self.atoms: list[Atom] = []
        self.by_symbol: dict[tuple[str, bool], int] = {}
        self.inverses: dict[tuple, int] = {}
        self.rules: dict[int, list[tuple[Word, dict[Word, Any]]]] = {}
        self.pending: list[int] = []  # inverse atoms whose leading coefficient was not known
        self.scalars: dict[Word, Any] = {}
        self.traces: dict[Word, Any] = {}
        self.dets: dict[Any, Any] = {}
        self.nonzero: set = set()
        self.depth = 0
        self.memo: dict = {}

    # ----- bookkeeping -----

    def tick(self, n: int = 1) -> None:
        self.steps += n
        if self.steps > MAX_STEPS:
            raise Exhausted(f"more than {MAX_STEPS} rewrites")
        if self.steps % 64 == 0 and clock() > self.deadline:
            raise Exhausted("out of time")

    def _new_atom(self, atom: Atom) -> int:
        self.atoms.append(atom)
        return len(self.atoms) - 1

    def dims(self, w: Word) -> list:
        """The sizes between the atoms of a non-empty word: d₀ × d₁, d₁ × d₂, …"""
        return [self.atoms[w[0]].rows] + [self.atoms[a].cols for a in w]

    def transpose_word(self, w: Word) -> Word:
        return tuple(self.atoms[a].transpose for a in reversed(w))

    def label(self, w: Word) -> str:
        return "·".join(self.atoms[a].label for a in w) or "I"

    # ----- known nonzero factors (divisors) -----

    def add_nonzero(self, e: Any) -> None:
        """Record that ``e`` is nonzero wherever the claim is defined (so are its factors)."""
        num, _ = sp.fraction(sp.cancel(sp.together(sp.sympify(e))))
        if num.is_number:
            return
        try:
            _, factors = sp.factor_list(num)
        except (sp.PolynomialError, NotImplementedError, ValueError, TypeError):
            factors = [(num, 1)]
        for base, _ in factors:
            self.nonzero.add(sp.expand(base))

    def _known_nonzero(self, b: Any) -> bool:
        if b.is_number:
            return b != 0
        if b.is_nonzero is True:  # e.g. a scalar assumed positive, 2**n
            return True
        if (b.free_symbols and b.free_symbols <= self.continuous
                and b.is_polynomial(*b.free_symbols) and sp.expand(b) != 0):
            return True  # nonzero on a dense set; both sides are continuous where defined
        return sp.expand(b) in self.nonzero or sp.expand(-b) in self.nonzero

    def allowed(self, c: Any) -> bool:
        """May we divide by ``c``: is it nonzero wherever the claim is defined?"""
        num, _ = sp.fraction(sp.cancel(sp.together(sp.sympify(c))))
        if num.is_number:
            return num != 0
        try:
            _, factors = sp.factor_list(num)
        except (sp.PolynomialError, NotImplementedError, ValueError, TypeError):
            factors = [(num, 1)]
        return all(self._known_nonzero(b) for b, _ in factors)

    # ----- atoms -----

    def symbol(self, ms: sp.MatrixSymbol) -> Poly:
        key = (ms.name, False)
        if key not in self.by_symbol:
            a = self._new_atom(Atom(ms.name, ms.rows, ms.cols, symbol=ms.name))
            if ms.name in self.symmetric:
                t = a
            else:
                t = self._new_atom(Atom(ms.name + "ᵀ", ms.cols, ms.rows, symbol=ms.name))
            self.atoms[a].transpose, self.atoms[t].transpose = t, a
            self.by_symbol[key], self.by_symbol[(ms.name, True)] = a, t
            if ms.name in self.orthogonal:
                self._add_rule((t, a), {(): sp.Integer(1)})
                self._add_rule((a, t), {(): sp.Integer(1)})
        return self.atom_poly(self.by_symbol[key])

    def commute(self, x: sp.MatrixSymbol, y: sp.MatrixSymbol) -> None:
        """XY = YX (and XᵀYᵀ = YᵀXᵀ): the larger word of each pair is rewritten."""
        self.symbol(x), self.symbol(y)
        a, b = self.by_symbol[(x.name, False)], self.by_symbol[(y.name, False)]
        for p, q in ((a, b), (self.atoms[a].transpose, self.atoms[b].transpose)):
            lo, hi = min(p, q), max(p, q)
            if lo != hi:
                self._add_rule((hi, lo), {(lo, hi): sp.Integer(1)})

    def atom_poly(self, a: int) -> Poly:
        at = self.atoms[a]
        return Poly(at.rows, at.cols, {(a,): sp.Integer(1)})

    def inverse_atom(self, key: Poly) -> int:
        """The atom W_S of S = ``key`` (reduced), with its transpose W_{Sᵀ} and both rules."""
        k = key.key()
        if k in self.inverses:
            return self.inverses[k]
        a = self._new_atom(Atom(self._inverse_label(key), key.rows, key.cols, inverse_of=key))
        self.inverses[k] = a
        t_key = self.reduce(self.transpose(key))
        kt = t_key.key()
        if kt == k:
            self.atoms[a].transpose = a
        elif kt in self.inverses:
            self.atoms[a].transpose = self.inverses[kt]
        else:
            t = self._new_atom(Atom(self._inverse_label(t_key), key.rows, key.cols,
                                    inverse_of=t_key))
            self.inverses[kt] = t
            self.atoms[a].transpose, self.atoms[t].transpose = t, a
            self._make_rules(t)
        self._make_rules(a)
        return a

    def _inverse_label(self, key: Poly) -> str:
        text = self.label_poly(key)
        return f"{text}⁻¹" if len(key.terms) == 1 and "·" not in text else f"({text})⁻¹"

    def _make_rules(self, a: int) -> None:
        """S·W_S = I and W_S·S = I, each solved for its largest term."""
        s = self.atoms[a].inverse_of
        assert s is not None
        lead = max(s.terms, key=_order)
        c = s.terms[lead]
        if not self.allowed(c):
            self.pending.append(a)
            return
        right: dict[Word, Any] = {(): 1 / c}
        left: dict[Word, Any] = {(): 1 / c}
        for w, ci in s.terms.items():
            if w != lead:
                right[w + (a,)] = _cancel(-ci / c)
                left[(a,) + w] = _cancel(-ci / c)
        self._add_rule(lead + (a,), right)
        self._add_rule((a,) + lead, left)

    def _add_rule(self, lhs: Word, rhs: dict[Word, Any]) -> None:
        rules = self.rules.setdefault(lhs[0], [])
        if all(r[0] != lhs for r in rules):
            rules.append((lhs, rhs))

    def retry_pending(self) -> None:
        pending, self.pending = self.pending, []
        for a in pending:
            self._make_rules(a)

    # ----- arithmetic -----

    def identity(self, d: Any) -> Poly:
        return Poly(d, d, {(): sp.Integer(1)})

    def add(self, p: Poly, q: Poly, sign: int = 1) -> Poly:
        if (p.rows, p.cols) != (q.rows, q.cols):
            raise GiveUp("a sum of matrices of different shapes")
        terms = dict(p.terms)
        for w, c in q.terms.items():
            terms[w] = terms.get(w, 0) + sign * c
        return Poly(p.rows, p.cols, terms)

    def scale(self, p: Poly, c: Any) -> Poly:
        return Poly(p.rows, p.cols, {w: c * x for w, x in p.terms.items()})

    def mul(self, p: Poly, q: Poly) -> Poly:
        if p.cols != q.rows:
            raise GiveUp("a product of matrices whose sizes do not fit")
        terms: dict[Word, Any] = {}
        for w1, c1 in p.terms.items():
            for w2, c2 in q.terms.items():
                w = w1 + w2
                terms[w] = terms.get(w, 0) + c1 * c2
        self.tick(len(terms))
        return Poly(p.rows, q.cols, terms)

    def transpose(self, p: Poly) -> Poly:
        return Poly(p.cols, p.rows, {self.transpose_word(w): c for w, c in p.terms.items()})

    # ----- reduction -----

    def match(self, w: Word):
        for i, a in enumerate(w):
            for lhs, rhs in self.rules.get(a, ()):
                if w[i:i + len(lhs)] == lhs:
                    return i, i + len(lhs), rhs
        return None

    def split(self, w: Word) -> tuple[Word, Any]:
        """Pull every 1×1 sub-word out as a scalar: w = head · (scalars) · tail."""
        if not w:
            return w, sp.Integer(1)
        cuts = [i for i, d in enumerate(self.dims(w)) if d == 1]
        if len(cuts) < 2:
            return w, sp.Integer(1)
        s = sp.Integer(1)
        for i, j in zip(cuts, cuts[1:], strict=False):
            if j > i:
                s *= self.scalar_word(w[i:j])
        return w[:cuts[0]] + w[cuts[-1]:], s

    def scalar_word(self, w: Word) -> Any:
        """The commutative symbol of a 1×1 word (a word equals its own transpose)."""
        if w in self.scalars:
            return self.scalars[w]
        t = self.transpose_word(w)
        best = w if self.match(t) is not None else min(w, t, key=_order)
        sym = self.scalars.get(best)
        if sym is None:
            sym = sp.Dummy(f"⟨{self.label(best)}⟩")
        self.scalars[w] = self.scalars[best] = sym
        if self.match(t) is None:
            self.scalars[t] = sym
        return sym

    def reduce(self, p: Poly) -> Poly:
        """The normal form: rewrite with the rules and pull out scalars until neither applies."""
        out: dict[Word, Any] = {}
        stack = list(p.terms.items())
        while stack:
            self.tick()
            w, c = stack.pop()
            hit = self.match(w)
            if hit is not None:
                i, j, rhs = hit
                for rw, rc in rhs.items():
                    stack.append((w[:i] + rw + w[j:], c * rc))
                continue
            w2, s = self.split(w)
            if w2 != w:
                stack.append((w2, c * s))
                continue
            out[w] = out.get(w, 0) + c
        terms = {}
        for w, c in out.items():
            c = _cancel(c)
            if c != 0:
                terms[w] = c
        return Poly(p.rows, p.cols, terms)

    # ----- inverses -----

    def known_inverse(self, a: int) -> Poly | None:
        """a⁻¹ if it is known to exist wherever the claim is defined."""
        at = self.atoms[a]
        if at.inverse_of is not None:
            return at.inverse_of
        if at.symbol in self.orthogonal:
            return self.atom_poly(at.transpose)
        k = self.atom_poly(a).key()
        return self.atom_poly(self.inverses[k]) if k in self.inverses else None

    def atom_inverse(self, a: int) -> Poly:
        known = self.known_inverse(a)
        if known is not None:
            return known
        return self.atom_poly(self.inverse_atom(self.atom_poly(a)))

    def inverse(self, p: Poly) -> Poly:
        p = self.reduce(p)
        if p.rows != p.cols:
            raise GiveUp("the inverse of a matrix that is not square")
        if p.is_zero:
            raise GiveUp("the inverse of 0")
        if p.rows == 1:
            c = p.terms.get((), sp.Integer(0))
            self.add_nonzero(c)
            return Poly(1, 1, {(): _cancel(1 / c)})
        if len(p.terms) == 1:
            ((w, c),) = p.terms.items()
            d = p.rows
            if all(self.atoms[a].rows == d and self.atoms[a].cols == d for a in w):
                # (c·a₁⋯aₘ)⁻¹ = c⁻¹ aₘ⁻¹⋯a₁⁻¹: where the product is invertible, c ≠ 0 and
                # every square factor of its size is invertible (det is multiplicative)
                self.add_nonzero(c)
                out = Poly(d, d, {(): _cancel(1 / c)})
                for a in w:
                    out = self.reduce(self.mul(self.atom_inverse(a), out))
                return out
        return self.atom_poly(self.inverse_atom(p))

    def invertible_term(self, w: Word, c: Any, d: Any) -> Poly | None:
        """(c·w)⁻¹ when c·w is known invertible wherever the claim is defined."""
        if not self.allowed(c):
            return None
        out = Poly(d, d, {(): _cancel(1 / c)})
        for a in w:
            at = self.atoms[a]
            inv = self.known_inverse(a)
            if at.rows != d or at.cols != d or inv is None:
                return None
            out = self.mul(inv, out)
        return self.reduce(out)

    # ----- traces -----

    def trace(self, p: Poly) -> Any:
        if p.rows != p.cols:
            raise GiveUp("the trace of a matrix that is not square")
        return sp.Add(*[c * self.trace_word(w, p.rows) for w, c in p.terms.items()])

    def _nested(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise GiveUp("traces or determinants nested too deep")

    def trace_word(self, w: Word, d: Any) -> Any:
        """tr w, invariant under rotation and transposition: a canonical symbol."""
        if not w:
            return d
        if w in self.traces:
            return self.traces[w]
        self._nested()
        try:
            dims = self.dims(w)
            for i in range(len(w)):
                if dims[i] == 1:  # tr(xyᵀ…) = (…)ᵀ-scalar: rotate it to 1×1
                    q = self.reduce(Poly(1, 1, {w[i:] + w[:i]: sp.Integer(1)}))
                    return q.terms.get((), sp.Integer(0))
            cands = []
            for i in range(len(w)):
                r = w[i:] + w[:i]
                for x in (r, self.transpose_word(r)):
                    if self.match(x) is not None:
                        return self.trace(self.reduce(Poly(dims[i], dims[i], {x: 1})))
                    cands.append(x)
            best = min(cands, key=_order)
            sym = self.traces.get(best) or sp.Dummy(f"tr⟨{self.label(best)}⟩")
            for x in cands:
                self.traces[x] = sym
            return sym
        finally:
            self.depth -= 1

    # ----- determinants -----

    def det(self, p: Poly) -> Any:
        p = self.reduce(p)
        if p.rows != p.cols:
            raise GiveUp("the determinant of a matrix that is not square")
        d = p.rows
        if p.is_zero:
            return sp.Integer(0)
        if d == 1:
            return p.terms.get((), sp.Integer(0))
        self._nested()
        try:
            if len(p.terms) == 1:
                ((w, c),) = p.terms.items()
                return c**d * self.det_word(w, d)
            # det(T + X) = det T · det(I + T⁻¹X), T a part of p invertible wherever the
            # claim is defined: the identity term, a matrix the claim inverts, one term
            split = self._invertible_part(p)
            if split is None:
                return self.opaque_det(p)
            t, t_inv, det_t = split
            rest = Poly(d, d, {x: c for x, c in p.terms.items() if x not in t.terms})
            return det_t * self.det_identity_plus(self.reduce(self.mul(t_inv, rest)))
        finally:
            self.depth -= 1

    def _invertible_part(self, p: Poly):
        """(T, T⁻¹, det T) for the first invertible part T of p: the identity term, then the
        largest inverted matrix contained in p, then its terms one by one."""
        d = p.rows
        if () in p.terms:
            c = p.terms[()]
            if self.allowed(c):
                return Poly(d, d, {(): c}), Poly(d, d, {(): _cancel(1 / c)}), c**d
        keys = []
        for a in set(self.inverses.values()):
            k = self.atoms[a].inverse_of
            assert k is not None
            if (k.rows == d and len(k.terms) < len(p.terms)
                    and all(p.terms.get(w) == c for w, c in k.terms.items())):
                keys.append((a, k))
        if keys:
            a, k = max(keys, key=lambda ak: (len(ak[1].terms), ak[1].sort_key()))
            return k, self.atom_poly(a), self.det(k)
        for w in sorted(p.terms, key=_order):
            t_inv = self.invertible_term(w, p.terms[w], d)
            if t_inv is not None:
                c = p.terms[w]
                return Poly(d, d, {w: c}), t_inv, c**d * self.det_word(w, d)
        return None

    def known_inverse_of(self, p: Poly) -> Poly | None:
        """p⁻¹ if p is a matrix the claim inverts (or a product of such), else None."""
        p = self.reduce(p)
        if p.key() in self.inverses:
            return self.atom_poly(self.inverses[p.key()])
        if len(p.terms) == 1 and p.rows == p.cols:
            ((w, c),) = p.terms.items()
            return self.invertible_term(w, c, p.rows)
        return None

    def det_blocks(self, g: Grid) -> Any:
        """det [[A, B], [C, D]] = det A · det(D − CA⁻¹B) for A invertible where the claim is
        defined, or det D · det(A − BD⁻¹C) for D."""
        if len(g.heights) != 2 or g.heights != g.widths:
            raise GiveUp("the determinant of a block matrix that is not 2×2 with square "
                         "diagonal blocks")
        (a, b), (c, d) = g.blocks
        for x, y, z, w in ((a, b, c, d), (d, c, b, a)):
            x_inv = self.known_inverse_of(x)
            if x_inv is not None:
                schur = self.add(w, self.mul(self.mul(z, x_inv), y), -1)
                return self.det(x) * self.det(schur)
        raise GiveUp("the determinant of a block matrix with no diagonal block known to be "
                     "invertible")

    def det_word(self, w: Word, d: Any) -> Any:
        """det of a product: split where the inner size is d (square factors of one size)."""
        if not w:
            return sp.Integer(1)
        cuts = [i for i, x in enumerate(self.dims(w)) if x == d]
        out = sp.Integer(1)
        for i, j in zip(cuts, cuts[1:], strict=False):
            seg = w[i:j]
            if len(seg) == 1 and self.atoms[seg[0]].inverse_of is not None:
                s = self.atoms[seg[0]].inverse_of
                assert s is not None
                ds = self.det(s)
                self.add_nonzero(ds)  # S is invertible wherever the claim is defined
                out *= 1 / ds
            elif len(seg) == 1:
                name = self.atoms[seg[0]].symbol
                sym = self._det_symbol(("sym", name))
                if name in self.orthogonal and sym not in self.unimodular:
                    self.unimodular.append(sym)
                out *= sym
            else:
                out *= self.opaque_det(Poly(d, d, {seg: sp.Integer(1)}))
        return out

    def _det_symbol(self, key: Any, label: str = "") -> Any:
        if key not in self.dets:
            self.dets[key] = sp.Dummy(f"det⟨{label or key[1]}⟩")
        return self.dets[key]

    def opaque_det(self, p: Poly) -> Any:
        """det p as a symbol, the same for p and pᵀ."""
        t = self.reduce(self.transpose(p))
        best = min(p, t, key=Poly.sort_key)
        sym = self._det_symbol(("poly", best.key()), self.label_poly(best))
        self.dets[("poly", p.key())] = self.dets[("poly", t.key())] = sym
        return sym

    def label_poly(self, p: Poly) -> str:
        """p as text: A + U·C·V (atoms by name; W0, W1 … are inverse atoms)."""
        parts = []
        for w in sorted(p.terms, key=_order):
            c = p.terms[w]
            word = self.label(w)
            text = word if c == 1 else f"−{word}" if c == -1 else f"({c})·{word}"
            parts.append(text)
        return " + ".join(parts).replace("+ −", "− ") or "0"

    def det_identity_plus(self, y: Poly) -> Any:
        """det(I + Y) in a canonical form over Sylvester's moves, det(I + LR) = det(I + RL),
        and transposition; a 1×1 form is its value 1 + y."""
        seen: dict[tuple, Poly] = {}
        queue = [y]
        while queue:
            x = queue.pop(0)
            if x.is_zero:
                return sp.Integer(1)
            if x.rows == 1:
                return 1 + x.terms.get((), sp.Integer(0))
            k = x.key()
            if k in seen:
                continue
            seen[k] = x
            if len(seen) > MAX_STATES:
                break
            queue.extend(self._sylvester_moves(x))
        best = min(seen.values(), key=Poly.sort_key)
        sym = self._det_symbol(("I+", best.key()), "I + " + self.label_poly(best))
        for k in seen:
            self.dets[("I+", k)] = sym
        return sym

    def _sylvester_moves(self, x: Poly) -> list[Poly]:
        out = [self.reduce(self.transpose(x))]
        words = list(x.terms)
        if any(not w for w in words):
            return out
        if len(words) == 1:
            (w,) = words
            c = x.terms[w]
            dims = self.dims(w)
            for i in range(1, len(w)):
                out.append(self.reduce(Poly(dims[i], dims[i], {w[i:] + w[:i]: c})))
            return out
        first = {w[0] for w in words}
        if len(first) == 1:  # X = a·Y: det(I + aY) = det(I + Ya)
            (a,) = first
            m = self.atoms[a].cols
            rest = Poly(m, x.cols, {w[1:]: c for w, c in x.terms.items()})
            out.append(self.reduce(self.mul(rest, self.atom_poly(a))))
        last = {w[-1] for w in words}
        if len(last) == 1:  # X = Y·b: det(I + Yb) = det(I + bY)
            (b,) = last
            m = self.atoms[b].rows
            rest = Poly(x.rows, m, {w[:-1]: c for w, c in x.terms.items()})
            out.append(self.reduce(self.mul(self.atom_poly(b), rest)))
        return out

    # ----- SymPy expressions to polynomials -----

    def scalar(self, e: Any) -> Any:
        """A scalar SymPy expression with traces and determinants in canonical form."""
        if isinstance(e, sp.MatrixExpr):
            if e.shape != (1, 1):
                raise GiveUp("a matrix where a scalar was expected")
            p = self.value(e)
            if isinstance(p, Grid):
                raise GiveUp("a 1×1 block matrix")
            return self.reduce(p).terms.get((), sp.Integer(0))
        if isinstance(e, sp.Trace):
            v = self.value(e.arg)
            if isinstance(v, Grid):
                if v.heights != v.widths:
                    raise GiveUp("the trace of a block matrix with non-square diagonal blocks")
                return sp.Add(*[self.trace(v.blocks[i][i]) for i in range(len(v.heights))])
            return self.trace(v)
        if isinstance(e, sp.Determinant):
            v = self.value(e.arg)
            return self.det_blocks(v) if isinstance(v, Grid) else self.det(v)
        if not isinstance(e, sp.Basic) or not e.args or not e.has(sp.MatrixExpr):
            return e
        return e.func(*[self.scalar(a) for a in e.args])

    def value(self, e: Any) -> Poly | Grid:
        """A matrix expression as a reduced Poly (or a Grid of them for a block matrix)."""
        if e in self.memo:
            return self.memo[e]
        out = self._value(e)
        if isinstance(out, Poly):
            out = self.reduce(out)
        self.memo[e] = out
        return out

    def _value(self, e: Any) -> Poly | Grid:
        if isinstance(e, sp.MatrixSymbol):
            return self.symbol(e)
        if isinstance(e, sp.Identity):
            return self.identity(e.rows)
        if isinstance(e, sp.ZeroMatrix):
            return Poly(e.rows, e.cols, {})
        if isinstance(e, sp.Transpose):
            return _map(self.value(e.arg), self.transpose, transpose_grid=True)
        if isinstance(e, sp.Inverse):
            v = self.value(e.arg)
            if isinstance(v, Grid):
                raise GiveUp("the inverse of a block matrix inside an expression")
            return self.inverse(v)
        if isinstance(e, sp.MatPow):
            k = e.exp
            if not k.is_Integer:
                raise GiveUp("a matrix power with a symbolic exponent")
            base = self.value(e.base)
            if k < 0:
                if isinstance(base, Grid):
                    raise GiveUp("the inverse of a block matrix inside an expression")
                base, k = self.inverse(base), -k
            out = base
            for _ in range(int(k) - 1):
                out = self.product(out, base)
            if k == 0:
                raise GiveUp("a zeroth matrix power")
            return out
        if isinstance(e, sp.MatMul):
            scalars = [a for a in e.args if not isinstance(a, sp.MatrixExpr)]
            mats = [a for a in e.args if isinstance(a, sp.MatrixExpr)]
            c = self.scalar(sp.Mul(*scalars))
            v = self.value(mats[0])
            for m in mats[1:]:
                v = self.product(v, self.value(m))
            return _map(v, lambda p: self.scale(p, c))
        if isinstance(e, sp.MatAdd):
            vals = [self.value(a) for a in e.args]
            out = vals[0]
            for v in vals[1:]:
                out = self.sum(out, v)
            return out
        if isinstance(e, sp.BlockMatrix):
            blocks = e.blocks
            return Grid(tuple(e.rowblocksizes), tuple(e.colblocksizes),
                        [[self._block(blocks[i, j]) for j in range(blocks.shape[1])]
                         for i in range(blocks.shape[0])])
        raise GiveUp(f"{type(e).__name__} is not handled")

    def _block(self, b: Any) -> Poly:
        v = self.value(b)
        if isinstance(v, Grid):
            raise GiveUp("a block matrix nested in a block matrix")
        return v

    def product(self, p: Poly | Grid, q: Poly | Grid) -> Poly | Grid:
        if isinstance(p, Poly) and isinstance(q, Poly):
            return self.reduce(self.mul(p, q))
        if isinstance(p, Grid) and isinstance(q, Grid):
            if p.widths != q.heights:
                raise GiveUp("block matrices partitioned differently")
            blocks = []
            for i in range(len(p.heights)):
                row = []
                for j in range(len(q.widths)):
                    acc = Poly(p.heights[i], q.widths[j], {})
                    for k in range(len(p.widths)):
                        acc = self.add(acc, self.mul(p.blocks[i][k], q.blocks[k][j]))
                    row.append(self.reduce(acc))
                blocks.append(row)
            return Grid(p.heights, q.widths, blocks)
        raise GiveUp("a block matrix times a matrix that is not partitioned")

    def sum(self, p: Poly | Grid, q: Poly | Grid, sign: int = 1) -> Poly | Grid:
        if isinstance(p, Poly) and isinstance(q, Poly):
            return self.reduce(self.add(p, q, sign))
        if isinstance(p, Grid) and isinstance(q, Grid):
            if (p.heights, p.widths) != (q.heights, q.widths):
                raise GiveUp("block matrices partitioned differently")
            return Grid(p.heights, p.widths,
                        [[self.reduce(self.add(a, b, sign)) for a, b in zip(ra, rb, strict=True)]
                         for ra, rb in zip(p.blocks, q.blocks, strict=True)])
        raise GiveUp("a block matrix plus a matrix that is not partitioned")

    def scalar_zero(self, r: Any) -> bool:
        """Is this scalar 0 wherever the claim is defined?  (det Q = ±1 for Q orthogonal.)"""
        r = _cancel(r)
        if r == 0:
            return True
        if not self.unimodular:
            return False
        num, _ = sp.fraction(r)
        for dq in self.unimodular:
            if num.has(dq):
                num = sp.rem(sp.expand(num), dq**2 - 1, dq)
        return sp.expand(num) == 0

    def inverse_atoms(self, p: Poly) -> list[int]:
        """The inverse atoms in p's words, outermost (newest) first."""
        found = {a for w in p.terms for a in w if self.atoms[a].inverse_of is not None}
        return sorted(found, reverse=True)


def _map(v: Poly | Grid, fn, transpose_grid: bool = False) -> Poly | Grid:
    if isinstance(v, Poly):
        return fn(v)
    if transpose_grid:
        return Grid(v.widths, v.heights,
                    [[fn(v.blocks[i][j]) for i in range(len(v.heights))]
                     for j in range(len(v.widths))])
    return Grid(v.heights, v.widths, [[fn(b) for b in row] for row in v.blocks])


# ----- the proof -----


@dataclass
class Proof:
    how: str


def _is_block_inverse(e: Any) -> bool:
    return isinstance(e, sp.Inverse) and isinstance(e.arg, sp.BlockMatrix)


def _grid_identity(alg: Algebra, g: Poly | Grid) -> bool:
    if not isinstance(g, Grid) or g.heights != g.widths:
        return False
    for i, row in enumerate(g.blocks):
        for j, b in enumerate(row):
            want = alg.identity(g.heights[i]) if i == j else Poly(b.rows, b.cols, {})
            if not alg.reduce(alg.add(b, want, -1)).is_zero:
                return False
    return True


def _prove_block_inverse(alg: Algebra, inv: sp.Inverse, other: Any) -> Proof | None:
    m = alg.value(inv.arg)
    r = alg.value(other)
    for first, second, side in ((m, r, "M·R"), (r, m, "R·M")):
        try:
            if _grid_identity(alg, alg.product(first, second)):
                return Proof(f"{side} = I block by block (M the inverted block matrix), so "
                             "R = M⁻¹ wherever M is invertible")
        except GiveUp:
            continue
    return None


def _prove_matrix(alg: Algebra, lhs: Any, rhs: Any) -> Proof | None:
    a, b = alg.value(lhs), alg.value(rhs)
    if isinstance(a, Grid) or isinstance(b, Grid):
        g = alg.sum(a, b, -1)
        if isinstance(g, Grid) and all(x.is_zero for row in g.blocks for x in row):
            return Proof("every block of the residual reduces to 0")
        return None
    r = alg.sum(a, b, -1)
    assert isinstance(r, Poly)
    if r.is_zero:
        return Proof("the residual reduces to 0")
    return _multiplied(alg, r, [], 2)


def _multiplied(alg: Algebra, r: Poly, done: list[str], depth: int) -> Proof | None:
    """M·r or r·M reduces to 0 for the matrix M of an inverse atom (then so does r)."""
    if depth == 0:
        return None
    for a in alg.inverse_atoms(r):
        s = alg.atoms[a].inverse_of
        assert s is not None
        tries = []
        if s.rows == r.rows:
            tries.append(("on the left", lambda s=s: alg.reduce(alg.mul(s, r))))
        if s.cols == r.cols:
            tries.append(("on the right", lambda s=s: alg.reduce(alg.mul(r, s))))
        for where, make in tries:
            m = make()
            step = done + [f"by {alg.label_poly(s)} {where}"]
            if m.is_zero:
                return Proof("the residual reduces to 0 after multiplying it " +
                             ", then ".join(step) + " (invertible where the claim is defined)")
            deeper = _multiplied(alg, m, step, depth - 1)
            if deeper is not None:
                return deeper
    return None


def _prove(alg: Algebra, lhs: Any, rhs: Any) -> Proof | None:
    lm, rm = isinstance(lhs, sp.MatrixExpr), isinstance(rhs, sp.MatrixExpr)
    if lm and rm and (lhs.shape != (1, 1) or rhs.shape != (1, 1)):
        if _is_block_inverse(lhs):
            return _prove_block_inverse(alg, lhs, rhs)
        if _is_block_inverse(rhs):
            return _prove_block_inverse(alg, rhs, lhs)
        return _prove_matrix(alg, lhs, rhs)
    if lm != rm and (lhs if lm else rhs).shape != (1, 1):
        return None
    if alg.scalar_zero(alg.scalar(lhs) - alg.scalar(rhs)):
        return Proof("the scalar residual cancels (traces and determinants in canonical form)")
    return None


_HANDLED = (sp.Inverse, sp.Determinant, sp.BlockMatrix)
_SYMPY_REFUSALS = (TypeError, ValueError, AttributeError, IndexError, KeyError,
                   NotImplementedError, sp.PolynomialError)
_AS_RULES = frozenset({"symmetric", "orthogonal", "diagonal"})


@dataclass
class Marks:
    """Assumptions this strategy applies as rules rather than through the general instance:
    Mᵀ = M (symmetric, diagonal), QᵀQ = QQᵀ = I (orthogonal), AB = BA (commute; diagonal
    matrices of one size commute)."""

    symmetric: set = field(default_factory=set)
    orthogonal: set = field(default_factory=set)
    commute: list = field(default_factory=list)


def _split_assumptions(claim: Claim) -> tuple[Claim, Marks]:
    props: dict[str, set[str]] = {}
    for a in claim.assumptions:
        if a.kind in STRUCTURAL and not a.compound:
            props.setdefault(a.names[0], set()).add(a.kind)
    marks, keep, diagonal = Marks(), [], []
    for a in claim.assumptions:
        if a.compound:
            keep.append(a)
        elif a.kind == "commute":
            marks.commute.append(a.names)
        elif a.kind in _AS_RULES and props[a.names[0]] <= _AS_RULES:
            if a.kind in ("symmetric", "diagonal"):
                marks.symmetric.add(a.names[0])
            if a.kind == "orthogonal":
                marks.orthogonal.add(a.names[0])
            if a.kind == "diagonal":
                diagonal.append(a.names[0])
        else:
            keep.append(a)
    decls = claim.decls
    for i, x in enumerate(diagonal):
        for y in diagonal[i + 1:]:
            if decls[x].dims == decls[y].dims:
                marks.commute.append((x, y))
    return replace(claim, assumptions=tuple(keep)), marks


_JUMPS = (sp.Piecewise, sp.Heaviside, sp.sign, sp.floor, sp.ceiling)


def _continuous(claim: Claim, inst: Any, sides: list[Any]) -> frozenset:
    """The claim's real scalars whose assumptions leave them an interval (not a point, not
    the integers): a polynomial in them that is not 0 is nonzero arbitrarily close to any
    point.  Dividing by it proves the claim off its zero set, and the sides, continuous
    where defined (none if a side may jump), agree on the rest by continuity."""
    if any(s.has(*_JUMPS) for s in sides):
        return frozenset()
    out = set()
    for d in claim.symbols:
        if d.kind != "scalar":
            continue
        try:
            dom = scalar_domain(claim, d.name)
        except Contradictory:
            continue
        if dom.integer or dom.simplex or (dom.lo is not None and dom.hi is not None
                                          and dom.lo >= dom.hi):
            continue
        out.add(inst.env[d.name])
    return frozenset(out)


def _register(alg: Algebra, side: Any) -> None:
    """Convert a side once, so that every inverse atom it holds exists (a step that needs
    the other side's inverses may give up here; the second pass has them)."""
    try:
        if _is_block_inverse(side):
            alg.value(side.arg)
        elif isinstance(side, sp.MatrixExpr) and side.shape != (1, 1):
            alg.value(side)
        else:
            alg.scalar(side)
    except Exhausted:
        raise
    except GiveUp:
        pass


def _denominators(alg: Algebra, sides: list[Any]) -> None:
    """Every denominator the claim writes is nonzero wherever it is defined."""
    for side in sides:
        for e in sp.preorder_traversal(side):
            if isinstance(e, sp.Pow) and e.exp.is_negative and not isinstance(e, sp.MatrixExpr):
                try:
                    alg.add_nonzero(alg.scalar(e.base))
                except GiveUp:
                    continue


def prove_noncommutative(ctx: Context) -> Verdict | None:
    """Prove an identity with inverses, determinants or 2×2 block matrices in general
    dimension (see the module doc); stand down (None) on anything else."""
    claim, marks = _split_assumptions(ctx.claim)
    built = build_general(Context(claim, seed=ctx.seed, budget=ctx.budget))
    if built is None:
        return None
    inst, lhs, rhs, log = built
    sides = [sp.sympify(lhs), sp.sympify(rhs)]
    # every product too: its 1×1 sub-words are scalars (x xᵀx = (xᵀx)x), and an orthogonal
    # matrix's rules QᵀQ = QQᵀ = I act in products only (‖Qx‖ = ‖x‖, tr(QᵀAQ) = tr A)
    if not any(s.has(*_HANDLED, sp.MatMul) for s in sides):
        return None
    alg = Algebra(clock() + min(TIME_LIMIT, ctx.budget),
                  frozenset(marks.symmetric), frozenset(marks.orthogonal),
                  _continuous(ctx.claim, inst, sides))
    try:
        for x, y in marks.commute:
            alg.commute(inst.env[x], inst.env[y])
        for d in ctx.claim.symbols:  # assumed invertible: its inverse atom and rules
            if any(a.kind == "invertible" and a.names[0] == d.name
                   for a in ctx.claim.assumptions):
                m = inst.env[d.name]
                if isinstance(m, sp.MatrixSymbol):
                    alg.inverse(alg.symbol(m))
        _denominators(alg, sides)
        # a first pass registers every inverse atom; the second sees them all (a
        # determinant pulls out a term only if it is known invertible)
        for s in sides:
            _register(alg, s)
        alg.retry_pending()
        alg.memo.clear()
        alg.traces.clear()
        alg.dets.clear()
        proof = _prove(alg, *sides)
    except GiveUp as exc:
        ctx.note(f"prove_noncommutative: {exc}")
        return None
    except _SYMPY_REFUSALS as exc:  # an expression SymPy will not take apart this way
        ctx.note(f"prove_noncommutative: {type(exc).__name__}: {exc}")
        return None
    if proof is None:
        return None
    if log:
        try:
            if not recheck_derivatives(log):
                ctx.note("a SymPy matrix derivative failed its element-wise re-check")
                return None
        except (NotImplementedError, TypeError, ValueError):
            return None
    inverses = len(alg.inverses)
    detail = (f"{proof.how}; rewriting with the defining relations S·S⁻¹ = S⁻¹·S = I of "
              f"{inverses} inverse(s), in general dimension; holds where the inverses exist"
              if inverses else f"{proof.how}, in general dimension")
    if log:
        detail += f"; {len(log)} matrix derivative(s) re-checked element-wise"
    return unless_vacuous(ctx, Verdict("proved", "prove_noncommutative", detail=detail))
