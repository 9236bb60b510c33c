"""Background jobs of the insights app."""

from django_tasks import task

from . import engine


@task()
def refresh_analytics(verify: bool = False) -> None:
    """Bring the analytics engine's files up to date (``verify``: read every file whole, after one
    was found damaged)."""
    (engine.root() / "queued").unlink(missing_ok=True)
    engine.refresh(verify=verify)
