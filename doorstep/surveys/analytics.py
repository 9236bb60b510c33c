"""Surveys' facts in the analytics engine (``core.analytics``): ``answers``.

``answers/organization_id=…/country=…/month=…/``: for each form's summary inside its organization,
how many times each answer was given to each question among the submissions received in a month
(counts of values, not the answers themselves: nothing ties two answers to one submission, or any
to a person); a row with no question counts the submissions. Numbers and choices are counted; text
is never kept, only how many answered. A month is counted again (its submissions opened with their
keys, here, inside ``surveys``) when its current submissions changed: their count or ids.
"""

from collections import Counter
from datetime import datetime, timedelta

import pyarrow as pa
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from doorstep.core import analytics, vault
from doorstep.core.analytics import FactKind, Run

from . import xforms
from .models import FormVersion, Submission
from .services import DATA_PURPOSE
from .summary import NUMBER_TYPES

ANSWER_COLUMNS = [
    ("form_id", pa.int64()),
    ("question", pa.string()),  # its path; "" for the submissions themselves
    ("choice", pa.string()),  # a choice question's answer (several: space-separated, as sent)
    ("number", pa.float64()),  # a number question's answer
    ("answers", pa.int64()),  # how many times it was given
]
ANSWER_SCHEMA = pa.schema(ANSWER_COLUMNS)


def refresh_answers(run: Run) -> None:
    stamps = (
        (org_id, month.strftime("%Y-%m"), f"{count}|{total}")
        for org_id, month, count, total in Submission.objects.filter(current=True)
        .order_by()
        .annotate(month=TruncMonth("received_at"))
        .values("organization_id", "month")
        .annotate(n=Count("id"), total=Sum("id"))
        .values_list("organization_id", "month", "n", "total")
    )
    run.refresh_whole("answers", stamps, answers_table)


def answers_table(org_id: int, month: str) -> pa.Table:
    """The numbers and choices of an organization's submissions received in a month ("YYYY-MM"),
    opened with their keys here and kept without anything that ties them together or to a person."""
    start = datetime.fromisoformat(f"{month}-01T00:00:00+00:00")
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    questions: dict[int, list[tuple[str, str]]] = {}
    counts: Counter = Counter()
    submissions = (
        Submission.objects.filter(
            organization_id=org_id, current=True, received_at__gte=start, received_at__lt=end
        )
        .order_by()
        .values_list(
            "form_id",
            "version_id",
            "encrypted",
            "subject_key_id",
            "subject_key__organization_key_version",
            "subject_key__wrapped_key",
            "sealed_data",
        )
    )
    for form_id, version_id, encrypted, key_id, key_version, wrapped, sealed in submissions.iterator(
        chunk_size=2000
    ):
        counts[(form_id, "", None, None)] += 1
        if encrypted:
            continue  # opened only with the organization's private key, never here
        if version_id not in questions:
            structure = FormVersion.objects.get(pk=version_id).structure
            questions[version_id] = [(q["path"], q["type"]) for q in xforms.questions(structure)]
        record = vault.open_sealed_with(key_id, org_id, key_version, wrapped, sealed, purpose=DATA_PURPOSE)
        for path, kind in questions[version_id]:
            for answer in xforms.answers_at([record], path):
                if answer in ("", None):
                    continue
                if kind.startswith("select"):
                    counts[(form_id, path, str(answer), None)] += 1
                elif kind in NUMBER_TYPES:
                    counts[(form_id, path, None, _number(answer))] += 1
                else:
                    counts[(form_id, path, None, None)] += 1
    rows = sorted(
        counts.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or "", item[0][3] or 0)
    )
    columns = list(zip(*[(*key, n) for key, n in rows], strict=True)) or [[] for _ in ANSWER_COLUMNS]
    return pa.Table.from_arrays(
        [pa.array(values, type=kind) for values, (_name, kind) in zip(columns, ANSWER_COLUMNS, strict=True)],
        schema=ANSWER_SCHEMA,
    )


def _number(answer) -> float | None:
    try:
        number = float(str(answer))
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def register() -> None:
    analytics.register(FactKind("answers", ANSWER_SCHEMA, refresh_answers, by_month=True))
