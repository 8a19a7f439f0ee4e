"""The one settings module: everything that varies comes from the environment.

With nothing set, the portal runs on the embedded default: SQLite (WAL), database search,
local-memory cache, database sessions, e-mail printed to the console. `.env.example` lists
every variable.
"""

import secrets
from pathlib import Path

import environ
from csp.constants import NONE, SELF

from portal import region

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)
DEMO_MODE = env.bool("DEMO_MODE", default=False)
# Served over HTTPS (secure cookies, HSTS, redirect). Off only for plain-HTTP loopback runs.
HTTPS = env.bool("HTTPS", default=not DEBUG)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in VAR_DIR."""
    if key := env("SECRET_KEY", default=""):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Former keys, still accepted for signatures (sessions, unsubscribe links) while rotating.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

PORTAL_NAME = env("PORTAL_NAME", default="Cyberportail santé")
REGION = region.build(
    env("REGION", default="ARA"),
    {
        "name": env("REGION_NAME", default=""),
        "ars_name": env("REGION_ARS_NAME", default=""),
        "gcs_name": env("REGION_GCS_NAME", default=""),
        "gcs_long_name": env("REGION_GCS_LONG_NAME", default=""),
        "contact_email": env("REGION_CONTACT_EMAIL", default=""),
        "oncall_phone": env("REGION_ONCALL_PHONE", default=""),
        "departments": env("REGION_DEPARTMENTS", default=""),
    },
)

INSTALLED_APPS = [
    "portal",
    "portal.accounts",
    "portal.notifications",
    "search",
    "docs_base",
    "benchmarks",
    "alerts",
    "elearning",
    "dsfr",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.usersessions",
    "allauth.mfa",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The member forum: django-machina's models (no haystack search, no feeds), then ours.
    "mptt",
    "machina",
    "machina.apps.forum",
    "machina.apps.forum_conversation",
    "machina.apps.forum_conversation.forum_attachments",
    "machina.apps.forum_conversation.forum_polls",
    "machina.apps.forum_member",
    "machina.apps.forum_moderation",
    "machina.apps.forum_permission",
    "machina.apps.forum_tracking",
    "forum.apps.CommunityConfig",
]
# Rendered post text is markdown2 then nh3 (forum.markup); permissions come from the portal's
# access model (forum.permissions), never from machina's per-group tables.
MACHINA_MARKUP_LANGUAGE = ("forum.markup.render", {})
MACHINA_MARKUP_WIDGET = "django.forms.Textarea"
MACHINA_FORUM_NAME = "Forum"
MACHINA_DEFAULT_AUTHENTICATED_USER_FORUM_PERMISSIONS = []

MIDDLEWARE = [
    # First: answers anonymous page hits from the cache before any other work.
    "portal.page_cache.AnonymousPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.security_headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.accounts.sessions.AbsoluteSessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "portal.accounts.mfa.RequireMfaMiddleware",
    # TLP:RED and AMBER+STRICT content in the admin: moderators and superusers only (404).
    "portal.access.staff_admin.StaffSensitiveContentMiddleware",
    # Members with the same audience share cached pages; only their account links are theirs.
    "portal.page_cache.AudiencePageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; "
                # Reads through the OS page cache instead of copying pages: the search index's
                # random row lookups are several times faster.
                "PRAGMA mmap_size=1073741824"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    )
# Persistent connections: opening one costs more than a page served from the cache.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# machina's models need AutoField or it leaves pending migrations.
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# --- Cache and sessions ---------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.RedisCache",  # one client per pool
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
        }
    }
    # cached_db, fetching the signed-in user's cached copy in the same round trip.
    SESSION_ENGINE = "portal.accounts.session_store"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)

# --- Search ---------------------------------------------------------------------------------
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
SEARCH_BACKEND = "elasticsearch" if ELASTICSEARCH_URL else "database"
ELASTICSEARCH_INDEX = env("ELASTICSEARCH_INDEX", default="cyberportail")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- Background work ------------------------------------------------------------------------
# E-mails, notifications, digests and search mirroring run as tasks, never in the request.
# "database" (embedded default): a queue in the database, run by `manage.py db_worker`, which
# `make run` starts beside the server. "rq" (the default when REDIS_URL is set): a persistent
# queue on Redis, run by `manage.py rqworker --job-class django_tasks_rq.Job --with-scheduler`.
# "immediate": in process, inside the request (tests only).
TASKS_BACKEND = env("TASKS_BACKEND", default="rq" if REDIS_URL else "database")
# The queue's Redis (keep it apart from the cache's database: a cache clear empties its db).
TASKS_REDIS_URL = env("TASKS_REDIS_URL", default=REDIS_URL or "redis://127.0.0.1:6379/1")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL, "DEFAULT_TIMEOUT": 900}}

# --- Notifications (portal.notifications) ---------------------------------------------------
# Seconds before each new attempt of an e-mail the SMTP server refused; then it is failed.
NOTIFICATIONS_RETRY_DELAYS = [
    int(s) for s in env.list("NOTIFICATIONS_RETRY_DELAYS", default=["60", "300", "1800", "7200"])
]
NOTIFICATIONS_DIGEST_HOUR = env.int("NOTIFICATIONS_DIGEST_HOUR", default=7)  # local time
NOTIFICATIONS_KEEP_READ_DAYS = env.int("NOTIFICATIONS_KEEP_READ_DAYS", default=90)
# Days after which an establishment silent on a critical alert is reminded (alerts).
ALERTS_REMINDER_DAYS = env.int("ALERTS_REMINDER_DAYS", default=3)

# --- E-mail ---------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default=f"{PORTAL_NAME} <{REGION['contact_email']}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "portal.storage.StaticStorage"
        )
    },
}

# --- Uploads (checked by portal.uploads: type, content, size, antivirus) -----------------
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# clamd over a Unix socket, or TCP as tcp://host:3310; neither set = no antivirus scan.
CLAMD_SOCKET = env("CLAMD_SOCKET", default="")
CLAMD_URL = env("CLAMD_URL", default="")
# SCORM 1.2 packages (elearning.scorm): limits on the extracted size, file count and ratio.
ELEARNING_SCORM_MAX_BYTES = env.int("ELEARNING_SCORM_MAX_BYTES", default=200 * 1024 * 1024)
ELEARNING_SCORM_MAX_FILES = env.int("ELEARNING_SCORM_MAX_FILES", default=3000)
ELEARNING_SCORM_MAX_RATIO = env.int("ELEARNING_SCORM_MAX_RATIO", default=100)

# Without an antivirus, uploads are refused unless DEBUG is on or this is set explicitly
# (``make run``'s demo sets it): the admin's upload forms then say the files are not scanned.
UPLOADS_WITHOUT_ANTIVIRUS = env.bool("UPLOADS_WITHOUT_ANTIVIRUS", default=False)

# --- Experience feedback (REX) ---------------------------------------------------------------
# The context shown with an anonymous REX is coarsened until this many establishments of the
# region share it (docs_base.rex.anonymity).
REX_ANONYMITY_K = env.int("REX_ANONYMITY_K", default=5)
# Drafts a member may have open at once (never submitted).
REX_MAX_OPEN_DRAFTS = env.int("REX_MAX_OPEN_DRAFTS", default=10)

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): no inline script anywhere on the portal's pages. The
# Wagtail admin still needs inline code of its own, so it keeps X-Frame-Options only.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
CSRF_FAILURE_VIEW = "portal.views.errors.csrf_failure"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
# The __Host- prefix binds cookies to this exact host over HTTPS.
SESSION_COOKIE_NAME = "__Host-sessionid" if HTTPS else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if HTTPS else "csrftoken"
if HTTPS:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Passwords: length only (12 to 128), no composition rules; common and context words refused.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "portal.accounts.passwords.ContextWordsValidator"},
    {"NAME": "portal.accounts.passwords.MaximumLengthValidator"},
]
AUTHENTICATION_BACKENDS = ["portal.accounts.backends.MemberBackend"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
# Sessions end 12 hours after login, however active (AbsoluteSessionLifetimeMiddleware).
SESSION_ABSOLUTE_SECONDS = SESSION_COOKIE_AGE = 12 * 3600

# --- Accounts (django-allauth) --------------------------------------------------------------
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PORTAL_NAME}] "
ACCOUNT_SIGNUP_FORM_CLASS = "portal.accounts.forms.MembershipSignupForm"
ACCOUNT_FORMS = {"signup": "portal.accounts.signup.SignupForm"}
ACCOUNT_ADAPTER = "portal.accounts.adapter.AccountAdapter"
ACCOUNT_USER_DISPLAY = "portal.accounts.adapter.user_display"
# --- Two-factor authentication (allauth.mfa) --------------------------------------------------
MFA_ADAPTER = "portal.accounts.mfa.MfaAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not HTTPS  # passkeys on plain-HTTP loopback runs
# Key encrypting TOTP secrets at rest; defaults to one derived from SECRET_KEY.
MFA_ENCRYPTION_KEY = env("MFA_ENCRYPTION_KEY", default=f"mfa:{SECRET_KEY}")

ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/key,20/5m/ip",
    "signup": "20/h/ip",
    "reset_password": "20/h/ip,5/h/key",
    "confirm_email": "1/3m/key",
}

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = PORTAL_NAME
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Documents and images uploaded in the admin go through the portal's upload checks.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "portal.upload_forms.SafeDocumentForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = UPLOAD_MAX_BYTES
WAGTAILIMAGES_IMAGE_FORM_BASE = "portal.upload_forms.SafeImageForm"
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The admin signs in through the portal's login (rate limits, MFA); no second login form.
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "utc": {
            "()": "portal.security_log.UTCFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "utc"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
