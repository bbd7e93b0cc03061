"""Assumption phrases as people write them, read as the vocabulary of ``verifier.claim``.

``x > 0`` is ``x positive``, ``0 < p < 1`` is ``p in (0, 1)``, ``A symmetric positive
definite`` is ``A positive definite`` (the engine's positive definite matrices are symmetric),
``A nonsingular`` is ``A invertible``.  Each rewrite has one meaning; a phrase the vocabulary
has no word for (positive semidefinite) gets an error that says what to write instead.
Anything else is passed on unchanged, for ``parse_assumption`` to accept or refuse.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from fractions import Fraction

from verifier.claim import (
    MATRIX_PROPERTIES,
    SCALAR_PROPERTIES,
    ClaimError,
    SymbolDecl,
    exact_decimal,
)
from verifier.language.greek import LETTERS, greek_in_declarations
from verifier.language.sets import membership

__all__ = ["declared_fact", "plain_assumption", "vector_phrase"]

# a comparison with 0, either way round, and the sign word it means
_SIGNS = {">": "positive", ">=": "nonnegative", "<": "negative", "!=": "nonzero"}
_FLIPPED = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "!=": "!="}
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_END = rf"{_NUMBER}(?:\s*/\s*\d+)?"  # an interval's end: a number, or a ratio such as 1/3
_DEFINITE = re.compile(
    r"^(?P<x>.+?)\s+(?:is\s+)?(?:an?\s+)?(?:symmetric[\s,]+(?:and\s+)?)?"
    r"(?:positive[\s-]definite|spd|s\.p\.d\.|pd)(?:\s+matrix)?$",
    re.IGNORECASE,
)
_SEMIDEFINITE = re.compile(
    r"^(?P<x>.+?)\s+(?:is\s+)?(?:an?\s+)?(?:symmetric[\s,]+(?:and\s+)?)?"
    r"(?:positive[\s-]semi[\s-]?definite|psd|p\.s\.d\.)(?:\s+matrix)?$",
    re.IGNORECASE,
)


class SemidefiniteAssumption(ClaimError):
    """"X positive semidefinite" (X ⪰ 0, X psd): not a word of the vocabulary; a claim file's
    loader reads it by a factor, X = F Fᵀ (language/semidefinite.py), else this message."""

    def __init__(self, name: str, claim_id: str | None, message: str):
        super().__init__(claim_id, message)
        self.name = name


# typeset characters with one meaning, as the expressions read them: minus signs and dashes
# pasted from PDFs and word processors, slanted comparisons (\leqslant, \geqslant)
_TYPESET = str.maketrans({"−": "-", "–": "-", "‐": "-", "‑": "-", "⩽": "≤", "⩾": "≥", "≦": "≤",
                          "≧": "≥"})


# one condition is short; the phrase patterns (A.T @ A = I, ...) take time quadratic in the
# length of a name, minutes at 10⁴ characters
MAX_ASSUMPTION = 500


def _short(text: str, claim_id: str | None = None) -> str:
    """The text of one condition, refused past MAX_ASSUMPTION characters."""
    if len(str(text)) > MAX_ASSUMPTION:
        raise ClaimError(claim_id, f"an assumption is one condition of at most {MAX_ASSUMPTION} "
                                   f"characters; this one has {len(str(text))}")
    return str(text)


# round 16: a condition pasted from LaTeX (\Sigma \succ 0, \lambda \ge 0, x \neq 0,
# y \in \{0,1\}^n, x_i > 0 \; \forall i, A = A^\top) read as its typeset characters
_LATEX_WORDS = {"geq": "≥", "geqslant": "≥", "ge": "≥", "leq": "≤", "leqslant": "≤", "le": "≤",
                "neq": "≠", "ne": "≠", "succ": "≻", "succeq": "⪰", "in": "∈", "forall": "∀",
                "det": "det", "sum": "Σ", "quad": " ", "qquad": " ", "left": "", "right": "",
                "infty": "∞", "times": "×", "lvert": "|", "rvert": "|", "vert": "|",
                "lVert": "‖", "rVert": "‖", "Vert": "‖",
                "varepsilon": "ε", "epsilon": "ε", "lambda": "λ", "varphi": "φ",
                **{name: letter for letter, name in LETTERS.items() if name.isalpha()
                   and name not in ("lam",)}}
_LATEX_WRAPPED = re.compile(r"\\(?:mathbf|boldsymbol|bm|mathrm|mathit|operatorname|text|textrm)"
                            r"\s*\{([^{}]*)\}")


def _latex_read(text: str, claim_id: str | None) -> str:
    """An assumption's LaTeX commands as the typeset characters the phrases read; a command
    left over is refused (it would name no declared symbol: \\lambda > 0 was accepted as an
    assumption on a symbol named \\lambda, and so ignored)."""
    if "\\" not in text:
        return text
    t = re.sub(r"\\mathbb\s*\{\s*S\s*\}", "𝕊", text)  # \mathbb{S}^n_{++}: a cone of matrices
    t = re.sub(r"\\mathbb\s*\{\s*R\s*\}", "ℝ", t)  # \mathbb{R}^n_{+}: an orthant
    t = t.replace("\\|", "‖")
    t = _LATEX_WRAPPED.sub(r"\1", t)
    t = re.sub(r"\^\s*(?:\{\s*\\(?:top|intercal)\s*\}|\\(?:top|intercal)(?![A-Za-z]))", "ᵀ", t)
    t = re.sub(r"\\([{}])", r"\1", t)  # \{0, 1\}
    t = re.sub(r"\\[,;:! ]", " ", t)
    t = re.sub(r"\\([A-Za-z]+)", lambda m: _LATEX_WORDS.get(m.group(1), m.group(0)), t)
    left = re.search(r"\\[A-Za-z]+|\\", t)
    if left is not None:
        raise ClaimError(claim_id, f"assumption {text!r}: the LaTeX {left.group()} is not read "
                                   "in an assumption; write it in words or the language "
                                   "(A positive definite, x > 0, 0 < s < 1, y binary)")
    return t


def _quantifier_last(t: str) -> str:
    """∀i, x_i > 0 and for all i: x_i > 0, the quantifier first, as x_i > 0 ∀i (round 18)."""
    return re.sub(r"^(?:∀|for\s+(?:all|every|each)\s+)\s*([a-z])\s*[,:]\s*(.+)$", r"\2 ∀\1", t)


def _normalised(text: str, claim_id: str | None = None,
                declared: frozenset[str] = frozenset()) -> str:
    """One written condition with typeset characters and the prose around it made plain."""
    written = _latex_read(_short(text, claim_id), claim_id)
    t = " ".join(greek_in_declarations(written).translate(_TYPESET)
                 .replace("≥", ">=").replace("≤", "<=").replace("≠", "!=")
                 .replace("∈", " in ").split())
    # prose around one condition, as notes write it: "if A symmetric", "assuming x > 0.":
    # the leading word and a sentence's full stop (after a number, "1." is 1 either way)
    t = re.sub(r"^(?:if|assuming|assume|given|when|where|with)\s+(?=\S)", "", t,
               flags=re.IGNORECASE)
    t = re.sub(r"(?<=\S)\.$", "", t)
    t = _quantifier_last(t)
    t = t.replace("ℝ₊₊", "ℝ_{++}").replace("ℝ₊", "ℝ_{+}")  # s ∈ ℝ₊ (round 18)
    # "A is a symmetric matrix", "s is a positive scalar", "s strictly positive": the property
    t = _ARTICLE_KIND.sub(r"\1 \2", t)
    t = re.sub(r"\bstrictly\s+(positive|negative)\b", r"\1", t, flags=re.IGNORECASE)
    t = _entries_and_sets(t, declared)  # p_i > 0 for all i, Σ_i p_i, y ∈ {0, 1}^n (round 15)
    return re.sub(r"\s+(?:element|entry|component)-?wise$", "", t)  # x > 0 elementwise


# round 15: conditions written on entries and as sets, as notes write them
_ENTRY = r"([A-Za-z]\w*?)_(?:\{\s*[a-z]\s*\}|[a-z])"  # p_i, p_{i}: an entry of p
_EVERY = r"(?:\s*,?\s*(?:for\s+(?:all|every|each)\s+[a-z]|∀\s*[a-z]|\\forall\s*[a-z]))?"
_SUM_OF = re.compile(
    r"(?:Σ|∑|\\sum|sum|Sigma)\s*(?:_\s*(?:\{\s*[a-z]\s*\}|[a-z]))?\s*"
    r"([A-Za-z]\w*?)_(?:\{\s*[a-z]\s*\}|[a-z])"
    r"|(?:1|ones\(\w+\))\s*(?:ᵀ|\^T|\.T|\^\{T\})\s*@?\s*([A-Za-z]\w*)")


_POWER = r"\s*(?:\^\s*\{?\s*\w+\s*\}?\s*)?"  # the ^n of ℝ^n_+ (either side of the _)


def _entries_and_sets(t: str, declared: frozenset[str] = frozenset()) -> str:
    """``p_i > 0 for all i`` and ``all p_i > 0`` as ``p > 0 elementwise``; ``Σ_i p_i`` and
    ``1ᵀp`` as ``sum(p)`` (so that ``p_i >= 0 and Σ_i p_i = 1`` is a probability vector);
    ``y ∈ {0, 1}^n`` as ``y binary``; a closing remark in parentheses (``ε > 0 (small)``)
    dropped, when it is words only.  A declared name such as s_t (in ``declared``) is that
    symbol, never an entry of s (s_t > 0 was read as "s positive", an assumption on s)."""
    t = re.sub(r"\s+\((?:[A-Za-z][A-Za-z -]{2,})\)$", "", t)
    if any(f"{name}_{sub}" in declared
           for name, sub in re.findall(r"([A-Za-z]\w*?)_\{?\s*([a-z])\s*\}?", t)):
        return _sets(t)
    t = _SUM_OF.sub(lambda m: f"sum({m.group(1) or m.group(2)})", t)
    m = re.fullmatch(rf"(?:all\s+)?{_ENTRY}\s*(>|>=|<|<=|!=)\s*0{_EVERY}", t)
    if m:  # x > 0 of a vector is entry by entry already; x != 0 is not (not the zero vector)
        return f"{m.group(1)} {m.group(2)} 0" + (" elementwise" if m.group(2) == "!=" else "")
    # p_i ∈ (0, 1), 0 ≤ p_i ≤ 1 ∀i: every entry in the interval, as p ∈ (0, 1) says (round 17)
    m = re.fullmatch(rf"{_ENTRY}\s+in\s+([\(\[][^\(\)\[\]]*[\)\]]){_EVERY}", t)
    if m:
        return f"{m.group(1)} in {m.group(2)}"
    m = re.fullmatch(rf"(-?[\d./]+)\s*(<=?)\s*{_ENTRY}\s*(<=?)\s*(-?[\d./]+){_EVERY}", t)
    if m:
        return f"{m.group(1)} {m.group(2)} {m.group(3)} {m.group(4)} {m.group(5)}"
    m = re.fullmatch(rf"(?:all\s+)?{_ENTRY}\s*>=\s*0{_EVERY}\s*(?:,\s*(?:and\s+)?|and\s+)"
                     r"sum\((\w+)\)\s*==?\s*1", t)
    if m and m.group(1) == m.group(2):
        return f"{m.group(1)} >= 0 and sum({m.group(1)}) = 1"
    return _sets(t)


def _sets(t: str) -> str:
    """``y ∈ {0, 1}^n`` as ``y binary``, ``p ∈ (0, 1)^n`` as ``p in (0, 1)``, orthants,
    half-lines and the cones of positive (semi)definite matrices as their words."""
    m = re.fullmatch(r"(\w+)\s+in\s+\{\s*0\s*,\s*1\s*\}\s*\^\s*\{?\s*\w+\s*\}?", t)
    if m:
        return f"{m.group(1)} binary"
    m = re.fullmatch(rf"(\w+)\s+in\s+([\(\[])\s*0\s*,\s*(?:\+\s*)?∞\s*\){_POWER}", t)
    if m:  # s ∈ (0, ∞), x ∈ [0, ∞)^n: a half-line
        return f"{m.group(1)} {'positive' if m.group(2) == '(' else 'nonnegative'}"
    # p ∈ (0, 1)^n, p ∈ [0, 1]^n: every entry in the interval (round 17)
    m = re.fullmatch(r"(\w+\s+in\s+[\(\[][^\(\)\[\]]*[\)\]])\s*\^\s*\{?\s*\w+\s*\}?", t)
    if m:
        return m.group(1)
    # x ∈ ℝ^n_{++}, ℝ_{>0}^n, ℝ^n_+, ℝ_{≥0}: an orthant; s ∈ (0, ∞), [0, ∞): a half-line
    m = re.fullmatch(rf"(\w+)\s+in\s+ℝ{_POWER}_\s*\{{?\s*(\+\+|\+|>\s*0|>=\s*0|≥\s*0)\s*\}}?"
                     rf"{_POWER}", t)
    if m:
        strict = m.group(2) == "++" or m.group(2).startswith(">") and "=" not in m.group(2)
        return f"{m.group(1)} {'positive' if strict else 'nonnegative'}"
    # A ∈ 𝕊^n_{++} (𝕊_{++}^n): positive definite; 𝕊^n_+: positive semidefinite (round 17)
    cone = r"\s*(?:\^\s*\{?\s*\w+\s*\}?\s*)?"
    m = re.fullmatch(rf"(\w+)\s+in\s+𝕊{cone}_\s*\{{?\s*(\+\+|\+)\s*\}}?{cone}", t)
    if m:
        return f"{m.group(1)} positive {'definite' if m.group(2) == '++' else 'semidefinite'}"
    return t


_FULL_RANK = re.compile(r"(\w+)\s+(?:is\s+|has\s+)?(?:of\s+)?full[\s-]+(column|row)[\s-]+rank",
                        re.IGNORECASE)
_SIMPLEX = re.compile(r"(\w+)\s*>=\s*0\s*(?:,\s*(?:and\s+)?|and\s+)sum\((\w+)\)\s*==?\s*1")
# "X is a(n) <property> matrix|vector|scalar|number": a property the vocabulary has a word for
_ARTICLE_KIND = re.compile(
    r"^(\w+)\s+is\s+an?\s+(?:real\s+)?((?:symmetric\s+)?(?:positive\s+definite|positive\s+"
    r"semi-?definite|symmetric|orthogonal|diagonal|invertible|non-?singular|skew-symmetric|"
    r"antisymmetric|strictly\s+positive|positive|negative|non-?negative|non-?zero|SPD|PSD))"
    r"\s+(?:matrix|vector|scalar|number)$", re.IGNORECASE)


def plain_assumption(text: str, claim_id: str | None = None,
                     declared: frozenset[str] = frozenset()) -> str:
    """The vocabulary's phrase for one written assumption (or its text as it is);
    ``declared``: the claim's symbol names (s_t is the symbol, not an entry of s)."""
    t = _normalised(text, claim_id, declared)
    m = _FULL_RANK.fullmatch(t)
    if m:  # full column rank ⇔ XᵀX invertible, full row rank ⇔ XXᵀ invertible (real X)
        x = m.group(1)
        return f"{x}.T @ {x} invertible" if m.group(2).lower() == "column" else \
            f"{x} @ {x}.T invertible"
    m = _SIMPLEX.fullmatch(t)
    if m and m.group(1) == m.group(2):  # "p >= 0 and sum(p) = 1": a probability vector
        return f"{m.group(1)} sums to 1"
    # the Loewner order as papers write it (≻, \succ; ⪰, ≽, \succeq)
    t = re.sub(r"^(\w+)\s*(?:≻|\\succ)\s*0$", r"\1 positive definite", t)
    t = re.sub(r"^(\w+)\s*(?:[⪰≽]|\\succeq)\s*0$", r"\1 positive semidefinite", t)
    phrase = _paper_phrase(t, claim_id)
    if phrase is not None:
        return phrase
    if _SEMIDEFINITE.match(t):
        x = _SEMIDEFINITE.match(t).group("x")  # type: ignore[union-attr]
        raise SemidefiniteAssumption(
            x, claim_id,
            f'assumption "{t}": positive semidefinite is not in the vocabulary (the engine '
            f'samples and proves over positive definite matrices); write "{x} positive '
            f'definite" if the claim may assume {x} invertible, or declare a factor L and '
            "write the matrix as L @ L.T",
        )
    m = _DEFINITE.match(t)
    if m:
        return f"{m.group('x')} positive definite"
    m = re.fullmatch(r"(\w+)\s*(?:\^\s*\{\s*-\s*1\s*\}|\^\s*-\s*1|⁻¹)\s+exists", t)
    if m:  # A^{-1} exists (round 18)
        return f"{m.group(1)} invertible"
    m = re.fullmatch(r"(\w+)\s+(?:is\s+)?(?:non-?singular|non-singular)", t, re.IGNORECASE)
    if m:
        return f"{m.group(1)} invertible"
    m = re.fullmatch(r"(.+?)\s+(?:is\s+)?non-(negative|zero)", t)
    if m:
        return f"{m.group(1)} non{m.group(2)}"
    name, tr = _NAME, _TRANSPOSED
    m = re.fullmatch(rf"{name}{tr}\s*==?\s*{name}{tr}", t)
    if m and m.group(1) == m.group(3) and bool(m.group(2)) != bool(m.group(4)):
        return f"{m.group(1)} symmetric"  # A = A.T, A = Aᵀ, A = A^T
    m = re.fullmatch(r"(symmetric|skew-symmetric|diagonal|orthogonal|invertible|nonsingular)"
                     r"\s+(\w+)", t)
    if m:  # "symmetric A", word order of prose
        raise ClaimError(claim_id, f'"{t}": write "{m.group(2)} {m.group(1)}" (the symbol first)')
    m = re.fullmatch(r"(\w+)\s*,\s*(\w+)\s+commute", t)
    if m:
        return f"{m.group(1)} and {m.group(2)} commute"
    # AB = BA written out: A @ B = B @ A, or glued single letters AB = BA
    m = re.fullmatch(r"(\w+)\s*@\s*(\w+)\s*==?\s*(\w+)\s*@\s*(\w+)", t) or re.fullmatch(
        r"([A-Za-z])([A-Za-z])\s*==?\s*([A-Za-z])([A-Za-z])", t)
    if m and m.group(1) == m.group(4) and m.group(2) == m.group(3) and m.group(1) != m.group(2):
        return f"{m.group(1)} and {m.group(2)} commute"
    m = re.fullmatch(r"(.+?)(?:\s+and\s+|\s*,\s*)(.+)", t)
    if m and not re.fullmatch(r"(\w+)(?:\s+and\s+|\s*,\s*)(\w+)\s+commute", t) \
            and not re.search(r"[\(\[{][^\)\]}]*,", t):  # a comma inside (..), [..], {0, 1}
        raise ClaimError(
            claim_id,
            f'"{t}" joins two conditions; write one per string: assume = ["{m.group(1)}", '
            f'"{m.group(2)}"] (an expectation "holds if ..." names one: assume the other)',
        )
    reversed_chain = re.fullmatch(rf"({_END})\s*(>=?)\s*(\w+)\s*(>=?)\s*({_END})", t)
    if reversed_chain:  # 1 > b > 0, as notes write it: 0 < b < 1
        hi, op2, x, op1, lo = reversed_chain.groups()
        t = f"{lo} {op1.replace('>', '<')} {x} {op2.replace('>', '<')} {hi}"
    _symbolic_interval_end(t, claim_id)
    m = re.fullmatch(rf"({_END})\s*(<=?)\s*(\w+)\s*(<=?)\s*({_END})", t)
    if m:
        lo, op1, x, op2, hi = (re.sub(r"\s+", "", g) for g in m.groups())
        phrase = f"{x} in {'(' if op1 == '<' else '['}{lo}, {hi}{')' if op2 == '<' else ']'}"
        return _rational_ends_read(phrase, t, claim_id)
    m = re.fullmatch(rf"(\w+)\s+in\s+([\(\[])\s*({_END})\s*,\s*({_END})\s*([\)\]])", t)
    if m and "/" in t:  # p in [0, 1/3]
        x, a, lo, hi, b = (re.sub(r"\s+", "", g) for g in m.groups())
        return _rational_ends_read(f"{x} in {a}{lo}, {hi}{b}", t, claim_id)
    m = re.fullmatch(r"(.+?)\s*(>=|>|<=|<|!=)\s*0", t)
    if m and not re.search(r"[<>!=]", m.group(1)):
        return _sign_phrase(m.group(1), m.group(2), t, claim_id)
    m = re.fullmatch(r"0\s*(>=|>|<=|<|!=)\s*(.+)", t)
    if m and not re.search(r"[<>!=]", m.group(2)):
        return _sign_phrase(m.group(2), _FLIPPED[m.group(1)], t, claim_id)
    return t


