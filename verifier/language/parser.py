"""Text to checked tree: a whitelist over Python's ``ast``, with static shapes and size limits.

The text is only ever *parsed* (``ast.parse(..., mode="eval")``); nothing in it is evaluated,
executed, compiled to code or handed to SymPy's parser.  Every AST node kind, name,
attribute and call is checked against the language; anything else is a ``ClaimInputError``
that says where (line and column within the text), what is wrong and what is accepted.
Pathological input is stopped before the parser sees it (length, parenthesis depth,
operator count) or right after (tree depth, number sizes, exponents).
"""

from __future__ import annotations

import ast
import re
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fractions import Fraction

from verifier.claim import SymbolDecl
from verifier.language.errors import ClaimInputError, did_you_mean
from verifier.language.functions import (
    ALIAS_ARITY,
    ALIASES,
    CALL_ONLY_HINTS,
    CAPITALISED,
    DERIVATIVES,
    ELEMENTWISE_ALIASES,
    FUNCTIONS,
    HINTS,
    SCALAR_DERIVATIVES,
    ShapeProblem,
    grid_shape,
)
from verifier.language.greek import ascii_name, powers_by_letters, respell_declared
from verifier.language.juxtapose import JUXTAPOSITION, juxtaposed
from verifier.language.latex import read_latex
from verifier.language.libraries import LIBRARY_HEADS, Refused, read_call
from verifier.language.notation import NORM_SPELLINGS, Notation, read_notation
from verifier.language.shapes import ONE, SCALAR, Shape, Size, size_of
from verifier.language.subscripts import apply_edits, subscript_edits
from verifier.language.sums import sum_edit
from verifier.language.tree import (
    Binary,
    Call,
    Compare,
    Constant,
    DimValue,
    Grid,
    Node,
    Number,
    Subscript,
    Symbol,
    ToScalar,
    Transpose,
    Unary,
    children,
    walk,
)
from verifier.language.unicode_operators import operator_edits

__all__ = ["LIMITS", "Limits", "Scope", "parse_expression"]


@dataclass(frozen=True)
class Limits:
    text: int = 10_000  # characters
    paren_depth: int = 100
    tree_depth: int = 200  # a sum of 200 terms is 200 deep
    operators: int = 500
    unary_run: int = 50  # "- - - - x"
    digits: int = 30  # in an integer literal or a decimal's mantissa
    decimal_exponent: int = 30  # 1e30
    exponent: int = 64  # |k| in x ** k
    degree: int = 4096  # product of nested constant exponents: (x**64)**64
    size: int = 64  # eye(64), the same bound claim.py puts on a declared size


LIMITS = Limits()

CONSTANTS = ("pi",)

OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**",
             ast.MatMult: "@"}
OTHER_OPERATORS = {
    ast.FloorDiv: ("//", "write / (division is exact)"),
    ast.Mod: ("%", "there is no remainder in the language"),
    ast.BitXor: ("^", "for a power write x ** k"),
    ast.BitAnd: ("&", ""),
    ast.BitOr: ("|", "write abs(x) for |x| and norm(x) for ‖x‖ (|A| of a matrix, its "
                     "determinant: det(A); log|A|: logdet(A), or log(abs(det(A))))"),
    ast.LShift: ("<<", ""),
    ast.RShift: (">>", ""),
}
ACCEPTED_OPERATORS = "+ - * / ** @, unary -, .T, comparisons (> >= < <=, == !=), x[i]"

COMPARISONS = {ast.Gt: ">", ast.GtE: ">=", ast.Lt: "<", ast.LtE: "<=", ast.Eq: "==",
               ast.NotEq: "!="}

# What to call the AST node kinds the language does not have.
NOT_IN_LANGUAGE = {
    ast.Lambda: "a lambda",
    ast.ListComp: "a list comprehension",
    ast.SetComp: "a set comprehension",
    ast.DictComp: "a dict comprehension",
    ast.GeneratorExp: "a generator expression",
    ast.JoinedStr: "an f-string",
    ast.FormattedValue: "an f-string",
    ast.NamedExpr: "an assignment (:=)",
    ast.Starred: "a starred argument",
    ast.Slice: "a slice",
    ast.BoolOp: "and/or; for 'both hold' multiply the indicators: (a > 0) * (b > 0)",
    ast.IfExp: "a conditional expression (if/else)",
    ast.List: "a list",
    ast.Tuple: "a tuple",
    ast.Set: "a set",
    ast.Dict: "a dict",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}


@dataclass(frozen=True)
class Scope:
    """What names mean in one claim: its symbols, its dimension names, its gradient layout.

    ``integer_valued``: symbols whose entries the assumptions make integers (``y binary``,
    ``Y one-hot``, ``t in 1..T``), so that ``h ** y[i]`` and ``y[i] == 0`` are accepted.
    """

    symbols: dict[str, SymbolDecl] = field(default_factory=dict)
    layout: str = "denominator"
    integer_valued: frozenset[str] = frozenset()
    # symbols assumed positive (entry by entry): x ** a with a real is read where x > 0
    positive: frozenset[str] = frozenset()
    # interval assumptions, (name, low, high, open at low, open at high): 1 − x > 0 for x in
    # (0, 1), log x > 0 for x in (2, 5)
    intervals: tuple[tuple[str, Fraction, Fraction, bool, bool], ...] = ()
    # symbols assumed nonnegative: (1 + u) ** a is read for u ≥ 0
    nonnegative: frozenset[str] = frozenset()

    def bounds(self, name: str) -> tuple[Fraction, Fraction, bool, bool] | None:
        """The interval a symbol (each entry) is assumed in, or None."""
        return next((b[1:] for b in self.intervals if b[0] == name), None)

    @property
    def dims(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for d in self.symbols.values():
            for x in d.dims:
                if isinstance(x, str):
                    seen.setdefault(x)
        return tuple(seen)


# names papers give functions: f(x), L(θ) of such a declared symbol is a call, not a product;
# p(x), q(z), k(x) only of one name (p(1 − p) is the product)
_FUNCTION_LETTERS = frozenset(("f", "g", "h", "F", "G", "H", "J", "L", "ell", "l", "phi",
                               "psi", "varphi"))
_DENSITY_LETTERS = frozenset(("p", "q", "k", "r", "u", "v", "P", "Q", "K"))
_LAYOUT_ONLY = re.compile(r"\\(?:limits|nolimits|displaystyle|textstyle)(?![A-Za-z])"
                          r"|(?<!\\)\\[,;:!]")  # \, \; \: \! spacing (round 18), not \\'s


def _reparsed(text: str, written: str, back: tuple[int, ...], scope: Scope,
              limits: Limits) -> Node:
    """``written`` (``text`` respelled by edits) parsed, an error placed back in ``text``."""
    try:
        return parse_expression(written, scope, limits)
    except ClaimInputError as err:
        raise _respelled_back(err, written, text, back) from None


def parse_expression(text: str, scope: Scope, limits: Limits = LIMITS) -> Node:
    """Parse and check ``text``; raise ``ClaimInputError`` (positions within ``text``)."""
    if not isinstance(text, str):
        raise ClaimInputError(f"an expression must be a string, not {type(text).__name__}")
    _precheck(text, limits)
    # \limits, \displaystyle: layout only (\sum\limits_{i=1}^n), blanked to keep positions
    text = _LAYOUT_ONLY.sub(lambda m: " " * len(m.group()), text)
    # α, σ², β₁ where alpha, sigma, beta_1 are declared (a declaration is respelled so)
    respelled, back = respell_declared(text, frozenset(scope.symbols) | frozenset(scope.dims))
    if back:
        return _reparsed(text, respelled, back, scope, limits)
    # x_i, A_{ij}, Aᵢⱼ, softmax(z)_i with i, j declared index(n): entries (subscripts.py);
    # β₁ᵗ with t a declared integer (or a dimension): β₁^t
    integers = frozenset(n for n, d in scope.symbols.items() if d.kind == "integer") \
        | frozenset(scope.dims)
    for find in (lambda: subscript_edits(text, scope.symbols) + powers_by_letters(text, integers),
                 # ∇ₓ f, ∇_θ f, ∂_s f: the LaTeX operators \nabla_{x}, \partial_{s} (round 18)
                 lambda: operator_edits(text),
                 # \sum_{i=1}^{n} e, Σ_i e, sum_{i=1}^n e over a declared index: sum((e), i)
                 lambda: [e for e in (sum_edit(text, scope.symbols),) if e is not None]):
        edits = find()  # each looked for only where the ones before found nothing
        if edits:
            return _reparsed(text, *apply_edits(text, edits), scope, limits)
    prose_free = re.sub(r"#[^\n]*", lambda m: " " * len(m.group()), text)
    if "\\" in prose_free and _latex_commands(prose_free):
        # \frac{a}{b}, x^\top, \|x\|: read where each command has one meaning, else refused
        read = read_latex(prose_free, frozenset(scope.symbols) | frozenset(scope.dims),
                          numerator_layout=scope.layout == "numerator")
        refusal = _latex_error(text)
        refusal = _unwrapped(refusal, text) if refusal is not None else None
        if read is not None:
            try:
                return parse_expression(read, scope, limits)
            except ClaimInputError as err:
                if refusal is None:
                    raise
                raise ClaimInputError(f"{refusal.message}; read as {' '.join(read.split())}: "
                                      f"{err.message}", line=refusal.line,
                                      column=refusal.column) from None
    original, text = text, _read_as_ascii(text)  # xᵀ is x.T, x ≤ y is x <= y, − is -
    try:
        # ‖x‖ is norm(x), a ⊙ b is a * b, A⁻¹ and A^{-1} inv(A), √x sqrt(x), e^{-s} exp(-s)
        notation = read_notation(text, frozenset(scope.symbols) | frozenset(scope.dims))
    except ClaimInputError as err:
        raise _superscripts_back(err, original) from None
    read_as, text = text, notation.text
    # Parsed inside parentheses, so that an expression may span lines and start indented
    # (TOML multi-line strings); the precheck has ruled out unbalanced parentheses.
    wrapped = f"({text}\n)"
    try:
        latex = _latex_error(text)
        if latex is not None:
            raise latex
        try:
            with warnings.catch_warnings():  # "invalid decimal literal" and the like
                warnings.simplefilter("ignore")
                tree = ast.parse(wrapped, mode="eval")
        except SyntaxError as exc:
            # x^T A x, W x + b: products written by juxtaposition (juxtapose.py)
            joined = _juxtaposed_parse(wrapped, scope, limits, notation)
            if joined is not None:
                return joined
            raise _syntax_error(text, exc) from None
        except (RecursionError, MemoryError, ValueError, OverflowError):
            raise ClaimInputError(
                "the expression is too deeply nested or too long for the parser"
            ) from None
        _check_depth(tree, wrapped, limits)
        return _Checker(wrapped, scope, limits, notation).expr(tree.body)
    except ClaimInputError as err:
        err = _notation_back(_unwrapped(err, text), notation, text, read_as)
        raise _superscripts_back(err, original) from None


def _juxtaposed_parse(wrapped: str, scope: Scope, limits: Limits,
                      notation: Notation) -> Node | None:
    """``wrapped`` read with its products by juxtaposition (``x.T A x``), or None where it
    has none or does not parse with them either (the first syntax error is then reported).
    Positions of errors are moved back to ``wrapped``; the notation's marks (⊙, ², ⁻¹)
    forward to the joined text."""
    joined = juxtaposed(wrapped, frozenset(scope.symbols))
    if joined is None:
        return None
    text, inserted = joined
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text, mode="eval")
    except (SyntaxError, RecursionError, MemoryError, ValueError, OverflowError):
        return None
    width = len(JUXTAPOSITION)

    def forward(k: int) -> int:  # an index of the unwrapped text, as the marks are
        return k + width * sum(1 for p in inserted if p - 1 <= k)

    marks = replace(
        notation, norms={forward(k): v for k, v in notation.norms.items()},
        **{f: frozenset(map(forward, getattr(notation, f))) for f in (
            "hadamard", "superscripts", "inverses", "dots", "krons", "transposes", "times")})
    try:
        _check_depth(tree, text, limits)
        return _Checker(text, scope, limits, marks, juxtaposed=True).expr(tree.body)
    except ClaimInputError as err:
        if err.line is None or err.column is None:
            raise
        lines = text.split("\n")
        index = sum(len(x) + 1 for x in lines[: err.line - 1]) + err.column - 1
        index -= width * sum(1 for p in inserted if p + width <= index)
        line, col = _line_col(wrapped, index)
        raise err.located(line=line, column=col) from None


# a side written as NumPy / PyTorch code, where a declared vector is a 1-D array (axis= is the
# language's own keyword too: sum(X, axis=0), logsumexp(x @ a.T, axis=1) are maths)
_NUMPY_STYLE = re.compile(r"\b(?:np|numpy|torch|jnp|scipy)\.|\bdim\s*=|"
                          r"\.(?:sum|mean|reshape|dot|numpy)\(")


SUPERSCRIPT_T = "ᵀ"
# characters with one meaning in the language, each read as two ASCII characters
READ_AS = {SUPERSCRIPT_T: ".T", "⊤": ".T", "⊺": ".T", "≤": "<=", "≥": ">=", "⩽": "<=",
           "⩾": ">=", "≦": "<=", "≧": ">=", "≠": "!=", "−": "-", "–": "-", "‐": "-",
           "‑": "-", "÷": "/", "∕": "/", "⁄": "/", "π": "pi"}
# ⊤ is LaTeX's \top typeset, ⊺ its \intercal; ⩽ ⩾ \leqslant \geqslant; U+2212 a typeset minus
# sign, and pasted from a word processor the en dash and the hyphens; ÷ and the division slashes


def _read_as_ascii(text: str) -> str:
    for ch, ascii_form in READ_AS.items():
        text = text.replace(ch, ascii_form)
    return text


def _superscripts_back(err: ClaimInputError, original: str) -> ClaimInputError:
    """A column in the text with each ᵀ written .T (≤ written <=, …) back to the column in
    the user's text."""
    if err.line is None or err.column is None or not any(ch in original for ch in READ_AS):
        return err
    lines = original.split("\n")
    if err.line > len(lines):
        return err
    col, seen = err.column, 0
    for k, ch in enumerate(lines[err.line - 1]):
        if k + 1 + seen >= err.column:
            break
        if ch in READ_AS:
            seen += len(READ_AS[ch]) - 1  # one character of the user's text stood for two
    return err.located(column=max(1, col - seen))


def _notation_back(err: ClaimInputError, notation: Notation, text: str,
                   read_as: str) -> ClaimInputError:
    """A position in the text with ‖x‖ written norm(x) back to the position in ``read_as``."""
    if err.line is None or err.column is None or not notation.back:
        return err
    lines = text.split("\n")
    if err.line > len(lines):
        return err
    index = sum(len(x) + 1 for x in lines[: err.line - 1]) + err.column - 1
    line, col = _line_col(read_as, notation.origin(index))
    return err.located(line=line, column=col)


def _respelled_back(err: ClaimInputError, respelled: str, text: str,
                    back: tuple[int, ...]) -> ClaimInputError:
    """A position in the text with α written alpha back to the position in ``text``."""
    if err.line is None or err.column is None:
        return err
    lines = respelled.split("\n")
    if err.line > len(lines):
        return err
    index = sum(len(x) + 1 for x in lines[: err.line - 1]) + err.column - 1
    origin = back[index] if index < len(back) else len(text)
    line, col = _line_col(text, origin)
    return err.located(line=line, column=col)


def _unwrapped(err: ClaimInputError, text: str) -> ClaimInputError:
    """Positions in the wrapped text back to positions in ``text``."""
    if err.line is None:
        return err
    lines = text.split("\n")
    line, col = err.line, err.column
    if line > len(lines):  # the added closing parenthesis: the end of the text
        line, col = len(lines), len(lines[-1]) + 1
    elif line == 1 and col is not None:
        col = max(1, col - 1)
    return err.located(line=line, column=col)


def _base_of_power(left: ast.AST) -> str | None:
    """The name that ^ takes as its base: 1 + e^(-s) parses as (1 + e) ^ (-s), so the base
    is the rightmost operand of the left side."""
    while isinstance(left, ast.BinOp):
        left = left.right
    return left.id if isinstance(left, ast.Name) else None


# ----- before and right after ast.parse -----


def _precheck(text: str, limits: Limits) -> None:
    if not text.strip():
        raise ClaimInputError("the expression is empty")
    if len(text) > limits.text:
        raise ClaimInputError(
            f"the expression is {len(text)} characters long; at most {limits.text} are accepted"
        )
    if "\x00" in text:
        raise ClaimInputError("the expression contains a NUL character")
    depth, line, col = 0, 1, 0
    for ch in text:  # ast.parse itself can exhaust memory on 10 000 nested parentheses
        col += 1
        if ch == "\n":
            line, col = line + 1, 0
        elif ch in "([{":
            depth += 1
            if depth > limits.paren_depth:
                raise ClaimInputError(
                    f"parentheses nested more than {limits.paren_depth} deep",
                    line=line, column=col,
                )
        elif ch in ")]}":
            depth -= 1
            if depth < 0:
                raise ClaimInputError(f"unmatched {ch!r}", line=line, column=col)
    n_ops = len(re.findall(r"\*\*|[-+*/@−⊙]|\.(?=\s*[A-Za-z_])", text))
    if n_ops > limits.operators:
        raise ClaimInputError(
            f"the expression has {n_ops} operators; at most {limits.operators} are accepted"
        )
    run = re.search(rf"(?:[-+~−]\s*){{{limits.unary_run + 1},}}", text)
    if run:
        line, col = _line_col(text, run.start())
        raise ClaimInputError(
            f"more than {limits.unary_run} signs in a row", line=line, column=col
        )


def _check_depth(tree: ast.AST, text: str, limits: Limits) -> None:
    stack = [(tree, 0)]
    while stack:  # iterative: the checker below recurses, so the depth is bounded first
        node, depth = stack.pop()
        if depth > limits.tree_depth:
            line, col = _ast_pos(text, node)
            raise ClaimInputError(
                f"the expression is nested more than {limits.tree_depth} levels deep",
                line=line, column=col,
            )
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


_LATEX_TRANSPOSE = re.compile(r"\^\s*\{?\s*(?:\.?T|\\top|\\intercal)\b")  # x^⊤ reads x^.T
_LATEX_INVERSE = re.compile(r"\^\s*\{?\s*-\s*1")
_INDICATOR = re.compile(r"(?<![\w.])1\s*\{|𝟙|𝕀")
# "f(z) where z = w.T @ x", "..., with z = ...": a definition after the formula, as notes write
# x_{i}, W_{ij}, softmax(z)_i: a LaTeX subscript on a name or a call
_SUBSCRIPT = re.compile(r"[\w)\]]_\{|\)_\w")
# sum_i x[i], prod_{i} ...: the index of a sum written as a subscript of sum
_SUM_SUBSCRIPT = re.compile(r"\b(?:sum|prod|mean)_\{?\w")
# <x, y> as an inner product; d/dx f as a derivative; 1ᵀx (read 1.T) as the vector of ones
_ANGLE_BRACKETS = re.compile(r"<[^<>=]*,[^<>=]*>")
_D_BY_D = re.compile(r"(?<![\w.])d\s*/\s*d\s*[A-Za-z_]")
_ONES_T = re.compile(r"(?<![\w.])1\s*\.T")
_WHERE_CLAUSE = re.compile(r"(?:\s|,)(?:where|with|for)\s+[A-Za-z_]\w*\s*(?:=|:=|in\b)")

