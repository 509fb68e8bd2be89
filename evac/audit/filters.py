"""The access log page's filters: the GET parameters a link to the log can carry.

    user        a staff member's username, as written in the log
    action      one of AccessAction
    date_from   first day (UTC), inclusive
    date_to     last day (UTC), inclusive
    object      a reference code or a flight number (and date): the start of it is enough
    channel     web or api
    ip          an IP address, or its start ("10.0.")
    page        handled by the view's paginator

Days are UTC days, as the times on the page are: a log is read beside server and proxy logs,
and the staff who read it sit in several time zones.
"""

import ipaddress
import re
from datetime import UTC, date, datetime, time, timedelta

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from evac.audit.models import AccessAction, AccessChannel, AccessLogEntry
from evac.core.reference import format_reference_code, normalize_reference_code

# Digits, hex letters, dots and colons: what a (partial) IPv4 or IPv6 address is made of.
IP_PREFIX = re.compile(r"^[0-9a-fA-F.:]+$")


class IpOrPrefixField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value and not IP_PREFIX.match(value):
            raise ValidationError(
                _("Type an IP address, or the start of one, such as 10.0.0. or 2001:db8:.")
            )
        return value


class IpFilter(django_filters.CharFilter):
    field_class = IpOrPrefixField


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _reference_prefix(typed: str) -> str:
    """The start of a person's label from a typed code: "abcde" → "ABCD-E", "ab" → "AB"."""
    code = normalize_reference_code(typed)
    return format_reference_code(code) if len(code) > 4 else code


class AccessLogFilter(django_filters.FilterSet):
    user = django_filters.ChoiceFilter(
        label=_("Staff member"),
        field_name="username",
        choices=[],  # set per operation in __init__
        empty_label=_("Anyone"),
    )
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=AccessAction.choices, empty_label=_("Any action")
    )
    date_from = django_filters.DateFilter(
        label=_("From (UTC day)"),
        method="filter_date_from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("To (UTC day)"),
        method="filter_date_to",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    object = django_filters.CharFilter(
        label=_("Record"),
        method="filter_object",
        max_length=40,
        help_text=_("Reference code or flight number; the start of one is enough"),
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), choices=AccessChannel.choices, empty_label=_("Pages and API")
    )
    ip = IpFilter(
        label=_("IP address"),
        method="filter_ip",
        max_length=45,
        help_text=_("A whole address, or its start"),
    )

    class Meta:
        model = AccessLogEntry
        fields: list[str] = []

    def __init__(self, data=None, *, usernames: list[str], **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.filters["user"].extra["choices"] = [(name, name) for name in usernames]

    def filter_date_from(
        self, entries: QuerySet[AccessLogEntry], name: str, day: date
    ) -> QuerySet[AccessLogEntry]:
        return entries.filter(at__gte=_start_of(day))

    def filter_date_to(
        self, entries: QuerySet[AccessLogEntry], name: str, day: date
    ) -> QuerySet[AccessLogEntry]:
        if day == date.max:  # no day after it to stop before
            return entries
        return entries.filter(at__lt=_start_of(day + timedelta(days=1)))

    def filter_object(
        self, entries: QuerySet[AccessLogEntry], name: str, typed: str
    ) -> QuerySet[AccessLogEntry]:
        typed = typed.strip()
        matches = Q(object_label__istartswith=typed)
        reference = _reference_prefix(typed)
        if reference:
            # "abcdefgh", "ABCD EFGH" and "ABCD-EFGH" all find the person "ABCD-EFGH".
            matches |= Q(
                object_kind=AccessLogEntry.ObjectKind.PERSON, object_label__startswith=reference
            )
        return entries.filter(matches)

    def filter_ip(
        self, entries: QuerySet[AccessLogEntry], name: str, typed: str
    ) -> QuerySet[AccessLogEntry]:
        try:
            return entries.filter(ip_address=str(ipaddress.ip_address(typed)))
        except ValueError:
            return entries.filter(ip_address__startswith=typed.lower())
