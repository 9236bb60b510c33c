"""Background jobs, run by `python -m doorstep db_worker` (django-tasks, database backend).

Each job takes ids only (never personal data: task arguments are stored in the database)."""

from django_tasks import task

from . import imports


@task()
def validate_import(import_id: int) -> None:
    imports.validate(import_id)


@task()
def run_import(import_id: int, actor_id: int) -> None:
    imports.run(import_id, actor_id)


@task()
def refresh_analytics(verify: bool = False) -> None:
    """Bring the analytics engine's files up to date (``verify``: read every file whole, after one
    was found damaged)."""
    from . import analytics  # noqa: PLC0415 - cycle: core.analytics queues this job

    analytics.run_queued_refresh(verify=verify)
