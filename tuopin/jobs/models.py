"""Background jobs: who started which long piece of work, its state, its progress and its result.

The queue itself is django-tasks' database backend (``django_tasks_db.DBTaskResult``); a ``Job`` is the
application's record of one enqueued task: its owner (the task runs as that user), what it works on and what
the page shows (排队中 / 运行中 / 完成 / 失败, progress, the Chinese message, the result).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    IMPORT_VALIDATE = "import_validate", _("校验导入文件")
    IMPORT_COMMIT = "import_commit", _("写入导入数据")
    ASSESSMENT_RUN = "assessment_run", _("全县评估")
    WHAT_IF = "what_if", _("标准调整模拟")
    REGISTRY_EXPORT = "registry_export", _("导出农户人员名单")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("运行中")
    DONE = "done", _("完成")
    FAILED = "failed", _("失败")


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class JobQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE)

    def about(self, kinds, subject_id: int):
        return self.filter(kind__in=kinds, subject_id=subject_id)


class Job(models.Model):
    kind = models.CharField(_("任务"), max_length=32, choices=JobKind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    task_id = models.CharField(_("队列任务编号"), max_length=64, blank=True, db_index=True)
    subject_id = models.BigIntegerField(_("对象编号"), null=True, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    message = models.TextField(_("说明"), blank=True)
    progress_done = models.PositiveIntegerField(_("已完成"), default=0)
    progress_total = models.PositiveIntegerField(_("总量"), default=0)
    attempts = models.PositiveSmallIntegerField(_("运行次数"), default=0)
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "subject_id"], name="job_kind_subject")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_status_display()}）"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 100 if self.status == JobStatus.DONE else 0
        return min(100, round(100 * self.progress_done / self.progress_total))
