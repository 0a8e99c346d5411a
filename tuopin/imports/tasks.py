"""Background tasks of imports: validating and committing an uploaded batch, exporting a large registry list.

Each task gets a job id only; ``jobs.services.job_run`` loads the job, re-checks its owner's permission and
records the outcome. The work calls the same services as the console (``batch_validate``, ``batch_commit``,
``export_rows``), so what runs in the worker is what ran in the request before.
"""

import os
import tempfile

from django.http import Http404
from django.utils import timezone
from django_tasks import task

from tuopin.accounts.permissions import may
from tuopin.core.errors import ApplicationError
from tuopin.imports import services
from tuopin.imports.models import BatchStatus, ImportBatch
from tuopin.imports.parsing.layout import HEADERS
from tuopin.imports.parsing.write import write_rows
from tuopin.imports.selectors import batch_get, export_rows
from tuopin.jobs.models import Job
from tuopin.jobs.services import Outcome, Progress, exports_dir, job_run
from tuopin.registry import privacy
from tuopin.registry.selectors import HouseholdFilters


def _batch(job: Job) -> ImportBatch:
    if job.subject_id is None:
        raise ApplicationError("没有找到该导入批次（已删除或不在您的辖区内）")
    try:
        return batch_get(user=job.owner, pk=job.subject_id)
    except Http404 as missing:
        raise ApplicationError("没有找到该导入批次（已删除或不在您的辖区内）") from missing


def _validate(job: Job, progress: Progress) -> Outcome:
    batch = _batch(job)
    if batch.status not in (BatchStatus.UPLOADED, BatchStatus.VALIDATING):
        return Outcome(message="该批次已经校验过了")
    result = services.batch_validate(
        batch=batch, on_progress=lambda _stage, done, total: progress(done, total)
    )
    if result is None:
        batch.refresh_from_db()
        return Outcome(message=batch.file_error)
    return Outcome(message=f"校验完成：{result.rows_total} 行，{len(result.errors)} 处错误")


def _commit(job: Job, progress: Progress) -> Outcome:
    batch = _batch(job)
    summary = services.batch_commit(
        batch=batch,
        by=job.owner,
        commit_valid=bool(job.params.get("commit_valid")),
        on_progress=lambda _stage, done, total: progress(done, total),
    )
    if not summary.changed:
        return Outcome(message="文件内容与登记库完全一致，没有需要修改的数据")
    return Outcome(
        message=(
            f"已导入：新增 {summary.households_created} 户、修改 {summary.households_updated} 户；"
            f"新增 {summary.persons_created} 人、修改 {summary.persons_updated} 人、"
            f"移出 {summary.persons_removed} 人"
        )
    )


def _export(job: Job, progress: Progress) -> Outcome:
    filters = HouseholdFilters(**job.params["filters"])
    total = int(job.params.get("people", 0))
    target = exports_dir() / f"job-{job.pk}.xlsx"
    masked = not may(job.owner, "registry.export_personal_data")

    def rows():
        for done, row in enumerate(export_rows(user=job.owner, filters=filters, masked=masked), start=1):
            if done % 5000 == 0:
                progress(done, max(total, done))
            yield row

    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            count = write_rows(stream, HEADERS, rows())
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise
    progress(count, count)
    subject = " ".join(f"{key}={value}" for key, value in job.params["filters"].items() if value) or "全部"
    privacy.record_export(
        user=job.owner, what="农户人员名单（后台导出）", subject=subject[:500], rows=count, is_masked=masked
    )
    return Outcome(
        message=f"已导出 {count} 人",
        result={
            "file": target.name,
            "download_name": f"农户人员名单-{timezone.localdate():%Y%m%d}.xlsx",
            "rows": count,
        },
    )


def _batch_of(job: Job) -> ImportBatch | None:
    if job.subject_id is None:
        return None
    return ImportBatch.objects.filter(pk=job.subject_id).first()


@task()
def batch_validate_task(job_id: int) -> dict:
    return job_run(job_id, _validate, target_of=_batch_of)


@task()
def batch_commit_task(job_id: int) -> dict:
    return job_run(job_id, _commit, target_of=_batch_of)


@task()
def registry_export_task(job_id: int) -> dict:
    return job_run(job_id, _export)
