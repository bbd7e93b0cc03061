"""Bring a matrix expression to the form a textbook prints.

The expression is expanded into a sum of terms, each a commutative coefficient (a SymPy
expression in scalar atoms: symbols, dimensions, determinants, traces, 1×1 products) times a
noncommutative word of matrix atoms.  Then:

- like terms are collected (equal words), scalar 1×1 sub-words move into the coefficient
  (x xᵀb = (xᵀb) x), adjacent M M⁻¹ cancel, the inverse of a product of square matrices
  splits, a trace is rotated and transposed to one canonical word;
- element-wise sub-expressions ("islands": Hadamard products, element-wise functions and
  powers) are one commutative algebra, so a sum of them is simplified by SymPy as a whole
  (−y∘(1 − σ) + (1 − y)∘σ = σ − y), each distinct matrix leaf a symbol;
- the sum is rebuilt by factoring common left or right factors (Xᵀ X θ − Xᵀ y =
  Xᵀ(Xθ − y), A x + Aᵀx = (A + Aᵀ)x) and common scalar factors, keeping the cheapest
  candidate: fewest symbol occurrences, then the shortest text.

Every rewrite is an identity wherever the input is defined; ``derive`` then proves the
result against the element-wise derivative with the engine, so a slip here shows as a
failed proof, never as a wrong answer printed as proved.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy as sp

from verifier.derive import vecrules
from verifier.derive.expr import (
    ELEMENTWISE,
    Add,
    Const,
    Dim,
    E,
    Eye,
    Fn,
    Had,
    Inv,
    MatMul,
    Mul,
    Num,
    Ones,
    Pow,
    Sym,
    T,
    Zero,
    add,
    facts,
    fn,
    had,
    inv,
    is_scalar,
    leaves,
    matmul,
    mul,
    num,
    power,
    transpose,
)
from verifier.language.shapes import ONE, SCALAR, Shape

__all__ = ["SEARCH_SECONDS", "cost", "search_budget", "simplify", "textbook_forms"]

MAX_TERMS = 96  # a product of sums expanding past this is kept as it is


@functools.cache
def _functions() -> dict[str, Any]:
    from verifier import ops

    return {
        "log": sp.log,
        "exp": sp.exp,
        "tanh": sp.tanh,
        "sigmoid": type(ops.sigmoid(sp.Symbol("t"))),  # the one σ whose σ' is σ(1 − σ)
        "abs": sp.Function("abs_"),
        "relu": sp.Function("relu"),
        "step": sp.Function("step"),
        "sin": sp.sin,
        "cos": sp.cos,
        "atan": sp.atan,
        "erf": sp.erf,
    }


@dataclass
class _Atoms:
    """SymPy symbols standing for the atoms of one simplification (both directions)."""

    to_sym: dict[E, sp.Symbol] = field(default_factory=dict)
    to_ir: dict[sp.Symbol, E] = field(default_factory=dict)
    matrix: set[sp.Symbol] = field(default_factory=set)

    def symbol(self, atom: E, matrix: bool) -> sp.Symbol:
        # keyed by the canonical order of sums and Hadamard factors: inv(A + tB) and
        # inv(tB + A) are one atom (a residual of the two did not cancel)
        key = _canonical(atom)
        s = self.to_sym.get(key)
        if s is None:
            flags = {"integer": True, "positive": True} if isinstance(atom, Dim) else {}
            s = sp.Symbol(f"_a{len(self.to_sym)}", **flags)
            self.to_sym[key] = s
            self.to_ir[s] = atom
            if matrix:
                self.matrix.add(s)
        return s


class _Simplifier:
    def __init__(self) -> None:
        self.atoms = _Atoms()
        self.memo: dict[E, E] = {}
        self.assembled: dict[tuple, E | None] = {}

    # ----- entry -----

    def simplify(self, e: E) -> E:
        if e in self.memo:
            return self.memo[e]
        if e.shape.is_scalar or (e.shape.is_one_by_one and not isinstance(e, Sym)):
            out = self.best_scalar(self.scalar(e))
        else:
            out = self.matrix(e)
        candidates = [out, _symmetric_transposes(e)]
        if isinstance(e, Add) and not (e.shape.is_scalar or e.shape.is_one_by_one):
            # each term on its own: where expanding the whole sum costs more than it saves
            # (a product of two binomials), the raw sum is kept, and with it det(S)/det(S)
            # and S⁻ᵀ of a symmetric S in its other terms
            candidates.append(add(*[self.simplify(t) for t in e.terms]))
        out = min(candidates, key=cost)
        self.memo[e] = out
        return out

    def matrix(self, e: E) -> E:
        return self.assemble(self.terms(e), e.shape)

    # ----- scalars: SymPy expressions in atoms -----

    def scalar(self, e: E) -> sp.Expr:
        if isinstance(e, Num):
            return sp.Rational(e.value.numerator, e.value.denominator)
        if isinstance(e, Const):
            return sp.pi
        if isinstance(e, Sym | Dim):
            return self.atoms.symbol(e, False)
        if isinstance(e, Add):
            return self.merge_sum_atoms(sp.Add(*[self.scalar(t) for t in _merge_sums(e.terms)]))
        if isinstance(e, Mul):
            return sp.Mul(*[self.scalar(f) for f in e.factors])
        if isinstance(e, Pow):
            return sp.Pow(self.scalar(e.base), self.scalar(e.exp))
        if isinstance(e, Fn) and e.name in ELEMENTWISE:
            a = self.scalar(e.args[0])
            if e.name == "sqrt":
                return sp.sqrt(a)
            return _functions()[e.name](a)
        if isinstance(e, Fn) and e.name == "trace":
            return sp.Add(*[c * self.trace_word(w, e.args[0].shape)
                            for c, w in self.terms(e.args[0])])
        if isinstance(e, Fn) and e.name == "det":
            return self.det(e.args[0])
        if isinstance(e, Fn) and e.name == "sum":
            return sp.Add(*[c * self.sum_word(w, e.args[0].shape)
                            for c, w in self.terms(e.args[0])])
        if isinstance(e, Fn):
            args = tuple(self.simplify(a) for a in e.args)
            return self.atoms.symbol(fn(e.name, *args, shape=e.shape)
                                     if e.name not in ELEMENTWISE else e, False)
        if isinstance(e, T):
            return self.scalar(e.arg)
        if isinstance(e, MatMul | Had | Inv):  # a 1×1 matrix
            return sp.Add(*[c * self.scalar_word(w) for c, w in self.terms(e)])
        raise TypeError(f"not a scalar: {e!r}")

    def merge_sum_atoms(self, expr: sp.Expr) -> sp.Expr:
        """c₁ Σa + c₂ Σb = Σ(c₁a + c₂b) for element-wise a, b of one shape, where expr is
        linear in those sums: one island, simplified as a whole."""
        groups: dict[Shape, list[sp.Symbol]] = {}
        for a in expr.free_symbols:
            e = self.atoms.to_ir.get(a)
            if isinstance(e, Fn) and e.name == "sum" and not e.args[0].shape.is_scalar \
                    and _is_island(e.args[0]):
                groups.setdefault(e.args[0].shape, []).append(a)
        for shape, atoms in groups.items():
            if len(atoms) < 2:
                continue
            expanded = sp.expand(expr)
            coeffs = [expanded.coeff(a) for a in atoms]
            if any(c.free_symbols & set(atoms) for c in coeffs):
                continue
            rest = sp.expand(expanded - sum(c * a for c, a in zip(coeffs, atoms, strict=True)))
            if rest.free_symbols & set(atoms):
                continue
            island = sp.Add(*[c * self.island(self.atoms.to_ir[a].args[0])
                              for c, a in zip(coeffs, atoms, strict=True)])
            best = _best_form(island, self.from_sympy_cost(shape))
            expr = rest + sp.Add(*[c * self.sum_word(word, shape)
                                   for c, word in self.sympy_terms(best, shape)])
        return expr

    def scalar_word(self, w: tuple[E, ...]) -> sp.Expr:
        """A 1×1 product as a symbol, in one orientation of w and (w)ᵀ."""
        if not w:
            return sp.Integer(1)
        if len(w) == 1 and not isinstance(w[0], MatMul):
            a = w[0]
            if isinstance(a, Had | Add | Pow | Fn) and a.shape.is_one_by_one:
                return self.scalar(a)
            return self.atoms.symbol(a, False)
        if len(w) >= 2 and w[0].shape.rows == ONE and w[-1].shape.cols == ONE:
            # uᵀ(M v) with an element-wise u or v: Σ u ∘ (Mv), one element-wise expression
            # simplified as a whole, then summed (the same form from either side)
            head, tail = transpose(w[0]), w[-1]
            if _is_island(head) or isinstance(head, Ones):
                u, rest = head, w[1:]
            elif _is_island(tail) or isinstance(tail, Ones):
                u, rest = tail, tuple(transpose(a) for a in reversed(w[:-1]))
            else:
                u, rest = None, ()
            if u is not None:
                other = self.leaf_of_word(rest, u.shape) if not (
                    len(rest) == 1 and (_is_island(rest[0]) or isinstance(rest[0], Ones))
                ) else self.island(rest[0])
                prod = _best_form(self.island(u) * other, self.from_sympy_cost(u.shape))
                return sp.Add(*[c * self.sum_word(word, u.shape)
                                for c, word in self.sympy_terms(prod, u.shape)])
        flipped = tuple(transpose(a) for a in reversed(w))
        best = min((w, flipped), key=_word_key)
        return self.atoms.symbol(MatMul(Shape(ONE, ONE), factors=best), False)

    def trace_word(self, w: tuple[E, ...], shape: Shape) -> sp.Expr:
        if not w:
            return self.scalar(_size(shape.rows))
        if len(w) > 1 and any(isinstance(a, Ones) for a in w):
            # 𝟏ₐᵦ = 𝟏ₐ𝟏ᵦᵀ, so a rotation can bring a 1×1 word out: tr(X𝟏𝟏ᵀ) = 𝟏ᵀX𝟏
            w = tuple(p for a in w for p in (
                (Ones(Shape(a.shape.rows, ONE)), Ones(Shape(ONE, a.shape.cols)))
                if isinstance(a, Ones) and a.shape.rows != ONE and a.shape.cols != ONE
                else (a,)))
        if len(w) == 1 and w[0].shape.is_scalar:  # a scalar broadcast: n times it
            return self.scalar(_size(shape.rows)) * self.scalar(w[0])
        if len(w) == 1 and isinstance(w[0], Ones):
            return sp.Integer(1) if w[0].shape.is_one_by_one else self.scalar(_size(shape.rows))
        w = _cancel_cyclic(w)
        if not w:
            return self.scalar(_size(shape.rows))
        if (sandwich := _diag_sandwich(w)) is not None:
            return self.scalar_word(sandwich)
        rotations = []
        for seq in (w, tuple(transpose(a) for a in reversed(w))):
            for k in range(len(seq)):
                rotations.append(seq[k:] + seq[:k])
        scalar = [r for r in rotations if r[0].shape.rows == ONE]
        if scalar:  # tr(b aᵀ V) = aᵀ V b: a rotation is 1×1
            return self.scalar_word(min(scalar, key=_word_key))
        frobenius = [r for r in rotations if len(r) == 2 and isinstance(r[0], T)
                     and (_is_island(r[0].arg) or _is_island(r[1]))] or [
            r for r in rotations if len(r) >= 2 and _entrywise(r[0])]
        if frobenius:  # tr(AB) = Σ Aᵀ ∘ B with A or B element-wise: one island, where
            # (1 − t²) ∘ t meets t − t³ (a trace of each is two unrelated atoms), and
            # tr((M ∘ E)D) meets tr((E ∘ D)M) for a symmetric D
            r = min(frobenius, key=lambda r: (not isinstance(r[0], T), _word_key(r)))
            return self.scalar(fn("sum", had(transpose(r[0]), matmul(*r[1:]))))
        best = min(rotations, key=_word_key)
        inner = best[0] if len(best) == 1 else MatMul(
            Shape(best[0].shape.rows, best[-1].shape.cols), factors=best)
        return self.atoms.symbol(Fn(SCALAR, name="trace", args=(inner,)), False)

    def sum_word(self, w: tuple[E, ...], shape: Shape) -> sp.Expr:
        if not w:  # the identity: n ones on the diagonal
            return self.scalar(_size(shape.rows))
        if len(w) == 1 and w[0].shape.is_scalar and not shape.is_scalar:
            # a scalar broadcast over every entry (sympy_terms' island): rows·cols times it
            return self.scalar(mul(_size(shape.rows), _size(shape.cols))) * self.scalar(w[0])
        if len(w) == 1 and isinstance(w[0], Ones):
            return self.scalar(mul(_size(shape.rows), _size(shape.cols)))
        # sum(M𝟏) = sum(M) for a column M𝟏 (and sum(𝟏ᵀM) for a row): the ones at the end
        # only sum what sum sums anyway
        if len(w) > 1 and isinstance(w[-1], Ones) and w[-1].shape.cols == ONE:
            return self.sum_word(w[:-1], Shape(shape.rows, w[-2].shape.cols))
        if len(w) > 1 and isinstance(w[0], Ones) and w[0].shape.rows == ONE:
            return self.sum_word(w[1:], Shape(w[1].shape.rows, shape.cols))
        if len(w) > 1 and _diag_of_column(w[0]):  # Σ diag(u) M = Σ uᵀM, a row's sum
            return self.sum_word((transpose(w[0].args[0]), *w[1:]), Shape(ONE, shape.cols))
        if len(w) > 1 and _diag_of_column(w[-1]):  # Σ M diag(v) = Σ Mv
            return self.sum_word((*w[:-1], w[-1].args[0]), Shape(shape.rows, ONE))
        if shape.is_one_by_one and len(w) > 1:  # uᵀMv: the sandwich (uvᵀ ∘ M) summed
            return self.scalar_word(w)
        inner = w[0] if len(w) == 1 else MatMul(shape, factors=w)
        if isinstance(inner, Sym) and (inner.name in facts().sums_to_one or (
                inner.name in facts().one_hot and inner.shape.is_column)):
            return sp.Integer(1)  # a probability vector, or a one-hot one
        if isinstance(inner, Fn) and inner.name == "onehot":
            return sp.Integer(1)  # one entry is 1, the others 0
        if isinstance(inner, Fn) and inner.name == "softmax" and inner.shape.is_column:
            return sp.Integer(1)  # a probability vector
        if isinstance(inner, Fn) and inner.name == "softmax_rows":
            return self.scalar(_size(inner.shape.rows))  # each row sums to 1
        if isinstance(inner, Fn) and inner.name == "softmax_cols":
            return self.scalar(_size(inner.shape.cols))  # each column sums to 1
        return self.atoms.symbol(Fn(SCALAR, name="sum", args=(inner,)), False)

    def det(self, a: E) -> sp.Expr:
        a = self.simplify(a)
        if isinstance(a, Mul):
            k = self.scalar(_size(a.shape.rows))
            return sp.Mul(*[self.scalar(f) ** k for f in a.factors[:-1]]) * self.det(
                a.factors[-1])
        if isinstance(a, Inv):
            return 1 / self.det(a.arg)
        if isinstance(a, T):
            return self.det(a.arg)
        if isinstance(a, Eye):
            return sp.Integer(1)
        return self.atoms.symbol(Fn(SCALAR, name="det", args=(a,)), False)

    def best_scalar(self, expr: sp.Expr) -> E:
        cands = []
        for form in _forms(expr):
            try:
                cands.append(self.from_sympy(form))
            except (TypeError, ValueError):
                continue
        return min(cands, key=cost)

    # ----- matrices: sums of coefficient × word -----

    def terms(self, e: E) -> list[tuple[sp.Expr, tuple[E, ...]]]:
        """``e`` expanded: [(coefficient, word)], like words collected."""
        if is_scalar(e) and e.shape.is_scalar:
            return [(self.scalar(e), ())]
        if isinstance(e, Zero):
            return []
        if isinstance(e, Eye):
            return [(sp.Integer(1), ())]
        if isinstance(e, Add):
            if any(_scalar_diag(t) for t in e.terms) and e.shape.is_square:
                # diag(c) of a constant derivative (d(s²)/ds = 2) built with a scalar's
                # shape: cI in a sum of matrices, not c added to every entry (the Hessian
                # of Σ s² − log s left diag(2) − 2I in its residual: proved at sizes only)
                e = add(*[mul(t.args[0], Eye(e.shape)) if _scalar_diag(t) else t
                          for t in e.terms])
                if not isinstance(e, Add):
                    return self.terms(e)
            if any(is_scalar(t) for t in e.terms) and not e.shape.is_one_by_one:
                return self.island_terms(e)
            out = []
            for t in e.terms:
                out += self.terms(t)
            return self.collect_diags(_collect(out))
        if isinstance(e, Mul):
            c = sp.Mul(*[self.scalar(f) for f in e.factors[:-1]])
            return _collect([(c * k, w) for k, w in self.terms(e.factors[-1])])
        if isinstance(e, MatMul):
            rewritten = _kron_product(e)
            return self.product(e) if rewritten is e else self.terms(rewritten)
        if isinstance(e, Had) and (sandwich := _outer_product_sandwich(e)) is not None:
            return self.terms(sandwich)
        if isinstance(e, Had | Pow) or (isinstance(e, Fn) and e.name in ELEMENTWISE):
            return self.island_terms(e)
        if isinstance(e, Inv):
            return self.inverse(e)
        if isinstance(e, Fn):
            args = tuple(self.simplify(a) for a in e.args)
            if e.name == "diag" and (isinstance(args[0], Zero) or (
                    isinstance(args[0], Num) and args[0].value == 0)):
                return []  # diag(0) = 0 (a residual's cancelled diagonal)
            if e.name == "diag" and isinstance(args[0], Ones) and args[0].shape.is_column:
                return [(sp.Integer(1), ())]  # diag(𝟏) = I
            a = args[0]
            if e.name == "diag" and isinstance(a, Mul) and a.shape.is_column \
                    and not a.factors[-1].shape.is_scalar:
                # diag(k·d) = k·diag(d): the scale is a coefficient, so words with several
                # diagonal factors meet (2W₂ᵀdiag(u)W₂ against W₂ᵀdiag(2u)W₂)
                c = sp.Mul(*[self.scalar(f) for f in a.factors[:-1]])
                return [(c, (Fn(e.shape, name="diag", args=(a.factors[-1],)),))]
            if e.name == "diag" and a.shape.is_square and not a.shape.is_one_by_one \
                    and (column := _diagonal_as_column(a)) is not None:
                # the diagonal of a scaled, transposed, outer or diagonal-sandwiched matrix
                # as a column: diag(2 u vᵀ) = 2 u ∘ v, diag(D⁻¹) = 1/d, diag(Aᵀ) = diag(A)
                return self.terms(column)
            if e.name == "diag" and isinstance(a, MatMul) and a.shape.is_square \
                    and not a.shape.is_one_by_one:
                # every row of 𝟏R is 𝟏ᵀR, every column of L𝟏 is L𝟏: the diagonal is that
                first, last = a.factors[0], a.factors[-1]
                if isinstance(first, Ones):
                    return self.terms(transpose(matmul(
                        Ones(Shape(ONE, first.shape.cols)), *a.factors[1:])))
                if isinstance(last, Ones):
                    return self.terms(matmul(*a.factors[:-1], Ones(Shape(last.shape.rows, ONE))))
            return [(sp.Integer(1), (Fn(e.shape, name=e.name, args=args),))]
        if isinstance(e, T) and (k := vecrules.kron_transpose(e)) is not e:
            return self.terms(k)  # kron(P, Q)ᵀ = kron(Pᵀ, Qᵀ) (inside derive and its proof)
        if isinstance(e, T) and not isinstance(e.arg, Sym):
            # (Σ cₖ wₖ)ᵀ = Σ cₖ wₖᵀ: an element-wise expression's transpose is the sum of its
            # terms' transposes, so (s ∘ c − (cᵀs)s)ᵀ meets (s ∘ c)ᵀ and sᵀ
            return [(c, tuple(transpose(a) for a in reversed(w))) for c, w in self.terms(e.arg)]
        if isinstance(e, T) and e.arg.name in facts().skew:
            return [(sp.Integer(-1), (e.arg,))]  # Kᵀ = −K: (K + Kᵀ)x is 0
        if isinstance(e, T) and e.arg.name in facts().symmetric:
            # built before the facts about the variable applied (derive differentiates
            # without them): Sᵀ = S where S is symmetric, so S⁻ᵀ reads S⁻¹
            return [(sp.Integer(1), (e.arg,))]
        return [(sp.Integer(1), (e,))]

    def product(self, e: MatMul) -> list[tuple[sp.Expr, tuple[E, ...]]]:
        acc: list[tuple[sp.Expr, tuple[E, ...]]] = [(sp.Integer(1), ())]
        for f in e.factors:
            if f.shape.is_one_by_one and not isinstance(f, Sym):
                part = [(self.scalar(f), ())]
            else:
                part = self.terms(f)
            if len(acc) * len(part) > MAX_TERMS:
                part = [(sp.Integer(1), (self.simplify(f),))]
            acc = [(c1 * c2, w1 + w2) for c1, w1 in acc for c2, w2 in part]
        out = []
        for c, w in acc:
            w = self.merge_diags(w)
            again = _diag_into_vector(w)
            if again is not None:  # before a 1×1 word becomes one atom: uᵀdiag(d)v = Σ u∘d∘v
                out += [(c * c3, w3) for c3, w3 in self.terms(again)]
                continue
            c2, w2 = self.reduce_word(w)
            again = _diag_into_vector(w2)
            if again is not None:  # diag(d) v = d ∘ v, uᵀdiag(d) = (u ∘ d)ᵀ: one island
                out += [(c * c2 * c3, w3) for c3, w3 in self.terms(again)]
                continue
            out.append((c * c2, w2))
        return self.collect_diags(_collect(out))

    def merge_diags(self, w: tuple[E, ...]) -> tuple[E, ...]:
        """diag(a) diag(b) = diag(a ∘ b), a and b columns."""
        out: list[E] = []
        for a in w:
            if out and _is_diag(out[-1]) and _is_diag(a):
                inner = self.simplify(had(out[-1].args[0], a.args[0]))
                out[-1] = Fn(a.shape, name="diag", args=(inner,))
            else:
                out.append(a)
        return tuple(out)

    def collect_diags(self, terms):
        """Σₖ cₖ L diag(dₖ) R = L diag(Σₖ cₖdₖ) R: words that differ in one diagonal factor
        (with a column inside) meet in it."""
        groups: dict[tuple, list[tuple[sp.Expr, E]]] = {}
        rest = []
        for c, w in terms:
            ks = [k for k, a in enumerate(w) if _is_diag(a)]
            if len(ks) != 1:
                rest.append((c, w))
                continue
            k = ks[0]
            groups.setdefault((w[:k], w[k + 1:]), []).append((c, w[k].args[0]))
        out = list(rest)
        for (left, right), parts in groups.items():
            if len(parts) == 1:
                c, inner = parts[0]
            else:
                shape = parts[0][1].shape
                island = sp.Add(*[c * self.leaf_of_word((d,), shape) for c, d in parts])
                inner = self.from_sympy(_best_form(island, self.from_sympy_cost(shape)), shape)
                c = sp.Integer(1)
            if isinstance(inner, Mul):  # diag(k·d) = k·diag(d): a scale outside
                c = c * sp.Mul(*[self.scalar(f) for f in inner.factors[:-1]])
                inner = inner.factors[-1]
            out.append((c, left + (Fn(Shape(inner.shape.rows, inner.shape.rows), name="diag",
                                      args=(inner,)),) + right))
        return out

    def reduce_word(self, w: tuple[E, ...]) -> tuple[sp.Expr, tuple[E, ...]]:
        """Cancel M M⁻¹ and QᵀQ, and move 1×1 sub-words into the coefficient."""
        w = list(w)
        ones = sp.Integer(1)  # 𝟏ₐₖ𝟏ₖᵦ = k·𝟏ₐᵦ: words that differ only so are one term
        changed = True
        while changed:
            changed = False
            for i in range(len(w) - 1):
                if isinstance(w[i], Ones) and isinstance(w[i + 1], Ones) and not (
                        w[i].shape.rows == ONE and w[i + 1].shape.cols == ONE):
                    # (a 1×1 𝟏ᵀ𝟏 is left to the scalar words below: it is a number)
                    inner = w[i].shape.cols
                    if inner != ONE:
                        ones *= self.scalar(_size(inner))
                    w[i:i + 2] = [Ones(Shape(w[i].shape.rows, w[i + 1].shape.cols))]
                    changed = True
                    break
                if _cancels(w[i], w[i + 1]):
                    del w[i:i + 2]
                    changed = True
                    break
                if isinstance(w[i], Fn) and w[i].name == "softmax_rows" \
                        and isinstance(w[i + 1], Ones) or isinstance(w[i], Ones) \
                        and isinstance(w[i + 1], Fn) and w[i + 1].name == "softmax_cols":
                    # each row (column) of a softmax along it sums to 1: S𝟏 = 𝟏, 𝟏ᵀS = 𝟏ᵀ
                    w[i:i + 2] = [Ones(Shape(w[i].shape.rows, w[i + 1].shape.cols))]
                    changed = True
                    break
                if _one_hot_rows(w[i]) and isinstance(w[i + 1], Ones):
                    # each row of Y one-hot: Y𝟏ₖ = 𝟏, Y𝟏ₖₓₘ = 𝟏ₙₓₘ
                    w[i:i + 2] = [Ones(Shape(w[i].shape.rows, w[i + 1].shape.cols))]
                    changed = True
                    break
        coef = sp.Integer(1)
        if len(w) > 1 and w[0].shape.rows == ONE and w[-1].shape.cols == ONE:
            # a 1×1 word: the product of its 1×1 pieces (uᵀxxᵀv = (uᵀx)(xᵀv)), each one atom;
            # an all-ones matrix inside is 𝟏𝟏ᵀ (uᵀ𝟏𝟏ᵀv = sum(u) sum(v))
            w = [p for a in w for p in (
                (Ones(Shape(a.shape.rows, ONE)), Ones(Shape(ONE, a.shape.cols)))
                if isinstance(a, Ones) and a.shape.rows != ONE and a.shape.cols != ONE
                else (a,))]
            cut = next((k for k in range(len(w) - 1) if w[k].shape.cols == ONE
                        and w[k + 1].shape.rows == ONE), None)
            if cut is not None:
                c1, _ = self.reduce_word(tuple(w[:cut + 1]))
                c2, _ = self.reduce_word(tuple(w[cut + 1:]))
                return ones * c1 * c2, ()
            return ones * self.scalar_word(tuple(w)), ()
        i = 0
        while i < len(w):
            if w[i].shape.rows == ONE and 0 < i:
                j = next((k for k in range(i, len(w)) if w[k].shape.cols == ONE), None)
                if j is not None and (i > 0 or j < len(w) - 1):
                    coef *= self.scalar_word(tuple(w[i:j + 1]))
                    del w[i:j + 1]
                    continue
            i += 1
        return ones * coef, tuple(w)

    def inverse(self, e: Inv) -> list[tuple[sp.Expr, tuple[E, ...]]]:
        a = self.simplify(e.arg)
        if isinstance(a, MatMul) and all(f.shape.is_square for f in a.factors):
            return self.product(MatMul(e.shape, factors=tuple(inv(f) for f in
                                                               reversed(a.factors))))
        if isinstance(a, Mul):
            c = sp.Mul(*[1 / self.scalar(f) for f in a.factors[:-1]])
            return [(c * k, w) for k, w in self.inverse(Inv(e.shape, arg=a.factors[-1]))]
        out = inv(a)
        if isinstance(out, Inv):
            return [(sp.Integer(1), (out,))]
        return self.terms(out)

    # ----- element-wise islands -----

    def island(self, e: E) -> sp.Expr:
        """An element-wise expression as a commutative SymPy expression in its leaves."""
        if is_scalar(e) and (e.shape.is_scalar or not isinstance(e, Sym)):
            return self.scalar(e)
        if isinstance(e, Ones):
            return sp.Integer(1)
        if isinstance(e, Zero):
            return sp.Integer(0)
        if isinstance(e, Add):
            return sp.Add(*[self.island(t) for t in e.terms])
        if isinstance(e, Mul):
            return sp.Mul(*[self.scalar(f) for f in e.factors[:-1]]) * self.island(
                e.factors[-1])
        if isinstance(e, Had):
            return sp.Mul(*[self.island(f) for f in e.factors])
        if isinstance(e, Pow):
            return sp.Pow(self.island(e.base), self.scalar(e.exp))
        if isinstance(e, Fn) and e.name in ELEMENTWISE:
            a = self.island(e.args[0])
            return sp.sqrt(a) if e.name == "sqrt" else _functions()[e.name](a)
        leaf = self.simplify(e)
        if isinstance(leaf, Add | Mul | Had | Pow) or (
                isinstance(leaf, Fn) and leaf.name in ELEMENTWISE):
            return self.island(leaf)
        return self.atoms.symbol(leaf, True)

    def island_terms(self, e: E) -> list[tuple[sp.Expr, tuple[E, ...]]]:
        return self.sympy_terms(_best_form(self.island(e), self.from_sympy_cost(e.shape)),
                                e.shape)

    def from_sympy_cost(self, shape: Shape):
        def score(form: sp.Expr) -> tuple:
            return cost(self.from_sympy(form, shape))
        return score

    def sympy_terms(self, expr: sp.Expr, shape: Shape) -> list[tuple[sp.Expr, tuple[E, ...]]]:
        """A SymPy sum of element-wise terms back as [(coefficient, word)]: a term that is a
        plain leaf keeps the leaf's word, any other element-wise part is one island atom."""
        out = []
        for term in sp.Add.make_args(expr):
            coef, rest = [], []
            for f in sp.Mul.make_args(term):
                (rest if f.free_symbols & self.atoms.matrix else coef).append(f)
            c = sp.Mul(*coef)
            if not rest:
                if shape.is_scalar or shape.is_one_by_one:
                    out.append((c, ()))
                else:  # a scalar added to every entry: c times the all-ones matrix, so a
                    # product, a sum or a trace of the word counts it in every entry
                    out.append((c, (Ones(shape),)))
                continue
            part = sp.Mul(*rest)
            if isinstance(part, sp.Symbol):
                out += [(c * k, w) for k, w in self.terms(self.atoms.to_ir[part])]
                continue
            if any(_outer_product(self.atoms.to_ir[a]) is not None
                   for a in part.free_symbols & self.atoms.matrix):
                spread = sp.expand(part)  # each outer product alone in a term: it leaves
                if spread != part:  # the Hadamard product as a sandwich (below)
                    out += [(c * k, w) for k, w in self.sympy_terms(spread, shape)]
                    continue
            back = self.from_sympy(part, shape)
            sandwich = _outer_product_sandwich(back) if isinstance(back, Had) else None
            if sandwich is not None:  # as terms() reads a Hadamard product, so the two meet
                out += [(c * k, w) for k, w in self.terms(sandwich)]
            else:
                out.append((c, (back,)))
        return _collect(out)

    def leaf_of_word(self, w: tuple[E, ...], shape: Shape) -> sp.Expr:
        if not w:
            return self.atoms.symbol(Eye(shape), True)
        if len(w) == 1 and _is_island(w[0]):
            return self.island(w[0])
        if len(w) == 1 and isinstance(w[0], Ones):
            return sp.Integer(1)
        atom = w[0] if len(w) == 1 else MatMul(shape, factors=w)
        return self.atoms.symbol(atom, True)

    # ----- back from SymPy -----

    def from_sympy(self, x: sp.Expr, shape: Shape = SCALAR, broadcast: bool = False) -> E:
        if isinstance(x, sp.Symbol):
            atom = self.atoms.to_ir[x]
            return atom
        if x is sp.pi:
            return Const(SCALAR, name="pi")
        if x is sp.E:
            return fn("exp", num(1))
        if x.is_Rational:
            v = num(Fraction(int(x.p), int(x.q)))
            return Mul(shape, factors=(v, Ones(shape))) if broadcast and not shape.is_scalar \
                else v
        if isinstance(x, sp.Add):
            return _ordered_add([self.from_sympy(a, shape) for a in x.args])
        if isinstance(x, sp.Mul):
            scalars = sorted((self.from_sympy(a) for a in x.args
                              if not (a.free_symbols & self.atoms.matrix)),
                             key=lambda f: (not isinstance(f, Num), not isinstance(f, Sym | Dim)))
            mats = [self.from_sympy(a, shape) for a in x.args
                    if a.free_symbols & self.atoms.matrix]
            if not mats:
                return mul(*scalars)
            return mul(*scalars, had(*sorted(_relu_gates_dropped(mats), key=_had_order)))
        if isinstance(x, sp.Pow):
            base = self.from_sympy(x.base, shape)
            k = x.exp
            if k.is_Integer and k > 0 and isinstance(base, Fn) and (
                    base.name.startswith("cmp_") or base.name == "step"):
                return base  # 0 or 1 entry by entry: 𝟙[z > 0]² = 𝟙[z > 0]
            if k == sp.Rational(1, 2):
                return fn("sqrt", base)
            if k == sp.Rational(-1, 2):
                return power(fn("sqrt", base), num(-1))
            return power(base, self.from_sympy(k))
        if isinstance(x, sp.exp):
            return fn("exp", self.from_sympy(x.args[0], shape))
        if isinstance(x, sp.asin | sp.acos):  # printed only (_inverse_sines): atoms
            a = self.from_sympy(x.args[0], shape)
            return Fn(a.shape, name=type(x).__name__, args=(a,))
        if isinstance(x, sp.Function):
            name = type(x).__name__
            name = {"abs_": "abs"}.get(name, name)
            if name in ELEMENTWISE:
                return fn(name, self.from_sympy(x.args[0], shape))
        raise ValueError(f"cannot read {x} back")

    # ----- rebuilding a sum: factoring -----

    def assemble(self, terms, shape: Shape) -> E:
        terms = tuple((c, w) for c, w in _collect(list(terms)))
        out = self._assemble(terms, shape)
        if out is None:  # only identities of unnamed sizes: keep the terms as they are
            return add(*[mul(self.best_scalar(c), matmul(*w) if w else Eye(shape))
                         for c, w in terms])
        return out

    def _assemble(self, terms: tuple, shape: Shape, combine: bool = True) -> E | None:
        key = (terms, shape, combine)
        if key not in self.assembled:
            self.assembled[key] = None  # a cycle finds no candidate
            self.assembled[key] = self._assemble_new(terms, shape, combine)
        return self.assembled[key]

    def _assemble_new(self, terms: tuple, shape: Shape, combine: bool) -> E | None:
        if not terms:
            return num(0) if shape.is_scalar else Zero(shape)
        if len(terms) == 1:
            return self.term(*terms[0], shape)
        cands: list[E] = []
        if not _searching():  # out of time: the terms as collected
            plain = [self.term(c, w, shape) for c, w in terms]
            return _ordered_add(plain) if all(p is not None for p in plain) else None
        if combine and any(len(w) == 1 and _is_island(w[0]) for _, w in terms):
            # element-wise terms: one commutative expression, simplified as a whole
            total = sp.Add(*[c * self.leaf_of_word(w, shape) for c, w in terms])
            for form in _forms(total):
                try:
                    again = tuple(_collect(self.sympy_terms(form, shape)))
                except (TypeError, ValueError):
                    continue
                cand = self._assemble(again, shape, combine=False)
                if cand is not None:
                    cands.append(cand)
        plain = [self.term(c, w, shape) for c, w in terms]
        if all(p is not None for p in plain):
            cands.append(_ordered_add(plain))
        outer = self.outer_product(terms, shape)
        if outer is not None:
            cands.append(outer)
        g = _common_factor([c for c, _ in terms])
        if g != 1:
            inner = self._assemble(tuple((sp.cancel(c / g), w) for c, w in terms), shape)
            if inner is not None:
                cands.append(mul(self.best_scalar(g), inner))
        for left in (True, False):
            groups: dict[E, list] = {}
            for c, w in terms:
                if w:
                    groups.setdefault(w[0] if left else w[-1], []).append((c, w))
            subgroups = []
            for atom, members in groups.items():
                subgroups.append((atom, members))
                longer = [t for t in members if len(t[1]) > 1]  # leave out what leaves an I
                if 2 <= len(longer) < len(members):
                    subgroups.append((atom, longer))
            for atom, members in subgroups:
                if len(members) < 2:
                    continue
                rest = tuple(t for t in terms if t not in members)
                inner_terms = tuple((c, w[1:] if left else w[:-1]) for c, w in members)
                inner_shape = (Shape(atom.shape.cols, shape.cols) if left
                               else Shape(shape.rows, atom.shape.rows))
                inner = self._assemble(inner_terms, inner_shape)
                if inner is None:
                    continue
                factored = matmul(atom, inner) if left else matmul(inner, atom)
                if rest:
                    other = self._assemble(rest, shape)
                    if other is None:
                        continue
                    cands.append(_ordered_add([factored, other]))
                else:
                    cands.append(factored)
        return min(cands, key=cost) if cands else None

    def outer_product(self, terms: tuple, shape: Shape) -> E | None:
        """Σᵢⱼ cᵢⱼ uᵢvⱼᵀ with a rank-one coefficient matrix cᵢⱼ = k aᵢbⱼ as k(Σ aᵢuᵢ)(Σ bⱼvⱼ)ᵀ,
        the other terms beside it: −xxᵀ + xyᵀ + yxᵀ − yyᵀ is −(x − y)(x − y)ᵀ (the
        one-level left and right grouping reaches only x(yᵀ − xᵀ) + y(xᵀ − yᵀ)); None where
        fewer than three such terms or no rank one."""
        pairs = [(c, w) for c, w in terms if len(w) == 2 and w[0].shape.cols == ONE
                 and w[1].shape.rows == ONE and not w[0].shape.is_one_by_one]
        if len(pairs) < 3:
            return None
        lefts = list(dict.fromkeys(_canonical(w[0]) for _, w in pairs))
        rights = list(dict.fromkeys(_canonical(w[1]) for _, w in pairs))
        if len(lefts) < 2 or len(rights) < 2:
            return None
        first_l = {_canonical(w[0]): w[0] for _, w in reversed(pairs)}
        first_r = {_canonical(w[1]): w[1] for _, w in reversed(pairs)}
        c = [[sp.Integer(0)] * len(rights) for _ in lefts]
        for k, w in pairs:
            c[lefts.index(_canonical(w[0]))][rights.index(_canonical(w[1]))] += k
        r0 = 0
        j0 = next((j for j, v in enumerate(c[r0]) if sp.cancel(v) != 0), None)
        if j0 is None:
            return None
        # the scale at the pivot: where the rows are the columns transposed, the column of
        # u₀ᵀ, so a symmetric form reads k(Σ aᵢuᵢ)(Σ aᵢuᵢ)ᵀ
        mirror = [next((j for j, r in enumerate(rights) if r == _canonical(transpose(first_l[
            lf]))), None) for lf in lefts]
        if mirror[r0] is not None and sp.cancel(c[r0][mirror[r0]]) != 0:
            j0 = mirror[r0]
        k = c[r0][j0]
        a = [sp.cancel(c[i][j0] / k) for i in range(len(lefts))]
        b = [sp.cancel(c[r0][j] / k) for j in range(len(rights))]
        if any(sp.cancel(c[i][j] - k * a[i] * b[j]) != 0 for i in range(len(lefts))
               for j in range(len(rights))):
            return None
        left = self._assemble(tuple((a[i], (first_l[lf],)) for i, lf in enumerate(lefts)
                                    if a[i] != 0), Shape(shape.rows, ONE))
        symmetric = all(m is not None for m in mirror) and all(
            b[mirror[i]] == a[i] for i in range(len(lefts))) and len(rights) == len(lefts)
        # (x − y)ᵀ kept as one transpose (transpose() would distribute it: xᵀ − yᵀ)
        right = T(left.shape.T, arg=left) if symmetric and left is not None and isinstance(
            left, Add) else transpose(left) if symmetric and left is not None else self._assemble(
            tuple((b[j], (first_r[rg],)) for j, rg in enumerate(rights) if b[j] != 0),
            Shape(ONE, shape.cols))
        if left is None or right is None:
            return None
        product = mul(self.best_scalar(k), matmul(left, right))
        rest = tuple(t for t in terms if t not in pairs)
        if not rest:
            return product
        other = self._assemble(rest, shape)
        return None if other is None else _ordered_add([product, other])

    def term(self, c: sp.Expr, w: tuple[E, ...], shape: Shape) -> E | None:
        coef = self.best_scalar(c)
        if not w:
            if shape.is_scalar or shape.is_one_by_one:
                return coef
            if not shape.is_square or _size_text(shape.rows) is None:
                return None
            return mul(coef, Eye(shape))
        return mul(coef, matmul(*w))


