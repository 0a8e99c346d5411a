"""The append-only fund ledger: overspending refused, corrections by reversing entries, balances that always
equal allocations minus disbursements, and allocations no larger than what a project still lacks."""

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuopin.accounts.models import Role
from tuopin.accounts.tests.factories import UserFactory
from tuopin.core.errors import ApplicationError, PermissionDeniedError
from tuopin.projects.models import Channel, EntryKind, FundEntry, Project
from tuopin.projects.selectors import fund_balances
from tuopin.projects.services import fund_entry_add, fund_entry_reverse
from tuopin.projects.tests.factories import ProjectFactory
from tuopin.regions.models import Kind
from tuopin.regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def test_overspending_is_refused_and_nothing_is_written(seed, niulanjiang_user):
    project = Project.objects.get(seed_key="三(八)18")
    fund_entry_add(
        project=project,
        channel=Channel.SPECIAL,
        kind=EntryKind.ALLOCATION,
        amount=Decimal(1000),
        by=niulanjiang_user,
    )
    fund_entry_add(
        project=project,
        channel=Channel.SPECIAL,
        kind=EntryKind.DISBURSEMENT,
        amount=Decimal(600),
        by=niulanjiang_user,
    )
    with pytest.raises(ApplicationError) as excinfo:
        fund_entry_add(
            project=project,
            channel=Channel.SPECIAL,
            kind=EntryKind.DISBURSEMENT,
            amount=Decimal("400.01"),
            by=niulanjiang_user,
        )
    assert excinfo.value.field == "amount"
    assert "超过该项目专项扶贫资金可用余额400.00元" in excinfo.value.message
    # money allocated through another channel does not cover it either
    fund_entry_add(
        project=project,
        channel=Channel.SECTOR,
        kind=EntryKind.ALLOCATION,
        amount=Decimal(5000),
        by=niulanjiang_user,
    )
    with pytest.raises(ApplicationError):
        fund_entry_add(
            project=project,
            channel=Channel.SPECIAL,
            kind=EntryKind.DISBURSEMENT,
            amount=Decimal(401),
            by=niulanjiang_user,
        )
    assert FundEntry.objects.filter(project=project).count() == 3
    (special, sector) = sorted(
        fund_balances(projects=[project.pk])[project.pk], key=lambda b: b.channel != "special"
    )
    assert (special.allocated, special.disbursed, special.balance) == (1000, 600, 400)
    assert sector.balance == 5000


def test_a_correction_is_a_reversing_entry_and_the_original_stays(seed, county_user):
    project = Project.objects.get(seed_key="三(八)5")
    allocation = fund_entry_add(
        project=project,
        channel=Channel.SPECIAL,
        kind=EntryKind.ALLOCATION,
        amount=Decimal(800),
        by=county_user,
    )
    payment = fund_entry_add(
        project=project,
        channel=Channel.SPECIAL,
        kind=EntryKind.DISBURSEMENT,
        amount=Decimal(500),
        by=county_user,
    )
    with pytest.raises(ApplicationError, match="请先冲销相应的拨付"):
        fund_entry_reverse(entry=allocation, by=county_user, reason="下达错了")
    reversal = fund_entry_reverse(entry=payment, by=county_user, reason="凭证重复")
    assert reversal.amount == Decimal(-500)
    assert reversal.reverses == payment
    with pytest.raises(ApplicationError, match="已经冲销过"):
        fund_entry_reverse(entry=payment, by=county_user, reason="再来一次")
    with pytest.raises(ApplicationError, match="不能再次冲销"):
        fund_entry_reverse(entry=reversal, by=county_user, reason="x")
    fund_entry_reverse(entry=allocation, by=county_user, reason="下达错了")
    assert FundEntry.objects.filter(project=project).count() == 4
    (balance,) = fund_balances(projects=[project.pk])[project.pk]
    assert (balance.allocated, balance.disbursed, balance.balance) == (0, 0, 0)


def test_bad_ledger_input_is_refused(seed, county_user, xiaojie_user):
    project = Project.objects.get(seed_key="三(八)18")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"channel": "unspecified", "kind": EntryKind.ALLOCATION, "amount": Decimal(1)}, "channel"),
        ({"channel": Channel.SPECIAL, "kind": "gift", "amount": Decimal(1)}, "kind"),
        ({"channel": Channel.SPECIAL, "kind": EntryKind.ALLOCATION, "amount": Decimal(0)}, "amount"),
        ({"channel": Channel.SPECIAL, "kind": EntryKind.ALLOCATION, "amount": Decimal("1.001")}, "amount"),
    ]
    for fields, field in cases:
        with pytest.raises(ApplicationError) as excinfo:
            fund_entry_add(project=project, by=county_user, **fields)
        assert excinfo.value.field == field
    with pytest.raises(PermissionDeniedError):
        fund_entry_add(
            project=project,
            channel=Channel.SPECIAL,
            kind=EntryKind.ALLOCATION,
            amount=Decimal(1),
            by=xiaojie_user,
        )
    assert not FundEntry.objects.exists()


