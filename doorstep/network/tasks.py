"""Background jobs of the network app (run by `python -m doorstep db_worker`); arguments are ids only."""

from django_tasks import task

from . import services


@task()
def deliver_edition(bulletin_id: int) -> None:
    services.deliver_edition(bulletin_id)
