"""Degenerate conditions: ones under which both sides of a claim are 0 everywhere.

The SVM dual with its labels lost, Σᵢⱼ aᵢaⱼyᵢyⱼKᵢⱼ = aᵀKa, holds if K is skew-symmetric:
true, and useless, since both sides are 0 there whatever the labels.  A condition like it
is not offered.  It stays offered when the claim says no more than "a side is 0": one side
is a constant multiple of the other (2xᵀKx = xᵀKx, A − Aᵀ = Aᵀ − A) or is 0 itself
(tr A = 0), so the condition under which it vanishes is exactly what holds.

Both tests sample: a wrongly kept condition is still true (it was proved or checked), and
a wrongly refused one leaves the claim refuted, which it is.
"""

from __future__ import annotations

import sympy as sp

from verifier.audit import evaluate_point
from verifier.certify import compare_matrices
from verifier.claim import Claim
from verifier.domains import Contradictory
from verifier.instantiate import default_sizes
from verifier.strategies.context import Context

POINTS = 6  # per size: half ordinary values, half special ones
NEEDED = 3  # defined points a verdict of "both sides vanish" rests on


def both_sides_vanish(cand: Claim, seed: int) -> bool:
    """Are both sides 0 at every defined point drawn under the condition (at least
    ``NEEDED`` of them)?"""
    ctx = Context(cand, seed=seed)
    seen = 0
    for sizes in default_sizes(cand):
        for k in range(POINTS):
            try:
                values, idx = ctx.sample_point(sizes, 0.0 if k % 2 == 0 else 0.6,
                                               generic=k % 2 == 0)
            except Contradictory:
                return False
            res = evaluate_point(cand, sizes, values, idx)
            if res.status != "agree" or res.lhs is None:
                continue
            if not _zero(res.lhs) or not _zero(res.rhs):
                return False
            seen += 1
    return seen >= NEEDED


def says_a_side_vanishes(claim: Claim, seed: int) -> bool:
    """Is one side 0, or a constant multiple of the other, at every point drawn (without
    the condition)?  Then the claim is "this side is 0", and a condition making it 0 is
    the answer, not a degenerate one.  (Drawn points, not the counterexample: a shrunk
    counterexample has zeros, y = [0, 1] puts one side of the SVM dual at 0.)"""
    ctx = Context(claim, seed=seed)
    pairs = []
    for sizes in default_sizes(claim):
        for _ in range(2):
            try:
                values, idx = ctx.sample_point(sizes, 0.0, generic=True)
            except Contradictory:
                return True
            res = evaluate_point(claim, sizes, values, idx)
            if res.lhs is not None and res.rhs is not None and res.status in ("agree",
                                                                              "differ"):
                pairs.append((res.lhs, res.rhs))
    if not pairs or all(_zero(lhs) for lhs, _ in pairs) or all(_zero(r) for _, r in pairs):
        return True
    ratio = next((_ratio(lhs, rhs) for lhs, rhs in pairs
                  if not _zero(lhs) and not _zero(rhs)), None)
    return ratio is not None and all(
        compare_matrices(lhs, ratio * rhs).status == "agree" for lhs, rhs in pairs)


def _zero(m: sp.Matrix) -> bool:
    return compare_matrices(m, sp.zeros(*m.shape)).status == "agree"


def _ratio(lhs: sp.Matrix, rhs: sp.Matrix):
    """c with lhs = c·rhs at this point, or None."""
    for a, b in zip(lhs, rhs, strict=True):
        if compare_matrices(sp.Matrix([[b]]), sp.zeros(1, 1)).status != "agree":
            c = a / b
            return c if compare_matrices(lhs, c * rhs).status == "agree" else None
    return None
