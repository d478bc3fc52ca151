from __future__ import annotations

import pytest

from ankommen.matching.volunteers import (
    ALL_SLOTS,
    MatchingInputError,
    RequestNeed,
    VolunteerPool,
    VolunteerProfile,
    batch_greedy,
    batch_optimal,
    slot_pairs,
    slots_from,
    suggest,
)

KOELN = (50.94, 6.95)


def volunteer(volunteer_id: int, *, km_east: float = 0.0, **fields: object) -> VolunteerProfile:
    values: dict[str, object] = {
        "latitude": KOELN[0],
        "longitude": KOELN[1] + km_east / 70.0,
        "radius_km": 10.0,
        "languages": {"uk": "native"},
        "activities": frozenset({"homework_help"}),
        "availability": slots_from([(0, 1), (2, 1)]),
        "capacity": 1,
        "certificate_valid": True,
    }
    values.update(fields)
    return VolunteerProfile(id=volunteer_id, **values)  # type: ignore[arg-type]


def need(request_id: int = 1, **fields: object) -> RequestNeed:
    values: dict[str, object] = {
        "latitude": KOELN[0],
        "longitude": KOELN[1],
        "activity": "homework_help",
        "languages": ("uk",),
        "availability": slots_from([(0, 1)]),
    }
    values.update(fields)
    return RequestNeed(id=request_id, **values)  # type: ignore[arg-type]


def test_a_perfect_volunteer_scores_one_hundred_with_every_part_at_its_weight():
    [best] = suggest(VolunteerPool.build([volunteer(1)]), need())
    assert best.score == 100.0
    assert best.parts == {
        "language": 30.0,
        "distance": 20.0,
        "availability": 20.0,
        "activity": 15.0,
        "certificate": 5.0,
        "load": 10.0,
    }


def test_suggestions_rank_by_score_and_show_the_parts_that_differ():
    pool = VolunteerPool.build(
        [
            volunteer(1, languages={"uk": "A2"}),
            volunteer(2),
            volunteer(3, km_east=5.0),
            volunteer(4, activities=frozenset({"leisure"})),
        ]
    )
    ranked = suggest(pool, need())
    assert [s.volunteer_id for s in ranked] == [2, 3, 4, 1]
    assert ranked[1].parts["distance"] < 20.0
    assert ranked[2].parts["activity"] == 0.0
    assert ranked[3].parts["language"] == pytest.approx(30 * 0.35)


def test_minors_need_a_valid_certificate_and_unverified_or_full_volunteers_are_left_out():
    pool = VolunteerPool.build(
        [
            volunteer(1, certificate_valid=False),
            volunteer(2, verified=False),
            volunteer(3, load=1),
            volunteer(4),
        ]
    )
    assert [s.volunteer_id for s in suggest(pool, need(involves_minors=True))] == [4]
    assert [s.volunteer_id for s in suggest(pool, need())] == [4, 1]


def test_a_volunteer_outside_their_own_radius_is_not_suggested():
    pool = VolunteerPool.build([volunteer(1, km_east=15.0), volunteer(2, km_east=15.0, radius_km=20.0)])
    assert [s.volunteer_id for s in suggest(pool, need())] == [2]


def test_load_spreads_work_fairly():
    pool = VolunteerPool.build([volunteer(1, capacity=3, load=2), volunteer(2, capacity=3)])
    ranked = suggest(pool, need())
    assert [s.volunteer_id for s in ranked] == [2, 1]
    assert ranked[1].parts["load"] == pytest.approx(10 / 3, abs=0.05)


def test_batch_matches_more_requests_than_first_come_when_the_first_takes_the_only_fit():
    # Volunteer 1 is the best for request 1 and the only one within reach of request 2 (8 km west);
    # first come gives volunteer 1 to request 1 and leaves request 2 without anyone.
    pool = VolunteerPool.build([volunteer(1), volunteer(2, languages={"uk": "B1"}, km_east=3.0)])
    needs = [need(1), need(2, longitude=KOELN[1] - 8.0 / 70.0)]
    greedy = batch_greedy(pool, needs)
    optimal = batch_optimal(pool, needs)
    assert greedy.assignments == {1: 1}
    assert optimal.assignments == {1: 2, 2: 1}
    assert optimal.matched > greedy.matched


def test_batch_respects_capacity():
    pool = VolunteerPool.build([volunteer(1, capacity=2)])
    result = batch_optimal(pool, [need(1), need(2), need(3)])
    assert result.matched == 2
    assert set(result.assignments.values()) == {1}


def test_slots_round_trip_and_impossible_slots_are_refused():
    mask = slots_from([(0, 0), (6, 2)])
    assert slot_pairs(mask) == [(0, 0), (6, 2)]
    with pytest.raises(MatchingInputError):
        slots_from([(7, 0)])
    with pytest.raises(MatchingInputError):
        slot_pairs(ALL_SLOTS + 1)
    with pytest.raises(MatchingInputError):
        suggest(VolunteerPool.build([]), need(), limit=0)


def test_a_subset_pool_scores_like_the_full_one():
    import numpy as np

    pool = VolunteerPool.build([volunteer(1), volunteer(2, km_east=2.0), volunteer(3, km_east=4.0)])
    part = pool.subset(np.array([1, 2]))
    assert [s.volunteer_id for s in suggest(part, need())] == [2, 3]
    assert suggest(part, need())[0] == suggest(pool, need())[1]


def test_the_batch_never_matches_fewer_than_first_come_even_outside_its_candidate_lists():
    # With one candidate per request, request 1's only arc leads to volunteer 1, whom request 2 needs too;
    # the greedy pairs join the arcs, so the batch matches at least as many as greedy.
    pool = VolunteerPool.build([volunteer(1), volunteer(2, languages={"uk": "A1"}, km_east=3.0)])
    needs = [need(1), need(2)]
    greedy = batch_greedy(pool, needs)
    assert batch_optimal(pool, needs, per_request=1).matched == 1
    assert batch_optimal(pool, needs, per_request=1, also=greedy).matched == greedy.matched == 2


def test_an_updated_pool_patches_changed_volunteers_and_asks_for_a_rebuild_for_new_ones():
    pool = VolunteerPool.build([volunteer(1), volunteer(2)])
    patched = pool.updated([volunteer(1, load=1)])
    assert patched is not None
    assert [s.volunteer_id for s in suggest(patched, need())] == [2]
    assert [s.volunteer_id for s in suggest(pool, need())] == [1, 2]
    assert pool.updated([volunteer(3)]) is None
    assert pool.updated([volunteer(1, languages={"ti": "native"})]) is None
