"""/api/: the schema, its interactive docs, and version 1 of the API.

Everything of an operation is under /api/v1/operations/<slug>/, as the staff pages are
under /ops/<slug>/; people are found by their reference code, as on the pages.
"""

from django.apps import apps
from django.urls import include, path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from evac.api.views import (
    airports,
    duplicates,
    fills,
    flights,
    headquarters,
    imports,
    journeys,
    members,
    merges,
    offers,
    operation_setup,
    operations,
    people,
    places,
    tokens,
    transfers,
)
from evac.api.views.base import not_found
from evac.api.views.schema import in_english


class ReferenceCodeConverter:
    # Letters, digits and dashes only: what reaches the database is always a plain code.
    regex = "[A-Za-z0-9-]{1,20}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReferenceCodeConverter, "reference")

operation_urls = [
    path("", operations.OperationDetail.as_view(), name="operation"),
    path("statistics/", operations.Statistics.as_view(), name="statistics"),
    path("advice/", operation_setup.OperationAdvice.as_view(), name="advice"),
    path("close/", operation_setup.OperationClose.as_view(), name="operation-close"),
    path("reopen/", operation_setup.OperationReopen.as_view(), name="operation-reopen"),
    path(
        "anonymise-on/",
        operation_setup.OperationAnonymiseOn.as_view(),
        name="operation-anonymise-on",
    ),
    path("members/", members.MemberList.as_view(), name="members"),
    path("members/<int:pk>/", members.MemberDetail.as_view(), name="member"),
    path(
        "members/<int:pk>/invitation/",
        members.MemberInvitation.as_view(),
        name="member-invitation",
    ),
    path("members/<int:pk>/unlock/", members.MemberUnlock.as_view(), name="member-unlock"),
    path(
        "members/<int:pk>/second-step/reset/",
        members.MemberSecondStepReset.as_view(),
        name="member-second-step-reset",
    ),
    path("airports/", airports.OperationAirportList.as_view(), name="operation-airports"),
    path("airports/<str:iata>/status/", airports.AirportStatus.as_view(), name="airport-status"),
    path(
        "airports/flights/",
        airports.SuspendedAirportFlights.as_view(),
        name="suspended-airport-flights",
    ),
    path("airports/flights/<int:pk>/move/", airports.FlightMove.as_view(), name="flight-move"),
    path("places/", places.PlaceCandidates.as_view(), name="places"),
    path("places/cities/", places.PlaceCityAdd.as_view(), name="place-city-add"),
    path("places/airports/", places.PlaceAirportAdd.as_view(), name="place-airport-add"),
    path("citizens/", people.CitizenList.as_view(), name="citizens"),
    path("citizens/<reference:ref>/", people.CitizenDetail.as_view(), name="citizen"),
    path("citizens/<reference:ref>/status/", people.CitizenStatus.as_view(), name="citizen-status"),
    path("citizens/<reference:ref>/contacts/", people.ContactLog.as_view(), name="contacts"),
    path("citizens/<reference:ref>/merge/", merges.MergeCreate.as_view(), name="citizen-merge"),
    path(
        "citizens/<reference:ref>/needs/confirm/",
        people.CitizenNeedsConfirm.as_view(),
        name="citizen-needs-confirm",
    ),
    path("merges/<int:pk>/undo/", merges.MergeUndo.as_view(), name="merge-undo"),
    path("duplicates/", duplicates.DuplicateList.as_view(), name="duplicates"),
    path("duplicates/scan/", duplicates.DuplicateScan.as_view(), name="duplicates-scan"),
    path(
        "duplicates/<int:pk>/dismiss/",
        duplicates.DuplicateDismiss.as_view(),
        name="duplicate-dismiss",
    ),
    path("duplicates/dismissed/", duplicates.DismissedList.as_view(), name="dismissed-pairs"),
    path(
        "duplicates/dismissed/<int:pk>/undo/",
        duplicates.DismissedUndo.as_view(),
        name="dismissed-pair-undo",
    ),
    path("imports/", imports.ImportList.as_view(), name="imports"),
    path("imports/<int:pk>/", imports.ImportDetail.as_view(), name="import"),
    path("imports/<int:pk>/start/", imports.ImportStart.as_view(), name="import-start"),
    path("imports/<int:pk>/mappings/", imports.ImportMappingSave.as_view(), name="import-mappings"),
    path(
        "imports/<int:pk>/mapping/apply/",
        imports.ImportMappingApply.as_view(),
        name="import-mapping-apply",
    ),
    path(
        "imports/<int:pk>/errors.csv", imports.ImportErrorsCsv.as_view(), name="import-errors-csv"
    ),
    path("mappings/", imports.SavedMappingList.as_view(), name="mappings"),
    path("households/", people.HouseholdList.as_view(), name="households"),
    path("households/<int:pk>/", people.HouseholdDetail.as_view(), name="household"),
    path("flights/", flights.FlightList.as_view(), name="flights"),
    path("flights/<int:pk>/", flights.FlightDetail.as_view(), name="flight"),
    path("flights/<int:pk>/status/", flights.FlightStatus.as_view(), name="flight-status"),
    path("flights/<int:pk>/bookings/", flights.BookingList.as_view(), name="bookings"),
    path(
        "flights/<int:pk>/bookings/<int:booking_pk>/",
        flights.BookingDetail.as_view(),
        name="booking",
    ),
    path(
        "flights/<int:pk>/bookings/<int:booking_pk>/cancel/",
        flights.BookingCancel.as_view(),
        name="booking-cancel",
    ),
    path(
        "flights/<int:pk>/bookings/<int:booking_pk>/status/",
        flights.BookingStatus.as_view(),
        name="booking-status",
    ),
    path(
        "flights/<int:pk>/bookings/<int:booking_pk>/legs/",
        journeys.BookingLegAdd.as_view(),
        name="booking-leg-add",
    ),
    path("flights/<int:pk>/journeys/", journeys.JourneyFromHere.as_view(), name="flight-journeys"),
    path("flights/<int:pk>/fill/", fills.FlightFill.as_view(), name="flight-fill"),
    path("flights/<int:pk>/manifest/", flights.Manifest.as_view(), name="manifest"),
    path("flights/<int:pk>/manifest.csv", flights.ManifestCsv.as_view(), name="manifest-csv"),
    path(
        "flights/<int:pk>/manifest.paxlst",
        flights.ManifestPaxlst.as_view(),
        name="manifest-paxlst",
    ),
    path("flights/<int:pk>/manifest.xlsx", flights.ManifestXlsx.as_view(), name="manifest-xlsx"),
    path("flights/<int:pk>/offers/", offers.FlightOffers.as_view(), name="flight-offers"),
    path(
        "flights/<int:pk>/offers/<int:offer_pk>/accept/",
        offers.OfferAccept.as_view(),
        name="offer-accept",
    ),
    path(
        "flights/<int:pk>/offers/<int:offer_pk>/decline/",
        offers.OfferDecline.as_view(),
        name="offer-decline",
    ),
    path("offers/", offers.PendingOffers.as_view(), name="offers"),
    path("transfers/", transfers.TransferList.as_view(), name="transfers"),
    path("transfers/journeys/", transfers.JourneyBook.as_view(), name="journeys"),
    path("transfers/stranded/", journeys.StrandedList.as_view(), name="stranded"),
    path("transfers/not-connecting/", journeys.NotConnectingList.as_view(), name="not-connecting"),
    path("transfers/<int:pk>/", transfers.TransferDetail.as_view(), name="transfer"),
    path("transfers/<int:pk>/status/", transfers.TransferStatus.as_view(), name="transfer-status"),
    path(
        "transfers/<int:pk>/manifest.csv",
        transfers.TransferManifestCsv.as_view(),
        name="transfer-manifest-csv",
    ),
    path(
        "transfers/<int:pk>/manifest.xlsx",
        transfers.TransferManifestXlsx.as_view(),
        name="transfer-manifest-xlsx",
    ),
    path(
        "transfers/<int:pk>/passengers/",
        transfers.TransferPassengers.as_view(),
        name="transfer-passengers",
    ),
    path(
        "transfers/<int:pk>/passengers/<int:seat_pk>/cancel/",
        transfers.TransferSeatCancel.as_view(),
        name="transfer-seat-cancel",
    ),
    path(
        "transfers/<int:pk>/passengers/<int:seat_pk>/status/",
        transfers.TransferSeatStatus.as_view(),
        name="transfer-seat-status",
    ),
]

