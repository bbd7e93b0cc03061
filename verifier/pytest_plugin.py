"""pytest plugin: every ``*.claims.toml`` file is a test module, every claim a test item.

Registered as the ``derivcheck`` pytest11 entry point (or ``-p verifier.pytest_plugin``).
An item passes when the verdict is what the claim expects (``holds`` unless it says
otherwise) and fails with the verdict, counterexample and condition.  A file that cannot be
read as a claim file is a collection error; a bad claim inside a good file is a failing
item of its own, so the other claims still run.

ini options: ``derivcheck_timeout`` (seconds per claim, default 60), ``derivcheck_seed``.
"""

from __future__ import annotations

from typing import Any

import pytest

from verifier.language.errors import ClaimInputError

SUFFIX = ".claims.toml"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("derivcheck_timeout", "seconds allowed per claim (claim files)", default="60")
    parser.addini("derivcheck_seed", "random seed for refutations (claim files)", default="0")


def pytest_collect_file(parent: pytest.Collector, file_path) -> pytest.Collector | None:
    if file_path.name.endswith(SUFFIX):
        return ClaimsFile.from_parent(parent, path=file_path)
    return None


class ClaimFileError(Exception):
    """The whole file is unusable (unreadable, not TOML, not UTF-8, no claims)."""


class ClaimsFile(pytest.File):
    def collect(self):
        from verifier.claimfile import load_claim_file

        path = self._display_path()
        entries, errors = load_claim_file(path)
        named = {e.claim for e in errors if e.claim}
        if not entries and errors and not named:
            raise ClaimFileError("\n".join(e.render() for e in errors))
        for entry in entries:
            yield ClaimItem.from_parent(self, name=entry.id, entry=entry)
        for k, err in enumerate(errors):
            yield BadClaimItem.from_parent(self, name=err.claim or f"file-error-{k}", error=err)

    def _display_path(self) -> str:
        try:
            return str(self.path.relative_to(self.config.rootpath))
        except ValueError:
            return str(self.path)

    def repr_failure(self, excinfo, style=None):  # type: ignore[override]
        if isinstance(excinfo.value, ClaimFileError):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)


class ClaimNotAsExpected(Exception):
    def __init__(self, report: str):
        super().__init__(report)
        self.report = report


class ClaimItem(pytest.Item):
    def __init__(self, *, entry: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self.entry = entry

    def runtest(self) -> None:
        from verifier.engine import Options, decide
        from verifier.testing import describe

        opts = Options(
            seed=int(self.config.getini("derivcheck_seed")),
            timeout=float(self.config.getini("derivcheck_timeout")),
            jobs=1,
            conditions=_condition_matters(self.entry),
        )
        result = decide(self.entry, opts)
        if not result.as_expected:
            raise ClaimNotAsExpected(describe(result))

    def repr_failure(self, excinfo, style=None):  # type: ignore[override]
        if isinstance(excinfo.value, ClaimNotAsExpected):
            return excinfo.value.report
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        line = self.entry.origin.rsplit(":", 1)[-1]
        return self.path, int(line) - 1 if line.isdigit() else None, f"claim {self.entry.id}"


def _condition_matters(entry: Any) -> bool:
    """A claim expected to fail is met by 'refuted' and by 'conditional' alike, so the search
    for a condition cannot change whether it passes: skip it (a derivation's steps may expect
    a condition of their own, and a claim expected to hold may be judged against one)."""
    from verifier.claim import Claim

    return not (isinstance(entry, Claim) and entry.expect.outcome == "fails")


class BadClaimItem(pytest.Item):
    """A claim the loader rejected: fails with the loader's message, never runs the engine."""

    def __init__(self, *, error: ClaimInputError, **kwargs: Any):
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        raise self.error

    def repr_failure(self, excinfo, style=None):  # type: ignore[override]
        return self.error.render()

    def reportinfo(self):
        line = (self.error.line or 1) - 1
        return self.path, line, f"bad claim {self.error.claim or ''}".strip()
