"""A kink close to the end of a domain: the fixed nudges (10^-3, 10^-6, 10^-12) beside a
kink at r leave the domain before they reach the side of r that fails.  relu(x − 10^-40) =
x − 10^-40 fails on (0, 10^-40) only: under "x positive" it was "checked", and without the
assumption the condition search offered "x positive" for it.  Points halfway to each end of
the domain, and r(1 ± 10^-3), are tried too."""

from __future__ import annotations

import pytest

from verifier.audit import audit
from verifier.claimfile import one_liner
from verifier.engine import Options, decide

TINY = "(1/10) ** 40"


@pytest.mark.parametrize("lhs, rhs, assume", [
    (f"relu(x - {TINY})", f"x - {TINY}", ["x positive"]),
    ("max(x, (1/10) ** 50)", "x", ["x positive"]),
    (f"relu({TINY} - x)", "0", ["x positive"]),
    (f"min(x, 1 - {TINY})", "x", ["x in (0, 1)"]),
    (f"grad(relu(x - {TINY}), x)", "1", ["x positive"]),
])
def test_the_failing_side_of_a_kink_near_a_domain_end_is_found(lhs, rhs, assume):
    claim = one_liner(lhs, rhs, "x: scalar", assume)
    v = decide(claim, Options(timeout=60, conditions=False)).verdict
    assert v.status == "refuted", v
    assert audit(claim, v.counterexample).differs


def test_no_condition_that_misses_the_kink():
    claim = one_liner(f"relu(x - {TINY})", f"x - {TINY}", "x: scalar", [])
    v = decide(claim, Options(timeout=60)).verdict
    assert v.status == "refuted" and v.condition is None, v
