"""Mutants of true claims: the same claim with one side rewritten the way people slip.

A side of a claim is a builder (a Python callable), so a mutant wraps the original builder:
it builds the original and rewrites the *built* SymPy expression.  The rewrite must mean
the same thing in every instantiation the engine uses (general matrix symbols and explicit
matrices at several sizes), or the engine would be judged on a different formula in each:

- *value* operators act on the whole side (−E, 2E, E/2, Eᵀ, E + X): the same in any mode;
- *symbol* replacement hands the builder an environment where X reads as Y;
- *tree* operators (swap two factors of a product, drop or add a transpose, an inverse
  made a transpose, drop a term) rewrite one node of the general-dimension expression.
  An explicit matrix has no tree left, so in explicit mode the side is built in general
  dimension, rewritten there, and then the explicit matrices are substituted for the
  matrix symbols (``replay``).  A claim whose replay does not reproduce its own explicit
  side (checked when the candidates are listed) gets no tree operators.

A mutation is a small frozen record (claim id, side, operator, argument), so candidates
can be listed in worker processes and sent back; ``mutant`` turns one into a Claim.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from verifier.claim import FAILS, Claim

__all__ = ["OPERATORS", "Mutation", "candidates", "mutant", "sample"]

# operator -> what it does, as the report says it
OPERATORS = {
    "negate": "flip the sign",
    "double": "scale by 2",
    "halve": "scale by 1/2",
    "transpose": "transpose the whole side",
    "add_symbol": "add a symbol of the same shape",
    "replace_symbol": "replace a symbol by another of the same shape",
    "swap_factors": "swap two factors of a product",
    "drop_transpose": "drop a transpose",
    "add_transpose": "transpose one occurrence of a symbol",
    "inverse_to_transpose": "replace an inverse by a transpose",
    "drop_term": "drop a term of a sum",
}
VALUE_OPS = ("negate", "double", "halve", "transpose")
TREE_OPS = ("swap_factors", "drop_transpose", "add_transpose", "inverse_to_transpose",
            "drop_term")


@dataclass(frozen=True)
class Mutation:
    """One rewrite of one side of one claim; ``arg`` is a node number or symbol names."""

    target: str  # claim id, or "<derivation id>#<step>"
    side: str  # "lhs" | "rhs"
    op: str
    arg: tuple = ()

    @property
    def id(self) -> str:
        tail = "-".join(str(a) for a in self.arg)
        return f"{self.target}.mut-{self.side}-{self.op}" + (f"-{tail}" if tail else "")

    def describe(self) -> str:
        what = OPERATORS[self.op]
        if self.op in TREE_OPS:
            what += f" (node {self.arg[0]}, site {self.arg[1]})"
        elif self.arg:
            what += f" ({' -> '.join(self.arg)})"
        return f"{self.side}: {what}"


# ----- the rewrites -----


def _sp():
    import sympy

    return sympy


def _value_rewrite(op: str, e: Any, env: Any, arg: tuple) -> Any:
    sp = _sp()
    if op == "negate":
        return -e
    if op == "double":
        return 2 * e
    if op == "halve":
        return e / 2
    if op == "transpose":
        return e.T if isinstance(e, sp.MatrixBase | sp.MatrixExpr) else e
    if op == "add_symbol":
        return e + env[arg[0]]
    raise ValueError(op)


def _is_mat(x: Any) -> bool:
    sp = _sp()
    return isinstance(x, sp.MatrixExpr)


def _eligible(op: str, node: Any) -> int:
    """How many ways ``op`` applies at this node (0: not here)."""
    sp = _sp()
    if op == "swap_factors" and isinstance(node, sp.MatMul):
        mats = [a for a in node.args if _is_mat(a)]
        return max(0, len(mats) - 1)
    if op == "drop_transpose" and isinstance(node, sp.Transpose):
        return 1
    if op == "add_transpose" and isinstance(node, sp.MatrixSymbol):
        return int(node.shape[0] == node.shape[1] != 1)  # a square one: the shapes still fit
    if op == "inverse_to_transpose" and isinstance(node, sp.Inverse):
        return 1
    if op == "drop_term" and isinstance(node, sp.MatAdd | sp.Add) and len(node.args) >= 2:
        return len(node.args)
    return 0


def _apply_at(op: str, node: Any, k: int) -> Any:
    sp = _sp()
    if op == "swap_factors":
        args = list(node.args)
        pos = [i for i, a in enumerate(args) if _is_mat(a)]
        i, j = pos[k], pos[k + 1]
        args[i], args[j] = args[j], args[i]
        return sp.MatMul(*args)
    if op == "drop_transpose":
        return node.arg
    if op == "add_transpose":
        return sp.Transpose(node)
    if op == "inverse_to_transpose":
        return sp.Transpose(node.arg)
    if op == "drop_term":
        rest = node.args[:k] + node.args[k + 1 :]
        return node.func(*rest)
    raise ValueError(op)


def _sites(op: str, expr: Any) -> list[tuple[int, int]]:
    """Every (node number, variant) where ``op`` applies, nodes numbered in preorder."""
    out: list[tuple[int, int]] = []
    for n, node in enumerate(_preorder(expr)):
        out.extend((n, k) for k in range(_eligible(op, node)))
    return out


def _leaf(e: Any) -> bool:
    """Nodes not to rewrite inside: symbols, and sum limits, indices and conditions
    (dropping a term of ``N - 1`` in a sum's limit is not a slip anyone makes)."""
    sp = _sp()
    from sympy.matrices.expressions.matexpr import MatrixElement

    return (
        not isinstance(e, sp.Basic)
        or not e.args
        or isinstance(e, sp.MatrixSymbol | sp.Symbol | sp.Tuple | sp.Indexed)
        or isinstance(e, MatrixElement | sp.logic.boolalg.Boolean)
    )


def _preorder(expr: Any):
    yield expr
    if not _leaf(expr):
        for a in expr.args:
            yield from _preorder(a)


def _tree_rewrite(op: str, expr: Any, node_no: int, k: int) -> Any:
    counter = [-1]

    def walk(e: Any) -> Any:
        counter[0] += 1
        if counter[0] == node_no:
            return _apply_at(op, e, k)
        if _leaf(e):
            return e
        new = [walk(a) for a in e.args]
        return e if all(a is b for a, b in zip(new, e.args, strict=True)) else e.func(*new)

    out = walk(expr)
    if counter[0] < node_no:
        raise ValueError(f"no node {node_no}")
    return out


# ----- replay: general tree -> explicit matrices -----


def replay(expr: Any, general_env: Any, explicit_env: Any) -> Any:
    """Substitute an explicit instance's matrices and sizes into a general-dimension tree."""
    sp = _sp()
    rule: dict[Any, Any] = {}
    for name, v in general_env._values.items():
        ev = explicit_env[name]
        rule[v] = sp.ImmutableMatrix(ev) if isinstance(v, sp.MatrixSymbol) else ev
    for name, d in general_env._dims.items():
        rule[d] = explicit_env._dims[name]
    out = expr.xreplace(rule).doit()
    if isinstance(out, sp.MatrixExpr) and not isinstance(out, sp.MatrixBase):
        out = out.as_explicit()
    if isinstance(out, sp.MatrixBase):
        return sp.Matrix(out)
    return out


class _Swapped:
    """An environment where one symbol reads as another (everything else unchanged)."""

    def __init__(self, env: Any, old: str, new: str):
        self._env, self._old, self._new = env, old, new

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._env, self._new if name == self._old else name)

    def __getitem__(self, name: str) -> Any:
        return self.__getattr__(name)


