"""torch's spellings of the library's arguments, so that a call ported from torch keeps its
keywords.

``@torch_names(dim="axis")`` lets ``softmax(Z, dim=1)`` mean ``softmax(Z, axis=1)``: torch's
name is an alias of the library's (the signature, and ``help()``, show the library's; the
docstring gets a line naming the aliases). A tuple spreads torch's one argument over several of
the library's (``betas=("beta1", "beta2")``). Giving both spellings is a TypeError, as Python's
for an argument given twice.

``@torch_flags(...)`` takes torch keywords that have no counterpart in the library's
mathematics: a value that changes nothing here (``foreach``, ``fused``, ``inplace=False``) is
accepted and dropped, any other is a ValueError saying why the library does not take it.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = ["TorchFlag", "torch_flags", "torch_names"]

F = TypeVar("F", bound=Callable)


def _positions(fn: Callable) -> dict[str, int]:
    """Each parameter that can be given positionally → its position."""
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    params = inspect.signature(fn).parameters.values()
    return {p.name: i for i, p in enumerate(params) if p.kind in kinds}


def _spread(torch_name: str, value: Any, count: int) -> tuple[Any, ...]:
    if isinstance(value, str) or not hasattr(value, "__len__") or len(value) != count:
        raise ValueError(f"{torch_name} must be a sequence of {count} numbers (torch's "
                         f"{torch_name}); got {value!r}")
    return tuple(value)


def _note(fn: Callable, line: str) -> None:
    fn.__doc__ = f"{(fn.__doc__ or '').rstrip()}\n\n{line}\n"


def torch_names(**aliases: str | tuple[str, ...]) -> Callable[[F], F]:
    """Accept torch's keyword (the key) for the library's argument(s) (the value)."""

    def wrap(fn: F) -> F:
        positions = _positions(fn)
        for ours in aliases.values():
            for name in (ours,) if isinstance(ours, str) else ours:
                if name not in inspect.signature(fn).parameters:
                    raise ValueError(f"{fn.__name__} has no parameter {name!r}")

        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> Any:
            for torch_name in aliases.keys() & kwargs.keys():
                ours = aliases[torch_name]
                names = (ours,) if isinstance(ours, str) else ours
                value = kwargs.pop(torch_name)
                values = (value,) if isinstance(ours, str) else _spread(torch_name, value,
                                                                         len(names))
                for name, v in zip(names, values, strict=True):
                    if name in kwargs or positions.get(name, len(args)) < len(args):
                        raise TypeError(f"{fn.__name__}() got {name!r} and torch's spelling "
                                        f"{torch_name!r} of it; give one of them")
                    kwargs[name] = v
            return fn(*args, **kwargs)

        shown = ", ".join(f"`{t}` for {o!r}" if isinstance(o, str) else
                          f"`{t}` for ({', '.join(o)})" for t, o in aliases.items())
        _note(call, f"torch's spellings (aliases): {shown}.")
        return call  # type: ignore[return-value]

    return wrap


@dataclass(frozen=True)
class TorchFlag:
    """A torch keyword without a counterpart here: the values that change nothing in the
    library's result (accepted, dropped) and why any other is refused."""

    accepted: tuple[Any, ...]
    why: str


def _accepted(value: Any, accepted: tuple[Any, ...]) -> bool:
    # `is` for None and the booleans (0 == False), == for numbers (0.0 == 0)
    return any(value is a if a is None or isinstance(a, bool) else
               (not isinstance(value, bool) and value == a) for a in accepted)


def torch_flags(**flags: TorchFlag) -> Callable[[F], F]:
    """Accept torch's keywords ``flags`` at their accepted values; refuse the others."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> Any:
            for name in flags.keys() & kwargs.keys():
                value = kwargs.pop(name)
                if not _accepted(value, flags[name].accepted):
                    raise ValueError(f"{fn.__name__} does not take torch's {name}={value!r}: "
                                     f"{flags[name].why}")
            return fn(*args, **kwargs)

        shown = ", ".join(f"`{n}` ({' or '.join(map(repr, f.accepted))})"
                          for n, f in flags.items())
        _note(call, f"torch keywords accepted with no effect: {shown}; other values refused.")
        return call  # type: ignore[return-value]

    return wrap


# The torch keywords several functions share.
OPTIMIZER_FLAGS = {
    "foreach": TorchFlag((None, True, False), "unreachable: every value is accepted"),
    "fused": TorchFlag((None, True, False), "unreachable: every value is accepted"),
    "capturable": TorchFlag((False, True), "unreachable: every value is accepted"),
    "differentiable": TorchFlag(
        (False,), "the step is not differentiated through (it updates NumPy arrays in place, "
        "with no autograd graph)"),
}
INPLACE = TorchFlag((False,), "the library never writes into its input; assign the result "
                              "instead (z[...] = f(z))")
LEGACY_REDUCTION = {
    name: TorchFlag((None,), "size_average and reduce are torch's deprecated spellings of "
                             "reduction; pass reduction='mean'|'sum'|'none'")
    for name in ("size_average", "reduce")
}
PADDING_MODE = TorchFlag(
    ("zeros",), "only zero padding is implemented (F.conv2d's); for 'reflect', 'replicate' "
    "or 'circular' pad x yourself (np.pad with mode 'reflect', 'edge' or 'wrap') and pass "
    "padding=0")
SGD_WITHOUT_MOMENTUM = {
    "momentum": TorchFlag((0,), "momentum needs its velocity buffer: call momentum_step(params, "
                                "grad, velocity, lr, momentum=...) with the buffer"),
    "nesterov": TorchFlag((False,), "Nesterov momentum needs a velocity buffer: use "
                                    "momentum_step(..., nesterov=True) or sgd_nesterov_step"),
}
NESTEROV = TorchFlag((True,), "sgd_nesterov_step is SGD with nesterov=True; for plain momentum "
                              "use momentum_step")
INITIAL_ACCUMULATOR = TorchFlag(
    (0,), "it is sum_sq's value before the first step, which a single step cannot tell: "
    "create the state as np.full_like(params, initial_accumulator_value)")
SOFTMAX_DTYPE = TorchFlag(
    (None,), "torch casts the input to dtype before the softmax; cast it yourself "
    "(softmax(Z.astype(np.float64))), the result then has that dtype")
