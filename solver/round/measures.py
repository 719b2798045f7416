"""What a coordinator weighs before signing a plan: each supporter city's load against its strength
(R24), the pairs that follow existing ties (R23), and who carries more partners than R26 allows."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from solver.domain.kinds import Kind
from solver.domain.pairs import Pair
from solver.domain.report import SupporterRow, TieShare
from solver.pairing.strength import city_strengths, receiving_teachers
from solver.roster.models import Roster
from solver.rules.params import R26
from solver.rules.ruleset import RuleSet


def supporter_rows(roster: Roster, rules: RuleSet, pairs: Sequence[Pair]) -> list[SupporterRow]:
    strengths = city_strengths(roster, rules)
    teachers = receiving_teachers(roster)
    ties = {(t.kind.value, t.supporter_id, t.receiver_id) for t in roster.ties.values()}
    cities: dict[str, list[str]] = defaultdict(list)
    counties: Counter[str] = Counter()
    tied: Counter[str] = Counter()
    distance: defaultdict[str, float] = defaultdict(float)
    for pair in pairs:
        if pair.kind not in (Kind.CITY_CITY, Kind.COUNTY_COUNTY):
            continue
        city = pair.supporter_id if pair.kind == Kind.CITY_CITY else roster.city_of(pair.supporter_id)
        if pair.kind == Kind.CITY_CITY:
            cities[city].append(pair.receiver_id)
        else:
            counties[city] += 1
        tied[city] += (pair.kind.value, pair.supporter_id, pair.receiver_id) in ties
        distance[city] += pair.score_distance_km
    rows = []
    for city_id, strength in strengths.items():
        load = sum(teachers.get(r, 0) for r in cities[city_id])
        rows.append(
            SupporterRow(
                city_id=city_id,
                name=roster.cities[city_id].name,
                receiving_cities=sorted(cities[city_id]),
                receiving_counties=counties[city_id],
                receiving_teachers=load,
                own_teachers=strength.teachers,
                load_ratio=round(load / strength.teachers, 3) if strength.teachers else 0.0,
                strength_share=round(strength.share, 4),
                fair_load=round(strength.fair_load),
                load_to_fair=round(load / strength.fair_load, 3) if strength.fair_load else 0.0,
                gdp_yuan_1e8=strength.gdp,
                pairs_following_ties=tied[city_id],
                distance_km=round(distance[city_id], 1),
            )
        )
    return rows


def load_ratio_spread(rows: Sequence[SupporterRow]) -> float | None:
    """The highest load ratio less the lowest (receiving ÷ own teachers)."""
    ratios = [r.load_ratio for r in rows if r.own_teachers]
    return round(max(ratios) - min(ratios), 3) if ratios else None


def load_to_fair_spread(rows: Sequence[SupporterRow]) -> float | None:
    """The same against each city's fair load (its strength share: teachers and GDP, R24)."""
    ratios = [r.load_to_fair for r in rows if r.fair_load]
    return round(max(ratios) - min(ratios), 3) if ratios else None


def tie_shares(roster: Roster, pairs: Sequence[Pair]) -> list[TieShare]:
    ties = Counter(t.kind for t in roster.ties.values())
    keys = {(t.kind.value, t.supporter_id, t.receiver_id) for t in roster.ties.values()}
    found = []
    for kind in Kind:
        mine = [p for p in pairs if p.kind == kind]
        following = sum((kind.value, p.supporter_id, p.receiver_id) in keys for p in mine)
        found.append(
            TieShare(
                kind=kind.value,
                pairs=len(mine),
                following_ties=following,
                share=round(following / len(mine), 4) if mine else 0.0,
                ties=ties[kind],
            )
        )
    return found


def over_limits(roster: Roster, rules: RuleSet, pairs: Sequence[Pair]) -> list[str]:
    """The partners taken beyond R26's limits, in words: institutes one by one, schools area by area.
    They are the pairs that carry `institute_load` or `school_load` (where the limit could not hold);
    a unit's schools share their limit over the counties the unit may take."""
    limits = rules.of(R26)
    found = []
    for kind, term, limit, what in (
        (Kind.SCHOOL_SCHOOL, "school_load", limits.school_partners_max, "school pairs"),
        (Kind.INTRA_REGION, "school_load", limits.intra_partners_max, "intra-region school pairs"),
        (Kind.INSTITUTE_INSTITUTE, "institute_load", limits.institute_partners_max, "institute pairs"),
    ):
        mine = [p for p in pairs if p.kind == kind and p.supporter_id not in roster.areas]
        load = Counter(p.supporter_id for p in mine)
        over = Counter(p.supporter_id for p in mine if term in p.score_terms)
        by_area: dict[str, list[str]] = {}
        for supporter in sorted(over):
            if supporter in roster.schools:
                by_area.setdefault(roster.schools[supporter].area_id, []).append(supporter)
            else:
                found.append(
                    f"{roster.label(supporter)} holds {load[supporter]} {what}, {over[supporter]} beyond "
                    f"R26's limit of {limit}"
                )
        for area, schools in sorted(by_area.items()):
            found.append(
                f"{roster.label(area)}: {sum(over[s] for s in schools)} {what} of {len(schools)} schools go beyond "
                f"the room R26's limit of {limit} partners a school leaves them"
                + (" (shared over the counties their area may take; " if kind == Kind.SCHOOL_SCHOOL else " (")
                + f"at most {max(load[s] for s in schools)} partners each)"
            )
    return found
