"""Uploaded files on disk: storing them with the size limit enforced while copying, reading them through the
bounded parser, purging them after the keeping period, and ending batches orphaned by a crashed run
(docs/adr/0040-bounded-parsing.md)."""

import datetime
import hashlib
import os
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tuopin.core.errors import ApplicationError
from tuopin.imports.models import BatchStatus, ImportBatch
from tuopin.imports.parsing.guard import MB, Limits, read_bounded
from tuopin.imports.parsing.reader import Table

COPY_CHUNK = 1 << 20


def limits() -> Limits:
    return Limits(
        max_upload_bytes=settings.IMPORT_MAX_UPLOAD_MB * MB,
        max_members=settings.IMPORT_MAX_ARCHIVE_MEMBERS,
        max_uncompressed_bytes=settings.IMPORT_MAX_UNCOMPRESSED_MB * MB,
        max_ratio=settings.IMPORT_MAX_COMPRESSION_RATIO,
        max_rows=settings.IMPORT_MAX_ROWS,
        max_columns=settings.IMPORT_MAX_COLUMNS,
        max_cells=settings.IMPORT_MAX_CELLS,
        memory_bytes=settings.IMPORT_PARSE_MEMORY_MB * MB,
        timeout_seconds=settings.IMPORT_PARSE_TIMEOUT_SECONDS,
    )


def upload_dir() -> Path:
    path = Path(settings.UPLOAD_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class StoredFile:
    relative_path: str
    size: int
    sha256: str


def _chunks_of(source: bytes | Iterable[bytes]) -> Iterable[bytes]:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        for start in range(0, len(data), COPY_CHUNK):
            yield data[start : start + COPY_CHUNK]
        return
    yield from source


def store_upload(source: bytes | Iterable[bytes], file_name: str) -> StoredFile:
    """Copy ``source`` (bytes, or chunks such as ``UploadedFile.chunks()``) to a new file under UPLOAD_DIR,
    counting and hashing as it goes; past ``IMPORT_MAX_UPLOAD_MB`` the copy stops and nothing is kept."""
    limit = settings.IMPORT_MAX_UPLOAD_MB * MB
    suffix = Path(file_name).suffix.lower()[:8] if Path(file_name).suffix.isascii() else ""
    today = timezone.localdate()
    relative = f"{today:%Y/%m}/{uuid.uuid4().hex}{suffix}"
    target = upload_dir() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in _chunks_of(source):
                size += len(chunk)
                if size > limit:
                    raise ApplicationError(
                        f"文件超过 {settings.IMPORT_MAX_UPLOAD_MB} MB 的上限，请分批导入", field="file"
                    )
                digest.update(chunk)
                out.write(chunk)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return StoredFile(relative, size, digest.hexdigest())


def read_stored(batch: ImportBatch) -> Table:
    """The batch's file read by the bounded parser (``FileRefusedError`` / ``UnreadableFileError``)."""
    path = batch.path
    if path is None or not path.exists():
        raise ApplicationError("该批次的文件已按保留期限删除，请重新上传")
    return read_bounded(path, batch.file_name, limits())


def read_upload(content: bytes, file_name: str) -> Table:
    """Bytes not kept as a batch (a department list): written to a temporary file, read bounded, removed."""
    if len(content) > settings.IMPORT_MAX_UPLOAD_MB * MB:
        raise ApplicationError(
            f"文件超过 {settings.IMPORT_MAX_UPLOAD_MB} MB 的上限，请分批导入", field="file"
        )
    handle, temporary = tempfile.mkstemp(dir=upload_dir(), prefix=".read-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        return read_bounded(temporary, file_name, limits())
    finally:
        Path(temporary).unlink(missing_ok=True)


# --- keeping period and orphans --------------------------------------------------------------------------


def uploads_purge(*, now: datetime.datetime | None = None, keep_days: int | None = None) -> int:
    """Delete the files of batches older than the keeping period; the batch rows (and their reports'
    figures) stay. Returns the number of files deleted."""
    now = now or timezone.now()
    days = settings.IMPORT_KEEP_DAYS if keep_days is None else keep_days
    cutoff = now - datetime.timedelta(days=days)
    expired = ImportBatch.objects.filter(created_at__lt=cutoff, file_purged_at__isnull=True).exclude(
        file_path=""
    )
    count = 0
    for batch in expired.exclude(status__in=(BatchStatus.VALIDATING, BatchStatus.COMMITTING)):
        (Path(settings.UPLOAD_DIR) / batch.file_path).unlink(missing_ok=True)
        ImportBatch.objects.filter(pk=batch.pk).update(file_purged_at=now)
        count += 1
    return count


@transaction.atomic
def batches_fail_orphaned(*, now: datetime.datetime | None = None, minutes: int | None = None) -> int:
    """Batches left "uploaded", "validating" or "committing" by a run that crashed (older than
    ``IMPORT_ORPHAN_MINUTES`` with no progress since) end as failed, with the reason. Run at start-up, when
    no worker can still be working on them."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=settings.IMPORT_ORPHAN_MINUTES if minutes is None else minutes)
    return ImportBatch.objects.filter(
        status__in=(BatchStatus.UPLOADED, BatchStatus.VALIDATING, BatchStatus.COMMITTING),
        created_at__lt=cutoff,
    ).update(
        status=BatchStatus.FAILED,
        file_error="处理过程中断（服务重启或出错），未写入任何数据；请重新上传该文件",
    )
