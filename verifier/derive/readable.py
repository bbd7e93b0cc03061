"""Textbook spellings a result reads better with, applied after it is simplified.

The simplifier works on sums, products and element-wise algebra; some forms people expect
are not shorter there, only more familiar: mean(x) for sum(x)/n.  Each pass here is an
identity wherever the expression is defined, and ``derive`` proves the result it prints,
so a slip shows as a failed proof, never as a wrong answer printed as proved.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

from verifier.derive.expr import (
    ELEMENTWISE,
    Add,
    Dim,
    E,
    Eye,
    Fn,
    Had,
    MatMul,
    Mul,
    Num,
    Ones,
    Pow,
    T,
    add,
    had,
    is_num,
    leaves,
    matmul,
    mul,
    neg,
    num,
    power,
    transpose,
)
from verifier.derive.simplify import map_children
from verifier.language.shapes import ONE, SCALAR, Size

__all__ = [
    "compared",
    "centred_means",
    "ramps_under_indicators",
    "outer_products_collected",
    "denominators_outside",
    "entrywise_traces",
    "hyperbolics",
    "inner_products",
    "mean_powers",
    "mean_ratios",
    "means",
    "numbers_folded",
    "scales_outside_diagonals",
    "softmax_rows_read",
    "squared_diagonals",
    "squared_signs",
]


def _entry_count(e: E) -> Counter[str] | None:
    """The dimension names whose product is the number of ``e``'s entries (n for a column
    of n, N·d for an N×d matrix); None where a size is a number or a sum of sizes."""
    names: Counter[str] = Counter()
    for size in (e.shape.rows, e.shape.cols):
        if size is None:
            continue
        if not isinstance(size, Size) or size.coef != 1:
            return None
        names.update(size.names)
    return names or None


def _dims_divided(f: E) -> Counter[str]:
    """The dimension names ``f`` divides by, with their powers: N for 1/N, N twice for 1/N²,
    N and d for 1/(Nd); empty where ``f`` is no such factor."""
    if not (isinstance(f, Pow) and isinstance(f.exp, Num) and f.exp.value < 0
            and f.exp.value.denominator == 1):
        return Counter()
    bases = f.base.factors if isinstance(f.base, Mul) else (f.base,)
    if not all(isinstance(b, Dim) for b in bases):
        return Counter()
    return Counter({b.name: -f.exp.value.numerator for b in bases})


def _summed(f: E) -> E | None:
    """a where the scalar ``f`` is sum(a), or the inner product uᵀv of two columns (the sum
    of u ∘ v); None otherwise."""
    if isinstance(f, Fn) and f.name == "sum" and len(f.args) == 1:
        return f.args[0]
    if isinstance(f, MatMul) and len(f.factors) == 2 and isinstance(f.factors[0], T):
        u, v = f.factors[0].arg, f.factors[1]
        if u.shape.is_column and v.shape.is_column and not v.shape.is_one_by_one \
                and u.shape == v.shape:
            return had(u, v)
    return None


def means(e: E) -> E:
    """Every sum(a)/n as mean(a), n the number of a's entries: r − sum(r)𝟏/n reads
    r − mean(r)𝟏, and sum(x)/n in EXPR as the mean(x) it was written as; an inner product
    over its length, (rᵀx)/n, as mean(r ∘ x) (RMSNorm's gradient)."""
    e = map_children(e, means)
    if not isinstance(e, Mul):
        return e
    divided = [f for f in e.factors if _dims_divided(f)]
    left: Counter[str] = sum((_dims_divided(f) for f in divided), Counter())
    factors = [f for f in e.factors if not _dims_divided(f)]
    found = False
    for k, f in enumerate(factors):
        summed = _summed(f)
        if summed is None:
            continue
        count = _entry_count(summed)
        if count is None or count - left:
            continue
        left -= count
        factors[k] = Fn(SCALAR, name="mean", args=(summed,))
        found = True
    if not found:
        return e
    dims = [power(Dim(SCALAR, name=n), num(-k)) for n, k in sorted(left.items()) if k]
    return mul(*factors, *dims)


def _over_count(term: E, n: str) -> E | None:
    """term/n where ``term`` is c·n (c free of n) or sum(a) over a's n entries (mean(a));
    None otherwise."""
    summed = _summed(term)
    if summed is not None:
        return Fn(SCALAR, name="mean", args=(summed,)) if _entry_count(summed) == Counter(
            {n: 1}) else None
    if isinstance(term, Mul):
        dims = [f for f in term.factors if isinstance(f, Dim) and f.name == n]
        if len(dims) == 1:
            rest = [f for f in term.factors if f is not dims[0]]
            if not any(isinstance(g, Dim) and g.name == n for g in leaves(mul(*rest))):
                return mul(*rest)
    return None


def _mean_ratio(f: E, g: E) -> tuple[E, E] | None:
    """(mean(u), 1/(mean(v) + c)) where the factors ``f``, ``g`` are sum(u) and
    1/(sum(v) + c·n), u and v of n entries each; None otherwise."""
    u = _summed(f)
    if u is None or not (isinstance(g, Pow) and isinstance(g.exp, Num) and g.exp.value == -1
                         and isinstance(g.base, Add) and g.base.shape.is_scalar):
        return None
    count = _entry_count(u)
    if count is None or len(count) != 1 or sum(count.values()) != 1:
        return None
    (n,) = count
    terms = [_over_count(t, n) for t in g.base.terms]
    if any(t is None for t in terms) or not any(isinstance(t, Fn) for t in terms):
        return None
    terms.sort(key=lambda t: not isinstance(t, Fn))  # mean(x²) + ε, as EXPR writes it
    return Fn(SCALAR, name="mean", args=(u,)), power(add(*terms), num(-1))


def mean_ratios(e: E) -> E:
    """sum(u)/(sum(v) + c·n) as mean(u)/(mean(v) + c), u and v of n entries: RMSNorm's
    gradient (g ∘ r − x mean(g ∘ r ∘ x)/(mean(x²) + ε))/√(mean(x²) + ε) read
    Σ(g ∘ r ∘ x)/(εn + Σx²) in its second term."""
    e = map_children(e, mean_ratios)
    if not isinstance(e, Mul):
        return e
    fs = list(e.factors)
    for i, f in enumerate(fs):
        for j, g in enumerate(fs):
            pair = _mean_ratio(f, g) if i != j else None
            if pair is not None:
                fs[i], fs[j] = pair
                return mul(*fs)
    return e


def inner_products(e: E) -> E:
    """sum(u ∘ v) of two columns as uᵀv: the Hessian of −log σ(aᵀx) applied to v read
    sum(a ∘ v)(1 − σ(aᵀx))σ(aᵀx)a."""
    e = map_children(e, inner_products)
    if isinstance(e, Fn) and e.name == "sum" and len(e.args) == 1 and isinstance(
            e.args[0], Had) and len(e.args[0].factors) == 2:
        u, v = e.args[0].factors
        if u.shape.is_column and not u.shape.is_one_by_one and u.shape == v.shape:
            return matmul(transpose(u), v)
    return e


def squared_diagonals(e: E) -> E:
    """The diagonal of an outer square, diag(A v vᵀ Aᵀ), as the column (Av)∘² (a Hessian
    applied to a direction twice: Aᵀ(diag(AvvᵀAᵀ) ∘ exp(Ax)))."""
    e = map_children(e, squared_diagonals)
    if not (isinstance(e, Fn) and e.name == "diag" and isinstance(e.args[0], MatMul)
            and e.args[0].shape.is_square and not e.args[0].shape.is_one_by_one):
        return e
    fs = e.args[0].factors
    for k in range(1, len(fs)):
        if fs[k].shape.rows == ONE:
            column = matmul(*fs[:k])
            if column == transpose(matmul(*fs[k:])):
                return power(column, num(2))
    return e


def _dim_exponent(f: E) -> tuple[str, Fraction] | None:
    """(n, k) where the scalar factor ``f`` is nᵏ, n a dimension; None otherwise."""
    if isinstance(f, Dim):
        return f.name, Fraction(1)
    if isinstance(f, Fn) and f.name == "sqrt" and isinstance(f.args[0], Dim):
        return f.args[0].name, Fraction(1, 2)
    if isinstance(f, Pow) and isinstance(f.exp, Num) and (
            inner := _dim_exponent(f.base)) is not None:
        return inner[0], inner[1] * f.exp.value
    return None


def _mean_power(fs: list[E]) -> list[E] | None:
    """The factors with nʲ(Σ cₜ)ᵏ, each cₜ a multiple of n or a sum over n entries, read
    as nʲ⁺ᵏ(Σ cₜ/n)ᵏ where j + k is a whole number; None where no pair is found."""
    for i, f in enumerate(fs):
        dim = _dim_exponent(f)
        if dim is None:
            continue
        n, j = dim
        for m, g in enumerate(fs):
            if not (isinstance(g, Pow) and isinstance(g.exp, Num) and isinstance(g.base, Add)
                    and g.base.shape.is_scalar):
                continue
            k = g.exp.value
            if (j + k).denominator != 1:
                continue
            terms = [_over_count(t, n) for t in g.base.terms]
            if any(t is None for t in terms) or not any(isinstance(t, Fn) for t in terms):
                continue
            terms.sort(key=lambda t: not isinstance(t, Fn))  # mean(x²) + ε, as EXPR writes
            out = [h for q, h in enumerate(fs) if q not in (i, m)]
            return [*out, power(add(*terms), num(k)), power(Dim(SCALAR, name=n), num(j + k))]
    return None


def mean_powers(e: E) -> E:
    """√n/(εn + sum(x²))^(3/2) as 1/(n(mean(x²) + ε)^(3/2)): a power of a sum over n
    entries (or of multiples of n) beside a power of n that makes the power of n whole
    (RMSNorm's Jacobian I/√(mean(x²) + ε) − √n xxᵀ/(εn + sum(x²))^(3/2))."""
    e = map_children(e, mean_powers)
    if not isinstance(e, Mul):
        return e
    fs = _mean_power(list(e.factors))
    return mul(*fs) if fs is not None else e


# ----- a shared denominator outside the sum -----


def _powers(f: E) -> tuple[E, Fraction] | None:
    """(base, exponent) of a scalar factor: √u is (u, 1/2), (√u)⁻¹ is (u, −1/2), uᵏ is
    (u, k); None for a number (numbers stay with their term) or a dimension (1/N stays
    beside the sum it averages)."""
    if isinstance(f, Num | Dim):
        return None
    if isinstance(f, Pow) and isinstance(f.exp, Num):
        if isinstance(f.base, Dim):
            return None
        if isinstance(f.base, Fn) and f.base.name == "sqrt":
            return f.base.args[0], f.exp.value / 2
        return f.base, f.exp.value
    if isinstance(f, Fn) and f.name == "sqrt":
        return f.args[0], Fraction(1, 2)
    return f, Fraction(1)


def _as_power(base: E, k: Fraction) -> E:
    """base ** k as the printers read it best: √u, 1/√u, u^(3/2), uᵏ."""
    if k == 1:
        return base
    if abs(k) == Fraction(1, 2):
        root = Fn(SCALAR, name="sqrt", args=(base,))
        return root if k > 0 else power(root, num(-1))
    return power(base, Num(SCALAR, value=k))


def _split_term(t: E) -> tuple[list[E], dict[E, Fraction], E] | None:
    """A matrix term as (numbers and dimensions, {base: exponent}, the matrix)."""
    if not isinstance(t, Mul) or t.factors[-1].shape.is_scalar:
        return None
    kept: list[E] = []
    powers: dict[E, Fraction] = {}
    for f in t.factors[:-1]:
        p = _powers(f)
        if p is None:
            kept.append(f)
        else:
            powers[p[0]] = powers.get(p[0], Fraction(0)) + p[1]
    return kept, powers, t.factors[-1]


def denominators_outside(e: E) -> E:
    """A matrix sum of three terms or more whose every term divides by the same scalar, with
    it (and the other scalars every term holds) outside: g r/√(v + ε) − g mean(r)𝟏/√(v + ε)
    − … reads g(r − mean(r)𝟏 − …)/√(v + ε), batch normalisation's gradient as textbooks
    print it."""
    e = map_children(e, denominators_outside)
    if not isinstance(e, Add) or e.shape.is_scalar or e.shape.is_one_by_one \
            or len(e.terms) < 3:  # two terms read as well either way (I/‖u‖ − uuᵀ/‖u‖³)
        return e
    parts = [_split_term(t) for t in e.terms]
    if any(p is None for p in parts):
        return e
    shared = set.intersection(*(set(p[1]) for p in parts))
    common: dict[E, Fraction] = {}
    for base in shared:
        ks = [p[1][base] for p in parts]
        if all(k < 0 for k in ks):
            common[base] = max(ks)
        elif all(k > 0 for k in ks):
            common[base] = min(ks)
    if not any(k < 0 for k in common.values()):
        return e
    inner = [mul(*kept, *[_as_power(b, k - common.get(b, 0)) for b, k in powers.items()
                          if k != common.get(b, 0)], m) for kept, powers, m in parts]
    outside = [_as_power(b, k) for b, k in common.items()]
    inner.sort(key=lambda t: sum(1 for _ in leaves(t)))  # r − mean(r)𝟏 − …, short first
    return mul(*sorted(outside, key=lambda f: isinstance(f, Pow)), add(*inner))


# ----- centred inner products -----


def _centred(s: E) -> tuple[E, E] | None:
    """(u, v) where the scalar ``s`` is uᵀv − mean(v) sum(u) (either order of the
    product) or uᵀ(v − mean(v)): the inner product with v centred; else None."""
    if isinstance(s, MatMul) and len(s.factors) == 2 and isinstance(s.factors[0], T):
        u, c = s.factors[0].arg, s.factors[1]
        if isinstance(c, Add) and len(c.terms) == 2 and c.shape.is_column:
            v, m = c.terms
            if isinstance(m, Mul) and len(m.factors) == 2 and is_num(m.factors[0], -1) \
                    and _named(m.factors[1]) == ("mean", v):
                return u, v
        return None
    if not (isinstance(s, Add) and s.shape.is_scalar and len(s.terms) == 2):
        return None
    for dot, other in (s.terms, s.terms[::-1]):
        if not (isinstance(dot, MatMul) and len(dot.factors) == 2 and isinstance(other, Mul)):
            continue
        a, b = dot.factors
        if not (isinstance(a, T) and b.shape.is_column):
            continue
        fs = other.factors
        if len(fs) != 3 or not (isinstance(fs[0], Num) and fs[0].value == -1):
            continue
        for u, v in ((a.arg, b), (b, a.arg)):
            if {_named(fs[1]), _named(fs[2])} == {("mean", v), ("sum", u)}:
                return u, v
    return None


def _named(f: E) -> tuple[str, E] | None:
    return (f.name, f.args[0]) if isinstance(f, Fn) and len(f.args) == 1 else None


def centred_means(e: E) -> E:
    """uᵀv − mean(v) sum(u) as uᵀ(v − mean(v)), and divided by u's length as
    mean(u ∘ (v − mean(v))): batch normalisation's upstream gradient against the centred
    input, which the simplifier expands."""
    e = map_children(e, centred_means)
    if not isinstance(e, Mul):
        return e
    for k, f in enumerate(e.factors):
        pair = _centred(f)
        if pair is None:
            continue
        u, v = pair
        centred = add(v, neg(Fn(SCALAR, name="mean", args=(v,))))
        rest = list(e.factors[:k] + e.factors[k + 1:])
        count = _entry_count(u)
        per = next((j for j, g in enumerate(rest) if count is not None
                    and _dims_divided(g) == count), None)
        if per is None:
            return e if isinstance(f, MatMul) else mul(
                *rest[:k], matmul(transpose(u), centred), *rest[k:])
        del rest[per]
        return mul(Fn(SCALAR, name="mean", args=(had(u, centred),)), *rest)
    return e


# ----- a trace of an element-wise factor times a matrix -----


def _entrywise(e: E) -> bool:
    return not e.shape.is_scalar and (isinstance(e, Had | Pow) or (
        isinstance(e, Fn) and e.name in ELEMENTWISE))


def entrywise_traces(e: E) -> E:
    """tr(AB) with A or B element-wise (or its transpose) as sum(Aᵀ ∘ B), the sum over
    entries it is: Σ log(1 + tA) by t reads sum(A ⊘ (tA + 1)), not tr((tA + 1)∘⁻¹A)."""
    e = map_children(e, entrywise_traces)
    if not (isinstance(e, Fn) and e.name == "trace" and isinstance(e.args[0], MatMul)
            and len(e.args[0].factors) == 2):
        return e
    a, b = e.args[0].factors
    if not any(_entrywise(f.arg if isinstance(f, T) else f) for f in (a, b)):
        return e
    forms = (had(transpose(a), b), had(a, transpose(b)))  # tr(AB) = Σ Aᵀ ∘ B = Σ A ∘ Bᵀ
    best = min(forms, key=lambda h: sum(1 for n in leaves(h) if isinstance(n, T)))
    return Fn(SCALAR, name="sum", args=(best,))



# ----- ramps inside indicators -----

# the functions defined everywhere: a factor built of them is finite at every point
_TOTAL = frozenset({"relu", "step", "abs", "exp", "tanh", "sigmoid", "sin", "cos", "atan",
                    "erf"})


def _known_positive(f: E) -> E | None:
    """a where the indicator ``f`` is 𝟙[a > 0] (step(a), a > 0, or −b for b < 0)."""
    if not isinstance(f, Fn):
        return None
    if f.name == "step":
        return f.args[0]
    if f.name in ("cmp_gt", "cmp_lt") and is_num(f.args[1]) and f.args[1].value == 0:
        return f.args[0] if f.name == "cmp_gt" else neg(f.args[0])
    return None


def _key(e: E) -> object:
    """``e`` simplified: one form for 2 − (x + 1) and 1 − x (compared, never printed); a
    sum as the count of its terms, in any order (the Huber loss written with min has
    relu(δ − |r|) under 𝟙[|r| − δ < 0], whose simplified sums list δ and −|r| in turn)."""
    from verifier.derive.simplify import simplify

    s = simplify(add(*_distributed_sign(e)))
    return frozenset(Counter(s.terms).items()) if isinstance(s, Add) else s


def _finite_everywhere(e: E) -> bool:
    """``e`` is built of sums, products, whole powers and the functions of ``_TOTAL``."""
    return all(
        not isinstance(n, Fn) or n.name in _TOTAL or n.name.startswith("cmp_")
        for n in leaves(e)) and not any(
        isinstance(n, Pow) and not (is_num(n.exp) and n.exp.value.denominator == 1
                                    and n.exp.value >= 0) or type(n).__name__ == "Inv"
        for n in leaves(e))


def _cancelled(e: E) -> E:
    """A sum with each pair t, −t dropped."""
    if not isinstance(e, Add):
        return e
    terms = list(e.terms)
    for t in list(terms):
        if t in terms and (m := neg(t)) in terms and m is not t:
            terms.remove(t)
            terms.remove(m)
    return e if len(terms) == len(e.terms) else add(*terms) if terms else num(0)


def _entry_by_entry(e: E) -> bool:
    """Each entry of ``e`` depends only on the same entry of its children of its shape (sums,
    products, powers, element-wise functions); not a matrix product, transpose or sum."""
    return isinstance(e, (Add, Had, Mul, Pow)) or isinstance(e, Fn) and (
        e.name in _TOTAL or e.name.startswith("cmp_"))


def _ramps_replaced(e: E, positive: E, key: E) -> E:
    """``e`` with relu(a) read as ``positive`` where a is it (its ``key``), only where that
    relu's entries are the indicator's own: reached through entry-by-entry nodes of one shape
    ((relu(Z)wwᵀ) ∘ 𝟙[Z > 0] mixes the columns of relu(Z), and is not (Zwwᵀ) ∘ 𝟙[Z > 0])."""
    if isinstance(e, Fn) and e.name == "relu" and e.shape == positive.shape \
            and _key(e.args[0]) == key:
        return positive
    if not _entry_by_entry(e):
        return e
    e = map_children(e, lambda c: _ramps_replaced(c, positive, key) if c.shape == e.shape
                     else c)
    if isinstance(e, Add):
        return _cancelled(add(*(t for u in e.terms for t in _distributed_sign(u))))
    if isinstance(e, Mul):  # −relu(−x) read −(−x): one number, x
        return mul(*e.factors)
    return e


def _distributed_sign(t: E) -> tuple[E, ...]:
    """−(a + b) as (−a, −b); another term as itself."""
    if isinstance(t, Mul) and len(t.factors) == 2 and is_num(t.factors[0]) \
            and t.factors[0].value == -1 and isinstance(t.factors[1], Add):
        return tuple(neg(u) for u in t.factors[1].terms)
    return (t,)


def ramps_under_indicators(e: E) -> E:
    """In an element-wise product with 𝟙[a > 0], relu(a) inside the other factors read as
    a, where those factors are finite everywhere (indicators, sums and products of total
    functions): the product is 0 where a ≤ 0 whatever they are, and relu(a) = a where
    a > 0. clip(Xw, lo, hi)'s gradient then reads Xᵀ(𝟙[Xw − lo > 0] ∘ 𝟙[Xw − hi < 0]),
    not through lo + relu(Xw − lo) − hi."""
    e = map_children(e, ramps_under_indicators)
    # a product of scalars is one too: ELU's derivative in one variable read
    # 𝟙[x < 0] exp(−relu(−x)), not 𝟙[x < 0] exp(x)
    build = had if isinstance(e, Had) else mul if isinstance(e, Mul) and e.shape.is_scalar \
        else None
    if build is None:
        return e
    factors = list(e.factors)
    for _ in range(len(factors)):  # a replacement can uncover the next (a chain of clips)
        changed = False
        for i, f in enumerate(factors):
            if (a := _known_positive(f)) is None:
                continue
            a, key = add(*_distributed_sign(a)), _key(a)
            for j, g in enumerate(factors):
                if j != i and _finite_everywhere(g):
                    h = _ramps_replaced(g, a, key)
                    changed |= h != g
                    factors[j] = h
        if not changed:
            break
    factors = _indicators_once(factors)
    return e if factors == list(e.factors) else build(*factors)


def _indicators_once(factors: list[E]) -> list[E]:
    """Each indicator once: 𝟙[δ − |r| > 0] ∘ 𝟙[|r| − δ < 0] is 𝟙[δ − |r| > 0] (the Huber
    loss's Hessian written with min met the same condition from its two branches)."""
    seen, out = set(), []
    for f in factors:
        if (a := _known_positive(f)) is not None:
            key = _key(a)
            if key in seen:
                continue
            seen.add(key)
        out.append(f)
    return out


# ----- numbers inside a denominator -----


def numbers_folded(e: E) -> E:
    """The numbers of a product, those of a power's base too, as one coefficient:
    −2 sum(x − μ)/(2s²) reads −sum(x − μ)/s² (the Gaussian's gradient by its mean, EXPR's
    denominator 2s² kept as written)."""
    e = map_children(e, numbers_folded)
    if not isinstance(e, Mul):
        return e
    k, rest, found = Fraction(1), [], False
    for f in e.factors:
        if isinstance(f, Num):
            k *= f.value
            continue
        if isinstance(f, Pow) and isinstance(f.exp, Num) and f.exp.value.denominator == 1 \
                and isinstance(f.base, Mul):
            c = Fraction(1)
            for g in f.base.factors:
                c *= g.value if isinstance(g, Num) else 1
            if c not in (0, 1):
                k *= c ** f.exp.value.numerator
                rest.append(power(mul(*[g for g in f.base.factors if not isinstance(g, Num)]),
                                  f.exp))
                found = True
                continue
        rest.append(f)
    return mul(num(k), *rest) if found else e


# ----- outer products of one column -----


def _rank_one_split(t: E) -> tuple[tuple[E, ...], E, E] | None:
    """(scalar coefficients, column L, row R) where the matrix term ``t`` is c·LR, L the
    shortest prefix of its product that is a column (n×1, n ≠ 1); None otherwise."""
    coefs: tuple[E, ...] = ()
    if isinstance(t, Mul) and not t.shape.is_scalar:
        coefs, t = t.factors[:-1], t.factors[-1]
    if not isinstance(t, MatMul):
        return None
    for i in range(1, len(t.factors)):
        left = matmul(*t.factors[:i])
        if left.shape.cols == ONE and left.shape.rows != ONE:
            right = matmul(*t.factors[i:])
            return (coefs, left, right) if right.shape.rows == ONE else None
    return None


def _vanishes_simplified(e: E) -> bool:
    return isinstance(e, Num) and e.value == 0 or type(e).__name__ == "Zero"


def _sign_between(a: E, b: E) -> int:
    """1 where a = b, −1 where a = −b (as the simplifier reads them), else 0."""
    from verifier.derive.simplify import simplify

    if a == b:
        return 1
    if a.shape != b.shape:
        return 0
    if _vanishes_simplified(simplify(add(a, neg(b)))):
        return 1
    return -1 if _vanishes_simplified(simplify(add(a, b))) else 0


def _negated(u: E) -> E:
    """−u with the minus taken into a sum's terms: b − Ax for Ax − b."""
    return add(*[neg(t) for t in u.terms]) if isinstance(u, Add) else neg(u)


def _written(u: E, written: frozenset) -> bool:
    """``u`` is one of EXPR's sub-expressions (a sum's terms in any order)."""
    if not isinstance(u, Add):
        return u in written
    return any(isinstance(n, Add) and Counter(n.terms) == Counter(u.terms) for n in written)


def _collected(e: Add, splits: list, side: int, written: frozenset) -> E | None:
    """The terms of ``e`` that share one column L (side 1; one row R, side 2) up to sign,
    as c·L(±Lᵀ) (c·(±Rᵀ)R) where their other factors add up to ±Lᵀ (±Rᵀ); None where no
    group does."""
    from verifier.derive.simplify import simplify

    for first in splits:
        if first is None:
            continue
        shared = first[side]
        group, others = [], []
        for j, other in enumerate(splits):
            if other is None or other[0] != first[0]:
                continue
            if sign := _sign_between(other[side], shared):
                group.append(j)
                others.append(mul(num(sign), other[3 - side]))
        if len(group) < 2:
            continue
        total = simplify(add(*others))
        for sign in (1, -1):
            if not _vanishes_simplified(simplify(add(total, mul(num(-sign), transpose(shared))))):
                continue
            if side == 2:  # (±Rᵀ)R: the column as the simplifier writes the lefts' sum
                pair = matmul(total, shared)
            elif _written(_negated(shared), written) and not _written(shared, written):
                pair = mul(num(sign), matmul(_negated(shared), transpose(_negated(shared))))
            else:
                pair = mul(num(sign), matmul(shared, transpose(shared)))
            kept = [t for j, t in enumerate(e.terms) if j not in group]
            return add(mul(*first[0], pair), *kept)
    return None


def outer_products_collected(e: E, written: frozenset = frozenset()) -> E:
    """Terms c·u r₁ ± c·u r₂ + … of a sum whose rows add up to ±uᵀ read as ±c·uuᵀ (and
    c·l₁r ± c·l₂r + … whose columns add up to ±rᵀ as c·(l₁ ± l₂ …)r), where that is
    shorter: the Hessian of √(1 + ‖Ax − b‖²) holds (b − Ax)xᵀAᵀ + (Ax − b)bᵀ, which is
    −(Ax − b)(Ax − b)ᵀ; of softplus(xᵀPx + qᵀx) g xᵀP + g xᵀPᵀ + g qᵀ with g = (P + Pᵀ)x
    + q, which is ggᵀ. An identity: the sum of the other factors is checked equal to ±uᵀ
    (``written``: EXPR's sub-expressions, whose sign of u is kept)."""
    from verifier.derive.simplify import cost

    e = map_children(e, lambda c: outer_products_collected(c, written))
    if not isinstance(e, Add) or e.shape.is_scalar or len(e.terms) < 2:
        return e
    splits = [_rank_one_split(t) for t in e.terms]
    for side in (1, 2):
        folded = _collected(e, splits, side, written)
        if folded is not None and cost(folded) < cost(e):
            return folded
    return e


# ----- cosh and sinh for the exponentials the language reads them as -----


def _hyperbolic_pair(e: E) -> tuple[E, Fraction] | None:
    """(cosh a, 2) for eᵃ + e⁻ᵃ, (sinh a, ±2) for ±(eᵃ − e⁻ᵃ): the sum as c·f(a)."""
    if not (isinstance(e, Add) and len(e.terms) == 2):
        return None
    signed = []
    for t in e.terms:
        sign = 1
        if isinstance(t, Mul) and len(t.factors) == 2 and is_num(t.factors[0], -1):
            sign, t = -1, t.factors[1]
        if not (isinstance(t, Fn) and t.name == "exp"):
            return None
        signed.append((sign, t.args[0]))
    (s1, a), (s2, b) = signed
    if b != neg(a):
        return None
    if s1 == s2:  # ±(eᵃ + e⁻ᵃ) = ±2 cosh a
        return Fn(e.shape, name="cosh", args=(a,)), Fraction(2 * s1)
    return Fn(e.shape, name="sinh", args=(a,)), Fraction(2 * s1)  # s1(eᵃ − e⁻ᵃ)


def _hyperbolic_inside(e: E) -> tuple[E, Fraction] | None:
    """e with its one hyperbolic pair (e itself, diag's argument, or one factor of a
    product) read as cosh or sinh, and the number the pair was."""
    if (found := _hyperbolic_pair(e)) is not None:
        return found
    if isinstance(e, Fn) and e.name == "diag" and len(e.args) == 1:
        if (found := _hyperbolic_pair(e.args[0])) is not None:
            return Fn(e.shape, name="diag", args=(found[0],)), found[1]
    if isinstance(e, MatMul | Had):
        pairs = [(i, p) for i, f in enumerate(e.factors) if (p := _hyperbolic_pair(f))]
        if len(pairs) == 1:
            (i, (f, c)), = pairs
            factors = (*e.factors[:i], f, *e.factors[i + 1:])
            return type(e)(e.shape, factors=factors), c
    return None


def hyperbolics(e: E) -> E:
    """eᵃ + e⁻ᵃ as 2 cosh a and eᵃ − e⁻ᵃ as 2 sinh a, the 2 folded into the number that
    scales it: sinh's gradient read (exp(x) + exp(−x))/2, cosh's through Wx Wᵀ(exp(Wx) −
    exp(−Wx))/2. The language reads cosh and sinh as these exponentials, so the text is the
    same function."""
    factors = e.factors if isinstance(e, Mul) else (e,)
    k = Fraction(1)
    for f in factors:
        k *= f.value if isinstance(f, Num) else 1
    rest = [f for f in factors if not isinstance(f, Num)]
    found = [(i, p) for i, f in enumerate(rest) if (p := _hyperbolic_inside(f))]
    if len(found) != 1:
        return map_children(e, hyperbolics)
    (i, (f, c)), = found
    rest[i] = f
    return mul(num(k * c), *[map_children(g, hyperbolics) for g in rest])


# ----- a row-wise softmax written out -----


def _row_normaliser(f: E) -> E | None:
    """Z where ``f`` is diag((exp(Z)𝟏)⁻¹), the inverse row sums of exp(Z) on a diagonal."""
    if not (isinstance(f, Fn) and f.name == "diag" and len(f.args) == 1):
        return None
    p = f.args[0]
    if not (isinstance(p, Pow) and is_num(p.exp, -1) and isinstance(p.base, MatMul)
            and len(p.base.factors) == 2):
        return None
    ex, ones = p.base.factors
    if isinstance(ex, Fn) and ex.name == "exp" and type(ones).__name__ == "Ones" \
            and ones.shape.cols == ONE:
        return ex.args[0]
    return None


def softmax_rows_read(e: E) -> E:
    """diag((exp(Z)𝟏)⁻¹) exp(Z) as softmax(Z), row by row: Σ log Σⱼ exp(XW) by W read
    Xᵀdiag((exp(XW)𝟏)⁻¹)exp(XW) where its logsumexp spelling reads Xᵀsoftmax(XW)."""
    e = map_children(e, softmax_rows_read)
    if not isinstance(e, MatMul):
        return e
    factors = list(e.factors)
    for i in range(len(factors) - 1):
        z = _row_normaliser(factors[i])
        if z is not None and factors[i + 1] == Fn(factors[i + 1].shape, name="exp", args=(z,)):
            factors[i:i + 2] = [Fn(factors[i + 1].shape, name="softmax_rows", args=(z,))]
            return softmax_rows_read(matmul(*factors))
    return e


# ----- a number on a diagonal, outside it -----


def scales_outside_diagonals(e: E) -> E:
    """diag(k u) as k diag(u) for a number k, in a matrix product: the Hessian of
    bᵀ(A + diag(x))⁻¹b reads 2 diag(Mb) M diag(Mb), not diag(2Mb) M diag(Mb) (the two
    spellings cost the same, and the simplifier's diagonal of an outer product, (Mb) ∘
    (Mᵀb), let the number in)."""
    e = map_children(e, scales_outside_diagonals)
    if not isinstance(e, MatMul):
        return e
    k, factors = Fraction(1), []
    for f in e.factors:
        if isinstance(f, Fn) and f.name == "diag" and len(f.args) == 1 \
                and isinstance(f.args[0], Mul) and isinstance(f.args[0].factors[0], Num) \
                and f.args[0].shape.is_column:
            k *= f.args[0].factors[0].value
            f = Fn(f.shape, name="diag", args=(mul(*f.args[0].factors[1:]),))
        factors.append(f)
    return e if k == 1 else mul(num(k), matmul(*factors))


def _sign_argument(e: E) -> E | None:
    """a where ``e`` is sign(a) as derive writes it, 𝟙[a > 0] − 𝟙[a < 0] (the second also
    as 𝟙[−a > 0]); else None."""
    if not (isinstance(e, Add) and len(e.terms) == 2):
        return None
    pos = [t.args[0] for t in e.terms if isinstance(t, Fn) and t.name == "cmp_gt"
           and is_num(t.args[1], 0)]
    negs = [t.factors[1] for t in e.terms if isinstance(t, Mul) and len(t.factors) == 2
            and is_num(t.factors[0], -1) and isinstance(t.factors[1], Fn)
            and t.factors[1].name in ("cmp_lt", "cmp_gt") and is_num(t.factors[1].args[1], 0)]
    if len(pos) != 1 or len(negs) != 1:
        return None
    a, other = pos[0], negs[0]
    b = other.args[0] if other.name == "cmp_lt" else neg(other.args[0])
    return a if a == b else None


def _sign_power(f: E) -> tuple[E, int] | None:
    """(a, k) where ``f`` is sign(a) ** k for a positive integer k; else None."""
    if isinstance(f, Pow) and isinstance(f.exp, Num) and f.exp.value.denominator == 1 \
            and f.exp.value > 0 and (a := _sign_argument(f.base)) is not None:
        return a, int(f.exp.value)
    a = _sign_argument(f)
    return (a, 1) if a is not None else None


def _zero_one(e: E) -> bool:
    """Every entry of ``e`` is 0 or 1 by its form: I, 1 − I (a positive power is itself)."""
    return isinstance(e, Eye) or (
        isinstance(e, Add) and len(e.terms) == 2 and any(is_num(t, 1) for t in e.terms)
        and any(isinstance(t, Mul) and len(t.factors) == 2 and is_num(t.factors[0], -1)
                and isinstance(t.factors[1], Eye) for t in e.terms))


def compared(written: E | None) -> frozenset:
    """The a of every comparison 1[a > 0], 1[a < 0] that ``written`` (the function as the
    user wrote it) holds, in both orientations: a sign of one of them is the user's own."""
    if written is None:
        return frozenset()
    found = set()
    for n in leaves(written):
        if isinstance(n, Fn) and n.name in ("cmp_gt", "cmp_lt", "cmp_ge", "cmp_le") \
                and is_num(n.args[1], 0):
            found.update((n.args[0], neg(n.args[0])))
    return frozenset(found)


def squared_signs(e: E, own: frozenset = frozenset()) -> E:
    """An even power of sign(a) read as 1, an odd one as sign(a) (also where the factors
    meet in a Hadamard product).  sign(a)² comes from the chain rule through |a| twice; it
    is 1 wherever a ≠ 0, and at a = 0 1 is right too wherever the derivative exists there
    (f = g(|a|) is twice differentiable at 0 only if g′(0) = 0, and then f″(0) = g″(0), the
    form with 1; with sign(a)² the Huber loss's Hessian at r = 0, inside its quadratic part,
    read 0 instead of 1).  Not a sign of an argument in ``own`` (``compared``: the function
    written with sign(a) or 1[a > 0] itself): ∂/∂w of sign(v)² w is sign(v)², 0 at v = 0."""
    e = map_children(e, lambda c: squared_signs(c, own))
    if isinstance(e, Pow) and isinstance(e.exp, Num) and e.exp.value.denominator == 1 \
            and e.exp.value > 0 and _zero_one(e.base):
        return e.base  # (1 − I)² of an off-diagonal penalty is 1 − I
    if isinstance(e, Pow) and (found := _sign_power(e)) is not None and found[0] not in own:
        if found[1] % 2:
            return e.base
        return num(1) if e.shape.is_scalar else Ones(e.shape)
    if isinstance(e, Fn) and e.name == "diag" and isinstance(e.args[0], Ones) \
            and e.args[0].shape.is_column:
        return Eye(e.shape)  # the Hessian of Σ|x|², 2 diag(𝟏) = 2I
    if not isinstance(e, Had):
        return e
    once = [f for k, f in enumerate(e.factors) if not (_zero_one(f) and f in e.factors[:k])]
    if len(once) < len(e.factors) or any(isinstance(f, Ones) for f in e.factors):
        return squared_signs(had(*once), own)  # (1 − I) ∘ (1 − I) = 1 − I
    powers: dict[E, int] = {}
    bases: dict[E, E] = {}
    rest = []
    for f in e.factors:
        found = _sign_power(f)
        if found is None or found[0] in own:
            rest.append(f)
            continue
        powers[found[0]] = powers.get(found[0], 0) + found[1]
        bases.setdefault(found[0], f.base if isinstance(f, Pow) else f)
    if not powers or all(k == 1 for k in powers.values()):
        return e
    odd = [bases[a] for a, k in powers.items() if k % 2]
    return had(*rest, *odd) if rest or odd else Ones(e.shape)
