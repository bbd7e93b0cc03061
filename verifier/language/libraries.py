"""Calls as NumPy, PyTorch and SciPy code writes them, read as the language's own form.

``np.exp(x)``, ``torch.logsumexp(x, dim=0)``, ``F.softmax(z, dim=-1)``, ``np.linalg.norm(x,
ord=1)``, ``np.einsum('ij,j->i', A, x)`` and the methods ``x.sum()``, ``A.transpose()``,
``x.dot(y)`` are rewritten (as syntax, placed where the call stands) into the language's
functions where the library's meaning and the language's are the same for the arguments
given.  Where they differ the call is refused with the language's spelling: ``np.max(a, 0)``
takes an axis (the language's ``max(a, b)`` is element-wise), ``torch.var`` divides by n − 1,
``x.var()`` is NumPy's or PyTorch's, an induced matrix norm is not in the language.

``read_call`` returns the rewritten syntax, or None where it has nothing to say (the parser's
own refusals and hints then apply); it raises ``Refused`` with a message and the node to
point at.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass

from verifier.language.shapes import ONE, Shape

__all__ = ["LIBRARY_HEADS", "Refused", "read_call"]

# the first name of a library path (np.linalg.det: np); F is torch.nn.functional
LIBRARY_HEADS = frozenset(("np", "numpy", "jnp", "jax", "torch", "nn", "F", "tf", "scipy",
                           "special", "linalg", "la", "math", "sp", "sympy"))


class Refused(Exception):
    """A library call or method whose meaning differs from the language's form."""

    def __init__(self, node: ast.AST, message: str):
        super().__init__(message)
        self.node, self.message = node, message


@dataclass(frozen=True)
class _Call:
    """A call as read: its library (None for a method), name, arguments (a method's object
    first), keywords and the node it stands at."""

    library: str | None
    name: str
    args: tuple[ast.AST, ...]
    keywords: dict[str, ast.AST]
    node: ast.Call

    @property
    def torch(self) -> bool:
        return self.library is not None and self.library.split(".")[0] in ("torch", "F")

    @property
    def written(self) -> str:
        return f"{self.library}.{self.name}" if self.library else f".{self.name}()"


# one-argument element-wise functions whose library meaning is the language's (or an alias's)
_SAME = frozenset((
    "exp", "log", "sqrt", "abs", "tanh", "sigmoid", "relu", "sin", "cos", "atan", "erf",
    "arctan", "tan", "sinh", "cosh", "log1p", "expm1", "expit", "softplus", "silu",
    "logsigmoid", "log_sigmoid", "arcsin", "arccos", "asin", "acos", "sign", "trace", "det",
    "inv", "logdet"))
_RENAMED = {"absolute": "abs", "fabs": "abs", "inverse": "inv", "ger": "outer",
            "maximum": "max", "minimum": "min", "vdot": "dot", "inner": "dot"}
# reductions that take an axis (NumPy's axis=, PyTorch's dim=, or positionally)
_REDUCTIONS = frozenset(("sum", "mean", "logsumexp", "softmax", "log_softmax", "var", "std",
                         "max", "min", "amax", "amin"))
_MATMUL = frozenset(("matmul", "mm", "mv", "dot"))
# x.mul(y), torch.add(x, y), np.subtract(x, y): the element-wise operators, broadcasting as the
# language's do (round 18); torch's alpha= and rounding_mode= are refused as keywords
_ARITHMETIC = {"mul": ast.Mult, "multiply": ast.Mult, "add": ast.Add, "sub": ast.Sub,
               "subtract": ast.Sub, "div": ast.Div, "divide": ast.Div, "true_divide": ast.Div}


def read_call(node: ast.Call, library: str | None, name: str,
              shape_of: Callable[[ast.AST], Shape], src: Callable[[ast.AST], str]
              ) -> ast.AST | None:
    """The language's form of ``library.name(...)`` (``library`` None: the method
    ``obj.name(...)``, obj the first argument), or None where this module does not read it."""
    assert isinstance(node.func, ast.Attribute)
    args = tuple(node.args) if library is not None else (node.func.value, *node.args)
    if any(isinstance(a, ast.Starred) for a in args) or any(k.arg is None
                                                             for k in node.keywords):
        return None
    call = _Call(library, name, args, {k.arg: k.value for k in node.keywords if k.arg}, node)
    return _Reader(call, shape_of, src).read()