# A.T, Aᵀ, A⊤, A⊺ (as the expressions read them), A^T, A^⊤, A^{T}, A^{⊤}, LaTeX's A^\top, A'
_NAME = r"([A-Za-z_]\w*?)"  # lazy: \w alone takes ᵀ in
_TRANSPOSED = r"(\.T|ᵀ|⊤|⊺|\^[T⊤⊺]|\^\{[T⊤⊺]\}|\^\{?\\(?:top|intercal)\}?|')?"
_IDENTITY = r"(?:I|I_\{?\w+\}?|I_\w+|eye\(\s*\w+\s*\))"  # I, I_n, I_{n} (round 15)


def _paper_phrase(t: str, claim_id: str | None) -> str | None:
    """Phrases from papers and notes with one meaning in the vocabulary (A = -Aᵀ is skew,
    QᵀQ = I orthogonal, a probability vector sums to 1), or an error saying what to write."""
    m = re.fullmatch(r"(\w+)\s+(?:is\s+)?(?:an?\s+)?(?:anti-?symmetric|skew)(?:\s+matrix)?", t,
                     re.IGNORECASE)
    if m:
        return f"{m.group(1)} skew-symmetric"
    m = re.fullmatch(rf"{_NAME}{_TRANSPOSED}\s*==?\s*-\s*{_NAME}{_TRANSPOSED}", t) or \
        re.fullmatch(rf"{_NAME}{_TRANSPOSED}\s*\+\s*{_NAME}{_TRANSPOSED}\s*==?\s*0", t)
    if m and m.group(1) == m.group(3) and bool(m.group(2)) != bool(m.group(4)):
        return f"{m.group(1)} skew-symmetric"  # A = -A.T, A.T = -A, A + A.T = 0
    gram = re.fullmatch(rf"{_NAME}{_TRANSPOSED}\s*@?\s*{_NAME}{_TRANSPOSED}\s*(?:(?:is\s+)?"
                        r"(?:symmetric\s+)?positive[\s-]+definite|(?:≻|\\succ)\s*0)", t)
    if gram and gram.group(1) == gram.group(3) and bool(gram.group(2)) != bool(gram.group(4)):
        gram_text = t[:gram.end(4) if gram.group(4) else gram.end(3)].strip()
        raise ClaimError(claim_id, f'assumption "{t}": write "{gram_text} invertible" (a Gram '
                                   "matrix is positive definite exactly where it is "
                                   "invertible; positive definite is said of a declared matrix)")
    m = re.fullmatch(rf"{_NAME}{_TRANSPOSED}\s*@?\s*{_NAME}{_TRANSPOSED}\s*==?\s*{_IDENTITY}", t)
    if m and m.group(1) == m.group(3) and bool(m.group(2)) != bool(m.group(4)):
        return f"{m.group(1)} orthogonal"  # QᵀQ = I (for a square Q, QQᵀ = I too)
    m = re.fullmatch(r"(\w+)\s+(?:sums\s+to\s+one|(?:is\s+)?(?:an?\s+)?probability\s+vector|"
                     r"(?:is\s+)?(?:in|on)\s+(?:the\s+)?(?:probability\s+)?simplex)", t,
                     re.IGNORECASE)
    if m:
        return f"{m.group(1)} sums to 1"
    m = re.fullmatch(r"sum\(\s*(\w+)\s*\)\s*==?\s*1", t)
    if m:
        raise ClaimError(
            claim_id,
            f'assumption "{t}": write "{m.group(1)} sums to 1" if {m.group(1)} is a probability '
            "vector (non-negative entries summing to 1); a sum of 1 alone has no word",
        )
    m = re.fullmatch(rf"(\w+)\s*(>=|>|<=|<)\s*({_NUMBER})", t)
    flipped = re.fullmatch(rf"({_NUMBER})\s*(>=|>|<=|<)\s*([A-Za-z_]\w*)", t)  # 1 < t
    if flipped:
        m = flipped
        x, op, c = flipped.group(3), _FLIPPED[flipped.group(2)], flipped.group(1)
    elif m:
        x, op, c = m.groups()
    if m and Fraction(c) != 0:
        interval = f"{x} in ({c}, b)" if op.startswith(">") else f"{x} in (a, {c})"
        sign = "positive" if op in (">", "<") else "nonnegative"
        shift = f"{c} + u" if op.startswith(">") else f"{c} - u"
        raise ClaimError(
            claim_id,
            f'assumption "{t}": the vocabulary compares with 0 ("{x} > 0") or states an '
            f'interval; write "{interval}" with an end you may assume, or, for every {x} '
            f'{op} {c} exactly, declare u: scalar, assume "u {sign}" and write {x} as {shift}',
        )
    refusal = _unworded_property(t)
    if refusal is not None:
        raise ClaimError(claim_id, f'assumption "{t}": {refusal}')
    if re.fullmatch(r"(\w+)\s+(?:is\s+)?(?:of\s+)?full[\s-]+(?:column\s+)?rank", t, re.IGNORECASE):
        x = t.split()[0]
        raise ClaimError(
            claim_id,
            f'assumption "{t}": write "{x} invertible" for a square {x}, "{x}.T @ {x} '
            f'invertible" for full column rank',
        )
    return None


