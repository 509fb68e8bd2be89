from django.urls import path

from evac.accounts import views

app_name = "staff"

urlpatterns = [
    path("", views.staff_list, name="list"),
    path("add/", views.staff_add, name="add"),
    path("<int:membership_id>/role/", views.staff_set_role, name="set_role"),
    path("<int:membership_id>/remove/", views.staff_remove, name="remove"),
    path("<int:membership_id>/unlock/", views.staff_unlock, name="unlock"),
    path(
        "<int:membership_id>/reset-two-factor/",
        views.staff_reset_two_factor,
        name="reset_two_factor",
    ),
]
