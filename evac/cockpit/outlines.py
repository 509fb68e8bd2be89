"""Country outlines for the dashboard's map, read from a file bundled with Evac.

data/countries.geojson is Natural Earth's 1:110m "Admin 0 – Countries" (public domain,
naturalearthdata.com), as geopandas 0.14.4 shipped it (datasets/naturalearth_lowres),
keyed by ISO 3166-1 alpha-2 code, its coordinates rounded to 0.01°. Coarse on purpose: a
few hundred kilobytes for the whole world, read once per process, and no tile server or
network at all, so the map works offline. Three territories without an ISO code (Northern
Cyprus, Somaliland, Kosovo) are left out.
"""

import json
from functools import cache
from pathlib import Path

OUTLINES = Path(__file__).parent / "data" / "countries.geojson"

Ring = list[tuple[float, float]]  # (longitude, latitude) pairs, as GeoJSON orders them


@cache
def _all_outlines() -> dict[str, list[Ring]]:
    with OUTLINES.open(encoding="utf-8") as file:
        collection = json.load(file)
    found: dict[str, list[Ring]] = {}
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        found[feature["properties"]["country"]] = [
            [(lon, lat) for lon, lat in ring] for polygon in polygons for ring in polygon
        ]
    return found


def country_outline(code: str) -> list[Ring]:
    """The rings (outer edges and holes) of a country's outline; empty if not known."""
    return _all_outlines().get(str(code).upper(), [])
