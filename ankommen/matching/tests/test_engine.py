import math
import random

import pytest

from ankommen.matching import (
    EARTH_RADIUS_KM,
    Child,
    InputErrorCode,
    NearerReason,
    PlacementInputError,
    ReasonCode,
    SeatGroup,
    place,
)
from ankommen.matching.baselines import deferred_acceptance, greedy, max_placeable_bound, sibling_blind_bound
from ankommen.matching.geometry import haversine_km

# Köln; 0.009 degrees of latitude are about one kilometre.
LAT, LON = 50.94, 6.96
KM = 1 / 111.195


def child(child_id, *, north_km=0.0, grade=2, family=None, forms=(), max_km=None, fixed=None):
    return Child(
        child_id=child_id,
        family_id=family or f"family-{child_id}",
        grade=grade,
        lat=LAT + north_km * KM,
        lon=LON,
        school_forms=frozenset(forms),
        max_km=max_km,
        fixed_school_id=fixed,
    )


def seat(school_id, *, north_km=0.0, grade=2, seats=1, form="Grundschule"):
    return SeatGroup(school_id, form, grade, seats, LAT + north_km * KM, LON)


def school_of(result):
    return {placement.child_id: placement.school_id for placement in result.placements}


def test_earth_radius_is_the_mean_radius():
    assert EARTH_RADIUS_KM == 6371.0088
    assert haversine_km(50.0, 7.0, 51.0, 7.0) == pytest.approx(EARTH_RADIUS_KM * math.pi / 180, rel=1e-12)


def test_placing_more_children_beats_a_shorter_total_distance():
    # Nearest-first would give "near" to "both" and leave "short" without a school in its 3 km.
    children = [child("both", north_km=0.5), child("short", north_km=-1.0, max_km=3.0)]
    seats = [seat("near", north_km=0.0), seat("far", north_km=8.0)]
    result = place(children, seats)
    assert school_of(result) == {"both": "far", "short": "near"}
    assert result.summary.placed == 2


def test_keeping_same_stage_siblings_together_beats_distance():
    children = [child("younger", grade=1, family="f"), child("older", grade=3, family="f")]
    seats = [seat("near", grade=1, north_km=1.0), seat("near", grade=3, north_km=1.0, seats=0)]
    seats += [seat("both", grade=1, north_km=5.0), seat("both", grade=3, north_km=5.0)]
    result = place(children, seats)
    assert school_of(result) == {"younger": "both", "older": "both"}
    assert result.summary.families_split == 0
    blind = sibling_blind_bound(children, seats)
    assert blind.summary is not None
    assert blind.summary.families_split == 1


def test_siblings_make_room_by_moving_a_child_without_siblings():
    # "both" has one grade-3 seat, taken in the blind optimum by a single child who can go elsewhere.
    children = [
        child("younger", grade=1, family="f", north_km=0.0),
        child("older", grade=3, family="f", north_km=0.0),
        child("single", grade=3, north_km=1.0),
    ]
    seats = [
        seat("both", grade=1, north_km=1.0),
        seat("both", grade=3, north_km=1.0),
        seat("other", grade=3, north_km=0.2),
        seat("spare", grade=3, north_km=2.0),
    ]
    result = place(children, seats)
    assert school_of(result)["younger"] == school_of(result)["older"] == "both"
    assert school_of(result)["single"] in {"other", "spare"}
    assert result.summary.placed == 3


def test_siblings_of_different_stages_do_not_count_as_split():
    children = [child("primary", grade=2, family="f"), child("secondary", grade=7, family="f")]
    seats = [seat("grundschule", grade=2), seat("gymnasium", grade=7, form="Gymnasium", north_km=2.0)]
    result = place(children, seats)
    assert school_of(result) == {"primary": "grundschule", "secondary": "gymnasium"}
    assert result.summary.families_split == 0


