"""Hypothesis over every Django form of the project: hostile input gives messages, never an exception.

The forms are found by walking the modules of `ankommen`, so that a new form is covered without
anyone adding it here; a form that cannot be fuzzed is named in EXCLUDED with its reason.
"""

from __future__ import annotations

import datetime
import decimal
import importlib
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django import forms
from django.db import connection, transaction
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ankommen
from ankommen.courses.models import Course
from ankommen.network.models import Contact, Organisation, Service
from ankommen.people.models import Consent, Person
from ankommen.reporting.indicators import INDICATOR_BY_KEY
from ankommen.schooling.preregistration import SubmittedPerson
from ankommen.volunteering.models import Assignment, MeetingPoint

from .conftest import Planted

EXAMPLES_PER_FORM = 25

# Forms that are not ours to fuzz, with the reason.
EXCLUDED: dict[str, str] = {
    "ankommen.volunteering.admin.ActivityForm": "a ModelForm of the Django admin, staff-only, validated by the admin",
}

# How to build each keyword argument a form's constructor asks for, from the planted centre.
# A new form with a new keyword fails loudly below until its builder is added here.
BUILDERS: dict[str, Callable[[Planted], Any]] = {
    "centre": lambda p: p.centre,
    "user": lambda p: p.lead,
    "consent": lambda p: Consent.objects.for_centre(p.centre).order_by("pk").first(),
    "candidates": lambda p: list(Person.objects.for_centre(p.centre).order_by("pk")[:5]),
    "persons": lambda p: Person.objects.for_centre(p.centre).order_by("pk"),
    "course": lambda p: Course.objects.for_centre(p.centre).order_by("pk").first(),
    "organisations": lambda p: Organisation.objects.for_centre(p.centre).order_by("pk"),
    "services": lambda p: Service.objects.for_centre(p.centre).select_related("organisation").order_by("pk"),
    "contacts": lambda p: Contact.objects.for_centre(p.centre).order_by("pk"),
    "indicators": lambda p: [i for i in INDICATOR_BY_KEY.values() if i.higher_is_better is not None],
    "choices": lambda p: [(key, str(indicator.label)) for key, indicator in INDICATOR_BY_KEY.items()],
    "assignments": lambda p: list(Assignment.objects.for_centre(p.centre).order_by("pk")[:5]),
    "points": lambda p: list(MeetingPoint.objects.for_centre(p.centre).order_by("pk")),
}
# Where two forms mean different things by one keyword.
BUILDERS_BY_FORM: dict[str, dict[str, Callable[[Planted], Any]]] = {
    "ankommen.schooling.forms_preregistration.DecisionForm": {
        "persons": lambda p: [
            SubmittedPerson(
                key="child-0",
                role="child",
                data={"given_names": "Olena", "family_name": "Kovalenko"},
                candidates=list(Person.objects.for_centre(p.centre).order_by("pk")[:2]),
            ),
            SubmittedPerson(key="guardian-0", role="guardian", data={"given_names": "Ayşe", "family_name": "Yılmaz"}),
        ]
    },
}


def _import_every_module() -> None:
    for module in pkgutil.walk_packages(ankommen.__path__, "ankommen."):
        if any(part in module.name for part in (".tests", ".migrations", ".management")):
            continue
        importlib.import_module(module.name)


def _subclasses(cls: Any) -> Iterator[Any]:
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def project_forms() -> list[type[forms.BaseForm]]:
    _import_every_module()
    found = {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.startswith("ankommen.") and not cls.__name__.startswith("Base")
    }
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


FORMS = [cls for cls in project_forms() if _name(cls) not in EXCLUDED]


def _keyword_arguments(form_class: type[forms.BaseForm], planted: Planted) -> dict[str, Any]:
    import inspect

    required: dict[str, Any] = {}
    for klass in form_class.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        for parameter in inspect.signature(init).parameters.values():
            if parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty:
                builders = {**BUILDERS, **BUILDERS_BY_FORM.get(_name(form_class), {})}
                assert parameter.name in builders, f"{_name(form_class)} needs {parameter.name!r}: add a builder"
                required[parameter.name] = builders[parameter.name](planted)
    if issubclass(form_class, forms.Form) and "user" in inspect.signature(form_class.__init__).parameters:
        required.setdefault("user", planted.lead)
    return required


def _build(form_class: type[forms.BaseForm], planted: Planted, data: Any = None) -> forms.BaseForm:
    return form_class(data=data, **_keyword_arguments(form_class, planted))  # type: ignore[call-arg]


# --- hostile values ---------------------------------------------------------------------------------

# No lone surrogates: Django decodes a request's bytes as UTF-8 with replacement, so none reaches a form.
hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "Ayşe\x00Yılmaz",
            "مرحبا بكم في المدينة",  # Arabic, right to left
            "\u202eevil\u202c",  # right-to-left override
            "שלום",
            "Олена Коваленко",
            "👨‍👩‍👧",
            "A" * 10_000,
            "x" * 100_001,
            "<script>alert(1)</script>",
            "'; DROP TABLE people_person; --",
            "%s %(name)s {0}",
        ]
    ),
)
hostile_number = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["2147483648", "-2147483649", "9223372036854775808", "1e309", "NaN", "Infinity", "-0", "0x1F"]),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
hostile_date = st.sampled_from(
    [
        "2026-02-30",
        "2026-13-01",
        "0000-01-01",
        "0001-01-01",
        "9999-12-31",
        "10000-01-01",
        "-2026-01-01",
        "31.12.2026",
        "2026-12-31T25:61",
        "yesterday",
        "1900-01-01",
        "2100-01-01",
        "24:00",
        "23:59:60",
    ]
)


