"""Generators of adversarial claims with ground truth, one module per class of trap.

Each module has ``NAME`` and ``TEMPLATES``; ``generate`` draws cases from them with a seed.
The cases are written in the claim language, as an outside user would write them.
"""

from __future__ import annotations

import random
import zlib

from verifier.selftest.cases import Case
from verifier.selftest.generators import (
    derivations,
    domains,
    magnitudes,
    nonidentities,
    sizes,
    structures,
    undefined,
)
from verifier.selftest.generators.base import cases

__all__ = ["GENERATORS", "generate"]

GENERATORS = {
    m.NAME: m.TEMPLATES
    for m in (structures, domains, undefined, magnitudes, sizes, nonidentities, derivations)
}


def generate(names: list[str] | tuple[str, ...], per_generator: int, seed: int) -> list[Case]:
    """``per_generator`` cases from each named generator; the same seed gives the same cases."""
    unknown = [n for n in names if n not in GENERATORS]
    if unknown:
        raise ValueError(f"unknown generator {', '.join(unknown)}; generators: "
                         f"{', '.join(GENERATORS)}")
    out: list[Case] = []
    for name in names:
        rng = random.Random(seed * 1_000_003 + zlib.crc32(name.encode()))
        out.extend(cases(name, GENERATORS[name], per_generator, rng))
    return out
