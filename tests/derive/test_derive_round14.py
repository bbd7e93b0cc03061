"""``derive`` on a fifteenth set of held-out questions (implicit layers through the implicit
function theorem written as functions, Gaussian-process marginal likelihoods by their kernel
hyper-parameters, planar, radial and affine-coupling flows, Fisher matrices and natural
gradients, entropic optimal transport, spectral normalisation with fixed power-iteration
vectors, Cholesky-parameterised and low-rank-plus-diagonal Gaussians, Student-t and Laplace
likelihoods, pinball and expectile losses, Poisson and negative-binomial GLMs, mixture-density
networks, contrastive losses, distillation with a temperature, label smoothing with class
weights, ordinal regression, second derivatives of activations, scalar calculus with x^x,
change of base and inverse trigonometric and hyperbolic functions). The round's questions were
checked outside the suite (central differences at two points, the emitted NumPy module's own
test, the engine's verdict); the tests below are what derive got wrong, unproved, unreadable
or could not test."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from test_derive_round6 import emitted

G, J, H = "gradient", "jacobian", "hessian"


# ----- an emitted test draws its inputs inside f's domain, and says nothing when a draw
# is outside it -----

BARRIER = "x: vector(n), A: matrix(m, n), b: vector(m), c: vector(n)"


@pytest.mark.parametrize("expr, kind", [
    ("-sum(log(b - A @ x))", H),
    ("c.T @ x - sum(log(b - A @ x))", G),
])
def test_an_emitted_log_barrier_test_draws_inside_the_domain(expr, kind):
    # A and x were drawn positive (symbols under a log), so b − Ax < 0 at every draw: f was
    # NaN and the module's own test failed on a right derivative
    module = emitted(expr, "x", BARRIER, kind, ("b positive",))
    test = "test_hessian_f" if kind == H else "test_grad_f"
    getattr(module, f"{test}_matches_central_differences")()
    args = module._inputs(np.random.default_rng(0), 0.1)
    assert np.isfinite(module.f(**args)), args


SQUARE = ("x: vector(n), A: matrix(n, n), b: vector(n), P: matrix(n, n), q: vector(n), "
          "c: scalar, lam: scalar, v: vector(n), X: matrix(N, n), y: vector(N), a: vector(n), "
          "W: matrix(m, n)")


def test_an_emitted_test_rejects_a_draw_outside_the_domain_without_a_warning():
    # round 13's barrier: a draw with b − Ax < 0 was rejected, but log warned 'invalid value
    # encountered in log' while the test looked for a finite f
    module = emitted("-sum(log(b - A @ x))", "x", SQUARE, H, ("b positive",))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        module.test_hessian_f_matches_central_differences()
