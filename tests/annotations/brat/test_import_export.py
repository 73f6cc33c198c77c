"""`import_annotations --format brat` and `export_claims --format brat`, run as commands:
a folder written here round-trips; bad folders are refused naming file and line and
import nothing; real corpus files import (when the shared corpora are beside the
repository)."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations import brat
from annotations.brat_import import PLACEHOLDER_CLAIMANT
from annotations.models import Actor, Claim
from articles.models import Article
from projects.models import Membership, Project
from tests.factories import ActorFactory, main_desk

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[3]
CORPORA = Path(os.environ.get("CLAIMDESK_SHARED", REPO.parent / "shared")) / "corpora"

# Our own text, already as Claimdesk stores texts (paragraphs one blank line apart).
TEXT = (
    "Cyberattacks on Albania\n\n"
    "Prime minister Edi Rama said that the Iranian state was behind the July attacks.\n\n"
    "\u201cWe will not be intimidated,\u201d he added, \u201cnot now and not ever.\u201d\n\n"
    "Tehran rejected the accusation as baseless. The attacks hit government services."
)


def at(words: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(words, start + 1)
    return start, start + len(words)


def ann() -> str:
    """Four attributions: Rama's accusation (source, cue, content, alleged, with a note
    naming the accused), a quote interrupted by "he added" (discontinuous, a pronoun
    source), Tehran's denial, and a lone content with no source."""
    return brat.dumps(
        [
            brat.Attribution(
                content=(at("the Iranian state was behind the July attacks"),),
                cue=(at("said"),),
                source=(at("Edi Rama"),),
                attributes=(("Certainty", "alleged"),),
            ),
            brat.Attribution(
                content=(at("We will not be intimidated"), at("not now and not ever")),
                cue=(at("added"),),
                source=(at("he"),),
            ),
            brat.Attribution(
                content=(at("the accusation as baseless"),),
                cue=(at("rejected"),),
                source=(at("Tehran"),),
                attributes=(("Certainty", "denied"),),
            ),
            brat.Attribution(content=(at("The attacks hit government services"),)),
        ],
        TEXT,
    ) + (
        "#1\tAnnotatorNotes E1\t"
        + json.dumps({"actors": [["Iran", "accused"]], "statement": "Iran did it."})
        + "\n"
    )


