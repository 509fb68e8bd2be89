"""The public pages: no login, no other person's data, every write through portal.services.

A successful status lookup is remembered in the session for LOOKUP_LASTS; changes then
need a one-time code sent to the phone or e-mail on file, which the portal's services check.
Every POST is bounded in size and rate-limited per IP address (`public_post`); lookups and
code checks also per reference code, registrations per phone and e-mail, in the shared cache.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from evac.core.clock import now
from evac.core.errors import Conflict
from evac.core.reference import normalize_reference_code
from evac.operations.models import Operation
from evac.people.models import Citizen
from evac.people.selectors import phone_regions
from evac.portal import selectors
from evac.portal.codes import CodeRefused, channels_on_file, one_time_code_issue
from evac.portal.decisions import portal_decision_preview
from evac.portal.forms import (
    MAX_PEOPLE,
    CodeForm,
    CodeRequestForm,
    ContactsForm,
    LookupForm,
    PeopleFormSet,
    PlaceForm,
)
from evac.portal.pages import operation_or_404 as _operation
from evac.portal.pages import render_page as _render
from evac.portal.services import (
    is_seat_to_confirm,
    offer_to_answer,
    portal_answer_offer,
    portal_confirm_seat,
    portal_decide,
    portal_register,
    portal_update_contacts,
    seat_to_confirm,
)

PEOPLE_PREFIX = "people"
UNREAD = object()  # "not read yet", where None means "read: there is none"


# Rate limits and cost ---------------------------------------------------------------------


def public_post(view: Callable) -> Callable:
    """Bound what a public POST may cost before the view reads it.

    A body larger than EVAC_PORTAL_MAX_POST_BYTES is refused unread (413), and every POST
    counts against the visitor's address (EVAC_PORTAL_RATE_PER_IP, per view); the views add
    their own limits per reference code or per phone and e-mail.
    tests/portal/test_public_posts.py walks every public URL to check each POST has this.
    """

    @wraps(view)
    def bounded(request: HttpRequest, op: str, *args, **kwargs) -> HttpResponse:
        if request.method == "POST":
            operation = _operation(op, request)
            if _body_size(request) > settings.EVAC_PORTAL_MAX_POST_BYTES:
                return _render(request, operation, "portal/too_large.html", {}, status=413)
            if is_ratelimited(
                request,
                group=f"{view.__name__}:ip",
                key="ip",
                rate=settings.EVAC_PORTAL_RATE_PER_IP,
                method="POST",
                increment=True,
            ):
                return _too_many(request, operation)
        return view(request, op, *args, **kwargs)

    bounded.public_post = True
    return bounded


def _body_size(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return settings.EVAC_PORTAL_MAX_POST_BYTES + 1


def _typed_reference(group: str, request: HttpRequest) -> str:
    return normalize_reference_code(request.POST.get("reference", ""))[:12]


def _limited(request: HttpRequest, group: str, code_key: Callable | str) -> bool:
    """Count this POST against the reference code's limit; True if over it."""
    return is_ratelimited(
        request,
        group=f"{group}:code",
        key=code_key,
        rate=settings.EVAC_PORTAL_RATE_PER_CODE,
        method="POST",
        increment=True,
    )


def _registration_limited(request: HttpRequest, people: list[dict]) -> bool:
    """Count a registration against the address's limit and each phone's and e-mail's."""
    over = is_ratelimited(
        request,
        group="register:ip",
        key="ip",
        rate=settings.EVAC_PORTAL_REGISTER_RATE_PER_IP,
        method="POST",
        increment=True,
    )
    contacts = {str(p[name]).lower() for p in people for name in ("phone", "email") if p.get(name)}
    for contact in sorted(contacts):
        over |= is_ratelimited(
            request,
            group="register:contact",
            key=lambda group, request, contact=contact: contact,
            rate=settings.EVAC_PORTAL_REGISTER_RATE_PER_CONTACT,
            method="POST",
            increment=True,
        )
    return over


def _too_many(request: HttpRequest, operation: Operation) -> HttpResponse:
    return _render(request, operation, "portal/limited.html", {}, status=429)


# The person looked up in this browser --------------------------------------------------


def _session_key(operation: Operation) -> str:
    return f"portal:{operation.slug}"


