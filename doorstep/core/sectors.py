"""The controlled list of sectors in which homeworkers and home-based workers work.

Codes are stable (they are stored and exchanged); labels are translatable.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    GARMENTS = "garments", _("Garments")
    EMBROIDERY = "embroidery", _("Embroidery")
    BEADWORK = "beadwork", _("Beadwork")
    FOOTWEAR = "footwear", _("Footwear")
    INCENSE = "incense", _("Incense (agarbatti)")
    BIDI = "bidi", _("Bidi rolling")
    FOOD_PROCESSING = "food_processing", _("Food processing")
    HANDICRAFTS = "handicrafts", _("Handicrafts")
    WEAVING = "weaving", _("Weaving")
    LEATHER = "leather", _("Leather")
    ELECTRONICS_ASSEMBLY = "electronics_assembly", _("Electronics assembly")
    PAPER_PRODUCTS = "paper_products", _("Paper products")
    OTHER = "other", _("Other")