# ----- helpers -----


def scalars_as_written(e: E, written: E) -> E:
    """Each scalar sum in ``e`` that equals one of EXPR's scalar sums, expanded, read as
    EXPR writes it where that is shorter: √((x − μ)ᵀS⁻¹(x − μ)), not √(xᵀS⁻¹x + μᵀS⁻¹μ −
    2μᵀS⁻¹x) (the simplifier expands the products of a scalar it collects)."""
    simplifier = _Simplifier()

    def key(node):
        try:
            return sp.expand(simplifier.scalar(node))
        except (TypeError, ValueError, KeyError, AttributeError):
            return None

    known = {}
    for n in leaves(written):
        if isinstance(n, Add | MatMul) and is_scalar(n) and (k := key(n)) is not None:
            known.setdefault(k, n)
    if not known:
        return e

    def swap(node):
        node = map_children(node, swap)
        if not (isinstance(node, Add) and is_scalar(node)):
            return node
        k = key(node)
        theirs = known.get(k)
        if theirs is not None and cost(theirs) < cost(node):
            return theirs
        return _part_as_written(simplifier, node, k, known)

    return swap(e)


def arguments_as_written(e: E, written: E) -> E:
    """Each element-wise function's argument in ``e`` that equals, expanded, the argument
    EXPR gives that function, read as EXPR writes it where that is shorter: GELU's
    tanh(0.7978845608(x + 0.044715x³)), not tanh(0.035677408136172x³ + 0.7978845608x) beside
    it in another term (the simplifier distributes a number over the sum it multiplies)."""
    simplifier = _Simplifier()

    def key(node):
        try:
            return sp.expand(simplifier.island(node))
        except (TypeError, ValueError, KeyError, AttributeError):
            return None

    known = {}
    for n in leaves(written):
        if isinstance(n, Fn) and n.name in ELEMENTWISE and len(n.args) == 1 \
                and (k := key(n.args[0])) is not None:
            known.setdefault((n.name, k), n.args[0])
    if not known:
        return e

    def swap(node):
        node = map_children(node, swap)
        if not (isinstance(node, Fn) and node.name in ELEMENTWISE and len(node.args) == 1):
            return node
        theirs = known.get((node.name, key(node.args[0])))
        if theirs is not None and theirs.shape == node.args[0].shape \
                and cost(theirs) < cost(node.args[0]):
            return Fn(node.shape, name=node.name, args=(theirs,))
        return node

    return swap(e)


