"""The assessment (考核评价) of recorded years: delivered against planned against the policy's floor.

Every planned row of a recorded year is one measure of one (receiver, supporter, rule, flow):
its teams for a flow that plans teams, else its people, else its activities. A planned row the
actuals leave out delivered nothing. The measures are summed per receiver, per supporter and per
rule (each per year), and each total says how far it is behind: `behind_plan` (planned −
delivered) and, where the policy sets a floor for a receiver, `behind_floor` (floor − delivered).

Floors are the catalogue's yearly minimums a receiver is owed: R07 teams per county, R09
backbone teachers per county, R10 leaders and middle managers per receiver. Other rules' floors
depend on the roster and the pairs (shares of teachers, of schools, per pair), so their plan's
figures are what is assessed and `floor` stays empty.

A receiving county's score is the mean, over the rules it has a target in, of the rule's score:
100 × min(1, delivered ÷ target), where the target over the recorded years is the larger of what
was planned and the floor (a rule measured in two units, e.g. people and activities, averages
them); rounded to one decimal. It is in [0, 100]: 100 when everything
planned (and at least the floor) was delivered, 0 when nothing was.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from solver.actuals.table import Actual, RowKey, row_key, whole
from solver.domain.flows import FLOW_RULE, Flow
from solver.domain.ids import PROVINCE_ID, PROVINCE_NAME, institute_id
from solver.domain.kinds import Kind
from solver.domain.pairs import Pair
from solver.roster.models import PARTY_TABLES, Roster
from solver.rules.params import R07, R09, R10
from solver.rules.ruleset import DEFAULT_RULES, RuleSet

Unit = Literal["teams", "people", "activities", "items"]
Scope = Literal["receiver", "supporter", "rule"]
_Key = tuple[Scope, int, str, str, Unit]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Measure(_Model):
    """One total of the assessment: what `scope` names, in one year, of one rule and unit."""

    scope: Scope = Field(description="receiver, supporter or rule: what the total is of")
    year: int = Field(description="the recorded year")
    party_id: str = Field(description="the receiver or supporter ('' for a rule's total)")
    party_name: str = Field(description="its Chinese name")
    rule: str = Field(description="the rule the rows serve (R07 …)")
    unit: Unit = Field(description="teams for a flow that plans teams, else people, activities or items")
    planned: int = Field(ge=0, description="what the plan's rows planned")
    delivered: int = Field(ge=0, description="what the actuals say was delivered (planned rows left out: 0)")
    floor: int | None = Field(None, ge=0, description="the policy's yearly floor for the receiver, where set")
    behind_plan: int = Field(ge=0, description="planned − delivered, when positive")
    behind_floor: int | None = Field(None, ge=0, description="floor − delivered, when positive (0: met)")


class CountyScore(_Model):
    """A receiving county's score in [0, 100] over the recorded years (formula: docs/design.md)."""

    county_id: str = Field(description="the receiving county")
    name: str = Field(description="its Chinese name")
    score: float = Field(ge=0, le=100, description="the mean of its rules' scores, one decimal")
    by_rule: dict[str, float] = Field(description="rule -> min(1, delivered ÷ target) × 100")


class AssessmentReport(_Model):
    """The assessment (考核评价) of a plan's recorded years."""

    round: str = Field(description="the plan's round")
    years: list[int] = Field(description="the recorded years assessed")
    measures: list[Measure] = Field(description="every total: per receiver, per supporter and per rule, per year")
    behind: list[str] = Field(
        description="who is behind and by how much, in words: below a floor first, then behind the plan, largest first"
    )
    behind_zh: list[str] = Field(default_factory=list, description="the same sentences in Chinese, in the same order")
    scores: list[CountyScore] = Field(description="each receiving county's score, for the fund allocation")

    def score_by_county(self) -> dict[str, float]:
        """county_id -> score in [0, 100], for the provincial fund allocation."""
        return {s.county_id: s.score for s in self.scores}

    def of(self, scope: Scope) -> list[Measure]:
        return [m for m in self.measures if m.scope == scope]


def unit_of(row: Mapping[str, str]) -> Unit:
    """What a row is measured in: teams where it plans teams, else people, activities or items."""
    units: tuple[Unit, ...] = ("teams", "people", "activities", "items")
    return next((u for u in units if (whole(row.get(u)) or 0) > 0), "activities")


def _amount(row: Mapping[str, str], unit: Unit) -> int:
    return whole(row.get(unit)) or 0


