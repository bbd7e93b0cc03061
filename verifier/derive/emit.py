"""``derive --emit numpy``: a NumPy module computing a derived result, with its own test.

The module holds the expression (``f``), its derivative (``grad_f``, ``jacobian_f`` or
``hessian_f``), each a plain vectorised function whose docstring states the formula, and a
pytest test comparing the derivative with central finite differences of ``f`` at random
inputs that satisfy the assumptions.  Vectors are columns (n, 1); a 1-D array is read as
one.  The module imports NumPy only.
"""

from __future__ import annotations

import keyword
from collections.abc import Iterator, Sequence
from dataclasses import fields

from verifier.derive.expr import (
    Add,
    Dim,
    E,
    Eye,
    Fn,
    Inv,
    MatMul,
    Mul,
    NoClosedForm,
    Ones,
    T,
    Zero,
    leaves,
)
from verifier.derive.printing import NUMPY_FUNCS, to_numpy, to_unicode

__all__ = ["numpy_module"]

HELPERS = {
    "_sigmoid": '''
def _sigmoid(z):
    """σ(z) = 1/(1 + e^(−z)), without overflow: e^(−|z|) is at most 1."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
''',
    "_softmax": '''
def _softmax(z, axis=None):
    """softmax down a column (axis 0), along each row of a matrix (axis 1) by default."""
    if axis is None:
        axis = 0 if z.shape[1] == 1 else 1
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)
''',
    "_log_softmax": '''
def _log_softmax(z, axis=None):
    """log softmax(z), as z − logsumexp(z) along the same axis as _softmax."""
    if axis is None:
        axis = 0 if z.shape[1] == 1 else 1
    m = np.max(z, axis=axis, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))
''',
    "_logsumexp": '''
def _logsumexp(z, axis=None):
    """log Σ exp(z) over every entry (of each column: axis 0, of each row: axis 1), shifted
    by the largest entry."""
    if axis is None:
        m = np.max(z)
        return m + np.log(np.sum(np.exp(z - m)))
    m = np.max(z, axis=axis, keepdims=True)
    return m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))
''',
    "_erf": '''
def _erf(z):
    """The error function entry by entry (math.erf: NumPy has none)."""
    return np.vectorize(math.erf, otypes=[np.float64])(z)
''',
    "_erfc": '''
def _erfc(z):
    """1 − erf(z) entry by entry, without its cancellation past |z| ≈ 6 (math.erfc)."""
    return np.vectorize(math.erfc, otypes=[np.float64])(z)
''',
    "_relu": '''
def _relu(z):
    return np.maximum(z, 0)
''',
    "_step": '''
def _step(z):
    """1 where z > 0, 0 elsewhere (the derivative of relu away from 0)."""
    return np.asarray(z > 0, dtype=np.result_type(z, np.float64))
''',
    "_indicator": '''
def _indicator(holds):
    return np.asarray(holds, dtype=np.float64)
''',
    "_diag": '''
def _diag(v):
    """A column to its diagonal matrix; a square matrix to the column of its diagonal."""
    return np.diagflat(v) if v.shape[1] == 1 else np.diag(v).reshape(-1, 1)
''',
    "_onehot": '''
def _onehot(y, classes):
    out = np.zeros((classes, 1))
    out[int(y), 0] = 1
    return out
''',
}


def _column(name: str) -> str:
    return f"    {name} = np.asarray({name}, dtype=np.float64).reshape(-1, 1)\n"


def _dims_needed(*exprs: E) -> list[str]:
    names: dict[str, None] = {}
    for e in exprs:
        for n in leaves(e):
            if isinstance(n, Dim):
                names.setdefault(n.name)
            if isinstance(n, Eye | Ones | Zero) and not n.shape.is_scalar:
                for size in (n.shape.rows, n.shape.cols):
                    for t in getattr(size, "terms", (size,)):
                        for x in t.names:
                            names.setdefault(x)
    return list(names)


