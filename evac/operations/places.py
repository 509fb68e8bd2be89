"""Bringing cities and airports into Evac from the offline places data, from an operation.

The places are shared by every operation (an operation's airports are those of its country,
operations.services.operation_airports); who may add them is a question for the operation
they are added from. Adding a place Evac already holds adds nothing: it fills in what the
held one lacks (where it is, how many live there, its names from the data) and says it was
already there.

Because they are shared, a coordinator changes only what is theirs: they add the places of
their operation's country, and name (in Ukrainian or Russian) only a city no other
operation uses, as other operations' citizens read those names. Headquarters, above every
operation, add any country's places (the airports the flights home land at) and name any
city.
"""

import logging
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from evac.core.actor import user_of
from evac.core.history import record_by
from evac.operations.access import Actor, Permission, is_headquarters, require_permission
from evac.operations.models import Operation
from evac.places.catalogue import (
    AirportEntry,
    CityEntry,
    airport_entry,
    city_entry,
    city_of_airport,
)
from evac.places.models import Airport, City
from evac.places.selectors import city_known_as

logger = logging.getLogger(__name__)

NAME_LENGTH = City._meta.get_field("name").max_length


def _name(actor: Actor) -> str:
    user = user_of(actor)
    return user.get_username() if user is not None else str(actor)


def _spelling(value: str, field: str) -> str:
    value = (value or "").strip()
    if len(value) > NAME_LENGTH:
        raise ValidationError(
            {field: _("Keep the name under %(n)d characters.") % {"n": NAME_LENGTH}}
        )
    return value


def _own_country(operation: Operation, country: str, field: str, by: Actor) -> None:
    if country != operation.country.code and not is_headquarters(by):
        raise ValidationError(
            {
                field: _(
                    "This place is in another country than the operation's: headquarters add those."
                )
            }
        )


def city_used_elsewhere(city: City, operation: Operation) -> bool:
    """Does another operation use the city: one in its country, or one with people, a
    transfer or a flight there? (Read through the operations' reverse relations, by name:
    this layer can't import the people or flights apps.)"""
    others = Operation.objects.exclude(pk=operation.pk)
    if others.filter(country=city.country).exists():
        return True
    lookups = (
        "citizens__current_city",
        "transfers__from_city",
        "transfers__to_city",
        "flights__departure_airport__city",
        "flights__arrival_airport__city",
    )
    return any(others.filter(**{lookup: city}).exists() for lookup in lookups)


def _may_name(city: City, names: dict[str, str], operation: Operation, by: Actor) -> None:
    """Refuse staff's names for a held city that lacks them, if other operations use it."""
    naming = [field for field, value in names.items() if value and not getattr(city, field)]
    if naming and not is_headquarters(by) and city_used_elsewhere(city, operation):
        message = _("Other operations use %(city)s: only headquarters can name it.") % {
            "city": city.name
        }
        raise ValidationError(dict.fromkeys(naming, message))


def _fill_in(place: City | Airport, **known) -> None:
    """Set what the place lacks from `known`, keeping what it has (staff may have typed it)."""
    changed = [
        field
        for field, value in known.items()
        if value not in (None, "") and getattr(place, field) in (None, "")
    ]
    for field in changed:
        setattr(place, field, known[field])
    if changed:
        place.save(update_fields=changed)


def _city_from(
    entry: CityEntry, names: dict[str, str] | None = None, check_names=None
) -> tuple[City, bool]:
    """The city of `entry`, held or new, with `names` (staff's, else the data's Ukrainian
    and Russian ones) where it lacks them. Staff's names that differ from the data's are
    first shown to `check_names` for a held city, which may refuse them: the data's own
    fill any held city's blanks, as its coordinates do."""
    from_data = {"name_native": entry.name_uk, "name_ru": entry.name_ru}
    typed = {field: value for field, value in (names or {}).items() if value}
    known = {
        "latitude": entry.latitude,
        "longitude": entry.longitude,
        "population": entry.population or None,
        **from_data,
        **typed,
    }
    own = {field: value for field, value in typed.items() if value != from_data.get(field)}
    city = city_known_as(entry)
    if city is None:
        # Two coordinators adding the same city at once: the second finds the first's.
        city, created = City.objects.get_or_create(
            name=entry.name[:NAME_LENGTH],
            country=entry.country,
            defaults={**known, "time_zone": ZoneInfo(entry.time_zone)},
        )
        if created:
            return city, True
    if check_names is not None:
        check_names(city, own)
    _fill_in(city, **known)
    return city, False


@transaction.atomic
def city_add(
    *,
    operation: Operation,
    geonames_id: int,
    by: Actor,
    name_native: str = "",
    name_ru: str = "",
) -> tuple[City, bool]:
    """The city of the places data numbered `geonames_id`, in Evac; True if it is new.

    Its Ukrainian and Russian names are the ones staff give, else the data's where it
    has them (places.catalogue); a held city is named only as _may_name allows."""
    require_permission(by, operation, Permission.ADD_PLACES)
    entry = city_entry(geonames_id)
    if entry is None:
        raise ValidationError({"geonames_id": _("The places data has no such city.")})
    _own_country(operation, entry.country, "geonames_id", by)
    names = {
        "name_native": _spelling(name_native, "name_native"),
        "name_ru": _spelling(name_ru, "name_ru"),
    }
    city, created = _city_from(
        entry, names, lambda held, given: _may_name(held, given, operation, by)
    )
    if created:
        logger.info(
            "%s added city %s (%s) from %s", _name(by), city.name, entry.country, operation.slug
        )
    return city, created


def _city_of(entry: AirportEntry) -> City:
    served = city_of_airport(entry)
    if served is not None:
        return _city_from(served)[0]
    # A town too small for the cities data: named as the airport data names it.
    city, _created = City.objects.get_or_create(
        name=(entry.city_name or entry.name)[:NAME_LENGTH],
        country=entry.country,
        defaults={
            "time_zone": ZoneInfo(entry.time_zone),
            "latitude": entry.latitude,
            "longitude": entry.longitude,
        },
    )
    return city


@transaction.atomic
def airport_add(*, operation: Operation, iata_code: str, by: Actor) -> tuple[Airport, bool]:
    """The airport of the places data with this IATA code, in Evac and open, with the city
    it serves; True if it is new."""
    require_permission(by, operation, Permission.ADD_PLACES)
    entry = airport_entry(iata_code or "")
    if entry is None:
        raise ValidationError({"iata_code": _("The places data has no airport with this code.")})
    _own_country(operation, entry.country, "iata_code", by)
    known = {
        "latitude": entry.latitude,
        "longitude": entry.longitude,
        "time_zone": ZoneInfo(entry.time_zone),
    }
    airport = Airport.objects.filter(iata_code=entry.iata_code).first()
    if airport is not None:
        _fill_in(airport, **known)
        return airport, False
    airport = Airport(
        iata_code=entry.iata_code,
        name=entry.name[: Airport._meta.get_field("name").max_length],
        city=_city_of(entry),
        **known,
    )
    try:
        with transaction.atomic():
            record_by(airport, by).save()
    except IntegrityError:  # added by someone else a moment ago
        return Airport.objects.get(iata_code=entry.iata_code), False
    logger.info(
        "%s added airport %s (%s) from %s",
        _name(by),
        airport.iata_code,
        entry.country,
        operation.slug,
    )
    return airport, True
