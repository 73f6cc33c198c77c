// The claims page's filters: the actor, claimant and source boxes are the claim form's
// type-ahead pickers (names and aliases, keyboard and screen reader alike), so nobody
// needs to know an id. Without this module a typed name is looked up by the server.
import { Picker } from "./pickers.js";

const form = document.querySelector("[data-claim-filters]");
if (form) {
  const context = {
    form,
    actorsUrl: form.dataset.actorsUrl,
    sourcesUrl: form.dataset.sourcesUrl,
    canAddActor: false,
    canAddSource: false,
    suggestions: () => [],
  };
  form.querySelectorAll(".picker").forEach((root) => new Picker(root, context));
}
