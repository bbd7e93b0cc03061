"""Derivative rules: the claim language's tree to matrix expressions, then reverse mode.

``from_tree`` reads a checked expression of the claim language as a matrix expression.
``gradient`` runs reverse mode over it: each node passes its adjoint (∂f/∂node, the node's
shape) to its children by the rule catalogue below, one rule per operation, the same rules
matrixcalculus.org and the Matrix Cookbook state:

    C = A B        Ā += C̄ Bᵀ,  B̄ += Aᵀ C̄
    C = A⁻¹        Ā += −A⁻ᵀ C̄ A⁻ᵀ
    c = det A      Ā += c̄ det(A) A⁻ᵀ
    c = tr A       Ā += c̄ I
    C = f(A)       Ā += C̄ ∘ f′(A)          (element-wise f)

``jacobian`` runs forward mode for a column-valued expression of a column vector, and the
Hessian is the Jacobian of the gradient.  An operation without a rule here raises
``NoClosedForm`` and ``derive`` falls back to index form.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from fractions import Fraction

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
    NoClosedForm,
    Num,
    Ones,
    Pow,
    Sym,
    T,
    Zero,
    add,
    depends,
    facts,
    fn,
    had,
    inner,
    inv,
    is_num,
    is_scalar,
    matmul,
    mul,
    neg,
    num,
    power,
    size_expr,
    transpose,
)
from verifier.language.shapes import ONE, SCALAR, Shape
from verifier.language.tree import walk

__all__ = ["from_tree", "gradient", "jacobian", "hessian", "spread"]


# ----- the claim language's tree as a matrix expression -----


def from_tree(node) -> E:
    """A checked tree of the claim language (``CompiledExpr.tree``) as a matrix expression.

    Dispatches on the node's class name, so trees from a newer language (indexing,
    comparisons) are read where a rule exists and refused clearly where none does.
    """
    kind = type(node).__name__
    reader = _READERS.get(kind)
    if reader is None:
        raise NoClosedForm(f"{kind} nodes have no matrix-form rule")
    return reader(node)


def _number(node) -> E:
    return num(node.value)


def _symbol(node) -> E:
    if node.kind == "index":
        raise NoClosedForm("index notation (an index symbol)")
    return Sym(node.shape, name=node.name, kind=node.kind)


def _dim(node) -> E:
    return Dim(SCALAR, name=node.name)


def _constant(node) -> E:
    return Const(SCALAR, name=node.name)


def _unary(node) -> E:
    v = from_tree(node.arg)
    return neg(v) if node.op == "-" else v


def _transpose(node) -> E:
    return vecrules.kron_transpose(transpose(from_tree(node.arg)))


def _to_scalar(node) -> E:
    return from_tree(node.arg)


def _binary(node) -> E:
    a, b = from_tree(node.left), from_tree(node.right)
    op = node.op
    ma, mb = node.left.shape.is_matrix, node.right.shape.is_matrix
    if op == "@":
        return vecrules.product(matmul(a, b))
    if op == "**":
        return power(a, b)
    if op == "+":
        return vecrules.entrywise(add(a, b))
    if op == "-":
        return vecrules.entrywise(add(a, neg(b)))
    if op == "*":
        return vecrules.entrywise(had(a, b) if ma and mb else mul(a, b))
    if op == "/":
        return vecrules.entrywise(had(a, power(b, num(-1))) if ma and mb else
                                  mul(a, power(b, num(-1))))
    raise NoClosedForm(f"operator {op}")


def _compare(node) -> E:
    a, b = from_tree(node.left), from_tree(node.right)
    names = {">": "gt", ">=": "ge", "<": "lt", "<=": "le", "==": "eq", "!=": "ne"}
    shape = a.shape if not a.shape.is_scalar else b.shape
    return Fn(shape, name=f"cmp_{names[node.op]}", args=(a, b))


def _subscript(node) -> E:
    """An entry, row or column picked by index symbols outside every sum(e, i) (a class
    label c: a constant here) or a fixed position (0, 1, …): x[c] = onehot(c)ᵀx, W[c, :] =
    onehot(c)ᵀW, W[:, c] = W onehot(c).  Any other key (an index bound by a sum) is index
    notation."""
    arg = node.arg
    rows, cols = arg.shape.rows, arg.shape.cols

    def pick(key, size):
        if key is None:
            return None
        if type(key).__name__ == "Number" and key.value.denominator == 1 and key.value >= 0:
            # a fixed position (W[:, 0]): onehot(0, n), as the language writes it
            return Fn(Shape(size, ONE), name="onehot", args=(num(int(key.value)),
                                                             size_expr(size)))
        if type(key).__name__ != "Symbol" or key.kind != "index" or key.extent is None \
                or size_of_extent(key.extent) != size:
            raise NoClosedForm("index notation (x[i])")
        label = Sym(SCALAR, name=key.name, kind="index")
        return Fn(Shape(size, ONE), name="onehot", args=(label, size_expr(size)))

    row_key, col_key = node.keys
    left = pick(row_key, rows) if not (arg.shape.rows == ONE and _is_zero_key(row_key)) \
        else None
    right = pick(col_key, cols) if not (arg.shape.cols == ONE and _is_zero_key(col_key)) \
        else None
    out = from_tree(arg)
    if left is not None:
        out = matmul(transpose(left), out)
    if right is not None:
        out = matmul(out, right)
    return out


def _is_onehot(e: E) -> bool:
    e = e.arg if isinstance(e, T) else e
    return isinstance(e, Fn) and e.name == "onehot"


def _log(a: E) -> E:
    """log, with log softmax(z) read as log_softmax(z), also of an entry picked by a label
    (log softmax(z)[c] = log_softmax(z)[c]): the same function, whose derivative the
    simplifier writes as softmax(z) − onehot(c)."""
    if isinstance(a, Fn) and a.name.startswith("softmax"):
        return Fn(a.shape, name="log_" + a.name, args=a.args)
    if isinstance(a, Fn) and a.name == "exp":  # log exp a = a (a real)
        return a.args[0]
    if isinstance(a, MatMul):
        inner = [f for f in a.factors if not _is_onehot(f)]
        if len(inner) == 1 and isinstance(inner[0], Fn) and inner[0].name.startswith("softmax"):
            return matmul(*[_log(f) if f is inner[0] else f for f in a.factors])
    return fn("log", a)


def _prod_of_positives(node) -> E | None:
    """Πᵢ e(x[i]) = exp(Σ log e(x)) where every factor is positive (an entry of a symbol
    assumed positive, exp, sigmoid, products, quotients and powers of those), e built
    entry-wise from columns indexed by the product's index over their whole length; None
    otherwise (a factor that may be 0 or negative keeps the index form)."""
    body, index = node.args
    if type(index).__name__ != "Symbol" or not _positive_node(body):
        return None
    column = _entrywise(body, index.name)
    if column is None or is_scalar(column) or not column.shape.is_column \
            or column.shape.rows != size_of_extent(index.extent):
        return None
    return fn("exp", fn("sum", _log(column)))


def _entrywise(node, i: str) -> E | None:
    """The column C with C[i] = node, for a node built from entries v[i] of columns by
    element-wise operations (and scalars free of i), else None."""
    kind = type(node).__name__
    if not any(type(n).__name__ == "Symbol" and n.name == i for n in walk(node)):
        return from_tree(node) if node.shape.is_scalar else None
    if kind == "Subscript":
        arg, keys = node.arg, node.keys
        if type(arg).__name__ == "Symbol" and arg.kind == "vector" and len(keys) == 2 \
                and type(keys[0]).__name__ == "Symbol" and keys[0].name == i \
                and _is_zero_key(keys[1]):
            return from_tree(arg)
        return None
    if kind == "Unary":
        inner = _entrywise(node.arg, i)
        return None if inner is None else (neg(inner) if node.op == "-" else inner)
    if kind == "Binary" and node.op in ("+", "-", "*", "/", "**"):
        a, b = _entrywise(node.left, i), _entrywise(node.right, i)
        if a is None or b is None:
            return None
        if node.op == "+":
            return add(a, b)
        if node.op == "-":
            return add(a, neg(b))
        both = not is_scalar(a) and not is_scalar(b)
        if node.op == "*":
            return had(a, b) if both else mul(a, b)
        if node.op == "/":
            return had(a, power(b, num(-1))) if both else mul(a, power(b, num(-1)))
        return power(a, b) if is_scalar(b) else None
    if kind == "Call" and node.fn in ELEMENTWISE and len(node.args) == 1:
        inner = _entrywise(node.args[0], i)
        return None if inner is None else (_log(inner) if node.fn == "log" else
                                           fn(node.fn, inner))
    return None


def _positive_node(node) -> bool:
    kind = type(node).__name__
    if kind == "Number":
        return node.value > 0
    if kind == "Subscript":
        return type(node.arg).__name__ == "Symbol" and node.arg.name in facts().positive
    if kind == "Symbol":
        return node.name in facts().positive
    if kind == "Call":
        return node.fn in ("exp", "sigmoid") or (node.fn == "sqrt"
                                                  and _positive_node(node.args[0]))
    if kind == "Binary" and node.op in ("+", "*", "/"):
        return _positive_node(node.left) and _positive_node(node.right)
    if kind == "Binary" and node.op == "**":
        return _positive_node(node.left)
    return False


def _is_zero_key(key) -> bool:
    return type(key).__name__ == "Number" and key.value == 0


def size_of_extent(extent):
    from verifier.language.shapes import size_of

    return size_of(extent)


def _axis(node) -> int | None:
    return getattr(node, "axis", None)


def _call(node) -> E:
    name = node.fn
    if name in ("grad", "jacobian", "hessian"):
        return _inner_derivative(node)
    if name in ("eye", "ones", "zeros"):
        cls = {"eye": Eye, "ones": Ones, "zeros": Zero}[name]
        return cls(node.shape)
    if name == "onehot":  # a constant: its class is an index symbol, its size a dimension
        y, size = node.args
        label = Sym(SCALAR, name=y.name, kind="index") if type(y).__name__ == "Symbol" \
            else from_tree(y)
        return Fn(node.shape, name="onehot", args=(label, from_tree(size)))
    if name == "prod" and len(node.args) == 2 and (p := _prod_of_positives(node)) is not None:
        return p
    if name in ("sum", "mean", "prod") and len(node.args) > 1:
        raise NoClosedForm(f"index notation ({name}(e, i))")
    if name in ("max", "min") and len(node.args) == 2:
        # element-wise, through a ramp (the same function, kinks where a = b):
        # max(a, b) = b + relu(a − b) = a + relu(b − a), min(a, b) = b − relu(b − a)
        # = a − relu(a − b); the constant side outside, so max(z, 0) is relu(z)
        a, b = (from_tree(x) for x in node.args)
        if isinstance(a, Num) and not isinstance(b, Num):
            a, b = b, a  # both are symmetric in a and b
        sign = 1 if name == "max" else -1
        return add(b, mul(num(sign), fn("relu", mul(num(sign), add(a, neg(b))))))
    if name == "logsumexp" and _axis(node) is not None:
        # of each row (axis 1, a column) or each column (axis 0, a row)
        suffix = "_rows" if _axis(node) == 1 else "_cols"
        return Fn(node.shape, name="logsumexp" + suffix, args=(from_tree(node.args[0]),))
    if name in ("sum", "trace", "norm") and len(node.args) == 1 and _axis(node) is None \
            and (by_blocks := _block_reduction(name, node.args[0])) is not None:
        return by_blocks
    if name in ("block", "kron", "vec", "max", "min"):
        args = tuple(from_tree(a) for a in node.args) if name != "block" else ()
        if name == "block":
            raise NoClosedForm("block matrices")
        return Fn(node.shape, name=name, args=args)
    args = tuple(from_tree(a) for a in node.args)
    a = args[0]
    if name == "log":
        return _log(a)
    if name in ELEMENTWISE:
        return vecrules.entrywise(fn(name, a))
    if name == "leaky_relu":  # relu(x) − s·relu(−x), the same function
        return add(fn("relu", a), neg(mul(args[1], fn("relu", neg(a)))))
    if name == "hadamard":
        return vecrules.entrywise(had(*args))
    if name == "inv":
        return inv(a)
    if name in ("det", "trace", "norm", "var", "logsumexp"):
        return vecrules.reduce(name, a) or fn(name, a)
    if name in ("sum", "mean"):
        axis = _axis(node)
        if axis is None:
            total = vecrules.reduce("sum", a) or fn("sum", a)
        elif axis == 0:  # column sums: the row 1ᵀX
            total = matmul(Ones(Shape(ONE, a.shape.rows)), a)
        else:  # row sums: the column X1
            total = matmul(a, Ones(Shape(a.shape.cols, ONE)))
        if name == "sum":
            return total
        count = (a.shape.rows if axis == 0 else a.shape.cols) if axis is not None else None
        size = size_expr(count) if axis is not None else mul(
            size_expr(a.shape.rows), size_expr(a.shape.cols)) if a.shape.is_matrix else num(1)
        return mul(power(size, num(-1)), total)
    if name in ("softmax", "log_softmax"):
        axis = _axis(node)
        if axis is None:
            axis = 0 if a.shape.is_column else 1
        suffix = "" if a.shape.is_column and axis == 0 else ("_rows" if axis == 1 else "_cols")
        return Fn(a.shape, name=name + suffix, args=(a,))
    if name == "diag":
        return Fn(node.shape, name="diag", args=(a,))
    raise NoClosedForm(f"the function {name}")


def _block_reduction(name: str, node) -> E | None:
    """sum, trace or norm of a block matrix through its blocks: the sum of every block's sum,
    the sum of the diagonal blocks' traces (square diagonal blocks), the root of the blocks'
    squared norms; None where ``node`` is no block matrix or a trace's blocks do not fit."""
    if not (type(node).__name__ == "Call" and node.fn == "block" and node.args
            and type(node.args[0]).__name__ == "Grid"):
        return None
    grid = node.args[0].rows
    if name == "sum":
        return add(*[fn("sum", from_tree(b)) for row in grid for b in row])
    if name == "norm":
        return power(add(*[power(fn("norm", from_tree(b)), num(2)) for row in grid
                           for b in row]), num(Fraction(1, 2)))
    if len(grid) != len(grid[0]) or not all(grid[k][k].shape.is_square
                                            for k in range(len(grid))):
        return None
    return add(*[fn("trace", from_tree(grid[k][k])) for k in range(len(grid))])


