"""Loaded by pytest before Django starts (see `addopts` in pyproject.toml).

Tests run with production settings (DEBUG off), so the few values that a real
deployment must provide are given here, and cheap test-only choices (a fast
password hasher, plain static storage) are applied once Django is configured.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SITE_URL", "http://testserver")


def pytest_configure(config):
    from django.conf import settings

    if not settings.configured:
        return
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