def write(folder: Path, name: str, text: str, annotations: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8", newline="")
    (folder / f"{name}.ann").write_text(annotations, encoding="utf-8", newline="")


def import_brat(folder: Path, project: str = "main") -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_annotations",
        str(folder),
        format="brat",
        user="rita",
        project=project,
        no_progress=True,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def by_role(document: brat.Document) -> set[tuple]:
    """Every attribution as (content, cue, source) covering spans and its certainty."""

    def cover(fragments):
        return (min(a for a, _ in fragments), max(b for _, b in fragments)) if fragments else None

    return {
        (
            cover(item.content),
            cover(item.cue),
            cover(item.source),
            dict(item.attributes).get("Certainty", "asserted"),
        )
        for item in document.attributions()
    }


@pytest.fixture
def registry():
    main_desk()
    return {
        "rama": ActorFactory(name="Edi Rama"),
        "iran": ActorFactory(name="Iran", aliases=["Tehran"]),
    }


def test_a_folder_imports_as_drafts_and_exports_with_the_same_spans_and_roles(
    researcher, registry, tmp_path
):
    source = tmp_path / "in"
    write(source, "albania", TEXT, ann())

    out, err = import_brat(source)

    article = Article.objects.get()
    assert out.strip() == f"{article.pk}\talbania"
    assert article.title == "Cyberattacks on Albania"
    assert article.text == TEXT
    claims = {c.exact: c for c in Claim.objects.filter(article=article)}
    assert len(claims) == 4 and "4 draft claims" in err
    rama = claims["the Iranian state was behind the July attacks"]
    assert (rama.claimant, rama.certainty, rama.statement) == (
        registry["rama"],
        "alleged",
        "Iran did it.",
    )
    assert (rama.cue_exact, rama.source_mention_exact) == ("said", "Edi Rama")
    assert list(rama.actor_links.values_list("actor__name", "role")) == [("Iran", "accused")]
    denial = claims["the accusation as baseless"]
    assert denial.claimant == registry["iran"]  # resolved through the alias
    quote = next(c for c in claims.values() if c.exact.startswith("We will"))
    assert quote.exact.endswith("not now and not ever")  # the covering span
    assert "fragments" in quote.note and quote.source_mention_exact == "he"
    assert quote.claimant.name == PLACEHOLDER_CLAIMANT
    lone = claims["The attacks hit government services"]
    assert lone.claimant.name == PLACEHOLDER_CLAIMANT and lone.cue_start is None
    assert all(c.status == "draft" and c.author == researcher for c in claims.values())

    exported = tmp_path / "out"
    call_command(
        "export_claims",
        format="brat",
        output=str(exported),
        user="rita",
        status=["draft"],
        no_progress=True,
        stderr=io.StringIO(),
    )

    stem = f"article-{article.pk}"
    assert (exported / f"{stem}.txt").read_text(encoding="utf-8") == TEXT
    text, document = brat.read_pair(exported / f"{stem}.txt")
    assert by_role(document) == by_role(brat.parse(ann(), text=TEXT))
    notes = [json.loads(line.split("\t")[2]) for line in document.other]
    assert {n["claimant"] for n in notes} == {"Edi Rama", "Iran", PLACEHOLDER_CLAIMANT}
    assert [["Iran", "accused"]] in [n["actors"] for n in notes]

    # And back again, into another desk: the same claimants, roles and statements.
    second = Project.objects.create(slug="second", name="Second desk")
    Membership.objects.create(user=researcher, project=second, is_researcher=True)
    again = tmp_path / "again"
    write(again, "albania", text, (exported / f"{stem}.ann").read_text(encoding="utf-8"))
    import_brat(again, project="second")
    imported = {c.exact: c for c in Claim.objects.filter(project=second)}
    assert {(e, c.claimant.name, c.statement, c.cue_exact) for e, c in imported.items()} == {
        (e, c.claimant.name, c.statement, c.cue_exact) for e, c in claims.items()
    }
    assert list(imported[rama.exact].actor_links.values_list("actor__name", "role")) == [
        ("Iran", "accused")
    ]


def _bad_offsets(folder):
    write(folder, "bad", "Rama said it.", "T1\tContent 5 40\tsaid it.\n")


def _text_not_matching(folder):
    write(folder, "bad", "Rama said it.", "T1\tContent 0 4\tLapid\n")


def _unknown_id(folder):
    write(folder, "bad", "Rama said it.", "T1\tContent 10 12\tit\nE1\tAttribution:T9 Content:T1\n")


def _missing_txt(folder):
    folder.mkdir(exist_ok=True)
    (folder / "bad.ann").write_text("T1\tContent 0 4\tRama\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_bad_offsets, "bad.ann, line 1: span T1: fragment 5 40 lies outside the text"),
        (_text_not_matching, "bad.ann, line 1: span T1: the file says 'Lapid'"),
        (_unknown_id, "bad.ann, line 2: event E1: Attribution:T9 names no span"),
        (_missing_txt, "bad.txt: the file is missing"),
    ],
    ids=["bad offsets", "text not matching", "unknown id", "missing txt"],
)
def test_a_bad_file_is_named_with_its_line_and_nothing_is_imported(
    researcher, registry, tmp_path, make, expected
):
    folder = tmp_path / "in"
    write(folder, "albania", TEXT, ann())  # a good file beside it: not imported either
    make(folder)
    actors = Actor.objects.count()

    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_annotations",
            str(folder),
            format="brat",
            user="rita",
            project="main",
            no_progress=True,
            stderr=err,
        )

    assert expected in err.getvalue()
    assert not Article.objects.exists() and not Claim.objects.exists()
    assert Actor.objects.count() == actors


