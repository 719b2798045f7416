"""An independent checker of the annual deployment plan: roster + pairs + deployments.csv -> violations.

It re-derives every deployment rule (R07–R20, R22 of DESIGN.md section 2) from the roster, the
rules' parameters, the structural pairs and the deployment table alone. It never imports the
planner (solver/deployment*.py): who supports whom, capacities, quotas and training bases are
worked out here again, so a test can catch the planner breaking a rule. The table is read as
its CSV text (or its rows as dicts of cells), exactly as a coordinator downloads it.

Rule ids of a `Violation`: the catalogue's ("R07" … "R22") and "DEPLOY" for a table that cannot
be read as a plan of the round (a missing column, an unknown flow, a number that is not a
whole number, a row of another round or year). Rows of flow `shortfall` are the planner's own
account of what it could not provide; the checker ignores them and judges the quotas itself.
Clauses are quoted from annex 2 of 粤府〔2021〕55号.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from solver.check.pairs import Violation, label
from solver.domain.pairs import FORMULA_PREFIXES, Kind, Pair
from solver.domain.policy import round_years
from solver.roster.models import Location, Role, Roster, UniversityKind, UniversityLevel, UniversityRole, people_a_year
from solver.rules.catalogue import DEFAULT_RULES, SUBJECTS, RuleSet

DEPLOY_RULE = "DEPLOY"
REQUIRED_COLUMNS = ("round", "year", "flow", "from_id", "from_name", "to_id", "to_name", "teams", "people")
NUMBER_COLUMNS = ("teams", "people", "leaders", "managers", "teachers", "activities", "days", "hours",
                  "online_hours", "yuan")
KNOWN_FLOWS = frozenset({
    "teaching_team", "shadow", "backbone_shadow", "leader_shadow", "manager_shadow", "school_exchange",
    "principal_programme", "reserve_principal_programme", "backbone_training", "intern_placement",
    "intern_release", "full_training", "it_training", "university_trainees", "university_exchange",
    "education_group", "institute_visit", "famous_teacher_tour", "famous_teacher_week", "budget", "shortfall",
})
PROVINCE = "440000"

# Kinds of supporter of a receiving county, as this checker names them.
COUNTY, CITY, INSTITUTE, NORMAL, UNIVERSITY = "county partner", "city partner", "institute", "normal university", "university"
ALL_KINDS = frozenset({COUNTY, CITY, INSTITUTE, NORMAL, UNIVERSITY})


def _violation(rule: str, message: str, *ids: str) -> Violation:
    return Violation(rule, message, tuple(sorted({i for i in ids if i})))


# --- reading the table -----------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    line: int
    round: str
    year: int
    flow: str
    from_id: str
    to_id: str
    numbers: Mapping[str, int | None]
    from_site: str
    to_site: str
    subjects: frozenset[str]
    source: str

    def n(self, column: str) -> int:
        """The figure, 0 when the cell is empty."""
        return self.numbers.get(column) or 0


def table_records(data: bytes | str) -> list[dict[str, str]]:
    """The rows of a deployments.csv as dicts of cells (formula neutralisation undone)."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    if "'" not in text:  # nothing was neutralised
        return [dict(zip(header, cells, strict=False)) for cells in reader]
    return [dict(zip(header, [_plain(cell) for cell in cells], strict=False)) for cells in reader]


def _plain(cell: str) -> str:
    if cell.startswith("'") and cell[1:].startswith(FORMULA_PREFIXES):
        return cell[1:]
    return cell


def read_rows(records: Sequence[Mapping[str, str]], round_id: str) -> tuple[list[Row], list[Violation]]:
    years = round_years(round_id)
    found: list[Violation] = []
    if records:
        missing = [c for c in REQUIRED_COLUMNS if c not in records[0]]
        if missing:
            return [], [_violation(DEPLOY_RULE, f"The deployment table lacks the columns {', '.join(missing)}.")]
    rows = []
    for line, record in enumerate(records, start=2):
        def cell(name: str) -> str:
            return (record.get(name) or "").strip()

        where = f"Row {line} of the deployment table"
        flow = cell("flow")
        if flow not in KNOWN_FLOWS:
            found.append(_violation(DEPLOY_RULE, f"{where} has the unknown flow {flow!r}."))
            continue
        if flow == "shortfall":
            continue
        if cell("round") != round_id:
            found.append(_violation(DEPLOY_RULE, f"{where} is of round {cell('round')!r}, not {round_id}."))
            continue
        year = cell("year")
        if not year.isdigit() or int(year) not in years:
            found.append(_violation(DEPLOY_RULE, f"{where} is for year {year!r}, not a year of round {round_id}."))
            continue
        numbers: dict[str, int | None] = {}
        bad = []
        for column in NUMBER_COLUMNS:
            value = cell(column)
            if value == "":
                numbers[column] = None
            elif value.isdigit():
                numbers[column] = int(value)
            else:
                bad.append(column)
        if bad:
            found.append(_violation(DEPLOY_RULE, f"{where} ({flow}) has {', '.join(bad)} that are not whole numbers "
                                                 "of 0 or more.", cell("from_id"), cell("to_id")))
            continue
        subjects = frozenset(s for s in cell("subjects").split(";") if s)
        rows.append(Row(line, round_id, int(year), flow, cell("from_id"), cell("to_id"), numbers,
                        cell("from_site_id"), cell("to_site_id"), subjects, cell("source")))
    return rows, found


