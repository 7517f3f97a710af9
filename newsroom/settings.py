"""Settings for the newsroom project.

Every value comes from an environment variable with a safe local default, so
that `make run` works on a fresh machine and production sets real values.
"""

import json
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django_prose_editor.config import html_tags
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY: it is required when DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-only-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",  # django.contrib.admin with our admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",  # its widget templates, for FORM_RENDERER
    "taggit",
    "django_prose_editor",
    "images",
    "articles",
    "inbox",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "newsroom.security_headers.ContentSecurityPolicyMiddleware",
    "newsroom.security_headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session middleware, whose session saves count as writes (see the module).
    "newsroom.replicas.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

# Widgets render with the templates above, so that templates/ can hold widgets of our own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "newsroom.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database serves several threads of the development server at once:
    # write-ahead logging lets readers go on during a write, and writers queue instead of
    # failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

# PostgreSQL read replicas: reader requests read from one of them; writes, the admin, and the
# reads of a client that wrote in the last NEWSROOM_REPLICA_PIN_SECONDS go to the primary
# (newsroom/replicas.py). In tests each replica is the primary's test database (TEST MIRROR).
DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS", ""), start=1):
    DATABASE_REPLICAS.append(f"replica{_number}")
    DATABASES[f"replica{_number}"] = dj_database_url.parse(
        _url,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
        test_options={"MIRROR": "default"},
    )
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["newsroom.replicas.PrimaryReplicaRouter"]
# Longer than the replicas ever lag behind the primary, or a writer may read its old rows.
NEWSROOM_REPLICA_PIN_SECONDS = int(os.environ.get("NEWSROOM_REPLICA_PIN_SECONDS", "30"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("de", _("German"))]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our date formats ("25 November 2026, 17:40 CET"; "25. November 2026, 17:40 MEZ").
FORMAT_MODULE_PATH = ["newsroom.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))


def media_storage(url: str) -> dict:
    """The storage for uploads that MEDIA_STORAGE_URL names; empty: files under MEDIA_ROOT.

    `s3://bucket/prefix?endpoint_url=https://…&region=eu-central-1&addressing_style=path`
    stores them in an S3-compatible bucket (django-storages); the credentials come from
    the standard AWS variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_PROFILE…).
    """
    if not url:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE_URL must look like s3://bucket?endpoint_url=…, not {url!r}."
        )
    names = {
        "endpoint_url": "endpoint_url",
        "region": "region_name",
        "addressing_style": "addressing_style",
    }
    options = {
        "bucket_name": parts.netloc,
        "location": parts.path.strip("/"),
        # Never replace a stored file: two uploads named photo.jpg must stay two files.
        "file_overwrite": False,
    }
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name not in names:
            raise ImproperlyConfigured(
                f"MEDIA_STORAGE_URL: unknown option {name!r}; use {', '.join(names)}."
            )
        options[names[name]] = value
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": media_storage(os.environ.get("MEDIA_STORAGE_URL", "")),
    "staticfiles": {
        # Hashed, compressed files need `collectstatic`; local runs and tests serve the sources.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# The story body's blocks (pictures, embeds, pull quotes, fact boxes, "Read more" links): the
# rich-text editor's extensions in static/admin/articles/body_blocks.js, which the body field
# lists (articles/richtext.py BODY_BLOCK_EXTENSIONS). The body's own sanitizer decides what is
# stored, so the editor package's allowlist gets nothing from them.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("admin/articles/body_blocks.js")],
        "extensions": {
            name: html_tags([])
            for name in ["BodyPicture", "BodyEmbed", "PullQuote", "FactBox", "ReadMore"]
        },
    }
]

# A shared Redis cache when REDIS_URL is set (several app servers); else one per process.
CACHES = {
    "default": {
        "BACKEND": "newsroom.redis_cache.SharedClientRedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": "newsroom",
    }
    if os.environ.get("REDIS_URL")
    # Room for the pages and their keys' versions (the default keeps 300 entries).
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}

