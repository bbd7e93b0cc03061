"""A formula pasted from LaTeX, read where every command in it has one meaning in the language.

``\\frac{a}{b}`` is ``((a) / (b))``, ``\\sqrt{x}`` ``√(x)``, ``x^\\top`` and ``x^{\\top}`` ``xᵀ``,
``\\|x\\|`` ``‖x‖``, ``\\left(`` and ``\\right)`` plain parentheses, ``\\cdot`` ``·``, ``\\odot``
``⊙``, ``\\otimes`` ``⊗``, ``\\log`` ``log`` (and the other function names), ``\\operatorname{tr}``
``tr``, ``\\mathbf{x}`` ``x``, ``\\le`` ``<=``, Greek letters their spelled names (``\\lambda``
``lam`` where the claim declares lam).  The result is typeset notation the notation reader and
the parser take from there (√ of a square matrix refused, · of vectors an inner product, …).
A command without such a meaning (``\\sum``, ``\\mathbb{E}``, ``\\nabla``, ``\\sigma(`` as a
function) leaves the text unread: ``read_latex`` returns None and the parser's refusal names
each command with its spelling.
"""

from __future__ import annotations

import re

from verifier.language.errors import ClaimInputError

__all__ = ["APPROXIMATE", "DISTRIBUTED", "PROPORTIONAL", "aligned", "aligned_step", "read_latex"]

# what to write for a relation that is not a claim (≈, ∝, ∼): said alike by the LaTeX reader and
# by a one-line claim's split (claimfile)
APPROXIMATE = ("≈ (\\approx) is not a claim: a claim is an exact equality; write = for what "
               "holds exactly, with the remainder written out where a step approximates")
PROPORTIONAL = ("∝ (\\propto) leaves its constant unnamed: write the equality with the "
                "constant, a = c * b (declare c: scalar), or the ratio a / b where b is nonzero")
DISTRIBUTED = ("x ∼ p (\\sim, a distribution) says how x is distributed, which the language "
               "does not state: write the density or the log-likelihood itself, or a range as "
               "an assumption")

_SIMPLE = {
    r"\left(": "(", r"\right)": ")", r"\left[": "(", r"\right]": ")", r"\left|": "|",
    r"\right|": "|", r"\left\|": "‖", r"\right\|": "‖", r"\|": "‖", r"\cdot": "·",
    r"\times": "×", r"\odot": "⊙", r"\otimes": "⊗", r"\leq": "<=", r"\geq": ">=", r"\le": "<=",
    r"\ge": ">=", r"\neq": "!=", r"\ne": "!=", r"\lt": "<", r"\gt": ">", r"\,": " ",
    r"\;": " ", r"\!": "", r"\quad": " ", r"\top": "ᵀ", r"\intercal": "ᵀ",
    r"\pi": "π", r"\ln": "log",  # π is pi; \ln x is log x (round 15)
    r"\left\lVert": "‖", r"\right\rVert": "‖", r"\lVert": "‖", r"\rVert": "‖", r"\Vert": "‖",
    r"\left\lvert": "|", r"\right\rvert": "|", r"\lvert": "|", r"\rvert": "|",  # round 16
    r"\infty": "∞",  # ‖x‖_∞ (an ∞ elsewhere is refused as ∞ is)
    r"\langle": "⟨", r"\rangle": "⟩",  # ⟨x, y⟩: dot(x, y) (round 17)
    r"\left\langle": "⟨", r"\right\rangle": "⟩",
}
_FUNCTIONS = ("log", "exp", "det", "sin", "cos", "tanh", "max", "min", "tr")
_WRAPPERS = ("operatorname", "mathrm", "text", "mathbf", "boldsymbol", "bm", "mathit",
             "textrm", "mathsf", "mathcal", "mathscr")  # \mathcal{L}: the declared L
_GREEK = ("alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "eta", "theta", "kappa",
          "lambda", "mu", "nu", "rho", "sigma", "tau", "phi", "varphi", "psi", "omega", "xi",
          "zeta", "chi", "Sigma", "Lambda", "Phi", "Psi", "Omega", "Theta", "Gamma", "Delta",
          "ell")  # \ell, a loss's usual name: ell (or l) as declared
# \hat{y}, \bar{x}, \tilde{x}: the declared name with the accent as a word (y_hat, yhat)
_ACCENTS = {"hat": "hat", "widehat": "hat", "bar": "bar", "overline": "bar", "tilde": "tilde",
            "widetilde": "tilde"}
