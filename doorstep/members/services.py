"""Every write about members: registering, editing, status, dues, consent, her rights.

``clean_member()`` is the one validator of member input: the pages, the API and the spreadsheet
import all pass their raw values through it and get back either clean values or a
``ValidationError`` naming every field at fault. Messages never repeat the value (it may be
personal data); they say what is wrong and where.
"""

import csv
import functools
import io
import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import phonenumbers
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from doorstep.core import audit, rights, tenancy, vault
from doorstep.core.bulk import insert_rows
from doorstep.core.errors import FieldError, PermissionDenied, ValidationError
from doorstep.core.inputs import choice as _choice
from doorstep.core.inputs import date_value as _date
from doorstep.core.roles import ADMIN_ROLES, STAFF_ROLES
from doorstep.core.sectors import Sector
from doorstep.organizations.models import Organization

from .models import (
    MEMBER_ATTRIBUTES,
    Category,
    ConsentEvent,
    ConsentMethod,
    DuesPayment,
    DuplicateCandidate,
    Gender,
    Literacy,
    Member,
    MemberGroup,
    MemberIdentifier,
    PhoneType,
    Purpose,
    Status,
    StatusChange,
)

PII_PURPOSE = "member.pii"
PII_FIELDS = ("full_name", "other_names", "phones", "id_numbers", "address", "gps", "notes")
_SPLIT = re.compile(r"[,;\n]+")


# Validation ---------------------------------------------------------------------------------------


@dataclass
class CleanMember:
    """Validated member input: ``fields`` for the row, ``pii`` for the sealed blob; only the keys
    that were given (for a partial update)."""

    fields: dict[str, Any] = field(default_factory=dict)
    pii: dict[str, Any] = field(default_factory=dict)
    group_name: str | None = None


def _as_list(value) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [v for v in value if v not in (None, "")]
    return [part.strip() for part in _SPLIT.split(str(value)) if part.strip()]


def _as_int(value, name: str, errors: list, *, low: int, high: int, message) -> int | None:
    """A whole number in [low, high]; ``message()`` (called only when needed) says what is wrong."""
    if value in (None, ""):
        return None
    try:
        as_float = float(str(value).strip())  # spreadsheets give 1990 as 1990.0
        if not as_float.is_integer():
            raise ValueError
        number = int(as_float)
    except (TypeError, ValueError, OverflowError):
        errors.append(FieldError(name, _("Give a whole number.")))
        return None
    if not low <= number <= high:
        errors.append(FieldError(name, message()))
        return None
    return number


@functools.cache
def _country_codes() -> frozenset[str]:
    return frozenset(code for code, _name in countries)


