from datetime import date

import pytest

from tuopin.assessment.models import ExitCase, ExitStatus, ExitStep
from tuopin.assessment.services import exit_case_advance, exit_case_propose
from tuopin.assessment.tests import factories
from tuopin.core.errors import ApplicationError, PermissionDeniedError
from tuopin.registry.models import PovertyStatus
from tuopin.registry.procedures import procedure_advance, procedure_start

pytestmark = pytest.mark.django_db
D = date


def _walk(case, steps, users):
    for to_status, on, who in steps:
        case = exit_case_advance(
            case=case, to_status=to_status, by=users[who], on_date=on, document=f"{to_status}.pdf"
        )
    return case


def test_full_procedure_exits_the_household_and_keeps_every_step(
    village, village_user, township_user, county_user
):
    h = factories.household(village, planned_exit_year=2018)
    users = {"v": village_user, "t": township_user, "c": county_user}
    case = exit_case_propose(
        household=h, year=2018, by=village_user, on_date=D(2018, 9, 1), document="申请书"
    )
    case = _walk(
        case,
        [
            (ExitStatus.REVIEWED, D(2018, 9, 5), "v"),
            (ExitStatus.NOTICE, D(2018, 9, 6), "v"),
            (ExitStatus.TOWNSHIP_CHECKED, D(2018, 9, 13), "t"),  # exactly 7 days of notice
            (ExitStatus.COUNTY_APPROVED, D(2018, 10, 1), "c"),
            (ExitStatus.EXITED, D(2018, 10, 8), "c"),
        ],
        users,
    )
    h.refresh_from_db()
    assert (case.status, h.status, h.exit_year) == (ExitStatus.EXITED, PovertyStatus.EXITED, 2018)
    assert list(case.steps.values_list("to_status", flat=True)) == [
        "proposed",
        "reviewed",
        "notice",
        "township_checked",
        "county_approved",
        PovertyStatus.EXITED,
    ]
    assert h.history.first().history_change_reason.startswith("退出程序")
    assert h.status_by_procedure == PovertyStatus.EXITED
    # 返贫 is its own procedure: the exit case alone cannot make the household relapsed
    with pytest.raises(ApplicationError, match="返贫须先办理返贫程序"):
        exit_case_advance(
            case=case, to_status=ExitStatus.RELAPSED, by=village_user, on_date=D(2019, 3, 1), note="因病返贫"
        )
    h.refresh_from_db()
    assert h.status == PovertyStatus.EXITED
    relapse = procedure_start(
        household=h, kind="relapse", year=2019, by=village_user, on_date=D(2019, 3, 1), reason="因病返贫"
    )
    for to_status, on, who in (
        ("reviewed", D(2019, 3, 2), village_user),
        ("notice", D(2019, 3, 3), village_user),
        ("township_checked", D(2019, 3, 8), township_user),
        ("county_approved", D(2019, 3, 10), county_user),
    ):
        relapse = procedure_advance(case=relapse, to_status=to_status, by=who, on_date=on)
    h.refresh_from_db()
    assert (h.status, h.status_by_procedure) == (PovertyStatus.RELAPSED, PovertyStatus.RELAPSED)
    # then the exit case is closed as 返贫, keeping its steps
    exit_case_advance(
        case=case, to_status=ExitStatus.RELAPSED, by=village_user, on_date=D(2019, 3, 11), note="因病返贫"
    )
    assert case.steps.count() == 7


def test_a_step_cannot_be_skipped(village, village_user, county_user):
    case = exit_case_propose(
        household=factories.household(village), year=2018, by=village_user, on_date=D(2018, 9, 1)
    )
    with pytest.raises(ApplicationError, match="不能直接办理"):
        exit_case_advance(
            case=case, to_status=ExitStatus.COUNTY_APPROVED, by=county_user, on_date=D(2018, 9, 2)
        )
    case.refresh_from_db()
    assert case.status == ExitStatus.PROPOSED
    assert case.steps.count() == 1


