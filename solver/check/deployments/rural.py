"""R32, R34–R36: the work that reaches 乡镇 and 村 schools: stationed 教研员, yearly education groups
and what their schools give, 银龄 teachers.

Clauses are quoted in the catalogue (solver/rules/catalogue.py); each check re-derives its
quota from the roster, the rules and the pairs alone.
"""

from __future__ import annotations

from collections import defaultdict

from solver.check.common import Violation, violation
from solver.check.deployments.annex import rural_school_of, stranger
from solver.check.deployments.facts import Facts, Table, sum_by
from solver.domain.ids import area_of_institute
from solver.roster.fields import Role
from solver.rules.params import R32, R34, R35


def check_r32_researcher_stations(facts: Facts, table: Table) -> list[Violation]:
    """R32: every institute pair stations ≥`researchers_min` 教研员 a year, for ≥`days` days, at a 乡镇
    or 村 school of the receiving institute's area."""
    p = facts.rules.of(R32)
    clause = "R32, annex 2, clause 21"
    rows = table.of("researcher_station")
    found = []
    stationed: dict[tuple[int, str, str], int] = defaultdict(int)
    for row in rows:
        institute = facts.roster.institutes.get(row.to_id)
        area = institute.area_id if institute else area_of_institute(row.to_id)
        if (row.from_id, row.to_id) not in facts.institute_pairs:
            found.append(stranger(facts, "R32", row, "教研员 stationed by", clause))
        elif not rural_school_of(facts, row.to_site, area):
            found.append(
                violation(
                    "R32",
                    f"{row.year}: {facts.label(row.from_id)} stations 教研员 at {facts.label(row.to_site or '(no school)')}, "
                    f"which is not a 乡镇 or 村 school of {facts.label(row.to_id)} ({clause}).",
                    row.from_id,
                    row.to_id,
                )
            )
        elif row.n("days") >= p.days:
            stationed[(row.year, row.from_id, row.to_id)] += row.n("people")
    for supporter, receiver in sorted(facts.institute_pairs):
        for year in facts.years:
            got = stationed.get((year, supporter, receiver), 0)
            if got < p.researchers_min:
                found.append(
                    violation(
                        "R32",
                        f"{year}: {facts.label(supporter)} stations {got} 教研员 for {p.days} days or more at rural "
                        f"schools of {facts.label(receiver)}; at least {p.researchers_min} a year ({clause}).",
                        supporter,
                        receiver,
                    )
                )
    return found


def check_r34_group_batches(facts: Facts, table: Table) -> list[Violation]:
    """R34: every county pair forms ≥`groups_per_unit_min` education groups a year, led by a school of
    the supporting unit, with a 乡镇 or 村 school of the receiving county."""
    need = facts.rules.of(R34).groups_per_unit_min
    clause = "R34, annex 2, clause 25"
    rows = table.of("education_group_batch")
    found = []
    formed: dict[tuple[int, str, str], int] = defaultdict(int)
    for row in rows:
        if facts.county_partner.get(row.to_id) != row.from_id:
            found.append(stranger(facts, "R34", row, "an education group of", clause))
        elif not rural_school_of(facts, row.to_site, row.to_id) or (
            row.from_site and facts.school_area(row.from_site) != row.from_id
        ):
            found.append(
                violation(
                    "R34",
                    f"{row.year}: the education group {facts.label(row.from_id)} → {facts.label(row.to_id)} is led "
                    f"by {facts.label(row.from_site or '(none)')} with {facts.label(row.to_site or '(none)')}; it "
                    f"takes a school of the unit and a 乡镇 or 村 school of the county ({clause}).",
                    row.from_id,
                    row.to_id,
                )
            )
        else:
            formed[(row.year, row.from_id, row.to_id)] += row.n("activities")
    for county, unit in sorted(facts.county_partner.items()):
        for year in facts.years:
            got = formed.get((year, unit, county), 0)
            if got < need:
                found.append(
                    violation(
                        "R34",
                        f"{year}: {facts.label(unit)} forms {got} education groups with 乡镇 schools of "
                        f"{facts.label(county)}; at least {need} a year ({clause}).",
                        unit,
                        county,
                    )
                )
    return found


def check_r35_support_in_kind(facts: Facts, table: Table) -> list[Violation]:
    """R35: every year each county pair's groups give their members ≥`equipment_sets` sets of
    equipment and ≥`books` books, each row to a member school of a group formed by then."""
    p = facts.rules.of(R35)
    clause = "R35, annex 2, clause 27"
    members: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)  # (unit, county) -> member -> first year
    for row in table.whole_round("education_group", "education_group_batch"):
        if row.to_site:
            first = members[(row.from_id, row.to_id)].get(row.to_site, row.year)
            members[(row.from_id, row.to_id)][row.to_site] = min(first, row.year)
    found = []
    for flow, want, what in (
        ("equipment_support", p.equipment_sets, "sets of equipment"),
        ("book_support", p.books, "books"),
    ):
        given: dict[tuple[int, str, str], int] = defaultdict(int)
        for row in table.of(flow):
            since = members.get((row.from_id, row.to_id), {}).get(row.to_site)
            if since is None or since > row.year:
                found.append(
                    violation(
                        "R35",
                        f"{row.year}: {facts.label(row.from_id)} gives {row.n('items')} {what} to "
                        f"{facts.label(row.to_site or '(no school)')}, which is not yet a member of its education "
                        f"groups with {facts.label(row.to_id)} ({clause}).",
                        row.from_id,
                        row.to_id,
                    )
                )
            else:
                given[(row.year, row.from_id, row.to_id)] += row.n("items")
        for county, unit in sorted(facts.county_partner.items()):
            for year in facts.years:
                got = given.get((year, unit, county), 0)
                if got < want:
                    found.append(
                        violation(
                            "R35",
                            f"{year}: the education groups of {facts.label(unit)} → {facts.label(county)} give "
                            f"{got} {what}; at least {want} a year ({clause}).",
                            unit,
                            county,
                        )
                    )
    return found


def check_r36_silver_teachers(facts: Facts, table: Table) -> list[Violation]:
    """R36: every 银龄 teacher the roster lists for a year (silver.csv) teaches that year at a 乡镇 or 村
    school of a receiving county; no one else is planned (the plan reports a year short of
    `people_a_year` as a shortfall)."""
    clause = "R36, main plan"
    listed: dict[tuple[int, str], int] = defaultdict(int)
    for entry in facts.roster.silver.values():
        for year in facts.years:
            if entry.year in (None, year):
                listed[(year, entry.area_id)] += entry.people
    rows = table.of("silver_teacher")
    found = []
    for row in rows:
        area = facts.roster.areas.get(row.to_id)
        if area is None or area.role != Role.RECEIVER or not rural_school_of(facts, row.to_site, row.to_id):
            found.append(
                violation(
                    "R36",
                    f"{row.year}: 银龄 teachers of {facts.label(row.from_id)} teach at "
                    f"{facts.label(row.to_site or '(no school)')} in {facts.label(row.to_id)}, which is not a 乡镇 "
                    f"or 村 school of a receiving county ({clause}).",
                    row.from_id,
                    row.to_id,
                )
            )
    sent = sum_by(rows, lambda r: (r.year, r.from_id))
    for year, area_id in sorted(set(listed) | set(sent)):
        want, got = listed.get((year, area_id), 0), sent.get((year, area_id), 0)
        if got != want:
            found.append(
                violation(
                    "R36",
                    f"{year}: {facts.label(area_id)} has {want} 银龄 teachers in silver.csv and the plan sends {got} "
                    f"({clause}).",
                    area_id,
                )
            )
    return found
