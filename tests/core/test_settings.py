"""Settings come from the environment and stop the process on a bad value, naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.utils import ConnectionHandler

from evac.env import env_bool, env_database, env_int, env_list

BASE_DIR = Path(settings.BASE_DIR)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("True", True),
        ("1", True),
        ("yes", True),
        (" on ", True),
        ("false", False),
        ("FALSE", False),
        ("0", False),
        ("no", False),
        ("off", False),
    ],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("EVAC_FLAG", raw)
    assert env_bool("EVAC_FLAG", default=not expected) is expected


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_env_bool_falls_back_to_the_default_when_unset_or_blank(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv("EVAC_FLAG", raising=False)
    else:
        monkeypatch.setenv("EVAC_FLAG", raw)
    assert env_bool("EVAC_FLAG", default=True) is True
    assert env_bool("EVAC_FLAG", default=False) is False


def test_env_bool_rejects_a_word_it_does_not_know(monkeypatch):
    monkeypatch.setenv("EVAC_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match=r"EVAC_FLAG.*'maybe'"):
        env_bool("EVAC_FLAG")


def test_env_int_reads_a_whole_number(monkeypatch):
    monkeypatch.setenv("EVAC_AGE", "21")
    assert env_int("EVAC_AGE", 18) == 21


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_env_int_falls_back_to_the_default_when_unset_or_blank(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv("EVAC_AGE", raising=False)
    else:
        monkeypatch.setenv("EVAC_AGE", raw)
    assert env_int("EVAC_AGE", 18) == 18


@pytest.mark.parametrize("raw", ["eighteen", "18.5", "18 years"])
def test_env_int_rejects_anything_else(monkeypatch, raw):
    monkeypatch.setenv("EVAC_AGE", raw)
    with pytest.raises(ImproperlyConfigured, match="EVAC_AGE"):
        env_int("EVAC_AGE", 18)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("EVAC_HOSTS", " evac.example.org, ,localhost,")
    assert env_list("EVAC_HOSTS", ["default"]) == ["evac.example.org", "localhost"]


def test_env_list_falls_back_to_the_default_only_when_unset(monkeypatch):
    monkeypatch.delenv("EVAC_HOSTS", raising=False)
    assert env_list("EVAC_HOSTS", ["default"]) == ["default"]
    # Set but empty means "none", which is how an operator switches a list off.
    monkeypatch.setenv("EVAC_HOSTS", "")
    assert env_list("EVAC_HOSTS", ["default"]) == []


def test_env_database_defaults_to_sqlite_tuned_for_several_processes(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    database_file = tmp_path / "evac.sqlite3"

    config = env_database("DATABASE_URL", f"sqlite:///{database_file}")

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(database_file)
    assert "PRAGMA journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["timeout"] >= 5
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["TEST"]["NAME"] == str(tmp_path / "test-evac.sqlite3")


def test_env_database_sqlite_connections_really_run_in_wal_mode(
    monkeypatch, tmp_path, django_db_blocker
):
    # The options above only matter if Django applies them; open a real connection to see.
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = env_database("DATABASE_URL", f"sqlite:///{tmp_path / 'evac.sqlite3'}")
    connection = ConnectionHandler({"default": config})["default"]
    with django_db_blocker.unblock():
        try:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone()[0] == "wal"
        finally:
            connection.close()


def test_env_database_parses_a_postgres_url(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://evac:s3cret@db.internal:6543/evac_prod")

    config = env_database("DATABASE_URL", "sqlite:///unused.sqlite3")

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"]) == ("evac", "s3cret")
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 6543, "evac_prod")
    # The SQLite tuning must not leak into other engines.
    assert "init_command" not in config.get("OPTIONS", {})


@pytest.mark.parametrize(
    "url", ["mysql://evac:pw@127.0.0.1:3306/evac", "garbage", "http://evac.example.org/"]
)
def test_env_database_rejects_what_evac_does_not_support(monkeypatch, url):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_database("DATABASE_URL", "sqlite:///unused.sqlite3")


# Importing settings in a fresh interpreter, as manage.py, gunicorn and celery do.
_SETUP_DJANGO = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'evac.settings'); "
    "django.setup()"
)


def _start_django(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    # A clean environment: no SECRET_KEY or DEBUG from the developer's shell or pytest-env.
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(BASE_DIR),
        "EVAC_VAR_DIR": str(tmp_path / "var"),
        **variables,
    }
    return subprocess.run(
        [sys.executable, "-c", _SETUP_DJANGO],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_settings_load_in_a_clean_environment_with_debug_on(tmp_path):
    # The control for the failures below: the same command succeeds when nothing is wrong.
    result = _start_django(tmp_path, DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off(tmp_path):
    result = _start_django(tmp_path, DEBUG="false")
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set" in result.stderr


def test_settings_refuse_a_debug_value_they_do_not_understand(tmp_path):
    result = _start_django(tmp_path, DEBUG="maybe", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DEBUG must be one of" in result.stderr


def test_settings_refuse_a_broker_evac_does_not_support(tmp_path):
    result = _start_django(tmp_path, DEBUG="1", CELERY_BROKER_URL="amqp://x")
    assert result.returncode != 0
    assert "ImproperlyConfigured: CELERY_BROKER_URL must be" in result.stderr
