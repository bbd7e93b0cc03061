"""``prove_differential``: a gradient claim proved in general dimension by its differential.

G is the gradient of f at X (denominator layout) exactly when, for every direction V,

    df(X)[V] = ⟨G, V⟩ = tr(Gᵀ V).

The strategy computes df(X)[V] by the differential rules (Magnus & Neudecker; the Matrix
Cookbook §2) on the claim's own expression, with V a fresh matrix of X's shape,

    d(AB) = dA B + A dB        d(A⁻¹) = −A⁻¹ dA A⁻¹      d det A = det A tr(A⁻¹ dA)
    d tr A = tr dA             d f(A) = f′(A) ∘ dA        (element-wise f)

and brings df[V] − tr(GᵀV) to 0 with the simplifier of ``derive`` (traces rotated and
transposed to one canonical word, like terms collected).  This is where SymPy's matrix
derivatives fail silently (log det X, exp tr X give 0) or take long to check (inverses).

Like every general-dimension proof here it is re-checked element-wise, against a slip in a
rule: the claim itself is built at all sizes 2 and its residual shown to vanish exactly (an
exact rational-function test), then along random rational directions at random points at all
sizes 3 (exactly, in one variable, for a rational claim; in 150-digit arithmetic, agreeing to
10⁻⁴⁵, where it holds exp, tanh, softmax, … (slope.py); a difference there goes to the
certified audit).  It stands down
(None) for claims not written in the claim language, for a derivative by a scalar, and for
any operation without a differential rule here.
"""

from __future__ import annotations

import itertools
import math

import mpmath
import sympy as sp

from verifier.derive.expr import (
    ELEMENTWISE,
    Add,
    Const,
    Dim,
    E,
    Eye,
    Facts,
    Fn,
    Had,
    Inv,
    MatMul,
    Mul,
    NoClosedForm,
    Num,
    Ones,
    Pow,
    Sym,
    T,
    Zero,
    add,
    assuming,
    depends,
    facts_of,
    fn,
    had,
    inner,
    is_num,
    is_scalar,
    leaves,
    matmul,
    mul,
    neg,
    num,
    power,
    size_expr,
    transpose,
)
from verifier.derive.readable import compared, ramps_under_indicators, squared_signs
from verifier.derive.rules import (
    elementwise_derivative,
    from_tree,
    layout,
    softplus_argument,
    spread,
)
from verifier.derive.simplify import map_children, simplify
from verifier.derive.slope import (
    DIGITS,
    OFFSETS,
    STEP,
    exact_slope,
    high_precision,
    numeric_value,
    stencil_slope,
    transcendental_tree,
)
from verifier.derive.vecrules import rewriting
from verifier.language.functions import KINKED
from verifier.language.shapes import ONE, SCALAR, Shape
from verifier.language.tree import walk
from verifier.verdict import Verdict

__all__ = ["differential", "prove_differential"]

DIRECTION = "V_"  # the direction's name: not a name the claim language accepts


def differential(e: E, x: str, v: E) -> E:
    """df(X)[V]: the derivative of ``e`` at x in the direction v."""
    if not depends(e, x):
        return num(0) if e.shape.is_scalar else Zero(e.shape)
    rule = _RULES.get(type(e))
    if rule is None:
        raise NoClosedForm(f"no differential rule for {type(e).__name__}")
    return rule(e, x, v)


def _d_sym(e: Sym, x: str, v: E) -> E:
    return v


def _d_add(e: Add, x: str, v: E) -> E:
    return add(*[differential(t, x, v) for t in e.terms])


def _product_rule(fs: tuple, product, x: str, v: E) -> E:
    """d(f₁⋯fₖ) = Σᵢ f₁⋯dfᵢ⋯fₖ over the factors that depend on x, in their order."""
    return add(*[product(*fs[:i], differential(f, x, v), *fs[i + 1:])
                 for i, f in enumerate(fs) if depends(f, x)])


def _d_mul(e: Mul, x: str, v: E) -> E:
    return _product_rule(e.factors, mul, x, v)


def _d_matmul(e: MatMul, x: str, v: E) -> E:
    return _product_rule(e.factors, matmul, x, v)


def _d_transpose(e: T, x: str, v: E) -> E:
    return transpose(differential(e.arg, x, v))


def _d_inv(e: Inv, x: str, v: E) -> E:
    return neg(matmul(e, differential(e.arg, x, v), e))


def _d_pow(e: Pow, x: str, v: E) -> E:
    if depends(e.exp, x):
        raise NoClosedForm("a power whose exponent depends on the variable")
    k = e.exp
    return had(mul(k, power(e.base, add(k, num(-1)))), differential(e.base, x, v))


def _d_had(e: Had, x: str, v: E) -> E:
    return _product_rule(e.factors, had, x, v)


def _d_fn(e: Fn, x: str, v: E) -> E:
    name = e.name
    a = e.args[0] if e.args else None
    if name == "log" and (z := softplus_argument(a)) is not None:  # d log(1 + eᶻ) = σ(z) dz
        return had(fn("sigmoid", z), differential(z, x, v))
    if name == "log" and isinstance(a, Fn) and a.name == "abs":  # d log|u| = du / u (u ≠ 0)
        u = a.args[0]
        return had(power(u, num(-1)), differential(u, x, v))
    if name in ELEMENTWISE and name != "step":
        # relu: d relu(a) = 𝟙[a > 0] ∘ da away from its kink, as the index prover reads it;
        # abs: d|a| = sign(a) ∘ da, sign(a) = 𝟙[a > 0] − 𝟙[a < 0], away from 0
        return had(elementwise_derivative(name, a, e), differential(a, x, v))
    if name == "step" or name.startswith("cmp_"):
        # piecewise constant: 0 away from its jumps
        return num(0) if e.shape.is_scalar else Zero(e.shape)
    da = differential(a, x, v)
    if name == "trace":
        return fn("trace", da)
    if name == "det":  # Jacobi's formula
        return mul(e, fn("trace", matmul(Inv(a.shape, arg=a), da)))
    if name == "sum":
        return fn("sum", da)
    if name == "norm":
        return mul(power(e, num(-1)), inner(a, da))
    if name == "var":  # (2/N) ⟨a − mean(a), da⟩
        count = mul(size_expr(a.shape.rows), size_expr(a.shape.cols))
        centred = add(a, neg(mul(power(count, num(-1)), fn("sum", a))))
        return mul(num(2), power(count, num(-1)), inner(centred, da))
    if name == "logsumexp" and a.shape.is_column:
        return inner(Fn(a.shape, name="softmax", args=(a,)), da)
    if name == "softmax":
        return add(had(e, da), neg(mul(inner(e, da), e)))
    if name == "log_softmax":
        s = Fn(a.shape, name="softmax", args=(a,))
        return add(da, neg(mul(inner(s, da), Ones(a.shape))))
    if name == "logsumexp":  # of every entry of a matrix: ⟨exp(a), da⟩ / sum(exp(a))
        ex = fn("exp", a)
        return mul(power(fn("sum", ex), num(-1)), inner(ex, da))
    if name in ("logsumexp_rows", "logsumexp_cols"):
        # each row's (column's) ⟨softmax, da⟩: (S ∘ da)𝟏 for rows, 𝟏ᵀ(S ∘ da) for columns
        rows = name.endswith("rows")
        s = Fn(a.shape, name="softmax_rows" if rows else "softmax_cols", args=(a,))
        return matmul(had(s, da), Ones(Shape(a.shape.cols, ONE))) if rows else matmul(
            Ones(Shape(ONE, a.shape.rows)), had(s, da))
    if name in ("softmax_rows", "softmax_cols"):  # dS = S ∘ (da − spread((S ∘ da)))
        return had(e, add(da, neg(spread(had(e, da), name.endswith("rows")))))
    if name in ("log_softmax_rows", "log_softmax_cols"):
        rows = name.endswith("rows")
        s = Fn(a.shape, name="softmax_rows" if rows else "softmax_cols", args=(a,))
        return add(da, neg(spread(had(s, da), rows)))
    if name == "diag":  # linear: d diag(a) = diag(da), both ways (column ↔ diagonal)
        return Fn(e.shape, name="diag", args=(da,))
    if name == "kron":  # bilinear: d(A ⊗ B) = dA ⊗ B + A ⊗ dB
        b = e.args[1]
        return add(*[Fn(e.shape, name="kron", args=pair) for pair, f in (
            ((da, b), a), ((a, differential(b, x, v)), b)) if depends(f, x)])
    raise NoClosedForm(f"no differential rule for {name}")


