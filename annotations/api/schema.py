"""Pieces of the OpenAPI description shared by the views: the error contract and the
JSON-LD shapes of the W3C and schema.org answers."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True, help_text="The input field, dotted for nested ones (`actors.0.actor`)."
    )
    code = serializers.CharField()
    detail = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    """Every error answer: a stable `code`, a sentence, and the field errors."""

    code = serializers.CharField(
        help_text="Stable: `invalid`, `not_authenticated`, `permission_denied`, `not_found`, "
        "`stale_version`, `invalid_transition`, `self_review`, `anchor_mismatch`, "
        "`duplicate_article`, `invalid_merge`, `throttled`, …"
    )
    detail = serializers.CharField()
    errors = ErrorItemSerializer(many=True)


_DESCRIPTIONS = {
    400: "Invalid input; `errors` names each field.",
    401: "Not authenticated.",
    403: "Authenticated, but not allowed (`permission_denied`, `self_review`).",
    404: "No such object, or not visible to you (or no such page of a list).",
    406: "No acceptable representation for the `Accept` header.",
    409: "Conflict: `stale_version`, `invalid_transition`, `duplicate_article` or `last_manager`.",
    413: "Request body too large.",
    415: "Unsupported media type of the request body.",
    429: "Too many requests (`throttled`).",
}


def errors(*codes: int, authenticated: bool = True) -> dict[int, OpenApiResponse]:
    """Error answers in the common contract, plus 406 and 429 that every endpoint has and
    401 that every endpoint needing a login has."""
    wanted = sorted({406, 429, *codes} | ({401} if authenticated else set()))
    return {
        code: OpenApiResponse(response=ErrorSerializer, description=_DESCRIPTIONS[code])
        for code in wanted
    }


# --------------------------------------------------------------------------- JSON-LD shapes

_CONTEXT = {
    "description": "`http://www.w3.org/ns/anno.jsonld` plus an object defining Claimdesk terms.",
    "type": "array",
    "items": {"oneOf": [{"type": "string"}, {"type": "object", "additionalProperties": True}]},
}
_IRI = {"type": "string", "format": "uri"}

ANNOTATION_SCHEMA = {
    "type": "object",
    "description": "A claim as a W3C Web Annotation (see the export documentation).",
    "required": ["@context", "id", "type", "body", "target"],
    "properties": {
        "@context": _CONTEXT,
        "id": _IRI,
        "type": {"type": "string", "enum": ["Annotation"]},
        "motivation": {"type": "string"},
        "created": {"type": "string", "format": "date-time"},
        "modified": {"type": "string", "format": "date-time"},
        "creator": {"type": "object", "additionalProperties": True},
        "generator": {"type": "object", "additionalProperties": True},
        "body": {"type": "array", "items": {"type": "object", "additionalProperties": True}},
        "target": {"type": "object", "additionalProperties": True},
        "status": {"type": "string"},
        "version": {"type": "integer"},
        "anchorState": {"type": "string"},
        "project": {"type": "string", "description": "The slug of the claim's project."},
    },
    "additionalProperties": True,
}

_PAGE_ITEMS = {
    "type": "array",
    "items": {"oneOf": [_IRI, {"type": "object", "additionalProperties": True}]},
    "description": "Annotations, or only their IRIs when the client prefers "
    "`http://www.w3.org/ns/oa#PreferContainedIRIs`.",
}


def _ld_object(*, required: str, **properties: dict) -> dict:
    """A JSON-LD object with an `@context` and an `id`, open to further members; `required`
    names its required members after those two and `type`."""
    return {
        "type": "object",
        "required": ["@context", "id", "type", *required.split()],
        "properties": {"@context": _CONTEXT, "id": _IRI, **properties},
        "additionalProperties": True,
    }


ANNOTATION_PAGE_SCHEMA = _ld_object(
    required="items",
    type={"type": "string", "enum": ["AnnotationPage"]},
    partOf={"type": "object", "additionalProperties": True},
    startIndex={"type": "integer", "minimum": 0},
    next=_IRI,
    prev=_IRI,
    items=_PAGE_ITEMS,
)

ANNOTATION_COLLECTION_SCHEMA = _ld_object(
    required="total",
    type={"type": "array", "items": {"type": "string"}},
    label={"type": "string"},
    total={"type": "integer", "minimum": 0},
    modified={"type": "string", "format": "date-time"},
    first={
        "oneOf": [_IRI, {"type": "object", "additionalProperties": True}],
        "description": "The first page, embedded unless the client prefers a minimal container.",
    },
    last=_IRI,
)

CONTAINER_RESPONSE_SCHEMA = {"oneOf": [ANNOTATION_COLLECTION_SCHEMA, ANNOTATION_PAGE_SCHEMA]}