def _part_as_written(simplifier: _Simplifier, node: E, k: sp.Expr | None,
                     known: dict[sp.Expr, E]) -> E:
    """``node`` (a scalar sum, ``k`` its expanded key) as c·q + rest where c times one of
    EXPR's scalars q, expanded, is part of it and that reads shorter: ν + xᵀS⁻¹x + μᵀS⁻¹μ −
    2μᵀS⁻¹x as ν + (x − μ)ᵀS⁻¹(x − μ) (Student-t's Hessian); an identity, rest = k − c·q."""
    if k is None:
        return node
    mine = sp.Add.make_args(k)
    coefficients = dict(reversed(t.as_coeff_Mul()) for t in mine)  # monomial → number
    best = node
    for theirs_key, theirs in known.items():
        terms = sp.Add.make_args(theirs_key)
        if len(terms) < 2 or len(terms) >= len(mine):
            continue
        c0, m0 = terms[0].as_coeff_Mul()
        if m0 == 1 or m0 not in coefficients:
            continue
        c = coefficients[m0] / c0
        if not c.is_Rational:
            continue
        rest = sp.expand(k - c * theirs_key)
        if len(sp.Add.make_args(rest)) > len(mine) - len(terms):
            continue  # c·q is not a part of it: nothing cancelled
        try:
            folded = add(mul(num(Fraction(int(c.p), int(c.q))), theirs),
                         simplifier.from_sympy(rest))
        except (TypeError, ValueError, KeyError):
            continue
        if cost(folded) < cost(best):
            best = folded
    return best


