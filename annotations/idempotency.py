"""Idempotency keys: a write sent twice is done once.

A client that lost the answer to a write (a dropped connection, a timeout, a 503 whose
outcome is unknown) cannot tell whether it was saved. If it sent an `Idempotency-Key`
header (the API) or the form's one-time `idempotency_key` field (the reader's claim
form), sending the same request again with the same key answers what the first one
answered and does the work no second time.

How it holds:

- The key's row is written in the same transaction as the write it records (`saving`
  opens that transaction around the service call and the read of the answer), so a
  commit means the key records the result and a rollback leaves no key behind: a key
  either names a saved result or nothing at all.
- Before the work, the key is locked for the transaction (a PostgreSQL advisory lock,
  tried without waiting): a second request with a key still being worked on answers 409
  `idempotency_key_in_progress` instead of doing the work beside it. A request that
  finds the key's row committed answers the stored status and body (a replay), or 409
  `idempotency_key_reused` when its method, path or body differ from the first one's.
- Keys are per user: another user's key of the same text is another key.
- Only a successful result is recorded. A refusal (400, 403, 409…) rolls back and
  stores nothing, so the same key may be sent again once the cause is fixed.
- Rows are kept `KEEP` (24 hours): a user's older rows are deleted whenever they record
  a new one, and `manage.py prune_idempotency_keys` deletes everyone's (run it daily).
  A key older than that is forgotten: sending it again does the work again.

`saving` (`claimdesk.outcome`) also records on the request how far the write got, so
that a database lost mid-request is answered truthfully: "nothing was saved" only while
the transaction had not begun to commit, `outcome_unknown` after.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from claimdesk.errors import IdempotencyKeyInProgress, IdempotencyKeyReused, InvalidInput
from claimdesk.outcome import saving

HEADER = "Idempotency-Key"
FORM_FIELD = "idempotency_key"
MAX_LENGTH = 255
KEEP = timedelta(hours=24)
REPLAYED_HEADER = "Idempotent-Replayed"
# Printable ASCII, space included (a header cannot carry anything else reliably).
_KEY = re.compile(rf"[\x20-\x7e]{{1,{MAX_LENGTH}}}")
# Form fields that change on every render and say nothing about the write itself.
_NOT_FINGERPRINTED = {"csrfmiddlewaretoken", FORM_FIELD}

PARAMETER = OpenApiParameter(
    HEADER,
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "1 to 255 printable ASCII characters, unique per write. Sending the same "
        "request again with the same key within 24 hours answers the first result "
        "(marked `Idempotent-Replayed: true`) without saving twice; another body with "
        "the same key answers 409 `idempotency_key_reused`, a key whose first request is "
        "still running 409 `idempotency_key_in_progress`."
    ),
)


class IdempotencyKey(models.Model):
    """One user's key and the result of the write it was first sent with."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=MAX_LENGTH)
    # sha256 of the canonical JSON of method, path and body: the same key must come with
    # the same request to be answered by its result.
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField(null=True, blank=True)
    location = models.CharField(max_length=2000, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "annotations"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotencykey_user_key_uniq")
        ]
        indexes = [models.Index(fields=["created"], name="idempotencykey_created_idx")]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"


# -- reading a key -------------------------------------------------------------------------


def clean_key(value: str | None, *, field: str = HEADER) -> str | None:
    """The key as sent, None when none was sent; a 400 naming `field` when it is empty,
    too long, or holds anything but printable ASCII."""
    if value is None:
        return None
    if not _KEY.fullmatch(value) or not value.strip():
        raise InvalidInput.for_field(
            f"{field}: give 1 to {MAX_LENGTH} printable ASCII characters.", field=field
        )
    return value