# properties one string may give several symbols in prose ("A, B invertible")
_SEVERAL = re.compile(r"(\w+(?:\s*(?:,|\band\b)\s*\w+)+)\s+(?:are\s+)?("
                      + "|".join(MATRIX_PROPERTIES + SCALAR_PROPERTIES) + r")")
# properties of notes and papers with no word in the vocabulary, and what to write
_UNWORDED = (
    (re.compile(r"(\w+)\s+(?:is\s+)?(?:an?\s+)?(?:row[\s-]*)?stochastic(?:\s+matrix)?|"
                r"(\w+)(?:'s)?\s+rows\s+sum\s+to\s+(?:1|one)", re.IGNORECASE),
     "a (row-)stochastic matrix has no word in the vocabulary; write it as softmax(L) with "
     "L: matrix(n, n) declared (each row a probability vector, every one reached), or "
     'declare each row a vector assumed "p sums to 1"'),
    (re.compile(r"(\w+)\s+in\s+\{\s*(?:-1\s*,\s*\+?1|\+?1\s*,\s*-1|±1)\s*\}"),
     'labels ±1 have no word in the vocabulary; declare b assumed "b binary" (b in {{0, 1}}) '
     "and write the label as 2 * b - 1"),
    (re.compile(r"(\w+)\s+(?:is\s+)?(?:an?\s+)?(?:unit(?:[\s-]+(?:norm|length|vector))?|"
                r"normali[sz]ed)(?:\s+vector)?|(?:norm\(\s*(\w+)\s*\)|\|\|\s*(\w+)\s*\|\||"
                r"[‖∥]\s*(\w+)\s*[‖∥](?:_\{?2\}?|₂)?)\s*(?:\*\*\s*2|\^\s*\{?2\}?|²)?\s*==?\s*1",
                re.IGNORECASE),
     "a unit vector has no word in the vocabulary; write {x} / norm({x}) for it in the claim "
     '(with "norm({x}) positive" assumed)'),
    (re.compile(r"(\w+)\s+(?:is\s+)?(?:an?\s+)?unitary(?:\s+matrix)?", re.IGNORECASE),
     'for a real matrix, unitary is "{x} orthogonal"'),
    (re.compile(r"(\w+)\s+(?:is\s+)?(?:an?\s+)?positive\s+diagonal(?:\s+matrix)?",
                re.IGNORECASE),
     'write the matrix as diag(d) with d: vector(n) declared and "d positive" assumed'),
    (re.compile(r"(\w+)\s+(?:is\s+)?(?:an?\s+)?(?:probability\s+)?distribution", re.IGNORECASE),
     'write "{x} sums to 1" for a probability vector (non-negative entries summing to 1)'),
)


