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


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "one_path: the test's outcome does not depend on the kernel path (it sets "
        "the paths itself, or checks what no path changes): it runs once, not once per path"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked one_path sets DERIVCHECK_KERNELS (or calls the kernels) itself, or
    checks something no kernel path changes, so its variants on the three paths of
    kernel_path would check the same thing three times: keep the reference variant only."""
    repeats = [item for item in items if item.get_closest_marker("one_path")
               and getattr(item, "callspec", None) is not None
               and item.callspec.params.get("kernel_path", "reference") != "reference"]
    if repeats:
        dropped = set(map(id, repeats))
        config.hook.pytest_deselected(items=repeats)
        items[:] = [item for item in items if id(item) not in dropped]
