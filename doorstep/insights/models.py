"""Open-data releases: a network's suppressed aggregates, published under a licence it chooses."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doorstep.core.models import OwnedModel


class Licence(models.TextChoices):
    CC_BY = "CC-BY-4.0", _("Creative Commons Attribution 4.0 (CC BY 4.0)")
    CC_BY_SA = "CC-BY-SA-4.0", _("Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0)")
    CC0 = "CC0-1.0", _("Public domain dedication (CC0 1.0)")
    ODBL = "ODbL-1.0", _("Open Data Commons Open Database License (ODbL 1.0)")


LICENCE_LINKS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    Licence.ODBL: "https://opendatacommons.org/licenses/odbl/1-0/",
}


class Release(OwnedModel):
    """A frozen set of tables from the aggregates door (network statistics), with its data dictionary,
    as CSV and Parquet; public once published, until withdrawn."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("to"), null=True, blank=True)
    tables = models.JSONField(default=list)  # [[dataset, [dimension, …]], …]
    k = models.PositiveSmallIntegerField()
    organizations = models.JSONField(default=list)  # the names of the organizations the data came from
    figures_as_of = models.DateTimeField(null=True, blank=True)
    data_csv = models.BinaryField()
    data_parquet = models.BinaryField()
    dictionary_csv = models.BinaryField()
    rows = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def licence_link(self) -> str:
        return LICENCE_LINKS.get(self.licence, "")
