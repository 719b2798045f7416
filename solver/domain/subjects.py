"""The school subjects a team may carry and an institute's visits must cover."""

from __future__ import annotations

SUBJECTS: tuple[str, ...] = (
    "语文",
    "数学",
    "英语",
    "道德与法治",
    "历史",
    "地理",
    "物理",
    "化学",
    "生物学",
    "科学",
    "信息科技",
    "体育与健康",
    "音乐",
    "美术",
    "劳动",
    "心理健康",
)
"""The subjects R19's visits must cover each year ('每年的教研活动均应实现各学科全覆盖', clause 20): the
subjects of the national curriculum (义务教育课程方案 2022; 普通高中课程方案), 艺术 as 音乐 and 美术,
plus 心理健康; a planning list, not one the policy text gives."""
