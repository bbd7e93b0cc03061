"""Turn a claim's symbols into SymPy objects: general, explicit or concrete.

- ``general``: matrix symbols of symbolic size (proofs in general dimension).
- ``explicit``: matrices of scalar symbols at concrete sizes (element-wise proofs, fast
  search).  Builders see unconstrained entries (so a gradient is taken entry by entry, as
  the maths means); afterwards each structured symbol is replaced by its parametrisation
  (``verifier.domains.STRUCTURES``).  A structure may come in several components
  (orthogonal: det +1 and det −1); ``component`` picks one, ``component_count`` says how
  many there are, and a proof at a size must go through every one.
- ``concrete``: rational values given for every symbol (the audit, larger sizes); only the
  symbols a claim differentiates by stay symbolic.
"""

from __future__ import annotations

import contextlib
import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy as sp

from verifier import ops
from verifier.claim import DISCRETE, Claim, Env
from verifier.domains import (
    ANY,
    CommutePlan,
    Contradictory,
    Domain,
    commute_plan,
    discrete_count,
    discrete_exact,
    discrete_symbols,
    discrete_value,
    entry_domain,
    entry_name,
    largest_known_subset,
    matrix_properties,
    scalar_domain,
    structure_for,
)
from verifier.sympy_adjust import adjusted

__all__ = [
    "Env",
    "Instance",
    "Unsupported",
    "component_count",
    "concrete",
    "default_sizes",
    "explicit",
    "general",
    "refutation_sizes",
    "side_values",
    "switch_beyond",
]


class Unsupported(Exception):
    """No parametrisation covers the claim's assumptions on some symbol (proofs stand down;
    refutation samples a subset and checks every assumption on the values)."""


@dataclass
class Instance:
    """A claim instantiated once: the objects given to builders and the structure map."""

    env: Env
    structure: dict[Any, Any] = field(default_factory=dict)
    domains: dict[Any, Domain] = field(default_factory=dict)  # base symbol -> its domain
    sizes: dict[str, int] = field(default_factory=dict)
    index_values: dict[str, int] = field(default_factory=dict)
    component: int = 0
    partial: bool = False  # some assumption is not built in: points must be checked
    # general dimension only: each index symbol's range (0, n - 1), and the symbols assumed
    # binary or one-hot (left free there: a proof for every value covers those values; an
    # index-form prover may use y² = y, Σⱼ Y[i, j] = 1)
    index_ranges: dict[Any, tuple[Any, Any]] = field(default_factory=dict)
    discrete: dict[Any, str] = field(default_factory=dict)

    def apply(self, expr: Any) -> Any:
        """Apply the structure map; explicit structure is entry-wise and exact."""
        if not self.structure:
            return expr
        return expr.xreplace(self.structure) if hasattr(expr, "xreplace") else expr

    def symbol_values(self) -> dict[str, Any]:
        """Each declared symbol as an expression in the base symbols (structure applied)."""
        return {k: self.apply(v) for k, v in self.env._values.items()}


def _scalar(name: str, claim: Claim, sizes: dict[str, int] | None = None
            ) -> tuple[sp.Symbol, Domain]:
    dom = scalar_domain(claim, name, sizes)
    flags = scalar_domain(claim, name).flags()  # one symbol at every size
    return sp.Symbol(name, **flags), dom


def default_sizes(claim: Claim) -> list[dict[str, int]]:
    """Two size assignments with distinct sizes for distinct dimensions where possible."""
    if claim.sizes:
        return [dict(s) for s in claim.sizes]
    dims = claim.dims
    if not dims:
        return [{}]
    first = {d: (2, 3, 4)[k % 3] for k, d in enumerate(dims)}
    second = {d: (3, 2)[k % 2] for k, d in enumerate(dims)}
    return [first, second] if first != second else [first]


def refutation_sizes(claim: Claim) -> list[dict[str, int]]:
    """Small first, so a counterexample is readable; then the proof sizes.

    An entry that fixes its sizes is sampled at those sizes only.
    """
    if claim.sizes:
        return default_sizes(claim)
    dims = claim.dims
    out: list[dict[str, int]] = []
    small = [{d: 1 for d in dims}, {d: 2 for d in dims}] if dims else []
    for cand in small + default_sizes(claim):
        if cand not in out:
            out.append(cand)
    return out