class Parties:
    """Which end of a row is the receiver, and every party's name: from a roster, or from a plan's
    pairs alone (its county and city pairs name every receiving county and city)."""

    def __init__(self, counties: Iterable[str], cities: Iterable[str], names: Mapping[str, str]):
        self.counties, self.cities = set(counties), set(cities)
        self.receivers = self.counties | self.cities | {institute_id(x) for x in self.counties | self.cities}
        self.names = {PROVINCE_ID: PROVINCE_NAME, **names}

    @classmethod
    def of(cls, source: Roster | Sequence[Pair]) -> Parties:
        if isinstance(source, Roster):
            names = {p: source.name_of(p) for t in PARTY_TABLES for p in source.table(t)}
            counties = [a.area_id for a in source.receivers()]
            return cls(counties, [c.city_id for c in source.receiving_cities()], names)
        names = {}
        for pair in source:
            names[pair.supporter_id], names[pair.receiver_id] = pair.supporter_name, pair.receiver_name
        counties = [p.receiver_id for p in source if p.kind == Kind.COUNTY_COUNTY]
        return cls(counties, [p.receiver_id for p in source if p.kind == Kind.CITY_CITY], names)

    def ends(self, row: Mapping[str, str]) -> tuple[str, str]:
        """(receiver, supporter) of a row; the receiver is '' when neither end receives."""
        a, b = row.get("from_id", ""), row.get("to_id", "")
        if b in self.receivers:
            return b, a
        if a in self.receivers:
            return a, b
        return "", a or b

    def name(self, party: str) -> str:
        return self.names.get(party, "")


def floors(rules: RuleSet, parties: Parties, receiver: str) -> dict[str, tuple[Unit, int]]:
    """The policy's yearly floors owed to a receiver: rule -> (unit, amount)."""
    r07, r09, r10 = rules.of(R07), rules.of(R09), rules.of(R10)
    found: dict[str, tuple[Unit, int]] = {}
    if receiver in parties.counties:
        found["R07"] = ("teams", r07.teams_per_county_min)
        found["R09"] = ("people", r09.backbone_min)
    if receiver in parties.counties or receiver in parties.cities:
        found["R10"] = ("people", r10.leaders_min + r10.managers_min)
    return found


def rule_of(row: Mapping[str, str]) -> str:
    rule = (row.get("rule") or "").strip()
    if rule:
        return rule
    try:
        return FLOW_RULE.get(Flow(row.get("flow", "")), "")
    except ValueError:
        return ""


def assess(
    roster: Roster | Sequence[Pair],
    round_id: str,
    planned: Mapping[RowKey, Mapping[str, str]],
    actuals: Sequence[Actual],
    years: Iterable[int],
    rules: RuleSet = DEFAULT_RULES,
) -> AssessmentReport:
    """The assessment of `years` of a plan (`planned`: plan_rows); `roster` is the roster or the plan's pairs."""
    years = sorted(set(years))
    parties = Parties.of(roster)
    delivered_by_key = {row_key(a.planned): a for a in actuals}
    sums: dict[_Key, list[int]] = defaultdict(lambda: [0, 0])
    for key, row in planned.items():
        year = int(row["year"])
        if year not in years:
            continue
        unit, rule = unit_of(row), rule_of(row)
        receiver, supporter = parties.ends(row)
        actual = delivered_by_key.get(key)
        got = actual.delivered.get(unit, 0) if actual is not None else 0
        want = _amount(row, unit)
        scopes: list[tuple[Scope, str]] = [("supporter", supporter), ("rule", "")]
        if receiver:
            scopes.append(("receiver", receiver))
        for scope, party in scopes:
            total = sums[(scope, year, party, rule, unit)]
            total[0] += want
            total[1] += got
    measures = []
    for (scope, year, party, rule, unit), (want, got) in sorted(sums.items()):
        floor = None
        if scope == "receiver":
            owed = floors(rules, parties, party).get(rule)
            floor = owed[1] if owed and owed[0] == unit else None
        if want == got == 0 and not floor:
            continue  # rows without a figure of people, teams or activities (funds, goods): nothing to assess
        measures.append(
            Measure(
                scope=scope,
                year=year,
                party_id=party,
                party_name=parties.name(party),
                rule=rule,
                unit=unit,
                planned=want,
                delivered=got,
                floor=floor,
                behind_plan=max(0, want - got),
                behind_floor=None if floor is None else max(0, floor - got),
            )
        )
    measures = _with_rule_floors(measures)
    behind = _behind(measures)
    return AssessmentReport(
        round=round_id,
        years=years,
        measures=measures,
        behind=[english for english, _ in behind],
        behind_zh=[chinese for _, chinese in behind],
        scores=_scores(measures, parties),
    )


