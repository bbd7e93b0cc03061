"""Assumption phrases as people write them, read as the vocabulary of ``verifier.claim``.

``x > 0`` is ``x positive``, ``0 < p < 1`` is ``p in (0, 1)``, ``A symmetric positive
definite`` is ``A positive definite`` (the engine's positive definite matrices are symmetric),
``A nonsingular`` is ``A invertible``.  Each rewrite has one meaning; a phrase the vocabulary
has no word for (positive semidefinite) gets an error that says what to write instead.
Anything else is passed on unchanged, for ``parse_assumption`` to accept or refuse.
"""

from __future__ import annotations

import re

from verifier.claim import ClaimError

__all__ = ["plain_assumption"]

# a comparison with 0, either way round, and the sign word it means
_SIGNS = {">": "positive", ">=": "nonnegative", "<": "negative", "!=": "nonzero"}
_FLIPPED = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "!=": "!="}
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
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


def plain_assumption(text: str, claim_id: str | None = None) -> str:
    """The vocabulary's phrase for one written assumption (or its text as it is)."""
    t = " ".join(str(text).replace("≥", ">=").replace("≤", "<=").replace("≠", "!=")
                 .replace("∈", " in ").split())
    if _SEMIDEFINITE.match(t):
        x = _SEMIDEFINITE.match(t).group("x")  # type: ignore[union-attr]
        raise ClaimError(
            claim_id,
            f'assumption "{t}": positive semidefinite is not in the vocabulary (the engine '
            f'samples and proves over positive definite matrices); write "{x} positive '
            f'definite" if the claim may assume {x} invertible, or declare a factor L and '
            "write the matrix as L @ L.T",
        )
    m = _DEFINITE.match(t)
    if m:
        return f"{m.group('x')} positive definite"
    m = re.fullmatch(r"(\w+)\s+(?:is\s+)?(?:non-?singular|non-singular)", t, re.IGNORECASE)
    if m:
        return f"{m.group(1)} invertible"
    m = re.fullmatch(r"(.+?)\s+(?:is\s+)?non-(negative|zero)", t)
    if m:
        return f"{m.group(1)} non{m.group(2)}"
    name, tr = r"([A-Za-z_]\w*?)", r"(\.T|ᵀ|\^T|\^\{T\})?"  # \w alone takes ᵀ in
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
    m = re.fullmatch(r"(.+?)(?:\s+and\s+|\s*,\s*)(.+)", t)
    if m and not re.fullmatch(r"(\w+)(?:\s+and\s+|\s*,\s*)(\w+)\s+commute", t) \
            and not re.search(r"[\(\[{][^\)\]}]*,", t):  # a comma inside (..), [..], {0, 1}
        raise ClaimError(
            claim_id,
            f'"{t}" joins two conditions; write one per string: assume = ["{m.group(1)}", '
            f'"{m.group(2)}"] (an expectation "holds if ..." names one: assume the other)',
        )
    m = re.fullmatch(rf"({_NUMBER})\s*(<=?)\s*(\w+)\s*(<=?)\s*({_NUMBER})", t)
    if m:
        lo, op1, x, op2, hi = m.groups()
        return f"{x} in {'(' if op1 == '<' else '['}{lo}, {hi}{')' if op2 == '<' else ']'}"
    m = re.fullmatch(r"(.+?)\s*(>=|>|<=|<|!=)\s*0", t)
    if m and not re.search(r"[<>!=]", m.group(1)):
        return _sign_phrase(m.group(1), m.group(2), t, claim_id)
    m = re.fullmatch(r"0\s*(>=|>|<=|<|!=)\s*(.+)", t)
    if m and not re.search(r"[<>!=]", m.group(2)):
        return _sign_phrase(m.group(2), _FLIPPED[m.group(1)], t, claim_id)
    return t


def _sign_phrase(x: str, op: str, t: str, claim_id: str | None) -> str:
    if op == "<=":
        raise ClaimError(
            claim_id,
            f'assumption "{t}": nonpositive is not in the vocabulary; write "{x} negative" '
            f'(< 0), or assume "{x} nonnegative" of the negated symbol',
        )
    return f"{x.strip()} {_SIGNS[op]}"

