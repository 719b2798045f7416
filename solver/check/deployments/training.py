"""R12–R17: leadership and teacher training, student-teacher interns, universities."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from solver.check.common import Violation, violation
from solver.check.deployments.facts import (
    ALL_KINDS,
    CITY,
    COUNTY,
    INSTITUTE,
    NORMAL,
    Facts,
    Table,
    at_least,
    sum_by,
)
from solver.roster.fields import UniversityKind, UniversityLevel, UniversityRole
from solver.rules.params import R12, R13, R14, R15, R16, R17

# --- R12, R13, R15, R16 training -------------------------------------------------------------

R12_CLAUSE = "R12, annex 2, clauses 2 and 3"
R13_CLAUSE = "R13, annex 2, clause 12"
R15_CLAUSE = "R15, annex 2, clause 15"
R16_CLAUSE = "R16, annex 2, task 信息技术"


def _principals(facts: Facts, county: str) -> int:
    """One principal per school of the roster (the areas.csv estimate when the county lists none)."""
    return facts.schools_in.get(county, 0) or facts.roster.areas[county].schools


def _training(
    facts: Facts,
    table: Table,
    flow: str,
    rule: str,
    clause: str,
    trainers: frozenset[str],
    need: Callable[[str], int],
    what: str,
) -> list[Violation]:
    rows = table.of(flow)
    found = []
    for row in rows:
        if row.to_id not in facts.county_set or row.from_id not in facts.supporters(row.to_id, trainers):
            found.append(
                violation(
                    rule,
                    f"{row.year}: {what} of {facts.label(row.to_id)} by {facts.label(row.from_id)}, "
                    f"which may not train them ({', '.join(sorted(trainers))} of the county may; "
                    f"{clause}).",
                    row.from_id,
                    row.to_id,
                )
            )
    trained = sum_by(rows, lambda r: (r.year, r.to_id))
    for county in facts.counties:
        want = need(county)
        for year in facts.years:
            got = trained.get((year, county), 0)
            if got < want:
                found.append(
                    violation(
                        rule,
                        f"{year}: {facts.label(county)} has {got} {what}; it needs at least {want} a year ({clause}).",
                        county,
                    )
                )
    return found


def _length(
    facts: Facts, table: Table, flow: str, rule: str, clause: str, days: int, hours: int, either: bool
) -> list[Violation]:
    found = []
    for row in table.of(flow):
        long_enough = (
            (row.n("days") >= days or row.n("hours") >= hours)
            if either
            else (row.n("days") >= days and row.n("hours") >= hours)
        )
        if not long_enough:
            joint = "or" if either else "and"
            found.append(
                violation(
                    rule,
                    f"{row.year}: the {flow} of {facts.label(row.to_id)} by {facts.label(row.from_id)} "
                    f"lasts {row.n('days')} days / {row.n('hours')} hours; it needs {days} days "
                    f"{joint} {hours} hours ({clause}).",
                    row.from_id,
                    row.to_id,
                )
            )
    return found


def check_r12_principal_programmes(facts: Facts, table: Table) -> list[Violation]:
    """R12: '2.……每年遴选受援市县2%的优秀骨干校长，由支援市、县、教研机构（教师发展机构）、师范类院校组织开展为期
    1年高端研修（多次集中，累计不少于30天或180学时）；3.……每年遴选受援地区5%的副校长、优秀中层干部和名校长工作室
    学员……开展为期1年专项培养培训。'

    Every year, for every receiving county: at least `principal_share` of its principals (one per
    school) and `reserve_share` of its vice principals and middle managers (`deputies_per_school`
    per school), trained by its city or county partner, a paired institute or normal university,
    for at least `min_days` days or `min_hours` hours.
    """
    trainers = frozenset({COUNTY, CITY, INSTITUTE, NORMAL})
    days, hours = facts.rules.of(R12).min_days, facts.rules.of(R12).min_hours
    principal, reserve = facts.rules.of(R12).principal_share, facts.rules.of(R12).reserve_share
    deputies = facts.rules.of(R12).deputies_per_school
    found = _training(
        facts,
        table,
        "principal_programme",
        "R12",
        R12_CLAUSE,
        trainers,
        lambda c: at_least(principal, _principals(facts, c)),
        "principals in a high-end programme",
    )
    found += _training(
        facts,
        table,
        "reserve_principal_programme",
        "R12",
        R12_CLAUSE,
        trainers,
        lambda c: at_least(reserve, _principals(facts, c) * deputies),
        "vice principals and middle managers in a reserve-principal programme",
    )
    for flow in ("principal_programme", "reserve_principal_programme"):
        found += _length(facts, table, flow, "R12", R12_CLAUSE, days, hours, either=True)
    return found


def check_r13_backbone_training(facts: Facts, table: Table) -> list[Violation]:
    """R13: '按照受援地区教师总数10%的比例，遴选中小学骨干教师，由支援市、县、教研机构（教师发展机构）、师范类院校、
    非师范类院校组织开展为期1年在职连续培养（多次集中，累计不少于30天或180学时）。'

    Every year at least `share` of every receiving county's teachers, trained by its supporters,
    for at least `min_days` days or `min_hours` hours.
    """
    share = facts.rules.of(R13).share
    found = _training(
        facts,
        table,
        "backbone_training",
        "R13",
        R13_CLAUSE,
        ALL_KINDS,
        lambda c: at_least(share, facts.roster.areas[c].teachers),
        "teachers in backbone training",
    )
    found += _length(
        facts,
        table,
        "backbone_training",
        "R13",
        R13_CLAUSE,
        facts.rules.of(R13).min_days,
        facts.rules.of(R13).min_hours,
        either=True,
    )
    return found


def check_r15_full_training(facts: Facts, table: Table) -> list[Violation]:
    """R15: '15.组织实施受援地区中小学教师全员轮训。2025年前实现受援地区教师全覆盖。……每位教师均须累计参加不少于12天
    （72学时）的面授培训和不少于60学时的网络研修。支援地区和支援师范类院校要协同受援地区组织实施教师全员轮训，5年内
    实现受援地区教师全覆盖。'

    Every receiving county's teachers are all trained by `full_coverage_by` (in the round that
    holds that year; by the round's last year otherwise), by its city or county partner or
    normal university, each for at least `face_to_face_days` days (`face_to_face_hours` hours)
    face to face and `online_hours` hours online.
    """
    trainers = frozenset({COUNTY, CITY, NORMAL})
    rows = table.of("full_training")
    deadline = facts.rules.of(R15).full_coverage_by
    deadline = deadline if deadline in facts.years else facts.years[-1]
    found = []
    for row in rows:
        if row.to_id not in facts.county_set or row.from_id not in facts.supporters(row.to_id, trainers):
            found.append(
                violation(
                    "R15",
                    f"{row.year}: full training of {facts.label(row.to_id)} by "
                    f"{facts.label(row.from_id)}, which is not its city or county partner or "
                    f"normal university ({R15_CLAUSE}).",
                    row.from_id,
                    row.to_id,
                )
            )
        if row.n("online_hours") < facts.rules.of(R15).online_hours:
            found.append(
                violation(
                    "R15",
                    f"{row.year}: the full training of {facts.label(row.to_id)} by "
                    f"{facts.label(row.from_id)} has {row.n('online_hours')} online hours; it needs "
                    f"{facts.rules.of(R15).online_hours} ({R15_CLAUSE}).",
                    row.from_id,
                    row.to_id,
                )
            )
    found += _length(
        facts,
        table,
        "full_training",
        "R15",
        R15_CLAUSE,
        facts.rules.of(R15).face_to_face_days,
        facts.rules.of(R15).face_to_face_hours,
        either=False,
    )
    trained = sum_by((r for r in table.whole_round("full_training") if r.year <= deadline), lambda r: (r.to_id,))
    for county in facts.counties:
        teachers, got = facts.roster.areas[county].teachers, trained.get((county,), 0)
        if got < teachers:
            found.append(
                violation(
                    "R15",
                    f"{facts.label(county)} has {got} of its {teachers} teachers trained by "
                    f"{deadline}; every teacher is trained by then ({R15_CLAUSE}).",
                    county,
                )
            )
    return found


def check_r16_it_training(facts: Facts, table: Table) -> list[Violation]:
    """R16: '支援市、县、教研机构（教师发展机构）、师范类院校、非师范类院校采取集中面授与网络研修相结合方式，每年组织
    受援地区5%教师进行5天（30学时）专门培训。'

    Every year at least `share` of every receiving county's teachers get `days` days (`hours`
    hours) of IT training from its supporters.
    """
    share = facts.rules.of(R16).share
    found = _training(
        facts,
        table,
        "it_training",
        "R16",
        R16_CLAUSE,
        ALL_KINDS,
        lambda c: at_least(share, facts.roster.areas[c].teachers),
        "teachers in IT training",
    )
    found += _length(
        facts,
        table,
        "it_training",
        "R16",
        R16_CLAUSE,
        facts.rules.of(R16).days,
        facts.rules.of(R16).hours,
        either=False,
    )
    return found


# --- R14 interns, R17 universities -----------------------------------------------------------

R14_CLAUSE = "R14, annex 2, clause 17"
R17_CLAUSE = "R17, annex 2, clauses 30 and 32"


def check_r14_interns(facts: Facts, table: Table) -> list[Violation]:
    """R14: '17.开展师范生实习支教置换教师培训。支援师范类院校每年组织10%左右的师范生到受援地学校进行为期1个学期的
    实习，按照2:1的比例置换教师参加脱产培训。'

    Every paired normal university sends at least `intern_share` of its student teachers a year
    to its receiving cities (student numbers are the R14 estimates by level, so every intern row
    says `estimate` in its source), and every city releases one teacher per
    `interns_per_teacher` interns it takes.
    """
    share, ratio = facts.rules.of(R14).intern_share, facts.rules.of(R14).interns_per_teacher
    cities_of: dict[str, set[str]] = defaultdict(set)
    for university, receiver in facts.university_pairs:
        uni = facts.roster.universities.get(university)
        if uni is not None and uni.kind == UniversityKind.NORMAL and receiver in facts.roster.cities:
            cities_of[university].add(receiver)
    placements, releases = table.of("intern_placement"), table.of("intern_release")
    found = []
    for row in placements + releases:
        university, city = (row.from_id, row.to_id) if row.flow == "intern_placement" else (row.to_id, row.from_id)
        if city not in cities_of.get(university, set()):
            found.append(
                violation(
                    "R14",
                    f"{row.year}: {row.flow} between {facts.label(university)} and "
                    f"{facts.label(city)}, which are not a normal-university pair ({R14_CLAUSE}).",
                    university,
                    city,
                )
            )
        if not row.source.startswith("estimate"):
            found.append(
                violation(
                    "R14",
                    f"{row.year}: the {row.flow} of {facts.label(university)} → {facts.label(city)} "
                    f"rests on an estimate of student numbers but does not say so in its source "
                    f"({R14_CLAUSE}).",
                    university,
                    city,
                )
            )
    interns = sum_by(placements, lambda r: (r.year, r.from_id))
    per_city = sum_by(placements, lambda r: (r.year, r.from_id, r.to_id))
    released = sum_by(releases, lambda r: (r.year, r.to_id, r.from_id))
    for university in sorted(cities_of):
        level = facts.roster.universities[university].level
        r14 = facts.rules.of(R14)
        students = (
            r14.student_teachers_undergraduate
            if level == UniversityLevel.UNDERGRADUATE
            else r14.student_teachers_junior_college
        )
        want = round(share * students)
        for year in facts.years:
            got = interns.get((year, university), 0)
            if got < want:
                found.append(
                    violation(
                        "R14",
                        f"{year}: {facts.label(university)} sends {got} student-teacher interns; "
                        f"about {share:.0%} of its {students:,} student teachers (an estimate) is "
                        f"{want} ({R14_CLAUSE}).",
                        university,
                    )
                )
            for city in sorted(cities_of[university]):
                took, freed = per_city.get((year, university, city), 0), released.get((year, university, city), 0)
                if freed != took // ratio:
                    found.append(
                        violation(
                            "R14",
                            f"{year}: {facts.label(city)} takes {took} interns of "
                            f"{facts.label(university)} and releases {freed} teachers; {ratio}:1 "
                            f"releases {took // ratio} ({R14_CLAUSE}).",
                            university,
                            city,
                        )
                    )
    return found


def check_r17_universities(facts: Facts, table: Table) -> list[Violation]:
    """R17: '每校每年接收受训教师不少于100人。……每年至少在受援地区开展2次交流活动。'

    Every paired university (normal or not) takes at least `trainees_min` trainee teachers a year
    from its receivers and holds at least `exchanges_min` exchange activities a year there.
    """
    trainees_min, exchanges_min = facts.rules.of(R17).trainees_min, facts.rules.of(R17).exchanges_min
    receivers_of: dict[str, set[str]] = defaultdict(set)
    for university, receiver in facts.university_pairs:
        uni = facts.roster.universities.get(university)
        if uni is not None and uni.role == UniversityRole.SUPPORTER:
            receivers_of[university].add(receiver)
    found = []
    trainees, exchanges = table.of("university_trainees"), table.of("university_exchange")
    for row in trainees + exchanges:
        university, receiver = (
            (row.to_id, row.from_id) if row.flow == "university_trainees" else (row.from_id, row.to_id)
        )
        if receiver not in receivers_of.get(university, set()):
            found.append(
                violation(
                    "R17",
                    f"{row.year}: {row.flow} between {facts.label(university)} and "
                    f"{facts.label(receiver)}, which are not paired ({R17_CLAUSE}).",
                    university,
                    receiver,
                )
            )
    took = sum_by(trainees, lambda r: (r.year, r.to_id))
    held = sum_by(exchanges, lambda r: (r.year, r.from_id), "activities")
    for university in sorted(receivers_of):
        for year in facts.years:
            if took.get((year, university), 0) < trainees_min:
                found.append(
                    violation(
                        "R17",
                        f"{year}: {facts.label(university)} takes {took.get((year, university), 0)} "
                        f"trainee teachers; it takes at least {trainees_min} a year ({R17_CLAUSE}).",
                        university,
                    )
                )
            if held.get((year, university), 0) < exchanges_min:
                found.append(
                    violation(
                        "R17",
                        f"{year}: {facts.label(university)} holds {held.get((year, university), 0)} "
                        f"exchange activities in its receiving area; at least {exchanges_min} a year "
                        f"({R17_CLAUSE}).",
                        university,
                    )
                )
    return found
