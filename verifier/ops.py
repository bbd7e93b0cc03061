"""Operations that claim builders use; each works on every instantiation of a claim.

Three kinds of value flow through a builder:
- *explicit*: ``sympy.Matrix`` of scalar expressions at a concrete size (element-wise work),
- *general*: ``MatrixExpr`` of symbolic size (``MatrixSymbol`` and products of them),
- scalars: ordinary SymPy expressions.

An operation that has no general-dimension form raises ``GeneralFormUnavailable``, and the
general strategy passes the claim on to the element-wise ones.  SymPy is imported on first
use, so the catalogue can be imported and listed without it.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "GeneralFormUnavailable",
    "NotAVariable",
    "Requirement",
    "SympyRecursion",
    "Undefined",
    "div",
    "elementwise",
    "elementwise2",
    "entry_of",
    "from_entries",
    "power",
    "abs_",
    "atan",
    "block",
    "cos",
    "det",
    "diag",
    "exp",
    "eye",
    "grad",
    "hadamard",
    "indicator",
    "inv",
    "jacobian",
    "kron",
    "leaky_relu",
    "log",
    "log_softmax",
    "matrix",
    "max_",
    "mean",
    "norm",
    "ones",
    "onehot",
    "piecewise",
    "relu",
    "sc",
    "sigmoid",
    "sin",
    "softmax",
    "sqrt",
    "sum_",
    "sum_over",
    "entry",
    "erf",
    "tanh",
    "trace",
    "var",
    "vec",
    "zeros",
]


class GeneralFormUnavailable(NotImplementedError):
    """This operation has no general-dimension (symbolic-size) form."""


class Undefined(Exception):
    """A side has no value here: the inverse of a singular matrix, a division by zero, the
    log of a non-positive number …  Never a counterexample, never evidence of equality."""


class NotAVariable(Exception):
    """A derivative was asked by something that is not a symbol (a concrete value)."""


@dataclass(frozen=True)
class Requirement:
    """A condition for a side to be defined (or, for ``kink``, differentiable) here.

    ``kind``: ``nonzero``, ``positive``, ``nonnegative`` (of ``value``), ``invertible``
    (``value`` is the matrix, ``det`` its determinant when explicit), ``kink`` (``value``
    ≠ 0 for a derivative to exist), ``unique max`` (``value`` a tuple of the candidates).
    """

    kind: str
    value: Any
    det: Any = None
    what: str = ""  # the operation, for messages: "inv", "log", "/", …
    subject: str = ""  # the operand as the claim writes it ("X.T @ X"), where known
    # for a kink: built inside a function that is differentiated (True), outside every
    # derivative (False: a comparison on the claimed side leaves no derivative undefined),
    # or not known (None: a Python builder; the kink counts)
    differentiated: bool | None = None
    # the atoms (symbols, matrix symbols) of the variables differentiated by, where known
    # (None: not known); a kink whose value has none of them leaves the derivative defined
    by: tuple | None = None

    def kinked(self) -> bool:
        """Is this a kink (or a tie of a max) where a derivative taken does not exist? Not one
        outside every derivative, nor one of a function differentiated only by variables its
        value does not depend on: ∂/∂w (1[v > 0] w) = 1[v > 0] exists at v = 0."""
        if self.kind not in ("kink", "unique max") or self.differentiated is False:
            return False
        if not self.by:
            return True
        values = self.value if isinstance(self.value, tuple) else (self.value,)
        sp = _sp()
        for v in values:
            if not isinstance(v, sp.Basic) or v.has(sp.Lambda, sp.FunctionMatrix):
                return True  # not seen through: the kink counts
            if v.has(*self.by):
                return True
        return False


# Matrix derivatives taken in general form, as (f, X, result); the general strategy re-checks
# each one element-wise at a fixed size (SymPy 1.14 silently returns 0 for some).
DERIVATIVE_LOG: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "derivative_log", default=None
)


# Conditions for the sides to be defined, recorded while a side is built (see Requirement).
REQUIREMENTS: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "requirements", default=None
)
# The operand of the operation being built, as the claim's text writes it (set by the claim
# language around inv, log, sqrt, / and **), so that a requirement can name its subject.
SUBJECT: contextvars.ContextVar[str] = contextvars.ContextVar("subject", default="")


@contextlib.contextmanager
def subject(text: str):
    token = SUBJECT.set(text)
    try:
        yield
    finally:
        SUBJECT.reset(token)


# Is the expression being built differentiated (the f of grad, jacobian or hessian)?  The
# claim language sets it; None where not known (a Python builder).
DIFFERENTIATING: contextvars.ContextVar[bool | None] = contextvars.ContextVar(
    "differentiating", default=None
)


# The atoms of the variables the expression being built is differentiated by (outer ones
# too), or None where not known.
DIFFERENTIATING_BY: contextvars.ContextVar[tuple | None] = contextvars.ContextVar(
    "differentiating_by", default=None
)


def _atoms_of(x: Any) -> tuple | None:
    """The symbols a variable is made of: a scalar or matrix symbol itself, an explicit
    matrix's entries; None when it is something else (nothing is then known)."""
    sp = _sp()
    if isinstance(x, sp.Symbol | sp.MatrixSymbol):
        return (x,)
    if isinstance(x, sp.MatrixBase) and all(isinstance(e, sp.Symbol) for e in x):
        return tuple(x)
    return None


@contextlib.contextmanager
def differentiating(inside: bool = True, by: Any = None):
    """Build within the block as the function of a derivative (``inside``, by the variable
    ``by`` where given) or outside all."""
    outer = DIFFERENTIATING_BY.get() if DIFFERENTIATING.get() else ()
    if not inside:
        known: tuple | None = ()
    elif by is None:
        known = outer if DIFFERENTIATING.get() else None
    else:
        atoms = _atoms_of(by)
        known = None if atoms is None or outer is None else (*outer, *atoms)
    token = DIFFERENTIATING.set(inside)
    token_by = DIFFERENTIATING_BY.set(known)
    try:
        yield
    finally:
        DIFFERENTIATING_BY.reset(token_by)
        DIFFERENTIATING.reset(token)


# Entries (scalar symbols) that a derivative was taken by, recorded while a side is built.
VARIABLES: contextvars.ContextVar[set | None] = contextvars.ContextVar("variables", default=None)

# A derivative by a symbol confined to a set (symmetric, orthogonal, a probability vector):
# ``verifier.convention`` sets a hook (x, derivative) -> the derivative projected onto the
# set's tangent space, called with None for a jacobian or hessian (which it may refuse).
GRAD_PROJECTION: contextvars.ContextVar[Callable[[Any, Any], Any] | None] = (
    contextvars.ContextVar("grad_projection", default=None))

# Index forms: inside ``index_forms()`` the general (symbolic-size) instantiation also builds
# element-wise functions, reductions (sum, mean, var), softmax, one-hot columns and gradients,
# as matrices defined entry by entry (``FunctionMatrix``) and derivatives left unevaluated
# (``IndexDiff``), for the index-form prover (``verifier.strategies.indexed``).  Outside it
# those operations have no general form, as before, so the other general strategies and the
# definedness report see exactly what they always saw.
INDEX_FORM: contextvars.ContextVar[bool] = contextvars.ContextVar("index_form", default=False)


@contextlib.contextmanager
def index_forms():
    """Build general-dimension sides in index form within the block."""
    token = INDEX_FORM.set(True)
    try:
        yield
    finally:
        INDEX_FORM.reset(token)