def _prologue(decls, dims: list[str]) -> str:
    out = ""
    for d in decls:
        if d.kind == "vector":
            out += _column(d.name)
        elif d.kind == "matrix":
            out += f"    {d.name} = np.asarray({d.name}, dtype=np.float64)\n"
    for dim in dims:
        owner = next(((d, k) for d in decls if d.kind in ("vector", "matrix")
                      for k, x in enumerate(d.dims) if x == dim), None)
        if owner is None:
            raise ValueError(f"dimension {dim} belongs to no symbol")
        d, k = owner
        out += f"    {dim} = {d.name}.shape[{k}]\n"
    return out


def _helpers(code: str) -> str:
    used = [h for h in HELPERS if h + "(" in code]
    if "_softmax(" in code or "_log_softmax(" in code:
        used = list(dict.fromkeys(used))
    return "".join(HELPERS[h] for h in used)


def _sampler(decls, assume: Sequence[str], positive: set[str], sizes: dict[str, int]) -> str:
    """The body of ``_inputs(rng)``: one value per symbol, satisfying the assumptions."""
    from verifier.claim import parse_assumption

    props: dict[str, list] = {}
    for text in assume:
        a = parse_assumption(text)
        if not a.compound:
            props.setdefault(a.names[0], []).append(a)
    lines = []
    for d in decls:
        mine = {a.kind: a for a in props.get(d.name, [])}
        shape = tuple(sizes[x] if isinstance(x, str) else x for x in d.dims)
        if d.kind == "scalar":
            if "interval" in mine:
                lo, hi, _, _ = mine["interval"].interval
                value = f"rng.uniform({lo!r}, {hi!r})"
            elif "negative" in mine:
                value = "-rng.uniform(0.5, 2.0)"
            elif {"positive", "nonnegative", "nonzero"} & set(mine) or d.name in positive:
                value = "rng.uniform(0.5, 2.0)"
            else:
                value = "scale * rng.uniform(-2.0, 2.0)"
        elif d.kind == "integer":
            value = "int(rng.integers(1, 6))"
        elif d.kind == "index":
            value = f"int(rng.integers(0, {shape[0]}))"
        elif d.kind == "vector":
            n = shape[0]
            if "sums to 1" in mine:
                value = f"_normalised(rng.uniform(0.1, 1.0, ({n}, 1)))"
            elif "binary" in mine:
                value = f"rng.integers(0, 2, ({n}, 1)).astype(np.float64)"
            elif d.name in positive:
                value = f"rng.uniform(0.5, 2.0, ({n}, 1))"
            else:
                value = f"scale * rng.standard_normal(({n}, 1))"
        else:
            r, c = shape
            if "orthogonal" in mine:
                value = f"np.linalg.qr(rng.standard_normal(({r}, {c})))[0]"
            elif "positive definite" in mine:
                value = f"_definite(rng.standard_normal(({r}, {c})))"
            elif "symmetric" in mine:
                value = f"_symmetric(rng.standard_normal(({r}, {c})))"
            elif "diagonal" in mine:
                value = f"np.diag(rng.uniform(0.5, 2.0, {r}))"
            elif "one-hot" in mine:
                value = f"np.eye({c})[rng.integers(0, {c}, {r})]"
            elif r == c:  # well conditioned, det > 0: any inverse or log det exists
                value = f"scale * rng.standard_normal(({r}, {c})) / {r} + np.eye({r})"
            elif d.name in positive:
                value = f"rng.uniform(0.5, 2.0, ({r}, {c}))"
            else:
                value = f"scale * rng.standard_normal(({r}, {c}))"
        lines.append(f"        {d.name!r}: {value},")
    return "\n".join(lines)


SAMPLING_HELPERS = {
    "_normalised": '''
def _normalised(p):
    return p / np.sum(p)
''',
    "_symmetric": '''
def _symmetric(b):
    return (b + b.T) / 2
''',
    "_definite": '''
def _definite(b):
    return b @ b.T + b.shape[0] * np.eye(b.shape[0])
''',
}


