"""Pages of the imports app: the registry's data in and out (``batches``) and other departments' lists
(``departments``)."""

from tuopin.imports.views.batches import (
    batch_commit,
    batch_detail,
    batch_discard,
    batch_progress,
    batch_report,
    batch_run,
    batch_upload,
    export_job,
    import_home,
    registry_export,
    template_download,
)
from tuopin.imports.views.departments import (
    department_accept,
    department_differences_export,
    department_differences_view,
    department_upload,
    department_withdraw,
    departments_home,
    renovation_export,
    renovation_view,
)

__all__ = [
    "batch_commit",
    "batch_detail",
    "batch_discard",
    "batch_progress",
    "batch_report",
    "batch_run",
    "batch_upload",
    "department_accept",
    "department_differences_export",
    "department_differences_view",
    "department_upload",
    "department_withdraw",
    "departments_home",
    "export_job",
    "import_home",
    "registry_export",
    "renovation_export",
    "renovation_view",
    "template_download",
]
