"""Per-question summaries of a form's submissions, for the organization itself: for each choice
question the count and share of each answer, for each number the count, median, range and a
histogram, for other questions how many answered. (Anything shown outside the organization goes
through disclosure control instead; this is not that.)"""

import statistics
from collections import Counter
from decimal import Decimal, InvalidOperation

from . import xforms

NUMBER_TYPES = {"integer", "decimal", "range"}
BINS = 8


def _label(label, language: str) -> str:
    if isinstance(label, dict):
        return next((v for k, v in label.items() if k.lower().startswith(language)), None) or next(
            iter(label.values()), ""
        )
    return label or ""


def _values(records: list[dict], path: str) -> list:
    """The answers to ``path`` across records, looking inside repeats for a path below one."""
    found = []
    for record in records:
        if path in record:
            found.append(record[path])
            continue
        for key, value in record.items():
            if isinstance(value, list) and path.startswith(f"{key}/"):
                found += _values(value, path[len(key) + 1 :])
    return found


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


def summarize(structure: dict, records: list[dict], language: str) -> list[dict]:
    total = len(records)
    summary = []
    for question in xforms.questions(structure):
        kind, path = question["type"], question["path"]
        answers = [a for a in _values(records, path) if a not in ("", None)]
        item = {
            "path": path,
            "label": _label(question["label"], language) or path,
            "type": kind,
            "answered": len(answers),
            "of": total,
        }
        if kind.startswith("select"):
            labels = {
                c["name"]: _label(c.get("label", ""), language) or c["name"] for c in question["choices"]
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
