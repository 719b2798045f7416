"""R18–R20 and R22: education groups, institute visits, the budget, famous teachers."""

from __future__ import annotations

from collections import defaultdict

from solver.check.common import Violation, violation
from solver.check.deployments.facts import Facts, Table, sum_by
from solver.domain.flows import DUTY_FLOWS, Payer
from solver.domain.ids import PROVINCE_ID
from solver.domain.subjects import SUBJECTS
from solver.roster.fields import Location
from solver.rules.params import R18, R19, R20, R22

# --- R18 education groups, R19 institute visits ----------------------------------------------

R18_CLAUSE = "R18, annex 2, clause 25"
R19_CLAUSE = "R19, annex 2, clause 20"


def check_r18_education_groups(facts: Facts, table: Table) -> list[Violation]:
    """R18: '25.组建跨区域教育集团。……每个帮扶周期内，对口帮扶县区之间至少组建1个教育集团。'

    Every county pair forms at least `groups_per_pair_min` education groups in the round, led by
    a school of the supporting unit with a school of the receiving county as member.
    """
    need = facts.rules.of(R18).groups_per_pair_min
    rows = table.of("education_group")
    found = []
    for row in rows:
        if facts.county_partner.get(row.to_id) != row.from_id:
            found.append(
                violation(
                    "R18",
                    f"{row.year}: an education group of {facts.label(row.from_id)} and "
                    f"{facts.label(row.to_id)}, which are not a county pair ({R18_CLAUSE}).",
                    row.from_id,
                    row.to_id,
                )
            )
        for site, area in ((row.from_site, row.from_id), (row.to_site, row.to_id)):
            if site and facts.school_area(site) != area:
                found.append(
                    violation(
                        "R18",
                        f"{row.year}: the education group of {facts.label(row.from_id)} → "
                        f"{facts.label(row.to_id)} names {facts.label(site)}, which is not a school "
                        f"of {facts.label(area)} ({R18_CLAUSE}).",
                        row.from_id,
                        row.to_id,
                        site,
                    )
                )
    groups = sum_by(table.whole_round("education_group"), lambda r: (r.from_id, r.to_id), "activities")
    for county, unit in sorted(facts.county_partner.items()):
        got = groups.get((unit, county), 0)
        if got < need:
            found.append(
                violation(
                    "R18",
                    f"The county pair {facts.label(unit)} → {facts.label(county)} forms {got} "
                    f"education groups in round {facts.round}; it forms at least {need} "
                    f"({R18_CLAUSE}).",
                    unit,
                    county,
                )
            )
    return found


def check_r19_institute_visits(facts: Facts, table: Table) -> list[Violation]:
    """R19: '支援地区教研机构（教师发展机构）到受援地区指导讲学、开展专题培训，……每年不少于5次，每年的教研活动均应
    实现各学科全覆盖。'

    Every institute pair has at least `visits_min` visits a year, and the year's visits cover
    every subject of solver.rules.SUBJECTS.
    """
    need = facts.rules.of(R19).visits_min
    rows = table.of("institute_visit")
    found = []
    for row in rows:
        if (row.from_id, row.to_id) not in facts.institute_pairs:
            found.append(
                violation(
                    "R19",
                    f"{row.year}: a visit of {facts.label(row.from_id)} to {facts.label(row.to_id)}, "
                    f"which are not an institute pair ({R19_CLAUSE}).",
                    row.from_id,
                    row.to_id,
                )
            )
    visits = sum_by(rows, lambda r: (r.year, r.from_id, r.to_id), "activities")
    covered: dict[tuple[int, str, str], set[str]] = defaultdict(set)
    for row in rows:
        covered[(row.year, row.from_id, row.to_id)] |= row.subjects
    for supporter, receiver in sorted(facts.institute_pairs):
        for year in facts.years:
            key = (year, supporter, receiver)
            if visits.get(key, 0) < need:
                found.append(
                    violation(
                        "R19",
                        f"{year}: {facts.label(supporter)} visits {facts.label(receiver)} "
                        f"{visits.get(key, 0)} times; at least {need} a year ({R19_CLAUSE}).",
                        supporter,
                        receiver,
                    )
                )
            missing = [s for s in SUBJECTS if s not in covered.get(key, set())]
            if missing:
                found.append(
                    violation(
                        "R19",
                        f"{year}: the visits of {facts.label(supporter)} to {facts.label(receiver)} "
                        f"leave out {'、'.join(missing)}; each year covers every subject "
                        f"({R19_CLAUSE}).",
                        supporter,
                        receiver,
                    )
                )
    return found


# --- R20 budget ------------------------------------------------------------------------------

R20_CLAUSE = "R20, annex 2, clause 33"


