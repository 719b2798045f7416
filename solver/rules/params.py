"""The typed parameters of each rule and the weights of the objectives, each with its range.

Every number has a type and a range: a count given 3.5, a share given 1.5 or a weight given
`true` is refused with the rule, the parameter and the file named (solver.rules.ruleset).
Defaults are the policy's values where the text gives one; the rest are planning defaults and
say so.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, Strict, model_validator

from solver.domain.kinds import Kind

Count = Annotated[int, Field(ge=0, le=1_000_000)]
Positive = Annotated[int, Field(ge=1, le=1_000_000)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]
Year = Annotated[int, Field(ge=2021, le=2035)]
Yuan = Annotated[int, Field(ge=0, le=100_000_000)]
Points = Annotated[int, Field(ge=0, le=100_000_000)]
KindName = Annotated[Kind, Strict(False)]  # rules.toml and stored plans name kinds as strings


class Params(BaseModel):
    """The parameters of one rule; `rule_id` names the rule of the catalogue they belong to."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)
    rule_id: ClassVar[str] = ""


def _ordered(low: int, high: int, what: str) -> None:
    if low > high:
        raise ValueError(f"{what}: the minimum {low} is above the maximum {high}")


class NoParams(Params):
    pass


class R03(Params):
    rule_id: ClassVar[str] = "R03"
    max_universities_per_receiver: Positive = Field(
        2, description="planning default, not policy: 140 universities over 99 receivers, at most 2 each spreads them"
    )


class R07(Params):
    rule_id: ClassVar[str] = "R07"
    teams_per_county_min: Count = Field(3, description="policy: '每个受援县每年至少接受3个支教团'")
    team_leaders: Count = Field(1, description="planning default: a team's make-up is not fixed by the policy")
    team_managers: Count = Field(2, description="planning default")
    team_teachers: Count = Field(7, description="planning default")
    send_share: Share = Field(
        0.02,
        description="planning default: people a county-level unit sends a year, "
        "as a share of its teachers, when its send_capacity is empty",
    )
    city_send_share: Share = Field(
        0.002,
        description="planning default: the same for a PRD city (its city-level "
        "schools), of its supporting units' teachers",
    )
    university_send_capacity: Count = Field(10, description="planning default: people a university sends a year")
    institute_send_capacity: Count = Field(10, description="planning default: people an institute sends a year")

    @model_validator(mode="after")
    def _team_has_people(self) -> Self:
        if self.team_leaders + self.team_managers + self.team_teachers == 0:
            raise ValueError("a teaching team needs at least one person (team_leaders + team_managers + team_teachers)")
        return self

    @property
    def team_size(self) -> int:
        return self.team_leaders + self.team_managers + self.team_teachers


class R08(Params):
    rule_id: ClassVar[str] = "R08"
    shadow_ratio: Positive = Field(1, description="policy: '按照1:1的比例'")


class R09(Params):
    rule_id: ClassVar[str] = "R09"
    backbone_min: Count = Field(30, description="policy: '每年选派30—50名骨干教师'")
    backbone_max: Count = Field(50, description="policy")
    host_share: Share = Field(
        0.02,
        description="planning default: people a county-level unit hosts a year (R09 "
        "backbone teachers, R10 leaders and managers), as a share of its "
        "teachers, when its host_capacity is empty",
    )
    city_host_share: Share = Field(
        0.003, description="planning default: the same for a PRD city, of its supporting units' teachers"
    )
    university_host_capacity: Count = Field(50, description="planning default: people a university hosts a year")
    institute_host_capacity: Count = Field(30, description="planning default: people an institute hosts a year")

    @model_validator(mode="after")
    def _range(self) -> Self:
        _ordered(self.backbone_min, self.backbone_max, "backbone teachers")
        return self


class R10(Params):
    rule_id: ClassVar[str] = "R10"
    leaders_min: Count = Field(5, description="policy: '5—10名的中小学校领导'")
    leaders_max: Count = Field(10, description="policy")
    managers_min: Count = Field(20, description="policy: '20—30名的学校中层管理人员'")
    managers_max: Count = Field(30, description="policy")

    @model_validator(mode="after")
    def _range(self) -> Self:
        _ordered(self.leaders_min, self.leaders_max, "school leaders")
        _ordered(self.managers_min, self.managers_max, "middle managers")
        return self