def _side_builder(claim: Claim, side: str) -> Callable[[Any], Any]:
    return claim.lhs if side == "lhs" else claim.rhs  # type: ignore[return-value]


def mutant_builder(claim: Claim, m: Mutation) -> Callable[[Any], Any]:
    """The mutated side's builder: build the original side, then rewrite it."""
    original = _side_builder(claim, m.side)
    if m.op in VALUE_OPS or m.op == "add_symbol":
        return lambda s: _value_rewrite(m.op, original(s), s, m.arg)
    if m.op == "replace_symbol":
        return lambda s: original(_Swapped(s, m.arg[0], m.arg[1]))
    node_no, k = m.arg

    def build(s: Any) -> Any:
        if s.mode == "general":
            return _tree_rewrite(m.op, original(s), node_no, k)
        from verifier.instantiate import general

        genv = general(claim).env
        return replay(_tree_rewrite(m.op, original(genv), node_no, k), genv, s)

    return build


def mutant(claim: Claim, m: Mutation) -> Claim:
    """The claim with one side mutated: expected to fail, no implementation attached."""
    fields: dict[str, Any] = {m.side: mutant_builder(claim, m)}
    return replace(
        claim, id=m.id, title=f"{claim.title} [{m.describe()}]", expect=FAILS,
        implementation=None, impl_args=None, impl_kwargs=None, xfail=None, fingerprint=m.id,
        **fields,
    )


# ----- listing the candidates of one claim -----


def _shape_key(x: Any, sizes: dict[str, int]) -> tuple | None:
    sp = _sp()
    if isinstance(x, sp.MatrixBase | sp.MatrixExpr):
        return tuple(int(d) for d in x.shape)
    return (1, 1) if isinstance(x, sp.Expr) else None


def _decl_shape(d: Any, sizes: dict[str, int]) -> tuple[int, int]:
    return tuple(x if isinstance(x, int) else sizes[x] for x in d.shape)  # type: ignore[return-value]


