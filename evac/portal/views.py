"""The public pages: no login, no other person's data, every write through portal.services.

A successful status lookup is remembered in the session for LOOKUP_LASTS; changes then
need a one-time code sent to the phone or e-mail on file. Lookups and code checks are
rate-limited per IP address and per reference code in the shared cache.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from evac.core.clock import now
from evac.core.errors import Conflict
from evac.operations.models import Operation
from evac.people.models import Citizen
from evac.people.reference import normalize_reference_code
from evac.people.selectors import phone_regions
from evac.portal import selectors
from evac.portal.codes import channels_on_file, one_time_code_issue, one_time_code_use
from evac.portal.forms import (
    CodeForm,
    CodeRequestForm,
    ContactsForm,
    LookupForm,
    PeopleFormSet,
    PlaceForm,
)
from evac.portal.services import (
    portal_confirm_seat,
    portal_decide,
    portal_register,
    portal_update_contacts,
    seat_to_confirm,
)

PEOPLE_PREFIX = "people"


def _operation(op: str) -> Operation:
    operation = selectors.public_operation(op)
    if operation is None:
        raise Http404
    return operation


def _render(
    request: HttpRequest,
    operation: Operation | None,
    template: str,
    context: dict,
    status: int = 200,
) -> HttpResponse:
    return render(request, template, {"public_operation": operation, **context}, status=status)


# Rate limits -------------------------------------------------------------------------------


def _typed_reference(group: str, request: HttpRequest) -> str:
    return normalize_reference_code(request.POST.get("reference", ""))[:12]


def _limited(request: HttpRequest, group: str, code_key: Callable | str) -> bool:
    """Count this POST against the IP's and the reference code's limits; True if over one."""
    by_ip = is_ratelimited(
        request,
        group=f"{group}:ip",
        key="ip",
        rate=settings.EVAC_PORTAL_RATE_PER_IP,
        method="POST",
        increment=True,
    )
    by_code = is_ratelimited(
        request,
        group=f"{group}:code",
        key=code_key,
        rate=settings.EVAC_PORTAL_RATE_PER_CODE,
        method="POST",
        increment=True,
    )
    return by_ip or by_code


def _too_many(request: HttpRequest, operation: Operation) -> HttpResponse:
    return _render(request, operation, "portal/limited.html", {}, status=429)


# The person looked up in this browser --------------------------------------------------


def _session_key(operation: Operation) -> str:
    return f"portal:{operation.slug}"


def _remember(request: HttpRequest, operation: Operation, citizen: Citizen) -> None:
    request.session.cycle_key()  # a new session id for the person who just proved who they are
    request.session[_session_key(operation)] = {"pk": citizen.pk, "at": now().timestamp()}


def _remembered(request: HttpRequest, operation: Operation) -> Citizen | None:
    held = request.session.get(_session_key(operation))
    if not held or not selectors.lookup_is_fresh(held["at"], now()):
        return None
    return operation.citizens.select_related("current_city").filter(pk=held["pk"]).first()


# Pages ----------------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _render(
        request, None, "portal/index.html", {"operations": selectors.active_operations()}
    )


@require_GET
def home(request: HttpRequest, op: str) -> HttpResponse:
    operation = _operation(op)
    return _render(
        request,
        operation,
        "portal/home.html",
        {"schedule": selectors.public_schedule(operation)},
    )


def _people(operation: Operation, **kwargs) -> PeopleFormSet:
    return PeopleFormSet(
        prefix=PEOPLE_PREFIX, form_kwargs={"phone_regions": phone_regions(operation)}, **kwargs
    )


def _register_page(request, operation, place, people) -> HttpResponse:
    return _render(request, operation, "portal/register.html", {"place": place, "people": people})


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, op: str) -> HttpResponse:
    operation = _operation(op)
    if request.method != "POST":
        return _register_page(
            request, operation, PlaceForm(operation=operation), _people(operation)
        )
    place = PlaceForm(request.POST, operation=operation)
    people = _people(operation, data=request.POST)
    if "add_person" in request.POST:
        typed_place = {name: place[name].value() for name in ("current_city", "temporary_address")}
        typed = people.typed() if people.management_form.is_valid() else []
        return _register_page(
            request,
            operation,
            PlaceForm(initial=typed_place, operation=operation),
            _people(operation, initial=[*typed, {}]),
        )
    if not (place.is_valid() and people.is_valid()):
        return _register_page(request, operation, place, people)
    found = people.people()
    if not found:
        place.add_error(None, _("Give your own details first."))
        return _register_page(request, operation, place, people)
    where = {k: place.cleaned_data[k] for k in ("current_city", "temporary_address")}
    status_url = request.build_absolute_uri(reverse("portal:status", args=[operation.slug]))
    try:
        result = portal_register(
            operation=operation, people=found, place=where, status_url=status_url
        )
    except ValidationError as error:
        place.add_error(None, error.messages)
        return _register_page(request, operation, place, people)
    if result.already_registered:
        return _render(request, operation, "portal/already_registered.html", {})
    request.session[f"{_session_key(operation)}:registered"] = [
        {"name": f"{c.given_names} {c.surname}", "reference": c.reference}
        for c in result.registered
    ]
    return redirect("portal:registered", operation.slug)


@require_GET
def registered(request: HttpRequest, op: str) -> HttpResponse:
    operation = _operation(op)
    people = request.session.get(f"{_session_key(operation)}:registered")
    if not people:
        return redirect("portal:register", operation.slug)
    return _render(request, operation, "portal/registered.html", {"people": people})


@require_http_methods(["GET", "POST"])
def status(request: HttpRequest, op: str) -> HttpResponse:
    operation = _operation(op)
    if request.method != "POST":
        citizen = _remembered(request, operation)
        if citizen is not None:
            return _status_page(request, operation, citizen)
        return _render(request, operation, "portal/lookup.html", {"form": LookupForm()})
    if _limited(request, "lookup", _typed_reference):
        return _too_many(request, operation)
    form = LookupForm(request.POST)
    citizen = None
    if form.is_valid():
        citizen = selectors.citizen_lookup(
            operation,
            code=form.cleaned_data["reference"],
            date_of_birth=form.cleaned_data["date_of_birth"],
            surname=form.cleaned_data["surname"],
        )
        if citizen is None:
            # One answer for a wrong code and a wrong date or name: nothing to learn from it.
            form.add_error(None, _("We could not find a registration with these details."))
    if citizen is None:
        return _render(request, operation, "portal/lookup.html", {"form": form})
    _remember(request, operation, citizen)
    return redirect("portal:status", operation.slug)


def _actions(citizen: Citizen) -> list[tuple[str, str]]:
    found = []
    if seat_to_confirm(citizen) is not None:
        found.append(("confirm", _("Confirm my seat")))
    if citizen.status != Citizen.Status.EVACUATED:
        found.append(("contacts", _("Change my phone, e-mail or address")))
    if citizen.can_become(Citizen.Status.DECIDED_TO_STAY):
        found.append(("stay", _("I decided to stay")))
    if citizen.can_become(Citizen.Status.LEFT_BY_OWN_MEANS):
        found.append(("left", _("I left by my own means")))
    return found


def _status_page(request: HttpRequest, operation: Operation, citizen: Citizen) -> HttpResponse:
    return _render(
        request,
        operation,
        "portal/status.html",
        {
            "citizen": citizen,
            "seat": selectors.active_seat(citizen),
            "ahead": selectors.people_ahead(citizen),
            "actions": _actions(citizen),
        },
    )


@require_POST
def forget(request: HttpRequest, op: str) -> HttpResponse:
    operation = _operation(op)
    request.session.pop(_session_key(operation), None)
    return redirect("portal:status", operation.slug)


def _channel_choices(citizen: Citizen) -> list[tuple[str, str]]:
    labels = {
        "sms": _("SMS to the phone ending %(end)s") % {"end": selectors.masked_phone(citizen)},
        "email": _("E-mail to %(address)s") % {"address": selectors.masked_email(citizen)},
    }
    return [(channel, labels[channel]) for channel in channels_on_file(citizen)]


def _citizen_reference(citizen: Citizen) -> Callable:
    return lambda group, request: citizen.reference_code


@require_POST
def send_code(request: HttpRequest, op: str) -> HttpResponse:
    operation = _operation(op)
    citizen = _remembered(request, operation)
    if citizen is None:
        return redirect("portal:status", operation.slug)
    action = request.POST.get("do", "")
    if _limited(request, "code", _citizen_reference(citizen)):
        return _too_many(request, operation)
    form = CodeRequestForm(request.POST, choices=_channel_choices(citizen))
    if form.is_valid() and one_time_code_issue(
        citizen=citizen, channel=form.cleaned_data["channel"]
    ):
        messages.success(
            request,
            _("We sent you a code. It is valid for %(minutes)d minutes.")
            % {"minutes": settings.EVAC_PORTAL_CODE_MINUTES},
        )
    else:
        messages.error(request, _("We could not send a code. Please call the hotline."))
    return redirect(f"{reverse('portal:change', args=[operation.slug])}?do={action}")


@require_http_methods(["GET", "POST"])
def change(request: HttpRequest, op: str) -> HttpResponse:
    operation = _operation(op)
    citizen = _remembered(request, operation)
    if citizen is None:
        return redirect("portal:status", operation.slug)
    action = request.GET.get("do") or request.POST.get("do", "")
    actions = dict(_actions(citizen))
    if action not in actions:
        return redirect("portal:status", operation.slug)
    form_class = ContactsForm if action == "contacts" else CodeForm
    extra = (
        {"citizen": citizen, "phone_regions": phone_regions(operation)}
        if action == "contacts"
        else {}
    )
    form = form_class(request.POST if request.method == "POST" else None, **extra)
    if request.method == "POST":
        if _limited(request, "change", _citizen_reference(citizen)):
            return _too_many(request, operation)
        if form.is_valid():
            if one_time_code_use(citizen=citizen, code=form.cleaned_data["code"]) is None:
                form.add_error(
                    "code", _("This code is wrong, expired or already used. Ask for a new one.")
                )
            else:
                try:
                    done = _apply(action, citizen, form.cleaned_data)
                except (Conflict, ValidationError) as error:
                    messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
                else:
                    messages.success(request, done)
                return redirect("portal:status", operation.slug)
    return _render(
        request,
        operation,
        "portal/change.html",
        {
            "citizen": citizen,
            "action": action,
            "action_label": actions[action],
            "form": form,
            "code_request": CodeRequestForm(choices=_channel_choices(citizen)),
        },
    )


def _apply(action: str, citizen: Citizen, data: dict) -> str:
    if action == "confirm":
        booking = portal_confirm_seat(citizen=citizen)
        return _("Thank you: your seat on flight %(number)s is confirmed.") % {
            "number": booking.flight.number
        }
    if action == "contacts":
        portal_update_contacts(
            citizen=citizen,
            phone=data["phone"] or "",
            email=data["email"],
            temporary_address=data["temporary_address"],
        )
        return _("Thank you: your details are updated.")
    status = {"stay": Citizen.Status.DECIDED_TO_STAY, "left": Citizen.Status.LEFT_BY_OWN_MEANS}
    portal_decide(citizen=citizen, status=status[action])
    return _("Thank you for telling us. The embassy sees your decision.")
