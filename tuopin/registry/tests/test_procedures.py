"""纳入, 返贫 and member changes end to end: every step recorded with who and when; skipped steps, short notices
and steps by the wrong role refused with nothing changed; the cadre bypass of the edit form refused."""

import datetime

import pytest
from django.urls import reverse

from conftest import make_household, person_values
from tuopin.core.errors import ApplicationError, PermissionDeniedError
from tuopin.registry import procedures
from tuopin.registry.models import (
    Household,
    MemberChange,
    Person,
    PovertyStatus,
    ProcedureCase,
    ProcedureStep,
)
from tuopin.registry.services import household_update

D = datetime.date


def _steps(case):
    return list(case.steps.order_by("id").values_list("to_status", "by__username", "on_date"))


@pytest.fixture
def applicant(tree):
    return make_household(tree["village_a1"], no="K-0001", status=PovertyStatus.UNREGISTERED)


NOTICE_ON, CHECK_ON = D(2018, 9, 3), D(2018, 9, 8)


def _identify(household, users, *, notice_on=NOTICE_ON, check_on=CHECK_ON):
    case = procedures.procedure_start(
        household=household,
        kind="identification",
        year=2018,
        by=users["village_a1"],
        on_date=D(2018, 9, 1),
        main_cause="illness",
        reason="户主患大病，家庭收入低于标准",
    )
    case = procedures.procedure_advance(
        case=case, to_status="reviewed", by=users["village_a1"], on_date=D(2018, 9, 2)
    )
    case = procedures.procedure_advance(
        case=case, to_status="notice", by=users["village_a1"], on_date=notice_on
    )
    case = procedures.procedure_advance(
        case=case, to_status="township_checked", by=users["town_a"], on_date=check_on
    )
    return procedures.procedure_advance(
        case=case,
        to_status="county_approved",
        by=users["county"],
        on_date=D(2018, 9, 10),
        document="县审定公告",
    )


def test_identification_end_to_end_records_every_step_and_makes_the_household_poor(applicant, users):
    case = _identify(applicant, users)
    applicant.refresh_from_db()
    assert (applicant.status, applicant.status_by_procedure, applicant.identification_year) == (
        PovertyStatus.POOR,
        PovertyStatus.POOR,
        2018,
    )
    assert applicant.main_cause == "illness"
    assert _steps(case) == [
        ("applied", "village_a1_user", D(2018, 9, 1)),
        ("reviewed", "village_a1_user", D(2018, 9, 2)),
        ("notice", "village_a1_user", D(2018, 9, 3)),
        ("township_checked", "town_a_user", D(2018, 9, 8)),  # exactly 5 days of notice
        ("county_approved", "county_user", D(2018, 9, 10)),
    ]
    assert all(step.created_at is not None for step in case.steps.all())
    record = applicant.history.first()
    assert record.history_user == users["county"]
    assert record.history_change_reason.startswith("纳入程序")


def test_a_skipped_step_is_refused_and_nothing_changes(applicant, users):
    case = procedures.procedure_start(
        household=applicant,
        kind="identification",
        year=2018,
        by=users["village_a1"],
        on_date=D(2018, 9, 1),
        main_cause="illness",
    )
    with pytest.raises(ApplicationError, match="不能直接办理"):
        procedures.procedure_advance(
            case=case, to_status="county_approved", by=users["county"], on_date=D(2018, 9, 2)
        )
    case.refresh_from_db()
    applicant.refresh_from_db()
    assert (case.status, case.steps.count(), applicant.status) == ("applied", 1, PovertyStatus.UNREGISTERED)


def test_a_notice_shorter_than_the_configured_days_is_refused(applicant, users, settings):
    with pytest.raises(ApplicationError, match="不少于5天"):
        _identify(applicant, users, notice_on=D(2018, 9, 3), check_on=D(2018, 9, 7))  # 4 days
    assert ProcedureCase.objects.get(household=applicant).status == "notice"
    settings.PROCEDURE_NOTICE_DAYS = 7
    case = ProcedureCase.objects.get(household=applicant)
    with pytest.raises(ApplicationError, match="不少于7天"):
        procedures.procedure_advance(
            case=case, to_status="township_checked", by=users["town_a"], on_date=D(2018, 9, 9)
        )
    procedures.procedure_advance(
        case=case, to_status="township_checked", by=users["town_a"], on_date=D(2018, 9, 10)
    )


@pytest.mark.parametrize(
    ("step", "who", "message"),
    [
        ("reviewed", "town_a", None),  # township may also record the village steps
        ("reviewed", "inspector", "申请、民主评议"),
        ("reviewed", "village_b1", "申请、民主评议"),  # another village
        ("reviewed", "cadre", "申请、民主评议"),
    ],
)
def test_who_may_record_the_village_steps(applicant, users, step, who, message):
    case = procedures.procedure_start(
        household=applicant,
        kind="identification",
        year=2018,
        by=users["village_a1"],
        on_date=D(2018, 9, 1),
        main_cause="illness",
    )
    if message is None:
        procedures.procedure_advance(case=case, to_status=step, by=users[who], on_date=D(2018, 9, 2))
        return
    with pytest.raises(PermissionDeniedError, match=message):
        procedures.procedure_advance(case=case, to_status=step, by=users[who], on_date=D(2018, 9, 2))
    assert ProcedureStep.objects.filter(case=case).count() == 1