def _unworded_property(t: str) -> str | None:
    """What to write for a property that has no word in the vocabulary, or for one property
    of several symbols in one string ("A, B invertible": one string each); None otherwise."""
    m = _SEVERAL.fullmatch(t)
    if m:
        names = re.split(r"\s*(?:,|\band\b)\s*", m.group(1))
        listed = ", ".join(f'"{x} {m.group(2)}"' for x in names)
        return f"one symbol a string: assume = [{listed}]"
    for pattern, what in _UNWORDED:
        m = pattern.fullmatch(t)
        if m:
            return what.format(x=next(g for g in m.groups() if g))
    return None


def _symbolic_interval_end(t: str, claim_id: str | None) -> None:
    """An interval whose end is an expression (0 < t < pi / 2, t in (0, π/2)): the
    vocabulary's ends are numbers, and a rounded π/2 would be a different interval; say so."""
    m = re.fullmatch(r"(.+?)\s*(<=?)\s*(\w+)\s*(<=?)\s*(.+)", t)
    if m:
        ends, x = (m.group(1), m.group(5)), m.group(3)
        brackets = ("(" if m.group(2) == "<" else "[", ")" if m.group(4) == "<" else "]")
    else:
        m = re.fullmatch(r"(\w+)\s+in\s+([\(\[])\s*(.+?)\s*,\s*(.+?)\s*([\)\]])", t)
        if not m:
            return
        ends, x, brackets = (m.group(3), m.group(4)), m.group(1), (m.group(2), m.group(5))
    unit = f"u in {brackets[0]}0, 1{brackets[1]}"
    bad = [e for e in ends if not re.fullmatch(_END, e.strip())]
    if bad and any(re.search(r"[A-Za-z_π]", e) for e in bad):
        lo, hi = (" ".join(e.replace("π", "pi").split()) for e in ends)
        if all(re.fullmatch(_END, re.sub(r"\bpi\b", "1", e)) for e in (lo, hi)):
            # ends that are numbers times π: hi > lo is known, x = lo + (hi − lo) u is exact
            width = hi if re.fullmatch(r"[-+]?0*\.?0*", lo) else f"({hi} - ({lo}))"
            start = "" if width == hi else f"{lo} + "
            how = (f'declare u: scalar, assume "{unit}" and write {x} as {start}{width} * u: '
                   "the same values, exactly")
        else:
            how = (f'with ends that are symbols, declare d: scalar and u: scalar, assume "d '
                   f'positive" and "{unit}", and write the upper end as the lower one + '
                   f"d and {x} as the lower end + d * u (for an end such as 1 / n, {x} = "
                   f"u / n): the same values, exactly")
        raise ClaimError(
            claim_id,
            f'assumption "{t}": the ends of an interval are numbers, and {bad[0].strip()} is '
            f"not one; {how}",
        )


