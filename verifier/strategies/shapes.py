"""Strategy 1: shapes first, at concrete sizes where distinct dimensions have distinct sizes.

With symbolic sizes SymPy builds ``A.T*C.T`` even when the shapes do not fit, so the check
runs on explicit matrices.  A side that cannot be built is a malformed entry (an error that
names the claim); two sides of different shapes are a refutation.
"""

from __future__ import annotations

from verifier.claim import ClaimError
from verifier.instantiate import Unsupported, default_sizes
from verifier.strategies.context import BUILD_ERRORS, VACUOUS, Context
from verifier.verdict import Counterexample, Verdict


def _shape(m) -> str:
    return f"{m.shape[0]}×{m.shape[1]}"


def check_shapes(ctx: Context) -> Verdict | None:
    for k, sizes in enumerate(default_sizes(ctx.claim)):
        if k > 0 and len(set(default_sizes(ctx.claim)[0].values())) == len(ctx.claim.dims):
            break  # the first assignment already gives every dimension its own size
        idx = ctx.random_index(sizes)
        try:
            built = ctx.build(sizes, idx, partial=True)
        except (*VACUOUS, Unsupported):
            continue  # undefined everywhere here: the shapes show at another size, or never
        except BUILD_ERRORS as exc:
            raise ClaimError(
                ctx.claim.id, f"a side cannot be built at sizes {sizes}: {exc}"
            ) from exc
        if built.lhs.shape != built.rhs.shape:
            note = (
                f"shapes differ at sizes {sizes}: lhs is {_shape(built.lhs)}, "
                f"rhs is {_shape(built.rhs)}"
            )
            return Verdict(
                "refuted",
                "check_shapes",
                detail=note,
                counterexample=Counterexample(
                    values={},
                    lhs=_shape(built.lhs),
                    rhs=_shape(built.rhs),
                    difference=None,
                    exact=True,
                    sizes=sizes,
                    note=note,
                ),
            )
    return None
