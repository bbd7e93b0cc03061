"""Every gradient-library function against the proven form of the catalogue claims it implements.

For each catalogue claim with an ``implementation``: the engine proves it (``proved`` or
``proved-at-sizes``; tests/derivations/test_catalogue.py asserts that, and that the function
matches, from its one run of the whole catalogue), and ``verifier.implementation.compare``
evaluates the
claim's right-hand side at random float64 points at each of its small sizes and calls the
function there.  Tolerance: the worst error max |got − want| / max(1, max |want|) over all
points must be at most ``RTOL`` = 1e-9 (relative for values above 1, absolute below), at
several seeds; float64 rounding in these small computations is ~1e-15, a wrong factor of
1.01 is 1e-2 — and the test checks that such a function is reported as not matching.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
from typing import Any

import numpy as np
import pytest

import verifier.implementation
from derivations import catalogue
from derivations.gradients import CLAIM_IDS
from derivations.gradients._fast import _compiled
from verifier.implementation import RTOL, compare, resolve

SEEDS = (1, 2, 3)

# Functions that no catalogue claim can state, with the reason; shown as xfail, never hidden.
NOT_LINKABLE: dict[str, str] = {}

LINKED = [e for e in catalogue() if getattr(e, "implementation", None)]


def _function_name(claim: Any) -> str:
    fn, _ = resolve(claim.implementation)
    return fn.__name__


def _params() -> list[Any]:
    return [pytest.param(c, id=c.id) for c in LINKED]


PATHS = ["reference", "numpy"] + (["compiled"] if importlib.util.find_spec("numba") else [])
_MIN_SIZE = _compiled.MIN_SIZE
_BUILT: dict[tuple, Any] = {}  # (claim id, sizes, index values) → the instance compare built
_SIDES: dict[tuple, Any] = {}  # (that key, side) → the side's values there


def _key(claim: Any, sizes: dict, index: dict) -> tuple:
    return claim.id, tuple(sorted(sizes.items())), tuple(sorted(index.items()))


@pytest.fixture(scope="module", autouse=True)
def built_once():
    """compare() builds the claim's instance and right-hand side (SymPy) at each size and
    index it draws, for each seed on each of the three kernel paths; the same seed draws the
    same sizes and indices on every path, so each is built once here and reused (only the
    library function's call depends on the path)."""
    explicit, side_values = verifier.implementation.explicit, verifier.implementation.side_values

    def explicit_once(claim, sizes, index):
        key = _key(claim, sizes, index)
        if key not in _BUILT:
            _BUILT[key] = explicit(claim, sizes, index)
        return _BUILT[key]

    def side_values_once(inst, side, claim):
        key = next((k for k, v in _BUILT.items() if v is inst), None)
        if key is None:  # an instance built elsewhere: not shared
            return side_values(inst, side, claim)
        if (key, str(side)) not in _SIDES:
            _SIDES[key, str(side)] = side_values(inst, side, claim)
        return _SIDES[key, str(side)]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(verifier.implementation, "explicit", explicit_once)
        mp.setattr(verifier.implementation, "side_values", side_values_once)
        yield
    _BUILT.clear()
    _SIDES.clear()


def _on_path(monkeypatch: pytest.MonkeyPatch, path: str) -> None:
    """The kernel path as conftest.kernel_path sets it (the compiled kernels at every size)."""
    monkeypatch.setenv("DERIVCHECK_KERNELS", "numba" if path == "compiled" else path)
    monkeypatch.setattr(_compiled, "MIN_SIZE", 0 if path == "compiled" else _MIN_SIZE)


@pytest.mark.one_path  # it runs the three kernel paths itself
@pytest.mark.parametrize("claim", _params())
def test_implementation_matches_proven_form(claim: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """compare() runs the function at each seed on each path against the claim's proven form
    (the proof: test_catalogue's test_every_implementation_rests_on_a_proof_and_matches_it;
    deciding each claim here again cost ~21 CPU-s of the suite)."""
    for path in PATHS:
        _on_path(monkeypatch, path)
        for seed in SEEDS:
            check = compare(claim, seed)
            assert check.matches, (claim.id, path, seed, check.detail)
            assert check.max_error is not None and check.max_error <= RTOL


def _scaled(out: Any, factor: float) -> Any:
    """Every floating array or number in a (nested, possibly named) tuple or a dataclass times
    factor."""
    if out is None:  # an optional field (a norm cache's shape of an N × D input)
        return out
    if dataclasses.is_dataclass(out):
        fields = {f.name: _scaled(getattr(out, f.name), factor) for f in dataclasses.fields(out)}
        return dataclasses.replace(out, **fields)
    if isinstance(out, tuple):
        parts = [_scaled(x, factor) for x in out]
        return type(out)(*parts) if hasattr(out, "_fields") else tuple(parts)
    return np.asarray(out) * factor


def _patch(monkeypatch: pytest.MonkeyPatch, claim: Any, transform: Any) -> None:
    fn, _ = resolve(claim.implementation)
    module = importlib.import_module(claim.implementation.split("[")[0].rpartition(".")[0])
    monkeypatch.setattr(module, fn.__name__, lambda *a, **k: transform(fn(*a, **k)))


@pytest.mark.one_path  # a property of the link, the same on every kernel path
@pytest.mark.parametrize("claim", [pytest.param(c, id=c.id) for c in LINKED])
def test_wrong_implementation_is_reported(claim: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The right function times 1.01 must not match: each link can detect an error (a claim
    whose side is identically 0 would not)."""
    _patch(monkeypatch, claim, lambda out: _scaled(out, 1.01))
    check = compare(claim, seed=0)
    assert not check.matches, (claim.id, check.detail)
    assert check.max_error is not None and check.max_error > 1e3 * RTOL


@pytest.mark.one_path
def test_non_finite_output_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    claim = next(c for c in LINKED if c.id == "regression.linear_regression_gradient")
    _patch(monkeypatch, claim, lambda out: out * np.nan)
    assert not compare(claim, seed=0).matches


@pytest.mark.one_path
@pytest.mark.parametrize("name", sorted(CLAIM_IDS))
def test_every_function_implements_a_claim(name: str) -> None:
    if name in NOT_LINKABLE:
        pytest.xfail(NOT_LINKABLE[name])
    linked = [c.id for c in LINKED if _function_name(c) == name]
    assert linked, f"{name}: no catalogue claim names it as its implementation"
    # the function's docstring (and CLAIM_IDS) names every claim it is linked to
    missing = set(linked) - set(CLAIM_IDS[name])
    assert not missing, f"{name}: linked to {sorted(missing)} but CLAIM_IDS does not say so"


@pytest.mark.one_path
def test_links_point_into_the_gradient_library() -> None:
    for claim in LINKED:
        assert claim.implementation.startswith("derivations.gradients."), claim.id
        assert _function_name(claim) in CLAIM_IDS, claim.id
