"""A value of the sizes alone that vanishes at every size up to 6 and not at 7.

Σᵢ i(i − 1)(i − 2)(i − 3)(i − 4)(i − 5) over i < n is 0 for n ≤ 6 and 720 at n = 7; written
out as i⁶ − 15i⁵ + … (no integer from 5 to 14 in the text to hint at a size), the claim
``sum(x) * Σᵢ … = 0`` was "proved at sizes" (n = 2, 3, then 1, 4, 5, 6 agreeing) though
n = 7 refutes it.  The roots of such values (solved in closed form) are sizes tried now.
"""

from __future__ import annotations

import sympy as sp

from verifier.audit import audit
from verifier.claimfile import one_liner
from verifier.engine import Options, decide
from verifier.instantiate import larger_sizes

# i(i − 1)(i − 2)(i − 3)(i − 4)(i − 5), expanded, with i⁶ and i⁵ spelled without a 5 or a 6
FALLING = ("(i ** 2) ** 3 - 15 * i * (i ** 2) ** 2 + 85 * (i ** 2) ** 2 - 225 * i * i ** 2"
           " + 274 * i ** 2 - 120 * i")
SYMBOLS = "x: vector(n), i: index(n)"


def test_the_summand_is_the_falling_factorial():
    i = sp.Symbol("i")
    written = sp.sympify(FALLING.replace("**", "^"), convert_xor=True, locals={"i": i})
    assert sp.expand(written - sp.ff(i, 6)) == 0
    assert [sum(sp.ff(k, 6) for k in range(n)) for n in (6, 7)] == [0, 720]


def test_sum_vanishing_below_seven_is_refuted_at_seven():
    claim = one_liner(f"sum(x) * sum({FALLING}, i)", "0", SYMBOLS, [])
    assert {"n": 7} in larger_sizes(claim)
    v = decide(claim, Options(timeout=30, conditions=False)).verdict
    assert v.status == "refuted", v
    assert v.counterexample.sizes["n"] >= 7
    assert audit(claim, v.counterexample).differs


def test_constant_size_values_add_no_sizes():
    plain = one_liner("sum(x) * trace(eye(n))", "0", SYMBOLS, [])
    assert larger_sizes(plain) == larger_sizes(one_liner("sum(x) * n", "0", SYMBOLS, []))
