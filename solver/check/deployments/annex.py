"""R27–R31 and R33: principals' training and degrees, teachers' degrees, student teachers' practice,
administrators' visits, 名师工作室 members (the rural-school tasks are in solver.check.deployments.rural).

Clauses are quoted in the catalogue (solver/rules/catalogue.py); each check re-derives its
quota from the roster, the rules and the pairs alone.
"""

from __future__ import annotations

import math
from collections import defaultdict

from solver.check.common import Violation, violation
from solver.check.deployments.facts import ALL_KINDS, NORMAL, UNIVERSITY, Facts, Table, sum_by
from solver.check.deployments.table import Row
from solver.domain.ids import city_id_of
from solver.domain.policy import round_years
from solver.roster.fields import Location, UniversityKind, UniversityLevel
from solver.rules.params import R14, R27, R28, R29, R30, R31, R33

RURAL = frozenset({Location.TOWNSHIP, Location.RURAL})
UNIVERSITIES = frozenset({NORMAL, UNIVERSITY})


def _principals(facts: Facts, county: str) -> int:
    return facts.schools_in.get(county, 0) or facts.roster.areas[county].schools


def rural_school_of(facts: Facts, school_id: str, area: str) -> bool:
    """A 乡镇 or 村 school of the area (a county, or any county of a city)."""
    school = facts.roster.schools.get(school_id)
    if school is None or school.location not in RURAL:
        return False
    return school.area_id == area if area in facts.roster.areas else city_id_of(school.area_id) == area


def stranger(facts: Facts, rule: str, row: Row, what: str, clause: str) -> Violation:
    return violation(
        rule,
        f"{row.year}: {what} {facts.label(row.from_id)} → {facts.label(row.to_id)}, which are not paired for it "
        f"({clause}).",
        row.from_id,
        row.to_id,
    )


def check_r27_principal_training(facts: Facts, table: Table) -> list[Violation]:
    """R27: every principal of a receiving county (one per school) trained within `within_years` of the
    round's start by its supporters, ≥`face_to_face_days` days and `face_to_face_hours` hours face to
    face and ≥`online_hours` online hours."""
    p = facts.rules.of(R27)
    clause = "R27, annex 2, clause 4"
    rows = table.of("principal_training")
    found = []
    for row in rows:
        if row.to_id not in facts.county_set or row.from_id not in facts.supporters(row.to_id, ALL_KINDS):
            found.append(stranger(facts, "R27", row, "principals' training", clause))
        if row.n("days") < p.face_to_face_days or row.n("hours") < p.face_to_face_hours:
            found.append(
                violation(
                    "R27",
                    f"{row.year}: the principals' training of {facts.label(row.to_id)} by {facts.label(row.from_id)} "
                    f"lasts {row.n('days')} days / {row.n('hours')} hours face to face; it needs "
                    f"{p.face_to_face_days} days and {p.face_to_face_hours} hours ({clause}).",
                    row.from_id,
                    row.to_id,
                )
            )
        if row.n("online_hours") < p.online_hours:
            found.append(
                violation(
                    "R27",
                    f"{row.year}: the principals' training of {facts.label(row.to_id)} by {facts.label(row.from_id)} "
                    f"has {row.n('online_hours')} online hours; it needs {p.online_hours} ({clause}).",
                    row.from_id,
                    row.to_id,
                )
            )
    window = round_years(facts.round)[: p.within_years]  # recorded years count: they are the round's too
    trained = sum_by((r for r in table.whole_round("principal_training") if r.year in window), lambda r: r.to_id)
    for county in facts.counties:
        want, got = _principals(facts, county), trained.get(county, 0)
        if got < want:
            found.append(
                violation(
                    "R27",
                    f"{facts.label(county)} has {got} of its {want} principals trained by {window[-1]}; every "
                    f"principal is trained within {p.within_years} years ({clause}).",
                    county,
                )
            )
    return found


def _degrees(facts: Facts, table: Table, rule: str, flow: str, by: int, study: int, clause: str) -> list[Violation]:
    rows = table.of(flow)
    found = []
    for row in rows:
        if row.to_id not in facts.county_set or row.from_id not in facts.supporters(row.to_id, UNIVERSITIES):
            found.append(stranger(facts, rule, row, "degree courses of", clause))
        if not row.source:
            found.append(
                violation(
                    rule,
                    f"{row.year}: the degree courses {facts.label(row.from_id)} → {facts.label(row.to_id)} do not "
                    f"say where the count of people below the target comes from ({clause}).",
                    row.from_id,
                    row.to_id,
                )
            )
    years = round_years(facts.round)
    starts = [y for y in years if y + study - 1 <= by] or years[:1]
    started = sum_by((r for r in table.whole_round(flow) if r.year in starts), lambda r: r.to_id)
    for county, counts in sorted(facts.roster.degrees.items()):
        below = counts.principals_below + counts.heads_below if flow == "principal_degree" else counts.teachers_below
        got = started.get(county, 0)
        if county in facts.county_set and got < below:
            found.append(
                violation(
                    rule,
                    f"{facts.label(county)} has {below} {'principals and heads' if rule == 'R28' else 'teachers'} "
                    f"below the degree target (degrees.csv) and {got} start a course by {starts[-1]}, in time "
                    f"for {max(by, starts[0] + study - 1)} ({clause}).",
                    county,
                )
            )
    return found