# --- what the roster and the pairs say -------------------------------------------------------

@dataclass
class Facts:
    """The roster, rules and pairs, re-read for the deployment rules."""

    roster: Roster
    rules: RuleSet
    round: str
    pairs: Sequence[Pair]
    county_partner: dict[str, str] = field(init=False, default_factory=dict)
    city_partner: dict[str, str] = field(init=False, default_factory=dict)
    institute_pairs: set[tuple[str, str]] = field(init=False, default_factory=set)
    university_pairs: set[tuple[str, str]] = field(init=False, default_factory=set)  # (university, receiver)
    school_pairs: dict[tuple[str, str], int] = field(init=False, default_factory=dict)  # (unit, county) -> pairs

    def __post_init__(self) -> None:
        self.years = round_years(self.round)
        self.counties = sorted(a.area_id for a in self.roster.receivers())
        self.county_set = set(self.counties)
        self.cities = sorted(c.city_id for c in self.roster.receiving_cities())
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for pair in self.pairs:
            s, r = pair.supporter_id, pair.receiver_id
            if pair.kind == Kind.COUNTY_COUNTY:
                self.county_partner.setdefault(r, s)
            elif pair.kind == Kind.CITY_CITY:
                self.city_partner.setdefault(r, s)
            elif pair.kind == Kind.INSTITUTE_INSTITUTE:
                self.institute_pairs.add((s, r))
            elif pair.kind in (Kind.NORMAL_UNIVERSITY_CITY, Kind.UNIVERSITY_AREA):
                self.university_pairs.add((s, r))
            elif pair.kind == Kind.SCHOOL_SCHOOL and s in self.roster.schools and r in self.roster.schools:
                counts[(self.roster.schools[s].area_id, self.roster.schools[r].area_id)] += 1
        self.school_pairs = dict(counts)
        schools_in: dict[str, int] = defaultdict(int)
        for school in self.roster.schools.values():
            schools_in[school.area_id] += 1
        self.schools_in = dict(schools_in)
        self._supporters = {c: self._derive_supporters(c) for c in self.counties}

    def param(self, rule: str, name: str) -> float:
        return float(self.rules.param(rule, name))

    def _derive_supporters(self, county: str) -> dict[str, str]:
        city = county[:4] + "00"
        found: dict[str, str] = {}
        for s, r in sorted(self.university_pairs):
            if r in (county, city):
                uni = self.roster.universities.get(s)
                found[s] = NORMAL if uni is not None and uni.kind == UniversityKind.NORMAL else UNIVERSITY
        for s, r in sorted(self.institute_pairs):
            if r in (f"jy{county}", f"jy{city}"):
                found[s] = INSTITUTE
        if city in self.city_partner:
            found[self.city_partner[city]] = CITY
        if county in self.county_partner:
            found[self.county_partner[county]] = COUNTY
        return found

    def supporters(self, county: str, kinds: frozenset[str] = ALL_KINDS) -> dict[str, str]:
        """The county's supporters of the given kinds: supporter id -> kind."""
        return {s: k for s, k in self._supporters.get(county, {}).items() if k in kinds}

    def prd_partners(self, receiver: str) -> set[str]:
        """'珠三角结对地区' of a receiving city (its city pair) or county (its county pair, or its city's)."""
        if receiver in self.roster.cities:
            found = {self.city_partner.get(receiver)}
        else:
            found = {self.county_partner.get(receiver), self.city_partner.get(receiver[:4] + "00")}
        return {p for p in found if p}

    def capacity(self, party: str, column: str, rule: str, share: str, suffix: str) -> int:
        row = (self.roster.areas.get(party) or self.roster.cities.get(party) or self.roster.universities.get(party)
               or self.roster.institutes.get(party))
        if row is None:
            return 0
        given = people_a_year(getattr(row, column))
        if given is not None:
            return given
        if party in self.roster.areas:
            return math.floor(self.roster.areas[party].teachers * self.param(rule, share))
        if party in self.roster.cities:
            teachers = sum(a.teachers for a in self.roster.areas.values()
                           if a.city_id == party and a.role == Role.SUPPORTER)
            return math.floor(teachers * self.param(rule, f"city_{share}"))
        prefix = "university" if party in self.roster.universities else "institute"
        return int(self.param(rule, f"{prefix}_{suffix}"))

    def school_area(self, school_id: str) -> str | None:
        school = self.roster.schools.get(school_id)
        return school.area_id if school else None

    def label(self, party: str) -> str:
        return f"广东省（{PROVINCE}）" if party == PROVINCE else label(self.roster, party)


def at_least(share: float, base: int) -> int:
    """ceil(share × base), rounded first so that 10% of 4,000 is 400."""
    return math.ceil(round(share * base, 6))


