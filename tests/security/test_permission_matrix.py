"""Who may do what: every URL, every role, every method, against a table.

The URLs are read from the URL configuration, so a new URL without a row in `TABLE`
fails `test_every_url_has_a_row`, and a row whose URL is gone fails too. Each row names
the object that fills the URL's arguments (`claim_detail[draft]` is the author's draft)
and the answer expected from each role, in the order of `ROLES`:

    anon  author  researcher  reviewer  editor  manager  superuser  other  none

Every object a row names belongs to the world's desk (Main desk), except the shared
registry's actors and sources. The columns:

- `anon`: not logged in.
- `author`, `researcher`, `reviewer`, `editor`, `manager`: members of the world's desk.
  `author` is the researcher who owns the claims; `researcher` is another researcher
  (same role, not the author); `manager` holds no role but manager, so reads
  everything there and manages the members, and nothing more.
- `superuser`: a member of every desk with every role; owns one submitted claim
  (`[own]`) so that four eyes are tried on them too.
- `other`: holds every role in a second desk and every global group, but is no member
  of the world's desk. Whatever the world's desk holds (articles, revisions, claims,
  reviews, the project itself) is "not found" for them, exactly as an id never used;
  the shared registry answers them as the editor they are. Where a write's payload
  names a desk's object without the URL naming one (creating a claim or an article),
  theirs names their own desk (`OTHER_DESK_PAYLOADS`), so that a refusal there would
  show.
- `none`: logged in, member of no project: the world's desk is "not found" as for
  `other`, lists answer empty, and the registry is read-only.

Lists answer 200 to everyone logged in; that `other` and `none` find none of the
world's rows in them is asserted by `test_lists_keep_to_the_users_desks`.

Words: a status code, `login` (redirect to the login page), `admin-login` (redirect to
the admin's login), `staff` (anything but a login redirect or a server error). A method
a row leaves out is refused: 405 for a logged-in user and the login redirect (pages) or
401 (API) for anonymous users, unless the row's `*` says otherwise; it is tried as
anonymous and as the superuser. Write payloads are valid, so an allowed write shows as
success, not as a validation error that could hide a missing check. Every request runs
in a savepoint that is rolled back, so the rows do not disturb each other.
"""

from __future__ import annotations

import json

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from annotations.models import Claim
from tests.security.matrix import METHODS, Answer, clients_for, request
from tests.security.urlmap import Route, walk
from tests.security.world import (
    DENIAL,
    OTHER_QUOTE,
    PASSWORD,
    QUOTE,
    ROLES,
    World,
    build_world,
)

# -- which object fills a URL's arguments -------------------------------------------------


def _claim(attribute: str):
    def kwargs(world: World) -> dict:
        claim = getattr(world, attribute)
        return {"claim_id": claim.pk, "pk": claim.pk}

    return kwargs


def _notice(w: World):
    """A notification of the author about their submitted claim."""
    from worklist.models import Notification, NotificationKind

    claim = w.submitted
    return Notification.objects.get_or_create(
        recipient=w.users["author"], claim=claim, kind=NotificationKind.DECISION
    )[0]


def _suggestion(w: World) -> dict:
    """A suggestion stored, fresh, for the world's article (the engine is not asked)."""
    from annotations.suggesting import Span, Suggestion
    from tests.suggestions.helpers import store

    text = w.article.revisions.order_by("-number").first().text
    start = text.index("Edi Rama")
    suggestion = Suggestion(
        content=(Span(start, start + len("Edi Rama")),),
        cue=None,
        source=None,
        claimant_id=w.actor.pk,
        claimant_text="",
        certainty="asserted",
        actors=(),
        confidence=0.5,
    )
    store(w.article, [suggestion])
    return {"pk": w.article.pk, "key": suggestion.key(text)}


def _job(w: World) -> dict:
    from suggestions.models import Job, JobKind

    job = Job.objects.filter(project=w.project).first() or Job.objects.create(
        kind=JobKind.PROJECT, project=w.project
    )
    return {"pk": job.pk, "job_id": job.pk}


TARGETS = {
    "": lambda w: {},
    "suggestion": _suggestion,
    "job": _job,
    "article": lambda w: {"article_id": w.article.pk, "pk": w.article.pk, "number": 1},
    "draft": _claim("draft"),
    "submitted": _claim("submitted"),
    "own": _claim("superuser_submitted"),
    "orphaned": _claim("orphaned"),
    "relation": lambda w: {
        "pk": w.draft.pk,
        "claim_id": w.draft.pk,
        "relation_id": w.relation.pk,
    },
    "actor": lambda w: {"pk": w.actor.pk},
    "other_actor": lambda w: {"pk": w.other_actor.pk},
    "source": lambda w: {"pk": w.source.pk},
    "token": lambda w: {"pk": w.token.pk},
    "notice": lambda w: {"notification_id": _notice(w).pk},
    "project": lambda w: {
        "pk": w.article.project_id,
        "slug": w.article.project.slug,
        "membership_id": w.article.project.memberships.get(user=w.users["reviewer"]).pk,
    },
}


