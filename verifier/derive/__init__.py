"""``derive``: the gradient, Jacobian or Hessian of an expression of the claim language, in
closed matrix form, proved equal to the element-wise derivative before it is shown.

    derive("norm(A @ x - b) ** 2", "x", "A: matrix(m, n), x: vector(n), b: vector(m)")
    → 2Aᵀ(Ax − b)

The pipeline: the expression is parsed by the claim language (``verifier.language``), read as
a matrix expression (``expr``), differentiated by reverse mode (``rules``), brought to
textbook form (``simplify``) and printed (``printing``).  ``prove`` states the result as the
claim ``grad(EXPR, X) = RESULT`` and decides it with the engine: only the engine's ``proved``
is printed as proved; any other verdict is shown as the evidence it is.  ``emit`` writes a
NumPy function of the result and a finite-difference test of it.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from verifier.derive.expr import NoClosedForm, Sym, assuming, facts_of, transpose
from verifier.derive.printing import Unprintable, to_language, to_latex, to_unicode
from verifier.language.shapes import ONE

__all__ = [
    "DeriveError",
    "Derived",
    "KINDS",
    "correct_gradient",
    "derive",
    "prove",
]

KINDS = ("gradient", "jacobian", "hessian")
# a matrix-valued EXPR by a scalar t: dF/dt, F's shape (asked as a gradient, stated as one:
# grad(sum(C * F), t) = sum(C * dF/dt) for a fresh matrix C, which holds for every C exactly
# when dF/dt is right)
BY_SCALAR = "derivative"
BY_SCALAR_2 = "second derivative"  # d²F/dt², stated as hessian(sum(C * F), t)
BY_T = (BY_SCALAR, BY_SCALAR_2)


class DeriveError(ValueError):
    """Bad input to ``derive`` (the message says what to write instead)."""


@dataclass(frozen=True)
class Derived:
    """A derivative: the result in every spelling, and the claim that states it."""

    expression: str  # EXPR as given
    wrt: str
    symbols: str
    kind: str = "gradient"  # gradient | jacobian | hessian | derivative (a matrix by t)
    layout: str = "denominator"
    assume: tuple[str, ...] = ()
    form: str = "closed"  # closed (matrix form) | index (Σ notation)
    text: str = ""  # the claim language: compiles as the claim's right side
    unicode: str = ""
    latex: str = ""
    seconds: float = 0.0  # to derive and simplify (not to prove)
    note: str = ""  # why the form is what it is (e.g. no closed form)
    entry: str = ""  # index form: the entry it gives, "[i, j]"
    indices: str = ""  # index form: the indices it declares, "i: index(n), k: index(d)"
    probe: str = ""  # kind derivative: the fresh matrix C of the claim, "C: matrix(n, m)"
    ir: Any = field(default=None, compare=False, repr=False)  # the matrix expression
    tree: Any = field(default=None, compare=False, repr=False)  # EXPR's language tree

    @property
    def lhs(self) -> str:
        """The derivative as the claim language writes it: grad(EXPR, X)."""
        if self.kind in BY_T:
            fn = "grad" if self.kind == BY_SCALAR else "hessian"
            return f"{fn}(sum({self._probe_name} * ({self.expression})), {self.wrt})"
        fn = {"gradient": "grad"}.get(self.kind, self.kind)
        return f"{fn}({self.expression}, {self.wrt}){self.entry}"

    @property
    def rhs(self) -> str:
        """The claim's right side: the result (kind derivative: its inner product with C)."""
        if self.kind in BY_T:
            return f"sum({self._probe_name} * ({self.text}))"
        return self.text

    @property
    def _probe_name(self) -> str:
        return self.probe.split(":")[0]

    @property
    def symbol(self) -> str:
        """∂f/∂X, ∂y/∂x or ∇²f, with the layout named where it matters."""
        x = self.wrt
        if self.kind == "hessian":
            return f"∇²_{x} f"
        if self.kind == "jacobian":
            return f"∂y/∂{x}" + ("ᵀ" if self.layout == "denominator" else "")
        if self.kind in BY_T:
            return f"dF/d{x}" if self.kind == BY_SCALAR else f"d²F/d{x}²"
        return f"∂f/∂{x}" + (" (numerator layout)" if self.layout == "numerator" else "")

    @property
    def claim_text(self) -> str:
        return f"{self.lhs} = {self.rhs}"


