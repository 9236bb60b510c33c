"""A form that comes back with errors says so at the top, in one summary linked to each field, which
the browser focuses; the fields say they are invalid; a batch names the rows that failed."""

import re

from doorstep.supplychains import services as party_services
from doorstep.work.models import WorkOrder

REGISTRATION = {
    "full_name": "Sunita Devi",
    "category": "homeworker",
    "sectors": ["embroidery"],
    "status": "active",
    "birth_year": "19855",
}


def _summary(html: str) -> str:
    match = re.search(r'<div class="error-summary"[^>]*>.*?</div>', html, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def test_it_summarises_errors_at_the_top_linked_to_each_field(world, login):
    response = login(world.organizer_a).post("/orgs/union-a/members/new/", REGISTRATION)
    html = response.content.decode()
    summary = _summary(html)
    assert html.index(summary) < html.index('name="full_name"')  # above the fields, not 2,000 px down
    assert summary.count("<li>") == 1, summary
    assert 'href="#id_birth_year"' in summary and "Year of birth" in summary
    assert "autofocus" in summary.split(">")[0] and 'tabindex="-1"' in summary.split(">")[0]


def test_it_marks_the_invalid_field(world, login):
    html = login(world.organizer_a).post("/orgs/union-a/members/new/", REGISTRATION).content.decode()
    field = re.search(r'<input[^>]*name="birth_year"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="id_birth_year_error"' in field
    assert 'id="id_birth_year_error"' in html
    assert 'name="full_name" aria-invalid' not in html


def test_it_shows_no_summary_on_a_fresh_form(world, login):
    html = login(world.organizer_a).get("/orgs/union-a/members/new/").content.decode()
    assert "error-summary" not in html


def test_a_batch_names_the_rows_that_failed(world, login, register):
    first, second = (
        register("Sunita Devi", group="Jagatpur group"),
        register("Meena Devi", group="Jagatpur group"),
    )
    p = party_services.create_party(
        world.org_a,
        data={"name": "Rafiq Contractor", "kind": "intermediary", "is_person": True},
        actor=world.admin_a,
    )
    response = login(world.organizer_a).post(
        f"/orgs/union-a/work/quick/?group={first.group_id}",
        {
            "party": p.pk,
            "product": "Sequin patch",
            "sector": "embroidery",
            "given_on": "2025-06-02",
            "piece_rate": "2.5",
            "unit": "piece",
            "currency": "INR",
            f"q_{first.pk}": "40",
            f"q_{second.pk}": "ten",
        },
    )
    summary = _summary(response.content.decode())
    assert response.status_code == 422
    assert "1 row was not accepted" in summary
    assert f'href="#q_{second.pk}"' in summary and f"#{second.number} Meena Devi" in summary
    assert f'href="#q_{first.pk}"' not in summary
    assert 'aria-invalid="true"' in response.content.decode()
    assert not WorkOrder.objects.exists()
