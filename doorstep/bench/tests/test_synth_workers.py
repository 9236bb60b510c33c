"""`synth --workers 2` on PostgreSQL: processes of their own write what one process would write
(a module of its own: its database really commits, see ``committed_db``)."""

import io

import pytest
from django.core.management import call_command

from doorstep.work.models import WorkOrder


def _synth(**options):
    defaults = {"members": 60, "orders_per_member": 4, "seed": 7, "organizations": 3}
    call_command("synth", **(defaults | options), stdout=io.StringIO())


@pytest.mark.postgres
def test_several_workers_write_the_same_data_as_one(committed_db):
    _synth(prefix="alone", workers=1)
    _synth(prefix="together", workers=2)

    def content(prefix):
        return sorted(
            (slug[len(prefix) :], number, str(given), str(rate))
            for slug, number, given, rate in WorkOrder.objects.filter(
                organization__slug__startswith=prefix
            ).values_list("organization__slug", "member__number", "given_on", "piece_rate")
        )

    assert len(content("alone-")) == 240
    assert content("alone-") == content("together-")
