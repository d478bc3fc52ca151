"""The data register (ankommen/core/register) declares every field of every model of the platform."""

from dataclasses import replace

from django.apps import apps

from ankommen.core.register import COMMON_NOT_PERSONAL, declaration_for, declarations_by_model, undeclared_fields
from ankommen.core.register.activities import ACTIVITIES, RETENTION_RULES


def _platform_models():
    return [model for model in apps.get_models() if model.__module__.startswith("ankommen.")]


def test_every_field_of_every_model_is_declared_personal_or_not_with_a_reason():
    missing = {model._meta.label: fields for model in _platform_models() if (fields := undeclared_fields(model))}

    assert missing == {}, "declare these fields in ankommen/core/register/declarations.py"


def test_the_register_declares_no_field_or_model_that_does_not_exist():
    models = {model._meta.label: model for model in _platform_models()}
    stale = []
    for label, declaration in declarations_by_model().items():
        model = models.get(label)
        if model is None:
            stale.append(label)
            continue
        names = {field.name for field in model._meta.concrete_fields}
        stale += [
            f"{label}.{name}" for name in {**declaration.personal, **declaration.not_personal} if name not in names
        ]

    assert stale == []


def test_a_field_is_declared_either_personal_or_not_never_both():
    both = [
        f"{label}.{name}"
        for label, declaration in declarations_by_model().items()
        for name in declaration.personal
        if name in declaration.not_personal or name in COMMON_NOT_PERSONAL
    ]

    assert both == []


def test_history_tables_share_the_declaration_of_the_model_they_track():
    person_history = apps.get_model("people", "PersonEvent")

    assert declaration_for(person_history) is declarations_by_model()["people.Person"]
    assert undeclared_fields(person_history) == []


def test_every_personal_field_has_a_category_activity_with_purpose_and_legal_basis_and_a_retention_rule():
    for declaration in declarations_by_model().values():
        if declaration.personal:
            assert declaration.activity in ACTIVITIES
            assert declaration.retention in RETENTION_RULES
            assert str(declaration.activity.purpose)
            assert str(declaration.activity.legal_basis)


def test_the_names_of_a_person_and_the_health_notes_are_declared_as_social_and_special_category_data():
    register = declarations_by_model()

    assert register["people.Person"].personal["family_name"] == "social"
    assert register["schooling.Assessment"].personal["health_notes_encrypted"] == "special"


def test_a_new_undeclared_field_is_found(monkeypatch):
    import ankommen.core.register as module

    person = apps.get_model("people", "Person")
    declaration = declarations_by_model()["people.Person"]
    without_email = {name: category for name, category in declaration.personal.items() if name != "email"}
    register = {**declarations_by_model(), "people.Person": replace(declaration, personal=without_email)}
    monkeypatch.setattr(module, "declarations_by_model", lambda: register)

    assert module.undeclared_fields(person) == ["email"]
