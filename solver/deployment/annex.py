"""The annex tasks that follow from the pairs and the roster: R27–R36, year by year.

Principals' full training (R27), degree upgrading of principals and teachers (R28, R29),
student teachers' practice (R30), administrators' visits (R31), 教研员 stationed at rural
schools (R32), 名师工作室 members (R33), yearly education groups (R34) and what their schools give
(R35), and the 银龄 teachers the roster lists (R36). Where several supporters may do the work it
is split evenly among them, the remainder going round them year by year (solver.deployment.quotas).
"""

from __future__ import annotations

import math
from collections import defaultdict

from solver.deployment.allocation import Context
from solver.deployment.parties import SupporterKind, is_normal
from solver.deployment.quotas import ALL_KINDS, split
from solver.domain.flows import Flow, FlowRow
from solver.domain.ids import PROVINCE_ID, PROVINCE_NAME, area_of_institute
from solver.domain.policy import round_years
from solver.domain.report import Shortfall
from solver.roster.fields import Role, UniversityLevel
from solver.roster.parties import School
from solver.rules.params import R14, R27, R28, R29, R30, R31, R32, R33, R34, R35, R36

UNIVERSITIES = (SupporterKind.NORMAL_UNIVERSITY, SupporterKind.UNIVERSITY)


def _row(ctx: Context, year: int, flow: Flow, from_id: str, to_id: str, **figures: object) -> FlowRow:
    return FlowRow(ctx.round, year, flow, from_id, ctx.name(from_id), to_id, ctx.name(to_id), **figures)  # type: ignore[arg-type]


def annex_rows(ctx: Context, year: int) -> tuple[list[FlowRow], list[Shortfall]]:
    index = round_years(ctx.round).index(year)
    rows = principal_training_rows(ctx, year, index)
    rows += degree_rows(ctx, year, index)
    rows += practice_rows(ctx, year, index)
    rows += admin_visit_rows(ctx, year, index)
    rows += station_rows(ctx, year, index)
    rows += studio_rows(ctx, year)
    rows += group_batch_rows(ctx, year, index)
    silver, short = silver_rows(ctx, year, index)
    return rows + silver, short


def rural_schools(ctx: Context, party: str) -> list[School]:
    """乡镇 and 村 schools of a receiving county, or of every receiving county of a city, largest first."""
    return ctx.rural_schools(party)


def principal_training_rows(ctx: Context, year: int, index: int) -> list[FlowRow]:
    """R27: every principal once in the first `within_years` years, in even cohorts."""
    r27 = ctx.rules.of(R27)
    cohorts = min(r27.within_years, len(round_years(ctx.round)))
    if index >= cohorts:
        return []
    rows = []
    for county in ctx.counties:
        principals = ctx.sites.principals(county)
        base, rest = divmod(principals, cohorts)
        source = f"estimate: one principal per school, {principals} schools"
        for trainer, n in split(base + (index < rest), ctx.network.of_kinds(county, *ALL_KINDS), index):
            rows.append(
                _row(
                    ctx,
                    year,
                    Flow.PRINCIPAL_TRAINING,
                    trainer,
                    county,
                    people=n,
                    days=r27.face_to_face_days,
                    hours=r27.face_to_face_hours,
                    online_hours=r27.online_hours,
                    source=source,
                    note=f"principals' full training, cohort {index + 1} of {cohorts}",
                )
            )
    return rows


def degree_years(years: list[int], by: int, study_years: int) -> list[int]:
    """Years a cohort may start and still hold its degree by `by`; the first year when `by` is past."""
    return [y for y in years if y + study_years - 1 <= by] or years[:1]


