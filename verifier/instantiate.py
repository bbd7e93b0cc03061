"""Turn a claim's symbols into SymPy objects: general (symbolic size) or explicit (fixed size).

Assumptions become *structure*: the builders always see unconstrained symbols (so a gradient
is taken entry by entry, as the maths means), and afterwards each structured symbol is
replaced by a parametrisation that satisfies the assumption exactly:

    symmetric M     M[j, i] -> M[i, j]              (general: M -> S + Sᵀ)
    skew-symmetric  M[j, i] -> -M[i, j], M[i, i] -> 0 (general: M -> S - Sᵀ)
    diagonal        off-diagonal entries -> 0
    orthogonal      Cayley transform (I - K)(I + K)⁻¹ of a skew K: exact and rational
    positive def.   L Lᵀ with L lower triangular, positive diagonal (general: M -> L Lᵀ)
    A, B commute    B -> c₀ I + c₁ A + … (generic commuting pairs are dense)
    p sums to 1     p[last] -> 1 - Σ p[other]
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from verifier import ops
from verifier.claim import Claim

__all__ = ["Env", "Instance", "default_sizes", "general", "explicit", "side_values"]


def _iter_matrix_expr(self):
    """Iterate entries row by row; a matrix of symbolic size has no finite iteration.

    Without this, ``for t in a`` over a MatrixSymbol of size n indexes a[0], a[1], …
    forever (SymPy never raises IndexError for a symbolic size).
    """
    rows, cols = self.shape
    if not (sp.sympify(rows).is_Integer and sp.sympify(cols).is_Integer):
        raise ops.GeneralFormUnavailable("iterating over a matrix of symbolic size")
    for i in range(int(rows)):
        for j in range(int(cols)):
            yield self[i, j]


sp.MatrixExpr.__iter__ = _iter_matrix_expr  # type: ignore[attr-defined]


class Env:
    """What a builder sees: ``s.M``, ``s["M"]``, dimension names as integers (``s.n``)."""

    def __init__(self, values: dict[str, Any], dims: dict[str, Any], mode: str):
        self._values = values
        self._dims = dims
        self.mode = mode  # "general" | "explicit"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self._values:
            return self._values[name]
        if name in self._dims:
            return self._dims[name]
        raise AttributeError(f"no symbol or dimension named {name!r}")

    def __getitem__(self, name: str) -> Any:
        return self.__getattr__(name)


@dataclass
class Instance:
    """A claim instantiated once: the objects given to builders and the structure map."""

    env: Env
    structure: dict[Any, Any] = field(default_factory=dict)
    # base symbol -> sampling domain: ("any"|"positive"|"negative"|"nonneg"|"interval", data)
    domains: dict[Any, tuple] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    index_values: dict[str, int] = field(default_factory=dict)

    def apply(self, expr: Any) -> Any:
        """Apply the structure map; explicit structure is entry-wise and exact."""
        if not self.structure:
            return expr
        return expr.xreplace(self.structure) if hasattr(expr, "xreplace") else expr

    def symbol_values(self) -> dict[str, Any]:
        """Each declared symbol as an expression in the base symbols (structure applied)."""
        return {k: self.apply(v) for k, v in self.env._values.items()}


def _scalar_symbol(name: str, claim: Claim) -> tuple[sp.Symbol, tuple]:
    flags: dict[str, bool] = {"real": True}
    domain: tuple = ("any", None)
    for a in claim.assumptions:
        if a.names[0] != name:
            continue
        if a.kind == "positive":
            flags["positive"] = True
            domain = ("positive", None)
        elif a.kind == "negative":
            flags["negative"] = True
            domain = ("negative", None)
        elif a.kind == "nonnegative":
            flags["nonnegative"] = True
            domain = ("nonneg", None)
        elif a.kind == "nonzero":
            flags["nonzero"] = True
        elif a.kind == "interval":
            lo, hi, open_lo, _ = a.interval  # type: ignore[misc]
            if lo > 0 or (lo == 0 and open_lo):
                flags["positive"] = True
            elif lo >= 0:
                flags["nonnegative"] = True
            domain = ("interval", a.interval)
    return sp.Symbol(name, **flags), domain


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


# ----- General (symbolic size) -----


def general(claim: Claim) -> Instance:
    """Matrix symbols of symbolic size; raise GeneralFormUnavailable where that cannot work."""
    dims = {d: sp.Symbol(d, integer=True, positive=True) for d in claim.dims}

    def size(x):
        return x if isinstance(x, int) else dims[x]

    values: dict[str, Any] = {}
    domains: dict[Any, tuple] = {}
    for d in claim.symbols:
        if d.kind == "scalar":
            values[d.name], domains[values[d.name]] = _scalar_symbol(d.name, claim)
        elif d.kind == "integer":
            values[d.name] = sp.Symbol(d.name, integer=True, positive=True)
            domains[values[d.name]] = ("integer", None)
        elif d.kind == "index":
            raise ops.GeneralFormUnavailable("an index symbol has no general form")
        else:
            r, c = d.shape
            values[d.name] = sp.MatrixSymbol(d.name, size(r), size(c))
    structure: dict[Any, Any] = {}
    for a in claim.assumptions:
        name = a.names[0]
        m = values[name]
        if a.kind == "symmetric":
            s = sp.MatrixSymbol(f"S_{name}", *m.shape)
            structure[m] = s + s.T
        elif a.kind == "skew-symmetric":
            s = sp.MatrixSymbol(f"S_{name}", *m.shape)
            structure[m] = s - s.T
        elif a.kind == "positive definite":
            low = sp.MatrixSymbol(f"L_{name}", *m.shape)
            structure[m] = low * low.T
        elif a.kind in ("invertible",) or a.kind in ("positive", "negative", "nonnegative",
                                                      "nonzero", "interval"):
            continue
        else:
            raise ops.GeneralFormUnavailable(f"no general form for the assumption {a}")
    return Instance(Env(values, dims, "general"), structure, domains)


# ----- Explicit (fixed size) -----


def _entries(name: str, rows: int, cols: int, kind: str) -> sp.Matrix:
    if kind == "vector":
        return sp.Matrix(rows, 1, lambda i, _: sp.Symbol(f"{name}_{i + 1}", real=True))
    return sp.Matrix(
        rows, cols, lambda i, j: sp.Symbol(f"{name}_{i + 1}{j + 1}", real=True)
    )


def explicit(
    claim: Claim, sizes: dict[str, int], index_values: dict[str, int] | None = None
) -> Instance:
    """Explicit matrices of scalar symbols at the given sizes, with the assumptions' structure."""
    index_values = index_values or {}

    def size(x):
        return x if isinstance(x, int) else sizes[x]

    values: dict[str, Any] = {}
    domains: dict[Any, tuple] = {}
    for d in claim.symbols:
        if d.kind == "scalar":
            sym, dom = _scalar_symbol(d.name, claim)
            values[d.name] = sym
            domains[sym] = dom
        elif d.kind == "integer":
            values[d.name] = sp.Symbol(d.name, integer=True, positive=True)
            domains[values[d.name]] = ("integer", None)
        elif d.kind == "index":
            values[d.name] = sp.Integer(index_values.get(d.name, 0))
        else:
            r, c = d.shape
            m = _entries(d.name, size(r), size(c), d.kind)
            values[d.name] = m
            for e in m:
                domains[e] = ("any", None)
    inst = Instance(
        Env(values, {k: sp.Integer(v) for k, v in sizes.items()}, "explicit"),
        {},
        domains,
        dict(sizes),
        dict(index_values),
    )
    for a in claim.assumptions:
        _add_structure(inst, a, values)
    return inst


