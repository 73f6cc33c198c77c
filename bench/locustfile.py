"""Locust users for Claimdesk's load test; `bench/loadtest.py` starts locust with it.

Three kinds of users share the API the way a desk does, each with its own account's
token (the plan file `bench/loadtest.py` writes, named by `CLAIMDESK_LOADTEST_PLAN`):
- readers (most users) page through claims, open claims, articles with their claims,
  the annotation container and single annotations;
- researchers create claims on passages of articles (a sentence of the current text,
  with claimant, actors and sources) and submit them for review;
- reviewers open the claims awaiting review and decide on one: approve, request
  changes or reject;
- page readers and page reviewers use the pages with a logged-in session: the article
  list, the reader, the claims page, search, actor pages, My work; the review queue.

Two reviewers may pick the same claim: the loser's 409 (`stale_version` or
`invalid_transition`) is the workflow doing its job, so it is counted as a success
named "review: lost the race", not as an error. Anything else that is not 2xx is a
failure. Run it only against 127.0.0.1.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, between, task

PLAN = json.loads(Path(os.environ["CLAIMDESK_LOADTEST_PLAN"]).read_text(encoding="utf-8"))
# Seconds between two actions of one user, by what the user does. "people": desk members
# at a person's pace (a page or a claim read in a few seconds, a claim written or
# decided in several); "scripts": clients as fast as scripts, to find the server's
# capacity (`bench/loadtest.py --pace`).
PACES = {
    "people": {"read": (3.0, 10.0), "write": (5.0, 15.0), "page": (3.0, 10.0)},
    "scripts": {"read": (0.2, 1.0), "write": (0.2, 1.0), "page": (0.5, 2.0)},
}
PACE = PACES[PLAN.get("pace", "people")]
API = "/api/v1"
_accounts = {role: itertools.cycle(tokens) for role, tokens in PLAN["tokens"].items()}
_sessions = {role: itertools.cycle(keys) for role, keys in PLAN["sessions"].items()}


class DeskUser(FastHttpUser):
    """An API client with its account's token. geventhttpclient (`FastHttpUser`) rather
    than requests: the load generator shares the server's cores, and every CPU
    millisecond it saves is one the server gets."""

    abstract = True
    role = ""
    wait_time = between(*PACE["read"])

    def on_start(self) -> None:
        self.token = next(_accounts[self.role])
        self.client.auth_header = f"Token {self.token}"
        self.rng = random.Random()


class Reader(DeskUser):
    weight = 6
    role = "reader"

    @task(4)
    def claim_list(self) -> None:
        size = self.rng.choice((20, 50, 100))
        self.client.get(f"{API}/claims/?page_size={size}", name="claims list")

    @task(4)
    def claim(self) -> None:
        claim_id = self.rng.choice(PLAN["claims"])
        self.client.get(f"{API}/claims/{claim_id}/", name="one claim")

    @task(2)
    def article_with_claims(self) -> None:
        article = self.rng.choice(PLAN["articles"])
        self.client.get(f"{API}/articles/{article['id']}/", name="one article")
        self.client.get(
            f"{API}/claims/?article={article['id']}&page_size=100", name="claims of an article"
        )

    @task(1)
    def container(self) -> None:
        self.client.get(f"{API}/annotations/", name="annotation container")

    @task(2)
    def annotation(self) -> None:
        claim_id = self.rng.choice(PLAN["claims"])
        self.client.get(f"{API}/annotations/{claim_id}", name="one annotation")


class Researcher(DeskUser):
    weight = 2
    role = "researcher"
    wait_time = between(*PACE["write"])

    @task
    def create_and_submit(self) -> None:
        rng = self.rng
        article = rng.choice(PLAN["articles"])
        start, end, exact = rng.choice(article["passages"])
        actors = rng.sample(PLAN["actors"], 3)
        body = {
            "article": article["id"],
            "start": start,
            "end": end,
            "exact": exact,
            "statement": f"Load test: {exact[:200]}",
            "claimant": actors[0],
            "certainty": rng.choice(["asserted", "alleged", "denied", "confirmed"]),
            "actors": [
                {"actor": actors[1], "role": "accused"},
                {"actor": actors[2], "role": "target"},
            ],
            "sources": [{"source": rng.choice(PLAN["sources"]), "locator": "para. 2"}],
        }
        with self.client.post(
            f"{API}/claims/", json=body, name="create claim", catch_response=True
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return
            claim = response.json()
        self.client.post(
            f"{API}/claims/{claim['id']}/submit/",
            json={"version": claim["version"]},
            name="submit claim",
        )


class Reviewer(DeskUser):
    weight = 2
    role = "reviewer"
    wait_time = between(*PACE["write"])

    @task
    def decide(self) -> None:
        listing = self.client.get(
            f"{API}/claims/?status=submitted&page_size=50", name="claims awaiting review"
        )
        if listing.status_code != 200:
            return
        me = PLAN["reviewer_ids"].get(self.token)
        claims = [c for c in listing.json()["results"] if c["author"]["id"] != me]
        if not claims:
            return
        claim = self.rng.choice(claims)
        decision = self.rng.choices(["approve", "request_changes", "reject"], [7, 2, 1])[0]
        body = {"version": claim["version"], "decision": decision}
        if decision == "request_changes":
            body["comment"] = "Check the claimant against the source."
        if decision == "reject":
            body["reason"] = "unsupported"
            body["comment"] = "No source supports it."
        with self.client.post(
            f"{API}/claims/{claim['id']}/review/", json=body, name="review", catch_response=True
        ) as response:
            if response.status_code == 409:
                # Another reviewer decided first: the expected answer, not an error.
                response.request_meta["name"] = "review: lost the race"
                response.success()
            elif response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")


class PageUser(FastHttpUser):
    """A desk member in the browser: a session cookie, pages rather than the API."""

    abstract = True
    role = ""
    wait_time = between(*PACE["page"])

    def on_start(self) -> None:
        self.client.auth_header = None
        self.cookie = {"Cookie": f"sessionid={next(_sessions[self.role])}"}
        self.rng = random.Random()

    def page(self, path: str, name: str, **params) -> None:
        query = f"?{urlencode(params)}" if params else ""
        self.client.get(f"{path}{query}", name=name, headers=self.cookie)


class PageReader(PageUser):
    weight = 3
    role = "reader"

    @task(3)
    def reader(self) -> None:
        article = self.rng.choice(PLAN["articles"])
        self.page(f"/articles/{article['id']}/", "page: reader")

    @task(2)
    def article_list(self) -> None:
        self.page("/", "page: article list")

    @task(2)
    def claims_page(self) -> None:
        status = self.rng.choice(["approved", "submitted", "draft"])
        self.page("/claims/", "page: claims", status=status)

    @task(2)
    def search(self) -> None:
        word = self.rng.choice(PLAN["search_words"])
        self.page("/search/", "page: search", q=word)

    @task(2)
    def actor(self) -> None:
        actor_id = self.rng.choice(PLAN["actors"])
        self.page(f"/actors/{actor_id}/", "page: actor")

    @task(1)
    def my_work(self) -> None:
        self.page("/my-work/", "page: my work")


class PageReviewer(PageUser):
    weight = 1
    role = "reviewer"

    @task
    def queue(self) -> None:
        self.page("/review/", "page: review queue")
