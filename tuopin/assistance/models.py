"""Who helps whom: pairing units, county leaders, cadres and households, village work teams, the 指挥部, and
the visits (转走访) and measures (因户施策) of the cadres."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tuopin.assistance.choices import ContributionKind, MemberRole, UnitKind
from tuopin.core.concurrency import VersionField
from tuopin.core.money import MoneyField

__all__ = [
    "ContributionKind",
    "MemberRole",
    "UnitKind",
]  # the choices live in choices.py; importable from here


class Unit(models.Model):
    """A pairing unit (挂联单位): a county department, an enterprise or a social organisation."""

    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    kind = models.CharField(_("单位类别"), max_length=16, choices=UnitKind.choices)
    contact = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("挂联单位")
        verbose_name_plural = _("挂联单位")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contribution(models.Model):
    """Money or goods (at value) a unit brought in one year, in yuan."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="contributions"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类别"), max_length=16, choices=ContributionKind.choices)
    amount = MoneyField(_("金额（元）"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("帮扶投入")
        verbose_name_plural = _("帮扶投入")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="contribution_not_negative")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.get_kind_display()} {self.amount}"


class Pairing(models.Model):
    """What every pairing shares: a start, an optional end (ended pairings stay as history), who wrote it."""

    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        abstract = True


class CountyLeader(models.Model):
    """A county-level leader (县级领导) who is paired with villages or natural villages."""

    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("县级领导")
        verbose_name_plural = _("县级领导")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class LeaderPairing(Pairing):
    """领导挂点: a county leader with a village or a natural village (group)."""

    leader = models.ForeignKey(
        CountyLeader, verbose_name=_("县级领导"), on_delete=models.PROTECT, related_name="pairings"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("挂联村（组）"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("县级领导挂联")
        verbose_name_plural = _("县级领导挂联")

    def __str__(self) -> str:
        return f"{self.leader} — {self.region}"


class UnitPairing(Pairing):
    """部门包村: a unit with an administrative village or a village group."""

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="pairings")
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("挂联村（组）"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("单位挂联")
        verbose_name_plural = _("单位挂联")

    def __str__(self) -> str:
        return f"{self.unit} — {self.region}"


class CadrePairing(Pairing):
    """干部帮户: a cadre (user of role 帮扶责任人) with a household. The source of truth for
    ``Household.responsible_cadre``, which ``assistance.services.cadre_pair`` keeps in step."""

    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("帮扶责任人"),
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("农户"), on_delete=models.PROTECT, related_name="cadre_pairings"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("派出单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("干部帮户")
        verbose_name_plural = _("干部帮户")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(end_date__isnull=True),
                name="one_current_cadre_per_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} — {self.household}"


class WorkTeam(models.Model):
    """A village work team (驻村扶贫工作队) covering one or more administrative villages."""

    name = models.CharField(_("工作队"), max_length=100, unique=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("派出单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teams",
    )
    villages = models.ManyToManyField("regions.Region", verbose_name=_("驻村"), related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("驻村工作队")
        verbose_name_plural = _("驻村工作队")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(
        WorkTeam, verbose_name=_("工作队"), on_delete=models.PROTECT, related_name="members"
    )
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("职责"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER)
    unit = models.ForeignKey(
        Unit, verbose_name=_("派出单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("驻村开始"))
    end_date = models.DateField(_("驻村结束"), null=True, blank=True)

    class Meta:
        verbose_name = _("驻村工作队员")
        verbose_name_plural = _("驻村工作队员")
        ordering = ["team", "role", "name"]

    def __str__(self) -> str:
        return self.name


class LiaisonOfficer(models.Model):
    """驻村工作联络员: follows the teams of one township."""

    name = models.CharField(_("姓名"), max_length=50)
    township = models.ForeignKey(
        "regions.Region", verbose_name=_("联络乡镇"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("驻村工作联络员")
        verbose_name_plural = _("驻村工作联络员")

    def __str__(self) -> str:
        return self.name


class Presence(models.Model):
    """Days a team member spent in the village in one month (``month`` is the first day of the month)."""

    member = models.ForeignKey(
        TeamMember, verbose_name=_("队员"), on_delete=models.PROTECT, related_name="presence"
    )
    month = models.DateField(_("月份"))
    days = models.PositiveSmallIntegerField(_("在村天数"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("驻村在岗")
        verbose_name_plural = _("驻村在岗")
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="one_presence_per_member_month"),
            models.CheckConstraint(condition=Q(days__lte=31), name="presence_days_in_month"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.month:%Y-%m} {self.days}天"


class Headquarters(models.Model):
    """The county's 脱贫攻坚指挥部."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    commander = models.CharField(_("指挥长"), max_length=100, blank=True)
    deputy = models.CharField(_("副指挥长"), max_length=100, blank=True)
    source = models.CharField(_("出处"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("脱贫攻坚指挥部")
        verbose_name_plural = _("脱贫攻坚指挥部")

    def __str__(self) -> str:
        return self.name


class SubCommand(models.Model):
    """A 分指挥部 with its lead unit (牵头单位), linked to the plan's programmes and targets."""

    headquarters = models.ForeignKey(
        Headquarters, verbose_name=_("指挥部"), on_delete=models.PROTECT, related_name="sub_commands"
    )
    name = models.CharField(_("分指挥部"), max_length=100)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("牵头单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    programmes = models.ManyToManyField("projects.Programme", verbose_name=_("规划板块"), blank=True)
    targets = models.ManyToManyField("projects.Target", verbose_name=_("规划指标"), blank=True)
    source = models.CharField(_("出处"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("分指挥部")
        verbose_name_plural = _("分指挥部")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["headquarters", "name"], name="sub_command_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class UnitReport(models.Model):
    """A pairing unit's monthly material (月报材料), one per unit and month."""

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="reports")
    month = models.DateField(_("月份"))
    received_on = models.DateField(_("报送日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("挂联单位月报")
        verbose_name_plural = _("挂联单位月报")
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="one_report_per_unit_month")]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%Y-%m}"


class Visit(models.Model):
    """One 转走访 visit of a cadre to a paired household."""

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("农户"), on_delete=models.PROTECT, related_name="visits"
    )
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("走访人"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("走访日期"))
    met = models.CharField(_("见到的人"), max_length=100)
    findings = models.TextField(_("了解到的情况"), max_length=2000)
    measures_agreed = models.TextField(_("商定的帮扶措施"), max_length=2000, blank=True)
    follow_up_on = models.DateField(_("下次跟进日期"), null=True, blank=True)
    photo = models.FileField(_("照片"), upload_to="visits/%Y/%m/", blank=True)
    raises_clue = models.BooleanField(_("发现返贫致贫风险线索"), default=False)
    clue_reason = models.CharField(_("线索说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(raises_clue=False) | ~Q(clue_reason=""), name="clue_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.visited_on}"


class Measure(models.Model):
    """One measure of a household's assistance plan (因户施策): what, by whom, by when, done or not."""

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("农户"), on_delete=models.PROTECT, related_name="measures"
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("来源走访"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measures",
    )
    description = models.CharField(_("帮扶措施"), max_length=200)
    responsible = models.CharField(_("落实人"), max_length=100)
    due_on = models.DateField(_("完成期限"))
    is_done = models.BooleanField(_("已完成"), default=False)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    version = VersionField()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("帮扶措施")
        verbose_name_plural = _("帮扶措施")
        ordering = ["is_done", "due_on"]

    def __str__(self) -> str:
        return self.description
