"""Shared test fixtures: a small world of organizations and a user of each role (the healthchecks
way: alice owns, bob is elsewhere), and clients logged in as them."""

from dataclasses import dataclass

import pytest
from django.test import Client

from doorstep.core.roles import Role
from doorstep.organizations import services
from doorstep.organizations.models import Organization, User

# The world in which organizations share with a network and a company (for insights and due diligence).
pytest_plugins = ["doorstep.insights.tests.fixtures"]

PASSWORD = "correct horse battery"  # noqa: S105 - test fixture


@pytest.fixture(autouse=True)
def _fresh_vault_caches():
    """Organization ids are reused across tests (each rolls back), so cached keys must not be."""
    from doorstep.core import vault

    vault.forget_cached_keys()
    yield
    vault.forget_cached_keys()


@pytest.fixture(autouse=True)
def _own_analytics_root(settings, tmp_path):
    """Each test's analytics engine writes its files in a folder of its own."""
    settings.ANALYTICS_ROOT = tmp_path / "analytics"


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """Argon2 is deliberately slow; tests that do not check hashing use a fast hasher."""
    if "real_hashers" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    admin: User
    network: Organization
    org_a: Organization
    org_b: Organization
    company: Organization
    admin_a: User
    organizer_a: User
    worker_a: User
    admin_b: User
    organizer_b: User
    network_admin: User
    analyst: User
    company_user: User


def make_user(username: str, **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    return user


@pytest.fixture
def world(db) -> World:
    admin = User.objects.create_superuser("root", password=PASSWORD)
    network = services.create_organization(
        name="Test Network", slug="test-network", kind="regional_network", actor=admin
    )
    org_a = services.create_organization(
        name="Union A", slug="union-a", kind="union", country="IN", actor=admin
    )
    org_b = services.create_organization(
        name="Cooperative B", slug="coop-b", kind="cooperative", country="KE", actor=admin
    )
    company = services.create_organization(
        name="Brand C", slug="brand-c", kind="company", country="DE", actor=admin
    )
    services.add_affiliation(member=org_a, network=network, actor=admin)
    services.add_affiliation(member=org_b, network=network, actor=admin)
    people = {}
    for username, organization, role in [
        ("alice", org_a, Role.ORG_ADMIN),
        ("olga", org_a, Role.ORGANIZER),
        ("wanja", org_a, Role.WORKER),
        ("bob", org_b, Role.ORG_ADMIN),
        ("otieno", org_b, Role.ORGANIZER),
        ("nadia", network, Role.ORG_ADMIN),
        ("ravi", network, Role.NETWORK_ANALYST),
        ("claire", company, Role.COMPANY),
    ]:
        people[username] = make_user(username)
        services.add_person(organization, username=username, role=role, actor=admin)
    return World(
        admin=admin,
        network=network,
        org_a=org_a,
        org_b=org_b,
        company=company,
        admin_a=people["alice"],
        organizer_a=people["olga"],
        worker_a=people["wanja"],
        admin_b=people["bob"],
        organizer_b=people["otieno"],
        network_admin=people["nadia"],
        analyst=people["ravi"],
        company_user=people["claire"],
    )


@pytest.fixture
def login():
    """``login(user)`` gives a test client with a logged-in session."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api():
    """``api(user)`` gives a client that sends a fresh bearer token of the user's."""

    def make(user: User | None) -> Client:
        if user is None:
            return Client()
        _token, raw = services.issue_token(user, name="test", actor=user)
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` skip, saying why, where the database is not PostgreSQL."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/doorstep "
        "(CI always does)"
    )
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def register(world):
    """``register(full_name=..., organization=..., **fields)`` registers a member through the service."""
    from doorstep.members.services import registry

    def make(full_name: str = "Sunita Devi", organization=None, actor=None, **fields):
        organization = organization or world.org_a
        actor = actor or (world.admin_a if organization == world.org_a else world.admin_b)
        data = {"full_name": full_name, "category": "homeworker", "sectors": ["embroidery"], **fields}
        return registry.create_member(organization, data=data, actor=actor)

    return make


@pytest.fixture
def run_jobs(settings, django_capture_on_commit_callbacks):
    """Background jobs run as soon as the transaction that queued them commits."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    def within():
        return django_capture_on_commit_callbacks(execute=True)

    return within


@pytest.fixture
def _close_connection_after():
    """Set up before ``transactional_db`` so that it is torn down after its flush."""
    yield
    from django.db import connection

    connection.close()  # a fresh session for the next test (see ``committed_db``)


@pytest.fixture
def committed_db(_close_connection_after, transactional_db):
    """A database whose writes really commit (for tests of concurrent writers on PostgreSQL).

    The audit log refuses TRUNCATE, so the flush that ends such a test runs with ordinary triggers
    off for that one session (``session_replication_role = replica``), which is then closed.
    """
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
