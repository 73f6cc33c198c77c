"""Pages about changing texts: edit an article, its revisions and their differences, the
claims a revision left without a passage, and re-attaching one of them.

Changes go through `annotations.services.revisions`; a domain error becomes a form error.
Articles are readable by every logged-in user; claims are scoped by `claims_visible_to`
(someone else's draft is a 404), and a visible claim the user may not re-attach is a 403.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from diff_match_patch import diff_match_patch
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models.functions import Length
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from annotations.anchoring.approximate import best_match
from annotations.models import AnchorState, Claim
from annotations.params import MAX_NUMBER, WholeNumberFormField, number_param, page_param
from annotations.reader_html import PlacedClaim, is_placed, render_text
from annotations.selectors import claims_visible_to
from annotations.selectors.articles import anchor_state_counts, articles_visible_to
from annotations.services.revisions import (
    REATTACHABLE_STATES,
    article_revise,
    can_revise_article,
    check_reattach,
    check_revise_article,
    claim_reattach,
    may_reattach,
)
from annotations.templatetags.places import place_of
from annotations.views.refusals import refuse_unless
from articles.models import Article, ArticleRevision
from claimdesk.errors import AnchorMismatch, DomainError, InvalidInput, StaleVersion

CLAIMS_PER_PAGE = 50
# An unchanged stretch longer than this is shortened in a diff, keeping its two ends.
DIFF_KEEP_UNCHANGED = 600
DIFF_CONTEXT = 200
DIFF_TIMEOUT_SECONDS = 2.0
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def _url_or_empty(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# -- editing an article's text -----------------------------------------------------------


class ArticleEditForm(forms.Form):
    text = forms.CharField(
        strip=False, widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "true"})
    )
    note = forms.CharField(
        max_length=ArticleRevision._meta.get_field("note").max_length,
        required=False,
        help_text="What changed and why, for the revision history.",
    )
    base_revision = WholeNumberFormField(min_value=0, widget=forms.HiddenInput)


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request, article_id: int):
    """Edit the text; saving makes a revision and re-anchors the article's claims.

    The form carries the revision it was loaded from: if someone saved meanwhile, the
    page says so, keeps the user's text, links the difference, and a second save then
    replaces the newer revision knowingly.
    """
    article = get_object_or_404(articles_visible_to(request.user), pk=article_id)
    refuse_unless(check_revise_article, user=request.user, article=article)
    revision = article.current_revision
    current_number = revision.number if revision else 0
    conflict = None
    if request.method == "POST":
        form = ArticleEditForm(request.POST)
        if form.is_valid():
            base = form.cleaned_data["base_revision"]
            try:
                result = article_revise(
                    user=request.user,
                    article_id=article.pk,
                    text=form.cleaned_data["text"],
                    note=form.cleaned_data["note"],
                    expected_revision=base,
                )
            except StaleVersion:
                conflict = {"base": base, "current": current_number}
                data = request.POST.copy()
                data["base_revision"] = str(current_number)
                form = ArticleEditForm(data)
                form.is_valid()
                form.add_error(
                    None,
                    f"Someone saved revision {current_number} while you were editing "
                    f"revision {base}. Your text is kept below; compare the revisions, then "
                    "save again to replace their text with yours.",
                )
            except InvalidInput as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
            else:
                if not result.changed:
                    messages.info(request, "The text is unchanged; no revision was made.")
                    return redirect("article_revisions", article_id=article.pk)
                messages.success(
                    request,
                    f"Saved revision {result.revision.number}; "
                    f"{result.touched} claim{'s' if result.touched != 1 else ''} re-anchored.",
                )
                url = reverse("article_revisions", args=[article.pk])
                return redirect(f"{url}?revised={result.revision.number}")
    else:
        form = ArticleEditForm(
            initial={
                "text": revision.text if revision else article.text,
                "base_revision": current_number,
            }
        )
    return render(
        request,
        "annotations/revisions/edit.html",
        {
            "article": article,
            "revision": revision,
            "form": form,
            "conflict": conflict,
            "counts": _visible_counts(request.user, article),
            "reader_url": _url_or_empty("article_reader", article.pk),
        },
    )


def _visible_counts(user, article: Article) -> list[tuple[str, str, int]]:
    """(state, label, number) of the claims of the article the user can see."""
    counts = anchor_state_counts(article, user=user)
    return [(state, label, counts[state]) for state, label in AnchorState.choices]


# -- revisions and their differences -----------------------------------------------------


@login_required
@require_GET
def article_revisions(request, article_id: int):
    """The revisions, newest first; after a save (`?revised=N`), what re-anchoring did."""
    article = get_object_or_404(
        articles_visible_to(request.user).select_related("outlet"), pk=article_id
    )
    revisions = list(
        article.revisions.select_related("author")
        .annotate(chars=Length("text"))
        .defer("text")
        .order_by("-number")
    )
    summary = None
    revised = number_param(request.GET, "revised", maximum=MAX_NUMBER)
    if revised is not None and any(r.number == revised for r in revisions):
        attention = (
            claims_visible_to(request.user)
            .filter(article=article, anchor_state__in=REATTACHABLE_STATES)
            .select_related("claimant")
            .order_by("anchor_state", "id")
        )
        summary = {
            "number": revised,
            "counts": _visible_counts(request.user, article),
            "attention": [(claim, may_reattach(request.user, claim)) for claim in attention],
        }
    return render(
        request,
        "annotations/revisions/list.html",
        {
            "article": article,
            "revisions": revisions,
            "summary": summary,
            "can_edit": can_revise_article(request.user, article),
            "reader_url": _url_or_empty("article_reader", article.pk),
        },
    )


@dataclass(frozen=True)
class DiffPiece:
    """One stretch of a difference: `op` is "equal", "insert", "delete" or "skip"."""

    op: str
    text: str


def word_diff(old: str, new: str) -> list[DiffPiece]:
    """The difference between two texts, word by word.

    Words, runs of white space and single punctuation marks are the units: each distinct
    unit becomes one character, diff-match-patch compares those strings, and a semantic
    clean-up merges the splinters a word diff leaves between nearby changes.
    """
    units: dict[str, str] = {}
    tokens: list[str] = []

    def encode(text: str) -> str:
        out = []
        for token in _TOKEN.findall(text):
            code = units.get(token)
            if code is None:
                number = len(tokens) + 1
                # Skip the surrogate block: those are not characters.
                code = chr(number if number < 0xD800 else number + 0x800)
                units[token] = code
                tokens.append(token)
            out.append(code)
        return "".join(out)

    def decode(code: str) -> str:
        return "".join(tokens[(n if n < 0xD800 else n - 0x800) - 1] for n in map(ord, code))

    differ = diff_match_patch()
    differ.Diff_Timeout = DIFF_TIMEOUT_SECONDS
    diffs = differ.diff_main(encode(old), encode(new), False)
    differ.diff_cleanupSemantic(diffs)
    ops = {differ.DIFF_EQUAL: "equal", differ.DIFF_INSERT: "insert", differ.DIFF_DELETE: "delete"}
    pieces: list[DiffPiece] = []
    for op, code in diffs:
        text = decode(code)
        if pieces and pieces[-1].op == ops[op]:
            pieces[-1] = DiffPiece(ops[op], pieces[-1].text + text)
        elif text:
            pieces.append(DiffPiece(ops[op], text))
    return pieces


def shorten_unchanged(pieces: list[DiffPiece]) -> list[DiffPiece]:
    """Long unchanged stretches keep only their ends around the changes."""
    out: list[DiffPiece] = []
    for index, piece in enumerate(pieces):
        if piece.op != "equal" or len(piece.text) <= DIFF_KEEP_UNCHANGED:
            out.append(piece)
            continue
        head = piece.text[:DIFF_CONTEXT] if index > 0 else ""
        tail = piece.text[-DIFF_CONTEXT:] if index < len(pieces) - 1 else ""
        skipped = len(piece.text) - len(head) - len(tail)
        if head:
            out.append(DiffPiece("equal", head))
        out.append(DiffPiece("skip", f"{skipped} unchanged characters"))
        if tail:
            out.append(DiffPiece("equal", tail))
    return out


def _revision_number(params, name: str, default: int) -> int:
    return number_param(params, name, default=default, maximum=MAX_NUMBER)


@login_required
@require_GET
def revision_diff(request, article_id: int):
    """`?from=N&to=M`: what changed between two revisions (default: the latest change)."""
    article = get_object_or_404(articles_visible_to(request.user), pk=article_id)
    latest = article.current_revision
    if latest is None:
        raise Http404("This article has no revisions.")
    to_number = _revision_number(request.GET, "to", latest.number)
    from_number = _revision_number(request.GET, "from", max(1, to_number - 1))
    found = {r.number: r for r in article.revisions.filter(number__in={from_number, to_number})}
    if from_number not in found or to_number not in found:
        raise Http404("No such revision.")
    old, new = found[from_number], found[to_number]
    pieces = word_diff(old.text, new.text)
    inserted = sum(len(p.text) for p in pieces if p.op == "insert")
    deleted = sum(len(p.text) for p in pieces if p.op == "delete")
    full = request.GET.get("full") == "1"
    return render(
        request,
        "annotations/revisions/diff.html",
        {
            "article": article,
            "old": old,
            "new": new,
            "pieces": pieces if full else shorten_unchanged(pieces),
            "full": full,
            "identical": not (inserted or deleted),
            "inserted": inserted,
            "deleted": deleted,
            "numbers": list(article.revisions.order_by("number").values_list("number", flat=True)),
        },
    )


# -- claims without a passage ------------------------------------------------------------


@login_required
@require_GET
def orphaned_claims(request):
    """Claims whose passage is gone (orphaned), then those that only nearly match (fuzzy).

    `?article=ID` narrows both lists to one article.
    """
    claims = claims_visible_to(request.user).select_related(
        "article", "revision", "claimant", "author"
    )
    article = None
    article_id = number_param(request.GET, "article")
    if article_id is not None:
        article = articles_visible_to(request.user).filter(pk=article_id).first()
        claims = claims.filter(article_id=article_id)
    orphaned = Paginator(
        claims.filter(anchor_state=AnchorState.ORPHANED).order_by("article_id", "id"),
        CLAIMS_PER_PAGE,
    ).get_page(page_param(request.GET))
    fuzzy = Paginator(
        claims.filter(anchor_state=AnchorState.FUZZY).order_by("article_id", "id"),
        CLAIMS_PER_PAGE,
    ).get_page(page_param(request.GET, "fuzzy_page"))
    return render(
        request,
        "annotations/revisions/orphaned.html",
        {
            "article": article,
            "orphaned": orphaned,
            "orphaned_rows": [(c, may_reattach(request.user, c)) for c in orphaned],
            "fuzzy": fuzzy,
            "fuzzy_rows": [(c, may_reattach(request.user, c)) for c in fuzzy],
            "article_query": f"article={article.pk}&" if article else "",
        },
    )


class ReattachForm(forms.Form):
    """The passage chosen for a claim: code-point offsets into the current text.

    The page's script fills all three from a selection. Typed by hand, `exact` may stay
    empty and is then read from the text at the offsets; the claim's version still
    proves the text is the one the page showed.
    """

    version = WholeNumberFormField(min_value=1, widget=forms.HiddenInput)
    start = WholeNumberFormField(min_value=0)
    end = WholeNumberFormField(min_value=1)
    exact = forms.CharField(
        required=False,
        strip=False,
        label="Selected text",
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end <= start:
            self.add_error("end", "The passage must end after it starts.")
        if "exact" in data:
            data["exact"] = data["exact"].replace("\r\n", "\n")
        return data


def _chosen_place(form, text: str) -> str:
    """Where the passage the form holds stands, in a reader's words ("paragraph 3 of 7,
    41 words"), or "" when it holds none that the text has."""
    values = form.data if form.is_bound else form.initial
    try:
        start, end = int(values.get("start")), int(values.get("end"))
    except (TypeError, ValueError):
        return ""
    if not 0 <= start < end <= len(text):
        return ""
    return place_of(text, start, end)


