"""Inequalities over sums of symbolic length: a claim (f ≥ g) = 1 whose sides have no closed
matrix form (element-wise functions, softmax, means and variances of a vector) proved by a
certificate that the gap f − g, built in index form, is nonnegative for every length.

Two certificates, each a relaxation of the gap followed by prove_nonnegative's rules:

1. summand by summand: each sum Σₖ h(xₖ) whose summand has a sign by its form (each entry an
   arbitrary real, each inner sum an arbitrary real) is replaced by a symbol of that sign, and
   the resulting gap certified (var(x) = Σₖ(xₖ − x̄)²/n ≥ 0). An inner sum S = Σⱼ f(xⱼ) of
   positive terms inside the summand at index k is also tried as f(xₖ)(1 + R) with R ≥ 0
   (R: its other terms over f(xₖ)): for p = softmax(x), pₖ = 1/(1 + R) ≤ 1, and
   Σₖ pₖ log pₖ ≤ 0 term by term;
2. inner products: a gap that is a polynomial in sums of at most two entries at a time,
   Σₖ xₖyₖ, Σₖ xₖ² and Σₖ xₖ, and in the length n, is that polynomial in the Gram matrix of
   the vectors and the all-ones vector 𝟏 (Σₖ xₖ = ⟨x, 𝟏⟩, n = ⟨𝟏, 𝟏⟩), taken as an arbitrary
   vector: mean(x²) ≥ mean(x)² is n⟨x, x⟩ − ⟨x, 𝟏⟩² ≥ 0 after clearing n² > 0, Cauchy–Schwarz.

Every step replaces part of the gap by something at least as general (a sum of terms of one
sign by a symbol of that sign, an entry or a sum by any real, 𝟏 by any vector) or multiplies
it by a positive number, so a certificate of the relaxed gap is one of the claim's: the
strategy is sound, not complete. A sum is used only over 0…d − 1 for a dimension d, which is
at least 1, so a sum of positive terms is positive. Sides with a derivative are left to the
other strategies (no element-wise re-check here).
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from typing import Any

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from verifier import ops
from verifier.domains import Contradictory, scalar_domain
from verifier.strategies.context import BUILD_ERRORS, Context
from verifier.strategies.general import unless_vacuous
from verifier.strategies.index_canon import IndexFormUnavailable, to_index
from verifier.strategies.indexed import build_index_sides, check_bound
from verifier.strategies.nonnegative import certify, obligations, positive
from verifier.strategies.timing import StrategyTimeout
from verifier.sympy_adjust import lenient_indices
from verifier.verdict import Verdict

__all__ = ["prove_index_inequality"]

MAX_SUMS = 8  # sums in one gap: each may be tried two ways


def prove_index_inequality(ctx: Context) -> Verdict | None:
    if not ctx.claim.dims:
        return None
    with lenient_indices():
        token = ops.ENTRY_MAX.set(True)
        try:
            inst, lhs, rhs, simplex = build_index_sides(ctx.claim)
        except (ops.GeneralFormUnavailable, ops.Undefined, IndexFormUnavailable,
                *BUILD_ERRORS):
            return None
        finally:
            ops.ENTRY_MAX.reset(token)
        if any(isinstance(x, sp.MatrixExpr) for x in (lhs, rhs)):
            return None
        hows = []
        gaps = obligations(lhs, rhs) or []
        signs = _entry_signs(ctx.claim, inst)
        for gap, strict in gaps:
            try:
                how = _certify_gap(gap, strict, signs, simplex)
            except StrategyTimeout:
                raise
            except Exception as exc:  # noqa: BLE001 - a form SymPy cannot handle: no proof
                ctx.note(f"prove_index_inequality: {type(exc).__name__}: {exc}")
                return None
            if how is None:
                return None
            hows.append(how)
    if not hows:
        return None
    kind = "positive" if all(s for _, s in gaps) else "nonnegative"
    how = "; ".join(dict.fromkeys(hows))
    return unless_vacuous(ctx, Verdict(
        "proved", "prove_index_inequality",
        detail=f"the gap between the compared sides is {kind} for every length: {how}"))


def _entry_signs(claim: Any, inst: Any) -> dict:
    """Each vector's entry domain from its sign assumptions (a probability vector's too)."""
    out = {}
    for name, decl in claim.decls.items():
        if decl.kind == "vector":
            with contextlib.suppress(Contradictory, KeyError, AttributeError):
                out[inst.env[name]] = scalar_domain(claim, name)
    return out


def _certify_gap(gap: Any, strict: bool, signs: dict | None = None,
                 simplex: tuple = ()) -> str | None:
    at_max = _max_as_entry(gap)
    if at_max is None:
        return None
    gap, m, limits = at_max
    try:
        gap = to_index(gap)
        check_bound(gap)
    except IndexFormUnavailable:
        return None
    if not gap.has(sp.Sum) or gap.has(ops.index_diff_class(), sp.Derivative) \
            or len(gap.atoms(sp.Sum)) > MAX_SUMS:
        return None  # without a sum: prove_nonnegative's; a derivative: not re-checked here
    if m is None:
        how = _certify_sums(gap, strict)
        if how is None and _by_means(gap, strict, signs or {}, simplex):
            how = "through a supporting line at the vectors' means (Σₖ (vₖ − mean v) = 0)"
        return how
    if any(all(_certified(c, strict) for c in cases) for cases in _case_lists(gap, m, limits)):
        return "at the largest entry x[m], whichever m it is, as a summand"
    return None


def _max_as_entry(gap: Any) -> tuple[Any, Any, tuple | None] | None:
    """(gap, None, None) without a max of entries; with one max(x) of coefficient −c, c > 0,
    the gap with x[m] in its place for a free index m over x's rows, and m's range: max(x) is
    some x[m], so a certificate for every m is one for the gap. None otherwise (a max with a
    positive coefficient, or several)."""
    maxes = gap.atoms(ops.entry_max_class())
    if not maxes:
        return gap, None, None
    if len(maxes) > 1:
        return None
    top = maxes.pop()
    x = top.args[0]
    t = sp.Dummy("t", real=True)
    c = sp.diff(gap.xreplace({top: t}), t)
    if c.has(t) or not positive(-c):
        return None
    m = sp.Symbol("_m_max", integer=True)  # not a Dummy: check_bound would call it escaped
    return gap.xreplace({top: ops.entry_of(x, m, 0)}), m, (sp.Integer(0), x.shape[0] - 1)


def _certify_sums(gap: Any, strict: bool) -> str | None:
    """How every case of the gap's steps outside sums is certified, or None."""
    cases = _step_cases(gap)
    if cases is None:
        return None
    hows = []
    for case in cases:
        for form in dict.fromkeys((case, _merged(case))):
            if _summandwise(form, strict):
                hows.append("sum by sum, each summand of the sign its form shows")
                break
            if _inner_products(form, strict):
                hows.append("a polynomial in inner products with the all-ones vector (Gram "
                            "matrix)")
                break
        else:
            return None
    return "; ".join(dict.fromkeys(hows))