# ----- deriving -----


def _assumptions(assume: Sequence[str], decls) -> list:
    from verifier.claim import parse_assumption

    parsed = []
    for text in assume:
        try:
            a = parse_assumption(text, "derive")
        except ValueError as exc:
            raise DeriveError(str(exc)) from None
        if not a.compound and a.names[0] not in decls:
            raise DeriveError(f'assumption "{text}" names {a.names[0]}, which is not declared')
        if a.compound:  # "EXPR property": EXPR must read in the declared symbols
            from verifier.language import ClaimInputError, compile_expression, scope_of

            try:
                compile_expression(a.names[0], scope_of(decls, "denominator", ()))
            except ClaimInputError as exc:
                raise DeriveError(
                    f'--assume "{text}": "{a.names[0]}" is not an expression of the declared '
                    f"symbols ({exc.message}); write NAME PROPERTY or EXPR PROPERTY, e.g. "
                    '"x positive", "A symmetric", "S positive definite", "X.T @ X invertible", '
                    '"p sums to 1"') from None
        parsed.append(a)
    if parsed:  # each fits its symbol (x positive definite of a vector): the claim's checks
        from verifier.claimfile import ClaimInputError, one_liner

        try:
            one_liner("0", "0", ", ".join(f"{d.name}: {d.spec()}" for d in decls.values()),
                      tuple(assume), "denominator", id="derive")
        except (ClaimInputError, ValueError) as exc:
            message = str(exc).removeprefix('assume in claim "derive": ')
            raise DeriveError(f"--assume: {message}") from None
    return parsed


def _plain(assume: Sequence[str]) -> tuple[str, ...]:
    """The vocabulary's phrases for assumptions as people write them ("x > 0", "A symmetric
    positive definite"), read as claim files read them; the claim derive states uses these."""
    from verifier.language.phrases import plain_assumption

    try:
        return tuple(plain_assumption(text, "derive") for text in assume)
    except ValueError as exc:
        raise DeriveError(str(exc)) from None


def _discrete_on(text: str, name: str) -> bool:
    """The assumption makes ``name`` integer-valued (binary, one-hot, an integer range)."""
    from verifier.claim import DISCRETE, parse_assumption

    a = parse_assumption(text, "derive")
    return not a.compound and a.names[0] == name and (a.kind in DISCRETE or a.kind == "range")


def _compile(text: str, decls, layout: str, what: str, assumptions=()):
    """``text`` compiled; the assumptions tell which symbols are integer-valued (h ** y[i]
    with y binary is a power the language accepts only then)."""
    from verifier.language import ClaimInputError, compile_expression, scope_of

    try:
        return compile_expression(text, scope_of(decls, layout, assumptions))
    except ClaimInputError as exc:
        raise DeriveError(f"{what}: {exc}{_spelling_hint(str(exc), text)}") from None


# what to write for the characters people paste from papers (the parser names the character)
_SPELLINGS = {"∘": "*", "⊙": "*", "−": "-", "×": "* (element-wise) or @ (matrix product)",
              "·": "@ (matrix product) or * (element-wise)", "∑": "sum(e) or sum(e, i)",
              "Σ": "sum(e) or sum(e, i)", "∏": "prod(e, i)", "⊗": "kron(A, B)",
              "√": "sqrt(x)", "‖": "norm(x)", "²": "** 2", "³": "** 3", "⁻¹": "inv(A)",
              "⁻": "** -k or inv(A)", "σ": "sigmoid(x)", "∂": "--wrt X (derive differentiates)",
              "∇": "--wrt X (derive differentiates)", "ᵀ": ".T", "’": "", "“": '"'}


def _spelling_hint(message: str, text: str) -> str:
    """'; write * for ∘' where the parser refused a character of mathematical notation."""
    if "write" in message:
        return ""
    stripped = text.rstrip()
    if message.endswith("invalid syntax") and stripped[-1:] in "+-*/@(,=<>":
        return f"; EXPR ends with {stripped[-1]!r}: an operand is missing after it"
    if message.endswith("invalid syntax") and text.count("(") > text.count(")"):
        return f"; {text.count('(') - text.count(')')} '(' not closed"
    found = [c for c in _SPELLINGS if c in text and _SPELLINGS[c]]
    if not found or not ("character" in message or "unknown" in message or "syntax" in message):
        return ""
    return "; " + ", ".join(f"write {_SPELLINGS[c]} for {c}" for c in found[:3])


