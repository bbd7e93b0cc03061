"""Inequalities in general dimension: a claim (f ≥ g) = 1 (or f > g, f ≤ g, f < g) proved by a
certificate that the gap f − g is nonnegative (positive) wherever both sides are defined.

The certificates, tried in turn on the gap built in general dimension:

1. term by term: a sum of terms each nonnegative by its form: numbers, nonnegative symbols,
   even powers, √·, |·|, exp, log(1 + ·), and traces tr(F₁…Fₖ Fₖᵀ…F₁ᵀ) = ‖F₁…Fₖ‖²_F (xᵀAᵀAx,
   xᵀSSᵀx for a positive definite A = SSᵀ, xᵀ(SSᵀ)⁻¹x);
2. vectors met only through inner products: the gap is a polynomial in their Gram matrix G,
   and G ranges over positive semidefinite matrices (all of them for n at least the number of
   vectors, a part of them below). A polynomial of degree 1 in G, c + tr(QG), is nonnegative
   there when c ≥ 0 and Q is positive semidefinite (exact rational arithmetic); otherwise,
   with G = LLᵀ (L lower triangular, any real entries), a polynomial whose every monomial has
   even exponents and a positive coefficient is a sum of squares (Cauchy–Schwarz:
   tr(xᵀx)tr(yᵀy) − tr(xᵀy)² becomes l₁₁²l₂₂²); a polynomial of degree 2 in real scalars
   z is [z; 1]ᵀQ[z; 1], nonnegative when Q is positive semidefinite;
3. square roots: k√X ≥ −R because k²X − R² ≥ 0, and R ≥ k√X because R ≥ 0 and R² − k²X ≥ 0
   (the triangle inequality, after two squarings, is Cauchy–Schwarz);
4. cases: |X|, max(a, b) and min(a, b) replaced by each value they can take, every case
   certified;
5. parts: the terms nonnegative by their form set aside, the rest certified (ε + a
   positive semidefinite quadratic);
6. tangents: a term c·eᵘ with c > 0 replaced by c(1 + u), c·log u with c < 0 by c(u − 1)
   (each no larger), the result certified;
7. monotonicity, for a gap in one real variable: its domain cut where the derivative may
   change sign, the derivative's sign certified on each piece by these rules, the least value
   at a piece's end (verifier/strategies/monotone.py).

Every rule is an implication, so the strategy is sound and not complete: a claim it cannot
certify is left to the others. It proves nothing about a claim whose sides need a matrix
derivative (those are re-checked element-wise elsewhere) or hold an imaginary number.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement
from sympy.polys.polyerrors import CoercionFailed

from verifier.certify import sign_or_none
from verifier.strategies.context import Context
from verifier.strategies.failing_point import fails_somewhere
from verifier.strategies.general import build_general, canonical_trace, distribute, unless_vacuous
from verifier.strategies.monotone import attempts as monotone_attempts
from verifier.strategies.monotone import monotone
from verifier.verdict import Verdict

__all__ = ["certify", "nonnegative", "obligations", "positive", "prove_nonnegative"]

MAX_DEPTH = 3  # rewritings of the gap (a root squared, a case of |·|), at most this deep
MAX_GRAM_VECTORS = 4  # a Gram matrix of more vectors has too many entries to expand


@dataclass(frozen=True)
class Facts:
    """What the claim assumes that makes a norm ‖F₁…Fₖx‖² positive: x nonzero (or with every
    entry of one strict sign), and each
    Fᵢ square and invertible (assumed invertible or orthogonal, or the factor S of a positive
    definite A = SSᵀ, which is invertible as A is)."""

    nonzero: frozenset = frozenset()
    invertible: frozenset = frozenset()


NO_FACTS = Facts()
_FACTS: ContextVar[Facts] = ContextVar("nonnegative_facts", default=NO_FACTS)  # noqa: B039 - frozen


def _facts(claim: Any, inst: Any) -> Facts:
    def named(kinds: tuple[str, ...], of: str = "") -> set:
        """The symbols assumed so, by name, or (``of``) through that function of them:
        "norm(x) nonzero" ("x is a nonzero vector"), "det(A) nonzero"."""
        out = set()
        for a in claim.assumptions:
            if a.kind not in kinds or len(a.names) != 1:
                continue
            name = a.names[0].replace(" ", "")
            if a.compound:  # an expression: only of(name) says something of the symbol
                m = re.fullmatch(rf"{of}\((\w+)\)", name) if of else None
                if m is None:
                    continue
                name = m.group(1)
            elif of:  # "A positive" is of A's entries, not of det(A): no invertible A
                continue
            if name in claim.decls:
                out.add(inst.env[name])
        return out
    # a vector with every entry positive (or every one negative) is not the zero vector
    nonzero = {v for v in named(("nonzero", "positive", "negative")) | named(("nonzero",), "norm")
               if isinstance(v, sp.MatrixSymbol) and v.shape[1] == 1}
    invertible = {m for m in named(("invertible", "orthogonal"))
                  | named(("nonzero", "positive", "negative"), "det")
                  if isinstance(m, sp.MatrixSymbol)}
    for value in inst.structure.values():  # A = S·Sᵀ, A positive definite
        if isinstance(value, sp.MatMul) and len(value.args) == 2 \
                and value.args[1] == sp.Transpose(value.args[0]) \
                and isinstance(value.args[0], sp.MatrixSymbol):
            invertible.add(value.args[0])
    return Facts(frozenset(nonzero), frozenset(invertible))


def prove_nonnegative(ctx: Context) -> Verdict | None:
    built = build_general(ctx)
    if built is None:
        return None
    inst, lhs, rhs, log = built
    if log:  # a matrix derivative on the way: its element-wise re-check is prove_general's
        return None
    gaps = obligations(lhs, rhs)
    if not gaps:
        return None
    token = _FACTS.set(_facts(ctx.claim, inst))
    try:
        hows = [certify(gap, strict) for gap, strict in gaps]
    finally:
        _FACTS.reset(token)
    if None in hows:
        return None
    strict = all(s for _, s in gaps)
    kind = "positive" if strict else "nonnegative"
    how = "; ".join(dict.fromkeys(h for h in hows if h))
    return unless_vacuous(ctx, Verdict(
        "proved", "prove_nonnegative",
        detail=f"the gap between the compared sides is {kind} in general dimension: {how}"))


def obligations(lhs: Any, rhs: Any) -> list[tuple[Any, bool]] | None:
    """[(gap, strict)]: every gap that must be nonnegative (positive when strict) for a side
    that is the indicator of a comparison, set equal to 1, to be 1 everywhere: f − g for
    f ≥ g and f > g, g − f for ≤ and <. A comparison of max(a, b) reads as "if a ≥ b then …
    else …": both branches are obligations (without the branch's condition: stronger)."""
    for side, other in ((lhs, rhs), (rhs, lhs)):
        if sp.sympify(other) != 1 or not isinstance(side, sp.Piecewise):
            continue
        pieces = side.args
        if len(pieces) != 2 or pieces[0].expr != 1 or pieces[1] != (0, True):
            continue
        return _gaps(pieces[0].cond)
    return None


