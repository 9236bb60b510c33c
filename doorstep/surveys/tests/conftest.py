from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
GOOD = sorted((DATA / "xlsforms" / "good").iterdir())
BAD = sorted((DATA / "xlsforms" / "bad").iterdir())

# A small mapping form written for these tests (XLSForm as markdown, which pyxform reads).
MAPPING_MD = """
| survey |
| | type | name | label | required |
| | integer | member_no | Member number | |
| | text | name | Name | |
| | begin group | work | Work at home | |
| | select_one sector | sector | Sector | |
| | decimal | rate | Piece rate | |
| | end group | | | |
| | begin repeat | giver | Work givers | |
| | text | giver_name | Name | |
| | integer | months | Months | |
| | end repeat | | | |
| | image | photo | Photo of a label | |
| choices |
| | list_name | name | label |
| | sector | embroidery | Embroidery |
| | sector | beadwork | Beadwork |
| settings |
| | form_id | version | form_title | name |
| | homeworker_mapping | 2026-11-1 | Homeworker mapping | mapping |
"""


def submission_xml(
    instance="uuid:0b3f6a3e-5a7e-4b7e-9a54-6c8c3f1d2a01", version="2026-11-1", deprecated="", giver_count=2
):
    givers = "".join(
        f"<giver><giver_name>Agent {i}</giver_name><months>{i + 3}</months></giver>"
        for i in range(giver_count)
    )
    meta = f"<instanceID>{instance}</instanceID>" + (
        f"<deprecatedID>{deprecated}</deprecatedID>" if deprecated else ""
    )
    return (
        '<?xml version="1.0"?><mapping xmlns:jr="http://openrosa.org/javarosa" '
        f'id="homeworker_mapping" version="{version}">'
        "<member_no>1</member_no><name>Sunita Devi</name>"
        "<work><sector>embroidery</sector><rate>2.5</rate></work>"
        f"{givers}<photo>label.jpg</photo><meta>{meta}</meta></mapping>"
    ).encode()


@pytest.fixture
def mapping_form(world):
    from doorstep.surveys import services

    version = services.upload_form(
        world.org_a, filename="mapping.md", data=MAPPING_MD.encode(), actor=world.admin_a
    )
    return version.form


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings, tmp_path):
    """Export jobs write their sealed files under the test's own folder."""
    settings.EXPORT_ROOT = tmp_path / "exports"