def test_primary_children_go_at_most_ten_km_and_older_ones_twenty_five():
    children = [child("primary", grade=4), child("secondary", grade=5)]
    seats = [seat("p", grade=4, north_km=10.5), seat("s", grade=5, north_km=24.5, form="Realschule")]
    result = place(children, seats)
    assert school_of(result) == {"primary": None, "secondary": "s"}
    assert result.by_child()["primary"].reason == ReasonCode.NO_ACCEPTABLE_SCHOOL_WITHIN_MAX_KM
    assert result.by_child()["primary"].max_km == 10.0


def test_a_childs_own_maximum_distance_overrides_the_default():
    children = [child("farther", grade=2, max_km=12.0), child("nearer", grade=7, max_km=3.0, north_km=0.0)]
    seats = [seat("p", grade=2, north_km=11.0), seat("s", grade=7, north_km=4.0, form="Gymnasium")]
    assert school_of(place(children, seats)) == {"farther": "p", "nearer": None}


def test_children_only_go_to_their_acceptable_school_forms():
    children = [child("gymnasium", grade=7, forms={"Gymnasium"}), child("any", grade=7, north_km=0.1)]
    seats = [seat("real", grade=7, form="Realschule"), seat("gym", grade=7, form="Gymnasium", north_km=6.0)]
    assert school_of(place(children, seats)) == {"gymnasium": "gym", "any": "real"}


def test_confirmed_placements_stay_and_use_their_seat():
    children = [child("confirmed", fixed="far", north_km=0.0), child("new", north_km=0.0)]
    seats = [seat("near", north_km=0.5, seats=0), seat("far", north_km=3.0, seats=1), seat("spare", north_km=6.0)]
    result = place(children, seats)
    assert school_of(result) == {"confirmed": "far", "new": "spare"}
    assert result.by_child()["confirmed"].reason == ReasonCode.CONFIRMED
    assert result.by_child()["confirmed"].distance_km == pytest.approx(3.0, abs=0.01)


def test_an_unplaced_child_is_told_that_every_school_in_reach_is_full():
    children = [child("first", north_km=0.0), child("second", north_km=0.1)]
    result = place(children, [seat("only", north_km=1.0, seats=1)])
    unplaced = [placement for placement in result.placements if not placement.placed]
    assert len(unplaced) == 1
    assert unplaced[0].reason == ReasonCode.ALL_WITHIN_MAX_KM_FULL
    assert unplaced[0].reachable_schools == 1
    assert unplaced[0].school_id is None
    assert unplaced[0].reason_text() == "all_within_max_km_full schools=1;max_km=10"


def test_a_placed_child_is_told_why_not_the_nearer_schools():
    children = [child("taken", north_km=0.5, forms={"Grundschule"}), child("me", north_km=0.0, forms={"Grundschule"})]
    seats = [
        seat("other-form", grade=2, north_km=0.2, form="Förderschule"),
        seat("other-grade", grade=3, north_km=-0.3),
        seat("full", grade=2, north_km=0.5),
        seat("mine", grade=2, north_km=-2.0),
    ]
    result = place(children, seats).by_child()
    assert result["taken"].school_id == "full"
    mine = result["me"]
    assert mine.school_id == "mine"
    assert mine.reason == ReasonCode.NEARER_UNAVAILABLE
    reasons = {nearer.school_id: nearer.reason for nearer in mine.nearer_schools}
    assert reasons == {
        "other-form": NearerReason.OTHER_SCHOOL_FORM,
        "other-grade": NearerReason.NO_SEATS_FOR_GRADE,
        "full": NearerReason.FULL,
    }
    assert [nearer.school_id for nearer in mine.nearer_schools] == ["other-form", "other-grade", "full"]
    assert mine.reason_text().startswith("nearer_unavailable other-form:other_school_form:0.20km;")


def test_the_nearest_school_needs_no_explanation():
    result = place([child("me")], [seat("a", north_km=1.0), seat("b", north_km=2.0)]).by_child()
    assert result["me"].reason == ReasonCode.NEAREST
    assert result["me"].nearer_schools == ()