def _scalar_diag(e: E) -> bool:
    return isinstance(e, Fn) and e.name == "diag" and e.shape.is_scalar \
        and e.args[0].shape.is_scalar


def _relu_gates_dropped(factors: list[E]) -> list[E]:
    """Hadamard factors without 𝟙[z > 0] where relu(z) (or a positive power of it) is
    among them: relu(z) ∘ 𝟙[z > 0] = relu(z), entry by entry."""
    relus = {f.args[0] for f in factors if isinstance(f, Fn) and f.name == "relu"} | {
        f.base.args[0] for f in factors if isinstance(f, Pow) and isinstance(f.base, Fn)
        and f.base.name == "relu" and isinstance(f.exp, Num) and f.exp.value > 0}
    return [f for f in factors if not (isinstance(f, Fn) and f.args[0] in relus and (
        f.name == "step" or (f.name == "cmp_gt" and isinstance(f.args[1], Num)
                             and f.args[1].value == 0)))] or factors


def _is_island(e: E) -> bool:
    return isinstance(e, Had | Pow) or (isinstance(e, Fn) and e.name in ELEMENTWISE) or (
        isinstance(e, Add) and not e.shape.is_scalar) or (
        isinstance(e, Mul) and not e.shape.is_scalar)


def _entrywise(e: E) -> bool:
    """A Hadamard product, an element-wise function or power of a matrix (or its
    transpose): not a sum or a scaled matrix, which read better inside a trace."""
    e = e.arg if isinstance(e, T) else e
    return not e.shape.is_scalar and (isinstance(e, Had | Pow) or (
        isinstance(e, Fn) and e.name in ELEMENTWISE))


