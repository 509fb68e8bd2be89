"""Seat offers on staff pages: a flight's (make offers now, answer one for a person who
calls) and the operation's, every flight's offers on one page.

The answer POSTs are for those who may answer offers (officers and coordinators); making
offers is managing bookings, which the service checks on top. Everyone in the operation
may read the operation's offers page.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from evac.core.errors import Conflict
from evac.flights.models import SeatOffer
from evac.flights.offer_selectors import live_offers_of, offers_by_flight
from evac.flights.offers import offer_accept, offer_decline, offers_make
from evac.flights.views import _flight, _to_manifest
from evac.operations.access import Permission
from evac.operations.web import OperationRequest, operation_page


@operation_page(Permission.ANSWER_SEAT_OFFERS)
@require_POST
def offers(request: OperationRequest, pk: int):
    flight = _flight(request, pk)
    action = request.POST.get("do", "")
    try:
        if action == "make":
            made = offers_make(flight=flight, by=request.user)
            messages.success(
                request,
                ngettext("%(n)d offer made.", "%(n)d offers made.", len(made)) % {"n": len(made)},
            )
        elif action in ("accept", "decline"):
            _answer(request, flight.seat_offers.all(), action)
    except Conflict as error:
        messages.error(request, error.message)
    return _to_manifest(request, flight)


@operation_page(Permission.VIEW)
@require_safe
def operation_offers(request: OperationRequest) -> HttpResponse:
    return render(
        request,
        "flights/offers.html",
        {
            "nav": "flights",
            "live": list(live_offers_of(request.operation)),
            "flights": offers_by_flight(request.operation),
        },
    )


@operation_page(Permission.ANSWER_SEAT_OFFERS)
@require_POST
def answer_offer(request: OperationRequest):
    """Accept or decline an offer of any of the operation's flights for a person who calls."""
    action = request.POST.get("do", "")
    if action in ("accept", "decline"):
        of_operation = SeatOffer.objects.filter(flight__operation=request.operation)
        try:
            _answer(request, of_operation, action)
        except Conflict as error:
            messages.error(request, error.message)
    return redirect("flights:all_offers", request.operation.slug)


def _answer(request: OperationRequest, offers, action: str) -> None:
    """The offer named in the form, among `offers`, accepted or declined by the staff member."""
    named = request.POST.get("offer", "")
    offer = get_object_or_404(offers, pk=int(named) if _an_id(named) else 0)
    if action == "accept":
        offer_accept(offer=offer, by=request.user)
        messages.success(request, _("Offer accepted: the seats are booked."))
    else:
        offer_decline(offer=offer, by=request.user)
        messages.success(request, _("Offer declined: the seats go to the next in line."))


def _an_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 9
