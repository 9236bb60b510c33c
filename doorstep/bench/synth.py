"""Synthetic data at any scale (``python -m doorstep synth``), for benchmarks and for trying the
dashboards on a federation's worth of records.

Deterministic: the same ``--seed`` and sizes give the same records (each organization draws from a
generator seeded with the seed and its own number; with several ``--workers`` on PostgreSQL only the
ids differ from run to run). Realistic in shape, not in detail:

- organizations in six countries that have minimum wages on record (India, Pakistan, Bangladesh,
  Nepal, Kenya, Thailand), affiliated to one network and sharing aggregates with it; of skewed
  sizes, as federations are: a few large ones and a long tail of small ones (``sizes``);
- members with plausible categories, genders, sectors, skills and places, PII sealed as a real
  member's is; consent to research and to sharing with a network for most of them; hundreds of
  given names a country (the common ones shipped, the rest made of the country's syllables), some
  common and most rare (``given_names``);
- a dozen parties per organization (intermediaries, contractors, suppliers, brands), some with
  names near another's ("Star Garments", "Star Garment Pvt Ltd", "Starr Garments");
- work orders drawn from skewed distributions: most workers have a few orders and some many, most
  orders are small, rates put most workers below the minimum wage and a few well above it; most
  orders are delivered, some with rejections (some without a reason), a few cancelled; payments
  mostly on time with a long tail of late ones, some partial, some never;
- each order's derived figures computed by ``work.derive`` itself (as ``recompute`` would store
  them), so that synthetic data never disagrees with the rules;
- a short survey per organization and submissions for a share of its members.

Rows go in through ``core.bulk`` (PostgreSQL ``COPY``; SQLite inserts in batches), ids reserved up
front so that no row has to be read back, one transaction per batch of members.
"""

import bisect
import functools
import itertools
import math
import multiprocessing
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, connections, transaction
from django.utils import timezone

from doorstep.core import vault
from doorstep.core.bulk import insert_rows, reserve_ids
from doorstep.core.disclosure import new_record_key
from doorstep.members.models import ConsentEvent, Member
from doorstep.members.services.pii import PII_FIELDS, PII_PURPOSE
from doorstep.members.services.registry import MEMBER_COLUMNS, MEMBER_DEFAULTS
from doorstep.organizations import services as orgs
from doorstep.organizations.models import Organization, User
from doorstep.supplychains import services as party_services
from doorstep.surveys import services as survey_services
from doorstep.surveys.models import Submission
from doorstep.work import derive as derivation
from doorstep.work.benchmarks import Book
from doorstep.work.models import Cost, Delivery, Payment, WageBenchmark, WorkOrder

SECTORS = ["embroidery", "garments", "beadwork", "footwear", "incense", "handicrafts", "food_processing"]


@dataclass(frozen=True)
class Country:
    code: str
    currency: str
    # (state or province, district): areas where the shipped minimum wages name a region come first.
    places: tuple[tuple[str, str], ...]
    given: tuple[str, ...]
    family: tuple[str, ...]
    hourly_minimum: int  # about the minimum wage an hour, to shape rates around it
    language: str
    # Syllables given names are made of (beginnings, middles, endings), beyond the shipped ones.
    syllables: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = ((), (), ())


