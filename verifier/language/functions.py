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

__all__ = ["FUNCTIONS", "HINTS", "Function", "ShapeProblem", "grid_shape"]


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


def _same(shapes: list[Shape]) -> Shape:
    return shapes[0]


def _to_scalar(shapes: list[Shape]) -> Shape:
    return SCALAR


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
}

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
        "softmax", "softmax(z): over a column (each row of a matrix)", ("expr",),
        _matrix_only("softmax"), ops.softmax, scalarize=False,
    ),
    "log_softmax": Function(
        "log_softmax", "log_softmax(z): over a column (each row of a matrix)", ("expr",),
        _matrix_only("log_softmax"), ops.log_softmax, scalarize=False,
    ),
    "sum": Function("sum", "sum(X): of all entries", ("expr",), _to_scalar, ops.sum_),
    "mean": Function("mean", "mean(X): of all entries", ("expr",), _to_scalar, ops.mean),
    "var": Function(
        "var", "var(X): population variance of the entries", ("expr",), _to_scalar, ops.var
    ),
    "max": Function("max", "max(X): largest entry", ("expr",), _to_scalar, ops.max_),
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
        "onehot", "onehot(y, C): y an index symbol, C a size", ("index", "size"), _onehot,
        ops.onehot,
    ),
    "kron": Function("kron", "kron(A, B): Kronecker product", ("expr", "expr"), _kron, ops.kron,
                     scalarize=False),
    "vec": Function("vec", "vec(A): stack the columns", ("expr",), _vec, ops.vec,
                    scalarize=False),
    "block": Function(
        "block", "block([[A, B], [C, D]]): a block matrix, rows of blocks of one height, "
        "columns of one width", ("grid",), _same, ops.block, scalarize=False,
    ),
    # grad's shape rule and meaning depend on the layout; the parser and evaluator handle it
    "grad": Function(
        "grad", "grad(f, X): f scalar-valued, X a declared symbol", ("expr", "variable"),
        _same, ops.grad,
    ),
}

# Names people reach for that the language spells differently.
HINTS: dict[str, str] = {
    "transpose": "write X.T for a transpose",
    "dot": "write a @ b for a matrix product",
    "matmul": "write A @ B for a matrix product",
    "outer": "write a @ b.T for an outer product",
    "inner": "write a.T @ b for an inner product",
    "tr": 'write trace(A)',
    "Tr": 'write trace(A)',
    "ln": "write log(x)",
    "inverse": "write inv(A)",
    "pinv": "the pseudo-inverse is not in the language; write inv(A.T @ A) @ A.T",
    "identity": "write eye(n)",
    "bmat": "write block([[A, B], [C, D]])",
    "blockmatrix": "write block([[A, B], [C, D]])",
    "I": "write eye(n) for an identity matrix",
    "e": "write exp(x) for powers of e",
    "sign": "sign is not in the language",
    "multiply": "write A * B (element-wise) or hadamard(A, B)",
    "power": "write x ** k",
    "square": "write x ** 2",
}
