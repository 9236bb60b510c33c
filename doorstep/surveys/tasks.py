"""Background jobs of surveys (run by `python -m doorstep db_worker`); arguments are ids only."""

from django_tasks import task

from . import services


@task()
def run_export(export_id: int) -> None:
    services.run_export(export_id)
