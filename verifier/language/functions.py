"""The functions of the claim language: for each, its arguments, its shape rule and its meaning.

A shape rule gets the argument shapes (1×1 matrices already read as scalars where the
function is element-wise or scalar-valued) and returns the result's shape, or raises
``ShapeProblem`` with a message that says what the function accepts.  The meaning is a
function of the argument values that calls ``verifier.ops``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from verifier import ops
from verifier.language.shapes import ONE, SCALAR, Shape, add_sizes

__all__ = ["ALIAS_ARITY", "ALIASES", "BINDERS", "CALL_ONLY_HINTS", "CAPITALISED", "DERIVATIVES",
           "ELEMENTWISE_ALIASES", "FUNCTIONS", "HINTS", "KINKED", "Function",
           "ShapeProblem", "default_axis", "grid_shape"]


class ShapeProblem(Exception):
    """A function's arguments do not have shapes it accepts (turned into a ClaimInputError)."""


@dataclass(frozen=True)
class Function:
    name: str
    signature: str  # shown in messages: "trace(A): A square"
    args: tuple[str, ...]  # per argument: "expr", "size", "variable", "index" or "grid"
    shape: Callable[[list[Shape]], Shape]
    meaning: Callable[..., Any]
    optional: int = 0  # how many trailing arguments may be left out
    scalarize: bool = True  # read 1×1 arguments as scalars
    # takes axis=0 (down each column) or axis=1 (along each row): the result's shape
    axis_shape: Callable[[Shape, int], Shape] | None = None


def _same(shapes: list[Shape]) -> Shape:
    return shapes[0]


def _to_scalar(shapes: list[Shape]) -> Shape:
    return SCALAR


def _sum_shape(shapes: list[Shape]) -> Shape:
    """sum(X): a scalar; sum(e, i): the summand's shape (a sum of matrices is a matrix)."""
    return SCALAR if len(shapes) == 1 else shapes[0]


def _prod_shape(shapes: list[Shape]) -> Shape:
    if shapes[0].is_matrix:
        raise ShapeProblem(f"prod(e, i) multiplies scalars; the factor is {shapes[0]}")
    return SCALAR


def _reduce_along(what: str):
    """sum(X, axis=0) is the 1×m row of column sums, axis=1 the n×1 column of row sums."""

    def rule(s: Shape, axis: int) -> Shape:
        if s.is_scalar:
            raise ShapeProblem(f"{what}(X, axis=...) needs a vector or a matrix; the argument "
                               "is a scalar")
        return Shape(ONE, s.cols) if axis == 0 else Shape(s.rows, ONE)

    return rule


def _along(what: str):
    def rule(s: Shape, axis: int) -> Shape:
        if s.is_scalar:
            raise ShapeProblem(f"{what} needs a vector or a matrix; the argument is a scalar")
        return s

    return rule


def _max_shape(shapes: list[Shape]) -> Shape:
    """max(X): the largest entry; max(a, b): element-wise, a scalar broadcasts."""
    if len(shapes) == 1:
        return SCALAR
    a, b = shapes
    if a.is_matrix and b.is_matrix and a != b:
        raise ShapeProblem(f"an element-wise max or min needs equal shapes (or a scalar); "
                           f"they are {a} and {b}")
    return a if a.is_matrix else b


def default_axis(shape: Shape) -> int:
    """softmax(z) of a column runs down it (axis 0); of a row or a matrix, along each row."""
    return 0 if shape.is_column else 1


def _square_or_scalar(what: str, result: Callable[[Shape], Shape]):
    def rule(shapes: list[Shape]) -> Shape:
        s = shapes[0]
        if s.is_matrix and not s.is_square:
            raise ShapeProblem(f"{what} needs a square matrix (or a scalar); the argument is {s}")
        return result(s)

    return rule


def _matrix_only(what: str):
    def rule(shapes: list[Shape]) -> Shape:
        if shapes[0].is_scalar:
            raise ShapeProblem(f"{what} needs a vector or a matrix; the argument is a scalar")
        return shapes[0]

    return rule


