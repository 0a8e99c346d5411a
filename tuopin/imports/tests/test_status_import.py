"""An import may set or change 脱贫状态 only for a county user (recorded as a county import of the national
system's data); for anyone else the households whose status would change are held back with a row message."""

from tuopin.imports.services import STATUS_IMPORT_REASON, registry_import
from tuopin.imports.tests.conftest import household_rows, to_xlsx
from tuopin.registry.models import Household, PovertyStatus


def test_a_county_import_sets_the_status_and_records_it_as_such(county_user):
    content = to_xlsx(household_rows("5301210010010001", 2, status="已脱贫"))
    outcome = registry_import(user=county_user, file_name="国家系统.xlsx", content=content)
    assert outcome.committed
    household = Household.objects.get(household_no="5301210010010001")
    assert (household.status, household.status_by_procedure) == (PovertyStatus.EXITED, PovertyStatus.EXITED)
    assert household.history.first().history_change_reason.startswith(STATUS_IMPORT_REASON)

    changed = to_xlsx(household_rows("5301210010010001", 2, status="返贫"))
    assert registry_import(user=county_user, file_name="国家系统2.xlsx", content=changed).committed
    household.refresh_from_db()
    assert (household.status, household.status_by_procedure, household.version) == (
        PovertyStatus.RELAPSED,
        PovertyStatus.RELAPSED,
        2,
    )
    assert household.history.first().history_change_reason.startswith(STATUS_IMPORT_REASON)


def test_a_village_import_cannot_set_or_change_a_status(county_user, village_user):
    registry_import(
        user=county_user,
        file_name="a.xlsx",
        content=to_xlsx(household_rows("5301210010010001", 2, status="未脱贫")),
    )
    rows = (
        household_rows("5301210010010001", 2, status="已脱贫")  # a change of status
        + household_rows("5301210010010002", 2, status="未脱贫")  # a new registered household
        + household_rows("5301210010010003", 2, status="卡外农户")  # fine: a new 卡外 household
    )
    outcome = registry_import(
        user=village_user, file_name="村.xlsx", content=to_xlsx(rows), commit_valid=True
    )
    messages = [e.message for e in outcome.result.errors]
    assert len(messages) == 2
    assert all("脱贫状态不能通过导入" in m and "县级用户" in m for m in messages)
    assert {e.column for e in outcome.result.errors} == {"脱贫状态"}
    assert Household.objects.get(household_no="5301210010010001").status == PovertyStatus.POOR
    assert not Household.objects.filter(household_no="5301210010010002").exists()
    assert Household.objects.get(household_no="5301210010010003").status == PovertyStatus.UNREGISTERED
