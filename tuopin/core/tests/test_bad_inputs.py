"""No input can hurt: `1e20`, `NaN`, `Infinity`, 30-digit and 5,000-digit values in every number and date
field of every form and in every numeric query parameter are refused with a Chinese message naming the field,
nothing is stored, and no page answers 500 afterwards. Hypothesis adds generated values (bounded examples)."""

from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.db import models
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuopin.assessment.models import SamplingCheck, SatisfactionSurvey, VillageRecord
from tuopin.core.errors import ApplicationError
from tuopin.core.inputs import check_value
from tuopin.policy.models import Standard
from tuopin.projects.forms import CostItemForm, FundEntryForm, ProjectForm, TargetActualForm
from tuopin.projects.models import Programme, Project
from tuopin.regions.models import Region
from tuopin.registry.forms import HouseholdForm, PersonForm
from tuopin.registry.models import Household, Person

BAD = ["1e20", "NaN", "Infinity", "-Infinity", "9" * 30, "9" * 5000, "1e-20", "0x1F", "1,2,3", "--1"]
NUMERIC = (forms.DecimalField, forms.IntegerField, forms.FloatField, forms.DateField)
BOUNDED = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _forms():
    none_regions = Region.objects.none()
    return [
        (
            "ProjectForm",
            lambda data: ProjectForm(data, programmes=Programme.objects.none(), regions=none_regions),
        ),
        ("FundEntryForm", FundEntryForm),
        ("TargetActualForm", lambda data: TargetActualForm(data, regions=none_regions)),
        ("CostItemForm", CostItemForm),
        ("HouseholdForm", lambda data: HouseholdForm(data, villages=none_regions)),
        ("PersonForm", PersonForm),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "build"), _forms())
def test_every_number_and_date_field_of_every_form_refuses_bad_values(name, build):
    fields = [field for field, value in build({}).fields.items() if isinstance(value, NUMERIC)]
    assert fields, name
    for field in fields:
        for raw in BAD:
            form = build({field: raw})
            assert not form.is_valid()
            assert field in form.errors, (name, field, raw)
            assert all(message.strip() for message in form.errors[field])


def _counts() -> dict[str, int]:
    models = (Standard, VillageRecord, SamplingCheck, SatisfactionSurvey, Household, Person, Project)
    return {model.__name__: model.objects.count() for model in models}


PAGES: list[tuple[str, dict[str, Any]]] = [
    ("policy:standards", {}),
    ("assessment:index", {}),
    ("assessment:county", {}),
    ("assessment:what_if", {}),
    ("registry:list", {}),
    ("imports:home", {}),
    ("imports:differences", {}),
]
QUERY = ["year", "programme", "region", "village", "planned", "page", "plan", "status"]


@pytest.mark.django_db
def test_bad_values_posted_to_every_endpoint_store_nothing_and_no_page_fails(client, users, households, tree):
    client.force_login(users["county"])
    village = tree["village_a1"]
    household = households["a1"]
    before = _counts()
    posts = []
    for raw in BAD:
        posts += [
            (
                reverse("policy:standards"),
                {"key": "income_line", "value": raw, "source_document": "x", "year": 2018},
            ),
            (
                reverse("policy:standards"),
                {"key": "income_line", "value": "1", "source_document": "x", "year": raw},
            ),
            (
                reverse("policy:standards"),
                {"key": "income_line", "value": "1", "source_document": "x", "source_date": raw},
            ),
            (
                reverse("assessment:village_records", args=[village.pk]),
                {"kind": "village_record", "collective_income": raw},
            ),
            (
                reverse("assessment:village_records", args=[village.pk]),
                {"kind": "village_record", "rural_population": raw},
            ),
            (
                reverse("assessment:village_records", args=[village.pk]),
                {"kind": "survey", "on_date": "2018-05-01", "surveyed": raw, "satisfied": "1"},
            ),
            (
                reverse("assessment:village_records", args=[village.pk]),
                {"kind": "sampling", "on_date": raw, "registered_checked": "1"},
            ),
            (
                reverse("assessment:village_records", args=[village.pk]),
                {"kind": "sampling", "on_date": "2018-05-01", "registered_checked": raw},
            ),
            (reverse("assessment:what_if") + "?year=2018", {"income_line": raw}),
            (reverse("assessment:run_create"), {"year": raw}),
            (reverse("assessment:exit_step", args=[household.pk]), {"to_status": "proposed", "on_date": raw}),
        ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code < 500, (url, data)
    assert _counts() == before
    for raw in BAD:
        for name, kwargs in PAGES:
            for param in QUERY:
                response = client.get(reverse(name, kwargs=kwargs), {param: raw})
                assert response.status_code in (200, 302, 400, 404), (name, param, raw, response.status_code)
    for name, kwargs in PAGES:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200
    assert client.get(reverse("registry:detail", args=[household.pk])).status_code == 200
    assert client.get(reverse("assessment:village", args=[village.pk])).status_code == 200


@BOUNDED
@given(raw=st.one_of(st.text(max_size=60), st.floats(allow_nan=True, allow_infinity=True), st.integers()))
def test_check_value_either_refuses_in_chinese_or_returns_a_storable_value(raw):
    field = Household._meta.get_field("wage_income")
    try:
        value, refusal = check_value(field, raw), None
    except ApplicationError as error:
        value, refusal = None, error
    if refusal is not None:
        assert "工资性收入" in refusal.message
        assert refusal.field == "wage_income"
    elif value is not None:
        assert isinstance(value, Decimal)
        assert value.is_finite()
        assert abs(value) < Decimal(10) ** 12
        assert value == value.quantize(Decimal("0.01"))


@pytest.mark.django_db
@BOUNDED
@given(
    raw=st.one_of(
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.integers(min_value=-(10**40), max_value=10**40).map(str),
        st.text(alphabet="0123456789.eE+-NaInfity ", max_size=40),
    )
)
def test_generated_values_in_household_form_numbers_never_pass_out_of_bounds(raw):
    form = HouseholdForm(
        {"wage_income": raw, "housing_area": raw, "house_built_year": raw},
        villages=Region.objects.none(),
    )
    form.is_valid()
    for name in ("wage_income", "housing_area", "house_built_year"):
        if name in form.errors:
            continue
        value = form.cleaned_data.get(name)
        if value is None:
            continue
        field = Household._meta.get_field(name)
        assert isinstance(field, models.Field)
        check_value(field, value)  # what the form let through, the store accepts