def _remember(request: HttpRequest, operation: Operation, citizen: Citizen) -> None:
    request.session.cycle_key()  # a new session id for the person who just proved who they are
    request.session[_session_key(operation)] = {"pk": citizen.pk, "at": now().timestamp()}


def _remembered_pk(request: HttpRequest, operation: Operation) -> int | None:
    held = request.session.get(_session_key(operation))
    if not held or not selectors.lookup_is_fresh(held["at"], now()):
        return None
    return held["pk"]


def _remembered(request: HttpRequest, operation: Operation) -> Citizen | None:
    pk = _remembered_pk(request, operation)
    if pk is None:
        return None
    return operation.citizens.select_related("current_city").filter(pk=pk).first()


# Pages ----------------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _render(
        request, None, "portal/index.html", {"operations": selectors.active_operations()}
    )


@require_GET
def home(request: HttpRequest, op: str) -> HttpResponse:
    operation = _operation(op, request)
    return _render(
        request,
        operation,
        "portal/home.html",
        {
            "schedule": selectors.public_schedule(operation),
            "transfers": selectors.public_transfers(operation),
            "schedule_shows_at_most": selectors.SCHEDULE_SHOWS_AT_MOST,
            "suspended_airports": selectors.public_suspended_airports(operation),
        },
    )


def _people(operation: Operation, **kwargs) -> PeopleFormSet:
    form_kwargs = {
        "phone_regions": phone_regions(operation),
        "languages": operation.written_languages(),
    }
    return PeopleFormSet(prefix=PEOPLE_PREFIX, form_kwargs=form_kwargs, **kwargs)


def _register_page(request, operation, place, people, status: int = 200) -> HttpResponse:
    return _render(
        request,
        operation,
        "portal/register.html",
        {"place": place, "people": people, "max_people": MAX_PEOPLE},
        status=status,
    )


def _people_count(data: QueryDict) -> int | None:
    """How many people the form says it holds, read before any form is built."""
    try:
        return int(data.get(f"{PEOPLE_PREFIX}-TOTAL_FORMS", ""))
    except ValueError:
        return None


@public_post
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, op: str) -> HttpResponse:
    operation = _operation(op, request)
    if request.method != "POST":
        return _register_page(
            request, operation, PlaceForm(operation=operation), _people(operation)
        )
    count = _people_count(request.POST)
    if count is None or not 0 < count <= MAX_PEOPLE:
        # Refused before a form is built: a forged count must not make the server build
        # a thousand of them.
        return _render(
            request, operation, "portal/too_large.html", {"max_people": MAX_PEOPLE}, status=400
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
            _people(operation, initial=[*typed, {}][:MAX_PEOPLE]),
        )
    if not (place.is_valid() and people.is_valid()):
        return _register_page(request, operation, place, people)
    found = people.people()
    if not found:
        place.add_error(None, _("Give your own details first."))
        return _register_page(request, operation, place, people)
    if _registration_limited(request, found):
        return _too_many(request, operation)
    where = {k: place.cleaned_data[k] for k in ("current_city", "temporary_address")}
    status_url = request.build_absolute_uri(reverse("portal:status", args=[operation.slug]))
    try:
        portal_register(operation=operation, people=found, place=where, status_url=status_url)
    except PermissionDenied:
        raise Http404 from None  # closed in the seconds this process kept it open
    except ValidationError as error:
        place.add_error(None, error.messages)
        return _register_page(request, operation, place, people)
    # The same answer whether these people were new or seemed to be registered already, so
    # the form can't be used to find out who is: the names typed, and no reference codes
    # (those go to each new person's phone or e-mail; a person on file is told there too).
    request.session[f"{_session_key(operation)}:registered"] = [
        {"name": f"{person['given_names']} {person['surname']}"} for person in found
    ]
    # Whether anything can reach them at all: from what was typed only, so it says nothing
    # about who was on file already.
    request.session[f"{_session_key(operation)}:reachable"] = any(
        person.get("phone") or person.get("email") for person in found
    )
    return redirect("portal:registered", operation.slug)


@require_GET
def registered(request: HttpRequest, op: str) -> HttpResponse:
    operation = _operation(op, request)
    people = request.session.get(f"{_session_key(operation)}:registered")
    if not people:
        return redirect("portal:register", operation.slug)
    reachable = request.session.get(f"{_session_key(operation)}:reachable", True)
    return _render(
        request, operation, "portal/registered.html", {"people": people, "reachable": reachable}
    )