# -- valid payloads for the writes ---------------------------------------------------------


def _new_claim(w: World) -> dict:
    revision = w.article.revisions.order_by("-number").first()
    start = revision.text.index("Edi Rama")
    return {
        "revision": revision.pk,
        "start": start,
        "end": start + len("Edi Rama"),
        "exact": "Edi Rama",
        "statement": "Rama spoke.",
        "claimant": w.actor.pk,
        "certainty": "asserted",
    }


def _api_new_claim(w: World) -> dict:
    data = _new_claim(w)
    data.pop("revision")
    return {**data, "article": w.article.pk}


def _api_new_other_claim(w: World) -> dict:
    text = w.other_article.revisions.order_by("-number").first().text
    start = text.index("opposition")
    return {
        "article": w.other_article.pk,
        "start": start,
        "end": start + len("opposition"),
        "exact": "opposition",
        "statement": "The opposition spoke.",
        "claimant": w.actor.pk,
        "certainty": "asserted",
    }


def _decision(claim_attribute: str):
    def payload(w: World) -> dict:
        claim = getattr(w, claim_attribute)
        return {
            "version": claim.version,
            "decision": "approve",
            "quote_checked": "on",
            "claimant_checked": "on",
            "sources_checked": "on",
        }

    return payload


def _api_decision(claim_attribute: str):
    def payload(w: World) -> dict:
        return {"version": getattr(w, claim_attribute).version, "decision": "approve"}

    return payload


def _version(claim_attribute: str):
    return lambda w: {"version": getattr(w, claim_attribute).version}


def _orphan_reattach(w: World) -> dict:
    return {"version": w.orphaned.version, "start": 0, "end": 9, "exact": "Something"}


PAYLOADS = {
    # pages
    ("login", "POST"): lambda w: {"username": "sec-author", "password": "wrong"},
    ("article_import", "POST"): lambda w: {"title": "Imported", "text": "A text to import."},
    ("claim_create[article]", "POST"): _new_claim,
    ("claim_edit[draft]", "POST"): lambda w: w.claim_kwargs(w.draft),
    ("claim_edit[submitted]", "POST"): lambda w: w.claim_kwargs(w.submitted),
    ("claim_submit[draft]", "POST"): _version("draft"),
    ("claim_delete[draft]", "POST"): _version("draft"),
    ("claim_publish[submitted]", "POST"): lambda w: {
        "version": w.submitted.version,
        "explanation": "Why.",
    },
    ("claim_unpublish[submitted]", "POST"): lambda w: {
        "version": w.submitted.version,
        "reason": "Why.",
    },
    ("v1:claim-publish[submitted]", "POST"): lambda w: {
        "version": w.submitted.version,
        "explanation": "Why.",
    },
    ("v1:claim-unpublish[submitted]", "POST"): lambda w: {
        "version": w.submitted.version,
        "reason": "Why.",
    },
    ("claim_relation_add[draft]", "POST"): lambda w: {
        "kind": "supports",
        "to_claim": w.superuser_submitted.pk,
        "version": w.draft.version,
    },
    ("claim_relation_remove[relation]", "POST"): _version("draft"),
    ("review_decide[draft]", "POST"): _decision("draft"),
    ("review_decide[submitted]", "POST"): _decision("submitted"),
    ("review_decide[own]", "POST"): _decision("superuser_submitted"),
    ("actor_create", "POST"): lambda w: {"name": "New actor", "kind": "person"},
    ("actor_edit[actor]", "POST"): lambda w: {"name": "Edi Rama", "kind": "person"},
    ("actor_merge[actor]", "POST"): lambda w: {"into": w.other_actor.pk, "confirm": "on"},
    ("source_create", "POST"): lambda w: {"name": "New source", "kind": "outlet"},
    ("source_edit[source]", "POST"): lambda w: {"name": "Renamed", "kind": "outlet"},
    ("article_edit[article]", "POST"): lambda w: {
        "text": w.article.text + "\n\nA new paragraph.",
        "note": "More",
        "base_revision": 1,
    },
    ("claim_reattach[orphaned]", "POST"): _orphan_reattach,
    ("project_member_set[project]", "POST"): lambda w: {
        "username": "sec-reviewer",
        "roles": ["reviewer"],
    },
    ("project_settings[project]", "POST"): lambda w: {
        "name": "Main desk",
        "description": "",
        "guidelines": "",
        "required_approvals": 1,
    },
    # API
    ("v1:project-list", "POST"): lambda w: {"name": "New desk", "slug": "new-desk"},
    ("v1:claim-relations[draft]", "POST"): lambda w: {
        "kind": "supports",
        "to_claim": w.superuser_submitted.pk,
    },
    ("v1:claim-relations[submitted]", "POST"): lambda w: {
        "kind": "supports",
        "to_claim": w.superuser_submitted.pk,
    },
    ("v1:project-member-list[project]", "POST"): lambda w: {
        "username": "sec-reviewer",
        "roles": ["reviewer"],
    },
    ("v1:auth-token", "POST"): lambda w: {"username": "sec-author", "password": PASSWORD},
    ("api_tokens", "POST"): lambda w: {"name": "A script"},
    ("v1:source-list", "POST"): lambda w: {"name": "API source", "kind": "outlet"},
    ("v1:source-detail[source]", "PATCH"): lambda w: {"name": "Renamed"},
    ("v1:actor-list", "POST"): lambda w: {"name": "API actor", "kind": "person"},
    ("v1:actor-detail[actor]", "PATCH"): lambda w: {"description": "Prime minister"},
    ("v1:actor-merge[actor]", "POST"): lambda w: {"into": w.other_actor.pk},
    # The superuser may add articles to both desks, so the payload names one.
    ("v1:article-list", "POST"): lambda w: {
        "title": "API article",
        "text": "Fresh text.",
        "project": w.project.pk,
    },
    ("v1:article-detail[article]", "PATCH"): lambda w: {"text": w.article.text + "\n\nMore."},
    ("v1:claim-list", "POST"): _api_new_claim,
    ("v1:claim-detail[draft]", "PATCH"): lambda w: {"version": w.draft.version, "statement": "E"},
    ("v1:claim-detail[submitted]", "PATCH"): lambda w: {
        "version": w.submitted.version,
        "statement": "E",
    },
    ("v1:claim-submit[draft]", "POST"): _version("draft"),
    ("v1:claim-review[draft]", "POST"): _api_decision("draft"),
    ("v1:claim-review[submitted]", "POST"): _api_decision("submitted"),
    ("v1:claim-review[own]", "POST"): _api_decision("superuser_submitted"),
}
# The `other` user's payloads where the URL names no desk's object but the payload does:
# theirs names their own desk, where they hold every role.
OTHER_DESK_PAYLOADS = {
    ("v1:article-list", "POST"): lambda w: {
        "title": "API article",
        "text": "Fresh text.",
        "project": w.other_project.pk,
    },
    ("v1:claim-list", "POST"): _api_new_other_claim,
}
QUERIES = {
    ("actor_suggest", "GET"): lambda w: {"q": "Rama"},
    ("claim_pick", "GET"): lambda w: {"article": w.article.pk, "q": "Rama"},
    ("story_graph", "GET"): lambda w: {"article": w.article.pk, "all": "1"},
    ("v1:claim-detail[draft]", "DELETE"): _version("draft"),
    ("v1:claim-detail[submitted]", "DELETE"): _version("submitted"),
    ("v1:export-claims", "GET"): lambda w: {"format": "jsonl"},
}