def _plain(data):
    """Request data as plain JSON values: a QueryDict as lists, files by name."""
    if hasattr(data, "lists"):
        return {
            name: [_plain(v) for v in values]
            for name, values in data.lists()
            if name not in _NOT_FINGERPRINTED
        }
    if isinstance(data, dict):
        return {str(k): _plain(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_plain(v) for v in data]
    if hasattr(data, "read") and hasattr(data, "name"):
        return {"file": data.name, "size": getattr(data, "size", None)}
    return data


def fingerprint(*, method: str, path: str, data) -> str:
    """sha256 of the canonical JSON (sorted keys, no spaces) of the request."""
    canonical = json.dumps(
        {"method": method.upper(), "path": path, "body": _plain(data)},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        cls=JSONEncoder,
    )
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


# -- the transaction -----------------------------------------------------------------------


def _lock_number(user_id: int, key: str) -> int:
    digest = hashlib.sha256(f"idempotency:{user_id}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def claim_key(*, user, key: str, fingerprint: str, wait: bool = False) -> IdempotencyKey | None:
    """Inside `saving`: take the key for this transaction and return its stored result,
    or None when the work is to be done.

    Raises `IdempotencyKeyInProgress` when another transaction holds the key (PostgreSQL;
    elsewhere the database's write lock already runs such requests one after the other),
    unless `wait` (a page's second click waits for the first and then finds its result),
    and `IdempotencyKeyReused` when the stored result is for another request."""
    if connection.vendor == "postgresql":
        number = _lock_number(user.pk, key)
        with connection.cursor() as cursor:
            if wait:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])
            else:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [number])
                if not cursor.fetchone()[0]:
                    raise IdempotencyKeyInProgress(field=HEADER)
    found = IdempotencyKey.objects.filter(user=user, key=key).first()
    if found is None:
        return None
    if found.created < timezone.now() - KEEP:
        found.delete()
        return None
    if found.fingerprint != fingerprint:
        raise IdempotencyKeyReused(field=HEADER)
    return found


def record_key(
    *, user, key: str, fingerprint: str, status: int, body, location: str = ""
) -> IdempotencyKey:
    """Inside `saving`, after the work: store its result under the key (and forget the
    user's keys older than `KEEP`). A row written meanwhile by another request with the
    same key (possible only where there is no advisory lock) is a key in progress."""
    IdempotencyKey.objects.filter(user=user, created__lt=timezone.now() - KEEP).delete()
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(
                user=user,
                key=key,
                fingerprint=fingerprint,
                status=status,
                body=body,
                location=location[:2000],
            )
    except IntegrityError as exc:
        raise IdempotencyKeyInProgress(field=HEADER) from exc


def prune(*, now=None) -> int:
    """Delete every key older than `KEEP`; the number deleted."""
    now = now or timezone.now()
    deleted, _ = IdempotencyKey.objects.filter(created__lt=now - KEEP).delete()
    return deleted


# -- the API's writes ----------------------------------------------------------------------


def _json(data):
    """The answer's data as the JSON a client received (dates as text, and so on)."""
    return json.loads(json.dumps(data, cls=JSONEncoder))


def _replay(found: IdempotencyKey) -> Response:
    response = Response(found.body, status=found.status)
    response[REPLAYED_HEADER] = "true"
    if found.location:
        response["Location"] = found.location
    return response


def idempotent(*, resource: str, new_id: str = "pk"):
    """For an API view's write method: one transaction for the work, the answer and the
    key (`saving`), and a replay of the stored answer when the key was already used.

    `resource` names the detail route of what the write made or changed: its URL is the
    answer's id (a new object) or the URL's `pk`, stored with the key and named in an
    `outcome_unknown` answer. Adds the header to the method's schema. A new object whose
    route nests under its parent's (`claims/{pk}/relations/{relation_id}/`) names the
    route's argument for the answer's id as `new_id`; the URL's arguments give the rest."""

    def decorate(handler):
        @wraps(handler)
        def wrapper(view, request, *args, **kwargs):
            key = clean_key(request.headers.get(HEADER))
            user = request.user
            with saving(request, key=key) as outcome:
                if kwargs.get("pk") is not None and new_id == "pk":
                    outcome.location = reverse(resource, kwargs={"pk": kwargs["pk"]})
                if key is not None:
                    digest = fingerprint(
                        method=request.method, path=request.path, data=request.data
                    )
                    found = claim_key(user=user, key=key, fingerprint=digest)
                    if found is not None:
                        return _replay(found)
                response = handler(view, request, *args, **kwargs)
                if not 200 <= response.status_code < 300:
                    return response
                body = _json(response.data)
                if isinstance(body, dict) and isinstance(body.get("id"), int):
                    route = {} if new_id == "pk" else dict(kwargs)
                    outcome.location = reverse(resource, kwargs={**route, new_id: body["id"]})
                if outcome.location and response.status_code == 201:
                    response["Location"] = outcome.location
                if key is not None:
                    record_key(
                        user=user,
                        key=key,
                        fingerprint=digest,
                        status=response.status_code,
                        body=body,
                        location=outcome.location,
                    )
            return response

        wrapper.follows_outcome = True
        return extend_schema(parameters=[PARAMETER])(wrapper)

    return decorate
