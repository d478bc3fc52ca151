# mypy: disable-error-code="attr-defined, arg-type"
from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from ankommen.volunteering.admin import ActivityForm
from ankommen.volunteering.models import Activity


def test_a_missing_name_falls_back_to_english_then_german():
    activity = Activity(code="sewing", name_de="Nähcafé", name_en="Sewing café", name_ar="مقهى الخياطة")
    assert activity.name_in("ar") == "مقهى الخياطة"
    assert activity.name_in("uk") == "Sewing café"
    assert activity.name_in("de") == "Nähcafé"
    assert activity.name_in("en") == "Sewing café"
    german_only = Activity(code="garden", name_de="Gemeinschaftsgarten")
    assert german_only.name_in("fa") == "Gemeinschaftsgarten"
    assert german_only.name_in("en") == "Gemeinschaftsgarten"


@pytest.mark.django_db
def test_the_form_asks_for_seven_names_with_german_required():
    fields = ActivityForm().fields
    assert {f"name_{code}" for code in ("de", "en", "ar", "uk", "ru", "tr", "fa")} <= set(fields)
    assert fields["name_ar"].widget.attrs["dir"] == "rtl"
    base = {"code": "sewing", "position": "50", "is_active": "on"}
    without_german = ActivityForm(data={**base, "name_de": "  ", "name_uk": "Швейне кафе"})
    assert not without_german.is_valid()
    assert "name_de" in without_german.errors
    only_german = ActivityForm(data={**base, "name_de": "Nähcafé"})
    assert only_german.is_valid(), only_german.errors
    only_german.save()
    assert Activity.objects.get(code="sewing").name_in("tr") == "Nähcafé"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "shown"),
    [("ar", "مقهى الخياطة"), ("uk", "Швейне кафе"), ("ru", "Sewing café"), ("de", "Nähcafé"), ("fa", "Sewing café")],
)
def test_the_public_sign_up_names_an_added_activity_in_the_visitors_language(client, language, shown):
    Activity.objects.create(
        code="sewing", name_de="Nähcafé", name_en="Sewing café", name_ar="مقهى الخياطة", name_uk="Швейне кафе"
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("volunteering:signup")).content.decode()
    assert shown in page
    assert 'value="sewing"' in page


def test_the_certificate_uses_the_core_renderer_with_its_own_stylesheet(monkeypatch):
    from ankommen.volunteering import certificate

    seen = {}

    def fake_render(html, *, stylesheet):
        seen["stylesheet"] = stylesheet
        return b"%PDF-fake"

    monkeypatch.setattr(certificate, "render_pdf", fake_render)
    monkeypatch.setattr(certificate, "engagement_certificate_html", lambda **kwargs: "<p>x</p>")
    assert certificate.engagement_certificate_pdf(centre=None, volunteer=None) == b"%PDF-fake"
    assert seen["stylesheet"].name == "certificate.css"
    assert seen["stylesheet"].parent.name == "volunteering"
    assert "@page" in seen["stylesheet"].read_text(encoding="utf-8")
    import inspect

    assert "from ankommen.core.pdf import render_pdf" in inspect.getsource(certificate)
    assert "ankommen.schooling" not in inspect.getsource(certificate)
