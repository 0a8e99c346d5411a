"""Starting, running and recovering background jobs (docs/adr/0045-background-tasks.md).

* ``job_enqueue`` records a ``Job`` and puts its task on the queue in one transaction.
* ``job_run`` is the body every task calls: it loads the job, re-checks the owner's permission, marks the job
  running, runs the work with a progress callback and stores the outcome. A refusal (``ApplicationError``)
  fails the job with its Chinese message; any other error fails it with a short message and is re-raised so
  the queue keeps the traceback.
* ``jobs_recover`` runs when a worker starts: a task that was running when the worker died is put back on the
  queue (the work of every job kind is one transaction or writes its file by rename, so running it again is
  safe), at most ``MAX_ATTEMPTS`` times in all; after that it is failed, never left running.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tuopin.accounts.models import User
from tuopin.accounts.permissions import require
from tuopin.core.errors import ApplicationError
from tuopin.jobs.models import Job, JobKind, JobStatus

MAX_ATTEMPTS = 3
Progress = Callable[[int, int], None]


@dataclass
class Outcome:
    """What a job's work returns: JSON-able ``result`` for the page and a Chinese ``message``."""

    message: str = ""
    result: dict[str, Any] = field(default_factory=dict)


def exports_dir() -> Path:
    """Where export jobs write their files (``VAR_DIR/exports``)."""
    path = Path(settings.VAR_DIR) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def job_enqueue(
    *,
    kind: JobKind,
    owner: User,
    task,
    permission: str,
    subject_id: int | None = None,
    params=None,
    target: Any = None,
) -> Job:
    """Record a job for ``owner`` and enqueue ``task(job_id)``. ``permission`` is checked now (on ``target``,
    e.g. the import batch) and again when the task runs. With the immediate backend (tests) the work has
    already run when this returns."""
    require(owner, permission, target)
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind, owner=owner, subject_id=subject_id, params={"permission": permission, **(params or {})}
        )
        queued = task.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(queued.id))
    job.refresh_from_db()
    return job


def job_run(
    job_id: int, work: Callable[[Job, Progress], Outcome], *, target_of: Callable[[Job], Any] | None = None
) -> dict[str, Any]:
    """Run ``work`` for job ``job_id`` as its owner (permission re-checked on ``target_of(job)``, e.g. the
    import batch); the outcome is stored on the job and returned."""
    job = Job.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or not job.is_active:
        return {}  # delivered again after it finished, or deleted: nothing to do
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
    )

    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job.pk).update(progress_done=done, progress_total=total)

    try:
        require(job.owner, job.params["permission"], target_of(job) if target_of else None)
        outcome = work(job, progress)
    except ApplicationError as error:
        _finish(job, JobStatus.FAILED, message=error.message)
        return {"error": error.message}
    except Exception as error:
        _finish(job, JobStatus.FAILED, message=f"后台任务出错（{type(error).__name__}），请联系管理员")
        raise
    _finish(job, JobStatus.DONE, message=outcome.message, result=outcome.result)
    return outcome.result


def _finish(job: Job, status: JobStatus, *, message: str, result: dict | None = None) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status, message=message, result=result or {}, finished_at=timezone.now()
    )


@transaction.atomic
def jobs_recover(*, max_attempts: int = MAX_ATTEMPTS) -> tuple[int, int]:
    """Put the tasks left running by a worker that died back on the queue, or fail those that already ran
    ``max_attempts`` times. Call it only when no other worker runs on this database. Returns (requeued,
    failed)."""
    requeued = failed = 0
    for task in DBTaskResult.objects.running().select_for_update():
        job = Job.objects.filter(task_id=str(task.id)).first()
        attempts = max(len(task.worker_ids), job.attempts if job else 0)
        if attempts < max_attempts:
            task.status = TaskResultStatus.READY
            task.save(update_fields=["status"])
            Job.objects.filter(task_id=str(task.id)).update(status=JobStatus.QUEUED)
            requeued += 1
            continue
        task.set_failed(RuntimeError(f"worker stopped while running; {attempts} attempts"))
        Job.objects.filter(task_id=str(task.id)).update(
            status=JobStatus.FAILED,
            message=f"服务在任务运行中停止，已运行 {attempts} 次仍未完成，请重新发起",
            finished_at=timezone.now(),
        )
        failed += 1
    return requeued, failed
