"""How the OpenAPI schema describes what the views don't say themselves: the token scheme,
and the error answers every operation can give (all in the one shape of evac.api.errors)."""

from django_countries import countries
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import SAFE_METHODS

from evac.api.serializers import ErrorSerializer
from evac.flights.models import Booking, TransferSeat
from evac.people.models import Citizen
from evac.people.services import DECIDED_STATUSES

# Choice sets that settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] names: one Country
# enum for every country field, and the subsets of statuses that a status endpoint takes.
# (Labels count: drf-spectacular tells choice sets apart by value and label.)
COUNTRY_CODES = [(code, name) for code, name in countries]
DECIDED_STATUS_VALUES = [(s.value, s.label) for s in Citizen.Status if s in DECIDED_STATUSES]
BOOKING_STATUS_CHANGE_VALUES = [
    (s.value, s.label) for s in Booking.Status if s != Booking.Status.CANCELLED
]
TRANSFER_SEAT_STATUS_CHANGE_VALUES = [
    (s.value, s.label)
    for s in TransferSeat.Status
    if s in (TransferSeat.Status.BOARDED, TransferSeat.Status.NO_SHOW)
]

ERROR_DESCRIPTIONS = {
    "400": "The input is not valid: `error.fields` says which field and why.",
    "401": "Not signed in, or the token is unknown or revoked.",
    "403": "Your role does not allow this (viewers only read), or a CSRF check failed.",
    "404": "No such record, or not in an operation you are a member of.",
    "409": "The current state forbids it: flight full or not open, seat already held, "
    "or a status change the rules don't allow (`error.code` says which).",
    "415": "Send JSON (Content-Type: application/json).",
    "429": "Too many requests with this token; wait for Retry-After seconds.",
}


class EvacAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = ERROR_DESCRIPTIONS[code]
                responses[code] = response
        return responses

    def _error_codes(self) -> list[str]:
        writes = self.method not in SAFE_METHODS
        has_body = self.method in ("POST", "PUT", "PATCH")
        codes = ["401", "403", "429"]
        if has_body or self._has_query_parameters():
            codes.append("400")
        if "{" in self.path:
            codes.append("404")
        if writes:
            codes.append("409")
        if has_body:
            codes.append("415")
        return sorted(codes)

    def _has_query_parameters(self) -> bool:
        if self.method != "GET":
            return False
        return bool(getattr(self.view, "filter_backends", None)) or (
            self._is_list_view() and self._get_paginator() is not None
        )


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "evac.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token: `Authorization: Bearer evac_…`. "
            "Create one at POST /api/v1/tokens/ while signed in.",
        }
