"""Background jobs of the messaging app (run by `python -m doorstep db_worker`); arguments are ids only."""

from django_tasks import task


@task()
def deliver(message_id: int) -> None:
    from .services import sending  # noqa: PLC0415 - cycle: sending queues this job

    sending.deliver(message_id)


@task()
def expand_notice(notice_id: int) -> None:
    from .services import notices  # noqa: PLC0415 - cycle: notices queues this job

    notices.expand_notice(notice_id)
