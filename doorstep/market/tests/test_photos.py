import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from doorstep.market.models import Photo

from .conftest import jpeg_with_metadata


def _upload(client, organization, made, data: bytes, name="photo.jpg"):
    return client.post(
        f"/api/v1/market/products/{made.pk}/photos?organization_id={organization.pk}",
        {"file": SimpleUploadedFile(name, data, content_type="image/jpeg"), "caption": "Bracelet"},
    )


def test_the_test_photo_really_carries_gps():
    with Image.open(io.BytesIO(jpeg_with_metadata())) as opened:
        assert opened.getexif().get_ifd(ExifTags.IFD.GPSInfo)


def test_a_stored_photo_has_no_gps_or_other_metadata(world, api, product):
    made = product()
    response = _upload(api(world.admin_a), world.org_a, made, jpeg_with_metadata())
    assert response.status_code == 201, response.content
    photo = Photo.objects.get()
    for stored in (bytes(photo.large), bytes(photo.thumb)):
        with Image.open(io.BytesIO(stored)) as opened:
            assert dict(opened.getexif()) == {}
            assert opened.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
            assert not {"exif", "icc_profile", "xmp", "comment"} & set(opened.info)
        for canary in (b"CanaryCam", b"CanaryComment", b"CanaryXMP", b"Exif", b"2026:03:04"):
            assert canary not in stored


def test_a_photo_is_resized_for_phones(world, api, product):
    made = product()
    _upload(api(world.admin_a), world.org_a, made, jpeg_with_metadata())
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (720, 480)


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_stored(world, api, product):
    made = product()
    response = _upload(api(world.admin_a), world.org_a, made, b"%PDF-1.4 not a photo at all")
    assert response.status_code == 422
    assert response.json()["code"] == "not_an_image"
    assert response.json()["errors"][0]["field"] == "file"
    assert not Photo.objects.exists()


def test_a_truncated_jpeg_is_refused(world, api, product):
    made = product()
    response = _upload(api(world.admin_a), world.org_a, made, jpeg_with_metadata()[:400])
    assert response.status_code == 422
    assert not Photo.objects.exists()


def test_a_photo_too_large_is_refused(world, api, product):
    made = product()
    response = _upload(api(world.admin_a), world.org_a, made, b"\xff\xd8\xff" + b"\0" * (8 * 1024 * 1024 + 1))
    assert response.status_code == 422
    assert response.json()["code"] == "too_large"
    assert not Photo.objects.exists()


def test_the_page_uploads_a_photo(world, login, product):
    made = product()
    response = login(world.organizer_a).post(
        f"/orgs/union-a/market/products/{made.pk}/",
        {"action": "photo", "file": SimpleUploadedFile("p.jpg", jpeg_with_metadata()), "caption": ""},
    )
    assert response.status_code == 302
    assert Photo.objects.filter(product=made).count() == 1


def test_an_unpublished_products_photo_is_not_public(world, api, client, product):
    made = product(published=False)
    other = product(name="Shown", published=True)
    _upload(api(world.admin_a), world.org_a, made, jpeg_with_metadata())
    _upload(api(world.admin_a), world.org_a, other, jpeg_with_metadata())
    hidden, shown = Photo.objects.order_by("pk")
    assert client.get(f"/market/union-a/photos/{hidden.pk}/large.jpg").status_code == 404
    response = client.get(f"/market/union-a/photos/{shown.pk}/thumb.jpg")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