# -- the table -----------------------------------------------------------------------------
# Columns: anon author researcher reviewer editor manager superuser other none

ALL_405 = " ".join(["405"] * len(ROLES))
ALL_404 = " ".join(["404"] * len(ROLES))

TABLE: dict[str, dict[str, str]] = {
    # -- API: schema and docs are public; the token endpoint takes no session ------------
    "api-schema": {"GET": "200 200 200 200 200 200 200 200 200", "*": ALL_405},
    "api-docs": {"GET": "200 200 200 200 200 200 200 200 200", "*": ALL_405},
    "v1:auth-token": {"GET": ALL_405, "POST": "200 200 200 200 200 200 200 200 200", "*": ALL_405},
    # Everyone lists and revokes their own tokens; someone else's token is a 404.
    "v1:auth-token-list": {"GET": "401 200 200 200 200 200 200 200 200"},
    "v1:auth-token-detail[token]": {
        "GET": "401 405 405 405 405 405 405 405 405",
        "DELETE": "401 204 404 404 404 404 404 404 404",
    },
    # -- API: registry (shared by every desk: `other` is an editor, `none` only reads) ---
    "v1:source-list": {
        "GET": "401 200 200 200 200 200 200 200 200",
        "POST": "401 201 201 403 201 403 201 201 403",
    },
    "v1:source-detail[source]": {
        "GET": "401 200 200 200 200 200 200 200 200",
        "PATCH": "401 403 403 403 200 403 200 200 403",
    },
    "v1:actor-list": {
        "GET": "401 200 200 200 200 200 200 200 200",
        "POST": "401 201 201 403 201 403 201 201 403",
    },
    "v1:actor-detail[actor]": {
        "GET": "401 200 200 200 200 200 200 200 200",
        "PATCH": "401 403 403 403 200 403 200 200 403",
    },
    "v1:actor-merge[actor]": {
        "GET": "401 405 405 405 405 405 405 405 405",
        "POST": "401 403 403 403 200 403 200 200 403",
    },
    # -- API: articles -------------------------------------------------------------------
    "v1:article-list": {
        "GET": "401 200 200 200 200 200 200 200 200",
        "POST": "401 201 201 403 201 403 201 201 403",
    },
    # Another desk's article is not found, whatever the user may do elsewhere or not:
    # `none`, who revises no article anywhere, included.
    "v1:article-detail[article]": {
        "GET": "401 200 200 200 200 200 200 404 404",
        "PATCH": "401 200 200 403 200 403 200 404 404",
    },
    "v1:article-revision-list[article]": {"GET": "401 200 200 200 200 200 200 404 404"},
    "v1:article-revision-detail[article]": {"GET": "401 200 200 200 200 200 200 404 404"},
    # -- API: claims (drafts are the author's own: 404 for everyone else) ----------------
    "v1:claim-list": {
        "GET": "401 200 200 200 200 200 200 200 200",
        "POST": "401 201 201 403 403 403 201 201 403",
    },
    "v1:claim-detail[draft]": {
        "GET": "401 200 404 404 404 404 200 404 404",
        "PATCH": "401 200 404 404 404 404 403 404 404",
        "DELETE": "401 204 404 404 404 404 403 404 404",
    },
    "v1:claim-detail[submitted]": {
        "GET": "401 200 200 200 200 200 200 404 404",
        "PATCH": "401 409 403 403 403 403 403 404 404",
        "DELETE": "401 409 403 403 403 403 403 404 404",
    },
    "v1:claim-submit[draft]": {
        "GET": "401 405 405 405 405 405 405 405 405",
        "POST": "401 200 404 404 404 404 403 404 404",
    },
    # Four eyes: nobody reviews their own claim, the superuser included.
    "v1:claim-review[draft]": {
        "GET": "401 405 405 405 405 405 405 405 405",
        "POST": "401 403 404 404 404 404 409 404 404",
    },
    "v1:claim-review[submitted]": {
        "GET": "401 405 405 405 405 405 405 405 405",
        "POST": "401 403 403 200 403 403 200 404 404",
    },
    "v1:claim-review[own]": {
        "GET": "401 405 405 405 405 405 405 405 405",
        "POST": "401 403 403 200 403 403 403 404 404",
    },
    # The audit trail has no write method at all.
    "v1:claim-events[draft]": {"GET": "401 200 404 404 404 404 200 404 404"},
    "v1:claim-events[submitted]": {"GET": "401 200 200 200 200 200 200 404 404"},
    # A relation is added and removed as an edit of the claim it starts from.
    "v1:claim-relations[draft]": {
        "GET": "401 200 404 404 404 404 200 404 404",
        "POST": "401 201 404 404 404 404 403 404 404",
    },
    "v1:claim-relations[submitted]": {
        "GET": "401 200 200 200 200 200 200 404 404",
        "POST": "401 409 403 403 403 403 403 404 404",
    },
    "v1:claim-relation-detail[relation]": {
        "GET": "401 200 404 404 404 404 200 404 404",
        "DELETE": "401 204 404 404 404 404 403 404 404",
    },
    "v1:annotation-list": {"GET": "401 200 200 200 200 200 200 200 200"},
    # Anyone may ask for an annotation (a published review is public): an unpublished
    # claim still asks an anonymous client to log in, and other methods are 405 for all.
    "v1:annotation-detail[draft]": {"GET": "401 200 404 404 404 404 200 404 404", "*": ALL_405},
    "v1:annotation-detail[submitted]": {
        "GET": "401 200 200 200 200 200 200 404 404",
        "*": ALL_405,
    },
    "v1:export-claims": {"GET": "401 200 200 200 200 200 200 200 200"},
    # -- API: projects (members of the world's desk read it, its managers change it) -----
    "v1:project-list": {
        "GET": "401 200 200 200 200 200 200 200 200",
        "POST": "401 403 403 403 403 403 201 403 403",
    },
    "v1:project-detail[project]": {"GET": "401 200 200 200 200 200 200 404 404"},
    # The desk's own annotation container: its members only.
    # (A desk that has published answers everyone else with its published reviews.)
    "v1:project-annotation-list[project]": {
        "GET": "401 200 200 200 200 200 200 404 404",
        "*": ALL_405,
    },
    # Publishing: the desk's editors and managers, never the author; the world's claim
    # is not approved, so those who may are refused by its status (409, a message).
    "v1:claim-publish[submitted]": {
        "GET": "401 405 405 405 405 405 405 405 405",
        "POST": "401 403 403 403 409 409 409 404 404",
    },
    "v1:claim-unpublish[submitted]": {
        "GET": "401 405 405 405 405 405 405 405 405",
        "POST": "401 403 403 403 409 409 409 404 404",
    },
    "claim_publish[submitted]": {
        "GET": "login 405 405 405 405 405 405 405 405",
        "POST": "login 403 403 403 302 302 302 404 404",
    },
    "claim_unpublish[submitted]": {
        "GET": "login 405 405 405 405 405 405 405 405",
        "POST": "login 403 403 403 302 302 302 404 404",
    },
    # The public pages: nothing of the world's desk is published, so nothing is found,
    # for anyone; they only read.
    "public_review[submitted]": {"GET": ALL_404, "*": ALL_405},
    "public_desk[project]": {"GET": ALL_404, "*": ALL_405},
    "public_feed_jsonld[project]": {"GET": ALL_404, "*": ALL_405},
    "public_feed_atom[project]": {"GET": ALL_404, "*": ALL_405},
    "v1:project-member-list[project]": {
        "GET": "401 200 200 200 200 200 200 404 404",
        "POST": "401 403 403 403 403 200 200 404 404",
    },
    "v1:project-member-detail[project]": {
        "GET": "401 405 405 405 405 405 405 405 405",
        "DELETE": "401 403 403 403 403 204 204 404 404",
    },
    # -- pages: logging in and out -------------------------------------------------------
    "login": {
        "GET": "200 302 302 302 302 302 302 302 302",
        "POST": "200 302 302 302 302 302 302 302 302",
        "*": "405 302 302 302 302 302 302 302 302",
    },
    "logout": {
        "GET": ALL_405,
        "POST": "login login login login login login login login login",
        "*": ALL_405,
    },
    "api_tokens": {
        "GET": "login 200 200 200 200 200 200 200 200",
        "POST": "login 200 200 200 200 200 200 200 200",
    },
    "api_token_revoke[token]": {
        "GET": "login 405 405 405 405 405 405 405 405",
        "POST": "login 302 404 404 404 404 404 404 404",
    },
    # -- pages: articles -----------------------------------------------------------------
    "article_list": {"GET": "login 200 200 200 200 200 200 200 200"},
    "article_reader[article]": {"GET": "login 200 200 200 200 200 200 404 404"},
    "article_claim_list[article]": {"GET": "login 200 200 200 200 200 200 404 404"},
    "article_import": {
        "GET": "login 200 200 403 200 403 200 200 403",
        "POST": "login 200 200 403 200 403 200 200 403",
    },
    "article_edit[article]": {
        "GET": "login 200 200 403 200 403 200 404 404",
        "POST": "login 302 302 403 302 403 302 404 404",
    },
    "article_revisions[article]": {"GET": "login 200 200 200 200 200 200 404 404"},
    "revision_diff[article]": {"GET": "login 200 200 200 200 200 200 404 404"},
    # -- pages: claims -------------------------------------------------------------------
    "claim_create[article]": {
        "GET": "login 405 405 405 405 405 405 405 405",
        "POST": "login 302 302 403 403 403 302 404 404",
    },
    "claim_detail[draft]": {"GET": "login 200 404 404 404 404 200 404 404"},
    "claim_detail[submitted]": {"GET": "login 200 200 200 200 200 200 404 404"},
    "claim_edit[draft]": {
        "GET": "login 200 404 404 404 404 403 404 404",
        "POST": "login 302 404 404 404 404 403 404 404",
    },
    "claim_edit[submitted]": {
        "GET": "login 403 403 403 403 403 403 404 404",
        "POST": "login 403 403 403 403 403 403 404 404",
    },
    "claim_submit[draft]": {
        "GET": "login 405 405 405 405 405 405 405 405",
        "POST": "login 302 404 404 404 404 403 404 404",
    },
    "claim_delete[draft]": {
        "GET": "login 405 405 405 405 405 405 405 405",
        "POST": "login 302 404 404 404 404 403 404 404",
    },
    # A relation is added and removed from the claim page as an edit of its claim.
    "claim_relation_add[draft]": {
        "GET": "login 405 405 405 405 405 405 405 405",
        "POST": "login 302 404 404 404 404 403 404 404",
    },
    "claim_relation_remove[relation]": {
        "GET": "login 405 405 405 405 405 405 405 405",
        "POST": "login 302 404 404 404 404 403 404 404",
    },
    # The claim picker searches the article's desk: another desk's article is not found.
    "claim_pick": {"GET": "401 200 200 200 200 200 200 404 404", "*": ALL_405},
    # The story graph of an article: its desk's members only.
    "story_graph": {"GET": "login 200 200 200 200 200 200 404 404"},
    "orphaned_claims": {"GET": "login 200 200 200 200 200 200 200 200"},
    "claim_reattach[draft]": {
        "GET": "login 200 404 404 404 404 200 404 404",
        "POST": "login 200 404 404 404 404 200 404 404",
    },
    "claim_reattach[orphaned]": {
        "GET": "login 200 403 403 200 403 200 404 404",
        "POST": "login 302 403 403 302 403 302 404 404",
    },
    # -- pages: review -------------------------------------------------------------------
    # The queue lists the claims of the desks where the user reviews: `other` has one.
    "review_queue": {"GET": "login 403 403 200 403 403 200 200 403"},
    # A member of the claim's desk who does not review is refused; for a user outside it
    # the claim is not found, whether they review elsewhere (`other`) or nowhere (`none`).
    "review_decide[draft]": {
        "GET": "login 405 405 405 405 405 405 405 405",
        "POST": "login 403 404 404 404 404 302 404 404",
    },
    "review_decide[submitted]": {
        "GET": "login 405 405 405 405 405 405 405 405",
        "POST": "login 403 403 302 403 403 302 404 404",
    },
    "review_decide[own]": {
        "GET": "login 405 405 405 405 405 405 405 405",
        "POST": "login 403 403 302 403 403 403 404 404",
    },
    # -- pages: projects ---------------------------------------------------------------
    "project_list": {"GET": "login 200 200 200 200 200 200 200 200"},
    "project_detail[project]": {"GET": "login 200 200 200 200 200 200 404 404"},
    "project_member_set[project]": {
        "GET": "login 405 405 405 405 405 405 405 405",
        "POST": "login 403 403 403 403 302 302 404 404",
    },
    "project_member_remove[project]": {
        "GET": "login 405 405 405 405 405 405 405 405",
        "POST": "login 403 403 403 403 302 302 404 404",
    },
    "project_settings[project]": {
        "GET": "login 403 403 403 403 200 200 404 404",
        "POST": "login 403 403 403 403 302 302 404 404",
    },
    "v1:api-root": {"GET": "401 200 200 200 200 200 200 200 200"},
    # -- suggestions: for those who create claims; counts and jobs for managers, editors --
    "v1:article-suggestions[article]": {"GET": "401 200 200 403 403 403 200 404 404"},
    "v1:article-suggestion-dismiss[suggestion]": {
        "GET": "401 405 405 405 405 405 405 405 405",
        "POST": "401 200 200 403 403 403 200 404 404",
    },
    "v1:project-suggestions[project]": {"GET": "401 403 403 403 200 200 200 404 404"},
    "v1:project-suggestion-jobs[project]": {
        "GET": "401 405 405 405 405 405 405 405 405",
        "POST": "401 403 403 403 403 202 202 404 404",
    },
    "v1:job-detail[job]": {"GET": "401 403 403 403 200 200 200 404 404"},
    "suggestion_project_job[project]": {
        "GET": "login 405 405 405 405 405 405 405 405",
        "POST": "login 403 403 403 403 302 302 404 404",
    },
    "suggestion_job[job]": {"GET": "login 403 403 403 200 200 200 404 404"},
    "suggestion_job_progress[job]": {"GET": "login 403 403 403 200 200 200 404 404"},
    # -- pages: search, the claims page, My work, export -----------------------------------
    "search": {"GET": "login 200 200 200 200 200 200 200 200"},
    "claim_index": {"GET": "login 200 200 200 200 200 200 200 200"},
    "export_page": {"GET": "login 200 200 200 200 200 200 200 200"},
    "my_work": {"GET": "login 200 200 200 200 200 200 200 200"},
    # A notification is its recipient's only: anyone else's answer is "not found".
    "notification_read[notice]": {
        "GET": "login 405 405 405 405 405 405 405 405",
        "POST": "login 302 404 404 404 404 404 404 404",
    },
    "notifications_read_all": {
        "GET": "login 405 405 405 405 405 405 405 405",
        "POST": "login 302 302 302 302 302 302 302 302",
    },
    # -- pages: registry -----------------------------------------------------------------
    "actor_list": {"GET": "login 200 200 200 200 200 200 200 200"},
    "actor_create": {
        "GET": "login 200 200 403 200 403 200 200 403",
        "POST": "login 302 302 403 302 403 302 302 403",
    },
    "actor_duplicates": {"GET": "login 403 403 403 200 403 200 200 403"},
    "actor_suggest": {"GET": "401 200 200 200 200 200 200 200 200", "*": ALL_405},
    "actor_detail[actor]": {"GET": "login 200 200 200 200 200 200 200 200"},
    "actor_edit[actor]": {
        "GET": "login 403 403 403 200 403 200 200 403",
        "POST": "login 403 403 403 302 403 302 302 403",
    },
    "actor_merge[actor]": {
        "GET": "login 403 403 403 200 403 200 200 403",
        "POST": "login 403 403 403 302 403 302 302 403",
    },
    "source_list": {"GET": "login 200 200 200 200 200 200 200 200"},
    "source_create": {
        "GET": "login 200 200 403 200 403 200 200 403",
        "POST": "login 302 302 403 302 403 302 302 403",
    },
    "source_detail[source]": {"GET": "login 200 200 200 200 200 200 200 200"},
    "source_edit[source]": {
        "GET": "login 403 403 403 200 403 200 200 403",
        "POST": "login 403 403 403 302 403 302 302 403",
    },
}