def normalize_phone(raw: str, region: str) -> str | None:
    """E.164 for a valid phone number (national numbers read in ``region``), else None."""
    try:
        number = phonenumbers.parse(str(raw), region or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_id_number(raw: str) -> str:
    return re.sub(r"[\s\-./]", "", str(raw)).upper()


def clean_member(organization: Organization, raw: Mapping[str, Any], *, partial: bool = False) -> CleanMember:
    """Validate raw member input (strings from a form or a spreadsheet, or JSON values)."""
    errors: list[FieldError] = []
    clean = CleanMember()
    choice = functools.partial(_choice, language=translation.get_language() or "en")
    given = set(raw) if partial else None

    def wanted(*names: str) -> bool:
        return given is None or any(name in given for name in names)

    # Personal data
    if wanted("full_name"):
        full_name = str(raw.get("full_name") or "").strip()
        if not full_name:
            errors.append(FieldError("full_name", _("Give her full name.")))
        elif len(full_name) > 200:
            errors.append(FieldError("full_name", _("Keep the name under 200 characters.")))
        clean.pii["full_name"] = full_name
    if wanted("other_names"):
        clean.pii["other_names"] = str(raw.get("other_names") or "").strip()
    country = str(raw.get("country") or "").strip().upper() or (organization.country.code or "")
    if wanted("country"):
        if country not in _country_codes():
            errors.append(FieldError("country", _("Give a country as its two-letter code, e.g. IN or KE.")))
        else:
            clean.fields["country"] = country
    if wanted("phones"):
        phones = []
        for position, value in enumerate(_as_list(raw.get("phones")), start=1):
            normalized = normalize_phone(value, country)
            if normalized is None:
                errors.append(
                    FieldError(
                        "phones",
                        _("Phone number %(position)d is not a valid number for %(country)s.")
                        % {"position": position, "country": country or "?"},
                    )
                )
            elif normalized not in phones:
                phones.append(normalized)
        clean.pii["phones"] = phones
    if wanted("id_numbers", "national_id", "welfare_id"):
        id_numbers = []
        for item in raw.get("id_numbers") or []:
            kind = str(item.get("kind") or "id").strip().lower() if isinstance(item, Mapping) else "id"
            number = normalize_id_number(item.get("number") if isinstance(item, Mapping) else item)
            if number:
                id_numbers.append({"kind": kind, "number": number})
        for kind in ("national_id", "welfare_id"):
            if raw.get(kind):
                id_numbers.append({"kind": kind, "number": normalize_id_number(raw[kind])})
        clean.pii["id_numbers"] = id_numbers
    if wanted("address"):
        clean.pii["address"] = str(raw.get("address") or "").strip()
    if wanted("notes"):
        clean.pii["notes"] = str(raw.get("notes") or "").strip()
    if wanted("gps", "latitude", "longitude"):
        gps = raw.get("gps")
        latitude = gps.get("lat") if isinstance(gps, Mapping) else raw.get("latitude")
        longitude = gps.get("lon") if isinstance(gps, Mapping) else raw.get("longitude")
        if latitude in (None, "") and longitude in (None, ""):
            clean.pii["gps"] = None
        else:
            try:
                lat, lon = float(latitude), float(longitude)
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise ValueError
                clean.pii["gps"] = {"lat": round(lat, 6), "lon": round(lon, 6)}
            except (TypeError, ValueError):
                errors.append(
                    FieldError("gps", _("Give a latitude (-90 to 90) and a longitude (-180 to 180)."))
                )

    # Non-identifying attributes
    if wanted("category"):
        clean.fields["category"] = choice(
            raw.get("category"), "category", Category, errors, required=not partial
        )
    if wanted("sectors"):
        sectors = []
        for value in _as_list(raw.get("sectors")):
            code = choice(value, "sectors", Sector, errors)
            if code and code not in sectors:
                sectors.append(code)
        clean.fields["sectors"] = sectors
    if wanted("skills"):
        clean.fields["skills"] = [str(s)[:60] for s in _as_list(raw.get("skills"))][:20]
    if wanted("languages"):
        clean.fields["languages"] = [str(s).strip().lower()[:10] for s in _as_list(raw.get("languages"))][:10]
    if wanted("gender"):
        clean.fields["gender"] = choice(raw.get("gender"), "gender", Gender, errors)
    if wanted("literacy"):
        clean.fields["literacy"] = choice(raw.get("literacy"), "literacy", Literacy, errors)
    if wanted("phone_type"):
        clean.fields["phone_type"] = choice(raw.get("phone_type"), "phone_type", PhoneType, errors)
    if wanted("status"):
        status = choice(raw.get("status") or "active", "status", Status, errors)
        clean.fields["status"] = status
    today = timezone.localdate()
    if wanted("birth_year"):
        clean.fields["birth_year"] = _as_int(
            raw.get("birth_year"),
            "birth_year",
            errors,
            low=1900,
            high=today.year,
            message=lambda: _("The year of birth must be between 1900 and %(year)d.") % {"year": today.year},
        )
    if wanted("household_size"):
        clean.fields["household_size"] = _as_int(
            raw.get("household_size"),
            "household_size",
            errors,
            low=1,
            high=99,
            message=lambda: _("The household has between 1 and 99 people."),
        )
    if wanted("dependants"):
        clean.fields["dependants"] = _as_int(
            raw.get("dependants"),
            "dependants",
            errors,
            low=0,
            high=98,
            message=lambda: _("Give a number of dependants from 0 to 98."),
        )
    size, dependants = clean.fields.get("household_size"), clean.fields.get("dependants")
    if size is not None and dependants is not None and dependants >= size:
        errors.append(
            FieldError("dependants", _("Dependants must be fewer than the people in the household."))
        )
    for name, limit in (("admin1", 100), ("admin2", 100), ("locality", 120)):
        if wanted(name):
            clean.fields[name] = str(raw.get(name) or "").strip()[:limit]
    if wanted("joined_on"):
        joined = _date(raw.get("joined_on"), "joined_on", errors) or (None if partial else today)
        if joined and joined > today:
            errors.append(FieldError("joined_on", _("The date joined cannot be in the future.")))
        if joined:
            clean.fields["joined_on"] = joined
    if wanted("group"):
        clean.group_name = str(raw.get("group") or "").strip()[:120]

    if errors:
        raise ValidationError(message=_("Some of the member's details are not valid."), errors=errors)
    return clean


# Identifiers and duplicates ------------------------------------------------------------------------


def _digests(organization_id: int, pii: Mapping) -> list[tuple[str, str]]:
    pairs = [
        (MemberIdentifier.Kind.PHONE, vault.blind_index(organization_id, "phone", p))
        for p in pii.get("phones", [])
    ]
    pairs += [
        (MemberIdentifier.Kind.ID, vault.blind_index(organization_id, "id", f"{i['kind']}:{i['number']}"))
        for i in pii.get("id_numbers", [])
    ]
    return pairs


def _certain_duplicates(
    organization_id: int, digests: list[tuple[str, str]], exclude: int | None
) -> ValidationError | None:
    if not digests:
        return None
    matches = (
        MemberIdentifier.objects.filter(organization_id=organization_id, digest__in=[d for _k, d in digests])
        .exclude(member_id=exclude)
        .select_related("member")
    )
    errors = []
    for match in matches:
        field_name = "phones" if match.kind == MemberIdentifier.Kind.PHONE else "id_numbers"
        errors.append(
            FieldError(
                field_name, _("Member #%(number)d already has this number.") % {"number": match.member.number}
            )
        )
    if errors:
        return ValidationError(
            message=_("This looks like a member who is already registered."), code="duplicate", errors=errors
        )
    return None


def _group(organization_id: int, name: str | None) -> MemberGroup | None:
    if not name:
        return None
    group, _created = MemberGroup.objects.get_or_create(organization_id=organization_id, name=name)
    return group


def _next_number(organization_id: int) -> int:
    Organization.objects.select_for_update().get(pk=organization_id)
    last = (
        Member.objects.filter(organization_id=organization_id)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return (last or 0) + 1


# Registering and editing ---------------------------------------------------------------------------


def create_member(organization: Organization, *, data: Mapping[str, Any], actor) -> Member:
    tenancy.require_role(actor, organization, STAFF_ROLES)
    clean = clean_member(organization, data)
    pii = {name: clean.pii.get(name) for name in PII_FIELDS}
    with transaction.atomic():
        digests = _digests(organization.pk, pii)
        duplicate = _certain_duplicates(organization.pk, digests, exclude=None)
        if duplicate:
            raise duplicate
        key = vault.new_subject_key(organization)
        member = Member.objects.create(
            organization=organization,
            number=_next_number(organization.pk),
            subject_key=key,
            pii=vault.seal(key, pii, purpose=PII_PURPOSE),
            group=_group(organization.pk, clean.group_name),
            **clean.fields,
        )
        MemberIdentifier.objects.bulk_create(
            MemberIdentifier(organization=organization, member=member, kind=kind, digest=digest)
            for kind, digest in digests
        )
        StatusChange.objects.create(
            organization=organization,
            member=member,
            status=member.status,
            changed_on=member.joined_on,
            recorded_by=actor,
        )
        audit.record("member.created", actor=actor, organization=organization, obj=member)
        flag_possible_duplicates(organization.pk, [member.pk])
    return member


def create_members_bulk(
    organization: Organization, cleans: list[CleanMember], *, actor, source: str
) -> list[int]:
    """Register many checked members at once (an import batch), inside the caller's transaction.

    Rows go in with one insert per table (``core.bulk``): an import of 100,000 members must take
    seconds, not minutes.
    """
    from . import search

    tenancy.require_role(actor, organization, STAFF_ROLES)
    search.refresh(organization.pk)  # current before the batch, so that it can just remember the new names
    first_number = _next_number(organization.pk)
    keys = vault.new_subject_keys(organization, len(cleans))
    groups: dict[str, int | None] = {}
    now, today = timezone.now(), timezone.localdate()
    rows = []
    for offset, (clean, key) in enumerate(zip(cleans, keys, strict=True)):
        name = clean.group_name or ""
        if name not in groups:
            group = _group(organization.pk, name)
            groups[name] = group.pk if group else None
        fields = {**MEMBER_DEFAULTS, "joined_on": today, **clean.fields}
        pii = {field_name: clean.pii.get(field_name) for field_name in PII_FIELDS}
        rows.append(
            (
                organization.pk,
                first_number + offset,
                key.id,
                key.seal(pii, purpose=PII_PURPOSE),
                groups[name],
                now,
                now,
                *(fields[c] for c in MEMBER_COLUMNS),
            )
        )
    insert_rows(
        Member,
        [
            "organization",
            "number",
            "subject_key",
            "pii",
            "group",
            "created_at",
            "updated_at",
            *MEMBER_COLUMNS,
        ],
        rows,
    )
    numbers = dict(
        Member.objects.filter(
            organization=organization, number__gte=first_number, number__lt=first_number + len(cleans)
        ).values_list("number", "pk")
    )
    ids = [numbers[first_number + offset] for offset in range(len(cleans))]
    insert_rows(
        MemberIdentifier,
        ["organization", "member", "kind", "digest"],
        (
            (organization.pk, member_id, kind, digest)
            for member_id, clean in zip(ids, cleans, strict=True)
            for kind, digest in _digests(organization.pk, clean.pii)
        ),
    )
    insert_rows(
        StatusChange,
        ["organization", "member", "status", "changed_on", "recorded_by", "recorded_at"],
        (
            (
                organization.pk,
                member_id,
                row[7 + MEMBER_COLUMNS.index("status")],
                row[7 + MEMBER_COLUMNS.index("joined_on")],
                actor.pk,
                now,
            )
            for member_id, row in zip(ids, rows, strict=True)
        ),
    )
    search.remember(
        organization.pk,
        {
            pk: " ".join(filter(None, [c.pii.get("full_name"), c.pii.get("other_names")]))
            for pk, c in zip(ids, cleans, strict=True)
        },
    )
    audit.record(
        "member.imported",
        actor=actor,
        organization=organization,
        object_type="members.member",
        metadata={"source": source, "member_ids": ids},
    )
    return ids


# The member columns an import fills (besides those create_members_bulk sets itself), and their defaults.
MEMBER_COLUMNS = [*MEMBER_ATTRIBUTES, "country"]
MEMBER_DEFAULTS = {
    "sectors": [],
    "skills": [],
    "gender": "",
    "birth_year": None,
    "languages": [],
    "literacy": "",
    "phone_type": "",
    "household_size": None,
    "dependants": None,
    "country": "",
    "admin1": "",
    "admin2": "",
    "locality": "",
    "status": Status.ACTIVE,
}


# Possible duplicates and merging ------------------------------------------------------------------

DUPLICATE_SCORE = 85  # rapidfuzz token_sort_ratio of two normalized names in the same locality
DUPLICATES_PER_MEMBER = 5  # at most this many candidates are recorded for one new member


def flag_possible_duplicates(organization_id: int, member_ids: list[int]) -> int:
    """Record pairs with a similar name in the same locality (or district, where no locality is given).

    Names are compared place by place, the new members against everyone in their place, with
    rapidfuzz's ``cdist`` (one vectorized comparison per place, not one call per pair).
    """
    import numpy
    from rapidfuzz import fuzz, process

    from . import search

    if not member_ids:
        return 0
    index = search.refresh(organization_id)
    new = set(member_ids)
    places: dict[tuple[str, str], list[int]] = {}
    for pk, locality, admin2 in Member.objects.filter(
        organization_id=organization_id, merged_into__isnull=True
    ).values_list("pk", "locality", "admin2"):
        if (locality or admin2) and pk in index.names:
            places.setdefault((locality.casefold(), "" if locality else admin2.casefold()), []).append(pk)
    existing = set(
        DuplicateCandidate.objects.filter(organization_id=organization_id).values_list(
            "first_id", "second_id"
        )
    )
    pairs: dict[tuple[int, int], int] = {}
    for everyone in places.values():
        arrivals = [pk for pk in everyone if pk in new]
        if not arrivals or len(everyone) < 2:
            continue
        scores = process.cdist(
            [index.names[pk] for pk in arrivals],
            [index.names[pk] for pk in everyone],
            scorer=fuzz.token_sort_ratio,
            score_cutoff=DUPLICATE_SCORE,
            dtype=numpy.uint8,
            workers=-1 if len(arrivals) * len(everyone) > 200_000 else 1,
        )
        for row, arrival in enumerate(arrivals):
            # The closest few only: a village with forty "Sunita Devi"s must not make 1,600 pairs each.
            columns = numpy.nonzero(scores[row])[0]
            if len(columns) > DUPLICATES_PER_MEMBER + 1:
                columns = columns[
                    numpy.argsort(-scores[row, columns], kind="stable")[: DUPLICATES_PER_MEMBER + 1]
                ]
            for column in columns:
                first, second = sorted((arrival, everyone[column]))
                if first != second and (first, second) not in existing:
                    pairs[(first, second)] = max(pairs.get((first, second), 0), int(scores[row, column]))
    DuplicateCandidate.objects.bulk_create(
        DuplicateCandidate(organization_id=organization_id, first_id=a, second_id=b, score=score)
        for (a, b), score in pairs.items()
    )
    return len(pairs)


MERGE_FIELDS = (
    "full_name",
    "other_names",
    "address",
    "gps",
    "notes",
    "category",
    "gender",
    "birth_year",
    "literacy",
    "phone_type",
    "household_size",
    "dependants",
    "admin1",
    "admin2",
    "locality",
    "status",
)


def merge_members(candidate: DuplicateCandidate, *, keep: int, choices: Mapping[str, str], actor) -> Member:
    """Merge a pair into the record ``keep`` (one of the two ids). ``choices`` says, field by field,
    whose value to keep ("first" or "second"); phones and ID numbers of both are kept, and so are
    both histories of consent, dues and status. The other record stays, linked by ``merged_into``."""
    tenancy.require_role(actor, candidate.organization_id, STAFF_ROLES)
    with transaction.atomic():
        candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
        if candidate.status != DuplicateCandidate.Status.OPEN:
            raise ValidationError.for_field(
                "status", _("This pair has already been reviewed."), code="reviewed"
            )
        if keep not in (candidate.first_id, candidate.second_id):
            raise ValidationError.for_field("keep", _("Keep one of the two records."))
        pair = {
            m.pk: m
            for m in Member.objects.select_for_update()
            .select_related("subject_key")
            .filter(pk__in=[candidate.first_id, candidate.second_id])
        }
        records = {"first": pair[candidate.first_id], "second": pair[candidate.second_id]}
        bad = [name for name, side in choices.items() if name not in MERGE_FIELDS or side not in records]
        if bad:
            raise ValidationError(
                message=_("Choose, for each field, the first or the second record."),
                errors=[FieldError(name, _("Unknown field or side.")) for name in bad],
            )
        survivor = pair[keep]
        other = records["second"] if survivor is records["first"] else records["first"]
        pii = {
            side: vault.open_sealed(m.subject_key, m.pii, purpose=PII_PURPOSE) for side, m in records.items()
        }
        merged_pii = dict(vault.open_sealed(survivor.subject_key, survivor.pii, purpose=PII_PURPOSE))
        merged_pii["phones"] = list(
            dict.fromkeys(pii["first"].get("phones", []) + pii["second"].get("phones", []))
        )
        ids = pii["first"].get("id_numbers", []) + pii["second"].get("id_numbers", [])
        merged_pii["id_numbers"] = [dict(t) for t in dict.fromkeys(tuple(sorted(i.items())) for i in ids)]
        for name, side in choices.items():
            if name in PII_FIELDS:
                merged_pii[name] = pii[side].get(name)
            else:
                setattr(survivor, name, getattr(records[side], name))
        survivor.pii = vault.seal(survivor.subject_key, merged_pii, purpose=PII_PURPOSE)
        survivor.save()
        for model in (ConsentEvent, DuesPayment, StatusChange):
            model.objects.filter(member=other).update(member=survivor)
        for handler in rights.handlers():
            if handler.merge is not None:
                handler.merge(other, survivor)
        MemberIdentifier.objects.filter(member=other).delete()
        MemberIdentifier.objects.filter(member=survivor).delete()
        MemberIdentifier.objects.bulk_create(
            MemberIdentifier(organization_id=survivor.organization_id, member=survivor, kind=k, digest=d)
            for k, d in _digests(survivor.organization_id, merged_pii)
        )
        other.merged_into = survivor
        other.save(update_fields=["merged_into", "updated_at"])
        Member.objects.filter(merged_into=other).update(merged_into=survivor)
        candidate.status, candidate.decided_by, candidate.decided_at = (
            DuplicateCandidate.Status.MERGED,
            actor,
            timezone.now(),
        )
        candidate.save(update_fields=["status", "decided_by", "decided_at"])
        DuplicateCandidate.objects.filter(status=DuplicateCandidate.Status.OPEN).filter(
            models.Q(first=other) | models.Q(second=other)
        ).update(status=DuplicateCandidate.Status.DISMISSED)
        audit.record(
            "member.merged",
            actor=actor,
            organization=survivor.organization_id,
            obj=survivor,
            metadata={"merged_id": other.pk, "fields": sorted(f"{n}:{s}" for n, s in choices.items())},
        )
    return survivor


def dismiss_candidate(candidate: DuplicateCandidate, *, actor) -> DuplicateCandidate:
    tenancy.require_role(actor, candidate.organization_id, STAFF_ROLES)
    with transaction.atomic():
        candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
        if candidate.status == DuplicateCandidate.Status.OPEN:
            candidate.status, candidate.decided_by, candidate.decided_at = (
                DuplicateCandidate.Status.DISMISSED,
                actor,
                timezone.now(),
            )
            candidate.save(update_fields=["status", "decided_by", "decided_at"])
            audit.record(
                "member.duplicate_dismissed",
                actor=actor,
                organization=candidate.organization_id,
                obj=candidate,
            )
    return candidate


def update_member(member: Member, *, data: Mapping[str, Any], actor, status_on: date | None = None) -> Member:
    """Change some of her details (only the keys given). A status change joins her status history."""
    tenancy.require_role(actor, member.organization_id, STAFF_ROLES)
    return _update(member, data=data, actor=actor, status_on=status_on)


# What a member with a login may correct herself.
SELF_EDITABLE = (
    "full_name",
    "other_names",
    "phones",
    "address",
    "languages",
    "literacy",
    "phone_type",
    "household_size",
    "dependants",
    "locality",
)


def update_own_profile(member: Member, *, data: Mapping[str, Any], actor) -> Member:
    """A member corrects her own details (only ``SELF_EDITABLE`` ones)."""
    if getattr(actor, "pk", None) is None or member.user_id != actor.pk:
        raise PermissionDenied()
    return _update(
        member, data={k: v for k, v in data.items() if k in SELF_EDITABLE}, actor=actor, status_on=None
    )


def _update(member: Member, *, data: Mapping[str, Any], actor, status_on: date | None) -> Member:
    organization = Organization.objects.get(pk=member.organization_id)
    clean = clean_member(organization, {"country": member.country.code, **data}, partial=True)
    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("subject_key").get(pk=member.pk)
        changed = sorted(name for name, value in clean.fields.items() if getattr(member, name) != value)
        for name in changed:
            setattr(member, name, clean.fields[name])
        if clean.group_name is not None:
            group = _group(member.organization_id, clean.group_name)
            if member.group_id != (group.pk if group else None):
                member.group = group
                changed.append("group")
        pii_changed = []
        if clean.pii:
            pii = vault.open_sealed(member.subject_key, member.pii, purpose=PII_PURPOSE)
            pii_changed = sorted(name for name, value in clean.pii.items() if pii.get(name) != value)
            if pii_changed:
                pii.update(clean.pii)
                digests = _digests(member.organization_id, pii)
                duplicate = _certain_duplicates(member.organization_id, digests, exclude=member.pk)
                if duplicate:
                    raise duplicate
                member.pii = vault.seal(member.subject_key, pii, purpose=PII_PURPOSE)
                MemberIdentifier.objects.filter(member=member).delete()
                MemberIdentifier.objects.bulk_create(
                    MemberIdentifier(organization_id=member.organization_id, member=member, kind=k, digest=d)
                    for k, d in digests
                )
        if not changed and not pii_changed:
            return member
        member.save()
        if "status" in changed:
            StatusChange.objects.create(
                organization_id=member.organization_id,
                member=member,
                status=member.status,
                changed_on=status_on or timezone.localdate(),
                recorded_by=actor,
            )
        audit.record(
            "member.updated",
            actor=actor,
            organization=member.organization_id,
            obj=member,
            metadata={"fields": changed + [f"pii.{name}" for name in pii_changed]},
        )
    return member


def record_dues(member: Member, *, period: str, amount, currency: str, paid_on: date, actor) -> DuesPayment:
    tenancy.require_role(actor, member.organization_id, STAFF_ROLES)
    errors = []
    try:
        amount = Decimal(str(amount))
        if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
            raise InvalidOperation
        amount = amount.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors.append(
            FieldError("amount", _("Give an amount above zero with at most two decimals, e.g. 50 or 12.50."))
        )
    if not re.fullmatch(r"[A-Z]{3}", str(currency or "")):
        errors.append(
            FieldError("currency", _("Give the currency as its three-letter code, e.g. INR or KES."))
        )
    if not str(period or "").strip():
        errors.append(FieldError("period", _("Say which period the dues are for, e.g. 2026.")))
    if paid_on and paid_on > timezone.localdate():
        errors.append(FieldError("paid_on", _("The payment date cannot be in the future.")))
    if errors:
        raise ValidationError(message=_("The dues payment could not be recorded."), errors=errors)
    with transaction.atomic():
        payment = DuesPayment.objects.create(
            organization_id=member.organization_id,
            member=member,
            period=str(period).strip()[:20],
            amount=amount,
            currency=currency,
            paid_on=paid_on,
            recorded_by=actor,
        )
        audit.record(
            "member.dues_recorded",
            actor=actor,
            organization=member.organization_id,
            obj=payment,
            metadata={"member_id": member.pk},
        )
    return payment


def record_consent(
    member: Member, *, purpose: str, given: bool, effective_on: date, method: str, actor
) -> ConsentEvent:
    tenancy.require_role(actor, member.organization_id, STAFF_ROLES)
    errors = []
    if purpose not in Purpose.values:
        errors.append(FieldError("purpose", _("Unknown purpose.")))
    if method not in ConsentMethod.values:
        errors.append(FieldError("method", _("Say how consent was given: on paper, verbally or digitally.")))
    if effective_on > timezone.localdate():
        errors.append(FieldError("effective_on", _("Consent cannot be recorded for a future date.")))
    if errors:
        raise ValidationError(message=_("The consent could not be recorded."), errors=errors)
    with transaction.atomic():
        event = ConsentEvent.objects.create(
            organization_id=member.organization_id,
            member=member,
            purpose=purpose,
            given=given,
            effective_on=effective_on,
            method=method,
            recorded_by=actor,
        )
        audit.record(
            "member.consent_given" if given else "member.consent_withdrawn",
            actor=actor,
            organization=member.organization_id,
            obj=event,
            metadata={"member_id": member.pk, "purpose": purpose},
        )
    return event


# Her own login (phone number and PIN) ---------------------------------------------------------------


def give_login(member: Member, *, pin: str, actor) -> Member:
    """Let her log in as a ``worker`` with her phone number and a PIN she chose (4 to 8 digits).

    The account's username is made from the record's id: no name or phone number is stored in clear.
    Giving a login again sets a new PIN.
    """
    from doorstep.core.roles import Role
    from doorstep.organizations.models import RoleAssignment, User

    tenancy.require_role(actor, member.organization_id, STAFF_ROLES)
    if not re.fullmatch(r"\d{4,8}", pin or ""):
        raise ValidationError.for_field("pin", _("The PIN is 4 to 8 digits."), code="bad_pin")
    with transaction.atomic():
        member = (
            Member.objects.select_for_update(of=("self",))
            .select_related("subject_key", "user")
            .get(pk=member.pk)
        )
        pii = vault.open_sealed(member.subject_key, member.pii, purpose=PII_PURPOSE)
        if not pii.get("phones"):
            raise ValidationError.for_field(
                "pin", _("Add her phone number first: she logs in with it."), code="no_phone"
            )
        user = member.user or User(username=f"member-{member.pk}")
        user.set_password(pin)
        user.is_active = True
        user.save()
        if member.user_id is None:
            member.user = user
            member.save(update_fields=["user", "updated_at"])
        RoleAssignment.objects.update_or_create(
            organization_id=member.organization_id,
            user=user,
            defaults={"role": Role.WORKER, "is_active": True},
        )
        audit.record(
            "member.login_given",
            actor=actor,
            organization=member.organization_id,
            obj=member,
            metadata={"user_id": user.pk},
        )
    return member


def worker_log_in(organization: Organization, *, phone: str, pin: str, address: str | None):
    """The member's user for this phone number and PIN, throttled like every login."""
    from doorstep.organizations import services as accounts

    normalized = normalize_phone(phone, organization.country.code)
    digest = vault.blind_index(organization.pk, "phone", normalized) if normalized else "invalid"
    match = (
        MemberIdentifier.objects.filter(
            organization=organization,
            kind=MemberIdentifier.Kind.PHONE,
            digest=digest,
            member__user__isnull=False,
            member__merged_into__isnull=True,
        )
        .select_related("member__user")
        .first()
    )
    # Unknown phones are throttled under their digest, so guessing numbers is slowed down too.
    username = match.member.user.username if match else f"phone-{digest[:32]}"
    return accounts.log_in(username=username, password=pin, address=address)


def reveal_own_pii(member: Member, *, actor) -> dict:
    """Her own personal data, for herself (audited like any read)."""
    if member.user_id != getattr(actor, "pk", None):
        raise PermissionDenied()
    audit.record(
        "member.pii_read",
        actor=actor,
        organization=member.organization_id,
        object_type="members.member",
        metadata={"member_ids": [member.pk], "reason": "her own profile"},
    )
    return vault.open_sealed(member.subject_key, member.pii, purpose=PII_PURPOSE)


# Reading her personal data (always audited) ---------------------------------------------------------


def reveal_pii(members, *, actor, reason: str) -> dict[int, dict]:
    """Her decrypted personal data, for members the actor may see; one audit event for the batch."""
    members = list(members)
    if not members:
        return {}
    for organization_id in {m.organization_id for m in members}:
        tenancy.require_role(actor, organization_id, STAFF_ROLES)
    revealed = {m.pk: vault.open_sealed(m.subject_key, m.pii, purpose=PII_PURPOSE) for m in members}
    audit.record_reads(
        "member.pii_read",
        actor=actor,
        rows=members,
        object_type="members.member",
        ids_key="member_ids",
        reason=reason,
    )
    return revealed


# Her rights: export and erasure ---------------------------------------------------------------------


def _jsonable(value):
    if isinstance(value, date | Decimal):
        return str(value)
    return value


def export_sections(member: Member) -> dict[str, list[dict]]:
    """What the members app holds about her (registered with core.rights)."""
    pii = vault.open_sealed(member.subject_key, member.pii, purpose=PII_PURPOSE)
    profile = {
        "number": member.number,
        **{name: getattr(member, name) for name in MEMBER_ATTRIBUTES},
        "country": member.country.code,
        "group": member.group.name if member.group else "",
        **pii,
    }
    sections = {
        "profile": [profile],
        "status_history": list(member.status_history.values("status", "changed_on")),
        "dues": list(member.dues.values("period", "amount", "currency", "paid_on")),
        "consents": list(member.consents.values("purpose", "given", "effective_on", "method")),
    }
    return {
        name: [{k: _jsonable(v) for k, v in row.items()} for row in rows] for name, rows in sections.items()
    }


def erase_rows(member: Member) -> None:
    """Remove the members app's rows about her (registered with core.rights)."""
    MemberGroup.objects.filter(leader=member).update(leader=None)
    for model in (MemberIdentifier, ConsentEvent, DuesPayment, StatusChange):
        model.objects.filter(member=member).delete()


def export_member(member: Member, *, actor) -> bytes:
    """Everything Doorstep holds about her, as a zip of one JSON file and one CSV per section."""
    tenancy.require_role(actor, member.organization_id, STAFF_ROLES)
    sections: dict[str, list[dict]] = {}
    for handler in rights.handlers():
        for name, rows in handler.export(member).items():
            sections[f"{handler.app}.{name}"] = rows
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("member.json", json.dumps(sections, ensure_ascii=False, indent=2, default=str))
        for name, rows in sections.items():
            text = io.StringIO()
            columns = sorted({key for row in rows for key in row})
            writer = csv.DictWriter(text, fieldnames=columns)
            writer.writeheader()
            for row in rows:
                writer.writerow(
                    {
                        k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                        for k, v in row.items()
                    }
                )
            archive.writestr(f"{name}.csv", text.getvalue())
    audit.record("member.exported", actor=actor, organization=member.organization_id, obj=member)
    return buffer.getvalue()


def _erase_one(member: Member) -> None:
    for merged in Member.objects.filter(merged_into=member).select_related("subject_key"):
        _erase_one(merged)
    key = member.subject_key
    for handler in rights.handlers():
        handler.erase(member)
    member.delete()
    vault.shred(key)


def erase_member(member: Member, *, actor) -> None:
    """Her right to erasure: every app's rows about her, then her record, then her key.

    Aggregates already published are not recomputed. The audit event keeps only ids.
    """
    tenancy.require_role(actor, member.organization_id, ADMIN_ROLES)
    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("subject_key").get(pk=member.pk)
        member_id, organization_id, key = member.pk, member.organization_id, member.subject_key
        for merged in Member.objects.filter(merged_into=member).select_related("subject_key"):
            _erase_one(merged)  # records merged into hers are her too
        for handler in rights.handlers():
            handler.erase(member)
        linked_user = member.user
        member.delete()
        vault.shred(key)
        if linked_user is not None:
            linked_user.is_active = False
            linked_user.set_unusable_password()
            linked_user.save(update_fields=["is_active", "password"])
        audit.record(
            "member.erased",
            actor=actor,
            organization=organization_id,
            object_type="members.member",
            object_id=member_id,
        )


def names_shown_with_consent(members, *, actor, reason: str) -> dict[int, str]:
    """Only her full name, for someone outside the organization she agreed, in so many words, may
    know it (a company a grievance case is shared with; ``grievances.services`` checks the share
    and its recorded agreement before calling this). Audited like any read of personal data."""
    members = list(members)
    if not members:
        return {}
    names = {
        m.pk: vault.open_sealed(m.subject_key, m.pii, purpose=PII_PURPOSE).get("full_name", "")
        for m in members
    }
    audit.record_reads(
        "member.name_shared",
        actor=actor,
        rows=members,
        object_type="members.member",
        ids_key="member_ids",
        reason=reason,
    )
    return names