def check_r28_principal_degrees(facts: Facts, table: Table) -> list[Violation]:
    """R28: every principal and kindergarten head below the target (degrees.csv) starts a course with
    a paired university early enough to hold the degree by `by` (`study_years` of study)."""
    p = facts.rules.of(R28)
    return _degrees(facts, table, "R28", "principal_degree", p.by, p.study_years, "R28, annex 2, clause 6")


def check_r29_teacher_degrees(facts: Facts, table: Table) -> list[Violation]:
    """R29: the same for teachers below the degree standard (学历达标)."""
    p = facts.rules.of(R29)
    return _degrees(facts, table, "R29", "teacher_degree", p.by, p.study_years, "R29, annex 2, clauses 18 and 28")


def check_r30_teaching_practice(facts: Facts, table: Table) -> list[Violation]:
    """R30: every paired normal university's year-group of student teachers (R14's estimate of its
    student teachers ÷ years of study) practises ≥`practice_days` days in its receiving cities a year."""
    r14, p = facts.rules.of(R14), facts.rules.of(R30)
    clause = "R30, annex 2, clause 17"
    cities_of: dict[str, set[str]] = defaultdict(set)
    for university, receiver in facts.university_pairs:
        uni = facts.roster.universities.get(university)
        if uni is not None and uni.kind == UniversityKind.NORMAL and receiver in facts.roster.cities:
            cities_of[university].add(receiver)
    rows = table.of("teaching_practice")
    found = []
    for row in rows:
        if row.to_id not in cities_of.get(row.from_id, set()):
            found.append(stranger(facts, "R30", row, "teaching practice of", clause))
        if row.n("days") < p.practice_days or not row.source.startswith("estimate"):
            found.append(
                violation(
                    "R30",
                    f"{row.year}: the teaching practice {facts.label(row.from_id)} → {facts.label(row.to_id)} lasts "
                    f"{row.n('days')} days (at least {p.practice_days}) and rests on an estimate of student "
                    f"numbers, which its source must say ({clause}).",
                    row.from_id,
                    row.to_id,
                )
            )
    sent = sum_by(rows, lambda r: (r.year, r.from_id))
    for university in sorted(cities_of):
        undergraduate = facts.roster.universities[university].level == UniversityLevel.UNDERGRADUATE
        students = r14.student_teachers_undergraduate if undergraduate else r14.student_teachers_junior_college
        study = p.study_years_undergraduate if undergraduate else p.study_years_junior_college
        want = math.ceil(students / study)
        for year in facts.years:
            got = sent.get((year, university), 0)
            if got < want:
                found.append(
                    violation(
                        "R30",
                        f"{year}: {facts.label(university)} sends {got} student teachers to practise; a year-group "
                        f"of its {students:,} (an estimate) over {study} years is {want} ({clause}).",
                        university,
                    )
                )
    return found


def check_r31_admin_visits(facts: Facts, table: Table) -> list[Violation]:
    """R31: every receiving city and county sends ≥`people_min` administrators a year, for ≥`days`
    days, to its PRD partners."""
    p = facts.rules.of(R31)
    clause = "R31, annex 2"
    rows = table.of("admin_visit")
    found = []
    for row in rows:
        if row.to_id not in facts.prd_partners(row.from_id):
            found.append(stranger(facts, "R31", row, "administrators' visit", clause))
        if row.n("days") < p.days:
            found.append(
                violation(
                    "R31",
                    f"{row.year}: the administrators' visit {facts.label(row.from_id)} → {facts.label(row.to_id)} "
                    f"lasts {row.n('days')} days; at least {p.days} ({clause}).",
                    row.from_id,
                    row.to_id,
                )
            )
    sent = sum_by(rows, lambda r: (r.year, r.from_id))
    for receiver in [*facts.cities, *facts.counties]:
        if not facts.prd_partners(receiver):
            continue
        for year in facts.years:
            got = sent.get((year, receiver), 0)
            if got < p.people_min:
                found.append(
                    violation(
                        "R31",
                        f"{year}: {facts.label(receiver)} sends {got} administrators to its PRD partners; at least "
                        f"{p.people_min} a year ({clause}).",
                        receiver,
                    )
                )
    return found


def check_r33_studio_members(facts: Facts, table: Table) -> list[Violation]:
    """R33: every supporting unit's 名师工作室 take ≥`members_min` members of its receiving county a year."""
    need = facts.rules.of(R33).members_min
    clause = "R33, main plan"
    rows = table.of("studio_member")
    found = [
        stranger(facts, "R33", r, "名师工作室 members", clause)
        for r in rows
        if facts.county_partner.get(r.from_id) != r.to_id
    ]
    members = sum_by(rows, lambda r: (r.year, r.from_id, r.to_id))
    for county, unit in sorted(facts.county_partner.items()):
        for year in facts.years:
            got = members.get((year, county, unit), 0)
            if got < need:
                found.append(
                    violation(
                        "R33",
                        f"{year}: the 名师工作室 of {facts.label(unit)} take {got} members of {facts.label(county)}; "
                        f"at least {need} a year ({clause}).",
                        unit,
                        county,
                    )
                )
    return found
