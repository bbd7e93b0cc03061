"""Zero tests for proofs: True only when an expression is shown to be identically 0.

A ladder from cheap to costly (expand, cancel, rewrite in exp, piecewise folding region by
region, simplify last); False means "not shown", never "nonzero".
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from verifier.strategies.linear_cases import linear_cases_zero
from verifier.strategies.timing import StrategyTimeout

__all__ = ["is_zero"]



_KINKED = (sp.Piecewise, sp.Abs, sp.Max, sp.Min, sp.Heaviside, sp.sign)


def _transcendental_switch(e: Any) -> bool:
    """Does a branch of ``e`` switch where a transcendental expression crosses a value
    (1[log p + log(1 − p) < −140])?  SymPy 1.14 reads that condition's set as empty
    (``as_set()``), and ``simplify`` folds the Piecewise to 0: the claim was "proved",
    false at p = 10⁻⁶¹."""
    for f in e.atoms(*_KINKED):
        parts = [c for _, c in f.args] if isinstance(f, sp.Piecewise) else list(f.args)
        for part in parts:
            atoms = {g for g in sp.preorder_traversal(part) if g.free_symbols and (
                (isinstance(g, sp.Function) and not isinstance(g, _KINKED))
                or (isinstance(g, sp.Pow) and not g.exp.is_Integer))}
            # one monotone function of one linear argument (σ(x) < 1, tanh(x)² < 1) is
            # solved through its inverse, which SymPy does right; more is not trusted
            if len(atoms) > 1 or any(not _linear(g) for g in atoms):
                return True
    return False


def _linear(g: Any) -> bool:
    """A function of one argument, linear in one symbol (exp(2x + 1), σ(x))."""
    if len(g.args) != 1 or len(g.free_symbols) != 1:
        return False
    (x,) = g.free_symbols
    try:
        return sp.Poly(g.args[0], x).degree() <= 1
    except sp.PolynomialError:
        return False


def _zero_ladder(e: Any) -> bool:
    """True only when ``e`` is shown to be identically 0; False means "not shown"."""
    if e == 0:
        return True
    if e.has(*_KINKED) and _transcendental_switch(e):
        # only the sound test: every branch 0 whatever the conditions
        try:
            r = sp.piecewise_fold(e.rewrite(sp.Piecewise))
            return sp.expand(e) == 0 or (isinstance(r, sp.Piecewise) and all(
                _branch_zero(branch) for branch, _ in r.args))
        except StrategyTimeout:
            raise
        except Exception:  # noqa: BLE001 - not shown zero
            return False
    try:
        if sp.expand(e) == 0:
            return True
        if sp.cancel(sp.together(e)) == 0:
            return True
        if e.has(*_KINKED) and linear_cases_zero(e):
            # piecewise linear: every case of its conditions is 0 or empty (exact, and far
            # cheaper than simplify, which gave up on soft-thresholding after 12 s)
            return True
        if e.has(sp.Function) and not _complex_condition(r := e.rewrite(sp.exp)):
            if sp.cancel(sp.together(sp.expand(r))) == 0:
                return True
            if e.has(sp.Piecewise):
                r = sp.piecewise_fold(r)
            if sp.simplify(r) == 0:
                return True
        if e.has(sp.Piecewise, sp.Abs, sp.Max, sp.Min, sp.Heaviside, sp.sign):
            # one Piecewise with every kink explicit; if every branch is 0 the whole is 0,
            # whatever the conditions (sound, and far cheaper than simplifying them)
            r = sp.piecewise_fold(e.rewrite(sp.Piecewise))
            if isinstance(r, sp.Piecewise) and (
                all(_branch_zero(branch) for branch, _ in r.args) or _regions_zero(r)
            ):
                return True
            if sp.simplify(r) == 0:
                return True
        return sp.simplify(e) == 0
    except StrategyTimeout:
        raise
    except Exception:  # noqa: BLE001 - a failing simplifier only means "not shown zero"
        return False


def _complex_condition(r: Any) -> bool:
    """Did writing sin and cos as exponentials put I into a comparison or a kink?  SymPy
    then decides the non-real condition: ``simplify`` folded 1[sin x > −0.99] − 1, written
    1[I(e^{ix} − e^{−ix}) < 99/50] − 1, to 0 (false at x = −π/2)."""
    return r.has(sp.I) and (r.has(*_KINKED) or bool(r.atoms(sp.core.relational.Relational)))


def _branch_zero(branch: Any) -> bool:
    return sp.expand(branch) == 0 or sp.cancel(sp.together(branch)) == 0


def _regions_zero(r: sp.Piecewise) -> bool:
    """A Piecewise in one real variable is 0 if each branch is 0 on the region where it
    applies (its condition minus the earlier ones): empty regions are skipped, and a branch
    that applies at finitely many points is checked at those points."""
    syms = r.free_symbols
    if len(syms) != 1:
        return False
    (x,) = syms
    covered = sp.EmptySet
    for branch, cond in r.args:
        here = cond.as_set().intersect(sp.S.Reals)
        region = sp.Complement(here, covered)
        covered = sp.Union(covered, here)
        if region is sp.EmptySet or _branch_zero(branch):
            continue
        if isinstance(region, sp.FiniteSet) and all(
            sp.expand(branch.subs(x, p)) == 0 for p in region
        ):
            continue
        return False
    return True


def is_zero(e: Any) -> bool:
    if isinstance(e, sp.MatrixBase):
        return all(_zero_ladder(x) for x in e)
    return _zero_ladder(e)