# the names a Greek letter may be declared as, in order (lambda is a Python keyword)
_GREEK_NAMES = {"lambda": ("lam", "lmbda", "lambda_"), "epsilon": ("eps", "epsilon"),
                "varepsilon": ("eps", "epsilon"), "varphi": ("phi",), "ell": ("ell", "l")}
_COMMAND = re.compile(r"\\([A-Za-z]+)")
# \mathbb{1}[z > 0], \mathbb{1}\{z > 0\}, \mathbb{1}_{z > 0}, \mathbf{1}[…], \mathbb{I}(…): an
# indicator, which the language writes as the comparison itself (1 where it holds, else 0)
_COMPARED = r"(?:[<>≤≥]|\\[lg]e|\\[lg]eq|\\neq?)"  # the condition holds a comparison
_INDICATOR = re.compile(r"\\(?:mathbb|mathbf|mathds|bm|mathbbm)\s*\{\s*(?:1|I)\s*\}\s*"
                        rf"(?:\[([^\[\]]*{_COMPARED}[^\[\]]*)\]"
                        rf"|\\\{{([^{{}}]*{_COMPARED}[^{{}}]*)\\\}}"
                        rf"|_\{{([^{{}}]*{_COMPARED}[^{{}}]*)\}})")
# \log_2(x), \log_{10} x: a logarithm to a numeric base (round 16)
_LOG_BASE = re.compile(r"\\log\s*_\s*(?:\{\s*(\d+)\s*\}|(\d))")
# ∂/∂x, d/dx and ∇_x of the frac or subscript forms (round 16); the variable a plain name
_VARIABLE = r"(?P<var>[A-Za-z][A-Za-z0-9_]*)"
_PARTIAL = r"\\partial(?![A-Za-z])"
_DIFF = rf"(?:{_PARTIAL}|d(?=[\s(\\}}]|[A-Za-z]))"  # \partial, or d where d is not declared
_SECOND = r"(?:\^\s*(?:\{\s*2\s*\}|2))"
# ∂f/∂x_i, ∂f/∂W_{ij} (read as x[i], W[i, j] already): an entry of the gradient
_KEY = r"\s*(?P<key>\[[^\[\]]*\])"
# ∂f/∂xᵀ (the variable transposed, ^\top read as ᵀ already): the numerator-layout Jacobian
_ROW = r"\s*(?:ᵀ|\^\s*(?:T|\{\s*T\s*\}))"


_SET_OPENED = re.compile(r"\\(max|min)\s*\\\{")


def _max_of_set(text: str) -> str:
    """\\max\\{a, b\\} and \\min\\{a, b\\} of two elements as max(a, b): the larger of
    the two, element-wise as the language's max(a, b) (a set of one element or of \\dots
    stays unread)."""
    for _ in range(16):
        m = _SET_OPENED.search(text)
        close = text.find(r"\}", m.end()) if m else -1
        inside = text[m.end():close] if m and close >= 0 else ""
        if m is None or close < 0 or r"\{" in inside or _top_level_commas(inside) != 1:
            return text
        text = f"{text[:m.start()]}\\{m.group(1)}({inside}){text[close + 2:]}"
    return text


def _top_level_commas(text: str) -> int:
    depth, commas = 0, 0
    for ch in text:
        depth += ch in "([{"
        depth -= ch in ")]}"
        commas += ch == "," and depth == 0
    return commas


