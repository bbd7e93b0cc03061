"""Special functions NumPy lacks: the complementary error function and the normal CDF Φ.

erfc(u) for u ≥ 0 by W. J. Cody's rational approximations ("Rational Chebyshev
approximations for the error function", Math. Comp. 23 (1969), 631–637), with the
coefficients of his SPECFUN routine CALERF (netlib.org/specfun/erf), three intervals:

* u ≤ 0.46875:      erfc(u) = 1 − u·A(u²)/B(u²);
* 0.46875 < u ≤ 4:  erfc(u) = e^{−u²}·C(u)/D(u);
* u > 4:            erfc(u) = e^{−u²}·(1/√π − u⁻²·P(u⁻²)/Q(u⁻²))/u.

Then Φ(z) = ½erfc(|z|/√2) for z < 0 and 1 − ½erfc(|z|/√2) for z ≥ 0: no difference of nearly
equal numbers, so Φ keeps its relative precision in the lower tail, up to the rounding of z²
in e^{−z²/2} (a relative error of about z²ε/2, as for any e^{−z²/2} computed in floating point).
Every operation runs in the input's dtype (a float32 input is computed in float32).
tests/gradients/test_grad_special.py checks erfc and Φ against mpmath.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["erfc", "normal_cdf"]

# Coefficients, highest power first (the denominators are monic).
NEAR = 0.46875  # the end of the first interval
FAR = 4.0  # the start of the third
A = (1.85777706184603153e-1, 3.16112374387056560e00, 1.13864154151050156e02,
     3.77485237685302021e02, 3.20937758913846947e03)
B = (1.0, 2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
     2.84423683343917062e03)
C = (2.15311535474403846e-8, 5.64188496988670089e-1, 8.88314979438837594e00,
     6.61191906371416295e01, 2.98635138197400131e02, 8.81952221241769090e02,
     1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03)
D = (1.0, 1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
     1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
     3.43936767414372164e03, 1.23033935480374942e03)
P = (1.63153871373020978e-2, 3.05326634961232344e-1, 3.60344899949804439e-1,
     1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4)
Q = (1.0, 2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
     6.05183413124413191e-2, 2.33520497626869185e-3)
INV_SQRT_PI = 1 / math.sqrt(math.pi)


def _polynomial(coefficients: tuple[float, ...], x: np.ndarray) -> np.ndarray:
    """c₀xⁿ + c₁xⁿ⁻¹ + … + cₙ by Horner's rule, in x's dtype."""
    total = np.full_like(x, coefficients[0])
    for c in coefficients[1:]:
        total *= x
        total += c
    return total


def erfc(u: np.ndarray, gauss: np.ndarray) -> np.ndarray:
    """erfc(u) = (2/√π)∫ᵤ^∞ e^{−t²} dt for u ≥ 0 (NaN stays NaN), elementwise, in u's dtype,
    given gauss = e^{−u²}; each interval's formula runs on its own elements only."""
    out = np.empty_like(u)
    near, far = u <= NEAR, u > FAR
    mid = ~(near | far)  # NaN lands here and stays NaN

    x = u[near]
    t = x * x
    out[near] = 1 - x * _polynomial(A, t) / _polynomial(B, t)

    x = u[mid]
    out[mid] = gauss[mid] * _polynomial(C, x) / _polynomial(D, x)

    x = u[far]
    v = 1 / (x * x)
    out[far] = gauss[far] * (INV_SQRT_PI - v * _polynomial(P, v) / _polynomial(Q, v)) / x
    return out


def normal_cdf(z: np.ndarray) -> np.ndarray:
    """Φ(z) = ½(1 + erf(z/√2)), elementwise, in z's dtype."""
    # e^{−z²/2} from z itself: one rounding fewer than e^{−u²} from the rounded u = |z|/√2
    with np.errstate(over="ignore"):  # z² = ∞ far out: e^{−∞} = 0, the right Gaussian
        gauss = np.exp(-0.5 * z * z)
    half_tail = 0.5 * erfc(np.abs(z) * math.sqrt(0.5), gauss)  # Φ(−|z|)
    return np.where(z < 0, half_tail, 1 - half_tail)
