"""Evac settings: one file, read from the environment (see README, "Production")."""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from evac.env import env_bool, env_database, env_int, env_int_list, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
# Runtime files of the embedded default (SQLite database, Celery's filesystem queue).
VAR_DIR = Path(env_str("EVAC_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_celery_beat",
    "django_countries",
    "phonenumber_field",
    "simple_history",
    "evac.core",
    "evac.operations",
    "evac.places",
    "evac.people",
    "evac.flights",
    "evac.notifications",
    "evac.audit",
    "evac.demo",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from here: no CDN
    "evac.api",
    "evac.portal",
    "evac.cockpit",
    "django_ratelimit",
    "csp",  # Content-Security-Policy header (django-csp); see "Security" below
    "axes",  # lockout after repeated failed logins (django-axes); see "Security" below
    "django_otp",  # second factor for staff (django-otp): authenticator apps, backup codes
    "django_otp.plugins.otp_totp",
    "evac.accounts",
]

MIDDLEWARE = [
    # First: an id for every request, in the logs and the X-Request-ID header (evac/core/logs.py).
    "evac.core.logs.RequestIdMiddleware",
    # Requests and latency by view, for /metrics (evac/core/metrics.py).
    "evac.core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from gunicorn, before anything reads a session (whitenoise).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Staff sessions in the database; the public portal's in a signed cookie, so a citizen's
    # lookup writes no session row (evac/core/portal_sessions.py).
    "evac.core.portal_sessions.SplitSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Staff pages only in the languages they are written in (English, Ukrainian, Russian).
    "evac.core.languages.StaffPagesLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "evac.core.sessions.SessionLifetimeMiddleware",
    "evac.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]
# django-axes first: it refuses a locked-out account or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "evac.urls"
WSGI_APPLICATION = "evac.wsgi.application"

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
                "django.template.context_processors.i18n",
                "evac.operations.web.operation_context",
                # "A replay of January 2022" on the demo operation's pages.
                "evac.demo.context.demo_replay",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'evac.sqlite3'}")}
# Web processes may keep a connection this many seconds (0: one per request). A kept
# connection is tested before a request uses it, so a PostgreSQL restart costs no errors.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/staff/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("uk", "Українська"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Stored in UTC; shown in the local time of the airport or city a record belongs to.
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
# Production serves static files from gunicorn through whitenoise: `collectstatic` writes each
# file under a name holding a hash of its content (evac.3f2a….css) with a gzip copy beside it,
# so a browser may keep it for a year and a new release is fetched at once. That needs
# collectstatic to have run, so it is on whenever DEBUG is off, except where the tests say
# otherwise (pyproject.toml); with DEBUG (make run) files come from the source folders.
EVAC_STATIC_MANIFEST = env_bool("EVAC_STATIC_MANIFEST", not DEBUG)
if not EVAC_STATIC_MANIFEST:
    # Nothing is collected there then, but whitenoise warns at every start if it is missing.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if EVAC_STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

PHONENUMBER_DEFAULT_REGION = env_str("PHONE_DEFAULT_REGION", "UA") or None
PHONENUMBER_DB_FORMAT = "E164"

# Celery. The embedded default is kombu's filesystem transport in VAR_DIR, so a laptop
# needs no Redis; production sets CELERY_BROKER_URL=redis://…
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_QUEUE_DIR = Path(env_str("CELERY_QUEUE_DIR", str(VAR_DIR / "celery")))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "store_processed": False,
        # Exchange bindings; kombu's default is "control" in the current directory.
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
    }
    for folder in ("queue", "processed", "control"):
        (CELERY_QUEUE_DIR / folder).mkdir(parents=True, exist_ok=True)
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A worker's connection: a Redis that doesn't answer within these is taken as down.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 5, "socket_timeout": 10}
elif not CELERY_BROKER_URL.startswith("memory://"):
    raise ImproperlyConfigured("CELERY_BROKER_URL must be filesystem://, redis://… or memory://")
