"""The canonical form of a scalar index expression, so that equal expressions meet.

An index expression is a SymPy expression over matrix entries ``X[i, j]`` (``MatrixElement``
of a ``MatrixSymbol``), Kronecker deltas, sums ``Sum(e, (k, lo, hi))`` over integer indices,
and ordinary functions (exp, log, σ, √, Piecewise …) of those.  Free indices (an entry (a, b)
of a matrix side, a class label y) and summation indices each have a range.

``canonical`` rewrites bottom up; every rule is an equality for every size and every value
of the free indices:

- **distribute**: a summand is expanded into monomials (products; inside function arguments
  too), and Σₖ (f + g) = Σₖ f + Σₖ g.
- **pull out**: a factor without k leaves Σₖ; a summation index no factor uses counts its
  range, Σₖ c = (hi − lo + 1)·c.
- **contract deltas**: Σₖ δ(k, e)·f(k) = f(e) when e lies in k's range for every value of
  its own indices (checked from the ranges; otherwise the delta stays).
- **factor**: Σ_{k,l} f(k) g(l) = (Σₖ f(k))(Σₗ g(l)): a multiple sum is split into the
  groups of indices that share a factor, so a product of sums and the double sum meet.
- **rename**: the summation indices of each sum get canonical names ``ι<level>_<r>``, the
  level above every name bound inside it (no capture), ``r`` chosen by the least printed
  form over the permutations (by a signature beyond four indices).
- **free deltas**: in a term with δ(p, q) of free indices, q is replaced by p elsewhere in
  the term (the term is 0 unless p = q); δ² = δ.
- **kinks**: Piecewise, |x|, max and min as sums of products with ``step(x)`` = 1[x > 0]
  (``ops.as_steps``), so that sums and deltas reach inside each branch; step² = step.
- **assumptions**: an entry of a binary vector, or of a one-hot matrix, equals its own
  powers; Σₖ p[k] = 1 for a probability vector, Σₖ Y[i, k] = 1 for one-hot rows.
- **derivatives**: ``IndexDiff(f, X[a, b])`` is evaluated by the rules of ``differentiate``
  (each one logged, so the strategy can re-check it element-wise).

Each rule shrinks the expression or renames it, so the rewriting ends.  What is left is a
polynomial (a rational function) in canonical atoms; ``atomize`` replaces each sum and each
entry by a symbol so that the zero test works on a small expression.
"""

from __future__ import annotations

import contextlib
import contextvars
import itertools
import re
from collections.abc import Iterator
from typing import Any

import sympy as sp
from sympy.concrete.expr_with_limits import ExprWithLimits
from sympy.matrices.expressions.matexpr import MatrixElement

from verifier import ops

__all__ = ["Canonicaliser", "Derivative", "IndexFormUnavailable", "atomize", "differentiate",
           "kink_pattern", "orient_ramps", "positive_entries", "to_index",
           "assumed_positive_entries"]

_CANON = re.compile(r"^ι(\d+)_(\d+)$")
_PERMUTE_UP_TO = 4  # summation indices of one sum tried in every order


class IndexFormUnavailable(Exception):
    """This expression has no index form here (an opaque matrix function of the variable)."""


def _index_diff() -> type:
    return ops.index_diff_class()


# ----- from matrix expressions to index form -----


def to_index(e: Any) -> Any:
    """A scalar expression with traces of 1×1 (or square) matrix expressions, written entry
    by entry: tr M = M[0, 0] for a 1×1 M, Σₖ M[k, k] otherwise (inside ``IndexDiff`` too)."""
    if isinstance(e, sp.Trace):
        m = collapse(e.arg)
        if m.shape == (1, 1):
            return to_index(ops.entry_of(m, 0, 0))
        k = sp.Dummy("k", integer=True)
        return sp.Sum(to_index(ops.entry_of(m, k, k)), (k, 0, m.shape[0] - 1))
    if isinstance(e, _index_diff()):  # its variable and point stay matrices
        return e.func(to_index(e.f), *e.args[1:])
    if isinstance(e, MatrixElement):
        parent = e.parent
        if not isinstance(parent, sp.MatrixSymbol):
            value = ops.entry_of(parent, e.i, e.j)
            if not isinstance(value, MatrixElement) or value.parent != parent:
                return to_index(value)
        return e
    if isinstance(e, sp.MatrixExpr):
        raise IndexFormUnavailable(f"a matrix expression inside a scalar ({type(e).__name__})")
    if e.is_Atom or not e.args:
        return e
    args = [to_index(a) for a in e.args]
    if not all(a is b for a, b in zip(args, e.args, strict=True)):
        e = e.func(*args)
    # kinks as steps before any sum is rebuilt around them (see ops.step_class)
    return ops.as_steps(e) if isinstance(e, sp.Piecewise | sp.Abs | sp.Max | sp.Min) else e


def collapse(m: Any) -> Any:
    """Products and sums of block matrices done block by block ([a b][c; d] = ac + bd), so
    that an entry of the result is a sum over each block's own range."""
    if m.has(sp.BlockMatrix):
        try:
            return sp.block_collapse(m)
        except Exception:  # noqa: BLE001 - blocks that do not fit: left as they are
            return m
    return m