def larger_sizes(claim: Claim, largest: int = 6) -> list[dict[str, int]]:
    """Sizes beyond the proof sizes, up to ``largest``, and below them: a polynomial in n can
    vanish at n = 1, 2, 3.  Every dimension 1, every dimension equal (4 … largest), each
    dimension alone at 1 and alone at the top with the others small."""
    if claim.sizes or not claim.dims:
        return []
    dims = claim.dims
    out = [{d: k for d in dims} for k in range(4, largest + 1)]
    # below them too: the proof sizes start at 2, and min(x·I) = min(x, 0) fails at n = 1
    # alone (every dimension 1, then each dimension alone at 1)
    out.insert(0, {d: 1 for d in dims})
    if len(dims) > 1:
        out += [{e: (1 if e == d else 3) for e in dims} for d in dims]
    # a threshold or a root written in the claim (i < 9, (n − 7)·…) can hide a difference
    # until the size passes it: the sizes just past each such integer, up to MAX_SIZE
    for k in _size_literals(claim, largest):
        out += [{d: k + 1 for d in dims}, {d: k + 2 for d in dims}]
    # a fixed dimension past them (X: matrix(n, 7)) caps a rank until n reaches it:
    # det(XᵀX) = 0 holds at every n < 7 and fails from n = 7 on (it was "checked")
    for k in _fixed_dimensions(claim, largest):
        out += [{d: k for d in dims}, {d: k + 1 for d in dims}]
    if len(dims) > 1:  # dimensions apart: a claim may hold only when they are equal
        for d in dims:
            out.append({e: (largest if e == d else 2) for e in dims})
    # a comparison of sizes alone ((n == 7), (n * n > 300)) switches at one size, maybe
    # past every size above: the sizes at and around each of its roots (last: may be large)
    out += dimension_switches(claim)
    seen: list[dict[str, int]] = []
    for s in out:
        if s not in seen:
            seen.append(s)
    return seen


def _size_literals(claim: Claim, largest: int) -> list[int]:
    """The integers written in the claim's text that a size could pass beyond ``largest``
    (at most two, the largest first; a Python builder has no text)."""
    import re

    texts = [getattr(b, "text", "") for b in (claim.lhs, claim.rhs, claim.f)]
    found = {int(t) for text in texts if isinstance(text, str)
             for t in re.findall(r"(?<![\w.])\d+(?![\w.])",
                                 re.sub(r"[\d.]+[eE][-+]?\d+", " ", text))}  # not 1e-10
    return sorted((k for k in found if largest - 1 <= k <= MAX_SIZE - 2), reverse=True)[:2]


def _fixed_dimensions(claim: Claim, largest: int) -> list[int]:
    """The fixed sizes in the symbols' shapes beyond ``largest`` (at most two, the largest
    first): a product through such a dimension has rank at most it, so a determinant or an
    inverse of it changes from singular to regular once a named dimension reaches it."""
    found = {x for d in claim.symbols for x in d.dims
             if isinstance(x, int) and largest < x <= MAX_SIZE - 1}
    return sorted(found, reverse=True)[:2]


MAX_SIZE = 16  # the largest size a claim file may give
SWITCH_SIZE = 64  # the largest size a comparison of sizes is tried at


def switch_beyond(claim: Claim) -> int | None:
    """The smallest size past ``SWITCH_SIZE`` at which a comparison between sizes and
    indices switches (``n != 65``, ``i < 100``, ``n * n < 5000``), or None: no size tried
    reaches it, so agreement at the sizes tried says nothing about it."""
    beyond = [int(sp.ceiling(r)) for r, _ in _switch_roots(claim)
              if int(sp.floor(r)) + 1 > SWITCH_SIZE]  # the size just past it is not tried
    return min(beyond) if beyond else None


def _switch_roots(claim: Claim, vanishing: bool = False) -> list[tuple[Any, str | None]]:
    """(root, dimension) for each real root of each comparison written between sizes and
    indices alone: solved with every dimension one size s (dimension None), and with one
    dimension s and the others 2 (an index at its last value s − 1).  The kinks of max, min,
    abs and relu count as comparisons too (min(det(ones(n, n) − 7I)², 1) switches at n = 7),
    and an operand may be any expression of the sizes: a polynomial is solved exactly, any
    other expression (2ⁿ < 1000, det(ones(n, n) − 7I)) is evaluated at each size.
    ``vanishing``: the roots of the scalar values of the sizes alone instead (below)."""
    key = _switch_key(claim, "vanishing" if vanishing else "switching")
    if key is None:
        return []
    found = _SWITCHES.get(key)
    if found is None:
        operands = _vanishing_operands if vanishing else _switching_operands
        found = _SWITCHES[key] = _switch_roots_of(claim, operands)
    return found


_SWITCHES: dict = {}


def _switch_key(claim: Claim, kind: str) -> tuple | None:
    """The key of a claim's switch sizes of one kind in _SWITCHES: everything they are read
    from (the sides' text, dimensions, assumptions, symbols, layout, fixed sizes); None for a
    claim without text (nothing to read)."""
    texts = tuple(getattr(b, "text", None) for b in (claim.lhs, claim.rhs, claim.f))
    if all(t is None for t in texts):
        return None
    return (kind, texts, tuple(claim.dims), tuple(a.phrase() for a in claim.assumptions),
            tuple(str(d) for d in claim.symbols), claim.layout, claim.sizes)
SCAN_SECONDS = 10.0  # CPU time for evaluating size-only operands with no closed form


