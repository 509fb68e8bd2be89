from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords
from timezone_field import TimeZoneField


def latitude_field() -> models.FloatField:
    return models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )


def longitude_field() -> models.FloatField:
    return models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )


class City(models.Model):
    """A place where people are stranded or flights leave from; shared by all operations."""

    # Citizens read the portal and their messages in English, Ukrainian or Russian: `name` is
    # the English name, `name_native` the one in Cyrillic (as Ukrainians spell it), and
    # `name_ru` the Russian spelling where it differs (Алмати / Алматы); see city_name().
    name = models.CharField(_("name"), max_length=120)
    name_native = models.CharField(_("name in local script"), max_length=120, blank=True)
    name_ru = models.CharField(_("name in Russian"), max_length=120, blank=True)
    country = CountryField(_("country"))
    time_zone = TimeZoneField(_("time zone"))
    # Where it is (WGS 84 degrees, for the map) and how many live there (to list the main
    # cities of a country first); unknown for a city typed by hand.
    latitude = latitude_field()
    longitude = longitude_field()
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("cities")
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="city_unique_per_country")
        ]

    def __str__(self) -> str:
        # Pages, forms and the admin show the city in the reader's language (Алмати on a
        # Ukrainian page); the API and exports name it by `name`, which never changes.
        return self.local_name

    @property
    def local_name(self) -> str:
        return self.name_in(get_language() or "en")

    def name_in(self, language: str) -> str:
        """As city_name_in, reading the other spellings only when they are asked for."""
        language = language.split("-")[0]
        if language == "en":
            return self.name
        if language == "ru" and self.name_ru:
            return self.name_ru
        return self.name_native or self.name

    def local_time(self, moment: datetime) -> datetime:
        return moment.astimezone(self.time_zone)


def city_name_in(name: str, native: str, russian: str, language: str) -> str:
    """The city as a reader of `language` knows it: English, else its Cyrillic name (Russian
    spelling for Russian where one is given), else the English one."""
    language = language.split("-")[0]
    if language == "en":
        return name
    if language == "ru" and russian:
        return russian
    return native or name


class Airport(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SUSPENDED = "suspended", _("Suspended")

    iata_code = models.CharField(_("IATA code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=200)
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="airports")
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.OPEN)
    status_note = models.CharField(_("status note"), max_length=300, blank=True)
    latitude = latitude_field()
    longitude = longitude_field()
    # The airport's own zone where it is known; otherwise its city's.
    time_zone = TimeZoneField(_("time zone"), null=True, blank=True)
    # Who suspended or reopened it, when, and why: the airports are shared by operations.
    history = HistoricalRecords()

    class Meta:
        ordering = ["iata_code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(iata_code__regex=r"^[A-Z]{3}$"),
                name="airport_iata_code_three_capitals",
                violation_error_message=_("An IATA code is three capital letters."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "suspended"]),
                name="airport_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.iata_code} — {self.name}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def zone(self) -> ZoneInfo:
        """The zone a flight's times at this airport are in, for every reader and writer: the
        form that turns typed times into UTC, the pages, the messages, the portal, the
        manifests and PAXLST. Its own where known (an airport can keep another zone than the
        city it serves), else its city's."""
        return self.time_zone if self.time_zone is not None else self.city.time_zone

    def local_time(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)