def check_r20_budget(facts: Facts, table: Table) -> list[Violation]:
    """R20: '33.支教或跟岗的校长、教师补助经费。……支教、跟岗等人员的工作经费标准不低于人均每年4万元。'
    ('支援方按照"带任务、带资金"模式参与帮扶', clause 21: the supporter pays.)

    Every year, each supporter's budget row counts the people on teaching or shadowing duty it
    sends or hosts (teaching teams, shadows, backbone teachers, leaders, managers, school
    exchanges) and gives at least `yuan_per_person_min` yuan for each.
    """
    rate = facts.rules.of(R20).yuan_per_person_min
    receivers = facts.county_set | set(facts.cities)
    duty: dict[tuple[int, str], int] = defaultdict(int)
    for flow, side in DUTY_FLOWS.items():
        for row in table.of(flow):
            if side == Payer.SUPPORTER:
                payer = row.to_id if row.from_id in receivers else row.from_id
            else:
                payer = row.from_id if side == Payer.SENDER else row.to_id
            duty[(row.year, payer)] += row.n("people")
    budgeted = sum_by(table.of("budget"), lambda r: (r.year, r.from_id))
    funds = sum_by(table.of("budget"), lambda r: (r.year, r.from_id), "yuan")
    found = []
    for key in sorted(set(duty) | set(budgeted)):
        year, payer = key
        people, counted, yuan = duty.get(key, 0), budgeted.get(key, 0), funds.get(key, 0)
        if counted != people:
            found.append(
                violation(
                    "R20",
                    f"{year}: the budget of {facts.label(payer)} counts {counted} people, but it "
                    f"sends or hosts {people} on teaching or shadowing duty ({R20_CLAUSE}).",
                    payer,
                )
            )
        if yuan < rate * people:
            found.append(
                violation(
                    "R20",
                    f"{year}: {facts.label(payer)} budgets {yuan:,} yuan for {people} people on duty; "
                    f"at least {rate:,} yuan a person is {rate * people:,} ({R20_CLAUSE}).",
                    payer,
                )
            )
    return found


# --- R22 famous teachers ---------------------------------------------------------------------

R22_CLAUSE = "R22, annex 2, clause 11"


def check_r22_famous_teachers(facts: Facts, table: Table) -> list[Violation]:
    """R22: '省每年组织200人次省级名教师、名校长、名班主任培养对象到粤东粤西粤北地区乡镇中心学校巡回讲学。支援市县
    每年要组织名教师、名校长、名班主任到受援市县乡镇中心学校开展不少于1周的宣教讲学等活动。'

    Every year the province (440000) sends at least `province_person_times` person-times to
    receiving counties' 乡镇 schools, and every city pair and county pair has a week (at least
    `supporter_days_min` days) of the supporter's famous teachers at its receiver.
    """
    total = facts.rules.of(R22).province_person_times
    days = facts.rules.of(R22).supporter_days_min
    tours = table.of("famous_teacher_tour")
    found = []
    for row in tours:
        school = facts.roster.schools.get(row.to_site)
        if row.from_id != PROVINCE_ID or row.to_id not in facts.county_set:
            found.append(
                violation(
                    "R22",
                    f"{row.year}: a lecture tour {facts.label(row.from_id)} → {facts.label(row.to_id)} "
                    f"is not the province's to a receiving county ({R22_CLAUSE}).",
                    row.from_id,
                    row.to_id,
                )
            )
        elif row.to_site and (school is None or school.area_id != row.to_id or school.location != Location.TOWNSHIP):
            found.append(
                violation(
                    "R22",
                    f"{row.year}: the lecture tour to {facts.label(row.to_id)} visits "
                    f"{facts.label(row.to_site)}, which is not one of its 乡镇 schools "
                    f"({R22_CLAUSE}).",
                    row.to_id,
                    row.to_site,
                )
            )
    sent = sum_by(tours, lambda r: (r.year,))
    for year in facts.years:
        if sent.get((year,), 0) < total:
            found.append(
                violation(
                    "R22",
                    f"{year}: the province sends {sent.get((year,), 0)} person-times of famous "
                    f"teachers on lecture tours; at least {total} a year ({R22_CLAUSE}).",
                    PROVINCE_ID,
                )
            )
    weeks: dict[tuple[int, str, str], int] = defaultdict(int)
    for row in table.of("famous_teacher_week"):
        if row.n("people") >= 1 and row.n("days") >= days:
            weeks[(row.year, row.from_id, row.to_id)] += 1
    pairs = sorted([(s, r) for r, s in facts.city_partner.items()] + [(s, r) for r, s in facts.county_partner.items()])
    for supporter, receiver in pairs:
        for year in facts.years:
            if not weeks.get((year, supporter, receiver)):
                found.append(
                    violation(
                        "R22",
                        f"{year}: {facts.label(supporter)} sends no famous teachers to "
                        f"{facts.label(receiver)} for a week ({days} days or more) ({R22_CLAUSE}).",
                        supporter,
                        receiver,
                    )
                )
    return found