def _switch_roots_of(claim: Claim, operands: Any) -> list[tuple[Any, str | None]]:
    import time

    dims = claim.dims
    s = sp.Symbol("s", positive=True)
    readings = [({d: s for d in dims}, None)]
    if len(dims) > 1:
        readings += [({e: s if e == d else sp.Integer(2) for e in dims}, d) for d in dims]
    # an integer t in 1..T is at most T: (t != 183) switches once T reaches 183
    last = {a.names[0]: a.bounds[1] for a in claim.assumptions
            if a.kind == "range" and a.bounds and isinstance(a.bounds[1], str)}
    out: list[tuple[Any, str | None]] = []
    deadline = time.thread_time() + SCAN_SECONDS
    for tree in (getattr(b, "tree", None) for b in (claim.lhs, claim.rhs, claim.f)):
        if tree is None:
            continue
        for left_node, right_node in operands(tree):
            for sizes, alone in readings:
                left = _size_value(left_node, sizes, last)
                right = _size_value(right_node, sizes, last)
                if left is None or right is None:
                    # built at each size: only for comparisons (a value with no closed form,
                    # det(ones(n, n) − 7I), costs up to SCAN_SECONDS; its zeros are no switch)
                    if dims and operands is _switching_operands and _size_only(
                            left_node) and _size_only(right_node):
                        out += [(r, alone) for r in _scan_built(
                            left_node, right_node, sizes, s, claim.layout, deadline)]
                    continue
                diff = left - right
                if not getattr(diff, "has", lambda *_: False)(s):
                    continue
                try:
                    num = sp.Poly(sp.numer(sp.together(diff)), s)
                    roots = [r for r in num.real_roots() if r.is_real]
                except (sp.PolynomialError, NotImplementedError, ValueError, TypeError):
                    roots = _scan_values(diff, s)
                out += [(r, alone) for r in roots]
    return out


def _switching_operands(tree: Any) -> list[tuple[Any, Any]]:
    """(a, b) for each place where the claim switches at a = b: comparisons, and the kinks
    of max(a, b), min(a, b), abs(a), relu(a), leaky_relu(a, c)."""
    from verifier.language.shapes import SCALAR
    from verifier.language.tree import Call, Compare, Number, walk

    zero = Number(SCALAR, value=Fraction(0))
    out = []
    for node in walk(tree):
        if isinstance(node, Compare):
            out.append((node.left, node.right))
        elif isinstance(node, Call) and node.fn in ("max", "min") and len(node.args) == 2:
            out.append((node.args[0], node.args[1]))
        elif isinstance(node, Call) and node.fn in ("abs", "relu", "leaky_relu") and node.args:
            out.append((node.args[0], zero))
    return out


def _vanishing_operands(tree: Any) -> list[tuple[Any, Any]]:
    """(v, 0) for each scalar value of the sizes alone that a claim multiplies or adds
    (sum(i(i − 1)⋯(i − 5), i), det(ones(n, n) − 7I)): it may vanish at every size up to 6
    and not at 7, so a claim that agrees at the sizes tried can differ past its roots."""
    from verifier.language.shapes import SCALAR
    from verifier.language.tree import Call, Compare, DimValue, Number, Symbol, walk

    zero = Number(SCALAR, value=Fraction(0))
    inside_comparisons = {id(x) for node in walk(tree) if isinstance(node, Compare)
                          for x in walk(node)}  # a comparison's operands are switches
    return [(node, zero) for node in walk(tree)
            if isinstance(node, Call) and node.shape == SCALAR and id(node) not in
            inside_comparisons and _size_only(node)
            and any(isinstance(x, DimValue) or (isinstance(x, Symbol) and x.kind == "index")
                    for x in walk(node))]


def _size_only(node: Any) -> bool:
    """Does the expression depend on the sizes alone (no symbol's value, no free index)?"""
    from verifier.language.evaluate import free_indices
    from verifier.language.tree import Symbol, walk

    if free_indices(node):
        return False
    return all(not isinstance(x, Symbol) or x.kind == "index" for x in walk(node))


def _scan_values(expr: Any, s: Any) -> list:
    """Where an expression of one size s (not a polynomial: 2ˢ − 1000) changes sign between
    consecutive sizes 1 … ``SWITCH_SIZE``, and then between 2ʲ and 2ʲ⁺¹ up to 2³⁰ (a root
    past every size tried): k exactly where it is 0, else k + 1/2.  In 60-digit floating
    point (2ˢ at s = 2³⁰ is never built exactly); the sizes found are only tried."""
    import mpmath

    points = list(range(1, SWITCH_SIZE + 2)) + [2 ** j for j in range(7, 31)]
    try:
        fn = sp.lambdify(s, expr, modules="mpmath")
    except Exception:  # noqa: BLE001 - not printable: no switches known
        return []
    signs = []
    for k in points:
        try:
            with mpmath.workdps(60):
                v = fn(mpmath.mpf(k))
                sgn = None if isinstance(v, mpmath.mpc) or not mpmath.isfinite(v) else (
                    0 if v == 0 else (1 if v > 0 else -1))
        except (TypeError, ValueError, ZeroDivisionError, ArithmeticError, OverflowError):
            sgn = None
        signs.append(sgn)
    return _sign_changes(points, signs)


def _sign_changes(points: list[int], signs: list) -> list:
    out = []
    for k, (p, sgn) in enumerate(zip(points, signs, strict=True)):
        if sgn == 0:
            out.append(sp.Integer(p))
        elif k + 1 < len(points) and signs[k + 1] is not None and sgn is not None \
                and signs[k + 1] != sgn and signs[k + 1] != 0:
            out.append(sp.Integer(p) + sp.Rational(1, 2))
    return out


