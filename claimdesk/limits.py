"""How long each text a person types may be, stated once.

The models, the page forms and the API serializers read these numbers, and the services
refuse longer input with `check_lengths`, so every door refuses the same over-long text
with the same error (code `max_length`, the field named). Where the doors used to differ,
the larger value stayed, so that nothing accepted before is refused now.
"""

from __future__ import annotations

from claimdesk.errors import InvalidInput

NAME = 300  # actor, alias and source names, a source's publisher
ALIASES = 200  # aliases of one actor
STATEMENT = 5_000
CLAIM_NOTE = 10_000
LOCATOR = 500
SOURCE_LINK_NOTE = 2_000
REVIEW_COMMENT = 10_000
RATING_LABEL = 100
DESCRIPTION = 10_000  # an actor's description, a source's notes
# What a person may paste as a Wikidata id (an entity URL too); it is stored as `Q…`.
WIKIDATA_INPUT = 80


def check_lengths(**fields: tuple[str | None, int]) -> None:
    """Raise InvalidInput (code `max_length` at each field) when a value is longer than
    its limit: `check_lengths(statement=(statement, STATEMENT))`. None is not checked."""
    errors = [
        {
            "field": field,
            "code": "max_length",
            "detail": f"Ensure this field has no more than {limit} characters.",
        }
        for field, (value, limit) in fields.items()
        if value is not None and len(value) > limit
    ]
    if errors:
        raise InvalidInput(errors[0]["detail"], field=errors[0]["field"], errors=errors)
