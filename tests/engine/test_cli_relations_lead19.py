"""A one-line claim joined by a relation that is not a claim (≈, ∝, :=) is a usage error of
`derivcheck claim` (exit 2, "error: …"), not an "error in the catalogue"."""

from __future__ import annotations

import pytest

from verifier import cli


@pytest.mark.parametrize("text", [r"s \approx t", "s ≈ t", r"s \propto t", "L := s + t"])
def test_a_relation_that_is_not_a_claim_is_a_usage_error(text: str, capsys) -> None:
    code = cli.main(["claim", text, "--symbols", "s: scalar, t: scalar, L: scalar"])
    err = capsys.readouterr().err
    assert code == 2
    assert "error in the catalogue" not in err
    assert err.startswith("error:"), err
