"""Pages for the registry's data in and out: upload with progress, the validation report, commit, downloads,
exports."""

import io
from dataclasses import asdict

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tuopin.accounts.permissions import may, refusal
from tuopin.core.errors import ApplicationError, PermissionDeniedError
from tuopin.core.inputs import query_int
from tuopin.core.xlsx import xlsx_response
from tuopin.imports import services
from tuopin.imports.models import BatchStatus
from tuopin.imports.parsing.layout import HEADERS
from tuopin.imports.parsing.write import write_rows
from tuopin.imports.selectors import batch_get, batches_for, export_rows, export_size
from tuopin.imports.tasks import batch_commit_task, batch_validate_task, registry_export_task
from tuopin.jobs.models import JobKind, JobStatus
from tuopin.jobs.selectors import jobs_for, latest_job
from tuopin.jobs.services import job_enqueue
from tuopin.registry import privacy
from tuopin.registry.selectors import HouseholdFilters

ERRORS_SHOWN = 500


def _may_import(user) -> bool:
    return may(user, "imports.upload_batch")


def import_home(request):
    context = {
        "may_import": _may_import(request.user),
        "batches": batches_for(request.user)[:20],
        "year": timezone.localdate().year,
    }
    return TemplateResponse(request, "imports/home.html", context)


@require_POST
def batch_upload(request):
    upload = request.FILES.get("file")
    refused = getattr(request, "upload_refused", "")
    if refused or upload is None:
        messages.error(request, refused or "请选择要导入的文件（.xlsx 或 .csv）")
        return redirect("imports:home")
    try:
        batch = services.batch_create(user=request.user, file_name=upload.name, chunks=upload.chunks())
    except PermissionDeniedError as error:
        raise PermissionDenied(error.message) from error
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("imports:home")
    return redirect("imports:batch", pk=batch.pk)


IMPORT_JOBS = (JobKind.IMPORT_VALIDATE, JobKind.IMPORT_COMMIT)


def _report_context(request, batch) -> dict:
    errors = list(batch.row_errors.all()[:ERRORS_SHOWN])
    job = latest_job(kinds=IMPORT_JOBS, subject_id=batch.pk)
    return {
        "batch": batch,
        "job": job,
        "errors": errors,
        "more_errors": max(0, batch.error_count - len(errors)),
        "stored_errors": settings.IMPORT_MAX_STORED_ERRORS,
        "stored_cap_reached": batch.error_count > settings.IMPORT_MAX_STORED_ERRORS,
        "may_import": _may_import(request.user),
        "can_commit": batch.status == BatchStatus.VALIDATED
        and batch.households_valid > 0
        and not (job and job.is_active),
    }


def batch_detail(request, pk: int):
    batch = batch_get(user=request.user, pk=pk)
    return TemplateResponse(request, "imports/batch.html", _report_context(request, batch))


@require_POST
def batch_run(request, pk: int):
    """Queue the validation (posted by the page itself once it is shown); answers the progress, which the page
    then polls until the worker has finished."""
    batch = batch_get(user=request.user, pk=pk)
    job = latest_job(kinds=IMPORT_JOBS, subject_id=batch.pk)
    if batch.status in (BatchStatus.UPLOADED, BatchStatus.VALIDATING) and not (job and job.is_active):
        try:
            job_enqueue(
                kind=JobKind.IMPORT_VALIDATE,
                owner=request.user,
                task=batch_validate_task,
                permission="imports.commit_batch",
                subject_id=batch.pk,
                target=batch,
            )
        except PermissionDeniedError as error:
            raise PermissionDenied(error.message) from error
        batch.refresh_from_db()
    return TemplateResponse(request, "imports/_state.html", _report_context(request, batch))


@require_GET
def batch_progress(request, pk: int):
    batch = batch_get(user=request.user, pk=pk)
    return TemplateResponse(request, "imports/_state.html", _report_context(request, batch))


