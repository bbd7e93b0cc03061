"""Strategy: proof in general dimension through index form (``prove_index_form``).

Both sides are built with matrix symbols of symbolic size in index form (``ops.index_forms``:
element-wise functions, sums, softmax, one-hot columns and gradients become matrices defined
entry by entry), and a matrix side is read at one entry (r, c) with symbolic r and c.  The
residual lhs[r, c] − rhs[r, c] is a scalar index expression; ``index_canon.Canonicaliser``
brings it to a canonical form (deltas contracted, sums distributed and factored, summation
indices renamed canonically, the assumptions' rules applied) and the zero test then works on
its atoms.  A residual of 0 proves the claim for every size, every entry and every value of
the free indices.

Soundness, as ``prove_general``: every derivative the proof used (∂f/∂X[a, b] by the index
rules, one value for all a, b) is re-checked element by element, at every entry and every
value of each free index, against SymPy's derivative of f written out at small sizes (the
dimensions 2 and 3 in turn, so a swapped index shows); a proof counts only with a certified
point where the claim is defined (``unless_vacuous``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from verifier import ops
from verifier.instantiate import both_sides, default_sizes, general
from verifier.strategies.context import BUILD_ERRORS, Context
from verifier.strategies.general import unless_vacuous
from verifier.strategies.index_canon import (
    Canonicaliser,
    IndexFormUnavailable,
    atomize,
    collapse,
    kink_pattern,
)
from verifier.strategies.timing import StrategyTimeout
from verifier.strategies.zero import is_zero
from verifier.sympy_adjust import lenient_indices
from verifier.verdict import Verdict

__all__ = ["build_index_sides", "check_bound", "prove_index_form"]

RECHECK_SIZES = (2, 3)  # the dimensions take these sizes in turn, in one assignment
INDEX_CASES = 27  # values of the free indices tried per re-check size, at most
SIMPLIFY_UP_TO = 400  # operations: beyond this the zero test stops before simplify

# the free entry of a matrix side (claim symbols never start with "_")
_ROW = sp.Symbol("_r", integer=True)
_COL = sp.Symbol("_c", integer=True)


# ----- building both sides in index form -----


def _index_claim(claim):
    """The claim without its probability-vector assumptions (``general`` has no form for
    them; the canonical form applies Σₖ pₖ = 1 instead), and those vectors' names."""
    simplex = tuple(a.names[0] for a in claim.assumptions if a.kind == "sums to 1")
    if not simplex:
        return claim, ()
    kept = tuple(a for a in claim.assumptions if a.kind != "sums to 1")
    return replace(claim, assumptions=kept), simplex


def build_index_sides(claim, kinks: list | None = None):
    """Both sides in index form; the arguments of their kinks are appended to ``kinks``."""
    c, simplex = _index_claim(claim)
    reqs: list = []
    token = ops.REQUIREMENTS.set(reqs)
    try:
        with ops.index_forms():
            inst = general(c)
            lhs, rhs = both_sides(inst, c)
    finally:
        ops.REQUIREMENTS.reset(token)
    if kinks is not None:
        # only kinks of a differentiated function: a comparison on the claimed side is
        # defined at its threshold, and a claim false there must not be proved
        # (and only kinks in a variable differentiated by: ∂/∂w of 1[v > 0] w exists at v = 0)
        kinks.extend(r.value for r in reqs if r.kind == "kink" and r.kinked())
    vectors = tuple(inst.env[name] for name in simplex)
    return inst, lhs, rhs, vectors


def _is_mat(x: Any) -> bool:
    return isinstance(x, sp.MatrixExpr)


def _same_size(a: Any, b: Any) -> bool:
    return sp.expand(sp.sympify(a) - sp.sympify(b)) == 0


def _entries(lhs: Any, rhs: Any) -> tuple[Any, Any, dict] | None:
    """Both sides at one symbolic entry (r, c), and the ranges of r and c."""
    ranges: dict = {}
    if not (_is_mat(lhs) or _is_mat(rhs)):
        return lhs, rhs, ranges
    lhs, rhs = (collapse(x) if _is_mat(x) else x for x in (lhs, rhs))
    shape = (lhs if _is_mat(lhs) else rhs).shape
    if _is_mat(lhs) and _is_mat(rhs):
        if not all(_same_size(x, y) for x, y in zip(lhs.shape, rhs.shape, strict=True)):
            return None
    elif shape != (1, 1):
        return None
    r = sp.Integer(0) if shape[0] == 1 else _ROW
    c = sp.Integer(0) if shape[1] == 1 else _COL
    if shape[0] != 1:
        ranges[_ROW] = (sp.Integer(0), shape[0] - 1)
    if shape[1] != 1:
        ranges[_COL] = (sp.Integer(0), shape[1] - 1)

    def at(x):
        return ops.entry_of(x, r, c) if _is_mat(x) else x

    return at(lhs), at(rhs), ranges


