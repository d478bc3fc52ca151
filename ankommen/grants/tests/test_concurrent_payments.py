"""Concurrent payment requests on one grant: the service locks the grant row, so their sum stays within the
approved amount however the requests interleave."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from ankommen.grants.models import Payment
from ankommen.grants.tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_instalments_never_exceed_the_approved_amount(centre, staff, login):
    factories.allocation(centre, "5000")
    grant = factories.approved(centre, staff, amount="1000", requested="1000")
    url = reverse("grants:payment_create", args=[grant.pk])
    clients = [login(staff) for _ in range(5)]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []
    lock = threading.Lock()

    def pay(client) -> None:
        try:
            barrier.wait(timeout=30)
            response = client.post(url, {"amount": "300", "paid_on": grant.decided_on.isoformat()})
            with lock:
                statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [302, 302, 302, 400, 400]
    amounts = list(Payment.objects.for_centre(centre).filter(grant=grant).values_list("amount", flat=True))
    assert amounts == [Decimal("300.00")] * 3
