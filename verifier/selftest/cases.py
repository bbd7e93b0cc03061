"""A generated case: a claim as an outside user writes it, with its ground truth.

The claim is a claim-file table (``[[claim]]`` or ``[[derivation]]``: symbols, assume, lhs
and rhs or steps, kind, layout), so it reaches the engine through the same loader as a
user's file, and an unsound case can be saved and re-run with ``derivcheck check``.

The ground truth is how the two sides relate over the *admissible* points (every assumption
holds) where *both sides are defined*:

    equal      they agree at every such point (a true identity)
    differ     they differ at some such point (a false identity)
    undefined  there is no such point, though admissible points exist
    vacuous    no admissible point exists (contradictory assumptions)

Which verdicts are sound follows from that and the claim's kind (``sound_statuses``).  A
``differ`` case may carry a ``witness``: a point (values as text, as a counterexample
shows them) where the sides differ, certified by the judge in the tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = ["Case", "SIDES", "sound_statuses"]

SIDES = ("equal", "differ", "undefined", "vacuous")
HOLDING = ("proved", "proved-at-sizes", "checked")
INCONCLUSIVE = ("undecided", "timeout", "error")


def sound_statuses(kind: str, sides: str) -> tuple[str, ...]:
    """The verdicts that are sound for a claim of this kind with these sides, before any
    counterexample, witness or condition is audited."""
    if kind == "non-identity":  # "lhs ≠ rhs in general": proved by a witness, refuted by =
        return {
            "equal": ("refuted",) + INCONCLUSIVE,
            "differ": ("proved",) + INCONCLUSIVE,
            "undefined": INCONCLUSIVE,
            "vacuous": ("refuted",) + INCONCLUSIVE,
        }[sides]
    return {
        "equal": HOLDING + INCONCLUSIVE,
        "differ": ("refuted", "conditional") + INCONCLUSIVE,
        "undefined": INCONCLUSIVE,
        "vacuous": HOLDING + INCONCLUSIVE,
    }[sides]


@dataclass(frozen=True)
class Case:
    """One adversarial claim and its ground truth."""

    id: str
    generator: str
    table: dict[str, Any]  # the claim-file table, without "id"
    sides: str  # overall: equal | differ | undefined | vacuous
    why: str = ""  # what the case probes, in a few words
    step_sides: tuple[str, ...] = ()  # derivations: each step's sides
    # a point where the sides differ: {"values": {...}, "sizes": {...}, "step": k (1-based)}
    witness: dict[str, Any] | None = None
    template: str = ""

    def __post_init__(self) -> None:
        if self.sides not in SIDES or any(s not in SIDES for s in self.step_sides):
            raise ValueError(f"{self.id}: sides must be one of {SIDES}")

    @property
    def is_derivation(self) -> bool:
        return "steps" in self.table

    @property
    def kind(self) -> str:
        if self.is_derivation:
            return "derivation"
        return self.table.get("kind", "identity")

    def toml(self) -> str:
        """The case as a claim-file table, loadable by ``derivcheck check``."""
        head = "[[derivation]]" if self.is_derivation else "[[claim]]"
        lines = [head, f"id = {_s(self.id)}", f"title = {_s(self.why or self.id)}"]
        order = ("kind", "symbols", "assume", "layout", "lhs", "rhs", "steps")
        for key in order:
            if key in self.table:
                lines.append(f"{key} = {_toml_value(self.table[key])}")
        return "\n".join(lines) + "\n"

    def entry(self):
        """The engine's entry, loaded from the TOML text like a user's claim file."""
        import tomllib

        from verifier.claimfile import entries_from_toml

        text = self.toml()
        entries, errors = entries_from_toml(tomllib.loads(text), text, f"<selftest {self.id}>")
        if errors:
            raise ValueError(f"{self.id}: the generated claim does not load: {errors[0]}")
        return entries[0]

    def command(self, seed: int) -> str:
        """A shell command that reproduces the engine's verdict on this case."""
        t = self.table
        if self.is_derivation or t.get("kind", "identity") == "non-identity":
            return ("save the TOML below as case.claims.toml, then: "
                    f"derivcheck check case.claims.toml --seed {seed}")
        symbols = ", ".join(f"{k}: {v}" for k, v in t["symbols"].items())
        parts = ["derivcheck claim", _q(t["lhs"]), _q(t["rhs"]), "--symbols", _q(symbols)]
        for a in t.get("assume", []):
            parts += ["--assume", _q(a)]
        if t.get("layout", "denominator") != "denominator":
            parts += ["--layout", t["layout"]]
        parts += ["--seed", str(seed)]
        return " ".join(parts)


def _q(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


def _s(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a TOML basic string


def _toml_value(v: Any) -> str:
    if isinstance(v, str):
        return _s(v)
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {v!r} as TOML")