# ----- derivatives in index form -----


def _depends(e: Any, v: Any) -> bool:
    if isinstance(v, MatrixElement):
        return e.has(v.parent)
    return e.has(v)


def differentiate(e: Any, v: Any) -> Any:
    """∂e/∂v of an index expression e (no traces, no ``IndexDiff``), by v an entry X[p, q] of
    a matrix symbol or a scalar symbol.  ∂X[i, j]/∂X[p, q] = δ(i, p)δ(j, q); sums, sums of
    products, powers and functions by the usual rules (a function by its own ``fdiff``)."""
    if not _depends(e, v):
        return sp.Integer(0)
    if e == v:
        return sp.Integer(1)
    if isinstance(e, MatrixElement):
        if isinstance(v, MatrixElement) and e.parent == v.parent:
            return sp.KroneckerDelta(e.i, v.i) * sp.KroneckerDelta(e.j, v.j)
        raise IndexFormUnavailable(f"the variable inside {e}")
    if isinstance(e, sp.Add):
        return sp.Add(*[differentiate(a, v) for a in e.args])
    if isinstance(e, sp.Mul):
        args = list(e.args)
        terms = []
        for k, a in enumerate(args):
            if _depends(a, v):
                terms.append(sp.Mul(*args[:k], differentiate(a, v), *args[k + 1:]))
        return sp.Add(*terms)
    if isinstance(e, sp.Pow):
        b, x = e.args
        if not _depends(x, v):
            return x * b ** (x - 1) * differentiate(b, v)
        if not _depends(b, v):
            return e * sp.log(b) * differentiate(x, v)
        return e * (differentiate(x, v) * sp.log(b) + x * differentiate(b, v) / b)
    if isinstance(e, sp.Sum):
        for limit in e.limits:
            if any(_depends(x, v) for x in limit[1:]):
                raise IndexFormUnavailable("a summation range depends on the variable")
        return sp.Sum(differentiate(e.function, v), *e.limits)
    if isinstance(e, sp.Product):
        # ∂Πᵢ fᵢ = Πᵢ fᵢ · Σᵢ ∂fᵢ/fᵢ, for factors that are never 0
        for limit in e.limits:
            if any(_depends(x, v) for x in limit[1:]):
                raise IndexFormUnavailable("a product's range depends on the variable")
        if not positive(e.function):
            raise IndexFormUnavailable("the derivative of a product of factors that may be 0")
        return e * sp.Sum(differentiate(e.function, v) / e.function, *e.limits)
    if isinstance(e, sp.Piecewise):
        # the derivative away from the boundaries (kinks are requirements of their own)
        return sp.Piecewise(*[(differentiate(x, v), c) for x, c in e.args])
    if isinstance(e, sp.Function):
        out = []
        for k, a in enumerate(e.args, start=1):
            if not _depends(a, v):
                continue
            try:
                outer = e.fdiff(k)
            except (sp.ArgumentIndexError, NotImplementedError, TypeError) as exc:
                raise IndexFormUnavailable(f"no derivative rule for {e.func}") from exc
            if isinstance(outer, sp.Derivative) or outer.has(sp.Subs):
                raise IndexFormUnavailable(f"no derivative rule for {e.func}")
            out.append(outer * differentiate(a, v))
        return sp.Add(*out)
    raise IndexFormUnavailable(f"cannot differentiate {type(e).__name__} in index form")


# ----- ranges of integer index expressions -----


def _bounds(e: Any, ranges: dict) -> tuple[Any, Any] | None:
    """Least and greatest value of an integer expression linear in indices of known range
    (other symbols, the dimensions, are constants); None when it is not of that kind."""
    e = sp.expand(e)
    lo = hi = sp.Integer(0)
    rest = e
    for s in e.free_symbols & set(ranges):
        c = e.coeff(s)
        if not c.is_Integer or sp.expand(e - c * s).has(s):
            return None
        rest = rest - c * s
        slo, shi = ranges[s]
        lo += c * (slo if c > 0 else shi)
        hi += c * (shi if c > 0 else slo)
    rest = sp.expand(rest)
    return lo + rest, hi + rest


def _nonnegative(x: Any) -> bool:
    x = sp.expand(x)
    return x.is_nonnegative is True


def within(e: Any, rng: tuple[Any, Any], ranges: dict) -> bool:
    """Does e lie in rng = (lo, hi) for every value of its indices?"""
    return all(within_sides(e, rng, ranges))


def within_sides(e: Any, rng: tuple[Any, Any], ranges: dict) -> tuple[bool, bool]:
    """(e ≥ lo, e ≤ hi) for every value of e's indices, each as far as the ranges show."""
    b = _bounds(e, ranges)
    if b is None:
        return False, False
    return _nonnegative(b[0] - rng[0]), _nonnegative(rng[1] - b[1])


# ----- signs, logarithms, indicators -----


def _real(e: Any) -> bool:
    """Real wherever defined: a claim's symbols and matrix entries are real (an entry's
    assumptions are unknown to SymPy), so anything not known to be non-real."""
    return e.is_real is not False and not e.has(sp.I)


