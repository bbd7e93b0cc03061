"""Strategy 7: condition search.  When a claim is refuted, find the weakest standard condition
on its own symbols (or the other layout) under which it holds, and say how it holds there."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from verifier.claim import Assumption, Claim, ClaimError
from verifier.domains import one_signed
from verifier.verdict import implies

# weakest first: a symmetric M is found before a diagonal one
MATRIX_CONDITIONS = ("symmetric", "skew-symmetric", "orthogonal", "positive definite", "diagonal")


# structures whose intersection is a trivial set (S symmetric and skew: S = 0; positive
# definite and orthogonal: I; diagonal and orthogonal: the ±1 diagonals; skew and orthogonal:
# none at odd sizes): as a condition on a symbol assumed the other, it says nothing useful
DEGENERATE = {frozenset(p) for p in (
    ("symmetric", "skew-symmetric"), ("skew-symmetric", "positive definite"),
    ("skew-symmetric", "diagonal"), ("skew-symmetric", "orthogonal"),
    ("orthogonal", "positive definite"), ("orthogonal", "diagonal"))}


def candidates(claim: Claim) -> Iterator[tuple[str, Callable[[Claim], Claim]]]:
    """(phrase, transform) pairs, weakest first; assumptions the claim already makes are
    skipped, and so are structures that would leave a symbol only a trivial set."""
    have = {a.phrase() for a in claim.assumptions}
    for a in claim.assumptions:
        if a.kind in MATRIX_CONDITIONS:
            have.update(Assumption(other, a.names).phrase() for pair in DEGENERATE
                        if a.kind in pair for other in pair - {a.kind})
    expected = _expected_condition(claim, have)
    if expected is not None:  # what the author expects is tried first: both may hold
        yield expected
        have.add(expected[0])
    other = "numerator" if claim.layout == "denominator" else "denominator"
    if claim.kind == "gradient":
        yield f"{other} layout", lambda c, o=other: replace(c, layout=o)
    elif _jacobian(claim):  # jacobian(f, x) = J of another layout: the side's own
        yield f"{other} layout", lambda c, o=other: replace(
            c, layout=o, lhs=replace(c.lhs, layout=o))

    def assume(a: Assumption):
        return lambda c: c.with_assumption(a)

    squares = [d for d in claim.symbols if d.is_square]
    # a skew matrix whose entries have one sign is 0: "holds if Y skew-symmetric" was offered
    # for a binary Y, the only such Y being 0
    # and an orthogonal one with one-signed entries is a permutation matrix, a finite set no
    # parametrisation samples ("holds if A orthogonal (checked)" for (A₀₀ > 0) = 1 with A
    # symmetric and nonnegative, false at [[0, 1], [1, 0]])
    have.update(Assumption(prop, (d.name,)).phrase() for d in squares
                if one_signed(claim, d.name) for prop in ("skew-symmetric", "orthogonal"))
    for prop in MATRIX_CONDITIONS[:2]:
        for d in squares:
            a = Assumption(prop, (d.name,))
            if a.phrase() not in have:
                yield a.phrase(), assume(a)
    for i, d in enumerate(squares):
        for e in squares[i + 1 :]:
            if d.dims == e.dims:
                a = Assumption("commute", (d.name, e.name))
                if a.phrase() not in have:
                    yield a.phrase(), assume(a)
    for d in claim.symbols:
        # scalars only: a sign on every entry of a structured matrix can leave a trivial or
        # empty set (skew and nonnegative: 0; orthogonal and positive: none)
        if d.kind == "scalar":
            for prop in ("nonnegative", "positive"):  # weakest first: sqrt(s**2) = s at s = 0
                a = Assumption(prop, (d.name,))
                if a.phrase() not in have:
                    yield a.phrase(), assume(a)
    for prop in MATRIX_CONDITIONS[2:]:
        for d in squares:
            a = Assumption(prop, (d.name,))
            if a.phrase() not in have:
                yield a.phrase(), assume(a)
    # last: a sign on every entry of a vector assumed nothing else (no structure, so no
    # trivial set): √(x²) = x holds exactly where x ≥ 0
    for d in claim.symbols:
        if d.kind == "vector" and not any(d.name in a.names for a in claim.assumptions):
            for prop in ("nonnegative", "positive"):
                a = Assumption(prop, (d.name,))
                yield a.phrase(), assume(a)


def _expected_condition(claim: Claim, have: set[str]):
    """The claim's own "holds if C" as a candidate, when C is an assumption on its symbols
    not already made: ∇ log det P = P⁻¹ holds for a symmetric P and in numerator layout, and
    its author, who wrote "holds if P symmetric", was told only the layout; Σ_y p_y (p − e_y)
    (p − e_y)ᵀ = diag(p) − ppᵀ holds where p sums to 1, a condition the search never tries."""
    expect = getattr(claim, "expect", None)
    cond = getattr(expect, "condition", None)
    if (getattr(expect, "outcome", "") != "conditional" or not cond or cond in have
            or cond.endswith(" layout")):  # the other layout is the search's first candidate
        return None
    from verifier.claim import parse_assumption

    try:
        a = parse_assumption(cond, claim.id)
    except ClaimError:
        return None
    if a.compound:
        return None  # an expression (X.T @ X invertible) is compiled with the claim, not here
    name = a.names[0] if a.names else ""
    if any(implies(a.phrase(), f"{name} {weaker}") for weaker in ("symmetric", "invertible",
                                                                   "nonnegative", "nonzero")):
        return None  # the search finds the weaker condition it implies, which meets it
    return a.phrase(), lambda c: c.with_assumption(a)


def _jacobian(claim: Claim) -> bool:
    """An identity whose left side is jacobian(f, x): the two layouts give transposed
    matrices (of one shape when f has as many outputs as inputs; of transposed shapes
    otherwise, so jacobian(A @ x, x) = A with A m×n, refuted on its shapes, holds in
    numerator layout)."""
    tree = getattr(claim.lhs, "tree", None)
    return claim.kind == "identity" and getattr(tree, "fn", "") == "jacobian"
