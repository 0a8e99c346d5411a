"""An inspector reads every page of the registry, assistance, policy and supervision, and is shown only the
forms they may submit: recording inspections and problems, and the reviewing moves (销号, 退回, 移交, 修改).

This app sits above the registry, assistance and policy, so its tests may open all of their pages."""

import re

import pytest
from django.urls import reverse

from tuopin.assistance.tests.factories import MeasureFactory, PairingFactory, VisitFactory
from tuopin.supervision.models import ProblemStatus
from tuopin.supervision.tests.factories import ProblemFactory

POST_FORM = re.compile(r"<form\b[^>]*\bmethod=\"post\"[^>]*>", re.IGNORECASE)
ACTION = re.compile(r"\baction=\"([^\"]*)\"")
EVERY_USER = {"/accounts/logout/", "/i18n/setlang/"}  # the frame's forms: signing out and the language


def post_forms(html: str, page_path: str) -> list[str]:
    """The addresses the page's POST forms submit to (a form without an action submits to the page)."""
    actions = []
    for tag in POST_FORM.findall(html):
        found = ACTION.search(tag)
        actions.append(found.group(1) if found else page_path)
    return [action for action in actions if action not in EVERY_USER]


@pytest.fixture
def inspector(client, users):
    client.force_login(users["inspector"])
    return client


@pytest.fixture
def assisted(households, users):
    household = households["a1"]
    PairingFactory.create(cadre=users["cadre"], household=household)
    VisitFactory.create(household=household, cadre=users["cadre"])
    MeasureFactory.create(household=household)
    return household


def read_only_pages(household) -> list[str]:
    return [
        reverse("registry:list"),
        reverse("registry:detail", args=[household.pk]),
        reverse("assistance:household_visits", args=[household.pk]),
        reverse("assistance:structure"),
        reverse("assistance:coverage"),
        reverse("assistance:overdue"),
        reverse("assistance:presence"),
        reverse("assistance:unit_reports"),
        reverse("policy:standards"),
        reverse("supervision:report"),
    ]


@pytest.mark.django_db
def test_an_inspector_sees_no_form_on_the_pages_they_only_read(inspector, assisted):
    for path in read_only_pages(assisted):
        response = inspector.get(path)
        assert response.status_code == 200, path
        assert post_forms(response.content.decode(), path) == [], path


@pytest.mark.django_db
def test_an_inspector_is_not_handed_the_edit_pages(inspector, assisted):
    person = assisted.members.first()
    for path in (
        reverse("registry:edit", args=[assisted.pk]),
        reverse("registry:person_create", args=[assisted.pk]),
        reverse("registry:person_delete", args=[person.pk]),
        reverse("assistance:visit_create", args=[assisted.pk]),
        reverse("assistance:household_pair", args=[assisted.pk]),
    ):
        response = inspector.get(path)
        assert response.status_code in (302, 403), path
        assert post_forms(response.content.decode(), path) == [], path


@pytest.mark.django_db
def test_an_inspector_records_problems_and_only_reviews_them(inspector, tree):
    problem = ProblemFactory.create(region=tree["village_a1"])  # open: the next move (整改) is the area's
    detail = reverse("supervision:detail", args=[problem.pk])
    forms = post_forms(inspector.get(detail).content.decode(), detail)
    assert reverse("supervision:move", args=[problem.pk]) not in forms
    assert reverse("supervision:evidence", args=[problem.pk]) not in forms
    # 修改 and, the problem being overdue, 移交: the reviewing side's forms
    assert sorted(forms) == sorted(
        reverse(f"supervision:{n}", args=[problem.pk]) for n in ("edit", "escalate")
    )

    problem.status = ProblemStatus.CLEARANCE_REQUESTED  # 销号 or 退回: the inspector's moves
    problem.save(update_fields=["status"])
    page = inspector.get(detail).content.decode()
    assert reverse("supervision:move", args=[problem.pk]) in post_forms(page, detail)
    assert 'value="cleared"' in page
    assert 'value="rectifying"' in page

    for path in (reverse("supervision:create"), reverse("supervision:inspection_create")):
        assert post_forms(inspector.get(path).content.decode(), path) == [path]
    assert reverse("supervision:create") in inspector.get(reverse("supervision:list")).content.decode()


@pytest.mark.django_db
def test_the_area_that_rectifies_is_shown_the_rectifying_move(client, users, tree):
    problem = ProblemFactory.create(region=tree["village_a1"])
    client.force_login(users["village_a1"])
    detail = reverse("supervision:detail", args=[problem.pk])
    forms = post_forms(client.get(detail).content.decode(), detail)
    assert reverse("supervision:move", args=[problem.pk]) in forms
    assert reverse("supervision:edit", args=[problem.pk]) not in forms