def _require(kind: str, value: Any, what: str, det: Any = None) -> None:
    """Record a requirement; a closed-form value that violates it raises ``Undefined``."""
    log = REQUIREMENTS.get()
    if log is not None:
        inside = DIFFERENTIATING.get()
        log.append(Requirement(kind, value, det, what, SUBJECT.get(), inside,
                               DIFFERENTIATING_BY.get() if inside else None))
    target = det if kind == "invertible" else value
    if kind in ("kink", "unique max") or target is None:
        return
    sp = _sp()
    target = sp.sympify(target)
    if target.free_symbols or isinstance(target, sp.MatrixExpr):
        return
    if target.has(sp.MatrixSymbol):
        return
    from verifier.certify import UndefinedValue, sign

    try:
        sgn = sign(target)
    except UndefinedValue as exc:
        raise Undefined(f"{what}: {exc}") from None
    if sgn is None:
        raise Undefined(f"{what}: cannot tell whether {_short(target)} is {kind}")
    bad = {"nonzero": sgn == 0, "invertible": sgn == 0, "positive": sgn <= 0,
           "nonnegative": sgn < 0}[kind]
    if bad:
        raise Undefined(_undefined_message(kind, what, target))


def _short(x: Any) -> str:
    text = str(x)
    return text if len(text) <= 60 else text[:57] + "…"


def _undefined_message(kind: str, what: str, value: Any) -> str:
    if kind == "invertible":
        return "the inverse of a singular matrix"
    if what == "log":
        return f"log of a non-positive number ({_short(value)})"
    if what == "sqrt":
        return f"square root of a negative number ({_short(value)})"
    return f"division by zero ({what} {_short(value)})" if kind == "nonzero" else \
        f"{what} of {_short(value)}, which is not {kind}"


def _defined(f: Any) -> Any:
    """A derivative of an undefined value is not 0: SymPy differentiates nan to 0."""
    sp = _sp()
    if isinstance(f, sp.Basic) and f.has(sp.nan, sp.zoo):
        raise Undefined("a function that is undefined here is differentiated")
    return f


def _record_variables(x: Any) -> None:
    log = VARIABLES.get()
    if log is None:
        return
    sp = _sp()
    entries = list(x) if isinstance(x, sp.MatrixBase) else [x]
    if not all(isinstance(e, sp.Symbol) for e in entries):
        raise NotAVariable("a derivative by something that is not a symbol")
    log.update(entries)


@functools.cache
def _sp():
    import sympy

    return sympy


def _is_explicit(x: Any) -> bool:
    return isinstance(x, _sp().MatrixBase)


def _is_general(x: Any) -> bool:
    sp = _sp()
    return isinstance(x, sp.MatrixExpr) and not isinstance(x, sp.MatrixBase)


def _is_matrix(x: Any) -> bool:
    return _is_explicit(x) or _is_general(x)


def sc(x: Any) -> Any:
    """A 1×1 result as a scalar (explicit: its entry; general: its trace)."""
    sp = _sp()
    if _is_explicit(x):
        if x.shape != (1, 1):
            raise ValueError(f"expected a 1×1 result, got {x.shape[0]}×{x.shape[1]}")
        return x[0, 0]
    if _is_general(x):
        if x.shape != (1, 1):
            raise ValueError(f"expected a 1×1 result, got {x.shape[0]}×{x.shape[1]}")
        return sp.Trace(x)
    return x


def _elementwise(x: Any, fn) -> Any:
    if _is_explicit(x):
        return x.applyfunc(fn)
    if _is_general(x):
        if x.shape == (1, 1):
            return fn(sc(x))
        if INDEX_FORM.get():
            return _entrywise(x.shape, lambda i, j: fn(entry_of(x, i, j)))
        raise GeneralFormUnavailable("element-wise function of a general-size matrix")
    return fn(x)


def elementwise(x: Any, fn) -> Any:
    """fn of every entry of x (of x itself for a scalar); a general-size x only in index
    form (``index_forms``), otherwise ``GeneralFormUnavailable``."""
    if _is_general(x) and not INDEX_FORM.get():
        raise GeneralFormUnavailable("element-wise operation on a general-size matrix")
    return _elementwise(x, fn)


def elementwise2(a: Any, b: Any, fn) -> Any:
    """fn(a[i, j], b[i, j]) entry by entry, for two matrices of one shape."""
    sp = _sp()
    if _is_explicit(a) and _is_explicit(b):
        return sp.Matrix(a.shape[0], a.shape[1], lambda i, j: fn(a[i, j], b[i, j]))
    if INDEX_FORM.get() and _is_matrix(a) and _is_matrix(b):
        return _entrywise(a.shape, lambda i, j: fn(entry_of(a, i, j), entry_of(b, i, j)))
    raise GeneralFormUnavailable("element-wise operation on a general-size matrix")


def from_entries(rows: Any, cols: Any, entry) -> Any:
    """The rows × cols matrix whose entry (i, j) is ``entry(i, j)``: explicit at fixed sizes,
    defined entry by entry (index form) for symbolic ones."""
    sp = _sp()
    if isinstance(rows, int | sp.Integer) and isinstance(cols, int | sp.Integer):
        return sp.Matrix(int(rows), int(cols), lambda i, j: entry(sp.Integer(i), sp.Integer(j)))
    if not INDEX_FORM.get():
        raise GeneralFormUnavailable("a matrix given entry by entry, of symbolic size")
    return _entrywise((rows, cols), entry)


def entry_of(m: Any, i: Any, j: Any) -> Any:
    """m[i, j] of a general matrix expression, as an index expression: a product's entry is
    a sum over its inner indices (none for an inner size of 1), a transpose's swaps i and j,
    an identity's is δ(i, j).  SymPy's own ``m[i, j]`` evaluates every sum over a fixed
    range symbolically, which takes seconds for a nested σ."""
    sp = _sp()
    from sympy.matrices.expressions.slice import MatrixSlice

    if not _is_general(m):
        return m[i, j] if _is_matrix(m) else m
    if isinstance(m, sp.MatMul):
        coeff, mats = m.as_coeff_matrices()
        if len(mats) == 1:
            return coeff * entry_of(mats[0], i, j)
        idx: list = [i] + [None] * (len(mats) - 1) + [j]
        limits = []
        for k in range(1, len(mats)):
            n = mats[k - 1].shape[1]
            if n == 1:
                idx[k] = sp.Integer(0)
            else:
                idx[k] = sp.Dummy("k", integer=True)
                limits.append((idx[k], 0, n - 1))
        body = sp.Mul(*[entry_of(a, idx[k], idx[k + 1]) for k, a in enumerate(mats)])
        return coeff * (index_sum_class()(body, *limits) if limits else body)
    if isinstance(m, sp.MatAdd):
        return sp.Add(*[entry_of(a, i, j) for a in m.args])
    if isinstance(m, sp.Transpose):
        return entry_of(m.arg, j, i)
    if isinstance(m, sp.HadamardProduct):
        return sp.Mul(*[entry_of(a, i, j) for a in m.args])
    if isinstance(m, sp.FunctionMatrix):
        return m.lamda(i, j)
    if isinstance(m, sp.Identity):
        return sp.KroneckerDelta(i, j)
    if isinstance(m, sp.ZeroMatrix):
        return sp.Integer(0)
    if isinstance(m, sp.OneMatrix):
        return sp.Integer(1)
    if isinstance(m, sp.MatPow) and m.exp.is_Integer and m.exp > 0:
        return entry_of(sp.MatMul(*[m.base] * int(m.exp)), i, j)
    if isinstance(m, MatrixSlice):
        (r0, _, rs), (c0, _, cs) = m.rowslice, m.colslice
        return entry_of(m.parent, r0 + i * rs, c0 + j * cs)
    return m[i, j]


