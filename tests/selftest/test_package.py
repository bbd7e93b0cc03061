"""The selftest package's imports run one way: it never imports the command line, the
catalogue or the engine's strategies and instantiations (the judge must stay independent),
and no module reaches for another module's private names."""

from __future__ import annotations

import ast
from pathlib import Path

import verifier.selftest

ROOT = Path(verifier.selftest.__file__).parent
# the mutant mode rewrites general-dimension trees, which only the engine's general
# instantiation builds: mutants.py alone may import verifier.instantiate
ALLOWED_INSTANTIATE = {"mutants.py"}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, []


def test_selftest_imports_neither_the_cli_nor_the_catalogue_nor_the_strategies():
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        for module, _ in _imports(path):
            assert not module.startswith("verifier.cli"), rel
            assert not module.startswith("derivations"), rel
            assert not module.startswith("verifier.strategies"), rel
            if module.startswith("verifier.instantiate"):
                assert rel in ALLOWED_INSTANTIATE, rel


def test_no_private_name_is_imported_across_modules():
    for path in ROOT.rglob("*.py"):
        for module, names in _imports(path):
            private = [n for n in names if n.startswith("_") and n != "__future__"]
            assert not private, (path.name, module, private)


def test_the_judge_modules_use_no_engine_at_all():
    judge_side = ("arith.py", "evaluate.py", "admissible.py", "judge.py", "cases.py")
    for name in judge_side:
        for module, _ in _imports(ROOT / name):
            assert module != "verifier.engine" and not module.startswith("verifier.ops"), name
