"""The job card and the download of an export job's file: the owner only, an existing file only."""

import pytest
from django.urls import reverse

from tuopin.jobs.models import JobStatus
from tuopin.jobs.tests.factories import JobFactory


@pytest.fixture
def exports(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def test_the_owner_downloads_the_file_and_nobody_else(client, users, exports):
    (exports / "job-1.xlsx").write_bytes(b"PK-file")
    job = JobFactory(owner=users["county"], result={"file": "job-1.xlsx", "download_name": "名单.xlsx"})
    client.force_login(users["county"])
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert b"".join(response.streaming_content) == b"PK-file"
    assert "attachment" in response["Content-Disposition"]
    client.force_login(users["inspector"])
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:status", args=[job.pk])).status_code == 404


@pytest.mark.parametrize(
    ("status", "name"),
    [
        (JobStatus.DONE, "missing.xlsx"),
        (JobStatus.DONE, "../tuopin.sqlite3"),
        (JobStatus.DONE, ""),
        (JobStatus.RUNNING, "job-1.xlsx"),
    ],
)
def test_no_file_is_served_unless_the_job_finished_and_wrote_it(client, users, exports, status, name):
    (exports / "job-1.xlsx").write_bytes(b"PK-file")
    job = JobFactory(owner=users["county"], status=status, result={"file": name})
    client.force_login(users["county"])
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_the_card_polls_while_queued_and_stops_when_done(client, users):
    job = JobFactory(owner=users["county"], status=JobStatus.QUEUED)
    client.force_login(users["county"])
    queued = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert "排队中" in queued
    assert 'hx-trigger="every 1s"' in queued
    job.status, job.message = JobStatus.FAILED, "服务在任务运行中停止"
    job.save()
    failed = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert "失败" in failed
    assert "服务在任务运行中停止" in failed
    assert "every 1s" not in failed
