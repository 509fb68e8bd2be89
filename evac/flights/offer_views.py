"""The flight page's seat offers: make offers now, and answer one for a person who calls.

One POST address for those who may answer offers (officers and coordinators); making
offers is managing bookings, which the service checks on top.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from evac.core.errors import Conflict
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
            offer = get_object_or_404(flight.seat_offers, pk=request.POST.get("offer") or 0)
            if action == "accept":
                offer_accept(offer=offer, by=request.user)
                messages.success(request, _("Offer accepted: the seats are booked."))
            else:
                offer_decline(offer=offer, by=request.user)
                messages.success(request, _("Offer declined: the seats go to the next in line."))
    except Conflict as error:
        messages.error(request, error.message)
    return _to_manifest(request, flight)