def derive(expression: str, wrt: str, symbols: str, *, kind: str = "gradient",
           layout: str = "denominator", assume: Sequence[str] = ()) -> Derived:
    """The derivative of ``expression`` by ``wrt`` (see the module docstring).

    ``kind``: gradient (of a scalar, X's shape in denominator layout, its transpose in
    numerator layout), jacobian (of a column by a column: m×n in numerator layout, n×m in
    denominator layout), hessian (of a scalar by a column: n×n).  Raises ``DeriveError``.
    """
    from verifier.claimfile import ClaimInputError, declare_symbols
    from verifier.derive import rules, vecrules
    from verifier.derive.differential import differential
    from verifier.derive.expr import num
    from verifier.derive.simplify import SEARCH_SECONDS, search_budget, simplify, textbook_forms

    start = time.perf_counter()
    if kind not in KINDS:
        raise DeriveError(f"kind is one of {', '.join(KINDS)}, not {kind!r}")
    if layout not in ("denominator", "numerator"):
        raise DeriveError("layout is denominator or numerator")
    try:
        decls = {d.name: d for d in declare_symbols(symbols, "derive")}
    except (ClaimInputError, ValueError) as exc:
        raise DeriveError(f"--symbols: {exc}") from None
    if wrt not in decls:
        declared = f"declared: {', '.join(decls) or 'none'}"
        base = wrt.strip().removesuffix(".T").strip()
        if base in decls and base != wrt.strip():  # ∂f/∂Xᵀ is ∂f/∂X transposed
            raise DeriveError(f"--wrt {wrt}: derive differentiates by a declared symbol; for "
                              f"the derivative by {base}ᵀ write --wrt {base} --layout "
                              "numerator (the transpose of the denominator-layout result)")
        if not wrt.strip().isidentifier():
            raise DeriveError(f"--wrt {wrt}: derive differentiates by one declared symbol, "
                              f"not by an expression ({declared}); to differentiate by an "
                              "expression, declare a symbol for it and write EXPR in it")
        if wrt.strip() in {d for decl in decls.values() for d in decl.dims
                           if isinstance(d, str)}:
            raise DeriveError(f"--wrt {wrt}: {wrt.strip()} is a dimension (a size), which "
                              f"has no derivative; derive differentiates by a declared "
                              f"scalar, vector or matrix ({declared})")
        raise DeriveError(f"--wrt {wrt}: not a declared symbol ({declared})")
    if decls[wrt].kind in ("index", "integer"):
        raise DeriveError(f"--wrt {wrt}: cannot differentiate by {decls[wrt]!r}")
    assume = _plain(assume)
    assumptions = _assumptions(assume, decls)
    compiled = _compile(expression, decls, layout, "EXPR", assumptions)
    shape = compiled.tree.shape
    x_decl = decls[wrt]
    probe = ""
    # by a scalar t: dF/dt of a matrix (of a column, --jacobian gives it) and d²F/dt² of a
    # matrix or a column, in F's shape
    if kind in ("gradient", "hessian") and x_decl.kind == "scalar" and shape.is_matrix \
            and not shape.is_one_by_one and (kind == "hessian" or not shape.is_column):
        kind = BY_SCALAR if kind == "gradient" else BY_SCALAR_2
        probe = _probe(symbols, shape, expression)
    if kind in ("gradient", "hessian") and shape.is_matrix and not shape.is_one_by_one:
        raise DeriveError(f"the {kind} needs a scalar-valued EXPR; {expression} is {shape}"
                          + _not_scalar_hint(kind, shape, x_decl.kind))
    if kind in ("jacobian", "hessian") and x_decl.kind == "matrix":
        column = _column_rows(x_decl)
        raise DeriveError(f"the {kind} is taken by a column vector (or a scalar); {wrt} is "
                          f"{x_decl.spec()} " + (f"(declare it {wrt}: vector({column}) to take "
                                                 f"the {kind} by it)" if column else
                                                 _by_a_matrix(kind, expression, wrt, x_decl,
                                                              decls)))
    if kind == "jacobian" and shape.is_matrix and shape.rows == ONE and not shape.is_column:
        # a row (grad(f, x) in numerator layout): its entries as the column (EXPR).T, the
        # claim language's Jacobian taking a scalar or a column
        expression = f"({expression}).T"
        compiled = _compile(expression, decls, layout, "EXPR", assumptions)
        shape = compiled.tree.shape
    if kind == "jacobian" and shape.is_matrix and not shape.is_column:
        raise DeriveError(f"the Jacobian needs a scalar or column EXPR; {expression} is "
                          f"{shape}" + ("; for dF/d" + wrt + " of a matrix F by the scalar "
                                        f"{wrt}, leave out --jacobian" if x_decl.kind ==
                                        "scalar" else "; its Jacobian by a vector is a 3-D "
                                        "array: ask for the gradient of one entry, EXPR[i, j] "
                                        "with declared indices, or of u.T @ (EXPR) @ w"))
    x_node = _compile(wrt, decls, layout, "--wrt").tree
    x = Sym(x_node.shape, name=wrt, kind=x_decl.kind)
    facts = facts_of(assumptions)
    discrete = [a for a in assume if _discrete_on(a, wrt)]
    if discrete:
        raise DeriveError(f'--wrt {wrt}: "{discrete[0]}" makes {wrt} integer-valued, so there '
                          f"is no derivative by it; drop the assumption to differentiate by "
                          f"{wrt} as a real {x_decl.kind}")
    base = Derived(expression=expression, wrt=wrt, symbols=symbols, kind=kind, layout=layout,
                   assume=tuple(assume), tree=compiled.tree, probe=probe)
    try:
        # differentiated without the facts about x (its gradient is unconstrained), then
        # simplified with all of them (it is evaluated where they hold)
        with assuming(facts.without(wrt)), vecrules.rewriting(), rules.layout(layout):
            f = rules.from_tree(compiled.tree)
            if kind == "gradient":
                raw = rules.gradient(f, x)
            elif kind == "jacobian":
                raw = rules.jacobian(f, x)
            elif kind in BY_T:  # forward mode: the differential along dt = 1 (twice)
                raw = differential(f, wrt, num(1))
                if kind == BY_SCALAR_2:
                    raw = differential(simplify(raw), wrt, num(1))
            else:
                raw = rules.hessian(f, x)
        # the search for the shortest form is cut short on a large result
        with search_budget(SEARCH_SECONDS), assuming(facts), textbook_forms():
            result = _settled(simplify(raw), f)
            flip = (kind == "gradient" and layout == "numerator") or (
                kind == "jacobian" and layout == "denominator")
            if flip:
                result = _settled(simplify(transpose(result)), f)
            text = to_language(result)
    except (NoClosedForm, Unprintable) as exc:
        if kind in BY_T:
            raise DeriveError(f"no closed matrix form of d({expression})/d{wrt} ({exc}); "
                              "for one entry write EXPR[i, j] with declared indices") from None
        try:
            return _index_form(base, decls, str(exc), start)
        except RecursionError:
            raise DeriveError(f"no closed matrix form ({exc}); its index form is too deep "
                              "to write") from None
    except RecursionError:
        raise DeriveError("the expression is too deeply nested to differentiate") from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, AssertionError,
            NotImplementedError) as exc:
        # a rule or the simplifier failed on a form it does not expect: the index form is
        # built by other means (the index prover's), and a result there is still proved
        internal = f"{type(exc).__name__}: {exc}"
        try:
            return _index_form(base, decls, f"the matrix-form rules failed ({internal})", start)
        except DeriveError:
            raise DeriveError(
                f"derive could not differentiate {expression} ({internal}); this is a gap in "
                "derive, please report the command. Meanwhile: write the expression with "
                "indices (x[i], sum(e, i)) or check a candidate with derivcheck claim "
                f"'grad({expression}, {wrt})' 'CANDIDATE'") from None
    result, text = _spellings_read(result, text, decls, layout, assumptions)
    _compile(text, decls, layout, "the derived formula", assumptions)  # it must read back
    from verifier.derive.expr import depends

    note = "" if depends(f, wrt) else f"{expression} does not depend on {wrt}"
    return replace(base, form="closed", text=text, unicode=to_unicode(result),
                   latex=to_latex(result), ir=result, note=note,
                   seconds=time.perf_counter() - start)