def _scan_built(left: Any, right: Any, sizes: dict, s: Any, layout: str,
                deadline: float) -> list:
    """Where a comparison of two expressions of the sizes alone that have no closed form
    (det(ones(n, n) − 7I)) switches: both built at each size 1 … ``SWITCH_SIZE`` until the
    time runs out; the size after the last one built is reported as a switch (so a size
    not looked at is never evidence: ``switch_beyond`` stands the claim down past 64)."""
    import time

    from verifier.language.evaluate import evaluate

    points, signs = [], []
    for k in range(1, SWITCH_SIZE + 2):
        if time.thread_time() > deadline:
            return _sign_changes(points, signs) + [sp.Integer(max(k, SWITCH_SIZE + 1))]
        at = {d: (sp.Integer(k) if v == s else v) for d, v in sizes.items()}
        env = Env({}, at, "explicit")
        try:
            a, b = evaluate(left, env, layout), evaluate(right, env, layout)
            v = sp.sympify(ops.sc(a) - ops.sc(b))
            if getattr(v, "free_symbols", None) or isinstance(v, sp.MatrixBase):
                return []  # not one number: element-wise, no single switch
            sgn = 0 if v == 0 else (1 if v.evalf(60) > 0 else -1)
        except ops.Undefined:
            sgn = None
        except Exception:  # noqa: BLE001 - not buildable at this size
            sgn = None
        points.append(k)
        signs.append(sgn)
    return _sign_changes(points, signs)


def dimension_switches(claim: Claim) -> list[dict[str, int]]:
    """Sizes at which a comparison written between sizes and indices alone (``n == 7``,
    ``n * n > 300``, ``i < 20``, ``(n == 1) * (m == 3)``) switches, read from the claim's
    text: solved with every dimension one size s, and with one dimension s and the others 2
    (an index at its last value s − 1); the integers at and beside each real root, from 1
    to ``SWITCH_SIZE``, at most 8 assignments."""
    dims = claim.dims
    found: list[dict[str, int]] = []
    own: dict[str, set[int]] = {d: set() for d in dims}  # switch sizes of one dimension
    for r, alone in _switch_roots(claim) + _switch_roots(claim, vanishing=True):
        base = int(sp.floor(r))
        for k in (base - 1, base, base + 1, base + 2):
            if 1 <= k <= SWITCH_SIZE:
                found.append({d: k if alone in (None, d) else 2 for d in dims})
                if alone is not None:
                    own[alone].add(k)
    # comparisons on several dimensions hold together at one assignment ((n == 1)·(m == 3))
    combos = [dict(zip(dims, ks, strict=True))
              for ks in itertools.product(*(sorted(own[d]) for d in dims))] if all(
        own[d] for d in dims) and len(dims) > 1 else []
    out: list[dict[str, int]] = []
    for size in found + sorted(combos, key=lambda z: max(z.values())):
        if size not in out:
            out.append(size)
    return out[:12] + [z for z in _joint_switches(claim) if z not in out[:12]]


# the box of assignments scanned for comparisons of several sizes at once, by their count
_JOINT_BOX = {2: SWITCH_SIZE, 3: 16, 4: 8}


def _joint_switches(claim: Claim) -> list[dict[str, int]]:
    """For comparisons written between several sizes at once ((n·m == 35), (n − m > 9)):
    the smallest assignment of each pattern of their outcomes over a box of sizes.  Reading
    every dimension as one size s, or one at a time beside 2, never meets n = 5, m = 7;
    the patterns seen at the sizes tried are not repeated.  At most 6 assignments."""
    dims = claim.dims
    if not 2 <= len(dims) <= max(_JOINT_BOX):
        return []
    key = _switch_key(claim, "joint")
    if key is None:
        return []
    found = _SWITCHES.get(key)
    if found is None:
        found = _SWITCHES[key] = _joint_switches_of(claim)
    return found


def _joint_differences(claim: Claim) -> list[Any]:
    """a − b for each comparison a ? b of sizes alone that involves two dimensions or more,
    as a function of the dimensions (lambdified: only signs are read from it)."""
    dims = claim.dims
    syms = {d: sp.Symbol(d, positive=True, integer=True) for d in dims}
    out = []
    for tree in (getattr(b, "tree", None) for b in (claim.lhs, claim.rhs, claim.f)):
        if tree is None:
            continue
        for left_node, right_node in _switching_operands(tree):
            left, right = _size_value(left_node, syms), _size_value(right_node, syms)
            if left is None or right is None:
                continue
            diff = sp.sympify(left - right)
            if len(diff.free_symbols & set(syms.values())) < 2:
                continue  # one size alone: ``_switch_roots`` solves it
            try:
                out.append(sp.lambdify([syms[d] for d in dims], diff, modules="mpmath"))
            except Exception:  # noqa: BLE001 - not printable: no switch known
                continue
    return out


def _sign_at(fn: Any, point: tuple[int, ...]) -> int | None:
    import mpmath

    try:
        with mpmath.workdps(40):
            v = fn(*(mpmath.mpf(k) for k in point))
        if isinstance(v, mpmath.mpc) or not mpmath.isfinite(v):
            return None
        return 0 if v == 0 else (1 if v > 0 else -1)
    except (TypeError, ValueError, ZeroDivisionError, ArithmeticError, OverflowError):
        return None


