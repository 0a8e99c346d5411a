from pathlib import Path

from config.settings.base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key-not-for-any-server-0123456789-abcdefghijklmnop"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEMO_ON_FIRST_START = False
AXES_ENABLED = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None  # type: ignore[assignment]  # tests serve static files from the finders
# Jobs run inside the request in tests (the real worker is exercised by tuopin/jobs/tests/test_worker.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

import tempfile  # noqa: E402

UPLOAD_DIR = Path(tempfile.mkdtemp(prefix="tuopin-test-uploads-"))