def _spellings_read(result, text: str, decls, layout: str, assumptions):
    """The result with exp(a log x) printed x ** a and means and variances along an axis as
    mean(X, axis=1), var(X, axis=0), each kept where its text reads back (the language
    takes x ** a only for an x positive by assumption or form); else as it was."""
    from verifier.derive.axes import axis_statistics
    from verifier.derive.powers import real_powers

    for rewrite in (real_powers, axis_statistics):
        rewritten = rewrite(result)
        if rewritten == result:
            continue
        try:
            candidate = to_language(rewritten)
            _compile(candidate, decls, layout, "the derived formula", assumptions)
        except (DeriveError, Unprintable):
            continue
        result, text = rewritten, candidate
    return result, text


def _column_rows(decl) -> str:
    """The row count of a matrix declared with one column (matrix(n, 1)), else ""."""
    spec = decl.spec().removeprefix("matrix(").removesuffix(")")
    rows, _, cols = spec.partition(",")
    return rows.strip() if decl.kind == "matrix" and cols.strip() == "1" else ""


def _settled(e, written):
    """``e`` with its constant sums folded (the gradient of sum(softmax(Z)) read
    S ∘ (1 − 𝟏𝟏ᵀ), which is 0), each coefficient simplified on its own, EXPR's (``written``)
    scalars as it writes them, and sums of transposes read as transposed sums where EXPR or
    the result holds the sum; sum(a)/n as mean(a)."""
    from verifier.derive.expr import Add, leaves
    from verifier.derive.readable import (
        centred_means,
        compared,
        denominators_outside,
        entrywise_traces,
        hyperbolics,
        inner_products,
        mean_powers,
        mean_ratios,
        means,
        numbers_folded,
        outer_products_collected,
        ramps_under_indicators,
        scales_outside_diagonals,
        softmax_rows_read,
        squared_diagonals,
        squared_signs,
    )
    from verifier.derive.simplify import (
        arguments_as_written,
        coefficients_simplified,
        scalars_as_written,
    )

    e = arguments_as_written(scalars_as_written(coefficients_simplified(_constants_folded(
        ramps_under_indicators(squared_signs(e, compared(written))))), written), written)
    sums = [Counter(n.terms) for n in (*leaves(written), *leaves(e)) if isinstance(n, Add)]
    return scales_outside_diagonals(hyperbolics(softmax_rows_read(entrywise_traces(
        centred_means(means(mean_powers(mean_ratios(inner_products(squared_diagonals(
            denominators_outside(_transposed_sums(outer_products_collected(
                numbers_folded(e), frozenset(leaves(written))), sums))))))))))))


