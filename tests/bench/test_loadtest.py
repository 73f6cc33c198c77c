"""The load test's plan gives each kind of user what its requests need, and its report
reads locust's statistics as locust writes them."""

import csv
import json

import pytest
from django.contrib.auth import get_user_model

from accounts.authentication import check_key
from annotations.models import Actor, Claim
from annotations.roles import can_annotate, can_review
from articles.models import Article, Source
from bench.loadtest import prepare_plan, read_stats

pytestmark = pytest.mark.django_db


def owner(key: str):
    return check_key(key).user


def test_plan_gives_each_role_accounts_that_may_do_its_requests(tiny_dataset, tmp_path):
    plan = prepare_plan(tmp_path / "plan.json")
    assert plan["tokens"]["researcher"] and plan["tokens"]["reviewer"]
    assert all(can_annotate(owner(key)) for key in plan["tokens"]["researcher"])
    assert all(can_review(owner(key)) for key in plan["tokens"]["reviewer"])
    assert all(owner(key).is_active for key in plan["tokens"]["reader"])
    for key, pk in plan["reviewer_ids"].items():
        assert owner(key).pk == pk
    written = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    assert written == json.loads(json.dumps(plan))  # as JSON has it: tuples become lists


def test_plan_passages_anchor_in_the_current_text(tiny_dataset, tmp_path):
    plan = prepare_plan(tmp_path / "plan.json")
    assert plan["articles"]
    for article in plan["articles"]:
        text = Article.objects.get(pk=article["id"]).revisions.order_by("-number").first().text
        for start, end, exact in article["passages"]:
            assert text[start:end] == exact


def test_plan_ids_exist(tiny_dataset, tmp_path):
    plan = prepare_plan(tmp_path / "plan.json")
    approved = set(Claim.objects.filter(status="approved").values_list("pk", flat=True))
    assert set(plan["claims"]) <= approved and plan["claims"]
    # A sample of at most 300: the tiny desk's actors all fit in it.
    actors = set(Actor.objects.values_list("pk", flat=True))
    assert len(actors) < 300
    assert sorted(plan["actors"]) == sorted(actors)
    sources = Source.objects.exclude(kind="outlet").values_list("pk", flat=True)
    assert set(plan["sources"]) <= set(sources) and plan["sources"]
    reviewers = get_user_model().objects.filter(pk__in=plan["reviewer_ids"].values())
    assert reviewers.count() == len(plan["reviewer_ids"]) > 0


def test_plan_sessions_open_the_pages_the_page_users_request(tiny_dataset, tmp_path, client):
    plan = prepare_plan(tmp_path / "plan.json")
    article = plan["articles"][0]["id"]
    pages = {
        "reader": ["/", f"/articles/{article}/", "/claims/?status=approved", "/my-work/"],
        "reviewer": ["/review/"],
    }
    pages["reader"] += [f"/search/?q={word}" for word in plan["search_words"]]
    pages["reader"] += [f"/actors/{actor}/" for actor in plan["actors"][:3]]
    for role, urls in pages.items():
        assert plan["sessions"][role]
        client.cookies["sessionid"] = plan["sessions"][role][0]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (role, url, response.status_code)
            assert b'name="username"' not in response.content  # not the login form


def test_report_reads_locust_statistics_and_failures(tmp_path):
    prefix = tmp_path / "locust"
    header = [
        "Type", "Name", "Request Count", "Failure Count", "Requests/s",
        "50%", "95%", "99%", "Max Response Time",
    ]  # fmt: skip
    with open(f"{prefix}_stats.csv", "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerow(["GET", "one claim", "120", "0", "2.0", "85", "220", "270", "301.5"])
        writer.writerow(["POST", "create claim", "80", "2", "1.3", "190", "N/A", "380", "400"])
        writer.writerow(["", "Aggregated", "200", "2", "3.3", "110", "250", "330", "400"])
    with open(f"{prefix}_failures.csv", "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["Method", "Name", "Error", "Occurrences"])
        writer.writerow(["POST", "create claim", "500: boom", "2"])
    stats = read_stats(prefix)
    assert stats["requests"]["one claim"]["p95_ms"] == 220
    assert stats["requests"]["create claim"]["failures"] == 2
    assert stats["requests"]["create claim"]["p95_ms"] == 0.0
    assert stats["requests"]["all requests"]["requests"] == 200
    assert stats["failures"] == [{"name": "create claim", "error": "500: boom", "occurrences": 2}]