def _sum(rows: Iterable[Row], key: Callable[[Row], tuple], column: str = "people") -> dict[tuple, int]:
    totals: dict[tuple, int] = defaultdict(int)
    for row in rows:
        totals[key(row)] += row.n(column)
    return totals


class Table:
    def __init__(self, rows: Sequence[Row]):
        self.by_flow: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            self.by_flow[row.flow].append(row)

    def of(self, *flows: str) -> list[Row]:
        return [row for flow in flows for row in self.by_flow.get(flow, [])]


Check = Callable[[Facts, Table], list[Violation]]


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
    need = int(facts.param("R07", "teams_per_county_min"))
    found = []
    for row in rows:
        found += _team_row_problems(facts, row)
    teams = _sum(rows, lambda r: (r.year, r.to_id), "teams")
    for year in facts.years:
        for county in facts.counties:
            got = teams.get((year, county), 0)
            if got < need:
                found.append(_violation("R07", f"{year}: {facts.label(county)} receives {got} teaching team"
                                               f"{'' if got == 1 else 's'}; it needs at least {need} a year "
                                               f"({R07_CLAUSE}).", county))
    for (year, supporter), people in sorted(_sum(rows, lambda r: (r.year, r.from_id)).items()):
        allowed = facts.capacity(supporter, "send_capacity", "R07", "send_share", "send_capacity")
        if people > allowed:
            found.append(_violation("R07", f"{year}: {facts.label(supporter)} sends {people} people in teaching teams, "
                                           f"more than the {allowed} it can send a year ({R07_CLAUSE}).", supporter))
    return found


def _team_row_problems(facts: Facts, row: Row) -> list[Violation]:
    head = f"{row.year}: the teaching team of {facts.label(row.from_id)} → {facts.label(row.to_id)}"
    found = []
    if row.to_id not in facts.county_set:
        return [_violation("R07", f"{head} goes to a party that is not a receiving county ({R07_CLAUSE}).",
                           row.from_id, row.to_id)]
    if row.from_id not in facts.supporters(row.to_id):
        found.append(_violation("R07", f"{head} is sent by a party that is not one of the county's supporters in the "
                                       f"pairs ({R07_CLAUSE}).", row.from_id, row.to_id))
    teams = row.n("teams")
    posts = {p: row.n(p) for p in ("leaders", "managers", "teachers")}
    if teams < 1:
        found.append(_violation("R07", f"{head} has {teams} teams in its row ({R07_CLAUSE}).", row.from_id, row.to_id))
    missing = [p for p, n in posts.items() if n < teams]
    if missing:
        found.append(_violation("R07", f"{head} lacks {', '.join(missing)}: every team has school leaders, middle "
                                       f"managers and subject teachers ({R07_CLAUSE}).", row.from_id, row.to_id))
    if row.n("people") != sum(posts.values()):
        found.append(_violation("R07", f"{head} counts {row.n('people')} people but {sum(posts.values())} posts "
                                       f"({R07_CLAUSE}).", row.from_id, row.to_id))
    if row.to_site and facts.school_area(row.to_site) != row.to_id:
        found.append(_violation("R07", f"{head} is stationed at {facts.label(row.to_site)}, which is not a school of "
                                       f"the county ({R07_CLAUSE}).", row.from_id, row.to_id, row.to_site))
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
    ratio = int(facts.param("R08", "shadow_ratio"))
    teams, shadows = table.of("teaching_team"), table.of("shadow")
    found = []
    team_people = _sum(teams, lambda r: (r.year, r.from_id, r.to_id))
    shadow_people = _sum(shadows, lambda r: (r.year, r.to_id, r.from_id))
    for key in sorted(set(team_people) | set(shadow_people)):
        year, supporter, county = key
        want, got = ratio * team_people.get(key, 0), shadow_people.get(key, 0)
        if want != got:
            found.append(_violation("R08", f"{year}: {facts.label(county)} sends {got} shadows to {facts.label(supporter)}, "
                                           f"whose teaching teams there have {team_people.get(key, 0)} members; the ratio "
                                           f"is {ratio}:1 ({R08_CLAUSE}).", county, supporter))
    found += _shadow_posts(facts, teams, shadows, ratio)
    found += _one_site_per_school(facts, shadows)
    for row in shadows:
        if row.to_site and not _in_supporting_area(facts, row.to_site, row.to_id):
            found.append(_violation("R08", f"{row.year}: shadows of {facts.label(row.from_id)} go to "
                                           f"{facts.label(row.to_site)}, which is not in the area of "
                                           f"{facts.label(row.to_id)} ({R08_CLAUSE}).", row.from_id, row.to_id, row.to_site))
    return found


