"""Core tables: the abstract owned model every organization's data inherits, the audit log and
the record of failed logins."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OwnedModel(models.Model):
    """A row that belongs to one organization.

    Read it only through ``doorstep.core.tenancy`` (or an app's ``queries.py`` built on it), which
    scopes every query to the organizations the acting user holds a role in. ``organization_id``
    stays in reach of every primary and unique key, so the table can later be distributed on it.
    """

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
    )

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One append-only, hash-chained event. Holds ids and non-personal metadata, never the data.

    ``hash = sha256(canonical JSON of the event's fields and prev_hash)``; see ``core.audit``.
    The database itself refuses UPDATE and DELETE on this table (migration 0002's triggers).
    ``actor_id`` and ``organization_id`` are plain integers, not foreign keys, so that nothing
    elsewhere can cascade into the log.
    """

    sequence = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    organization_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["organization_id", "occurred_at"], name="audit_org_time_idx"),
            models.Index(fields=["actor_id", "occurred_at"], name="audit_actor_time_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"


class AuditChainHead(models.Model):
    """The single row (id 1) holding the last sequence and hash; locked to append in order."""

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit head at #{self.sequence}"


class LoginFailure(models.Model):
    """A failed login for a (normalized) username from an address; read by ``core.throttle``."""

    username = models.CharField(max_length=150)
    address = models.GenericIPAddressField(null=True, blank=True)
    failed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["username", "address", "failed_at"], name="loginfailure_lookup_idx"),
            models.Index(fields=["address", "failed_at"], name="loginfailure_address_idx"),
        ]

    def __str__(self) -> str:
        return f"failed login at {self.failed_at:%Y-%m-%d %H:%M}"


class OrganizationKey(models.Model):
    """An organization's key, wrapped (AES-GCM) by the master key ``master_key_id`` names.

    Never stored unwrapped. ``version`` grows when an organization's key is replaced; data keys say
    which version wraps them. See ``core.vault``.
    """

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    wrapped_key = models.BinaryField()
    master_key_id = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)
    rewrapped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "version"], name="organizationkey_one_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"key v{self.version} of organization {self.organization_id}"


class SubjectKey(OwnedModel):
    """One person's data key (a member's, or a work giver's who is a person), wrapped by her
    organization's key. Deleting this row is crypto-shredding: what it encrypted is unreadable."""

    id = models.UUIDField(primary_key=True)
    organization_key_version = models.PositiveIntegerField()
    wrapped_key = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"data key {self.id}"


class ErasedKey(models.Model):
    """The erasure log: one row per destroyed data key (``vault.shred``), kept with the keys.

    It lives in the key store (backed up by ``backup-keys``, left out of database backups), so that
    restoring an older database backup removes again every row whose key was destroyed since.
    Plain columns, not foreign keys: the key and her organization's rows are gone or may be.
    """

    subject_key_id = models.UUIDField(unique=True)
    organization_id = models.BigIntegerField()
    erased_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"data key {self.subject_key_id} erased"


class Import(OwnedModel):
    """One spreadsheet brought into Doorstep (members, work orders…), from upload to done.

    The uploaded file holds personal data, so it is kept only sealed under a key of its own
    (``file_key``), which is destroyed when the import ends or is cancelled. ``errors`` name a row,
    a column and a reason, never a value. ``next_row`` is where an interrupted import resumes:
    each batch commits its rows and this pointer together.

    At most one run works on a job at a time: a run (checking or importing) first takes the lease
    (``lease_owner``, its own token, until ``lease_expires_at``) with one conditional UPDATE, renews
    it as it writes, and writes nothing once the lease is another's. A queued run's reservation is
    an empty owner with an expiry; a lease that has run out means the worker died, and the job is
    queued again (``recoveries`` counts those automatic resumes).
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Waiting for the columns to be matched")
        VALIDATING = "validating", _("Checking every row")
        VALIDATED = "validated", _("Checked: waiting for your choice")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled: nothing imported")
        FAILED = "failed", _("Stopped by an error")

    target = models.CharField(max_length=40)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    filename = models.CharField(max_length=200)
    file_key = models.OneToOneField(
        SubjectKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_blob = models.BinaryField(null=True, blank=True)
    file_kind = models.CharField(max_length=10)
    encoding = models.CharField(max_length=20, blank=True)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict, blank=True)
    # What the target needs to read the file (e.g. which form) and what it learnt reading it.
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    skipped_rows = models.PositiveIntegerField(default=0)  # already in Doorstep: nothing to do
    error_rows = models.JSONField(default=list, blank=True)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    next_row = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    # Who pressed Import (or Resume) last: the actor of the run, also when it is resumed automatically.
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    recoveries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "lease_expires_at"], name="core_import_lease_idx")]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.target})"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.VALIDATING, self.Status.IMPORTING)
