"""The tenancy door, proved over the whole URL map.

Every URL pattern and API route that takes an object id is listed in CASES with requests aimed at
another organization's objects; a user of that other organization (its admin, the strongest role)
must get 404 and nothing may change. A new route with an id fails ``test_every_route_with_an_id_has_a_case``
until its case is written here.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLResolver, get_resolver

from doorstep.core.models import OwnedModel
from doorstep.organizations import services
from doorstep.organizations.models import ApiToken, RoleAssignment

DOORSTEP = Path(__file__).resolve().parents[2]

# Routes with a parameter that is not an organization's object id, and why.
EXEMPT = {
    "accounts/reset/<uidb64>/<token>/": "a signed one-time invitation link, valid for one user only",
}
EXEMPT_PREFIXES = ("admin/",)  # the platform admin's site: superusers only, not organization-scoped


def _routes(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def _person_a(world):
    return RoleAssignment.objects.get(user=world.organizer_a, organization=world.org_a).pk


def _token_a(world):
    token, _raw = services.issue_token(world.admin_a, name="alice's", actor=world.admin_a)
    return token.pk


# route -> function(world) giving [(method, url, json body or form data)], all aimed at union A,
# sent by the admin of cooperative B.
CASES = {
    "orgs/<slug:org_slug>/": lambda w: [
        ("get", "/orgs/union-a/", None),
        ("post", "/orgs/union-a/", {"member": 1}),
    ],
    "orgs/<slug:org_slug>/people/": lambda w: [
        ("get", "/orgs/union-a/people/", None),
        ("post", "/orgs/union-a/people/", {"username": "mole", "role": "org_admin"}),
    ],
    "orgs/<slug:org_slug>/people/<int:person_id>/": lambda w: [
        ("get", f"/orgs/union-a/people/{_person_a(w)}/", None),
        ("get", f"/orgs/coop-b/people/{_person_a(w)}/", None),
        ("post", f"/orgs/coop-b/people/{_person_a(w)}/", {"action": "role", "role": "worker"}),
        ("post", f"/orgs/coop-b/people/{_person_a(w)}/", {"action": "deactivate"}),
    ],
    "account/tokens/<int:token_id>/revoke/": lambda w: [
        ("post", f"/account/tokens/{_token_a(w)}/revoke/", {})
    ],
    "api/v1/organizations/<organization_id>": lambda w: [
        ("get", f"/api/v1/organizations/{w.org_a.pk}", None)
    ],
    "api/v1/organizations/<organization_id>/affiliations": lambda w: [
        ("post", f"/api/v1/organizations/{w.org_a.pk}/affiliations", {"member_id": w.org_b.pk}),
    ],
    "api/v1/organizations/<organization_id>/people": lambda w: [
        ("get", f"/api/v1/organizations/{w.org_a.pk}/people", None),
        ("post", f"/api/v1/organizations/{w.org_a.pk}/people", {"username": "mole", "role": "org_admin"}),
    ],
    "api/v1/organizations/<organization_id>/people/<person_id>": lambda w: [
        ("patch", f"/api/v1/organizations/{w.org_a.pk}/people/{_person_a(w)}", {"role": "worker"}),
        ("patch", f"/api/v1/organizations/{w.org_b.pk}/people/{_person_a(w)}", {"is_active": False}),
    ],
    "api/v1/tokens/<token_id>": lambda w: [("delete", f"/api/v1/tokens/{_token_a(w)}", None)],
}


def _snapshot():
    """Every row of every Doorstep table but the logs, to prove a refused request changed nothing."""
    skip = {"core.auditevent", "core.auditchainhead", "core.loginfailure"}
    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model.__module__.startswith("doorstep.") and label not in skip:
            state[label] = list(model._default_manager.order_by("pk").values())
    for row in state["organizations.user"]:
        row.pop("last_login")
    for row in state["organizations.apitoken"]:
        row.pop("last_used_at")  # bob's own token records its use
    return state


def test_every_route_with_an_id_has_a_case():
    routes_with_ids = {
        route
        for route in _routes()
        if "<" in route and route not in EXEMPT and not route.startswith(EXEMPT_PREFIXES)
    }
    assert routes_with_ids - CASES.keys() == set(), "write a cross-organization case for these routes"
    assert CASES.keys() - routes_with_ids == set(), "these cases name routes that no longer exist"


@pytest.mark.parametrize("route", sorted(CASES))
def test_another_organization_gets_404_and_nothing_changes(world, route):
    requests = CASES[route](world)
    session = Client()
    session.force_login(world.admin_b)
    _token, raw = services.issue_token(world.admin_b, name="bob's", actor=world.admin_b)
    bearer = Client(headers={"Authorization": f"Bearer {raw}"})
    before = _snapshot()
    for method, url, data in requests:
        if url.startswith("/api/"):
            response = (
                getattr(bearer, method)(url, data, content_type="application/json")
                if data is not None
                else getattr(bearer, method)(url)
            )
        else:
            response = (
                getattr(session, method)(url, data) if data is not None else getattr(session, method)(url)
            )
        assert response.status_code == 404, f"{method.upper()} {url} answered {response.status_code}"
        assert b"Union A" not in response.content and b"olga" not in response.content
    assert _snapshot() == before


def test_the_same_requests_work_for_the_owner(world, login):
    """The cases above are not 404 for everyone: union A's admin reaches the same objects."""
    client = login(world.admin_a)
    assert client.get("/orgs/union-a/people/").status_code == 200
    assert client.get(f"/orgs/union-a/people/{_person_a(world)}/").status_code == 200
    assert client.post(f"/account/tokens/{_token_a(world)}/revoke/").status_code == 302
    assert ApiToken.objects.get(user=world.admin_a).revoked_at is not None


def test_no_module_queries_an_owned_model_outside_the_door():
    """Owned models are read through queries.py (built on core.tenancy) and written by services.py."""
    owned = [m.__name__ for m in apps.get_models() if issubclass(m, OwnedModel)]
    assert owned, "no owned models found"
    allowed = {"queries.py", "services.py", "tenancy.py", "demo.py"}
    pattern = re.compile(r"\b(" + "|".join(owned) + r")\.(objects|_default_manager)\b")
    offenders = []
    for path in DOORSTEP.rglob("*.py"):
        parts = path.relative_to(DOORSTEP).parts
        if "tests" in parts or "migrations" in parts or path.name in allowed:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(DOORSTEP)}:{number}: {line.strip()}")
    assert offenders == []


def test_scoped_reads_only_the_users_organizations(world):
    from doorstep.core import tenancy

    rows = tenancy.scoped(RoleAssignment, world.admin_a)
    assert {r.organization_id for r in rows} == {world.org_a.pk}
    assert not tenancy.scoped(RoleAssignment, world.admin_a, world.org_b).exists()
    assert not tenancy.scoped(RoleAssignment, world.worker_a).exists()  # a worker is not staff