def read_latex(text: str, declared: frozenset[str] = frozenset(),
               numerator_layout: bool = False) -> str | None:
    """``text`` with its LaTeX commands written in the language's typeset notation, or None
    where a command has no one meaning (or the braces of \\frac, \\sqrt do not close).
    Raises ``ClaimInputError`` for a derivative written so that its operand is not one."""
    _refuse_unclaimable(text)
    out = _plain_tokens(text, declared)  # \frac12, \sqrt x, \big(, {\rm T}, A^{-\top}, 1_n
    out = _cases(out)  # \begin{cases} a & c \\ b & \text{otherwise} \end{cases} (round 16)
    out = _INDICATOR.sub(r"(\1\2\3)", out)  # \mathbb{1}[z > 0]: the comparison (round 16)
    out = _function_powers(out)  # \cos^2 s: (\cos s)^2 (round 16)
    out = _NUMBER_TIMES_NAME.sub(r"\\\1(\2 \3)", out) if out is not None else None  # \cos 2s
    if out is None:
        return None
    out = _max_of_set(out)  # \max\{0, 1 - y s\}: max(0, 1 - y s) (round 18)
    for wrapper in _WRAPPERS:  # \operatorname{tr}(A): tr(A); \mathbf{x}: x; \boldsymbol{\mu}
        out = re.sub(rf"\\{wrapper}\s*\{{\s*(\\?[A-Za-z_]\w*)\s*\}}",
                     lambda m: _spaced(m, m.group(1)), out)
    if "Phi" not in declared:  # \Phi(x): Φ(x), the standard normal CDF as Φ(x) is read
        out = re.sub(r"\\Phi(?=\s*\()", lambda m: _spaced(m, "Φ"), out)
    out = _log_bases(out)
    if out is None:
        return None
    out = re.sub(r"\^\s*\{\s*\\(?:top|intercal)\s*\}|\^\s*\\(?:top|intercal)\b", "ᵀ", out)
    for command, word in _ACCENTS.items():  # \hat{y} where y_hat (or yhat) is declared
        out = re.sub(rf"\\{command}\s*\{{\s*([A-Za-z]\w*)\s*\}}",
                     lambda m, w=word: _spaced(m, next(
                         (n for n in (f"{m.group(1)}_{w}", f"{m.group(1)}{w}") if n in declared),
                         m.group(0))), out)
    for command in sorted(_SIMPLE, key=len, reverse=True):
        if command[-1].isalpha():
            out = re.sub(re.escape(command) + r"(?![A-Za-z])",
                         lambda m, w=_SIMPLE[command]: _spaced(m, w), out)
        else:
            out = out.replace(command, _SIMPLE[command])
    for name in _FUNCTIONS:
        out = re.sub(rf"\\{name}(?![A-Za-z])", lambda m, w=name: _spaced(m, w), out)
    out = re.sub(r"\\nabla\s*_\s*(\\[A-Za-z]+)", r"\\nabla_{\1}", out)  # \nabla_\theta
    out = re.sub(r"\\nabla\s*\^\s*(\{\s*2\s*\}|2)\s*_\s*(\\[A-Za-z]+)", r"\\nabla^2_{\2}", out)
    if "sigma" not in declared:  # \sigma(z) undeclared: the logistic, as papers mean it
        out = re.sub(r"\\sigma(?=\s*\()", lambda m: _spaced(m, "sigmoid"), out)
    for letter in _GREEK:
        choices = _GREEK_NAMES.get(letter, (letter,))
        spelled = next((c for c in choices if c in declared), choices[0])
        out = re.sub(rf"\\{letter}(?![A-Za-z])(?!\s*\()",  # \sigma( declared: refused
                     lambda m, w=spelled: _spaced(m, w), out)
    out = _derivatives(out, text, declared, numerator_layout)
    if out is None:
        return None
    for _ in range(64):  # \frac and \sqrt, innermost first
        m = re.search(r"\\(frac|dfrac|tfrac|sqrt)\s*\{", out)
        if m is None:
            break
        first = _group(out, m.end() - 1)
        if first is None:
            return None
        if m.group(1) == "sqrt":
            out = f"{out[:m.start()]}√({out[m.end():first]}){out[first + 1:]}"
            continue
        rest = re.match(r"\s*\{", out[first + 1:])
        second = _group(out, first + 1 + rest.end() - 1) if rest else None
        if rest is None or second is None:
            return None
        numerator = out[m.end():first]
        denominator = out[first + 1 + rest.end():second]
        out = f"{out[:m.start()]}(({numerator}) / ({denominator})){out[second + 1:]}"
    if _COMMAND.search(out) or "\\" in out:
        return None
    return out


# commands whose formula is no claim the language can state, each with what to write (round
# 17: they were refused as "write the language's own name for \approx", which has none)
_UNCLAIMABLE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\\approx(?![A-Za-z])|≈"), APPROXIMATE),
    (re.compile(r"\\propto(?![A-Za-z])|∝"), PROPORTIONAL),
    # \mathcal{L}(\theta): a loss as a function of θ, which a declared L is not (L θ, a product)
    (re.compile(r"\\math(?:cal|scr)\s*\{\s*\w+\s*\}\s*(?:\\left\s*)?\(|\\ell\s*(?:\\left\s*)?\("),
     "\\mathcal{L}(θ) is a function of θ, and the language has no function symbols (a "
     "declared L beside (θ) would be the product L θ): write the expression L stands for, "
     "with θ in it"),
    (re.compile(r"\\sim(?![A-Za-z])"), DISTRIBUTED),
    (re.compile(r"\\mathbb\s*\{\s*E\s*\}|\\(?:mathrm|operatorname)\s*\{\s*E\s*\}\s*"
                r"(?=_|\[|\\left\s*\[)"),
     "an expectation \\mathbb{E} is not in the language: write the average over samples, "
     "mean(e, i) with i declared index(N), or the sum weighted by the probabilities, "
     "sum(p * f)"),
    (re.compile(r"\\arg\s*\\?(?:max|min)|\\operatorname\*?\s*\{\s*arg\s*(?:\\,)?\s*(?:max|min)\s*\}"
                r"|\\(?:argmax|argmin)(?![A-Za-z])"),
     "arg max / arg min is an index or a point, not a value, and has no derivative: it is not "
     "in the language; for the largest value write max(x) (the largest entry)"),
    # ∛(−8) is −2 in maths, nan as NumPy's (−8) ** (1/3): which one is meant is not written
    (re.compile(r"\\sqrt\s*\["),
     "a k-th root \\sqrt[k]{x} is not read (real for a negative x when k is odd, as np.cbrt; "
     "undefined there as x ** (1/k)): write x ** (1/3) where x >= 0, or "
     "sign(x) * abs(x) ** (1/3) for the real cube root of any x"),
    (re.compile(r"\\(?:max|min)\s*_"),
     "a max or min over an index (\\max_i e) is not in the language: write max(x) (min(x)) "
     "for the largest (smallest) entry of a vector x, max(a, b) for the element-wise one"),
)