# (does the text call for it, the hint): every hint that applies is given, in this order
_SYNTAX_HINTS: tuple[tuple[Callable[[str, str], bool], str], ...] = (
    (lambda t, m: "'" in t and "string literal" in m,
     "write A.T for a transpose (A' is not in the language: a prime is a transpose in "
     "MATLAB but a second point, k(x, x'), or a derivative, f'(x), in notes; name a second "
     "point x2, write grad(f, x) for a derivative)"),
    (lambda t, m: bool(_LATEX_TRANSPOSE.search(t)), "write x.T for a transpose (x^T is LaTeX)"),
    (lambda t, m: bool(_LATEX_INVERSE.search(t)) or "⁻" in t,
     "write inv(A) for an inverse (1 / s for a scalar)"),
    (lambda t, m: bool(_WHERE_CLAUSE.search(t)),
     "a 'where' clause is not in the language: substitute the definition into the formula "
     "(sigmoid(z) where z = w.T @ x: write sigmoid(w.T @ x)), or declare the symbol and state "
     "what it must satisfy as an assumption"),
    (lambda t, m: bool(_SUM_SUBSCRIPT.search(t)),
     "write sum(e, i) with i declared index(n) for sum_i e (prod(e, i), mean(e, i))"),
    (lambda t, m: bool(_SUBSCRIPT.search(t)) and not _SUM_SUBSCRIPT.search(t),
     "subscripts are not in the language: write x[i] for an entry, W[i, j], softmax(z)[i] "
     "(counted from 0, each index a number or a symbol declared index(n))"),
    (lambda t, m: "`" in t or "$" in t,
     "write the formula alone, without Markdown's backticks or LaTeX's $ ... $"),
    (lambda t, m: "≡" in t or "≔" in t,
     "an expression has no '=': put the two sides in lhs and rhs"),
    (lambda t, m: "Perhaps you forgot a comma" in m and not _WHERE_CLAUSE.search(t)
     and not _SUBSCRIPT.search(t) and not _SUM_SUBSCRIPT.search(t)
     and not any(ch in _LETTER_SUBSCRIPTS for ch in t) and not _BRACE_CALL.search(t),
     "two terms stand side by side: every product needs * or @ (x.T @ y, 2 * s)"),
    (lambda t, m: bool(_INDICATOR.search(t)),
     "for an indicator write the comparison itself: (z > 0) is 1 where it holds, 0 elsewhere"),
    (lambda t, m: bool(re.search(r"\blambda\b", t)),
     "lambda is a Python keyword: name the symbol lam"),
    (lambda t, m: "⊙" in t or "∘" in t, "write a * b for an element-wise (Hadamard) product"),
    (lambda t, m: "√" in t, "write sqrt(x) for √x"),
    (lambda t, m: "⊗" in t, "write kron(A, B) for A ⊗ B"),
    (lambda t, m: any(ch in t for ch in "½⅓¼¾"), "write a fraction as 1 / 2"),
    # |A| of a matrix is its determinant in many notes (log|Σ|): abs(A) would be every entry's
    (lambda t, m: "|" in t or "‖" in t, "write abs(x) for |x| and norm(x) for ‖x‖ (|A| of a "
     "matrix, its determinant: det(A); log|A|: logdet(A), or log(abs(det(A))))"),
    # A : B, the Frobenius product of matrix-calculus notes (a slice W[i, :] is not one)
    (lambda t, m: bool(re.search(r"\w\s*:\s*\w", re.sub(r"\[[^\]]*\]", "", t))),
     "A : B (the Frobenius product) is sum(A * B), or trace(A.T @ B)"),
    (lambda t, m: "⁺" in t, "A⁺ (the pseudo-inverse) is not in the language: for full column "
     "rank write inv(A.T @ A) @ A.T; x⁺ (the positive part) is relu(x)"),
    (lambda t, m: any(ch in t for ch in "²³"), "write x ** 2 (x ** 3) for a power"),
    (lambda t, m: "⁻" not in t and any(ch in t for ch in "⁰¹⁴⁵⁶⁷⁸⁹"),
     "write x ** k for a power (of the superscripts only ² and ³ are read)"),
    # 𝟏 / 𝟭 (bold and sans-serif bold one), the ones vector of papers: its size is not written
    (lambda t, m: "𝟏" in t or "𝟭" in t,
     "write ones(n) for the vector of ones 𝟏 (𝟏ᵀx: ones(n).T @ x or sum(x))"),
    (lambda t, m: "Σ" in t or "∑" in t,
     "write sum(e, i) with i declared index(n) (sum(x) of all entries)"),
    (lambda t, m: "Π" in t or "∏" in t,
     "write prod(e, i) with i declared index(n) for a product over an index"),
    (lambda t, m: "∇" in t or "∂" in t,
     "write grad(f, x) for a gradient (jacobian(f, x), hessian(f, x))"),
    (lambda t, m: "assign" in m or "'=='" in m,
     "an expression has no '=': put the two sides in lhs and rhs"),
    (lambda t, m: ";" in t, "a side is one expression, with no ';' (a # starts a comment)"),
    # MATLAB's element-wise operators (round 18): the language's are plain
    (lambda t, m: bool(re.search(r"\.\s*[\^*/]", t)),
     "MATLAB's .^, .* and ./ are the language's ** (x ** 2), * and / (element-wise already)"),
    (lambda t, m: "decimal literal" in m and bool(re.search(r"/\s*\d+(?:\.\d*)?[A-Za-z]", t)),
     "a / 2s: is 2s the divisor, a / (2 * s), or s a factor, (a / 2) * s? write the one meant"),
    (lambda t, m: "decimal literal" in m and not _ONES_T.search(t),
     "write the product with *, such as 2 * x"),
    (lambda t, m: "^" in t and not _LATEX_TRANSPOSE.search(t) and not _LATEX_INVERSE.search(t),
     "write x ** k for a power"),
    (lambda t, m: any(ch in t for ch in "×·⋅•∙"),
     "write * (element-wise, scaling) or @ (matrix product)"),
    (lambda t, m: bool(re.search(r"(?<![\w.])e\s*\^", t)), "write exp(x) for e^x"),
    (lambda t, m: "⟨" in t or "⟩" in t or bool(_ANGLE_BRACKETS.search(t)),
     "write x.T @ y or dot(x, y) for an inner product ⟨x, y⟩ (sum(A * B) of two matrices)"),
    (lambda t, m: bool(_D_BY_D.search(t)),
     "write grad(f, x) for d/dx f (jacobian(f, x) of a vector f, hessian(f, x))"),
    (lambda t, m: bool(_ONES_T.search(t)),
     "1ᵀ is a number transposed: write ones(n).T @ x (or sum(x)) for 1ᵀx, with n the size"),
    (lambda t, m: "†" in t, "A† is not in the language: for a real matrix the adjoint is A.T, "
                            "the pseudo-inverse of a full-column-rank A inv(A.T @ A) @ A.T"),
    (lambda t, m: "′" in t or "″" in t,
     "a prime is not in the language: write x.T for a transpose, grad(f, x) for a derivative"),
    (lambda t, m: any("\u2080" <= ch <= "\u2089" for ch in t),
     "subscripts are not in the language: write x[i] for an entry (counted from 0: x₁ is "
     "x[0]) or name the symbol x1"),
    (lambda t, m: any(ch in _LETTER_SUBSCRIPTS for ch in t),
     "subscripts are not in the language: write x[i] for an entry, softmax(z)[i] (each index "
     "a number or a symbol declared index(n))"),
    (lambda t, m: "≈" in t, "≈ is not a claim: a claim is an exact equality; write = for "
                            "what holds exactly"),
    (lambda t, m: "∝" in t, "∝ leaves its constant unnamed: write a = c * b with the constant "
                            "(declare c: scalar)"),
    (lambda t, m: "∗" in t, "write * for a product (∗ is also a convolution)"),
    (lambda t, m: "—" in t, "write - for a minus sign (— is an em dash)"),
    (lambda t, m: bool(_BRACE_CALL.search(t)),
     "write a function's argument in parentheses, max(a, b) for max{a, b} (braces are "
     "LaTeX's grouping)"),
    (lambda t, m: "∈" in t,
     "∈ is not in the language: state what a symbol ranges over as an assumption, 0 < p < 1 "
     "(p in (0, 1)), y binary, x > 0"),
)
_LETTER_SUBSCRIPTS = frozenset("ᵢⱼₖₗₘₙₚₜₓ")
_BRACE_CALL = re.compile(r"(?<![\w\\])[A-Za-z][A-Za-z0-9]*\s*\{")  # max{a, b}, exp{x}


_LATEX_COMMAND = re.compile(r"\\([A-Za-z]+|[|{}])")
_GREEK = frozenset({
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
    "kappa", "mu", "nu", "xi", "rho", "tau", "phi", "varphi", "chi", "psi", "omega",
    "Gamma", "Delta", "Theta", "Lambda", "Phi", "Psi", "Omega", "Sigma",
})
# LaTeX commands people paste, each with the language's spelling (the first group that
# names a command gives its hint; a command in no group gets the generic one)
_LATEX_SPELLINGS: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"frac", "dfrac", "tfrac"}), "(a) / (b) for \\frac{a}{b}"),
    (frozenset({"top", "intercal"}), "x.T for x^\\top"),
    (frozenset({"sum"}), "sum(e, i) with i declared index(n) for \\sum_i e "
                         "(sum(x) of all entries; indices count from 0)"),
    (frozenset({"prod"}), "prod(e, i) with i declared index(n) for \\prod_i e"),
    (frozenset({"left", "right", "big", "Big", "bigl", "bigr", "Bigl", "Bigr", "qty"}),
     "plain parentheses for \\left( ... \\right) and \\qty( ... )"),
    (frozenset({"cdot", "times", "ast"}),
     "* (element-wise, scaling) or @ (matrix product) for \\cdot and \\times"),
    (frozenset({"odot", "circ"}), "a * b for a \\odot b (element-wise)"),
    (frozenset({"otimes"}), "kron(A, B) for A \\otimes B"),
    (frozenset({"sqrt"}), "sqrt(x) for \\sqrt{x}"),
    (frozenset({"exp", "log", "ln", "tanh", "sin", "cos", "max", "min", "det"}),
     "exp(x), log(x), tanh(x), max(a, b), det(A) for \\exp, \\log (\\ln), \\tanh, "
     "\\max, \\det"),
    (frozenset({"sigma"}), "sigmoid(x) for the logistic \\sigma(x), sigma * (x) for a product "
                           "with a declared sigma"),
    (frozenset({"lambda"}), "a symbol named lam for \\lambda (lambda is a Python keyword)"),
    (_GREEK, "a Greek letter spelled out as a symbol name (\\alpha is alpha)"),
    (frozenset({"mathbf", "mathrm", "boldsymbol", "bm", "mathit", "text", "operatorname",
                "mathcal", "mathscr"}),
     "the name alone for \\mathbf{x} (x); \\operatorname{tr}(A) is trace(A); ones(n) "
     "for the vector of ones \\mathbf{1} (sum(x) for \\mathbf{1}^\\top x)"),
    (frozenset({"nabla", "partial", "pdv", "dv"}),
     "grad(f, x) for \\nabla_x f and \\pdv{f}{x} (jacobian, hessian)"),
    (frozenset({"hat", "tilde", "bar", "widehat", "overline"}),
     "a plain name for \\hat{y} (yhat)"),
    (frozenset({"dots", "ldots", "cdots", "vdots"}),
     "sum(e, i) or prod(e, i) for a sum or a product written out with \\dots"),
    (frozenset({"|", "lVert", "rVert", "Vert", "lvert", "rvert"}),
     "norm(x) for \\|x\\| and abs(x) for |x|"),
    (frozenset({"leq", "le", "geq", "ge", "neq", "ne", "lt", "gt"}),
     "<=, >=, != for \\leq, \\geq, \\neq"),
    (frozenset({"mathbb"}), "the comparison itself for an indicator \\mathbb{1}[z > 0] "
                            "(z > 0), mean(...) for an average"),
    (frozenset({"{", "}"}), "parentheses for \\{ \\}"),
    (frozenset({"pi"}), "pi for \\pi"),
    (frozenset({"langle", "rangle"}), "x.T @ y for \\langle x, y \\rangle"),
)


# In a TOML "..." string a pasted \frac, \beta, \right, \top or \nabla arrives as an
# escape (form feed, backspace, carriage return, tab, newline) and the rest of the word:
# "\rho * a" would read as ho * a.  Tab and newline only before a LaTeX word, as they are
# whitespace in a side spanning lines.
_ESCAPED = {"\f": "f", "\b": "b", "\r": "r", "\t": "t", "\n": "n"}
_ESCAPED_COMMAND = re.compile(
    r"[\f\b\r]([A-Za-z]+)|\t(op|au|heta|imes|ext|frac|anh|ilde)\b|\n(abla|eq)\b")
_TOML_ESCAPE_NOTE = ("; in a TOML \"...\" string a backslash starts an escape (\\f, \\b, \\t, "
                     "\\r, \\n): the formula arrived as other characters")


def _latex_commands(text: str) -> list[tuple[int, str]]:
    """(position, command name) of each LaTeX command in ``text``, pasted or TOML-escaped."""
    found = [(m.start(), m.group(1)) for m in _LATEX_COMMAND.finditer(text)]
    for m in _ESCAPED_COMMAND.finditer(text):
        rest = next(g for g in m.groups() if g is not None)
        found.append((m.start(), _ESCAPED[m.group(0)[0]] + rest))
    return sorted(found)


def _latex_error(text: str) -> ClaimInputError | None:
    """A side pasted from LaTeX (\\frac, \\top, \\sum_{i=1}^n, \\left( ... \\right)):
    one message naming the language's spelling of each command found, at the first."""
    # a # comment is the user's prose ("# the \alpha of the paper"): blanked, same length
    found = _latex_commands(re.sub(r"#[^\n]*", lambda m: " " * len(m.group()), text))
    if not found:
        return None
    commands = [name for _, name in found]
    hints: list[str] = []
    for command in commands:
        hint = next((h for names, h in _LATEX_SPELLINGS if command in names),
                    f"the language's own name for \\{command} (see derivcheck claim --help)")
        if hint not in hints:
            hints.append(hint)
    # positions in the text as parsed, wrapped in parentheses (parse_expression unwraps them)
    line, col = _line_col(f"({text}", found[0][0] + 1)
    escaped = "" if "\\" in text else _TOML_ESCAPE_NOTE
    return ClaimInputError(
        f"LaTeX is not read (\\{commands[0]}); write {'; '.join(hints)}{escaped}",
        line=line, column=col)


def _syntax_error(text: str, exc: SyntaxError) -> ClaimInputError:
    msg = exc.msg or "invalid syntax"
    if "Exceeds the limit" in msg:
        msg = "a number is far too long"
    hints = [hint for applies, hint in _SYNTAX_HINTS if applies(text, msg)]
    if "never closed" in msg or "does not match" in msg:
        hints = ["check the parentheses"]
    msg = msg.replace(". Perhaps you forgot a comma?", "")  # Python's guess, wrong here
    line = exc.lineno if exc.lineno and exc.lineno >= 1 else None
    col = exc.offset if exc.offset and exc.offset >= 1 else None
    keyword = re.search(r"\blambda\b", f"({text}")  # as parsed, wrapped in parentheses
    if keyword:  # Python points past the end of "lambda * s": point at the name
        line, col = _line_col(f"({text}", keyword.start())
    clause = _WHERE_CLAUSE.search(f"({text}")
    if clause:  # point at the word "where", not at Python's guess
        line, col = _line_col(f"({text}", clause.start() + 1)
    hint = "".join(f"; {h}" for h in hints)
    return ClaimInputError(f"syntax error: {msg}{hint}", line=line, column=col)


def _same_start(node: ast.AST, inner: ast.AST) -> bool:
    """Do ``node`` and its part ``inner`` start at one place (no parenthesis opens between)?"""
    return (node.lineno, node.col_offset) == (inner.lineno, inner.col_offset)


def _unparenthesised_left(node: ast.BinOp) -> bool:
    """Is ``node.left`` written without parentheses (both start at the same place)?"""
    return (node.left.lineno, node.left.col_offset) == (node.lineno, node.col_offset)


def _minus_one(node: ast.AST) -> bool:
    """Is ``node`` the literal -1?"""
    return isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) \
        and isinstance(node.operand, ast.Constant) and node.operand.value == 1


def _transposed_one(node: ast.AST) -> bool:
    """Is ``node`` -(1 .T), as Python reads the exponent of A⁻¹ᵀ written A ** -1 .T (or
    (-1).T, of A^(-1)ᵀ)?"""
    if isinstance(node, ast.Attribute) and node.attr == "T":
        return _minus_one(node.value)
    return isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) \
        and isinstance(node.operand, ast.Attribute) and node.operand.attr == "T" \
        and isinstance(node.operand.value, ast.Constant) and node.operand.value.value == 1