def degree_rows(ctx: Context, year: int, index: int) -> list[FlowRow]:
    """R28, R29: who is below the target (degrees.csv) starts a degree course early enough to hold it by `by`."""
    years = round_years(ctx.round)
    rows = []
    for flow, params, column in (
        (Flow.PRINCIPAL_DEGREE, ctx.rules.of(R28), "principals"),
        (Flow.TEACHER_DEGREE, ctx.rules.of(R29), "teachers"),
    ):
        starts = degree_years(years, params.by, params.study_years)
        if year not in starts:
            continue
        at = starts.index(year)
        for county in ctx.counties:
            found = ctx.roster.degrees.get(county)
            if found is None:
                continue
            below = found.principals_below + found.heads_below if column == "principals" else found.teachers_below
            base, rest = divmod(below, len(starts))
            done = year + params.study_years - 1
            for university, n in split(base + (at < rest), ctx.network.of_kinds(county, *UNIVERSITIES), index):
                rows.append(
                    _row(
                        ctx,
                        year,
                        flow,
                        university,
                        county,
                        people=n,
                        source=found.source,
                        note=f"{column} below the degree target starting a {params.study_years}-year course; "
                        f"degree by {done} (target {params.by})",
                    )
                )
    return rows


def practice_rows(ctx: Context, year: int, index: int) -> list[FlowRow]:
    """R30: each year-group of a paired normal university's student teachers practises 30 days in its cities."""
    r14, r30 = ctx.rules.of(R14), ctx.rules.of(R30)
    rows = []
    for university, receivers in sorted(ctx.network.receivers_of_university.items()):
        if not is_normal(ctx.roster, university):
            continue
        if ctx.roster.universities[university].level == UniversityLevel.UNDERGRADUATE:
            students, study = r14.student_teachers_undergraduate, r30.study_years_undergraduate
        else:
            students, study = r14.student_teachers_junior_college, r30.study_years_junior_college
        source = f"estimate: a year-group of {students:,} student teachers over {study} years (R14 estimates)"
        for city, n in split(math.ceil(students / study), receivers, index):
            rows.append(
                _row(
                    ctx,
                    year,
                    Flow.TEACHING_PRACTICE,
                    university,
                    city,
                    people=n,
                    days=r30.practice_days,
                    source=source,
                    note="student teachers' practice (教育实践或教育见习) in the receiving area",
                )
            )
    return rows


def admin_visit_rows(ctx: Context, year: int, index: int) -> list[FlowRow]:
    """R31: every receiving city and county sends administrators to its PRD partners every year."""
    r31 = ctx.rules.of(R31)
    rows = []
    for receiver in [*ctx.cities, *ctx.counties]:
        for host, n in split(r31.people_min, ctx.leader_hosts(receiver), index):
            rows.append(
                _row(
                    ctx,
                    year,
                    Flow.ADMIN_VISIT,
                    receiver,
                    host,
                    people=n,
                    days=r31.days,
                    note="education-administration staff visiting the PRD partner (观摩学习)",
                )
            )
    return rows


def station_rows(ctx: Context, year: int, index: int) -> list[FlowRow]:
    """R32: each institute pair stations 教研员 at a 乡镇 or 村 school of the receiver, a different one each year."""
    r32 = ctx.rules.of(R32)
    rows = []
    for supporter, receiver in ctx.network.institute_pairs:
        institute = ctx.roster.institutes.get(receiver)
        pool = rural_schools(ctx, institute.area_id if institute else area_of_institute(receiver))
        if not pool:
            continue
        school = pool[index % len(pool)].school_id
        rows.append(
            _row(
                ctx,
                year,
                Flow.RESEARCHER_STATION,
                supporter,
                receiver,
                people=r32.researchers_min,
                days=r32.days,
                to_site_id=school,
                to_site_name=ctx.name(school),
                note="教研员 stationed at a rural school (蹲点联系)",
            )
        )
    return rows


def studio_rows(ctx: Context, year: int) -> list[FlowRow]:
    """R33: each supporting unit's 名师工作室 take members of its receiving county every year."""
    members = ctx.rules.of(R33).members_min
    return [
        _row(ctx, year, Flow.STUDIO_MEMBER, county, unit, people=members, note="members of the unit's 名师工作室")
        for county, unit in sorted(ctx.network.county_partner.items())
    ]