def _is_sigmoid(e: Any) -> bool:
    return getattr(e.func, "__name__", "") == "sigmoid"


# the matrix symbols (by name) whose every entry is assumed positive ("x positive"): in
# general dimension x is a MatrixSymbol, whose entries carry no SymPy assumptions
_POSITIVE_ENTRIES: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar(
    "positive_entries", default=frozenset())


@contextlib.contextmanager
def positive_entries(names: Any) -> Iterator[None]:
    """Within the block, an entry x[i, j] of a matrix symbol named in ``names`` is positive."""
    token = _POSITIVE_ENTRIES.set(frozenset(names))
    try:
        yield
    finally:
        _POSITIVE_ENTRIES.reset(token)


def assumed_positive_entries(claim: Any) -> frozenset[str]:
    """The vectors and matrices whose every entry the claim assumes positive ("x positive",
    "x in (0, 1)"): the names for ``positive_entries``."""
    from verifier.domains import entry_domain

    return frozenset(d.name for d in claim.symbols if d.kind in ("vector", "matrix")
                     and entry_domain(claim, d.name).flags().get("positive"))


def positive(e: Any) -> bool:
    """e > 0 wherever it is defined and real: exp and σ of anything, 1 − σ, positive numbers
    and symbols, entries of a symbol assumed positive (``positive_entries``), sums over a
    non-empty range, products, sums and real powers of positive things."""
    if e.is_positive:
        return True
    if isinstance(e, MatrixElement) and isinstance(e.parent, sp.MatrixSymbol):
        return e.parent.name in _POSITIVE_ENTRIES.get()
    if isinstance(e, sp.exp) or _is_sigmoid(e):
        return True
    if isinstance(e, sp.Add) and _is_sigmoid(sp.expand(1 - e)):
        return True  # 1 − σ(u) = σ(−u)
    if isinstance(e, sp.Mul | sp.Add):
        return all(positive(a) for a in e.args)
    if isinstance(e, sp.Pow):
        return positive(e.base) and _real(e.exp)
    if isinstance(e, sp.Sum):
        nonempty = all(_nonnegative(hi - lo) for _, lo, hi in _flatten_limits(e.limits))
        return nonempty and positive(e.function)
    if isinstance(e, sp.Product):  # an empty product is 1
        return positive(e.function)
    return False


def split_log(arg: Any) -> Any | None:
    """log of a product of positive factors as the sum of their logs (also of a product
    Πᵢ over an index), log eˣ = x, log pᵏ = k log p (p > 0); None when no rule applies."""
    if isinstance(arg, sp.exp):
        return arg.args[0]
    if isinstance(arg, sp.Product) and positive(arg.function):  # log Πᵢ fᵢ = Σᵢ log fᵢ
        return sp.Sum(sp.log(arg.function), *arg.limits)
    if isinstance(arg, sp.Add):
        together = sp.together(arg)
        if together == arg or isinstance(together, sp.Add):
            return None
        arg = together
    if isinstance(arg, sp.Pow) and positive(arg.base) and _real(arg.exp):
        inner = split_log(arg.base)
        return arg.exp * (inner if inner is not None else sp.log(arg.base))
    if isinstance(arg, sp.Mul) and all(positive(f) for f in arg.args):
        parts = []
        for f in arg.args:
            inner = split_log(f)
            parts.append(inner if inner is not None else sp.log(f))
        return sp.Add(*parts)
    return None


def is_indicator(e: Any) -> bool:
    return isinstance(e, ops.step_class())


# ----- ramps: v·1[v > 0] in one orientation -----


def _orientation(v: Any) -> Any:
    """v or −v, whichever prints first (both expanded): the orientation a ramp is kept in."""
    a, b = sp.expand(v), sp.expand(-v)
    return min(a, b, key=sp.default_sort_key)


def _polynomial_quotient(c: Any, v: Any) -> Any | None:
    """c/v when v divides c as polynomials (in the entries, steps and symbols), else None."""
    n, d = sp.fraction(sp.cancel(sp.together(c / v)))
    if d.free_symbols or d.has(MatrixElement) or d == 0:
        return None
    return n / d


def _orient_sum(x: Any) -> Any:
    """In a sum of products, a step of a non-canonical argument v whose coefficient C is a
    multiple qv of v: C·step(v) = q·v·step(v) = q·(v + (−v)·step(−v)) = C − C·step(−v), so
    the step appears with the canonical argument −v.  Exact for every real v, 0 included."""
    step = ops.step_class()
    x = sp.expand_mul(x)
    for f in sorted(x.atoms(step), key=sp.default_sort_key):
        v = f.args[0]
        want = _orientation(v)
        if sp.expand(want - v) == 0:
            continue
        parts = sp.collect(x, f, evaluate=False)
        c = parts.get(f)
        if c is None or c.has(f) or _polynomial_quotient(c, v) is None:
            continue
        rest = sp.Add(*[t for k, t in parts.items() if k != f])
        x = sp.expand_mul(rest + c - c * step(want))
    return x


