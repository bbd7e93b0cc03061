"""What every generator shares: random names and sizes, witnesses as text, the case loop.

A generator module lists *templates*: small functions that draw one claim (symbol names,
sizes, constants, which assumptions and in which order) and return its table, its ground
truth and, for a false claim, a witness where it is easy to state.  ``cases`` cycles
through a module's templates so that every template is used about equally often.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from verifier.selftest.cases import Case

__all__ = ["Draft", "Rand", "cases", "eye", "diag", "col", "fmt", "witness"]

# Names an outside user might pick; dimension names are kept apart from symbol names.
MATRICES = ("A", "B", "M", "Q", "P", "W", "S", "R", "G", "H", "U", "V", "K", "C2", "Xm")
VECTORS = ("x", "y", "v", "w", "a", "b", "u", "z", "h", "q", "r")
SCALARS = ("s", "c", "g", "lam", "alpha", "beta", "eta", "mu", "rho", "tau", "kappa", "gam")
INTEGERS = ("t", "k", "j", "steps")
DIMS = ("n", "m", "d", "N", "D", "L", "J")


@dataclass
class Draft:
    """One drawn claim before it gets its id."""

    symbols: dict[str, str]
    lhs: str = ""
    rhs: str = ""
    sides: str = "equal"
    why: str = ""
    assume: list[str] = field(default_factory=list)
    kind: str = ""  # "" (identity or gradient) or "non-identity"
    layout: str = ""
    steps: list[str] = field(default_factory=list)
    step_sides: list[str] = field(default_factory=list)
    witness: dict[str, Any] | None = None
    origin: str = ""  # the template a borrowed claim came from

    def table(self) -> dict[str, Any]:
        t: dict[str, Any] = {}
        if self.kind:
            t["kind"] = self.kind
        t["symbols"] = dict(self.symbols)
        if self.assume:
            t["assume"] = list(self.assume)
        if self.layout:
            t["layout"] = self.layout
        if self.steps:
            t["steps"] = list(self.steps)
        else:
            t["lhs"], t["rhs"] = self.lhs, self.rhs
        return t


class Rand:
    """A seeded source of names, sizes and constants for one claim."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._taken: set[str] = set()

    def _pick(self, pool: Sequence[str]) -> str:
        free = [p for p in pool if p not in self._taken]
        name = self.rng.choice(free)
        self._taken.add(name)
        return name

    def mat(self) -> str:
        return self._pick(MATRICES)

    def vec(self) -> str:
        return self._pick(VECTORS)

    def scal(self) -> str:
        return self._pick(SCALARS)

    def integer(self) -> str:
        return self._pick(INTEGERS)

    def dim(self) -> str:
        return self._pick(DIMS)

    def size(self, lo: int = 2, hi: int = 4, symbolic: float = 0.5) -> tuple[str | int, int]:
        """A dimension: a name (its witness size ``lo``) or a fixed size in lo..hi."""
        if self.rng.random() < symbolic:
            return self.dim(), lo
        # small sizes mostly: a structured 4×4 costs the engine 10-100x a 2×2
        ks = list(range(lo, hi + 1))
        k = self.rng.choices(ks, weights=[4 / (1 + i) ** 2 for i in range(len(ks))])[0]
        return k, k

    def choice(self, xs: Sequence[Any]) -> Any:
        return self.rng.choice(xs)

    def randint(self, a: int, b: int) -> int:
        return self.rng.randint(a, b)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def shuffled(self, xs: Sequence[Any]) -> list[Any]:
        out = list(xs)
        self.rng.shuffle(out)
        return out

    def small(self, lo: int = 2, hi: int = 9) -> int:
        return self.rng.randint(lo, hi)

    def rational(self) -> str:
        """A readable rational constant as the language writes it (e.g. 3/7, 2, 0.25)."""
        k = self.rng.randint(1, 4)
        if k == 1:
            return str(self.rng.randint(2, 9))
        if k == 2:
            return f"{self.rng.randint(1, 9)}/{self.rng.randint(2, 9)}"
        if k == 3:
            return self.rng.choice(("0.5", "0.25", "1.5", "0.1", "2.5", "0.75"))
        return str(self.rng.randint(11, 99))


# ----- values as text, the way a counterexample shows them -----


def fmt(x: Any) -> Any:
    if isinstance(x, list):
        return [[str(Fraction(t)) for t in row] for row in x]
    return str(Fraction(x))


def eye(n: int, scale: Any = 1) -> list[list[Fraction]]:
    return [[Fraction(scale) if i == j else Fraction(0) for j in range(n)] for i in range(n)]


def diag(*xs: Any) -> list[list[Fraction]]:
    n = len(xs)
    return [[Fraction(xs[i]) if i == j else Fraction(0) for j in range(n)] for i in range(n)]


def col(*xs: Any) -> list[list[Fraction]]:
    return [[Fraction(x)] for x in xs]


def witness(values: dict[str, Any], sizes: dict[str, int] | None = None,
            step: int | None = None) -> dict[str, Any]:
    w: dict[str, Any] = {"values": {k: fmt(v) for k, v in values.items()},
                         "sizes": dict(sizes or {})}
    if step is not None:
        w["step"] = step
    return w


def sizes_of(*pairs: tuple[str | int, int]) -> dict[str, int]:
    """{dimension name: witness size} for the symbolic ones among (spec, size) pairs."""
    return {spec: k for spec, k in pairs if isinstance(spec, str)}


# ----- the case loop -----

Template = Callable[[Rand], Draft]


def cases(generator: str, templates: Sequence[Template], n: int, rng: random.Random) -> list[Case]:
    """``n`` cases from the templates, cycling through them in a shuffled order."""
    out: list[Case] = []
    order = list(templates)
    k = 0
    while len(out) < n:
        if k % len(order) == 0:
            rng.shuffle(order)
        t = order[k % len(order)]
        d = t(Rand(rng))
        name = d.origin or t.__name__
        out.append(Case(
            id=f"selftest.{generator}.{name}.{len(out)}",
            generator=generator,
            table=d.table(),
            sides=d.sides,
            why=d.why,
            step_sides=tuple(d.step_sides),
            witness=d.witness,
            template=name,
        ))
        k += 1
    return out


def spec(x: str | int) -> str:
    """A dimension as the language writes it inside an expression."""
    return str(x)
