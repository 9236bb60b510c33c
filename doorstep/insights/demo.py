"""Demo data: the analytics engine's first refresh, so that the dashboards have figures at once."""

from . import engine


def load() -> list[str]:
    report = engine.refresh()
    return [
        f"Analytics: {report.orders_rows} work orders in {report.partitions_written} monthly files, "
        f"{report.members_written} member files, in {report.seconds:.1f} s"
    ]
