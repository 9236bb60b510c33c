"""Background jobs of the network app (run by `python -m doorstep db_worker`); arguments are ids only."""

from django_tasks import task

from .services import sending


@task()
def deliver_edition(bulletin_id: int) -> None:
    sending.deliver_edition(bulletin_id)
