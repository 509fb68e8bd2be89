"""The registry's filters, search and sort: the GET parameters other pages link with.

    q                   search (see selectors.search_citizens)
    status              one of Citizen.Status (repeat it for several: status=a&status=b)
    city                a City pk
    vulnerable=1        medical need, reduced mobility, pregnancy, a minor or elderly
    household=yes|no    in a household, or travelling alone
    not_contacted_days  last heard from more than N days ago (see selectors.heard_from_before)
    sort                a key of selectors.REGISTRY_SORTS, e.g. name, -registered_at
    page                handled by the view's paginator

The dashboard links here with these names, so they are an interface: keep them.
"""

import django_filters
import django_filters.fields
from django import forms
from django.utils.translation import gettext_lazy as _

from evac.core import widgets as quick
from evac.operations.models import Operation
from evac.people.models import Citizen, CitizenQuerySet
from evac.people.selectors import (
    REGISTRY_SORTS,
    not_heard_from_for,
    phone_regions,
    registry_cities,
    search_citizens,
)

SORT_CHOICES = [
    ("name", _("Name, A to Z")),
    ("-name", _("Name, Z to A")),
    ("-registered_at", _("Newest registrations first")),
    ("registered_at", _("Oldest registrations first")),
    ("last_contacted_at", _("Longest without contact first")),
    ("-last_contacted_at", _("Most recently contacted first")),
    ("status", _("Status")),
    ("-status", _("Status, reversed")),
    ("city", _("City")),
    ("-city", _("City, reversed")),
]


class DaysFilter(django_filters.Filter):
    field_class = forms.IntegerField


class _ChoicesInOneQuery(django_filters.fields.ModelChoiceIterator):
    """The list's rows read in one query. Django reads a model choice list through a
    server-side cursor on PostgreSQL: three round trips (DECLARE, FETCH, CLOSE) for the
    dozen cities the page lists, on every page of the registry."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for city in self.queryset.all():
            yield self.choice(city)


class _CityField(django_filters.fields.ModelChoiceField):
    iterator = _ChoicesInOneQuery


class CityFilter(django_filters.ModelChoiceFilter):
    field_class = _CityField


class CitizenFilter(django_filters.FilterSet):
    # The widgets write Django's markup in Python (evac/core/widgets.py): the lists of
    # cities and sorts were a template render per option on every search; the statuses'
    # boxes are written by the page's `option_input`.
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=quick.TextInput(attrs={"type": "search", "enterkeyhint": "search"}),
        help_text=_("Name (Latin or Cyrillic), document, phone or reference code"),
    )
    # One status, or several (status=waiting&status=unreachable) for links such as the
    # dashboard's "not heard from" count, which covers everyone we still owe something.
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=Citizen.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,  # a plain column filter can't repeat rows; DISTINCT would cost a sort
    )
    city = CityFilter(
        label=_("City"),
        field_name="current_city",
        queryset=None,  # set per operation in __init__
        empty_label=_("Any city"),
        widget=quick.Select,
    )
    vulnerable = django_filters.BooleanFilter(
        label=_("Vulnerable only"),
        method="filter_vulnerable",
        widget=quick.CheckboxInput(attrs={"value": "1"}),
    )
    household = django_filters.ChoiceFilter(
        label=_("Household"),
        method="filter_household",
        choices=[("yes", _("In a household")), ("no", _("Travelling alone"))],
        empty_label=_("Anyone"),
        widget=quick.Select,
    )
    not_contacted_days = DaysFilter(
        label=_("Not heard from for more than (days)"),
        method="filter_not_contacted",
        min_value=0,
        max_value=3650,
        widget=quick.NumberInput,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_sort",
        choices=SORT_CHOICES,
        empty_label=None,
        widget=quick.Select,
    )

    class Meta:
        model = Citizen
        fields: list[str] = []

    def __init__(self, data=None, *, operation: Operation, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.operation = operation
        self.filters["city"].queryset = registry_cities(operation)

    def filter_search(self, citizens: CitizenQuerySet, name: str, text: str) -> CitizenQuerySet:
        return search_citizens(citizens, text, phone_regions=phone_regions(self.operation))

    def filter_vulnerable(
        self, citizens: CitizenQuerySet, name: str, only: bool
    ) -> CitizenQuerySet:
        # An unticked box means "everyone", not "only people who are not vulnerable".
        return citizens.vulnerable() if only else citizens

    def filter_household(
        self, citizens: CitizenQuerySet, name: str, answer: str
    ) -> CitizenQuerySet:
        return citizens.filter(household__isnull=answer != "yes")

    def filter_not_contacted(
        self, citizens: CitizenQuerySet, name: str, days: int
    ) -> CitizenQuerySet:
        return not_heard_from_for(citizens, days=days)

    def filter_sort(self, citizens: CitizenQuerySet, name: str, key: str) -> CitizenQuerySet:
        return citizens.order_by(*REGISTRY_SORTS[key])