COUNTRIES = (
    Country(
        "IN",
        "INR",
        (
            ("Delhi", "North East Delhi"),
            ("Delhi", "Shahdara"),
            ("Uttar Pradesh", "Bareilly"),
            ("Uttar Pradesh", "Agra"),
        ),
        ("Sunita", "Meena", "Rekha", "Shabana", "Fatima", "Lakshmi", "Geeta", "Anita", "Nazia", "Pooja"),
        ("Devi", "Kumari", "Begum", "Khatoon", "Yadav", "Ansari", "Verma", "Saini"),
        89,
        "hi",
        (
            tuple(
                "Su Ka Ma Re Sha Pri La Ni Gee Ra Sa Ja Va Ha De Pu Ki An Mee Shi Ko Ba Chan Ush Ra".split()
            ),
            tuple("ni ra la ma sh ja vi ri ya na dha".split()),
            tuple("ta a i ka na ni la ya shi ma".split()),
        ),
    ),
    Country(
        "PK",
        "PKR",
        (("Punjab", "Lahore"), ("Punjab", "Sialkot"), ("Islamabad", "Islamabad"), ("Sindh", "Karachi")),
        ("Ayesha", "Nasreen", "Shazia", "Rukhsana", "Samina", "Parveen", "Kausar", "Bushra"),
        ("Bibi", "Akhtar", "Khan", "Malik", "Butt", "Iqbal"),
        190,
        "ur",
        (
            tuple("Ay Na Sha Ruk Sa Par Kau Bu Fa Za Hu Ma Ra Ta As Sai Nou Ri Gul Ma".split()),
            tuple("ee ri ma sh hi na za ra".split()),
            tuple("a een ana ina ia ra sa ma".split()),
        ),
    ),
    Country(
        "BD",
        "BDT",
        (("Dhaka", "Mirpur"), ("Dhaka", "Savar"), ("Chattogram", "Patiya")),
        ("Rahima", "Shirin", "Nasima", "Morjina", "Taslima", "Rokeya", "Jesmin"),
        ("Begum", "Akter", "Khatun", "Sultana"),
        60,
        "bn",
        (
            tuple("Ra Shi Na Mor Tas Ro Jes Ful Mo Ha Shah Ko Lai Pa Ru Ja".split()),
            tuple("hi ri si ji ke ya la ma".split()),
            tuple("ma na a ja ya n".split()),
        ),
    ),
    Country(
        "NP",
        "NPR",
        (("Bagmati", "Kathmandu"), ("Bagmati", "Lalitpur"), ("Lumbini", "Rupandehi")),
        ("Sita", "Gita", "Kamala", "Maya", "Sarita", "Bimala", "Laxmi"),
        ("Tamang", "Shrestha", "Maharjan", "Gurung", "Thapa"),
        94,
        "ne",
        (
            tuple("Si Gi Ka Ma Sa Bi La Ra Pa Su Ni Ba Ja De Ti Ru".split()),
            tuple("ma ri la ks ta bi sa".split()),
            tuple("ta a la mi na ya".split()),
        ),
    ),
    Country(
        "KE",
        "KES",
        (("Nairobi", "Kibera"), ("Nairobi", "Mathare"), ("Mombasa", "Likoni"), ("Kisumu", "Nyalenda")),
        ("Wanjiru", "Achieng", "Atieno", "Njeri", "Akinyi", "Wambui", "Zawadi", "Halima", "Kerubo"),
        ("Otieno", "Kamau", "Wanjiku", "Mwangi", "Ochieng", "Mutua", "Njoroge"),
        77,
        "sw",
        (
            tuple("Wa Ach A Nje Aki Wam Za Ha Ke Mu Nya Ka Ri Mo Ne Ma".split()),
            tuple("nji e ti ri ki bu wa li ma ge".split()),
            tuple("ru ng no ri nyi i a di ma".split()),
        ),
    ),
    Country(
        "TH",
        "THB",
        (("Bangkok", "Bang Kapi"), ("Bangkok", "Khlong Toei"), ("Chiang Mai", "San Kamphaeng")),
        ("Somchai", "Malee", "Siriporn", "Napat", "Wilai", "Kanya"),
        ("Srisuk", "Wongsa", "Chaiyaporn", "Boonmee"),
        50,
        "th",
        (
            tuple("Som Ma Si Na Wi Kan Ploy Nok Pim Su Da Ratt Chan Ari Lam".split()),
            tuple("chai lee ri pat la ya na won".split()),
            tuple("porn ee ya na rat ti wan".split()),
        ),
    ),
)
SKILLS = {
    "embroidery": ["zari", "aari work", "sequins"],
    "garments": ["stitching", "thread cutting", "buttons"],
    "beadwork": ["beading"],
    "footwear": ["stitching uppers"],
    "incense": ["rolling agarbatti"],
    "handicrafts": ["weaving", "basketry"],
    "food_processing": ["papad rolling"],
}
PRODUCTS = {
    "embroidery": ["Zari border", "Sequin panel", "Aari motif"],
    "garments": ["Kurta stitching", "Thread cutting", "Buttons"],
    "beadwork": ["Bead necklace", "Beaded trim"],
    "footwear": ["Shoe uppers", "Sandal straps"],
    "incense": ["Agarbatti"],
    "handicrafts": ["Basket", "Woven mat"],
    "food_processing": ["Papad"],
}
MEMBERS_PER_ORGANIZATION = 25_000  # on average: sizes are skewed (``sizes``)
GIVEN_NAMES = 400  # distinct given names a country


