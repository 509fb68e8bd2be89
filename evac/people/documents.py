"""Is a person's travel document good for the journey? Checked before the gate, never refused.

A check flags; it does not stop a booking or an export (the embassy may be issuing a new
document that very day). The flags travel with the person onto the manifest, the print view,
boarding mode and every file, and the flight's header counts them:

- no document recorded;
- the document expires before the day of arrival (or within EVAC_DOCUMENT_EXPIRY_MARGIN_DAYS
  of it: some countries want a passport valid some days beyond the journey);
- a document number that is not 5–20 letters and digits with at least one digit;
- a birth date that doesn't fit the document: a child's travel document or a birth
  certificate for an adult, an identity card for a child under 14;
- a Latin name a passport could not hold (people.latin).
"""

import re
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from evac.people.latin import is_passport_latin
from evac.people.models import Citizen

# What a document number may look like once spaces and dashes are gone.
DOCUMENT_NUMBER = re.compile(r"^(?=.*\d)[A-Z0-9]{5,20}$")
# The youngest age at which an identity card is issued (Ukraine's ID card: 14).
IDENTITY_CARD_FROM_AGE = 14
_D = Citizen.DocumentType
CHILDREN_ONLY = frozenset({_D.CHILD_TRAVEL_DOCUMENT, _D.BIRTH_CERTIFICATE})


class DocumentIssue(models.TextChoices):
    NO_DOCUMENT = "no_document", _("no travel document")
    EXPIRES = "expires", _("document expires before arrival")
    NUMBER = "number", _("document number malformed")
    AGE = "age", _("birth date does not fit the document")
    NAME = "name", _("Latin name not as a passport writes it")


def expiry_margin() -> timedelta:
    return timedelta(days=settings.EVAC_DOCUMENT_EXPIRY_MARGIN_DAYS)


def document_issues(person: Citizen, *, arrival_day: date) -> tuple[DocumentIssue, ...]:
    """What is wrong with `person`'s document for a journey arriving on `arrival_day`."""
    issues = []
    if person.document_type == _D.NONE:
        issues.append(DocumentIssue.NO_DOCUMENT)
    else:
        expires = person.document_expires_on
        if expires is not None and expires < arrival_day + expiry_margin():
            issues.append(DocumentIssue.EXPIRES)
        number = re.sub(r"[\s-]", "", person.document_number or "").upper()
        if not DOCUMENT_NUMBER.match(number):
            issues.append(DocumentIssue.NUMBER)
        if _age_does_not_fit(person, arrival_day):
            issues.append(DocumentIssue.AGE)
    if not (is_passport_latin(person.surname) and is_passport_latin(person.given_names)):
        issues.append(DocumentIssue.NAME)
    return tuple(issues)


def _age_does_not_fit(person: Citizen, day: date) -> bool:
    age = person.age_on(day)
    if person.document_type in CHILDREN_ONLY:
        return age >= settings.EVAC_MINOR_UNDER_AGE
    if person.document_type == _D.NATIONAL_ID:
        return age < IDENTITY_CARD_FROM_AGE
    return False
