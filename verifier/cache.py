"""Results cached on disk, keyed by the entry's content and the verifier's own source.

A key changes when the entry changes (its fields, or the source of the module that
defines its builders, or its claim-file text), when a file a verdict depends on changes
(the model, building and deciding layers of ``verifier.layers``), when
any file of the package holding the entry's implementation changes (the "impl ✓" check
would otherwise go stale), and with the seed. Entries are written to a temporary file and
renamed, so a reader never sees half an entry and two runs may share a cache; an
unreadable entry is ignored, recomputed and overwritten.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import os
import pickle
import sys
import tempfile
from pathlib import Path

from verifier.claim import Entry
from verifier.verdict import Result

__all__ = ["Cache", "default_cache_dir"]

FORMAT = 1


def default_cache_dir() -> Path:
    if os.environ.get("DERIVCHECK_CACHE"):
        return Path(os.environ["DERIVCHECK_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "derivcheck"


@functools.cache
def verifier_digest() -> str:
    """Hash of every source file a verdict can depend on (``verifier.layers``: the model,
    building and deciding layers); reports and integrations are not among them."""
    from verifier.layers import DECIDING_SOURCES

    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in DECIDING_SOURCES():
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@functools.cache
def _module_digest(module: str) -> str:
    mod = sys.modules.get(module)
    path = getattr(mod, "__file__", None)
    if not path or not os.path.exists(path):
        return module
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@functools.cache
def _package_digest(module: str) -> str:
    """Hash of every .py file beside the module's package __init__ (all its helpers)."""
    package = module.rpartition(".")[0] or module
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.origin or not os.path.exists(spec.origin):
        return package
    origin = Path(spec.origin)
    # a package: all its files; a lone top-level module: that file only
    files = sorted(origin.parent.rglob("*.py")) if spec.submodule_search_locations else [origin]
    root = origin.parent
    h = hashlib.sha256()
    for path in files:
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _implementation_digest(entry: Entry) -> str:
    path = getattr(entry, "implementation", None)
    if not path:
        return ""
    module = path.split("[", 1)[0].rpartition(".")[0]  # drop the function and any [key]
    return _package_digest(module)


def _builders(entry: Entry) -> list:
    if hasattr(entry, "steps"):
        return list(entry.steps)
    return [b for b in (entry.lhs, entry.rhs, entry.f) if b is not None]


def entry_digest(entry: Entry) -> str:
    h = hashlib.sha256()
    fields = {k: v for k, v in vars(entry).items() if not callable(v) and k != "steps"}
    h.update(repr(sorted(fields.items(), key=lambda kv: kv[0])).encode())
    h.update(_implementation_digest(entry).encode())
    for b in _builders(entry):
        text = getattr(b, "text", None)
        if text is not None:
            h.update(str(text).encode())
        else:
            h.update(_module_digest(getattr(b, "__module__", "")).encode())
            h.update(getattr(b, "__qualname__", "").encode())
            code = getattr(b, "__code__", None)
            if code is not None:
                h.update(str(code.co_firstlineno).encode())
    return h.hexdigest()


class Cache:
    def __init__(self, directory: Path | str | None = None):
        self.directory = Path(directory) if directory else default_cache_dir()
        self.notes: list[str] = []

    def key(self, entry: Entry, opts) -> str:
        h = hashlib.sha256()
        for part in (str(FORMAT), verifier_digest(), entry_digest(entry), str(opts.seed),
                     str(opts.conditions)):
            h.update(part.encode())
            h.update(b"\0")
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.pickle"

    def _extra_path(self, namespace: str, entry: Entry) -> Path:
        """Beside the verdicts, under ``extra/``: what reports show, keyed apart."""
        key = hashlib.sha256(f"{FORMAT}\0{namespace}\0{entry_digest(entry)}".encode())
        key_hex = key.hexdigest()
        return self.directory / "extra" / key_hex[:2] / f"{key_hex}.pickle"

    def load(self, namespace: str, entry: Entry):
        """A value stored for this entry under ``namespace`` (e.g. its typeset sides)."""
        try:
            fmt, name, value = pickle.loads(self._extra_path(namespace, entry).read_bytes())
        except Exception:  # noqa: BLE001 - missing, truncated or old: recompute
            return None
        return value if fmt == FORMAT and name == namespace else None

    def store(self, namespace: str, entry: Entry, value) -> None:
        self._write(self._extra_path(namespace, entry), (FORMAT, namespace, value))

    def get(self, entry: Entry, opts) -> Result | None:
        path = self._path(self.key(entry, opts))
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            fmt, result = pickle.loads(data)
            if fmt != FORMAT or not isinstance(result, Result) or result.id != entry.id:
                raise ValueError("stale entry")
        except Exception:  # noqa: BLE001 - truncated, garbage or old: recompute
            self.notes.append(f"ignored an unreadable cache entry for {entry.id}; recomputing")
            return None
        from dataclasses import replace

        return replace(result, cached=True)

    def put(self, entry: Entry, opts, result: Result) -> None:
        self._write(self._path(self.key(entry, opts)), (FORMAT, result))

    def _write(self, path: Path, payload) -> None:
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(payload, fh)
            os.replace(tmp, path)  # atomic: a reader sees the old entry or the new, never half
            tmp = None
        except OSError as exc:
            self.notes.append(f"could not write the cache ({exc}); results are not cached")
        finally:
            if tmp is not None:  # failed or interrupted (Ctrl-C) between write and rename
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