def test_bad_input_names_every_bad_row_and_places_nobody():
    children = [
        child("a", grade=14),
        child("a", forms={"Waldorfschule"}),
        Child("c", "f", 3, 40.0, 6.9),
    ]
    seats = [seat("s", seats=-1), SeatGroup("t", "Privatschule", 2, 1, LAT, 20.0)]
    with pytest.raises(PlacementInputError) as raised:
        place(children, seats)
    found = {(error.source, error.row, error.code) for error in raised.value.errors}
    assert found == {
        ("children", 1, InputErrorCode.UNKNOWN_GRADE),
        ("children", 2, InputErrorCode.UNKNOWN_SCHOOL_FORM),
        ("children", 2, InputErrorCode.DUPLICATE_CHILD_ID),
        ("children", 3, InputErrorCode.OUTSIDE_GERMANY),
        ("seats", 1, InputErrorCode.NEGATIVE_SEATS),
        ("seats", 2, InputErrorCode.UNKNOWN_SCHOOL_FORM),
        ("seats", 2, InputErrorCode.OUTSIDE_GERMANY),
    }
    assert "children row 1, grade: unknown_grade" in str(raised.value)


def test_progress_is_reported_from_start_to_finish():
    reported = []
    place([child("me")], [seat("a")], progress=lambda fraction, step: reported.append((fraction, step)))
    fractions = [fraction for fraction, _ in reported]
    assert fractions[0] == 0.0
    assert fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    assert reported[-1][1] == "done"


def _random_instance(rng: random.Random, children_count: int):
    schools = [(f"S{number}", rng.uniform(-8, 8), rng.uniform(-8, 8)) for number in range(rng.randint(2, 8))]
    seats = [
        SeatGroup(
            school_id,
            rng.choice(["Grundschule", "Gesamtschule"]),
            grade,
            rng.randint(0, 2),
            LAT + y * KM,
            LON + x * KM / 0.63,
        )
        for school_id, x, y in schools
        for grade in (1, 2, 5, 6)
        if rng.random() < 0.8
    ]
    children = [
        Child(
            f"C{number}",
            f"F{rng.randint(0, children_count // 2)}",
            rng.choice((1, 2, 5, 6)),
            LAT + rng.uniform(-9, 9) * KM,
            LON + rng.uniform(-9, 9) * KM / 0.63,
            frozenset(rng.sample(["Grundschule", "Gesamtschule"], rng.randint(0, 1))),
            rng.choice([None, None, 4.0, 12.0]),
        )
        for number in range(children_count)
    ]
    return children, seats


def test_engine_places_as_many_children_as_the_max_flow_bound_on_random_instances():
    rng = random.Random(20240201)
    for _ in range(50):
        children, seats = _random_instance(rng, rng.randint(1, 25))
        result = place(children, seats, k=3)
        bound = max_placeable_bound(children, seats)
        assert result.summary.placed == bound.placed
        blind = sibling_blind_bound(children, seats)
        assert blind.summary is not None
        assert result.summary.families_split <= blind.summary.families_split
        assert greedy(children, seats).summary.placed <= bound.placed
        assert deferred_acceptance(children, seats).summary.placed <= bound.placed


def test_the_same_input_gives_the_same_placements():
    rng = random.Random(7)
    children, seats = _random_instance(rng, 40)
    first = place(children, seats)
    second = place(list(children), list(seats))
    assert first.placements == second.placements


def test_greedy_serves_children_in_registration_order():
    children = [child("first", north_km=1.0), child("second", north_km=0.0)]
    seats = [seat("near", north_km=0.0), seat("far", north_km=5.0)]
    assert greedy(children, seats).school.tolist() == [0, 1]


def test_deferred_acceptance_prefers_the_nearer_child_at_a_full_school():
    children = [child("far-away", north_km=3.0), child("close", north_km=0.0)]
    seats = [seat("near", north_km=0.0)]
    assert deferred_acceptance(children, seats).school.tolist() == [-1, 0]