def _gaps(cond: Any) -> list[tuple[Any, bool]] | None:
    if cond is sp.true:
        return []
    if isinstance(cond, sp.ITE):
        branches = [_gaps(c) for c in cond.args[1:]]
        return None if None in branches else [g for b in branches for g in b]
    if isinstance(cond, sp.And):
        parts = [_gaps(c) for c in cond.args]
        return None if None in parts else [g for b in parts for g in b]
    if isinstance(cond, sp.GreaterThan | sp.StrictGreaterThan):
        gap = cond.lhs - cond.rhs
    elif isinstance(cond, sp.LessThan | sp.StrictLessThan):
        gap = cond.rhs - cond.lhs
    else:
        return None
    if any(isinstance(x, sp.MatrixExpr) for x in (cond.lhs, cond.rhs)) or gap.has(sp.I):
        return None
    return [(gap, isinstance(cond, sp.StrictGreaterThan | sp.StrictLessThan))]


def certify(gap: Any, strict: bool) -> str | None:
    """How ``gap`` is shown nonnegative (positive when ``strict``), or None."""
    if fails_somewhere(sp.sympify(gap), strict):  # no certificate exists: none is searched
        return None
    with monotone_attempts():
        for how, rule in RULES:
            if rule(gap, strict, MAX_DEPTH):
                return how
    return None


def _any_rule(e: Any, depth: int, strict: bool = False) -> bool:
    """``e`` certified by some rule within ``depth`` more rewritings (rules 3–6 recurse)."""
    if fails_somewhere(sp.sympify(e), strict):
        return False
    return any(rule(e, strict, depth) for _, rule in RULES)


# ----- rule 1: term by term -----


def _termwise(e: Any, strict: bool, _depth: int = 0) -> bool:
    return positive(e) if strict else nonnegative(e)


