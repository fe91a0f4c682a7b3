"""Progress settings, read from environment variables with safe development defaults.

Every variable is listed in the README's configuration section.
"""

import datetime as dt
import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-never-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
# The address staff reach Progress at, for links in e-mails sent outside a request (reminders).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "progress",
    "meetings",
    "actions",
    "pupils",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks_db",
    "axes",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "progress.middleware.SignedInSessions",
    "progress.middleware.TwoStep",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "progress.urls"
WSGI_APPLICATION = "progress.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: the embedded SQLite file unless DATABASE_URL names another (postgres://…).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while one request writes; IMMEDIATE takes the write lock at
    # the start of a transaction, so two writers queue instead of failing with "locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # The tests' database is a file too, in WAL mode like the app's, not SQLite's shared-cache
    # memory, whose table locks fail a read beside a write at once: the browser tests' screens
    # poll while another request writes, as in a school.
    # Named for the run's process, so that runs side by side never share one.
    DATABASES["default"]["TEST"] = {
        "NAME": Path(tempfile.gettempdir()) / f"progress-test-{os.getpid()}.sqlite3"
    }
else:
    # psycopg's connection pool: each app process keeps a few connections open, each checked
    # as it is handed out, so that after the database restarts no request gets a dead one. A
    # request waits at most DATABASE_POOL_TIMEOUT seconds for a connection: while the database
    # is down, `/healthz` says so (503) at once rather than holding every worker.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": int(os.environ.get("DATABASE_POOL_MIN", "1")),
            "max_size": int(os.environ.get("DATABASE_POOL_MAX", "4")),
            "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "2")),
        },
        # What the planner takes a read of one page out of order to cost, against 1 for the
        # next page in order. PostgreSQL's own 4 is a spinning disk's; on SSD storage, as any
        # database server's today, 1.1. At 4 it read the trust's every pupil into a hash to
        # name the 308 actions a meeting reviews (54 ms instead of 6).
        "options": "-c random_page_cost="
        f"{float(os.environ.get('DATABASE_RANDOM_PAGE_COST', '1.1'))}",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "progress.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for one day
# Guessing: django-axes counts failed sign-ins (the admin's too), per account and per address,
# and refuses a further try for a quarter of an hour after ten in a row; a success clears them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
# The person's address and account as axes counts them (`progress/signin.py`): behind the
# reverse proxy, the address it saw; the account whatever the capitals of its e-mail.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1")
AXES_CLIENT_IP_CALLABLE = "progress.signin.client_address"
AXES_USERNAME_CALLABLE = "progress.signin.username"
AXES_VERBOSE = False
# Two-step sign-in (`progress.two_step`): a code from an authenticator app after the password,
# required for the roles that see SEND detail. On unless MFA_REQUIRED is off; `make run` (DEBUG)
# only offers it, so the demo accounts sign in with their password alone.
MFA_REQUIRED = env_bool("MFA_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = os.environ.get("MFA_ISSUER", "Progress")

# Signing in with the school's own Microsoft or Google account (OpenID Connect, through
# mozilla-django-oidc, `progress.school_accounts`): on when OIDC_RP_CLIENT_ID is set. It signs in
# the active Progress account with the same e-mail address, and never makes one.
OIDC_PROVIDERS = {
    "microsoft": {
        "name": "Microsoft",
        "authorization": "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
        "token": "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
        "user": "https://graph.microsoft.com/oidc/userinfo",
        "jwks": "https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys",
    },
    "google": {
        "name": "Google",
        "authorization": "https://accounts.google.com/o/oauth2/v2/auth",
        "token": "https://oauth2.googleapis.com/token",
        "user": "https://openidconnect.googleapis.com/v1/userinfo",
        "jwks": "https://www.googleapis.com/oauth2/v3/certs",
    },
}
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_PROVIDER = os.environ.get("OIDC_PROVIDER", "").lower()  # microsoft, google or another
_provider = OIDC_PROVIDERS.get(OIDC_PROVIDER, {})
if OIDC_RP_CLIENT_ID and _provider is OIDC_PROVIDERS["microsoft"]:
    # Only the school's own directory: an e-mail claim from another tenant proves nothing.
    if not os.environ.get("OIDC_TENANT"):
        raise ImproperlyConfigured("OIDC_TENANT must name the school's Microsoft directory.")
    _provider = {k: v.format(tenant=os.environ["OIDC_TENANT"]) for k, v in _provider.items()}
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", _provider.get("name", "your school"))
# The schools' own e-mail domains: an address elsewhere signs in nobody, whatever the provider
# says (and with Google, the account must belong to one of these Workspace domains too).
OIDC_ALLOWED_DOMAINS = [domain.lower() for domain in env_list("OIDC_ALLOWED_DOMAINS")]
if OIDC_RP_CLIENT_ID and not OIDC_ALLOWED_DOMAINS:
    raise ImproperlyConfigured("OIDC_ALLOWED_DOMAINS must name the schools' e-mail domains.")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get(
    "OIDC_OP_AUTHORIZATION_ENDPOINT", _provider.get("authorization", "")
)
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", _provider.get("token", ""))
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", _provider.get("user", ""))
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", _provider.get("jwks", ""))
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
if OIDC_RP_CLIENT_ID:  # else its libraries are never loaded (`progress.school_accounts`)
    AUTHENTICATION_BACKENDS.append("progress.school_accounts.SchoolAccountBackend")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# Dates follow the en-GB locale: "3 Mar 2026", or "03/03/2026" in short form.

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# E-mail (Django 6.1 mailers): the console in development, SMTP otherwise.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
    }
}
if MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "587")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
        "timeout": 30,
    }
# Background work (sending the outbox, `progress.outbox`): Django's tasks framework, stored in the
# database and run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Progress <progress@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: a strict Content Security Policy with per-request nonces, no inline script.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# A session ends after a school day whatever happens (`SESSION_COOKIE_AGE`, counted from sign-in
# by `progress.middleware.SignedInSessions`), or after an hour without a request.
SESSION_COOKIE_AGE = 60 * 60 * 10
SESSION_IDLE_SECONDS = 60 * 60
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {  # PDF drawing reports every step at INFO
        "weasyprint": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # each failed sign-in is in its own table
        "fontTools": {"level": "WARNING"},
    },
}
