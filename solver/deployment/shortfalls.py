"""Shortfalls in words: which receiver is short of what, by how much, and why (R07, R09, R10, R25).

The allocation (solver.deployment.allocation, model) leaves some quotas short where supporters
have no more room; these are reported against the policy's floor, or against what a receiver
asked beyond it (reported apart: the plan still meets the policy), and written as `shortfall`
rows of deployments.csv.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from solver.deployment.allocation import BACKBONE_HOST_KINDS, Context
from solver.deployment.model import YearAllocation
from solver.deployment.parties import Capacity
from solver.deployment.requests import Asks
from solver.domain.flows import Flow, FlowRow
from solver.domain.report import Shortfall
from solver.roster.relations import Wish
from solver.rules.params import R07, R09, R10

# --- shortfalls in words ---------------------------------------------------------------------


def _usage(ctx: Context, supporter: str, sent: dict[str, int], capacity: Capacity, unit: str) -> str:
    where = "、".join(f"{ctx.label(r)} {n}" for r, n in sorted(sent.items())) or "nobody"
    return f"{ctx.label(supporter)} can {unit} {capacity.people} people a year ({capacity.source}) and {unit}s {where}"


def shortfalls(ctx: Context, year: int, allocation: YearAllocation, asks: Asks) -> list[Shortfall]:
    found = _team_shortfalls(ctx, year, allocation)
    found += _backbone_shortfalls(ctx, year, allocation)
    found += _leadership_shortfalls(ctx, year, allocation)
    return found + _asked_shortfalls(ctx, year, allocation, asks)


ASKED = (
    ("teams", Wish.TEACHING_TEAM, "R25", "teaching teams asked for"),
    ("backbone", Wish.BACKBONE_SHADOW, "R25", "backbone-teacher places asked for"),
    ("leaders", Wish.LEADER_SHADOW, "R25", "school-leader places asked for"),
    ("managers", Wish.MANAGER_SHADOW, "R25", "middle-manager places asked for"),
)


def _asked_shortfalls(ctx: Context, year: int, allocation: YearAllocation, asks: Asks) -> list[Shortfall]:
    """What receivers asked beyond the floor and did not get: reported apart from floor shortfalls."""
    found = []
    for flow, what, rule, words in ASKED:
        for receiver, short in sorted(getattr(allocation, f"asked_{flow}").items()):
            ask = asks[(what, receiver)]
            people = short * ctx.team_size if what == Wish.TEACHING_TEAM else short
            message = (
                f"{year}: {ctx.label(receiver)} asked for {ask.amount} {words.removesuffix(' asked for')} "
                f"(R25, beyond the policy's floor); {short} of them could not be provided: its supporters "
                "have no more room this year."
            )
            found.append(
                Shortfall(
                    year=year,
                    receiver_id=receiver,
                    rule=rule,
                    what=words,
                    amount=short,
                    people=people,
                    message=message,
                    against="request",
                )
            )
    return found


def _team_shortfalls(ctx: Context, year: int, allocation: YearAllocation) -> list[Shortfall]:
    size, need = ctx.team_size, ctx.rules.of(R07).teams_per_county_min
    sent_by: dict[str, dict[str, int]] = defaultdict(dict)
    for (s, c), n in allocation.teams.items():
        sent_by[s][c] = n * size
    found = []
    for county, short in sorted(allocation.short_teams.items()):
        got = sum(n for (s, c), n in allocation.teams.items() if c == county)
        who = (
            "; ".join(_usage(ctx, s.id, sent_by.get(s.id, {}), ctx.send[s.id], "send") for s in ctx.supporters[county])
            or "it has no supporter in the pairs"
        )
        message = (
            f"{year}: {ctx.label(county)} is short of {short} teaching team{'s' if short > 1 else ''} "
            f"({short * size} people of {size} a team): R07 asks for at least {need} a year and its "
            f"supporters can send {got}. {who}."
        )
        found.append(
            Shortfall(
                year=year,
                receiver_id=county,
                rule="R07",
                what="teaching teams",
                amount=short,
                people=short * size,
                message=message,
            )
        )
    return found


def _hosted(ctx: Context, allocation: YearAllocation) -> dict[str, dict[str, int]]:
    hosted: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (c, h), n in allocation.backbone.items():
        hosted[h][c] += n
    for amounts in (allocation.leaders, allocation.managers):
        for (r, h), n in amounts.items():
            hosted[h][r] += n
    return hosted


def _backbone_shortfalls(ctx: Context, year: int, allocation: YearAllocation) -> list[Shortfall]:
    low, high = ctx.rules.of(R09).backbone_min, ctx.rules.of(R09).backbone_max
    hosted = _hosted(ctx, allocation)
    found = []
    for county, short in sorted(allocation.short_backbone.items()):
        got = sum(n for (c, _), n in allocation.backbone.items() if c == county)
        hosts = [s.id for s in ctx.supporters[county] if s.kind in BACKBONE_HOST_KINDS]
        who = "; ".join(_usage(ctx, h, dict(hosted.get(h, {})), ctx.host[h], "host") for h in hosts)
        message = (
            f"{year}: {ctx.label(county)} is short of {short} backbone-teacher place{'s' if short > 1 else ''}: "
            f"R09 asks it to send {low}–{high} a year and its supporters can host {got}. "
            f"{who or 'It has no supporter in the pairs'}."
        )
        found.append(
            Shortfall(
                year=year,
                receiver_id=county,
                rule="R09",
                what="backbone-teacher places",
                amount=short,
                people=short,
                message=message,
            )
        )
    return found


def _leadership_shortfalls(ctx: Context, year: int, allocation: YearAllocation) -> list[Shortfall]:
    hosted = _hosted(ctx, allocation)
    found = []
    for what, shorts, low, high in (
        (
            "school-leader places",
            allocation.short_leaders,
            ctx.rules.of(R10).leaders_min,
            ctx.rules.of(R10).leaders_max,
        ),
        (
            "middle-manager places",
            allocation.short_managers,
            ctx.rules.of(R10).managers_min,
            ctx.rules.of(R10).managers_max,
        ),
    ):
        for receiver, short in sorted(shorts.items()):
            hosts = ctx.leader_hosts(receiver)
            why = "; ".join(_usage(ctx, h, dict(hosted.get(h, {})), ctx.host[h], "host") for h in hosts)
            message = (
                f"{year}: {ctx.label(receiver)} is short of {short} {what}: R10 asks it to send {low}–{high} "
                f"a year to its PRD partners, who can take {low - short}. "
                f"{why or 'It has no PRD partner in the pairs'}."
            )
            found.append(
                Shortfall(
                    year=year, receiver_id=receiver, rule="R10", what=what, amount=short, people=short, message=message
                )
            )
    return found


def shortfall_rows(ctx: Context, found: Sequence[Shortfall]) -> list[FlowRow]:
    rows = []
    for short in found:
        teams = short.amount if short.rule == "R07" else 0
        rows.append(
            FlowRow(
                ctx.round,
                short.year,
                Flow.SHORTFALL,
                "",
                "",
                short.receiver_id,
                ctx.name(short.receiver_id),
                teams=teams,
                people=short.people,
                rule=short.rule,
                note=short.message,
            )
        )
    return rows
