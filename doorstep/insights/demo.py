"""Demo data: the analytics engine's first refresh, so that the dashboards have figures at once, and
an open-data release of the demo network."""

from . import engine


def load() -> list[str]:
    from doorstep.core.errors import ValidationError
    from doorstep.organizations.models import Organization, User

    from . import services

    report = engine.refresh()
    lines = [
        f"Analytics: {report.orders_rows} work orders in {report.partitions_written} monthly files, "
        f"{report.members_written} member files, in {report.seconds:.1f} s"
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
