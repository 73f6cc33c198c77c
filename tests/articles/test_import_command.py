"""`python manage.py import_articles`: files and folders of every format, failures,
duplicates and dry runs."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, ArticleRevision, Source, SourceKind
from tests.factories import main_desk

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_project():
    """The command imports into the only project when it names none. The migrations make
    Main desk, but a transactional test elsewhere may have flushed it: make sure it is
    there and alone, whatever ran before."""
    from projects.models import Project

    Project.objects.exclude(slug="main").delete()
    return main_desk()


TEXT_FILE = (
    "Albania cuts ties with Iran over cyberattack\n\n"
    "[ad_1]\n\n"
    "Albania's prime minister said an investigation had shown the Iranian state was behind "
    "the July attack on government services.\n\n"
    "Tehran rejected the accusation as baseless.\n\n"
    "Source link\n"
)

HTML_FILE = """<!doctype html>
<html lang="en">
<head>
  <title>Washington sanctions Iran's intelligence ministry</title>
  <meta property="og:title" content="Washington sanctions Iran's intelligence ministry">
  <meta property="og:url" content="https://news.example.org/2022/09/sanctions">
  <meta property="og:site_name" content="Example News">
  <meta name="author" content="Jane Reporter">
  <meta property="article:published_time" content="2022-09-09T10:00:00Z">
</head>
<body>
  <nav><a href="/">Home</a> <a href="/world">World</a></nav>
  <article>
    <h1>Washington sanctions Iran's intelligence ministry</h1>
    <p>The United States Treasury announced sanctions on Iran's Ministry of Intelligence and
    Security on Friday for its alleged role in the cyberattacks on Albania's government.</p>
    <p>Officials in Washington said the ministry had directed a group of hackers who
    disrupted public services in July and tried again in September.</p>
    <p>Iran's foreign ministry called the sanctions illegal and said Tehran had played no part
    in the attacks, repeating its earlier denial.</p>
  </article>
  <footer>Copyright Example News</footer>
