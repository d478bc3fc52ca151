import datetime
import random
from typing import Any

import pytest

from ankommen.matching.jobs import (
    Candidate,
    CandidatePool,
    Offer,
    OfferPool,
    PermitRule,
    Wish,
    assess,
    propose_all,
    propose_all_naive,
    rank_candidates,
    rank_candidates_naive,
    rank_offers,
)

KINDS = ("ausbildung", "job", "internship", "eq")
PERMITS = {
    "any_work": PermitRule("any_work", frozenset(KINDS)),
    "agency_approval": PermitRule("agency_approval", frozenset(), frozenset(KINDS)),
    "training_only": PermitRule("training_only", frozenset({"ausbildung", "eq"}), frozenset({"job"})),
    "no_work_yet": PermitRule("no_work_yet", frozenset()),
}
START = datetime.date(2026, 9, 1)
COLOGNE = (50.94, 6.96)
BONN = (50.73, 7.10)  # about 25 km from Cologne


def candidate(**fields) -> Candidate:
    values: dict[str, Any] = {
        "id": 1,
        "wishes": (Wish("esco:cook", "5120"),),
        "german_level": 3,
        "languages": frozenset({"ar"}),
        "latitude": COLOGNE[0],
        "longitude": COLOGNE[1],
        "radius_km": 30.0,
        "permit": "any_work",
        "age": 22,
        "available_from": datetime.date(2026, 8, 1),
        "driving_licence": False,
    }
    values.update(fields)
    return Candidate(**values)


def offer(**fields) -> Offer:
    values: dict[str, Any] = {
        "id": 10,
        "kind": "ausbildung",
        "occupation_uri": "esco:cook",
        "isco_code": "5120",
        "german_level": 3,
        "latitude": COLOGNE[0],
        "longitude": COLOGNE[1],
        "start_date": START,
        "minimum_age": 16,
    }
    values.update(fields)
    return Offer(**values)


def reason_codes(assessment) -> list[str]:
    return [reason.code for reason in assessment.reasons]


@pytest.mark.parametrize(
    ("uri", "isco", "expected"),
    [
        ("esco:cook", "5120", "same_occupation"),
        ("esco:kitchen-chef", "5120", "same_unit_group"),
        ("esco:waiter", "5131", "same_sub_major_group"),
        ("esco:hairdresser", "5141", "same_sub_major_group"),
        ("esco:shop", "5223", "same_major_group"),
        ("esco:nurse", "2221", "other_field"),
    ],
)
def test_occupation_similarity_follows_the_isco_hierarchy(uri, isco, expected):
    result = assess(candidate(wishes=(Wish(uri, isco),)), offer(), PERMITS)
    assert result.reasons[0].code == expected


def test_same_minor_group_scores_between_unit_and_sub_major_group():
    unit = assess(candidate(wishes=(Wish("x", "5120"),)), offer(occupation_uri="y"), PERMITS).score
    minor = assess(candidate(wishes=(Wish("x", "5123"),)), offer(occupation_uri="y", isco_code="5129"), PERMITS)
    assert minor.reasons[0].code == "same_minor_group"
    sub_major = assess(candidate(wishes=(Wish("x", "5131"),)), offer(occupation_uri="y"), PERMITS).score
    assert unit > minor.score > sub_major


def test_a_permit_that_forbids_the_kind_of_offer_excludes():
    result = assess(candidate(permit="no_work_yet"), offer(), PERMITS)
    assert result.excluded_by == "permit"
    assert result.score == 0
    job = assess(candidate(permit="training_only"), offer(kind="internship"), PERMITS)
    assert job.excluded_by == "permit"


def test_a_permit_needing_approval_ranks_lower_but_stays():
    free = assess(candidate(), offer(), PERMITS)
    approval = assess(candidate(permit="agency_approval"), offer(), PERMITS)
    assert not approval.is_excluded
    assert "permit_needs_approval" in reason_codes(approval)
    assert approval.score == pytest.approx(free.score - 10)


def test_under_the_minimum_age_excludes_and_unknown_age_does_not():
    assert assess(candidate(age=15), offer(minimum_age=16), PERMITS).excluded_by == "age"
    unknown = assess(candidate(age=None), offer(minimum_age=18), PERMITS)
    assert not unknown.is_excluded
    assert "age_unknown" in reason_codes(unknown)


