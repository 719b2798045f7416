"""One round planned end to end: pairs, then the independent check, as files' bytes.

This is the one entry point that the CLI and the service share, so both write the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from solver.pairing import PairingRequest, PairingResult, plan_pairs
from solver.plan import pairs_csv_bytes
from solver.report import build_report, report_json


@dataclass
class RoundPlan:
    result: PairingResult
    report: dict[str, object]

    @property
    def passes_checker(self) -> bool:
        return bool(self.report["passes_checker"])

    def pairs_csv(self) -> bytes:
        return pairs_csv_bytes(self.result.pairs)

    def report_json(self) -> str:
        return report_json(self.report)


def plan_round(request: PairingRequest) -> RoundPlan:
    """Solve the round's pairing and check the plan against every hard rule (raises RosterError on bad input)."""
    result = plan_pairs(request)
    report = build_report(request.roster, request.rules, request.round, result.pairs, request.pins,
                          result.summary(), result.parts)
    return RoundPlan(result, report)
