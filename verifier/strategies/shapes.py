"""Strategy 1: shapes first, at concrete sizes where distinct dimensions have distinct sizes.

With symbolic sizes SymPy builds ``A.T*C.T`` even when the shapes do not fit, so the check
runs on explicit matrices.  A side that cannot be built is a malformed entry (an error that
names the claim); two sides of different shapes are a refutation.  A claim whose symbolic
build is slow (``exact.builds_slowly``) is written in the claim language, whose parser gives
each side a static shape: those are compared at the sizes instead.
"""

from __future__ import annotations

from collections.abc import Callable

from verifier.claim import Claim, ClaimError
from verifier.instantiate import Unsupported, default_sizes
from verifier.language.functions import KINKED
from verifier.language.shapes import value_at
from verifier.language.tree import Call, Compare, walk
from verifier.strategies.context import BUILD_ERRORS, VACUOUS, Context
from verifier.strategies.exact import builds_slowly
from verifier.verdict import Counterexample, Verdict


def _shape(shape: tuple[int, int]) -> str:
    return f"{shape[0]}×{shape[1]}"


def _static(side, sizes: dict) -> tuple[int, int]:
    shape = side.tree.shape
    if shape.is_scalar:
        return (1, 1)
    return (value_at(shape.rows, sizes), value_at(shape.cols, sizes))


def _gradient_shape(claim: Claim, sizes: dict) -> tuple[int, int]:
    """The shape of grad(f, X) at ``sizes``: X's (denominator layout), Xᵀ's (numerator)."""
    shape = tuple(d if isinstance(d, int) else sizes[d] for d in claim.decls[claim.wrt].shape)
    return shape[::-1] if claim.layout == "numerator" else shape


def _slow_gradient(claim: Claim) -> bool:
    """A gradient claim written in the claim language whose f (or G) inverts, or takes the
    determinant or a row-wise softmax of, a matrix expression, with no kinks, comparisons or
    derivatives inside: SymPy's derivative of a symbolic inverse at n = 2, m = 3 took 20-25 s
    (the Kalman posterior's trace by R) to tell shapes the parser already gives."""
    if claim.kind != "gradient" or claim.wrt is None:
        return False
    trees = [getattr(claim.f, "tree", None), getattr(claim.rhs, "tree", None)]
    if any(t is None for t in trees) or claim.decls[claim.wrt].kind not in (
            "scalar", "vector", "matrix"):
        return False
    heavy = False
    for node in (n for t in trees for n in walk(t)):
        if isinstance(node, Compare) or (isinstance(node, Call) and (
                node.fn in KINKED or node.fn in ("grad", "jacobian", "hessian"))):
            return False
        if isinstance(node, Call) and node.fn in ("inv", "det") and node.args[0].shape.is_matrix:
            heavy = True
        if isinstance(node, Call) and node.fn in ("softmax", "log_softmax") \
                and node.args[0].shape.is_matrix and not node.args[0].shape.is_column:
            heavy = True  # a row-wise softmax of a matrix: 54% of an attention proof
    return heavy and (trees[0].shape.is_scalar or trees[0].shape.is_one_by_one)


def _static_lhs(claim: Claim) -> Callable[[dict], tuple[int, int]] | None:
    """The left side's shape at given sizes without building it, for claims whose build is
    slow (their shapes are the parser's); None for the others."""
    if builds_slowly(claim):
        return lambda sizes: _static(claim.lhs, sizes)
    if _slow_gradient(claim):
        return lambda sizes: _gradient_shape(claim, sizes)
    return None


def check_shapes(ctx: Context) -> Verdict | None:
    if (static_lhs := _static_lhs(ctx.claim)) is not None:
        for sizes in default_sizes(ctx.claim):
            lhs, rhs = static_lhs(sizes), _static(ctx.claim.rhs, sizes)
            if lhs != rhs:
                return _differ(ctx, sizes, lhs, rhs)
        return None
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
            return _differ(ctx, sizes, built.lhs.shape, built.rhs.shape)
    return None


def _layout_hint(ctx: Context, lhs: tuple[int, int], rhs: tuple[int, int]) -> str:
    """When the two shapes are each other's transpose and a side takes a grad or jacobian,
    the other layout may be what the claim means: say how to state it. (A gradient claim
    also gets the other layout tried by the condition search; a derivative inside an
    identity is built in the claim's layout, so only the claim can change it.)"""
    if lhs != rhs[::-1]:
        return ""
    trees = [getattr(side, "tree", None) for side in (ctx.claim.lhs, ctx.claim.rhs)]
    if not any(isinstance(n, Call) and n.fn in ("grad", "jacobian")
               for tree in trees if tree is not None for n in walk(tree)):
        return ""
    other = "numerator" if ctx.claim.layout == "denominator" else "denominator"
    return (f"; the derivative is in {ctx.claim.layout} layout, its transpose in {other} "
            f'layout: if that is the one meant, state layout = "{other}" (--layout {other})')


def _differ(ctx: Context, sizes: dict, lhs: tuple[int, int], rhs: tuple[int, int]) -> Verdict:
    note = (f"shapes differ at sizes {sizes}: lhs is {_shape(lhs)}, rhs is {_shape(rhs)}"
            + _layout_hint(ctx, lhs, rhs))
    return Verdict(
        "refuted",
        "check_shapes",
        detail=note,
        counterexample=Counterexample(
            values={},
            lhs=_shape(lhs),
            rhs=_shape(rhs),
            difference=None,
            exact=True,
            sizes=sizes,
            note=note,
        ),
    )