# ----- kinks: 1[a > 0] written step(a) -----

MAX_STEPS = 4  # 2^4 cases at most


def _step_cases(e: Any) -> list[Any] | None:
    """e at each value of its steps outside sums (a sum's own steps are its summand's). A
    step of a bare real symbol a takes its sign with it: step(a) = 1 with a > 0, step(a) = 0
    with a ≤ 0; any other step is only 0 or 1, which covers its value at every point. A
    certificate of every case is one of e. None past MAX_STEPS steps."""
    steps = [f for f in _outside_sums(e) if type(f).__name__ == "step"]
    if not steps:
        return [e]
    if len(steps) > MAX_STEPS:
        return None
    cases = []
    for values in itertools.product((0, 1), repeat=len(steps)):
        rule = {}
        for f, v in zip(steps, values, strict=True):
            rule[f] = sp.Integer(v)
            a = f.args[0]
            if isinstance(a, sp.Symbol) and a not in rule:
                rule[a] = sp.Dummy("p", positive=True) if v else -sp.Dummy("q", nonnegative=True)
        cases.append(e.xreplace(rule))
    return cases


def _outside_sums(e: Any) -> list[Any]:
    if isinstance(e, sp.Sum):
        return []
    found = [e] if isinstance(e, sp.Function) else []
    return list(dict.fromkeys(found + [f for a in e.args for f in _outside_sums(a)]))


