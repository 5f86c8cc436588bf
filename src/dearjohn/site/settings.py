"""Django settings for Dear John.

Every value a department may change comes from a DEARJOHN_* environment
variable (see README, "Configuration"); config.py checks them.
"""

from datetime import timedelta
from pathlib import Path

from . import config

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = config.data_dir()
MEDIA_ROOT = DATA_DIR / "media"
EVIDENCE_ROOT = DATA_DIR / "evidence"

SECRET_KEY = config.secret_key(DATA_DIR)
DEBUG = config.flag("DEARJOHN_DEBUG")
ALLOWED_HOSTS = config.listing("DEARJOHN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = config.listing("DEARJOHN_CSRF_TRUSTED_ORIGINS", [])

DATABASES = {"default": config.database(DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "dearjohn.site",
    "dearjohn.evidence",
    "dearjohn.vehicles",
    "dearjohn.cases",
    "dearjohn.letters",
    "dearjohn.oversight",
    "dearjohn.insights",
    "dearjohn.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
]

MIDDLEWARE = [
    "dearjohn.site.security.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "dearjohn.site.security.SecurityHeadersMiddleware",
    "dearjohn.site.security.RequestSizeLimitMiddleware",
    "dearjohn.site.ratelimit.RateLimitMiddleware",
    "dearjohn.site.errors.StorageFullMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "dearjohn.accounts.middleware.RequireMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dearjohn.site.urls"
WSGI_APPLICATION = "dearjohn.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dearjohn.site.context_processors.program",
                "dearjohn.accounts.context_processors.idle_timeout",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
USE_I18N = True
USE_TZ = True
TIME_ZONE = config.text("DEARJOHN_TIME_ZONE", "America/Los_Angeles")

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "media/"
# Static files are served from the installed package, so a fresh install
# needs no collectstatic step; whitenoise caches them in production.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Behind a TLS-terminating reverse proxy (the documented deployment), turn on
# every HTTPS protection; `dearjohn check --deploy` then passes.
HTTPS = config.flag("DEARJOHN_HTTPS")
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = config.number("DEARJOHN_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = config.flag("DEARJOHN_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# CJIS asks that idle sessions end within 30 minutes: a shorter setting is
# honoured, a longer one is cut to 30.
SESSION_COOKIE_AGE = max(1, min(config.number("DEARJOHN_SESSION_IDLE_MINUTES", 30), 30)) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Backups dump with this format: Django's JSON, times kept to the microsecond.
SERIALIZATION_MODULES = {"exactjson": "dearjohn.oversight.exact_json"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"dearjohn": {"level": config.text("DEARJOHN_LOG_LEVEL", "INFO")}},
}

# The program's own settings.
DEARJOHN = {
    "DEPARTMENT_NAME": config.text("DEARJOHN_DEPARTMENT_NAME", "City Police Department"),
    "PROGRAM_NAME": "Demand Deterrence Letter Program",
    # Review queue: a read at or above this confidence is pre-selected for the
    # reviewer (who must still confirm it); the plate bench's figure.
    "REVIEW_PRESELECT_THRESHOLD": config.number("DEARJOHN_REVIEW_PRESELECT_THRESHOLD", 0.9),
    # How long an item shown to one reviewer is kept from the others.
    "REVIEW_CLAIM_SECONDS": config.number("DEARJOHN_REVIEW_CLAIM_SECONDS", 180),
    # The state shown first when a reviewer confirms a plate the engine gave no state for.
    "DEFAULT_PLATE_STATE": config.text("DEARJOHN_DEFAULT_PLATE_STATE", "CA"),
    # Owner lookups older than this are repeated before a letter is printed.
    "LOOKUP_MAX_AGE_DAYS": config.number("DEARJOHN_LOOKUP_MAX_AGE_DAYS", 30),
    # Where owner lookups go: "local" (the table `dearjohn registry import` fills)
    # or "gateway" (the department's DMV/CLETS gateway over HTTPS).
    "OWNER_LOOKUP_ADAPTER": config.text("DEARJOHN_OWNER_LOOKUP_ADAPTER", "local"),
    "GATEWAY": {
        "URL": config.text("DEARJOHN_GATEWAY_URL", ""),
        "AUTH_HEADER": config.text("DEARJOHN_GATEWAY_AUTH_HEADER", "Authorization"),
        "AUTH_VALUE": config.text("DEARJOHN_GATEWAY_AUTH_VALUE", ""),
        "TIMEOUT_SECONDS": config.number("DEARJOHN_GATEWAY_TIMEOUT_SECONDS", 10.0),
        "RETRIES": config.number("DEARJOHN_GATEWAY_RETRIES", 2),
        # Where the list of records sits in the gateway's JSON answer, and which
        # of its fields holds each registration field (ours: theirs).
        "RECORDS_KEY": config.text("DEARJOHN_GATEWAY_RECORDS_KEY", "records"),
        "FIELD_MAP": config.mapping("DEARJOHN_GATEWAY_FIELD_MAP", {}),
    },
}

# Evidence intake. Uploads larger than FILE_UPLOAD_MAX_MEMORY_SIZE stream to a
# temporary file beside the evidence store (same disk, so a 2 GB video never
# sits in memory); intake hashes while copying it into the store.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_TEMP_DIR = EVIDENCE_ROOT / "incoming"
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True)
FILE_UPLOAD_HANDLERS = [
    "dearjohn.evidence.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DEARJOHN["PLATE_READER"] = config.text("DEARJOHN_PLATE_READER", "dearjohn.plates.PlateReader")
# The plate reader's text detector for photos. Empty: the reader's own default, the
# 8-bit detector ("int8"). "float" is the detector as shipped (1.5 to 4 times
# slower by CPU, no more accurate beyond noise at the same resolution);
# "int8+float" uses it for the magnified second looks only. Figures in docs/plates.md.
DEARJOHN["PLATE_DETECTOR"] = config.text("DEARJOHN_PLATE_DETECTOR", "")
# The reader's detection passes for photos. Empty: its default, "standard" (a survey
# at 720 px, then 1280 px when the survey reads no plate well). "quick" surveys at
# 640 px: a little less accurate on photos. "thorough" skips the survey.
# Figures in docs/plates.md.
DEARJOHN["PLATE_PASSES"] = config.choice("DEARJOHN_PLATE_PASSES", "", ("", "standard", "quick", "thorough"))
# The reader's recognizers (plate characters, printed state names). Empty: its
# default, the 8-bit ones ("int8"); "float" the ones as trained and shipped, for
# CPUs without 8-bit dot-product instructions, where 8 bits may not pay.
DEARJOHN["PLATE_RECOGNIZER"] = config.choice("DEARJOHN_PLATE_RECOGNIZER", "", ("", "int8", "float"))
DEARJOHN["INTAKE"] = {
    "MAX_IMAGE_BYTES": config.number("DEARJOHN_MAX_IMAGE_MB", 50) * 1024 * 1024,
    "MAX_VIDEO_BYTES": config.number("DEARJOHN_MAX_VIDEO_MB", 2048) * 1024 * 1024,
    # Width x height beyond which a photo is treated as a decompression bomb.
    "MAX_IMAGE_PIXELS": config.number("DEARJOHN_MAX_IMAGE_PIXELS", 120_000_000),
    "PUBLIC_SUBMISSIONS_PER_HOUR": config.number("DEARJOHN_PUBLIC_SUBMISSIONS_PER_HOUR", 5),
    # A camera that sent nothing for this long shows as a warning.
    "CAMERA_SILENT_HOURS": config.number("DEARJOHN_CAMERA_SILENT_HOURS", 24),
    # Reads below this confidence are taken for writing that is not a plate and not kept.
    "MIN_READ_CONFIDENCE": config.number("DEARJOHN_MIN_READ_CONFIDENCE", 0.2),
    # A camera's read of writing reviewers have rejected as "Not a plate" this many times
    # there (and never confirmed there) makes no sighting; 0 turns this off.
    "NOT_A_PLATE_AFTER": config.number("DEARJOHN_NOT_A_PLATE_AFTER", 2),
    # A job left running this long by a worker that stopped answering is run again.
    "STALE_JOB_MINUTES": config.number("DEARJOHN_STALE_JOB_MINUTES", 30),
}

# Letters: the letterhead and contact every letter prints (fictitious defaults;
# a department sets its own), the response page, and the mailing rules.
DEARJOHN["LETTERS"] = {
    "DEPARTMENT_ADDRESS": config.listing("DEARJOHN_LETTER_DEPARTMENT_ADDRESS", ["850 Example Street", "San Francisco, CA 94103"]),
    "DEPARTMENT_PHONE": config.text("DEARJOHN_LETTER_DEPARTMENT_PHONE", "(415) 555-0142"),
    "DEPARTMENT_EMAIL": config.text("DEARJOHN_LETTER_DEPARTMENT_EMAIL", "letters@police.example.org"),
    # The public response page as printed on letters and carried by the QR
    # code; the reference is appended after a slash. It must reach this
    # server's /r/ page.
    "RESPONSE_URL_BASE": config.text("DEARJOHN_RESPONSE_URL_BASE", "https://letters.example.org/r"),
    "HOTLINE_NAME": config.text("DEARJOHN_LETTER_HOTLINE_NAME", "National Human Trafficking Hotline"),
    "HOTLINE_PHONE": config.text("DEARJOHN_LETTER_HOTLINE_PHONE", "1-888-373-7888"),
    "HOTLINE_TEXT": config.text("DEARJOHN_LETTER_HOTLINE_TEXT", "233733"),
    "LANGUAGES": ["en", "es", "zh", "fil"],
    # Print a picture of the vehicle (after oversight redaction) on notices.
    "VEHICLE_IMAGE": config.flag("DEARJOHN_LETTER_VEHICLE_IMAGE", default=True),
    # Public response page: failed tries allowed per address within the window.
    "RESPONSE_MAX_FAILURES": config.number("DEARJOHN_RESPONSE_MAX_FAILURES", 10),
    "RESPONSE_FAILURE_WINDOW_MINUTES": config.number("DEARJOHN_RESPONSE_FAILURE_WINDOW_MINUTES", 60),
    "OUTPUT_DIR": DATA_DIR / "letters",
    # Processes that lay out a large print batch in parallel (one per core).
    "RENDER_WORKERS": config.number("DEARJOHN_LETTER_RENDER_WORKERS", 2),
}
# A suppressed vehicle or owner never qualifies under the evidence policy.
DEARJOHN.setdefault("POLICY_EXTRA_CHECKS", []).append("dearjohn.letters.drafting.suppression_blocker")

# Oversight. Retention: days each kind of record is kept (README, "Retention");
# DEARJOHN_RETAIN_<KIND>_DAYS overrides one, e.g. DEARJOHN_RETAIN_SIGHTINGS_DAYS=30.
_RETENTION_DEFAULTS = {
    "sightings": 60,           # sightings (and their reads) never joined to a qualifying case
    "captures": 60,            # photos, videos and crops with no sighting left in a kept case
    "public_unverified": 14,   # public submissions no officer verified
    "cases": 180,              # cases that never had a letter, after their last change
    "lettered_cases": 730,     # cases with letters, after the last letter or response activity
    "owner_lookups": 1095,     # the owner-lookup access log (Civ. Code 1798.90.52)
    "disclosures": 1095,       # the log of case data shared with agencies
    "audit_log": 1095,         # the audit log itself
}
DEARJOHN["RETENTION_DAYS"] = {kind: config.number(f"DEARJOHN_RETAIN_{kind.upper()}_DAYS", days)
                              for kind, days in _RETENTION_DEFAULTS.items()}
# The worker runs the purge once a day at this local time.
DEARJOHN["PURGE_AT"] = config.text("DEARJOHN_PURGE_AT", "03:30")
DEARJOHN["ACCESS_LOG"] = {
    # A lookup is "in bulk" when one user made more than BULK_LOOKUPS within BULK_MINUTES.
    "BULK_LOOKUPS": config.number("DEARJOHN_ACCESS_BULK_LOOKUPS", 20),
    "BULK_MINUTES": config.number("DEARJOHN_ACCESS_BULK_MINUTES", 10),
    # A user's usual hours are learnt from this many days of their lookups, once
    # they have at least HISTORY_MIN lookups: the busiest hours of day covering
    # USUAL_SHARE of them. Until then, WORKING_HOURS (local, [start, end)) apply.
    "HISTORY_DAYS": config.number("DEARJOHN_ACCESS_HISTORY_DAYS", 90),
    "HISTORY_MIN": config.number("DEARJOHN_ACCESS_HISTORY_MIN", 20),
    "USUAL_SHARE": config.number("DEARJOHN_ACCESS_USUAL_SHARE", 0.9),
    "WORKING_HOURS": (config.number("DEARJOHN_ACCESS_HOURS_START", 7), config.number("DEARJOHN_ACCESS_HOURS_END", 23)),
}

# Staff sign-in (accounts): a password and a second factor (django-otp), account
# lockout after repeated failures (django-axes). See README, "Staff sign-in".
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=max(10, config.number("DEARJOHN_LOCKOUT_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = ["username"]  # lock the account, whichever address the attempts come from
AXES_RESET_ON_SUCCESS = False  # failures are forgotten only when both factors succeed (accounts.mfa)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "dearjohn.accounts.views.locked_out"
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in the audit log already
AXES_VERBOSE = False
OTP_TOTP_ISSUER = f"Dear John ({DEARJOHN['DEPARTMENT_NAME']})"
OTP_TOTP_THROTTLE_FACTOR = 1
# Security keys (WebAuthn passkeys, django-otp-webauthn), an extra second factor
# (accounts/keys.py). The relying-party id is the host name staff type in the
# address bar (a domain, never an IP address); keys registered under one id do
# not work under another. The origins are the full addresses with scheme and
# port (https://, or http://localhost for the demo).
OTP_WEBAUTHN_RP_ID = config.text("DEARJOHN_WEBAUTHN_RP_ID", "localhost")
OTP_WEBAUTHN_RP_NAME = config.text("DEARJOHN_WEBAUTHN_RP_NAME", f"Dear John ({DEARJOHN['DEPARTMENT_NAME']})")
OTP_WEBAUTHN_ALLOWED_ORIGINS = config.listing("DEARJOHN_WEBAUTHN_ORIGINS", ["http://localhost:8000"])
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False  # a key is only ever the second step, after the password
DEARJOHN["SIGN_IN"] = {
    "RECOVERY_CODES": 10,
    "IDLE_WARNING_SECONDS": min(120, SESSION_COOKIE_AGE // 2),
}

# Insights: the dashboard, the map and the deterrence figures (README, "Insights").
DEARJOHN["INSIGHTS"] = {
    # Charts, the map and the deterrence figures are computed ahead and kept
    # (insights/figures.py); older than this, a page still shows them with their
    # time and queues a recomputation for the worker. 0 computes on every view.
    "REFRESH_MINUTES": config.number("DEARJOHN_INSIGHTS_REFRESH_MINUTES", 15),
    # How far back the dashboard and the map look.
    "DASHBOARD_WEEKS": config.number("DEARJOHN_INSIGHTS_WEEKS", 52),
    # Deterrence: the period analysed, the horizons reported, and how long
    # after the index date a sighting must come to count as a return.
    "DETERRENCE_DAYS": config.number("DEARJOHN_DETERRENCE_DAYS", 365),
    "RETURN_HORIZONS_DAYS": [7, 30, 90],
    "RETURN_GAP_HOURS": config.number("DEARJOHN_RETURN_GAP_HOURS", 12),
    # Map: sightings are counted per square block of about this many metres.
    # A tile URL (e.g. https://tile.example.org/{z}/{x}/{y}.png) draws a
    # street map under the zones; empty means a plain background, which
    # needs no internet.
    "MAP_GRID_METRES": config.number("DEARJOHN_MAP_GRID_METRES", 100),
    "MAP_TILE_URL": config.text("DEARJOHN_MAP_TILE_URL", ""),
    "MAP_TILE_ATTRIBUTION": config.text("DEARJOHN_MAP_TILE_ATTRIBUTION", ""),
}
# axes warns when lockout ignores the address; CJIS asks to lock the account
# itself, and per-address limits are dearjohn.site.ratelimit's job.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Owner data at rest (site/crypto.py): Fernet keys from the environment (comma-
# separated, newest first) or from a key file kept outside the database.
DEARJOHN["ENCRYPTION"] = {
    "KEYS": config.listing("DEARJOHN_ENCRYPTION_KEYS", []),
    "KEY_FILE": config.text("DEARJOHN_ENCRYPTION_KEY_FILE", str(DATA_DIR / "encryption_keys")),
    "ROTATE_BATCH": 500,
}

# Headers SecurityMiddleware does not set (site/security.py). Scripts and styles
# only from our own static files: no inline <script>, on*= handlers or javascript: URLs.
DEARJOHN["SECURITY_HEADERS"] = {
    "CSP": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
    # Charts and maps served as SVG files carry their styles inline (matplotlib writes a
    # <style> element and style attributes), and nothing else: no script runs in them.
    "SVG_CSP": {
        "default-src": ["'none'"],
        "style-src": ["'unsafe-inline'"],
        "img-src": ["data:"],
        "frame-ancestors": ["'none'"],
    },
    "PERMISSIONS_POLICY": "camera=(self), geolocation=(self), microphone=(), payment=(), usb=()",
}
CSRF_FAILURE_VIEW = "dearjohn.site.errors.csrf_failure"
if DEARJOHN.get("INSIGHTS", {}).get("MAP_TILE_URL"):
    from urllib.parse import urlsplit

    _tiles = urlsplit(DEARJOHN["INSIGHTS"]["MAP_TILE_URL"])
    DEARJOHN["SECURITY_HEADERS"]["CSP"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}")

# The public surface (site/ratelimit.py, site/security.py). Addresses of the
# reverse proxy whose X-Forwarded-For is believed (also given to gunicorn).
DEARJOHN["PROXY_IPS"] = config.listing("DEARJOHN_PROXY_IPS", ["127.0.0.1"])
# Per client address: {url name: [(methods, most requests, per seconds)]}.
DEARJOHN["RATE_LIMITS"] = {
    "login": [("POST", 20, 600)],
    "accounts:verify": [("POST", 20, 600)],
    "accounts:enrol": [("POST", 20, 600)],
    "accounts:key_verify_begin": [("POST", 20, 600)],
    "accounts:key_verify_complete": [("POST", 20, 600)],
    "evidence:submit": [("POST", 20, 3600), ("GET", 300, 60)],
    "evidence:api_camera_captures": [("*", 1200, 60)],
    "respond:start": [("POST", 30, 600), ("GET", 300, 60)],
    "respond:start_with_code": [("POST", 30, 600), ("GET", 300, 60)],
    "respond:form": [("POST", 30, 600), ("GET", 300, 60)],
    "public_policy": [("GET", 300, 60)],
}
# Largest request body each page accepts, checked against Content-Length before
# the body is read; uploads may carry the largest video the intake takes.
_UPLOAD_LIMIT = DEARJOHN["INTAKE"]["MAX_VIDEO_BYTES"] + 1024 * 1024
DEARJOHN["BODY_LIMITS"] = {
    "default": config.number("DEARJOHN_MAX_REQUEST_MB", 20) * 1024 * 1024,
    "evidence:upload": _UPLOAD_LIMIT,
    "evidence:api_camera_captures": _UPLOAD_LIMIT,
    "evidence:submit": DEARJOHN["INTAKE"]["MAX_VIDEO_BYTES"] + 1024 * 1024,
}
