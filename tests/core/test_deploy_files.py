"""The production files shipped in deploy/: supervised processes that always come back, and
gunicorn with threaded workers."""

import configparser
import runpy
from pathlib import Path

import pytest
from django.conf import settings

DEPLOY = Path(settings.BASE_DIR) / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def _unit(path: Path) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # systemd keys are case-sensitive
    unit.read_string(path.read_text().replace("\\\n", " "))
    return unit


def test_there_is_a_unit_for_web_workers_and_beat():
    assert [unit.name for unit in UNITS] == [
        "evac-beat.service",
        "evac-web.service",
        "evac-worker@.service",
    ]


@pytest.mark.parametrize("path", UNITS, ids=lambda path: path.name)
def test_every_process_is_restarted_however_it_ends_and_never_given_up_on(path):
    unit = _unit(path)

    assert unit["Service"]["Restart"] == "always"
    assert unit["Unit"]["StartLimitIntervalSec"] == "0"
    assert unit["Service"]["EnvironmentFile"] == "/etc/evac/evac.env"


def test_the_web_unit_runs_gunicorn_with_the_config_in_the_repository():
    exec_start = _unit(DEPLOY / "systemd" / "evac-web.service")["Service"]["ExecStart"]

    assert "gunicorn -c deploy/gunicorn.conf.py evac.wsgi" in exec_start


def test_gunicorn_runs_threaded_workers(monkeypatch):
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))

    assert config["worker_class"] == "gthread"
    assert config["workers"] >= 2 and config["threads"] >= 2
