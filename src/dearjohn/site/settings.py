"""Django settings for Dear John.

Every value a department may change comes from a DEARJOHN_* environment
variable (see README, "Configuration"); config.py checks them.
"""

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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
SESSION_COOKIE_AGE = config.number("DEARJOHN_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

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
}
