"""Source services: adding and changing a source, with its URL stored normalised.

Every function is keyword-only and runs in one transaction. `user` is the person acting,
or None when the application itself acts (a management command). Beside each service,
the question a page asks before offering it: `can_add_source` (researchers, from the
claim form, and editors) and `can_change_source` (editors).

Errors are domain errors naming the field: `InvalidInput` (code `invalid`, or a more
precise code in its `errors`), `DuplicateEntry` (code `duplicate`, field `url`, with the
source that already has the address), `NotAllowed`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.models import Source
from claimdesk import characters, limits
from claimdesk.checks import may
from claimdesk.errors import DuplicateEntry, InvalidInput, NotAllowed
from projects import access
from projects.roles import IMPORTING_ROLES, ProjectRole

SOURCE_FIELDS = frozenset({"name", "kind", "url", "publisher", "notes"})

# Query parameters that only say how a reader arrived; they never pick the document.
TRACKING_PARAMETERS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid"})
TRACKING_PREFIXES = ("utm_",)
DEFAULT_PORTS = {"http": 80, "https": 443}

_WORD = re.compile(r"\w")


def check_create_source(*, user) -> None:
    """Raise NotAllowed unless `user` may add sources (researchers and editors)."""
    if not access.holds(user, None, *IMPORTING_ROLES):
        raise NotAllowed("Only researchers and editors can add sources.")


def check_update_source(*, user) -> None:
    """Raise NotAllowed unless `user` may change sources (editors)."""
    if not access.holds(user, None, ProjectRole.EDITOR):
        raise NotAllowed("Only editors can change sources.")


def can_add_source(user) -> bool:
    return may(check_create_source, user=user)


def can_change_source(user) -> bool:
    return may(check_update_source, user=user)


def _clean_name(name: Any) -> str:
    """The name trimmed, NFC-normalised, with single spaces; it must say something."""
    if not isinstance(name, str):
        raise InvalidInput.for_field("A name is text.", field="name")
    name = " ".join(unicodedata.normalize("NFC", name).split())
    if not name:
        raise InvalidInput.for_field("Give a name.", field="name", code="required")
    # Accents decomposed, as search folds them: what is left must hold a letter or digit.
    if not _WORD.search(unicodedata.normalize("NFKD", name)):
        raise InvalidInput.for_field("A name needs at least one letter or digit.", field="name")
    return name


def normalise_url(url: str) -> str:
    """The canonical form under which a source's URL is stored and compared.

    Lower-cases the scheme and host, drops the default port, the fragment, tracking
    parameters (`utm_*`, `fbclid`, `gclid`, ...) and a trailing slash when nothing
    follows the path; keeps the other parameters, sorted. A URL without a scheme is
    taken as https. Raises InvalidInput (field `url`) for what cannot be a web address.
    """
    url = (url or "").strip()
    if not url:
        return ""
    if "://" not in url:
        url = "https://" + url.lstrip("/")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidInput.for_field(f"This is not a web address: {exc}.", field="url") from None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise InvalidInput.for_field("A web address needs a host name.", field="url")
    if ":" in host:
        host = f"[{host}]"
    netloc = host
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{port}"
    if parts.username is not None:
        userinfo = parts.username
        if parts.password is not None:
            userinfo += f":{parts.password}"
        netloc = f"{userinfo}@{netloc}"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMETERS and not key.lower().startswith(TRACKING_PREFIXES)
    )
    path = parts.path
    if not query:
        path = path.rstrip("/")
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def _check_url_free(source: Source) -> None:
    if not source.url:
        return
    other = Source.objects.filter(url=source.url).exclude(pk=source.pk).first()
    if other is not None:
        raise DuplicateEntry(
            f"This URL is already the source {other.name} (id {other.pk}).",
            field="url",
            existing=other,
        )


def _save_source(source: Source) -> None:
    characters.check_instance(source)
    source.name = _clean_name(source.name)
    source.publisher = " ".join((source.publisher or "").split())
    source.notes = (source.notes or "").strip()
    source.url = normalise_url(source.url)
    limits.check_lengths(notes=(source.notes, limits.DESCRIPTION))
    _check_url_free(source)
    try:
        source.full_clean()
    except ValidationError as exc:
        raise InvalidInput.from_validation_error(exc) from exc
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError:
        _check_url_free(source)
        raise


@transaction.atomic
def source_create(
    *, user, name: str, kind: str, url: str = "", publisher: str = "", notes: str = ""
) -> Source:
    """Add a source. Researchers and editors may.

    The URL is stored normalised (`normalise_url`). Raises NotAllowed, InvalidInput,
    DuplicateEntry (field `url`) when a source already has the normalised URL.
    """
    if user is not None:
        check_create_source(user=user)
    source = Source(name=name, kind=kind, url=url, publisher=publisher, notes=notes)
    _save_source(source)
    return source


@transaction.atomic
def source_update(*, user, source_id: int, **fields: Any) -> Source:
    """Change a source: any of name, kind, url, publisher, notes. Editors only.

    Locks the source row. Raises NotAllowed, InvalidInput, DuplicateEntry (field `url`);
    TypeError for unknown fields.
    """
    unknown = sorted(set(fields) - SOURCE_FIELDS)
    if unknown:
        raise TypeError(f"unexpected field(s): {', '.join(unknown)}")
    if user is not None:
        check_update_source(user=user)
    source = Source.objects.select_for_update().filter(pk=source_id).first()
    if source is None:
        raise InvalidInput.for_field(
            f"There is no source with id {source_id}.", field="source", code="does_not_exist"
        )
    for name, value in fields.items():
        setattr(source, name, value)
    _save_source(source)
    return source