@functools.cache
def index_sum_class():
    """``IndexSum``: a Sum that matrix arithmetic leaves alone.  SymPy's MatMul and MatAdd
    call doit() on their scalar factors, and Sum.doit over a symbolic range tries symbolic
    summation (Gosper): minutes for a batch-norm gradient, for nothing the index form uses.
    Over a fixed range it is an ordinary Sum."""
    sp = _sp()

    class IndexSum(sp.Sum):
        def doit(self, **hints):
            if all(sp.sympify(x).is_Integer for lim in self.limits for x in lim[1:]):
                return sp.Sum(*self.args).doit(**hints)
            return self

    return IndexSum


def _entrywise(shape: tuple, entry) -> Any:
    """The general matrix of this shape whose entry (i, j) is ``entry(i, j)`` (a kink written
    with ``step``, see ``as_steps``)."""
    sp = _sp()
    i, j = sp.Dummy("i", integer=True), sp.Dummy("j", integer=True)
    return sp.FunctionMatrix(shape[0], shape[1], sp.Lambda((i, j), as_steps(entry(i, j))))


@functools.cache
def step_class():
    """``step(x)`` = 1[x > 0]: the indicator the index form writes every kink with.  Its
    derivative is 0 (away from the kink, where derivatives are taken at all).  SymPy's
    Piecewise is not used there: a Sum built over a Piecewise summand folds the Piecewise out
    of the Sum, conditions and all, capturing the summation index (SymPy 1.14)."""
    sp = _sp()

    class step(sp.Function):  # noqa: N801 - reads like the maths
        @classmethod
        def eval(cls, x):
            if x.is_Number and x.is_extended_real:  # numbers only: assumptions cost seconds
                return sp.Integer(1) if x > 0 else sp.Integer(0)
            return None

        def fdiff(self, argindex=1):
            return sp.Integer(0)

        def _eval_rewrite_as_Piecewise(self, x, **kwargs):
            return sp.Piecewise((1, x > 0), (0, True))

        def _eval_is_real(self):
            return True

        def _eval_is_nonnegative(self):
            return True

        def _eval_power(self, k):
            if k.is_Integer and k > 0:
                return self
            return None

    return step


def _strict(cond: Any) -> Any:
    """1[cond] through ``step`` alone: 1[a > b] = step(a − b), 1[a ≥ b] = 1 − step(b − a)
    (step(a − b + 1) for integers, so that a range of indices is a product of steps),
    1[c ∧ d] = 1[c]·1[d], 1[¬c] = 1 − 1[c], 1[c ∨ d] = 1[c] + 1[d] − 1[c]·1[d]; None for
    another kind of condition."""
    sp = _sp()
    rel = sp.core.relational
    step = step_class()
    if cond == sp.true:
        return sp.Integer(1)
    if cond == sp.false:
        return sp.Integer(0)
    if isinstance(cond, sp.And | sp.Or | sp.Not):
        parts = [_strict(c) for c in cond.args]
        if any(p is None for p in parts):
            return None
        if isinstance(cond, sp.Not):
            return 1 - parts[0]
        if isinstance(cond, sp.And):
            return sp.Mul(*parts)
        out = parts[0]
        for p in parts[1:]:
            out = out + p - out * p
        return out
    if isinstance(cond, rel.StrictGreaterThan):
        return step(cond.lhs - cond.rhs)
    if isinstance(cond, rel.StrictLessThan):
        return step(cond.rhs - cond.lhs)
    if isinstance(cond, rel.GreaterThan | rel.LessThan):
        big, small = (cond.lhs, cond.rhs) if isinstance(cond, rel.GreaterThan) else \
            (cond.rhs, cond.lhs)
        if (big - small).is_integer:  # integers: a ≥ b ⟺ a − b + 1 > 0
            return step(big - small + 1)
        return 1 - step(small - big)
    return None


def as_steps(e: Any) -> Any:
    """Piecewise((a₁, c₁), …, (b, True)) = b + Σₖ (aₖ − b)·1[cₖ ∧ ¬c₁ ∧ … ∧ ¬cₖ₋₁], |x| =
    x(2 step(x) − 1), max(a, b) = b + (a − b) step(a − b), min likewise: every kink as a
    ``step`` (each equal to its definition at the kink too); anything else unchanged."""
    sp = _sp()
    if not isinstance(e, sp.Basic) or not e.has(sp.Piecewise, sp.Abs, sp.Max, sp.Min):
        return e
    step = step_class()

    def one(x: Any) -> Any:
        if isinstance(x, sp.Piecewise) and x.args[-1].cond == sp.true:
            default = x.args[-1].expr
            out, before = [default], sp.Integer(1)
            for piece in x.args[:-1]:
                ind = _strict(piece.cond)
                if ind is None:
                    return x
                out.append((piece.expr - default) * ind * before)
                before = before * (1 - ind)
            return sp.Add(*out)
        if isinstance(x, sp.Abs) and x.args[0].is_real is not False:
            t = x.args[0]
            return t * (2 * step(t) - 1)
        if isinstance(x, sp.Max | sp.Min) and len(x.args) == 2:
            a, b = x.args if isinstance(x, sp.Max) else reversed(x.args)
            return b + (a - b) * step(a - b)
        return x

    return e.replace(lambda x: isinstance(x, sp.Piecewise | sp.Abs | sp.Max | sp.Min), one)


def _index_sum(body, *ranges) -> Any:
    """Σ body(k₁, …) over k = 0 … n − 1 for each n in ``ranges`` (a size of 1: k = 0 only)."""
    sp = _sp()
    ks, limits = [], []
    for n in ranges:
        if n == 1:
            ks.append(sp.Integer(0))
            continue
        k = sp.Dummy("k", integer=True)
        ks.append(k)
        limits.append((k, 0, n - 1))
    term = body(*ks)
    return index_sum_class()(term, *limits) if limits else term


# ----- Scalar functions, applied element-wise -----


@functools.cache
def _sigmoid_class():
    sp = _sp()

    class sigmoid(sp.Function):  # noqa: N801 - reads like the maths
        """σ(t) = 1/(1 + e^(−t)); a Function so that σ' = σ(1 − σ) stays compact."""

        @classmethod
        def eval(cls, arg):
            if arg.is_zero:
                return sp.Rational(1, 2)
            return None

        def fdiff(self, argindex=1):
            s = sigmoid(self.args[0])
            return s * (1 - s)

        def _eval_rewrite_as_exp(self, arg, **kwargs):
            return 1 / (1 + sp.exp(-arg))

        def _eval_evalf(self, prec):
            return (1 / (1 + sp.exp(-self.args[0])))._eval_evalf(prec)

        def _eval_is_real(self):
            return self.args[0].is_real

        def _eval_is_positive(self):
            return True if self.args[0].is_real else None

    return sigmoid


def sigmoid(x: Any) -> Any:
    return _elementwise(x, _sigmoid_class())


def _exp1(t: Any) -> Any:
    from verifier.sympy_adjust import held_log, long_power

    sp = _sp()
    if long_power(t):
        # exp(k·log q) evaluates to q**k, an exact integer power computed in one C call that
        # no time limit interrupts (k = 10⁹ at a point of x ** (1/a)). An exp merely left
        # unevaluated is rebuilt, and evaluated, by |e|, e·e, √e, a comparison: x**x ≥ 7/10
        # at x = 10¹² hung for minutes past a 10 s budget. Its logs are held instead
        return sp.exp(t.xreplace({g: held_log()(g.args[0]) for g in t.atoms(sp.log)}))
    return sp.exp(t)


