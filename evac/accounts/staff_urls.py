from django.urls import path

from evac.accounts import views

# Included by evac/cockpit/staff_urls.py, which adds the actions that send e-mail.
urlpatterns = [
    path("", views.staff_list, name="list"),
    path("<int:membership_id>/role/", views.staff_set_role, name="set_role"),
    path("<int:membership_id>/remove/", views.staff_remove, name="remove"),
    path("<int:membership_id>/unlock/", views.staff_unlock, name="unlock"),
    path(
        "<int:membership_id>/reset-two-factor/",
        views.staff_reset_two_factor,
        name="reset_two_factor",
    ),
]
