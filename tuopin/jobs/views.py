"""Job status (HTMX-polled partial) and downloads of the files export jobs wrote; owner only."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tuopin.jobs.models import JobStatus
from tuopin.jobs.selectors import jobs_for
from tuopin.jobs.services import exports_dir


@require_GET
def job_status(request, pk: int):
    job = get_object_or_404(jobs_for(request.user), pk=pk)
    return TemplateResponse(request, "jobs/_job.html", {"job": job})


@require_GET
def job_download(request, pk: int):
    job = get_object_or_404(jobs_for(request.user), pk=pk)
    name = job.result.get("file", "")
    path = exports_dir() / name
    if job.status != JobStatus.DONE or not name or "/" in name or not path.is_file():
        raise Http404(_("文件不存在或已被清理"))
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.result.get("download_name", name))