def _refuse_unclaimable(text: str) -> None:
    for pattern, message in _UNCLAIMABLE:
        m = pattern.search(text)
        if m is not None:
            raise _derivative_error(text, m.start(), message)


# sizing commands before a delimiter (\big( \Bigr] \bigl\|): the delimiter alone
_SIZED = re.compile(r"\\(?:big|Big|bigg|Bigg)[lrm]?(?![A-Za-z])\s*(\\\||\\[lr]?[Vv]ert|[()\[\]|])")
_BRACKETS = {"[": "(", "]": ")"}
# a superscript -\top: the inverse transposed (A^{-\top} = (A^{-1})^\top)
_INVERSE_TRANSPOSE = r"\^\s*\{\s*-\s*(?:\\top|\\intercal|\\mathsf\s*\{\s*T\s*\}%s)\s*\}"
# \mathbf{1}_n, \boldsymbol{1}_{n}, \mathbf{0}_n: ones or zeros of a declared dimension
_ONES = re.compile(r"\\(?:mathbf|boldsymbol|bm|mathbb)\s*\{\s*(?P<v>1|0)\s*\}\s*_\s*"
                   r"(?:\{\s*(?P<n>\w+)\s*\}|(?P<n1>\w))")


def _plain_tokens(text: str, declared: frozenset[str]) -> str:
    """Spellings with one meaning written plainly: \\frac12 and \\sqrt x (LaTeX takes one
    token as an argument) braced, sizing commands (\\big( \\Bigr)) and old font switches
    ({\\rm T}) dropped, A^{-\\top} as A^{-1}ᵀ, \\mathbf{1}_n of a dimension n as ones(n)."""
    out = _SIZED.sub(lambda m: _BRACKETS.get(m.group(1), m.group(1)), text)
    out = re.sub(r"\{\s*\\(?:rm|bf|it|sf)\s+(\w+)\s*\}", r"\1", out)
    out = re.sub(_INVERSE_TRANSPOSE % ("" if "T" in declared else "|T"), "^{-1}ᵀ", out)
    out = _ONES.sub(lambda m: f" {'ones' if m.group('v') == '1' else 'zeros'}"
                    f"({m.group('n') or m.group('n1')}) "
                    if (m.group("n") or m.group("n1")) in declared else m.group(0), out)
    out = re.sub(r"\\(?:mathbf|boldsymbol|bm)\s*\{\s*0\s*\}(?!\s*_)", " 0 ", out)  # 𝟎: 0
    return _braced_arguments(out)


def _braced_arguments(text: str) -> str:
    """\\frac12 as \\frac{1}{2}, \\frac1n, \\frac{a}2, \\sqrt x as \\sqrt{x}: an argument
    not in braces is one token, a digit, a letter or a command, as LaTeX reads it."""
    out, start = text, 0
    while (m := re.compile(r"\\([dt]?frac|sqrt)(?![A-Za-z])").search(out, start)) is not None:
        k = start = m.end()
        for _ in range(2 if m.group(1) != "sqrt" else 1):
            while k < len(out) and out[k].isspace():
                k += 1
            if k >= len(out) or out[k] == "[":
                break
            if out[k] == "{":
                closing = _group(out, k)
                if closing is None:
                    return out
                k = closing + 1
                continue
            token = re.compile(r"\\[A-Za-z]+|[A-Za-z0-9]").match(out, k)
            if token is None:
                break
            out = f"{out[:k]}{{{token.group()}}}{out[token.end():]}"
            k = token.end() + 2
    return out


