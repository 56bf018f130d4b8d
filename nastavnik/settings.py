"""Settings for «Наставник», filled from environment variables with a SQLite default."""

import datetime
import ipaddress
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_secret(name: str, default: str = "") -> str:
    # Secrets may come as NAME_FILE (docker/systemd credentials) so they stay out of the env.
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_secret("SECRET_KEY") or (
    "dev-only-insecure-key" if DEBUG or env_bool("NASTAVNIK_TESTING") else ""
)
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY is required when DEBUG is off")
# Who hosts the system on the operator's behalf (ст. 6 ч. 3 152-ФЗ), named in the processing
# consent; empty — the operator (the school) runs it itself.
PERSONAL_DATA_PROCESSOR = env_str("PERSONAL_DATA_PROCESSOR")
ALLOWED_HOSTS = [h.strip() for h in env_str("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env_str("CSRF_TRUSTED_ORIGINS").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "apps.orgs",
    "apps.jobs",
    "apps.people",
    "apps.surveys",
    "apps.banks",
    "apps.programs",
    "apps.matching",
    "apps.documents",
    "apps.payroll",
    "apps.roadmap",
    "apps.notifications",
    "apps.events",
    "apps.library",
    "apps.monitoring",
    "apps.maxbot",
    "apps.publicity",
    "apps.api",
    "apps.ops",
    "apps.overview",
    "apps.demo",
    "apps.audit",
    "django.contrib.sitemaps",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "apps.ops.middleware.RequestIdMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous visitors of the cached public pages are answered here, before sessions & co.
    "apps.publicity.middleware.CachedPublicPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.ops.middleware.StaffIdleTimeoutMiddleware",
    "apps.ops.middleware.PrivateCacheMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "apps.orgs.twofactor.TwoFactorMiddleware",
    "apps.audit.context.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Refuses an oversized body by its Content-Length before anything reads it (413).
    "apps.orgs.errors.RequestSizeMiddleware",
    # Last: turns a lockout raised during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nastavnik.urls"
WSGI_APPLICATION = "nastavnik.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.orgs.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections: opening one per request costs more than serving a cached page.
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0 if env_bool("NASTAVNIK_TESTING") else 600),
        # A kept connection is checked before reuse: a database restart costs no failed request.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while a writer (an import, the worker) holds the lock.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FORMAT_MODULE_PATH = ["nastavnik.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("NASTAVNIK_TESTING")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Media on S3-compatible object storage (MinIO, Yandex Object Storage, …) instead of MEDIA_ROOT:
# files stay private (signed links are never handed out: the app reads and serves them).
if env_str("MEDIA_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("MEDIA_S3_BUCKET"),
            "endpoint_url": env_str("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": env_str("MEDIA_S3_REGION") or None,
            "access_key": env_secret("MEDIA_S3_ACCESS_KEY"),
            "secret_key": env_secret("MEDIA_S3_SECRET_KEY"),
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
# Serve static files straight from the app folders in development and tests (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG or env_bool("NASTAVNIK_TESTING")
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# Uploads: staff files and consent scans. Bigger bodies are refused before a view runs.
# Form fields and JSON bodies (files not counted): no form or API body needs more than 2.5 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024 // 2
# A file above this goes to a temporary file instead of the worker's memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024 // 2
STAFF_IMPORT_MAX_BYTES = env_int("STAFF_IMPORT_MAX_BYTES", 8 * 1024 * 1024)
STAFF_IMPORT_MAX_ROWS = env_int("STAFF_IMPORT_MAX_ROWS", 20000)
CONSENT_SCAN_MAX_BYTES = env_int("CONSENT_SCAN_MAX_BYTES", 10 * 1024 * 1024)
# One scanned PDF of many signed consents, split by person on the bulk page.
CONSENT_BULK_SCAN_MAX_BYTES = env_int("CONSENT_BULK_SCAN_MAX_BYTES", 100 * 1024 * 1024)
# Electronic consents: the personal link's life, the one-time code's life and attempts.
CONSENT_LINK_DAYS = env_int("CONSENT_LINK_DAYS", 30)
CONSENT_CODE_MINUTES = env_int("CONSENT_CODE_MINUTES", 10)
CONSENT_CODE_ATTEMPTS = env_int("CONSENT_CODE_ATTEMPTS", 5)
CONSENT_CODES_PER_LINK = env_int("CONSENT_CODES_PER_LINK", 5)
# A personal survey link opens until the survey's deadline plus this many days (to look back at
# what one sent); after that it answers «срок действия ссылки истёк» (410).
SURVEY_LINK_DAYS_AFTER_DEADLINE = env_int("SURVEY_LINK_DAYS_AFTER_DEADLINE", 14)
LIBRARY_MAX_BYTES = env_int("LIBRARY_MAX_BYTES", 20 * 1024 * 1024)
# News photos: bigger files are refused; bigger pictures are shrunk to 1600 px and re-encoded.
PUBLICITY_IMAGE_MAX_BYTES = env_int("PUBLICITY_IMAGE_MAX_BYTES", 10 * 1024 * 1024)
PUBLICITY_IMAGE_MAX_PIXELS = env_int("PUBLICITY_IMAGE_MAX_PIXELS", 40_000_000)
# Public pages are cached per page and invalidated on change; this bounds derived figures.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 600)
# Secret calendar (iCal) links of people and schools stop working this long after issue.
CALENDAR_LINK_DAYS = env_int("CALENDAR_LINK_DAYS", 180)
# Social networks: API addresses are settings so tests and staging talk to local stubs.
SOCIAL_API_URLS = {
    "vk": env_str("SOCIAL_VK_URL", "https://api.vk.com/method"),
    "ok": env_str("SOCIAL_OK_URL", "https://api.ok.ru/fb.do"),
    "telegram": env_str("SOCIAL_TELEGRAM_URL", "https://api.telegram.org"),
    # A school's MAX channel goes through the same Bot API as the notifications bot.
    "max": env_str("SOCIAL_MAX_URL", env_str("MAX_API_URL", "https://platform-api2.max.ru")),
}
SOCIAL_TIMEOUT_SECONDS = env_int("SOCIAL_TIMEOUT_SECONDS", 20)
SOCIAL_MAX_ATTEMPTS = env_int("SOCIAL_MAX_ATTEMPTS", 5)
SOCIAL_RETRY_BASE_SECONDS = env_int("SOCIAL_RETRY_BASE_SECONDS", 60)
# The MAX bot that sends notifications (docs/max.md). No token: the MAX channel is off. The demo
# points MAX_API_URL at the local stub (`manage.py max_stub`), and the pages say so.
MAX_API_URL = env_str("MAX_API_URL", "https://platform-api2.max.ru")
MAX_BOT_TOKEN = env_secret("MAX_BOT_TOKEN")
MAX_BOT_NAME = env_str("MAX_BOT_NAME", "Наставник")
MAX_BOT_URL = env_str("MAX_BOT_URL")  # e.g. https://max.ru/<bot>, shown on the profile page
MAX_WEBHOOK_SECRET = env_secret("MAX_WEBHOOK_SECRET")
MAX_REQUESTS_PER_SECOND = env_int("MAX_REQUESTS_PER_SECOND", 30)
MAX_MESSAGES_PER_CHAT_PER_SECOND = env_int("MAX_MESSAGES_PER_CHAT_PER_SECOND", 2)
MAX_TIMEOUT_SECONDS = env_int("MAX_TIMEOUT_SECONDS", 15)
MAX_LINK_CODE_MINUTES = env_int("MAX_LINK_CODE_MINUTES", 10)
# A cache shared by the web processes and the management commands (monitoring summaries):
# files on the same server by default; tests keep it in memory.
# Several application servers on one database share a Redis cache (REDIS_URL).
REDIS_URL = env_str("REDIS_URL")
if env_bool("NASTAVNIK_TESTING"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("CACHE_DIR", str(BASE_DIR / ".cache")),
        }
    }
# Monitoring dashboards are kept this long (0 — always computed; tests use 0).
MONITORING_CACHE_SECONDS = env_int(
    "MONITORING_CACHE_SECONDS", 0 if env_bool("NASTAVNIK_TESTING") else 900
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "nastavnik@localhost")
# Mail goes out from background tasks; a failed letter is tried again with exponential back-off
# (MAIL_RETRY_BASE_SECONDS, doubled each time) up to MAIL_MAX_ATTEMPTS times.
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 5)
MAIL_RETRY_BASE_SECONDS = env_int("MAIL_RETRY_BASE_SECONDS", 60)
# Absolute address of the site for links in e-mails sent by background tasks.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# Notifications kept for the daily digest go out in one letter after this hour (local time).
NOTIFY_DIGEST_HOUR = env_int("NOTIFY_DIGEST_HOUR", 18)

# A session lasts SESSION_COOKIE_AGE seconds from its last change (8 hours: a working day);
# curators, heads, administrators and methodists are logged out after
# SESSION_STAFF_IDLE_MINUTES without a request (0 — no idle timeout), apps.ops.middleware.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_STAFF_IDLE_MINUTES = env_int("SESSION_STAFF_IDLE_MINUTES", 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Behind a TLS-terminating proxy: HSTS and redirects to HTTPS (docs/security.md).
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
if env_bool("BEHIND_HTTPS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Reverse proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-For is believed: the client
# address for login throttling and the journal (apps.audit.context.client_ip). Empty — the
# header is ignored and REMOTE_ADDR is the client. A bad entry stops the start-up here.
TRUSTED_PROXIES = [
    str(ipaddress.ip_network(p.strip(), strict=False))
    for p in env_str("TRUSTED_PROXIES").split(",")
    if p.strip()
]
# Content-Security-Policy: scripts and styles only from this server, no plug-ins, no framing
# (the embeddable news block relaxes frame-ancestors for itself). Style attributes stay allowed
# for server-computed widths of bars.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one e-mail from
# one address, that pair is locked for AXES_COOLOFF_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "apps.audit.context.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "apps.orgs.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# Two-factor login (TOTP, django-otp): the issuer name shown in authenticator apps.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Наставник")

# Background work (e-mail to survey respondents, reminders): stored in the database and run by
# `manage.py db_worker`; tests run tasks at once.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_bool("NASTAVNIK_TESTING") or env_bool("TASKS_IMMEDIATE")
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# Days after a withdrawn processing consent before data without another legal basis is destroyed.
CONSENT_DESTRUCTION_DAYS = env_int("CONSENT_DESTRUCTION_DAYS", 30)

# LOG_FORMAT=json: one JSON object a line (time, level, logger, message, request_id, exception)
# for log collectors; plain text by default. Request ids come from apps.ops.middleware.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "apps.ops.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "apps.ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if env_str("LOG_FORMAT").strip().lower() == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # django-axes reports every successful login at INFO; keep warnings only.
    "loggers": {"axes": {"level": "WARNING"}},
}

if env_bool("NASTAVNIK_TESTING"):
    # Tests only: a fast hasher and mail kept in memory.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Periodic jobs run by `manage.py run_scheduler` (APScheduler; `make run` starts it beside the web
# server and the task worker). Each line: management command and a crontab expression in TIME_ZONE.
# PERIODIC_JOBS="cmd=*/5 * * * *;other=0 3 * * *" replaces the table; a command that is not
# installed is skipped with a warning, so the table may name jobs of optional apps.
PERIODIC_JOBS_DEFAULT = {
    "send_reminders": "* * * * *",
    "refresh_monitoring": "*/10 * * * *",
    "publicity_daily": "0 * * * *",
    "launch_feedback": "30 7 * * *",
    "destroy_withdrawn_data": "15 3 * * *",
    "prune_jobs": "40 * * * *",
}
PERIODIC_JOBS = (
    dict(part.split("=", 1) for part in env_str("PERIODIC_JOBS").split(";") if "=" in part)
    or PERIODIC_JOBS_DEFAULT
)