# -- running it ----------------------------------------------------------------------------

# A method a row leaves out is tried by these roles only: anonymous users (no login check
# may be missing) and the superuser (no method may be open to the most powerful user).
UNLISTED_ROLES = ("anon", "superuser")


def page_routes() -> list[Route]:
    return [route for route in walk() if not route.is_admin]


def admin_routes() -> list[Route]:
    return [route for route in walk() if route.is_admin]


def split_key(key: str) -> tuple[str, str]:
    name, _, target = key.partition("[")
    return name, target.rstrip("]")


def expected(route: Route, key: str, method: str) -> tuple[tuple[str, ...], list[str]]:
    """The roles that try `method` on the row's URL, and what each should get."""
    row = TABLE[key]
    assert "GET" in row, f"{key}: the row must say what GET answers"
    listed = method in row
    if listed:
        words = row[method].split()
    elif "*" in row:
        words = row["*"].split()
    else:
        anon = "401" if route.is_api else "login"
        words = [anon] + ["405"] * (len(ROLES) - 1)
    assert len(words) == len(ROLES), f"{key} {method}: {len(words)} answers for {len(ROLES)} roles"
    if listed:
        return ROLES, words
    return UNLISTED_ROLES, [words[ROLES.index(role)] for role in UNLISTED_ROLES]


