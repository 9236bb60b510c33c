"""Bulletins: written in sections (unsafe HTML removed), a version per language, published to a
public archive and an Atom feed that follows RFC 4287, sent by e-mail to confirmed subscribers only
(double opt-in, unsubscribe by a signed link), with news sent in by affiliates."""

import re
from datetime import datetime

import pytest
from defusedxml import ElementTree as ET
from django.core import mail
from django.db import connection
from django.test import Client

from doorstep.core.errors import ValidationError
from doorstep.core.models import SubjectKey
from doorstep.network.models import Bulletin, Delivery, NewsItem, Subscriber
from doorstep.network.services import bulletins, sending, subscribers

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def bulletin(world):
    made = bulletins.create_bulletin(
        world.network,
        data={"title": "Bulletin 1", "language": "en", "summary": "News & views"},
        actor=world.network_admin,
    )
    bulletins.add_section(
        made,
        data={"heading": "Meeting", "body": "Leaders met.\n\nThey planned the campaign."},
        actor=world.network_admin,
    )
    return made


def _published(world, bulletin):
    return bulletins.publish_bulletin(bulletin, actor=world.network_admin)


def test_unsafe_html_is_removed_and_plain_text_becomes_paragraphs(world, bulletin):
    section = bulletins.add_section(
        bulletin,
        data={
            "heading": "Links",
            "body": '<p onclick="steal()">Read <a href="javascript:alert(1)">this</a> and '
            '<a href="https://example.org">that</a></p><script>alert(1)</script><img src=x onerror=alert(1)>'
            "<style>p{}</style><iframe src=//evil></iframe>",
        },
        actor=world.network_admin,
    )
    assert "script" not in section.body and "onclick" not in section.body and "<img" not in section.body
    assert "javascript:" not in section.body and "iframe" not in section.body and "alert" not in section.body
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">that</a>' in section.body
    assert bulletin.sections.first().body == "<p>Leaders met.</p><p>They planned the campaign.</p>"
    with pytest.raises(ValidationError) as refused:
        bulletins.add_section(
            bulletin, data={"heading": "Empty", "body": "<script>x()</script>"}, actor=world.network_admin
        )
    assert refused.value.errors[0].field == "body"


def test_a_draft_is_private_and_published_one_public(world, bulletin, login):
    anonymous = Client()
    assert anonymous.get("/bulletins/test-network/").status_code == 404
    assert anonymous.get(f"/bulletins/test-network/{bulletin.pk}/").status_code == 404
    assert anonymous.get("/api/v1/public/bulletins?organization=test-network").json()["items"] == []
    empty = bulletins.create_bulletin(
        world.network, data={"title": "Empty", "language": "en"}, actor=world.network_admin
    )
    with pytest.raises(ValidationError):
        bulletins.publish_bulletin(empty, actor=world.network_admin)
    page = login(world.network_admin).post(
        f"/orgs/test-network/bulletins/{bulletin.pk}/", {"action": "publish"}
    )
    assert page.status_code == 302
    archive = anonymous.get("/bulletins/test-network/")
    assert archive.status_code == 200 and b"Bulletin 1" in archive.content and b"Empty" not in archive.content
    shown = anonymous.get(f"/bulletins/test-network/{bulletin.pk}/")
    assert b"They planned the campaign." in shown.content and "public" in shown["Cache-Control"]
    assert b"Bulletin 1" in anonymous.get("/bulletins/").content
    api = anonymous.get("/api/v1/public/bulletins?organization=test-network").json()["items"]
    assert [b["title"] for b in api] == ["Bulletin 1"] and api[0]["sections"][0]["heading"] == "Meeting"
    assert anonymous.get(f"/api/v1/public/bulletins/test-network/{empty.pk}").status_code == 404