def _kron_product(e: MatMul) -> E:
    """The product with a transposed kron's transpose taken inside and the kron identities
    applied to adjacent factors (vecrules; only where rewriting is on), else ``e`` itself."""
    factors = tuple(vecrules.kron_transpose(f) for f in e.factors)
    m = matmul(*factors) if factors != e.factors else e
    out = vecrules.product(m) if isinstance(m, MatMul) else m
    return e if out == e else out


@functools.lru_cache(maxsize=8192)
def _canonical(e: E) -> E:
    """``e`` with the terms of every sum and the factors of every Hadamard product in one
    order (by hash): a key under which diag(1 − t) and diag(−t + 1) are one word."""
    e = map_children(e, _canonical)
    if isinstance(e, Add) and e.terms:
        return dataclasses.replace(e, terms=tuple(sorted(e.terms, key=hash)))
    if isinstance(e, Had) and e.factors:
        return dataclasses.replace(e, factors=tuple(sorted(e.factors, key=hash)))
    return e


def _collect(terms):
    acc: dict[tuple, sp.Expr] = {}
    first: dict[tuple, tuple] = {}  # the word as first written, under its canonical key
    for c, w in terms:
        key = tuple(_canonical(a) for a in w)
        first.setdefault(key, w)
        acc[key] = acc.get(key, sp.Integer(0)) + c
    out = []
    for key, c in acc.items():
        w = first[key]
        c = sp.expand(c) if c.is_polynomial() else c
        if c != 0 and sp.cancel(c) != 0:
            out.append((c, w))
    return out


def _one_hot_rows(e: E) -> bool:
    """A matrix symbol assumed one-hot (each row one 1, the others 0)."""
    return isinstance(e, Sym) and e.name in facts().one_hot and not e.shape.is_column


def _diagonal_as_column(a: E) -> E | None:
    """The diagonal of the square matrix ``a`` written without diag(·) of a matrix where
    that is shorter: diag(kM) = k diag(M), diag(Mᵀ) = diag(M), diag(diag(d)) = d,
    diag(diag(d)⁻¹) = d∘⁻¹, diag(diag(p) M diag(q)) = p ∘ diag(M) ∘ q, diag(M u vᵀ) =
    (M u) ∘ v, diag(L u vᵀ R) = (L u) ∘ (Rᵀ v) (the low-rank-plus-diagonal likelihood's
    gradient by its diagonal, diag(S⁻¹yyᵀS⁻¹), meets (S⁻¹y)² only so);
    None where none applies."""
    col = Shape(a.shape.rows, ONE)
    if isinstance(a, Mul) and not a.factors[-1].shape.is_scalar:
        inner = a.factors[-1]
        return mul(*a.factors[:-1], _diagonal_as_column(inner) or Fn(col, name="diag",
                                                                      args=(inner,)))
    if isinstance(a, T):
        return _diagonal_as_column(a.arg) or Fn(col, name="diag", args=(a.arg,))
    if _is_diag(a):
        return a.args[0]
    if isinstance(a, Inv) and _is_diag(a.arg):
        return power(a.arg.args[0], num(-1))
    if not isinstance(a, MatMul):
        return None
    fs, sides = list(a.factors), []
    while len(fs) > 1 and (_is_diag(fs[0]) or (isinstance(fs[0], Inv) and _is_diag(fs[0].arg))):
        sides.append(_diagonal_as_column(fs.pop(0)))
    while len(fs) > 1 and (_is_diag(fs[-1]) or (isinstance(fs[-1], Inv)
                                                and _is_diag(fs[-1].arg))):
        sides.append(_diagonal_as_column(fs.pop()))
    if len(fs) >= 2 and fs[-1].shape.rows == ONE:  # diag(M u vᵀ) = (M u) ∘ v
        core = had(matmul(*fs[:-1]), transpose(fs[-1]))
    elif len(fs) >= 2 and fs[0].shape.cols == ONE:  # diag(u vᵀ M) = u ∘ (Mᵀv)
        core = had(fs[0], transpose(matmul(*fs[1:])))
    elif (split := _outer_product(matmul(*fs))) is not None:  # diag(L u vᵀ R) = Lu ∘ Rᵀv
        core = had(split[0], transpose(split[1]))
    elif sides:
        core = Fn(col, name="diag", args=(matmul(*fs),))
    else:
        return None
    return had(*sides, core)


def _diag_sandwich(w: tuple[E, ...]) -> tuple[E, ...] | None:
    """tr(diag(a) M diag(b) N) as the 1×1 word aᵀ(M ∘ Nᵀ)b (Σᵢⱼ aᵢMᵢⱼbⱼNⱼᵢ), for a trace
    word with exactly two diagonals of columns and something between them on both sides:
    the Gaussian process's yᵀK⁻¹(∂K/∂ℓ)K⁻¹y read tr(D diag(K⁻ᵀy) E diag(K⁻¹y)); None
    otherwise."""
    at = [i for i, f in enumerate(w) if _diag_of_column(f)]
    if len(at) != 2 or at[1] - at[0] < 2 or len(w) - at[1] + at[0] < 2:
        return None
    r = w[at[0]:] + w[:at[0]]
    j = at[1] - at[0]
    m, n = matmul(*r[1:j]), matmul(*r[j + 1:])
    if m.shape != transpose(n).shape:
        return None
    return (*_factors(transpose(r[0].args[0])), had(m, transpose(n)), *_factors(r[j].args[0]))