class _Reader:
    def __init__(self, call: _Call, shape_of: Callable[[ast.AST], Shape],
                 src: Callable[[ast.AST], str]):
        self.c, self.shape_of, self.src = call, shape_of, src

    # --- syntax placed at the call ---

    def at(self, new: ast.AST) -> ast.AST:
        return ast.copy_location(new, self.c.node)

    def fn(self, name: str, *args: ast.AST, axis: ast.AST | None = None) -> ast.AST:
        keywords = [ast.keyword(arg="axis", value=axis)] if axis is not None else []
        return self.at(ast.Call(func=self.at(ast.Name(id=name, ctx=ast.Load())),
                                args=list(args), keywords=keywords))

    def number(self, v: int) -> ast.AST:  # no text of its own (the literal check reads text)
        c = self.at(ast.Constant(v))
        c.end_lineno = c.end_col_offset = None
        return c

    def decimal(self, text: str) -> ast.AST:
        c = self.at(ast.Constant(float(text)))
        c.end_lineno = c.end_col_offset = None  # read from str(value), exactly as written
        return c

    def op(self, left: ast.AST, o: ast.operator, right: ast.AST) -> ast.AST:
        return self.at(ast.BinOp(left=left, op=o, right=right))

    def T(self, a: ast.AST) -> ast.AST:
        return self.at(ast.Attribute(value=a, attr="T", ctx=ast.Load()))

    def refuse(self, message: str, node: ast.AST | None = None) -> Refused:
        return Refused(node or self.c.node, f"{self.c.written}: {message}")

    # --- arguments ---

    def arity(self, *allowed: int) -> None:
        if len(self.c.args) not in allowed:
            want = " or ".join(str(k - (self.c.library is None)) for k in allowed)
            raise self.refuse(f"takes {want} argument(s) here, got "
                              f"{len(self.c.args) - (self.c.library is None)}")

    def no_keywords(self, *ignored: str) -> None:
        extra = [k for k in self.c.keywords if k not in ignored]
        if extra:
            raise self.refuse(f"the keyword {extra[0]}= is not read; write the language's "
                              f"form ({self._plain_hint()})", self.c.keywords[extra[0]])

    def _plain_hint(self) -> str:
        return f"{_RENAMED.get(self.c.name, self.c.name)}(...) with its arguments"

    def keep_dims(self) -> None:
        """keepdims=True (keepdim=True) is the language's own shape (a row or a column)."""
        for key in ("keepdims", "keepdim"):
            v = self.c.keywords.get(key)
            if v is not None and not (isinstance(v, ast.Constant) and v.value is True):
                raise self.refuse(f"{key}={self.src(v)} is not read: the language's sums "
                                  "along an axis keep the axis (sum(X, axis=1) is a column), "
                                  f"as {key}=True does", v)

    def axis(self, position: int = 1) -> ast.AST | None:
        """axis=, dim= or the argument at ``position`` (NumPy's and PyTorch's axis)."""
        given = [self.c.keywords[k] for k in ("axis", "dim") if k in self.c.keywords]
        if len(self.c.args) > position:
            given.append(self.c.args[position])
        if len(given) > 1:
            raise self.refuse("the axis is given twice")
        if given and isinstance(given[0], ast.Tuple | ast.List):
            raise self.refuse("an axis is one number here; over all entries leave it out",
                              given[0])
        return given[0] if given else None

    # --- reading ---

    def read(self) -> ast.AST | None:
        c = self.c
        name = _RENAMED.get(c.name, c.name)
        if c.name == "einsum" and c.library is not None:
            return self.einsum()
        if name in _SAME:
            self.arity(1)
            self.no_keywords()
            return self.fn(name, c.args[0])
        if name in ("max", "min") and c.name in ("maximum", "minimum"):
            self.arity(2)
            self.no_keywords()
            return self.fn(name, *c.args)
        if c.name in _REDUCTIONS:
            return self.reduction()
        if c.name in ("kron", "outer", "ger", "vdot", "inner"):
            self.arity(2)
            self.no_keywords()
            return self.fn(name, *c.args)
        if c.name in _MATMUL:
            return self.matmul()
        if c.name in ("transpose", "t", "permute"):
            return self.transpose()
        if c.name == "diag":
            self.arity(1)
            self.no_keywords()
            return self.fn("diag", c.args[0])
        if c.name in ("norm", "vector_norm", "matrix_norm"):
            return self.norm()
        if c.name in ("clip", "clamp"):
            return self.clip()
        if c.name in ("square", "pow", "power", "reciprocal", "rsqrt", "negative", "neg"):
            return self.power()
        if c.library is not None and c.name in ("eye", "ones", "zeros", "identity"):
            return self.constant_matrix()
        if c.name == "elu":
            return self.elu()
        if c.library is not None and c.name == "logit":  # torch.logit, scipy.special.logit
            self.arity(1)
            self.no_keywords()  # eps= clamps p: another function
            p = c.args[0]
            return self.fn("log", self.op(p, ast.Div(), self.op(self.number(1), ast.Sub(), p)))
        if c.name == "diagonal":  # np.diagonal(A), torch.diagonal(A), A.diagonal()
            self.arity(1)
            self.no_keywords()
            return self.fn("diag", c.args[0])
        if c.library is not None and c.name == "dist":  # torch.dist(x, y, p): ‖x − y‖_p
            self.arity(2, 3)
            self.no_keywords("p")
            order = c.keywords.get("p") or (c.args[2] if len(c.args) == 3 else None)
            diff = self.op(c.args[0], ast.Sub(), c.args[1])
            return self.fn("norm", diff) if order is None else self.at(ast.Call(
                func=self.at(ast.Name(id="norm", ctx=ast.Load())), args=[diff, order],
                keywords=[]))
        if c.library is not None and c.name == "binary_cross_entropy_with_logits":
            return self.logistic_loss()
        if c.library is not None and c.name in ("huber_loss", "smooth_l1_loss"):
            return self.huber()
        if c.name in _ARITHMETIC:
            return self.arithmetic()
        if c.library is not None and c.name == "cross_entropy" and c.torch and c.args \
                and self.shape_of(c.args[0]).is_column:
            return self.cross_entropy()
        if c.library is not None and c.name == "linear" and (
                c.torch or c.library.split(".")[-1] == "functional"):
            return self.linear()
        if c.name == "heaviside":
            self.arity(2)
            self.no_keywords()
            return self.fn("heaviside", *c.args)
        if c.name in ("leaky_relu",):
            return self.leaky_relu()
        if c.name in ("mse_loss", "l1_loss"):
            return self.loss()
        if c.name == "gelu":
            return self.gelu()
        if c.name == "logaddexp":  # log(eᵃ + eᵇ), element-wise
            self.arity(2)
            self.no_keywords()
            a, b = c.args
            return self.fn("log", self.op(self.fn("exp", a), ast.Add(), self.fn("exp", b)))
        if c.name in ("reshape", "view", "unsqueeze"):
            return self.new_axis()
        if c.name in ("float", "double", "astype", "float64", "float32") and (
                c.library is None or c.name.startswith("float")):
            if c.library is None:  # (x > 0).float(), x.astype(float): a cast keeps the value
                self.arity(1, 2)
            else:
                self.arity(1)
            return c.args[0]
        if c.name == "where" and c.library is not None:
            return self.where()
        if c.name in ("zeros_like", "ones_like") and c.library is not None:
            self.arity(1)
            self.no_keywords("dtype")
            zero = self.op(self.number(0), ast.Mult(), c.args[0])  # x's shape, every entry 0
            return zero if c.name == "zeros_like" else self.op(zero, ast.Add(), self.number(1))
        if c.name == "solve" and c.library is not None:  # A x = b solved: A⁻¹ b (A invertible)
            self.arity(2)
            self.no_keywords()
            return self.op(self.fn("inv", c.args[0]), ast.MatMult(), c.args[1])
        return None

    def new_axis(self) -> ast.AST:
        """x.reshape(-1, 1), x.view(-1, 1), x.unsqueeze(1): x[:, None]; (1, -1), unsqueeze(0):
        x[None, :] (the parser reads these on a vector)."""
        c = self.c
        self.no_keywords()
        dims = list(c.args[1:])
        if len(dims) == 1 and isinstance(dims[0], ast.Tuple | ast.List):
            dims = list(dims[0].elts)
        shown = [self.src(d).replace(" ", "") for d in dims]
        if c.name == "unsqueeze" and shown in (["1"], ["-1"]) or shown == ["-1", "1"]:
            where = "column"
        elif c.name == "unsqueeze" and shown in (["0"], ["-2"]) or shown == ["1", "-1"]:
            where = "row"
        else:
            raise self.refuse("is read as a vector's column (reshape(-1, 1), unsqueeze(1)) or "
                              "row (reshape(1, -1), unsqueeze(0)); write x, x.T, or the matrix "
                              "itself")
        full = self.at(ast.Slice(lower=None, upper=None, step=None))
        none = self.at(ast.Constant(None))
        none.end_lineno = none.end_col_offset = None
        keys = [full, none] if where == "column" else [none, full]
        return self.at(ast.Subscript(value=c.args[0], slice=self.at(ast.Tuple(
            elts=keys, ctx=ast.Load())), ctx=ast.Load()))

    def where(self) -> ast.AST:
        """np.where(c, a, b) with c a comparison: c * a + (1 - c) * b (c is 1 or 0)."""
        c = self.c
        self.arity(3)
        self.no_keywords()
        cond, a, b = c.args
        if not isinstance(cond, ast.Compare):
            raise self.refuse("the condition is read when it is a comparison (x > 0); write "
                              "m * a + (1 - m) * b for a mask m assumed binary", cond)
        chosen = self.op(cond, ast.Mult(), a)
        other = self.op(self.op(self.number(1), ast.Sub(), cond), ast.Mult(), b)
        return self.op(chosen, ast.Add(), other)

    def loss_reduction(self, *ignored: str) -> str:
        """The loss's reduction= keyword, 'mean' (torch's default) or 'sum'; 'none' refused."""
        self.no_keywords("reduction", *ignored)
        reduction = self.c.keywords.get("reduction")
        how = reduction.value if isinstance(reduction, ast.Constant) else "mean"
        if how not in ("mean", "sum"):
            raise self.refuse("reduction is 'mean' or 'sum' here (write the element-wise "
                              "loss itself for 'none')", reduction)
        return how

    def loss(self) -> ast.AST:
        """F.mse_loss(a, b): the mean of (a - b)² (reduction='mean'), or its sum; l1: |a - b|."""
        c = self.c
        self.arity(2)
        how = self.loss_reduction()
        a, b = c.args
        diff = self.op(a, ast.Sub(), b)
        each = self.op(diff, ast.Pow(), self.number(2)) if c.name == "mse_loss" else \
            self.fn("abs", diff)
        return self.fn(how, each)

    def logistic_loss(self) -> ast.AST:
        """F.binary_cross_entropy_with_logits(z, y): the mean (or sum) of log(1 + e^z) − y z,
        which torch computes stably as max(z, 0) − y z + log(1 + e^{−|z|}), the same number
        (weight= and pos_weight= refused)."""
        c = self.c
        self.arity(2)
        how = self.loss_reduction()
        z, y = c.args
        softplus = self.fn("log", self.op(self.number(1), ast.Add(), self.fn("exp", z)))
        return self.fn(how, self.op(softplus, ast.Sub(), self.op(y, ast.Mult(), z)))

    def arithmetic(self) -> ast.AST:
        """x.mul(y), torch.add(x, y), np.divide(x, y): x * y, x + y, x / y."""
        self.arity(2)
        a, b = self.c.args
        sign = {ast.Mult: "*", ast.Add: "+", ast.Sub: "-", ast.Div: "/"}[_ARITHMETIC[self.c.name]]
        for key, value in self.c.keywords.items():
            raise self.refuse(f"the keyword {key}= is not read; write the operator with what it "
                              f"does, e.g. {self.src(a)} {sign} {self.src(b)}", value)
        return self.op(a, _ARITHMETIC[self.c.name](), b)

    def cross_entropy(self) -> ast.AST:
        """F.cross_entropy(z, y) of one sample's logits z (1-D in PyTorch): -log_softmax(z)[y]
        for a class index y, -sum(t * log_softmax(z)) for class probabilities t of z's shape
        (round 18; a batch, weight=, label_smoothing=, ignore_index= keep the refusal)."""
        c = self.c
        self.arity(2)
        self.loss_reduction()  # one sample: 'mean' and 'sum' are the same number
        z, y = c.args
        logp = self.fn("log_softmax", z)
        if self.shape_of(y) == self.shape_of(z):
            return self.at(ast.UnaryOp(op=ast.USub(), operand=self.fn(
                "sum", self.op(y, ast.Mult(), logp))))
        if not self.shape_of(y).is_scalar:
            raise self.refuse("the target is a class index or probabilities of the logits' "
                              "shape", y)
        return self.at(ast.UnaryOp(op=ast.USub(), operand=self.at(ast.Subscript(
            value=logp, slice=y, ctx=ast.Load()))))

    def linear(self) -> ast.AST:
        """F.linear(x, W, b): x Wᵀ + b as PyTorch computes it; of a vector x (1-D in PyTorch)
        the column W @ x + b, of a batch X (one sample a row) X @ W.T + b.T (b on each row)."""
        c = self.c
        self.arity(2, 3)
        self.no_keywords("bias")
        if len(c.args) == 3 and "bias" in c.keywords:
            raise self.refuse("the bias is given twice")
        x, w = c.args[:2]
        bias = c.keywords.get("bias") or (c.args[2] if len(c.args) == 3 else None)
        if self.shape_of(x).is_column:
            out, row = self.op(w, ast.MatMult(), x), False
        else:
            out, row = self.op(x, ast.MatMult(), self.T(w)), True
        if bias is None or (isinstance(bias, ast.Constant) and bias.value is None):
            return out
        if row and self.shape_of(bias).is_column:
            bias = self.T(bias)  # b of m outputs: a row added to every sample's row
        return self.op(out, ast.Add(), bias)

    def huber(self) -> ast.AST:
        """F.huber_loss(a, b, delta=d): the mean (or sum) over entries of r²/2 where |r| <= d,
        d (|r| − d/2) elsewhere (r = a − b, d = 1 by default); F.smooth_l1_loss(a, b,
        beta=β) is huber_loss / β (β = 1 by default).  Both branches agree at |r| = d, so
        torch's < and the language's <= give one function."""
        c = self.c
        huber = c.name == "huber_loss"
        self.arity(2, 3)
        how = self.loss_reduction("delta" if huber else "beta")
        width = c.keywords.get("delta" if huber else "beta") or (
            c.args[2] if len(c.args) == 3 else None)
        if width is None:
            width = self.number(1)
        elif isinstance(width, ast.Constant) and width.value == 0:
            raise self.refuse("a width of 0 is the L1 loss: write mean(abs(a - b))", width)
        r = self.op(c.args[0], ast.Sub(), c.args[1])
        size = self.fn("abs", r)
        inside = self.at(ast.Compare(left=size, ops=[ast.LtE()], comparators=[width]))
        outside = self.at(ast.Compare(left=size, ops=[ast.Gt()], comparators=[width]))
        square = self.op(self.op(r, ast.Pow(), self.number(2)), ast.Div(), self.number(2))
        linear = self.op(size, ast.Sub(), self.op(width, ast.Div(), self.number(2)))
        if huber:
            each = self.op(self.op(inside, ast.Mult(), square), ast.Add(), self.op(
                self.op(outside, ast.Mult(), width), ast.Mult(), linear))
        else:
            each = self.op(self.op(inside, ast.Mult(), self.op(square, ast.Div(), width)),
                           ast.Add(), self.op(outside, ast.Mult(), linear))
        return self.fn(how, each)

    def gelu(self) -> ast.AST:
        """PyTorch's GELU, x Φ(x) = x (1 + erf(x / √2)) / 2; approximate='tanh' its tanh form
        (the constant 0.044715 read exactly as written)."""
        c = self.c
        self.arity(1)
        self.no_keywords("approximate")
        how = c.keywords.get("approximate")
        x = c.args[0]
        half = self.op(x, ast.Div(), self.number(2))
        if how is None or isinstance(how, ast.Constant) and how.value == "none":
            inner = self.fn("erf", self.op(x, ast.Div(), self.fn("sqrt", self.number(2))))
        elif isinstance(how, ast.Constant) and how.value == "tanh":
            cubic = self.op(self.decimal("0.044715"), ast.Mult(),
                            self.op(x, ast.Pow(), self.number(3)))
            pi = self.at(ast.Name(id="pi", ctx=ast.Load()))
            pi.end_lineno = pi.end_col_offset = None  # no text of its own: "pi"
            scale = self.fn("sqrt", self.op(self.number(2), ast.Div(), pi))
            inner = self.fn("tanh", self.op(scale, ast.Mult(), self.op(x, ast.Add(), cubic)))
        else:
            raise self.refuse("approximate is 'none' or 'tanh'", how)
        return self.op(half, ast.Mult(), self.op(self.number(1), ast.Add(), inner))

    def reduction(self) -> ast.AST:
        c = self.c
        self.keep_dims()
        if c.name in ("max", "min", "amax", "amin"):
            name = c.name.lstrip("a")
            axis = self.axis()
            self.no_keywords("keepdims", "keepdim")
            if c.torch and len(c.args) == 2 and not _literal_int(axis):
                return self.fn(name, *c.args)  # torch.max(a, b) of two tensors: element-wise
            if axis is not None:
                which = "largest" if name == "max" else "smallest"
                raise self.refuse(
                    f"write {name}({self.src(c.args[0])}) for the {which} of all entries, "
                    f"{name}(a, b) for the element-wise {name}imum; here {self.src(axis)} is "
                    f"an axis (NumPy) or a second tensor (PyTorch), and the language has no "
                    f"{name}imum along an axis", axis)
            return self.fn(name, c.args[0])
        if c.name in ("var", "std"):
            return self.variance()
        axis = self.axis()
        self.no_keywords("axis", "dim", "keepdims", "keepdim")
        if len(c.args) > 2:
            raise self.refuse("takes the array and an axis")
        if c.name in ("softmax", "log_softmax") and axis is None and c.library is not None \
                and c.library.split(".")[0] in ("scipy", "special"):
            if not _is_vector(self.shape_of(c.args[0])):
                raise self.refuse("SciPy's softmax without an axis is over all entries of a "
                                  "matrix: write exp(X) / sum(exp(X)), or give axis=")
        if c.name == "logsumexp" and axis is None and c.torch:
            raise self.refuse("PyTorch's logsumexp needs dim=; the language's logsumexp(X) "
                              "is over all entries")
        return self.one_dimensional(self.fn(c.name, c.args[0], axis=axis), axis)

    def variance(self) -> ast.AST:
        """NumPy's var and std divide by n (ddof=0), the language's var too; PyTorch's by
        n − 1 (correction=1) unless told otherwise; a method is either."""
        c = self.c
        axis = self.axis()
        self.no_keywords("axis", "dim", "keepdims", "keepdim", "ddof", "correction", "unbiased")
        library = c.library.split(".")[0] if c.library else None
        ddof_kw = c.keywords.get("ddof", c.keywords.get("correction"))
        unbiased = c.keywords.get("unbiased")
        if ddof_kw is not None:
            ddof = ddof_kw.value if isinstance(ddof_kw, ast.Constant) else None
        elif unbiased is not None:
            ddof = None if not isinstance(unbiased, ast.Constant) else int(bool(unbiased.value))
        else:
            ddof = {None: None, "torch": 1, "F": 1}.get(library, 0)
        x = self.src(c.args[0])
        if ddof not in (0,):
            who = ("a method's divisor is NumPy's n (ddof=0) or PyTorch's n - 1 "
                   "(correction=1)" if library is None and ddof_kw is None and unbiased is None
                   else "this divides by n - 1 (Bessel's correction)")
            raise self.refuse(f"{who}: write var({x}) for the mean squared deviation (÷ n), "
                              f"var({x}) * n / (n - 1) with the entries' count for ÷ (n - 1)")
        v = self.fn("var", c.args[0], axis=axis)
        return self.one_dimensional(self.fn("sqrt", v) if c.name == "std" else v, axis)

    def one_dimensional(self, new: ast.AST, axis: ast.AST | None) -> ast.AST:
        """Mark a reduction along each row of a matrix without keepdims (X.mean(axis=1)): the
        language reads it as a column, NumPy and PyTorch as a 1-D array, which broadcasts
        along the last axis; the parser refuses it spread over columns (NumPy would pair
        row i's mean with column i)."""
        keep = any(k in self.c.keywords for k in ("keepdims", "keepdim"))
        text = self.src(axis).replace(" ", "") if axis is not None else ""
        if not keep and text in ("1", "-1") and not _is_vector(self.shape_of(self.c.args[0])):
            new.numpy_1d = True  # type: ignore[attr-defined]
        return new

    def matmul(self) -> ast.AST:
        """np.dot of two vectors is their inner product, of matrices the matrix product, as
        np.matmul, torch.mm, torch.mv and the methods are."""
        c = self.c
        self.arity(2)
        self.no_keywords()
        a, b = c.args
        if c.name == "dot" and all(_is_vector(self.shape_of(x)) for x in (a, b)):
            return self.fn("dot", a, b)
        if c.name == "dot" and c.torch:
            raise self.refuse("torch.dot takes two vectors; write A @ B for a matrix product")
        return self.op(a, ast.MatMult(), b)

    def transpose(self) -> ast.AST:
        c = self.c
        self.no_keywords()
        extra = [self.src(a) for a in c.args[1:]]
        if extra and sorted(extra) not in (["0", "1"], ["-1", "-2"]):
            raise self.refuse(f"a transpose of the axes {', '.join(extra)} is not in the "
                              "language (its matrices have two axes); write X.T")
        if c.name == "permute" and not extra:
            raise self.refuse("write X.T (permute(1, 0) of a matrix)")
        return self.T(c.args[0])

    def norm(self) -> ast.AST:
        """The Euclidean (Frobenius) norm, and of a vector its 1- and max-norms."""
        c = self.c
        if any(k in c.keywords for k in ("axis", "dim")) or len(c.args) > 2:
            raise self.refuse("a norm along an axis is not in the language; write "
                              "sqrt(sum(X ** 2, axis=k))")
        self.no_keywords("ord", "p", "keepdims", "keepdim")
        self.keep_dims()
        order = c.keywords.get("ord", c.keywords.get("p"))
        if len(c.args) == 2:
            if order is not None:
                raise self.refuse("the order is given twice")
            order = c.args[1]
        x = c.args[0]
        shape = self.shape_of(x)
        which = _order(order, self.src) if order is not None else "default"
        if which is None:
            raise self.refuse(f"the order {self.src(order)} is not read; of a vector write "
                              "norm(x) (2), sum(abs(x)) (1) or max(abs(x)) (inf)", order)
        if _is_vector(shape) and c.name != "matrix_norm":
            if which in ("default", "2", "fro"):
                return self.fn("norm", x)
            if which == "1":
                return self.fn("sum", self.fn("abs", x))
            if which == "inf":
                return self.fn("max", self.fn("abs", x))
        elif which in ("default", "fro") or (which == "2" and c.name == "vector_norm"):
            return self.fn("norm", x)  # a matrix's default norm is Frobenius in both
        raise self.refuse(f"the order {self.src(order) if order is not None else which} of a "
                          "matrix is an induced norm (spectral, largest column or row sum), "
                          "which the language does not have; write norm(A) for the Frobenius "
                          "norm, sum(abs(A)) for the entry-wise 1-norm", order)

    def clip(self) -> ast.AST:
        """np.clip(x, a, b), torch.clamp(x, min=a, max=b), either bound alone."""
        c = self.c
        self.no_keywords("min", "max", "a_min", "a_max")
        lo = c.keywords.get("min", c.keywords.get("a_min"))
        hi = c.keywords.get("max", c.keywords.get("a_max"))
        rest = list(c.args[1:])
        if len(rest) > 2 or (rest and (lo is not None or hi is not None)):
            raise self.refuse("write clip(x, a, b), or max(x, a) / min(x, b) for one bound")
        if rest:
            lo = rest[0]
            hi = rest[1] if len(rest) > 1 else None
        if isinstance(lo, ast.Constant) and lo.value is None:
            lo = None
        if isinstance(hi, ast.Constant) and hi.value is None:
            hi = None
        x = c.args[0]
        if lo is None and hi is None:
            raise self.refuse("no bound is given")
        out = self.fn("max", x, lo) if lo is not None else x
        return self.fn("min", out, hi) if hi is not None else out

    def power(self) -> ast.AST:
        c = self.c
        self.no_keywords()
        x = c.args[0]
        if c.name == "square":
            self.arity(1)
            return self.op(x, ast.Pow(), self.number(2))
        if c.name == "reciprocal":
            self.arity(1)
            return self.op(self.number(1), ast.Div(), x)
        if c.name == "rsqrt":
            self.arity(1)
            return self.op(self.number(1), ast.Div(), self.fn("sqrt", x))
        if c.name in ("negative", "neg"):
            self.arity(1)
            return self.at(ast.UnaryOp(op=ast.USub(), operand=x))
        self.arity(2)
        return self.op(x, ast.Pow(), c.args[1])

    def leaky_relu(self) -> ast.AST:
        c = self.c
        self.no_keywords("negative_slope")
        slope = c.keywords.get("negative_slope")
        if len(c.args) == 2 and slope is None:
            slope = c.args[1]
        elif len(c.args) != 1:
            raise self.refuse("write leaky_relu(x, a)")
        if slope is None:  # PyTorch's default slope, 0.01 (read exactly: 1/100)
            slope = self.at(ast.Constant(0.01))
            slope.end_lineno = slope.end_col_offset = None
        return self.fn("leaky_relu", c.args[0], slope)

    def constant_matrix(self) -> ast.AST:
        """np.eye(n), np.ones(n), np.zeros((n, m)), torch.ones(n, m)."""
        c = self.c
        self.no_keywords("dtype")
        dims = list(c.args)
        if len(dims) == 1 and isinstance(dims[0], ast.Tuple | ast.List):
            dims = list(dims[0].elts)
        if c.name in ("eye", "identity") and len(dims) != 1:
            raise self.refuse("write eye(n) for the n×n identity")
        if not 1 <= len(dims) <= 2:
            raise self.refuse(f"write {c.name}(n) or {c.name}(n, m)")
        return self.fn("eye" if c.name == "identity" else c.name, *dims)

    def elu(self) -> ast.AST:
        """F.elu(x, alpha=a): x above 0, a (exp(x) - 1) at and below it (a = 1: elu(x))."""
        c = self.c
        self.no_keywords("alpha", "inplace")
        alpha = c.keywords.get("alpha")
        if len(c.args) == 2 and alpha is None:
            alpha = c.args[1]
        elif len(c.args) != 1:
            raise self.refuse("write F.elu(x) or F.elu(x, alpha=a)")
        x = c.args[0]
        if alpha is None:
            return self.fn("elu", x)
        zero = self.number(0)
        above = self.at(ast.Compare(left=x, ops=[ast.Gt()], comparators=[zero]))
        below = self.at(ast.Compare(left=x, ops=[ast.LtE()], comparators=[self.number(0)]))
        tail = self.op(self.fn("exp", x), ast.Sub(), self.number(1))
        return self.op(self.op(above, ast.Mult(), x), ast.Add(),
                       self.op(self.op(below, ast.Mult(), alpha), ast.Mult(), tail))

    # --- einsum ---

    def einsum(self) -> ast.AST:
        c = self.c
        self.no_keywords()
        if not c.args or not (isinstance(c.args[0], ast.Constant)
                              and isinstance(c.args[0].value, str)):
            raise self.refuse("the subscripts are a string first: np.einsum('ij,j->i', A, x)")
        spec, operands = c.args[0].value.replace(" ", ""), c.args[1:]
        m = re.fullmatch(r"([a-zA-Z,]+)(?:->([a-zA-Z]*))?", spec)
        if not m:
            raise self.refuse(f"the subscripts '{spec}' are not read (letters, commas and "
                              "->; no ...)", c.args[0])
        inputs = m.group(1).split(",")
        if len(inputs) != len(operands):
            raise self.refuse(f"'{spec}' names {len(inputs)} operand(s), "
                              f"{len(operands)} given")
        letters = "".join(inputs)
        output = m.group(2) if m.group(2) is not None else "".join(
            sorted(ch for ch in set(letters) if letters.count(ch) == 1))
        for term, x in zip(inputs, operands, strict=True):
            rank = 1 if _is_vector(self.shape_of(x)) else 2
            if len(term) != rank:
                raise self.refuse(f"'{term}' has {len(term)} subscript(s) for "
                                  f"{self.src(x)}, which has {rank} axis/axes", x)
        order: dict[str, str] = {}
        for ch in letters + output:
            order.setdefault(ch, "abcdefgh"[len(order)] if len(order) < 8 else "?")
        canon = ",".join("".join(order[ch] for ch in t) for t in inputs) + "->" + \
            "".join(order[ch] for ch in output)
        build = _EINSUM.get(canon)
        if build is None:
            raise self.refuse(f"the contraction '{spec}' is not read; write it with sum(e, "
                              "i) over declared indices (sum(A[i, j] * x[j], j)) or with @, "
                              ".T, trace, diag", c.args[0])
        return build(self, *operands)