def _merged(gap: Any) -> Any:
    """Sums over the same range as one sum: Σₖ log(1 + e^{xₖ}) − Σₖ xₖ is Σₖ (log(1 + e^{xₖ}) −
    xₖ), whose summand has a sign."""
    groups: dict = {}
    rest = sp.Integer(0)
    for term in sp.Add.make_args(gap):
        coeff, s = term.as_independent(sp.Sum, as_Add=False)
        if isinstance(s, sp.Sum) and _ranged(s) is not None and not coeff.has(sp.Sum):
            groups.setdefault(tuple(s.limits[0][1:]), []).append((coeff, s))
        else:
            rest += term
    for term in sp.Add.make_args(rest):  # c·d beside sums of length d: Σₖ c among them
        for (lo, hi), members in groups.items():
            length = sp.expand(hi + 1 - lo)
            c = sp.cancel(term / length)
            if not c.has(sp.Sum):
                one = sp.Sum(sp.Integer(1), (sp.Dummy("k", integer=True), lo, hi))
                members.append((c, one))
                rest -= term
                break
    out = rest
    for (lo, hi), members in groups.items():
        if len(members) == 1:
            out += members[0][0] * members[0][1]
            continue
        k = sp.Dummy("k", integer=True)
        body = sp.Add(*[c * s.function.xreplace({s.limits[0][0]: k}) for c, s in members])
        out += sp.Sum(body, (k, lo, hi))
    return out


# ----- the ranges of sums -----


def _ranged(s: sp.Sum) -> sp.Symbol | None:
    """The summation index of a single sum over 0…d − 1 for a positive d, else None."""
    if len(s.limits) != 1:
        return None
    k, lo, hi = s.limits[0]
    length = sp.expand(hi + 1 - lo)
    if lo != 0 or not (length.is_positive and length.is_integer):
        return None
    return k


def _outermost(e: Any) -> list[sp.Sum]:
    """The sums of e not inside another sum."""
    if isinstance(e, sp.Sum):
        return [e]
    return list(dict.fromkeys(s for a in e.args for s in _outermost(a)))


# ----- certificate 1: summand by summand -----


def _summandwise(gap: Any, strict: bool) -> bool:
    return _certified(gap.xreplace({s: _stand_in(s) for s in _outermost(gap)}), strict)


def _certified(e: Any, strict: bool) -> bool:
    """certify, also of e without its factors positive by their form (the same sign)."""
    forms = [e]
    for f in dict.fromkeys((e, sp.factor_terms(e))):
        if isinstance(f, sp.Mul):
            kept = [a for a in f.args if not positive(a)]
            if len(kept) < len(f.args):
                forms.append(sp.Mul(*kept))
    try:
        return any(certify(f, strict) is not None for f in forms)
    except StrategyTimeout:
        raise
    except Exception:  # noqa: BLE001 - a rule that cannot read e (log 2 in exact arithmetic)
        return False


def _stand_in(s: sp.Sum) -> Any:
    """A symbol of the sign every term of s has (±positive, ±nonnegative), else any real."""
    k = _ranged(s)
    if k is None:
        return sp.Dummy("s", real=True)
    for cases in _case_lists(s.function, k, s.limits[0][1:]):
        for strict, kind in ((True, "positive"), (False, "nonnegative")):
            for sign in (1, -1):
                if all(_certified(sign * c, strict) for c in cases):
                    return sign * sp.Dummy("s", **{kind: True})
    return sp.Dummy("s", real=True)


