"""What a broadcast takes and answers (evac.notifications.broadcasts): staff's words to
everyone holding a seat on a flight or waiting in a city, previewed, then sent once.

The preview answers how many messages a send writes, on which channels, and how each
language's SMS reads, with the token the send then names: a send repeated with the same
token writes nothing again (409). The token is an idempotency key of the caller's
operation, compared only with that operation's broadcasts.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from evac.api.fields import StrictBooleanField, StrictCharField, StrictIntegerField
from evac.people.models import Language

TEXT_MAX = 600  # as the staff page's form
HEX_32 = r"^[0-9a-f]{32}$"


def _text(help_text: str) -> StrictCharField:
    return StrictCharField(
        required=False, allow_blank=True, max_length=TEXT_MAX, help_text=help_text
    )


class BroadcastTextsSerializer(serializers.Serializer):
    """A text per language the audience reads."""

    def get_fields(self) -> dict:
        return {
            language: _text(f"The text for readers of {name}.")
            for language, name in Language.choices
        }


class BroadcastSerializer(serializers.Serializer):
    flight = StrictIntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text="Id of a flight: everyone holding a seat on it. Give a flight or a city.",
    )
    city = StrictIntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text="Id of a city: everyone waiting there. Give a flight or a city.",
    )
    text = _text(
        "One text for everyone, whatever language they read. Or leave it out and give "
        "`texts`, one per language. An SMS in Cyrillic holds 70 characters a segment, at "
        "most 3 segments."
    )
    texts = BroadcastTextsSerializer(
        required=False, help_text="A text per language; each language the audience reads needs one."
    )
    preview = StrictBooleanField(
        required=False,
        default=False,
        help_text="true: write nothing, answer the count, the channels and how it reads, with "
        "the token to send it with.",
    )
    token = serializers.RegexField(
        HEX_32,
        required=False,
        help_text="The token the preview answered; needed to send. A send with a token "
        "already used in this operation writes nothing (409). Tokens are kept per operation: "
        "another operation's never collide with yours.",
    )

    def validate(self, data: dict) -> dict:
        if ("flight" in data) == ("city" in data):
            raise serializers.ValidationError(_("Give either a flight or a city."))
        if not data["preview"] and "token" not in data:
            raise serializers.ValidationError(
                {"token": [_("Preview the broadcast first, and send it with its token.")]}
            )
        return data


class SampleSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=Language.choices)
    readers = serializers.IntegerField(help_text="Recipients who read this language.")
    body = serializers.CharField(help_text="The SMS as they get it.")
    encoding = serializers.CharField(source="length.encoding", help_text="GSM-7 or UCS-2.")
    segments = serializers.IntegerField(source="length.segments")


class BroadcastPreviewSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="Send with this token: 32 hex digits, new at each preview, unique within "
        "this operation's broadcasts."
    )
    messages = serializers.IntegerField(
        source="count", help_text="Messages a send writes: one per person with a phone or e-mail."
    )
    by_sms = serializers.IntegerField()
    by_email = serializers.IntegerField()
    without_contact = serializers.IntegerField(
        help_text="People in the audience with no phone and no e-mail: call them instead."
    )
    samples = SampleSerializer(many=True, help_text="How it reads, one per language.")


class BroadcastSentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    token = serializers.CharField()
    messages = serializers.IntegerField(help_text="Messages written, each sent in turn.")
    created_at = serializers.DateTimeField()