_LAYOUT: ContextVar[str | None] = ContextVar("derive_layout", default=None)


@contextmanager
def layout(name: str) -> Iterator[None]:
    """The claim's layout, for a grad or jacobian inside an expression read in this block
    (the tree does not carry it, and a square one has the same shape in both)."""
    token = _LAYOUT.set(name)
    try:
        yield
    finally:
        _LAYOUT.reset(token)


def _inner_derivative(node) -> E:
    """grad(f, x), jacobian(f, x) or hessian(f, x) inside the expression: derived by the
    same rules (the Jacobian of a gradient is a Hessian), in the claim's layout."""
    from verifier.derive.simplify import simplify

    f_node, x_node = node.args
    if type(x_node).__name__ != "Symbol" or (_LAYOUT.get() is None and node.fn != "hessian"):
        raise NoClosedForm(f"a derivative inside the expression ({node.fn})")
    x = Sym(x_node.shape, name=x_node.name, kind=x_node.kind)
    f = from_tree(f_node)
    d = {"grad": gradient, "jacobian": jacobian, "hessian": hessian}[node.fn](f, x)
    # gradient: denominator layout; jacobian: numerator layout; hessian: either
    flip = {"grad": "numerator", "jacobian": "denominator"}.get(node.fn) == _LAYOUT.get()
    d = simplify(transpose(d) if flip else d)
    if d.shape != node.shape and not (d.shape.is_scalar and node.shape.is_one_by_one):
        raise NoClosedForm(f"a derivative inside the expression ({node.fn}) of shape "
                           f"{d.shape}, not {node.shape}")
    return d


