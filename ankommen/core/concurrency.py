"""Two people, one record; one click, two requests (docs/concurrency.md).

Optimistic locking: an edit form carries the version of the record it was opened on (`record_version`, a keyed
digest of the stored row). The save locks the row (`SELECT … FOR UPDATE`), compares, and writes only if nothing
changed meanwhile; otherwise the form comes back with 409, the user's input kept and both versions side by side.
The API does the same with `ETag` and `If-Match` (412).

Idempotency: a create form carries a key made when it was rendered (`idempotency_key`); the API takes an
`Idempotency-Key` header. The key row is inserted in the same transaction as the record it creates, under a unique
constraint, so of two simultaneous requests with one key the second waits for the first and then answers what the
first did, instead of creating a second row.
"""

from __future__ import annotations

import datetime
import hashlib
import inspect
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.request import RawPostDataException
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.utils import contribute_operation_callback

from ankommen.core.crypto import decrypt_text, encrypt_text
from ankommen.core.models import IdempotencyKey

VERSION_FIELD = "record_version"
KEY_FIELD = "idempotency_key"
# How long a key is remembered: a double submit or a client's retry comes within seconds or minutes.
KEY_LIFETIME = datetime.timedelta(hours=24)

T = TypeVar("T")


def record_version(record: models.Model) -> str:
    """A digest of every stored column: any change, also by `QuerySet.update()`, gives another version.

    Keyed with the secret key, so that the digest of a few personal values cannot be guessed back.
    """
    values = [(field.attname, field.value_from_object(record)) for field in record._meta.concrete_fields]
    return salted_hmac("ankommen.concurrency.version", repr(values), algorithm="sha256").hexdigest()[:40]


def stored_record(record: T) -> T:
    """The row as it is now, locked until the end of the transaction (call inside `transaction.atomic`)."""
    model = type(record)
    # The base manager, as the record was already fetched through the scoped selectors of the view.
    return model._base_manager.select_for_update().get(pk=record.pk)  # type: ignore[attr-defined, no-any-return]


# ---------------------------------------------------------------------------------------------------------------
# Optimistic locking of edit forms


@dataclass(frozen=True)
class ConflictRow:
    label: str
    yours: str
    stored: str

    @property
    def differs(self) -> bool:
        return self.yours != self.stored


def _choice_labels(field: forms.Field) -> dict[str, str]:
    labels: dict[str, str] = {}
    for value, label in getattr(field, "choices", []):
        if isinstance(label, list | tuple):  # an option group
            labels.update({str(v): str(lab) for v, lab in label})
        else:
            labels[str(getattr(value, "value", value))] = str(label)
    return labels


def _shown(field: forms.Field, value: Any) -> str:
    if value is None or value == "" or value == [] or value == ():
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.QuerySet | list | tuple | set) and not isinstance(value, str):
        return ", ".join(sorted(_shown(field, item) for item in value)) or "—"
    if isinstance(field, forms.ModelChoiceField) and not isinstance(field, forms.ModelMultipleChoiceField):
        found = field.queryset.filter(pk=value).first() if field.queryset is not None else None
        return str(found) if found is not None else str(value)
    if isinstance(field, forms.ChoiceField):
        return _choice_labels(field).get(str(value), str(value))
    if isinstance(value, datetime.datetime):
        return formats.localize(timezone.localtime(value) if timezone.is_aware(value) else value)
    if isinstance(value, datetime.date | datetime.time):
        return formats.localize(value)
    return str(value)


class StaleEdit(ValidationError):
    """The record changed since the form was opened. A ValidationError, so that views show it as they show any."""


class VersionMissing(StaleEdit):
    """The form came without the version it was opened on: whether the record changed since cannot be told."""


def _taken_from_cleaned_data(form: forms.BaseForm, name: str) -> Callable[[], str]:
    """Keep the field `name` out of `form.cleaned_data`, so that the form's values go to a service as they are."""
    taken = {"value": ""}
    post_clean = form._post_clean  # type: ignore[attr-defined]

    def take_then_post_clean() -> None:
        taken["value"] = str(form.cleaned_data.pop(name, "") or "")
        post_clean()

    form._post_clean = take_then_post_clean  # type: ignore[attr-defined]
    return lambda: taken["value"]


