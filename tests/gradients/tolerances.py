"""How close to torch in float64 a result must be, by its dtype (the torch cross-checks)."""

from __future__ import annotations

import numpy as np


def torch_tolerance(dtype) -> dict:
    """``rtol``/``atol`` for np.testing against torch: float32 keeps ~7 digits, float64 ~16."""
    return {"rtol": 1e-4, "atol": 1e-5} if dtype == np.float32 else {"rtol": 1e-10, "atol": 1e-12}