def positive(e: Any) -> bool:
    """e > 0 wherever it is defined, by its form."""
    e = sp.sympify(e)
    if e.is_number:
        return sign_or_none(e) == 1
    if e.is_Symbol:
        return e.is_positive is True
    if isinstance(e, sp.exp):
        return _real(e.args[0])
    if isinstance(e, sp.Add):
        return all(map(nonnegative, e.args)) and any(map(positive, e.args)) or _bounded(e, True)
    if isinstance(e, sp.Mul):
        return all(map(positive, e.args))
    if isinstance(e, sp.Pow):
        # a negative power of a nonnegative base is defined only where the base is not 0
        return positive(e.base) and _real(e.exp) or (
            nonnegative(e.base) and e.exp.is_negative is True) or (
            e.exp.is_integer is True and e.exp.is_even is True and _nonzero_det(e.base))
    if isinstance(e, sp.log):
        return _above_one(e.args[0], strict=True)
    if isinstance(e, _ODD_INCREASING):
        return positive(e.args[0])
    if _is_sigmoid(e):
        return _real(e.args[0])
    if isinstance(e, sp.Trace):
        return _norm_of_nonzero(e.arg)
    if isinstance(e, sp.Determinant):
        return _gram_determinant(e.arg, strict=True) or _kronecker_determinant(e.arg, True)
    return False


# f(u) has u's sign: tanh, atan, sinh, asinh, erf
_ODD_INCREASING = (sp.tanh, sp.atan, sp.sinh, sp.asinh, sp.erf)


def _is_sigmoid(e: Any) -> bool:
    return type(e).__name__ == "sigmoid"  # σ(u) = 1/(1 + e⁻ᵘ) > 0 (ops' own Function)