_RULES = {
    Sym: _d_sym,
    Add: _d_add,
    Mul: _d_mul,
    MatMul: _d_matmul,
    T: _d_transpose,
    Inv: _d_inv,
    Pow: _d_pow,
    Had: _d_had,
    Fn: _d_fn,
    Num: lambda e, x, v: num(0),
    Dim: lambda e, x, v: num(0),
    Const: lambda e, x, v: num(0),
    Eye: lambda e, x, v: Zero(e.shape),
    Ones: lambda e, x, v: Zero(e.shape),
    Zero: lambda e, x, v: e,
}


# ----- the strategy -----


def _facts(claim) -> Facts:
    return facts_of(claim.assumptions)


def _exact_zero(e, kinks: frozenset = frozenset()) -> bool:
    """An explicit residual entry is identically 0: as one fraction, its numerator expands
    to 0 (exact for rational functions; anything else goes to the engine's zero test).
    ``kinks``: the variable's entries, whose comparisons are read away from their kinks."""
    from verifier.strategies.zero import is_zero

    if e == 0:
        return True
    if e.has(sp.DiracDelta):
        # SymPy's derivative of sign or of a step at its jump; a derivative is claimed away
        # from a kink (d|a| = sign(a) da, d relu(a) = 𝟙[a > 0] da), where the delta is 0
        e = e.replace(lambda a: isinstance(a, sp.DiracDelta), lambda a: sp.Integer(0))
        if e == 0:
            return True
    if e.has(sp.Piecewise, sp.sign) and _zero_in_every_case(e, kinks):
        # sign(u) read as its comparisons: SymPy's d²/dt² log|1 + tc| holds sign(1 + tc)²,
        # which no rational test takes for 1 (checked only)
        return True
    if e.has(sp.Abs):  # |u| = u sign(u) for real u: sign(u)/|u| against 1/u (log |det X|)
        e = e.replace(sp.Abs, lambda u: u * sp.sign(u))
    if any(type(f).__name__ == "sigmoid" for f in e.atoms(sp.Function)):
        # σ(z) = 1/(1 + e⁻ᶻ): a rational function of exp atoms, where σ as an atom beside
        # exp(z)/(exp(z) + 1)² sends the entry to the slow zero test (the softplus Hessian's
        # re-check took 15 s)
        as_exp = e.replace(lambda a: type(a).__name__ == "sigmoid",
                           lambda a: 1 / (1 + sp.exp(-a.args[0])))
        if _fraction_zero(as_exp):
            return True
    if e.has(sp.tanh):
        # tanh z = (e²ᶻ − 1)/(e²ᶻ + 1): log-cosh's Hessian 1 − tanh² beside the exp form of
        # its differential
        if _fraction_zero(e.replace(sp.tanh, lambda a: (sp.exp(2 * a) - 1) / (sp.exp(2 * a) + 1))):
            return True
    fast = _fraction_zero(e)
    if fast is not None:
        return fast
    if e.has(sp.Function, sp.Piecewise) and not e.is_rational_function():
        return is_zero(e)
    return sp.expand(sp.numer(sp.together(e))) == 0


MAX_CASE_CONDITIONS = 6  # 2⁶ truth assignments at most


def _zero_in_every_case(e, kinks: frozenset = frozenset()) -> bool:
    """0 under every assignment of True / False to the comparisons in ``e``'s Piecewise
    conditions (each branch then fixed, the entry a fraction): every point meets one
    assignment, so this proves the entry 0 everywhere (an assignment no point meets is
    checked as well, which only asks more). The expectile Hessian's entries at n = 2 took
    the zero test's Piecewise simplification 7 s (past the engine's budget: checked only);
    False where a case is not shown 0 or there are too many comparisons (the slow test
    decides).  A comparison in the variable's entries (``kinks``) is a kink of the
    derivative, which is claimed away from it: there g ≥ 0 is g > 0 (see _away_from_kinks)."""
    from sympy.core.relational import Relational

    # sign(u) as the comparisons the language writes it with, 𝟙[u > 0] − 𝟙[u < 0]
    e = e.replace(sp.sign, lambda u: sp.Piecewise((1, u > 0), (-1, u < 0), (0, True)))

    def comparisons(t) -> frozenset:
        return frozenset(r for p in t.atoms(sp.Piecewise) for _, c in p.args
                         for r in c.atoms(Relational))

    if not comparisons(e):
        return False
    if kinks:
        e = _away_from_kinks(e, comparisons(e), kinks)
    # terms that share no comparison are decided apart (each part 0 in each of its cases:
    # the sum is 0): a Hessian entry Σᵢ xᵢⱼxᵢₖ(…) through |rᵢ| and relu has three
    # comparisons per sample, past the bound together (Σ relu(|Xw − y| − c)²: 10 s in the
    # zero test's Piecewise simplification at n = 2)
    parts: list[tuple[frozenset, list]] = []
    for term in sp.Add.make_args(e):
        cs, ts = comparisons(term), [term]
        for p in [p for p in parts if p[0] & cs or not (p[0] or cs)]:
            parts.remove(p)
            cs, ts = cs | p[0], ts + p[1]
        parts.append((cs, ts))
    # the terms without a comparison (a constant beside its branches: leaky relu's 1/100)
    # go with one part that has comparisons, not alone (where they need not be 0)
    plain = [p for p in parts if not p[0]]
    if plain and len(parts) > 1:
        parts.remove(plain[0])
        cs, ts = parts[0]
        parts[0] = (cs, ts + plain[0][1])
    if all(_zero_in_each_assignment(sp.Add(*ts), sorted(cs, key=sp.default_sort_key), kinks)
           for cs, ts in parts):
        return True
    # the plain terms went with one part, but each part may need its own share of them
    # (and a constant inside a branch may balance one in another part):
    # Σ max(Ax, Bx)'s entry −B₁₁ − B₂₁ − (A₁₁ − B₁₁)𝟙[g₁ > 0] + (A₁₁ if g₁ > 0 else B₁₁)
    # + (the same in g₂) is 0 only as a whole (the zero test's Piecewise simplification
    # then took 10 s to give up): every comparison at once, within the bound
    everything = comparisons(e)
    return len(parts) > 1 and _zero_in_each_assignment(
        e, sorted(everything, key=sp.default_sort_key), kinks)


