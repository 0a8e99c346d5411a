"""The read endpoints over monitoring, assistance and supervision: token, jurisdiction (404 across it), filters."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

#: (list endpoint, detail endpoint, key of the fixture record in village A1, key of the one in village B1)
ENDPOINTS = [
    ("monitoring_api:cases", "monitoring_api:case", "case_a1", "case_b1"),
    ("monitoring_api:clues", "monitoring_api:clue", "clue_a1", "clue_b1"),
    ("assistance_api:visits", "assistance_api:visit", "visit_a1", "visit_b1"),
    ("assistance_api:pairings", "assistance_api:pairing", "pairing_a1", "pairing_b1"),
    ("supervision_api:problems", "supervision_api:problem", "problem_a1", "problem_b1"),
]


def _get(client, token, user, name, *args, **params):
    return client.get(reverse(name, args=args), params, HTTP_AUTHORIZATION=token(user))


@pytest.mark.parametrize(("listing", "detail", "own", "other"), ENDPOINTS)
def test_401_without_a_token(client, records, listing, detail, own, other):
    for url in (reverse(listing), reverse(detail, args=[records[own].pk])):
        response = client.get(url)
        assert response.status_code == 401
        assert "令牌" in response.json()["error"]


@pytest.mark.parametrize(("listing", "detail", "own", "other"), ENDPOINTS)
def test_a_village_user_sees_their_village_and_gets_404_across_jurisdictions(
    client, records, token, listing, detail, own, other
):
    ids = {row["id"] for row in _get(client, token, "village_a1", listing).json()["results"]}
    assert records[own].pk in ids
    assert records[other].pk not in ids
    assert _get(client, token, "village_a1", detail, records[own].pk).json()["id"] == records[own].pk
    refused = _get(client, token, "village_a1", detail, records[other].pk)
    assert refused.status_code == 404
    assert refused.json() == {"error": "没有找到该记录，或不在您的辖区内"}


def test_a_cadre_sees_only_the_paired_household_s_records(client, records, token):
    visits = _get(client, token, "cadre", "assistance_api:visits").json()["results"]
    assert [v["id"] for v in visits] == [records["visit_a1"].pk]
    assert _get(client, token, "cadre", "assistance_api:visit", records["visit_a1b"].pk).status_code == 404
    cases = {c["id"] for c in _get(client, token, "cadre", "monitoring_api:cases").json()["results"]}
    assert cases == {records["case_a1"].pk}
    assert _get(client, token, "cadre", "monitoring_api:case", records["case_a1b"].pk).status_code == 404


def test_the_inspector_sees_the_county(client, records, token):
    problems = _get(client, token, "inspector", "supervision_api:problems").json()
    assert problems["count"] == 2
    cases = _get(client, token, "inspector", "monitoring_api:cases").json()
    assert cases["count"] == 3


def test_case_filters(client, records, tree, token):
    by_region = _get(
        client, token, "inspector", "monitoring_api:cases", region=tree["village_b1"].code
    ).json()
    assert [c["id"] for c in by_region["results"]] == [records["case_b1"].pk]
    township = tree["village_a1"].parent.code
    assert _get(client, token, "inspector", "monitoring_api:cases", region=township).json()["count"] == 2
    assert _get(client, token, "inspector", "monitoring_api:cases", region="999999").json()["count"] == 0
    year = records["case_a1"].year
    assert _get(client, token, "inspector", "monitoring_api:cases", year=year).json()["count"] == 3
    assert _get(client, token, "inspector", "monitoring_api:cases", year=year - 1).json()["count"] == 0
    stage = records["case_a1"].stage
    assert _get(client, token, "inspector", "monitoring_api:cases", stage=stage).json()["count"] == 3
    assert _get(client, token, "inspector", "monitoring_api:cases", stage="eliminated").json()["count"] == 0
    assert _get(client, token, "inspector", "monitoring_api:cases", overdue="true").json()["count"] == 0
    type(records["case_a1"]).objects.filter(pk=records["case_a1"].pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    overdue = _get(client, token, "inspector", "monitoring_api:cases", overdue="true").json()["results"]
    assert [c["id"] for c in overdue] == [records["case_a1"].pk]
    detail = _get(client, token, "inspector", "monitoring_api:case", records["case_a1"].pk).json()
    assert [c["id"] for c in detail["clues"]] == [records["clue_a1"].pk]
    assert detail["stage_label"]
    assert not detail["stage_label"].isascii()


def test_bad_filters_are_refused_in_chinese(client, records, token):
    for name, params in [
        ("monitoring_api:cases", {"stage": "nonsense"}),
        ("monitoring_api:cases", {"year": "1800"}),
        ("monitoring_api:clues", {"region": "abc"}),
        ("supervision_api:problems", {"status": "x"}),
        ("assistance_api:visits", {"year": "2200"}),
    ]:
        response = _get(client, token, "inspector", name, **params)
        assert response.status_code == 400, (name, params)
        assert response.json()["error"].startswith("请求参数有误")


def test_problem_visit_and_pairing_filters(client, records, token, households):
    open_only = _get(client, token, "inspector", "supervision_api:problems", status="open").json()
    assert [p["id"] for p in open_only["results"]] == [records["problem_a1"].pk]
    assert open_only["results"][0]["status_label"] == "挂账"
    overdue = _get(client, token, "inspector", "supervision_api:problems", overdue="true").json()
    assert [p["id"] for p in overdue["results"]] == [records["problem_a1"].pk]  # deadline 2018, not cleared
    assert overdue["results"][0]["is_overdue"] is True
    assert _get(client, token, "inspector", "supervision_api:problems", year=2017).json()["count"] == 0
    clue_visits = _get(client, token, "inspector", "assistance_api:visits", raises_clue="true").json()
    assert [v["id"] for v in clue_visits["results"]] == [records["visit_a1"].pk]
    assert _get(client, token, "inspector", "assistance_api:visits", year=2018).json()["count"] == 3
    assert _get(client, token, "inspector", "assistance_api:visits", year=2019).json()["count"] == 0
    by_household = _get(
        client, token, "inspector", "assistance_api:pairings", household=households["b1"].pk
    ).json()
    assert [p["id"] for p in by_household["results"]] == [records["pairing_b1"].pk]
    assert _get(client, token, "inspector", "assistance_api:pairings", current="false").json()["count"] == 0


def test_lists_are_paged(client, records, token):
    page = _get(client, token, "inspector", "monitoring_api:cases", page_size=2).json()
    assert page["count"] == 3
    assert len(page["results"]) == 2
    assert page["next"]
