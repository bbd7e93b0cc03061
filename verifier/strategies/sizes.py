"""Strategy 5: proof at fixed sizes, element by element (expand / cancel first, simplify last).

Every value of every index symbol is a case, and every component of every structure
(an orthogonal matrix of det +1 and of det −1) is a case.  The residual is a rational
function of the parameters, so it being 0 proves the claim wherever both sides are defined;
a size counts only where the claim is defined somewhere (a certified point where the
assumptions hold and both sides exist), so a claim undefined everywhere is never proved.
A claim with no named dimension is fixed-size by declaration, so a proof at its sizes
proves it outright; so is one whose sides name no dimension and no symbol with one.
"""

from __future__ import annotations

import itertools
import math
import re
from typing import Any

import sympy as sp

from verifier.instantiate import Unsupported, default_sizes, switch_beyond
from verifier.strategies.context import BUILD_ERRORS, VACUOUS, Context
from verifier.strategies.counterexample import how, make_counterexample
from verifier.strategies.zero import is_zero
from verifier.verdict import Verdict


def prove_at_sizes(ctx: Context) -> Verdict | None:
    if (far := switch_beyond(ctx.claim)) is not None:
        ctx.note(f"a comparison of sizes switches at {far}, past every size tried")
        return None
    proved: list[dict[str, int]] = []
    vacuous: list[str] = []
    for sizes in default_sizes(ctx.claim):
        try:
            count = ctx.components(sizes)
            assignments = ctx.index_assignments(sizes)
        except Unsupported as exc:
            ctx.note(f"prove_at_sizes: {exc}")
            return None
        cases = 0
        for comp in range(count):
            for idx in assignments:
                try:
                    built = ctx.build(sizes, idx, comp)
                except VACUOUS:
                    continue  # undefined (or empty) on this whole component: nothing to prove
                except BUILD_ERRORS:
                    return None
                if built.lhs.shape != built.rhs.shape:
                    return None
                if not (is_zero(built.residual) or _zero_on_open_intervals(built)):
                    ctx.suspects.append(built)  # refute_special searches this case first
                    return None
                cases += 1
        seen = ctx.witness(sizes) if cases else None
        if seen is not None and seen.differs:
            # a certified counterexample beats any symbolic simplification
            cx = make_counterexample(seen.values or {}, sizes, seen,
                                     "found while checking that the claim is defined")
            return Verdict("refuted", "prove_at_sizes", detail=how(seen), counterexample=cx)
        if seen is None:
            vacuous.append(", ".join(f"{k}={v}" for k, v in sizes.items()) or "its sizes")
            continue
        proved.append(sizes)
    if vacuous:
        ctx.note(f"no point where both sides are defined and the assumptions hold at "
                 f"{'; '.join(vacuous)}")
    if not proved:
        return None
    cases = len(ctx.index_assignments(proved[0]))
    extra = f", {cases} index case(s) each" if ctx.index_symbols() else ""
    parts = ctx.components(proved[0])
    if parts > 1:
        extra += f", {parts} structure component(s) each"
    if not ctx.claim.dims or _sizes_unused(ctx.claim):
        return Verdict("proved", "prove_at_sizes", detail=f"element-wise identity{extra}")
    return Verdict(
        "proved-at-sizes",
        "prove_at_sizes",
        detail=f"element-wise identity at {len(proved)} size assignment(s){extra}",
        sizes=tuple(proved),
    )


def _sizes_unused(claim: Any) -> bool:
    """Does an identity written in the claim language name no dimension and no symbol that
    has one (x: scalar beside an unused v: vector(n))?  Its sides are then the same at
    every size, so a proof at one proves it at all."""
    sides = (claim.lhs, claim.rhs)
    if claim.kind != "identity" or not all(isinstance(getattr(e, "text", None), str)
                                           for e in sides):
        return False
    sized = set(claim.dims) | {d.name for d in claim.symbols if d.dims}
    texts = [e.text for e in sides] + [a.phrase() for a in claim.assumptions]
    names = {w for t in texts for w in re.findall(r"[A-Za-z_]\w*", t)}
    return not names & sized  # an assumption tying a scalar to a size would matter too


# functions whose rewriting needs the sign of their argument: log(t) - log(1 - t) is
# log(t/(1 - t)) only where SymPy knows 1 - t > 0
_SIGN_SENSITIVE = (sp.log, sp.Abs, sp.sign, sp.Piecewise, sp.Max, sp.Min)
_MAX_INTERVAL_CASES = 8  # a closed end doubles the cases of its symbol


def _zero_on_open_intervals(built: Any) -> bool:
    """The residual shown 0 after each entry assumed in a bounded interval (lo, hi) is
    written lo + (hi − lo)·a/(a + b) with a, b positive symbols: that map reaches every point
    of the open interval and no other, so 0 for every a, b > 0 is 0 on it; SymPy then knows
    both t − lo > 0 and hi − t > 0, where a symbol's flags say only one of them.  A closed
    end is a case of its own, the residual at that value shown 0 too."""
    residual = built.residual
    if not (residual.has(*_SIGN_SENSITIVE) or any(
            p.exp.is_Integer is False for p in residual.atoms(sp.Pow))):
        return False
    free = residual.free_symbols
    options = []
    for sym, dom in built.inst.domains.items():
        if sym not in free or dom.lo is None or dom.hi is None or dom.integer or dom.simplex:
            continue
        a = sp.Dummy(f"{sym}_a", positive=True)
        b = sp.Dummy(f"{sym}_b", positive=True)
        lo = sp.Rational(dom.lo.numerator, dom.lo.denominator)
        hi = sp.Rational(dom.hi.numerator, dom.hi.denominator)
        values = [lo + (hi - lo) * a / (a + b)]
        values += ([] if dom.open_lo else [lo]) + ([] if dom.open_hi else [hi])
        options.append([(sym, v) for v in values])
    if not options or math.prod(map(len, options)) > _MAX_INTERVAL_CASES:
        return False
    return all(is_zero(_decide_relations(residual.xreplace(dict(case))))
               for case in itertools.product(*options))


_RELATIONS = {sp.StrictGreaterThan: lambda s: s > 0, sp.GreaterThan: lambda s: s >= 0,
              sp.StrictLessThan: lambda s: s < 0, sp.LessThan: lambda s: s <= 0}


def _decide_relations(e: Any) -> Any:
    """Each comparison whose difference SymPy shows positive, negative or zero, as true or
    false: after the substitution (1 − g)·σ(w) ≥ 0 has a difference b/(a + b)·σ(w) that
    SymPy sees positive once written over one denominator, not as 1 − a/(a + b)."""
    decided = {}
    for rel in e.atoms(*_RELATIONS):
        d = sp.factor_terms(sp.together(rel.lhs - rel.rhs))
        sign = 1 if d.is_positive else -1 if d.is_negative else 0 if d.is_zero else None
        if sign is not None:
            decided[rel] = sp.true if _RELATIONS[type(rel)](sign) else sp.false
    return e.xreplace(decided) if decided else e