def url_for(route: Route, target: str, world: World) -> str:
    kwargs = TARGETS[target](world)
    return reverse(route.name, kwargs={name: kwargs[name] for name in route.arguments})


def observe(world: World, clients, route: Route, key: str, method: str, roles) -> list[Answer]:
    url = url_for(route, split_key(key)[1], world)
    query = QUERIES.get((key, method))
    answers = []
    for role in roles:
        payload = PAYLOADS.get((key, method))
        if role == "other":
            payload = OTHER_DESK_PAYLOADS.get((key, method), payload)
        answers.append(
            request(
                clients[role],
                method,
                url,
                data=payload(world) if payload else None,
                api=route.is_api,
                query=query(world) if query else None,
            )
        )
    return answers


def test_every_url_has_a_row():
    names = {route.name for route in page_routes()}
    keyed = {split_key(key)[0] for key in TABLE}
    missing = sorted(names - keyed)
    assert not missing, f"new URL without a row in TABLE: {missing}"
    stale = sorted(keyed - names)
    assert not stale, f"rows for URLs that no longer exist: {stale}"
    assert {split_key(key)[1] for key in TABLE} <= set(TARGETS)
    payloads = [*PAYLOADS, *OTHER_DESK_PAYLOADS, *QUERIES]
    assert {key for key, _ in payloads} <= set(TABLE), "payload without a row"


