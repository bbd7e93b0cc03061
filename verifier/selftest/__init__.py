"""``derivcheck selftest``: does every verdict mean what it says?

The engine is run on claims whose truth is known, and every verdict is checked by a judge
that shares none of the engine's strategies or instantiations.  Two sources of claims:

- **generators** (``generators/``, one module per class of trap): adversarial claims in
  the claim language, as an outside user writes them, each with its ground truth
  (``cases.Case``): structured and combined assumptions, scalar domains, singular and
  undefined points, extreme magnitudes, size-dependent identities, non-identities and
  multi-step derivations.  Randomised by a seed: names, sizes, constants, combinations.
- **mutants** (``mutants.py``): proved catalogue claims rewritten the way people slip;
  ``equivalence.py`` sets aside mutants that are still true.

What counts as **unsound** (``judge.py``): a holding verdict (proved, proved-at-sizes,
checked) on a false claim; a refutation of a true claim; any decision on a claim that is
undefined at every admissible point; a counterexample that breaks an assumption, sits
where a side is undefined, or shows a difference that is not certified; a condition
under which the claim is still false (sizes up to 6) or that no admissible point meets; a
non-identity proved without a genuine witness, or refuted although its sides differ.
Counterexamples are audited exactly (``arith.py``, ``evaluate.py``: Fractions, else
interval arithmetic at a precision raised until the sign is decided); assumptions are
checked on the values (``admissible.py``).

Use::

    derivcheck selftest                      # every generator and 200 mutants
    derivcheck selftest --only sizes --cases 100 --seed 3
    derivcheck selftest --mutants 0 --save unsound.claims.toml

In Python: ``run_selftest(Settings(...), entries)`` returns a ``Report``.
"""

from __future__ import annotations

from verifier.selftest.cases import Case, sound_statuses
from verifier.selftest.generators import GENERATORS, generate
from verifier.selftest.judge import audit, check_condition, judge
from verifier.selftest.report import Report
from verifier.selftest.run import Settings, main, run_generated, run_mutants, run_selftest

__all__ = [
    "GENERATORS",
    "Case",
    "Report",
    "Settings",
    "audit",
    "check_condition",
    "generate",
    "judge",
    "main",
    "run_generated",
    "run_mutants",
    "run_selftest",
    "sound_statuses",
]
