"""The choices of the projects app: project status and its allowed changes, funding channel and tier, the
direction of a target, and the kind of a ledger entry."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("规划")
    APPROVED = "approved", _("已批复")
    UNDER_CONSTRUCTION = "under_construction", _("在建")
    COMPLETED = "completed", _("已实施")
    ACCEPTED = "accepted", _("已验收")


# The one table of allowed status changes (docs/style.md: workflows are one dict checked by one service).
STATUS_TRANSITIONS: dict[str, set[str]] = {
    ProjectStatus.PLANNED: {ProjectStatus.APPROVED},
    ProjectStatus.APPROVED: {ProjectStatus.UNDER_CONSTRUCTION, ProjectStatus.PLANNED},
    ProjectStatus.UNDER_CONSTRUCTION: {ProjectStatus.COMPLETED},
    ProjectStatus.COMPLETED: {ProjectStatus.ACCEPTED, ProjectStatus.UNDER_CONSTRUCTION},
    ProjectStatus.ACCEPTED: set(),
}


class Channel(models.TextChoices):
    """资金来源 (seed 四(二)): 专项扶贫资金, 行业扶贫资金, 社会扶贫资金."""

    SPECIAL = "special", _("专项扶贫资金")
    SECTOR = "sector", _("行业扶贫资金")
    SOCIAL = "social", _("社会扶贫资金")
    UNSPECIFIED = "unspecified", _("来源未明")


class Tier(models.TextChoices):
    SUPERIOR = "superior", _("上级补助")
    COUNTY = "county", _("县级配套")
    GAP = "gap", _("资金缺口")
    UNSPECIFIED = "unspecified", _("未区分")


class Direction(models.TextChoices):
    AT_LEAST = "at_least", _("不低于")
    AT_MOST = "at_most", _("不高于")


class EntryKind(models.TextChoices):
    ALLOCATION = "allocation", _("资金下达")
    DISBURSEMENT = "disbursement", _("资金拨付")