# Readers' pages, feeds, sitemaps and the API are kept in that cache and dropped exactly when
# what they show changes (articles/caching.py); for at most NEWSROOM_PAGE_CACHE_SECONDS, which
# bounds changes no save reports (0: kept nowhere but downstream). Browsers may keep a response
# NEWSROOM_CACHE_MAX_AGE seconds, a CDN or Varnish NEWSROOM_CACHE_S_MAXAGE (it is purged on
# change, see NEWSROOM_PURGE_URLS); none past the next scheduled publication or takedown.
NEWSROOM_PAGE_CACHE_SECONDS = int(os.environ.get("NEWSROOM_PAGE_CACHE_SECONDS", "600"))
# Each process also keeps the pages it served last in its own memory (at most this many;
# 0: none), checked against the shared cache's versions for every request.
NEWSROOM_PAGE_COPIES_PER_PROCESS = int(os.environ.get("NEWSROOM_PAGE_COPIES_PER_PROCESS", "200"))
# And the teasers it rendered last for readers (at most this many; 0: none), each checked the
# same way, so a page made anew renders only the stories that changed.
NEWSROOM_FRAGMENT_COPIES_PER_PROCESS = int(
    os.environ.get("NEWSROOM_FRAGMENT_COPIES_PER_PROCESS", "2000")
)
NEWSROOM_CACHE_MAX_AGE = int(os.environ.get("NEWSROOM_CACHE_MAX_AGE", "30"))
NEWSROOM_CACHE_S_MAXAGE = int(os.environ.get("NEWSROOM_CACHE_S_MAXAGE", "300"))
NEWSROOM_CACHE_STALE_WHILE_REVALIDATE = int(
    os.environ.get("NEWSROOM_CACHE_STALE_WHILE_REVALIDATE", "30")
)
# Caches in front to purge by surrogate key on every change (articles/purges.py), such as
# varnish+http://10.0.0.5:6081/ or fastly+https://:TOKEN@api.fastly.com/service/ID/purge.
NEWSROOM_PURGE_URLS = env_list("NEWSROOM_PURGE_URLS", "")
for _url in NEWSROOM_PURGE_URLS:
    if _url.partition("+")[0] not in {"varnish", "fastly", "cloudflare"}:
        raise ImproperlyConfigured(
            f"NEWSROOM_PURGE_URLS: {_url!r} must start with varnish+, fastly+ or cloudflare+."
        )

