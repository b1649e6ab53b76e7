import pytest

from conftest import load_logic_module

segments = load_logic_module("segments")


@pytest.mark.parametrize(
    ("tonnes", "band"),
    [
        (250000.0, "large"),
        (100000.0, "large"),
        (99999.9, "medium"),
        (10000.0, "medium"),
        (9999.0, "small"),
        (0.5, "small"),
        (0.0, None),
        (None, None),
        (-3.0, None),
    ],
)
def test_volume_band(tonnes, band):
    assert segments.volume_band(tonnes, 100000, 10000) == band


@pytest.mark.parametrize(
    ("days", "frequency"),
    [
        (1, "heavy"),
        (7, "heavy"),
        (8, "medium"),
        (30, "medium"),
        (31, "light"),
        (365, "light"),
        (0, None),
        (None, None),
        (-5, None),
    ],
)
def test_order_frequency(days, frequency):
    assert segments.order_frequency(days, 7, 30) == frequency


@pytest.mark.parametrize(
    ("large", "medium", "valid"),
    [(100000, 10000, True), (10000, 10000, False), (5, 10, False), (10, 0, False)],
)
def test_valid_volume_bands(large, medium, valid):
    assert segments.valid_volume_bands(large, medium) is valid


@pytest.mark.parametrize(
    ("heavy", "medium", "valid"),
    [(7, 30, True), (7, 7, False), (0, 30, False), (30, 7, False)],
)
def test_valid_frequency_days(heavy, medium, valid):
    assert segments.valid_frequency_days(heavy, medium) is valid
