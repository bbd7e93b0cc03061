"""A sign the user wrote is not one of |a| met twice: derive's squared_signs read every even
power of sign(a) as 1 (round 19, for the Huber Hessian at r = 0), so ∂/∂w of sum(sign(v)**2 * w)
printed 𝟏 and ∂/∂c of sign(x)**2 * c printed 1, both 0 at the threshold (the engine refuted
them as "a bug in derive"). A sign or comparison of an argument EXPR itself holds is kept."""

from __future__ import annotations

import pytest

from verifier.derive import derive, prove


@pytest.mark.parametrize(("expr", "wrt", "symbols", "kind", "want"), [
    ("sum(sign(v)**2 * w)", "w", "v: vector(n), w: vector(n)", "gradient",
     "((v > 0) - (v < 0)) ** 2"),
    ("sign(x)**2 * c", "c", "x: scalar, c: scalar", "gradient", "((x > 0) - (x < 0)) ** 2"),
])
def test_a_written_sign_squared_is_kept_and_proved(expr, wrt, symbols, kind, want) -> None:
    d = derive(expr, wrt, symbols, kind=kind)
    assert d.text == want
    assert prove(d, timeout=10).verdict.status == "proved"


def test_the_huber_hessian_still_reads_one_at_zero() -> None:
    d = derive("sum(min(abs(r), dl) ** 2 / 2 + dl * relu(abs(r) - dl))", "r",
               "r: vector(n), dl: scalar", kind="hessian")
    assert d.text == "diag((dl - abs(r) > 0))"