def _rational_ends_read(phrase: str, t: str, claim_id: str | None) -> str:
    """An interval's ends written as ratios (1/2, 1e-3/2, 1.5/7) as exact literals
    (claim.parse_assumption reads 0.5, 0.0005 and 3/14 exactly): never a rounded decimal."""
    def exact(m: re.Match) -> str:
        if int(m.group(2)) == 0:
            raise ClaimError(claim_id, f'assumption "{t}": an end of the interval divides by 0')
        return exact_decimal(Fraction(m.group(1)) / int(m.group(2)))

    return re.sub(rf"({_NUMBER})/(\d+)", exact, phrase)


def _sign_phrase(x: str, op: str, t: str, claim_id: str | None) -> str:
    if op == "<=":
        raise ClaimError(
            claim_id,
            f'assumption "{t}": nonpositive is not in the vocabulary; write "{x} negative" '
            f'(< 0), or assume "{x} nonnegative" of the negated symbol',
        )
    return f"{x.strip()} {_SIGNS[op]}"



# ----- What a declaration already says -----

# "t integer", "t is a positive integer": words for the integer kind (a positive integer)
_INTEGER_WORDS = re.compile(r"(\w+)\s+(?:is\s+)?(?:an?\s+)?(?:(?:strictly\s+)?positive\s+)?"
                            r"integer(?:\s+number)?", re.IGNORECASE)