_READERS = {
    "Number": _number,
    "Symbol": _symbol,
    "DimValue": _dim,
    "Constant": _constant,
    "Unary": _unary,
    "Transpose": _transpose,
    "ToScalar": _to_scalar,
    "Binary": _binary,
    "Call": _call,
    "Compare": _compare,
    "Subscript": _subscript,
}


# ----- reverse mode: ∂f/∂X of a scalar f -----


def gradient(f: E, x: Sym) -> E:
    """∂f/∂x in denominator layout (x's shape), unsimplified."""
    if not is_scalar(f):
        raise ValueError("the gradient needs a scalar-valued expression")
    out: list[E] = []
    _back(f, num(1), x.name, out)
    if not out:
        return num(0) if x.shape.is_scalar else Zero(x.shape)
    return add(*out)


def _back(e: E, adj: E, x: str, out: list[E]) -> None:
    if not depends(e, x):
        return
    rule = _RULES.get(type(e))
    if rule is None:
        raise NoClosedForm(f"no rule for {type(e).__name__}")
    rule(e, adj, x, out)


def _b_sym(e: Sym, adj: E, x: str, out: list[E]) -> None:
    out.append(adj)


def _b_add(e: Add, adj: E, x: str, out: list[E]) -> None:
    for t in e.terms:
        if is_scalar(t) and not is_scalar(e):
            _back(t, fn("sum", adj), x, out)  # a broadcast scalar meets every entry
        else:
            _back(t, adj, x, out)


def _b_mul(e: Mul, adj: E, x: str, out: list[E]) -> None:
    fs = e.factors
    for i, f in enumerate(fs):
        if not depends(f, x):
            continue
        others = fs[:i] + fs[i + 1:]
        mats = [o for o in others if not is_scalar(o)]
        if not is_scalar(f):
            _back(f, mul(*others, adj), x, out)
        elif mats:
            _back(f, mul(*[o for o in others if is_scalar(o)], inner(adj, mats[0])), x, out)
        else:
            _back(f, mul(adj, *others), x, out)


def _b_matmul(e: MatMul, adj: E, x: str, out: list[E]) -> None:
    fs = e.factors
    for i, f in enumerate(fs):
        if not depends(f, x):
            continue
        left, right = fs[:i], fs[i + 1:]
        parts = [transpose(matmul(*left))] if left else []
        parts.append(adj)
        if right:
            parts.append(transpose(matmul(*right)))
        _back(f, matmul(*parts), x, out)


def _b_transpose(e: T, adj: E, x: str, out: list[E]) -> None:
    _back(e.arg, transpose(adj), x, out)


def _b_inv(e: Inv, adj: E, x: str, out: list[E]) -> None:
    # d(A⁻¹) = −A⁻¹ dA A⁻¹
    ct = transpose(e)
    _back(e.arg, neg(matmul(ct, adj, ct)), x, out)


