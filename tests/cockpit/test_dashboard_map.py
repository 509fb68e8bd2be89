"""The dashboard's map: an SVG drawn on the server from the places' coordinates, with the
country's bundled outline, circles by the number waiting that link to each city's waiting
list, suspended airports and transfers told apart by more than colour, and the numbers in a
table; a city without coordinates is listed, not drawn."""

import math
import re

import pytest
from django.urls import reverse

from evac.cockpit.map_svg import Projection, circle_radius, clip_to_frame
from evac.cockpit.outlines import country_outline
from evac.places.models import Airport, City
from tests.factories import make_airport, make_citizen, make_city, make_flight
from tests.flights.factories import make_transfer


def test_a_circles_area_is_in_proportion_to_the_people_waiting():
    assert circle_radius(100, 100) == pytest.approx(2 * circle_radius(25, 100))
    big, small = circle_radius(116, 116), circle_radius(29, 116)
    assert math.pi * big**2 == pytest.approx(4 * math.pi * small**2)
    assert circle_radius(1, 10_000) >= 5  # still a circle one can click


def test_north_is_up_and_east_is_right():
    projection = Projection(46.5, 40.6, 87.4, 55.4)
    almaty = projection.xy((43.24, 76.95))
    nur_sultan = projection.xy((51.17, 71.45))
    assert nur_sultan[1] < almaty[1]
    assert nur_sultan[0] < almaty[0]
    assert projection.inside(*almaty) and projection.inside(*nur_sultan)


def test_a_line_leaving_the_frame_is_cut_at_its_edge():
    (start, end, cut) = clip_to_frame((400, 100), (-400, 100), 800, 500)
    assert (start, end, cut) == ((400, 100), (0, 100), True)
    assert clip_to_frame((10, 10), (20, 20), 800, 500) == ((10, 10), (20, 20), False)
    assert clip_to_frame((-10, -10), (-20, 900), 800, 500) is None


def test_kazakhstans_outline_is_bundled():
    rings = country_outline("KZ")
    points = [point for ring in rings for point in ring]
    assert len(points) > 50
    assert all(46 < lon < 88 and 40 < lat < 56 for lon, lat in points)
    assert country_outline("kz") == rings
    assert country_outline("XX") == []


@pytest.fixture
def places(db):
    almaty = make_city("Almaty", "KZ", "Asia/Almaty")
    nur_sultan = make_city("Nur-Sultan", "KZ", "Asia/Almaty")
    kyiv = make_city("Kyiv", "UA", "Europe/Kyiv")
    for city, lat, lon in (
        (almaty, 43.24, 76.95),
        (nur_sultan, 51.17, 71.45),
        (kyiv, 50.45, 30.52),
    ):
        City.objects.filter(pk=city.pk).update(latitude=lat, longitude=lon)
    shymkent = make_city("Shymkent", "KZ", "Asia/Almaty")  # no coordinates
    make_airport("ALA", almaty, status=Airport.Status.SUSPENDED)
    nqz = make_airport("NQZ", nur_sultan)
    kbp = make_airport("KBP", kyiv)
    return almaty, nur_sultan, shymkent, nqz, kbp


@pytest.fixture
def page(client, operation, carol, places):
    almaty, nur_sultan, shymkent, nqz, kbp = places
    for _ in range(4):
        make_citizen(operation, almaty)
    make_citizen(operation, nur_sultan)
    make_citizen(operation, shymkent)
    make_transfer(operation, almaty, nur_sultan, seats=40)
    make_flight(operation, nqz, kbp, number="PS9004")
    client.force_login(carol)
    return client.get(reverse("operations:dashboard", args=[operation.slug])).content.decode()


def _svg(page: str) -> str:
    return re.search(r'<svg[^>]*class="operation-map".*?</svg>', page, re.S).group(0)


def _circle_link(svg: str, city: City) -> str:
    return re.search(rf'<a href="[^"]*city={city.pk}"[^>]*>.*?</a>', svg, re.S).group(0)