def test_every_page_and_api_url_is_named():
    unnamed = [route.route for route in page_routes() if route.name.startswith("<")]
    assert not unnamed, f"give these URLs a name (and a row): {unnamed}"


@pytest.mark.django_db
def test_permission_matrix(quiet_request_log):
    world = build_world()
    clients = clients_for(world.users)
    routes = {route.name: route for route in page_routes()}
    mismatches = []
    for key in TABLE:
        route = routes[split_key(key)[0]]
        for method in METHODS:
            roles, want = expected(route, key, method)
            got = observe(world, clients, route, key, method, roles)
            if [answer.word for answer in got] != want:
                details = "; ".join(
                    f"{role}: {answer.detail}"
                    for role, answer in zip(roles, got, strict=True)
                    if answer.detail
                )
                mismatches.append(
                    f"{key} {method} ({' '.join(roles)}): expected {' '.join(want)}, "
                    f"got {' '.join(a.word for a in got)}" + (f" ({details})" if details else "")
                )
    assert not mismatches, "\n".join(mismatches)
    # The rows ran against the objects they name, and changed nothing.
    assert Claim.objects.filter(
        pk=world.draft.pk, exact=QUOTE, version=world.draft.version
    ).exists()


# -- lists: 200 to everyone, but only of the user's desks -----------------------------------
# (row, query, whether `other` finds their own desk's rows there). Each list is read with
# the world's desk named too (`?project=` its slug on the pages, its id on the API):
# naming a desk one is not a member of must not open it.