@functools.cache
def given_names(country: Country) -> tuple[str, ...]:
    """The country's given names, most common first: the shipped ones, then names made of its
    syllables (a beginning, sometimes a middle, an ending), always the same for a country."""
    rng = random.Random(f"names:{country.code}")
    names = list(dict.fromkeys(country.given))
    seen = set(names)
    starts, middles, ends = country.syllables
    while starts and len(names) < GIVEN_NAMES:
        name = rng.choice(starts) + (rng.choice(middles) if rng.random() < 0.5 else "") + rng.choice(ends)
        if name not in seen and len(name) >= 4:
            seen.add(name)
            names.append(name)
    return tuple(names)


@functools.cache
def _name_weights(country: Country) -> list[float]:
    """Cumulative weights of the given names: a few common, most rare (Zipf, exponent 1)."""
    return list(itertools.accumulate(1 / (rank + 1) for rank in range(len(given_names(country)))))


def pick_given(country: Country, rng: random.Random) -> str:
    return rng.choices(given_names(country), cum_weights=_name_weights(country))[0]


def sizes(total: int, parts: int) -> list[int]:
    """Members of each of ``parts`` organizations, ``total`` in all: skewed as federations are (the
    n-th largest has about n^-0.8 of the largest's share: a few large, a long tail), at least one
    each, the largest first."""
    if parts <= 0:
        return []
    weights = [(n + 1) ** -0.8 for n in range(parts)]
    rest = total - parts
    shares = [w * rest / sum(weights) for w in weights]
    counts = [1 + int(share) for share in shares]
    short = total - sum(counts)
    for index in sorted(range(parts), key=lambda i: int(shares[i]) - shares[i])[:short]:
        counts[index] += 1
    return counts


BATCH = 10_000  # members a transaction, with their orders


@dataclass
class Plan:
    members: int
    orders_per_member: float
    seed: int = 1
    organizations: int = 0  # 0: one per 25,000 members (at least two)
    submissions_per_member: float = 0.1
    prefix: str = "synth"
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)  # PostgreSQL only
    today: date = field(default_factory=timezone.localdate)

    def __post_init__(self):
        if self.members < 1:
            raise ValueError("--members must be at least 1")
        if self.orders_per_member < 0:
            raise ValueError("--orders-per-member cannot be negative")
        if not 0 <= self.submissions_per_member <= 10:
            raise ValueError("--submissions-per-member must be between 0 and 10")
        if self.organizations <= 0:
            self.organizations = max(2, math.ceil(self.members / MEMBERS_PER_ORGANIZATION))
        self.organizations = min(self.organizations, self.members)


