import pytest
from django.urls import reverse

from conftest import PASSWORD, person_values
from tuopin.registry.models import Household, Person, PovertyStatus

BIRTH = {"change-reason": "birth", "change-on_date": "2018-09-01"}


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def test_pages_need_a_login(client, households):
    response = client.get(reverse("registry:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_village_user_gets_404_for_another_villages_household(login, users, households):
    client = login(users["village_a1"])
    other = households["b1"]
    assert client.get(reverse("registry:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("registry:edit", args=[other.pk])).status_code == 404
    member = other.members.first()
    assert client.get(reverse("registry:person_edit", args=[member.pk])).status_code == 404
    response = client.post(reverse("registry:person_edit", args=[member.pk]), {"name": "x"})
    assert response.status_code == 404
    assert client.get(reverse("registry:detail", args=[households["a1"].pk])).status_code == 200


def test_village_user_sees_no_rows_of_another_village_in_lists_and_counts(login, users, households):
    client = login(users["village_a1"])
    page = client.get(reverse("registry:list")).content.decode()
    assert "A1-0001" in page
    assert "A2-0001" not in page
    assert "B1-0001" not in page
    assert "共 2 户" in page
    search = client.get(
        reverse("registry:list"), {"q": households["b1"].members.first().name}
    ).content.decode()
    assert "共 0 户" in search
    overview = client.get(reverse("reports:overview")).content.decode()
    assert 'data-key="registered">2 户' in overview


def test_township_user_sees_their_villages_only(login, users, households):
    client = login(users["town_a"])
    page = client.get(reverse("registry:list")).content.decode()
    assert "A1-0001" in page
    assert "A2-0001" in page
    assert "B1-0001" not in page


def test_cadre_sees_only_paired_households(login, users, households):
    households["a2"].responsible_cadre = users["cadre"]
    households["a2"].save()
    client = login(users["cadre"])
    page = client.get(reverse("registry:list")).content.decode()
    assert "共 1 户" in page
    assert "A2-0001" in page
    assert client.get(reverse("registry:detail", args=[households["a1"].pk])).status_code == 404


def test_list_filters_by_status_area_and_cause(login, users, households):
    client = login(users["county"])
    page = client.get(reverse("registry:list"), {"status": PovertyStatus.EXITED}).content.decode()
    assert "共 1 户" in page
    assert "A1-0002" in page
    page = client.get(reverse("registry:list"), {"region": households["b1"].village_id}).content.decode()
    assert "共 1 户" in page
    assert "B1-0001" in page
    page = client.get(reverse("registry:list"), {"cause": "schooling"}).content.decode()
    assert "共 0 户" in page


def test_htmx_filter_returns_only_the_results_fragment(login, users, households):
    client = login(users["county"])
    response = client.get(reverse("registry:list"), {"status": PovertyStatus.EXITED}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="household-table"' in body


def test_inspector_can_read_but_not_change(login, users, households):
    client = login(users["inspector"])
    household = households["b1"]
    assert client.get(reverse("registry:detail", args=[household.pk])).status_code == 200
    member = household.members.get(relation="head")
    data = person_values(relation="head", name="改过的名字", id_number=member.id_number)
    detail = client.get(reverse("registry:detail", args=[household.pk])).content.decode()
    assert 'id="edit-household"' not in detail
    assert "edit-member" not in detail
    response = client.post(
        reverse("registry:person_edit", args=[member.pk]), {**data, "health": ["is_healthy"]}, follow=True
    )
    assert response.redirect_chain[0][0] == reverse("registry:detail", args=[household.pk])
    assert "您不能增加、修改或删除该户的成员" in response.content.decode()
    member.refresh_from_db()
    assert member.name != "改过的名字"


def test_member_form_shows_a_chinese_message_naming_the_field(login, users, households):
    client = login(users["village_a1"])
    household = households["a1"]
    data = person_values(relation="head", name="第二户主", age=30)
    response = client.post(
        reverse("registry:person_create", args=[household.pk]), {**data, "health": ["is_healthy"], **BIRTH}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "与户主关系：一户只能有一名户主" in body
    assert not Person.objects.filter(name="第二户主").exists()

    data = person_values(relation="son", name="错号", age=8, id_number="530127201001010010")
    body = client.post(
        reverse("registry:person_create", args=[household.pk]), {**data, "health": ["is_healthy"], **BIRTH}
    ).content.decode()
    assert "证件号码：身份证号码校验位错误" in body
    assert not Person.objects.filter(name="错号").exists()


def test_member_edit_through_the_page_appears_in_history(login, users, households):
    client = login(users["village_a1"])
    member = households["a1"].members.get(relation="spouse")
    form = client.get(reverse("registry:person_edit", args=[member.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {"labor_skill": "skilled", "health": ["is_healthy"], "birth_date": member.birth_date.isoformat()}
    )
    data = {k: ("true" if v is True else "false" if v is False else v) for k, v in data.items()}
    response = client.post(reverse("registry:person_edit", args=[member.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(reverse("registry:detail", args=[households["a1"].pk])).content.decode()
    assert "劳动技能：普通劳动力 → 技能劳动力" in page


def test_household_create_page_refuses_village_outside_jurisdiction(login, users, tree):
    client = login(users["village_a1"])
    response = client.post(
        reverse("registry:create"),
        {
            "household_no": "NEW-1",
            "village": tree["village_b1"].pk,
            "data_year": 2018,
            "status": PovertyStatus.UNREGISTERED,
        },
    )
    assert response.status_code == 200
    assert not Household.objects.filter(household_no="NEW-1").exists()


def test_login_page_signs_in_and_locks_out_after_five_failures(client, users):
    url = reverse("accounts:login")
    for _ in range(5):
        response = client.post(url, {"username": "county_user", "password": "wrong"})
    assert "用户名或密码不正确" in response.content.decode() or response.status_code in (403, 429)
    locked = client.post(url, {"username": "county_user", "password": PASSWORD})
    assert locked.status_code in (403, 429)
    assert "锁定" in locked.content.decode()


def test_login_with_the_right_password(client, users):
    response = client.post(reverse("accounts:login"), {"username": "county_user", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("reports:overview")).status_code == 200


def test_interface_is_chinese_first_and_english_on_request(login, users, households):
    client = login(users["county"])
    page = client.get(reverse("registry:list"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "农户登记" in page
    client.cookies["django_language"] = "en"
    page = client.get(reverse("registry:list")).content.decode()
    assert "Household registry" in page
    assert '<html lang="en">' in page