class EditGuard:
    """Puts the version on an edit form; `unchanged()` lets the write happen only over that version.

    `stored_values(record)` gives the form's values for a record (the view's `initial` function); by default each
    form field is read from the attribute of the same name.

        guard = EditGuard(form, person)
        ...
        try:
            with guard.unchanged():
                services.person_update(...)
        except ValidationError as error:   # StaleEdit is one
            form.add_service_errors(error)
        ...
        return render(..., status=guard.status)
    """

    def __init__(
        self,
        form: forms.BaseForm,
        record: models.Model,
        stored_values: Callable[[Any], dict[str, Any]] | None = None,
    ) -> None:
        self.form = form
        self.record = record
        self.stored_values = stored_values
        self.conflict: list[ConflictRow] | None = None
        self.version_missing = False
        form.fields[VERSION_FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=record_version(record)
        )
        self._opened_on = _taken_from_cleaned_data(form, VERSION_FIELD)
        form.edit_guard = self  # type: ignore[attr-defined]

    @property
    def status(self) -> int:
        """The status of a page that shows the form again: 409 over a changed record, 400 for a form without version."""
        if self.conflict is not None and not self.version_missing:
            return 409
        return 400 if self.form.errors else 200

    @contextmanager
    def unchanged(self) -> Iterator[None]:
        """A transaction in which the record is locked and known to be as the form showed it; StaleEdit if not.

        A form posted without its version is refused too (VersionMissing): it could overwrite a change it never
        showed. Every page renders the version, which `tests/test_concurrency_edit_views.py` proves for every edit
        view; the refused form comes back with both versions and the stored one's version, as after a conflict.
        """
        opened_on = self._opened_on()
        with transaction.atomic():
            current = stored_record(self.record)
            if not opened_on:
                self.version_missing = True
                self._show_conflict(current)
                raise VersionMissing(
                    _(
                        "This form was sent without the version of the record it was opened on, so we cannot tell "
                        "whether someone else has changed the record meanwhile. Nothing has been saved. Compare "
                        "your entries with the stored version below; to keep yours, save again."
                    )
                )
            if opened_on != record_version(current):
                self._show_conflict(current)
                raise StaleEdit(
                    _(
                        "Someone else has changed this record since you opened the form. Nothing has been saved. "
                        "Compare your entries with the stored version below; to keep yours, save again."
                    )
                )
            yield

    def _show_conflict(self, current: models.Model) -> None:
        stored = self.stored_values(current) if self.stored_values else {}
        rows = []
        for name, field in self.form.fields.items():
            if name in {VERSION_FIELD, KEY_FIELD} or isinstance(field.widget, forms.HiddenInput):
                continue
            if name in stored:
                value = stored[name]
            elif hasattr(current, name):
                value = getattr(current, name)
                if hasattr(value, "all") and callable(value.all):  # a many-to-many manager
                    value = list(value.all())
            else:
                continue
            rows.append(
                ConflictRow(
                    label=str(field.label or name),
                    yours=_shown(field, self.form.cleaned_data.get(name)),
                    stored=_shown(field, value),
                )
            )
        self.conflict = rows
        # Saving again, after looking, overwrites the stored version on purpose: the form now carries it.
        data = self.form.data.copy()  # type: ignore[attr-defined]
        data[self.form.add_prefix(VERSION_FIELD)] = record_version(current)
        self.form.data = data


# ---------------------------------------------------------------------------------------------------------------
# Idempotency keys


class KeyReused(Exception):
    """The same key came with another request."""


def request_digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def claim_key(*, user: Any, key: str, scope: str, digest: str) -> IdempotencyKey | None:
    """Insert the key row in the current transaction; None if it is new, else the row of the first request.

    Of two simultaneous requests the second's insert waits on the unique index until the first commits (then it
    fails and reads the first's row) or rolls back (then it goes on as the first).
    """
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(user=user, key=key, scope=scope, request_digest=digest)
        return None
    except IntegrityError:
        first = IdempotencyKey.objects.get(user=user, key=key)
        if first.scope != scope or first.request_digest != digest:
            raise KeyReused from None
        return first


