"""Customer segments: volume band and order-frequency class, Odoo-free."""

LARGE = "large"
MEDIUM = "medium"
SMALL = "small"

HEAVY = "heavy"
MEDIUM_FREQUENCY = "medium"
LIGHT = "light"


def volume_band(tonnes, large_tonnes, medium_tonnes):
    """The band of a customer shipping `tonnes` a year.

    At least `large_tonnes` is large, at least `medium_tonnes` medium, anything
    above zero small. No tonnes (none recorded, none estimated) gives None: an
    unknown customer is not a small one.
    """
    if not tonnes or tonnes <= 0:
        return None
    if tonnes >= large_tonnes:
        return LARGE
    if tonnes >= medium_tonnes:
        return MEDIUM
    return SMALL


def order_frequency(interval_days, heavy_days, medium_days):
    """The frequency class of a customer ordering every `interval_days` days.

    Up to `heavy_days` is heavy, up to `medium_days` medium, longer light. No
    interval (unknown, or zero) gives None.
    """
    if not interval_days or interval_days <= 0:
        return None
    if interval_days <= heavy_days:
        return HEAVY
    if interval_days <= medium_days:
        return MEDIUM_FREQUENCY
    return LIGHT


def valid_volume_bands(large_tonnes, medium_tonnes):
    """Band limits make sense when large > medium > 0."""
    return large_tonnes > medium_tonnes > 0


def valid_frequency_days(heavy_days, medium_days):
    """Frequency limits make sense when medium > heavy > 0."""
    return medium_days > heavy_days > 0
