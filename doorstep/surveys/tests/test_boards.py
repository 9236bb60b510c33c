"""A form's summary from the analytics engine (``surveys.boards``) and the survey answers kept
there (``surveys.analytics``): counts of values only."""

from decimal import Decimal

import pytest
from django.http import Http404

from doorstep.bench import synth
from doorstep.core import analytics
from doorstep.surveys import boards as survey_boards

pytestmark = pytest.mark.django_db


def test_a_forms_summary_from_the_engine_keeps_only_counts_of_answers(world):
    """The summary's counts, shares and medians are those of the submissions themselves; the
    engine's file holds how many times each value was given, with no text and nothing that ties two
    answers together."""
    import statistics

    import pyarrow.parquet as pq

    from doorstep.surveys import services as survey_services
    from doorstep.surveys.models import Submission

    synth.submissions(world.org_a, world.admin_a, 301, questions=8, seed=11)
    analytics.refresh()
    form = Submission.objects.filter(organization=world.org_a).first().form
    found = survey_boards.survey_summary(world.admin_a, form, "en")
    records = list(
        survey_services.reveal(
            list(Submission.objects.filter(form=form)), actor=world.admin_a, reason="test"
        ).values()
    )
    items = {item["path"]: item for item in found.items}
    assert found.total == 301 and found.refreshed_at is not None
    choices = [r["q001"] for r in records]
    assert {c["name"]: c["count"] for c in items["q001"]["choices"]} == {
        name: choices.count(name) for name in synth.SURVEY_CHOICES
    }
    for path in ("q000", "q003"):  # an integer and a decimal question
        numbers = [Decimal(r[path]) for r in records]
        assert items[path]["median"] == statistics.median(numbers)
        assert (items[path]["minimum"], items[path]["maximum"]) == (min(numbers), max(numbers))
        assert sum(b["count"] for b in items[path]["histogram"]) == 301
    assert items["q002"]["answered"] == 301 and "choices" not in items["q002"]  # text: only that
    manifest = analytics.Manifest.load()
    table = pq.read_table(analytics.root() / next(iter(manifest.parts("answers").values())).file)
    assert table.column_names == ["form_id", "question", "choice", "number", "answers"]
    assert not {r["q002"] for r in records} & set(table.column("choice").to_pylist())
    # An even count: the median is the mean of the two in the middle.
    Submission.objects.filter(pk=Submission.objects.filter(form=form).order_by("pk").first().pk).delete()
    analytics.refresh()
    found = survey_boards.survey_summary(world.admin_a, form, "en")
    item = next(i for i in found.items if i["path"] == "q000")
    assert item["median"] == statistics.median(
        Decimal(r["q000"])
        for r in survey_services.reveal(
            list(Submission.objects.filter(form=form)), actor=world.admin_a, reason="test"
        ).values()
    )
    # An organization's files are its own: another's staff get nothing from this form.
    with pytest.raises(Http404):
        survey_boards.survey_summary(world.admin_b, form, "en")
