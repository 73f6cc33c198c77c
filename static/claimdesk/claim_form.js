// The claim edit page: the same pickers and rows as the reader's side panel; the claim
// page's "This claim denies …" form: its claim picker.
import { initMarkedSpans } from "./marked_spans.js";
import { initClaimForm } from "./pickers.js";

const relationForm = document.getElementById("relation-form");
if (relationForm) initClaimForm(relationForm);

const form = document.getElementById("claim-form");
if (form) {
  const claimForm = initClaimForm(form);
  // Offer the actors named around the claim's passage, as the reader does.
  if (form.dataset.suggestUrl) claimForm.loadSuggestions(form.dataset.start, form.dataset.end);
  // The cue and source mention can be cleared here; they are marked in the reader.
  initMarkedSpans(form);
}