def kink_pattern(t: Any, dims: set) -> Any | None:
    """A kink's argument with its indices (integer symbols other than dimensions) as wild
    integers: the pattern of the whole family t(i) = 0; None when t is not a scalar."""
    t = sp.sympify(t)
    if isinstance(t, sp.MatrixExpr) or not isinstance(t, sp.Expr):
        return None
    indices = sorted((x for x in t.free_symbols if x.is_integer and x not in dims), key=str)
    wild = {x: sp.Wild(f"_k{n}", properties=[lambda y: y.is_integer])
            for n, x in enumerate(indices)}
    return sp.expand(t.xreplace(wild))


def _bound_renamed(e: Any) -> Any:
    """e with the index of each sum renamed by its place (β0, β1, … in the order of a walk
    from the outside in), so two expressions that differ only in bound names are equal."""
    if not isinstance(e, sp.Basic) or not e.has(sp.Sum):
        return e
    count = itertools.count()

    def rename(x: Any) -> Any:
        if isinstance(x, sp.Sum):
            limits, body = [], x.function
            for k, lo, hi in x.limits:
                fresh = sp.Symbol(f"β{next(count)}", integer=True)
                body = body.xreplace({k: fresh})
                limits.append((fresh, lo, hi))
            return sp.Sum(rename(body), *limits)
        if not x.args:
            return x
        return x.func(*[rename(a) for a in x.args])

    return rename(e)


def orient_ramps(e: Any) -> Any:
    """Every ramp v·step(v) (ReLU's max(0, v), and |v| = v(2 step(v) − 1)) with the step in one
    orientation of v, so that max(0, m) and (m + |m|)/2 meet however SymPy signed the argument
    of |m| (it writes |1 − ys| as |ys − 1|).  Exact for every real v."""
    step = ops.step_class()
    if not isinstance(e, sp.Basic) or not e.has(step) or e.has(_index_diff()):
        # a derivative is taken of f as built: a ramp turned in one side and not in the
        # derivative's value would no longer meet it
        return e
    return e.replace(lambda x: isinstance(x, sp.Add) and x.has(step), _orient_sum)


# ----- the canonical form -----


def _level(e: Any) -> int:
    """One above the highest canonical level bound by a sum (or product) inside e (0 if
    none)."""
    top = -1
    for inner in e.atoms(ExprWithLimits):  # every binder: sums, products
        for lim in inner.limits:
            m = _CANON.match(lim[0].name)
            if m:
                top = max(top, int(m.group(1)))
    return top + 1


def _canonical_name(level: int, r: int) -> sp.Symbol:
    return sp.Symbol(f"ι{level}_{r}", integer=True)


def _flatten_limits(limits) -> list[tuple[Any, Any, Any]]:
    return [(lim[0], lim[1], lim[2]) for lim in limits]


class Derivative:
    """∂f/∂X[a, b] taken once, at fresh indices ``entry`` = (a, b) (() for a scalar
    variable), with the ranges of f's free indices; ``at(v)`` is its value at v = X[p, q]."""

    def __init__(self, f: Any, variable: Any, value: Any, entry: tuple, free: dict):
        self.f, self.variable, self.value, self.entry, self.free = f, variable, value, entry, free

    def at(self, v: Any) -> Any:
        if not self.entry:
            return self.value
        return self.value.xreplace({self.entry[0]: v.i, self.entry[1]: v.j})


