"""Forms of the articles app: the import page."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json

from django import forms
from django.conf import settings

from articles.importers import DEFAULT_LANGUAGE

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
"""Largest file the import page takes; bigger ones go through `import_articles`."""

UPLOAD_EXTENSIONS = (".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".jsonl", ".csv")

INTENT_PREVIEW, INTENT_SAVE = "preview", "save"


def _unify_line_ends(value: str) -> str:
    # Browsers send every line end of a form field as CRLF.
    return value.replace("\r\n", "\n").replace("\r", "\n")


class ImportForm(forms.Form):
    """Paste a text or upload a file, with the article's metadata.

    The page previews before it saves: `previewed` carries the fingerprint of the
    fields the preview was made from, and saving is refused when they have changed
    since. `raw_b64` carries what an uploaded file held (an HTML page, say), base64 so
    that the browser's form encoding leaves its bytes alone.
    """

    title = forms.CharField(max_length=500, required=False)
    url = forms.URLField(label="URL", max_length=1000, required=False, assume_scheme="https")
    outlet = forms.CharField(
        max_length=300,
        required=False,
        help_text="Looked up by name; a new outlet is created when none has this name.",
    )
    byline = forms.CharField(max_length=300, required=False)
    published = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    language = forms.CharField(max_length=16, required=False, initial=DEFAULT_LANGUAGE)
    text = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        help_text="Paste the article as scraped; cleaning is shown before anything is saved.",
    )
    upload = forms.FileField(
        required=False,
        label="or upload a file",
        help_text="Plain text, an HTML page, or JSON Lines / CSV holding one article; "
        f"at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(UPLOAD_EXTENSIONS)}),
    )
    raw_b64 = forms.CharField(required=False, widget=forms.HiddenInput)
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_text(self) -> str:
        text = _unify_line_ends(self.cleaned_data["text"])
        # Cleaning removes dirt, so the raw input may be longer than an article can be.
        if len(text) > 2 * settings.MAX_ARTICLE_LENGTH:
            raise forms.ValidationError(
                f"The text is longer than {2 * settings.MAX_ARTICLE_LENGTH} characters.",
                code="max_length",
            )
        return text

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; import "
                "large files with the import_articles command.",
                code="file_too_large",
            )
        if upload and not upload.name.lower().endswith(UPLOAD_EXTENSIONS):
            raise forms.ValidationError(
                "Upload a .txt, .html, .jsonl or .csv file.", code="file_type"
            )
        return upload

    def clean_raw_b64(self) -> str:
        value = self.cleaned_data["raw_b64"]
        if not value:
            return ""
        try:
            return base64.b64decode(value.encode("ascii"), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeError, ValueError) as exc:
            raise forms.ValidationError("The uploaded file's content was damaged.") from exc

    def clean_language(self) -> str:
        return self.cleaned_data["language"].strip().lower() or DEFAULT_LANGUAGE

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("upload") and not data.get("text", "").strip():
            self.add_error("text", forms.ValidationError("Paste a text or upload a file."))
        return data

    def article_fields(self) -> dict:
        """The fields an import is made of, from the cleaned data."""
        data = self.cleaned_data
        text = data.get("text", "")
        return {
            "title": data.get("title", ""),
            "text": text,
            "raw": data.get("raw_b64") or text,
            "url": data.get("url", ""),
            "outlet_name": data.get("outlet", ""),
            "byline": data.get("byline", ""),
            "published": data.get("published"),
            "language": data.get("language") or DEFAULT_LANGUAGE,
        }

    def wants_save(self) -> bool:
        return self.data.get("intent") == INTENT_SAVE


# What the preview shows: the text and what cleaning removes from it. A title, outlet or
# date typed after the preview changes nothing the preview showed, so it needs no second
# preview before saving.
PREVIEWED_FIELDS = ("text", "raw")


def fingerprint(fields: dict) -> str:
    """A digest of what the user previewed: the text as pasted or uploaded."""
    payload = json.dumps(
        {key: _unify_line_ends(str(fields.get(key) or "")) for key in PREVIEWED_FIELDS},
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def form_data(fields: dict) -> dict:
    """Form data that shows `fields` again on the preview page."""
    raw = fields["raw"]
    return {
        "title": fields["title"],
        "text": fields["text"],
        "raw_b64": ""
        if raw == fields["text"]
        else base64.b64encode(raw.encode("utf-8")).decode("ascii"),
        "url": fields["url"],
        "outlet": fields["outlet_name"],
        "byline": fields["byline"],
        "published": fields["published"].isoformat() if fields["published"] else "",
        "language": fields["language"],
    }