class R11(Params):
    rule_id: ClassVar[str] = "R11"
    exchange_per_school_pair: Count = Field(1, description="policy: '每年要各安排1名'")


class R12(Params):
    rule_id: ClassVar[str] = "R12"
    principal_share: Share = Field(0.02, description="policy: '每年遴选受援市县2%的优秀骨干校长'")
    reserve_share: Share = Field(0.05, description="policy: '每年遴选受援地区5%的副校长、优秀中层干部'")
    min_days: Count = Field(30, description="policy: '累计不少于30天或180学时'")
    min_hours: Count = Field(180, description="policy")
    deputies_per_school: Count = Field(
        4,
        description="estimate: vice principals and middle managers per school "
        "(the roster has no head counts of leaders)",
    )


class R13(Params):
    rule_id: ClassVar[str] = "R13"
    share: Share = Field(0.10, description="policy: '按照教师队伍总数10%的比例'")
    min_days: Count = Field(30, description="policy: '累计不少于30天或180学时'")
    min_hours: Count = Field(180, description="policy")


class R14(Params):
    rule_id: ClassVar[str] = "R14"
    intern_share: Share = Field(0.10, description="policy: '每年组织10%左右的师范生'")
    interns_per_teacher: Positive = Field(2, description="policy: '按照2:1的比例置换教师'")
    student_teachers_undergraduate: Count = Field(
        8000, description="estimate: student teachers (师范生) of an undergraduate normal university"
    )
    student_teachers_junior_college: Count = Field(3000, description="estimate: the same for a junior college")


class R15(Params):
    rule_id: ClassVar[str] = "R15"
    face_to_face_days: Count = Field(12, description="policy: '不少于12天（72学时）的面授培训'")
    face_to_face_hours: Count = Field(72, description="policy")
    online_hours: Count = Field(60, description="policy: '不少于60学时的网络研修'")
    full_coverage_by: Year = Field(2025, description="policy: '2025年前实现受援地区教师全覆盖'")


class R16(Params):
    rule_id: ClassVar[str] = "R16"
    share: Share = Field(0.05, description="policy: '每年组织受援地区5%教师'")
    days: Count = Field(5, description="policy: '5天（30学时）'")
    hours: Count = Field(30, description="policy")


class R17(Params):
    rule_id: ClassVar[str] = "R17"
    trainees_min: Count = Field(100, description="policy: '每校每年接收受训教师不少于100人'")
    exchanges_min: Count = Field(2, description="policy: '每年至少在受援地区开展2次交流活动'")


class R18(Params):
    rule_id: ClassVar[str] = "R18"
    groups_per_pair_min: Count = Field(1, description="policy: '至少组建1个教育集团'")


class R19(Params):
    rule_id: ClassVar[str] = "R19"
    visits_min: Count = Field(5, description="policy: '每年不少于5次'")


class R20(Params):
    rule_id: ClassVar[str] = "R20"
    yuan_per_person_min: Yuan = Field(40000, description="policy: '不低于人均每年4万元'")


class R22(Params):
    rule_id: ClassVar[str] = "R22"
    province_person_times: Count = Field(200, description="policy: '省每年组织200人次'")
    supporter_days_min: Count = Field(7, description="policy: '不少于1周'")
    supporter_people: Count = Field(
        3, description="planning default: famous teachers a supporting city or county sends for its week"
    )


class R23(Params):
    rule_id: ClassVar[str] = "R23"
    hard_kinds: list[KindName] = Field(
        default_factory=lambda: [Kind.CITY_CITY],
        description="planning choice: the kinds whose ties are kept where feasible: a receiver with "
        "ties of such a kind takes one of its tied supporters (a tied university one of its tied "
        "receivers); a coordinator's pins still win, and where the ties cannot all hold the plan "
        "weighs them instead and says so. Default: the city pairs of the earlier rounds",
    )


