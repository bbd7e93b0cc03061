"""The link between a library function and the catalogue claims it implements.

Each public function declares its claim ids once, with ``@implements(...)``; ``CLAIM_IDS``
and the "Claims:" line of every docstring are derived from that declaration. The catalogue
names the function on the claim's side (``implementation=``), and
``tests/gradients/test_against_claims.py`` checks that the two sides agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

__all__ = ["claim_ids", "implements", "path"]

F = TypeVar("F", bound=Callable)

_DECLARED: dict[str, tuple[str, ...]] = {}  # function name → claim ids, in declaration order


def implements(*ids: str) -> Callable[[F], F]:
    """Declare the catalogue claims a function implements (ids such as
    ``"regression.linear_regression_gradient"``); appends them to its docstring."""
    if not ids or not all(isinstance(i, str) and i.count(".") == 1 for i in ids):
        raise ValueError(f"claim ids are 'topic.name' strings; got {ids!r}")

    def declare(fn: F) -> F:
        if fn.__name__ in _DECLARED:
            raise ValueError(f"{fn.__name__} declares its claims twice")
        _DECLARED[fn.__name__] = ids
        fn.__claims__ = ids  # type: ignore[attr-defined]
        fn.__doc__ = f"{(fn.__doc__ or '').rstrip()}\n\nClaims: {', '.join(ids)}\n"
        return fn

    return declare


def claim_ids() -> dict[str, tuple[str, ...]]:
    """Every declared function's name → the claim ids it implements."""
    return dict(_DECLARED)


def path(fn: Callable, output: int | str | None = None) -> str:
    """The dotted path a catalogue claim names its implementation by (``implementation=``):
    ``module.function``, with ``[output]`` selecting one item of a tuple or NamedTuple result."""
    if fn.__name__ not in _DECLARED:
        raise ValueError(f"{fn.__name__} declares no claims (@implements)")
    suffix = "" if output is None else f"[{output}]"
    return f"{fn.__module__}.{fn.__name__}{suffix}"
