"""Monitoring pages: scoped to the user's area, the notice shows no ID number, phone or health detail, the
household tab raises a clue, the case page refuses a skipped step, and the export opens in openpyxl."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from tuopin.accounts.models import AccessKind, AccessRecord, Role, User
from tuopin.monitoring.models import MonitoringCase, Stage
from tuopin.monitoring.services import case_advance, clue_raise
from tuopin.monitoring.tests import factories as f

TODAY = timezone.localdate()


@pytest.fixture
def own(village):
    h = f.household(
        village,
        members=[
            {
                "name": "王大山",
                "id_number": "530127198001011234",
                "phone": "13800001111",
                "has_serious_disease": True,
            }
        ],
        phone="13900002222",
    )
    f.year(h, TODAY.year)
    return h


@pytest.fixture
def foreign(other_village):
    h = f.household(other_village, members=[{"name": "李外村"}])
    f.year(h, TODAY.year)
    return h


def _noticed(household, user):
    case = clue_raise(household=household, source="visit", reasons=["患大病，医疗支出大"], by=user).case
    for stage in (Stage.VISITED, Stage.COMPARED, Stage.REVIEWED):
        case = case_advance(case=case, to=stage, by=user, version=case.version)
    return case_advance(
        case=case,
        to=Stage.NOTICED,
        by=user,
        version=case.version,
        data={
            "notice_start": TODAY.isoformat(),
            "notice_end": (TODAY + datetime.timedelta(days=6)).isoformat(),
        },
    )


def test_village_user_sees_only_own_village(as_user, village_user, other_village_user, own, foreign):
    clue_raise(household=own, source="visit", reasons=["收入下降"], by=village_user)
    clue_raise(household=foreign, source="visit", reasons=["外村线索"], by=other_village_user)
    page = as_user(village_user).get(reverse("monitoring:index"))
    assert page.status_code == 200
    text = page.content.decode()
    assert own.household_no in text
    assert foreign.household_no not in text
    assert page.context["overview"].open_cases == 1


def test_case_of_another_village_is_not_found(as_user, village_user, other_village_user, foreign):
    case = clue_raise(household=foreign, source="visit", reasons=["外村线索"], by=other_village_user).case
    assert as_user(village_user).get(reverse("monitoring:case", args=[case.pk])).status_code == 404


def test_printed_notice_is_the_shared_document_without_id_phone_or_health(
    as_user, village_user, own, village
):
    _noticed(own, village_user)
    page = as_user(village_user).get(reverse("monitoring:notice", args=[village.pk]), follow=True)
    assert page.redirect_chain[-1][0] == reverse("reports:monitoring_notice", args=[village.pk])
    assert page["Content-Type"] == "application/pdf"
    pdf = b"".join(page.streaming_content) if page.streaming else page.content
    text = "".join(p.extract_text() or "" for p in PdfReader(BytesIO(pdf)).pages)
    assert "王" in text
    for secret in ("530127198001011234", "13800001111", "13900002222", "大病", "因病"):
        assert secret not in text


def test_notice_of_another_village_is_refused(as_user, village_user, other_village):
    assert as_user(village_user).get(reverse("monitoring:notice", args=[other_village.pk])).status_code == 404


def test_household_tab_raises_a_clue_and_shows_triggers(as_user, village_user, own):
    client = as_user(village_user)
    tab = client.get(reverse("monitoring:household", args=[own.pk]))
    assert tab.status_code == 200
    assert "年预警规则" in tab.content.decode()
    bad = client.post(reverse("monitoring:clue_create", args=[own.pk]), {"source": "visit", "reason": ""})
    assert bad.status_code == 400
    assert not MonitoringCase.objects.exists()
    ok = client.post(
        reverse("monitoring:clue_create", args=[own.pk]), {"source": "hotline", "reason": "12317反映家中失火"}
    )
    assert ok.status_code == 200
    case = MonitoringCase.objects.get(household=own)
    assert case.clues.get().source == "hotline"


def test_case_page_refuses_a_skipped_step(as_user, village_user, own):
    case = clue_raise(household=own, source="visit", reasons=["收入下降"], by=village_user).case
    client = as_user(village_user)
    response = client.post(
        reverse("monitoring:case_step", args=[case.pk]), {"to": "reviewed", "version": case.version}
    )
    assert response.status_code == 400
    assert "不得跳过程序环节" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.CLUE
    response = client.post(
        reverse("monitoring:case_step", args=[case.pk]), {"to": "visited", "version": case.version}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.VISITED


def test_export_lists_identified_objects_in_the_national_layout(as_user, county_user, village_user, own):
    case = _noticed(own, village_user)
    MonitoringCase.objects.filter(pk=case.pk).update(
        notice_ended_on=TODAY - datetime.timedelta(days=1),
        notice_started_on=TODAY - datetime.timedelta(days=7),
    )
    case.refresh_from_db()
    case = case_advance(case=case, to=Stage.TOWNSHIP_CHECKED, by=county_user, version=case.version)
    case_advance(
        case=case,
        to=Stage.OBJECT,
        by=county_user,
        version=case.version,
        data={"category": "unstable", "risk_types": ["illness"]},
    )
    response = as_user(county_user).get(reverse("monitoring:export"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:8] == ["县", "乡", "村", "户编号", "户主姓名", "户主证件号码", "户类型", "监测对象类别"]
    row = [c.value for c in sheet[2]]
    assert row[3] == own.household_no
    assert row[5] == "530127198001011234"  # a county office may export personal data
    assert row[7] == "脱贫不稳定户"
    assert row[8] == "因病"
    record = AccessRecord.objects.get(user=county_user, kind=AccessKind.EXPORT)
    assert (record.what, record.rows, record.is_masked) == ("防返贫监测对象名单", 1, False)
    inspector = User.objects.create_user(
        username="inspector", password="pass-12345", role=Role.INSPECTOR, region=county_user.region
    )
    masked = as_user(inspector).get(reverse("monitoring:export"))
    row = [c.value for c in load_workbook(BytesIO(masked.content)).active[2]]
    assert row[5] == "5301**********1234"  # the one mask of registry.privacy
    assert AccessRecord.objects.get(user=inspector, kind=AccessKind.EXPORT).is_masked