def _index_like(x: Any) -> bool:
    """Does a side need index form (or could the matrix prover have had it)?"""
    return x.has(sp.FunctionMatrix, sp.Sum, ops.index_diff_class(), sp.KroneckerDelta,
                 sp.HadamardProduct, sp.BlockMatrix) or (x.has(sp.MatrixSymbol)
                                                          and x.has(sp.Function))


def check_bound(e: Any) -> None:
    """Every summation index is bound by its sum.  SymPy folds a Piecewise summand out of a
    Sum built around it, summation index and all: then a Dummy index is free, or a condition
    names an index that only a sum inside the Piecewise binds.  Such an expression is not
    trusted."""
    loose = [s for s in e.free_symbols if isinstance(s, sp.Dummy)]
    if loose:
        raise IndexFormUnavailable(f"a summation index ({loose[0]}) escaped its sum")
    for pw in e.atoms(sp.Piecewise):
        bound = {lim[0] for x, _ in pw.args for s in x.atoms(sp.Sum) for lim in s.limits}
        named = set().union(*[c.free_symbols for _, c in pw.args])
        if bound & named:
            raise IndexFormUnavailable(f"a summation index ({sorted(bound & named, key=str)[0]}) "
                                       "escaped its sum into a condition")


def _unbound_checked(e: Any) -> Any:
    check_bound(e)
    return e


def _has_sigmoid(e: Any) -> bool:
    """σ anywhere, also inside the f of a derivative or a matrix defined entry by entry."""
    return "sigmoid" in sp.srepr(e)


# ----- the zero test -----


def _cheap_zero(e: Any) -> bool:
    if e == 0 or sp.expand(e) == 0:
        return True
    if sp.cancel(sp.together(e)) == 0:
        return True
    if any(not p.exp.is_Number for p in e.atoms(sp.Pow)):  # β·β^(t−1) = βᵗ
        if sp.cancel(sp.together(sp.powsimp(sp.expand(e)))) == 0:
            return True
    if e.has(sp.Function):
        r = e.rewrite(sp.exp)
        if sp.cancel(sp.together(sp.expand(r))) == 0:
            return True
    return False


def _decide(residual: Any) -> bool:
    atoms, _ = atomize(residual)
    try:
        if _cheap_zero(atoms):
            return True
    except StrategyTimeout:
        raise
    except Exception:  # noqa: BLE001 - a failing simplifier only means "not shown zero"
        return False
    if sp.count_ops(atoms) > SIMPLIFY_UP_TO:
        return False
    return is_zero(atoms)


# ----- re-checking each derivative element-wise -----


def _expand_sums(e: Any) -> Any:
    """Every sum (and product) over a concrete range written out (innermost first)."""
    if e.is_Atom or not e.args:
        return e
    if isinstance(e, sp.Sum | sp.Product):
        join = sp.Add if isinstance(e, sp.Sum) else sp.Mul
        body = _expand_sums(e.function)
        for k, lo, hi in reversed(e.limits):
            lo, hi = sp.sympify(lo), sp.sympify(hi)
            if not (lo.is_Integer and hi.is_Integer):
                raise IndexFormUnavailable("a sum of symbolic length at a fixed size")
            body = join(*[body.xreplace({k: sp.Integer(v)})
                          for v in range(int(lo), int(hi) + 1)])
        return _expand_sums(body) if body.has(sp.Sum, sp.Product) else body
    args = [_expand_sums(a) for a in e.args]
    return e.func(*args)


def _entry_symbol(x: MatrixElement) -> sp.Symbol:
    return sp.Symbol(f"{x.parent.name}_{x.i}_{x.j}", real=True)


def _with_entry_functions(e: Any) -> Any:
    """Entries as applications of a function per matrix: SymPy checks a MatrixElement's
    indices against its matrix's size once both are numbers, also where a zero indicator
    multiplies an entry outside the matrix."""
    return e.replace(lambda x: isinstance(x, MatrixElement),
                     lambda x: sp.Function(f"_entry_{x.parent.name}")(x.i, x.j))


