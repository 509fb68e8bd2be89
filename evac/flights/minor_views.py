"""Children without an adult: the households whose minors have no adult of theirs to travel
with, and the seats a coordinator gave a minor without one, with the reason.

The dashboard counts both and links here; evac.flights.minors_kept keeps the first,
evac.flights.minors finds the second.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from evac.flights.minors import minor_overrides
from evac.flights.minors_kept import households_with_minors_alone
from evac.operations.access import Permission
from evac.operations.web import OperationRequest, operation_page


@operation_page(Permission.VIEW)
@require_safe
def minors(request: OperationRequest) -> HttpResponse:
    return render(
        request,
        "flights/minors.html",
        {
            "nav": "flights",
            "households": households_with_minors_alone(request.operation),
            "overrides": list(minor_overrides(request.operation)),
        },
    )