def _away_from_kinks(e, relations: frozenset, kinks: frozenset):
    """Each comparison in the variable's entries as g > 0, g expanded: a ≤ b as b − a > 0,
    which differs from it only where a = b, a kink of the derivative, where it is not
    claimed (the convention of d relu(a) = 𝟙[a > 0] da and of SymPy's DiracDelta read as 0;
    a zero set of a g that depends on the variable holds no open set of it).  So SymPy's
    derivative of min(x, 0), 𝟙[x ≤ 0], meets the 𝟙[x < 0] derive writes, and max's branch
    τu − (τ − 1)u ≥ 0 the u > 0 of its gradient: one comparison each, not two whose
    assignments include one no point off the kink meets.  A comparison not in the variable
    (y ≥ 1 with y binary takes y = 1), or one whose sides are equal on a region
    (x₁ ≥ max(x₁, x₂)), stays as it is."""
    out = {}
    for r in relations:
        if isinstance(r, (sp.StrictGreaterThan, sp.GreaterThan)):
            g = sp.expand(r.lhs - r.rhs)
        elif isinstance(r, (sp.StrictLessThan, sp.LessThan)):
            g = sp.expand(r.rhs - r.lhs)
        else:
            continue
        if _null_zero_set(g, kinks):
            out[r] = sp.StrictGreaterThan(g, 0, evaluate=False)
    return e.xreplace(out) if out else e


MAX_ABS_BRANCHES = 3  # |·| atoms in one comparison: 2³ sign branches at most


def _null_zero_set(g, kinks: frozenset) -> bool:
    """g = 0 only on a set without interior (a kink, not a region): g depends on the
    variable's entries and, on each sign branch of its |u| atoms, is a rational function
    whose numerator is not the zero polynomial.  Not so for x₁ − max(x₁, x₂), which is 0
    wherever x₁ ≥ x₂ (the largest entry's indicator holds only away from ties), nor for
    |x| − x, 0 wherever x ≥ 0."""
    if not g.free_symbols & kinks:
        return False
    absolutes = list(g.atoms(sp.Abs))
    if len(absolutes) > MAX_ABS_BRANCHES:
        return False
    for signs in itertools.product((1, -1), repeat=len(absolutes)):
        branch = g.xreplace({a: k * a.args[0] for a, k in zip(absolutes, signs, strict=True)})
        if not branch.is_rational_function() or sp.expand(
                sp.numer(sp.together(branch))) == 0:
            return False
    return True


def _zero_in_each_assignment(e, conditions: list, kinks: frozenset = frozenset()) -> bool:
    """``e`` a fraction that is 0 under every True / False value of ``conditions`` that a
    point can meet (u > 0 and u < 0 both true none can: there sign(u)² reads 1 and
    (𝟙[u > 0] − 𝟙[u < 0])² reads 0).  Where g > 0 holds, |g| is g (the Huber loss written
    with min(|r|, δ) by r); with ``kinks`` (the variable's entries), an assignment that puts
    a comparison in them on its kink (g > 0 and −g > 0 both false: g = 0) is not asked, as
    the derivative is not claimed there."""
    if len(conditions) > MAX_CASE_CONDITIONS:
        return False
    positive = [_positive_part(c) for c in conditions]
    for values in itertools.product((sp.true, sp.false), repeat=len(conditions)):
        held = {g for g, v in zip(positive, values, strict=True) if g is not None and v}
        if any(sp.expand(-g) in held for g in held):
            continue
        if kinks and any(
                g is not None and not v and _null_zero_set(g, kinks)
                and any(h == sp.expand(-g) and not w for h, w in zip(positive, values,
                                                                      strict=True))
                for g, v in zip(positive, values, strict=True)):
            continue
        case = e.xreplace(dict(zip(conditions, values, strict=True)))
        if case.has(sp.Abs):
            case = case.xreplace({sp.Abs(g): g for g in held})
        if case.has(sp.Piecewise) or _fraction_zero(case) is not True:
            return False
    return True


def _positive_part(c) -> sp.Expr | None:
    """g, expanded, where the comparison reads g > 0 (a < b is b − a > 0); None if it is
    not strict."""
    if isinstance(c, sp.StrictGreaterThan):
        return sp.expand(c.lhs - c.rhs)
    if isinstance(c, sp.StrictLessThan):
        return sp.expand(c.rhs - c.lhs)
    return None


MAX_FRACTION_TERMS = 200_000  # a numerator past this: the slow test decides


class _TooLarge(Exception):
    pass