_NATURAL_WORDS = re.compile(r"(\w+)\s+(?:(?:is\s+)?(?:an?\s+)?natural(?:\s+number)?|"
                            r"in\s+(?:ℕ|N|\\mathbb\{N\}|Z\+|ℤ\+|ℤ|Z))", re.IGNORECASE)
_SIGN_WORDS = re.compile(r"(\w+)\s+(?:is\s+)?(?:strictly\s+)?(positive|nonzero|non-zero|"
                         r"nonnegative|non-negative|negative)", re.IGNORECASE)
_INDEX_BOUND = re.compile(r"(\w+)\s*(?:>=\s*0|\s+(?:is\s+)?non-?negative)|0\s*<=\s*(\w+)")
_BOUND = re.compile(rf"(\w+)\s*(>=|>|<=|<|!=)\s*(-?{_END})|(-?{_END})\s*(>=|>|<=|<|!=)\s*(\w+)")
_INTERVAL = re.compile(rf"(\w+)\s+in\s+([\(\[])\s*(-?{_END})\s*,\s*(-?{_END})\s*([\)\]])")


def declared_fact(text: str, symbols: Sequence[SymbolDecl], claim_id: str | None = None) -> bool:
    """True when a written assumption only restates a declaration: ``t positive``, ``t > 0``,
    ``t >= 1``, ``t integer`` of ``t: integer`` (a positive integer), ``n >= 1`` of a
    dimension n (every size is at least 1); the claim drops it.  An assumption about such a
    symbol that says more or other than its declaration (``t >= 0``, ``t >= 2``, ``t < 0``,
    ``n >= 2``), or ``x integer`` of a real scalar, is refused with what to write; anything
    else is False, for ``plain_assumption`` and ``parse_assumption`` to read."""
    kinds = {d.name: d.kind for d in symbols}
    dims = {x for d in symbols for x in d.dims if isinstance(x, str)} - set(kinds)
    member = membership(greek_in_declarations(_short(text, claim_id)))
    if member is not None:  # x ∈ ℝ^n (A \in \mathbb{R}^{n \times n}): a declaration again
        return _restated_set(member, symbols, claim_id)
    t = _normalised(text, claim_id, frozenset(kinds))
    # "t integer, t positive": split at commas and "and" outside brackets ([1, 10] is one)
    pieces = [t] if re.search(r"[\(\[{][^\)\]}]*,", t) else \
        re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", t)
    if len(pieces) > 1 and all(_restates(p, kinds, dims, claim_id) for p in pieces):
        return True  # "t integer, t positive": each piece restates t: integer
    return _restates(t, kinds, dims, claim_id)


def _restated_set(member: tuple[str, str], symbols: Sequence[SymbolDecl],
                  claim_id: str | None) -> bool:
    """True where ``x ∈ ℝ^n`` says what x's declaration says; refused where it says else."""
    name, kind = member
    decl = next((d for d in symbols if d.name == name), None)
    declared = None if decl is None else (
        decl.kind if decl.kind in ("scalar", "integer") else
        f"{decl.kind}({', '.join(str(x) for x in decl.dims)})")
    if declared == kind or (declared == "integer" and kind == "scalar"):
        return True
    raise ClaimError(claim_id, f'assumption "{name} ∈ ...": {name} is declared '
                               f'{declared or "nowhere"}, the assumption says {kind}; '
                               f'declare it once, "{name}: {kind}", and leave the '
                               "assumption out")


def _restates(t: str, kinds: dict[str, str], dims: set[str], claim_id: str | None) -> bool:
    m = _INDEX_BOUND.fullmatch(t)
    if m and kinds.get(m.group(1) or m.group(2)) == "index":
        return True  # i >= 0 of i: index(n)
    m = _INTEGER_WORDS.fullmatch(t) or _NATURAL_WORDS.fullmatch(t)
    if m and (kinds.get(m.group(1)) in ("scalar", "integer") or m.group(1) in dims):
        x = m.group(1)
        natural = _NATURAL_WORDS.fullmatch(t) is not None
        if kinds.get(x) == "integer" and not natural:
            return True
        if x in dims and not natural:
            return True
        if kinds.get(x) == "integer" or x in dims:
            raise ClaimError(claim_id, f'assumption "{t}": ℕ and Z+ begin at 0 in some texts and '
                                       f"at 1 in others; {_integer_values(x, kinds, dims)}")
        raise ClaimError(claim_id, f'assumption "{t}": "integer" is a kind of symbol, not an '
                                   f"assumption: declare {x}: integer (a positive integer, 1, 2, "
                                   f"...); for 0, 1, 2, ... declare u: integer and write {x} as "
                                   "u - 1")
    m = _SIGN_WORDS.fullmatch(t)
    if m and (kinds.get(m.group(1)) == "integer" or m.group(1) in dims):
        word = m.group(2).lower().replace("-", "")
        op = {"positive": ">", "nonzero": "!=", "nonnegative": ">=", "negative": "<"}[word]
        return _integer_bound(t, m.group(1), op, 0, kinds, dims, claim_id)
    m = _BOUND.fullmatch(t)
    if m:
        if m.group(1) is not None:
            x, op, c = m.group(1), m.group(2), _exact(m.group(3))
        else:
            x, op, c = m.group(6), _FLIPPED[m.group(5)], _exact(m.group(4))
        if c is not None and (kinds.get(x) == "integer" or x in dims):
            return _integer_bound(t, x, op, c, kinds, dims, claim_id)
    m = re.fullmatch(r"(\w+)\s+in\s+.+", t) or re.fullmatch(r"\S+\s*<=?\s*(\w+)\s*<=?\s*\S+", t)
    if m and m.group(1) in dims:  # n in [2, 5], 2 <= n <= 5 of a dimension
        raise ClaimError(claim_id, f'assumption "{t}": {m.group(1)} is a dimension (a size), not a '
                                   "symbol; give the sizes to decide the claim at as sizes = "
                                   f"[{{ {m.group(1)} = 2 }}, ...] (each at most 16)")
    m = _INTERVAL.fullmatch(t)
    if m and kinds.get(m.group(1)) == "integer":
        lo, hi = _exact(m.group(3)), _exact(m.group(4))
        if lo is not None and hi is not None:
            first = math.floor(lo) + 1 if m.group(2) == "(" else math.ceil(lo)
            last = math.ceil(hi) - 1 if m.group(5) == ")" else math.floor(hi)
            x = m.group(1)
            if max(first, 1) > last:
                raise ClaimError(claim_id, f'assumption "{t}": no positive integer is in it, and '
                                           f"{x}: integer is a positive integer (1, 2, ...)")
            if first < 1:
                raise ClaimError(claim_id, f'assumption "{t}": {x}: integer is a positive '
                                           f"integer (1, 2, ...), never {first}; for the "
                                           f"integers from {first} to {last} declare u: integer, "
                                           f'assume "u in 1..{last - first + 1}" and write {x} as '
                                           f"u - {1 - first}")
            raise ClaimError(claim_id, f'assumption "{t}": of an integer, write "{x} in '
                                       f'{first}..{last}" (the integers from {first} to {last})')
    return False


