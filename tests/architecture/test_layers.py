"""Dependencies run one way through the verifier's layers (``verifier/layers.py``).

Every import in every verifier module, at the top or inside a function, is read from the
source: a module may import from its own layer and the layers before it, never after, and
no verifier module imports the catalogue (the CLI finds it through an entry point).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from verifier.layers import LAYERS, layer_of

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted((ROOT / "verifier").rglob("*.py"))


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".")
    return rel.removesuffix(".__init__")


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file."""
    tree = ast.parse(path.read_text(), str(path))
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            out.append((node.lineno, name))
            if node.module is None or node.level:  # from . import x: x may be a module
                out += [(node.lineno, f"{name}.{a.name}") for a in node.names]
    return out


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_imports_run_one_way(path):
    here = module_name(path)
    mine = layer_of(here)
    wrong = []
    for line, name in imports(path):
        if name.split(".")[0] == "derivations":
            wrong.append(f"line {line}: imports the catalogue ({name})")
        if not name.startswith("verifier."):
            continue  # the bare package is the lazy public API; its modules are listed
        try:
            theirs = layer_of(name)
        except KeyError:
            continue  # a name imported from a package (from verifier.x import y)
        if theirs > mine:
            wrong.append(f"line {line}: {here} ({LAYERS[mine][0]}) imports {name} "
                         f"({LAYERS[theirs][0]})")
    assert not wrong, "\n".join(wrong)


def test_every_module_has_a_layer():
    for path in MODULES:
        layer_of(module_name(path))


def test_no_private_names_cross_modules():
    """``from verifier.x import _name`` reaches into another module's internals."""
    found = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("verifier"):
                found += [f"{module_name(path)}:{node.lineno} {node.module}.{a.name}"
                          for a in node.names if a.name.startswith("_")
                          and not a.name.startswith("__")]
    assert not found, "\n".join(found)