def _case_lists(body: Any, k: sp.Symbol, limits: tuple) -> Iterator[list[Any]]:
    """The cases of each summand form (below) of ``body`` at index k."""
    for form in _summand_forms(body, k, limits):
        cases = _step_cases(form)
        if cases is not None:
            yield cases


def _summand_forms(body: Any, k: sp.Symbol, limits: tuple) -> list[Any]:
    """The summand with its entries and inner sums as arbitrary reals; then with each inner
    sum of positive terms over k's range (``limits``) written f(xₖ)(1 + R), R ≥ 0 (R is the
    other terms over f(xₖ))."""
    inner = _outermost(body)
    plain = {s: sp.Dummy("t", real=True) for s in inner}
    split = dict(plain)
    for s in inner:
        j = _ranged(s)
        term = s.function.xreplace({j: k}) if j is not None else None
        if term is not None and tuple(s.limits[0][1:]) == tuple(limits) \
                and not term.has(sp.Sum) and positive(_entries_real(term)):
            split[s] = term * (1 + sp.Dummy("R", nonnegative=True))
    bases = [body.xreplace(plain)] + ([body.xreplace(split)] if split != plain else [])
    forms = [v for f in bases for v in _variants(f)]
    return [_entries_real(f) for f in forms if not f.has(sp.Sum)]


def _variants(e: Any) -> list[Any]:
    """e, then forms of it whose sign the rules read more often: logs split where SymPy knows
    the factors positive (log(f·(1 + R)) = log f + log(1 + R)), each log w as −log(1/w)
    multiplied out, σ and tanh written with exp (1 − σ(u) = e^{−u}/(1 + e^{−u}) once over one
    denominator). Each is equal to e wherever e is defined (over one denominator, perhaps
    defined at more points: a certificate there still covers e)."""
    out = [e]
    if e.has(sp.tanh) or any(type(f).__name__ == "sigmoid" for f in e.atoms(sp.Function)):
        e = e.rewrite(sp.exp)
        out += [e, sp.together(e), sp.cancel(e)]
    if e.has(sp.log):
        out += [sp.expand_log(e), _logs_turned(e), _logs_turned(sp.expand_log(e)),
                _log_absorbed(e)]
    return list(dict.fromkeys(out))


def _log_absorbed(e: Any) -> Any:
    """c·log w + r (c = ±1, r free of logs) as c·log(w·e^{c·r}) multiplied out: log(1 + e^u) − u
    is log(1 + e^{−u}) ≥ 0. Both are defined exactly where w > 0."""
    terms = sp.Add.make_args(e)
    logs = [t for t in terms if isinstance(t, sp.log) or isinstance(-t, sp.log)]
    if len(logs) != 1:
        return e
    c = 1 if isinstance(logs[0], sp.log) else -1
    w = (c * logs[0]).args[0]
    r = e - logs[0]
    if r.has(sp.log):
        return e
    return c * sp.log(sp.expand(w * sp.exp(c * r)))


def _logs_turned(e: Any) -> Any:
    """Each log w written −log(1/w) with 1/w multiplied out, a form whose sign the rules
    read: log(e^u/(e^u + R)) is −log(1 + R·e^{−u}) ≤ 0."""
    return e.xreplace({g: -sp.log(sp.expand(sp.together(1 / g.args[0])))
                       for g in e.atoms(sp.log)})


def _entries_real(e: Any) -> Any:
    """e with each matrix entry an arbitrary real symbol (one per entry as written)."""
    return e.xreplace({m: sp.Dummy("e", real=True) for m in e.atoms(MatrixElement)})


# ----- certificate 2: inner products with the all-ones vector -----