def _constants_folded(e):
    """``e`` with each sum of constants (c, c𝟏𝟏ᵀ: a number added to every entry) folded to
    one, and a product with a zero factor to 0: 1 − 𝟏𝟏ᵀ is 0, so S ∘ (1 − 𝟏𝟏ᵀ) is."""
    from verifier.derive.expr import Add, Had, MatMul, Mul, Ones, Zero, add, is_zero, mul, num
    from verifier.derive.simplify import map_children

    e = map_children(e, _constants_folded)
    if isinstance(e, Add) and not e.shape.is_scalar and all(
            _constant(t) is not None for t in e.terms):
        total = sum(_constant(t) for t in e.terms)
        return Zero(e.shape) if total == 0 else mul(num(total), Ones(e.shape))
    if isinstance(e, Add) and any(is_zero(t) for t in e.terms):
        kept = [t for t in e.terms if not is_zero(t)]
        return add(*kept) if kept else Zero(e.shape) if not e.shape.is_scalar else num(0)
    if isinstance(e, Mul | MatMul | Had) and any(is_zero(f) for f in e.factors):
        return Zero(e.shape) if not e.shape.is_scalar else num(0)
    return e


def _constant(t):
    """c for a number c, 𝟏 or c𝟏 (an all-ones matrix scaled by numbers); else None."""
    from fractions import Fraction

    from verifier.derive.expr import Mul, Num, Ones

    if isinstance(t, Num):
        return t.value
    if isinstance(t, Ones):
        return Fraction(1)
    if isinstance(t, Mul) and isinstance(t.factors[-1], Ones) and all(
            isinstance(f, Num) for f in t.factors[:-1]):
        out = Fraction(1)
        for f in t.factors[:-1]:
            out *= f.value
        return out
    return None


