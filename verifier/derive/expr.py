"""The matrix expressions ``derive`` computes with: small frozen nodes with static shapes.

A node's shape is the claim language's ``Shape`` (sizes are products of dimension names), so a
result can be printed back into the language and compiled there.  A scalar has the shape
``SCALAR``; a 1×1 matrix (``xᵀy``) keeps its 1×1 shape but is *scalar-like*: it scales,
commutes and adds as a scalar, as the language reads it.

The constructors (``add``, ``mul``, ``matmul``, ``transpose``, ``inv``, ``power``, ``had``,
``fn``) do the light rewrites every later step relies on: flattening, folding numbers,
dropping identities and zeros, and pushing transposes down to the leaves ((AB)ᵀ = BᵀAᵀ,
(A⁻¹)ᵀ = (Aᵀ)⁻¹, Sᵀ = S for a symmetric S), so a transpose only ever wraps a leaf.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections import Counter
from dataclasses import dataclass, field, fields
from fractions import Fraction

from verifier.claim import exact_ends
from verifier.language.shapes import ONE, SCALAR, Shape, Size, SizeSum

__all__ = [
    "ELEMENTWISE",
    "Add",
    "Const",
    "Dim",
    "E",
    "Eye",
    "Facts",
    "Fn",
    "Had",
    "Inv",
    "MatMul",
    "Mul",
    "NoClosedForm",
    "Num",
    "Ones",
    "Pow",
    "Sym",
    "T",
    "Zero",
    "add",
    "assuming",
    "depends",
    "facts",
    "facts_of",
    "fn",
    "had",
    "inner",
    "inv",
    "is_scalar",
    "leaves",
    "matmul",
    "mul",
    "neg",
    "num",
    "power",
    "scale",
    "size_expr",
    "transpose",
]


class NoClosedForm(Exception):
    """The expression uses an operation that has no matrix-form derivative rule here."""


# element-wise functions of one argument (a scalar or a matrix, entry by entry)
ELEMENTWISE = ("log", "exp", "sqrt", "abs", "tanh", "sigmoid", "relu", "step", "sin", "cos",
               "atan", "erf")


def _memoised_hash(self: E) -> int:
    """The node's hash, computed once: the simplifier looks trees up in dicts at every
    step, and a frozen dataclass hashes all its fields, the whole tree, at each call (a
    third of t-SNE's derivation)."""
    try:
        return self.__dict__["_hash"]
    except KeyError:
        h = hash(tuple(getattr(self, f.name) for f in fields(self)))
        object.__setattr__(self, "_hash", h)
        return h


@dataclass(frozen=True)
class E:
    shape: Shape

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        # set before @dataclass runs on the subclass: an explicit __hash__ is one dataclass
        # keeps, so every node class, also a new one, hashes once (_memoised_hash)
        cls.__hash__ = _memoised_hash  # type: ignore[method-assign]


@dataclass(frozen=True)
class Sym(E):
    name: str = ""
    kind: str = "scalar"  # scalar, integer, vector, matrix


@dataclass(frozen=True)
class Num(E):
    value: Fraction = Fraction(0)


@dataclass(frozen=True)
class Dim(E):
    """A dimension name used as a number (1/N)."""

    name: str = ""


@dataclass(frozen=True)
class Const(E):
    name: str = "pi"


@dataclass(frozen=True)
class Eye(E):
    pass


@dataclass(frozen=True)
class Ones(E):
    pass


@dataclass(frozen=True)
class Zero(E):
    pass


@dataclass(frozen=True)
class Add(E):
    """A sum; in a matrix sum a scalar term is added to every entry (as NumPy broadcasts)."""

    terms: tuple[E, ...] = ()


@dataclass(frozen=True)
class Mul(E):
    """A product of scalars, the last factor possibly a matrix (scaled)."""

    factors: tuple[E, ...] = ()


@dataclass(frozen=True)
class MatMul(E):
    factors: tuple[E, ...] = ()


@dataclass(frozen=True)
class T(E):
    arg: E = field(default_factory=lambda: Num(SCALAR))


@dataclass(frozen=True)
class Inv(E):
    arg: E = field(default_factory=lambda: Num(SCALAR))


@dataclass(frozen=True)
class Pow(E):
    """base ** exponent, entry by entry for a matrix base."""

    base: E = field(default_factory=lambda: Num(SCALAR))
    exp: E = field(default_factory=lambda: Num(SCALAR))


@dataclass(frozen=True)
class Had(E):
    """The element-wise (Hadamard) product of matrices of one shape."""

    factors: tuple[E, ...] = ()


@dataclass(frozen=True)
class Fn(E):
    """A named function: element-wise ones (``ELEMENTWISE``), trace, det, sum, mean, norm,
    softmax, log_softmax, logsumexp, diag, var; ``step`` is the indicator 1[x > 0]."""

    name: str = ""
    args: tuple[E, ...] = ()


def _state(self: E) -> dict:
    """A node's fields without its memoised hash (a string's hash differs between
    processes, and a derivation is decided in a worker)."""
    return {k: v for k, v in self.__dict__.items() if k != "_hash"}


E.__hash__ = _memoised_hash  # type: ignore[method-assign]
E.__getstate__ = _state  # type: ignore[method-assign]


# ----- what the assumptions say about symbols -----


@dataclass(frozen=True)
class Facts:
    symmetric: frozenset[str] = frozenset()  # Sᵀ = S (symmetric, diagonal, positive definite)
    orthogonal: frozenset[str] = frozenset()  # QᵀQ = QQᵀ = I
    sums_to_one: frozenset[str] = frozenset()  # sum(p) = 1
    one_hot: frozenset[str] = frozenset()  # each row of Y one-hot: Y𝟏 = 𝟏
    positive: frozenset[str] = frozenset()  # every entry > 0 (an open set: kept by without)
    skew: frozenset[str] = frozenset()  # Kᵀ = −K

    def without(self, name: str) -> Facts:
        """The facts about every symbol but ``name``: the one differentiated by.  Its
        gradient is taken entry by entry, unconstrained (as the engine takes it), and only
        evaluated where the facts hold: Sᵀ = S may simplify ∂f/∂S, never f before it.
        Positivity stays: it holds on a neighbourhood of every point where it holds, so f
        may be rewritten there (Πᵢ xᵢ = exp Σᵢ log xᵢ) without changing its gradient."""
        return Facts(self.symmetric - {name}, self.orthogonal - {name},
                     self.sums_to_one - {name}, self.one_hot - {name}, self.positive,
                     self.skew - {name})


_FACTS: contextvars.ContextVar[Facts | None] = contextvars.ContextVar("derive_facts",
                                                                     default=None)
_NO_FACTS = Facts()


def facts() -> Facts:
    return _FACTS.get() or _NO_FACTS


def facts_of(assumptions) -> Facts:
    """What ``derive`` uses of a claim's assumptions (``claim.Assumption``s): symmetric,
    diagonal and positive definite matrices equal their transposes, skew-symmetric ones
    their transposes' negatives, orthogonal ones invert
    by transposing, a vector that sums to 1 sums to 1; the rest is left to the engine."""
    sym, orth, one, hot, pos, skew = set(), set(), set(), set(), set(), set()
    for a in assumptions:
        if a.compound:
            continue
        # the end as written: the float of -1e-400 is -0.0, which read (-1e-400, 1) as positive
        low = exact_ends(a)[0] if a.kind == "interval" and a.interval else None
        if a.kind == "positive" or (low is not None and (low > 0 or (low == 0 and
                                                                       a.interval[2]))):
            pos.add(a.names[0])
        if a.kind in ("symmetric", "diagonal", "positive definite"):
            sym.add(a.names[0])
        elif a.kind == "orthogonal":
            orth.add(a.names[0])
        elif a.kind == "sums to 1":
            one.add(a.names[0])
        elif a.kind == "one-hot":
            hot.add(a.names[0])
        elif a.kind == "skew-symmetric":
            skew.add(a.names[0])
    return Facts(frozenset(sym), frozenset(orth), frozenset(one), frozenset(hot),
                 frozenset(pos), frozenset(skew))


@contextlib.contextmanager
def assuming(f: Facts):
    token = _FACTS.set(f)
    try:
        yield
    finally:
        _FACTS.reset(token)


# ----- small helpers -----


def is_scalar(e: E) -> bool:
    """A scalar, or a 1×1 matrix read as one."""
    return e.shape.is_scalar or e.shape.is_one_by_one


def num(v: int | Fraction) -> Num:
    return Num(SCALAR, value=Fraction(v))


ZERO, ONE_ = num(0), num(1)


def is_num(e: E, v: int | Fraction | None = None) -> bool:
    return isinstance(e, Num) and (v is None or e.value == v)


def is_zero(e: E) -> bool:
    return isinstance(e, Zero) or is_num(e, 0)


def leaves(e: E):
    """Every node of ``e``, the root first."""
    stack = [e]
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, Add):
            stack.extend(n.terms)
        elif isinstance(n, Mul | MatMul | Had):
            stack.extend(n.factors)
        elif isinstance(n, T | Inv):
            stack.append(n.arg)
        elif isinstance(n, Pow):
            stack.extend((n.base, n.exp))
        elif isinstance(n, Fn):
            stack.extend(n.args)