def _joint_switches_of(claim: Claim) -> list[dict[str, int]]:
    import time

    fns = _joint_differences(claim)
    if not fns:
        return []
    dims = claim.dims
    top = _JOINT_BOX[len(dims)]
    box = sorted(itertools.product(range(1, top + 1), repeat=len(dims)),
                 key=lambda p: (max(p), sum(p), p))
    tried = {tuple(z[d] for d in dims) for z in default_sizes(claim)}
    first: dict[tuple, tuple[int, ...]] = {}
    seen_tried: set[tuple] = set()
    deadline = time.thread_time() + SCAN_SECONDS / 2
    for point in box:
        if time.thread_time() > deadline:
            break
        pattern = tuple(_sign_at(f, point) for f in fns)
        if point in tried:
            seen_tried.add(pattern)
        first.setdefault(pattern, point)
    picks = sorted((p for pat, p in first.items() if pat not in seen_tried),
                   key=lambda p: (max(p), sum(p), p))[:6]
    return [dict(zip(dims, p, strict=True)) for p in picks]


def _size_value(node: Any, sizes: dict[str, Any], last: dict[str, str] | None = None) -> Any:
    """A comparison's operand as an expression in the sizes, or None if it is not one
    (``last``: integer symbols at the largest value of their range, a dimension)."""
    from verifier.language.tree import Binary, DimValue, Number, Symbol, Unary

    if isinstance(node, Symbol) and last and last.get(node.name) in sizes:
        return sizes[last[node.name]]
    if isinstance(node, Number):
        return sp.Rational(node.value.numerator, node.value.denominator)
    if isinstance(node, DimValue):
        return sizes.get(node.name)
    if isinstance(node, Symbol) and node.kind == "index" and node.extent in sizes:
        return sizes[node.extent] - 1  # its last value: i < 20 differs once i = 20 exists
    if isinstance(node, Unary):
        v = _size_value(node.arg, sizes, last)
        return None if v is None else (-v if node.op == "-" else v)
    if isinstance(node, Binary) and node.op in ("+", "-", "*", "/", "**"):
        a, b = _size_value(node.left, sizes, last), _size_value(node.right, sizes, last)
        if a is None or b is None:
            return None
        return {"+": a + b, "-": a - b, "*": a * b, "/": a / b, "**": a ** b}[node.op]
    return _general_size_value(node, sizes)


def _general_size_value(node: Any, sizes: dict[str, Any]) -> Any:
    """An expression of the sizes alone built in general dimension (trace(eye(n)) = n,
    sum(ones(n)) = n), or None where that is not one scalar expression of the sizes."""
    from verifier.language.evaluate import evaluate
    from verifier.language.tree import Call, Symbol, walk

    if not isinstance(node, Call) or not _size_only(node):
        return None
    # the indices a sum or a product binds (sum(i * (i - 1), i) is n(n − 1)(n − 2)/3)
    bound = {x.name: index_symbol(x.name) for x in walk(node)
             if isinstance(x, Symbol) and x.kind == "index"}
    try:
        with adjusted():
            v = ops.sc(evaluate(node, Env(bound, dict(sizes), "general")))
        v = sp.sympify(v)
        if isinstance(v, sp.MatrixBase | sp.MatrixExpr) or v.has(
                sp.MatrixSymbol, sp.MatrixExpr, sp.Trace, sp.Determinant):
            return None
        v = v.doit()
        if v.has(sp.Sum, sp.Product) or v.free_symbols & set(bound.values()):
            return None  # not in closed form
        return None if v.has(sp.MatrixExpr, sp.Trace, sp.Determinant) else v
    except Exception:  # noqa: BLE001 - no general form: built at each size instead
        return None


# ----- General (symbolic size) -----

_GENERAL = {
    frozenset(): None,
    frozenset({"symmetric"}): lambda m, s: s + s.T,
    frozenset({"skew-symmetric"}): lambda m, s: s - s.T,
    frozenset({"positive definite"}): lambda m, s: s * s.T,
    frozenset({"positive definite", "symmetric"}): lambda m, s: s * s.T,
}