def _plausible(field: Any) -> st.SearchStrategy[Any]:
    """A value of the field's own kind, so that the form gets past its first checks and into its clean()."""
    if isinstance(field, forms.ModelMultipleChoiceField | forms.ModelChoiceField):
        queryset: Any = field.queryset
        keys = [str(pk) for pk in queryset.values_list("pk", flat=True)[:20]]
        one = st.sampled_from(keys) if keys else st.just("")
        if isinstance(field, forms.ModelMultipleChoiceField):
            return st.lists(one, max_size=3)
        return one
    if isinstance(field, forms.ChoiceField):
        choices: Any = field.choices
        keys = [str(key) for key, label in choices if not isinstance(label, list | tuple)]
        one = st.sampled_from(keys) if keys else st.just("")
        if isinstance(field, forms.MultipleChoiceField):
            return st.lists(one, max_size=3)
        return one
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", "", "true", "false"])
    if isinstance(field, forms.DateTimeField):
        return st.tuples(st.dates(min_value=datetime.date(1950, 1, 1)), st.times()).map(
            lambda moment: f"{moment[0]}T{moment[1]:%H:%M}"
        )
    if isinstance(field, forms.DateField):
        return st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2040, 1, 1)).map(str)
    if isinstance(field, forms.TimeField):
        return st.times().map(lambda v: v.strftime("%H:%M"))
    if isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField):
        return st.integers(min_value=-5, max_value=400).map(str)
    if isinstance(field, forms.EmailField):
        return st.emails().map(str)
    return st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=30)


def _value(field: forms.Field) -> st.SearchStrategy[Any]:
    hostile: st.SearchStrategy[Any] = st.one_of(hostile_text, hostile_number, hostile_date)
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        hostile = st.lists(hostile, max_size=3)
    return st.one_of(_plausible(field), _plausible(field), hostile)


def form_data(form: forms.BaseForm) -> st.SearchStrategy[MultiValueDict]:
    keys: dict[str, st.SearchStrategy[Any]] = {}
    for name, bound in zip(form.fields, form, strict=True):
        field = form.fields[name]
        if isinstance(field, forms.MultiValueField):
            for index, _ in enumerate(field.fields):
                keys[f"{bound.html_name}_{index}"] = hostile_text
        else:
            keys[bound.html_name] = _value(field)
    data = st.fixed_dictionaries({}, optional=keys)
    return data.map(
        lambda values: MultiValueDict(
            {key: value if isinstance(value, list) else [value] for key, value in values.items()}
        )
    )


# --- what must hold ---------------------------------------------------------------------------------


def _messages(form: forms.BaseForm) -> dict[str, list[str]]:
    return {field: [str(message) for message in messages] for field, messages in form.errors.items()}


def _validate(form_class: type[forms.BaseForm], planted: Planted, data: MultiValueDict, language: str) -> Any:
    with translation.override(language):
        form = _build(form_class, planted, data)
        with transaction.atomic():
            form.is_valid()
            transaction.set_rollback(True)
        return form, _messages(form)


def _storable(value: Any) -> None:
    """Every cleaned value goes to PostgreSQL as it is: a value it refuses would be a 500 at save."""
    values = value if isinstance(value, list | tuple | set) else [value]
    with connection.cursor() as cursor:
        for item in values:
            if isinstance(item, str):
                cursor.execute("SELECT %s::text", [item])
            elif isinstance(item, bool):
                continue
            elif isinstance(item, int):
                assert -(2**63) <= item < 2**63, f"{item} does not fit a bigint column"
            elif isinstance(item, decimal.Decimal):
                assert item.is_finite(), f"{item} is not a number PostgreSQL stores in a numeric column"
            elif isinstance(item, datetime.date):
                assert 1 <= item.year <= 9999


@pytest.mark.parametrize("form_class", FORMS, ids=_name)
def test_form_returns_messages_in_german_and_never_raises(form_class, planted, db):
    empty = _build(form_class, planted)

    @given(data=form_data(empty))
    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(data: MultiValueDict) -> None:
        form, german = _validate(form_class, planted, data, "de")
        _, english = _validate(form_class, planted, data, "en")
        for field, messages in german.items():
            for message, original in zip(messages, english.get(field, []), strict=False):
                assert message != original or not _has_german(original), (field, message)
        if form.is_bound and not form.errors:
            for value in form.cleaned_data.values():
                _storable(value)

    check()


def _has_german(english: str) -> bool:
    """Whether the English message is one that carries letters (a bare number needs no translation)."""
    return any(character.isalpha() for character in english)


def test_every_form_of_the_project_is_fuzzed_or_excluded_with_a_reason():
    names = {_name(cls) for cls in project_forms()}
    assert len(names) > 90
    assert set(EXCLUDED) <= names, "an excluded form no longer exists"
    assert all(reason.strip() for reason in EXCLUDED.values())