def exp(x: Any) -> Any:
    return _elementwise(x, _exp1)


def _log1(t: Any) -> Any:
    _require("positive", t, "log")
    return _sp().log(t)


def _sqrt1(t: Any) -> Any:
    _require("nonnegative", t, "sqrt")
    return _sp().sqrt(t)


def log(x: Any) -> Any:
    return _elementwise(x, _log1)


def sqrt(x: Any) -> Any:
    return _elementwise(x, _sqrt1)


def div(a: Any, b: Any, about: str = "") -> Any:
    """a / b for scalars b (a may be a matrix); b must be nonzero.  ``about`` names b as a
    claim would write it, for a Python builder (the claim language names it itself)."""
    with subject(about or SUBJECT.get()):
        _require("nonzero", b, "/")
    return a / b


def power(t: Any, k: Any) -> Any:
    """t ** k of scalars: a negative k needs t ≠ 0, a fractional one t ≥ 0 (t > 0 if k < 0)."""
    sp = _sp()
    k = sp.sympify(k)
    if k.is_Integer or k.is_integer:
        if k.is_negative:
            _require("nonzero", t, "**")
    elif k.is_number:
        _require("positive" if k.is_negative else "nonnegative", t, "**")
    else:  # a symbolic exponent (beta ** t): only a positive base is defined for every t
        if not (sp.sympify(t).is_positive or sp.sympify(t).is_Integer):
            _require("positive", t, "**")
    return t**k


def tanh(x: Any) -> Any:
    return _elementwise(x, _sp().tanh)


def sin(x: Any) -> Any:
    return _elementwise(x, _sp().sin)


def cos(x: Any) -> Any:
    return _elementwise(x, _sp().cos)


def erf(x: Any) -> Any:
    return _elementwise(x, _sp().erf)


def atan(x: Any) -> Any:
    return _elementwise(x, _sp().atan)


def _kinked(fn):
    """An element-wise function with a kink at 0: no derivative there."""

    def at(t: Any) -> Any:
        _require("kink", t, fn.__name__)
        return as_steps(fn(t)) if INDEX_FORM.get() else fn(t)

    return at


class SympyRecursion(ValueError):
    """SymPy recursed without end building a side here (its ``Piecewise`` collapses some
    conditions back and forth: Piecewise((s, s >= t), (t, True)) with s = 10w₁ − w₂,
    t = 1 − 10w₁ + w₂).  A build error: the point or the proof stands down, never evidence."""


def piecewise(*pairs: Any) -> Any:
    """``Piecewise(*pairs)``, its conditions compared with 0 (a ≥ b as a − b ≥ 0, which
    SymPy 1.14 collapses once: a ≥ b itself may be rewritten back and forth without end);
    a recursion that remains is a ``SympyRecursion``."""
    sp = _sp()
    try:
        return sp.Piecewise(*pairs)
    except RecursionError:
        raise SympyRecursion("SymPy recursed without end on a piecewise function here") \
            from None


def abs_(x: Any) -> Any:
    return _elementwise(x, _kinked(_sp().Abs))


def _relu(t: Any) -> Any:
    return piecewise((t, t > 0), (0, True))


def relu(x: Any) -> Any:
    return _elementwise(x, _kinked(_relu))


def leaky_relu(x: Any, a: Any) -> Any:
    def leaky(t: Any) -> Any:
        return piecewise((t, t > 0), (a * t, True))

    return _elementwise(x, _kinked(leaky))


def _step(t: Any) -> Any:
    return piecewise((1, t > 0), (0, True))


def indicator(x: Any) -> Any:
    """1[x > 0], element-wise."""
    return _elementwise(x, _kinked(_step))


# ----- Matrix functions -----


def inv(x: Any) -> Any:
    """A⁻¹: requires det A ≠ 0 (checked where A is known, recorded otherwise).

    Explicitly it is adj(A)/det(A); the determinant is tested before dividing, because SymPy
    divides a matrix by 0 entry by entry and turns the zero entries into 0, not nan.
    """
    sp = _sp()
    if _is_explicit(x):
        if x.shape[0] != x.shape[1]:
            raise ValueError(f"inv of a non-square {x.shape[0]}×{x.shape[1]} matrix")
        if all(e.is_Rational for e in x):
            return _inv_rational(x)
        d = x.det(method="berkowitz")
        if sp.expand(d) == 0:
            raise Undefined("the inverse of a singular matrix")
        _require("invertible", x, "inv", det=d)
        return x.adjugate(method="berkowitz") / d
    if _is_general(x):
        if x.shape[0] != x.shape[1]:
            raise ValueError(f"inv of a non-square {x.shape[0]}×{x.shape[1]} matrix")
        _require("invertible", x, "inv")
        try:
            return sp.Inverse(x)
        except sp.matrices.exceptions.NonInvertibleMatrixError:
            raise Undefined("the inverse of a singular matrix") from None
    if sp.sympify(x) == 0:
        raise Undefined("division by zero (1/0)")
    _require("nonzero", x, "inv")
    return 1 / x


def _inv_rational(x: Any) -> Any:
    """A matrix of rationals (a point being audited): exact elimination over QQ, several
    times faster than SymPy's adjugate, which audits of inverse-heavy claims spend most of
    their time in."""
    sp = _sp()
    from sympy.polys.matrices import DomainMatrix

    m = DomainMatrix.from_Matrix(x).convert_to(sp.QQ)
    d = sp.QQ.to_sympy(m.det())
    if d == 0:
        raise Undefined("the inverse of a singular matrix")
    _require("invertible", x, "inv", det=d)
    out = m.inv().to_Matrix()
    return out.as_immutable() if isinstance(x, sp.ImmutableMatrix) else out


def det(x: Any) -> Any:
    sp = _sp()
    if _is_explicit(x):
        if x.rows > 3 and all(e.is_Rational for e in x):  # exact over QQ, and fast
            from sympy.polys.matrices import DomainMatrix

            return sp.QQ.to_sympy(DomainMatrix.from_Matrix(x).convert_to(sp.QQ).det())
        return x.det(method="berkowitz")
    if _is_general(x):
        return sp.Determinant(x)
    return x


def trace(x: Any) -> Any:
    sp = _sp()
    if _is_explicit(x):
        return x.trace()
    if _is_general(x):
        return sp.Trace(x)
    return x


def _explicit_only(x: Any, what: str) -> Any:
    if _is_general(x):
        raise GeneralFormUnavailable(what)
    if not _is_explicit(x):
        return _sp().Matrix([[x]])
    return x


def _general_index_form(x: Any) -> bool:
    return _is_general(x) and INDEX_FORM.get()


def sum_(x: Any) -> Any:
    """Sum of all entries (in index form: Σᵢ Σⱼ x[i, j])."""
    sp = _sp()
    if _general_index_form(x):
        return _index_sum(lambda i, j: entry_of(x, i, j), *x.shape)
    m = _explicit_only(x, "sum of entries")
    return sp.Add(*list(m))


def mean(x: Any) -> Any:
    if _general_index_form(x):
        return sum_(x) / (x.shape[0] * x.shape[1])
    m = _explicit_only(x, "mean of entries")
    return sum_(m) / len(m)


def var(x: Any) -> Any:
    """Population variance of the entries."""
    if _general_index_form(x):
        mu = mean(x)
        return _index_sum(lambda i, j: (entry_of(x, i, j) - mu) ** 2,
                          *x.shape) / (x.shape[0] * x.shape[1])
    m = _explicit_only(x, "variance of entries")
    mu = mean(m)
    return sum_(m.applyfunc(lambda t: (t - mu) ** 2)) / len(m)


