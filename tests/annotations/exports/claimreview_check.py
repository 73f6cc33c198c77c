"""Our own ClaimReview checker: the Google fact-check profile as a list of problems.

`check_claim_review(obj)` looks at one ClaimReview object and returns `Problem`s:
`error` for what the profile requires (`claimReviewed`, `reviewRating` with
`alternateName`, an absolute `url`, a schema.org `@context` and `@type`), `warning` for
what it recommends or what consumers trip over (no `author`, `itemReviewed` not a
`Claim`, numbers written as strings, a rating outside its scale, a verdict that
contradicts its number, dates that are not ISO 8601, a `claimReviewed` over 75
characters). It never raises on unexpected shapes: real publishers' markup varies.

`find_claim_reviews(doc)` finds the ClaimReviews in any JSON-LD document: a single
object, an array, an `@graph`, or a `DataFeed` / `DataFeedItem` wrapper, passing the
enclosing `@context` down.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

SCHEMA_CONTEXTS = frozenset(
    {"http://schema.org", "https://schema.org", "http://schema.org/", "https://schema.org/"}
)
MAX_CLAIM_REVIEWED = 75
ERROR, WARNING = "error", "warning"

# Verdict words whose meaning is clear enough to compare with a numeric rating.
_TRUE_WORDS = frozenset({"true", "correct", "accurate", "verdadeiro", "verdadero", "vrai", "wahr"})
_FALSE_WORDS = frozenset(
    {"false", "incorrect", "pants on fire", "fake", "falso", "faux", "falsch", "wrong"}
)
_CODE_LIKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")


@dataclass(frozen=True)
class Problem:
    level: str  # ERROR or WARNING
    path: str  # where, as a dotted path ("reviewRating.alternateName")
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.path}: {self.message}"


def _types(obj: Any) -> list[str]:
    if not isinstance(obj, dict):
        return []
    value = obj.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return [v.rsplit("/", 1)[-1] for v in values if isinstance(v, str)]


def _is_schema_context(value: Any) -> bool:
    if isinstance(value, str):
        return value in SCHEMA_CONTEXTS
    if isinstance(value, list):
        return any(_is_schema_context(v) for v in value)
    if isinstance(value, dict):
        return value.get("@vocab") in SCHEMA_CONTEXTS
    return False


def find_claim_reviews(doc: Any, context: Any = None) -> Iterator[tuple[dict[str, Any], Any]]:
    """Yield (ClaimReview object, the @context that applies to it)."""
    if isinstance(doc, list):
        for item in doc:
            yield from find_claim_reviews(item, context)
        return
    if not isinstance(doc, dict):
        return
    context = doc.get("@context", context)
    if "ClaimReview" in _types(doc):
        yield doc, context
        return
    for key in ("@graph", "dataFeedElement", "item", "mainEntity", "review"):
        if key in doc:
            yield from find_claim_reviews(doc[key], context)


def _text(value: Any) -> str | None:
    """A text value, accepting a one-element list as publishers sometimes write."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, str):
        return value
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _absolute_url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def _same_site(url: str, page_url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    page = (urlsplit(page_url).hostname or "").lower()
    return bool(host) and (host == page or host.endswith("." + page))


def _check_date(value: Any, path: str, problems: list[Problem]) -> None:
    if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
        problems.append(Problem(WARNING, path, f"not an ISO 8601 date: {value!r}"))
        return
    try:
        dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        problems.append(Problem(WARNING, path, f"not a calendar date: {value!r}"))


def _check_agent(value: Any, path: str, problems: list[Problem]) -> None:
    agents = value if isinstance(value, list) else [value]
    for index, agent in enumerate(agents):
        where = f"{path}[{index}]" if isinstance(value, list) else path
        if isinstance(agent, str):
            continue  # a bare name or IRI: tolerated
        if not isinstance(agent, dict):
            problems.append(Problem(WARNING, where, "should be an Organization or a Person"))
            continue
        if not {"Organization", "Person"} & set(_types(agent)) and not _types(agent):
            problems.append(Problem(WARNING, where, "has no @type (Organization or Person)"))
        if not _text(agent.get("name")):
            problems.append(Problem(WARNING, f"{where}.name", "missing"))


def _check_rating(rating: Any, problems: list[Problem]) -> None:
    if not isinstance(rating, dict):
        problems.append(Problem(ERROR, "reviewRating", "required: a Rating object"))
        return
    types = _types(rating)
    if types and not {"Rating", "AggregateRating"} & set(types):
        problems.append(Problem(WARNING, "reviewRating.@type", f"expected Rating, not {types}"))
    verdict = _text(rating.get("alternateName"))
    if not verdict or not verdict.strip():
        problems.append(
            Problem(ERROR, "reviewRating.alternateName", "required: the verdict as text")
        )
    elif _CODE_LIKE.match(verdict):
        problems.append(
            Problem(WARNING, "reviewRating.alternateName", f"looks like a code: {verdict!r}")
        )
    if "name" not in rating:
        problems.append(Problem(WARNING, "reviewRating.name", "recommended"))

    numbers: dict[str, float | None] = {}
    for key in ("ratingValue", "bestRating", "worstRating"):
        if key not in rating:
            continue
        raw = rating[key]
        numbers[key] = _number(raw)
        if numbers[key] is None:
            problems.append(Problem(WARNING, f"reviewRating.{key}", f"not a number: {raw!r}"))
        elif isinstance(raw, str):
            problems.append(Problem(WARNING, f"reviewRating.{key}", "a number written as a string"))
    value = numbers.get("ratingValue")
    if "ratingValue" not in rating:
        problems.append(Problem(WARNING, "reviewRating.ratingValue", "recommended"))
        return
    worst = numbers.get("worstRating", 1.0)
    best = numbers.get("bestRating", 5.0)
    if value is None or worst is None or best is None:
        return
    if "bestRating" not in rating or "worstRating" not in rating:
        problems.append(
            Problem(WARNING, "reviewRating", "ratingValue without both worstRating and bestRating")
        )
    if best <= worst:
        problems.append(Problem(WARNING, "reviewRating", "bestRating is not above worstRating"))
        return
    if not worst <= value <= best:
        problems.append(
            Problem(ERROR, "reviewRating.ratingValue", f"{value:g} is outside {worst:g}..{best:g}")
        )
        return
    if verdict:
        position = (value - worst) / (best - worst)
        word = verdict.strip().strip(".!").casefold()
        if (word in _TRUE_WORDS and position < 0.5) or (word in _FALSE_WORDS and position > 0.5):
            problems.append(
                Problem(
                    WARNING,
                    "reviewRating",
                    f"alternateName {verdict!r} disagrees with ratingValue {value:g} "
                    f"on {worst:g}..{best:g}",
                )
            )


def _check_item(item: Any, problems: list[Problem]) -> None:
    if item is None:
        problems.append(Problem(WARNING, "itemReviewed", "recommended: the Claim reviewed"))
        return
    if not isinstance(item, dict):
        problems.append(Problem(WARNING, "itemReviewed", "should be a Claim object"))
        return
    if "Claim" not in _types(item):
        problems.append(
            Problem(WARNING, "itemReviewed.@type", f"should be Claim, not {_types(item)}")
        )
    if "author" in item:
        _check_agent(item["author"], "itemReviewed.author", problems)
    else:
        problems.append(Problem(WARNING, "itemReviewed.author", "recommended: who made the claim"))
    if "datePublished" in item:
        _check_date(item["datePublished"], "itemReviewed.datePublished", problems)
    else:
        problems.append(Problem(WARNING, "itemReviewed.datePublished", "recommended"))
    appearances = item.get("appearance")
    if appearances is None:
        problems.append(Problem(WARNING, "itemReviewed.appearance", "recommended"))
    else:
        for index, appearance in enumerate(
            appearances if isinstance(appearances, list) else [appearances]
        ):
            url = appearance.get("url") if isinstance(appearance, dict) else appearance
            if url is not None and not _absolute_url(url):
                problems.append(
                    Problem(WARNING, f"itemReviewed.appearance[{index}].url", "not an absolute URL")
                )


def check_claim_review(
    obj: Any, *, context: Any = None, page_url: str | None = None
) -> list[Problem]:
    """Problems of one ClaimReview object (empty when it meets the profile).

    `context` is the enclosing `@context` when the object has none of its own;
    `page_url`, when given, is the page that carries the markup: `url` must be on the
    same site.
    """
    problems: list[Problem] = []
    if not isinstance(obj, dict):
        return [Problem(ERROR, "", "not a JSON object")]
    if not _is_schema_context(obj.get("@context", context)):
        problems.append(Problem(ERROR, "@context", "must be https://schema.org"))
    elif obj.get("@context", context) not in ("https://schema.org", ["https://schema.org"]):
        problems.append(Problem(WARNING, "@context", "Google documents https://schema.org"))
    if "ClaimReview" not in _types(obj):
        problems.append(Problem(ERROR, "@type", "must be ClaimReview"))

    claim = obj.get("claimReviewed")
    claim_text = _text(claim)
    if claim is None or (claim_text is not None and not claim_text.strip()):
        problems.append(Problem(ERROR, "claimReviewed", "required: a short summary of the claim"))
    elif claim_text is None:
        problems.append(Problem(ERROR, "claimReviewed", "must be text"))
    else:
        if not isinstance(claim, str):
            problems.append(Problem(WARNING, "claimReviewed", "should be text, not a list"))
        if len(claim_text) > MAX_CLAIM_REVIEWED:
            problems.append(
                Problem(
                    WARNING,
                    "claimReviewed",
                    f"{len(claim_text)} characters; keep it under {MAX_CLAIM_REVIEWED}",
                )
            )

    _check_rating(obj.get("reviewRating"), problems)

    url = obj.get("url")
    if url is None:
        problems.append(Problem(ERROR, "url", "required: the page of the fact check"))
    elif not _absolute_url(url):
        problems.append(Problem(ERROR, "url", f"not an absolute http(s) URL: {url!r}"))
    elif page_url and not _same_site(url, page_url):
        problems.append(Problem(ERROR, "url", "not on the site of the page that carries it"))

    if "author" in obj:
        _check_agent(obj["author"], "author", problems)
    else:
        problems.append(Problem(WARNING, "author", "recommended: the publisher of the check"))
    if "datePublished" in obj:
        _check_date(obj["datePublished"], "datePublished", problems)
    else:
        problems.append(Problem(WARNING, "datePublished", "recommended"))
    _check_item(obj.get("itemReviewed"), problems)
    return problems


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == ERROR]
