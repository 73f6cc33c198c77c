"""The claim form: the reader's side panel and the claim edit page.

It only parses and checks what the browser sent; the rules (anchoring, links, workflow)
stay in `annotations.services.claims`, whose domain errors come back into the form
through `ClaimForm.add_domain_error`.

Further actors and cited sources arrive as parallel lists, one entry per row, so the
browser can add and remove rows without renumbering:
`actor`, `actor_label`, `role` and `source`, `source_label`, `locator`, `source_note`;
so do the claim's relations to other claims: `relation_kind`, `relation_claim` (the id
the claim picker fills in) and `relation_label` (the statement it shows; a claim number
such as "12" or "#12" typed there is read as the id).
An id is what the pickers fill in; a label alone (typed without picking, or sent by a
browser without JavaScript) is looked up by name or alias and must name exactly one entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import zip_longest

from django import forms
from django.conf import settings
from django.db.models import Q

from annotations.models import Actor, ActorRole, Certainty, Claim, RelationKind
from annotations.params import WholeNumberFormField
from annotations.services.claims import SPAN_LABELS, ActorLink, SourceLink, span_from_offsets
from annotations.services.relations import RelationLink
from annotations.text import fold
from articles.models import ArticleRevision, Source
from claimdesk import characters, limits
from claimdesk.errors import AnchorMismatch, DomainError, StaleVersion

INTENT_SAVE, INTENT_SUBMIT = "save", "submit"
MARKED_OFFSET_FIELDS = ("cue_start", "cue_end", "source_mention_start", "source_mention_end")

# Where a service's error field shows up in the form.
_ERROR_FIELDS = {
    "start": "exact",
    "end": "exact",
    "exact": "exact",
    "claimant_id": "claimant",
    "claimant": "claimant",
    "statement": "statement",
    "certainty": "certainty",
    "note": "note",
    "actors": "actors",
    "sources": "sources",
    "relations": "relations",
    "cue": "cue_start",
    "source_mention": "source_mention_start",
}
# The revision is a hidden value the reader filled in: whatever is wrong with it, the
# only help is a fresh page.
STALE_PAGE = (
    "The article's text changed after you opened it. Reload the page and select the passage again."
)


def stale_page_error(code: str) -> forms.ValidationError:
    """The page's one sentence for any refusal of the revision; the error keeps the
    service's code and names the field it concerns in `params`."""
    return forms.ValidationError(STALE_PAGE, code=code, params={"field": "revision"})


@dataclass
class ActorRow:
    actor: str = ""
    label: str = ""
    role: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class RelationRow:
    kind: str = ""
    claim: str = ""
    label: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class SourceRow:
    source: str = ""
    label: str = ""
    locator: str = ""
    note: str = ""
    errors: list[str] = field(default_factory=list)


def _row_record(row, picked: str, records: dict, named, *, gone: str, missing: str):
    """The record a link row picked by id, or else typed by name; what is wrong with the
    row goes onto `row.errors` (`gone`: the id no longer exists; `missing`: neither).
    A row already refused for its characters is not looked up."""
    if row.errors:
        return None
    if picked:
        record = records.get(_int_or_none(picked))
        if record is None:
            row.errors.append(gone)
        return record
    if row.label:
        record, error = named(row.label)
        if error:
            row.errors.append(error)
        return record
    row.errors.append(missing)
    return None


def _int_or_none(value) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


