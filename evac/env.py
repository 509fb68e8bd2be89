"""Small helpers that read settings from the environment and fail loudly.

A typo in a production environment variable should stop the process at start-up with a
message that names the variable, not run quietly on a default.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no/on/off, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, default: str) -> dict:
    """Parse a database URL; SQLite gets WAL mode, a busy timeout and immediate transactions."""
    url = os.environ.get(name) or default
    try:
        config = dj_database_url.parse(url, conn_max_age=0)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(
            f"{name} is not a database URL Evac understands: {exc}"
        ) from None
    engine = config.get("ENGINE", "")
    if engine not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
        raise ImproperlyConfigured(f"{name} must point at SQLite or PostgreSQL, not {engine!r}")
    if engine == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            # Several processes (web, worker, beat) share the file. WAL lets readers run
            # beside a writer; the timeout makes a writer wait instead of failing with
            # "database is locked"; IMMEDIATE takes the write lock at BEGIN so a read-then-
            # write transaction can't deadlock against another one.
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        # Tests get a file beside it rather than memory, so threads and worker processes
        # in the tests share one database the way web and worker processes do.
        database_file = Path(config["NAME"])
        config["TEST"] = {"NAME": str(database_file.with_name(f"test-{database_file.name}"))}
    return config


def env_int_list(name: str, default: list[int]) -> list[int]:
    """Comma-separated whole numbers, e.g. EVAC_REMINDER_OFFSETS_HOURS=24,3."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return [int(item) for item in raw.split(",") if item.strip()]
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be whole numbers separated by commas, not {raw!r}"
        ) from None
