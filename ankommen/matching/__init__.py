"""Placing newly arrived children into school seats: plain Python and numpy with OR-Tools, no Django.

`place(children, seats)` maximises the children placed, then keeps same-stage siblings together, then
minimises the total distance; see ankommen/matching/engine.py. `python -m ankommen.matching.placement`
runs it on CSV files.
"""

from ankommen.matching.engine import PlacementResult, Progress, SeatPrice, place
from ankommen.matching.explain import NearerReason, NearerSchool, Placement, ReasonCode
from ankommen.matching.metrics import Summary
from ankommen.matching.model import (
    EARTH_RADIUS_KM,
    SCHOOL_FORMS,
    Child,
    InputErrorCode,
    PlacementInputError,
    RowError,
    SeatGroup,
    Stage,
    default_max_km,
    stage_of,
    validate,
)

__all__ = [
    "EARTH_RADIUS_KM",
    "SCHOOL_FORMS",
    "Child",
    "InputErrorCode",
    "NearerReason",
    "NearerSchool",
    "Placement",
    "PlacementInputError",
    "PlacementResult",
    "Progress",
    "ReasonCode",
    "RowError",
    "SeatGroup",
    "SeatPrice",
    "Stage",
    "Summary",
    "default_max_km",
    "place",
    "stage_of",
    "validate",
]
