"""R07–R11: teaching teams, shadows, backbone teachers, leaders and managers, school exchanges."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from solver.check.common import Violation, violation
from solver.check.deployments.facts import (
    CITY,
    COUNTY,
    INSTITUTE,
    NORMAL,
    Facts,
    Table,
    sum_by,
)
from solver.check.deployments.table import Row
from solver.roster.fields import Role
from solver.rules.params import R07, R08, R09, R10, R11

# --- R07 teaching teams ----------------------------------------------------------------------

R07_CLAUSE = "R07, annex 2, clause 13"


def check_r07_teaching_teams(facts: Facts, table: Table) -> list[Violation]:
    """R07: '每个受援县每年至少接受3个支教团支教。支教团中学校领导主要从事学校管理工作，中层干部主要从事
    教学教研指导和培训工作，专任教师主要从事学科教学和班级管理工作。'

    Every receiving county receives at least `teams_per_county_min` teams every year, each team
    with school leaders, middle managers and subject teachers, sent by one of the county's
    supporters and stationed at one of its schools; no supporter sends more people than it can
    (`send_capacity`, or the R07 planning defaults).
    """
    rows = table.of("teaching_team")
    need = facts.rules.of(R07).teams_per_county_min
    found = []
    for row in rows:
        found += _team_row_problems(facts, row)
    teams = sum_by(rows, lambda r: (r.year, r.to_id), "teams")
    for year in facts.years:
        for county in facts.counties:
            got = teams.get((year, county), 0)
            if got < need:
                found.append(
                    violation(
                        "R07",
                        f"{year}: {facts.label(county)} receives {got} teaching team"
                        f"{'' if got == 1 else 's'}; it needs at least {need} a year "
                        f"({R07_CLAUSE}).",
                        county,
                    )
                )
    for (year, supporter), people in sorted(sum_by(rows, lambda r: (r.year, r.from_id)).items()):
        allowed = facts.send_capacity(supporter)
        if people > allowed:
            found.append(
                violation(
                    "R07",
                    f"{year}: {facts.label(supporter)} sends {people} people in teaching teams, "
                    f"more than the {allowed} it can send a year ({R07_CLAUSE}).",
                    supporter,
                )
            )
    return found


def _team_row_problems(facts: Facts, row: Row) -> list[Violation]:
    head = f"{row.year}: the teaching team of {facts.label(row.from_id)} → {facts.label(row.to_id)}"
    found = []
    if row.to_id not in facts.county_set:
        return [
            violation(
                "R07", f"{head} goes to a party that is not a receiving county ({R07_CLAUSE}).", row.from_id, row.to_id
            )
        ]
    if row.from_id not in facts.supporters(row.to_id):
        found.append(
            violation(
                "R07",
                f"{head} is sent by a party that is not one of the county's supporters in the pairs ({R07_CLAUSE}).",
                row.from_id,
                row.to_id,
            )
        )
    teams = row.n("teams")
    posts = {p: row.n(p) for p in ("leaders", "managers", "teachers")}
    if teams < 1:
        found.append(violation("R07", f"{head} has {teams} teams in its row ({R07_CLAUSE}).", row.from_id, row.to_id))
    missing = [p for p, n in posts.items() if n < teams]
    if missing:
        found.append(
            violation(
                "R07",
                f"{head} lacks {', '.join(missing)}: every team has school leaders, middle "
                f"managers and subject teachers ({R07_CLAUSE}).",
                row.from_id,
                row.to_id,
            )
        )
    if row.n("people") != sum(posts.values()):
        found.append(
            violation(
                "R07",
                f"{head} counts {row.n('people')} people but {sum(posts.values())} posts ({R07_CLAUSE}).",
                row.from_id,
                row.to_id,
            )
        )
    if row.to_site and facts.school_area(row.to_site) != row.to_id:
        found.append(
            violation(
                "R07",
                f"{head} is stationed at {facts.label(row.to_site)}, which is not a school of "
                f"the county ({R07_CLAUSE}).",
                row.from_id,
                row.to_id,
                row.to_site,
            )
        )
    return found


# --- R08 shadows -----------------------------------------------------------------------------

R08_CLAUSE = "R08, annex 2, clause 14"
POSTS = ("leaders", "managers", "teachers")


def check_r08_shadows(facts: Facts, table: Table) -> list[Violation]:
    """R08: '支援地区同时要按照1:1的比例，接收受援学校跟岗锻炼。跟岗人员原则上应安排在对应岗位，在接受指导后接替
    组团支教教师的工作，同一受援学校人员原则上应安排在同一学校跟岗学习。'

    For every supporter, county and year, shadows (county → supporter) number `shadow_ratio`
    times the team members; the shadows of the school a team is stationed at hold the team's
    posts and go to the team's home site, in the supporting area; all shadows of one receiving
    school in a year go to one site.
    """
    ratio = facts.rules.of(R08).shadow_ratio
    teams, shadows = table.of("teaching_team"), table.of("shadow")
    found = []
    team_people = sum_by(teams, lambda r: (r.year, r.from_id, r.to_id))
    shadow_people = sum_by(shadows, lambda r: (r.year, r.to_id, r.from_id))
    for key in sorted(set(team_people) | set(shadow_people)):
        year, supporter, county = key
        want, got = ratio * team_people.get(key, 0), shadow_people.get(key, 0)
        if want != got:
            found.append(
                violation(
                    "R08",
                    f"{year}: {facts.label(county)} sends {got} shadows to {facts.label(supporter)}, "
                    f"whose teaching teams there have {team_people.get(key, 0)} members; the ratio "
                    f"is {ratio}:1 ({R08_CLAUSE}).",
                    county,
                    supporter,
                )
            )
    found += _shadow_posts(facts, teams, shadows, ratio)
    found += _one_site_per_school(facts, shadows)
    for row in shadows:
        if row.to_site and not _in_supporting_area(facts, row.to_site, row.to_id):
            found.append(
                violation(
                    "R08",
                    f"{row.year}: shadows of {facts.label(row.from_id)} go to "
                    f"{facts.label(row.to_site)}, which is not in the area of "
                    f"{facts.label(row.to_id)} ({R08_CLAUSE}).",
                    row.from_id,
                    row.to_id,
                    row.to_site,
                )
            )
    return found


def _shadow_posts(facts: Facts, teams: Sequence[Row], shadows: Sequence[Row], ratio: int) -> list[Violation]:
    """At each receiving school, the shadows hold the team's posts and go to the team's home site."""

    def key(year: int, supporter: str, county: str, school: str) -> tuple[int, str, str, str]:
        return (year, supporter, county, school)

    team_posts: dict[tuple[int, str, str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(POSTS, 0))
    team_home: dict[tuple[int, str, str, str], set[str]] = defaultdict(set)
    for row in teams:
        k = key(row.year, row.from_id, row.to_id, row.to_site)
        for post in POSTS:
            team_posts[k][post] += ratio * row.n(post)
        team_home[k].add(row.from_site)
    shadow_posts: dict[tuple[int, str, str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(POSTS, 0))
    shadow_home: dict[tuple[int, str, str, str], set[str]] = defaultdict(set)
    for row in shadows:
        k = key(row.year, row.to_id, row.from_id, row.from_site)
        for post in POSTS:
            shadow_posts[k][post] += row.n(post)
        shadow_home[k].add(row.to_site)
    found = []
    none = dict.fromkeys(POSTS, 0)
    for k in sorted(set(team_posts) | set(shadow_posts)):
        year, supporter, county, school = k
        where = facts.label(school) if school else facts.label(county)
        if team_posts.get(k, none) != shadow_posts.get(k, none):
            found.append(
                violation(
                    "R08",
                    f"{year}: the shadows of {where} at {facts.label(supporter)} hold posts "
                    f"{_posts(shadow_posts.get(k))}, but its teams hold {_posts(team_posts.get(k))}; "
                    f"shadows take the matching posts ({R08_CLAUSE}).",
                    county,
                    supporter,
                    school,
                )
            )
        elif k in team_home and shadow_home.get(k) != team_home[k]:
            found.append(
                violation(
                    "R08",
                    f"{year}: the shadows of {where} go to {_sites(facts, shadow_home.get(k))}, "
                    f"not to the home site of its teams, {_sites(facts, team_home[k])}, whose "
                    f"posts they take over ({R08_CLAUSE}).",
                    county,
                    supporter,
                    school,
                )
            )
    return found


def _posts(posts: Mapping[str, int] | None) -> str:
    posts = posts or dict.fromkeys(POSTS, 0)
    return ", ".join(f"{p} {posts[p]}" for p in POSTS)


def _sites(facts: Facts, sites: Iterable[str] | None) -> str:
    return "、".join(facts.label(s) if s else "(none)" for s in sorted(sites or [])) or "(none)"


def _one_site_per_school(facts: Facts, shadows: Sequence[Row]) -> list[Violation]:
    sites: dict[tuple[int, str], set[tuple[str, str]]] = defaultdict(set)
    for row in shadows:
        if row.from_site:
            sites[(row.year, row.from_site)].add((row.to_id, row.to_site))
    found = []
    for (year, school), where in sorted(sites.items()):
        if len(where) > 1:
            names = "、".join(facts.label(site or supporter) for supporter, site in sorted(where))
            found.append(
                violation(
                    "R08",
                    f"{year}: the shadows of {facts.label(school)} go to {len(where)} places "
                    f"({names}); people of one receiving school shadow at one school "
                    f"({R08_CLAUSE}).",
                    school,
                    *(s or p for p, s in where),
                )
            )
    return found


def _in_supporting_area(facts: Facts, site: str, supporter: str) -> bool:
    if site == supporter:
        return True
    area = facts.school_area(site)
    if area is None:
        return False
    if supporter in facts.roster.cities:
        return area[:4] == supporter[:4] and facts.roster.areas[area].role == Role.SUPPORTER
    return area == supporter


# --- R09 backbone teachers, R10 leaders and managers ---------------------------------------

R09_CLAUSE = "R09, annex 2, clause 9"
R10_CLAUSE = "R10, annex 2, clause 5"
BACKBONE_HOSTS = frozenset({COUNTY, CITY, INSTITUTE, NORMAL})


def check_r09_backbone_teachers(facts: Facts, table: Table) -> list[Violation]:
    """R09: '受援地区各县每年选派30—50名骨干教师分别到支援市、县、教研机构（教师发展机构）、师范类院校跟岗1个学期。'

    Every receiving county sends `backbone_min`–`backbone_max` backbone teachers a year, each to
    its city or county partner, a paired institute or its city's normal university; no host
    takes more people (backbone teachers of R09 plus leaders and managers of R10) than it can
    host (`host_capacity`, or the R09 planning defaults).
    """
    low, high = facts.rules.of(R09).backbone_min, facts.rules.of(R09).backbone_max
    rows = table.of("backbone_shadow")
    found = []
    for row in rows:
        if row.from_id not in facts.county_set or row.to_id not in facts.supporters(row.from_id, BACKBONE_HOSTS):
            found.append(
                violation(
                    "R09",
                    f"{row.year}: backbone teachers go from {facts.label(row.from_id)} to "
                    f"{facts.label(row.to_id)}, which is not its city or county partner, paired "
                    f"institute or normal university ({R09_CLAUSE}).",
                    row.from_id,
                    row.to_id,
                )
            )
    sent = sum_by(rows, lambda r: (r.year, r.from_id))
    for year in facts.years:
        for county in facts.counties:
            got = sent.get((year, county), 0)
            if not low <= got <= high:
                found.append(
                    violation(
                        "R09",
                        f"{year}: {facts.label(county)} sends {got} backbone teachers to its "
                        f"supporters; it sends {low}–{high} a year ({R09_CLAUSE}).",
                        county,
                    )
                )
    hosted = sum_by(table.of("backbone_shadow", "leader_shadow", "manager_shadow"), lambda r: (r.year, r.to_id))
    for (year, host), people in sorted(hosted.items()):
        allowed = facts.host_capacity(host)
        if people > allowed:
            found.append(
                violation(
                    "R09",
                    f"{year}: {facts.label(host)} hosts {people} backbone teachers, leaders and "
                    f"managers, more than the {allowed} it can host a year ({R09_CLAUSE}).",
                    host,
                )
            )
    return found


def check_r10_leaders_and_managers(facts: Facts, table: Table) -> list[Violation]:
    """R10: '每年从受援市县选派5—10名的中小学校领导、20—30名的学校中层管理人员到珠三角结对地区教育行政部门和学校
    跟岗学习1个学期。'

    Every receiving city and county sends `leaders_min`–`leaders_max` school leaders and
    `managers_min`–`managers_max` middle managers a year to '珠三角结对地区': a city to its PRD city
    partner, a county to its PRD county partner or its city's PRD city partner.
    """
    found = []
    for flow, low, high, what in (
        ("leader_shadow", facts.rules.of(R10).leaders_min, facts.rules.of(R10).leaders_max, "school leaders"),
        ("manager_shadow", facts.rules.of(R10).managers_min, facts.rules.of(R10).managers_max, "middle managers"),
    ):
        rows = table.of(flow)
        for row in rows:
            if row.to_id not in facts.prd_partners(row.from_id):
                found.append(
                    violation(
                        "R10",
                        f"{row.year}: {what} go from {facts.label(row.from_id)} to "
                        f"{facts.label(row.to_id)}, which is not its PRD partner ({R10_CLAUSE}).",
                        row.from_id,
                        row.to_id,
                    )
                )
        sent = sum_by(rows, lambda r: (r.year, r.from_id))
        for year in facts.years:
            for receiver in [*facts.cities, *facts.counties]:
                got = sent.get((year, receiver), 0)
                if not low <= got <= high:
                    found.append(
                        violation(
                            "R10",
                            f"{year}: {facts.label(receiver)} sends {got} {what} to its PRD "
                            f"partner; it sends {low}–{high} a year ({R10_CLAUSE}).",
                            receiver,
                        )
                    )
    return found


# --- R11 school exchanges --------------------------------------------------------------------

R11_CLAUSE = "R11, annex 2, clause 5"


def check_r11_school_exchanges(facts: Facts, table: Table) -> list[Violation]:
    """R11: '结对帮扶中小学学校之间，帮扶周期内每年要各安排1名学校领导班子成员或中层干部到对方学校挂职锻炼或跟岗学习。'

    For every pair of areas holding school pairs (school_school), each year the supporting area
    sends and receives at least `exchange_per_school_pair` people per school pair.
    """
    per = facts.rules.of(R11).exchange_per_school_pair
    sent = sum_by(table.of("school_exchange"), lambda r: (r.year, r.from_id, r.to_id))
    found = []
    for (unit, county), n in sorted(facts.school_pairs.items()):
        for year in facts.years:
            for source, target in ((unit, county), (county, unit)):
                got = sent.get((year, source, target), 0)
                if got < n * per:
                    found.append(
                        violation(
                            "R11",
                            f"{year}: {facts.label(source)} sends {got} leaders or middle managers "
                            f"to its paired schools in {facts.label(target)}; its {n} school pairs "
                            f"need {n * per} ({R11_CLAUSE}).",
                            source,
                            target,
                        )
                    )
    return found