def depends(e: E, name: str) -> bool:
    return any(isinstance(n, Sym) and n.name == name for n in leaves(e))


def size_expr(size: Size | SizeSum | None) -> E:
    """A size as a scalar expression (n·m → n m; 3 → 3)."""
    if size is None:
        return ONE_
    if isinstance(size, SizeSum):
        return add(*[size_expr(t) for t in size.terms])
    return mul(num(size.coef), *[Dim(SCALAR, name=n) for n in size.names])


def _zero_like(shape: Shape) -> E:
    return ZERO if shape.is_scalar else Zero(shape)


# ----- constructors -----


def add(*terms: E) -> E:
    flat: list[E] = []
    for t in terms:
        if isinstance(t, Add):
            flat.extend(t.terms)
        elif not is_zero(t):
            flat.append(t)
    if not terms:
        return ZERO
    matrix = [t for t in flat if not is_scalar(t)] or [t for t in terms if not is_scalar(t)]
    shape = matrix[0].shape if matrix else SCALAR
    numbers = [t for t in flat if isinstance(t, Num)]
    rest = [t for t in flat if not isinstance(t, Num)]
    total = sum((t.value for t in numbers), Fraction(0))
    if total:
        rest.append(num(total))
    if not rest:
        return _zero_like(shape)
    if len(rest) == 1 and rest[0].shape == shape:
        return rest[0]
    if len(rest) == 1 and shape.is_scalar:
        return rest[0]
    return Add(shape, terms=tuple(rest))