class R24(Params):
    rule_id: ClassVar[str] = "R24"
    teachers_share: Share = Field(
        0.5,
        description="planning default: a supporter city's strength weighs its "
        "teachers by this much and its GDP by the rest",
    )
    city_capacity_slack: Count = Field(
        1,
        description="planning default: receiving cities a supporter city may "
        "take beyond its share, when its capacity is empty",
    )
    unit_capacity_slack: Count = Field(
        1,
        description="planning default: receiving counties a supporter unit may "
        "take beyond its share, when its capacity is empty",
    )


class R25(Params):
    rule_id: ClassVar[str] = "R25"


class R26(Params):
    rule_id: ClassVar[str] = "R26"
    school_partners_max: Positive = Field(
        4, description="planning default: receiving schools one PRD school partners in school_school pairs"
    )
    intra_partners_max: Positive = Field(
        6,
        description="planning default: 乡镇 and 村 schools one urban school of "
        "a receiving county partners in intra_region pairs",
    )
    institute_partners_max: Positive = Field(
        12, description="planning default: receiving institutes one institute partners (R19's ≥5 visits each a year)"
    )


class R27(Params):
    rule_id: ClassVar[str] = "R27"
    face_to_face_days: Count = Field(
        12, description="policy: '3年内组织受援地区校长参加不少于12天（72学时）的面授培训'"
    )
    face_to_face_hours: Count = Field(72, description="policy")
    online_hours: Count = Field(60, description="policy: '不少于60学时的网络研修'")
    within_years: Positive = Field(3, description="policy: '3年内': every principal trained in the round's first years")


class R28(Params):
    rule_id: ClassVar[str] = "R28"
    by: Year = Field(2025, description="policy: '2025年前…校长全员达到本科以上学历，幼儿园园长全员达到专科以上学历'")
    study_years: Positive = Field(
        2,
        description="planning default: years of part-time study for a degree (专升本, 中专→专科); a cohort "
        "that starts in year y holds its degree at the end of year y + study_years − 1",
    )


class R29(Params):
    rule_id: ClassVar[str] = "R29"
    by: Year = Field(
        2025,
        description="planning default: the policy sets no year for '学历全员达标'; the main plan's degree "
        "targets are for 2025",
    )
    study_years: Positive = Field(2, description="planning default: as R28's")


class R30(Params):
    rule_id: ClassVar[str] = "R30"
    practice_days: Positive = Field(30, description="policy: '在师范生培养周期内不少于30天'")
    study_years_undergraduate: Positive = Field(
        4, description="policy of degrees: a 本科 student teacher studies 4 years"
    )
    study_years_junior_college: Positive = Field(3, description="a 专科 student teacher studies 3 years")


class R31(Params):
    rule_id: ClassVar[str] = "R31"
    people_min: Positive = Field(
        5,
        description="planning default: '每年组织一批…教育行政部门管理人员到珠三角地区观摩学习' gives no number; "
        "people a receiving city or county sends a year",
    )
    days: Positive = Field(5, description="planning default: days of a visit")


class R32(Params):
    rule_id: ClassVar[str] = "R32"
    researchers_min: Positive = Field(
        1, description="planning default: 教研员 an institute pair stations at a 乡镇 or 村 school a year"
    )
    days: Positive = Field(10, description="planning default: days a 教研员 stays at the school a year")


class R33(Params):
    rule_id: ClassVar[str] = "R33"
    members_min: Positive = Field(
        2,
        description="planning default: members of the receiving county a supporting unit's 名师工作室 take a year",
    )


class R34(Params):
    rule_id: ClassVar[str] = "R34"
    groups_per_unit_min: Positive = Field(
        1,
        description="planning default: '珠三角每县每年确定一批优质学校…组建新型教育集团': groups a supporting "
        "unit forms with its receiving county every year",
    )


class R35(Params):
    rule_id: ClassVar[str] = "R35"
    equipment_sets: Positive = Field(
        10, description="planning default: sets of IT or lab equipment the schools of a group give a year"
    )
    books: Positive = Field(500, description="planning default: books the schools of a group give a year")


class R36(Params):
    rule_id: ClassVar[str] = "R36"
    people_a_year: Count = Field(500, description="policy: '每年公开招募约500名…到农村学校任教讲学'")