def _shadow_posts(facts: Facts, teams: Sequence[Row], shadows: Sequence[Row], ratio: int) -> list[Violation]:
    """At each receiving school, the shadows hold the team's posts and go to the team's home site."""
    def key(year: int, supporter: str, county: str, school: str) -> tuple:
        return (year, supporter, county, school)

    team_posts: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(POSTS, 0))
    team_home: dict[tuple, set[str]] = defaultdict(set)
    for row in teams:
        k = key(row.year, row.from_id, row.to_id, row.to_site)
        for post in POSTS:
            team_posts[k][post] += ratio * row.n(post)
        team_home[k].add(row.from_site)
    shadow_posts: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(POSTS, 0))
    shadow_home: dict[tuple, set[str]] = defaultdict(set)
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
            found.append(_violation("R08", f"{year}: the shadows of {where} at {facts.label(supporter)} hold posts "
                                           f"{_posts(shadow_posts.get(k))}, but its teams hold {_posts(team_posts.get(k))}; "
                                           f"shadows take the matching posts ({R08_CLAUSE}).", county, supporter, school))
        elif k in team_home and shadow_home.get(k) != team_home[k]:
            found.append(_violation("R08", f"{year}: the shadows of {where} go to {_sites(facts, shadow_home.get(k))}, "
                                           f"not to the home site of its teams, {_sites(facts, team_home[k])}, whose "
                                           f"posts they take over ({R08_CLAUSE}).", county, supporter, school))
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
            found.append(_violation("R08", f"{year}: the shadows of {facts.label(school)} go to {len(where)} places "
                                           f"({names}); people of one receiving school shadow at one school "
                                           f"({R08_CLAUSE}).", school, *(s or p for p, s in where)))
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
    low, high = int(facts.param("R09", "backbone_min")), int(facts.param("R09", "backbone_max"))
    rows = table.of("backbone_shadow")
    found = []
    for row in rows:
        if row.from_id not in facts.county_set or row.to_id not in facts.supporters(row.from_id, BACKBONE_HOSTS):
            found.append(_violation("R09", f"{row.year}: backbone teachers go from {facts.label(row.from_id)} to "
                                           f"{facts.label(row.to_id)}, which is not its city or county partner, paired "
                                           f"institute or normal university ({R09_CLAUSE}).", row.from_id, row.to_id))
    sent = _sum(rows, lambda r: (r.year, r.from_id))
    for year in facts.years:
        for county in facts.counties:
            got = sent.get((year, county), 0)
            if not low <= got <= high:
                found.append(_violation("R09", f"{year}: {facts.label(county)} sends {got} backbone teachers to its "
                                               f"supporters; it sends {low}–{high} a year ({R09_CLAUSE}).", county))
    hosted = _sum(table.of("backbone_shadow", "leader_shadow", "manager_shadow"), lambda r: (r.year, r.to_id))
    for (year, host), people in sorted(hosted.items()):
        allowed = facts.capacity(host, "host_capacity", "R09", "host_share", "host_capacity")
        if people > allowed:
            found.append(_violation("R09", f"{year}: {facts.label(host)} hosts {people} backbone teachers, leaders and "
                                           f"managers, more than the {allowed} it can host a year ({R09_CLAUSE}).", host))
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
        ("leader_shadow", int(facts.param("R10", "leaders_min")), int(facts.param("R10", "leaders_max")), "school leaders"),
        ("manager_shadow", int(facts.param("R10", "managers_min")), int(facts.param("R10", "managers_max")),
         "middle managers"),
    ):
        rows = table.of(flow)
        for row in rows:
            if row.to_id not in facts.prd_partners(row.from_id):
                found.append(_violation("R10", f"{row.year}: {what} go from {facts.label(row.from_id)} to "
                                               f"{facts.label(row.to_id)}, which is not its PRD partner ({R10_CLAUSE}).",
                                        row.from_id, row.to_id))
        sent = _sum(rows, lambda r: (r.year, r.from_id))
        for year in facts.years:
            for receiver in [*facts.cities, *facts.counties]:
                got = sent.get((year, receiver), 0)
                if not low <= got <= high:
                    found.append(_violation("R10", f"{year}: {facts.label(receiver)} sends {got} {what} to its PRD "
                                                   f"partner; it sends {low}–{high} a year ({R10_CLAUSE}).", receiver))
    return found


# --- R11 school exchanges --------------------------------------------------------------------

R11_CLAUSE = "R11, annex 2, clause 5"


def check_r11_school_exchanges(facts: Facts, table: Table) -> list[Violation]:
    """R11: '结对帮扶中小学学校之间，帮扶周期内每年要各安排1名学校领导班子成员或中层干部到对方学校挂职锻炼或跟岗学习。'

    For every pair of areas holding school pairs (school_school), each year the supporting area
    sends and receives at least `exchange_per_school_pair` people per school pair.
    """
    per = int(facts.param("R11", "exchange_per_school_pair"))
    sent = _sum(table.of("school_exchange"), lambda r: (r.year, r.from_id, r.to_id))
    found = []
    for (unit, county), n in sorted(facts.school_pairs.items()):
        for year in facts.years:
            for source, target in ((unit, county), (county, unit)):
                got = sent.get((year, source, target), 0)
                if got < n * per:
                    found.append(_violation("R11", f"{year}: {facts.label(source)} sends {got} leaders or middle managers "
                                                   f"to its paired schools in {facts.label(target)}; its {n} school pairs "
                                                   f"need {n * per} ({R11_CLAUSE}).", source, target))
    return found


