"""Surveys: XLSForms and their versions, media files, app users (devices), and submissions.

A form (``xml_form_id`` unique in its organization) has versions; each version keeps the uploaded
XLSForm, the XForm pyxform made of it, its md5 (as OpenRosa form lists give it) and pyxform's
description of the form (to know groups, repeats and types when reading submissions). A version is
never changed: a new upload with the same version string is refused.

Submissions hold what people said, often personal data: the XML, the parsed record and every
attachment are sealed under a data key of the submission's own (``core.vault``), so one submission
can be destroyed alone. ``instance_id`` is unique per organization: a phone retrying, or two
identical submissions racing, make one row (the database refuses the second). An edit (the XML
names a ``deprecatedID``) is a new row in the same record (``root_instance_id``); only the newest
row of a record is ``current``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorstep.core.models import OwnedModel, SubjectKey


class FormState(models.TextChoices):
    DRAFT = "draft", _("Draft: not on phones yet")
    OPEN = "open", _("Open: accepting submissions")
    CLOSED = "closed", _("Closed: no more submissions")


class Fillers(models.TextChoices):
    ANYONE = "anyone", _("Enrolled phones and the organization's staff")
    DEVICES = "devices", _("Enrolled phones only")
    STAFF = "staff", _("Staff with their own login only")


class Form(OwnedModel):
    xml_form_id = models.CharField(max_length=255)
    title = models.CharField(max_length=255)
    state = models.CharField(max_length=10, choices=FormState.choices, default=FormState.DRAFT)
    fillers = models.CharField(max_length=10, choices=Fillers.choices, default=Fillers.ANYONE)
    member_field = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "xml_form_id"], name="form_unique_xml_id")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def latest(self):
        return self.versions.order_by("-created_at", "-pk").first()


class FormVersion(OwnedModel):
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(max_length=100)
    source_name = models.CharField(max_length=200)
    source = models.BinaryField()
    xml = models.TextField()
    md5 = models.CharField(max_length=32)
    structure = models.JSONField(default=dict)
    warnings = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["form", "version"], name="formversion_unique_version")]

    def __str__(self) -> str:
        return f"{self.form.xml_form_id} {self.version}"


class MediaFile(OwnedModel):
    """A file a form version needs on the phone (an image, a CSV for select_one_from_file)."""

    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="media")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    data = models.BinaryField()
    md5 = models.CharField(max_length=32)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["version", "name"], name="mediafile_unique_name")]

    def __str__(self) -> str:
        return self.name


class AppUser(OwnedModel):
    """A device or enumerator allowed to list the organization's open forms and submit to them,
    with a token of its own (only its SHA-256 is kept), revocable at once."""

    name = models.CharField(max_length=120)
    token_digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Submission(OwnedModel):
    form = models.ForeignKey(Form, on_delete=models.PROTECT, related_name="submissions")
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="submissions")
    instance_id = models.CharField(max_length=120)
    root_instance_id = models.CharField(max_length=120, db_index=True)
    deprecated_id = models.CharField(max_length=120, blank=True)
    current = models.BooleanField(default=True)
    subject_key = models.OneToOneField(SubjectKey, on_delete=models.PROTECT, related_name="+")
    sealed_xml = models.BinaryField()
    sealed_data = models.BinaryField()
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    app_user = models.ForeignKey(AppUser, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=20, default="openrosa")  # or kobo, odk_central (imported)
    # When the server received it (for an import: when the other system did, as its export says).
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    attachments_expected = models.JSONField(default=list, blank=True)
    # Sent encrypted with the form's public key (ODK's format): kept as received until someone
    # with the private key runs `decrypt_submissions`; its record holds only the instance id.
    encrypted = models.BooleanField(default=False, db_default=False)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "instance_id"], name="submission_unique_instance")
        ]
        indexes = [models.Index(fields=["organization", "form", "current"], name="submission_form_idx")]

    def __str__(self) -> str:
        return self.instance_id


class Attachment(OwnedModel):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sealed = models.BinaryField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["submission", "name"], name="attachment_unique_name")]

    def __str__(self) -> str:
        return self.name


class Export(OwnedModel):
    """A form's submissions written to a file by a background job, to download when it is ready.

    The file holds personal data: it is sealed under a data key of its own (``file_key``) in chunks
    on disk (``settings.EXPORT_ROOT``), and the key is destroyed when the export expires (after
    ``settings.EXPORT_KEEP_DAYS``) or is deleted, so the file cannot be read after that even from a
    backup."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Writing")
        DONE = "done", _("Ready to download")
        FAILED = "failed", _("Stopped by an error")
        EXPIRED = "expired", _("Expired: deleted")

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    format = models.CharField(max_length=10)
    use_labels = models.BooleanField(default=False)
    split = models.BooleanField(default=False)
    language = models.CharField(max_length=20, default="en")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.BigIntegerField(default=0)
    file_key = models.OneToOneField(
        SubjectKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    path = models.CharField(max_length=200, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.filename or f"export {self.pk}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