def _second_scalar(shapes: list[Shape]) -> Shape:
    if shapes[1].is_matrix:
        raise ShapeProblem(f"the slope of leaky_relu must be a scalar; it is {shapes[1]}")
    return shapes[0]


def _diag(shapes: list[Shape]) -> Shape:
    s = shapes[0]
    if s.is_column:
        return Shape(s.rows, s.rows)
    if s.is_square:
        return Shape(s.rows, ONE)
    raise ShapeProblem(f"diag takes a column vector or a square matrix; the argument is {s}")


def _square_of_size(shapes: list[Shape]) -> Shape:
    return Shape(shapes[0].rows, shapes[0].rows)  # a size argument arrives as rows × 1


def _block_of_sizes(shapes: list[Shape]) -> Shape:
    return Shape(shapes[0].rows, shapes[1].rows if len(shapes) > 1 else ONE)


def _hadamard(shapes: list[Shape]) -> Shape:
    a, b = shapes
    if a != b:
        raise ShapeProblem(f"hadamard needs two arguments of one shape; they are {a} and {b}")
    return a


def _onehot(shapes: list[Shape]) -> Shape:
    return Shape(shapes[1].rows, ONE)


def _kron(shapes: list[Shape]) -> Shape:
    a, b = shapes
    if a.is_scalar or b.is_scalar:
        raise ShapeProblem("kron needs two matrices (to scale by a scalar, write *)")
    assert a.rows and a.cols and b.rows and b.cols
    return Shape(a.rows * b.rows, a.cols * b.cols)


def _vec(shapes: list[Shape]) -> Shape:
    s = shapes[0]
    if s.is_scalar:
        raise ShapeProblem("vec needs a matrix; the argument is a scalar")
    assert s.rows and s.cols
    return Shape(s.rows * s.cols, ONE)


def grid_shape(rows: list[list[Shape]]) -> Shape:
    """block([[A, B], [C, D]]): the blocks of a row share a height, the blocks of a column
    share a width (a scalar is a 1×1 block); the result is their sums."""
    width = len(rows[0])
    if any(len(row) != width for row in rows):
        raise ShapeProblem("every row of a block matrix needs the same number of blocks")

    def rows_cols(s: Shape) -> tuple:
        return (ONE, ONE) if s.is_scalar else (s.rows, s.cols)

    heights = []
    for i, row in enumerate(rows):
        hs = [rows_cols(s)[0] for s in row]
        if len(set(hs)) > 1:
            raise ShapeProblem(f"the blocks of row {i + 1} need one height; they are "
                               + ", ".join(f"{h}" for h in hs))
        heights.append(hs[0])
    widths = []
    for j in range(width):
        ws = [rows_cols(row[j])[1] for row in rows]
        if len(set(ws)) > 1:
            raise ShapeProblem(f"the blocks of column {j + 1} need one width; they are "
                               + ", ".join(f"{w}" for w in ws))
        widths.append(ws[0])
    return Shape(add_sizes(*heights), add_sizes(*widths))


_ELEMENTWISE = {
    "log": ops.log,
    "exp": ops.exp,
    "sqrt": ops.sqrt,
    "abs": ops.abs_,
    "tanh": ops.tanh,
    "sigmoid": ops.sigmoid,
    "relu": ops.relu,
    "sin": ops.sin,
    "cos": ops.cos,
    "atan": ops.atan,
    "erf": ops.erf,
}

# functions whose derivative jumps: their kink points need the symbolic search, and agreement
# on a dense set says nothing at the kink (one list: min was missing from one of four copies,
# and a false claim written with min was "proved at sizes" where its max twin was refuted)
KINKED = frozenset({"abs", "relu", "leaky_relu", "max", "min"})

