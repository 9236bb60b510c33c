"""Make the directory's light world map (doorstep/network/data/worldmap.svg) from the country shapes
of pygal_maps_world (LGPL-3.0-or-later; the shapes are kept under that licence, see the data README).

    python tools/worldmap.py path/to/pygal_maps_world/worldmap.svg doorstep/network/data/worldmap.svg

Each path is read as its end points (control points of curves dropped), simplified with the
Ramer-Douglas-Peucker rule, rounded to whole units at half size, and tiny islands dropped: the full
map is about 780 KB, this one a small fraction of it.
"""

import itertools
import re
import sys

TOKEN = re.compile(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")
ARGS = {"m": 2, "l": 2, "c": 6, "s": 4, "h": 1, "v": 1, "z": 0}
SCALE = 0.5
TOLERANCE = 1.2  # in output units
MIN_EXTENT = 2.0  # drop rings smaller than this in both directions


def rings(d: str) -> list[list[tuple[float, float]]]:
    tokens = TOKEN.findall(d)
    out, ring = [], []
    x = y = 0.0
    start = (0.0, 0.0)
    command = None
    i = 0
    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
            if command in "zZ":
                x, y = start
                if ring:
                    out.append(ring)
                ring = []
                continue
        lower = command.lower()
        values = [float(v) for v in tokens[i : i + ARGS[lower]]]
        i += ARGS[lower]
        relative = command.islower()
        if lower == "m":
            if ring:
                out.append(ring)
            x, y = (x + values[0], y + values[1]) if relative else values
            start = (x, y)
            ring = [(x, y)]
            command = "l" if relative else "L"  # further pairs are line-tos
            continue
        if lower == "h":
            x = x + values[0] if relative else values[0]
        elif lower == "v":
            y = y + values[0] if relative else values[0]
        else:
            dx, dy = values[-2], values[-1]
            x, y = (x + dx, y + dy) if relative else (dx, dy)
        ring.append((x, y))
    if ring:
        out.append(ring)
    return out


def simplify(points, tolerance):
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    dx, dy = x2 - x1, y2 - y1
    length = (dx * dx + dy * dy) ** 0.5
    worst, index = 0.0, 0
    for k in range(1, len(points) - 1):
        px, py = points[k]
        if length < 1e-6:  # a closed ring: distance from its start
            distance = ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
        else:
            distance = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / length
        if distance > worst:
            worst, index = distance, k
    if worst <= tolerance:
        return [points[0], points[-1]]
    return simplify(points[: index + 1], tolerance)[:-1] + simplify(points[index:], tolerance)


def dot(ring) -> str:
    """A small square where a country is too small to draw, so that it can still be marked."""
    xs, ys = [p[0] * SCALE for p in ring], [p[1] * SCALE for p in ring]
    x, y = round((min(xs) + max(xs)) / 2), round((min(ys) + max(ys)) / 2)
    return f"M{x - 2} {y - 2}h4v4h-4z"


def path_data(d: str) -> str:
    parts = []
    for ring in rings(d):
        ring = [(x * SCALE, y * SCALE) for x, y in ring]
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        if max(xs) - min(xs) < MIN_EXTENT and max(ys) - min(ys) < MIN_EXTENT:
            continue
        points = simplify(ring, TOLERANCE)
        points = [(round(x), round(y)) for x, y in points]
        kept = [points[0]]
        for point in points[1:]:
            if point != kept[-1]:
                kept.append(point)
        if len(kept) < 3:
            continue
        text = f"M{kept[0][0]} {kept[0][1]}"
        for (ax, ay), (bx, by) in itertools.pairwise(kept):
            text += f"l{bx - ax} {by - ay}"
        parts.append(text + "z")
    return "".join(parts).replace(" -", "-")


def main(source: str, target: str) -> None:
    svg = open(source, encoding="utf-8").read()
    width, height = (float(v) for v in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
    countries = re.findall(r'<g class="(\w\w) country[^"]*">(.*?)</g>', svg, flags=re.S)
    size = f"{round(width * SCALE)} {round(height * SCALE)}"
    lines = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size}">']
    for code, body in countries:
        shapes = re.findall(r' d="([^"]+)"', body)
        d = "".join(path_data(p) for p in shapes)
        if not d and shapes:
            biggest = max((r for p in shapes for r in rings(p)), key=len)
            d = dot(biggest)
        if d:
            lines.append(f'<path id="{code.upper()}" d="{d}"/>')
    lines.append("</svg>")
    with open(target, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