def _line_col(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def _ast_pos(text: str, node: ast.AST) -> tuple[int, int]:
    """1-based (line, column in characters); ast columns count UTF-8 bytes."""
    lineno = getattr(node, "lineno", 1) or 1
    byte_col = getattr(node, "col_offset", 0) or 0
    lines = text.split("\n")
    line = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
    return lineno, len(line.encode()[:byte_col].decode(errors="ignore")) + 1


# ----- the checker -----


class _Checker:
    def __init__(self, text: str, scope: Scope, limits: Limits, notation: Notation,
                 juxtaposed: bool = False):
        self.text = text
        self.juxtaposed = juxtaposed  # // is a product written by juxtaposition (x.T A x)
        self.scope = scope
        self.limits = limits
        self.dims = scope.dims
        self.notation = notation  # indices in the text unwrapped: one less than in self.text
        self.expanded: set[int] = set()  # nodes written x[:, None] or x[None, :]
        self.one_d: set[int] = set()  # row reductions written as NumPy's 1-D (X.sum(axis=1))

    # --- helpers ---

    def error(self, node: ast.AST | tuple[int, int] | None, message: str) -> ClaimInputError:
        if node is None:
            return ClaimInputError(message)
        line, col = node if isinstance(node, tuple) else _ast_pos(self.text, node)
        return ClaimInputError(message, line=line, column=col)

    def src(self, node: ast.AST) -> str:
        seg = ast.get_source_segment(self.text, node) or ast.unparse(node)  # or built here
        if self.juxtaposed:  # x.T A x as written, not with the // put between
            seg = seg.replace(JUXTAPOSITION, " ")
        seg = " ".join(seg.split())
        return seg if len(seg) <= 40 else seg[:37] + "..."

    def op_pos(self, node: ast.BinOp, token: str) -> tuple[int, int]:
        """Where the operator itself stands (between the operands), else the node's start."""
        start = self._index(node.left, end=True)
        stop = self._index(node.right, end=False)
        if start is not None and stop is not None:
            k = self.text.find(token, start, stop)
            if k >= 0:
                return _line_col(self.text, k)
        return _ast_pos(self.text, node)

    def _index(self, node: ast.AST, end: bool) -> int | None:
        lineno = getattr(node, "end_lineno" if end else "lineno", None)
        col = getattr(node, "end_col_offset" if end else "col_offset", None)
        if lineno is None or col is None:
            return None
        lines = self.text.split("\n")
        before = sum(len(x) + 1 for x in lines[: lineno - 1])
        return before + len(lines[lineno - 1].encode()[:col].decode(errors="ignore"))

    def pos(self, node: ast.AST) -> tuple[int, int]:
        return _ast_pos(self.text, node)

    @staticmethod
    def scalarize(node: Node) -> Node:
        if node.shape.is_one_by_one:
            return ToScalar(SCALAR, node.pos, node.degree, arg=node)
        return node

    def spread(self, node: Node, target: Shape, pos: tuple[int, int]) -> Node:
        """NumPy broadcasting written out: a 1×m row against n rows is ones(n, 1) @ row, an
        n×1 column against m columns is column @ ones(1, m), so the tree holds only
        products the engine knows."""
        if node.shape.rows != target.rows:
            node = Binary(Shape(target.rows, node.shape.cols), pos, node.degree, op="@",
                          left=self.ones(target.rows, ONE, pos), right=node)
        if node.shape.cols != target.cols:
            node = Binary(target, pos, node.degree, op="@", left=node,
                          right=self.ones(ONE, target.cols, pos))
        return node

    def _square_spread(self, a: ast.AST, b: ast.AST, left: Node, right: Node, target: Shape,
                       op: str, pos: tuple[int, int]) -> None:
        """A declared vector against a square matrix of its size (A * x, S + m) has two
        readings: the language's (x is a column, spread over the columns) and NumPy's for a
        1-D x (a row, spread over the rows: A * x is A @ diag(x)); refused, naming both."""
        if target.rows != target.cols:
            return
        for ast_side, side, ast_other in ((a, left, b), (b, right, a)):
            decl = self.scope.symbols.get(ast_side.id) if isinstance(ast_side, ast.Name) \
                else None
            if decl is not None and decl.kind == "vector" and side.shape.is_column:
                x, m, n = ast_side.id, self.src(ast_other), str(target.rows)
                first, second = (f"{m} {op} ", "") if ast_side is b else ("", f" {op} {m}")
                raise self.error(
                    pos,
                    f"{self.src(a)} {op} {self.src(b)} is ambiguous: {x} is a column of the "
                    f"square {m}'s size, which the language spreads over the columns and "
                    f"NumPy (a 1-D {x}) over the rows; write {first}{x}.T{second} for the "
                    f"row in every row, {first}({x} @ ones(1, {n})){second} for the column "
                    "in every column",
                )

    def ones(self, rows, cols, pos: tuple[int, int]) -> Node:
        args = tuple(self.size_node(s, pos) for s in (rows, cols))
        return Call(Shape(rows, cols), pos, 1, fn="ones", args=args)

    def size_node(self, size, pos: tuple[int, int]) -> Node:
        if isinstance(size, Size) and not size.names:
            return Number(SCALAR, pos, value=Fraction(size.coef))
        if isinstance(size, Size) and size.coef == 1 and len(size.names) == 1:
            return DimValue(SCALAR, pos, name=size.names[0])
        raise self.error(pos, f"a row or column is broadcast along a dimension name or a "
                              f"number, not {size}; write the product with ones(...) yourself")

    # --- dispatch ---

    def expr(self, node: ast.AST) -> Node:
        if isinstance(node, ast.BinOp):
            return self.binop(node)
        if isinstance(node, ast.UnaryOp):
            return self.unary(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Attribute):
            return self.attribute(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Subscript):
            return self.subscript(node)
        if isinstance(node, ast.Compare):
            return self.compare(node)
        what = NOT_IN_LANGUAGE.get(type(node), f"{type(node).__name__}")
        hint = ("; for Σᵢ e write sum(e, i) with i declared index(n)"
                if isinstance(node, ast.GeneratorExp | ast.ListComp) else "")
        if isinstance(node, ast.IfExp):  # a if c else b, as code writes a case split
            hint = "; for a case split multiply by the indicators: (s > 0) * a + (s <= 0) * b"
        raise self.error(
            node,
            f"{what} is not in the language; it has numbers, declared symbols, "
            f"{ACCEPTED_OPERATORS} and its functions{hint}",
        )

    # --- leaves ---

    def name(self, node: ast.Name) -> Node:
        n = node.id
        pos = self.pos(node)
        written = ast.get_source_segment(self.text, node) or n
        if written != n or not n.isascii():
            # Python folds Unicode names (NFKC: "xᵀ" becomes "xT"); the language does not
            hint = "; write x.T for a transpose" if "ᵀ" in written else ""
            if "·" in written:
                hint = "; write * (element-wise, scaling) or @ (matrix product) for ·"
            elif written[:1] in "ΣΠ":
                hint = "; write sum(e, i) or prod(e, i) over an index declared index(n)"
            elif any("\u0370" <= ch <= "\u03ff" for ch in written):
                spelled = ascii_name(written)
                raise self.error(node, f'unknown name "{written}" (read as {spelled}); '
                                       f'declare it, e.g. "{written}: scalar" (a Greek letter '
                                       f"is read as its name: α as alpha, λ as lam)")
            elif any("MATHEMATICAL" in unicodedata.name(ch, "") or
                     unicodedata.east_asian_width(ch) == "F" for ch in written):
                # 𝑥, 𝐱 (a PDF's styled letters), ｘ (full width): the letter itself
                plain = unicodedata.normalize("NFKC", written)
                hint = f"; write {plain}: a styled letter pasted from a PDF is the letter itself"
            elif any(unicodedata.name(ch, "").startswith("MODIFIER LETTER SMALL")
                     or ch in "ⁿⁱ" for ch in written):  # γᵏ, xⁿ: a superscript letter
                hint = ("; a superscript letter is read as a power by a symbol declared integer "
                        "(or a dimension): write x^k or x ** k with k: integer (an index "
                        "counts from 0, so γ^k over k: index(T) starts at γ^0)")
            elif any(unicodedata.combining(ch) or unicodedata.decomposition(ch)
                     for ch in written):  # ŷ, x̄, θ̂: a letter with an accent
                hint = "; write the accent as a word: y_hat, x_bar"
            raise self.error(
                node, f'"{written}": names are ASCII letters, digits and _{hint}'
            )
        decl = self.scope.symbols.get(n)
        if decl is not None:
            if decl.kind == "index":  # an integer in 0..C-1: a subscript, a label, a number
                return Symbol(SCALAR, pos, name=n, kind="index", extent=decl.dims[0])
            r, c = decl.shape
            shape = SCALAR if decl.kind in ("scalar", "integer") else Shape(size_of(r),
                                                                            size_of(c))
            return Symbol(shape, pos, name=n, kind=decl.kind)
        if n in self.dims:
            return DimValue(SCALAR, pos, name=n)
        if n in CONSTANTS:
            return Constant(SCALAR, pos, name=n)
        if n in FUNCTIONS:
            raise self.error(node, f'"{n}" is a function; call it: {FUNCTIONS[n].signature}')
        identity = re.fullmatch(r"I(?:_\{?([A-Za-z]\w*|\d+)\}?)?", n)
        size = self._identity_size(identity.group(1)) if identity else None
        if size is not None:  # I_n, I (one size of square matrix in the claim): eye(n)
            eye = ast.Call(func=ast.Name(id="eye", ctx=ast.Load()),
                           args=[ast.Name(id=size, ctx=ast.Load()) if not size.isdigit()
                                 else ast.Constant(int(size))], keywords=[])
            for part in (eye, eye.func, *eye.args):  # placed at the name, no text of its own
                ast.copy_location(part, node)
                part.end_lineno = part.end_col_offset = None
            return self.expr(eye)
        if n in HINTS and n not in CALL_ONLY_HINTS:
            raise self.error(node, f'unknown name "{n}"; {HINTS[n]}')
        known = list(self.scope.symbols) + list(self.dims)
        listing = ", ".join(known) if known else "none"
        glued = _glued_names(n, [s for s, d in self.scope.symbols.items() if d.kind != "index"])
        if glued and any(self.scope.symbols[g].kind == "matrix" for g in glued) \
                and not self._postfix_after(node):
            # Wx, AB, XW: a product as a paper writes it, a declared matrix among its factors
            return self.expr(self._glued_product(node, glued))
        if glued and self._postfix_after(node):  # ABᵀ: A Bᵀ in maths, (AB)ᵀ in the parse
            last = " @ ".join(glued[:-1])
            raise self.error(node, f'unknown name "{n}"; write {" @ ".join(glued)} (every '
                                   f"product needs @ or *), with parentheses for what follows "
                                   f"it: {last} @ ({glued[-1]}…) or ({' @ '.join(glued)})…")
        if glued:  # xy, ab: two vectors or scalars glued could be one undeclared name
            raise self.error(node, f'unknown name "{n}"; write {" @ ".join(glued)} (every '
                                   f"product needs @ or *)")
        identity = re.fullmatch(r"I_?\{?([A-Za-z]\w*|\d+)\}?", n)
        if identity and (identity.group(1) in self.dims or identity.group(1).isdigit()):
            raise self.error(node, f'unknown name "{n}"; write eye({identity.group(1)}) for '
                                   "an identity matrix")
        ratio = re.search(rf"(?<![\w.]){re.escape(n)}\s*/\s*d([A-Za-z_]\w*)", self.text)
        if n.startswith("d") and len(n) > 1 and ratio:  # dL/dw, df/dx as notes write them
            raise self.error(node, f'unknown name "{n}"; write grad({n[1:]}, {ratio.group(1)}) '
                                   f"for {n}/d{ratio.group(1)} (jacobian(f, x) of a vector f)")
        if (entry := self._subscripted_name(n)) is not None:  # x_i, W_ij as in LaTeX
            raise self.error(node, f'unknown name "{n}"; for an entry write {entry} '
                                   "(counted from 0, each index a number or a symbol "
                                   "declared index(n))")
        raise self.error(
            node,
            f'unknown name "{n}"{did_you_mean(n, known) or ""}; '
            f"the claim declares: {listing}",
        )

    def _identity_size(self, written: str | None) -> str | None:
        """The size of I_n (a dimension or a number), or of a bare I where the claim's square
        matrices have one size (I − ηA, QᵀQ = I); None where it has no one size."""
        if written is not None:
            return written if written in self.dims or written.isdigit() else None
        squares = {str(d.dims[0]) for d in self.scope.symbols.values()
                   if d.kind == "matrix" and d.dims[0] == d.dims[1]}
        return next(iter(squares)) if len(squares) == 1 else None

    def _postfix_after(self, node: ast.AST) -> bool:
        """Does a transpose, power, index or call follow ``node`` (ABᵀ, Ax², Ax[i])?  On a
        glued product it applies to the last factor in maths and to the whole in the parse:
        such a product is refused, not read."""
        end = self._index(node, end=True)
        rest = self.text[end:].lstrip(" \t") if end is not None else ""
        return rest.startswith((".", "[", "(", "**", "^"))

    def _glued_inverse(self, node: ast.BinOp) -> ast.AST | None:
        """xᵀΣ⁻¹ (x.TSigma ** -1): the superscript is the last glued factor's, as in maths,
        x.T @ inv(Sigma) (round 18; was refused as a postfix after a glued product); None
        where the names after the transpose are not declared factors ending in a matrix."""
        attr = node.left
        assert isinstance(attr, ast.Attribute)
        if not attr.attr.startswith("T") or not self._glued_transpose(attr):
            return None
        names = self._glued_transpose_names(attr)
        if not names or self.scope.symbols[names[-1]].kind != "matrix":
            return None

        def at(new: ast.AST) -> ast.AST:
            return ast.copy_location(new, node)

        last = at(ast.Name(id=names[-1], ctx=ast.Load()))
        last.end_lineno = last.end_col_offset = None  # its text is the name (the check reads)
        inverse = at(ast.Call(func=at(ast.Name(id="inv", ctx=ast.Load())), args=[last],
                              keywords=[]))
        head = at(ast.Attribute(value=attr.value, attr="T", ctx=ast.Load()))
        product = self._glued_product(attr, names[:-1], head) if names[:-1] else head
        return at(ast.BinOp(left=product, op=ast.MatMult(), right=inverse))

    def _glued_product(self, node: ast.AST, names: list[str],
                       head: ast.AST | None = None) -> ast.AST:
        """Wx as W @ x, xᵀAx as x.T @ A @ x (``head``: x.T): matrix products, a scalar factor
        by *; placed where the name stands, each factor without a text of its own."""
        def at(new: ast.AST) -> ast.AST:
            return ast.copy_location(new, node)

        def name(n: str) -> ast.AST:
            out = at(ast.Name(id=n, ctx=ast.Load()))
            out.end_lineno = out.end_col_offset = None  # its text is n (the check reads text)
            return out

        scalar = {s for s, d in self.scope.symbols.items() if d.kind in ("scalar", "integer")}
        out, left_scalar = head, False
        for n in names:
            if out is None:
                out, left_scalar = name(n), n in scalar
                continue
            op = ast.Mult() if left_scalar or n in scalar else ast.MatMult()
            out = at(ast.BinOp(left=out, op=op, right=name(n)))
            left_scalar = left_scalar and n in scalar
        assert out is not None
        return out

    def _subscripted_name(self, n: str) -> str | None:
        """x_i or W_ij (LaTeX's subscripts) for a declared vector or matrix: the entry as the
        language writes it, x[i] or W[i, j]; None for any other name."""
        m = re.fullmatch(r"([A-Za-z][A-Za-z0-9]*)_([A-Za-z0-9]{1,2})", n)
        decl = self.scope.symbols.get(m.group(1)) if m else None
        if decl is None or decl.kind not in ("vector", "matrix"):
            return None
        name, keys = m.groups()
        if keys.isdigit() and set(keys) != {"0"}:  # x_1: the first entry, counting from 1
            one = [str(int(k) - 1) for k in keys] if len(keys) == 2 else [str(int(keys) - 1)]
            return (f"{name}[{', '.join(one)}] if the paper counts from 1 ({n} its entry "
                    f"{keys}), {name}[{', '.join(keys if len(keys) == 2 else [keys])}] if from "
                    f"0; an index declared index(n) needs neither: "
                    + (f"{name}_i is read as {name}[i]" if decl.kind == "vector" else
                       f"{name}_ij is read as {name}[i, j]"))
        if decl.kind == "vector":
            return f"{name}[{keys}]"
        if len(keys) == 1:
            return f"{name}[{keys}, :] (a row) or {name}[:, {keys}] (a column)"
        return f"{name}[{keys[0]}, {keys[1]}]"

    def constant(self, node: ast.Constant) -> Node:
        v = node.value
        pos = self.pos(node)
        if isinstance(v, bool) or v is None or v is Ellipsis:
            raise self.error(node, f"{v!r} is not in the language; numbers are")
        if isinstance(v, str | bytes):
            raise self.error(node, "a string literal is not in the language; "
                                   "write the expression itself, unquoted")
        if isinstance(v, complex):
            raise self.error(node, "complex numbers are not in the language")
        text = ast.get_source_segment(self.text, node) or str(v)
        clean = text.replace("_", "")
        if isinstance(v, int):
            if not clean.isdigit():
                raise self.error(node, f"write integers in decimal, not {text}")
            if len(clean.lstrip("0") or "0") > self.limits.digits:
                raise self.error(
                    node, f"an integer literal has at most {self.limits.digits} digits"
                )
            return Number(SCALAR, pos, value=Fraction(v))
        m = re.fullmatch(r"(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?", clean)
        if not m:
            raise self.error(node, f"cannot read the number {text}")
        digits = (m.group(1) + (m.group(2) or "")).lstrip("0")
        if len(digits) > self.limits.digits:
            raise self.error(node, f"a decimal number has at most {self.limits.digits} digits")
        if m.group(3) and abs(int(m.group(3))) > self.limits.decimal_exponent:
            raise self.error(
                node,
                f"a decimal exponent is at most {self.limits.decimal_exponent} "
                f"in size (1e{self.limits.decimal_exponent})",
            )
        return Number(SCALAR, pos, value=Fraction(clean))

    # --- operators ---

    def unary(self, node: ast.UnaryOp) -> Node:
        if isinstance(node.op, ast.USub | ast.UAdd):
            arg = self.expr(node.operand)
            op = "-" if isinstance(node.op, ast.USub) else "+"
            return Unary(arg.shape, self.pos(node), arg.degree, op=op, arg=arg)
        word = "not" if isinstance(node.op, ast.Not) else "~"
        raise self.error(node, f'"{word}" is not in the language; accepted: {ACCEPTED_OPERATORS}')

    def binop(self, node: ast.BinOp) -> Node:
        if self.juxtaposed and isinstance(node.op, ast.FloorDiv):
            return self.expr(self._juxtaposition(node))
        if isinstance(node.op, ast.Div) and isinstance(node.right, ast.Call) \
                and self._product_call(node.right):  # 1/2(a + b): 1/(2(a + b)) or (1/2)(a + b)?
            a, b = self.src(node.left), self.src(node.right.func)
            c = self.src(node.right.args[0])
            raise self.error(node, f"{a} / {b} ({c}): is ({c}) in the denominator? write "
                                   f"({a} / {b}) * ({c}) or {a} / ({b} * ({c}))")
        if isinstance(node.op, ast.Pow) and isinstance(node.left, ast.Call) \
                and self._product_call(node.left) and _unparenthesised_left(node):
            # c (a)^2: Python's (c(a)) ** 2, the power of the product; in maths of (a) alone
            return self.expr(self._postfix_into_factor(node.left, lambda a: ast.copy_location(
                ast.BinOp(left=a, op=ast.Pow(), right=node.right), node)))
        if isinstance(node.op, ast.Pow) and isinstance(node.left, ast.Attribute) \
                and _minus_one(node.right) and self.notation.inverses \
                and self._written_as(node, self.notation.inverses):
            glued = self._glued_inverse(node)
            if glued is not None:  # xᵀΣ⁻¹: x.T @ inv(Sigma), the last factor's inverse
                return self.expr(glued)
        if isinstance(node.op, ast.Pow):  # Σ⁻¹ (x − μ), s² (x + 1): the power, then a product
            split = _power_before_product(node, self._product_call)
            if split is not None:
                return self.expr(self._juxtaposition(split))
        op = OPERATORS.get(type(node.op))
        if op is None and self._written_with(node, self.notation.dots):
            return self.expr(self._middle_dot(node))  # x · y, 2 · s
        if op is None and self._written_with(node, self.notation.krons):
            return self.expr(self._kronecker(node))  # A ⊗ B
        if op is None and self._written_with(node, self.notation.times):
            return self.expr(self._times(node))  # 2 × s, s × t
        if op is None and self._is_hadamard(node):
            op = "*"
        if op == "@" and self._is_hadamard(node.left) and _unparenthesised_left(node):
            self._refuse_hadamard_beside_matmul(node.left, node)
        if op is None:
            token, hint = OTHER_OPERATORS.get(type(node.op), ("?", ""))
            if isinstance(node.op, ast.BitXor):  # A^T, A^-1 from LaTeX
                right = node.right  # ^ binds loosest: A^T @ x is A ^ (T @ x)
                while isinstance(right, ast.BinOp):
                    right = right.left
                if isinstance(right, ast.Set) and len(right.elts) == 1:  # A^{T}, A^{-1}
                    right = right.elts[0]
                if isinstance(right, ast.Name) and right.id == "T":
                    hint = f"for a transpose write {self.src(node.left)}.T"
                elif (isinstance(right, ast.UnaryOp) and isinstance(right.op, ast.USub)
                      and isinstance(right.operand, ast.Constant) and right.operand.value == 1):
                    hint = f"for an inverse write inv({self.src(node.left)})"
                    if self._is_scalar(node.left):  # ‖x‖^{-1}, s^-1: a reciprocal
                        hint = f"for a reciprocal write 1 / {_grouped(self.src(node.left))}"
                elif _base_of_power(node.left) == "e" and "e" not in self.scope.symbols:
                    power = node.right  # e^{-s}: the braces are LaTeX's grouping
                    if isinstance(power, ast.Set) and len(power.elts) == 1:
                        power = power.elts[0]
                    hint = f"for e^x write exp({self.src(power)})"  # 1 + e^(-s) too
            raise self.error(
                self.op_pos(node, token),
                f"operator {token} is not in the language"
                + (f"; {hint}" if hint else "")
                + f"; accepted: {ACCEPTED_OPERATORS}",
            )
        if (op == "**" and isinstance(node.right, ast.Name) and node.right.id == "T"
                and "T" not in self.scope.symbols and "T" not in self.dims):
            raise self.error(node.right, f"for a transpose write {self.src(node.left)}.T "
                                         "(T is not declared)")
        left, right = self.expr(node.left), self.expr(node.right)
        pos = self.op_pos(node, op)
        if op == "@":
            return self.matmul(node, left, right, pos)
        if op == "**":
            return self.power(node, left, right, pos)
        left, right = self.scalarize(left), self.scalarize(right)
        if left.shape.is_matrix and right.shape.is_matrix and left.shape != right.shape:
            target = _broadcast(left.shape, right.shape)
            if target is None and (id(left) in self.expanded or id(right) in self.expanded):
                target = _table(left.shape, right.shape)  # x[:, None] - y[None, :]: asked for
            if target is None:
                raise self.error(
                    pos,
                    f"shapes do not fit: {self.src(node.left)} is {left.shape}, "
                    f"{self.src(node.right)} is {right.shape} in {self.src(node)} "
                    f"(element-wise {op} needs equal shapes; a scalar broadcasts, and so does "
                    "a 1×m row over the rows of an n×m matrix or an n×1 column over its "
                    f"columns{_broadcast_hint(left.shape, right.shape, op, self.src(node))})",
                )
            self._square_spread(node.left, node.right, left, right, target, op, pos)
            for side, ast_side in ((left, node.left), (right, node.right)):
                if id(side) in self.one_d and side.shape.is_column and target.cols != ONE:
                    w = self.src(ast_side)
                    raise self.error(pos, f"{w} is 1-D in NumPy and PyTorch (a value per row) "
                                          "and broadcasts along the last axis, pairing row "
                                          "i's value with column i, where the language spreads "
                                          f"it over each row; write {w[:-1]}, keepdims=True) "
                                          "(keepdim=True in PyTorch, or [:, None] after it) "
                                          "for the row-wise reading")
            left, right = self.spread(left, target, pos), self.spread(right, target, pos)
        if op == "/" and isinstance(right, Number) and right.value == 0:
            raise self.error(pos, "division by zero")
        shape = left.shape if left.shape.is_matrix else right.shape
        return Binary(shape, pos, max(left.degree, right.degree), op=op, left=left, right=right)

    def _juxtaposition(self, node: ast.BinOp) -> ast.AST:
        r"""``a b`` written side by side: ``a * b`` beside a scalar, ``a @ b`` where the sizes
        of two matrices fit; refused between two columns (xᵀy, xyᵀ or x ⊙ y?), where they do
        not fit, and after an unparenthesised division (a / b c: (a / b) c or a / (b c)?)
        other than of a number (1/2 xᵀAx, 1/n Σ_i x_i, 1/(n - 1) Σ_i: the coefficient, as every
        paper means it).  A function's name beside an operand is its call (\log \sum_j …,
        \log p_i), but not beside two (log x y: log(x y) or log(x) y?)."""
        if isinstance(node.left, ast.Name) and self._unary_function(node.left.id):
            inner = node.left
            call = ast.Call(func=inner, args=[node.right], keywords=[])
            return ast.copy_location(call, node)
        if self._signed_function(node.left):  # -\log s, as Python groups it (-log) s
            call = ast.copy_location(ast.Call(func=node.left.operand, args=[node.right],
                                              keywords=[]), node)
            return ast.copy_location(ast.UnaryOp(op=node.left.op, operand=call), node)
        if isinstance(node.left, ast.BinOp) and isinstance(node.left.op, ast.FloorDiv) \
                and isinstance(node.left.right, ast.Name) \
                and self._unary_function(node.left.right.id):  # y log p: y times log(p)
            call = ast.copy_location(ast.Call(func=node.left.right, args=[node.right],
                                              keywords=[]), node.left.right)
            return self._juxtaposition(ast.copy_location(
                ast.BinOp(left=node.left.left, op=ast.FloorDiv(), right=call), node))
        head = self._function_before(node.left)
        if head is not None:  # f a b, also after a factor (y log s u): one operand or two?
            inner, f = node.left, head if isinstance(head, ast.Name) else head.right
            if self._function_call(node.right):  # \sin x \cos y: sin(x) cos(y), as typeset
                call = ast.copy_location(ast.Call(func=f, args=[inner.right], keywords=[]),
                                         inner)
                left = call if head is f else ast.copy_location(
                    ast.BinOp(left=head.left, op=ast.FloorDiv(), right=call), inner)
                return self._juxtaposition(ast.copy_location(
                    ast.BinOp(left=left, op=ast.FloorDiv(), right=node.right), node))
            a, b = self.src(inner.right), self.src(node.right)
            raise self.error(node, f"{f.id} {a} {b}: write the call with its parentheses, "
                                   f"{f.id}({a} {b}) or {f.id}({a}) {b}")
        written = f"{self.src(node.left)} {self.src(node.right)}"
        left = node.left
        if isinstance(left, ast.BinOp) and isinstance(left.op, ast.Div) \
                and _unparenthesised_left(node) and not _number_literal(left.left) \
                and not _number_literal(left.right):  # λ/2 ‖w‖²: (λ/2) ‖w‖²
            a, b, c = self.src(left.left), self.src(left.right), self.src(node.right)
            raise self.error(node, f"{a} / {b} {c}: is {c} in the denominator? write "
                                   f"({a} / {b}) * {c} or {a} / ({b} * {c})")
        a = self.scalarize(self.expr(node.left)).shape
        b = self.scalarize(self.expr(node.right)).shape
        op: ast.operator = ast.Mult()
        if a.is_matrix and b.is_matrix:
            if a.cols != b.rows:
                hint = (" (x.T @ y for the inner product, x @ y.T the outer one, x * y entry "
                        "by entry)") if a.is_column and b.is_column else ""
                raise self.error(node, f"{written}: a {a} beside a {b} is no matrix product"
                                       f"{hint}; write the product with @ or *")
            op = ast.MatMult()
        return ast.copy_location(ast.BinOp(left=node.left, op=op, right=node.right), node)

    def _postfix_into_factor(self, call: ast.Call, postfix) -> ast.AST:
        """``f (a)`` followed by a power, an index or a transpose, which maths applies to the
        parenthesised factor (1/n (Σ x)², c (x)ᵀ) and Python to the whole product."""
        inner = postfix(call.args[0])
        return self._juxtaposition(ast.copy_location(
            ast.BinOp(left=call.func, op=ast.FloorDiv(), right=inner), call))

    def _product_call(self, node: ast.Call) -> bool:
        """Is ``node`` a product written as a call: a number, a parenthesised expression or a
        declared symbol before one parenthesised factor (2(s + 1), (a + b)(a - b), γ(x − μ))?"""
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            return False
        func = node.func
        if isinstance(func, ast.Name):
            if func.id in self.scope.symbols:
                self._refuse_function_letter(node, func.id)
            return func.id in self.scope.symbols
        if isinstance(func, ast.UnaryOp):
            func = func.operand
        if isinstance(func, ast.Attribute):  # (a − b)ᵀ (a − b), x.T (A x)
            return func.attr == "T"
        return isinstance(func, ast.Constant | ast.BinOp | ast.Subscript | ast.Call) \
            and not (isinstance(func, ast.Constant) and not isinstance(func.value, int | float))

    def _refuse_function_letter(self, node: ast.Call, name: str) -> None:
        """f(x), L(θ), p(x) of a declared scalar or vector named as papers name functions:
        a call there (f(2x) = 2 f(x) would be proved as a product), refused (round 18); c(x),
        γ(x − μ), p(1 − p), h(1 − h) stay products."""
        if self.scope.symbols[name].kind not in ("scalar", "vector"):
            return
        bare = isinstance(node.args[0], ast.Name)
        if any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node.args[0])):
            return  # h(1 − h), f(1 − f): the symbol beside an expression of itself, a product
        if name in _FUNCTION_LETTERS or (name in _DENSITY_LETTERS and bare):
            arg = self.src(node.args[0])
            raise self.error(node, f"{name}({arg}) reads as a function {name} called at {arg} "
                                   f"in papers, and the language has no functions of your "
                                   f"own: write {name} * ({arg}) for the product, or {name}'s "
                                   "formula itself in place of the call")

    def _unary_function(self, name: str) -> bool:
        """Is ``name`` a function of one argument, not a declared symbol (log, exp, tr)?"""
        if name in self.scope.symbols:
            return False
        name = CAPITALISED.get(name, name)
        fn = FUNCTIONS.get(name)
        if fn is not None:
            return len(fn.args) - fn.optional <= 1 and name not in DERIVATIVES
        return name in ALIASES and ALIAS_ARITY.get(name, 1) == 1

    def _function_before(self, node: ast.AST) -> ast.AST | None:
        """In ``f a`` (``node``, juxtaposed) or ``c f a``: the function's name f, or ``c f``;
        None where no function's name stands just before the operand a."""
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.FloorDiv)):
            return None
        head = node.left
        if isinstance(head, ast.Name) and self._unary_function(head.id):
            return head
        if self._signed_function(head):  # -log s u: one operand or two, as log s u
            return ast.copy_location(ast.BinOp(left=ast.copy_location(
                ast.UnaryOp(op=head.op, operand=ast.Constant(1)), head), op=ast.FloorDiv(),
                right=head.operand), head)
        if isinstance(head, ast.BinOp) and isinstance(head.op, ast.FloorDiv) \
                and isinstance(head.right, ast.Name) and self._unary_function(head.right.id):
            return head
        return None

    def _signed_function(self, node: ast.AST) -> bool:
        """Is ``node`` a function's name after a sign (-log in -log s)?"""
        return isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd) \
            and isinstance(node.operand, ast.Name) and self._unary_function(node.operand.id)

    def _function_call(self, node: ast.AST) -> bool:
        """Is ``node`` a call of a one-argument function (cos(y), also as read from cos y)?
        Another function's name ends the argument before it: \\sin x \\cos y is sin(x) cos(y),
        where log s u (log(s u) or log(s) u?) stays refused."""
        return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and self._unary_function(node.func.id)

    def _is_scalar(self, node: ast.AST) -> bool:
        """Does ``node`` read as a scalar (False where it does not read at all)?"""
        try:
            shape = self.expr(node).shape
        except ClaimInputError:
            return False
        return shape.is_scalar or shape.is_one_by_one

    def _is_hadamard(self, node: ast.AST) -> bool:
        """Is ``node`` a ``%`` that the user wrote as ⊙?"""
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod)
                and self.notation.hadamard):
            return False
        start, stop = self._index(node.left, end=True), self._index(node.right, end=False)
        if start is None or stop is None:
            return False
        k = self.text.find("%", start, stop)
        if k >= 0 and k - 1 in self.notation.hadamard:  # self.text is the text wrapped in (
            if isinstance(node.left, ast.BinOp) and isinstance(node.left.op, ast.MatMult) \
                    and _unparenthesised_left(node):
                self._refuse_hadamard_beside_matmul(node, node.left)
            return True
        return False

    def _written_with(self, node: ast.AST, marks: frozenset[int]) -> bool:
        """Is ``node`` a ``%`` that the user wrote as the mark recorded in ``marks``?"""
        if not (marks and isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod)):
            return False
        start, stop = self._index(node.left, end=True), self._index(node.right, end=False)
        k = -1 if start is None or stop is None else self.text.find("%", start, stop)
        return k >= 0 and k - 1 in marks  # self.text is the text wrapped in (

    def _beside_matmul(self, node: ast.BinOp, mark: str) -> None:
        """x · A @ y, A ⊗ B @ C: NumPy groups from the left, a paper may not; refused."""
        if isinstance(node.left, ast.BinOp) and isinstance(node.left.op, ast.MatMult) \
                and _unparenthesised_left(node):
            raise self.error(self.op_pos(node, "%"), f"{mark} beside @ without parentheses can "
                                                     "be read two ways: add parentheses")

    def _middle_dot(self, node: ast.BinOp) -> ast.AST:
        """a · b: a product where a side is a scalar, the inner product of two vectors of one
        length (x · y = xᵀy); between matrices refused (@ or the element-wise *?)."""
        self._beside_matmul(node, "·")
        left, right = self.expr(node.left), self.expr(node.right)

        def at(new: ast.AST) -> ast.AST:
            return ast.copy_location(new, node)

        if left.shape.is_scalar or right.shape.is_scalar or left.shape.is_one_by_one \
                or right.shape.is_one_by_one:
            return at(ast.BinOp(left=node.left, op=ast.Mult(), right=node.right))
        if left.shape == right.shape and left.shape.is_column:
            return at(ast.BinOp(left=at(ast.Attribute(value=node.left, attr="T",
                                                      ctx=ast.Load())),
                                op=ast.MatMult(), right=node.right))
        a, b = self.src(node.left), self.src(node.right)
        raise self.error(self.op_pos(node, "%"),
                         f"{a} · {b}: a · is read between scalars, a scalar and anything, or two "
                         f"vectors of one length (their inner product); here write "
                         f"{_grouped(a)} @ {_grouped(b)} for the matrix product or "
                         f"{_grouped(a)} * {_grouped(b)} for the element-wise one")

    def _times(self, node: ast.BinOp) -> ast.AST:
        """a × b: a product where a side is a scalar; of two vectors the cross product (of
        3-vectors), of matrices @ or * in different texts: refused with what to write."""
        self._beside_matmul(node, "×")
        left, right = self.expr(node.left), self.expr(node.right)
        if left.shape.is_scalar or right.shape.is_scalar or left.shape.is_one_by_one \
                or right.shape.is_one_by_one:
            return ast.copy_location(ast.BinOp(left=node.left, op=ast.Mult(),
                                               right=node.right), node)
        a, b = _grouped(self.src(node.left)), _grouped(self.src(node.right))
        if left.shape.is_column and right.shape.is_column:
            what, write = ("the cross product of 3-vectors, which the language does not have",
                           f"{a}.T @ {b} for the inner product, {a} * {b} for the element-wise "
                           "one")
        else:
            what, write = ("the matrix product in some texts and the element-wise one in "
                           "others", f"{a} @ {b} for the matrix product, {a} * {b} for the "
                           "element-wise one")
        raise self.error(self.op_pos(node, "%"), f"{a} × {b}: × is read as a product where a "
                                                 f"side is a scalar; between these it is {what}:"
                                                 f" write {write}")

    def _kronecker(self, node: ast.BinOp) -> ast.AST:
        """A ⊗ B of matrices: kron(A, B); of two vectors refused (uvᵀ in many ML texts)."""
        self._beside_matmul(node, "⊗")
        left, right = self.expr(node.left), self.expr(node.right)
        a, b = self.src(node.left), self.src(node.right)
        if left.shape.is_column and right.shape.is_column:
            raise self.error(self.op_pos(node, "%"),
                             f"{a} ⊗ {b} of two vectors is their outer product {a} @ {b}.T "
                             f"in many texts and the Kronecker product kron({a}, {b}) (a "
                             "vector) in others: write the one meant")
        if left.shape.is_scalar or right.shape.is_scalar:
            raise self.error(self.op_pos(node, "%"), f"{a} ⊗ {b}: ⊗ takes two matrices; "
                                                     "write * to scale")
        return ast.copy_location(ast.Call(
            func=ast.copy_location(ast.Name(id="kron", ctx=ast.Load()), node),
            args=[node.left, node.right], keywords=[]), node)

    def _refuse_hadamard_beside_matmul(self, hadamard: ast.BinOp, matmul: ast.BinOp) -> None:
        """a ⊙ B @ c: NumPy's precedence reads (a ⊙ B) @ c, a paper may mean a ⊙ (B @ c)."""
        def shown(node: ast.AST) -> str:  # a factor as the language writes it
            return _grouped(self.src(node).replace("%", "*"))

        a, b = shown(hadamard.left), shown(hadamard.right)
        if matmul.left is hadamard:  # (a ⊙ b) @ c
            c = shown(matmul.right)
            first, second = f"({a} * {b}) @ {c}", f"{a} * ({b} @ {c})"
        else:  # a @ b ⊙ c
            x, y = shown(matmul.left), shown(matmul.right)
            first, second = f"({x} @ {y}) * {b}", f"{x} @ ({y} * {b})"
        raise self.error(self.op_pos(hadamard, "%"),
                         f"⊙ beside @ without parentheses can be read two ways: write {first} "
                         f"or {second} (⊙ is the element-wise *)")

    def _induced_norm_refused(self, node: ast.Call, args: list[Node]) -> None:
        """‖A‖, ‖A‖₂, ‖A‖₁, ‖A‖_∞ of a matrix: induced norms in most texts; refused."""
        start = self._index(node, end=False)
        written = self.notation.norms.get(start - 1) if start is not None else None
        if written is None or written == "‖·‖_F" or not args:
            return
        shape = args[0].shape
        if written in ("√", "e^"):  # √A, e^A of a square matrix: its matrix root, exponential
            if shape.is_square and not shape.is_one_by_one:
                name = self.src(node.args[0])
                what = "square root" if written == "√" else "exponential"
                fn = "sqrt" if written == "√" else "exp"
                raise self.error(node, f"{written}{_grouped(name)} of a square matrix is its "
                                       f"matrix {what} "
                                       f"in maths (not in the language); write {fn}({name}) "
                                       "for the element-wise one")
            return
        if written == "|·|":  # |s| of a scalar is abs; of a vector or a matrix refused
            name = self.src(node.args[0])
            if shape.is_matrix and shape.rows != ONE and shape.cols != ONE:
                raise self.error(node, f"|{name}| of a matrix is its determinant in many notes "
                                       f"(log|Σ|), every entry's absolute value in others: "
                                       f"write det({name}) (log|{name}|: logdet({name}) or "
                                       f"log(abs(det({name})))) or abs({name})")
            if shape.is_matrix and not shape.is_one_by_one:
                raise self.error(node, f"|{name}| of a vector is its norm in some texts and "
                                       f"every entry's absolute value in others: write "
                                       f"norm({name}) or abs({name})")
            return
        if shape.is_matrix and shape.rows != ONE and shape.cols != ONE:
            meaning = {"‖·‖": "the spectral norm in most texts, the Frobenius norm in others",
                       "‖·‖_2": "the spectral norm", "‖·‖_1": "the largest column sum",
                       "‖·‖_∞": "the largest row sum"}[written]
            inner = node.args[0]
            if isinstance(inner, ast.Call) and inner.args and written in ("‖·‖_1", "‖·‖_∞"):
                inner = inner.args[0]
            name = self.src(inner)
            raise self.error(node, f"{written.replace('·', name)} of a matrix is {meaning}; "
                                   "write ‖A‖_F or norm(A) for the Frobenius norm, sum(abs(A)) "
                                   "for the entry-wise 1-norm (the induced norms are not in "
                                   f"the language); {NORM_SPELLINGS}")

    def matmul(self, node: ast.BinOp, left: Node, right: Node, pos: tuple[int, int]) -> Node:
        for side, ast_side in ((left, node.left), (right, node.right)):
            if side.shape.is_scalar:
                raise self.error(
                    pos,
                    f"@ is the matrix product and {self.src(ast_side)} is a scalar; "
                    "to scale, write *",
                )
        if left.shape.cols != right.shape.rows and self._one_dimensional(node.left, left, right):
            # x @ y, x @ A as NumPy reads a 1-D x: the inner product xᵀy, the 1-D xᵀA (Aᵀx,
            # kept a column as every 1-D array of the language is); a column-vector writer
            # has no other meaning for them (the shapes do not fit)
            flipped = Transpose(left.shape.T, left.pos, left.degree, arg=left)
            if right.shape.is_column:
                return Binary(Shape(ONE, ONE), pos, max(left.degree, right.degree), op="@",
                              left=flipped, right=right)
            turned = Transpose(right.shape.T, right.pos, right.degree, arg=right)
            return Binary(Shape(right.shape.cols, ONE), pos, max(left.degree, right.degree),
                          op="@", left=turned, right=left)
        if left.shape.cols != right.shape.rows:
            hint = ""
            if left.shape.is_one_by_one or right.shape.is_one_by_one:
                one = node.left if left.shape.is_one_by_one else node.right
                hint = (f"; {self.src(one)} is 1×1, a scalar: to scale by it write * "
                        f"(({self.src(node.left)}) * {self.src(node.right)})"
                        if left.shape.is_one_by_one else
                        f"; {self.src(one)} is 1×1, a scalar: to scale by it write *")
            elif left.shape == right.shape and (left.shape.is_column or left.shape.rows == ONE):
                a, b = self.src(node.left), self.src(node.right)
                a, b = _factor(a), _factor(b)  # (x * y).T, not x * y.T
                if left.shape.is_column:
                    hint = f"; the inner product is {a}.T @ {b}, the outer one {a} @ {b}.T"
                else:  # rows: x.T @ y.T's inner product is x.T @ y
                    a_col, b_col = (t[:-2] if t.endswith(".T") else f"{t}.T" for t in (a, b))
                    hint = f"; the inner product is {a} @ {b_col}, the outer one {a_col} @ {b}"
            raise self.error(
                pos,
                f"shapes do not fit: {self.src(node.left)} is {left.shape}, "
                f"{self.src(node.right)} is {right.shape} in {self.src(node)}{hint}",
            )
        if left.shape.is_column and right.shape.rows == ONE and left.shape.rows != ONE \
                and self._one_dimensional_outer(node) and _NUMPY_STYLE.search(self.text):
            a, b = self.src(node.left), self.src(node.right)[:-2]
            raise self.error(pos, f"{a} @ {b}.T of vectors, beside NumPy code: in NumPy {b}.T "
                                  f"of a 1-D array is {b} itself and {a} @ {b}.T the inner "
                                  f"product, in maths {a} {b}ᵀ is the outer product; write "
                                  f"np.outer({a}, {b}) (or {a}[:, None] * {b}[None, :]) for the "
                                  f"outer one, {a} @ {b} for the inner one")
        shape = Shape(left.shape.rows, right.shape.cols)
        return Binary(shape, pos, max(left.degree, right.degree), op="@", left=left, right=right)

    def _one_dimensional_outer(self, node: ast.BinOp) -> bool:
        """Is ``node`` written x @ y.T with x and y declared vectors (1-D arrays in NumPy)?"""
        def vector(n: ast.AST) -> bool:
            decl = self.scope.symbols.get(n.id) if isinstance(n, ast.Name) else None
            return decl is not None and decl.kind == "vector"
        right = node.right
        if not (vector(node.left) and isinstance(right, ast.Attribute) and right.attr == "T"
                and vector(right.value)):
            return False
        written = ast.get_source_segment(self.text, right) or ""  # not np.outer's reading
        return " ".join(written.split()) in (f"{right.value.id}.T", f"{right.value.id} .T")

    def _one_dimensional(self, written: ast.AST, left: Node, right: Node) -> bool:
        """Is ``left @ right`` NumPy's product of a 1-D array on the left: a column of the
        right's height (not 1), not a symbol declared matrix(n, 1) (a 2-D array)?"""
        if not left.shape.is_column or left.shape.rows == ONE \
                or left.shape.rows != right.shape.rows:
            return False
        declared = self.scope.symbols.get(written.id) if isinstance(written, ast.Name) else None
        return declared is None or declared.kind != "matrix"

    def _written_as(self, node: ast.BinOp, marks: frozenset[int]) -> bool:
        """Was this ``**`` a superscript of the text (its index in ``marks``)?"""
        start, stop = self._index(node.left, end=True), self._index(node.right, end=False)
        k = -1 if start is None or stop is None else self.text.find("**", start, stop)
        return k - 1 in marks  # self.text is wrapped in (

    def power(self, node: ast.BinOp, base: Node, exponent: Node, pos: tuple[int, int]) -> Node:
        if isinstance(exponent, Symbol) and exponent.kind == "index" and base.shape.is_matrix \
                and not base.shape.is_one_by_one and self.notation.superscripts \
                and self._written_as(node, self.notation.superscripts):
            # x^i of a vector with i an index: sample i in many ML notes, or a power?
            a, i = self.src(node.left), exponent.name
            raise self.error(pos, f"{a}^{i} with {i} an index: sample {i} in many notes "
                                  f"(write the row X[{i}, :] or the entry {a}[{i}]), or a "
                                  f"power by {i} (write {a} ** {i})")
        if self.notation.transposes and base.shape.is_matrix and not base.shape.is_one_by_one \
                and self._written_as(node, self.notation.transposes):
            # K^T with T a declared size: a power of a matrix by T is not in the language, its
            # transpose is what is meant
            return Transpose(base.shape.T, pos, base.degree, arg=base)
        if self.notation.transposes and base.shape.is_one_by_one \
                and self._written_as(node, self.notation.transposes):
            a = self.src(node.left)
            raise self.error(pos, f"{a}^T of a 1×1 product: its transpose is itself, or a power "
                                  f"by the size T: write {_grouped(a)} or {_grouped(a)} ** T")
        base, exponent = self.scalarize(base), self.scalarize(exponent)
        if self.notation.inverses and base.shape.is_matrix and not base.shape.is_one_by_one \
                and self._written_as(node, self.notation.inverses):
            a = self.src(node.left)
            if not base.shape.is_square:
                raise self.error(pos, f"{a}⁻¹: {a} is {base.shape}, not square; for "
                                      f"element-wise reciprocals write 1 / {_grouped(a)}")
            inverse = ast.copy_location(ast.Call(
                func=ast.copy_location(ast.Name(id="inv", ctx=ast.Load()), node),
                args=[node.left], keywords=[]), node)
            if _transposed_one(node.right):  # A⁻¹ ᵀ, A^{-1}.T: Python reads -(1 .T)
                inverse = ast.copy_location(ast.Attribute(value=inverse, attr="T",
                                                          ctx=ast.Load()), node)
            elif not _minus_one(node.right):
                raise self.error(pos, f"{self.src(node)}: after the inverse's -1 write the "
                                      f"transpose as {_grouped(self.src(node.left))}⁻¹ᵀ or "
                                      f"inv({self.src(node.left)}).T")
            return self.expr(inverse)  # A⁻¹, A^{-1}: the inverse, as maths writes it
        if self.notation.superscripts and base.shape.is_matrix \
                and ONE not in (base.shape.rows, base.shape.cols):
            start, stop = self._index(node.left, end=True), self._index(node.right, end=False)
            k = -1 if start is None or stop is None else self.text.find("**", start, stop)
            if k - 1 in self.notation.superscripts:  # self.text is wrapped in (
                a, power = self.src(node.left), self.src(node.right)
                square = (f"write {' @ '.join([_grouped(a)] * int(power))} for the matrix "
                          "power, " if base.shape.is_square and power.isdigit() else
                          "the language has no symbolic matrix power; " if base.shape.is_square
                          else "")
                raise self.error(pos, f"{a} to the power {power} written as a superscript is "
                                      f"the matrix power in maths; {square}write "
                                      f"{_grouped(a)} ** {_grouped(power)} for the element-wise "
                                      "power")
        if exponent.shape.is_matrix:
            raise self.error(
                pos, f"the exponent must be a scalar; {self.src(node.right)} is {exponent.shape}"
            )
        if _is_constant(exponent):
            k = _plain_number(exponent)
            lim = self.limits.exponent
            if k is None:
                raise self.error(
                    node.right,
                    f"the exponent {self.src(node.right)} is not a plain number; write an "
                    f"integer (|k| ≤ {lim}) or a fraction such as 1/2",
                )
            if abs(k.numerator) > lim or k.denominator > lim:
                raise self.error(
                    node.right,
                    f"the exponent {self.src(node.right)} is too large; integers |k| ≤ {lim} "
                    f"and fractions p/q with |p|, q ≤ {lim} are accepted",
                )
            if base.shape.is_square and not base.shape.is_one_by_one and (
                    k < 0 or k.denominator != 1):
                # A ** -1 reads as the inverse in maths and as 1 / A in NumPy
                raise self.error(
                    pos,
                    f"{self.src(node)}: a power of a square matrix by {k} is ambiguous: "
                    "** is element-wise, as in NumPy; for the inverse write "
                    f"inv({self.src(node.left)}), for element-wise reciprocals "
                    f"1 / {_grouped(self.src(node.left))}, for element-wise square roots "
                    f"sqrt({self.src(node.left)})",
                )
            degree = base.degree * max(1, abs(k.numerator))
            if degree > self.limits.degree:
                raise self.error(
                    pos,
                    f"powers nested too high (total exponent {degree}; at most "
                    f"{self.limits.degree})",
                )
        else:
            # sound only where the value stays real: integer exponents, or a positive base
            if not (_integer_valued(exponent, self.scope.integer_valued)
                    or _positive_constant(base)) \
                    and (not base.shape.is_matrix or ONE in (base.shape.rows, base.shape.cols)) \
                    and _positive_form(base, self.scope):
                # x ** a with a real and x > 0 assumed (or positive by its form, exp(s),
                # x ** a again): there it is exp(a log x). Without x > 0 it stays refused:
                # (-1) ** 1 is real, and exp(a log x) would drop such points
                at = lambda n: ast.copy_location(n, node)  # noqa: E731
                return self.expr(at(ast.Call(
                    func=at(ast.Name(id="exp", ctx=ast.Load())),
                    args=[at(ast.BinOp(left=node.right, op=ast.Mult(), right=at(ast.Call(
                        func=at(ast.Name(id="log", ctx=ast.Load())), args=[node.left],
                        keywords=[]))))],
                    keywords=[])))
            if not (_integer_valued(exponent, self.scope.integer_valued)
                    or _positive_constant(base)):
                raise self.error(
                    node.right,
                    "a symbolic exponent must be integer-valued (integer and index symbols, "
                    "dimensions, entries of a symbol assumed binary or one-hot, e.g. beta ** t "
                    "with t: integer, h ** y[i] with y binary) or have a positive number as "
                    "its base (2 ** s); for e ** s write exp(s), and for a positive base "
                    f"write exp({_grouped(self.src(node.right))} * "
                    f"log({self.src(node.left)})) (the same function where "
                    f"{self.src(node.left)} > 0)",
                )
            if base.shape.is_matrix:
                raise self.error(pos, "a symbolic exponent needs a scalar base")
            if _contains_power(exponent):
                raise self.error(node.right, "powers of powers in an exponent are not accepted")
            degree = base.degree
        return Binary(base.shape, pos, degree, op="**", left=base, right=exponent)

    def attribute(self, node: ast.Attribute, call: ast.Call | None = None) -> Node:
        """``.T``, or a refusal saying what to write (``call``: the method call it is part
        of, x.clip(-1, 1), whose arguments the function form keeps)."""
        if node.attr == "T" and isinstance(node.value, ast.Call) \
                and self._product_call(node.value) and _same_start(node, node.value):
            # c (x)ᵀ: the factor's transpose (not (c (x))ᵀ, the product's)
            return self.expr(self._postfix_into_factor(node.value, lambda a: ast.copy_location(
                ast.Attribute(value=a, attr="T", ctx=ast.Load()), node)))
        if node.attr == "T":
            arg = self.expr(node.value)
            return Transpose(arg.shape.T, self.pos(node), arg.degree, arg=arg)
        if node.attr == "mT" and call is None and not (
                self.expr(node.value).shape.is_column or self.expr(node.value).shape.is_scalar):
            # W.mT: PyTorch's transpose of the last two axes, W.T of a matrix (round 18); of
            # a vector (1-D in PyTorch, where .mT is an error) refused below
            return self.expr(ast.copy_location(
                ast.Attribute(value=node.value, attr="T", ctx=ast.Load()), node))
        where = self._attr_pos(node)
        prefix = _dotted(node.value)
        if call is None and prefix is not None and prefix.split(".")[0] in LIBRARY_HEADS \
                and prefix.split(".")[0] not in self.scope.symbols and node.attr in ("pi", "e"):
            # np.pi, math.pi, torch.pi; np.e is exp(1)
            named = ast.copy_location(ast.Name(id="pi", ctx=ast.Load()), node)
            named.end_lineno = named.end_col_offset = None  # no text of its own: "pi"
            if node.attr == "e":
                one = ast.copy_location(ast.Constant(1), node)
                one.end_lineno = one.end_col_offset = None
                named = ast.copy_location(ast.Call(func=ast.copy_location(
                    ast.Name(id="exp", ctx=ast.Load()), node), args=[one], keywords=[]), node)
            return self.expr(named)
        known = node.attr in FUNCTIONS or node.attr in ALIASES
        library = prefix is not None and prefix.split(".")[0] in LIBRARY_HEADS
        if library and known:
            raise self.error(where, f'write {node.attr}(...) without the "{prefix}." prefix')
        # F.kl_div: what torch computes, not the maths' argument order; else the usual hint
        said = _LIBRARY_MEANINGS.get(node.attr) or HINTS.get(node.attr)
        if library and said:
            raise self.error(where, f'"{prefix}.{node.attr}" is not in the language; {said}')
        if known and node.attr not in ("transpose", "dot"):
            args = [self.src(a) for a in call.args] if call is not None else []
            args += [self.src(k) for k in call.keywords] if call is not None else []
            written = ", ".join(args)
            obj = self.src(node.value)
            numeric = len(args) == 1 and re.fullmatch(r"-?\d+", args[0]) is not None
            if numeric and node.attr in ("max", "min"):  # x.max(0): an axis, not max(x, 0)
                which = "largest" if node.attr == "max" else "smallest"
                raise self.error(where, f"the language has functions, not methods: write "
                                        f"{node.attr}({obj}) for the {which} of all entries; "
                                        f"{obj}.{node.attr}({written}) is NumPy's {which} "
                                        "along an axis, which of a matrix the language does "
                                        f"not have ({node.attr}(a, b) is element-wise)")
            takes_axis = node.attr in FUNCTIONS and FUNCTIONS[node.attr].axis_shape is not None
            if takes_axis and numeric:
                args = [f"axis={args[0]}"]  # x.sum(0): NumPy's axis, not an index
            raise self.error(where, f'the language has functions, not methods: write '
                                    f"{node.attr}({', '.join([self.src(node.value), *args])})"
                                    f" for {self.src(node.value)}.{node.attr}({written})")
        glued = self._glued_transpose(node)
        if glued:
            names = self._glued_transpose_names(node)
            if names and not self._postfix_after(node):
                # xᵀAx, xᵀy: the ᵀ says a product follows, as papers write it
                head = ast.copy_location(ast.Attribute(value=node.value, attr="T",
                                                       ctx=ast.Load()), node)
                return self.expr(self._glued_product(node, names, head))
            raise self.error(where, glued)
        hint = {
            "I": "; for an inverse write inv(A)",
            "transpose": "; write X.T",
            **dict.fromkeys(("t", "mT"), f"; write {self.src(node.value)}.T"),
            "H": f"; for a real matrix the conjugate transpose is {self.src(node.value)}.T",
            "dot": "; for a matrix product write a @ b (of two vectors, dot(a, b))",
            "inv": "; write inv(A)",
            "diagonal": "; write diag(A)",
            **dict.fromkeys(("shape", "size"), "; for a size write the dimension's name "
                                               "(x: vector(n) has n entries)"),
            "masked_fill": "; a masked softmax is exp(s) * m / sum(exp(s) * m) with m binary "
                           "(1 where a key is kept), a fill m * s + (1 - m) * c",
        }.get(node.attr, "")
        module = node.value.id if isinstance(node.value, ast.Name) else None
        if module in LIBRARY_HEADS and module not in self.scope.symbols:
            # F.huber_loss, torch.cdist: a library's function the language does not have
            raise self.error(where, f'"{module}.{node.attr}" is not in the language; write it '
                                    "with the language's functions"
                                    f"{_LIBRARY_HINTS.get(node.attr, '')}")
        raise self.error(
            where,
            f'attribute ".{node.attr}" is not in the language; the only attribute is .T '
            f"(transpose){hint}",
        )

    def _glued_transpose_names(self, node: ast.Attribute) -> list[str]:
        """The declared vectors and matrices glued after a transpose (x.TAx: A, x), or []."""
        rest = node.attr[1:]
        arrays = [s for s, d in self.scope.symbols.items() if d.kind in ("vector", "matrix")]
        if rest in arrays:
            return [rest]
        glued = _glued_names(rest, arrays)
        return glued or []

    def _glued_transpose(self, node: ast.Attribute) -> str:
        """xᵀAx (x.TAx): a transpose glued to the names after it, as a paper writes products."""
        rest = node.attr[1:]
        if not node.attr.startswith("T") or not rest:
            return ""
        if rest in self.scope.symbols:
            names = [rest]
        elif all(ch in self.scope.symbols for ch in rest):
            names = list(rest)
        elif glued := _glued_names(rest, list(self.scope.symbols)):  # xᵀΣx: x.TSigmax
            names = glued
        else:
            return ""
        value = self.src(node.value)
        return (f'{_factor(value)}ᵀ{rest} (read as {_factor(value)}.T{rest}) is not a product: '
                f'write {" @ ".join([_factor(value) + ".T", *names])} (every product needs @ '
                "or *)")

    def _attr_pos(self, node: ast.Attribute) -> tuple[int, int]:
        end = self._index(node.value, end=True)
        if end is not None:
            k = self.text.find(".", end)
            if k >= 0:
                return _line_col(self.text, k)
        return self.pos(node)

    # --- calls ---

    def call(self, node: ast.Call) -> Node:
        out = self._call(node)
        if getattr(node, "numpy_1d", False):  # X.mean(axis=1): NumPy's 1-D row means
            self.one_d.add(id(out))
        return out

    def _call(self, node: ast.Call) -> Node:
        if isinstance(node.func, ast.Attribute):
            read = self._library_call(node)
            if read is not None:  # np.exp(x), torch.logsumexp(x, dim=0), x.sum()
                return self.expr(read)
        if not isinstance(node.func, ast.Name):
            if self._product_call(node):  # 2(s + 1), (a + b)(a - b): products, as in maths
                return self.expr(self._juxtaposition(_juxtaposed_node(node)))
            if isinstance(node.func, ast.Attribute):
                self.attribute(node.func, node)  # raises with a hint (np.trace, A.dot, ...)
            if not node.keywords and len(node.args) == 1:
                raise self.error(
                    node,
                    f"{self.src(node)} is not a product: write {_grouped(self.src(node.func))}"
                    f" * ({self.src(node.args[0])}) (every product needs * or @)",
                )
            raise self.error(node, "only the language's functions can be called, by name")
        name = node.func.id
        if self._product_call(node):  # γ(x − μ), A(x + y): a declared symbol is no function
            return self.expr(self._juxtaposition(_juxtaposed_node(node)))
        if name in CAPITALISED and name not in self.scope.symbols:  # ReLU(x), Φ(x), Tr(A)
            name = CAPITALISED[name]
            node = ast.copy_location(ast.Call(func=ast.copy_location(
                ast.Name(id=name, ctx=ast.Load()), node.func), args=node.args,
                keywords=node.keywords), node)
        if name == "Phi" and name not in self.scope.symbols and len(node.args) == 1 \
                and not node.keywords:  # Φ(x): the standard normal CDF
            return self.expr(self._elementwise_alias(node, "Phi"))
        if name == "elu" and name not in self.scope.symbols and len(node.args) == 1 \
                and not node.keywords:  # PyTorch's ELU, alpha = 1 (round 17)
            return self.expr(self._elementwise_alias(node, "elu"))
        if name in ALIASES and name not in self.scope.symbols:
            return self.expr(self.alias(node, name))
        if name in SCALAR_DERIVATIVES and name not in self.scope.symbols:
            return self.expr(self._scalar_derivative(node, name))
        fn = FUNCTIONS.get(name)
        if fn is None:
            raise self.error(node.func, self._unknown_function(name))
        if name == "var" and node.keywords and "var" not in self.scope.symbols:
            return self.expr(self._var_along(node))
        if name == "norm" and (len(node.args) == 2 or node.keywords):
            return self.expr(self._norm_of_order(node))
        axis = self.keywords(node, fn)
        for a in node.args:
            if isinstance(a, ast.Starred):
                raise self.error(a, "a starred argument is not in the language")
        n_min, n_max = len(fn.args) - fn.optional, len(fn.args)
        if not n_min <= len(node.args) <= n_max:
            want = str(n_max) if n_min == n_max else f"{n_min} or {n_max}"
            raise self.error(
                node, f"{name} takes {want} argument(s), got {len(node.args)}; {fn.signature}"
            )
        if axis is not None and len(node.args) > 1:
            raise self.error(node, f"{name}(e, i) sums over an index; axis= goes with "
                                   f"{name}(X, axis=k) alone")
        args: list[Node] = []
        for mode, a in zip(fn.args, node.args, strict=False):
            if mode == "size":
                args.append(self.size_arg(a, name))
            elif mode == "variable":
                args.append(self.variable_arg(a, name))
            elif mode == "index":
                classes = node.args[1] if name == "onehot" and len(node.args) > 1 else None
                args.append(self.index_arg(a, name, classes))
            elif mode == "grid":
                args.append(self.grid_arg(a, name))
            else:
                arg = self.expr(a)
                args.append(self.scalarize(arg) if fn.scalarize else arg)
        pos = self.pos(node)
        if self.notation.norms and name in ("norm", "sum", "max", "abs", "sqrt", "exp"):
            self._induced_norm_refused(node, args)  # abs(x) has x's shape
        if name == "onehot" and isinstance(args[0], Number):
            self._class_in_range(node, args)
        if name in DERIVATIVES:
            shape = self.derivative_shape(node, name, args)
        else:
            try:
                shapes = [
                    _size_shape(a) if mode == "size" else a.shape
                    for mode, a in zip(fn.args, args, strict=False)
                ]
                shape = fn.shape(shapes) if axis is None else fn.axis_shape(shapes[0], axis)
            except ShapeProblem as exc:
                raise self.error(node, f"{exc} in {self.src(node)}") from None
        degree = max((a.degree for a in args), default=1)
        return Call(shape, pos, degree, fn=name, args=tuple(args), axis=axis)

    def _norm_of_order(self, node: ast.Call) -> ast.AST:
        """norm(x, 1), norm(x, p=2), norm(x, ord=inf) as np.linalg.norm reads them (a vector's
        1-, 2- and max-norms, a matrix's Frobenius norm; its induced norms refused)."""
        as_numpy = ast.copy_location(ast.Call(
            func=ast.copy_location(ast.Attribute(value=ast.Name(id="np", ctx=ast.Load()),
                                                 attr="norm", ctx=ast.Load()), node.func),
            args=node.args, keywords=node.keywords), node)
        try:
            read = read_call(as_numpy, "np.linalg", "norm", lambda a: self.expr(a).shape,
                             self.src)
        except Refused as exc:
            raise self.error(exc.node, exc.message.replace("np.linalg.norm", "norm(x, p)")
                             ) from None
        if read is None:
            raise self.error(node, "norm(x, p) takes a vector or matrix and an order 1, 2, "
                                   "inf or 'fro'")
        return read

    def _library_call(self, node: ast.Call) -> ast.AST | None:
        """A NumPy/PyTorch call or method in the language's form (libraries.read_call), or
        None; a library call whose meaning differs is refused with what to write."""
        func = node.func
        assert isinstance(func, ast.Attribute)
        prefix = _dotted(func.value)
        head = prefix.split(".")[0] if prefix is not None else None
        library = prefix if head in LIBRARY_HEADS and head not in self.scope.symbols else None
        if library is None and prefix is not None and head not in self.scope.symbols:
            return None  # an unknown name's attribute: refused below with its hint
        try:
            return read_call(node, library, func.attr, lambda a: self.expr(a).shape, self.src)
        except Refused as exc:
            raise self.error(exc.node, exc.message) from None

    def alias(self, node: ast.Call, name: str) -> ast.AST:
        """The language's own form of an alias (ALIASES: tr, logdet, dot, tan, sign, cosh,
        softplus, clip, ...), as syntax placed where the call stands (so messages quote what
        the user wrote)."""
        want = ALIAS_ARITY.get(name, 1)
        if node.keywords or len(node.args) != want:
            raise self.error(node, f"{name} takes {want} argument(s) and no keyword; "
                                   f"{ALIASES[name]}")
        if name in ELEMENTWISE_ALIASES:
            return self._elementwise_alias(node, name)

        def at(new: ast.AST) -> ast.AST:
            return ast.copy_location(new, node) if new is not None else new

        def call(fn: str, *args: ast.AST) -> ast.AST:
            return at(ast.Call(func=at(ast.Name(id=fn, ctx=ast.Load())), args=list(args),
                               keywords=[]))

        def transposed(a: ast.AST) -> ast.AST:
            return at(ast.Attribute(value=a, attr="T", ctx=ast.Load()))

        if name == "tr":
            return call("trace", node.args[0])
        if name in ("arctan", "tan"):  # tan x = sin x / cos x, defined where cos x ≠ 0
            x = node.args[0]
            return call("atan", x) if name == "arctan" else at(
                ast.BinOp(left=call("sin", x), op=ast.Div(), right=call("cos", x)))
        if name == "sign":  # 1, 0, −1: the difference of two comparisons
            x = node.args[0]

            def zero() -> ast.AST:  # placed at the call, without a text of its own (the
                z = at(ast.Constant(0))  # literal check would read "sign(x)" as its digits)
                z.end_lineno = z.end_col_offset = None
                return z

            return at(ast.BinOp(
                left=at(ast.Compare(left=x, ops=[ast.Gt()], comparators=[zero()])),
                op=ast.Sub(),
                right=at(ast.Compare(left=x, ops=[ast.Lt()], comparators=[zero()]))))
        if name == "transpose":
            return transposed(node.args[0])
        if name == "logdet":
            return call("log", call("det", node.args[0]))
        shapes = []
        for a in node.args:
            shape = self.expr(a).shape
            if not (shape.is_column or shape.is_matrix and shape.rows == ONE):
                other = ("write A @ B for a matrix product (NumPy's dot of matrices) or "
                         "sum(A * B) for the Frobenius inner product" if name == "dot" else
                         "write kron(A, B) for a Kronecker product")
                raise self.error(a, f"{name} takes two vectors; {self.src(a)} is {shape}; "
                                    f"{other}")
            shapes.append(shape)
        (a, b), (sa, sb) = node.args, shapes
        if name == "outer":  # the column of a times the row of b
            left = a if sa.is_column else transposed(a)
            right = b if not sb.is_column else transposed(b)
            return at(ast.BinOp(left=left, op=ast.MatMult(), right=right))
        length_a, length_b = (s.rows if s.is_column else s.cols for s in (sa, sb))
        if length_a != length_b:
            raise self.error(node, f"dot needs two vectors of one length; {self.src(node)} "
                                   f"has {length_a} and {length_b} entries")
        left = transposed(a) if sa.is_column else a  # the row of a times the column of b
        right = b if sb.is_column else transposed(b)
        return at(ast.BinOp(left=left, op=ast.MatMult(), right=right))

    def _elementwise_alias(self, node: ast.Call, name: str) -> ast.AST:
        """cosh, sinh, softplus, log1p, expm1, sigmoid's other names, silu, log_sigmoid,
        arcsin, arccos, clip, heaviside and indicator, written with the language's functions
        where the call stands.  Each has one meaning (NumPy's and PyTorch's agree on it)."""
        def at(new: ast.AST) -> ast.AST:
            return ast.copy_location(new, node)

        def call(fn: str, *args: ast.AST) -> ast.AST:
            return at(ast.Call(func=at(ast.Name(id=fn, ctx=ast.Load())), args=list(args),
                               keywords=[]))

        def number(v: int) -> ast.AST:  # placed at the call, without a text of its own (the
            c = at(ast.Constant(v))  # literal check would read the call's text as its digits)
            c.end_lineno = c.end_col_offset = None
            return c

        def op(left: ast.AST, o: ast.operator, right: ast.AST) -> ast.AST:
            return at(ast.BinOp(left=left, op=o, right=right))

        def compare(x: ast.AST, o: ast.cmpop) -> ast.AST:
            return at(ast.Compare(left=x, ops=[o], comparators=[number(0)]))

        x = node.args[0]
        minus_x = at(ast.UnaryOp(op=ast.USub(), operand=x))
        if name in ("sinh", "cosh"):  # (eˣ ∓ e⁻ˣ) / 2
            both = op(call("exp", x), ast.Sub() if name == "sinh" else ast.Add(),
                      call("exp", minus_x))
            return op(both, ast.Div(), number(2))
        if name == "softplus":
            return call("log", op(number(1), ast.Add(), call("exp", x)))
        if name == "log1p":
            return call("log", op(number(1), ast.Add(), x))
        if name == "expm1":
            return op(call("exp", x), ast.Sub(), number(1))
        if name in ("logistic", "expit"):
            return call("sigmoid", x)
        if name in ("silu", "swish"):
            return op(x, ast.Mult(), call("sigmoid", x))
        if name in ("log_sigmoid", "logsigmoid"):
            return call("log", call("sigmoid", x))
        if name in ("arcsin", "asin", "arccos", "acos"):
            # arcsin x = 2 atan(x / (1 + √(1 − x²))) on all of [−1, 1] (the half-angle form:
            # tan(θ/2) = sin θ / (1 + cos θ)); arccos x = π/2 − arcsin x
            root = call("sqrt", op(number(1), ast.Sub(), op(x, ast.Mult(), x)))
            arcsin = op(number(2), ast.Mult(),
                        call("atan", op(x, ast.Div(), op(number(1), ast.Add(), root))))
            if name in ("arcsin", "asin"):
                return arcsin
            if "pi" in self.scope.symbols:
                raise self.error(node, f"{name}(x) is pi / 2 - arcsin(x), and pi names a "
                                       "declared symbol here; rename it")
            pi = at(ast.Name(id="pi", ctx=ast.Load()))
            pi.end_lineno = pi.end_col_offset = None  # no text of its own (as number)
            half_pi = op(pi, ast.Div(), number(2))
            return op(half_pi, ast.Sub(), arcsin)
        if name in ("clip", "clamp"):  # NumPy's clip and torch.clamp: min(max(x, a), b)
            return call("min", call("max", x, node.args[1]), node.args[2])
        if name == "heaviside":  # NumPy's: 0 below 0, h0 at 0, 1 above
            h0 = node.args[1]
            if isinstance(h0, ast.Constant) and h0.value in (0, 1) and type(h0.value) is int:
                return compare(x, ast.Gt() if h0.value == 0 else ast.GtE())
            at_zero = op(compare(x, ast.GtE()), ast.Sub(), compare(x, ast.Gt()))
            return op(compare(x, ast.Gt()), ast.Add(), op(h0, ast.Mult(), at_zero))
        if name == "Phi":  # Φ(x) = (1 + erf(x / √2)) / 2
            scaled = op(x, ast.Div(), call("sqrt", number(2)))
            return op(op(number(1), ast.Add(), call("erf", scaled)), ast.Div(), number(2))
        if name == "elu":  # x above 0, exp(x) - 1 at and below it (alpha = 1)
            return op(op(compare(x, ast.Gt()), ast.Mult(), x), ast.Add(), op(
                compare(x, ast.LtE()), ast.Mult(), op(call("exp", x), ast.Sub(), number(1))))
        if name == "indicator":  # 1{z > 0}: a comparison is already 1 where it holds
            if not isinstance(x, ast.Compare):
                raise self.error(x, "indicator takes a comparison, such as indicator(z > 0), "
                                    "which is the comparison itself: (z > 0)")
            return x
        raise AssertionError(name)

    def _var_along(self, node: ast.Call) -> ast.AST:
        """var(X, axis=k), NumPy's population variance of each column (k = 0) or row (k = 1),
        written as mean((X - mean(X, axis=k)) * (X - mean(X, axis=k)), axis=k) where the call
        stands (a product, not ** 2: a literal placed there would be read from the call's
        text)."""
        signature = FUNCTIONS["var"].signature
        for kw in node.keywords:
            if kw.arg == "ddof":
                raise self.error(kw.value, "var is the population variance (NumPy's ddof=0); "
                                           "for the unbiased one write var(X, axis=k) * N / "
                                           "(N - 1) with N the count")
            if kw.arg != "axis":
                raise self.error(kw.value, f"keyword arguments are not in the language "
                                           f"({kw.arg}=...), except axis=; {signature}")
        if len(node.args) != 1 or len(node.keywords) != 1:
            raise self.error(node, f"var takes one matrix and axis=; {signature}")
        self.keywords(node, FUNCTIONS["mean"])  # axis= 0 or 1 (its message)

        def at(new: ast.AST) -> ast.AST:
            return ast.copy_location(new, node)

        def mean_of(e: ast.AST) -> ast.AST:
            return at(ast.Call(func=at(ast.Name(id="mean", ctx=ast.Load())), args=[e],
                               keywords=node.keywords))

        x = node.args[0]
        centred = at(ast.BinOp(left=x, op=ast.Sub(), right=mean_of(x)))
        return mean_of(at(ast.BinOp(left=centred, op=ast.Mult(), right=centred)))

    def keywords(self, node: ast.Call, fn) -> int | None:
        """The value of ``axis=`` (PyTorch's ``dim=``: 0 or 1) where the function takes it; no
        other keyword."""
        axis = None
        for kw in node.keywords:
            label = f"{kw.arg}=" if kw.arg else "**"
            if kw.arg == "axes" and fn.axis_shape is not None:
                raise self.error(kw.value, f"keyword arguments are not in the language "
                                           f"({kw.arg}=...); write axis= (NumPy's name); "
                                           f"{fn.signature}")
            if kw.arg not in ("axis", "dim") or fn.axis_shape is None:  # dim=: PyTorch's axis
                takers = ", ".join([*(n for n, f in FUNCTIONS.items() if f.axis_shape),
                                    "var"])  # var(X, axis=k) is read as a mean (_var_along)
                raise self.error(
                    kw.value, f"keyword arguments are not in the language ({label}...), "
                    f"except axis= of {takers}; {fn.signature}"
                )
            v = kw.value
            if _negative_literal(v) in (1, 2):
                return self._last_axis(node, v, _negative_literal(v))
            if not (isinstance(v, ast.Constant) and type(v.value) is int and v.value in (0, 1)):
                raise self.error(v, f"axis is 0 (down each column) or 1 (along each row), or "
                                    f"-1 (the last axis); got {self.src(v)}")
            axis = v.value
        return axis

    def _last_axis(self, node: ast.Call, v: ast.AST, back: int) -> int:
        """axis=-1 as NumPy and PyTorch count (dim=-1): a matrix's last axis is 1 (along each
        row), -2 is 0; a vector (a column that is not a declared matrix(n, 1)) is NumPy's 1-D
        array, so -1 is over its entries (0)."""
        shape = self.expr(node.args[0]).shape if node.args else None
        if shape is None or not shape.is_matrix:
            raise self.error(v, "axis= needs a vector or a matrix")
        arg = node.args[0]
        declared = self.scope.symbols.get(arg.id) if isinstance(arg, ast.Name) else None
        if shape.cols == ONE and not (declared is not None and declared.kind == "matrix"):
            if back == 2:
                raise self.error(v, "a vector has one axis: write axis=0 (over its entries) "
                                    "or leave axis out")
            return 0
        return 2 - back

    def _scalar_derivative(self, node: ast.Call, name: str) -> ast.AST:
        """SymPy's diff(f, x), diff(f, x, 2) and diff(f, x, x) by a declared scalar x: the
        language's grad(f, x) and hessian(f, x), which are these derivatives for a scalar.
        By a vector or a matrix, diff has no one layout: refused with the names to write."""
        hint = HINTS[name]
        args, var = node.args, node.args[1] if len(node.args) > 1 else None
        declared = self.scope.symbols.get(var.id) if isinstance(var, ast.Name) else None
        if declared is None or declared.kind != "scalar" or node.keywords:
            raise self.error(node.func, f'{name}(f, x) is read for a declared scalar x only; '
                                        f"{hint}")
        order = 1
        if len(args) == 3:
            third = args[2]
            if isinstance(third, ast.Constant) and third.value in (1, 2) \
                    and type(third.value) is int:
                order = third.value
            elif isinstance(third, ast.Name) and third.id == var.id:
                order = 2
            else:
                raise self.error(third, f"{name}(f, x, k) is read for k = 1 or 2 (or "
                                        f"{name}(f, x, x)); got {self.src(third)}")
        elif len(args) != 2:
            raise self.error(node, f"{name} takes f and its scalar variable x (and the order, "
                                   f"1 or 2); {hint}")
        fn = ("grad", "hessian")[order - 1]
        return ast.copy_location(ast.Call(func=ast.copy_location(
            ast.Name(id=fn, ctx=ast.Load()), node.func), args=args[:2], keywords=[]), node)

    def _unknown_function(self, name: str) -> str:
        if name in self.scope.symbols:
            return (
                f'"{name}" is a symbol, not a function; for a product write '
                f"{name} @ (...) or {name} * (...)"
            )
        if name in HINTS:
            return f'unknown function "{name}"; {HINTS[name]}'
        if (subscripted := re.fullmatch(r"(grad|nabla|jacobian|hessian)_\{?(\w+?)\}?", name)):
            fn = {"nabla": "grad"}.get(subscripted.group(1), subscripted.group(1))
            return (f'unknown function "{name}"; write {fn}(f, {subscripted.group(2)}) (the '
                    "variable is the second argument)")
        if name[0] in "ΣΠ" and len(name) > 1:  # Σexp(z): a sum sign glued to the summand
            return f'unknown function "{name}"; {HINTS[name[0]]}'
        low = name.lower()
        if low in FUNCTIONS:  # ReLU, Softmax: PyTorch's class names
            return f'unknown function "{name}"; the functions are lower case: write {low}(x)'
        if low in HINTS:
            return f'unknown function "{name}"; {HINTS[low]}'
        if low in ALIASES:  # Heaviside, SiLU: read under their lower-case name
            return f'unknown function "{name}"; write {ALIASES[low]}'
        close = did_you_mean(name, list(FUNCTIONS))
        if not close:
            alias = did_you_mean(name, list(ALIASES))
            if alias:
                target = alias.split('"')[1]
                return f'unknown function "{name}"{alias} ({ALIASES[target]})'
            alias = did_you_mean(name, list(HINTS))
            if alias:
                target = alias.split('"')[1]
                return f'unknown function "{name}"{alias} ({HINTS[target]})'
        return (
            f'unknown function "{name}"{close}; the functions are '
            + ", ".join(sorted(FUNCTIONS))
        )

    def size_arg(self, node: ast.AST, fn: str) -> Node:
        if isinstance(node, ast.Name) and node.id in self.dims:
            return DimValue(SCALAR, self.pos(node), name=node.id)
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, int)
            and not isinstance(node.value, bool)
            and 1 <= node.value <= self.limits.size
        ):
            return Number(SCALAR, self.pos(node), value=Fraction(node.value))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult) and fn != "onehot":
            # eye(n * m): the identity beside kron(A, B), whose sides are products of sizes
            left, right = self.size_arg(node.left, fn), self.size_arg(node.right, fn)
            product = Binary(SCALAR, self.pos(node), 1, op="*", left=left, right=right)
            if _size_value_of(product) > self.limits.size:  # as for a single integer
                raise self.error(node, f"a size in {fn}(...) is at most {self.limits.size}; "
                                       f"got {self.src(node)}")
            return product
        dims = ", ".join(self.dims) or "none declared"
        hint = ""
        if isinstance(node, ast.Tuple):
            sizes = ", ".join(self.src(e) for e in node.elts)
            hint = f"; the sizes are separate arguments, not a tuple: write {fn}({sizes})"
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and fn == "eye":
            hint = ("; a sum of sizes is not a size argument: write the identity of a block "
                    "matrix as block([[eye(n), zeros(n, m)], [zeros(m, n), eye(m)]])")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            hint = ("; a sum of sizes is not a size argument: stack the parts with "
                    f"block([[{fn}(n, ...)], [{fn}(m, ...)]])")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow) and fn != "onehot":
            hint = f"; write a product of sizes with *, such as {fn}(n * n)"
        elif isinstance(node, ast.Name) and node.id not in self.scope.symbols:
            # dimensions are named by the symbols' shapes: eye(n) needs one of shape n
            hint = (f'; "{node.id}" is not the dimension of a declared symbol: declare one '
                    f"with it, such as x: vector({node.id}), or write an integer")
        raise self.error(
            node,
            f"a size in {fn}(...) is a dimension name ({dims}) or an integer from 1 to "
            f"{self.limits.size}; got {self.src(node)}{hint}",
        )

    def variable_arg(self, node: ast.AST, fn: str = "grad") -> Node:
        if isinstance(node, ast.Name) and node.id in self.scope.symbols:
            decl = self.scope.symbols[node.id]
            if decl.kind in ("index", "integer"):
                raise self.error(node, f"cannot differentiate with respect to {decl!r}")
            if node.id in self.scope.integer_valued:
                raise self.error(node, f"cannot differentiate with respect to {node.id}: the "
                                       "assumptions make it integer-valued (binary, one-hot "
                                       "or an integer range)")
            return self.name(node)
        what = {"grad": "grad(f, X)", "jacobian": "jacobian(f, x)", "hessian": "hessian(f, x)"}
        raise self.error(
            node,
            f"the variable of {what.get(fn, fn)} must be a declared symbol; "
            f"got {self.src(node)}",
        )

    def _from_the_end(self, key: ast.AST, size) -> Node | None:
        """x[n - 1], x[n - 2]: an entry counted from the end of a symbolic size n (the size
        of that axis); undefined at sizes too small for it, as x[2] is."""
        if not (isinstance(key, ast.BinOp) and isinstance(key.op, ast.Sub)
                and isinstance(key.left, ast.Name) and isinstance(key.right, ast.Constant)
                and type(key.right.value) is int and key.right.value >= 1):
            return None
        if size is None or size.names != (key.left.id,) or size.coef != 1:
            return None
        pos = self.pos(key)
        k = key.right.value
        if k > self.limits.size:
            raise self.error(key, f"an index literal is at most {self.limits.size}")
        return Binary(SCALAR, pos, 1, op="-", left=DimValue(SCALAR, pos, name=key.left.id),
                      right=Number(SCALAR, pos, value=Fraction(k)))

    def _reversed(self, key: ast.AST, size) -> Node | None:
        """x[n - 1 - i] (or x[n - i - 1]): entry i counted from the end, with i an index of
        range 0..n-1, so always in range (a sum reindexed newest first)."""
        if not (isinstance(key, ast.BinOp) and isinstance(key.op, ast.Sub)
                and isinstance(key.left, ast.BinOp) and isinstance(key.left.op, ast.Sub)
                and isinstance(key.left.left, ast.Name) and size is not None
                and size.names == (key.left.left.id,) and size.coef == 1):
            return None
        one, index = key.right, key.left.right
        if isinstance(one, ast.Name):  # n - i - 1
            one, index = index, one
        if not (isinstance(one, ast.Constant) and type(one.value) is int and one.value == 1
                and isinstance(index, ast.Name)):
            return None
        decl = self.scope.symbols.get(index.id)
        if decl is None or decl.kind != "index" or size_of(decl.dims[0]) != size:
            return None
        pos = self.pos(key)
        end = Binary(SCALAR, pos, 1, op="-", left=DimValue(SCALAR, pos, name=key.left.left.id),
                     right=Number(SCALAR, pos, value=Fraction(1)))
        return Binary(SCALAR, pos, 1, op="-", left=end,
                      right=Symbol(SCALAR, self.pos(index), name=index.id, kind="index",
                                   extent=decl.dims[0]))

    def index_arg(self, node: ast.AST, fn: str, classes: ast.AST | None = None) -> Node:
        """The index of sum(e, i), prod, mean, or the class of onehot(y, C) (``classes``
        is C's syntax: a class may be counted from the end of it, onehot(C - 1, C))."""
        if fn == "onehot" and isinstance(node, ast.Constant) and type(node.value) is int \
                and 0 <= node.value <= self.limits.size:
            return Number(SCALAR, self.pos(node), value=Fraction(node.value))  # onehot(0, K)
        if isinstance(classes, ast.Name) and classes.id in self.dims:
            last = self._from_the_end(node, size_of(classes.id))
            if last is not None:
                return last
        if isinstance(node, ast.Name):
            decl = self.scope.symbols.get(node.id)
            if decl is not None and decl.kind == "index":
                return Symbol(SCALAR, self.pos(node), name=node.id, kind="index",
                              extent=decl.dims[0])
        want = {"onehot": "the class of onehot(y, C)"}.get(fn, f"the index of {fn}(e, i)")
        literal = " or a class number 0, 1, ... (onehot(0, C))" if fn == "onehot" else ""
        if fn == "onehot" and isinstance(node, ast.BinOp):
            c = self.src(classes) if classes is not None else "C"
            literal += (f", or one counted from the end of the classes' symbolic size, "
                        f"onehot({c} - 1, {c})")
        if isinstance(node, ast.Constant) and node.value in (0, 1) and fn in ("sum", "mean"):
            literal += (f"; for NumPy's {fn}(X, {node.value}) write {fn}(X, axis={node.value}) "
                        f"({'column' if node.value == 0 else 'row'} {fn}s)")
        if isinstance(node, ast.Tuple) and fn != "onehot":  # sum(e, (i, j)): Σᵢⱼ
            names = [self.src(k) for k in node.elts]
            nested = "e"
            for k in names:
                nested = f"{fn}({nested}, {k})"
            literal += f"; over several indices nest them: {nested}"
        raise self.error(
            node, f"{want} must be a symbol declared index(n), such as i: index(n){literal}; "
            f"got {self.src(node)}" + self._declared_indices()
        )

    def _class_in_range(self, node: ast.Call, args: list[Node]) -> None:
        """onehot(k, C) with k a literal: past a fixed C it is an error (as x[k] is); past a
        symbolic one the claim is undefined at those sizes (ops.onehot)."""
        k, size = int(args[0].value), _size_shape(args[1]).rows  # type: ignore[attr-defined]
        if not size.names and k >= size.coef:
            raise self.error(node.args[0], f"class {k} is out of range: onehot({k}, "
                                           f"{self.src(node.args[1])}) has {size} classes "
                                           "(classes count from 0)")

    def _declared_indices(self) -> str:
        names = [n for n, d in self.scope.symbols.items() if d.kind == "index"]
        return f" (declared indices: {', '.join(names)})" if names else \
            " (no index is declared)"

    def grid_arg(self, node: ast.AST, fn: str) -> Node:
        """[[A, B], [C, D]]: rows of blocks, each block an expression."""
        if not (isinstance(node, ast.List) and node.elts
                and all(isinstance(r, ast.List) and r.elts for r in node.elts)):
            raise self.error(
                node, f"{fn} takes a list of rows of blocks, such as [[A, B], [C, D]]; got "
                f"{self.src(node)}"
            )
        rows = tuple(tuple(self.expr(b) for b in r.elts) for r in node.elts)  # type: ignore[attr-defined]
        try:
            shape = grid_shape([[b.shape for b in row] for row in rows])
        except ShapeProblem as exc:
            raise self.error(node, f"{exc} in {fn}({self.src(node)})") from None
        degree = max(b.degree for row in rows for b in row)
        return Grid(shape, self.pos(node), degree, rows=rows)

    def derivative_shape(self, node: ast.Call, fn: str, args: list[Node]) -> Shape:
        """grad, jacobian and hessian: their shapes depend on the claim's layout."""
        f, x = args
        numerator = self.scope.layout == "numerator"
        if fn == "grad":
            if f.shape.is_matrix:
                raise self.error(
                    node.args[0],
                    f"grad(f, X) needs a scalar-valued f; {self.src(node.args[0])} is {f.shape}"
                    + ("; for a column f by a vector x write jacobian(f, x) (rows the outputs "
                       "in numerator layout; \\frac{\\partial f}{\\partial x} is read as grad)"
                       if f.shape.is_column else ""),
                )
            return x.shape.T if numerator else x.shape
        if x.shape.is_matrix and not x.shape.is_column:
            raise self.error(
                node.args[1], f"{fn}(f, x) differentiates by a scalar or a column vector; "
                f"{self.src(node.args[1])} is {x.shape} (for a matrix use grad, entry by entry)"
            )
        n = x.shape.rows if x.shape.is_matrix else ONE
        if fn == "hessian":
            if f.shape.is_matrix:
                raise self.error(
                    node.args[0], f"hessian(f, x) needs a scalar-valued f; "
                    f"{self.src(node.args[0])} is {f.shape}"
                )
            return Shape(n, n)
        if f.shape.is_matrix and not f.shape.is_column:
            raise self.error(
                node.args[0], f"jacobian(f, x) needs a scalar or a column vector f; "
                f"{self.src(node.args[0])} is {f.shape}"
            )
        m = f.shape.rows if f.shape.is_matrix else ONE
        return Shape(m, n) if numerator else Shape(n, m)

    # --- indexing and comparisons ---

    def _slogdet_part(self, node: ast.Subscript) -> ast.AST | None:
        """np.linalg.slogdet(A)[1] (torch.linalg.slogdet) as log(abs(det(A))), [0] as
        sign(det(A)): the pair slogdet returns, one part taken (the pair alone is refused)."""
        call = node.value
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                and call.func.attr == "slogdet" and len(call.args) == 1 and not call.keywords):
            return None
        head = (_dotted(call.func.value) or "").split(".")[0]
        key = node.slice
        if head not in LIBRARY_HEADS or head in self.scope.symbols:
            return None
        if not (isinstance(key, ast.Constant) and type(key.value) is int
                and key.value in (0, 1)):
            raise self.error(node, "slogdet returns the pair (sign, log |det A|): take [0] or "
                                   "[1]")

        def at(new: ast.AST) -> ast.AST:
            return ast.copy_location(new, node)

        det = at(ast.Call(func=at(ast.Name(id="det", ctx=ast.Load())), args=[call.args[0]],
                          keywords=[]))
        outer = ("sign", "abs") if key.value == 0 else ("log", "abs")
        inner = det if key.value == 0 else at(ast.Call(
            func=at(ast.Name(id="abs", ctx=ast.Load())), args=[det], keywords=[]))
        return at(ast.Call(func=at(ast.Name(id=outer[0], ctx=ast.Load())), args=[inner],
                           keywords=[]))

    def subscript(self, node: ast.Subscript) -> Node:
        """x[i], W[i, j], W[i, :], W[:, j]: 0-based, integer literals or declared indices."""
        if isinstance(node.value, ast.Call) and self._product_call(node.value) \
                and _same_start(node, node.value):  # c (x)_i, not (c (x))_i
            return self.expr(self._postfix_into_factor(node.value, lambda a: ast.copy_location(
                ast.Subscript(value=a, slice=node.slice, ctx=ast.Load()), node)))
        if isinstance(node.value, ast.Constant) and isinstance(node.slice, ast.Compare):
            # Iverson's bracket as notes write it, 1[z > 0]: not an entry of the number 1
            raise self.error(node, f"for an indicator {self.src(node)} write the comparison "
                                   f"itself: ({self.src(node.slice)}) is 1 where it holds, "
                                   "0 elsewhere")
        part = self._slogdet_part(node)
        if part is not None:  # np.linalg.slogdet(A)[1]: log |det A|; [0]: the sign of det A
            return self.expr(part)
        arg = self.expr(node.value)
        shape = arg.shape
        if shape.is_scalar:
            raise self.error(node, f"{self.src(node.value)} is a scalar; only vectors and "
                                   "matrices can be indexed")
        raw = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        axis = _new_axis(raw)
        if axis is not None:  # x[:, None], x[None, :]: NumPy's column and row of a 1-D x
            vector = shape.is_column or shape.rows == ONE  # a row: sum(X, axis=0), 1-D too
            if not vector or shape.is_one_by_one:
                raise self.error(node, f"{self.src(node)}: a new axis is read on a vector "
                                       f"(x[:, None] its column, x[None, :] its row); "
                                       f"{self.src(node.value)} is {shape}, and the language "
                                       "has no third axis")
            same = shape.is_column == (axis == "column")
            out: Node = arg if same else Transpose(shape.T, self.pos(node), arg.degree,
                                                   arg=arg)
            self.one_d.discard(id(out))  # X.mean(axis=1)[:, None]: the column asked for
            self.expanded.add(id(out))
            return out
        if len(raw) > 2:
            raise self.error(node.slice, f"at most two indices (row, column); got {len(raw)}")
        if len(raw) == 1:
            if shape.is_column:
                raw = [raw[0], None]
            elif shape.rows == ONE:
                raw = [None, raw[0]]
            else:
                raise self.error(
                    node, f"{self.src(node.value)} is {shape}: write an entry "
                    f"{self.src(node.value)}[i, j], a row {self.src(node.value)}[i, :] or a "
                    f"column {self.src(node.value)}[:, j]; x[i] is for vectors"
                )
        keys: list[Node | None] = []
        for k, (key, size) in enumerate(zip(raw, (shape.rows, shape.cols), strict=True)):
            if key is None:  # the fixed 0 of a vector's other axis
                keys.append(Number(SCALAR, self.pos(node), value=Fraction(0)))
                continue
            keys.append(self.index_key(key, size, arg, node, "row" if k == 0 else "column"))
        rows = shape.rows if keys[0] is None else None
        cols = shape.cols if keys[1] is None else None
        if rows is None and cols is None:
            out = SCALAR
        else:
            out = Shape(rows or ONE, cols or ONE)
        return Subscript(out, self.pos(node), arg.degree, arg=arg, keys=tuple(keys))

    def index_key(self, key: ast.AST, size, arg: Node, node: ast.AST, axis: str) -> Node | None:
        what = self.src(node.value)  # type: ignore[attr-defined]
        if isinstance(key, ast.Slice):
            if key.lower is None and key.upper is None and key.step is None:
                return None
            raise self.error(key, "only a whole row or column is sliced (W[i, :], W[:, j]); "
                                  "ranges such as 0:2 are not in the language")
        if isinstance(key, ast.Constant) and type(key.value) is int:
            k = key.value
            if isinstance(size, Size) and not size.names and k >= size.coef:  # fixed size
                raise self.error(key, f"index {k} is out of range: {what} has {size} "
                                      f"{axis}s (indices count from 0)")
            if k > self.limits.size:
                raise self.error(key, f"an index literal is at most {self.limits.size}")
            return Number(SCALAR, self.pos(key), value=Fraction(k))
        if isinstance(key, ast.UnaryOp) and isinstance(key.op, ast.USub):
            raise self.error(key, "indices count from 0; negative indices are not in the "
                                  "language: count from the end of a symbolic size, "
                                  "x[n - 1] for the last entry of x: vector(n)")
        last = self._from_the_end(key, size) or self._reversed(key, size)
        if last is not None:
            return last
        if isinstance(key, ast.Name):
            decl = self.scope.symbols.get(key.id)
            if decl is not None and decl.kind == "index":
                if size_of(decl.dims[0]) != size:
                    raise self.error(
                        key, f"{key.id} ranges over 0..{decl.dims[0]}-1 but {what} has {size} "
                        f"{axis}s; declare {key.id}: index({size})"
                    )
                return Symbol(SCALAR, self.pos(key), name=key.id, kind="index",
                              extent=decl.dims[0])
            if key.id in self.dims:
                raise self.error(key, f'"{key.id}" is a dimension (a size), not an index; '
                                      f"declare an index such as i: index({key.id})")
        hint = ""
        if isinstance(key, ast.BinOp):
            # x[i + k], the shifted index of a convolution: no index arithmetic
            hint = ("; arithmetic on indices (x[i + k]) is not in the language: write a "
                    "sliding window as a product with a matrix that holds the shifted "
                    "copies (a 1-D convolution y = T w with T[i, k] = x[i + k] declared as "
                    "a matrix T), or a sum over a declared index with a comparison (i == j); "
                    "an entry from the end of a size is x[n - 1], and entry i counted "
                    "from the end x[n - 1 - i] (i: index(n))")
        labels = key.value if isinstance(key, ast.Subscript) else key
        decl = self.scope.symbols.get(labels.id) if isinstance(labels, ast.Name) else None
        if decl is not None and decl.kind == "vector":  # log_softmax(Z)[i, y[i]], PyTorch's
            hint = (f"; for one class label per row declare the labels one-hot, Y: "
                    f'matrix({decl.dims[0]}, C) with assume = ["Y one-hot"], and write '
                    "sum(Y * log_softmax(Z)) (a single label is y: index(C))")
        raise self.error(
            key, f"an index is an integer from 0 or a symbol declared index(n); got "
            f"{self.src(key)}" + self._declared_indices() + hint
        )

    def compare(self, node: ast.Compare) -> Node:
        """a > b as 0/1, element-wise; a chain 0 < x < 1 is the product of its links."""
        parts = [node.left, *node.comparators]
        values = [self.scalarize(self.expr(p)) for p in parts]
        out: Node | None = None
        for k, op_node in enumerate(node.ops):
            op = COMPARISONS.get(type(op_node))
            left, right = values[k], values[k + 1]
            pos = self._between(parts[k], parts[k + 1])
            if op is None:
                word = {ast.Is: "is", ast.IsNot: "is not", ast.In: "in",
                        ast.NotIn: "not in"}.get(type(op_node), "?")
                raise self.error(pos, f'"{word}" is not in the language; comparisons are '
                                      "> >= < <= (and == != between integers)")
            if left.shape.is_matrix and right.shape.is_matrix and left.shape != right.shape:
                target = _broadcast(left.shape, right.shape)
                if target is None:
                    raise self.error(
                        pos, f"shapes do not fit: {self.src(parts[k])} is {left.shape}, "
                        f"{self.src(parts[k + 1])} is {right.shape} (an element-wise "
                        "comparison needs equal shapes; a scalar broadcasts, and so does a "
                        "row over the rows of a matrix or a column over its columns"
                        f"{_broadcast_hint(left.shape, right.shape, op)})"
                    )
                self._square_spread(parts[k], parts[k + 1], left, right, target, op, pos)
                left, right = self.spread(left, target, pos), self.spread(right, target, pos)
            ints = self.scope.integer_valued
            discrete = _integer_valued(left, ints) and _integer_valued(right, ints)
            if op in ("==", "!=") and not discrete:
                raise self.error(
                    pos, f"{op} compares integers (indices, labels, integer symbols, entries "
                    "of a symbol assumed binary or one-hot, integer literals); "
                    f"{self.src(parts[k])} {op} {self.src(parts[k + 1])} compares real "
                    "values: write an inequality such as a >= b"
                )
            shape = left.shape if left.shape.is_matrix else right.shape
            link = Compare(shape, pos, max(left.degree, right.degree), op=op, left=left,
                           right=right, discrete=discrete)
            if out is None:
                out = link
            else:
                out = Binary(shape if shape.is_matrix else out.shape, out.pos,
                             max(out.degree, link.degree), op="*", left=out, right=link)
        assert out is not None
        return out

    def _between(self, left: ast.AST, right: ast.AST) -> tuple[int, int]:
        """Where the comparison operator between two operands stands."""
        start, stop = self._index(left, end=True), self._index(right, end=False)
        if start is not None and stop is not None:
            seg = self.text[start:stop]
            k = len(seg) - len(seg.lstrip(" \t\n()"))
            return _line_col(self.text, start + k)
        return _ast_pos(self.text, left)