def _positive_symbols(expr: E) -> set[str]:
    """Symbols that appear directly under log, sqrt or a fractional power: drawn positive."""
    from verifier.derive.expr import Pow, Sym

    out = set()
    for n in leaves(expr):
        arg = None
        if isinstance(n, Fn) and n.name in ("log", "sqrt"):
            arg = n.args[0]
        elif isinstance(n, Pow) and hasattr(n.exp, "value") and n.exp.value.denominator != 1:
            arg = n.base
        if arg is not None:
            out |= {m.name for term in _added(arg) if not _negated(term)
                    for m in leaves(term) if isinstance(m, Sym)}
    return out


def _added(e: E) -> tuple[E, ...]:
    return e.terms if isinstance(e, Add) else (e,)


def _negated(term: E) -> bool:
    """A term subtracted under log or sqrt (−Ax in log(b − Ax)): its symbols drawn positive
    would put the argument below 0 at every draw, so they are drawn as free symbols."""
    from verifier.derive.expr import Num

    return isinstance(term, Mul) and any(isinstance(f, Num) and f.value < 0
                                         for f in term.factors)


def _sizes(decls) -> dict[str, int]:
    """Distinct small sizes for distinct dimensions (3, 4, 2, 5, …), as a reader checks."""
    order = [3, 4, 2, 5, 6, 7]
    out: dict[str, int] = {}
    for d in decls:
        for x in d.dims:
            if isinstance(x, str) and x not in out:
                out[x] = order[len(out) % len(order)]
    return out


def _nodes(e: E) -> Iterator[E]:
    yield e
    for f in fields(e):
        value = getattr(e, f.name)
        for v in value if isinstance(value, tuple) else (value,):
            if isinstance(v, E):
                yield from _nodes(v)


def _dim_name(size) -> str | None:
    names = getattr(size, "names", None)
    return names[0] if names is not None and len(names) == 1 and size.coef == 1 else None


def _rank_bounds(arg: E) -> list[tuple[str, str]]:
    """(inner, outer) dimension pairs a square ``arg`` of inv or det needs inner ≥ outer for,
    to be invertible at a sample: each product term's inner dimensions bound its rank (XᵀX
    with X n×m is singular where n < m); none where a term is not a product (λI + XᵀX)."""
    outer = _dim_name(arg.shape.rows)
    terms = arg.terms if isinstance(arg, Add) else (arg,)
    words = []
    for term in terms:
        while isinstance(term, T):
            term = term.arg
        if isinstance(term, Mul):  # c · (a product): the product's rank
            mats = [f for f in term.factors if not f.shape.is_scalar]
            term = mats[0] if len(mats) == 1 else term
        if not isinstance(term, MatMul):
            return []
        words.append(term)
    inner = [_dim_name(f.shape.cols) for w in words for f in w.factors[:-1]]
    return [(i, outer) for i in inner if i is not None and outer is not None and i != outer]


def _invertible(sizes: dict[str, int], *exprs: E | None) -> dict[str, int]:
    """``sizes`` with values swapped until each inv or det argument's products pass through
    dimensions no smaller than its own (unchanged where no swap satisfies them all)."""
    bounds = {b for e in exprs if e is not None for node in _nodes(e)
              if isinstance(node, Inv) or (isinstance(node, Fn) and node.name == "det")
              for b in _rank_bounds(node.arg if isinstance(node, Inv) else node.args[0])}
    bounds = {(i, o) for i, o in bounds if i in sizes and o in sizes}
    out = dict(sizes)
    for _ in range(2 * len(bounds) + 1):
        low = next(((i, o) for i, o in sorted(bounds) if out[i] < out[o]), None)
        if low is None:
            return out
        out[low[0]], out[low[1]] = out[low[1]], out[low[0]]
    return sizes