operations = st.lists(
    st.tuples(
        st.sampled_from(["allocate", "disburse", "reverse"]),
        st.sampled_from([Channel.SPECIAL, Channel.SOCIAL]),
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10_000), places=2),
        st.integers(min_value=0, max_value=50),
    ),
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_balances_equal_allocations_minus_disbursements_and_every_entry_is_kept(seed, county_user, ops):
    project = Project.objects.get(seed_key="三(八)20")
    accepted = FundEntry.objects.filter(project=project).count()  # examples share the database
    for op, channel, amount, pick in ops:
        try:
            if op == "reverse":
                kept = list(FundEntry.objects.filter(project=project).order_by("id"))
                if not kept:
                    continue
                fund_entry_reverse(entry=kept[pick % len(kept)], by=county_user, reason="更正")
            else:
                kind = EntryKind.ALLOCATION if op == "allocate" else EntryKind.DISBURSEMENT
                fund_entry_add(project=project, channel=channel, kind=kind, amount=amount, by=county_user)
            accepted += 1
        except ApplicationError:
            pass
        assert FundEntry.objects.filter(project=project).count() == accepted
    for balance in fund_balances(projects=[project.pk]).get(project.pk, []):
        entries = FundEntry.objects.filter(project=project, channel=balance.channel)
        allocated = sum((e.amount for e in entries if e.kind == EntryKind.ALLOCATION), Decimal(0))
        disbursed = sum((e.amount for e in entries if e.kind == EntryKind.DISBURSEMENT), Decimal(0))
        assert balance.balance == allocated - disbursed
        assert balance.balance >= 0


def test_disbursing_exactly_the_balance_is_accepted_one_fen_more_is_not(seed, county_user):
    project = Project.objects.get(seed_key="三(八)23")
    fund_entry_add(
        project=project,
        channel=Channel.SOCIAL,
        kind=EntryKind.ALLOCATION,
        amount=Decimal("100.10"),
        by=county_user,
    )
    with pytest.raises(ApplicationError):
        fund_entry_add(
            project=project,
            channel=Channel.SOCIAL,
            kind=EntryKind.DISBURSEMENT,
            amount=Decimal("100.11"),
            by=county_user,
        )
    fund_entry_add(
        project=project,
        channel=Channel.SOCIAL,
        kind=EntryKind.DISBURSEMENT,
        amount=Decimal("100.10"),
        by=county_user,
    )
    (balance,) = fund_balances(projects=[project.pk])[project.pk]
    assert balance.balance == 0


def test_an_allocation_above_what_the_project_still_lacks_is_refused(db):
    county = RegionFactory.create(code="539999000000", name="下达县", kind=Kind.COUNTY)
    user = UserFactory.create(role=Role.COUNTY, region=county)
    project = ProjectFactory.create(region=county, investment=Decimal("380000.00"))
    with pytest.raises(ApplicationError) as excinfo:
        fund_entry_add(
            project=project,
            channel=Channel.SPECIAL,
            kind=EntryKind.ALLOCATION,
            amount=Decimal(1_000_000),
            by=user,
        )
    assert excinfo.value.field == "amount"
    assert "下达金额1,000,000.00元超过该项目尚缺资金380,000.00元" in excinfo.value.message
    fund_entry_add(
        project=project, channel=Channel.SPECIAL, kind=EntryKind.ALLOCATION, amount=Decimal(300_000), by=user
    )
    # what another channel allocated counts too: 80,000 still lacking
    with pytest.raises(ApplicationError, match=r"尚缺资金80,000\.00元"):
        fund_entry_add(
            project=project,
            channel=Channel.SECTOR,
            kind=EntryKind.ALLOCATION,
            amount=Decimal("80000.01"),
            by=user,
        )
    fund_entry_add(
        project=project, channel=Channel.SECTOR, kind=EntryKind.ALLOCATION, amount=Decimal(80_000), by=user
    )
    assert FundEntry.objects.filter(project=project).count() == 2
