"""Broadcasts: staff's words to everyone on a flight or waiting in a city, previewed before
anything is written, and sent once.

Staff write a text in each language their audience reads, or say explicitly that one text
goes to all. The preview is the send without the writing: the same people, each with the
channel and the language their message will go in, so its count is what is sent. People
with no phone and no e-mail are listed apart, to be called: they are not counted as sent.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evac.core.actor import user_of
from evac.core.clock import now
from evac.core.errors import Conflict
from evac.flights.models import Flight
from evac.notifications import texts as words
from evac.notifications.addressing import citizen_address
from evac.notifications.compose import ALL_LANGUAGES, broadcast_text
from evac.notifications.models import Broadcast, Notification
from evac.notifications.queue import queue_sends_on_commit
from evac.notifications.selectors import broadcast_audience
from evac.notifications.services import SEND_MESSAGES, message_to_citizen
from evac.notifications.sms import MAX_SMS_SEGMENTS, SmsLength, sms_length
from evac.operations.access import Actor, require_permission
from evac.operations.models import Operation
from evac.people.models import Citizen, Language
from evac.places.models import City

N = Notification


class BroadcastAlreadySent(Conflict):
    """The preview's token was used: this broadcast went out already."""

    def __init__(self, broadcast: Broadcast) -> None:
        self.broadcast = broadcast
        super().__init__(
            ngettext(
                "This broadcast was already sent at %(time)s: %(n)d message. Nothing was "
                "sent again.",
                "This broadcast was already sent at %(time)s: %(n)d messages. Nothing was "
                "sent again.",
                broadcast.messages,
            )
            % {"time": date_format(broadcast.created_at, "H:i"), "n": broadcast.messages}
        )


@dataclass(frozen=True)
class Recipient:
    """One person a broadcast reaches, as their message will go: channel and language."""

    citizen: Citizen
    channel: str
    language: str


@dataclass(frozen=True)
class Sample:
    """The SMS as the readers of one language get it."""

    language: str
    readers: int
    body: str
    length: SmsLength


@dataclass(frozen=True)
class BroadcastPreview:
    recipients: list[Recipient]
    # In the audience but with no phone and no e-mail: staff call them instead.
    without_contact: list[Citizen]
    samples: list[Sample]

    @property
    def count(self) -> int:
        """How many messages a send writes: one per person with a phone or an e-mail."""
        return len(self.recipients)

    @property
    def by_sms(self) -> int:
        return sum(1 for r in self.recipients if r.channel == N.Channel.SMS)

    @property
    def by_email(self) -> int:
        return sum(1 for r in self.recipients if r.channel == N.Channel.EMAIL)


def _clean_texts(texts: Mapping[str, str]) -> dict[str, str]:
    """Staff's texts with their spaces tidied, the empty ones left out; one for all alone."""
    known = {*Language.values, ALL_LANGUAGES}
    cleaned = {
        language: " ".join(text.split())
        for language, text in texts.items()
        if language in known and text.strip()
    }
    if not cleaned:
        raise ValidationError({"text": _("Write the message.")})
    if ALL_LANGUAGES in cleaned and len(cleaned) > 1:
        raise ValidationError(
            {"text": _("Write either one text for everyone or a text per language, not both.")}
        )
    return cleaned


def _missing_languages(texts: dict[str, str], people: list[Citizen]) -> list[tuple[str, int]]:
    readers = Counter(person.preferred_language for person in people)
    return sorted(
        (language, count)
        for language, count in readers.items()
        if broadcast_text({"texts": texts}, language) is None
    )


def broadcast_preview(
    *,
    operation: Operation,
    by: Actor,
    texts: Mapping[str, str],
    flight: Flight | None = None,
    city: City | None = None,
) -> BroadcastPreview:
    """Who a broadcast would reach, on which channel and in which language, and how each
    language's message reads, before anything is written.

    `texts` holds a text per language ({"uk": …, "en": …}), or one text for all under
    ALL_LANGUAGES; a language the audience reads with no text of its own is refused.
    """
    require_permission(by, operation, SEND_MESSAGES)
    texts = _clean_texts(texts)
    people = list(broadcast_audience(operation, flight=flight, city=city))
    missing = _missing_languages(texts, people)
    if missing:
        named = ", ".join(
            ngettext("%(language)s (%(n)d person)", "%(language)s (%(n)d people)", n)
            % {"language": Language(language).label, "n": n}
            for language, n in missing
        )
        raise ValidationError(
            {
                "text": _(
                    "Some people read a language you wrote no text in: %(languages)s. "
                    "Write it, or one text for everyone."
                )
                % {"languages": named}
            }
        )
    recipients, without_contact = [], []
    for person in people:
        address = citizen_address(person)
        if address is None:
            without_contact.append(person)
        else:
            recipients.append(Recipient(person, address.channel, person.preferred_language))
    samples = _samples(operation, texts, recipients)
    too_long = [s for s in samples if s.length.segments > MAX_SMS_SEGMENTS]
    if too_long:
        raise ValidationError(
            {
                "text": _(
                    "The message is too long for %(max)d SMS segments (%(segments)d); shorten it."
                )
                % {"max": MAX_SMS_SEGMENTS, "segments": max(s.length.segments for s in too_long)}
            }
        )
    return BroadcastPreview(recipients, without_contact, samples)


def _samples(
    operation: Operation, texts: dict[str, str], recipients: list[Recipient]
) -> list[Sample]:
    """One sample per language the recipients read, or per language written when nobody
    is reached yet, so staff still see how long it is."""
    readers = Counter(r.language for r in recipients)
    languages = sorted(readers) or sorted(language for language in texts if language in Language)
    samples = []
    for language in languages or [Language.UKRAINIAN]:
        context = {
            "text": broadcast_text({"texts": texts}, language),
            "hotline": operation.hotline_phone,
        }
        body = words.render(N.Kind.BROADCAST, language, context, sms=True).body
        samples.append(Sample(language, readers[language], body, sms_length(body)))
    return samples


@transaction.atomic
def broadcast_send(
    *,
    operation: Operation,
    by: Actor,
    texts: Mapping[str, str],
    token: str,
    flight: Flight | None = None,
    city: City | None = None,
) -> Broadcast:
    """Write one message per person the preview counts, in their language and on their
    channel. `token` comes from the preview: sent twice in this operation, it raises
    BroadcastAlreadySent and writes nothing. Another operation's tokens are not looked at."""
    preview = broadcast_preview(operation=operation, by=by, texts=texts, flight=flight, city=city)
    texts = _clean_texts(texts)
    try:
        with transaction.atomic():
            broadcast = Broadcast.objects.create(
                operation=operation,
                token=token,
                flight=flight,
                city=city,
                texts=texts,
                messages=preview.count,
                created_by=user_of(by),
            )
    except IntegrityError:
        raise BroadcastAlreadySent(operation.broadcasts.get(token=token)) from None
    made = []
    for recipient in preview.recipients:
        notification = message_to_citizen(
            key=f"broadcast:{broadcast.pk}:{recipient.citizen.pk}",
            kind=N.Kind.BROADCAST,
            operation=operation,
            citizen=recipient.citizen,
            flight=flight,
            due_at=now(),
            parameters={"texts": texts},
            by=by,
        )
        if notification is not None:
            made.append(notification)
    # All of them over one broker connection once committed, not one connection each.
    queue_sends_on_commit([n.pk for n in made if n.status == N.Status.PENDING])
    return broadcast
