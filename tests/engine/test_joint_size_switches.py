"""Comparisons of several sizes at once switch at assignments that no single-size reading
meets: (n·m == 35) holds at n = 5, m = 7 only, never with n = m or with either beside 2.

``(n * m == 35) * sum(x) = 0`` was "proved at sizes" (n = 2, 3 and 4..6 with m equal) though
n = 5, m = 7 refutes it; the assignments of each outcome of the comparisons are now tried.
"""

from __future__ import annotations

import pytest

from verifier.audit import audit
from verifier.claimfile import one_liner
from verifier.engine import Options, decide
from verifier.instantiate import larger_sizes

SYMBOLS = "x: vector(n), y: vector(m)"


@pytest.mark.parametrize("lhs, holds_at", [
    ("(n * m == 35) * sum(x)", lambda n, m: n * m != 35),
    ("(n == m + 9) * sum(x)", lambda n, m: n != m + 9),
    ("(n * n + m * m == 25) * sum(x)", lambda n, m: n * n + m * m != 25),
])
def test_joint_switch_is_refuted_where_it_switches(lhs, holds_at):
    claim = one_liner(lhs, "0", SYMBOLS, [])
    v = decide(claim, Options(timeout=30, conditions=False)).verdict
    assert v.status == "refuted", v
    cx = v.counterexample
    assert not holds_at(cx.sizes["n"], cx.sizes["m"]), cx.sizes
    assert audit(claim, cx).differs


def test_joint_switch_sizes_are_read_from_the_text():
    claim = one_liner("(n * m == 35) * sum(x)", "0", SYMBOLS, [])
    assert {"n": 5, "m": 7} in larger_sizes(claim) or {"n": 7, "m": 5} in larger_sizes(claim)


def test_true_claim_with_a_joint_switch_is_not_refuted():
    claim = one_liner("(n * m == 35) * (sum(x) - x.T @ ones(n))", "0", SYMBOLS, [])
    v = decide(claim, Options(timeout=30, conditions=False)).verdict
    assert v.status in ("proved", "proved-at-sizes"), v