def _fraction_zero(e) -> bool | None:
    """Is ``e`` identically 0, read as a rational function of its symbols and of its other
    atoms, each a fresh variable: exp(a + 2b) as E_a·E_b² (SymPy merges exp(a)·exp(b)),
    any other function, non-integer power or constant as one variable.  Sound: a rational
    function that vanishes for every value of the fresh variables vanishes at the values
    the atoms take.  Fast: the numerator a sparse polynomial, the denominator the product
    of the factors as they occur (a sum multiplies in only the missing ones; no gcd,
    where SymPy's together and expand of an inverse at n = 3 take seconds).  Every
    denominator factor is a nonzero polynomial (a zero one raises), so the numerator
    decides.  True: 0; False: a nonzero rational function of its symbols alone; None: not
    decided (a generalised atom may hide the identity, or too large)."""
    from sympy.polys.rings import ring

    if e.has(sp.Float):
        return None
    fresh: dict = {}
    roots: dict = {}  # the atom r = b^(1/q) of each fractional power: r -> (b, q)

    def atom(key):
        if key not in fresh:
            fresh[key] = sp.Dummy(f"g{len(fresh)}")
        return fresh[key]

    def general(x):
        if x.is_Symbol or x.is_Rational:
            return x
        if isinstance(x, sp.Pow) and x.exp.is_Rational and not x.exp.is_Integer \
                and not x.base.is_number:
            # b^(p/q) = (b^(1/q))^p on the principal branch: one root atom per base, and
            # its relation r^q = b is used below (sqrt(u)² against u, u^(3/2) against
            # u·sqrt(u): the pseudo-Huber Hessian's re-check took 12 s in the slow test)
            r = atom(("root", x.base, x.exp.q))
            roots[r] = (x.base, x.exp.q)
            return r ** x.exp.p
        if isinstance(x, sp.exp):
            out = sp.Integer(1)
            for term in sp.Add.make_args(sp.expand(x.args[0])):
                c, rest = term.as_coeff_Mul()
                out *= atom(("exp", rest)) ** int(c) if c.is_Integer and rest != 1 else \
                    atom(("exp", term))
            return out
        if isinstance(x, sp.Add | sp.Mul) or (isinstance(x, sp.Pow) and x.exp.is_Integer):
            return x.func(*[general(a) for a in x.args])
        return atom(x)

    try:
        g = general(e)
        bases: dict = {}
        while len(bases) < len(roots):  # a root's base may hold roots of its own
            for r, (b, _) in list(roots.items()):
                if r not in bases:
                    bases[r] = general(b)
        gens = sorted(set().union(g.free_symbols, *(b.free_symbols for b in bases.values())),
                      key=sp.default_sort_key)
        if not gens:
            return g == 0
        r, *values = ring(gens, sp.QQ)
        table = dict(zip(gens, values, strict=True))
        memo: dict = {}

        def fraction(x):
            """(numerator, {denominator factor: power}): the factors as they occur (the
            determinant of an inverse recurs), so a sum multiplies in only what is missing."""
            if x in memo:
                return memo[x]
            if x.is_Symbol:
                out = (table[x], {})
            elif x.is_Rational:
                out = (r(x), {})
            elif isinstance(x, sp.Add):
                # the terms over one set of denominator factors first, a group whose
                # numerator cancels left out: a Hessian entry Σᵢ xᵢⱼxᵢₖ φ''(rᵢ) against
                # Σᵢ xᵢⱼxᵢₖ ψ(rᵢ) cancels sample by sample, where one denominator over every
                # (rᵢ² + c²)³ took 12 s at n = 2 (the Geman–McClure Hessian: checked only)
                groups: dict = {}
                for part in (fraction(a) for a in x.args):
                    groups.setdefault(frozenset(part[1]), []).append(part)
                out = _summed([s for s in (_summed(g, r) for g in groups.values())
                               if s[0] != 0], r)
            elif isinstance(x, sp.Mul):
                num, den = r.one, {}
                for a in x.args:
                    n, d = fraction(a)
                    num = num * n
                    for f, k in d.items():
                        den[f] = den.get(f, 0) + k
                out = (num, den)
            else:  # an integer power
                n, d = fraction(x.base)
                k = int(x.exp)
                if k >= 0:
                    out = (n**k, {f: j * k for f, j in d.items()})
                else:
                    if n == 0:
                        raise ZeroDivisionError
                    num = r.one
                    for f, j in d.items():
                        num = num * f ** (-j * k)
                    out = (num, {n: -k})
            if len(out[0]) > MAX_FRACTION_TERMS:
                raise _TooLarge
            memo[x] = out
            return out

        num, _ = fraction(g)
        if num != 0 and roots:
            num = _reduced(num, {table[r]: (fraction(bases[r]), q)
                                 for r, (_, q) in roots.items()})
    except (_TooLarge, ValueError, TypeError, ZeroDivisionError,
            sp.polys.polyerrors.PolynomialError):
        return None
    if num == 0:
        return True
    return False if not fresh else None


def _summed(parts: list, r) -> tuple:
    """Σ nᵢ/dᵢ over the factors' largest powers (the factors as they occur, so a sum
    multiplies in only what a part lacks); (0, {}) for no parts."""
    den: dict = {}
    for _, d in parts:
        for f, k in d.items():
            den[f] = max(den.get(f, 0), k)
    num = r.zero
    for n, d in parts:
        for f, k in den.items():
            if k > d.get(f, 0):
                n = n * f ** (k - d.get(f, 0))
        num = num + n
    return num, den


def _reduced(num, relations: dict):
    """``num`` times a nonzero factor, with every power r^k of a root atom (r^q = b, b =
    n/d) of degree k ≥ q rewritten through r^q d = n, until each root's degree is below its
    q: zero exactly where the relations make ``num`` zero (d ≠ 0 where the entry is
    defined), so a zero here is a proof; a nonzero rest decides nothing."""
    for _ in range(8):  # nested roots: a rewritten base may raise another root's degree
        changed = False
        for r, ((n, den), q) in relations.items():
            d = num.ring.one
            for f, k in den.items():
                d = d * f ** k
            i = num.ring.gens.index(r)
            top = max((m[i] for m in num.monoms()), default=0) // q
            if top == 0:
                continue
            changed = True
            out = num.ring.zero
            for monom, coeff in num.terms():
                j, rest = divmod(monom[i], q)
                lowered = list(monom)
                lowered[i] = rest
                out = out + num.ring({tuple(lowered): coeff}) * n ** j * d ** (top - j)
                if len(out) > MAX_FRACTION_TERMS:
                    raise _TooLarge
            num = out
        if not changed:
            return num
    raise _TooLarge


def _recheck(ctx):
    """The claim itself, element-wise: symbolically at all sizes 2 (every structure
    component), then along random directions at random points at all sizes 3 (an exact
    symbolic build at 3 takes seconds with inverses and determinants; a difference there goes
    to the certified audit).  Returns (why not, a refutation, how sizes 3 were checked)."""
    from verifier.audit import evaluate_point
    from verifier.strategies.context import BUILD_ERRORS, VACUOUS
    from verifier.strategies.counterexample import how, make_counterexample

    claim = ctx.claim
    if ctx.index_symbols():
        return "index symbols", None, ""
    sizes = {d: 2 for d in claim.dims}
    try:
        count = ctx.components(sizes)
    except Exception as exc:  # noqa: BLE001 - Unsupported and kin: no recheck, no proof
        return f"no parametrisation at n = 2 ({exc})", None, ""
    for comp in range(count):  # every component of a structured symbol
        try:
            built = ctx.build(sizes, {}, comp)
        except VACUOUS:
            continue
        except BUILD_ERRORS as exc:
            return f"not built at n = 2 ({type(exc).__name__})", None, ""
        if built.lhs.shape != built.rhs.shape:
            return "shapes differ", None, ""
        kinks = _entries(built, claim.wrt)
        if not all(_exact_zero(r, kinks) for r in sp.Matrix(built.residual)):
            return "the element-wise residual at n = 2 is not shown 0", None, ""
    sizes = {d: 3 for d in claim.dims}
    agreed = 0
    for _ in range(6):
        values, idx = ctx.sample_point(sizes, 0.0, generic=True)
        seen = _along(ctx, sizes, values, idx)
        if seen == "differ":  # the rules slipped, or the claim is false: the audit decides
            res = evaluate_point(claim, sizes, values, idx)
            if res.differs:
                return "", Verdict("refuted", "prove_differential", detail=how(res),
                                   counterexample=make_counterexample(values, sizes, res)), ""
            return "a directional derivative at n = 3 differs", None, ""
        agreed += seen == "agree"
        if agreed == 2:
            return None, None, "along random directions at all sizes 3"
    # no slope along a direction (f holds a derivative by the variable inside, which a
    # moved point cannot take): the claim at all sizes 3, exactly
    why = _recheck_exact(ctx, (3,))
    return (None, None, "exactly at all sizes 3") if why is None else (
        f"no point at n = 3 where a directional slope is defined, and {why}", None, "")


def _entries(built, wrt: str) -> frozenset:
    """The base symbols of the variable's entries in a build (structure applied)."""
    value = built.inst.symbol_values().get(wrt)
    return frozenset(getattr(value, "free_symbols", ()))


