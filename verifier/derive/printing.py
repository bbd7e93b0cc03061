"""Matrix expressions as text: the claim language, Unicode, LaTeX and NumPy.

One precedence walk per target.  The claim-language text compiles back (``derive`` states
its result as ``grad(EXPR, X) = RESULT`` in it); the Unicode and LaTeX forms are what a
textbook prints (2Xᵀ(Xθ − y), (A + Aᵀ)x, −X⁻ᵀAᵀX⁻ᵀ); the NumPy form computes it with
vectors as columns.
"""

from __future__ import annotations

import re
from fractions import Fraction

from verifier.derive.expr import (
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
    is_scalar,
)
from verifier.language.shapes import ONE

__all__ = ["NUMPY_FUNCS", "Unprintable", "glyph", "latex_glyph", "to_language", "to_latex",
           "to_numpy", "to_unicode"]


class Unprintable(ValueError):
    """The expression needs something the target cannot write (e.g. a size n·m)."""


ADD, HAD, MUL, NEG, POW, POST, ATOM = 1, 2, 3, 3, 5, 6, 7

GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eps": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lam": "λ",
    "lambda": "λ", "lmbda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "rho": "ρ", "tau": "τ",
    "phi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ",
    "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ",
    "Omega": "Ω",
}
LATEX_GREEK = {k: "\\" + ("lambda" if k in ("lam", "lmbda") else "epsilon" if k == "eps"
                          else k) for k in GREEK}
SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_NAME = re.compile(r"^([A-Za-z]+?)_?(\d*)$")


def _split_name(name: str) -> tuple[str, str]:
    m = _NAME.match(name)
    return (m.group(1), m.group(2)) if m else (name, "")


def glyph(name: str) -> str:
    """A symbol's name in Unicode: theta → θ, W1 → W₁."""
    base, digits = _split_name(name)
    return GREEK.get(base, base) + digits.translate(SUB)


def _latex_name(name: str) -> str:
    base, digits = _split_name(name)
    if base in LATEX_GREEK:
        head = LATEX_GREEK[base]
    elif len(base) > 1:
        head = f"\\mathit{{{base}}}"
    else:
        head = base
    return head + (f"_{{{digits}}}" if digits else "")


def latex_glyph(name: str) -> str:
    """A symbol's name in LaTeX, as its results print it: tau → \\tau, zw → \\mathit{zw}."""
    return _latex_name(name)


def _negative(e: E) -> bool:
    if isinstance(e, Num):
        return e.value < 0
    return isinstance(e, Mul) and isinstance(e.factors[0], Num) and e.factors[0].value < 0


def _negated(e: E) -> E:
    if isinstance(e, Num):
        return Num(e.shape, value=-e.value)
    assert isinstance(e, Mul)
    c = -e.factors[0].value
    rest = e.factors[1:]
    if c == 1:
        return rest[0] if len(rest) == 1 else Mul(e.shape, factors=rest)
    return Mul(e.shape, factors=(Num(e.factors[0].shape, value=c), *rest))


def _split_powers(factors) -> tuple[Fraction, list[E], list[E]]:
    """A product's numeric coefficient, its numerator factors and its denominator factors
    (a factor x⁻ᵏ goes to the denominator as xᵏ)."""
    coef = Fraction(1)
    num, den = [], []
    for f in factors:
        if isinstance(f, Num):
            coef *= f.value
        elif isinstance(f, Pow) and isinstance(f.exp, Num) and f.exp.value < 0:
            k = -f.exp.value
            den.append(f.base if k == 1 else Pow(f.shape, base=f.base,
                                                 exp=Num(f.exp.shape, value=k)))
        else:
            num.append(f)
    return coef, num, den


def _softplus_of(e: E) -> E | None:
    """z where ``e`` is log(1 + eᶻ): printed softplus(z) (mish's tanh(softplus(x)), not
    tanh(log(exp(x) + 1))), and emitted as np.logaddexp(0, z), finite where eᶻ overflows."""
    from verifier.derive.rules import softplus_argument

    if isinstance(e, Fn) and e.name == "log" and len(e.args) == 1:
        return softplus_argument(e.args[0])
    return None


# a mean or variance along an axis (verifier/derive/axes.py) and its axis= in the language
_AXIS_STATISTICS = {"mean_rows": 1, "var_rows": 1, "mean_cols": 0, "var_cols": 0}


