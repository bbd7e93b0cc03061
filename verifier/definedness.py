"""Where a claim's sides are defined: the conditions, in the assumption vocabulary.

Building a side records every operation that needs something of its operand (``ops``):
an inverse needs an invertible matrix, a division a nonzero denominator, a logarithm a
positive argument, a square root a non-negative one.  The claim language names each operand
as the claim writes it ("X.T @ X invertible", "var(x) nonzero").  A condition is *assumed*
when the claim assumes it (word for word, or "A invertible" from "A orthogonal"/"A positive
definite", "s nonzero" from "s positive" …) or when SymPy shows that it always holds
(exp(x) positive); otherwise it is reported as not assumed: a proof holds where it holds.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from verifier import ops
from verifier.audit import small_build
from verifier.claim import Claim
from verifier.domains import Contradictory, entry_domain, scalar_domain
from verifier.instantiate import both_sides, general
from verifier.language import ClaimInputError, compile_expression
from verifier.strategies.nonnegative import certify
from verifier.verdict import Requirement

__all__ = ["requirements"]

# the signs a sign assumption implies, of the same expression
_IMPLIED_BY = {"positive": ("nonzero", "nonnegative"), "negative": ("nonzero",)}

# what a declared matrix's own assumptions make invertible
_INVERTIBLE_FROM = ("invertible", "orthogonal", "positive definite")


def _record(claim: Claim, inst) -> list[ops.Requirement]:
    log: list = []
    token = ops.REQUIREMENTS.set(log)
    try:
        both_sides(inst, claim)
    finally:
        ops.REQUIREMENTS.reset(token)
    return [r for r in log if r.kind not in ("kink", "unique max")]


def _built(claim: Claim, general_build: tuple | None) -> tuple[list[ops.Requirement], Any]:
    """The requirements of one build: the general form (whose operands read as matrices,
    "X.T @ X"; the strategies' own build when given), else the build at the smallest size
    that the audit's plan made anyway."""
    if general_build is not None:
        return general_build
    try:
        inst = general(claim)
        return _record(claim, inst), inst
    except Exception:  # noqa: BLE001 - no general form: the explicit one names the same
        pass
    b = small_build(claim)
    if b is None:
        return [], None
    return [r for r in b.requirements if r.kind not in ("kink", "unique max")], b.instance


def _text(r: ops.Requirement) -> str:
    """The operand as the claim writes it, or a readable stand-in for a Python builder's."""
    if r.subject:
        return r.subject
    value = r.value
    if isinstance(value, sp.MatrixExpr) and not isinstance(value, sp.MatrixBase):
        return _matrix_text(value)
    text = sp.sstr(value)
    return text if len(text) <= 40 else f"the argument of {r.what}"


def _matrix_text(e: Any) -> str:
    """A general matrix expression in the claim language (X.T @ X, inv(A), trace(B))."""
    if isinstance(e, sp.MatrixSymbol):
        return e.name
    if isinstance(e, sp.Transpose):
        inner = _matrix_text(e.arg)
        return f"{inner}.T" if isinstance(e.arg, sp.MatrixSymbol) else f"({inner}).T"
    if isinstance(e, sp.Inverse):
        return f"inv({_matrix_text(e.arg)})"
    if isinstance(e, sp.MatMul):
        return " @ ".join(_matrix_text(a) if isinstance(a, sp.MatrixExpr) else sp.sstr(a)
                          for a in e.args)
    if isinstance(e, sp.MatAdd):
        return " + ".join(_matrix_text(a) for a in e.args)
    if isinstance(e, sp.Identity):
        return f"eye({e.shape[0]})"
    return sp.sstr(e)


def _phrase(kind: str, text: str) -> str:
    return f"{text} {kind}"


def _simpler(kind: str, text: str) -> tuple[str, str]:
    """√E ≠ 0 is E ≠ 0 (E ≥ 0 is its own requirement): name the plainer operand."""
    if kind == "nonzero" and text.startswith("sqrt(") and text.endswith(")") and \
            text.count("(") == text[5:].count("(") + 1:
        return kind, text[5:-1]
    return kind, text


def _normal(text: str) -> str:
    return " ".join(text.replace(" ", "").split())


def _assumed_by(claim: Claim, kind: str, text: str) -> str:
    """Which of the claim's assumptions implies this condition ("" if none)."""
    wanted = _normal(_phrase(kind, text))
    for a in claim.assumptions:
        if _normal(a.phrase()) == wanted:
            return a.phrase()
        # a stronger sign of the same expression: "norm(x) positive" gives "norm(x) nonzero"
        if a.compound and kind in _IMPLIED_BY.get(a.kind, ()) and len(a.names) == 1 \
                and _normal(a.names[0]) == _normal(text):
            return a.phrase()
    det_of = re.fullmatch(r"det\((\w+)\)", text.replace(" ", ""))
    if det_of and kind in ("nonzero", "positive", "nonnegative"):
        # det X > 0 for X positive definite; det X ≠ 0 for any invertible X
        kinds = ("positive definite",) if kind != "nonzero" else _INVERTIBLE_FROM
        for a in claim.assumptions:
            if a.names == (det_of.group(1),) and a.kind in kinds:
                return a.phrase()
    if kind == "invertible":
        return _invertible_by(claim, text.replace(" ", ""))
    affine = _affine_assumed(claim, kind, text)
    if affine:
        return affine
    name = text
    entry = _ENTRY.fullmatch(text.replace(" ", ""))
    if entry and claim.decls.get(entry.group(1)) is not None and \
            claim.decls[entry.group(1)].kind in ("vector", "matrix"):
        name = entry.group(1)  # x[j]: one entry of x, whose assumptions hold for every entry
    decl = claim.decls.get(name)
    if decl is None:
        return ""
    if decl.kind in ("scalar", "integer", "vector", "matrix"):  # of each entry
        try:
            dom = scalar_domain(claim, name) if decl.kind in ("scalar", "integer") \
                else entry_domain(claim, name)
        except Contradictory:
            return ""
        zero = sp.Integer(0)
        implied = {
            "nonzero": not dom.contains(zero) and (dom.nonzero or dom.lo is not None
                                                   or dom.hi is not None),
            "positive": dom.lo is not None and (dom.lo > 0 or (dom.lo == 0 and dom.open_lo)),
            "nonnegative": dom.lo is not None and dom.lo >= 0,
        }.get(kind, False)
        if implied:
            return f"the assumptions on {name}"
    return ""


def _affine_assumed(claim: Claim, kind: str, text: str) -> str:
    """An affine image a·v + b of one symbol v (1 − p, 2p + 1), entry by entry: positive,
    nonnegative or nonzero by v's interval ("p in (0, 1)" makes 1 − p positive for a
    vector p as for a scalar one); "" when not shown."""
    if kind not in ("positive", "nonnegative", "nonzero") or not _AFFINE_TEXT.fullmatch(text):
        return ""
    # every name a Symbol: sympify alone reads N, Q, S, E, I, beta, gamma as SymPy's own
    # (a dimension N was sp.N, a function, and its requirement "could not be determined")
    names = {n: sp.Symbol(n) for n in (*claim.decls, *re.findall(r"[A-Za-z_]\w*", text))}
    try:
        e = sp.sympify(text.replace(" ", ""), locals=names)
    except (sp.SympifyError, SyntaxError, TypeError, AttributeError):
        return ""
    if not isinstance(e, sp.Expr):
        return ""
    if len(e.free_symbols) != 1:
        return ""
    (v,) = e.free_symbols
    decl = claim.decls.get(v.name)
    if decl is None or decl.kind not in ("scalar", "integer", "vector", "matrix"):
        return ""
    a, b = e.diff(v), e.subs(v, 0)
    if not (a.is_Rational and b.is_Rational and e == a * v + b) or a == 0:
        return ""
    try:
        dom = scalar_domain(claim, v.name) if decl.kind in ("scalar", "integer") \
            else entry_domain(claim, v.name)
    except Contradictory:
        return ""
    a, b = Fraction(int(a.p), int(a.q)), Fraction(int(b.p), int(b.q))
    ends = [(dom.lo, dom.open_lo), (dom.hi, dom.open_hi)]
    (lo, open_lo), (hi, open_hi) = ends if a > 0 else ends[::-1]
    lo = None if lo is None else a * lo + b
    hi = None if hi is None else a * hi + b
    above = lo is not None and (lo > 0 or (lo == 0 and open_lo))
    below = hi is not None and (hi < 0 or (hi == 0 and open_hi))
    shown = {"positive": above, "nonnegative": lo is not None and lo >= 0,
             "nonzero": above or below}[kind]
    return f"the assumptions on {v.name}" if shown else ""


# a number times a name plus a number, as the printer writes it: 1 - p, 2*p + 1, -p
_AFFINE_TEXT = re.compile(r"[\w\s+\-*/().]+")
_FACTOR = re.compile(r"(\w+)(\.T)?|inv\((\w+)\)")
_KRON = re.compile(r"kron\(([^(),]+),([^(),]+)\)")  # kron(A,B) of two plain factors
_ENTRY = re.compile(r"(\w+)\[[^\[\]]*\]")  # an entry of a symbol: x[j], A[i, k]


def _invertible_by(claim: Claim, text: str) -> str:
    """The assumptions that make the matrix `text` (spaces removed) invertible ("" if none):
    a square symbol assumed invertible, orthogonal or positive definite, or with a nonzero
    determinant (det(X) positive, negative or nonzero); its transpose and its inverse; and a
    product of such square factors of one size (a product of invertible matrices is)."""
    kron = _KRON.fullmatch(text)
    if kron:  # A ⊗ B is invertible when A and B are (its inverse is A⁻¹ ⊗ B⁻¹)
        reasons = [_invertible_by(claim, f) for f in kron.groups()]
        return "; ".join(dict.fromkeys(reasons)) if all(reasons) else ""
    factors = text.split("@")
    if len(factors) > 1:
        matched = [_FACTOR.fullmatch(f) for f in factors]
        names = [m.group(1) or m.group(3) for m in matched if m]
        decls = [claim.decls.get(n) for n in names]
        if len(names) < len(factors) or any(d is None or not d.is_square for d in decls) \
                or len({d.dims for d in decls}) > 1:  # type: ignore[union-attr]
            return ""
        reasons = [_invertible_by(claim, n) for n in names]
        return "; ".join(dict.fromkeys(reasons)) if all(reasons) else ""
    m = _FACTOR.fullmatch(text)
    name = m and (m.group(1) or m.group(3))
    decl = claim.decls.get(name) if name else None
    if decl is None or not decl.is_square:
        return ""
    for a in claim.assumptions:
        if a.names == (name,) and a.kind in _INVERTIBLE_FROM:
            return a.phrase()
        if a.compound and _normal(a.names[0]) == f"det({name})" and \
                a.kind in ("positive", "negative", "nonzero"):
            return a.phrase()
    return ""


_SHOWN_OPS = 400  # a larger expression is not expanded to show its sign


def _positive(e: Any) -> bool:
    """SymPy shows e > 0 everywhere: as written, factor by factor (a power of a positive
    base is positive, so is a product over an index range), or over a common denominator
    with σ written out (1 − σ(u) = e⁻ᵘ/(1 + e⁻ᵘ))."""
    if e.is_positive:
        return True
    if e.is_Mul:
        return all(_positive(f) for f in e.args)
    if isinstance(e, sp.Product):
        return _positive(e.function)
    if e.is_Pow and e.exp.is_real:
        return _positive(e.base)
    if sp.count_ops(e) > _SHOWN_OPS:
        return False  # expanding it took minutes (the determinant of Q ⊗ P at a size)
    try:
        plain = sp.together(sp.expand(e.rewrite(sp.exp)))
    except Exception:  # noqa: BLE001 - a form SymPy cannot rewrite: not shown
        return False
    if plain.is_positive:
        return True
    num, den = sp.fraction(plain)
    return bool(num.is_positive and den.is_positive) or bool(
        (-num).is_positive and (-den).is_positive)


def _surely(kind: str, e: Any) -> bool:
    if kind == "positive":
        return _positive(e)
    if kind in ("nonzero", "invertible"):
        return e.is_nonzero is True or _positive(e) or _positive(-e)
    return e.is_nonnegative is True or _positive(e)


def _within_bounds(claim: Claim, inst) -> dict:
    """Scalars assumed in a bounded open interval (a, b), written a + (b − a)σ(t) with t any
    real: SymPy then knows the bounds (1 − μ > 0 for μ in (0, 1))."""
    out = {}
    for d in claim.symbols:
        if d.kind != "scalar":
            continue
        try:
            dom = scalar_domain(claim, d.name)
        except Contradictory:
            continue
        if dom.lo is None or dom.hi is None or not (dom.open_lo and dom.open_hi):
            continue
        sym = inst.env._values.get(d.name)
        t = sp.Symbol(f"_{d.name}_t", real=True)
        lo, hi = sp.Rational(dom.lo.numerator, dom.lo.denominator), sp.Rational(
            dom.hi.numerator, dom.hi.denominator)
        out[sym] = lo + (hi - lo) / (1 + sp.exp(-t))
    return out


def _always(kind: str, values: list, inst, claim: Claim) -> bool:
    """SymPy shows the condition at every point (with the assumptions' structure applied)."""
    if inst is None or not values:
        return False
    bounds = _within_bounds(claim, inst)
    for v in values:
        if v is None:
            return False  # a general inverse: its determinant is not known
        try:
            v = inst.apply(sp.sympify(v))
        except (TypeError, sp.SympifyError):
            return False
        if isinstance(v, sp.MatrixBase | sp.MatrixExpr):
            return False
        if _certified(kind, v):
            continue
        v = _real_entries(v)
        if not (_surely(kind, v) or (bounds and _surely(kind, v.xreplace(bounds)))):
            return False
    return True


def _certified(kind: str, v: Any) -> bool:
    """The sign by the certificates of prove_nonnegative, on the traces as built (before
    _real_entries hides them): ‖g₁‖² + ‖g₂‖² ≥ 0, xᵀA⁻¹x ≥ 0 for A positive definite."""
    if kind == "nonnegative":
        return certify(v, False) is not None
    if kind in ("positive", "nonzero"):
        while isinstance(v, sp.Pow) and v.exp.is_positive:  # b > 0 makes √b > 0
            v = v.base
        return certify(v, True) is not None
    return False


def _real_entries(v: Any) -> Any:
    """Entries, traces and determinants of the claim's matrices (real) as real symbols:
    SymPy does not know that x[i, 0] of a general-size matrix is real, so σ(x[i]) > 0 would
    not be shown."""
    atoms = v.atoms(MatrixElement, sp.Trace, sp.Determinant)
    return v.xreplace({a: sp.Dummy(real=True) for a in atoms}) if atoms else v


def _of_sizes_only(claim: Claim, text: str) -> bool:
    """Is the operand built from numbers and dimension names alone (a size is a positive
    integer)?"""
    return set(re.findall(r"[A-Za-z_]\w*", text)) <= set(claim.dims)


def _formal(r: ops.Requirement, inst) -> bool:
    """About a builder's own variable (integrated over, solved for), not the claim's."""
    if inst is None or not inst.domains:
        return False
    value = r.det if r.kind == "invertible" else r.value
    free = getattr(sp.sympify(value), "free_symbols", set()) if not isinstance(
        value, sp.MatrixBase) else value.free_symbols
    known = set(inst.domains) | set(inst.structure) | set(inst.env._dims.values())
    for v in inst.env._values.values():
        known |= set(v) if isinstance(v, sp.MatrixBase) else {v}
    return bool({s for s in free if isinstance(s, sp.Symbol)} - known)


def requirements(claim: Claim, general_build: tuple | None = None
                 ) -> tuple[Requirement, ...]:
    """Every condition for both sides of ``claim`` to be defined, and whether it is assumed.
    ``general_build``: (requirements, instance) of a general build already made."""
    log, inst = _built(claim, general_build)
    grouped: dict[tuple[str, str], list] = {}
    for r in log:
        if _formal(r, inst):
            continue
        value = r.det if r.kind == "invertible" else r.value  # √E ≠ 0 exactly when E ≠ 0
        grouped.setdefault(_simpler(r.kind, _text(r)), []).append(value)
    out = []
    for (kind, text), values in grouped.items():
        shown = _shown(claim, kind, text, values)
        by = _assumed_by(claim, kind, text)
        if by:
            out.append(Requirement(shown, True, f"assumed ({by})"))
        elif _always(kind, values, inst, claim):
            if not _of_sizes_only(claim, text):  # "2 nonzero", "2 * n nonzero": noise
                out.append(Requirement(shown, True, "always holds"))
        else:
            out.append(Requirement(shown, False, "not assumed"))
    return tuple(out)


def _shown(claim: Claim, kind: str, text: str, values: list) -> str:
    """The condition as the claim language reads it back: a matrix or vector nonzero entry by
    entry (x / x) is "x nonzero elementwise", as "x nonzero" of a vector means not the zero
    vector there."""
    decl = claim.decls.get(text)
    if kind == "nonzero" and (getattr(decl, "kind", "") in ("vector", "matrix")
                              or any(_many_entries(v) for v in values)
                              or _many_entries_read(claim, text)):
        return f"{text} nonzero elementwise"
    return _phrase(kind, text)


def _many_entries_read(claim: Claim, text: str) -> bool:
    """Is the operand, read in the claim's scope, a vector or a matrix (x − y divided entry
    by entry records one scalar requirement per entry)?"""
    try:
        shape = compile_expression(text, claim.symbols, claim.layout, claim.assumptions).shape
    except ClaimInputError:
        return False
    return shape.is_matrix and not shape.is_one_by_one


def _many_entries(value: Any) -> bool:
    shape = getattr(value, "shape", None)
    return shape is not None and len(shape) == 2 and shape != (1, 1)