def _along(ctx, sizes, values, idx) -> str:
    """``agree`` / ``differ`` / ``unknown``: d/dt f(X + tV) at t = 0 against ⟨G(X), V⟩ for a
    random rational direction V: exactly in one variable t where the claim is a rational
    function, else from f at four points beside X in 150-digit arithmetic (slope.py)."""
    from verifier import ops
    from verifier.audit import as_matrix
    from verifier.instantiate import concrete, side_values

    claim = ctx.claim
    x0 = values[claim.wrt]
    scalar = not isinstance(x0, sp.MatrixBase)
    x0 = sp.Matrix([[x0]]) if scalar else sp.Matrix(x0)
    v = sp.Matrix(*x0.shape, lambda i, j: sp.Rational(ctx.rng.randint(-9, 9) or 1,
                                                         ctx.rng.randint(1, 4)))
    try:
        at, _ = concrete(claim, sizes, values, frozenset(), idx)
        if any(transcendental_tree(getattr(side, "tree", None)) for side in (claim.f,
                                                                            claim.rhs)):
            # exp, tanh, softmax, …: f at four points beside X and ⟨G, V⟩ in 150-digit
            # arithmetic (slope.py); exact, their trees grow and a symbolic t in them is slow
            high = {k: high_precision(val) for k, val in values.items()}
            points = []
            for k in OFFSETS:
                moved = dict(high)
                moved[claim.wrt] = high[claim.wrt] + k * STEP * (v[0, 0] if scalar else v)
                inst, _ = concrete(claim, sizes, moved, frozenset(), idx)
                points.append(ops.sc(claim.f(inst.env)))
            if any(isinstance(p, sp.MatrixBase) for p in points):
                return "unknown"
            slope = stencil_slope(points)
            at_high, _ = concrete(claim, sizes, high, frozenset(), idx)
            g = _oriented(as_matrix(side_values(at_high, claim.rhs, claim)), claim.layout)
            if g.shape != v.shape:
                return "differ"
            gap = abs(slope - numeric_value(sum(g[i, j] * v[i, j] for i in range(v.rows)
                                                   for j in range(v.cols))))
            return "agree" if gap < mpmath.mpf("1e-45") else "differ" if gap > mpmath.mpf(
                "1e-20") else "unknown"
        t = sp.Symbol("_t", real=True)  # real: |x + tv| has the slope sign(x)v, not re/im
        moved = dict(values)
        moved[claim.wrt] = x0[0, 0] + t * v[0, 0] if scalar else x0 + t * v  # a scalar stays
        inst, _ = concrete(claim, sizes, moved, frozenset(), idx)
        f = ops.sc(claim.f(inst.env))
        if isinstance(f, sp.MatrixBase):
            return "unknown"
        slope = exact_slope(f, t)
        g = _oriented(as_matrix(side_values(at, claim.rhs, claim)), claim.layout)
        if g.shape != v.shape:
            return "differ"
    except Exception:  # noqa: BLE001 - undefined here (a singular draw): try another point
        return "unknown"
    if slope.has(sp.Float):  # never an exact slope: nsimplify may turn a Rational into radicals
        slope = sp.nsimplify(slope)
    gap = slope - sum(g[i, j] * v[i, j] for i in range(v.rows)
                                    for j in range(v.cols))
    if gap.has(sp.nan, sp.zoo, sp.oo):
        return "unknown"
    if gap.is_Rational:
        return "agree" if gap == 0 else "differ"
    size = abs(sp.N(gap, 60))
    if not size.is_number or size.has(sp.Derivative, sp.Subs):
        return "unknown"
    return "agree" if size < sp.Float("1e-45") else "differ" if size > sp.Float("1e-20") \
        else "unknown"


def _oriented(g: sp.Matrix, layout_: str) -> sp.Matrix:
    return g.T if layout_ == "numerator" else g


def prove_differential(ctx) -> Verdict | None:
    """df(X)[V] = tr(GᵀV) for a fresh direction V, in general dimension (see above)."""
    from verifier.strategies.timing import StrategyTimeout

    try:
        return _prove(ctx)
    except StrategyTimeout:
        raise
    except Exception as exc:  # noqa: BLE001 - a slip here must leave the claim to the others
        ctx.note(f"prove_differential stood down ({type(exc).__name__}: {exc})")
        return None


def _prove(ctx) -> Verdict | None:
    from verifier.strategies.general import unless_vacuous

    claim = ctx.claim
    lhs = getattr(claim.lhs, "tree", None)
    if claim.kind == "identity" and type(lhs).__name__ == "Call" and lhs.fn in (
            "jacobian", "hessian"):
        return _prove_second(ctx, lhs)
    f_tree = getattr(claim.f, "tree", None)
    g_tree = getattr(claim.rhs, "tree", None)
    if claim.kind != "gradient" or f_tree is None or g_tree is None:
        return None
    decl = claim.decls[claim.wrt]
    if decl.kind not in ("vector", "matrix", "scalar"):  # by a scalar s: df(s)[v] = (df/ds) v
        return None
    facts = _facts(claim)
    try:
        # f and its differential without the facts about X (the gradient is unconstrained);
        # the comparison with all of them (it is evaluated where they hold)
        with assuming(facts.without(claim.wrt)), rewriting(), layout(claim.layout):
            f = from_tree(f_tree)
            if _kinked_gradient(f) and not _min_or_max(f_tree):
                # a gradient through relu or |·|: the index prover reads it in a tenth of the
                # time (their differentials serve the Hessians, whose index form it lacks);
                # not through min or max, whose SymPy form it does not prove (ELU, pinball)
                return None
            x_shape = next((n.shape for n in walk(f_tree) if type(n).__name__ == "Symbol"
                            and n.name == claim.wrt), None) or _wrt_shape(lhs, claim.wrt,
                                                                           decl.kind)
            v = Sym(x_shape, name=DIRECTION, kind=decl.kind)
            df = squared_signs(differential(f, claim.wrt, v), compared(f))
        with assuming(facts), rewriting(), layout(claim.layout):
            g = from_tree(g_tree)
            if claim.layout == "numerator":
                g = transpose(g)
            # by a scalar, a 1×1 product (xᵀBx) is the scalar it reads as
            fits = g.shape == x_shape or (x_shape.is_scalar and g.shape.is_one_by_one)
            if not fits or not is_scalar(f):
                return None
            raw = add(df, neg(inner(g, v)))
            residual = _simplified_with_tanh_as_exp(raw)
            if not _is_zero(residual):
                # the canonical traces do not meet where V sits inside Hadamard products
                # (⟨G, S ∘ XV⟩ against tr(MᵀXV), the softmax of each row): compare G with
                # df[V]'s coefficient of V instead, read by the rules of the linear
                # operations (df is linear in V; the element-wise re-check follows)
                residual = _coefficient_residual(df, v, g)
    except (NoClosedForm, StopIteration, ValueError, TypeError):
        return None
    if not _is_zero(residual) and not _vanishes(simplify(_distributed(residual))) and not (
            _min_or_max(f_tree) and _zero_through_ramps(residual)):
        return None
    why, refutation, at3 = _recheck(ctx)
    if refutation is not None:
        return refutation
    if why is not None:
        ctx.note(f"prove_differential: the differential cancels, but {why}")
        return None
    return unless_vacuous(ctx, Verdict(
        "proved", "prove_differential",
        detail="the differential df(X)[V] equals tr(GᵀV) for every direction V in general "
               "dimension (differential rules, canonical traces); re-checked element-wise: "
               f"symbolically at all sizes 2, {at3}"))


