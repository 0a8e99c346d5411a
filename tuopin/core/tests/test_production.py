"""Production defaults: no built-in secret key, HTTPS settings by configuration, `check --deploy` clean, a
Content-Security-Policy without inline script, SQLite URL options, the Chinese CSRF page."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from config.env import local_trial_key

ROOT = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "TUOPIN_SECRET_KEY": "k7Qw-9vZr2LpXc4Tn8BsYh3JdFg6MaEuWq1RtKo5ViNl0PzSx-Hb2Ge8",
    "TUOPIN_ALLOWED_HOSTS": "tuopin.example.cn",
    "TUOPIN_CSRF_TRUSTED_ORIGINS": "https://tuopin.example.cn",
    "TUOPIN_SECURE_SSL_REDIRECT": "1",
    "TUOPIN_SECURE_COOKIES": "1",
    "TUOPIN_SECURE_HSTS_SECONDS": "31536000",
    "TUOPIN_SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "TUOPIN_SECURE_HSTS_PRELOAD": "1",
    "TUOPIN_SECURE_PROXY_SSL_HEADER": "1",
}


def _env(tmp_path, **extra) -> dict[str, str]:
    # a production process has no TUOPIN_* of the test run, nor the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TUOPIN_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.base", "TUOPIN_VAR_DIR": str(tmp_path), **extra})
    return env


def _run(args, env) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and project
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_check_deploy_passes_with_the_documented_production_settings(tmp_path):
    done = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _env(tmp_path, **PRODUCTION_ENV)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_a_start_without_a_secret_key_outside_debug_fails_with_a_message(tmp_path):
    serve = _run(
        ["-c", "import sys; sys.argv=['tuopin','serve']; from tuopin.cli import main; main()"], _env(tmp_path)
    )
    assert serve.returncode != 0
    assert "未设置 TUOPIN_SECRET_KEY" in serve.stderr
    assert "Traceback" not in serve.stderr
    assert not (tmp_path / "tuopin.sqlite3").exists()  # stopped before touching the database
    wsgi = _run(["-c", "import config.wsgi"], _env(tmp_path))
    assert wsgi.returncode != 0
    assert "未设置 TUOPIN_SECRET_KEY" in wsgi.stderr


def test_local_trial_generates_one_key_and_keeps_it(tmp_path):
    first = local_trial_key(tmp_path)
    assert len(first) >= 50
    assert local_trial_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    shown = _run(
        ["-c", "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"],
        _env(tmp_path, TUOPIN_LOCAL_TRIAL="1"),
    )
    assert shown.stdout.strip() == first


def test_a_sqlite_url_keeps_the_default_files_options(tmp_path):
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
    )
    default = _run(["-c", code], _env(tmp_path, TUOPIN_DEBUG="1"))
    url = _run(
        ["-c", code], _env(tmp_path, TUOPIN_DEBUG="1", TUOPIN_DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
    )
    assert default.returncode == 0, default.stderr
    assert url.stdout == default.stdout
    assert '"transaction_mode": "IMMEDIATE"' in url.stdout
    assert "journal_mode=WAL" in url.stdout


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_script(client):
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy


def test_no_template_has_inline_script_or_event_handlers():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    offenders = []
    for template in (ROOT / "tuopin").rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        if inline_script.search(text) or handler.search(text):
            offenders.append(str(template.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db
def test_the_csrf_failure_page_is_chinese():
    response = Client(enforce_csrf_checks=True).post(reverse("accounts:login"), {"username": "x"})
    assert response.status_code == 403
    assert "安全校验" in response.content.decode()