@public_post
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest, op: str) -> HttpResponse:
    operation = _operation(op, request)
    if request.method != "POST":
        pk = _remembered_pk(request, operation)
        citizen = None if pk is None else selectors.status_citizen(operation, pk)
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


def _actions(
    citizen: Citizen, offer: object = UNREAD, booking: object = UNREAD
) -> list[tuple[str, str]]:
    """What the person may do now; `offer` and the active `booking` when the caller read
    them already (a query less each)."""
    if offer is UNREAD:
        offer = offer_to_answer(citizen)
    confirmable = (
        seat_to_confirm(citizen) is not None if booking is UNREAD else is_seat_to_confirm(booking)
    )
    found = []
    if offer is not None:
        found.append(("accept_offer", _("Accept the seats offered")))
        found.append(("decline_offer", _("Decline the seats offered")))
    if confirmable:
        found.append(("confirm", _("Confirm my seat")))
    if citizen.status != Citizen.Status.EVACUATED:
        found.append(("contacts", _("Change my phone, e-mail or address")))
    if citizen.can_become(Citizen.Status.DECIDED_TO_STAY):
        found.append(("stay", _("I decided to stay")))
    if citizen.can_become(Citizen.Status.LEFT_BY_OWN_MEANS):
        found.append(("left", _("I left by my own means")))
    return found


def _status_page(request: HttpRequest, operation: Operation, citizen: Citizen) -> HttpResponse:
    """The status page of a person read by selectors.status_citizen."""
    reads = selectors.status_reads(citizen)
    offer = reads.offer
    return _render(
        request,
        operation,
        "portal/status.html",
        {
            "citizen": citizen,
            "seat": reads.seat,
            "legs": reads.legs,
            "ahead": reads.ahead,
            "ahead_more_than": reads.ahead_more_than,
            "actions": _actions(citizen, offer, reads.booking),
            "offer": offer,
            # The deadline in the departure airport's time, where the person will be going.
            "offer_until": offer and offer.flight.departure_airport.local_time(offer.expires_at),
        },
    )


@public_post
@require_POST
def forget(request: HttpRequest, op: str) -> HttpResponse:
    operation = _operation(op, request)
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


@public_post
@require_POST
def send_code(request: HttpRequest, op: str) -> HttpResponse:
    operation = _operation(op, request)
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


@public_post
@require_http_methods(["GET", "POST"])
def change(request: HttpRequest, op: str) -> HttpResponse:
    operation = _operation(op, request)
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
            try:
                done = _apply(action, citizen, form.cleaned_data)
            except CodeRefused:
                form.add_error(
                    "code", _("This code is wrong, expired or already used. Ask for a new one.")
                )
            except (Conflict, ValidationError) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
                return redirect("portal:status", operation.slug)
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
            "decision": portal_decision_preview(citizen=citizen, status=DECISIONS[action])
            if action in DECISIONS
            else None,
        },
    )


# The decisions a person makes for themselves on the portal, by action.
DECISIONS = {"stay": Citizen.Status.DECIDED_TO_STAY, "left": Citizen.Status.LEFT_BY_OWN_MEANS}


def _apply(action: str, citizen: Citizen, data: dict) -> str:
    """Make the change, with the code the person typed: the service checks and spends it."""
    code = data["code"]
    if action == "confirm":
        booking = portal_confirm_seat(citizen=citizen, code=code)
        return _("Thank you: your seat on flight %(number)s is confirmed.") % {
            "number": booking.flight.number
        }
    if action in ("accept_offer", "decline_offer"):
        offer = portal_answer_offer(citizen=citizen, code=code, accept=action == "accept_offer")
        if action == "accept_offer":
            return _("Thank you: your seats on flight %(number)s are booked.") % {
                "number": offer.flight.number
            }
        return _("Thank you for telling us. You stay on the waiting list.")
    if action == "contacts":
        portal_update_contacts(
            citizen=citizen,
            code=code,
            phone=data["phone"] or "",
            email=data["email"],
            temporary_address=data["temporary_address"],
        )
        return _("Thank you: your details are updated.")
    portal_decide(citizen=citizen, status=DECISIONS[action], code=code)
    return _("Thank you for telling us. The embassy sees your decision.")
