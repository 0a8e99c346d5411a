"""Django settings for tuopin. Production differences come only from TUOPIN_* environment variables."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, env_bool, env_int, env_list, env_str, local_trial_key

DEBUG = env_bool("DEBUG", default=False)
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
# No key is built in (docs/adr/0043-production-defaults.md): outside debug a missing TUOPIN_SECRET_KEY stops
# `tuopin serve` and the WSGI application with a message. `tuopin serve --demo` (local trial) generates a key
# once and keeps it in VAR_DIR/secret_key.
SECRET_KEY = env_str("SECRET_KEY") or (
    "insecure-development-key-only-with-TUOPIN_DEBUG"
    if DEBUG
    else (local_trial_key(VAR_DIR) if env_bool("LOCAL_TRIAL") else "")
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# HTTPS behind a proxy (all off by default so that http://127.0.0.1 works; docs/deployment.md).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SECURE_PROXY_SSL_HEADER") else None
SECURE_REFERRER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "tuopin.core.views.csrf_failure"
# Content-Security-Policy (django-csp): scripts only from this site, no inline script; inline style attributes
# are allowed (templates use a few), nothing else from outside.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "rules",
    "django_htmx",
    "csp",
    "template_partials",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "tuopin.core",
    "tuopin.api",
    "tuopin.regions",
    "tuopin.accounts",
    "tuopin.jobs",
    "tuopin.registry",
    "tuopin.policy",
    "tuopin.assessment",
    "tuopin.monitoring",
    "tuopin.projects",
    "tuopin.assistance",
    "tuopin.supervision",
    "tuopin.reports",
    "tuopin.dashboards",
    "tuopin.imports",
    "tuopin.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tuopin.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tuopin.accounts.middleware.LoginRequiredMiddleware",
    "tuopin.accounts.middleware.PasswordChangeRequiredMiddleware",
    "tuopin.accounts.middleware.PersonalDataNoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tuopin" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tuopin.accounts.context_processors.permissions",
            ],
        },
    },
]

# SQLite, from the default file or a sqlite:/// URL, always runs with WAL, IMMEDIATE transactions and a busy
# timeout, so a web import and a household edit wait for each other instead of failing "database is locked".
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "tuopin.sqlite3"),
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "tuopin.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "reports:overview"
LOGOUT_REDIRECT_URL = "accounts:login"

# Failures count per username + address together: five wrong passwords for one account from one address lock
# only that combination, and a successful login resets only its own combination (docs/adr/0033).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure kept for review (/accounts/login-failures/)
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 1000

REST_FRAMEWORK = {
    # Token first: an unauthenticated request gets 401 with ``WWW-Authenticate: Token``.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "tuopin.api.pagination.Pagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tuopin.api.errors.api_exception_handler",
    "UNICODE_JSON": True,
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "tuopin 数据接口",
    "DESCRIPTION": "农户、人员、评估结果和项目的只读接口；与页面使用同一权限模块和辖区范围。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tuopin.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "PovertyStatusEnum": "tuopin.registry.models.PovertyStatus",
        "ProjectStatusEnum": "tuopin.projects.models.ProjectStatus",
        "StatusFilterEnum": "tuopin.registry.apis.STATUS_FILTERS",
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "tuopin" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "tuopin" / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
X_FRAME_OPTIONS = "DENY"

# The demo county (嵩明县) is built only when asked for: `tuopin serve --demo` or `tuopin demo` (or this on).
DEMO_ON_FIRST_START = env_bool("DEMO_ON_FIRST_START", default=False)

# 纳入 and 返贫: the village notice (公示) lasts at least this many days (两公示一公告: usually 5 days).
_notice_days = env_str("PROCEDURE_NOTICE_DAYS", "5")
PROCEDURE_NOTICE_DAYS = max(1, int(_notice_days)) if _notice_days.isdigit() else 5
# Assistance (挂包帮 / 转走访) and supervision: working rules as settings (docs/adr/0061).
ASSISTANCE_MAX_HOUSEHOLDS_PER_CADRE = int(env_str("ASSISTANCE_MAX_HOUSEHOLDS_PER_CADRE", "5"))
ASSISTANCE_VISIT_PERIOD_DAYS = int(env_str("ASSISTANCE_VISIT_PERIOD_DAYS", "90"))
ASSISTANCE_MONITORED_VISIT_PERIOD_DAYS = int(env_str("ASSISTANCE_MONITORED_VISIT_PERIOD_DAYS", "30"))
ASSISTANCE_TEAM_DAYS_PER_MONTH = int(env_str("ASSISTANCE_TEAM_DAYS_PER_MONTH", "20"))
ASSISTANCE_PHOTO_MAX_BYTES = 5 * 1024 * 1024
SUPERVISION_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024

# Background work (docs/adr/0045): jobs are queued in the database and run by `tuopin worker`, which
# `tuopin serve` starts with the web server. Sizes above which a page hands its work to the worker:
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
WHAT_IF_SYNC_HOUSEHOLDS = int(env_str("WHAT_IF_SYNC_HOUSEHOLDS", "5000"))
EXPORT_SYNC_PEOPLE = int(env_str("EXPORT_SYNC_PEOPLE", "20000"))

# Imports (docs/adr/0040-bounded-parsing.md): every file is measured against these before it is parsed, and
# parsed in a child process with a memory limit. Uploaded files are kept under VAR_DIR/uploads for
# IMPORT_KEEP_DAYS days (then `tuopin purge_uploads`, also run by `tuopin serve`, deletes them).
IMPORT_MAX_UPLOAD_MB = env_int("IMPORT_MAX_UPLOAD_MB", 200)
IMPORT_MAX_ARCHIVE_MEMBERS = env_int("IMPORT_MAX_ARCHIVE_MEMBERS", 1000)
IMPORT_MAX_UNCOMPRESSED_MB = env_int("IMPORT_MAX_UNCOMPRESSED_MB", 1024)
IMPORT_MAX_COMPRESSION_RATIO = env_int("IMPORT_MAX_COMPRESSION_RATIO", 200)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 500_000)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 200)
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", 40_000_000)
IMPORT_PARSE_MEMORY_MB = env_int("IMPORT_PARSE_MEMORY_MB", 3072)
IMPORT_PARSE_TIMEOUT_SECONDS = env_int("IMPORT_PARSE_TIMEOUT_SECONDS", 600)
IMPORT_MAX_STORED_ERRORS = env_int("IMPORT_MAX_STORED_ERRORS", 1000)
IMPORT_KEEP_DAYS = env_int("IMPORT_KEEP_DAYS", 30)
IMPORT_ORPHAN_MINUTES = env_int("IMPORT_ORPHAN_MINUTES", 30)
UPLOAD_DIR = VAR_DIR / "uploads"
FILE_UPLOAD_HANDLERS = [
    "tuopin.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]


# Monitoring runs (docs/adr/0110-parallel-trigger-evaluation.md): a year with at least MONITOR_PARALLEL_FROM
# households is evaluated in parts on MONITOR_WORKERS database connections side by side (default: the number
# of cores, at most 8); 1 evaluates in one statement.
MONITOR_WORKERS = max(1, min(env_int("MONITOR_WORKERS", os.cpu_count() or 1), 8))
MONITOR_PARALLEL_FROM = env_int("MONITOR_PARALLEL_FROM", 100_000)


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
