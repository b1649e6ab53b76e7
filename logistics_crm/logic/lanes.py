"""Lanes typed as free text, e.g. on an opportunity ("Shanghai - Hamburg,
Ningbo - Rotterdam"), read as (origin, destination) pairs."""

import re

# between two lanes: commas, semicolons, new lines (also full width)
LANE_SEPARATOR = re.compile(r"[,;\n\uff0c\uff1b]+")
# between two places of a lane: an arrow, a dash or "to" between spaces, the
# full-width and Chinese forms ("至", "到"); a hyphen inside a name
# ("Saint-Nazaire") is not one
PLACE_SEPARATOR = re.compile(
    r"\s*(?:\u2192|->|=>|\u2014|\u2013|\uff0d|~|\uff5e|\u81f3|\u5230)\s*"
    r"|\s+-\s+|\s+to\s+",
    re.IGNORECASE,
)


def _clean(place):
    return " ".join(place.split())


def lane_key(origin, destination):
    """What makes two lanes the same: the places, whatever their case and
    spacing."""
    return (_clean(origin or "").casefold(), _clean(destination or "").casefold())


def parse_lanes(text):
    """The lanes of `text`, in order and each once.

    A lane through a port of call ("Penang - Singapore - Amsterdam") runs from
    its first place to its last; "Shanghai-Hamburg" without spaces is read as
    one lane too. A piece naming a single place is no lane and is left out.

    :return: list of (origin, destination)
    """
    lanes = []
    seen = set()
    for piece in LANE_SEPARATOR.split(text or ""):
        places = [_clean(place) for place in PLACE_SEPARATOR.split(piece)]
        places = [place for place in places if place]
        if len(places) == 1 and places[0].count("-") == 1:
            places = [_clean(place) for place in places[0].split("-")]
            places = [place for place in places if place]
        if len(places) < 2:
            continue
        lane = (places[0], places[-1])
        if lane_key(*lane) not in seen:
            seen.add(lane_key(*lane))
            lanes.append(lane)
    return lanes
