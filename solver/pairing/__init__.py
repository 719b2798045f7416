"""The structural plan: all seven kinds of pairing, nested, proven optimal, explained."""

from solver.pairing.solve import PairingRequest, PairingResult, plan_pairs

__all__ = ["PairingRequest", "PairingResult", "plan_pairs"]
