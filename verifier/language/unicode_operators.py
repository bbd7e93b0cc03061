"""∇ₓ, ∇_x, ∂_x and ∂ₓ pasted from notes as the LaTeX operators \\nabla_{x}, \\partial_{x}
(round 18), which the LaTeX reader takes as grad(f, x) in the claim's layout.

Only an operator with its variable subscripted is read: a bare ∇f or ∂f/∂x names no variable
and stays refused with the parser's message (write grad(f, x)).
"""

from __future__ import annotations

import re

from verifier.language.greek import ascii_name
from verifier.language.subscripts import Edit

__all__ = ["operator_edits"]

# the subscript letters Unicode has (no θ: notes write ∇_θ, ∇_{θ})
_SUBSCRIPT_LETTERS = {"ₐ": "a", "ₑ": "e", "ₒ": "o", "ₓ": "x", "ₕ": "h", "ₖ": "k", "ₗ": "l",
                      "ₘ": "m", "ₙ": "n", "ₚ": "p", "ₛ": "s", "ₜ": "t", "ᵢ": "i", "ⱼ": "j",
                      "ᵣ": "r", "ᵤ": "u", "ᵥ": "v"}
_OPERATOR = re.compile(r"(?P<op>[∇∂])\s*(?:(?P<sub>[ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼᵣᵤᵥ]+)"
                       r"|_\s*(?:\{\s*(?P<braced>[^\W\d]\w*)\s*\}|(?P<plain>[^\W\d]\w*)))")
_COMMAND = {"∇": r"\nabla", "∂": r"\partial"}


def operator_edits(text: str) -> list[Edit]:
    """The edits that write each subscripted ∇ or ∂ of ``text`` as its LaTeX operator."""
    edits: list[Edit] = []
    for m in _OPERATOR.finditer(text):
        name = ascii_name(m.group("braced") or m.group("plain") or "".join(
            _SUBSCRIPT_LETTERS[c] for c in m.group("sub")))  # ∇_θ: \nabla_{theta}
        edits.append((m.start(), m.end(), f"{_COMMAND[m.group('op')]}_{{{name}}} "))
    return edits