def _is_vector(shape: Shape) -> bool:
    """A column (or a row): NumPy's 1-D array as the language declares it."""
    return shape.is_matrix and (shape.cols == ONE or shape.rows == ONE) \
        and not shape.is_one_by_one


def _literal_int(node: ast.AST | None) -> bool:
    """An integer written as such (an axis), -1 included."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) is int


def _order(order: ast.AST, src: Callable[[ast.AST], str]) -> str | None:
    """'default', '2', '1', 'inf' or 'fro' for an order written as NumPy and PyTorch take it."""
    text = src(order).replace(" ", "").strip("'\"")
    if text == "None":
        return "default"
    if text in ("2", "2.0"):
        return "2"
    if text in ("1", "1.0"):
        return "1"
    if text in ("np.inf", "inf", "float('inf')", 'float("inf")', "math.inf", "torch.inf",
                "numpy.inf"):
        return "inf"
    if text in ("fro",):
        return "fro"
    return None


def _dot(r: _Reader, a: ast.AST, b: ast.AST) -> ast.AST:
    return r.fn("dot", a, b)


# contractions by their canonical subscripts (letters renamed in order of first appearance)
_EINSUM: dict[str, Callable[..., ast.AST]] = {
    "a,a->": _dot,
    "a,a->a": lambda r, a, b: r.op(a, ast.Mult(), b),
    "a,b->ab": lambda r, a, b: r.fn("outer", a, b),
    "a->": lambda r, a: r.fn("sum", a),
    "a->a": lambda r, a: a,
    "ab->": lambda r, a: r.fn("sum", a),
    "ab->ab": lambda r, a: a,
    "ab->ba": lambda r, a: r.T(a),
    "ab->a": lambda r, a: r.fn("sum", a, axis=r.number(1)),
    "ab->b": lambda r, a: r.fn("sum", a, axis=r.number(0)),
    "aa->": lambda r, a: r.fn("trace", a),
    "aa->a": lambda r, a: r.fn("diag", a),
    "ab,b->a": lambda r, a, x: r.op(a, ast.MatMult(), x),
    "ab,a->b": lambda r, a, x: r.op(r.T(a), ast.MatMult(), x),
    "a,ab->b": lambda r, x, a: r.op(r.T(a), ast.MatMult(), x),
    "a,ba->b": lambda r, x, a: r.op(a, ast.MatMult(), x),
    "ab,bc->ac": lambda r, a, b: r.op(a, ast.MatMult(), b),
    "ab,cb->ac": lambda r, a, b: r.op(a, ast.MatMult(), r.T(b)),
    "ab,ac->bc": lambda r, a, b: r.op(r.T(a), ast.MatMult(), b),
    "ab,ca->cb": lambda r, a, b: r.op(b, ast.MatMult(), a),
    "ab,bc->ca": lambda r, a, b: r.T(r.op(a, ast.MatMult(), b)),
    "ab,ab->": lambda r, a, b: r.fn("sum", r.op(a, ast.Mult(), b)),
    "ab,ab->ab": lambda r, a, b: r.op(a, ast.Mult(), b),
    "ab,ba->": lambda r, a, b: r.fn("trace", r.op(a, ast.MatMult(), b)),
    "a,ab,b->": lambda r, x, a, y: r.op(r.op(r.T(x), ast.MatMult(), a), ast.MatMult(), y),
    "ab,bc,ca->": lambda r, a, b, c: r.fn("trace", r.op(r.op(a, ast.MatMult(), b),
                                                         ast.MatMult(), c)),
}