def _broadcast(e: Add | Had) -> Add | Had:
    """An element-wise sum or product with each spread statistic (mean(X, axis=1) @ ones(d).T)
    written as the statistic the language broadcasts (mean(X, axis=1)), where another operand
    has the full shape; else ``e``."""
    from verifier.derive.axes import broadcast_core

    parts = e.terms if isinstance(e, Add) else e.factors
    cores = [broadcast_core(f) for f in parts]
    if all(c is None for c in cores) or all(c is not None for c in cores):
        return e
    kept = tuple(f if c is None else c for f, c in zip(parts, cores, strict=True))
    return Add(e.shape, terms=kept) if isinstance(e, Add) else Had(e.shape, factors=kept)


class _Printer:
    """The shared walk; each target fills in the spelling."""

    def text(self, e: E) -> str:
        return self.p(e)[0]

    def wrap(self, e: E, need: int) -> str:
        s, prec = self.p(e)
        return s if prec >= need else self.paren(s)

    def paren(self, s: str) -> str:
        return f"({s})"

    def p(self, e: E) -> tuple[str, int]:
        # one text per node object within a call: a derivative shares its sub-trees (tanh of
        # tanh ... six deep, by the bias of every layer), and printed afresh at each use they
        # took 48 s of cost()'s to_unicode; keyed by identity (hashing a deep tree is O(size))
        memo = self.__dict__.setdefault("_memo", {})
        hit = memo.get(id(e))
        if hit is not None and hit[0] is e:
            return hit[1]
        out = getattr(self, "p_" + type(e).__name__)(e)
        memo[id(e)] = (e, out)
        return out

    def p_Add(self, e: Add) -> tuple[str, int]:  # noqa: N802
        terms = list(e.terms)
        first = next((k for k, t in enumerate(terms) if not _negative(t)), 0)
        terms.insert(0, terms.pop(first))  # 1 − y, not −y + 1 (a sum reads from a plus)
        out = self.wrap(terms[0], ADD)
        for t in terms[1:]:
            if _negative(t):
                out += self.minus + self.wrap(_negated(t), ADD + 1)
            else:
                out += " + " + self.wrap(t, ADD + 1)
        return out, ADD

    minus = " - "


# ----- the claim language -----


def _size_text(size) -> str:
    if size is None:
        return "1"
    if hasattr(size, "terms") or (size.names and size.coef != 1) or len(size.names) > 1:
        raise Unprintable(f"the size {size} has no name in the language")
    return size.names[0] if size.names else str(size.coef)


def _language_scalar(f: E) -> bool:
    """A 1×1 factor that the claim language reads as a scalar: anything but a product with
    @ (uᵀv, an entry excepted) or a declared symbol, and their transposes."""
    if not f.shape.is_one_by_one:
        return False
    if isinstance(f, T):
        return _language_scalar(f.arg)
    if isinstance(f, MatMul):
        return _entry(f) is not None
    return not isinstance(f, Sym)


def _entry(e: MatMul) -> tuple[E, str] | None:
    """(y, i) for onehot(i)ᵀy or yᵀonehot(i), y a column (a declared vector, softmax(a))
    and i an index symbol or a fixed position (0, 1, …): it prints as y[i]."""
    if len(e.factors) > 2 and _is_onehot_row(e.factors[0]):  # onehot(i)ᵀWx: (Wx)[i]
        from verifier.derive.expr import matmul

        return _entry(MatMul(e.shape, factors=(e.factors[0], matmul(*e.factors[1:]))))
    if len(e.factors) != 2:
        return None
    a, b = e.factors
    if _is_onehot_row(a):
        hot, vec = a.arg, b
    elif isinstance(a, T) and isinstance(b, Fn) and b.name == "onehot":
        hot, vec = b, a.arg
    else:
        return None
    if not (vec.shape.is_column and not vec.shape.is_one_by_one):
        return None
    label = hot.args[0]
    if isinstance(label, Sym) and label.kind == "index":
        return vec, label.name
    if isinstance(label, Num) and label.value.denominator == 1:
        return vec, str(label.value.numerator)
    return None


def _is_onehot_row(e: E) -> bool:
    return isinstance(e, T) and isinstance(e.arg, Fn) and e.arg.name == "onehot"


def _fraction(v: Fraction) -> str:
    if (d := _decimal(v)) is not None:
        return d
    return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"