def valid_key(value: str | None) -> str | None:
    value = (value or "").strip()
    return value if 1 <= len(value) <= 100 and value.isprintable() else None


class CreateOnce:
    """Puts a key on a create form; the first submit with it creates, every further one leads where the first did."""

    def __init__(self, request: HttpRequest, form: forms.BaseForm) -> None:
        self.request = request
        self.form = form
        form.fields[KEY_FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=lambda: uuid.uuid4().hex
        )
        self._key = _taken_from_cleaned_data(form, KEY_FIELD)
        form.create_once = self  # type: ignore[attr-defined]

    def run(self, create: Callable[[], HttpResponse]) -> HttpResponse:
        """`create` writes and answers; a redirect is remembered under the key, any other answer frees the key."""
        digest = request_digest(self.request.path, self.form.cleaned_data)
        return _run_once(self.request, valid_key(self._key()), digest, create)


def _key_owner(request: HttpRequest, key: str) -> tuple[Any, str] | None:
    """Whose key it is: the logged-in user's, or on a public form the browser's (None: no key can be kept)."""
    if request.user.is_authenticated:
        return request.user, key
    # Anonymous (the public sign-ups): the key is kept bound to the browser's CSRF cookie, a secret only that browser
    # sends, so that no other caller reaches the first answer by sending the same key.
    secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if not secret:
        return None
    return None, "browser:" + hashlib.sha256(f"{secret}:{key}".encode()).hexdigest()


def _run_once(request: HttpRequest, key: str | None, digest: str, create: Callable[[], HttpResponse]) -> HttpResponse:
    owner = _key_owner(request, key) if key is not None else None
    if owner is None:
        return create()
    user, key = owner
    with transaction.atomic():
        try:
            first = claim_key(user=user, key=key, scope=f"form {request.path}", digest=digest)
        except KeyReused:
            # The form sent again with other entries (back button, changed, saved): a new record is meant.
            return create()
        if first is not None:
            return HttpResponseRedirect(first.location)
        response = create()
        if 300 <= response.status_code < 400 and response.has_header("Location"):
            IdempotencyKey.objects.filter(user=user, key=key).update(
                status=response.status_code, location=response["Location"]
            )
        else:
            IdempotencyKey.objects.filter(user=user, key=key).delete()
        return response


def creates_once(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view whose POST creates: the form's key (`{% create_once_key %}` in it) makes a repeated submit lead where
    the first one did instead of creating again. Put it below the access decorators, so refused callers claim no key.

    The request is the form's entries as posted (without the CSRF token and the key): the same key with other
    entries is a new record, as with `CreateOnce`.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        entries = sorted(
            (name, sorted(values))
            for name, values in request.POST.lists()
            if name not in {KEY_FIELD, "csrfmiddlewaretoken"}
        )
        files = sorted(
            (name, upload.name, upload.size) for name, uploads in request.FILES.lists() for upload in uploads
        )
        digest = request_digest(request.path, entries, files)
        key = valid_key(request.POST.get(KEY_FIELD))
        return _run_once(request, key, digest, lambda: view(request, *args, **kwargs))

    return wrapper


def keys_remove_expired(*, now: datetime.datetime | None = None) -> int:
    deleted, _details = IdempotencyKey.objects.filter(created_at__lt=(now or timezone.now()) - KEY_LIFETIME).delete()
    return deleted


def conflict_rows(form: forms.BaseForm) -> Iterable[ConflictRow]:
    guard = getattr(form, "edit_guard", None)
    return guard.conflict or [] if guard is not None else []


# ---------------------------------------------------------------------------------------------------------------
# The API: If-Match / ETag for changes, Idempotency-Key for creations

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_PARAMETER = {
    "in": "header",
    "name": IDEMPOTENCY_HEADER,
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 100},
    "description": (
        "For authenticated callers: a value of your choice, unique per request you mean (e.g. a UUID). The same "
        "key again within 24 hours "
        "replays the first answer (status and body, header Idempotent-Replayed: true) instead of creating twice, "
        "also when both requests arrive at once. The same key with another body is refused with 422."
    ),
}
IF_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": (
        "The ETag of the record as you read it (GET answers it). If the record has changed since, nothing is "
        "written and the answer is 412 with the current ETag."
    ),
}