def _spaced(m: re.Match, word: str) -> str:
    """``word`` for the command matched by ``m``, kept apart from a letter, digit or closing
    bracket glued to it (a LaTeX command ends where its letters do: \\sin\\theta is sin θ,
    2\\theta is 2 θ, \\alpha\\beta is α β; they were read as sintheta, 2theta, alphabeta)."""
    text = m.string
    before, after = text[m.start() - 1:m.start()], text[m.end():m.end() + 1]
    glued_before = word[:1].isalnum() and (before.isalnum() or before in ")]}ᵀ")
    glued_after = word[-1:].isalnum() and after.isalnum()
    return f"{' ' if glued_before else ''}{word}{' ' if glued_after else ''}"


def _group(text: str, opening: int, pair: str = "{}") -> int | None:
    """The index of the brace (or parenthesis) closing the one at ``opening``."""
    depth = 0
    for k in range(opening, len(text)):
        depth += (text[k] == pair[0]) - (text[k] == pair[1])
        if depth == 0:
            return k
    return None


def _log_bases(text: str) -> str | None:
    """\\log_b(e) as (\\log(e) / \\log(b)); \\log_b e (no parentheses) as (1 / \\log(b)) \\log e,
    whose operand the parser reads as it reads \\log e.  None where a parenthesis does not
    close."""
    out = text
    for _ in range(64):
        m = _LOG_BASE.search(out)
        if m is None:
            return out
        base = m.group(1) or m.group(2)
        rest = re.match(r"\s*\(", out[m.end():])
        if rest is None:
            out = f"{out[:m.start()]}(1 / \\log({base})) \\log {out[m.end():]}"
            continue
        opening = m.end() + rest.end() - 1
        closing = _group(out, opening, "()")
        if closing is None:
            return None
        out = (f"{out[:m.start()]}(\\log({out[opening + 1:closing]}) / \\log({base}))"
               f"{out[closing + 1:]}")
    return out


