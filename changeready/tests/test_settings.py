"""Settings are parsed loudly: a bad value stops start-up, naming the variable."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from changeready.env import code_release


def start_django(code="print(settings.DEBUG)", **env):
    """Import the settings in a fresh interpreter with this environment, then run `code`.

    A variable given as None is left out of the environment."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "RELEASE", *env}
    }
    given = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; django.setup()\n" + code,
        ],
        env={**clean, "DJANGO_SETTINGS_MODULE": "changeready.settings", **given},
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
        ({"SECRET_KEY": "x", "SITE_URL": None}, "SITE_URL is required when DEBUG is false"),
        ({"DEBUG": "true", "PORT": "eighty"}, "PORT must be a whole number"),
    ],
)
def test_bad_settings_stop_start_up_naming_the_variable(env, message):
    result = start_django(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_links_in_development_follow_the_port_the_server_runs_on():
    result = start_django("print(settings.SITE_URL)", DEBUG="true", SITE_URL=None, PORT="8101")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "http://127.0.0.1:8101"


def test_make_run_passes_its_port_to_the_server_it_starts():
    dry_run = subprocess.run(
        ["make", "--dry-run", "run"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "PORT": "8101"},
        capture_output=True,
        text=True,
        check=True,
    )
    [serve] = [line for line in dry_run.stdout.splitlines() if "runserver" in line]
    assert "PORT=8101" in serve.split()
    assert serve.endswith("runserver 127.0.0.1:8101")


def test_a_given_site_url_is_used_as_it_is():
    result = start_django(
        "print(settings.SITE_URL)", SECRET_KEY="x", SITE_URL="https://cr.example.com/"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://cr.example.com"


def test_debug_runs_without_a_secret_key():
    result = start_django(DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


SQLITE_PRAGMAS = """
from django.db import connection
with connection.cursor() as cursor:
    for pragma in ("journal_mode", "busy_timeout", "foreign_keys"):
        cursor.execute(f"PRAGMA {pragma}")
        print(pragma, cursor.fetchone()[0])
print("transaction_mode", connection.settings_dict["OPTIONS"]["transaction_mode"])
"""


def test_embedded_sqlite_is_set_up_for_several_people_at_once(tmp_path):
    result = start_django(
        SQLITE_PRAGMAS, DEBUG="true", DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:4] == [
        "journal_mode wal",
        "busy_timeout 20000",
        "foreign_keys 1",
        "transaction_mode IMMEDIATE",
    ]


def test_redis_url_gives_a_shared_cache_and_cached_sessions():
    result = start_django(
        "print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE)",
        DEBUG="true",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cached_db",
    ]


def test_hypothesis_runs_with_the_profile_the_environment_names():
    from hypothesis import settings as hypothesis_settings

    chosen = hypothesis_settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
    active = hypothesis_settings.default
    assert (active.deadline, active.derandomize) == (chosen.deadline, chosen.derandomize)
    ci = hypothesis_settings.get_profile("ci")
    assert (ci.deadline, ci.derandomize) == (None, True)


def test_the_cache_is_keyed_by_the_release_named_or_digested():
    named = start_django(
        "print(settings.CACHES['default']['KEY_PREFIX'])",
        DEBUG="true",
        REDIS_URL="redis://127.0.0.1:6379/0",
        RELEASE="abc123",
    )
    assert named.stdout.strip() == "cr-abc123"
    digested = start_django(
        "print(settings.RELEASE)", DEBUG="true", REDIS_URL="redis://127.0.0.1:6379/0"
    )
    assert digested.returncode == 0 and len(digested.stdout.strip()) == 12


def test_the_code_digest_moves_with_code_and_templates_not_tests(tmp_path):
    package = tmp_path / "package"
    (package / "templates").mkdir(parents=True)
    (package / "tests").mkdir()
    (package / "rules.py").write_text("WEEKS = (1, 2)\n")
    (package / "templates" / "page.html").write_text("<p>{{ x }}</p>")
    (package / "tests" / "test_rules.py").write_text("def test(): pass\n")
    first = code_release(package)
    assert code_release(package) == first
    (package / "tests" / "test_rules.py").write_text("def test(): assert 1\n")
    assert code_release(package) == first
    (package / "templates" / "page.html").write_text("<p>{{ y }}</p>")
    second = code_release(package)
    assert second != first
    (package / "rules.py").write_text("WEEKS = (1, 3)\n")
    assert code_release(package) not in (first, second)
