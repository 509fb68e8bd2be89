import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_coordinator_writes_the_advice_the_public_page_shows(client, operation, alice):
    client.force_login(alice)
    url = reverse("operations:advice", args=[operation.slug])
    response = client.post(url, {"advice": "Stay where you are and keep in touch."})
    assert response.status_code == 302
    client.logout()
    home = client.get(reverse("portal:home", args=[operation.slug])).content.decode()
    assert "Stay where you are and keep in touch." in home


def test_an_officer_may_not_change_the_advice(client, operation, bob):
    client.force_login(bob)
    response = client.post(reverse("operations:advice", args=[operation.slug]), {"advice": "x"})
    assert response.status_code == 403
    operation.refresh_from_db()
    assert operation.advice == ""
