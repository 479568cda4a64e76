"""Settings are parsed loudly: a bad value stops start-up, naming the variable."""

import os
import subprocess
import sys

import pytest


def start_django(**env):
    """Import the settings in a fresh interpreter with this environment."""
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings;"
            " django.setup(); print(settings.DEBUG)",
        ],
        env={**clean, "DJANGO_SETTINGS_MODULE": "changeready.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "false"}, "SECRET_KEY is required"),
        ({"DEBUG": "maybe", "SECRET_KEY": "x"}, "DEBUG must be true or false"),
        ({"SECRET_KEY": "x", "DATABASE_URL": "mysql://db/x"}, "DATABASE_URL must be"),
        ({"SECRET_KEY": "x", "DATABASE_URL": "nonsense"}, "DATABASE_URL"),
        ({"SECRET_KEY": "x", "REDIS_URL": "http://cache"}, "REDIS_URL must start with"),
        (
            {"SECRET_KEY": "x", "EMAIL_HOST": "smtp", "EMAIL_PORT": "abc"},
            "EMAIL_PORT must be a whole number",
        ),
        ({"SECRET_KEY": "x", "TASKS_BACKEND": "celery"}, "TASKS_BACKEND must be"),
    ],
)
def test_bad_settings_stop_start_up_naming_the_variable(env, message):
    result = start_django(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_debug_runs_without_a_secret_key():
    result = start_django(DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
