"""A side read in a scope of declared symbols: its plain form, or the refusal's message (the
round-14 reading tests share these two)."""

from __future__ import annotations

from typing import Any

import pytest

from verifier.language import ClaimInputError, parse_expression, to_text


def read(text: str, scope: Any) -> str:
    return to_text(parse_expression(text, scope))


def refusal(text: str, scope: Any) -> str:
    with pytest.raises(ClaimInputError) as info:
        parse_expression(text, scope)
    return str(info.value)