def test_notice_shorter_than_seven_days_is_refused(village, village_user, township_user):
    case = exit_case_propose(
        household=factories.household(village), year=2018, by=village_user, on_date=D(2018, 9, 1)
    )
    case = _walk(
        case,
        [(ExitStatus.REVIEWED, D(2018, 9, 2), "v"), (ExitStatus.NOTICE, D(2018, 9, 3), "v")],
        {"v": village_user},
    )
    with pytest.raises(ApplicationError, match="不少于7天"):
        exit_case_advance(
            case=case, to_status=ExitStatus.TOWNSHIP_CHECKED, by=township_user, on_date=D(2018, 9, 9)
        )
    assert ExitCase.objects.get().status == ExitStatus.NOTICE


def test_failing_household_cannot_be_proposed(village, village_user):
    h = factories.household(village, house_grade="C")
    with pytest.raises(ApplicationError, match="住房安全有保障"):
        exit_case_propose(household=h, year=2018, by=village_user, on_date=D(2018, 9, 1))
    assert ExitCase.objects.count() == 0


def test_criterion_failing_later_stops_the_county_decision(village, village_user, township_user, county_user):
    h = factories.household(village)
    case = exit_case_propose(household=h, year=2018, by=village_user, on_date=D(2018, 9, 1))
    case = _walk(
        case,
        [
            (ExitStatus.REVIEWED, D(2018, 9, 2), "v"),
            (ExitStatus.NOTICE, D(2018, 9, 3), "v"),
            (ExitStatus.TOWNSHIP_CHECKED, D(2018, 9, 10), "t"),
        ],
        {"v": village_user, "t": township_user},
    )
    h.has_safe_drinking_water = False
    h.save()
    with pytest.raises(ApplicationError, match="饮水安全"):
        exit_case_advance(
            case=case, to_status=ExitStatus.COUNTY_APPROVED, by=county_user, on_date=D(2018, 10, 1)
        )
    assert ExitStep.objects.filter(case=case).count() == 4


def test_roles_and_jurisdiction(village, village_user, other_village_user):
    h = factories.household(village)
    with pytest.raises(PermissionDeniedError):
        exit_case_propose(household=h, year=2018, by=other_village_user, on_date=D(2018, 9, 1))
    case = exit_case_propose(household=h, year=2018, by=village_user, on_date=D(2018, 9, 1))
    case = _walk(
        case,
        [(ExitStatus.REVIEWED, D(2018, 9, 2), "v"), (ExitStatus.NOTICE, D(2018, 9, 3), "v")],
        {"v": village_user},
    )
    with pytest.raises(PermissionDeniedError):  # the township checks, not the village
        exit_case_advance(
            case=case, to_status=ExitStatus.TOWNSHIP_CHECKED, by=village_user, on_date=D(2018, 9, 20)
        )


def test_withdrawal_needs_a_reason_and_allows_a_new_case(village, village_user):
    h = factories.household(village)
    case = exit_case_propose(household=h, year=2018, by=village_user, on_date=D(2018, 9, 1))
    with pytest.raises(ApplicationError, match="原因"):
        exit_case_advance(case=case, to_status=ExitStatus.WITHDRAWN, by=village_user, on_date=D(2018, 9, 2))
    exit_case_advance(
        case=case, to_status=ExitStatus.WITHDRAWN, by=village_user, on_date=D(2018, 9, 2), note="评议未通过"
    )
    exit_case_propose(
        household=h, year=2018, by=village_user, on_date=D(2018, 9, 3)
    )  # withdrawn: not blocking
    with pytest.raises(ApplicationError, match="已有退出程序"):
        exit_case_propose(household=h, year=2018, by=village_user, on_date=D(2018, 9, 4))
    assert ExitCase.objects.filter(household=h).count() == 2