def mul(*factors: E) -> E:
    """A product of scalars and at most one matrix (placed last)."""
    coef = Fraction(1)
    scalars: list[E] = []
    matrix: E | None = None
    for f in factors:
        for g in (f.factors if isinstance(f, Mul) else (f,)):
            if isinstance(g, Num):
                coef *= g.value
            elif isinstance(g, Zero):
                return g
            elif is_scalar(g):
                scalars.append(g)
            elif matrix is None:
                matrix = g
            else:
                raise ValueError("mul of two matrices; use matmul or had")
    shape = matrix.shape if matrix is not None else SCALAR
    if coef == 0:
        return _zero_like(shape)
    if matrix is not None and isinstance(matrix, Mul):  # pragma: no cover - flattened above
        raise AssertionError
    scalars = _powers_merged(scalars)
    out = ([num(coef)] if coef != 1 else []) + scalars + ([matrix] if matrix is not None else [])
    if not out:
        return ONE_
    if len(out) == 1:
        return out[0]
    return Mul(shape, factors=tuple(out))


def _integer_power(f: E) -> tuple[E, int]:
    """(b, k) for f = bᵏ with an integer k (k = 1 for a factor that is no power)."""
    if isinstance(f, Pow) and isinstance(f.exp, Num) and f.exp.value.denominator == 1:
        return f.base, int(f.exp.value)
    return f, 1


def _powers_merged(scalars: list[E]) -> list[E]:
    """Scalar factors with one base as one power: t² · t⁻¹ · t⁻² is t⁻¹ (the pseudo-Huber
    loss's slope by its δ printed δ² (…)/δ/δ², the raw derivative beating its expanded
    forms on cost).  Only integer exponents, and only where the product is defined: a
    factor b⁻ᵏ already excludes b = 0, and bᵃbᵇ = bᵃ⁺ᵇ for integers wherever both exist."""
    if len(scalars) < 2:
        return scalars
    exps: dict[E, int] = {}
    order: list[E] = []
    for f in scalars:
        b, k = _integer_power(f)
        if isinstance(b, Fn) and b.name == "sqrt":
            # √s⁻²√s⁻¹ is left to the coefficient simplification, which reads it s^(−3/2)
            # as textbooks do (√s⁻³ it would keep)
            b, k = f, 1
        if b not in exps:
            order.append(b)
            exps[b] = 0
        exps[b] += k
    if len(order) == len(scalars):
        return scalars
    # a base whose exponents add up to 0 had a negative one (b⁻ᵏbᵏ): 1 where b ≠ 0
    return [power(b, num(exps[b])) for b in order if exps[b] != 0]


