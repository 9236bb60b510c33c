import io

import pytest
from PIL import ExifTags, Image

from doorstep.market import services

CANARY = "Zawadi Canarymember"


@pytest.fixture
def product(world):
    """``product(**fields)`` adds a product to Union A: 30 standard minutes at 100 an hour (a fair
    share of 50), 20 of materials, a 10 % margin: built up to 77.00 INR."""

    def make(organization=None, **fields):
        organization = organization or world.org_a
        actor = world.admin_a if organization == world.org_a else world.admin_b
        data = {
            "name": "Beaded bracelet",
            "sector": "beadwork",
            "standard_minutes": "30",
            "hourly_wage": "100",
            "materials_cost": "20",
            "margin_percent": "10",
            "currency": "INR",
            "price": None,
            "story": "Made by the women of the Kibera group.",
            "published": True,
            **fields,
        }
        return services.save_product(organization, data=services.ProductInput(**data), actor=actor)

    return make


def jpeg_with_metadata() -> bytes:
    """A JPEG carrying GPS coordinates, a camera's make and model, a date, a comment and XMP."""
    image = Image.new("RGB", (900, 600), (180, 90, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "CanaryCam"
    exif[ExifTags.Base.Model] = "Model CX-9"
    exif[ExifTags.Base.DateTime] = "2026:03:04 10:11:12"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (1.0, 18.0, 45.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (36.0, 47.0, 12.0)
    out = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>CanaryXMP</rdf:RDF></x:xmpmeta>'
    image.save(out, format="JPEG", exif=exif, comment=b"CanaryComment", xmp=xmp)
    return out.getvalue()