def _wrt_shape(lhs, wrt: str, kind: str) -> Shape:
    """The variable's shape where f does not hold it (its gradient is 0): a scalar's, or
    the one in grad(f, X)."""
    if kind == "scalar":
        return SCALAR
    x = lhs.args[1] if type(lhs).__name__ == "Call" and len(lhs.args) == 2 else None
    if type(x).__name__ != "Symbol" or x.name != wrt:
        raise StopIteration
    return x.shape


def _simplified_with_tanh_as_exp(residual: E) -> E:
    """The residual simplified; where that is not 0 and it holds tanh beside exp, simplified
    once more with tanh z read as (e²ᶻ − 1)/(e²ᶻ + 1) (an identity): derive prints
    log-cosh's gradient as tanh(u), its differential holds the exponentials of cosh."""
    residual = _steps_as_comparisons(residual)
    out = simplify(residual)
    if _is_zero(out):
        return out
    kinds = {n.name for n in leaves(residual) if isinstance(n, Fn)}
    if not {"tanh", "exp"} <= kinds:
        return out
    again = simplify(_tanh_as_exp(residual))
    return again if _is_zero(again) else out


def _steps_as_comparisons(e: E) -> E:
    """step(a) (relu's derivative, the rules') as 𝟙[a > 0] (the comparison a claim writes
    as (a > 0)): one function, printed alike, so the squared hinge's Hessian cancels."""
    e = map_children(e, _steps_as_comparisons)
    if isinstance(e, Fn) and e.name == "step":
        return Fn(e.shape, name="cmp_gt", args=(simplify(e.args[0]), num(0)))
    if isinstance(e, Fn) and e.name in ("cmp_lt", "cmp_le") and is_num(e.args[1], 0):
        # a < 0 as −a > 0: one comparison, one spelling (the Huber loss's Hessian held
        # 𝟙[|r| − δ < 0] − 𝟙[δ − |r| > 0], which did not cancel)
        flipped = "cmp_gt" if e.name == "cmp_lt" else "cmp_ge"
        a = e.args[0]
        negated = add(*[neg(t) for t in a.terms]) if isinstance(a, Add) else neg(a)
        return Fn(e.shape, name=flipped, args=(simplify(negated), e.args[1]))
    if isinstance(e, Fn) and e.name.startswith("cmp_"):
        # its sides simplified: max's branch 𝟙[τu − (τ − 1)u > 0] is the 𝟙[u > 0] a gradient
        # writes (one function, so the pinball loss's residual cancels)
        return Fn(e.shape, name=e.name, args=tuple(simplify(a) for a in e.args))
    return e


def _tanh_as_exp(e: E) -> E:
    e = map_children(e, _tanh_as_exp)
    if not (isinstance(e, Fn) and e.name == "tanh"):
        return e
    e2 = fn("exp", mul(num(2), e.args[0]))
    return had(add(e2, num(-1)), power(add(e2, num(1)), num(-1)))


def _is_zero(e: E | None) -> bool:
    return isinstance(e, Num) and e.value == 0 or isinstance(e, Zero)


def _vanishes(e: E) -> bool:
    """0 as built: a zero, a sum of zeros, a product with a zero factor, diag(0)."""
    if _is_zero(e):
        return True
    if isinstance(e, Add):
        return all(_vanishes(t) for t in e.terms)
    if isinstance(e, Mul | MatMul | Had):
        return any(_vanishes(f) for f in e.factors)
    return isinstance(e, Fn) and e.name in ("diag", "trace", "sum") and _vanishes(e.args[0])


def _distributed(e: E) -> E:
    """``e`` with every product (Hadamard, matrix, scalar) distributed over its sums and
    every transpose of a sum taken term by term, bottom up: (s ∘ (ℓ + 1 − 2c))ᵀ becomes
    (s ∘ ℓ)ᵀ + sᵀ − 2c sᵀ, so a residual whose terms the simplifier keeps factored still
    collects (an exact
    rewriting: the residual is 0 exactly when its distributed form is)."""
    e = map_children(e, _distributed)
    if isinstance(e, Add):
        return add(*e.terms)  # a distributed term's sum flattened into this one
    if isinstance(e, Fn) and e.name == "sum" and len(e.args) == 1 and not e.args[0].shape.is_scalar:
        # Σ (a + b) = Σ a + Σ b, and Σ P ∘ Q = tr(PᵀQ): the Frobenius product in the one
        # form the simplifier's traces compare (a residual held sum(M ∘ C) and tr(CᵀM))
        a = e.args[0]
        return add(*[_frobenius(t) for t in (a.terms if isinstance(a, Add) else (a,))])
    if isinstance(e, T):
        return transpose(e.arg) if isinstance(e.arg, Add) else e
    if not isinstance(e, Had | MatMul | Mul):
        return e
    product = {Had: had, MatMul: matmul, Mul: mul}[type(e)]
    terms: list[tuple[E, ...]] = [()]
    for factor in e.factors:
        parts = factor.terms if isinstance(factor, Add) else (factor,)
        terms = [t + (p,) for t in terms for p in parts]
        if len(terms) > MAX_DISTRIBUTED:
            return e
    return add(*[product(*t) for t in terms]) if len(terms) > 1 else e


def _frobenius(t: E) -> E:
    """Σ t, as k tr(PᵀQ) where t is k (P ∘ Q) of two matrices of one shape."""
    k: list[E] = []
    if isinstance(t, Mul):
        k, t = list(t.factors[:-1]), t.factors[-1]
    if isinstance(t, Had) and len(t.factors) == 2 and t.factors[0].shape == t.factors[1].shape:
        p, q = t.factors
        return mul(*k, fn("trace", matmul(transpose(p), q)))
    return mul(*k, fn("sum", t))


MAX_DISTRIBUTED = 64  # terms of one distributed product; past this it is kept as it is


def _coefficient_residual(df: E, v: Sym, g: E) -> E | None:
    """C − G, simplified, where C is the coefficient of the direction v in df[v] =
    ⟨C, v⟩; None where df is not seen to be linear in v."""
    from verifier.derive.rules import gradient

    c = gradient(df, v)
    if depends(c, v.name):
        return None
    residual = simplify(add(c, neg(g)))
    if _is_zero(residual):
        return residual
    # the simplifier does not take a transpose into a Hadamard product ((A ∘ B)ᵀ): the
    # transposed sides put such factors back as written
    return simplify(add(transpose(c), neg(transpose(g))))


def _second_coefficient_residual(d: E, u: Sym, v: Sym, h: E, what: str) -> E | None:
    """J − (the Jacobian of dy[v] by v), or Hᵀ − (the Jacobian by u of the gradient of
    d²f[u, v] by v), simplified, directly or transposed; None where the coefficient still
    holds a direction (not seen to be linear in it)."""
    from verifier.derive.rules import gradient, jacobian

    if what == "jacobian":
        c, want = jacobian(d, v), h
        free = (v.name,)
    else:
        c, want = jacobian(simplify(gradient(d, v)), u), transpose(h)
        free = (u.name, v.name)
    if any(depends(c, name) for name in free):
        return None
    # Hᵀ = H for a Hessian (the second differential is symmetric in u and v), so the
    # coefficient is compared with H as written too: the simplifier does not take a
    # transpose into a Hadamard product
    wants = (want, transpose(want)) if what == "hessian" else (want,)
    for w in wants:
        for residual in (add(c, neg(w)), add(transpose(c), neg(transpose(w)))):
            residual = simplify(residual)
            if _is_zero(residual):
                return residual
            if _vanishes(again := simplify(_distributed(residual))):
                return Zero(again.shape) if not again.shape.is_scalar else num(0)
    return residual


