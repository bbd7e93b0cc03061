"""Index form (Σ notation) where derive has no closed matrix form.

The gradient is built in index form in general dimension (``ops.index_forms``: sums over
symbolic ranges, entries of matrix symbols, Kronecker deltas), read at one entry (i, j) and
brought to the canonical form of the index prover (``strategies.index_canon``: deltas
contracted, sums distributed, summation indices renamed).  It is printed with Σ as text, in
LaTeX, and in the claim language, where it becomes the entry claim

    grad(EXPR, X)[i, j] = sum(..., k)        (i, j, k declared indices)

that the engine decides like any other.
"""

from __future__ import annotations

import time
from dataclasses import replace

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

__all__ = ["index_form"]

_NAMES = ("i", "j", "k", "l", "p", "q", "r", "s", "t", "u", "v", "a", "b", "c")
_SUB = dict(zip("aeijklmnoprstuvx", "ₐₑᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))


class _Unwritable(ValueError):
    pass


def _fresh(taken: set[str]):
    for name in _NAMES + tuple(f"i{k}" for k in range(1, 50)):
        if name not in taken:
            taken.add(name)
            yield name


def _one_range_per_index(value):
    """``value`` with a summation index that two sums use over different ranges renamed in
    one of them: the canonical form reuses a name per nesting depth, and the claim language
    declares each index with one range (Σₗ X[l, j] over N beside Σₗ W[l, k] over d)."""
    seen: dict = {}

    def walk(e):
        if isinstance(e, sp.Sum | sp.Product):
            body, limits = walk(e.function), []
            for k, lo, hi in e.limits:
                if k in seen and sp.expand(seen[k] - hi) != 0:
                    fresh = sp.Symbol(f"{k.name}_{len(seen)}", integer=True)
                    body, k = body.xreplace({k: fresh}), fresh
                seen.setdefault(k, hi)
                limits.append((k, lo, hi))
            return e.func(body, *limits)
        return e.func(*[walk(a) for a in e.args]) if e.args else e

    return walk(value)


def _shifted_entries(value, names, declare: list[str]):
    """Each entry at a computed index (x[k + l], left where a delta was contracted: Σⱼ
    x[j] (j == i + t) is x[i + t]) written back as the sum the language can read,
    Σₚ x[p] (p == k + l), with p a fresh index over x's rows (columns); 0 where k + l is
    past the end, as the delta made it."""
    def plain(k) -> bool:
        return isinstance(k, sp.Symbol) or k.is_Integer

    def shift(e):
        if not (isinstance(e, MatrixElement) and not (plain(e.i) and plain(e.j))):
            return e
        m, at, deltas, limits = e.parent, [e.i, e.j], [], []
        for axis, k in enumerate(at):
            if plain(k):
                continue
            p = sp.Symbol(next(names), integer=True)
            size = m.shape[axis]
            declare.append(f"{p.name}: index({_dim_of(size - 1)})")
            at[axis] = p
            deltas.append(sp.KroneckerDelta(p, k))
            limits.append((p, 0, size - 1))
        return sp.Sum(m[at[0], at[1]] * sp.Mul(*deltas), *limits)

    return value.replace(lambda e: isinstance(e, MatrixElement), shift)


def _dim_of(upper) -> str:
    """The dimension whose range an index runs over: n − 1 → n."""
    top = sp.expand(upper + 1)
    if isinstance(top, sp.Symbol):
        return top.name
    if top.is_Integer and top > 0:
        return str(int(top))
    raise _Unwritable(f"a sum up to {upper}")


class _Writer:
    """An index expression as the claim language (``unicode=False``) or as Unicode text."""

    def __init__(self, unicode: bool):
        self.unicode = unicode

    def w(self, e, prec: int = 0) -> str:
        text, p = self.p(e)
        return text if p >= prec else f"({text})"

    def p(self, e) -> tuple[str, int]:
        if isinstance(e, MatrixElement):
            m, a, b = e.args
            name = m.name
            rows, cols = m.shape
            if cols == 1:
                return f"{name}[{self.w(a)}]", 9
            if rows == 1:
                return f"{name}[0, {self.w(b)}]", 9
            return f"{name}[{self.w(a)}, {self.w(b)}]", 9
        if isinstance(e, sp.Sum | sp.Product):
            body = e.function
            out = self.w(body, 2)
            sign, word = ("Σ", "sum") if isinstance(e, sp.Sum) else ("Π", "prod")
            for k, lo, hi in e.limits:
                if lo != 0:
                    raise _Unwritable(f"a {word} that does not start at 0")
                _dim_of(hi)
                if self.unicode:
                    sub = "".join(_SUB.get(ch, "") for ch in k.name)
                    mark = f"{sign}{sub}" if len(sub) == len(k.name) else f"{sign}_{k.name}"
                    out = f"{mark} {out}"
                else:
                    out = f"{word}({out}, {k.name})"
            return out, (2 if self.unicode else 9)
        if isinstance(e, sp.KroneckerDelta):
            a, b = e.args
            return (f"δ({self.w(a)}, {self.w(b)})", 9) if self.unicode else \
                (f"({self.w(a)} == {self.w(b)})", 9)
        if isinstance(e, sp.Integer):
            return (str(e), 9) if e >= 0 else (("−" if self.unicode else "-") + str(-e), 3)
        if isinstance(e, sp.Rational):
            return f"{e.p}/{e.q}", 2
        if isinstance(e, sp.Symbol):
            return e.name, 9
        if isinstance(e, sp.Add):
            terms = list(e.args)
            out = self.w(terms[0], 1)
            for t in terms[1:]:
                if t.could_extract_minus_sign():
                    out += (" − " if self.unicode else " - ") + self.w(-t, 2)
                else:
                    out += " + " + self.w(t, 2)
            return out, 1
        if isinstance(e, sp.Mul):
            num, den = sp.fraction(e)
            if den != 1:
                top = self.w(num, 2)
                return f"{top} / {self.w(den, 3)}", 2
            coeff, rest = e.as_coeff_Mul()
            if coeff == -1:
                return ("−" if self.unicode else "-") + self.w(rest, 3), 2
            sep = " " if self.unicode else " * "
            return sep.join(self.w(f, 3) for f in sp.Mul.make_args(e)), 2
        if isinstance(e, sp.Pow):
            base, k = e.args
            if k == -1:
                return f"1 / {self.w(base, 3)}", 2
            if k == sp.Rational(1, 2):
                return f"sqrt({self.w(base)})", 9
            star = "^" if self.unicode else " ** "
            return f"{self.w(base, 4)}{star}{self.w(k, 4)}", 4
        if isinstance(e, sp.exp):
            return f"exp({self.w(e.args[0])})", 9
        if isinstance(e, sp.Function):
            name = type(e).__name__
            name = {"Abs": "abs"}.get(name, name)
            if name == "step":  # 1[a > 0]: a comparison, 1 where it holds
                inner = self.w(e.args[0])
                return (f"𝟙[{inner} > 0]", 9) if self.unicode else (f"({inner} > 0)", 9)
            if name in ("log", "sigmoid", "tanh", "abs", "sin", "cos", "atan", "erf"):
                shown = "σ" if self.unicode and name == "sigmoid" else name
                return f"{shown}({', '.join(self.w(a) for a in e.args)})", 9
        raise _Unwritable(f"{type(e).__name__} has no spelling in the claim language")


_HINTS = {
    "kron": "trace(kron(A, B)) is trace(A) * trace(B); det(kron(A, B)) is det(A) ** m * "
            "det(B) ** n (A n×n, B m×m); kron(A, B) @ vec(X) is vec(B @ X @ A.T)",
    "vec": "vec(X).T @ vec(Y) is trace(X.T @ Y); norm(vec(X)) is norm(X)",
    "block": "write each block's contribution separately (a trace of a block matrix is the "
             "sum of its diagonal blocks' traces)",
    "max of entries": "the gradient of max(X) is onehot at the largest entry (none at a "
                      "tie); write the entry, X[c] with c: index(n), or a smooth stand-in, "
                      "logsumexp(X); max(a, b) and min(a, b) of two arguments are derived",
}


def _hint(why: str) -> str:
    """What to write instead, for an operation derive has no rule for."""
    for key, text in _HINTS.items():
        if key in why:
            return f"; instead: {text}"
    return ""


def _latex(e) -> str:
    """LaTeX with entries as x_{i} and X_{i j} (SymPy writes {x}_{i,0})."""
    from sympy.printing.latex import LatexPrinter

    class Printer(LatexPrinter):
        def _print_MatrixElement(self, expr):  # noqa: N802 - SymPy's printer protocol
            m, a, b = expr.args
            name = self._print(m)
            if m.shape[1] == 1:
                return f"{name}_{{{self._print(a)}}}"
            if m.shape[0] == 1:
                return f"{name}_{{{self._print(b)}}}"
            return f"{name}_{{{self._print(a)} {self._print(b)}}}"

    return Printer().doprint(e)


def _closed(base, decls, value, free, why: str, start: float):
    """The entry lifted back to matrix form (``lift``), simplified, if it reads back as the
    gradient's shape in the claim language; else None (the index form stands)."""
    from verifier.claim import parse_assumption
    from verifier.derive.expr import assuming, facts_of, transpose
    from verifier.derive.lift import lift
    from verifier.derive.printing import Unprintable, to_language, to_latex, to_unicode
    from verifier.derive.simplify import simplify
    from verifier.language import ClaimInputError, compile_expression, scope_of
    from verifier.language.shapes import ONE, size_of

    sized = [(s, size_of(_dim_of(size - 1))) for s, size in free]
    matrix = lift(value, sized, decls)
    if matrix is None:
        return None
    assumptions = [parse_assumption(a) for a in base.assume]
    try:
        with assuming(facts_of(assumptions)):
            matrix = simplify(matrix)
            text = to_language(matrix)
        tree = compile_expression(text, scope_of(decls, base.layout, assumptions)).tree
    except (Unprintable, ClaimInputError, ValueError):
        return None
    x = decls[base.wrt]
    want = compile_expression(base.wrt, scope_of(decls, base.layout)).tree.shape
    want = want.T if base.layout == "numerator" else want
    got = tree.shape
    if len(free) == 1 and want.rows == ONE and got == want.T and not got.is_one_by_one:
        # one free index is lifted as a column; a vector's gradient in numerator layout is
        # its row
        try:
            with assuming(facts_of(assumptions)):
                matrix = simplify(transpose(matrix))
                text = to_language(matrix)
            tree = compile_expression(text, scope_of(decls, base.layout, assumptions)).tree
        except (Unprintable, ClaimInputError, ValueError):
            return None
        got = tree.shape
    if not (got == want or (got.is_one_by_one and want.is_scalar) or x.kind == "scalar"):
        return None
    return replace(base, form="closed", text=text, unicode=to_unicode(matrix),
                   latex=to_latex(matrix), ir=matrix,
                   note=f"from its index form ({why})", seconds=time.perf_counter() - start)


def index_form(base, decls, why: str, start: float):
    """``base`` (a ``Derived``) completed in index form, or ``DeriveError`` saying why not."""
    from verifier import ops
    from verifier.claimfile import one_liner
    from verifier.derive import DeriveError
    from verifier.domains import STRUCTURAL
    from verifier.instantiate import general, side_values
    from verifier.strategies.index_canon import (
        Canonicaliser,
        IndexFormUnavailable,
        assumed_positive_entries,
        collapse,
        positive_entries,
    )

    if base.kind != "gradient":
        raise DeriveError(f"no closed matrix form of the {base.kind} ({why}); index form is "
                          "given for gradients")
    x = decls[base.wrt]
    zero = "0" if x.kind == "scalar" else f"0 * {base.wrt}"
    try:
        claim = one_liner(f"grad({base.expression}, {base.wrt})", zero, base.symbols,
                          base.assume, base.layout, id="derive")
        with ops.index_forms(), positive_entries(assumed_positive_entries(claim)):
            # a structured matrix is not parametrised here (symmetric A = S + Sᵀ would leave
            # S_A in the form): the derivative of the free one holds on the structured set,
            # and the facts (Aᵀ = A) simplify it when it is lifted
            inst = general(replace(claim, assumptions=tuple(
                a for a in claim.assumptions
                if a.kind != "sums to 1" and (a.compound or a.kind not in STRUCTURAL))))
            g = side_values(inst, None, claim, gradient_lhs=True)
        taken = set(decls) | {d for s in decls.values() for d in s.dims if isinstance(d, str)}
        names = _fresh(taken)
        row, col = sp.Symbol("_r", integer=True), sp.Symbol("_c", integer=True)
        ranges = dict(getattr(inst, "index_ranges", {}))
        free = []
        if isinstance(g, sp.MatrixExpr):
            m = collapse(g)
            r = row if m.shape[0] != 1 else sp.Integer(0)
            c = col if m.shape[1] != 1 else sp.Integer(0)
            for sym, size in ((r, m.shape[0]), (c, m.shape[1])):
                if isinstance(sym, sp.Symbol):
                    ranges[sym] = (sp.Integer(0), size - 1)
                    free.append((sym, size))
            entry = m[r, c]
        else:
            entry = g
        simplex = tuple(inst.env[a.names[0]] for a in claim.assumptions if a.kind == "sums to 1")
        with positive_entries(assumed_positive_entries(claim)):
            value = Canonicaliser(ranges, getattr(inst, "discrete", {}), simplex)(entry)
    except (ops.GeneralFormUnavailable, IndexFormUnavailable, ops.Undefined, ValueError,
            TypeError, KeyError, NotImplementedError) as exc:
        # on one line: SymPy's repr of a block matrix spans several (Matrix([\n[A, B], …)
        reason = " ".join(str(exc).split())
        if "Matrix([" in reason:  # a block matrix's entry: SymPy's repr says nothing more
            reason = "an entry of a block matrix has no index form"
        raise DeriveError(f"no closed matrix form ({why}) and no index form ({reason})"
                          + _hint(f"{why} {exc}")) from None
    if value.has(sp.Derivative) or value.has(ops.index_diff_class()):
        raise DeriveError(f"no closed matrix form ({why}) and no index form (a derivative "
                          "stays unevaluated)")
    # the free entry (i, j) and every summation index get readable, undeclared names
    value = _one_range_per_index(value)
    rename, declare = {}, []
    for sym, size in free:
        rename[sym] = sp.Symbol(next(names), integer=True)
        declare.append(f"{rename[sym].name}: index({_dim_of(size - 1)})")
    for s in sorted(value.atoms(sp.Sum, sp.Product), key=sp.default_sort_key):
        for k, _, hi in s.limits:
            if k not in rename:
                rename[k] = sp.Symbol(next(names), integer=True)
                declare.append(f"{rename[k].name}: index({_dim_of(hi)})")
    value = value.xreplace(rename)
    value = _shifted_entries(value, names, declare)
    closed = _closed(base, decls, value, [(rename[s], size) for s, size in free], why, start)
    if closed is not None:
        return closed
    try:
        text = _Writer(False).w(value)
        shown = _Writer(True).w(value)
    except _Unwritable as exc:
        raise DeriveError(f"no closed matrix form ({why}); its index form has {exc}") from None
    at = [rename[s].name for s, _ in free]
    entry_text = f"[{', '.join(at)}]" if at else ""
    latex = _latex(value)
    return replace(base, form="index", text=text, unicode=shown, latex=latex,
                   entry=entry_text, indices=", ".join(declare), note=why,
                   seconds=time.perf_counter() - start)
