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
from dataclasses import dataclass
from typing import Any

__all__ = [
    "GeneralFormUnavailable",
    "NotAVariable",
    "Requirement",
    "Undefined",
    "div",
    "power",
    "abs_",
    "block",
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
    "relu",
    "sc",
    "sigmoid",
    "softmax",
    "sqrt",
    "sum_",
    "sum_over",
    "entry",
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


# Entries (scalar symbols) that a derivative was taken by, recorded while a side is built.
VARIABLES: contextvars.ContextVar[set | None] = contextvars.ContextVar("variables", default=None)


def _require(kind: str, value: Any, what: str, det: Any = None) -> None:
    """Record a requirement; a closed-form value that violates it raises ``Undefined``."""
    log = REQUIREMENTS.get()
    if log is not None:
        log.append(Requirement(kind, value, det, what, SUBJECT.get()))
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
        raise GeneralFormUnavailable("element-wise function of a general-size matrix")
    return fn(x)


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


def exp(x: Any) -> Any:
    return _elementwise(x, _sp().exp)


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


def _kinked(fn):
    """An element-wise function with a kink at 0: no derivative there."""

    def at(t: Any) -> Any:
        _require("kink", t, fn.__name__)
        return fn(t)

    return at


def abs_(x: Any) -> Any:
    return _elementwise(x, _kinked(_sp().Abs))


def _relu(t: Any) -> Any:
    sp = _sp()
    return sp.Piecewise((t, t > 0), (0, True))


def relu(x: Any) -> Any:
    return _elementwise(x, _kinked(_relu))


def leaky_relu(x: Any, a: Any) -> Any:
    sp = _sp()

    def leaky(t: Any) -> Any:
        return sp.Piecewise((t, t > 0), (a * t, True))

    return _elementwise(x, _kinked(leaky))


def _step(t: Any) -> Any:
    sp = _sp()
    return sp.Piecewise((1, t > 0), (0, True))


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


def det(x: Any) -> Any:
    sp = _sp()
    if _is_explicit(x):
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


def sum_(x: Any) -> Any:
    """Sum of all entries."""
    sp = _sp()
    m = _explicit_only(x, "sum of entries")
    return sp.Add(*list(m))


def mean(x: Any) -> Any:
    m = _explicit_only(x, "mean of entries")
    return sum_(m) / len(m)


def var(x: Any) -> Any:
    """Population variance of the entries."""
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


def max_(x: Any) -> Any:
    sp = _sp()
    m = _explicit_only(x, "max of entries")
    _require("unique max", tuple(m), "max")
    return sp.Max(*list(m))


def diag(x: Any) -> Any:
    """A vector to a diagonal matrix; a square matrix to the vector of its diagonal."""
    sp = _sp()
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


def eye(n: Any) -> Any:
    sp = _sp()
    if isinstance(n, sp.Symbol):
        return sp.Identity(n)
    return sp.eye(_size(n))


def ones(n: Any, m: Any = 1) -> Any:
    sp = _sp()
    if isinstance(n, sp.Symbol) or isinstance(m, sp.Symbol):
        return sp.OneMatrix(n, m)
    return sp.ones(_size(n), _size(m))


def zeros(n: Any, m: Any = 1) -> Any:
    sp = _sp()
    if isinstance(n, sp.Symbol) or isinstance(m, sp.Symbol):
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

    return TensorProduct(_explicit_only(a, "kron"), _explicit_only(b, "kron"))


def vec(x: Any) -> Any:
    """Stack the columns into one column."""
    sp = _sp()
    m = _explicit_only(x, "vec")
    return sp.Matrix([m[i, j] for j in range(m.shape[1]) for i in range(m.shape[0])])


def onehot(y: Any, c: Any) -> Any:
    """The one-hot column of class ``y`` (0-based) among ``c`` classes."""
    sp = _sp()
    n = _size(c)
    if not isinstance(y, int | sp.Integer):
        raise GeneralFormUnavailable("one-hot of a symbolic class")
    return sp.Matrix([1 if i == int(y) else 0 for i in range(n)])


def softmax(x: Any) -> Any:
    """softmax over the entries of a column (or each row of a matrix)."""
    sp = _sp()
    m = _explicit_only(x, "softmax")
    if m.shape[1] == 1:
        total = sp.Add(*[sp.exp(t) for t in m])
        return m.applyfunc(lambda t: sp.exp(t) / total)
    rows = [softmax(m[i, :].T).T for i in range(m.shape[0])]
    return sp.Matrix.vstack(*rows)


def log_softmax(x: Any) -> Any:
    sp = _sp()
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
    return sp.Sum(term(i), (i, 0, n - 1))


def entry(x: Any, i: Any, j: Any = 0) -> Any:
    """x[i, j] for an explicit matrix or a matrix symbol (then a symbolic index is fine)."""
    return x[i, j]


# ----- Derivatives -----


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
    elif _is_general(x):
        if _is_explicit(f):
            raise GeneralFormUnavailable("explicit f of a general variable")
        fs = sc(f) if _is_general(f) else f
        # term by term: SymPy 1.14 returns 0 for some sums of traces it differentiates
        # correctly one at a time, e.g. (tr(rᵀr)/2N + λ tr(wᵀw)).diff(w)
        terms = [t.diff(x) for t in sp.Add.make_args(sp.expand(fs))]
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
        return sp.diff(_defined(f), x)
    return out.T if layout == "numerator" else out


def jacobian(y: Any, x: Any, layout: str = "numerator") -> Any:
    """∂y/∂x of a column y by a column x: m×n in numerator layout (J[i, j] = ∂yᵢ/∂xⱼ)."""
    sp = _sp()
    ym = _explicit_only(y, "jacobian")
    xm = _explicit_only(x, "jacobian")
    if ym.shape[1] != 1 or xm.shape[1] != 1:
        raise ValueError("jacobian takes column vectors (or scalars)")
    _record_variables(xm)
    _defined(ym)
    jac = sp.Matrix(ym.shape[0], xm.shape[0], lambda i, j: sp.diff(ym[i], xm[j]))
    return jac.T if layout == "denominator" else jac


def diff(y: Any, t: Any) -> Any:
    """Element-wise derivative of y by a scalar t."""
    sp = _sp()
    if _is_general(y):
        raise GeneralFormUnavailable("element-wise derivative of a general matrix")
    _record_variables(t)
    _defined(y)
    if _is_explicit(y):
        return y.applyfunc(lambda e: sp.diff(e, t))
    return sp.diff(y, t)
