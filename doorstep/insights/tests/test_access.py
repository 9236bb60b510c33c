"""Each role against each kind of shared or owned data: who gets it, and that everyone else gets no
data (404, or 403 for a member of the organization without a staff role)."""

import pytest

pytestmark = pytest.mark.django_db

USERS = ("admin_a", "organizer_a", "worker_a", "admin_b", "network_admin", "analyst", "company_user")


def _requests(world, shared):
    a = world.org_a.pk
    return {
        "network figures": (
            f"/api/v1/aggregates/members?recipient_id={world.network.pk}&group_by=sector",
            {"network_admin", "analyst"},
        ),
        "company figures": (
            f"/api/v1/aggregates/work?recipient_id={world.company.pk}&group_by=party",
            {"company_user"},
        ),
        "company dossier": (f"/api/v1/due-diligence/{world.company.pk}/dossier", {"company_user"}),
        "union A's work givers": (f"/api/v1/parties?organization_id={a}", {"admin_a", "organizer_a"}),
        "union A's chain": (f"/api/v1/parties/{shared.brand.pk}/chain", {"admin_a", "organizer_a"}),
        "union A's supplier lists": (
            f"/api/v1/supplier-lists?organization_id={a}",
            {"admin_a", "organizer_a"},
        ),
        "union A's commitments": (f"/api/v1/commitments?organization_id={a}", {"admin_a", "organizer_a"}),
        "union A's members": (f"/api/v1/members?organization_id={a}", {"admin_a", "organizer_a"}),
    }


@pytest.mark.parametrize("who", USERS)
def test_each_role_reaches_only_what_is_its_own(world, shared, api, who):
    client = api(getattr(world, who))
    for what, (url, allowed) in _requests(world, shared).items():
        response = client.get(url)
        if who in allowed:
            assert response.status_code == 200, (what, response.status_code)
        else:
            assert response.status_code in (403, 404), (what, response.status_code)
            assert b"Embroiderer" not in response.content and b"Rafiq" not in response.content, what