def numpy_module(d, evidence: str = "", name: str = "f", seed: int = 0) -> str:
    """The module's text (see the module docstring); ``d`` a closed-form ``Derived``."""
    from verifier.claimfile import declare_symbols
    from verifier.derive import rules, vecrules
    from verifier.derive.readable import means
    from verifier.derive.rules import from_tree

    if d.form != "closed" or d.ir is None:
        raise ValueError("only a closed-form result can be emitted as NumPy")
    if not name.isidentifier() or keyword.iskeyword(name):
        raise ValueError(f"--name {name!r} is not a Python name")
    decls = declare_symbols(d.symbols, "derive")
    if any(x.name in ("np", "rng") for x in decls):
        raise ValueError("a symbol named np or rng would hide the module's own names")
    try:
        # as derive read it: a grad or jacobian inside f is derived in the claim's layout,
        # and vec / kron are rewritten away
        with vecrules.rewriting(), rules.layout(d.layout):
            f_ir = from_tree(d.tree)
        f_code = to_numpy(f_ir)
        f_dims = _dims_needed(f_ir)
    except NoClosedForm:  # written with indices: f as Python sums over them
        f_ir = None
        f_code, f_dims = _indexed_numpy(d.tree)
    g_code = to_numpy(d.ir)
    params = ", ".join(x.name for x in decls)
    kind = {"gradient": "grad", "jacobian": "jacobian", "hessian": "hessian",
            "derivative": "d", "second derivative": "d2"}[d.kind]
    g_name = f"{kind}_{name}"
    pre_f = _prologue(decls, f_dims)
    pre_g = _prologue(decls, _dims_needed(d.ir))
    f_value = f"_scalar({f_code})" if d.kind in ("gradient", "hessian") else f_code
    f_text = to_unicode(means(f_ir)) if f_ir is not None else d.expression
    symbols = ", ".join(f"{x.name}: {x.spec()}" for x in decls)
    layout = "" if d.kind in ("hessian", "derivative", "second derivative") else \
        f", {d.layout} layout"
    what = {"gradient": f"∂{name}/∂{d.wrt}", "jacobian": f"∂{name}/∂{d.wrt}",
            "hessian": f"∇²{name} by {d.wrt}", "derivative": f"d{name}/d{d.wrt}",
            "second derivative": f"d²{name}/d{d.wrt}²"}[d.kind]
    checked = f" ({evidence})" if evidence else ""
    sizes = _invertible(_sizes(decls), f_ir, d.ir)
    positive = _positive_symbols(f_ir) if f_ir is not None else _positive_in_tree(d.tree)
    sampler = _sampler(decls, d.assume, positive, sizes)
    body = f'''"""Generated by ``derivcheck derive``: {name} and its {d.kind}, with a test.

    {name}({params}) = {f_text}
    {what} = {d.unicode}{layout}{checked}

symbols: {symbols}{"; assuming " + ", ".join(d.assume) if d.assume else ""}
Vectors are columns (n, 1); a 1-D array is read as one.
"""
{"import math" + chr(10) if "_erf(" in f_code + g_code or "_erfc(" in f_code + g_code else ""}
import numpy as np


def _scalar(value):
    """A scalar or a 1×1 array as a float."""
    return float(np.asarray(value).reshape(()))
{_helpers(f_code + g_code)}

def {name}({params}):
    """{name} = {f_text}    ({d.expression})"""
{pre_f}    return {f_value}


def {g_name}({params}):
    """{what} = {d.unicode}{layout}

    In the claim language: {d.text}{checked}
    """
{pre_g}    return {g_code}


# ----- test: the {d.kind} against central finite differences of {name} -----
{"".join(h for k, h in SAMPLING_HELPERS.items() if k + "(" in sampler)}

def _inputs(rng, scale=1.0):
    """Values satisfying the assumptions; the unconstrained ones times ``scale``."""
    return {{
{sampler}
    }}


{_test(d, name, g_name, seed)}'''
    return body


