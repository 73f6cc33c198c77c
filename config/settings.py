"""Claimdesk settings: one module, driven by environment variables.

Variables: DATABASE_URL, DATABASE_REPLICA_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS,
REQUIRED_APPROVALS, REDIS_URL, CELERY_BROKER_URL, CELERY_QUEUE, EMAIL_URL-free console mail
in development, DEFAULT_FROM_EMAIL, SECURE_SSL_REDIRECT, SITE_URL, CLAIMREVIEW_PUBLISHER(_URL).
Nothing else in the project reads the environment.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        # Development only: a key that is obviously not for production.
        SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(or DEBUG=1 for local development)."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

REQUIRED_APPROVALS = env_int("REQUIRED_APPROVALS", 1)
if REQUIRED_APPROVALS < 1:
    raise ImproperlyConfigured("REQUIRED_APPROVALS must be 1 or more.")

# An optional read replica of the primary (PostgreSQL streaming replication). Only the
# reads of views marked lag-tolerant go there, and never right after a write: see
# claimdesk/replica.py. Lower case, so that the URL and its password are no setting.
replica_url = os.environ.get("DATABASE_REPLICA_URL", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "projects",
    "accounts",
    "articles",
    "annotations",
    "publishing",
    "search",
    "worklist",
    "suggestions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves our own static files (CSS, JavaScript, the API docs' assets) under gunicorn.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that their 413, 503 and JSON 404 answers still get the headers above.
    "config.middleware.ApiErrorContractMiddleware",
    "config.middleware.RequestLimitsMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
]

if replica_url:
    # Early, so that its record of the request's writes covers all that follows.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "claimdesk.replica.ReadYourWritesMiddleware",
    )

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "annotations.context_processors.navigation",
                "projects.context_processors.current_project_nav",
                "worklist.context_processors.inbox",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Wait for a writer instead of failing at once with "database is locked".
            "timeout": 20,
            # Write-ahead logging: readers never wait for a writer, and a commit does not
            # wait for the disk twice (each API request commits its throttle counter).
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            # Take the write lock when a transaction starts: a read turned write cannot
            # then fail halfway because another process wrote in between.
            "transaction_mode": "IMMEDIATE",
        }
    )

if replica_url:
    DATABASES["replica"] = dj_database_url.parse(
        replica_url, conn_max_age=env_int("CONN_MAX_AGE", 0)
    )
    if (
        not DATABASES["default"]["ENGINE"]
        == DATABASES["replica"]["ENGINE"]
        == ("django.db.backends.postgresql")
    ):
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL names a PostgreSQL replica of a PostgreSQL DATABASE_URL."
        )
    DATABASES["replica"]["ATOMIC_REQUESTS"] = False
    # In tests the alias is a second connection to the test database, as in production
    # it is a second connection to the same data.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["claimdesk.replica.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # Shared by every worker process, so throttles hold across gunicorn workers.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "claimdesk_cache",
        }
    }

# Background jobs (suggestions): on Celery workers when a broker is named, e.g.
# `redis://127.0.0.1:6379/1` or `amqp://user:pass@rabbit:5672//`; without one they run in
# the process that starts them, so a single machine needs nothing more.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "claimdesk")
CELERY_TASK_IGNORE_RESULT = True  # a job's progress is in its `Job` row
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # chunks are long: spread them over the workers
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed logins are counted per username and per client address in the shared cache;
# past a limit, logging in is refused without checking the password until the window ends.
AUTHENTICATION_BACKENDS = ["annotations.auth.ThrottledModelBackend"]
LOGIN_FAILURES_PER_USERNAME = env_int("LOGIN_FAILURES_PER_USERNAME", 5)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 20)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 15 * 60)
# Reverse proxies in front of the app that append the client's address to
# X-Forwarded-For. The throttles and the login guard count the address the outermost
# trusted proxy saw; with 0 (the default) the header is ignored, since anyone can send it.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
# API tokens: the lifetime of a new one unless its request says otherwise (0: no
# expiry), and whether logging out of the pages revokes all of the user's tokens.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)
if API_TOKEN_DAYS < 0:
    raise ImproperlyConfigured("API_TOKEN_DAYS must be 0 (no expiry) or more.")
API_TOKENS_END_AT_LOGOUT = env_bool("API_TOKENS_END_AT_LOGOUT", False)
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("TRUSTED_PROXIES is a count of proxies, 0 or more.")

# The site's public address ("https://claims.example.org"): the absolute addresses of
# exports made from the command line, of the public pages and of `published_url`.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
# Who publishes the fact checks: the `author` of every ClaimReview unless a desk names
# its own (publishing settings of the desk). Empty: "Claimdesk" and the site's address.
CLAIMREVIEW_PUBLISHER = {
    "name": os.environ.get("CLAIMREVIEW_PUBLISHER", "").strip(),
    "url": os.environ.get("CLAIMREVIEW_PUBLISHER_URL", "").strip(),
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "article_list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Without `collectstatic`, WhiteNoise finds files where runserver would.
WHITENOISE_USE_FINDERS = True

# Request limits: a body larger than this answers 413 (see config/middleware if added).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A multipart body (an upload on the import page) above this answers 413.
MAX_UPLOAD_SIZE = env_int("MAX_UPLOAD_SIZE", 10 * 1024 * 1024)
MAX_ARTICLE_LENGTH = env_int("MAX_ARTICLE_LENGTH", 500_000)
MAX_LINKS_PER_CLAIM = 50

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "claimdesk@localhost")

# Security: safe defaults, relaxed only by DEBUG for local HTTP.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the page's JavaScript reads the token from the form, not the cookie
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "annotations.api.pagination.PageNumberPagination",
    # DRF's parsers, with JSON nested too deeply answering 400 instead of 500.
    "DEFAULT_PARSER_CLASSES": [
        "config.security.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "annotations.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "annotations.api.throttling.UserRateThrottle",
        "annotations.api.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("API_USER_RATE", "2000/minute"),
        "anon": os.environ.get("API_ANON_RATE", "60/minute"),
        "token": os.environ.get("API_TOKEN_RATE", "10/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Claimdesk API",
    "DESCRIPTION": "Claims, attribution, four-eyes review and open-standard exports.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The default enum hook, then the links between operations (`annotations/api/links.py`).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "annotations.api.links.add_links",
    ],
    # Several models have a `kind`: name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "ActorKindEnum": "annotations.models.ActorKind",
        "SourceKindEnum": "articles.models.SourceKind",
        "EventKindEnum": "annotations.api.serializers.reviews.EVENT_KINDS",
        "RelationKindEnum": "annotations.models.RelationKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
