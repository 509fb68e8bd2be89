"""The Staff page of an operation: evac/accounts' actions, and those that send an e-mail
(adding a new person invites them), which sit here above evac/notifications."""

from django.urls import path

from evac.accounts import staff_urls
from evac.cockpit import staff_views

app_name = "staff"
urlpatterns = [
    *staff_urls.urlpatterns,
    path("add/", staff_views.staff_add, name="add"),
    path("<int:membership_id>/invite/", staff_views.staff_invite, name="invite"),
    path(
        "<int:membership_id>/revoke-invitation/",
        staff_views.staff_revoke_invitation,
        name="revoke_invitation",
    ),
]