def _b_pow(e: Pow, adj: E, x: str, out: list[E]) -> None:
    base, k = e.base, e.exp
    if isinstance(base, Fn) and base.name == "norm" and isinstance(k, Num) and k.value == 2:
        # ‖a‖² = Σ aᵢ²: the chain through the norm would add a kink at a = 0 that is not there
        _back(base.args[0], mul(num(2), adj, base.args[0]), x, out)
        return
    if depends(k, x):
        if not is_scalar(base):
            raise NoClosedForm("a matrix raised to a power that depends on the variable")
        _back(k, mul(adj, e, fn("log", base)), x, out)
    if depends(base, x):
        d = mul(k, power(base, add(k, num(-1))))
        _back(base, had(adj, d), x, out)


def _b_had(e: Had, adj: E, x: str, out: list[E]) -> None:
    fs = e.factors
    for i, f in enumerate(fs):
        if depends(f, x):
            _back(f, had(adj, *(fs[:i] + fs[i + 1:])), x, out)


def elementwise_derivative(name: str, a: E, value: E) -> E:
    """f′(a) entry by entry, for ``value`` = f(a)."""
    if name == "log":
        return power(a, num(-1))
    if name == "exp":
        return value
    if name == "sqrt":
        return mul(num(Fraction(1, 2)), power(value, num(-1)))
    if name == "abs":  # sign(a) = 𝟙[a > 0] − 𝟙[a < 0] (away from 0), as the index form reads it
        zero = num(0)
        return add(Fn(a.shape, name="cmp_gt", args=(a, zero)),
                   neg(Fn(a.shape, name="cmp_lt", args=(a, zero))))
    if name == "tanh":
        return add(num(1), neg(power(value, num(2))))
    if name == "sigmoid":
        return had(value, add(num(1), neg(value)))
    if name == "relu":
        if isinstance(a, Mul) and is_num(a.factors[0], -1):  # relu(−z)′ = 𝟙[z < 0]
            z = mul(*a.factors[1:])
            return Fn(z.shape, name="cmp_lt", args=(z, num(0)))
        return fn("step", a)
    if name == "step":
        return num(0)  # 0 away from the kink, where no derivative exists
    if name == "sin":
        return fn("cos", a)
    if name == "cos":
        return neg(fn("sin", a))
    if name == "atan":
        return power(add(num(1), power(a, num(2))), num(-1))
    if name == "erf":  # 2/√π e^(−a²)
        return mul(num(2), power(Const(SCALAR, name="pi"), num(Fraction(-1, 2))),
                   fn("exp", neg(power(a, num(2)))))
    raise NoClosedForm(f"the derivative of {name}")


def softplus_argument(a: E) -> E | None:
    """z where ``a`` is 1 + exp(z) (in either order), the argument of a softplus log(1 + eᶻ)."""
    if not (isinstance(a, Add) and len(a.terms) == 2):
        return None
    one = [t for t in a.terms if is_num(t, 1) or isinstance(t, Ones)]
    ex = [t for t in a.terms if isinstance(t, Fn) and t.name == "exp"]
    if len(one) != 1 or len(ex) != 1 or ex[0].args[0].shape != a.shape:
        return None
    return ex[0].args[0]


def _b_fn(e: Fn, adj: E, x: str, out: list[E]) -> None:
    name = e.name
    a = e.args[0] if e.args else None
    if name == "log" and (z := softplus_argument(a)) is not None:
        # log(1 + eᶻ)′ = σ(z): not eᶻ/(eᶻ + 1), which reads x ∘ eᶻ/(eᶻ + 1) for mish
        _back(z, had(adj, fn("sigmoid", z)), x, out)
        return
    if name == "log" and isinstance(a, Fn) and a.name == "abs":
        # log|u|′ = 1/u wherever it is defined (u ≠ 0): not sign(u)/|u|, which reads
        # det(X) sign(det X) X⁻ᵀ/|det X| for log |det X|
        u = a.args[0]
        _back(u, had(adj, power(u, num(-1))), x, out)
        return
    if name in ELEMENTWISE:
        d = elementwise_derivative(name, a, e)
        if not (isinstance(d, Num) and d.value == 0):
            _back(a, had(adj, d), x, out)
        return
    if name.startswith("cmp_") or name == "onehot":
        return  # piecewise constant: 0 where it has a derivative
    if name == "trace":
        _back(a, mul(adj, Eye(a.shape)), x, out)
    elif name == "det":
        # Jacobi's formula: d det A = det(A) tr(A⁻¹ dA)
        _back(a, mul(adj, e, transpose(inv(a))), x, out)
    elif name == "sum":
        _back(a, mul(adj, Ones(a.shape)), x, out)
    elif name == "norm":
        _back(a, mul(adj, power(e, num(-1)), a), x, out)
    elif name == "var":
        count = mul(size_expr(a.shape.rows), size_expr(a.shape.cols))
        centred = add(a, neg(mul(power(count, num(-1)), fn("sum", a))))
        _back(a, mul(adj, num(2), power(count, num(-1)), centred), x, out)
    elif name == "logsumexp":
        if a.shape.is_column:
            _back(a, mul(adj, Fn(a.shape, name="softmax", args=(a,))), x, out)
        else:
            ex = fn("exp", a)
            _back(a, mul(adj, power(fn("sum", ex), num(-1)), ex), x, out)
    elif name in ("logsumexp_rows", "logsumexp_cols"):
        # each row's (column's) adjoint spread along it, times that row's (column's) softmax
        rows = name.endswith("rows")
        s = Fn(a.shape, name="softmax_rows" if rows else "softmax_cols", args=(a,))
        along = matmul(adj, Ones(Shape(ONE, a.shape.cols))) if rows else matmul(
            Ones(Shape(a.shape.rows, ONE)), adj)
        _back(a, had(along, s), x, out)
    elif name == "softmax":
        # ∂s/∂z = diag(s) − s sᵀ
        _back(a, add(had(e, adj), neg(mul(inner(e, adj), e))), x, out)
    elif name in ("softmax_rows", "softmax_cols"):
        _back(a, had(e, add(adj, neg(spread(had(e, adj), name.endswith("rows"))))), x, out)
    elif name == "log_softmax":
        s = Fn(a.shape, name="softmax", args=(a,))
        _back(a, add(adj, neg(mul(fn("sum", adj), s))), x, out)
    elif name in ("log_softmax_rows", "log_softmax_cols"):
        rows = name.endswith("rows")
        s = Fn(a.shape, name="softmax_rows" if rows else "softmax_cols", args=(a,))
        _back(a, add(adj, neg(had(s, spread(adj, rows)))), x, out)
    elif name == "diag":
        _back(a, Fn(a.shape, name="diag", args=(adj,)), x, out)
    elif name in ("max", "min") and len(e.args) == 1:
        # the largest (smallest) entry: 1 there, 0 elsewhere, 𝟙[X ≥ max X]; no derivative
        # at a tie, where the indicator has more than one 1
        cmp = Fn(a.shape, name="cmp_ge" if name == "max" else "cmp_le", args=(a, e))
        _back(a, mul(adj, cmp), x, out)
    else:
        raise NoClosedForm(f"the derivative of {name}")


