"""Department list counts for a village user cover only the records matched to people of that village."""

import datetime
from collections import Counter

import pytest
from django.urls import reverse

from tuopin.accounts.models import Role
from tuopin.accounts.permissions import console_actor
from tuopin.accounts.tests.factories import UserFactory
from tuopin.imports.departments import department_list_import
from tuopin.imports.models import DepartmentRecord
from tuopin.regions.tests.factories import county_tree
from tuopin.registry.models import Person
from tuopin.registry.tests.factories import HouseholdFactory


@pytest.fixture
def county(db):
    tree = county_tree()
    v11, v12, v21, _ = tree["villages"]
    for village, n in ((v11, 3), (v12, 2), (v21, 4)):
        for _ in range(n):
            HouseholdFactory(village=village)
    user = UserFactory(username="v11_user", role=Role.VILLAGE, region=v11)
    return {"tree": tree, "village": v11, "user": user}


@pytest.fixture
def client_v11(client, county):
    client.force_login(county["user"], backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_department_counts_only_the_village(client_v11, county):
    people = list(Person.objects.filter(relation="head").select_related("household__village"))
    rows = ["身份证号,姓名"] + [f"{p.id_number},{p.name}" for p in people] + ["530121198005030000,错号"]
    department_list_import(
        user=console_actor(),
        department="dibao",
        as_of=datetime.date(2018, 4, 30),
        file_name="dibao.csv",
        content="\n".join(rows).encode(),
    )
    (listed,) = client_v11.get(reverse("imports:departments")).context["lists"]
    mine = DepartmentRecord.objects.filter(person__household__village=county["village"])
    assert listed["records"] == mine.count()
    assert listed["counts"] == dict(Counter(mine.values_list("status", flat=True)))
    assert listed["records"] < DepartmentRecord.objects.count()


def test_county_user_counts_every_record(client, county):
    county_user = UserFactory(username="c_user", role=Role.COUNTY, region=county["tree"]["county"])
    rows = ["身份证号,姓名", "530121198005030000,错号"]
    department_list_import(
        user=console_actor(),
        department="dibao",
        as_of=datetime.date(2018, 4, 30),
        file_name="dibao.csv",
        content="\n".join(rows).encode(),
    )
    client.force_login(county_user, backend="django.contrib.auth.backends.ModelBackend")
    (listed,) = client.get(reverse("imports:departments")).context["lists"]
    assert listed["records"] == DepartmentRecord.objects.count() == 1
