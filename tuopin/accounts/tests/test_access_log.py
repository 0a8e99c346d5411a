import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tuopin.accounts import services
from tuopin.accounts.models import AccessKind, AccessRecord
from tuopin.accounts.tests.factories import admin


@pytest.fixture
def boss(tree):
    return admin(tree["county"])


@pytest.fixture
def records(users):
    view = services.access_record(
        user=users["county"],
        kind=AccessKind.VIEW,
        what="农户页面",
        household_id=7,
        subject="A1-0001 甲一村委会",
    )
    export = services.access_record(
        user=users["inspector"], kind=AccessKind.EXPORT, what="农户人员名单", subject="status=poor", rows=12,
        is_masked=True,
    )  # fmt: skip
    old = services.access_record(user=users["inspector"], kind=AccessKind.EXPORT, what="农户人员名单", rows=3)
    AccessRecord.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=40))
    return {"view": view, "export": export, "old": old}


def test_admin_reads_the_log_filtered_by_user_kind_and_date(client, boss, users, records):
    client.force_login(boss)
    url = reverse("accounts:access_log")
    page = client.get(url).content.decode()
    assert "A1-0001 甲一村委会" in page
    assert "status=poor" in page
    page = client.get(url, {"user": "inspector_user", "kind": AccessKind.EXPORT}).content.decode()
    assert "A1-0001" not in page
    assert "status=poor" in page
    today = timezone.localdate().isoformat()
    page = client.get(url, {"date_from": today, "date_to": today, "user": "inspector_user"}).content.decode()
    assert "共 1 条" in page


def test_a_reversed_date_range_is_a_field_message_not_an_error(client, boss, records):
    client.force_login(boss)
    response = client.get(
        reverse("accounts:access_log"), {"date_from": "2018-05-01", "date_to": "2018-04-01"}
    )
    assert response.status_code == 200
    assert "截止日期不能早于起始日期" in response.content.decode()


def test_admin_exports_the_log_and_the_export_is_itself_recorded(client, boss, records):
    client.force_login(boss)
    response = client.get(reverse("accounts:access_log_export"), {"kind": AccessKind.EXPORT})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2
    assert {row[1] for row in rows} == {"inspector_user"}
    assert {row[8] for row in rows} == {12, 3}
    latest = AccessRecord.objects.order_by("-pk").first()
    assert latest is not None
    assert (latest.user, latest.kind, latest.what, latest.rows) == (boss, AccessKind.EXPORT, "访问记录", 2)


def test_unknown_kind_is_refused(users):
    from tuopin.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        services.access_record(user=users["county"], kind="peek", what="x")
    assert not AccessRecord.objects.exists()
