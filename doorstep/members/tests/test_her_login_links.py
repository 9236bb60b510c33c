"""A member finds her own login (the card's QR code, links from the home and staff login pages), and
once in, her pages speak to her, show her member number and offer only what she can use."""

import re

from django.test import Client

from doorstep.core.navigation import items_for
from doorstep.members.models import Member
from doorstep.members.services import logins as login_services


def _member_with_login(world, register) -> Member:
    member = register("Sunita Devi", phones=["+919812345678"])
    login_services.give_login(member, pin="482916", actor=world.admin_a)
    return Member.objects.get(pk=member.pk)


def test_the_card_qr_code_is_the_link_to_her_organizations_member_login(world, login, register):
    member = register("Sunita Devi")
    html = login(world.organizer_a).get(f"/orgs/union-a/members/{member.pk}/card/").content.decode()
    assert "http://testserver/orgs/union-a/login/" in html
    assert "DOORSTEP:" not in html
    qr = re.search(r'<div class="card-qr">(.*?)</div>', html, re.S).group(1)
    assert "<svg" in qr and "union-a" not in qr  # the link is drawn, not written in the SVG


def test_the_home_and_staff_login_pages_link_to_the_member_login(db):
    for page in ("/", "/accounts/login/"):
        assert 'href="/members/login/"' in Client().get(page).content.decode(), page


def test_the_member_login_start_leads_to_her_organizations_login(world):
    response = Client().get("/members/login/", {"organization": "Union-A"})
    assert response.status_code == 302 and response["Location"] == "/orgs/union-a/login/"


def test_rejects_an_unknown_organization_code_next_to_the_field(world):
    response = Client().get("/members/login/", {"organization": "no-such-union"})
    html = response.content.decode()
    assert response.status_code == 422 and "No organization has this code" in html
    assert 'href="#id_organization"' in html


def test_her_profile_speaks_to_her(world, register):
    member = _member_with_login(world, register)
    client = Client()
    client.force_login(member.user)
    html = client.get("/orgs/union-a/me/").content.decode()
    assert "How to find your home" in html and "People in your household" in html
    assert "her home" not in html and "her household" not in html


def test_her_footer_shows_her_member_number_not_the_username(world, register):
    member = _member_with_login(world, register)
    client = Client()
    client.force_login(member.user)
    footer = client.get("/orgs/union-a/me/").content.decode().split('<footer class="foot"')[1]
    assert f"Logged in as member #{member.number}" in footer
    assert member.user.username not in footer


def test_her_menu_offers_no_api_tokens_or_password(world, register):
    member = _member_with_login(world, register)
    keys = [key for key, _label, _url in items_for(member.user, world.org_a)]
    assert "my_profile" in keys and "my_passbook" in keys
    assert "tokens" not in keys and "account" not in keys
    client = Client()
    client.force_login(member.user)
    html = client.get("/orgs/union-a/me/").content.decode()
    assert "/account/tokens/" not in html and "/accounts/password/" not in html


def test_staff_still_have_their_account_and_tokens(world):
    keys = [key for key, _label, _url in items_for(world.organizer_a, world.org_a)]
    assert "tokens" in keys and "account" in keys
