from doorstep.core.models import AuditEvent
from doorstep.members.models import DuplicateCandidate, Member
from doorstep.members.services import consent as consent_services
from doorstep.members.services import duplicates as duplicate_services
from doorstep.members.services import pii as pii_services
from doorstep.members.services import rights as rights_services


def _pair(world, register):
    first = register("Sunita Devi", phones=["+919812345678"], locality="Jagatpur", birth_year=1985)
    consent_services.record_consent(
        first,
        purpose="research",
        given=True,
        effective_on=first.joined_on,
        method="paper",
        actor=world.admin_a,
    )
    second = register(
        "Sunita Devee",
        phones=["+919899999999"],
        locality="Jagatpur",
        birth_year=1986,
        national_id="5555 6666",
    )
    return first, second, DuplicateCandidate.objects.get()


def test_a_similar_name_in_the_same_place_is_flagged_on_entry(world, register):
    first, second, candidate = _pair(world, register)
    assert (candidate.first_id, candidate.second_id, candidate.status) == (first.pk, second.pk, "open")
    register("Sunita Devi", locality="Shahabad")  # elsewhere: not flagged
    register("Meena Kumari", locality="Jagatpur")  # a different name: not flagged
    assert DuplicateCandidate.objects.count() == 1


def test_the_review_page_merges_field_by_field(world, login, register):
    first, second, candidate = _pair(world, register)
    client = login(world.organizer_a)
    listing = client.get("/orgs/union-a/members/duplicates/").content.decode()
    assert "Sunita Devi" in listing and "Sunita Devee" in listing
    page = client.get(f"/orgs/union-a/members/duplicates/{candidate.pk}/").content.decode()
    assert 'name="field-birth_year" value="second"' in page
    response = client.post(
        f"/orgs/union-a/members/duplicates/{candidate.pk}/",
        {"action": "merge", "keep": first.pk, "field-birth_year": "second", "field-full_name": "first"},
    )
    assert response.status_code == 302
    survivor, merged = Member.objects.get(pk=first.pk), Member.objects.get(pk=second.pk)
    assert survivor.birth_year == 1986
    assert merged.merged_into_id == survivor.pk
    pii = pii_services.reveal_pii([survivor], actor=world.admin_a, reason="test")[survivor.pk]
    assert pii["full_name"] == "Sunita Devi"
    assert pii["phones"] == ["+919812345678", "+919899999999"]
    assert pii["id_numbers"] == [{"kind": "national_id", "number": "55556666"}]
    assert survivor.consents.count() == 1
    assert DuplicateCandidate.objects.get().status == "merged"
    event = AuditEvent.objects.get(action="member.merged")
    assert event.metadata == {"merged_id": second.pk, "fields": ["birth_year:second", "full_name:first"]}
    assert "Sunita" not in str(event.metadata)
    # the merged record no longer shows in the list, and her numbers still find the survivor
    listing = client.get("/orgs/union-a/members/").content.decode()
    assert "Sunita Devee" not in listing
    found = client.post("/orgs/union-a/members/", {"phone": "+919899999999"}).content.decode()
    assert f"#{survivor.number} Sunita Devi" in found


def test_two_different_people_are_dismissed(world, login, register):
    _first, _second, candidate = _pair(world, register)
    login(world.organizer_a).post(f"/orgs/union-a/members/duplicates/{candidate.pk}/", {"action": "dismiss"})
    candidate.refresh_from_db()
    assert candidate.status == "dismissed"
    assert Member.objects.filter(merged_into__isnull=False).count() == 0


def test_merging_through_the_api_and_refusing_a_stranger(world, api, register):
    first, second, candidate = _pair(world, register)
    assert (
        api(world.organizer_b)
        .post(
            f"/api/v1/member-duplicates/{candidate.pk}/merge",
            {"keep": first.pk},
            content_type="application/json",
        )
        .status_code
        == 404
    )
    listing = api(world.organizer_a).get("/api/v1/member-duplicates", {"organization_id": world.org_a.pk})
    assert [d["id"] for d in listing.json()] == [candidate.pk]
    bad = api(world.organizer_a).post(
        f"/api/v1/member-duplicates/{candidate.pk}/merge",
        {"keep": first.pk, "choices": {"salary": "first"}},
        content_type="application/json",
    )
    assert bad.status_code == 422
    merged = api(world.organizer_a).post(
        f"/api/v1/member-duplicates/{candidate.pk}/merge",
        {"keep": second.pk, "choices": {"full_name": "first"}},
        content_type="application/json",
    )
    assert merged.status_code == 200 and merged.json()["id"] == second.pk
    assert Member.objects.get(pk=first.pk).merged_into_id == second.pk


def test_erasing_her_erases_the_records_merged_into_hers(world, register):
    first, second, candidate = _pair(world, register)
    duplicate_services.merge_members(candidate, keep=first.pk, choices={}, actor=world.admin_a)
    rights_services.erase_member(Member.objects.get(pk=first.pk), actor=world.admin_a)
    assert not Member.objects.filter(pk__in=[first.pk, second.pk]).exists()
