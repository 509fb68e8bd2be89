"""Headquarters' pages: open a new operation, and who is at headquarters, with an invitation
for a new colleague. (All operations, with their headline numbers, are on the staff home,
evac/cockpit/views.staff_home; closing is each operation's closing page, which headquarters
reach as a coordinator of every operation.)"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from evac.accounts.invitations import headquarters_invitations_open
from evac.core import clock
from evac.core.errors import Conflict
from evac.notifications.invitations import headquarters_invite
from evac.operations.access import is_headquarters
from evac.operations.models import Headquarters, Operation
from evac.operations.services import operation_open
from evac.people.forms import DateInput

OPERATION_FIELDS = [
    "name",
    "slug",
    "hotline_phone",
    "hotline_email",
    "advice",
    "embassy_contact_name",
    "embassy_contact_phone",
]


class OperationOpenForm(forms.ModelForm):
    country = LazyTypedChoiceField(label=gettext_lazy("Country"), choices=countries)
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), widget=DateInput)
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages people are written to in"),
        help_text=gettext_lazy(
            "The public pages for citizens speak only these, and registration and broadcasts "
            "offer only them. None ticked: all."
        ),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    phone_regions = forms.CharField(
        label=gettext_lazy("Phone regions"),
        help_text=gettext_lazy(
            "Countries a number typed without its country code may be from, besides the "
            "operation's own: two-letter codes, e.g. UA, KG."
        ),
        max_length=200,
        required=False,
    )

    class Meta:
        model = Operation
        fields = OPERATION_FIELDS

    def clean_phone_regions(self) -> list[str]:
        return self.cleaned_data["phone_regions"].replace(",", " ").split()


@login_required
def operation_new(request: HttpRequest) -> HttpResponse:
    if not is_headquarters(request.user):
        raise PermissionDenied
    form = OperationOpenForm(request.POST or None, initial={"starts_on": clock.today()})
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in OPERATION_FIELDS}
        try:
            operation = operation_open(
                by=request.user,
                country=form.cleaned_data["country"],
                starts_on=form.cleaned_data["starts_on"],
                languages=form.cleaned_data["languages"],
                phone_regions=form.cleaned_data["phone_regions"],
                **data,
            )
        except ValidationError as invalid:
            form.add_error(None, invalid)
        else:
            messages.success(
                request,
                _("%(operation)s is open. Add its coordinator: they get an invitation by e-mail.")
                % {"operation": operation.name},
            )
            return redirect("staff:list", op=operation.slug)
    status = 400 if form.errors else 200
    return render(request, "cockpit/operation_new.html", {"form": form}, status=status)


class HeadquartersInviteForm(forms.Form):
    """A new colleague at headquarters (or one whose account has no password yet): the
    e-mail and name help them recognise the invitation."""

    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-mail (for a new account)"), required=False)
    first_name = forms.CharField(label=gettext_lazy("Given name"), max_length=150, required=False)
    last_name = forms.CharField(label=gettext_lazy("Surname"), max_length=150, required=False)


@login_required
def headquarters_members(request: HttpRequest) -> HttpResponse:
    """Who is at headquarters, and an invitation to join it (headquarters.html)."""
    if not is_headquarters(request.user):
        raise PermissionDenied
    form = HeadquartersInviteForm(request.POST or None)
    if form.is_valid():
        try:
            user, _created = headquarters_invite(
                by=request.user, site_url=request.build_absolute_uri("/"), **form.cleaned_data
            )
        except ValidationError as invalid:
            form.add_error(None, invalid)
        except Conflict as refused:
            form.add_error("username", str(refused))
        else:
            messages.success(
                request,
                _(
                    "An invitation to headquarters went to %(email)s: %(user)s joins when "
                    "they set their password from it."
                )
                % {"email": user.email, "user": user},
            )
            return redirect("headquarters")
    members = Headquarters.objects.select_related("user").order_by("user__username")
    return render(
        request,
        "cockpit/headquarters.html",
        {"form": form, "members": members, "invited": headquarters_invitations_open()},
        status=400 if form.errors else 200,
    )
