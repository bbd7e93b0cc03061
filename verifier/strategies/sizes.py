"""Strategy 5: proof at fixed sizes, element by element (expand / cancel first, simplify last).

Every value of every index symbol is a case, and every component of every structure
(an orthogonal matrix of det +1 and of det −1) is a case.  The residual is a rational
function of the parameters, so it being 0 proves the claim wherever both sides are defined;
a size counts only where the claim is defined somewhere (a certified point where the
assumptions hold and both sides exist), so a claim undefined everywhere is never proved.
A claim with no named dimension is fixed-size by declaration, so a proof at its sizes
proves it outright.
"""

from __future__ import annotations

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
                if not is_zero(built.residual):
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
    if not ctx.claim.dims:
        return Verdict("proved", "prove_at_sizes", detail=f"element-wise identity{extra}")
    return Verdict(
        "proved-at-sizes",
        "prove_at_sizes",
        detail=f"element-wise identity at {len(proved)} size assignment(s){extra}",
        sizes=tuple(proved),
    )


