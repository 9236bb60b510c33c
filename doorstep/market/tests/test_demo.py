import io

from django.core.management import call_command
from PIL import Image

from doorstep.market.models import Photo, Product, SalesOrder, Share, TradeFact


def test_the_demo_cooperative_has_a_catalogue_an_order_shared_and_trade_facts(db, client):
    call_command("load_demo")
    call_command("load_demo")  # idempotent
    assert Product.objects.filter(organization__slug="demo-cooperative", published=True).count() == 3
    assert client.get("/market/demo-cooperative/").status_code == 200
    photo = Photo.objects.first()
    with Image.open(io.BytesIO(bytes(photo.large))) as opened:
        assert dict(opened.getexif()) == {}
    order = SalesOrder.objects.get(organization__slug="demo-cooperative")
    assert order.status == "accepted"
    assert Share.objects.filter(line__order=order, work_order__isnull=False).count() == 3
    facts = TradeFact.objects.filter(organization__slug="demo-network")
    assert facts.count() == 5 and all(f.source for f in facts) and not any(f.verified for f in facts)