# --- R12, R13, R15, R16 training -------------------------------------------------------------

R12_CLAUSE = "R12, annex 2, clauses 2 and 3"
R13_CLAUSE = "R13, annex 2, clause 12"
R15_CLAUSE = "R15, annex 2, clause 15"
R16_CLAUSE = "R16, annex 2, task 信息技术"


def _principals(facts: Facts, county: str) -> int:
    """One principal per school of the roster (the areas.csv estimate when the county lists none)."""
    return facts.schools_in.get(county, 0) or facts.roster.areas[county].schools


def _training(facts: Facts, table: Table, flow: str, rule: str, clause: str, trainers: frozenset[str],
              need: Callable[[str], int], what: str) -> list[Violation]:
    rows = table.of(flow)
    found = []
    for row in rows:
        if row.to_id not in facts.county_set or row.from_id not in facts.supporters(row.to_id, trainers):
            found.append(_violation(rule, f"{row.year}: {what} of {facts.label(row.to_id)} by {facts.label(row.from_id)}, "
                                          f"which may not train them ({', '.join(sorted(trainers))} of the county may; "
                                          f"{clause}).", row.from_id, row.to_id))
    trained = _sum(rows, lambda r: (r.year, r.to_id))
    for county in facts.counties:
        want = need(county)
        for year in facts.years:
            got = trained.get((year, county), 0)
            if got < want:
                found.append(_violation(rule, f"{year}: {facts.label(county)} has {got} {what}; it needs at least {want} "
                                              f"a year ({clause}).", county))
    return found


def _length(facts: Facts, table: Table, flow: str, rule: str, clause: str, days: int, hours: int,
            either: bool) -> list[Violation]:
    found = []
    for row in table.of(flow):
        long_enough = (row.n("days") >= days or row.n("hours") >= hours) if either else \
            (row.n("days") >= days and row.n("hours") >= hours)
        if not long_enough:
            joint = "or" if either else "and"
            found.append(_violation(rule, f"{row.year}: the {flow} of {facts.label(row.to_id)} by {facts.label(row.from_id)} "
                                          f"lasts {row.n('days')} days / {row.n('hours')} hours; it needs {days} days "
                                          f"{joint} {hours} hours ({clause}).", row.from_id, row.to_id))
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
    days, hours = int(facts.param("R12", "min_days")), int(facts.param("R12", "min_hours"))
    principal, reserve = facts.param("R12", "principal_share"), facts.param("R12", "reserve_share")
    deputies = int(facts.param("R12", "deputies_per_school"))
    found = _training(facts, table, "principal_programme", "R12", R12_CLAUSE, trainers,
                      lambda c: at_least(principal, _principals(facts, c)), "principals in a high-end programme")
    found += _training(facts, table, "reserve_principal_programme", "R12", R12_CLAUSE, trainers,
                       lambda c: at_least(reserve, _principals(facts, c) * deputies),
                       "vice principals and middle managers in a reserve-principal programme")
    for flow in ("principal_programme", "reserve_principal_programme"):
        found += _length(facts, table, flow, "R12", R12_CLAUSE, days, hours, either=True)
    return found


def check_r13_backbone_training(facts: Facts, table: Table) -> list[Violation]:
    """R13: '按照受援地区教师总数10%的比例，遴选中小学骨干教师，由支援市、县、教研机构（教师发展机构）、师范类院校、
    非师范类院校组织开展为期1年在职连续培养（多次集中，累计不少于30天或180学时）。'

    Every year at least `share` of every receiving county's teachers, trained by its supporters,
    for at least `min_days` days or `min_hours` hours.
    """
    share = facts.param("R13", "share")
    found = _training(facts, table, "backbone_training", "R13", R13_CLAUSE, ALL_KINDS,
                      lambda c: at_least(share, facts.roster.areas[c].teachers), "teachers in backbone training")
    found += _length(facts, table, "backbone_training", "R13", R13_CLAUSE, int(facts.param("R13", "min_days")),
                     int(facts.param("R13", "min_hours")), either=True)
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
    deadline = int(facts.param("R15", "full_coverage_by"))
    deadline = deadline if deadline in facts.years else facts.years[-1]
    found = []
    for row in rows:
        if row.to_id not in facts.county_set or row.from_id not in facts.supporters(row.to_id, trainers):
            found.append(_violation("R15", f"{row.year}: full training of {facts.label(row.to_id)} by "
                                           f"{facts.label(row.from_id)}, which is not its city or county partner or "
                                           f"normal university ({R15_CLAUSE}).", row.from_id, row.to_id))
        if row.n("online_hours") < facts.param("R15", "online_hours"):
            found.append(_violation("R15", f"{row.year}: the full training of {facts.label(row.to_id)} by "
                                           f"{facts.label(row.from_id)} has {row.n('online_hours')} online hours; it needs "
                                           f"{int(facts.param('R15', 'online_hours'))} ({R15_CLAUSE}).", row.from_id, row.to_id))
    found += _length(facts, table, "full_training", "R15", R15_CLAUSE, int(facts.param("R15", "face_to_face_days")),
                     int(facts.param("R15", "face_to_face_hours")), either=False)
    trained = _sum((r for r in rows if r.year <= deadline), lambda r: (r.to_id,))
    for county in facts.counties:
        teachers, got = facts.roster.areas[county].teachers, trained.get((county,), 0)
        if got < teachers:
            found.append(_violation("R15", f"{facts.label(county)} has {got} of its {teachers} teachers trained by "
                                           f"{deadline}; every teacher is trained by then ({R15_CLAUSE}).", county))
    return found


