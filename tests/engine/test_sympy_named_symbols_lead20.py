"""Requirements of symbols that SymPy names itself (N, Q, S, E, I, beta, gamma, zeta): the
affine-requirement reader (definedness._affine_assumed) sympified the requirement's text with
only the declared symbols as locals, so a dimension N was SymPy's N function, its
AttributeError escaped, and the claim was shown "proved where both sides defined (the
conditions could not be determined)": 62 such lines in `derivcheck verify` (the MSE ‖ŷ − y‖²/N
among them)."""

from __future__ import annotations

import pytest

from verifier.api import verify


@pytest.mark.parametrize("name", ["N", "Q", "S", "E", "I", "beta", "gamma", "zeta", "O"])
def test_a_division_by_a_dimension_so_named_needs_nothing(name: str) -> None:
    v = verify(f"sum((a - b) ** 2) / {name}", f"norm(a - b) ** 2 / {name}",
               symbols={"a": f"vector({name})", "b": f"vector({name})"}, timeout=10).verdict
    assert v.status == "proved" and not v.requires


@pytest.mark.parametrize(("name", "assume", "assumed"), [
    ("Q", [], (False, False)), ("Q", ["Q positive"], (True, False)),  # 1 - Q may be 0
    ("beta", [], (False, False)), ("beta", ["beta in (0, 1)"], (True, True)),
    ("gamma", ["gamma in (1, 2)"], (True, True)),
])
def test_a_scalar_so_named_is_required_nonzero_by_its_own_name(
        name: str, assume: list[str], assumed: tuple[bool, bool]) -> None:
    v = verify(f"sum(x) / (1 - {name}) + sum(x) / {name}",
               f"n * mean(x) / (1 - {name}) + n * mean(x) / {name}",
               symbols={"x": "vector(n)", name: "scalar"}, assume=assume, timeout=10).verdict
    assert v.status == "proved"
    conditions = {q.condition: q.assumed for q in v.requires}
    assert conditions == {f"{name} nonzero": assumed[0], f"1 - {name} nonzero": assumed[1]}