def _prove_second(ctx, lhs) -> Verdict | None:
    """jacobian(y, x) = J: dy(x)[v] = J v (numerator layout); hessian(f, x) = H:
    d²f(x)[u, v] = uᵀ H v; for fresh directions u, v, in general dimension."""
    from verifier.strategies.general import unless_vacuous

    claim = ctx.claim
    h_tree = getattr(claim.rhs, "tree", None)
    y_tree, x_tree = lhs.args
    decl = claim.decls.get(getattr(x_tree, "name", ""))
    if h_tree is None or decl is None or decl.kind not in ("vector", "scalar"):
        return None
    kind = decl.kind  # by a scalar t: the directions are scalars, dy(t)[v] = (dy/dt) v
    facts = _facts(claim)
    x = x_tree.name
    try:
        with assuming(facts.without(x)), rewriting(), layout(claim.layout):  # x free
            y = from_tree(y_tree)
            v = Sym(x_tree.shape, name=DIRECTION, kind=kind)
            u = Sym(x_tree.shape, name="U_", kind=kind)
            d = differential(y, x, v) if lhs.fn == "jacobian" else \
                differential(differential(y, x, u), x, v)
            # sign(a)² of |a| met twice is 1, also at a = 0 where the derivative exists
            # (readable.squared_signs; derive prints the Huber loss's Hessian so)
            d = squared_signs(d, compared(y))
        with assuming(facts), rewriting(), layout(claim.layout):
            h = from_tree(h_tree)
            if lhs.fn == "jacobian":
                if claim.layout == "denominator":
                    h = transpose(h)
                residual = add(d, neg(matmul(h, v)))
            else:
                residual = add(d, neg(matmul(transpose(u), h, v)))
            residual = _simplified_with_tanh_as_exp(residual)
            if not _is_zero(residual):
                # V (and U) inside Hadamard products: compare H with the coefficients read
                # by the rules of the linear operations (dy[v] = Jv; d²f[u, v] = uᵀHv, whose
                # gradient by v is Hᵀu and that one's Jacobian by u is Hᵀ)
                residual = _second_coefficient_residual(d, u, v, h, lhs.fn)
    except (NoClosedForm, ValueError, TypeError):
        return None
    if not _is_zero(residual) and not (_min_or_max(y_tree) and _zero_through_ramps(residual)):
        return None
    why, at3 = _recheck_second(ctx, lhs)
    if why is not None:
        ctx.note(f"prove_differential: the differential cancels, but {why}")
        return None
    what = "dy(x)[v] = J v" if lhs.fn == "jacobian" else "d²f(x)[u, v] = uᵀHv"
    return unless_vacuous(ctx, Verdict(
        "proved", "prove_differential",
        detail=f"{what} for all directions in general dimension (differential rules); "
               f"re-checked element-wise, symbolically at all sizes 2, {at3}"))


def _recheck_second(ctx, lhs) -> tuple[str | None, str]:
    """The Jacobian or Hessian claim at all sizes 2 exactly; at all sizes 3 along random
    directions in 150-digit arithmetic where it holds exp, sqrt, norm, … (as ``_recheck``
    does for a gradient: the exact build at 3 of √((x − μ)ᵀS⁻¹(x − μ))'s Hessian ran past
    the time limit), else exactly.  (why not, how sizes 3 were checked)."""
    x = getattr(lhs.args[1], "name", "")
    why = _recheck_exact(ctx, (2,), x)
    if why is not None:
        return why, ""
    claim = ctx.claim
    trees = (lhs.args[0], getattr(claim.rhs, "tree", None))
    if any(transcendental_tree(t) or _kinked(t) or _inverted(t) for t in trees):
        # with a kink the exact build at 3 (|Xw − y| ≤ δ of the Huber loss) ran past 36 s; a
        # slope across a kink would differ, and that is no proof; with an inverse or a
        # determinant the exact build at 3 took 3.5 of d²(A + tB)⁻¹/dt²'s 4.3 s
        sizes = {d: 3 for d in claim.dims}
        agreed = 0
        for _ in range(6):
            values, idx = ctx.sample_point(sizes, 0.0, generic=True)
            seen = _along_second(ctx, lhs, sizes, values, idx)
            if seen == "differ":  # a slip of a rule, or a false claim: the others decide
                return "a directional derivative at n = 3 differs", ""
            agreed += seen == "agree"
            if agreed == 2:
                return None, "along random directions at all sizes 3 (150 digits)"
    why = _recheck_exact(ctx, (3,), x)
    return why, "symbolically at all sizes 3"


def _kinked_gradient(f: E) -> bool:
    """``f`` passes through relu or through |·| other than inside a log: log|u| has the
    smooth rule d log|u| = du/u, which the index prover lacks (log |det X|)."""
    nodes = list(leaves(f))
    in_log = {id(n.args[0]) for n in nodes if isinstance(n, Fn) and n.name == "log"
              and isinstance(n.args[0], Fn) and n.args[0].name == "abs"}
    return any(isinstance(n, Fn) and (n.name == "relu" or n.name == "abs" and id(n) not in in_log)
               for n in nodes)


def _zero_through_ramps(residual: E) -> bool:
    """The residual is 0 once each relu under its own indicator is read as its argument:
    min(x, 0) = −relu(−x), so ELU's differential holds exp(−relu(−x)) under 𝟙[x < 0], which
    is exp(x) there (an identity: the product is 0 elsewhere)."""
    return _vanishes(simplify(_distributed(ramps_under_indicators(
        _steps_as_comparisons(residual)))))


def _min_or_max(tree) -> bool:
    """The claim-language tree holds min(a, b) or max(a, b) (read through a ramp)."""
    return any(type(n).__name__ == "Call" and n.fn in ("min", "max") and len(n.args) == 2
               for n in walk(tree))


def _inverted(tree) -> bool:
    """The claim-language tree holds an inverse or a determinant (a 3×3 symbolic one is
    slow to build and to differentiate)."""
    return tree is not None and any(type(n).__name__ == "Call" and n.fn in ("inv", "det")
                                    for n in walk(tree))


def _kinked(tree) -> bool:
    """The claim-language tree has a kink or a jump: |·|, relu, max, min, a comparison."""
    return tree is not None and any(
        type(n).__name__ == "Compare" or (type(n).__name__ == "Call" and n.fn in KINKED)
        for n in walk(tree))


def _stencil(values: list) -> mpmath.mpf:
    """d/dt at 0 from values at t = 2h, h, −h, −2h (h = STEP), in DIGITS-digit arithmetic."""
    with mpmath.workdps(DIGITS):
        h = mpmath.mpf(STEP.p) / STEP.q
        return (-values[0] + 8 * values[1] - 8 * values[2] + values[3]) / (12 * h)


