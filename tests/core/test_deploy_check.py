"""With the production environment, `manage.py check --deploy` reports nothing.

EVAC_HTTPS=1 is what production sets: HTTPS only, Secure cookies, HSTS. Without it (a laptop,
the tests, plain HTTP) the same check warns, which is the control for the clean run.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def _production(tmp_path: Path, **variables: str) -> dict[str, str]:
    # A clean environment: nothing from the developer's shell or pytest-env.
    return {
        "PATH": os.environ.get("PATH", ""),
        "EVAC_VAR_DIR": str(tmp_path / "var"),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "evac.example.org",
        "EVAC_HTTPS": "1",
        **variables,
    }


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _run(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")


def test_the_deploy_check_is_clean_in_production(tmp_path):
    result = _deploy_check(_production(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_https_the_deploy_check_warns(tmp_path):
    result = _deploy_check(_production(tmp_path, EVAC_HTTPS="0"))
    assert result.returncode != 0
    # HSTS, redirect, the session cookie (W010: Django's check knows the sessions app, not
    # Evac's session middleware, which is its subclass), the CSRF cookie.
    for warning in ("W004", "W008", "W010", "W016"):
        assert f"security.{warning}" in result.stderr


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        (
            {},
            "True True True 31536000 True True None",
        ),
        (
            {
                "SECURE_SSL_REDIRECT": "0",
                "SECURE_HSTS_SECONDS": "600",
                "SECURE_HSTS_PRELOAD": "0",
                "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
            },
            "False True True 600 True False ('HTTP_X_FORWARDED_PROTO', 'https')",
        ),
    ],
)
def test_production_settings_follow_the_environment(tmp_path, variables, expected):
    show = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'evac.settings'; "
        "django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
        "s.SECURE_PROXY_SSL_HEADER)"
    )
    env = {**_production(tmp_path, **variables), "PYTHONPATH": str(BASE_DIR)}
    result = _run(env, "-c", show)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_on_postgresql_without_a_shared_cache_the_deploy_check_warns(tmp_path):
    postgres = "postgres://evac@db.example.org:5432/evac"

    result = _deploy_check(_production(tmp_path, DATABASE_URL=postgres))
    shared = _deploy_check(
        _production(tmp_path, DATABASE_URL=postgres, CACHE_URL="redis://cache.example.org:6379/1")
    )

    assert result.returncode != 0 and "evac.W001" in result.stderr
    assert shared.returncode == 0, shared.stderr