FUNCTIONS: dict[str, Function] = {
    **{
        name: Function(name, f"{name}(x): element-wise", ("expr",), _same, fn)
        for name, fn in _ELEMENTWISE.items()
    },
    "leaky_relu": Function(
        "leaky_relu", "leaky_relu(x, a): element-wise, a a scalar", ("expr", "expr"),
        _second_scalar, ops.leaky_relu,
    ),
    "inv": Function(
        "inv", "inv(A): A square", ("expr",), _square_or_scalar("inv", lambda s: s), ops.inv
    ),
    "det": Function(
        "det", "det(A): A square", ("expr",), _square_or_scalar("det", lambda s: SCALAR), ops.det
    ),
    "trace": Function(
        "trace", "trace(A): A square", ("expr",), _square_or_scalar("trace", lambda s: SCALAR),
        ops.trace,
    ),
    "softmax": Function(
        "softmax", "softmax(z) or softmax(Z, axis=k): over a vector; of a matrix along each "
        "row (axis=1, the default) or down each column (axis=0)", ("expr",),
        _matrix_only("softmax"), ops.softmax_along, scalarize=False,
        axis_shape=_along("softmax"),
    ),
    "log_softmax": Function(
        "log_softmax", "log_softmax(z) or log_softmax(Z, axis=k): as softmax", ("expr",),
        _matrix_only("log_softmax"), ops.log_softmax_along, scalarize=False,
        axis_shape=_along("log_softmax"),
    ),
    "logsumexp": Function(
        "logsumexp", "logsumexp(X): log Σ exp of all entries; logsumexp(X, axis=k): of each "
        "column (k=0, a row) or row (k=1, a column)", ("expr",), _to_scalar, ops.logsumexp,
        scalarize=False, axis_shape=_reduce_along("logsumexp"),
    ),
    "sum": Function(
        "sum", "sum(X): of all entries; sum(e, i): Σ over the index i (e may be a matrix); "
        "sum(X, axis=k): column sums (k=0, a row) or row sums (k=1, a column)",
        ("expr", "index"), _sum_shape, ops.sum_, optional=1, axis_shape=_reduce_along("sum"),
    ),
    "prod": Function(
        "prod", "prod(e, i): Π over the index i of a scalar e", ("expr", "index"), _prod_shape,
        ops.index_prod,
    ),
    "mean": Function(
        "mean", "mean(X): of all entries; mean(e, i): (1/n) Σ over the index i; "
        "mean(X, axis=k): as sum", ("expr", "index"), _sum_shape, ops.mean, optional=1,
        axis_shape=_reduce_along("mean"),
    ),
    "var": Function(
        "var", "var(X): population variance of the entries; var(X, axis=k): of each column "
        "(k=0, a row) or row (k=1, a column), as mean((X - mean(X, axis=k))**2, axis=k)",
        ("expr",), _to_scalar, ops.var,
    ),
    "max": Function(
        "max", "max(X): largest entry; max(a, b): element-wise (a scalar broadcasts)",
        ("expr", "expr"), _max_shape, ops.max_or_maximum, optional=1,
    ),
    "min": Function(
        "min", "min(X): smallest entry; min(a, b): element-wise (a scalar broadcasts)",
        ("expr", "expr"), _max_shape, ops.min_or_minimum, optional=1,
    ),
    "norm": Function(
        "norm", "norm(X): Euclidean (Frobenius) norm", ("expr",), _to_scalar, ops.norm
    ),
    "diag": Function(
        "diag", "diag(v) or diag(A): vector to diagonal matrix, square matrix to its diagonal",
        ("expr",), _diag, ops.diag, scalarize=False,
    ),
    "eye": Function("eye", "eye(n): n×n identity", ("size",), _square_of_size, ops.eye),
    "ones": Function(
        "ones", "ones(n) or ones(n, m)", ("size", "size"), _block_of_sizes, ops.ones, optional=1
    ),
    "zeros": Function(
        "zeros", "zeros(n) or zeros(n, m)", ("size", "size"), _block_of_sizes, ops.zeros,
        optional=1,
    ),
    "hadamard": Function(
        "hadamard", "hadamard(A, B): element-wise product, equal shapes", ("expr", "expr"),
        _hadamard, ops.hadamard, scalarize=False,
    ),
    "onehot": Function(
        "onehot", "onehot(y, C): y an index symbol or a class number (0, 1, ...), C a size",
        ("index", "size"), _onehot, ops.onehot,
    ),
    "kron": Function("kron", "kron(A, B): Kronecker product", ("expr", "expr"), _kron, ops.kron,
                     scalarize=False),
    "vec": Function("vec", "vec(A): stack the columns", ("expr",), _vec, ops.vec,
                    scalarize=False),
    "block": Function(
        "block", "block([[A, B], [C, D]]): a block matrix, rows of blocks of one height, "
        "columns of one width", ("grid",), _same, ops.block, scalarize=False,
    ),
    # the shapes and meanings of derivatives depend on the layout: the parser and the
    # evaluator handle them (DERIVATIVES)
    "grad": Function(
        "grad", "grad(f, X): f scalar-valued, X a declared symbol", ("expr", "variable"),
        _same, ops.grad,
    ),
    "jacobian": Function(
        "jacobian", "jacobian(f, x): f a column (or scalar), x a declared vector (or scalar); "
        "numerator layout: rows = outputs (m×n), denominator layout: its transpose",
        ("expr", "variable"), _same, ops.jacobian,
    ),
    "hessian": Function(
        "hessian", "hessian(f, x): f scalar-valued, x a declared vector (or scalar); "
        "H[i, j] = ∂²f/∂x_i∂x_j", ("expr", "variable"), _same, ops.hessian,
    ),
}

