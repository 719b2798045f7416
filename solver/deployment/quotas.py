"""The yearly quotas that follow from the pairs and the roster without a choice of capacity.

School exchanges (R11), leadership and teacher training (R12, R13, R15, R16), student-teacher
interns (R14), university trainees and exchanges (R17), education groups (R18), institute
visits (R19) and famous-teacher lecture tours (R22). Where several supporters may do the work,
it is split evenly among them (the remainder going round them year by year), so every
supporter the clause names takes a share.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from solver.deployment.allocation import Context
from solver.deployment.parties import SupporterKind, is_normal
from solver.domain.flows import Flow, FlowRow
from solver.domain.ids import PROVINCE_ID, PROVINCE_NAME
from solver.domain.policy import round_years
from solver.domain.subjects import SUBJECTS
from solver.roster.fields import UniversityLevel
from solver.rules.params import R11, R12, R13, R14, R15, R16, R17, R18, R19, R22

ALL_KINDS = tuple(SupporterKind)
TRAINERS: dict[Flow, tuple[SupporterKind, ...]] = {
    # R12: '由支援市、县、教研机构（教师发展机构）、师范类院校组织'
    Flow.PRINCIPAL_PROGRAMME: (
        SupporterKind.COUNTY_PARTNER,
        SupporterKind.CITY_PARTNER,
        SupporterKind.INSTITUTE,
        SupporterKind.NORMAL_UNIVERSITY,
    ),
    Flow.RESERVE_PRINCIPAL_PROGRAMME: (
        SupporterKind.COUNTY_PARTNER,
        SupporterKind.CITY_PARTNER,
        SupporterKind.INSTITUTE,
        SupporterKind.NORMAL_UNIVERSITY,
    ),
    # R13: '由支援市、县、教研机构（教师发展机构）、师范类院校、非师范类院校组织'
    Flow.BACKBONE_TRAINING: ALL_KINDS,
    # R15: '支援地区和支援师范类院校要协同受援地区组织实施教师全员轮训'
    Flow.FULL_TRAINING: (SupporterKind.COUNTY_PARTNER, SupporterKind.CITY_PARTNER, SupporterKind.NORMAL_UNIVERSITY),
    # R16: '支援市、县、教研机构（教师发展机构）、师范类院校、非师范类院校…每年组织受援地区5%教师'
    Flow.IT_TRAINING: ALL_KINDS,
}


def share_of(share: float, base: int) -> int:
    """ceil(share × base), rounded first so that 10% of 4,000 is 400, not 401."""
    return math.ceil(round(share * base, 6))


def split(total: int, parties: Sequence[str], start: int) -> list[tuple[str, int]]:
    """`total` shared evenly among `parties`; the remainder goes to them in turn from `start`."""
    if not parties or total <= 0:
        return []
    base, rest = divmod(total, len(parties))
    extra = {parties[(start + j) % len(parties)] for j in range(rest)}
    return [(p, base + (p in extra)) for p in parties if base + (p in extra) > 0]


def quota_rows(ctx: Context, year: int) -> list[FlowRow]:
    index = round_years(ctx.round).index(year)
    rows = school_exchange_rows(ctx, year)
    rows += training_rows(ctx, year, index)
    rows += intern_rows(ctx, year, index)
    rows += university_rows(ctx, year, index)
    rows += education_group_rows(ctx, year, index)
    rows += institute_visit_rows(ctx, year)
    rows += famous_teacher_rows(ctx, year, index)
    return rows


def _row(ctx: Context, year: int, flow: Flow, from_id: str, to_id: str, **figures: object) -> FlowRow:
    return FlowRow(ctx.round, year, flow, from_id, ctx.name(from_id), to_id, ctx.name(to_id), **figures)  # type: ignore[arg-type]


def school_exchange_rows(ctx: Context, year: int) -> list[FlowRow]:
    """R11: each paired school sends one leader or middle manager to the other, every year."""
    per = ctx.rules.of(R11).exchange_per_school_pair
    rows = []
    for (unit, county), n in ctx.school_pairs_by_area:
        note = f"{per} leader or middle manager from each of the {n} paired schools (pairs.csv, school_school)"
        rows.append(_row(ctx, year, Flow.SCHOOL_EXCHANGE, unit, county, people=n * per, note=note))
        rows.append(_row(ctx, year, Flow.SCHOOL_EXCHANGE, county, unit, people=n * per, note=note))
    return rows


def full_training_people(ctx: Context, county: str, year_index: int) -> int:
    """R15: every teacher once by the coverage year, in even yearly cohorts ('2025年前实现受援地区教师全覆盖')."""
    years = round_years(ctx.round)
    deadline = ctx.rules.of(R15).full_coverage_by
    cohorts = years.index(deadline) + 1 if deadline in years else len(years)
    if year_index >= cohorts:
        return 0
    base, rest = divmod(ctx.roster.areas[county].teachers, cohorts)
    return base + (year_index < rest)


def training_rows(ctx: Context, year: int, index: int) -> list[FlowRow]:
    r12, r13, r15, r16 = (ctx.rules.of(R12), ctx.rules.of(R13), ctx.rules.of(R15), ctx.rules.of(R16))
    deputies = r12.deputies_per_school
    rows = []
    for county in ctx.counties:
        teachers = ctx.roster.areas[county].teachers
        principals = ctx.sites.principals(county)
        quotas = (
            (
                Flow.PRINCIPAL_PROGRAMME,
                share_of(r12.principal_share, principals),
                {"days": r12.min_days, "hours": r12.min_hours},
                f"estimate: one principal per school, {principals} schools",
            ),
            (
                Flow.RESERVE_PRINCIPAL_PROGRAMME,
                share_of(r12.reserve_share, principals * deputies),
                {"days": r12.min_days, "hours": r12.min_hours},
                f"estimate: {deputies} vice principals and middle managers per school (R12 deputies_per_school)",
            ),
            (Flow.BACKBONE_TRAINING, share_of(r13.share, teachers), {"days": r13.min_days, "hours": r13.min_hours}, ""),
            (
                Flow.FULL_TRAINING,
                full_training_people(ctx, county, index),
                {"days": r15.face_to_face_days, "hours": r15.face_to_face_hours, "online_hours": r15.online_hours},
                "",
            ),
            (Flow.IT_TRAINING, share_of(r16.share, teachers), {"days": r16.days, "hours": r16.hours}, ""),
        )
        for flow, people, figures, source in quotas:
            trainers = ctx.network.of_kinds(county, *TRAINERS[flow])
            for trainer, n in split(people, trainers, index):
                rows.append(_row(ctx, year, flow, trainer, county, people=n, source=source, **figures))
    return rows


def intern_rows(ctx: Context, year: int, index: int) -> list[FlowRow]:
    """R14: about 10% of a normal university's student teachers intern for a semester, freeing teachers 2:1."""
    r14 = ctx.rules.of(R14)
    share, ratio = r14.intern_share, r14.interns_per_teacher
    rows = []
    for university, receivers in sorted(ctx.network.receivers_of_university.items()):
        if not is_normal(ctx.roster, university):
            continue
        level = ctx.roster.universities[university].level
        if level == UniversityLevel.UNDERGRADUATE:
            name, students = "student_teachers_undergraduate", r14.student_teachers_undergraduate
        else:
            name, students = "student_teachers_junior_college", r14.student_teachers_junior_college
        source = (
            f"estimate: {share:.0%} of {students:,} student teachers (R14 {name}; the roster has no student numbers)"
        )
        for city, interns in split(round(share * students), receivers, index):
            rows.append(
                _row(
                    ctx,
                    year,
                    Flow.INTERN_PLACEMENT,
                    university,
                    city,
                    people=interns,
                    source=source,
                    note="student-teacher interns for one semester",
                )
            )
            rows.append(
                _row(
                    ctx,
                    year,
                    Flow.INTERN_RELEASE,
                    city,
                    university,
                    people=interns // ratio,
                    source=source,
                    note=f"teachers released for off-the-job training, {ratio} interns each",
                )
            )
    return rows