def spread(m: E, rows: bool) -> E:
    """Each row's sum repeated along the row ((M1)1ᵀ), or each column's down it (11ᵀM)."""
    r, c = m.shape.rows, m.shape.cols
    if rows:
        return matmul(m, Ones(Shape(c, ONE)), Ones(Shape(ONE, c)))
    return matmul(Ones(Shape(r, ONE)), Ones(Shape(ONE, r)), m)


def _b_const(e: E, adj: E, x: str, out: list[E]) -> None:
    return


_RULES = {
    Sym: _b_sym,
    Add: _b_add,
    Mul: _b_mul,
    MatMul: _b_matmul,
    T: _b_transpose,
    Inv: _b_inv,
    Pow: _b_pow,
    Had: _b_had,
    Fn: _b_fn,
    Num: _b_const,
    Dim: _b_const,
    Const: _b_const,
    Eye: _b_const,
    Ones: _b_const,
    Zero: _b_const,
}


# ----- forward mode: the Jacobian of a column by a column -----


def jacobian(y: E, x: Sym) -> E:
    """∂y/∂x in numerator layout: rows(y) × rows(x) (a row for a scalar y)."""
    if not (x.shape.is_scalar or x.shape.is_column):
        raise NoClosedForm("a Jacobian by a matrix (a 4-D array)")
    n = x.shape.rows if x.shape.is_column else ONE
    if is_scalar(y):
        g = gradient(y, x)
        return transpose(g) if not g.shape.is_scalar else g
    if not y.shape.is_column:
        raise NoClosedForm("a Jacobian of a matrix (a 4-D array)")
    if x.shape.is_scalar:  # a column by a scalar t: dy/dt, the differential along 1
        from verifier.derive.differential import differential

        try:
            return differential(y, x.name, num(1))
        except NoClosedForm:
            pass
    return _jac(y, x, n)


def _jac(y: E, x: Sym, n) -> E:
    p = y.shape.rows
    if not depends(y, x.name):
        return Zero(Shape(p, n))
    if is_scalar(y):
        g = gradient(y, x)
        return transpose(g) if not g.shape.is_scalar else g
    if isinstance(y, Sym):
        return Eye(Shape(n, n))
    if isinstance(y, Add):
        parts = []
        for t in y.terms:
            if is_scalar(t):
                parts.append(matmul(Ones(Shape(p, ONE)), _jac(t, x, n)))
            else:
                parts.append(_jac(t, x, n))
        return add(*parts)
    if isinstance(y, Mul):
        fs = y.factors
        parts = []
        for i, f in enumerate(fs):
            if not depends(f, x.name):
                continue
            others = fs[:i] + fs[i + 1:]
            if not is_scalar(f):
                parts.append(mul(*others, _jac(f, x, n)))
            else:
                parts.append(matmul(mul(*others), _jac(f, x, n)))
        return add(*parts)
    if isinstance(y, MatMul):
        return _jac_matmul(y, x, n)
    if isinstance(y, Fn) and y.name.startswith("cmp_"):
        return Zero(Shape(p, n))  # piecewise constant: 0 where it has a derivative
    if isinstance(y, Had):
        fs = y.factors
        return add(*[matmul(_diag(had(*(fs[:i] + fs[i + 1:]))), _jac(f, x, n))
                     for i, f in enumerate(fs) if depends(f, x.name)])
    if isinstance(y, Fn) and y.name == "log" and (z := softplus_argument(y.args[0])) \
            is not None:  # log(1 + eᶻ)′ = σ(z)
        return matmul(_diag(fn("sigmoid", z)), _jac(z, x, n))
    if isinstance(y, Fn) and y.name in ELEMENTWISE:
        a = y.args[0]
        d = elementwise_derivative(y.name, a, y)
        return matmul(_diag(d), _jac(a, x, n)) if not isinstance(d, Num) else mul(
            d, _jac(a, x, n))
    if isinstance(y, Pow) and not depends(y.exp, x.name):
        d = mul(y.exp, power(y.base, add(y.exp, num(-1))))
        return matmul(_diag(d), _jac(y.base, x, n))
    if isinstance(y, Fn) and y.name == "softmax":
        s = y
        return matmul(add(_diag(s), neg(matmul(s, transpose(s)))), _jac(y.args[0], x, n))
    if isinstance(y, Fn) and y.name == "log_softmax":
        a = y.args[0]
        s = Fn(a.shape, name="softmax", args=(a,))
        return matmul(add(Eye(Shape(p, p)), neg(matmul(Ones(Shape(p, ONE)), transpose(s)))),
                      _jac(a, x, n))
    if isinstance(y, Fn) and y.name == "diag" and y.args[0].shape.is_square:
        return _jac_diag(y.args[0], x, n)
    if isinstance(y, Fn) and y.name == "kron" and all(
            a.shape.is_column and not a.shape.is_one_by_one for a in y.args):
        # d(a ⊗ b) = da ⊗ b + a ⊗ db, and (J v) ⊗ b = (J ⊗ b) v, a ⊗ (J v) = (a ⊗ J) v
        a, b = y.args
        return add(*[Fn(Shape(p, n), name="kron", args=pair) for pair, f in (
            ((_jac(a, x, n), b), a), ((a, _jac(b, x, n)), b)) if depends(f, x.name)])
    if isinstance(y, Fn) and y.name == "logsumexp_rows":
        # d lse(A)ᵢ = Σⱼ Sᵢⱼ dAᵢⱼ, S = softmax of each row: the row sums of S ∘ dA
        a = y.args[0]
        return _jac_row_sums(Fn(a.shape, name="softmax_rows", args=(a,)), a, x, n)
    if isinstance(y, T):
        column = _transpose_inside(y.arg)
        if column is not None:
            return _jac(column, x, n)
    raise NoClosedForm(f"the Jacobian of {type(y).__name__}"
                       + (f" {y.name}" if isinstance(y, Fn) else ""))


