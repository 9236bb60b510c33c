"""Demo data: the analytics engine's first refresh, so that the dashboards have figures at once, and
an open-data release of the demo network."""

from doorstep.core import analytics
from doorstep.core.errors import ValidationError
from doorstep.organizations.models import Organization, User

from . import services


def load() -> list[str]:
    report = analytics.refresh()
    lines = [
        f"Analytics: {report.rows['orders']} work orders in {report.written['orders']} monthly files, "
        f"{report.written['members']} member files, in {report.seconds:.1f} s"
    ]
    network = Organization.objects.filter(slug="demo-network").first()
    analyst = User.objects.filter(username="analyst").first()
    if network is not None and analyst is not None:
        try:
            made = services.publish_release(
                network,
                data={
                    "title": "Members of the demo network by country and category",
                    "licence": "CC-BY-4.0",
                    "tables": ["members-country-category", "work-sector"],
                },
                actor=analyst,
            )
        except ValidationError as error:
            lines.append(f"No open-data release: {error.message}")
        else:
            lines.append(f"Open data: release {made.pk} of {network.name}, {made.rows} rows")
    return lines
