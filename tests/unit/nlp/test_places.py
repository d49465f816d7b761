from __future__ import annotations

import pytest

from workers.nlp.places import countries, normalize, resolve_place


@pytest.mark.parametrize(
    ("name", "iso3", "kind"),
    [
        ("Russia", "RUS", "country"),
        ("Russian Federation", "RUS", "country"),
        ("Iran", "IRN", "country"),
        ("South Korea", "KOR", "country"),
        ("North Korea", "PRK", "country"),
        ("Syria", "SYR", "country"),
        ("Britain", "GBR", "country"),
        ("the US", "USA", "country"),
        ("U.S.", "USA", "country"),
        ("Ivory Coast", "CIV", "country"),
        ("Georgia", "GEO", "country"),
        ("Kosovo", "XKX", "country"),
        ("Gaza Strip", "PSE", "region"),
        ("Crimea", "UKR", "region"),
        ("Moscow", "RUS", "city"),
        ("Kiev", "UKR", "city"),
        ("Paris", "FRA", "city"),
        ("Washington", "USA", "city"),
        ("Reykjavik", "ISL", "city"),
        ("Damascus", "SYR", "city"),
    ],
)
def test_known_places_resolve_to_their_country(name: str, iso3: str, kind: str) -> None:
    place = resolve_place(name)
    assert place is not None
    assert (place.country, place.kind) == (iso3, kind)


def test_unknown_name_is_none() -> None:
    assert resolve_place("Blorptown Qux") is None
    assert resolve_place("") is None


def test_country_coordinates_are_inside_a_plausible_box() -> None:
    russia = resolve_place("Russia")
    fiji = resolve_place("Fiji")
    assert russia is not None and 45 < russia.lat < 65 and 30 < russia.lon < 100
    # Fiji straddles the antimeridian: a naive mean of longitudes lands near 0.
    assert fiji is not None and abs(fiji.lon) > 170


def test_capital_beats_a_larger_namesake() -> None:
    london = resolve_place("London")
    assert london is not None and london.country == "GBR"


def test_country_records_carry_demonyms_and_plurals() -> None:
    russia = countries()["RUS"]
    assert "Russian" in russia.adjectives and "Russians" in russia.people
    assert "Emiratis" in countries()["ARE"].people
    assert countries()["RUS"].name == "Russia"


def test_normalize_drops_dots_case_and_article() -> None:
    assert normalize("the U.S.") == normalize("US") == "us"
