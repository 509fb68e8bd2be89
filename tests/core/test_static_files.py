"""Static files in production: gunicorn serves them itself (whitenoise), gzip-compressed,
under names that change with their content so browsers keep them for a year, and the pages
that use them keep their strict Content-Security-Policy."""

import gzip
import re

import pytest
from django.core.management import call_command
from django.test import Client

from tests.core.test_content_security_policy import POLICY, _policy

pytestmark = pytest.mark.django_db
A_YEAR = 365 * 24 * 3600


@pytest.fixture
def collected(settings, tmp_path):
    """The production storage, after `collectstatic` as a deployment runs it."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    # A new client builds the middleware again, and whitenoise reads STATIC_ROOT then.
    return Client()


def test_the_stylesheet_has_a_hashed_name_comes_compressed_and_keeps_for_a_year(collected):
    # One test, as collectstatic (which compresses every file) takes a while.
    page = collected.get("/accounts/login/")

    assert page.status_code == 200
    assert _policy(page["Content-Security-Policy"]) == POLICY
    found = re.search(r'href="(/static/css/evac\.[0-9a-f]{12}\.css)"', page.content.decode())
    assert found, "the stylesheet is not linked by its hashed name"

    response = collected.get(found.group(1), HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert response["Content-Type"].startswith("text/css")
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
    assert max_age >= A_YEAR and "immutable" in response["Cache-Control"]
    css = gzip.decompress(b"".join(response.streaming_content)).decode()
    assert "body" in css
