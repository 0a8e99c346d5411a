"""Assessment runs and large what-if as background jobs, run by the library's worker loop on the test
database; the page shows 排队中 / 运行中 / 完成 / 失败."""

import signal
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from tuopin.accounts.permissions import console_actor, refusal
from tuopin.assessment.models import AssessmentRun
from tuopin.assessment.services import assessment_run
from tuopin.assessment.tests import factories
from tuopin.jobs.models import Job, JobKind, JobStatus
from tuopin.policy.models import Standard
from tuopin.policy.seed import PROVINCE_DEFAULTS, rows
from tuopin.registry.services import code_lists_reload

pytestmark = pytest.mark.django_db
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def in_the_worker(test):
    """Queue in the database and run the worker loop in this process. Committed transactions, as in real
    use: the worker closes a connection it finds inside a transaction (PostgreSQL). The tables are emptied after
    such a test, so the data of the migrations (code lists, standards) is put back before it."""
    test = pytest.mark.usefixtures("worker_db")(test)
    return pytest.mark.django_db(transaction=True)(override_settings(TASKS=DATABASE_QUEUE)(test))


@pytest.fixture
def worker_db(transactional_db):
    code_lists_reload()
    for row in rows(PROVINCE_DEFAULTS):
        Standard.objects.update_or_create(key=row["key"], year=row["year"], region=None, defaults=row)


def run_worker() -> None:
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


@in_the_worker
def test_a_run_started_from_the_page_is_queued_then_done(as_user, county_user, village):
    factories.household(village)
    client = as_user(county_user)
    response = client.post(reverse("assessment:run_create"), {"year": "2018"})
    assert response.url == reverse("assessment:index") + "?year=2018"
    page = client.get(response.url).content.decode()
    assert "排队中" in page
    assert 'hx-trigger="every 1s"' in page
    assert AssessmentRun.objects.count() == 0
    job = Job.objects.get(kind=JobKind.ASSESSMENT_RUN)
    run_worker()
    run = AssessmentRun.objects.get()
    status = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert "完成" in status
    assert reverse("assessment:run", args=[run.pk]) in status
    assert "every 1s" not in status
    assert run.created_by == county_user


@in_the_worker
def test_a_refusal_inside_the_job_shows_as_failed(as_user, county_user, village):
    factories.household(village)
    client = as_user(county_user)
    client.post(reverse("assessment:run_create"), {"year": "2018"})
    county_user.is_active = False
    county_user.save()
    run_worker()
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.message == refusal("assessment.run")
    assert AssessmentRun.objects.count() == 0


def test_what_if_over_a_large_scope_runs_as_a_job_with_the_same_result(
    as_user, county_user, village, settings
):
    factories.household(village, wage_income=Decimal("12000"))
    assessment_run(year=2018, by=console_actor())
    client = as_user(county_user)
    direct = client.post(reverse("assessment:what_if"), {"year": "2018", "income_line": "8000"})
    assert Job.objects.count() == 0
    settings.WHAT_IF_SYNC_HOUSEHOLDS = 0
    queued = client.post(reverse("assessment:what_if"), {"year": "2018", "income_line": "8000"})
    job = Job.objects.get(kind=JobKind.WHAT_IF)
    assert queued.url == reverse("assessment:what_if") + f"?year=2018&job={job.pk}"
    assert job.status == JobStatus.DONE
    page = client.get(queued.url).content.decode()
    expected = "达到退出标准：1 户 → <strong>0</strong> 户"
    assert expected in direct.content.decode()
    assert expected in page
    assert AssessmentRun.objects.count() == 1
