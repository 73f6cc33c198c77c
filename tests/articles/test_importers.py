"""articles.importers: files written into tmp_path, no database."""

import codecs
import json
from datetime import date

import pytest

from articles.importers import (
    ArticleInput,
    ImportFailure,
    UnsupportedFormat,
    detect_format,
    iter_files,
    looks_like_headline,
    read_path,
)

HEADLINE = "Albania cuts diplomatic ties with Iran over cyberattack"
BODY = (
    "Albania's prime minister said an investigation had traced the July attack on "
    "government services to the Iranian state.\n\n"
    "Tehran rejected the accusation and called it baseless."
)

PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Albania cuts ties | The Balkan Desk</title>
<meta property="og:title" content="Albania cuts diplomatic ties with Iran over cyberattack">
<meta property="og:site_name" content="The Balkan Desk">
<meta property="article:published_time" content="2022-09-07T10:15:00+02:00">
<meta name="author" content="Jane Example">
<link rel="canonical" href="https://balkandesk.example/2022/09/albania-iran">
</head>
<body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/tech">Tech</a></nav>
<article>
<h1>Albania cuts diplomatic ties with Iran over cyberattack</h1>
<p>Albania's prime minister said on Wednesday that an investigation, helped by the FBI
and Microsoft, had found the Iranian state behind the July attack on government services.</p>
<p>Tehran rejected the accusation and called it baseless.</p>
<p>Washington later sanctioned Iran's Ministry of Intelligence for its alleged role.</p>
</article>
<footer>Copyright 2022 The Balkan Desk.</footer>
</body>
</html>
"""


def records(results):
    return [r for r in results if isinstance(r, ArticleInput)]


def failures(results):
    return [r for r in results if isinstance(r, ImportFailure)]


def jsonl_line(**fields) -> str:
    return json.dumps(fields, ensure_ascii=False)


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.txt", "text"),
        ("a.TXT", "text"),
        ("a.md", "text"),
        ("a.html", "html"),
        ("a.htm", "html"),
        ("a.jsonl", "jsonl"),
        ("a.ndjson", "jsonl"),
        ("a.csv", "csv"),
        ("a.tsv", "csv"),
    ],
)
def test_detect_format_by_extension(tmp_path, name, expected):
    assert detect_format(tmp_path / name) == expected  # the file need not exist


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PAGE, "html"),
        ('<?xml version="1.0"?>\n<html><body><p>Hi</p></body></html>', "html"),
        (jsonl_line(title="T", text="x") + "\n", "jsonl"),
        ("title,text,url\nT,x,\n", "csv"),
        ("Title;Text\nT;x\n", "csv"),
        (f"{HEADLINE}\n\n{BODY}", "text"),
    ],
)
def test_detect_format_by_content_for_unknown_extensions(tmp_path, content, expected):
    path = tmp_path / "article.dat"
    path.write_text(content, encoding="utf-8")
    assert detect_format(path) == expected


def test_detect_format_refuses_binary_content(tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    with pytest.raises(UnsupportedFormat):
        detect_format(path)


def test_detect_format_refuses_a_json_array(tmp_path):
    path = tmp_path / "articles.json"
    path.write_text('[{"title": "T", "text": "x"}]', encoding="utf-8")
    with pytest.raises(UnsupportedFormat, match="JSON Lines"):
        detect_format(path)


def test_read_path_refuses_an_unknown_format_name(tmp_path):
    with pytest.raises(ValueError, match="unknown format"):
        read_path(tmp_path / "a.txt", fmt="pdf")


def test_explicit_format_overrides_the_extension(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text(jsonl_line(title=HEADLINE, text=BODY) + "\n", encoding="utf-8")
    (record,) = read_path(path, fmt="jsonl")
    assert record.title == HEADLINE
    assert record.format == "jsonl"


# --------------------------------------------------------------------------- plain text


def test_text_file_title_is_a_headline_first_line(tmp_path):
    path = tmp_path / "story.txt"
    content = f"{HEADLINE}\n\n{BODY}\n"
    path.write_text(content, encoding="utf-8")
    (record,) = read_path(path, title="Ignored")
    assert record.title == HEADLINE
    assert HEADLINE not in record.text
    assert record.text.strip() == BODY
    assert record.raw == content
    assert record.origin == str(path)
    assert record.format == "text"
    assert (record.url, record.published, record.outlet, record.byline) == ("", None, "", "")
    assert record.language == "en"
    assert record.encoding == "utf-8"
    assert record.notes == ()


def test_text_file_whose_first_line_is_a_sentence_takes_the_title_argument(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(BODY, encoding="utf-8")
    (record,) = read_path(path, title="Albania and Iran")
    assert record.title == "Albania and Iran"
    assert record.text == BODY


def test_text_file_without_headline_or_title_argument_is_named_after_the_file(tmp_path):
    path = tmp_path / "albania_iran-cyberattack_2022.txt"
    path.write_text(BODY, encoding="utf-8")
    (record,) = read_path(path)
    assert record.title == "albania iran cyberattack 2022"
    assert record.text == BODY


def test_text_file_headline_after_an_ad_marker(tmp_path):
    path = tmp_path / "scraped.txt"
    path.write_text(f"[ad_1]\n{HEADLINE}\n{BODY}", encoding="utf-8")
    (record,) = read_path(path)
    assert record.title == HEADLINE
    assert record.text == f"[ad_1]\n{BODY}"  # cleaning removes the marker later


def test_text_file_of_one_short_line_is_text_not_title(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("Tehran denies involvement\n", encoding="utf-8")
    (record,) = read_path(path)
    assert record.title == "note"
    assert record.text == "Tehran denies involvement\n"


def test_empty_text_file_is_a_failure(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text(" \n\n", encoding="utf-8")
    assert list(read_path(path)) == [ImportFailure(str(path), "no text")]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (HEADLINE, True),
        ("Iran denies role in attack?", True),
        ("Tehran rejected the accusation.", False),
        ("Officials said:", False),
        (" ".join(["word"] * 21), False),
        ("x" * 201, False),
        ("2022", False),
        ("", False),
    ],
)
def test_looks_like_headline(line, expected):
    assert looks_like_headline(line) is expected


# --------------------------------------------------------------------------- HTML


def test_html_page_metadata_and_main_text(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    (record,) = read_path(path)
    assert record.title == HEADLINE
    assert record.published == date(2022, 9, 7)
    assert record.byline == "Jane Example"
    assert record.url == "https://balkandesk.example/2022/09/albania-iran"
    assert record.outlet == "The Balkan Desk"
    assert record.language == "en"
    assert record.format == "html"
    assert record.raw == PAGE
    assert not record.text.startswith(HEADLINE)  # the <h1> is the title, not text
    assert "Tehran rejected the accusation and called it baseless." in record.text
    assert "sanctioned Iran's Ministry of Intelligence" in record.text
    for chrome in ("Home", "Copyright"):
        assert chrome not in record.text


def test_html_page_without_metadata_falls_back_to_the_title_argument(tmp_path):
    path = tmp_path / "bare.html"
    path.write_text(
        "<html><body><article>"
        "<p>Albania's government said the attackers had been inside its networks for "
        "more than a year before the July attack on public services.</p>"
        "<p>Tehran rejected the accusation and called it baseless.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    (record,) = read_path(path, title="Attack on Albania")
    assert record.title == "Attack on Albania"
    assert record.published is None
    assert record.url == ""
    assert "Tehran rejected the accusation" in record.text


def test_html_page_without_text_is_a_failure(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>Nothing</title></head><body></body></html>")
    (failure,) = read_path(path)
    assert failure == ImportFailure(str(path), "no article text found in the HTML page")


# --------------------------------------------------------------------------- JSON Lines


def test_jsonl_reads_each_record_and_reports_each_bad_line(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        jsonl_line(
            title=HEADLINE,
            text=BODY,
            url="https://balkandesk.example/a",
            published="2022-09-07",
            outlet="The Balkan Desk",
            byline="Jane Example",
        ),
        '{"title": "Broken", "text": ',  # line 2: invalid JSON
        "",  # line 3: blank, skipped
        jsonl_line(text="No title here."),  # line 4
        jsonl_line(title="Bad date", text="x", published="7 September 2022"),  # line 5
        '["not", "an", "object"]',  # line 6
        jsonl_line(title="Sanctions", text="Washington sanctioned the ministry.",
                   published="2022-09-09T14:00:00Z", language="EN_us"),  # line 7
    ]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = list(read_path(path))

    first, last = records(results)
    assert first.title == HEADLINE
    assert first.text == BODY
    assert first.url == "https://balkandesk.example/a"
    assert first.published == date(2022, 9, 7)
    assert (first.outlet, first.byline) == ("The Balkan Desk", "Jane Example")
    assert first.origin == f"{path}:1"
    assert first.raw == lines[0]
    assert last.published == date(2022, 9, 9)
    assert last.language == "en"
    assert last.origin == f"{path}:7"

    bad = failures(results)
    assert [f.origin for f in bad] == [f"{path}:{n}" for n in (2, 4, 5, 6)]
    assert bad[0].reason.startswith("invalid JSON")
    assert bad[1].reason == "missing title"
    assert "published" in bad[2].reason
    assert "JSON object" in bad[3].reason


def test_jsonl_field_of_the_wrong_type_is_a_failure(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(jsonl_line(title="T", text="x", published=2022), encoding="utf-8")
    (failure,) = read_path(path)
    assert failure.reason == "published: expected text, got int"


def test_jsonl_text_may_hold_a_line_separator(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(jsonl_line(title="T", text="one\u2028two"), encoding="utf-8")
    (record,) = read_path(path)
    assert record.text == "one\u2028two"


# --------------------------------------------------------------------------- CSV


def test_csv_reads_rows_and_reports_a_row_without_title(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text(
        "title,text,url,published,outlet,byline\n"
        f'"{HEADLINE}","{BODY}",https://balkandesk.example/a,2022-09-07,The Balkan Desk,\n'
        ',"A text without a title.",,,,\n'
        'Sanctions,"Washington sanctioned the ministry.",,2022-09-09,,"Jo Writer"\n',
        encoding="utf-8",
    )
    results = list(read_path(path))
    first, second = records(results)
    assert first.title == HEADLINE
    assert first.text == BODY  # a quoted field spanning lines
    assert first.published == date(2022, 9, 7)
    assert first.origin == f"{path}:2"
    assert first.raw.startswith(f'"{HEADLINE}"') and first.raw.endswith("The Balkan Desk,")
    assert second.origin == f"{path}:6"  # the quoted body of row one spans three lines
    assert second.byline == "Jo Writer"
    assert failures(results) == [ImportFailure(f"{path}:5", "missing title")]


def test_csv_with_semicolons_and_extra_columns(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text("Title;Text;Section\nIran denies role;Tehran denied it.;World\n")
    (record,) = read_path(path)
    assert (record.title, record.text) == ("Iran denies role", "Tehran denied it.")


def test_csv_without_a_text_column_is_a_failure(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text("title,body\nT,x\n", encoding="utf-8")
    (failure,) = read_path(path)
    assert failure == ImportFailure(str(path), "CSV header lacks the column(s): text")


def test_csv_row_with_too_many_fields_is_a_failure(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text("title,text\nT,x,surplus\nU,y\n", encoding="utf-8")
    results = list(read_path(path))
    assert [r.title for r in records(results)] == ["U"]
    assert failures(results)[0].origin == f"{path}:2"


def test_csv_row_that_cannot_be_parsed_is_a_failure_and_the_next_row_is_read(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text(f"title,text\nHuge,{'x' * 140_000}\nSmall,y\n", encoding="utf-8")
    results = list(read_path(path))
    assert [r.title for r in records(results)] == ["Small"]
    (failure,) = failures(results)
    assert failure.origin == f"{path}:2"
    assert failure.reason.startswith("unreadable CSV row")


# --------------------------------------------------------------------------- folders


def test_iter_files_walks_folders_sorted_and_skips_hidden_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b/2.txt", "b/1.txt", "a.txt", ".hidden.txt", ".git/config", "c.html"):
        (tmp_path / name).write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])] == [
        "a.txt",
        "b/1.txt",
        "b/2.txt",
        "c.html",
    ]


def test_iter_files_yields_named_files_as_given(tmp_path):
    missing = tmp_path / "missing.txt"
    assert list(iter_files([missing, str(missing)])) == [missing, missing]


def test_folder_with_one_broken_file_reads_the_rest(tmp_path):
    (tmp_path / "1-story.txt").write_text(f"{HEADLINE}\n\n{BODY}", encoding="utf-8")
    (tmp_path / "2-broken.jsonl").write_text("{not json}\n", encoding="utf-8")
    (tmp_path / "3-page.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "4-photo.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    results = [result for path in iter_files([tmp_path]) for result in read_path(path)]
    assert [r.format for r in records(results)] == ["text", "html"]
    assert [(f.origin, f.reason.split(":")[0]) for f in failures(results)] == [
        (f"{tmp_path / '2-broken.jsonl'}:1", "invalid JSON"),
        (str(tmp_path / "4-photo.bin"), "binary content"),
    ]


def test_missing_file_is_a_failure(tmp_path):
    path = tmp_path / "missing.txt"
    (failure,) = read_path(path)
    assert failure.origin == str(path)
    assert failure.reason.startswith("cannot read the file")


# --------------------------------------------------------------------------- encodings


def test_cp1252_file_is_decoded_and_says_so(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes(f"Rama speaks in Tiranë\n\n{BODY} “Baseless”".encode("cp1252"))
    (record,) = read_path(path)
    assert record.title == "Rama speaks in Tiranë"
    assert record.text.strip().endswith("“Baseless”")
    assert record.encoding == "cp1252"
    assert "decoded as cp1252" in record.notes[0]


def test_cp1252_fallback_applies_to_every_record_of_a_file(tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_bytes("title,text\nTiranë,Rama spoke.\nTehran,It denied.\n".encode("cp1252"))
    first, second = read_path(path)
    assert first.title == "Tiranë"
    assert (first.encoding, second.encoding) == ("cp1252", "cp1252")


def test_utf8_byte_order_mark_is_dropped(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + "title,text\nTiranë,Rama spoke.\n".encode())
    (record,) = read_path(path)
    assert record.title == "Tiranë"
    assert record.encoding == "utf-8"
    assert record.notes == ()


def test_utf16_file_with_byte_order_mark(tmp_path):
    path = tmp_path / "wide.txt"
    path.write_bytes(f"{HEADLINE}\n\n{BODY}".encode("utf-16"))
    (record,) = read_path(path)
    assert record.title == HEADLINE
    assert record.encoding == "utf-16"


def test_bytes_that_are_neither_utf8_nor_cp1252_are_a_failure(tmp_path):
    path = tmp_path / "garbled.txt"
    path.write_bytes(b"Tiran\xeb \x81 Tehran")
    (failure,) = read_path(path)
    assert "neither UTF-8 nor cp1252" in failure.reason


def test_mojibake_in_a_title_is_repaired(tmp_path):
    path = tmp_path / "feed.jsonl"
    title = "Rama speaks in Tiranë".encode().decode("cp1252")
    path.write_text(jsonl_line(title=title, text="x"), encoding="utf-8")
    (record,) = read_path(path)
    assert record.title == "Rama speaks in Tiranë"