def norm(x: Any) -> Any:
    """Euclidean / Frobenius norm: √(Σ xᵢⱼ²); in general dimension √tr(xᵀx), its definition."""
    sp = _sp()
    if _is_general(x):
        return sp.sqrt(sp.Trace(x.T * x))
    m = _explicit_only(x, "norm")
    return sp.sqrt(sp.Add(*[t**2 for t in m]))


# max(x) of a general vector as the opaque entry_max(x), for prove_index_inequality alone
# (it reads the max as some entry x[m]); every other strategy keeps refusing it
ENTRY_MAX: contextvars.ContextVar[bool] = contextvars.ContextVar("entry_max", default=False)


@functools.cache
def entry_max_class():
    sp = _sp()

    class entry_max(sp.Function):  # noqa: N801 - reads like the maths
        """The largest entry of a general column vector: some entry x[m]."""

        def _eval_is_real(self):
            return True

        def _eval_is_commutative(self):  # a scalar, though its argument is a matrix
            return True

    return entry_max


def max_(x: Any) -> Any:
    sp = _sp()
    if ENTRY_MAX.get() and _general_index_form(x) and x.shape[1] == 1:
        return entry_max_class()(x)
    m = _explicit_only(x, "max of entries")
    _require("unique max", tuple(m), "max")
    return sp.Max(*list(m))


def diag(x: Any) -> Any:
    """A vector to a diagonal matrix; a square matrix to the vector of its diagonal."""
    sp = _sp()
    if _general_index_form(x):
        if x.shape[1] == 1:  # δ(i, j)·x[i]
            return _entrywise((x.shape[0], x.shape[0]),
                              lambda i, j: sp.KroneckerDelta(i, j) * entry_of(x, i, 0))
        return _entrywise((x.shape[0], 1), lambda i, _: entry_of(x, i, i))
    m = _explicit_only(x, "diag")
    if m.shape[1] == 1:
        return sp.diag(*list(m))
    if m.shape[0] != m.shape[1]:
        raise ValueError(f"diag of a non-square {m.shape[0]}×{m.shape[1]} matrix")
    return sp.Matrix([m[i, i] for i in range(m.shape[0])])


def _size(n: Any) -> int:
    sp = _sp()
    if isinstance(n, int) or (isinstance(n, sp.Integer)):
        return int(n)
    raise GeneralFormUnavailable("a matrix of symbolic size")


def _symbolic_size(n: Any) -> bool:
    """A size in general dimension: a dimension symbol, or a product of them (eye(n * m))."""
    sp = _sp()
    return isinstance(n, sp.Expr) and bool(n.free_symbols)


def eye(n: Any) -> Any:
    sp = _sp()
    if _symbolic_size(n):
        return sp.Identity(n)
    return sp.eye(_size(n))


def ones(n: Any, m: Any = 1) -> Any:
    sp = _sp()
    if _symbolic_size(n) or _symbolic_size(m):
        return sp.OneMatrix(n, m)
    return sp.ones(_size(n), _size(m))


def zeros(n: Any, m: Any = 1) -> Any:
    sp = _sp()
    if _symbolic_size(n) or _symbolic_size(m):
        return sp.ZeroMatrix(n, m)
    return sp.zeros(_size(n), _size(m))


def block(rows: list) -> Any:
    """A block matrix from rows of blocks: explicit blocks assembled into one matrix, general
    ones into a ``BlockMatrix`` (SymPy multiplies those block by block); a scalar is a 1×1
    block."""
    sp = _sp()
    if any(_is_general(b) for row in rows for b in row):

        def as_general(b: Any) -> Any:
            if _is_general(b):
                return b
            if _is_explicit(b):
                return sp.ImmutableMatrix(b)
            return b * sp.Identity(1)

        return sp.BlockMatrix([[as_general(b) for b in row] for row in rows])

    def as_explicit(b: Any) -> Any:
        return sp.Matrix(b) if _is_explicit(b) else sp.Matrix([[b]])

    return sp.Matrix.vstack(*[sp.Matrix.hstack(*[as_explicit(b) for b in row])
                              for row in rows])


def matrix(rows: list) -> Any:
    """An explicit matrix (list of rows) or column vector (flat list)."""
    return _sp().Matrix(rows)


def hadamard(a: Any, b: Any) -> Any:
    sp = _sp()
    if _is_explicit(a) and _is_explicit(b):
        if a.shape != b.shape:
            raise ValueError(f"hadamard of {a.shape} and {b.shape}")
        return a.multiply_elementwise(b)
    if _is_general(a) or _is_general(b):
        return sp.HadamardProduct(a, b)
    return a * b


def kron(a: Any, b: Any) -> Any:
    from sympy.physics.quantum import TensorProduct

    sp = _sp()
    if (_is_general(a) or _is_general(b)) and not INDEX_FORM.get():
        # in general dimension SymPy's KroneckerProduct, whose rules (transpose, trace,
        # inverse, the mixed product) prove_general applies; a scalar factor is a 1 × 1
        if all(isinstance(m, sp.MatrixExpr) for m in (a, b)):
            return sp.KroneckerProduct(a, b)
        raise GeneralFormUnavailable("kron of a scalar in general dimension")
    return TensorProduct(_explicit_only(a, "kron"), _explicit_only(b, "kron"))


def vec(x: Any) -> Any:
    """Stack the columns into one column."""
    sp = _sp()
    m = _explicit_only(x, "vec")
    return sp.Matrix([m[i, j] for j in range(m.shape[1]) for i in range(m.shape[0])])


def onehot(y: Any, c: Any) -> Any:
    """The one-hot column of class ``y`` (0-based) among ``c`` classes."""
    sp = _sp()
    literal = isinstance(y, int | sp.Integer)  # onehot(0, K): a fixed class
    if INDEX_FORM.get() and not (literal and sp.sympify(c).is_Integer):
        # entry k is δ(k, y): y an index symbol of range 0 … c − 1 (or a fixed class)
        return _entrywise((c, 1), lambda k, _: sp.KroneckerDelta(k, y))
    n = _size(c)
    if not literal:
        raise GeneralFormUnavailable("one-hot of a symbolic class")
    if not 0 <= int(y) < n:  # onehot(2, C) at C = 2, as x[2] of a 2-vector
        raise Undefined(f"class {y} is out of range ({n} classes)")
    return sp.Matrix([1 if i == int(y) else 0 for i in range(n)])


def softmax(x: Any) -> Any:
    """softmax over the entries of a column (or each row of a matrix)."""
    sp = _sp()
    if _general_index_form(x):
        # exp(x[i, j]) / Σₖ exp(x[k, j]) down a column; along the row of a matrix otherwise
        e = entry_of
        if x.shape[1] == 1:
            return _entrywise(x.shape, lambda i, j: sp.exp(e(x, i, j)) / _index_sum(
                lambda k: sp.exp(e(x, k, j)), x.shape[0]))
        return _entrywise(x.shape, lambda i, j: sp.exp(e(x, i, j)) / _index_sum(
            lambda k: sp.exp(e(x, i, k)), x.shape[1]))
    m = _explicit_only(x, "softmax")
    if m.shape[1] == 1:
        total = sp.Add(*[sp.exp(t) for t in m])
        return m.applyfunc(lambda t: sp.exp(t) / total)
    rows = [softmax(m[i, :].T).T for i in range(m.shape[0])]
    return sp.Matrix.vstack(*rows)


