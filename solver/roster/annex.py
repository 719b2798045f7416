"""What the annex tasks need of the roster: degrees below target, 银龄 participants, budgets.

- degrees.csv: per receiving county, how many principals, kindergarten heads and teachers are
  below the degree target ('2025年前义务教育学校和普通高中校长全员达到本科以上学历，幼儿园园长全员达到专科以上学历',
  annex 2 clause 6; '推进受援地区中小学教师学历全员达标', clause 18). No public source counts them per
  county: the bundled rows are estimates and say so in `source`.
- silver.csv: retired principals, teachers and 教研员 of an area who take part in the 银龄讲学 plan
  (about 500 a year province-wide), by year or for every year of the round.
- budgets.csv: what each supporter and the province set aside, per year and purpose (clause 21:
  '要在每年的预算内安排一定数额的帮扶资金'; clause 22: '省安排对口帮扶粤东粤西粤北地区基础教育资金，在考核的基础上进行分配').

All three are optional: a roster without them has none of their rows.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from solver.roster.fields import (
    OptionalRoundYear,
    Participants,
    RoundYear,
    Schools,
    Teachers,
    Text,
    YuanAmount,
)
from solver.roster.row import RosterRow


class Degrees(RosterRow):
    id_field: ClassVar[str] = "area_id"

    area_id: Text
    principals_below: Schools  # 义务教育 and 普通高中 principals without a 本科 degree
    heads_below: Schools  # kindergarten heads without a 专科 degree
    teachers_below: Teachers  # teachers below their stage's degree standard (学历达标)
    source: Text


class Silver(RosterRow):
    id_field: ClassVar[str] = "area_id"
    key_fields: ClassVar[tuple[str, ...]] = ("area_id", "year")

    area_id: Text
    year: OptionalRoundYear = None  # empty: every year of the round
    people: Participants
    source: Text


class Purpose(StrEnum):
    """What a budget row is for."""

    SUPPORT = "support"  # a supporter's own 帮扶资金 (clause 21), for the work it does
    PROVINCIAL_FUND = "provincial_fund"  # the province's fund, allocated to receiving counties (clause 22)
    PROVINCIAL_PROGRAMMES = "provincial_programmes"  # the province's own programmes (lecture tours, 银龄讲学)


class Budget(RosterRow):
    id_field: ClassVar[str] = "party_id"
    key_fields: ClassVar[tuple[str, ...]] = ("party_id", "year", "purpose")

    party_id: Text
    year: RoundYear
    amount: YuanAmount
    purpose: Purpose
    source: Text