def test_a_school_that_declined_the_child_is_left_out_and_named_as_the_reason():
    children = [Child("declined", "f1", 2, LAT, LON, excluded_schools=frozenset({"near"})), child("other")]
    seats = [seat("near", north_km=0.5, seats=2), seat("far", north_km=3.0)]
    result = place(children, seats).by_child()
    assert result["declined"].school_id == "far"
    assert result["other"].school_id == "near"
    assert result["declined"].reason == ReasonCode.NEARER_UNAVAILABLE
    assert [(n.school_id, n.reason) for n in result["declined"].nearer_schools] == [
        ("near", NearerReason.DECLINED_BEFORE)
    ]


def test_a_child_every_school_in_reach_declined_waits_with_that_reason():
    declined = Child("c", "f", 2, LAT, LON, excluded_schools=frozenset({"only"}))
    result = place([declined], [seat("only", north_km=1.0, seats=3)]).by_child()["c"]
    assert result.school_id is None
    assert result.reason == ReasonCode.DECLINED_BY_SCHOOL
    # Without the exclusion the same child is placed there.
    assert place([Child("c", "f", 2, LAT, LON)], [seat("only", north_km=1.0, seats=3)]).summary.placed == 1


def test_baselines_and_bounds_honour_the_exclusions():
    children = [Child("c", "f", 2, LAT, LON, excluded_schools=frozenset({"near"}))]
    seats = [seat("near", north_km=0.5), seat("far", north_km=2.0)]
    assert greedy(children, seats).school.tolist() == [1]
    assert deferred_acceptance(children, seats).school.tolist() == [1]
    only_near = [seat("near", north_km=0.5)]
    assert max_placeable_bound(children, only_near).placed == 0
    blind = sibling_blind_bound(children, only_near)
    assert blind.summary is not None
    assert blind.summary.placed == 0


def test_siblings_are_not_united_at_a_school_that_declined_one_of_them():
    younger = Child("younger", "f", 1, LAT, LON)
    older = Child("older", "f", 3, LAT, LON, excluded_schools=frozenset({"both"}))
    seats = [seat("both", grade=1, north_km=1.0), seat("both", grade=3, north_km=1.0)]
    seats += [seat("other", grade=1, north_km=2.0), seat("other", grade=3, north_km=2.0)]
    result = place([younger, older], seats)
    assert school_of(result) == {"younger": "other", "older": "other"}
    assert result.summary.families_split == 0


def test_seat_prices_say_where_one_more_seat_saves_most_distance():
    # "near" has one seat: the second child travels 4 km further to "far"; one more seat at "near" saves that.
    children = [child("a", north_km=0.0), child("b", north_km=0.1)]
    seats = [seat("near", north_km=1.0, seats=1), seat("far", north_km=5.0, seats=5), seat("spare", north_km=9.0)]
    prices = place(children, seats).seat_prices
    assert [(price.school_id, price.grade, price.places_waiting_child) for price in prices] == [("near", 2, False)]
    assert prices[0].km_saved == pytest.approx(4.0, abs=0.01)


def test_seat_prices_put_seats_that_place_a_waiting_child_first():
    children = [child("a", north_km=0.0), child("b", north_km=0.0, grade=3), child("c", north_km=0.0, grade=3)]
    seats = [seat("primary", north_km=1.0, seats=1), seat("primary", grade=3, north_km=1.0, seats=1)]
    seats += [seat("other", north_km=3.0, seats=1)]
    result = place(children, seats)
    assert result.summary.placed == 3 - 1
    first = result.seat_prices[0]
    assert (first.school_id, first.grade, first.places_waiting_child, first.km_saved) == ("primary", 3, True, 0.0)
    # Grade 2 has a free seat at "other": one more there helps nobody, so it has no price.
    assert all(price.school_id != "other" for price in result.seat_prices)
