"""derivcheck's engine: decide claimed formulas (prove, refute, or name a condition).

The public names load lazily, so ``derivcheck --help`` does not pay for SymPy.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["Claim", "Derivation", "verify", "__version__"]

_LAZY = {
    "Claim": ("verifier.api", "Claim"),
    "Derivation": ("verifier.api", "Derivation"),
    "verify": ("verifier.api", "verify"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'verifier' has no attribute {name!r}")
