"""Possible duplicates: pairs with a similar name in the same place, recorded at entry and after
imports (rapidfuzz), then merged field by field into one record, or dismissed."""

from collections.abc import Mapping

import numpy
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from doorstep.core import audit, rights, tenancy, vault
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.roles import STAFF_ROLES

from .. import search
from ..models import ConsentEvent, DuesPayment, DuplicateCandidate, Member, MemberIdentifier, StatusChange
from .identifiers import _digests
from .pii import PII_FIELDS, PII_PURPOSE

DUPLICATE_SCORE = 85  # rapidfuzz token_sort_ratio of two normalized names in the same locality
DUPLICATES_PER_MEMBER = 5  # at most this many candidates are recorded for one new member


def flag_possible_duplicates(organization_id: int, member_ids: list[int]) -> int:
    """Record pairs with a similar name in the same locality (or district, where no locality is given).

    Names are compared place by place, the new members against everyone in their place, with
    rapidfuzz's ``cdist`` (one vectorized comparison per place, not one call per pair).
    """
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
