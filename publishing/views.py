"""The public side: review pages, a desk's index and its feeds, for anyone, no login.

Pages are rendered without the request's context (no user, no session, no messages),
so an answer is the same for every reader and may be cached by anyone
(`Cache-Control: public`); each carries a strong `ETag` of its bytes and its media type
and answers 304 to a matching `If-None-Match` (weak and `*` too, as RFC 9110 says).
Every answer names the desk's public annotation container in a `Link` header
(`rel="http://www.w3.org/ns/oa#annotationService"`), as the Web Annotation Protocol's
discovery asks.

Only `Publication` rows are read: what an editor published, frozen then.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe

from annotations.isotext import iso
from projects.models import Project
from publishing import markup, selectors
from publishing.desks import site_url
from publishing.models import Publication, PublicationState

CACHE_SECONDS = 300
PAGE_SIZE = 20
ANNOTATION_SERVICE = "http://www.w3.org/ns/oa#annotationService"
JSONLD = "application/ld+json"
ATOM = "application/atom+xml; charset=utf-8"


def base_url(request) -> str:
    """The site's address: `SITE_URL` when set, else the address the request came to."""
    return site_url() or request.build_absolute_uri("/").rstrip("/")


def container_url(request, project_id: int) -> str:
    return base_url(request) + reverse("v1:project-annotation-list", kwargs={"pk": project_id})


def review_url(request, claim_id: int) -> str:
    return base_url(request) + reverse("public_review", args=[claim_id])


def public_response(request, body: bytes, content_type: str, *, project_id: int) -> HttpResponse:
    """The answer with the public headers: cache, validator, CORS for reads, discovery."""
    etag = '"' + hashlib.sha256(content_type.encode() + b"\n" + body).hexdigest()[:40] + '"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag, Link"
    response["Link"] = f'<{container_url(request, project_id)}>; rel="{ANNOTATION_SERVICE}"'
    return response


def _markup(request, publication: Publication) -> dict[str, Any]:
    return markup.claim_review(
        publication.content,
        url=review_url(request, publication.claim_id),
        explanation=publication.explanation,
        published=iso(publication.published_at),
        modified=iso(publication.modified),
        publisher_url=base_url(request) + "/",
    )


def _desk_links(request, project_id: int, slug: str) -> dict[str, str]:
    return {
        "index_url": reverse("public_desk", args=[slug]),
        "feed_url": reverse("public_feed_jsonld", args=[slug]),
        "atom_url": reverse("public_feed_atom", args=[slug]),
        "container_url": container_url(request, project_id),
    }


@require_safe
def review_page(request, claim_id: int):
    """One published review; withdrawn, the page says so (with the date and reason)."""
    publication = selectors.public_review(claim_id)
    if publication is None:
        raise Http404("No published review here.")
    content = publication.content
    withdrawn = publication.state == PublicationState.WITHDRAWN
    current = not withdrawn and not publication.under_review
    context = {
        "publication": publication,
        "content": content,
        "withdrawn": withdrawn,
        "under_review": not withdrawn and publication.under_review,
        "page_url": review_url(request, claim_id),
        "markup": markup.script_json(_markup(request, publication)) if current else None,
        "long_summary": len(content["statement"]) > markup.CLAIM_REVIEWED_ADVISED,
        **_desk_links(request, publication.project_id, content["desk"]["slug"]),
    }
    body = render_to_string("publishing/review.html", context).encode()
    return public_response(
        request, body, "text/html; charset=utf-8", project_id=publication.project_id
    )


def _desk(slug: str) -> Project:
    desk = selectors.public_desk(slug)
    if desk is None:
        raise Http404("No published reviews here.")
    return desk


@require_safe
def desk_index(request, slug: str):
    """A desk's published reviews, newest first, `PAGE_SIZE` a page (`?page=N`)."""
    desk = _desk(slug)
    paginator = Paginator(selectors.desk_reviews(desk.pk), PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page.") from None
    context = {"desk": desk, "page": page, **_desk_links(request, desk.pk, desk.slug)}
    body = render_to_string("publishing/desk_index.html", context).encode()
    return public_response(request, body, "text/html; charset=utf-8", project_id=desk.pk)


@require_safe
def desk_feed_jsonld(request, slug: str):
    """A schema.org DataFeed of the desk's reviews: each current one a `DataFeedItem`
    holding its ClaimReview; a withdrawn one with its `dateDeleted` and address only.
    Reviews under review again are left out until published again."""
    desk = _desk(slug)
    items = []
    for publication in selectors.desk_feed_entries(desk.pk):
        item: dict[str, Any] = {
            "@type": "DataFeedItem",
            "dateCreated": iso(publication.first_published),
            "dateModified": iso(publication.modified),
        }
        if publication.state == PublicationState.WITHDRAWN:
            item["dateDeleted"] = iso(publication.withdrawn_at)
            item["item"] = {
                "@type": "ClaimReview",
                "url": review_url(request, publication.claim_id),
            }
        elif publication.under_review:
            continue
        else:
            item["item"] = _markup(request, publication)
        items.append(item)
    feed = {
        "@context": markup.SCHEMA_CONTEXT,
        "@type": "DataFeed",
        "name": f"Fact checks of {desk.name}",
        "url": base_url(request) + reverse("public_desk", args=[desk.slug]),
        "dataFeedElement": items,
    }
    return public_response(request, orjson.dumps(feed), JSONLD, project_id=desk.pk)


ATOM_ENTRIES = 50


@require_safe
def desk_feed_atom(request, slug: str):
    """An Atom feed of the desk's `ATOM_ENTRIES` latest reviews (withdrawn ones say so)."""
    desk = _desk(slug)
    index = base_url(request) + reverse("public_desk", args=[desk.slug])
    feed = Atom1Feed(
        title=f"Fact checks of {desk.name}",
        link=index,
        description=f"Claims reviewed by {desk.name}",
        feed_url=base_url(request) + reverse("public_feed_atom", args=[desk.slug]),
        language="en",
    )
    for publication in selectors.desk_feed_entries(desk.pk)[:ATOM_ENTRIES]:
        content = publication.content
        url = review_url(request, publication.claim_id)
        if publication.state == PublicationState.WITHDRAWN:
            summary = f"Withdrawn: {publication.withdrawn_reason}"
        elif publication.under_review:
            summary = "Under review again."
        else:
            summary = f"{content['rating']['label']}. {publication.explanation}"
        feed.add_item(
            title=content["statement"],
            link=url,
            unique_id=url,
            description=summary,
            pubdate=publication.first_published,
            updateddate=publication.modified,
            author_name=content["publisher"]["name"],
        )
    body = feed.writeString("utf-8").encode()
    return public_response(request, body, ATOM, project_id=desk.pk)
