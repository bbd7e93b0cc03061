"""The verifier's layers.  Dependencies run one way: each layer imports only from itself and
the layers before it (``tests/test_layers.py`` walks the imports and enforces it).

1. model: what a claim and a verdict are (no SymPy)
2. building: SymPy objects from claims: operations, the claim language, parametrised
   assumptions, certified numbers, and the one scoped place where SymPy is adjusted
3. deciding: the strategies, the audit of a point, the engine that runs them
4. running: worker processes, the on-disk cache, deciding many entries
5. reports and integrations: console/JSON/Markdown/HTML, the command line, the Python API,
   the pytest plugin, the self-test, the catalogue's registration point

A verdict depends only on layers 1–3, so the cache keys results by their sources alone.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["LAYERS", "DECIDING_SOURCES", "layer_of"]

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("model", ("verifier.claim", "verifier.verdict", "verifier.account", "verifier.layers")),
    ("building", ("verifier.ops", "verifier.sympy_adjust", "verifier.certify",
                  "verifier.domains", "verifier.instantiate", "verifier.language",
                  "verifier.claimfile")),
    ("deciding", ("verifier.audit", "verifier.strategies", "verifier.implementation",
                  "verifier.definedness", "verifier.convention", "verifier.engine",
                  "verifier.derive")),
    ("running", ("verifier.pool", "verifier.cache", "verifier.runner")),
    ("reports", ("verifier.report", "verifier.catalogues", "verifier.api", "verifier.cli",
                 "verifier.testing", "verifier.pytest_plugin", "verifier.selftest",
                 "verifier.__main__", "verifier")),
)


def layer_of(module: str) -> int:
    """The layer number of a verifier module (its longest listed prefix)."""
    best, depth = -1, -1
    for k, (_, prefixes) in enumerate(LAYERS):
        for p in prefixes:
            if (module == p or module.startswith(p + ".")) and len(p) > depth:
                best, depth = k, len(p)
    if best < 0:
        raise KeyError(f"{module} is in no layer of verifier/layers.py")
    return best


def DECIDING_SOURCES() -> list[Path]:  # noqa: N802 - reads as the constant it computes
    """The source files a verdict can depend on: every module of layers 1–3."""
    root = Path(__file__).resolve().parent
    out = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parent).with_suffix("").as_posix().replace("/", ".")
        module = rel.removesuffix(".__init__")
        try:
            if layer_of(module) <= 2:
                out.append(path)
        except KeyError:
            out.append(path)  # an unlisted module: count it, so a cache never goes stale
    return out
