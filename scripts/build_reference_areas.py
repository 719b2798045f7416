"""Build the Guangdong reference roster's cities.csv, areas.csv and institutes.csv from the tables below.

The tables are data, not logic: same tables, same bytes. Every row is checked by the roster model
(solver.roster.parties) and written in the canonical form of solver.table_csv (see `write_table`).

- Codes and names: the NBS statistical division codes, c. 2021/22 edition, as published in
  modood/Administrative-divisions-of-China at commit 0b7fd75e6bd8fef6c63d7f02cfaf0a39b33fc199
  (dist/areas.csv for the county-level units, dist/streets.csv for the 镇街 of 东莞 and 中山).
  The 4 functional zones of 东莞 (松山湖, 东莞港, 东莞生态园, 东莞滨海湾新区; codes 4419004xx) are
  not 镇街 and are left out.
- Roles: annex 2 clause 7 of 粤府〔2021〕55号 (84 receiving counties: all 74 county-level units of
  the 12 EWN cities plus 4/3/3 underdeveloped counties of 肇庆/江门/惠州). Which 10 PRD units are
  meant is not named in any source found; the 10 below are the most likely reading (the reference
  facts notes, Table 2b), not confirmed.
- Supporting cities: the six of every city pair found (广州 深圳 珠海 佛山 东莞 中山). 惠州, 江门 and
  肇庆 only receive: no source shows any of them as a city-level supporter (sources/README.md), and
  since county pairs nest in city pairs (R04) their developed districts take role none.
- Coordinates: the LUA county-coordinate table (rounded 0.01°) where the facts notes have it
  (Table 5), else memory (approx.).
- Population: 2020 census resident population from memory (approx.), 镇街 rough estimates.
  teachers and schools are derived from it with the ratios below; none of them is official.
- Priority flags: facts notes Table 4 (4a ethnic, 4b 原中央苏区, 4c 革命老区); only receivers carry them.
- Strength (cities.csv gdp_yuan_1e8, budget_revenue_yuan_1e8, strength_source): read from
  data/guangdong/sources/city_strength.csv, the researched figures with the URL each was read at.
- Capacities: a supporting city's or supporter unit's capacity is left empty, so that it follows
  from its strength (R24, solver/pairing/strength.py); everyone else has 0.

    python scripts/build_reference_areas.py [ROSTER_DIR]     (default: data/guangdong)
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from collections.abc import Iterable
from pathlib import Path

from solver.roster.io import table_csv
from solver.roster.models import Table
from solver.roster.row import RosterRow

SOURCES = Path(__file__).resolve().parent.parent / "data" / "guangdong" / "sources"

REPO = "modood/Administrative-divisions-of-China"
AREAS_SRC = f"NBS division codes 2021 ({REPO} dist/areas.csv)"
STREETS_SRC = f"NBS township codes 2021 ({REPO} dist/streets.csv)"
ZONE_SRC = (
    "zone: facts Table 1, 2019 一核一带一区 scheme (PRD 9 per gzgddi.com; 粤东/粤西/北部生态发展区 "
    "per tftnews.com/news66600)"
)
ROLE_CLAUSE = "role: policy annex 2 clause 7"
INFERRED_10 = "inferred: most likely reading of the policy's 4/3/3 split; not confirmed"
LUA = "LUA county-coordinate table (rounded 0.01°)"
MEM = "memory (approx.)"
UNIT_CAPACITY = (
    "capacity: empty, follows from strength (R24: its city's share of all supporting cities' teachers and "
    "2020 GDP, split over the city's supporter units by teachers, plus slack)"
)
CITY_CAPACITY = (
    "empty: follows from strength (R24: its share of the six supporting cities' teachers and 2020 GDP, "
    "times the receiving cities, rounded up plus slack; solver/pairing/strength.py); a coordinator may set it"
)

# teachers = population × ratio; schools = teachers / pupils-per-school divisor (both rounded half up),
# at least 10 teachers and 1 school. EWN: 0.0105 and 45; PRD (incl. the 10 PRD receivers): 0.0095 and 60.
RATIOS = {"ewn": (0.0105, 45), "prd": (0.0095, 60)}
MIN_TEACHERS, MIN_SCHOOLS = 10, 1

# ---------------------------------------------------------------------------------- cities
# city_id, name, zone, lat, lon of the city government seat (memory (approx.))
CITIES = [
    ("440100", "广州市", "prd", 23.13, 113.26),
    ("440200", "韶关市", "north", 24.81, 113.60),
    ("440300", "深圳市", "prd", 22.54, 114.06),
    ("440400", "珠海市", "prd", 22.27, 113.58),
    ("440500", "汕头市", "east", 23.37, 116.71),
    ("440600", "佛山市", "prd", 23.02, 113.12),
    ("440700", "江门市", "prd", 22.58, 113.08),
    ("440800", "湛江市", "west", 21.27, 110.36),
    ("440900", "茂名市", "west", 21.66, 110.93),
    ("441200", "肇庆市", "prd", 23.05, 112.47),
    ("441300", "惠州市", "prd", 23.11, 114.42),
    ("441400", "梅州市", "north", 24.29, 116.12),
    ("441500", "汕尾市", "east", 22.79, 115.38),
    ("441600", "河源市", "north", 23.74, 114.70),
    ("441700", "阳江市", "west", 21.86, 111.98),
    ("441800", "清远市", "north", 23.68, 113.06),
    ("441900", "东莞市", "prd", 23.02, 113.75),
    ("442000", "中山市", "prd", 22.52, 113.39),
    ("445100", "潮州市", "east", 23.66, 116.62),
    ("445200", "揭阳市", "east", 23.55, 116.37),
    ("445300", "云浮市", "north", 22.92, 112.04),
]
PRD_RECEIVING_CITIES = {"441200", "440700", "441300"}  # 肇庆, 江门, 惠州
SUPPORTING_CITIES = {"440100", "440300", "440400", "440600", "441900", "442000"}  # 广州 深圳 珠海 佛山 东莞 中山
SIX_SOURCE = (
    "supports: one of the 6 PRD supporter cities of the 2013 对口帮扶 round "
    "(https://www.chinanews.com/gn/2013/11-07/5477380.shtml) and of every 2021-era city pair found (ties.csv)"
)
NOT_SUPPORTING = (
    "supports: false, no source shows it as a city-level supporter: the 2013 round and every 2021-era "
    "city pair found use only 广深珠佛莞中 (chinanews 2013-11-07); annex 2 clauses 8-9 count it among the "
    "receiving 15市 (see capacity_source)"
)
NOT_SUPPORTING_DETAIL = (
    "0: not a city-level supporter (supports false). Why: annex 2 clause 1 defines the receiving side as "
    "粤东粤西粤北地区（含惠州市、江门市、肇庆市的欠发达县）; clauses 8 and 9 pair universities with the "
    "粤东粤西粤北15市, which can only be the 12 EWN cities plus 惠州, 江门 and 肇庆; the 2013 round paired "
    "only 广州 深圳 珠海 佛山 东莞 中山 with 8 EWN cities (https://www.chinanews.com/gn/2013/11-07/5477380.shtml, "
    "also http://luhe.gov.cn/luhe/zwgk/1500/1502/content/post_315873.html: 珠三角6市和粤东西北8市); the 2021 "
    "驻镇帮镇扶村 plan has 珠三角6市 help 粤东粤西粤北12市和肇庆市 towns while 惠州 and 江门 look after their own "
    "(http://www.rexun.cn/guonei/2021/0611/061162751.html); the 2021 三区 teacher programme has 6 supporting "
    "cities (http://m.zgkjsz.com/page/2022/0530/22077088.shtml); every city pair found has one of the six as "
    "supporter (ties.csv). Annex 4 clause 7 counts the city among the 9 PRD cities for assessment only. "
    "Clause 6 (市与市结对), which would settle it, was not found. Its districts take role none (areas.csv)."
)

# ---------------------------------------------------------------------------------- county-level units
# area_id, name, type code (d district, c county_city, k county, a autonomous_county), lat, lon,
# coordinate note ('' = LUA, 'm' = memory (approx.), other text = LUA with that note), population (2020
# census, memory (approx.)).
TYPES = {"d": "district", "c": "county_city", "k": "county", "a": "autonomous_county", "s": "subdistrict", "t": "town"}
COUNTY_LEVEL = [
    # 广州 440100
    ("440103", "荔湾区", "d", 23.13, 113.23, "", 1238000),
    ("440104", "越秀区", "d", 23.13, 113.27, "", 1039000),
    ("440105", "海珠区", "d", 23.10, 113.25, "", 1819000),
    ("440106", "天河区", "d", 23.12, 113.35, "", 2242000),
    ("440111", "白云区", "d", 23.17, 113.27, "", 3740000),
    ("440112", "黄埔区", "d", 23.10, 113.45, "", 1265000),
    ("440113", "番禺区", "d", 22.95, 113.35, "", 2659000),
    ("440114", "花都区", "d", 23.40, 113.22, "", 1642000),
    ("440115", "南沙区", "d", 22.80, 113.53, "m", 847000),
    ("440117", "从化区", "d", 23.55, 113.58, "old name 从化市", 720000),
    ("440118", "增城区", "d", 23.30, 113.83, "old name 增城市", 1466000),
    # 韶关 440200
    ("440203", "武江区", "d", 24.80, 113.57, "", 400000),
    ("440204", "浈江区", "d", 24.80, 113.60, "", 420000),
    ("440205", "曲江区", "d", 24.68, 113.60, "", 290000),
    ("440222", "始兴县", "k", 24.95, 114.07, "", 198000),
    ("440224", "仁化县", "k", 25.08, 113.75, "", 170000),
    ("440229", "翁源县", "k", 24.35, 114.13, "", 300000),
    ("440232", "乳源瑶族自治县", "a", 24.78, 113.27, "", 180000),
    ("440233", "新丰县", "k", 24.07, 114.20, "", 200000),
    ("440281", "乐昌市", "c", 25.13, 113.35, "", 400000),
    ("440282", "南雄市", "c", 25.12, 114.30, "", 300000),
    # 深圳 440300
    ("440303", "罗湖区", "d", 22.55, 114.12, "", 1144000),
    ("440304", "福田区", "d", 22.53, 114.05, "", 1553000),
    ("440305", "南山区", "d", 22.52, 113.92, "", 1796000),
    ("440306", "宝安区", "d", 22.57, 113.90, "", 4477000),
    ("440307", "龙岗区", "d", 22.73, 114.27, "", 4135000),
    ("440308", "盐田区", "d", 22.55, 114.22, "", 214000),
    ("440309", "龙华区", "d", 22.70, 114.04, "m", 2529000),
    ("440310", "坪山区", "d", 22.69, 114.35, "m", 551000),
    ("440311", "光明区", "d", 22.75, 113.94, "m", 1095000),
    # 珠海 440400
    ("440402", "香洲区", "d", 22.27, 113.55, "", 1500000),
    ("440403", "斗门区", "d", 22.22, 113.28, "", 610000),
    ("440404", "金湾区", "d", 22.07, 113.40, "", 330000),
    # 汕头 440500
    ("440507", "龙湖区", "d", 23.37, 116.72, "", 620000),
    ("440511", "金平区", "d", 23.37, 116.70, "", 780000),
    ("440512", "濠江区", "d", 23.29, 116.73, "m", 290000),
    ("440513", "潮阳区", "d", 23.27, 116.60, "", 1680000),
    ("440514", "潮南区", "d", 23.25, 116.43, "", 1320000),
    ("440515", "澄海区", "d", 23.48, 116.77, "", 750000),
    ("440523", "南澳县", "k", 23.42, 117.02, "", 62000),
    # 佛山 440600
    ("440604", "禅城区", "d", 23.02, 113.12, "佛山市 row", 1331000),
    ("440605", "南海区", "d", 23.03, 113.15, "", 3667000),
    ("440606", "顺德区", "d", 22.80, 113.30, "", 3229000),
    ("440607", "三水区", "d", 23.17, 112.87, "", 804000),
    ("440608", "高明区", "d", 22.90, 112.88, "", 468000),
    # 江门 440700
    ("440703", "蓬江区", "d", 22.58, 113.08, "江门市 row", 949000),
    ("440704", "江海区", "d", 22.56, 113.11, "m", 333000),
    ("440705", "新会区", "d", 22.47, 113.03, "", 958000),
    ("440781", "台山市", "c", 22.25, 112.78, "", 908000),
    ("440783", "开平市", "c", 22.38, 112.67, "", 750000),
    ("440784", "鹤山市", "c", 22.77, 112.97, "", 529000),
    ("440785", "恩平市", "c", 22.18, 112.30, "", 374000),
    # 湛江 440800
    ("440802", "赤坎区", "d", 21.27, 110.37, "", 390000),
    ("440803", "霞山区", "d", 21.20, 110.40, "", 560000),
    ("440804", "坡头区", "d", 21.23, 110.47, "", 350000),
    ("440811", "麻章区", "d", 21.27, 110.32, "", 430000),
    ("440823", "遂溪县", "k", 21.38, 110.25, "", 890000),
    ("440825", "徐闻县", "k", 20.33, 110.17, "", 700000),
    ("440881", "廉江市", "c", 21.62, 110.27, "", 1400000),
    ("440882", "雷州市", "c", 20.92, 110.08, "", 1360000),
    ("440883", "吴川市", "c", 21.43, 110.77, "", 900000),
    # 茂名 440900
    ("440902", "茂南区", "d", 21.63, 110.92, "", 930000),
    ("440904", "电白区", "d", 21.50, 111.00, "old name 电白县, seat 水东", 1600000),
    ("440981", "高州市", "c", 21.92, 110.85, "", 1330000),
    ("440982", "化州市", "c", 21.67, 110.63, "", 1300000),
    ("440983", "信宜市", "c", 22.35, 110.95, "", 1010000),
    # 肇庆 441200
    ("441202", "端州区", "d", 23.05, 112.48, "", 640000),
    ("441203", "鼎湖区", "d", 23.17, 112.57, "", 180000),
    ("441204", "高要区", "d", 23.03, 112.45, "old name 高要市", 780000),
    ("441223", "广宁县", "k", 23.63, 112.43, "", 420000),
    ("441224", "怀集县", "k", 23.92, 112.18, "", 820000),
    ("441225", "封开县", "k", 23.43, 111.50, "", 390000),
    ("441226", "德庆县", "k", 23.15, 111.77, "", 330000),
    ("441284", "四会市", "c", 23.33, 112.68, "", 560000),
    # 惠州 441300
    ("441302", "惠城区", "d", 23.08, 114.40, "", 2300000),
    ("441303", "惠阳区", "d", 22.80, 114.47, "", 1200000),
    ("441322", "博罗县", "k", 23.18, 114.28, "", 1180000),
    ("441323", "惠东县", "k", 22.98, 114.72, "", 1000000),
    ("441324", "龙门县", "k", 23.73, 114.25, "", 360000),
    # 梅州 441400
    ("441402", "梅江区", "d", 24.32, 116.12, "", 420000),
    ("441403", "梅县区", "d", 24.28, 116.05, "old name 梅县", 510000),
    ("441422", "大埔县", "k", 24.35, 116.70, "", 340000),
    ("441423", "丰顺县", "k", 23.77, 116.18, "", 470000),
    ("441424", "五华县", "k", 23.93, 115.77, "", 950000),
    ("441426", "平远县", "k", 24.57, 115.88, "", 190000),
    ("441427", "蕉岭县", "k", 24.67, 116.17, "", 180000),
    ("441481", "兴宁市", "c", 24.15, 115.73, "", 800000),
    # 汕尾 441500
    ("441502", "城区", "d", 22.78, 115.37, "汕尾市 row", 560000),
    ("441521", "海丰县", "k", 22.97, 115.33, "", 750000),
    ("441523", "陆河县", "k", 23.30, 115.65, "", 230000),
    ("441581", "陆丰市", "c", 22.95, 115.65, "", 1140000),
    # 河源 441600
    ("441602", "源城区", "d", 23.73, 114.70, "", 600000),
    ("441621", "紫金县", "k", 23.63, 115.18, "", 560000),
    ("441622", "龙川县", "k", 24.10, 115.25, "", 690000),
    ("441623", "连平县", "k", 24.37, 114.48, "", 300000),
    ("441624", "和平县", "k", 24.45, 114.93, "", 360000),
    ("441625", "东源县", "k", 23.82, 114.77, "", 330000),
    # 阳江 441700
    ("441702", "江城区", "d", 21.87, 111.95, "", 830000),
    ("441704", "阳东区", "d", 21.88, 112.02, "old name 阳东县", 470000),
    ("441721", "阳西县", "k", 21.75, 111.62, "", 440000),
    ("441781", "阳春市", "c", 22.18, 111.78, "", 860000),
    # 清远 441800
    ("441802", "清城区", "d", 23.70, 113.02, "", 1070000),
    ("441803", "清新区", "d", 23.73, 112.98, "old name 清新县", 620000),
    ("441821", "佛冈县", "k", 23.88, 113.53, "", 330000),
    ("441823", "阳山县", "k", 24.48, 112.63, "", 360000),
    ("441825", "连山壮族瑶族自治县", "a", 24.57, 112.08, "", 100000),
    ("441826", "连南瑶族自治县", "a", 24.72, 112.28, "", 140000),
    ("441881", "英德市", "c", 24.18, 113.40, "", 950000),
    ("441882", "连州市", "c", 24.78, 112.38, "", 400000),
    # 潮州 445100
    ("445102", "湘桥区", "d", 23.68, 116.63, "", 600000),
    ("445103", "潮安区", "d", 23.45, 116.68, "old name 潮安县, seat 庵埠", 1100000),
    ("445122", "饶平县", "k", 23.67, 117.00, "", 870000),
    # 揭阳 445200
    ("445202", "榕城区", "d", 23.55, 116.37, "揭阳市 row", 1020000),
    ("445203", "揭东区", "d", 23.57, 116.42, "old name 揭东县", 710000),
    ("445222", "揭西县", "k", 23.43, 115.83, "", 700000),
    ("445224", "惠来县", "k", 23.03, 116.28, "", 1100000),
    ("445281", "普宁市", "c", 23.30, 116.18, "", 2050000),
    # 云浮 445300
    ("445302", "云城区", "d", 22.93, 112.03, "", 330000),
    ("445303", "云安区", "d", 23.08, 112.00, "old name 云安县, seat 六都", 280000),
    ("445321", "新兴县", "k", 22.70, 112.23, "", 440000),
    ("445322", "郁南县", "k", 23.23, 111.53, "", 400000),
    ("445381", "罗定市", "c", 22.77, 111.57, "", 930000),
]

# Extra notes on a unit's estimates.
ESTIMATE_NOTES = {
    "440307": "includes 大鹏新区 (its 葵涌/大鹏/南澳 街道 are coded under 龙岗区)",
    "441521": "whether the census figure includes the 深汕特别合作区 towns coded under 海丰县 was not checked",
    "440402": "includes 横琴 and 高新区 (functional areas inside 香洲区)",
    "440404": "includes 高栏港 (functional area)",
    "441302": "includes 仲恺高新区 (functional area)",
    "441303": "includes 大亚湾经济技术开发区 (functional area)",
    "440222": "the census figure 198,060 is also at kampuspedia.com/zh/始兴县",
}

# ---------------------------------------------------------------------------------- 镇街 of 东莞 and 中山
# area_id, name, type code, lat, lon (memory (approx.)), population (rough estimate)
TOWNSHIPS = [
    ("441900003", "东城街道", "s", 23.02, 113.77, 650000),
    ("441900004", "南城街道", "s", 23.01, 113.74, 380000),
    ("441900005", "万江街道", "s", 23.05, 113.72, 260000),
    ("441900006", "莞城街道", "s", 23.04, 113.75, 170000),
    ("441900101", "石碣镇", "t", 23.10, 113.80, 260000),
    ("441900102", "石龙镇", "t", 23.11, 113.85, 150000),
    ("441900103", "茶山镇", "t", 23.07, 113.87, 180000),
    ("441900104", "石排镇", "t", 23.09, 113.92, 240000),
    ("441900105", "企石镇", "t", 23.07, 114.01, 150000),
    ("441900106", "横沥镇", "t", 23.03, 113.96, 230000),
    ("441900107", "桥头镇", "t", 23.02, 114.09, 200000),
    ("441900108", "谢岗镇", "t", 22.96, 114.14, 120000),
    ("441900109", "东坑镇", "t", 22.99, 113.94, 170000),
    ("441900110", "常平镇", "t", 22.97, 114.02, 530000),
    ("441900111", "寮步镇", "t", 22.99, 113.86, 520000),
    ("441900112", "樟木头镇", "t", 22.91, 114.08, 150000),
    ("441900113", "大朗镇", "t", 22.94, 113.93, 560000),
    ("441900114", "黄江镇", "t", 22.88, 114.00, 290000),
    ("441900115", "清溪镇", "t", 22.84, 114.16, 360000),
    ("441900116", "塘厦镇", "t", 22.80, 114.07, 520000),
    ("441900117", "凤岗镇", "t", 22.75, 114.14, 370000),
    ("441900118", "大岭山镇", "t", 22.90, 113.84, 330000),
    ("441900119", "长安镇", "t", 22.81, 113.80, 680000),
    ("441900121", "虎门镇", "t", 22.82, 113.67, 760000),
    ("441900122", "厚街镇", "t", 22.94, 113.67, 500000),
    ("441900123", "沙田镇", "t", 22.92, 113.61, 190000),
    ("441900124", "道滘镇", "t", 23.00, 113.67, 150000),
    ("441900125", "洪梅镇", "t", 23.00, 113.61, 50000),
    ("441900126", "麻涌镇", "t", 23.05, 113.58, 120000),
    ("441900127", "望牛墩镇", "t", 23.06, 113.66, 80000),
    ("441900128", "中堂镇", "t", 23.09, 113.65, 150000),
    ("441900129", "高埗镇", "t", 23.10, 113.72, 220000),
    ("442000001", "石岐街道", "s", 22.52, 113.38, 220000),
    ("442000002", "东区街道", "s", 22.52, 113.40, 200000),
    ("442000003", "中山港街道", "s", 22.54, 113.47, 400000),
    ("442000004", "西区街道", "s", 22.53, 113.35, 170000),
    ("442000005", "南区街道", "s", 22.48, 113.36, 100000),
    ("442000006", "五桂山街道", "s", 22.45, 113.43, 70000),
    ("442000007", "民众街道", "s", 22.62, 113.48, 160000),
    ("442000008", "南朗街道", "s", 22.49, 113.53, 130000),
    ("442000101", "黄圃镇", "t", 22.71, 113.34, 200000),
    ("442000103", "东凤镇", "t", 22.68, 113.26, 200000),
    ("442000105", "古镇镇", "t", 22.61, 113.19, 220000),
    ("442000106", "沙溪镇", "t", 22.52, 113.33, 200000),
    ("442000107", "坦洲镇", "t", 22.26, 113.46, 250000),
    ("442000108", "港口镇", "t", 22.58, 113.39, 160000),
    ("442000109", "三角镇", "t", 22.68, 113.42, 160000),
    ("442000110", "横栏镇", "t", 22.52, 113.26, 200000),
    ("442000111", "南头镇", "t", 22.71, 113.29, 150000),
    ("442000112", "阜沙镇", "t", 22.66, 113.35, 70000),
    ("442000114", "三乡镇", "t", 22.35, 113.44, 240000),
    ("442000115", "板芙镇", "t", 22.41, 113.32, 100000),
    ("442000116", "大涌镇", "t", 22.47, 113.29, 100000),
    ("442000117", "神湾镇", "t", 22.31, 113.36, 40000),
    ("442000118", "小榄镇", "t", 22.66, 113.24, 660000),
]
TOWNSHIP_NOTES = {
    "442000007": "changed from 镇 to 街道 (民众镇 442000102 in older code lists)",
    "442000008": "changed from 镇 to 街道 (南朗镇 in older code lists)",
    "442000118": "includes the former 东升镇 (442000104 in older code lists), merged into 小榄",
    "442000003": "formerly listed as 火炬开发区街道",
}

# ---------------------------------------------------------------------------------- roles and flags
PRD_RECEIVERS = {
    "441223",
    "441224",
    "441225",
    "441226",  # 肇庆: 广宁 怀集 封开 德庆
    "440781",
    "440783",
    "440785",  # 江门: 台山 开平 恩平
    "441322",
    "441323",
    "441324",
}  # 惠州: 博罗 惠东 龙门

ETHNIC = {
    "440232": "autonomous county (AREAS)",
    "441825": "autonomous county (AREAS)",
    "441826": "autonomous county (AREAS)",
    "440222": "contains 深渡水瑶族乡 440222204 (STREETS as 深渡水乡; full name per kampuspedia.com)",
    "441823": "contains 秤架瑶族乡 441823201 (STREETS)",
    "441882": "contains 瑶安瑶族乡 441882200 and 三水瑶族乡 441882201 (STREETS)",
    "441625": "contains 漳溪畲族乡 441625200 (STREETS as 漳溪乡; full name per wikizero.com)",
    "441224": "contains 下帅壮族瑶族乡 441224200 (STREETS)",
    "441324": "contains 蓝田瑶族乡 441324200 (STREETS)",
}
MEIZHOU_SOVIET = "confirmed: 梅州 is wholly former Soviet area (static.nfnews.com/content/202601/12/c12071667.html)"
CENTRAL_SOVIET = {
    "441402": MEIZHOU_SOVIET,
    "441403": MEIZHOU_SOVIET,
    "441422": MEIZHOU_SOVIET,
    "441423": MEIZHOU_SOVIET,
    "441424": MEIZHOU_SOVIET,
    "441426": MEIZHOU_SOVIET,
    "441427": MEIZHOU_SOVIET,
    "441481": MEIZHOU_SOVIET,
    "445122": "confirmed by 中共中央党史研究室, June 2010 (m.fx361.cc/news/2014/1021/2539317.html)",
    "441622": "confirmed by 中央党史研究室, April 2011 (jizihe.com/page/2016/0514/8612170.shtml)",
    "441624": "memory, high-medium confidence; verify",
    "441623": "memory, medium confidence; verify",
    "440282": "memory, high-medium confidence; verify",
    "440224": "memory, medium confidence; verify",
    "440222": "memory, medium-low confidence; verify",
    "440281": "memory, medium-low confidence; verify",
    "440229": "memory, low confidence; verify",
}
HAILUFENG = (
    "one of the 11 困难县(市、区) of the 2018《海陆丰革命老区振兴发展规划》(chinanews.com/gn/2018/09-12/8625727.shtml)"
)
OLD_REVOLUTIONARY_HLF = {
    "441521",
    "441581",
    "441523",
    "441502",
    "441621",
    "445224",
    "445222",
    "445281",
    "440513",
    "440514",
    "441323",
}


def half_up(x: float) -> int:
    return math.floor(x + 0.5)


def read_strength() -> dict[str, dict[str, str]]:
    """The researched 2020 GDP and budget revenue of each city (sources/city_strength.csv)."""
    with (SOURCES / "city_strength.csv").open(encoding="utf-8-sig", newline="") as fh:
        return {row["city_id"]: row for row in csv.DictReader(fh)}


def yuan_1e8(raw: str) -> tuple[float | None, str]:
    """A figure in 亿元 as the roster's CSV holds it, and a remark when that rounds the published one.

    The canonical writer (solver.table_csv) writes a float with 6 significant digits, so a figure
    such as 广州's GDP 25019.11 is held as 25019.1; the source text keeps the published figure.
    """
    if not raw:
        return None, ""
    published = float(raw)
    held = float(f"{published:g}")
    return held, "" if held == published else f" (the cell holds {held:g}: the roster's CSV keeps 6 significant digits)"


def strength_cells(row: dict[str, str] | None) -> tuple[float | None, float | None, str]:
    """gdp_yuan_1e8, budget_revenue_yuan_1e8 and strength_source of a city."""
    if row is None:
        return (
            None,
            None,
            "GDP and 一般公共预算收入 2020: not found in the research for this roster (R24 weighs supporting cities only)",
        )
    gdp, gdp_note = yuan_1e8(row["gdp_yuan_1e8"])
    revenue, revenue_note = yuan_1e8(row["budget_revenue_yuan_1e8"])
    parts = [
        f"GDP {row['gdp_year']}: {row['gdp_yuan_1e8']} 亿元{gdp_note}, {row['gdp_source']}"
        if gdp is not None
        else "GDP 2020: not found",
        f"一般公共预算收入 {row['revenue_year']}: {row['budget_revenue_yuan_1e8']} 亿元{revenue_note}, {row['revenue_source']}"
        if revenue is not None
        else f"一般公共预算收入 2020: {row['revenue_source'] or 'not found'}",
    ]
    return gdp, revenue, "; ".join(parts)


def build_cities() -> list[dict[str, object]]:
    strength = read_strength()
    rows = []
    for city_id, name, zone, lat, lon in CITIES:
        prd = zone == "prd"
        receives = not prd or city_id in PRD_RECEIVING_CITIES
        supports = city_id in SUPPORTING_CITIES
        src = f"{AREAS_SRC}; {ZONE_SRC}"
        if not prd:
            src += "; receives: all 12 EWN cities (annex 2)"
        elif receives:
            src += "; receives: one of the 3 PRD cities with underdeveloped counties (annex 2 clause 7)"
        if supports:
            src += f"; {SIX_SOURCE}"
            capacity, capacity_source = None, CITY_CAPACITY
        elif prd:
            src += f"; {NOT_SUPPORTING}"
            capacity, capacity_source = 0, NOT_SUPPORTING_DETAIL
        else:
            capacity, capacity_source = 0, "n/a: not a supporter (capacity 0)"
        gdp, revenue, strength_source = strength_cells(strength.get(city_id))
        rows.append(
            {
                "city_id": city_id,
                "name": name,
                "zone": zone,
                "receives": receives,
                "supports": supports,
                "capacity": capacity,
                "lat": lat,
                "lon": lon,
                "source": src,
                "capacity_source": capacity_source,
                "coord_source": f"{MEM}, seat of the city government",
                "gdp_yuan_1e8": gdp,
                "budget_revenue_yuan_1e8": revenue,
                "strength_source": strength_source,
            }
        )
    return rows


def estimates(population: int, ewn: bool) -> tuple[int, int, str]:
    ratio, per_school = RATIOS["ewn" if ewn else "prd"]
    teachers = max(MIN_TEACHERS, half_up(population * ratio))
    schools = max(MIN_SCHOOLS, half_up(teachers / per_school))
    return teachers, schools, f"teachers = population × {ratio}; schools = teachers / {per_school}"


NO_CITY_PAIR = (
    "role none: a county-level unit of {city}, which supports no receiving city (cities.csv); county pairs nest in "
    "city pairs (R04), so it cannot support a county either"
)


def build_areas() -> list[dict[str, object]]:
    zones = {c[0]: c[2] for c in CITIES}
    city_names = {c[0]: c[1] for c in CITIES}
    rows = []
    for area_id, name, t, lat, lon, coord_note, pop in COUNTY_LEVEL:
        city_id = area_id[:4] + "00"
        ewn = zones[city_id] != "prd"
        receiver = ewn or area_id in PRD_RECEIVERS
        if receiver:
            role = "receiver"
        elif city_id in SUPPORTING_CITIES:
            role = "supporter"
        else:
            role = "none"
        if ewn:
            role_src = f"{ROLE_CLAUSE} (county-level unit of an EWN city: one of the 74)"
        elif receiver:
            role_src = f"{ROLE_CLAUSE}; receiver status {INFERRED_10}"
        elif role == "supporter":
            role_src = f"{ROLE_CLAUSE} (PRD county-level unit)"
        else:
            role_src = NO_CITY_PAIR.format(city=city_names[city_id])
        source = f"{AREAS_SRC}; {role_src}"
        if coord_note == "m":
            coord_src = MEM
        elif coord_note:
            coord_src = f"{LUA}, {coord_note}"
        else:
            coord_src = LUA
        teachers, schools, formula = estimates(pop, ewn)
        if role == "supporter":
            cap, cap_src = None, UNIT_CAPACITY
        else:
            cap, cap_src = 0, "capacity 0: receiver" if receiver else "capacity 0: role none"
        est = f"estimate: population {MEM} of 2020 census"
        if area_id in ESTIMATE_NOTES:
            est += f" ({ESTIMATE_NOTES[area_id]})"
        est += f"; {formula}; {cap_src}"
        if receiver:
            soviet = area_id in CENTRAL_SOVIET
            old_rev = area_id in OLD_REVOLUTIONARY_HLF or soviet
            ethnic = area_id in ETHNIC
            parts = [
                f"central_soviet: {CENTRAL_SOVIET[area_id]}"
                if soviet
                else "central_soviet: not in the 原中央苏区 list of facts Table 4b"
            ]
            if area_id in OLD_REVOLUTIONARY_HLF:
                parts.append(f"old_revolutionary: {HAILUFENG}")
            elif soviet:
                parts.append("old_revolutionary: 原中央苏区 counties are also 革命老区 (memory)")
            else:
                parts.append(
                    "old_revolutionary: no county-level designation found (Guangdong designates "
                    "老区 at township level; memory)"
                )
            parts.append(
                f"ethnic: {ETHNIC[area_id]}"
                if ethnic
                else "ethnic: no autonomous county status and no 民族乡 in STREETS"
            )
            flag_src = "facts Table 4; " + "; ".join(parts)
        else:
            soviet = old_rev = ethnic = False
            flag_src = (
                f"n/a: {'supporter' if role == 'supporter' else 'role none'} unit (flags are set for receivers only)"
            )
        rows.append(
            {
                "area_id": area_id,
                "name": name,
                "city_id": city_id,
                "type": TYPES[t],
                "role": role,
                "lat": lat,
                "lon": lon,
                "population": pop,
                "teachers": teachers,
                "schools": schools,
                "central_soviet": soviet,
                "old_revolutionary": old_rev,
                "ethnic": ethnic,
                "capacity": cap,
                "source": source,
                "coord_source": coord_src,
                "estimate_source": est,
                "flag_source": flag_src,
            }
        )
    for area_id, name, t, lat, lon, pop in TOWNSHIPS:
        city_id = area_id[:4] + "00"
        teachers, schools, formula = estimates(pop, ewn=False)
        note = f"; {TOWNSHIP_NOTES[area_id]}" if area_id in TOWNSHIP_NOTES else ""
        source = f"{STREETS_SRC}{note}; {ROLE_CLAUSE} (东莞/中山 support through their 镇街)"
        est = f"estimate: population rough estimate (2020, not a census figure); {formula}; {UNIT_CAPACITY}"
        rows.append(
            {
                "area_id": area_id,
                "name": name,
                "city_id": city_id,
                "type": TYPES[t],
                "role": "supporter",
                "lat": lat,
                "lon": lon,
                "population": pop,
                "teachers": teachers,
                "schools": schools,
                "capacity": None,
                "source": source,
                "coord_source": MEM,
                "estimate_source": est,
                "flag_source": "n/a: supporter unit (flags are set for receivers only)",
            }
        )
    return rows


CITY_INSTITUTE_NAMES = {
    "440100": ("广州市教育研究院", "memory: usual name, not checked"),
    "440300": ("深圳市教育科学研究院", "memory: usual name, not checked"),
}
AMBIGUOUS_COUNTY_NAMES = {"城区"}


def institute(institute_id: str, name: str, level: str, area_id: str, city_id: str, source: str) -> dict[str, object]:
    return {
        "institute_id": institute_id,
        "name": name,
        "level": level,
        "area_id": area_id,
        "city_id": city_id,
        "source": source,
    }


def build_institutes() -> list[dict[str, object]]:
    rows = [institute("jy440000", "广东省教育研究院", "province", "440000", "", "memory: usual name, not checked")]
    for city_id, name, *_ in CITIES:
        inst_name, src = CITY_INSTITUTE_NAMES.get(city_id, (f"{name}教育局教研室", "estimate: usual name, not checked"))
        rows.append(institute(f"jy{city_id}", inst_name, "city", city_id, city_id, src))
    city_names = {c[0]: c[1] for c in CITIES}
    for area_id, name, *_ in COUNTY_LEVEL:
        city_id = area_id[:4] + "00"
        full = f"{city_names[city_id]}{name}" if name in AMBIGUOUS_COUNTY_NAMES else name
        rows.append(
            institute(
                f"jy{area_id}", f"{full}教师发展中心", "county", area_id, city_id, "estimate: usual name, not checked"
            )
        )
    return rows


# ---------------------------------------------------------------------------------- writing
def write_table(directory: Path, table: Table, rows: Iterable[dict[str, object]]) -> list[RosterRow]:
    """Check every row with the roster model and write it as the canonical writer does (solver.table_csv,
    UTF-8 with BOM): the model's columns, rows in id order, text cells guarded. Return the rows."""
    models = [table.model.model_validate(row) for row in rows]
    ids = [m.id for m in models]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SystemExit(f"{table.filename}: duplicate ids {duplicates}")
    path = directory / table.filename
    path.write_text(table_csv(table, models), encoding="utf-8-sig", newline="")
    print(f"wrote {len(models)} rows to {path}")
    return models


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parent.parent / "data" / "guangdong"
    parser.add_argument("roster_dir", type=Path, nargs="?", default=default)
    args = parser.parse_args(argv)
    write_table(args.roster_dir, Table.CITIES, build_cities())
    write_table(args.roster_dir, Table.AREAS, build_areas())
    write_table(args.roster_dir, Table.INSTITUTES, build_institutes())
    return 0


if __name__ == "__main__":
    sys.exit(main())