# Sessions: in the database, and with Redis also in the cache, which serves the reads; a
# flushed or restarted Redis loses no session.
if os.environ.get("REDIS_URL"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Background tasks (django-tasks): "database" queues them in the database for the worker
# (`python manage.py db_worker`); "immediate" runs them at once, in the request.
_task_backends = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_task_backend = os.environ.get("NEWSROOM_TASK_BACKEND") or ("immediate" if DEBUG else "database")
if _task_backend not in _task_backends:
    raise ImproperlyConfigured(
        f"NEWSROOM_TASK_BACKEND must be one of {', '.join(_task_backends)}, not {_task_backend!r}."
    )
TASKS = {"default": {"BACKEND": _task_backends[_task_backend]}}

# Email: notifications from the inbox app, sent by the task worker. The console (the
# terminal) in development; an SMTP server from the environment in production.
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A mail server that doesn't answer fails the attempt (retried later) instead of holding the worker.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGIN_URL = "admin:login"

# Brute-force protection (django-axes): after NEWSROOM_LOGIN_FAILURE_LIMIT failed logins for
# one username from one address, that username is refused from that address, even with the
# right password, until NEWSROOM_LOGIN_LOCKOUT_MINUTES have passed since the last failure.
# Other addresses and other usernames are unaffected, so an attacker cannot lock staff out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: it refuses before a password is checked
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("NEWSROOM_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("NEWSROOM_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Attempts during a lockout are refused unread: they neither count nor make it longer.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True  # a successful login starts the count again
AXES_LOCKOUT_CALLABLE = "newsroom.logins.lockout_response"
AXES_CLIENT_IP_CALLABLE = "newsroom.logins.client_address"
# How many reverse proxies in front of the app servers append to X-Forwarded-For. 0: the
# header is ignored and the connecting address counts (a client could forge the header).
NEWSROOM_TRUSTED_PROXY_COUNT = int(os.environ.get("NEWSROOM_TRUSTED_PROXY_COUNT", "0"))

# Security: strict by default once DEBUG is off; each value can be relaxed by environment.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    # Only behind a proxy that sets this header itself; otherwise clients could forge it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): pages load only from this site and run no inline code;
# newsroom/security_headers.py adds what the admin's rich-text editor needs. CSP_REPORT_ONLY=1
# sends it as Content-Security-Policy-Report-Only, to try a change without blocking anything.
_content_security_policy = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        # Not on a site served over plain HTTP (`make serve` without a TLS proxy in front).
        "upgrade-insecure-requests": SECURE_SSL_REDIRECT,
        "report-uri": os.environ.get("CSP_REPORT_URI") or None,
    }
}
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _content_security_policy
else:
    CONTENT_SECURITY_POLICY = _content_security_policy
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None
# Browser features no page of ours uses, off for our pages and anything they embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    ]
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The publication: shown in the masthead, feeds and structured data.
NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "The Courier")
NEWSROOM_TAGLINE = os.environ.get("NEWSROOM_TAGLINE", "Independent news, checked and sourced")
# The site's address, for links in emails (sent outside any request).
NEWSROOM_SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "http://localhost:8000")
NEWSROOM_ARTICLES_PER_PAGE = int(os.environ.get("NEWSROOM_ARTICLES_PER_PAGE", "20"))
# How long a share-preview link for people without a login stays valid.
NEWSROOM_PREVIEW_LINK_HOURS = int(os.environ.get("NEWSROOM_PREVIEW_LINK_HOURS", "48"))
# How long the article form's autosaves of unsaved typing are offered back before they are
# purged (on every autosave, and by `manage.py purge_autosaves` from cron).
NEWSROOM_AUTOSAVE_DAYS = int(os.environ.get("NEWSROOM_AUTOSAVE_DAYS", "30"))

# Image library
# Uploads above either limit are refused with a form error (see docs/images.md).
NEWSROOM_IMAGE_MAX_BYTES = int(os.environ.get("NEWSROOM_IMAGE_MAX_BYTES", str(20 * 1024 * 1024)))
NEWSROOM_IMAGE_MAX_PIXELS = int(os.environ.get("NEWSROOM_IMAGE_MAX_PIXELS", "50000000"))
# Rendition widths in pixels and the crops templates may ask for; each is a URL readers can request.
NEWSROOM_IMAGE_WIDTHS = sorted(
    int(width) for width in env_list("NEWSROOM_IMAGE_WIDTHS", "320,640,960,1280,1920")
)
NEWSROOM_IMAGE_RATIOS = env_list("NEWSROOM_IMAGE_RATIOS", "16:9,3:2,4:3,1:1")

# Embeds in story bodies (articles/embeds.py): providers beyond the built-in allowlist, as a
# JSON list of {"name", "patterns", "endpoint", "frame_origins", "frame_pattern"} (one named
# like a built-in provider replaces it; a system check reports mistakes), and how long asking
# a provider's oEmbed endpoint may take, in seconds.
try:
    NEWSROOM_EMBED_PROVIDERS = json.loads(os.environ.get("NEWSROOM_EMBED_PROVIDERS") or "[]")
except json.JSONDecodeError as error:
    raise ImproperlyConfigured(f"NEWSROOM_EMBED_PROVIDERS is not valid JSON: {error}") from error
NEWSROOM_EMBED_TIMEOUT = float(os.environ.get("NEWSROOM_EMBED_TIMEOUT", "5"))

# `make bench` only: the folder of the pages its floor view answers with (bench/floor.py).
# Empty, as everywhere else, leaves that view unmounted.
NEWSROOM_BENCH_FLOOR_DIR = os.environ.get("NEWSROOM_BENCH_FLOOR_DIR", "")
