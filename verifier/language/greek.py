"""Greek letters and Unicode subscripts in names, as papers write them: ``α``, ``σ²``, ``β₁``,
``W_Q``, ``Σ`` declared as a covariance.

A name is read as its ASCII spelling, the same in a declaration, a formula and an assumption:
``α`` is ``alpha``, ``λ`` is ``lam`` (``lambda`` is a Python keyword), ``ε`` and ``ϵ`` are
``epsilon``, ``µ`` (the micro sign) is ``mu``, and a subscript digit is ``_`` and the digit
(``β₁`` is ``beta_1``, ``x₁₂`` ``x_12``).  Declarations are always respelled (``α: scalar``
declares ``alpha``); in a formula a token is respelled only where its spelling is declared,
so that ``σ(z)``, ``Σ_i x_i`` and an undeclared ``α`` keep the refusals that say what to
write (``sigmoid``, ``sum(e, i)``, declare it).
"""

from __future__ import annotations

import re

__all__ = ["LETTERS", "ascii_name", "greek_in_declarations", "powers_by_letters",
           "respell_declared"]

# superscript letters (β₁ᵗ, γᵏ, xⁿ): a power by a declared integer or dimension
_SUPERSCRIPT_LETTERS = {"ᵗ": "t", "ᵏ": "k", "ⁿ": "n", "ᵐ": "m", "ᵈ": "d", "ˢ": "s", "ᴺ": "N",
                        "ᵀ": None}

_LETTERS = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon",
    "ζ": "zeta", "η": "eta", "θ": "theta", "ϑ": "theta", "ι": "iota", "κ": "kappa",
    "λ": "lam", "μ": "mu", "µ": "mu", "ν": "nu", "ξ": "xi", "ρ": "rho", "ϱ": "rho",
    "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "ϕ": "phi",
    "χ": "chi", "ψ": "psi", "ω": "omega",
    "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi",
    "Σ": "Sigma", "Υ": "Upsilon", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
}
LETTERS = _LETTERS  # a Greek letter → its ASCII name (λ → lam)
_SUBSCRIPT_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_GREEK_CLASS = "".join(_LETTERS)
# a name with a Greek letter or a subscript digit in it (ASCII names are left alone)
_TOKEN = re.compile(rf"(?<![A-Za-z0-9_])[A-Za-z_{_GREEK_CLASS}][A-Za-z0-9_{_GREEK_CLASS}₀-₉]*")


def ascii_name(name: str) -> str:
    """``name`` spelled in ASCII: each Greek letter its name, a run of subscript digits ``_``
    and the digits (a name with neither is returned as it is)."""
    out = re.sub(r"[₀-₉]+", lambda m: "_" + m.group().translate(_SUBSCRIPT_DIGITS), name)
    out = "".join(_LETTERS.get(ch, ch) for ch in out)
    return out.replace("__", "_") if out != name else name


def greek_in_declarations(text: str) -> str:
    """A declaration text with every name respelled: ``α: scalar, W₁: matrix(n, n)``."""
    return _TOKEN.sub(lambda m: ascii_name(m.group()), text)


def respell_declared(text: str, declared: frozenset[str]) -> tuple[str, tuple[int, ...]]:
    """``text`` with each token whose ASCII spelling is declared respelled (``σ * x`` with
    sigma declared: ``sigma * x``), and ``back[k]``: the index in ``text`` of character k of
    the result (empty when nothing changed)."""
    out: list[str] = []
    back: list[int] = []
    last = 0
    for m in _TOKEN.finditer(text):
        token = m.group()
        spelled = ascii_name(token)
        if spelled != token and spelled not in declared:  # ε declared as eps, as LaTeX's
            spelled = next((alt for alt in _other_spellings(spelled) if alt in declared),
                           spelled)
        # σ_i, μ_k: the subscript is read after this (x₁ alone keeps its refusal: x[0]?)
        head = spelled.rsplit("_", 1)[0] if any(ch in _LETTERS for ch in token) else spelled
        if spelled == token or (spelled not in declared and head not in declared
                                and not _glued_names(spelled, declared)):
            continue
        out.append(text[last:m.start()])
        back.extend(range(last, m.start()))
        out.append(spelled)
        # every character of the new spelling points at the token's first character
        back.extend([m.start()] * len(spelled))
        last = m.end()
    if not out:
        return text, ()
    out.append(text[last:])
    back.extend(range(last, len(text)))
    return "".join(out), tuple(back)


def _glued_names(spelled: str, declared: frozenset[str]) -> bool:
    """Is ``spelled`` declared names glued (Xθ as Xtheta: X theta, read as a glued product
    after the respelling, round 18)?"""
    ends = {0}
    for k in range(1, len(spelled) + 1):
        if any(spelled[j:k] in declared for j in ends if j < k):
            ends.add(k)
    return len(spelled) in ends and spelled not in declared


def powers_by_letters(text: str, integers: frozenset[str]) -> list[tuple[int, int, str]]:
    """Edits writing a superscript letter after an operand as ``^letter`` (β₁ᵗ: β₁^t) where
    the letter names a declared integer or a dimension; others are left (xⁱ may be an index
    in tensor notation, ᵀ is the transpose)."""
    out = []
    for k, ch in enumerate(text):
        letter = _SUPERSCRIPT_LETTERS.get(ch)
        if letter is not None and letter in integers and k and (text[k - 1].isalnum()
                                                               or text[k - 1] in ")]_"):
            out.append((k, k + 1, f"^{letter}"))
    return out


def _other_spellings(spelled: str) -> list[str]:
    """The names a token with ε or λ may be declared as besides its own (eps, lmbda)."""
    out = []
    for long, short in (("epsilon", "eps"), ("lam", "lmbda")):
        if long in spelled:
            out.append(spelled.replace(long, short))
    return out