def check_r16_it_training(facts: Facts, table: Table) -> list[Violation]:
    """R16: '支援市、县、教研机构（教师发展机构）、师范类院校、非师范类院校采取集中面授与网络研修相结合方式，每年组织
    受援地区5%教师进行5天（30学时）专门培训。'

    Every year at least `share` of every receiving county's teachers get `days` days (`hours`
    hours) of IT training from its supporters.
    """
    share = facts.param("R16", "share")
    found = _training(facts, table, "it_training", "R16", R16_CLAUSE, ALL_KINDS,
                      lambda c: at_least(share, facts.roster.areas[c].teachers), "teachers in IT training")
    found += _length(facts, table, "it_training", "R16", R16_CLAUSE, int(facts.param("R16", "days")),
                     int(facts.param("R16", "hours")), either=False)
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
    share, ratio = facts.param("R14", "intern_share"), int(facts.param("R14", "interns_per_teacher"))
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
            found.append(_violation("R14", f"{row.year}: {row.flow} between {facts.label(university)} and "
                                           f"{facts.label(city)}, which are not a normal-university pair ({R14_CLAUSE}).",
                                    university, city))
        if not row.source.startswith("estimate"):
            found.append(_violation("R14", f"{row.year}: the {row.flow} of {facts.label(university)} → {facts.label(city)} "
                                           f"rests on an estimate of student numbers but does not say so in its source "
                                           f"({R14_CLAUSE}).", university, city))
    interns = _sum(placements, lambda r: (r.year, r.from_id))
    per_city = _sum(placements, lambda r: (r.year, r.from_id, r.to_id))
    released = _sum(releases, lambda r: (r.year, r.to_id, r.from_id))
    for university in sorted(cities_of):
        level = facts.roster.universities[university].level
        students = int(facts.param("R14", "student_teachers_undergraduate" if level == UniversityLevel.UNDERGRADUATE
                                   else "student_teachers_junior_college"))
        want = round(share * students)
        for year in facts.years:
            got = interns.get((year, university), 0)
            if got < want:
                found.append(_violation("R14", f"{year}: {facts.label(university)} sends {got} student-teacher interns; "
                                               f"about {share:.0%} of its {students:,} student teachers (an estimate) is "
                                               f"{want} ({R14_CLAUSE}).", university))
            for city in sorted(cities_of[university]):
                took, freed = per_city.get((year, university, city), 0), released.get((year, university, city), 0)
                if freed != took // ratio:
                    found.append(_violation("R14", f"{year}: {facts.label(city)} takes {took} interns of "
                                                   f"{facts.label(university)} and releases {freed} teachers; {ratio}:1 "
                                                   f"releases {took // ratio} ({R14_CLAUSE}).", university, city))
    return found


def check_r17_universities(facts: Facts, table: Table) -> list[Violation]:
    """R17: '每校每年接收受训教师不少于100人。……每年至少在受援地区开展2次交流活动。'

    Every paired university (normal or not) takes at least `trainees_min` trainee teachers a year
    from its receivers and holds at least `exchanges_min` exchange activities a year there.
    """
    trainees_min, exchanges_min = int(facts.param("R17", "trainees_min")), int(facts.param("R17", "exchanges_min"))
    receivers_of: dict[str, set[str]] = defaultdict(set)
    for university, receiver in facts.university_pairs:
        uni = facts.roster.universities.get(university)
        if uni is not None and uni.role == UniversityRole.SUPPORTER:
            receivers_of[university].add(receiver)
    found = []
    trainees, exchanges = table.of("university_trainees"), table.of("university_exchange")
    for row in trainees + exchanges:
        university, receiver = (row.to_id, row.from_id) if row.flow == "university_trainees" else (row.from_id, row.to_id)
        if receiver not in receivers_of.get(university, set()):
            found.append(_violation("R17", f"{row.year}: {row.flow} between {facts.label(university)} and "
                                           f"{facts.label(receiver)}, which are not paired ({R17_CLAUSE}).",
                                    university, receiver))
    took = _sum(trainees, lambda r: (r.year, r.to_id))
    held = _sum(exchanges, lambda r: (r.year, r.from_id), "activities")
    for university in sorted(receivers_of):
        for year in facts.years:
            if took.get((year, university), 0) < trainees_min:
                found.append(_violation("R17", f"{year}: {facts.label(university)} takes {took.get((year, university), 0)} "
                                               f"trainee teachers; it takes at least {trainees_min} a year ({R17_CLAUSE}).",
                                        university))
            if held.get((year, university), 0) < exchanges_min:
                found.append(_violation("R17", f"{year}: {facts.label(university)} holds {held.get((year, university), 0)} "
                                               f"exchange activities in its receiving area; at least {exchanges_min} a year "
                                               f"({R17_CLAUSE}).", university))
    return found