# Web requests queue a send after they commit, and /healthz asks the broker: both give up
# after this long (milliseconds), so a hung broker never holds a page. What was not queued
# waits in the outbox for the dispatcher.
EVAC_BROKER_TIMEOUT_MS = env_int("EVAC_BROKER_TIMEOUT_MS", 300)
CELERY_TIMEZONE = "UTC"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery closes a worker's database connection around every task unless told to reuse it
# for this many tasks; a message send is a few small queries, cheaper than a new PostgreSQL
# connection. Off (0) by default; set it for production workers (README).
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 0) or None

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The API (evac/api/): one error shape, an OpenAPI schema, a rate for each token.
    "EXCEPTION_HANDLER": "evac.api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "evac.api.schema.EvacAutoSchema",
    "DEFAULT_THROTTLE_RATES": {"token": env_str("EVAC_API_TOKEN_RATE", "600/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Evac API",
    "DESCRIPTION": "Consular evacuation tracker: operations, people, flights and manifests. "
    "Same rules and roles as the staff pages. Errors: "
    '{"error": {"code": ..., "message": ..., "fields": {...}}}.',
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Separate request and response shapes, so read-only fields are not asked of clients.
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for each set of choices, where one field name ("status") means several.
    "ENUM_NAME_OVERRIDES": {
        "CountryEnum": "evac.api.schema.COUNTRY_CODES",
        "DecidedStatusEnum": "evac.api.schema.DECIDED_STATUS_VALUES",
        "BookingStatusChangeEnum": "evac.api.schema.BOOKING_STATUS_CHANGE_VALUES",
        "CitizenStatusEnum": "evac.people.models.CitizenStatus",
        "FlightStatusEnum": "evac.flights.models.FlightStatus",
        "FlightKindEnum": "evac.flights.models.FlightKind",
        "BookingStatusEnum": "evac.flights.models.BookingStatus",
        "TransferModeEnum": "evac.flights.transfer_models.TransferMode",
        "TransferStatusEnum": "evac.flights.transfer_models.TransferStatus",
        "TransferSeatStatusEnum": "evac.flights.transfer_models.TransferSeatStatus",
        "TransferSeatStatusChangeEnum": "evac.api.schema.TRANSFER_SEAT_STATUS_CHANGE_VALUES",
        "FlightOffersEnum": "evac.flights.models.OfferMode",
        "OfferStatusEnum": "evac.flights.models.OfferStatus",
        "OperationStatusEnum": "evac.operations.models.Operation.Status",
        "AirportStatusEnum": "evac.places.models.Airport.Status",
        "LanguageEnum": "evac.people.models.Language",
        "CitizenChannelEnum": "evac.people.models.CitizenChannel",
        "ContactChannelEnum": "evac.people.models.ContactLogEntry.Channel",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Evac's own settings.
EVAC_DEMO_PASSWORD = env_str("EVAC_DEMO_PASSWORD", "evac-demo-2022")
# Ages at which a person counts as a minor (under) or elderly (from), for seat priority.
EVAC_MINOR_UNDER_AGE = env_int("EVAC_MINOR_UNDER_AGE", 18)
EVAC_ELDERLY_FROM_AGE = env_int("EVAC_ELDERLY_FROM_AGE", 65)
# A travel document is flagged when it expires before the day of arrival plus this many days
# (people.documents); 0 means it must still be valid on the day the person arrives.
EVAC_DOCUMENT_EXPIRY_MARGIN_DAYS = env_int("EVAC_DOCUMENT_EXPIRY_MARGIN_DAYS", 0)
# What a flight plan may say: at most this many seats (an A380 carries 853), departing at
# most this many days ahead, and marked departed at most this many hours before its time.
EVAC_FLIGHT_MAX_SEATS = env_int("EVAC_FLIGHT_MAX_SEATS", 853)
EVAC_FLIGHT_MAX_DAYS_AHEAD = env_int("EVAC_FLIGHT_MAX_DAYS_AHEAD", 365)
EVAC_FLIGHT_DEPARTS_EARLY_HOURS = env_int("EVAC_FLIGHT_DEPARTS_EARLY_HOURS", 3)
# Closing an operation schedules the anonymisation of its personal data this many days later
# (a coordinator can change the date on the operation's closing page).
EVAC_RETENTION_DAYS = env_int("EVAC_RETENTION_DAYS", 90)
# The dashboard counts people not heard from for more than this many days (changeable there).
EVAC_NOT_CONTACTED_DAYS = env_int("EVAC_NOT_CONTACTED_DAYS", 3)

# Messages to citizens and staff (evac/notifications). E-mail goes through Django's e-mail
# backend: files in VAR_DIR/mail by default, SMTP (EMAIL_HOST…) or django-anymail in
# production. SMS goes through EVAC_SMS_BACKEND: a file you can read by default, or Twilio.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Evac <evac@localhost>")
EVAC_SMS_BACKEND = env_str("EVAC_SMS_BACKEND", "evac.notifications.sms.FileSmsBackend")
EVAC_SMS_FILE = Path(env_str("EVAC_SMS_FILE", str(VAR_DIR / "sms-outbox.log")))
EVAC_SMS_TIMEOUT_SECONDS = env_int("EVAC_SMS_TIMEOUT_SECONDS", 10)
# Per worker process: the provider's limit divided by the number of worker processes.
EVAC_SMS_PER_SECOND = env_int("EVAC_SMS_PER_SECOND", 1)
EVAC_TWILIO_ACCOUNT_SID = env_str("EVAC_TWILIO_ACCOUNT_SID")
EVAC_TWILIO_AUTH_TOKEN = env_str("EVAC_TWILIO_AUTH_TOKEN")
# A phone number in E.164, or a Messaging Service SID (MG…).
EVAC_TWILIO_FROM = env_str("EVAC_TWILIO_FROM")
EVAC_TWILIO_API_URL = env_str("EVAC_TWILIO_API_URL", "https://api.twilio.com")
# Reminders this many hours before a flight's report time ("be at the airport by"); a
# check-in to waiting people every N days.
EVAC_REMINDER_OFFSETS_HOURS = env_int_list("EVAC_REMINDER_OFFSETS_HOURS", [24, 3])
EVAC_CHECK_IN_EVERY_DAYS = env_int("EVAC_CHECK_IN_EVERY_DAYS", 2)
# A new flight's report time ("be at the airport by"): this many hours before departure.
# Each flight may set its own (Flight.report_minutes_before).
EVAC_AT_AIRPORT_HOURS_BEFORE = env_int("EVAC_AT_AIRPORT_HOURS_BEFORE", 3)
# A journey's legs connect only with this much time to spare: a train arrives at least this
# long before the next leg leaves, or before the flight's "be at the airport" time.
EVAC_CONNECTION_MARGIN_MINUTES = env_int("EVAC_CONNECTION_MARGIN_MINUTES", 60)
# Where the public portal is reached from outside (https://evac.example.org), for the links
# in messages that Evac sends by itself; without it, those messages name no link.
EVAC_PUBLIC_URL = env_str("EVAC_PUBLIC_URL")
# Seat offers: how long a person has to answer, by how far away the departure is. More than
# EVAC_OFFER_FAR_HOURS away: EVAC_OFFER_FAR_MINUTES; more than EVAC_OFFER_NEAR_HOURS away:
# EVAC_OFFER_MID_MINUTES; more than EVAC_OFFER_LAST_HOURS away: EVAC_OFFER_NEAR_MINUTES;
# closer than that, no offer is made (there is no time left to reach the airport).
EVAC_OFFER_FAR_HOURS = env_int("EVAC_OFFER_FAR_HOURS", 24)
EVAC_OFFER_FAR_MINUTES = env_int("EVAC_OFFER_FAR_MINUTES", 120)
EVAC_OFFER_NEAR_HOURS = env_int("EVAC_OFFER_NEAR_HOURS", 6)
EVAC_OFFER_MID_MINUTES = env_int("EVAC_OFFER_MID_MINUTES", 60)
EVAC_OFFER_LAST_HOURS = env_int("EVAC_OFFER_LAST_HOURS", 1)
EVAC_OFFER_NEAR_MINUTES = env_int("EVAC_OFFER_NEAR_MINUTES", 20)
EVAC_NOTIFICATION_MAX_ATTEMPTS = env_int("EVAC_NOTIFICATION_MAX_ATTEMPTS", 6)
# A send still "sending" after this long belongs to a dead worker; longer than any send.
EVAC_NOTIFICATION_SENDING_TIMEOUT_SECONDS = env_int(
    "EVAC_NOTIFICATION_SENDING_TIMEOUT_SECONDS", 300
)
# A due message queued this long ago and still pending is taken as lost and queued again.
EVAC_NOTIFICATION_REQUEUE_SECONDS = env_int("EVAC_NOTIFICATION_REQUEUE_SECONDS", 300)


# Caches. The citizen portal's rate limits (django-ratelimit) count in the default cache, which
# every web process must share. Production: Redis, CACHE_URL (or REDIS_CACHE_URL)=redis://…
# Embedded default: files in VAR_DIR/cache, shared by the processes of one machine. Its counter
# is read-then-write, so parallel requests can undercount by a few; accepted there, and the only
# reason django-ratelimit's check E003 is silenced.
CACHE_URL = env_str("CACHE_URL") or env_str("REDIS_CACHE_URL")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            # Gives up after EVAC_CACHE_TIMEOUT_MS and then leaves Redis alone for a while,
            # so a hung Redis never holds a page (evac/core/cache.py).
            "BACKEND": "evac.core.cache.BoundedRedisCache",
            "LOCATION": CACHE_URL,
        }
    }
    # Django's own Redis cache increments atomically (INCR); the check knows only django-redis.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
elif CACHE_URL:
    raise ImproperlyConfigured("CACHE_URL must be redis://… or rediss://… (or unset)")
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    # E003 and W001 both say "this cache is not atomic": the undercount above, accepted.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
# A cache call gives up after this long (milliseconds); see evac/core/cache.py.
EVAC_CACHE_TIMEOUT_MS = env_int("EVAC_CACHE_TIMEOUT_MS", 300)
# The public status lookup: per visitor's IP address and per reference code (django-ratelimit
# rates: "20/10m" is 20 per 10 minutes).
EVAC_PORTAL_RATE_PER_IP = env_str("EVAC_PORTAL_RATE_PER_IP", "30/10m")
EVAC_PORTAL_RATE_PER_CODE = env_str("EVAC_PORTAL_RATE_PER_CODE", "8/10m")
# The visitor's address, for those limits and for the access log alike (one function reads it:
# evac.core.requests.client_ip): the connection's, or behind a proxy the header the proxy
# writes it into, e.g. EVAC_CLIENT_IP_HEADER=X-Forwarded-For, so a limit is per visitor and not
# per proxy. Only set it if the proxy overwrites or appends to that header.
EVAC_CLIENT_IP_HEADER = env_str("EVAC_CLIENT_IP_HEADER")
if env_str("RATELIMIT_IP_META_KEY"):
    raise ImproperlyConfigured(
        "RATELIMIT_IP_META_KEY is replaced by EVAC_CLIENT_IP_HEADER, e.g. X-Forwarded-For"
    )
RATELIMIT_IP_META_KEY = "evac.core.requests.client_ip_for_rate_limits"
# Self-registration: every public POST counts against EVAC_PORTAL_RATE_PER_IP; a registration
# made also against these, per address and per phone or e-mail typed in it.
EVAC_PORTAL_REGISTER_RATE_PER_IP = env_str("EVAC_PORTAL_REGISTER_RATE_PER_IP", "10/h")
EVAC_PORTAL_REGISTER_RATE_PER_CONTACT = env_str("EVAC_PORTAL_REGISTER_RATE_PER_CONTACT", "3/h")
# At most this many registration messages to one phone or e-mail in the window (hours).
EVAC_PORTAL_CONFIRMATIONS_PER_DESTINATION = env_int("EVAC_PORTAL_CONFIRMATIONS_PER_DESTINATION", 12)
EVAC_PORTAL_CONFIRMATIONS_WINDOW_HOURS = env_int("EVAC_PORTAL_CONFIRMATIONS_WINDOW_HOURS", 24)
# The largest public POST read at all (bytes): a full registration of 12 people is ~10 KB.
EVAC_PORTAL_MAX_POST_BYTES = env_int("EVAC_PORTAL_MAX_POST_BYTES", 65536)
# The status page counts the people ahead of a person exactly up to this many waiting units
# (households or people alone), and beyond it says "more than" this many people: a bounded
# read of the waiting list's index, whatever its length, on the busiest page there is.
EVAC_PORTAL_AHEAD_COUNTED_UP_TO = env_int("EVAC_PORTAL_AHEAD_COUNTED_UP_TO", 1000)
# One-time codes for changes made on the portal: how long one lasts and how many tries it takes.
EVAC_PORTAL_CODE_MINUTES = env_int("EVAC_PORTAL_CODE_MINUTES", 10)
EVAC_PORTAL_CODE_ATTEMPTS = env_int("EVAC_PORTAL_CODE_ATTEMPTS", 5)


# Security (docs/security.md). EVAC_HTTPS=1 is production behind HTTPS: it redirects plain
# HTTP, marks cookies Secure and sends HSTS, and `manage.py check --deploy` then reports
# nothing. Off by default, so a laptop and the tests (plain HTTP) work; production must set it.
EVAC_HTTPS = env_bool("EVAC_HTTPS", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", EVAC_HTTPS)
# A load balancer's health check may come over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a proxy that ends TLS: the header it sets, e.g. SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto
# (value "https"). Only set it if the proxy overwrites that header from clients.
if env_str("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + env_str("SECURE_PROXY_SSL_HEADER").strip().upper().replace("-", "_"),
        "https",
    )
SESSION_COOKIE_SECURE = EVAC_HTTPS
CSRF_COOKIE_SECURE = EVAC_HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000) if EVAC_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A staff session ends after this long without a request, and this long after logging in
# however busy (evac.core.sessions, which pushes the session's expiry on as requests come).
EVAC_SESSION_IDLE_MINUTES = env_int("EVAC_SESSION_IDLE_MINUTES", 30)
EVAC_SESSION_MAX_HOURS = env_int("EVAC_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = EVAC_SESSION_IDLE_MINUTES * 60
# Only Evac's own files run or style a page: no inline scripts, styles or handlers, no CDN.
# Staff login. Lockout (django-axes): this many failed logins for one username, or from one
# address, lock it for EVAC_LOGIN_LOCKOUT_MINUTES, unless a coordinator unlocks the account
# sooner (Staff page) or an administrator the address (`manage.py axes_reset_ip`).
AXES_FAILURE_LIMIT = env_int("EVAC_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("EVAC_LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every manage.py command
AXES_LOCKOUT_CALLABLE = "evac.accounts.views.locked_out"
# The same address the portal's rate limits and the access log see (EVAC_CLIENT_IP_HEADER).
AXES_CLIENT_IP_CALLABLE = "evac.core.requests.client_ip"
# Two-factor login (evac/accounts): required for coordinators, officers and superusers; for
# viewers only with EVAC_TWO_FACTOR_FOR_VIEWERS=1 (a viewer may always turn it on).
EVAC_TWO_FACTOR_FOR_VIEWERS = env_bool("EVAC_TWO_FACTOR_FOR_VIEWERS", False)
# A new staff member's invitation link (evac/accounts/invitations.py): how long it works, and
# how many tries at the public set-password page one address gets (django-ratelimit rate).
EVAC_INVITATION_HOURS = env_int("EVAC_INVITATION_HOURS", 72)
EVAC_INVITATION_RATE_PER_IP = env_str("EVAC_INVITATION_RATE_PER_IP", "20/10m")
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Evac")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}


# GET /metrics for Prometheus (evac/cockpit/metrics.py, docs/operations.md): off unless this
# is set; a scrape then sends "Authorization: Bearer <token>".
EVAC_METRICS_TOKEN = env_str("EVAC_METRICS_TOKEN")

# Logs: one JSON object per line with the request id (evac/core/logs.py) in production;
# plain lines with DEBUG (make run). LOG_FORMAT=json or text overrides.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "evac.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "evac.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # django-axes reports every login at INFO; failures and lockouts come at WARNING.
    "loggers": {"axes": {"level": env_str("AXES_LOG_LEVEL", "WARNING")}},
}

# Errors to Sentry when SENTRY_DSN is set (off otherwise): Django and Celery alike, without
# personal data.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        # No user, no request bodies, no local variables (they may hold a one-time code).
        data_collection={"user_info": False, "http_bodies": [], "stack_frame_variables": False},
        max_request_body_size="never",
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
    )