@login_required
@require_http_methods(["GET", "POST"])
def claim_reattach_view(request, claim_id: int):
    claim = get_object_or_404(
        claims_visible_to(request.user).select_related("article", "revision", "claimant"),
        pk=claim_id,
    )
    refuse_unless(check_reattach, user=request.user, claim=claim)
    revision = claim.article.current_revision
    text = revision.text
    if request.method == "POST":
        form = ReattachForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            exact = data["exact"] or text[data["start"] : data["end"]]
            try:
                claim = claim_reattach(
                    user=request.user,
                    claim_id=claim.pk,
                    version=data["version"],
                    start=data["start"],
                    end=data["end"],
                    exact=exact,
                )
            except (AnchorMismatch, InvalidInput) as exc:
                # A selection that does not match the text or splits a character: say so
                # at the offset it names.
                form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
            except StaleVersion:
                form.add_error(
                    None,
                    "The claim or the article changed since this page was loaded; "
                    "reload it and select the passage again.",
                )
            except DomainError as exc:
                form.add_error(None, exc.detail)
            else:
                messages.success(request, "The claim is attached to its new passage.")
                return redirect(_url_or_empty("claim_detail", claim.pk) or "orphaned_claims")
    else:
        initial = {"version": claim.version}
        suggestion = _suggestion(claim, text)
        if suggestion:
            initial.update(suggestion)
        form = ReattachForm(initial=initial)
    placed = [PlacedClaim(claim)] if is_placed(claim, revision) else []
    return render(
        request,
        "annotations/revisions/reattach.html",
        {
            "place": _chosen_place(form, text),
            "claim": claim,
            "article": claim.article,
            "revision": revision,
            "text": text,
            "paragraphs": render_text(text, placed, [], refs=False),
            "form": form,
            "reattachable": claim.anchor_state in REATTACHABLE_STATES,
            "suggested": request.method == "GET" and bool(form.initial.get("exact")),
            "claim_url": _url_or_empty("claim_detail", claim.pk),
        },
    )


def _suggestion(claim: Claim, text: str) -> dict | None:
    """A passage to start from: a fuzzy claim's current one, else the closest found with
    a looser budget than re-anchoring allows (half the quote's length)."""
    if claim.anchor_state == AnchorState.FUZZY and text[claim.start : claim.end] == claim.exact:
        return {"start": claim.start, "end": claim.end, "exact": claim.exact}
    if claim.anchor_state != AnchorState.ORPHANED:
        return None
    match = best_match(
        text=text,
        exact=claim.exact,
        prefix=claim.prefix,
        suffix=claim.suffix,
        hint=claim.start,
        max_errors=len(claim.exact) // 2,
    )
    if match is None:
        return None
    return {"start": match.start, "end": match.end, "exact": text[match.start : match.end]}


urlpatterns = [
    path("articles/<int:article_id>/edit/", article_edit, name="article_edit"),
    path("articles/<int:article_id>/revisions/", article_revisions, name="article_revisions"),
    path("articles/<int:article_id>/revisions/diff/", revision_diff, name="revision_diff"),
    path("claims/orphaned/", orphaned_claims, name="orphaned_claims"),
    path("claims/<int:claim_id>/reattach/", claim_reattach_view, name="claim_reattach"),
]