LISTS = (
    ("article_list", {}, True),
    ("article_list", {"q": "Albania"}, False),
    ("orphaned_claims", {}, False),
    ("search", {"q": "Albania"}, False),
    ("claim_index", {}, True),
    ("my_work", {}, True),
    ("review_queue", {}, False),  # `other` wrote their desk's only claim
    ("project_list", {}, True),
    ("actor_detail[actor]", {}, True),
    ("actor_detail[other_actor]", {}, False),
    ("source_detail[source]", {}, True),
    ("v1:article-list", {}, True),
    ("v1:claim-list", {"status": ["draft", "submitted"]}, True),
    ("v1:annotation-list", {"status": ["draft", "submitted"]}, True),
    ("v1:export-claims", {"format": "jsonl", "status": ["draft", "submitted"]}, True),
    ("v1:project-list", {}, True),
)


def _body(response) -> str:
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _markers(world: World) -> tuple[list[str], list[str]]:
    """Words only the world's desk's rows put on a page, and only the second desk's."""
    world_claims = Claim.objects.filter(article__project=world.project)
    ours = ["Albania cuts ties", DENIAL, "announced sanctions on the ministry", "Main desk"]
    ours += [reverse("claim_detail", args=[pk]) for pk in world_claims.values_list("pk", flat=True)]
    theirs = [
        "Kosovo votes",
        "Other desk",
        OTHER_QUOTE,
        reverse("claim_detail", args=[world.other_claim.pk]),
    ]
    return ours, theirs


def _ids(body: str) -> set[int]:
    return {row["id"] for row in json.loads(body)["results"]}


