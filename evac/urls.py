from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from evac.core import views as core_views

urlpatterns = [
    path("", RedirectView.as_view(url="/staff/", permanent=False)),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("staff/", core_views.staff_home, name="staff_home"),
    # Every staff page of an operation lives under its slug; see evac/operations/web.py.
    path("ops/<slug:op>/", include("evac.operations.urls")),
    path("ops/<slug:op>/citizens/", include("evac.people.urls")),
    path("ops/<slug:op>/flights/", include("evac.flights.urls")),
    path("healthz", core_views.healthz, name="healthz"),
]
