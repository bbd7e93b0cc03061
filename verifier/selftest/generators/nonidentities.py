"""Non-identities (kind = "non-identity": "lhs ≠ rhs in general"), true and false.

A non-identity is proved by a witness where both sides are defined and differ, and refuted
only when the identity holds.  The claims come from every other generator (the hard false
identities make hard true non-identities: det Q ≠ 1 for Q orthogonal, e₄(x) ≠ 0,
e^{200x} + 1 ≠ e^{200x}, a bump ≠ 0), plus a few classics (AB ≠ BA, (AB)ᵀ ≠ AᵀBᵀ), about
half of them true.  Vacuous claims are left out (a non-identity over no points says nothing
either way).
"""

from __future__ import annotations

from verifier.selftest.generators import domains, magnitudes, sizes, structures, undefined
from verifier.selftest.generators.base import Draft, Rand, witness

NAME = "nonidentities"


def classics(r: Rand) -> Draft:
    a, b = r.mat(), r.mat()
    n = r.dim()
    lhs, rhs, sides, why, assume = r.choice([
        (f"{a} @ {b}", f"{b} @ {a}", "differ", "AB ≠ BA", []),
        (f"({a} @ {b}).T", f"{a}.T @ {b}.T", "differ", "(AB)ᵀ ≠ AᵀBᵀ", []),
        (f"({a} @ {b}).T", f"{b}.T @ {a}.T", "equal", "(AB)ᵀ ≠ BᵀAᵀ (false)", []),
        (f"{a} @ {b}", f"{b} @ {a}", "equal", "AB ≠ BA for commuting A, B (false)",
         [f"{a} and {b} commute"]),
        (f"trace({a} @ {b})", f"trace({b} @ {a})", "equal", "tr AB ≠ tr BA (false)", []),
        (f"{a} @ {b}", f"{b} @ {a}", "differ", "AB ≠ BA for symmetric A, B",
         [f"{a} symmetric", f"{b} symmetric"]),
    ])
    d = Draft({a: f"matrix({n}, {n})", b: f"matrix({n}, {n})"}, lhs, rhs, sides, why, assume)
    if sides == "differ":
        d.witness = witness({a: [[1, 2], [2, 0]], b: [[0, 1], [1, 3]]}, {n: 2})
    return d


SOURCES = (structures.TEMPLATES + domains.TEMPLATES + undefined.TEMPLATES
           + magnitudes.TEMPLATES + sizes.TEMPLATES)


def borrowed(r: Rand) -> Draft:
    """A claim of another generator, stated as a non-identity."""
    want = r.choice(("differ", "differ", "equal", "equal", "undefined"))
    for _ in range(200):
        t = r.choice(SOURCES)
        d = t(Rand(r.rng))
        if d.sides == want:
            break
    if d.sides == "vacuous":
        return classics(r)
    d.kind = "non-identity"
    d.why = f"{d.why} — stated as ≠"
    d.origin = f"ne_{t.__name__}"
    return d


TEMPLATES = (classics, borrowed, borrowed, borrowed)