def _entries_as_symbols(e: Any) -> Any:
    """Each entry function at integer indices as the symbol of that entry (also outside the
    matrix: both expressions compared are written out the same way)."""

    def entry(x: Any) -> Any:
        i, j = sp.expand(x.args[0]), sp.expand(x.args[1])
        if not (i.is_Integer and j.is_Integer):
            raise IndexFormUnavailable(f"an entry with a symbolic index at a fixed size ({x})")
        return sp.Symbol(f"{x.func.__name__[len('_entry_'):]}_{i}_{j}", real=True)

    return e.replace(lambda x: isinstance(x, sp.core.function.AppliedUndef)
                     and x.func.__name__.startswith("_entry_"), entry)


def _written_out(e: Any, fixed: dict) -> Any:
    """An index expression at fixed sizes and label values: sums expanded, entries as
    symbols."""
    return _entries_as_symbols(_expand_sums(_with_entry_functions(e).xreplace(fixed)))


def _index_cases(labels: dict, fixed: dict) -> list[dict]:
    """Every value of each free index (a class label, an entry of a side …) at these sizes."""
    cases: list[dict] = [{}]
    for s, (lo, hi) in labels.items():
        lo, hi = sp.sympify(lo).xreplace(fixed), sp.sympify(hi).xreplace(fixed)
        if not (lo.is_Integer and hi.is_Integer):
            raise IndexFormUnavailable(f"the range of {s} at a fixed size")
        cases = [{**c, s: sp.Integer(v)} for c in cases for v in range(int(lo), int(hi) + 1)]
    return cases[:INDEX_CASES]


def recheck(derivatives: list, dims: list, sizes: dict | None = None) -> bool:
    """Every derivative the proof used, ∂f/∂X[a, b] (one value for all a, b), equals
    SymPy's derivative of f written out entry by entry, at every entry (a, b), for each value
    of f's free indices, at one size assignment where the dimensions take 2 and 3 in turn
    (distinct sizes, so that a transposed or swapped index shows; written out at 3 for
    every dimension, a batch-norm gradient cost seconds a claim)."""
    for d in derivatives:
        f, var = d.f, d.variable
        labels = {s: r for s, r in d.free.items() if f.has(s)}
        unknown = {s for s in f.free_symbols if s.is_integer and s not in labels
                   and s not in dims}
        if unknown:
            raise IndexFormUnavailable(f"a derivative of an expression with a free index "
                                       f"{sorted(map(str, unknown))[0]}")
        for fixed in [_recheck_sizes(dims, sizes)]:
            if d.entry:
                rows, cols = (sp.sympify(x).xreplace(fixed) for x in var.shape)
                if not (rows.is_Integer and cols.is_Integer):
                    raise IndexFormUnavailable("a variable of unknown size")
                points = [(a, b) for a in range(int(rows)) for b in range(int(cols))]
            else:
                points = [None]
            value = _with_entry_functions(d.value)
            for case in _index_cases(labels, fixed):
                at = {**fixed, **case}
                written = _written_out(f, at)
                # sums written out once, the entry (a, b) of the derivative put in after
                mine_all = _expand_sums(value.xreplace(at))
                for p in points:
                    if p is None:
                        mine, by = mine_all, var
                    else:
                        mine = mine_all.xreplace({d.entry[0]: sp.Integer(p[0]),
                                                  d.entry[1]: sp.Integer(p[1])})
                        by = _entry_symbol(var.xreplace(fixed)[p[0], p[1]])
                    want = sp.diff(written, by)
                    if not is_zero(_entries_as_symbols(mine) - want):
                        return False
    return True


def _recheck_sizes(dims: list, sizes: dict | None) -> dict:
    """The claim's own first size assignment (sizes that fit together: a kernel no larger
    than its input), else the dimensions at 2 and 3 in turn."""
    if sizes and all(dim.name in sizes for dim in dims):
        return {dim: sp.Integer(sizes[dim.name]) for dim in dims}
    ordered = sorted(dims, key=lambda dim: dim.name)
    return {dim: sp.Integer(RECHECK_SIZES[k % len(RECHECK_SIZES)])
            for k, dim in enumerate(ordered)}


def _recheck_text(dims: list, sizes: dict | None) -> str:
    return ", ".join(f"{dim}={n}" for dim, n in _recheck_sizes(dims, sizes).items()) \
        or "its sizes"