def _decimal(v: Fraction) -> str | None:
    """v as the decimal it was written as (0.044715, 1.702), where its denominator is a
    power of ten's divisor of at least 100 (so 1/2 and 3/4 stay fractions, and 851/500 is
    not printed as 851 * x / 500); None otherwise.  The language reads a decimal exactly."""
    den, k = v.denominator, 0
    if den < 100:
        return None
    for p in (2, 5):
        while den % p == 0:
            den //= p
    if den != 1:
        return None
    while 10**k % v.denominator:
        k += 1
    digits = str(abs(v.numerator) * (10**k // v.denominator)).rjust(k + 1, "0")
    if len(digits.lstrip("0")) > 30:
        return None
    return ("-" if v < 0 else "") + f"{digits[:-k]}.{digits[-k:]}"


def _coefficient(coef: Fraction) -> tuple[list[str], list[str]]:
    """A positive coefficient's numerator part and divisor part as printed: 851/500 is
    ["1.702"], [] (a decimal as written), 3/4 is ["3"], ["4"]."""
    if (d := _decimal(coef)) is not None:
        return [d], []
    return ([str(coef.numerator)] if coef.numerator != 1 else [],
            [str(coef.denominator)] if coef.denominator != 1 else [])


class _Language(_Printer):
    def p_Sym(self, e: Sym):  # noqa: N802
        return e.name, ATOM

    def p_Dim(self, e: Dim):  # noqa: N802
        return e.name, ATOM

    def p_Const(self, e: Const):  # noqa: N802
        return e.name, ATOM

    def p_Num(self, e: Num):  # noqa: N802
        v = e.value
        if v < 0:
            return "-" + self.wrap(Num(e.shape, value=-v), NEG + 1), NEG
        return (_fraction(v), ATOM if v.denominator == 1 else MUL)

    def p_Eye(self, e: Eye):  # noqa: N802
        return f"eye({_size_text(e.shape.rows)})", ATOM

    def _filled(self, fn: str, e: E):
        r, c = e.shape.rows, e.shape.cols
        if c == ONE:
            return f"{fn}({_size_text(r)})", ATOM
        if r == ONE:
            return f"{fn}({_size_text(c)}).T", ATOM
        return f"{fn}({_size_text(r)}, {_size_text(c)})", ATOM

    def p_Ones(self, e: Ones):  # noqa: N802
        return self._filled("ones", e)

    def p_Zero(self, e: Zero):  # noqa: N802
        return self._filled("zeros", e) if not e.shape.is_scalar else ("0", ATOM)

    def p_Mul(self, e: Mul):  # noqa: N802
        # scalars first, the matrix last: a * b * X @ Y is ((a b) X) Y, so nothing needs
        # parentheses but sums, element-wise products and 1×1 products (for the reader)
        coef, num, den = _split_powers(e.factors)
        sign, coef = coef < 0, abs(coef)
        top, bottom = _coefficient(coef)
        parts = top if top or num else ["1"]
        for f in num:  # a 1×1 product beside other factors in parentheses, for the reader
            one = isinstance(f, MatMul) and f.shape.is_one_by_one and len(parts) + len(num) > 1 \
                and _entry(f) is None
            parts.append(self.paren(self.text(f)) if one else self.wrap(f, MUL))
        out = " * ".join(parts)
        for d in bottom + [
                self.wrap(d, MUL + 1) for d in den]:
            out += f" / {d}"
        return ("-" + out if sign else out), MUL

    def p_MatMul(self, e: MatMul):  # noqa: N802
        if (entry := _entry(e)) is not None:  # onehot(i)ᵀy is the entry y[i]
            return f"{self.wrap(entry[0], ATOM)}[{entry[1]}]", ATOM
        # a 1×1 factor the language reads as a scalar (exp(uᵀv), (uᵀv)², an entry) cannot
        # stand beside @: it goes in front as a scale, exp(uᵀv) * u, never u @ exp(uᵀv)
        scales = [f for f in e.factors if _language_scalar(f)]
        chain = [f for f in e.factors if not _language_scalar(f)]
        if not scales or not chain:
            scales, chain = [], list(e.factors)
        front = "".join(self.wrap(f, MUL) + " * " for f in scales)
        return front + " @ ".join(self.wrap(f, MUL + 1 if i or front else MUL) for i, f in
                                  enumerate(chain)), MUL

    def p_T(self, e: T):  # noqa: N802
        return self.wrap(e.arg, ATOM) + ".T", ATOM

    def p_Inv(self, e: Inv):  # noqa: N802
        if isinstance(e.arg, T):
            return f"inv({self.text(e.arg.arg)}).T", ATOM
        return f"inv({self.text(e.arg)})", ATOM

    def p_Pow(self, e: Pow):  # noqa: N802
        k = e.exp
        if isinstance(k, Num) and k.value == Fraction(1, 2):
            return f"sqrt({self.text(e.base)})", ATOM
        if isinstance(k, Num) and k.value < 0:
            inner = Pow(e.shape, base=e.base, exp=Num(k.shape, value=-k.value))
            return "1 / " + self.wrap(inner if k.value != -1 else e.base, MUL + 1), MUL
        # the exponent bound tighter than **: x ** (3/2), s ** (n - 1), never x ** 3/2
        return f"{self.wrap(e.base, POW + 1)} ** {self.wrap(k, POW + 1)}", POW

    def p_Had(self, e: Had):  # noqa: N802
        # every product inside an element-wise one in parentheses: (A @ x) * y, not A @ x * y
        _, num, den = _split_powers(_broadcast(e).factors)
        out = " * ".join(self.wrap(f, MUL + 1) for f in num) if num else "1"
        for d in den:
            out += " / " + self.wrap(d, MUL + 1)
        return out, HAD

    def p_Fn(self, e: Fn):  # noqa: N802
        name, args = e.name, e.args
        if (z := _softplus_of(e)) is not None:
            return f"softplus({self.text(z)})", ATOM
        if name == "step":
            return f"({self.text(args[0])} > 0)", ATOM
        if name.startswith("cmp_"):
            op = {"gt": ">", "ge": ">=", "lt": "<", "le": "<=", "eq": "==", "ne": "!="}[name[4:]]
            return f"({self.text(args[0])} {op} {self.text(args[1])})", ATOM
        if name in ("softmax_rows", "log_softmax_rows"):
            return f"{name[:-5]}({self.text(args[0])})", ATOM
        if name in ("softmax_cols", "log_softmax_cols", "logsumexp_cols"):
            return f"{name[:-5]}({self.text(args[0])}, axis=0)", ATOM
        if name == "logsumexp_rows":
            return f"logsumexp({self.text(args[0])}, axis=1)", ATOM
        if name in _AXIS_STATISTICS:
            return f"{name[:-5]}({self.text(args[0])}, axis={_AXIS_STATISTICS[name]})", ATOM
        return f"{name}({', '.join(self.text(a) for a in args)})", ATOM

    def p_Add(self, e: Add):  # noqa: N802
        return super().p_Add(_broadcast(e))


# ----- Unicode -----

_LETTERS = re.compile(r"[A-Za-z]+")
_SCRIPTS = "ᵀ⁻¹²³⁴⁵⁶⁷⁸⁹⁰₀₁₂₃₄₅₆₇₈₉"


def _juxtapose(parts: list[str], long: frozenset[str] = frozenset()) -> str:
    """Products written side by side: a space where a name of several letters (``long``)
    or a function would run into its neighbour, a dot between two numbers."""
    out = parts[0]
    for prev, p in zip(parts, parts[1:], strict=False):
        bare = prev.rstrip(_SCRIPTS)
        call = re.match(r"[A-Za-z]{2,}\(", p)
        if prev[-1:] in "0123456789" and p[:1] in "0123456789" and prev and p:
            out += "·" + p
        elif call or any(bare.endswith(n) for n in long) or any(p.startswith(n) for n in long):
            out += " " + p
        else:
            out += p
    return out


def _sup(k: Fraction) -> str:
    if k.denominator == 1:
        return str(k.numerator).translate(SUP)
    return f"^({k.numerator}/{k.denominator})"


class _Unicode(_Printer):
    minus = " − "

    def __init__(self) -> None:
        self.long: set[str] = set()  # names of several letters seen so far

    def p_Sym(self, e: Sym):  # noqa: N802
        g = glyph(e.name)
        if len(_LETTERS.findall(g)[0] if _LETTERS.findall(g) else "") > 1:
            self.long.add(g.rstrip(_SCRIPTS))
        return g, ATOM

    def p_Dim(self, e: Dim):  # noqa: N802
        if len(e.name) > 1:
            self.long.add(e.name)
        return e.name, ATOM

    def p_Const(self, e: Const):  # noqa: N802
        return "π", ATOM

    def p_Num(self, e: Num):  # noqa: N802
        v = e.value
        if v < 0:
            return "−" + self.wrap(Num(e.shape, value=-v), NEG + 1), NEG
        return _fraction(v), ATOM if v.denominator == 1 else MUL

    def p_Eye(self, e: Eye):  # noqa: N802
        return "I", ATOM

    def p_Ones(self, e: Ones):  # noqa: N802
        if e.shape.cols == ONE:
            return "𝟏", ATOM
        if e.shape.rows == ONE:
            return "𝟏ᵀ", POST
        return "𝟏𝟏ᵀ", MUL

    def p_Zero(self, e: Zero):  # noqa: N802
        return "0", ATOM

    def p_Mul(self, e: Mul):  # noqa: N802
        coef, num, den = _split_powers(e.factors)
        sign = coef < 0
        coef = abs(coef)
        top, bottom = _coefficient(coef)
        parts = top if top or num else ["1"]
        alone = len(parts) + len(num) == 1
        parts += [self.wrap(f, MUL + 1 if isinstance(f, MatMul) and is_scalar(f) and not alone
                            else MUL) for f in num]
        out = _juxtapose(parts, frozenset(self.long))
        divs = bottom + [
            self.wrap(d, POW) for d in den]
        if divs:
            d = _juxtapose(divs, frozenset(self.long))
            out += "/" + (d if len(divs) == 1 else self.paren(d))
        return ("−" + out, NEG) if sign else (out, MUL)

    def p_MatMul(self, e: MatMul):  # noqa: N802
        if (entry := _entry(e)) is not None:
            return f"{self.wrap(entry[0], ATOM)}[{entry[1]}]", ATOM
        parts = [self.wrap(f, MUL + 1) for f in e.factors]
        return _juxtapose(parts, frozenset(self.long)), MUL

    def p_T(self, e: T):  # noqa: N802
        return self.wrap(e.arg, POST + 1) + "ᵀ", POST

    def p_Inv(self, e: Inv):  # noqa: N802
        if isinstance(e.arg, T):
            return self.wrap(e.arg.arg, POST + 1) + "⁻ᵀ", POST
        return self.wrap(e.arg, POST + 1) + "⁻¹", POST

    def p_Pow(self, e: Pow):  # noqa: N802
        k = e.exp
        if isinstance(k, Num) and k.value == Fraction(1, 2):
            return "√" + self.wrap(e.base, ATOM), POW
        if isinstance(k, Num) and k.value < 0 and e.shape.is_scalar:
            return self.p_Mul(Mul(e.shape, factors=(e,)))  # 1/√(1 − x²), not (√(1 − x²))⁻¹
        if isinstance(k, Num) and _hadamard_power(e):  # X∘², not X² (which reads as XX)
            return self.wrap(e.base, POST + 1) + "∘" + _sup(k.value), POW
        if isinstance(k, Num):
            return self.wrap(e.base, POST + 1) + _sup(k.value), POW
        return f"{self.wrap(e.base, POST + 1)}^{self.wrap(k, ATOM)}", POW

    def p_Had(self, e: Had):  # noqa: N802
        _, num, den = _split_powers(e.factors)
        out = " ∘ ".join(self.wrap(f, MUL) for f in num) if num else "𝟏"
        for d in den:
            out += " ⊘ " + self.wrap(d, MUL)
        return out, HAD

    NAMES = {"sigmoid": "σ", "trace": "tr", "log_softmax": "log softmax"}

    def p_Fn(self, e: Fn):  # noqa: N802
        name, args = e.name, e.args
        if (z := _softplus_of(e)) is not None:
            return f"softplus({self.text(z)})", ATOM
        a = self.text(args[0]) if args else ""
        if name == "norm":
            return f"‖{a}‖", ATOM
        if name == "abs":
            return f"|{a}|", ATOM
        if name == "sqrt":
            return "√" + self.wrap(args[0], ATOM), POW
        if name == "step":
            return f"𝟙[{a} > 0]", ATOM
        if name.startswith("cmp_"):
            op = {"gt": ">", "ge": "≥", "lt": "<", "le": "≤", "eq": "=", "ne": "≠"}[name[4:]]
            return f"𝟙[{a} {op} {self.text(args[1])}]", ATOM
        if name == "kron":
            return f"{self.wrap(args[0], POST)} ⊗ {self.wrap(args[1], POST)}", MUL
        if name == "onehot":
            return f"onehot({a})", ATOM
        base = name.removesuffix("_rows").removesuffix("_cols")
        label = self.NAMES.get(base, base)
        if name.endswith("_cols"):
            label += " (columns)"
        if name in ("logsumexp_rows", "mean_rows", "var_rows"):  # not softmax's default
            label += " (rows)"
        return f"{label}({', '.join(self.text(x) for x in args)})", ATOM


# ----- LaTeX -----


class _Latex(_Printer):
    def paren(self, s: str) -> str:
        return f"\\left({s}\\right)"

    def p_Sym(self, e: Sym):  # noqa: N802
        name = _latex_name(e.name)
        if e.kind == "vector" and False:  # pragma: no cover - plain letters, as the notes
            return f"\\mathbf{{{name}}}", ATOM
        return name, ATOM

    def p_Dim(self, e: Dim):  # noqa: N802
        return _latex_name(e.name), ATOM

    def p_Const(self, e: Const):  # noqa: N802
        return "\\pi", ATOM

    def p_Num(self, e: Num):  # noqa: N802
        v = e.value
        if v < 0:
            return "-" + self.wrap(Num(e.shape, value=-v), NEG + 1), NEG
        if v.denominator == 1 or _decimal(v) is not None:
            return _fraction(v), ATOM
        return f"\\frac{{{v.numerator}}}{{{v.denominator}}}", ATOM

    def p_Eye(self, e: Eye):  # noqa: N802
        return "I", ATOM

    def p_Ones(self, e: Ones):  # noqa: N802
        if e.shape.cols == ONE:
            return "\\mathbf{1}", ATOM
        if e.shape.rows == ONE:
            return "\\mathbf{1}^{\\top}", POST
        return "\\mathbf{1}\\mathbf{1}^{\\top}", MUL

    def p_Zero(self, e: Zero):  # noqa: N802
        return "0", ATOM

    def p_Mul(self, e: Mul):  # noqa: N802
        coef, num, den = _split_powers(e.factors)
        sign = coef < 0
        coef = abs(coef)
        top, bottom = _coefficient(coef)
        parts = top if top or num else ["1"]
        alone = len(parts) + len(num) == 1
        parts += [self.wrap(f, MUL + 1 if isinstance(f, MatMul) and is_scalar(f) and not alone
                            else MUL) for f in num]
        out = " ".join(parts)
        divs = bottom + [
            self.wrap(d, MUL) for d in den]
        if divs:
            out = f"\\frac{{{out}}}{{{' '.join(divs)}}}" if len(out) < 40 else \
                f"\\frac{{1}}{{{' '.join(divs)}}} {out}"
        return ("-" + out, NEG) if sign else (out, MUL)

    def p_MatMul(self, e: MatMul):  # noqa: N802
        if (entry := _entry(e)) is not None:
            return f"{self.wrap(entry[0], ATOM)}_{{{entry[1]}}}", ATOM
        return " ".join(self.wrap(f, MUL + 1) for f in e.factors), MUL

    def p_T(self, e: T):  # noqa: N802
        return self.wrap(e.arg, POST + 1) + "^{\\top}", POST

    def p_Inv(self, e: Inv):  # noqa: N802
        if isinstance(e.arg, T):
            return self.wrap(e.arg.arg, POST + 1) + "^{-\\top}", POST
        return self.wrap(e.arg, POST + 1) + "^{-1}", POST

    def p_Pow(self, e: Pow):  # noqa: N802
        k = e.exp
        if isinstance(k, Num) and k.value == Fraction(1, 2):
            return f"\\sqrt{{{self.text(e.base)}}}", ATOM
        if isinstance(k, Num) and k.value < 0 and e.shape.is_scalar:
            return self.p_Mul(Mul(e.shape, factors=(e,)))  # \\frac{1}{...}, not (...)^{-1}
        circ = "\\circ " if _hadamard_power(e) else ""
        if isinstance(k, Num) and k.value.denominator == 1:
            return f"{self.wrap(e.base, POST + 1)}^{{{circ}{k.value.numerator}}}", POW
        return f"{self.wrap(e.base, POST + 1)}^{{{circ}{self.text(k)}}}", POW

    def p_Had(self, e: Had):  # noqa: N802
        _, num, den = _split_powers(e.factors)
        out = " \\odot ".join(self.wrap(f, MUL) for f in num) if num else "\\mathbf{1}"
        for d in den:
            out += " \\oslash " + self.wrap(d, MUL)
        return out, HAD

    NAMES = {"sigmoid": "\\sigma", "log": "\\log", "exp": "\\exp", "tanh": "\\tanh",
             "sin": "\\sin", "cos": "\\cos", "atan": "\\arctan", "asin": "\\arcsin",
             "acos": "\\arccos",
             "cosh": "\\cosh",
             "sinh": "\\sinh",
             "trace": "\\operatorname{tr}", "det": "\\det"}

    def p_Fn(self, e: Fn):  # noqa: N802
        name, args = e.name, e.args
        if (z := _softplus_of(e)) is not None:
            return f"\\operatorname{{softplus}}\\left({self.text(z)}\\right)", ATOM
        a = self.text(args[0]) if args else ""
        if name == "norm":
            return f"\\left\\lVert {a} \\right\\rVert", ATOM
        if name == "abs":
            return f"\\left| {a} \\right|", ATOM
        if name == "sqrt":
            return f"\\sqrt{{{a}}}", ATOM
        if name == "step":
            return f"\\mathbb{{1}}\\left[{a} > 0\\right]", ATOM
        if name.startswith("cmp_"):
            op = {"gt": ">", "ge": "\\ge", "lt": "<", "le": "\\le", "eq": "=",
                  "ne": "\\ne"}[name[4:]]
            return f"\\mathbb{{1}}\\left[{a} {op} {self.text(args[1])}\\right]", ATOM
        if name == "kron":
            return f"{self.wrap(args[0], POST)} \\otimes {self.wrap(args[1], POST)}", MUL
        base = name.removesuffix("_rows").removesuffix("_cols")
        escaped = base.replace("_", "\\_")
        label = self.NAMES.get(base, f"\\operatorname{{{escaped}}}")
        if name in ("logsumexp_rows", "logsumexp_cols") or name in _AXIS_STATISTICS:
            label += "_{\\text{" + ("rows" if name.endswith("rows") else "columns") + "}}"
        return f"{label}\\left({', '.join(self.text(x) for x in args)}\\right)", ATOM


# ----- NumPy -----


def _np_size(size) -> str:
    if size is None:
        return "1"
    if hasattr(size, "terms"):
        return "(" + " + ".join(_np_size(t) for t in size.terms) + ")"
    parts = ([str(size.coef)] if size.coef != 1 or not size.names else []) + list(size.names)
    return " * ".join(parts)


def _erfc_argument(e: Add) -> E | None:
    """z where ``e`` is 1 − erf(z), −z where it is 1 + erf(z); None otherwise."""
    from verifier.derive.expr import neg

    if len(e.terms) != 2:
        return None
    one = next((t for t in e.terms if isinstance(t, Num | Ones) and getattr(t, "value", 1) == 1),
               None)
    if one is None:
        return None
    other = e.terms[1] if e.terms[0] is one else e.terms[0]
    sign = 1
    if isinstance(other, Mul) and len(other.factors) == 2 and isinstance(other.factors[0], Num) \
            and other.factors[0].value == -1:
        sign, other = -1, other.factors[1]
    if not (isinstance(other, Fn) and other.name == "erf"):
        return None
    return other.args[0] if sign == -1 else neg(other.args[0])


class _NumPy(_Language):
    def p_MatMul(self, e: MatMul):  # noqa: N802 - a product, as NumPy shapes need it
        return " @ ".join(self.wrap(f, MUL + 1 if i else MUL) for i, f in
                          enumerate(e.factors)), MUL

    def p_Const(self, e: Const):  # noqa: N802
        return "np.pi", ATOM

    def p_Add(self, e: Add) -> tuple[str, int]:  # noqa: N802
        # 1 − erf(z) is erfc(z) and 1 + erf(z) is erfc(−z): written out, both are 0 in float64
        # once |z| > 6 (a probit loss's log(1 − Φ(z)) is −inf there, its gradient 0/0)
        if (z := _erfc_argument(e)) is not None:
            return f"_erfc({self.text(z)})", ATOM
        return super().p_Add(e)

    def p_Num(self, e: Num):  # noqa: N802
        v = e.value
        if v < 0:
            return "-" + self.wrap(Num(e.shape, value=-v), NEG + 1), NEG
        if v.denominator == 1:
            return str(v.numerator), ATOM
        return f"{v.numerator} / {v.denominator}", MUL

    def p_Eye(self, e: Eye):  # noqa: N802
        return f"np.eye({_np_size(e.shape.rows)})", ATOM

    def p_Ones(self, e: Ones):  # noqa: N802
        return f"np.ones(({_np_size(e.shape.rows)}, {_np_size(e.shape.cols)}))", ATOM

    def p_Zero(self, e: Zero):  # noqa: N802
        if e.shape.is_scalar:
            return "0.0", ATOM
        return f"np.zeros(({_np_size(e.shape.rows)}, {_np_size(e.shape.cols)}))", ATOM

    def p_Inv(self, e: Inv):  # noqa: N802
        if isinstance(e.arg, T):
            return f"np.linalg.inv({self.text(e.arg.arg)}).T", ATOM
        return f"np.linalg.inv({self.text(e.arg)})", ATOM

    def p_Pow(self, e: Pow):  # noqa: N802
        k = e.exp
        if isinstance(k, Num) and k.value == Fraction(1, 2):
            return f"np.sqrt({self.text(e.base)})", ATOM
        if isinstance(k, Num) and k.value < 0:
            inner = Pow(e.shape, base=e.base, exp=Num(k.shape, value=-k.value))
            return "1 / " + self.wrap(inner if k.value != -1 else e.base, MUL + 1), MUL
        # the exponent bound tighter than **: x ** (3/2), s ** (n - 1), never x ** 3/2
        return f"{self.wrap(e.base, POW + 1)} ** {self.wrap(k, POW + 1)}", POW

    FUNCS = {"log": "np.log", "exp": "np.exp", "sqrt": "np.sqrt", "abs": "np.abs",
             "tanh": "np.tanh", "cosh": "np.cosh", "sinh": "np.sinh", "sin": "np.sin",
             "cos": "np.cos", "atan": "np.arctan", "asin": "np.arcsin",
             "acos": "np.arccos",
             "erf": "_erf", "sigmoid": "_sigmoid", "relu": "_relu", "trace": "np.trace",
             "det": "np.linalg.det", "sum": "np.sum", "mean": "np.mean", "norm": "np.linalg.norm",
             "softmax": "_softmax", "log_softmax": "_log_softmax", "logsumexp": "_logsumexp",
             "diag": "_diag", "var": "np.var", "onehot": "_onehot", "kron": "np.kron",
             "max": "np.max", "min": "np.min"}

    def p_Fn(self, e: Fn):  # noqa: N802
        name, args = e.name, e.args
        if (z := _softplus_of(e)) is not None:
            return f"np.logaddexp(0, {self.text(z)})", ATOM
        if name == "step":
            return f"_step({self.text(args[0])})", ATOM
        if name.startswith("cmp_"):
            op = {"gt": ">", "ge": ">=", "lt": "<", "le": "<=", "eq": "==", "ne": "!="}[name[4:]]
            return f"_indicator({self.text(args[0])} {op} {self.text(args[1])})", ATOM
        if name == "vec":
            return f'{self.wrap(args[0], ATOM)}.reshape(-1, 1, order="F")', ATOM
        if name in _AXIS_STATISTICS:  # a column (axis 1) or a row (axis 0), as in the IR
            axis = _AXIS_STATISTICS[name]
            return f"np.{name[:-5]}({self.text(args[0])}, axis={axis}, keepdims=True)", ATOM
        if name.endswith("_rows"):
            return f"{self.FUNCS[name[:-5]]}({self.text(args[0])}, axis=1)", ATOM
        if name.endswith("_cols"):
            return f"{self.FUNCS[name[:-5]]}({self.text(args[0])}, axis=0)", ATOM
        if name == "onehot":
            return f"_onehot({self.text(args[0])}, {self.text(args[1])})", ATOM
        if name == "log" and isinstance(args[0], Fn) and args[0].name == "sigmoid":
            # log σ(z) = −log(1 + e^(−z)): np.log(_sigmoid(z)) is −inf once σ(z) underflows
            # (z < −745), where the loss is about z
            z = self.text(args[0].args[0])
            return f"np.negative(np.logaddexp(0, np.negative({z})))", ATOM
        if name not in self.FUNCS:
            raise Unprintable(f"no NumPy spelling of {name}")
        return f"{self.FUNCS[name]}({', '.join(self.text(a) for a in args)})", ATOM


def _hadamard_power(e: Pow) -> bool:
    """An element-wise power of a matrix with more than one row and column (of a vector, x²
    is read entry by entry anyway)."""
    shape = e.base.shape
    return not shape.is_scalar and shape.rows != ONE and shape.cols != ONE


def to_language(e: E) -> str:
    return _Language().text(e)


def to_unicode(e: E) -> str:
    return _Unicode().text(e)


def to_latex(e: E) -> str:
    return _Latex().text(e)


# the NumPy spelling of each element-wise function (emit writes index-form sums with it)
NUMPY_FUNCS = _NumPy.FUNCS


def to_numpy(e: E) -> str:
    return _NumPy().text(e)
