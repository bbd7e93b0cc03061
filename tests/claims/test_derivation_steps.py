"""Derivation steps as people write them."""

from __future__ import annotations

from verifier import verify


# A derivation's step whose left side is grad(f, X) is decided as the gradient claim the same
# pair is as a [[claim]] (it was a plain identity: the gradient expanded at sizes, 20-40 s,
# then proved-at-sizes or checked); proved in general dimension by differentials.
def test_derivation_step_with_grad_is_a_gradient_claim():
    steps = ["grad(logdet(A + t * B), t)", "trace(inv(A + t * B) @ B)"]
    kw = dict(symbols="A: matrix(n, n), B: matrix(n, n), t: scalar",
              assume=["A positive definite", "B positive definite", "t > 0"], timeout=8)
    assert verify(steps[0], steps[1], **kw).verdict.status == "proved"  # as a claim: 0.2 s
    assert verify(steps, **kw).verdict.status == "proved"
