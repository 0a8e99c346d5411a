"""The upload size limit, enforced while the request body is read (docs/adr/0040-bounded-parsing.md).

``LimitedUploadHandler`` comes first in ``FILE_UPLOAD_HANDLERS``: it refuses a request whose declared length
is over ``IMPORT_MAX_UPLOAD_MB`` before reading it, and stops reading once more bytes than that have arrived
(a client may send no or a false Content-Length). The refusal is left on the request as
``request.upload_refused`` (Chinese text) for the view to show; the file never reaches ``request.FILES``.
The next handler (``TemporaryFileUploadHandler``) streams what is accepted to disk, never into memory.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

MB = 1024 * 1024
REFUSED = "upload_refused"  # the request attribute the view reads the refusal from


def upload_limit_bytes() -> int:
    return settings.IMPORT_MAX_UPLOAD_MB * MB


def refusal_message() -> str:
    return f"文件超过 {settings.IMPORT_MAX_UPLOAD_MB} MB 的上限，未上传；请分批导入"


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        self.limit = upload_limit_bytes()
        self.declared_too_large = False

    def _refuse(self) -> None:
        if self.request is not None:
            setattr(self.request, REFUSED, refusal_message())

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):  # noqa: N803
        # The multipart envelope adds a little to the file; allow 1 MB for it. The form fields before the file
        # (the CSRF token) are still read; the file's first chunk is refused.
        self.declared_too_large = bool(content_length and content_length > self.limit + MB)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.declared_too_large or self.received > self.limit:
            self._refuse()
            # The rest of the body is read and discarded (never stored), so the browser gets the answer;
            # a body far over the limit is not read at all.
            raise StopUpload(connection_reset=self.declared_too_large and self._far_over())
        return raw_data

    def _far_over(self) -> bool:
        length = int(self.request.META.get("CONTENT_LENGTH") or 0) if self.request is not None else 0
        return length > 2 * self.limit

    def file_complete(self, file_size):
        return None