def _test(d, name: str, g_name: str, seed: int) -> str:
    wrt = d.wrt
    if d.kind == "hessian":
        # the four-point stencil at h and h/2, extrapolated (Richardson): its error is O(h⁴),
        # not O(h²), so a steep f (log(b − Ax) with b − Ax near 0.01) still meets the tolerance
        numeric = f'''    def second(i, j, h):
        def at(si, sj):
            moved = {{**args, {wrt!r}: x.copy()}}
            moved[{wrt!r}].flat[i] += si * h
            moved[{wrt!r}].flat[j] += sj * h
            return {name}(**moved)
        return (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * h)

    def stencil(h):
        return np.array([[second(i, j, h) for j in range(x.size)] for i in range(x.size)])

    numeric = (4 * stencil(h / 2) - stencil(h)) / 3'''
        step, tol = "1e-4", "1e-4"
    elif d.kind == "jacobian":
        numeric = f'''    columns = []
    for k in range(x.size):
        up = {{**args, {wrt!r}: x.copy()}}
        down = {{**args, {wrt!r}: x.copy()}}
        up[{wrt!r}].flat[k] += h
        down[{wrt!r}].flat[k] -= h
        columns.append((np.asarray({name}(**up)) - np.asarray({name}(**down))).reshape(-1)
                       / (2 * h))
    numeric = np.array(columns).T  # rows: outputs, columns: inputs (numerator layout)'''
        if d.layout == "denominator":
            numeric += "\n    numeric = numeric.T"
        step, tol = "1e-6", "1e-5"
    elif d.kind == "derivative":  # a matrix by a scalar: entry by entry, the matrix's shape
        numeric = f'''    up = {{**args, {wrt!r}: x + h}}
    down = {{**args, {wrt!r}: x - h}}
    numeric = (np.asarray({name}(**up)) - np.asarray({name}(**down))) / (2 * h)'''
        step, tol = "1e-6", "1e-5"
    elif d.kind == "second derivative":  # the matrix's second difference
        numeric = f'''    up = {{**args, {wrt!r}: x + h}}
    down = {{**args, {wrt!r}: x - h}}
    numeric = (np.asarray({name}(**up)) - 2 * np.asarray({name}(**args))
               + np.asarray({name}(**down))) / (h * h)'''
        step, tol = "1e-4", "1e-4"
    else:
        numeric = f'''    numeric = np.zeros_like(x)
    for k in range(x.size):
        up = {{**args, {wrt!r}: x.copy()}}
        down = {{**args, {wrt!r}: x.copy()}}
        up[{wrt!r}].flat[k] += h
        down[{wrt!r}].flat[k] -= h
        numeric.flat[k] = ({name}(**up) - {name}(**down)) / (2 * h)'''
        if d.layout == "numerator":
            numeric += "\n    numeric = numeric.T"
        step, tol = "1e-6", "1e-5"
    return f'''def _defined_around(args, x, h):
    """{name} finite at the inputs and with {wrt} moved by ±2h along each axis: the corners of
    the ball (in the sum of distances) that holds every point of the stencil."""
    with np.errstate(all="ignore"):  # a draw outside the domain is rejected, not warned of
        if not np.isfinite({name}(**args)).all():
            return False
        for k in range(x.size):
            for step in (2 * h, -2 * h):
                moved = x.copy()
                moved.flat[k] += step
                if not np.isfinite({name}(**{{**args, {wrt!r}: moved}})).all():
                    return False
    return True


def test_{g_name}_matches_central_differences():
    rng = np.random.default_rng({seed})
    for attempt in range(20):  # inputs where {name} is defined, the free ones shrunk by turns
        args = _inputs(rng, 0.5 ** (attempt // 2))
        x = np.array(args[{wrt!r}], dtype=np.float64)
        x = x.reshape(-1, 1) if x.ndim == 1 else x
        args[{wrt!r}] = x
        h = {step} * max(1.0, float(np.max(np.abs(x))))
        if _defined_around(args, x, h):
            break
{numeric}
    analytic = np.asarray({g_name}(**args), dtype=np.float64).reshape(numeric.shape)
    scale = max(1.0, float(np.max(np.abs(numeric))))
    assert np.allclose(analytic, numeric, rtol={tol}, atol={tol} * scale), (analytic, numeric)
'''