# ----- the strategy -----


def _kink_patterns(claim, difference: Any, kinks: list, inst) -> tuple:
    """The patterns of the claim's kinks when it differentiates (a gradient, or a derivative
    inside a side): the audit reads such a claim as undefined at every kink."""
    if not (claim.kind == "gradient" or difference.has(ops.index_diff_class())):
        return ()
    dims = {d for d in inst.env._dims.values() if isinstance(d, sp.Symbol)}
    patterns = {kink_pattern(t, dims) for t in kinks}
    return tuple(sorted((p for p in patterns if p is not None), key=sp.default_sort_key))


def _second_pass(difference: Any, ranges: dict, discrete: dict, simplex: tuple,
                 kinks: tuple = ()):
    """The canonicaliser of a further pass whose residual is 0, else None: σ written through
    exp (log σ(u) = u − log(1 + eᵘ) and its kin meet), then ramps v·1[v > 0] in one
    orientation (max(0, m) = (m + |m|)/2 with SymPy's |m| written |−m|; no derivative
    inside), then, in a claim that differentiates (undefined at its kinks, as the audit
    reads it), 1[v > 0] = 1 − 1[−v > 0] where v = 0 is one of the claim's kinks."""
    step = ops.step_class()
    passes = []
    if _has_sigmoid(difference):
        passes.append({"sigmoid_as_exp": True})
    if difference.has(step) and not difference.has(ops.index_diff_class()):
        passes.append({"ramps": True})
    if difference.has(step) and kinks:
        passes.append({"kinks": kinks})
    for options in passes:
        canon = Canonicaliser(ranges, discrete, simplex, **options)
        if _decide(_unbound_checked(canon(difference))):
            return canon
    return None


def prove_index_form(ctx: Context) -> Verdict | None:
    if not ctx.claim.dims:
        return None  # fixed sizes by declaration: proved element-wise outright
    with lenient_indices():  # entries of symbolic index are built without inequalities
        detail = _index_proof(ctx)
    if detail is None:
        return None
    return unless_vacuous(ctx, Verdict("proved", "prove_index_form", detail=detail))


def _index_proof(ctx: Context) -> str | None:
    """The proof's detail when the residual cancels and every derivative re-checks."""
    c = ctx.claim
    kinks: list = []
    try:
        inst, lhs, rhs, simplex = build_index_sides(c, kinks)
    except (ops.GeneralFormUnavailable, ops.Undefined, IndexFormUnavailable, *BUILD_ERRORS):
        return None
    if not (_index_like(sp.sympify(lhs) if not _is_mat(lhs) else lhs)
            or _index_like(sp.sympify(rhs) if not _is_mat(rhs) else rhs)):
        return None  # plain matrix algebra: prove_general's, or nobody's
    at = _entries(lhs, rhs)
    if at is None:
        return None
    left, right, ranges = at
    labels = getattr(inst, "index_ranges", {})  # class labels, summation indices: (0, n − 1)
    ranges.update(labels)
    discrete = getattr(inst, "discrete", {})
    difference = sp.sympify(left) - sp.sympify(right)
    try:
        check_bound(difference)
        canon = Canonicaliser(ranges, discrete, simplex)
        if not _decide(_unbound_checked(canon(difference))):
            canon = _second_pass(difference, ranges, discrete, simplex,
                                 _kink_patterns(c, difference, kinks, inst))
            if canon is None:
                return None
        dims = [d for d in inst.env._dims.values() if isinstance(d, sp.Symbol)]
        # the claim's smallest listed (or default) sizes: sizes that fit together
        sizes = min(default_sizes(c), key=lambda s: sum(s.values()))
        try:
            rechecked = recheck(list(canon.derivatives.values()), dims, sizes)
        except (IndexFormUnavailable, StrategyTimeout):
            raise
        except Exception as exc:  # noqa: BLE001 - a derivative not re-checked proves nothing
            raise IndexFormUnavailable(f"a derivative could not be re-checked ({exc})") from exc
        if not rechecked:
            ctx.note("prove_index_form: a derivative in index form failed its element-wise "
                     "re-check")
            return None
    except IndexFormUnavailable as exc:
        ctx.note(f"prove_index_form: {exc}")
        return None
    detail = "index-form residual cancels in general dimension"
    if canon.derivatives:
        detail += (f"; {len(canon.derivatives)} derivative(s) re-checked element-wise at "
                   f"{_recheck_text(dims, sizes)}")
    return detail