def _along_second(ctx, lhs, sizes, values, idx) -> str:
    """``agree`` / ``differ`` / ``unknown``: for random rational directions u, v, the slope
    of y(x + tv) against Jv (a Jacobian), or the mixed slope ∂²/∂s∂t f(x + su + tv) against
    uᵀHv (a Hessian), from y at points beside x in 150-digit arithmetic (slope.py; nested
    stencils: rounding of order 10⁻⁷⁰, compared at 10⁻⁴⁵)."""
    from verifier.audit import as_matrix
    from verifier.instantiate import concrete, side_values
    from verifier.language import to_text
    from verifier.language.evaluate import CompiledExpr

    claim = ctx.claim
    y_tree, x_tree = lhs.args
    y = CompiledExpr(to_text(y_tree), y_tree, claim.layout)
    x0 = values[x_tree.name]
    shape = x0.shape if isinstance(x0, sp.MatrixBase) else (1, 1)

    def direction() -> sp.Matrix:
        return sp.Matrix(*shape, lambda i, j: sp.Rational(ctx.rng.randint(-9, 9) or 1,
                                                          ctx.rng.randint(1, 4)))

    u, v = direction(), direction()
    high = {k: high_precision(val) for k, val in values.items()}

    def y_at(s, t) -> list:
        moved = dict(high)
        step = s * u + t * v
        moved[x_tree.name] = high[x_tree.name] + (step if isinstance(x0, sp.MatrixBase)
                                                  else step[0, 0])
        inst, _ = concrete(claim, sizes, moved, frozenset(), idx)
        out = y(inst.env)
        return list(out) if isinstance(out, sp.MatrixBase) else [out]

    try:
        at_high, _ = concrete(claim, sizes, high, frozenset(), idx)
        h = as_matrix(side_values(at_high, claim.rhs, claim))
        if lhs.fn == "jacobian":
            if claim.layout == "denominator":
                h = h.T
            points = [[numeric_value(p) for p in y_at(0, k * STEP)] for k in OFFSETS]
            slopes = [_stencil([p[i] for p in points]) for i in range(len(points[0]))]
            want = [numeric_value(w) for w in h * v]
        else:
            points = [[numeric_value(y_at(j * STEP, k * STEP)[0]) for k in OFFSETS]
                      for j in OFFSETS]
            slopes = [_stencil([_stencil(row) for row in points])]
            want = [numeric_value((u.T * h * v)[0, 0])]
    except Exception:  # noqa: BLE001 - undefined here (a singular draw): try another point
        return "unknown"
    if len(slopes) != len(want):
        return "differ"
    with mpmath.workdps(DIGITS):
        # relative to the values' size: exp(148) ≈ 10⁶⁴ rounds at 10⁻⁸⁶ and the nested
        # stencil divides that by h² = 10⁻⁸⁰ (a right Hessian of exp(−g‖x − v‖²) differed)
        scale = max([mpmath.mpf(1)] + [abs(p) for row in points for p in row]
                    + [abs(w) for w in want])
        gap = max(abs(a - b) for a, b in zip(slopes, want, strict=True)) / scale
    if gap < mpmath.mpf("1e-45"):
        return "agree"
    if gap <= mpmath.mpf("1e-20"):
        return "unknown"
    # a slope across a kink (|rᵢ| = δ of the Huber loss at a drawn point) tells nothing
    at_exact, _ = concrete(claim, sizes, values, frozenset(), idx)
    return "unknown" if _at_a_kink(y_tree, claim.layout, at_exact.env) else "differ"


def _kink_sides(tree) -> list[tuple]:
    """(a, b) for each place the claim-language tree has a kink where a = b: relu(a),
    |a|, leaky_relu(a, ·) at a = 0, min(a, b), max(a, b) and a comparison a < b at a = b."""
    from verifier.language.tree import Compare, Number

    zero = Number(SCALAR)
    sides = []
    for n in walk(tree):
        if type(n).__name__ == "Call" and n.fn in ("abs", "relu", "leaky_relu") and n.args:
            sides.append((n.args[0], zero))
        elif type(n).__name__ == "Call" and n.fn in ("min", "max") and len(n.args) == 2:
            sides.append(tuple(n.args))
        elif isinstance(n, Compare) and not n.discrete:
            sides.append((n.left, n.right))
    return sides


def _at_a_kink(tree, layout_: str, env: dict) -> bool:
    """Some kink of ``tree`` sits exactly at the point ``env`` (an entry where its two sides
    are equal); False where a side cannot be evaluated."""
    from verifier.language import to_text
    from verifier.language.evaluate import CompiledExpr

    for a, b in _kink_sides(tree):
        try:
            va, vb = (CompiledExpr(to_text(t), t, layout_)(env) for t in (a, b))
        except Exception:  # noqa: BLE001 - a side undefined here: no kink seen
            continue
        flat_a = list(va) if isinstance(va, sp.MatrixBase) else [va]
        flat_b = list(vb) if isinstance(vb, sp.MatrixBase) else [vb]
        if len(flat_b) == 1:
            flat_b = flat_b * len(flat_a)
        if len(flat_a) == 1:
            flat_a = flat_a * len(flat_b)
        if any(sp.sympify(p - q).is_zero for p, q in zip(flat_a, flat_b, strict=False)):
            return True
    return False


def _recheck_exact(ctx, at: tuple[int, ...] = (2, 3), wrt: str = "") -> str | None:
    """The claim at all sizes 2 and all sizes 3 (``at``), entry by entry, exactly; ``wrt``
    the variable (a gradient claim's own by default), whose comparisons have kinks."""
    from verifier.strategies.context import BUILD_ERRORS, VACUOUS

    for n in at:
        sizes = {d: n for d in ctx.claim.dims}
        cases = _index_cases(ctx, sizes)
        if cases is None:
            return "index symbols"
        try:
            count = ctx.components(sizes)
        except Exception as exc:  # noqa: BLE001 - no parametrisation: no recheck, no proof
            return f"no parametrisation at n = {n} ({exc})"
        for comp in range(count):
            for idx in cases:
                try:
                    built = ctx.build(sizes, idx, comp)
                except VACUOUS:
                    continue
                except BUILD_ERRORS as exc:
                    return f"not built at n = {n} ({type(exc).__name__})"
                if built.lhs.shape != built.rhs.shape:
                    return "shapes differ"
                kinks = _entries(built, wrt or ctx.claim.wrt)
                if not all(_exact_zero(r, kinks) for r in sp.Matrix(built.residual)):
                    return f"the element-wise residual at n = {n} is not shown 0"
    return None


MAX_INDEX_CASES = 27


def _index_cases(ctx, sizes: dict[str, int]) -> list[dict[str, int]] | None:
    """Every value of the claim's free index symbols at these sizes (one empty case without
    any): the Hessian of logsumexp(z) − z[c] is re-checked for each class c; None past
    MAX_INDEX_CASES."""
    import itertools

    names = ctx.index_symbols()
    ranges = [range(dim if isinstance(dim, int) else sizes[dim]) for _, dim in names]
    if math.prod(len(r) for r in ranges) > MAX_INDEX_CASES:
        return None
    return [dict(zip([name for name, _ in names], values, strict=True))
            for values in itertools.product(*ranges)]