def _juxtaposed_node(call: ast.Call) -> ast.BinOp:
    """``f(a)`` that is a product (2(s + 1), γ(x − μ)) as ``f // a``, juxtaposition's node."""
    return ast.copy_location(ast.BinOp(left=call.func, op=ast.FloorDiv(), right=call.args[0]),
                             call)


def _power_before_product(node: ast.BinOp, product_call) -> ast.BinOp | None:
    """``base ** k (a)`` (Python: base ** (k(a)), base ** -(1(a))) as ``(base ** k) // a``:
    a superscript followed by a parenthesised factor (Σ⁻¹ (x − μ), σ² (x + 1), β^t (g))."""
    right, sign = node.right, None
    if isinstance(right, ast.UnaryOp) and isinstance(right.op, ast.USub | ast.UAdd):
        right, sign = right.operand, right.op
    if isinstance(right, ast.BinOp) and isinstance(right.op, ast.Pow) and sign is None \
            and isinstance(right.left, ast.Call) and product_call(right.left):
        # p^y (1 − p)^(1 − y): Python's p ** (y(1 − p) ** (1 − y)), two powers side by side
        call = right.left
        power = ast.copy_location(ast.BinOp(left=node.left, op=ast.Pow(), right=call.func),
                                  node)
        rest = ast.copy_location(ast.BinOp(left=call.args[0], op=ast.Pow(), right=right.right),
                                 right)
        return ast.copy_location(ast.BinOp(left=power, op=ast.FloorDiv(), right=rest), node)
    if not (isinstance(right, ast.Call) and product_call(right)):
        return None
    exponent = right.func if sign is None else ast.copy_location(
        ast.UnaryOp(op=sign, operand=right.func), node.right)
    power = ast.copy_location(ast.BinOp(left=node.left, op=ast.Pow(), right=exponent), node)
    return ast.copy_location(ast.BinOp(left=power, op=ast.FloorDiv(), right=right.args[0]),
                             node)