class StaleRecord(Exception):
    def __init__(self, current: models.Model) -> None:
        super().__init__("stale record")
        self.etag = etag_of(current)


def etag_of(record: models.Model) -> str:
    return f'"{record_version(record)}"'


def require_unchanged(request: HttpRequest, record: models.Model) -> None:
    """Inside the transaction of a change: lock the row; StaleRecord (412) if If-Match names another version."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        return
    current = stored_record(record)
    tags = {tag.strip().removeprefix("W/").strip('"') for tag in header.split(",")}
    if "*" not in tags and record_version(current) not in tags:
        raise StaleRecord(current)


@contextmanager
def api_change(request: HttpRequest, record: models.Model, response: HttpResponse) -> Iterator[None]:
    """The transaction of an API change: refused with 412 over a stale If-Match; the answer carries the new ETag."""
    with transaction.atomic():
        require_unchanged(request, record)
        yield
        response["ETag"] = etag_of(stored_record(record))


def _document(parameter: dict[str, Any]) -> Callable[[Any], None]:
    def contribute(operation: Any) -> None:
        extra = dict(operation.openapi_extra or {})
        extra["parameters"] = [*extra.get("parameters", []), parameter]
        operation.openapi_extra = extra

    return contribute


def checks_if_match(view: Callable[..., T]) -> Callable[..., T]:
    """Documents If-Match on a PUT/PATCH operation whose view calls `require_unchanged` in its transaction."""
    contribute_operation_callback(view, _document(IF_MATCH_PARAMETER))
    return view


def _body_of(request: HttpRequest) -> str:
    try:
        return request.body.decode(errors="replace")
    except RawPostDataException:  # a multipart upload, already parsed: its fields and files stand for it
        files = [(name, upload.name, upload.size) for name, uploads in request.FILES.lists() for upload in uploads]
        return json.dumps([sorted(request.POST.lists()), files], default=str)


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """An API POST that creates: with an Idempotency-Key header it runs once per key and user."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        # Keys are per user: an anonymous caller's key could be guessed by another and its answer replayed to them.
        if IDEMPOTENCY_HEADER not in request.headers or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = valid_key(request.headers[IDEMPOTENCY_HEADER])
        if key is None:
            raise HttpError(422, _("The Idempotency-Key header must have 1 to 100 printable characters."))
        operation = wrapper._ninja_operation  # type: ignore[attr-defined]
        if operation.api is None:
            # The router's operation serialises the answer as the API would; it learns its API when mounted.
            from ankommen.api.api import api

            operation.api = api
        digest = request_digest(request.method, request.path, _body_of(request))
        user = request.user
        with transaction.atomic():
            try:
                first = claim_key(user=user, key=key, scope=f"api {request.path}", digest=digest)
            except KeyReused:
                raise HttpError(422, _("This Idempotency-Key was already used for another request.")) from None
            if first is not None:
                replay = HttpResponse(
                    decrypt_text(first.body), status=first.status, content_type="application/json; charset=utf-8"
                )
                replay["Idempotent-Replayed"] = "true"
                return replay
            # A refused request raises: the transaction takes the key with it, so the client may correct and retry.
            result = view(request, *args, **kwargs)
            response = operation._result_to_response(request, result, operation.api.create_temporal_response(request))
            if 200 <= response.status_code < 300:
                IdempotencyKey.objects.filter(user=user, key=key).update(
                    status=response.status_code, body=encrypt_text(response.content.decode())
                )
            else:
                IdempotencyKey.objects.filter(user=user, key=key).delete()
            return response

    # The view's annotations, resolved in its own module: django-ninja reads them from the wrapper.
    wrapper.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
    contribute_operation_callback(wrapper, _document(IDEMPOTENCY_PARAMETER))
    return wrapper
