"""An operation's Places page: a country's airports and main cities from the offline places
data, which of them Evac holds, and one click to add one (operations.places)."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_countries import countries

from evac.operations.access import Permission, is_headquarters
from evac.operations.places import airport_add, city_add
from evac.operations.web import OperationRequest, operation_page
from evac.places.selectors import place_candidates


class CountryForm(forms.Form):
    # Read at each use: the country names are in the reader's language.
    country = forms.ChoiceField(label=gettext_lazy("Country"), choices=lambda: list(countries))


class CityAddForm(forms.Form):
    geonames_id = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    country = forms.CharField(max_length=2, required=False)
    name_native = forms.CharField(
        label=gettext_lazy("Name in Ukrainian"), max_length=120, required=False
    )
    name_ru = forms.CharField(label=gettext_lazy("Name in Russian"), max_length=120, required=False)


class AirportAddForm(forms.Form):
    iata_code = forms.CharField(min_length=3, max_length=3)
    country = forms.CharField(max_length=2, required=False)


def places_url(request: OperationRequest, country: str = "") -> str:
    url = reverse("operations:places", args=[request.operation.slug])
    country = country.upper()
    if country in dict(countries) and country != request.operation.country.code:
        url += "?" + urlencode({"country": country})
    return url


@operation_page(Permission.VIEW)
def places(request: OperationRequest) -> HttpResponse:
    """A country's airports and main cities (the operation's country unless another is
    picked), each marked as held by Evac or with a button to add it."""
    form = CountryForm(request.GET or {"country": request.operation.country.code})
    country = form.cleaned_data["country"] if form.is_valid() else request.operation.country.code
    airports, cities = place_candidates(country)
    own_country = country == request.operation.country.code
    return render(
        request,
        "cockpit/places.html",
        {
            "nav": "dashboard",
            "form": form,
            "country": country,
            "country_name": dict(countries)[country],
            "own_country": own_country,
            # Another country's places are added by headquarters (operations.places).
            "may_add": own_country or is_headquarters(request.user),
            "airports": airports,
            "cities": cities,
        },
    )


def _refused(request: OperationRequest, form: forms.Form, error: ValidationError | None) -> None:
    said = error.messages if error else [e for errors in form.errors.values() for e in errors]
    messages.error(request, " ".join(said))


@operation_page(Permission.ADD_PLACES)
@require_POST
def place_city_add(request: OperationRequest) -> HttpResponse:
    form = CityAddForm(request.POST)
    if not form.is_valid():
        _refused(request, form, None)
        return redirect(places_url(request, request.POST.get("country", "")))
    try:
        city, created = city_add(
            operation=request.operation,
            geonames_id=form.cleaned_data["geonames_id"],
            name_native=form.cleaned_data["name_native"],
            name_ru=form.cleaned_data["name_ru"],
            by=request.user,
        )
    except ValidationError as error:
        _refused(request, form, error)
        return redirect(places_url(request, form.cleaned_data["country"]))
    said = _("%(city)s is added.") if created else _("%(city)s was already there.")
    messages.success(request, said % {"city": city})
    return redirect(places_url(request, city.country.code))


@operation_page(Permission.ADD_PLACES)
@require_POST
def place_airport_add(request: OperationRequest) -> HttpResponse:
    form = AirportAddForm(request.POST)
    if not form.is_valid():
        _refused(request, form, None)
        return redirect(places_url(request, request.POST.get("country", "")))
    try:
        airport, created = airport_add(
            operation=request.operation, iata_code=form.cleaned_data["iata_code"], by=request.user
        )
    except ValidationError as error:
        _refused(request, form, error)
        return redirect(places_url(request, form.cleaned_data["country"]))
    said = _("%(airport)s is added.") if created else _("%(airport)s was already there.")
    messages.success(request, said % {"airport": airport})
    return redirect(places_url(request, airport.city.country.code))
