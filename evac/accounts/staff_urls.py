from django.urls import path

from evac.accounts import views

app_name = "staff"

urlpatterns = [
    path("", views.staff_list, name="list"),
    path("<int:membership_id>/unlock/", views.staff_unlock, name="unlock"),
    path(
        "<int:membership_id>/reset-two-factor/",
        views.staff_reset_two_factor,
        name="reset_two_factor",
    ),
]