def _exact(text: str) -> Fraction | None:
    """A written number or ratio (0.5, 1/2, 1e-3) exactly; None for 1/0."""
    num, _, den = re.sub(r"\s+", "", text).partition("/")
    if den and int(den) == 0:
        return None
    return Fraction(num) / (int(den) if den else 1)


def _integer_values(x: str, kinds: dict[str, str], dims: set[str]) -> str:
    if x in dims:
        return (f"{x} is a dimension (a size), and every size is at least 1: drop the "
                "assumption if that is meant")
    return (f"{x}: integer is a positive integer (1, 2, ...): drop the assumption if that is "
            f"meant; for 0, 1, 2, ... declare u: integer and write {x} as u - 1")


def _integer_bound(t: str, x: str, op: str, c: Fraction, kinds: dict[str, str],
                   dims: set[str], claim_id: str | None) -> bool:
    """``x op c`` of a positive integer x (an integer symbol or a dimension): True where every
    positive integer meets it; otherwise an error with an exact rewriting.  ``c`` may be a
    fraction: x > 0.5 is x >= 1, x <= 2.5 is x <= 2."""
    least = math.floor(c) + 1 if op == ">" else math.ceil(c) if op == ">=" else None
    top = math.ceil(c) - 1 if op == "<" else math.floor(c) if op == "<=" else None
    if least == 1 or (op == "!=" and (c <= 0 or c.denominator != 1)) or \
            (x in dims and least is not None and least < 1):
        return True  # x > 0, x >= 1, x != 0: what the declaration says
    if x in dims:
        if least is not None:
            sizes = f"{{ {x} = {least} }}, {{ {x} = {least + 1} }}"
            raise ClaimError(
                claim_id,
                f'assumption "{t}": {x} is a dimension (a size), not a symbol; the sizes a claim '
                f"is decided at are given as sizes = [{sizes}] (--sizes {x}={least} on the "
                f'command line, sizes=[{{"{x}": {least}}}] in verify()); the verdict is then '
                "proved-at-sizes at most, unless a proof covers every size")
        raise ClaimError(
            claim_id,
            f'assumption "{t}": {x} is a dimension (a size), not a symbol; give the sizes to '
            f"decide the claim at as sizes = [{{ {x} = 2 }}, ...] (each at most 16)")
    if least is not None:
        # x >= 0 is met by every positive integer, but whoever writes it means x = 0 too,
        # which the declaration leaves out: say so rather than drop the assumption
        zero = "; never 0" if least < 1 else ""
        shift = f"{least - 1} + u" if least > 1 else f"u - {1 - least}"
        raise ClaimError(
            claim_id,
            f'assumption "{t}": {x}: integer is a positive integer (1, 2, ...{zero}); for every '
            f"integer {x} >= {least} exactly declare u: integer and write {x} as {shift}")
    if top is not None and top < 1:
        raise ClaimError(
            claim_id,
            f'assumption "{t}": {x}: integer is a positive integer (1, 2, ...), never {x} {op} '
            f"{c}; for a negative integer declare u: integer and write -u")
    if top is not None:
        raise ClaimError(
            claim_id,
            f'assumption "{t}": write "{x} in 1..{top}" (an integer from 1 to {top})')
    raise ClaimError(
        claim_id,
        f'assumption "{t}": {x} != {c} of an integer has no word in the vocabulary; write the '
        f"claim times ({x} != {c}) on both sides")


# x != 0 of a vector or a matrix (or of an expression: z - z0 != 0), not "x != 0 elementwise"
_SQUARE_SIGN = re.compile(r"(?P<a>[A-Za-z_]\w*)\s*(?:>|>=)\s*0|0\s*(?:<|<=)\s*(?P<b>[A-Za-z_]\w*)")
_NONZERO_VECTOR = re.compile(
    r"(\w+)\s+(?:is\s+(?:an?\s+)?non-?zero\s+(?:vector|matrix)|is\s+not\s+(?:the\s+|a\s+)?zero"
    r"(?:\s+(?:vector|matrix))?|not\s+zero|!=\s*(?:zeros\([^()]*\)|𝟎))", re.IGNORECASE)
_NOT_ZERO = re.compile(r"(?P<x>[^<>!=]+?)\s*!=\s*0|0\s*!=\s*(?P<y>[^<>!=]+)")
# "x nonzero" in words: of a vector or a matrix, not the zero vector (as x != 0 and as maths
# says "for every nonzero x"); every entry is "x nonzero elementwise" or one of these
_NONZERO_WORD = re.compile(r"(\w+)\s+(?:is\s+)?non-?zero", re.IGNORECASE)
_NONZERO_ENTRIES = re.compile(
    r"(?:(\w+)\s+has\s+(?:only\s+)?(?:non-?zero\s+entries|no\s+zero\s+entries)"
    r"|(?:all|every|each)\s+(?:the\s+)?entr(?:y|ies)\s+of\s+(\w+)\s+(?:is\s+|are\s+)?non-?zero)",
    re.IGNORECASE)