def _norm_of_nonzero(m: Any) -> bool:
    """tr(xᵀF₁ᵀ…Fₖᵀ Fₖ…F₁x) = ‖Fₖ…F₁x‖² > 0: x assumed nonzero, each Fᵢ square and
    invertible (or its transpose or inverse): the product does not send x to 0. Without a
    vector, tr(F₁…FₖFₖᵀ…F₁ᵀ) with every Fᵢ invertible is the squared norm of an invertible
    matrix, which is not 0 (tr(AB) > 0 for A, B positive definite)."""
    facts = _FACTS.get()
    if not (facts.invertible or facts.nonzero):
        return False
    for form in (m, sp.expand(m).doit()):  # (SSᵀ)⁻¹ written out as S⁻ᵀS⁻¹
        coeff, fs = _flat(form)
        turned = _turned_palindrome(fs)
        if turned is None or not positive(coeff):
            continue
        half = turned[: len(turned) // 2]
        first = half[0]
        if isinstance(first, sp.Transpose) and first.arg in facts.nonzero:
            half = half[1:]
        if all(_invertible(f, facts) for f in half):
            return True
    return False


def _nonzero_det(e: Any) -> bool:
    """det(A) ≠ 0 for A assumed invertible (an even power of it is then positive: det(A ⊗ A)
    = det(A)^(2n) > 0)."""
    return isinstance(e, sp.Determinant) and _invertible(e.arg, _FACTS.get())


def _invertible(f: Any, facts: Facts) -> bool:
    while isinstance(f, sp.Transpose | sp.Inverse):
        f = f.arg
    return f in facts.invertible and f.shape[0] == f.shape[1]


def nonnegative(e: Any) -> bool:
    """e ≥ 0 wherever it is defined, by its form."""
    e = sp.sympify(e)
    if e.is_number:
        return sign_or_none(e) in (0, 1)
    if e.is_Symbol:
        return e.is_nonnegative is True
    if isinstance(e, sp.Abs | sp.exp):
        return _real(e.args[0])
    if isinstance(e, sp.Add | sp.Mul):
        return all(map(nonnegative, e.args)) or positive(e) or (
            isinstance(e, sp.Add) and _bounded(e, False))
    if isinstance(e, sp.Pow):
        even = e.exp.is_integer and e.exp.is_even
        return (even and _real(e.base)) or (nonnegative(e.base) and _real(e.exp))
    if isinstance(e, sp.log):
        return _above_one(e.args[0], strict=False)
    if isinstance(e, _ODD_INCREASING):
        return nonnegative(e.args[0])
    if _is_sigmoid(e):
        return _real(e.args[0])
    if isinstance(e, sp.Trace):
        return _gram_trace(e.arg) or _gram(e, False)
    if isinstance(e, sp.Determinant):
        return _gram_determinant(e.arg, strict=False) or _kronecker_determinant(e.arg, False)
    return False


# functions of a real argument with values in [−1, 1]
_UNIT_BOUNDED = (sp.sin, sp.cos, sp.tanh, sp.erf)


def _bounded(e: Any, strict: bool) -> bool:
    """c + Σ cᵢ·fᵢ(uᵢ) + R with numbers c, cᵢ, each fᵢ in [−1, 1] (sin, cos, tanh, erf of a
    real uᵢ) and R ≥ 0 by its form: e ≥ c − Σ|cᵢ| + R. 1 − cos t ≥ 0, 2 + sin t − cos t ≥ 0;
    > 0 when c − Σ|cᵢ| > 0 or R > 0."""
    c, room, rest = sp.Integer(0), sp.Integer(0), []
    for term in e.args:
        k, f = term.as_coeff_Mul()
        if term.is_number:
            c += term
        elif isinstance(f, _UNIT_BOUNDED) and _real(f.args[0]):
            room += abs(k)
        else:
            rest.append(term)
    if room == 0:
        return False
    r = sp.Add(*rest)
    margin = sign_or_none(c - room)
    if margin is None or margin < 0:
        return False
    if not strict or margin == 1:
        return nonnegative(r)
    return bool(rest) and positive(r)


def _gram_determinant(m: Any, strict: bool) -> bool:
    """det(c·PPᵀ) for P = F₁…Fₖ, written F₁…FₖFₖᵀ…F₁ᵀ (not rotated: det(AB) ≠ det(BA) for
    non-square factors): ≥ 0 for c ≥ 0, as PPᵀ is positive semidefinite; > 0 for c > 0 when
    every Fᵢ is square and invertible (det(S_A S_Aᵀ) of a positive definite A)."""
    if isinstance(m, sp.Inverse):  # det M⁻¹ = 1/det M: where defined, det M ≥ 0 is > 0
        return _gram_determinant(m.arg, strict=False)
    coeff, fs = _flat(m)
    if not _palindrome(fs):
        return False
    if not strict:
        return nonnegative(coeff)
    facts = _FACTS.get()
    return positive(coeff) and all(_invertible(f, facts) for f in fs[: len(fs) // 2])


def _kronecker_determinant(m: Any, strict: bool) -> bool:
    """det(F₁ ⊗ … ⊗ Fₖ) = Πᵢ det(Fᵢ)^(N/nᵢ) for square Fᵢ of size nᵢ (N = Πⱼ nⱼ): of the sign
    that product shows (det(A ⊗ A) = det(A)^(2n) ≥ 0); not for non-square factors, whose
    Kronecker product may still be square."""
    if not isinstance(m, sp.KroneckerProduct):
        return False
    factors = m.args
    if not all(f.shape[0] == f.shape[1] for f in factors):
        return False
    whole = sp.Mul(*[f.shape[0] for f in factors])
    for written_out in (False, True):  # det(SSᵀ) as it is (a Gram determinant), or det(I) = 1
        power = sp.Mul(*[(sp.Determinant(f).doit() if written_out else sp.Determinant(f))
                         ** sp.cancel(whole / f.shape[0]) for f in factors])
        if positive(power) if strict else nonnegative(power):
            return True
    return False


def _above_one(e: Any, strict: bool) -> bool:
    """e ≥ 1 (> 1): 1 + a nonnegative (positive) rest."""
    rest = sp.sympify(e) - 1
    return positive(rest) if strict else nonnegative(rest)


# functions that are real at a real argument (where they are defined)
REAL_FUNCTIONS = frozenset({"exp", "log", "sin", "cos", "tanh", "atan", "erf", "Abs", "Max",
                            "Min", "sign", "sigmoid", "Heaviside"})


def _real(e: Any) -> bool:
    """Real by construction: numbers, real symbols, entries, traces and determinants of the
    (real) matrices, sums, products, integer powers and real functions of them, and powers
    of a nonnegative base (a cube root of a negative number is complex in SymPy)."""
    e = sp.sympify(e)
    if e.is_number:
        return e.is_real is True
    if isinstance(e, sp.Symbol):
        return e.is_real is True
    if isinstance(e, sp.Trace | sp.Determinant | MatrixElement):
        return True
    if isinstance(e, sp.Add | sp.Mul):
        return all(map(_real, e.args))
    if isinstance(e, sp.Pow):
        return _real(e.base) and _real(e.exp) and (
            e.exp.is_integer is True or nonnegative(e.base))
    if isinstance(e, sp.Function) and type(e).__name__ in REAL_FUNCTIONS:
        return all(map(_real, e.args))
    return False


def _flat(m: Any) -> tuple[Any, list]:
    """(scalar coefficient, matrix factors) of a product, nested products and integer powers
    written out, identities dropped."""
    coeff, factors = sp.Integer(1), []
    for f in (m.args if isinstance(m, sp.MatMul) else (m,)):
        if not isinstance(f, sp.MatrixExpr):
            coeff *= f
        elif isinstance(f, sp.MatMul):
            c, fs = _flat(f)
            coeff, factors = coeff * c, factors + fs
        elif isinstance(f, sp.MatPow) and f.exp.is_Integer and 1 < f.exp <= 8:
            c, fs = _flat(f.base)  # (SSᵀ)² is S, Sᵀ, S, Sᵀ: its halves are S and Sᵀ
            coeff, factors = coeff * c ** int(f.exp), factors + fs * int(f.exp)
        elif not isinstance(f, sp.Identity):
            factors.append(f)
    return coeff, factors


def _palindrome(factors: list) -> bool:
    """F₁…Fₖ Fₖᵀ…F₁ᵀ: the factors read backwards are their own transposes."""
    if not factors or len(factors) % 2:
        return False
    return all(sp.Transpose(a).doit() == b.doit()
               for a, b in zip(factors, reversed(factors), strict=True))


def _gram_trace(m: Any) -> bool:
    """tr m ≥ 0: m = c·PPᵀ with c ≥ 0 as written, or after multiplying out, term by term; a
    term's factors may be turned first (tr(SSᵀTTᵀ) = tr(SᵀTTᵀS) = ‖SᵀT‖²)."""
    for form in (m, distribute(sp.expand(m))):
        terms = form.args if isinstance(form, sp.MatAdd) else (form,)
        if all(nonnegative(c) and _turned_palindrome(f) is not None for c, f in map(_flat, terms)):
            return True
    return False


def _turned_palindrome(fs: list) -> list | None:
    """fs rotated to F₁…FₖFₖᵀ…F₁ᵀ (a trace is invariant under rotation), or None."""
    for k in range(len(fs)):
        turned = fs[k:] + fs[:k]
        if _palindrome(turned):
            return turned
    return None


# ----- rule 2: polynomials in a Gram matrix -----


def _gram(e: Any, strict: bool, _depth: int = 0) -> bool:
    found = _in_gram(e)
    if found is None:
        return False
    poly, entries, k = found
    if poly.is_ground:
        return _termwise(poly.as_expr(), strict)
    if strict:
        return False
    if poly.total_degree() == 1 and _psd_linear(poly, entries, k):
        return True
    return _cholesky_even(poly, entries, k)


def _in_gram(e: Any) -> tuple[sp.Poly, dict, int] | None:
    """e as a polynomial with rational coefficients in the inner products g_ij = vᵢᵀvⱼ of
    column vectors (x, y, or products such as Sᵀx; every matrix met only inside such inner
    products), or ⟨Vᵢ, Vⱼ⟩_F of matrices, with the g's it uses and the number of vectors."""
    e = sp.expand(e)
    traces = e.atoms(sp.Trace)
    if not traces:
        return None
    canon = {t: canonical_trace(t) for t in traces}
    e = sp.expand(e.xreplace(canon))
    traces = sorted(e.atoms(sp.Trace), key=sp.default_sort_key)
    options = [_inner(t.arg) for t in traces]
    if not all(options):
        return None
    pairs = _fewest_vectors(options)
    vectors: list = []
    by_pair: dict[tuple[int, int], sp.Dummy] = {}
    names: dict[Any, sp.Dummy] = {}
    for t, pair in zip(traces, pairs, strict=True):
        for w in pair:
            if w not in vectors:
                vectors.append(w)
        i, j = sorted(vectors.index(w) for w in pair)
        names[t] = by_pair.setdefault((i, j), sp.Dummy(f"g{i}{j}"))
    if len(vectors) > MAX_GRAM_VECTORS:
        return None
    e = e.xreplace(names)
    for i, w in enumerate(vectors):  # the identity's size d outside traces is ⟨I, I⟩_F = d
        if isinstance(w, sp.Identity):
            e = e.xreplace({w.shape[0]: by_pair.setdefault((i, i), sp.Dummy(f"g{i}{i}"))})
    # a matrix named beside its transpose has the same norm: ‖C‖²_F read as the mean of
    # ⟨C, C⟩_F and ⟨Cᵀ, Cᵀ⟩_F, so that tr(C²) = ⟨Cᵀ, C⟩_F ≤ ‖C‖²_F is ½‖C − Cᵀ‖²_F ≥ 0
    for i, w in enumerate(vectors):
        if w.shape[1] == 1 or (t := sp.Transpose(w).doit()) not in vectors[i + 1:]:
            continue
        j = vectors.index(t)
        g_i, g_j = (by_pair.setdefault((k, k), sp.Dummy(f"g{k}{k}")) for k in (i, j))
        e = e.xreplace({g_i: (g_i + g_j) / 2, g_j: (g_i + g_j) / 2})
    if e.free_symbols - set(by_pair.values()) or e.has(sp.MatrixSymbol):
        return None
    gens = sorted(by_pair.values(), key=str)
    num, den = sp.fraction(sp.together(e))
    coeff, norms = sp.factor(den).as_coeff_Mul()
    diagonal = {g for (i, j), g in by_pair.items() if i == j}
    if coeff > 0 and all(b in diagonal for b in (f.as_base_exp()[0] for f in
                                                   sp.Mul.make_args(norms))):
        e = num  # over squared norms (the size n = ⟨I, I⟩_F): positive wherever e is defined
    try:
        poly = sp.Poly(e, *gens, domain="QQ")
    except sp.PolynomialError:
        return None
    return poly, {g: ij for ij, g in by_pair.items()}, len(vectors)


MAX_ORIENTATIONS = 64  # choices of ⟨U, V⟩_F or ⟨Uᵀ, Vᵀ⟩_F tried for the matrices' traces


def _fewest_vectors(options: list[list[tuple[Any, Any]]]) -> list[tuple[Any, Any]]:
    """One pair per trace, chosen so that the fewest distinct vectors are named: ⟨Cᵀ, D⟩_F
    beside ‖C‖²_F reads the norm as ⟨Cᵀ, Cᵀ⟩_F, the same vector (a matrix named both C and
    Cᵀ would be two unrelated vectors, and Cauchy–Schwarz out of reach)."""
    if math.prod(map(len, options)) > MAX_ORIENTATIONS:
        return [o[0] for o in options]
    return list(min(itertools.product(*options),
                    key=lambda choice: len({w for pair in choice for w in pair})))


def _halves(fs: list) -> Iterator[tuple[Any, Any]]:
    """(U, V) with tr(F₁…F₂ₖ) = tr(UᵀV): the factors turned (a trace is invariant under
    rotation and transposition) and split in the middle, U the first half transposed."""
    for seq in (fs, [sp.Transpose(f).doit() for f in reversed(fs)]):
        for k in range(len(seq)):
            turned = seq[k:] + seq[:k]
            half = len(turned) // 2
            yield sp.Transpose(sp.MatMul(*turned[:half])).doit(), sp.MatMul(*turned[half:]).doit()


def _inner(m: Any) -> list[tuple[Any, Any]] | None:
    """[(u, v)], two columns with tr m = uᵀv: m's factors turned to start with a row and
    split in the middle. Any split would be an identity; the middle one names the same
    vectors in xᵀSSᵀx and xᵀSSᵀy. Otherwise matrices (_frobenius), in both orientations."""
    coeff, fs = _flat(m)
    if coeff != 1 or not fs:
        return None
    if len(fs) % 2:  # tr M = ⟨I, M⟩_F, ‖I‖²_F the size (_in_gram)
        whole = sp.MatMul(*fs).doit() if len(fs) > 1 else fs[0]
        size = whole.shape[0]
        if whole.shape[1] != size or not isinstance(size, sp.Symbol):
            return None
        return [(sp.Identity(size), whole), (sp.Identity(size), sp.Transpose(whole).doit())]
    for u, v in _halves(fs):
        if u.shape[1] == 1 and v.shape[1] == 1 and u.shape[0] == v.shape[0]:
            return [(u, v)]
    found = _frobenius(fs)
    if found is None:
        return None
    u, v = found
    return [(u, v), (sp.Transpose(u).doit(), sp.Transpose(v).doit())]


def _frobenius(fs: list) -> tuple[Any, Any] | None:
    """(U, V) of one shape with tr(F₁…F₂ₖ) = tr(UᵀV) = ⟨U, V⟩_F, the Frobenius inner product,
    so tr(AᵀB)² ≤ tr(AᵀA)·tr(BᵀB) is Cauchy–Schwarz in the Gram matrix of the matrices. A
    split whose halves are not themselves transposes is preferred, so that tr(ABᵀ) and tr(AᵀB)
    name A and B rather than Aᵀ. Any split is sound: matrices named twice (A and Aᵀ) are only
    treated as unrelated, which proves over more Gram matrices than they can have."""
    found = None
    for u, v in _halves(fs):
        if u.shape != v.shape:
            continue
        if not isinstance(u, sp.Transpose) and not isinstance(v, sp.Transpose):
            return u, v
        found = found or (u, v)
    return found


def _psd_linear(poly: sp.Poly, entries: dict, k: int) -> bool:
    """c + Σ q_ij g_ij ≥ 0 on every Gram matrix: c ≥ 0 and Q (q_ij split over ij and ji)
    positive semidefinite."""
    constant, placed = sp.Integer(0), []
    for monomial, coeff in poly.terms():
        if not any(monomial):
            constant = coeff
            continue
        (i, j), = (entries[g] for g, p in zip(poly.gens, monomial, strict=True) if p)
        placed.append((i, j, coeff))
    return constant >= 0 and _psd(_symmetric(k, placed))


def _symmetric(k: int, placed: list[tuple[int, int, Any]]) -> sp.Matrix:
    """The k×k symmetric Q with Σ Q_ij z_i z_j = Σ c z_i z_j over (i, j, c): an off-diagonal
    coefficient split over ij and ji."""
    q = sp.zeros(k, k)
    for i, j, coeff in placed:
        q[i, j] += coeff / (1 if i == j else 2)
        if i != j:
            q[j, i] += coeff / 2
    return q


MAX_QUADRATIC_SYMBOLS = 6


def _quadratic(e: Any, strict: bool, _depth: int = 0) -> bool:
    return not strict and _scalar_quadratic(e)


def _scalar_quadratic(e: Any) -> bool:
    """A polynomial of degree at most 2 in real scalars z, [z; 1]ᵀ Q [z; 1] with Q positive
    semidefinite (t² + s² − 2ts: Q = [[1, −1, 0], [−1, 1, 0], [0, 0, 0]])."""
    e = sp.expand(e)
    if e.has(sp.MatrixSymbol):
        return False
    # a real function of the scalars stands for a real variable of its own: a form ≥ 0 for
    # every real value of it is ≥ 0 at its values (1/4 − σ + σ² = (σ − 1/2)²)
    atoms = [f for f in e.atoms(sp.Function) if _real(f)]
    e = e.xreplace({f: sp.Dummy(real=True) for f in atoms})
    syms = sorted(e.free_symbols, key=str)
    if not syms or len(syms) > MAX_QUADRATIC_SYMBOLS \
            or not all(isinstance(z, sp.Symbol) and z.is_real for z in syms):
        return False
    try:
        poly = sp.Poly(e, *syms, domain="QQ")
    except (sp.PolynomialError, CoercionFailed):  # e.g. a coefficient e or π
        return False
    if poly.total_degree() != 2:
        return False
    k = len(syms)  # index k is the constant 1 of [z; 1]
    placed = []
    for monomial, coeff in poly.terms():
        i, j = ([i for i, p in enumerate(monomial) for _ in range(p)] + [k, k])[:2]
        placed.append((i, j, coeff))
    return _psd(_symmetric(k + 1, placed))


def _psd(q: sp.Matrix) -> bool:
    """Exact: every principal minor of a rational symmetric matrix is ≥ 0."""
    k = q.shape[0]
    return all(q.extract(list(rows), list(rows)).det() >= 0
               for r in range(1, k + 1) for rows in itertools.combinations(range(k), r))


def _cholesky_even(poly: sp.Poly, entries: dict, k: int) -> bool:
    """With G = LLᵀ, every monomial in L's entries of even exponents, positive coefficient."""
    ls = {(i, j): sp.Dummy(f"l{i}{j}") for i in range(k) for j in range(i + 1)}
    gram = {g: sum(ls[(i, t)] * ls[(j, t)] for t in range(min(i, j) + 1))
            for g, (i, j) in entries.items()}
    expanded = sp.Poly(sp.expand(poly.as_expr().xreplace(gram)), *ls.values())
    return all(c > 0 and all(p % 2 == 0 for p in m) for m, c in expanded.terms())


# ----- rule 3: square roots -----


def _sqrt_terms(e: Any) -> list[tuple[Any, Any, Any]]:
    """(k, X, term) for each term k√X of e (k rational, X nonnegative), √a√b read as √(ab)."""
    out = []
    for term in sp.Add.make_args(sp.expand(e)):
        coeff, rest = term.as_coeff_Mul()
        roots = [f for f in sp.Mul.make_args(rest) if isinstance(f, sp.Pow) and f.exp == sp.S.Half]
        if roots and sp.Mul(*roots) == rest and all(nonnegative(r.base) for r in roots):
            out.append((coeff, sp.Mul(*[r.base for r in roots]), term))
    return out


def _squared(e: Any, strict: bool, depth: int) -> bool:
    if strict or depth <= 0:
        return False
    for k, x, term in _sqrt_terms(e):
        rest = sp.expand(e) - term
        if k > 0:  # k√X ≥ |R| ≥ −R
            if _any_rule(sp.expand(k**2 * x - rest**2), depth - 1):
                return True
        elif _any_rule(rest, depth - 1) and _any_rule(sp.expand(rest**2 - k**2 * x), depth - 1):
            return True  # R ≥ 0 and R² ≥ k²X: R ≥ |k|√X
    return False


# ----- rule 4: cases -----


def _cases(e: Any, strict: bool, depth: int) -> bool:
    """|X| is X or −X, max(a, b) is a or b, min too: e holds if it holds with each
    alternative in place (each case's own condition, X ≥ 0 say, is not needed)."""
    if depth <= 0:
        return False
    for atom in sorted(e.atoms(sp.Abs, sp.Max, sp.Min), key=sp.count_ops):
        options = (atom.args[0], -atom.args[0]) if isinstance(atom, sp.Abs) else atom.args
        if all(_any_rule(sp.expand(e.xreplace({atom: o})), depth - 1, strict)
               for o in options):
            return True
    return False


# ----- rule 5: a sum in two parts -----


def _partly(e: Any, strict: bool, depth: int) -> bool:
    """e = (terms nonnegative by their form) + rest, and the rest certified by another
    rule. Two ways to part: every such term aside, or only those in symbols the other terms
    do not use (ε + x₁²/4 + x₂²/4 − x₁x₂/2 keeps its squares with the product)."""
    if depth <= 0:
        return False
    terms = sp.Add.make_args(sp.expand(e))
    signed = [t for t in terms if nonnegative(t)]
    used = set().union(*(t.free_symbols for t in terms if t not in signed))
    for known in (signed, [t for t in signed if not t.free_symbols & used]):
        if not known or len(known) == len(terms):
            continue
        rest = sp.Add(*[t for t in terms if t not in known])
        if _any_rule(rest, depth - 1, strict and not any(map(positive, known))):
            return True
    return False


# ----- rule 6: tangent lines -----


def _tangents(e: Any, strict: bool, depth: int) -> bool:
    """eᵘ ≥ 1 + u and log u ≤ u − 1 (where u > 0): a gap with c·eᵘ (c > 0) or c·log u
    (c < 0; a number, or of that sign by its form: −p·log(q/p) with p > 0) is at least the
    gap with the tangent line in its place. Tried with the logs as written and split."""
    if depth <= 0:
        return False
    for form in dict.fromkeys((sp.expand(e), sp.expand(e, log=False))):
        out, replaced = [], False
        for term in sp.Add.make_args(form):
            c, rest = term.as_independent(sp.exp, sp.log, as_Add=False)
            if isinstance(rest, sp.exp) and _of_sign(c, 1) and _real(rest.args[0]):
                out.append(c * (1 + rest.args[0]))
                replaced = True
            elif isinstance(rest, sp.log) and _of_sign(c, -1) and _real(rest.args[0]):
                out.append(c * (rest.args[0] - 1))
                replaced = True
            else:
                out.append(term)
        if replaced and _any_rule(sp.expand(sp.Add(*out)), depth - 1, strict):
            return True
    return False


def _of_sign(c: Any, sign: int) -> bool:
    """c > 0 (sign 1) or c < 0 (sign −1): a number, or by its form."""
    if c.is_number:
        return sign_or_none(c) == sign
    return positive(sign * c)


# ----- rule 7: monotonicity in one variable -----


def _monotone(e: Any, strict: bool, depth: int) -> bool:
    return monotone(e, strict, depth, _any_rule)


# the rules in the order they are tried, each with how it shows the sign
RULES: tuple[tuple[str, Callable[[Any, bool, int], bool]], ...] = (
    ("term by term, each of the sign its form shows", _termwise),
    ("a polynomial in the vectors' Gram matrix", _gram),
    ("a quadratic in scalars with a positive semidefinite matrix", _quadratic),
    ("after squaring its square roots", _squared),
    ("for each value |·|, max and min can take", _cases),
    ("its terms of a known sign set aside, the rest", _partly),
    ("eᵘ ≥ 1 + u and log u ≤ u − 1 in place", _tangents),
    ("monotone in its one variable on pieces of its domain, least at a piece's end",
     _monotone),
)