def _transposed_sums(e, sums: list):
    """Every sum of transposes read as the transposed sum where no term reads worse so,
    the whole needs no more transposes, and the sum is a row or the transposed sum is one
    of ``sums`` (EXPR's and the result's): (x − μ)ᵀP for (xᵀ − μᵀ)P, 2B(AXB − C)ᵀA for
    2B(BᵀXᵀAᵀ − Cᵀ)A, S⁻¹(X − 𝟏μᵀ)ᵀ(X − 𝟏μᵀ)S⁻¹ (the numerator layout transposes a
    denominator result term by term); Wᵀ − Wᵀs𝟏ᵀ stays as it is."""
    from verifier.derive.expr import Add, T, add
    from verifier.derive.simplify import map_children

    e = map_children(e, lambda c: _transposed_sums(c, sums))
    if not isinstance(e, Add) or e.shape.is_scalar or e.shape.is_one_by_one:
        return e
    flipped = [transpose(t) for t in e.terms]
    if any(_transposes(f) > _transposes(t) for f, t in zip(flipped, e.terms, strict=True)):
        return e
    inner = add(*flipped)
    folded = T(e.shape, arg=inner)
    if _transposes(folded) > _transposes(e):
        return e
    known = isinstance(inner, Add) and Counter(inner.terms) in sums
    return folded if known or e.shape.rows == ONE else e


def _transposes(e) -> int:
    """The transposes ``e`` prints with (a row of ones prints as 𝟏ᵀ)."""
    from verifier.derive.expr import Ones, T, leaves

    return sum(1 for n in leaves(e) if isinstance(n, T) or (
        isinstance(n, Ones) and n.shape.rows == ONE and n.shape.cols != ONE))


def _by_a_matrix(kind: str, expression: str, wrt: str, x_decl, decls) -> str:
    """What to ask instead of a Jacobian or Hessian by a matrix (an array of 3 or 4
    indices): the gradient of an entry or of uᵀ·EXPR, the Hessian applied to a direction."""
    fresh = next(n for n in ("V", "U", "D", "V1", "V2", "V3") if n not in decls)
    if kind == "hessian":
        return (f"(for a matrix use the gradient: the Hessian by {wrt} has four indices, which "
                f"no matrix states; the Hessian applied to a direction {fresh} is the gradient "
                f"of the directional derivative, derive 'sum(grad({expression}, {wrt}) * "
                f"{fresh})' --wrt {wrt} with {fresh}: {x_decl.spec()} declared)")
    return (f"(for a matrix use the gradient: the Jacobian by {wrt} has three indices; ask "
            f"for the gradient of one entry, ({expression})[i] with i: index(...) declared, "
            f"or of u.T @ ({expression}) with u declared, by {wrt})")


def _not_scalar_hint(kind: str, shape, x_kind: str) -> str:
    """What to ask instead of the gradient or Hessian of a non-scalar EXPR."""
    if kind == "gradient":
        return "; for a column use --jacobian" if shape.is_column else ""
    if shape.is_column:  # the Hessian of a vector-valued function: a 3-D array
        return ("; the Hessian of a vector-valued function is a 3-D array (one Hessian per "
                "entry), which no matrix and no claim states: ask for one entry, EXPR[i] "
                "with i declared index(...), or for a weighted sum u.T @ (EXPR); its first "
                "derivative is --jacobian")
    return ("; the Hessian of a matrix-valued EXPR (a third derivative, if EXPR is itself a "
            "Hessian) has no matrix form or claim: ask for one entry, EXPR[i, j]")


