"""Static shapes: a scalar, or rows × columns whose sizes are products of dimension names.

Sizes are compared symbolically, before anything is built: ``n`` and ``m`` are different
sizes even if an instantiation happens to give them one value, so a shape error is found at
parse time, identically for every instantiation.  ``kron`` and ``vec`` multiply sizes, so a
size is a monomial (an integer coefficient times a sorted tuple of names).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Size", "Shape", "SCALAR", "ONE", "fmt_shape", "size_of"]


@dataclass(frozen=True, order=True)
class Size:
    coef: int
    names: tuple[str, ...] = ()

    def __mul__(self, other: Size) -> Size:
        return Size(self.coef * other.coef, tuple(sorted(self.names + other.names)))

    def __str__(self) -> str:
        parts = ([str(self.coef)] if self.coef != 1 or not self.names else []) + list(self.names)
        return "·".join(parts)


ONE = Size(1)


def size_of(dim: str | int) -> Size:
    """A declared dimension (a name or a positive integer) as a Size."""
    return Size(dim) if isinstance(dim, int) else Size(1, (dim,))


@dataclass(frozen=True)
class Shape:
    """``rows × cols``; ``Shape(None, None)`` (``SCALAR``) is a scalar."""

    rows: Size | None
    cols: Size | None

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
        return "a scalar" if self.is_scalar else f"{self.rows}×{self.cols}"


SCALAR = Shape(None, None)


def fmt_shape(shape: Shape) -> str:
    return str(shape)
