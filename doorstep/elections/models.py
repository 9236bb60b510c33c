"""Elections of an organization: contests for positions, nominations, a voter roll frozen at a date,
paper tallies per polling station and ballots cast with one-time codes.

**The secrecy rule.** Who voted is known (``RollEntry.voted``), how she voted is not: a ``Ballot``
row holds its election and its choices, nothing else. No foreign key to a member, a roll entry or a
code; no timestamp; a random UUID for its key (no sequence shared with, or ordered like, the roll
marks). Counting re-writes the ballots in a random order in one transaction, so that on PostgreSQL
neither their physical order nor their transaction ids follow the order in which codes were used.
``tests/test_secrecy.py`` inspects every table and column to prove it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from doorstep.core.models import OwnedModel


class Method(models.TextChoices):
    PLURALITY = "plurality", _("Plurality (most votes wins)")
    INSTANT_RUNOFF = "instant_runoff", _("Instant runoff (ranked choices)")


class Election(OwnedModel):
    title = models.CharField(_("title"), max_length=200)
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))
    roll_date = models.DateField(_("voter roll frozen at"))
    roll_frozen_at = models.DateTimeField(null=True, blank=True)
    codes_issued_at = models.DateTimeField(null=True, blank=True)
    counted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # The count: per contest its rounds and winners, by nomination id (names are read, audited, when shown).
    results = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="election_closes_after_opens"
            ),
        ]
        indexes = [models.Index(fields=["organization", "id"], name="election_org_id")]

    def __str__(self) -> str:
        return self.title


class Contest(OwnedModel):
    """One position up for election. The position is a title for now: when the ``governance`` app's
    positions land, the lead links a contest to one (``governance.Position``) without elections
    importing governance (the link goes from governance's side, or through a registry)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="contests")
    position_title = models.CharField(_("position"), max_length=120)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    method = models.CharField(_("counting method"), max_length=20, choices=Method.choices)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(seats__gte=1), name="contest_at_least_one_seat")]

    def __str__(self) -> str:
        return self.position_title


class Nomination(OwnedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for her answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="nominations")
    nominee = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    # Null once whoever nominated her is erased: her nomination stands.
    nominated_by = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    answered_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "nominee"], name="nomination_once_per_contest")
        ]


class PollingStation(OwnedModel):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="stations")
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class RollEntry(OwnedModel):
    """A member on an election's roll. ``voted`` says that she voted, never when nor how: no time,
    and nothing else changes when she does."""

    class Via(models.TextChoices):
        NONE = "", _("not yet")
        CODE = "code", _("one-time code")
        PAPER = "paper", _("paper")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="roll")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    station = models.ForeignKey(
        PollingStation, null=True, blank=True, on_delete=models.SET_NULL, related_name="roll"
    )
    voted = models.BooleanField(default=False)
    voted_via = models.CharField(max_length=5, choices=Via.choices, blank=True, default="")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["election", "member"], name="roll_once_per_election")]


class VotingCode(OwnedModel):
    """A one-time code printed on her slip, kept only as a keyed digest (``core.vault.blind_index``)."""

    entry = models.OneToOneField(RollEntry, on_delete=models.CASCADE, related_name="code")
    digest = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)


class Ballot(OwnedModel):
    """One ballot cast with a code: the election and the choices, nothing that points at who cast it
    (see the module's docstring). ``choices``: {contest id: [nomination ids, first choice first]}."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")
    choices = models.JSONField(default=dict)


class StationTally(OwnedModel):
    """The count of a polling station's paper ballots, as on the signed tally sheet, with its photo
    (re-encoded, so nothing but the picture is kept)."""

    station = models.OneToOneField(PollingStation, on_delete=models.CASCADE, related_name="tally")
    ballots_cast = models.PositiveIntegerField(_("ballot papers in the box"))
    spoiled = models.PositiveIntegerField(_("spoiled papers"), default=0)
    votes = models.JSONField(default=dict)  # {contest id: {nomination id: votes}}
    photo = models.BinaryField()
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)
