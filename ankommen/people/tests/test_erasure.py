"""Erasure on request: the person and everything that is theirs goes, history included; one audit entry names no
one; every model linked to a person is either erased or kept with a reason."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.apps import apps
from django.db.models import ForeignObjectRel
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.core.tests.dumps import full_dump
from ankommen.network.models import Referral
from ankommen.network.tests.factories import ServiceFactory
from ankommen.people import erasure
from ankommen.people.models import (
    Consent,
    Erasure,
    ErasureReason,
    GuardianKind,
    GuardianRelation,
    LegalBasis,
    Person,
    Purpose,
)
from ankommen.people.tests.factories import PersonFactory
from ankommen.schooling.models import (
    CounsellingAppointment,
    CounsellingSlot,
    PreRegistration,
)
from ankommen.schooling.tests.placement_factories import released_placement, school_in
from ankommen.volunteering.models import Assignment, AssignmentStatus, HoursEntry
from ankommen.volunteering.tests.factories import open_request, volunteer_in
from ankommen.work.tests import factories as work

MARKER = "Zqxerased"


def _linked_models() -> set[str]:
    """Every model reachable from a person or family over relations that point at them, transitively."""
    found: set[str] = set()
    todo: list[Any] = [apps.get_model("people", "Person"), apps.get_model("people", "Family")]
    seen = set()
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        found.add(model._meta.label)
        for relation in model._meta.get_fields(include_hidden=True):
            if isinstance(relation, ForeignObjectRel):
                linked = relation.related_model
                if getattr(linked, "pgh_tracked_model", None) is not None:
                    continue  # a history table: purged with every row it records (erasure.HISTORY)
                todo.append(linked)
    return found


def test_every_model_linked_to_a_person_is_erased_or_kept_with_a_reason():
    linked = _linked_models()

    assert linked - set(erasure.ERASED) - set(erasure.KEPT) == set()
    assert {"schooling.Placement", "work.ApplicationStep", "volunteering.RequestStep"} <= linked
    assert all(reason.strip() for reason in erasure.KEPT.values())


def _person_with_everything(centre, staff):
    placement = released_placement(centre, school_in(centre, latitude=50.94, longitude=6.95), staff)
    intake = placement.intake
    child = intake.child
    child.given_names = f"{MARKER}child"
    child.save()
    sibling = PersonFactory(centre=centre, family=child.family, given_names="Kept")
    guardian = PersonFactory(centre=centre, family=child.family, family_name="Parent")
    GuardianRelation.objects.create(centre=centre, child=child, guardian=guardian, kind=GuardianKind.MOTHER)
    for purpose in (Purpose.REFERRAL, Purpose.EMPLOYMENT, Purpose.VOLUNTEER_SUPPORT):
        Consent.objects.create(
            centre=centre,
            person=child,
            purpose=purpose,
            legal_basis=LegalBasis.CONSENT,
            given_on=timezone.localdate(),
            recorded_by=staff,
            note=f"{MARKER} consent",
        )
    intake.preregistration = PreRegistration.objects.create(
        centre=centre, language="uk", payload={"children": [{"given_names": f"{MARKER}child"}]}
    )
    intake.save()
    assessment = intake.assessment  # the waiting child is assessed
    assessment.notes = f"{MARKER} assessment"
    assessment.save()
    starts = timezone.now() + datetime.timedelta(days=3)
    slot = CounsellingSlot.objects.create(
        centre=centre, counsellor=staff, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1), place="Raum 1"
    )
    CounsellingAppointment.objects.create(centre=centre, intake=intake, slot=slot)
    profile = work.profile(centre, staff, subject=child, experience=f"{MARKER} cook")
    organisation = work.employer(centre)
    work.shared_application(work.offer(organisation, staff), profile, staff)
    Referral.objects.create(
        centre=centre,
        person=child,
        service=ServiceFactory(organisation__centre=centre),
        referred_on=timezone.localdate(),
        referred_by=staff,
        note=f"{MARKER} referral",
    )
    request = open_request(centre, staff, person=child, description=f"{MARKER} homework")
    volunteer = volunteer_in(centre)
    assignment = Assignment.objects.create(
        centre=centre, request=request, volunteer=volunteer, status=AssignmentStatus.ACTIVE, proposed_by=staff
    )
    hours = HoursEntry.objects.create(
        centre=centre, volunteer=volunteer, assignment=assignment, date=timezone.localdate(), hours=2, activity="x"
    )
    return child, guardian, sibling, hours


@pytest.mark.django_db(transaction=True)
def test_an_erased_person_is_gone_from_a_full_dump_and_the_audit_entry_names_no_one(centre, make_member):
    lead = make_member(Role.CENTRE_LEAD, centre=centre)
    child, guardian, sibling, hours = _person_with_everything(centre, lead)
    assert MARKER in full_dump()

    entry = erasure.person_erase(centre=centre, person=child, by=lead, reason=ErasureReason.REQUEST)

    dump = full_dump()
    assert f"{MARKER}child" not in dump
    assert f"{MARKER} " not in dump  # notes, referral, consent, support request, profile
    assert not Person.objects.for_centre(centre).filter(pk=child.pk).exists()
    assert Person.objects.for_centre(centre).filter(pk__in=[guardian.pk, sibling.pk]).count() == 2
    assert not HoursEntry.objects.for_centre(centre).filter(pk=hours.pk).exists()
    assert entry.rows["people.Person"] == 1
    assert entry.rows["schooling.Placement"] == 1
    assert entry.erased_by == lead
    assert str(child.pk) not in str(Erasure.objects.for_centre(centre).values_list("rows", "reason").get())


@pytest.mark.django_db
def test_the_lead_erases_after_confirming_and_nothing_happens_without_confirmation(centre, make_member, login):
    lead = make_member(Role.CENTRE_LEAD, centre=centre)
    person = PersonFactory(centre=centre)
    client = login(lead)
    url = reverse("people:person_erase", kwargs={"person_id": person.pk})

    assert client.get(url).status_code == 200
    refused = client.post(url, {"reason": ErasureReason.REQUEST})
    assert refused.status_code == 400
    assert Person.objects.for_centre(centre).filter(pk=person.pk).exists()
    assert not Erasure.objects.for_centre(centre).exists()

    response = client.post(url, {"reason": ErasureReason.REQUEST, "confirmed": "on"})

    assert response.status_code == 302
    assert not Person.objects.for_centre(centre).filter(pk=person.pk).exists()
    assert Erasure.objects.for_centre(centre).get().reason == ErasureReason.REQUEST


@pytest.mark.django_db
def test_staff_cannot_erase_and_nothing_changes(centre, staff, staff_client):
    person = PersonFactory(centre=centre)

    response = staff_client.post(
        reverse("people:person_erase", kwargs={"person_id": person.pk}),
        {"reason": ErasureReason.REQUEST, "confirmed": "on"},
    )

    assert response.status_code == 403
    assert Person.objects.for_centre(centre).filter(pk=person.pk).exists()
    assert not Erasure.objects.for_centre(centre).exists()


@pytest.mark.django_db
def test_the_detail_page_shows_the_scheduled_deletion_and_the_erasure_only_to_the_lead(
    centre, make_member, login, staff_client
):
    person = PersonFactory(centre=centre)
    lead_page = login(make_member(Role.CENTRE_LEAD, centre=centre)).get(
        reverse("people:person_detail", kwargs={"person_id": person.pk})
    )
    staff_page = staff_client.get(reverse("people:person_detail", kwargs={"person_id": person.pk}))

    assert reverse("people:person_erase", kwargs={"person_id": person.pk}) in lead_page.content.decode()
    assert reverse("people:person_erase", kwargs={"person_id": person.pk}) not in staff_page.content.decode()
    assert "Scheduled deletion" in staff_page.content.decode() or "Löschung" in staff_page.content.decode()
