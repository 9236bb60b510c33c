"""Per-question summaries of a form's submissions, for the organization itself: for each choice
question the count and share of each answer, for each number the count, median, range and a
histogram, for other questions how many answered. (Anything shown outside the organization goes
through disclosure control instead; this is not that.)"""

import math
import statistics
from collections import Counter
from decimal import Decimal, InvalidOperation

from . import xforms

NUMBER_TYPES = {"integer", "decimal", "range"}
BINS = 8
MAP_WIDTH = 320  # the SVG's own units; it scales to the screen
MAP_POINTS = 5000  # drawn at most (evenly picked), to keep the page light on a phone


def _histogram(numbers: list[Decimal]) -> list[dict]:
    low, high = min(numbers), max(numbers)
    if low == high:
        return [{"from": low, "to": high, "count": len(numbers), "width": 100.0}]
    step = (high - low) / BINS
    counts = [0] * BINS
    for number in numbers:
        counts[min(int((number - low) / step), BINS - 1)] += 1
    top = max(counts)
    return [
        {"from": low + step * i, "to": low + step * (i + 1), "count": c, "width": round(c * 100 / top, 1)}
        for i, c in enumerate(counts)
    ]


def point(answer) -> tuple[float, float] | None:
    """(latitude, longitude) of a geopoint answer ("lat lon [altitude accuracy]"), or None."""
    try:
        latitude, longitude = (float(part) for part in str(answer).split()[:2])
    except ValueError:
        return None
    if -90 <= latitude <= 90 and -180 <= longitude <= 180:
        return latitude, longitude
    return None


def _map(answers: list) -> dict | None:
    """Points on a plain equirectangular plot of their own bounding box (no tiles: nothing is
    fetched from a map server, and the page stays light)."""
    points = [p for p in (point(a) for a in answers) if p is not None]
    if not points:
        return None
    south, north = min(p[0] for p in points), max(p[0] for p in points)
    west, east = min(p[1] for p in points), max(p[1] for p in points)
    pad_lat, pad_lon = max((north - south) * 0.05, 0.001), max((east - west) * 0.05, 0.001)
    south, north, west, east = south - pad_lat, north + pad_lat, west - pad_lon, east + pad_lon
    squeeze = math.cos(math.radians((south + north) / 2)) or 1.0
    height = max(80, min(480, round(MAP_WIDTH * (north - south) / ((east - west) * squeeze))))
    step = max(1, len(points) // MAP_POINTS)
    drawn = [
        (
            round((lon - west) / (east - west) * MAP_WIDTH, 1),
            round((north - lat) / (north - south) * height, 1),
        )
        for lat, lon in points[::step]
    ]
    return {
        "points": drawn,
        "count": len(points),
        "width": MAP_WIDTH,
        "height": height,
        "south": round(south, 4),
        "north": round(north, 4),
        "west": round(west, 4),
        "east": round(east, 4),
    }


def geojson(structure: dict, submissions_with_records: list[tuple[int, dict]]) -> dict:
    """Every geopoint answer as a GeoJSON point, with its submission's id and question path."""
    paths = [q["path"] for q in xforms.questions(structure) if q["type"] == "geopoint"]
    features = []
    for submission_id, record in submissions_with_records:
        for path in paths:
            for answer in xforms.answers_at([record], path):
                found = point(answer)
                if found:
                    features.append(
                        {
                            "type": "Feature",
                            "geometry": {"type": "Point", "coordinates": [found[1], found[0]]},
                            "properties": {"submission": submission_id, "question": path},
                        }
                    )
    return {"type": "FeatureCollection", "features": features}


def summarize(structure: dict, records: list[dict], language: str) -> list[dict]:
    total = len(records)
    summary = []
    for question in xforms.questions(structure):
        kind, path = question["type"], question["path"]
        answers = [a for a in xforms.answers_at(records, path) if a not in ("", None)]
        item = {
            "path": path,
            "label": xforms.label_in(question["label"], language) or path,
            "type": kind,
            "answered": len(answers),
            "of": total,
        }
        if kind.startswith("select"):
            labels = {
                c["name"]: xforms.label_in(c.get("label", ""), language) or c["name"]
                for c in question["choices"]
            }
            counts = Counter()
            for answer in answers:
                counts.update(
                    str(answer).split()
                    if "all that apply" in kind or kind.startswith("select_multiple")
                    else [answer]
                )
            top = max(counts.values(), default=0) or 1
            item["choices"] = [
                {
                    "name": name,
                    "label": labels.get(name, name),
                    "count": counts.get(name, 0),
                    "percent": round(100 * counts.get(name, 0) / len(answers), 1) if answers else 0,
                    "width": round(100 * counts.get(name, 0) / top, 1),
                }
                for name in [*labels, *sorted(set(counts) - set(labels))]
            ]
        elif kind == "geopoint":
            item["map"] = _map(answers)
        elif kind in NUMBER_TYPES:
            numbers = []
            for answer in answers:
                try:
                    numbers.append(Decimal(str(answer)))
                except InvalidOperation:
                    continue
            if numbers:
                item.update(
                    median=statistics.median(numbers),
                    minimum=min(numbers),
                    maximum=max(numbers),
                    histogram=_histogram(numbers),
                )
        summary.append(item)
    return summary
