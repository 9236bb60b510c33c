"""Paper ballots: a polling station's tally with the photo of its signed sheet."""

import io

import pytest
from PIL import Image

from doorstep.core.errors import ValidationError
from doorstep.elections import services
from doorstep.elections.models import StationTally

from .conftest import nid, open_now


def jpeg_with_location() -> bytes:
    image = Image.new("RGB", (40, 30), "white")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (28.0, 36.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def station(world, setup):
    made = services.add_station(setup.election, services.StationInput("Jagatpur hall"), actor=world.admin_a)
    open_now(setup.election)
    return made


def _tally(setup, papers, asha_votes, photo=None, name="sheet.jpg", spoiled=0):
    votes = {setup.president.pk: {nid(setup, "president", "Asha Kumari"): asha_votes}}
    return services.TallyInput(papers, spoiled, votes, name, photo or jpeg_with_location())


def test_it_keeps_the_tally_and_a_photo_without_its_metadata(world, setup, station):
    services.enter_tally(station, _tally(setup, 3, 3), actor=world.admin_a)
    tally = StationTally.objects.get()
    assert tally.ballots_cast == 3
    with Image.open(io.BytesIO(bytes(tally.photo))) as stored:
        assert stored.format == "JPEG" and dict(stored.getexif()) == {}
    assert b"PhoneMaker" not in bytes(tally.photo)


def test_rejects_a_tally_larger_than_the_stations_roll(world, setup, station):
    with pytest.raises(ValidationError) as error:
        services.enter_tally(station, _tally(setup, 5, 2), actor=world.admin_a)
    assert error.value.code == "tally_over_roll" and error.value.errors[0].field == "ballots_cast"
    assert not StationTally.objects.exists()


def test_rejects_more_votes_than_papers(world, setup, station):
    with pytest.raises(ValidationError) as error:
        services.enter_tally(station, _tally(setup, 2, 3), actor=world.admin_a)
    assert error.value.code == "tally_over_papers" and not StationTally.objects.exists()


def test_rejects_a_file_that_is_not_a_picture_whatever_its_name(world, setup, station):
    with pytest.raises(ValidationError) as error:
        services.enter_tally(
            station, _tally(setup, 1, 1, photo=b"%PDF-1.4 not a photo", name="a.jpg"), actor=world.admin_a
        )
    assert error.value.errors[0].field == "photo" and not StationTally.objects.exists()


def test_rejects_paper_votes_for_a_ranked_position(world, setup, station):
    data = services.TallyInput(
        1, 0, {setup.secretary.pk: {nid(setup, "secretary", "Devi Lal"): 1}}, "s.jpg", jpeg_with_location()
    )
    with pytest.raises(ValidationError) as error:
        services.enter_tally(station, data, actor=world.admin_a)
    assert error.value.errors[0].field == f"votes.{setup.secretary.pk}"
