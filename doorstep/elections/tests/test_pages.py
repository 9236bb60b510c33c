"""The election pages, as staff, a member with a login and a voter with a code use them."""

import re
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from doorstep.core.models import AuditEvent
from doorstep.elections import services
from doorstep.elections.models import Ballot, Election, RollEntry

from .conftest import close_now, nid, open_now
from .test_tallies import jpeg_with_location


def test_it_creates_an_election_from_the_page(world, login):
    now = timezone.localtime() + timedelta(days=3)
    response = login(world.admin_a).post(
        "/orgs/union-a/elections/",
        {
            "title": "General assembly 2027",
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"),
            "roll_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assert Election.objects.get().title == "General assembly 2027"
    assert AuditEvent.objects.filter(action="election.created").count() == 1


def test_it_refuses_a_nomination_by_member_number_with_the_reason(world, login, setup):
    lata = setup.members["Lapsed Lata"]
    response = login(world.admin_a).post(
        f"/orgs/union-a/elections/{setup.election.pk}/",
        {
            "action": "nominate",
            "contest": setup.president.pk,
            "nominee": lata.number,
            "nominated_by": setup.members["Devi Lal"].number,
        },
    )
    assert response.status_code == 422
    assert "not on the voter roll" in response.content.decode()


def test_it_prints_the_code_slips_once(world, login, setup):
    client = login(world.admin_a)
    response = client.post(f"/orgs/union-a/elections/{setup.election.pk}/", {"action": "codes"})
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    again = client.post(f"/orgs/union-a/elections/{setup.election.pk}/", {"action": "codes"})
    assert again.status_code == 422 and "printed already" in again.content.decode()


def test_a_voter_votes_with_her_code_on_the_phone_page(world, setup, codes):
    open_now(setup.election)
    client = Client()
    first = client.post("/vote/union-a/", {"code": codes[0]})
    assert first.status_code == 200 and "Asha Kumari" in first.content.decode()
    assert len(first.content) < 100_000  # a light page; the ballot is plain form controls, no script needed
    cast = client.post(
        "/vote/union-a/",
        {
            "code": codes[0],
            "ballot": "1",
            f"contest_{setup.president.pk}": nid(setup, "president", "Bina Devi"),
            f"rank_{setup.secretary.pk}_{nid(setup, 'secretary', 'Devi Lal')}": "1",
            f"rank_{setup.secretary.pk}_{nid(setup, 'secretary', 'Chitra Rao')}": "2",
        },
    )
    assert "Your ballot is cast" in cast.content.decode()
    ballot = Ballot.objects.get()
    assert ballot.choices == {
        str(setup.president.pk): [nid(setup, "president", "Bina Devi")],
        str(setup.secretary.pk): [nid(setup, "secretary", "Devi Lal"), nid(setup, "secretary", "Chitra Rao")],
    }


def test_the_ballot_page_says_why_a_used_code_is_refused(world, setup, codes):
    open_now(setup.election)
    services.cast_ballot(world.org_a.pk, services.BallotInput(codes[0], {}))
    response = Client().post("/vote/union-a/", {"code": codes[0], "ballot": "1"})
    assert response.status_code == 422 and "used already" in response.content.decode()
    assert Ballot.objects.count() == 1


def test_the_ballot_page_refuses_two_candidates_with_one_rank(world, setup, codes):
    open_now(setup.election)
    response = Client().post(
        "/vote/union-a/",
        {
            "code": codes[0],
            "ballot": "1",
            f"rank_{setup.secretary.pk}_{nid(setup, 'secretary', 'Devi Lal')}": "1",
            f"rank_{setup.secretary.pk}_{nid(setup, 'secretary', 'Chitra Rao')}": "1",
        },
    )
    assert response.status_code == 422 and Ballot.objects.count() == 0
    assert not RollEntry.objects.filter(voted=True).exists()


def test_it_enters_a_tally_with_its_photo_from_the_page(world, login, setup):
    station = services.add_station(setup.election, services.StationInput("Hall"), actor=world.admin_a)
    open_now(setup.election)
    photo = jpeg_with_location()
    response = login(world.admin_a).post(
        f"/orgs/union-a/elections/{setup.election.pk}/stations/{station.pk}/tally/",
        {
            "ballots_cast": 2,
            "spoiled": 0,
            f"votes_{setup.president.pk}_{nid(setup, 'president', 'Asha Kumari')}": 2,
            f"votes_{setup.president.pk}_{nid(setup, 'president', 'Bina Devi')}": 0,
            "photo": SimpleUploadedFile("sheet.jpg", photo, "image/jpeg"),
        },
    )
    assert response.status_code == 302
    station.refresh_from_db()
    assert station.tally.votes == {
        str(setup.president.pk): {
            str(nid(setup, "president", "Asha Kumari")): 2,
            str(nid(setup, "president", "Bina Devi")): 0,
        }
    }


def test_a_member_reads_published_results_with_the_rounds(world, login, setup, codes):
    open_now(setup.election)
    devi = nid(setup, "secretary", "Devi Lal")
    services.cast_ballot(world.org_a.pk, services.BallotInput(codes[0], {setup.secretary.pk: [devi]}))
    close_now(setup.election)
    services.count_election(setup.election, actor=world.admin_a)
    member = login(world.worker_a)
    url = f"/orgs/union-a/elections/{setup.election.pk}/results/"
    assert member.get(url).status_code == 404  # counted, not yet published
    services.publish_results(setup.election, actor=world.admin_a)
    page = member.get(url).content.decode()
    assert "Elected: Devi Lal" in page


def test_a_member_cannot_open_the_staff_page(world, login, setup):
    assert login(world.worker_a).get(f"/orgs/union-a/elections/{setup.election.pk}/").status_code == 403


def test_counting_and_printing_codes_take_a_second_step(world, login, setup):
    html = login(world.admin_a).get(f"/orgs/union-a/elections/{setup.election.pk}/").content.decode()
    outside = re.sub(r'<details class="confirm">.*?</details>', "", html, flags=re.S)
    assert "<summary>Count the votes</summary>" in html and 'value="count"' not in outside
    assert "<summary>Print the code slips (PDF)</summary>" in html and 'value="codes"' not in outside
