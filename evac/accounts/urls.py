from django.urls import path

from evac.accounts import views

app_name = "two_factor"

urlpatterns = [
    path("", views.security, name="security"),
    path("setup/", views.setup, name="setup"),
    path("setup/qr.svg", views.setup_qr, name="setup_qr"),
    path("verify/", views.verify, name="verify"),
]