def general(claim: Claim) -> Instance:
    """Matrix symbols of symbolic size; raise GeneralFormUnavailable where that cannot work.

    Structure in general dimension: symmetric M = S + Sᵀ, skew M = S − Sᵀ, positive
    definite M = S Sᵀ (onto the positive semi-definite matrices, a superset: a proof over
    it covers M).  Any other set of properties on one symbol has no general form here.
    """
    dims = {d: sp.Symbol(d, integer=True, positive=True) for d in claim.dims}

    def size(x):
        return x if isinstance(x, int) else dims[x]

    values: dict[str, Any] = {}
    domains: dict[Any, Domain] = {}
    index_ranges: dict[Any, tuple[Any, Any]] = {}
    for d in claim.symbols:
        if d.kind == "scalar":
            try:
                values[d.name], dom = _scalar(d.name, claim)
            except Contradictory as exc:
                raise ops.GeneralFormUnavailable(str(exc)) from None
            domains[values[d.name]] = dom
        elif d.kind == "integer":
            values[d.name] = sp.Symbol(d.name, integer=True, positive=True)
            domains[values[d.name]] = scalar_domain(claim, d.name)
        elif d.kind == "index":
            if not _language_sides(claim):
                # a Python builder may branch on an index's value (y == 0 is False for a
                # symbol): only the claim language gives a symbolic index its meaning
                raise ops.GeneralFormUnavailable("an index symbol in a Python builder has no "
                                                 "general form")
            values[d.name] = index_symbol(d.name)
            index_ranges[values[d.name]] = (sp.Integer(0), size(d.dims[0]) - 1)
        else:
            r, c = d.shape
            values[d.name] = sp.MatrixSymbol(d.name, size(r), size(c))
    if any(a.kind in ("commute", "sums to 1") for a in claim.assumptions):
        raise ops.GeneralFormUnavailable("commuting pairs and probability vectors have no "
                                         "general form here")
    structure: dict[Any, Any] = {}
    for d in claim.symbols:
        if d.kind != "matrix":
            continue
        props = matrix_properties(claim, d.name)
        if props not in _GENERAL:
            raise ops.GeneralFormUnavailable(
                f"no general form for {d.name} {' and '.join(sorted(props))}")
        make = _GENERAL[props]
        if make is not None:
            m = values[d.name]
            structure[m] = make(m, sp.MatrixSymbol(_fresh(claim, f"S_{d.name}"), *m.shape))
    inst = Instance(Env(values, dims, "general"), structure, domains)
    inst.index_ranges = index_ranges
    inst.discrete = {values[a.names[0]]: a.kind for a in claim.assumptions
                     if a.kind in DISCRETE and not a.compound}
    return inst


def index_symbol(name: str) -> sp.Symbol:
    """An index symbol in general dimension: an integer, 0 or more (its upper end, n − 1, is in
    ``Instance.index_ranges``).  sum(e, i) binds this same symbol: Sum(e, (i, 0, n - 1))."""
    return sp.Symbol(name, integer=True, nonnegative=True)


def _language_sides(claim: Claim) -> bool:
    """Are the claim's sides all written in the claim language?"""
    from verifier.language.evaluate import CompiledExpr

    sides = [claim.rhs, claim.f if claim.kind == "gradient" else claim.lhs]
    return all(isinstance(b, CompiledExpr) for b in sides)


# ----- Explicit (fixed size) -----


def _fresh(claim: Claim, name: str) -> str:
    """``name``, primed until no symbol of the claim has it: the structure S of a positive
    definite A was S_A, and a claim that declared its own S_A had A = S_A·S_Aᵀ proved."""
    taken = claim.decls
    while name in taken:
        name += "'"
    return name


def entry_prefix(claim: Claim, name: str) -> str:
    """What the entries of symbol ``name`` are named after: the name, primed while another
    symbol of the claim starts with it and an underscore (x_1 is x's first entry: a claim
    that also declared a scalar x_1 had x[0] = x_1 proved at n = 2).  A claim's names hold
    no prime, so primed entries meet none of them, nor another symbol's entries."""
    prefix, taken = name, claim.decls
    while any(o != name and o.startswith(f"{prefix}_") for o in taken):
        prefix += "'"
    return prefix


def _entries(claim: Claim, name: str, rows: int, cols: int) -> tuple[sp.Matrix, Domain]:
    """A vector's or matrix's entry symbols, with the SymPy flags of its entries' sign
    assumptions ("p positive"), and their domain."""
    dom = entry_domain(claim, name)
    flags = dom.flags()
    prefix = entry_prefix(claim, name)
    if claim.decls[name].kind == "vector":
        return sp.Matrix(rows, 1, lambda i, _: sp.Symbol(entry_name(prefix, i), **flags)), dom
    return sp.Matrix(
        rows, cols, lambda i, j: sp.Symbol(entry_name(prefix, i, j), **flags)
    ), dom


def _matrix_symbols(claim: Claim) -> list[str]:
    """Square matrices whose structure is parametrised (not the discrete ones)."""
    discrete = discrete_symbols(claim)
    return [d.name for d in claim.symbols
            if d.kind == "matrix" and d.is_square and d.name not in discrete]


def _component_symbols(claim: Claim) -> list[str]:
    """The symbols that have components, in the order of a component number's digits:
    structured square matrices, then discrete symbols (binary, one-hot)."""
    return _matrix_symbols(claim) + list(discrete_symbols(claim))


def _plan(claim: Claim) -> CommutePlan:
    plan = commute_plan(claim)
    if isinstance(plan, str):
        raise Unsupported(plan)
    if plan.gap:
        raise Unsupported(plan.gap)
    return plan


