"""Her passbook, the orders list and the dashboard on a phone: wide tables turn into one card a row
below the breakpoint (each cell names its column), and what still scrolls can be reached by keyboard."""

import re

from doorstep.core import analytics
from doorstep.work.services import orders as order_services

from .conftest import ORDER


def _order(world, member, party):
    return order_services.create_order(
        world.org_a, data={**ORDER, "member": member.pk, "party": party.pk}, actor=world.organizer_a
    )


def _stacked_table(html: str, first_header: str) -> str:
    for table in re.findall(r"<table[^>]*>.*?</table>", html, flags=re.S):
        if f">{first_header}</th>" in table:
            return table
    raise AssertionError(f"no table headed {first_header!r}")


def _cells_say_their_column(table: str, labels: list[str]) -> None:
    assert table.startswith('<table class="stack">'), table[:60]
    cells = re.findall(r"<td([^>]*)>", table)
    assert cells and all("data-label=" in attrs for attrs in cells), cells
    for label in labels:
        assert f'data-label="{label}"' in table


def _scroll_regions_are_focusable(html: str) -> None:
    regions = re.findall(r'<div class="scroll"[^>]*>', html)
    assert regions
    for region in regions:
        assert 'tabindex="0"' in region and 'role="region"' in region, region
        assert re.search(r'aria-label(ledby)?="[^"]+"', region), region


def test_the_passbook_owed_column_is_a_labelled_card_cell(world, login, delhi_member, party):
    _order(world, delhi_member, party())
    html = login(world.organizer_a).get(f"/orgs/union-a/members/{delhi_member.pk}/passbook/").content.decode()
    table = _stacked_table(html, "Work giver")
    _cells_say_their_column(table, ["Orders", "Expected", "Paid", "Owed"])
    assert '<th scope="row">Rafiq Contractor</th>' in table  # the card's title
    assert re.search(r'data-label="Owed"><strong>75\.00 INR</strong>', table)


def test_the_narrow_passbook_stacks_the_same_table(world, login, delhi_member, party):
    _order(world, delhi_member, party())
    html = (
        login(world.organizer_a)
        .get(f"/orgs/union-a/members/{delhi_member.pk}/passbook/?layout=narrow")
        .content.decode()
    )
    assert 'class="passbook narrow"' in html
    _cells_say_their_column(_stacked_table(html, "Work giver"), ["Expected", "Paid", "Owed"])


def test_the_passbook_scroll_regions_are_focusable(world, login, delhi_member, party):
    _order(world, delhi_member, party())
    html = login(world.organizer_a).get(f"/orgs/union-a/members/{delhi_member.pk}/passbook/").content.decode()
    _scroll_regions_are_focusable(html)


def test_the_orders_list_stacks_with_owed_and_flags_labelled(world, login, delhi_member, party):
    _order(world, delhi_member, party())
    html = login(world.organizer_a).get("/orgs/union-a/work/orders/").content.decode()
    _cells_say_their_column(
        _stacked_table(html, "Given"), ["Product", "Work giver", "Status", "Owed", "Flags"]
    )
    _scroll_regions_are_focusable(html)


def test_the_dashboard_tables_stack(world, login, delhi_member, party):
    _order(world, delhi_member, party())
    analytics.refresh()
    html = login(world.organizer_a).get("/orgs/union-a/work/").content.decode()
    table = _stacked_table(html, "Median net an hour")
    _cells_say_their_column(table, ["Orders", "Median net an hour", "Below minimum wage", "Owed"])
    _scroll_regions_are_focusable(html)


def test_the_stylesheet_stacks_below_the_breakpoint_and_on_the_narrow_passbook(client):
    css = b"".join(client.get("/static/doorstep/doorstep.css").streaming_content).decode()
    phone = css[css.index("@media (max-width: 40rem)") :]
    assert "table.stack td[data-label]" in phone and "content: attr(data-label)" in phone
    assert ".narrow table.stack td[data-label]" in css


def test_the_dashboard_counts_one_order_in_the_singular_and_says_what_the_share_is_of(
    world, login, delhi_member, party
):
    _order(world, delhi_member, party())
    analytics.refresh()
    html = login(world.organizer_a).get("/orgs/union-a/work/").content.decode()
    tiles = html.split('<ul class="tiles figures">')[1].split("</ul>")[0]
    assert "<strong>1</strong> order</li>" in tiles and "1 orders" not in tiles
    assert "of the 1 order with a known minimum wage is below it" in tiles


def test_the_stylesheet_draws_survey_summary_bars_apart_from_their_labels(client):
    css = b"".join(client.get("/static/doorstep/doorstep.css").streaming_content).decode()
    assert ".bar-row { display: grid;" in css and ".bar > span {" in css and ".bar-value {" in css