def _transpose_inside(m: E) -> E | None:
    """Mᵀ with the transpose taken inside, for an M that keeps its transpose outside
    (logsumexp down each column, element-wise functions, Hadamard products, powers, softmax
    and log-softmax along an axis), else None."""
    if isinstance(m, Fn) and m.name == "logsumexp_cols":
        a = transpose(m.args[0])  # the column maxima of A are the row maxima of Aᵀ
        return Fn(m.shape.T, name="logsumexp_rows", args=(a,))
    if isinstance(m, Fn) and m.name in ELEMENTWISE and len(m.args) == 1:
        return fn(m.name, transpose(m.args[0]))
    if isinstance(m, Fn) and m.name in ("softmax_rows", "log_softmax_rows") \
            and m.shape.rows == ONE:  # one row: over its entries
        return Fn(m.shape.T, name=m.name[:-len("_rows")], args=(transpose(m.args[0]),))
    if isinstance(m, Fn) and m.name in _AXIS_FLIP:  # along rows of A = down columns of Aᵀ
        return Fn(m.shape.T, name=_AXIS_FLIP[m.name], args=(transpose(m.args[0]),))
    if isinstance(m, Had):
        return had(*[transpose(f) for f in m.factors])
    if isinstance(m, Pow) and is_scalar(m.exp):
        return power(transpose(m.base), m.exp)
    return None


_AXIS_FLIP = {"softmax_rows": "softmax_cols", "softmax_cols": "softmax_rows",
              "log_softmax_rows": "log_softmax_cols", "log_softmax_cols": "log_softmax_rows"}


def _jac_row_sums(s: E, a: E, x: Sym, n) -> E:
    """The Jacobian of the column (S ∘ A(x))𝟏 by x, S held fixed (S is A's softmax along
    each row for logsumexp along axis 1; 𝟏rᵀ for the column A(x) r): where A is a column,
    built entry-wise (element-wise functions, Hadamard products of any number of factors
    of x, softmax along an axis), or a product in which x enters as a column, a row or a
    diagonal (x aᵀ, B diag(x)), or whose first factor is such a matrix; any other matrix
    of x would need a 3-D array."""
    p, q = a.shape.rows, a.shape.cols
    if not depends(a, x.name):
        return Zero(Shape(p, n))
    if a.shape.is_column:  # (S ∘ a)𝟏 = S ∘ a = diag(S) a
        return matmul(_diag(s), _jac(a, x, n))
    ones = Ones(Shape(q, ONE))
    if isinstance(a, Add):
        return add(*[matmul(s, ones, _jac(t, x, n)) if is_scalar(t)  # t 𝟏𝟏ᵀ: t S𝟏
                     else _jac_row_sums(s, t, x, n) for t in a.terms if depends(t, x.name)])
    if isinstance(a, Mul):
        *scalars, m = a.factors
        parts = [matmul(had(s, mul(*scalars[:i], *scalars[i + 1:], m)), ones, _jac(c, x, n))
                 for i, c in enumerate(scalars) if depends(c, x.name)]
        if depends(m, x.name):
            parts.append(mul(*scalars, _jac_row_sums(s, m, x, n)))
        return add(*parts)
    if isinstance(a, Had):  # S ∘ (F ∘ G): the product rule, the other factors join S
        fs = a.factors
        return add(*[_jac_row_sums(had(s, *fs[:i], *fs[i + 1:]), f, x, n)
                     for i, f in enumerate(fs) if depends(f, x.name)])
    if isinstance(a, Fn) and a.name in ELEMENTWISE and len(a.args) == 1:
        d = elementwise_derivative(a.name, a.args[0], a)
        return _jac_row_sums(mul(d, s) if is_scalar(d) else had(s, d), a.args[0], x, n)
    if isinstance(a, Pow) and not depends(a.exp, x.name):
        d = mul(a.exp, power(a.base, add(a.exp, num(-1))))
        return _jac_row_sums(had(s, d), a.base, x, n)
    if isinstance(a, Fn) and a.name in _AXIS_FLIP:
        return _jac_row_sums_softmax(s, a, x, n)
    if isinstance(a, Fn) and a.name == "diag" and a.args[0].shape.is_column:
        # (S ∘ diag(g))𝟏 = diag(S) ∘ g: the diagonal of S (a column) scales dg
        return matmul(_diag(Fn(Shape(p, ONE), name="diag", args=(s,))),
                      _jac(a.args[0], x, n))
    if isinstance(a, T):
        inside = _transpose_inside(a.arg)
        if inside is not None:
            return _jac_row_sums(s, inside, x, n)
    if isinstance(a, MatMul | Inv):
        return _jac_row_sums_chain(s, (), a.factors if isinstance(a, MatMul) else (a,), (),
                                   x, n)
    raise NoClosedForm("the Jacobian through "
                       + (a.name if isinstance(a, Fn) else type(a).__name__)
                       + " of a matrix built from the variable (a 3-D array)")


def _jac_row_sums_softmax(s: E, a: Fn, x: Sym, n) -> E:
    """(S ∘ dF)𝟏 for F = softmax or log-softmax of A along rows or down columns, by its
    differential (Sₘ the softmax):

        rows:     dSₘ = Sₘ ∘ (dA − (Sₘ ∘ dA)𝟏𝟏ᵀ)      d log Sₘ = dA − (Sₘ ∘ dA)𝟏𝟏ᵀ
        columns:  dSₘ = Sₘ ∘ (dA − 𝟏𝟏ᵀ(Sₘ ∘ dA))      d log Sₘ = dA − 𝟏𝟏ᵀ(Sₘ ∘ dA)

    (K ∘ (c𝟏ᵀ))𝟏 = diag(K𝟏) c for the row sums c of Sₘ ∘ dA, and (K ∘ 𝟏cᵀ)𝟏 = K c for the
    column sums c, which are the row sums of Sₘᵀ ∘ dAᵀ."""
    m = a.args[0]
    rows = a.name.endswith("_rows")
    sm = Fn(m.shape, name="softmax_rows" if rows else "softmax_cols", args=(m,))
    k = had(s, sm) if a.name.startswith("softmax") else s  # the factor beside dA
    sums = _jac_row_sums(sm, m, x, n) if rows else _jac_row_sums(
        transpose(sm), transpose(m), x, n)
    spread_by = _diag(matmul(k, Ones(Shape(m.shape.cols, ONE)))) if rows else k
    return add(_jac_row_sums(k, m, x, n), neg(matmul(spread_by, sums)))