def _components(claim: Claim, sizes: dict[str, int], partial: bool) -> list[int]:
    """Component counts of each structured square matrix (in ``_matrix_symbols`` order)."""
    plan = commute_plan(claim)
    derived = plan.derived if isinstance(plan, CommutePlan) else {}
    discrete = discrete_symbols(claim)
    continuous = _continuous(claim)
    out = []
    for name in _component_symbols(claim):
        if name in discrete:
            if not (partial or discrete_exact(claim, name)):
                raise Unsupported(f"no known parametrisation of {name} "
                                  f"{discrete[name]} and commuting")
            out.append(discrete_count(claim, name, sizes))
            continue
        if name in derived:
            out.append(1)
            continue
        d = claim.decls[name]
        n = d.dims[0] if isinstance(d.dims[0], int) else sizes[d.dims[0]]
        s = _structure(claim, name, partial)
        out.append(s.needed(n, continuous))
    return out


def _continuous(claim: Claim) -> bool:
    """No comparison and no kinked function (whose derivative jumps) in a side written in the
    language; a Python builder's sides are unknown, so not continuous."""
    from verifier.language import CompiledExpr
    from verifier.language.functions import KINKED as _KINKED
    from verifier.language.tree import Call, Compare, walk

    sides = [s for s in (claim.lhs, claim.rhs, claim.f) if s is not None]
    if not all(isinstance(s, CompiledExpr) for s in sides):
        return False
    return not any(isinstance(node, Compare) or (isinstance(node, Call) and node.fn in _KINKED)
                   for side in sides for node in walk(side.tree))


def _structure(claim: Claim, name: str, partial: bool):
    props = matrix_properties(claim, name)
    s = structure_for(props)
    if s is None:
        if not partial:
            raise Unsupported(f"no known parametrisation of a matrix that is "
                              f"{' and '.join(sorted(props))}")
        s = largest_known_subset(props)
    return s


def component_count(claim: Claim, sizes: dict[str, int], partial: bool = False) -> int:
    """How many parametrisation pieces together cover the assumptions at these sizes
    (0: no matrix satisfies them at these sizes, e.g. skew orthogonal of odd size)."""
    if not partial:
        _plan(claim)
    total = 1
    for k in _components(claim, sizes, partial):
        total *= k
    return total


def explicit(
    claim: Claim,
    sizes: dict[str, int],
    index_values: dict[str, int] | None = None,
    component: int = 0,
    partial: bool = False,
) -> Instance:
    """Explicit matrices of scalar symbols at the given sizes, with the assumptions' structure.

    ``partial``: where no parametrisation covers every assumption on a symbol, use one that
    covers some (for sampling only; ``Instance.partial`` says so).  Otherwise raises
    ``Unsupported``; ``Contradictory`` when a scalar's assumptions exclude every value.
    """
    index_values = index_values or {}

    def size(x):
        return x if isinstance(x, int) else sizes[x]

    values: dict[str, Any] = {}
    domains: dict[Any, Domain] = {}
    for d in claim.symbols:
        if d.kind in ("scalar", "integer"):
            sym, dom = _scalar(d.name, claim, sizes)
            if d.kind == "integer":
                sym = sp.Symbol(d.name, integer=True, positive=True)
            values[d.name] = sym
            domains[sym] = dom
        elif d.kind == "index":
            values[d.name] = sp.Integer(index_values.get(d.name, 0))
        else:
            r, c = d.shape
            m, dom = _entries(claim, d.name, size(r), size(c))
            values[d.name] = m
            for e in m:
                domains[e] = dom
    inst = Instance(Env(values, {k: sp.Integer(v) for k, v in sizes.items()}, "explicit"),
                    {}, domains, dict(sizes), dict(index_values), component)
    plan = commute_plan(claim)
    if isinstance(plan, str):
        if not partial:
            raise Unsupported(plan)
        plan, inst.partial = CommutePlan(), True
    elif plan.gap:  # a part of the set: for sampling only
        if not partial:
            raise Unsupported(plan.gap)
        inst.partial = True
    names = _component_symbols(claim)
    counts = _components(claim, sizes, partial)
    picks = _digits(component, counts)
    discrete = discrete_symbols(claim)
    for name, pick in zip(names, picks, strict=True):
        if name in discrete:
            if not discrete_exact(claim, name):
                inst.partial = True
            _discrete(inst, values[name], discrete_value(claim, name, sizes, pick))
            continue
        if name in plan.derived:
            continue
        props = matrix_properties(claim, name)
        if structure_for(props) is None:
            inst.partial = True
        s = _structure(claim, name, partial)
        if s.name == "free":
            continue
        m = values[name]
        prefix = entry_prefix(claim, name)
        target, params = s.symbolic(f"_{prefix}k" if s.name not in (
            "symmetric", "diagonal", "diagonal positive definite") else prefix, m.shape[0], pick)
        entry = entry_domain(claim, name)  # ANY unless the parameters are entries
        if entry != ANY:
            params = {p: dom.intersect(entry) for p, dom in params.items()}
        _substitute(inst, m, target, params)
    for name in plan.order:
        if name in discrete or plan.derived[name] in discrete:
            continue  # (partial: the values are checked)
        _commuting(inst, values[plan.derived[name]], values[name], name)
    for a in claim.assumptions:
        if a.kind == "sums to 1" and a.names[0] not in discrete:
            _simplex(inst, values[a.names[0]])
    return inst


