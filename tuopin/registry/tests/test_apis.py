from django.urls import reverse


def test_api_needs_a_login(client, households):
    response = client.get(reverse("registry_api:households"))
    assert response.status_code == 401
    assert "令牌" in response.json()["error"]


def test_village_user_sees_only_their_village_through_the_api(client, users, households):
    client.force_login(users["village_a1"])
    data = client.get(reverse("registry_api:households")).json()
    assert data["count"] == 2
    assert {row["household_no"] for row in data["results"]} == {"A1-0001", "A1-0002"}
    assert client.get(reverse("registry_api:household", args=[households["b1"].pk])).status_code == 404
    detail = client.get(reverse("registry_api:household", args=[households["a1"].pk])).json()
    assert [m["relation"] for m in detail["members"]] == ["head", "spouse"]
    assert detail["income"]["net_income"] == "11200.00"


def test_api_search_does_not_leak_other_villages(client, users, households):
    client.force_login(users["village_a1"])
    name = households["b1"].members.first().name
    assert client.get(reverse("registry_api:households"), {"q": name}).json()["count"] == 0
