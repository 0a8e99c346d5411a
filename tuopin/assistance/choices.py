"""The assistance structure's choices (kept out of ``models.py``, importable from there too)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    COUNTY_UNIT = "county_unit", _("县直单位")
    ENTERPRISE = "enterprise", _("企业")
    SOCIAL_ORG = "social_org", _("社会组织")


class ContributionKind(models.TextChoices):
    DIRECT = "direct", _("直接投入资金")
    COORDINATED = "coordinated", _("协调到位资金")
    SOCIAL = "social", _("动员社会力量投入")
    GOODS = "goods", _("援助物资折价")


class MemberRole(models.TextChoices):
    FIRST_SECRETARY = "first_secretary", _("第一书记")
    CAPTAIN = "captain", _("队长")
    MEMBER = "member", _("队员")