def neg(e: E) -> E:
    return mul(num(-1), e)


def scale(s: E, e: E) -> E:
    """s·e for a scalar s (e a scalar or a matrix)."""
    return mul(s, e)


def _scale_like(f: E) -> bool:
    """A 1×1 factor that is no product with @ (exp(uᵀv), (uᵀv)², uᵀv + 1): a scale."""
    while isinstance(f, T):
        f = f.arg
    return f.shape.is_one_by_one and not isinstance(f, MatMul | Sym)


def matmul(*factors: E) -> E:
    """A matrix product; scalar factors (and scalar-like 1×1 factors at either end of a chain
    that is not itself 1×1) are pulled out as a scale."""
    scalars: list[E] = []
    chain: list[E] = []
    for f in factors:
        if f.shape.is_scalar:
            scalars.append(f)
            continue
        if isinstance(f, Mul) and not f.shape.is_scalar:
            scalars.extend(f.factors[:-1])
            f = f.factors[-1]
        if isinstance(f, MatMul):
            chain.extend(f.factors)
        elif isinstance(f, Zero):
            rows = next((g.shape.rows for g in factors if not g.shape.is_scalar), None)
            cols = next((g.shape.cols for g in reversed(factors) if not g.shape.is_scalar),
                        None)
            return Zero(Shape(rows, cols))
        elif isinstance(f, Eye):
            continue
        elif isinstance(f, Ones) and chain and isinstance(chain[-1], Ones):
            # 𝟏ₐₖ𝟏ₖᵦ = k·𝟏ₐᵦ (the all-ones matrix 𝟏𝟏ᵀ is one Ones)
            inner = chain[-1].shape.cols
            if inner != ONE:
                scalars.append(size_expr(inner))
            chain[-1] = Ones(Shape(chain[-1].shape.rows, f.shape.cols))
        else:
            chain.append(f)
    if len(chain) > 1 and not (chain[0].shape.rows == ONE and chain[-1].shape.cols == ONE):
        # exp(uᵀv), (uᵀv)², a 1×1 sum: scalars the language cannot write beside @
        scalars += [f for f in chain if _scale_like(f)]
        chain = [f for f in chain if not _scale_like(f)]
    if not chain:
        sizes = [f for f in factors if isinstance(f, Eye)]
        core: E = sizes[0] if sizes else ONE_
    elif len(chain) == 1:
        core = chain[0]
    else:
        core = MatMul(Shape(chain[0].shape.rows, chain[-1].shape.cols), factors=tuple(chain))
    return mul(*scalars, core) if scalars else core


def transpose(e: E) -> E:
    if e.shape.is_scalar:
        return e
    if isinstance(e, Sym):
        if e.name in facts().symmetric or e.shape.is_one_by_one:
            return e
        return T(e.shape.T, arg=e)
    if isinstance(e, T):
        return e.arg
    if isinstance(e, Eye):
        return e
    if isinstance(e, Ones | Zero):
        return type(e)(e.shape.T)
    if isinstance(e, Add):
        out = add(*[transpose(t) for t in e.terms])
        if isinstance(out, Add) and Counter(out.terms) == Counter(e.terms):
            return e  # a symmetric sum (X + Xᵀ): its transpose is itself, in its own order
        return out
    if isinstance(e, Mul):
        return mul(*e.factors[:-1], transpose(e.factors[-1]))
    if isinstance(e, MatMul):
        return matmul(*[transpose(f) for f in reversed(e.factors)])
    if isinstance(e, Inv):
        return inv(transpose(e.arg))
    # an element-wise expression keeps its transpose outside: σ(W₁x)ᵀ, as it is read
    if isinstance(e, Fn) and e.name == "diag" and e.shape.is_square:
        return e
    if e.shape.is_square and _symmetric_entrywise(e):
        return e  # exp(−D/ℓ) of a symmetric D: the Gaussian kernel is its own transpose
    return T(e.shape.T, arg=e)


def _symmetric_entrywise(e: E) -> bool:
    """An element-wise function, Hadamard product or power of matrices that are their own
    transposes (read through ``transpose``, so by the facts: D symmetric)."""
    if isinstance(e, Fn) and e.name in ELEMENTWISE:
        parts = e.args
    elif isinstance(e, Had):
        parts = e.factors
    elif isinstance(e, Pow) and not e.base.shape.is_scalar:
        parts = (e.base,)
    else:
        return False
    return all(p.shape.is_scalar or transpose(p) == p for p in parts)


