"""The append-only fund ledger: allocations (资金下达) and disbursements (资金拨付), corrected only by
reversing entries. Balances are computed from the entries, never stored."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from tuopin.accounts.models import User
from tuopin.accounts.permissions import require
from tuopin.core.errors import ApplicationError
from tuopin.core.money import CENT, to_cents
from tuopin.core.templatetags.numbers import yuan
from tuopin.projects.models import Channel, EntryKind, FundEntry, Project


def _balance(project: Project, channel: str) -> tuple[Decimal, Decimal]:
    sums = {
        row["kind"]: row["total"]
        for row in FundEntry.objects.filter(project=project, channel=channel)
        .values("kind")
        .annotate(total=Sum("amount"))
    }
    # SQLite sums decimals as floats: bring the totals back to fen.
    return (
        to_cents(sums.get(EntryKind.ALLOCATION) or Decimal(0)),
        to_cents(sums.get(EntryKind.DISBURSEMENT) or Decimal(0)),
    )


def _money(amount: Decimal) -> str:
    return f"{yuan(amount)}元"


def _check_allocation(project: Project, amount: Decimal) -> None:
    """资金下达 may not exceed what the project still lacks: its investment minus what all channels have
    already allocated (the one home of this rule: the fund form and any import call ``fund_entry_add``)."""
    total = FundEntry.objects.filter(project=project, kind=EntryKind.ALLOCATION).aggregate(t=Sum("amount"))
    allocated = to_cents(total["t"] or Decimal(0))
    lacking = to_cents(project.investment) - allocated
    if amount > lacking:
        raise ApplicationError(
            f"下达金额{_money(amount)}超过该项目尚缺资金{_money(max(lacking, Decimal(0)))}"
            f"（总投资{_money(to_cents(project.investment))}，已下达{_money(allocated)}），不予登记",
            field="amount",
        )


def _check_entry(channel: str, kind: str, amount: Decimal | None) -> None:
    if channel not in Channel.values or channel == Channel.UNSPECIFIED:
        raise ApplicationError("请选择资金渠道（专项、行业或社会扶贫资金）", field="channel")
    if kind not in EntryKind.values:
        raise ApplicationError("请选择资金下达或资金拨付", field="kind")
    if amount is None or amount <= 0:
        raise ApplicationError("金额必须大于零", field="amount")
    if amount != amount.quantize(CENT):
        raise ApplicationError("金额最多保留两位小数（分）", field="amount")


def _check_disbursement(project: Project, channel: str, amount: Decimal) -> None:
    """资金拨付 may not exceed what is allocated and not yet disbursed for the project and channel."""
    allocated, disbursed = _balance(project, channel)
    available = allocated - disbursed
    if amount > available:
        raise ApplicationError(
            f"拨付金额{_money(amount)}超过该项目{Channel(channel).label}可用余额{_money(available)}"
            f"（已下达{_money(allocated)}，已拨付{_money(disbursed)}），不予登记",
            field="amount",
        )


@transaction.atomic
def fund_entry_add(
    *,
    project: Project,
    channel: str,
    kind: str,
    amount: Decimal,
    by: User,
    entry_date: date | None = None,
    document_no: str = "",
    note: str = "",
) -> FundEntry:
    """Append an allocation (资金下达) or a disbursement (资金拨付). An allocation above what the project
    still lacks, and a disbursement above what is still allocated and unspent for the project and channel,
    are refused."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    require(by, "projects.record_fund_entry", project)
    _check_entry(channel, kind, amount)
    if kind == EntryKind.ALLOCATION:
        _check_allocation(project, amount)
    else:
        _check_disbursement(project, channel, amount)
    return FundEntry.objects.create(
        project=project,
        channel=channel,
        kind=kind,
        amount=amount,
        entry_date=entry_date or timezone.localdate(),
        document_no=document_no,
        note=note,
        created_by=by,
    )


@transaction.atomic
def fund_entry_reverse(*, entry: FundEntry, by: User, reason: str) -> FundEntry:
    """Correct an entry by appending its reversal (same kind, opposite sign). The original stays."""
    project = Project.objects.select_for_update().get(pk=entry.project_id)
    require(by, "projects.record_fund_entry", project)
    entry = FundEntry.objects.get(pk=entry.pk)
    if not reason.strip():
        raise ApplicationError("请填写冲销原因", field="reason")
    if entry.reverses_id is not None:
        raise ApplicationError("冲销分录不能再次冲销，请重新登记正确的分录", field="entry")
    if FundEntry.objects.filter(reverses=entry).exists():
        raise ApplicationError("该分录已经冲销过", field="entry")
    if entry.kind == EntryKind.ALLOCATION:
        allocated, disbursed = _balance(project, entry.channel)
        if allocated - entry.amount < disbursed:
            raise ApplicationError(
                f"冲销后下达资金{_money(allocated - entry.amount)}将少于已拨付{_money(disbursed)}，"
                "请先冲销相应的拨付",
                field="entry",
            )
    return FundEntry.objects.create(
        project=project,
        channel=entry.channel,
        kind=entry.kind,
        amount=-entry.amount,
        entry_date=timezone.localdate(),
        document_no=entry.document_no,
        note=f"冲销：{reason.strip()}",
        reverses=entry,
        created_by=by,
    )
