"""Static shapes: a scalar, or rows × columns whose sizes are products of dimension names.

Sizes are compared symbolically, before anything is built: ``n`` and ``m`` are different
sizes even if an instantiation happens to give them one value, so a shape error is found at
parse time, identically for every instantiation.  ``kron`` and ``vec`` multiply sizes, so a
size is a monomial (an integer coefficient times a sorted tuple of names); ``block`` adds
sizes, so the side of a block matrix is a ``SizeSum`` of monomials (n + k).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Size", "SizeSum", "Shape", "SCALAR", "ONE", "add_sizes", "fmt_shape", "size_of",
           "value_at"]


@dataclass(frozen=True, order=True)
class Size:
    coef: int
    names: tuple[str, ...] = ()

    def __mul__(self, other: Size | SizeSum) -> Size | SizeSum:
        if isinstance(other, SizeSum):
            return other * self
        return Size(self.coef * other.coef, tuple(sorted(self.names + other.names)))

    def __str__(self) -> str:
        parts = ([str(self.coef)] if self.coef != 1 or not self.names else []) + list(self.names)
        return "·".join(parts)


@dataclass(frozen=True, order=True)
class SizeSum:
    """A sum of two or more monomials with distinct names, sorted (``add_sizes`` builds it)."""

    terms: tuple[Size, ...]

    def __mul__(self, other: Size | SizeSum) -> Size | SizeSum:
        right = other.terms if isinstance(other, SizeSum) else (other,)
        return add_sizes(*[a * b for a in self.terms for b in right])

    def __str__(self) -> str:
        return " + ".join(str(t) for t in self.terms)


def add_sizes(*sizes: Size | SizeSum) -> Size | SizeSum:
    """n + k, n + n = 2·n: a Size when the sum is one monomial, else a SizeSum."""
    coefs: dict[tuple[str, ...], int] = {}
    for s in sizes:
        for t in s.terms if isinstance(s, SizeSum) else (s,):
            coefs[t.names] = coefs.get(t.names, 0) + t.coef
    terms = tuple(sorted(Size(c, names) for names, c in coefs.items() if c))
    return terms[0] if len(terms) == 1 else SizeSum(terms)


ONE = Size(1)


def size_of(dim: str | int) -> Size:
    """A declared dimension (a name or a positive integer) as a Size."""
    return Size(dim) if isinstance(dim, int) else Size(1, (dim,))


@dataclass(frozen=True)
class Shape:
    """``rows × cols``; ``Shape(None, None)`` (``SCALAR``) is a scalar."""

    rows: Size | SizeSum | None
    cols: Size | SizeSum | None

    @property
    def is_scalar(self) -> bool:
        return self.rows is None

    @property
    def is_matrix(self) -> bool:
        return self.rows is not None

    @property
    def is_one_by_one(self) -> bool:
        """A 1×1 matrix, which arithmetic and scalar functions treat as a scalar."""
        return self.rows == ONE and self.cols == ONE

    @property
    def is_square(self) -> bool:
        return self.is_matrix and self.rows == self.cols

    @property
    def is_column(self) -> bool:
        return self.is_matrix and self.cols == ONE

    @property
    def T(self) -> Shape:  # noqa: N802 - mirrors the language's .T
        return Shape(self.cols, self.rows)

    def __str__(self) -> str:
        if self.is_scalar:
            return "a scalar"
        side = [f"({s})" if isinstance(s, SizeSum) else f"{s}" for s in (self.rows, self.cols)]
        return "×".join(side)


SCALAR = Shape(None, None)


def fmt_shape(shape: Shape) -> str:
    return str(shape)


def value_at(size: Size | SizeSum, sizes: dict[str, int]) -> int:
    """A size at concrete dimensions (``sizes`` gives every name it uses)."""
    if isinstance(size, SizeSum):
        return sum(value_at(t, sizes) for t in size.terms)
    out = size.coef
    for name in size.names:
        out *= sizes[name]
    return out
