"""The one error of the claim language and claim files: what is wrong, where, what is accepted."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from verifier.claim import ClaimError

__all__ = ["ClaimInputError", "did_you_mean"]


class ClaimInputError(ClaimError):
    """Bad user input: a claim file, a claim's field, or an expression in the claim language.

    ``str(err)`` reads ``claims.toml:7:12 in claim "quadratic-form": unknown function ...``;
    any part that is unknown is left out.  ``line`` and ``column`` are 1-based; while an
    expression is parsed on its own they count within the expression, and the claim-file
    loader moves them to file positions with ``located``.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        claim: str | None = None,
        entry_kind: str = "claim",
        field: str | None = None,
        source_line: str | None = None,
    ):
        self.path = path
        self.line = line
        self.column = column
        self.claim = claim
        self.entry_kind = entry_kind
        self.field = field  # the key the problem is in (lhs, rhs, symbols, ...)
        self.source_line = source_line  # the offending line, for a caret display
        super().__init__(claim, message)
        self.args = (str(self),)

    def located(self, **changes: object) -> ClaimInputError:
        """A copy with some fields replaced (the loader adds path, claim and file positions)."""
        fields = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "claim": self.claim,
            "entry_kind": self.entry_kind,
            "field": self.field,
            "source_line": self.source_line,
        }
        fields.update(changes)
        return ClaimInputError(self.message, **fields)  # type: ignore[arg-type]

    @property
    def where(self) -> str:
        if self.path is not None:
            out = self.path
            if self.line is not None:
                out += f":{self.line}"
                if self.column is not None:
                    out += f":{self.column}"
            return out
        if self.field is not None:
            return f"{self.field}, column {self.column}" if self.column else self.field
        return ""

    def __str__(self) -> str:
        head = self.where
        if self.claim:
            head = f'{head} in {self.entry_kind} "{self.claim}"'.strip()
        return f"{head}: {self.message}" if head else self.message

    def render(self) -> str:
        """The message and, when known, the offending line with a caret under the column."""
        text = str(self)
        if self.source_line is not None and self.column is not None:
            line = self.source_line.rstrip("\n")
            if len(line) <= 200:
                text += f"\n    {line}\n    {' ' * (self.column - 1)}^"
        return text

    def __reduce__(self):  # picklable across worker processes
        return (_rebuild, (self.message, self.__dict__.copy()))


def _rebuild(message: str, state: dict) -> ClaimInputError:
    keep = ("path", "line", "column", "claim", "entry_kind", "field", "source_line")
    return ClaimInputError(message, **{k: state.get(k) for k in keep})


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``'; did you mean "trace"?'`` when a choice is close to ``word``, else ``""``."""
    close = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""
