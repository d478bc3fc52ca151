"""Objects of the work module for tests: built through the services where the services add something."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from ankommen.accounts.models import Membership, Role, User
from ankommen.accounts.tests.factories import UserFactory
from ankommen.people.models import Consent, LegalBasis, Person, Purpose
from ankommen.people.search import search_text_for
from ankommen.regions.models import Centre, Occupation, Postcode
from ankommen.work import services
from ankommen.work.models import (
    Application,
    CandidateProfile,
    Employer,
    EmployerContact,
    EmployerStatus,
    Offer,
    OfferKind,
    WorkPermitCategory,
)
from ankommen.work.permits import permit_categories_ensure

COOK_URI = "http://data.europa.eu/esco/occupation/test-cook"
POSTCODE = "50667"


def postcode(centre: Centre, code: str = POSTCODE, latitude: float = 50.9385, longitude: float = 6.9561) -> Postcode:
    found, _created = Postcode.objects.get_or_create(
        code=code, defaults={"places": "Köln", "region": centre.region, "latitude": latitude, "longitude": longitude}
    )
    return found


def occupation(uri: str = COOK_URI, isco_code: str = "5120", label: str = "Koch/Köchin") -> Occupation:
    found, _created = Occupation.objects.get_or_create(
        uri=uri, defaults={"isco_code": isco_code, "label": label, "alternative_labels": "Koch\nKöchin"}
    )
    return found


def permit(code: str = "any_work") -> WorkPermitCategory:
    permit_categories_ensure()
    return WorkPermitCategory.objects.get(code=code)


def employer(centre: Centre, *, name: str = "Gasthaus zur Post GmbH", verified: bool = True) -> Employer:
    postcode(centre)
    return Employer.objects.create(
        centre=centre,
        name=name,
        postcode=POSTCODE,
        place="Köln",
        email="info@gasthaus.example",
        applicant_name="Petra Wirt",
        applicant_email=f"petra{Employer.objects.dangerously_unscoped().count()}@gasthaus.example",
        status=EmployerStatus.VERIFIED if verified else EmployerStatus.PENDING,
    )


def employer_contact(organisation: Employer, user: User | None = None) -> User:
    contact: User = user or UserFactory()  # type: ignore[assignment]
    Membership.objects.get_or_create(user=contact, role=Role.EMPLOYER_CONTACT, centre=organisation.centre)
    EmployerContact.objects.create(centre=organisation.centre, employer=organisation, user=contact)
    return contact


def offer(organisation: Employer, by: User, **fields: Any) -> Offer:
    values: dict[str, Any] = {
        "kind": OfferKind.AUSBILDUNG,
        "occupation": occupation(),
        "title": "Ausbildung Koch/Köchin",
        "postcode": POSTCODE,
        "place": "Köln",
        "start_date": timezone.localdate() + datetime.timedelta(days=60),
        "seats": 2,
        "hours_per_week": 39,
        "german_level": "A2",
        "minimum_age": 16,
    }
    values.update(fields)
    postcode(organisation.centre)
    return services.offer_create(employer=organisation, by=by, **values)


def person(centre: Centre, given: str = "Amina", family: str = "Haddad", *, consent: bool = True, by: User) -> Person:
    created = Person.objects.create(
        centre=centre,
        given_names=given,
        family_name=family,
        birth_date=datetime.date(2000, 5, 17),
        languages=["ar"],
        postcode=POSTCODE,
        place="Köln",
        phone="+49 221 555 0101",
        search_text=search_text_for(given, family),
    )
    if consent:
        Consent.objects.create(
            centre=centre,
            person=created,
            purpose=Purpose.EMPLOYMENT,
            legal_basis=LegalBasis.CONSENT,
            given_on=timezone.localdate(),
            recorded_by=by,
        )
    return created


def profile(centre: Centre, by: User, subject: Person | None = None, **fields: Any) -> CandidateProfile:
    postcode(centre)
    subject = subject or person(centre, by=by)
    values: dict[str, Any] = {
        "german_level": "B1",
        "permit": permit(),
        "postcode": POSTCODE,
        "mobility_radius_km": 25,
        "available_from": timezone.localdate(),
    }
    values.update(fields)
    wishes = values.pop("occupation_wishes", [occupation()])
    return services.candidate_profile_create(centre=centre, by=by, person=subject, occupation_wishes=wishes, **values)


def shared_application(
    job: Offer, candidate: CandidateProfile, by: User, fields: list[str] | None = None
) -> Application:
    application = services.application_propose(offer=job, profile=candidate, by=by)
    services.application_agree(application=application, by=by, shared_fields=fields or ["name", "german_level"])
    return services.application_share(application=application, by=by)