</body>
</html>
"""

RECORDS = [
    {
        "title": "Rama accuses Iran",
        "text": "Edi Rama said the investigation pointed to Iran.\n\nThe FBI and Microsoft helped.",
        "url": "https://news.example.org/rama",
        "published": "2022-09-07",
        "outlet": "Foreign Policy",
        "byline": "A. Writer",
    },
    {
        "title": "Tehran denies",
        "text": "Iran's foreign ministry rejected the accusation as baseless.",
        "url": "https://news.example.org/denial",
        "published": "2022-09-08",
        "outlet": "Example News",
        "byline": "",
    },
]


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_articles", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), str(caught.value)


def printed_ids(out):
    return [int(line.split("\t")[0]) for line in out.splitlines() if line.strip()]


def write_jsonl(path, records):
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def write_csv(path, records):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    return path


def test_text_file_is_cleaned_titled_by_its_headline_and_keeps_its_raw(tmp_path):
    path = tmp_path / "albania.txt"
    path.write_text(TEXT_FILE, encoding="utf-8")

    out, err = run(path)

    (article,) = Article.objects.all()
    assert printed_ids(out) == [article.pk]
    assert article.title == "Albania cuts ties with Iran over cyberattack"
    assert "[ad_1]" not in article.text and "Source link" not in article.text
    assert article.text.startswith("Albania's prime minister said")
    assert article.raw == TEXT_FILE
    revision = article.revisions.get()
    assert revision.number == 1
    assert revision.cleaning_report["counts"] == {"ad_marker": 1, "boilerplate": 1, "duplicate": 0}
    assert "1 imported, 0 skipped as duplicate, 0 failed" in err


def test_html_page_goes_through_the_extractor_with_its_metadata(tmp_path):
    path = tmp_path / "sanctions.html"
    path.write_text(HTML_FILE, encoding="utf-8")

    run(path)

    (article,) = Article.objects.all()
    assert article.title == "Washington sanctions Iran's intelligence ministry"
    assert article.url == "https://news.example.org/2022/09/sanctions"
    assert article.byline == "Jane Reporter"
    assert str(article.published) == "2022-09-09"
    assert article.outlet.name == "Example News"
    assert article.outlet.kind == SourceKind.OUTLET
    assert "Ministry of Intelligence" in article.text
    assert "Copyright" not in article.text and "Home" not in article.text
    assert article.raw == HTML_FILE


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_records_files_import_one_article_a_record(tmp_path, fmt):
    writer = write_jsonl if fmt == "jsonl" else write_csv
    path = writer(tmp_path / f"batch.{fmt}", RECORDS)

    out, _ = run(path)

    articles = {a.title: a for a in Article.objects.select_related("outlet")}
    assert set(articles) == {"Rama accuses Iran", "Tehran denies"}
    assert sorted(printed_ids(out)) == sorted(a.pk for a in articles.values())
    rama = articles["Rama accuses Iran"]
    assert rama.url == "https://news.example.org/rama"
    assert str(rama.published) == "2022-09-07"
    assert rama.outlet.name == "Foreign Policy"
    assert rama.byline == "A. Writer"
    assert rama.text == RECORDS[0]["text"]
    assert Source.objects.filter(kind=SourceKind.OUTLET).count() == 2


def test_folder_with_a_broken_file_imports_the_rest_and_fails(tmp_path):
    (tmp_path / "a_albania.txt").write_text(TEXT_FILE, encoding="utf-8")
    write_jsonl(tmp_path / "b_records.jsonl", RECORDS)
    (tmp_path / "c_broken.jsonl").write_text(
        '{"title": "Fine", "text": "A fine record that imports well."}\n{"title": "Cut off',
        encoding="utf-8",
    )
    (tmp_path / "d_binary.dat").write_bytes(b"\x00\x01\x02 not text at all")

    out, err, error = run_failing(tmp_path)

    assert Article.objects.count() == 4
    assert len(printed_ids(out)) == 4
    assert "4 imported, 0 skipped as duplicate, 2 failed" in err
    assert f"failed: {tmp_path / 'c_broken.jsonl'}:2: invalid JSON" in err
    assert f"failed: {tmp_path / 'd_binary.dat'}: binary content" in err
    assert "2 file(s) or record(s) could not be imported" in error


def test_missing_file_is_reported(tmp_path):
    _, err, _ = run_failing(tmp_path / "nowhere.txt")
    assert "nowhere.txt: cannot read the file" in err
    assert not Article.objects.exists()


def test_same_file_twice_is_skipped_as_duplicate_the_second_time(tmp_path):
    path = write_jsonl(tmp_path / "batch.jsonl", RECORDS)
    run(path)

    out, err = run(path)

    assert Article.objects.count() == 2
    assert printed_ids(out) == []
    assert "0 imported, 2 skipped as duplicate, 0 failed" in err
    rama = Article.objects.get(title="Rama accuses Iran")
    assert f"already imported as article {rama.pk} (same url)" in err


def test_same_text_under_another_name_is_a_duplicate(tmp_path):
    (tmp_path / "one.txt").write_text(TEXT_FILE, encoding="utf-8")
    # Different dirt, same cleaned text.
    (tmp_path / "two.txt").write_text(TEXT_FILE.replace("[ad_1]", "[ad_7]"), encoding="utf-8")

    _, err = run(tmp_path)

    assert Article.objects.count() == 1
    assert "1 imported, 1 skipped as duplicate, 0 failed" in err
    assert "(same text)" in err


def test_dry_run_writes_nothing(tmp_path):
    (tmp_path / "albania.txt").write_text(TEXT_FILE, encoding="utf-8")
    write_jsonl(tmp_path / "records.jsonl", [*RECORDS, RECORDS[0]])

    out, err = run(tmp_path, "--dry-run", "--source", "Brand New Outlet")

    assert not Article.objects.exists()
    assert not ArticleRevision.objects.exists()
    assert not Source.objects.exists()
    assert out.count("(dry run)") == 3
    assert "3 would be imported, 1 skipped as duplicate, 0 failed" in err
    assert "nothing written" in err


def test_source_option_names_the_outlet_of_every_article(tmp_path):
    Source.objects.create(name="Foreign Policy", kind=SourceKind.OUTLET)
    write_jsonl(tmp_path / "batch.jsonl", RECORDS)

    run(tmp_path, "--source", "foreign policy")

    assert Source.objects.count() == 1
    assert set(Article.objects.values_list("outlet__name", flat=True)) == {"Foreign Policy"}


def test_title_option_titles_a_text_without_headline(tmp_path):
    path = tmp_path / "statement.txt"
    path.write_text("The ministry issued a statement.\n\nIt denied everything.", encoding="utf-8")

    run(path, "--title", "Ministry statement")

    assert Article.objects.get().title == "Ministry statement"


def test_format_option_reads_every_file_as_that_format(tmp_path):
    path = tmp_path / "page.data"
    path.write_text(HTML_FILE, encoding="utf-8")

    run(path, "--format", "html")

    assert Article.objects.get().title == "Washington sanctions Iran's intelligence ministry"


def test_record_the_article_model_refuses_is_a_failure(tmp_path):
    write_jsonl(tmp_path / "bad.jsonl", [{"title": "Bad url", "text": "Text.", "url": "not a url"}])
    _, err, _ = run_failing(tmp_path)
    assert "bad.jsonl:1: url:" in err
    assert not Article.objects.exists()


def test_interrupted_import_leaves_only_whole_articles(tmp_path, monkeypatch):
    write_jsonl(tmp_path / "batch.jsonl", RECORDS)
    real_create = ArticleRevision.objects.create
    calls = []

    def interrupt_second(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_create(**kwargs)

    monkeypatch.setattr(ArticleRevision.objects, "create", interrupt_second)

    _, err, error = run_failing(tmp_path)

    assert "Interrupted" in error
    assert "1 imported" in err
    (article,) = Article.objects.all()
    assert article.revisions.count() == 1
    # The second article's outlet was created in its transaction, and went with it.
    assert list(Source.objects.values_list("name", flat=True)) == ["Foreign Policy"]
