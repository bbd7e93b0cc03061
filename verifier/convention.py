"""Derivatives by a structured symbol: a verdict that depends on the convention stands down.

A claim that differentiates by a matrix assumed symmetric (skew, diagonal, orthogonal,
positive definite) or by a vector assumed to sum to 1 differentiates a function on a set of
lower dimension.  The engine takes the partial derivatives of the expression as written, its
entries independent, and then puts the structure in: ∂tr(AX)/∂X = Aᵀ at a symmetric X.  That
is one convention; the gradient of the function on the set (for the Frobenius inner product:
the projection of that derivative onto the set's tangent space, (G + Gᵀ)/2 for symmetric
matrices) is another, and the two give different answers to the same claim: tr(AX) and tr(AXᵀ)
are one function on symmetric matrices, with entry-wise derivatives Aᵀ and A.

A verdict is kept only where the conventions agree: both sides built with the projected
derivative are identical to the sides as built, element-wise at the claim's small sizes (a
proof or a check), or the counterexample is certified under the projected derivative too (a
refutation).  Elsewhere the claim is ``undecided`` and the detail says why.  A derivative by a
set whose tangent space has no projection here (a commuting pair, orthogonal and symmetric
together, a finite set) stands down whenever the conventions could differ.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from typing import Any

import sympy as sp

from verifier import ops
from verifier.claim import Claim
from verifier.domains import entry_name, matrix_properties
from verifier.verdict import Verdict

__all__ = ["convention_verdict", "structured_derivatives"]

_NO_PROJECTION = "no projection"


def structured_derivatives(claim: Claim) -> dict[str, str]:
    """The symbols the claim differentiates by whose assumptions confine them to a set of lower
    dimension, each with the name of its tangent projection (or ``_NO_PROJECTION``); none
    when the claim states its convention (nothing then depends on it)."""
    return {} if claim.convention else _confined(claim)


def _confined(claim: Claim) -> dict[str, str]:
    from verifier.audit import differentiated

    names = differentiated(claim)
    if not names:
        return {}
    out: dict[str, str] = {}
    for name in names:
        props = set(matrix_properties(claim, name))
        commuting = any(a.kind == "commute" and name in a.names for a in claim.assumptions)
        simplex = any(a.kind == "sums to 1" and a.names[0] == name for a in claim.assumptions)
        if not (props or commuting or simplex):
            continue
        if commuting or (simplex and props):
            out[name] = _NO_PROJECTION
        elif simplex:
            out[name] = "simplex"
        elif props <= {"symmetric", "positive definite"}:
            out[name] = "symmetric"
        elif props == {"skew-symmetric"}:
            out[name] = "skew"
        elif "diagonal" in props and props <= {"diagonal", "symmetric", "positive definite"}:
            out[name] = "diagonal"
        elif props == {"orthogonal"}:
            out[name] = "orthogonal"
        else:  # several structures at once: a smaller manifold or a finite set
            out[name] = _NO_PROJECTION
    return out


def _project(kind: str, x: sp.Matrix, g: sp.Matrix) -> sp.Matrix:
    """The derivative g (entries independent, x's shape) projected onto the tangent space of
    the set at x, for the Frobenius inner product."""
    if kind == "symmetric":
        return (g + g.T) / 2
    if kind == "skew":
        return (g - g.T) / 2
    if kind == "diagonal":
        return sp.diag(*[g[i, i] for i in range(g.rows)])
    if kind == "orthogonal":  # T_Q = Q·skew: P(G) = Q skew(QᵀG) = (G − Q Gᵀ Q)/2
        return (g - x * g.T * x) / 2
    if kind == "simplex":  # T_p = {v : Σ v = 0}
        return g - sp.ones(*g.shape) * (sum(g) / len(g))
    raise _Unprojectable(kind)


class _Unprojectable(Exception):
    pass


def _name_of(x: Any) -> str | None:
    """The declared name of an explicit matrix of entry symbols (x_1, … or X_11, …)."""
    if not isinstance(x, sp.MatrixBase) or not len(x) or not isinstance(x[0], sp.Symbol):
        return None
    return str(x[0]).rsplit("_", 1)[0]  # the first entry, x_1 or X_11: its name's prefix


@contextlib.contextmanager
def projected(kinds: dict[str, str]):
    """Within the block, every derivative by one of ``kinds``' symbols is projected."""

    def hook(x: Any, g: Any) -> Any:
        prefix = _name_of(x)
        name = prefix.rstrip("'") if prefix else None  # primed apart from another symbol
        if name not in kinds:
            return g
        if x.cols == 1:
            expected = [entry_name(prefix, i) for i in range(x.rows)]
        else:
            expected = [entry_name(prefix, i, j) for i in range(x.rows) for j in range(x.cols)]
        if [str(e) for e in x] != expected:
            return g
        if g is None:  # a jacobian or hessian by the symbol: no projection of those here
            raise _Unprojectable(kinds[name])
        return _project(kinds[name], x, sp.Matrix(g))

    token = ops.GRAD_PROJECTION.set(hook)
    try:
        yield
    finally:
        ops.GRAD_PROJECTION.reset(token)


def _same(a: Any, b: Any) -> bool:
    from verifier.audit import as_matrix

    a, b = as_matrix(a), as_matrix(b)
    if a.shape != b.shape:
        return False
    return all(sp.cancel(sp.expand(u - v)) == 0 for u, v in zip(a, b, strict=True))


def _agree_at_sizes(claim: Claim, kinds: dict[str, str]) -> str | None:
    """None when the projected derivative leaves both sides as they are, element-wise at
    the claim's smallest buildable sizes (every structure component); else why not."""
    from verifier.instantiate import (
        Unsupported,
        all_components,
        both_sides,
        explicit,
        refutation_sizes,
    )

    checked = 0
    for sizes in refutation_sizes(claim)[:3]:
        if any(v < 2 for v in sizes.values()) and len(refutation_sizes(claim)) > 1:
            continue  # 1×1: every structure is trivial there
        try:
            comps = all_components(claim, sizes)
        except Exception:  # noqa: BLE001 - not buildable at this size
            continue
        for k in comps:
            try:
                inst = explicit(claim, sizes, component=k)
                plain = both_sides(inst, claim)
                with projected(kinds):
                    proj = both_sides(inst, claim)
            except _Unprojectable:
                return "no projection onto its tangent space is known here"
            except Unsupported:
                return "its assumptions have no parametrisation to compare the conventions on"
            except Exception:  # noqa: BLE001 - not buildable at this size
                break
            for p, q in zip(plain, proj, strict=True):
                if not _same(p, q):
                    return (f"at {_sizes_text(sizes)} the derivative with independent entries "
                            "is not in the set's tangent space")
            checked += 1
        if checked >= 2:
            return None
    return None if checked else "the conventions could not be compared at any size"


def _sizes_text(sizes: dict[str, int]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sizes.items()) or "its size"


_WHY = {"symmetric": "(G + Gᵀ)/2 on symmetric matrices (by the n(n+1)/2 free entries, each "
                     "Xᵢⱼ = Xⱼᵢ taken once, arranged as a matrix: G + Gᵀ − diag(G))",
        "skew": "(G − Gᵀ)/2 on skew-symmetric matrices",
        "diagonal": "the diagonal of G on diagonal matrices",
        "orthogonal": "(G − Q Gᵀ Q)/2 on orthogonal matrices",
        "simplex": "G − mean(G) on the probability simplex"}


def convention_verdict(claim: Claim, verdict: Verdict) -> Verdict:
    """The verdict, if it does not depend on the derivative's convention; else ``undecided``.
    A claim that states the entry-wise convention keeps its verdict, which says so."""
    if verdict.status not in ("proved", "proved-at-sizes", "checked", "refuted", "conditional"):
        return verdict
    try:
        kinds = _confined(claim)
    except Exception:  # noqa: BLE001 - no small build: nothing differentiated is known
        return verdict
    if not kinds:
        return verdict
    names = ", ".join(sorted(kinds))
    if claim.convention == "entry-wise":
        projections = "; ".join(_WHY.get(k, "none known") for _, k in sorted(kinds.items()))
        return replace(verdict, detail=f"{verdict.detail}; the derivative by {names} as "
                       "stated: entry-wise (its entries independent), evaluated on the assumed "
                       f"set; the gradient on the set is its projection, {projections}")
    cx = verdict.counterexample
    if verdict.status in ("refuted", "conditional") and (cx is None or not cx.values):
        return verdict  # shapes differ: the same under every convention
    why = _agree_at_sizes(claim, kinds)
    if why is None:
        return replace(verdict, detail=f"{verdict.detail}; the derivative by {names} is the same "
                       "with independent entries and on the assumed set (element-wise at small "
                       "sizes)")
    if verdict.status in ("refuted", "conditional"):
        if _NO_PROJECTION not in kinds.values() and _differs_projected(claim, kinds, cx):
            # false under both conventions; a condition found for one convention is dropped
            return replace(verdict, status="refuted", condition=None, condition_evidence=None,
                           detail=f"{verdict.detail}; the counterexample holds also with the "
                           f"derivative by {names} taken on the assumed set")
    conventions = "; ".join(f"{n}: {_WHY.get(k, 'no projection known')}"
                            for n, k in sorted(kinds.items()))
    return Verdict("undecided", verdict.method,
                   detail=f"the derivative by {names}, a symbol confined by its assumptions, "
                   f"depends on the convention ({why}): entry-wise, {verdict.status}; the "
                   f"gradient on the set ({conventions}) may differ; no verdict (a claim that "
                   'means the entry-wise derivative states convention = "entry-wise", or '
                   "--convention entry-wise)")



def _differs_projected(claim: Claim, kinds: dict[str, str], cx: Any) -> bool:
    from verifier.audit import audit

    try:
        with projected(kinds):
            return audit(claim, cx).differs
    except _Unprojectable:
        return False
