"""The elections API: staff run an election end to end, a voter casts with a code, a network reads
turnout only."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from doorstep.elections.models import Ballot, Election

from .conftest import close_now, nid, open_now
from .test_tallies import jpeg_with_location


def test_it_runs_an_election_through_the_api(world, api, members):
    client = api(world.admin_a)
    now = timezone.now()
    made = client.post(
        "/api/v1/elections",
        {
            "organization_id": world.org_a.pk,
            "title": "Executive",
            "opens_at": (now + timedelta(days=1)).isoformat(),
            "closes_at": (now + timedelta(days=2)).isoformat(),
            "roll_date": timezone.localdate().isoformat(),
        },
        content_type="application/json",
    )
    assert made.status_code == 201
    election_id = made.json()["id"]
    base = f"/api/v1/elections/{election_id}"
    contest = client.post(
        f"{base}/contests",
        {"position_title": "President", "method": "plurality"},
        content_type="application/json",
    )
    contest_id = contest.json()["contests"][0]["id"]
    assert client.post(f"{base}/roll").json() == {"entries": 4}
    body = {
        "contest_id": contest_id,
        "nominee_id": members["Asha Kumari"].pk,
        "nominated_by_id": members["Bina Devi"].pk,
    }
    nominations = client.post(f"{base}/nominations", body, content_type="application/json").json()[
        "nominations"
    ]
    answered = client.post(
        f"{base}/nominations/{nominations[0]['id']}/answer", {"accept": True}, content_type="application/json"
    )
    assert answered.json()["nominations"][0]["status"] == "accepted"
    assert client.get(base).json()["roll_frozen"] is True


def test_rejects_an_unknown_method_listing_the_codes(world, api, setup):
    response = api(world.admin_a).post(
        f"/api/v1/elections/{setup.election.pk}/contests",
        {"position_title": "Treasurer", "method": "borda"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "plurality" in response.json()["errors"][0]["message"]


def test_rejects_a_nomination_of_someone_not_eligible_with_the_reason(world, api, setup):
    response = api(world.admin_a).post(
        f"/api/v1/elections/{setup.election.pk}/nominations",
        {
            "contest_id": setup.president.pk,
            "nominee_id": setup.members["Lapsed Lata"].pk,
            "nominated_by_id": setup.members["Devi Lal"].pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "not_eligible" and response.json()["errors"][0]["field"] == "nominee_id"


def test_a_voter_casts_with_a_code_and_a_second_use_is_refused(world, setup, codes):
    open_now(setup.election)
    body = {
        "organization": "union-a",
        "code": codes[0],
        "choices": {str(setup.president.pk): [nid(setup, "president", "Asha Kumari")]},
    }
    assert Client().post("/api/v1/public/ballots", body, content_type="application/json").status_code == 201
    again = Client().post("/api/v1/public/ballots", body, content_type="application/json")
    assert again.status_code == 422 and again.json()["code"] == "code_used"
    assert Ballot.objects.count() == 1


def test_rejects_a_ballot_after_the_close_through_the_api(world, setup, codes):
    close_now(setup.election)
    body = {"organization": "union-a", "code": codes[0], "choices": {}}
    response = Client().post("/api/v1/public/ballots", body, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "closed" and Ballot.objects.count() == 0


def test_rejects_a_tally_over_the_stations_roll_through_the_api(world, api, setup):
    client = api(world.admin_a)
    station = client.post(
        f"/api/v1/elections/{setup.election.pk}/stations", {"name": "Hall"}, content_type="application/json"
    )
    station_id = station.json()["stations"][0]["id"]
    open_now(setup.election)
    response = client.post(
        f"/api/v1/elections/{setup.election.pk}/stations/{station_id}/tally",
        {
            "ballots_cast": 9,
            "spoiled": 0,
            "votes": "{}",
            "photo": SimpleUploadedFile("s.jpg", jpeg_with_location()),
        },
    )
    assert response.status_code == 422 and response.json()["code"] == "tally_over_roll"


def test_a_network_sees_turnout_and_nothing_else(world, api, setup, codes):
    open_now(setup.election)
    Client().post(
        "/api/v1/public/ballots",
        {"organization": "union-a", "code": codes[0], "choices": {}},
        content_type="application/json",
    )
    close_now(setup.election)
    staff = api(world.admin_a)
    staff.post(f"/api/v1/elections/{setup.election.pk}/count")
    staff.post(f"/api/v1/elections/{setup.election.pk}/publish")
    rows = api(world.analyst).get(f"/api/v1/election-turnout?network_id={world.network.pk}").json()
    assert rows == [
        {
            "organization_id": world.org_a.pk,
            "organization": "Union A",
            "election": "Executive 2026",
            "closed_on": str(timezone.localtime(Election.objects.get().closes_at).date()),
            "roll": 4,
            "voted": 1,
        }
    ]
    assert api(world.analyst).get(f"/api/v1/elections/{setup.election.pk}/results").status_code == 404


def test_a_network_page_shows_turnout_and_a_union_has_none(world, login, setup):
    assert login(world.analyst).get("/orgs/test-network/election-turnout/").status_code == 200
    assert login(world.admin_a).get("/orgs/union-a/election-turnout/").status_code == 404