DERIVATIVES = ("grad", "jacobian", "hessian")
# functions whose second argument binds an index: sum(e, i), prod(e, i), mean(e, i)
BINDERS = ("sum", "prod", "mean")

# Functions people call that the language spells otherwise or lacks, where a fuzzy match would
# point at a wrong one (hinge -> inner, sqrtm -> sqrt, cos_sim -> cos).  Many are also symbol
# names (beta, gamma, l1): an undeclared bare name gets "declare it", not these hints.
_CALL_HINTS: dict[str, str] = {
    **{f: "write sign(x) ((x > 0) - (x < 0))" for f in ("sgn", "signum")},
    "arctan2": "atan2 is not in the language; for x > 0, atan2(y, x) is atan(y / x)",
    **{f: "the inverse hyperbolic functions are not in the language; " + formula
       for names, formula in (
           (("asinh", "arcsinh"), "asinh x is log(x + sqrt(x**2 + 1))"),
           (("acosh", "arccosh"), "acosh x is log(x + sqrt(x**2 - 1)) (x >= 1)"),
           (("atanh", "arctanh"), "atanh x is log((1 + x) / (1 - x)) / 2 (-1 < x < 1)"))
       for f in names},
    "sinc": "write sin(x) / x (NumPy's normalised sinc: sin(pi * x) / (pi * x))",
    "hinge": "write relu(1 - y * s) (max(1 - y * s, 0)) for the hinge loss",
    "huber": "write (abs(r) <= d) * r**2 / 2 + (abs(r) > d) * d * (abs(r) - d / 2) "
             "(declare d: scalar)",
    "logit": "write log(p / (1 - p))",
    "softmin": "write softmax(-z)",
    "softsign": "write x / (1 + abs(x))",
    "mish": "write x * tanh(log(1 + exp(x)))",
    "hardtanh": "write min(max(x, -1), 1)",
    "entropy": "write -sum(p * log(p))",
    "sig": "write sigmoid(x)",
    "jac": "write jacobian(f, x)",
    "hess": "write hessian(f, x)",
    **{f: "write mean(x) (mean(X, axis=k), mean(e, i))" for f in ("avg", "average")},
    "sq": "write x ** 2",
    **{f: "write A @ B for a matrix product" for f in ("mm", "bmm")},
    **{f: "the Gaussian density is not a function of the language: write "
          "exp(-x ** 2 / 2) / sqrt(2 * pi) (of N(μ, σ²): exp(-(x - mu) ** 2 / (2 * s ** 2)) / "
          "sqrt(2 * pi * s ** 2))" for f in ("pdf", "normpdf", "gaussian", "normal")},
    "relu6": "write min(max(x, 0), 6)",
    "sparsemax": "sparsemax (a projection onto the simplex) is not in the language",
    "xlogx": "write x * log(x) (defined for x > 0; SciPy's is 0 at x = 0)",
    "xlogy": "write x * log(y) (defined for y > 0; SciPy's xlogy is 0 where x = 0)",
    "sech": "write 1 / cosh(x)",
    "csch": "write 1 / sinh(x)",
    "coth": "write cosh(x) / sinh(x)",
    **{f: "write x.T @ y / (norm(x) * norm(y))"
       for f in ("cosine_similarity", "cos_sim", "cosine")},
    **{f: "write x / norm(x)" for f in ("normalize", "l2_normalize")},
    "l1": "write sum(abs(x)) for the 1-norm",
    **{f: f"the matrix {what} is not in the language ({f[:-1]} is element-wise)"
       for f, what in (("sqrtm", "square root"), ("expm", "exponential"),
                       ("logm", "logarithm"))},
    **{f: "decompositions are not in the language; declare the factors and their structure "
          "(U: matrix(n, n) with 'U orthogonal', s: vector(n)) and write U @ diag(s) @ U.T"
       for f in ("svd", "eig", "eigh", "eigvals", "cholesky", "qr")},
    **{f: "a triangular part is not in the language; write it with a mask inside an index "
          "sum, (j <= i) * A[i, j], or A * M with M declared" for f in ("tril", "triu")},
    "cumsum": "write sum((j <= i) * x[j], j) for entry i (j, i declared index(n))",
    "einsum": "write the sum over named indices: sum(A[i, j] * x[j], j) (declare i, j "
              "index(n))",
    **{f: "write block([[x], [y]]) to stack columns, block([[A, B]]) side by side"
       for f in ("concat", "concatenate", "cat", "stack", "vstack", "hstack")},
    "flip": "reversing is not in the language; write it as a product with the exchange "
            "matrix, declared",
    "matrix_rank": "the rank is not in the language",
    "diagflat": "write diag(x)",
    "reciprocal": "write 1 / x",
    "rsqrt": "write 1 / sqrt(x)",
    "cube": "write x ** 3",
    "exp2": "write 2 ** x",
    "hypot": "write sqrt(x**2 + y**2)",
    "erfinv": "erfinv is not in the language",
    **{f: f"{f} is not in the language" for f in ("gamma", "lgamma", "digamma", "beta",
                                                  "factorial", "binom", "floor", "ceil",
                                                  "round")},
    "adj": "write det(A) * inv(A) for the adjugate of an invertible A",
}

