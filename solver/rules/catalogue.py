"""The rules catalogue (docs/rules.md is generated from it): every number traced to its clause.

Clauses are quoted from annex 2 of 粤府〔2021〕55号 (《广东省全口径全方位融入式帮扶粤东粤西粤北
地区基础教育高质量发展实施办法》) unless they say otherwise. Each rule's parameters are typed, with
ranges (solver.rules.params); a roster's `rules.toml` may override them (solver.rules.ruleset).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from solver.domain.subjects import SUBJECTS
from solver.rules import params as p

__all__ = ["CATALOGUE", "SUBJECTS", "CheckedBy", "Rule"]


class CheckedBy(StrEnum):
    """Which independent checker judges a hard rule: the structural pairs or the yearly deployments."""

    PAIRS = "pairs"
    DEPLOYMENTS = "deployments"


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    clause: str
    checked_by: CheckedBy | None  # None: a soft rule, weighed in the objective rather than checked
    params: p.Params

    @property
    def hard(self) -> bool:
        return self.checked_by is not None


def _rule(id: str, title: str, clause: str, checked_by: CheckedBy | None, params: p.Params) -> Rule:
    if params.rule_id not in ("", id):
        raise ValueError(f"{id} was given the parameters of {params.rule_id}")
    return Rule(id, title, clause, checked_by, params)


CATALOGUE: tuple[Rule, ...] = (
    _rule(
        "R01",
        "each receiving county has exactly one PRD county-level supporter (84 pairs)",
        "7.县与县结对。珠三角地区各县（含东莞市、中山市的镇街）与粤东粤西粤北84县（含肇庆4个县、江门3个县、惠州3个县）结对，"
        "建立84对县级结对帮扶关系。",
        CheckedBy.PAIRS,
        p.NoParams(),
    ),
    _rule(
        "R02",
        "each receiving city has exactly one normal-university supporter, existing cooperation first",
        "8.师范类院校与市结对。根据师范类院校与粤东粤西粤北15市现有合作基础，建立15对师范类院校与粤东粤西粤北地市的结对帮扶关系。",
        CheckedBy.PAIRS,
        p.NoParams(),
    ),
    _rule(
        "R03",
        "each non-normal university pairs with exactly one receiving city or county; every one gets one",
        "9.非师范类院校与市县结对。全省140所非师范类院校与粤东粤西粤北15市84县结对，建立140对非师范类院校与粤东粤西粤北市县的结对帮扶关系。",
        CheckedBy.PAIRS,
        p.R03(),
    ),
    _rule(
        "R04",
        "each receiving city has one PRD city supporter; county pairs nest in city pairs",
        "3.全口径结对帮扶。珠三角地区与粤东粤西粤北地区的市、县、教研机构（教师发展机构）、中小学校之间以及高等学校与"
        "粤东粤西粤北地区市、县之间全面对接，实现全省基础教育系统全口径结对。",
        CheckedBy.PAIRS,
        p.NoParams(),
    ),
    _rule(
        "R05",
        "institutes and schools pair inside their county pair; 乡镇 schools and 县域普通高中 first",
        "1.……以粤东粤西粤北地区（含惠州市、江门市、肇庆市的欠发达县，下同）的乡镇中小学校（含幼儿园，下同）为重点帮扶对象，"
        "统筹兼顾县城中小学校；具体结对学校由市、县教育行政部门确定。",
        CheckedBy.PAIRS,
        p.NoParams(),
    ),
    _rule(
        "R06",
        "intra-EWN pairing: counties within each city, urban and rural schools within each county",
        "12.市、县区域内结对。粤东粤西粤北地区各市、县自行建立市域内县之间、县域内城乡学校之间的结对帮扶关系。",
        CheckedBy.PAIRS,
        p.NoParams(),
    ),
    _rule(
        "R07",
        "each receiving county receives at least 3 teaching teams a year",
        "每个受援县每年至少接受3个支教团支教。支教团中学校领导主要从事学校管理工作，中层干部主要从事教学教研指导和培训工作，"
        "专任教师主要从事学科教学和班级管理工作。",
        CheckedBy.DEPLOYMENTS,
        p.R07(),
    ),
    _rule(
        "R08",
        "1:1 shadow staffing; people of one receiving school shadow at one school",
        "14.开展组团跟岗。支援地区同时要按照1:1的比例，接收受援学校跟岗锻炼。……同一受援学校人员原则上应安排在同一学校跟岗学习。",
        CheckedBy.DEPLOYMENTS,
        p.R08(),
    ),
    _rule(
        "R09",
        "each receiving county sends 30–50 backbone teachers a year for one semester",
        "受援地区各县每年选派30—50名骨干教师分别到支援市、县、教研机构（教师发展机构）、师范类院校跟岗1个学期。",
        CheckedBy.DEPLOYMENTS,
        p.R09(),
    ),
    _rule(
        "R10",
        "each receiving city/county sends 5–10 school leaders and 20–30 middle managers a year",
        "每年从受援市县选派5—10名的中小学校领导、20—30名的学校中层管理人员到珠三角结对地区教育行政部门和学校跟岗学习1个学期。",
        CheckedBy.DEPLOYMENTS,
        p.R10(),
    ),
    _rule(
        "R11",
        "paired schools exchange one leader or middle manager each way every year",
        "5.开展校领导双向挂职跟岗。结对帮扶中小学学校之间，帮扶周期内每年要各安排1名学校领导班子成员或中层干部到对方学校挂职锻炼或跟岗学习。",
        CheckedBy.DEPLOYMENTS,
        p.R11(),
    ),
    _rule(
        "R12",
        "2% of receiving principals in a high-end programme, 5% of vice principals/middle managers as reserve principals",
        "2.……每年遴选受援市县2%的优秀骨干校长……开展为期1年高端研修（多次集中，累计不少于30天或180学时）；"
        "3.……每年遴选受援地区5%的副校长、优秀中层干部和名校长工作室学员……开展为期1年专项培养培训。",
        CheckedBy.DEPLOYMENTS,
        p.R12(),
    ),
    _rule(
        "R13",
        "10% of receiving teachers a year in one-year backbone training",
        "12.组织骨干教师提升研修。……按照教师队伍总数10%的比例培养本地本校骨干教师（累计不少于30天或180学时）。",
        CheckedBy.DEPLOYMENTS,
        p.R13(),
    ),
    _rule(
        "R14",
        "normal universities send about 10% of student teachers a year, replacing teachers 2:1",
        "17.开展师范生实习支教置换教师培训。支援师范类院校每年组织10%左右的师范生到受援地学校进行为期1个学期的实习，"
        "按照2:1的比例置换教师参加脱产培训。",
        CheckedBy.DEPLOYMENTS,
        p.R14(),
    ),
    _rule(
        "R15",
        "every receiving teacher gets ≥12 days (72 h) face-to-face and ≥60 h online training",
        "15.组织实施受援地区中小学教师全员轮训。……每位教师均须累计参加不少于12天（72学时）的面授培训和不少于60学时的网络研修。",
        CheckedBy.DEPLOYMENTS,
        p.R15(),
    ),
    _rule(
        "R16",
        "5% of receiving teachers a year get 5 days (30 h) of IT training",
        "……每年组织受援地区5%教师进行5天（30学时）专门培训。",
        CheckedBy.DEPLOYMENTS,
        p.R16(),
    ),
    _rule(
        "R17",
        "each supporting university takes ≥100 trainee teachers and holds ≥2 exchanges a year",
        "每校每年接收受训教师不少于100人。……每年至少在受援地区开展2次交流活动。",
        CheckedBy.DEPLOYMENTS,
        p.R17(),
    ),
    _rule(
        "R18",
        "each county pair forms at least one education group per round",
        "25.组建跨区域教育集团。……每个帮扶周期内，对口帮扶县区之间至少组建1个教育集团。",
        CheckedBy.DEPLOYMENTS,
        p.R18(),
    ),
    _rule(
        "R19",
        "supporting institutes visit at least 5 times a year, all subjects each year",
        "20.开展教研指导帮扶。……每年不少于5次，每年的教研活动均应实现各学科全覆盖。",
        CheckedBy.DEPLOYMENTS,
        p.R19(),
    ),
    _rule(
        "R20",
        "at least 40,000 yuan a person a year for teaching or shadowing duty",
        "33.支教或跟岗的校长、教师补助经费。……支教、跟岗等人员的工作经费标准不低于人均每年4万元。",
        CheckedBy.DEPLOYMENTS,
        p.R20(),
    ),
    _rule(
        "R21",
        "priority to 原中央苏区, 革命老区, 民族地区 and remote rural schools",
        "1.……以粤东粤西粤北地区特别是原中央苏区、革命老区、民族地区的乡镇中小学校、县域普通高中为重点帮扶对象（main plan 12）；"
        "并向原中央苏区、革命老区、民族地区倾斜（main plan 1）。",
        None,
        p.NoParams(),
    ),
    _rule(
        "R22",
        "200 person-times of famous teachers a year on lecture tours; each supporter's famous teachers ≥1 week a year",
        "11.充分发挥各级名教师、名校长、名班主任的示范辐射作用。省每年组织200人次省级名教师、名校长、名班主任培养对象"
        "到粤东粤西粤北地区乡镇中心学校巡回讲学。支援市县每年要组织名教师、名校长、名班主任到受援市县乡镇中心学校开展不少于1周的宣教讲学等活动。",
        CheckedBy.DEPLOYMENTS,
        p.R22(),
    ),
    _rule(
        "R23",
        "pairs follow existing cooperation ties where the rules allow",
        "8.师范类院校与市结对。根据师范类院校与粤东粤西粤北15市现有合作基础，建立15对师范类院校与粤东粤西粤北地市的结对帮扶关系"
        "（and for every kind: ties.csv records the existing cooperation, each with its source）。",
        None,
        p.R23(),
    ),
    _rule(
        "R24",
        "each supporter city takes a load in proportion to its strength (teachers and GDP)",
        "21.支援方按照“带任务、带资金”模式参与帮扶，要在每年的预算内安排一定数额的帮扶资金。"
        "（The text gives no share; load in proportion to strength is the province's planning rule.）",
        None,
        p.R24(),
    ),
    _rule(
        "R25",
        "receivers' requests: quotas rise where they ask and capacity allows; an avoided supporter never serves them",
        "13.落实支援方帮扶责任和受援方主体责任。……受援方统筹使用支援方提供的人、财、物等各项资源，各项资源支援应以受援方的需求、意见为主。",
        CheckedBy.DEPLOYMENTS,
        p.R25(),
    ),
    _rule(
        "R26",
        "no school or institute carries more partners than its limit; where it cannot hold, the excess is reported",
        "20.开展教研指导帮扶。……每年不少于5次，每年的教研活动均应实现各学科全覆盖。"
        "（The limits are planning defaults that keep each partner's visits and exchanges possible.）",
        None,
        p.R26(),
    ),
    _rule(
        "R27",
        "every receiving principal gets ≥12 days (72 h) face-to-face and ≥60 h online training within 3 years",
        "4.……支援市、县、教研机构（教师发展机构）、师范类院校、非师范类院校会同受援地区制定计划，由支援方和受援方共同组织实施，"
        "3年内组织受援地区校长参加不少于12天（72学时）的面授培训和不少于60学时的网络研修。",
        CheckedBy.DEPLOYMENTS,
        p.R27(),
    ),
    _rule(
        "R28",
        "principals below the degree target (本科; kindergarten heads 专科) hold it by 2025, taught by paired universities",
        "6.提升校长队伍学历水平。支援师范类院校和非师范类院校摸清受援地区校长学历状况，分批开展学历提升培训，"
        "2025年前义务教育学校和普通高中校长全员达到本科以上学历，幼儿园园长全员达到专科以上学历。",
        CheckedBy.DEPLOYMENTS,
        p.R28(),
    ),
    _rule(
        "R29",
        "teachers below the degree standard (学历达标) are upgraded by paired universities by the target year",
        "18.开展教师学历提升。推进受援地区中小学教师学历全员达标，支援师范类院校、非师范类院校会同受援地区加强教师学历状况摸查，"
        "制定受援地区教师学历全员达标计划，组织开展受援地区教师学历达标培训。28.提升受援地区乡村教师学历。"
        "支援高校要有针对性地向受援地区教师提供不离岗、不离乡、实用适用的学历教育。",
        CheckedBy.DEPLOYMENTS,
        p.R29(),
    ),
    _rule(
        "R30",
        "every student teacher of a paired normal university practises ≥30 days in the receiving area during its studies",
        "17.……每年由师范类院校选派师范专业研究生、本专科生，到粤东粤西粤北地区和乡村学校开展教育实践或教育见习，"
        "在师范生培养周期内不少于30天。",
        CheckedBy.DEPLOYMENTS,
        p.R30(),
    ),
    _rule(
        "R31",
        "every year each receiving city and county sends education-administration staff to its PRD partner (观摩学习)",
        "……组织实施教育行政干部素质提升计划，加强分管教育工作地方政府领导和市县教育局局长业务能力培训。"
        "每年组织一批粤东粤西粤北地区各级教育行政部门管理人员到珠三角地区观摩学习。",
        CheckedBy.DEPLOYMENTS,
        p.R31(),
    ),
    _rule(
        "R32",
        "supporting institutes station 教研员 at 乡镇 and 村 schools of their receivers every year (蹲点联系)",
        "21.建立教研员乡村学校、薄弱学校蹲点联系制度。推动教研工作深入到乡镇以下中心校、村小、教学点，提高教育教学质量。",
        CheckedBy.DEPLOYMENTS,
        p.R32(),
    ),
    _rule(
        "R33",
        "each supporting unit's 名师工作室 take members of its receiving county every year",
        "要积极接收受援方选派的优秀教师进行交流研修、跟岗学习，参与课题研究。要利用“名师工作室”等项目，"
        "招收受援方成员学习或在线指导受援方学员。（main plan, 四、工作任务）",
        CheckedBy.DEPLOYMENTS,
        p.R33(),
    ),
    _rule(
        "R34",
        "each supporting unit forms education groups with 乡镇 schools of its receiving county every year",
        "25.组建跨区域教育集团。珠三角每县每年确定一批优质学校，以联合办学、委托代管等方式，与受援地区的乡镇学校、"
        "薄弱学校、新建学校组建新型教育集团，输出优质学校的办学理念、管理模式、课程资源等。",
        CheckedBy.DEPLOYMENTS,
        p.R34(),
    ),
    _rule(
        "R35",
        "the schools of each education group give its receiving members equipment and books, counted, every year",
        "27.推进办学条件帮扶。根据办学实际，集团内各校要向粤东粤西粤北地区中小学校支援信息技术设备、实验设备、教学仪器和"
        "图书资料等，改善受援学校硬件设施。",
        CheckedBy.DEPLOYMENTS,
        p.R35(),
    ),
    _rule(
        "R36",
        "银龄讲学: the roster's retired principals, teachers and 教研员 teach at rural schools, about 500 a year",
        "深入实施银龄讲学计划，每年公开招募约500名符合条件的优秀退休校长、教师、教研员到农村学校任教讲学，"
        "帮助提升农村学校教学水平和育人管理能力。（main plan）",
        CheckedBy.DEPLOYMENTS,
        p.R36(),
    ),
    _rule(
        "R37",
        "every flow is costed at the catalogue's rates to the party that does the work; costs are checked against budgets",
        "21.支援方按照“带任务、带资金”模式参与帮扶，要在每年的预算内安排一定数额的帮扶资金……帮扶资金主要用于各类教育人才"
        "（教育行政管理人员、校长、教师、教研员、专家、大学生等）培养、培训、交流的工作经费和相关补助，以及集团化办学、"
        "资源共建共享、信息化建设等方面。33.……支教、跟岗等人员的工作经费标准不低于人均每年4万元。",
        CheckedBy.DEPLOYMENTS,
        p.R37(),
    ),
    _rule(
        "R38",
        "the provincial fund goes to receiving counties by need (teachers), part of it weighted by the latest assessment",
        "22.省安排对口帮扶粤东粤西粤北地区基础教育资金，在考核的基础上进行分配，以县为主统筹用于结对帮扶工作，"
        "重点用于受援方教师全员培训及开展有关支援项目。",
        CheckedBy.DEPLOYMENTS,
        p.R38(),
    ),
)
