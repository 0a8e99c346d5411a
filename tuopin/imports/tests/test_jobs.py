"""Imports as background jobs: queued by the pages, run by the library's own worker loop (``db_worker``, in
this process, on the test database), re-checked as the user who started them, recovered after a worker died."""

import io
import signal
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from tuopin.accounts.models import Role
from tuopin.accounts.permissions import refusal
from tuopin.imports.models import BatchStatus, ImportBatch
from tuopin.imports.tests.conftest import household_rows, to_xlsx
from tuopin.jobs.models import Job, JobKind, JobStatus
from tuopin.jobs.services import jobs_recover
from tuopin.policy.models import Standard
from tuopin.policy.seed import PROVINCE_DEFAULTS, rows
from tuopin.registry.models import Household, Person
from tuopin.registry.services import code_lists_reload

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


@contextmanager
def own_signals():
    """The worker installs its SIGINT/SIGTERM handlers; give pytest its own back afterwards."""
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        yield
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def run_worker(command: str = "db_worker", **options) -> None:
    """The library's worker loop (or ``tuopin worker``), in this process, until the queue is empty."""
    if command == "db_worker":
        options.update(reload=False, startup_delay=False)
    with own_signals():
        call_command(command, batch=True, interval=0, verbosity=0, **options)


@pytest.fixture
def county_client(client, county_user):
    client.force_login(county_user)
    return client


def _upload(client, rows) -> ImportBatch:
    client.post(reverse("imports:upload"), {"file": SimpleUploadedFile("a.xlsx", to_xlsx(rows))})
    return ImportBatch.objects.latest("pk")


@in_the_worker
def test_the_page_queues_validation_and_commit_and_the_worker_runs_them(county_client):
    batch = _upload(
        county_client, household_rows("5301210010010001", 3) + household_rows("5301210010010002", 2)
    )
    queued = county_client.post(reverse("imports:run", args=[batch.pk])).content.decode()
    assert "排队中" in queued
    assert 'hx-trigger="every 1s"' in queued
    job = Job.objects.get(kind=JobKind.IMPORT_VALIDATE)
    assert job.status == JobStatus.QUEUED
    assert DBTaskResult.objects.ready().count() == 1
    # visiting the page again does not queue the work twice
    county_client.post(reverse("imports:run", args=[batch.pk]))
    assert Job.objects.count() == 1
    run_worker()
    report = county_client.get(reverse("imports:progress", args=[batch.pk])).content.decode()
    assert "全部导入（2 户）" in report
    assert "every 1s" not in report
    county_client.post(reverse("imports:commit", args=[batch.pk]))
    assert "正在写入登记库" in county_client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert Household.objects.count() == 0
    run_worker()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED
    assert Person.objects.count() == 5
    commit = Job.objects.get(kind=JobKind.IMPORT_COMMIT)
    assert (commit.status, commit.attempts) == (JobStatus.DONE, 1)
    assert "新增 2 户" in commit.message
    assert "新增 2 户" in county_client.get(reverse("imports:batch", args=[batch.pk])).content.decode()


@in_the_worker
def test_the_worker_rechecks_the_permission_of_the_user_who_started_the_job(county_client, county_user):
    batch = _upload(county_client, household_rows("5301210010010001", 2))
    county_client.post(reverse("imports:run", args=[batch.pk]))
    run_worker()
    county_client.post(reverse("imports:commit", args=[batch.pk]))
    county_user.role = Role.INSPECTOR  # the role changed while the job was queued
    county_user.save()
    run_worker()
    job = Job.objects.get(kind=JobKind.IMPORT_COMMIT)
    assert job.status == JobStatus.FAILED
    assert job.message == refusal("imports.commit_batch")
    assert Household.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VALIDATED


@in_the_worker
def test_a_task_left_running_by_a_dead_worker_is_queued_again_and_completes(county_client):
    batch = _upload(county_client, household_rows("5301210010010001", 2))
    county_client.post(reverse("imports:run", args=[batch.pk]))
    task = DBTaskResult.objects.get()
    task.claim("worker-that-died")  # what a worker does before it runs the task
    Job.objects.update(status=JobStatus.RUNNING, attempts=1)
    assert DBTaskResult.objects.ready().count() == 0
    assert jobs_recover() == (1, 0)
    assert Job.objects.get().status == JobStatus.QUEUED
    run_worker("worker")
    job = Job.objects.get()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VALIDATED


@in_the_worker
def test_a_task_that_keeps_dying_is_failed_not_left_running(county_client):
    batch = _upload(county_client, household_rows("5301210010010001", 2))
    county_client.post(reverse("imports:run", args=[batch.pk]))
    task = DBTaskResult.objects.get()
    for attempt in range(3):
        task.claim(f"dead-{attempt}")
    assert jobs_recover() == (0, 1)
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert "已运行 3 次仍未完成" in job.message
    assert DBTaskResult.objects.get().status == "FAILED"
    page = county_client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "重新校验" in page
    county_client.post(reverse("imports:run", args=[batch.pk]))
    run_worker()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VALIDATED


def test_a_large_export_is_written_by_a_job_and_downloaded_by_its_owner_only(
    client, county_user, village_user, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    client.force_login(county_user)
    batch = _upload(client, household_rows("5301210010010001", 3))
    client.post(reverse("imports:run", args=[batch.pk]))
    client.post(reverse("imports:commit", args=[batch.pk]))
    settings.EXPORT_SYNC_PEOPLE = 2
    response = client.get(reverse("imports:export"))
    job = Job.objects.get(kind=JobKind.REGISTRY_EXPORT)
    assert response.url == reverse("imports:export_job", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert "完成" in page
    assert reverse("jobs:download", args=[job.pk]) in page
    download = client.get(reverse("jobs:download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True).active
    assert len(list(sheet.iter_rows(min_row=2, values_only=True))) == 3
    assert (tmp_path / "exports" / f"job-{job.pk}.xlsx").is_file()
    assert not list((tmp_path / "exports").glob("*.part"))
    client.force_login(village_user)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert client.get(reverse("imports:export_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:status", args=[job.pk])).status_code == 404


def test_a_small_export_is_still_answered_directly(county_client):
    response = county_client.get(reverse("imports:export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert Job.objects.count() == 0
