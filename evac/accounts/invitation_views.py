"""The public page behind an invitation link: a new staff member sets their own password.

The link's token is in its fragment, so the page is the same for everyone; its script puts
the token in the form, and only the POST carries it. Public, so bounded like the portal's
POSTs: a body size limit and a per-address rate limit. A link that is unknown, used, revoked
or expired gets one answer, which names nobody.
"""

from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_ratelimit.core import is_ratelimited

from evac.accounts.forms import InvitationPasswordForm
from evac.accounts.invitations import invitation_accept


def _too_large(request: HttpRequest) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > settings.EVAC_PORTAL_MAX_POST_BYTES
    except ValueError:
        return True


def _limited(request: HttpRequest) -> bool:
    """Count this POST against the address's limits: every public POST's (as on the portal)
    and this page's own, stricter one. True if over either."""
    over = False
    for group, rate in (
        ("invitation:ip", settings.EVAC_PORTAL_RATE_PER_IP),
        ("invitation:ip:own", settings.EVAC_INVITATION_RATE_PER_IP),
    ):
        over |= is_ratelimited(
            request, group=group, key="ip", rate=rate, method="POST", increment=True
        )
    return over


@never_cache
@sensitive_post_parameters("token", "password", "password_again")
def invitation(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        # Both before the body is read.
        if _too_large(request):
            return render(request, "accounts/invitation.html", {"too_large": True}, status=413)
        if _limited(request):
            return render(request, "accounts/invitation_limited.html", status=429)
    form = InvitationPasswordForm(request.POST or None)
    if form.is_valid():
        try:
            user = invitation_accept(
                token=form.cleaned_data["token"], password=form.cleaned_data["password"]
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            # The second step next, before any staff page (accounts.middleware sends a
            # role that needs one there anyway).
            setup = reverse("two_factor:setup")
            return redirect(f"{setup}?next={reverse('staff_home')}")
    status = 400 if form.errors else 200
    return render(request, "accounts/invitation.html", {"form": form}, status=status)


# Bounded in size and rate (tests/portal/test_public_posts.py walks every public POST).
invitation.public_post = True