# Names people reach for that the language spells differently.
HINTS: dict[str, str] = {
    "matmul": "write A @ B for a matrix product",
    "inner": "write a.T @ b for an inner product",
    "Tr": 'write trace(A) (or tr(A))',
    "ln": "write log(x)",
    "inverse": "write inv(A)",
    "slogdet": "write log(abs(det(A))) for log |det A|, logdet(A) for log det A (det A > 0)",
    "pinv": "the pseudo-inverse is not in the language; write inv(A.T @ A) @ A.T",
    "bmat": "write block([[A, B], [C, D]])",
    "blockmatrix": "write block([[A, B], [C, D]])",
    "I": "write eye(n) for an identity matrix",
    "e": "write exp(x) for powers of e",
    **{f: "write (x - mean(x)) / sqrt(var(x) + eps) (declare eps: scalar; for a batch X "
          "along axis=0 as batch norm does, (X - mean(X, axis=0)) / sqrt(var(X, axis=0) + eps))"
       for f in ("layernorm", "layer_norm", "batchnorm", "batch_norm")},
    **{f: "write x / sqrt(mean(x**2) + eps) (declare eps: scalar)"
       for f in ("rmsnorm", "rms_norm")},
    "kl": "write sum(p * log(p / q))",
    "inf": "infinity is not in the language; a masked softmax is exp(s) * m / sum(exp(s) * m) "
           "with m binary (1 where a key is kept); s - 1e9 * (1 - m) is a large finite shift, "
           "not a limit",
    "len": "write the dimension's name (x: vector(n) has n entries)",
    "log2": "write log(x) / log(2)",
    "log10": "write log(x) / log(10)",
    "T": "for a transpose write X.T",
    "maximum": "write max(a, b) (element-wise)",
    "minimum": "write min(a, b) (element-wise)",
    "amax": "write max(X) (the largest entry)",
    "argmax": "argmax is not in the language; for the one-hot of a class write onehot(y, C)",
    "step": "write (z > 0) or (z >= 0)",
    "where": "write a comparison times a value: (z > 0) * z",
    "lse": "write logsumexp(z)",
    **{f: "an expectation is not in the language: write the average over samples, mean(e, i) "
          "with i declared index(N), or the sum weighted by the probabilities, sum(p * f)"
       for f in ("E", "expectation", "Expectation")},
    "solve": "write inv(A) @ b",
    **{d: "write grad(f, x) for a gradient (jacobian(f, x), hessian(f, x) for the others)"
       for d in ("d", "D", "nabla", "derivative", "diff", "Derivative", "gradient", "partial")},
    "std": "write sqrt(var(x)) (NumPy's std, ddof=0; torch.std's default, ddof=1, is "
           "sqrt(var(x) * n / (n - 1)) for n entries)",
    "cov": "write (X - mean(X, axis=0)).T @ (X - mean(X, axis=0)) / N (samples as rows)",
    "matrix_power": "write A @ A (A ** k is element-wise)",
    "cross_entropy": "write -log_softmax(z)[y] for a class index y, -sum(t * log_softmax(z)) "
                     "for targets t",
    "binary_cross_entropy": "write -(y * log(p) + (1 - y) * log(1 - p))",
    "bce": "write -(y * log(p) + (1 - y) * log(1 - p))",
    "kl_div": "write sum(p * log(p / q))",
    "frobenius": "write norm(A)",
    "ones_like": "write ones(n) or ones(n, m) with the argument's dimensions",
    "zeros_like": "write zeros(n) or zeros(n, m) with the argument's dimensions",
    "σ": "write sigmoid(x)",
    "Σ": "write sum(e, i) over a declared index, or sum(X) of all entries",
    "Π": "write prod(e, i) over a declared index",
    "softmax_rows": "write softmax(Z) (along each row) or softmax(Z, axis=1)",
    "softmax_cols": "write softmax(Z, axis=0)",
    "delta": "write (i == j) for a Kronecker delta",
    "kronecker": "write (i == j) for a Kronecker delta, kron(A, B) for a Kronecker product",
    "product": "write prod(e, i)",
    "multiply": "write A * B (element-wise) or hadamard(A, B)",
    "power": "write x ** k",
    "square": "write x ** 2",
    "mse": "write norm(y_hat - y) ** 2 / n",
    "l2norm": "write norm(x)",
    "elu": "elu(x) is PyTorch's ELU with alpha = 1; for another alpha a write "
           "(x > 0) * x + (x <= 0) * a * (exp(x) - 1)",
    "gelu": "write x * (1 + erf(x / sqrt(2))) / 2 (GELU, x Φ(x)); its tanh form is "
            "x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x ** 3))) / 2",
    "Phi": "write (1 + erf(x / sqrt(2))) / 2 for the standard normal CDF",
    "normcdf": "write (1 + erf(x / sqrt(2))) / 2 for the standard normal CDF",
    "erfc": "write 1 - erf(x)",
    "atan2": "atan2 is not in the language; for x > 0, atan2(y, x) is atan(y / x)",
    **{f: "write 1 / sin(x), 1 / cos(x) or cos(x) / sin(x)" for f in ("sec", "csc", "cot")},
    **_CALL_HINTS,
}

