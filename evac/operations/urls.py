from django.urls import path

from evac.operations import views

app_name = "operations"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("advice/", views.advice_edit, name="advice"),
    path("closing/", views.closing, name="closing"),
]
