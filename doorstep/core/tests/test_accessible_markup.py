"""Markup that axe-core checks on logged-in pages: flash messages are a real list inside a live region,
and a drawing that holds links is not an image (an image's children cannot be controls)."""

import re

from doorstep.supplychains import services as party_services


def test_flash_messages_are_a_list_inside_a_status_region(world, login):
    client = login(world.organizer_a)
    response = client.post(
        "/orgs/union-a/members/new/",
        {"full_name": "Sunita Devi", "category": "homeworker", "sectors": ["embroidery"], "status": "active"},
        follow=True,
    )
    html = response.content.decode()
    assert "is registered" in html
    assert re.search(r'<div role="status"><ul class="messages">\s*<li class="message', html)
    assert not re.search(r"<ul[^>]*role=", html)  # a role on the list hides its items from the list


def test_the_chain_drawing_holds_its_links_in_a_group_not_an_image(world, login):
    brand = party_services.create_party(
        world.org_a, data={"name": "Brand X", "kind": "brand"}, actor=world.admin_a
    )
    html = login(world.organizer_a).get(f"/orgs/union-a/parties/{brand.pk}/chain/").content.decode()
    svg = re.search(r"<svg[^>]*>", html).group(0)
    assert 'role="group"' in svg and 'aria-labelledby="chain-title"' in svg
    assert 'role="img"' not in svg
