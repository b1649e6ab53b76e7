"""Distances on the Earth for visit check-ins (pure, Odoo-free, no map service)."""

from math import asin, cos, radians, sin, sqrt

# mean Earth radius (IUGG), in metres
EARTH_RADIUS_M = 6371008.8


def valid_position(latitude, longitude):
    """True when the coordinates are on the Earth: latitude within [-90, 90],
    longitude within [-180, 180] (decimal degrees)."""
    return -90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0


def haversine_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres between two points in decimal degrees.

    The haversine form stays accurate for short distances (a rep at the gate of
    the customer's warehouse), where the spherical law of cosines rounds to 0.
    """
    phi1, phi2 = radians(lat1), radians(lat2)
    dphi = phi2 - phi1
    dlambda = radians(lon2 - lon1)
    h = sin(dphi / 2) ** 2 + cos(phi1) * cos(phi2) * sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * asin(min(1.0, sqrt(h)))


def distance_to_address(latitude, longitude, address_latitude, address_longitude):
    """Metres from a check-in position to the customer's address, or None when
    either is unknown. Odoo stores an address never geolocated as (0, 0): that
    point in the Gulf of Guinea is no customer's address."""
    if latitude is None or longitude is None:
        return None
    if not (address_latitude or address_longitude):
        return None
    return haversine_m(latitude, longitude, address_latitude, address_longitude)