@pytest.mark.django_db
def test_lists_keep_to_the_users_desks(quiet_request_log):
    world = build_world()
    clients = clients_for(world.users)
    routes = {route.name: route for route in page_routes()}
    ours, theirs = _markers(world)
    world_ids = {
        "v1:article-list": {world.article.pk, world.orphan_article.pk},
        "v1:claim-list": set(
            Claim.objects.filter(article__project=world.project).values_list("pk", flat=True)
        ),
        "v1:project-list": {world.project.pk},
    }
    leaks, unseen = [], []  # rows shown that should not be; rows missing that should
    for key, query, other_sees_theirs in LISTS:
        name, target = split_key(key)
        url = url_for(routes[name], target, world)
        for role in ("superuser", "other", "none"):
            desk = world.project.pk if routes[name].is_api else world.project.slug
            for extra in ({}, {"project": desk}):
                response = clients[role].get(url, {**query, **extra})
                if response.status_code != 200:
                    if not (role == "none" and key == "review_queue"):
                        leaks.append(f"{key} {extra} {role}: answered {response.status_code}")
                    continue
                body = _body(response)
                found = [marker for marker in ours if marker in body]
                if role == "superuser":
                    if not found:  # the check below would prove nothing
                        unseen.append(f"{key} {extra}: the superuser sees none of the world's rows")
                    continue
                if found:
                    leaks.append(f"{key} {extra} {role}: shows {found}")
                if name in world_ids and _ids(body) & world_ids[name]:
                    leaks.append(f"{key} {extra} {role}: lists ids {_ids(body) & world_ids[name]}")
                mine = [marker for marker in theirs if marker in body]
                if role == "other" and other_sees_theirs and not extra and not mine:
                    unseen.append(f"{key} {extra}: `other` does not see their own desk's rows")
                if role == "none" and mine:
                    leaks.append(f"{key} none: shows the second desk's {mine}")
    assert not unseen, "\n".join(unseen)
    assert not leaks, "\n".join(leaks)


@pytest.mark.django_db
def test_a_payload_naming_another_desk_is_refused_as_unknown(quiet_request_log):
    """`other` writing into their own desk with the world's article or desk in the body
    gets the answer an id never used gets: nothing created, nothing revealed."""
    world = build_world()
    client = clients_for(world.users)["other"]
    unused = 10**9
    claim = _api_new_other_claim(world)
    article = OTHER_DESK_PAYLOADS[("v1:article-list", "POST")](world)
    cases = {
        reverse("v1:claim-list"): (
            claim | {"article": world.article.pk},
            claim | {"article": unused},
        ),
        reverse("v1:article-list"): (
            article | {"project": world.project.pk},
            article | {"project": unused},
        ),
    }
    for url, (theirs, never) in cases.items():
        answers = []
        for data in (theirs, never):
            response = client.post(url, data, content_type="application/json")
            body = response.json()
            answers.append(
                (
                    response.status_code,
                    body.get("code"),
                    [e["field"] for e in body.get("errors", [])],
                )
            )
        assert answers[0] == answers[1], (url, answers)
        assert answers[0][0] == 400, (url, answers)


# -- the admin: one wildcard row -----------------------------------------------------------
# Every admin URL: anonymous and non-staff users are sent to the admin's login; staff
# (here the superuser) get an answer that is neither that nor a server error.

ADMIN_ROW = {role: "admin-login" for role in ROLES} | {"superuser": "staff"}
# Staff or not is all that matters here: one user of each kind, and the outsiders (none
# of them is staff, whatever groups they hold).
ADMIN_ROLES = ("anon", "author", "editor", "manager", "superuser", "other", "none")
# The way in and out of the admin answers everyone.
ADMIN_PUBLIC = {"admin:login": "200", "admin:logout": "302"}


def _admin_kwargs(route: Route) -> dict | None:
    """Arguments for an admin URL: an existing object of the model its name says."""
    from django.apps import apps

    kwargs = {}
    for argument in route.arguments:
        if argument == "app_label":
            kwargs[argument] = "annotations"
        elif argument in ("object_id", "id"):
            model_part = route.name.removeprefix("admin:").rsplit("_", 1)[0]
            app_label, _, model_name = model_part.partition("_")
            try:
                model = apps.get_model(app_label, model_name)
            except LookupError:
                return None
            obj = model._default_manager.order_by("pk").first()
            if obj is None:
                return None
            kwargs[argument] = obj.pk
        else:
            return None  # catch-all and shortcut views: covered by the index below
    return kwargs


@pytest.mark.django_db
def test_admin_is_staff_only(quiet_request_log):
    world = build_world()
    clients = clients_for(world.users)
    want = [ADMIN_ROW[role] for role in ADMIN_ROLES]
    tried, mismatches = 0, []
    for route in admin_routes():
        kwargs = _admin_kwargs(route)
        if kwargs is None:
            continue
        url = reverse(route.name, kwargs=kwargs)
        got = [request(clients[role], "GET", url).word for role in ADMIN_ROLES]
        tried += 1
        if route.name in ADMIN_PUBLIC:
            if got[0] != ADMIN_PUBLIC[route.name]:
                mismatches.append(f"{route.name}: anon got {got[0]}")
            continue
        for role, word, expect in zip(ADMIN_ROLES, got, want, strict=True):
            if expect == "staff":
                ok = word not in ("login", "admin-login") and not word.startswith("5")
            else:
                ok = word == expect
            if not ok:
                mismatches.append(f"{route.name} {url}: {role} got {word}, expected {expect}")
    assert tried >= 20, f"only {tried} admin URLs could be built"
    assert not mismatches, "\n".join(mismatches)
