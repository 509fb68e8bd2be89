"""No public page or answer shows anyone but the person who proved who they are."""

import pytest
from django.urls import reverse

from evac.demo.scenario import load_demo
from evac.people.models import Citizen

pytestmark = pytest.mark.django_db


def test_the_public_pages_show_no_other_persons_name_document_or_phone(client):
    demo = load_demo("pw")
    operation = demo.operation
    op = operation.slug
    me = operation.citizens.filter(bookings__is_active=True, phone__gt="").first()
    pages = [
        client.get(reverse("portal_index")),
        client.get(reverse("portal:home", args=[op])),
        client.get(reverse("portal:register", args=[op])),
        client.get(reverse("portal:status", args=[op])),
        client.post(
            reverse("portal:status", args=[op]),
            {"reference": me.reference, "date_of_birth": "1900-01-01"},
        ),
    ]
    found = client.post(
        reverse("portal:status", args=[op]),
        {"reference": me.reference, "date_of_birth": me.date_of_birth.isoformat()},
        follow=True,
    )
    pages.append(found)
    for action in ("confirm", "contacts", "stay", "left"):
        pages.append(client.get(reverse("portal:change", args=[op]) + f"?do={action}"))
    html = "\n".join(page.content.decode() for page in pages)
    assert me.reference in html  # the lookup did work

    others = Citizen.objects.exclude(pk=me.pk)
    assert others.count() > 100
    for other in others:
        if other.surname.casefold() != me.surname.casefold():
            assert other.surname not in html, other.surname
        if other.document_number:
            assert other.document_number not in html
        if other.phone:
            assert other.phone.as_e164 not in html
            assert other.phone.as_e164[-9:] not in html
