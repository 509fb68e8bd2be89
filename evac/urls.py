from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from evac.core import views as core_views

urlpatterns = [
    path("", RedirectView.as_view(url="/staff/", permanent=False)),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("staff/", core_views.staff_home, name="staff_home"),
    path("healthz", core_views.healthz, name="healthz"),
]