def _jac_row_sums_chain(s: E, left: tuple[E, ...], mids: tuple[E, ...],
                        right: tuple[E, ...], x: Sym, n) -> E:
    """The Jacobian of (S ∘ L·M₁⋯Mₖ·R)𝟏 by the product rule over the Mᵢ, L and R fixed:

        (S ∘ B du C)𝟏 = diag(S Cᵀ) B du          du a column
        (S ∘ b dgᵀ C)𝟏 = diag(b) S Cᵀ dg          dgᵀ a row
        (S ∘ B diag(dg) C)𝟏 = (B ∘ S Cᵀ) dg
    """
    q = s.shape.cols
    ones = Ones(Shape(q, ONE))
    parts = []
    for i, f in enumerate(mids):
        if not depends(f, x.name):
            continue
        before, after = left + mids[:i], mids[i + 1:] + right
        if is_scalar(f):
            parts.append(matmul(had(s, matmul(*before, *after)), ones, _jac(f, x, n)))
        elif f.shape.is_column:  # after is a row (1×q)
            parts.append(matmul(_diag(matmul(s, transpose(matmul(*after)))), *before,
                                _jac(f, x, n)))
        elif f.shape.rows == ONE:  # before is a column b (or nothing: one row)
            lead = (_diag(matmul(*before)),) if before else ()
            tail = (transpose(matmul(*after)),) if after else ()
            parts.append(matmul(*lead, s, *tail, _jac(transpose(f), x, n)))
        elif isinstance(f, Fn) and f.name == "diag" and f.args[0].shape.is_column:
            k = f.shape.rows
            bm = matmul(*before) if before else Eye(Shape(k, k))
            sc = matmul(s, transpose(matmul(*after))) if after else s
            parts.append(matmul(had(bm, sc), _jac(f.args[0], x, n)))
        elif isinstance(f, Inv):  # d(M⁻¹) = −M⁻¹ dM M⁻¹
            inner_ = f.arg.factors if isinstance(f.arg, MatMul) else (f.arg,)
            parts.append(neg(_jac_row_sums_chain(s, before + (f,), inner_, (f,) + after,
                                                 x, n)))
        elif isinstance(f, Add):
            for t in f.terms:
                if not depends(t, x.name):
                    continue
                if is_scalar(t):  # broadcast: t 𝟏𝟏ᵀ
                    spread = matmul(*before, Ones(f.shape), *after)
                    parts.append(matmul(had(s, spread), ones, _jac(t, x, n)))
                else:
                    parts.append(_jac_row_sums_chain(
                        s, before, t.factors if isinstance(t, MatMul) else (t,), after, x, n))
        elif not before:  # (S ∘ F C)𝟏 = (S Cᵀ ∘ F)𝟏
            parts.append(_jac_row_sums(matmul(s, transpose(matmul(*after))) if after else s,
                                       f, x, n))
        elif (local := _row_local(f, x)) is not None:
            # dF = diag(du) K (row k of F moves with u[k] only): the diagonal rule above
            u, k_mat = local
            sc = matmul(s, transpose(matmul(k_mat, *after)))
            parts.append(matmul(had(matmul(*before), sc), _jac(u, x, n)))
        else:
            raise NoClosedForm("the Jacobian of a product with a matrix factor that depends "
                               "on the variable behind another (a 3-D array)")
    return add(*parts)


def _row_local(f: E, x: Sym) -> tuple[E, E] | None:
    """(u, K) with dF = diag(du) K, for F = g(u rᵀ) element-wise (or (u rᵀ)^k) with u a column
    of x and r fixed: dF = g′(u rᵀ) ∘ (du rᵀ) = diag(du) g′(u rᵀ) diag(r); else None."""
    if isinstance(f, Fn) and f.name in ELEMENTWISE and len(f.args) == 1:
        a, d = f.args[0], None
    elif isinstance(f, Pow) and not depends(f.exp, x.name):
        a, d = f.base, mul(f.exp, power(f.base, add(f.exp, num(-1))))
    else:
        return None
    if not (isinstance(a, MatMul) and len(a.factors) == 2):
        return None
    u, r = a.factors
    if not (u.shape.is_column and r.shape.rows == ONE) or depends(r, x.name):
        return None
    if d is None:
        d = elementwise_derivative(f.name, a, f)
    if is_scalar(d):
        return u, mul(d, matmul(Ones(u.shape), r))
    return u, matmul(d, _diag(transpose(r)))


def _diag(d: E) -> E:
    if is_scalar(d):
        return d
    return Fn(Shape(d.shape.rows, d.shape.rows), name="diag", args=(d,))


def _jac_matmul(y: MatMul, x: Sym, n) -> E:
    return _jac_chain((), y.factors, (), x, n)


def _jac_chain(left: tuple[E, ...], mids: tuple[E, ...], right: tuple[E, ...], x: Sym,
               n) -> E:
    """The Jacobian of the column L·M₁⋯Mₖ·R by the product rule over the Mᵢ, with the outer
    factors L and R held fixed (their own terms carry their dependence)."""
    parts = []
    for i, f in enumerate(mids):
        if not depends(f, x.name):
            continue
        before, after = left + mids[:i], mids[i + 1:] + right
        if is_scalar(f):  # a 1×1 factor: the rest of the chain is a column
            parts.append(matmul(matmul(*before, *after), _jac(f, x, n)))
        elif f.shape.is_column:  # the rest on the right is 1×1 (or nothing)
            scale = matmul(*after) if after else num(1)
            parts.append(mul(scale, matmul(*before, _jac(f, x, n))) if before else
                         mul(scale, _jac(f, x, n)))
        elif f.shape.rows == ONE:  # a row gᵀ: L gᵀ R = L Rᵀ g with L a column or nothing
            g = transpose(f)
            parts.append(matmul(*before, transpose(matmul(*after)), _jac(g, x, n)))
        else:
            parts.append(_jac_through(before, f, after, x, n))
    return add(*parts)


