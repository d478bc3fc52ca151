"""The bridge between the work module's records and the plain matching core in `ankommen.matching.jobs`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ankommen.matching import jobs
from ankommen.people.choices import language_name
from ankommen.work.models import CandidateProfile, CandidateStatus, Offer, OfferStatus, WorkPermitCategory

MAX_WISHES = 5
RANK_LIMIT = 20


def permit_rules() -> dict[str, jobs.PermitRule]:
    return {
        category.code: jobs.PermitRule(
            category.code, frozenset(category.allowed_kinds), frozenset(category.approval_kinds)
        )
        for category in WorkPermitCategory.objects.all()
    }


def candidate_of(profile: CandidateProfile) -> jobs.Candidate:
    return jobs.Candidate(
        id=profile.pk,
        wishes=tuple(jobs.Wish(o.uri, o.isco_code) for o in profile.occupation_wishes.all()),
        german_level=jobs.level_index(profile.german_level),
        languages=frozenset(profile.languages) | frozenset(profile.person.languages),
        latitude=profile.latitude,
        longitude=profile.longitude,
        radius_km=float(profile.mobility_radius_km),
        permit=profile.permit.code,
        age=jobs.age_on(profile.person.birth_date, timezone.localdate()),
        available_from=profile.available_from,
        driving_licence=profile.driving_licence,
    )


def offer_of(offer: Offer) -> jobs.Offer:
    return jobs.Offer(
        id=offer.pk,
        kind=offer.kind,
        occupation_uri=offer.occupation.uri,
        isco_code=offer.occupation.isco_code,
        german_level=jobs.level_index(offer.german_level),
        latitude=offer.latitude,
        longitude=offer.longitude,
        start_date=offer.start_date,
        minimum_age=offer.minimum_age,
        useful_languages=frozenset(offer.useful_languages),
        driving_licence_needed=offer.driving_licence_needed,
    )


def _profiles(centre: Any) -> Any:
    return (
        CandidateProfile.objects.for_centre(centre)
        .filter(status=CandidateStatus.ACTIVE)
        .select_related("person", "permit")
        .prefetch_related("occupation_wishes")
    )


def assess_pair(*, profile: CandidateProfile, offer: Offer) -> jobs.Assessment:
    return jobs.assess(candidate_of(profile), offer_of(offer), permit_rules())


@dataclass(frozen=True)
class RankedProfile:
    profile: CandidateProfile
    assessment: jobs.Assessment


@dataclass(frozen=True)
class RankedOffer:
    offer: Offer
    assessment: jobs.Assessment


def candidates_for_offer(*, offer: Offer, limit: int = RANK_LIMIT) -> list[RankedProfile]:
    """The centre's looking candidates for the offer, best first; those a hard rule excludes are left out."""
    profiles = {profile.pk: profile for profile in _profiles(offer.centre)}
    pool = jobs.CandidatePool([candidate_of(p) for p in profiles.values()], permit_rules())
    ranked = jobs.rank_candidates(pool, offer_of(offer), limit=limit)
    return [RankedProfile(profiles[a.candidate_id], a) for a in ranked]


def offers_for_candidate(*, profile: CandidateProfile, limit: int = RANK_LIMIT) -> list[RankedOffer]:
    offers = {
        offer.pk: offer
        for offer in Offer.objects.for_centre(profile.centre)
        .filter(status=OfferStatus.PUBLISHED, start_date__gte=timezone.localdate())
        .select_related("occupation", "employer")
    }
    pool = jobs.OfferPool([offer_of(o) for o in offers.values()], permit_rules())
    return [RankedOffer(offers[a.offer_id], a) for a in jobs.rank_offers(pool, candidate_of(profile), limit=limit)]


def reasons_as_data(assessment: jobs.Assessment) -> list[dict[str, Any]]:
    return [{**asdict(reason), "points": round(reason.points, 1)} for reason in assessment.reasons]


def reason_text(reason: dict[str, Any]) -> str:
    """One reason of a match in the reader's language."""
    code, detail = reason["code"], reason.get("detail", {})
    texts = {
        "same_occupation": _("the same occupation"),
        "same_unit_group": _("an occupation of the same ISCO unit group"),
        "same_minor_group": _("an occupation of the same ISCO minor group"),
        "same_sub_major_group": _("an occupation of the same ISCO sub-major group"),
        "same_major_group": _("an occupation of the same ISCO major group"),
        "other_field": _("an occupation in another field"),
        "no_language_asked": _("no particular language asked for"),
        "driving_licence_missing": _("driving licence needed but missing"),
        "driving_licence_fine": _("driving licence: fits"),
        "age_unknown": _("age unknown: check the minimum age"),
    }
    if code in texts:
        return texts[code]
    if code == "german_meets":
        return _("German %(has)s, %(needs)s needed") % detail
    if code == "german_below":
        return _("German %(has)s, below the %(needs)s needed") % detail
    if code == "within_radius":
        return _("%(km)s km away, within %(radius_km)s km") % {**detail, "radius_km": int(detail["radius_km"])}
    if code == "beyond_radius":
        return _("%(km)s km away, beyond the %(radius_km)s km the person travels") % {
            **detail,
            "radius_km": int(detail["radius_km"]),
        }
    if code == "available_in_time":
        return _("available by the start date")
    if code == "available_later":
        days = detail["days_late"]
        return ngettext("available %(days)d day after the start", "available %(days)d days after the start", days) % {
            "days": days
        }
    if code == "useful_language":
        return _("speaks %(languages)s") % {"languages": ", ".join(language_name(c) for c in detail["languages"])}
    if code == "no_useful_language":
        return _("speaks none of the useful languages")
    if code == "permit_needs_approval":
        return _("the work permit needs approval for this offer")
    if code == "permit_excludes":
        return _("the work permit does not allow this kind of offer")
    if code == "too_young":
        return _("younger than the minimum age of %(minimum_age)s") % detail
    return code


def explained(assessment: jobs.Assessment) -> list[tuple[str, float]]:
    return [(reason_text(reason), round(reason["points"], 1)) for reason in reasons_as_data(assessment)]


def exclusion_message(assessment: jobs.Assessment) -> str:
    return _("The match is excluded: %(reason)s.") % {"reason": reason_text(reasons_as_data(assessment)[0])}