def _heads(diff: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The operators \\frac{∂}{∂x} (grad), \\frac{∂^2}{∂x ∂xᵀ} (hessian) and \\nabla_x, with
    ``diff`` the pattern of ∂ (\\partial, or also d where d is not a declared name)."""
    return (
        # \frac{\partial^2}{\partial x \partial xᵀ}, \frac{\partial^2}{\partial x^2}
        ("hessian", re.compile(rf"\\[dt]?frac\s*\{{\s*{diff}\s*{_SECOND}\s*\}}\s*\{{\s*{diff}\s*"
                               rf"{_VARIABLE}\s*(?:{_SECOND}|{diff}\s*(?P=var)\s*ᵀ?)\s*\}}")),
        # \frac{\partial}{\partial x}, \frac{d}{dx}; \frac{\partial}{\partial x^\top}
        ("grad", re.compile(rf"\\[dt]?frac\s*\{{\s*{diff}\s*\}}\s*\{{\s*{diff}\s*{_VARIABLE}"
                            rf"(?:{_KEY}|(?P<row>{_ROW}))?\s*\}}")),
        # \nabla_x^2, \nabla^2_{x}: the Hessian (round 17)
        ("hessian", re.compile(rf"\\nabla\s*(?:_\s*(?:\{{\s*{_VARIABLE}\s*\}}|(?P<letter>[A-Za-z])"
                               rf"(?![A-Za-z0-9_]))\s*{_SECOND}|{_SECOND}\s*_\s*(?:\{{\s*"
                               rf"(?P<var2>[A-Za-z][A-Za-z0-9_]*)\s*\}}|(?P<letter2>[A-Za-z])"
                               r"(?![A-Za-z0-9_])))")),
        # \nabla_x, \nabla_{x}; \partial_x, \partial_{x} (round 18)
        ("grad", re.compile(rf"\\(?:nabla|partial)\s*_\s*(?:\{{\s*{_VARIABLE}\s*\}}"
                            r"|(?P<letter>[A-Za-z])(?![A-Za-z0-9_]))")),
    )


_HEADS = {True: _heads(_DIFF), False: _heads(_PARTIAL)}
# \frac{\partial f}{\partial x}, \frac{d f}{d x}, \frac{\partial^2 f}{\partial x \partial xᵀ}
_QUOTIENTS = {d: re.compile(rf"\\[dt]?frac\s*\{{\s*{diff}\s*(?P<second>{_SECOND})?")
              for d, diff in ((True, _DIFF), (False, _PARTIAL))}


def _derivatives(out: str, original: str, declared: frozenset[str],
                 numerator_layout: bool = False) -> str | None:
    """Derivatives as notes write them, read as grad(f, x) (hessian(f, x) for the second):
    \\frac{\\partial f}{\\partial x}, \\frac{\\partial}{\\partial x}(f), \\frac{d}{dx}(f),
    \\nabla_x (f), in the claim's layout as grad is.  The operand of an operator is the group
    in parentheses after it, or the rest of the side where that is one term; otherwise (and
    for a declared symbol alone as the numerator, which does not depend on x) refused."""
    for _ in range(64):
        found = _first_derivative(out, declared)
        if found is None:
            return out
        start, end, function, variable, operand = found
        if function == "jacobianᵀ" and numerator_layout:
            raise _derivative_error(
                out, start, f"∂f/∂{variable}ᵀ is read in the denominator layout (the default), "
                f"as the numerator-layout Jacobian; in numerator layout write "
                f"jacobian(f, {variable})")
        if operand is None:
            operand, end = _operand(out, end, original)
        if function == "jacobianᵀ":  # ∂f/∂xᵀ: rows = outputs, the transposed denominator form
            out = f"{out[:start]}(jacobian(({operand}), {variable}))ᵀ{out[end:]}"
            continue
        if function.startswith("grad["):  # ∂f/∂x_i: entry i of the gradient (round 17)
            key = function[len("grad"):]
            if numerator_layout and "," in key:  # the gradient has Wᵀ's shape there
                key = f"[{', '.join(reversed([k.strip() for k in key[1:-1].split(',')]))}]"
            out = f"{out[:start]}(grad(({operand}), {variable})){key}{out[end:]}"
            continue
        out = f"{out[:start]}{function}(({operand}), {variable}){out[end:]}"
    return out


def _first_derivative(out: str, declared: frozenset[str]
                      ) -> tuple[int, int, str, str, str | None] | None:
    """The first derivative in ``out``: (start, end, function, variable, operand or None for
    an operator whose operand follows)."""
    best: tuple[int, int, str, str, str | None] | None = None
    d_form = "d" not in declared  # a declared d (ℝ^d) is the claim's own: \\partial only
    diff = _DIFF if d_form else _PARTIAL
    for function, head in _HEADS[d_form]:
        m = head.search(out)
        if m is not None and (best is None or m.start() < best[0]) \
                and not (d_form and _declared_word(out, m.start(), m.end(), declared)):
            variable = m.group("var") or m.groupdict().get("letter") \
                or m.groupdict().get("var2") or m.groupdict().get("letter2")
            if m.groupdict().get("row"):
                function = "jacobianᵀ"
            elif m.groupdict().get("key"):
                function = f"grad{m.group('key')}"
            best = (m.start(), m.end(), function, variable, None)
    for m in _QUOTIENTS[d_form].finditer(out):
        if best is not None and m.start() >= best[0]:
            break
        closing = _group(out, out.index("{", m.start()))
        rest = re.match(r"\s*\{", out[closing + 1:]) if closing is not None else None
        if rest is None:
            continue
        second = _group(out, closing + rest.end())
        numerator = out[m.end():closing].strip()
        below = out[closing + rest.end() + 1:second] if second is not None else ""
        d = re.fullmatch(rf"\s*{diff}\s*{_VARIABLE}\s*" + (
            rf"(?:{_SECOND}|{diff}\s*(?P=var)\s*ᵀ?)\s*" if m.group("second")
            else rf"(?:{_KEY}|(?P<row>{_ROW}))?\s*"), below)
        if not numerator or d is None:
            continue
        variable = d.group("var")
        if d_form and (_declared_word(out, m.start(), closing, declared)
                       or _declared_word(below, 0, len(below), declared)):
            continue
        if re.fullmatch(r"[A-Za-z_]\w*", numerator) and numerator != variable:
            raise _derivative_error(
                out, m.start(), f"the derivative of {numerator} by {variable}: a declared symbol "
                f"(or an unknown name) does not depend on {variable} in a claim; write the "
                f"expression {numerator} stands for, grad(f, {variable}) or "
                f"\\frac{{\\partial}}{{\\partial {variable}}}(f)")
        function = "hessian" if m.group("second") else \
            "jacobianᵀ" if d.groupdict().get("row") else f"grad{d.groupdict().get('key') or ''}"
        best = (m.start(), second + 1, function, variable, numerator)
        break
    return best


def _declared_word(text: str, start: int, end: int, declared: frozenset[str]) -> bool:
    """Is a word in text[start:end] that starts with d a declared name (\\frac{dk}{dt} with dk
    declared, \\frac{delta}{dt} with delta: a quotient, not a derivative)?"""
    return any(w in declared for w in re.findall(r"\bd\w*", text[start:end]))


def _operand(out: str, end: int, original: str) -> tuple[str, int]:
    """The operand after a derivative operator ending at ``end``: a parenthesised group (then
    nothing but an operator, a comparison or a closing parenthesis may follow it), or the rest
    of the text where it is one term (\\nabla_θ (θᵀx − y)^2: a power is the operand's, a
    transpose the gradient's: ∇f(x)ᵀv).
    Returns (operand, index past it)."""
    rest = re.match(r"\s*\(", out[end:])
    closing = _group(out, end + rest.end() - 1, "()") if rest is not None else None
    after = out[closing + 1:] if closing is not None else ""
    if closing is not None and re.match(r"\s*(?:$|[-+=<>),]|!=)", after):
        return out[end + rest.end():closing], closing + 1
    if rest is None or (closing is not None and re.match(r"\s*(?:\^\s*\{?\s*\d|²)", after)):
        tail = out[end:]
        stop = _term_end(tail)
        if tail[:stop].strip() and re.match(r"\s*(?:$|[=<>),]|!=)", tail[stop:]):
            return tail[:stop].strip(), end + stop
    raise _derivative_error(
        out, end, "a derivative's operand is not clear: put the function in parentheses after "
        "the operator, \\frac{\\partial}{\\partial x}(f) or \\nabla_x (f), or write grad(f, x)")


def _term_end(text: str) -> int:
    """The index of the first + or - outside brackets in ``text`` (its length if none)."""
    depth, bars = 0, 0
    for k, ch in enumerate(text):
        depth += (ch in "({[") - (ch in ")}]")
        bars += ch == "‖"  # ‖x − y‖: the - is inside the bars
        if depth < 0 or (depth == 0 and bars % 2 == 0 and ch in "+-=<>" and text[:k].strip()):
            return k
    return len(text)


def _derivative_error(out: str, index: int, message: str) -> ClaimInputError:
    line = out.count("\n", 0, index) + 1
    column = index - (out.rfind("\n", 0, index) + 1) + 1
    return ClaimInputError(message, line=line, column=column)


_CASES = re.compile(r"\\begin\s*\{\s*cases\s*\}(?P<body>.*?)\\end\s*\{\s*cases\s*\}", re.DOTALL)
_OTHERWISE = re.compile(r"(?:\\text\s*\{\s*)?(?:otherwise|else|sonst)\s*\}?\s*[.,]?\s*$")
_IF_WORD = re.compile(r"^(?:\\text\s*\{\s*if\s*\}|\\mathrm\s*\{\s*if\s*\}|if\b)\s*")
_SAME = {"\\ge": ">=", "\\geq": ">=", "≥": ">=", "\\le": "<=", "\\leq": "<=", "≤": "<=",
         "\\gt": ">", "\\lt": "<"}
_COMPARISON = re.compile(r"^(?P<a>.+?)\s*(?P<op>>=|<=|>|<|\\geq|\\leq|\\ge|\\le|\\gt|\\lt|≥|≤)"
                         r"\s*(?P<b>.+)$")


def _cases(text: str) -> str:
    """A cases environment of two rows, value & condition, the second 'otherwise' or the
    first's complement (x > 0, then x \\le 0), as ((c) * (a) + (1 - (c)) * (b)): the
    indicator reading np.where has.  Other cases environments are refused."""
    def read(m: re.Match) -> str:
        rows = [r for r in re.split(r"\\\\", m.group("body")) if r.strip()]
        parts = [r.split("&") for r in rows]
        if len(parts) != 2 or any(len(p) != 2 for p in parts):
            raise _derivative_error(text, m.start(), _CASES_HINT)
        (a, c1), (b, c2) = ([x.strip().rstrip(",").strip() for x in p] for p in parts)
        c1, c2 = _IF_WORD.sub("", c1).rstrip(".,; "), _IF_WORD.sub("", c2).rstrip(".,; ")
        if not (_OTHERWISE.match(c2) or _complementary(c1, c2)):
            raise _derivative_error(text, m.start(), _CASES_HINT)
        return f"(({c1}) * ({a}) + (1 - ({c1})) * ({b}))"
    return _CASES.sub(read, text)


_CASES_HINT = ("a cases environment is read with two rows, value & condition, the second "
               "condition 'otherwise' or the first's negation (x > 0, then x \\le 0); write "
               "(c) * a + (1 - (c)) * b for a comparison c")


def _complementary(first: str, second: str) -> bool:
    """Is ``second`` the negation of the comparison ``first`` (same operands, x > 0 and
    x \\le 0)?"""
    m, n = _COMPARISON.match(first), _COMPARISON.match(second)
    if m is None or n is None or (m.group("a"), m.group("b")) != (n.group("a"), n.group("b")):
        return False
    op, other = _SAME.get(m.group("op"), m.group("op")), _SAME.get(n.group("op"), n.group("op"))
    return other == {">": "<=", ">=": "<", "<": ">=", "<=": ">"}[op]


# \sin^2 x, \cos^{2}(x), \log^2 n: the power of the value, as typeset (never ^{-1}, the inverse)
_FUNCTION_POWER = re.compile(r"\\(sin|cos|tanh|log|ln|exp)\s*\^\s*(?:\{\s*([2-9])\s*\}|([2-9]))\s*")
# the argument then ends the term: \sin^2 x y (sin²(xy) or sin²(x) y?) and \sin^2 2 x are left
# to the refusal, as \sin x y is
_POWER_ARGUMENT = re.compile(r"(?:\\?[A-Za-z]\w*(?:_\{[^{}]*\}|_[A-Za-z0-9]|\[[^\[\]]*\])?"
                             r"|\d+(?:\.\d+)?)"
                             r"(?=\s*(?:$|[-+*/=<>),&]|\\(?:sin|cos|tanh|log|ln|exp|cdot|le|ge|"
                             r"leq|geq|neq|right|\\)(?![A-Za-z])))")


# \cos 2s, \sin 2\theta, \log 2 x: a number and one name after a function's name are its
# argument, as typeset (cos(2s)); more after the name (\cos 2 s t) is left to the refusal
_NUMBER_TIMES_NAME = re.compile(
    r"\\(sin|cos|tanh|log|ln|exp)\s*(\d+(?:\.\d+)?)\s*"
    rf"((?:\\(?:{'|'.join(_GREEK)}|pi)(?![A-Za-z])|[A-Za-z](?:\w*[A-Za-z0-9])?)"
    r"(?:_\{[^{}]*\}|_[A-Za-z0-9])?)"
    r"(?=\s*(?:$|[-+=<>),&]|\\(?:sin|cos|tanh|log|ln|exp|cdot|le|ge|leq|geq|neq|right|\\)"
    r"(?![A-Za-z])))")


def _function_powers(text: str) -> str | None:
    """\\cos^2 s as (\\cos s)^2 and \\cos^2(s + t) as (\\cos(s + t))^2: the argument a
    parenthesised group or one name (a subscript, a Greek command) or number.  None where a
    parenthesis does not close."""
    out = text
    for _ in range(64):
        m = _FUNCTION_POWER.search(out)
        if m is None:
            return out
        k = m.group(2) or m.group(3)
        if out.startswith("(", m.end()):
            closing = _group(out, m.end(), "()")
            if closing is None:
                return None
            end = closing + 1
        else:
            arg = _POWER_ARGUMENT.match(out, m.end())
            if arg is None:
                return out  # left to the refusal that says to call the function
            end = arg.end()
        out = f"{out[:m.start()]}(\\{m.group(1)} {out[m.end():end]})^{{{k}}}{out[end:]}"
    return out


_ALIGN_ENV = re.compile(r"\\(?:begin|end)\s*\{\s*(?:aligned|align\*?|split|eqnarray\*?|gathered)"
                        r"\s*\}")


def aligned(text: str) -> str:
    """A derivation typeset for an aligned environment, a &= b \\\\ &= c, as the chain
    a = b = c: the environment's commands, its & and its line breaks \\\\ dropped (none is in
    the language) outside a cases environment, whose & and \\\\ separate its rows."""
    if "&" not in text and "\\\\" not in text and not _ALIGN_ENV.search(text):
        return text
    pieces, last = [], 0
    for m in _CASES.finditer(text):
        pieces.append((text[last:m.start()], True))
        pieces.append((m.group(0), False))
        last = m.end()
    pieces.append((text[last:], True))
    out = []
    for piece, outside in pieces:
        if outside:
            piece = _ALIGN_ENV.sub(" ", piece).replace("\\\\", " ").replace("&", " ")
        out.append(piece)
    return "".join(out)


def aligned_step(text: str) -> str:
    """One step of a derivation as an aligned environment types it, &= b \\\\: the expression
    b (a leading = says only that it equals the step before)."""
    return re.sub(r"^\s*=(?!=)", "", aligned(text)).strip() if isinstance(text, str) else text
