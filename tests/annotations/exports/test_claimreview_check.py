"""Our ClaimReview checker, tested on data we did not write: real publishers' markup and
schema.org's official examples (the shared conformance material)."""

from __future__ import annotations

import json
import re

import pytest

from tests.annotations.exports.claimreview_check import (
    ERROR,
    WARNING,
    check_claim_review,
    errors,
    find_claim_reviews,
)
from tests.conftest import CONFORMANCE


def samples_dir(conformance_dir):
    return conformance_dir / "claimreview" / "samples" / "meedan-fetch-fixtures"


def examples_dir(conformance_dir):
    return conformance_dir / "claimreview" / "schemaorg-30.0" / "examples"


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_real_sample_is_read(conformance_dir):
    folder = samples_dir(conformance_dir)
    index = load(folder / "index.json")
    files = sorted(p.name for p in folder.glob("*.json") if p.name != "index.json")
    assert {entry["file"] for entry in index} <= set(files)
    assert len(files) >= 15
    for name in files:
        found = list(find_claim_reviews(load(folder / name)))
        assert len(found) == 1, name
        review, context = found[0]
        problems = check_claim_review(review, context=context)
        assert all(p.level in (ERROR, WARNING) for p in problems)
        assert all(str(p) for p in problems)


def _index_entries():
    path = samples_dir(CONFORMANCE) / "index.json"
    return load(path) if path.is_file() else []


@pytest.mark.parametrize("entry", _index_entries(), ids=lambda entry: entry["file"])
def test_checker_reads_what_the_sample_index_says(conformance_dir, entry):
    """The index (written when the samples were collected) gives each page's URL,
    the first 80 characters of `claimReviewed` and the verdict."""
    folder = samples_dir(conformance_dir)
    [(review, context)] = find_claim_reviews(load(folder / entry["file"]))
    claim = review["claimReviewed"]
    claim = claim[0] if isinstance(claim, list) else claim
    expected = entry["claimReviewed"]
    expected = expected[0] if isinstance(expected, list) else expected
    assert claim[:80] == expected[:80]
    assert review["reviewRating"]["alternateName"] == entry["alternateName"]
    problems = check_claim_review(review, context=context, page_url=entry["page_url"])
    # Real pages meet the required part of the profile, except where they do not.
    paths = {p.path for p in errors(problems)}
    assert paths <= {"url"}, [str(p) for p in errors(problems)]


def test_checker_flags_the_known_flaws_of_the_samples(conformance_dir):
    folder = samples_dir(conformance_dir)

    def problems(name, **kwargs):
        [(review, context)] = find_claim_reviews(load(folder / name))
        return {(p.level, p.path) for p in check_claim_review(review, context=context, **kwargs)}

    # A relative url (no scheme) is not a URL a crawler can follow.
    assert (ERROR, "url") in problems("aos_fatos_raw__0.json")
    # claimReviewed as a one-element list.
    assert (WARNING, "claimReviewed") in problems("the_quint_raw__0.json")
    # ratingValue written as a string; a verdict that is a code.
    twenty = problems("twenty_minutes_claim_review_page__0.json")
    assert (WARNING, "reviewRating.ratingValue") in twenty
    assert (WARNING, "reviewRating.alternateName") in twenty
    # A date with a space instead of "T".
    assert (WARNING, "datePublished") in problems("afp_raw__0.json")
    # No numeric rating at all: only recommended.
    assert (WARNING, "reviewRating.ratingValue") in problems("comprova_raw__0.json")
    # itemReviewed as a CreativeWork rather than a Claim.
    assert (WARNING, "itemReviewed.@type") in problems("afp_raw__0.json")


def test_datafeed_wrapped_sample_is_found(conformance_dir):
    feed = load(samples_dir(conformance_dir) / "data_commons_raw.json")
    [(review, context)] = find_claim_reviews(feed)
    assert context == "http://schema.org"
    assert review["author"]["name"] == "Deutsche Presse-Agentur"
    assert errors(check_claim_review(review, context=context)) == []


