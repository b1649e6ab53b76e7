import pytest

from conftest import load_logic_module

geo = load_logic_module("geo")

# the Bund and Lujiazui's Oriental Pearl Tower, Shanghai: about 1.4 km apart
BUND = (31.2400, 121.4900)
PEARL = (31.2397, 121.4998)


def test_same_point_is_zero():
    assert geo.haversine_m(*BUND, *BUND) == 0.0


def test_short_distance_across_the_river():
    assert geo.haversine_m(*BUND, *PEARL) == pytest.approx(933, abs=5)


def test_long_distance_shanghai_beijing():
    # Shanghai People's Square to Beijing Tiananmen: about 1,067 km
    distance = geo.haversine_m(31.2304, 121.4737, 39.9087, 116.3975)
    assert distance == pytest.approx(1_067_000, rel=0.01)


def test_symmetric():
    assert geo.haversine_m(*BUND, *PEARL) == pytest.approx(
        geo.haversine_m(*PEARL, *BUND)
    )


def test_a_few_metres_are_not_rounded_away():
    # 0.0001 degree of latitude is about 11 m
    assert geo.haversine_m(31.0, 121.0, 31.0001, 121.0) == pytest.approx(11.1, abs=0.1)


def test_antipodes_do_not_overflow():
    assert geo.haversine_m(0.0, 0.0, 0.0, 180.0) == pytest.approx(
        geo.EARTH_RADIUS_M * 3.14159265, rel=1e-6
    )


@pytest.mark.parametrize(
    ("latitude", "longitude", "valid"),
    [
        (31.2, 121.5, True),
        (90.0, 180.0, True),
        (-90.0, -180.0, True),
        (90.1, 0.0, False),
        (-91.0, 0.0, False),
        (0.0, 180.5, False),
        (0.0, -181.0, False),
    ],
)
def test_valid_position(latitude, longitude, valid):
    assert geo.valid_position(latitude, longitude) is valid


def test_distance_to_an_address_never_geolocated_is_unknown():
    assert geo.distance_to_address(*BUND, 0.0, 0.0) is None
    assert geo.distance_to_address(*BUND, False, False) is None


def test_distance_without_a_position_is_unknown():
    assert geo.distance_to_address(None, None, *PEARL) is None


def test_distance_to_address():
    assert geo.distance_to_address(*BUND, *PEARL) == pytest.approx(933, abs=5)