@pytest.mark.django_db
def test_each_city_with_people_waiting_is_a_circle_linking_to_its_waiting_list(
    page, operation, places
):
    almaty, nur_sultan, *_ = places
    svg = _svg(page)
    waiting_list = reverse("people:list", args=[operation.slug])
    link = _circle_link(svg, almaty)
    assert f'href="{waiting_list}?status=waiting&amp;city={almaty.pk}"' in link
    assert 'data-waiting="4"' in link
    assert 'data-waiting="1"' in _circle_link(svg, nur_sultan)
    big = float(re.search(r' r="([\d.]+)"', link).group(1))
    small = float(re.search(r' r="([\d.]+)"', _circle_link(svg, nur_sultan)).group(1))
    assert big == pytest.approx(2 * small)  # four times the people, four times the area


@pytest.mark.django_db
def test_a_city_whose_airport_is_suspended_is_hatched_and_labelled_as_needing_a_transfer(
    page, places
):
    almaty, nur_sultan, *_ = places
    svg = _svg(page)
    almaty_link, nur_sultan_link = _circle_link(svg, almaty), _circle_link(svg, nur_sultan)
    assert 'fill="url(#map-hatch)"' in almaty_link and "needs a transfer" in almaty_link
    assert "url(#map-hatch)" not in nur_sultan_link and "needs a transfer" not in nur_sultan_link
    assert '<pattern id="map-hatch"' in svg


@pytest.mark.django_db
def test_airports_open_or_suspended_the_transfer_and_the_flight_ahead_are_drawn(page):
    svg = _svg(page)
    assert re.search(r'class="map-airport map-airport-suspended">.*?ALA', svg, re.S)
    assert re.search(r'class="map-airport map-airport-open">.*?NQZ', svg, re.S)
    transfer = re.search(r'<g class="map-route map-transfer">.*?</g>', svg, re.S).group(0)
    assert 'stroke-dasharray="7 5"' in transfer and "Rail 12" in transfer
    flight = re.search(r'<g class="map-route map-flight">.*?</g>', svg, re.S).group(0)
    assert "PS9004" in flight and "→ KBP" in flight  # Kyiv is off the map of Kazakhstan
    assert 'class="map-outline"' in svg


@pytest.mark.django_db
def test_a_city_without_coordinates_is_in_the_table_and_not_on_the_map(page, places):
    *_, shymkent, _, _ = places
    assert f"city={shymkent.pk}" not in _svg(page)
    table = page[page.index("The numbers behind the map") :]
    row = re.search(
        rf"<tr>\s*<th scope=\"row\"><a [^>]*city={shymkent.pk}\">Shymkent</a>.*?</tr>", table, re.S
    )
    assert row and "no coordinates" in row.group(0)
    assert "Not on the map, for want of coordinates:" in page


@pytest.mark.django_db
def test_the_numbers_behind_the_map_are_in_a_table(page):
    table = page[page.index("The numbers behind the map") :]
    almaty = re.search(r">Almaty</a></th>\s*<td class=\"num\">(\d+)</td>\s*<td>(\w+)</td>", table)
    assert almaty.groups() == ("4", "yes")
    assert re.search(r"<th scope=\"row\">ALA</th>\s*<td>Almaty</td>\s*<td>Suspended", table)
    assert '<th scope="row">Rail 12</th>' in table
    assert '<th scope="row">PS9004</th>' in table


@pytest.mark.django_db
def test_the_map_is_drawn_in_the_readers_language(client, operation, carol, places):
    almaty, *_ = places
    City.objects.filter(pk=almaty.pk).update(name_native="Алмати")
    make_citizen(operation, almaty)
    client.force_login(carol)
    url = reverse("operations:dashboard", args=[operation.slug])
    svg = _svg(client.get(url, HTTP_ACCEPT_LANGUAGE="uk").content.decode())
    assert "Алмати 1" in svg
    assert "потрібен переїзд" in svg