def _factors(e: E) -> tuple[E, ...]:
    return e.factors if isinstance(e, MatMul) else (e,)


def _diag_of_column(e: E) -> bool:
    """diag(u) of a column u (a square matrix with u on its diagonal)."""
    return isinstance(e, Fn) and e.name == "diag" and e.args[0].shape.is_column \
        and not e.args[0].shape.is_one_by_one and not e.shape.is_column


def _is_diag(e: E) -> bool:
    return isinstance(e, Fn) and e.name == "diag" and e.args[0].shape.is_column \
        and e.shape.is_square


def _merge_sums(terms: tuple[E, ...]) -> list[E]:
    """Σa + c·Σb = Σ(a + c·b) for element-wise a, b of one shape: one island, so that
    a∘(1 − y) + a∘y meets as a (the logistic loss's second differential)."""
    groups: dict[Shape, list[E]] = {}
    rest: list[E] = []
    for t in terms:
        scalars, core = (list(t.factors[:-1]), t.factors[-1]) if isinstance(t, Mul) else ([], t)
        if isinstance(core, Fn) and core.name == "sum" and not core.args[0].shape.is_scalar \
                and _is_island(core.args[0]):
            groups.setdefault(core.args[0].shape, []).append(
                mul(*scalars, core.args[0]) if scalars else core.args[0])
        else:
            rest.append(t)
    for parts in groups.values():
        rest.append(Fn(SCALAR, name="sum", args=(add(*parts),)) if len(parts) > 1 else
                    Fn(SCALAR, name="sum", args=parts))
    return rest


def _diag_into_vector(w: tuple[E, ...]) -> E | None:
    """The word with a diagonal factor diag(d) (d a column) taken into the column product
    that follows it, diag(d) v = d ∘ v, or else into the row product before it, uᵀdiag(d)
    = (u ∘ d)ᵀ; None where no diagonal factor meets a vector so."""
    for k, a in enumerate(w):
        if not _is_diag(a):
            continue
        d = a.args[0]
        m = next((m for m in range(k + 1, len(w)) if w[m].shape.cols == ONE), None)
        if m is not None:
            return matmul(*w[:k], had(d, matmul(*w[k + 1:m + 1])), *w[m + 1:])
        j = next((j for j in range(k - 1, -1, -1) if w[j].shape.rows == ONE), None)
        if j is not None:
            row = transpose(matmul(*w[j:k]))
            return matmul(*w[:j], transpose(had(d, row)), *w[k + 1:])
    return None


def _outer_product(m: E) -> tuple[E, E] | None:
    """(u, rᵀ) with m = u rᵀ, u a column and rᵀ a row, for a product m that passes through
    a column or an all-ones matrix (𝟏ₚₓ𝓆 = 𝟏ₚ𝟏𝓆ᵀ); else None."""
    if not isinstance(m, MatMul):
        return None
    fs = m.factors
    for i, f in enumerate(fs[:-1]):
        if f.shape.cols == ONE:
            return matmul(*fs[:i + 1]), matmul(*fs[i + 1:])
    for i, f in enumerate(fs):
        if isinstance(f, Ones) and f.shape.rows != ONE and f.shape.cols != ONE:
            return (matmul(*fs[:i], Ones(Shape(f.shape.rows, ONE))),
                    matmul(Ones(Shape(ONE, f.shape.cols)), *fs[i + 1:]))
    return None


def _outer_product_sandwich(e: Had) -> E | None:
    """M ∘ u rᵀ = diag(u) M diag(r) for a matrix (neither a column nor a row) with an outer
    product among its Hadamard factors: M ∘ 𝟏aᵀ = M diag(a), so the row sums (M ∘ 𝟏aᵀ)𝟏
    read Ma and words meet that differ only so."""
    if e.shape.is_column or e.shape.rows == ONE:
        return None
    for i, f in enumerate(e.factors):
        split = _outer_product(f)
        if split is None:
            continue
        u, r = split
        rest = had(*e.factors[:i], *e.factors[i + 1:])
        left = () if isinstance(u, Ones) else (Fn(Shape(u.shape.rows, u.shape.rows),
                                                  name="diag", args=(u,)),)
        right = () if isinstance(r, Ones) else (Fn(Shape(r.shape.cols, r.shape.cols),
                                                   name="diag", args=(transpose(r),)),)
        return matmul(*left, rest, *right)
    return None


def _cancel_cyclic(w: tuple[E, ...]) -> tuple[E, ...]:
    """A trace's word with M M⁻¹ pairs cancelled, also across its two ends (tr is cyclic)."""
    w = list(w)
    changed = True
    while changed and len(w) > 1:
        changed = False
        for i in range(len(w)):
            j = (i + 1) % len(w)
            if i != j and _cancels(w[i], w[j]):
                for k in sorted((i, j), reverse=True):
                    del w[k]
                changed = True
                break
    return tuple(w)


def _cancels(a: E, b: E) -> bool:
    """a b = I: M M⁻¹, M⁻¹ M, and QᵀQ, QQᵀ for an orthogonal Q."""
    if isinstance(b, Inv) and b.arg == a and a.shape.is_square:
        return True
    if isinstance(a, Inv) and a.arg == b and b.shape.is_square:
        return True
    orth = facts().orthogonal
    if isinstance(a, T) and isinstance(a.arg, Sym) and a.arg.name in orth and b == a.arg:
        return True
    return isinstance(b, T) and isinstance(b.arg, Sym) and b.arg.name in orth and a == b.arg


def _word_key(w: tuple[E, ...]) -> tuple:
    from verifier.derive.printing import to_language

    # fewest transposes; then a transposed factor first (tr(XᵀX), aᵀb), then the text
    transposes = sum(1 for a in w for n in leaves(a) if isinstance(n, T))
    return (transposes, not isinstance(w[0], T), " ".join(to_language(a) for a in w))


def _size(size) -> E:
    from verifier.derive.expr import size_expr

    return size_expr(size)


def _size_text(size) -> str | None:
    if size is None:
        return None
    if hasattr(size, "terms"):
        return None
    if size.coef != 1 and size.names:
        return None
    if len(size.names) > 1:
        return None
    return size.names[0] if size.names else str(size.coef)


def _common_factor(coefs: list[sp.Expr]) -> sp.Expr:
    try:
        g = coefs[0]
        for c in coefs[1:]:
            g = sp.gcd(g, c)
        g = sp.factor_terms(g)
    except (sp.PolynomialError, TypeError, ValueError):
        g = sp.Integer(1)
    if all(sp.sympify(c).could_extract_minus_sign() for c in coefs):
        g = -g if not g.could_extract_minus_sign() else g
    return g


def _written_decimal(c: sp.Rational) -> bool:
    """c reads as a decimal of three or more places (0.044715, 1.702: a denominator of 2s
    and 5s, a multiple of 5, at least 100): a constant of a formula, not a fraction."""
    q = int(c.q)
    if q < 100 or q % 5:
        return False
    while q % 10 == 0:
        q //= 10
    while q % 2 == 0:
        q //= 2
    while q % 5 == 0:
        q //= 5
    return q == 1


def _forms(expr: sp.Expr) -> list[sp.Expr]:
    forms = [expr]
    if not _searching():
        return forms
    rewrites = (sp.expand, sp.factor_terms, sp.cancel, sp.factor, sp.together,
                _powers_combined, _exp_powers, _sigmoids_of_negatives_turned,
                _exp_ratios_as_tanh, _shared_factor_collected)
    if _textbook:
        rewrites += (_pythagorean, _radicands_expanded, _inverse_sines, _inverse_sines_reduced,
                     _inverse_sines_expanded)
    # a decimal written in EXPR (0.044715, an exact 8943/200000) is one opaque number to
    # the rewrites: factor and together cleared its denominator and printed the GELU tanh
    # form's Hessian as (0.00000000005 − 0.00000000005 tanh(…)²)(5365800000√2x²/√π + …)
    # (as well as the rewrites of the exact number: the cost decides)
    decimals = {c: sp.Dummy(positive=bool(c > 0)) for c in expr.atoms(sp.Rational)
                if _written_decimal(c)}
    back = {d: c for c, d in decimals.items()}
    written = _written_arguments(expr)
    forms = [_arguments_as_written(expr, written)]
    # these write a decimal's denominator into integers ((26829x² + 200000)/200000)
    clearing = (sp.factor, sp.together, sp.cancel, sp.factor_terms, _shared_factor_collected)
    for body in (expr, expr.xreplace(decimals)) if decimals else (expr,):
        for rewrite in rewrites:
            if decimals and body is expr and rewrite in clearing:
                continue
            try:
                f = _arguments_as_written(rewrite(body).xreplace(back), written)
            except (sp.PolynomialError, TypeError, ValueError, NotImplementedError,
                    RecursionError):
                continue
            if f not in forms:
                forms.append(f)
    return forms



def _argument_key(f: sp.Expr) -> tuple:
    return f.func, tuple(sp.expand(a) for a in f.args)


def _written_arguments(expr: sp.Expr) -> dict:
    """Each function of ``expr`` (tanh(u), erf(u), …) by its expanded argument: the
    shortest spelling of that argument among its occurrences."""
    out: dict = {}
    for f in expr.atoms(sp.Function):
        key = _argument_key(f)
        if key not in out or len(str(f)) < len(str(out[key])):
            out[key] = f
    return out


def _arguments_as_written(expr: sp.Expr, written: dict) -> sp.Expr:
    """A function whose argument a rewrite expanded (expand is deep: tanh(a(x + bx³)) became
    tanh(abx³ + ax), printed with a 15-digit decimal beside the written one) in the
    spelling ``expr`` had before where that is shorter (a rewrite that shortened an
    argument, 𝟙[τr + (1 − τ)r > 0] to 𝟙[r > 0], keeps its own)."""
    turned = {}
    for f in expr.atoms(sp.Function):
        w = written.get(_argument_key(f)) if f.args else None
        if w is not None and w != f and len(str(w)) < len(str(f)):
            turned[f] = w
    return expr.xreplace(turned) if turned else expr