def _number_literal(node: ast.AST) -> bool:
    """Is ``node`` a number as written, 2 or -1 (the numerator of a coefficient, -1/2 Σ)?"""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, int | float)


def _negative_literal(v: ast.AST) -> int | None:
    """k of a written -k (k an integer literal); None otherwise."""
    if isinstance(v, ast.UnaryOp) and isinstance(v.op, ast.USub) \
            and isinstance(v.operand, ast.Constant) and type(v.operand.value) is int:
        return v.operand.value
    return None


def _broadcast_hint(a: Shape, b: Shape, op: str, written: str = "") -> str:
    """What to write for a column and a row, for a column meant as a row (X @ W + b), or for
    a matrix product written with * (``written``: the operation as the user wrote it)."""
    if a.is_column and b.rows == ONE or b.is_column and a.rows == ONE:
        col, row = (a, b) if a.is_column else (b, a)
        if op == "*":
            inner = "; for the inner product write r @ c" if col.rows == row.cols else ""
            return f"; for the outer product write c @ r (c the column, r the row){inner}"
        return (f"; for the {col.rows}×{row.cols} table write c @ ones(1, {row.cols}) {op} "
                f"ones({col.rows}, 1) @ r with c the column and r the row")
    hints = []
    if op == "*" and a.cols == b.rows:  # W * x, W * B: a product as maths writes it
        product = _top_level_star(written)
        hints.append(f"for the matrix product write {product}" if product else
                     "for the matrix product write @")
    for col, other in ((a, b), (b, a)):
        if col.is_column and other.cols == col.rows:
            hints.append("to add a column b to every row write b.T" if op in "+-" else
                         f"to {'scale' if op == '*' else 'divide'} every row by a column b's "
                         "entries (NumPy's 1-D b) write b.T")
            break
    return "".join(f"; {h}" for h in hints)