# --- R18 education groups, R19 institute visits ----------------------------------------------

R18_CLAUSE = "R18, annex 2, clause 25"
R19_CLAUSE = "R19, annex 2, clause 20"


def check_r18_education_groups(facts: Facts, table: Table) -> list[Violation]:
    """R18: '25.组建跨区域教育集团。……每个帮扶周期内，对口帮扶县区之间至少组建1个教育集团。'

    Every county pair forms at least `groups_per_pair_min` education groups in the round, led by
    a school of the supporting unit with a school of the receiving county as member.
    """
    need = int(facts.param("R18", "groups_per_pair_min"))
    rows = table.of("education_group")
    found = []
    for row in rows:
        if facts.county_partner.get(row.to_id) != row.from_id:
            found.append(_violation("R18", f"{row.year}: an education group of {facts.label(row.from_id)} and "
                                           f"{facts.label(row.to_id)}, which are not a county pair ({R18_CLAUSE}).",
                                    row.from_id, row.to_id))
        for site, area in ((row.from_site, row.from_id), (row.to_site, row.to_id)):
            if site and facts.school_area(site) != area:
                found.append(_violation("R18", f"{row.year}: the education group of {facts.label(row.from_id)} → "
                                               f"{facts.label(row.to_id)} names {facts.label(site)}, which is not a school "
                                               f"of {facts.label(area)} ({R18_CLAUSE}).", row.from_id, row.to_id, site))
    groups = _sum(rows, lambda r: (r.from_id, r.to_id), "activities")
    for county, unit in sorted(facts.county_partner.items()):
        got = groups.get((unit, county), 0)
        if got < need:
            found.append(_violation("R18", f"The county pair {facts.label(unit)} → {facts.label(county)} forms {got} "
                                           f"education groups in round {facts.round}; it forms at least {need} "
                                           f"({R18_CLAUSE}).", unit, county))
    return found


def check_r19_institute_visits(facts: Facts, table: Table) -> list[Violation]:
    """R19: '支援地区教研机构（教师发展机构）到受援地区指导讲学、开展专题培训，……每年不少于5次，每年的教研活动均应
    实现各学科全覆盖。'

    Every institute pair has at least `visits_min` visits a year, and the year's visits cover
    every subject of solver.rules.SUBJECTS.
    """
    need = int(facts.param("R19", "visits_min"))
    rows = table.of("institute_visit")
    found = []
    for row in rows:
        if (row.from_id, row.to_id) not in facts.institute_pairs:
            found.append(_violation("R19", f"{row.year}: a visit of {facts.label(row.from_id)} to {facts.label(row.to_id)}, "
                                           f"which are not an institute pair ({R19_CLAUSE}).", row.from_id, row.to_id))
    visits = _sum(rows, lambda r: (r.year, r.from_id, r.to_id), "activities")
    covered: dict[tuple, set[str]] = defaultdict(set)
    for row in rows:
        covered[(row.year, row.from_id, row.to_id)] |= row.subjects
    for supporter, receiver in sorted(facts.institute_pairs):
        for year in facts.years:
            key = (year, supporter, receiver)
            if visits.get(key, 0) < need:
                found.append(_violation("R19", f"{year}: {facts.label(supporter)} visits {facts.label(receiver)} "
                                               f"{visits.get(key, 0)} times; at least {need} a year ({R19_CLAUSE}).",
                                        supporter, receiver))
            missing = [s for s in SUBJECTS if s not in covered.get(key, set())]
            if missing:
                found.append(_violation("R19", f"{year}: the visits of {facts.label(supporter)} to {facts.label(receiver)} "
                                               f"leave out {'、'.join(missing)}; each year covers every subject "
                                               f"({R19_CLAUSE}).", supporter, receiver))
    return found


# --- R20 budget ------------------------------------------------------------------------------

R20_CLAUSE = "R20, annex 2, clause 33"
DUTY_SIDE = {"teaching_team": "from", "shadow": "to", "backbone_shadow": "to", "leader_shadow": "to",
             "manager_shadow": "to", "school_exchange": "supporter"}


