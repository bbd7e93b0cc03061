"""check_shapes reads the shapes of a gradient claim written in the claim language whose f
inverts a matrix from the parser, instead of building grad element-wise at n = 2, m = 3
(SymPy's derivative of a symbolic inverse: 20-25 s for the Kalman posterior's trace).
Proposed by the derive helper (round 8)."""

from __future__ import annotations

import pytest

from verifier.claimfile import one_liner
from verifier.engine import Options, decide
from verifier.strategies.context import Context
from verifier.strategies.shapes import check_shapes

KF = "P: matrix(n, n), H: matrix(m, n), R: matrix(m, m)"
A = ("P positive definite", "R positive definite")
F = "trace(P - P @ H.T @ inv(H @ P @ H.T + R) @ H @ P)"
BY_R = "inv(H @ P @ H.T + R) @ H @ P @ P @ H.T @ inv(H @ P @ H.T + R)"


def _unbuilt(monkeypatch) -> None:
    def build(*args, **kwargs):
        raise AssertionError("check_shapes built a side element-wise")
    monkeypatch.setattr(Context, "build", build)


def test_a_gradient_claim_with_an_inverse_has_its_shapes_read_from_the_parser(monkeypatch):
    claim = one_liner(f"grad({F}, R)", BY_R, KF, A, "denominator", id="kalman")
    _unbuilt(monkeypatch)
    assert check_shapes(Context(claim, budget=60)) is None


@pytest.mark.parametrize(("wrt", "rhs", "layout"), [
    ("H", "P @ H.T", "denominator"),        # n×m where H is m×n
    ("H", "(P @ H.T).T", "numerator"),      # m×n where Hᵀ is n×m
    ("R", "H @ P", "denominator"),          # m×n where R is m×m
])
def test_a_gradient_of_the_wrong_shape_is_still_refuted(monkeypatch, wrt, rhs, layout):
    claim = one_liner(f"grad({F}, {wrt})", rhs, KF, A, layout, id="kalman")
    _unbuilt(monkeypatch)
    verdict = check_shapes(Context(claim, budget=60))
    assert verdict is not None and verdict.status == "refuted"
    assert "shapes differ" in verdict.detail


def test_a_gradient_through_an_inverse_is_still_proved():
    # ∂ tr(R⁻¹)/∂R = −R⁻ᵀR⁻ᵀ: the static shapes let the proof through
    claim = one_liner("grad(trace(inv(R)), R)", "-(inv(R) @ inv(R)).T", KF, A, "denominator",
                      id="inverse_trace")
    assert decide(claim, Options(seed=0, timeout=60, conditions=False)).verdict.status == "proved"