# ----- f written with indices (x[i], sum(e, i)): plain Python sums over NumPy entries -----


def _indexed_numpy(tree) -> tuple[str, list[str]]:
    """NumPy source of a language tree written with indices, and the dimensions it names:
    ``sum(e, i)`` is ``sum(e for i in range(n))``, ``x[i]`` is ``x[i, 0]``; a sub-tree
    without indices is printed from its matrix expression."""
    from verifier.derive.rules import from_tree

    dims: dict[str, None] = {}

    def extent(sym) -> str:
        ext = sym.extent
        if isinstance(ext, str):
            dims.setdefault(ext)
            return ext
        return str(ext)

    def plain(node) -> str | None:
        from verifier.language.tree import walk

        if any(type(n).__name__ == "Subscript"
               or (type(n).__name__ == "Symbol" and n.kind == "index") for n in walk(node)):
            return None
        try:
            e = from_tree(node)
            code = to_numpy(e)
        except (NoClosedForm, ValueError):
            return None
        for x in _dims_needed(e):
            dims.setdefault(x)
        return f"({code})"

    def key(k) -> str:
        if type(k).__name__ == "Number":
            return str(int(k.value))
        return text(k)

    def text(node) -> str:
        kind = type(node).__name__
        if kind == "Symbol" and node.kind == "index":
            return node.name
        if kind != "Subscript":
            code = plain(node)
            if code is not None:
                return code
        if kind == "Number":
            v = node.value
            return f"({v.numerator} / {v.denominator})" if v.denominator != 1 else \
                str(v.numerator)
        if kind == "Symbol":
            return node.name
        if kind == "DimValue":
            dims.setdefault(node.name)
            return node.name
        if kind == "Constant":
            return "np.pi"
        if kind == "Unary":
            return f"({node.op}{text(node.arg)})"
        if kind == "Transpose":
            return text(node.arg) if node.shape.is_scalar else f"{text(node.arg)}.T"
        if kind == "ToScalar":
            return f"_scalar({text(node.arg)})"
        if kind == "Binary":
            return f"({text(node.left)} {node.op} {text(node.right)})"
        if kind == "Compare":
            return f"_indicator({text(node.left)} {node.op} {text(node.right)})"
        if kind == "Subscript":
            row, col = node.keys
            a = text(node.arg)
            if row is not None and col is not None:
                return f"{a}[{key(row)}, {key(col)}]"
            if row is not None:
                return f"{a}[{key(row)}:{key(row)} + 1, :]"
            return f"{a}[:, {key(col)}:{key(col)} + 1]"
        if kind == "Call" and node.fn in ("sum", "mean", "prod") and len(node.args) == 2:
            body, index = node.args
            loop = f"{text(body)} for {index.name} in range({extent(index)})"
            if node.fn == "prod":
                return f"np.prod([{loop}], axis=0)"
            total = f"sum({loop})"
            return total if node.fn == "sum" else f"({total} / {extent(index)})"
        if kind == "Call" and node.fn == "onehot":
            return f"_onehot({text(node.args[0])}, {text(node.args[1])})"
        if kind == "Call" and node.fn in NUMPY_FUNCS and node.axis is None:
            return f"{NUMPY_FUNCS[node.fn]}({', '.join(text(a) for a in node.args)})"
        raise ValueError(f"f has no NumPy spelling here ({node.fn if kind == 'Call' else kind}"
                         " written with indices)")

    return text(tree), list(dims)


def _positive_in_tree(tree) -> set[str]:
    """Symbols directly under log or sqrt in a language tree: drawn positive."""
    from verifier.language.tree import walk

    out = set()
    for n in walk(tree):
        if type(n).__name__ == "Call" and n.fn in ("log", "sqrt"):
            out |= {m.name for m in walk(n.args[0]) if type(m).__name__ == "Symbol"
                    and m.kind != "index"}
    return out