def _top_level_star(written: str) -> str | None:
    """``W @ x`` for ``W * x``: the text with its one * outside parentheses made @, or None."""
    depth, stars = 0, []
    for k, ch in enumerate(written):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == "*" and depth == 0 and written[k - 1:k] != "*" and written[k + 1:k + 2] != "*":
            stars.append(k)
    if len(stars) != 1:
        return None
    return f"{written[:stars[0]].rstrip()} @ {written[stars[0] + 1:].lstrip()}"


def _dotted(node: ast.AST) -> str | None:
    """``np.linalg`` for the value of ``np.linalg.det``; None unless names and dots."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return None if head is None else f"{head}.{node.attr}"
    return None


# ----- small tree predicates -----


def _broadcast(a: Shape, b: Shape) -> Shape | None:
    """The shape of the larger operand where NumPy broadcasts the other (a 1×m row or an n×1
    column) along it; None otherwise.  A column and a row, which NumPy spreads into their
    table of sums, is refused: x + y.T is more often a misplaced transpose than meant."""
    for big, small in ((a, b), (b, a)):
        if all(s == g or s == ONE for s, g in ((small.rows, big.rows), (small.cols, big.cols))):
            return big
    return None



def _table(a: Shape, b: Shape) -> Shape | None:
    """The n×m table NumPy spreads a column n×1 and a row 1×m into, in either order."""
    for col, row in ((a, b), (b, a)):
        if col.cols == ONE and row.rows == ONE and col.rows != ONE and row.cols != ONE:
            return Shape(col.rows, row.cols)
    return None


def _new_axis(raw: list[ast.AST]) -> str | None:
    """"column" for [:, None], "row" for [None, :] (np.newaxis too); None otherwise."""
    def full(k: ast.AST) -> bool:
        return isinstance(k, ast.Slice) and k.lower is None and k.upper is None \
            and k.step is None

    def new(k: ast.AST) -> bool:
        return (isinstance(k, ast.Constant) and k.value is None) or \
            _dotted(k) in ("np.newaxis", "numpy.newaxis", "None")

    if len(raw) == 2 and full(raw[0]) and new(raw[1]):
        return "column"
    if len(raw) == 2 and new(raw[0]) and full(raw[1]):
        return "row"
    return None


def _size_shape(node: Node) -> Shape:
    """A size argument travels as ``size × 1`` so that shape rules can read it."""
    return Shape(_size_in_names(node), ONE)


def _size_in_names(node: Node) -> Size:
    """A size argument (a dimension, an integer, or a product of them) as a monomial."""
    if isinstance(node, DimValue):
        return size_of(node.name)
    if isinstance(node, Binary):
        product = _size_in_names(node.left) * _size_in_names(node.right)
        assert isinstance(product, Size)
        return product
    assert isinstance(node, Number)
    return Size(int(node.value))


def _size_value_of(node: Node) -> int:
    """The integer factor of a size argument (eye(4 * 16) is 64; a dimension counts 1)."""
    return _size_in_names(node).coef


def _glued_names(name: str, symbols: list[str]) -> list[str] | None:
    """``name`` as two or more declared symbols written side by side (Wx is W, x), if it is."""
    if len(name) > 12:
        return None
    splits: dict[int, list[str]] = {0: []}
    for end in range(1, len(name) + 1):
        for start, parts in list(splits.items()):
            if start < end and name[start:end] in symbols and end not in splits:
                splits[end] = [*parts, name[start:end]]
    parts = splits.get(len(name))
    return parts if parts and len(parts) >= 2 else None


def _factor(text: str) -> str:
    """text as the operand of .T: as it is if a name, a call or a subscript (its brackets
    closing at the end), else in brackets."""
    m = re.fullmatch(r"[\w.]+", text) or re.fullmatch(r"[\w.]+[(\[](.*)[)\]]", text)
    if m and (m.lastindex is None or _balanced(m.group(1))):
        return text
    return f"({text})"


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch in "([{") - (ch in ")]}")
        if depth < 0:
            return False
    return depth == 0


def _grouped(text: str) -> str:
    """text as a factor of a product: in brackets unless it is a name or a number."""
    return text if re.fullmatch(r"[\w.]+", text) else f"({text})"


def _is_constant(node: Node) -> bool:
    return all(not isinstance(n, Symbol | DimValue | Constant | Call) for n in walk(node))


def _plain_number(node: Node) -> Fraction | None:
    """The value of ``k``, ``-k``, ``p/q`` or ``-p/q`` (literal numbers); else None."""
    sign = 1
    if isinstance(node, Unary):
        sign, node = (-1 if node.op == "-" else 1), node.arg
    if isinstance(node, Number):
        return sign * node.value
    if isinstance(node, Binary) and node.op == "/":
        num, den = node.left, node.right
        if isinstance(num, Unary) and isinstance(num.arg, Number):
            sign, num = sign * (-1 if num.op == "-" else 1), num.arg
        if isinstance(num, Number) and isinstance(den, Number) and den.value != 0:
            return sign * num.value / den.value
    return None


def _integer_valued(node: Node, integer_names: frozenset[str] = frozenset()) -> bool:
    """Is every value of this expression an integer?  Integer and index symbols, dimensions,
    integer literals, comparisons (0/1) and entries of symbols the assumptions make integers,
    combined by + - * @, and a power of one by a non-negative integer (a literal, an integer or
    index symbol: t ** 2, 2 ** t); no division, no function."""
    if isinstance(node, Compare):
        return True
    if isinstance(node, Symbol):
        return node.kind in ("integer", "index") or node.name in integer_names
    if isinstance(node, Number):
        return node.value.denominator == 1
    if isinstance(node, DimValue):
        return True
    if isinstance(node, Constant | Call | Grid):
        return False
    if isinstance(node, Binary) and node.op == "**":
        # an integer to a non-negative integer power is an integer; a negative exponent (t ** -1)
        # or one whose sign is unknown (a label assumed binary is 0/1, a range may go below 0)
        # is not counted
        right = node.right
        natural = (isinstance(right, Number) and right.value.denominator == 1) or \
            (isinstance(right, Symbol) and right.kind in ("integer", "index"))
        return natural and _integer_valued(node.left, integer_names)
    if isinstance(node, Binary) and node.op == "/":
        return False
    return all(_integer_valued(c, integer_names) for c in children(node))


def _positive_constant(node: Node) -> bool:
    """A literal positive number, 2, 0.5 or 1/2: a base that keeps a symbolic power real."""
    value = _plain_number(node)
    return value is not None and value > 0


# library functions whose meaning differs from the maths' function of that name: what they
# compute, and what to write
_LIBRARY_MEANINGS = {
    "kl_div": "F.kl_div(input, target) takes log-probabilities as its input and computes "
              "mean(target * (log(target) - input)) over entries (reduction='mean'; "
              "'batchmean' divides the sum by the batch size): for KL(p ‖ q) write "
              "sum(p * log(p / q))",
    "binary_cross_entropy": "torch clamps each log at -100: write -(y * log(p) + (1 - y) * "
                            "log(1 - p)) (mean(...) over entries), torch's value where "
                            "p and 1 - p exceed e^-100",
    "pairwise_distance": "it adds eps = 1e-6 to the difference: write norm(x - y + eps) "
                         "(declare eps: scalar), or norm(x - y) without it",
    "cosine_similarity": "it divides by max(‖x‖ ‖y‖, eps) (eps = 1e-8): write "
                         "x.T @ y / (norm(x) * norm(y)), its value where ‖x‖ ‖y‖ >= eps",
    "normalize": "it divides by max(‖x‖, eps) (eps = 1e-12) along dim=1 by default: write "
                 "x / norm(x), its value where ‖x‖ >= eps (of a matrix's rows, "
                 "X / sqrt(sum(X ** 2, axis=1)))",
    "cdist": "it takes batches of row vectors (n×d and m×d, an n×m table of distances): for "
             "two vectors write norm(x - y)",
}
# a library function the language lacks, named in its refusal: how to write it (F.huber_loss)
_LIBRARY_HINTS = {
    "huber_loss": ", e.g. (abs(r) <= d) * r ** 2 / 2 + (abs(r) > d) * d * (abs(r) - d / 2) "
                  "with r = input - target (torch's mean over entries: mean(...))",
    "smooth_l1_loss": ", e.g. (abs(r) < beta) * r ** 2 / (2 * beta) + (abs(r) >= beta) * "
                      "(abs(r) - beta / 2) with r = input - target (torch's mean: mean(...))",
    "binary_cross_entropy_with_logits": ", e.g. mean(softplus(z) - y * z)",
    "elu": ", e.g. (z > 0) * z + (z <= 0) * (exp(z) - 1)",
    "diag_embed": ", e.g. diag(x)",
}


def _positive_form(node: Node, scope: Scope) -> bool:
    """Positive by its form at every point the assumptions allow: a symbol (or its entry)
    assumed positive, a positive number, exp, σ or softplus of anything, a sum or mean of
    such, c − x for x in an interval below c, log x for x in an interval above 1, and sums
    (one part positive, the rest nonnegative), products, quotients and real powers of such."""
    if isinstance(node, Symbol | Subscript):
        name = _named(node)
        return name is not None and name in scope.positive
    if isinstance(node, Call):
        if node.fn in ("exp", "sigmoid", "softplus"):
            return True
        if node.fn in ("sqrt", "sum", "mean") and len(node.args) == 1:
            return _positive_form(node.args[0], scope)  # a sum of positives: d ≥ 1 terms
        if node.fn == "log" and len(node.args) == 1:
            low = _bound(node.args[0], scope, 0)
            return low is not None and (low[0] > 1 or (low[0] == 1 and low[1]))
        return False
    if isinstance(node, Binary) and node.op == "+":
        return (_positive_form(node.left, scope) and _nonnegative_form(node.right, scope)) or (
            _nonnegative_form(node.left, scope) and _positive_form(node.right, scope))
    if isinstance(node, Binary) and node.op in ("*", "/"):
        return _positive_form(node.left, scope) and _positive_form(node.right, scope)
    if isinstance(node, Binary) and node.op == "**":
        return _positive_form(node.left, scope)
    if isinstance(node, Binary) and node.op == "-":
        value = _plain_number(node.left)
        if value is None:
            return False
        if isinstance(node.right, Call) and node.right.fn == "sigmoid":
            return value >= 1  # 1 − σ(z) = σ(−z) > 0 (focal loss's base)
        high = _bound(node.right, scope, 1)
        return high is not None and (high[0] < value or (high[0] == value and high[1]))
    return _positive_constant(node)


def _nonnegative_form(node: Node, scope: Scope) -> bool:
    """≥ 0 by its form: positive ones, even powers, norms, |·|, relu, and sums, means and
    products of such."""
    if _positive_form(node, scope):
        return True
    if isinstance(node, Symbol | Subscript):
        name = _named(node)
        return name is not None and name in scope.nonnegative
    if isinstance(node, Call):
        if node.fn in ("norm", "abs", "relu"):
            return True
        return node.fn in ("sum", "mean") and len(node.args) == 1 \
            and _nonnegative_form(node.args[0], scope)
    if isinstance(node, Binary) and node.op in ("+", "*"):
        return _nonnegative_form(node.left, scope) and _nonnegative_form(node.right, scope)
    if isinstance(node, Binary) and node.op == "**":
        value = _plain_number(node.right)
        return value is not None and value.denominator == 1 and value % 2 == 0
    return False


def _named(node: Node) -> str | None:
    """The symbol a node is, or whose entry it is."""
    if isinstance(node, Symbol):
        return node.name
    if isinstance(node, Subscript) and isinstance(node.arg, Symbol):
        return node.arg.name
    return None


def _bound(node: Node, scope: Scope, end: int) -> tuple[Fraction, bool] | None:
    """(the low end (end 0) or high end (1) of the interval the symbol is assumed in, whether
    it is open), or None for a node that is not such a symbol."""
    name = _named(node)
    found = scope.bounds(name) if name is not None else None
    return None if found is None else (found[end], found[2 + end])


def _contains_power(node: Node) -> bool:
    return any(isinstance(n, Binary) and n.op == "**" for n in walk(node))