class R37(Params):
    """Yuan per unit of each kind of work; the supporter (or the province) that does it pays."""

    rule_id: ClassVar[str] = "R37"
    duty_person_year: Yuan = Field(
        40000,
        description="policy floor (R20): a person on teaching or shadowing duty for a year; "
        "a rate below R20's yuan_per_person_min is refused",
    )
    training_person_day: Yuan = Field(400, description="estimate: a trainee's day of face-to-face training")
    online_hour: Yuan = Field(20, description="estimate: a trainee's hour of online study")
    degree_person: Yuan = Field(12000, description="estimate: a whole part-time degree course of one person")
    intern_person: Yuan = Field(10000, description="estimate: a student teacher's semester of internship (R14)")
    released_teacher: Yuan = Field(6000, description="estimate: off-the-job training of a teacher an intern frees")
    trainee_person: Yuan = Field(3000, description="estimate: a trainee teacher a university takes (R17)")
    practice_person_day: Yuan = Field(150, description="estimate: a student teacher's day of practice")
    visit_person_day: Yuan = Field(600, description="estimate: a visitor's or stationed person's day")
    studio_member_year: Yuan = Field(8000, description="estimate: a 名师工作室 member for a year")
    activity: Yuan = Field(20000, description="estimate: an exchange, institute visit or education group")
    famous_person_day: Yuan = Field(1000, description="estimate: a famous teacher's lecturing day")
    tour_person_time: Yuan = Field(5000, description="estimate: a person-time of the province's lecture tours")
    equipment_set: Yuan = Field(8000, description="estimate: a set of IT or lab equipment")
    book: Yuan = Field(40, description="estimate: a book")
    silver_person_year: Yuan = Field(30000, description="estimate: a 银龄 teacher's year (the province pays)")


class R38(Params):
    rule_id: ClassVar[str] = "R38"
    assessment_share: Share = Field(
        0.5,
        description="planning default: the part of the provincial fund that follows the latest assessment "
        "(a county's share of it is its teachers × score); the rest follows need alone (teachers)",
    )


class Weights(BaseModel):
    """Points of each term of a pair's score (lower is better); each name is the term's name.

    A pair's score is the sum of its terms, and the plan's objective is the sum over its pairs
    (solver.pairing.scoring), so every point can be traced to a pair and a weight.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    distance: Points = Field(1, description="points per km between the two seats")
    tie: Points = Field(200, description="less per point of strength (1–3) of an existing tie the pair follows (R23)")
    continuity: Points = Field(150, description="less for keeping the previous round's pair")
    keep: Points = Field(
        100_000, description="re-planning: less for keeping a base pair (dominant: fewest changes first)"
    )
    priority: Points = Field(
        100, description="R21: up to this many less for the strongest supporter of a priority receiver"
    )
    balance: Points = Field(10, description="per 1,000 receiving teachers more than the supporter has")
    fairness: Points = Field(
        20, description="per 1,000 receiving teachers between a supporter city's load and its share by strength (R24)"
    )
    home_city: Points = Field(300, description="a university paired with the city it stands in, or a county of it")
    stage_mismatch: Points = Field(
        10,
        description="a receiving school paired with a school of another stage of "
        "its family (primary and nine-year, the secondary stages)",
    )
    family_mismatch: Points = Field(50, description="a receiving school paired with a school of another stage family")
    school_load: Points = Field(1000, description="per partner a school takes beyond R26's limit")
    institute_load: Points = Field(2000, description="per partner an institute takes beyond R26's limit")


class DeploymentWeights(BaseModel):
    """Costs per unit of the yearly deployment flows (solver.deployment.model)."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    short_per_person: Points = Field(
        10_000, description="a person (a team counts its members) short of a quota: dominates"
    )
    short_priority_extra: Points = Field(2_000, description="R21: more per person short in a priority county")
    team_rank_step: Points = Field(
        10,
        description="per team: county partner 0, city partner 1, institute 2, normal university 3, university 4 steps",
    )
    backbone_spread: Points = Field(
        1, description="per backbone teacher away from an even split over the county's hosts"
    )
    short_request_per_person: Points = Field(
        1_000,
        description="a person short of what a receiver asked beyond the policy's floor (R25): less than a floor's",
    )
    prefer: Points = Field(25, description="less per team or person from the supporter a receiver prefers (R25)")