def log_softmax(x: Any) -> Any:
    sp = _sp()
    if _general_index_form(x):
        # x[i, j] − log Σₖ exp(x[k, j]) down a column; along the row of a matrix otherwise
        e = entry_of
        if x.shape[1] == 1:
            return _entrywise(x.shape, lambda i, j: e(x, i, j) - sp.log(_index_sum(
                lambda k: sp.exp(e(x, k, j)), x.shape[0])))
        return _entrywise(x.shape, lambda i, j: e(x, i, j) - sp.log(_index_sum(
            lambda k: sp.exp(e(x, i, k)), x.shape[1])))
    m = _explicit_only(x, "log_softmax")
    if m.shape[1] == 1:
        lse = sp.log(sp.Add(*[sp.exp(t) for t in m]))
        return m.applyfunc(lambda t: t - lse)
    rows = [log_softmax(m[i, :].T).T for i in range(m.shape[0])]
    return sp.Matrix.vstack(*rows)


# ----- Sums of any length -----


def sum_over(n: Any, term) -> Any:
    """Σ_{i=0}^{n-1} term(i): a plain sum at a fixed size, a SymPy ``Sum`` for a symbolic n.

    With ``entry(x, i)`` inside ``term`` the same builder serves both, so a claim over N
    samples can be proved for every N (prove_indexed) and element-wise at fixed N.
    """
    sp = _sp()
    if isinstance(n, int | sp.Integer):
        return sp.Add(*[term(sp.Integer(i)) for i in range(int(n))])
    i = sp.Symbol("i_", integer=True, nonnegative=True)
    body = term(i)
    if any(i in s.variables for s in body.atoms(sp.Sum)):
        # a sum inside binds i_ too (sum_over within sum_over): an index of its own
        i = sp.Dummy("i", integer=True, nonnegative=True)
        body = term(i)
    return (index_sum_class() if INDEX_FORM.get() else sp.Sum)(body, (i, 0, n - 1))


def entry(x: Any, i: Any, j: Any = 0) -> Any:
    """x[i, j] for an explicit matrix or a matrix symbol (then a symbolic index is fine)."""
    return x[i, j]


# ----- Derivatives -----


def _matrix_derivatives(terms, x) -> list:
    """SymPy's matrix derivative of each term by x. SymPy 1.14 takes some products of X and
    Xᵀ (tr((XXᵀ + A)²), ‖XᵀX − I‖², ‖XX − A‖²) through its array expressions and puts an
    ArrayAdd or PermuteDims into a MatMul, a use of Mul that it has deprecated and will
    remove: such a result is not relied on; the general form is given up instead (the
    claim is decided by the other strategies, as for any form SymPy does not give)."""
    import warnings

    from sympy.utilities.exceptions import SymPyDeprecationWarning

    with warnings.catch_warnings():
        warnings.simplefilter("error", SymPyDeprecationWarning)
        try:
            return [t.diff(x) for t in terms]
        except SymPyDeprecationWarning:
            raise GeneralFormUnavailable("SymPy's matrix derivative went through array "
                                         "expressions (a deprecated form)") from None


def grad(f: Any, x: Any, layout: str = "denominator") -> Any:
    """∂f/∂X of a scalar f: X's shape in denominator layout, its transpose in numerator layout."""
    sp = _sp()
    if _is_explicit(x):
        f = sc(f)
        if _is_matrix(f):
            raise ValueError("grad needs a scalar-valued f")
        _record_variables(x)
        _defined(f)
        out = x.applyfunc(lambda e: sp.diff(f, e))
        project = GRAD_PROJECTION.get()
        if project is not None:
            out = project(x, out)
    elif _is_general(x) and INDEX_FORM.get():
        out = _index_gradient(f, x)
    elif _is_general(x):
        if _is_explicit(f):
            raise GeneralFormUnavailable("explicit f of a general variable")
        fs = sc(f) if _is_general(f) else f
        # term by term: SymPy 1.14 returns 0 for some sums of traces it differentiates
        # correctly one at a time, e.g. (tr(rᵀr)/2N + λ tr(wᵀw)).diff(w)
        terms = _matrix_derivatives(sp.Add.make_args(sp.expand(fs)), x)
        out = sp.MatAdd(*terms).doit() if len(terms) > 1 else terms[0]
        if not (isinstance(out, sp.MatrixExpr) and out.shape == x.shape):
            raise GeneralFormUnavailable(f"SymPy's matrix derivative gave {type(out).__name__}")
        log_ = DERIVATIVE_LOG.get()
        if log_ is not None:
            log_.append((fs, x, out))
    else:
        f = sc(f)
        if _is_matrix(f):
            raise ValueError("grad needs a scalar-valued f")
        _record_variables(x)
        if INDEX_FORM.get() and isinstance(x, sp.Symbol) and f.has(sp.Sum, index_diff_class()):
            return index_diff_class()(f, x)  # a sum of symbolic length: index form
        return sp.diff(_defined(f), x)
    return out.T if layout == "numerator" else out


@functools.cache
def index_diff_class():
    """``IndexDiff(f, v)``: ∂f/∂v of a scalar f in index form by one entry v = X[a, b] of a
    matrix symbol (or by a scalar symbol), left unevaluated.  The index-form prover takes it
    by its own rules and re-checks every one element-wise at small sizes.

    Substituting for X itself (a builder that differentiates at a placeholder and then puts
    the point in, ∂f/∂U at U = P) keeps the derivative by X and records the point:
    ``IndexDiff(f, v, X, P)`` is ∂f/∂v with X replaced by P afterwards."""
    sp = _sp()
    from sympy.matrices.expressions.matexpr import MatrixElement

    def base_of(v):
        return v.parent if isinstance(v, MatrixElement) else v

    class IndexDiff(sp.Expr):  # noqa: N801 - reads like the maths
        is_commutative = True

        def __new__(cls, f, v, base=None, point=None):
            if base is None:
                return sp.Expr.__new__(cls, sp.sympify(f), v)
            return sp.Expr.__new__(cls, sp.sympify(f), v, base, point)

        @property
        def f(self):
            return self.args[0]

        @property
        def variable(self):
            return self.args[1]

        @property
        def at(self):
            """(X, P) when X is to be replaced by P after differentiating, else None."""
            return (self.args[2], self.args[3]) if len(self.args) == 4 else None

        def _xreplace(self, rule):
            if self in rule:
                return rule[self], True
            base = base_of(self.variable)
            bound = self.at[0] if self.at else base
            if bound not in rule and base not in rule:
                return super()._xreplace(rule)
            # the variable itself is replaced: a derivative at a point
            inner = {k: w for k, w in rule.items() if k not in (base, bound)}
            f = self.f.xreplace(inner) if inner else self.f
            v = self.variable
            if isinstance(v, MatrixElement) and inner:
                v = v.func(v.parent, v.i.xreplace(inner), v.j.xreplace(inner))
            point = self.at[1].xreplace(rule) if self.at else rule[base]
            return IndexDiff(f, v, bound, point), True

        def _sympystr(self, printer):
            at = f" at {printer._print(self.at[0])} = {printer._print(self.at[1])}" \
                if self.at else ""
            return f"IndexDiff({printer._print(self.f)}, {printer._print(self.variable)}{at})"

    return IndexDiff


def _index_gradient(f: Any, x: Any) -> Any:
    """∂f/∂X in index form: the matrix of X's shape whose entry (a, b) is ∂f/∂X[a, b]."""
    sp = _sp()
    if _is_explicit(f):
        raise GeneralFormUnavailable("explicit f of a general variable")
    if _is_general(f):
        if f.shape != (1, 1):
            raise ValueError("grad needs a scalar-valued f")
        f = sc(f)
    probe = entry_of(x, sp.Dummy("a", integer=True), sp.Dummy("b", integer=True))
    from sympy.matrices.expressions.matexpr import MatrixElement

    if not (isinstance(probe, MatrixElement) and isinstance(probe.parent, sp.MatrixSymbol)):
        raise GeneralFormUnavailable("a derivative by a matrix expression, not a matrix symbol")
    diff_ = index_diff_class()
    return _entrywise(x.shape, lambda a, b: diff_(f, entry_of(x, a, b)))


