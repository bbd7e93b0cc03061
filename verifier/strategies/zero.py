"""Zero tests for proofs: True only when an expression is shown to be identically 0.

A ladder from cheap to costly (expand, cancel, rewrite in exp, piecewise folding region by
region, simplify last); False means "not shown", never "nonzero".
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from verifier.strategies.failing_point import has_assumptions
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


# rationals for a quick look: mixed signs and sizes, integers for integer symbols, 0 last
_PROBES = tuple(sp.Rational(v) for v in ("3/7", "-5/3", "2", "-1", "7/2", "1/3", "5", "-3/11", "0"))


def _probe_value(x: Any, offset: int) -> Any:
    """A rational consistent with every assumption SymPy holds of ``x`` (positive, integer,
    nonzero...), None where none of the probes is."""
    for k in range(len(_PROBES)):
        v = _PROBES[(offset + k) % len(_PROBES)]
        if has_assumptions(x, v):
            return v
    return None


def _nonzero_somewhere(e: Any) -> bool:
    """``e`` is an exact nonzero rational at a rational point its symbols' assumptions allow:
    then it is not identically 0, and the ladder need not run. simplify spent 40 s folding the
    kinks of clip(S·g, −c, c)/S − clip(g, −c, c) before saying "not zero"; at (3/7, −5/3, 2)
    it is −1/7. Only exact arithmetic is read (rational functions, |·|, max, Piecewise)."""
    symbols = e.free_symbols
    if not symbols or not all(isinstance(x, sp.Symbol) for x in symbols) or any(
        p.exp.is_Integer and abs(p.exp) > 64 for p in e.atoms(sp.Pow)
    ):
        return False
    ordered = sorted(symbols, key=sp.default_sort_key)
    for shift in (0, 1):  # neighbouring probes differ in sign
        point = {x: _probe_value(x, i + shift) for i, x in enumerate(ordered)}
        if any(v is None for v in point.values()):
            return False
        try:
            value = e.xreplace(point)
        except (ZeroDivisionError, TypeError, ValueError):
            continue
        if isinstance(value, sp.Rational) and value != 0:
            return True
    return False


def _zero_ladder(e: Any) -> bool:
    """True only when ``e`` is shown to be identically 0; False means "not shown"."""
    if e == 0:
        return True
    if _nonzero_somewhere(e):
        return False
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
        if e.has(sp.Max, sp.Min) and sp.expand(_pull_factors(e)) == 0:
            return True
        if _roots_cancel(e):
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
            if _simplify_zero(r, e):
                return True
        if e.has(sp.Piecewise, sp.Abs, sp.Max, sp.Min, sp.Heaviside, sp.sign):
            # one Piecewise with every kink explicit; if every branch is 0 the whole is 0,
            # whatever the conditions (sound, and far cheaper than simplifying them)
            r = sp.piecewise_fold(e.rewrite(sp.Piecewise))
            if isinstance(r, sp.Piecewise) and (
                all(_branch_zero(branch) for branch, _ in r.args) or _regions_zero(r)
            ):
                return True
            if _simplify_zero(r, e):
                return True
        return _simplify_zero(e, e)
    except StrategyTimeout:
        raise
    except Exception:  # noqa: BLE001 - a failing simplifier only means "not shown zero"
        return False


def _pull_factors(e: Any) -> Any:
    """max(k·a, k·b) = k·max(a, b) and min likewise, for a common factor k ≥ 0 (as SymPy
    knows it: |c|, c positive): ‖cx‖_∞ = |c|‖x‖_∞ cancels without simplify's Piecewise
    folding, which ran a minute at n = 3 and gave up."""
    def pulled(m: Any) -> Any:
        shared = set.intersection(*(set(sp.Mul.make_args(a)) for a in m.args))
        k = sp.Mul(*[f for f in shared if f.is_nonnegative is True])
        if k == 1:
            return m
        return k * type(m)(*[a / k for a in m.args])
    split = e.replace(lambda x: isinstance(x, sp.Abs) and isinstance(x.args[0], sp.Mul),
                      lambda x: sp.Mul(*[sp.Abs(f) for f in x.args[0].args]))  # |ab| = |a||b|
    return split.replace(lambda x: isinstance(x, sp.Max | sp.Min), pulled)


def _roots_cancel(e: Any) -> bool:
    """√a·√b = √(ab) for a, b ≥ 0: with every radicand shown nonnegative by its form
    (sums of squares, norms), roots are combined and their radicands expanded: ‖abᵀ‖_F =
    ‖a‖‖b‖ is √(Σᵢⱼaᵢ²bⱼ²) against √(Σaᵢ²)·√(Σbⱼ²), which SymPy leaves apart."""
    from verifier.strategies.nonnegative import nonnegative  # nonnegative.py imports zero.py

    def root(p: Any) -> bool:  # a fractional power: √, ∛, x^(3/2)
        return isinstance(p, sp.Pow) and p.exp.is_Rational and not p.exp.is_Integer

    if not any(map(root, e.atoms(sp.Pow))):
        return False
    # a claim's variables are real; entries built at a size do not all say so
    e = e.xreplace({x: sp.Dummy(x.name, real=True) for x in e.free_symbols
                    if isinstance(x, sp.Symbol) and x.is_real is None})
    if not all(nonnegative(p.base) for p in e.atoms(sp.Pow) if root(p)):
        return False

    def combined(term: Any) -> Any:
        rest, by_exp = [], {}
        for f in sp.Mul.make_args(term):
            if root(f):
                by_exp.setdefault(f.exp, []).append(f.base)
            else:
                rest.append(f)
        return sp.Mul(*rest, *[sp.Pow(sp.expand(sp.Mul(*bases)), k)
                               for k, bases in by_exp.items()])
    return sp.expand(sp.Add(*map(combined, sp.Add.make_args(sp.expand(e))))) == 0


def _simplify_zero(r: Any, e: Any) -> bool:
    """``simplify(r) == 0``, trusted only with ``e`` shown 0 at each point where a condition
    of one variable switches in isolation: SymPy 1.14 drops a Piecewise branch whose
    condition holds at finitely many points, so simplify folded 1[(x² − 2)² ≤ 0] and
    1[|x² − 2| ≤ 0] (true at x = ±√2 only, which no rational point reaches) to 0, and the
    claim was proved."""
    if sp.simplify(r) != 0:
        return False
    found = _isolated_points(e)
    if found is None:
        return False
    folded, sets, points = found
    return all(_zero_at(folded, sets, x, p) for x, p in points)


def _zero_at(folded: Any, sets: dict[Any, Any], x: Any, p: Any) -> bool:
    """``folded`` shown 0 at x = p, each comparison in x alone decided by its solution set
    (SymPy leaves 1[(p³ − p − 1)² ≤ 0] undecided at Cardano's root p, and simplify folds it
    to 0 again)."""
    decided = {}
    for rel, where in sets.items():
        if rel.free_symbols == {x}:
            inside = where.contains(p)
            if inside not in (sp.true, sp.false):
                return False
            decided[rel] = inside
    at = folded.xreplace(decided).xreplace({x: p})
    if any(not rel.free_symbols for rel in at.atoms(sp.core.relational.Relational)):
        return False  # a comparison of numbers SymPy could not decide
    return _zero_ladder(at)


def _isolated_points(e: Any) -> tuple[Any, dict[Any, Any], set[tuple[Any, Any]]] | None:
    """``e`` with kinks written as one Piecewise, the solution set of each of its comparisons
    in one real variable, and the (variable, value) pairs where such a comparison, a branch's
    condition or the region where a branch applies holds, or fails, at isolated points only:
    x = ±√2 for (x² − 2)² ≤ 0, for |x² − 2| ≤ 0 (x² ≥ 2 and x² ≤ 2) and for (x² − 2)² > 0.
    Only a Piecewise SymPy folds by intervals counts (its first condition in one variable,
    solved).  None when finding a set fails (periodic: sin x ≥ 1, which SymPy folds to
    "never")."""
    try:
        folded = sp.piecewise_fold(e.rewrite(sp.Piecewise))
        # the Piecewise simplify saw (e itself, |·| and max written as Piecewise) and the
        # folded one: |x² − 2| ≤ 0 is folded as written, and as x² ≥ 2 ∧ x² ≤ 2
        foldable = [pw for f in (e, folded) for pw in f.atoms(sp.Piecewise) if _foldable(pw)]
        relations = {rel for pw in foldable for _, cond in pw.args
                     for rel in cond.atoms(sp.core.relational.Relational)}
        if any(rel.has(sp.sin, sp.cos, sp.tan) for rel in relations):
            return None  # periodic: SymPy folds 1[sin x ≥ 1] to 0 and cannot list its points
        sets = {rel: rel.as_set() for rel in relations if len(rel.free_symbols) == 1}
        found = [(next(iter(rel.free_symbols)), where) for rel, where in sets.items()]
        for pw in foldable:
            covered = sp.EmptySet
            for _, cond in pw.args:
                if len(cond.free_symbols) != 1:
                    break  # regions of several variables: SymPy does not fold them
                here = cond.as_set().intersect(sp.S.Reals)
                x = next(iter(cond.free_symbols))
                found += [(x, here), (x, sp.Complement(here, covered))]
                covered = sp.Union(covered, here)
        points = set()
        for x, where in found:
            if where.has(sp.ConditionSet):
                continue  # not solved: SymPy's Piecewise simplification cannot fold it either
            for part in (where.intersect(sp.S.Reals), sp.S.Reals - where):
                isolated = _points(part)
                if isolated is None:
                    return None
                points.update((x, p) for p in isolated)
        return folded, sets, points
    except StrategyTimeout:
        raise
    except Exception:  # noqa: BLE001 - periodic or unsolved: cannot rule isolated points out
        return None


def _foldable(pw: Any) -> bool:
    """Does SymPy's Piecewise simplification fold ``pw`` by the intervals of its conditions
    in one variable (the step that drops an isolated point)?  It does only where it solves
    them: not σ(s) ≤ 1, nor a batch-norm gradient's comparisons (solving those by hand took
    minutes)."""
    symbols = pw.args[0].cond.free_symbols
    if len(symbols) != 1:
        return False
    (x,) = symbols
    return bool(pw._intervals(x, err_on_Eq=True)[0])


def _points(s: Any) -> set[Any] | None:
    """The isolated points of a set of reals (its finite parts); None for a set not made of
    intervals and finite sets (an ImageSet, a ConditionSet)."""
    if isinstance(s, sp.FiniteSet):
        return set(s)
    if isinstance(s, sp.Union):
        out: set[Any] = set()
        for a in s.args:
            found = _points(a)
            if found is None:
                return None
            out |= found
        return out
    if s is sp.EmptySet or s is sp.S.Reals or isinstance(s, sp.Interval):
        return set()
    return None


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