@require_POST
def batch_commit(request, pk: int):
    """Queue the commit; the batch page shows it running and then its result."""
    batch = batch_get(user=request.user, pk=pk)
    current = latest_job(kinds=IMPORT_JOBS, subject_id=batch.pk)
    if current and current.is_active:
        messages.info(request, "该批次正在后台处理，请稍候")
        return redirect("imports:batch", pk=batch.pk)
    try:
        job = job_enqueue(
            kind=JobKind.IMPORT_COMMIT,
            owner=request.user,
            task=batch_commit_task,
            permission="imports.commit_batch",
            subject_id=batch.pk,
            target=batch,
            params={"commit_valid": request.POST.get("commit_valid") == "1"},
        )
    except PermissionDeniedError as error:
        raise PermissionDenied(error.message) from error
    if job.status == JobStatus.DONE:
        messages.success(request, job.message)
    elif job.status == JobStatus.FAILED:
        messages.error(request, job.message)
    else:
        messages.info(request, "已开始在后台写入登记库，完成后本页显示结果")
    return redirect("imports:batch", pk=batch.pk)


@require_POST
def batch_discard(request, pk: int):
    batch = batch_get(user=request.user, pk=pk)
    try:
        services.batch_discard(batch=batch, by=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("imports:home")


@require_GET
def batch_report(request, pk: int):
    batch = batch_get(user=request.user, pk=pk)
    if batch.status in (BatchStatus.REJECTED, BatchStatus.REFUSED, BatchStatus.FAILED):
        messages.error(request, batch.file_error)
        return redirect("imports:batch", pk=batch.pk)
    content = services.report_workbook(batch)
    privacy.record_export(
        user=request.user,
        what="导入校验报告",
        subject=f"批次 {batch.pk} {batch.file_name}"[:500],
        rows=batch.rows_total,
        is_masked=False,
    )
    return xlsx_response(content, f"校验报告-{batch.file_name.rsplit('.', 1)[0]}.xlsx")


@require_GET
def template_download(request):
    year = query_int(request, "year") or timezone.localdate().year
    return xlsx_response(services.template_workbook(year=year), f"登记数据导入模板-{year}.xlsx")


@require_GET
def registry_export(request):
    """The household list as shown (same filters as the list page), every member a row, in the import layout.
    Up to ``EXPORT_SYNC_PEOPLE`` people are written in the request; a larger list is exported by the worker
    and the page links the file when it is ready."""
    if not may(request.user, "imports.export_registry"):
        raise PermissionDenied(refusal("imports.export_registry"))
    filters = HouseholdFilters(
        region_id=query_int(request, "region"),
        status=request.GET.get("status", "")[:20],
        cause=request.GET.get("cause", "")[:20],
        attribute=request.GET.get("attribute", "")[:20],
        query=request.GET.get("q", "")[:50],
        planned_exit_year=query_int(request, "planned"),
    )
    people = export_size(user=request.user, filters=filters)
    if people > settings.EXPORT_SYNC_PEOPLE:
        try:
            job = job_enqueue(
                kind=JobKind.REGISTRY_EXPORT,
                owner=request.user,
                task=registry_export_task,
                permission="imports.export_registry",
                params={"filters": asdict(filters), "people": people},
            )
        except PermissionDeniedError as error:
            raise PermissionDenied(error.message) from error
        return redirect("imports:export_job", pk=job.pk)
    masked = not may(request.user, "registry.export_personal_data")
    stream = io.BytesIO()
    count = write_rows(stream, HEADERS, export_rows(user=request.user, filters=filters, masked=masked))
    privacy.record_export(
        user=request.user,
        what="农户人员名单",
        subject=" ".join(f"{key}={value}" for key, value in request.GET.items() if value) or "全部",
        rows=count,
        is_masked=masked,
    )
    return xlsx_response(stream.getvalue(), f"农户人员名单-{timezone.localdate():%Y%m%d}.xlsx")


@require_GET
def export_job(request, pk: int):
    """The page of one large export: queued, running, then the download link (the owner only)."""
    job = get_object_or_404(jobs_for(request.user).filter(kind=JobKind.REGISTRY_EXPORT), pk=pk)
    return TemplateResponse(request, "imports/export_job.html", {"job": job})
