"""Benchmark conversion to hourly, the fallback order of the lookup, and the shipped reference data."""

from datetime import date
from decimal import Decimal as D

import pytest

from doorstep.work.benchmarks import Book, hourly
from doorstep.work.models import WageBenchmark

ON = date(2026, 6, 1)


def _b(pk, **values) -> WageBenchmark:
    fields = {
        "kind": "minimum_wage",
        "country": "IN",
        "region": "",
        "region_names": [],
        "sector": "",
        "skill": "",
        "amount": D("800"),
        "currency": "INR",
        "period": "day",
        "hours_per_day": D("8"),
        "days_per_month": D("26"),
        "effective_from": date(2026, 1, 1),
        "source": f"test source {pk}",
    }
    fields.update(values)
    return WageBenchmark(pk=pk, **fields)


def test_conversions_by_hand():
    assert hourly(_b(1, period="hour", amount=D("12.71")))[0] == D("12.71")
    # a daily wage ÷ hours a day: 710 ÷ 8 = 88.75
    value, text = hourly(_b(2, amount=D("710")))
    assert value == D("88.75") and "710 INR a day ÷ 8 hours a day = 88.75 an hour" in text
    # a monthly wage ÷ (days × hours): 18456 ÷ (26 × 8) = 88.7307… → 88.7308
    value, text = hourly(_b(3, period="month", amount=D("18456")))
    assert value == D("88.7308") and "÷ (26 days a month × 8 hours a day)" in text
    # the benchmark's own convention: 620.20 ÷ (21 × 8) = 3.6916… → 3.6917
    assert hourly(_b(4, period="month", amount=D("620.20"), days_per_month=D("21")))[0] == D("3.6917")


def _lookup(book, area="Delhi", sector="embroidery", skills=("skilled",), currency="INR", on=ON):
    return book.lookup("IN", area, sector, tuple(skills), currency, on)


def test_fallback_order():
    exact = _b(1, region_names=["delhi"], sector="embroidery", skill="skilled", amount=D("1000"))
    sector = _b(2, region_names=["delhi"], sector="embroidery", skill="unskilled", amount=D("900"))
    region = _b(3, region_names=["delhi"], amount=D("850"))
    national = _b(4, amount=D("400"))
    book = Book(None, [exact, sector, region, national])
    match = _lookup(book)
    assert (match.benchmark.pk, match.level) == (1, "exact")
    assert "all match" in match.reason and "test source 1" in match.reason
    assert _lookup(Book(None, [sector, region, national])).level == "sector"
    assert _lookup(Book(None, [region, national])).level == "region"
    match = _lookup(Book(None, [national]))
    assert (match.level, match.hourly) == ("national", D("50"))
    assert "no rate for her area" in match.reason.lower()
    # Another area falls through to the national rate even with Delhi's rates known.
    assert _lookup(book, area="Uttar Pradesh").benchmark.pk == 4


def test_any_skill_prefers_a_rate_without_skill_then_the_lowest():
    unskilled = _b(1, region_names=["delhi"], skill="unskilled", amount=D("710"))
    skilled = _b(2, region_names=["delhi"], skill="skilled", amount=D("862"))
    match = _lookup(Book(None, [unskilled, skilled]), skills=())
    assert match.benchmark.pk == 1 and "lowest rate" in match.reason
    general = _b(3, region_names=["delhi"], amount=D("750"))
    assert _lookup(Book(None, [unskilled, skilled, general]), skills=()).benchmark.pk == 3
    assert _lookup(Book(None, [unskilled, skilled, general]), skills=("Skilled",)).benchmark.pk == 2


def test_in_force_on_the_date_and_newest_first():
    old = _b(1, amount=D("700"), effective_from=date(2025, 4, 1))
    new = _b(2, amount=D("760"), effective_from=date(2026, 4, 1))
    book = Book(None, [old, new])
    assert _lookup(book, on=date(2026, 3, 31)).benchmark.pk == 1
    assert _lookup(book, on=date(2026, 4, 1)).benchmark.pk == 2
    none = _lookup(book, on=date(2025, 1, 1))
    assert none.benchmark is None and none.hourly is None and "No minimum wage is known" in none.reason


def test_the_organizations_own_rate_comes_first_and_currency_must_match():
    reference = _b(1, amount=D("700"))
    own = _b(2, amount=D("720"), organization_id=99, effective_from=date(2025, 12, 1))
    assert _lookup(Book(99, [reference, own])).benchmark.pk == 2
    # The same scope: a daily rate needs fewer conversions than a monthly one.
    monthly = _b(3, period="month", amount=D("18200"))
    assert _lookup(Book(None, [monthly, reference])).benchmark.pk == 1
    other = _lookup(Book(None, [reference]), currency="USD")
    assert other.benchmark is None and "USD" in other.reason


@pytest.mark.django_db
def test_reference_data_is_loaded_with_sources():
    rows = WageBenchmark.objects.filter(organization__isnull=True)
    assert rows.count() == 15 and all(r.source.startswith("http") for r in rows)
    match = Book(None).lookup("IN", "Delhi", "embroidery", (), "INR", date(2025, 6, 1))
    assert (match.level, match.hourly) == ("region", D("88.75"))  # 710 a day ÷ 8
    assert "Assumed: 8 hours a day" in match.reason
    kenya = Book(None).lookup("KE", "Kisumu", "beadwork", (), "KES", date(2025, 6, 1))
    assert kenya.hourly == D("77.47")  # 16113.75 ÷ (26 × 8) = 77.4699…
    uk = Book(None).lookup("GB", "", "garments", (), "GBP", date(2026, 4, 1))
    assert uk.hourly == D("12.71")
    punjab = WageBenchmark.objects.get(reference_key="pk-punjab-unskilled-month-2025")
    assert not punjab.effective_from_confirmed
    match = Book(None).lookup("PK", "Punjab", "embroidery", ("unskilled",), "PKR", date(2025, 10, 1))
    assert "date not confirmed" in match.reason and "Stated by the source" not in match.reason  # hourly row