def _add_structure(inst: Instance, a, values: dict[str, Any]) -> None:
    st, dom = inst.structure, inst.domains
    if a.kind in ("positive", "negative", "nonnegative", "nonzero", "interval", "invertible"):
        return  # scalar domains are set on the symbol; invertibility by rejection when sampling
    m = values[a.names[0]]
    n = m.shape[0]
    if a.kind == "symmetric":
        for i in range(n):
            for j in range(i):
                st[m[i, j]] = m[j, i]
                dom.pop(m[i, j], None)
    elif a.kind == "skew-symmetric":
        for i in range(n):
            st[m[i, i]] = sp.Integer(0)
            dom.pop(m[i, i], None)
            for j in range(i):
                st[m[i, j]] = -m[j, i]
                dom.pop(m[i, j], None)
    elif a.kind == "diagonal":
        for i in range(n):
            for j in range(n):
                if i != j:
                    st[m[i, j]] = sp.Integer(0)
                    dom.pop(m[i, j], None)
    elif a.kind == "orthogonal":
        name = a.names[0]
        k = sp.zeros(n, n)
        for i in range(n):
            for j in range(i + 1, n):
                s = sp.Symbol(f"k{name}_{i + 1}{j + 1}", real=True)
                k[i, j], k[j, i] = s, -s
                dom[s] = ("any", None)
        q = (sp.eye(n) - k) * ops.inv(sp.eye(n) + k)
        q = q.applyfunc(sp.cancel)
        for e in m:
            dom.pop(e, None)
        for i in range(n):
            for j in range(n):
                st[m[i, j]] = q[i, j]
    elif a.kind == "positive definite":
        name = a.names[0]
        low = sp.zeros(n, n)
        for i in range(n):
            for j in range(i + 1):
                pos = i == j
                s = sp.Symbol(f"l{name}_{i + 1}{j + 1}", real=True, positive=pos or None)
                low[i, j] = s
                dom[s] = ("positive", None) if pos else ("any", None)
        full = low * low.T
        for e in m:
            dom.pop(e, None)
        for i in range(n):
            for j in range(n):
                st[m[i, j]] = full[i, j]
    elif a.kind == "commute":
        am, bm = values[a.names[0]], values[a.names[1]]
        coeffs = [sp.Symbol(f"c{a.names[1]}_{k}", real=True) for k in range(n)]
        poly = sp.zeros(n, n)
        power = sp.eye(n)
        for c in coeffs:
            poly += c * power
            power = power * am
        for c in coeffs:
            dom[c] = ("any", None)
        for e in bm:
            dom.pop(e, None)
        poly = poly.xreplace(st)  # A may itself be structured
        for i in range(n):
            for j in range(n):
                st[bm[i, j]] = poly[i, j]
    elif a.kind == "sums to 1":
        p = values[a.names[0]]
        last = p[p.shape[0] - 1]
        st[last] = 1 - sp.Add(*[p[i] for i in range(p.shape[0] - 1)])
        dom.pop(last, None)
        # a probability vector: the free entries positive with a sum below 1, so that the
        # last is positive too and logarithms of the entries are defined
        for i in range(p.shape[0] - 1):
            dom[p[i]] = ("simplex", p.shape[0])


def side_values(inst: Instance, builder, claim: Claim, *, gradient_lhs: bool = False) -> Any:
    """Build one side with this instance and apply the structure map."""
    env = inst.env
    if gradient_lhs:
        x = env[claim.wrt]  # type: ignore[index]
        raw = ops.grad(claim.f(env), x, claim.layout)  # type: ignore[misc]
    else:
        raw = builder(env)
    return inst.apply(raw)


@contextlib.contextmanager
def derivative_log():
    """Collect the general-form matrix derivatives taken inside the block."""
    log: list = []
    token = ops.DERIVATIVE_LOG.set(log)
    try:
        yield log
    finally:
        ops.DERIVATIVE_LOG.reset(token)