class Canonicaliser:
    """Rewrites index expressions to the canonical form above.

    ``ranges``: the range (lo, hi) of each free index; ``discrete``: symbols assumed
    ``binary`` or ``one-hot``; ``simplex``: vectors assumed to sum to 1.  ``derivatives``
    holds every derivative taken, as ``Derivative`` records: the one value ∂f/∂X[a, b] at
    fresh indices (a, b) that every use substitutes into, so the element-wise re-check sees
    exactly what the proof used.  A derivative is taken of f as built, before any rewriting
    by an assumption (Σₖ pₖ = 1 holds for p, but not for p moved alone).
    """

    def __init__(self, ranges: dict, discrete: dict | None = None, simplex: tuple = (),
                 sigmoid_as_exp: bool = False, ramps: bool = False, kinks: tuple = ()):
        self.ranges = dict(ranges)
        self.sigmoid_as_exp = sigmoid_as_exp  # σ(x) written eˣ/(1 + eˣ) (a second pass)
        self.ramps = ramps  # ramps v·step(v) in one orientation first (a further pass)
        # patterns of the claim's kinks (its derivatives are taken away from them): there a
        # step of either sign is 1 minus the other (a further pass, for claims that
        # differentiate only)
        self.kinks = tuple(kinks)
        self.discrete = dict(discrete or {})
        self.simplex = tuple(simplex)
        self.derivatives: dict[tuple[Any, Any], Derivative] = {}
        self._memo: dict = {}  # (expression, scope) -> its normal form

    # -- derivatives, taken and logged --

    def take(self, node: Any, env: dict) -> Any:
        """The value of one ``IndexDiff`` (inner ones first), logged for the re-check; a
        derivative at a point has the point put in afterwards."""
        f = self.resolve(node.f, env)
        v = node.variable
        if isinstance(v, MatrixElement) and isinstance(v.parent, sp.MatrixSymbol):
            var = v.parent
        elif isinstance(v, sp.Symbol):
            var = v
        else:
            raise IndexFormUnavailable(f"a derivative by {v}, not by a symbol's entry")
        record = self.derivatives.get((f, var))
        if record is None:
            free = {s: env[s] for s in f.free_symbols if s in env}
            if var is v:
                record = Derivative(f, var, differentiate(f, var), (), free)
            else:
                at = (sp.Dummy("a", integer=True), sp.Dummy("b", integer=True))
                record = Derivative(f, var, differentiate(f, var[at[0], at[1]]), at, free)
            self.derivatives[(f, var)] = record
        value = record.at(v)
        if node.at is not None:
            base, point = node.at
            value = to_index(value.xreplace({base: point}))
        return value

    def resolve(self, e: Any, env: dict) -> Any:
        """Every ``IndexDiff`` inside e evaluated, nothing else rewritten."""
        if not e.has(_index_diff()):
            return e
        if isinstance(e, _index_diff()):
            return self.take(e, env)
        if isinstance(e, sp.Sum):
            inner = dict(env)
            for k, lo, hi in _flatten_limits(e.limits):
                inner[k] = (lo, hi)
            return sp.Sum(self.resolve(e.function, inner), *e.limits)
        return e.func(*[self.resolve(a, env) for a in e.args])

    # -- entry point --

    def __call__(self, e: Any) -> Any:
        e = to_index(sp.sympify(e))
        if self.ramps:
            e = orient_ramps(e)
        out = self.norm(e, dict(self.ranges))
        return self.free_deltas(out)

    # -- bottom-up normalisation --

    def norm(self, e: Any, env: dict) -> Any:
        if e.is_Atom:
            return e
        key = (e, frozenset(env.items()))
        if key not in self._memo:
            self._memo[key] = self._norm(e, env)
        return self._memo[key]

    def _norm(self, e: Any, env: dict) -> Any:
        if isinstance(e, _index_diff()):
            return self.norm(self.take(e, env), env)
        if isinstance(e, sp.Sum):
            limits = _flatten_limits(e.limits)
            inner = dict(env)
            for k, lo, hi in limits:
                inner[k] = (lo, hi)
            body = self.norm(e.function, inner)
            return self.sum_normal(body, limits, env)
        if self.discrete:
            split = self.binary_split(e)
            if split is not None:
                return self.norm(split, env)
        if isinstance(e, sp.KroneckerDelta):
            p, q = self.norm(e.args[0], env), self.norm(e.args[1], env)
            if self.discrete.get(getattr(q, "parent", None)) == "binary":
                p, q = q, p
            if self.discrete.get(getattr(p, "parent", None)) == "binary" and q.is_Integer:
                # a binary entry y: δ(y, 1) = y, δ(y, 0) = 1 − y, δ(y, c) = 0 otherwise
                return p if q == 1 else (1 - p if q == 0 else sp.Integer(0))
            return sp.KroneckerDelta(p, q)
        if isinstance(e, MatrixElement):
            return e.func(e.parent, self.norm(e.i, env), self.norm(e.j, env))
        if isinstance(e, sp.Piecewise | sp.Abs | sp.Max | sp.Min):
            split = ops.as_steps(e)
            if split != e:
                return self.norm(split, env)
            if isinstance(e, sp.Piecewise):
                return sp.Piecewise(*[(self.norm(x, env), self.norm(c, env))
                                      for x, c in e.args])
        if isinstance(e, sp.core.relational.Relational):
            return e.func(self.norm(e.lhs, env), self.norm(e.rhs, env))
        if isinstance(e, sp.log):
            # as written first: normalising may hide a positive form (σ^y (1 − σ)^(1 − y) with
            # y binary becomes yσ + (1 − y)(1 − σ), whose sign the rules do not see)
            split = split_log(e.args[0])
            if split is not None:
                return self.norm(split, env)
            arg = self.norm(e.args[0], env)
            split = split_log(arg)
            return self.norm(split, env) if split is not None else sp.log(arg)
        if isinstance(e, sp.exp):
            x = self._expand(self.norm(e.args[0], env))
            out = sp.Integer(1)
            for t in sp.Add.make_args(x):  # e^(a+b) = eᵃeᵇ, e⁻ᵃ = 1/eᵃ: one atom per term
                out *= 1 / sp.exp(-t) if t.could_extract_minus_sign() else sp.exp(t)
            return out
        if isinstance(e, ops.step_class()):
            v = self._expand(self.norm(e.args[0], env))
            if self.kinks:
                want = _orientation(v)
                if sp.expand(want - v) != 0 and self.at_kink(v):
                    # 1[v > 0] = 1 − 1[−v > 0] wherever v ≠ 0: away from the kink
                    return 1 - ops.step_class()(want)
            return ops.step_class()(v)
        if self.sigmoid_as_exp and getattr(e.func, "__name__", "") == "sigmoid":
            x = self.norm(e.args[0], env)
            return self.norm(sp.exp(x) / (1 + sp.exp(x)), env)
        if isinstance(e, sp.Pow):
            b, x = self.norm(e.args[0], env), self.norm(e.args[1], env)
            if x.is_Integer and x > 0 and self._idempotent(b):
                return b
            if x.is_Rational and not x.is_Integer and b.has(sp.Sum, MatrixElement) \
                    and not b.has(sp.Function):
                # √(g²(1 − β)/(1 − β)) = √g² (not with functions inside: SymPy's cancel
                # turns e^(Σₖ aₖ) into Πₖ e^{aₖ})
                b = sp.factor_terms(sp.cancel(sp.together(b)))
            if x.is_Rational and isinstance(b, sp.exp):
                return self.norm(sp.exp(x * b.args[0]), env)  # (eᵘ)ˣ = e^{xu}, u real
            if x == sp.Rational(1, 2) and isinstance(b, sp.Pow) and b.exp == 2:
                if positive(b.base):
                    return b.base  # √(u²) = u for u > 0
                return self.norm(ops.as_steps(sp.Abs(b.base)), env)  # √(u²) = |u|, u real
            if x.is_Rational and isinstance(b, sp.Mul) and any(positive(f) for f in b.args):
                # (pq)ˣ = pˣqˣ for p > 0 (q real): √(2π e^{2l}) = √(2π)·e^{l}
                pos = [f for f in b.args if positive(f)]
                rest = [f for f in b.args if not positive(f)]
                return self.norm(sp.Mul(*[f**x for f in pos]) * sp.Mul(*rest)**x, env)
            return b**x
        args = [self.norm(a, env) for a in e.args]
        return e.func(*args)

    def at_kink(self, v: Any) -> bool:
        """Is v = 0 (or −v = 0) one of the claim's kinks, for some value of its indices?
        Summation indices are renamed alike on both sides first (the pattern is written
        with the claim's, v with the canonical ones: Σₖ A[i, k] x[k] against Σ_ι ...)."""
        for pattern in self.kinks:
            pattern = _bound_renamed(pattern)
            for w in (v, sp.expand(-v)):
                m = _bound_renamed(w).match(pattern)
                if m is not None and all(x.is_integer for x in m.values()):
                    return True
        return False

    def binary_split(self, e: Any) -> Any | None:
        """F(a(y)) = y·F(a(1)) + (1 − y)·F(a(0)) for a binary entry y inside a function's
        argument or an exponent (log(yμ + (1 − y)(1 − μ)) = y log μ + (1 − y) log(1 − μ))."""
        if isinstance(e, sp.Pow):
            inside = e.exp
        elif isinstance(e, sp.Function) and not isinstance(e, sp.KroneckerDelta):
            inside = e
        else:
            return None
        bound = {v for s in inside.atoms(sp.Sum, sp.Product) for v, *_ in s.limits}
        for y in inside.atoms(MatrixElement):
            if (y.i.free_symbols | y.j.free_symbols) & bound:
                continue  # y[i] under Σᵢ or Πᵢ: one entry per term, not one value to split on
            if self.discrete.get(y.parent) == "binary":
                return y * e.xreplace({y: sp.Integer(1)}) + (1 - y) * e.xreplace(
                    {y: sp.Integer(0)})
        return None

    def _idempotent(self, b: Any) -> bool:
        """δ² = δ, 1[c]² = 1[c]; an entry of a binary or one-hot symbol is 0 or 1."""
        if isinstance(b, sp.KroneckerDelta) or is_indicator(b):
            return True
        return isinstance(b, MatrixElement) and b.parent in self.discrete

    def _expand(self, e: Any) -> Any:
        # not power_exp: it turns e^(Σₖ aₖ) into a Product (e^(a+b) is split in ``norm``)
        e = sp.expand(e, power_exp=False, power_base=False, log=False, multinomial=True,
                      mul=True, deep=True)
        # powers of idempotent factors created by the expansion
        return e.replace(lambda x: isinstance(x, sp.Pow) and x.exp.is_Integer and x.exp > 0
                         and self._idempotent(x.base), lambda x: x.base)

    def sum_normal(self, body: Any, limits: list, env: dict) -> Any:
        """Σ over ``limits`` of a normalised body, distributed, contracted, factored and
        renamed."""
        dummies = [k for k, _, _ in limits]
        # outermost first (SymPy's last limit is the outer sum), as nested sums are absorbed:
        # a delta is contracted over the outermost index it holds, however the sums were built
        rng = {k: (lo, hi) for k, lo, hi in reversed(limits)}
        triangular = any(x.has(*dummies) for _, lo, hi in limits for x in (lo, hi))
        if triangular:  # ranges that depend on each other: renamed only
            return self.rename(sp.Sum(body, *limits))
        out = []
        for term in sp.Add.make_args(self._expand(body)):
            out.append(self.sum_term(term, dict(rng), env))
        return sp.Add(*out)

    def sum_term(self, term: Any, rng: dict, env: dict) -> Any:
        factors, rng = self.absorb(list(sp.Mul.make_args(term)), rng)
        factors, rng = self.contract(factors, rng, env)
        factors, rng = self.sum_out(factors, rng)
        scope = dict(env)
        scope.update(rng)
        coeff, dep = [], []
        for f in factors:
            (dep if f.has(*rng) else coeff).append(f)
        used = set().union(*[f.free_symbols for f in dep]) if dep else set()
        for k, (lo, hi) in rng.items():
            if k not in used:
                coeff.append(hi - lo + 1)
        # connected groups of summation indices (sharing a factor)
        parent = {k: k for k in rng if k in used}

        def find(k):
            while parent[k] != k:
                k = parent[k]
            return k

        for f in dep:
            ks = [k for k in parent if f.has(k)]
            for k in ks[1:]:
                parent[find(k)] = find(ks[0])
        groups: dict = {}
        for f in dep:
            root = find(next(k for k in parent if f.has(k)))
            groups.setdefault(root, []).append(f)
        sums = []
        for root, fs in groups.items():
            ks = [k for k in parent if find(k) == root]
            sign, s = self.rename(sp.Sum(sp.Mul(*fs), *[(k, *rng[k]) for k in ks]))
            sums.append(sign * self.assumed_sum(s, scope))
        return sp.Mul(*coeff, *sums)

    def absorb(self, factors: list, rng: dict) -> tuple[list, dict]:
        """Σₖ f(k)·(Σₗ g(k, l))ᵐ = Σₖ Σ_{l₁…lₘ} f(k) g(k, l₁)…g(k, lₘ): a sum (or a positive
        integer power of one) among the factors joins the outer sum, its indices renamed
        apart, so nested and flat writings meet (``factor`` splits them again where they do
        not share an index)."""
        out: list = []
        for f in factors:
            base, power = (f.base, f.exp) if isinstance(f, sp.Pow) else (f, sp.Integer(1))
            if not (isinstance(base, sp.Sum) and power.is_Integer and power > 0):
                out.append(f)
                continue
            limits = _flatten_limits(base.limits)
            if any(x.has(*rng) for _, lo, hi in limits for x in (lo, hi)) or \
                    any(x.has(*[k for k, _, _ in limits]) for _, lo, hi in limits
                        for x in (lo, hi)):
                out.append(f)
                continue
            for _ in range(int(power)):
                fresh = {k: sp.Dummy("l", integer=True) for k, _, _ in limits}
                for k, lo, hi in limits:
                    rng[fresh[k]] = (lo, hi)
                out.extend(sp.Mul.make_args(base.function.xreplace(fresh)))
        return out, rng

    def contract(self, factors: list, rng: dict, env: dict) -> tuple[list, dict]:
        """Σₖ δ(k, e) f(k) = f(e) for e in k's range; repeated until no delta applies."""
        changed = True
        while changed:
            changed = False
            scope = dict(env)
            scope.update(rng)
            for idx, f in enumerate(factors):
                if not isinstance(f, sp.KroneckerDelta):
                    continue
                d = sp.expand(f.args[0] - f.args[1])
                for k in list(rng):
                    c = d.coeff(k)
                    if c not in (1, -1) or sp.expand(d - c * k).has(k):
                        continue
                    value = sp.expand(-(d - c * k) / c)
                    inner = {s: r for s, r in scope.items() if s != k}
                    low_ok, high_ok = within_sides(value, rng[k], inner)
                    if not (low_ok and high_ok) and (
                            value.is_integer is not True
                            or value.free_symbols & (set(env) - set(self.ranges))):
                        # an indicator, and e holds an index of an enclosing sum: left to that
                        # sum, which chooses among all its indices (one result however nested)
                        continue
                    rest = factors[:idx] + factors[idx + 1:]
                    # outside k's range the sum has no such term: 1[lo ≤ e]·1[e ≤ hi]
                    step = ops.step_class()
                    lo, hi = rng[k]
                    if not low_ok:
                        rest.append(step(value - lo + 1))
                    if not high_ok:
                        rest.append(step(hi - value + 1))
                    del rng[k]
                    factors = [self.norm(g.xreplace({k: value}), {**env, **rng})
                               if g.has(k) else g for g in rest]
                    factors = [x for g in factors for x in sp.Mul.make_args(g)]
                    changed = True
                    break
                if changed:
                    break
        return factors, rng

    def sum_out(self, factors: list, rng: dict) -> tuple[list, dict]:
        """Σₖ Y[e, k] = 1 for one-hot rows of Y, Σₖ p[k] = 1 for a probability vector p, when
        k appears in that one factor alone and runs over the whole row (or vector)."""
        for k in list(rng):
            holding = [f for f in factors if f.has(k)]
            if len(holding) != 1 or not isinstance(holding[0], MatrixElement):
                continue
            f = holding[0]
            p = f.parent
            lo, hi = rng[k]
            rows, cols = p.shape
            one_hot_row = (self.discrete.get(p) == "one-hot" and f.j == k and not f.i.has(k)
                           and cols != 1 and sp.expand(hi - (cols - 1)) == 0)
            column = ((p in self.simplex or self.discrete.get(p) == "one-hot") and cols == 1
                      and f.i == k and sp.expand(hi - (rows - 1)) == 0)
            if lo == 0 and (one_hot_row or column):
                factors = [g for g in factors if g is not f]
                del rng[k]
        return factors, rng

    def assumed_sum(self, s: sp.Sum, scope: dict) -> Any:
        """Σₖ p[k] = 1 for a probability vector p; Σₖ Y[i, k] = 1 for one-hot rows of Y."""
        if len(s.limits) != 1:
            return s
        k, lo, hi = s.limits[0]
        f = s.function
        if not isinstance(f, MatrixElement) or lo != 0:
            return s
        p = f.parent
        rows, cols = p.shape
        if p in self.simplex and f.i == k and f.j == 0 and sp.expand(hi - (rows - 1)) == 0:
            return sp.Integer(1)
        if self.discrete.get(p) == "one-hot":
            if cols == 1 and f.i == k and sp.expand(hi - (rows - 1)) == 0:
                return sp.Integer(1)
            if f.j == k and not f.i.has(k) and sp.expand(hi - (cols - 1)) == 0:
                return sp.Integer(1)
        return s

    def rename(self, s: sp.Sum) -> tuple[Any, sp.Sum]:
        """Canonical names for the summation indices of one sum: (a sign, the sum) (a sum run
        backwards may come out as −1 times a sum)."""
        limits = _flatten_limits(s.limits)
        ks = [k for k, _, _ in limits]
        level = _level(s.function)
        names = [_canonical_name(level, r) for r in range(len(ks))]
        if len(ks) > _PERMUTE_UP_TO:
            ks = sorted(ks, key=lambda k: self._signature(s.function, k))
            orders = [tuple(ks)]
        else:
            orders = list(itertools.permutations(ks))
        best = None
        for sign, body in self._reflections(s.function, limits):
            for order in orders:
                mapping = dict(zip(order, names, strict=True))
                lims = sorted(((mapping[k], lo.xreplace(mapping), hi.xreplace(mapping))
                               for k, lo, hi in limits), key=lambda t: t[0].name)
                cand = sp.Sum(body.xreplace(mapping), *lims)
                key = sp.srepr(cand)
                if best is None or key < best[0]:
                    best = (key, sign, cand)
        assert best is not None
        return best[1], best[2]

    def _reflections(self, body: Any, limits: list) -> list:
        """The body with some summation indices run backwards, k → lo + hi − k (the same sum):
        tried where k is subtracted in an index (a flipped kernel, w[k − 1 − p]), so that a
        sum written forwards and one written backwards meet.  At most two indices."""
        flips = [(k, lo, hi) for k, lo, hi in limits if self._subtracted(body, k)
                 and not any(x.has(*[q for q, _, _ in limits]) for x in (lo, hi))][:2]
        out = [(sp.Integer(1), body)]
        for k, lo, hi in flips:
            for sign, b in list(out):
                turned = self._expand(self.norm(b.xreplace({k: lo + hi - k}),
                                                dict(self.ranges)))
                if isinstance(turned, sp.Add):
                    continue  # not one product any more: no candidate
                coeff, rest = turned.as_coeff_Mul()
                if coeff in (1, -1):
                    out.append((sign * coeff, rest))
        return out

    @staticmethod
    def _subtracted(body: Any, k: Any) -> bool:
        for e in body.atoms(MatrixElement):
            for index in (e.i, e.j):
                if index.has(k) and sp.expand(index).coeff(k) == -1:
                    return True
        return False

    @staticmethod
    def _signature(body: Any, k: Any) -> str:
        mark = sp.Symbol("□", integer=True)
        parts = sorted(sp.srepr(f.xreplace({k: mark})) for f in sp.Mul.make_args(body)
                       if f.has(k))
        return "|".join(parts)

    # -- deltas of free indices --

    def free_deltas(self, e: Any) -> Any:
        """In a term with δ(p, q) (p, q free), q is replaced by p elsewhere in the term."""
        out = []
        for term in sp.Add.make_args(self._expand(e)):
            for _ in range(8):
                deltas = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.KroneckerDelta)
                          and all(a.is_Symbol or a.is_Integer for a in f.args)]
                done = True
                for d in deltas:
                    p, q = sorted(d.args, key=sp.default_sort_key)
                    if q.is_Integer:
                        p, q = q, p
                    rest = sp.Mul(*[f for f in sp.Mul.make_args(term) if f is not d])
                    if not rest.has(q):
                        continue
                    new = self.norm(rest.xreplace({q: p}), dict(self.ranges)) * d
                    if new != term:
                        term, done = new, False
                        break
                if done:
                    break
            out.append(term)
        return sp.Add(*out)


# ----- atoms, for the zero test -----


def atomize(e: Any) -> tuple[Any, dict]:
    """Each sum, each matrix entry and each indicator (outside sums) replaced by a real
    symbol, equal ones by the same symbol: a rational function of the atoms that is 0 is 0
    for every value."""
    table: dict = {}

    def atom(x: Any) -> sp.Symbol:
        if x not in table:
            table[x] = sp.Symbol(f"α{len(table)}", real=True)
        return table[x]

    def walk(x: Any) -> Any:
        if isinstance(x, sp.Sum | MatrixElement) or is_indicator(x):
            return atom(x)
        if x.is_Atom or not x.args:
            return x
        if isinstance(x, sp.KroneckerDelta):
            return x
        args = [walk(a) for a in x.args]
        return x.func(*args)

    return walk(e), table
