"""Import batches (the file as received, its validation result and per-row errors) and other departments'
lists (民政, 残联, 住建, 医保, 教育), each kept as received and matched to the registry by ID number."""

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuopin.core.errors import ApplicationError


class BatchStatus(models.TextChoices):
    UPLOADED = "uploaded", _("已上传")
    VALIDATING = "validating", _("校验中")
    VALIDATED = "validated", _("已校验")
    COMMITTING = "committing", _("写入中")
    COMMITTED = "committed", _("已导入")
    REJECTED = "rejected", _("文件无法导入")
    REFUSED = "refused", _("文件超出限制，已拒绝")
    FAILED = "failed", _("处理中断")
    DISCARDED = "discarded", _("已放弃")


IN_PROGRESS = (BatchStatus.UPLOADED, BatchStatus.VALIDATING, BatchStatus.COMMITTING)


class ImportBatch(models.Model):
    """One uploaded registry file. The file itself is the staging area: it is validated on upload and
    validated again inside the commit transaction, so what is written matches the registry as it is
    then (docs/adr/0010-import-staging.md). The file is kept on disk under ``UPLOAD_DIR`` (``file_path``,
    relative to it) until ``IMPORT_KEEP_DAYS`` have passed (docs/adr/0040-bounded-parsing.md)."""

    file_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("文件摘要"), max_length=64)
    file_path = models.CharField(_("存储位置"), max_length=255, blank=True)
    file_size = models.BigIntegerField(_("文件大小（字节）"), default=0)
    file_purged_at = models.DateTimeField(_("文件删除时间"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.UPLOADED
    )
    file_error = models.TextField(_("文件问题"), blank=True)
    progress_done = models.PositiveIntegerField(_("已处理行数"), default=0)
    progress_total = models.PositiveIntegerField(_("总行数"), default=0)
    rows_total = models.PositiveIntegerField(_("数据行数"), default=0)
    rows_valid = models.PositiveIntegerField(_("有效行数"), default=0)
    households_valid = models.PositiveIntegerField(_("可导入户数"), default=0)
    households_held = models.PositiveIntegerField(_("暂缓户数"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    unknown_columns = models.JSONField(_("未识别的列"), default=list, blank=True)
    households_created = models.PositiveIntegerField(_("新增户数"), default=0)
    households_updated = models.PositiveIntegerField(_("修改户数"), default=0)
    persons_created = models.PositiveIntegerField(_("新增人数"), default=0)
    persons_updated = models.PositiveIntegerField(_("修改人数"), default=0)
    persons_removed = models.PositiveIntegerField(_("移出人数"), default=0)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    validated_at = models.DateTimeField(_("校验时间"), null=True, blank=True)
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def path(self) -> Path | None:
        """The stored file, or None once it has been purged (or was never stored)."""
        if not self.file_path or self.file_purged_at is not None:
            return None
        return Path(settings.UPLOAD_DIR) / self.file_path

    @property
    def content(self) -> bytes:
        path = self.path
        if path is None or not path.exists():
            raise ApplicationError("该批次的文件已按保留期限删除，请重新上传")
        return path.read_bytes()

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0 if self.status in (BatchStatus.UPLOADED, BatchStatus.VALIDATING) else 100
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def is_finished(self) -> bool:
        return self.status not in IN_PROGRESS


class ImportRowError(models.Model):
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="row_errors")
    row = models.PositiveIntegerField(_("行号"))
    column = models.CharField(_("列"), max_length=100, blank=True)
    value = models.CharField(_("填写值"), max_length=200, blank=True)
    message = models.CharField(_("错误说明"), max_length=300)
    household_no = models.CharField(_("户编号"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("导入错误")
        verbose_name_plural = _("导入错误")
        ordering = ["batch", "row", "id"]
        indexes = [models.Index(fields=["batch", "row"], name="importrowerror_batch_row")]

    def __str__(self) -> str:
        return f"第{self.row}行 {self.column}：{self.message}"


class Department(models.TextChoices):
    CIVIL_AFFAIRS_DIBAO = "dibao", _("民政·低保")
    CIVIL_AFFAIRS_TEKUN = "tekun", _("民政·特困供养")
    DISABLED_FEDERATION = "disability", _("残联·残疾人证")
    HOUSING = "housing", _("住建·危房等级")
    MEDICAL_INSURANCE = "medical", _("医保·参保与自付")
    EDUCATION = "education", _("教育·在校学生")


class DepartmentList(models.Model):
    """One list as a department sent it: every row kept verbatim, versioned by the date it describes."""

    department = models.CharField(_("来源部门"), max_length=16, choices=Department.choices)
    as_of = models.DateField(_("数据日期"))
    file_name = models.CharField(_("文件名"), max_length=200)
    headers = models.JSONField(_("表头"), default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    record_count = models.PositiveIntegerField(_("记录数"), default=0)

    class Meta:
        verbose_name = _("部门名单")
        verbose_name_plural = _("部门名单")
        ordering = ["department", "-as_of", "-id"]

    def __str__(self) -> str:
        return f"{self.get_department_display()} {self.as_of:%Y-%m-%d}"


class MatchStatus(models.TextChoices):
    MATCHED = "matched", _("一致")
    CONFLICTING = "conflicting", _("不一致")
    UNMATCHED = "unmatched", _("登记库中无此人")
    STALE = "stale", _("已过时")
    INVALID = "invalid", _("证件号码无效")


class DepartmentRecord(models.Model):
    """One row of a department list. ``raw`` is the row as received (header → cell text); ``values`` holds the
    fields read from it; ``person`` is the registry person with the same ID number, if any."""

    source = models.ForeignKey(DepartmentList, on_delete=models.CASCADE, related_name="records")
    row = models.PositiveIntegerField(_("行号"))
    raw = models.JSONField(_("原始内容"))
    id_number = models.CharField(_("证件号码"), max_length=20, db_index=True)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    values = models.JSONField(_("部门数据"), default=dict)
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("登记人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("比对状态"), max_length=16, choices=MatchStatus.choices)
    differences = models.JSONField(_("差异"), default=list, blank=True)
    accepted_at = models.DateTimeField(_("采纳时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("采纳人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("部门名单记录")
        verbose_name_plural = _("部门名单记录")
        ordering = ["source", "row"]
        indexes = [models.Index(fields=["source", "status"], name="deptrecord_source_status")]

    def __str__(self) -> str:
        return f"{self.name} {self.id_number}"