def test_township_check_and_county_approval_need_their_roles(applicant, users):
    case = procedures.procedure_start(
        household=applicant,
        kind="identification",
        year=2018,
        by=users["village_a1"],
        on_date=D(2018, 9, 1),
        main_cause="illness",
    )
    case = procedures.procedure_advance(
        case=case, to_status="reviewed", by=users["village_a1"], on_date=D(2018, 9, 2)
    )
    case = procedures.procedure_advance(
        case=case, to_status="notice", by=users["village_a1"], on_date=D(2018, 9, 3)
    )
    for who in ("village_a1", "county"):
        with pytest.raises(PermissionDeniedError, match="乡镇审核须由"):
            procedures.procedure_advance(
                case=case, to_status="township_checked", by=users[who], on_date=D(2018, 9, 9)
            )
    case = procedures.procedure_advance(
        case=case, to_status="township_checked", by=users["town_a"], on_date=D(2018, 9, 9)
    )
    for who in ("village_a1", "town_a"):
        with pytest.raises(PermissionDeniedError, match="县审定公告须由县级用户"):
            procedures.procedure_advance(
                case=case, to_status="county_approved", by=users[who], on_date=D(2018, 9, 10)
            )
    applicant.refresh_from_db()
    assert applicant.status == PovertyStatus.UNREGISTERED


def test_only_an_unregistered_household_can_apply_and_only_once(applicant, households, users):
    with pytest.raises(ApplicationError, match="只有卡外农户"):
        procedures.procedure_start(
            household=households["a1"],
            kind="identification",
            year=2018,
            by=users["village_a1"],
            on_date=D(2018, 9, 1),
        )
    procedures.procedure_start(
        household=applicant,
        kind="identification",
        year=2018,
        by=users["village_a1"],
        on_date=D(2018, 9, 1),
        main_cause="illness",
    )
    with pytest.raises(ApplicationError, match="已有在办"):
        procedures.procedure_start(
            household=applicant,
            kind="identification",
            year=2018,
            by=users["village_a1"],
            on_date=D(2018, 9, 1),
            main_cause="illness",
        )


def test_relapse_end_to_end_needs_a_reason_and_makes_the_household_relapsed(households, users):
    exited = households["a1_exited"]
    with pytest.raises(ApplicationError, match="返贫原因"):
        procedures.procedure_start(
            household=exited, kind="relapse", year=2019, by=users["village_a1"], on_date=D(2019, 3, 1)
        )
    case = procedures.procedure_start(
        household=exited,
        kind="relapse",
        year=2019,
        by=users["village_a1"],
        on_date=D(2019, 3, 1),
        reason="因病返贫",
    )
    for to_status, who, on in (
        ("reviewed", "village_a1", D(2019, 3, 2)),
        ("notice", "village_a1", D(2019, 3, 3)),
        ("township_checked", "town_a", D(2019, 3, 8)),
        ("county_approved", "county", D(2019, 3, 9)),
    ):
        case = procedures.procedure_advance(case=case, to_status=to_status, by=users[who], on_date=on)
    exited.refresh_from_db()
    assert (exited.status, exited.status_by_procedure) == (PovertyStatus.RELAPSED, PovertyStatus.RELAPSED)
    assert [s[1] for s in _steps(case)] == ["village_a1_user"] * 3 + ["town_a_user", "county_user"]
    assert "因病返贫" in exited.history.first().history_change_reason
    with pytest.raises(ApplicationError, match="只有已脱贫"):
        procedures.procedure_start(
            household=households["a1"],
            kind="relapse",
            year=2019,
            by=users["village_a1"],
            on_date=D(2019, 3, 1),
            reason="x",
        )


def test_withdrawal_needs_a_reason_and_ends_the_case(applicant, users):
    case = procedures.procedure_start(
        household=applicant,
        kind="identification",
        year=2018,
        by=users["village_a1"],
        on_date=D(2018, 9, 1),
        main_cause="illness",
    )
    with pytest.raises(ApplicationError, match="撤回须写明原因"):
        procedures.procedure_advance(
            case=case, to_status="withdrawn", by=users["village_a1"], on_date=D(2018, 9, 2)
        )
    case = procedures.procedure_advance(
        case=case, to_status="withdrawn", by=users["village_a1"], on_date=D(2018, 9, 2), note="评议未通过"
    )
    assert not case.is_open
    with pytest.raises(ApplicationError, match="不能直接办理"):
        procedures.procedure_advance(
            case=case, to_status="reviewed", by=users["village_a1"], on_date=D(2018, 9, 3)
        )


# --- member changes ------------------------------------------------------------------------------------------


