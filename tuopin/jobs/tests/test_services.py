"""Running a job: its owner's permission is checked again when it runs, its outcome is stored, a refusal and
a crash both fail the job with a Chinese message, and a finished job is not run twice."""

import pytest

from tuopin.core.errors import ApplicationError
from tuopin.jobs.models import JobKind, JobStatus
from tuopin.jobs.selectors import jobs_for, latest_job
from tuopin.jobs.services import Outcome, job_run
from tuopin.jobs.tests.factories import JobFactory

pytestmark = pytest.mark.django_db


def _queued(owner, **extra):
    return JobFactory.create(owner=owner, status=JobStatus.QUEUED, subject_id=7, **extra)


def test_the_work_runs_with_progress_and_its_outcome_is_stored(users):
    job = _queued(users["county"])
    seen = []

    def work(running, progress):
        seen.append(running.pk)
        progress(3, 4)
        return Outcome(message="已导出 3 户", result={"rows": 3})

    assert job_run(job.pk, work) == {"rows": 3}
    job.refresh_from_db()
    assert seen == [job.pk]
    assert (job.status, job.message, job.result, job.attempts) == (
        JobStatus.DONE,
        "已导出 3 户",
        {"rows": 3},
        1,
    )
    assert (job.progress_done, job.progress_total, job.progress_percent) == (3, 4, 75)
    assert job.started_at is not None
    assert job.finished_at is not None
    assert job_run(job.pk, work) == {}  # delivered again: nothing runs
    assert seen == [job.pk]


def test_a_refusal_fails_the_job_with_its_message(users):
    job = _queued(users["county"])

    def work(running, progress):
        raise ApplicationError("文件已被删除")

    assert job_run(job.pk, work) == {"error": "文件已被删除"}
    job.refresh_from_db()
    assert (job.status, job.message) == (JobStatus.FAILED, "文件已被删除")


def test_a_crash_fails_the_job_and_is_raised_for_the_queue(users):
    job = _queued(users["county"])

    def work(running, progress):
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        job_run(job.pk, work)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == "后台任务出错（ZeroDivisionError），请联系管理员"


def test_an_owner_who_lost_the_right_meanwhile_does_not_get_the_work_done(users):
    owner = users["village_a1"]
    job = _queued(owner)
    owner.is_active = False
    owner.save()
    ran = []

    def work(running, progress):
        ran.append(running.pk)
        return Outcome()

    result = job_run(job.pk, work)
    assert ran == []
    assert "error" in result
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == result["error"]


def test_a_user_sees_their_own_jobs_and_the_latest_job_about_an_object(users):
    mine = _queued(users["county"])
    _queued(users["town_a"])
    later = _queued(users["town_a"], kind=JobKind.IMPORT_COMMIT)
    assert list(jobs_for(users["county"])) == [mine]
    assert latest_job(kinds=[JobKind.REGISTRY_EXPORT, JobKind.IMPORT_COMMIT], subject_id=7) == later
    assert latest_job(kinds=[JobKind.WHAT_IF], subject_id=7) is None