def candidates(claim: Claim) -> list[Mutation]:
    """Every mutation that applies to this claim (gradient claims: right-hand side only)."""
    import sympy as sp

    from verifier.instantiate import general
    from verifier.selftest.symbolic import explicit_env, size_sets

    sides = ("rhs",) if claim.kind == "gradient" else ("lhs", "rhs")
    out: list[Mutation] = []
    for side in sides:
        builder = _side_builder(claim, side)
        # shapes at every default size: a symbol matches only if it matches at all of them
        built = []
        for sizes in size_sets(claim):
            env = explicit_env(claim, sizes)
            built.append((sizes, env, builder(env)))
        keys = [_shape_key(v, sz) for sz, _, v in built]
        if keys[0] is None:
            continue
        is_scalar = keys[0] == (1, 1) and not isinstance(built[0][2], sp.MatrixBase)
        out += [Mutation(claim.id, side, op) for op in ("negate", "double", "halve")]
        if not is_scalar and all(k is not None and k[0] == k[1] != 1 for k in keys):
            out.append(Mutation(claim.id, side, "transpose"))
        used = set()
        for _, env, v in built[:1]:
            free = getattr(v, "free_symbols", set())
            for d in claim.symbols:
                val = env[d.name]
                entries = set(val) if isinstance(val, sp.MatrixBase) else {val}
                if entries & free:
                    used.add(d.name)
        for d in claim.symbols:
            if d.kind not in ("scalar", "vector", "matrix"):
                continue
            if all(_decl_shape(d, sz) == k for (sz, _, _), k in zip(built, keys, strict=True)):
                if is_scalar == (d.kind == "scalar"):
                    out.append(Mutation(claim.id, side, "add_symbol", (d.name,)))
            if d.name not in used:
                continue
            for e in claim.symbols:
                if e.name != d.name and e.kind == d.kind and e.dims == d.dims:
                    out.append(Mutation(claim.id, side, "replace_symbol", (d.name, e.name)))
        out += _tree_candidates(claim, side, builder, built, general)
    return out


def _tree_candidates(claim, side, builder, built, general) -> list[Mutation]:
    try:
        genv = general(claim).env
        tree = builder(genv)
    except Exception:  # noqa: BLE001 - no general form: no tree operators
        return []
    if not isinstance(tree, _sp().Basic):
        return []
    if not _replay_agrees(tree, genv, built):
        return []
    return [
        Mutation(claim.id, side, op, site)
        for op in TREE_OPS
        for site in _sites(op, tree)
        if _well_formed(_tree_rewrite(op, tree, *site))
    ]


def _well_formed(expr: Any) -> bool:
    """Do the shapes still fit, in general dimension?  (A swap of non-conforming factors
    is not a formula at all: the engine calls it an error, and it would count for nothing.)
    """
    sp = _sp()
    for node in _preorder(expr):
        if isinstance(node, sp.MatMul):
            mats = [a for a in node.args if _is_mat(a)]
            if any(a.shape[1] != b.shape[0] for a, b in zip(mats, mats[1:], strict=False)):
                return False
        elif isinstance(node, sp.MatAdd):
            if len({a.shape for a in node.args if _is_mat(a)}) > 1:
                return False
        elif isinstance(node, sp.Inverse | sp.Trace | sp.Determinant):
            if node.arg.shape[0] != node.arg.shape[1]:
                return False
    return True


def _replay_agrees(tree: Any, genv: Any, built: Sequence) -> bool:
    """Does the replayed tree equal the explicit side at a random rational point?"""
    sp = _sp()
    rng = random.Random(0)
    try:
        for _, env, value in built:
            again = replay(tree, genv, env)
            a = sp.Matrix(value) if isinstance(value, sp.MatrixBase) else sp.Matrix([[value]])
            b = sp.Matrix(again) if isinstance(again, sp.MatrixBase) else sp.Matrix([[again]])
            if a.shape != b.shape:
                return False
            syms = sorted(a.free_symbols | b.free_symbols, key=str)
            point = {s: sp.Rational(rng.randint(-9, 9), rng.randint(1, 5)) or 1 for s in syms}
            diff = (a - b).xreplace(point).evalf(30)
            if any(abs(t) > 1e-20 for t in diff):
                return False
    except Exception:  # noqa: BLE001 - a tree SymPy cannot replay gets no tree operators
        return False
    return True


# ----- a seeded sample over many claims -----


def sample(pool: dict[str, list[Mutation]], n: int, seed: int) -> list[Mutation]:
    """Up to ``n`` mutations spread evenly over claims and over operators.

    Claims are visited round-robin in a seeded order; each visit takes, among the operators
    the claim has left, the one chosen least often so far (ties broken at random), and a
    random site of it.  So a rare operator (an inverse made a transpose) is taken wherever
    it applies, and the three that apply everywhere (sign, 2, 1/2) do not crowd the rest.
    """
    rng = random.Random(seed)
    left: dict[str, dict[str, list[Mutation]]] = {}
    for target in sorted(pool):
        by_op: dict[str, list[Mutation]] = {}
        for m in pool[target]:
            by_op.setdefault(m.op, []).append(m)
        for ms in by_op.values():
            rng.shuffle(ms)
        left[target] = by_op
    order = sorted(left)
    rng.shuffle(order)
    taken: dict[str, int] = dict.fromkeys(OPERATORS, 0)
    chosen: list[Mutation] = []
    while len(chosen) < n and any(left[t] for t in order):
        for t in order:
            if len(chosen) >= n:
                break
            ops = sorted(left[t])
            if not ops:
                continue
            rng.shuffle(ops)
            op = min(ops, key=lambda o: taken[o])
            chosen.append(left[t][op].pop())
            taken[op] += 1
            if not left[t][op]:
                del left[t][op]
    return chosen