def test_each_translation_is_its_own_version(world, bulletin, login):
    client = login(world.network_admin)
    response = client.post(
        f"/orgs/test-network/bulletins/{bulletin.pk}/", {"action": "translation", "language": "fr"}
    )
    version = Bulletin.objects.get(language="fr")
    assert response.status_code == 302 and response["Location"].endswith(f"/bulletins/{version.pk}/")
    assert version.edition == bulletin.edition and version.sections.get().heading == "Meeting"
    again = client.post(
        f"/orgs/test-network/bulletins/{bulletin.pk}/", {"action": "translation", "language": "fr"}
    )
    assert again.status_code == 422 and b"already has a version in that language" in again.content
    section = version.sections.get()
    client.post(
        f"/orgs/test-network/bulletins/{version.pk}/",
        {
            "action": "section_update",
            "section": section.pk,
            f"s{section.pk}-heading": "Réunion",
            f"s{section.pk}-body": "Les dirigeantes se sont réunies.",
        },
    )
    assert version.sections.get().heading == "Réunion" and bulletin.sections.get().heading == "Meeting"
    _published(world, bulletin)
    _published(world, version)
    page = Client().get(f"/bulletins/test-network/{bulletin.pk}/")
    assert f'href="/bulletins/test-network/{version.pk}/" lang="fr"'.encode() in page.content


