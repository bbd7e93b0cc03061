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

__all__ = ["read_latex"]

_SIMPLE = {
    r"\left(": "(", r"\right)": ")", r"\left[": "(", r"\right]": ")", r"\left|": "|",
    r"\right|": "|", r"\left\|": "‖", r"\right\|": "‖", r"\|": "‖", r"\cdot": "·",
    r"\odot": "⊙", r"\otimes": "⊗", r"\leq": "<=", r"\geq": ">=", r"\le": "<=",
    r"\ge": ">=", r"\neq": "!=", r"\ne": "!=", r"\lt": "<", r"\gt": ">", r"\,": " ",
    r"\;": " ", r"\!": "", r"\quad": " ", r"\top": "ᵀ", r"\intercal": "ᵀ",
    r"\pi": "π", r"\ln": "log",  # π is pi; \ln x is log x (round 15)
}
_FUNCTIONS = ("log", "exp", "det", "sin", "cos", "tanh", "max", "min", "tr")
_WRAPPERS = ("operatorname", "mathrm", "text", "mathbf", "boldsymbol", "bm", "mathit",
             "textrm", "mathsf")
_GREEK = ("alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "eta", "theta", "kappa",
          "lambda", "mu", "nu", "rho", "sigma", "tau", "phi", "varphi", "psi", "omega", "xi",
          "zeta", "chi", "Sigma", "Lambda", "Phi", "Psi", "Omega", "Theta", "Gamma", "Delta")
# \hat{y}, \bar{x}, \tilde{x}: the declared name with the accent as a word (y_hat, yhat)
_ACCENTS = {"hat": "hat", "widehat": "hat", "bar": "bar", "overline": "bar", "tilde": "tilde",
            "widetilde": "tilde"}
# the names a Greek letter may be declared as, in order (lambda is a Python keyword)
_GREEK_NAMES = {"lambda": ("lam", "lmbda", "lambda_"), "epsilon": ("eps", "epsilon"),
                "varepsilon": ("eps", "epsilon"), "varphi": ("phi",)}
_COMMAND = re.compile(r"\\([A-Za-z]+)")


def read_latex(text: str, declared: frozenset[str] = frozenset()) -> str | None:
    """``text`` with its LaTeX commands written in the language's typeset notation, or None
    where a command has no one meaning (or the braces of \\frac, \\sqrt do not close)."""
    out = text
    for wrapper in _WRAPPERS:  # \operatorname{tr}(A): tr(A); \mathbf{x}: x
        out = re.sub(rf"\\{wrapper}\s*\{{\s*([A-Za-z_]\w*)\s*\}}", r"\1", out)
    out = re.sub(r"\^\s*\{\s*\\(?:top|intercal)\s*\}|\^\s*\\(?:top|intercal)\b", "ᵀ", out)
    for command, word in _ACCENTS.items():  # \hat{y} where y_hat (or yhat) is declared
        out = re.sub(rf"\\{command}\s*\{{\s*([A-Za-z]\w*)\s*\}}",
                     lambda m, w=word: next((n for n in (f"{m.group(1)}_{w}", f"{m.group(1)}{w}")
                                             if n in declared), m.group(0)), out)
    for command in sorted(_SIMPLE, key=len, reverse=True):
        if command[-1].isalpha():
            out = re.sub(re.escape(command) + r"(?![A-Za-z])", _SIMPLE[command], out)
        else:
            out = out.replace(command, _SIMPLE[command])
    for name in _FUNCTIONS:
        out = re.sub(rf"\\{name}(?![A-Za-z])", name, out)
    for letter in _GREEK:
        choices = _GREEK_NAMES.get(letter, (letter,))
        spelled = next((c for c in choices if c in declared), choices[0])
        out = re.sub(rf"\\{letter}(?![A-Za-z])(?!\s*\()", spelled, out)  # \sigma( : refused
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


def _group(text: str, opening: int) -> int | None:
    """The index of the brace closing the one at ``opening``."""
    depth = 0
    for k in range(opening, len(text)):
        depth += (text[k] == "{") - (text[k] == "}")
        if depth == 0:
            return k
    return None
