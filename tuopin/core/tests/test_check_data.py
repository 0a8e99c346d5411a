"""`tuopin check_data [--repair]`: stored values outside their field's bounds are reported and repaired."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from tuopin.core.data_check import REPAIR_REASON, data_check
from tuopin.registry.models import Household


def _run(*args) -> tuple[int | str | None, str]:
    out, err = io.StringIO(), io.StringIO()
    code: int | str | None
    try:
        call_command("check_data", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue() + err.getvalue()


def _store_around_the_orm(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_clean_database_reports_nothing(households):
    assert data_check() == []
    code, output = _run()
    assert code == 0
    assert "未发现" in output


def test_out_of_range_values_are_reported_then_repaired_with_a_history_row(households, users, client):
    bad = households["a1"]
    _store_around_the_orm("UPDATE registry_household SET wage_income = 'NaN' WHERE id = %s", [bad.pk])
    if connection.vendor == "sqlite":  # PostgreSQL's typed columns cannot hold these at all
        _store_around_the_orm("UPDATE registry_household SET transfer_income = 1e20 WHERE id = %s", [bad.pk])
        _store_around_the_orm(
            "UPDATE registry_household SET house_built_year = 99999 WHERE id = %s", [bad.pk]
        )
    code, output = _run()
    assert code == 1
    assert "registry.Household.wage_income" in output
    assert f"id {bad.pk}" in output
    found = {finding.field.name for finding in data_check()}
    assert "wage_income" in found
    code, output = _run("--repair")
    assert code == 0, output
    assert data_check() == []
    repaired = Household.objects.get(pk=bad.pk)
    assert repaired.wage_income is None
    assert repaired.history.first().history_change_reason == REPAIR_REASON
    # untouched households keep their values
    assert Household.objects.get(pk=households["a2"].pk).wage_income is not None
    client.force_login(users["county"])
    assert client.get(reverse("registry:detail", args=[bad.pk])).status_code == 200


@pytest.mark.django_db
def test_a_value_that_cannot_be_cleared_is_listed_for_manual_repair():
    from tuopin.policy.models import Standard

    Standard.objects.create(key="income_line", year=2018, value=1, source_document="x")
    _store_around_the_orm("UPDATE policy_standard SET value = 'NaN'", [])
    code, output = _run("--repair")
    assert code == 1
    assert "需人工修改" in output
