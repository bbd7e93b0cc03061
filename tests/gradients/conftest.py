import importlib.util

import numpy as np
import pytest

from derivations.gradients._fast import _compiled

HAVE_NUMBA = importlib.util.find_spec("numba") is not None


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20250314)


@pytest.fixture(
    autouse=True,
    params=[
        "reference",
        "numpy",
        pytest.param(
            "compiled",
            marks=pytest.mark.skipif(not HAVE_NUMBA, reason="numba is not installed"),
        ),
    ],
)
def kernel_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every gradient test runs three times: on the plain reference formulas (the fast path
    off), on the fast path's block-wise NumPy, and on its compiled kernels (numba), which then
    apply at every size, so the small test inputs reach them too."""
    if request.param == "reference":
        monkeypatch.setenv("DERIVCHECK_KERNELS", "reference")
    elif request.param == "numpy":
        monkeypatch.setenv("DERIVCHECK_KERNELS", "numpy")
    else:
        monkeypatch.setenv("DERIVCHECK_KERNELS", "numba")
        monkeypatch.setattr(_compiled, "MIN_SIZE", 0)
    return request.param