def jacobian(y: Any, x: Any, layout: str = "numerator") -> Any:
    """∂y/∂x of a column y by a column x: m×n in numerator layout (J[i, j] = ∂yᵢ/∂xⱼ)."""
    sp = _sp()
    if INDEX_FORM.get() and (_is_general(y) or _is_general(x)):
        jac = _index_jacobian(y, x)
        return jac.T if layout == "denominator" else jac
    ym = _explicit_only(y, "jacobian")
    xm = _explicit_only(x, "jacobian")
    if ym.shape[1] != 1 or xm.shape[1] != 1:
        raise ValueError("jacobian takes column vectors (or scalars)")
    _record_variables(xm)
    if GRAD_PROJECTION.get() is not None:
        GRAD_PROJECTION.get()(xm, None)
    _defined(ym)
    jac = sp.Matrix(ym.shape[0], xm.shape[0], lambda i, j: sp.diff(ym[i], xm[j]))
    return jac.T if layout == "denominator" else jac


def _index_jacobian(y: Any, x: Any) -> Any:
    """J[i, j] = ∂yᵢ/∂xⱼ in index form (y, x columns or scalars; x a matrix symbol's)."""
    ys = y if _is_matrix(y) else None
    xs = x if _is_matrix(x) else None
    if (ys is not None and ys.shape[1] != 1) or (xs is not None and xs.shape[1] != 1):
        raise ValueError("jacobian takes column vectors (or scalars)")
    if xs is not None and not _is_general(xs):
        raise GeneralFormUnavailable("a jacobian by explicit entries of a general-size y")
    diff_ = index_diff_class()
    rows = ys.shape[0] if ys is not None else 1
    cols = xs.shape[0] if xs is not None else 1
    return _entrywise((rows, cols), lambda i, j: diff_(
        entry_of(ys, i, 0) if ys is not None else y,
        entry_of(xs, j, 0) if xs is not None else x))


def diff(y: Any, t: Any) -> Any:
    """Element-wise derivative of y by a scalar t."""
    sp = _sp()
    if _is_general(y) and INDEX_FORM.get() and isinstance(t, sp.Symbol):
        return _entrywise(y.shape, lambda i, j: index_diff_class()(entry_of(y, i, j), t))
    if _is_general(y):
        raise GeneralFormUnavailable("element-wise derivative of a general matrix")
    _record_variables(t)
    _defined(y)
    if _is_explicit(y):
        return y.applyfunc(lambda e: sp.diff(e, t))
    return sp.diff(y, t)


# ===== Claim language: indices, comparisons, element-wise max, reductions along an axis =====
# What the claim language's newer constructs build, in every instantiation.  The general
# (symbolic-size) forms are the representation the index-form prover reads:
#   an index i: index(n)        an integer Symbol i (range 0..n-1, ``Instance.index_ranges``)
#   x[i], W[i, j]               the MatrixElement x[i, 0], W[i, j]
#   W[i, :], W[:, j]            the MatrixSlice W[i:i+1, :], W[:, j:j+1]
#   sum(e, i), prod(e, i)       Sum(e, (i, 0, n - 1)), Product(e, (i, 0, n - 1)); a matrix
#                               e gives the FunctionMatrix whose entry (r, c) is Sum(e[r, c])
#   a > b, i == j               Piecewise((1, a > b), (0, True)), KroneckerDelta(i, j)
# At fixed sizes every index is an Integer and sums are expanded.


def _index_value(k: Any) -> Any:
    sp = _sp()
    return sp.Integer(k) if isinstance(k, int) else k


def subscript(x: Any, r: Any, c: Any) -> Any:
    """x[r, c] (0-based); ``None`` for a whole row (c None) or column (r None).  An index
    past the end of an explicit matrix is undefined there (x[2] of a 2-vector)."""
    sp = _sp()
    r, c = (None if k is None else _index_value(k) for k in (r, c))
    if not _is_matrix(x):  # a 1×1 value read as a scalar
        x = sp.Matrix([[x]])
    rows, cols = x.shape
    for k, n, axis in ((r, rows, "row"), (c, cols, "column")):
        if k is not None and k.is_Integer and sp.sympify(n).is_Integer \
                and not 0 <= int(k) < int(n):
            raise Undefined(f"index {k} is out of range ({n} {axis}s)")
    if _is_explicit(x):
        if any(k is not None and not k.is_Integer for k in (r, c)):
            x = sp.ImmutableMatrix(x)  # a symbolic index into a fixed matrix: as an expression
        else:
            if r is not None and c is not None:
                return x[int(r), int(c)]
            if r is not None:
                return x[int(r), :]
            if c is not None:
                return x[:, int(c)]
            return x
    if r is not None and c is not None:
        return x[r, c]
    if r is not None:
        return x[r, :]
    if c is not None:
        return x[:, c]
    return x


def index_sum(term: Any, var: Any, n: Any) -> Any:
    """Σ_{var=0}^{n-1} term(var): expanded at a fixed n, a ``Sum`` for a symbolic n (of each
    entry, for a matrix-valued term: a ``FunctionMatrix``)."""
    sp = _sp()
    if isinstance(n, int) or getattr(n, "is_Integer", False):
        parts = [term(sp.Integer(k)) for k in range(int(n))]
        total = parts[0]
        for p in parts[1:]:
            total = total + p
        return total
    body = term(var)
    return _bound(body, lambda e: sp.Sum(e, (var, 0, n - 1)))


def _bound(body: Any, close) -> Any:
    """A binder over a symbolic range, entry by entry for a matrix-valued body."""
    sp = _sp()
    if _is_explicit(body):
        return body.applyfunc(close)
    if _is_general(body):
        r, c = sp.Dummy("r", integer=True), sp.Dummy("c", integer=True)
        return sp.FunctionMatrix(body.shape[0], body.shape[1],
                                 sp.Lambda((r, c), close(body[r, c])))
    return close(body)


def index_prod(term: Any, var: Any, n: Any) -> Any:
    """Π_{var=0}^{n-1} term(var) of a scalar term (a ``Product`` for a symbolic n)."""
    sp = _sp()
    if isinstance(n, int) or getattr(n, "is_Integer", False):
        return sp.Mul(*[term(sp.Integer(k)) for k in range(int(n))])
    return sp.Product(term(var), (var, 0, n - 1))


def index_mean(term: Any, var: Any, n: Any) -> Any:
    """(1/n) Σ_{var=0}^{n-1} term(var)."""
    return index_sum(term, var, n) / n


def _broadcast2(a: Any, b: Any, fn, what: str) -> Any:
    """fn entry by entry over two values of one shape, a scalar broadcast against a matrix."""
    sp = _sp()
    ma, mb = _is_matrix(a), _is_matrix(b)
    if ma and mb and a.shape == (1, 1) and b.shape == (1, 1):
        a, b, ma, mb = sc(a), sc(b), False, False
    if ma and mb:
        if (_is_general(a) or _is_general(b)) and INDEX_FORM.get():
            return elementwise2(a, b, fn)
        if _is_general(a) or _is_general(b):
            raise GeneralFormUnavailable(f"{what} of two general-size matrices")
        if a.shape != b.shape:
            raise ValueError(f"{what} of {a.shape} and {b.shape}")
        return sp.Matrix(a.shape[0], a.shape[1], lambda i, j: fn(a[i, j], b[i, j]))
    if ma:  # a scalar against each entry: as any element-wise function
        return _elementwise(a, lambda t: fn(t, b))
    if mb:
        return _elementwise(b, lambda t: fn(a, t))
    return fn(a, b)