# Other spellings of the language's own operations, read as the form on the right when the
# claim is parsed (the tree holds only that form).  Each has one meaning: dot and outer take
# vectors (of matrices, NumPy's dot is @ and the Frobenius product is another reading).
ALIASES: dict[str, str] = {
    "tr": "tr(A): trace(A)",
    "transpose": "transpose(X): X.T",
    "logdet": "logdet(A): log(det(A)), defined where det A > 0 (log |det A| is "
              "log(abs(det(A))))",
    "dot": "dot(a, b): a.T @ b of two vectors of one length (a scalar)",
    "outer": "outer(a, b): a @ b.T of two vectors (columns, or rows read as columns)",
    "tan": "tan(x): sin(x) / cos(x), element-wise, defined where cos x ≠ 0",
    "arctan": "arctan(x): atan(x)",
    "sign": "sign(x): (x > 0) - (x < 0), element-wise (1, 0 or -1)",
    "sinh": "sinh(x): (exp(x) - exp(-x)) / 2",
    "cosh": "cosh(x): (exp(x) + exp(-x)) / 2",
    "softplus": "softplus(x): log(1 + exp(x))",
    "log1p": "log1p(x): log(1 + x)",
    "expm1": "expm1(x): exp(x) - 1",
    **{f: f"{f}(x): sigmoid(x)" for f in ("logistic", "expit")},
    **{f: f"{f}(x): x * sigmoid(x)" for f in ("silu", "swish")},
    **{f: f"{f}(x): log(sigmoid(x))" for f in ("log_sigmoid", "logsigmoid")},
    **{f: f"{f}(x): 2 * atan(x / (1 + sqrt(1 - x**2))), the inverse sine on [-1, 1]"
       for f in ("arcsin", "asin")},
    **{f: f"{f}(x): pi / 2 - arcsin(x), the inverse cosine on [-1, 1]"
       for f in ("arccos", "acos")},
    **{f: f"{f}(x, a, b): min(max(x, a), b), element-wise" for f in ("clip", "clamp")},
    "heaviside": "heaviside(x, h0): NumPy's step, (x > 0) + h0 * ((x >= 0) - (x > 0)) (h0 "
                 "at 0: heaviside(x, 0) is (x > 0), heaviside(x, 1) is (x >= 0))",
    "indicator": "indicator(z > 0): the comparison itself, 1 where it holds and 0 elsewhere",
}
# how many arguments an alias takes (1 unless named)
ALIAS_ARITY = {"dot": 2, "outer": 2, "clip": 3, "clamp": 3, "heaviside": 2}
# aliases of element-wise forms, written out by the parser's _elementwise_alias
ELEMENTWISE_ALIASES = frozenset(
    ("sinh", "cosh", "softplus", "log1p", "expm1", "logistic", "expit", "silu", "swish",
     "log_sigmoid", "logsigmoid", "arcsin", "asin", "arccos", "acos", "clip", "clamp",
     "heaviside", "indicator"))
