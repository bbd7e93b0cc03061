"""Strategy 5: proof at fixed sizes, element by element (expand / cancel first, simplify last).

Every value of every index symbol is a case.  A claim with no named dimension is fixed-size
by declaration, so a proof at its sizes proves it outright.
"""

from __future__ import annotations

from verifier.instantiate import default_sizes
from verifier.strategies.base import BUILD_ERRORS, Context, is_zero
from verifier.verdict import Verdict


def prove_at_sizes(ctx: Context) -> Verdict | None:
    proved: list[dict[str, int]] = []
    for sizes in default_sizes(ctx.claim):
        for idx in ctx.index_assignments(sizes):
            try:
                built = ctx.build(sizes, idx)
            except BUILD_ERRORS:
                return None
            if built.lhs.shape != built.rhs.shape or not is_zero(built.residual):
                return None
        proved.append(sizes)
    cases = len(ctx.index_assignments(proved[0])) if proved else 1
    extra = f", {cases} index case(s) each" if ctx.index_symbols() else ""
    if not ctx.claim.dims:
        return Verdict("proved", "prove_at_sizes", detail=f"element-wise identity{extra}")
    return Verdict(
        "proved-at-sizes",
        "prove_at_sizes",
        detail=f"element-wise identity at {len(proved)} size assignment(s){extra}",
        sizes=tuple(proved),
    )