def inv(e: E) -> E:
    if e.shape.is_scalar:
        return power(e, num(-1))
    if isinstance(e, Inv):
        return e.arg
    if isinstance(e, Eye):
        return e
    if isinstance(e, Sym) and e.name in facts().orthogonal:
        return transpose(e)
    if isinstance(e, T) and isinstance(e.arg, Sym) and e.arg.name in facts().orthogonal:
        return e.arg
    if isinstance(e, Mul):
        return mul(*[power(f, num(-1)) for f in e.factors[:-1]], inv(e.factors[-1]))
    return Inv(e.shape, arg=e)


def power(base: E, exp: E) -> E:
    if is_num(exp, 1):
        return base
    if is_num(exp, 0):
        return ONE_ if base.shape.is_scalar else Ones(base.shape)
    if isinstance(base, Num) and isinstance(exp, Num) and exp.value.denominator == 1:
        if base.value != 0 or exp.value > 0:
            return num(base.value ** int(exp.value))
    if isinstance(base, Pow) and isinstance(exp, Num) and isinstance(base.exp, Num) \
            and exp.value.denominator == 1 and base.exp.value.denominator == 1:
        return power(base.base, num(base.exp.value * exp.value))
    return Pow(base.shape, base=base, exp=exp)


def had(*factors: E) -> E:
    """Element-wise product; scalar factors scale it."""
    if all(is_scalar(f) for f in factors):
        return mul(*factors)
    scalars: list[E] = []
    mats: list[E] = []
    for f in factors:
        if is_scalar(f):
            scalars.append(f)
            continue
        if isinstance(f, Mul):
            scalars.extend(f.factors[:-1])
            f = f.factors[-1]
        if isinstance(f, Zero):
            return f
        if isinstance(f, Ones):
            continue
        mats.extend(f.factors if isinstance(f, Had) else (f,))
    shape = next(f.shape for f in factors if not is_scalar(f))
    if not mats:
        core: E = Ones(shape)
    elif len(mats) == 1:
        core = mats[0]
    else:
        core = Had(shape, factors=tuple(mats))
    return mul(*scalars, core) if scalars else core


def fn(name: str, *args: E, shape: Shape | None = None) -> E:
    a = args[0] if args else None
    if name in ELEMENTWISE:
        assert a is not None
        if isinstance(a, Num) and name in ("exp", "log") and a.value in (0, 1):
            if name == "exp" and a.value == 0:
                return ONE_
            if name == "log" and a.value == 1:
                return ZERO
        return Fn(a.shape, name=name, args=(a,))
    if name == "trace" and a is not None:
        if a.shape.is_scalar:
            return a
        if isinstance(a, Eye):
            return size_expr(a.shape.rows)
    if name == "sum" and a is not None and a.shape.is_scalar:
        return a
    if name == "sum" and isinstance(a, Ones):
        return mul(size_expr(a.shape.rows), size_expr(a.shape.cols))
    if name == "sum" and isinstance(a, Mul) and not a.shape.is_scalar:
        return mul(*a.factors[:-1], fn("sum", a.factors[-1]))
    if name == "sum" and isinstance(a, Sym) and (a.name in facts().sums_to_one or (
            a.name in facts().one_hot and a.shape.is_column)):
        return ONE_
    if name == "sum" and isinstance(a, Fn) and a.name == "onehot":
        return ONE_
    if name == "det" and a is not None and a.shape.is_scalar:
        return a
    if name == "det" and isinstance(a, Eye):
        return ONE_
    return Fn(shape if shape is not None else SCALAR, name=name, args=tuple(args))


def inner(a: E, b: E) -> E:
    """⟨a, b⟩ = Σ aᵢⱼ bᵢⱼ: aᵀb for columns, a bᵀ for rows, tr(aᵀb) for matrices."""
    if a.shape.is_scalar or b.shape.is_scalar:
        return mul(a, b)
    if isinstance(a, Mul):
        return mul(*a.factors[:-1], inner(a.factors[-1], b))
    if isinstance(b, Mul):
        return mul(*b.factors[:-1], inner(a, b.factors[-1]))
    if isinstance(a, Ones):
        return fn("sum", b)
    if isinstance(b, Ones):
        return fn("sum", a)
    if a.shape.is_column:
        return matmul(transpose(a), b)
    if a.shape.rows == ONE:
        return matmul(a, transpose(b))
    return fn("trace", matmul(transpose(a), b))
