from django.urls import path  # noqa: F401

from evac.flights import views  # noqa: F401

app_name = "flights"
urlpatterns: list = []