def owed(
    roster: Roster | Sequence[Pair],
    planned: Mapping[RowKey, Mapping[str, str]],
    actuals: Sequence[Actual],
    years: Iterable[int],
) -> dict[tuple[str, str], int]:
    """What the recorded `years` owe each receiver, per flow: (flow, receiver) -> planned − delivered
    over those years, in the flow's unit (teams for teaching teams), when positive. A receiver's
    surplus in one year makes up for its shortfall in another; no receiver's for another's."""
    parties, chosen = Parties.of(roster), set(years)
    delivered_by_key = {row_key(a.planned): a for a in actuals}
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for key, row in planned.items():
        receiver, _ = parties.ends(row)
        if int(row["year"]) not in chosen or not receiver:
            continue
        unit = unit_of(row)
        actual = delivered_by_key.get(key)
        totals[(row["flow"], receiver)] += _amount(row, unit) - (actual.delivered.get(unit, 0) if actual else 0)
    return {k: v for k, v in sorted(totals.items()) if v > 0}


def _with_rule_floors(measures: Sequence[Measure]) -> list[Measure]:
    """A rule's yearly total gets the sum of its receivers' floors, and of how far each is behind them
    (one receiver's surplus makes up for no other's)."""
    owed: dict[tuple[int, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for m in measures:
        if m.scope == "receiver" and m.floor is not None:
            total = owed[(m.year, m.rule, m.unit)]
            total[0] += m.floor
            total[1] += m.behind_floor or 0
    out = []
    for m in measures:
        key = (m.year, m.rule, m.unit)
        if m.scope == "rule" and key in owed:
            m = m.model_copy(update={"floor": owed[key][0], "behind_floor": owed[key][1]})
        out.append(m)
    return out


UNIT_ZH: dict[str, str] = {"teams": "支团队", "people": "人", "activities": "次活动", "items": "件"}


def _behind(measures: Sequence[Measure]) -> list[tuple[str, str]]:
    """(English, Chinese) sentences: below a floor first, then behind the plan, largest first."""
    lines = []
    for m in measures:
        if m.scope == "rule":
            continue
        who = f"{m.party_name}（{m.party_id}）" if m.party_name else m.party_id
        unit = UNIT_ZH.get(m.unit, m.unit)
        if m.behind_floor:
            english = (
                f"{m.year}: {who} is {m.behind_floor} {m.unit} behind the policy's floor of {m.floor} "
                f"({m.rule}): {m.delivered} delivered of {m.planned} planned."
            )
            chinese = (
                f"{m.year}年：{who}低于政策底线（{m.floor}{unit}，{m.rule}）{m.behind_floor}{unit}："
                f"计划 {m.planned}，完成 {m.delivered}。"
            )
            lines.append((0, m.behind_floor, english, chinese))
        elif m.behind_plan:
            role, role_zh = ("received", "接收") if m.scope == "receiver" else ("delivered", "完成")
            english = (
                f"{m.year}: {who} is {m.behind_plan} {m.unit} behind the plan ({m.rule}): "
                f"{m.delivered} {role} of {m.planned} planned."
            )
            chinese = (
                f"{m.year}年：{who}比计划少{role_zh} {m.behind_plan}{unit}（{m.rule}）："
                f"计划 {m.planned}，{role_zh} {m.delivered}。"
            )
            lines.append((1, m.behind_plan, english, chinese))
    return [
        (english, chinese) for _, _, english, chinese in sorted(lines, key=lambda item: (item[0], -item[1], item[2]))
    ]


def _scores(measures: Sequence[Measure], parties: Parties) -> list[CountyScore]:
    totals: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for m in measures:
        if m.scope == "receiver" and m.party_id in parties.counties:
            target = max(m.planned, m.floor or 0)
            total = totals[m.party_id][f"{m.rule}:{m.unit}"]
            total[0] += target
            total[1] += m.delivered
    scores = []
    for county, by in sorted(totals.items()):
        ratios = {key: min(1.0, got / target) for key, (target, got) in by.items() if target > 0}
        by_rule: dict[str, list[float]] = defaultdict(list)
        for key, ratio in ratios.items():
            by_rule[key.split(":")[0]].append(ratio)
        exact = {rule: 100 * sum(r) / len(r) for rule, r in sorted(by_rule.items())}
        score = round(sum(exact.values()) / len(exact), 1) if exact else 100.0
        rule_scores = {rule: round(value, 1) for rule, value in exact.items()}
        scores.append(CountyScore(county_id=county, name=parties.name(county), score=score, by_rule=rule_scores))
    return scores
