import pytest


@pytest.mark.django_db
def test_health_reports_database_and_queue(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["queue"] == "ok"
    assert body["jobs_waiting"] == "0"


@pytest.mark.django_db
def test_health_reports_a_missing_queue_as_unavailable(client, django_db_blocker):
    from django.db import connection

    from ankommen.core.row_level_security import dangerously_as_table_owner

    with dangerously_as_table_owner(), connection.cursor() as cursor:  # DDL: the owner's, not the application's
        cursor.execute("ALTER TABLE procrastinate_jobs RENAME TO procrastinate_jobs_away")
    try:
        response = client.get("/health/")
    finally:
        with dangerously_as_table_owner(), connection.cursor() as cursor:
            cursor.execute("ALTER TABLE procrastinate_jobs_away RENAME TO procrastinate_jobs")
    assert response.status_code == 503
    assert response.json()["queue"] == "unavailable"
