"""Build the reference roster of Guangdong's regular HEIs (universities.csv) from the table below.

The table is Guangdong's 普通高等学校 as of 2021 (160 by the MOE count: about 67 本科, 93 专科),
by real name. Codes come from the MOE 全国高等学校名单 (c. 2017 edition, as mirrored in a
public repository) where the school was already listed; renamed schools (独立学院转设,
更名) keep their code; codes of schools set up after 2017 were looked up one by one, and the
few that could not be found carry a visible placeholder (5-digit code 99xxx, which is no real
school code) and say so in `source`. Coordinates are approximate main-campus positions from
memory. The table is data, not logic: same table, same bytes. Every row is checked by the roster
model and written in the canonical form (build_reference_areas.write_table).

Existing cooperation is no longer a column here: it is ties.csv (scripts/build_reference_relations.py).
The cooperation this table used to hold was dropped, except four campuses opened in 2021 with a
source, which moved to data/guangdong/sources/ties_researched.csv as strength-1 inferred ties
(data/guangdong/README.md says which and why).

    python scripts/build_reference_universities.py [ROSTER_DIR]     (default: data/guangdong)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from build_reference_areas import write_table

from solver.roster.models import Table

GZ, SZ, ZH, FS, HZ, DG, ZS, JM, ZQ = (
    "440100",
    "440300",
    "440400",
    "440600",
    "441300",
    "441900",
    "442000",
    "440700",
    "441200",
)
ST, SW, CZ, JY, ZJ, MM, YJ, SG, QY, HY, MZ, YF = (
    "440500",
    "441500",
    "445100",
    "445200",
    "440800",
    "440900",
    "441700",
    "440200",
    "441800",
    "441600",
    "441400",
    "445300",
)
RECEIVING = {HZ, JM, ZQ, ST, SW, CZ, JY, ZJ, MM, YJ, SG, QY, HY, MZ, YF}
CITIES = {GZ, SZ, ZH, FS, HZ, DG, ZS, JM, ZQ} | RECEIVING

LIST = (
    "MOE 全国高等学校名单 (c. 2017 edition) as mirrored at https://github.com/Base-Technology/"
    "base-interface/blob/9a4926d86089c36b62a4b1e457aa99c0fbd6248a/src/layouts/Header/schoolData.ts"
)
NEW_2021 = (
    "https://freewechat.com/a/MTk1MjIwODAwMQ==/2651039834/6 (南方都市报, 2021-05: the six 高职 "
    "Guangdong set up in 2021) and http://news.dahuawang.com/shantou/content/202105/15/c84986.html"
)
PLACEHOLDER = (
    "code: NOT KNOWN — 99xxx is a placeholder, not an MOE school code; replace it with the real "
    "学校代码 before relying on the id"
)
COORD = "memory (approx.), main campus, about ±0.05°"

# Fields: code, name, city, kind (n normal / x non_normal), level (u / j), tier, role (s / -),
# capacity, lat, lon, source.
ROWS: list[tuple] = []


def listed(note: str = "") -> str:
    return f"name, code, level, city: {LIST}; name unchanged in 2021 (memory){note}"


def renamed(old: str, note: str = "") -> str:
    return (
        f"code, level, city: {LIST}, listed as {old}; renamed to this name c. 2018–21 (转设 or 更名), "
        f"the school code is kept (memory, not checked){note}"
    )


T1 = "; tier 1: 双一流 or provincial high-level university (memory)"
NORMAL_ASSUMED = (
    "; kind normal (师范类) for this programme is an assumption: a comprehensive university "
    "with a teacher-education tradition"
)
NORMAL_CAP = "; capacity: estimate: planning default"
NONE_POLICE = "; role none: police/justice academy (special), least likely to take part"


def add(code, name, city, kind, level, tier, role, cap, lat, lon, src):
    ROWS.append((code, name, city, kind, level, tier, role, cap, lat, lon, src))


# ---------------------------------------------------------------- normal (师范类) institutions
add(
    "10574",
    "华南师范大学",
    GZ,
    "n",
    "u",
    1,
    "s",
    3,
    23.139,
    113.347,
    listed(T1 + "; kind: normal university" + NORMAL_CAP),
)
add(
    "10588",
    "广东技术师范大学",
    GZ,
    "n",
    "u",
    2,
    "s",
    2,
    23.127,
    113.339,
    renamed("广东技术师范学院 (更名 2018)", "; kind: normal university (vocational-teacher focus)" + NORMAL_CAP),
)
add(
    "14278",
    "广东第二师范学院",
    GZ,
    "n",
    "u",
    2,
    "s",
    2,
    23.095,
    113.310,
    listed("; kind: normal college" + NORMAL_CAP),
)
add(
    "10579",
    "岭南师范学院",
    ZJ,
    "n",
    "u",
    2,
    "s",
    2,
    21.282,
    110.350,
    listed("; kind: normal college" + NORMAL_CAP),
)
add(
    "10578",
    "韩山师范学院",
    CZ,
    "n",
    "u",
    2,
    "s",
    2,
    23.660,
    116.650,
    listed("; kind: normal college" + NORMAL_CAP),
)
add("10582", "嘉应学院", MZ, "n", "u", 2, "s", 2, 24.300, 116.120, listed(NORMAL_ASSUMED + NORMAL_CAP))
add("10576", "韶关学院", SG, "n", "u", 2, "s", 2, 24.800, 113.600, listed(NORMAL_ASSUMED + NORMAL_CAP))
add("10580", "肇庆学院", ZQ, "n", "u", 2, "s", 2, 23.080, 112.480, listed(NORMAL_ASSUMED + NORMAL_CAP))
add(
    "10577",
    "惠州学院",
    HZ,
    "n",
    "u",
    2,
    "s",
    2,
    23.060,
    114.370,
    listed(NORMAL_ASSUMED + NORMAL_CAP),
)
# preschool-teacher colleges: normal, not supporters
add(
    "14587",
    "广东茂名幼儿师范专科学校",
    MM,
    "n",
    "j",
    3,
    "-",
    0,
    21.660,
    110.890,
    listed(
        "; code also at https://zhwiki.oracleblog.org/zh-mo/%E5%B9%BF%E4%B8%9C%E8%8C%82%E5%90%8D%E5%B9%BC"
        "%E5%84%BF%E5%B8%88%E8%8C%83%E4%B8%93%E7%A7%91%E5%AD%A6%E6%A0%A1 (标识码 4144014587); "
        "kind: preschool-teacher college, role none"
    ),
)
add(
    "50853",
    "湛江幼儿师范专科学校",
    ZJ,
    "n",
    "j",
    3,
    "-",
    0,
    21.270,
    110.300,
    f"name, level, city: {LIST}, where its 标识码 is 4244050853 (prefix 42, kept from its predecessor "
    "湛江教育学院, an adult HEI); the id here re-prefixes it 41 to fit the schema — code not checked "
    "against the 2021 list; kind: preschool-teacher college, role none",
)
add(
    "99005",
    "广州幼儿师范高等专科学校",
    GZ,
    "n",
    "j",
    3,
    "-",
    0,
    23.300,
    113.700,
    f"name, level, city: {NEW_2021}; {PLACEHOLDER}; kind: preschool-teacher college, role none",
)
add(
    "99006",
    "广东汕头幼儿师范高等专科学校",
    ST,
    "n",
    "j",
    3,
    "-",
    0,
    23.300,
    116.720,
    f"name, level, city: {NEW_2021}; {PLACEHOLDER}; kind: preschool-teacher college, role none",
)
add(
    "99007",
    "广东江门幼儿师范高等专科学校",
    JM,
    "n",
    "j",
    3,
    "-",
    0,
    22.580,
    113.080,
    f"name: memory (set up c. 2019–20 in 江门); {PLACEHOLDER}; kind: preschool-teacher college, role none",
)

# ---------------------------------------------------------------- non-normal 本科
U = [
    # code, name, city, tier, lat, lon, source
    ("10558", "中山大学", GZ, 1, 23.096, 113.298, listed(T1)),
    ("10559", "暨南大学", GZ, 1, 23.129, 113.348, listed(T1)),
    ("10560", "汕头大学", ST, 1, 23.413, 116.633, listed(T1)),
    ("10561", "华南理工大学", GZ, 1, 23.153, 113.344, listed(T1)),
    ("10564", "华南农业大学", GZ, 1, 23.158, 113.355, listed(T1)),
    ("10566", "广东海洋大学", ZJ, 2, 21.150, 110.300, listed()),
    ("10570", "广州医科大学", GZ, 1, 23.043, 113.410, listed(T1)),
    ("10571", "广东医科大学", ZJ, 2, 21.190, 110.400, listed()),
    ("10572", "广州中医药大学", GZ, 1, 23.055, 113.400, listed(T1)),
    ("10573", "广东药科大学", GZ, 2, 23.062, 113.395, listed()),
    ("10585", "广州体育学院", GZ, 2, 23.150, 113.326, listed()),
    ("10586", "广州美术学院", GZ, 2, 23.095, 113.280, listed()),
    ("10587", "星海音乐学院", GZ, 2, 23.066, 113.386, listed()),
    ("10590", "深圳大学", SZ, 1, 22.533, 113.936, listed(T1)),
    ("10592", "广东财经大学", GZ, 2, 23.093, 113.358, listed()),
    ("10822", "广东白云学院", GZ, 2, 23.380, 113.400, listed("; 民办")),
    ("11078", "广州大学", GZ, 1, 23.040, 113.374, listed(T1)),
    ("11106", "广州航海学院", GZ, 2, 23.095, 113.470, listed()),
    ("11110", "广东警官学院", GZ, 2, 23.145, 113.330, listed(NONE_POLICE)),
    ("11347", "仲恺农业工程学院", GZ, 2, 23.095, 113.283, listed()),
    ("11349", "五邑大学", JM, 2, 22.600, 113.090, listed()),
    ("11540", "广东金融学院", GZ, 2, 23.162, 113.348, listed()),
    ("11545", "电子科技大学中山学院", ZS, 2, 22.530, 113.400, listed("; 民办")),
    ("11656", "广东石油化工学院", MM, 2, 21.670, 110.920, listed()),
    ("11819", "东莞理工学院", DG, 2, 22.900, 113.870, listed()),
    ("11845", "广东工业大学", GZ, 1, 23.037, 113.396, listed(T1)),
    ("11846", "广东外语外贸大学", GZ, 1, 23.200, 113.295, listed(T1)),
    ("11847", "佛山科学技术学院", FS, 2, 23.030, 113.090, listed()),
    ("12059", "广东培正学院", GZ, 2, 23.410, 113.120, listed("; 民办")),
    ("12121", "南方医科大学", GZ, 1, 23.190, 113.330, listed(T1)),
    ("12574", "广东东软学院", FS, 2, 22.930, 112.960, listed("; 民办")),
    ("12617", "广州城市理工学院", GZ, 2, 23.400, 113.180, renamed("华南理工大学广州学院")),
    ("12618", "广州软件学院", GZ, 2, 23.470, 113.490, renamed("广州大学华软软件学院")),
    ("12619", "广州南方学院", GZ, 2, 23.630, 113.620, renamed("中山大学南方学院")),
    ("12620", "广东外语外贸大学南国商学院", GZ, 2, 23.300, 113.350, listed("; 独立学院")),
    ("12621", "广州华商学院", GZ, 2, 23.320, 113.710, renamed("广东财经大学华商学院")),
    ("12622", "湛江科技学院", ZJ, 2, 21.260, 110.320, renamed("广东海洋大学寸金学院")),
    (
        "12623",
        "华南农业大学珠江学院",
        GZ,
        2,
        23.460,
        113.490,
        listed("; 独立学院"),
    ),
    ("12668", "广州理工学院", GZ, 2, 23.390, 113.410, renamed("广东技术师范学院天河学院")),
    (
        "13177",
        "北京师范大学珠海分校",
        ZH,
        2,
        22.350,
        113.540,
        listed(
            "; 独立学院 being taken back by 北京师范大学 as its 珠海校区 (memory); kind non_normal: an "
            "independent college, not one of the programme's 师范类 partners (judgement); role none: "
            "winding down, least likely to take part"
        ),
    ),
    ("13656", "广州华立学院", GZ, 2, 23.270, 113.670, renamed("广东工业大学华立学院")),
    (
        "13657",
        "广州应用科技学院",
        GZ,
        2,
        23.300,
        113.680,
        renamed(
            "广州大学松田学院",
            "; successor name inferred from a public note '广州学院(原广州大学松田学院)' and memory — not checked",
        ),
    ),
    ("13667", "广州商学院", GZ, 2, 23.380, 113.550, listed("; 民办")),
    ("13675", "北京理工大学珠海学院", ZH, 2, 22.360, 113.560, listed("; 独立学院")),
    ("13684", "珠海科技学院", ZH, 2, 22.070, 113.300, renamed("吉林大学珠海学院")),
    ("13714", "广州工商学院", GZ, 2, 23.420, 113.160, listed("; 民办")),
    ("13719", "广东科技学院", DG, 2, 22.990, 113.730, listed("; 民办")),
    ("13720", "广东理工学院", ZQ, 2, 23.070, 112.500, listed("; 民办")),
    ("13844", "东莞城市学院", DG, 2, 22.920, 113.910, renamed("东莞理工学院城市学院")),
    ("13902", "广州新华学院", GZ, 2, 23.200, 113.370, renamed("中山大学新华学院")),
    ("14325", "南方科技大学", SZ, 1, 22.596, 113.997, listed(T1)),
    ("16401", "北京师范大学-香港浸会大学联合国际学院", ZH, 2, 22.360, 113.520, listed("; 内地与港澳合作办学")),
    ("16407", "香港中文大学（深圳）", SZ, 1, 22.690, 114.209, listed("; 内地与港澳合作办学" + T1)),
    ("16409", "深圳北理莫斯科大学", SZ, 2, 22.700, 114.215, listed("; 中外合作办学")),
    ("16410", "广东以色列理工学院", ST, 2, 23.420, 116.640, listed("; 中外合作办学")),
    (
        "14655",
        "深圳技术大学",
        SZ,
        2,
        22.694,
        114.404,
        "name, code: the school's own introduction ('2018年11月30日，经教育部批准正式设立深圳技术大学 … "
        "标识码为4144014655'), quoted in a public GitHub SQL dump found by code search; level, city: same",
    ),
    (
        "13717",
        "广州科技职业技术大学",
        GZ,
        2,
        23.400,
        113.420,
        renamed("广州科技职业技术学院", "; level 本科 (本科层次职业学校 since c. 2019–20, memory); 民办"),
    ),
    (
        "13721",
        "广东工商职业技术大学",
        ZQ,
        2,
        23.120,
        112.550,
        renamed("广东工商职业学院", "; level 本科 (本科层次职业学校 since c. 2019–20, memory); 民办"),
    ),
]
for code, name, city, tier, lat, lon, src in U:
    role, cap = ("-", 0) if ("role none" in src) else ("s", 1)
    add(code, name, city, "x", "u", tier, role, cap, lat, lon, src)

# ---------------------------------------------------------------- non-normal 专科
J = [
    ("10831", "顺德职业技术学院", FS, 22.840, 113.240, listed()),
    ("10833", "广东轻工职业技术学院", GZ, 23.100, 113.300, listed()),
    ("10861", "广东交通职业技术学院", GZ, 23.120, 113.330, listed()),
    ("10862", "广东水利电力职业技术学院", GZ, 23.140, 113.300, listed()),
    ("10965", "潮汕职业技术学院", JY, 23.560, 116.400, listed("; 民办")),
    ("11113", "深圳职业技术学院", SZ, 22.580, 113.940, listed()),
    ("11114", "广东南华工商职业学院", GZ, 23.130, 113.400, listed()),
    ("11121", "私立华联学院", GZ, 23.180, 113.410, listed("; 民办")),
    ("12040", "广州民航职业技术学院", GZ, 23.180, 113.270, listed()),
    ("12046", "广州番禺职业技术学院", GZ, 22.940, 113.370, listed()),
    ("12060", "广东松山职业技术学院", SG, 24.690, 113.600, listed()),
    ("12322", "广东农工商职业技术学院", GZ, 23.130, 113.400, listed()),
    ("12325", "广东新安职业技术学院", SZ, 22.570, 113.880, listed("; 民办")),
    ("12327", "佛山职业技术学院", FS, 23.100, 113.040, listed()),
    (
        "12572",
        "广东科学技术职业学院",
        GZ,
        23.150,
        113.340,
        listed("; the list gives 广州市 (it also has a 珠海 campus)"),
    ),
    ("12573", "广东食品药品职业学院", GZ, 23.200, 113.380, listed()),
    ("12575", "广州康大职业技术学院", GZ, 22.970, 113.340, listed("; 民办")),
    ("12576", "珠海艺术职业学院", ZH, 22.280, 113.520, listed("; 民办")),
    ("12577", "广东行政职业学院", GZ, 23.130, 113.270, listed()),
    ("12578", "广东体育职业技术学院", GZ, 23.140, 113.340, listed()),
    ("12736", "广东职业技术学院", FS, 23.000, 113.140, listed()),
    ("12741", "广东建设职业技术学院", GZ, 23.180, 113.270, listed()),
    ("12742", "广东女子职业技术学院", GZ, 22.960, 113.300, listed()),
    ("12743", "广东机电职业技术学院", GZ, 23.210, 113.290, listed()),
    ("12749", "广东岭南职业技术学院", GZ, 23.170, 113.390, listed("; 民办")),
    ("12765", "汕尾职业技术学院", SW, 22.790, 115.370, listed()),
    ("12770", "罗定职业技术学院", YF, 22.770, 111.580, listed()),
    ("12771", "阳江职业技术学院", YJ, 21.860, 111.970, listed()),
    ("12772", "河源职业技术学院", HY, 23.730, 114.700, listed()),
    ("12953", "广东邮电职业技术学院", GZ, 23.180, 113.370, listed()),
    ("12954", "汕头职业技术学院", ST, 23.300, 116.710, listed()),
    ("12956", "揭阳职业技术学院", JY, 23.550, 116.330, listed()),
    ("12957", "深圳信息职业技术学院", SZ, 22.700, 114.220, listed()),
    ("12958", "清远职业技术学院", QY, 23.700, 113.040, listed()),
    ("12959", "广东工贸职业技术学院", GZ, 23.160, 113.290, listed()),
    ("12960", "广东司法警官职业学院", GZ, 23.180, 113.330, listed(NONE_POLICE)),
    ("12961", "广东亚视演艺职业学院", DG, 22.990, 113.790, listed("; 民办")),
    ("12962", "广东省外语艺术职业学院", GZ, 23.140, 113.320, listed()),
    ("13707", "广东文艺职业学院", GZ, 23.200, 113.370, listed()),
    ("13708", "广州体育职业技术学院", GZ, 23.140, 113.360, listed()),
    ("13709", "广州工程技术职业学院", GZ, 23.200, 113.360, listed()),
    ("13710", "中山火炬职业技术学院", ZS, 22.540, 113.470, listed()),
    ("13711", "江门职业技术学院", JM, 22.610, 113.080, listed()),
    ("13712", "茂名职业技术学院", MM, 21.660, 110.930, listed()),
    ("13713", "珠海城市职业技术学院", ZH, 22.120, 113.350, listed()),
    ("13715", "广州涉外经济职业技术学院", GZ, 23.210, 113.310, listed("; 民办")),
    ("13716", "广州南洋理工职业学院", GZ, 23.540, 113.570, listed("; 民办")),
    ("13718", "惠州经济职业技术学院", HZ, 23.080, 114.410, listed("; 民办")),
    ("13810", "肇庆医学高等专科学校", ZQ, 23.060, 112.470, listed()),
    ("13912", "广州现代信息工程职业技术学院", GZ, 23.300, 113.820, listed("; 民办")),
    ("13919", "广东理工职业学院", GZ, 23.150, 113.360, listed()),
    ("13927", "广州华南商贸职业学院", GZ, 23.310, 113.660, listed("; 民办")),
    ("13928", "广州华立科技职业学院", GZ, 23.270, 113.660, listed("; 民办")),
    ("13929", "广州城市职业学院", GZ, 23.150, 113.280, listed()),
    ("13930", "广东工程职业技术学院", GZ, 23.140, 113.350, listed()),
    ("13943", "广州铁路职业技术学院", GZ, 23.150, 113.320, listed()),
    ("14063", "广东科贸职业学院", GZ, 23.160, 113.360, listed()),
    ("14065", "广州科技贸易职业学院", GZ, 22.930, 113.380, listed()),
    ("14066", "中山职业技术学院", ZS, 22.480, 113.400, listed()),
    ("14123", "广州珠江职业技术学院", GZ, 23.280, 113.700, listed("; 民办")),
    ("14125", "广州松田职业学院", GZ, 23.290, 113.720, listed("; 民办")),
    ("14126", "广东文理职业学院", ZJ, 21.240, 110.280, listed("; 民办")),
    ("14136", "广州城建职业学院", GZ, 23.570, 113.580, listed("; 民办")),
    ("14263", "东莞职业技术学院", DG, 22.930, 113.880, listed()),
    ("14265", "广东南方职业学院", JM, 22.600, 113.020, listed("; 民办")),
    ("14266", "广州华商职业学院", GZ, 23.310, 113.700, listed("; 民办")),
    ("14268", "广州华夏职业学院", GZ, 23.200, 113.390, listed("; 民办")),
    ("14311", "广东环境保护工程职业学院", FS, 23.150, 113.170, listed()),
    ("14361", "广东青年职业学院", GZ, 23.160, 113.340, listed()),
    ("14362", "广州东华职业学院", GZ, 23.280, 113.640, listed("; 民办")),
    ("14363", "广东创新科技职业学院", DG, 22.980, 113.840, listed("; 民办")),
    ("14407", "广东舞蹈戏剧职业学院", GZ, 23.020, 113.400, listed()),
    ("14408", "惠州卫生职业技术学院", HZ, 23.110, 114.430, listed()),
    ("14427", "广东信息工程职业学院", ZQ, 23.150, 112.560, listed("; 民办")),
    ("14509", "广东生态工程职业学院", GZ, 23.200, 113.370, listed()),
    ("14510", "惠州城市职业学院", HZ, 23.100, 114.380, listed()),
    ("14511", "广东碧桂园职业学院", QY, 23.750, 113.050, listed("; 民办")),
    ("14556", "广东茂名健康职业学院", MM, 21.680, 110.900, listed()),
    ("14572", "广东酒店管理职业技术学院", DG, 23.000, 113.800, listed("; 民办")),
    ("14592", "广州卫生职业技术学院", GZ, 23.270, 113.270, listed()),
    ("14609", "惠州工程职业学院", HZ, 23.050, 114.420, listed()),
    ("14610", "广东江门中医药职业学院", JM, 22.580, 113.060, listed()),
    # set up after the c. 2017 list
    (
        "14638",
        "广东茂名农林科技职业学院",
        MM,
        21.600,
        110.980,
        "name, level, city: memory (set up c. 2018 in 茂名); code 14638: third-party data (schoolCode field "
        "in a public mini-program data dump on GitHub), not checked against the MOE list",
    ),
    (
        "99001",
        "广东财贸职业学院",
        QY,
        23.730,
        113.030,
        f"name, level, city: memory (set up c. 2018, main campus 清远); {PLACEHOLDER}",
    ),
    (
        "14758",
        "广东梅州职业技术学院",
        MZ,
        24.300,
        116.100,
        f"name, level, city: {NEW_2021}; code: 学校标识码 4144014758 at http://chaoke7.com/3153.html and "
        "https://m.phb7.com.cn/jiaoyu/gaoxiao/131370.html",
    ),
    (
        "99002",
        "广东潮州卫生健康职业学院",
        CZ,
        23.700,
        116.680,
        f"name, level, city: {NEW_2021}; {PLACEHOLDER}; role none: opened 2021 (very new)",
    ),
    (
        "99003",
        "广东云浮中医药职业学院",
        YF,
        22.680,
        112.200,
        f"name, level, city: {NEW_2021}; {PLACEHOLDER}; role none: opened 2021 (very new)",
    ),
    (
        "99004",
        "广东肇庆航空职业学院",
        ZQ,
        22.970,
        112.400,
        f"name, level, city: {NEW_2021}; {PLACEHOLDER}; role none: opened 2021 (very new), 民办",
    ),
]
for code, name, city, lat, lon, src in J:
    role, cap = ("-", 0) if ("role none" in src) else ("s", 1)
    add(code, name, city, "x", "j", 3, role, cap, lat, lon, src)


def build() -> list[dict[str, object]]:
    return [
        {
            "university_id": f"41440{code}",
            "name": name,
            "city_id": city,
            "kind": "normal" if kind == "n" else "non_normal",
            "level": "undergraduate" if level == "u" else "junior_college",
            "tier": tier,
            "role": "supporter" if role == "s" else "none",
            "capacity": cap,
            "lat": lat,
            "lon": lon,
            "source": src,
            "coord_source": COORD,
        }
        for code, name, city, kind, level, tier, role, cap, lat, lon, src in ROWS
    ]


def check(rows: list[dict[str, object]]) -> None:
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names)), "duplicate name"
    for r in rows:
        assert r["city_id"] in CITIES, r
        assert (r["role"] == "none") == (r["capacity"] == 0), r
    supporters = sum(1 for r in rows if r["kind"] == "non_normal" and r["role"] == "supporter")
    assert supporters == 140, supporters


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parent.parent / "data" / "guangdong"
    parser.add_argument("roster_dir", type=Path, nargs="?", default=default)
    args = parser.parse_args(argv)
    rows = build()
    check(rows)
    write_table(args.roster_dir, Table.UNIVERSITIES, rows)  # checks ids, ranges and coordinates
    return 0


if __name__ == "__main__":
    sys.exit(main())
