"""The REST API: token authentication, jurisdiction, JSON errors in Chinese, pagination, the schema."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

LISTS = ["registry_api:households", "registry_api:people", "assessment_api:runs", "projects_api:projects"]


@pytest.mark.parametrize("name", LISTS)
def test_every_list_answers_401_in_chinese_without_a_token(client, households, name):
    response = client.get(reverse(name))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert "令牌" in response.json()["error"]


def test_a_wrong_token_is_refused(client, households):
    response = client.get(reverse("registry_api:households"), HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert response.status_code == 401
    assert response.json() == {"error": "令牌无效或账号已停用"}


def test_the_token_command_prints_a_token_that_authenticates(client, users, households):
    out = io.StringIO()
    call_command("api_token", users["village_a1"].username, stdout=out)
    key = out.getvalue().strip()
    data = client.get(reverse("registry_api:households"), HTTP_AUTHORIZATION=f"Token {key}").json()
    assert {row["household_no"] for row in data["results"]} == {"A1-0001", "A1-0002"}
    rotated = io.StringIO()
    call_command("api_token", users["village_a1"].username, "--rotate", stdout=rotated)
    assert rotated.getvalue().strip() != key
    assert (
        client.get(reverse("registry_api:households"), HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    )


def test_a_deactivated_user_s_token_stops_working(client, users, households, token):
    header = token("village_a1")
    users["village_a1"].is_active = False
    users["village_a1"].save()
    assert client.get(reverse("registry_api:households"), HTTP_AUTHORIZATION=header).status_code == 401


def test_other_jurisdictions_answer_404(client, households, token):
    header = token("village_a1")
    other = client.get(
        reverse("registry_api:household", args=[households["b1"].pk]), HTTP_AUTHORIZATION=header
    )
    assert other.status_code == 404
    assert other.json() == {"error": "没有找到该记录，或不在您的辖区内"}
    people = client.get(
        reverse("registry_api:people"), {"household": households["b1"].pk}, HTTP_AUTHORIZATION=header
    ).json()
    assert people["count"] == 0
    own = client.get(reverse("registry_api:household", args=[households["a1"].pk]), HTTP_AUTHORIZATION=header)
    assert own.status_code == 200
    assert [m["relation"] for m in own.json()["members"]] == ["head", "spouse"]
    assert own.json()["income"]["net_income"] == "11200.00"


def test_bad_filters_answer_400_naming_the_parameter(client, households, token):
    header = token("county")
    response = client.get(reverse("registry_api:households"), {"status": "rich"}, HTTP_AUTHORIZATION=header)
    assert response.status_code == 400
    body = response.json()
    assert body["error"].startswith("请求参数有误")
    assert "status" in body["fields"]
    huge = client.get(reverse("assessment_api:runs"), {"year": "9" * 5000}, HTTP_AUTHORIZATION=header)
    assert huge.status_code == 400
    assert "year" in huge.json()["fields"]


def test_lists_are_paged(client, households, token):
    header = token("county")
    first = client.get(reverse("registry_api:households"), {"page_size": 2}, HTTP_AUTHORIZATION=header).json()
    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert first["next"]
    last = client.get(
        reverse("registry_api:households"), {"page_size": 2, "page": 2}, HTTP_AUTHORIZATION=header
    ).json()
    assert len(last["results"]) == 1
    beyond = client.get(reverse("registry_api:households"), {"page": 9}, HTTP_AUTHORIZATION=header)
    assert beyond.status_code == 404


def test_the_schema_validates():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    for path in ("/api/registry/households/", "/api/assessment/runs/", "/api/projects/"):
        assert path in schema


def test_the_documentation_page_uses_assets_served_by_the_app(client, users):
    client.force_login(users["county"])
    page = client.get(reverse("api_docs")).content.decode()
    assert "swagger-ui" in page
    assert "https://" not in page.replace("https://github.com", "")
    # no inline script (the Content-Security-Policy allows scripts from the app only): the UI's set-up script
    # is a separate request
    assert "<script>" not in page.replace(" ", "")
    script = client.get(reverse("api_docs"), {"script": ""})
    assert script.status_code == 200
    assert b"SwaggerUIBundle" in script.content


def test_an_unknown_api_address_answers_json(client, token):
    response = client.get("/api/registry/nothing-here/", HTTP_AUTHORIZATION=token("county"))
    assert response.status_code == 404
    assert response.json() == {"error": "没有找到该记录，或不在您的辖区内"}
