"""The import page: paste or upload, preview what cleaning removes, then save."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, Source
from articles.services import article_import

DIRTY = (
    "[ad_1]\n\n"
    "Albania's prime minister said the Iranian state was behind the July attack.\n\n"
    "Tehran called it <script>alert('x')</script> a baseless accusation.\n\n"
    "Albania's prime minister said the Iranian state was behind the July attack.\n\n"
    "Source link"
)
CLEAN = (
    "Albania's prime minister said the Iranian state was behind the July attack.\n\n"
    "Tehran called it <script>alert('x')</script> a baseless accusation."
)
PAGE_HTML = """<!doctype html><html lang="en"><head>
<title>Albania expels Iranian diplomats</title>
<meta property="og:url" content="https://news.example.org/expels">
<meta property="og:site_name" content="Example News">
</head><body><article><h1>Albania expels Iranian diplomats</h1>
<p>Albania cut diplomatic ties with Iran and gave its embassy staff a day to leave the country,
after an investigation blamed Tehran for a cyberattack on government services.</p>
<p>The prime minister said the attack was meant to paralyse public services and steal data,
and that the investigation had been helped by the FBI and by Microsoft.</p>
</article></body></html>"""


@pytest.fixture
def url():
    return reverse("article_import")


@pytest.fixture
def as_user(db, client):
    def log_in(user):
        client.force_login(user)
        return client

    return log_in


def fields(**overrides):
    data = {
        "title": "Albania blames Iran",
        "url": "",
        "outlet": "Example News",
        "byline": "",
        "published": "",
        "language": "en",
        "text": DIRTY,
        "raw_b64": "",
        "intent": "preview",
    }
    data.update(overrides)
    return data


def preview(client, page, **overrides):
    response = client.post(page, fields(**overrides))
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("role", ["researcher", "editor"])
def test_researchers_and_editors_open_the_page(request, as_user, url, role):
    assert as_user(request.getfixturevalue(role)).get(url).status_code == 200


@pytest.mark.parametrize("role", ["reviewer", "reader"])
def test_others_are_forbidden(request, as_user, url, role):
    client = as_user(request.getfixturevalue(role))
    assert client.get(url).status_code == 403
    assert client.post(url, fields(intent="save")).status_code == 403
    assert not Article.objects.exists()


def test_anonymous_users_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_preview_marks_each_removal_and_escapes_the_text(as_user, researcher, url):
    response = preview(as_user(researcher), url)

    body = response.content.decode()
    assert not Article.objects.exists()
    assert 'data-testid="import-preview"' in body
    for kind in ("ad_marker", "duplicate", "boilerplate"):
        assert f'<del class="removed removed-{kind}" data-kind="{kind}"' in body
    marker = body.index('data-kind="ad_marker"')
    assert 'title="Removed: ad marker"' in body[marker : marker + 80]
    assert "ad marker</span>[ad_1]</del>" in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
    assert "<script>alert" not in body
    assert "Cleaning removes 3 pieces" in body
    assert response.context["plan"].text == CLEAN


def test_saving_after_the_preview_creates_the_article_with_raw_and_report(as_user, researcher, url):
    client = as_user(researcher)
    previewed = preview(client, url).context["previewed"]

    response = client.post(url, fields(intent="save", previewed=previewed))

    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("article_reader", args=[article.pk])
    assert article.text == CLEAN
    assert article.raw == DIRTY
    assert article.created_by == researcher
    assert article.outlet == Source.objects.get(name="Example News")
    report = article.revisions.get().cleaning_report
    assert report["counts"] == {"ad_marker": 1, "boilerplate": 1, "duplicate": 1}
    assert [entry["kind"] for entry in report["removed"]] == [
        "ad_marker",
        "duplicate",
        "boilerplate",
    ]


def test_browser_line_ends_do_not_spoil_the_previewed_fingerprint(as_user, researcher, url):
    client = as_user(researcher)
    previewed = preview(client, url).context["previewed"]
    client.post(url, fields(intent="save", previewed=previewed, text=DIRTY.replace("\n", "\r\n")))
    assert Article.objects.get().raw == DIRTY


def test_save_after_the_text_changed_shows_the_preview_again(as_user, researcher, url):
    client = as_user(researcher)
    previewed = preview(client, url).context["previewed"]

    changed = DIRTY + "\n\nOne more paragraph."
    response = client.post(url, fields(intent="save", previewed=previewed, text=changed))

    assert response.status_code == 200
    assert not Article.objects.exists()
    assert "text changed since the preview" in response.content.decode()


def test_a_field_changed_after_the_preview_saves_at_once_when_the_text_is_the_same(
    as_user, researcher, url
):
    client = as_user(researcher)
    previewed = preview(client, url).context["previewed"]

    response = client.post(url, fields(intent="save", previewed=previewed, title="Changed title"))

    assert response.status_code == 302
    assert Article.objects.get().title == "Changed title"


def test_the_first_line_of_a_pasted_text_is_proposed_as_its_title(as_user, researcher, url):
    client = as_user(researcher)
    pasted = "Albania cuts ties with Iran\n\nThe government said on Wednesday it would act."
    response = preview(client, url, title="", text=pasted)

    form = response.context["form"]
    assert form["title"].value() == "Albania cuts ties with Iran"
    assert form["text"].value() == "The government said on Wednesday it would act."
    previewed = response.context["previewed"]
    data = {name: form[name].value() or "" for name in form.fields if name != "upload"}
    client.post(url, {**data, "intent": "save", "previewed": previewed})
    article = Article.objects.get()
    assert article.title == "Albania cuts ties with Iran"
    assert article.raw == pasted


def test_duplicate_names_the_existing_article(as_user, researcher, url):
    existing = article_import(user=researcher, title="Already here", text=DIRTY)

    response = preview(as_user(researcher), url)

    body = response.content.decode()
    assert "This article is already here: “Already here”" in body
    assert f"article {existing.pk}, same text" in body
    assert reverse("article_reader", args=[existing.pk]) in body
    assert 'data-testid="save-import"' not in body
    assert Article.objects.count() == 1


def test_duplicate_url_is_refused(as_user, researcher, url):
    article_import(
        user=researcher, title="First", text="Other words entirely.", url="https://e.org/a"
    )
    response = preview(as_user(researcher), url, url="https://e.org/a")
    assert "same url" in response.content.decode()


def test_missing_text_and_title_are_form_errors(as_user, researcher, url):
    client = as_user(researcher)
    assert preview(client, url, text="   ").context["form"].errors["text"]
    assert preview(client, url, title="").context["form"].errors["title"]
    assert preview(client, url, text="[ad_1]\n\nSource link").context["form"].errors["text"]


def test_uploaded_html_page_is_extracted_and_saved_with_the_page_as_raw(as_user, researcher, url):
    client = as_user(researcher)
    upload = SimpleUploadedFile("expels.html", PAGE_HTML.encode(), content_type="text/html")
    response = client.post(url, {**fields(title="", outlet="", text=""), "upload": upload})

    assert response.status_code == 200
    plan = response.context["plan"]
    assert plan.title == "Albania expels Iranian diplomats"
    assert plan.url == "https://news.example.org/expels"
    assert plan.outlet_name == "Example News"
    assert "cut diplomatic ties" in plan.text
    form = response.context["form"]
    saved = {name: form[name].value() or "" for name in form.fields if name != "upload"}
    client.post(url, {**saved, "intent": "save", "previewed": response.context["previewed"]})

    article = Article.objects.get()
    assert article.title == "Albania expels Iranian diplomats"
    assert article.raw == PAGE_HTML
    assert "cut diplomatic ties" in article.text


def test_uploaded_text_file_takes_the_typed_title_over_its_headline(as_user, researcher, url):
    upload = SimpleUploadedFile("note.txt", b"A headline here\n\nThe body of the note is here.")
    response = as_user(researcher).post(
        url, {**fields(title="My title", text=""), "upload": upload}
    )
    assert response.context["plan"].title == "My title"
    assert response.context["plan"].text == "The body of the note is here."


def test_too_large_upload_is_a_clear_form_error(as_user, researcher, url, monkeypatch):
    monkeypatch.setattr("articles.forms.MAX_UPLOAD_BYTES", 1024 * 1024)
    upload = SimpleUploadedFile("big.txt", b"word " * (1024 * 1024 // 5 + 10))
    response = as_user(researcher).post(url, {**fields(text=""), "upload": upload})
    errors = response.context["form"].errors["upload"]
    assert errors == [
        "The file is larger than 1 MB; import large files with the import_articles command."
    ]
    assert not Article.objects.exists()


def test_upload_with_several_articles_points_to_the_command(as_user, researcher, url):
    records = "\n".join(json.dumps({"title": f"T{i}", "text": f"Text {i}."}) for i in range(2))
    upload = SimpleUploadedFile("batch.jsonl", records.encode())
    response = as_user(researcher).post(url, {**fields(text=""), "upload": upload})
    assert "import_articles command" in response.context["form"].errors["upload"][0]


def test_unreadable_upload_is_a_form_error(as_user, researcher, url):
    upload = SimpleUploadedFile("notes.txt", b"\x00\x01 binary, not text")
    response = as_user(researcher).post(url, {**fields(text=""), "upload": upload})
    assert "cannot be imported" in response.context["form"].errors["upload"][0]
