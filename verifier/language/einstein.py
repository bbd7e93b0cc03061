"""Einstein's convention, which the language does not read: an index repeated in a product and
summed without a Σ (``A_{ij} x_j = (A x)_i``, ``x_i y_i = xᵀy``).  The language reads a free
index as *every value* (A_ij x_j = (Ax)_i for every i and j: false), so a claim written that
way would be refuted where its writer meant it true.  Such a claim is refused: an index
repeated in one product of one side, free there and absent from the other side's free
indices, with the Σ to write (``x_i = x_i`` and ``softmax(z)_i <= 1``, an index once or on
both sides, are read as before: for every value)."""

from __future__ import annotations

from verifier.language.evaluate import free_indices
from verifier.language.tree import (
    Binary,
    Node,
    Subscript,
    children,
)

__all__ = ["repeated_free_indices"]


def repeated_free_indices(node: Node) -> frozenset[str]:
    """Free indices that stand in two factors of one product in ``node``, each factor an
    entry (a subscript)."""
    out: set[str] = set()
    _visit(node, out)
    return frozenset(out) & free_indices(node)


def _visit(node: Node, out: set[str]) -> None:
    if isinstance(node, Binary) and node.op == "*":
        factors = _factors(node)
        seen: set[str] = set()
        for factor in factors:  # entries only (x_i, A_ij, (Ax)_i): σ(z_i)(1 − σ(z_i)) ≤ 1/4
            if not isinstance(factor, Subscript):  # is claimed for every i, not summed
                continue
            found = free_indices(factor)
            out |= seen & found
            seen |= found
        for factor in factors:
            _visit(factor, out)
        return
    for child in children(node):
        _visit(child, out)


def _factors(node: Node) -> list[Node]:
    if isinstance(node, Binary) and node.op == "*":
        return _factors(node.left) + _factors(node.right)
    return [node]
