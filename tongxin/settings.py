"""Tongxin settings: one file, driven by TONGXIN_* environment variables (see .env.example)."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TONGXIN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    key = os.environ.get("TONGXIN_SECRET_KEY")
    if key:
        return key
    # A trial install keeps a generated key in var/ so that sessions survive restarts.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("TONGXIN_DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("TONGXIN_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("TONGXIN_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "tongxin.accounts.apps.TongxinAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "treebeard",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "auditlog",
    "tongxin.core",
    "tongxin.accounts",
    "tongxin.orgs",
    "tongxin.people",
    "tongxin.terms",
    "tongxin.io",
    "tongxin.audit",
    "tongxin.training",
    "tongxin.recruitment",
    "tongxin.branchwork",
    # After branch work: its rubric items read activities and contributions, and its demo
    # scores the rounds over branch work's demo records.
    "tongxin.evaluation",
    "tongxin.cadres",
    "tongxin.coverage",
    "tongxin.portal",
    # Last: the statistics read every domain app (DESIGN.md: dependencies point one way).
    "tongxin.stats",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tongxin.core.middleware.UploadLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tongxin.core.middleware.PrivateResponseMiddleware",
    "tongxin.accounts.middleware.IdleSessionMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tongxin.accounts.middleware.IdentityMiddleware",
    "tongxin.core.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tongxin.accounts.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tongxin.core.middleware.ScopeMiddleware",
    "tongxin.portal.middleware.MemberOnlyMiddleware",
    "tongxin.core.middleware.QueryStringMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "tongxin.urls"
WSGI_APPLICATION = "tongxin.wsgi.application"

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
                "tongxin.core.context_processors.tongxin",
                "tongxin.orgs.context_processors.scope_nodes",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("TONGXIN_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'tongxin.sqlite3'}",
        conn_max_age=int(os.environ.get("TONGXIN_DB_CONN_MAX_AGE", "0")),
        # A kept connection the server dropped (PostgreSQL restarted) is found out and replaced
        # at the start of the next request, not used by it to fail.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the roster be read while an import writes. Memory-mapping lets each new
    # connection (one a request) reuse the operating system's page cache instead of reading
    # a subtree's scattered rows again. The pragmas are per connection.
    # A request that needs to write (a session, an audit event) while an import holds the write
    # lock waits for it, up to TONGXIN_SQLITE_BUSY_SECONDS, instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = int(
        os.environ.get("TONGXIN_SQLITE_BUSY_SECONDS", "60")
    )
    # Every transaction takes the write lock when it begins (BEGIN IMMEDIATE), waiting for it
    # as above. Begun as a reader (SQLite's default), a save that reads first cannot take the
    # lock once another connection has written since, and SQLite fails it at once with
    # "database is locked": 16 of 45 staff saves failed so while a report stored its figures
    # (bench/README.md, "Under writes, measured"). Reads outside a transaction are not held.
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["OPTIONS"]["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
        f"PRAGMA mmap_size={int(os.environ.get('TONGXIN_SQLITE_MMAP_MB', '1024')) * 1024 * 1024};"
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that does not answer (rebooting, network down) fails the request within
    # seconds with the 503 page, instead of holding a gunicorn worker until its timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("TONGXIN_DB_CONNECT_TIMEOUT", "5"))
    )
    # No JIT compilation. The planner prices a count over the whole people table (a report's
    # figure on the 1M-member tree) far above jit_above_cost and compiles it first: 1.3 s of a
    # 1.7 s statement, 0.29 s without (bench/README.md, "At 1M members on PostgreSQL"). Every
    # statement here is a short OLTP or report query that never repays the compilation. An
    # ``options`` given in TONGXIN_DATABASE_URL (?options=...) is kept instead.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workbench"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "tongxin.accounts.passwords.ComplexityValidator"},  # length and classes
    {"NAME": "tongxin.accounts.passwords.NoUsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("TONGXIN_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns at every request without it
# Serve straight from static/ so that a fresh clone needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
# Collected static files are public and nginx, another user, serves them (deploy/nginx.conf):
# readable by all, unlike the uploads (FILE_UPLOAD_PERMISSIONS).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "OPTIONS": {"file_permissions_mode": 0o644, "directory_permissions_mode": 0o755},
    },
}
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"

# Served over HTTPS (production behind nginx): secure cookies, redirect to HTTPS and HSTS.
# `manage.py check --deploy` is clean with TONGXIN_HTTPS=1, a TONGXIN_SECRET_KEY and DEBUG off.
TONGXIN_HTTPS = env_bool("TONGXIN_HTTPS", False)
SESSION_COOKIE_SECURE = env_bool("TONGXIN_SECURE_COOKIES", TONGXIN_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if TONGXIN_HTTPS:
    SECURE_SSL_REDIRECT = env_bool("TONGXIN_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("TONGXIN_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("TONGXIN_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("TONGXIN_HSTS_PRELOAD", True)
    # The load balancer asks gunicorn itself over plain HTTP, which must not be redirected.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
TONGXIN_BEHIND_PROXY = env_bool("TONGXIN_BEHIND_PROXY", False)
if TONGXIN_BEHIND_PROXY:
    # nginx terminates TLS and says so in this header (README: deployment).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies whose X-Forwarded-For is believed (addresses or networks), with
# TONGXIN_BEHIND_PROXY only: the audit log and the lockout record the client's address
# (tongxin.core.clientip), not one the client wrote into a header.
TONGXIN_TRUSTED_PROXIES = env_list("TONGXIN_TRUSTED_PROXIES", "127.0.0.1,::1")
AXES_CLIENT_IP_CALLABLE = "tongxin.core.clientip.client_ip"

# Uploads: a request body larger than this is refused before it is read (roster workbooks are
# the largest uploads); nginx's client_max_body_size should say the same.
TONGXIN_MAX_UPLOAD_MB = int(os.environ.get("TONGXIN_MAX_UPLOAD_MB", "50"))
# A running import, check or undo whose worker has not shown a sign of life for this long is
# taken to be dead (killed, out of memory, host restarted) and handed back to staff.
TONGXIN_IMPORT_STALE_SECONDS = int(os.environ.get("TONGXIN_IMPORT_STALE_SECONDS", "300"))
# /healthz reports the import worker down when its loop has not turned for this long. A long
# write beats every TONGXIN_IMPORT_STALE_SECONDS / 5 seconds: keep this above that.
TONGXIN_WORKER_STALE_SECONDS = int(os.environ.get("TONGXIN_WORKER_STALE_SECONDS", "120"))
# An uploaded .xlsx is a zip: its expanded size, each part's other than a worksheet (read whole
# into memory) and its number of parts are bounded before it is read (a zip bomb is refused).
TONGXIN_XLSX_MAX_EXPANDED_MB = int(os.environ.get("TONGXIN_XLSX_MAX_EXPANDED_MB", "1024"))
TONGXIN_XLSX_MAX_PART_MB = int(os.environ.get("TONGXIN_XLSX_MAX_PART_MB", "100"))
TONGXIN_XLSX_MAX_ENTRIES = int(os.environ.get("TONGXIN_XLSX_MAX_ENTRIES", "1000"))
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "tongxin.core.uploads.TemporaryFileUploadHandler",  # a full disk is told, not a 500
]

# Everything the pages load comes from this server: no CDN, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# The party's word for its members (盟员/会员/社员/党员) on the pages.
TONGXIN_MEMBER_WORD = os.environ.get("TONGXIN_MEMBER_WORD", "成员")
TONGXIN_ROSTER_PAGE_SIZE = int(os.environ.get("TONGXIN_ROSTER_PAGE_SIZE", "50"))

# 中上层人士 of a person whose own field is empty: any of these thresholds reached (the default of
# ROSTER_TEMPLATE.md). Title level 正高级/副高级/中级/初级; rank group 省部级/厅局级/县处级/乡科级
# of a government post in force; degree 博士/硕士/学士; 无 = that criterion does not apply.
TONGXIN_UPPER_MIDDLE_TITLE_LEVEL = os.environ.get("TONGXIN_UPPER_MIDDLE_TITLE_LEVEL") or "中级"
TONGXIN_UPPER_MIDDLE_RANK = os.environ.get("TONGXIN_UPPER_MIDDLE_RANK") or "乡科级"
TONGXIN_UPPER_MIDDLE_DEGREE = os.environ.get("TONGXIN_UPPER_MIDDLE_DEGREE") or "硕士"

# The statistics keep each aggregate query's result until the data changes (tongxin.stats.cache);
# 0 counts every figure afresh on every request (the benchmark's live measurements).
TONGXIN_STATS_CACHE = os.environ.get("TONGXIN_STATS_CACHE", "1") != "0"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TONGXIN_LOG_LEVEL", "WARNING")},
}

# --- identity: passwords, lockout, idle logout, second factor ---
# Argon2 hashes new passwords; the other hashers only read hashes made before it (a user's hash
# is upgraded to Argon2 at their next login). Tests use a fast hasher: see conftest.py.
PRODUCTION_PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
PASSWORD_HASHERS = PRODUCTION_PASSWORD_HASHERS
TONGXIN_PASSWORD_MIN_LENGTH = int(os.environ.get("TONGXIN_PASSWORD_MIN_LENGTH", "8"))
TONGXIN_PASSWORD_MIN_CLASSES = int(os.environ.get("TONGXIN_PASSWORD_MIN_CLASSES", "3"))
TONGXIN_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("TONGXIN_PASSWORD_MAX_AGE_DAYS", "90"))
TONGXIN_FORCE_FIRST_PASSWORD_CHANGE = env_bool("TONGXIN_FORCE_FIRST_PASSWORD_CHANGE", True)

# Failed logins are counted per user name and address, and per address (accounts/lockout.py).
TONGXIN_LOGIN_FAILURE_LIMIT = int(os.environ.get("TONGXIN_LOGIN_FAILURE_LIMIT", "5"))
TONGXIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("TONGXIN_ADDRESS_FAILURE_LIMIT", "20"))
TONGXIN_LOCKOUT_MINUTES = int(os.environ.get("TONGXIN_LOCKOUT_MINUTES", "15"))
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "tongxin.accounts.lockout.PairAndAddressHandler"
AXES_FAILURE_LIMIT = TONGXIN_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=TONGXIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tongxin.accounts.views.locked_out"

# Idle logout: the session lasts this long after the last request (each request renews it).
TONGXIN_IDLE_LOGOUT_MINUTES = int(os.environ.get("TONGXIN_IDLE_LOGOUT_MINUTES", "30"))
SESSION_COOKIE_AGE = TONGXIN_IDLE_LOGOUT_MINUTES * 60
# However active, a session ends this many hours after its login (absolute lifetime).
TONGXIN_SESSION_MAX_HOURS = int(os.environ.get("TONGXIN_SESSION_MAX_HOURS", "12"))
# Each request of the user renews the session (tongxin.accounts.middleware.IdleSessionMiddleware);
# a page's own polling does not.

# 三权分立: who grants the audit administrator's role — "system_admin" (default) or "superuser"
# (then only a superuser does). Any other value means "superuser".
TONGXIN_AUDIT_ROLE_GRANTED_BY = (
    "system_admin"
    if os.environ.get("TONGXIN_AUDIT_ROLE_GRANTED_BY", "system_admin").strip() == "system_admin"
    else "superuser"
)

# TOTP second factor: required of administrators, optional for everyone else.
TONGXIN_ADMIN_OTP_REQUIRED = env_bool("TONGXIN_ADMIN_OTP_REQUIRED", True)
OTP_TOTP_ISSUER = os.environ.get("TONGXIN_OTP_ISSUER", "同心")

# --- audit ---
# Days audit events and model changes are kept (`manage.py purge_audit`); at least 180, which a
# system check enforces. A value that is not a number is kept as text for that check to refuse.
_retention = os.environ.get("TONGXIN_AUDIT_RETENTION_DAYS", "").strip() or "180"
TONGXIN_AUDIT_RETENTION_DAYS = int(_retention) if _retention.lstrip("-").isdigit() else _retention
# Rows per page of the audit log.
TONGXIN_AUDIT_PAGE_SIZE = int(os.environ.get("TONGXIN_AUDIT_PAGE_SIZE", "50"))
# A changed link (organization, person) is logged by its name, not its bare id.
AUDITLOG_USE_FK_STRING_REPRESENTATION = True

# --- backup and uploaded files ---
# Files users upload live under MEDIA_ROOT; `manage.py backup` archives them with the database.
MEDIA_ROOT = Path(os.environ.get("TONGXIN_MEDIA_ROOT", VAR_DIR / "media"))
# Where `manage.py backup` writes its archives unless told -o.
TONGXIN_BACKUP_DIR = Path(os.environ.get("TONGXIN_BACKUP_DIR", VAR_DIR / "backups"))
# Signs each backup's manifest (HMAC-SHA256), so that an altered archive fails `restore
# --check` even with its checksums recomputed. Unset: var/backup_key, made at the first backup.
# Keep it apart from the backups, like TONGXIN_FIELD_KEY; a restore elsewhere needs it.
TONGXIN_BACKUP_KEY = os.environ.get("TONGXIN_BACKUP_KEY", "")
# Activity photos: the largest accepted file, and the longest side a stored photo keeps (larger
# photos are scaled down when they are stored).
TONGXIN_PHOTO_MAX_MB = int(os.environ.get("TONGXIN_PHOTO_MAX_MB", "10"))
TONGXIN_PHOTO_MAX_SIDE = int(os.environ.get("TONGXIN_PHOTO_MAX_SIDE", "2560"))
# Study materials members read on the portal (PDF, Word, images).
TONGXIN_MATERIAL_MAX_MB = int(os.environ.get("TONGXIN_MATERIAL_MAX_MB", "20"))

# Largest attachment of an admission step (PDF, image or Word file), in MB.
TONGXIN_ATTACHMENT_MAX_MB = int(os.environ.get("TONGXIN_ATTACHMENT_MAX_MB", "10"))

# --- personal data: field encryption ---
# ID numbers, uploaded roster files and the values an import replaced are encrypted with this
# key (URL-safe Base64 of 32 random bytes). Unset, a trial install generates one into
# var/field_key; production sets it and keeps it apart from the database's backups.
TONGXIN_FIELD_KEY = os.environ.get("TONGXIN_FIELD_KEY", "")
# Older keys, comma-separated: read only, while `manage.py rotate_field_key` re-encrypts.
TONGXIN_FIELD_KEY_PREVIOUS = env_list("TONGXIN_FIELD_KEY_PREVIOUS", "")
