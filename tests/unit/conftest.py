"""Fixtures for unit tests: a small Libyan gazetteer and its parser."""

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture(scope="session")
def small_gazetteer():
    from geo.places.gazetteer import load_gazetteer

    return load_gazetteer(FIXTURES / "gazetteer_small.geojson")


@pytest.fixture(scope="session")
def small_parser(small_gazetteer):
    from geo.places.geoparse import Geoparser

    return Geoparser(small_gazetteer)