_RELATIONS = {">": "StrictGreaterThan", ">=": "GreaterThan", "<": "StrictLessThan",
              "<=": "LessThan"}


def compare(a: Any, b: Any, op: str, discrete: bool = False) -> Any:
    """1 where ``a op b`` holds, 0 elsewhere, element-wise.  ``==`` and ``!=`` (of integer
    values) are Kronecker deltas.  A comparison of real values jumps where a = b: no
    derivative there (a kink), unless both sides only take integer values (``discrete``)."""
    sp = _sp()

    def one(s: Any, t: Any) -> Any:
        if op == "==":
            return sp.KroneckerDelta(s, t)
        if op == "!=":
            return 1 - sp.KroneckerDelta(s, t)
        if not discrete:
            _require("kink", s - t, op)
        return piecewise((1, getattr(sp, _RELATIONS[op])(s - t, 0)), (0, True))

    return _broadcast2(a, b, one, f"the comparison {op}")


def maximum(a: Any, b: Any) -> Any:
    """max(a, b) element-wise; no derivative where a = b."""
    sp = _sp()

    def one(s: Any, t: Any) -> Any:
        _require("kink", s - t, "max")
        return piecewise((s, sp.GreaterThan(s - t, 0)), (t, True))

    return _broadcast2(a, b, one, "max(a, b)")


def minimum(a: Any, b: Any) -> Any:
    """min(a, b) element-wise; no derivative where a = b."""
    sp = _sp()

    def one(s: Any, t: Any) -> Any:
        _require("kink", s - t, "min")
        return piecewise((s, sp.LessThan(s - t, 0)), (t, True))

    return _broadcast2(a, b, one, "min(a, b)")


def min_(x: Any) -> Any:
    """The smallest entry (no derivative where it is tied)."""
    sp = _sp()
    m = _explicit_only(x, "min of entries")
    _require("unique max", tuple(-e for e in m), "min")
    return sp.Min(*list(m))


def max_or_maximum(x: Any, y: Any = None) -> Any:
    """max(X) of the entries, or max(a, b) element-wise."""
    return max_(x) if y is None else maximum(x, y)


def min_or_minimum(x: Any, y: Any = None) -> Any:
    return min_(x) if y is None else minimum(x, y)


def _lines(m: Any, axis: int) -> list:
    """The columns (axis 0) or the rows (axis 1) of an explicit matrix, each as a column."""
    if axis == 0:
        return [m[:, j] for j in range(m.shape[1])]
    return [m[i, :].T for i in range(m.shape[0])]


def _assemble(parts: list, axis: int) -> Any:
    sp = _sp()
    return sp.Matrix.hstack(*parts) if axis == 0 else sp.Matrix.vstack(*[p.T for p in parts])


def _softmax_column(m: Any) -> Any:
    sp = _sp()
    total = sp.Add(*[sp.exp(t) for t in m])
    return m.applyfunc(lambda t: sp.exp(t) / total)


def _log_softmax_column(m: Any) -> Any:
    sp = _sp()
    lse = sp.log(sp.Add(*[sp.exp(t) for t in m]))
    return m.applyfunc(lambda t: t - lse)


def _along(x: Any, axis: int, column_fn, general_fn, what: str) -> Any:
    if _is_general(x):
        rows, cols = x.shape
        if axis == 0 and cols == 1:
            return general_fn(x)  # a column: down it
        if axis == 1 and rows == 1:
            return general_fn(x.T).T  # a row: along it
        if axis == 1:
            return general_fn(x)  # each row of a matrix (ops' convention for a matrix)
        return general_fn(x.T).T  # each column: the rows of the transpose
    m = _explicit_only(x, what)
    return _assemble([column_fn(line) for line in _lines(m, axis)], axis)


def softmax_along(x: Any, axis: int) -> Any:
    """softmax down each column (axis 0) or along each row (axis 1)."""
    return _along(x, axis, _softmax_column, softmax, "softmax")


def log_softmax_along(x: Any, axis: int) -> Any:
    return _along(x, axis, _log_softmax_column, log_softmax, "log_softmax")


def sum_along(x: Any, axis: int) -> Any:
    """Column sums as a 1×m row (axis 0), row sums as an n×1 column (axis 1)."""
    sp = _sp()
    if _is_general(x):
        rows, cols = x.shape
        return sp.OneMatrix(1, rows) * x if axis == 0 else x * sp.OneMatrix(cols, 1)
    m = _explicit_only(x, "sum")
    if axis == 0:
        return sp.Matrix(1, m.shape[1], lambda _, j: sp.Add(*list(m[:, j])))
    return sp.Matrix(m.shape[0], 1, lambda i, _: sp.Add(*list(m[i, :])))


def mean_along(x: Any, axis: int) -> Any:
    n = x.shape[axis] if _is_matrix(x) else 1
    return sum_along(x, axis) / n


def logsumexp(x: Any, axis: int | None = None) -> Any:
    """log Σ exp over all entries, or of each column (axis 0: a row) or row (axis 1)."""
    sp = _sp()
    if axis is None:
        if not _is_matrix(x):
            return x
        if _is_explicit(x):
            return _lse(x)  # a sum of exponentials: always positive, nothing to require
        with subject(f"sum(exp({SUBJECT.get()}))" if SUBJECT.get() else ""):
            return log(sum_(exp(x)))
    if _general_index_form(x):  # log Σₖ exp down each column (a row) or along each row
        if axis == 0:
            return _entrywise((1, x.shape[1]), lambda _, j: sp.log(_index_sum(
                lambda k: sp.exp(entry_of(x, k, j)), x.shape[0])))
        return _entrywise((x.shape[0], 1), lambda i, _: sp.log(_index_sum(
            lambda k: sp.exp(entry_of(x, i, k)), x.shape[1])))
    if _is_general(x):
        raise GeneralFormUnavailable("logsumexp along an axis of a general-size matrix")
    m = _explicit_only(x, "logsumexp")
    values = [_lse(line) for line in _lines(m, axis)]
    return sp.Matrix(1, len(values), values) if axis == 0 else sp.Matrix(values)


def _lse(col: Any) -> Any:
    sp = _sp()
    return sp.log(sp.Add(*[sp.exp(t) for t in col]))


def hessian(f: Any, x: Any) -> Any:
    """H[i, j] = ∂²f/∂xᵢ∂xⱼ of a scalar f by a column (or scalar) x."""
    sp = _sp()
    if INDEX_FORM.get() and _is_general(x):
        if x.shape[1] != 1:
            raise ValueError("hessian takes a column (or scalar) x")
        # the Jacobian of the gradient, entry by entry (symmetric: no layout to choose)
        return _index_jacobian(_index_gradient(f, x), x)
    if _is_general(x) or _is_general(f):
        raise GeneralFormUnavailable("hessian in general dimension")
    f = sc(f)
    if _is_matrix(f):
        raise ValueError("hessian needs a scalar-valued f")
    xs = list(x) if _is_explicit(x) else [x]
    _record_variables(x)
    if GRAD_PROJECTION.get() is not None:
        GRAD_PROJECTION.get()(x, None)
    _defined(f)
    first = [sp.diff(f, e) for e in xs]
    return sp.Matrix(len(xs), len(xs), lambda i, j: sp.diff(first[i], xs[j]))