def _shared_factor_collected(expr: sp.Expr) -> sp.Expr:
    """A factor that several terms of a sum share, but not all, taken out of them, the rest
    factored apart: GELU's gradient 0.134145√2x³(1 − t²)/(2√π) + x√2(1 − t²)/(2√π) + t/2 + 1/2
    is x√2(1 − t²)(0.134145x² + 1)/(2√π) + (t + 1)/2 (factor takes a factor out of every
    term or none); the fewest operations among the choices, unchanged if none is fewer.
    Only where the input holds no decimal the rewrites would clear (``_forms``)."""
    terms = sp.Add.make_args(expr)
    if not 3 <= len(terms) <= 8:
        return expr
    # only a factor holding a function (1 − tanh(u)², σ(z)²): a shared symbol taken out of
    # some terms read longer (the pinball loss's indicator, the Tversky loss)
    counts = Counter(f for t in terms for f in set(sp.Mul.make_args(t))
                     if not f.is_number and f.atoms(sp.Function))
    best, fewest = expr, sp.count_ops(expr)
    tidies = (sp.factor_terms, sp.factor)
    for f, k in counts.items():
        if not 2 <= k < len(terms):
            continue
        inside = sp.Add(*[t / f for t in terms if f in sp.Mul.make_args(t)])
        rest = sp.Add(*[t for t in terms if f not in sp.Mul.make_args(t)])
        for tidy in tidies:
            candidate = f * tidy(inside) + tidy(rest)
            if (ops := sp.count_ops(candidate)) < fewest:
                best, fewest = candidate, ops
    return best


def _exp_powers(expr: sp.Expr) -> sp.Expr:
    """(eᵃ)ᵏ = eᵏᵃ (eᵃ > 0 for real a, so for every real k): exp(x)/sqrt(exp(x)) is
    exp(x/2); unchanged where no power of an exp occurs."""
    if not any(isinstance(p.base, sp.exp) for p in expr.atoms(sp.Pow)):
        return expr
    return sp.cancel(expr.replace(lambda p: isinstance(p, sp.Pow) and isinstance(p.base, sp.exp),
                                  lambda p: sp.exp(p.exp * p.base.args[0])))


def _exp_ratios_as_tanh(expr: sp.Expr) -> sp.Expr:
    """A ratio of exponentials over (eᵃ + eᵇ)ᵏ in tanh((a − b)/2) = t: each e^(pa + qb),
    p + q = k, over (eᵃ + eᵇ)ᵏ is ((1 + t)/2)ᵖ((1 − t)/2)^q.  Log-cosh's gradient
    (e²ᵘ − 1)/(e²ᵘ + 1) is tanh(u) and its Hessian 4e²ᵘ/(e²ᵘ + 1)² is 1 − tanh²(u); unchanged
    where the denominator is no such power (the cost keeps whichever form is shorter)."""
    if not expr.has(sp.exp):
        return expr
    numer, denom = sp.fraction(sp.cancel(sp.together(expr)))
    scale, denom = sp.factor(denom).as_coeff_Mul()
    base, k = denom.as_base_exp() if isinstance(denom, sp.Pow) else (denom, sp.Integer(1))
    if not (k.is_Integer and k > 0):
        return expr
    pair = _exp_pair(sp.expand(base))
    if pair is None:
        return expr
    c, a, b = pair
    c = c * scale ** (sp.Integer(1) / k)
    half = sp.factor_terms((a - b) / 2)
    if sp.fraction(half)[1] != 1:  # e^z/(e^z + 1) stays: σ(z) is not tanh(z/2) to a reader
        return expr
    t = sp.tanh(half)
    out = sp.Integer(0)
    for term in sp.Add.make_args(sp.expand(numer)):
        exps = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.exp)]
        m = exps[0].args[0] if len(exps) == 1 else sp.Integer(0) if not exps else None
        if m is None:
            return expr
        rest = term / sp.exp(m) if exps else term
        if rest.has(sp.exp):
            return expr
        p = sp.cancel((m - k * b) / (a - b))
        if not (p.is_Integer and 0 <= p <= k):
            return expr
        out += rest * ((1 + t) / 2) ** p * ((1 - t) / 2) ** (k - p)
    return sp.expand(out / c ** k)


def _exp_pair(base: sp.Expr) -> tuple[sp.Expr, sp.Expr, sp.Expr] | None:
    """(c, a, b) where ``base`` is c(eᵃ + eᵇ) (a constant term is c e⁰), a − b not 0."""
    terms = sp.Add.make_args(base)
    if len(terms) != 2:
        return None
    parts = []
    for term in terms:
        exps = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.exp)]
        if len(exps) > 1:
            return None
        m = exps[0].args[0] if exps else sp.Integer(0)
        c = term / sp.exp(m) if exps else term
        if c.has(sp.exp):
            return None
        parts.append((c, m))
    (c1, a), (c2, b) = parts
    if sp.expand(c1 - c2) != 0 or sp.expand(a - b) == 0:
        return None
    return c1, a, b


def _sigmoids_of_negatives_turned(expr: sp.Expr) -> sp.Expr:
    """σ(−u) = 1 − σ(u), expanded: the cross-entropy written with log σ(−Xw) for log(1 − σ)
    collects to σ(Xw) − y (it read (1 − σ(−Xw)) ∘ (1 − y) − (1 − σ(Xw)) ∘ y); unchanged
    where no σ of a negative occurs (the cost keeps whichever form is shorter)."""
    sigmoid = _functions()["sigmoid"]
    turned = {f: 1 - sigmoid(-f.args[0]) for f in expr.atoms(sigmoid)
              if f.args[0].could_extract_minus_sign()}
    return sp.expand(expr.xreplace(turned)) if turned else expr


def _powers_combined(expr: sp.Expr) -> sp.Expr:
    """sⁿ/s = sⁿ⁻¹ for a symbolic n (expand and cancel leave it), only where a power has a
    symbolic exponent."""
    if not any(isinstance(p, sp.Pow) and not p.exp.is_Number for p in expr.atoms(sp.Pow)):
        return expr
    return sp.expand(sp.powsimp(sp.expand(expr), force=True))


def _pythagorean(expr: sp.Expr) -> sp.Expr:
    """sin² + cos² = 1 (SymPy's trigsimp): tan's derivative sin(x)²/cos(x)² + 1 is
    1/cos(x)²; only on a small expression in one variable with a sine or cosine (trigsimp's
    time grows fast, and the provers' canonical forms do not know the identity), unchanged
    otherwise."""
    if not expr.has(sp.sin, sp.cos) or sp.count_ops(expr) > 40 or len(expr.free_symbols) > 1:
        return expr  # the rotary Hessian's cos² − sin² as 1 − 2sin² was proved at sizes only
    out = sp.trigsimp(expr)
    # no multiple angles (9cos(3x)/4 − cos(x)/4 for 2cos³x − 7sin²x cos x, exp(1/2 −
    # cos(2x)/2) for exp(sin²x)): only the angles the expression already has
    def angles(e: sp.Expr) -> set:
        return {f.args[0] for f in e.atoms(sp.sin, sp.cos)}
    return out if angles(out) <= angles(expr) else expr


def _inverse_sines(expr: sp.Expr) -> sp.Expr:
    """atan(u/(√(1 − u²) + 1)) = asin(u)/2: the language reads asin (and acos, π/2 − asin)
    as that half-angle arc tangent, so where asin survives differentiation (x asin x, ArcFace's
    cos(acos(u) + m)) the result printed the arc tangent; unchanged where no such one occurs.
    Only for the printed form (``textbook_forms``): the text reads back as the same function."""
    turned = {}
    for a in expr.atoms(sp.atan):
        arg = a.args[0]
        for root in arg.atoms(sp.Pow):
            if root.exp != sp.Rational(1, 2):
                continue
            u = sp.cancel(arg * (root + 1))
            if not u.has(root) and sp.expand(root.base - (1 - u ** 2)) == 0:
                turned[a] = sp.asin(u) / 2
                break
    if not turned:
        return expr
    out = expr.xreplace(turned)
    if out.has(sp.pi):  # acos(u) = π/2 − asin(u): (2asin(x) − π)/√(1 − x²) is −2acos(x)/√(…)
        arccos = sp.expand(out.xreplace({f: sp.pi / 2 - sp.acos(f.args[0])
                                         for f in out.atoms(sp.asin)}))
        if not arccos.has(sp.pi):
            return arccos
    return out


def _inverse_sines_reduced(expr: sp.Expr) -> sp.Expr:
    """asin read, then its one square root left read modulo s² = R as a whole: the second
    derivative of asin(x)² is (2x asin(x) + 2√(1 − x²))/(1 − x²)^(3/2)."""
    turned = _inverse_sines(expr)
    return turned if turned is expr else _radicands_expanded(turned)


def _inverse_sines_expanded(expr: sp.Expr) -> sp.Expr:
    """asin (acos) read, then the coefficient of each power of it read modulo s² = R on its
    own: ∂(x acos x)/∂x is acos(x) − x/√(1 − x²) (the arc tangent's derivative, in its
    half-angle form, and the arc tangent over one denominator reached neither)."""
    turned = _inverse_sines(expr)
    if turned is expr or sp.count_ops(turned) > 200:
        return turned
    atoms = sorted(turned.atoms(sp.asin, sp.acos), key=str)
    parts = sp.collect(sp.expand(turned), atoms, evaluate=False)
    return sp.Add(*[k * _radicands_expanded(c) for k, c in parts.items()])