def test_a_failure_while_writing_rolls_back_the_files_written_before(
    researcher, registry, tmp_path
):
    folder = tmp_path / "in"
    write(folder, "a", TEXT, ann())
    write(folder, "b", TEXT, "")  # the same text again: a duplicate article
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_annotations",
            str(folder),
            format="brat",
            user="rita",
            project="main",
            no_progress=True,
            stderr=err,
        )
    assert "b.txt: already imported" in err.getvalue()
    assert not Article.objects.exists() and not Claim.objects.exists()
    assert not Actor.objects.filter(name=PLACEHOLDER_CLAIMANT).exists()


def test_someone_who_may_not_annotate_imports_nothing(reviewer, registry, tmp_path):
    folder = tmp_path / "in"
    write(folder, "albania", TEXT, ann())
    with pytest.raises(CommandError):
        call_command(
            "import_annotations",
            str(folder),
            format="brat",
            user="vera",
            project="main",
            no_progress=True,
            stderr=io.StringIO(),
        )
    assert not Article.objects.exists()


@pytest.mark.skipif(
    not (CORPORA / "polnear-dev").is_dir(),
    reason="the shared corpora are not beside the repository",
)
def test_the_first_files_of_a_real_corpus_import(researcher, tmp_path):
    main_desk()
    folder = tmp_path / "polnear"
    folder.mkdir()
    names = sorted(p.stem for p in (CORPORA / "polnear-dev").glob("*.ann"))[:3]
    expected = 0
    for name in names:
        for suffix in (".txt", ".ann"):
            (folder / f"{name}{suffix}").write_bytes(
                (CORPORA / "polnear-dev" / f"{name}{suffix}").read_bytes()
            )
        text, document = brat.read_pair(folder / f"{name}.txt")
        expected += len(document.attributions())

    import_brat(folder)

    assert Article.objects.count() == 3
    assert Claim.objects.count() == expected > 0
    for claim in Claim.objects.select_related("revision"):
        text = claim.revision.text
        assert text[claim.start : claim.end] == claim.exact
        if claim.cue_start is not None:
            assert text[claim.cue_start : claim.cue_end] == claim.cue_exact
        if claim.source_mention_start is not None:
            assert text[claim.source_mention_start : claim.source_mention_end] == (
                claim.source_mention_exact
            )


def test_spans_move_with_a_text_that_cleaning_normalised(researcher, registry, tmp_path):
    """A no-break space after the cue becomes a space, and trailing spaces go: the spans
    still land on their words."""
    raw = "Edi Rama blamed\u00a0Iran for the attacks.   \n\nTehran denied it."
    cue = (raw.index("blamed"), raw.index("blamed") + len("blamed\u00a0"))
    annotations = brat.dumps(
        [
            brat.Attribution(
                content=((raw.index("Iran for"), raw.index(" for the attacks") + 16),),
                cue=(cue,),
                source=((0, 8),),
            )
        ],
        raw,
    )
    folder = tmp_path / "in"
    write(folder, "nbsp", raw, annotations)

    import_brat(folder)

    claim = Claim.objects.get()
    assert claim.revision.text != raw
    assert claim.exact == "Iran for the attacks"
    assert claim.cue_exact == "blamed "
    assert claim.claimant == registry["rama"]


def test_brat_export_queries_stay_the_same_when_claims_double(
    researcher, registry, tmp_path, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from annotations.exports.brat_folder import export_brat
    from annotations.exports.records import Links
    from tests.factories import ArticleFactory, make_claim

    def add(count):
        for _ in range(count):
            make_claim(author=researcher, article=ArticleFactory(), claimant=registry["rama"])

    links = Links(base_url="http://testserver")
    add(3)
    with CaptureQueriesContext(connection) as before:
        export_brat(Claim.objects.all(), tmp_path / "a", links)
    add(3)
    with django_assert_num_queries(len(before.captured_queries)):
        summary = export_brat(Claim.objects.all(), tmp_path / "b", links)
    assert (summary.articles, summary.claims) == (6, 6)
