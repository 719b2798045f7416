"""R25: a supporter a receiver asked to avoid never serves it in that flow."""

from __future__ import annotations

from solver.check.common import Violation, violation
from solver.check.deployments.facts import Facts, Table

R25_CLAUSE = "R25, annex 2, clause 13"
# The flow each kind of request names, and whether the receiver sends (shadows) or receives (teams).
RECEIVER_SENDS = {"teaching_team": False, "backbone_shadow": True, "leader_shadow": True, "manager_shadow": True}


def check_r25_avoided_supporters(facts: Facts, table: Table) -> list[Violation]:
    """R25: '各项资源支援应以受援方的需求、意见为主' — a request's `avoid_supporter_id` is never used.

    For every request that names a supporter to avoid, no row of its flow in its year (every year
    of the round when it names none) goes between that supporter and that receiver.
    """
    found = []
    for request in facts.roster.requests.values():
        avoid = request.avoid_supporter_id
        if not avoid:
            continue
        years = set(facts.years) if request.year is None else {request.year}
        sends = RECEIVER_SENDS[request.what.value]
        for row in table.of(request.what.value):
            ends = (row.from_id, row.to_id) if sends else (row.to_id, row.from_id)
            if row.year in years and ends == (request.receiver_id, avoid) and (row.n("people") or row.n("teams")):
                found.append(
                    violation(
                        "R25",
                        f"{row.year}: {facts.label(avoid)} serves {facts.label(request.receiver_id)} in {request.what.value} "
                        f"(row {row.line}), but the receiver asked to avoid it ({R25_CLAUSE}).",
                        avoid,
                        request.receiver_id,
                    )
                )
    return found
