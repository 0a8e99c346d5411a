from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    COUNTY = 1, _("县")
    TOWNSHIP = 2, _("乡镇/街道")
    VILLAGE = 3, _("行政村/社区")
    GROUP = 4, _("村民小组/自然村")


class Kind(models.TextChoices):
    COUNTY = "county", _("县")
    TOWN = "town", _("镇")
    SUBDISTRICT = "subdistrict", _("街道")
    VILLAGE_COMMITTEE = "village_committee", _("村委会")
    RESIDENTS_COMMITTEE = "residents_committee", _("居委会（社区）")
    VILLAGE_GROUP = "village_group", _("村民小组")
    NATURAL_VILLAGE = "natural_village", _("自然村")


# the level each kind of region sits at (a 街道 is a township, a 社区 a village, a 自然村 a group)
KIND_LEVEL = {
    Kind.COUNTY: Level.COUNTY,
    Kind.TOWN: Level.TOWNSHIP,
    Kind.SUBDISTRICT: Level.TOWNSHIP,
    Kind.VILLAGE_COMMITTEE: Level.VILLAGE,
    Kind.RESIDENTS_COMMITTEE: Level.VILLAGE,
    Kind.VILLAGE_GROUP: Level.GROUP,
    Kind.NATURAL_VILLAGE: Level.GROUP,
}


class RegionQuerySet(models.QuerySet):
    def within(self, region: "Region") -> "RegionQuerySet":
        """The region and everything below it."""
        return self.filter(path__startswith=region.path)

    def townships(self) -> "RegionQuerySet":
        return self.filter(level=Level.TOWNSHIP)

    def villages(self) -> "RegionQuerySet":
        return self.filter(level=Level.VILLAGE)


class Region(models.Model):
    """One node of county › township › village › group. ``path`` is the chain of codes, used for scoping."""

    code = models.CharField(_("区划代码"), max_length=15, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    kind = models.CharField(_("类别"), max_length=24, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=80, unique=True, editable=False)
    is_poor_village = models.BooleanField(_("建档立卡贫困村"), default=False)
    poor_village_exit_year = models.PositiveSmallIntegerField(_("贫困村出列年度"), null=True, blank=True)
    source = models.CharField(_("出处"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name_under_parent"),
            models.CheckConstraint(
                condition=models.Q(level=Level.COUNTY, parent__isnull=True)
                | models.Q(level__gt=Level.COUNTY, parent__isnull=False),
                name="region_only_county_without_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        names = []
        node: Region | None = self
        while node is not None and node.level > Level.COUNTY:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))

    def ancestor_at(self, level: int) -> "Region | None":
        node: Region | None = self
        while node is not None and node.level > level:
            node = node.parent
        return node if node is not None and node.level == level else None