class ClaimForm(forms.Form):
    """Create (`instance=None`, with the anchor) or edit (`instance=claim`, with `version`)."""

    revision = WholeNumberFormField(widget=forms.HiddenInput, required=False)
    start = WholeNumberFormField(
        min_value=0,
        widget=forms.HiddenInput,
        error_messages={"required": "Select a passage of the text first."},
    )
    end = WholeNumberFormField(
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={"required": "Select a passage of the text first."},
    )
    exact = forms.CharField(
        strip=False,
        widget=forms.HiddenInput,
        error_messages={"required": "Select a passage of the text first."},
    )
    statement = forms.CharField(
        label="Statement",
        max_length=limits.STATEMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The claim in plain words, as the text attributes it.",
        error_messages={"required": "Write the claim in plain words."},
    )
    claimant = forms.CharField(required=False, widget=forms.HiddenInput)
    claimant_label = forms.CharField(label="Claimant", required=False, max_length=limits.NAME)
    certainty = forms.ChoiceField(
        label="Certainty",
        choices=Certainty.choices,
        initial=Certainty.ASSERTED,
        widget=forms.RadioSelect,
        help_text="As the text reports it.",
        error_messages={
            "required": "Say how certain the text is.",
            "invalid_choice": "Pick one of the listed certainties.",
        },
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=limits.CLAIM_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For you and the reviewers; not part of the claim.",
    )
    version = WholeNumberFormField(required=False, widget=forms.HiddenInput)
    # The cue and source mention: offsets into the same revision, set by the reader's
    # "Mark selection as …" buttons (the words are read from the text by the service).
    cue_start = WholeNumberFormField(min_value=0, required=False, widget=forms.HiddenInput)
    cue_end = WholeNumberFormField(min_value=1, required=False, widget=forms.HiddenInput)
    source_mention_start = WholeNumberFormField(
        min_value=0, required=False, widget=forms.HiddenInput
    )
    source_mention_end = WholeNumberFormField(min_value=1, required=False, widget=forms.HiddenInput)
    # Error holders for the row lists, which are parsed by hand.
    actors = forms.Field(required=False, widget=forms.HiddenInput)
    sources = forms.Field(required=False, widget=forms.HiddenInput)
    relations = forms.Field(required=False, widget=forms.HiddenInput)
    # The key of the suggestion the reader filled this form from (creating only).
    suggestion = forms.RegexField(
        regex=r"^[0-9a-f]{1,64}$", required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        if instance is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = self._initial_from(instance)
        super().__init__(*args, **kwargs)
        if instance is not None:
            for name in ("revision", "start", "end", "exact"):
                del self.fields[name]
            self.fields["version"].required = True
        self.actor_rows, self.source_rows = self._rows()
        self.relation_rows = self._relation_rows()
        self.actor_links: list[ActorLink] = []
        self.source_links: list[SourceLink] = []
        self.relation_links: list[RelationLink] = []
        self.claimant_actor: Actor | None = None

    # -- rows ---------------------------------------------------------------------------

    @staticmethod
    def _initial_from(claim) -> dict:
        return {
            "statement": claim.statement,
            "claimant": str(claim.claimant_id),
            "claimant_label": claim.claimant.name,
            "certainty": claim.certainty,
            "note": claim.note,
            "version": claim.version,
            **{name: getattr(claim, name) for name in MARKED_OFFSET_FIELDS},
            "actor_rows": [
                ActorRow(str(link.actor_id), link.actor.name, link.role)
                for link in claim.actor_links.all()
            ],
            "source_rows": [
                SourceRow(str(link.source_id), link.source.name, link.locator, link.note)
                for link in claim.source_links.all()
            ],
            "relation_rows": [
                RelationRow(relation.kind, str(relation.to_claim_id), relation.to_claim.statement)
                # A claim of another desk (its article moved since) is not shown.
                for relation in claim.relations_out.filter(to_claim__project_id=claim.project_id)
                .select_related("to_claim")
                .order_by("id")
            ],
        }

    def _list(self, name: str) -> list[str]:
        if hasattr(self.data, "getlist"):
            return self.data.getlist(name)
        value = self.data.get(name, [])
        return [value] if isinstance(value, str) else list(value)

    def _rows(self) -> tuple[list[ActorRow], list[SourceRow]]:
        if not self.is_bound:
            return (
                list(self.initial.get("actor_rows", [])),
                list(self.initial.get("source_rows", [])),
            )
        actor_rows = [
            ActorRow((a or "").strip(), (lbl or "").strip(), (r or "").strip())
            for a, lbl, r in zip_longest(
                self._list("actor"), self._list("actor_label"), self._list("role")
            )
        ]
        source_rows = [
            SourceRow(
                (s or "").strip(), (lbl or "").strip(), (loc or "").strip(), (n or "").strip()
            )
            for s, lbl, loc, n in zip_longest(
                self._list("source"),
                self._list("source_label"),
                self._list("locator"),
                self._list("source_note"),
            )
        ]
        return (
            [row for row in actor_rows if row.actor or row.label or row.role],
            [row for row in source_rows if row.source or row.label or row.locator or row.note],
        )

    def _relation_rows(self) -> list[RelationRow]:
        if not self.is_bound:
            return list(self.initial.get("relation_rows", []))
        rows = [
            RelationRow((k or "").strip(), (c or "").strip(), (lbl or "").strip())
            for k, c, lbl in zip_longest(
                self._list("relation_kind"),
                self._list("relation_claim"),
                self._list("relation_label"),
            )
        ]
        return [row for row in rows if row.claim or row.label]

    @property
    def role_choices(self):
        return ActorRole.choices

    @property
    def relation_kind_choices(self):
        return RelationKind.choices

    @property
    def intent(self) -> str:
        value = self.data.get("intent") if self.is_bound else None
        return INTENT_SUBMIT if value == INTENT_SUBMIT else INTENT_SAVE

    def service_fields(self) -> dict:
        """What the claim services take from this form, besides the anchor and version:
        the same for creating and editing, `submit` from the button pressed."""
        data = self.cleaned_data
        return {
            "statement": data["statement"],
            "claimant_id": data["claimant"],
            "certainty": data["certainty"],
            "actors": self.actor_links,
            "sources": self.source_links,
            "relations": self.relation_links,
            "note": data["note"],
            "submit": self.intent == INTENT_SUBMIT,
            # Raises InvalidInput for a start without an end: called inside the service
            # call, so the error comes back onto the form like the service's own.
            **{
                name: span_from_offsets(
                    name=name, start=data.get(f"{name}_start"), end=data.get(f"{name}_end")
                )
                for name in Claim.MARKED_SPANS
            },
        }

    def marked_span_fields(self) -> list[dict]:
        """The cue and source mention as the template shows them: their hidden offset
        fields, their label, the words they mark now (the claim's, on its edit page; the
        reader fills them in from its text) and their errors."""
        spans = []
        for name in Claim.MARKED_SPANS:
            start, end = self[f"{name}_start"], self[f"{name}_end"]
            words = ""
            if self.instance is not None and str(start.value() or "") == str(
                getattr(self.instance, f"{name}_start") or ""
            ):
                words = getattr(self.instance, f"{name}_exact")
            spans.append(
                {
                    "name": name,
                    "label": SPAN_LABELS[name],
                    "start": start,
                    "end": end,
                    "words": words,
                    "errors": [*start.errors, *end.errors],
                }
            )
        return spans

    # -- cleaning -----------------------------------------------------------------------

    def clean_revision(self) -> ArticleRevision | None:
        """The revision the page showed (the service checks it is the current one)."""
        number = self.cleaned_data.get("revision")
        if number is None:
            return None
        revision = ArticleRevision.objects.filter(pk=number).first()
        if revision is None:
            self.add_error(None, stale_page_error("does_not_exist"))
        return revision

    def clean_exact(self) -> str:
        # Browsers send every line break of a form value as CRLF; the text has LF only.
        return self.cleaned_data["exact"].replace("\r\n", "\n")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is not None and end is not None and start >= end:
            self.add_error("exact", "The passage is empty; select some text.")

        actor_ids = {_int_or_none(row.actor) for row in self.actor_rows}
        actor_ids.add(_int_or_none(cleaned.get("claimant")))
        actor_ids.discard(None)
        actors = Actor.objects.in_bulk(actor_ids) if actor_ids else {}
        source_ids = {_int_or_none(row.source) for row in self.source_rows} - {None}
        sources = Source.objects.in_bulk(source_ids) if source_ids else {}

        self._refuse_characters("actors", self.actor_rows)
        self._refuse_characters("sources", self.source_rows)
        self._refuse_characters("relations", self.relation_rows)
        self._clean_claimant(cleaned, actors)
        self._clean_actor_rows(actors)
        self._clean_source_rows(sources)
        self._clean_relation_rows()
        return cleaned

    def _clean_relation_rows(self) -> None:
        """Each row needs a kind and a claim (picked, or its number typed); whether that
        claim may be related is the service's rule, its errors come back to the row."""
        links, failed = [], False
        kinds = dict(RelationKind.choices)
        limit = settings.MAX_LINKS_PER_CLAIM
        if len(self.relation_rows) > limit:
            self.add_error("relations", f"A claim can relate to at most {limit} claims.")
            return
        for row in self.relation_rows:
            if row.errors:
                failed = True
                continue
            claim_id = _int_or_none(row.claim) or _claim_number(row.label)
            if claim_id is None:
                row.errors.append("Pick the related claim from the list, or remove the row.")
            if row.kind not in kinds:
                row.errors.append("Say how this claim relates to the other: pick a kind.")
            if row.errors:
                failed = True
            else:
                row.claim = str(claim_id)
                links.append(RelationLink(kind=row.kind, to_claim_id=claim_id))
        if failed:
            self.add_error("relations", "Check the related claims.")
        self.relation_links = links

    def _refuse_characters(self, field: str, rows: list) -> None:
        """The rows are parsed by hand, past the form fields' validators: refuse what no
        text may hold before a label is looked up (PostgreSQL cannot compare a NUL)."""
        for row in rows:
            for value in vars(row).values():
                found = characters.problem(value) if isinstance(value, str) else None
                if found is not None:
                    code, detail = found
                    row.errors.append(detail)
                    self.add_error(field, forms.ValidationError(detail, code=code))
                    break

    def _clean_claimant(self, cleaned: dict, actors: dict[int, Actor]) -> None:
        raw, label = cleaned.get("claimant") or "", (cleaned.get("claimant_label") or "").strip()
        if raw:
            actor = actors.get(_int_or_none(raw))
            if actor is None:
                self.add_error("claimant", "That actor no longer exists; pick another.")
                return
        elif label:
            actor, error = _actor_named(label)
            if error:
                self.add_error("claimant", error)
                return
        else:
            self.add_error("claimant", "Say who makes the claim: pick the claimant.")
            return
        self.claimant_actor = actor
        self.cleaned_data["claimant"] = actor.pk
        self.cleaned_data["claimant_label"] = actor.name

    def _clean_actor_rows(self, actors: dict[int, Actor]) -> None:
        links, seen, failed = [], set(), False
        roles = dict(ActorRole.choices)
        for row in self.actor_rows:
            actor = _row_record(
                row,
                row.actor,
                actors,
                _actor_named,
                gone="That actor no longer exists; pick another.",
                missing="Pick an actor for this role, or remove the row.",
            )
            if actor is not None:
                row.actor, row.label = str(actor.pk), actor.name
            if not row.role:
                row.errors.append(f"Pick the role of {row.label or 'this actor'}.")
            elif row.role not in roles:
                row.errors.append("Pick one of the listed roles.")
            if actor is not None and row.role in roles:
                if (actor.pk, row.role) in seen:
                    row.errors.append(
                        f"{actor.name} is already listed as {roles[row.role].lower()}."
                    )
                seen.add((actor.pk, row.role))
            if row.errors:
                failed = True
            elif actor is not None:
                links.append(ActorLink(actor_id=actor.pk, role=row.role))
        if failed:
            self.add_error("actors", "Check the further actors.")
        self.actor_links = links

    def _clean_source_rows(self, sources: dict[int, Source]) -> None:
        links, seen, failed = [], set(), False
        for row in self.source_rows:
            source = _row_record(
                row,
                row.source,
                sources,
                _source_named,
                gone="That source no longer exists; pick another.",
                missing="Pick a source, or remove the row.",
            )
            if len(row.locator) > limits.LOCATOR:
                row.errors.append(f"Keep the locator under {limits.LOCATOR} characters.")
            if len(row.note) > limits.SOURCE_LINK_NOTE:
                row.errors.append(f"Keep the note under {limits.SOURCE_LINK_NOTE} characters.")
            if source is not None:
                row.source, row.label = str(source.pk), source.name
                if (source.pk, row.locator) in seen:
                    row.errors.append(f"{source.name} is already cited at this place.")
                seen.add((source.pk, row.locator))
            if row.errors:
                failed = True
            elif source is not None:
                links.append(SourceLink(source_id=source.pk, locator=row.locator, note=row.note))
        if failed:
            self.add_error("sources", "Check the cited sources.")
        self.source_links = links

    # -- service errors -----------------------------------------------------------------

    def add_domain_error(self, exc: DomainError) -> None:
        """Show a service's error at the field it names, or above the form."""
        if isinstance(exc, StaleVersion):
            self.add_error(
                None,
                "Someone changed this claim after you opened it. Reload the page to see "
                "the current version; what you typed is kept below so you can copy it.",
            )
            return
        if isinstance(exc, AnchorMismatch) and (exc.field or "").split(".")[0] in SPAN_LABELS:
            self.add_error(
                _ERROR_FIELDS[exc.field.split(".")[0]],
                f"{exc.detail} Mark the words again.",
            )
            return
        if isinstance(exc, AnchorMismatch):
            self.add_error(
                "exact" if "exact" in self.fields else None,
                f"{exc.detail} Select the passage again.",
            )
            return
        errors = exc.errors or [{"field": exc.field, "code": exc.code, "detail": exc.detail}]
        for error in errors:
            field = error.get("field") or ""
            code = error.get("code") or exc.code
            if field == "revision":
                self.add_error(None, stale_page_error(code))
                continue
            if field.startswith("relations."):
                # `relations.N.to_claim`: the row the service refused shows why.
                index = _int_or_none(field.split(".")[1])
                if index is not None and index < len(self.relation_rows):
                    self.relation_rows[index].errors.append(error["detail"])
            # A row of a list (`actors.0.actor`) is shown at the list.
            name = _ERROR_FIELDS.get(field) or _ERROR_FIELDS.get(field.split(".", 1)[0])
            self.add_error(
                name if name in self.fields else None,
                forms.ValidationError(error["detail"], code=code),
            )


def _claim_number(label: str) -> int | None:
    """A claim's number typed as the label of a relation row: "12" or "#12"."""
    text = label.strip().removeprefix("#").strip()
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return _int_or_none(text)
    return None


def _actor_named(label: str) -> tuple[Actor | None, str]:
    """The one actor whose name or an alias is `label` (ignoring case and accents)."""
    folded = fold(label)
    matches = list(
        Actor.objects.filter(Q(folded=folded) | Q(aliases__folded=folded)).distinct()[:2]
    )
    if not matches:
        return None, f"No actor is called “{label}”. Pick one from the list, or create it."
    if len(matches) > 1:
        return None, f"Several actors are called “{label}”; pick one from the list."
    return matches[0], ""


def _source_named(label: str) -> tuple[Source | None, str]:
    matches = list(Source.objects.filter(name__iexact=label)[:2])
    if not matches:
        return None, f"No source is called “{label}”. Pick one from the list, or create it."
    if len(matches) > 1:
        return None, f"Several sources are called “{label}”; pick one from the list."
    return matches[0], ""
