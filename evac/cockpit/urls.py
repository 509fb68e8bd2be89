from django.urls import path

from evac.cockpit import places, views

# The operation's own pages keep the "operations" namespace: operations:dashboard is the
# front page of an operation, wherever its code lives.
app_name = "operations"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("advice/", views.advice_edit, name="advice"),
    path("closing/", views.closing, name="closing"),
    path("airports/", views.airports, name="airports"),
    path("airports/<str:iata>/status/", views.airport_status, name="airport-status"),
    path("airports/flights/<int:pk>/move/", views.flight_move, name="flight-move"),
    path("places/", places.places, name="places"),
    path("places/cities/", places.place_city_add, name="place-city-add"),
    path("places/airports/", places.place_airport_add, name="place-airport-add"),
]
