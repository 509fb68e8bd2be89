from django.contrib import admin

from evac.places.models import Airport, City


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "name_native", "name_ru", "country", "time_zone"]
    search_fields = ["name", "name_native", "name_ru"]


@admin.register(Airport)
class AirportAdmin(admin.ModelAdmin):
    list_display = ["iata_code", "name", "city", "status", "status_note"]
    list_filter = ["status"]
    search_fields = ["iata_code", "name"]