def test_german_gap_distance_and_start_lower_the_score_with_their_reasons():
    perfect = assess(candidate(), offer(), PERMITS)
    assert perfect.score == pytest.approx(100)
    below = assess(candidate(german_level=2), offer(), PERMITS)
    assert below.reasons[1].code == "german_below"
    assert below.reasons[1].detail == {"has": "A2", "needs": "B1", "gap": -1}
    far = assess(candidate(radius_km=10), offer(latitude=BONN[0], longitude=BONN[1]), PERMITS)
    assert far.reasons[2].code == "beyond_radius"
    assert 20 < far.reasons[2].detail["km"] < 30
    late = assess(candidate(available_from=START + datetime.timedelta(days=45)), offer(), PERMITS)
    assert late.reasons[3].code == "available_later"
    assert late.reasons[3].points == pytest.approx(5)
    assert perfect.score > below.score
    assert perfect.score > far.score
    assert perfect.score > late.score


def test_missing_driving_licence_and_useful_language_cost_points():
    needs = offer(driving_licence_needed=True, useful_languages=frozenset({"uk"}))
    result = assess(candidate(), needs, PERMITS)
    assert {"driving_licence_missing", "no_useful_language"} <= set(reason_codes(result))
    assert result.score == pytest.approx(90)


def _random_world(seed: int, candidates: int, offers: int):
    rng = random.Random(seed)
    codes = ["5120", "5131", "5141", "2221", "7126", "7411", "9112", "8322", "0110"]
    uris = [f"esco:{index}" for index in range(30)]
    occupation_of = {uri: rng.choice(codes) for uri in uris}
    people = [
        Candidate(
            id=index,
            wishes=tuple(Wish(uri, occupation_of[uri]) for uri in rng.sample(uris, rng.randint(0, 3))),
            german_level=rng.randint(0, 6),
            languages=frozenset(rng.sample(["ar", "uk", "tr", "fa", "ru"], rng.randint(0, 2))),
            latitude=50.5 + rng.random(),
            longitude=6.5 + rng.random(),
            radius_km=rng.choice([5.0, 15.0, 30.0, 60.0]),
            permit=rng.choice([*PERMITS, "unknown"]),
            age=rng.choice([None, *range(15, 60)]),
            available_from=START + datetime.timedelta(days=rng.randint(-60, 120)),
            driving_licence=rng.random() < 0.3,
        )
        for index in range(candidates)
    ]
    jobs = [
        Offer(
            id=1000 + index,
            kind=rng.choice(KINDS),
            occupation_uri=(uri := rng.choice(uris)),
            isco_code=occupation_of[uri],
            german_level=rng.randint(0, 5),
            latitude=50.5 + rng.random(),
            longitude=6.5 + rng.random(),
            start_date=START + datetime.timedelta(days=rng.randint(-30, 90)),
            minimum_age=rng.choice([15, 16, 18]),
            useful_languages=frozenset(rng.sample(["ar", "uk", "tr"], rng.randint(0, 1))),
            driving_licence_needed=rng.random() < 0.2,
        )
        for index in range(offers)
    ]
    return people, jobs


def test_ranking_many_candidates_at_once_agrees_with_one_by_one():
    people, jobs = _random_world(7, 400, 15)
    pool = CandidatePool(people, PERMITS)
    for job in jobs:
        fast = rank_candidates(pool, job, limit=25)
        slow = rank_candidates_naive(people, job, PERMITS, limit=25)
        assert [a.score for a in fast] == pytest.approx([a.score for a in slow])
        assert {a.candidate_id for a in fast if a.score > slow[-1].score + 1e-6} <= {a.candidate_id for a in slow}
        assert all(not a.is_excluded for a in fast)


def test_ranking_offers_for_a_candidate_agrees_with_one_by_one():
    people, jobs = _random_world(11, 40, 300)
    pool = OfferPool(jobs, PERMITS)
    for person in people:
        fast = rank_offers(pool, person, limit=10)
        slow = sorted(
            (a for a in (assess(person, job, PERMITS) for job in jobs) if not a.is_excluded), key=lambda a: -a.score
        )[:10]
        assert [a.score for a in fast] == pytest.approx([a.score for a in slow])


def test_propose_all_agrees_with_the_naive_scan():
    people, jobs = _random_world(3, 300, 40)
    fast = propose_all(CandidatePool(people, PERMITS), jobs, per_offer=4)
    slow = propose_all_naive(people, jobs, PERMITS, per_offer=4)
    assert fast.keys() == slow.keys()
    for offer_id in slow:
        assert [score for _id, score in fast[offer_id]] == pytest.approx([score for _id, score in slow[offer_id]])
    assert any(fast.values())


def test_propose_all_needs_an_occupational_link():
    pool = CandidatePool([candidate(wishes=(Wish("esco:nurse", "2221"),))], PERMITS)
    assert propose_all(pool, [offer()]) == {10: []}
    assert rank_candidates(pool, offer())[0].reasons[0].code == "other_field"
