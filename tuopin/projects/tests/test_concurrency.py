"""No lost update on projects: two users open the same project form; the second save is refused with what the
first changed and the first user's change survives."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from tuopin.projects.models import Project


def _form_data(response) -> dict:
    form = response.context["form"]
    data = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        for key in (bound.html_name, bound.html_initial_name):
            data[key] = str(value)
    data["version"] = str(form.initial["version"])
    return data


def test_second_project_save_is_refused_and_the_first_survives(seed, county_user, xiaojie_user):
    project = Project.objects.get(seed_key="三(八)5")
    url = reverse("projects:edit", args=[project.pk])
    first, second = Client(), Client()
    first.force_login(county_user)
    second.force_login(xiaojie_user)
    data_1, data_2 = _form_data(first.get(url)), _form_data(second.get(url))

    data_1["investment_wan"] = "41"
    assert first.post(url, data_1).status_code == 302
    data_2["responsible_unit"] = "小街镇人民政府"
    response = second.post(url, data_2)
    body = response.content.decode()
    assert 'id="stale-edit"' in body
    assert "总投资（元）" in body
    assert "410000.00" in body
    project.refresh_from_db()
    assert (project.investment, project.version) == (Decimal("410000.00"), 2)
    assert project.responsible_unit != "小街镇人民政府"

    # re-applied on the fresh record: both changes are kept
    form = response.context["form"]
    again = {key: form.data.getlist(key) for key in form.data}
    assert second.post(url, again).status_code == 302
    project.refresh_from_db()
    assert (project.investment, project.responsible_unit, project.version) == (
        Decimal("410000.00"),
        "小街镇人民政府",
        3,
    )