def test_the_atom_feed_follows_rfc_4287(world, bulletin):
    _published(world, bulletin)
    version = bulletins.create_bulletin(
        world.network,
        data={"title": "Bulletin 1 (sw)", "language": "sw", "translation_of": bulletin},
        actor=world.network_admin,
    )
    _published(world, version)
    bulletins.create_bulletin(
        world.network, data={"title": "Draft", "language": "en"}, actor=world.network_admin
    )
    response = Client().get("/bulletins/test-network/feed.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    _check_atom(feed)
    entries = feed.findall(f"{ATOM}entry")
    assert sorted(e.get(XML_LANG) for e in entries) == ["en", "sw"]
    assert "Draft" not in response.content.decode()
    summary = next(e for e in entries if e.get(XML_LANG) == "en").find(f"{ATOM}summary")
    assert (
        summary.get("type") == "html"
        and "<h3>Meeting</h3>" in summary.text
        and "News &amp; views" in summary.text
    )
    only_sw = ET.fromstring(Client().get("/bulletins/test-network/feed.atom?lang=sw").content)
    _check_atom(only_sw)
    assert only_sw.get(XML_LANG) == "sw" and len(only_sw.findall(f"{ATOM}entry")) == 1
    assert only_sw.findtext(f"{ATOM}id") != feed.findtext(f"{ATOM}id")
    assert Client().get("/bulletins/no-such-org/feed.atom").status_code == 404


def _check_atom(feed):
    """The MUST rules of RFC 4287 for a feed and its entries (section 4.1), checked one by one."""
    assert feed.tag == f"{ATOM}feed"

    def one(element, name):
        found = element.findall(f"{ATOM}{name}")
        assert len(found) == 1, f"{element.tag} must have exactly one atom:{name}"
        return found[0]

    def absolute_iri(text):
        assert re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", text or ""), f"not an absolute IRI: {text!r}"

    def date(text):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", text), text
        datetime.fromisoformat(text.replace("Z", "+00:00"))

    absolute_iri(one(feed, "id").text)
    assert one(feed, "title").text
    date(one(feed, "updated").text)
    self_links = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert len(self_links) == 1 and self_links[0].get("href").startswith("http")
    alternates = [link for link in feed.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
    assert len(alternates) <= 1
    feed_has_author = bool(feed.findall(f"{ATOM}author"))
    for author in feed.findall(f"{ATOM}author"):
        assert one(author, "name").text
    ids = set()
    for entry in feed.findall(f"{ATOM}entry"):
        entry_id = one(entry, "id").text
        absolute_iri(entry_id)
        assert entry_id not in ids
        ids.add(entry_id)
        assert one(entry, "title").text
        date(one(entry, "updated").text)
        for published in entry.findall(f"{ATOM}published"):
            date(published.text)
        assert feed_has_author or entry.findall(f"{ATOM}author")
        has_content = bool(entry.findall(f"{ATOM}content"))
        alternate = [
            link for link in entry.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"
        ]
        assert has_content or alternate, "an entry without content needs an alternate link"
        assert len(entry.findall(f"{ATOM}summary")) <= 1
        for link in entry.findall(f"{ATOM}link"):
            assert link.get("href")


def _subscribe(client, email="reader@example.org", language="en", **extra):
    return client.post(
        "/bulletins/test-network/subscribe/",
        {"email": email, "language": language, **extra},
        REMOTE_ADDR="10.1.1.1",
    )


def _link(message, name):
    return re.search(rf"(/bulletins/{name}/[^/\s]+/)", message.body).group(1)


def test_double_opt_in_and_unsubscribe(world, bulletin, django_capture_on_commit_callbacks):
    _published(world, bulletin)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = _subscribe(client, email="Reader@Example.ORG")
    assert response.status_code == 200 and b"Check your e-mail" in response.content
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["Reader@example.org"]
    subscriber = Subscriber.objects.get()
    assert subscriber.status == "pending"
    # The address is sealed: nowhere in the table in plain text.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM network_subscriber")
        assert "example" not in repr(cursor.fetchall()).lower()
    # Nothing is sent to an address that has not confirmed.
    assert sending.deliver_edition(bulletin.pk) == 0
    # The same address again: the same answer, and no second mail within minutes.
    with django_capture_on_commit_callbacks(execute=True):
        assert b"Check your e-mail" in _subscribe(client, email="reader@example.org").content
    assert len(mail.outbox) == 1 and Subscriber.objects.count() == 1
    confirm = _link(mail.outbox[0], "confirm")
    forged = confirm[:-6] + "xxxxx/"
    bad = client.get(forged)
    assert bad.status_code == 400 and b"This link does not work" in bad.content
    assert Subscriber.objects.get().status == "pending"
    first = client.get(confirm)
    assert first.status_code == 200 and b"will come to this address" in first.content
    second = client.get(confirm)
    assert second.status_code == 200 and b"already confirmed" in second.content
    assert Subscriber.objects.get().status == "confirmed"
    # Subscribing again once confirmed: the same answer, nothing sent.
    with django_capture_on_commit_callbacks(execute=True):
        assert b"Check your e-mail" in _subscribe(client, email="reader@example.org").content
    assert len(mail.outbox) == 1

    assert sending.deliver_edition(bulletin.pk) == 1
    sent = mail.outbox[1]
    assert sent.subject == "Bulletin 1" and "They planned the campaign." in sent.body
    html = sent.alternatives[0][0]
    assert (
        "<p>Leaders met.</p>" in html
        and sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    unsubscribe = _link(sent, "unsubscribe")
    assert sent.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert sending.deliver_edition(bulletin.pk) == 0  # each issue once
    assert client.post(unsubscribe[:-4] + "abc/").status_code == 400  # forged: refused, nothing deleted
    assert Subscriber.objects.exists()
    page = client.get(unsubscribe)
    assert page.status_code == 200 and Subscriber.objects.exists()  # a GET only asks
    key = Subscriber.objects.get().key_id
    done = client.post(unsubscribe)
    assert done.status_code == 200 and b"Unsubscribed" in done.content
    assert not Subscriber.objects.exists() and not SubjectKey.objects.filter(pk=key).exists()
    assert client.post(unsubscribe).status_code == 200  # again: the same answer
    assert client.get(confirm).status_code == 400  # the subscription is gone


def test_subscribing_refuses_bad_input_and_robots(world, bulletin, django_capture_on_commit_callbacks):
    _published(world, bulletin)
    client = Client()
    bad = _subscribe(client, email="not an address")
    assert bad.status_code == 422 and b"valid email" in bad.content
    robot = _subscribe(client, email="bot@example.org", website="http://spam")
    assert robot.status_code == 200 and not Subscriber.objects.exists()
    assert _subscribe(client, email="x@example.org", language="xx").status_code == 422
    assert Client().post("/bulletins/union-a/subscribe/", {"email": "a@example.org"}).status_code == 404
    for n in range(subscribers.SUBSCRIBE_LIMIT):  # the refused forms above never reached the count
        _subscribe(client, email=f"p{n}@example.org")
    refused = _subscribe(client, email="last@example.org")
    assert refused.status_code == 429 and not Subscriber.objects.filter(status="confirmed").exists()


def test_each_subscriber_gets_her_language(world, bulletin, run_jobs):
    _published(world, bulletin)
    version = bulletins.create_bulletin(
        world.network,
        data={"title": "Jarida 1", "language": "sw", "translation_of": bulletin},
        actor=world.network_admin,
    )
    _published(world, version)
    for email, language in (("a@example.org", "sw"), ("b@example.org", "fr"), ("c@example.org", "en")):
        with run_jobs():
            subscribers.subscribe(world.network, email=email, language=language, address=None)
    Subscriber.objects.update(status="confirmed")
    mail.outbox.clear()
    with run_jobs():
        sending.send_edition(version, actor=world.network_admin)
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    # Swahili in Swahili; French has no version, so the one sent from (Swahili) goes.
    assert subjects == {
        "a@example.org": "Jarida 1",
        "b@example.org": "Jarida 1",
        "c@example.org": "Bulletin 1",
    }
    assert Delivery.objects.count() == 3
    bulletin.refresh_from_db()
    assert bulletin.sent_at is not None


def test_affiliates_send_news_and_the_network_uses_it(world, bulletin, login, api):
    olga = login(world.organizer_a)
    response = olga.post(
        "/orgs/union-a/news/",
        {
            "network": world.network.pk,
            "title": "Rates won",
            "body": "<b>Ten</b> rupees more<script>x</script>",
            "language": "en",
        },
    )
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert item.organization_id == world.org_a.pk and "script" not in item.body
    # Only to a network it is in.
    other = api(world.admin_b).post(
        "/api/v1/news-items",
        {"organization_id": world.org_b.pk, "network": "union-a", "title": "x", "body": "y"},
        content_type="application/json",
    )
    assert other.status_code == 422
    network = login(world.network_admin)
    assert b"Rates won" in network.get(f"/orgs/test-network/bulletins/{bulletin.pk}/").content
    network.post(f"/orgs/test-network/bulletins/{bulletin.pk}/", {"action": "news", "item": item.pk})
    item.refresh_from_db()
    section = bulletin.sections.last()
    assert item.status == "used" and section.heading == "Rates won" and "Union A" in section.body
    # Cooperative B's admin cannot read or use the network's news.
    bob = login(world.admin_b)
    assert (
        bob.post(f"/orgs/coop-b/bulletins/{bulletin.pk}/", {"action": "news", "item": item.pk}).status_code
        == 404
    )


def test_the_api_writes_and_publishes(world, api):
    client = api(world.network_admin)
    made = client.post(
        "/api/v1/bulletins",
        {"organization_id": world.network.pk, "title": "By API", "language": "en"},
        content_type="application/json",
    )
    assert made.status_code == 201
    pk = made.json()["id"]
    assert client.post(f"/api/v1/bulletins/{pk}/publish").status_code == 422  # no section yet
    added = client.post(
        f"/api/v1/bulletins/{pk}/sections",
        {"heading": "One", "body": "<p>Hello <em>all</em><script>x</script></p>"},
        content_type="application/json",
    )
    assert added.json()["sections"][0]["body"] == "<p>Hello <em>all</em></p>"
    assert client.post(f"/api/v1/bulletins/{pk}/publish").json()["status"] == "published"
    bad = client.post(
        "/api/v1/bulletins",
        {"organization_id": world.network.pk, "title": " ", "language": "xx"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert api(world.analyst).get(f"/api/v1/bulletins/{pk}").status_code == 404  # not staff there
