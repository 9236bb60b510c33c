"""Per-question summaries of a form's submissions, for the organization itself. The counts, shares,
medians and histograms come from the analytics engine (``surveys.boards.survey_summary``); the
places of geopoint questions are drawn here, from the submissions themselves, and never leave the
organization. (Anything shown outside the organization goes through disclosure control instead;
this is not that.)"""

import math

from . import xforms

NUMBER_TYPES = {"integer", "decimal", "range"}
BINS = 8
MAP_WIDTH = 320  # the SVG's own units; it scales to the screen
MAP_POINTS = 5000  # drawn at most (evenly picked), to keep the page light on a phone


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


def maps(structure: dict, records: list[dict]) -> dict[str, dict | None]:
    """Each geopoint question's map (its answers drawn), by path."""
    return {
        q["path"]: _map([a for a in xforms.answers_at(records, q["path"]) if a not in ("", None)])
        for q in xforms.questions(structure)
        if q["type"] == "geopoint"
    }
