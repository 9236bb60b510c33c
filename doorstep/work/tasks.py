"""Background jobs of the work app (ids only as arguments)."""

from django_tasks import task

from .services import figures


@task()
def recompute_orders(organization_id: int | None) -> None:
    """Recompute the derived figures of an organization's orders (all organizations' for None):
    after a benchmark or the late-payment threshold changed."""
    figures.recompute(organization_id=organization_id)


@task()
def refresh_waiting_orders() -> None:
    """The late flag of an order still waiting for pay grows with time: recompute those orders."""
    figures.recompute(waiting_only=True)
