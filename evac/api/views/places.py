"""A country's airports and main cities from the offline places data, and adding one to
Evac, as on the Places page (operations.places)."""

from django_countries import countries
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from evac.api import serializers as s
from evac.api.fields import StrictCharField, StrictIntegerField
from evac.api.schema import ERROR_DESCRIPTIONS
from evac.api.views.base import OperationView, valid_data
from evac.operations.access import Permission
from evac.operations.places import airport_add, city_add
from evac.places.selectors import place_candidates

NAME_HELP = "As citizens read it; the places data's name in this language if not given."


class CountrySerializer(serializers.Serializer):
    country = serializers.ChoiceField(choices=list(dict(countries)), required=False)


class AirportCandidateSerializer(serializers.Serializer):
    iata_code = serializers.CharField(source="entry.iata_code")
    name = serializers.CharField(source="entry.name")
    city_name = serializers.CharField(source="entry.city_name")
    country = serializers.CharField(source="entry.country")
    latitude = serializers.FloatField(source="entry.latitude")
    longitude = serializers.FloatField(source="entry.longitude")
    time_zone = serializers.CharField(source="entry.time_zone")
    airport = s.AirportSerializer(allow_null=True, help_text="Evac's airport, if it holds it.")


class CityCandidateSerializer(serializers.Serializer):
    geonames_id = serializers.IntegerField(source="entry.geonames_id")
    name = serializers.CharField(source="entry.name")
    country = serializers.CharField(source="entry.country")
    latitude = serializers.FloatField(source="entry.latitude")
    longitude = serializers.FloatField(source="entry.longitude")
    population = serializers.IntegerField(source="entry.population")
    time_zone = serializers.CharField(source="entry.time_zone")
    cyrillic_names = serializers.ListField(
        child=serializers.CharField(),
        source="entry.cyrillic_names",
        help_text="Its names in Cyrillic in the data, in no language said (suggestions).",
    )
    name_uk = serializers.CharField(
        source="entry.name_uk", help_text="Its Ukrainian name in the data; empty if unknown."
    )
    name_ru = serializers.CharField(
        source="entry.name_ru", help_text="Its Russian name in the data; empty if unknown."
    )
    city = s.CitySerializer(
        allow_null=True, help_text="Evac's city, if it holds it by any of these names."
    )


class PlaceCandidatesSerializer(serializers.Serializer):
    country = serializers.CharField()
    airports = AirportCandidateSerializer(many=True)
    cities = CityCandidateSerializer(many=True, help_text="The main cities, largest first.")


class CityAddSerializer(serializers.Serializer):
    geonames_id = StrictIntegerField(
        min_value=1, max_value=2**31 - 1, help_text="A city's number in the places data."
    )
    name_native = StrictCharField(
        max_length=120, required=False, allow_blank=True, default="", help_text=NAME_HELP
    )
    name_ru = StrictCharField(
        max_length=120, required=False, allow_blank=True, default="", help_text=NAME_HELP
    )


class AirportAddSerializer(serializers.Serializer):
    iata_code = serializers.RegexField(r"^[A-Za-z]{3}$", help_text="e.g. CIT")


@extend_schema(tags=["places"])
class PlaceCandidates(OperationView):
    serializer_class = PlaceCandidatesSerializer
    pagination_class = None  # a country's airports and its main cities

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "country",
                str,
                enum=list(dict(countries)),
                description="ISO 3166 code; the operation's country if not given.",
            )
        ],
        responses={
            200: PlaceCandidatesSerializer,
            # An unknown country: drf-spectacular counts only filters as query parameters.
            400: OpenApiResponse(s.ErrorSerializer, description=ERROR_DESCRIPTIONS["400"]),
        },
    )
    def get(self, request: Request, op: str) -> Response:
        """A country's airports and main cities in the offline places data, each with the
        airport or city Evac holds, if any. 400 for an unknown country."""
        # As plain values: read as a form, an empty country would count as none given.
        query = valid_data(CountrySerializer, request.query_params.dict())
        country = query.get("country") or self.operation.country.code
        airports, cities = place_candidates(country)
        body = {"country": country, "airports": airports, "cities": cities}
        return Response(PlaceCandidatesSerializer(body).data)


@extend_schema(tags=["places"])
class PlaceCityAdd(OperationView):
    write_permission = Permission.ADD_PLACES
    serializer_class = CityAddSerializer

    @extend_schema(responses={200: s.CitySerializer, 201: s.CitySerializer})
    def post(self, request: Request, op: str) -> Response:
        """Add a city of the places data to Evac, for every operation to use: 201 when it is
        new, 200 when Evac already held it (by any of its names), with what it lacked filled
        in. Coordinators and headquarters."""
        data = valid_data(CityAddSerializer, request.data)
        city, created = city_add(operation=self.operation, by=request.user, **data)
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(s.CitySerializer(city).data, status=answer)


@extend_schema(tags=["places"])
class PlaceAirportAdd(OperationView):
    write_permission = Permission.ADD_PLACES
    serializer_class = AirportAddSerializer

    @extend_schema(responses={200: s.AirportSerializer, 201: s.AirportSerializer})
    def post(self, request: Request, op: str) -> Response:
        """Add an airport of the places data to Evac, open, with the city it serves: 201 when
        it is new, 200 when Evac already held it (its status is kept). Coordinators and
        headquarters; suspend or reopen it with airports/<iata>/status/."""
        data = valid_data(AirportAddSerializer, request.data)
        airport, created = airport_add(
            operation=self.operation, iata_code=data["iata_code"], by=request.user
        )
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(s.AirportSerializer(airport).data, status=answer)
