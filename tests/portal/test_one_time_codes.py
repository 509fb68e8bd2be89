from datetime import timedelta

import pytest

from evac.core.clock import now
from evac.portal import codes
from evac.portal.codes import one_time_code_issue, one_time_code_use
from evac.portal.models import OneTimeCode
from tests.portal.conftest import last_code, send_all_pending

pytestmark = pytest.mark.django_db


def issue(citizen) -> str:
    one_time_code_issue(citizen=citizen, channel="sms")
    send_all_pending()
    return ""


def test_the_code_goes_by_sms_and_is_stored_only_as_a_hash(olena, sms_file):
    issue(olena)
    code = last_code(sms_file)
    assert sms_file.read()[-1]["to"] == "+77011234567"
    stored = OneTimeCode.objects.get(citizen=olena)
    assert code not in stored.code_hash
    assert one_time_code_use(citizen=olena, code=code) is not None


def test_a_code_works_only_once(olena, sms_file):
    issue(olena)
    code = last_code(sms_file)
    assert one_time_code_use(citizen=olena, code=code) is not None
    assert one_time_code_use(citizen=olena, code=code) is None


def test_a_code_expires_after_ten_minutes(olena, sms_file, monkeypatch):
    issue(olena)
    code = last_code(sms_file)
    monkeypatch.setattr(codes, "now", lambda: now() + timedelta(minutes=10, seconds=1))
    assert one_time_code_use(citizen=olena, code=code) is None


def test_five_wrong_tries_use_the_code_up(olena, sms_file):
    issue(olena)
    code = last_code(sms_file)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert one_time_code_use(citizen=olena, code=wrong) is None
    assert one_time_code_use(citizen=olena, code=code) is None


def test_a_new_code_replaces_the_old_one(olena, sms_file):
    issue(olena)
    first = last_code(sms_file)
    issue(olena)
    second = last_code(sms_file)
    if first != second:
        assert one_time_code_use(citizen=olena, code=first) is None
    assert one_time_code_use(citizen=olena, code=second) is not None


def test_no_code_to_a_channel_without_an_address(olena):
    assert one_time_code_issue(citizen=olena, channel="email") is None
