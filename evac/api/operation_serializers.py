"""The API's shape for opening an operation (evac.operations.services.operation_open)."""

from django.conf import settings
from django_countries import countries
from rest_framework import serializers

from evac.api.fields import OptionalEmailField, StrictCharField, StrictChoiceField, StrictDateField
from evac.core.text import NOTE_LENGTH


class OperationOpenSerializer(serializers.Serializer):
    """A new operation. `languages`: the languages its people are written to in, in order
    (its portal speaks only these, the first by default, and registration and broadcasts
    offer only them; none given: all);
    `phone_regions`: countries a number typed without its country code may be from, besides
    the operation's own."""

    country = StrictChoiceField(choices=list(countries))
    name = StrictCharField(max_length=200)
    slug = serializers.SlugField(max_length=50)
    starts_on = StrictDateField(required=False)
    hotline_phone = StrictCharField(max_length=40, required=False, allow_blank=True, default="")
    hotline_email = OptionalEmailField(required=False, allow_blank=True, default="")
    advice = StrictCharField(max_length=NOTE_LENGTH, required=False, allow_blank=True, default="")
    embassy_contact_name = StrictCharField(
        max_length=35, required=False, allow_blank=True, default=""
    )
    embassy_contact_phone = StrictCharField(
        max_length=25, required=False, allow_blank=True, default=""
    )
    languages = serializers.ListField(
        child=StrictChoiceField(choices=settings.LANGUAGES), max_length=10, required=False
    )
    phone_regions = serializers.ListField(
        child=StrictChoiceField(choices=list(countries)), max_length=20, required=False
    )