def group_batch_rows(ctx: Context, year: int, index: int) -> list[FlowRow]:
    """R34: every year each supporting unit forms groups with a 乡镇 school of its county; R35: what they give."""
    r34, r35 = ctx.rules.of(R34), ctx.rules.of(R35)
    rows = []
    for county, unit in sorted(ctx.network.county_partner.items()):
        pool = rural_schools(ctx, county)
        if not pool:
            continue
        member = pool[index % len(pool)].school_id
        lead = ctx.sites.home_site(SupporterKind.COUNTY_PARTNER, unit, member)
        lead = lead if lead in ctx.roster.schools else ""
        sites = {
            "from_site_id": lead,
            "from_site_name": ctx.name(lead),
            "to_site_id": member,
            "to_site_name": ctx.name(member),
        }
        rows.append(
            _row(
                ctx,
                year,
                Flow.EDUCATION_GROUP_BATCH,
                unit,
                county,
                activities=r34.groups_per_unit_min,
                note="this year's education group with a 乡镇 school (联合办学、委托代管)",
                **sites,
            )
        )
        rows.append(
            _row(
                ctx,
                year,
                Flow.EQUIPMENT_SUPPORT,
                unit,
                county,
                items=r35.equipment_sets,
                note="sets of IT equipment, lab equipment and teaching instruments for the group's member",
                **sites,
            )
        )
        rows.append(
            _row(
                ctx,
                year,
                Flow.BOOK_SUPPORT,
                unit,
                county,
                items=r35.books,
                note="books for the group's member",
                **sites,
            )
        )
    return rows


def silver_rows(ctx: Context, year: int, index: int) -> tuple[list[FlowRow], list[Shortfall]]:
    """R36: the roster's 银龄 teachers of the year teach at rural schools of receiving counties.

    A supporting unit's retirees go to the counties it supports, a receiving county's stay in
    it, the rest go to the receiving counties, priority (R21) first.
    """
    people: dict[str, int] = defaultdict(int)
    sources: dict[str, str] = {}
    for row in ctx.roster.silver.values():
        if row.year in (None, year):
            people[row.area_id] += row.people
            sources.setdefault(row.area_id, row.source)
    supported: dict[str, list[str]] = defaultdict(list)
    for county, unit in sorted(ctx.network.county_partner.items()):
        supported[unit].append(county)
    everyone = sorted(ctx.counties, key=lambda c: (not ctx.roster.areas[c].is_priority, c))
    rows = []
    for area_id, n in sorted(people.items()):
        area = ctx.roster.areas[area_id]
        targets = [area_id] if area.role == Role.RECEIVER else supported.get(area_id) or everyone
        for county, k in split(n, targets, index):
            pool = rural_schools(ctx, county)
            school = pool[index % len(pool)].school_id if pool else ""
            rows.append(
                _row(
                    ctx,
                    year,
                    Flow.SILVER_TEACHER,
                    area_id,
                    county,
                    people=k,
                    to_site_id=school,
                    to_site_name=ctx.name(school),
                    source=sources[area_id],
                    note="retired principals, teachers and 教研员 teaching at a rural school (银龄讲学)",
                )
            )
    want, total = ctx.rules.of(R36).people_a_year, sum(people.values())
    if not 0 < total < want:
        return rows, []
    message = (
        f"{year}: the roster lists {total} 银龄 teachers; the province recruits about {want} a year "
        f"(R36), so {want - total} are not planned."
    )
    short = Shortfall(
        year=year,
        receiver_id=PROVINCE_ID,
        rule="R36",
        what=f"银龄 teachers ({PROVINCE_NAME})",
        amount=want - total,
        people=want - total,
        message=message,
    )
    return rows, [short]
