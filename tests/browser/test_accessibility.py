"""Every app page in real Chromium, at a desktop and a phone's width: no serious or
critical axe-core violation (WCAG 2 A and AA rules), and no page wider than the screen.

axe-core is vendored beside this test (`vendor/axe-core`, MPL-2.0) and evaluated in the
page through the browser's own debugging protocol, which the pages' CSP does not govern.
"""

from pathlib import Path

import pytest

from annotations.roles import sync_role_groups
from annotations.services.claims import claim_submit
from annotations.services.reviews import review_decide
from annotations.services.revisions import article_revise
from tests.factories import ActorFactory, ArticleFactory, SourceFactory, UserFactory, make_claim

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
WIDTHS = (1280, 390)


@pytest.fixture
def desk(transactional_db):
    sync_role_groups()
    writer = UserFactory(username="rita", roles=["researcher", "reviewer"])
    checker = UserFactory(username="vera", roles=["reviewer", "editor"])
    iran = ActorFactory(name="Iran", kind="state", aliases=["Tehran", "the Iranian state"])
    rama = ActorFactory(name="Edi Rama")
    source = SourceFactory(name="Mandiant report")
    article = ArticleFactory(title="Albania cuts diplomatic ties with Iran over cyberattacks")
    claims = []
    for exact, statement in (
        ("the Iranian state was behind the July cyberattacks", "Iran carried out the attacks."),
        ("Tehran rejected the accusation as baseless", "Iran denies the accusation."),
        ("Washington announced sanctions", "The United States imposed sanctions."),
    ):
        claim = make_claim(
            author=writer,
            article=article,
            exact=exact,
            statement=statement,
            claimant=rama,
            actors=[(iran, "accused")],
            sources=[(source, "p. 3")],
        )
        claims.append(claim_submit(user=writer, claim_id=claim.pk, version=claim.version))
    review_decide(
        user=checker, claim_id=claims[0].pk, version=claims[0].version, decision="approve"
    )
    review_decide(
        user=checker,
        claim_id=claims[1].pk,
        version=claims[1].version,
        decision="request_changes",
        comment="Which spokesman?",
    )
    make_claim(author=writer, article=article, exact="the July cyberattacks", statement="Draft.")
    # A claim whose passage a revision removed: the re-attach page.
    revised = ArticleFactory(title="Tirana responds", text="First paragraph.\n\nTo be cut.")
    orphan = make_claim(author=writer, article=revised, exact="To be cut", statement="Cut.")
    article_revise(user=writer, article_id=revised.pk, text="First paragraph.\n\nRewritten.")
    return {
        "orphan": orphan,
        "writer": writer,
        "checker": checker,
        "article": article,
        "claim": claims[0],
        "iran": iran,
        "source": source,
    }


def pages(desk):
    article, claim = desk["article"].pk, desk["claim"].pk
    return [
        "/",
        f"/articles/{article}/",
        f"/articles/{article}/revisions/",
        f"/articles/{article}/edit/",
        f"/claims/{claim}/",
        "/claims/",
        "/claims/?status=submitted&q=Iran",
        "/search/?q=Tehran",
        "/my-work/",
        "/export/?format=claimreview",
        "/review/",
        "/actors/",
        f"/actors/{desk['iran'].pk}/",
        "/sources/",
        f"/sources/{desk['source'].pk}/",
        "/claims/orphaned/",
        f"/claims/{desk['orphan'].pk}/reattach/",
        "/claims/?claimant_label=Edi+Rama&actor_label=Tehran",
        "/import/",
    ]


def serious_violations(page):
    page.evaluate(AXE)
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                .map(v => v.id + ': '
                    + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
        }"""
    )
    return result


@pytest.mark.parametrize("width", WIDTHS)
def test_app_pages_pass_axe_and_fit_the_screen(page, login, desk, width):
    login(desk["writer"])
    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    for url in pages(desk):
        response = page.goto(url)
        assert response.status < 400, url
        for violation in serious_violations(page):
            problems.append(f"{url} @ {width}: {violation}")
        scroll = page.evaluate("() => document.documentElement.scrollWidth")
        if scroll > width:
            problems.append(f"{url} @ {width}: {scroll}px wide")
    assert not problems, "\n".join(problems)