def check_r20_budget(facts: Facts, table: Table) -> list[Violation]:
    """R20: '33.支教或跟岗的校长、教师补助经费。……支教、跟岗等人员的工作经费标准不低于人均每年4万元。'
    ('支援方按照"带任务、带资金"模式参与帮扶', clause 21: the supporter pays.)

    Every year, each supporter's budget row counts the people on teaching or shadowing duty it
    sends or hosts (teaching teams, shadows, backbone teachers, leaders, managers, school
    exchanges) and gives at least `yuan_per_person_min` yuan for each.
    """
    rate = int(facts.param("R20", "yuan_per_person_min"))
    receivers = facts.county_set | set(facts.cities)
    duty: dict[tuple[int, str], int] = defaultdict(int)
    for flow, side in DUTY_SIDE.items():
        for row in table.of(flow):
            if side == "supporter":
                payer = row.to_id if row.from_id in receivers else row.from_id
            else:
                payer = row.from_id if side == "from" else row.to_id
            duty[(row.year, payer)] += row.n("people")
    budgeted = _sum(table.of("budget"), lambda r: (r.year, r.from_id))
    funds = _sum(table.of("budget"), lambda r: (r.year, r.from_id), "yuan")
    found = []
    for key in sorted(set(duty) | set(budgeted)):
        year, payer = key
        people, counted, yuan = duty.get(key, 0), budgeted.get(key, 0), funds.get(key, 0)
        if counted != people:
            found.append(_violation("R20", f"{year}: the budget of {facts.label(payer)} counts {counted} people, but it "
                                           f"sends or hosts {people} on teaching or shadowing duty ({R20_CLAUSE}).", payer))
        if yuan < rate * people:
            found.append(_violation("R20", f"{year}: {facts.label(payer)} budgets {yuan:,} yuan for {people} people on duty; "
                                           f"at least {rate:,} yuan a person is {rate * people:,} ({R20_CLAUSE}).", payer))
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
    total = int(facts.param("R22", "province_person_times"))
    days = int(facts.param("R22", "supporter_days_min"))
    tours = table.of("famous_teacher_tour")
    found = []
    for row in tours:
        school = facts.roster.schools.get(row.to_site)
        if row.from_id != PROVINCE or row.to_id not in facts.county_set:
            found.append(_violation("R22", f"{row.year}: a lecture tour {facts.label(row.from_id)} → {facts.label(row.to_id)} "
                                           f"is not the province's to a receiving county ({R22_CLAUSE}).",
                                    row.from_id, row.to_id))
        elif row.to_site and (school is None or school.area_id != row.to_id or school.location != Location.TOWNSHIP):
            found.append(_violation("R22", f"{row.year}: the lecture tour to {facts.label(row.to_id)} visits "
                                           f"{facts.label(row.to_site)}, which is not one of its 乡镇 schools "
                                           f"({R22_CLAUSE}).", row.to_id, row.to_site))
    sent = _sum(tours, lambda r: (r.year,))
    for year in facts.years:
        if sent.get((year,), 0) < total:
            found.append(_violation("R22", f"{year}: the province sends {sent.get((year,), 0)} person-times of famous "
                                           f"teachers on lecture tours; at least {total} a year ({R22_CLAUSE}).", PROVINCE))
    weeks: dict[tuple[int, str, str], int] = defaultdict(int)
    for row in table.of("famous_teacher_week"):
        if row.n("people") >= 1 and row.n("days") >= days:
            weeks[(row.year, row.from_id, row.to_id)] += 1
    pairs = sorted([(s, r) for r, s in facts.city_partner.items()] + [(s, r) for r, s in facts.county_partner.items()])
    for supporter, receiver in pairs:
        for year in facts.years:
            if not weeks.get((year, supporter, receiver)):
                found.append(_violation("R22", f"{year}: {facts.label(supporter)} sends no famous teachers to "
                                               f"{facts.label(receiver)} for a week ({days} days or more) ({R22_CLAUSE}).",
                                        supporter, receiver))
    return found


# --- all together ----------------------------------------------------------------------------

RULE_CHECKS: dict[str, Check] = {
    "R07": check_r07_teaching_teams,
    "R08": check_r08_shadows,
    "R09": check_r09_backbone_teachers,
    "R10": check_r10_leaders_and_managers,
    "R11": check_r11_school_exchanges,
    "R12": check_r12_principal_programmes,
    "R13": check_r13_backbone_training,
    "R14": check_r14_interns,
    "R15": check_r15_full_training,
    "R16": check_r16_it_training,
    "R17": check_r17_universities,
    "R18": check_r18_education_groups,
    "R19": check_r19_institute_visits,
    "R20": check_r20_budget,
    "R22": check_r22_famous_teachers,
}
CHECKED_RULES: tuple[str, ...] = (*RULE_CHECKS, DEPLOY_RULE)


def check_deployments(roster: Roster, pairs: Sequence[Pair], table: bytes | str | Sequence[Mapping[str, str]],
                      round_id: str, rules: RuleSet = DEFAULT_RULES) -> list[Violation]:
    """Every violation of the deployment rules, sorted by (rule, ids, message), each reported once.

    `table` is deployments.csv (bytes or text) or its rows as dicts of cells.
    """
    records = table_records(table) if isinstance(table, (bytes, str)) else list(table)
    rows, found = read_rows(records, round_id)
    facts, indexed = Facts(roster, rules, round_id, pairs), Table(rows)
    result = set(found)
    for check in RULE_CHECKS.values():
        result.update(check(facts, indexed))
    return sorted(result, key=lambda v: v.sort_key)
