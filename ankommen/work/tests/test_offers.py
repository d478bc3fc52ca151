import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ankommen.work.models import Offer
from ankommen.work.tests import factories

pytestmark = pytest.mark.django_db


def _offer_data(**changes):
    factories.occupation()
    data = {
        "kind": "ausbildung",
        "title": "Ausbildung Koch/Köchin 2027",
        "occupation": "Koch/Köchin",
        "postcode": "50667",
        "place": "Köln",
        "start_date": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
        "seats": "2",
        "hours_per_week": "39",
        "german_level": "B1",
        "minimum_age": "16",
        "useful_languages": ["ar", "uk"],
    }
    data.update(changes)
    return data


def test_an_employer_posts_an_offer_that_appears_on_the_public_board(employer_client, employer, client):
    response = employer_client.post(reverse("work:offer_create"), _offer_data())
    assert response.status_code == 302
    offer = Offer.objects.for_centre(employer.centre).get()
    assert offer.occupation.isco_code == "5120"
    assert offer.useful_languages == ["ar", "uk"]
    board = client.get(reverse("work:offer_board"), {"words": "Koch"})
    assert "Ausbildung Koch/Köchin 2027" in board.content.decode()
    assert client.get(reverse("work:offer_board_detail", args=[offer.pk])).status_code == 200


def test_an_occupation_is_found_by_its_synonym(employer_client, employer):
    response = employer_client.post(reverse("work:offer_create"), _offer_data(occupation="Köchin"))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"start_date": "2020-01-01"}, "Das Startdatum liegt in der Vergangenheit."),
        ({"seats": "0"}, "Ein Angebot hat zwischen 1 und 100 Plätzen."),
        ({"seats": "1000"}, "Ein Angebot hat zwischen 1 und 100 Plätzen."),
        ({"hours_per_week": "80"}, "Die Wochenstunden liegen zwischen 1 und 48."),
        ({"occupation": "Drachenzähmer"}, "Unbekannter Beruf. Wählen Sie einen Beruf aus der ESCO-Liste."),
    ],
)
def test_impossible_offers_are_refused_with_a_clear_message(employer_client, employer, changes, field_message):
    response = employer_client.post(reverse("work:offer_create"), _offer_data(**changes))
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert not Offer.objects.for_centre(employer.centre).exists()


def test_an_application_deadline_after_the_start_is_refused(employer_client, employer):
    start = timezone.localdate() + datetime.timedelta(days=30)
    data = _offer_data(
        start_date=start.isoformat(), application_deadline=(start + datetime.timedelta(days=1)).isoformat()
    )
    response = employer_client.post(reverse("work:offer_create"), data)
    assert response.status_code == 400
    assert "Die Bewerbungsfrist kann nicht nach dem Startdatum liegen." in response.content.decode()


def test_the_public_board_hides_closed_offers_and_unverified_employers(client, centre, staff):
    verified = factories.employer(centre)
    open_offer = factories.offer(verified, staff, title="Offen")
    closed = factories.offer(verified, staff, title="Geschlossen")
    closed.status = "closed"
    closed.save()
    pending = factories.employer(centre, name="Unbestätigt", verified=True)
    hidden = factories.offer(pending, staff, title="Unbestätigt")
    pending.status = "pending"
    pending.save()
    content = client.get(reverse("work:offer_board")).content.decode()
    assert open_offer.title in content
    assert "Geschlossen" not in content
    assert hidden.title not in content
    assert client.get(reverse("work:offer_board_detail", args=[closed.pk])).status_code == 404


def test_an_employer_cannot_change_another_employers_offer(employer_client, centre, staff):
    other = factories.employer(centre, name="Konkurrenz GmbH")
    offer = factories.offer(other, staff)
    response = employer_client.post(reverse("work:offer_edit", args=[offer.pk]), _offer_data(title="Übernommen"))
    assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.title == "Ausbildung Koch/Köchin"


def test_occupation_suggestions_come_from_the_esco_list(client):
    factories.occupation()
    response = client.get(reverse("work:occupation_suggest"), {"occupation": "koch"})
    assert '<option value="Koch/Köchin">' in response.content.decode()