def _radicands_expanded(expr: sp.Expr) -> sp.Expr:
    """Powers of one square root √R read modulo s² = R (s = √R, R over its expanded form):
    asin's derivative (√(−(x + 1)(x − 1)))⁻¹ is 1/√(1 − x²), its second derivative
    x/(1 − x²)^(3/2), asin(tanh(x))'s (√(1 − t²) + 1 − t²)/(√(1 − t²) + 1) is √(1 − t²);
    unchanged without such a root, with two of them, or on a large expression or one in more
    than one variable (the pseudo-Huber Hessian's island in Xw and y took 1.4 s more)."""
    if len(expr.free_symbols) > 1 or not any(
            isinstance(p.exp, sp.Rational) and p.exp.q == 2 for p in expr.atoms(sp.Pow)) \
            or sp.count_ops(expr) > 200:
        return expr  # factoring batch norm's islands alone took seconds
    expr = sp.factor(expr)
    roots = {p: sp.expand(p.base) for p in expr.atoms(sp.Pow)
             if isinstance(p.exp, sp.Rational) and p.exp.q == 2}
    if len(set(roots.values())) != 1 or sp.count_ops(expr) > 60:
        return expr
    radicand = next(iter(roots.values()))
    # a radicand written as a sum stays as written ((x − y)² + 1: the prover's atoms must
    # meet the ones it compares with); a factored one, −(x + 1)(x − 1), reads expanded
    written = next((p.base for p in roots if p.base.is_Add), radicand)
    s = sp.Dummy("s", positive=True)
    body = expr.xreplace({p: s ** (2 * p.exp) for p in roots})
    # a function of s (atan(x/(s + 1))) and the radicand's own functions (tanh(x)): atoms
    opaque = {f: sp.Dummy() for f in body.atoms(sp.Function) | radicand.atoms(sp.Function)}
    body, radicand = body.xreplace(opaque), radicand.xreplace(opaque)
    gens = sorted(body.free_symbols - {s}, key=str)
    # a Gröbner basis per island: kept to the scalar calculus it is for (one or two
    # variables); batch norm's gradient, in five, ran two minutes into a RecursionError
    if len(gens) > 2 or not (radicand.is_Add and radicand.free_symbols
                             and radicand.is_polynomial(*gens)
                             and body.is_rational_function(s, *gens)):
        return expr
    reduced = sp.ratsimpmodprime(sp.cancel(sp.together(body)), [s ** 2 - radicand], s, *gens)

    def powers_of_root(poly: sp.Expr) -> sp.Expr:
        # poly = q·Rᵏ is q·s²ᵏ: (√(1 − x²) − x²√(1 − x²)) is (1 − x²)^(3/2)
        out = sp.Integer(1)
        for _ in range(4):
            q, r = sp.div(sp.expand(poly), radicand, *gens, s)
            if r != 0 or q == 0:
                break
            poly, out = q, out * s ** 2
        return out * poly

    numer, denom = sp.fraction(reduced)
    reduced = powers_of_root(numer) / powers_of_root(denom)
    back = {d: f for f, d in opaque.items()}
    return sp.powsimp(reduced.xreplace(back).xreplace({s: sp.sqrt(written)}))


def _best_form(expr: sp.Expr, score) -> sp.Expr:
    best, best_score = expr, None
    for f in _forms(expr):
        try:
            s = score(f)
        except (TypeError, ValueError):
            continue
        if best_score is None or s < best_score:
            best, best_score = f, s
    return best


def _negative(e: E) -> bool:
    if isinstance(e, Num):
        return e.value < 0
    return isinstance(e, Mul) and isinstance(e.factors[0], Num) and e.factors[0].value < 0


def _ordered_add(parts: list[E]) -> E:
    """A sum in reading order: positive terms first, larger ones first, then by text."""
    flat: list[E] = []
    for p in parts:
        flat.extend(p.terms if isinstance(p, Add) else (p,))
    flat.sort(key=lambda t: (_negative(t), isinstance(t, Num), -_atoms(t), _text(t)))
    out = add(*flat)
    if isinstance(out, Add):
        return Add(out.shape, terms=tuple(flat)) if len(out.terms) == len(flat) else out
    return out


def _had_order(e: E) -> tuple:
    """Factors of an element-wise product in reading order: the one with the most symbols
    first ((σ(z) − y) ∘ σ(z) ∘ (1 − σ(z))), plain ones before those with constants."""
    names = {n.name for n in leaves(e) if isinstance(n, Sym)}
    constants = sum(1 for n in leaves(e) if isinstance(n, Num))
    return (-len(names), constants, _text(e))


@functools.lru_cache(maxsize=1 << 15)
def _atoms(e: E) -> int:
    """Symbol occurrences; an identity counts twice (factoring one out, (2I − A)x, reads
    worse than the sum it came from).  A constant term of a sum (c·𝟏, the scalar c added to
    every entry) is not an occurrence: 2x/3 + 3x²/7 + 2/5 is not costlier than
    (45x² + 70x + 42)/105."""
    return sum(2 if isinstance(n, Eye) else 1 for n in leaves(e)
               if isinstance(n, Sym | Eye | Ones | Dim)) + sum(
        2 for n in leaves(e) if isinstance(n, Fn) and n.name == "diag"
        and isinstance(n.args[0], Ones)) - _constant_terms(e)


def _constant_terms(e: E) -> int:
    """The terms c·𝟏 of the sums in ``e`` (c a number other than ±1)."""
    count = sum(_constant_terms(t) for t in getattr(e, "terms", ()) or ()) + sum(
        _constant_terms(f) for f in getattr(e, "factors", ()) or ()) + sum(
        _constant_terms(a) for a in getattr(e, "args", ()) or ())
    for name in ("arg", "base"):
        if isinstance(getattr(e, name, None), E):
            count += _constant_terms(getattr(e, name))
    if isinstance(e, Add):  # c·𝟏 with c ≠ ±1 (𝟏 itself still counts: 1 − t² beside 𝟏 − t²)
        count += sum(1 for t in e.terms if isinstance(t, Mul) and isinstance(
            t.factors[-1], Ones) and all(isinstance(f, Num) for f in t.factors[:-1])
            and abs(math.prod(f.value for f in t.factors[:-1])) != 1)
    return count


def cost(e: E | None) -> tuple:
    """Fewest symbol occurrences, then the shortest text."""
    if e is None:
        return (10**9, 10**9, 10**9)
    literals = sum(1 for n in leaves(e) if isinstance(n, Num) and abs(n.value) != 1)
    return (_atoms(e), literals, len(_text(e)))


# the sort keys and costs of the form search print and count the same sub-trees again and
# again (t-SNE's gradient: a third of its derivation); a tree's text and count never change
@functools.lru_cache(maxsize=1 << 15)
def _text(e: E) -> str:
    from verifier.derive.printing import to_unicode

    return to_unicode(e)


# The search for the shortest form (rewrites of each element-wise island, factorings of each
# sum) grows with the number of terms: t-SNE's gradient by its embedding ran for minutes.
# ``derive`` gives its simplifications this many seconds of CPU time (``search_budget``; not
# the wall clock, so a busy machine prints the same form as a quiet one); past them the
# search stops: each sum is kept as collected and each island as SymPy builds it.  Only the
# form's length depends on it; every rewrite left is still an identity, and the result is
# proved as before.  A prover's residual has no deadline: it must reach 0 to count.
SEARCH_SECONDS = 4.0
_deadline: list[float] = []


@contextmanager
def search_budget(seconds: float):
    """A deadline for the form search of every simplification inside (an outer one holds)."""
    if _deadline:
        yield
        return
    _deadline.append(time.thread_time() + seconds)
    try:
        yield
    finally:
        _deadline.clear()


@contextmanager
def textbook_forms():
    """Rewrites for the form ``derive`` prints and no prover needs (sin² + cos² = 1, powers
    of one square root): inside, the form search tries them too.  A prover's residual keeps
    its atoms as they are (√((x − y)² + 1) read through s² = R did not cancel)."""
    _textbook.append(True)
    try:
        yield
    finally:
        _textbook.pop()


_textbook: list[bool] = []


def _searching() -> bool:
    """Whether the form search may go on (no deadline, or before it)."""
    return not _deadline or time.thread_time() < _deadline[0]


def simplify(e: E) -> E:
    """``e`` in textbook form (see the module docstring)."""
    return _ones_into_columns(_Simplifier().simplify(e))


def coefficients_simplified(e: E) -> E:
    """``e`` with the scalar coefficient of each scaled matrix simplified on its own, where
    that is shorter: the like-term collection keeps a scaled matrix as built where
    expanding it costs more ((x − mean(x))xᵀ), and with it a coefficient that reads
    (√(var(x) + ε))⁻²(√(var(x) + ε))⁻¹ for (var(x) + ε)^(−3/2)."""
    e = map_children(e, coefficients_simplified)
    if not isinstance(e, Mul) or len(e.factors) < 2 or e.shape.is_scalar:
        return e
    simplifier = _Simplifier()
    coefficient = simplifier.best_scalar(sp.Mul(*[simplifier.scalar(f)
                                                  for f in e.factors[:-1]]))
    out = mul(coefficient, e.factors[-1])
    return out if cost(out) < cost(e) else e


def _symmetric_transposes(e: E) -> E:
    """e with Sᵀ and S⁻ᵀ read as S and S⁻¹ for every S assumed symmetric (symmetric,
    diagonal, positive definite), so a raw form kept as written does not print S⁻ᵀ."""
    sym = facts().symmetric
    if not sym:
        return e
    if isinstance(e, T) and isinstance(e.arg, Sym) and e.arg.name in sym:
        return e.arg
    if isinstance(e, T) and isinstance(e.arg, Inv) and isinstance(e.arg.arg, Sym) \
            and e.arg.arg.name in sym:
        return e.arg
    return map_children(e, _symmetric_transposes)


def map_children(e: E, fn) -> E:
    """e with fn applied to each child expression (a field that is one, or a tuple of them)."""
    changes = {}
    for f in dataclasses.fields(e):
        v = getattr(e, f.name)
        if isinstance(v, E):
            new = fn(v)
            if new is not v:
                changes[f.name] = new
        elif isinstance(v, tuple) and v and all(isinstance(a, E) for a in v):
            new = tuple(fn(a) for a in v)
            if any(a is not b for a, b in zip(new, v, strict=True)):
                changes[f.name] = new
    # the node itself where no child changed: it keeps its memoised hash
    return dataclasses.replace(e, **changes) if changes else e


def _ones_into_columns(e: E) -> E:
    """(M ∘ 𝟏rᵀ) b = M (r ∘ b) wherever a Hadamard product with an all-ones outer factor
    meets a column: the like-term collection expands M where it is a sum and then keeps the
    shorter form with the all-ones factor (diag(((𝟏cᵀ) ∘ B tanh(xaᵀ) ∘ (1 − t)) b))."""
    e = map_children(e, _ones_into_columns)
    if not isinstance(e, MatMul):
        return e
    fs = list(e.factors)
    for i in range(len(fs) - 1):
        h, b = fs[i], fs[i + 1]
        if not (isinstance(h, Had) and b.shape.is_column and not b.shape.is_one_by_one):
            continue
        for k, g in enumerate(h.factors):
            split = _outer_product(g)
            if split is not None and isinstance(split[0], Ones):
                fs[i] = had(*h.factors[:k], *h.factors[k + 1:])
                fs[i + 1] = had(transpose(split[1]), b)
                break
    return matmul(*fs) if fs != list(e.factors) else e