def test_official_examples(conformance_dir):
    folder = examples_dir(conformance_dir)
    [(politifact, _)] = find_claim_reviews(load(folder / "eg-0324.json"))
    # The example's verdict "True" sits at the worst end of its 1..6 scale.
    assert any(
        p.path == "reviewRating" and "disagrees" in p.message
        for p in check_claim_review(politifact)
    )
    [(obama, _)] = find_claim_reviews(load(folder / "eg-0325.json"))
    assert (ERROR, "reviewRating") in {(p.level, p.path) for p in check_claim_review(obama)}
    # A MediaReview is not a ClaimReview.
    assert list(find_claim_reviews(load(folder / "eg-0467.json"))) == []


def test_official_examples_text_matches_the_json_files(conformance_dir):
    folder = examples_dir(conformance_dir)
    text = (folder / "sdo-ClaimReview-issue-1061-examples.txt").read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">\s*(\{.*?\})\s*</script>', text, re.S)
    assert len(blocks) == 2
    parsed = [json.loads(block) for block in blocks]
    assert parsed == [load(folder / "eg-0324.json"), load(folder / "eg-0325.json")]
    for document in parsed:
        [(review, _)] = find_claim_reviews(document)
        check_claim_review(review)


@pytest.mark.parametrize(
    ("change", "level", "path"),
    [
        ({"claimReviewed": None}, ERROR, "claimReviewed"),
        ({"claimReviewed": ""}, ERROR, "claimReviewed"),
        ({"claimReviewed": "x" * 90}, WARNING, "claimReviewed"),
        ({"reviewRating": None}, ERROR, "reviewRating"),
        (
            {"reviewRating": {"@type": "Rating", "ratingValue": 2}},
            ERROR,
            "reviewRating.alternateName",
        ),
        (
            {
                "reviewRating": {
                    "@type": "Rating",
                    "alternateName": "False",
                    "ratingValue": 9,
                    "worstRating": 1,
                    "bestRating": 5,
                }
            },
            ERROR,
            "reviewRating.ratingValue",
        ),
        (
            {
                "reviewRating": {
                    "@type": "Rating",
                    "alternateName": "True",
                    "ratingValue": 1,
                    "worstRating": 1,
                    "bestRating": 5,
                }
            },
            WARNING,
            "reviewRating",
        ),
        ({"url": None}, ERROR, "url"),
        ({"url": "/relative/path"}, ERROR, "url"),
        ({"url": "https://elsewhere.example/check"}, ERROR, "url"),
        ({"@type": "Review"}, ERROR, "@type"),
        ({"@context": "https://example.org"}, ERROR, "@context"),
        ({"author": None}, WARNING, "author"),
        ({"datePublished": "24/06/2020"}, WARNING, "datePublished"),
        ({"itemReviewed": None}, WARNING, "itemReviewed"),
    ],
)
def test_checker_rules(change, level, path):
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://desk.example/claims/1",
        "claimReviewed": "Iran carried out the cyberattacks on Albania.",
        "datePublished": "2022-09-08",
        "author": {"@type": "Organization", "name": "Desk", "url": "https://desk.example/"},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "Unproven",
            "name": "Unproven",
            "ratingValue": 3,
            "worstRating": 1,
            "bestRating": 5,
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "Edi Rama"},
            "datePublished": "2022-09-07",
            "appearance": [{"@type": "CreativeWork", "url": "https://news.example/a"}],
        },
    }
    assert check_claim_review(review, page_url="https://desk.example/") == []
    for key, value in change.items():
        if value is None:
            review.pop(key)
        else:
            review[key] = value
    found = {
        (p.level, p.path) for p in check_claim_review(review, page_url="https://desk.example/")
    }
    assert (level, path) in found


def test_checker_never_raises_on_odd_shapes():
    for odd in (
        [],
        "text",
        3,
        {"@type": ["ClaimReview"], "reviewRating": "False", "author": [1]},
        {"@type": "ClaimReview", "itemReviewed": {"appearance": "nowhere"}},
    ):
        check_claim_review(odd)
