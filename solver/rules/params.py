"""The typed parameters of each rule and the weights of the objectives, each with its range.

Every number has a type and a range: a count given 3.5, a share given 1.5 or a weight given
`true` is refused with the rule, the parameter and the file named (solver.rules.ruleset).
Defaults are the policy's values where the text gives one; the rest are planning defaults and
say so.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

Count = Annotated[int, Field(ge=0, le=1_000_000)]
Positive = Annotated[int, Field(ge=1, le=1_000_000)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]
Year = Annotated[int, Field(ge=2021, le=2035)]
Yuan = Annotated[int, Field(ge=0, le=100_000_000)]
Points = Annotated[int, Field(ge=0, le=100_000_000)]


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
    # 140 universities over 99 receivers: at most 2 each spreads them (planning default, not policy).
    max_universities_per_receiver: Positive = 2


class R07(Params):
    rule_id: ClassVar[str] = "R07"
    teams_per_county_min: Count = 3
    # A team's make-up is not fixed by the policy: 1 + 2 + 7 = 10 people is a planning default.
    team_leaders: Count = 1
    team_managers: Count = 2
    team_teachers: Count = 7
    # People a supporter can send a year when its roster row leaves `send_capacity` empty (planning
    # defaults, not policy): a county-level unit 2% of its full-time teachers; a PRD city (its
    # city-level schools) 0.2% of the full-time teachers of its supporting units; a university 10;
    # a research institute 10.
    send_share: Share = 0.02
    city_send_share: Share = 0.002
    university_send_capacity: Count = 10
    institute_send_capacity: Count = 10

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
    shadow_ratio: Positive = 1


class R09(Params):
    rule_id: ClassVar[str] = "R09"
    backbone_min: Count = 30
    backbone_max: Count = 50
    # People a supporter can host a year (backbone teachers of R09, leaders and managers of R10)
    # when its roster row leaves `host_capacity` empty (planning defaults, not policy): a
    # county-level unit 2% of its full-time teachers; a PRD city 0.3% of the full-time teachers
    # of its supporting units; a university 50; a research institute 30.
    host_share: Share = 0.02
    city_host_share: Share = 0.003
    university_host_capacity: Count = 50
    institute_host_capacity: Count = 30

    @model_validator(mode="after")
    def _range(self) -> Self:
        _ordered(self.backbone_min, self.backbone_max, "backbone teachers")
        return self


class R10(Params):
    rule_id: ClassVar[str] = "R10"
    leaders_min: Count = 5
    leaders_max: Count = 10
    managers_min: Count = 20
    managers_max: Count = 30

    @model_validator(mode="after")
    def _range(self) -> Self:
        _ordered(self.leaders_min, self.leaders_max, "school leaders")
        _ordered(self.managers_min, self.managers_max, "middle managers")
        return self


class R11(Params):
    rule_id: ClassVar[str] = "R11"
    exchange_per_school_pair: Count = 1


class R12(Params):
    rule_id: ClassVar[str] = "R12"
    principal_share: Share = 0.02
    reserve_share: Share = 0.05
    min_days: Count = 30
    min_hours: Count = 180
    # The roster has no head counts of leaders: one principal per school, and this many vice
    # principals and middle managers per school (estimates).
    deputies_per_school: Count = 4


class R13(Params):
    rule_id: ClassVar[str] = "R13"
    share: Share = 0.10
    min_days: Count = 30
    min_hours: Count = 180


class R14(Params):
    rule_id: ClassVar[str] = "R14"
    intern_share: Share = 0.10
    interns_per_teacher: Positive = 2
    # The roster has no student numbers: student teachers (师范生) of a normal university, by
    # level (estimates, so every intern figure is marked as an estimate).
    student_teachers_undergraduate: Count = 8000
    student_teachers_junior_college: Count = 3000


class R15(Params):
    rule_id: ClassVar[str] = "R15"
    face_to_face_days: Count = 12
    face_to_face_hours: Count = 72
    online_hours: Count = 60
    full_coverage_by: Year = 2025


class R16(Params):
    rule_id: ClassVar[str] = "R16"
    share: Share = 0.05
    days: Count = 5
    hours: Count = 30


class R17(Params):
    rule_id: ClassVar[str] = "R17"
    trainees_min: Count = 100
    exchanges_min: Count = 2


class R18(Params):
    rule_id: ClassVar[str] = "R18"
    groups_per_pair_min: Count = 1


class R19(Params):
    rule_id: ClassVar[str] = "R19"
    visits_min: Count = 5


class R20(Params):
    rule_id: ClassVar[str] = "R20"
    yuan_per_person_min: Yuan = 40000


class R22(Params):
    rule_id: ClassVar[str] = "R22"
    province_person_times: Count = 200
    supporter_days_min: Count = 7
    # how many famous teachers a supporting city or county sends for its week (planning default)
    supporter_people: Count = 3


class Weights(BaseModel):
    """Points of each term of a pair's score (lower is better); each name is the term's name.

    A pair's score is the sum of its terms, and the plan's objective is the sum over its pairs
    (solver.pairing.scoring), so every point can be traced to a pair and a weight.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    distance: Points = Field(1, description="points per km between the two seats")
    cooperation: Points = Field(200, description="less for existing cooperation (R02: 根据现有合作基础)")
    continuity: Points = Field(150, description="less for keeping the previous round's pair")
    keep: Points = Field(100_000, description="re-planning: less for keeping a base pair (dominant: fewest changes first)")
    priority: Points = Field(100, description="R21: up to this many less for the strongest supporter of a priority receiver")
    balance: Points = Field(10, description="per 1,000 receiving teachers more than the supporter has")
    stage_mismatch: Points = Field(50, description="a receiving school paired with a school of another stage family")


class DeploymentWeights(BaseModel):
    """Costs per unit of the yearly deployment flows (solver.deployment.model)."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    short_per_person: Points = Field(10_000, description="a person (a team counts its members) short of a quota: dominates")
    short_priority_extra: Points = Field(2_000, description="R21: more per person short in a priority county")
    team_rank_step: Points = Field(10, description="per team: county partner 0, city partner 1, institute 2, "
                                                    "normal university 3, university 4 steps")
    backbone_spread: Points = Field(1, description="per backbone teacher away from an even split over the county's hosts")