def _jac_through(left: tuple[E, ...], f: E, right: tuple[E, ...], x: Sym, n) -> E:
    """The Jacobian of the column L·F·R by x through a matrix F(x), L and R fixed: the
    forms whose Jacobian is a matrix (F v is linear in a column built from x); any other
    would need a 3-D array."""
    if isinstance(f, Fn) and f.name == "diag" and f.args[0].shape.is_column:
        # diag(g) v = v ∘ g = diag(v) g
        return matmul(*left, _diag(matmul(*right)), _jac(f.args[0], x, n))
    if isinstance(f, Inv):  # L M⁻¹ R: d(M⁻¹) = −M⁻¹ dM M⁻¹
        m = f.arg
        mids = m.factors if isinstance(m, MatMul) else (m,)
        return neg(_jac_chain(left + (f,), mids, (f,) + right, x, n))
    if isinstance(f, Add):
        parts = []
        for t in f.terms:
            if not depends(t, x.name):
                continue
            if is_scalar(t):  # broadcast over every entry: t 𝟏𝟏ᵀ
                parts.append(matmul(matmul(*left, Ones(f.shape), *right), _jac(t, x, n)))
            else:
                parts.append(_jac_chain(left, t.factors if isinstance(t, MatMul) else (t,),
                                        right, x, n))
        return add(*parts)
    if isinstance(f, Mul):  # scalars times a matrix M: product rule
        *scalars, m = f.factors
        parts = []
        for i, s in enumerate(scalars):
            if depends(s, x.name):
                rest = mul(*scalars[:i], *scalars[i + 1:], m)
                parts.append(matmul(matmul(*left, rest, *right), _jac(s, x, n)))
        if depends(m, x.name):
            parts.append(mul(*scalars, _jac_chain(
                left, m.factors if isinstance(m, MatMul) else (m,), right, x, n)))
        return add(*parts)
    if right and (r := matmul(*right)).shape.is_column:
        # L F r with r a fixed column: L times the row sums of 𝟏rᵀ ∘ dF, F built entry-wise
        # (Hadamard products of factors of x, element-wise functions, softmax along an axis)
        lead = (matmul(*left),) if left else ()
        spread_r = matmul(Ones(Shape(f.shape.rows, ONE)), transpose(r))  # 𝟏rᵀ
        return matmul(*lead, _jac_row_sums(spread_r, f, x, n))
    raise NoClosedForm("the Jacobian of a product with a matrix factor that depends "
                       "on the variable (a 3-D array)")


def _jac_diag(m: E, x: Sym, n) -> E:
    """The Jacobian of the diagonal of a square M(x) (a column): the Hessian of log det(A +
    diag(x)) or of bᵀ(A + diag(x))⁻¹b differentiates one."""
    if not depends(m, x.name):
        return Zero(Shape(m.shape.rows, n))
    if isinstance(m, T):
        return _jac_diag(m.arg, x, n)
    if isinstance(m, Add):
        return add(*[matmul(Ones(Shape(m.shape.rows, ONE)), _jac(t, x, n)) if is_scalar(t)
                     else _jac_diag(t, x, n) for t in m.terms if depends(t, x.name)])
    if isinstance(m, Mul):
        *scalars, last = m.factors
        return _jac(mul(*scalars, Fn(Shape(last.shape.rows, ONE), name="diag", args=(last,))),
                    x, n)
    if isinstance(m, Fn) and m.name == "diag" and m.args[0].shape.is_column:
        return _jac(m.args[0], x, n)
    mids = m.factors if isinstance(m, MatMul) else (m,)
    return _jac_diag_chain((), mids, (), x, n)


def _ends(left: tuple[E, ...], right: tuple[E, ...], size) -> tuple[E, E]:
    """L and R of a chain L·F·R as matrices (I where there is none)."""
    eye = Eye(Shape(size, size))
    return (matmul(*left) if left else eye), (matmul(*right) if right else eye)


def _jac_diag_chain(left: tuple[E, ...], mids: tuple[E, ...], right: tuple[E, ...],
                    x: Sym, n) -> E:
    """The Jacobian of diag(L·M₁⋯Mₖ·R) by the product rule over the Mᵢ, L and R fixed."""
    size = (left[0] if left else mids[0]).shape.rows
    parts = []
    for i, f in enumerate(mids):
        if not depends(f, x.name):
            continue
        before, after = left + mids[:i], mids[i + 1:] + right
        lm, rm = _ends(before, after, size)
        if is_scalar(f):  # diag(L R) times a 1×1 factor
            parts.append(matmul(Fn(Shape(size, ONE), name="diag", args=(matmul(lm, rm),)),
                                _jac(f, x, n)))
        elif f.shape.is_column:  # diag((L u) r) = (L u) ∘ rᵀ
            parts.append(matmul(_diag(transpose(rm)), lm, _jac(f, x, n)))
        elif f.shape.rows == ONE:  # diag(c vᵀ R) = c ∘ Rᵀv
            parts.append(matmul(_diag(lm), transpose(rm), _jac(transpose(f), x, n)))
        elif isinstance(f, Fn) and f.name == "diag" and f.args[0].shape.is_column:
            # diag(L diag(g) R) = (L ∘ Rᵀ) g
            parts.append(matmul(had(lm, transpose(rm)), _jac(f.args[0], x, n)))
        elif isinstance(f, Inv):  # d(M⁻¹) = −M⁻¹ dM M⁻¹
            inner = f.arg.factors if isinstance(f.arg, MatMul) else (f.arg,)
            parts.append(neg(_jac_diag_chain(before + (f,), inner, (f,) + after, x, n)))
        elif isinstance(f, Add):
            for t in f.terms:
                if not depends(t, x.name):
                    continue
                if is_scalar(t):  # broadcast: t 𝟏𝟏ᵀ
                    ones = Ones(f.shape)
                    parts.append(matmul(Fn(Shape(size, ONE), name="diag",
                                           args=(matmul(lm, ones, rm),)), _jac(t, x, n)))
                else:
                    parts.append(_jac_diag_chain(
                        before, t.factors if isinstance(t, MatMul) else (t,), after, x, n))
        else:
            raise NoClosedForm("the Jacobian of the diagonal of a product with a matrix "
                               "factor that depends on the variable (a 3-D array)")
    return add(*parts)


def hessian(f: E, x: Sym) -> E:
    """∂²f/∂x∂xᵀ: the Jacobian of the gradient (n × n)."""
    from verifier.derive.simplify import simplify

    return jacobian(simplify(gradient(f, x)), x)
