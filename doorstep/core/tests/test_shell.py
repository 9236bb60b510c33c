"""The page shell: navigation by role, the organization switcher, languages, weight and security headers."""

import re

from django.test import Client

from doorstep.core.roles import Role
from doorstep.organizations import services


def _nav(html):
    nav = html.split('<nav class="nav"')[1].split("</nav>")[0]
    return re.findall(r'<a href="([^"]+)"', nav)


def test_visitors_see_the_landing_page(db):
    html = Client().get("/").content.decode()
    assert 'href="/accounts/login/"' in html
    assert '<nav class="nav"' not in html


def test_navigation_fits_the_role(world, login):
    assert "/orgs/union-a/people/" in _nav(login(world.admin_a).get("/").content.decode())
    organizer_nav = _nav(login(world.organizer_a).get("/").content.decode())
    assert "/orgs/union-a/" in organizer_nav
    assert "/orgs/union-a/people/" not in organizer_nav
    assert "/admin/" not in organizer_nav
    assert "/admin/" in _nav(login(world.admin).get("/").content.decode())


def test_the_switcher_changes_the_active_organization(world, login):
    services.add_person(world.network, username="alice", role=Role.NETWORK_ANALYST, actor=world.admin)
    client = login(world.admin_a)
    client.post("/switch-organization/", {"organization": "union-a", "next": "/"})
    html = client.get("/").content.decode()
    assert '<option value="union-a" selected>' in html and '<option value="test-network">' in html
    assert "<h1>Union A</h1>" in html
    response = client.post("/switch-organization/", {"organization": "test-network", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert "<h1>Test Network</h1>" in html
    assert "/orgs/test-network/" in _nav(html)
    assert "/orgs/union-a/people/" not in _nav(html)  # an analyst there, not an admin


def test_the_switcher_ignores_an_organization_that_is_not_hers(world, login):
    client = login(world.admin_a)
    client.post("/switch-organization/", {"organization": "coop-b"})
    assert "<h1>Union A</h1>" in client.get("/").content.decode()


def test_the_switcher_does_not_redirect_elsewhere(world, login):
    response = login(world.admin_a).post(
        "/switch-organization/", {"organization": "union-a", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_french_and_rtl_arabic(world, login):
    client = login(world.admin_a)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    assert "Passer au contenu" in html  # our own catalogue, not only Django's
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "انتقل إلى المحتوى" in html


def test_every_shell_language_is_offered(db):
    html = Client().get("/").content.decode()
    for code in ("en", "fr", "es", "hi", "sw", "ar"):
        assert f'<option value="{code}" lang="{code}"' in html


def test_pages_are_light_and_load_nothing_from_elsewhere(world, login):
    client = login(world.admin_a)
    responses = [Client().get(f"/static/doorstep/{name}") for name in ("doorstep.css", "doorstep.js")]
    assert [r.status_code for r in responses] == [200, 200]
    assets = sum(len(r.getvalue()) for r in responses)
    for url in (
        "/",
        "/orgs/union-a/",
        "/orgs/union-a/people/",
        "/account/",
        "/account/tokens/",
        "/accounts/login/",
    ):
        html = (client if url != "/accounts/login/" else Client()).get(url).content.decode()
        assert len(html.encode()) + assets < 100_000, url
        assert not re.search(r'(src|href)="(https?:)?//', html), url


def test_security_headers(db):
    response = Client().get("/accounts/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_form_errors_sit_next_to_their_field(world, login):
    html = (
        login(world.admin_a)
        .post("/orgs/union-a/people/", {"username": "", "role": "organizer"})
        .content.decode()
    )
    field = html.split('<label for="id_username">')[1].split("</div>")[0]
    assert "This field is required." in field


def test_the_menu_keeps_daily_work_in_front_and_the_rest_under_more(world, login):
    html = login(world.organizer_a).get("/").content.decode()
    nav = html.split('<nav class="nav"')[1].split("</nav>")[0]
    front, more = nav.split('<details class="more">')
    assert "/orgs/union-a/members/" in front and "/orgs/union-a/bulletins/" not in front
    assert "/orgs/union-a/bulletins/" in more and "/orgs/union-a/reports/" in more and "/account/" in more
    assert "<summary>More</summary>" in more
