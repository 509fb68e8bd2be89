"""Serializer fields that take exactly what the OpenAPI schema promises, and nothing more.

DRF is forgiving by default: it reads 0 as false, 12 as the string "12", 1.5 as the id 1,
"2022-01-09 10:00" as a date-time. A client that sends such data has a bug, and the schema
says so; answering 400 instead of guessing keeps the API and its schema telling the same
story (Schemathesis checks that they do).
"""

import re
from datetime import date, datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country
from rest_framework import serializers

# RFC 3339, as OpenAPI's "date" and "date-time" formats mean.
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
# Moments Evac records (flights, calls) lie in this range. Before it, time zones had local
# mean time offsets with seconds that RFC 3339 can't write; after it, adding hours to a
# departure could leave the calendar.
EARLIEST_YEAR, LATEST_YEAR = 1970, 9000


class StrictCharField(serializers.CharField):
    default_error_messages = {"invalid": _("Not a string.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictDateField(serializers.DateField):
    def to_internal_value(self, value) -> date:
        if not isinstance(value, str) or not FULL_DATE.match(value):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


class StrictDateTimeField(serializers.DateTimeField):
    default_error_messages = {
        "out_of_range": _("Give a moment between the years %(earliest)d and %(latest)d.")
        % {"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR}
    }

    def to_internal_value(self, value) -> datetime:
        if not isinstance(value, str) or not DATE_TIME.match(value):
            self.fail("invalid", format="YYYY-MM-DDThh:mm:ss±hh:mm (RFC 3339)")
        moment = super().to_internal_value(value)
        if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
            self.fail("out_of_range")
        return moment


class OptionalEmailField(serializers.EmailField):
    """An e-mail address, or "" for none when allow_blank (the schema then says both)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class StrictSlugRelatedField(serializers.SlugRelatedField):
    """A record named by a code (an airport's IATA code): a string, and never one with a NUL,
    which PostgreSQL can't even compare with and would answer with an error."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


class StrictChoiceField(serializers.ChoiceField):
    """One of the choices, as a string; a country is written as its code ("" for none)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)

    def to_representation(self, value):
        if isinstance(value, Country):
            return value.code or ""
        return super().to_representation(value)


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose fields read input as strictly as the schema describes it."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.EmailField: OptionalEmailField,
        models.BooleanField: StrictBooleanField,
        models.IntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.PositiveSmallIntegerField: StrictIntegerField,
        models.BigIntegerField: StrictIntegerField,
        models.DateField: StrictDateField,
        models.DateTimeField: StrictDateTimeField,
    }
    serializer_related_field = StrictPrimaryKeyRelatedField
    serializer_choice_field = StrictChoiceField