@dataclass
class Written:
    organizations: int = 0
    members: int = 0
    orders: int = 0
    deliveries: int = 0
    payments: int = 0
    costs: int = 0
    consents: int = 0
    submissions: int = 0
    network: str = ""
    slugs: list = field(default_factory=list)

    def add(self, other: "Written") -> None:
        for name in ("members", "orders", "deliveries", "payments", "costs", "consents", "submissions"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def run(plan: Plan, *, say: Callable[[str], None] = lambda line: None) -> Written:
    """Write the synthetic data the plan describes; returns what was written."""
    written = Written()
    root = User.objects.filter(username=f"{plan.prefix}-root").first() or User.objects.create_superuser(
        f"{plan.prefix}-root", password=None
    )
    network_slug = f"{plan.prefix}-network"
    network = Organization.objects.filter(slug=network_slug).first()
    if network is None:
        network = orgs.create_organization(
            name=f"Synthetic network ({plan.prefix})",
            slug=network_slug,
            kind="international_network",
            actor=root,
        )
        orgs.add_person(network, username=f"{network_slug}-analyst", role="network_analyst", actor=root)
    written.network = network.slug
    jobs = []
    for number, share in enumerate(sizes(plan.members, plan.organizations)):
        country = COUNTRIES[number % len(COUNTRIES)]
        slug = f"{plan.prefix}-{plan.seed}-{number + 1:03d}-{country.code.lower()}"
        if Organization.objects.filter(slug=slug).exists():
            raise ValueError(f"{slug} exists already: choose another --seed or --prefix")
        rng = random.Random(f"{plan.seed}:{number}")
        with transaction.atomic():
            organization = orgs.create_organization(
                name=f"Synthetic {country.code} homeworkers {number + 1}",
                slug=slug,
                kind="union" if number % 3 else "cooperative",
                country=country.code,
                languages=[country.language],
                actor=root,
            )
            admin = orgs.add_person(
                organization, username=f"{slug}-admin", role="org_admin", actor=root
            ).assignment.user
            orgs.add_affiliation(member=organization, network=network, since=date(2020, 1, 1), actor=root)
            orgs.create_agreement(
                organization,
                data={
                    "recipient": network.pk,
                    "purpose": "network_statistics",
                    "data_kinds": ["members", "work", "grievances"],
                    "starts_on": date(2020, 1, 1),
                },
                actor=admin,
            )
            parties = _parties(organization, country, rng, admin)
        written.organizations += 1
        written.slugs.append(slug)
        jobs.append((plan, number, organization.pk, admin.pk, parties, share))
    workers = min(plan.workers, len(jobs)) if connection.vendor == "postgresql" else 1
    if workers > 1:
        # One process an organization at a time on each core; each opens its own connection.
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.imap_unordered(_fill_in_child, jobs)
            for done in results:
                written.add(done)
                say(f"{done.slugs[0]}: {done.members:,} members, {done.orders:,} orders")
    else:
        for job in jobs:
            done = _fill(*job, say=say)
            written.add(done)
    _analyze()
    return written


def _analyze() -> None:
    """PostgreSQL: fresh planner statistics for the tables just filled (autovacuum would take its
    time, and until then the planner believes them empty)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in (
            "members_member",
            "members_consentevent",
            "core_subjectkey",
            "work_workorder",
            "work_delivery",
            "work_payment",
            "work_cost",
            "surveys_submission",
        ):
            cursor.execute(f"ANALYZE {table}")  # fixed names


def _fill_in_child(job: tuple) -> Written:
    connections.close_all()  # never share the parent's connection
    try:
        return _fill(*job)
    finally:
        connections.close_all()


def _fill(
    plan: Plan, number: int, organization_id: int, admin_id: int, parties, share: int, say=None
) -> Written:
    """One organization's members, consents, orders and submissions; the organization's generator is
    seeded with the plan's seed and its number, so its data does not depend on which process runs it."""
    organization = Organization.objects.get(pk=organization_id)
    admin = User.objects.get(pk=admin_id)
    country = COUNTRIES[number % len(COUNTRIES)]
    rng = random.Random(f"{plan.seed}:{number}:work")
    written = Written(slugs=[organization.slug])
    generator = _Generator(organization, country, parties, rng, plan)
    for offset in range(0, share, BATCH):
        size = min(BATCH, share - offset)
        with transaction.atomic():
            _without_waiting_for_disk()
            generator.batch(size, written)
        if say:
            say(f"{organization.slug}: {offset + size:,} of {share:,} members, {written.orders:,} orders")
    if plan.submissions_per_member and share:
        written.submissions += submissions(
            organization,
            admin,
            round(share * plan.submissions_per_member),
            questions=10,
            seed=rng.randrange(1 << 30),
            member_ids=generator.member_ids,
        )
    return written


def _without_waiting_for_disk() -> None:
    """PostgreSQL: this transaction's commit does not wait for its WAL to reach the disk (the
    WAL writer flushes it a moment later). A crash can lose the last batches, never corrupt them:
    for generated data that is the right trade, and it spares each batch a long fsync."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


PARTY_FIRST = (
    "Star",
    "Lotus",
    "Crown",
    "Delta",
    "Prime",
    "Metro",
    "Royal",
    "Sun",
    "Moon",
    "Golden",
    "Pacific",
)
PARTY_TRADE = ("Garments", "Exports", "Textiles", "Embroidery", "Traders", "Fashions", "Handicrafts")


def party_names(rng: random.Random, count: int) -> list[str]:
    """Work givers' names, a third of them near an earlier one: the same firm written again ("Star
    Garments", "Star Garment Pvt Ltd") or another firm one letter away ("Starr Garments")."""
    names: list[str] = []
    while len(names) < count:
        if names and rng.random() < 0.35:
            first, trade = rng.choice(names).split()[:2]
            change = rng.choice(["plural", "form", "letter"])
            if change == "plural":
                trade = trade[:-1] if trade.endswith("s") else trade + "s"
            elif change == "letter":
                first = first + first[-1]
            name = f"{first} {trade}" + (" Pvt Ltd" if change == "form" else "")
        else:
            name = f"{rng.choice(PARTY_FIRST)} {rng.choice(PARTY_TRADE)}"
        if name not in names:
            names.append(name)
    return names


def _parties(organization, country: Country, rng: random.Random, admin) -> list[tuple[int, str]]:
    kinds = ["intermediary"] * 6 + ["contractor"] * 3 + ["supplier"] * 2 + ["brand"]
    parties = []
    for kind, name in zip(kinds, party_names(rng, len(kinds)), strict=True):
        party = party_services.create_party(
            organization, data={"name": name, "kind": kind, "country": country.code}, actor=admin
        )
        parties.append((party.pk, kind))
    return parties


class _Generator:
    """Members and their work for one organization, a batch at a time."""

    def __init__(self, organization, country: Country, parties, rng: random.Random, plan: Plan):
        self.organization, self.country, self.rng, self.plan = organization, country, rng, plan
        # Work is given mostly by the intermediaries and contractors: weights by kind.
        weights = {"intermediary": 6, "contractor": 3, "supplier": 1, "brand": 0.3}
        self.party_ids = [pk for pk, _kind in parties]
        self.party_weights = [weights[kind] for _pk, kind in parties]
        self.book = Book(organization.pk)
        # A benchmark lookup depends on the date only through the dates benchmarks take effect: look
        # up once per span between them, not once per day.
        self.epochs = sorted(
            set(WageBenchmark.objects.filter(country=country.code).values_list("effective_from", flat=True))
        )
        self.matches: dict[tuple, object] = {}
        self.next_number = 1  # a new organization
        self.member_ids: list[int] = []
        self.start = plan.today - timedelta(days=730)

    def batch(self, size: int, written: Written) -> None:
        rng, country = self.rng, self.country
        now = timezone.now()
        keys = vault.new_subject_keys(self.organization, size)
        ids = reserve_ids(Member, size)
        members, consents, people = [], [], []
        for member_id, key in zip(ids, keys, strict=True):
            sector = rng.choice(SECTORS)
            admin1, admin2 = rng.choice(country.places)
            joined = self.start - timedelta(days=int(rng.expovariate(1 / 900)))
            fields = {
                **MEMBER_DEFAULTS,
                "category": rng.choices(["homeworker", "self_employed", "both", "other"], [60, 25, 12, 3])[0],
                "sectors": [sector] + ([rng.choice(SECTORS)] if rng.random() < 0.2 else []),
                "skills": rng.sample(SKILLS[sector], 1),
                "gender": rng.choices(["woman", "man", "other", "undisclosed"], [92, 5, 1, 2])[0],
                "birth_year": rng.randint(1955, 2006),
                "languages": [country.language],
                "literacy": rng.choice(["none", "basic", "functional"]),
                "phone_type": rng.choices(["feature_phone", "smartphone", "none"], [55, 35, 10])[0],
                "household_size": rng.randint(1, 9),
                "country": country.code,
                "admin1": admin1,
                "admin2": admin2,
                "joined_on": joined,
                "record_key": new_record_key(),  # random, not from the seed: derived from nothing
                "status": rng.choices(["active", "lapsed", "left"], [90, 8, 2])[0],
            }
            pii = {name: None for name in PII_FIELDS} | {
                "full_name": f"{pick_given(country, rng)} {rng.choice(country.family)}"
            }
            members.append(
                (
                    member_id,
                    self.organization.pk,
                    self.next_number,
                    key.id,
                    key.seal(pii, purpose=PII_PURPOSE),
                    now,
                    now,
                    *(fields[name] for name in MEMBER_COLUMNS),
                )
            )
            self.next_number += 1
            for purpose, share in (("research", 0.7), ("network_sharing", 0.6)):
                if rng.random() < share:
                    consents.append((self.organization.pk, member_id, purpose, True, joined, "paper", now))
            people.append((member_id, sector, admin1, tuple(fields["skills"])))
        insert_rows(
            Member,
            [
                "id",
                "organization",
                "number",
                "subject_key",
                "pii",
                "created_at",
                "updated_at",
                *MEMBER_COLUMNS,
            ],
            members,
        )
        insert_rows(
            ConsentEvent,
            ["organization", "member", "purpose", "given", "effective_on", "method", "recorded_at"],
            consents,
        )
        self.member_ids.extend(ids)
        written.members += size
        written.consents += len(consents)
        self._orders(people, written, now)

    def _match(self, admin1: str, sector: str, skills: tuple, on: date):
        key = (admin1, sector, skills, bisect.bisect_right(self.epochs, on))
        found = self.matches.get(key)
        if found is None:
            found = self.matches[key] = self.book.lookup(
                self.country.code, admin1, sector, skills, self.country.currency, on
            )
        return found

    def _orders_each(self, size: int) -> list[int]:
        """How many orders each of ``size`` workers has: a skewed split of ``size × per member``
        (a few workers have many, most have a few), rounded so that the total is exact."""
        rng = self.rng
        wanted = round(size * self.plan.orders_per_member)
        if not wanted:
            return [0] * size
        weights = [rng.lognormvariate(0, 0.8) for _ in range(size)]
        total = sum(weights)
        shares = [w * wanted / total for w in weights]
        counts = [int(s) for s in shares]
        short = wanted - sum(counts)
        for index in sorted(range(size), key=lambda i: counts[i] - shares[i])[:short]:
            counts[index] += 1
        return counts

    def _orders(self, people, written: Written, now) -> None:
        rng, country = self.rng, self.country
        counts = self._orders_each(len(people))
        ids = iter(reserve_ids(WorkOrder, sum(counts)))
        late_after = self.organization.late_payment_days
        span = (self.plan.today - self.start).days
        orders, deliveries, payments, costs = [], [], [], []
        for (member_id, sector, admin1, skills), count in zip(people, counts, strict=True):
            # Her own level of pay against the minimum wage: most below it, some well above.
            level = rng.lognormvariate(math.log(0.75), 0.45)
            for _ in range(count):
                order_id = next(ids)
                given = self.start + timedelta(days=min(span, int(span * rng.random() ** 0.7)))
                quantity = Decimal(rng.choice([10, 12, 20, 24, 25, 50, 100, 200]))
                hours = Decimal(max(1, round(rng.lognormvariate(math.log(12), 0.7))))
                hourly = country.hourly_minimum * level * rng.uniform(0.8, 1.2)
                rate = max(Decimal("0.25"), Decimal(round(hourly * float(hours) / float(quantity) * 4)) / 4)
                cancelled = rng.random() < 0.03
                party = rng.choices(self.party_ids, self.party_weights)[0]
                supplied = rng.random() < 0.7
                inputs = derivation.OrderIn(
                    given_on=given,
                    piece_rate=rate,
                    her_hours=hours,
                    entered_status="cancelled" if cancelled else "given",
                    materials_supplied=supplied,
                    materials_lost=cancelled and rng.random() < 0.3,
                )
                deliveries_here = []
                if not cancelled and rng.random() < 0.92:
                    delivered_on = given + timedelta(days=rng.randint(2, 25))
                    if delivered_on <= self.plan.today:
                        rejected = Decimal(0)
                        if rng.random() < 0.15:
                            rejected = (quantity * Decimal(rng.choice([5, 10, 20])) / 100).quantize(
                                Decimal(1)
                            )
                        reason = "" if rejected and rng.random() < 0.4 else ("stains" if rejected else "")
                        deliveries_here.append((delivered_on, quantity, rejected, reason))
                        inputs.deliveries.append(
                            derivation.DeliveryIn(delivered_on, quantity, rejected, bool(reason), False)
                        )
                        owed = rate * (quantity - rejected)
                        waited = int(rng.paretovariate(1.3) * 4) - 4  # many on time, a long tail
                        paid_on = delivered_on + timedelta(days=waited)
                        chance = rng.random()
                        if paid_on <= self.plan.today and chance < 0.82:
                            inputs.payments.append((paid_on, owed))
                        elif paid_on <= self.plan.today and chance < 0.92:
                            inputs.payments.append((paid_on, (owed / 2).quantize(Decimal("0.01"))))
                cost = (
                    Decimal(rng.randint(5, 40)) * country.hourly_minimum / 100 if rng.random() < 0.6 else None
                )
                if cost is not None:
                    cost = cost.quantize(Decimal("0.01"))
                    inputs.costs = cost
                match = self._match(admin1, sector, skills, derivation.work_date(inputs))
                figures = derivation.derive(
                    inputs, benchmark_hourly=match.hourly, late_after_days=late_after, today=self.plan.today
                ).as_fields()
                orders.append(
                    (
                        order_id,
                        self.organization.pk,
                        member_id,
                        party,
                        given,
                        rng.choice(PRODUCTS[sector]),
                        sector,
                        supplied,
                        quantity,
                        "piece",
                        rate,
                        country.currency,
                        hours,
                        given if cancelled else None,
                        "giver" if cancelled else "",
                        inputs.materials_lost,
                        False,
                        now,
                        now,
                        match.benchmark.pk if match.benchmark else None,
                        match.level,
                        *(figures[name] for name in derivation.DERIVED_FIELDS),
                    )
                )
                for delivered_on, delivered, rejected, reason in deliveries_here:
                    deliveries.append(
                        (self.organization.pk, order_id, delivered_on, delivered, rejected, reason, False)
                    )
                for paid_on, amount in inputs.payments:
                    payments.append((self.organization.pk, order_id, paid_on, amount, "cash"))
                if cost is not None:
                    costs.append((self.organization.pk, order_id, "electricity", cost, ""))
        insert_rows(
            WorkOrder,
            [
                "id",
                "organization",
                "member",
                "party",
                "given_on",
                "product",
                "sector",
                "materials_supplied",
                "quantity_ordered",
                "unit",
                "piece_rate",
                "currency",
                "her_hours",
                "cancelled_on",
                "cancelled_by",
                "materials_lost",
                "work_lost",
                "created_at",
                "updated_at",
                "benchmark",
                "benchmark_level",
                *derivation.DERIVED_FIELDS,
            ],
            orders,
        )
        insert_rows(
            Delivery,
            [
                "organization",
                "order",
                "delivered_on",
                "quantity",
                "rejected",
                "rejection_reason",
                "rejected_paid",
            ],
            deliveries,
        )
        insert_rows(Payment, ["organization", "order", "paid_on", "amount", "method"], payments)
        insert_rows(Cost, ["organization", "order", "kind", "amount", "note"], costs)
        written.orders += len(orders)
        written.deliveries += len(deliveries)
        written.payments += len(payments)
        written.costs += len(costs)


SURVEY_CHOICES = ("embroidery", "beadwork", "garments")


def survey_form(organization, actor, questions: int):
    """The open form ``synth_<questions>`` of ``questions`` questions (integers, a choice, text and
    decimals in turn); returns its version."""
    form_id = f"synth_{questions}"
    lines = ["| survey |", "| | type | name | label |"]
    for i in range(questions):
        kind = ("integer", "select_one sector", "text", "decimal")[i % 4]
        lines.append(f"| | {kind} | q{i:03d} | Question {i} |")
    lines += ["| choices |", "| | list_name | name | label |"]
    lines += [f"| | sector | {s} | {s.title()} |" for s in SURVEY_CHOICES]
    lines += ["| settings |", "| | form_id | version | name |", f"| | {form_id} | 1 | data |"]
    version = survey_services.upload_form(
        organization, filename=f"{form_id}.md", data="\n".join(lines).encode(), actor=actor
    )
    survey_services.set_state(version.form, "open", actor=actor)
    return version


def answers(questions: int, rng: random.Random) -> dict[str, str]:
    """One filled-in ``survey_form``: each question's answer as a phone sends it."""
    record = {}
    for i in range(questions):
        kind = i % 4
        record[f"q{i:03d}"] = (
            str(rng.randint(0, 500))
            if kind == 0
            else rng.choice(SURVEY_CHOICES)
            if kind == 1
            else f"answer {rng.randint(0, 10**6)}"
            if kind == 2
            else f"{rng.uniform(0, 100):.2f}"
        )
    return record


def submissions(
    organization,
    actor,
    rows: int,
    *,
    questions: int = 100,
    seed: int = 5,
    member_ids: list[int] | None = None,
) -> int:
    """A form of ``questions`` questions (numbers, choices, text, decimals) and ``rows`` sealed
    submissions to it, as a phone's would be stored after parsing; returns how many were written."""
    version = survey_form(organization, actor, questions)
    form_id = version.form.xml_form_id
    rng = random.Random(seed)
    now = timezone.now()
    for offset in range(0, rows, 20_000):
        batch = min(20_000, rows - offset)
        keys = vault.new_subject_keys(organization, batch)
        values = []
        for n, key in enumerate(keys):
            record = answers(questions, rng)
            instance = f"uuid:{form_id}-{organization.pk}-{offset + n}"
            record["meta/instanceID"] = instance
            values.append(
                survey_services.bulk_row(
                    version,
                    instance,
                    key,
                    sealed_xml=key.seal(
                        {"xml": "not kept for synthetic data"}, purpose=survey_services.XML_PURPOSE
                    ),
                    record=record,
                    member_id=rng.choice(member_ids) if member_ids else None,
                    submitted_by_id=None,
                    source="synth",
                    received_at=now,
                    attachments=[],
                )
            )
        with transaction.atomic():
            insert_rows(Submission, survey_services.BULK_COLUMNS, values)
    return rows
