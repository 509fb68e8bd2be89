"""Filters and orderings of the API's lists, reusing the staff pages' own where they exist."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

from evac.core.reference import normalize_reference_code
from evac.flights.models import Flight
from evac.notifications.models import Notification
from evac.people.filters import CitizenFilter, DaysFilter
from evac.people.selectors import REGISTRY_SORTS


class OperationFilterBackend(DjangoFilterBackend):
    """django-filter's backend, handing the view's operation to filter sets that need it."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            _refuse_empty_values(request, filterset)
        return filterset

    def get_filterset_kwargs(self, request, queryset, view) -> dict:
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        if getattr(self.get_filterset_class(view, queryset), "needs_operation", False):
            kwargs["operation"] = view.operation
        return kwargs


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": 3650})
class WholeDaysFilter(DaysFilter):
    """The registry's days filter, with its type spelled out for the schema."""


@extend_schema_field({"type": "string", "enum": ["yes", "no"]})
class HouseholdAnswerFilter(django_filters.ChoiceFilter):
    """The registry's household filter, with its type spelled out for the schema."""


def _refuse_empty_values(request, filterset: django_filters.FilterSet) -> None:
    # django-filter reads `?city=` as "any city"; the schema says a city is a number, so
    # an empty value is refused like any other that isn't one. Free text may be empty.
    empty = [
        name
        for name, f in filterset.filters.items()
        if not isinstance(f, django_filters.CharFilter)
        and name in request.query_params
        and "" in request.query_params.getlist(name)
    ]
    if empty:
        message = _("Give a value, or leave the parameter out.")
        raise ValidationError({name: [message] for name in empty})


class TrueOrFalseField(forms.Field):
    def to_python(self, value: str | None) -> bool | None:
        if value in (None, ""):
            return None
        if value not in ("true", "false"):
            raise forms.ValidationError(_("Write true or false."))
        return value == "true"


@extend_schema_field({"type": "boolean"})
class TrueOrFalseFilter(django_filters.BooleanFilter):
    """true or false, and nothing else (django-filter reads anything else as "no filter")."""

    field_class = TrueOrFalseField


class CitizenApiFilter(CitizenFilter):
    """The registry's filters (people.filters): q, status, city, vulnerable, household,
    not_contacted_days. Its `sort` is replaced by the API's `ordering`, which pages by cursor.
    """

    needs_operation = True
    sort = None
    # The page's checkbox reads any value but "false" as ticked; an API takes true or false.
    vulnerable = TrueOrFalseFilter(method="filter_vulnerable")
    not_contacted_days = WholeDaysFilter(method="filter_not_contacted", min_value=0, max_value=3650)
    household = HouseholdAnswerFilter(
        method="filter_household", choices=CitizenFilter.base_filters["household"].extra["choices"]
    )

    class Meta(CitizenFilter.Meta):
        pass


class FlightApiFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Flight.Status.choices, distinct=False)
    departure_airport = django_filters.CharFilter(
        field_name="departure_airport__iata_code", max_length=3
    )
    arrival_airport = django_filters.CharFilter(
        field_name="arrival_airport__iata_code", max_length=3
    )
    departs_after = django_filters.IsoDateTimeFilter(field_name="departs_at", lookup_expr="gte")
    departs_before = django_filters.IsoDateTimeFilter(field_name="departs_at", lookup_expr="lt")

    class Meta:
        model = Flight
        fields: list[str] = []


class NamedOrdering(BaseFilterBackend):
    """`ordering=<name>`, one of the view's `orderings` (name → ORDER BY); 400 for others.

    Names rather than column lists, so a cursor always pages over an ordering that ends in
    a unique column and that an index serves.
    """

    param = "ordering"

    def get_ordering(self, request, queryset, view) -> tuple[str, ...]:
        key = request.query_params.get(self.param, view.default_ordering)
        if key not in view.orderings:
            choices = ", ".join(view.orderings)
            raise ValidationError({self.param: [_("Choose one of: %s.") % choices]})
        return tuple(view.orderings[key])

    def filter_queryset(self, request, queryset: QuerySet, view) -> QuerySet:
        return queryset.order_by(*self.get_ordering(request, queryset, view))

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": "Sort order.",
                "schema": {
                    "type": "string",
                    "enum": list(view.orderings),
                    "default": view.default_ordering,
                },
            }
        ]


# The registry's sorts a cursor can page through: the first column has few ties and no NULLs.
CITIZEN_ORDERINGS = {
    key: REGISTRY_SORTS[key] for key in ("name", "-name", "registered_at", "-registered_at")
}


class NotificationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Notification.Status.choices)
    channel = django_filters.ChoiceFilter(choices=Notification.Channel.choices)
    kind = django_filters.ChoiceFilter(choices=Notification.Kind.choices)
    flight = django_filters.NumberFilter(field_name="flight_id")
    citizen = django_filters.CharFilter(
        method="filter_citizen", max_length=20, help_text="Reference code of the person."
    )

    class Meta:
        model = Notification
        fields: list[str] = []

    def filter_citizen(self, messages, name: str, code: str):
        return messages.filter(citizen__reference_code=normalize_reference_code(code))