def university_rows(ctx: Context, year: int, index: int) -> list[FlowRow]:
    """R17: every supporting university takes ≥100 trainee teachers and holds ≥2 exchanges in its area a year."""
    trainees, exchanges = ctx.rules.of(R17).trainees_min, ctx.rules.of(R17).exchanges_min
    rows = []
    for university, receivers in sorted(ctx.network.receivers_of_university.items()):
        for receiver, n in split(trainees, receivers, index):
            rows.append(
                _row(
                    ctx,
                    year,
                    Flow.UNIVERSITY_TRAINEES,
                    receiver,
                    university,
                    people=n,
                    note="trainee teachers taken by the university",
                )
            )
        for receiver, n in split(exchanges, receivers, index):
            rows.append(
                _row(
                    ctx,
                    year,
                    Flow.UNIVERSITY_EXCHANGE,
                    university,
                    receiver,
                    activities=n,
                    note="conferences, forums, studies or seminars in the receiving area",
                )
            )
    return rows


def education_group_rows(ctx: Context, year: int, index: int) -> list[FlowRow]:
    """R18: each county pair forms an education group in the round's first year."""
    if index != 0:
        return []
    groups = ctx.rules.of(R18).groups_per_pair_min
    rows = []
    for county, unit in sorted(ctx.network.county_partner.items()):
        member = ctx.sites.group_member(county)
        lead = ctx.sites.home_site(SupporterKind.COUNTY_PARTNER, unit, member or None)
        lead = lead if lead in ctx.roster.schools else ""
        rows.append(
            _row(
                ctx,
                year,
                Flow.EDUCATION_GROUP,
                unit,
                county,
                activities=groups,
                from_site_id=lead,
                from_site_name=ctx.name(lead),
                to_site_id=member,
                to_site_name=ctx.name(member),
                note="cross-region education group: lead school and first member",
            )
        )
    return rows