# functions as papers capitalise them (ReLU(x), Softmax(z), Tr(A)): each one meaning, read
# under the language's name where the claim declares no symbol of that name (LayerNorm,
# Var, Norm and Max stay refused: parameters, n - 1, an induced norm, an axis)
# SymPy's derivative by a scalar, read as grad (hessian for the second) where x is a scalar
SCALAR_DERIVATIVES = frozenset({"diff", "derivative", "Derivative"})

CAPITALISED = {"ReLU": "relu", "Relu": "relu", "RELU": "relu", "Sigmoid": "sigmoid",
               "Tanh": "tanh", "Softmax": "softmax", "SoftMax": "softmax",
               "LogSoftmax": "log_softmax", "Log": "log", "Exp": "exp", "Sqrt": "sqrt",
               "Softplus": "softplus", "SoftPlus": "softplus", "SiLU": "silu", "Swish": "swish",
               "Erf": "erf", "Tr": "trace", "Det": "det", "Φ": "Phi",
               "σ": "sigmoid",  # σ(z) undeclared: the logistic, as papers mean it (round 17)
               "identity": "eye", "ELU": "elu"}  # np.identity(n) is np.eye(n) (round 17)
# Φ(x) (GELU's x Φ(x), probit models), called: the standard normal CDF where Phi is not a
# declared symbol, read as (1 + erf(x / sqrt(2))) / 2

# hints given for a call only (a bare name such as beta is a symbol to declare)
CALL_ONLY_HINTS = frozenset(_CALL_HINTS)