def _inner_products(gap: Any, strict: bool) -> bool:
    sums = _outermost(gap)
    if not sums:
        return False
    length = sp.expand(sums[0].limits[0][2] + 1)
    if not isinstance(length, sp.Symbol):
        return False
    one = sp.MatrixSymbol("_one", length, 1)
    traces = {}
    for s in sums:
        k = _ranged(s)
        if k is None or sp.expand(s.limits[0][2] + 1 - length) != 0:
            return False
        pair = _entry_pair(s.function, k)
        if pair is None:
            return False
        coeff, vectors = pair
        a, b = (vectors + [one, one])[:2]
        traces[s] = coeff * sp.Trace(a.T * b)
    num, den = sp.fraction(sp.together(gap.xreplace(traces)))
    if not positive(den):
        return False
    # n outside the traces is ⟨𝟏, 𝟏⟩ (masked first: the traces' shapes hold n too)
    masks = {t: sp.Dummy("tr") for t in sp.expand(num).atoms(sp.Trace)}
    unmask = {m: t for t, m in masks.items()}
    num = sp.expand(num).xreplace(masks).xreplace({length: sp.Trace(one.T * one)})
    return _certified(num.xreplace(unmask), strict)


def _entry_pair(body: Any, k: sp.Symbol) -> tuple[Any, list] | None:
    """(c, [x, y]) for a summand c·xₖyₖ, (c, [x]) for c·xₖ, (c, []) for c, with c free of
    k and every x a column vector entry at row k; else None."""
    coeff, vectors = sp.Integer(1), []
    for f in sp.Mul.make_args(body):
        base, exp = f.as_base_exp()
        if isinstance(base, MatrixElement):
            m, row, col = base.args
            if row != k or col != 0 or m.shape[1] != 1 or not (exp.is_Integer and exp > 0):
                return None
            vectors += [m] * int(exp)
        elif f.has(k) or f.has(sp.Sum, MatrixElement):
            return None
        else:
            coeff *= f
    return (coeff, vectors) if len(vectors) <= 2 else None


# ----- certificate 3: a supporting line at the means -----

# functions defined at every real argument (the summand's definedness is read by form)
_EVERYWHERE = ("exp", "sin", "cos", "tanh", "atan", "sinh", "cosh", "asinh", "erf", "Abs",
               "sigmoid", "softplus", "relu")