def test_member_add_and_remove_record_reason_date_and_who(households, users):
    household = households["a1"]
    child = procedures.member_add(
        household=household,
        by=users["village_a1"],
        data=person_values(relation="son", age=5, name="新生儿"),
        reason="birth",
        on_date=D(2018, 6, 1),
    )
    spouse = household.members.get(relation="spouse")
    procedures.member_remove(person=spouse, by=users["village_a1"], reason="death", on_date=D(2018, 8, 1))
    changes = list(
        MemberChange.objects.filter(household=household)
        .order_by("id")
        .values_list("person_name", "kind", "reason", "on_date", "by__username")
    )
    assert changes == [
        ("新生儿", "add", "birth", D(2018, 6, 1), "village_a1_user"),
        (spouse.name, "remove", "death", D(2018, 8, 1), "village_a1_user"),
    ]
    assert Person.history.filter(id=child.pk).first().history_change_reason == "增加成员：出生"


@pytest.mark.parametrize(
    ("kind", "reason", "note", "message"),
    [
        ("add", "death", "", "请选择变动原因"),
        ("remove", "birth", "", "请选择变动原因"),
        ("remove", "other", "", "请写明说明"),
    ],
)
def test_a_member_change_needs_a_fitting_reason(households, users, kind, reason, note, message):
    household = households["a1"]
    before = (household.members.count(), MemberChange.objects.count())
    if kind == "add":
        with pytest.raises(ApplicationError, match=message):
            procedures.member_add(
                household=household,
                by=users["village_a1"],
                data=person_values(relation="son", age=5),
                reason=reason,
                on_date=D(2018, 6, 1),
                note=note,
            )
    else:
        spouse = household.members.get(relation="spouse")
        with pytest.raises(ApplicationError, match=message):
            procedures.member_remove(
                person=spouse, by=users["village_a1"], reason=reason, on_date=D(2018, 6, 1), note=note
            )
    assert (household.members.count(), MemberChange.objects.count()) == before


# --- the edit form cannot move the status --------------------------------------------------------------------


def test_cadre_posting_exited_to_the_edit_form_changes_nothing(client, households, users):
    household = households["a1"]
    household.responsible_cadre = users["cadre"]
    household.save()
    client.force_login(users["cadre"])
    url = reverse("registry:edit", args=[household.pk])
    form = client.get(url).context["form"]
    assert "status" not in form.fields
    assert "exit_year" not in form.fields
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, bool)}
    data.update({"status": PovertyStatus.EXITED, "exit_year": 2018, "version": household.version})
    client.post(url, data)
    household.refresh_from_db()
    assert (household.status, household.exit_year, household.status_by_procedure) == (
        PovertyStatus.POOR,
        None,
        PovertyStatus.POOR,
    )
    assert not household.history.filter(status=PovertyStatus.EXITED).exists()


def test_household_update_refuses_a_status_change(households, users):
    household = households["a1"]
    with pytest.raises(ApplicationError, match="只能通过纳入、退出或返贫程序"):
        household_update(
            household=household,
            by=users["county"],
            data={"status": PovertyStatus.EXITED},
            version=household.version,
        )
    assert Household.objects.get(pk=household.pk).status == PovertyStatus.POOR


def test_the_household_page_shows_the_procedure_and_starts_it(client, applicant, users):
    client.force_login(users["village_a1"])
    url = reverse("registry:detail", args=[applicant.pk])
    assert "发起纳入（贫困户识别）" in client.get(url).content.decode()
    client.post(
        reverse("registry:procedure_start", args=[applicant.pk]),
        {
            "kind": "identification",
            "year": 2018,
            "on_date": "2018-09-01",
            "main_cause": "illness",
            "reason": "收入低",
        },
    )
    case = ProcedureCase.objects.get(household=applicant)
    response = client.post(
        reverse("registry:procedure_step", args=[applicant.pk, case.pk]),
        {"to_status": "reviewed", "on_date": "2018-09-02"},
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "民主评议" in page
    assert "经办人 village_a1_user" in page
    # a village user is not offered the township step
    case.refresh_from_db()
    procedures.procedure_advance(case=case, to_status="notice", by=users["village_a1"], on_date=D(2018, 9, 3))
    page = client.get(url).content.decode()
    assert '<option value="township_checked">' not in page
    assert '<option value="withdrawn">' in page


def test_procedure_pages_refuse_a_bad_date_and_a_foreign_household(client, applicant, households, users):
    client.force_login(users["village_a1"])
    url = reverse("registry:procedure_start", args=[applicant.pk])
    response = client.post(
        url, {"kind": "identification", "year": 2018, "on_date": "2018-13-40"}, follow=True
    )
    assert "请填写正确的日期" in response.content.decode()
    assert not ProcedureCase.objects.filter(household=applicant).exists()
    other = households["b1"]  # another village: not found, nothing disclosed
    assert (
        client.post(reverse("registry:procedure_start", args=[other.pk]), {"kind": "relapse"}).status_code
        == 404
    )
