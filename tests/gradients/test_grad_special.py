"""The normal CDF Φ and erfc of _special.py against mpmath (40 digits), in float64 and float32."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

from derivations.gradients._special import FAR, NEAR, erfc, normal_cdf

mpmath.mp.dps = 40

# Φ and erfc of _special.py are called directly, never through fast(): one kernel path
pytestmark = pytest.mark.one_path


def _points(rng: np.random.Generator) -> np.ndarray:
    root2 = math.sqrt(2)
    edges = [s * e * root2 for e in (NEAR, FAR) for s in (-1, 1)]  # the intervals' ends
    edges += [np.nextafter(e, d) for e in edges for d in (-np.inf, np.inf)]
    return np.concatenate([rng.uniform(-10, 10, 1500), rng.uniform(-37, -10, 300),
                           np.linspace(-1, 1, 101), edges])


def _exact_cdf(z: np.ndarray) -> np.ndarray:
    return np.array([float(mpmath.ncdf(mpmath.mpf(float(t)))) for t in z])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_normal_cdf_against_mpmath(dtype, rng):
    eps = np.finfo(dtype).eps
    z = _points(rng).astype(dtype)
    got = normal_cdf(z)
    assert got.dtype == dtype
    want = _exact_cdf(z)
    normal = want > np.finfo(dtype).tiny / eps  # results that are not (nearly) subnormal
    assert np.all(np.abs(got - want) <= 2 * eps)
    # relative in the lower tail too, up to e^{−z²/2}'s own rounding of z²
    rel = np.abs(got - want)[normal] / want[normal]
    z64 = z[normal].astype(np.float64)
    assert np.all(rel <= (z64**2 / 2 + 8) * eps), float((rel / ((z64**2 / 2 + 8) * eps)).max())


def test_erfc_against_mpmath_with_an_exact_gaussian(rng):
    u = np.concatenate([rng.uniform(0, 26, 2000), [0, NEAR, np.nextafter(NEAR, 1), FAR,
                                                     np.nextafter(FAR, 5)]])
    gauss = np.array([float(mpmath.exp(-mpmath.mpf(float(t)) ** 2)) for t in u])
    want = np.array([float(mpmath.erfc(mpmath.mpf(float(t)))) for t in u])
    rel = np.abs(erfc(u, gauss) - want) / want
    assert rel.max() <= 8 * np.finfo(np.float64).eps


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_normal_cdf_special_values(dtype):
    with np.errstate(invalid="ignore", over="ignore"):
        got = normal_cdf(np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e30, -1e30], dtype))
    assert np.isnan(got[0])
    np.testing.assert_array_equal(got[1:], [1, 0, 0.5, 0.5, 1, 0])


def test_middle_rational_alone_is_float32_accurate_on_0_to_10():
    # the compiled float32 Φ uses C(u)/D(u) ≈ e^{u²}erfc(u) at every u ≤ 10 (_numba_kernels)
    from derivations.gradients._special import C, D

    u = np.linspace(0, 10, 2001)
    ratio = np.polyval(C, u) / np.polyval(D, u)
    want = np.array([float(mpmath.erfc(mpmath.mpf(t)) * mpmath.exp(mpmath.mpf(t) ** 2))
                     for t in u])
    assert (np.abs(ratio - want) / want).max() < 1e-9  # float32's ε is 1.2e-7
