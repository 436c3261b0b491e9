"""One settings file: laptop defaults (SQLite in ./data), every production knob from the environment."""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("CMC_DATA_DIR", BASE_DIR / "data"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_count(name: str, default: int = 0) -> int:
    """A count from the environment; yes/true/on mean 1 and no/false/off mean 0."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"true", "yes", "on", "false", "no", "off"}:
        return int(env_bool(name))
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a number (0, 1, 2...), not '{value}'.")
    return int(value)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data directory."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "cmc.core",
    "cmc.accounts",
    "cmc.frameworks",
    "cmc.occupations",
    "cmc.interchange",
    "cmc.analysis",
    "cmc.ladders",
    "cmc.resources",
    "cmc.credentials",
    "cmc.review",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cmc.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cmc.core.middleware.RequestLimitsMiddleware",
    "cmc.core.middleware.RejectNulMiddleware",
    "cmc.accounts.middleware.BearerTokenMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
# The project's one API, as every app's router is mounted on it: named here, as the URL map is,
# for the command that writes its OpenAPI document (core names no module above it).
CMC_API = "config.api.api"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cmc" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'cmc.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login rate limit: five failures for one user name from one address lock it for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cmc.accounts.addresses.client_address"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "cmc" / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "cmc.core.storage.StaticStorage"},
}
WHITENOISE_MANIFEST_STRICT = False

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", SECURE_SSL_REDIRECT)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
# BEHIND_PROXY: how many reverse proxies stand in front of the app (0: clients connect to it
# directly). Only then are X-Forwarded-Proto and the proxies' X-Forwarded-For entries believed,
# so that the sign-in lock-out counts each client's own address, not the proxy's.
CMC_TRUSTED_PROXIES = env_count("BEHIND_PROXY")
if CMC_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy, in the shape of Django 6's setting of the same name (sent by
# cmc.core.middleware until then): scripts, styles, the HTMX library and the API docs' assets
# come from our own static files only, and nothing runs inline.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# Limits on a file sent to an import or a worksheet upload (see cmc.core.files): a file past
# any of them is refused before it is read in full. On the command line, --trusted lifts them.
CMC_MAX_IMPORT_BYTES = int(os.environ.get("CMC_MAX_IMPORT_BYTES", str(50 * 1024 * 1024)))
# An XLSX or DOCX is a zip archive: what its parts unpack to, in all and each against its size.
CMC_MAX_IMPORT_UNPACKED_BYTES = int(
    os.environ.get("CMC_MAX_IMPORT_UNPACKED_BYTES", str(20 * 1024 * 1024))
)
CMC_MAX_IMPORT_RATIO = int(os.environ.get("CMC_MAX_IMPORT_RATIO", "100"))
CMC_MAX_IMPORT_ROWS = int(os.environ.get("CMC_MAX_IMPORT_ROWS", "10000"))
CMC_MAX_IMPORT_COLUMNS = int(os.environ.get("CMC_MAX_IMPORT_COLUMNS", "30"))
# A spreadsheet cell holds at most 32,767 characters.
CMC_MAX_IMPORT_CELL_CHARS = int(os.environ.get("CMC_MAX_IMPORT_CELL_CHARS", "32767"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# In production, SMTP: EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and these.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "clearinghouse@localhost")

# The development process (cmc.review): a reviewer's personal link works this many days past
# the round's deadline; a background document may be this large; a person who is not signed
# in may send this many suggestions an hour from one address.
CMC_REVIEW_GRACE_DAYS = int(os.environ.get("CMC_REVIEW_GRACE_DAYS", "7"))
CMC_BACKGROUND_MAX_BYTES = int(os.environ.get("CMC_BACKGROUND_MAX_BYTES", str(10 * 1024 * 1024)))
CMC_SUGGESTIONS_PER_HOUR = int(os.environ.get("CMC_SUGGESTIONS_PER_HOUR", "5"))
# A review is reminded of (and shown as due) this many days before its due date.
CMC_REVIEW_REMIND_DAYS = int(os.environ.get("CMC_REVIEW_REMIND_DAYS", "30"))
# A personal survey link may save at most this many times an hour (anyone holding it may write).
CMC_SURVEY_SAVES_PER_HOUR = int(os.environ.get("CMC_SURVEY_SAVES_PER_HOUR", "600"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
CMC_SITE_URL = os.environ.get("CMC_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Where the official CASE CFPackage JSON schemas (1EdTech's case-v1p0- and
# case-v1p1-cfpackage-schema.json) are kept: CASE imports are checked against them. They are
# 1EdTech's documents, not shipped here; without them an import checks only the fields it reads.
CMC_CASE_SCHEMA_DIR = Path(
    os.environ.get("CMC_CASE_SCHEMA_DIR", BASE_DIR.parent / "shared" / "data" / "case" / "schema")
)

# Background tasks (django-tasks): the database queue by default, worked by `cmc serve`'s own
# worker or by `cmc worker`. Readable exports (PDF, Word, the pyramid PNG) are
# rendered there a few seconds after a model changes, so that downloads are served ready-made.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("CMC_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
CMC_RENDER_AHEAD_SECONDS = float(os.environ.get("CMC_RENDER_AHEAD_SECONDS", "5"))
# A download of a model of more key behaviors than this is made in the background, with a
# progress page (see cmc.interchange.downloads); smaller ones are sent at once.
CMC_BACKGROUND_DOWNLOAD_BEHAVIORS = int(os.environ.get("CMC_BACKGROUND_DOWNLOAD_BEHAVIORS", "5000"))
# A task still running after this long is taken for one whose worker died, and run again by
# the next worker that starts (see cmc.core.workers).
CMC_TASK_STALE_SECONDS = int(os.environ.get("CMC_TASK_STALE_SECONDS", "3600"))
