// The claim edit page: the same pickers and rows as the reader's side panel.
import { initClaimForm } from "./pickers.js";

const form = document.getElementById("claim-form");
if (form) {
  const claimForm = initClaimForm(form);
  // Offer the actors named around the claim's passage, as the reader does.
  if (form.dataset.suggestUrl) claimForm.loadSuggestions(form.dataset.start, form.dataset.end);
}