def _discrete(inst: Instance, symbol: Any, value: Any) -> None:
    """A binary, one-hot or integer-range symbol takes one of its finitely many values (one
    per component); ``None``: a range too long to enumerate, the symbol stays free."""
    if value is None:
        return
    if isinstance(symbol, sp.MatrixBase):
        _substitute(inst, symbol, value, {})
    else:
        inst.domains.pop(symbol, None)
        inst.structure[symbol] = value


def _digits(k: int, counts: list[int]) -> list[int]:
    """Component number ``k`` in the mixed radix of ``counts`` (one digit per symbol)."""
    out = []
    for c in counts:
        c = max(c, 1)
        out.append(k % c)
        k //= c
    return out


def _substitute(inst: Instance, m: sp.Matrix, target: sp.Matrix, params: dict) -> None:
    for e in m:
        inst.domains.pop(e, None)
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            if m[i, j] != target[i, j]:
                inst.structure[m[i, j]] = target[i, j]
    inst.domains.update(params)


def _commuting(inst: Instance, am: sp.Matrix, bm: sp.Matrix, name: str) -> None:
    """B = c₀ I + c₁ A + … + cₙ₋₁ Aⁿ⁻¹, with A's own structure applied."""
    n = am.shape[0]
    a = am.xreplace(inst.structure)
    coeffs = [sp.Symbol(f"_{name}c_{k}", real=True) for k in range(n)]
    poly = sp.zeros(n, n)
    power = sp.eye(n)
    for c in coeffs:
        poly += c * power
        power = power * a
    params = {c: ANY for c in coeffs}
    _substitute(inst, bm, poly.applyfunc(sp.expand), params)


def _simplex(inst: Instance, p: sp.Matrix) -> None:
    """A probability vector: the free entries non-negative with a sum of at most 1."""
    n = p.shape[0]
    last = p[n - 1]
    inst.structure[last] = 1 - sp.Add(*[p[i] for i in range(n - 1)])
    inst.domains.pop(last, None)
    for i in range(n - 1):
        inst.domains[p[i]] = Domain(simplex=n)


# ----- Concrete (values given) -----


def concrete(
    claim: Claim,
    sizes: dict[str, int],
    values: dict[str, Any],
    symbolic: frozenset[str] = frozenset(),
    index_values: dict[str, int] | None = None,
) -> tuple[Instance, dict[Any, Any]]:
    """Builders see the given rational values, except the symbols in ``symbolic`` (those a
    claim differentiates by), which are entry symbols; returns the instance and the point
    (entry symbol -> value) to substitute after differentiating."""
    index_values = index_values or {}

    def size(x):
        return x if isinstance(x, int) else sizes[x]

    env: dict[str, Any] = {}
    point: dict[Any, Any] = {}
    for d in claim.symbols:
        if d.kind == "index":
            env[d.name] = sp.Integer(index_values.get(d.name, values.get(d.name, 0)))
            continue
        v = values[d.name]
        if d.name not in symbolic:
            env[d.name] = sp.Matrix(v) if isinstance(v, sp.MatrixBase) else sp.sympify(v)
            continue
        if d.kind in ("scalar", "integer"):
            # the same symbol as in the explicit build (a builder may rely on its flags)
            sym = (sp.Symbol(d.name, integer=True, positive=True) if d.kind == "integer"
                   else _scalar(d.name, claim)[0])
            env[d.name] = sym
            point[sym] = sp.sympify(v)
        else:
            r, c = d.shape
            m, _ = _entries(claim, d.name, size(r), size(c))
            env[d.name] = m
            for e, x in zip(m, sp.Matrix(v), strict=True):
                point[e] = x
    inst = Instance(Env(env, {k: sp.Integer(v) for k, v in sizes.items()}, "concrete"),
                    {}, {}, dict(sizes), dict(index_values))
    return inst, point


def all_components(claim: Claim, sizes: dict[str, int]) -> range:
    return range(component_count(claim, sizes))


def product_of_components(counts: list[int]) -> list[tuple[int, ...]]:
    return list(itertools.product(*[range(c) for c in counts]))


def side_values(inst: Instance, builder, claim: Claim, *, gradient_lhs: bool = False) -> Any:
    """Build one side with this instance and apply the structure map."""
    env = inst.env
    with adjusted():
        if gradient_lhs:
            x = env[claim.wrt]  # type: ignore[index]
            with ops.differentiating(by=x):
                f = claim.f(env)  # type: ignore[misc]
            raw = ops.grad(f, x, claim.layout)
        else:
            raw = builder(env)
    return inst.apply(raw)


def both_sides(inst: Instance, claim: Claim) -> tuple[Any, Any]:
    """Both sides built with this instance (a gradient claim's left side: ∂f/∂wrt)."""
    if claim.kind == "gradient":
        lhs = side_values(inst, None, claim, gradient_lhs=True)
    else:
        lhs = side_values(inst, claim.lhs, claim)
    return lhs, side_values(inst, claim.rhs, claim)


@contextlib.contextmanager
def derivative_log():
    """Collect the general-form matrix derivatives taken inside the block."""
    log: list = []
    token = ops.DERIVATIVE_LOG.set(log)
    try:
        yield log
    finally:
        ops.DERIVATIVE_LOG.reset(token)