# Messages are evac.notifications' to write; the API lists them once that app is installed.
if apps.is_installed("evac.notifications"):
    from evac.api.views import notifications

    operation_urls += [
        path("notifications/", notifications.NotificationList.as_view(), name="notifications"),
        path(
            "notifications/<int:pk>/retry/",
            notifications.NotificationRetry.as_view(),
            name="notification-retry",
        ),
        path(
            "notifications/<int:pk>/cancel/",
            notifications.NotificationCancel.as_view(),
            name="notification-cancel",
        ),
        path("broadcasts/", notifications.BroadcastCreate.as_view(), name="broadcasts"),
    ]

v1 = [
    path("operations/", operations.OperationList.as_view(), name="operations"),
    path("operations/<slug:op>/", include(operation_urls)),
    path("cities/", operations.CityList.as_view(), name="cities"),
    path("airports/", operations.AirportList.as_view(), name="airports"),
    path(
        "headquarters/invitations/",
        headquarters.HeadquartersInvitations.as_view(),
        name="headquarters-invitations",
    ),
    path("tokens/", tokens.TokenList.as_view(), name="tokens"),
    path("tokens/<int:pk>/", tokens.TokenDetail.as_view(), name="token"),
    # Last: whatever matched nothing above, including a malformed slug, id or code.
    re_path(r"^[\s\S]*$", not_found),  # any character, newlines too
]

app_name = "api"
urlpatterns = [
    path("schema/", in_english(SpectacularAPIView.as_view()), name="schema"),
    # The split view serves Swagger UI's set-up script from ?script, not inline: the CSP allows
    # no inline scripts.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    path("v1/", include(v1)),
]
