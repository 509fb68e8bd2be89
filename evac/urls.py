from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from evac.accounts import invitation_views
from evac.cockpit import headquarters as cockpit_headquarters
from evac.cockpit import metrics as cockpit_metrics
from evac.cockpit import views as cockpit_views
from evac.core import views as core_views
from evac.portal import views as portal_views

urlpatterns = [
    # The public citizen portal: the active operations at /, each one's pages under /p/<slug>/.
    path("", portal_views.index, name="portal_index"),
    path("p/<slug:op>/", include("evac.portal.urls")),
    # Log in and out, and change one's own password. No reset by e-mail link: staff accounts
    # are reset by a coordinator or an administrator, not by whoever reads a mailbox.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # A new staff member's invitation link: they set their own password (evac/accounts).
    path("accounts/invitation/", invitation_views.invitation, name="invitation"),
    # The second factor (evac/accounts): set up, enter, backup codes.
    path("accounts/two-factor/", include("evac.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("staff/", cockpit_views.staff_home, name="staff_home"),
    # Headquarters open operations and invite headquarters (evac/cockpit/headquarters.py).
    path("staff/operations/new/", cockpit_headquarters.operation_new, name="operation_new"),
    path("staff/headquarters/", cockpit_headquarters.headquarters_members, name="headquarters"),
    # Every staff page of an operation lives under its slug; see evac/operations/web.py.
    path("ops/<slug:op>/", include("evac.cockpit.urls")),
    path("ops/<slug:op>/citizens/", include("evac.people.urls")),
    path("ops/<slug:op>/flights/", include("evac.flights.urls")),
    path("ops/<slug:op>/transfers/", include("evac.flights.transfer_urls")),
    path("ops/<slug:op>/messages/", include("evac.notifications.urls")),
    path("ops/<slug:op>/access-log/", include("evac.audit.urls")),
    path("ops/<slug:op>/staff/", include("evac.cockpit.staff_urls")),
    path("healthz", core_views.healthz, name="healthz"),
    # For Prometheus, behind EVAC_METRICS_TOKEN (evac/cockpit/metrics.py).
    path("metrics", cockpit_metrics.metrics, name="metrics"),
    # REST API (/api/v1/), its OpenAPI schema and docs; see evac/api/urls.py.
    path("api/", include("evac.api.urls")),
]

# Evac's own error pages, in the reader's language with a way back (evac/core/error_views.py).
handler403 = "evac.core.error_views.forbidden"
handler404 = "evac.core.error_views.not_found"
handler500 = "evac.core.error_views.server_error"