def institute_visit_rows(ctx: Context, year: int) -> list[FlowRow]:
    """R19: ≥5 visits a year by each supporting institute, all subjects covered over the year's visits."""
    visits = ctx.rules.of(R19).visits_min
    rows = []
    for supporter, receiver in ctx.network.institute_pairs:
        for k in range(visits):
            rows.append(
                _row(
                    ctx,
                    year,
                    Flow.INSTITUTE_VISIT,
                    supporter,
                    receiver,
                    activities=1,
                    subjects=SUBJECTS[k::visits],
                    note=f"visit {k + 1} of {visits}",
                )
            )
    return rows


def famous_teacher_rows(ctx: Context, year: int, index: int) -> list[FlowRow]:
    """R22: the province's 200 person-times of lecture tours, and each supporter's week of famous teachers."""
    total = ctx.rules.of(R22).province_person_times
    order = sorted(ctx.counties, key=lambda c: (not ctx.roster.areas[c].is_priority, c))
    rows = []
    for county, n in split(total, order, 0):
        site = ctx.sites.township_school(county, index)
        rows.append(
            FlowRow(
                ctx.round,
                year,
                Flow.FAMOUS_TEACHER_TOUR,
                PROVINCE_ID,
                PROVINCE_NAME,
                county,
                ctx.name(county),
                people=n,
                to_site_id=site,
                to_site_name=ctx.name(site),
                note="provincial famous teachers, principals and head teachers on a lecture tour",
            )
        )
    people, days = ctx.rules.of(R22).supporter_people, ctx.rules.of(R22).supporter_days_min
    pairs = sorted(
        [(s, r) for r, s in ctx.network.city_partner.items()] + [(s, r) for r, s in ctx.network.county_partner.items()]
    )
    for supporter, receiver in pairs:
        site = ctx.sites.township_school(receiver, index) if receiver in ctx.roster.areas else ""
        rows.append(
            _row(
                ctx,
                year,
                Flow.FAMOUS_TEACHER_WEEK,
                supporter,
                receiver,
                people=people,
                days=days,
                to_site_id=site,
                to_site_name=ctx.name(site),
                note="famous teachers, principals and head teachers lecturing at 乡镇中心学校",
            )
        )
    return rows