def vector_phrase(text: str, symbols: Sequence[SymbolDecl],
                  claim_id: str | None = None) -> str | None:
    """``norm(x) nonzero`` for ``x != 0`` (``x ≠ 0``) and, since round 14, ``x nonzero`` in
    words of a declared vector or matrix: in maths a vector that is not the zero vector (x/‖x‖,
    a Rayleigh quotient, "xᵀAx > 0 for every nonzero x"), where the vocabulary's own ``x
    nonzero`` is every entry nonzero, a stronger assumption under which a claim false for
    x = (1, 0) could be proved (the weaker reading never proves a claim false under either
    meaning).  ``x != 0 elementwise``, ``x nonzero elementwise``, ``x has nonzero entries``
    keep every entry.
    ``P > 0`` of a square matrix (positive definite, or every entry?) is refused with both
    spellings.  None for anything else."""
    # LaTeX first: x_i \neq 0 \; \forall i is every entry (it was read as x ≠ 0, the vector)
    written = _latex_read(_short(text, claim_id), claim_id)
    t = " ".join(greek_in_declarations(written).translate(_TYPESET)
                 .replace("≠", "!=").replace("≥", ">=").replace("≤", "<=").split())
    names = frozenset(d.name for d in symbols)
    t = _entries_and_sets(_quantifier_last(t), names)  # x_i != 0 for all i: x != 0 elementwise
    if re.search(r"(?:element|entry|component)-?wise$", t):
        return None
    t = _normalised(t, claim_id, names)
    bounded = _absolute_bound(t, symbols, claim_id)
    if bounded is not None:
        return bounded
    _semi_orthogonal(t, symbols, claim_id)
    m = _SQUARE_SIGN.fullmatch(t)
    decl = {d.name: d for d in symbols}.get(m.group("a") or m.group("b")) if m else None
    if m and decl is not None and decl.is_square:
        # P > 0 of a square matrix: positive definite in control theory (Lyapunov, Riccati)
        # and in many notes; every entry positive in graph and Perron–Frobenius settings
        x, strict = decl.name, ">=" not in t and "<=" not in t
        definite = (f'"{x} positive definite" ({x} ≻ 0)' if strict else
                    f"{x} as L @ L.T with a factor L declared (positive semidefinite)")
        raise ClaimError(claim_id, f'assumption "{t}": of a square matrix, {t} means positive '
                               f"{'' if strict else 'semi'}definite in control theory and many "
                               f"notes, every entry {'positive' if strict else 'nonnegative'} "
                               f'in others: write {definite}, or "{t} elementwise"')
    m = _NONZERO_ENTRIES.fullmatch(t)
    if m:  # "x has nonzero entries", "every entry of x is nonzero": each entry
        name = m.group(1) or m.group(2)
        decl = {d.name: d for d in symbols}.get(name)
        return f"{name} nonzero" if decl is not None else None
    m = _NONZERO_WORD.fullmatch(t)
    if m:  # "x nonzero", "x is non-zero" of a vector or a matrix: not the zero vector
        decl = {d.name: d for d in symbols}.get(m.group(1))
        return f"norm({m.group(1)}) nonzero" if decl is not None and \
            decl.kind in ("vector", "matrix") else None
    m = _NONZERO_VECTOR.fullmatch(t)
    if m:  # "x is a nonzero vector", "x is not the zero vector", "x != zeros(n)", "x ≠ 𝟎"
        decl = {d.name: d for d in symbols}.get(m.group(1))
        return f"norm({m.group(1)}) nonzero" if decl is not None and \
            decl.kind in ("vector", "matrix") else None
    m = _NOT_ZERO.fullmatch(t)
    if m is None:
        return _typeset_sign(t, symbols, claim_id)
    x = (m.group("x") or m.group("y")).strip()
    decl = {d.name: d for d in symbols}.get(x)
    if decl is not None:
        return f"norm({x}) nonzero" if decl.kind in ("vector", "matrix") else None
    from verifier.language import ClaimInputError, parse_expression, scope_of

    try:  # an expression: its shape decides (a scalar one keeps its sign word)
        shape = parse_expression(x, scope_of(symbols)).shape
    except ClaimInputError:
        return None  # refused later, where the assumption is read, with its position
    if shape.is_matrix and not shape.is_one_by_one:
        return f"norm({x}) nonzero"
    return _typeset_sign(t, symbols, claim_id)


def _absolute_bound(t: str, symbols: Sequence[SymbolDecl], claim_id: str | None) -> str | None:
    """|s| < c (|s| ≤ c) of a declared scalar and a positive number c: the interval -c < s <
    c (round 18); of a vector or a matrix refused (every entry, or a norm?)."""
    m = re.fullmatch(r"\|\s*(\w+)\s*\|\s*(<=?)\s*(\d+(?:\.\d+)?(?:\s*/\s*\d+)?)", t)
    if m is None:
        return None
    x, op, c = m.group(1), m.group(2), re.sub(r"\s+", "", m.group(3))
    decl = {d.name: d for d in symbols}.get(x)
    if decl is None:
        return None
    if decl.kind != "scalar":
        raise ClaimError(claim_id, f'assumption "{t}": of a {decl.kind}, |{x}| is every entry '
                                   f"or a norm: write \"-{c} {op} {x} {op} {c}\" for every "
                                   f"entry (a norm bound has no word in the vocabulary)")
    if _exact(c) is None or _exact(c) <= 0:
        return None
    return plain_assumption(f"-{c} {op} {x} {op} {c}", claim_id, frozenset(d.name for d in symbols))


def _semi_orthogonal(t: str, symbols: Sequence[SymbolDecl], claim_id: str | None) -> None:
    """WᵀW = I of a non-square W (orthonormal columns) is refused with what the vocabulary has:
    it was read as "W orthogonal" and refused for W's shape, a message about a word the
    writer did not use (round 18)."""
    if not re.search(r"=\s*(?:I\b|I_|eye\()", t):
        return
    try:
        phrase = plain_assumption(t, claim_id)
    except ClaimError:
        return
    m = re.fullmatch(r"(\w+) orthogonal", phrase)
    decl = {d.name: d for d in symbols}.get(m.group(1)) if m else None
    if decl is None or decl.kind != "matrix" or decl.is_square:
        return
    raise ClaimError(claim_id, f'assumption "{t}": {decl!r} is not square, so this says '
                               f"its columns (or rows) are orthonormal, which the "
                               f"vocabulary has no word for (\"{decl.name} orthogonal\" is of a "
                               f"square matrix); write the identity it gives into the claim, "
                               f"e.g. eye(k) where {decl.name}.T @ {decl.name} stands")


# a side of a sign condition written with typeset notation (‖x‖ > 0, ‖x‖_2 ≠ 0, xᵀx > 0)
_TYPESET_SIGN = re.compile(r"(?P<x>[^<>!=]*[‖|ᵀ√²³⁻∥][^<>!=]*?)\s*(?P<op>>=|>|<=|<|!=)\s*0")


def _typeset_sign(t: str, symbols: Sequence[SymbolDecl], claim_id: str | None) -> str | None:
    """``‖x‖_2 ≠ 0`` as ``norm(x) nonzero``: the expression in the language's own spelling,
    so that it is the condition the engine's requirements name (``‖x‖ nonzero`` was kept as
    written and never matched 'norm(x) nonzero'); None where there is none to rewrite."""
    m = _TYPESET_SIGN.fullmatch(t)
    if m is None:
        return None
    from verifier.language import ClaimInputError, parse_expression, scope_of
    from verifier.language.printer import to_text

    try:
        plain = to_text(parse_expression(m.group("x").strip(), scope_of(symbols)))
    except ClaimInputError:
        return None  # refused later, where the assumption is read, with its position
    return plain_assumption(f"{plain} {m.group('op')} 0", claim_id,
                            frozenset(d.name for d in symbols))
