"""The fund ledger read back: balances per project and channel, a project's entries, and a village's 公示."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from tuopin.accounts.models import User
from tuopin.core.money import to_cents
from tuopin.projects.models import Channel, EntryKind, FundEntry, Project
from tuopin.projects.selectors.projects import projects_for
from tuopin.regions.models import Region

ZERO = Decimal(0)


@dataclass(frozen=True)
class Balance:
    channel: str
    allocated: Decimal
    disbursed: Decimal

    @property
    def balance(self) -> Decimal:
        return self.allocated - self.disbursed

    @property
    def channel_label(self) -> str:
        return str(Channel(self.channel).label)


def fund_balances(*, projects: QuerySet[Project] | list[int]) -> dict[int, list[Balance]]:
    """Allocated, disbursed and balance per project and channel, computed from the entries in one query."""
    rows = (
        FundEntry.objects.filter(project__in=projects)
        .values("project_id", "channel")
        .annotate(
            allocated=Sum("amount", filter=Q(kind=EntryKind.ALLOCATION), default=ZERO),
            disbursed=Sum("amount", filter=Q(kind=EntryKind.DISBURSEMENT), default=ZERO),
        )
        .order_by("project_id", "channel")
    )
    result: dict[int, list[Balance]] = defaultdict(list)
    for row in rows:
        # SQLite sums decimals as floats: bring the totals back to fen.
        result[row["project_id"]].append(
            Balance(row["channel"], to_cents(row["allocated"] or 0), to_cents(row["disbursed"] or 0))
        )
    return dict(result)


def fund_entries(*, project: Project) -> QuerySet[FundEntry]:
    return project.fund_entries.select_related("created_by", "reverses").order_by("created_at", "id")


@dataclass
class PublicityRow:
    project: Project
    allocated: Decimal
    disbursed: Decimal

    @property
    def balance(self) -> Decimal:
        return self.allocated - self.disbursed


def village_publicity(*, user: User, village: Region) -> list[PublicityRow]:
    """公示: every project placed in the village (or its groups) with its funds."""
    projects = list(projects_for(user).in_region_path(village.path).select_related("programme", "region"))
    balances = fund_balances(projects=[p.pk for p in projects])
    rows = []
    for project in projects:
        lines = balances.get(project.pk, [])
        rows.append(
            PublicityRow(
                project,
                sum((b.allocated for b in lines), ZERO),
                sum((b.disbursed for b in lines), ZERO),
            )
        )
    return rows