def _by_means(gap: Any, strict: bool, signs: dict, simplex: tuple) -> bool:
    """Σₖ h(v₁ₖ, …) + R ≥ 0 for vectors vᵢ of the sums' length d, through their means mᵢ
    (each Σₖ vᵢₖ written d·mᵢ; mᵢ = 1/d for a probability vector): with λᵢ = ∂h/∂vᵢ at the
    means, Σₖ h = Σₖ φₖ for φ = h − Σᵢ λᵢ(vᵢₖ − mᵢ), as Σₖ (vᵢₖ − mᵢ) = 0 for any λ. If
    φ ≥ φ(m) at every point of the entries' box (their sign assumptions) and d·φ(m) + R ≥ 0,
    the gap is. KL(p‖q) ≥ 0 is p log(p/q) − p + q ≥ 0 (λ = 1, −1); Jensen's mean(eˣ) ≥
    e^{mean x} is e^{m+u} − e^m u − e^m ≥ 0. h must be defined on the whole box (a convex
    set, so the means lie in it); R may use the means (any value of them is covered)."""
    sums = list(gap.atoms(sp.Sum))
    if not sums or any(_ranged(s) is None for s in sums):
        return False
    length = sp.expand(sums[0].limits[0][2] + 1)
    if any(sp.expand(s.limits[0][2] + 1 - length) != 0 for s in sums):
        return False
    means: dict = {}

    def mean_of(v: Any) -> Any:
        if v not in means:
            means[v] = sp.Integer(1) / length if v in simplex else sp.Dummy(
                "m", **{_entry_kind(v, signs, simplex): True})  # the entries' sign is the mean's
        return means[v]

    linear = {}
    for s in sums:  # Σₖ c·vₖ = c·d·m_v, inner sums (inside exp) included
        pair = _entry_pair(s.function, _ranged(s))
        if pair is not None and len(pair[1]) == 1 and sp.expand(pair[1][0].shape[0] - length) == 0:
            linear[s] = pair[0] * length * mean_of(pair[1][0])
    gap = gap.xreplace(linear)
    body, rest, k = sp.Integer(0), sp.Integer(0), sp.Dummy("k", integer=True)
    for term in sp.Add.make_args(sp.expand(gap)):
        if not term.has(sp.Sum):
            rest += term
            continue
        coeff, s = term.as_independent(sp.Sum, as_Add=False)
        if not isinstance(s, sp.Sum) or s.function.has(sp.Sum):
            return False
        body += coeff * s.function.xreplace({s.limits[0][0]: k})
    entries = {}
    for m in body.atoms(MatrixElement):
        v, row, col = m.args
        if row != k or col != 0 or v.shape[1] != 1 or sp.expand(v.shape[0] - length) != 0:
            return False
        entries[m] = (sp.Dummy("e", **{_entry_kind(v, signs, simplex): True}), mean_of(v))
    if not entries or rest.has(MatrixElement, sp.Sum) or body == 0:
        return False
    h = body.xreplace({m: e for m, (e, _) in entries.items()})
    if h.has(k) or not _defined(h):
        return False
    at_mean = {e: mu for e, mu in entries.values()}
    slopes = [sp.diff(h, e).xreplace(at_mean) for e in at_mean]
    if any(s.has(sp.zoo, sp.nan, sp.oo, *at_mean) for s in slopes):
        return False
    low = h.xreplace(at_mean)
    phi = h - sp.Add(*[s * (e - mu) for s, (e, mu) in zip(slopes, at_mean.items(), strict=True)])
    forms = [phi - low]
    shift = {e: mu + sp.Dummy("u", real=True) for e, mu in at_mean.items() if e.is_positive is None
             and e.is_nonnegative is None}
    if shift:  # a real entry as its mean plus any real: e^{m+u} = e^m·e^u, a tangent at u = 0
        forms.append(sp.expand(forms[0].xreplace(shift)))
    # p log p − p log q as p log(p/q), p log p + p log n as p log(np): one log, one tangent
    forms += [_logs_joined(sp.expand_log(f)) for f in forms] + [sp.factor(f) for f in forms]
    if not any(_certified(v, False) for f in dict.fromkeys(forms) for v in _variants(f)):
        return False
    total = length * low + rest
    return any(_certified(v, strict) for v in _variants(total)) or _certified(
        sp.simplify(total), strict)


def _entry_kind(v: Any, signs: dict, simplex: tuple) -> str:
    """The SymPy assumption every entry of v has: positive, nonnegative, or only real."""
    dom = signs.get(v)
    if dom is not None and dom.kind == "positive":
        return "positive"
    if v in simplex or (dom is not None and dom.kind == "nonneg"):
        return "nonnegative"
    return "real"


def _logs_joined(e: Any) -> Any:
    """c·log a ± c·log b as c·log(a·b^{±1}) (equal wherever the logs are defined, a, b > 0)."""
    joined: dict = {}
    rest = sp.Integer(0)
    for term in sp.Add.make_args(sp.expand(e)):
        c, f = term.as_independent(sp.log, as_Add=False)
        if not isinstance(f, sp.log):
            rest += term
        elif -c in joined:
            joined[-c] /= f.args[0]
        else:
            joined[c] = joined.get(c, sp.Integer(1)) * f.args[0]
    return rest + sp.Add(*[c * sp.log(a) for c, a in joined.items()])


def _defined(e: Any) -> bool:
    """Is e defined at every point its symbols' assumptions allow (by its form)?"""
    if e.is_number:
        return e.is_finite is True
    if e.is_Symbol:
        return True
    if isinstance(e, sp.Add | sp.Mul):
        return all(map(_defined, e.args))
    if isinstance(e, sp.Pow):
        if not (_defined(e.base) and _defined(e.exp)):
            return False
        if e.exp.is_integer and e.exp.is_nonnegative:
            return True
        return positive(e.base) or (e.exp.is_positive is True and e.base.is_nonnegative is True)
    if isinstance(e, sp.log):
        return _defined(e.args[0]) and positive(e.args[0])
    if isinstance(e, sp.Function) and type(e).__name__ in _EVERYWHERE:
        return all(map(_defined, e.args))
    return False