def _probe(symbols: str, shape, expression: str) -> str:
    """A fresh matrix of EXPR's shape, declared: "C: matrix(n, m)" (the first of C, C1, ...
    that names no symbol and no dimension)."""
    import re

    taken = set(re.findall(r"[A-Za-z_]\w*", symbols))
    sides = [str(s) for s in (shape.rows, shape.cols)]
    if not all(re.fullmatch(r"[A-Za-z_]\w*|[0-9]+", s, re.ASCII) for s in sides):  # n·n
        raise DeriveError(f"the derivative of {expression} ({shape}) by a scalar is given for "
                          "a matrix whose sizes are declared dimensions; for a Kronecker "
                          "product or a block matrix write one entry, EXPR[i, j]")
    name = next(c for c in ("C", *(f"C{k}" for k in range(1, 1000))) if c not in taken)
    return f"{name}: matrix({sides[0]}, {sides[1]})"


def _index_form(base: Derived, decls, why: str, start: float) -> Derived:
    from verifier.derive.index import index_form

    return index_form(base, decls, why, start)


# ----- proving -----


def derivative_claim(d: Derived, claim_id: str = "derive"):
    """The claim ``grad(EXPR, X) = RESULT`` (or jacobian / hessian) with the symbols,
    layout and assumptions of the derivation."""
    from verifier.claimfile import one_liner

    symbols = ", ".join(s for s in (d.symbols, d.indices, d.probe) if s)
    # derive differentiates entry by entry and evaluates where the assumptions hold: the
    # convention its claim states (it matters only for a variable confined to a set)
    return one_liner(d.lhs, d.rhs, symbols, d.assume, d.layout, id=claim_id,
                     convention="entry-wise")


def prove(d: Derived, timeout: float = 30.0, seed: int = 0):
    """Decide ``grad(EXPR, X) = RESULT`` with the engine, in this process; returns its
    ``Result``. ``timeout`` counts this thread's CPU seconds, as the engine's budgets do
    (``strategies.timing``): at a load of 9 a 20 s limit ends after about 90 s of wall clock.
    ``derivcheck derive`` decides the same claim in a worker process instead
    (``verifier/report/derive.py``), which also keeps a wall-clock limit by ending the
    worker."""
    from verifier.engine import Options, decide

    claim = derivative_claim(d)
    return decide(claim, Options(seed=seed, timeout=timeout, conditions=False))


# ----- the correct gradient of a refuted claim (the engine's hook) -----


def _gradient_parts(claim) -> tuple[str, str] | None:
    """(f's text, the variable) of a gradient claim of the claim language, or of an identity
    whose left side is grad(f, X) (a derivation's step); None otherwise."""
    if claim.kind == "gradient":
        text = getattr(claim.f, "text", None)
        return (text, claim.wrt) if text is not None and getattr(claim.f, "tree", None) \
            is not None else None
    tree = getattr(claim.lhs, "tree", None)
    if claim.kind == "identity" and type(tree).__name__ == "Call" and tree.fn == "grad":
        from verifier.language import to_text

        f_node, x_node = tree.args
        return to_text(f_node), x_node.name
    return None


def correct_gradient(claim, budget: float, decide):
    """The correct gradient of a gradient claim in the claim language, in its layout, as a
    ``verdict.CorrectGradient`` whose evidence is ``decide(claim, seconds)``'s verdict on
    ``grad(f, X) = RESULT``; None without a closed form, time, or a verdict that holds."""
    from verifier.verdict import CorrectGradient

    parts = _gradient_parts(claim)
    if parts is None or budget < 1:
        return None
    start = time.monotonic()
    f_text, wrt = parts
    symbols = ", ".join(f"{s.name}: {s.spec()}" for s in claim.symbols)
    assume = tuple(str(a) for a in claim.assumptions)
    try:
        d = derive(f_text, wrt, symbols, layout=claim.layout, assume=assume)
        fixed = derivative_claim(d, claim_id=f"{claim.id.replace('#', '.')}.correct")
    except (DeriveError, ValueError):
        return None
    if d.form != "closed":
        return None
    # the claim's own convention (unstated: a gradient by a confined symbol that depends on
    # it is not offered), and its sizes
    fixed = replace(fixed, convention=claim.convention, sizes=claim.sizes or fixed.sizes)
    left = budget - (time.monotonic() - start)
    if left < 1:
        return None
    verdict = decide(fixed, left)
    if not verdict.holds:
        return None
    return CorrectGradient(text=d.text, unicode=d.unicode, latex=d.latex,
                           evidence=verdict.status, layout=claim.layout, wrt=wrt)
