"""The structural plan: all seven kinds of pairing, nested, proven optimal, explained.

The names below load solver.pairing.solve (and with it OR-Tools, SciPy and HiGHS) on first use, so
that a light module of this room (pins, problems) can be imported without the models."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = ["PairingRequest", "PairingResult", "plan_pairs"]

if TYPE_CHECKING:
    from solver.pairing.solve import PairingRequest, PairingResult, plan_pairs


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'solver.pairing' has no attribute {name!r}")
    value = getattr(importlib.import_module("solver.pairing.solve"), name)
    globals()[name] = value
    return value
