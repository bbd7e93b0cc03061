"""Index form (Σ notation) where no closed matrix form is derived."""

from __future__ import annotations


def index_form(base, decls, why: str, start: float):
    from verifier.derive import DeriveError

    raise DeriveError(f"no closed matrix form: {why}")
